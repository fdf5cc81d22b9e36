"""One Excel workbook of every processed table (a sheet each: bold wrapped header in Chinese
with the column's code name, frozen first row, filters, readable widths, thousands
separators, probabilities as %), after a first sheet 结论 Headline (the verdicts table, in
Chinese and English) and a sheet 来源 Sources listing each table, what it is, its rows, the
raw sources it rests on and the sources it cites. A probability is the mean of 0/1 draws:
its p05/p50/p95 are left blank (a median of 0/1 draws says nothing)."""

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
    "accuracy": "早期系数法准确度 Accuracy of the earlier factor method on the validation panel (superseded; kept for its calibration)",
    "honest_accuracy": "方法准确度 Accuracy of the grade flow, back-tested honest in time (MAPE, bias, coverage, gain over baselines by lead)",
    "honest_senior_accuracy": "高中阶段准确度 Accuracy of the grade flow for senior levels, honest in time",
    "honest_paired": "逐一对比基准 The grade flow against each baseline on the forecasts both made (paired 95 % intervals)",
    "honest_held_out": "留出检验 Held-out 2020-2023 outturns against the bands from origin 2019 (never fitted)",
    "command_check": "命令检验 The forecast command as a new user runs it, as of 2019, against later outturns",
    "forecast_register": "预注册预测 Pre-registered forecasts, written once before their outturns were known (seen = already held then)",
    "cost_units": "单位成本 Cost per place and per teacher, with ranges",
    "costs": "成本 Capital and salary costs by year and level (2022 prices)",
    "flow_checks": "流量核对 The model against the plan's flow figures (GER, transition rates)",
    "places_answers": "学位三种口径 Places: need, capacity and peak views side by side",
    "scenarios": "出生情景 The births scenarios side by side",
    "verdicts": "结论表 The one table of verdicts (per promise and level; words for probabilities)",
    "enrolment_by_grade": "分年级在校生 Pupils by grade and year with the flow ratio that fed each grade (p05/p50/p95)",
    "structural_choices": "漂移假设 Each promise's verdict under the four drift choices (no drift, half and whole panel drift, China's recent drift)",
}
RAW_SOURCES = {  # the data/raw files each table rests on (the methods appendix cites them)
    "plan_indicators": "qingyuan-education-14th-fyp.txt（规划文本 the plan）",
    "plan_flags": "qingyuan-education-14th-fyp.txt（规划文本 the plan）",
    "births_reconstruction": "population.csv; validation/guangdong_population.csv",
    "enrollment_forecast": "enrollment.csv（清远日报转载 news repost）; population.csv; calibration",
    "scenarios": "enrollment.csv; population.csv; births paths",
    "backtest": "enrollment.csv; population.csv; validation/*.csv",
    "accuracy": "validation/provinces.csv; validation/china.csv",
    "honest_accuracy": "validation/provinces*.csv; validation/china.csv",
    "honest_senior_accuracy": "validation/provinces*.csv; validation/china.csv",
    "honest_held_out": "validation/provinces_2020_2023.csv; validation/provinces*.csv",
    "command_check": "validation/provinces.csv; validation/provinces_2020_2023.csv; validation/china.csv",
    "forecast_register": "validation/provinces.csv; validation/china.csv; enrollment.csv; population.csv",
    "honest_paired": "validation/provinces*.csv; validation/china.csv",
    "flow_checks": "qingyuan-education-14th-fyp.txt; enrollment.csv",
    "places_demand": "enrollment.csv; places.csv（2023–25 为草案 draft）; standards.csv",
    "places_promises": "qingyuan-education-14th-fyp.txt; enrollment.csv; population.csv",
    "places_answers": "enrollment.csv; places.csv（2023–25 为草案 draft）; standards.csv",
    "verdicts": "places_promises.csv; places_answers.csv",
    "teacher_demand": "standards.csv; guangdong_education.csv; china.csv",
    "teacher_hiring": "standards.csv; guangdong_education.csv",
    "teacher_qualifications": "qingyuan-education-14th-fyp.txt; guangdong_education.csv",
    "costs": "costs_counties.csv",
    "cost_units": "costs_counties.csv",
    "scorecard": "qingyuan-education-14th-fyp.txt; observed/*.csv",
    "next_plan": "enrollment.csv; population.csv; places.csv; standards.csv; costs_counties.csv",
    "turning_points": "enrollment.csv; population.csv; places.csv",
    "idle_promises": "qingyuan-education-14th-fyp.txt; places.csv",
    "place_plan": "places.csv（2023–25 为草案 draft）; standards.csv; costs_counties.csv",
    "enrolment_by_grade": "enrollment.csv（清远日报转载 news repost）; population.csv; calibration",
    "structural_choices": "qingyuan-education-14th-fyp.txt; enrollment.csv; population.csv; calibration",
}
COLUMN_LABELS = {
    "year": "年份", "level": "学段", "county": "县区", "scenario": "情景", "quantity": "数量",
    "mean": "均值", "p05": "第5百分位", "p50": "中位数", "p95": "第95百分位", "basis": "口径",
    "source": "出处", "note": "说明", "promise": "承诺", "value": "数值", "method": "方法",
    "horizon": "提前年数", "origin": "起点年", "series": "序列", "target_year": "目标年",
    "forecast": "预测", "forecast_p05": "预测第5百分位", "forecast_p95": "预测第95百分位",
    "actual": "实际", "ape": "绝对百分比误差", "mape": "平均绝对百分比误差", "bias": "偏差",
    "n": "观测数", "areas": "地区数", "coverage_p05_p95": "区间覆盖率", "base_year": "基年",
    "births_method": "出生方法", "kind": "类型", "rule": "规则", "low": "下限", "high": "上限",
    "unit": "单位", "plan_value": "规划值", "plan_year": "规划年", "plan_kind": "规划类型",
    "plan_line": "规划行号", "status": "状态", "flag_id": "标记编号", "severity": "严重程度",
    "indicator_id": "指标编号", "line": "行号", "message": "说明", "name_zh": "名称",
    "name_en": "英文名", "bound": "界限", "text": "原文", "group_zh": "分组",
    "direction": "方向", "target": "目标", "baseline_year": "基线年", "baseline_value": "基线值",
    "latest_year": "最新年", "latest_value": "最新值", "reference": "参照",
    "projected_p05": "预测第5百分位", "projected_p50": "预测中位数",
    "projected_p95": "预测第95百分位", "cumulative": "累计", "observed_from": "观测来源",
    "qualification": "学历", "version": "版本", "key": "键", "view": "视角",
    "statistic": "统计量", "label_zh": "中文标签", "label_en": "英文标签",
    "statistic_zh": "统计量（中文）", "statistic_en": "统计量（英文）", "words_zh": "表述",
    "words_en": "表述（英文）", "words_key": "表述代码", "colour": "颜色",
    "projected_status": "预测状态代码", "projected_words": "预测状态（达到的可能性）",
    "projected_p_met": "达到概率", "projected_p_met_range": "达到概率区间",
    "projected_source": "预测依据", "projected_note": "预测说明",
    "grade_index": "初中年级结构指数",
    # the back-test, the grade table, the place plan and the drift choices
    "area": "地区", "file": "文件", "lead": "提前年数", "outturn": "实际值",
    "error_pct": "误差百分比", "inside": "落在区间内", "sample": "样本", "info": "信息条件",
    "baseline": "基准", "honest": "按时间诚实", "n_band": "有区间的预测数",
    "best_baseline": "最佳基准", "diff_vs_best_pp": "与最佳基准之差（百分点）",
    "diff_lo": "差值区间下限", "diff_hi": "差值区间上限", "verdict": "结论",
    "coverage_lo": "覆盖率区间下限", "coverage_hi": "覆盖率区间上限", "versus": "对比基准",
    "mape_method": "本方法平均绝对百分比误差", "mape_versus": "基准平均绝对百分比误差",
    "diff_pp": "差值（百分点）", "stage": "年级", "stage_zh": "年级名称", "age": "年龄",
    "fed_by": "来源年级", "ratio_kind": "比率类型", "pupils_mean": "在校生均值",
    "pupils_p05": "在校生第5百分位", "pupils_p50": "在校生中位数",
    "pupils_p95": "在校生第95百分位", "ratio_p05": "比率第5百分位", "ratio_p50": "比率中位数",
    "ratio_p95": "比率第95百分位", "age_cohort_p50": "年龄队列中位数", "prob": "概率",
    "prob_meaning": "概率含义", "strategy": "方案", "form": "形式", "places": "学位",
    "shortage_before": "方案前缺口", "expected_shortage": "期望缺口",
    "prob_shortage": "缺口概率", "idle_places": "闲置学位", "idle_capital": "闲置资本",
    "cost": "成本", "choice": "假设", "choice_zh": "假设（中文）", "choice_en": "假设（英文）",
    "is_default": "是否默认", "promised": "承诺学位", "need_p05": "需求第5百分位",
    "need_p50": "需求中位数", "need_p95": "需求第95百分位", "prob_shortfall": "缺口概率",
    # the pre-registered forecasts
    "input": "输入数据", "as_of": "截至年份", "seen": "登记时已知实际值", "registered": "登记日期",
}
PROB_QUANTITY = re.compile(r"^prob_|probability|share_of_draws", re.I)


