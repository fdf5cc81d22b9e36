"""The births scenarios side by side as one tidy table (``scenarios.csv``): births and
enrolment quantiles of one run per scenario, all else equal (same draws, seed, vintage), so
the pages compare scenarios from the build's table instead of re-running the model."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..labels import CITY
from .result import ProjectionResult

COLUMNS = ["scenario", "year", "level", "county", "quantity", "p05", "p50", "p95", "base_year"]


def _q(arr: np.ndarray) -> np.ndarray:
    return np.quantile(arr, [0.05, 0.5, 0.95], axis=0)


def scenario_table(results: dict[str, ProjectionResult]) -> pd.DataFrame:
    """Births (every reconstructed and projected year; level ``all``) and pupils enrolled by
    year, level and county (全市 included) for each scenario; p05/p50/p95 across draws."""
    parts = []
    for name, res in results.items():
        q = _q(res.births)
        parts.append(pd.DataFrame({"scenario": name, "year": res.births_years, "level": "all",
                                   "county": CITY, "quantity": "births", "p05": q[0],
                                   "p50": q[1], "p95": q[2]}))
        arr, counties = res.with_city("enrolled")
        q = _q(arr)  # (3, Y, L, C)
        y, lv, c = np.meshgrid(np.arange(len(res.years)), np.arange(len(res.levels)),
                               np.arange(len(counties)), indexing="ij")
        parts.append(pd.DataFrame({
            "scenario": name, "year": np.asarray(res.years)[y.ravel()],
            "level": np.asarray(res.levels)[lv.ravel()], "county": np.asarray(counties)[c.ravel()],
            "quantity": "enrolled", "p05": q[0].ravel(), "p50": q[1].ravel(),
            "p95": q[2].ravel()}))
        parts[-1]["base_year"] = parts[-2]["base_year"] = res.base_year
    out = pd.concat(parts, ignore_index=True)[COLUMNS]
    return out.sort_values(["scenario", "quantity", "level", "county", "year"],
                           kind="stable").reset_index(drop=True)


def as_table(results) -> pd.DataFrame:
    """``results`` as the tidy table: a dict of results is tabulated, a table passes."""
    return results if isinstance(results, pd.DataFrame) else scenario_table(results)
