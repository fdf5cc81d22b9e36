"""``qyedu teachers``: the teacher stock flow (demand, stock, leavers, hires, surplus,
transfers; teacher_hiring.csv) for the same parameters as ``qyedu forecast``. ``--out FILE``
writes only that table to FILE; without ``--out`` every teacher table (teacher_demand.csv,
teacher_hiring.csv, teacher_qualifications.csv) goes to the run's data/processed folder."""

from __future__ import annotations

from pathlib import Path

from .common import add_run_args, params_from_args

MAIN = "teacher_hiring.csv"


def register(sub) -> None:
    p = sub.add_parser("teachers", help="teacher stock flow, hiring, qualification mix")
    add_run_args(p, out_help=f"write only {MAIN} (the stock flow) to this file (default: all "
                 "teacher tables to the run's data/processed folder)")
    p.set_defaults(func=run)


def write(tables: dict, main: str, out: Path | None, rp) -> dict[str, Path]:
    """``--out FILE``: only ``main`` to FILE; else every table to the run's output folder."""
    from ..build import publish_tables
    from ..io import write_csv_atomic

    if not out:  # published as a new generation of the run's set (never edited in place)
        written = publish_tables(rp, tables, progress=lambda m: None)
        for name, path in written.items():
            print(f"wrote {path} ({len(tables[name])} rows)")
        return written
    chosen = {main: out}
    written = {}
    for name, path in chosen.items():
        written[name] = write_csv_atomic(tables[name], path)
        print(f"wrote {path} ({len(tables[name])} rows)")
    return written


def run(args) -> int:
    from ..workbench import Workbench

    wb = Workbench(params_from_args(args))
    write(wb.teacher_tables, MAIN, args.out, wb.params)
    return 0
