"""Benchmark (not a test): the stages of `qyedu validate` (full: the factor calibration
back-test, the honest-in-time harness, then the forecast command checked as a new user runs
it, on the committed calibration), with nothing written.

    .venv/bin/python bench/bench_validate.py [--workers 2]

Prints the machine's load average before and after, each stage's wall time (the harness's
own progress lines, time-stamped) and the total; goal < 60 s on 2 cores (issue 18).
"""

from __future__ import annotations

import argparse
import os
import time


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    from qyedu.validation.backtest import panel_backtest
    from qyedu.validation.command_check import command_check_table
    from qyedu.validation.honest import run_honest
    from qyedu.validation.panel import load_panel

    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    stamps: list[tuple[str, float]] = []
    panel_backtest(load_panel(), draws=500, seed=1, progress=lambda m: None,
                   workers=args.workers)
    stamps.append(("factor calibration back-test (not written)", time.perf_counter()))

    def say(msg: str) -> None:
        if msg.startswith("[validate] ") and " origin " not in msg:
            stamps.append((msg[len("[validate] "):].split(":")[0], time.perf_counter()))

    res = run_honest(progress=say, workers=args.workers)
    stamps.append(("accuracy tables, held-out, published band", time.perf_counter()))
    command_check_table(args.workers)
    stamps.append(("the forecast command checked (command_check)", time.perf_counter()))
    total = time.perf_counter() - t0
    print(f"qyedu validate stages, {args.workers} worker processes "
          f"(load average {load0:.2f} before, {os.getloadavg()[0]:.2f} after):")
    prev = t0
    for name, t in stamps:
        print(f"  {name:<48}{t - prev:>7.1f} s")
        prev = t
    print(f"  {'total':<48}{total:>7.1f} s  (run_honest alone {res['seconds']:.1f} s; goal "
          f"< 60 s: {'met' if total < 60 else 'NOT met'})")


if __name__ == "__main__":
    main()
