"""Parse the quantities printed in the plan ("2.5万个以上", "不少于40所", "3-5所", "98以上").

Why a module of its own: every number in the registry goes through one parser, so the
reading of qualifiers (以上 → ``ge`` …) and of 万 is the same for tables and prose, and
bad strings fail loudly instead of becoming a silent NaN.

Bounds
------
``eq``      a bare number, or 达到/达/保持在 without a qualifier;
``ge``      以上, 不少于, 不低于, 至少;
``le``      不超过, 以内, 以下;
``approx``  约, 左右.
A range "3-5所" / "1—2所" / "1至2项" gives two quantities: the minimum with ``ge`` and the
maximum with ``le``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Regex fragment matching one printed quantity (used by the prose patterns).
QTY = (
    r"(?:不少于|不低于|不超过|至少|约|达到|保持在)?"
    r"\d+(?:\.\d+)?(?:\s*(?:-|－|—|–|~|～|至)\s*\d+(?:\.\d+)?)?"
    r"万?(?:%|％|个|所|名|人|项|间|学年|年)?(?:（[^）\d]{1,3}）)?"
    r"(?:以上|以内|以下|左右)?"
)

_PREFIX = {"不少于": "ge", "不低于": "ge", "至少": "ge", "不超过": "le", "约": "approx",
           "达到": None, "保持在": None, "达": None}
_SUFFIX = {"以上": "ge", "以内": "le", "以下": "le", "左右": "approx"}
_CORE = re.compile(
    r"^(?P<a>[-+]?\d+(?:\.\d+)?)"
    r"(?:\s*(?:-|－|—|–|~|～|至)\s*(?P<b>\d+(?:\.\d+)?))?"
    r"(?P<wan>万)?"
    r"(?P<unit>%|％|个|所|名|人|项|间|学年|年)?"
    r"(?:[（(][^）)\d]{1,3}[）)])?$"
)
_LABEL_UNIT = re.compile(r"[（(]([^（）()]+)[）)]$")
_SCALES = {"万人": ("人", 10000), "万个": ("个", 10000), "万": ("", 10000)}


@dataclass(frozen=True)
class Quantity:
    """One parsed number: ``value`` in base units, ``bound``, ``unit`` ('' if none)."""

    value: float
    bound: str
    unit: str
    text: str


def _scaled(number: str, wan: bool) -> float:
    value = float(number) * (10000 if wan else 1)
    return round(value, 6)


def parse_quantity(text: str) -> list[Quantity]:
    """Parse a printed quantity into one Quantity (or two for a range).

    Parameters
    ----------
    text : str
        e.g. ``"2.5万个以上"``, ``"不少于40所"``, ``"约7400个"``, ``"3-5所"``, ``"98以上"``.

    Returns
    -------
    list of Quantity
        One element, or two (``ge`` minimum, ``le`` maximum) for a range.

    Raises
    ------
    ValueError
        If the text is empty, not a number, or carries contradictory qualifiers.
    """
    s = str(text).strip().replace(" ", "")
    if not s:
        raise ValueError("empty quantity")
    bound = None
    for word in sorted(_PREFIX, key=len, reverse=True):
        if s.startswith(word):
            bound = _PREFIX[word]
            s = s[len(word):]
            break
    for word, b in _SUFFIX.items():
        if s.endswith(word):
            if bound is not None and bound != b:
                raise ValueError(f"contradictory qualifiers in quantity {text!r}")
            bound = b
            s = s[: -len(word)]
            break
    m = _CORE.match(s)
    if not m:
        raise ValueError(f"cannot parse quantity {text!r}")
    unit = (m["unit"] or "").replace("％", "%")
    wan = bool(m["wan"])
    if m["b"] is not None:
        if bound is not None:
            raise ValueError(f"a range cannot carry a qualifier: {text!r}")
        lo, hi = _scaled(m["a"], wan), _scaled(m["b"], wan)
        if lo > hi:
            raise ValueError(f"range minimum above maximum in {text!r}")
        return [Quantity(lo, "ge", unit, text), Quantity(hi, "le", unit, text)]
    return [Quantity(_scaled(m["a"], wan), bound or "eq", unit, text)]


def parse_single(text: str) -> Quantity:
    """Parse a quantity that must be a single number (a table cell); ranges are an error."""
    q = parse_quantity(text)
    if len(q) != 1:
        raise ValueError(f"expected one number, found a range in {text!r}")
    return q[0]


def label_unit(label: str) -> tuple[str, int]:
    """Unit and scale from a table label's trailing parenthesis.

    ``"在园幼儿数（人）"`` → ``("人", 1)``; ``"其中：本科生（万人）"`` → ``("人", 10000)``;
    a label without a unit gives ``("", 1)``.
    """
    m = _LABEL_UNIT.search(label.strip())
    if not m:
        return "", 1
    unit = m.group(1)
    if unit in _SCALES:
        return _SCALES[unit]
    return unit, 1


def decimals(text: str) -> int:
    """Number of printed decimals in a numeric cell ("30.25%" → 2, "40%" → 0)."""
    m = re.search(r"\d+(?:\.(\d+))?", text)
    return len(m.group(1)) if m and m.group(1) else 0
