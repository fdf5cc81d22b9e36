"""Rolling-origin back-test of the production method on the validation panel.

Every origin o of every area uses only what Qingyuan has: births up to o and the enrolment
cross-section of o (each level's latest observation ≤ o). Three methods are compared with
the outturns at leads 1…8:

- ``cohort_flow`` — the production method (``projection.area_run.project_area``: factors at
  the origin, learned drift, Monte Carlo band); its drift calibration is fitted on the
  *other* areas (leave-one-area-out), so the accuracy is out of sample;
- ``hold_factor`` — the same run with zero drift (pupils per cohort birth held);
- ``carry_forward`` — the origin's enrolment, unchanged.

Births after the origin (needed for preschool beyond lead 3 and primary beyond lead 6)
follow the constant path (``high``: births held at the smoothed base) — the naive births
forecast, since the Qingyuan paths describe Qingyuan after 2024, not a province in 2005.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..labels import LEVELS
from ..observed.area import AreaData
from ..params import ForecastParams, RunParams
from ..projection.area_run import project_area
from ..projection.drift import CAL_REQUIRED
from .drift import MAX_LEAD, MIN_AREAS, drift_samples, factor_table, fit_drift

COLUMNS = ["area", "level", "origin", "lead", "target_year", "method", "actual", "forecast",
           "p05", "p95"]
PANEL_SCENARIO = "high"  # births held at the smoothed base after the origin
EMPTY_CAL = pd.DataFrame(columns=list(CAL_REQUIRED))
INDEPENDENT = np.eye(len(LEVELS))


def origins(data: AreaData, factors: pd.DataFrame) -> list[int]:
    """Years with at least one usable factor and at least one later observation."""
    last = int(data.enrolment["year"].max())
    return sorted(int(y) for y in set(factors["year"]) if y < last)


def area_backtest(data: AreaData, factors: pd.DataFrame, calibration: pd.DataFrame,
                  draws: int = 500, seed: int = 1, max_lead: int = MAX_LEAD) -> pd.DataFrame:
    """Back-test rows (COLUMNS) of one area for all its origins."""
    actual = data.enrolment.set_index(["level", "year"])["value"]
    rows = []
    for o in origins(data, factors):
        horizon = min(o + max_lead, int(data.enrolment["year"].max()))
        # a seed of its own per origin: Monte Carlo noise in the quantiles averages out over
        # the panel instead of shifting every forecast the same way
        rp = RunParams(forecast=ForecastParams(base_year=o, horizon=horizon, draws=draws,
                                               seed=seed * 10_000 + o, scenario=PANEL_SCENARIO))
        # independent levels: each level's band does not depend on the correlation, and the
        # back-test must not read the file it (re)writes, or `qyedu validate` would not be
        # reproducible
        res = project_area(data, rp, calibration, INDEPENDENT)
        hold = project_area(data, rp, EMPTY_CAL, INDEPENDENT)
        cross = data.enrolment[data.enrolment["year"] <= o].sort_values("year")
        latest = cross.groupby("level").tail(1).set_index("level")
        for li, lv in enumerate(LEVELS):
            if lv not in latest.index or latest.loc[lv, "year"] != o:
                continue  # the origin's cross-section must hold the level
            q = np.quantile(res.enrolled[:, :, li, 0], [0.05, 0.5, 0.95], axis=0)
            hq = np.median(hold.enrolled[:, :, li, 0], axis=0)
            for yi, t in enumerate(res.years):
                if t <= o or (lv, t) not in actual.index or not np.isfinite(q[1, yi]):
                    continue
                a = float(actual[(lv, t)])
                base = {"area": data.area, "level": lv, "origin": o, "lead": int(t - o),
                        "target_year": int(t), "actual": a}
                rows.append(base | {"method": "cohort_flow", "forecast": q[1, yi],
                                    "p05": q[0, yi], "p95": q[2, yi]})
                rows.append(base | {"method": "hold_factor", "forecast": float(hq[yi]),
                                    "p05": np.nan, "p95": np.nan})
                rows.append(base | {"method": "carry_forward",
                                    "forecast": float(latest.loc[lv, "value"]),
                                    "p05": np.nan, "p95": np.nan})
    return pd.DataFrame(rows, columns=COLUMNS)


def _area_job(job) -> pd.DataFrame:
    data, factors, cal, draws, seed = job
    return area_backtest(data, factors, cal, draws=draws, seed=seed)


def panel_backtest(panel, draws: int = 500, seed: int = 1, min_areas: int = MIN_AREAS,
                   progress=None, workers: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Leave-one-area-out back-test of every panel area, and the full-panel calibration.
    ``workers`` > 1 runs the areas in that many processes; the rows are joined in the
    panel's order, so the result is the same as serially.

    Returns (back-test rows, calibration fitted on all areas)."""
    factors = {a.area: factor_table(a) for a in panel}
    samples = drift_samples(pd.concat(factors.values(), ignore_index=True))
    full = fit_drift(samples, min_areas=min_areas)
    jobs = [(a, factors[a.area], fit_drift(samples[samples["area"] != a.area],
                                           min_areas=min_areas), draws, seed * 100 + k)
            for k, a in enumerate(panel)]
    if workers > 1 and len(jobs) > 1:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as ex:
            out = list(ex.map(_area_job, jobs))
    else:
        out = [_area_job(j) for j in jobs]
    if progress:
        for a, rows in zip(panel, out, strict=True):
            progress(f"[validate] {a.area}: {len(rows) // 3} forecasts")
    return pd.concat(out, ignore_index=True), full


