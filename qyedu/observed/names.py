"""Normalise the names used in the raw files: education levels, areas and school years.

The raw files label levels in English with the Chinese term in brackets
(``primary (小学)``); the projection uses the short codes of ``projection.result.LEVELS``.
Unknown labels are errors so a new file can never be silently mis-read.
"""

from __future__ import annotations

import re

CITY = "清远市"  # the city as spelled in the raw files (the projection reports it as 全市)
PROVINCE = "广东省"
COUNTIES: tuple[str, ...] = (
    "清城区", "清新区", "佛冈县", "阳山县", "连山壮族瑶族自治县", "连南瑶族自治县", "英德市", "连州市",
)
# Short spellings used by some sources (e.g. 连南县 in the 2023 population bulletin).
AREA_ALIASES = {"全市": CITY, "清远": CITY, "连南县": "连南瑶族自治县", "连山县": "连山壮族瑶族自治县"}

_LEVEL_WORDS = [
    ("preschool", ("preschool", "幼儿园", "学前")),
    ("primary", ("primary", "小学")),
    ("junior_secondary", ("junior", "初中")),
    ("senior_general", ("general senior", "普通高中", "senior_general")),
    ("senior_vocational", ("vocational", "中职", "senior_vocational")),
]
# Number of grades of each level (幼儿园 小/中/大班 = 3).
GRADES = {"preschool": 3, "primary": 6, "junior_secondary": 3, "senior_general": 3,
          "senior_vocational": 3}


def level_code(label: str) -> str | None:
    """Projection level code for a raw label, or None if the label is not recognised.

    >>> level_code("junior secondary (初中)")
    'junior_secondary'
    """
    text = str(label).strip().lower()
    for code, words in _LEVEL_WORDS:
        if text == code or any(w in text for w in words):
            return code
    return None


def area_name(label: str) -> str | None:
    """Canonical area name (city, one of the 8 county-level units, province) or None."""
    text = str(label).strip()
    text = AREA_ALIASES.get(text, text)
    return text if text in (CITY, PROVINCE, *COUNTIES) else None


def school_year_start(label: str) -> int | None:
    """Start year of a school year ``2022-2023`` / ``2022–23`` / ``2022`` (None if malformed).

    The projection indexes school years by their start year (enrolment at the start of the
    school year, as the bulletins count it)."""
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–/]\s*(\d{2}|\d{4}))?\s*", str(label))
    if not m:
        return None
    start = int(m.group(1))
    if m.group(2):
        end = int(m.group(2))
        end = end + (start // 100) * 100 if end < 100 else end
        if end != start + 1:
            return None
    return start


def year_span(label: str) -> tuple[int, int] | None:
    """``2011-2015`` → (2011, 2015); ``2018`` → (2018, 2018); None if malformed."""
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", str(label))
    if not m:
        return None
    a = int(m.group(1))
    b = int(m.group(2)) if m.group(2) else a
    return (a, b) if b >= a else None


def county_problem(county: str) -> str | None:
    """Why ``county`` is not a reporting unit of the projection (全市 or one of the 8
    county-level units of population.csv), or None."""
    if county == "全市" or county in COUNTIES:
        return None
    hint = f" (did you mean {AREA_ALIASES[county]!r}?)" if AREA_ALIASES.get(county) in COUNTIES else ""
    return (f"forecast.county {county!r} is not a county-level unit of Qingyuan{hint}; "
            f"expected 全市 or one of: {', '.join(COUNTIES)}")
