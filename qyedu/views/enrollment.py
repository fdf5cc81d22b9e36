"""Enrolment forecast for display: the peak year and peak enrolment of each level computed
on the Monte Carlo draws (each draw's own peak, then p05/p50/p95 across draws), the
year-by-level table of one county, and the back-test (absolute percentage error by horizon,
the model against naive baselines). Inputs: ``ProjectionResult``, ``enrollment_forecast.csv``
and ``backtest.csv`` (``qyedu.projection``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import QyeduError
from ..labels import CITY, LEVEL_LABELS, LEVELS, area_en, level_label
from ..projection.backtest import mape_by_horizon
from ..projection.result import ProjectionResult
from ..validation.adaptive_band import TARGET_MISS
from ..validation.drift import MIN_AREAS
from ..validation.metrics import MIN_AREAS_VERDICT
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
            f" | {en} enrolment ({area_en(county)}) peaks in {r['peak_year']} at {thousands(r['p50'])} "
            f"(p05–p95 {thousands(r['p05'])}–{thousands(r['p95'])}; peak year "
            f"{r['peak_year_p05']}–{r['peak_year_p95']})")


# The honest-in-time accuracy (``honest_accuracy.csv``, ``honest_senior_accuracy.csv``):
# the published method and the naive baselines it is compared with.
PUBLISHED_METHOD = "grade_flow_band"  # its median is the band-free grade flow
HONEST_METHOD_LABELS = {"grade_flow_band": "本方法 grade flow",
                        "carry_forward": "沿用上年 carry forward",
                        "hold_factor": "保持系数 hold factor",
                        "intake_survival": "入学存活 intake survival",
                        "damped_trend": "阻尼趋势 damped trend"}
INFO_LABELS = {"qingyuan_like": "类清远信息 Qingyuan-like information",
               "bureau_like": "教育局信息 bureau-like information"}
VERDICT_WORDS = {"gain": "有增益 gain", "inside noise": "在噪声内 inside noise",
                 "loss": "更差 loss", "too few areas": "地区太少 too few areas",
                 "": "无基准 no baseline tested"}
HONEST_LEVELS = ("primary", "junior_secondary", "senior_general", "senior_vocational")
TARGET_INSIDE = round(100 * (1 - TARGET_MISS))  # a p05–p95 band should hold 90 % of outturns


def verdict(diff_lo, diff_hi, areas) -> str:
    """The paired difference to the best baseline in words (a key of VERDICT_WORDS): a gain
    only where the 95 % interval lies below zero, a loss only where it lies above, and no
    verdict from fewer than MIN_AREAS_VERDICT areas (or without a baseline)."""
    if not (np.isfinite(diff_lo) and np.isfinite(diff_hi)):
        return ""
    if not areas >= MIN_AREAS_VERDICT:
        return "too few areas"
    return "gain" if diff_hi < 0 else "loss" if diff_lo > 0 else "inside noise"


def honest_cells(acc: pd.DataFrame, senior: pd.DataFrame | None = None, sample: str = "in",
                 leads=(1, 2, 3, 4, 5)) -> pd.DataFrame:
    """The rows of the honest accuracy tables (primary and junior, then senior from its own
    table) for one sample and the given leads, with ``verdict`` recomputed by ``verdict``."""
    a = pd.concat([acc] + ([senior] if senior is not None else []), ignore_index=True)
    a = a[(a["sample"] == sample) & a["lead"].isin(leads)].copy()
    a["verdict"] = [verdict(lo, hi, ar) for lo, hi, ar in
                    zip(a["diff_lo"].astype(float), a["diff_hi"].astype(float),
                        a["areas"].astype(float), strict=True)]
    return a


def _pp(v) -> str:
    return f"{v:.2f}".replace("-", "−")


def _interval(d, lo, hi) -> str:
    return "–" if not np.isfinite(d) else f"{_pp(d)}（{_pp(lo)} 至 to {_pp(hi)}）"


def _mape_bias(mape, bias) -> str:
    return "–" if not np.isfinite(mape) else f"{mape:.1f} / {round(bias, 1) + 0.0:+.1f}".replace("-", "−")


def accuracy_display(acc: pd.DataFrame, senior: pd.DataFrame | None = None,
                     info: str | None = None, leads=(1, 2, 3, 4, 5)) -> pd.DataFrame:
    """The honest-in-time accuracy for reading: per information set (``info``, default
    both), level and lead (years), "MAPE % / bias %" of the published method and of each
    naive baseline, the method's p05–p95 coverage (%) with its 95 % interval from a
    bootstrap over areas, the forecasts (with a band), the
    areas, and the paired difference of MAPE to the best baseline (percentage points, 95 %
    interval; negative = the method is better) with its verdict."""
    a = honest_cells(acc, senior, "in", leads)
    if info is not None:
        a = a[a["info"] == info]
    keys = ["info", "level", "lead"]
    pub = a[a["method"] == PUBLISHED_METHOD].set_index(keys)
    out = pd.DataFrame(index=pub.index)
    for m, lab in HONEST_METHOD_LABELS.items():
        g = a[a["method"] == m].set_index(keys).reindex(pub.index)
        out[f"{lab} MAPE % / 偏差 bias %"] = [
            _mape_bias(x, b) for x, b in zip(g["mape"].astype(float), g["bias"].astype(float),
                                             strict=True)]
    out["p05–p95 覆盖率 coverage %"] = pub["coverage_p05_p95"].round(1)
    if "coverage_lo" in pub:  # tables written before the interval existed lack it
        out["覆盖率 95 % 区间 coverage interval %"] = [
            "–" if not (np.isfinite(lo) and np.isfinite(hi)) else f"{lo:.0f}–{hi:.0f}"
            for lo, hi in zip(pub["coverage_lo"].astype(float),
                              pub["coverage_hi"].astype(float), strict=True)]
    out["预测数 n"], out["有区间 n with band"] = pub["n"], pub["n_band"]
    out["地区数 areas"] = pub["areas"]
    out["最佳基准 best baseline"] = pub["best_baseline"].map(HONEST_METHOD_LABELS).fillna("–")
    out["与最佳基准之差 diff pp（95 % 区间 interval）"] = [
        _interval(d, lo, hi) for d, lo, hi in zip(pub["diff_vs_best_pp"].astype(float),
                                                 pub["diff_lo"].astype(float),
                                                 pub["diff_hi"].astype(float), strict=True)]
    out["结论 verdict"] = pub["verdict"].map(VERDICT_WORDS)
    out = out.reset_index()
    out["info"] = pd.Categorical(out["info"], list(INFO_LABELS), ordered=True)
    out["level"] = pd.Categorical(out["level"], HONEST_LEVELS, ordered=True)
    out = out.sort_values(keys)
    out["info"] = out["info"].astype(str).map(INFO_LABELS)
    out["level"] = out["level"].astype(str).map(level_label)
    out = out.rename(columns={"info": "信息 Information", "level": "学段 Level",
                              "lead": "提前年数 Lead (years)"})
    idx = ["学段 Level", "提前年数 Lead (years)"]
    if info is None:
        idx = ["信息 Information"] + idx
    else:
        out = out.drop(columns="信息 Information")
    return out.set_index(idx)


def paired_display(paired: pd.DataFrame, info: str, method: str = PUBLISHED_METHOD,
                   levels=("primary", "junior_secondary"), leads=(1, 2, 3, 4, 5)) -> pd.DataFrame:
    """The published method against *each* naive baseline (``honest_paired.csv``), on the
    forecasts both made: per level and lead (years), for each baseline "the method's MAPE vs
    the baseline's (%), difference pp (95 % interval), forecasts", with the verdict in words.
    Intake survival needs six past intakes, so it is compared on a subset; the accuracy table
    above can only name a best baseline that made most of the method's forecasts."""
    p = paired[(paired["sample"] == "in") & (paired["info"] == info)
               & (paired["method"] == method) & paired["level"].isin(levels)
               & paired["lead"].isin(leads)].copy()
    p["verdict"] = [verdict(lo, hi, ar) for lo, hi, ar in
                    zip(p["diff_lo"].astype(float), p["diff_hi"].astype(float),
                        p["areas"].astype(float), strict=True)]
    p["cell"] = [f"{m:.2f} vs {b:.2f}；{_interval(d, lo, hi)}；n = {n}；{VERDICT_WORDS[v]}"
                 for m, b, d, lo, hi, n, v in zip(
                     p["mape_method"], p["mape_versus"], p["diff_pp"], p["diff_lo"],
                     p["diff_hi"], p["n"], p["verdict"], strict=True)]
    out = p.pivot(index=["level", "lead"], columns="versus", values="cell")
    out = out.reindex(columns=[b for b in HONEST_METHOD_LABELS if b in out.columns])
    out.columns = [f"对 vs {HONEST_METHOD_LABELS[b]}" for b in out.columns]
    out = out.reset_index()
    out["level"] = pd.Categorical(out["level"], HONEST_LEVELS, ordered=True)
    out = out.sort_values(["level", "lead"])
    out["level"] = out["level"].astype(str).map(level_label)
    out = out.rename(columns={"level": "学段 Level", "lead": "提前年数 Lead (years)"})
    return out.set_index(["学段 Level", "提前年数 Lead (years)"]).fillna("–")


