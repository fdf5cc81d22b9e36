"""Benchmark (not a test): the cost of one run of the chain and the sweep throughput serially
vs a LocalCluster of 2 worker processes, in one run.

    .venv/bin/python bench/bench_sweep.py [--design params/sweeps/example.yaml] [--samples 16]
        [--draws 500] [--workers 2] [--profile]

1. One full chain (projection → forecast, places, teachers, scorecard tables) at ``--draws``
   on one core: cold (plan parsed) and warm (plan registry reused, as inside a sweep), with
   the time of each stage; ``--profile`` prints the top costs (cProfile, cumulative).
2. The parallelism the machine offers right now (pure-Python loops in 1 vs N processes: on a
   shared machine the ceiling for the sweep's ratio).
2b. What reusing the projection saves: a teachers-only grid vs a births-parameter grid.
3. The design (its Sobol/Morris base sample cut to ``--samples``) run serially in this process,
   on a fresh LocalCluster of N worker processes (start-up included), and on warm clusters of
   1 and N workers, each into its own folder: runs per second, speed-up over serial (measured
   in the same run), CPU seconds per run of the driver and of the workers — split into the
   model work (the task thread), the workers' other threads while a task ran, and the time
   between tasks — the speed-up those CPU seconds imply on idle cores (read it when the load
   average, printed before and after, shows other jobs), the workers' threads and BLAS/OpenMP
   settings. All give identical tables.
Results are also written to bench/results/bench_sweep.json.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import tempfile
import time
from pathlib import Path

STAGES = ("result", "forecast_tables", "places_tables", "teacher_tables", "scorecard_tables")


def one_chain(draws: int, profile: bool) -> dict:
    from qyedu import params
    from qyedu.workbench import Workbench

    rp = params.load(None, {"forecast.draws": draws})
    out = {}
    t0 = time.perf_counter()
    wb = Workbench(rp)
    wb.plan_tables  # noqa: B018 (computes the stage)
    out["plan_s"] = time.perf_counter() - t0
    for s in STAGES:
        t = time.perf_counter()
        getattr(wb, s)
        out[f"{s}_s"] = time.perf_counter() - t
    out["cold_s"] = time.perf_counter() - t0
    wb2 = Workbench(rp.with_overrides({"teachers.attrition_rate": 0.04}))
    wb2.__dict__["plan_tables"] = wb.plan_tables
    t = time.perf_counter()
    for s in STAGES:
        getattr(wb2, s)
    out["warm_s"] = time.perf_counter() - t
    out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if profile:
        prof = cProfile.Profile()
        wb3 = Workbench(rp.with_overrides({"teachers.attrition_rate": 0.05}))
        wb3.__dict__["plan_tables"] = wb.plan_tables
        prof.enable()
        for s in STAGES:
            getattr(wb3, s)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(30)
        out["profile"] = buf.getvalue()
    return out


def _spin(n: int) -> float:
    s = 0
    for i in range(n):
        s += i * i
    return float(s)


def available_parallelism(workers: int, n: int = 8_000_000) -> float:
    """How much faster ``workers`` processes finish ``workers`` equal pure-Python loops than
    one process finishes one, right now: the ceiling for any sweep ratio on a shared machine."""
    import multiprocessing as mp

    t = time.perf_counter()
    _spin(n)
    one = time.perf_counter() - t
    with mp.get_context("spawn").Pool(workers) as pool:
        pool.map(_spin, [1000] * workers)  # start the processes first
        t = time.perf_counter()
        pool.map(_spin, [n] * workers)
        many = time.perf_counter() - t
    return workers * one / many


def _load() -> str:
    """The machine's load average (1, 5, 15 min) and core count: a busy machine shows here."""
    return "load average {:.2f} {:.2f} {:.2f} on {} cores".format(*os.getloadavg(), os.cpu_count())


