"""School places for display: each plan promise against the places needed (shortfall or
surplus with p05–p95, peak year, places needed only until the peak), demand vs capacity by
year, and the class-size standards behind the class counts. Inputs are the tables of
``qyedu.places.tables`` (``places_demand.csv``, ``places_promises.csv``); nothing is recomputed.
Bilingual names come from ``qyedu.labels``."""

from __future__ import annotations

import pandas as pd

from ..labels import CITY, LEVEL_LABELS, level_label, promise_label
from ..places.promises import PLAN_END, PROMISES
from ..places.standards import class_sizes
from .format import count, pct, signed

STANDARD_LABELS = {
    "primary": ("小学 每班人数", "Primary pupils per class"),
    "junior_secondary": ("初中 每班人数", "Junior pupils per class"),
    "senior_general": ("普通高中 每班人数", "General senior pupils per class"),
    "kg_age3": ("幼儿园小班 每班人数", "Kindergarten age 3 per class"),
    "kg_age4": ("幼儿园中班 每班人数", "Kindergarten age 4 per class"),
    "kg_age5": ("幼儿园大班 每班人数", "Kindergarten age 5 per class"),
    "large_class": ("大班额 下限", "Large class from"),
    "very_large_class": ("超大班额 下限", "Very large class from"),
}


def _city(t: pd.DataFrame) -> pd.DataFrame:
    return t[t["county"] == CITY]


def _q(t: pd.DataFrame, promise: str, quantity: str) -> pd.DataFrame:
    return t[(t["promise"] == promise) & (t["quantity"] == quantity)]


def _at(t: pd.DataFrame, promise: str, quantity: str, year: int) -> pd.Series:
    return _q(t, promise, quantity).set_index("year").loc[year]


def target_year(promises: pd.DataFrame, promise: str) -> int:
    """The plan's end year (every places promise is "by 2025"), or the last projected year."""
    years = _q(promises, promise, "surplus")["year"].astype(int)
    return min(PLAN_END, int(years.max()))


