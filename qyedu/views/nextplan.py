"""The 15th-plan evidence for display (page 90): what 2030 requires per level and county, the
turning points, teachers, costs, the 14th-plan promises standing idle, the rows a drafter
lifts into a target table, and the two or three headline sentences (page summary and README).
Inputs: ``next_plan.csv``, ``turning_points.csv``, ``idle_promises.csv`` (``qyedu.nextplan``)."""

from __future__ import annotations

import math

import pandas as pd

from ..labels import CITY, LEVEL_LABELS, level_label
from .format import count, number, pct

LEVELS = ("preschool", "primary", "junior_secondary", "compulsory", "senior_general")
TEACHER_LEVELS = ("preschool", "primary", "junior_secondary", "senior_general",
                  "senior_vocational", "all")


def pick(n: pd.DataFrame, iid: str, level: str, county: str = CITY, year: int = 2030,
         qualification: str = "") -> pd.Series | None:
    """The next_plan.csv row of one indicator, level, county, year (and qualification)."""
    q = n[(n["indicator_id"] == iid) & (n["level"] == level) & (n["county"] == county)
          & (n["year"] == year) & (n["qualification"].fillna("") == qualification)]
    return None if q.empty else q.iloc[0]


def band(r: pd.Series | None, fmt=count) -> str:
    """``463,600 (440,000–480,000)``: p50 with the p05–p95 band, for people."""
    if r is None or pd.isna(r["p50"]):
        return "–"
    if pd.isna(r["p05"]) or pd.isna(r["p95"]):
        return fmt(r["p50"])
    return f"{fmt(r['p50'])} ({fmt(r['p05'])}–{fmt(r['p95'])})"


def _lv(level: str) -> str:
    return LEVEL_LABELS.get(level, (level, ""))[0]


def _one_decimal(v) -> str:
    return number(v, decimals=1)


def requirements(n: pd.DataFrame, year: int = 2030) -> pd.DataFrame:
    """Per level, whole city: pupils, places required, inventory, shortage (sum over
    counties), idle places, average class size, share in 大班额 and P(pupil in 大班额)."""
    rows = []
    for lv in LEVELS:
        lc = pick(n, "large_class_pupil_share", lv, year=year)
        rows.append({
            "学段 Level": level_label(lv),
            "在校生 Pupils": band(pick(n, "pupils_enrolled", lv, year=year)),
            "需要学位 Places required": band(pick(n, "places_required", lv, year=year)),
            "现有学位 Inventory": band(pick(n, "places_capacity", lv, year=year)),
            "缺口（各县之和）Shortage (sum of counties)": band(
                pick(n, "places_shortage", lv, year=year)),
            "闲置 Idle": band(pick(n, "places_idle", lv, year=year)),
            "平均班额 Class size": band(pick(n, "average_class_size", lv, year=year),
                                     _one_decimal),
            "大班额概率 P(pupil in 大班额)": pct(lc["prob"]) if lc is not None else "–",
        })
    return pd.DataFrame(rows)


def counties(n: pd.DataFrame, year: int = 2030) -> pd.DataFrame:
    """Per county: junior and primary shortage and idle places, idle primary classrooms,
    classrooms short (junior, preschool), the share of that need conversion covers."""
    names = sorted(set(n["county"]) - {CITY}) + [CITY]
    rows = []
    for c in names:
        cover = pick(n, "conversion_covers_need", "primary", c, year)
        short = {lv: pick(n, "classrooms_short", lv, c, year)
                 for lv in ("junior_secondary", "preschool")}
        rows.append({
            "县区 County": c,
            "初中缺口 Junior shortage": band(pick(n, "places_shortage", "junior_secondary", c,
                                                  year)),
            "小学缺口 Primary shortage": band(pick(n, "places_shortage", "primary", c, year)),
            "小学闲置 Primary idle": band(pick(n, "places_idle", "primary", c, year)),
            "小学闲置教室 Idle primary rooms": band(pick(n, "primary_classrooms_idle",
                                                        "primary", c, year)),
            "缺教室 初中+学前 Rooms short": " + ".join(
                count(short[lv]["p50"]) if short[lv] is not None else "–" for lv in short),
            "改建可满足 Conversion covers": ("无需求 no need" if cover is None
                                              or pd.isna(cover["p50"])
                                              else f"{count(cover['p50'])} %"),
        })
    return pd.DataFrame(rows)


