"""Sweep designs: validation (errors name the key), sample sizes per method, values typed as
the RunParams field, every run's RunParams validated, and the grouping that lets runs share
one projection."""

import math

import pytest

from qyedu.params import ParamError
from qyedu.sweep import design_from_dict
from qyedu.sweep.chain import ChainTask, field_kind, projection_key
from qyedu.sweep.design import run_seed, runs, unit_sample
from qyedu.sweep.run import plan_batches

BASE = {"name": "t", "method": "grid", "outputs": ["junior_peak_p50"], "fixed": {"forecast.draws": 20}}


def _d(**kw):
    return design_from_dict(BASE | kw)


def test_unknown_key_and_range_plus_values_are_errors_naming_them():
    with pytest.raises(ParamError) as e:
        design_from_dict(BASE | {"parameters": {"teachers.attrition_rate": {
            "range": [0.01, 0.05], "values": [0.02]}}, "sampels": 3})
    assert "sampels" in str(e.value) and "teachers.attrition_rate" in str(e.value)
    with pytest.raises(ParamError, match="low must be below high"):
        _d(parameters={"teachers.attrition_rate": {"range": [0.05, 0.01]}})


def test_grid_is_the_full_product_with_list_values_and_range_steps():
    d = _d(parameters={"forecast.scenario": {"values": ["low", "high"]},
                       "teachers.attrition_rate": {"range": [0.01, 0.05], "steps": 3}})
    r = runs(d)
    assert len(r) == 6
    assert {x["forecast.scenario"] for x in r} == {"low", "high"}
    assert sorted({x["teachers.attrition_rate"] for x in r}) == pytest.approx([0.01, 0.03, 0.05])


def test_sobol_and_morris_sizes():
    p = {"teachers.attrition_rate": {"range": [0.01, 0.05]},
         "forecast.scenario": {"values": ["low", "medium", "high"]}}
    assert len(unit_sample(_d(method="sobol", samples=8, parameters=p))) == 8 * (2 + 2)
    assert len(unit_sample(_d(method="sobol", samples=8, second_order=True, parameters=p))) == 8 * 6
    assert len(unit_sample(_d(method="morris", samples=5, parameters=p))) == 5 * 3
    # a list of k values is sampled as an index on [0, k): every value is reachable
    vals = {x["forecast.scenario"] for x in runs(_d(method="sobol", samples=16, parameters=p))}
    assert vals == {"low", "medium", "high"}


def test_int_fields_get_ints_from_a_range():
    assert field_kind("forecast.draws") == "int" and field_kind("teachers.attrition_rate") == "float"
    d = _d(method="sobol", samples=4, parameters={"forecast.draws": {"range": [10, 40]}})
    vals = [x["forecast.draws"] for x in runs(d, ChainTask(d).kinds())]
    assert all(isinstance(v, int) and 10 <= v <= 40 for v in vals)


def test_every_run_is_validated_naming_the_bad_key():
    d = _d(parameters={"teachers.atrition_rate": {"values": [0.02]}})
    with pytest.raises(ParamError, match="atrition_rate"):
        ChainTask(d).group_keys(runs(d), [1])
    d = _d(parameters={"teachers.attrition_rate": {"values": [0.5]}})  # above le=0.3
    with pytest.raises(ParamError, match="attrition_rate"):
        ChainTask(d).group_keys(runs(d), [1])
    with pytest.raises(ParamError, match="unknown sweep output"):
        ChainTask(_d(outputs=["nope"], parameters={"forecast.seed": {"values": [1]}})).check()


def test_downstream_parameters_share_a_projection_and_batch_together():
    d = _d(batch_size=4, parameters={"births.annual_change_sd": {"values": [0.0, 0.02]},
                                     "teachers.attrition_rate": {"values": [0.01, 0.02, 0.03]}})
    r = runs(d)
    keys = ChainTask(d).group_keys(r, [0] * len(r))
    assert len(set(keys)) == 2  # the teachers parameter does not touch the projection
    batches = plan_batches(d, keys, list(range(len(r))), r, [0] * len(r))
    assert [[i for i, _, _ in b] for b in batches] == [[0, 1, 2], [3, 4, 5]]
    for b in batches:
        assert len({r[i]["births.annual_change_sd"] for i, _, _ in b}) == 1


def test_projection_key_ignores_downstream_sections_only():
    from qyedu.params import load

    rp = load(None, {"forecast.draws": 20})
    assert projection_key(rp) == projection_key(rp.with_overrides({"places.public_share_preschool": 0.6}))
    assert projection_key(rp) != projection_key(rp.with_overrides({"projection.participation_drift_sd": 0.0}))


def test_seeds_common_or_per_run_become_forecast_seed():
    p = {"teachers.attrition_rate": {"values": [0.02]}}
    common = _d(seed=7, parameters=p)
    assert run_seed(common, 3) == run_seed(common, 4) == 7
    assert ChainTask(common).run_params({"teachers.attrition_rate": 0.02}, 7).forecast.seed == 7
    per_run = _d(seed=7, seed_mode="per_run", parameters=p)
    assert run_seed(per_run, 3) == run_seed(per_run, 3) != run_seed(per_run, 4)
    assert not math.isnan(run_seed(per_run, 0))
    swept = ChainTask(_d(parameters={"forecast.seed": {"values": [5]}}))
    assert swept.run_params({"forecast.seed": 5}, 7).forecast.seed == 5  # a swept seed wins
    with pytest.raises(ParamError, match="seed"):
        ChainTask(_d(parameters=p, fixed={"forecast.seed": 3})).check()
