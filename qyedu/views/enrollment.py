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
    out = peaks.set_index("label").round({"p05": 0, "p50": 0, "p95": 0, "edge_share": 2})
    out[["p05", "p50", "p95"]] = out[["p05", "p50", "p95"]].astype("int64")
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
