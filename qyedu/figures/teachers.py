"""Teacher figures: full-time teachers needed by level (fan charts), hires per year by level
(stacked medians with the all-level 5–95 % band), and the share of hires that must hold the
qualification under each version of the plan's target. Inputs: ``qyedu.teachers.tables``."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import plotting
from ..labels import level_label
from ..projection.result import CITY
from ..teachers.demand import FLOW_LEVELS, LEVELS
from ..views.teachers import VERSION_LABELS, qualification_mix

YEAR_LABEL = plotting.bilingual("学年（起始年）", "School year (start)")


def _city(t: pd.DataFrame, quantity: str) -> pd.DataFrame:
    return t[(t["county"] == CITY) & (t["quantity"] == quantity)].sort_values("year")


def demand_chart(demand: pd.DataFrame):
    """Full-time teachers (专任教师) needed per level under the headline rules, whole city."""
    plotting.apply_style()
    fig, ax = plt.subplots(figsize=(8.5, 4.5))
    t = _city(demand, "teachers_needed")
    for lv in LEVELS:
        g = t[t["level"] == lv]
        plotting.fan_chart(ax, g["year"], g["p05"], g["p50"], g["p95"], level_label(lv),
                           plotting.LEVEL_COLORS[lv])
    ax.set_title(plotting.bilingual("专任教师需求（全市，中位数与 5–95% 区间）",
                                    "Full-time teachers needed (city, median and 5–95 % band)"))
    ax.set_xlabel(YEAR_LABEL)
    ax.set_ylabel(plotting.bilingual("专任教师（人）", "Full-time teachers"))
    ax.legend(loc="best")
    fig.tight_layout()
    plt.close(fig)
    return fig


def hiring_chart(hiring: pd.DataFrame):
    """Hires per year: stacked medians by level, and the all-level median with its 5–95 %
    range as error bars (hires = demand of the next year − stock left after leavers, if > 0)."""
    plotting.apply_style()
    fig, ax = plt.subplots(figsize=(8.5, 4.5))
    h = _city(hiring, "hires")
    bottom = None
    for lv in FLOW_LEVELS:
        g = h[h["level"] == lv]
        years, vals = g["year"].to_numpy(), g["p50"].to_numpy()
        ax.bar(years, vals, bottom=bottom, color=plotting.LEVEL_COLORS[lv], width=0.75,
               label=level_label(lv))
        bottom = vals if bottom is None else bottom + vals
    tot = h[h["level"] == "all"]
    err = np.vstack([tot["p50"] - tot["p05"], tot["p95"] - tot["p50"]])
    ax.errorbar(tot["year"], tot["p50"], yerr=err, fmt="o", color=plotting.OBSERVED_COLOR,
                markersize=3, capsize=2, label=plotting.bilingual("合计 p05–p95", "All p05–p95"))
    ax.set_title(plotting.bilingual("每年需招聘专任教师（次年需求 − 离开后存量，富余不裁减）",
                                    "Teachers to hire per year (next year's demand − stock after "
                                    "leavers; no layoffs)"))
    ax.set_xlabel(YEAR_LABEL)
    ax.set_ylabel(plotting.bilingual("招聘（人）", "Hires"))
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    plt.close(fig)
    return fig


def qualification_chart(quals: pd.DataFrame):
    """Share of hires that must hold the qualification (p50) per level, one bar per version
    of the plan's target; above 100 % the target cannot be reached by hiring alone."""
    plotting.apply_style()
    mix = qualification_mix(quals)
    fig, ax = plt.subplots(figsize=(8.5, 4.2))
    y = np.arange(len(mix))
    for i, (ver, color) in enumerate((("table", "#0072B2"), ("专栏9", "#D55E00"))):
        name = VERSION_LABELS[ver]
        vals = mix[f"新招需达标 Share of hires {name} %"]
        tgt = mix[f"目标 Target {name} %"]
        bars = ax.barh(y + (i - 0.5) * 0.38, vals.fillna(0), height=0.36, color=color,
                       label=plotting.bilingual(f"目标版本 {name}", ""))
        for b, v, tg, nb in zip(bars, vals, tgt, mix["无基线 No outturn"], strict=True):
            if pd.isna(tg):
                continue
            text = ("无基线 no outturn" if nb else "无招聘 no hires") if pd.isna(v) else (
                f"{v:.0f}%（目标 target {tg:.0f}%）")
            ax.text(max(b.get_width(), 0) + 2, b.get_y() + b.get_height() / 2, text,
                    va="center", fontsize=8)
    ax.axvline(100, color=plotting.OBSERVED_COLOR, linestyle="--", linewidth=1)
    ax.set_yticks(y, [f"{lv}\n{q}" for lv, q in zip(mix.index, mix["学历 Qualification"],
                                                     strict=True)])
    ax.invert_yaxis()
    shares = mix.filter(like="Share of hires").to_numpy(dtype=float)
    top = float(np.nanmax(shares)) if np.isfinite(shares).any() else 0.0
    ax.set_xlim(0, max(160, top + 50))
    ax.set_xlabel(plotting.bilingual("新招教师中须达标的比例（%）", "Share of hires that must qualify (%)"))
    ax.set_ylabel(plotting.bilingual("学段 · 学历", "Level · qualification"))
    end = int(quals.loc[quals["quantity"] == "target_share", "year"].max())
    ax.set_title(plotting.bilingual(f"{end} 年学历目标：新招教师须达标比例",
                                    f"{end} targets: share of hires that must qualify"))
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    plt.close(fig)
    return fig


