"""The status rule: how one target is judged against a number (observed or projected).

Statuses: ``met`` / ``missed`` are verdicts (target year passed, or a cumulative ``ge`` total
already reached); ``on_track`` / ``at_risk`` compare a value with the linear path from the
baseline to the target (or with the target itself for "maintain" targets); ``no_data``.
"""

from __future__ import annotations

import math

from ..labels import STATUSES  # noqa: F401 (re-exported)
from ..params.base import ParamModel, param

BOUNDS = ("eq", "ge", "le", "approx")


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


def is_percent(unit: object, name: object = "") -> bool:
    """Rates and shares (unit % or a name with 率/比例) get the relative eq tolerance."""
    u, n = str(unit or ""), str(name or "")
    return "%" in u or "percent" in u.lower() or "率" in n or "比例" in n


def satisfies(value: float, target: float, bound: str, sp: ScorecardParams,
              percent: bool = True) -> bool:
    """Does ``value`` meet ``target`` under ``bound``? (ge: >=, le: <=, eq/approx: tolerance)."""
    if bound == "ge":
        return value >= target
    if bound == "le":
        return value <= target
    if bound == "eq":
        tol = sp.eq_tolerance * abs(target) if percent else sp.eq_tolerance_count
        return abs(value - target) <= tol + 1e-12
    if bound == "approx":
        return abs(value - target) <= sp.approx_tolerance * abs(target) + 1e-12
    raise ValueError(f"unknown bound {bound!r}; expected one of {BOUNDS}")


def already_satisfied(baseline: float | None, target: float, bound: str,
                      sp: ScorecardParams, percent: bool = True) -> bool:
    """A 'maintain' target: the baseline already meets it (e.g. 保持在98%以上 from 101.28)."""
    return baseline is not None and not math.isnan(baseline) and satisfies(
        baseline, target, bound, sp, percent)


def path_value(base_year: int, base_value: float, target_year: int, target: float,
               year: int) -> float:
    """Linear path from (base_year, base_value) to (target_year, target), evaluated at year."""
    if target_year <= base_year:
        return target
    frac = min(max((year - base_year) / (target_year - base_year), 0.0), 1.0)
    return base_value + (target - base_value) * frac


def on_path(value: float, path: float, target: float, bound: str, direction: float,
            sp: ScorecardParams, percent: bool = True) -> bool:
    """Is ``value`` at least as far along as the path value ``path``?

    ge/le: the path is a floor/ceiling. eq/approx: at least as far as the path in the
    direction baseline → target (minus the tolerance), and not past the target beyond it."""
    if bound == "ge":
        return value >= path
    if bound == "le":
        return value <= path
    if direction == 0:
        return satisfies(value, target, bound, sp, percent)
    if bound == "eq":
        tol = sp.eq_tolerance * abs(target) if percent else sp.eq_tolerance_count
    else:
        tol = sp.approx_tolerance * abs(target)
    s = 1.0 if direction > 0 else -1.0
    return (value - path) * s >= -tol - 1e-12 and (value - target) * s <= tol + 1e-12
