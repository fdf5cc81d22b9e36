"""Parameters of the projection engine (births → cohorts → enrolment)."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from .base import ParamModel, param

BIRTHS_METHODS = ("share_of_guangdong", "rate_ratio", "mixed")


class ForecastParams(ParamModel):
    scenario: str = param(
        "medium",
        "Named future-births path; the names are the entries of the births-paths file "
        "(births.paths_file, default params/births_paths.yaml: low | medium | high)",
        "choice",
        "assumption: scenario design, see params/births_paths.yaml",
        min_length=1,
    )
    base_year: int = param(
        2024,
        "Vintage: only data published up to this year are used ('as of' run); default: the "
        "latest year with published inputs (Guangdong births 2024; enrolment 2022-23)",
        "calendar year",
        "user choice (Qingyuan runs need >= 2015; area data any year their births support)",
        ge=1990,
        le=2030,
    )
    horizon: int = param(2035, "Last projected year", "calendar year", "user choice", ge=1991, le=2060)
    draws: int = param(
        2000, "Monte Carlo draws", "count", "user choice", ge=1, le=200_000
    )
    seed: int = param(1, "Random seed (same seed → identical results)", "integer", "user choice", ge=0)
    births_method: Literal["share_of_guangdong", "rate_ratio", "mixed"] = param(
        "mixed",
        "How Qingyuan births are reconstructed between observed points: Qingyuan's share of "
        "Guangdong births, Guangdong birth rate × Qingyuan/Guangdong rate ratio × population, "
        "or a Monte Carlo mixture of both (spread feeds the uncertainty)",
        "choice",
        "data/raw/SOURCES_shared_README.md ('Births are sparse')",
    )
    county: str = param(
        "全市",
        "County-level unit to report ('全市' = whole city, or one of the 8 units in population.csv)",
        "name",
        "data/raw/population.csv (2020 census)",
    )

    @model_validator(mode="after")
    def _horizon_after_base(self) -> ForecastParams:
        if self.horizon <= self.base_year:
            raise ValueError(
                f"horizon ({self.horizon}) must be after base_year ({self.base_year})"
            )
        return self
