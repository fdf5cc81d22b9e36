"""``qyedu scorecard``: judge every plan target against published observations and the
projection; write scorecard.csv atomically and print the counts by status."""

from __future__ import annotations

from pathlib import Path

from .common import add_run_args, params_from_args


def register(sub) -> None:
    p = sub.add_parser("scorecard", help="status of every plan target (met, on track, at risk …)")
    add_run_args(p, out_help="output CSV (default <processed dir>/scorecard.csv)")
    p.add_argument("--observed", type=Path, default=None,
                   help="folder of observation CSVs (default data/raw/observed)")
    p.add_argument("--evaluation-year", dest="evaluation_year", default=None,
                   help="judge targets as of this year (default 2026)")
    p.add_argument("--template", type=Path, default=None, metavar="FILE.xlsx|FILE.csv",
                   help="write the template the bureau fills (one row per target, empty "
                        "value/year/source/reliability) and stop; a filled copy in "
                        "data/raw/observed/ is validated and judged")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..build import publish_tables
    from ..io import write_csv_atomic
    from ..scorecard import STATUSES, judged_counts
    from ..workbench import Workbench
    from .common import out_problems

    # --template follows the --out rule (not a folder, device or the published tree)
    bad = [] if args.template is None else [
        m.replace("--out", "--template", 1) for m in out_problems(args.template)]
    rp = params_from_args(args, {"scorecard.evaluation_year": args.evaluation_year}, bad)
    wb = Workbench(rp, observed_dir=args.observed)
    if args.template is not None:
        return write_template_file(wb, args.template)
    card = wb.scorecard_tables["scorecard.csv"]
    if args.out is None:  # published as a new generation of the run's set
        out = publish_tables(rp, {"scorecard.csv": card}, progress=lambda m: None)["scorecard.csv"]
    else:
        out = write_csv_atomic(card, args.out)
    counts = card["status"].value_counts()
    print(f"wrote {out} ({len(card)} targets, as of {rp.scorecard.evaluation_year})")
    for status in STATUSES:
        print(f"  {status:<9} {int(counts.get(status, 0))}")
    n = judged_counts(card)
    print(f"judged on outturns {n['observed']}, on the projection {n['projected']} (apart), "
          f"either way {n['either']} of {n['total']}")
    return 0


def write_template_file(wb, path: Path) -> int:
    """``--template``: the scorecard template from the plan registry (no model run)."""
    from ..scorecard.template import template_table, write_template

    table = template_table(wb.indicators, wb.params.scorecard)
    out = write_template(table, path)
    print(f"wrote {out} ({len(table)} targets): fill value, year, source, reliability and put "
          "it in data/raw/observed/")
    return 0
