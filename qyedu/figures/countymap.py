"""County tile map of the places shortage (page 30): one square tile per county-level unit,
placed by ``qyedu.views.countymap.tile_layout`` from the county seats' coordinates (cited
package data, no boundary drawn), coloured by the mean shortage of a level in its peak year
(``places_demand.csv``: max(0, needed − capacity) per county and draw, never netted), labelled
in Chinese and English with the mean and the p95."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib import colors
from matplotlib.patches import Rectangle

from .. import plotting
from ..labels import level_label
from ..views.countymap import county_shortage
from ..views.format import count
from ..views.places import shortage_peak_year

LEVELS = ("primary", "junior_secondary")
SHORT_ZH = {"连山壮族瑶族自治县": "连山壮族\n瑶族自治县", "连南瑶族自治县": "连南瑶族\n自治县"}
SHORT_EN = {"Lianshan Zhuang and Yao Autonomous County": "Lianshan Zhuang and\nYao Aut. County",
            "Liannan Yao Autonomous County": "Liannan Yao\nAut. County"}


def _panel(ax, t, title: str, norm, cmap) -> None:
    for r in t.itertuples(index=False):
        x, y = r.col, -r.row
        ax.add_patch(Rectangle((x, y), 0.94, 0.94, facecolor=cmap(norm(r.mean)),
                               edgecolor="white", linewidth=1.5))
        dark = norm(r.mean) > 0.55
        ink = "white" if dark else "#222222"
        zh = SHORT_ZH.get(r.name_zh, r.name_zh)
        ax.text(x + 0.47, y + 0.78, zh, ha="center", va="center",
                fontsize=7 if "\n" in zh else 8, color=ink, linespacing=1.0)
        ax.text(x + 0.47, y + 0.50, SHORT_EN.get(r.name_en, r.name_en), ha="center",
                va="center", fontsize=5.5, color=ink, linespacing=1.0)
        ax.text(x + 0.47, y + 0.30, count(r.mean), ha="center", va="center", fontsize=8,
                color=ink)
        ax.text(x + 0.47, y + 0.12, f"p95 {count(r.p95)}", ha="center", va="center",
                fontsize=5.5, color=ink)
    ax.set_xlim(-0.1, t["col"].max() + 1.04)
    ax.set_ylim(-t["row"].max() - 0.1, 1.04)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=10)


def county_tile_map(demand, levels: tuple[str, ...] = LEVELS):
    """One panel per level: each county's tile coloured by its mean shortage of that level in
    the year the city's summed county shortage peaks (median), one colour scale for all."""
    plotting.apply_style()
    panels = []
    for lv in levels:
        year = shortage_peak_year(demand, lv)
        panels.append((lv, year, county_shortage(demand, lv, year)))
    top = max(1.0, max(float(t["mean"].max()) for *_, t in panels))
    norm, cmap = colors.Normalize(0, top), plt.get_cmap("YlOrRd")
    fig, axes = plt.subplots(1, len(panels), figsize=(5.4 * len(panels), 5.6))
    axes = list(axes) if len(panels) > 1 else [axes]
    for ax, (lv, year, t) in zip(axes, panels, strict=True):
        _panel(ax, t, f"{level_label(lv)} · {year}", norm, cmap)
    bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=axes, shrink=0.7,
                       orientation="horizontal", pad=0.04, aspect=40)
    bar.ax.xaxis.set_major_formatter(lambda v, _: count(v))
    bar.set_label(plotting.bilingual("缺口学位（抽样均值）", "Places short (mean over draws)"))
    # the year of the largest median (not the median of each draw's peak year, which the
    # page's level table and the decision box print): said so, as the two can differ
    fig.suptitle("各县区学位缺口地图（全市缺口中位数最大的年份，各县不相抵）\n"
                 "County tile map of the places shortage (the year of the largest median "
                 "shortage, counties never netted)")
    fig.text(0.5, 0.005, plotting.bilingual(
        "方块按县城（区政府驻地）坐标排布，不表示面积；数字为抽样均值与第 95 百分位。",
        "Tiles placed by county-seat coordinates (DataV), not areas; numbers: mean and p95."),
        ha="center", fontsize=7, color="#555555")
    plt.close(fig)
    return fig
