"""Projected values of the few plan indicators whose definition the projection engine
reproduces, city-wide (plan targets are city totals), summarised over the Monte Carlo draws.
Values are plain numbers (persons; ratios in percent points); the projection's year is the
school year by its starting calendar year, matched to the target year."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ..stats import summarize

COLUMNS = ["indicator_id", "year", "p05", "p50", "p95", "note"]


def _level(result, what: str, level: str) -> np.ndarray:
    """City draws of one level, shape (D, Y)."""
    return result.city(what)[:, :, list(result.levels).index(level)]


def _preschool_ger(result) -> np.ndarray:
    return 100 * _level(result, "enrolled", "preschool") / _level(
        result, "population_age_group", "preschool")


def _senior_ger(result) -> np.ndarray:
    enrolled = _level(result, "enrolled", "senior_general") + _level(
        result, "enrolled", "senior_vocational")
    # both senior levels cover ages 15-17: one population, not their sum
    return 100 * enrolled / _level(result, "population_age_group", "senior_general")


# indicator_id → (draws of shape (D, Y), what the number is)
MAPPING: dict[str, tuple[Callable, str]] = {
    "preschool_gross_enrolment_ratio": (
        _preschool_ger, "projected preschool enrolled / population aged 3-5 × 100"),
    "preschool_enrolled": (
        lambda r: _level(r, "enrolled", "preschool"), "projected preschool enrolled"),
    "senior_gross_enrolment_ratio": (
        _senior_ger, "projected (general + vocational senior enrolled) / population aged "
        "15-17 × 100; the official ratio also counts technical schools and other forms"),
}


def projected_values(result) -> pd.DataFrame:
    """p05/p50/p95 per mapped indicator and projection year (empty without a result)."""
    if result is None:
        return pd.DataFrame(columns=COLUMNS)
    rows = []
    for iid, (fn, note) in MAPPING.items():
        with np.errstate(divide="ignore", invalid="ignore"):
            draws = np.asarray(fn(result), dtype=float)
        s = summarize(draws, axis=0)
        for j, year in enumerate(np.asarray(result.years).tolist()):
            if np.isfinite(s["p50"][j]):
                rows.append((iid, int(year), float(s["p05"][j]), float(s["p50"][j]),
                             float(s["p95"][j]), f"{note} (scenario {result.scenario})"))
    return pd.DataFrame.from_records(rows, columns=COLUMNS)
