"""Teacher demand for display: staff (教职工) and full-time teachers (专任教师) by level at
the peak, hires per year, the qualification mix of hires under BOTH versions of the plan's
targets, and the documented sensitivities (psychology teachers, small rural schools at 2.4
staff per class, the two preschool rules). Inputs are the tables of ``qyedu.teachers.tables``."""

from __future__ import annotations

import re

import pandas as pd

from ..labels import level_label
from ..params import describe
from ..places.promises import PLAN_END
from ..projection.result import CITY
from ..teachers.demand import FLOW_LEVELS
from .format import range_words, unset_words
from .source_words import in_words

RULE_LABELS = {
    "unified_2014": "2014 统一编制标准 unified 2014 ratio",
    "rural_2.4_per_class_all": "全部按每班 2.4 人 every class at 2.4 staff",
    "two_teachers_per_class": "两教一保 2 teachers per class",
    "max_15_children": "≤1:15 at most 15 children per teacher",
    "plan_psych": "心理健康教师 psychology-teacher rule",
    "actual_ratio": "广东实际生师比 Guangdong actual pupils per teacher",
    "actual_ratio_staff_equivalent": "实际生师比折合教职工 actual ratio as staff",
    "china_ratio": "全国实际生师比 China actual pupils per teacher",
    "bureau_counts": "教育局编制与在编专任教师 bureau posts and teachers",
    "boarding": "寄宿生活老师 boarding staff",
}
VERSION_LABELS = {"table": "表 table", "专栏9": "专栏9 box 9"}
VARIANT_LABELS = {"no_redeployment": "不调配 without redeployment",
                  "redeployment": "小学→初中调配 with redeployment"}


def as_counts(df: pd.DataFrame, cols=None) -> pd.DataFrame:
    """Round count columns (teachers, places, money in 万元) to nullable integers."""
    cols = list(df.columns if cols is None else cols)
    df = df.copy()
    for c in cols:
        df[c] = pd.to_numeric(df[c], errors="coerce").round(0).astype("Int64")
    return df


def rule_label(rule: str) -> str:
    return RULE_LABELS.get(rule, rule)


def _city(t: pd.DataFrame, quantity: str) -> pd.DataFrame:
    return t[(t["county"] == CITY) & (t["quantity"] == quantity)]


