"""Costs for display: the unit costs with their sources, the cost of the plan's place promises
against the cost of the modelled need (with bands), the salary bill, and a per-year table.
Inputs are the tables of ``qyedu.costs.tables`` (money in 万元, 2022 prices)."""

from __future__ import annotations

import pandas as pd

from ..labels import level_label
from ..projection.result import CITY
from .format import count, number
from .source_words import in_words
from .teachers import as_counts

LEVELS = ("preschool", "primary", "junior_secondary", "senior_general", "senior_vocational", "all")
PLAN_END = 2025
QUANTITY_LABELS = {
    "capital_cost_promise_cumulative": "规划承诺学位建设费 Capital cost of the promises",
    "capital_cost_programme_cumulative": "已建+计划学位建设费 Capital of the programme (delivered + planned)",
    "capital_cost_cumulative": "模型需求学位建设费 Capital cost of the modelled need",
    "capital_cost_idle": "峰后闲置学位资本 Capital in idle places",
    "capital_cost_beyond_capacity_cumulative": "容量之外仍需建设 Capital beyond capacity",
    "salary_cost_public_cumulative": "公办教师工资含单位缴费 Public teachers' pay + on-costs",
    "salary_cost_increment_public_cumulative": "其中增量：新增公办教师 of which increment: extra public teachers",
    "salary_cost_private_cumulative": "民办教师工资（非财政）Private teachers' pay (not public budget)",
    "total_cost_cumulative": "财政合计 Public total (need capital + public pay)",
}


def _city(costs: pd.DataFrame) -> pd.DataFrame:
    return costs[costs["county"] == CITY]


UNIT_ITEMS = {"capital_cost_per_place": "每个新学位建设费 capital cost per new place",
              "salary_per_teacher": "教师年工资 pay per teacher"}


def unit_costs(units: pd.DataFrame) -> pd.DataFrame:
    """Every unit cost used: level, item, value, range, unit and source (cost_units.csv), the
    source and price base in words (the CSV keeps file names and parameter keys)."""
    out = units.assign(level=units["level"].map(level_label),
                       quantity=units["quantity"].map(UNIT_ITEMS).fillna(units["quantity"]),
                       basis=units["basis"].map(in_words), note=units["note"].map(in_words))
    # money per place in 万元 to two decimals (6.23, as the source text says), per teacher in
    # whole 元: as text, since the table formatter reads 学位 in the item as a count of places
    money = ["value", "low", "high"]
    per_place = out["unit"].astype(str).str.startswith("万元")
    for c in money:
        out[c] = [number(v, 2) if p else count(v) for v, p in zip(out[c], per_place, strict=True)]
    out = out.rename(columns={
        "level": "学段 Level", "quantity": "项目 Item", "value": "取值 Value", "low": "下限 Low",
        "high": "上限 High", "unit": "单位 Unit", "basis": "来源 Source", "note": "价格基期 Price base"})
    return out.set_index(["学段 Level", "项目 Item"])


def cost_summary(costs: pd.DataFrame, end: int | None = None) -> pd.DataFrame:
    """Per level (rows) and item (columns, p05/p50/p95, 万元): the capital cost of the
    promises and of the programme as delivered and planned (to 2025); of the modelled need to
    ``end`` (default: the last year), the capital tied up in idle places in ``end``, what must
    still be built beyond the capacity inventory, the salary bill and the total to ``end``."""
    c = _city(costs)
    end = end or int(c["year"].max())
    rows = {}
    for lv in LEVELS:
        g = c[c["level"] == lv]
        row = {}
        for q, name in QUANTITY_LABELS.items():
            y = PLAN_END if q in ("capital_cost_promise_cumulative",
                                  "capital_cost_programme_cumulative") else end
            hit = g[(g["quantity"] == q) & (g["year"] == y)]
            for p in ("p05", "p50", "p95"):
                row[f"{name} {p}"] = hit[p].iloc[0] if len(hit) else float("nan")
        rows[level_label(lv)] = row
    out = as_counts(pd.DataFrame.from_dict(rows, orient="index"))
    out.index.name = f"学段 Level (万元, 2022 prices; promises 2021–{PLAN_END}, others 2021–{end})"
    return out


