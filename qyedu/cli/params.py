"""``qyedu params``: list every parameter (default, unit, range, source, description) by
section, or validate a parameter file. The ranges of the scenario, the base year and the
county are those the births-paths file and the data actually allow (``qyedu.api.supported``)."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("params", help="list parameters (with units and sources) or check a file")
    p.add_argument("--check", type=Path, default=None, help="validate this parameter file")
    p.add_argument("--csv", action="store_true", help="print the table as CSV (for scripts)")
    p.add_argument("section", nargs="?", default=None,
                   help="only this section (forecast, births, projection, places, …)")
    p.set_defaults(func=run)


def listing(table, width: int = 100) -> str:
    """The parameter table as text: one block per parameter, grouped by section."""
    out, section = [], None
    for r in table.itertuples(index=False):
        sec = r.name.split(".")[0]
        if sec != section:
            section = sec
            out.append(f"\n[{sec}]")
        rng = f"  ({r.range})" if r.range else ""
        out.append(f"  {r.name} = {r.default!r}  [{r.unit}]{rng}")
        for label, text in (("", r.description), ("source: ", r.source)):
            out += textwrap.wrap(label + str(text), width, initial_indent="      ",
                                 subsequent_indent="        ")
    return "\n".join(out).lstrip("\n")


def run(args) -> int:
    from .. import params
    from ..api import supported

    if args.check:
        rp = params.load(args.check)
        print(f"{args.check}: valid ({rp.slug()})")
        return 0
    # the ranges the files and data allow: the scenarios defined in the births-paths file,
    # the base years the Qingyuan inputs support, the reporting units
    table = supported(params.describe(params.RunParams))
    if args.section:
        keep = table["name"].str.startswith(args.section + ".")
        if not keep.any():
            raise params.ParamError(f"no parameter section {args.section!r}; sections: "
                                    + ", ".join(params.SECTIONS))
        table = table[keep]
    if args.csv:
        table.to_csv(sys.stdout, index=False)
    else:
        print(listing(table))
        print(f"\n{len(table)} parameters. Set any of them with --set NAME=VALUE "
              "(or in a parameter file, section by section).")
    return 0
