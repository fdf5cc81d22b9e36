"""The target scorecard for display: every target with its status (bilingual, sorted by status
then level), the counts by status and level, and a one-line headline. Input: ``scorecard.csv``
from ``qyedu.scorecard.tables``; the status rule lives in ``qyedu.scorecard``."""

from __future__ import annotations

import pandas as pd

from ..labels import STATUS_LABELS, STATUSES, level_label, status_label
from ..scorecard import status_counts
from .source_words import table_in_words

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
    proj = projected_counts(scorecard)
    if proj:  # the projected statuses apart, in the calibrated words of P(met)
        n_p = sum(k for *_, k in proj)
        run_zh += f"；另 {n_p} 项依据预测判定：" + "，".join(f"{a} {k}" for a, _, k in proj)
        run_en += f"; apart, {n_p} judged on the projection: " + ", ".join(
            f"{b} {k}" for _, b, k in proj)
    return (f"{len(scorecard)} 项目标：{zh}{run_zh} | {len(scorecard)} targets: {en}{run_en}")


# -- observed vs projected, and where the outturns come from ------------------------------
OBSERVED_BASES = ("observed", "observed_path", "observed_cumulative")


def projected_label(status, p=None, rng: str = "") -> str:
    """A projected status in the calibrated words with its probability, Chinese first:
    ``预测：很可能达到 projected: very likely met (P 93 %)``; '' for a target not judged."""
    from ..scorecard import is_projected
    from .words import met_text

    if not is_projected(status):
        return ""
    zh, en = met_text(str(status), p, rng).split(" ", 1)
    return f"预测：{zh} projected: {en}"


def projected_colour(status) -> str:
    """The badge colour of a projected status: it follows the words (likely met is green)."""
    from .words import met_words

    return met_words(str(status))[2]


def _p_sort(s: pd.DataFrame) -> pd.Series:
    """P(met) for sorting: the point value, else the middle of the published range."""
    mid = {">95 %": 0.975, "50–95 %": 0.725, "5–50 %": 0.275, "<5 %": 0.025}
    return s["projected_p_met"].fillna(s["projected_p_met_range"].map(mid))


def projected_view(scorecard: pd.DataFrame) -> pd.DataFrame:
    """The projection-judged targets (least likely to be met first), with the calibrated
    words of P(met) and the observed status beside them for contrast: two statuses, two
    columns, never merged."""
    from ..scorecard import is_projected

    if "projected_status" not in scorecard:
        return pd.DataFrame()
    s = scorecard[scorecard["projected_status"].map(is_projected).astype(bool)]
    s = s.assign(_p=_p_sort(s)).sort_values(["_p", "indicator_id", "target_year"],
                                            kind="stable")
    words = [projected_label(st, p, r) for st, p, r in
             zip(s["projected_status"], s["projected_p_met"], s["projected_p_met_range"],
                 strict=True)]
    out = pd.DataFrame({
        "预测状态 Projected status": words,
        "指标 Indicator": s["name_zh"].to_numpy(),
        "目标 Target": _targets(s),
        "目标年 Year": s["target_year"].to_numpy(),
        "观测状态 Observed status": s["status"].map(status_label).to_numpy(),
        "依据 Source": s["projected_source"].map(table_in_words).to_numpy(),
        "说明 Note": s["projected_note"].fillna("").to_numpy(),
    }).reset_index(drop=True)
    out.attrs["qy_colours"] = {"预测状态 Projected status":
                               [projected_colour(st) for st in s["projected_status"]]}
    return out


def projected_counts(scorecard: pd.DataFrame) -> list[tuple[str, str, int]]:
    """(中文, English, n) of the projected statuses by calibrated word, most likely met first
    (a range across words counts under its own words)."""
    from ..likelihood import SCALE
    from ..scorecard import is_projected
    from .words import met_words

    if "projected_status" not in scorecard:
        return []
    st = scorecard.loc[scorecard["projected_status"].map(is_projected).astype(bool),
                       "projected_status"].astype(str)
    order = ["virtually_certain", "very_likely", "likely", "about_as_likely_as_not",
             "unlikely", "very_unlikely", "exceptionally_unlikely"]
    rank = {k: i for i, k in enumerate(order)}
    assert set(order) == {b.key for b in SCALE}
    keys = sorted(st.unique(), key=lambda k: (rank.get(k.split("_to_")[0], 9), k))
    return [(*met_words(k)[:2], int((st == k).sum())) for k in keys]


def projected_line(scorecard: pd.DataFrame) -> str:
    """One line: the projection-judged targets counted by the calibrated words of P(met)."""
    c = projected_counts(scorecard)
    n = sum(k for *_, k in c)
    if not n:
        return "无预测判定的目标 | no target is judged on the projection"
    zh = "，".join(f"{a} {k}" for a, _, k in c)
    en = ", ".join(f"{b} {k}" for _, b, k in c)
    return (f"{n} 项目标依据预测判定（若模型正确时达到的可能性）：{zh} | {n} targets judged on "
            f"the projection (how likely they are met if the model is right): {en}")


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
