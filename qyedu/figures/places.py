"""School-places figures: places needed against capacity by level; each plan promise
against the additional places needed; the promise view and the capacity view per level;
one panel per county (fan charts: median and 5–95 % band). Inputs are the
tables of ``qyedu.places.tables``; every number drawn comes from them."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from .. import plotting
from ..labels import level_label, promise_label
from ..places.promises import PROMISES
from ..projection.result import CITY
from ..views.places import target_year

GROUPS = ("preschool", "compulsory", "senior_general")
GROUP_COLORS = {"preschool": plotting.LEVEL_COLORS["preschool"],
                "compulsory": plotting.LEVEL_COLORS["primary"],
                "senior_general": plotting.LEVEL_COLORS["senior_general"]}
YEAR_LABEL = plotting.bilingual("学年（起始年）", "School year (start)")


def _series(t: pd.DataFrame, **keys) -> pd.DataFrame:
    mask = pd.Series(True, index=t.index)
    for k, v in keys.items():
        mask &= t[k] == v
    return t[mask].sort_values("year")


def demand_capacity_chart(demand: pd.DataFrame):
    """One panel per group: places needed (fan) and the capacity path (line), whole city."""
    plotting.apply_style()
    fig, axes = plt.subplots(1, len(GROUPS), figsize=(12, 4.2))
    city = demand[demand["county"] == CITY]
    for ax, group in zip(axes, GROUPS, strict=True):
        need = _series(city, level=group, quantity="places_needed")
        cap = _series(city, level=group, quantity="capacity")
        need = need[need["year"] >= cap["year"].min()]
        plotting.fan_chart(ax, need["year"], need["p05"] / 1e4, need["p50"] / 1e4,
                           need["p95"] / 1e4, plotting.bilingual("需求", "Needed"),
                           GROUP_COLORS[group])
        ax.plot(cap["year"], cap["p50"] / 1e4, color=plotting.OBSERVED_COLOR, linestyle="--",
                linewidth=1.4, label=plotting.bilingual("容量", "Capacity"))
        ax.set_title(level_label(group))
        ax.set_xlabel(YEAR_LABEL)
    axes[0].set_ylabel(plotting.bilingual("学位（万个）", "Places (10,000)"))
    axes[0].legend(loc="best")
    fig.suptitle(plotting.bilingual("学位需求与容量（全市，中位数与 5–95% 区间）",
                                    "Places needed vs capacity (city, median and 5–95 % band)"))
    fig.tight_layout()
    plt.close(fig)
    return fig


def promise_chart(promises: pd.DataFrame):
    """One panel per promise: additional places needed since the promise's base year (fan)
    against the promised places (line); the target year and the modal peak year marked."""
    plotting.apply_style()
    fig, axes = plt.subplots(1, len(PROMISES), figsize=(12, 4.2), sharex=True)
    for ax, pid in zip(axes, PROMISES, strict=True):
        t = promises[promises["promise"] == pid]
        group = PROMISES[pid]["group"]
        need = _series(t, quantity="additional_places_needed")
        prom = _series(t, quantity="promised_places")
        plotting.fan_chart(ax, need["year"], need["p05"] / 1e4, need["p50"] / 1e4,
                           need["p95"] / 1e4, plotting.bilingual("需新增", "Needed"),
                           GROUP_COLORS[group])
        ax.plot(prom["year"], prom["p50"] / 1e4, color=plotting.OBSERVED_COLOR, linestyle="--",
                linewidth=1.4, label=plotting.bilingual("承诺", "Promised"))
        ax.axhline(0, color="#888888", linewidth=0.8)
        ax.axvline(target_year(promises, pid), color="#888888", linestyle=":", linewidth=1)
        peak = int(_series(t, quantity="peak_year_mode")["p50"].iloc[0])
        at_peak = need[need["year"] == peak]
        if len(at_peak):
            ax.plot([peak], at_peak["p50"] / 1e4, "v", color=GROUP_COLORS[group],
                    markersize=7, label=plotting.bilingual(f"峰值 {peak}", f"Peak {peak}"))
        ax.set_title(promise_label(pid), fontsize=10)
        ax.set_xlabel(YEAR_LABEL)
        ax.legend(loc="best", fontsize=8)
    axes[0].set_ylabel(plotting.bilingual("新增学位（万个）", "Places added (10,000)"))
    fig.suptitle(plotting.bilingual("学位承诺与新增需求（点线：目标年）",
                                    "Promised vs additional places needed (dotted: target year)"))
    fig.tight_layout()
    plt.close(fig)
    return fig


def county_chart(demand: pd.DataFrame, level: str = "compulsory"):
    """Small multiples, one panel per county: places needed (fan) against capacity (dashed,
    p50), with the years of shortage shaded. Each county on its own scale (places)."""
    plotting.apply_style()
    d = demand[(demand["level"] == level) & (demand["county"] != CITY)]
    counties = list(dict.fromkeys(d["county"]))
    ncols = 4
    nrows = -(-len(counties) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(13, 3.1 * nrows), squeeze=False)
    color = plotting.LEVEL_COLORS.get(level, GROUP_COLORS.get(level, "#0072B2"))
    for ax, county in zip(axes.flat, counties, strict=False):
        c = d[d["county"] == county]
        cap = _series(c, quantity="capacity")
        need = _series(c, quantity="places_needed")
        need = need[need["year"] >= cap["year"].min()]
        short = _series(c, quantity="shortage")
        plotting.fan_chart(ax, need["year"], need["p05"] / 1e3, need["p50"] / 1e3,
                           need["p95"] / 1e3, plotting.bilingual("需求", "Needed"), color)
        ax.plot(cap["year"], cap["p50"] / 1e3, color=plotting.OBSERVED_COLOR, linestyle="--",
                linewidth=1.3, label=plotting.bilingual("容量", "Capacity"))
        for y in short.loc[short["p50"] > 0, "year"]:
            ax.axvspan(y - 0.5, y + 0.5, color="#D55E00", alpha=0.12, linewidth=0)
        ax.set_title(county, fontsize=10)
        plotting.year_axis(ax)
    for ax in list(axes.flat)[len(counties):]:
        ax.set_visible(False)
    axes[0][0].set_ylabel(plotting.bilingual("学位（千个）", "Places (1,000)"))
    axes[0][0].legend(loc="best", fontsize=8)
    fig.suptitle(plotting.bilingual(
        f"{level_label(level)}：各县区学位需求与容量（阴影：中位数缺口年份）",
        "by county: places needed vs capacity (shaded: median shortage years)"))
    fig.tight_layout()
    plt.close(fig)
    return fig


LEVELS4 = ("preschool", "primary", "junior_secondary", "senior_general")


def answers_chart(answers: pd.DataFrame):
    """One panel per level (never a net of levels): (a) places needed since 2020 (fan), (b)
    the sum of county shortages against capacity with delivered + planned places (fan), the
    delivered + planned places (dotted), the promise where it is of this level alone, and the
    year the shortage peaks (marker)."""
    plotting.apply_style()
    fig, axes = plt.subplots(1, len(LEVELS4), figsize=(14, 4.3))
    for ax, lv in zip(axes, LEVELS4, strict=True):
        t = answers[answers["level"] == lv]
        need = _series(t, quantity="promise_need")
        short = _series(t, quantity="capacity_shortage")
        pipe = _series(t, quantity="pipeline_places")
        sur = _series(t, quantity="promise_surplus")
        color = plotting.LEVEL_COLORS.get(lv, "#0072B2")
        plotting.fan_chart(ax, need["year"], need["p05"] / 1e4, need["p50"] / 1e4,
                           need["p95"] / 1e4, plotting.bilingual("(a) 较2020需新增", "(a) need vs 2020"),
                           color)
        plotting.fan_chart(ax, short["year"], short["p05"] / 1e4, short["p50"] / 1e4,
                           short["p95"] / 1e4, plotting.bilingual("(b) 各县缺口之和",
                                                                  "(b) sum of county shortages"),
                           "#D55E00")
        if len(sur):
            promised = (need["p50"].to_numpy() + sur["p50"].to_numpy())[0]
            ax.axhline(promised / 1e4, color=plotting.OBSERVED_COLOR, linestyle="--",
                       linewidth=1.3, label=plotting.bilingual("承诺", "Promised"))
        ax.plot(pipe["year"], pipe["p50"] / 1e4, color="#555555", linestyle=":", linewidth=1.5,
                label=plotting.bilingual("已交付+计划", "Delivered + planned"))
        peak = _series(t, quantity="shortage_peak_year")
        if len(peak):
            y = int(round(peak["p50"].iloc[0]))
            at = short[short["year"] == y]
            if len(at):
                ax.plot([y], at["p50"] / 1e4, "v", color="#D55E00", markersize=7,
                        label=plotting.bilingual(f"缺口峰值 {y}", f"Shortage peak {y}"))
        ax.axhline(0, color="#888888", linewidth=0.8)
        ax.set_title(level_label(lv), fontsize=10)
        ax.set_xlabel(YEAR_LABEL)
        plotting.year_axis(ax)
        ax.legend(loc="best", fontsize=7)
    axes[0].set_ylabel(plotting.bilingual("学位（万个）", "Places (10,000)"))
    fig.suptitle(plotting.bilingual("各学段：承诺视角与容量视角（不跨学段抵消；中位数与 5–95% 区间）",
                                    "By level, never netted: promise view and capacity view "
                                    "(median and 5–95 % band)"))
    fig.tight_layout()
    plt.close(fig)
    return fig
