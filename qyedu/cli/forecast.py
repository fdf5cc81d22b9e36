"""``qyedu forecast``: project enrolment (births → cohorts → enrolment) and write the tidy
table ``year, level, county, scenario, quantity, mean, p05, p50, p95`` (county 全市 = city)."""

from __future__ import annotations

import time

from .common import add_run_args, params_from_args


def register(sub) -> None:
    p = sub.add_parser(
        "forecast", help="project enrolment by year, level and county (Monte Carlo bands)")
    add_run_args(p, out_help="output CSV (default data/processed/enrollment_forecast.csv for "
                             "the default parameters, else a scenario-specific folder)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..build import publish_tables
    from ..io import write_csv_atomic
    from ..projection import forecast_table
    from ..workbench import Workbench

    rp = params_from_args(args)
    fp = rp.forecast
    out = args.out
    t0 = time.perf_counter()
    print(f"[forecast] scenario {fp.scenario}, as of {fp.base_year}, to {fp.horizon}, "
          f"{fp.draws} draws, seed {fp.seed}, births {fp.births_method}", flush=True)
    wb = Workbench(rp, progress=lambda m: print(m, flush=True))
    result = wb.result
    table = forecast_table(result)
    if out is None:  # published as a new generation of the run's set
        out = publish_tables(rp, {"enrollment_forecast.csv": table},
                             progress=lambda m: None)["enrollment_forecast.csv"]
    else:
        write_csv_atomic(table, out)
    print(f"[forecast] wrote {len(table)} rows to {out} ({time.perf_counter() - t0:.1f} s)")
    return 0
