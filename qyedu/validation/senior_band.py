"""General and vocational senior in the grade flow's honest back-test, so that their band is
learned the way primary's and junior's is (``validation.flow_band``).

The panel has the provinces' senior enrolment 2000–2019, but senior cohorts need births 18
years back: with births from 1997 (``provinces_1995_1999.csv``) the first senior origin is
2015, so the in-sample outturns reach lead 4 at most and a band known at the origin exists
from 2016 on. The method is ``gradeflow_method.grade_flow`` itself (the published drift default, the
ratio drift refitted at every origin on the other areas; the chain from grade 1, so grade 10
is fed by the flow's own grade 9), run for every school level and scored on the senior ones:

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

import functools

import pandas as pd

from .gradeflow_method import BAND_INFO, _forecast, banded_methods
from .harness import Method

SENIOR_LEVELS = ("senior_general", "senior_vocational")
FLOW_LEVELS = ("primary", "junior_secondary") + SENIOR_LEVELS
BAND_ORDER = FLOW_LEVELS  # the published run's normals (montecarlo.banded_levels)
_FLOW = {"tries": (FLOW_LEVELS,), "scored": SENIOR_LEVELS, "band_order": BAND_ORDER}


def senior_flow(area, history, origin, leads, info):
    return _forecast(area, history, origin, leads, info, None, **_FLOW)


SENIOR_FLOW = (Method("grade_flow", senior_flow),)
senior_banded = functools.partial(banded_methods, levels=SENIOR_LEVELS, **_FLOW)


def senior_rows(panel, workers: int = 1, progress=None):
    """Both passes of the senior back-test (``harness.COLUMNS`` rows, methods ``grade_flow``
    and ``grade_flow_band``, levels SENIOR_LEVELS), and the ``AdaptiveBands`` of the second
    (its steps give the published table's senior α). Kept apart from primary's and junior's
    rows so that the calibration-set choice and their accuracy tables are as they were."""
    from .adaptive_band import AdaptiveBands
    from .harness import backtest

    first = backtest(SENIOR_FLOW, panel, levels=SENIOR_LEVELS, workers=workers)
    bands = AdaptiveBands(first, SENIOR_LEVELS, workers=workers, infos=(BAND_INFO,))
    provinces = [p.area for p in panel if p.kind == "province"]
    second = backtest(senior_banded(first, bands=bands, provinces=provinces), panel,
                      levels=SENIOR_LEVELS, workers=workers)
    if progress:
        progress(f"[validate] senior levels, both passes: {len(first)} forecasts")
    return pd.concat([first, second], ignore_index=True), bands
