"""Sensitivity of each output to each parameter, from the finished runs of a design.

- ``indices``: Sobol first-order and total indices with bootstrap confidence half-widths
  (SALib ``sobol.analyze``), Morris μ*, σ (``morris.analyze``), or for a full grid the
  first-order share of variance explained by each parameter's main effect (exact on a grid).
- ``swing``: the output's mean over the runs where a parameter is low vs high (bottom vs top
  third of its range, or its lowest- vs highest-mean value): a tornado in the output's unit.
- ``verdicts`` / ``flips`` / ``verdict_by_parameter``: each promise's 2025 verdict (shortfall
  when the median surplus is < 0; for compulsory capacity: when the median gap is < 0) across the runs, the runs whose verdict differs from the
  majority, and the share of shortfall runs per parameter third or value.
"""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np
import pandas as pd

from ..views.sensitivity import MIN_BASE_SAMPLE  # smallest Sobol base sample published
from .design import Design, problem, unit_sample

VERDICT_OUTPUTS = {
    "compulsory_new_places": "compulsory_surplus_2025_p50",
    "preschool_new_public_places": "preschool_surplus_2025_p50",
    "senior_new_public_places": "senior_surplus_2025_p50",
    "compulsory_capacity": "compulsory_gap_2025_p50",  # capacity vs places needed, 2025
}
COLUMNS = {
    "sobol": ["S1", "S1_conf", "ST", "ST_conf"],
    "morris": ["mu_star", "mu_star_conf", "sigma", "mu"],
    "grid": ["S1"],
}


def wide(runs: pd.DataFrame) -> pd.DataFrame:
    """Runs × outputs matrix of values (index: run)."""
    return runs.pivot(index="run", columns="output", values="value").sort_index()


def _quiet(fn, *a, **kw):
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return fn(*a, **kw)


