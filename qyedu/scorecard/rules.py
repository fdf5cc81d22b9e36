"""The status rule: how one target is judged against a number (observed or projected).

Direction (column ``direction``, function ``judged_bound``): the bound a target is judged
under comes from its wording and its baseline, not from the table cell alone. Tables state a number with no wording (parsed
as ``eq``); then: another statement of the same indicator and year with ``ge``/``le`` wins
(以上/不少于 → floor, 以内/不超过 → ceiling); a name saying 下降/降低/减少/压减/整合/撤并/控制
makes it a ceiling; otherwise a target at or above its baseline is a floor (growth, or
"maintain": 33 general high schools in 2020, 33 targeted for 2022 → 34 is met), and a count
below its baseline is a ceiling (consolidation). ``approx`` (约/左右) below the baseline or
with consolidation wording (中职 "整合到10所左右", 14 → 10) is ``approx_le``: at most the
target plus the approx tolerance.

Statuses: ``met`` / ``missed`` are verdicts (target year passed, or a cumulative ``ge`` total
already reached); ``on_track`` / ``at_risk`` compare a value with the linear path from the
baseline to the target (or with the target itself for "maintain" targets); ``no_data``.
"""

from __future__ import annotations

import math

from ..labels import STATUSES  # noqa: F401 (re-exported)
from ..params.scorecard import ScorecardParams  # noqa: F401 (re-exported)

BOUNDS = ("eq", "ge", "le", "approx", "approx_le", "approx_ge")
CEILING_WORDS = ("下降", "降低", "减少", "压减", "整合", "撤并", "控制在", "以内", "不超过", "不高于")


def judged_bound(bound: str, target: float, baseline: float | None, name: object = "",
              stated: set[str] | frozenset = frozenset(), percent: bool = False,
              cumulative: bool = False) -> tuple[str, str]:
    """The bound to judge under and why (see the module docstring).

    Parameters
    ----------
    bound : the bound as parsed (``eq`` for a bare table number).
    stated : bounds of other statements of the same indicator and target year.
    percent : a rate or share (a rate below its baseline is never read as consolidation).
    cumulative : a total to add during the plan (新增 places): 约 means "about, or more".
    """
    n = str(name or "")
    ceiling_word = any(w in n for w in CEILING_WORDS)
    below = baseline is not None and not math.isnan(baseline) and target < baseline
    if bound == "approx" and cumulative:
        return "approx_ge", "places to add (约): at least the target less the approx tolerance"
    if bound == "approx":
        if ceiling_word or (below and not percent):
            return "approx_le", "consolidation target (约/左右 below the baseline): a ceiling"
        return "approx", ""
    if bound != "eq":
        return bound, ""
    for b, word in (("ge", "floor"), ("le", "ceiling")):
        if b in stated and not ({"ge", "le"} <= set(stated)):
            return b, f"{word} as worded elsewhere in the plan"
    if ceiling_word:
        return "le", "ceiling: the name says reduce/consolidate"
    if baseline is None or (isinstance(baseline, float) and math.isnan(baseline)):
        return "ge", "table number without a baseline: read as a floor"
    if below and not percent:
        return "le", f"below the baseline {baseline:,g}: consolidation, read as a ceiling"
    if below:
        return "ge", f"rate below its baseline {baseline:,g}: read as a floor (maintain at least)"
    return "ge", f"at or above the baseline {baseline:,g}: read as a floor"


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
    if bound == "approx_le":
        return value <= target + sp.approx_tolerance * abs(target) + 1e-12
    if bound == "approx_ge":
        return value >= target - sp.approx_tolerance * abs(target) - 1e-12
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
    if bound == "approx_le":
        return value <= path + sp.approx_tolerance * abs(target) + 1e-12
    if bound == "approx_ge":
        return value >= path - sp.approx_tolerance * abs(target) - 1e-12
    if direction == 0:
        return satisfies(value, target, bound, sp, percent)
    if bound == "eq":
        tol = sp.eq_tolerance * abs(target) if percent else sp.eq_tolerance_count
    else:
        tol = sp.approx_tolerance * abs(target)
    s = 1.0 if direction > 0 else -1.0
    return (value - path) * s >= -tol - 1e-12 and (value - target) * s <= tol + 1e-12
