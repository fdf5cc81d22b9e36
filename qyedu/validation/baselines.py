"""Four baselines for the honest-in-time harness (``validation.harness``), each a
``MethodFn``: a method must beat them to claim a gain.

- ``carry_forward`` — the origin's enrolment, unchanged (both information sets);
- ``hold_factor`` — pupils per cut-off-weighted cohort birth held at the origin's value
  (both information sets: it needs one cross-section);
- ``intake_survival`` — NCES-style intake cohort survival (bureau-like): enrolment =
  s × the sum of the level's last n intakes (n = its grades: 6 primary, 3 junior),
  s = enrolment ÷ that sum at the origin; a future intake = the mean entry ratio (intake ÷
  the single-year age cohort of the entry age) of the last 3 years × its age cohort;
- ``damped_trend`` — a damped (Gardner–McKenzie) trend in the log of the area's own factor
  (bureau-like: needs the factor of at least ``MIN_TREND_POINTS`` years), smoothing
  parameters chosen on a small grid by the one-step-ahead squared error, then × the cohort
  births (hand-written and vectorised: statsmodels' ExponentialSmoothing takes ~50 ms a fit,
  over a minute for the panel).

Their bands are the harness's honest residual bands (``Method(band="residual")``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .harness import ENTRY_AGE, FORECAST_COLUMNS, TEST_LEVELS, AreaView, History, Method

ENTRY_RATIO_YEARS = 3
MIN_TREND_POINTS = 4
GRID_ALPHA = np.array([0.2, 0.4, 0.6, 0.8, 1.0])
GRID_BETA = np.array([0.05, 0.1, 0.2, 0.4])
GRID_PHI = np.array([0.8, 0.85, 0.9, 0.95, 0.98])
GRADES = {"preschool": 3, "primary": 6, "junior_secondary": 3, "senior_general": 3,
          "senior_vocational": 3}


def _frame(level: str, years, p50) -> pd.DataFrame:
    p50 = np.asarray(p50, dtype=float)
    return pd.DataFrame({"level": level, "year": np.asarray(years, dtype=int), "p05": np.nan,
                         "p50": p50, "p95": np.nan})


def _out(parts) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=FORECAST_COLUMNS)


def carry_forward(area: AreaView, history: History, origin: int, leads, info: str,
                  levels=TEST_LEVELS) -> pd.DataFrame:
    years = origin + np.asarray(leads)
    return _out(_frame(lv, years, np.full(len(years), area.enrolment.loc[origin, lv]))
                for lv in levels if lv in area.enrolment and origin in area.enrolment.index
                and np.isfinite(area.enrolment.loc[origin, lv]))


def hold_factor(area: AreaView, history: History, origin: int, leads, info: str,
                levels=TEST_LEVELS) -> pd.DataFrame:
    years = origin + np.asarray(leads)
    parts = []
    for lv in levels:
        f = area.factor(lv, [origin]).get(origin, np.nan)
        if np.isfinite(f):
            parts.append(_frame(lv, years, f * area.cohort(years, lv)))
    return _out(parts)


def intake_survival(area: AreaView, history: History, origin: int, leads, info: str,
                    levels=TEST_LEVELS) -> pd.DataFrame:
    years = origin + np.asarray(leads)
    parts = []
    for lv in levels:
        if lv not in area.intake or lv not in area.enrolment:
            continue
        n = GRADES[lv]
        past = area.intake[lv].reindex(range(origin - n + 1, origin + 1))
        e0 = area.enrolment[lv].get(origin, np.nan)
        if past.isna().any() or not np.isfinite(e0):
            continue
        s = e0 / past.sum()
        ry = np.arange(origin - ENTRY_RATIO_YEARS + 1, origin + 1)
        age = (ENTRY_AGE[lv],)
        ratios = area.intake[lv].reindex(ry).to_numpy() / area.cohort(ry, ages=age)
        if not np.isfinite(ratios).any():
            continue
        ratio = float(np.nanmean(ratios))
        fut = np.arange(origin + 1, int(years.max()) + 1)
        intake = pd.concat([past, pd.Series(ratio * area.cohort(fut, ages=age), index=fut)])
        p50 = [s * intake.reindex(range(y - n + 1, y + 1)).sum() for y in years]
        parts.append(_frame(lv, years, p50))
    return _out(parts)


def damped_fit(y: np.ndarray) -> tuple[float, float, float]:
    """(level, trend, φ) at the end of ``y`` of the damped trend whose (α, β, φ) on the grid
    has the least one-step-ahead squared error (start: level y0, trend y1 − y0)."""
    a, b, p = (g.ravel() for g in np.meshgrid(GRID_ALPHA, GRID_BETA, GRID_PHI, indexing="ij"))
    lvl = np.full(a.shape, y[0])
    tr = np.full(a.shape, y[1] - y[0])
    sse = np.zeros(a.shape)
    for obs in y[1:]:
        pred = lvl + p * tr
        err = obs - pred
        sse += err ** 2
        new = pred + a * err
        tr = p * tr + a * b * err
        lvl = new
    k = int(np.argmin(sse))
    return float(lvl[k]), float(tr[k]), float(p[k])


def damped_path(level: float, trend: float, phi: float, leads) -> np.ndarray:
    """Forecast l + (φ + φ² + … + φ^h)·b at each lead h."""
    h = np.asarray(leads, dtype=int)
    cum = np.cumsum(phi ** np.arange(1, h.max() + 1))
    return level + cum[h - 1] * trend


def damped_trend(area: AreaView, history: History, origin: int, leads, info: str,
                 levels=TEST_LEVELS) -> pd.DataFrame:
    years = origin + np.asarray(leads)
    parts = []
    for lv in levels:
        f = area.factor(lv).dropna()
        f = f[f.index <= origin]
        if origin not in f.index:
            continue
        yrs = f.index.to_numpy(dtype=int)  # the last gap-free stretch ending at the origin
        gaps = np.flatnonzero(np.diff(yrs) != 1)
        f = f[f.index >= yrs[gaps[-1] + 1]] if len(gaps) else f
        if len(f) < MIN_TREND_POINTS:
            continue
        lvl, tr, phi = damped_fit(np.log(f.to_numpy()))
        logf = damped_path(lvl, tr, phi, leads)
        parts.append(_frame(lv, years, np.exp(logf) * area.cohort(years, lv)))
    return _out(parts)


BASELINES = (
    Method("carry_forward", carry_forward, band="residual", baseline=True),
    Method("hold_factor", hold_factor, band="residual", baseline=True),
    Method("intake_survival", intake_survival, infos=("bureau_like",), band="residual",
           baseline=True),
    Method("damped_trend", damped_trend, infos=("bureau_like",), band="residual",
           baseline=True),
)
