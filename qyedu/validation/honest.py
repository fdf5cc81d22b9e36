"""The honest-in-time back-test as ``qyedu validate`` runs it: every registered method
(``validation.methods``) on the panel, the accuracy tables with paired intervals, what the
1999→2000 break treatment does to the errors, the calibration-set choice, and the held-out
2020–2023 outturns.

Outputs (``data/processed/``; ``params/calibration/`` keeps committed copies of the accuracy
and of the calibration-set choice, with a provenance header, so a refresh need not re-run
the panel):

- ``honest_backtest.csv`` — one row per forecast (``harness.COLUMNS``);
- ``honest_accuracy.csv`` — ``metrics.ACCURACY_COLUMNS`` (``sample`` = ``in`` for outturns
  ≤ 2019, ``held_out`` for 2020–2023, never seen by any fit);
- ``honest_break.csv`` — hold-factor and damped-trend accuracy under each break treatment
  (``panel.EARLY_TREATMENTS``), on all their forecasts and on the forecasts that exist only
  because of the 1995–1999 births;
- ``honest_paired.csv`` — ``metrics.PAIRED_COLUMNS``: each honest method against each
  baseline on the forecasts both made (intake survival runs on a subset, so the accuracy
  table's best-baseline column never picks it), with the paired 95 % interval (committed
  copy in ``params/calibration/``, which every build publishes);
- ``honest_held_out.csv`` — every method's forecasts from origin 2019 of the held-out
  2020–2023 outturns, with band and inside/outside (committed copy in
  ``params/calibration/``, which every build publishes);
- ``calibration_set.csv`` — the calibration-set comparison for areas like Qingyuan and the
  choice (``choose_calibration_set``);
- ``honest_senior_backtest.csv`` / ``honest_senior_accuracy.csv`` (committed copy in
  ``params/calibration/``) — the grade flow's two passes on general and vocational senior
  (``validation.senior_band``), kept apart from primary's and junior's tables;
- ``params/calibration/flow_band.csv`` and ``frozen/flow_band_asof{T}.csv`` — the grade
  flow's band (``validation.flow_band``) that the Qingyuan runs read. The back-test runs the
  grade flow twice: band-free (``grade_flow``), then ``grade_flow_band`` with the band
  learned at each origin from the first pass's residuals known then.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from .adaptive_band import TARGET_MISS, AdaptiveBands
from .baselines import BASELINES
from .flow_band import (
    BAND_FILE,
    BASE_METHOD,
    prior_only_note,
    published_areas,
    published_band,
    residuals,
)
from .frozen import FROZEN_DIR
from .frozen import ORIGINS as FROZEN_ORIGINS
from .gradeflow_method import BAND_INFO, banded_methods
from .harness import LAST_IN_SAMPLE, MUNICIPALITIES, backtest, load_harness_panel
from .methods import primary_candidate, registered_methods
from .metrics import accuracy, paired_table
from .senior_band import senior_rows

EARLY = "scaled"
BREAK_METHODS = ("hold_factor", "damped_trend")
CHOICE_LEADS = (1, 2, 3, 4, 5)
TARGET_COVERAGE = 100 * (1 - TARGET_MISS)  # the p05–p95 band: 90 %, one target with the band's
TIE_PP = 1.0  # coverage gaps closer than this are a tie: the larger set (more data) wins
ACCURACY_FILE = "params/calibration/honest_accuracy.csv"
CALSET_FILE = "params/calibration/calibration_set.csv"
REPRO_PRIMARY = (2.44, 4.51, 6.34, 7.99, 9.42)  # the reviewer, hold-factor, leads 1–5


def break_effect(main_rows: pd.DataFrame, progress=None, workers: int = 1) -> pd.DataFrame:
    """Accuracy of BREAK_METHODS under each 1999→2000 treatment: ``rows`` = ``all`` (each
    treatment's own forecasts) and ``added`` (forecasts that need the 1995–1999 births:
    absent under ``none``)."""
    methods = [m for m in BASELINES if m.name in BREAK_METHODS]
    runs = {EARLY: main_rows[main_rows["method"].isin(BREAK_METHODS)]}
    for early in ("raw", "none"):
        t0 = time.perf_counter()
        runs[early] = backtest(methods, load_harness_panel(early), early=early,
                               workers=workers)
        if progress:
            progress(f"[validate] break treatment {early}: {time.perf_counter() - t0:.1f} s")
    key = ["area", "level", "origin", "lead", "info", "method"]
    base = runs["none"].dropna(subset=["p50"]).set_index(key).index
    out = []
    for early, r in runs.items():
        r = r[r["sample"] == "in"]
        added = r[~r.set_index(key).index.isin(base)]
        for which, rr in (("all", r), ("added", added)):
            if rr["p50"].notna().any():
                a = accuracy(rr, n_boot=200)
                out.append(a[a["lead"] <= 5].assign(early=early, rows=which))
    cols = ["early", "rows", "info", "level", "lead", "method", "mape", "bias",
            "coverage_p05_p95", "n", "areas"]
    return pd.concat(out, ignore_index=True)[cols]


def calibration_set_table(rows_all: pd.DataFrame, rows_nomun: pd.DataFrame,
                          method: str) -> pd.DataFrame:
    """MAPE and coverage of ``method`` (Qingyuan-like, in-sample, leads CHOICE_LEADS) on the
    provinces other than the four municipalities, with each calibration set."""
    out = []
    for cs, r in (("all", rows_all), ("no_municipalities", rows_nomun)):
        r = r[(r["method"] == method) & (r["info"] == "qingyuan_like") & (r["sample"] == "in")
              & (r["kind"] == "province") & ~r["area"].isin(MUNICIPALITIES)
              & r["lead"].isin(CHOICE_LEADS)]
        a = accuracy(r.assign(baseline=False), n_boot=1)
        out.append(a.assign(calibration_set=cs))
    cols = ["calibration_set", "level", "lead", "method", "mape", "bias", "coverage_p05_p95",
            "n_band", "areas"]
    return pd.concat(out, ignore_index=True)[cols]


def committed_choice() -> str:
    """The calibration set chosen by the last full ``qyedu validate`` (the ``chosen`` row of
    ``CALSET_FILE``); ``all`` if there is none."""
    from .. import paths

    f = paths.resolve(CALSET_FILE)
    if not f.is_file():
        return "all"
    t = pd.read_csv(f, comment="#")
    chosen = t.loc[t["chosen"].astype(bool), "calibration_set"].unique() if "chosen" in t else []
    return str(chosen[0]) if len(chosen) == 1 else "all"


def choose_calibration_set(table: pd.DataFrame) -> str:
    """The set whose p05–p95 coverage on areas like Qingyuan (provinces without the four
    municipalities) is closest to TARGET_COVERAGE on average over levels and leads; within
    TIE_PP of each other, the lower MAPE, and on equal MAPE ``all``."""
    s = table.groupby("calibration_set").agg(
        gap=("coverage_p05_p95", lambda c: float(np.nanmean(np.abs(c - TARGET_COVERAGE)))),
        mape=("mape", "mean"))
    if s["gap"].isna().all():
        return "all"
    if abs(s["gap"].max() - s["gap"].min()) < TIE_PP:
        return "no_municipalities" if s.loc["no_municipalities", "mape"] < \
            s.loc["all", "mape"] else "all"
    return str(s["gap"].idxmin())


def reproduction_check() -> pd.DataFrame:
    """Hold-factor primary MAPE on the original panel (births from 2000, China's outturns to
    2024 in-sample, provinces to 2019) — the reviewer's 2.44 / 4.51 / 6.34 / 7.99 / 9.42 %."""
    hold = [m for m in BASELINES if m.name == "hold_factor"]
    r = backtest(hold, load_harness_panel("none"), infos=("qingyuan_like",),
                 levels=("primary",), leads=(1, 2, 3, 4, 5), last_in_sample=2024)
    r = r[(r["sample"] == "in") & ((r["kind"] == "national") | (r["target_year"] <= 2019))]
    ape = ((r["p50"] - r["actual"]).abs() / r["actual"] * 100).groupby(r["lead"]).mean()
    return pd.DataFrame({"lead": ape.index, "mape": ape.to_numpy(),
                         "reviewer": REPRO_PRIMARY[: len(ape)]})


