"""Enrolment forecast for display: the peak year and peak enrolment of each level computed
on the Monte Carlo draws (each draw's own peak, then p05/p50/p95 across draws), the
year-by-level table of one county, and the back-test (absolute percentage error by horizon,
the model against naive baselines). Inputs: ``ProjectionResult``, ``enrollment_forecast.csv``
and ``backtest.csv`` (``qyedu.projection``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import QyeduError
from ..labels import CITY, LEVELS, level_label
from ..projection.backtest import mape_by_horizon
from ..projection.result import ProjectionResult
from ..validation.drift import MIN_AREAS
from .format import pct


def county_draws(result: ProjectionResult, county: str = CITY, what: str = "enrolled"
                 ) -> np.ndarray:
    """Draws of one county (or 全市, the city total), shape (D, Y, L), persons."""
    arr, counties = result.with_city(what)
    if county not in counties:
        raise QyeduError(f"county {county!r} is not in the projection; known: {', '.join(counties)}")
    return arr[..., counties.index(county)]


def peak_table(result: ProjectionResult, county: str = CITY) -> pd.DataFrame:
    """Peak of enrolment per level over the projected school years, on the draws.

    For every draw the year of its maximum and the maximum itself are taken; the table gives
    their p05/p50/p95 across draws (years as whole years). ``edge_share`` is the share of
    draws whose maximum falls on the first or last projected year: there the peak may lie
    outside the projection (censored), e.g. preschool, already falling when the plan began.

    Returns
    -------
    DataFrame indexed by level (``LEVELS`` order): ``label``, ``peak_year``,
    ``peak_year_p05``, ``peak_year_p95``, ``p05``, ``p50``, ``p95`` (pupils), ``edge_share``.
    """
    draws, years = county_draws(result, county), np.asarray(result.years)
    rows = {}
    for i, level in enumerate(result.levels):
        at = draws[:, :, i].argmax(axis=1)
        py = np.quantile(years[at], [0.05, 0.5, 0.95], method="inverted_cdf")
        pv = np.quantile(draws[:, :, i].max(axis=1), [0.05, 0.5, 0.95])
        rows[level] = {"label": level_label(level), "peak_year": int(py[1]),
                       "peak_year_p05": int(py[0]), "peak_year_p95": int(py[2]),
                       "p05": pv[0], "p50": pv[1], "p95": pv[2],
                       "edge_share": float(np.isin(at, [0, len(years) - 1]).mean())}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "level"
    return out


def peak_display(peaks: pd.DataFrame) -> pd.DataFrame:
    """``peak_table`` with bilingual column names and whole pupils, for reading."""
    out = peaks.set_index("label").round({"p05": 0, "p50": 0, "p95": 0})
    out[["p05", "p50", "p95"]] = out[["p05", "p50", "p95"]].astype("int64")
    out["edge_share"] = out["edge_share"].map(pct)
    out.columns = ["峰值年 Peak year", "峰值年 p05", "峰值年 p95", "峰值 p05 Peak pupils",
                   "峰值 p50 Peak pupils", "峰值 p95 Peak pupils", "边界峰值比例 Share at edge"]
    out.index.name = "学段 Level"
    return out


def county_table(forecast: pd.DataFrame, county: str = CITY) -> pd.DataFrame:
    """Pupils enrolled in ``county`` by school year (rows) and level × p05/p50/p95 (columns),
    from ``enrollment_forecast.csv``; whole pupils."""
    df = forecast[(forecast["quantity"] == "enrolled") & (forecast["county"] == county)]
    if df.empty:
        raise QyeduError(f"no enrolment forecast for county {county!r}; known: "
                         f"{', '.join(forecast['county'].unique())}")
    levels = [lv for lv in LEVELS if lv in set(df["level"])]
    wide = df.pivot(index="year", columns="level", values=["p05", "p50", "p95"])
    wide = wide.swaplevel(axis=1).reindex(columns=pd.MultiIndex.from_product(
        [levels, ["p05", "p50", "p95"]]))
    wide.columns = pd.MultiIndex.from_tuples([(level_label(lv), q) for lv, q in wide.columns],
                                             names=["学段 Level", "分位 Quantile"])
    wide.index.name = "学年 School year"
    return wide.round(0).astype("int64")


def births_backtest(backtest: pd.DataFrame) -> pd.DataFrame:
    """Mean absolute percentage error (%) of Guangdong births forecasts by horizon (rows)
    and method (columns): the three births paths against carry-forward and linear trend."""
    gd = mape_by_horizon(backtest[backtest["series"] == "guangdong_births"])
    out = gd.pivot(index="horizon", columns="method", values="mape").round(1)
    out.index.name = "预测步长（年） Horizon (years)"
    out.columns.name = "方法 Method"
    return out


def enrolment_backtest(backtest: pd.DataFrame) -> pd.DataFrame:
    """Qingyuan enrolment back-test: the cohort model run as of each origin (median and
    p05–p95) and carry-forward against every later observed point, with the APE (%)."""
    df = backtest[backtest["series"].str.startswith("qingyuan_")].copy()
    df["level"] = df["series"].str.removeprefix("qingyuan_").map(level_label)
    cols = {"level": "学段 Level", "method": "方法 Method", "origin": "起点 Origin",
            "target_year": "目标年 Target year", "horizon": "步长 Horizon",
            "forecast": "预测 Forecast", "forecast_p05": "p05", "forecast_p95": "p95",
            "actual": "实际 Actual", "ape": "APE %"}
    out = df[list(cols)].rename(columns=cols).reset_index(drop=True)
    return out.round({"预测 Forecast": 0, "p05": 0, "p95": 0, "实际 Actual": 0, "APE %": 1})


def wan(x: float) -> str:
    """Persons in 万 (10,000) with one decimal, e.g. 463943 → ``"46.4万"``."""
    return f"{x / 10_000:.1f}万"


def thousands(x: float) -> str:
    """Persons in thousands, e.g. 463943 → ``"464k"``."""
    return f"{x / 1000:,.0f}k"


def summary_line(peaks: pd.DataFrame, county: str = CITY, level: str = "primary") -> str:
    """One line: the peak year and peak enrolment (p50, p05–p95) of ``level``."""
    r = peaks.loc[level]
    zh, en = r["label"].split(" ", 1)
    return (f"{county}{zh}在校生峰值 {r['peak_year']} 年 {wan(r['p50'])}（p05–p95 "
            f"{wan(r['p05'])}–{wan(r['p95'])}，峰值年 {r['peak_year_p05']}–{r['peak_year_p95']}）"
            f" | {en} enrolment ({county}) peaks in {r['peak_year']} at {thousands(r['p50'])} "
            f"(p05–p95 {thousands(r['p05'])}–{thousands(r['p95'])}; peak year "
            f"{r['peak_year_p05']}–{r['peak_year_p95']})")


METHOD_LABELS = {"cohort_flow": "本方法 cohort flow", "hold_factor": "保持系数 hold factor",
                 "carry_forward": "沿用上年 carry forward"}


def accuracy_display(acc: pd.DataFrame, horizons=(1, 2, 3, 5, 8)) -> pd.DataFrame:
    """Accuracy on the validation panel (``accuracy.csv``) for reading: per level and
    horizon, MAPE and bias (%) of the method and the two baselines, the method's p05–p95
    coverage (%) and the number of forecasts and areas behind each cell."""
    a = acc[acc["horizon"].isin(horizons)]
    w = a.pivot_table(index=["level", "horizon"], columns="method", values=["mape", "bias"])
    fl = a[a["method"] == "cohort_flow"].set_index(["level", "horizon"])
    out = pd.DataFrame(index=w.index)
    for m in METHOD_LABELS:
        out[f"MAPE % {METHOD_LABELS[m]}"] = w[("mape", m)]
    for m in METHOD_LABELS:
        out[f"偏差 bias % {METHOD_LABELS[m]}"] = w[("bias", m)]
    out["p05–p95 覆盖率 coverage %"] = fl["coverage_p05_p95"]
    out["预测数 n"], out["地区数 areas"] = fl["n"], fl["areas"]
    out = out.reset_index()
    out["level"] = pd.Categorical(out["level"], LEVELS, ordered=True)
    out = out.sort_values(["level", "horizon"])
    out["level"] = out["level"].astype(str).map(level_label)
    out = out.rename(columns={"level": "学段 Level", "horizon": "步长 Horizon (years)"})
    return out.set_index(["学段 Level", "步长 Horizon (years)"]).round(1)


def trust_statement(acc: pd.DataFrame, levels=("primary", "junior_secondary"),
                    horizons=(1, 3, 5)) -> str:
    """Plain words (中文 + English) on how far the numbers can be trusted, from the panel."""
    fl = acc[acc["method"] == "cohort_flow"].set_index(["level", "horizon"])
    zh, en = [], []
    for lv in levels:
        z, e = level_label(lv).split(" ", 1)
        errs = "、".join(f"{h} 年 {fl.loc[(lv, h), 'mape']:.1f}%" for h in horizons
                        if (lv, h) in fl.index)
        errs_en = ", ".join(f"{fl.loc[(lv, h), 'mape']:.1f} % at {h} year{'s' * (h > 1)}"
                            for h in horizons if (lv, h) in fl.index)
        have = [h for h in horizons if (lv, h) in fl.index]
        wide = [h for h in have if fl.loc[(lv, h)].get("areas", MIN_AREAS) >= MIN_AREAS]
        cov = [fl.loc[(lv, h), "coverage_p05_p95"] for h in wide]
        thin = [h for h in have if h not in wide]
        z_thin = "".join(f"（{h} 年：仅全国一个序列，{int(fl.loc[(lv, h), 'n'])} 次）" for h in thin)
        e_thin = "".join(f" ({h} years ahead: China alone, {int(fl.loc[(lv, h), 'n'])} "
                         "forecasts)" for h in thin)
        lo, hi = f"{min(cov):.0f}", f"{max(cov):.0f}"
        rng = lo if lo == hi else f"{lo}–{hi}"
        band_zh = (f"p05–p95 区间覆盖了 {rng}% 的实际值"
                   f"{'（' + '、'.join(f'{h} 年' for h in wide) + '）' if thin else ''}")
        band_en = (f"its p05–p95 band held {rng} % of the outturns"
                   f"{' at ' + ' and '.join(map(str, wide)) + ' years ahead' if thin else ''}")
        zh.append(f"{z}：同一方法在 27 个省和全国的回测中，平均误差为 {errs}{z_thin}；"
                  f"{band_zh}。")
        en.append(f"{e}: tested the same way on 27 provinces and China, the method is off by "
                  f"a mean {errs_en}{e_thin}; {band_en}.")
    zh.append("因此：一两年内的数字可作为预算依据；五年以后的数字只宜看区间，"
              "区间内的各种可能同样真实。清远只有一个在校生横截面（2022 学年），所以 2025 年已是"
              "三年以后的预测、2030 年是八年以后；城市的人口流动比省大，误差可能更大。")
    en.append("So: numbers one or two years ahead can carry a budget; five or more years ahead "
              "read the band, not the median — values across the band are as plausible. "
              "Qingyuan's only enrolment cross-section is 2022, so 2025 is already a 3-year-ahead "
              "forecast and 2030 an 8-year one; a city's migration is larger than a province's, "
              "so its errors may be larger still.")
    return "\n".join(zh) + "\n\n" + " ".join(en)


FLOW_CHECK_LABELS = {
    "junior_per_primary": "初中/小学 junior per primary (cohort change)",
    "senior_per_junior": "高中阶段/初中 senior per junior (cohort change)",
    "ger_preschool": "学前三年毛入园率 preschool GER",
    "ger_primary": "小学毛入学率 primary GER",
    "ger_senior": "高中阶段毛入学率 senior GER",
}
STATUS_LABELS = {"consistent": "一致 consistent", "contradiction": "矛盾 contradiction",
                 "implausible": "不合理 implausible"}


def flow_checks_display(fc: pd.DataFrame, years=(2022, 2025, 2030)) -> pd.DataFrame:
    """flow_checks.csv for reading: implied ratios (%) against the plan's figures."""
    d = fc[fc["year"].isin(years)]
    d = d.assign(quantity=d["quantity"].map(FLOW_CHECK_LABELS).fillna(d["quantity"]),
                 status=d["status"].map(STATUS_LABELS).fillna(d["status"]))
    cols = {"quantity": "检查 Check", "year": "学年 Year", "p05": "p05", "p50": "p50",
            "p95": "p95", "plan_value": "规划值 Plan", "plan_year": "规划年 Plan year",
            "status": "结论 Status"}
    return d[list(cols)].rename(columns=cols).set_index(["检查 Check", "学年 Year"]).round(1)


