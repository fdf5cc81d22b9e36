"""``qyedu places``: places needed by level, county and year, capacity (baseline with
overcrowding + places delivered and planned), gaps, shortages per county without netting,
overcrowding, the public view, the plan's places promises and the three answers side by side
(places_demand.csv, places_promises.csv, places_answers.csv).

Side effects: ``--out FILE`` writes only FILE (places_demand.csv). The two other tables are
written only when asked: ``--tables-dir DIR`` writes all three into DIR. Without either, the
three go to the run's output folder (data/processed or its scenarios/<slug>/), as ``qyedu build``.
"""

from __future__ import annotations

from pathlib import Path

from .common import add_run_args, params_from_args

MAIN = "places_demand.csv"


def register(sub) -> None:
    p = sub.add_parser("places", help="school places needed, capacity, shortages by county, "
                       "overcrowding, places promises")
    add_run_args(p, out_help=f"file for {MAIN}; nothing else is written "
                 "(default: all tables into the run's data/processed folder)")
    p.add_argument("--tables-dir", type=Path, default=None, metavar="DIR",
                   help="also write places_demand.csv, places_promises.csv and "
                        "places_answers.csv into DIR")
    p.set_defaults(func=run)


def write_tables(tables: dict, main: str, out: Path | None, rp, siblings: bool = True,
                 tables_dir: Path | None = None) -> dict[str, Path]:
    """Write ``main`` to ``out`` (and, if ``siblings``, the other tables next to it); with
    neither ``out`` nor ``tables_dir``, every table into the run's output folder; with
    ``tables_dir``, every table into it as well."""
    from ..build import publish_tables
    from ..io import write_csv_atomic

    if not out and not tables_dir:  # published as a new generation of the run's set
        written = publish_tables(rp, tables, progress=lambda m: None)
        for name, path in written.items():
            print(f"wrote {path} ({len(tables[name])} rows)")
        return written
    targets: list[tuple[str, Path]] = []
    if out:
        targets.append((main, out))
        if siblings:
            targets += [(n, out.parent / n) for n in sorted(tables) if n != main]
    if tables_dir:
        targets += [(n, tables_dir / n) for n in sorted(tables)]
    written = {}
    for name, path in targets:
        written[name] = write_csv_atomic(tables[name], path)
        print(f"wrote {path} ({len(tables[name])} rows)")
    return written


def run(args) -> int:
    from ..workbench import Workbench

    wb = Workbench(params_from_args(args))
    write_tables(wb.places_tables, MAIN, args.out, wb.params, siblings=False,
                 tables_dir=args.tables_dir)
    return 0
