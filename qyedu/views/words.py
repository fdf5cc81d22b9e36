"""Calibrated words for probabilities: one scale, in Chinese and English, used by every
verdict the reports print (decision box, verdicts table, pages, workbook, the scorecard's
projected statuses), so that a word always means the same range of probability and the
colour follows the word. The scale itself is ``qyedu.likelihood`` (a low layer, so the
scorecard stage can name its statuses with it); this module words it for pages.

The scale is the IPCC's likelihood scale (AR5/AR6 guidance note on the consistent treatment
of uncertainties, Mastrandrea et al. 2010), applied to P(shortfall), the share of the
projection's draws in which the places fall short. Bands are closed at the top of each
range and checked from the most extreme down: 0.58 is "about as likely as not", never
"likely". The documented table is in docs/REPORTS.md."""

from __future__ import annotations

from ..likelihood import BY_KEY, NO_DATA, SCALE, Band, band, met_key, met_text, met_words

__all__ = ["BY_KEY", "NO_DATA", "SCALE", "Band", "band", "met_key", "met_text", "met_words",
           "scale_rows", "shortfall_words"]


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
