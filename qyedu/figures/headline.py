"""The index's headline chart, read from the verdicts table (``qyedu.views.verdicts``): per
places promise, the places promised, the places needed above the base year (median with its
p05–p95 band) and the capacity shortage per level (sum of county shortages, levels never
netted; median with band), all in the target year."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import plotting
from ..labels import LEVEL_LABELS, PROMISE_LABELS

PROMISED, NEEDED, SHORT = "#0072B2", "#E69F00", "#D55E00"


def headline_chart(table: pd.DataFrame):
    """One row per promise: promised (bar), needed (bar + band), shortage by level (bars +
    bands). None without the rows."""
    if table is None or table.empty:
        return None
    promises = [p for p in PROMISE_LABELS if p in set(table["promise"])]
    if not promises:
        return None
    fig, axes = plotting.new_figure(len(promises), 1, figsize=(8.0, 1.9 * len(promises) + 0.8))
    for ax, pid in zip(axes[:, 0], promises, strict=True):
        t = table[table["promise"] == pid]
        yr = pd.to_numeric(t.loc[t["quantity"] == "surplus", "year"], errors="coerce").max()
        bars = []
        pr = t[(t["quantity"] == "promised_places") & (t["year"] == yr)]
        if len(pr):
            bars.append((plotting.bilingual("承诺新增", "promised"), pr["value"].iloc[0],
                         np.nan, np.nan, PROMISED))
        nd = t[(t["quantity"] == "additional_places_needed") & (t["year"] == yr)]
        if len(nd):
            r = nd.iloc[0]
            bars.append((plotting.bilingual("新增需求", "needed"), r["value"], r["p05"],
                         r["p95"], NEEDED))
        for _, r in t[(t["quantity"] == "capacity_shortage") & (t["year"] == yr)].iterrows():
            zh, en = LEVEL_LABELS.get(r["level"], (r["level"], r["level"]))
            bars.append((plotting.bilingual(f"{zh}缺口", f"{en.lower()} shortage"), r["value"],
                         r["p05"], r["p95"], SHORT))
        y = np.arange(len(bars))[::-1]
        vals = np.array([b[1] for b in bars], dtype=float)
        lo = np.array([b[2] for b in bars], dtype=float)
        hi = np.array([b[3] for b in bars], dtype=float)
        ax.barh(y, vals, color=[b[4] for b in bars], height=0.6)
        band = np.isfinite(lo) & np.isfinite(hi)
        ax.errorbar(vals[band], y[band], xerr=[vals[band] - lo[band], hi[band] - vals[band]],
                    fmt="none", ecolor="#333", capsize=3, linewidth=1)
        ax.set_yticks(y, [b[0] for b in bars], fontsize=8)
        ax.axvline(0, color="#999", linewidth=0.8)
        zh, en = PROMISE_LABELS[pid]
        ax.set_title(plotting.bilingual(f"{zh}（{int(yr)} 年）", f"{en} ({int(yr)})"), fontsize=10)
    axes[-1, 0].set_xlabel(plotting.bilingual("学位（中位数，误差线为 p05–p95）",
                                              "places (median; whiskers p05–p95)"))
    fig.suptitle(plotting.bilingual("承诺、需求与容量缺口", "Promised vs needed vs capacity shortage"))
    return fig
