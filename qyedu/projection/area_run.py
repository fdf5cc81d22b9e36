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


# -- the grade-by-grade flow for any area (issue 18; the panel back-test's method) ---------

COMPULSORY_LEVELS = ("primary", "junior_secondary")
ENTRY_RATIO_YEARS = 3  # bureau-like: the entry ratio is the mean of the last 3 years
OWN_CENTRE = "combined"  # the default drift choice, under which an own entry ratio keeps its
# centre; an explicit choice (none, panel, china_recent) moves every ratio


def _sub_chain(levels):
    from .gradeflow import CHAIN

    return tuple(st for st in CHAIN if st.level in levels)


def _intake_weights(intake: pd.DataFrame, origin: int, stages, level: str) -> np.ndarray | None:
    """Relative sizes of a level's grades at ``origin`` from its published intakes (grade k
    entered k − 1 years ago), or None where any of them is missing."""
    if level not in intake:
        return None
    ix = [i for i, s in enumerate(stages) if s.level == level]
    s = intake[level].reindex(range(origin - len(ix) + 1, origin + 1))[::-1].to_numpy(float)
    return s if np.isfinite(s).all() and (s > 0).all() else None


def flow_area(births, first_birth_year: int, enrolment: pd.DataFrame, intake: pd.DataFrame,
              origin: int, horizon: int, ratio_table: pd.DataFrame, rp,
              levels=COMPULSORY_LEVELS, choice: str | None = None) -> dict[str, np.ndarray]:
    """The grade-by-grade flow of an area from its enrolment at ``origin``: draws (D, Y) of
    each level in ``levels`` for school years origin … horizon.

    ``births`` persons (B,) from ``first_birth_year`` up to ``horizon`` (later years already
    filled by the caller's births forecast); ``enrolment`` and ``intake`` wide tables
    (year × projection level, persons), up to the origin. With only the origin's level
    totals (Qingyuan-like) each level is split by the cohort sizes and the retention prior
    (``projection.grade_retention_prior``/``_sd``); where intakes of the level's grades are
    published (bureau-like) the split follows them (grade k entered k − 1 years ago) and
    the entry ratio is the mean of the last ``ENTRY_RATIO_YEARS`` years' intake per age-6
    cohort, whose origin noise is then a third of one year's (``ratio_drift``). Ratios then
    drift as learned (``ratio_table``: ``ratio_drift.calibration_table`` or one fitted
    honestly in time), centred by ``choice`` (default ``projection.drift_choice`` with
    ``projection.drift_weight``, as the published run: ``montecarlo.ratio_drift_multipliers``),
    capped at ``projection.ger_cap``. Under the default, an entry ratio taken from the area's
    own intakes keeps its recent mean as the centre (the panel's spread, no panel centre), as
    intake survival and NCES do: the panel's entry drift stands in for an area that publishes
    no entry history, and is largely the 1999→2000 births-base break (docs/PROJECTION.md §0)."""
    from . import gradeflow as gf
    from .ratio_drift import centre_and_scale

    pp = rp.projection
    n = rp.forecast.draws
    stages = _sub_chain(levels)
    src = gf.source_index(stages)
    years = np.arange(origin, horizon + 1)
    b = np.broadcast_to(np.asarray(births, dtype=float), (n, np.shape(births)[-1]))
    coh = gf.stage_cohorts(b, first_birth_year, years, stages)
    tot = np.array([enrolment[lv].get(origin, np.nan) if lv in enrolment else np.nan
                    for lv in levels], dtype=float)
    grp = [gf.RETENTION_GROUP[lv] for lv in levels]
    gen = np.random.default_rng([rp.forecast.seed, 18])
    ret = np.array(pp.grade_retention_prior)[grp] + np.array(pp.grade_retention_sd)[grp] * \
        gen.standard_normal((n, len(levels)))
    w = gf.retention_weights(ret, levels, stages)
    entry_noise, own_entry = 0.0, False
    own = {}
    for li, lv in enumerate(levels):
        iw = _intake_weights(intake, origin, stages, lv)
        if iw is not None and np.isfinite(tot[li]):
            # published intakes: grade k is the intake of k − 1 years ago × ρ^(k−1), with the
            # area's own ρ that reproduces the level total
            own[lv] = own_retention(iw, tot[li])
            ix = [i for i, s in enumerate(stages) if s.level == lv]
            w[:, ix] = iw[None, :] * own[lv] ** np.arange(len(ix)) / coh[:, 0, ix]
    before = gf.split_levels(np.nan_to_num(tot)[None, None, :] * np.ones((n, 1, 1)),
                             coh[:, :1], w, levels, stages)
    g1 = [i for i, s in enumerate(stages) if s.name == "g1"]
    logm = np.zeros(coh.shape)
    phi0 = before[:, 0] / coh[:, 0]
    held = gf.flow_ratios(phi0, src)
    for lv, rho in own.items():  # in-level progression is ρ itself, not the ratio of the
        for i, st in enumerate(stages):  # cohorts' entry ratios the split carries
            if st.level == lv and src[i] >= 0 and stages[src[i]].level == lv:
                logm[:, :, i] += np.log(rho) - np.log(held[:, i])[:, None]
    if "junior_secondary" in own and "primary" in own:  # transition: grade 7 / grade 6 a
        i7 = [i for i, s in enumerate(stages) if s.name == "g7"][0]  # year earlier
        g6_prev = intake["primary"].get(origin - 6, np.nan) * own["primary"] ** 5
        if np.isfinite(g6_prev) and g6_prev > 0:
            logm[:, :, i7] += np.log(before[:, 0, i7] / g6_prev / held[:, i7])[:, None]
    if "primary" in intake and g1:
        ry = np.arange(origin - ENTRY_RATIO_YEARS + 1, origin + 1)
        seen = intake["primary"].reindex(ry).to_numpy(float)
        c6 = age_cohort_of(births, first_birth_year, ry, 6)
        er = seen / c6
        if np.isfinite(er).any():  # entry ratio: recent mean, not the split's
            logm[:, :, g1[0]] += np.log(np.nanmean(er) / phi0[:, g1[0]])[:, None]
            entry_noise = 1.0 / np.isfinite(er).sum()
            own_entry = True
    zgen = np.random.default_rng([rp.forecast.seed, 1818])
    kinds = sorted({gf.STAGE_RATIO[s.name] for s in stages if s.name in gf.STAGE_RATIO})
    lead = years - origin
    for k in kinds:
        z, eps = zgen.standard_normal(n), zgen.standard_normal((n, len(years)))
        noise = entry_noise if k == "entry_primary" else 0.0
        centre = choice or pp.drift_choice
        if k == "entry_primary" and own_entry and centre == OWN_CENTRE:
            centre = "none"  # the area's own recent entry ratio is the centre (docstring)
        m = centre_and_scale(ratio_table, k, centre, lead, z, eps, noise, pp.drift_weight)
        for i, s in enumerate(stages):
            if gf.STAGE_RATIO.get(s.name) == k:
                logm[:, :, i] += m
    logm[:, 0] = 0.0
    caps = np.array([pp.ger_cap[LEVELS.index(s.level)] for s in stages])
    phi = before[:, 0] / coh[:, 0]
    cap = np.maximum(caps[None, :], phi)
    out = gf.project_stages(before, coh, years, origin, logm, None, cap, src)
    lt = gf.level_totals(out, levels, stages)
    ok = np.isfinite(tot)
    return {lv: lt[:, :, i] if ok[i] else np.full(lt.shape[:2], np.nan)
            for i, lv in enumerate(levels)}


def own_retention(intakes, total: float) -> float:
    """ρ with Σ_k intakes[k] · ρ^k = total (k = 0 for the latest intake), by bisection in
    [0.5, 2] (the sum rises with ρ)."""
    iw = np.asarray(intakes, dtype=float)
    k = np.arange(len(iw))
    lo, hi = 0.5, 2.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if (iw * mid ** k).sum() < total:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def age_cohort_of(births, first_birth_year: int, years, age: int) -> np.ndarray:
    """C(t, age) of school years ``years`` from a births vector (persons), NaN outside it."""
    from .flow import birth_offsets

    b = np.asarray(births, dtype=float)
    b = b[0] if b.ndim > 1 else b
    out = np.zeros(len(years))
    for k, wt in birth_offsets((age,)).items():
        idx = np.asarray(years) - k - first_birth_year
        ok = (idx >= 0) & (idx < len(b))
        vals = np.full(len(years), np.nan)
        vals[ok] = b[idx[ok]]
        out = out + wt * vals
    return out