def promise_summary(promises: pd.DataFrame) -> pd.DataFrame:
    """One row per promise (index: promise id): promised places, places needed by the target
    year and surplus (+) / shortfall (−) with p05–p95, probability of a shortfall, the tightest
    year to the horizon, the peak year of demand and how much of the promise is needed only
    until the peak (idle by the horizon). Places, rounded to whole places."""
    rows = {}
    for pid in PROMISES:
        ty = target_year(promises, pid)
        need = _at(promises, pid, "additional_places_needed", ty)
        surplus = _at(promises, pid, "surplus", ty)
        by_year = _q(promises, pid, "surplus").set_index("year")["p50"]
        horizon = int(by_year.index.max())
        one = {q: _q(promises, pid, q).iloc[0] for q in
               ("peak_year_mode", "promise_needed", "idle_at_horizon")}
        rows[pid] = {
            "承诺 Promise": promise_label(pid),
            "目标年 Target year": ty,
            "承诺学位 Promised": _at(promises, pid, "promised_places", ty)["p50"],
            "需新增 p05 Needed": need["p05"], "需新增 p50 Needed": need["p50"],
            "需新增 p95 Needed": need["p95"],
            "富余(+)/缺口(−) p05 Surplus": surplus["p05"],
            "富余(+)/缺口(−) p50 Surplus": surplus["p50"],
            "富余(+)/缺口(−) p95 Surplus": surplus["p95"],
            "缺口概率 P(shortfall)": _at(promises, pid, "prob_shortfall", ty)["mean"],
            "最紧年份 Tightest year": int(by_year.idxmin()),
            "最紧年份富余 p50 Surplus then": by_year.min(),
            "需求峰值年 Peak year": int(one["peak_year_mode"]["p50"]),
            "承诺中需要的 p50 Needed of promise": one["promise_needed"]["p50"],
            f"仅峰前需要(至{horizon}闲置) p50 Needed only until peak": one["idle_at_horizon"]["p50"],
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "promise"
    num = [c for c in out.columns if c not in ("承诺 Promise", "缺口概率 P(shortfall)")]
    out[num] = out[num].astype(float).round(0).astype("int64")
    return out


def schools_summary(promises: pd.DataFrame) -> pd.DataFrame:
    """Schools promised (≥40 new or rebuilt compulsory schools) and schools implied by the
    places needed at the promise's own places per school (p05/p50/p95)."""
    pid = "compulsory_new_places"
    need = _q(promises, pid, "schools_needed_at_promised_size")
    if need.empty:
        return pd.DataFrame()
    n = _q(promises, pid, "schools_promised").iloc[0]
    r = need.iloc[0]
    return pd.DataFrame({
        "目标年 Target year": [int(r["year"])], "承诺学校 Schools promised": [int(n["p50"])],
        "需要学校 p05 Schools needed": [round(r["p05"], 1)],
        "需要学校 p50 Schools needed": [round(r["p50"], 1)],
        "需要学校 p95 Schools needed": [round(r["p95"], 1)], "依据 Basis": [r["basis"]],
    }, index=pd.Index([promise_label(pid)], name="承诺 Promise"))


def promise_by_year(promises: pd.DataFrame) -> pd.DataFrame:
    """Years as columns; per promise the places needed (p50), surplus p05/p50/p95 and the
    probability of a shortfall (negative surplus = shortfall)."""
    parts = {"需新增 p50 Needed": ("additional_places_needed", "p50"),
             "富余 p05 Surplus": ("surplus", "p05"), "富余 p50 Surplus": ("surplus", "p50"),
             "富余 p95 Surplus": ("surplus", "p95"), "缺口概率 P(shortfall)": ("prob_shortfall", "mean")}
    frames = []
    for pid in PROMISES:
        for name, (q, col) in parts.items():
            s = _q(promises, pid, q).set_index("year")[col]
            s = s.round(2) if q == "prob_shortfall" else s.round(0)
            frames.append(s.rename((promise_label(pid), name)))
    out = pd.DataFrame(frames)
    out.index.names = ["承诺 Promise", "指标 Quantity"]
    out.columns = out.columns.astype(int)
    out.columns.name = "学年 School year"
    return out


# levels whose promises and verdicts count public places only (places_answers.csv): the
# demand table's all-places rows are named so, not to be read as the verdicts' numbers
ALL_PLACES = ("全部学位（公办+民办）", "all places, public + private")


def demand_level_label(level: str) -> str:
    """The level's label in the demand table: preschool and general senior say that they count
    all places (the decision box and the three answers count their public places)."""
    if level in ("preschool", "senior_general"):
        return f"{level_label(level)} · {ALL_PLACES[0]} {ALL_PLACES[1]}"
    return level_label(level)


def demand_capacity(demand: pd.DataFrame) -> pd.DataFrame:
    """Years as columns; per level (全市) the places needed (p05/p50/p95), the capacity
    path (p50), the net gap over the level's counties (capacity − need, p50; none for
    compulsory, whose shortage is the sum of primary and junior) and the sum of county
    shortages (p50). All places, public and private: preschool and general senior are
    labelled so (``demand_level_label``), since their verdicts count public places."""
    city = _city(demand)
    parts = {"需求 p05 Needed": ("places_needed", "p05"), "需求 p50 Needed": ("places_needed", "p50"),
             "需求 p95 Needed": ("places_needed", "p95"), "容量 Capacity": ("capacity", "p50"),
             "净富余 p50 Net gap": ("gap", "p50"), "各县缺口和 p50 Shortage": ("shortage", "p50")}
    frames = []
    for group in LEVEL_ORDER:
        g = city[city["level"] == group]
        years = g.loc[g["quantity"] == "capacity", "year"]
        for name, (q, col) in parts.items():
            s = g[(g["quantity"] == q) & g["year"].isin(years)].set_index("year")[col]
            if len(s):  # compulsory has no net gap (levels are never netted)
                frames.append(s.round(0).rename((demand_level_label(group), name)))
    out = pd.DataFrame(frames)
    out.index.names = ["学段 Level", "指标 Quantity"]
    out.columns = out.columns.astype(int)
    out.columns.name = "学年 School year"
    return out


def crowding(demand: pd.DataFrame, years: tuple[int, ...] = (2022, 2025)) -> pd.DataFrame:
    """Per level (全市): average class size (pupils per classroom built at the standard, p50)
    and the share of pupils in over-size classes (大班额; mean = probability for a pupil) in
    ``years``, and the worst year to the horizon."""
    city = _city(demand)
    rows = {}
    for lv in LEVEL_ORDER:
        g = city[city["level"] == lv]
        avg = g[g["quantity"] == "avg_class_size"].set_index("year")["p50"]
        p_large = g[g["quantity"] == "prob_large_class"].set_index("year")["mean"]
        row = {}
        for y in years:
            if y in avg.index:
                row[f"{y} 平均班额 p50 Avg class"] = round(float(avg[y]), 1)
                row[f"{y} 大班额概率 P(large class)"] = round(float(p_large[y]), 3)
        row["最大平均班额 p50 Max avg class"] = round(float(avg.max()), 1)
        row["最拥挤年份 Most crowded year"] = int(p_large.idxmax())
        row["最高大班额概率 Max P(large class)"] = round(float(p_large.max()), 3)
        rows[level_label(lv)] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "学段 Level"
    return out


LEVEL_ORDER = ("preschool", "primary", "junior_secondary", "compulsory", "senior_general")
ANSWER_LEVELS = ("preschool", "primary", "junior_secondary", "senior_general")


def _ans(answers: pd.DataFrame, level: str, q: str) -> pd.DataFrame:
    return answers[(answers["level"] == level) & (answers["quantity"] == q)].set_index("year")


def _band(r: pd.Series) -> str:
    """p50 (p05–p95) in whole places, negatives with a true minus (``−3,924 (−21,709–18,591)``)."""
    return f"{count(r['p50'])} ({count(r['p05'])}–{count(r['p95'])})"


def peak_year(answers: pd.DataFrame, level: str) -> int:
    """Median year of a level's largest sum of county shortages (capacity view)."""
    return int(round(_ans(answers, level, "shortage_peak_year")["p50"].iloc[0]))


def level_answers(answers: pd.DataFrame) -> pd.DataFrame:
    """One row per level (preschool, primary, junior, general senior; then 义务教育 compulsory
    = the SUM of the primary and junior shortages, never a net): the year the shortage peaks
    (first), the shortage then and in 2025 (sum of county shortages, p50 with p05–p95), the
    probability of a shortage in those years, and the idle places at the horizon."""
    out = []
    for lv in (*ANSWER_LEVELS, "compulsory"):
        short = _ans(answers, lv, "capacity_shortage")
        if short.empty:
            continue
        prob = _ans(answers, lv, "prob_shortage")["mean"]
        pk = peak_year(answers, lv)
        idle = _ans(answers, lv, "idle_at_horizon")
        h = int(idle.index[0])
        row = {"学段 Level": level_label(lv) + (" = 小学 + 初中 (sum)" if lv == "compulsory" else ""),
               "缺口峰值年 Peak shortage year": pk,
               "峰值年当年缺口 Shortage in the peak year": _band(short.loc[pk]),
               "峰值年缺口概率 P(shortage) in the peak year": pct(prob.loc[pk]),
               # each draw's own peak first, then the median: the decision box's number
               "缺口峰值（各抽样峰值的中位数）Shortage at its peak (median of each draw's peak)":
                   _band(_ans(answers, lv, "shortage_at_peak").iloc[0])}
        if PLAN_END in short.index:
            row[f"{PLAN_END}缺口 Shortage"] = _band(short.loc[PLAN_END])
            row[f"{PLAN_END}缺口概率 P(shortage)"] = pct(prob.loc[PLAN_END])
        row[f"{h}年闲置 Idle in {h}"] = _band(idle.iloc[0])
        out.append(row)
    return pd.DataFrame(out).set_index("学段 Level")


def answers_table(answers: pd.DataFrame, years: tuple[int, ...] | None = None) -> pd.DataFrame:
    """The three answers side by side, one row per level × year (the level's shortage peak
    year first, then 2025): (a) need since 2020 (and the promise's surplus where the promise
    is of this level alone), (b) delivered + planned places and the shortage against capacity
    (sum of county shortages; the net over this level's counties), (c) places needed only
    until the peak and idle places at the horizon. p50 (p05–p95). Levels are never netted."""
    rows = []
    for lv in ANSWER_LEVELS:
        ys = years or tuple(dict.fromkeys((peak_year(answers, lv), PLAN_END)))
        h = int(_ans(answers, lv, "idle_at_horizon").index[0])
        one = {q: _ans(answers, lv, q) for q in (
            "promise_need", "promise_surplus", "pipeline_places", "capacity_shortage",
            "capacity_net_gap")}
        for y in ys:
            if y not in one["capacity_shortage"].index:
                continue
            sur = one["promise_surplus"]
            rows.append({
                "学段 Level": level_label(lv), "学年 Year": y,
                "(a) 较2020需新增 Need vs 2020": (_band(one["promise_need"].loc[y])
                                               if y in one["promise_need"].index else "–"),
                "(a) 承诺富余(+)/缺口(−) Promise surplus": (
                    _band(sur.loc[y]) if y in sur.index else "见义务教育 see compulsory"),
                "(b) 已交付+计划 Delivered + planned": count(one["pipeline_places"].loc[y, "p50"]),
                "(b) 各县缺口之和 Sum of county shortages": _band(one["capacity_shortage"].loc[y]),
                "(b) 本学段全市净富余 Net gap (this level)": _band(one["capacity_net_gap"].loc[y]),
                "(c) 仅峰前需要 Needed only until peak":
                    _band(_ans(answers, lv, "needed_until_peak_only").iloc[0]),
                f"(c) {h}年闲置 Idle in {h}": _band(_ans(answers, lv, "idle_at_horizon").iloc[0]),
            })
    return pd.DataFrame(rows).set_index(["学段 Level", "学年 Year"])


def level_sentences(answers: pd.DataFrame) -> str:
    """One bilingual sentence per level, peak shortage year first; compulsory only as the
    sum of the primary and junior shortages."""
    zh, en = [], []
    for lv in ANSWER_LEVELS:
        short = _ans(answers, lv, "capacity_shortage")
        prob = _ans(answers, lv, "prob_shortage")["mean"]
        pk = peak_year(answers, lv)
        at = short.loc[pk]
        top = _ans(answers, lv, "shortage_at_peak")["p50"].iloc[0]
        zh.append(f"{LEVEL_LABELS[lv][0]}：缺口峰值年 {pk} 年，当年各县缺口合计 {count(at['p50'])}"
                  f"（p05–p95 {count(at['p05'])}–{count(at['p95'])}，当年出现缺口概率 "
                  f"{pct(prob.loc[pk])}），缺口峰值（各抽样峰值的中位数）{count(top)}")
        en.append(f"{LEVEL_LABELS[lv][1]}: the shortage peaks in {pk}, when county shortages "
                  f"sum to {count(at['p50'])} (p05–p95 {count(at['p05'])}–{count(at['p95'])}; "
                  f"P(shortage) {pct(prob.loc[pk])}); shortage at its peak (median of each "
                  f"draw's peak) {count(top)}")
    comp = _ans(answers, "compulsory", "capacity_shortage")
    pk = peak_year(answers, "compulsory")
    top = _ans(answers, "compulsory", "shortage_at_peak")["p50"].iloc[0]
    zh.append(f"义务教育缺口 = 小学缺口 + 初中缺口（不以小学富余抵消初中缺口），{pk} 年合计 "
              f"{count(comp.loc[pk, 'p50'])}，缺口峰值（各抽样峰值的中位数）{count(top)}")
    en.append(f"compulsory = primary + junior shortages (a primary surplus never offsets a "
              f"junior shortage): {count(comp.loc[pk, 'p50'])} in {pk}; shortage at its peak "
              f"(median of each draw's peak) {count(top)}")
    return "；".join(zh) + "。 | " + "; ".join(en) + "."


def reconcile(answers: pd.DataFrame, level: str = "junior_secondary") -> str:
    """One bilingual sentence reconciling the promise view and the capacity view for a level
    (the compulsory promise is read as the sum of its levels' needs)."""
    y = PLAN_END
    need = _ans(answers, "compulsory", "promise_need").loc[y]
    sur = _ans(answers, "compulsory", "promise_surplus").loc[y]
    pipe = _ans(answers, "compulsory", "pipeline_places").loc[y, "p50"]
    short = _ans(answers, "compulsory", "capacity_shortage").loc[y]
    lshort = _ans(answers, level, "capacity_shortage")
    net = _ans(answers, level, "capacity_net_gap")
    peak = peak_year(answers, level)
    at_peak = lshort.loc[peak]
    idle = _ans(answers, level, "idle_at_horizon").iloc[0]
    h = int(_ans(answers, level, "idle_at_horizon").index[0])
    promised = need["p50"] + sur["p50"]
    return (f"义务教育：承诺视角下 {y} 年较 2020 年需新增 {count(need['p50'])} 个学位（承诺 "
            f"{count(promised)}；小学、初中分别计算，不相互抵消），容量视角下已交付+计划 {count(pipe)} 个、"
            f"仍有小学与初中各县缺口合计 {count(short['p50'])} 个；{LEVEL_LABELS[level][0]}缺口峰值年为 {peak} 年"
            f"（当年缺口 {count(at_peak['p50'])}，本学段全市净富余 {signed(net.loc[peak, 'p50'])}），到 {h} 年"
            f"闲置 {count(idle['p50'])}。 | Promise view: {count(need['p50'])} more compulsory "
            f"places needed in {y} than in 2020 (promised {count(promised)}; primary and junior "
            f"counted separately, never netted; 2020 treated as fully served). Capacity view: "
            f"{count(pipe)} places delivered + planned since 2021, and still primary + junior "
            f"county shortages of {count(short['p50'])} (p05–p95 {count(short['p05'])}–"
            f"{count(short['p95'])}) in {y}: demand moves between counties and levels faster "
            f"than the places allocated to them (planned places are shared out to counties by "
            f"their baseline capacity), and the "
            f"baseline was already overcrowded. The {LEVEL_LABELS[level][1].lower()} shortage peaks in "
            f"{peak} ({count(at_peak['p50'])} that year); by {h} {count(idle['p50'])} of its places "
            f"stand idle.")


def county_shortages(demand: pd.DataFrame, level: str, years: tuple[int, ...]) -> pd.DataFrame:
    """Per county (and 全市 = sum of county shortages): places needed, capacity, gap and
    shortage (p50, shortage with p05–p95) in ``years``; whole places."""
    d = demand[demand["level"] == level]
    rows = []
    for y in years:
        g = d[d["year"] == y]
        for county, c in g.groupby("county", sort=False):
            q = c.set_index("quantity")
            if "shortage" not in q.index:
                continue
            rows.append({"学年 Year": y, "县区 County": county,
                         "需求 p50 Needed": int(round(q.loc["places_needed", "p50"])),
                         "容量 p50 Capacity": int(round(q.loc["capacity", "p50"])),
                         "富余 p50 Gap": int(round(q.loc["gap", "p50"])),
                         "缺口 p05 Shortage": int(round(q.loc["shortage", "p05"])),
                         "缺口 p50 Shortage": int(round(q.loc["shortage", "p50"])),
                         "缺口 p95 Shortage": int(round(q.loc["shortage", "p95"])),
                         "缺口均值 Mean shortage": int(round(q.loc["shortage", "mean"]))})
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["_c"] = out["县区 County"] != CITY
    out = out.sort_values(["学年 Year", "_c", "缺口均值 Mean shortage"],
                          ascending=[True, True, False], kind="stable").drop(columns="_c")
    out = out.set_index(["学年 Year", "县区 County"])
    lz, le = LEVEL_LABELS[level]  # the level named in the table: each level's own quantity
    out.index.names = ["学年 Year", f"{lz} {le} · 县区 County"]
    return out


def shortage_peak_year(demand: pd.DataFrame, level: str) -> int:
    """The year the city's summed county shortage of a level is largest (median)."""
    d = _city(demand)
    d = d[(d["level"] == level) & (d["quantity"] == "shortage")]
    return int(d.sort_values(["p50", "year"], ascending=[False, True], kind="stable")
               ["year"].iloc[0])


def county_shortages_at_peaks(demand: pd.DataFrame,
                              levels=("primary", "junior_secondary", "senior_general")):
    """``county_shortages`` of each level in the plan's target year and in the year its
    shortage peaks (both read from the table, never typed into a notebook)."""
    return {lv: county_shortages(demand, lv, tuple(dict.fromkeys(
        (PLAN_END, shortage_peak_year(demand, lv))))) for lv in levels}


def largest_shortage_county(demand: pd.DataFrame, level: str, year: int) -> str:
    """The county with the largest mean shortage of a level in a year."""
    d = demand[(demand["level"] == level) & (demand["year"] == year)
               & (demand["quantity"] == "shortage") & (demand["county"] != CITY)]
    return str(d.sort_values("mean", ascending=False, kind="stable")["county"].iloc[0])


def pipeline_table(demand: pd.DataFrame) -> pd.DataFrame:
    """Places delivered and planned (places.csv) per level and opening year (全市)."""
    d = _city(demand)
    d = d[d["quantity"].isin(["places_delivered", "places_planned"])]
    out = d.pivot_table(index=["level", "quantity"], columns="year", values="p50",
                        aggfunc="sum", fill_value=0).round(0).astype("int64")
    out.index = pd.MultiIndex.from_tuples(
        [(level_label(lv), {"places_delivered": "已交付 Delivered",
                            "places_planned": "计划 Planned"}[q]) for lv, q in out.index],
        names=["学段 Level", "状态 Status"])
    out.columns.name = "开放学年 Opening year"
    return out


def class_size_standards(places_params) -> pd.DataFrame:
    """Class sizes and 大班额 bands used (standards.csv or a parameter override), with sources."""
    sizes = class_sizes(places_params)
    out = pd.DataFrame({"标准 Standard": [" ".join(STANDARD_LABELS[k]) for k in STANDARD_LABELS],
                        "人数 Pupils": [sizes[k].value for k in STANDARD_LABELS],
                        "来源 Source": [sizes[k].basis for k in STANDARD_LABELS]})
    return out.set_index("标准 Standard")


def _wan(x: float) -> str:
    text = f"{x / 10_000:.2g} 万" if abs(x) >= 10_000 else f"{x:,.0f}"
    return text.replace("-", "−")


def headline(promises: pd.DataFrame) -> str:
    """One line: the compulsory-places promise against the places needed by its target year."""
    s = promise_summary(promises).loc["compulsory_new_places"]
    ty, prom = s["目标年 Target year"], s["承诺学位 Promised"]
    lo, mid, hi = (s[f"需新增 {p} Needed"] for p in ("p05", "p50", "p95"))
    sur = s["富余(+)/缺口(−) p50 Surplus"]
    word_zh, word_en = ("富余", "surplus") if sur >= 0 else ("缺口", "shortfall")
    peak = s["需求峰值年 Peak year"]
    return (f"{ty} 年义务教育学位：承诺 {_wan(prom)}，需新增 {_wan(mid)} (p05–p95 {_wan(lo)}–"
            f"{_wan(hi)}) → {word_zh} {_wan(abs(sur))}，需求峰值 {peak} 年 | Compulsory places "
            f"{ty}: promised {count(prom)}, needed {count(mid)} (p05–p95 {count(lo)}–{count(hi)}) → "
            f"{word_en} {count(abs(sur))}; demand peaks {peak}")


# -- the place plan (place_plan.csv, from qyedu.costs.place_plan) --------------------------
FORM_WORDS = {"permanent": ("新建永久学位", "permanent places"),
              "converted": ("由其他学段改建", "places converted from"),
              "temporary": ("临时/租用学位", "temporary or rented places")}
DONOR_WORDS = {"junior_secondary": ("小学", "primary"), "preschool": ("小学", "primary"),
               "senior_general": ("初中", "junior")}


def _years(ys) -> str:
    ys = sorted(int(y) for y in ys)
    return f"{ys[0]}" if len(ys) == 1 else f"{ys[0]}–{ys[-1]}"


def _approx(x: float) -> str:
    step = 1000 if x >= 10_000 else 100 if x >= 1000 else 10
    return count(round(x / step) * step)


def plan_actions(plan: pd.DataFrame, min_places: float = 500) -> pd.DataFrame:
    """One row per county × level × form of the recommended plan with at least ``min_places``
    places: total places, the years they open (temporary: the years rented, with the largest
    year's places), and the county-level expected shortage before and after in the year of
    the largest shortage before the plan. Counties by the plan's total places."""
    p = plan[(plan["strategy"] == "plan") & (plan["county"] != CITY)]
    outc = p[p["form"] == "all"].set_index(["county", "level", "year"]).sort_index()
    rows = []
    for (county, lv, form), g in p[p["form"] != "all"].groupby(["county", "level", "form"],
                                                               sort=False):
        g = g[g["places"] > 0.5]
        total = g["places"].max() if form == "temporary" else g["places"].sum()
        if g.empty or total < min_places:
            continue
        o = outc.loc[(county, lv)]
        pk = int(o["shortage_before"].idxmax())
        rows.append({"county": county, "level": lv, "form": form, "places": total,
                     "years": _years(g["year"]), "by": int(g["year"].max()),
                     "peak_year": pk, "shortage_before": o.loc[pk, "shortage_before"],
                     "shortage_after": o.loc[pk, "expected_shortage"],
                     "prob_after": o.loc[pk, "prob_shortage"]})
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    size = out.groupby("county")["places"].transform("sum")
    return out.assign(_s=size).sort_values(["_s", "county", "places"], ascending=[False, True,
                                                                                False],
                                           kind="stable").drop(columns="_s")


def plan_actions_table(plan: pd.DataFrame) -> pd.DataFrame:
    """``plan_actions`` with bilingual column names and whole places, for the page."""
    a = plan_actions(plan)
    if a.empty:
        return a
    a = a.assign(level=a["level"].map(level_label),
                 form=a["form"].map(lambda f: " ".join(FORM_WORDS[f])),
                 prob_after=a["prob_after"].map(pct))
    a = a.rename(columns={"county": "县区 County", "level": "学段 Level", "form": "形式 Form",
                          "places": "学位 Places", "years": "年份 Years", "by": "最迟年份 By year",
                          "peak_year": "缺口峰值年 Peak year",
                          "shortage_before": "不建缺口 Shortage without",
                          "shortage_after": "方案后缺口 Shortage with plan",
                          "prob_after": "方案后缺口概率 P(shortage) with plan"})
    num = ["学位 Places", "不建缺口 Shortage without", "方案后缺口 Shortage with plan"]
    a[num] = a[num].round(0).astype("int64")
    return a.set_index(["县区 County", "学段 Level", "形式 Form"])


def plan_sentences(plan: pd.DataFrame, counties: int = 4) -> str:
    """The plan in words, Chinese first with an English gloss, for the counties with the most
    places: e.g. "清城区：初中 2026 年前新建约 9,700 个永久学位 …"."""
    acts = plan_actions(plan)
    if acts.empty:
        return ("学位方案：在所给成本下无需新增学位。 | Place plan: no places to add at the "
                "stated costs.")
    zh, en = [], []
    for county in list(dict.fromkeys(acts["county"]))[:counties]:
        a = acts[acts["county"] == county]
        pz, pe = [], []
        for _, r in a.iterrows():
            lz, le = LEVEL_LABELS[r["level"]]
            fz, fe = FORM_WORDS[r["form"]]
            n = _approx(r["places"])
            if r["form"] == "temporary":
                pz.append(f"{lz} {r['years']} 年以{fz}应对高峰（最多约 {n} 个）")
                pe.append(f"{le.lower()}: meet the {r['years']} peak with {fe} (up to ~{n})")
            elif r["form"] == "converted":
                dz, de = DONOR_WORDS.get(r["level"], ("其他学段", "another level"))
                pz.append(f"{lz} {r['years']} 年{fz.replace('其他学段', dz)}约 {n} 个")
                pe.append(f"{le.lower()}: convert ~{n} {de} places ({r['years']})")
            else:
                pz.append(f"{lz} {r['by']} 年前{fz}约 {n} 个")
                pe.append(f"add ~{n} {le.lower()} places by {r['by']}")
        r0 = a.iloc[0]
        lz, le = LEVEL_LABELS[r0["level"]]
        # the county named in the label: each county's shortage is its own quantity
        tail_z = (f"（{county}{lz}缺口在 {r0['peak_year']} 年：不建 {count(r0['shortage_before'])}、按方案 "
                  f"{count(r0['shortage_after'])}，缺口概率 {pct(r0['prob_after'])}）")
        tail_e = (f" ({county} {le.lower()} shortage in {r0['peak_year']}: {count(r0['shortage_before'])} "
                  f"without the plan, {count(r0['shortage_after'])} with it, P {pct(r0['prob_after'])})")
        zh.append(f"{county}：" + "；".join(pz) + tail_z)
        en.append(f"{county}: " + "; ".join(pe) + tail_e)
    rest = [c for c in dict.fromkeys(acts["county"])][counties:]
    more_z = f"；其余县区（{'、'.join(rest)}）以改建为主，见下表" if rest else ""
    more_e = f"; other counties ({', '.join(rest)}) mostly by conversion, see the table" \
        if rest else ""
    return "。".join(zh) + more_z + "。 | " + ". ".join(en) + more_e + "."


def plan_summary(plan: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """Per level (全市): places added by form to the horizon (temporary: the largest year),
    the expected shortage summed over the plan years (pupil-years) without and with the plan,
    and idle places and idle capital (亿元) in ``year`` (default the horizon) under the plan
    and under building to the median."""
    c = plan[plan["county"] == CITY]
    year = year or int(c["year"].max())
    rows = {}
    for lv in ANSWER_LEVELS:
        g = c[(c["level"] == lv) & (c["strategy"] == "plan")]
        if g.empty:
            continue
        med = c[(c["level"] == lv) & (c["strategy"] == "build_to_median")]
        out = {}
        for f, (fz, fe) in FORM_WORDS.items():
            s = g[g["form"] == f]["places"]
            out[f"{fz} {fe}"] = s.max() if f == "temporary" else s.sum()
        a, ma = g[g["form"] == "all"], med[med["form"] == "all"]
        out["不建缺口 Shortage without (pupil-years)"] = a["shortage_before"].sum()
        out["方案后缺口 Shortage with plan"] = a["expected_shortage"].sum()
        out["中位数建设后缺口 Shortage building to median"] = ma["expected_shortage"].sum()
        at, mt = a.set_index("year"), ma.set_index("year")
        out[f"{year}闲置 Idle (plan)"] = at.loc[year, "idle_places"]
        out[f"{year}闲置 Idle (median build)"] = mt.loc[year, "idle_places"]
        out[f"{year}闲置资本 亿元 Idle capital (plan)"] = at.loc[year, "idle_capital"] / 1e4
        out[f"{year}闲置资本 亿元 Idle capital (median)"] = mt.loc[year, "idle_capital"] / 1e4
        rows[level_label(lv)] = out
    t = pd.DataFrame.from_dict(rows, orient="index")
    t.index.name = "学段 Level"
    money = [k for k in t.columns if "亿元" in k]
    t[money] = t[money].round(2)
    other = [k for k in t.columns if k not in money]
    t[other] = t[other].round(0).astype("int64")
    return t


def idle_capital_sentence(plan: pd.DataFrame, year: int | None = None) -> str:
    """Expected idle capital in ``year`` under the plan vs building to the median (亿元)."""
    c = plan[(plan["county"] == CITY) & (plan["form"] == "all")]
    year = year or int(c["year"].max())
    t = c[c["year"] == year].groupby("strategy")["idle_capital"].sum() / 1e4
    s = c.groupby("strategy")["expected_shortage"].sum()
    return (f"{year} 年预计闲置资本：按方案 {t.get('plan', 0):.1f} 亿元，按中位数缺口建设 "
            f"{t.get('build_to_median', 0):.1f} 亿元；预计缺口（学生·年）分别为 "
            f"{count(s.get('plan', 0))} 与 {count(s.get('build_to_median', 0))}。 | Expected "
            f"capital standing in idle places in {year}: {t.get('plan', 0):.1f} 亿元 under the "
            f"plan vs {t.get('build_to_median', 0):.1f} 亿元 building to the median shortage; "
            f"expected shortage {count(s.get('plan', 0))} vs "
            f"{count(s.get('build_to_median', 0))} pupil-years.")


def county_range(answers: pd.DataFrame, level: str, year: int) -> pd.DataFrame:
    """Per county (全市 first): the shortage (p50) under each siting assumption and the
    per-draw range (p50 of the min and of the max), with the basis named."""
    a = answers[(answers["level"] == level) & (answers["year"] == year)
                & answers["quantity"].str.startswith("shortage_siting_")]
    if a.empty:
        return pd.DataFrame()
    t = a.pivot_table(index="county", columns="quantity", values="p50", sort=False)
    t.columns = [c.removeprefix("shortage_siting_") for c in t.columns]
    order = [c for c in ("no_drift", "census_trend", "demand_growth", "bureau_sites", "min",
                         "max") if c in t.columns]
    names = {"no_drift": "无漂移 no drift", "census_trend": "普查趋势 census trend",
             "demand_growth": "按需求增长布点 demand-growth siting",
             "bureau_sites": "教育局布点数据 bureau sites", "min": "区间下限 range low",
             "max": "区间上限 range high"}
    t = t[order].rename(columns=names).round(0).astype("int64")
    t = t.loc[[CITY, *[c for c in t.index if c != CITY]]]
    t.index.name = f"{year} {LEVEL_LABELS[level][0]} 县区 County"
    return t
