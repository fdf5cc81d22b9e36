"""General and vocational senior in the grade flow's honest back-test, so that their band is
learned the way primary's and junior's is (``validation.flow_band``).

The panel has the provinces' senior enrolment 2000–2019, but senior cohorts need births 18
years back: with births from 1997 (``provinces_1995_1999.csv``) the first senior origin is
2015, so the in-sample outturns reach lead 4 at most and a band known at the origin exists
from 2016 on. The method is the same flow as ``gradeflow_method.grade_flow`` (the ratio
drift refitted at every origin on the other areas, ``honest_ratio_table``; the chain from
grade 1, so grade 10 is fed by the flow's own grade 9), run for every school level and
scored on the senior ones:

- first pass ``grade_flow`` (band-free; its rows join primary's and junior's, so
  ``flow_band.residuals`` reads senior residuals the same way);
- second pass ``grade_flow_band``: the band table fitted at each origin on the first pass's
  residuals known then (``flow_band.band_known_at``), applied by ``band_multiplier`` with
  the normals the published run uses for these levels (``montecarlo.banded_levels`` order).

The panel's vocational in-flow (``projection.vocational_inflow_share``) is not modelled here
(none is published for the provinces): vocational grade 10 is junior graduates × the drifted
transition, as in ``area_run.flow_area``. Preschool stays out: the flow's preschool is a
participation drift, not a cohort flow the panel's per-100,000 figures can test year by year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..params import ForecastParams, RunParams
from ..projection.area_run import flow_area
from ..projection.conformal_band import band_multiplier, band_normals, band_rho
from .gradeflow_method import DRAWS, SEED, honest_ratio_table
from .harness import FORECAST_COLUMNS, Method

SENIOR_LEVELS = ("senior_general", "senior_vocational")
FLOW_LEVELS = ("primary", "junior_secondary") + SENIOR_LEVELS
BAND_ORDER = FLOW_LEVELS  # the published run's normals (montecarlo.banded_levels)


def _forecast(area, history, origin: int, leads, band: pd.DataFrame | None = None
              ) -> pd.DataFrame:
    horizon = origin + max(leads)
    births, fby = area.births_until(horizon)
    rp = RunParams(forecast=ForecastParams(base_year=origin, horizon=horizon, draws=DRAWS,
                                           seed=SEED * 10_000 + origin))
    table = honest_ratio_table(history)
    try:
        out = flow_area(births, fby, area.enrolment, area.intake, origin, horizon, table, rp,
                        FLOW_LEVELS, "panel")
    except ValueError:  # births do not reach back to grade 12's cohort
        return pd.DataFrame(columns=FORECAST_COLUMNS)
    years = np.arange(origin, horizon + 1)
    want = np.isin(years, origin + np.asarray(leads))
    z = band_normals(rp.forecast.seed, DRAWS, len(BAND_ORDER),
                     0.0 if band is None else band_rho(band))
    parts = []
    for lv in SENIOR_LEVELS:
        d = out.get(lv)
        if d is None or not np.isfinite(d).all():
            continue
        if band is not None:
            d = d * band_multiplier(d, years - origin, band, lv, z[:, BAND_ORDER.index(lv)])
        d = d[:, want]
        q = np.quantile(d, [0.05, 0.5, 0.95], axis=0)
        if table.empty or (band is not None and not (band["level"] == lv).any()):
            q[0], q[2] = np.nan, np.nan  # nothing calibrated it: no band, not a narrow one
        parts.append(pd.DataFrame({"level": lv, "year": years[want], "p05": q[0],
                                   "p50": q[1], "p95": q[2]}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=FORECAST_COLUMNS)


def senior_flow(area, history, origin, leads, info):
    return _forecast(area, history, origin, leads)


SENIOR_FLOW = (Method("grade_flow", senior_flow),)


def senior_banded(first_pass: pd.DataFrame) -> tuple[Method, ...]:
    """``grade_flow_band`` for the senior levels, its band learned at each origin from
    ``first_pass``'s (every ``grade_flow`` row) residuals known then."""
    from .flow_band import band_known_at, residuals

    resid = residuals(first_pass)
    resid = resid[resid["level"].isin(SENIOR_LEVELS)]
    cache: dict = {}

    def grade_flow_band(area, history, origin, leads, info):
        key = (tuple(sorted(history.areas)), origin, info)
        if key not in cache:
            cache[key] = band_known_at(resid, key[0], origin, info)
        return _forecast(area, history, origin, leads, band=cache[key])

    return (Method("grade_flow_band", grade_flow_band),)


def senior_rows(panel, workers: int = 1, progress=None) -> pd.DataFrame:
    """Both passes of the senior back-test (``harness.COLUMNS`` rows, methods ``grade_flow``
    and ``grade_flow_band``, levels SENIOR_LEVELS). Kept apart from primary's and junior's
    rows so that the calibration-set choice and their accuracy tables are as they were."""
    from .harness import backtest

    first = backtest(SENIOR_FLOW, panel, levels=SENIOR_LEVELS, workers=workers)
    second = backtest(senior_banded(first), panel, levels=SENIOR_LEVELS, workers=workers)
    if progress:
        progress(f"[validate] senior levels, both passes: {len(first)} forecasts")
    return pd.concat([first, second], ignore_index=True)
