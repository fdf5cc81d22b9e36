"""Enrolment points the projection calibrates to, derived from the validated series.

City totals by (year, level) come, in order of preference, from a city-level total row,
the sum of the city's grade rows, or the sum of all 8 county totals (``how`` says which).
Only the indicator ``enrolled`` is used (pupils at the start of the school year), except
by ``intake_points``: the city's new entrants (``intake``, alias ``new_entrants``: 招生数),
which set the grade flow's own entry ratio where a richer series publishes them.
"""

from __future__ import annotations

import pandas as pd

from .names import CITY, COUNTIES
from .points import as_of
from .series import read_enrollment_series

COLUMNS = ["year", "level", "value", "how", "source"]


def _source(g: pd.DataFrame) -> str:
    files = sorted(set(g["source_file"]))
    lines = ",".join(str(x) for x in g["source_line"])
    return f"{'+'.join(files)}:{lines}"


def city_totals(df: pd.DataFrame) -> pd.DataFrame:
    """City totals (pupils) by year and level from a validated series frame; see module doc."""
    df = df[df["indicator"] == "enrolled"]
    rows = []
    for (year, level), g in df.groupby(["year", "level"], sort=True):
        total = g[(g["area"] == CITY) & g["grade"].isna()]
        grades = g[(g["area"] == CITY) & g["grade"].notna()]
        county = g[g["area"].isin(COUNTIES) & g["grade"].isna()]
        if len(total):
            pick, how = total.iloc[:1], "city total"
        elif len(grades):
            pick, how = grades, "sum of city grades"
        elif set(county["area"]) == set(COUNTIES):
            pick, how = county, "sum of 8 counties"
        else:
            continue
        rows.append({"year": int(year), "level": level, "value": float(pick["value"].sum()),
                     "how": how, "source": _source(pick)})
    return pd.DataFrame(rows, columns=COLUMNS)


def enrollment_points(base_year: int | None = None, files=None) -> pd.DataFrame:
    """City enrolment totals (pupils) by school-year start and level, as of ``base_year``."""
    return as_of(city_totals(read_enrollment_series(files)), base_year, column="year")


def grade_points(base_year: int | None = None, files=None) -> pd.DataFrame:
    """City enrolment by grade (columns year, level, grade, value), as of ``base_year``."""
    df = read_enrollment_series(files)
    df = df[(df["indicator"] == "enrolled") & (df["area"] == CITY) & df["grade"].notna()]
    df = df.assign(grade=df["grade"].astype(int))[["year", "level", "grade", "value"]]
    return as_of(df.reset_index(drop=True), base_year, column="year")


def county_points(base_year: int | None = None, files=None) -> pd.DataFrame:
    """County-level enrolment totals (columns year, level, area, value), as of ``base_year``."""
    df = read_enrollment_series(files)
    df = df[(df["indicator"] == "enrolled") & df["area"].isin(COUNTIES) & df["grade"].isna()]
    return as_of(df[["year", "level", "area", "value"]].reset_index(drop=True), base_year,
                 column="year")


INTAKE_INDICATORS = ("intake", "new_entrants")


def intake_points(base_year: int | None = None, files=None) -> pd.DataFrame:
    """City new entrants (pupils entering the level's first grade) by school-year start and
    level (columns year, level, value), as of ``base_year``: city-level rows of indicator
    ``intake`` or ``new_entrants`` (one per year and level; ``intake`` first)."""
    df = read_enrollment_series(files)
    df = df[df["indicator"].isin(INTAKE_INDICATORS) & (df["area"] == CITY) & df["grade"].isna()]
    df = df.assign(rank=df["indicator"].map({k: i for i, k in enumerate(INTAKE_INDICATORS)}))
    df = df.sort_values(["year", "level", "rank"], kind="stable").drop_duplicates(
        ["year", "level"], keep="first")
    return as_of(df[["year", "level", "value"]].reset_index(drop=True), base_year, column="year")
