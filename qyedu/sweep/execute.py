"""Running batches: in this process (``workers=0``), on a fresh ``LocalCluster`` of worker
processes (default: one per core), or on an existing Dask cluster (``scheduler`` address).
Results are handed to ``on_done`` as each batch finishes, with a progress bar."""

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
    from dask.distributed import Client, LocalCluster, as_completed

    if scheduler:
        client, cluster = Client(scheduler), None
    else:
        n = workers or os.cpu_count() or 1
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        log(f"[sweep] {total} runs in {len(batches)} tasks on "
            f"{len(client.scheduler_info()['workers'])} Dask workers ({scheduler or 'LocalCluster'})")
        design_f = client.scatter(design_json, broadcast=True)
        futures = [client.submit(evaluate_batch, design_f, b, pure=False) for b in batches]
        with _bar(total, progress, "sweep") as bar:
            for fut in as_completed(futures):
                res = fut.result()
                on_done(res)
                bar.update(len(res))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
