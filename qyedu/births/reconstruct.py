"""Qingyuan's annual births for every year the cohorts need (from 2002: a third of the
17-year-olds of 2020 were born then, under the 31 August cut-off), up to the base year,
from data published up to the base year.

Basis adopted: the published Qingyuan counts are reproduced exactly — 2007 (56,000,
registered basis), 2018 (66,800) and 2019 (60,000), the latter two of unstated basis. The
larger counts are kept rather than the resident-rate products (58,000 / 57,000) because
enrolment points to them: 422,369 primary pupils in 2022–23 is ~70,000 per grade. The
resident-rate information still shapes the ``rate_ratio`` method between anchors.

Doubt about the unstated-basis anchors is carried into the draws: for each such anchor the
alternative is the resident-rate product of the same year (2018: 14.98‰ × 387.4万 ≈ 58,000;
2019: 14.67‰ × 388.6万 ≈ 57,000), and ``Reconstruction.anchor_deltas`` holds the change of
each method's series when that anchor takes its alternative value (both methods are linear in
the anchor counts, so a draw with weight u on the alternative is the base series plus
u × delta). ``births_draws`` applies u ~ Uniform(0, ``projection.births_anchor_doubt``)
per draw and anchor.

The per-year ``kind`` is ``observed`` at the anchor years, ``interpolated`` between the first
and last anchor, ``extrapolated`` outside (2003–2006, 2020 → base year).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..observed.names import CITY, PROVINCE
from ..observed.points import population_points
from .guangdong import guangdong_births
from .interpolate import fill
from .methods import rate_ratio, share_of_guangdong

FIRST_BIRTH_YEAR = 2002  # 1/3 of the 17-year-olds of 2020 were born in 2002 (31 August cut-off)
METHODS = ("share_of_guangdong", "rate_ratio")


@dataclass(frozen=True)
class Reconstruction:
    """Both reconstructions on the same years (persons), plus the inputs behind them."""

    base_year: int
    years: np.ndarray
    share_of_guangdong: np.ndarray
    rate_ratio: np.ndarray
    kind: np.ndarray
    guangdong: pd.DataFrame
    anchors: pd.Series
    anchor_deltas: dict = None  # year → {method: change of the series (persons)}
    anchor_alternatives: dict = None  # year → alternative count (persons) and how

    def method(self, name: str) -> np.ndarray:
        return getattr(self, name)


def _single(pts: pd.DataFrame, area: str, indicator: str) -> pd.Series:
    df = pts[(pts["area"] == area) & (pts["indicator"] == indicator)
             & (pts["year"] == pts["year_end"])]
    return df.drop_duplicates("year").set_index("year")["value"].sort_index()


def reconstruct(base_year: int, first_year: int = FIRST_BIRTH_YEAR) -> Reconstruction:
    """Reconstruct Qingyuan births ``first_year..base_year`` as of ``base_year``.

    Inputs (all as of ``base_year``): Guangdong births (``guangdong.guangdong_births``),
    Guangdong birth rate (log-linear between published years, held outside), Qingyuan
    resident population (linear between published years, held outside; pre-2020 figures
    are not revised to the 2020 census), Qingyuan published rates and counts.
    """
    pts = population_points(base_year)
    years = np.arange(first_year, base_year + 1)
    gd = guangdong_births(years, pts=pts)
    counts = _single(pts, CITY, "births")
    counts = counts[counts.index >= first_year]
    gd_rate, _ = fill(years, _single(pts, PROVINCE, "birth_rate"), log=True)
    qy_pop, _ = fill(years, _single(pts, CITY, "resident_population"))
    qy_rate = _single(pts, CITY, "birth_rate")
    qy_rate = qy_rate[qy_rate.index >= first_year]
    a = share_of_guangdong(years, gd["value"].to_numpy(), counts)
    b = rate_ratio(years, gd_rate, qy_rate, qy_pop, counts)
    _, kind = fill(years, counts)
    deltas, alts = {}, {}
    for y, alt in unstated_alternatives(pts, counts).items():
        c2 = counts.copy()
        c2[y] = alt
        deltas[y] = {"share_of_guangdong": share_of_guangdong(years, gd["value"].to_numpy(), c2) - a,
                     "rate_ratio": rate_ratio(years, gd_rate, qy_rate, qy_pop, c2) - b}
        alts[y] = alt
    return Reconstruction(base_year, years, a, b, kind, gd, counts, deltas, alts)


def unstated_alternatives(pts: pd.DataFrame, counts: pd.Series) -> dict[int, float]:
    """For each anchor whose basis is unstated: the resident-rate product of that year
    (Qingyuan birth rate × resident population), where both are published."""
    df = pts[(pts["area"] == CITY) & (pts["year"] == pts["year_end"])]
    basis = df[df["indicator"] == "births"].drop_duplicates("year").set_index("year")["basis"]
    rate = _single(pts, CITY, "birth_rate")
    pop = _single(pts, CITY, "resident_population")
    out = {}
    for y in counts.index:
        if str(basis.get(y, "")).startswith("unstated") and y in rate.index and y in pop.index:
            out[int(y)] = float(rate[y] / 1000 * pop[y])
    return out


def births_draws(rec: Reconstruction, method: str, weights: np.ndarray,
                 doubt: np.ndarray | None = None) -> np.ndarray:
    """Draws of the reconstructed births, shape (D, len(rec.years)), persons.

    ``weights`` (shape (D,), in [0, 1]) is the weight of ``share_of_guangdong`` in each draw;
    it is used only for ``mixed`` (each draw is a convex mixture of the two methods, so the
    anchors stay exact in every draw and the method spread becomes uncertainty).
    ``doubt`` (shape (D, K), in [0, 1]) is each draw's weight on the alternative value of
    the K unstated-basis anchors (``rec.anchor_deltas``, in year order); None = none."""
    w = np.asarray(weights, dtype=float)[:, None]
    deltas = rec.anchor_deltas or {}
    if method == "mixed":
        out = w * rec.share_of_guangdong[None, :] + (1 - w) * rec.rate_ratio[None, :]
    else:
        out = np.broadcast_to(rec.method(method), (len(weights), len(rec.years))).copy()
    if doubt is not None:
        for k, y in enumerate(sorted(deltas)):
            d = deltas[y]
            dd = (w * d["share_of_guangdong"][None, :] + (1 - w) * d["rate_ratio"][None, :]
                  if method == "mixed" else d[method][None, :])
            out = out + doubt[:, k:k + 1] * dd
    return out
