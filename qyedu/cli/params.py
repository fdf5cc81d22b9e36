"""``qyedu params``: print every parameter with its default, unit, range and source, or
validate a parameter file."""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("params", help="list parameters (with units and sources) or check a file")
    p.add_argument("--check", type=Path, default=None, help="validate this parameter file")
    p.set_defaults(func=run)


def run(args) -> int:
    import pandas as pd

    from .. import params

    if args.check:
        rp = params.load(args.check)
        print(f"{args.check}: valid ({rp.slug()})")
        return 0
    with pd.option_context("display.max_colwidth", 60, "display.width", 200):
        print(params.describe(params.RunParams).to_string(index=False))
    return 0