def _areas_en(n) -> str:
    return f"{int(n)} area{'s' * (int(n) != 1)}"


def _years_zh(leads) -> str:
    return "、".join(f"{h} 年" for h in leads)


def _years_en(leads) -> str:
    leads = [str(h) for h in leads]
    words = leads[0] if len(leads) == 1 else ", ".join(leads[:-1]) + " and " + leads[-1]
    return f"{words} year{'s' * (leads != ['1'])}"


def trust_statement(acc: pd.DataFrame, senior: pd.DataFrame | None = None,
                    info: str = "qingyuan_like", levels=("primary", "junior_secondary"),
                    leads=(1, 3, 5)) -> str:
    """Plain words (中文 + English) on how far the numbers can be trusted, from the
    honest-in-time back-test of the published method (``honest_cells``): per level its
    MAPE by lead, the p05–p95 coverage where at least MIN_AREAS areas were tested, and the
    verdict against the best naive baseline (a gain only where the interval excludes 0)."""
    a = honest_cells(acc, senior, "in", leads)
    pub = a[(a["method"] == PUBLISHED_METHOD) & (a["info"] == info)].set_index(["level", "lead"])
    zh, en = [], []
    iz, ie = INFO_LABELS[info].split(" ", 1)
    for lv in levels:
        z, e = level_label(lv).split(" ", 1)
        have = [h for h in leads if (lv, h) in pub.index]
        if not have:
            continue
        errs = "、".join(f"{h} 年 {pub.loc[(lv, h), 'mape']:.1f}%" for h in have)
        errs_en = ", ".join(f"{pub.loc[(lv, h), 'mape']:.1f} % at {h} year{'s' * (h > 1)}"
                            for h in have)
        wide = [h for h in have if pub.loc[(lv, h), "areas"] >= MIN_AREAS
                and np.isfinite(pub.loc[(lv, h), "coverage_p05_p95"])]
        thin = [h for h in have if h not in wide]
        z_thin = "".join(f"（{h} 年：仅 {int(pub.loc[(lv, h), 'areas'])} 个地区，"
                         f"{int(pub.loc[(lv, h), 'n'])} 次）" for h in thin)
        e_thin = "".join(f" ({h} years ahead: {_areas_en(pub.loc[(lv, h), 'areas'])} only, "
                         f"{int(pub.loc[(lv, h), 'n'])} forecasts)" for h in thin)
        if wide:
            cov = [pub.loc[(lv, h), "coverage_p05_p95"] for h in wide]
            lo, hi = f"{min(cov):.0f}", f"{max(cov):.0f}"
            rng = lo if lo == hi else f"{lo}–{hi}"
            band_zh = f"；p05–p95 区间覆盖了 {rng}% 的实际值" + \
                (f"（{_years_zh(wide)}）" if thin else "")
            band_en = f"; its p05–p95 band held {rng} % of the outturns" + \
                (f" at {_years_en(wide)} ahead" if thin else "")
        else:
            band_zh = band_en = ""
        by = {v: [h for h in have if pub.loc[(lv, h), "verdict"] == v] for v in VERDICT_WORDS}
        parts_zh = [f"{_years_zh(hs)}{VERDICT_WORDS[v].split(' ')[0]}" for v, hs in by.items()
                    if hs and v]
        parts_en = [f"{VERDICT_WORDS[v].split(' ', 1)[1]} at {_years_en(hs)}"
                    for v, hs in by.items() if hs and v]
        vs_zh = (f"；与最佳简单基准相比（差的 95 % 区间不含零才算增益）：{'，'.join(parts_zh)}"
                 if parts_zh else "")
        vs_en = (f"; against the best naive baseline (a gain only where the 95 % interval of "
                 f"the difference excludes zero): {', '.join(parts_en)}" if parts_en else "")
        zh.append(f"{z}：按时间诚实回测（每个起点只用当时已知的数据），{iz}下本方法在各省和全国的"
                  f"平均误差为 {errs}{z_thin}{band_zh}{vs_zh}。")
        en.append(f"{e}: back-tested honest in time (each origin learns only from what was "
                  f"known then) on the provinces and China with {ie}, the method is off by a "
                  f"mean {errs_en}{e_thin}{band_en}{vs_en}.")
    zh.append("因此：一两年内的数字可作为预算依据；五年以后的数字只宜看区间，"
              "区间内的各种可能同样真实。清远只有一个在校生横截面（2022 学年），所以 2025 年已是"
              "三年以后的预测、2030 年是八年以后；城市的人口流动比省大，误差可能更大。")
    en.append("So: numbers one or two years ahead can carry a budget; five or more years ahead "
              "read the band, not the median — values across the band are as plausible. "
              "Qingyuan's only enrolment cross-section is 2022, so 2025 is already a 3-year-ahead "
              "forecast and 2030 an 8-year one; a city's migration is larger than a province's, "
              "so its errors may be larger still.")
    return "\n".join(zh) + "\n\n" + " ".join(en)


