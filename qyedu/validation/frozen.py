"""The calibration Qingyuan's own check runs with, frozen before its outturns are looked at.

Qingyuan's check (``projection.outturn_backtest``) runs the model as of 2015 and as of 2020
against the city's later enrolment (preschool 2020, the 2022–23 cross-section). Its drift
and band must not be chosen after seeing those outturns (the earlier "8 of 9 in band" came
from adding a prior spread after they were seen). Here both are fixed by a rule stated in
advance and computed from the validation panel only, honest in time:

- the drift calibration (``drift.fit_drift``: α, β, residual percentiles) on the provinces'
  factor-drift samples with origin + lead ≤ min(T, 2019) — the calibration set chosen by the
  panel back-test (``honest.choose_calibration_set``), never Qingyuan;
- the prior spread (``prior_spread.prior_spread``: provinces against China) on factors of
  years ≤ min(T, 2019).

Written by ``qyedu validate`` to ``params/calibration/frozen/flow_drift_asof{T}.csv`` and
``prior_spread_asof{T}.csv`` (provenance header); the check reads them by path. A level the
panel could not calibrate by T (senior as of 2015: its cohorts need births 18 years back)
has no drift row: the check then holds its factor (no drift band), and says so.
"""

from __future__ import annotations

import pandas as pd

from .drift import MAX_LEAD, MIN_AREAS, drift_samples, fit_drift
from .harness import LAST_IN_SAMPLE, MUNICIPALITIES, PanelArea, _factor_table
from .prior_spread import prior_spread

ORIGINS = (2015, 2020)
FROZEN_DIR = "params/calibration/frozen"


def frozen_paths(origin: int) -> tuple[str, str]:
    """(drift calibration, prior spread) paths of the as-of-``origin`` check."""
    return (f"{FROZEN_DIR}/flow_drift_asof{origin}.csv",
            f"{FROZEN_DIR}/prior_spread_asof{origin}.csv")


def frozen_calibration(panel: tuple[PanelArea, ...], origin: int,
                       calibration_set: str = "all") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(drift calibration, prior spread) known at ``origin`` (module docstring)."""
    last = min(origin, LAST_IN_SAMPLE)
    f = _factor_table(panel)
    f = f[f["year"] <= last]
    prov = [p.area for p in panel if p.kind == "province"
            and not (calibration_set == "no_municipalities" and p.area in MUNICIPALITIES)]
    s = drift_samples(f[f["area"].isin(prov)])
    s = s[s["origin"] + s["lead"] <= last]
    cal = fit_drift(s, min_areas=MIN_AREAS, max_lead=MAX_LEAD)
    national = [p.area for p in panel if p.kind == "national"]
    spread = prior_spread(f[f["area"].isin(prov + national)], parent=national[0])
    return cal, spread


def write_frozen(panel, calibration_set: str, head: str) -> list:
    """Write both files for every origin of ORIGINS; return the paths."""
    from .calibrate import write_with_header
    out = []
    for o in ORIGINS:
        cal, spread = frozen_calibration(panel, o, calibration_set)
        dpath, spath = frozen_paths(o)
        h = head + (f"# frozen for Qingyuan's as-of-{o} check: panel samples with origin + "
                    f"lead <= {min(o, LAST_IN_SAMPLE)}, provinces ({calibration_set}); no "
                    f"Qingyuan outturn read\n")
        out.append(write_with_header(cal, dpath, h))
        out.append(write_with_header(spread, spath, h))
    return out
