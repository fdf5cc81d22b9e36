"""``qyedu refresh``: rebuild data/processed, execute every notebook, publish HTML reports,
figures and manifest — all or nothing (docs/REFRESH.md).

Exit status: 0 published; 1 a step or notebook failed (nothing published); 2 bad parameters
or notebooks not declaring the pipeline's parameters (nothing ran); 3 another refresh holds
the lock."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime

from .common import add_run_args, params_from_args

# one kernel per core, at most 4 (each kernel holds a few hundred MB)
DEFAULT_JOBS = max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                          else os.cpu_count() or 1))


def register(sub) -> None:
    p = sub.add_parser("refresh", help="rebuild data, execute notebooks, publish reports/figures",
                       description=__doc__)
    add_run_args(p)
    p.add_argument("--only", action="append", metavar="NAME", default=None,
                   help="run only notebooks whose name is or contains NAME (repeatable); "
                        "their pages/figures replace the published ones, the rest are kept")
    p.add_argument("--jobs", type=int, default=DEFAULT_JOBS, metavar="N",
                   help="notebooks executed in parallel, the longest first (each in its own "
                   f"kernel; default: the cores, at most 4 = {DEFAULT_JOBS} here)")
    p.add_argument("--timeout", type=float, default=600, metavar="SECONDS",
                   help="limit per notebook cell (default 600; 0 = no limit)")
    p.add_argument("--no-build", dest="build", action="store_false",
                   help="skip rebuilding data/processed; notebooks read the published tables")
    p.add_argument("--wait", type=float, nargs="?", const=-1, default=0, metavar="SECONDS",
                   help="if another refresh is running, wait for it (forever, or at most "
                        "SECONDS) instead of stopping at once")
    p.set_defaults(func=run)


def stamp() -> str:
    """UTC time stamp that starts every log line of a refresh."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def run(args) -> int:
    from ..pipeline import LockBusy, RefreshFailed, refresh
    from ..pipeline.runner import check_run_values

    # every option checked before anything runs (bad file/key/value/county/jobs/timeout:
    # one QyeduError listing them all → exit 2)
    timeout = None if args.timeout == 0 else args.timeout
    rp = params_from_args(args, problems=check_run_values(args.jobs, timeout, args.wait))

    def say(line: str) -> None:
        print(f"{stamp()} {line}", flush=True)

    try:
        report = refresh(rp, params_file=args.params, only=args.only, jobs=args.jobs,
                         timeout=timeout, build=args.build, progress=say, wait=args.wait)
    except (RefreshFailed, LockBusy) as err:
        print(f"{stamp()} qyedu refresh: error: {err}", file=sys.stderr)
        if err.__cause__ is not None and not isinstance(err.__cause__, OSError):
            # an unexpected error in build/render (a full disk or a read-only folder is
            # said in the message; the traceback is in .failed/error.txt either way)
            import traceback

            traceback.print_exception(err.__cause__, file=sys.stderr)
        return err.exit_code
    say(f"[refresh] done: {len(report.notebooks)} notebook(s) → {report.reports_dir / 'index.html'}")
    return 0