def sweep_throughput(design_path: Path, samples: int, workers: int) -> dict:
    """Serial, then a fresh LocalCluster of ``workers`` processes (its start-up included), then
    warm clusters of 1 and of ``workers`` processes, each into its own folder: runs per second,
    wall and CPU seconds per run (driver and workers), the workers' CPU split, identical tables."""
    from qyedu.sweep import design_from_dict, load_design, run_sweep
    from qyedu.sweep.task import worker_stats

    d = load_design(design_path)
    d = design_from_dict(d.model_dump() | {"samples": samples})
    res = {"load_before": os.getloadavg()}
    quiet = {"progress": False, "figures": False, "log": lambda *_: None}
    with tempfile.TemporaryDirectory() as tmp:
        label = f"local_{workers}"
        for name, w in (("serial", 0), (label, workers)):
            t, c, b = time.perf_counter(), time.process_time(), worker_stats()
            r = run_sweep(d, out=Path(tmp) / name, workers=w, **quiet)
            dt, cpu, a = time.perf_counter() - t, time.process_time() - c, worker_stats()
            n = r.runs["run"].nunique()
            res[name] = {"runs": n, "seconds": dt, "runs_per_s": n / dt,
                         "driver_cpu_s_per_run": cpu / n}
            if w == 0:
                res[name]["model_cpu_s_per_run"] = (a["task_thread_cpu_s"]
                                                    - b["task_thread_cpu_s"]) / n
                res[name]["minor_faults_per_run"] = (a["minor_faults"] - b["minor_faults"]) / n
        # steady state: a cluster already started and warmed (workers imported qyedu and
        # parsed the plan), reached by its address as with --scheduler: 1 worker, then N
        for n_w in (1, workers):
            res[f"warm_{n_w}"] = warm_cluster(d, Path(tmp) / f"warm_{n_w}", n_w, n)
        a = {f: (Path(tmp) / "serial" / f).read_bytes() for f in ("runs.csv", "indices.csv")}
        res["identical_tables"] = all(
            (Path(tmp) / folder / f).read_bytes() == b for f, b in a.items()
            for folder in (label, "warm_1", f"warm_{workers}"))
    res["load_after"] = os.getloadavg()
    serial = res["serial"]
    for k in (label, "warm_1", f"warm_{workers}"):
        res[k]["speedup"] = res[k]["runs_per_s"] / serial["runs_per_s"]
        if k.startswith("warm"):
            # what the CPU seconds imply for an idle machine with as many free cores as
            # workers: serial does one run per serial CPU-s; N busy cores do N runs per
            # (worker + driver) CPU-s of a run
            w = res[k]
            n_w = w["workers"]
            w["implied_speedup"] = (min(n_w, os.cpu_count() or n_w) * serial["driver_cpu_s_per_run"]
                                    / (w["cpu_s_per_run"] + w["driver_cpu_s_per_run"]))
    return res


def warm_cluster(d, out: Path, workers: int, n: int) -> dict:
    """Runs per second and CPU-s per run on a started, warmed LocalCluster of ``workers``
    processes (one thread each), with the workers' CPU split into the task thread (the model
    work), their other threads while a task ran, and the time between tasks."""
    from dask.distributed import Client

    from qyedu.sweep import design_from_dict, run_sweep
    from qyedu.sweep.execute import local_cluster
    from qyedu.sweep.task import worker_stats

    quiet = {"progress": False, "figures": False, "log": lambda *_: None}
    t = time.perf_counter()
    with local_cluster(workers) as cl, Client(cl) as client:  # as `qyedu sweep` starts it
        start = time.perf_counter() - t
        # another seed: the warm-up must not pre-compute runs of the measured design
        warm = design_from_dict(d.model_dump() | {"samples": 1, "name": "warm",
                                                  "seed": d.seed + 1000})
        run_sweep(warm, out=out.with_name(out.name + "_warmup"), scheduler=cl.scheduler_address,
                  **quiet)
        before = client.run(worker_stats)
        t, c = time.perf_counter(), time.process_time()
        run_sweep(d, out=out, scheduler=cl.scheduler_address, **quiet)
        dt, driver = time.perf_counter() - t, time.process_time() - c
        after = client.run(worker_stats)
    delta = {k: sum(after[w][k] - before[w][k] for w in after)
             for k in ("process_cpu_s", "task_thread_cpu_s", "process_cpu_during_tasks_s",
                       "runs", "batches", "minor_faults", "involuntary_switches")}
    cpu = delta["process_cpu_s"]
    facts = next(iter(after.values()))
    return {"workers": workers, "runs": n, "seconds": dt, "runs_per_s": n / dt,
            "cpu_s_per_run": cpu / n, "driver_cpu_s_per_run": driver / n,
            "model_cpu_s_per_run": delta["task_thread_cpu_s"] / n,
            "other_threads_during_tasks_cpu_s_per_run":
                (delta["process_cpu_during_tasks_s"] - delta["task_thread_cpu_s"]) / n,
            "between_tasks_cpu_s_per_run": (cpu - delta["process_cpu_during_tasks_s"]) / n,
            "minor_faults_per_run": delta["minor_faults"] / n,
            "tasks": delta["batches"], "cores_busy": cpu / dt, "start_s": start,
            "worker_threads": {k: facts[k] for k in ("python_threads", "os_threads",
                                                     "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                                     "MKL_NUM_THREADS",
                                                     "MALLOC_TRIM_THRESHOLD_")}}


