"""Benchmark (not a test): the cost of one run of the chain and the sweep throughput serially
vs a LocalCluster of 2 worker processes, in one run.

    .venv/bin/python bench/bench_sweep.py [--design params/sweeps/example.yaml] [--samples 16]
        [--draws 500] [--workers 2] [--rounds 1] [--profile]

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


QUIET = {"progress": False, "figures": False, "log": lambda *_: None}


def _serial(d, out: Path) -> dict:
    """The design run serially in this process: runs/s, CPU-s per run (all, and the model's)."""
    from qyedu.sweep import run_sweep
    from qyedu.sweep.task import worker_stats

    t, c, b = time.perf_counter(), time.process_time(), worker_stats()
    r = run_sweep(d, out=out, workers=0, **QUIET)
    dt, cpu, a = time.perf_counter() - t, time.process_time() - c, worker_stats()
    n = r.runs["run"].nunique()
    return {"runs": n, "seconds": dt, "runs_per_s": n / dt, "cpu_s_per_run": cpu / n,
            "model_cpu_s_per_run": (a["task_thread_cpu_s"] - b["task_thread_cpu_s"]) / n,
            "minor_faults_per_run": (a["minor_faults"] - b["minor_faults"]) / n}


def _on_cluster(d, out: Path, cl, client) -> dict:
    """The design on a started cluster (reached by its address, as with --scheduler): runs/s,
    the driver's and the workers' CPU-s per run, the workers' CPU split into the task thread
    (the model work), their other threads while a task ran, and the time between tasks."""
    from qyedu.sweep import run_sweep
    from qyedu.sweep.task import worker_stats

    before = client.run(worker_stats)
    t, c = time.perf_counter(), time.process_time()
    r = run_sweep(d, out=out, scheduler=cl.scheduler_address, **QUIET)
    dt, driver = time.perf_counter() - t, time.process_time() - c
    after = client.run(worker_stats)
    n = r.runs["run"].nunique()
    delta = {k: sum(after[w][k] - before[w][k] for w in after)
             for k in ("process_cpu_s", "task_thread_cpu_s", "process_cpu_during_tasks_s",
                       "batches", "minor_faults")}
    cpu = delta["process_cpu_s"]
    facts = next(iter(after.values()))
    return {"workers": len(after), "runs": n, "seconds": dt, "runs_per_s": n / dt,
            "cpu_s_per_run": cpu / n, "driver_cpu_s_per_run": driver / n,
            "model_cpu_s_per_run": delta["task_thread_cpu_s"] / n,
            "other_threads_during_tasks_cpu_s_per_run":
                (delta["process_cpu_during_tasks_s"] - delta["task_thread_cpu_s"]) / n,
            "between_tasks_cpu_s_per_run": (cpu - delta["process_cpu_during_tasks_s"]) / n,
            "minor_faults_per_run": delta["minor_faults"] / n,
            "tasks": delta["batches"], "cores_busy": cpu / dt,
            "worker_threads": {k: facts[k] for k in ("python_threads", "os_threads",
                                                     "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                                     "MKL_NUM_THREADS",
                                                     "MALLOC_TRIM_THRESHOLD_")}}


def _median(rows: list[dict]) -> dict:
    """Per key, the median over rounds of the numbers (other values from the first round)."""
    import statistics

    return {k: (statistics.median(r[k] for r in rows) if isinstance(v, int | float)
                and not isinstance(v, bool) else v) for k, v in rows[0].items()}


def sweep_throughput(design_path: Path, samples: int, workers: int, rounds: int = 1) -> dict:
    """Serial, then a fresh LocalCluster of ``workers`` processes (its start-up included), then
    ``rounds`` × (serial, warm cluster of 1, warm cluster of ``workers``), alternating so that
    each round sees the same load (each round another seed: no run is computed twice); medians
    over the rounds of runs/s, CPU-s per run and speed-ups (each round's ratio to its own
    serial run), the speed-up the CPU seconds imply on idle cores, identical tables."""
    from dask.distributed import Client

    from qyedu.sweep import design_from_dict, load_design, run_sweep
    from qyedu.sweep.execute import local_cluster

    d = load_design(design_path)
    d = design_from_dict(d.model_dump() | {"samples": samples})
    res = {"load_before": os.getloadavg(), "rounds": rounds}
    rows: dict[str, list[dict]] = {"serial": [], "warm_1": [], f"warm_{workers}": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows["serial"].append(_serial(d, folder / "serial"))
        t = time.perf_counter()
        r = run_sweep(d, out=folder / "fresh", workers=workers, **QUIET)
        dt = time.perf_counter() - t
        res["fresh"] = {"workers": workers, "seconds": dt,
                        "runs_per_s": r.runs["run"].nunique() / dt}
        t = time.perf_counter()
        with local_cluster(1) as c1, Client(c1) as k1, local_cluster(workers) as cn, \
                Client(cn) as kn:
            res["cluster_start_s"] = time.perf_counter() - t
            # warm-up (imports, plan parsed) with another seed than any measured round
            warm = design_from_dict(d.model_dump() | {"samples": 1, "name": "warm",
                                                      "seed": d.seed + 1000})
            for cl in (c1, cn):
                run_sweep(warm, out=folder / f"warmup_{len(cl.workers)}",
                          scheduler=cl.scheduler_address, **QUIET)
            for i in range(rounds):
                di = d if i == 0 else design_from_dict(d.model_dump() | {"seed": d.seed + i})
                if i:
                    rows["serial"].append(_serial(di, folder / f"serial_{i}"))
                rows["warm_1"].append(_on_cluster(di, folder / f"warm_1_{i}", c1, k1))
                rows[f"warm_{workers}"].append(_on_cluster(di, folder / f"warm_n_{i}", cn, kn))
        a = {f: (folder / "serial" / f).read_bytes() for f in ("runs.csv", "indices.csv")}
        res["identical_tables"] = all((folder / x / f).read_bytes() == b for f, b in a.items()
                                      for x in ("fresh", "warm_1_0", "warm_n_0"))
    res["load_after"] = os.getloadavg()
    cores = os.cpu_count() or workers
    res["fresh"]["speedup"] = res["fresh"]["runs_per_s"] / rows["serial"][0]["runs_per_s"]
    for k in ("warm_1", f"warm_{workers}"):
        for w, s0 in zip(rows[k], rows["serial"], strict=True):
            w["speedup"] = w["runs_per_s"] / s0["runs_per_s"]
            # what the CPU seconds imply on idle cores, one per worker: serially one run per
            # serial CPU-s; N busy cores do N runs per (worker + driver) CPU-s of a run
            w["implied_speedup"] = (min(w["workers"], cores) * s0["cpu_s_per_run"]
                                    / (w["cpu_s_per_run"] + w["driver_cpu_s_per_run"]))
    for k, v in rows.items():
        res[k] = _median(v)
        res[k + "_rounds"] = v
    return res


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
    ap.add_argument("--rounds", type=int, default=1,
                    help="alternate serial / 1 worker / N workers this many times (medians): "
                    "steadier CPU-s per run on a shared machine")
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
    sw = sweep_throughput(args.design, args.samples, args.workers, args.rounds)
    sw["available_parallelism"] = par
    print(f"after the sweeps:  {_load()}")
    n, s0, fr = args.workers, sw["serial"], sw["fresh"]
    med = f" (medians of {args.rounds} rounds)" if args.rounds > 1 else ""
    print(f"sweep {args.design.name} ({s0['runs']:.0f} runs){med}, identical tables: "
          f"{sw['identical_tables']}")
    print(f"  serial              {s0['runs_per_s']:5.2f} runs/s {s0['seconds']:6.1f} s; CPU "
          f"{s0['cpu_s_per_run']:.3f} s/run (model {s0['model_cpu_s_per_run']:.3f}); "
          f"{s0['minor_faults_per_run']:.0f} page faults/run")
    print(f"  fresh cluster, {n} w  {fr['runs_per_s']:5.2f} runs/s {fr['seconds']:6.1f} s "
          f"(start-up included) = {fr['speedup']:.2f}× serial")
    for k in ("warm_1", f"warm_{n}"):
        r = sw[k]
        print(f"  warm cluster, {r['workers']:.0f} w   {r['runs_per_s']:5.2f} runs/s {r['seconds']:6.1f} s "
              f"= {r['speedup']:.2f}× serial; implied by CPU-s on idle cores "
              f"{r['implied_speedup']:.2f}×")
        print(f"      worker CPU {r['cpu_s_per_run']:.3f} s/run = model "
              f"{r['model_cpu_s_per_run']:.3f} + other threads during tasks "
              f"{r['other_threads_during_tasks_cpu_s_per_run']:.3f} + between tasks "
              f"{r['between_tasks_cpu_s_per_run']:.3f}; driver {r['driver_cpu_s_per_run']:.3f} "
              f"s/run; {r['minor_faults_per_run']:.0f} page faults/run; {r['tasks']:.0f} tasks")
    print(f"  clusters started in {sw['cluster_start_s']:.1f} s; worker threads and settings: "
          f"{sw[f'warm_{n}']['worker_threads']}")
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_sweep.json").write_text(json.dumps(
        {"chain": chain, "reuse": ru, "sweep": sw, "cpu_count": os.cpu_count(), "args": vars(args)},
        indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