def teachers(n: pd.DataFrame, year: int = 2030) -> pd.DataFrame:
    """Per level, whole city: teachers needed, in post, surplus, shortfall, hires that year,
    and (primary) the surplus qualified to move to junior schools."""
    rows = []
    for lv in TEACHER_LEVELS:
        rows.append({
            "学段 Level": level_label(lv),
            "需要 Needed": band(pick(n, "teachers_needed", lv, year=year)),
            "在岗 In post": band(pick(n, "teachers_in_post", lv, year=year)),
            "富余 Surplus": band(pick(n, "teacher_surplus", lv, year=year)),
            "缺口 Shortfall": band(pick(n, "teacher_shortfall", lv, year=year)),
            "当年招聘 Hires": band(pick(n, "teacher_hires", lv, year=year)),
            "可转岗初中 Redeployable": band(pick(n, "teachers_redeployable", lv, year=year)),
        })
    return pd.DataFrame(rows)


def qualifications(n: pd.DataFrame, year: int = 2030) -> pd.DataFrame:
    """The qualified share of teachers in post, by level and qualification (city)."""
    q = n[(n["indicator_id"] == "teacher_qualified_share") & (n["year"] == year)]
    return pd.DataFrame({
        "学段 Level": q["level"].map(level_label).to_numpy(),
        "学历 Qualification": q["qualification"].to_numpy(),
        f"{year} 年达标比例 Share, %": [band(r, _one_decimal) for _, r in q.iterrows()],
    })


def _sum_means(n: pd.DataFrame, iid: str, level: str) -> float:
    q = n[(n["indicator_id"] == iid) & (n["level"] == level) & (n["county"] == CITY)]
    return float(q["mean"].sum()) if len(q) else math.nan


def costs(n: pd.DataFrame, year: int = 2030) -> pd.DataFrame:
    """Capital and salaries per level: the year's p50 (band) and the 2026–2030 total (sum of
    the yearly means: quantiles do not add), in 亿元 at 2022 prices."""
    yi = lambda v: number(v / 1e4, 1)  # noqa: E731 - 万元 → 亿元
    rows = []
    for lv in ("preschool", "primary", "junior_secondary", "senior_general",
               "senior_vocational", "all"):
        rows.append({
            "学段 Level": level_label(lv),
            f"{year} 年建设 Capital": band(pick(n, "capital_cost_need", lv, year=year), yi),
            f"{year} 年工资 Salaries": band(pick(n, "salary_cost", lv, year=year), yi),
            "2026–30 建设（均值和）Capital, sum of means": yi(
                _sum_means(n, "capital_cost_need", lv)),
            "2026–30 工资（均值和）Salaries, sum of means": yi(_sum_means(n, "salary_cost", lv)),
        })
    return pd.DataFrame(rows)


def turning(tp: pd.DataFrame, county: str = CITY) -> pd.DataFrame:
    """Per level: the peak year p50 (p05–p95), the peak, the fall from it by 2030 and by the
    horizon, and P(peak in 2026 or later)."""
    t = tp[tp["county"] == county]
    fall_q = sorted(q for q in t["quantity"].unique() if q.startswith("fall_from_peak_"))
    rows = []
    for lv in ("preschool", "primary", "junior_secondary", "compulsory", "senior_general",
               "senior_vocational"):
        g = t[t["level"] == lv].set_index("quantity")
        if g.empty:
            continue
        row = {"学段 Level": level_label(lv),
               "峰值年 Peak year": band(g.loc["peak_year"], lambda v: str(int(round(v)))),
               "峰值 Peak": band(g.loc["peak_enrolled"])}
        for q in fall_q:
            y = q.removeprefix("fall_from_peak_").removesuffix("_pct")
            row[f"较峰值降幅至 {y} Fall by {y}, %"] = band(g.loc[q], count)
        if "prob_peak_in_or_after_2026" in g.index:
            row["峰值在 2026 年及以后的概率 P(peak ≥ 2026)"] = pct(
                g.loc["prob_peak_in_or_after_2026", "mean"])
        rows.append(row)
    return pd.DataFrame(rows)


