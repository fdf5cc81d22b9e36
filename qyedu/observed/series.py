"""Enrolment series in long format: the published cross-section (data/raw/enrollment.csv)
plus any RICHER series a user drops into data/raw as ``enrollment_*.csv`` (or passes by
path) — e.g. the education bureau's annual enrolment by grade and county.

Columns: ``area, school_year, level, grade (optional), indicator, value, unit, reliability,
source_url, quote`` (extra columns such as ``note`` are kept). Every file is validated on
load and every problem is reported with the file and the row (1-based line, header = 1):
unknown area or level, malformed school year, grade outside the level, non-numeric or
negative value, unknown reliability, and two rows giving different values for the same key.
No code change is needed to use a new file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import InputError
from .names import GRADES, area_name, level_code, school_year_start
from .raw import PROVENANCE, RELIABILITY, read_table

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


def _row_problems(df: pd.DataFrame) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for r in df.itertuples(index=False):
        line = r.source_line
        if area_name(r.area) is None:
            out.append((line, f"unknown area {r.area!r} (expected 清远市 or a county-level unit)"))
        if school_year_start(r.school_year) is None:
            out.append((line, f"malformed school_year {r.school_year!r} (expected e.g. 2022-2023)"))
        code = level_code(r.level)
        if code is None:
            out.append((line, f"unknown level {r.level!r}"))
        if r.grade != "":
            g = pd.to_numeric(r.grade, errors="coerce")
            if pd.isna(g) or g != int(g) or code and not 1 <= g <= GRADES[code]:
                out.append((line, f"grade {r.grade!r} is not a grade of level {r.level!r}"))
        v = pd.to_numeric(str(r.value).replace(",", ""), errors="coerce")
        if pd.isna(v):
            out.append((line, f"value {r.value!r} is not a number"))
        elif v < 0:
            out.append((line, f"negative value {v}"))
        if r.reliability not in RELIABILITY:
            out.append((line, f"unknown reliability {r.reliability!r}; expected one of "
                              f"{sorted(RELIABILITY)}"))
    return out


def _raise(problems: list[tuple[str, int, str]]) -> None:
    if problems:
        f, line, first = problems[0]
        more = "".join(f"\n  {pf}, line {ln}: {msg}" for pf, ln, msg in problems[1:])
        raise InputError(first + more, f, line)


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
        df = _read(f)
        problems += [(str(f), ln, msg) for ln, msg in _row_problems(df)]
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
    return _choose(df).sort_values(["indicator", "level", "year", "area", "grade"],
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
                problems.append((r.source_file, r.source_line,
                                 f"conflicting value {r.value:g} for {r.area} {r.year} {r.level} "
                                 f"{r.indicator} (line {best['source_line']} of "
                                 f"{best['source_file']} says {best['value']:g})"))
        df.loc[best.name, "replaced"] = "; ".join(
            f"{r.source_file}:{r.source_line}={r.value:g}" for r in g.iloc[1:].itertuples())
        drop += list(g.index[1:])
    _raise(problems)
    return df.drop(index=drop).drop(columns="rank")
