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
3. The design (its Sobol/Morris base sample cut to ``--samples``) run serially in this process
   and then on a fresh LocalCluster (processes), each into its own temporary folder; runs per
   minute for both, the ratio, and the cluster's start-up time; then on warm clusters of 1 and
   N workers (throughput and CPU-s per run of the workers, N vs 1 in the same run) and of N
   workers with Dask's sampling profiler off, with the workers' BLAS/OpenMP thread settings
   (where a worker's extra CPU per run goes). All give identical tables.
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


def sweep_throughput(design_path: Path, samples: int, workers: int) -> dict:
    from qyedu.sweep import design_from_dict, load_design, run_sweep

    d = load_design(design_path)
    d = design_from_dict(d.model_dump() | {"samples": samples})
    res = {}
    quiet = {"progress": False, "figures": False, "log": lambda *_: None}
    with tempfile.TemporaryDirectory() as tmp:
        label = f"local_{workers}"
        for name, w in (("serial", 0), (label, workers)):
            t, c = time.perf_counter(), time.process_time()
            r = run_sweep(d, out=Path(tmp) / name, workers=w, **quiet)
            dt = time.perf_counter() - t
            n = r.runs["run"].nunique()
            res[name] = {"runs": n, "seconds": dt, "runs_per_minute": 60 * n / dt}
            if w == 0:
                res[name]["cpu_s_per_run"] = (time.process_time() - c) / n
        # steady state: a cluster already started and warmed (workers imported qyedu and
        # parsed the plan), reached by its address as with --scheduler: 1 worker, then N
        # workers, then N workers with Dask's sampling profiler off (where the CPU goes)
        for n_w, profile in ((1, True), (workers, True), (workers, False)):
            key = f"warm_{n_w}" + ("" if profile else "_noprofile")
            res[key] = warm_cluster(d, Path(tmp) / key, n_w, profile, n)
        res["cluster_start_s"] = res[f"warm_{workers}"].pop("start_s")
        res[label + "_warm"] = res[f"warm_{workers}"]
        a = (Path(tmp) / "serial" / "runs.csv").read_bytes()
        res["identical_tables"] = all(
            (Path(tmp) / f / "runs.csv").read_bytes() == a
            for f in (label, "warm_1", f"warm_{workers}", f"warm_{workers}_noprofile"))
    for k in (label, label + "_warm"):
        res["ratio" + k.removeprefix(label)] = (res[k]["runs_per_minute"]
                                                / res["serial"]["runs_per_minute"])
    res["ratio_2_vs_1_warm"] = (res[f"warm_{workers}"]["runs_per_minute"]
                                / res["warm_1"]["runs_per_minute"])
    return res


def _worker_facts() -> dict:
    """In a worker: BLAS/OpenMP thread settings and pools (oversubscription check)."""
    import os

    facts = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                            "MKL_NUM_THREADS")}
    try:
        from threadpoolctl import threadpool_info

        facts["pools"] = [(p["internal_api"], p["num_threads"]) for p in threadpool_info()]
    except ImportError:
        facts["pools"] = "threadpoolctl not installed"
    return facts


def warm_cluster(d, out: Path, workers: int, profile: bool, n: int) -> dict:
    """Runs per minute and CPU-s per run on a started, warmed LocalCluster of ``workers``
    processes (Dask's sampling profiler on or off)."""
    import dask
    from dask.distributed import Client, LocalCluster

    from qyedu.sweep import design_from_dict, run_sweep

    quiet = {"progress": False, "figures": False, "log": lambda *_: None}
    t = time.perf_counter()
    with dask.config.set({"distributed.worker.profile.enabled": profile}), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                         dashboard_address=None) as cl, Client(cl) as client:
        start = time.perf_counter() - t
        # another seed: the warm-up must not pre-compute runs of the measured design
        warm = design_from_dict(d.model_dump() | {"samples": 1, "name": "warm",
                                                  "seed": d.seed + 1000})
        run_sweep(warm, out=out.with_name(out.name + "_warmup"), scheduler=cl.scheduler_address,
                  **quiet)
        facts = next(iter(client.run(_worker_facts).values()))
        cpu0 = sum(client.run(time.process_time).values())
        t = time.perf_counter()
        run_sweep(d, out=out, scheduler=cl.scheduler_address, **quiet)
        dt = time.perf_counter() - t
        cpu = sum(client.run(time.process_time).values()) - cpu0
    return {"workers": workers, "profiler": profile, "runs": n, "seconds": dt,
            "runs_per_minute": 60 * n / dt, "cpu_s_per_run": cpu / n, "cores_busy": cpu / dt,
            "start_s": start, "worker_threads": facts}


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
    sw = sweep_throughput(args.design, args.samples, args.workers)
    sw["available_parallelism"] = par
    w = f"local_{args.workers}"
    print(f"sweep {args.design.name} ({sw['serial']['runs']} runs): serial "
          f"{sw['serial']['runs_per_minute']:.0f} runs/min; LocalCluster {args.workers} workers "
          f"{sw[w]['runs_per_minute']:.0f} runs/min incl. start-up (ratio {sw['ratio']:.2f}), "
          f"{sw[w + '_warm']['runs_per_minute']:.0f} runs/min on a warm cluster (ratio "
          f"{sw['ratio_warm']:.2f}); cluster start {sw['cluster_start_s']:.1f} s; CPU-s per run "
          f"serial {sw['serial']['cpu_s_per_run']:.2f}, workers {sw[w + '_warm']['cpu_s_per_run']:.2f} "
          f"(worker cores busy on average: {sw[w + '_warm']['cores_busy']:.2f}); "
          f"identical tables: {sw['identical_tables']}")
    one, many = sw["warm_1"], sw[f"warm_{args.workers}"]
    quiet = sw[f"warm_{args.workers}_noprofile"]
    print(f"warm cluster, same design: 1 worker {one['runs_per_minute']:.0f} runs/min "
          f"({one['cpu_s_per_run']:.2f} CPU-s/run), {args.workers} workers "
          f"{many['runs_per_minute']:.0f} runs/min ({many['cpu_s_per_run']:.2f} CPU-s/run): "
          f"{args.workers} vs 1 = {sw['ratio_2_vs_1_warm']:.2f}×; Dask profiler off: "
          f"{quiet['runs_per_minute']:.0f} runs/min ({quiet['cpu_s_per_run']:.2f} CPU-s/run); "
          f"worker threads {many['worker_threads']}")
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_sweep.json").write_text(json.dumps(
        {"chain": chain, "reuse": ru, "sweep": sw, "cpu_count": os.cpu_count(), "args": vars(args)},
        indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