def held_out_counts(acc: pd.DataFrame, held: pd.DataFrame | None = None) -> dict:
    """{info: (inside, with a band)}: the held-out 2020–2023 outturns (never part of any
    fit) inside the published method's p05–p95 band — from ``honest_held_out.csv`` (origin
    2019) when given, else from the accuracy table's ``held_out`` rows (every origin ≤ 2019:
    coverage × forecasts with a band)."""
    out = {}
    if held is not None and not held.empty:
        h = held[(held["method"] == PUBLISHED_METHOD) & held["inside"].notna()]
        for info, g in h.groupby("info", sort=False):
            out[info] = (int(g["inside"].astype(bool).sum()), len(g))
        return {k: out[k] for k in INFO_LABELS if k in out}
    a = acc[(acc["sample"] == "held_out") & (acc["method"] == PUBLISHED_METHOD)
            & (acc["n_band"] > 0) & acc["coverage_p05_p95"].notna()]
    for info, g in a.groupby("info", sort=False):
        out[info] = (int(round((g["coverage_p05_p95"] * g["n_band"] / 100).sum())),
                     int(g["n_band"].sum()))
    return {k: out[k] for k in INFO_LABELS if k in out}


def held_out_statement(acc: pd.DataFrame, held: pd.DataFrame | None = None) -> str:
    """One line (中文 | English): of the held-out 2020–2023 outturns with a band, how many
    fell inside the published method's p05–p95, per information set ('' without any)."""
    c = held_out_counts(acc, held)
    if not c:
        return ""
    zh = "；".join(f"{INFO_LABELS[k].split(' ')[0]} {n} 个中 {i} 个（{100 * i / n:.0f} %）"
                  for k, (i, n) in c.items())
    en = "; ".join(f"{i} of {n} with {INFO_LABELS[k].split(' ', 1)[1]} ({100 * i / n:.0f} %)"
                   for k, (i, n) in c.items())
    a = acc[(acc["sample"] == "held_out") & (acc["method"] == PUBLISHED_METHOD)]
    k = int(a["areas"].max()) if held is None and len(a) else 0
    few_zh = f"这些实际值只来自 {k} 个地区，各地区内的预测一起偏离，所以这一比例很不稳定；" if k else ""
    few_en = (f" They come from {k} area{'s' * (k != 1)} only, whose forecasts miss together, "
              f"so the share is very uncertain." if k else "")
    return (f"留出的 2020–2023 年实际值（任何拟合都未用到）落在本方法 p05–p95 区间内的："
            f"{zh}。区间应包含约 {TARGET_INSIDE} % 的实际值；{few_zh}明显低于此即说明区间对 2019 年"
            f"以后偏窄。 | Held-out 2020–2023 outturns (never used by any fit) inside the "
            f"method's p05–p95 band: {en}. The band should hold about {TARGET_INSIDE} % of them."
            f"{few_en} A share well below that means the band is too narrow for the years "
            f"after 2019.")


