"""Numbers and tables for people: one formatter for every table on every page.

- counts with thousands separators and no ``.0`` (``171158.0`` → ``171,158``), whole schools,
  classes and teachers; years without separators;
- probabilities as percentages (``0.319`` → ``32 %``), ``–`` for missing values;
- code names replaced by their bilingual labels (``compulsory_new_places`` →
  ``义务教育新增学位 New compulsory places``), every string HTML-escaped;
- no bare integer index; tables too wide for a 1,280 px screen or an A4 page transposed (few
  rows) or split into column groups.

:func:`install_ipython` registers :func:`frame_html` as IPython's HTML formatter for
DataFrames, Series and Stylers, so tables returned by any view are formatted without the views
knowing; ``qyedu.views`` calls it on import inside IPython (a kernel, JupyterLab, papermill).
Set ``QYEDU_PLAIN_TABLES=1`` for pandas' own display. Long tables follow pandas'
``display.max_rows``.
"""

from __future__ import annotations

import math
import numbers
import os
import re
from html import escape

import pandas as pd

from ..labels import LEVEL_LABELS, METHOD_LABELS, PROMISE_LABELS, SCENARIO_LABELS, STATUS_LABELS

MISSING = "–"
# estimated width budget of one table, in characters of ~7 px (CJK counts two): fits an A4
# portrait page (about 720 px between margins at the print font) and so also 1,280 px
WIDTH_BUDGET = 96
TEXT_WRAP = 20  # long text cells wrap (CSS max-width): counted at most this wide
TRANSPOSE_MAX_ROWS = 8

_CODE_LABELS = {**LEVEL_LABELS, **PROMISE_LABELS, **SCENARIO_LABELS, **STATUS_LABELS,
                **METHOD_LABELS}
_PROB = re.compile(r"概率|P\(|prob|probability", re.I)
_PERCENT = re.compile(r"%|百分|比例|share|率\b", re.I)
_YEAR = re.compile(r"年|year|origin|起点", re.I)  # an origin is the year a forecast is made
_ID = re.compile(r"编号|\bID\b|_id\b|\bid\b")  # identifier columns keep their code names
_SHARE = re.compile(r"share|rate\b|_rate|fraction|比例|率", re.I)  # a share is never a count
# "schools" as a word: 'Preschool' names a level, not a count of schools
_WHOLE = re.compile(r"学校|所|班|教师|教职工|人数|\bschools?\b|class|teacher|staff|hire|pupil|"
                    r"places|学位|学生|在校|招聘|count|(?<!系)(?<!指)数", re.I)  # 系数/指数: ratios


# -- single values --------------------------------------------------------------------------
def is_missing(v) -> bool:
    try:
        return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))
    except TypeError:
        return False


def count(v, missing: str = MISSING) -> str:
    """A whole number with thousands separators: ``171158.0`` → ``"171,158"``."""
    if is_missing(v):
        return missing
    return f"{round(float(v)):,.0f}".replace("-", "−")


def signed(v, missing: str = MISSING) -> str:
    """A whole number with its sign: ``+1,200`` / ``−3,400`` (surplus / shortfall)."""
    if is_missing(v):
        return missing
    r = round(float(v))
    return ("+" if r > 0 else "") + count(r)


def pct(p, missing: str = MISSING) -> str:
    """A probability or share in [0, 1] as a percentage: ``0.319`` → ``"32 %"``; ``<1 %``
    and ``>99 %`` instead of a rounded 0 or 100 that is not exactly so."""
    if is_missing(p):
        return missing
    p = float(p) * 100
    if p == 0 or p == 100:
        return f"{p:.0f} %"
    if p < 1:
        return "<1 %"
    if p > 99:
        return ">99 %"
    return f"{p:.0f} %"


