"""Plan figure: what the audit of the plan text found, flags per rule stacked by severity."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ..plotting import bilingual, new_figure
from ..views.plan import SEVERITY_LABELS, flags_by_rule

SEVERITY_COLORS = {"error": "#D55E00", "warning": "#E69F00", "info": "#999999"}


def flags_chart(flags: pd.DataFrame) -> Figure:
    """Horizontal bars: number of audit flags per rule (bilingual), stacked by severity
    (error, warning, info); most severe rules at the top."""
    table = flags_by_rule(flags)
    fig, axes = new_figure(figsize=(9, 0.32 * len(table) + 1.6))
    ax = axes[0, 0]
    y = list(range(len(table)))[::-1]
    left = pd.Series(0, index=table.index)
    for sev, label in SEVERITY_LABELS.items():
        ax.barh(y, table[label], left=left, color=SEVERITY_COLORS[sev], label=label)
        left = left + table[label]
    ax.set_yticks(y, table.index)
    ax.set_xlabel(bilingual("标记数", "Number of flags"))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    ax.set_title(f"规划文本审计：{len(flags)} 条标记（按规则与严重度）\n"
                 f"Audit of the plan text: {len(flags)} flags by rule and severity")
    return fig
