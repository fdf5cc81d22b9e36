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
    "delivered_plus_planned": "已交付 + 计划 delivered + planned",
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


def _targets(s: pd.DataFrame) -> list[str]:
    """``≥ 922 所``: the bound's sign, the target and its unit."""
    return [f"{BOUND_SIGNS.get(b, b)} {_number(t)} {u}" for b, t, u in
            zip(s["bound"], s["target"], s["unit"].fillna(""), strict=True)]


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
        "目标 Target": _targets(s),
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


# -- observed vs projected, and where the outturns come from ------------------------------
PROJECTED_LABELS = {
    "on_track": ("预测：进度正常", "projected: on track"),
    "at_risk": ("预测：有风险", "projected: at risk"),
    "off_track": ("预测：偏离目标", "projected: off track"),
}
OBSERVED_BASES = ("observed", "observed_path", "observed_cumulative")


def projected_label(status) -> str:
    zh, en = PROJECTED_LABELS.get(str(status), ("", ""))
    return f"{zh} {en}".strip()


def projected_view(scorecard: pd.DataFrame) -> pd.DataFrame:
    """The projection-judged targets (sorted off track → on track, then lowest P(met)), with
    the observed status beside them for contrast: two statuses, two columns, never merged."""
    if "projected_status" not in scorecard:
        return pd.DataFrame()
    s = scorecard[scorecard["projected_status"].isin(PROJECTED_LABELS)]
    order = {"off_track": 0, "at_risk": 1, "on_track": 2}
    s = s.assign(_o=s["projected_status"].map(order)).sort_values(
        ["_o", "projected_p_met", "indicator_id", "target_year"], kind="stable")
    return pd.DataFrame({
        "预测状态 Projected status": s["projected_status"].map(projected_label).to_numpy(),
        "达标概率 P(met)": s["projected_p_met_range"].to_numpy(),
        "指标 Indicator": s["name_zh"].to_numpy(),
        "目标 Target": _targets(s),
        "目标年 Year": s["target_year"].to_numpy(),
        "观测状态 Observed status": s["status"].map(status_label).to_numpy(),
        "依据 Source": s["projected_source"].to_numpy(),
        "说明 Note": s["projected_note"].fillna("").to_numpy(),
    }).reset_index(drop=True)


def judged_line(scorecard: pd.DataFrame) -> str:
    """How many of the targets are judged on an outturn, on the projection, either way."""
    from ..scorecard import judged_counts

    n = judged_counts(scorecard)
    return (f"{n['total']} 项目标中：{n['observed']} 项有观测判定，{n['projected']} 项有预测判定"
            f"（两者分列），至少一种判定的共 {n['either']} 项 | of {n['total']} targets, "
            f"{n['observed']} are judged on outturns, {n['projected']} on the projection "
            f"(kept apart), {n['either']} either way")


def outturn_sources(scorecard: pd.DataFrame) -> pd.DataFrame:
    """Targets judged on an outturn, by the observation file they rest on (a target resting
    on several files counts once under each)."""
    s = scorecard[scorecard["basis"].isin(OBSERVED_BASES)]
    files = [sorted({part.strip().rsplit(":", 1)[0] for part in str(f).split(";")
                     if part.strip()}) for f in s["observed_from"].fillna("")]
    rows = [(f, iid) for fs, iid in zip(files, s["indicator_id"], strict=True) for f in fs]
    if not rows:
        return pd.DataFrame({"观测文件 Observation file": [], "目标数 Targets": []})
    t = pd.DataFrame(rows, columns=["file", "iid"]).groupby("file").size()
    return pd.DataFrame({"观测文件 Observation file": t.index.to_numpy(),
                         "目标数 Targets": t.to_numpy()})


def outturn_line(scorecard: pd.DataFrame) -> str:
    """One line: how many targets have an outturn and from which files."""
    t = outturn_sources(scorecard)
    n = int(scorecard["basis"].isin(OBSERVED_BASES).sum())
    files = "、".join(f"{f}（{k}）" for f, k in zip(t.iloc[:, 0], t.iloc[:, 1], strict=True))
    files_en = ", ".join(f"{f} ({k})" for f, k in zip(t.iloc[:, 0], t.iloc[:, 1], strict=True))
    if not n:
        return "尚无目标有观测值 | no target has an outturn yet"
    return (f"{n} 项目标有观测值，来自 {files} | {n} targets have an outturn, from {files_en}")
