"""What a sweep evaluates: a task turns a batch of runs (index, parameter values, seed) into
outputs. The chain task (``qyedu.sweep.chain``) runs the Workbench; test functions with known
indices (``qyedu.sweep.testfunctions``) go through the very same machinery.

Tasks are named ``module:Class`` in the design and built inside each worker process (spawned
workers import them; nothing but the design and the batch travels to a worker)."""

from __future__ import annotations

import importlib
import threading
from typing import Any

from .design import Design

Run = tuple[int, dict[str, Any], int]  # (run index, parameter values, seed)
Outputs = dict[str, tuple[float, str]]  # output → (value, note)


class Task:
    """Base class: evaluate each run on its own (no shared work between runs)."""

    def __init__(self, design: Design):
        self.design = design

    def kinds(self) -> dict[str, str]:
        """Number type per swept parameter ('int' or 'float')."""
        return {}

    def check(self) -> None:
        """Validate the design for this task (output names, parameter names) on the driver."""

    def group_keys(self, runs: list[dict[str, Any]], seeds: list[int]) -> list[str]:
        """Runs with the same key share work and are kept in one batch (default: one key,
        so runs are simply cut into batches of batch_size in run order)."""
        return [""] * len(runs)

    def evaluate(self, batch: list[Run]) -> list[Outputs]:
        return [self.evaluate_one(values, seed) for _, values, seed in batch]

    def evaluate_one(self, values: dict[str, Any], seed: int) -> Outputs:
        raise NotImplementedError


def task_class(path: str) -> type[Task]:
    from ..params import ParamError

    mod, _, cls = path.partition(":")
    try:
        obj = getattr(importlib.import_module(mod), cls)
    except (ImportError, AttributeError) as err:
        raise ParamError(f"sweep task {path!r} cannot be imported ({err}); give module:Class") from None
    if not (isinstance(obj, type) and issubclass(obj, Task)):
        raise ParamError(f"sweep task {path!r} is not a qyedu.sweep.task.Task")
    return obj


_TASKS: dict[str, Task] = {}
_LOCK = threading.Lock()


def evaluate_batch(design_json: dict, batch: list[Run]) -> list[tuple[int, Outputs]]:
    """Worker entry point: build (once per process) the design's task and evaluate a batch."""
    key = design_json["_fingerprint"]
    with _LOCK:
        task = _TASKS.get(key)
        if task is None:
            design = Design.model_validate({k: v for k, v in design_json.items()
                                            if k != "_fingerprint"})
            task = _TASKS[key] = task_class(design.task)(design)
    return list(zip([r[0] for r in batch], task.evaluate(batch), strict=True))
