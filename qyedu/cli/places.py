"""``qyedu places``: classes, places, capacity gaps and the plan's places promises
(places_demand.csv, places_promises.csv) for the same parameters as ``qyedu forecast``."""

from __future__ import annotations

from pathlib import Path

from .common import add_run_args, params_from_args

MAIN = "places_demand.csv"


def register(sub) -> None:
    p = sub.add_parser("places", help="school places needed, capacity gaps, places promises")
    add_run_args(p, out_help=f"file for {MAIN}; sibling tables are written next to it "
                 "(default: the run's data/processed folder)")
    p.set_defaults(func=run)


def write_tables(tables: dict, main: str, out: Path | None, rp) -> dict[str, Path]:
    """Write ``main`` to ``out`` (or the run's output folder) and the other tables next to it."""
    from ..build import publish_tables
    from ..io import write_csv_atomic

    if out is None:  # published as a new generation of the run's set (never edited in place)
        written = publish_tables(rp, tables, progress=lambda m: None)
        for name, path in written.items():
            print(f"wrote {path} ({len(tables[name])} rows)")
        return written
    folder = out.parent
    written = {}
    for name, df in sorted(tables.items()):
        path = out if (out and name == main) else folder / name
        written[name] = write_csv_atomic(df, path)
        print(f"wrote {path} ({len(df)} rows)")
    return written


def run(args) -> int:
    from ..workbench import Workbench

    wb = Workbench(params_from_args(args))
    write_tables(wb.places_tables, MAIN, args.out, wb.params)
    return 0
