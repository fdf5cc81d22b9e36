"""The calibrated likelihood scale (IPCC AR5/AR6 guidance note, Mastrandrea et al. 2010):
one word per probability range, in Chinese and English, with the colour that follows the
word. It lives in a low layer so that every stage that states a probability in words (the
places verdicts through ``qyedu.views.words``, the scorecard's projected statuses) uses the
same scale; the documented table is in docs/REPORTS.md.

Bands are closed at the top of each range and checked from the most extreme down: 0.58 is
"about as likely as not", never "likely". A probability of *meeting* a target uses the same
words ("很可能达到 very likely met"), its colour mirrored: likely met is green, likely short red."""

from __future__ import annotations

import math
import re
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
BY_KEY = {b.key: b for b in (*SCALE, NO_DATA)}
#: The word of P(not A) for the word of P(A): colours of a probability of meeting a target.
MIRROR = {"virtually_certain": "exceptionally_unlikely", "very_likely": "very_unlikely",
          "likely": "unlikely", "about_as_likely_as_not": "about_as_likely_as_not",
          "unlikely": "likely", "very_unlikely": "very_likely",
          "exceptionally_unlikely": "virtually_certain", "no_data": "no_data"}
#: "met" in Chinese for each word: 很可能达到, 达到的可能性约为一半 …
MET_ZH = {"about_as_likely_as_not": "达到的可能性约为一半", "no_data": "数据不足"}


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


def range_bands(lo: float, hi: float) -> tuple[Band, Band]:
    """The words of a probability known only to lie in [lo, hi]: one word twice when a single
    band holds the whole range (the narrowest one-sided band for a range near 0 or 1: [0, 5 %]
    is "very unlikely"), else the words of its two ends."""
    if hi <= 0.33:
        return band(hi), band(hi)  # one-sided bands below 33 % nest: the one of hi holds [0, hi]
    if lo >= 0.66:
        return band(lo), band(lo)
    a, b = band(lo), band(hi)
    return (a, a) if a is b else (a, b)


def met_key(p: float | None = None, lo: float | None = None, hi: float | None = None) -> str:
    """The scale's key for a probability of meeting a target (``p``, or a range [lo, hi]):
    ``very_likely``, or ``very_unlikely_to_about_as_likely_as_not`` for a range across words."""
    if p is not None and not (isinstance(p, float) and math.isnan(p)):
        return band(p).key
    if lo is None or hi is None:
        return NO_DATA.key
    a, b = range_bands(lo, hi)
    return a.key if a is b else f"{a.key}_to_{b.key}"


def met_words(key: str) -> tuple[str, str, str]:
    """(中文, English, colour) of a ``met_key``: ("很可能达到", "very likely met", green)."""
    if "_to_" in key:
        k1, k2 = key.split("_to_")
        a, b = BY_KEY.get(k1, NO_DATA), BY_KEY.get(k2, NO_DATA)
        zh = f"达到的可能性介于{a.zh}与{b.zh}之间"
        return zh, f"between {a.en} and {b.en} met", BY_KEY[MIRROR[b.key]].colour
    b = BY_KEY.get(key, NO_DATA)
    if b is NO_DATA:
        return NO_DATA.zh, NO_DATA.en, NO_DATA.colour
    return MET_ZH.get(b.key, f"{b.zh}达到"), f"{b.en} met", BY_KEY[MIRROR[b.key]].colour


def pct_text(p: float) -> str:
    """A probability for a sentence: ``37 %``, ``<1 %``, ``>99 %``."""
    return "<1 %" if p < 0.005 else ">99 %" if p > 0.995 else f"{100 * p:.0f} %"


def met_text(key: str, p: float | None = None, rng: str = "") -> str:
    """A probability of meeting a target in the scale's words, Chinese first:
    ``很可能达到 very likely met (P 93 %)``; ``rng`` (e.g. ``<5 %``) when only a range is
    known."""
    zh, en, _ = met_words(key)
    shown = pct_text(float(p)) if p is not None and p == p else re.sub(r"\s+", " ", str(rng)).strip()
    return f"{zh} {en}" + (f" (P {shown})" if shown else "")
