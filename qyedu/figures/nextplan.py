"""15th-plan figures (page 90): the city's turning points (peak year of each level with its
band over draws, the 2026–2030 period shaded) and, per county, the junior shortage against the
idle primary places in one year (never netted: a bar each). Inputs: ``turning_points.csv`` and
``next_plan.csv`` (``qyedu.nextplan``); every number drawn comes from them."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import plotting
from ..labels import CITY, level_label

PEAK_LEVELS = ("preschool", "primary", "junior_secondary", "senior_general",
               "senior_vocational")


def peaks_chart(turning_points: pd.DataFrame):
    """City peak year per level: p50 (dot) and p05–p95 of the draws' peak years (line);
    the 15th plan's years shaded."""
    plotting.apply_style()
    t = turning_points[(turning_points["county"] == CITY)
                       & (turning_points["quantity"] == "peak_year")].set_index("level")
    levels = [lv for lv in PEAK_LEVELS if lv in t.index]
    fig, ax = plt.subplots(figsize=(8.5, 3.8))
    ax.axvspan(2025.5, 2030.5, color="#DDDDDD", alpha=0.6,
               label=plotting.bilingual("十五五 2026–2030", "15th plan"))
    for i, lv in enumerate(levels):
        r = t.loc[lv]
        color = plotting.LEVEL_COLORS.get(lv, "#444444")
        ax.plot([r["p05"], r["p95"]], [i, i], color=color, linewidth=3, alpha=0.6)
        ax.plot([r["p50"]], [i], "o", color=color, markersize=8)
        ax.annotate(str(int(round(r["p50"]))), (r["p50"], i), textcoords="offset points",
                    xytext=(0, 7), ha="center", fontsize=8)
    ax.set_yticks(np.arange(len(levels)), [level_label(lv) for lv in levels])
    ax.set_xlabel(plotting.bilingual("在校生峰值年（点：中位数；线：5–95%）",
                                     "Peak year of enrolment (dot: median; line: 5–95 %)"))
    ax.set_title(plotting.bilingual("各学段在校生何时见顶（全市）",
                                    "When enrolment peaks, by level (city)"))
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    plt.close(fig)
    return fig


def county_chart(next_plan: pd.DataFrame, year: int = 2030):
    """Per county: junior shortage and idle primary places in ``year`` (p50 bars, p05–p95
    whiskers), side by side, in 万 places; the city total is left out (it is their sum)."""
    plotting.apply_style()
    n = next_plan[(next_plan["year"] == year) & (next_plan["county"] != CITY)]
    parts = [("places_shortage", "junior_secondary", "初中学位缺口", "Junior shortage"),
             ("places_idle", "primary", "小学闲置学位", "Idle primary places")]
    counties = sorted(set(n["county"]))
    fig, ax = plt.subplots(figsize=(8.5, 4.6))
    y = np.arange(len(counties))
    for k, (iid, lv, zh, en) in enumerate(parts):
        q = n[(n["indicator_id"] == iid) & (n["level"] == lv)].set_index("county").reindex(
            counties)
        mid = q["p50"].to_numpy() / 1e4
        err = np.vstack([mid - q["p05"].to_numpy() / 1e4, q["p95"].to_numpy() / 1e4 - mid])
        ax.barh(y + (k - 0.5) * 0.38, mid, height=0.36, xerr=err,
                color=plotting.LEVEL_COLORS[lv], alpha=0.85, error_kw={"linewidth": 0.8},
                label=plotting.bilingual(zh, en))
    ax.set_yticks(y, counties)
    ax.set_xlabel(plotting.bilingual("万个学位（中位数，5–95%）",
                                     "10,000 places (median, 5–95 %)"))
    ax.set_title(f"{year} 年各县区：初中缺口与小学闲置（不相抵）\n{year} by county: junior "
                 "shortage and idle primary places (not netted)")
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    plt.close(fig)
    return fig
