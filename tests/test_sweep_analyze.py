"""Indices, swings and verdicts on hand-made runs: a grid over an additive function has
first-order shares Var(main effect)/Var(Y) computable on paper; verdicts flip where the
surplus changes sign; the headline names the top drivers; the figures draw."""

import json

import numpy as np
import pandas as pd
import pytest

from qyedu.figures import sensitivity as fig
from qyedu.sweep import analyze, design_from_dict, run_sweep
from qyedu.sweep.design import runs
from qyedu.sweep.task import Task
from qyedu.views import sensitivity as views

DESIGN = design_from_dict({
    "name": "t", "method": "grid", "outputs": ["compulsory_surplus_2025_p50", "junior_peak_p50"],
    "parameters": {"a": {"values": [0, 1]}, "b": {"range": [0.0, 2.0], "steps": 3}},
    "task": "qyedu.sweep.testfunctions:Ishigami"})


def _runs(f, g):
    vals = runs(DESIGN)
    rows = []
    for i, v in enumerate(vals):
        for name, fn in (("compulsory_surplus_2025_p50", f), ("junior_peak_p50", g)):
            rows.append({"run": i, **v, "seed": 1, "output": name, "value": fn(v["a"], v["b"]),
                         "note": ""})
    return pd.DataFrame(rows)


def test_grid_first_order_shares_of_an_additive_function():
    # y = 3a + b: Var(3a) = 9 * 1/4 = 2.25, Var(b over 0,1,2) = 2/3, no interaction
    r = _runs(lambda a, b: 3 * a + b, lambda a, b: 5.0)
    ix = analyze.indices(DESIGN, r).set_index(["output", "parameter"])
    total = 2.25 + 2 / 3
    assert ix.loc[("compulsory_surplus_2025_p50", "a"), "S1"] == pytest.approx(2.25 / total)
    assert ix.loc[("compulsory_surplus_2025_p50", "b"), "S1"] == pytest.approx((2 / 3) / total)
    assert ix.loc[("junior_peak_p50", "a"), "note"] == "output constant over the design"


def test_swing_verdicts_and_flips():
    # surplus = 100 - 80a - 20b: negative only for a=1, b=2 (100-80-40 = -20)
    r = _runs(lambda a, b: 100 - 80 * a - 20 * b, lambda a, b: 1000 + 10 * b)
    sw = analyze.swing(DESIGN, r).set_index(["output", "parameter"])
    row = sw.loc[("compulsory_surplus_2025_p50", "a")]
    assert (row["low_label"], row["high_label"]) == ("1", "0")  # lowest mean first
    assert row["swing"] == pytest.approx(80)
    v = analyze.verdicts(DESIGN, r).set_index("promise").loc["compulsory_new_places"]
    assert (v["runs"], v["shortfall_runs"], v["majority"]) == (6, 1, "surplus")
    f = analyze.flips(DESIGN, r)
    assert f[["a", "b", "verdict", "surplus_p50"]].values.tolist() == [[1, 2.0, "shortfall", -20.0]]
    vbp = analyze.verdict_by_parameter(DESIGN, r)
    c = views.flip_conditions(vbp).iloc[0]
    assert c["share_shortfall_then"] == pytest.approx(0.5)  # a=1 or b in the top third


def test_headline_names_top_drivers_and_figures_draw():
    r = _runs(lambda a, b: 100 - 80 * a - 20 * b, lambda a, b: 1000 + 10 * b + a)
    tables = {"runs.csv": r, "indices.csv": analyze.indices(DESIGN, r),
              "verdicts.csv": analyze.verdicts(DESIGN, r),
              "verdict_by_parameter.csv": analyze.verdict_by_parameter(DESIGN, r)}
    lines = views.headline(tables, "grid")
    assert "surplus in 5 of 6" in lines[0]
    assert "junior peak" in lines[2] and lines[2].index("参数 b (") < lines[2].index("参数 a (")
    rank = views.ranking(tables["indices.csv"], "junior_peak_p50")
    assert rank.iloc[0, 2] == "参数 b" and rank.iloc[0, 0] == "初中在校生峰值 junior peak"
    shown = views.verdict_table(tables["verdicts.csv"]).iloc[0]
    assert shown["多数结论 majority verdict"] in {"缺口 shortfall", "富余 surplus"}
    assert shown["缺口比例 share shortfall"].endswith(" %")
    assert fig.tornado(analyze.swing(DESIGN, r), "junior_peak_p50").axes
    assert fig.index_heatmap(tables["indices.csv"]).axes
    assert np.isfinite(rank.iloc[:, 3]).all()


class Linear(Task):
    """y = 3·a + b + 0·c, evaluated through run_sweep (serially)."""

    def evaluate_one(self, values, seed):
        return {"y": (3 * values["a"] + values["b"], "")}


def test_morris_mu_star_of_a_linear_function_through_run_sweep(tmp_path):

    d = design_from_dict({"name": "lin", "method": "morris", "samples": 10, "levels": 4,
                          "task": "test_sweep_analyze:Linear", "outputs": ["y"],
                          "parameters": {"a": {"range": [0, 1]}, "b": {"range": [0, 2]},
                                         "c": {"range": [0, 1]}}})
    res = run_sweep(d, out=tmp_path, workers=0, progress=False, log=lambda *_: None)
    ix = res.indices.set_index("parameter")
    # elementary effects per unit of the normalised range: a → 3, b → 2 (range 2), c → 0
    assert ix.loc["a", "mu_star"] == pytest.approx(3) and ix.loc["a", "sigma"] == pytest.approx(0)
    assert ix.loc["b", "mu_star"] == pytest.approx(2) and ix.loc["c", "mu_star"] == 0
    assert (tmp_path / "figures" / "sensitivity_heatmap.png").exists()
    assert res.runs["run"].nunique() == 10 * 4


