"""The processed tables of the projection (written by ``qyedu build`` / ``qyedu forecast``)."""

from __future__ import annotations

import pandas as pd

from .consistency import flow_checks
from .result import ProjectionResult


def forecast_table(result: ProjectionResult) -> pd.DataFrame:
    """enrollment_forecast.csv: the result's summary plus the vintage and births method."""
    out = result.summary()
    out["base_year"] = result.base_year
    out["births_method"] = result.births_method
    return out


def tables(result: ProjectionResult, indicators: pd.DataFrame | None = None,
           tolerance_pp: float = 5.0) -> dict[str, pd.DataFrame]:
    """``enrollment_forecast.csv``, ``births_reconstruction.csv`` and, given the plan's
    indicators, ``flow_checks.csv`` (the back-test is a stage of its own:
    ``outturn_backtest.real_backtest``)."""
    out = {
        "enrollment_forecast.csv": forecast_table(result),
        "births_reconstruction.csv": result.reconstruction,
    }
    if indicators is not None:
        out["flow_checks.csv"] = flow_checks(result, indicators, tolerance_pp)
    return out