def _row_or_none(g: pd.DataFrame, quantity: str) -> pd.Series | None:
    return g.loc[quantity] if quantity in g.index else None


def idle(ip: pd.DataFrame) -> pd.DataFrame:
    """The 14th-plan promises by 2030: promised places, promised places idle (p50 and band),
    P(some idle), the idle places of the whole inventory, the programme's places."""
    from ..labels import promise_label

    rows = []
    for pid, g in ip.groupby("promise", sort=True):
        g = g.set_index("quantity")
        rows.append({
            "承诺 Promise": promise_label(pid),
            "承诺学位 Promised": count(g.loc["promised_places", "p50"]),
            "2030 年闲置 Idle in 2030": band(_row_or_none(g, "promise_places_idle")),
            "有闲置的概率 P(some idle)": pct(g.loc["prob_some_idle", "mean"])
            if "prob_some_idle" in g.index else "–",
            "全部学位中闲置 Idle, whole inventory": band(_row_or_none(g, "inventory_places_idle")),
            "2021–25 建设计划 Programme": count(g.loc["programme_places_2021_25", "p50"])
            if "programme_places_2021_25" in g.index else "–",
        })
    return pd.DataFrame(rows)


def draft_rows(n: pd.DataFrame, year: int = 2030, county: str = CITY) -> pd.DataFrame:
    """The rows a drafter lifts into a target table: the registry's own columns for the
    city in ``year`` (value = p50), with the band and the sentence to quote."""
    keep = ["places_required", "places_shortage", "places_idle", "average_class_size",
            "teachers_needed", "teacher_hires", "teacher_qualified_share", "capital_cost_need",
            "salary_cost"]
    q = n[n["indicator_id"].isin(keep) & (n["year"] == year) & (n["county"] == county)]
    q = q.assign(_o=q["indicator_id"].map({k: i for i, k in enumerate(keep)}))
    q = q.sort_values(["_o", "level"], kind="stable")

    def fmt(v, unit):  # as the quoted sentence: shares and class sizes to 0.1, counts whole
        return number(v, 1) if unit in ("%", "人/班") else count(v)

    return pd.DataFrame({
        "编号 indicator_id": q["indicator_id"].to_numpy(),
        "学段 level": q["level"].map(level_label).to_numpy(),
        "单位 unit": q["unit"].to_numpy(),
        "数值 value (p50)": [fmt(v, u) for v, u in zip(q["value"], q["unit"], strict=True)],
        "区间 p05–p95": [f"{fmt(a, u)}–{fmt(b, u)}" for a, b, u in
                       zip(q["p05"], q["p95"], q["unit"], strict=True)],
        "表述 text": q["text"].to_numpy(),
    })


