"""Tidy accessors over the validated raw files: the points the births reconstruction and
the projection need, each with its provenance (file, line, reliability, basis).

Vintage rule (used everywhere): a point is available "as of" ``base_year`` when its
observation year (the last year of a span such as ``2011-2015``) is ≤ ``base_year``. An
annual bulletin for year Y is published early in Y+1, so an "as of Y" run is what an analyst
could have done at the start of Y+1 — the same moment the plan (2020 data) was written.
"""

from __future__ import annotations

import pandas as pd

from ..errors import InputError
from .names import CITY, COUNTIES, PROVINCE, area_name, level_code, year_span
from .raw import read_raw

POINT_COLUMNS = ["area", "year", "year_end", "indicator", "value", "unit", "basis",
                 "reliability", "source_file", "source_line", "quote"]


def as_of(df: pd.DataFrame, base_year: int | None, column: str = "year_end") -> pd.DataFrame:
    """Rows observed up to ``base_year`` (all rows if None); see the module's vintage rule."""
    if base_year is None:
        return df
    return df[df[column] <= base_year].reset_index(drop=True)


def population_points(base_year: int | None = None, path=None) -> pd.DataFrame:
    """All rows of population.csv in tidy form: ``year`` = first year, ``year_end`` = last
    year of the span, canonical ``area``. Units: persons, or per mille for rates."""
    raw = read_raw("population", path)
    spans = raw["year"].map(year_span)
    bad = spans.isna()
    if bad.any():
        i = raw.index[bad][0]
        raise InputError(f"malformed year {raw.at[i, 'year']!r}", raw.at[i, "source_file"],
                         int(raw.at[i, "source_line"]))
    df = raw.assign(
        area=raw["area"].map(lambda a: area_name(a) or a),
        year=spans.map(lambda s: s[0]).astype(int),
        year_end=spans.map(lambda s: s[1]).astype(int),
    )
    return as_of(df[POINT_COLUMNS], base_year)


def series(indicator: str, area: str, base_year: int | None = None, path=None) -> pd.Series:
    """Single-year values of one indicator for one area, indexed by year (persons or ‰).

    Where two rows give the same year the first in the file is kept (none do today)."""
    df = population_points(base_year, path)
    df = df[(df["indicator"] == indicator) & (df["area"] == area) & (df["year"] == df["year_end"])]
    return df.drop_duplicates("year").set_index("year")["value"].sort_index()


def qingyuan_births(base_year: int | None = None) -> pd.Series:
    """Qingyuan's published birth counts (persons) by year: 2007 (registered), 2018, 2019."""
    return series("births", CITY, base_year)


def county_census_shares(year: int = 2020) -> pd.Series:
    """Each county-level unit's share of the summed resident population at the census
    (2020: 7th census, population.csv). Index: the 8 units in ``COUNTIES`` order."""
    df = population_points()
    df = df[(df["indicator"] == "resident_population") & (df["year"] == year)
            & df["area"].isin(COUNTIES)].set_index("area")["value"]
    missing = [c for c in COUNTIES if c not in df.index]
    if missing:
        raise InputError(f"no {year} resident population for {missing}", "population.csv")
    pop = df.reindex(list(COUNTIES))
    return pop / pop.sum()


def guangdong_education(base_year: int | None = None, path=None) -> pd.DataFrame:
    """guangdong_education.csv in tidy form with a ``level_code`` (``compulsory`` and
    ``senior secondary`` kept as ``compulsory`` / ``senior``)."""
    raw = read_raw("guangdong_education", path)
    code = raw["level"].map(level_code)
    code = code.where(code.notna(), raw["level"].str.split().str[0])
    df = raw.assign(year=raw["year"].astype(int), year_end=raw["year"].astype(int),
                    level_code=code, area=PROVINCE)
    return as_of(df, base_year)