def reuse(draws: int = 200, n: int = 6) -> dict:
    """Serial seconds per run of a teachers-only grid (one shared projection) vs a grid over a
    births parameter (a projection per run): what reusing the projection saves."""
    from qyedu.sweep import design_from_dict, run_sweep

    out = {}
    grids = {"warm-up": ("teachers.attrition_rate", [0.01, 0.02]),
             "teachers.attrition_rate": ("teachers.attrition_rate", [0.01, 0.06]),
             "births.annual_change_sd": ("births.annual_change_sd", [0.0, 0.03])}
    with tempfile.TemporaryDirectory() as tmp:
        for label, (key, rng) in grids.items():
            d = design_from_dict({"name": "reuse", "method": "grid", "batch_size": n,
                                  "fixed": {"forecast.draws": draws},
                                  "outputs": ["compulsory_surplus_2025_p50", "teacher_hires_total"],
                                  "parameters": {key: {"range": rng, "steps": n}}})
            t = time.perf_counter()
            run_sweep(d, out=Path(tmp) / label, workers=0, progress=False, figures=False,
                      log=lambda *_: None)
            out[label] = (time.perf_counter() - t) / n
    out.pop("warm-up")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--design", type=Path, default=Path("params/sweeps/example.yaml"))
    ap.add_argument("--samples", type=int, default=16)
    ap.add_argument("--draws", type=int, default=500)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    chain = one_chain(args.draws, args.profile)
    print(f"one chain, {args.draws} draws, one core: cold {chain['cold_s']:.2f} s "
          f"(plan {chain['plan_s']:.2f} s), warm {chain['warm_s']:.2f} s; "
          f"peak RSS {chain['max_rss_mb']:.0f} MB")
    print("  " + ", ".join(f"{s} {chain[s + '_s']:.3f} s" for s in STAGES))
    if args.profile:
        print(chain.pop("profile"))
    ru = reuse()
    print("seconds per run, serial, 200 draws: " + ", ".join(
        f"{k}-only grid {v:.2f} s" for k, v in ru.items()) + " (the first reuses one projection)")
    par = available_parallelism(args.workers)
    print(f"available parallelism now ({args.workers} processes of a pure-Python loop): {par:.2f}×")
    print(f"before the sweeps: {_load()}")
    sw = sweep_throughput(args.design, args.samples, args.workers)
    sw["available_parallelism"] = par
    print(f"after the sweeps:  {_load()}")
    w, n = f"local_{args.workers}", args.workers
    s0 = sw["serial"]
    print(f"sweep {args.design.name} ({s0['runs']} runs), identical tables: {sw['identical_tables']}")
    print(f"  serial             {s0['runs_per_s']:5.2f} runs/s  {s0['seconds']:6.1f} s  "
          f"CPU {s0['driver_cpu_s_per_run']:.3f} s/run (model {s0['model_cpu_s_per_run']:.3f}); "
          f"{s0['minor_faults_per_run']:.0f} page faults/run")
    print(f"  fresh cluster, {n} w {sw[w]['runs_per_s']:5.2f} runs/s  {sw[w]['seconds']:6.1f} s  "
          f"(start-up included) = {sw[w]['speedup']:.2f}× serial")
    for k in ("warm_1", f"warm_{n}"):
        r = sw[k]
        print(f"  warm cluster, {r['workers']} w  {r['runs_per_s']:5.2f} runs/s  {r['seconds']:6.1f} s  "
              f"= {r['speedup']:.2f}× serial (implied by CPU-s on idle cores: "
              f"{r['implied_speedup']:.2f}×); worker CPU {r['cpu_s_per_run']:.3f} s/run = model "
              f"{r['model_cpu_s_per_run']:.3f} + other threads during tasks "
              f"{r['other_threads_during_tasks_cpu_s_per_run']:.3f} + between tasks "
              f"{r['between_tasks_cpu_s_per_run']:.3f}; driver {r['driver_cpu_s_per_run']:.3f} "
              f"s/run; {r['minor_faults_per_run']:.0f} page faults/run in workers; "
              f"{r['tasks']} tasks; cluster start {r['start_s']:.1f} s")
    print(f"  worker threads: {sw[f'warm_{n}']['worker_threads']}")
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_sweep.json").write_text(json.dumps(
        {"chain": chain, "reuse": ru, "sweep": sw, "cpu_count": os.cpu_count(), "args": vars(args)},
        indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
