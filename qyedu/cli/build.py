"""``qyedu build``: regenerate data/processed (all tables) without running notebooks."""

from __future__ import annotations

from .common import add_run_args, params_from_args


def register(sub) -> None:
    p = sub.add_parser("build", help="regenerate every table in data/processed")
    add_run_args(p, out_help="output folder (default data/processed, or a scenario subfolder)")
    p.add_argument("--plan", default=None, help="plan text file (default: data/raw copy)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..build import build_processed

    build_processed(params_from_args(args), out_dir=args.out, plan_path=args.plan)
    return 0
