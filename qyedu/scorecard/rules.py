"""The status rule: how one target is judged against a number (observed or projected).

Statuses: ``met`` / ``missed`` are verdicts (target year passed, or a cumulative ``ge`` total
already reached); ``on_track`` / ``at_risk`` compare a value with the linear path from the
baseline to the target (or with the target itself for "maintain" targets); ``no_data``.
"""

from __future__ import annotations

import math

from ..labels import STATUSES  # noqa: F401 (re-exported)
from ..params.scorecard import ScorecardParams  # noqa: F401 (re-exported)

BOUNDS = ("eq", "ge", "le", "approx")


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
