"""Sensitivity figures from a sweep's tables: a tornado of one output (its mean where each
parameter is low vs high, in the output's unit) and a heat map of the indices (output ×
parameter: total Sobol index, grid first-order share, or Morris μ* scaled per output)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import plotting
from ..views.sensitivity import OUTPUT_LABELS, importance, param_label


def _importance(ix: pd.DataFrame) -> tuple[pd.Series, str]:
    imp, _, name = importance(ix)
    labels = {"ST": ("总效应指数 ST", "total Sobol index ST"),
              "μ*/max": ("μ*（按输出归一）", "Morris μ* / max per output"),
              "S1": ("一阶指数 S1", "first-order share S1")}
    return imp, plotting.bilingual(*labels[name])


def tornado(swing: pd.DataFrame, output: str, top: int = 10):
    """Bars from the output's mean where a parameter is low to where it is high, largest
    swing on top; the vertical line is the mean over all runs."""
    s = swing[swing["output"] == output].sort_values("swing").tail(top)
    fig, axes = plotting.new_figure(figsize=(8.0, 0.45 * len(s) + 1.6))
    ax = axes[0, 0]
    overall = float(s["overall"].iloc[0]) if len(s) else 0.0
    y = np.arange(len(s))
    ax.barh(y, s["low"] - overall, left=overall, color="#56B4E9",
            label=plotting.bilingual("参数取低值", "parameter low"))
    ax.barh(y, s["high"] - overall, left=overall, color="#D55E00", alpha=0.8,
            label=plotting.bilingual("参数取高值", "parameter high"))
    ax.set_yticks(y, [f"{param_label(p)}\n{lo} → {hi}" for p, lo, hi in
                      zip(s["parameter"], s["low_label"], s["high_label"], strict=True)], fontsize=8)
    ax.axvline(overall, color=plotting.OBSERVED_COLOR, linewidth=1)
    name = OUTPUT_LABELS.get(output, output)
    ax.set_title(plotting.bilingual("哪些假设影响结果", f"What moves: {name}"))
    ax.set_xlabel(plotting.bilingual("输出均值（该参数低/高时）", f"mean over runs: {name}"))
    ax.legend(loc="best")
    return fig


def index_heatmap(indices: pd.DataFrame):
    """Output × parameter matrix of the importance index, annotated."""
    imp, label = _importance(indices)
    m = indices.assign(v=imp).pivot(index="output", columns="parameter", values="v")
    fig, axes = plotting.new_figure(figsize=(1.3 * m.shape[1] + 3.5, 0.5 * m.shape[0] + 2.2))
    ax = axes[0, 0]
    im = ax.imshow(m.to_numpy(dtype=float), cmap="viridis", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(m.shape[1]), [param_label(c) for c in m.columns], rotation=30,
                  ha="right", fontsize=8)
    ax.set_yticks(range(m.shape[0]), [OUTPUT_LABELS.get(o, o) for o in m.index], fontsize=8)
    ax.grid(False)
    for (i, j), v in np.ndenumerate(m.to_numpy(dtype=float)):
        if np.isfinite(v):
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7,
                    color="white" if v < 0.5 else "black")
    fig.colorbar(im, ax=ax, label=label)
    ax.set_title(plotting.bilingual("敏感性指数", "Sensitivity indices"))
    return fig
