"""``qyedu validate`` as a library call: back-test the production method on the panel, write
the drift calibration the projection reads (a committed parameter source) and the accuracy
table, and print it.

Calibration flows as data: ``params/calibration/flow_drift.csv`` (drift by level and lead),
``params/calibration/flow_correlation.csv`` (correlation of the levels' errors),
``params/calibration/prior_spread.csv`` (how far an area's ratios stray from its parent's,
for the priors of early vintages) and ``params/calibration/accuracy.csv`` (MAPE, bias,
coverage) are committed, each with a
``#`` header naming the panel files (SHA-256) and the commit of the code that wrote them.
The build derives ``data/processed/accuracy.csv`` from the committed accuracy file
(``accuracy_table``), so a refresh does not re-run the panel; re-running it is the explicit
step ``qyedu validate``.
"""

from __future__ import annotations

import hashlib
import subprocess
import time

import pandas as pd

from .. import paths
from ..errors import InputError
from ..faults import fault_point
from ..io import csv_bytes, write_bytes_atomic, write_csv_atomic
from ..projection.ratio_drift import calibration_table as ratio_calibration
from ..projection.ratio_drift import panel_frame
from .backtest import accuracy, error_correlation, panel_backtest
from .drift import factor_table
from .panel import load_panel, validation_file
from .prior_spread import prior_spread

ACCURACY_FILE = "params/calibration/accuracy.csv"
DRIFT_FILE = "params/calibration/flow_drift.csv"
CORR_FILE = "params/calibration/flow_correlation.csv"
PRIOR_FILE = "params/calibration/prior_spread.csv"
RATIO_FILE = "params/calibration/ratio_drift.csv"  # grade-flow ratios (issue 18)
PRINT_LEADS = (1, 2, 3, 5, 8)


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=paths.root(),
                             capture_output=True, text=True, timeout=10, check=False)
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def header(draws: int, seed: int) -> str:
    """Provenance lines: panel files with their SHA-256, method settings and commit."""
    files = [validation_file(n) for n in ("provinces.csv", "china.csv")]
    sums = ", ".join(f"{p.relative_to(paths.root())} sha256:"
                     f"{hashlib.sha256(p.read_bytes()).hexdigest()[:12]}" for p in files)
    return (f"# written by `qyedu validate` (qyedu.validation.calibrate) at commit {_commit()}\n"
            f"# panel: {sums}; 27 provinces with enrolment + China; leave-one-area-out; "
            f"{draws} draws, seed {seed}\n")


def write_with_header(df: pd.DataFrame, rel: str, head: str):
    """Write a calibration file (into the run's staging copy while ``validate`` runs)."""
    out = write_bytes_atomic(head.encode("utf-8") + csv_bytes(df), paths.resolve(rel))
    fault_point("calibration")  # crash-consistency tests: die after the n-th file
    return out


def accuracy_table(path=None) -> pd.DataFrame:
    """The committed accuracy table (for the build: no panel re-run)."""
    p = paths.resolve(path or ACCURACY_FILE)
    if not p.is_file():
        raise InputError("accuracy file not found (run `qyedu validate`)", p)
    return pd.read_csv(p, comment="#")


def printable(acc: pd.DataFrame, leads=PRINT_LEADS) -> pd.DataFrame:
    """Wide table: level, horizon (lead, years), MAPE and bias of each method, coverage and n of the method."""
    a = acc[acc["horizon"].isin(leads)]
    w = a.pivot_table(index=["level", "horizon"], columns="method", values=["mape", "bias"])
    w.columns = [f"{m}_{stat}" for stat, m in w.columns]
    fl = a[a["method"] == "cohort_flow"].set_index(["level", "horizon"])
    w["coverage_p05_p95"] = fl["coverage_p05_p95"]
    w["n"], w["areas"] = fl["n"], fl["areas"]
    cols = [f"{m}_{s}" for m in ("cohort_flow", "hold_factor", "carry_forward")
            for s in ("mape", "bias")] + ["coverage_p05_p95", "n", "areas"]
    order = list(dict.fromkeys(acc["level"]))
    w = w.reset_index()
    w["level"] = pd.Categorical(w["level"], order, ordered=True)
    return w.sort_values(["level", "horizon"]).reset_index(drop=True)[["level", "horizon"] + cols]


def validate(draws: int = 500, seed: int = 1, out_dir=None, progress=print,
             workers: int = 1) -> dict:
    """Run the panel back-test (areas in ``workers`` processes); write the calibration, the
    committed and the processed accuracy tables; return {name: table} and the wall time."""
    t0 = time.perf_counter()
    panel = load_panel()
    bt, cal = panel_backtest(panel, draws=draws, seed=seed, progress=progress,
                             workers=workers)
    acc = accuracy(bt)
    head = header(draws, seed)
    write_with_header(cal, DRIFT_FILE, head)
    write_with_header(acc, ACCURACY_FILE, head)
    corr = error_correlation(bt)
    write_with_header(corr.reset_index(), CORR_FILE, head)
    spread = prior_spread(pd.concat([factor_table(a) for a in panel], ignore_index=True))
    write_with_header(spread, PRIOR_FILE, head)
    ratios = ratio_calibration(panel_frame(validation_file("provinces.csv"),
                                           validation_file("china.csv")))
    write_with_header(ratios, RATIO_FILE, head)
    out = paths.data_processed() if out_dir is None else out_dir
    write_csv_atomic(acc, out / "accuracy.csv")
    write_csv_atomic(bt, out / "panel_backtest.csv")
    return {"accuracy": acc, "calibration": cal, "backtest": bt, "correlation": corr,
            "prior_spread": spread, "ratio_drift": ratios, "seconds": time.perf_counter() - t0}