def held_out_table(rows: pd.DataFrame, origin: int = 2019) -> pd.DataFrame:
    """The forecasts from ``origin`` of the held-out outturns (2020–2023, never part of any
    fit or history), each with its band and whether the outturn fell inside it."""
    r = rows[(rows["sample"] == "held_out") & (rows["origin"] == origin) & rows["p50"].notna()]
    r = r.assign(error_pct=(r["p50"] - r["actual"]) / r["actual"] * 100,
                 inside=((r["actual"] >= r["p05"]) & (r["actual"] <= r["p95"]))
                 .where(r["p05"].notna()))
    cols = ["area", "level", "target_year", "lead", "info", "method", "actual", "p05", "p50",
            "p95", "error_pct", "inside"]
    return r[cols].sort_values(["method", "info", "area", "level", "target_year"]) \
        .reset_index(drop=True)


def run_honest(progress=None, with_break: bool = True, with_choice: bool = True,
               workers: int = 1, superseded: bool = False) -> dict:
    """Run everything above; return {name: table} (not written). ``superseded`` adds the
    pre-flow factor method's rows (``current_honest``, ``current_committed``)."""
    t0 = time.perf_counter()
    panel = load_harness_panel(EARLY)
    rows = backtest(registered_methods(superseded), panel, early=EARLY, progress=progress,
                    workers=workers)
    bands = []
    provinces = sorted(p.area for p in panel if p.kind == "province")
    if progress:
        progress(f"[validate] first pass, every method: {time.perf_counter() - t0:.1f} s")
    if (rows["method"] == BASE_METHOD).any():  # second pass: the band learned honestly
        bands.append(AdaptiveBands(rows, workers=workers, infos=(BAND_INFO,)))
        method = banded_methods(rows, bands=bands[0], provinces=provinces)
        if progress:
            progress(f"[validate] adaptive band tables: {time.perf_counter() - t0:.1f} s")
        banded = backtest(method, panel, early=EARLY, workers=workers)
        rows = pd.concat([rows, banded], ignore_index=True)
        if progress:
            progress(f"[validate] grade flow with its band: {time.perf_counter() - t0:.1f} s")
        senior, senior_bands = senior_rows(panel, workers, progress)  # issue 18: same way
        bands.append(senior_bands)
        out_senior = {"senior_rows": senior, "senior_accuracy": accuracy(senior)}
        if progress:
            progress(f"[validate] senior levels done: {time.perf_counter() - t0:.1f} s")
    else:
        senior, out_senior = rows.iloc[:0], {}
    acc = accuracy(rows)
    out = {"rows": rows, "accuracy": acc, "paired": paired_table(rows)} | out_senior
    if with_break:
        out["break"] = break_effect(rows, progress, workers)
    if with_choice:
        cand = primary_candidate()
        tested = [p.area for p in panel if p.kind == "province" and p.area not in MUNICIPALITIES]
        nomun = backtest([cand], panel, early=EARLY, infos=("qingyuan_like",),
                         calibration_set="no_municipalities", areas=tested, workers=workers)
        table = calibration_set_table(rows, nomun, cand.name)
        choice = choose_calibration_set(table)
        out["calibration_set"] = table.assign(chosen=table["calibration_set"] == choice)
        out["choice"] = choice
        if progress:
            progress(f"[validate] calibration set for areas like Qingyuan: {choice}")
    else:  # --quick: the committed choice, so a quick run never swaps the published band's set
        out["choice"] = committed_choice()
        if progress:
            progress(f"[validate] calibration set for areas like Qingyuan: {out['choice']} "
                     f"(the committed choice, {CALSET_FILE}; not re-run)")
    resid = residuals(pd.concat([rows, senior], ignore_index=True))
    choice = out.get("choice", "all")
    def alpha(last):  # the adaptive α after `last`, from the back-test's banded provinces
        out_a: dict = {}
        for b in bands:
            out_a |= b.published_alpha(provinces, published_areas(resid, choice), last,
                                       BAND_INFO)
        return out_a

    out["band"] = published_band(resid, choice, alpha=alpha(LAST_IN_SAMPLE))
    out["frozen_band"] = {o: published_band(resid, choice, last=o,
                                            alpha=alpha(min(o, LAST_IN_SAMPLE)))
                          for o in FROZEN_ORIGINS}
    out["held_out"] = held_out_table(rows)
    out["reproduction"] = reproduction_check()
    out["seconds"] = time.perf_counter() - t0
    return out


