"""Observations of plan indicators from ``data/raw/observed/*.csv`` (long: ``indicator, year,
value, source``, optional ``note``). ``indicator`` is the plan's Chinese name exactly as printed
(e.g. ``幼儿园数（所）``) or the registry's ``indicator_id``. Values are plain numbers (places,
schools, persons; rates in percent points, never 万): the scorecard converts them to the
registry's unit. Lines starting with ``#`` are comments (to record what was skipped and why).
Every error names the file, the 1-based line (header = first non-comment line) and the
column; all problems of all files are reported at once: a folder or an empty file, a value
that is not a finite number or is implausible (percentages 0–200, counts 0 to 10× the plan's
figure; :mod:`qyedu.observed.schema` declares them with their sources), a year outside
2000–2050, an indicator given twice for one year in one file."""

from __future__ import annotations

import csv
import difflib
import unicodedata
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import InputError, raise_all, where
from ..observed.schema import (
    COUNT_FACTOR,
    COUNT_SOURCE,
    PERCENT_MAX,
    PERCENT_SOURCE,
    ObservationRow,
    row_problems,
)
from .rules import is_percent

REQUIRED = ["indicator", "year", "value", "source"]
COLUMNS = ["indicator_id", "year", "value", "source", "note", "file", "line"]


def _norm(s: str) -> str:
    """Comparison key for suggestions: NFKC (full-width → ASCII), no spaces."""
    return "".join(unicodedata.normalize("NFKC", s).split())


def name_index(indicators: pd.DataFrame) -> dict[str, set[str]]:
    """Every accepted spelling (indicator_id and name_zh, stripped) → the ids it denotes."""
    index: dict[str, set[str]] = {}
    for iid, name in zip(indicators["indicator_id"], indicators["name_zh"], strict=True):
        for key in (str(iid).strip(), str(name).strip()):
            if key and key != "nan":
                index.setdefault(key, set()).add(str(iid))
    return index


def close_matches(name: str, index: dict[str, set[str]], n: int = 5) -> list[str]:
    """Known spellings closest to ``name`` (full-/half-width punctuation ignored)."""
    keys = sorted(index)
    by_norm: dict[str, list[str]] = {}
    for k in keys:
        by_norm.setdefault(_norm(k), []).append(k)
    hits = difflib.get_close_matches(_norm(name), list(by_norm), n=n, cutoff=0.6)
    return [k for h in hits for k in by_norm[h]][:n]


def resolve(name: str, index: dict[str, set[str]], path: Path, line: int) -> str:
    """The indicator_id of ``name``; InputError naming file/line and close matches if unknown."""
    ids = index.get(name.strip())
    if ids is None:
        near = close_matches(name, index)
        hint = ("; did you mean: " + ", ".join(repr(m) for m in near)) if near else ""
        raise InputError(f"unknown indicator {name!r} (not a plan indicator name or "
                         f"indicator_id){hint}", path, line)
    if len(ids) > 1:
        raise InputError(f"indicator name {name!r} is ambiguous: it denotes {sorted(ids)}; "
                         "use the indicator_id", path, line)
    return next(iter(ids))


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    """Non-blank, non-comment CSV records with their 1-based line numbers."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"not UTF-8: {err}", path) from None
    out = []
    for no, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            out.append((no, next(csv.reader([line]))))
    return out


def read_file(path: str | Path, indicators: pd.DataFrame) -> pd.DataFrame:
    """Read and validate one observation file; returns COLUMNS (one row per observation).
    Every problem (file, line, column) is reported at once in one InputError."""
    path = Path(path)
    if path.is_dir():
        raise InputError("is a folder, expected a CSV file", path)
    rows = _rows(path)
    if not rows:
        raise InputError("empty file (expected header indicator,year,value,source)", path, 1)
    hline, header = rows[0]
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"missing column(s) {missing}; has {header}", path, hline)
    col = {h: i for i, h in enumerate(header)}
    index = name_index(indicators)
    limits = plausible_ranges(indicators)
    records, problems, seen = [], [], {}
    for no, rec in rows[1:]:
        if len(rec) != len(header):
            problems.append((path, no, None, f"{len(rec)} fields, header has {len(header)}"))
            continue
        get = {h: rec[i].strip() for h, i in col.items()}
        row, bad = row_problems(ObservationRow, get)
        problems += [(path, no, c, m) for c, m in bad]
        try:
            iid = resolve(get["indicator"], index, path, no)
        except InputError as err:
            problems.append((path, no, "indicator", str(err).removeprefix(where(path, no))))
            continue
        if row is None:
            continue
        lo, hi, why = limits.get(iid, (None, None, ""))
        if lo is not None and not lo <= row.value <= hi:
            problems.append((path, no, "value", f"{row.value:g} is implausible for {iid}: "
                             f"expected {lo:g} to {hi:g} ({why})"))
        if (iid, row.year) in seen:
            problems.append((path, no, "year", f"{iid} {row.year} is already given on line "
                             f"{seen[iid, row.year]}"))
        seen.setdefault((iid, row.year), no)
        records.append((iid, row.year, row.value, row.source, get.get("note", ""), path.name, no))
    raise_all(problems)
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def plausible_ranges(indicators: pd.DataFrame) -> dict[str, tuple[float, float, str]]:
    """indicator_id → (low, high, source): percentages 0 to PERCENT_MAX, counts 0 to
    COUNT_FACTOR × the largest figure the plan gives for the indicator (plain numbers)."""
    out = {}
    if "value" not in indicators.columns:
        return out
    for iid, g in indicators.groupby("indicator_id", sort=True):
        unit = g["unit"].iloc[0] if "unit" in g.columns else ""
        name = g["name_zh"].iloc[0]
        if is_percent(unit, name):
            out[str(iid)] = (0.0, float(PERCENT_MAX), PERCENT_SOURCE)
            continue
        top = float((g["value"] * (10_000 if "万" in str(unit) else 1)).abs().max())
        if top > 0:
            out[str(iid)] = (0.0, COUNT_FACTOR * top, f"{COUNT_SOURCE}: plan figure {top:g}")
    return out


def load_observed(indicators: pd.DataFrame, directory: str | Path | None = None,
                  sp=None) -> pd.DataFrame:
    """All ``*.csv`` and filled scorecard templates (``*.xlsx``, or a CSV with the
    template's header; :mod:`.template`) in ``directory`` (default data/raw/observed), in
    file-name order. Template rows carry ``total`` = True where the value is a running total
    since the plan's start."""
    from .template import is_template, read_template

    directory = Path(directory) if directory else paths.observed_dir()
    if not directory.exists():
        raise InputError("observations folder not found", directory)
    if not directory.is_dir():
        raise InputError("is a file; --observed takes the folder of observation files",
                         directory)
    frames, problems = [], []
    files = [p for p in directory.iterdir() if p.suffix.lower() in (".csv", ".xlsx")
             and not p.name.startswith(("~$", ".~"))]  # Excel's lock files
    for p in sorted(files):
        try:
            frames.append(read_template(p, indicators, sp) if is_template(p)
                          else read_file(p, indicators))
        except InputError as err:  # every file checked, all problems reported together
            problems.append((None, None, None, str(err)))
    raise_all(problems)
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            COLUMNS, ["str", "int64", "float64", "str", "str", "str", "int64"], strict=True)})
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["indicator_id", "year", "file", "line"], kind="stable",
                           ignore_index=True)
