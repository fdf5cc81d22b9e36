"""Calibrated words for probabilities: one scale, in Chinese and English, used by every
verdict the reports print (decision box, verdicts table, pages, workbook), so that a word
always means the same range of probability and the colour follows the word.

The scale is the IPCC's likelihood scale (AR5/AR6 guidance note on the consistent treatment
of uncertainties, Mastrandrea et al. 2010), applied to P(shortfall), the share of the
projection's draws in which the places fall short. Bands are closed at the top of each
range and checked from the most extreme down: 0.58 is "about as likely as not", never
"likely". The documented table is in docs/REPORTS.md."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    """One word of the scale: applies when ``lo <= p <= hi`` (checked in SCALE order)."""

    key: str
    lo: float
    hi: float
    zh: str
    en: str
    colour: str  # the badge colour of a shortfall judged with this word


# Order matters: the narrowest (most extreme) bands first, then the wide ones.
SCALE: tuple[Band, ...] = (
    Band("virtually_certain", 0.99, 1.0, "几乎肯定", "virtually certain", "#8b1a1a"),
    Band("exceptionally_unlikely", 0.0, 0.01, "极不可能", "exceptionally unlikely", "#1b5e20"),
    Band("very_likely", 0.90, 1.0, "很可能", "very likely", "#c0392b"),
    Band("very_unlikely", 0.0, 0.10, "很不可能", "very unlikely", "#2e7d32"),
    Band("likely", 0.66, 1.0, "可能", "likely", "#d35400"),
    Band("unlikely", 0.0, 0.33, "不太可能", "unlikely", "#558b2f"),
    Band("about_as_likely_as_not", 0.33, 0.66, "可能性约为一半", "about as likely as not",
         "#b7950b"),
)
NO_DATA = Band("no_data", math.nan, math.nan, "数据不足", "not enough data", "#777777")


def band(p: float | None) -> Band:
    """The word for probability ``p`` (0–1); NO_DATA when p is missing or outside [0, 1]."""
    if p is None:
        return NO_DATA
    try:
        p = float(p)
    except (TypeError, ValueError):
        return NO_DATA
    if not (0.0 <= p <= 1.0):
        return NO_DATA
    for b in SCALE:
        if b.lo <= p <= b.hi:
            return b
    return NO_DATA  # unreachable: the bands cover [0, 1]


def shortfall_words(p: float | None) -> tuple[str, str]:
    """'缺口可能性约为一半' / 'a shortfall is about as likely as not' for P(shortfall) = p."""
    b = band(p)
    if b is NO_DATA:
        return b.zh, b.en
    return f"缺口{b.zh}", f"a shortfall is {b.en}"


def scale_rows() -> list[dict]:
    """The scale as a table (for the glossary and the appendix): word, range, colour."""
    order = ["virtually_certain", "very_likely", "likely", "about_as_likely_as_not",
             "unlikely", "very_unlikely", "exceptionally_unlikely"]
    by = {b.key: b for b in SCALE}
    out = []
    for k in order:
        b = by[k]
        rng = (f"≥ {b.lo:.0%}" if b.hi == 1.0 else
               f"≤ {b.hi:.0%}" if b.lo == 0.0 else f"{b.lo:.0%}–{b.hi:.0%}")
        out.append({"key": k, "zh": b.zh, "en": b.en, "range": rng, "colour": b.colour})
    return out