def stock_chart(hiring: pd.DataFrame):
    """Teachers in post (solid) against teachers needed (dashed) per level, p50, whole city:
    the gap between them is the surplus carried (no layoffs)."""
    plotting.apply_style()
    fig, ax = plt.subplots(figsize=(8.5, 4.5))
    d = hiring[hiring["county"] == CITY]
    for lv in FLOW_LEVELS:
        color = plotting.LEVEL_COLORS.get(lv, "#777777")
        for q, style in (("stock", "-"), ("demand", "--")):
            g = d[(d["level"] == lv) & (d["quantity"] == q)].sort_values("year")
            ax.plot(g["year"], g["p50"], style, color=color,
                    label=level_label(lv) if q == "stock" else None)
    ax.set_title(plotting.bilingual("教师存量（实线）与需求（虚线），p50",
                                    "Teachers in post (solid) and needed (dashed), p50"))
    ax.set_xlabel(YEAR_LABEL)
    ax.set_ylabel(plotting.bilingual("专任教师（人）", "Full-time teachers"))
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    plt.close(fig)
    return fig


def qualification_path_chart(quals: pd.DataFrame):
    """Qualified share of the stock per year (p50 with 5–95 % band) for the measures with a
    published baseline, and each version of the 2025 target as a marker (table ●, other ◆)."""
    plotting.apply_style()
    fig, ax = plt.subplots(figsize=(8.5, 4.5))
    p = quals[(quals["quantity"] == "qualified_share") & quals["p50"].notna()]
    for i, ((lv, qual), g) in enumerate(p.groupby(["level", "qualification"], sort=False)):
        g = g.sort_values("year")
        color = plotting.LEVEL_COLORS.get(lv, "#777777")
        plotting.fan_chart(ax, g["year"], 100 * g["p05"], 100 * g["p50"], 100 * g["p95"],
                           f"{level_label(lv)} {qual}", color)
        t = quals[(quals["level"] == lv) & (quals["qualification"] == qual)
                  & (quals["quantity"] == "target_share")]
        for _, r in t.iterrows():
            ax.plot(r["year"] + 0.1 * i, 100 * r["p50"], "o" if r["version"] == "table" else "D",
                    color=color, markersize=6)
    ax.set_title(plotting.bilingual("学历达标比例与 2025 目标（●表 ◆其他版本）",
                                    "Qualified share and 2025 targets"))
    ax.set_xlabel(YEAR_LABEL)
    ax.set_ylabel(plotting.bilingual("达标比例（%）", "Qualified share (%)"))
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    plt.close(fig)
    return fig
