"""The cohort flow with the 31 August school-entry cut-off (one rule for every area).

A child of completed age a at the start of school year t (autumn of calendar year t) was
born between 1 September of t−a−1 and 31 August of t−a (the entry cut-off of the
Compulsory Education Law practice: 6 years old by 31 August). With births spread evenly over
the calendar year, that single-year age cohort is

    C(t, a) = 4/12 · B(t−a−1) + 8/12 · B(t−a)        (Sep–Dec of t−a−1, Jan–Aug of t−a)

and a level with nominal ages a₀…a₁ holds Σ_a C(t, a): e.g. primary (6–11) in 2024 is
1/3·B(2012) + B(2013…2017) + 2/3·B(2018).

Levels form one flow preschool → primary → junior → senior: the pupils-per-cohort factor of
a level, f_L = E_L / Σ_a C(t, a), is the product of the preschool factor and the
cohort-change (transition) ratios τ = f_L / f_prev between consecutive levels. With one
cross-section τ is estimated from it (or, for a level without observation, taken from a
prior); ``implied_ratios`` publishes them for the consistency checks against the plan.
Beyond the base year each factor moves by the drift learned on the validation panel
(``qyedu.validation``; bias and spread by level and lead).
"""

from __future__ import annotations

import numpy as np

from ..labels import LEVELS
from .result import LEVEL_AGES  # nominal ages of each level, one table

EARLY_SHARE = 4 / 12  # share of a school-year age cohort born in the earlier calendar year


def birth_offsets(ages) -> dict[int, float]:
    """Weights of calendar-year births ``B(t − k)`` making up ages ``ages`` in school year t
    under the 31 August cut-off: {k: weight}; the weights sum to len(ages)."""
    w: dict[int, float] = {}
    for a in ages:
        w[a] = w.get(a, 0.0) + (1 - EARLY_SHARE)
        w[a + 1] = w.get(a + 1, 0.0) + EARLY_SHARE
    return dict(sorted(w.items()))


def oldest_birth_offset(level: str) -> int:
    """How many years before the school year the oldest cohort of ``level`` was born."""
    return max(birth_offsets(LEVEL_AGES[level]))


def cohort_births(births, first_birth_year: int, years, level: str) -> np.ndarray:
    """Σ_a C(t, a) over the level's ages for every draw and school year, shape (D, Y).

    Parameters
    ----------
    births : births by calendar year, persons, shape (D, B) (or (B,)); column 0 is
        ``first_birth_year``.
    first_birth_year : calendar year of the first births column.
    years : school years (autumn start year), shape (Y,).
    level : one of LEVELS.
    """
    b = np.atleast_2d(np.asarray(births, dtype=float))
    years = np.asarray(years)
    off = birth_offsets(LEVEL_AGES[level])
    ks = np.fromiter(off, dtype=int)
    idx = years[:, None] - ks[None, :] - first_birth_year
    if (idx < 0).any():
        need = int(years.min() - ks.max())
        raise ValueError(f"births from {need} are needed for school year {int(years.min())} "
                         f"({level}); they start in {first_birth_year}")
    if (idx >= b.shape[1]).any():
        raise ValueError(f"births up to {int(years.max() - ks.min())} are needed "
                         f"({level}); they end in {first_birth_year + b.shape[1] - 1}")
    return b[:, idx] @ np.fromiter(off.values(), dtype=float)


def all_cohort_births(births, first_birth_year: int, years) -> np.ndarray:
    """``cohort_births`` of every level, shape (D, Y, L) in LEVELS order."""
    return np.stack([cohort_births(births, first_birth_year, years, lv) for lv in LEVELS],
                    axis=2)


def implied_ratios(factors: dict[str, float]) -> dict[str, float]:
    """Cohort-change ratios between consecutive stages implied by level factors:
    primary/preschool, junior/primary, senior (general + vocational)/junior."""
    out = {}
    if factors.get("preschool") and factors.get("primary"):
        out["primary_per_preschool"] = factors["primary"] / factors["preschool"]
    if factors.get("primary") and factors.get("junior_secondary"):
        out["junior_per_primary"] = factors["junior_secondary"] / factors["primary"]
    senior = [factors.get(lv) for lv in ("senior_general", "senior_vocational")]
    if factors.get("junior_secondary") and all(senior):
        out["senior_per_junior"] = sum(senior) / factors["junior_secondary"]
    return out


def drift_by_lead(center, sd, max_lead: int) -> tuple[np.ndarray, np.ndarray]:
    """Log-drift centre and sd at leads 0…max_lead (0 at lead 0) from calibrated leads
    1…H (``center``/``sd`` shape (..., H)); beyond H the centre is held and the sd grows
    ∝ √lead (a random walk's growth), so no bias learned on short leads is extrapolated."""
    center, sd = np.asarray(center, dtype=float), np.asarray(sd, dtype=float)
    n = center.shape[-1]
    shape = center.shape[:-1] + (max_lead + 1,)
    c, s = np.zeros(shape), np.zeros(shape)
    k = min(n, max_lead)
    c[..., 1:k + 1], s[..., 1:k + 1] = center[..., :k], sd[..., :k]
    if max_lead > n and n:
        h = np.arange(n + 1, max_lead + 1)
        c[..., n + 1:] = center[..., -1:]
        s[..., n + 1:] = sd[..., -1:] * np.sqrt(h / n)
    return c, s
