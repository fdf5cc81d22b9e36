"""``qyedu plan``: regenerate the plan indicator registry and its audit flags."""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("plan", help="parse and audit the plan text → plan_indicators.csv, "
                                    "plan_flags.csv")
    p.add_argument("--plan", type=Path, default=None,
                   help="plan text file (default: data/raw/qingyuan-education-14th-fyp.txt)")
    p.add_argument("--out", type=Path, default=None,
                   help="output folder (default: data/processed)")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import paths
    from ..build import check_publishable_plan, publish_tables
    from ..errors import QyeduError
    from ..io import write_csv_atomic
    from ..plan import tables
    from .common import out_problems

    out = args.out if args.out is not None else paths.data_processed()
    if args.out is None:
        check_publishable_plan(args.plan)  # another plan text: only with --out
    else:
        problems = out_problems(args.out, "dir")
        if problems:
            raise QyeduError(problems[0])
    result = tables(args.plan)  # parses everything before anything is written
    if args.out is None:  # published as a new generation (never edited in place)
        publish_tables(None, result, progress=lambda m: None)
    for name, df in result.items() if args.out is not None else ():
        write_csv_atomic(df, Path(out) / name)
    ind, flags = result["plan_indicators.csv"], result["plan_flags.csv"]
    sev = flags["severity"].value_counts()
    print(f"plan_indicators.csv: {len(ind)} rows, {ind['indicator_id'].nunique()} indicators")
    print(f"plan_flags.csv: {len(flags)} flags ("
          + ", ".join(f"{sev.get(s, 0)} {s}" for s in ("error", "warning", "info")) + ")")
    print(f"written to {out}")
    return 0