def number(v, decimals: int = 1, missing: str = MISSING) -> str:
    """A measured number: whole with separators from 100 up, ``decimals`` decimals from 1 up,
    three significant digits below 1 (a rate of 0.03 is never printed as 0); trailing zeros
    dropped."""
    if is_missing(v):
        return missing
    v = float(v)
    if abs(v) >= 100 or v == int(v):
        return count(v)
    if abs(v) < 1:
        return f"{v:.3g}".replace("-", "−")
    text = f"{v:,.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace("-", "−")


def year(v, missing: str = MISSING) -> str:
    if is_missing(v):
        return missing
    try:
        return str(int(float(v)))
    except (TypeError, ValueError):
        return str(v)


_RANGE = re.compile(r"\b(ge|gt|le|lt) (\S+?)(?=,|$)")
_RANGE_SIGNS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}


def bare_number(v: str) -> str:
    """A bare whole number in text: separators from five digits (a year or ``5000`` stays as
    written, ``20000`` → ``20,000``); the rule for sources and parameter ranges alike."""
    return f"{int(v):,}" if v.isdigit() and len(v) >= 5 else v


def range_words(text) -> str:
    """A parameter's range with signs: ``ge 0, lt 1`` → ``≥ 0, < 1``, ``le 20000`` →
    ``≤ 20,000``, ``ge 2021`` → ``≥ 2021``; choices and non-text are kept."""
    if not isinstance(text, str):
        return text
    return _RANGE.sub(lambda m: f"{_RANGE_SIGNS[m.group(1)]} {bare_number(m.group(2))}", text)


def unset_words(text) -> str:
    """A description's ``None → …`` (what an unset parameter does) in words."""
    return str(text).replace("None → ", "未设定（–）时 unset (–) → ")


def value_text(v) -> str:
    """A parameter's value for people: three significant digits (``0.05263…`` → ``0.0526``),
    separators from five digits, years as written, each member of a tuple alike, ``–`` when
    unset, on/off words for switches; text kept."""
    if v is None:
        return MISSING
    if isinstance(v, bool):
        return "是 on" if v else "否 off"
    if isinstance(v, (tuple, list)):
        return ", ".join(value_text(x) for x in v)
    if isinstance(v, numbers.Real):
        if not math.isfinite(v):
            return MISSING if math.isnan(v) else str(v)
        if float(v) == int(v):
            return bare_number(str(int(v))).replace("-", "−")
        return f"{float(v):.3g}".replace("-", "−")
    return str(v)


def label(v) -> str:
    """The bilingual label of a code name (level, promise, scenario, status), else ``v``."""
    if isinstance(v, str) and v in _CODE_LABELS:
        zh, en = _CODE_LABELS[v]
        return f"{zh} {en}".strip()
    return v


def _is_text(values) -> bool:
    return pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)


# -- columns ---------------------------------------------------------------------------------
def _name_text(name) -> str:
    if isinstance(name, tuple):
        return " ".join(str(n) for n in name)
    return str(name)


def _column_kind(name, values: pd.Series) -> str:
    """How to show a column: 'year', 'prob', 'percent', 'whole', 'number', 'int' or 'text'."""
    text = _name_text(name)
    if _ID.search(text):
        return "id"
    num = pd.to_numeric(values, errors="coerce") if _is_text(values) else values
    if not pd.api.types.is_numeric_dtype(num) or pd.api.types.is_bool_dtype(num):
        return "text"
    finite = num.dropna()
    if _is_text(values) and len(finite) < values.notna().sum():
        return "text"  # mixed strings and numbers
    if _YEAR.search(text) and finite.between(1900, 2200).all() and (finite % 1 == 0).all():
        return "year"
    if _PROB.search(text) and finite.between(0, 1).all():
        return "prob"
    if _PERCENT.search(text) and not _WHOLE.search(text):
        return "percent"
    if _WHOLE.search(text):
        return "whole"
    if pd.api.types.is_integer_dtype(num) or (len(finite) and (finite % 1 == 0).all()):
        return "int"
    return "number"


