"""Grade-progression ratios (cohort-survival method) from a richer enrolment series.

The ratio for grade g is pupils in grade g in year t over pupils in grade g−1 in year t−1,
pooled over all available pairs of consecutive years (Σ numerators / Σ denominators), as
national statistical agencies do for enrolment projections. The resulting within-level
age shape w = (1, p₂, p₂p₃, …) replaces the flat shape in ``cohorts.cohort_sum``; the level
factor is then calibrated to the observed total, so the totals stay exact.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..observed.names import GRADES


def progression_ratios(grades: pd.DataFrame) -> dict[str, np.ndarray]:
    """Pooled grade-progression ratios per level (array for grades 2..G, dimensionless).

    ``grades`` has columns year, level, grade, value (city pupils). Levels without at least
    one pair of consecutive years covering every grade are left out."""
    out = {}
    for level, g in grades.groupby("level"):
        n = GRADES[level]
        tab = g.pivot_table(index="year", columns="grade", values="value", aggfunc="sum")
        tab = tab.reindex(columns=range(1, n + 1))
        prev = tab.reindex(tab.index - 1).set_axis(tab.index)
        num = tab.iloc[:, 1:].to_numpy()
        den = prev.iloc[:, :-1].to_numpy()
        ok = ~np.isnan(num) & ~np.isnan(den)
        if not ok.any(axis=0).all():
            continue
        out[level] = np.where(ok, num, 0).sum(axis=0) / np.where(ok, den, 0).sum(axis=0)
    return out


def age_shape(ratios: np.ndarray) -> np.ndarray:
    """Within-level age weights (1, p₂, p₂p₃, …) from grade-progression ratios."""
    return np.concatenate([[1.0], np.cumprod(ratios)])
