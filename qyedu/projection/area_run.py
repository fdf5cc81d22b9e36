"""The projection for any area given as an area table (``qyedu.observed.area``).

Vintage: only observations up to the base year are used. Births up to the base year are
the area's (published or derived); later births follow the named path from a smoothed base
(``births.base_smoothing_years``), with the per-draw deviation ``births.annual_change_sd``.
Each level's factor is taken at its latest observation (``flow``), then moves by the drift
learned on the panel (``drift``). The result has one "county", the area itself; the age-group
population is the cut-off-weighted births of the level's ages (no mortality or migration
information is assumed for an arbitrary area).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..births.future import future_births, load_paths
from ..errors import InputError
from ..labels import LEVELS
from ..observed.area import AreaData
from .drift import (
    REFERENCE,
    correlated_normals,
    drift_multiplier,
    load_calibration,
    load_correlation,
)
from .flow import cohort_births, oldest_birth_offset
from .result import ProjectionResult


def smoothed_base(births: np.ndarray, k: int) -> np.ndarray:
    """Mean of the last ``k`` years of births (axis −1): the base the future path starts
    from, so a single spike year (a dragon year) does not set the level of every path."""
    b = np.asarray(births, dtype=float)
    return b[..., -k:].mean(axis=-1)


def births_with_future(past: np.ndarray, n_future: int, rp, rng, n: int) -> np.ndarray:
    """Births draws (n, B + n_future): ``past`` (B,) repeated, then the scenario's path from
    the smoothed base (the base is the mean of the last k years, placed at the base year)."""
    path = load_paths(rp.births.paths_file or None).get(rp.forecast.scenario)
    base = np.full(n, smoothed_base(past, rp.projection.births_base_years))
    fut = future_births(base, n_future, path, rp.births.annual_change_sd, rng) if n_future \
        else np.zeros((n, 0))
    return np.concatenate([np.broadcast_to(past, (n, len(past))), fut], axis=1)


def level_factors(data: AreaData, births: np.ndarray, fby: int) -> pd.DataFrame:
    """Latest factor of each level: level, year, enrolment, cohort_births, factor."""
    rows = []
    for lv, g in data.enrolment.groupby("level"):
        g = g.sort_values("year")
        for r in g.iloc[::-1].itertuples(index=False):
            try:
                c = float(cohort_births(births, fby, [r.year], lv)[0, 0])
            except ValueError:
                continue
            if c > 0:
                rows.append({"level": lv, "year": int(r.year), "enrolment": float(r.value),
                             "cohort_births": c, "factor": r.value / c,
                             "source_line": int(r.source_line)})
            break
    return pd.DataFrame(rows, columns=["level", "year", "enrolment", "cohort_births", "factor",
                                       "source_line"])


def project_area(data: AreaData, rp, calibration: pd.DataFrame | None = None,
                 correlation: np.ndarray | None = None) -> ProjectionResult:
    """Project ``data`` (an area's inputs) for the run parameters ``rp`` (base year, horizon,
    draws, seed, scenario); school years base_year … horizon. A level with no usable
    observation up to the base year has NaN draws. ``calibration`` and ``correlation``
    default to the files named in ``rp.projection``."""
    from .montecarlo import as_run_params

    rp = as_run_params(rp)
    fp = rp.forecast
    cal = load_calibration(rp.projection.calibration_file) if calibration is None else calibration
    d = data.as_of(fp.base_year)
    b = d.births.sort_index()
    if b.empty:
        raise InputError(f"area {data.area!r} has no births up to base year {fp.base_year}",
                         data.path)
    full = np.arange(int(b.index.min()), int(b.index.max()) + 1)
    b = b.reindex(full)
    if b.isna().any():  # keep the last gap-free stretch
        start = int(b[b.isna()].index.max()) + 1
        b = b[b.index >= start]
    fby, past = int(b.index.min()), b.to_numpy(dtype=float)
    rng = np.random.default_rng(fp.seed)
    n = fp.draws
    n_future = max(fp.horizon - int(b.index.max()), 0)
    births = births_with_future(past, n_future, rp, rng, n)
    years = np.arange(fp.base_year, fp.horizon + 1)
    fac = level_factors(d, past, fby).set_index("level")
    if fac.empty:
        raise InputError(f"area {data.area!r}: no enrolment observation up to base year "
                         f"{fp.base_year} whose cohorts' births are known", data.path)
    if correlation is None:
        correlation = load_correlation(rp.projection.correlation_file)
    z = correlated_normals(rng, n, correlation)
    logf = np.log(fac["factor"])
    last = np.array([fac["year"].get(lv, fp.base_year) for lv in LEVELS])
    x = np.array([logf.get(lv, np.nan) - logf.get(REFERENCE.get(lv), np.nan) for lv in LEVELS])
    mult = drift_multiplier(years, last, np.broadcast_to(x, (n, len(LEVELS))), cal, z)
    cb = np.full((n, len(years), len(LEVELS)), np.nan)
    f0 = np.full(len(LEVELS), np.nan)
    for i, lv in enumerate(LEVELS):
        if lv in fac.index and years[0] - oldest_birth_offset(lv) >= fby:
            cb[:, :, i] = cohort_births(births, fby, years, lv)
            f0[i] = fac.loc[lv, "factor"]
    enrolled = f0[None, None, :] * mult * cb
    v = rp.projection.vocational_inflow_share
    if v > 0 and "senior_vocational" in fac.index:
        k = LEVELS.index("senior_vocational")
        enrolled[:, :, k] = (1 - v) * enrolled[:, :, k] + v * fac.loc["senior_vocational",
                                                                      "enrolment"]
    pop = np.full_like(cb, np.nan)
    for i, lv in enumerate(LEVELS):
        if years[0] - oldest_birth_offset(lv) >= fby:
            pop[:, :, i] = cohort_births(births, fby, years, lv)
    observed = fac.reset_index().assign(area=data.area, how="latest observation <= base year")
    return ProjectionResult(
        scenario=fp.scenario, years=years, counties=(data.area,),
        enrolled=enrolled[..., None], population_age_group=pop[..., None],
        births_years=np.arange(fby, fby + births.shape[1]), births=births,
        observed=observed, base_year=fp.base_year, births_method="area data",
        births_kind=np.concatenate([np.full(len(past), "observed"),
                                    np.full(n_future, "projected")]))