def _row_kinds(frame: pd.DataFrame) -> list[str | None]:
    """Per-row kinds when the row label names the quantity (a transposed table, or years as
    columns with rows such as 'P(shortfall)'); None where the row label says nothing."""
    out = []
    for key in frame.index:
        text = _name_text(key)
        row = frame.loc[[key]] if frame.index.is_unique else frame.iloc[:0]
        vals = pd.to_numeric(pd.Series(row.to_numpy().ravel()), errors="coerce").dropna()
        if not len(vals):
            out.append(None)
        elif _PROB.search(text) and vals.between(0, 1).all():
            out.append("prob")
        elif _YEAR.search(text) and vals.between(1900, 2200).all() and (vals % 1 == 0).all():
            out.append("year")
        elif _PERCENT.search(text) and not _WHOLE.search(text):
            out.append("percent")
        elif (_WHOLE.search(text) and not (_SHARE.search(text) and vals.abs().le(1).all())
              and not ((vals % 1 != 0) & (vals.abs() < 1)).any()):  # 0.02 staff is no count
            out.append("whole")
        else:
            out.append(None)
    return out


_FORMAT = {"year": year, "prob": pct, "percent": lambda v: number(v, 1), "whole": count,
           "int": count, "number": number}


def _cell(v, kind: str) -> str:
    if is_missing(v):
        return MISSING
    if isinstance(v, str) or kind in ("text", "id"):
        if isinstance(v, str):
            return escape(v if kind == "id" else str(label(v)))
        if isinstance(v, bool):
            return "是 yes" if v else "否 no"
        if isinstance(v, numbers.Number):
            return escape(number(v))
        return escape(str(v))
    try:
        return escape(_FORMAT[kind](v))
    except (TypeError, ValueError):
        return escape(str(v))


def _label_text(v) -> str:
    if is_missing(v):
        return ""
    if isinstance(v, float) and v == int(v):
        v = int(v)
    return escape(str(label(v)))


def format_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The table as escaped display strings (values, index and column labels)."""
    if isinstance(df, pd.Series):
        df = df.to_frame(df.name if df.name is not None else "")
    df = df.copy()
    kinds = {c: _column_kind(c, df[c]) for c in df.columns} if df.columns.is_unique else {}
    by_row = _row_kinds(df) if df.index.is_unique else [None] * len(df)
    # rows name the quantity (years as columns): the row kind wins for numeric columns
    cols = {}
    for j, c in enumerate(df.columns):
        kind = kinds.get(c) or _column_kind(c, df.iloc[:, j])
        col = df.iloc[:, j]
        if kind in ("year", "id"):
            cols[j] = [_cell(v, kind) for v in col]
        else:
            cols[j] = [_cell(v, rk or kind) for v, rk in zip(col, by_row, strict=True)]
    out = pd.DataFrame({j: cols[j] for j in range(df.shape[1])}, index=df.index)
    out.columns = df.columns
    out.index = _relabel(df.index)
    out.columns = _relabel(df.columns)
    return out


def _relabel(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        levels = [[_label_text(v) for v in index.get_level_values(i)]
                  for i in range(index.nlevels)]
        return pd.MultiIndex.from_arrays(levels, names=[_label_text(n) or None
                                                        for n in index.names])
    return pd.Index([_label_text(v) for v in index],
                    name=_label_text(index.name) or None if index.name is not None else None)


def bare_index(index: pd.Index) -> bool:
    """A default 0…n−1 index (or an unnamed integer index) carries no meaning: hide it. A
    named one (``年份 Year`` over 2002…2024, a RangeIndex too) is the table's key: keep it."""
    if isinstance(index, pd.RangeIndex) and index.name is None:
        return True
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1 and \
            not str(index.name).strip():
        return True
    return (index.name is None and not isinstance(index, pd.MultiIndex)
            and pd.api.types.is_integer_dtype(index) and not index.empty
            and not pd.Index(index).isin(range(1900, 2201)).all())


