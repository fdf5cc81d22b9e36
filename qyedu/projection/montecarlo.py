"""The projection run: births draws → calibrated level totals → grade-by-grade flow →
county allocation.

Monte Carlo (seeded ``numpy.random.default_rng(seed)``, vectorised over draws) covers:
the births method (``mixed``: a Uniform(0, 1) weight per draw between the two anchored
reconstructions), hence the births level between anchors and in the base year; the future
path (from the mean of the last ``projection.births_base_years`` years, not a single spike
year, with a per-draw persistent deviation of the annual change rate); the calibration
factors, recomputed in every draw so that each draw reproduces the observed points; the
split of each observed level total into grades (retention prior, ``gradeflow``); and,
after the last observed year, the flow: pupils at school progress by survival and
transition ratios, only new entrants come from the age cohorts, every ratio moving by the
drift of its kind learned on the panel (``ratio_drift``; centre by
``projection.drift_choice``). Preschool participation keeps its level drift
(``drift``). Cohorts follow the 31 August cut-off (``flow``). Random numbers are drawn in a
fixed order and the flow's from generators of their own, so the same parameters give
identical arrays.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..births import (
    FIRST_BIRTH_YEAR,
    births_draws,
    future_births,
    load_paths,
    reconstruct,
)
from ..errors import QyeduError
from ..observed.enrolment import county_points, enrollment_points, grade_points, intake_points
from ..observed.plan_points import preschool_points
from ..plan import load_indicators
from . import gradeflow
from .area_run import ENTRY_RATIO_YEARS, OWN_CENTRE, smoothed_base
from .cohorts import cohort_sum
from .conformal_band import band_multiplier, band_normals, band_rho, load_band
from .counties import county_shares
from .drift import (
    REFERENCE,
    correlated_normals,
    drift_multiplier,
    load_calibration,
    load_correlation,
)
from .fit import fit
from .flow import all_cohort_births, cohort_births
from .priors import prior_spread
from .ratio_drift import RATIOS, centre_and_scale, load_ratio_drift
from .reconstruction import reconstruction_table
from .result import LEVEL_AGES, LEVELS, ProjectionResult

FIRST_YEAR = 2020  # first school year projected: the plan's base year (needs births ≥ 2002)


def _say(progress, msg):
    if progress:
        progress(msg)


def factor_drift(years, last_observed, n: int, sd: float, rng) -> np.ndarray:
    """Multiplicative drift of the calibrated factors, shape (n, Y, L): 1 up to each level's
    last observed year (``last_observed``, shape (L,)), then ``exp`` of a Gaussian random walk
    with ``sd`` per year (per draw and level). A factor held beyond its last observation is
    thereby not taken as certain."""
    years = np.asarray(years)
    last = np.asarray(last_observed)
    steps = rng.normal(0.0, sd, size=(n, len(years), len(last))) if sd > 0 else \
        np.zeros((n, len(years), len(last)))
    after = years[:, None] > last[None, :]  # (Y, L)
    return np.exp(np.cumsum(steps * after[None, :, :], axis=1))


def calibrated_drift(years, last_observed, factors, rp, rng, levels=LEVELS) -> np.ndarray:
    """exp(learned drift) (D, Y, L) after each level's last observation (``drift``), with
    each level's gap x to its reference stage taken per draw from the calibrated factors at
    the last observed years; a level without calibration rows falls back to the random walk
    of ``projection.participation_drift_sd``. Only ``levels`` are drifted (the grade flow
    uses the preschool participation drift alone); the others stay 1."""
    cal = load_calibration(rp.projection.calibration_file)
    years = np.asarray(years)
    n = factors.shape[0]
    col = np.clip(np.searchsorted(years, last_observed), 0, len(years) - 1)
    logf = np.log(factors[:, col, np.arange(len(LEVELS))])  # (D, L)
    x = np.full_like(logf, np.nan)
    for i, lv in enumerate(LEVELS):
        if lv in REFERENCE:
            x[:, i] = logf[:, i] - logf[:, LEVELS.index(REFERENCE[lv])]
    z = correlated_normals(rng, n, load_correlation(rp.projection.correlation_file))
    skip = np.array([lv not in levels for lv in LEVELS])
    out = drift_multiplier(years, np.where(skip, years[-1], last_observed), x, cal, z)
    missing = [i for i, lv in enumerate(LEVELS)
               if lv in levels and not (cal["level"] == lv).any()]
    if missing:
        walk = factor_drift(years, last_observed, n, rp.projection.participation_drift_sd, rng)
        out[:, :, missing] = walk[:, :, missing]
    return out


def prior_noise(rp, n: int):
    """``fit``'s prior_noise: (n,) log-normal multipliers with the level's prior spread
    (``projection.prior_spread_file``), drawn from a generator of their own (seeded by the
    run's seed and the level) so a run that needs no prior draws the same numbers as ever."""
    def draw(level: str) -> np.ndarray:
        sd = prior_spread(rp.projection.prior_spread_file).get(level, 0.0)
        key = sum(map(ord, level))
        z = np.random.default_rng([rp.forecast.seed, key]).standard_normal(n)
        return np.exp(sd * z)
    return draw


def last_observed_years(obs: dict, base_year: int) -> np.ndarray:
    """Per level (LEVELS order): the latest year with an observed calibration point, or the
    base year for a level calibrated only on priors."""
    enrol = obs["enrolment"].groupby("level")["year"].max().to_dict()
    pre = obs["preschool"]
    pre = pre[pre["indicator_id"] == "preschool_enrolled"]["year"]
    if len(pre):
        enrol["preschool"] = max(enrol.get("preschool", 0), int(pre.max()))
    return np.array([int(enrol.get(lv, base_year)) for lv in LEVELS])


def observed_inputs(base_year: int, series_files=None, preschool: pd.DataFrame | None = None):
    """All observed calibration inputs as of ``base_year`` (vintage: observation year ≤ base)."""
    if preschool is None:  # standalone call: the Workbench always passes the plan's points
        preschool = preschool_points(load_indicators())
    pre = preschool[preschool["year"] <= base_year]
    return {
        "preschool": pre,
        "enrolment": enrollment_points(base_year, series_files),
        "grades": grade_points(base_year, series_files),
        "counties": county_points(base_year, series_files),
        "intake": intake_points(base_year, series_files),
    }


def run(rp, *, series_files=None, preschool: pd.DataFrame | None = None,
        progress=None) -> ProjectionResult:
    """Project enrolment by year, level and county for the run parameters ``rp``.

    Parameters
    ----------
    rp : RunParams (its forecast, births and projection sections), or a ForecastParams
        alone (the other sections at their defaults).
    series_files : enrolment series files (default data/raw/enrollment*.csv).
    preschool : the plan's preschool points (``observed.preschool_points(indicators)``);
        the Workbench passes them from its plan stage; a standalone call parses the plan.
    progress : callable receiving progress messages (e.g. ``print``).

    Returns
    -------
    ProjectionResult with all 8 counties (``fp.county`` only selects what is shown).
    """
    rp = as_run_params(rp)
    fp, pp = rp.forecast, rp.projection
    if fp.base_year < 2015:
        raise QyeduError(f"forecast.base_year {fp.base_year}: the Qingyuan inputs support base "
                         "years from 2015 (use --area-data for other areas)")
    rng = np.random.default_rng(fp.seed)
    n = fp.draws
    bp = load_paths(rp.births.paths_file or None)
    path = bp.get(fp.scenario)
    _say(progress, f"[forecast] reconstructing births as of {fp.base_year} ({fp.births_method})")
    rec = reconstruct(fp.base_year)
    weights = rng.uniform(0.0, 1.0, size=n)
    doubt = rng.uniform(0.0, pp.births_anchor_doubt, size=(n, len(rec.anchor_deltas or {})))
    past = births_draws(rec, fp.births_method, weights, doubt)
    future = future_births(smoothed_base(past, pp.births_base_years), fp.horizon - fp.base_year,
                           path, rp.births.annual_change_sd, rng)
    births = np.concatenate([past, future], axis=1)
    births_years = np.arange(FIRST_BIRTH_YEAR, fp.horizon + 1)
    kind = np.concatenate([rec.kind, np.full(future.shape[1], "projected")])
    years = np.arange(FIRST_YEAR, fp.horizon + 1)
    _say(progress, f"[forecast] calibrating {n} draws to the points published up to {fp.base_year}")
    obs = observed_inputs(fp.base_year, series_files, preschool)
    f = fit(births, FIRST_BIRTH_YEAR, years, fp.base_year, obs["preschool"], obs["enrolment"],
            obs["grades"], pp.senior_general_share_prior, prior_noise(rp, n))
    _say(progress, f"[forecast] grade-by-grade flow {years[0]}–{years[-1]}, "
                   f"{len(gradeflow.CHAIN)} stages")
    flat = all_cohort_births(births, FIRST_BIRTH_YEAR, years)
    last = last_observed_years(obs, fp.base_year)
    pre_drift = calibrated_drift(years, last, f.factors, rp, rng, ("preschool",))[:, :, 0]
    stages = grade_flow(births, years, f, pre_drift, last, rp, flat=flat, intake=obs["intake"])
    city_enrolled = gradeflow.level_totals(stages, LEVELS)
    city_pop = np.multiply(f.pop_factor[:, :, None], flat, out=flat)
    shares, how = county_shares(LEVELS, obs["counties"])
    pop_shares, _ = county_shares(LEVELS)
    from ..observed.names import COUNTIES

    table = f.table.assign(county_rule=f.table["level"].map(how))
    return ProjectionResult(
        scenario=fp.scenario, years=years, counties=COUNTIES,
        enrolled=city_enrolled[..., None] * shares[None, None, :, :],
        population_age_group=city_pop[..., None] * pop_shares[None, None, :, :],
        births_years=births_years, births=births, observed=table,
        base_year=fp.base_year, births_method=fp.births_method, births_kind=kind,
        reconstruction=reconstruction_table(rec, past),
        stages=stages,
    )


BANDED_LEVELS = ("primary", "junior_secondary")


def banded_levels(table) -> list[str]:
    """The levels the band table calibrates: BANDED_LEVELS first (their normals keep their
    columns), then any other level with rows (general and vocational senior since the
    back-test projects them, ``validation.senior_band``; preschool has none and keeps the
    drift prior's spread)."""
    have = set(table["level"]) if len(table) else set()
    return [lv for lv in BANDED_LEVELS if lv in have] + \
        [lv for lv in LEVELS if lv in have and lv not in BANDED_LEVELS]


def banded_stages(stages: np.ndarray, years, last, rp, ceiling=None) -> np.ndarray:
    """``stages`` (D, Y, G) with the grades of the levels the band table calibrates
    (``banded_levels``) scaled, per draw and year, by
    the calibrated band's multiplier of their level total (``conformal_band``; lead counted
    from the level's last observed year ``last``), one normal per draw and level, and kept
    under ``ceiling`` (D, Y, G: the saturation cap × cohort) where scaled; no band file
    (``projection.band_file`` empty) leaves them as they are."""
    table = load_band(rp.projection.band_file)
    levels = banded_levels(table)
    if not levels:
        return stages
    out = stages.copy()
    z = band_normals(rp.forecast.seed, stages.shape[0], len(levels), band_rho(table))
    for k, lv in enumerate(levels):
        ix = [g for g, st in enumerate(gradeflow.CHAIN) if st.level == lv]
        lead = np.asarray(years) - int(last[LEVELS.index(lv)])
        m = band_multiplier(stages[:, :, ix].sum(axis=2), lead, table, lv, z[:, k])
        out[:, :, ix] *= m[:, :, None]
        if ceiling is not None:
            after = lead > 0
            sub = out[:, after][:, :, ix]
            out[:, np.flatnonzero(after)[:, None], ix] = np.minimum(sub, ceiling[:, after][:, :, ix])
    return out


def retention_draws(rp, n: int) -> np.ndarray:
    """Per draw and level (LEVELS order) the in-level retention ratio that splits a level
    total into grades (``projection.grade_retention_prior`` / ``_sd``), from a generator of its
    own so the other draws stay as they were."""
    pp = rp.projection
    grp = [gradeflow.RETENTION_GROUP[lv] for lv in LEVELS]
    mu = np.array(pp.grade_retention_prior)[grp]
    sd = np.array(pp.grade_retention_sd)[grp]
    z = np.random.default_rng([rp.forecast.seed, 18]).standard_normal((n, 4))[:, grp]
    return mu[None, :] + sd[None, :] * z


def ratio_drift_multipliers(rp, years, last, n: int, choice: str | None = None,
                            origin_noise: float = 0.0,
                            own_entry_noise: float | None = None) -> np.ndarray:
    """Multipliers (D, Y, G) of every stage's flow ratio after its level's last observed
    year: exp of the learned drift of its kind (``gradeflow.STAGE_RATIO``; one normal per
    kind and draw, from a generator of its own) centred by ``projection.drift_choice``.
    ``origin_noise`` 0: the ratios at the origin are set by level totals over several
    cohorts, not one year's observed ratio (``ratio_drift.centre_and_scale``).
    ``own_entry_noise`` (not None: the entry ratio is the area's own published intakes, that
    many years' share of one year's origin noise): under the default centre (``combined``)
    the entry ratio keeps its own centre and takes only the panel's spread, as
    ``area_run.flow_area`` does; the other choices move every ratio."""
    table = load_ratio_drift(rp.projection.ratio_drift_file)
    choice = choice or rp.projection.drift_choice
    kinds = list(RATIOS)
    gen = np.random.default_rng([rp.forecast.seed, 1818])
    z = gen.standard_normal((n, len(kinds)))
    eps = gen.standard_normal((len(kinds), n, len(years)))
    out = np.ones((n, len(years), len(gradeflow.CHAIN)))
    lv_ix = {lv: i for i, lv in enumerate(LEVELS)}
    cache = {}
    for g, st in enumerate(gradeflow.CHAIN):
        kind = gradeflow.STAGE_RATIO.get(st.name)
        if kind is None:
            continue
        lead = np.asarray(years) - int(last[lv_ix[st.level]])
        key = (kind, int(last[lv_ix[st.level]]))
        if key not in cache:
            k = kinds.index(kind)
            centre, noise = choice, origin_noise
            if kind == "entry_primary" and own_entry_noise is not None and choice == OWN_CENTRE:
                centre, noise = "none", own_entry_noise
            cache[key] = np.exp(centre_and_scale(table, kind, centre, lead, z[:, k], eps[k],
                                                 noise, rp.projection.drift_weight))
        out[:, :, g] = cache[key]
    return out


def own_entry_ratio(intake, coh, years, t0: int):
    """The entry ratio from the city's published primary intakes (``intake``: year, level,
    value), as ``area_run.flow_area`` takes it: per draw the mean of the last
    ``ENTRY_RATIO_YEARS`` years' (≤ ``t0``) intake per grade-1 cohort (``coh``: (D, Y, G)
    stage cohorts of ``years``), and the number of years; None without any."""
    if intake is None or not len(intake):
        return None
    p = intake[intake["level"] == "primary"].set_index("year")["value"]
    yrs = [int(y) for y in years]
    ry = [y for y in range(t0 - ENTRY_RATIO_YEARS + 1, t0 + 1) if y in p.index and y in yrs]
    if not ry:
        return None
    g1 = gradeflow.STAGE_NAMES.index("g1")
    c6 = coh[:, [yrs.index(y) for y in ry], g1]
    return (p.loc[ry].to_numpy(dtype=float)[None, :] / c6).mean(axis=1), len(ry)


def grade_flow(births, years, f, pre_drift, last, rp, choice: str | None = None, flat=None,
               intake=None):
    """Pupils by stage (D, Y, G), Qingyuan (``flat``: the levels' cut-off-weighted births
    (D, Y, L) if the caller has them).

    The flow starts in the last year with a school level observed (t0, 2022): each level's
    total of that year (the fit ``f``: calibrated factor × cohorts) is split into grades by
    the cohort sizes and the retention prior (a draw per level; published grade-progression
    ratios where a richer series gives them, ``grades``); the preschool ages take the
    preschool factor (path of the fit, drifted from its last observation). Up to t0 every
    level keeps the fit's total (the back-cast), split the same way; after it pupils
    progress by the flow ratios that hold the t0 stage factors, moved by the learned drift
    of their kind (``ratio_drift_multipliers``, centred by ``choice`` or
    ``projection.drift_choice``), the vocational in-flow added and each stage capped at
    ``projection.ger_cap`` (or its own t0 factor if higher). A vintage whose last
    observation precedes the first projected year (as of 2015) starts the flow in that
    year with the fit's factors held; its drift still counts the lead from the last
    observation. Where the city's primary intakes are published (``intake``, e.g. the
    bureau's annual statistics in an ``enrollment_*.csv``), grade 1 enters at the mean of
    the last three years' intake per age-6 cohort (``own_entry_ratio``), centred there under
    the default drift: the back-test's bureau-like rule (``area_run.flow_area``). Primary
    and junior then get the calibrated band (``banded_stages``), kept under the same caps."""
    years = np.asarray(years)
    t0 = int(np.clip(max(last[1:]), years[0], years[-1]))
    return _grade_flow(births, years, f.factors, f.shapes, pre_drift, last, rp, choice, t0,
                       flat, intake)


def _grade_flow(births, years, factors, shapes, pre_drift, last, rp, choice, t0, flat=None,
                intake=None):
    pp = rp.projection
    n = factors.shape[0]
    k0 = int(np.flatnonzero(years == t0)[0])
    coh = gradeflow.stage_cohorts(births, FIRST_BIRTH_YEAR, years)
    lev = np.array([LEVELS.index(st.level) for st in gradeflow.CHAIN])
    fac = factors.copy()
    fac[:, :, 0] *= pre_drift
    den = np.stack([cohort_sum(births, FIRST_BIRTH_YEAR, years, LEVEL_AGES[lv], shapes[lv])
                    if lv in shapes else (cohort_births(births, FIRST_BIRTH_YEAR, years, lv)
                                          if flat is None else flat[:, :, i])
                    for i, lv in enumerate(LEVELS)], axis=2)
    totals = fac * den  # the fit's level totals (drifted preschool)
    w = gradeflow.retention_weights(retention_draws(rp, n), LEVELS)
    for lv, shape in shapes.items():  # published grade progression replaces the prior
        ix = [i for i, st in enumerate(gradeflow.CHAIN) if st.level == lv]
        if len(shape) == len(ix):
            w[:, ix] = shape[None, :]
    before = gradeflow.split_levels(totals[:, :k0 + 1], coh[:, :k0 + 1], w, LEVELS)
    phi = before[:, k0] / coh[:, k0]
    own = own_entry_ratio(intake, coh, years, t0)
    mult = ratio_drift_multipliers(rp, years, last, n, choice,
                                   own_entry_noise=None if own is None else 1.0 / own[1])
    if own is not None:  # grade 1 enters at the own ratio, not the split's t0 ratio
        g1 = gradeflow.STAGE_NAMES.index("g1")
        mult[:, k0 + 1:, g1] *= (own[0] / phi[:, g1])[:, None]
    pre = gradeflow.STAGE_NAMES.index("pre3")
    mult[:, :, pre] = pre_drift / pre_drift[:, k0:k0 + 1]
    src = gradeflow.source_index()
    inflow = None
    share = pp.vocational_inflow_share
    if share > 0:
        v10 = gradeflow.STAGE_NAMES.index("voc10")
        mult[:, :, v10] *= 1 - share
        inflow = np.zeros_like(coh)
        inflow[:, :, v10] = share * before[:, k0, v10, None]
    cap = np.maximum(np.array(pp.ger_cap)[lev][None, :], phi)
    stages = gradeflow.project_stages(before, coh, years, t0, None, inflow, cap, src, mult)
    return banded_stages(stages, years, last, rp, cap[:, None, :] * coh)


def as_run_params(rp):
    """``rp`` as RunParams: a ForecastParams alone gets the other sections' defaults."""
    from ..params import ForecastParams, RunParams

    return RunParams(forecast=rp) if isinstance(rp, ForecastParams) else rp
