"""What a sweep evaluates: a task turns a batch of runs (index, parameter values, seed) into
outputs. The chain task (``qyedu.sweep.chain``) runs the Workbench; test functions with known
indices (``qyedu.sweep.testfunctions``) go through the very same machinery.

Tasks are named ``module:Class`` in the design and built inside each worker process (spawned
workers import them; nothing but the design and the batch travels to a worker)."""

from __future__ import annotations

import importlib
import os
import threading
import time
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
    cpu, own = time.process_time(), time.thread_time()
    out = list(zip([r[0] for r in batch], task.evaluate(batch), strict=True))
    with _LOCK:
        STATS["batches"] += 1
        STATS["runs"] += len(batch)
        STATS["task_thread_cpu_s"] += time.thread_time() - own
        STATS["process_cpu_during_tasks_s"] += time.process_time() - cpu
    return out


# What this process spent on evaluating runs (bench/bench_sweep.py reads it from each worker):
# the CPU of the thread that ran the tasks (the model work) and the CPU of the whole process
# meanwhile (the difference: the worker's other threads — event loop, heartbeats, comms —
# while the task ran); the process's total CPU minus the latter is the work between tasks.
STATS = {"batches": 0, "runs": 0, "task_thread_cpu_s": 0.0, "process_cpu_during_tasks_s": 0.0}


def worker_stats() -> dict:
    """STATS plus this process's total CPU, page faults and involuntary context switches, its
    threads (Python and OS, which counts BLAS and OpenMP pools), its BLAS/OpenMP thread
    settings and glibc's trim threshold."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            os_threads = next(int(ln.split()[1]) for ln in fh if ln.startswith("Threads:"))
    except (OSError, StopIteration):
        os_threads = None
    env = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                          "MKL_NUM_THREADS")}
    env["MALLOC_TRIM_THRESHOLD_"] = os.environ.get("MALLOC_TRIM_THRESHOLD_")
    try:
        import resource

        use = resource.getrusage(resource.RUSAGE_SELF)
        faults = {"minor_faults": use.ru_minflt, "involuntary_switches": use.ru_nivcsw}
    except ImportError:  # not on Windows
        faults = {}
    with _LOCK:
        return dict(STATS, process_cpu_s=time.process_time(), python_threads=threading.active_count(),
                    os_threads=os_threads, **env, **faults)
