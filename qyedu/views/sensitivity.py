"""Sweep results for display: which assumptions matter for which answer (parameters ranked
by their index with its confidence half-width), under which assumptions a promise's 2025
verdict flips, and a headline in plain words. Inputs are the tables of a sweep folder
(``indices.csv``, ``verdicts.csv``, ``verdict_by_parameter.csv``, ``flips.csv``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .format import pct

MIN_BASE_SAMPLE = 64  # as qyedu.sweep.analyze.MIN_BASE_SAMPLE (views sit below sweep)

PROMISE_LABELS = {
    "compulsory_new_places": "义务教育新增学位 compulsory places",
    "preschool_new_public_places": "公办幼儿园学位 public kindergarten places",
    "senior_new_public_places": "公办普通高中学位 public general senior places",
    "compulsory_capacity": "义务教育学位容量 compulsory capacity vs places needed",
}
VERDICT_HEADS = {
    "compulsory_new_places": "2025 义务教育新增学位承诺 compulsory-place promise",
    "compulsory_capacity": "2025 义务教育学位容量 compulsory capacity vs need",
}
PARAM_LABELS = {  # reviewers read names, not parameter keys (the appendix lists the keys)
    "forecast.scenario": ("未来出生情景", "future births path"),
    "forecast.births_method": ("出生重建方法", "births basis of the anchors"),
    "projection.births_anchor_doubt": ("对出生锚点的怀疑", "doubt about the births anchors"),
    "places.large_class_share_primary": ("小学大班额比例", "primary oversized-class share"),
    "places.planned_delay_share": ("规划学位延迟比例", "share of planned places late"),
    "places.promise_base_year": ("承诺基年", "baseline year of the promise"),
    "teachers.attrition_rate": ("教师流失率", "teacher attrition rate"),
    "costs.real_wage_growth": ("工资实际增长率", "real wage growth"),
}


def param_label(key: str) -> str:
    """'教师流失率 teacher attrition rate' for ``teachers.attrition_rate``; a key without a
    label shows its description's first words (never the key itself)."""
    if key in PARAM_LABELS:
        return " ".join(PARAM_LABELS[key])
    from ..params import RunParams
    from ..params.base import describe

    d = describe(RunParams).set_index("name")
    if key in d.index:
        return "参数 " + str(d.loc[key, "description"]).split(".")[0].split(";")[0][:60]
    return "参数 " + key.rsplit(".", 1)[-1].replace("_", " ")


VERDICT_WORDS = {"shortfall": "缺口 shortfall", "surplus": "富余 surplus"}
HEADLINE_OUTPUTS = {
    "compulsory_surplus_2025_p50": "2025 义务教育学位余缺 compulsory surplus 2025",
    "compulsory_gap_2025_p50": "2025 义务教育容量缺口 compulsory capacity gap 2025",
    "junior_peak_p50": "初中在校生峰值 junior peak",
    "junior_peak_year": "初中峰值年份 junior peak year",
}
OUTPUT_LABELS = {**HEADLINE_OUTPUTS,  # every output of the example design, for figures
                 "compulsory_prob_shortfall_2025": "2025 义务教育缺口概率 P(compulsory shortfall) 2025",
                 "compulsory_shortage_2025_p50": "2025 义务教育各县缺口之和 compulsory county shortages 2025",
                 "preschool_surplus_2025_p50": "2025 公办学前学位余量 preschool surplus 2025",
                 "senior_surplus_2025_p50": "2025 公办普高学位余量 general senior surplus 2025",
                 "places_idle_2035": "2035 闲置学位 places idle 2035",
                 "teacher_hires_2025": "2025 教师招聘 teacher hires 2025",
                 "teacher_hires_total": "教师招聘合计 teacher hires, total",
                 "total_cost_2025": "2025 总成本 total cost 2025",
                 "total_cost": "总成本 total cost"}


def importance(ix: pd.DataFrame) -> tuple[pd.Series, pd.Series, str]:
    """One comparable number per row, its confidence half-width, and its name: ST (Sobol),
    μ* scaled by the output's largest μ* (Morris), or S1 (grid)."""
    if "ST" in ix and ix["ST"].notna().any():
        return ix["ST"], ix["ST_conf"], "ST"
    if "mu_star" in ix and ix["mu_star"].notna().any():
        top = ix.groupby("output")["mu_star"].transform("max").replace(0, np.nan)
        conf = ix["mu_star_conf"] if "mu_star_conf" in ix else ix["mu_star"] * np.nan
        return ix["mu_star"] / top, conf / top, "μ*/max"
    return ix["S1"], ix["S1"] * np.nan, "S1"


