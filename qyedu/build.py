"""Regenerate every table in data/processed from data/raw and the parameters.

All tables are computed first and checked (qyedu.checks); only then are they written, each
atomically. A failure at any step leaves the previous processed files untouched.
The default parameters write to data/processed/; any other scenario writes to
data/processed/scenarios/<slug>/ so runs never overwrite each other.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from . import paths
from .io import write_csv_atomic, write_json_atomic
from .params import RunParams
from .projection import store

DRAWS = "draws"  # folder of the saved ProjectionResult inside a build


def output_dir(rp: RunParams, default: RunParams | None = None) -> Path:
    """data/processed for the default parameters, else data/processed/scenarios/<slug>."""
    from . import params

    default = default or params.load()
    if rp == default:
        return paths.data_processed()
    return paths.data_processed() / "scenarios" / rp.slug()


def compute_tables(
    rp: RunParams, plan_path: Path | None = None, progress: Callable[[str], None] = print,
    workbench=None,
) -> dict[str, pd.DataFrame]:
    """Compute every processed table in memory (nothing is written), then check them."""
    from . import checks
    from .workbench import Workbench

    wb = workbench or Workbench(rp, plan_path=plan_path)
    labels = {
        "plan_tables": "plan registry and audit",
        "forecast_tables": f"enrolment projection ({rp.forecast.draws} draws, {rp.forecast.scenario})",
        "scenario_tables": "the births scenarios side by side",
        "backtest_tables": "back-test on real outturns",
        "accuracy_tables": "accuracy on the validation panel (committed calibration)",
        "places_tables": "school places",
        "teacher_tables": "teacher demand",
        "cost_tables": "capital and salary costs",
        "scorecard_tables": "target scorecard",
    }
    tables: dict[str, pd.DataFrame] = {}
    for stage in Workbench.STAGES:
        t0 = time.perf_counter()
        progress(f"[build] {labels[stage]} …")
        new = getattr(wb, stage)
        tables.update(new)
        progress(f"[build] {labels[stage]}: {', '.join(new)} ({time.perf_counter() - t0:.1f} s)")
    checks.check_tables(tables)
    return tables


def build_processed(
    rp: RunParams | None = None,
    out_dir: Path | None = None,
    plan_path: Path | None = None,
    progress: Callable[[str], None] = print,
) -> dict[str, Path]:
    """Compute, check, then write all processed tables; returns name → written path."""
    from . import params
    from .workbench import RECORD, Workbench

    rp = rp or params.load()
    wb = Workbench(rp, plan_path=plan_path)
    tables = compute_tables(rp, plan_path=plan_path, progress=progress, workbench=wb)
    out = Path(out_dir) if out_dir else output_dir(rp)
    written = {name: write_csv_atomic(df, out / name) for name, df in sorted(tables.items())}
    # the projection's draws, so the refresh's notebooks show them instead of re-running it
    store.save(wb.result, out / DRAWS)
    written[RECORD] = write_json_atomic(wb.record(draws=DRAWS), out / RECORD)
    progress(f"[build] wrote {len(written)} tables to {out}")
    return written
