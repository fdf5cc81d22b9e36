"""Running batches: in this process (``workers=0``), on a fresh ``LocalCluster`` of worker
processes (default: one per core), or on an existing Dask cluster (``scheduler`` address).
Results are handed to ``on_done`` as each batch finishes, with a progress bar. The Dask
dashboard's address is printed (bokeh is a dependency), and a worker that leaves the
cluster during the sweep is reported (its tasks are re-run on the others by Dask)."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable

from .task import Outputs, Run, evaluate_batch

Done = Callable[[list[tuple[int, Outputs]]], None]


def _bar(total: int, enabled: bool, desc: str):
    from tqdm.auto import tqdm

    return tqdm(total=total, disable=not enabled, desc=desc, unit="run", file=sys.stderr,
                dynamic_ncols=True)


def execute(batches: list[list[Run]], design_json: dict, on_done: Done, workers: int | None = None,
            scheduler: str | None = None, progress: bool = True, log=print) -> None:
    """Evaluate every batch; ``workers=0`` runs them serially in this process."""
    total = sum(len(b) for b in batches)
    if not batches:
        return
    if workers == 0 and not scheduler:
        with _bar(total, progress, "sweep (serial)") as bar:
            for b in batches:
                on_done(evaluate_batch(design_json, b))
                bar.update(len(b))
        return
    from dask.distributed import Client, as_completed

    if scheduler:
        client, cluster = Client(scheduler), None
    else:
        cluster = local_cluster(workers or os.cpu_count() or 1, dashboard=_dashboard())
        client = Client(cluster)
    try:
        workers_now = set(client.scheduler_info()["workers"])
        log(f"[sweep] {total} runs in {len(batches)} tasks on "
            f"{len(workers_now)} Dask workers ({scheduler or 'LocalCluster'})")
        if _dashboard() is not None or scheduler:
            log(f"[sweep] Dask dashboard: {client.dashboard_link}")
        lost = WorkerWatch(workers_now, log)
        design_f = client.scatter(design_json, broadcast=True)
        futures = [client.submit(evaluate_batch, design_f, b, pure=False) for b in batches]
        with _bar(total, progress, "sweep") as bar:
            for fut in as_completed(futures):
                try:
                    res = fut.result()
                except Exception as err:
                    lost.check(client)
                    from ..errors import QyeduError

                    if type(err).__name__ == "KilledWorker":
                        raise QyeduError("sweep stopped: one task killed the workers that ran it "
                                         "repeatedly (out of memory?); the runs done so far are "
                                         "kept, run the sweep again to resume") from None
                    raise
                on_done(res)
                bar.update(len(res))
                lost.check(client)
        lost.check(client, final=True)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# Dask settings of a sweep's own LocalCluster (docs/SWEEP.md: where a worker's CPU went):
# - no MALLOC_TRIM_THRESHOLD_ in the worker's environment: Dask's nanny sets 65536, which also
#   pins glibc's mmap threshold at 128 KiB, so every array of a run above that size (200
#   draws × 16 years × 9 counties is 230 KB) is mapped and unmapped afresh: ~25,000 page
#   faults and +25–30 % CPU per run in a worker;
# - no sampling profiler: it samples the task thread's stack every 10 ms (taking the GIL
#   from it), ~0.02–0.03 CPU-s per run of the worker's other threads; the dashboard's
#   profile page stays empty, its task stream and progress work;
# - memory monitors every second instead of every 100 ms.
# One thread per worker; BLAS/OpenMP stay at 1 thread (Dask's pre-spawn environment).
WORKER_CONFIG = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                 "distributed.worker.profile.enabled": False,
                 "distributed.worker.memory.monitor-interval": "1s"}  # worker's and nanny's


def local_cluster(n: int, dashboard: str | None = None):
    """A LocalCluster of ``n`` single-threaded worker processes for a sweep. Its scheduler's
    HTTP server (the dashboard, or only health and metrics without one) takes a free port:
    Dask's default, even with ``dashboard_address=None``, is 8787, which a second cluster on
    the machine finds taken."""
    import dask
    from dask.distributed import LocalCluster

    # the nanny also writes its environment into this process's os.environ, whence a later
    # cluster would inherit it: keep the trim threshold out of both
    os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    with dask.config.set(WORKER_CONFIG):
        return LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                            dashboard_address=dashboard or ":0", silence_logs=logging.ERROR)


def _dashboard() -> str | None:
    """The dashboard address of a LocalCluster (a free port), or None without bokeh."""
    import importlib.util

    return ":0" if importlib.util.find_spec("bokeh") is not None else None


class WorkerWatch:
    """Reports workers that leave the cluster while the sweep runs (Dask re-runs their
    tasks elsewhere, so the results stay complete, but the sweep is slower than planned)."""

    def __init__(self, workers: set[str], log):
        self.known, self.gone, self.log = set(workers), set(), log

    def check(self, client, final: bool = False) -> set[str]:
        try:
            now = set(client.scheduler_info()["workers"])
        except Exception:  # the scheduler is gone too: nothing more to learn
            return self.gone
        left = self.known - now - self.gone
        for w in sorted(left):
            self.log(f"[sweep] lost worker {w}: its tasks are re-run on the "
                     f"{len(now)} remaining worker(s)")
        self.gone |= left
        self.known |= now
        if final and self.gone:
            self.log(f"[sweep] {len(self.gone)} worker(s) lost during the sweep; every run "
                     "finished on the others")
        return self.gone