def header(col) -> str:
    """'年份 year': the Chinese name first, then the column's code name (for formulas)."""
    zh = COLUMN_LABELS.get(str(col))
    return f"{zh} {col}" if zh else str(col)


def probabilities_as_means(df: pd.DataFrame) -> pd.DataFrame:
    """Rows whose quantity is a probability keep only the mean (the share of draws): the
    quantiles of 0/1 draws are blanked."""
    if "quantity" not in df or "mean" not in df:
        return df
    hit = df["quantity"].astype(str).str.contains(PROB_QUANTITY)
    if not hit.any():
        return df
    df = df.copy()
    for c in ("p05", "p50", "p95"):
        if c in df:
            df[c] = df[c].astype(float)
            df.loc[hit, c] = float("nan")
    return df
_PROB = re.compile(r"^(prob|p_|share)|prob_shortfall|_p_met$", re.I)


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


def headline_sheet(verdicts: pd.DataFrame | None) -> pd.DataFrame:
    """The 结论 Headline sheet: the verdicts table as reviewers read it."""
    from ..views.verdicts import display

    return display(verdicts)


def workbook_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """The workbook of ``tables`` (name → table): headline and sources sheets first."""
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
        used: set[str] = {"来源 sources", "结论 headline"}
        rows = []
        sheets = {}
        verdicts = next((df for n, df in tables.items() if Path(n).stem == "verdicts"), None)
        hl = headline_sheet(verdicts)
        hl.to_excel(xw, sheet_name="结论 Headline", index=False)
        ws = xw.sheets["结论 Headline"]
        for j, c in enumerate(hl.columns):
            ws.write(0, j, c, head)
        ws.set_column(0, len(hl.columns) - 1, 24)
        ws.freeze_panes(1, 0)
        for name, df in tables.items():
            stem = Path(name).stem
            df = probabilities_as_means(df)
            sheets[stem] = (_sheet_name(stem, used), df)
            rows.append({"表 Table": f"{stem}.csv", "工作表 Sheet": sheets[stem][0],
                         "说明 Description": DESCRIPTIONS.get(stem, ""),
                         "行数 Rows": len(df), "列 Columns": ", ".join(map(str, df.columns)),
                         "原始数据 Raw data": RAW_SOURCES.get(stem, ""),
                         "来源 Sources cited": _sources(df) or "见原始数据与方法附录 see raw "
                         "data and the methods appendix"})
        src = pd.DataFrame(rows)
        src.to_excel(xw, sheet_name="来源 Sources", index=False)
        ws = xw.sheets["来源 Sources"]
        for j, c in enumerate(src.columns):
            ws.write(0, j, c, head)
        ws.set_column(0, 1, 24)
        ws.set_column(2, 2, 60)
        ws.set_column(3, 3, 9, fmt["int"])
        ws.set_column(4, 6, 60)
        ws.freeze_panes(1, 0)
        for sheet, df in sheets.values():
            df.to_excel(xw, sheet_name=sheet, index=False)
            ws = xw.sheets[sheet]
            for j, c in enumerate(df.columns):
                ws.write(0, j, header(c), head)
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


def write_workbook(processed: Path, path: Path, extra: list[Path] = ()) -> Path | None:
    """The workbook of every ``*.csv`` directly in ``processed`` plus ``extra`` tables (the
    verdicts table of reports/), None if there is none."""
    files = sorted(Path(processed).glob("*.csv")) + [Path(f) for f in extra if Path(f).exists()]
    if not files:
        return None
    tables = {f.name: pd.read_csv(f) for f in files}
    return write_bytes_atomic(workbook_bytes(tables), path)
