"""``qyedu validate``: back-test the projection method on the validation panel (27 provinces
and China, leave-one-area-out), write the drift calibration the projection reads
(params/calibration/flow_drift.csv) and the accuracy table (params/calibration/accuracy.csv,
data/processed/accuracy.csv), and print MAPE, bias and band coverage by level and lead."""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("validate", help="back-test on the validation panel; write the drift "
                                        "calibration and accuracy.csv")
    p.add_argument("--draws", type=int, default=500, help="Monte Carlo draws per origin")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, default=None,
                   help="folder for accuracy.csv and panel_backtest.csv (default data/processed)")
    p.set_defaults(func=run)


def run(args) -> int:
    import shutil
    import tempfile

    import pandas as pd

    from ..build import publish_tables
    from ..errors import QyeduError
    from ..validation.calibrate import printable, validate
    from .common import out_problems

    problems = out_problems(args.out, "dir") if args.out is not None else []
    if not 1 <= args.draws <= 200_000:
        problems.append(f"--draws must be an integer from 1 to 200000 (got {args.draws})")
    if args.seed < 0:
        problems.append(f"--seed must be an integer ≥ 0 (got {args.seed})")
    if problems:
        raise QyeduError("\n  - ".join(["invalid options:", *problems]))
    from ..observed.contract import check_raw

    check_raw()  # the panel files are read directly, not through a Workbench stage
    # data/processed belongs to the publish step: without --out the two tables are published
    # as a new generation (the other tables, pages and figures carried over)
    tmp = Path(tempfile.mkdtemp(prefix="qyedu-validate-")) if args.out is None else None
    try:
        res = validate(draws=args.draws, seed=args.seed, out_dir=args.out or tmp,
                       progress=lambda m: None)
        if tmp is not None:
            publish_tables(None, {"accuracy.csv": res["accuracy"],
                                  "panel_backtest.csv": res["backtest"]},
                           progress=lambda m: None)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    with pd.option_context("display.width", 220, "display.max_columns", 30):
        print(printable(res["accuracy"]).round(2).to_string(index=False))
    sp = res["prior_spread"].set_index("level")["log_sd"]
    print("[validate] spread of a prior (log, an area's ratio vs its parent's): "
          + ", ".join(f"{lv} {v:.3f}" for lv, v in sp.items()))
    print(f"[validate] {len(res['backtest']) // 3} forecasts; wrote params/calibration/"
          f"flow_drift.csv, flow_correlation.csv, prior_spread.csv, accuracy.csv "
          f"({res['seconds']:.1f} s)")
    return 0