PROCESSED_FILES = {"rows": "honest_backtest.csv", "accuracy": "honest_accuracy.csv",
                   "break": "honest_break.csv", "calibration_set": "calibration_set.csv",
                   "held_out": "honest_held_out.csv", "senior_rows": "honest_senior_backtest.csv",
                   "senior_accuracy": "honest_senior_accuracy.csv",
                   "paired": "honest_paired.csv"}
SENIOR_ACCURACY_FILE = "params/calibration/honest_senior_accuracy.csv"
HELD_OUT_FILE = "params/calibration/honest_held_out.csv"  # published by every build
PAIRED_FILE = "params/calibration/honest_paired.csv"  # published by every build


def honest_header(res: dict) -> str:
    """Provenance lines for the committed copies: panel files (SHA-256), commit, settings."""
    import hashlib

    from .calibrate import _commit
    from .panel import validation_file
    names = ("provinces.csv", "provinces_1995_1999.csv", "provinces_2020_2023.csv", "china.csv")
    sums = ", ".join(f"{n} sha256:{hashlib.sha256(validation_file(n).read_bytes()).hexdigest()[:12]}"
                     for n in names)
    return (f"# written by `qyedu validate` (qyedu.validation.honest) at commit {_commit()}\n"
            f"# panel data/raw/validation: {sums}; births before 2000: {EARLY}; honest in "
            f"time (origin + lead <= T, other areas, China and provinces apart); calibration "
            f"set chosen: {res.get('choice', 'not run')}\n")