def ranking(ix: pd.DataFrame, output: str | None = None) -> pd.DataFrame:
    """Parameters ranked per output by importance, with the confidence half-width."""
    imp, conf, name = importance(ix)
    t = ix.assign(importance=imp, conf=conf)
    if output is not None:
        t = t[t["output"] == output]
    t = t.sort_values(["output", "importance"], ascending=[True, False])
    t["rank"] = t.groupby("output").cumcount() + 1
    t["output"] = t["output"].map(HEADLINE_OUTPUTS).fillna(t["output"])
    t["parameter"] = t["parameter"].map(param_label)
    cols = {"output": "输出 output", "rank": "排序 rank", "parameter": "参数 parameter",
            "importance": f"指数 {name}", "conf": "± 置信半宽 CI half-width"}
    return t[list(cols)].rename(columns=cols).reset_index(drop=True)


def top_drivers(ix: pd.DataFrame, output: str, n: int = 3) -> list[tuple[str, float, float]]:
    """The ``n`` parameters with the largest index for ``output``: (parameter, index, ±)."""
    imp, conf, _ = importance(ix)
    t = ix.assign(importance=imp, conf=conf)
    t = t[(t["output"] == output) & (t["importance"] > 0)].sort_values("importance", ascending=False)
    return [(r.parameter, float(r.importance), float(r.conf)) for r in t.head(n).itertuples()]


def flip_conditions(vbp: pd.DataFrame) -> pd.DataFrame:
    """Per promise: the parameter value (or third of its range) under which shortfall is most
    and least frequent."""
    rows = []
    for promise, g in vbp.groupby("promise", sort=False):
        hi, lo = g.loc[g["share_shortfall"].idxmax()], g.loc[g["share_shortfall"].idxmin()]
        same = hi.share_shortfall == lo.share_shortfall  # never (or always) short: no condition
        none = "— (no parameter changes the verdict)"
        rows.append({"promise": promise,
                     "most_shortfall_when": none if same else
                     f"{param_label(hi.parameter)} = {hi.value}",
                     "share_shortfall_then": float(hi.share_shortfall),
                     "least_shortfall_when": none if same else
                     f"{param_label(lo.parameter)} = {lo.value}",
                     "share_shortfall_least": float(lo.share_shortfall)})
    return pd.DataFrame(rows)


def verdict_table(verdicts: pd.DataFrame) -> pd.DataFrame:
    """The 2025 verdict of each promise across the runs (bilingual)."""
    t = verdicts.assign(
        promise=verdicts["promise"].map(PROMISE_LABELS).fillna(verdicts["promise"]),
        share_shortfall=verdicts["share_shortfall"].map(pct),
        majority=verdicts["majority"].map(VERDICT_WORDS).fillna(verdicts["majority"]))
    cols = {"promise": "承诺 promise", "runs": "组合数 runs", "shortfall_runs": "缺口组合 shortfall runs",
            "share_shortfall": "缺口比例 share shortfall", "majority": "多数结论 majority verdict",
            "min_surplus": "最小余量 min surplus", "max_surplus": "最大余量 max surplus"}
    return t[list(cols)].rename(columns=cols)


def _drivers_text(ix: pd.DataFrame, output: str) -> str:
    d = top_drivers(ix, output)
    if not d:
        return "no parameter in the design moves it"
    return ", ".join(f"{param_label(p)} ({v:.2f} ± {c:.2f})" if np.isfinite(c)
                     else f"{param_label(p)} ({v:.2f})"
                     for p, v, c in d)


def headline(tables: dict[str, pd.DataFrame], method: str) -> list[str]:
    """Plain-words lines for a reviewer, generated from the indices and verdicts."""
    ix, lines = tables["indices.csv"], []
    _, _, name = importance(ix)
    v = tables.get("verdicts.csv", pd.DataFrame())
    conds = flip_conditions(tables["verdict_by_parameter.csv"]) if len(
        tables.get("verdict_by_parameter.csv", ())) else pd.DataFrame()
    runs = int(tables["runs.csv"]["run"].nunique())
    for r in v.itertuples() if len(v) else []:
        if r.promise not in VERDICT_HEADS:
            continue
        text = (f"{VERDICT_HEADS[r.promise]}: {r.majority} in "
                f"{r.runs - r.shortfall_runs if r.majority == 'surplus' else r.shortfall_runs} of "
                f"{r.runs} assumption sets ({r.shortfall_runs} in shortfall)")
        c = conds[conds["promise"] == r.promise]
        if len(c) and 0 < r.shortfall_runs < r.runs and not c.iloc[0].most_shortfall_when.startswith("—"):
            c = c.iloc[0]
            if r.majority == "surplus":
                text += (f"; shortfall most often when {c.most_shortfall_when} "
                         f"({c.share_shortfall_then:.1%} of those runs)")
            else:
                text += (f"; surplus most often when {c.least_shortfall_when} "
                         f"({1 - c.share_shortfall_least:.1%} of those runs)")
        lines.append(text + ".")
    for out, label in HEADLINE_OUTPUTS.items():
        if (ix["output"] == out).any():
            lines.append(f"{label} — top drivers by {name} ({method}, {runs} runs): "
                         f"{_drivers_text(ix, out)}.")
    return lines



