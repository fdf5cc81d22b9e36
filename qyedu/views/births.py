"""Births for display: the reconstruction by year (both methods, their mixture's p05–p95 and
how each year was obtained), why it is uncertain (the published counts against birth rate ×
population on the resident and registered bases; the spread between the methods) and the
future paths by scenario. Inputs: ``births_reconstruction.csv`` (``qyedu.projection``),
the population points of ``data/raw/population.csv`` and ``ProjectionResult`` draws."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..labels import scenario_label
from ..observed.names import CITY as CITY_RAW
from ..observed.points import population_points
from ..projection.scenarios import as_table
from .enrollment import thousands, wan

KIND_LABELS = {"observed": "观测 observed", "interpolated": "插值 interpolated",
               "extrapolated": "外推 extrapolated", "derived": "推算 derived",
               "projected": "预测 projected"}


def births_table(recon: pd.DataFrame) -> pd.DataFrame:
    """One row per year: ``kind`` (observed / interpolated / extrapolated), births by
    ``share_of_guangdong`` and ``rate_ratio``, the mixture's ``p05``/``p50``/``p95``,
    ``spread_pct`` (|difference| / smaller method, %), the ``guangdong`` input and, where the
    table has them, the run's draws with the anchors' doubt (``mc_p05``, ``mc_p95``)."""
    mixed = recon[recon["method"] == "mixed"].set_index("year")
    p50 = recon.pivot(index="year", columns="method", values="p50")
    a, b = p50["share_of_guangdong"], p50["rate_ratio"]
    out = pd.DataFrame({"kind": mixed["kind"], "share_of_guangdong": a, "rate_ratio": b,
                        "p05": mixed["p05"], "p50": mixed["p50"], "p95": mixed["p95"],
                        "spread_pct": (a - b).abs() / np.minimum(a, b) * 100,
                        "guangdong": p50["guangdong"]})
    mc = recon[recon["method"] == "monte_carlo"].set_index("year")
    if len(mc):
        out["mc_p05"], out["mc_p95"] = mc["p05"], mc["p95"]
    return out.loc[mixed.index]


def births_display(table: pd.DataFrame) -> pd.DataFrame:
    """``births_table`` with bilingual names, whole persons and the spread to 0.1 %."""
    out = table.assign(kind=table["kind"].map(lambda k: KIND_LABELS.get(k, k)))
    num = [c for c in ("share_of_guangdong", "rate_ratio", "p05", "p50", "p95", "guangdong",
                       "mc_p05", "mc_p95") if c in out.columns]
    out[num] = out[num].round(0).astype("int64")
    out["spread_pct"] = out["spread_pct"].round(1)
    names = {"kind": "来源 Kind", "share_of_guangdong": "占广东份额法 Share of Guangdong",
             "rate_ratio": "出生率比法 Rate ratio", "p05": "混合 p05 Mixed",
             "p50": "混合 p50 Mixed", "p95": "混合 p95 Mixed", "spread_pct": "两法差 Spread %",
             "guangdong": "广东出生 Guangdong births",
             "mc_p05": "含锚点疑问 p05 With anchor doubt",
             "mc_p95": "含锚点疑问 p95 With anchor doubt"}
    out.columns = [names[c] for c in out.columns]
    out.index.name = "年份 Year"
    return out


def method_spread(table: pd.DataFrame) -> pd.Series:
    """The largest spread between the two methods: ``year`` and ``spread_pct``."""
    year = int(table["spread_pct"].idxmax())
    return pd.Series({"year": year, "spread_pct": float(table.loc[year, "spread_pct"])})


def method_spread_table(table: pd.DataFrame) -> pd.DataFrame:
    """``method_spread`` for the page: one row with bilingual headers, the spread to 0.1 %."""
    sp = method_spread(table)
    return pd.DataFrame({"两法差最大的年份 Year of the largest spread": [int(sp["year"])],
                         "两法差 Spread %": [round(sp["spread_pct"], 1)]})


def count_vs_rate(base_year: int | None = None) -> pd.DataFrame:
    """Each published Qingyuan birth count against its birth rate × population on the
    resident (常住) and registered (户籍) bases, with the count's gap to the resident product
    (%). Shows why the counts' basis is uncertain (e.g. a count well above rate × resident
    population); only data published up to ``base_year``."""
    pts = population_points(base_year)
    pts = pts[(pts["area"] == CITY_RAW) & (pts["year"] == pts["year_end"])]
    val = pts.drop_duplicates(["year", "indicator"]).pivot(index="year", columns="indicator",
                                                           values="value")
    basis = pts.drop_duplicates(["year", "indicator"]).pivot(index="year", columns="indicator",
                                                             values="basis")
    years = val.index[val["births"].notna()]
    rate = val.loc[years, "birth_rate"] / 1000
    res = rate * val.loc[years].get("resident_population")
    reg = rate * val.loc[years].get("registered_population")
    out = pd.DataFrame({
        "出生数 Births count": val.loc[years, "births"], "计数口径 Count basis": basis.loc[years, "births"],
        "出生率 Birth rate ‰": val.loc[years, "birth_rate"],
        "出生率口径 Rate basis": basis.loc[years, "birth_rate"],
        "出生率×常住人口 Rate × resident": res.round(0),
        "出生率×户籍人口 Rate × registered": reg.round(0),
        "计数较常住乘积 Count vs resident %": ((val.loc[years, "births"] / res - 1) * 100).round(1),
    })
    out.index.name = "年份 Year"
    return out


def future_paths(results) -> pd.DataFrame:
    """Births (persons) after the base year to the horizon by scenario: p05/p50/p95 of the
    draws (columns scenario × quantile), rows by year. The base year itself is in the
    reconstruction table (one number per label: its median there is the reconstruction's,
    not the draws'). ``results``: the build's ``scenarios.csv`` (or a dict scenario →
    ProjectionResult)."""
    t = as_table(results)
    b = t[(t["quantity"] == "births") & (t["year"] > t["base_year"])]
    order = list(dict.fromkeys(b["scenario"]))
    out = b.pivot(index="year", columns="scenario", values=["p05", "p50", "p95"])
    out = out.swaplevel(axis=1).reindex(columns=pd.MultiIndex.from_product(
        [order, ["p05", "p50", "p95"]])).round(0)
    out.columns.names = ["情景 Scenario", "分位 Quantile"]
    out.index.name = "年份 Year"
    return out.astype("int64")


def summary_line(table: pd.DataFrame, results) -> str:
    """One line: base-year births (mixture p50 and the two methods), the largest method
    spread, and births at the horizon by scenario (medians)."""
    base = int(table.index.max())
    row, sp = table.loc[base], method_spread(table)
    lo, hi = sorted([row["share_of_guangdong"], row["rate_ratio"]])
    paths = future_paths(results)
    end = int(paths.index.max())
    at_end = {n: paths.loc[end, (n, "p50")] for n in paths.columns.get_level_values(0).unique()}
    zh = " / ".join(f"{scenario_label(n, 'zh')} {wan(v)}" for n, v in at_end.items())
    en = ", ".join(f"{scenario_label(n, 'en').lower()} {thousands(v)}" for n, v in at_end.items())
    return (f"{base} 年出生人口（重建）{wan(row['p50'])}（两法 {wan(lo)}–{wan(hi)}），两法最大相差 "
            f"{sp['spread_pct']:.1f}%（{int(sp['year'])} 年）；{end} 年 {zh} | Births {base} "
            f"(reconstructed) {thousands(row['p50'])} (methods {thousands(lo)}–{thousands(hi)}); "
            f"largest method spread {sp['spread_pct']:.1f}% ({int(sp['year'])}); {end}: {en}")
