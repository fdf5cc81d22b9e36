"""The scorecard template the bureau fills: one row per plan target (what is asked, in which
unit, which kind of number), empty columns for the outturn. ``qyedu scorecard --template
FILE.xlsx|.csv`` writes it; a filled copy dropped into ``data/raw/observed/`` is read by
:func:`read_template` (through ``load_observed``) without edits.

Validation lists every problem of a file at once, by file, row (the spreadsheet row or the
CSV line) and column: an unknown indicator id, a unit other than the plan's, a % outside
0–100 where a share is meant (gross ratios, progression and retention rates may exceed 100),
an indicator given twice for one year with different values, a cumulative total below an
earlier year's, a value without year or source, a year out of range. Rows without a value are
skipped (a blank template is valid and judges nothing)."""

from __future__ import annotations

import csv
import math
import numbers
from pathlib import Path

import pandas as pd

from ..errors import InputError, QyeduError, raise_all
from ..observed.schema import YEAR_MAX, YEAR_MIN, YEAR_SOURCE
from .observations import COLUMNS as OBS_COLUMNS
from .rules import ScorecardParams, is_percent
from .table import is_cumulative, scorecard

#: Columns of the template, in order; the last four are the bureau's.
COLUMNS = ["indicator_id", "name_zh", "unit", "direction", "target", "target_year",
           "baseline_value", "baseline_year", "plan_line", "expected",
           "value", "year", "source", "reliability"]
FILL = ("value", "year", "source", "reliability")
SHEET = "template"
#: What ``expected`` says (the kind of number asked for), bilingual on the notes sheet.
EXPECTED = {
    "count": "数量：当年的数值（所、个、人……） a count or level for that year",
    "percent": "百分比：0–100 之间的百分点 a share in percent points, 0-100",
    "ratio": "比率：百分点，毛入学率等可超过 100 a rate in percent points (gross ratios may "
             "exceed 100)",
    "cumulative": "累计：规划期开始以来的累计数 a running total since the plan's start",
}
#: Percent indicators that may exceed 100 by definition (gross ratios, flow rates).
OVER_100_WORDS = ("毛入", "升学率", "巩固率")
NOTES = [
    ("说明 How to fill", ""),
    ("每行一项规划目标 One row per plan target",
     "只填写 value、year、source、reliability 四列；其他列不要修改（unit 必须与规划一致）。"
     " Fill only value, year, source, reliability; leave the other columns as they are."),
    ("value", "数值，按 unit 列的单位；百分比用百分点 (85.4, not 0.854)，不用“万”。"),
    ("year", "数值所属学年（按起始年，如 2025 表示 2025-26 学年）。 School year by its starting "
             "calendar year."),
    ("source", "出处：文件名、网址或统计年报页码。 Where the number comes from."),
    ("reliability", "可靠性：如 统计年报 / 内部台账 / 估计。 How reliable (e.g. official "
                    "statistics, internal records, estimate)."),
    ("同一指标多年 Several years",
     "复制该行，改 year 和 value。 Copy the row, change year and value."),
    ("放到哪里 Where to put it", "data/raw/observed/（xlsx 或 csv）；刷新时自动校验。"),
]


def expected_kind(indicator_id: object, name_zh: object, unit: object) -> str:
    """``cumulative``, ``percent`` (a share, 0–100), ``ratio`` (a % that may exceed 100) or
    ``count``."""
    if is_cumulative(indicator_id, name_zh, unit):
        return "cumulative"
    if is_percent(unit, name_zh):
        return "ratio" if any(w in str(name_zh) for w in OVER_100_WORDS) else "percent"
    return "count"


def template_table(indicators: pd.DataFrame, sp: ScorecardParams | None = None) -> pd.DataFrame:
    """One row per scorecard target (the scorecard's own rows and order), the fill columns
    empty."""
    sp = sp or ScorecardParams()
    empty_obs = pd.DataFrame({c: pd.Series(dtype="object") for c in OBS_COLUMNS})
    empty_proj = pd.DataFrame(columns=["indicator_id", "year", "p05", "p50", "p95", "note"])
    card = scorecard(indicators, empty_obs, empty_proj, sp)
    kinds = [expected_kind(i, n, u) for i, n, u in
             zip(card["indicator_id"], card["name_zh"], card["unit"], strict=True)]
    out = pd.DataFrame({
        "indicator_id": card["indicator_id"], "name_zh": card["name_zh"],
        "unit": card["unit"].fillna(""), "direction": card["direction"].fillna(card["bound"]),
        "target": card["target"], "target_year": card["target_year"],
        "baseline_value": card["baseline_value"], "baseline_year": card["baseline_year"],
        "plan_line": card["line"].astype(str), "expected": kinds,
    })
    for c in FILL:
        out[c] = ""
    return out[COLUMNS]