def demand_at_peak(demand: pd.DataFrame) -> pd.DataFrame:
    """Per level: the rule, full-time teachers needed in the first projected year and in 2025
    (p50), the peak year of the median path, teachers at that peak (p05/p50/p95) and staff
    (教职工) at the peak (no staff ratio for preschool: 两教一保 counts teachers)."""
    t, s = _city(demand, "teachers_needed"), _city(demand, "staff_needed")
    rows = {}
    for lv in (lv for lv in FLOW_LEVELS if lv in set(t["level"])):  # all five levels
        g = t[t["level"] == lv].set_index("year")
        peak = int(g["p50"].idxmax())
        first, end = int(g.index.min()), min(PLAN_END, int(g.index.max()))
        st = s[(s["level"] == lv) & (s["year"] == peak)]
        rows[level_label(lv)] = {
            "规则 Rule": rule_label(str(g["rule"].iloc[0]).split("+")[0]) + (
                " + 小规模学校 2.4 small rural share" if "+" in str(g["rule"].iloc[0]) else ""),
            f"{first} 专任教师 p50 Teachers": g.loc[first, "p50"],
            f"{end} 专任教师 p50 Teachers": g.loc[end, "p50"],
            "峰值年 Peak year": peak,
            "峰值专任教师 p05 Teachers at peak": g.loc[peak, "p05"],
            "峰值专任教师 p50 Teachers at peak": g.loc[peak, "p50"],
            "峰值专任教师 p95 Teachers at peak": g.loc[peak, "p95"],
            "峰值教职工 p50 Staff at peak": st["p50"].iloc[0] if len(st) else float("nan"),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "学段 Level"
    num = [c for c in out.columns if c not in ("规则 Rule", "峰值年 Peak year")]
    out[num] = out[num].round(0)
    return out


def hiring_by_year(hiring: pd.DataFrame) -> pd.DataFrame:
    """Per year (rows): hires by level (p50), all levels p05/p50/p95, leavers (p50) and
    cumulative hires (p50). Hires of year t = max(0, demand(t+1) − stock left after leavers),
    recruited at the end of school year t; a surplus is carried, not laid off."""
    h = _city(hiring, "hires")
    out = h[h["level"] != "all"].pivot(index="year", columns="level", values="p50")
    out = out[[lv for lv in FLOW_LEVELS if lv in out.columns]]
    out.columns = [f"{level_label(lv)} p50" for lv in out.columns]
    tot = h[h["level"] == "all"].set_index("year")
    for p in ("p05", "p50", "p95"):
        out[f"合计 All {p}"] = tot[p]
    out["离职教师 p50 Leavers"] = _city(hiring, "leavers").query(
        "level == 'all'").set_index("year")["p50"]
    out["累计 p50 Cumulative"] = _city(hiring, "hires_cumulative").query(
        "level == 'all'").set_index("year")["p50"]
    out.index.name = "学年 School year"
    return as_counts(out)


def qualification_mix(quals: pd.DataFrame) -> pd.DataFrame:
    """Per level and qualification: the baseline share (outturn only; NaN and flagged where
    none is published), and for each version of the plan's 2025 target (表 table, 专栏9; any
    other version named in 其他版本) the target share, the share of hires that must hold it
    (p50; > 100 % = unreachable by hiring alone) and the in-service upgrades then needed (p50).
    Shares in %."""
    out_rows = []
    quals = quals.assign(version=quals["version"].fillna("").astype(str))  # "" reads back as NaN
    for (lv, qual), g in quals.groupby(["level", "qualification"], sort=False):
        row = {"学段 Level": level_label(lv), "学历 Qualification": qual}
        base = g[g["quantity"] == "baseline_share"].iloc[0]
        row["基线年 Baseline year"] = int(base["year"])
        row["基线 Baseline %"] = 100 * base["p50"]
        row["无基线 No outturn"] = bool(pd.isna(base["p50"]))
        others = []
        for ver in sorted(set(g["version"]) - {""}, key=lambda v: (v != "table", v)):
            v = g[g["version"] == ver].set_index("quantity")
            if ver not in VERSION_LABELS:
                others.append(f"{ver}: {100 * v.loc['target_share', 'p50']:.0f}%")
                continue
            name = VERSION_LABELS[ver]
            row[f"目标 Target {name} %"] = 100 * v.loc["target_share", "p50"]
            row[f"新招需达标 Share of hires {name} %"] = 100 * v.loc[
                "required_share_among_hires", "p50"]
            row[f"需在职提升教师 Teachers to upgrade {name}"] = v.loc["upgrades_needed", "p50"]
        row["其他版本 Other version"] = "; ".join(others)
        out_rows.append(row)
    out = pd.DataFrame(out_rows).set_index("学段 Level")
    for name in VERSION_LABELS.values():
        for c in (f"目标 Target {name} %", f"新招需达标 Share of hires {name} %",
                  f"需在职提升教师 Teachers to upgrade {name}"):
            if c not in out.columns:
                out[c] = float("nan")
    t, b = (out[f"目标 Target {VERSION_LABELS[v]} %"] for v in ("table", "专栏9"))
    out["版本不一致 Versions differ"] = (t.notna() & b.notna() & (t != b)) | (
        out["其他版本 Other version"] != "")
    num = out.select_dtypes("number").columns
    out[num] = out[num].round(1)
    return out


def assumed_baseline_shares(quals: pd.DataFrame) -> pd.DataFrame:
    """Where no outturn is published: the share of hires that must qualify (p50, %) to reach
    each target version, for a grid of assumed baselines (a sensitivity, not an estimate)."""
    s = quals[quals["quantity"].str.startswith("required_share_if_baseline_")]
    if s.empty:
        return pd.DataFrame()
    s = s.assign(base=s["quantity"].str.rsplit("_", n=1).str[-1].astype(int).astype(str) + " %",
                 lv=s["level"].map(level_label))
    out = s.pivot_table(index=["lv", "qualification", "version"], columns="base", values="p50",
                        sort=False, dropna=False) * 100
    out.index.names = ["学段 Level", "学历 Qualification", "版本 Version"]
    out.columns = [f"假设基线 {c} assumed baseline" for c in out.columns]
    return out.dropna(how="all").round(0)  # measures with an outturn need no assumed baseline


def qualification_paths(quals: pd.DataFrame) -> pd.DataFrame:
    """Qualified share of the stock (p50, %) per year for the measures with a published
    baseline, at the hires' qualified share parameter (teachers.hire_qual_share)."""
    p = quals[(quals["quantity"] == "qualified_share") & quals["p50"].notna()]
    out = p.pivot_table(index="year", columns=["level", "qualification"], values="p50",
                        sort=False) * 100
    out.columns = [f"{level_label(lv)} {q} %" for lv, q in out.columns]
    out.index.name = "学年 School year"
    return out.round(1)


def baseline_gap(hiring: pd.DataFrame) -> pd.DataFrame:
    """Per level at the stock baseline year: the stock and the demand on ONE basis
    (teachers.basis, or the bureau's counts) and the gap (stock − demand; 0 unless the
    bureau's 专任教师 differ from its 编制), p50, with the source of the stock."""
    d = hiring[hiring["county"] == CITY]
    y = int(d.loc[d["quantity"] == "baseline_gap", "year"].iloc[0])
    rows = {}
    for lv in (*FLOW_LEVELS, "all"):
        g = d[(d["level"] == lv) & (d["year"] == y)].set_index("quantity")
        if "baseline_gap" not in g.index:
            continue
        basis = str(g.loc["stock", "basis"])
        rows[level_label(lv)] = {
            "基线年 Baseline year": y,
            "存量 p50 Stock": g.loc["stock", "p50"],
            "同口径需求 p50 Demand (same basis)": g.loc["demand", "p50"],
            "缺口 p50 Gap (stock − demand)": g.loc["baseline_gap", "p50"],
            "存量来源 Stock source": stock_source(basis) if lv != "all" else "各学段之和 sum",
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "学段 Level"
    return as_counts(out, [c for c in out.columns if "p50" in c or "Baseline year" in c])


BASIS_WORDS = {"actual_ratio": "广东实际生师比 Guangdong's actual pupil-teacher ratios",
               "staffing_standard": "编制标准 the staffing standard"}


def stock_source(basis: str) -> str:
    """Where a level's baseline stock comes from, in words (the CSV's ``basis`` keeps the
    parameter key): the bureau's count, or the demand's own rule on the baseline pupils."""
    if "bureau 专任教师" in basis:
        year = re.search(r"in (\d{4})", basis.split("stock: ")[-1])
        return ("教育局在编专任教师数 the bureau's count of full-time teachers"
                + (f" ({year.group(1)})" if year else ""))
    rule = re.search(r"'(\w+)' rule", basis)
    words = BASIS_WORDS.get(rule.group(1), rule.group(1)) if rule else "需求口径 the demand's rule"
    return (f"按需求同一口径推算（{words}；清远专任教师数未公布，基年缺口为 0） inferred on the "
            "demand's own basis from the baseline pupils (Qingyuan's count not published: no gap "
            "by construction)")


def hires_with_and_without_redeployment(hiring: pd.DataFrame) -> pd.DataFrame:
    """Per level: cumulative hires over the whole flow (recruited after each school year from
    the baseline to the year before the horizon, i.e. arriving baseline+1 … horizon), p05/p50/
    p95, without and with redeployment of surplus primary teachers to junior secondary, and the
    peak surplus (p50 of the peak year) without redeployment."""
    d = hiring[hiring["county"] == CITY]
    last = int(d.loc[d["quantity"] == "hires", "year"].max())
    first = int(d.loc[d["quantity"] == "hires", "year"].min())
    rows = {}
    for lv in (*FLOW_LEVELS, "all"):
        g = d[d["level"] == lv]
        row = {}
        for v, name in VARIANT_LABELS.items():
            c = g[(g["quantity"] == f"hires_{v}_cumulative") & (g["year"] == last)]
            for p in ("p05", "p50", "p95"):
                row[f"招聘 {p} Hires {name}"] = c[p].iloc[0] if len(c) else float("nan")
        s = g[g["quantity"] == "surplus_no_redeployment"].set_index("year")["p50"]
        row["富余峰值 p50 Peak surplus"] = s.max() if len(s) else float("nan")
        row["富余峰值年 Peak surplus year"] = int(s.idxmax()) if len(s) and s.max() > 0 else pd.NA
        rows[level_label(lv)] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = f"学段 Level (到岗 arriving {first + 1}–{last + 1})"
    return as_counts(out)


def stock_flow_table(hiring: pd.DataFrame, level: str = "all") -> pd.DataFrame:
    """One level's stock flow per year (p50): demand, stock, surplus, leavers, hires and,
    where present, transfers. Flows of year t happen at its end (hires start in t+1)."""
    d = hiring[(hiring["county"] == CITY) & (hiring["level"] == level)]
    qs = ["demand", "stock", "surplus", "leavers", "hires", "transfers_in", "transfers_out"]
    out = d[d["quantity"].isin(qs)].pivot(index="year", columns="quantity", values="p50")
    out = out[[q for q in qs if q in out.columns]]
    names = {"demand": "需求 Demand", "stock": "存量 Stock", "surplus": "富余 Surplus",
             "leavers": "离开 Leavers", "hires": "招聘 Hires (start t+1)",
             "transfers_in": "调入 Transfers in", "transfers_out": "调出 Transfers out"}
    out.columns = [names[c] for c in out.columns]
    out.index.name = "学年 School year"
    return as_counts(out)


def sensitivities(demand: pd.DataFrame, years: list[int] | None = None) -> pd.DataFrame:
    """Alternative rules (p50) in selected years (default: first, 2025, last): preschool 两教一保
    vs ≤1:15, primary staff at the 2014 ratio vs every class at 2.4 (small rural schools), and
    psychology teachers required (every school assumed of average size)."""
    parts = [(_city(demand, "teachers_needed_by_rule"), "专任教师 teachers"),
             (_city(demand, "staff_needed_by_rule").query("level == 'primary'"), "教职工 staff"),
             (_city(demand, "psych_teachers_required"), "心理教师 psychology teachers")]
    frames = []
    for t, what in parts:
        w = t.pivot_table(index=["level", "rule"], columns="year", values="p50", sort=False)
        w.index = pd.MultiIndex.from_tuples(
            [(level_label(lv), f"{rule_label(r)} ({what})") for lv, r in w.index],
            names=["学段 Level", "规则 Rule"])
        frames.append(w)
    out = pd.concat(frames)
    all_years = [int(y) for y in out.columns]
    years = years or sorted({all_years[0], min(PLAN_END, all_years[-1]), all_years[-1]})
    out = out[years].round(0)
    out.columns.name = "学年 School year"
    return out


# the teacher parameters in Chinese, beside their keys (the keys stay: qyedu params, --set)
PARAMETER_NAMES = {
    "non_teaching_share_primary": "小学非专任教师占教职工比例",
    "non_teaching_share_junior": "初中非专任教师占教职工比例",
    "non_teaching_share_senior": "高中非专任教师占教职工比例",
    "attrition_rate": "专任教师年流失率", "preschool_rule": "幼儿园教师配备规则",
    "small_rural_class_share": "乡村小规模学校班级比例",
    "avg_school_size_compulsory": "义务教育学校平均规模",
    "avg_school_size_senior": "普通高中学校平均规模", "basis": "教师需求与存量的口径",
    "boarding_share": "寄宿生比例", "boarding_staff_per_boarder": "每名寄宿生配生活老师",
    "attrition_model": "流失模型", "career_years": "从教年限（入职至退休）",
    "older_share": "临近退休教师比例", "older_window_years": "临近退休的年数",
    "quit_rate": "退休以外的年流失率", "older_qual_gap": "年长教师学历达标比例差距",
    "hire_qual_share": "新招教师学历达标比例", "redeployment": "小学富余教师调往初中",
    "redeploy_per_year": "每年调配上限", "redeploy_qualified_share": "富余教师中可转岗比例",
    "qual_base_share_primary": "小学本科以上基线比例",
    "qual_base_share_senior": "高中硕士以上基线比例",
}


def assumptions(teacher_params) -> pd.DataFrame:
    """The teacher parameters of this run (Chinese name, value used, default, unit, range,
    source, description): attrition, stock proxy, non-teaching shares, small-rural share,
    preschool rule … A value left unset (None, shown –) says so in its description."""
    d = describe(teacher_params).set_index("name")
    d.insert(0, "value", [getattr(teacher_params, n) for n in d.index])
    d.insert(0, "name_zh", [PARAMETER_NAMES.get(n, "") for n in d.index])
    d.columns = ["名称 Name", "取值 Value", "默认 Default", "单位 Unit", "范围 Range",
                 "来源 Source", "说明 Description"]
    for c in ("来源 Source", "说明 Description"):  # files and keys in words
        d[c] = d[c].map(in_words)
    d["范围 Range"] = d["范围 Range"].map(range_words)
    d["说明 Description"] = d["说明 Description"].map(unset_words)
    d.index.name = "参数 Parameter"
    return d


def _share_text(share: float) -> tuple[str, str]:
    """A required share of hires in words: above 100 % (or undefined) the target cannot be
    reached by hiring alone, and existing teachers must upgrade."""
    if pd.isna(share) or share > 100:
        return "仅靠招聘无法达到", "unreachable by hiring alone"
    return f"新招 {share:.0f}% 须达标", f"{share:.0f}% of hires"


def headline(demand: pd.DataFrame, hiring: pd.DataFrame, quals: pd.DataFrame) -> str:
    """One line: full-time teachers needed in 2025, hires to 2025 and the primary 本科+ rule."""
    t = _city(demand, "teachers_needed")
    end = min(PLAN_END, int(t["year"].max()))
    total = t[t["year"] == end]["p50"].sum()
    cum = _city(hiring, "hires_cumulative").query("level == 'all'").set_index("year")
    first = int(cum.index.min())
    last = min(end - 1, int(cum.index.max()))  # hires of year t arrive in t+1
    c = cum.loc[last]
    mix = qualification_mix(quals)
    q = mix[mix["学历 Qualification"] == "本科以上"].loc[level_label("primary")]
    shares = [q[f"新招需达标 Share of hires {VERSION_LABELS[v]} %"] for v in ("table", "专栏9")]
    targets = [q[f"目标 Target {VERSION_LABELS[v]} %"] for v in ("table", "专栏9")]
    no_base = bool(q["无基线 No outturn"])
    (zh0, en0), (zh1, en1) = ((("无基线（未公布实际值）", "no published baseline") if no_base
                               else _share_text(x)) for x in shares)
    return (f"{end} 年需专任教师 {total:,.0f} 人 (各学段 p50 之和)；{first + 1}–{last + 1} 年到岗累计招聘 {c['p50']:,.0f} 人 "
            f"(p05–p95 {c['p05']:,.0f}–{c['p95']:,.0f})；小学本科+ 目标 {targets[0]:.0f}%：{zh0}，"
            f"{targets[1]:.0f}%：{zh1} | Full-time "
            f"teachers needed {end}: {total:,.0f} (sum of level medians); hires arriving {first + 1}–{last + 1}: {c['p50']:,.0f} "
            f"(p05–p95 {c['p05']:,.0f}–{c['p95']:,.0f}); primary bachelor+ target "
            f"{targets[0]:.0f}%: {en0}; {targets[1]:.0f}%: {en1}")
