"""Projection engine: births → cohorts → enrolment by level, year and county, calibrated to
the published points, with scenarios, Monte Carlo uncertainty, vintages and back-tests.

``run(fp) -> ProjectionResult`` and ``tables(result, fp)`` are the module contract used by
``qyedu.build`` (docs/ARCHITECTURE.md)."""

from .backtest import carry_forward, constant_growth, linear_trend, mape_by_horizon, rolling_origin
from .montecarlo import FIRST_YEAR, run
from .result import CITY, LEVEL_AGES, LEVEL_ZH, LEVELS, ProjectionResult
from .tables import forecast_table, tables

__all__ = [
    "CITY", "FIRST_YEAR", "LEVELS", "LEVEL_AGES", "LEVEL_ZH", "ProjectionResult",
    "carry_forward", "constant_growth", "forecast_table", "linear_trend", "mape_by_horizon",
    "rolling_origin", "run", "tables",
]
