"""Another area's forecast against outturns it never saw: the chart of ``qyedu.area_check``'s
table (what ``qyedu forecast --area-data … --outturns`` prints), one panel per level.

Created with pyplot and closed at once, as every figure of the package: a notebook cell
that ends with the returned figure shows it once."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..labels import LEVELS, level_label
from ..plotting import LEVEL_COLORS, bilingual, new_figure

WAN = 10_000
MISS_COLOR = "#D55E00"  # vermilion (Okabe–Ito): an outturn outside p05–p95


def check_chart(check: pd.DataFrame, area: str = "") -> Figure:
    """One panel per level of ``check`` (``projection.area_check.CHECK_COLUMNS``): for each
    outturn year the forecast's p05–p95 (bar) and p50 (tick), and the outturn (dot inside
    the band, cross outside); the panel title counts the outturns inside. Pupils in 10,000s.
    ``area`` names the area in the title."""
    if check is None or check.empty:
        raise ValueError("no outturn to chart: the check table is empty")
    levels = [lv for lv in LEVELS if lv in set(check["level"])]
    levels += [lv for lv in dict.fromkeys(check["level"]) if lv not in levels]
    fig, axes = new_figure(1, len(levels), figsize=(4.2 * len(levels), 4))
    for ax, lv in zip(axes[0], levels, strict=True):
        g = check[check["level"] == lv].sort_values("year")
        x = g["year"].to_numpy()
        colour = LEVEL_COLORS.get(lv, "0.4")
        ax.vlines(x, g["p05"] / WAN, g["p95"] / WAN, color=colour, alpha=0.35, linewidth=9,
                  label=bilingual("预测 p05–p95", "Forecast p05–p95"))
        ax.plot(x, g["p50"] / WAN, "_", color=colour, markersize=16, markeredgewidth=2,
                label=bilingual("预测中位数", "Forecast median"))
        inside = g["inside"].astype(bool).to_numpy()
        y = g["outturn"].to_numpy() / WAN
        ax.plot(x[inside], y[inside], "o", color="black", markersize=5,
                label=bilingual("实际（区间内）", "Outturn inside"))
        if (~inside).any():
            ax.plot(x[~inside], y[~inside], "x", color=MISS_COLOR, markersize=8,
                    markeredgewidth=2, label=bilingual("实际（区间外）", "Outturn outside"))
        k, n = int(inside.sum()), len(g)
        ax.set_title(f"{level_label(lv)}\n{bilingual(f'{n} 个中 {k} 个在区间内', f'{k} of {n} inside')}")
        ax.set_xlim(float(np.min(x)) - 0.6, float(np.max(x)) + 0.6)
        ax.set_xticks(sorted(set(int(v) for v in x)))  # whole school years only
        ax.set_xlabel(bilingual("学年（起始年）", "School year (starting)"))
    axes[0][0].set_ylabel(bilingual("在校生（万人）", "Pupils (10,000)"))
    handles = {}
    for ax in axes[0]:  # one legend for the figure: the labels of every panel, once
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(lab, h)
    fig.legend(list(handles.values()), list(handles), loc="outside lower center",
               ncols=len(handles), fontsize="small")
    k, n = int(check["inside"].astype(bool).sum()), len(check)
    name = f"{area}：" if area else ""
    fig.suptitle(bilingual(f"{name}预测与后来的实际值（{n} 个中 {k} 个在 p05–p95 内）",
                           f"Forecast against later outturns ({k} of {n} inside p05–p95)"))
    return fig
