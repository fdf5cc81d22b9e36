"""The sensitivity page shows only what is sound: a parameter that cannot affect an output
shows no effect on it (wages → pupils, through the real chain), and a finished sweep is
published only when its indices converged."""

from __future__ import annotations

import pandas as pd

from qyedu.sweep import analyze, design_from_dict, run_sweep


def test_wages_cannot_move_pupils(tmp_path):
    d = design_from_dict({
        "name": "wages", "method": "sobol", "samples": 2, "seed": 1,
        "fixed": {"forecast.draws": 30},
        "parameters": {"costs.real_wage_growth": {"range": [0.0, 0.04]},
                       "projection.births_anchor_doubt": {"range": [0.0, 1.0]}},
        "outputs": ["junior_peak_p50", "total_cost"]})
    r = run_sweep(d, out=tmp_path / "s", workers=0, progress=False, figures=False,
                  log=lambda *_: None)
    ix = r.indices.set_index(["output", "parameter"])
    sw = r.tables["swing.csv"].set_index(["output", "parameter"])
    none = ("junior_peak_p50", "costs.real_wage_growth")
    assert ix.loc[none, ["S1", "ST", "ST_conf"]].abs().max() == 0.0
    assert sw.loc[none, "swing"] == 0.0 and sw.loc[none, "low"] == sw.loc[none, "high"]
    # the same parameter does move the cost, and the births doubt moves the pupils
    assert sw.loc[("total_cost", "costs.real_wage_growth"), "swing"] > 0
    assert sw.loc[("junior_peak_p50", "projection.births_anchor_doubt"), "swing"] > 0


def _design(samples):
    return design_from_dict({
        "name": "t", "method": "sobol", "samples": samples, "outputs": ["y"],
        "task": "qyedu.sweep.testfunctions:Ishigami",
        "parameters": {k: {"range": [-3.14, 3.14]} for k in ("x1", "x2", "x3")}})


def test_convergence_rejects_small_or_impossible_sweeps():
    good = pd.DataFrame({"output": "y", "parameter": ["x1", "x2"], "ST": [0.55, 1.02],
                         "ST_conf": [0.05, 0.04]})
    assert analyze.convergence(_design(64), good) == (True, [])
    ok, why = analyze.convergence(_design(16), good)
    assert not ok and why == ["base sample 16 < 64"]
    bad = good.assign(ST=[2.44, 0.5], ST_conf=[0.3, 0.2])  # the toy sweep's 2.44 ± 0.3
    ok, why = analyze.convergence(_design(64), bad)
    assert not ok and "1 total indices outside [0, 1] beyond their interval" in why
    assert "2 intervals wider than ±0.1" in why
