"""Scenario explorer: run the projection under every births scenario with the same draws and
seed, tabulate them side by side, and the JupyterLab widget whose callback re-runs the
projection for the chosen scenario, births method, draws and base year and redraws."""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from . import projection
from .labels import CITY, level_label, scenario_label
from .params import BIRTHS_METHODS, ForecastParams, scenarios
from .projection.result import ProjectionResult
from .views.enrollment import county_draws, wan

DRAWS_RANGE = (100, 5000, 100)  # draws slider: min, max, step


def run_scenarios(fp: ForecastParams, names=None) -> dict[str, ProjectionResult]:
    """One projection per births scenario, otherwise with the parameters ``fp`` (same draws,
    seed, base year and births method), in the births-paths file's order (or ``names``)."""
    return {s: projection.run(ForecastParams(**{**fp.model_dump(), "scenario": s}))
            for s in (names or scenarios())}


def scenario_table(results: dict[str, ProjectionResult], county: str = CITY) -> pd.DataFrame:
    """Pupils at the base year and at the horizon (p50, with p05–p95 at the horizon) and the
    change base → horizon (%, of medians), per level (rows) and scenario (column groups)."""
    parts = {}
    for name, res in results.items():
        years = list(res.years)
        d = county_draws(res, county)
        base = np.median(d[:, years.index(res.base_year), :], axis=0) if res.base_year in years \
            else np.full(len(res.levels), np.nan)
        q05, q50, q95 = np.quantile(d[:, -1, :], [0.05, 0.5, 0.95], axis=0)
        parts[name] = pd.DataFrame({
            f"基期 {res.base_year} p50": base, f"{years[-1]} p05": q05, f"{years[-1]} p50": q50,
            f"{years[-1]} p95": q95, "变化 Change %": (q50 / base - 1) * 100,
        }, index=[level_label(lv) for lv in res.levels])
    out = pd.concat(parts, axis=1, names=["情景 Scenario", ""]).round(0)
    out.index.name = "学段 Level"
    return out


def horizon_totals(results: dict[str, ProjectionResult], county: str = CITY) -> pd.Series:
    """Median total pupils (all levels) at the horizon, per scenario."""
    return pd.Series({name: float(np.median(county_draws(res, county)[:, -1, :].sum(axis=1)))
                      for name, res in results.items()})


def summary_line(results: dict[str, ProjectionResult], county: str = CITY) -> str:
    """One line: total pupils at the horizon under each scenario (medians)."""
    tot = horizon_totals(results, county)
    res = next(iter(results.values()))
    year = int(res.years[-1])
    zh = " / ".join(f"{scenario_label(n, 'zh')} {wan(v)}" for n, v in tot.items())
    en = ", ".join(f"{scenario_label(n, 'en').lower()} {v:,.0f}" for n, v in tot.items())
    return (f"{year} 年{county}在校生合计（中位数）{zh} | Total pupils in {year} ({county}, "
            f"median of {res.n_draws} draws): {en}")


def explore(fp: ForecastParams, scenario: str, births_method: str, draws: int, base_year: int):
    """Widget callback: re-run the projection with these four settings (the rest from
    ``fp``) and return its fan chart by level for ``fp.county``."""
    from .figures.enrollment import fan_chart_by_level

    run_fp = ForecastParams(**{**fp.model_dump(), "scenario": scenario, "draws": int(draws),
                               "births_method": births_method, "base_year": int(base_year)})
    return fan_chart_by_level(projection.run(run_fp), fp.county)


def _bounds(name: str) -> tuple[int, int]:
    meta = ForecastParams.model_fields[name].metadata
    return next(m.ge for m in meta if hasattr(m, "ge")), next(m.le for m in meta if hasattr(m, "le"))


def explorer_widget(fp: ForecastParams):
    """An ``ipywidgets.interactive`` with scenario, births method, draws and base year
    controls (defaults from ``fp``); each change re-runs :func:`explore` and redraws.
    Its figure lives in widget state: static exports (HTML) do not show it."""
    import ipywidgets as w

    lo, hi = _bounds("base_year")
    style = {"description_width": "initial"}
    callback = partial(explore, fp)
    callback.__name__ = explore.__name__  # ipywidgets inspects the callback's name
    return w.interactive(
        callback,
        scenario=w.Dropdown(options=scenarios(), value=fp.scenario, description="情景 Scenario",
                            style=style),
        births_method=w.Dropdown(options=BIRTHS_METHODS, value=fp.births_method,
                                 description="出生重建 Births method", style=style),
        draws=w.IntSlider(value=fp.draws, min=DRAWS_RANGE[0], max=max(DRAWS_RANGE[1], fp.draws),
                          step=DRAWS_RANGE[2], continuous_update=False,
                          description="抽样 Draws", style=style),
        base_year=w.IntSlider(value=fp.base_year, min=lo, max=min(hi, fp.horizon - 1),
                              continuous_update=False, description="基年 Base year",
                              style=style),
    )
