"""``qyedu costs``: capital and salary costs by level and year with bands (costs.csv; unit
costs in cost_units.csv) for the same parameters as ``qyedu forecast``. ``--out FILE`` writes
only costs.csv to FILE."""

from __future__ import annotations

from .common import add_run_args, params_from_args
from .teachers import write

MAIN = "costs.csv"


def register(sub) -> None:
    p = sub.add_parser("costs", help="capital cost of places and salary bill of teachers")
    add_run_args(p, out_help=f"write only {MAIN} to this file (default: costs.csv and "
                 "cost_units.csv to the run's data/processed folder)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..workbench import Workbench

    wb = Workbench(params_from_args(args))
    write(wb.cost_tables, MAIN, args.out, wb.params)
    return 0