def unit_cost_range(costs: pd.DataFrame, end: int | None = None) -> pd.DataFrame:
    """All levels, 万元 (p50): each total at the central unit cost and at the low and high ends
    of the published range (cost_units.csv) — the uncertainty the draws do not carry."""
    c = _city(costs)
    a = c[c["level"] == "all"]
    end = end or int(a["year"].max())
    items = {"capital_cost_promise": (PLAN_END, QUANTITY_LABELS["capital_cost_promise_cumulative"]),
             "capital_cost_programme": (PLAN_END,
                                        QUANTITY_LABELS["capital_cost_programme_cumulative"]),
             "capital_cost": (end, QUANTITY_LABELS["capital_cost_cumulative"]),
             "salary_cost_public": (end, QUANTITY_LABELS["salary_cost_public_cumulative"])}
    rows = {}
    for q, (y, name) in items.items():
        row = {}
        for suffix, col in (("", "中值 Central"), ("_low_unit", "低单价 Low unit cost"),
                            ("_high_unit", "高单价 High unit cost")):
            hit = a[(a["quantity"] == f"{q}{suffix}_cumulative") & (a["year"] == y)]
            row[f"{col} p50"] = hit["p50"].iloc[0] if len(hit) else float("nan")
        rows[f"{name} (to {y})"] = row
    out = as_counts(pd.DataFrame.from_dict(rows, orient="index"))
    out.index.name = "万元 (10,000 yuan), 2022 prices"
    return out


def cost_by_year(costs: pd.DataFrame) -> pd.DataFrame:
    """Per year, all levels (万元, p50 unless said): capital for the modelled need and of the
    promises, the capital standing in idle places, public teachers' pay with on-costs (real
    and nominal) and its increment (extra public teachers), the public total with p05/p95,
    and cost per public pupil (元)."""
    c = _city(costs)
    a = c[c["level"] == "all"]

    def q(name):
        return a[a.quantity == name].set_index("year")["p50"]

    out = pd.DataFrame({
        "模型需求建设 Capital (need) p50": q("capital_cost"),
        "承诺建设 Capital (promises) p50": q("capital_cost_promise"),
        "闲置学位资本 Idle capital p50": q("capital_cost_idle"),
        "公办工资 Public pay p50": q("salary_cost_public"),
        "公办工资(名义) Public pay nominal p50": q("salary_cost_public_nominal"),
        "增量工资 Increment p50": q("salary_cost_increment_public"),
    })
    t = a[a.quantity == "total_cost"].set_index("year")
    for p in ("p05", "p50", "p95"):
        out[f"合计 Total {p}"] = t[p]
    out["生均 Cost per pupil p50 (元)"] = a[a.quantity == "cost_per_pupil"].set_index("year")["p50"]
    out.index.name = "学年 School year"
    return as_counts(out)


def per_pupil(costs: pd.DataFrame, year: int = 2025) -> pd.DataFrame:
    """Cost per public pupil in ``year`` (元, p50) by level: public teachers' pay with on-costs,
    capital + that pay, and Guangdong's 2022 public spending per pupil for comparison (all
    spending; see ``per_pupil_note`` for why it is higher)."""
    c = _city(costs)
    rows = {}
    for lv in LEVELS:
        g = c[c["level"] == lv].set_index(["quantity", "year"])["p50"]
        rows[level_label(lv)] = {
            f"{year} 生均工资 Salary per pupil": g.get(("salary_per_pupil", year)),
            f"{year} 生均成本 Cost per pupil": g.get(("cost_per_pupil", year)),
            "广东2022生均经费 Guangdong 2022 spending": g.get(("reference_spending_per_pupil", 2022)),
        }
    out = as_counts(pd.DataFrame.from_dict(rows, orient="index"))
    out.index.name = "学段 Level (元 per pupil)"
    return out


