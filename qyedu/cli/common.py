"""Arguments shared by the verbs that run the model (forecast, places, teachers, scorecard,
build, refresh), so every verb takes the same parameters as the notebooks."""

from __future__ import annotations

import argparse
from pathlib import Path

FORECAST_FLAGS = {
    "scenario": str,
    "base_year": int,
    "horizon": int,
    "draws": int,
    "seed": int,
    "county": str,
    "births_method": str,
}


def add_run_args(p: argparse.ArgumentParser, out_help: str | None = None) -> None:
    """--params FILE plus one flag per forecast parameter (overrides the file), and --out."""
    p.add_argument("--params", type=Path, default=None,
                   help="parameter file (YAML); default params/default.yaml")
    for name in FORECAST_FLAGS:
        # type=str everywhere: pydantic validates and names the parameter on error
        p.add_argument("--" + name.replace("_", "-"), dest=name, default=None,
                       help=f"override forecast.{name}")
    if out_help:
        p.add_argument("--out", type=Path, default=None, help=out_help)


def params_from_args(args: argparse.Namespace):
    """Validated RunParams from --params and the override flags (errors name the key)."""
    from .. import params

    over = {k: getattr(args, k, None) for k in FORECAST_FLAGS}
    return params.load(args.params, **over)
