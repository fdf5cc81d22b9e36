"""Shared set-up for the refresh tests: a minimal temporary project (fixture notebooks,
params/default.yaml, one raw file) and a stand-in for qyedu.build.build_processed that
writes one tiny table depending on the parameters (synthetic test data)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from qyedu.io import write_csv_atomic

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "notebooks"


def make_project(root: Path) -> Path:
    """A minimal project: fixture notebooks, params/default.yaml, one raw file."""
    (root / "notebooks").mkdir(parents=True)
    for nb in FIXTURES.glob("*.ipynb"):
        shutil.copy(nb, root / "notebooks" / nb.name)
    (root / "params").mkdir()
    for name in ("default.yaml", "births_paths.yaml"):
        shutil.copy(REPO / "params" / name, root / "params" / name)
    (root / "data" / "raw").mkdir(parents=True)
    (root / "data" / "raw" / "population.csv").write_text("county,value\n全市,1\n", "utf-8")
    return root


def fake_build(rp, out_dir=None, plan_path=None, progress=print):
    """Stand-in for build_processed: one tiny synthetic table that depends on the parameters."""
    df = pd.DataFrame({"county": [rp.forecast.county, "清城区"], "scenario": rp.forecast.scenario,
                       "value": [1.0, 2.0]})
    return {"fixture_table.csv": write_csv_atomic(df, Path(out_dir) / "fixture_table.csv")}
