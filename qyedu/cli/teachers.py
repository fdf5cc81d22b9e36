"""``qyedu teachers``: staff and teachers needed, hiring need and the qualification mix of
hires (teacher_demand.csv, teacher_hiring.csv, teacher_qualifications.csv) for the same
parameters as ``qyedu forecast``."""

from __future__ import annotations

from .common import add_run_args, params_from_args
from .places import write_tables

MAIN = "teacher_demand.csv"


def register(sub) -> None:
    p = sub.add_parser("teachers", help="teacher demand, hiring need, qualification mix")
    add_run_args(p, out_help=f"file for {MAIN}; sibling tables are written next to it "
                 "(default: the run's data/processed folder)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..workbench import Workbench

    wb = Workbench(params_from_args(args))
    write_tables(wb.teacher_tables, MAIN, args.out, wb.params)
    return 0
