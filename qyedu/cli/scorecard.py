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
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import plan, projection
    from ..build import output_dir
    from ..io import write_csv_atomic
    from ..params import ParamError
    from ..scorecard import STATUSES, ScorecardParams, tables

    rp = params_from_args(args)
    try:
        sp = ScorecardParams(**({} if args.evaluation_year is None
                                else {"evaluation_year": args.evaluation_year}))
    except ValueError as err:
        raise ParamError(f"invalid --evaluation-year: {err}") from None
    card = tables(plan.load_indicators(), projection.run(rp.forecast), rp,
                  observed_dir=args.observed, sp=sp)["scorecard.csv"]
    out = args.out or output_dir(rp) / "scorecard.csv"
    write_csv_atomic(card, out)
    counts = card["status"].value_counts()
    print(f"wrote {out} ({len(card)} targets, as of {sp.evaluation_year})")
    for status in STATUSES:
        print(f"  {status:<9} {int(counts.get(status, 0))}")
    return 0
