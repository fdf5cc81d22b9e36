"""Enrolment figures: fan charts by level (p05–p95 of the draws, observed calibration points),
the three births scenarios side by side, and the back-test errors by horizon.

Figures are created with pyplot (which also switches on the notebook's image display) and
closed at once, so a notebook cell that ends with the returned figure shows it exactly once
and nothing stays open in pyplot."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..labels import SCENARIO_LABELS, area_en, level_label, scenario_label
from ..plotting import LEVEL_COLORS, SCENARIO_COLORS, bilingual, fan_chart, new_figure, year_axis
from ..projection.backtest import mape_by_horizon
from ..projection.result import CITY, ProjectionResult
from ..views.enrollment import (
    HONEST_METHOD_LABELS,
    INFO_LABELS,
    PUBLISHED_METHOD,
    county_draws,
    honest_cells,
)

PUPILS_WAN = bilingual("在校生（万人）", "Pupils (10,000)")
SCHOOL_YEAR = bilingual("学年（起始年）", "School year (starting)")
WAN = 10_000


def _observed(result: ProjectionResult, county: str, level: str):
    obs = result.observed
    if obs.empty:
        return None
    pts = obs[(obs["quantity"] == "enrolled") & (obs["county"] == county)
              & (obs["level"] == level) & (obs["year"] >= result.years[0])]
    return (pts.set_index("year")["value"] / WAN) if len(pts) else None


def _level_fans(ax, result: ProjectionResult, county: str, levels, observed: bool):
    draws = county_draws(result, county) / WAN
    q05, q50, q95 = np.quantile(draws, [0.05, 0.5, 0.95], axis=0)
    for lv in levels:
        i = result.levels.index(lv)
        fan_chart(ax, result.years, q05[:, i], q50[:, i], q95[:, i], level_label(lv),
                  LEVEL_COLORS[lv], _observed(result, county, lv) if observed else None)
    year_axis(ax)
    if result.base_year is not None:
        ax.axvline(result.base_year, color="0.5", linestyle=":", linewidth=1)


def fan_chart_by_level(result: ProjectionResult, county: str = CITY) -> Figure:
    """One panel per level: median pupils (line), p05–p95 band across draws, observed
    calibration points (dots) and the base year (dotted line). Pupils in 万."""
    fig, axes = new_figure(2, 3, figsize=(11, 6.5), sharex=True)
    for ax, lv in zip(axes.flat, result.levels, strict=False):
        _level_fans(ax, result, county, [lv], observed=True)
        ax.set_title(level_label(lv))
    for ax in axes.flat[len(result.levels):]:
        fig.delaxes(ax)
    axes[0, 0].legend(loc="best")
    zh, en = SCENARIO_LABELS.get(result.scenario, (result.scenario, result.scenario))
    fig.suptitle(f"{county}各学段在校生预测（{zh}，中位数与 p05–p95，点为已公布的观测值）\n"
                 f"Enrolment by level, {county}, {en} births scenario: median, p05–p95 band, "
                 f"dots observed where published; dotted line base year {result.base_year}")
    fig.supxlabel(SCHOOL_YEAR)
    fig.supylabel(PUPILS_WAN)
    return fig


def scenario_comparison(results: dict[str, ProjectionResult], county: str = CITY) -> Figure:
    """The births scenarios side by side (one panel each, same y scale): every level's
    median and p05–p95 band. ``results`` maps scenario name → result (e.g. low/medium/high)."""
    fig, axes = new_figure(1, len(results), figsize=(12, 4.8), sharey=True)
    for ax, (name, res) in zip(axes[0], results.items(), strict=True):
        _level_fans(ax, res, county, res.levels, observed=False)
        ax.set_title(scenario_label(name), color=SCENARIO_COLORS.get(name, "black"))
        ax.set_xlabel(SCHOOL_YEAR)
    axes[0, 0].set_ylabel(PUPILS_WAN)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels))
    first = next(iter(results.values()))
    fig.suptitle(f"{county}在校生：三种出生情景对比（中位数与 p05–p95）\n"
                 f"Enrolment ({area_en(county)}) under the births scenarios (median, p05–p95), "
                 f"base year {first.base_year}, {first.n_draws:,} draws each")
    return fig


def backtest_chart(backtest) -> Figure:
    """Left: mean absolute percentage error of Guangdong births forecasts by horizon, births
    paths vs naive baselines. Right: APE of the Qingyuan enrolment forecasts made as of
    earlier origins, per level (cohort model vs carry-forward)."""
    fig, axes = new_figure(1, 2, figsize=(11, 4.5))
    left, right = axes[0]
    gd = mape_by_horizon(backtest[backtest["series"] == "guangdong_births"])
    for method, g in gd.groupby("method", sort=True):
        naive = not method.startswith("path_")
        left.plot(g["horizon"], g["mape"], marker="o", linestyle="--" if naive else "-",
                  color=SCENARIO_COLORS.get(method.removeprefix("path_"), "0.4"), label=method,
                  zorder=3 if naive else 2)
    year_axis(left)
    left.set_title(bilingual("广东出生人数 回测", "Guangdong births back-test"))
    left.set_xlabel(bilingual("预测步长（年）", "Horizon (years)"))
    left.set_ylabel(bilingual("平均绝对百分比误差 %", "MAPE %"))
    left.legend()
    qy = backtest[backtest["series"].str.startswith("qingyuan_")].reset_index(drop=True)
    qy = qy.assign(label=[f"{level_label(s.removeprefix('qingyuan_')).split(' ')[0]} "
                          f"{o}→{t}" for s, o, t in zip(qy["series"], qy["origin"],
                                                       qy["target_year"], strict=True)])
    ypos = {lab: i for i, lab in enumerate(dict.fromkeys(qy["label"]))}
    for method, g in qy.groupby("method", sort=True):
        model = method.startswith("cohort_model")
        right.scatter(g["ape"], g["label"].map(ypos), marker="o" if model else "s",
                      color="#0072B2" if model else "0.45", label=method, zorder=3)
    right.set_yticks(list(ypos.values()), list(ypos))
    right.set_title(bilingual("清远在校生 回测", "Qingyuan enrolment back-test"))
    right.set_xlabel(bilingual("绝对百分比误差 %", "Absolute percentage error %"))
    right.legend()
    fig.suptitle(bilingual("回测：按预测步长的误差", "Back-test: forecast error by horizon"))
    return fig


def accuracy_chart(acc, levels=("primary", "junior_secondary"), info="qingyuan_like",
                   leads=(1, 2, 3, 4, 5)) -> Figure:
    """Honest-in-time accuracy (``honest_accuracy.csv``, sample ``in``, information ``info``).
    Top: MAPE (%) by lead of the published method against the naive baselines, one panel
    per level; a filled marker where its gain over the best baseline has an interval that
    excludes zero. Bottom: share of outturns inside the method's p05–p95 band (the 85–95 %
    target shaded), with the number of areas behind each point."""
    cells = honest_cells(acc, leads=leads)
    cells = cells[cells["info"] == info]
    fig, axes = new_figure(2, len(levels), figsize=(5.5 * len(levels), 7), sharex=True)
    styles = {PUBLISHED_METHOD: ("-", "o", "#0072B2"), "hold_factor": ("--", "s", "0.35"),
              "carry_forward": (":", "^", "0.6"), "intake_survival": ("-.", "D", "#E69F00"),
              "damped_trend": ((0, (1, 3)), "v", "#CC79A7")}
    for j, lv in enumerate(levels):
        top, bottom = axes[0][j], axes[1][j]
        a = cells[cells["level"] == lv]
        for m, (ls, mk, col) in styles.items():
            g = a[a["method"] == m].sort_values("lead")
            if g["mape"].notna().any():
                top.plot(g["lead"], g["mape"], linestyle=ls, marker=mk, color=col,
                         label=HONEST_METHOD_LABELS[m], mfc="white" if m == PUBLISHED_METHOD
                         else col)
        g = a[a["method"] == PUBLISHED_METHOD].sort_values("lead")
        gain = g[g["verdict"] == "gain"]
        top.plot(gain["lead"], gain["mape"], linestyle="none", marker="o", color="#0072B2",
                 label=bilingual("增益（区间不含零）", "gain (interval excludes 0)"))
        top.set_title(level_label(lv))
        top.set_ylabel(bilingual("平均绝对百分比误差 %", "MAPE %"))
        top.legend(fontsize=7)
        c = g[g["coverage_p05_p95"].notna()]
        bottom.axhspan(85, 95, color="#009E73", alpha=0.15, lw=0)
        bottom.plot(c["lead"], c["coverage_p05_p95"], marker="o", color="#0072B2")
        for h, cv, n in zip(c["lead"], c["coverage_p05_p95"], c["areas"], strict=True):
            bottom.annotate(f"{n}", (h, cv), textcoords="offset points", xytext=(0, 6),
                            ha="center", fontsize=8)
        bottom.set_ylim(0, 105)
        bottom.set_ylabel(bilingual("p05–p95 覆盖率 %", "p05–p95 coverage %"))
        bottom.set_xlabel(bilingual("提前年数", "Lead (years)"))
        year_axis(bottom)
    zh, en = INFO_LABELS[info].split(" ", 1)
    fig.suptitle(bilingual(f"按时间诚实回测的准确度，{zh}（数字 = 地区数）",
                           f"Accuracy back-tested honest in time, {en} (numbers = areas)"))
    return fig
