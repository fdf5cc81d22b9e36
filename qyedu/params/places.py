"""Parameters of the school-places model. ``None`` means: use the published standard in
data/raw/standards.csv or the published figure in data/raw/places.csv (the value and its
source are then reported with the result)."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from .base import ParamModel, param


class PlacesParams(ParamModel):
    class_size_primary: float | None = param(
        None, "Pupils per class, primary (None → standards.csv: 45)", "pupils per class",
        "data/raw/standards.csv: school building standard class size", gt=0, le=80,
    )
    class_size_junior: float | None = param(
        None, "Pupils per class, junior secondary (None → standards.csv: 50)", "pupils per class",
        "data/raw/standards.csv: school building standard class size", gt=0, le=80,
    )
    class_size_senior: float | None = param(
        None, "Pupils per class, general senior secondary (None → standards.csv: 50)",
        "pupils per class", "data/raw/standards.csv: school building standard class size",
        gt=0, le=80,
    )
    class_size_kg_small: float | None = param(
        None, "Children per kindergarten class, 小班 (age 3) (None → standards.csv: 25)",
        "children per class", "data/raw/standards.csv: kindergarten work regulations 2016",
        gt=0, le=60,
    )
    class_size_kg_middle: float | None = param(
        None, "Children per kindergarten class, 中班 (age 4) (None → standards.csv: 30)",
        "children per class", "data/raw/standards.csv: kindergarten work regulations 2016",
        gt=0, le=60,
    )
    class_size_kg_large: float | None = param(
        None, "Children per kindergarten class, 大班 (age 5) (None → standards.csv: 35)",
        "children per class", "data/raw/standards.csv: kindergarten work regulations 2016",
        gt=0, le=60,
    )
    preschool_age_split: Literal["births", "even"] = param(
        "births",
        "How the projected preschool total is split into ages 3/4/5 (小班/中班/大班): by the "
        "shares of the three birth cohorts (births in year y-3, y-4, y-5) of each draw, or "
        "evenly. The projection reports level totals only",
        "choice", "assumption: age detail of kindergarten enrolment not published",
    )
    public_share_preschool: float = param(
        0.50, "Share of preschool children to be served by public kindergartens (plan floor 50%)",
        "fraction", "plan: 公办园在园幼儿占比达到50%以上 (table 1, 2025)", ge=0, le=1,
    )
    public_share_compulsory: float | None = param(
        None,
        "Share of compulsory pupils in public schools. No published figure for Qingyuan: None "
        "→ the share of public compulsory schools in the plan (公办义务教育学校数 / 义务教育学校数, 2020)",
        "fraction", "assumption: proxied by the plan's 2020 school counts (468/494)", ge=0, le=1,
    )
    public_share_senior: float | None = param(
        None,
        "Share of general senior pupils in public schools. No published figure: None → 1.0 "
        "(all general senior capacity counted as public)",
        "fraction", "assumption: no published split", ge=0, le=1,
    )
    senior_share_2023_25: float | None = param(
        None,
        "Share of general senior places in the 75,850 primary+secondary places planned for "
        "2023-2025 (split not published). None → the 2022 plan's ratio 2,000 / (20,500 + 2,000)",
        "fraction", "assumption: 2022 ratio from data/raw/places.csv", ge=0, le=1,
    )
    phase_2023_25: tuple[float, float, float] = param(
        (1 / 3, 1 / 3, 1 / 3),
        "Shares of the places planned for 2023-2025 that open in the school years 2023, 2024 "
        "and 2025 (must sum to 1); default evenly",
        "fractions", "assumption: phasing not published",
    )
    promise_base_year: int = param(
        2020,
        "Baseline year of the plan's promises (end of the 13th FYP): additional places needed "
        "are demand(year) - demand(promise_base_year)",
        "school year (start)", "plan: indicator tables compare with 2020", ge=2015, le=2025,
    )

    @field_validator("phase_2023_25")
    @classmethod
    def _phases_sum_to_one(cls, v: tuple[float, float, float]) -> tuple[float, float, float]:
        if any(x < 0 for x in v) or abs(sum(v) - 1) > 1e-6:
            raise ValueError(f"phases must be >= 0 and sum to 1 (sum is {sum(v):.4g})")
        return v
