"""``qyedu build``: regenerate data/processed (all tables) without running notebooks.

Published like a refresh (one atomic switch, under the project lock); ``--out DIR`` writes
only to DIR, which must not exist yet."""

from __future__ import annotations

from .common import add_run_args, params_from_args


def register(sub) -> None:
    p = sub.add_parser("build", help="regenerate every table in data/processed")
    add_run_args(p, out_help="new output folder (must not exist; default: publish to "
                             "data/processed, or a scenario subfolder)")
    p.add_argument("--plan", default=None, help="plan text file (default: data/raw copy)")
    p.set_defaults(func=run, out_kind="folder")


def run(args) -> int:
    from ..build import build_to_folder, publish_build

    rp = params_from_args(args)
    if args.out is not None:
        build_to_folder(rp, args.out, plan_path=args.plan)
    else:
        publish_build(rp, plan_path=args.plan)
    return 0
