"""Births figures: the reconstruction of past births (two anchored methods, their mixture's
p05–p95 band, the published counts) and the future paths by scenario (p05–p95 of draws)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..labels import scenario_label
from ..plotting import OBSERVED_COLOR, SCENARIO_COLORS, bilingual, new_figure, year_axis
from ..projection.scenarios import as_table

BIRTHS_WAN = bilingual("出生人口（万人）", "Births (10,000)")
YEAR = bilingual("年份", "Year")
METHOD_STYLE = {"share_of_guangdong": ("#0072B2", "占广东份额法 Share of Guangdong"),
                "rate_ratio": ("#D55E00", "出生率比法 Rate ratio")}
WAN = 10_000


def reconstruction_chart(table: pd.DataFrame) -> Figure:
    """Past births by year from ``views.births.births_table``: each method (line), the
    mixture's p05–p95 band and median, and the published counts (dots)."""
    fig, axes = new_figure(figsize=(9, 4.8))
    ax = axes[0, 0]
    yrs = table.index.to_numpy()
    ax.fill_between(yrs, table["p05"] / WAN, table["p95"] / WAN, color="0.6", alpha=0.3,
                    linewidth=0, label=bilingual("混合 p05–p95", "Mixture p05–p95"))
    ax.plot(yrs, table["p50"] / WAN, color="0.3", linewidth=1.2,
            label=bilingual("混合中位数", "Mixture median"))
    for method, (color, label) in METHOD_STYLE.items():
        ax.plot(yrs, table[method] / WAN, color=color, linestyle="--", linewidth=1.2, label=label)
    obs = table[table["kind"] == "observed"]
    ax.plot(obs.index, obs["p50"] / WAN, "o", color=OBSERVED_COLOR, markersize=6,
            label=bilingual("公布出生数", "Published count"))
    extra = table.index[table["kind"] == "extrapolated"]
    for run in np.split(extra, np.where(np.diff(extra) > 1)[0] + 1):
        if len(run):
            ax.axvspan(run[0] - 0.5, run[-1] + 0.5, color="#F0E442", alpha=0.15, linewidth=0)
    year_axis(ax)
    ax.set_xlabel(YEAR)
    ax.set_ylabel(BIRTHS_WAN)
    ax.legend(loc="lower left", fontsize=8)
    ax.set_title(f"清远出生人口重建（截至 {yrs.max()} 年数据；黄色为外推年份）\n"
                 f"Qingyuan births reconstructed with data up to {yrs.max()} "
                 f"(shaded yellow: extrapolated years)")
    return fig


def future_paths_chart(results) -> Figure:
    """Births from the first reconstructed year to the horizon: the reconstructed past
    (median, grey band) and each scenario after the base year (median, p05–p95 band).
    ``results``: the build's ``scenarios.csv`` (or a dict scenario → ProjectionResult)."""
    t = as_table(results)
    t = t[t["quantity"] == "births"]
    fig, axes = new_figure(figsize=(9, 4.8))
    ax = axes[0, 0]
    first = t[t["scenario"] == t["scenario"].iloc[0]]
    base = int(first["base_year"].iloc[0])
    past = first[first["year"] <= base]
    ax.fill_between(past["year"], past["p05"] / WAN, past["p95"] / WAN, color="0.6", alpha=0.3,
                    linewidth=0)
    ax.plot(past["year"], past["p50"] / WAN, color=OBSERVED_COLOR,
            label=bilingual("重建（过去）", "Reconstructed (past)"))
    for name in dict.fromkeys(t["scenario"]):
        d = t[(t["scenario"] == name) & (t["year"] >= base)]
        color = SCENARIO_COLORS.get(name, "0.4")
        ax.fill_between(d["year"], d["p05"] / WAN, d["p95"] / WAN, color=color, alpha=0.15,
                        linewidth=0)
        ax.plot(d["year"], d["p50"] / WAN, color=color, label=scenario_label(name))
    ax.axvline(base, color="0.5", linestyle=":", linewidth=1)
    year_axis(ax)
    ax.set_xlabel(YEAR)
    ax.set_ylabel(BIRTHS_WAN)
    ax.legend(loc="lower left")
    ax.set_title(f"清远出生人口：过去重建与未来情景（中位数与 p05–p95，基期 {base}）\n"
                 f"Qingyuan births: reconstruction and future scenarios (median, p05–p95), "
                 f"base year {base}")
    return fig