def accuracy(bt: pd.DataFrame) -> pd.DataFrame:
    """MAPE and bias (mean signed percentage error, forecast − actual) by level, horizon (lead) and
    method, with the number of forecasts and areas, and — for the method with a band — the
    share of outturns inside its p05–p95 band (percent)."""
    e = bt.assign(pe=(bt["forecast"] - bt["actual"]) / bt["actual"] * 100,
                  inside=(bt["actual"] >= bt["p05"]) & (bt["actual"] <= bt["p95"]))
    g = e.groupby(["level", "lead", "method"], sort=True)
    out = g.agg(mape=("pe", lambda s: s.abs().mean()), bias=("pe", "mean"), n=("pe", "size"),
                areas=("area", "nunique")).reset_index()
    cov = e[e["p05"].notna()].groupby(["level", "lead", "method"])["inside"].mean() * 100
    out = out.merge(cov.rename("coverage_p05_p95").reset_index(), how="left",
                    on=["level", "lead", "method"])
    order = {lv: i for i, lv in enumerate(LEVELS)}
    out = out.sort_values(["level", "lead", "method"], key=lambda s: s.map(order)
                          if s.name == "level" else s, kind="stable").reset_index(drop=True)
    return out.rename(columns={"lead": "horizon"})  # years ahead, as in backtest.csv


def error_correlation(bt: pd.DataFrame, lead: int = 1) -> pd.DataFrame:
    """Correlation between levels of the method's log errors log(actual/forecast) at
    ``lead`` (pairwise complete; a pair with fewer than 10 joint forecasts gets 0), made
    positive definite by clipping eigenvalues and rescaling to a unit diagonal."""
    b = bt[(bt["method"] == "cohort_flow") & (bt["lead"] == lead)]
    b = b.assign(le=np.log(b["actual"] / b["forecast"]))
    w = b.pivot_table(index=["area", "origin"], columns="level", values="le")
    w = w.reindex(columns=list(LEVELS))
    r = w.corr(min_periods=10).fillna(0.0).to_numpy().copy()
    np.fill_diagonal(r, 1.0)
    vals, vecs = np.linalg.eigh((r + r.T) / 2)
    r = vecs @ np.diag(np.clip(vals, 1e-3, None)) @ vecs.T
    d = np.sqrt(np.diag(r))
    r = r / d[:, None] / d[None, :]
    return pd.DataFrame(r, index=pd.Index(LEVELS, name="level"), columns=list(LEVELS))