def _cell(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def write_template(table: pd.DataFrame, path: str | Path) -> Path:
    """Write the template as .xlsx (sheet ``template`` + a notes sheet; every text cell
    written as a string, so no input text becomes a formula) or .csv (UTF-8 with BOM so
    Excel opens the Chinese correctly)."""
    from ..io import write_bytes_atomic

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(COLUMNS)
        for row in table[COLUMNS].itertuples(index=False):
            w.writerow([_cell(v) for v in row])
        return write_bytes_atomic(buf.getvalue().encode("utf-8-sig"), path)
    if suffix != ".xlsx":
        raise QyeduError(f"--template {path}: give a .xlsx or .csv file name")
    return write_bytes_atomic(_xlsx_bytes(table), path)


def _xlsx_bytes(table: pd.DataFrame) -> bytes:
    import io

    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False, "strings_to_numbers": False})
    wb.set_properties({"created": pd.Timestamp("2000-01-01").to_pydatetime()})  # deterministic
    head = wb.add_format({"bold": True, "bg_color": "#DDDDDD"})
    fill = wb.add_format({"bg_color": "#FFF2CC"})
    ws = wb.add_worksheet(SHEET)
    for j, c in enumerate(COLUMNS):
        ws.write_string(0, j, c, head)
    for i, row in enumerate(table[COLUMNS].itertuples(index=False), start=1):
        for j, (c, v) in enumerate(zip(COLUMNS, row, strict=True)):
            fmt = fill if c in FILL else None
            if not _cell(v):
                ws.write_blank(i, j, None, fmt)
            elif isinstance(v, numbers.Real) and not isinstance(v, bool):
                ws.write_number(i, j, float(v), fmt)
            else:
                ws.write_string(i, j, _cell(v), fmt)  # text stays text: never a formula
    ws.freeze_panes(1, 2)
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 30)
    notes = wb.add_worksheet("notes 说明")
    for i, (k, v) in enumerate(NOTES + [(k, v) for k, v in EXPECTED.items()]):
        notes.write_string(i, 0, k)
        notes.write_string(i, 1, v)
    notes.set_column(0, 0, 28)
    notes.set_column(1, 1, 100)
    wb.close()
    return buf.getvalue()


# -- reading a filled template -------------------------------------------------------

def is_template(path: Path) -> bool:
    """An .xlsx file, or a CSV whose header is the template's (``indicator_id`` … ``expected``)."""
    if path.suffix.lower() == ".xlsx":
        return True
    try:
        with path.open(encoding="utf-8-sig") as f:
            for line in f:
                if line.strip() and not line.lstrip().startswith("#"):
                    head = [h.strip() for h in next(csv.reader([line]))]
                    return "indicator_id" in head and "expected" in head
    except (OSError, UnicodeDecodeError, StopIteration):
        return False
    return False