def command_check_statement(check: pd.DataFrame) -> str:
    """One line (中文 | English): the forecast command run as a new user runs it (as of the
    origin year − lead, the published drift and band; ``command_check.csv``) against the
    later outturns, inside p05–p95 in all and by level ('' without any)."""
    if check is None or check.empty:
        return ""
    k, n = int(check["inside"].astype(bool).sum()), len(check)
    by = check.assign(inside=check["inside"].astype(bool)).groupby("level")["inside"]
    by = by.agg(["sum", "size"]).reindex([lv for lv in LEVELS if lv in set(check["level"])])
    zh = "、".join(f"{LEVEL_LABELS[lv][0]} {int(r['sum'])}/{int(r['size'])}" for lv, r in by.iterrows())
    en = ", ".join(f"{LEVEL_LABELS[lv][1].lower()} {int(r['sum'])} of {int(r['size'])}"
                   for lv, r in by.iterrows())
    years = f"{int(check['year'].min())}–{int(check['year'].max())}"
    areas = check["area"].nunique()
    origin = int((check["year"] - check["lead"]).min())
    zh_more, en_more = _four_year_misses(check)
    return (f"按新用户的方式检验（对其他地区的预测命令，以 {origin} 年为基年，用公布的漂移和区间，"
            f"{areas} 个地区）：{years} 年 {n} 个实际值中 {k} 个（{100 * k / n:.0f} %）落在 "
            f"p05–p95 内——{zh}。{zh_more} | Checked as a new user would (the forecast command for "
            f"another area, as of {origin}, with the published drift and band; {areas} areas): "
            f"{k} of {n} outturns {years} inside p05–p95 ({100 * k / n:.0f} %) — {en}.{en_more}")


