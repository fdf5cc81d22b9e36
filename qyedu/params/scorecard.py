"""Parameters of the target scorecard (how a target is judged against a number)."""

from __future__ import annotations

from typing import Literal

from .base import ParamModel, param


class ScorecardParams(ParamModel):
    evaluation_year: int = param(
        2026, "Year as of which targets are judged: a target whose year is <= this year has "
        "passed (met/missed); later targets are on_track/at_risk. Observations after it are "
        "ignored (an 'as of' scorecard). Never the wall clock",
        "calendar year", "assumption: the plan period ended in 2025; the data were assembled "
        "in 2026", ge=2015, le=2050,
    )
    plan_start: int = param(
        2021, "First year of the plan period: cumulative targets (新增/增加/新建, new_ ids, places) "
        "sum annual observations from this year on, from 0 at plan_start - 1",
        "calendar year", "plan: 十四五 = 2021-2025", ge=2000, le=2050,
    )
    eq_tolerance: float = param(
        0.005, "Relative tolerance of an 'eq' target stated as a rate or share (unit %): "
        "|value - target| <= eq_tolerance * |target|", "fraction",
        "assumption: rounding of published rates", ge=0, le=0.5,
    )
    eq_tolerance_count: float = param(
        0.0, "Absolute tolerance of an 'eq' target stated as a count (schools, places, "
        "persons): 0 = exact", "count", "assumption: counts are exact", ge=0,
    )
    approx_tolerance: float = param(
        0.10, "Relative tolerance of an 'approx' target (约/左右): |value - target| <= "
        "approx_tolerance * |target|", "fraction", "assumption: 约/左右 is loose", ge=0, le=1,
    )
    projection_baseline_tolerance: float = param(
        0.05, "A projected indicator is used for a status only if the projection reproduces "
        "the plan's baseline actual within this relative tolerance (same definition) and its "
        "draws vary at the target year (a ratio held at its calibration value is an "
        "assumption, not a forecast)", "fraction", "assumption: definition check", ge=0, le=1,
    )
    path_verdict_after_target_year: bool = param(
        False, "When a target year has passed but only earlier observations exist: False → "
        "on_track/at_risk from the linear path (an interim status, not a verdict); True → "
        "met/missed from the same path check", "switch", "assumption: a verdict needs an "
        "observation at or after the target year",
    )
    table_numbers_as: Literal["direction", "exact"] = param(
        "direction", "How a bare number in the plan's indicator tables (parsed as eq) is judged: "
        "'direction' → a floor or ceiling read from the wording elsewhere and the baseline "
        "(scorecard.rules.judged_bound: 34 schools against a target of 33 is met); 'exact' → "
        "equal within eq_tolerance / eq_tolerance_count", "choice",
        "assumption: the plan's tables list levels to reach or keep (保持…以上), not exact counts",
    )
