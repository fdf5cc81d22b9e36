"""``qyedu validate``: back-test the projection on the validation panel.

1. Today's drift calibration (leave-one-area-out, not honest in time; ``--skip-calibration``
   leaves it): params/calibration/flow_drift.csv, flow_correlation.csv, prior_spread.csv,
   accuracy.csv and data/processed/accuracy.csv, panel_backtest.csv. It runs first because
   the harness's ``current_committed`` method (``--with-superseded``) reads it.
2. The honest-in-time harness (``qyedu.validation.honest``): every registered method and the
   four baselines as of every origin, learning only from other areas' outturns known then;
   writes data/processed/honest_accuracy.csv (MAPE, bias, coverage, paired intervals),
   honest_backtest.csv, honest_break.csv, calibration_set.csv, honest_held_out.csv,
   honest_paired.csv (the method against each baseline on the forecasts both made), the
   committed copies in params/calibration/, and the
   frozen calibrations of Qingyuan's own check (params/calibration/frozen/).
3. The forecast command as a new user runs it on the calibration just written
   (``qyedu.validation.command_check``): params/calibration/command_check.csv.

The calibration files are written into a staging copy and committed together when all three
steps have finished (``qyedu.validation.staging``); the processed tables are published after.
"""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("validate", help="honest-in-time back-test on the validation panel; "
                                        "write the accuracy tables and the drift calibration")
    p.add_argument("--draws", type=int, default=500, help="Monte Carlo draws per origin")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, default=None,
                   help="folder for the processed tables (default: published into "
                        "data/processed); the calibration in params/calibration/ is "
                        "written either way")
    p.add_argument("--workers", type=int, default=2,
                   help="processes for the honest back-test's origins (default 2)")
    p.add_argument("--skip-calibration", action="store_true",
                   help="do not re-make today's drift calibration files")
    p.add_argument("--quick", action="store_true",
                   help="skip the break-treatment and calibration-set runs (the band "
                        "keeps the committed calibration-set choice)")
    p.add_argument("--with-superseded", action="store_true",
                   help="also back-test the superseded pre-flow factor method "
                        "(current_honest, current_committed) for a before/after comparison")
    p.set_defaults(func=run)


def run(args) -> int:
    import shutil
    import tempfile
    import time

    import pandas as pd

    from ..build import publish_tables
    from ..errors import QyeduError
    from ..validation.calibrate import printable, validate
    from ..validation.honest import PROCESSED_FILES, run_honest, summary, write_honest
    from .common import out_problems

    problems = out_problems(args.out, "dir") if args.out is not None else []
    if not 1 <= args.draws <= 200_000:
        problems.append(f"--draws must be an integer from 1 to 200000 (got {args.draws})")
    if args.seed < 0:
        problems.append(f"--seed must be an integer ≥ 0 (got {args.seed})")
    if args.workers < 1:
        problems.append(f"--workers must be an integer ≥ 1 (got {args.workers})")
    if problems:
        raise QyeduError("\n  - ".join(["invalid options:", *problems]))
    from ..observed.contract import check_raw

    check_raw()  # the panel files are read directly, not through a Workbench stage
    t0 = time.perf_counter()
    say = lambda m: print(m, flush=True)  # noqa: E731
    # data/processed belongs to the publish step: without --out the tables are published as
    # a new generation (the other tables, pages and figures carried over)
    from ..validation.staging import staged_calibration

    tmp = Path(tempfile.mkdtemp(prefix="qyedu-validate-")) if args.out is None else None
    out = args.out or tmp
    try:
        tables = {}
        # every calibration file is written into a staging copy and committed as one set at
        # the end: a failed or killed run leaves params/calibration/ as the last run left it
        with staged_calibration(progress=say):
            if not args.skip_calibration:
                old = validate(draws=args.draws, seed=args.seed, out_dir=out,
                               progress=lambda m: None, workers=args.workers)
                tables.update({"accuracy.csv": old["accuracy"],
                               "panel_backtest.csv": old["backtest"]})
                with pd.option_context("display.width", 220, "display.max_columns", 30):
                    print(printable(old["accuracy"]).round(2).to_string(index=False))
                sp = old["prior_spread"].set_index("level")["log_sd"]
                print("[validate] spread of a prior (log, an area's ratio vs its parent's): "
                      + ", ".join(f"{lv} {v:.3f}" for lv, v in sp.items()))
                print(f"[validate] {len(old['backtest']) // 3} forecasts; wrote "
                      f"params/calibration/flow_drift.csv, flow_correlation.csv, "
                      f"prior_spread.csv, accuracy.csv ({old['seconds']:.1f} s)")
            res = run_honest(progress=say, with_break=not args.quick,
                             with_choice=not args.quick, workers=args.workers,
                             superseded=args.with_superseded)
            write_honest(res, out)
            from ..validation.command_check import command_check_summary, write_command_check

            check, _ = write_command_check(res, args.workers)  # on the calibration just written
        tables.update({name: res[key] for key, name in PROCESSED_FILES.items() if key in res})
        if tmp is not None:
            publish_tables(None, tables, progress=lambda m: None)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    with pd.option_context("display.width", 250, "display.max_columns", 30,
                           "display.max_colwidth", 60):
        print("[validate] honest in time: MAPE % (p05–p95 coverage) by lead; candidates vs "
              "the best baseline, pp [95 % area-bootstrap interval]")
        print(summary(res["accuracy"]).to_string(index=False))
        ho = res["accuracy"][res["accuracy"]["sample"] == "held_out"]
        if len(ho):
            print("[validate] held-out outturns 2020–2023 (origin ≤ 2019, never fitted):")
            print(summary(res["accuracy"], sample="held_out").to_string(index=False))
    from ..views.enrollment import PUBLISHED_METHOD

    p = res["paired"]
    p = p[(p["sample"] == "in") & (p["method"] == PUBLISHED_METHOD)
          & (p["versus"] == "intake_survival") & (p["lead"] <= 5)]
    for lv, g in p.groupby("level"):
        print(f"[validate] grade flow vs intake survival, bureau-like {lv}, forecasts both made "
              "(pp [95 % interval]): " + "; ".join(
                  f"lead {r.lead} {r.mape_method:.2f} vs {r.mape_versus:.2f} "
                  f"{r.diff_pp:+.2f} [{r.diff_lo:+.2f}, {r.diff_hi:+.2f}]"
                  for r in g.itertuples()))
    h = res["held_out"]
    if len(h):
        cov = h.dropna(subset=["inside"]).groupby(["method", "info"])["inside"] \
            .agg(["sum", "size"])
        print("[validate] from origin 2019, held-out outturns inside p05–p95: " + "; ".join(
            f"{m} ({i}) {int(r['sum'])}/{int(r['size'])}" for (m, i), r in cov.iterrows()))
    print(f"[validate] the forecast command as a new user runs it, as of 2019 "
          f"(command_check.csv): {command_check_summary(check)}")
    rep = res["reproduction"]
    print("[validate] check: hold-factor primary MAPE on the original panel "
          + ", ".join(f"{m:.2f}" for m in rep["mape"]) + " (reviewer "
          + ", ".join(f"{m:.2f}" for m in rep["reviewer"]) + ")")
    if "choice" in res:
        print(f"[validate] calibration set for areas like Qingyuan: {res['choice']}")
    print(f"[validate] wrote honest_accuracy.csv, honest_backtest.csv, honest_break.csv, "
          f"calibration_set.csv, honest_held_out.csv, honest_paired.csv, command_check.csv "
          f"({res['seconds']:.1f} s)")
    print(f"[validate] total {time.perf_counter() - t0:.1f} s")
    return 0
