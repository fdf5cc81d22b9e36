"""The projection engine's output object: Monte Carlo draws of enrolment by year, level and
county, plus the births and age-group populations behind them. Places and teachers consume
this object (so they work on draws and report honest bands); ``summary()`` gives the tidy
table written to data/processed/enrollment_forecast.csv."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..labels import CITY, LEVEL_ZH, LEVELS  # noqa: F401 (re-exported)
from ..stats import summary_frame

# Nominal ages (completed years at the start of the school year) of each level.
LEVEL_AGES = {
    "preschool": (3, 4, 5),
    "primary": (6, 7, 8, 9, 10, 11),
    "junior_secondary": (12, 13, 14),
    "senior_general": (15, 16, 17),
    "senior_vocational": (15, 16, 17),
}
SUMMARY_KEYS = ["year", "level", "county", "scenario", "quantity"]


@dataclass(frozen=True)
class ProjectionResult:
    """Draws of a projection run.

    Attributes
    ----------
    scenario : name of the future-births scenario.
    years : school years by their starting calendar year, shape (Y,).
    counties : the county-level units (not including the city total), shape (C,).
    enrolled : pupils enrolled, shape (D, Y, L, C), L in LEVELS order.
    population_age_group : children of each level's nominal ages, shape (D, Y, L, C).
    births_years : calendar years of ``births``, shape (B,).
    births : births in the whole city, shape (D, B).
    observed : tidy table of the observed points used for calibration (for plots), with the
        model's median at each point and how the point was used.
    base_year : vintage of the run (data observed up to this year), None if unknown.
    births_method : how past births were reconstructed.
    births_kind : per births year, observed / interpolated / extrapolated / projected.
    reconstruction : tidy births-reconstruction table (both methods and their mixture).
    stages : pupils by stage of the grade-by-grade flow for the whole area, shape (D, Y, G),
        G in ``gradeflow.STAGE_NAMES`` order (None for a result without the flow);
        ``stages_by_county()`` gives (D, Y, G, C).
    ``stage_ratios()`` gives the flow ratios applied, shape (D, Y, G): entry ratio (pupils
    per age-cohort birth) of an entry stage, progression/transition ratio of a fed stage.
    """

    scenario: str
    years: np.ndarray
    counties: tuple[str, ...]
    enrolled: np.ndarray
    population_age_group: np.ndarray
    births_years: np.ndarray
    births: np.ndarray
    observed: pd.DataFrame = field(default_factory=pd.DataFrame)
    levels: tuple[str, ...] = LEVELS
    base_year: int | None = None
    births_method: str = ""
    births_kind: np.ndarray | None = None
    reconstruction: pd.DataFrame = field(default_factory=pd.DataFrame)
    stages: np.ndarray | None = None

    def __post_init__(self) -> None:
        d, y, n_levels, c = self.enrolled.shape
        if (y, n_levels, c) != (len(self.years), len(self.levels), len(self.counties)):
            raise ValueError("enrolled has shape inconsistent with years/levels/counties")
        if self.population_age_group.shape != self.enrolled.shape:
            raise ValueError("population_age_group must have the shape of enrolled")
        if self.births.shape != (d, len(self.births_years)):
            raise ValueError("births must have shape (draws, len(births_years))")

    def stage_ratios(self) -> np.ndarray:
        """The ratios the flow applied (after caps and in-flows), (D, Y, G), NaN in the
        first year (``gradeflow.effective_ratios``)."""
        from .gradeflow import effective_ratios, source_index, stage_cohorts

        coh = stage_cohorts(self.births, int(self.births_years[0]), self.years)
        return effective_ratios(self.stages, coh, source_index())

    def stages_by_county(self) -> np.ndarray:
        """Stage draws by county (D, Y, G, C): each stage takes its level's county shares."""
        from .gradeflow import CHAIN

        city = self.city("enrolled")
        lev = [self.levels.index(st.level) for st in CHAIN]
        with np.errstate(divide="ignore", invalid="ignore"):
            shares = np.nan_to_num(self.enrolled / city[..., None])
        return self.stages[..., None] * shares[:, :, lev, :]

    @property
    def n_draws(self) -> int:
        return self.enrolled.shape[0]

    def city(self, what: str = "enrolled") -> np.ndarray:
        """City totals (sum over counties), shape (D, Y, L)."""
        return getattr(self, what).sum(axis=3)

    def with_city(self, what: str = "enrolled") -> tuple[np.ndarray, tuple[str, ...]]:
        """Array with the city total prepended on the county axis, shape (D, Y, L, 1+C)."""
        arr = getattr(self, what)
        return np.concatenate([arr.sum(axis=3, keepdims=True), arr], axis=3), (CITY, *self.counties)

    def summary(self) -> pd.DataFrame:
        """Tidy table: year, level, county, scenario, quantity, mean, p05, p50, p95.

        ``quantity`` is ``enrolled``, ``population_age_group`` or ``births`` (births have
        level ``all`` and county ``全市``)."""
        frames = []
        for what in ("enrolled", "population_age_group"):
            arr, counties = self.with_city(what)
            idx = pd.MultiIndex.from_product(
                [self.years, self.levels, counties], names=["year", "level", "county"]
            )
            f = summary_frame(arr, idx)
            f["quantity"] = what
            frames.append(f)
        b = summary_frame(self.births, pd.Index(self.births_years, name="year"))
        b["level"], b["county"], b["quantity"] = "all", CITY, "births"
        out = pd.concat(frames + [b], ignore_index=True)
        out["scenario"] = self.scenario
        cols = SUMMARY_KEYS + ["mean", "p05", "p50", "p95"]
        return out[cols].sort_values(SUMMARY_KEYS, kind="stable").reset_index(drop=True)