def register_statement(register: pd.DataFrame) -> str:
    """One line (中文 | English): the pre-registered forecasts (``forecast_register.csv``,
    ``qyedu register``) — when, how many, how many for outturns the project had not read,
    and Qingyuan's years among them ('' without a register)."""
    import datetime as dt

    from ..observed.names import CITY as QY
    from ..validation.panel import CHINA
    from .format import count

    if register is None or register.empty:
        return ""
    day = dt.date.fromisoformat(str(register["registered"].iloc[0]))
    n, unseen = len(register), int((~register["seen"].astype(bool)).sum())
    provinces = register.loc[~register["area"].isin([QY, CHINA]), "area"].nunique()
    qy = register[register["area"] == QY]
    zh_qy = en_qy = ""
    if len(qy):  # each level from the year after its last published enrolment
        first = qy.groupby("level")["year"].min()
        starts = {y: [lv for lv in LEVELS if first.get(lv) == y] for y in sorted(set(first))}
        zh_from = "、".join(f"{'、'.join(LEVEL_LABELS[lv][0] for lv in lvs)}自 {y} 年"
                            for y, lvs in starts.items())
        en_from = "; ".join(f"{', '.join(LEVEL_LABELS[lv][1].lower() for lv in lvs)} from {y}"
                            for y, lvs in starts.items())
        last = int(qy["year"].max())
        zh_qy = f"，包括清远各学段至 {last} 年的在校生数（{zh_from}）"
        en_qy = f", among them Qingyuan's enrolment by level to {last} ({en_from})"
    return (f"预注册：{day.year} 年 {day.month} 月 {day.day} 日已把本方法对 {provinces} 个省、全国和清远的 "
            f"{count(n)} 个预测（p05–p95 区间）写定，此后不再修改；其中 {count(unseen)} 个的实际值"
            f"当时本项目尚未读到{zh_qy}。新统计公布后与之对照，才是对本方法真正的样本外检验。 | "
            f"Pre-registered: on {day.day} {day:%B} {day.year} the method's forecasts for "
            f"{provinces} province{'s' if provinces != 1 else ''}, China and Qingyuan ({count(n)} p05–p95 bands) were written "
            f"down, never to be changed; {count(unseen)} of them are for outturns the project had "
            f"not read{en_qy}. Setting newly published statistics against them is the method's "
            f"true out-of-sample test.")


def _four_year_misses(check: pd.DataFrame) -> tuple[str, str]:
    """The sentence on misses in areas whose junior grade index points to four-year junior
    schools (``projection.grade_structure``), in Chinese and English ('' when none)."""
    from ..projection.grade_structure import FOUR_YEAR_FLAG

    if "grade_index" not in check.columns:
        return "", ""
    miss = check[~check["inside"].astype(bool)]
    flagged = miss[pd.to_numeric(miss["grade_index"], errors="coerce") > FOUR_YEAR_FLAG]
    if flagged.empty:
        return "", ""
    names = "、".join(dict.fromkeys(flagged["area"]))
    m, total = len(flagged), len(miss)
    return (f"落在区间外的 {total} 个中有 {m} 个属于{names}：其数据显示部分初中为四年制（五四制），"
            f"而模型按六三制计算。",
            f" {m} of the {total} misses {'is' if m == 1 else 'are'} in "
            f"{', '.join(dict.fromkeys(flagged['area']))}, "
            f"whose figures point to four-year junior schools (five-four), which the flow, "
            f"built on six-three, does not model.")


FLOW_CHECK_LABELS = {
    "junior_per_primary": "初中/小学 junior per primary (cohort change)",
    "senior_per_junior": "高中阶段/初中 senior per junior (cohort change)",
    "transition_primary_junior": "初一/上年六年级 grade 7 per grade 6 a year earlier (transition)",
    "transition_junior_senior": "高一/上年初三 grade 10 per grade 9 a year earlier (transition)",
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
