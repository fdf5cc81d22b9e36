"""Back-tests on the real points that allow one (results go to backtest.csv).

1. Guangdong annual births (published and derived points, ``births.guangdong``), origins
   2015–2023, horizons 1–5: the three births paths of params/births_paths.yaml against
   carry-forward and linear trend.
2. Qingyuan enrolment: the full model run as of 2015 and as of 2020 (vintage rule:
   observation year ≤ base year) against every later observed point (preschool 2020,
   the 2022–23 cross-section); the median is the forecast, p05/p95 are reported.
   Carry-forward is reported where an earlier point of the same level exists (preschool);
   a linear trend needs two earlier points, which no level has.

   **Frozen**: each vintage runs with the drift calibration and prior spread of
   ``params/calibration/frozen/*_asof{origin}.csv`` (``frozen_files``: drift, prior spread and
   the grade flow's band), fitted by
   ``qyedu validate`` on the validation panel's samples known at the origin, by a rule fixed
   before Qingyuan's outturns were read (``qyedu.validation.frozen``). No band is set or
   widened from these outturns; the result is reported whatever it is (``note`` says so).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..births.future import load_paths
from ..births.guangdong import anchor_points
from ..observed.enrolment import enrollment_points
from ..observed.points import population_points
from .backtest import carry_forward, constant_growth, linear_trend, rolling_origin
from .result import CITY, LEVELS

ORIGINS_GD = range(2015, 2024)
ORIGINS_QY = (2015, 2020)
FROZEN_DIR = "params/calibration/frozen"  # written by `qyedu validate` (validation.frozen)


def frozen_files(origin: int) -> dict[str, str]:
    """The projection parameters that point the as-of-``origin`` run at its frozen
    calibration (drift and prior spread fixed without Qingyuan's outturns)."""
    return {"calibration_file": f"{FROZEN_DIR}/flow_drift_asof{origin}.csv",
            "prior_spread_file": f"{FROZEN_DIR}/prior_spread_asof{origin}.csv",
            "band_file": f"{FROZEN_DIR}/flow_band_asof{origin}.csv"}


def guangdong_births_backtest(births_paths_file=None) -> pd.DataFrame:
    """Rolling-origin APE of the births paths and baselines on Guangdong births."""
    pts = anchor_points(population_points())
    bp = load_paths(births_paths_file)
    methods = {"carry_forward": carry_forward, "linear_trend": linear_trend}
    methods |= {f"path_{k}": constant_growth(p.annual_change) for k, p in bp.paths.items()}
    out = rolling_origin(pts["year"], pts["value"], methods, ORIGINS_GD, 5,
                         series="guangdong_births")
    out["note"] = "Guangdong births: published counts, 2015/2017 derived (see births.guangdong)"
    return out


def _observed_all(preschool: pd.DataFrame) -> pd.DataFrame:
    enr = enrollment_points()[["year", "level", "value"]]
    pre = preschool
    pre = pre[pre["indicator_id"] == "preschool_enrolled"].assign(level="preschool")
    return pd.concat([enr, pre[["year", "level", "value"]]], ignore_index=True)


def enrolment_backtest(rp, preschool: pd.DataFrame, draws: int = 500, run=None) -> pd.DataFrame:
    """As-of-origin model runs against later observed enrolment (pupils); ``rp`` is the
    run's RunParams (only the forecast section's base year, horizon and draws change)."""
    from .montecarlo import as_run_params
    from .montecarlo import run as default_run

    run = run or default_run
    rp = as_run_params(rp)
    fp = rp.forecast
    obs = _observed_all(preschool)
    rows = []
    for o in ORIGINS_QY:
        later = obs[obs["year"] > o]
        if later.empty:
            continue
        p = rp.model_copy(update={
            "forecast": fp.model_copy(update={
                "base_year": o, "draws": min(fp.draws, draws),
                "horizon": max(fp.horizon, int(later["year"].max()))}),
            "projection": rp.projection.model_copy(update=frozen_files(o))})
        res = run(p, preschool=preschool)
        city = res.city("enrolled")
        for r in later.itertuples():
            d = city[:, list(res.years).index(r.year), LEVELS.index(r.level)]
            q05, q50, q95 = np.quantile(d, [0.05, 0.5, 0.95])
            base = {"series": f"qingyuan_{r.level}", "origin": o, "horizon": r.year - o,
                    "target_year": r.year, "actual": r.value}
            rows.append(base | {"method": f"cohort_model_{fp.scenario}", "forecast": q50,
                                "forecast_p05": q05, "forecast_p95": q95})
            prev = obs[(obs["level"] == r.level) & (obs["year"] <= o)].sort_values("year")
            if len(prev):
                rows.append(base | {"method": "carry_forward", "forecast": prev["value"].iloc[-1]})
    df = pd.DataFrame(rows)
    df["ape"] = (df["forecast"] - df["actual"]).abs() / df["actual"] * 100
    fp = rp.forecast
    df["note"] = (f"{CITY} enrolment; cohort model = p50 of {min(fp.draws, draws)} draws "
                  f"(births method {fp.births_method}) run as of the origin with the "
                  f"calibration frozen at the origin (panel only, no Qingyuan outturn); "
                  f"carry_forward = last earlier observation of the level")
    return df


def real_backtest(rp, preschool: pd.DataFrame, draws: int = 500) -> pd.DataFrame:
    """Both real-data back-tests in one tidy table (backtest.csv); ``preschool`` are the
    plan's preschool points (``observed.preschool_points``)."""
    from .montecarlo import as_run_params

    rp = as_run_params(rp)
    out = pd.concat([guangdong_births_backtest(rp.births.paths_file or None),
                     enrolment_backtest(rp, preschool, draws)],
                    ignore_index=True)
    cols = ["series", "origin", "horizon", "target_year", "method", "forecast", "forecast_p05",
            "forecast_p95", "actual", "ape", "note"]
    return out.reindex(columns=cols).sort_values(
        ["series", "method", "origin", "horizon"], kind="stable").reset_index(drop=True)
