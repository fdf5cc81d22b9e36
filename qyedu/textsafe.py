"""Text stays text: cells that come from input text never become spreadsheet formulas.

Every CSV and workbook cell holding text that starts with ``= + - @``, a tab or a carriage
return gets a leading apostrophe (OWASP, "CSV Injection": Excel, LibreOffice and Google
Sheets would otherwise evaluate ``=2+3`` or ``@SUM(…)`` typed in a plan or an observation
file). Text that is a plain number (``-5``, ``+1.5``) is left alone. In the workbook every
string is also written as a string cell (xlsxwriter ``strings_to_formulas=False``), so no
formula cell is ever written."""

from __future__ import annotations

import re

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d[\d,]*\.?\d*|\.\d+)([eE][+-]?\d+)?%?$")
#: ``pd.ExcelWriter(..., **XLSX_OPTIONS)``: strings are written with ``write_string``.
XLSX_OPTIONS = {"engine_kwargs": {"options": {"strings_to_formulas": False,
                                              "strings_to_urls": False}}}


def neutralise(value):
    """``value`` with a leading apostrophe if it is text a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _NUMBER.match(value):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell neutralised (and text column names); the same
    object when nothing needs it (the common case costs one scan of the text columns)."""
    cols = [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c])]
    hits = [c for c in cols if df[c].map(lambda v: neutralise(v) is not v).any()]
    names = [neutralise(c) for c in df.columns]
    if not hits and names == list(df.columns):
        return df
    out = df.copy()
    for c in hits:
        out[c] = out[c].map(neutralise)
    out.columns = names
    return out


def neutralise_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {name: neutralise_frame(df) for name, df in tables.items()}
