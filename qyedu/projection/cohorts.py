"""Cohort flow: the children of age a in school year t were born in calendar year t − a.

Enrolment of a level in year t = participation factor f(t) × Σ_a w(a) · births(t − a) over
the level's nominal ages (``LEVEL_AGES``); w(a) is the within-level age shape (1 for every
age unless grade-progression ratios are estimated from a richer series, see ``grades``).
Everything is vectorised over Monte Carlo draws (axis 0).
"""

from __future__ import annotations

import numpy as np


def birth_index(years, ages, first_birth_year: int) -> np.ndarray:
    """Index into the births axis of the cohort aged ``a`` in year ``t``, shape (Y, A)."""
    years = np.asarray(years)[:, None]
    ages = np.asarray(ages)[None, :]
    idx = years - ages - first_birth_year
    if (idx < 0).any():
        raise ValueError(f"births before {first_birth_year} are needed for years {years.min()}…")
    return idx


def cohort_sum(births, first_birth_year: int, years, ages, weights=None) -> np.ndarray:
    """Σ_a w(a) · births(t − a) for every draw and year.

    Parameters
    ----------
    births : births by calendar year, shape (D, B), persons; column 0 is ``first_birth_year``.
    first_birth_year : calendar year of ``births[:, 0]``.
    years : school years (start year), shape (Y,).
    ages : nominal ages of the level (completed years at the start of the school year).
    weights : age shape w(a), shape (A,) (default: ones).

    Returns
    -------
    Weighted births of the cohorts in the level, shape (D, Y), persons.
    """
    idx = birth_index(years, ages, first_birth_year)
    w = np.ones(len(ages)) if weights is None else np.asarray(weights, dtype=float)
    return np.asarray(births, dtype=float)[:, idx] @ w
