"""Demographic turning points from the projection's draws: per level (and compulsory =
primary + junior) and county, the year enrolment peaks (searched from the 14th plan's
baseline year), its band over draws, the peak, how far enrolment falls from it by 2030 and by
the horizon, and the chance that the peak is still ahead of the 15th plan's start."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..stats import summarize
from .schema import PEAK_FROM, PLAN_YEARS

COLUMNS = ["level", "county", "scenario", "quantity", "mean", "p05", "p50", "p95", "basis"]


def _series(result) -> dict[tuple[str, str], np.ndarray]:
    """(level, county) → draws (D, Y) of enrolment, city first, compulsory added."""
    arr, counties = result.with_city("enrolled")  # (D, Y, L, 1 + C), 全市 first
    levels = list(result.levels)
    out = {}
    for k, county in enumerate(counties):
        for j, level in enumerate(levels):
            out[level, county] = arr[:, :, j, k]
        out["compulsory", county] = (arr[:, :, levels.index("primary"), k]
                                     + arr[:, :, levels.index("junior_secondary"), k])
    return out


def turning_points(result, scenario: str) -> pd.DataFrame:
    """Peak year and size with bands, the fall from the peak to 2030 and to the horizon (%
    of the peak, per draw), P(peak after the 14th plan, i.e. in 2026 or later)."""
    years = np.asarray(result.years).astype(int)
    keep = years >= PEAK_FROM
    yrs = years[keep]
    end, horizon = PLAN_YEARS[-1], int(years[-1])
    rows = []
    for (level, county), d in sorted(_series(result).items()):
        d = d[:, keep]
        if not np.isfinite(d).all() or not (d > 0).any():
            continue
        at = d.argmax(axis=1)
        peak_year = yrs[at].astype(float)
        peak = d[np.arange(len(d)), at]
        fall_end = 100 * (1 - d[:, list(yrs).index(end)] / peak) if end in yrs else None
        fall_h = 100 * (1 - d[:, -1] / peak)
        src = f"projection draws ({len(d)}), enrolment {PEAK_FROM}–{horizon}"
        for q, v, basis in (
                ("peak_year", peak_year, src + ": year of each draw's maximum"),
                ("peak_enrolled", peak, src + ": each draw's maximum"),
                (f"fall_from_peak_{end}_pct", fall_end, src + f": 1 − {end} ÷ peak, %"),
                (f"fall_from_peak_{horizon}_pct", fall_h, src + f": 1 − {horizon} ÷ peak, %")):
            if v is None:
                continue
            s = summarize(v, axis=0)
            rows.append((level, county, scenario, q, float(s["mean"]), float(s["p05"]),
                         float(s["p50"]), float(s["p95"]), basis))
        p = float(np.mean(peak_year >= PLAN_YEARS[0]))
        rows.append((level, county, scenario, "prob_peak_in_or_after_2026", p, np.nan, np.nan,
                     np.nan, src + ": share of draws whose peak is 2026 or later"))
    return pd.DataFrame.from_records(rows, columns=COLUMNS)