def cohort_path(grades: pd.DataFrame, age3_year: int | None = None) -> pd.DataFrame:
    """One birth cohort followed through the grades (enrolment_by_grade.csv): the children
    aged 3 in ``age3_year`` (default the first year) in each later year's stage, with the
    ratio that carried them there; general senior from grade 10 (vocational beside it)."""
    first = int(grades["year"].min()) if age3_year is None else age3_year
    g = grades.assign(cohort_year=grades["year"] - (grades["age"] - 3))
    g = g[(g["cohort_year"] == first) & ~g["stage"].str.startswith("voc")]
    out = pd.DataFrame({
        "学年 Year": g["year"].astype(int),
        "年级 Stage": g["stage_zh"],
        "在校生 p50 Pupils": g["pupils_p50"].map(thousands),
        "区间 p05–p95": [f"{thousands(a)}–{thousands(b)}"
                         for a, b in zip(g["pupils_p05"], g["pupils_p95"], strict=True)],
        "比率 Ratio (p50)": [("入学 entry " if k == "entry" else "升学 transition "
                             if k == "transition" else "升级 progression ") + f"{r:.3f}"
                            if np.isfinite(r) else "–"
                            for k, r in zip(g["ratio_kind"], g["ratio_p50"], strict=True)],
    })
    return out.reset_index(drop=True)
