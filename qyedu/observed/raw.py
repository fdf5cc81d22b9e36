"""Load the published-statistics files of data/raw (long format, provenance kept) and
validate them on load: required columns, numeric values, known reliability classes.
Errors name the file and the line (1-based, header = line 1)."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import InputError, raise_all
from .schema import UNIT_RANGES, YEAR_MAX, YEAR_MIN, YEAR_SOURCE, RawValue, row_problems

RELIABILITY = {"official", "mirror", "3rd-party", "plan", "official (county government page)"}
PROVENANCE = ["reliability", "source_url", "quote"]

# Required columns per raw file (besides provenance); extra columns are kept.
SCHEMAS: dict[str, list[str]] = {
    "population": ["area", "year", "indicator", "value", "unit", "basis"],
    "enrollment": ["area", "school_year", "level", "indicator", "value", "unit"],
    "places": ["area", "period", "level", "indicator", "value", "unit", "status"],
    "standards": ["standard", "level", "quantity", "value", "unit", "scope"],
    "guangdong_education": ["area", "year", "level", "indicator", "value", "unit"],
}
# Rows whose value may be empty (statements without a number).
VALUE_OPTIONAL = {"places": {"diagnosis"}}


def read_table(path: Path, required: list[str]) -> pd.DataFrame:
    """Open a long-format CSV as strings, check its required columns, and add
    ``source_file`` / ``source_line``; errors name the file (and line 1 for the header)."""
    df = read_text_csv(path, "file", required)
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(f"missing required column(s) {missing}; has {list(df.columns)}", path, 1)
    df["source_line"] = range(2, len(df) + 2)
    df["source_file"] = path.name
    return df


def read_text_csv(path: Path, what: str = "file", expected=()) -> pd.DataFrame:
    """A CSV (UTF-8) as text cells, header = line 1. Every way a user's file can fail to be
    one is an InputError naming the file and, where known, the line: missing, a folder,
    unreadable, empty (``expected``: the header it should have), not UTF-8 (a GBK export, an
    Excel workbook), a line with more fields than the header (an unquoted ``1,234``)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{what} not found", path)
    if path.is_dir():
        raise InputError("is a folder, expected a CSV file", path)
    try:
        df = pd.read_csv(io.StringIO(utf8_text(path)), dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        head = f" with {', '.join(expected)}" if expected else ""
        raise InputError(f"empty file (expected a header line{head})", path, 1) from None
    except pd.errors.ParserError as err:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        if m:
            raise InputError(f"{m[3]} fields where the header has {m[1]} (a value with a comma "
                             "must be quoted, e.g. \"1,234\", or written 1234)",
                             path, int(m[2])) from None
        raise InputError(f"cannot be read as CSV: {err}", path) from None
    except OSError as err:
        raise InputError(f"cannot be read: {err.strerror or err}", path) from None
    if not isinstance(df.index, pd.RangeIndex):  # every row one field longer than the header
        raise InputError(f"{len(df.columns) + 1} fields where the header (line 1) has "
                         f"{len(df.columns)}: a trailing comma, or a column without a name",
                         path, 2)
    return df


def utf8_text(path: Path) -> str:
    """The file's text, decoded strictly as UTF-8 (a BOM dropped); InputError naming the line
    of the first byte that is not (``not_utf8_error``)."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_utf8_error(path) from None


def not_utf8_error(path: Path) -> InputError:
    """The error for a file that is not UTF-8 text: the line of its first bad byte."""
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        return InputError("an Excel workbook (or other zip file), not a CSV: save it as "
                          "'CSV UTF-8'", path)
    try:
        data.decode("utf-8")
        return InputError("not UTF-8 text", path)
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        return InputError(f"not UTF-8 text (byte 0x{data[err.start]:02x}; a GBK export?): save "
                          "it as 'CSV UTF-8'", path, line)


_VALIDATED: dict[tuple, pd.DataFrame] = {}  # (name, file, content hash) → validated table


def read_raw(name: str, path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate ``data/raw/<name>.csv`` (or ``path`` with the same schema).

    Returns all columns as published plus ``value`` as float and ``source_file`` /
    ``source_line`` (1-based line in the file) for provenance and error messages. A file
    already validated in this process with the same content is not parsed and validated
    again (a run reads each file from several stages; a sweep, hundreds of times); the
    caller gets its own copy.
    """
    if name not in SCHEMAS:
        raise InputError(f"unknown raw table {name!r}; known: {sorted(SCHEMAS)}")
    path = Path(path) if path else paths.raw_csv(name)
    try:
        key = (name, str(path.resolve()), hashlib.sha1(path.read_bytes()).hexdigest())
    except OSError:
        key = None  # read_table names the problem
    if key in _VALIDATED:
        return _VALIDATED[key].copy()
    df = _read_and_validate(name, path)
    if key is not None:
        if len(_VALIDATED) >= 32:
            _VALIDATED.pop(next(iter(_VALIDATED)))
        _VALIDATED[key] = df.copy()
    return df


def _read_and_validate(name: str, path: Path) -> pd.DataFrame:
    df = read_table(path, SCHEMAS[name] + PROVENANCE)
    problems = []
    values = pd.to_numeric(df["value"].str.replace(",", "", regex=False), errors="coerce")
    optional = df["indicator" if "indicator" in df.columns else "quantity"].isin(
        VALUE_OPTIONAL.get(name, set())
    )
    for i in df.index[~(optional & (df["value"] == ""))]:
        _, bad = row_problems(RawValue, {"value": df.at[i, "value"]})
        problems += [(path, int(df.at[i, "source_line"]), c, m) for c, m in bad]
    for i in df.index[~df["reliability"].isin(RELIABILITY)]:
        problems.append((path, int(df.at[i, "source_line"]), "reliability",
                         f"unknown reliability {df.at[i, 'reliability']!r}; "
                         f"expected one of {sorted(RELIABILITY)}"))
    kind = df["indicator" if "indicator" in df.columns else "quantity"]
    for i in df.index[(values < 0) & ~kind.str.contains("change")]:
        problems.append((path, int(df.at[i, "source_line"]), "value", f"negative value {values[i]}"))
    if "unit" in df.columns:
        for i in df.index[values.notna()]:
            unit = str(df.at[i, "unit"])
            rng = UNIT_RANGES.get("percent" if unit.startswith("percent") else unit)
            if rng and "change" not in kind[i] and not rng[0] <= values[i] <= rng[1]:
                problems.append((path, int(df.at[i, "source_line"]), "value",
                                 f"{values[i]:g} {unit} is implausible: expected {rng[0]:g} to "
                                 f"{rng[1]:g} ({rng[2]})"))
    for col in ("year", "period"):
        if col in df.columns:
            problems += _year_problems(df, col, path)
    dup = df.duplicated(keep="first")
    for i in df.index[dup]:
        problems.append((path, int(df.at[i, "source_line"]), None,
                         "exact duplicate of an earlier row"))
    raise_all(sorted(problems, key=lambda p: p[1]))
    df["value"] = values
    return df


def _year_problems(df: pd.DataFrame, col: str, path: Path) -> list:
    """Every 4-digit year in ``col`` (``2018``, ``2011-2015``) within the declared range."""
    out = []
    for i, text in df[col].items():
        for y in re.findall(r"\d+", str(text)):
            if len(y) >= 4 and not YEAR_MIN <= int(y) <= YEAR_MAX:
                out.append((path, int(df.at[i, "source_line"]), col,
                            f"year {y} out of range {YEAR_MIN}–{YEAR_MAX} ({YEAR_SOURCE})"))
    return out
