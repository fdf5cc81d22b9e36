"""The grade-by-grade flow (``projection.area_run.flow_area``) as harness methods: its ratio
drift is fitted at every origin on the harness's history only (other areas, samples whose
outturn was known then; ``projection.ratio_drift``), so the test is honest in time.

- ``grade_flow`` — the flow with the default drift centre, exactly as the published run
  (``projection.drift_choice`` = ``combined``: ``projection.drift_weight`` = ½ of the panel's
  median drift, a combination weight fixed a priori, not fitted on this back-test);
- ``grade_flow_nodrift`` — the same flow with the ratios held (the structural choice
  "no drift"; same spread);
- ``grade_flow_panel`` — the same flow with the whole panel median drift (the structural
  choice "panel"), so the table shows the default beside both forecasts it combines;
- ``grade_flow_band`` (``banded_methods``, a second pass) — ``grade_flow`` with the
  calibrated band of ``projection.conformal_band``, its table fitted at each origin T on
  the first pass's residuals known at T (``validation.flow_band.band_known_at``) at the
  adaptive miss levels of ``validation.adaptive_band``. Under both information sets the
  table is the one learned under Qingyuan-like information (``BAND_INFO``), because that is
  the only table the project publishes: the Qingyuan run and ``qyedu forecast --area-data``
  apply it to every area, with or without published intakes, so the bureau-like rows score
  the band a user of the command gets.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from ..params import ForecastParams, RunParams
from ..projection.area_run import flow_area
from ..projection.conformal_band import band_multiplier, band_normals, band_rho
from ..projection.ratio_drift import (
    COLUMNS,
    drift_samples,
    fit_ratio_drift,
    ratio_series_wide,
)
from .harness import FORECAST_COLUMNS, TEST_LEVELS, AreaView, History, Method

DRAWS = 500
SEED = 1
BAND_INFO = "qingyuan_like"  # the information set of the published band table (docstring)


_VIEWS: dict = {}


@functools.lru_cache(maxsize=4096)
def _samples(area: str, origin: int) -> pd.DataFrame:
    v = _VIEWS[(area, origin)]
    return drift_samples(ratio_series_wide(v.enrolment, v.intake, v.graduates, v.births)
                         .assign(area=area))


@functools.lru_cache(maxsize=1024)
def _table(origin: int, areas: tuple[str, ...]) -> pd.DataFrame:
    parts = [_samples(a, origin) for a in areas]
    if not parts:  # China: its provinces never calibrate it, and nothing else does
        return pd.DataFrame(columns=COLUMNS)
    return fit_ratio_drift(pd.concat(parts, ignore_index=True), as_of=origin)


def honest_ratio_table(history: History) -> pd.DataFrame:
    """The ratio drift fitted on ``history``'s areas as of its origin (cached per origin and
    set of areas)."""
    for a, v in history.views.items():
        _VIEWS[(a, history.origin)] = v
    return _table(history.origin, tuple(sorted(history.areas)))


def _forecast(area: AreaView, history: History, origin: int, leads, info: str,
              choice: str | None, band: pd.DataFrame | None = None,
              tries=(TEST_LEVELS, TEST_LEVELS[:1]), scored=None,
              band_order=TEST_LEVELS) -> pd.DataFrame:
    """Quantiles of the flow (``flow_area``) at origin + ``leads``; ``choice`` None = the
    published default (``projection.drift_choice``, ``projection.drift_weight``). The flow
    runs the first level set of ``tries`` the area's births reach back for; the levels in
    ``scored`` (all if None) are returned, each banded with its column of the band normals
    (``band_order``, the published run's order)."""
    horizon = origin + max(leads)
    births, fby = area.births_until(horizon)
    rp = RunParams(forecast=ForecastParams(base_year=origin, horizon=horizon, draws=DRAWS,
                                           seed=SEED * 10_000 + origin))
    table = honest_ratio_table(history)
    out = {}
    for levels in tries:  # junior (senior) needs births 3 (6) years further back
        try:
            out = flow_area(births, fby, area.enrolment, area.intake, origin, horizon, table,
                            rp, levels, choice)
            break
        except ValueError:  # births do not reach back to the oldest grade's cohort
            continue
    years = np.arange(origin, horizon + 1)
    want = np.isin(years, origin + np.asarray(leads))
    z = band_normals(rp.forecast.seed, DRAWS, len(band_order),
                     0.0 if band is None else band_rho(band))
    parts = []
    for lv, d in out.items():
        if scored is not None and lv not in scored:
            continue
        if band is not None and np.isfinite(d).all():
            d = d * band_multiplier(d, years - origin, band, lv, z[:, band_order.index(lv)])
        d = d[:, want]
        if not np.isfinite(d).all():
            continue
        q = np.quantile(d, [0.05, 0.5, 0.95], axis=0)
        if table.empty or (band is not None and not (band["level"] == lv).any()):
            # nothing calibrated the drift or the band: no band (not a too-narrow one)
            q[0], q[2] = np.nan, np.nan
        parts.append(pd.DataFrame({"level": lv, "year": years[want], "p05": q[0], "p50": q[1],
                                   "p95": q[2]}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=FORECAST_COLUMNS)


def grade_flow(area, history, origin, leads, info):
    return _forecast(area, history, origin, leads, info, None)


def grade_flow_nodrift(area, history, origin, leads, info):
    return _forecast(area, history, origin, leads, info, "none")


def grade_flow_panel(area, history, origin, leads, info):
    return _forecast(area, history, origin, leads, info, "panel")


GRADE_FLOW = (Method("grade_flow", grade_flow), Method("grade_flow_nodrift", grade_flow_nodrift),
              Method("grade_flow_panel", grade_flow_panel))


def banded_methods(first_pass: pd.DataFrame, levels=None, bands=None, provinces=None,
                   **flow) -> tuple[Method, ...]:
    """``grade_flow_band``: the grade flow with the band learned, at each origin, from the
    first pass's (``first_pass``: back-test rows of ``grade_flow``) residuals of ``levels``
    (all if None) known then, at the adaptive miss levels of ``validation.adaptive_band``;
    ``flow`` as ``_forecast``'s (the senior back-test's levels); ``bands`` an
    ``AdaptiveBands`` of ``first_pass`` to reuse. The tables of ``provinces`` (the
    panel's; default those in ``first_pass``) are computed here, before the back-test's
    worker processes fork (a province the panel has but the first pass lacks would
    otherwise make every worker compute them again). Every information set's forecasts get
    the ``BAND_INFO`` table, the one the project publishes (module docstring)."""
    from .adaptive_band import AdaptiveBands

    bands = bands if bands is not None else AdaptiveBands(first_pass, levels, infos=(BAND_INFO,))
    if provinces is None:
        provinces = first_pass.loc[first_pass["kind"] == "province", "area"]
    provinces = sorted(set(provinces))
    if provinces:
        bands.table(provinces[0], provinces[1:], bands.origins[0], BAND_INFO)

    def grade_flow_band(area, history, origin, leads, info):
        band = bands.table(area.area, history.areas, origin, BAND_INFO)
        return _forecast(area, history, origin, leads, info, None, band=band, **flow)
    return (Method("grade_flow_band", grade_flow_band),)
