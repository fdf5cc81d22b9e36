"""Enrolment series in long format: the published cross-section (data/raw/enrollment.csv)
plus any RICHER series a user drops into data/raw as ``enrollment_*.csv`` (or passes by
path) — e.g. the education bureau's annual enrolment by grade and county.

Columns: ``area, school_year, level, grade (optional), indicator, value, unit, reliability,
source_url, quote`` (extra columns such as ``note`` are kept). Every file is validated on
load and every problem is reported with the file, the row (1-based line, header = 1) and
the column, all at once: an empty file or a folder, unknown area or level, malformed or
out-of-range school year, grade outside the level, a value that is not a finite number or
negative, implausibly large (:mod:`.schema` declares the ranges and their sources), unknown
reliability, two rows giving different values for the same key, grades that do not add up
to their total, a county above the city.
No code change is needed to use a new file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import InputError, raise_all, where
from .names import CITY, COUNTIES, GRADES, area_name, level_code, school_year_start
from .raw import PROVENANCE, RELIABILITY, read_table
from .schema import (
    ENROLMENT_FACTOR,
    POPULATION_SOURCE,
    SUM_TOLERANCE,
    YEAR_MAX,
    YEAR_MIN,
    YEAR_SOURCE,
    EnrolmentValue,
    row_problems,
)

REQUIRED = ["area", "school_year", "level", "indicator", "value", "unit"]
KEY = ["area", "year", "level", "grade", "indicator"]
RELIABILITY_RANK = {"official": 0, "official (county government page)": 1, "mirror": 2,
                    "plan": 3, "3rd-party": 4}


def series_files() -> list[Path]:
    """data/raw/enrollment.csv followed by every data/raw/enrollment_*.csv (sorted)."""
    base = paths.raw_csv("enrollment")
    extra = sorted(paths.data_raw().glob("enrollment_*.csv"))
    return ([base] if base.exists() else []) + extra


def _read(path: Path) -> pd.DataFrame:
    df = read_table(path, REQUIRED + PROVENANCE)
    if "grade" not in df.columns:
        df["grade"] = ""
    return df


def _row_problems(df: pd.DataFrame, path: Path) -> list[tuple[Path, int, str, str]]:
    out: list[tuple[Path, int, str, str]] = []
    for r in df.itertuples(index=False):
        line = r.source_line
        if area_name(r.area) is None:
            out.append((path, line, "area", f"unknown area {r.area!r} (expected 清远市 or a "
                                            "county-level unit)"))
        start = school_year_start(r.school_year)
        if start is None:
            out.append((path, line, "school_year",
                        f"malformed school_year {r.school_year!r} (expected e.g. 2022-2023)"))
        elif not YEAR_MIN <= start <= YEAR_MAX:
            out.append((path, line, "school_year", f"school year {r.school_year!r} out of "
                        f"range {YEAR_MIN}–{YEAR_MAX} ({YEAR_SOURCE})"))
        code = level_code(r.level)
        if code is None:
            out.append((path, line, "level", f"unknown level {r.level!r}"))
        if r.grade != "":
            g = pd.to_numeric(r.grade, errors="coerce")
            if pd.isna(g) or g != int(g) or code and not 1 <= g <= GRADES[code]:
                out.append((path, line, "grade",
                            f"grade {r.grade!r} is not a grade of level {r.level!r}"))
        _, bad = row_problems(EnrolmentValue, {"value": r.value})
        out += [(path, line, c, m) for c, m in bad]
        if r.reliability not in RELIABILITY:
            out.append((path, line, "reliability", f"unknown reliability {r.reliability!r}; "
                        f"expected one of {sorted(RELIABILITY)}"))
    return out


def _raise(problems) -> None:
    raise_all(problems)


def read_enrollment_series(files: list[str | Path] | None = None) -> pd.DataFrame:
    """Read and validate enrolment series files (default: ``series_files()``).

    Returns
    -------
    DataFrame with the provenance columns plus ``area`` (canonical), ``year`` (school-year
    start, int), ``level`` (projection code), ``grade`` (float, NaN = whole level),
    ``value`` (pupils, float), ``source_file``, ``source_line``. Rows repeating the same
    key with the same value (e.g. the 2022-23 totals in a richer file) are kept once.
    """
    files = [Path(f) for f in (files if files is not None else series_files())]
    frames, problems = [], []
    for f in files:
        try:
            df = _read(f)
        except InputError as err:  # empty, a folder, not CSV: reported with the others
            problems.append((err.path, err.line, None, str(err).removeprefix(where(err.path, err.line))))
            continue
        problems += _row_problems(df, f)
        frames.append(df)
    _raise(problems)
    if not frames:
        return pd.DataFrame(columns=KEY + ["value", "source_file", "source_line"])
    df = pd.concat(frames, ignore_index=True)
    df = df.assign(
        area=df["area"].map(area_name), year=df["school_year"].map(school_year_start),
        level=df["level"].map(level_code),
        grade=pd.to_numeric(df["grade"], errors="coerce"),
        value=pd.to_numeric(df["value"].str.replace(",", "", regex=False)),
    )
    df = df.drop_duplicates(KEY + ["value"], keep="first")
    df = _choose(df)
    _raise(range_problems(df) + consistency_problems(df))
    return df.sort_values(["indicator", "level", "year", "area", "grade"],
                                   kind="stable").reset_index(drop=True)


def _choose(df: pd.DataFrame) -> pd.DataFrame:
    """Where sources disagree on a key, keep the most reliable row (official > county
    official > mirror > plan > 3rd-party) and record the rows it replaced in ``replaced``;
    equally reliable rows that disagree are an error naming both rows."""
    df = df.assign(rank=df["reliability"].map(RELIABILITY_RANK), replaced="")
    keyed = df.fillna({"grade": -1})
    problems, drop = [], []
    for _, g in keyed[keyed.duplicated(KEY, keep=False)].groupby(KEY, sort=False):
        g = g.sort_values("rank", kind="stable")
        best = g.iloc[0]
        if (g["rank"] == best["rank"]).sum() > 1:
            for r in g[g["rank"] == best["rank"]].iloc[1:].itertuples():
                problems.append((r.source_file, r.source_line, "value",
                                 f"conflicting value {r.value:g} for {r.area} {r.year} {r.level} "
                                 f"{r.indicator} (line {best['source_line']} of "
                                 f"{best['source_file']} says {best['value']:g})"))
        df.loc[best.name, "replaced"] = "; ".join(
            f"{r.source_file}:{r.source_line}={r.value:g}" for r in g.iloc[1:].itertuples())
        drop += list(g.index[1:])
    _raise(problems)
    return df.drop(index=drop).drop(columns="rank")


def _published_totals() -> dict[str, tuple[float, str]]:
    """Published city total (pupils) by level, from data/raw/enrollment.csv (latest year)."""
    path = paths.raw_csv("enrollment")
    if not path.exists():
        return {}
    df = read_table(path, REQUIRED + PROVENANCE)
    out = {}
    for r in df.itertuples(index=False):
        code, v = level_code(r.level), pd.to_numeric(str(r.value).replace(",", ""),
                                                     errors="coerce")
        if area_name(r.area) == CITY and r.indicator == "enrolled" and code and pd.notna(v) \
                and 0 < v < float("inf"):
            out[code] = (float(v), f"{path.name}:{r.source_line}")
    return out


def _population() -> float | None:
    from .points import population_points

    try:
        pop = population_points()
    except InputError:
        return None
    rows = pop[(pop["indicator"] == "resident_population") & (pop["area"] == CITY)]
    return float(rows["value"].max()) if len(rows) else None


def range_problems(df: pd.DataFrame) -> list:
    """Each value of indicator ``enrolled`` within [0, 10 × the published city total of its
    level] (:data:`ENROLMENT_SOURCE`), or [0, the city's population] for a level without one."""
    totals, pop = _published_totals(), None
    out = []
    for r in df[df["indicator"] == "enrolled"].itertuples(index=False):
        if r.level in totals:
            limit, why = ENROLMENT_FACTOR * totals[r.level][0], (
                f"{ENROLMENT_FACTOR} × the published city total {totals[r.level][0]:,.0f} "
                f"({totals[r.level][1]})")
        else:
            pop = pop if pop is not None else _population()
            if pop is None:
                continue
            limit, why = pop, f"the city's resident population {pop:,.0f} ({POPULATION_SOURCE})"
        if r.value > limit:
            out.append((r.source_file, r.source_line, "value",
                        f"{r.value:,.0f} pupils is implausible: more than {why}"))
    return out


def consistency_problems(df: pd.DataFrame) -> list:
    """Grades add up to the total of their level (within :data:`SUM_TOLERANCE`); no county
    above the city, and the 8 counties together not above it."""
    out = []
    df = df[df["indicator"] == "enrolled"]
    for (area, year, level), g in df.groupby(["area", "year", "level"], sort=True):
        total, grades = g[g["grade"].isna()], g[g["grade"].notna()]
        if len(total) and len(grades) == GRADES.get(level, -1):
            t, s = float(total["value"].iloc[0]), float(grades["value"].sum())
            if abs(s - t) > SUM_TOLERANCE * t + 0.5:
                lines = ",".join(str(x) for x in grades["source_line"])
                out.append((total["source_file"].iloc[0], int(total["source_line"].iloc[0]),
                            "value", f"{area} {year} {level}: total {t:,.0f} but its grades "
                            f"(lines {lines}) add up to {s:,.0f}"))
    tot = df[df["grade"].isna()]
    for (year, level), g in tot.groupby(["year", "level"], sort=True):
        city = g[g["area"] == CITY]
        counties = g[g["area"].isin(COUNTIES)]
        if city.empty or counties.empty:
            continue
        c, c_line = float(city["value"].iloc[0]), int(city["source_line"].iloc[0])
        for r in counties.itertuples(index=False):
            if r.value > c:
                out.append((r.source_file, r.source_line, "value",
                            f"{r.area} {year} {level}: {r.value:,.0f} pupils, more than the "
                            f"whole city ({c:,.0f}, line {c_line} of {city['source_file'].iloc[0]})"))
        s = float(counties["value"].sum())
        if s > c * (1 + SUM_TOLERANCE) + 0.5 and not (counties["value"] > c).any():
            r = counties.iloc[-1]
            out.append((r["source_file"], int(r["source_line"]), "value",
                        f"{year} {level}: the counties add up to {s:,.0f} pupils, more than "
                        f"the city total {c:,.0f} (line {c_line} of {city['source_file'].iloc[0]})"))
    return out
