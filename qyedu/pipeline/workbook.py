"""One Excel workbook of every processed table (a sheet each: bold wrapped header, frozen
first row, filters, readable widths, thousands separators, probabilities as %), with a first
sheet 来源 Sources listing each table, its rows and the sources it cites."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..io import write_bytes_atomic
from ..textsafe import XLSX_OPTIONS, neutralise_tables

DESCRIPTIONS = {
    "plan_indicators": "规划指标登记 Plan indicator registry (every target and outturn as printed)",
    "plan_flags": "规划审计标记 Plan audit flags",
    "enrollment_forecast": "在校生预测 Enrolment forecast by level, county and year (p05/p50/p95)",
    "births_reconstruction": "出生人口重建 Reconstructed births by method",
    "backtest": "回测 Back-test: forecasts from earlier origins against later observations",
    "places_demand": "学位需求与容量 Places needed and capacity",
    "places_promises": "学位承诺 The plan's places promises against the need",
    "place_plan": "学位方案 Place plan: when, where and in what form to add places",
    "teacher_demand": "教师需求 Teachers needed",
    "teacher_hiring": "教师招聘 Teacher hires per year",
    "teacher_qualifications": "教师学历 Qualification mix against the plan's targets",
    "scorecard": "目标评估 Target scorecard (observed status; projected status apart)",
    "next_plan": "十五五测算依据 Evidence for the 15th plan 2026-2030 (plan registry schema)",
    "turning_points": "转折点 Peak years by level and county, with bands",
    "idle_promises": "闲置的承诺学位 14th-plan promised places idle by 2030",
}
_PROB = re.compile(r"^(prob|p_|share)|prob_shortfall", re.I)


def _sheet_name(stem: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "_", stem)[:31]
    base, k = name, 2
    while name.lower() in used:
        name = f"{base[:28]}_{k}"
        k += 1
    used.add(name.lower())
    return name


def _sources(df: pd.DataFrame) -> str:
    if "source" not in df:
        return ""
    vals = [str(v) for v in df["source"].dropna().unique()][:8]
    return "; ".join(vals)[:1000]


def workbook_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """The workbook of ``tables`` (name → table), sources sheet first."""
    import io

    buf = io.BytesIO()
    tables = neutralise_tables(tables)  # text stays text: no formula cell (qyedu.textsafe)
    with pd.ExcelWriter(buf, engine="xlsxwriter", **XLSX_OPTIONS) as xw:
        book = xw.book
        head = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                "bg_color": "#EEEEEE", "border": 1})
        fmt = {"int": book.add_format({"num_format": "#,##0"}),
               "num": book.add_format({"num_format": "#,##0.0##"}),
               "pct": book.add_format({"num_format": "0%"}),
               "year": book.add_format({"num_format": "0"}),
               "text": book.add_format({"text_wrap": False})}
        used: set[str] = {"来源 sources"}
        rows = []
        sheets = {}
        for name, df in tables.items():
            stem = Path(name).stem
            sheets[stem] = (_sheet_name(stem, used), df)
            rows.append({"表 Table": f"{stem}.csv", "工作表 Sheet": sheets[stem][0],
                         "说明 Description": DESCRIPTIONS.get(stem, ""),
                         "行数 Rows": len(df), "列 Columns": ", ".join(map(str, df.columns)),
                         "来源 Sources cited": _sources(df)})
        src = pd.DataFrame(rows)
        src.to_excel(xw, sheet_name="来源 Sources", index=False)
        ws = xw.sheets["来源 Sources"]
        for j, c in enumerate(src.columns):
            ws.write(0, j, c, head)
        ws.set_column(0, 1, 24)
        ws.set_column(2, 2, 60)
        ws.set_column(3, 3, 9, fmt["int"])
        ws.set_column(4, 5, 70)
        ws.freeze_panes(1, 0)
        for sheet, df in sheets.values():
            df.to_excel(xw, sheet_name=sheet, index=False)
            ws = xw.sheets[sheet]
            for j, c in enumerate(df.columns):
                ws.write(0, j, str(c), head)
                col = df[c]
                if str(c) == "year" or str(c).endswith("_year") or str(c) in {"origin"}:
                    kind, width = "year", 8
                elif pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
                    is_int = bool(len(col.dropna())) and (col.dropna() % 1 == 0).all()
                    kind = "pct" if _PROB.search(str(c)) else ("int" if is_int else "num")
                    width = 12
                else:
                    lens = col.astype(str).str.len()
                    width = int(min(max(lens.quantile(0.9) if len(lens) else 8, len(str(c)), 8), 50))
                    kind = "text"
                ws.set_column(j, j, width, fmt[kind])
            ws.freeze_panes(1, 0)
            if len(df.columns):
                ws.autofilter(0, 0, max(len(df), 1), len(df.columns) - 1)
    return buf.getvalue()


def write_workbook(processed: Path, path: Path) -> Path | None:
    """The workbook of every ``*.csv`` directly in ``processed`` (None if there is none)."""
    files = sorted(Path(processed).glob("*.csv"))
    if not files:
        return None
    tables = {f.name: pd.read_csv(f) for f in files}
    return write_bytes_atomic(workbook_bytes(tables), path)
