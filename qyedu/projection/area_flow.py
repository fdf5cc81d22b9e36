"""The grade-by-grade flow for any area given as an area table (``qyedu forecast
--area-data``): the method the honest back-test scores (``area_run.flow_area``), with the
published ratio drift (``projection.ratio_drift_file``) and band (``projection.band_file``),
so an area checked against its own later outturns is forecast the way the back-test's
coverage describes.

The flow starts from the area's latest year ≤ the base year with a primary total (its
origin), splits each level's total into grades (by the published intakes of its grades when
the file has them — bureau-like information — else by the cohort sizes and the retention
prior) and carries the pupils already at school up the grades. It projects the longest
chain the file allows: primary, junior, general and vocational senior (junior needs
primary's total at the origin, senior junior's; a level needs the births of its oldest
grade's cohort). Preschool — a participation drift in the published run too — and any
level the flow cannot start keep the pupils-per-birth factor projection
(``area_run.project_area``); ``project_area_flow`` says which method each level used.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..labels import LEVELS
from ..observed.area import AreaData
from .area_run import flow_area, project_area
from .conformal_band import band_multiplier, band_normals, band_rho, load_band
from .ratio_drift import load_ratio_drift
from .result import ProjectionResult

CHAIN_LEVELS = ("primary", "junior_secondary", "senior_general", "senior_vocational")
FLOW = "grade flow"
FACTOR = "pupils-per-birth factor"


def _wide(t: pd.DataFrame) -> pd.DataFrame:
    """year × level (persons) of a long area table (year, level, value)."""
    if t.empty:
        return pd.DataFrame()
    return t.pivot_table(index="year", columns="level", values="value", aggfunc="last")


def flow_origin(enrolment: pd.DataFrame, base_year: int) -> int | None:
    """The latest year ≤ ``base_year`` with a primary total (None without one)."""
    if "primary" not in enrolment:
        return None
    years = enrolment["primary"].dropna().index
    years = years[years <= base_year]
    return int(years.max()) if len(years) else None


def chain_levels(enrolment: pd.DataFrame, origin: int) -> tuple[str, ...]:
    """The levels of CHAIN_LEVELS the flow can start at ``origin``: primary, then junior if
    its total is known, then the senior levels if junior's is (either senior level's)."""
    have = {lv for lv in CHAIN_LEVELS
            if lv in enrolment and np.isfinite(enrolment[lv].get(origin, np.nan))}
    out = []
    for lv in CHAIN_LEVELS[:2]:
        if lv not in have:
            return tuple(out)
        out.append(lv)
    return tuple(out) + (CHAIN_LEVELS[2:] if have & set(CHAIN_LEVELS[2:]) else ())


def project_area_flow(data: AreaData, rp) -> tuple[ProjectionResult, dict[str, str]]:
    """``project_area``'s result with the levels the grade flow can project replaced by the
    flow's draws (banded as the published run's), and {level: method} for every level with
    draws (module docstring)."""
    from .montecarlo import as_run_params, banded_levels

    rp = as_run_params(rp)
    fp = rp.forecast
    base = project_area(data, rp)
    methods = {lv: FACTOR for i, lv in enumerate(base.levels)
               if np.isfinite(base.enrolled[:, :, i, :]).any()}
    d = data.as_of(fp.base_year)
    enrolment, intake = _wide(d.enrolment), _wide(d.intake)
    origin = flow_origin(enrolment, fp.base_year)
    if origin is None:
        return base, methods
    levels = chain_levels(enrolment, origin)
    fby = int(base.births_years[0])
    out: dict[str, np.ndarray] = {}
    ratio = load_ratio_drift(rp.projection.ratio_drift_file)
    for k in range(len(levels), 0, -1):  # the longest chain whose cohorts' births are known
        try:
            out = flow_area(base.births, fby, enrolment, intake, origin, fp.horizon, ratio, rp,
                            levels[:k])
            break
        except ValueError:
            continue
    years = np.arange(origin, fp.horizon + 1)
    keep = years >= int(base.years[0])
    band = load_band(rp.projection.band_file)
    order = banded_levels(band)
    z = band_normals(fp.seed, base.enrolled.shape[0], len(order), band_rho(band))
    enrolled = base.enrolled.copy()
    for lv, draws in out.items():
        if not np.isfinite(draws).all():
            continue
        if lv in order:
            draws = draws * band_multiplier(draws, years - origin, band, lv,
                                            z[:, order.index(lv)])
        enrolled[:, :, LEVELS.index(lv), 0] = draws[:, keep]
        methods[lv] = FLOW
    return dataclasses.replace(base, enrolled=enrolled), methods


def area_forecast_table(result: ProjectionResult, name: str) -> pd.DataFrame:
    """The tidy table ``qyedu forecast --area-data`` writes for an area run (``result`` of
    ``project_area_flow``): the levels with draws, ``county`` = the area's name."""
    from ..labels import CITY
    from .tables import forecast_table

    table = forecast_table(result).dropna(subset=["p50"])
    births = table["quantity"] == "births"
    table = table[births | (table["county"] != CITY)].assign(births_method="area data")
    table.loc[births, "county"] = name
    return table.reset_index(drop=True)
