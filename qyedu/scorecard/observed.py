"""Observations of plan indicators from ``data/raw/observed/*.csv`` (long: ``indicator, year,
value, source``, optional ``note``). ``indicator`` is the plan's Chinese name exactly as printed
(e.g. ``幼儿园数（所）``) or the registry's ``indicator_id``. Values are plain numbers (places,
schools, persons; rates in percent points, never 万): the scorecard converts them to the
registry's unit. Lines starting with ``#`` are comments (to record what was skipped and why).
Every error names the file and the 1-based line (header = first non-comment line)."""

from __future__ import annotations

import csv
import difflib
import unicodedata
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import InputError

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
    """Read and validate one observation file; returns COLUMNS (one row per observation)."""
    path = Path(path)
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
    records = []
    for no, rec in rows[1:]:
        if len(rec) != len(header):
            raise InputError(f"{len(rec)} fields, header has {len(header)}", path, no)
        get = {h: rec[i].strip() for h, i in col.items()}
        iid = resolve(get["indicator"], index, path, no)
        try:
            year = int(get["year"])
        except ValueError:
            raise InputError(f"year {get['year']!r} is not an integer", path, no) from None
        try:
            value = float(get["value"].replace(",", ""))
        except ValueError:
            raise InputError(f"value {get['value']!r} is not a number", path, no) from None
        if value != value:
            raise InputError("value is NaN", path, no)
        if not get["source"]:
            raise InputError("source is empty (give the URL and the quoted figure)", path, no)
        records.append((iid, year, value, get["source"], get.get("note", ""), path.name, no))
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def load_observed(indicators: pd.DataFrame, directory: str | Path | None = None) -> pd.DataFrame:
    """All ``*.csv`` in ``directory`` (default data/raw/observed), in file-name order."""
    directory = Path(directory) if directory else paths.observed_dir()
    if not directory.exists():
        raise InputError("observations folder not found", directory)
    frames = [read_file(p, indicators) for p in sorted(directory.glob("*.csv"))]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            COLUMNS, ["str", "int64", "float64", "str", "str", "str", "int64"], strict=True)})
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["indicator_id", "year", "file", "line"], kind="stable",
                           ignore_index=True)
