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
    import pandas as pd

    from ..validation.calibrate import printable, validate

    res = validate(draws=args.draws, seed=args.seed, out_dir=args.out,
                   progress=lambda m: None)
    with pd.option_context("display.width", 220, "display.max_columns", 30):
        print(printable(res["accuracy"]).round(2).to_string(index=False))
    sp = res["prior_spread"].set_index("level")["log_sd"]
    print("[validate] spread of a prior (log, an area's ratio vs its parent's): "
          + ", ".join(f"{lv} {v:.3f}" for lv, v in sp.items()))
    print(f"[validate] {len(res['backtest']) // 3} forecasts; wrote params/calibration/"
          f"flow_drift.csv, flow_correlation.csv, prior_spread.csv, accuracy.csv "
          f"({res['seconds']:.1f} s)")
    return 0