def _repeated_column(df: pd.DataFrame):
    """The column that the index only repeats once labelled (ids beside their names)."""
    if isinstance(df.index, pd.MultiIndex) or not df.columns.is_unique:
        return None
    shown = [label(v) for v in df.index]
    return next((c for c in df.columns if _is_text(df[c]) and list(df[c]) == shown), None)


# -- width -----------------------------------------------------------------------------------
def text_width(s: str) -> int:
    """Estimated width in character cells (CJK and full-width characters count two)."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _header_width(label) -> int:
    words = re.split(r"\s+", _name_text(label))
    return max((text_width(w) for w in words), default=1)


def column_widths(shown: pd.DataFrame) -> list[int]:
    out = []
    for j, c in enumerate(shown.columns):
        cells = max((text_width(v) for v in shown.iloc[:, j]), default=0)
        out.append(max(min(cells, TEXT_WRAP), _header_width(c)) + 2)
    return out


def index_width(shown: pd.DataFrame, hide_index: bool) -> int:
    if hide_index:
        return 0
    idx = shown.index
    arrays = ([idx.get_level_values(i) for i in range(idx.nlevels)]
              if isinstance(idx, pd.MultiIndex) else [idx])
    return sum(min(max((text_width(str(v)) for v in a), default=0), TEXT_WRAP) + 2
               for a in arrays)


def table_width(shown: pd.DataFrame, hide_index: bool) -> int:
    return index_width(shown, hide_index) + sum(column_widths(shown))


def fit(df: pd.DataFrame, hide_index: bool, budget: int = WIDTH_BUDGET
        ) -> tuple[list[pd.DataFrame], bool]:
    """The formatted table as one or more parts that each fit ``budget``, and whether it was
    transposed: a table with few rows is transposed; otherwise its columns are split into
    groups (index repeated)."""
    shown = format_frame(df)
    if table_width(shown, hide_index) <= budget or shown.shape[1] <= 1:
        return [shown], False
    first = next((c for c in df.columns if _is_text(df[c])), None) if hide_index else None
    if first is not None and not df[first].is_unique:
        first = None  # repeated labels cannot head columns
    if len(df) <= TRANSPOSE_MAX_ROWS and df.columns.is_unique and (
            first is not None if hide_index else df.index.is_unique):
        # rows become columns headed by the row labels (or, without an index, by the first
        # text column): never by bare numbers
        tshown = format_frame(df.set_index(first).T if hide_index else df.T)
        if table_width(tshown, False) <= budget:
            return [tshown], True
    widths = column_widths(shown)
    room = max(budget - index_width(shown, hide_index), 20)
    # without an index the leading columns label the rows (the first text column, and the
    # text, year and id columns right after it, e.g. level · origin · target year): every
    # later part repeats them, so no part loses its row labels
    n_lead = 0
    if hide_index and _is_text(df.iloc[:, 0]) and shown.shape[1] > 2:
        n_lead = 1
        for j in range(1, min(4, shown.shape[1] - 1)):
            col = df.iloc[:, j]
            if not (_is_text(col) or _column_kind(df.columns[j], col) in ("year", "id")):
                break
            n_lead = j + 1
        while n_lead > 1 and sum(widths[:n_lead]) > room * 2 // 3:
            n_lead -= 1
    lead = n_lead > 0
    lead_w = sum(widths[:n_lead])
    parts, start, used = [], 0, 0
    for j, w in enumerate(widths):
        if j > start and used + w > (room if start == 0 else room - lead_w):
            parts.append(shown.iloc[:, start:j])
            start, used = j, 0
        used += w
    parts.append(shown.iloc[:, start:])
    if lead:
        parts = [parts[0]] + [pd.concat([shown.iloc[:, :n_lead], p], axis=1) for p in parts[1:]]
    return parts, False


# -- HTML ------------------------------------------------------------------------------------
def _numeric_classes(part: pd.DataFrame) -> pd.DataFrame:
    num = re.compile(r"^[−+<>]?[\d,.]+( %)?$|^–$")
    return part.map(lambda v: "num" if num.match(v) else "")


def frame_html(df, hide_index: bool | None = None, caption: str | None = None) -> str:
    """HTML of a table formatted for people (see the module docstring); a Styler's hidden
    index and caption are kept, its other styling replaced. Never raises for an odd table:
    it then falls back to pandas' own escaped HTML."""
    try:
        return _frame_html(df, hide_index, caption)
    except Exception:  # a display formatter must not fail a notebook cell
        from pandas.io.formats.style import Styler

        data = df.data if isinstance(df, Styler) else df
        if isinstance(data, pd.Series):
            data = data.to_frame()
        return f'<div class="qy-tables">{data.to_html(escape=True, na_rep=MISSING)}</div>'


