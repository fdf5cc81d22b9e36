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
        0.50, "Floor on the share of preschool children served by public kindergartens: the "
        "public share of future demand is max(the 2020 outturn, this floor)",
        "fraction", "plan: 公办园在园幼儿占比达到50%以上 (table 1, 2025)", ge=0, le=1,
    )
    public_share_preschool_2020: float | None = param(
        None, "Public (含公办性质) share of children in kindergarten in 2020. None → the plan's "
        "outturn 54.12 % (registry preschool_public_share 2020, plan line 16)",
        "fraction", "plan line 16: 公办（含公办性质）幼儿园在园幼儿占比达54.12%", ge=0, le=1,
    )
    private_share_compulsory: float = param(
        26 / 494,
        "Share of compulsory pupils in private (民办) schools at the baseline. No pupil share is "
        "published for Qingyuan; the default is the private share of compulsory schools in "
        "2020, (494 - 468) / 494 = 5.26 %, used as an explicit stand-in",
        "fraction", "assumption: pupil share not published; default = school-count share from "
        "the plan's 2020 outturn table (义务教育学校数 494, 公办 468)", ge=0, le=1,
    )
    private_share_senior: float = param(
        0.05,
        "Share of general senior pupils in private high schools at the baseline. The plan "
        "names private high schools (品牌民办高中, line 480) and 佛冈 has 1 private of 4 "
        "senior-stage schools (costs_counties.csv); no pupil share is published",
        "fraction", "assumption: pupil share not published", ge=0, le=1,
    )
    private_compulsory_policy: Literal["hold", "national_cap"] = param(
        "hold",
        "Policy scenario for private compulsory schooling: 'hold' keeps the private pupil share; "
        "'national_cap' applies the 2021 national rule (private compulsory pupils capped at "
        "private_compulsory_cap of all pupils) by private_cap_year: the excess pupils shift to "
        "public schools",
        "choice", "policy: 2021 中办/国办《关于规范民办义务教育发展的意见》 (reported 5 % cap; "
        "text not in data/raw)",
    )
    private_compulsory_cap: float = param(
        0.05, "Cap on the private share of compulsory pupils under 'national_cap'", "fraction",
        "policy: 2021 national rule as reported (民办义务教育在校生占比不超过5%)", ge=0, le=1,
    )
    private_cap_year: int = param(
        2023, "School year by which the cap is reached (linear from the baseline)",
        "school year (start)", "assumption: implementation year not published", ge=2021, le=2035,
    )
    shifted_pupils_seated_by: Literal["conversion", "new_public_places"] = param(
        "conversion",
        "How pupils shifted from private to public are seated: 'conversion' (the private "
        "school becomes public: public capacity + shifted pupils, total capacity unchanged) or "
        "'new_public_places' (the private school closes: total capacity - shifted pupils, the "
        "public system must build). Netting rule: a converted place is never also a new place",
        "choice", "assumption: conversion is the usual route (转公办/回购)",
    )
    purchased_places_preschool: float = param(
        0.0,
        "Public-funded places bought in private kindergartens (购买学位) per year from 2022. "
        "Netting rule: they count toward public places served, never toward total capacity "
        "nor toward the new-public-places promise (the 2022 plan figure excludes them)",
        "places", "assumption: count not published (places.csv line 6 excludes them)", ge=0,
    )
    large_class_share_primary: float = param(
        0.10,
        "Share of primary pupils in 大班额 classes (>= 56) at the baseline (2022-23). Sets the "
        "baseline capacity: places at the standard class size = pupils × (1 - s + s × 45/56)",
        "fraction", "assumption: not published; the 攻坚计划 calls 大班额 in compulsory "
        "education serious (places.csv line 11)", ge=0, le=1,
    )
    large_class_share_junior: float = param(
        0.10, "Share of junior secondary pupils in 大班额 classes at the baseline (2022-23)",
        "fraction", "assumption: not published; places.csv line 11 (大班额问题突出)", ge=0, le=1,
    )
    large_class_share_senior: float = param(
        0.10, "Share of general senior pupils in 大班额 classes at the baseline (2022-23)",
        "fraction", "assumption: not published; places.csv line 11 (高中公办学位紧缺)", ge=0, le=1,
    )
    large_class_share_preschool: float = param(
        0.0, "Share of kindergarten children in over-size classes at the baseline (2020)",
        "fraction", "assumption: not published; the plan's preschool shortage is of public "
        "places (handled by the public share), not of class size", ge=0, le=1,
    )
    large_class_share_spread: float = param(
        0.5,
        "Uncertainty of the baseline 大班额 shares in the draws: each draw takes share × "
        "uniform(1 - spread, 1 + spread) (clipped to [0, 1])",
        "fraction", "assumption: the shares are not published", ge=0, le=1,
    )
    planned_delay_share: float = param(
        0.0,
        "Share of each year's planned (not yet delivered) places that open one school year "
        "late. Delivered places (2021) are never delayed",
        "fraction", "assumption: delivery record not published; the 2023-25 plan is a draft",
        ge=0, le=1,
    )
    primary_share_of_compulsory_places: float | None = param(
        None,
        "Share of primary in the planned compulsory places (split not published). None → the "
        "primary share of baseline compulsory capacity",
        "fraction", "assumption: split not published", ge=0, le=1,
    )
    county_drift: float = param(
        1.0,
        "Urbanisation drift of county shares: multiple of the 2010→2020 census trend in each "
        "county's log share of the city population, continued from 2020 (0 = shares fixed)",
        "multiple of the 2010-20 trend", "data/raw/costs_counties.csv: 2010 and 2020 census "
        "county populations (七普公报第二号 表2-1)", ge=-1, le=3,
    )
    county_drift_sd: float = param(
        0.5, "Standard deviation of the drift multiple across draws (its uncertainty)",
        "multiple of the 2010-20 trend", "assumption: one decade of trend", ge=0, le=2,
    )
    county_births_qingcheng: bool = param(
        True,
        "Use 清城区's published 2022 births (9,599) for its share of the cohorts born from 2022: "
        "its births share (9,599 / city births of the draw) replaces its population share",
        "switch", "data/raw/population.csv: 清城区 2022 births (3rd-party)",
    )
    planned_places_by_county: Literal["baseline_share", "demand_growth"] = param(
        "baseline_share",
        "How the city's planned places are allocated to counties (project locations are not in "
        "data/raw): by each county's share of baseline capacity, or by its share of the "
        "growth of demand from the baseline to 2025 (where places are needed)",
        "choice", "assumption: county split of the 51 projects not published",
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
    plan_first_year: int = param(
        2026,
        "First school year in which places of the place plan can open (the 2021-2025 "
        "programme is committed; a new school takes about a year to build)",
        "school year (start)", "assumption: lead time of a school project", ge=2023, le=2035,
    )
    plan_discount_rate: float = param(
        0.08, "Discount rate that turns a place's capital into a cost per place-year",
        "fraction per year", "国家发展改革委、建设部《建设项目经济评价方法与参数》(第三版, 2006): "
        "社会折现率 8%", ge=0, le=0.2,
    )
    plan_building_life: int = param(
        50, "Life of a school building over which its capital is spread", "years",
        "GB 50352-2019 民用建筑设计统一标准: 普通房屋设计使用年限 50 年", ge=10, le=100,
    )
    plan_temporary_cost_ratio: float = param(
        1.5,
        "Cost of a temporary or rented place per year of use, as a multiple of a permanent "
        "place's cost per place-year (modular classrooms, rented buildings, double use)",
        "× permanent place-year cost", "assumption: no Qingyuan rent or modular-classroom "
        "price in data/raw", ge=0.1, le=10,
    )
    plan_conversion_cost_share: float = param(
        0.3,
        "Capital of converting a place of a level whose demand falls (primary → junior or "
        "preschool; junior → general senior), as a share of a new place's capital",
        "fraction of a new place's capital", "assumption: refit of classrooms, furniture and "
        "labs; not published", ge=0, le=1,
    )
    plan_overcrowding_penalty: float = param(
        15_000.0,
        "Cost of one pupil-year without a place at the standard (seated in a 大班额 class): the "
        "weight the plan puts on a shortage against the cost of places",
        "元 per pupil-year (2022 prices)", "assumption: of the order of a year's public spending "
        "per pupil (Guangdong 2022: primary 14,943, junior 21,955 元; costs_counties.csv)",
        ge=0, le=200_000,
    )
    plan_max_draws: int = param(
        200,
        "Draws used by the place plan's sample average (evenly spaced over the run's draws; "
        "all when fewer)", "draws", "assumption: the 32 LPs solve in about 1 s at 200 draws and the "
        "answer moves little beyond (bench/bench_place_plan.py)", ge=10, le=5000,
    )

    @field_validator("phase_2023_25")
    @classmethod
    def _phases_sum_to_one(cls, v: tuple[float, float, float]) -> tuple[float, float, float]:
        if any(x < 0 for x in v) or abs(sum(v) - 1) > 1e-6:
            raise ValueError(f"phases must be >= 0 and sum to 1 (sum is {sum(v):.4g})")
        return v
