"""The grade-by-grade cohort flow: pupils at school progress, only new entrants are drawn.

The state is pupils by stage (a single grade or preschool age) per draw. Each stage is fed
either by the stage before it a year earlier (progression or transition) or, for an entry
stage, by its single-year age cohort (``flow.birth_offsets`` weighting):

    N[g, t] = r[g, t] · N[source[g], t − 1]        (source[g] ≥ 0: progression/transition)
    N[g, t] = r[g, t] · C[g, t]                    (source[g] = −1: entry from the age cohort)

so grade 4 of 2025 is grade 1 of 2022 times three progression ratios (in-level migration and
drop-out), and only cohorts not yet enrolled carry entry uncertainty. ``CHAIN`` is the stage
graph used for Qingyuan and the panel (NCES / DfE / GLA projections use the same structure):
preschool ages 3–5 (entry at 3), primary grades 1–6 (entry at 6), junior 7–9 (from grade 6),
general and vocational senior 10–12 (both from grade 9).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Stage:
    """One stage of the flow: its name, level, nominal age and what feeds it."""

    name: str
    level: str
    age: int
    source: str | None  # the stage a year earlier that feeds it; None = its age cohort


def _chain() -> tuple[Stage, ...]:
    st = [Stage("pre3", "preschool", 3, None), Stage("pre4", "preschool", 4, "pre3"),
          Stage("pre5", "preschool", 5, "pre4"), Stage("g1", "primary", 6, None)]
    st += [Stage(f"g{g}", "primary", g + 5, f"g{g - 1}") for g in range(2, 7)]
    st += [Stage(f"g{g}", "junior_secondary", g + 5, f"g{g - 1}") for g in range(7, 10)]
    for lv, p in (("senior_general", "gen"), ("senior_vocational", "voc")):
        st += [Stage(f"{p}10", lv, 15, "g9"), Stage(f"{p}11", lv, 16, f"{p}10"),
               Stage(f"{p}12", lv, 17, f"{p}11")]
    return tuple(st)


CHAIN: tuple[Stage, ...] = _chain()
STAGE_NAMES: tuple[str, ...] = tuple(s.name for s in CHAIN)


def source_index(stages=CHAIN) -> np.ndarray:
    """Index of each stage's feeding stage, −1 for an entry stage fed by its age cohort."""
    pos = {s.name: i for i, s in enumerate(stages)}
    return np.array([pos[s.source] if s.source else -1 for s in stages], dtype=int)


def level_slices(stages=CHAIN) -> dict[str, np.ndarray]:
    """Stage indices of each level, in chain order."""
    out: dict[str, list[int]] = {}
    for i, s in enumerate(stages):
        out.setdefault(s.level, []).append(i)
    return {lv: np.array(ix) for lv, ix in out.items()}


def run_flow(state0, ratios, cohorts, source, inflow=None, cap=None) -> np.ndarray:
    """Pupils by stage for the base year and each later year.

    Parameters
    ----------
    state0 : pupils by stage in the base year, shape (D, G) (or (G,)).
    ratios : the ratio applied in each later year, shape (D, Y, G) or broadcastable:
        progression/transition ratio for a fed stage, entry ratio for an entry stage.
    cohorts : single-year age cohorts (persons) feeding the entry stages in each later year,
        shape broadcastable to (D, Y, G); ignored for fed stages.
    source : (G,) int, from ``source_index``; a stage must come after its source.
    inflow : pupils added to a stage each later year from outside the flow (vocational
        in-flow), broadcastable to (D, Y, G); None = none.
    cap : most pupils a stage may hold each later year, broadcastable to (D, Y, G); None =
        no cap (the saturation cap, ``projection.ger_cap``).

    Returns
    -------
    ndarray, shape (D, Y + 1, G): row 0 is ``state0``.
    """
    s0 = np.atleast_2d(np.asarray(state0, dtype=float))
    d, g = s0.shape
    src = np.asarray(source, dtype=int)
    if src.shape != (g,) or np.any(src >= np.arange(g)):
        raise ValueError("source must give, for each stage, an earlier stage or −1")
    r = np.asarray(ratios, dtype=float)
    y = r.shape[-2] if r.ndim >= 2 else 0
    r = np.broadcast_to(r, (d, y, g))
    c = np.broadcast_to(np.asarray(cohorts, dtype=float), (d, y, g))
    out = np.empty((d, y + 1, g))
    out[:, 0] = s0
    entry = src < 0
    fed = np.flatnonzero(~entry)
    add = None if inflow is None else np.broadcast_to(np.asarray(inflow, float), (d, y, g))
    top = None if cap is None else np.broadcast_to(np.asarray(cap, float), (d, y, g))
    for t in range(1, y + 1):
        prev = out[:, t - 1]
        out[:, t, entry] = r[:, t - 1, entry] * c[:, t - 1, entry]
        out[:, t, fed] = r[:, t - 1, fed] * prev[:, src[fed]]
        if add is not None:
            out[:, t] += add[:, t - 1]
        if top is not None:
            np.minimum(out[:, t], top[:, t - 1], out=out[:, t])
    return out