def _frame_html(df, hide_index: bool | None, caption: str | None) -> str:
    from pandas.io.formats.style import Styler

    if isinstance(df, Styler):
        hidden = bool(getattr(df, "hide_index_", [False]) and all(df.hide_index_))
        caption = caption or df.caption
        df = df.data
        hide_index = hidden if hide_index is None else hide_index
    if isinstance(df, pd.Series):
        df = df.to_frame(df.name if df.name is not None else "")
    # colours that follow words (e.g. the scorecard's projected statuses): a column → one
    # colour per row, set by the view in ``df.attrs["qy_colours"]``, drawn as a left border
    colours = {c: pd.Series(list(v), index=df.index) for c, v in
               (df.attrs.get("qy_colours") or {}).items() if c in df.columns and len(v) == len(df)}
    repeated = _repeated_column(df)
    if repeated is not None:  # ids beside their names: the names become the index
        df, hide_index = df.set_index(repeated), False
    if hide_index is None:
        hide_index = bare_index(df.index)
    df, shown_note = _truncate(df)
    parts, transposed = fit(df, hide_index)
    html = [shown_note] if shown_note else []
    for k, part in enumerate(parts):
        st = part.style
        if part.index.is_unique and part.columns.is_unique:
            st = st.set_td_classes(_numeric_classes(part))
        st = st.set_table_attributes('class="qy-table"')
        if hide_index and not transposed:
            st = st.hide(axis="index")
        for c, col in colours.items():
            if not transposed and c in part.columns and len(part) == len(col) and \
                    part.columns.is_unique:  # rows keep their order through the formatting
                st = st.apply(lambda _, col=col: [f"border-left:6px solid {v}" for v in col],
                              subset=[c])
        if caption and k == 0:
            st = st.set_caption(escape(str(caption)))
        html.append(st.to_html())
    n = len(parts)
    note = (f'<p class="qy-split">（表格较宽，分为 {n} 部分 · wide table shown in {n} parts）</p>'
            if n > 1 else "")
    return f'<div class="qy-tables">{note}{"".join(html)}</div>'


def _truncate(df: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Long tables as pandas shows them (``display.max_rows`` / ``display.min_rows``): first
    and last rows, with a note saying how many there are."""
    max_rows = pd.get_option("display.max_rows")
    if not max_rows or len(df) <= max_rows:
        return df, ""
    n = max(2, pd.get_option("display.min_rows") or 10)
    part = pd.concat([df.head(n // 2), df.tail(n - n // 2)])
    note = (f'<p class="qy-split">（显示 {len(part)} / {len(df):,} 行 · showing the first and last '
            f"rows, {len(part)} of {len(df):,}）</p>")
    return part, note


def install_ipython(shell=None) -> bool:
    """Register :func:`frame_html` as the HTML formatter of DataFrames, Series and Stylers in
    the running IPython (no-op outside IPython). Returns whether it was installed."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    if os.environ.get("QYEDU_PLAIN_TABLES"):  # researchers who want pandas' own display
        return False
    from pandas.io.formats.style import Styler

    html = shell.display_formatter.formatters["text/html"]
    for cls in (pd.DataFrame, pd.Series, Styler):
        html.for_type(cls, frame_html)
    return True
