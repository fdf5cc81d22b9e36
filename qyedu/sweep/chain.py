"""The chain task: each run is one ``RunParams`` through ``qyedu.workbench.Workbench``, the one
call path of the CLI verbs and the notebooks.

Work a parameter does not touch is not redone:
- the plan registry is parsed once per worker process;
- the projection result (the Monte Carlo draws) depends only on the sections that are NOT in
  ``DOWNSTREAM_SECTIONS``; runs that agree on all of those share one projection (they are
  batched together on the driver, and each worker keeps a small cache), so a places- or
  teachers-only parameter never recomputes the projection;
- a stage's draws (the places arrays, the teacher flows; tables only for the scorecard) are
  reused by the runs of a worker that agree on every section the stage may read
  (``STAGE_IGNORES``): a teachers-only parameter costs only the teacher flows and the costs;
- only the stages the design's outputs read are computed (the Workbench is lazy).
A section added later (a new stage's parameters) counts as touching the projection until it
is listed in ``DOWNSTREAM_SECTIONS``: less reuse, never a wrong reuse.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any

from .. import params as _params
from .outputs import check_names, extract
from .task import Outputs, Task

# Sections read only by stages downstream of the projection.
DOWNSTREAM_SECTIONS = ("places", "teachers", "costs", "scorecard")
# Sections a stage's tables do not depend on (beyond the projection result): two runs that
# differ only in these share the stage's tables. Anything not listed is assumed to matter.
STAGE_IGNORES = {
    # the model's draws, which the outputs read (qyedu.sweep.outputs)
    "places_model": ("teachers", "costs", "scorecard"),
    "teacher_flows": ("costs", "scorecard"),
    # tables, computed in a sweep only for the scorecard output (targets_at_risk)
    "forecast_tables": DOWNSTREAM_SECTIONS,  # projection.tables(result) only
    "places_tables": ("teachers", "costs", "scorecard"),
    "teacher_tables": ("costs", "scorecard"),
    "cost_tables": ("scorecard",),
}
CACHE_SIZE = 8

_PLAN: dict[str, tuple] = {}
_RESULTS: OrderedDict[str, Any] = OrderedDict()
_STAGES: OrderedDict[tuple[str, str], dict] = OrderedDict()
_LOCK = threading.Lock()  # a Dask worker may run several threads (--nthreads > 1)


def _key(rp, ignore: tuple[str, ...]) -> str:
    dump = rp.model_dump(mode="json")
    blob = json.dumps({k: v for k, v in dump.items() if k not in ignore},
                      sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def projection_key(rp) -> str:
    """Hash of every section the projection may read (all but DOWNSTREAM_SECTIONS)."""
    return _key(rp, DOWNSTREAM_SECTIONS)


def stage_key(rp, stage: str) -> str:
    """Hash of every section the stage's tables may depend on."""
    return _key(rp, STAGE_IGNORES[stage])


def _remember(cache: OrderedDict, key, value, size: int = CACHE_SIZE) -> None:
    """Least-recently-used cache of at most ``size`` entries (caller holds _LOCK)."""
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > size:
        cache.popitem(last=False)


def field_kind(key: str) -> str:
    """'int' for an int-typed RunParams field (e.g. forecast.draws), else 'float'."""
    section, _, name = key.rpartition(".")
    sec = _params.RunParams.model_fields.get(section or "forecast")
    if sec is None or not hasattr(sec.annotation, "model_fields"):
        return "float"
    f = sec.annotation.model_fields.get(name)
    return "int" if f is not None and f.annotation is int else "float"


class ChainTask(Task):
    """Parameters: any dotted RunParams keys; outputs: names in ``qyedu.sweep.outputs.OUTPUTS``."""

    def __init__(self, design):
        super().__init__(design)
        self._base = None

    @property
    def base(self):
        if self._base is None:
            self._base = _params.load(self.design.params_file or None, dict(self.design.fixed))
        return self._base

    def kinds(self) -> dict[str, str]:
        return {k: field_kind(k) for k in self.design.keys}

    def check(self) -> None:
        check_names(self.design.outputs)
        if "forecast.seed" in self.design.fixed:
            raise _params.ParamError(f"sweep {self.design.name}: give the seed as the design's "
                                     "`seed` (it becomes forecast.seed), not in `fixed`")
        self.base  # noqa: B018 (validates params_file and fixed)

    def run_params(self, values: dict[str, Any], seed: int):
        """The run's RunParams: base + fixed + the run's values; forecast.seed = the run's
        seed (design seed, or per-run seed) unless forecast.seed itself is swept."""
        over = dict(values)
        over.setdefault("forecast.seed", seed)
        return self.base.with_overrides(over, where=f"sweep {self.design.name} run {values}")

    def group_keys(self, runs, seeds) -> list[str]:
        """Validates every run's RunParams (errors name the key) and keys it by projection."""
        return [projection_key(self.run_params(v, s)) for v, s in zip(runs, seeds, strict=True)]

    def workbench(self, rp):
        """A Workbench for ``rp`` holding the process's plan tables and, when another run
        already computed it, the projection result of the same projection sections."""
        from ..workbench import Workbench

        wb = Workbench(rp)
        plan_key, key = str(wb.plan_path), projection_key(rp)
        with _LOCK:
            if plan_key not in _PLAN:
                _PLAN[plan_key] = (wb.plan_tables, wb.preschool_points)
            wb.__dict__["plan_tables"], wb.__dict__["preschool_points"] = _PLAN[plan_key]
            cached = _RESULTS.get(key)
            if cached is not None:
                _RESULTS.move_to_end(key)
        if cached is not None:
            wb.__dict__["result"] = cached
            return wb
        result = wb.result  # computed outside the lock
        with _LOCK:
            _remember(_RESULTS, key, result)
        return wb

    def evaluate_one(self, values: dict[str, Any], seed: int) -> Outputs:
        """One run: stage tables already computed for the same relevant sections (another
        run of this worker) are reused; the stages the outputs need are computed."""
        rp = self.run_params(values, seed)
        wb = self.workbench(rp)
        keys = {stage: stage_key(rp, stage) for stage in STAGE_IGNORES}
        reused = set()
        with _LOCK:
            for stage, k in keys.items():
                if (stage, k) in _STAGES:
                    _STAGES.move_to_end((stage, k))
                    wb.__dict__[stage] = _STAGES[(stage, k)]
                    reused.add(stage)
        out = extract(wb, self.design.outputs)
        with _LOCK:
            for stage, k in keys.items():
                if stage not in reused and stage in wb.__dict__:
                    _remember(_STAGES, (stage, k), wb.__dict__[stage],
                              CACHE_SIZE * len(STAGE_IGNORES))
        return out


def clear_caches() -> None:
    _PLAN.clear()
    _RESULTS.clear()
    _STAGES.clear()
