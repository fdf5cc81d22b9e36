"""Guangdong's annual births, reconstructed from the scattered provincial points.

Rules, in order of precedence (each year gets the first that applies; ``kind`` says which):

1. ``observed`` — a published count (2016, 2018, 2019, 2021–2024 in population.csv), then
   the preferred published counts of data/raw/validation/guangdong_population.csv for the
   other years it covers (2001–2015, 2017; vintage: year ≤ base year).
2. ``derived`` — 2017 from the published change: births(2017) = births(2018) − change
   (change = −76,500, "较2017年…下降7.65万人"); and years with a published birth rate and
   year-end resident population but no count (2008, 2011, 2015): births = rate/1000 ×
   population (year-end instead of mid-year population: under 1 % high for a province
   growing ~1–2 % a year).
3. ``interpolated`` — log-linear between the nearest rule-1/2 years (2009–2010, 2020);
   inside a published multi-year total (2011–2015 = 5,808,800) the interpolated years
   (2012–2014) are then scaled together so that the span sums exactly to the total.
4. ``extrapolated`` — held at the nearest known year (2003–2007 at the 2008 value).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from ..observed.names import PROVINCE
from ..observed.points import population_points
from .interpolate import INTERPOLATED, OBSERVED, fill

DERIVED = "derived"


VALIDATION_FILE = ("validation", "guangdong_population.csv")


def validation_counts(base_year: int | None = None) -> pd.Series:
    """Guangdong's preferred published births (persons) by year from the validation file."""
    from .. import paths

    path = paths.data_raw().joinpath(*VALIDATION_FILE)
    s = _validation_counts(path, path.stat().st_mtime_ns)
    return s.copy() if base_year is None else s[s.index <= base_year].copy()


@functools.lru_cache(maxsize=4)
def _validation_counts(path, mtime_ns: int) -> pd.Series:
    df = pd.read_csv(path)
    df = df[(df["indicator"] == "births") & (df["preferred"] == 1) & (df["unit"] == "万人")]
    return df.drop_duplicates("year").set_index("year")["value"].sort_index() * 1e4


def anchor_points(pts: pd.DataFrame, extra: pd.Series | None = None) -> pd.DataFrame:
    """Guangdong births (persons) from rules 1–2 (columns year, value, kind, rule);
    ``extra`` are further published counts (``validation_counts``) used where population.csv
    has none."""
    gd = pts[pts["area"] == PROVINCE]
    single = gd[gd["year"] == gd["year_end"]]
    get = {ind: single[single["indicator"] == ind].drop_duplicates("year").set_index("year")["value"]
           for ind in ("births", "birth_rate", "resident_population")}
    rows = {int(y): (v, OBSERVED, "published count") for y, v in get["births"].items()}
    for y, v in (extra if extra is not None else pd.Series(dtype=float)).items():
        rows.setdefault(int(y), (float(v), OBSERVED,
                                 "published count (validation/guangdong_population.csv)"))
    change = single[single["indicator"] == "births_change_2018_vs_2017"]
    for r in change.itertuples():
        if r.year not in rows and r.year + 1 in rows:
            rows[int(r.year)] = (rows[r.year + 1][0] - r.value, DERIVED,
                                 f"births {r.year + 1} minus published change ({r.value:+g})")
    for y in get["birth_rate"].index.intersection(get["resident_population"].index):
        if int(y) not in rows:
            v = get["birth_rate"][y] / 1000 * get["resident_population"][y]
            rows[int(y)] = (v, DERIVED, "birth rate x year-end resident population")
    out = pd.DataFrame([(y, *v) for y, v in sorted(rows.items())],
                       columns=["year", "value", "kind", "rule"])
    return out


def guangdong_births(years, base_year: int | None = None, pts: pd.DataFrame | None = None
                     ) -> pd.DataFrame:
    """Annual Guangdong births (persons) for ``years`` using data as of ``base_year``.

    Returns columns year, value, kind (observed/derived/interpolated/extrapolated), rule.
    """
    pts = population_points(base_year) if pts is None else pts
    last = base_year if base_year is not None else int(pts["year_end"].max())
    anchors = anchor_points(pts, validation_counts(last))
    years = np.asarray(years, dtype=int)
    known = anchors.set_index("year")["value"]
    values, kind = fill(years, known, log=True)
    out = pd.DataFrame({"year": years, "value": values, "kind": kind, "rule": ""})
    a = anchors.set_index("year")
    hit = out["year"].isin(a.index)
    out.loc[hit, "kind"] = a.loc[out.loc[hit, "year"], "kind"].to_numpy()
    out.loc[hit, "rule"] = a.loc[out.loc[hit, "year"], "rule"].to_numpy()
    out.loc[out["kind"] == INTERPOLATED, "rule"] = "log-linear between known years"
    out.loc[out["kind"] == "extrapolated", "rule"] = "held at nearest known year"
    gd = pts[(pts["area"] == PROVINCE) & (pts["indicator"].str.startswith("births_"))
             & (pts["year"] < pts["year_end"])]
    for r in gd.itertuples():
        span = out["year"].between(r.year, r.year_end)
        if span.sum() != r.year_end - r.year + 1:
            continue  # span not fully inside the reconstructed years
        free = span & (out["kind"] == INTERPOLATED)
        fixed = out.loc[span & ~free, "value"].sum()
        if free.any():
            out.loc[free, "value"] *= (r.value - fixed) / out.loc[free, "value"].sum()
            out.loc[free, "rule"] = f"log-linear, scaled to the {r.year}-{r.year_end} total"
    return out
