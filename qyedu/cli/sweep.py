"""``qyedu sweep DESIGN.yaml``: run a design over named parameters (full grid, Morris or
Sobol) on Dask and write runs.csv, indices.csv, the verdict tables and the figures into
the sweep store data/sweeps/<name>/ (read as data/processed/sweeps/<name>/; or --out).
Interrupted sweeps resume where they stopped."""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("sweep", help="sensitivity sweep over parameters (grid, Morris, Sobol) on Dask")
    p.add_argument("design", type=Path, help="sweep design (YAML), e.g. params/sweeps/example.yaml")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=None, metavar="N",
                       help="worker processes of a LocalCluster (default: one per core; "
                            "0 = run serially in this process, no Dask)")
    where.add_argument("--scheduler", default=None, metavar="ADDR",
                       help="address of an existing Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                            "(its workers need qyedu installed)")
    p.add_argument("--out", type=Path, default=None,
                   help="output folder outside the published tree (default: the sweep store "
                        "data/sweeps/<name>/, read as data/processed/sweeps/<name>/)")
    p.add_argument("--fresh", action="store_true",
                   help="discard runs stored in the output folder instead of resuming")
    p.add_argument("--no-progress", dest="progress", action="store_false",
                   help="no progress bar")
    p.add_argument("--no-figures", dest="figures", action="store_false",
                   help="tables only")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..sweep import load_design, run_sweep
    from ..views.sensitivity import headline

    if args.workers is not None and args.workers < 0:
        from ..params import ParamError

        raise ParamError("--workers must be 0 (serial) or a positive number of processes")
    design = load_design(args.design)
    if args.out is not None:
        from ..sweep.store import check_out

        check_out(args.out)
    res = run_sweep(design, out=args.out, workers=args.workers, scheduler=args.scheduler,
                    progress=args.progress, fresh=args.fresh, figures=args.figures)
    n = res.runs["run"].nunique() if len(res.runs) else 0
    print(f"[sweep] {n} runs ({res.new_runs} new) in {res.seconds:.1f} s → {res.out}")
    for line in headline(res.tables, design.method):
        print(line)
    return 0
