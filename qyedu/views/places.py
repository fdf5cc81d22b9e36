"""School places for display: each plan promise against the places needed (shortfall or
surplus with p05–p95, peak year, places needed only until the peak), demand vs capacity by
year, and the class-size standards behind the class counts. Inputs are the tables of
``qyedu.places.tables`` (``places_demand.csv``, ``places_promises.csv``); nothing is recomputed.
Bilingual names come from ``qyedu.labels``."""

from __future__ import annotations

import pandas as pd

from ..labels import CITY, level_label, promise_label
from ..places.promises import PLAN_END, PROMISES
from ..places.standards import class_sizes

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


def demand_capacity(demand: pd.DataFrame) -> pd.DataFrame:
    """Years as columns; per group (preschool, compulsory, general senior) the places needed
    (p05/p50/p95), the capacity path and the gap (capacity − need, p50; negative = shortage)."""
    city = _city(demand)
    parts = {"需求 p05 Needed": ("places_needed", "p05"), "需求 p50 Needed": ("places_needed", "p50"),
             "需求 p95 Needed": ("places_needed", "p95"), "容量 Capacity": ("capacity", "p50"),
             "富余 p50 Gap": ("gap", "p50")}
    frames = []
    for group in ("preschool", "compulsory", "senior_general"):
        g = city[city["level"] == group]
        years = g.loc[g["quantity"] == "capacity", "year"]
        for name, (q, col) in parts.items():
            s = g[(g["quantity"] == q) & g["year"].isin(years)].set_index("year")[col]
            frames.append(s.round(0).rename((level_label(group), name)))
    out = pd.DataFrame(frames)
    out.index.names = ["学段 Level", "指标 Quantity"]
    out.columns = out.columns.astype(int)
    out.columns.name = "学年 School year"
    return out


def crowding(demand: pd.DataFrame) -> pd.DataFrame:
    """Per school level: the largest average class size (p50) if a shortfall were spread over
    the classrooms, its year, and the highest yearly probability of 大班额 / 超大班额."""
    city = _city(demand)
    rows = {}
    for lv in ("primary", "junior_secondary", "senior_general"):
        g = city[city["level"] == lv]
        avg = g[g["quantity"] == "avg_class_size_if_crowded"].set_index("year")["p50"]
        p_large = g[g["quantity"] == "prob_large_class"]["mean"]
        p_very = g[g["quantity"] == "prob_very_large_class"]["mean"]
        rows[level_label(lv)] = {"最大平均班额 p50 Max avg class": round(avg.max(), 1),
                                 "年份 Year": int(avg.idxmax()),
                                 "大班额概率 P(large class)": round(p_large.max(), 2),
                                 "超大班额概率 P(very large)": round(p_very.max(), 2)}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "学段 Level"
    return out


def class_size_standards(places_params) -> pd.DataFrame:
    """Class sizes and 大班额 bands used (standards.csv or a parameter override), with sources."""
    sizes = class_sizes(places_params)
    out = pd.DataFrame({"标准 Standard": [" ".join(STANDARD_LABELS[k]) for k in STANDARD_LABELS],
                        "人数 Pupils": [sizes[k].value for k in STANDARD_LABELS],
                        "来源 Source": [sizes[k].basis for k in STANDARD_LABELS]})
    return out.set_index("标准 Standard")


def _wan(x: float) -> str:
    return f"{x / 10_000:.2g} 万" if abs(x) >= 10_000 else f"{x:,.0f}"


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
            f"{ty}: promised {prom:,.0f}, needed {mid:,.0f} (p05–p95 {lo:,.0f}–{hi:,.0f}) → "
            f"{word_en} {abs(sur):,.0f}; demand peaks {peak}")
