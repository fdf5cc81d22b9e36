"""The target scorecard for display: every target with its status (bilingual, sorted by status
then level), the counts by status and level, and a one-line headline. Input: ``scorecard.csv``
from ``qyedu.scorecard.tables``; the status rule lives in ``qyedu.scorecard``."""

from __future__ import annotations

import pandas as pd

from ..labels import STATUS_LABELS, STATUSES, level_label, status_label
from ..scorecard import status_counts

BASIS_LABELS = {
    "observed": "观测 observed",
    "observed_path": "观测对照路径 observed vs path",
    "observed_cumulative": "观测累计 observed total",
    "projection": "预测 projection",
    "none": "无 none",
}
BOUND_SIGNS = {"ge": "≥", "le": "≤", "eq": "=", "approx": "≈"}


def _number(v) -> str:
    """A target or observed value for people: thousands separators, no trailing .0."""
    from .format import number

    return "" if pd.isna(v) else number(v, decimals=2)


def _year(y) -> str:
    from .format import year

    return year(y, missing="?")


def scorecard_view(scorecard: pd.DataFrame, statuses: tuple[str, ...] | None = None
                   ) -> pd.DataFrame:
    """Targets with bilingual columns, sorted by status (met … no_data), level, indicator and
    year; ``statuses`` keeps only those statuses (e.g. ``("met", "on_track", "at_risk",
    "missed")`` for the judged targets)."""
    s = scorecard if statuses is None else scorecard[scorecard["status"].isin(statuses)]
    order = {st: i for i, st in enumerate(STATUSES)}
    s = s.assign(_o=s["status"].map(order)).sort_values(
        ["_o", "level", "indicator_id", "target_year", "bound"], kind="stable")
    base = [f"{_number(v)} ({_year(y)})" if pd.notna(v) else "" for v, y in
            zip(s["baseline_value"], s["baseline_year"], strict=True)]
    latest = [f"{_number(v)} ({_year(y)})" if pd.notna(v) else "" for v, y in
              zip(s["latest_value"], s["latest_year"], strict=True)]
    out = pd.DataFrame({
        "状态 Status": s["status"].map(status_label).to_numpy(),
        "学段 Level": s["level"].map(level_label).to_numpy(),
        "指标 Indicator": s["name_zh"].to_numpy(),
        "编号 ID": s["indicator_id"].to_numpy(),
        "目标 Target": [f"{BOUND_SIGNS.get(b, b)} {_number(t)} {u}" for b, t, u in
                      zip(s["bound"], s["target"], s["unit"].fillna(""), strict=True)],
        "目标年 Year": s["target_year"].to_numpy(),
        "基线 Baseline (year)": base,
        "依据数值 Judged on (year)": latest,
        "依据 Basis": s["basis"].map(lambda b: BASIS_LABELS.get(b, b)).to_numpy(),
        "说明 Note": s["note"].fillna("").to_numpy(),
    })
    return out.reset_index(drop=True)


def status_count_view(scorecard: pd.DataFrame) -> pd.DataFrame:
    """Counts of targets by level (rows, plus 合计 All) and status (columns), bilingual."""
    c = status_counts(scorecard).set_index("level")
    c.index = [level_label(lv) for lv in c.index]
    c.index.name = "学段 Level"
    c.columns = [status_label(st) if st in STATUS_LABELS else "合计 Total" for st in c.columns]
    return c


def headline(scorecard: pd.DataFrame, forecast=None) -> str:
    """One line: number of targets and how many have each status; with ``forecast`` (the
    run's ForecastParams) it names the scenario and draws behind the projection-based ones."""
    from ..labels import scenario_label

    n = scorecard["status"].value_counts().reindex(list(STATUSES), fill_value=0)
    zh = "，".join(f"{STATUS_LABELS[s][0]} {n[s]}" for s in STATUSES)
    en = ", ".join(f"{STATUS_LABELS[s][1]} {n[s]}" for s in STATUSES)
    run_zh = run_en = ""
    if forecast is not None:
        k = int((scorecard["basis"] == "projection").sum()) if "basis" in scorecard else 0
        run_zh = (f"（其中 {k} 项依据预测：{scenario_label(forecast.scenario, 'zh')}，"
                  f"{forecast.draws:,} 次抽样）")
        run_en = (f" ({k} judged on the projection: {scenario_label(forecast.scenario, 'en')} "
                  f"scenario, {forecast.draws:,} draws)")
    return (f"{len(scorecard)} 项目标：{zh}{run_zh} | {len(scorecard)} targets: {en}{run_en}")
