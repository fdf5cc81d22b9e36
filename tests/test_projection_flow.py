"""The Qingyuan run with the learned drift (a hand-made calibration file gives an exactly
known factor path), vocational in-flows, and the flow checks against the plan (on a
synthetic result)."""

import numpy as np
import pandas as pd
import pytest

from qyedu.labels import LEVELS
from qyedu.params import RunParams
from qyedu.projection import run
from qyedu.projection.consistency import flow_checks
from qyedu.projection.drift import CAL_REQUIRED
from qyedu.projection.flow import cohort_births
from qyedu.projection.montecarlo import vocational_inflows
from qyedu.projection.result import ProjectionResult

# the plan's preschool figures (2015/2020 enrolled and gross enrolment ratio)
PRE = pd.DataFrame({"indicator_id": ["preschool_enrolled"] * 2 + ["preschool_gross_enrolment_ratio"] * 2,
                    "year": [2015, 2020, 2015, 2020], "value": [156763.0, 171158.0, 96.71, 101.28]})


def _rp(tmp_path, alpha: float, draws=40, **projection):
    """Run parameters with a calibration file of zero spread and log drift α·lead."""
    rows = [{"level": lv, "lead": h, "model": "own", "alpha": alpha * h, "beta": 0.0,
             "resid_q05": 0.0, "resid_q50": 0.0, "resid_q95": 0.0, "n": 10, "areas": 5}
            for lv in LEVELS for h in range(1, 4)]
    path = tmp_path / "cal.csv"
    pd.DataFrame(rows, columns=list(CAL_REQUIRED)).to_csv(path, index=False)
    return RunParams.model_validate({
        "forecast": {"draws": draws, "births_method": "share_of_guangdong"},
        "projection": {"calibration_file": str(path), "births_anchor_doubt": 0.0, **projection}})


def test_learned_drift_moves_the_factor_exactly(tmp_path):
    flat, up = run(_rp(tmp_path, 0.0), preschool=PRE), run(_rp(tmp_path, 0.02), preschool=PRE)
    i, y = LEVELS.index("primary"), list(flat.years)
    ratio = up.city()[:, :, i] / flat.city()[:, :, i]
    # primary last observed 2022: no drift up to it, exp(0.02 h) for h = 1..3, held beyond
    assert ratio[:, y.index(2022)] == pytest.approx(1.0)
    assert ratio[:, y.index(2023)] == pytest.approx(np.exp(0.02))
    assert ratio[:, y.index(2025)] == pytest.approx(np.exp(0.06))
    assert ratio[:, y.index(2030)] == pytest.approx(np.exp(0.06))
    # the observed 2022 cross-section is reproduced in every draw
    assert flat.city()[:, y.index(2022), i] == pytest.approx(422369)


def test_vocational_inflows_hold_a_share_at_the_observed_level():
    e = np.ones((2, 3, len(LEVELS))) * np.array([100.0, 120.0, 140.0])[None, :, None]
    vocational_inflows(e, np.array([2022, 2023, 2024]), np.array([2022] * 5), 0.25)
    k = LEVELS.index("senior_vocational")
    # 2023: 0.75 × 120 + 0.25 × 100 = 115; 2024: 0.75 × 140 + 25 = 130
    assert e[0, :, k].tolist() == [100.0, 115.0, 130.0]
    assert e[0, :, 0].tolist() == [100.0, 120.0, 140.0]  # other levels untouched


def _result(junior_factor: float) -> ProjectionResult:
    years, by = np.arange(2022, 2024), np.arange(2000, 2024)
    births = np.full((1, len(by)), 100.0)
    enrolled = np.stack([cohort_births(births, 2000, years, lv) for lv in LEVELS], axis=2)
    enrolled[:, :, LEVELS.index("junior_secondary")] *= junior_factor
    return ProjectionResult("medium", years, ("a",), enrolled[..., None], enrolled[..., None],
                            by, births)


def test_flow_checks_flag_a_contradiction_with_the_plan():
    plan = pd.DataFrame({"indicator_id": ["primary_graduate_progression_rate"], "year": [2022],
                         "value": [100.0], "kind": ["target"], "line": [241]})
    ok = flow_checks(_result(0.98), plan).set_index(["quantity", "year"])
    bad = flow_checks(_result(0.87), plan).set_index(["quantity", "year"])
    assert ok.loc[("junior_per_primary", 2022), "p50"] == pytest.approx(98.0)
    assert ok.loc[("junior_per_primary", 2022), "status"] == "consistent"
    assert bad.loc[("junior_per_primary", 2022), "status"] == "contradiction"
    assert bad.loc[("junior_per_primary", 2022), "plan_line"] == 241
    # GER = enrolled / population of the ages = 100 % here; no plan figure given
    assert bad.loc[("ger_primary", 2022), "p50"] == pytest.approx(100.0)
    assert bad.loc[("ger_primary", 2022), "status"] == "plausible"
    assert bad.loc[("ger_senior", 2022), "status"] == "no_plan_figure"
