"""One object that holds a parameter set and computes each stage once, on demand.

The notebooks, the CLI verbs and ``qyedu.build`` all go through it, so they call the same
functions with the same parameter object and nothing is computed twice in one session:

>>> wb = Workbench.from_params(scenario="low", draws=500)   # doctest: +SKIP
>>> wb.tables["enrollment_forecast.csv"]                    # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from . import params as _params
from .params import RunParams


class Workbench:
    """Lazily computed results of one parameter set (``RunParams``)."""

    def __init__(self, rp: RunParams | None = None, plan_path: str | Path | None = None,
                 progress: Callable[[str], None] | None = None,
                 observed_dir: str | Path | None = None):
        self.params = rp or _params.load()
        self.plan_path = Path(plan_path) if plan_path else None
        self.progress = progress
        self.observed_dir = observed_dir

    @classmethod
    def from_params(cls, params_file: str | Path | None = None,
                    overrides: dict[str, Any] | None = None, **forecast: Any) -> Workbench:
        """Load a parameter file (default params/default.yaml) with dotted ``overrides``
        (``{"teachers.attrition_rate": 0.05}``) and forecast keywords (scenario, base_year,
        horizon, draws, seed, county, births_method)."""
        return cls(_params.load(params_file, overrides, **forecast))

    # -- stages, each computed once -------------------------------------------------
    @cached_property
    def plan_tables(self) -> dict[str, pd.DataFrame]:
        from . import plan

        return plan.tables(self.plan_path)

    @property
    def indicators(self) -> pd.DataFrame:
        return self.plan_tables["plan_indicators.csv"]

    @property
    def flags(self) -> pd.DataFrame:
        return self.plan_tables["plan_flags.csv"]

    @cached_property
    def preschool_points(self) -> pd.DataFrame:
        """The plan's 2015/2020 preschool figures (calibration points), from the registry."""
        from .observed import preschool_points

        return preschool_points(self.indicators)

    @cached_property
    def result(self):
        """The projection's Monte Carlo draws (``ProjectionResult``)."""
        from . import projection

        return projection.run(self.params, preschool=self.preschool_points,
                              progress=self.progress)

    @cached_property
    def forecast_tables(self) -> dict[str, pd.DataFrame]:
        from . import projection

        return projection.tables(self.result)

    @cached_property
    def backtest_tables(self) -> dict[str, pd.DataFrame]:
        """The back-test on real outturns (as-of runs of the model; computed once)."""
        from .projection.backtest_real import real_backtest

        return {"backtest.csv": real_backtest(self.params, self.preschool_points)}

    @cached_property
    def places_tables(self) -> dict[str, pd.DataFrame]:
        from . import places

        return places.tables(self.result, self.params, self.indicators)

    @cached_property
    def teacher_flows(self):
        """The teacher stock flow on the projection's draws (``qyedu.teachers.TeacherFlows``)."""
        from . import teachers

        return teachers.flows(self.result, self.params, self.indicators)

    @cached_property
    def teacher_tables(self) -> dict[str, pd.DataFrame]:
        from . import teachers

        return teachers.tables(self.result, self.params, self.indicators, self.teacher_flows)

    @cached_property
    def cost_tables(self) -> dict[str, pd.DataFrame]:
        """Capital and salary costs on the same draws (after places and teachers)."""
        from . import costs

        return costs.tables(self.result, self.params, self.places_tables, self.teacher_tables,
                            self.indicators, flows=self.teacher_flows)

    @cached_property
    def scorecard_tables(self) -> dict[str, pd.DataFrame]:
        from . import scorecard

        return scorecard.tables(self.indicators, self.result, self.params,
                                observed_dir=self.observed_dir)

    STAGES = ("plan_tables", "forecast_tables", "backtest_tables", "places_tables",
              "teacher_tables", "cost_tables", "scorecard_tables")

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every processed table, computing whatever is missing."""
        out: dict[str, pd.DataFrame] = {}
        for stage in self.STAGES:
            out.update(getattr(self, stage))
        return out
