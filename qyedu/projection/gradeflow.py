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


def run_flow(state0, ratios, cohorts, source) -> np.ndarray:
    """Pupils by stage for the base year and each later year.

    Parameters
    ----------
    state0 : pupils by stage in the base year, shape (D, G) (or (G,)).
    ratios : the ratio applied in each later year, shape (D, Y, G) or broadcastable:
        progression/transition ratio for a fed stage, entry ratio for an entry stage.
    cohorts : single-year age cohorts (persons) feeding the entry stages in each later year,
        shape broadcastable to (D, Y, G); ignored for fed stages.
    source : (G,) int, from ``source_index``; a stage must come after its source.

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
    for t in range(1, y + 1):
        prev = out[:, t - 1]
        out[:, t, entry] = r[:, t - 1, entry] * c[:, t - 1, entry]
        out[:, t, fed] = r[:, t - 1, fed] * prev[:, src[fed]]
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