def _records(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number as the user sees it, {column: text}) of every non-blank data row."""
    if path.suffix.lower() == ".xlsx":
        try:
            df = pd.read_excel(path, sheet_name=SHEET, dtype=object, header=None,
                               engine="openpyxl")
        except ValueError as err:
            raise InputError(f"no sheet named {SHEET!r} ({err})", path) from None
        except Exception as err:  # noqa: BLE001 - a corrupt workbook: say so, no traceback
            raise InputError(f"not a readable .xlsx workbook ({type(err).__name__}: {err})",
                             path) from None
        rows = [(i + 1, ["" if pd.isna(v) else _cell(v) for v in r])
                for i, r in enumerate(df.itertuples(index=False))]
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as err:
            raise InputError(f"not UTF-8: {err}", path) from None
        rows = [(no, next(csv.reader([line])))
                for no, line in enumerate(text.splitlines(), start=1)
                if line.strip() and not line.lstrip().startswith("#")]
    if not rows:
        raise InputError("empty template (expected the header row of `qyedu scorecard "
                         "--template`)", path, 1)
    hno, header = rows[0]
    header = [str(h).strip() for h in header]
    missing = [c for c in ("indicator_id", "unit", *FILL[:3]) if c not in header]
    if missing:
        raise InputError(f"missing column(s) {missing}; a template written by `qyedu "
                         f"scorecard --template` has {COLUMNS}", path, hno)
    out = []
    for no, rec in rows[1:]:
        rec = list(rec) + [""] * (len(header) - len(rec))
        get = {h: str(rec[i]).strip() for i, h in enumerate(header) if h}
        if any(get.values()):
            out.append((no, get))
    return out


def _number(text: str) -> float | None:
    try:
        v = float(text.replace(",", "").replace("，", ""))
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def read_template(path: str | Path, indicators: pd.DataFrame,
                  sp: ScorecardParams | None = None) -> pd.DataFrame:
    """The observations of a filled template: the observation columns plus ``total`` (True
    where the value is a running total since the plan's start). Every problem of the file
    at once (InputError, file/row/column)."""
    path = Path(path)
    sp = sp or ScorecardParams()
    reg = indicators.drop_duplicates("indicator_id").set_index("indicator_id")
    problems: list[tuple[object, int | None, str | None, str]] = []
    kept: list[tuple[int, str, int, float, str, str, str]] = []
    for no, get in _records(path):
        iid = get.get("indicator_id", "")
        raw = get.get("value", "")
        if iid not in reg.index:
            problems.append((path, no, "indicator_id", f"unknown indicator id {iid!r} (not in "
                             "the plan registry; keep the id the template was written with)"))
            continue
        unit = "" if pd.isna(reg.at[iid, "unit"]) else str(reg.at[iid, "unit"])
        if get.get("unit", "") != unit:
            problems.append((path, no, "unit", f"unit {get.get('unit', '')!r} differs from "
                             f"the plan's {unit!r} for {iid}: give the value in {unit!r}"))
        if not raw:
            continue
        value = _number(raw)
        if value is None:
            problems.append((path, no, "value", f"value {raw!r} is not a number"))
        year_text = get.get("year", "")
        year = _number(year_text) if year_text else None
        if not year_text:
            problems.append((path, no, "year", "year is empty (the school year of the value)"))
        elif year is None or not year.is_integer():
            problems.append((path, no, "year", f"year {year_text!r} is not an integer"))
            year = None
        elif not YEAR_MIN <= year <= YEAR_MAX:
            problems.append((path, no, "year", f"year {int(year)} out of range "
                             f"{YEAR_MIN}–{YEAR_MAX} ({YEAR_SOURCE})"))
            year = None
        if not get.get("source", ""):
            problems.append((path, no, "source", "source is empty (where the number comes from)"))
        kind = expected_kind(iid, reg.at[iid, "name_zh"], unit)
        if value is not None and kind == "percent" and not 0 <= value <= 100:
            problems.append((path, no, "value", f"{value:g} is not a share in percent points "
                             f"(0–100) for {iid}"))
        if value is not None and kind != "percent" and value < 0:
            problems.append((path, no, "value", f"negative value {value:g} for {iid}"))
        if value is not None and year is not None:
            kept.append((no, iid, int(year), value, get.get("source", ""),
                         get.get("reliability", ""), kind))
    seen: dict[tuple[str, int], tuple[int, float]] = {}
    for no, iid, year, value, *_ in kept:
        if (iid, year) in seen and seen[iid, year][1] != value:
            first, v0 = seen[iid, year]
            problems.append((path, no, "value", f"duplicate: {iid} {year} is {v0:g} in row "
                             f"{first} and {value:g} here"))
        seen.setdefault((iid, year), (no, value))
    by_id: dict[str, list] = {}
    for rec in kept:
        if rec[6] == "cumulative":
            by_id.setdefault(rec[1], []).append(rec)
    for iid, recs in sorted(by_id.items()):
        best: tuple[int, int, float] | None = None  # (row, year, value) of the highest so far
        for no, _, year, value, *_ in sorted(recs, key=lambda r: (r[2], r[0])):
            if best is not None and year > best[1] and value < best[2]:
                problems.append((path, no, "value", f"cumulative {iid} falls: {value:g} in "
                                 f"{year} is below {best[2]:g} in {best[1]} (row {best[0]}); a "
                                 f"cumulative value is the total since {sp.plan_start}"))
            if best is None or value >= best[2]:
                best = (no, year, value)
    raise_all(problems)
    rows = [(iid, year, value, source, f"reliability: {rel}" if rel else "", path.name, no,
             kind == "cumulative")
            for no, iid, year, value, source, rel, kind in kept]
    first: dict[tuple[str, int], tuple] = {}
    for r in rows:  # the same value for the same year in several rows (a range): once
        first.setdefault((r[0], r[1]), r)
    rows = list(first.values())
    return pd.DataFrame.from_records(rows, columns=[*OBS_COLUMNS, "total"])
