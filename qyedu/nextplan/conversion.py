"""Where converting idle primary classrooms (to preschool or junior classes) meets a need in
the same county and year. A conversion is physical and local: classrooms, not places, are
compared (a primary room seats the primary standard, a junior class the junior standard, a
preschool class the kindergarten standard), and never across counties or levels' totals."""

from __future__ import annotations

import math

import pandas as pd

from ..labels import CITY
from .evidence import row
from .schema import PLAN_YEARS


def _pick(demand: pd.DataFrame, level: str, quantity: str) -> pd.DataFrame:
    t = demand[(demand["level"] == level) & (demand["quantity"] == quantity)
               & pd.to_numeric(demand["year"], errors="coerce").isin(PLAN_YEARS)]
    return t.set_index(["year", "county"])[["mean", "p05", "p50", "p95"]]


def conversion_rows(demand: pd.DataFrame, sizes: dict[str, float], scenario: str,
                    slug: str) -> list[dict]:
    """Idle primary classrooms, classrooms short in junior and preschool (shortage ÷ the
    class standard: a constant, so quantiles carry over), and the share of that need the
    idle rooms cover (on the medians of each quantity, stated: not a quantile of a sum)."""
    idle = _pick(demand, "primary", "idle_places") / sizes["primary"]
    short = {lv: _pick(demand, lv, "shortage") / sizes[lv]
             for lv in ("junior_secondary", "preschool")}
    src = f"qyedu run {slug}: places_demand.csv"
    out, covered = [], {}
    for (year, county), s in idle.iterrows():
        out.append(row("primary_classrooms_idle", "闲置教室（可改作初中或幼儿园教室）",
                       "Idle primary classrooms (convertible)", "primary", "间", year, county,
                       s.to_dict(), f"{src} (idle_places, primary) ÷ {sizes['primary']:g}",
                       f"idle primary places ÷ the primary class standard "
                       f"{sizes['primary']:g}", scenario))
        need = 0.0
        for lv, t in short.items():
            if (year, county) not in t.index:
                continue
            r = t.loc[(year, county)]
            need += float(r["p50"])
            out.append(row("classrooms_short", "缺少的教室", "Classrooms short", lv, "间",
                           year, county, r.to_dict(),
                           f"{src} (shortage, {lv}) ÷ {sizes[lv]:g}",
                           f"shortage ÷ the class standard {sizes[lv]:g}", scenario))
        if county != CITY:
            covered[year, county] = (min(float(s["p50"]), need), need)
    for year in sorted({y for y, _ in covered}):
        parts = {c: v for (y, c), v in covered.items() if y == year}
        # the city: rooms that cover a need in their own county, summed (no netting)
        parts[CITY] = (sum(v[0] for v in parts.values()), sum(v[1] for v in parts.values()))
        for county, (used, need) in sorted(parts.items()):
            share = 100 * used / need if need > 0 else math.nan
            out.append(row("conversion_covers_need",
                           "闲置教室改建可满足的同县初中与学前教室缺口比例",
                           "Share of the junior + preschool classroom need that idle primary "
                           "rooms in the same county cover", "primary", "%", year, county,
                           {"mean": math.nan, "p05": math.nan, "p50": share, "p95": math.nan},
                           src, "min(p50 idle primary rooms, p50 junior + preschool rooms short) "
                           "÷ the rooms short, per county; 全市 sums the counties' covered "
                           "rooms (no netting); medians of separate quantities, not a quantile; "
                           "NaN = no need", scenario))
    return out
