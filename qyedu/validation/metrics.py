"""Accuracy of the harness's forecasts (``validation.harness.backtest`` rows) with its noise.

``accuracy`` — for each sample (in-sample ≤ 2019, held out after), information set, level,
lead and method: MAPE, bias (mean signed % error, forecast − actual), p05–p95 coverage (over
the n_band forecasts with a band), n and areas, each on the method's own forecasts (the
baselines need different data: intake survival needs the last 6 intakes, published by the
provinces to 2014; the damped trend needs 4 years of factors). With each row, the paired
difference of the method's absolute % error to the best baseline's, on the forecasts both
made (the best baseline: the lowest MAPE on those shared forecasts among the baselines that
made at least ``MIN_OVERLAP`` of the method's forecasts), in percentage points, and its 95 % interval from a bootstrap over *areas*
(``paired_interval``: areas resampled with replacement, seeded; all of an area's forecasts
move together, because they share its errors). A gain is claimed (``gain``) only where the
interval lies wholly below zero (``loss`` wholly above), and only from at least
``MIN_AREAS_VERDICT`` areas (``too few areas`` otherwise: China alone resamples to a point).
The coverage has its 95 % interval from the same bootstrap over areas (``coverage_lo``,
``coverage_hi``), so a coverage off 90 % can be told apart from the noise of a few areas.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

BOOTSTRAP = 2000
SEED = 18
KEYS = ["info", "level", "lead"]
ROW_KEYS = ["area", "level", "origin", "lead"]
MIN_OVERLAP = 0.8
MIN_AREAS_VERDICT = 5  # an interval from fewer areas' resamples says nothing
ACCURACY_COLUMNS = ["sample", "info", "level", "lead", "method", "baseline", "honest", "mape",
                    "bias", "coverage_p05_p95", "n", "n_band", "areas", "best_baseline",
                    "diff_vs_best_pp", "diff_lo", "diff_hi", "verdict", "coverage_lo",
                    "coverage_hi"]


@functools.lru_cache(maxsize=64)
def _area_draws(k: int, n_boot: int, seed: int) -> np.ndarray:
    """How often each of ``k`` areas is drawn in each of ``n_boot`` resamples (the same for
    every table with k areas and this seed; cached, read-only)."""
    rng = np.random.default_rng(seed)
    d = rng.multinomial(k, np.full(k, 1 / k), size=n_boot).astype(float)
    d.flags.writeable = False
    return d


def paired_interval(area, diff, n_boot: int = BOOTSTRAP, seed: int = SEED,
                    level: float = 0.95) -> tuple[float, float, float]:
    """(mean, lower, upper) of the mean of ``diff`` over forecasts, with a percentile
    interval from resampling the areas (``area``: each forecast's area) with replacement."""
    diff = np.asarray(diff, dtype=float)
    if not len(diff):
        return np.nan, np.nan, np.nan
    codes, inv = np.unique(np.asarray(area), return_inverse=True)
    s = np.bincount(inv, weights=diff, minlength=len(codes))
    n = np.bincount(inv, minlength=len(codes)).astype(float)
    draw = _area_draws(len(codes), n_boot, seed)
    stat = (draw @ s) / (draw @ n)
    a = (1 - level) / 2
    lo, hi = np.quantile(stat, [a, 1 - a])
    return float(s.sum() / n.sum()), float(lo), float(hi)


def _verdict(d, areas) -> str:
    """A paired difference (mean, lower, upper) in words: a gain only where the interval lies
    below zero, a loss only where it lies above, nothing from too few areas."""
    return ("too few areas" if areas < MIN_AREAS_VERDICT else "gain" if d[2] < 0
            else "loss" if d[1] > 0 else "inside noise")


def _errors(rows: pd.DataFrame) -> pd.DataFrame:
    r = rows[rows["p50"].notna()]
    pe = (r["p50"] - r["actual"]) / r["actual"] * 100
    inside = (r["actual"] >= r["p05"]) & (r["actual"] <= r["p95"])
    return r.assign(pe=pe, ape=pe.abs(), inside=inside.where(r["p05"].notna()))


def _ape_matrix(g: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, dict, np.ndarray]:
    """One group's absolute % errors as a forecast × method matrix (NaN where a method made
    no forecast), with its not-NaN mask, method → column and each forecast's area: the
    paired comparisons below work on these arrays, not on pandas selections (3–4× faster;
    the same numbers)."""
    w = g.pivot_table(index=ROW_KEYS, columns="method", values="ape")
    mat = w.to_numpy()
    return mat, ~np.isnan(mat), {m: j for j, m in enumerate(w.columns)}, \
        w.index.get_level_values("area").to_numpy()


def accuracy(rows: pd.DataFrame, n_boot: int = BOOTSTRAP, seed: int = SEED,
             min_overlap: float = MIN_OVERLAP) -> pd.DataFrame:
    """ACCURACY_COLUMNS by sample (``in``, ``held_out``), information set, level, lead and
    method (module docstring)."""
    e = _errors(rows)
    out = []
    for key, g in e.groupby(["sample"] + KEYS, sort=True):
        stats = g.groupby("method").agg(
            mape=("ape", "mean"), bias=("pe", "mean"), coverage_p05_p95=("inside", "mean"),
            n=("ape", "size"), n_band=("inside", "count"), areas=("area", "nunique"),
            baseline=("baseline", "first"), honest=("honest", "first"))
        stats["coverage_p05_p95"] = stats["coverage_p05_p95"].astype(float) * 100
        ape, ok, col, area = _ape_matrix(g)
        bases = [m for m in stats.index if bool(stats.loc[m, "baseline"])]
        method, inside, row_area = (g[c].to_numpy() for c in ("method", "inside", "area"))
        for m, st in stats.iterrows():
            mine = ok[:, col[m]]
            best, best_mape = None, np.inf
            for b in bases:
                both = mine & ok[:, col[b]]
                if b == m or both.sum() < min_overlap * mine.sum():
                    continue
                if ape[both, col[b]].mean() < best_mape:
                    best, best_mape = b, ape[both, col[b]].mean()
            d = (np.nan,) * 3
            if best is not None:
                both = mine & ok[:, col[best]]
                d = paired_interval(area[both], ape[both, col[m]] - ape[both, col[best]],
                                    n_boot, seed)
            verdict = "" if not np.isfinite(d[0]) else _verdict(d, st["areas"])
            band = (method == m) & pd.notna(inside)
            c = paired_interval(row_area[band], inside[band].astype(float) * 100, n_boot, seed)
            out.append(dict(zip(["sample"] + KEYS, key, strict=True)) | {
                "method": m, **st.to_dict(), "best_baseline": best,
                "diff_vs_best_pp": d[0], "diff_lo": d[1], "diff_hi": d[2], "verdict": verdict,
                "coverage_lo": c[1], "coverage_hi": c[2]})
    return pd.DataFrame(out, columns=ACCURACY_COLUMNS)


PAIRED_COLUMNS = ["sample", "info", "level", "lead", "method", "versus", "n", "areas",
                  "mape_method", "mape_versus", "diff_pp", "diff_lo", "diff_hi", "verdict"]


def paired_table(rows: pd.DataFrame, n_boot: int = BOOTSTRAP, seed: int = SEED) -> pd.DataFrame:
    """Each honest non-baseline method against *each* baseline on the forecasts both made
    (not only the best one of ``accuracy``, which needs ``MIN_OVERLAP`` of the method's
    forecasts: intake survival runs only where six past intakes are published, so it never
    qualifies): both MAPEs on those forecasts, the paired difference (pp, negative = the
    method is better) with its 95 % interval from the bootstrap over areas, and the verdict
    as in ``accuracy``."""
    e = _errors(rows)
    out = []
    for key, g in e.groupby(["sample"] + KEYS, sort=True):
        flags = g.groupby("method")[["baseline", "honest"]].first()
        bases = [m for m in flags.index if bool(flags.loc[m, "baseline"])]
        mine = [m for m in flags.index if not bool(flags.loc[m, "baseline"])
                and bool(flags.loc[m, "honest"])]
        ape, ok, col, areas = _ape_matrix(g)
        for m in mine:
            for b in bases:
                both = ok[:, col[m]] & ok[:, col[b]]
                if not both.any():
                    continue
                area = areas[both]
                x, y = ape[both, col[m]], ape[both, col[b]]
                d = paired_interval(area, x - y, n_boot, seed)
                k = len(np.unique(area))
                out.append(dict(zip(["sample"] + KEYS, key, strict=True)) | {
                    "method": m, "versus": b, "n": int(both.sum()), "areas": k,
                    "mape_method": x.mean(), "mape_versus": y.mean(),
                    "diff_pp": d[0], "diff_lo": d[1], "diff_hi": d[2],
                    "verdict": _verdict(d, k)})
    return pd.DataFrame(out, columns=PAIRED_COLUMNS)
