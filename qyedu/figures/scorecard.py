"""Scorecard figure: number of targets by level and status (horizontal stacked bars), from
``qyedu.scorecard.status_counts``; the status colours run from met (green) to no data (grey)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import plotting
from ..labels import level_label, status_label
from ..scorecard import STATUSES, status_counts

STATUS_COLORS = {"met": "#009E73", "on_track": "#56B4E9", "at_risk": "#E69F00",
                 "missed": "#D55E00", "no_data": "#BBBBBB"}


def status_chart(scorecard: pd.DataFrame):
    """Targets per level (rows, largest first) stacked by status, with the city-wide totals
    by status in the legend."""
    plotting.apply_style()
    counts = status_counts(scorecard).set_index("level")
    totals = counts.loc["all"]
    counts = counts.drop(index="all").sort_values("total")
    fig, ax = plt.subplots(figsize=(8.5, 5.0))
    y = np.arange(len(counts))
    left = np.zeros(len(counts))
    for st in STATUSES:
        vals = counts[st].to_numpy()
        ax.barh(y, vals, left=left, color=STATUS_COLORS[st], height=0.7,
                label=f"{status_label(st)} ({totals[st]})")
        left += vals
    ax.set_yticks(y, [level_label(lv) for lv in counts.index])
    ax.set_xlabel(plotting.bilingual("目标数（项）", "Number of targets"))
    ax.set_ylabel(plotting.bilingual("学段 / 领域", "Level / area"))
    ax.set_title(plotting.bilingual(f"规划目标状态（共 {int(totals['total'])} 项）",
                                    f"Status of the plan's targets ({int(totals['total'])})"))
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    plt.close(fig)
    return fig
