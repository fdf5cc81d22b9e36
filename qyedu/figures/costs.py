"""Cost figure: capital (modelled need) and salaries per year, all levels, stacked medians,
with the 5–95 % band of the total, 2021–2035, in 亿元 (100 million yuan, 2022 prices).
Input: ``qyedu.costs.tables``."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import plotting
from ..projection.result import CITY

YI = 1e4  # 万元 per 亿元


def _series(costs: pd.DataFrame, q: str) -> pd.DataFrame:
    c = costs[(costs["county"] == CITY) & (costs["level"] == "all") & (costs["quantity"] == q)]
    return c.sort_values("year")


def cost_chart(costs: pd.DataFrame):
    """Stacked bars: salaries and capital for the modelled need (p50); line: capital of the
    plan's promises (p50); error bars: the total's p05–p95."""
    plotting.apply_style()
    fig, ax = plt.subplots(figsize=(8.5, 4.5))
    sal, cap = _series(costs, "salary_cost_public"), _series(costs, "capital_cost")
    tot, prom = _series(costs, "total_cost"), _series(costs, "capital_cost_promise")
    years = sal["year"].to_numpy()
    ax.bar(years, sal["p50"] / YI, color="#0072B2", width=0.75,
           label=plotting.bilingual("公办教师工资（含单位缴费）", "Public teachers' pay + on-costs"))
    ax.bar(years, cap["p50"].to_numpy() / YI, bottom=sal["p50"].to_numpy() / YI,
           color="#E69F00", width=0.75, label=plotting.bilingual("学位建设（模型需求）",
                                                                  "Capital (modelled need)"))
    err = np.vstack([tot["p50"] - tot["p05"], tot["p95"] - tot["p50"]]) / YI
    ax.errorbar(years, tot["p50"] / YI, yerr=err, fmt="o", color=plotting.OBSERVED_COLOR,
                markersize=3, capsize=2, label=plotting.bilingual("合计 p05–p95", "Total p05–p95"))
    both = sal.set_index("year")["p50"].add(prom.set_index("year")["p50"]).dropna()
    both = both[prom.set_index("year")["p50"].reindex(both.index) > 0]
    ax.plot(both.index, both / YI, "--", color="#D55E00", label=plotting.bilingual("工资 + 承诺学位建设",
                                                            "Salaries + capital of the promises"))
    ax.set_title(plotting.bilingual("年度成本：建设 + 工资（亿元，2022 年价格）",
                                    "Annual cost: capital + salaries (100 m yuan, 2022 prices)"))
    ax.set_xlabel(plotting.bilingual("学年（起始年）", "School year (start)"))
    ax.set_ylabel(plotting.bilingual("亿元", "100 million yuan"))
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    plt.close(fig)
    return fig
