"""The band's spread as a smooth function of lead time (normalised split-conformal).

Per lead, the leave-one-area-out residuals are few (junior lead 4: 41 samples, 26 areas), and
the conformal level 0.95·(1 + 1/n) rises as n falls, so per-lead percentiles jump from lead
to lead and sit at the extreme residual where n is smallest. Instead each half of the band
is s(h) = c·h^k: the shape k is the slope of a least-squares fit of log s on log h (s the
per-lead 5th or 95th percentile's distance from the median, weights n = samples of the
lead), and c is one conformal quantile of the residuals about their lead's median divided by
h^k, pooled over every calibrated lead — so each lead's band rests on all leads' samples.
The same curve extends the band to leads too thin to calibrate (up to ``drift.MAX_LEAD``).
A level and model with fewer than ``MIN_LEADS`` calibrated leads, or a zero half-width (no
logarithm), keeps per-lead conformal percentiles.

The grade flow's band (``band_quantiles``, issue 18) uses the curve only where a lead is
too thin: a lead with enough residuals keeps its own split-conformal order statistic, and
with too few leads for the curve the width grows linearly (``extend_linearly``); the
factor drift (``validation.drift``) keeps ``lead_quantiles`` as it was.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_LEADS = 3  # the curve has two parameters: at least one lead more
QUANTILE_COLUMNS = ["lead", "resid_q05", "resid_q50", "resid_q95", "spread"]


def weighted_quantile(v: np.ndarray, w: np.ndarray, q) -> np.ndarray:
    """Quantiles of ``v`` with weights ``w`` (linear between weighted mid-points)."""
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    cw = (np.cumsum(w) - w / 2) / w.sum()
    return np.interp(q, cw, v)


def conformal_level(w: np.ndarray) -> float:
    """0.95·(1 + 1/n), n = (Σw)²/Σw² the effective number of samples (Kish), capped at 1."""
    return min(1.0, 0.95 * (1 + 1 / (w.sum() ** 2 / (w ** 2).sum())))


def power_fit(lead, s, n) -> tuple[float, float]:
    """(c, k) of s = c·h^k: least squares of log s on log h with weights ``n``."""
    h, s, n = (np.asarray(v, dtype=float) for v in (lead, s, n))
    k, logc = np.polyfit(np.log(h), np.log(s), 1, w=np.sqrt(n))
    return float(np.exp(logc)), float(k)


def _per_lead(resid: pd.DataFrame, level: float | None = None) -> pd.DataFrame:
    """Per lead (index, ascending): q50, lo, up (the 5th/95th percentiles' distances from
    the median), c05, c95 (the conformal tails) and n."""
    lead = resid["lead"].to_numpy()
    r, w = resid["r"].to_numpy(), resid["w"].to_numpy()
    rows, leads = [], np.unique(lead)
    for h in leads:
        k = lead == h
        hi = conformal_level(w[k]) if level is None else level
        q = weighted_quantile(r[k], w[k], [0.05, 0.5, 0.95, 1 - hi, hi])
        rows.append((q[1], q[1] - q[0], q[2] - q[1], q[3], q[4], float(k.sum())))
    return pd.DataFrame(rows, columns=["q50", "lo", "up", "c05", "c95", "n"],
                        index=pd.Index(leads, name="lead"))


def lead_quantiles(resid: pd.DataFrame, max_lead: int, level: float | None = None,
                   ) -> pd.DataFrame:
    """QUANTILE_COLUMNS for one level and model from its residuals ``resid`` (columns lead,
    r, w: leave-one-area-out residual and area weight), at the calibrated leads (``spread``
    = ``smoothed``) and the later ones up to ``max_lead`` (``extrapolated``; median held at
    the last calibrated lead's), or per lead only (``raw``). ``level``: the upper tail's
    quantile level (the lower's is 1 − level); None = ``conformal_level``."""
    per = _per_lead(resid, level)
    leads = per.index.to_numpy(dtype=float)
    if len(per) < MIN_LEADS or (per[["lo", "up"]] <= 0).to_numpy().any():
        return pd.DataFrame({"lead": per.index, "resid_q05": per["c05"].to_numpy(),
                             "resid_q50": per["q50"].to_numpy(),
                             "resid_q95": per["c95"].to_numpy(), "spread": "raw"})
    h = np.arange(1, max(max_lead, int(leads.max())) + 1, dtype=float)
    h = h[h >= leads.min()]
    q50 = np.interp(h, leads, per["q50"].to_numpy())  # held beyond the last lead
    centred = resid["r"].to_numpy() - per.loc[resid["lead"], "q50"].to_numpy()
    lead_of = resid["lead"].to_numpy(dtype=float)
    if level is None:
        level = conformal_level(resid["w"].to_numpy())
    out = {"lead": h.astype(int), "resid_q50": q50}
    for col, half, q in (("resid_q05", "lo", 1 - level), ("resid_q95", "up", level)):
        _, k = power_fit(leads, per[half], per["n"])
        c = weighted_quantile(centred / lead_of ** k, resid["w"].to_numpy(), q)
        out[col] = q50 + c * h ** k
    out["spread"] = np.where(np.isin(h, leads), "smoothed", "extrapolated")
    return pd.DataFrame(out)[QUANTILE_COLUMNS]


# -- the grade flow's band: per-lead split-conformal quantiles (issue 18) ------------------

PER_LEAD_MIN_N = 19  # the smallest n whose ⌈(n + 1)·0.95⌉-th residual exists


def extend_linearly(q: pd.DataFrame, max_lead: int) -> pd.DataFrame:
    """QUANTILE_COLUMNS with every lead up to ``max_lead`` after the first: a lead without
    a row (too few leads for the c·h^k curve: ``raw``) takes the last calibrated lead L's
    median and its half-widths × h/L (``spread`` = ``linear``). Why linear: by lead h the
    level holds h entry cohorts that were not yet at school, each with its own entry
    error, so the level's error grows at least in proportion to h (the √h of a random walk
    describes one ratio, not a sum of cohorts); holding lead L's width (the old rule)
    made the band at lead 3 of the early origins as narrow as at lead 1."""
    have = q["lead"].to_numpy(dtype=int)
    h = np.arange(int(have.min()), max(max_lead, int(have.max())) + 1)
    src = np.searchsorted(have, h, side="right") - 1  # the last calibrated lead ≤ h
    own = have[src] == h
    scale = h / have[src]
    m = q["resid_q50"].to_numpy(dtype=float)[src]
    out = {"lead": h, "resid_q50": m}
    for col in ("resid_q05", "resid_q95"):
        v = q[col].to_numpy(dtype=float)[src]
        out[col] = np.where(own, v, m + (v - m) * scale)
    out["spread"] = np.where(own, q["spread"].to_numpy(dtype=object)[src], "linear")
    return pd.DataFrame(out)[QUANTILE_COLUMNS]


def conformal_upper(v: np.ndarray, w: np.ndarray, level: float) -> float:
    """The split-conformal upper quantile: the smallest ``v`` whose share of the weight at
    or below it reaches ``level`` (a step, no interpolation; with equal weights and level
    0.95·(1 + 1/n) the ⌈(n + 1)·0.95⌉-th smallest)."""
    order = np.argsort(v, kind="stable")
    v, w = np.asarray(v, dtype=float)[order], np.asarray(w, dtype=float)[order]
    share = np.cumsum(w) / w.sum()
    return float(v[min(int(np.searchsorted(share, level - 1e-12)), len(v) - 1)])


def band_quantiles(resid: pd.DataFrame, max_lead: int, min_n: int = PER_LEAD_MIN_N,
                   levels: dict[int, float] | None = None) -> pd.DataFrame:
    """QUANTILE_COLUMNS of one level from its residuals ``resid`` (columns lead, r, w).

    ``levels`` (lead → the upper tail's quantile level, the lower's 1 − level; the adaptive
    levels of ``validation.adaptive_band``) replaces ``conformal_level`` where given; the
    curve then takes their median.

    A lead with an effective sample (Kish) of at least ``min_n`` keeps its own
    split-conformal quantiles (``conformal_upper`` at ``conformal_level``, each tail;
    ``spread`` = ``per_lead``): the band's guarantee is per lead, and the c·h^k curve pooled
    over leads covers the long leads at the expense of the short ones when the tails do not
    grow as a power of the lead. Thinner leads and the leads beyond the calibrated ones take
    the curve (``lead_quantiles``: ``smoothed`` / ``extrapolated``). The half-widths are then
    made non-decreasing in the lead (a forecast further ahead is never more certain)."""
    pooled = float(np.median(list(levels.values()))) if levels else None
    curve = lead_quantiles(resid, max_lead, pooled).sort_values("lead")
    cols = {c: curve[c].to_numpy(dtype=object if c == "spread" else float).copy()
            for c in QUANTILE_COLUMNS[1:]}
    lead = resid["lead"].to_numpy(dtype=int)
    r, w = resid["r"].to_numpy(dtype=float), resid["w"].to_numpy(dtype=float)
    row = {int(h): i for i, h in enumerate(curve["lead"])}
    for h in np.unique(lead):
        k = lead == h
        wk = w[k]
        if wk.sum() ** 2 / (wk ** 2).sum() < min_n or int(h) not in row:
            continue
        level = levels.get(int(h), pooled) if levels else conformal_level(wk)
        rk, i = r[k], row[int(h)]
        cols["resid_q05"][i] = -conformal_upper(-rk, wk, level)
        cols["resid_q50"][i] = float(weighted_quantile(rk, wk, 0.5))
        cols["resid_q95"][i] = conformal_upper(rk, wk, level)
        cols["spread"][i] = "per_lead"
    curve = pd.DataFrame({"lead": curve["lead"].to_numpy(dtype=int)} | cols)
    out = extend_linearly(curve, max_lead)
    for col, sign in (("resid_q05", -1.0), ("resid_q95", 1.0)):
        q = out[col].to_numpy(dtype=float)
        half = np.maximum(sign * q, 0.0)  # the half-width the band uses (conformal_band)
        out[col] = np.where(np.maximum.accumulate(half) > half,
                            sign * np.maximum.accumulate(half), q)
    return out[QUANTILE_COLUMNS].reset_index(drop=True)
