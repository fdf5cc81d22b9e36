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


def swing(design: Design, runs: pd.DataFrame) -> pd.DataFrame:
    """Per output × parameter: mean output where the parameter is low and where it is high."""
    pr, w = _params_by_run(design, runs), wide(runs)
    rows = []
    for name in design.outputs:
        if name not in w:
            continue
        y = w[name]
        for key in design.keys:
            g = y.groupby(bins(design, pr, key)).mean()
            if design.parameters[key].values is not None:
                g = g.sort_values()
            else:
                g = g.reindex(sorted(g.index, key=lambda s: float(s.split("–")[0])))
            rows.append({"output": name, "parameter": key, "overall": float(y.mean()),
                         "low_label": g.index[0], "low": float(g.iloc[0]),
                         "high_label": g.index[-1], "high": float(g.iloc[-1]),
                         "swing": float(abs(g.iloc[-1] - g.iloc[0]))})
    return pd.DataFrame(rows)


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
