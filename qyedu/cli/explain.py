"""``qyedu explain KEY``: how one published number was computed — the formula in words, its
inputs with values, the parameters with this run's values, the raw rows with their source and
reliability. ``qyedu explain`` alone lists the keys (the rows of reports/verdicts.csv)."""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("explain", help="trace a published number to its formula, inputs and raw rows")
    p.add_argument("key", nargs="?", default=None,
                   help="a key of verdicts.csv, e.g. compulsory_new_places.compulsory.surplus.2025")
    p.add_argument("--processed", type=Path, default=None,
                   help="the tables to read (default data/processed)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..errors import QyeduError
    from ..views import explain as ex

    processed = args.processed
    if processed is not None and not Path(processed).is_dir():
        raise QyeduError(f"--processed {processed}: no such folder")
    known = ex.keys(processed)
    if not known:
        raise QyeduError("no places tables: run `qyedu build` (or `python3 dev.py run`) first")
    if args.key is None:
        print("\n".join(known))
        return 0
    try:
        e = ex.explain(args.key, processed)
    except KeyError:
        near = [k for k in known if args.key.split(".")[0] in k][:8] or known[:8]
        raise QyeduError(f"unknown key {args.key!r}; known keys include:\n  "
                         + "\n  ".join(near) + "\n(`qyedu explain` lists them all)") from None
    print(ex.text(e))
    return 0