def test_flip_conditions_say_so_when_no_parameter_changes_the_verdict():
    r = _runs(lambda a, b: 100 + a + b, lambda a, b: 1.0)  # never short
    c = views.flip_conditions(analyze.verdict_by_parameter(DESIGN, r)).iloc[0]
    assert c["most_shortfall_when"].startswith("—") and c["share_shortfall_then"] == 0


def test_the_sensitivity_page_reads_the_finished_sweep_of_its_design(tmp_path, monkeypatch):
    """``sensitivity.design`` names the sweep shown; a finished one in
    data/processed/sweeps/<design>/ is read as it is (no run), and the page names it without
    a machine path."""
    from qyedu import params, sweep
    from qyedu.sweep import design_from_dict, run_sweep

    rp = params.load(None, {"sensitivity.design": "ishigami"})
    monkeypatch.setenv("QYEDU_ROOT", str(tmp_path))
    design = {"name": "ishigami", "method": "sobol", "task": "qyedu.sweep.testfunctions:Ishigami",
              "samples": 8, "seed": 2, "outputs": ["y"],
              "parameters": {k: {"range": [-3.14, 3.14]} for k in ("x1", "x2", "x3")}}
    done = tmp_path / "data" / "sweeps" / "ishigami"  # the sweep store (qyedu.paths.sweeps_dir)
    ran = run_sweep(design_from_dict(design), out=done, workers=0, progress=False,
                    figures=False, log=lambda *_: None)
    monkeypatch.setattr("qyedu.sweep.run.run_sweep",
                        lambda *a, **k: pytest.fail("a finished sweep was run again"))
    res = sweep.finished_or_tiny(rp)
    assert res.origin == ("已完成的参数扫描（data/processed/sweeps/ishigami/） | finished sweep "
                          "read from data/processed/sweeps/ishigami/")
    assert res.runs["run"].nunique() == ran.runs["run"].nunique() == 8 * (3 + 2)
    assert res.indices["S1"].round(10).tolist() == ran.indices["S1"].round(10).tolist()


def _ishigami(samples: int = 8) -> dict:
    return {"name": "ishigami", "method": "sobol", "task": "qyedu.sweep.testfunctions:Ishigami",
            "samples": samples, "seed": 2, "outputs": ["y"],
            "parameters": {k: {"range": [-3.14, 3.14]} for k in ("x1", "x2", "x3")}}


def test_runs_made_with_other_code_or_data_are_never_mixed_in(tmp_path, monkeypatch):
    """Resuming into a folder whose runs were made with other inputs is refused, and the
    sensitivity page does not show such a finished sweep as current."""
    from qyedu import params, sweep
    from qyedu.sweep import design_from_dict, run_sweep
    from qyedu.sweep.store import SweepStoreError

    rp = params.load(None, {"sensitivity.design": "ishigami"})
    monkeypatch.setenv("QYEDU_ROOT", str(tmp_path))
    done = tmp_path / "data" / "sweeps" / "ishigami"  # the sweep store (qyedu.paths.sweeps_dir)
    quiet = {"workers": 0, "progress": False, "figures": False, "log": lambda *_: None}
    run_sweep(design_from_dict(_ishigami()), out=done, **quiet)
    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "new.csv").write_text("a\n1\n", encoding="utf-8")  # new input
    with pytest.raises(SweepStoreError, match="made with other code, data or parameter files"):
        run_sweep(design_from_dict(_ishigami()), out=done, **quiet)

    class Rerun(Exception):
        pass

    def rerun(*a, **k):
        raise Rerun

    (tmp_path / "params" / "sweeps").mkdir(parents=True)
    (tmp_path / "params" / "sweeps" / "ishigami.yaml").write_text(
        json.dumps(_ishigami()), encoding="utf-8")  # YAML is a superset of JSON
    monkeypatch.setattr("qyedu.sweep.run.run_sweep", rerun)
    with pytest.raises(Rerun):  # the stale finished sweep is not shown: the small one runs
        sweep.finished_or_tiny(rp)


def test_flip_tables_for_reviewers_are_bilingual_and_one_line_a_set():
    flips = pd.DataFrame({"promise": ["compulsory_capacity"], "run": [4],
                          "forecast.scenario": ["low"], "teachers.attrition_rate": [0.043769],
                          "places.promise_base_year": [2020], "verdict": ["shortfall"],
                          "surplus_p50": [-2885.6]})
    t = views.flip_examples(flips)
    assert t.columns.tolist() == ["承诺 promise", "结论 verdict", "中位余量 median surplus",
                                  "假设组合 assumption set"]
    row = t.iloc[0]
    assert row["结论 verdict"] == "缺口 shortfall" and row["中位余量 median surplus"] == -2886
    assert row["假设组合 assumption set"] == (  # names, never parameter keys
        "未来出生情景 future births path low · 教师流失率 teacher attrition rate 0.04 · "
        "承诺基年 baseline year of the promise 2020")
    assert "no assumption set changes a verdict" in views.flip_examples(flips.iloc[:0]).iloc[0, 0]
    vbp = pd.DataFrame({"promise": ["compulsory_new_places"] * 2,
                        "parameter": ["forecast.scenario"] * 2, "value": ["low", "high"],
                        "share_shortfall": [0.25, 0.75]})
    c = views.flip_conditions_display(vbp).iloc[0]
    assert c["承诺 promise"] == "义务教育新增学位 compulsory places"
    assert c["缺口最常见于 shortfall most often when"] == "未来出生情景 future births path = high"
    assert c["缺口比例 share short (most)"] == "75 %" and c["缺口比例 share short (least)"] == "25 %"