def bill_includes(cost_params) -> str:
    """What the salary bill includes, bilingual (from the parameters of the run)."""
    cp = cost_params
    return (f"工资总额只计公办学校专任教师：年薪 × (1 + 单位缴费 {cp.employer_oncost_rate:.1%}：养老 16%、"
            f"职业年金 8%、医疗约 6%、公积金 5%、失业与工伤) × (1 + 实际工资增长 "
            f"{cp.real_wage_growth:.1%}/年)；不含非教学人员与公用经费；民办教师工资另列、不计入财政；"
            f"名义值按 {cp.price_index} 每年 {cp.inflation_rate:.1%} 换算，实际值为 2022 年价格。 | "
            f"The salary bill counts public-school full-time teachers only: pay × (1 + "
            f"{cp.employer_oncost_rate:.1%} employer on-costs: pension 16 %, occupational annuity "
            f"8 %, medical ~6 %, housing fund 5 %, unemployment and work injury) × (1 + "
            f"{cp.real_wage_growth:.1%} real wage growth a year). It excludes non-teaching staff "
            f"and operating costs; private-school teachers' pay is shown apart and is not public "
            f"spending. Real = 2022 prices; nominal uses {cp.price_index} at "
            f"{cp.inflation_rate:.1%} a year.")


def per_pupil_note(costs: pd.DataFrame, year: int = 2022) -> str:
    """Why the modelled cost per pupil is below Guangdong's published spending per pupil."""
    t = per_pupil(costs, year)
    col = f"{year} 生均成本 Cost per pupil"
    ref = "广东2022生均经费 Guangdong 2022 spending"
    ratios = (t[ref] / t[col]).dropna()
    lo, hi = (f"{ratios.min():.1f}", f"{ratios.max():.1f}") if len(ratios) else ("–", "–")
    return (f"模型生均成本为广东 2022 年生均一般公共预算教育经费的 1/{hi}–1/{lo}：后者还包括非教学人员、"
            f"公用经费、校舍维修与设备、学生资助，且按全省（珠三角工资更高）平均；模型只计公办专任教师工资"
            f"（粤北工资水平）与新学位建设。 | The modelled cost per public pupil is {lo}–{hi} times "
            f"below Guangdong's published 2022 public spending per pupil: that figure also pays "
            f"non-teaching staff, operating costs (公用经费), maintenance and equipment and "
            f"student aid, at the provincial average (Pearl River Delta pay is higher); the model "
            f"counts only public full-time teachers at northern-Guangdong pay and new places.")


def headline(costs: pd.DataFrame) -> str:
    """One line: the promises' capital cost, the modelled need's, and the salary bill (亿元)."""
    c = _city(costs)
    a = c[c["level"] == "all"]
    end = int(a["year"].max())

    def pick(q, y):
        r = a[(a["quantity"] == q) & (a["year"] == y)].iloc[0]
        return r["p50"] / 1e4, r["p05"] / 1e4, r["p95"] / 1e4

    pr = pick("capital_cost_promise_cumulative", PLAN_END)
    pg = pick("capital_cost_programme_cumulative", PLAN_END)
    nd5, nd = pick("capital_cost_cumulative", PLAN_END), pick("capital_cost_cumulative", end)
    sal = pick("salary_cost_public_cumulative", end)
    inc = pick("salary_cost_increment_public_cumulative", end)
    first = int(a["year"].min())
    f = "{:,.1f}".format

    def g(x):  # 亿元 → billion yuan
        return f"{x / 10:,.2f}"

    return (f"规划承诺学位建设费 {first}–{PLAN_END} 约 {f(pr[0])} 亿元（已建+计划项目 {f(pg[0])} 亿元）；模型需求建设费 {first}–{PLAN_END} "
            f"{f(nd5[0])} 亿元 (p05–p95 {f(nd5[1])}–{f(nd5[2])})，至 {end} 年 {f(nd[0])} 亿元；"
            f"公办教师工资（含单位缴费）{first}–{end} {f(sal[0])} 亿元 (p05–p95 {f(sal[1])}–{f(sal[2])})，"
            f"其中新增教师增量 {f(inc[0])} 亿元 | "
            f"Capital cost of the promises {first}–{PLAN_END}: {g(pr[0])} bn yuan (programme as "
            f"delivered + planned: {g(pg[0])} bn); modelled need "
            f"{first}–{PLAN_END}: {g(nd5[0])} bn (p05–p95 {g(nd5[1])}–{g(nd5[2])}), to {end}: "
            f"{g(nd[0])} bn; public teachers' pay with on-costs {first}–{end}: {g(sal[0])} bn "
            f"(p05–p95 {g(sal[1])}–{g(sal[2])}), of which the increment (extra teachers) "
            f"{g(inc[0])} bn; 2022 prices")