def implied_ratios(pupils, source) -> np.ndarray:
    """The ratios that reproduce an observed stage series: N[g, t] / N[source[g], t − 1]
    for fed stages (NaN for entry stages), shape (…, Y − 1, G) from pupils (…, Y, G)."""
    n = np.asarray(pupils, dtype=float)
    src = np.asarray(source, dtype=int)
    out = np.full(n.shape[:-2] + (n.shape[-2] - 1, n.shape[-1]), np.nan)
    fed = np.flatnonzero(src >= 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out[..., fed] = n[..., 1:, fed] / n[..., :-1, src[fed]]
    return out


STAGE_AGES = np.array([s.age for s in CHAIN])
# flow-ratio kind of each stage (``ratio_drift.RATIOS``); pre3 drifts with the preschool
# participation drift (``drift``), a stage without a kind holds its ratio
STAGE_RATIO = {"g1": "entry_primary", **{f"g{g}": "survival_primary" for g in range(2, 7)},
               "g7": "transition_junior", "g8": "survival_junior", "g9": "survival_junior",
               "gen10": "transition_senior_general", "gen11": "survival_senior_general",
               "gen12": "survival_senior_general", "voc10": "transition_vocational"}
# retention-prior group of each level (``projection.grade_retention_prior`` order)
RETENTION_GROUP = {"preschool": 0, "primary": 1, "junior_secondary": 2, "senior_general": 3,
                   "senior_vocational": 3}


def stage_cohorts(births, first_birth_year: int, years, stages=CHAIN) -> np.ndarray:
    """Single-year age cohorts C(t, a) of every stage's nominal age (31 August weighting,
    ``flow.birth_offsets``: 4/12 of the births of t − a − 1 and 8/12 of t − a), shape
    (D, Y, G), one gather for all stages."""
    from .flow import EARLY_SHARE

    b = np.atleast_2d(np.asarray(births, dtype=float))
    years = np.asarray(years)
    ages = np.array([st.age for st in stages])
    idx = years[:, None] - ages[None, :] - first_birth_year  # index of B(t − a)
    if idx.min() < 1 or idx.max() >= b.shape[1]:
        lo = int(years.min() - ages.max() - 1)
        hi = int(years.max() - ages.min())
        raise ValueError(f"births {lo}–{hi} are needed for the stages of school years "
                         f"{int(years.min())}–{int(years.max())}; they cover "
                         f"{first_birth_year}–{first_birth_year + b.shape[1] - 1}")
    w = EARLY_SHARE * b[:, :-1] + (1 - EARLY_SHARE) * b[:, 1:]  # column j: C from B(j), B(j+1)
    return w[:, idx - 1]


def retention_weights(retention, levels, stages=CHAIN) -> np.ndarray:
    """Stage weights (D, G): retention^k for the k-th stage of its level (``retention``
    (D, L) per draw and level, ``levels`` order)."""
    ret = np.atleast_2d(np.asarray(retention, dtype=float))
    out = np.empty((ret.shape[0], len(stages)))
    for li, lv in enumerate(levels):
        ix = [i for i, s in enumerate(stages) if s.level == lv]
        out[:, ix] = ret[:, li, None] ** np.arange(len(ix))[None, :]
    return out


def split_levels(level_totals, cohorts, weights, levels, stages=CHAIN) -> np.ndarray:
    """Pupils by stage (D, Y, G) when only level totals (D, Y, L) (``levels`` order) are
    known: a stage's share of its level is ∝ its weight (``weights`` (D, G), e.g.
    ``retention_weights`` or published grade-progression ratios) × its age cohort
    (``cohorts`` (D, Y, G)), so the stages sum to the level total."""
    tot = np.asarray(level_totals, dtype=float)
    c = np.asarray(cohorts, dtype=float)
    w = np.asarray(weights, dtype=float)[:, None, :] * c
    out = np.empty(c.shape)
    for li, lv in enumerate(levels):
        ix = [i for i, s in enumerate(stages) if s.level == lv]
        out[..., ix] = tot[..., li, None] * w[..., ix] / w[..., ix].sum(axis=-1, keepdims=True)
    return out


def flow_ratios(phi, source) -> np.ndarray:
    """Ratios that hold the stage factors ``phi`` (D, G) steady: entry ratio φ_g for an entry
    stage, φ_g / φ_source for a fed stage (C(t, a) and C(t − 1, a − 1) are one cohort)."""
    src = np.asarray(source)
    out = np.array(phi, dtype=float, copy=True)
    fed = src >= 0
    with np.errstate(divide="ignore", invalid="ignore"):  # a level without pupils: NaN
        out[:, fed] = phi[:, fed] / phi[:, src[fed]]
    return out


def effective_ratios(pupils, cohorts, source) -> np.ndarray:
    """Ratios a flow actually applied (after caps and in-flows): N / C for an entry stage,
    N / N[source] a year earlier for a fed stage; shape (D, Y, G) with NaN in year 0."""
    n = np.asarray(pupils, dtype=float)
    src = np.asarray(source)
    out = np.full(n.shape, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        out[:, 1:] = implied_ratios(n, src)
        entry = src < 0
        out[:, :, entry] = n[:, :, entry] / np.asarray(cohorts)[:, :, entry]
    return out


def project_stages(before, cohorts, years, t0: int, log_mult, inflow=None, cap_factor=None,
                   source=None, mult=None) -> np.ndarray:
    """Pupils by stage (D, Y, G) for school years ``years``: up to ``t0`` the given stages
    ``before`` (D, k0 + 1, G) (observed or back-cast); after ``t0`` the flow from the t0 state
    with the ratios that hold the t0 stage factors (N / C, ``flow_ratios``) times
    exp(``log_mult``) (D, Y, G) (or ``mult`` itself when given), the ``inflow`` added and
    each stage capped at ``cap_factor`` (D, G) × its age cohort."""
    src = source_index() if source is None else source
    years = np.asarray(years)
    k0 = int(np.flatnonzero(years == t0)[0])
    out = np.empty_like(cohorts)
    out[:, :k0 + 1] = before[:, :k0 + 1]
    if k0 + 1 < len(years):
        phi = before[:, k0] / cohorts[:, k0]
        m = mult[:, k0 + 1:] if mult is not None else np.exp(log_mult[:, k0 + 1:])
        r = m * flow_ratios(phi, src)[:, None, :]
        cap = None if cap_factor is None else cap_factor[:, None, :] * cohorts[:, k0 + 1:]
        add = None if inflow is None else inflow[:, k0 + 1:]
        out[:, k0:] = run_flow(out[:, k0], r, cohorts[:, k0 + 1:], src, add, cap)
    return out


def level_totals(stages_arr, levels, stages=CHAIN) -> np.ndarray:
    """Sum of the stages of each level, (…, L) in ``levels`` order."""
    arr = np.asarray(stages_arr)
    out = np.empty(arr.shape[:-1] + (len(levels),))
    for li, lv in enumerate(levels):
        ix = [i for i, s in enumerate(stages) if s.level == lv]
        if ix == list(range(ix[0], ix[-1] + 1)):
            out[..., li] = arr[..., ix[0]:ix[-1] + 1].sum(axis=-1)
        else:
            out[..., li] = arr[..., ix].sum(axis=-1)
    return out
