"""The births-reconstruction table (births_reconstruction.csv).

One row per year and method: ``share_of_guangdong`` and ``rate_ratio`` are deterministic
(mean = p05 = p50 = p95); ``mixed`` is the Uniform(0, 1) mixture used by the Monte Carlo, whose
quantiles are exact (q-quantile = lower method + q × |difference|); ``monte_carlo`` are the
births the run actually uses — the mixture plus the doubt of the unstated-basis anchors
(2018, 2019; ``projection.births_anchor_doubt``) — summarised over its draws; ``guangdong``
is the provincial input series. ``kind`` says how each value was obtained (observed / derived /
interpolated / extrapolated), ``rule`` the rule.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..births import Reconstruction

RULES = {
    "share_of_guangdong": "Qingyuan share of Guangdong births, anchored at the published counts",
    "rate_ratio": "Guangdong rate x Qingyuan/Guangdong rate ratio x Qingyuan population, "
                  "anchored at the published counts",
    "mixed": "Uniform(0,1) mixture of the two methods per Monte Carlo draw",
    "monte_carlo": "the run's draws: mixture of the two methods and, per draw, each "
                   "unstated-basis anchor moved towards its resident-rate product",
}


def reconstruction_table(rec: Reconstruction, draws: np.ndarray | None = None) -> pd.DataFrame:
    """Tidy table: year, method, kind, mean, p05, p50, p95, rule, base_year; ``draws``
    (D, len(rec.years)) are the run's births draws (rows ``monte_carlo``)."""
    a, b = rec.share_of_guangdong, rec.rate_ratio
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    frames = []
    for name, v in (("share_of_guangdong", a), ("rate_ratio", b)):
        frames.append(pd.DataFrame({"year": rec.years, "method": name, "kind": rec.kind,
                                    "mean": v, "p05": v, "p50": v, "p95": v, "rule": RULES[name]}))
    frames.append(pd.DataFrame({
        "year": rec.years, "method": "mixed", "kind": rec.kind, "mean": (a + b) / 2,
        "p05": lo + 0.05 * (hi - lo), "p50": (a + b) / 2, "p95": lo + 0.95 * (hi - lo),
        "rule": RULES["mixed"]}))
    if draws is not None:
        q = np.quantile(draws, [0.05, 0.5, 0.95], axis=0)
        frames.append(pd.DataFrame({"year": rec.years, "method": "monte_carlo", "kind": rec.kind,
                                    "mean": draws.mean(axis=0), "p05": q[0], "p50": q[1],
                                    "p95": q[2], "rule": RULES["monte_carlo"]}))
    g = rec.guangdong
    frames.append(pd.DataFrame({"year": g["year"], "method": "guangdong", "kind": g["kind"],
                                "mean": g["value"], "p05": g["value"], "p50": g["value"],
                                "p95": g["value"], "rule": "Guangdong input: " + g["rule"]}))
    out = pd.concat(frames, ignore_index=True)
    out["base_year"] = rec.base_year
    return out.sort_values(["year", "method"], kind="stable").reset_index(drop=True)
