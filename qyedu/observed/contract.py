"""One loader contract for every file of data/raw: a schema per file (columns, types, ranges,
keys) and the checks across files, run before any model stage computes.

Every problem of every file is collected and reported at once with file, line (1-based,
header = line 1, ``#`` comment lines counted) and column (:func:`check_raw` raises one
:class:`~qyedu.errors.InputError`, exit 2 in the CLI). The rules:

- each file has its required columns; each row as many fields as the header;
- text columns are non-empty where required; years are integers in the file's range;
  values are finite numbers (``,`` thousands separators allowed), not negative unless the
  indicator is a change; reliability and ``preferred`` take their declared values;
- a file's key identifies one row (a duplicate key is an error, not a choice); in the
  national files several sources per figure are allowed and exactly one is ``preferred = 1``;
- across files: ``enrollment_*.csv`` may not give another value than ``enrollment.csv`` (or
  each other) for the same area, school year, level, grade and indicator; two observation
  files (data/raw/observed/) may not give one indicator-year two values; a county's count is
  never above the city's (population, enrolment, census counts).

The model's loaders (:mod:`.raw`, :mod:`.series`, the scorecard's observations) keep their own
finer checks; this contract makes sure a file they do not validate can never reach them
malformed."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..errors import raise_all
from .names import CITY, COUNTIES

Problem = tuple[object, int | None, str | None, str]

RELIABILITY = {"official", "mirror", "3rd-party", "derived", "plan",
               "official (county government page)"}
# Years a row may refer to, per kind of file: (low, high, why).
YEARS_LOCAL = (2000, 2050, "assumption: Qingyuan inputs start with the 2000s bulletins; "
                           "the projection ends by 2050")
YEARS_NATIONAL = (1949, 2050, "the national series start after 1949; the projection ends "
                              "by 2050")
# Counts that a county can never have more of than the whole city (same year, indicator).
COUNTY_COUNTS = {"births", "registered_population", "resident_population", "urban_population",
                 "floating_population", "population_0_14", "births_5yr_total", "enrolled",
                 "census_pop_resident", "schools", "teachers", "classes"}


@dataclass(frozen=True)
class Col:
    """One column: ``kind`` is text (non-empty), opt (may be empty), year, years (text with
    4-digit years, e.g. ``2021-2025``), number, choice."""

    name: str
    kind: str = "text"
    choices: frozenset = frozenset()


@dataclass(frozen=True)
class FileSchema:
    pattern: str  # path relative to data/raw; may contain one *
    columns: tuple[Col, ...]
    key: tuple[str, ...]
    years: tuple = YEARS_LOCAL
    preferred: bool = False  # several sources per key, exactly one preferred = 1
    comments: bool = False  # lines starting with '#' are comments
    optional_value: frozenset = frozenset()  # indicators whose value may be empty
    extra_key: tuple[str, ...] = ()  # optional columns that are part of the key when present
    negatives: tuple[str, ...] = ("change",)  # indicators that may be negative
    kind_col: str = "indicator"
    notes: dict = field(default_factory=dict)


def _cols(spec: str) -> tuple[Col, ...]:
    """``"area year:year value:number note:opt"`` → columns."""
    out = []
    for item in spec.split():
        name, _, kind = item.partition(":")
        if kind == "reliability":
            out.append(Col(name, "choice", frozenset(RELIABILITY)))
        elif kind == "preferred":
            out.append(Col(name, "choice", frozenset({"0", "1"})))
        else:
            out.append(Col(name, kind or "text"))
    return tuple(out)


PROV = "reliability:reliability source_url quote:opt"
LABELLED = "source_url label quote:opt note:opt"
SCHEMAS: tuple[FileSchema, ...] = (
    FileSchema("population.csv", _cols(f"area year:years indicator value:number unit basis:opt "
                                       f"{PROV} note:opt"), ("area", "year", "indicator")),
    FileSchema("enrollment.csv", _cols(f"area school_year:years level indicator value:number "
                                       f"unit {PROV}"),
               ("area", "school_year", "level", "indicator"), extra_key=("grade",)),
    FileSchema("enrollment_*.csv", _cols(f"area school_year:years level indicator "
                                         f"value:number unit {PROV}"),
               ("area", "school_year", "level", "indicator"), extra_key=("grade",)),
    FileSchema("places.csv", _cols(f"area period:years level indicator value:number unit:opt "
                                   f"status {PROV}"),
               ("area", "period", "level", "indicator", "status"),
               optional_value=frozenset({"diagnosis"})),
    FileSchema("standards.csv", _cols(f"standard level quantity value:number unit scope {PROV}"),
               ("standard", "level", "quantity", "scope"), kind_col="quantity"),
    FileSchema("guangdong_education.csv", _cols(f"area year:year level indicator value:number "
                                                f"unit {PROV}"),
               ("area", "year", "level", "indicator")),
    FileSchema("costs_counties.csv", _cols(f"area year:opt indicator level value:number unit "
                                           f"{LABELLED}"),
               ("area", "year", "indicator", "level", "unit", "source_url")),
    FileSchema("china.csv", _cols(f"area year:year indicator level value:number unit "
                                  f"{LABELLED} preferred:preferred"),
               ("area", "year", "indicator", "level"), YEARS_NATIONAL, preferred=True),
    FileSchema("validation/china.csv", _cols(f"area year:year indicator level value:number unit "
                                             f"{LABELLED} preferred:preferred"),
               ("area", "year", "indicator", "level"), YEARS_NATIONAL, preferred=True),
    FileSchema("validation/guangdong_population.csv",
               _cols(f"area year:year indicator level value:number unit {LABELLED} "
                     f"preferred:preferred"),
               ("area", "year", "indicator", "level"), YEARS_NATIONAL, preferred=True),
    FileSchema("validation/peer_cities_population.csv",
               _cols(f"area year:year indicator level value:number unit {LABELLED}"),
               ("area", "year", "indicator", "level")),
    FileSchema("validation/provinces.csv",
               _cols("area_code area year:year indicator level value:number unit source"),
               ("area_code", "year", "indicator", "level")),
    FileSchema("validation/provinces_1995_1999.csv",
               _cols(f"area year:year indicator level value:number unit {PROV} note:opt"),
               ("area", "year", "indicator", "level"), YEARS_NATIONAL),
    FileSchema("validation/provinces_2020_2023.csv",
               _cols(f"area year:year indicator level value:number unit {PROV} note:opt"),
               ("area", "year", "indicator", "level"), YEARS_NATIONAL),
    FileSchema("observed/*.csv", _cols("indicator year:year value:number source"),
               ("indicator", "year"), comments=True, negatives=()),
)


def files() -> list[tuple[FileSchema, Path]]:
    """Every raw file with its schema (a pattern may match several files or none)."""
    raw = paths.data_raw()
    out = []
    for schema in SCHEMAS:
        if "*" in schema.pattern:
            found = sorted(raw.glob(schema.pattern))
        else:
            found = [raw / schema.pattern] if (raw / schema.pattern).exists() else []
        out += [(schema, p) for p in found]
    return out


# -- reading -------------------------------------------------------------------------------

def read_rows(path: Path, comments: bool = False) -> tuple[list[str], list[tuple[int, dict]],
                                                          list[Problem]]:
    """Header, ``(line, row)`` pairs and the problems of reading (never raises)."""
    if path.is_dir():
        return [], [], [(path, None, None, "is a folder, expected a CSV file")]
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = path.read_bytes()[:err.start].count(b"\n") + 1
        return [], [], [(path, line, None, "is not UTF-8 text")]
    except OSError as err:
        return [], [], [(path, None, None, f"cannot be read: {err.strerror}")]
    lines = text.split("\n")
    if comments:  # blank a comment line, keeping the numbering
        lines = ["" if ln.lstrip().startswith("#") else ln for ln in lines]
    reader = csv.reader(io.StringIO("\n".join(lines)), strict=True)
    header: list[str] = []
    rows, problems, start = [], [], 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not record or all(not c.strip() for c in record):
                continue
            if not header:
                header = [c.strip() for c in record]
                continue
            if len(record) != len(header):
                problems.append((path, line, None, f"has {len(record)} fields, the header has "
                                                   f"{len(header)}"))
                continue
            rows.append((line, dict(zip(header, record, strict=True))))
    except csv.Error as err:
        problems.append((path, reader.line_num, None, f"malformed CSV ({err})"))
    if not header:
        problems.append((path, 1, None, "empty file (expected a header line)"))
    return header, rows, problems


# -- one file ------------------------------------------------------------------------------

def _number(text: str) -> float | None:
    try:
        v = float(text.replace(",", "").strip())
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def file_problems(schema: FileSchema, path: Path) -> tuple[list[Problem], list[tuple[int, dict]]]:
    """Every problem of one file against its schema, and its rows."""
    header, rows, problems = read_rows(path, schema.comments)
    if not header:
        return problems, []
    missing = [c.name for c in schema.columns if c.name not in header]
    if missing:
        return problems + [(path, 1, None, f"missing required column(s) {missing}; has "
                                           f"{header}")], []
    if len(set(header)) != len(header):
        dup = sorted({c for c in header if header.count(c) > 1})
        problems.append((path, 1, None, f"column(s) {dup} given twice"))
    lo, hi, why = schema.years
    for line, row in rows:
        kind = row.get(schema.kind_col, "")
        for col in schema.columns:
            v = row[col.name].strip()
            if col.kind == "text" and not v:
                problems.append((path, line, col.name, f"{col.name} is empty"))
            elif col.kind == "choice" and v not in col.choices:
                problems.append((path, line, col.name, f"{v!r} is not one of "
                                                       f"{sorted(col.choices)}"))
            elif col.kind == "year":
                if not re.fullmatch(r"\d{4}", v):
                    problems.append((path, line, col.name, f"year {v!r} is not a 4-digit year"))
                elif not lo <= int(v) <= hi:
                    problems.append((path, line, col.name, f"year {v} out of range {lo}–{hi} "
                                                           f"({why})"))
            elif col.kind == "years":
                ys = re.findall(r"\d+", v)
                if not ys or any(len(y) != 4 for y in ys):
                    problems.append((path, line, col.name, f"{v!r} is not a year or a span of "
                                                           f"years (e.g. 2022-2023)"))
                elif any(not lo <= int(y) <= hi for y in ys):
                    problems.append((path, line, col.name, f"{v!r} out of range {lo}–{hi} "
                                                           f"({why})"))
            elif col.kind == "opt" and col.name == "year" and v:
                bad = [y for y in re.findall(r"\d{4,}", v) if not lo <= int(y) <= hi]
                if bad:
                    problems.append((path, line, col.name, f"year {bad[0]} out of range "
                                                           f"{lo}–{hi} ({why})"))
            elif col.kind == "number":
                if not v and kind in schema.optional_value:
                    continue
                x = _number(v)
                if x is None and "/" in v and all(_number(s) is not None for s in v.split("/")):
                    continue  # several figures of one statement, e.g. 8/15/30/40 (%)
                if x is None:
                    problems.append((path, line, col.name, f"value {v!r} is not a finite number"))
                elif x < 0 and not any(n in kind for n in schema.negatives):
                    problems.append((path, line, col.name, f"negative value {x:g}"))
    problems += _key_problems(schema, path, header, rows)
    return problems, rows


def _key(schema: FileSchema, header: list[str], row: dict) -> tuple:
    cols = list(schema.key) + [c for c in schema.extra_key if c in header]
    return tuple(row[c].strip() for c in cols)


def _key_problems(schema: FileSchema, path: Path, header: list[str],
                  rows: list[tuple[int, dict]]) -> list[Problem]:
    out: list[Problem] = []
    names = ", ".join(list(schema.key) + [c for c in schema.extra_key if c in header])
    seen: dict[tuple, int] = {}
    if schema.preferred:
        groups: dict[tuple, list[int]] = {}
        for line, row in rows:
            k = _key(schema, header, row)
            groups.setdefault(k, [])
            if row["preferred"].strip() == "1":
                groups[k].append(line)
            full = (*k, row["source_url"].strip(), row["label"].strip(), row["value"].strip())
            if full in seen:
                out.append((path, line, None, f"duplicate of line {seen[full]} (same {names}, "
                                              f"source and value)"))
            seen.setdefault(full, line)
        for k, lines in groups.items():
            if len(lines) > 1:
                out.append((path, lines[1], "preferred", f"{len(lines)} rows with preferred = 1 "
                            f"for {dict(zip(schema.key, k, strict=False))} (lines "
                            f"{', '.join(map(str, lines))}); exactly one is allowed"))
            elif not lines:
                first = next(ln for ln, r in rows if _key(schema, header, r) == k)
                out.append((path, first, "preferred", f"no row with preferred = 1 for "
                            f"{dict(zip(schema.key, k, strict=False))}"))
        return out
    for line, row in rows:
        k = _key(schema, header, row)
        if k in seen:
            out.append((path, line, None, f"duplicate key: line {seen[k]} has the same {names} "
                                          f"({', '.join(k)})"))
        seen.setdefault(k, line)
    return out


# -- across files --------------------------------------------------------------------------

def _conflicts(entries: list[tuple[Path, int, tuple, float | None]], what: str) -> list[Problem]:
    """Rows of different files with the same key and different values."""
    first: dict[tuple, tuple[Path, int, float | None]] = {}
    out: list[Problem] = []
    for path, line, key, value in entries:
        if key not in first:
            first[key] = (path, line, value)
            continue
        p0, l0, v0 = first[key]
        if p0 != path and v0 is not None and value is not None and v0 != value:
            out.append((path, line, "value", f"{what} {', '.join(key)}: {value:g} here, "
                                             f"{v0:g} in {p0.name} line {l0} (conflicting "
                                             f"files: correct or remove one)"))
    return out


def _county_above_city(path: Path, rows: list[tuple[int, dict]], group: tuple[str, ...],
                       kind_col: str = "indicator") -> list[Problem]:
    """A county-level unit whose count is above the city's for the same group key, and
    counties that add up to more than the city (beyond 0.5 %)."""
    city: dict[tuple, float] = {}
    counties: dict[tuple, list[tuple[int, str, float]]] = {}
    for line, row in rows:
        if row.get(kind_col, "").strip() not in COUNTY_COUNTS:
            continue
        v = _number(row.get("value", ""))
        if v is None:
            continue
        key = tuple(row.get(c, "").strip() for c in group)
        area = row.get("area", "").strip()
        if area == CITY:
            city[key] = v
        elif area in COUNTIES:
            counties.setdefault(key, []).append((line, area, v))
    out: list[Problem] = []
    for key, items in counties.items():
        if key not in city:
            continue
        for line, area, v in items:
            if v > city[key]:
                out.append((path, line, "value", f"{area} {', '.join(key)}: {v:g} is above the "
                                                 f"city total {city[key]:g} ({CITY})"))
        total = sum(v for _, _, v in items)
        if len(items) > 1 and total > city[key] * 1.005:
            out.append((path, items[-1][0], "value", f"the counties' {', '.join(key)} add up to "
                        f"{total:g}, above the city total {city[key]:g} ({CITY})"))
    return out


def cross_problems(read: list[tuple[FileSchema, Path, list[tuple[int, dict]]]]) -> list[Problem]:
    out: list[Problem] = []
    enrol, observed = [], []
    for schema, path, rows in read:
        if schema.pattern.startswith("enrollment"):
            enrol += [(path, line, (r["area"].strip(), r["school_year"].strip(),
                                    r["level"].strip(), r.get("grade", "").strip(),
                                    r["indicator"].strip()), _number(r["value"]))
                      for line, r in rows]
            out += _county_above_city(path, rows, ("school_year", "level", "grade", "indicator"))
        elif schema.pattern.startswith("observed"):
            observed += [(path, line, (r["indicator"].strip(), r["year"].strip()),
                          _number(r["value"])) for line, r in rows]
        elif schema.pattern in ("population.csv",):
            out += _county_above_city(path, rows, ("year", "indicator"))
        elif schema.pattern == "costs_counties.csv":
            out += _county_above_city(path, rows, ("year", "indicator", "level"))
    out += _conflicts(enrol, "enrolment")
    out += _conflicts(observed, "observation")
    return out


# -- the check -----------------------------------------------------------------------------

_CHECKED: dict[tuple, bool] = {}


def _state() -> tuple:
    raw = paths.data_raw()
    items = []
    for p in sorted(raw.rglob("*")) if raw.is_dir() else []:
        try:
            st = p.stat()
            items.append((str(p), st.st_size, st.st_mtime_ns))
        except OSError:
            items.append((str(p), -1, -1))
    return (str(raw), tuple(items))


def problems() -> list[Problem]:
    """Every problem of every raw file (empty: data/raw keeps the contract)."""
    out: list[Problem] = []
    read = []
    for schema, path in files():
        found, rows = file_problems(schema, path)
        out += found
        read.append((schema, path, rows))
    out += cross_problems(read)
    return out


def check_raw() -> None:
    """Raise one InputError listing every problem of data/raw (file, line, column), or
    nothing. Cached while no file of data/raw changes (size and time stamp)."""
    state = _state()
    if _CHECKED.get(state):
        return
    found = problems()
    raise_all([(_shown(p), ln, c, m) for p, ln, c, m in found])
    _CHECKED.clear()
    _CHECKED[state] = True


def _shown(path: object) -> object:
    """data/raw/… relative to the project (no machine path in a message)."""
    try:
        return Path(path).relative_to(paths.root()).as_posix()
    except (TypeError, ValueError):
        return path