# -- the headline sentences (page summary and README) -------------------------------------
def headline(n: pd.DataFrame, tp: pd.DataFrame, ip: pd.DataFrame | None = None,
             year: int = 2030) -> list[str]:
    """Two or three bilingual sentences for the 15th plan, from the tables of the run."""
    t = tp[tp["county"] == CITY].set_index(["level", "quantity"])

    def peak(lv):
        return int(round(t.loc[(lv, "peak_year"), "p50"]))

    fall = f"fall_from_peak_{year}_pct"
    prim_idle = pick(n, "places_idle", "primary", year=year)
    jun_short = pick(n, "places_shortage", "junior_secondary", year=year)
    cover = pick(n, "conversion_covers_need", "primary", year=year)
    by_county = n[(n["indicator_id"] == "places_shortage") & (n["level"] == "junior_secondary")
                  & (n["year"] == year) & (n["county"] != CITY)]
    top = by_county.sort_values("p50", ascending=False).iloc[0] if len(by_county) else None
    cover_zh = cover_en = ""
    if cover is not None and pd.notna(cover["p50"]):
        cover_zh = f"；把同县闲置的小学教室改作初中或幼儿园教室，可满足约 {count(cover['p50'])} % 的教室缺口"
        cover_en = (f"; converting idle primary classrooms in the same county would meet about "
                    f"{count(cover['p50'])} % of the junior and preschool classroom need")
    top_zh = f"，其中{top['county']} {count(top['p50'])}" if top is not None else ""
    top_en = f", {top['county']} {count(top['p50'])} of it" if top is not None else ""
    s1 = (f"十五五（2026–2030）：小学在校生 {peak('primary')} 年见顶，到 {year} 年较峰值下降约 "
          f"{count(t.loc[('primary', fall), 'p50'])} %，全市约 {band(prim_idle)} 个小学学位闲置；"
          f"初中 {peak('junior_secondary')} 年见顶，{year} 年各县初中学位缺口之和约 "
          f"{band(jun_short)}{top_zh}{cover_zh}。 | 15th plan (2026–2030): primary enrolment "
          f"peaks in {peak('primary')} and is about {count(t.loc[('primary', fall), 'p50'])} % "
          f"below its peak by {year}, leaving {band(prim_idle)} primary places idle; junior "
          f"secondary peaks in {peak('junior_secondary')}, and the county junior shortages sum "
          f"to {band(jun_short)} in {year}{top_en}{cover_en}.")
    need = pick(n, "teachers_needed", "all", year=year)
    surplus = pick(n, "teacher_surplus", "primary", year=year)
    redeploy = pick(n, "teachers_redeployable", "primary", year=year)
    hires = _sum_means(n, "teacher_hires", "all")
    capital = _sum_means(n, "capital_cost_need", "all")
    salary = _sum_means(n, "salary_cost", "all")
    s2 = (f"教师：{year} 年需专任教师约 {band(need)} 名；小学富余 {band(surplus)} 名，其中约 "
          f"{band(redeploy)} 名具备转岗初中的条件；2026–2030 年约招聘 {count(hires)} 名（均值）。"
          f"成本（2022 年价格）：2026–2030 年学位建设约 {count(capital / 1e4)} 亿元、教师工资约 "
          f"{count(salary / 1e4)} 亿元（各年均值之和）。 | Teachers: about {band(need)} "
          f"needed in {year}; a primary surplus of {band(surplus)}, of whom {band(redeploy)} "
          f"qualify to move to junior schools; about {count(hires)} hires in 2026–2030 (mean). "
          f"Costs (2022 prices), 2026–2030: about {count(capital / 1e4)} 亿元 of building "
          f"and {count(salary / 1e4)} 亿元 of salaries (sums of yearly means).")
    out = [s1, s2]
    if ip is not None and not ip.empty:
        g = ip[ip["quantity"] == "promise_places_idle"]
        idle_bits = [(r["promise"], r["p50"]) for _, r in g.iterrows() if r["p50"] > 0]
        if idle_bits:
            from ..labels import PROMISE_LABELS

            zh = "、".join(f"{PROMISE_LABELS[p][0]}约 {count(v)} 个" for p, v in idle_bits)
            en = ", ".join(f"{PROMISE_LABELS[p][1].lower()}: about {count(v)}"
                           for p, v in idle_bits)
            out.append(f"到 {year} 年闲置的十四五承诺学位（中位数）：{zh}。 | 14th-plan promised "
                       f"places standing idle by {year} (median): {en}.")
    return out