def write_honest(res: dict, out_dir=None) -> list:
    """Write the processed tables and the committed copies; return the paths written."""
    from .. import paths
    from ..io import write_csv_atomic
    from .calibrate import write_with_header
    out = paths.data_processed() if out_dir is None else out_dir
    written = []
    for key, name in PROCESSED_FILES.items():
        if key in res:
            written.append(write_csv_atomic(res[key], out / name))
    head = honest_header(res)
    written.append(write_with_header(res["accuracy"], ACCURACY_FILE, head))
    if "senior_accuracy" in res:
        written.append(write_with_header(res["senior_accuracy"], SENIOR_ACCURACY_FILE, head))
    if "paired" in res:
        written.append(write_with_header(res["paired"], PAIRED_FILE, head + (
            "# each honest method against each baseline on the forecasts both made; "
            "diff = method - baseline MAPE, pp, 95 % interval resampling areas\n")))
    if "held_out" in res:
        written.append(write_with_header(res["held_out"], HELD_OUT_FILE, head + (
            "# held-out 2020-2023 outturns (provinces_2020_2023.csv, never part of any fit) "
            "against each method's forecasts from origin 2019\n")))
    from .frozen import write_frozen
    written += write_frozen(load_harness_panel(EARLY), res.get("choice", "all"), head)
    if "calibration_set" in res:
        written.append(write_with_header(res["calibration_set"], CALSET_FILE, head))
    if "band" in res:
        choice = res.get("choice", "all")
        written.append(write_with_header(res["band"], BAND_FILE, head + (
            f"# grade-flow band: residuals log(outturn/p50) of {BASE_METHOD}, provinces "
            f"({choice}), Qingyuan-like information, outturns <= 2019\n"
            + prior_only_note(res["band"]))))
        for o, t in res["frozen_band"].items():
            written.append(write_with_header(t, f"{FROZEN_DIR}/flow_band_asof{o}.csv", head + (
                f"# frozen grade-flow band for Qingyuan's as-of-{o} check: residuals of "
                f"{BASE_METHOD} with outturn year <= {min(o, 2019)}, provinces ({choice}); "
                f"no Qingyuan outturn read\n" + prior_only_note(t))))
    return written


def summary(acc: pd.DataFrame, leads=(1, 2, 3, 4, 5), sample: str = "in") -> pd.DataFrame:
    """Wide table for the terminal: MAPE (coverage) by method per info set, level and lead,
    and each candidate's paired difference to the best baseline with its interval."""
    a = acc[(acc["sample"] == sample) & acc["lead"].isin(leads)]
    cell = a.assign(text=[f"{m:.2f}" + (f" ({c:.0f}%)" if pd.notna(c) else "")
                          for m, c in zip(a["mape"], a["coverage_p05_p95"], strict=True)])
    w = cell.pivot_table(index=["info", "level", "lead"], columns="method", values="text",
                         aggfunc="first")
    cand = a[~a["baseline"].astype(bool)]
    for m, g in cand.groupby("method"):
        g = g.set_index(["info", "level", "lead"])
        txt = pd.Series([f"{d:+.2f} [{lo:+.2f}, {hi:+.2f}] {v}" if pd.notna(d) else ""
                         for d, lo, hi, v in zip(g["diff_vs_best_pp"], g["diff_lo"],
                                                 g["diff_hi"], g["verdict"], strict=True)],
                        index=g.index)
        w[f"{m} vs best"] = txt.reindex(w.index)
    return w.fillna("").reset_index()
