"""Load the published-statistics files of data/raw (long format, provenance kept) and
validate them on load: required columns, numeric values, known reliability classes.
Errors name the file and the line (1-based, header = line 1)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import InputError

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
    if not path.exists():
        raise InputError("file not found", path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as err:
        raise InputError(f"cannot be read as UTF-8 CSV: {err}", path) from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(f"missing required column(s) {missing}; has {list(df.columns)}", path, 1)
    df["source_line"] = range(2, len(df) + 2)
    df["source_file"] = path.name
    return df


def read_raw(name: str, path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate ``data/raw/<name>.csv`` (or ``path`` with the same schema).

    Returns all columns as published plus ``value`` as float and ``source_file`` /
    ``source_line`` (1-based line in the file) for provenance and error messages.
    """
    if name not in SCHEMAS:
        raise InputError(f"unknown raw table {name!r}; known: {sorted(SCHEMAS)}")
    path = Path(path) if path else paths.raw_csv(name)
    df = read_table(path, SCHEMAS[name] + PROVENANCE)
    problems = []
    values = pd.to_numeric(df["value"].str.replace(",", "", regex=False), errors="coerce")
    optional = df["indicator" if "indicator" in df.columns else "quantity"].isin(
        VALUE_OPTIONAL.get(name, set())
    )
    for i in df.index[values.isna() & ~(optional & (df["value"] == ""))]:
        problems.append((df.at[i, "source_line"], f"value {df.at[i, 'value']!r} is not a number"))
    for i in df.index[~df["reliability"].isin(RELIABILITY)]:
        problems.append(
            (df.at[i, "source_line"], f"unknown reliability {df.at[i, 'reliability']!r}; "
             f"expected one of {sorted(RELIABILITY)}")
        )
    kind = df["indicator" if "indicator" in df.columns else "quantity"]
    for i in df.index[(values < 0) & ~kind.str.contains("change")]:
        problems.append((df.at[i, "source_line"], f"negative value {values[i]}"))
    dup = df.duplicated(keep="first")
    for i in df.index[dup]:
        problems.append((df.at[i, "source_line"], "exact duplicate of an earlier row"))
    if problems:
        line, first = problems[0]
        more = "".join(f"\n  line {ln}: {msg}" for ln, msg in problems[1:])
        raise InputError(first + more, path, int(line))
    df["value"] = values
    return df
