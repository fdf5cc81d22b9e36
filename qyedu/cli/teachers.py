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
    from .. import projection, teachers

    rp = params_from_args(args)
    result = projection.run(rp.forecast)
    write_tables(teachers.tables(result, rp), MAIN, args.out, rp)
    return 0
