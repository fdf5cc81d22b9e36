"""Demographic turning points. City-wide, from the projection's draws: per level (and
compulsory = primary + junior) the year enrolment peaks (searched from the 14th plan's
baseline year), its band over draws, the peak, how far enrolment falls from it by 2030 and by
the horizon, and the chance that the peak is still ahead of the 15th plan's start. Per county,
from the places stage's county demand (``places_demand.csv`` places_needed, where the county
shares drift; the projection's own county split is a fixed share of the city, so its county
peaks would only repeat the city's): the years in which the p05, p50 and p95 paths peak
(sorted into p05/p50/p95: a range of path peaks, not quantiles of peak years), the p50 path's
peak and its fall by 2030."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..labels import CITY
from ..stats import summarize
from .schema import PEAK_FROM, PLAN_YEARS

COLUMNS = ["level", "county", "scenario", "quantity", "mean", "p05", "p50", "p95", "basis"]


def _series(result) -> dict[tuple[str, str], np.ndarray]:
    """(level, county) → draws (D, Y) of enrolment, city first, compulsory added."""
    arr, counties = result.with_city("enrolled")  # (D, Y, L, 1 + C), 全市 first
    levels = list(result.levels)
    out = {}
    for k, county in enumerate(counties):
        for j, level in enumerate(levels):
            out[level, county] = arr[:, :, j, k]
        out["compulsory", county] = (arr[:, :, levels.index("primary"), k]
                                     + arr[:, :, levels.index("junior_secondary"), k])
    return out


def county_turning(demand: pd.DataFrame, scenario: str) -> list[tuple]:
    """Rows for the counties from the quantile paths of places needed (see the module)."""
    d = demand[(demand["quantity"] == "places_needed") & (demand["county"] != CITY)
               & (pd.to_numeric(demand["year"], errors="coerce") >= PEAK_FROM)]
    end = PLAN_YEARS[-1]
    rows = []
    basis = ("places_demand.csv places_needed (county shares drift): years in which the p05, "
             "p50 and p95 paths peak, sorted; not quantiles of peak years")
    for (level, county), g in d.groupby(["level", "county"], sort=True):
        g = g.sort_values("year").set_index("year")
        years = sorted(int(g[q].idxmax()) for q in ("p05", "p50", "p95"))
        rows.append((level, county, scenario, "peak_year", np.nan, *map(float, years), basis))
        top = int(g["p50"].idxmax())
        rows.append((level, county, scenario, "peak_enrolled", np.nan, float(g.at[top, "p05"]),
                     float(g.at[top, "p50"]), float(g.at[top, "p95"]),
                     f"places_demand.csv places_needed in {top}, the p50 path's peak year"))
        if end in g.index and g.at[top, "p50"] > 0:
            fall = 100 * (1 - g.at[end, "p50"] / g.at[top, "p50"])
            rows.append((level, county, scenario, f"fall_from_peak_{end}_pct", np.nan, np.nan,
                         float(fall), np.nan, f"1 − p50 {end} ÷ p50 at the p50 path's peak, %"))
    return rows


def turning_points(result, scenario: str, demand: pd.DataFrame | None = None) -> pd.DataFrame:
    """Peak year and size with bands, the fall from the peak to 2030 and to the horizon (%
    of the peak, per draw), P(peak after the 14th plan, i.e. in 2026 or later)."""
    years = np.asarray(result.years).astype(int)
    keep = years >= PEAK_FROM
    yrs = years[keep]
    end, horizon = PLAN_YEARS[-1], int(years[-1])
    rows = []
    for (level, county), d in sorted(_series(result).items()):
        if county != CITY:
            continue
        d = d[:, keep]
        if not np.isfinite(d).all() or not (d > 0).any():
            continue
        at = d.argmax(axis=1)
        peak_year = yrs[at].astype(float)
        peak = d[np.arange(len(d)), at]
        fall_end = 100 * (1 - d[:, list(yrs).index(end)] / peak) if end in yrs else None
        fall_h = 100 * (1 - d[:, -1] / peak)
        src = f"projection draws ({len(d)}), enrolment {PEAK_FROM}–{horizon}"
        for q, v, basis in (
                ("peak_year", peak_year, src + ": year of each draw's maximum"),
                ("peak_enrolled", peak, src + ": each draw's maximum"),
                (f"fall_from_peak_{end}_pct", fall_end, src + f": 1 − {end} ÷ peak, %"),
                (f"fall_from_peak_{horizon}_pct", fall_h, src + f": 1 − {horizon} ÷ peak, %")):
            if v is None:
                continue
            s = summarize(v, axis=0)
            rows.append((level, county, scenario, q, float(s["mean"]), float(s["p05"]),
                         float(s["p50"]), float(s["p95"]), basis))
        p = float(np.mean(peak_year >= PLAN_YEARS[0]))
        rows.append((level, county, scenario, "prob_peak_in_or_after_2026", p, np.nan, np.nan,
                     np.nan, src + ": share of draws whose peak is 2026 or later"))
    if demand is not None:
        rows += county_turning(demand, scenario)
    return pd.DataFrame.from_records(rows, columns=COLUMNS)
