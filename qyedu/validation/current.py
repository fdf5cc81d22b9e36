"""Today's production method (``projection.area_run.project_area``: factors at the latest
cross-section, drift learned on the panel, Monte Carlo band) as harness methods, so the
before/after of issue 18 is measured on the same harness.

- ``current_honest`` — the drift calibration refitted at every origin on the harness's
  training history only (``validation.drift.fit_drift`` on ``History.samples``: other areas,
  origin + lead ≤ T; China and the provinces apart). Honest in time. Where the history has
  fewer than ``drift.MIN_AREAS`` areas for a cell (early origins, long leads, China, whose
  only history would be the provinces), that cell is not fitted: the level falls back to
  the calibration's last fitted lead, or (no row for the level at all) to no drift and **no
  band** (p05/p95 NaN: such forecasts are left out of the coverage, not counted as misses).
- ``current_committed`` — with today's committed calibration
  (``params/calibration/flow_drift.csv``), fitted on every area across all years, so the
  test area's own future and everyone's later years are in it: **not honest in time**
  (``honest = False``), reported only to show what that does to the errors.

Both use 500 draws (``DRAWS``), independent levels and births held after the origin (the
panel scenario ``high``), as the old back-test did.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..labels import LEVELS
from ..params import ForecastParams, RunParams
from ..projection.area_run import project_area
from ..projection.drift import load_calibration
from .backtest import EMPTY_CAL, INDEPENDENT, PANEL_SCENARIO
from .drift import MAX_LEAD, MIN_AREAS, fit_drift
from .harness import FORECAST_COLUMNS, TEST_LEVELS, AreaView, History, Method

DRAWS = 500
SEED = 1


def _run(area: AreaView, origin: int, leads, cal: pd.DataFrame,
         levels=TEST_LEVELS) -> pd.DataFrame:
    horizon = origin + max(leads)
    rp = RunParams(forecast=ForecastParams(base_year=origin, horizon=horizon, draws=DRAWS,
                                           seed=SEED * 10_000 + origin,
                                           scenario=PANEL_SCENARIO))
    res = project_area(area.to_area_data(levels), rp, cal[cal["level"].isin(levels)],
                       INDEPENDENT)
    years = np.asarray(res.years)
    want = np.isin(years, origin + np.asarray(leads))
    parts = []
    for lv in levels:
        li = LEVELS.index(lv)
        d = res.enrolled[:, want, li, 0]
        if not np.isfinite(d).all():
            continue
        q = np.quantile(d, [0.05, 0.5, 0.95], axis=0)
        if not (cal["level"] == lv).any():  # nothing learned: a point, not a band
            q[0], q[2] = np.nan, np.nan
        parts.append(pd.DataFrame({"level": lv, "year": years[want], "p05": q[0], "p50": q[1],
                                   "p95": q[2]}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=FORECAST_COLUMNS)


def honest_calibration(history: History, levels=TEST_LEVELS) -> pd.DataFrame:
    """The drift calibration fitted on ``history``'s samples only (levels ``levels``)."""
    s = history.samples
    s = s[s["level"].isin(levels)]
    if s.empty:
        return EMPTY_CAL
    return fit_drift(s, min_areas=MIN_AREAS, max_lead=MAX_LEAD)


def current_honest(area: AreaView, history: History, origin: int, leads, info: str
                   ) -> pd.DataFrame:
    return _run(area, origin, leads, honest_calibration(history))


def current_committed(area: AreaView, history: History, origin: int, leads, info: str
                      ) -> pd.DataFrame:
    return _run(area, origin, leads, load_calibration())


CURRENT = (
    Method("current_honest", current_honest, infos=("qingyuan_like",)),
    Method("current_committed", current_committed, infos=("qingyuan_like",), honest=False),
)
