"""``qyedu plan-places``: the place plan under uncertainty (place_plan.csv: per county ×
level × year × form — permanent, converted, temporary — the places to add, with the expected
shortage, idle places and cost, next to building to the median) for the same parameters as
``qyedu forecast``. ``--out FILE`` writes only place_plan.csv to FILE; without it the cost
tables (costs.csv, cost_units.csv, place_plan.csv) go to the run's data/processed folder.
A bad drop-in file (data/raw/bureau/) exits 2 naming the file and line."""

from __future__ import annotations

from .common import add_run_args, params_from_args
from .teachers import write

MAIN = "place_plan.csv"


def register(sub) -> None:
    p = sub.add_parser("plan-places", help="when, where and in what form to add school places "
                       "(LP over the draws)")
    add_run_args(p, out_help=f"write only {MAIN} to this file (default: the cost tables, with "
                 f"{MAIN}, to the run's data/processed folder)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..workbench import Workbench

    wb = Workbench(params_from_args(args))
    write(wb.cost_tables, MAIN, args.out, wb.params)
    return 0