def _value_text(v) -> str:
    if isinstance(v, float | np.floating):
        return f"{v:.2f}".rstrip("0").rstrip(".") if np.isfinite(v) else "—"
    return str(v)


def flip_conditions_display(vbp: pd.DataFrame) -> pd.DataFrame:
    """``flip_conditions`` for reading: bilingual headers and promise names, shares in %."""
    c = flip_conditions(vbp)
    if c.empty:
        return c
    t = pd.DataFrame({
        "承诺 promise": c["promise"].map(PROMISE_LABELS).fillna(c["promise"]),
        "缺口最常见于 shortfall most often when": c["most_shortfall_when"],
        "缺口比例 share short (most)": c["share_shortfall_then"].map(pct),
        "缺口最少见于 shortfall least often when": c["least_shortfall_when"],
        "缺口比例 share short (least)": c["share_shortfall_least"].map(pct)})
    return t


def flip_examples(flips: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The assumption sets whose 2025 verdict differs from the majority (``flips.csv``), one
    line each: promise, verdict, median surplus, and the set of assumptions in one column
    (the raw table is one column per parameter: too wide to read)."""
    if flips is None or flips.empty:
        return pd.DataFrame({"说明 note": ["没有改变结论的假设组合 no assumption set changes a "
                                         "verdict"]})
    keys = [c for c in flips.columns if "." in c]
    t = flips.head(n)
    sets = t[keys].apply(lambda r: " · ".join(f"{param_label(k)} {_value_text(r[k])}"
                                              for k in keys), axis=1)
    return pd.DataFrame({
        "承诺 promise": t["promise"].map(PROMISE_LABELS).fillna(t["promise"]).to_numpy(),
        "结论 verdict": t["verdict"].map(VERDICT_WORDS).fillna(t["verdict"]).to_numpy(),
        "中位余量 median surplus": t["surplus_p50"].round().astype(int).to_numpy(),
        "假设组合 assumption set": sets.to_numpy()})


RUN_HOW = "qyedu sweep {design}.yaml"  # the design file of the sweeps folder (methods appendix)


def status_text(design: str, res, sound: bool, why: list[str]) -> str:
    """What the page shows, in Chinese and English: the finished sweep (its size), or why no
    sweep is shown and how to run one (a sweep is its own job, not part of a refresh)."""
    how = RUN_HOW.format(design=design)
    how_zh = f"研究人员用命令 {how}（基础样本不少于 {MIN_BASE_SAMPLE}，见方法与来源附录）运行"
    how_en = (f"researchers run {how} (base sample at least {MIN_BASE_SAMPLE}; see the methods "
              "and sources appendix)")
    if res is not None and sound:
        n = int(res.runs["run"].nunique())
        return (f"本页显示设计 {design} 已完成的参数扫描（{res.design.method}，基础样本 "
                f"{res.design.samples}，共 {n} 次运行），指数已收敛 | the finished sweep of "
                f"design {design} ({res.design.method}, base sample {res.design.samples}, "
                f"{n} runs); its indices converged")
    if res is not None:
        reasons = "; ".join(why)
        return (f"设计 {design} 的参数扫描已完成，但尚未收敛（{reasons}），本页不显示其结果；"
                f"请增大基础样本后由{how_zh} | the finished sweep of design {design} has "
                f"not converged ({reasons}) and is not shown; raise its base sample: {how_en}")
    stale = "the finished sweep was made with other code or data" in why
    zh = "已有的参数扫描基于旧版代码或数据" if stale else "尚未运行参数扫描"
    en = "the finished sweep was made with other code or data" if stale else \
        "no sweep has been run"
    return (f"{zh}，本页没有敏感性结果。参数扫描是单独的任务（数分钟至数小时），不在每次刷新中"
            f"运行：{how_zh}，然后重新刷新 | {en}, so this page shows no sensitivity results. "
            f"A sweep is a job of its own (minutes to hours), not part of a refresh: {how_en}, "
            "then refresh again")


def not_shown() -> pd.DataFrame:
    """The placeholder table where a sweep's table would be."""
    return pd.DataFrame({"说明 note": ["尚无可发布的参数扫描结果（见本页开头） no sweep results "
                                     "to show (see the top of this page)"]})
