"""Classes needed at a standard class size.

Classes are rounded up **per county** (a class cannot mix children of two counties); the
city's classes are the sum of its counties' classes, so 91 pupils in one county at 45 per
class need 3 classes, and 45 + 46 pupils in two counties also need 1 + 2 = 3.
Kindergarten classes are counted per age group (小班/中班/大班, ages 3/4/5) with their own
sizes; the projection gives the preschool total only, split by birth-cohort shares or evenly.
"""

from __future__ import annotations

import numpy as np

from ..projection.result import ProjectionResult

KG_AGES = (3, 4, 5)


def classes_needed(pupils: np.ndarray, class_size: float) -> np.ndarray:
    """Whole classes for ``pupils`` (any shape, one cell = one county): ceil(pupils / size).

    A tiny tolerance keeps float noise (90.0000001 pupils) from adding a class."""
    p = np.asarray(pupils, dtype=float)
    return np.ceil(p / float(class_size) - 1e-9).clip(min=0)


def age_shares(result: ProjectionResult, method: str) -> np.ndarray:
    """Shares of ages 3, 4, 5 in preschool enrolment, shape (D, Y, 3), summing to 1.

    ``births``: the age-a cohort of school year y is taken as born in calendar year y − a
    (city births of the same draw); years whose three cohorts are not all in
    ``result.births_years`` fall back to an even split. ``even``: 1/3 each."""
    d, y = result.n_draws, len(result.years)
    even = np.full((d, y, 3), 1 / 3)
    if method == "even":
        return even
    pos = {int(b): i for i, b in enumerate(result.births_years)}
    out = even.copy()
    for j, yr in enumerate(result.years):
        idx = [pos.get(int(yr) - a) for a in KG_AGES]
        if None in idx:
            continue
        b = result.births[:, idx].astype(float)
        tot = b.sum(axis=1, keepdims=True)
        out[:, j, :] = np.where(tot > 0, b / np.where(tot > 0, tot, 1), 1 / 3)
    return out


def kindergarten_classes(
    children: np.ndarray, shares: np.ndarray, sizes: tuple[float, float, float]
) -> np.ndarray:
    """Kindergarten classes, shape of ``children`` (D, Y, C).

    Parameters
    ----------
    children : preschool enrolment per county, children, shape (D, Y, C).
    shares : age-3/4/5 shares, shape (D, Y, 3).
    sizes : children per class in 小班, 中班, 大班.
    """
    total = np.zeros_like(np.asarray(children, dtype=float))
    for a, size in enumerate(sizes):
        total += classes_needed(children * shares[:, :, a : a + 1], size)
    return total
