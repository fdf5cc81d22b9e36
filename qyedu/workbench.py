"""One object that holds a parameter set and computes each stage once, on demand.

The notebooks, the CLI verbs and ``qyedu.build`` all go through it, so they call the same
functions with the same parameter object and nothing is computed twice in one session:

>>> wb = Workbench.from_params(scenario="low", draws=500)   # doctest: +SKIP
>>> wb.tables["enrollment_forecast.csv"]                    # doctest: +SKIP

Given ``processed_dir`` (a folder written by ``qyedu build`` or a refresh), a Workbench reads
its tables from there instead of computing them — after checking that the folder was built
with exactly these parameters (``run_params.json``) — so the pages of a refresh show the very
numbers of the published CSVs, computed once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from . import coverage
from . import params as _params
from .errors import QyeduError
from .params import RunParams

RECORD = "run_params.json"
TRACE_ENV = "QYEDU_TRACE_FILE"


def _trace(stage: str, how: str, rp: RunParams) -> None:
    """With QYEDU_TRACE_FILE set, append one line per stage computed or read (any process:
    the refresh's build and its notebook kernels), so a test or an operator can count work."""
    target = os.environ.get(TRACE_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\t{stage}\t{how}\t{rp.slug()}\n")


def run_record(rp: RunParams, stages: dict[str, list[str]]) -> dict:
    """What ``qyedu build`` writes beside its tables: the parameters, their fingerprint and
    which table came from which stage."""
    return {"fingerprint": rp.fingerprint(), "slug": rp.slug(),
            "params": rp.model_dump(mode="json"), "stages": stages}


def read_record(folder: Path, rp: RunParams) -> dict:
    """The build record of ``folder``; QyeduError unless it was built with ``rp``."""
    path = folder / RECORD
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise QyeduError(f"{path} not found: {folder} was not written by `qyedu build`") from None
    except (OSError, ValueError) as err:
        raise QyeduError(f"{path}: unreadable build record ({err})") from None
    if record.get("fingerprint") != rp.fingerprint():
        raise QyeduError(f"the tables in {folder} were built with other parameters "
                         f"({record.get('slug')}) than this notebook's ({rp.slug()}); "
                         "rebuild them or leave processed_dir empty to compute")
    return record


def _check_raw() -> None:
    """Before a stage computes from data/raw: every raw file keeps its contract (one
    InputError listing every problem; cached while data/raw is unchanged)."""
    from .observed.contract import check_raw

    check_raw()


def _params_set(rp: RunParams) -> str:
    """The parameters that differ from the defaults, as ``key=value`` (for error messages)."""
    def flat(d: dict, prefix: str = "") -> dict:
        out = {}
        for k, v in d.items():
            out |= flat(v, f"{prefix}{k}.") if isinstance(v, dict) else {f"{prefix}{k}": v}
        return out

    mine, base = flat(rp.model_dump(mode="json")), flat(RunParams().model_dump(mode="json"))
    return ", ".join(f"{k}={v!r}" for k, v in mine.items() if base.get(k) != v)


def _checked(rp: RunParams) -> RunParams:
    """Every range of ``rp`` enforced again (an object made with ``model_copy(update=…)``
    skips validation); ParamError naming the parameter."""
    from pydantic import ValidationError

    from .params.base import revalidated

    try:
        return revalidated(rp)
    except ValidationError as err:
        bad = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']} (got {e.get('input')!r})"
                        for e in err.errors())
        raise _params.ParamError(f"invalid parameters: {bad}") from None


class Workbench:
    """Lazily computed results of one parameter set (``RunParams``)."""

    def __init__(self, rp: RunParams | None = None, plan_path: str | Path | None = None,
                 progress: Callable[[str], None] | None = None,
                 observed_dir: str | Path | None = None,
                 processed_dir: str | Path | None = None):
        self.params = _checked(rp) if rp is not None else _params.load()
        coverage.check(self.params)  # an unknown county or a base year beyond the data: refused
        self.plan_path = Path(plan_path) if plan_path else None
        self.progress = progress
        self.observed_dir = observed_dir
        self.processed_dir = Path(processed_dir) if processed_dir else None
        self._record = read_record(self.processed_dir, self.params) if self.processed_dir else None

    @classmethod
    def from_params(cls, params_file: str | Path | None = None,
                    overrides: dict[str, Any] | None = None, processed_dir: str | Path | None = None,
                    **forecast: Any) -> Workbench:
        """Load a parameter file (default params/default.yaml) with dotted ``overrides``
        (``{"teachers.attrition_rate": 0.05}``) and forecast keywords (scenario, base_year,
        horizon, draws, seed, county, births_method); empty strings count as not given, as
        in a notebook's ``parameters`` cell. With ``processed_dir``, tables are read from
        that build (which must match these parameters) instead of computed."""
        forecast = {k: v for k, v in forecast.items() if v not in ("", None)}
        return cls(_params.load(params_file or None, overrides, **forecast),
                    processed_dir=processed_dir or None)

    def _stage(self, stage: str, compute: Callable[[], dict[str, pd.DataFrame]]
               ) -> dict[str, pd.DataFrame]:
        """A stage's tables: read from ``processed_dir`` when the build wrote them, else
        computed (once: every stage is a cached property)."""
        names = (self._record or {}).get("stages", {}).get(stage)
        if names is None:
            _trace(stage, "computed", self.params)
            _check_raw()
            from .checks import CheckError

            try:
                return compute()
            except CheckError as err:  # name what the user set, not only the model's identity
                raise CheckError(f"{err}\n  with the parameters set: "
                                 f"{_params_set(self.params) or 'none (the defaults)'}") from None
        _trace(stage, "read", self.params)
        return {n: pd.read_csv(self.processed_dir / n) for n in names}

    # -- stages, each computed once -------------------------------------------------
    @cached_property
    def plan_tables(self) -> dict[str, pd.DataFrame]:
        from . import plan

        return self._stage("plan_tables", lambda: plan.tables(self.plan_path))

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

        if self._record and self._record.get("draws"):
            from .projection import store

            _trace("result", "read", self.params)
            return store.load(self.processed_dir / self._record["draws"])
        _trace("result", "computed", self.params)
        _check_raw()
        return projection.run(self.params, preschool=self.preschool_points,
                              progress=self.progress)

    @cached_property
    def forecast_tables(self) -> dict[str, pd.DataFrame]:
        from . import projection

        return self._stage("forecast_tables", lambda: projection.tables(
            self.result, self.indicators, self.params.projection.flow_check_tolerance_pp))

    @cached_property
    def scenario_results(self) -> dict:
        """One projection per births scenario, all else equal (this run's for its own)."""
        from . import projection

        out = {}
        for name in _params.scenarios(self.params.births.paths_file):
            if name == self.params.forecast.scenario:
                out[name] = self.result
            else:
                rp = self.params.with_overrides({"forecast.scenario": name})
                _trace("result", "computed", rp)
                out[name] = projection.run(rp, preschool=self.preschool_points)
        return out

    @cached_property
    def scenario_tables(self) -> dict[str, pd.DataFrame]:
        """``scenarios.csv``: births and enrolment under every scenario, side by side."""
        from .projection.scenarios import scenario_table

        return self._stage("scenario_tables",
                           lambda: {"scenarios.csv": scenario_table(self.scenario_results)})

    @cached_property
    def backtest_tables(self) -> dict[str, pd.DataFrame]:
        """The back-test on real outturns (as-of runs of the model; computed once)."""
        from .projection.outturn_backtest import real_backtest

        return self._stage("backtest_tables", lambda: {
            "backtest.csv": real_backtest(self.params, self.preschool_points)})

    @cached_property
    def accuracy_tables(self) -> dict[str, pd.DataFrame]:
        """The accuracy on the validation panel, from the committed files written by
        `qyedu validate` (the panel is not re-run in a refresh): the published grade flow's
        honest-in-time tables (``honest_accuracy.csv``, ``honest_senior_accuracy.csv``, the
        held-out check ``honest_held_out.csv``, the method against each baseline
        ``honest_paired.csv``), the forecast command checked as a new user runs it
        (``command_check.csv``), the pre-registered forecasts (``forecast_register.csv``,
        ``params/register/``) and the earlier factor method's (``accuracy.csv``, kept for its calibration)."""
        from .validation.calibrate import accuracy_table
        from .validation.command_check import COMMAND_CHECK_FILE
        from .validation.honest import (
            ACCURACY_FILE,
            HELD_OUT_FILE,
            PAIRED_FILE,
            SENIOR_ACCURACY_FILE,
        )
        from .validation.register import published_register

        return self._stage("accuracy_tables", lambda: {
            "accuracy.csv": accuracy_table(),
            "honest_accuracy.csv": accuracy_table(ACCURACY_FILE),
            "honest_senior_accuracy.csv": accuracy_table(SENIOR_ACCURACY_FILE),
            "honest_held_out.csv": accuracy_table(HELD_OUT_FILE),
            "honest_paired.csv": accuracy_table(PAIRED_FILE),
            "command_check.csv": accuracy_table(COMMAND_CHECK_FILE),
            "forecast_register.csv": published_register()})

    @cached_property
    def places_model(self):
        """The places arrays on the projection's draws (``qyedu.places.PlacesModel``), shared
        by the places and cost stages."""
        from .places import compute, plan_lookup

        return compute(self.result, self.params, plan_lookup.load_registry(self.indicators))

    @cached_property
    def choice_results(self) -> dict:
        """One projection per structural choice of the drift centre
        (``projection.drift_choice``), all else equal (this run's for its own)."""
        from . import projection
        from .places.structural import CHOICES

        out = {}
        for choice in CHOICES:
            if choice == self.params.projection.drift_choice:
                out[choice] = self.result
            else:
                rp = self.params.with_overrides({"projection.drift_choice": choice})
                _trace("result", "computed", rp)
                out[choice] = projection.run(rp, preschool=self.preschool_points)
        return out

    @cached_property
    def choice_tables(self) -> dict[str, pd.DataFrame]:
        """``structural_choices.csv``: every promise's need and P(shortfall) under each
        structural choice the back-test cannot separate."""
        from .places import plan_lookup
        from .places.structural import structural_choices

        return self._stage("choice_tables", lambda: {
            "structural_choices.csv": structural_choices(
                self.choice_results, self.params, plan_lookup.load_registry(self.indicators))})

    @cached_property
    def places_tables(self) -> dict[str, pd.DataFrame]:
        from . import places

        return self._stage("places_tables", lambda: places.tables(
            self.result, self.params, self.indicators, self.places_model))

    @cached_property
    def teacher_flows(self):
        """The teacher stock flow on the projection's draws (``qyedu.teachers.TeacherFlows``)."""
        from . import teachers

        return teachers.flows(self.result, self.params, self.indicators)

    @cached_property
    def teacher_tables(self) -> dict[str, pd.DataFrame]:
        from . import teachers

        return self._stage("teacher_tables", lambda: teachers.tables(
            self.result, self.params, self.indicators, self.teacher_flows))

    @cached_property
    def cost_tables(self) -> dict[str, pd.DataFrame]:
        """Capital and salary costs on the same draws (after places and teachers)."""
        from . import costs

        return self._stage("cost_tables", lambda: costs.tables(
            self.result, self.params, self.places_tables, self.teacher_tables, self.indicators,
            flows=self.teacher_flows, places_model=self.places_model))

    @cached_property
    def scorecard_tables(self) -> dict[str, pd.DataFrame]:
        from . import scorecard

        return self._stage("scorecard_tables", lambda: scorecard.tables(
            self.indicators, self.result, self.params, observed_dir=self.observed_dir,
            places_tables=self.places_tables, teacher_tables=self.teacher_tables))

    @cached_property
    def nextplan_tables(self) -> dict[str, pd.DataFrame]:
        """Evidence for the 15th plan (2026–2030), read from the stage tables above and the
        projection's draws (``qyedu.nextplan``)."""
        from . import nextplan

        return self._stage("nextplan_tables", lambda: nextplan.tables(
            self.result, self.params, self.forecast_tables, self.places_tables,
            self.teacher_tables, self.cost_tables))

    STAGES = ("plan_tables", "forecast_tables", "scenario_tables", "backtest_tables",
              "accuracy_tables",
              "places_tables", "choice_tables", "teacher_tables", "cost_tables",
              "scorecard_tables", "nextplan_tables")

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every processed table, computing whatever is missing."""
        out: dict[str, pd.DataFrame] = {}
        for stage in self.STAGES:
            out.update(getattr(self, stage))
        return out

    def record(self, draws: str | None = None) -> dict:
        """The build record (``run_params.json``) of this Workbench's tables (and, if the
        build saved them, the folder of the projection's draws)."""
        rec = run_record(self.params, {s: sorted(getattr(self, s)) for s in self.STAGES})
        return rec | ({"draws": draws} if draws else {})