def _grid_s1(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    var = y.var()
    out = []
    for j in range(x.shape[1]):
        means = pd.Series(y).groupby(x[:, j]).transform("mean").to_numpy()
        out.append(means.var() / var)
    return np.array(out)


def indices(design: Design, runs: pd.DataFrame) -> pd.DataFrame:
    """indices.csv: output, parameter, method and the method's indices (plus a note)."""
    from SALib.analyze import morris, sobol

    prob, x, w = problem(design), unit_sample(design), wide(runs)
    cols = COLUMNS[design.method]
    rows = []
    for name in design.outputs:
        y = w[name].reindex(range(len(x))).to_numpy(dtype=float) if name in w else np.full(len(x), np.nan)
        res, note = {c: np.full(len(design.keys), np.nan) for c in cols}, ""
        if np.isnan(y).any():
            note = f"{int(np.isnan(y).sum())} of {len(y)} runs without a value: no indices"
        elif np.ptp(y) == 0:
            res, note = {c: np.zeros(len(design.keys)) for c in cols}, "output constant over the design"
        elif design.method == "sobol":
            r = _quiet(sobol.analyze, prob, y, calc_second_order=design.second_order,
                       num_resamples=design.resamples, conf_level=design.conf_level,
                       seed=design.seed)
            res = {c: np.asarray(r[c]) for c in cols}
        elif design.method == "morris":
            r = _quiet(morris.analyze, prob, x, y, num_resamples=design.resamples,
                       conf_level=design.conf_level, num_levels=design.levels, seed=design.seed)
            res = {c: np.asarray(r[c], dtype=float) for c in cols}
        else:
            res = {"S1": _grid_s1(x, y)}
        for j, p in enumerate(design.keys):
            rows.append({"output": name, "parameter": p, "method": design.method,
                         **{c: float(res[c][j]) for c in cols}, "note": note})
    return pd.DataFrame(rows, columns=["output", "parameter", "method", *cols, "note"])


# -- in the output's own units ---------------------------------------------------------
def bins(design: Design, runs_wide_params: pd.DataFrame, key: str) -> pd.Series:
    """Label of each run's value of ``key``: its list value, or low/mid/high third of the range."""
    spec = design.parameters[key]
    v = runs_wide_params[key]
    if spec.values is not None:
        return v.astype(str)
    lo, hi = spec.range
    cut = np.linspace(lo, hi, 4)
    labels = [f"{a:.4g}–{b:.4g}" for a, b in zip(cut[:-1], cut[1:], strict=True)]
    return pd.cut(v.astype(float), cut, labels=labels, include_lowest=True).astype(str)


def _params_by_run(design: Design, runs: pd.DataFrame) -> pd.DataFrame:
    return runs.drop_duplicates("run").set_index("run")[design.keys].sort_index()


def _paired_slopes(design: Design, y: np.ndarray) -> np.ndarray | None:
    """Per parameter, the change of the output over the parameter's whole range, from the
    Saltelli pairs (A, AB_j) that differ in that parameter only: the least-squares slope of
    f(AB_j) − f(A) on the parameter's change (as a share of its range). Exactly 0 for a
    parameter the output does not depend on (common random numbers). None if not Sobol."""
    if design.method != "sobol":
        return None
    x = unit_sample(design)
    d = len(design.keys)
    step = 2 * d + 2 if design.second_order else d + 2
    if len(x) != len(y) or len(x) % step:
        return None
    lo = np.array([b[0] for b in problem(design)["bounds"]], dtype=float)
    hi = np.array([b[1] for b in problem(design)["bounds"]], dtype=float)
    base = np.arange(0, len(x), step)
    out = np.zeros(d)
    for j in range(d):
        ab = base + 1 + j
        dx = (x[ab, j] - x[base, j]) / (hi[j] - lo[j])
        dy = y[ab] - y[base]
        ok = np.isfinite(dy)
        den = float((dx[ok] ** 2).sum())
        out[j] = float((dx[ok] * dy[ok]).sum() / den) if den > 0 else 0.0
    return out


def swing(design: Design, runs: pd.DataFrame) -> pd.DataFrame:
    """Per output × parameter: the output where the parameter is low and where it is high.
    Sobol designs: from the paired runs that change that parameter alone (the mean over all
    runs ± a third of the range's effect), so an output a parameter cannot affect shows no
    swing; other designs: mean output over the runs in the parameter's bottom vs top third."""
    pr, w = _params_by_run(design, runs), wide(runs)
    rows = []
    for name in design.outputs:
        if name not in w:
            continue
        y = w[name]
        slopes = _paired_slopes(design, y.reindex(range(len(pr))).to_numpy(dtype=float))
        for j, key in enumerate(design.keys):
            g = y.groupby(bins(design, pr, key)).mean()
            if design.parameters[key].values is not None:
                order = [str(v) for v in design.parameters[key].values]
                g = g.reindex([v for v in order if v in g.index]) if slopes is not None \
                    else g.sort_values()
            else:
                g = g.reindex(sorted(g.index, key=lambda s: float(s.split("–")[0])))
            low, high = float(g.iloc[0]), float(g.iloc[-1])
            if slopes is not None:
                low = float(y.mean()) - slopes[j] / 3
                high = float(y.mean()) + slopes[j] / 3
            rows.append({"output": name, "parameter": key, "overall": float(y.mean()),
                         "low_label": g.index[0], "low": low,
                         "high_label": g.index[-1], "high": high,
                         "swing": float(abs(high - low))})
    return pd.DataFrame(rows)


# -- is a sweep fit to publish? ---------------------------------------------------------------
MAX_CONF = 0.10  # widest 95 % half-width of a total index a published sweep may have


def convergence(design: Design, ix: pd.DataFrame) -> tuple[bool, list[str]]:
    """Whether a finished sweep is sound enough to publish, and why not: a Sobol design of at
    least MIN_BASE_SAMPLE base samples whose total indices lie in [0, 1] up to their 95 %
    interval and whose intervals are at most MAX_CONF wide (half-width); other methods pass
    on size alone (Morris: μ* is not a share)."""
    why = []
    if design.method == "sobol":
        if design.samples < MIN_BASE_SAMPLE:
            why.append(f"base sample {design.samples} < {MIN_BASE_SAMPLE}")
        st = pd.to_numeric(ix.get("ST"), errors="coerce")
        conf = pd.to_numeric(ix.get("ST_conf"), errors="coerce").fillna(0)
        out = ix[(st - conf > 1) | (st + conf < 0)]
        if len(out):
            why.append(f"{len(out)} total indices outside [0, 1] beyond their interval")
        wide_ = ix[conf > MAX_CONF]
        if len(wide_):
            why.append(f"{len(wide_)} intervals wider than ±{MAX_CONF:g}")
    return not why, why


def finished(rp):
    """The finished sweep of the design the run parameters name (``rp.sensitivity.design``),
    with (ok, reasons): (None, False, [why]) when none was run, or it was run on other inputs;
    never computes one (a sweep is its own job: ``qyedu sweep params/sweeps/<design>.yaml``)."""
    from .run import load_sweep
    from .store import inputs_fingerprint, stored_inputs, sweep_dir

    done = sweep_dir(rp.sensitivity.design)
    if not all((done / f).exists() for f in ("design.json", "indices.csv", "runs.csv")):
        return None, False, ["no finished sweep"]
    if stored_inputs(done) != inputs_fingerprint():
        return None, False, ["the finished sweep was made with other code or data"]
    res = load_sweep(done)
    ok, why = convergence(res.design, res.indices)
    return res, ok, why


def verdicts(design: Design, runs: pd.DataFrame) -> pd.DataFrame:
    """Per promise recorded: runs, shortfall runs, share in shortfall, the majority verdict."""
    w = wide(runs)
    rows = []
    for promise, name in VERDICT_OUTPUTS.items():
        if name not in w:
            continue
        y = w[name].dropna()
        short = int((y < 0).sum())
        rows.append({"promise": promise, "output": name, "runs": len(y), "shortfall_runs": short,
                     "share_shortfall": short / len(y) if len(y) else np.nan,
                     "majority": "shortfall" if short > len(y) / 2 else "surplus",
                     "min_surplus": float(y.min()), "max_surplus": float(y.max())})
    return pd.DataFrame(rows)


def flips(design: Design, runs: pd.DataFrame) -> pd.DataFrame:
    """The parameter combinations whose verdict differs from the majority verdict."""
    pr, w, v = _params_by_run(design, runs), wide(runs), verdicts(design, runs)
    frames = []
    for _, row in v.iterrows():
        y = w[row["output"]]
        verdict = np.where(y < 0, "shortfall", "surplus")
        hit = y[verdict != row["majority"]]
        f = pr.loc[hit.index].reset_index()
        f.insert(0, "promise", row["promise"])
        f["verdict"] = "shortfall" if row["majority"] == "surplus" else "surplus"
        f["surplus_p50"] = hit.to_numpy()
        frames.append(f)
    cols = ["promise", "run", *design.keys, "verdict", "surplus_p50"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


def verdict_by_parameter(design: Design, runs: pd.DataFrame) -> pd.DataFrame:
    """Share of runs in shortfall per promise × parameter × value (or third of its range)."""
    pr, w = _params_by_run(design, runs), wide(runs)
    rows = []
    for promise, name in VERDICT_OUTPUTS.items():
        if name not in w:
            continue
        short = (w[name] < 0).astype(float)
        for key in design.keys:
            g = short.groupby(bins(design, pr, key))
            for label, s in g:
                rows.append({"promise": promise, "parameter": key, "value": label,
                             "runs": len(s), "share_shortfall": float(s.mean())})
    return pd.DataFrame(rows)
