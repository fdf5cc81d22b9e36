"""The cohort flow, the learned drift and the accuracy measures, on synthetic areas and
hand-computed cases (all data here are synthetic)."""

import numpy as np
import pandas as pd
import pytest

from qyedu.observed.area import AreaData
from qyedu.params import ForecastParams, RunParams
from qyedu.projection.area_run import level_factors, project_area, smoothed_base
from qyedu.projection.drift import CAL_REQUIRED, drift_multiplier, level_drift
from qyedu.projection.flow import (
    birth_offsets,
    cohort_births,
    drift_by_lead,
    implied_ratios,
)
from qyedu.validation.backtest import accuracy
from qyedu.validation.drift import (
    area_weights,
    drift_samples,
    factor_table,
    fit_drift,
    loao_residuals,
)
from qyedu.validation.spread import lead_quantiles, power_fit, weighted_quantile

EMPTY = pd.DataFrame(columns=list(CAL_REQUIRED))


def test_cutoff_weights_by_hand():
    # age 6 in school year t: born Sep(t-7)..Aug(t-6) → 8/12 of B(t-6) + 4/12 of B(t-7)
    assert birth_offsets((6,)) == pytest.approx({6: 2 / 3, 7: 1 / 3})
    assert birth_offsets((3, 4, 5)) == pytest.approx({3: 2 / 3, 4: 1, 5: 1, 6: 1 / 3})
    births = np.array([[300.0, 600.0, 900.0, 1200.0, 1500.0]])  # 2000..2004
    # preschool 2006 = 2/3·B(2003) + B(2002) + B(2001) + 1/3·B(2000) = 800+900+600+100
    assert cohort_births(births, 2000, [2006], "preschool")[0, 0] == pytest.approx(2400)
    with pytest.raises(ValueError, match="births from 1999"):
        cohort_births(births, 2000, [2005], "preschool")


def _synthetic_area(factors: dict, births: pd.Series, years, drift=0.0) -> AreaData:
    """Enrolment generated exactly from known factors (× exp(drift·(t − first year)))."""
    b, fby = births.to_numpy(), int(births.index.min())
    rows = []
    for lv, f in factors.items():
        for t in years:
            c = cohort_births(b, fby, [t], lv)[0, 0]
            rows.append((t, lv, f * np.exp(drift * (t - years[0])) * c, 2))
    enr = pd.DataFrame(rows, columns=["year", "level", "value", "source_line"])
    return AreaData("Synth", births, pd.Series("published count", index=births.index), enr,
                    enr.iloc[:0], "synthetic")


BIRTHS = pd.Series(10_000 * 1.02 ** np.arange(30) * (1 + 0.1 * np.sin(np.arange(30))),
                   index=range(1990, 2020))
KNOWN = {"preschool": 0.8, "primary": 1.05, "junior_secondary": 0.95,
         "senior_general": 0.5, "senior_vocational": 0.35}


def test_flow_recovers_known_ratios_and_reproduces_the_area():
    area = _synthetic_area(KNOWN, BIRTHS, range(2010, 2020))
    fac = level_factors(area.as_of(2012), BIRTHS.to_numpy(), 1990).set_index("level")["factor"]
    assert fac.to_dict() == pytest.approx(KNOWN)
    r = implied_ratios(fac.to_dict())
    assert r["junior_per_primary"] == pytest.approx(0.95 / 1.05)
    assert r["senior_per_junior"] == pytest.approx(0.85 / 0.95)
    # zero drift + known births (horizon ≤ base + 3: no future births needed for any level
    # but preschool) → the projection reproduces the generated enrolment
    rp = RunParams(forecast=ForecastParams(base_year=2012, horizon=2015, draws=50))
    res = project_area(area, rp, EMPTY)
    truth = area.enrolment.set_index(["level", "year"])["value"]
    for i, lv in enumerate(res.levels):
        for y, t in enumerate(res.years):
            assert np.allclose(res.enrolled[:, y, i, 0], truth[(lv, t)], rtol=1e-9), (lv, t)


def test_fit_recovers_a_known_drift_and_flow_weight():
    rng = np.random.default_rng(0)
    rows = []
    for k in range(8):  # 8 synthetic areas, drift d = 0.01·h − 0.5·x·h/3 exactly
        x = rng.normal(0, 0.1)
        for o in range(2000, 2006):
            for h in (1, 2, 3):
                rows.append((f"A{k}", "junior_secondary", o, h, 0.01 * h - 0.5 * x * h / 3, x))
    s = pd.DataFrame(rows, columns=["area", "level", "origin", "lead", "d", "x"])
    cal = fit_drift(s).set_index(["lead", "model"])
    for h in (1, 2, 3):
        assert cal.loc[(h, "gap"), "alpha"] == pytest.approx(0.01 * h, abs=1e-12)
        assert cal.loc[(h, "gap"), "beta"] == pytest.approx(-0.5 * h / 3, abs=1e-12)
        assert cal.loc[(h, "gap"), "resid_q95"] == pytest.approx(0, abs=1e-12)


def test_factor_table_and_samples_on_a_drifting_area():
    area = _synthetic_area({"primary": 1.0}, BIRTHS, range(2005, 2012), drift=0.02)
    f = factor_table(area)
    assert f["factor"].to_numpy() == pytest.approx(np.exp(0.02 * np.arange(7)))
    s = drift_samples(f, max_lead=3)
    assert s["d"].to_numpy() == pytest.approx(0.02 * s["lead"].to_numpy())
    assert s["x"].isna().all()  # primary has no reference stage


def test_weights_quantiles_and_loao_by_hand():
    area = np.array(["a", "a", "b", "c"])
    assert area_weights(area).tolist() == [0.5, 0.5, 1.0, 1.0]
    # values 1, 2, 3 with weights 1, 1, 2: weighted mid-points 0.125, 0.375, 0.75, so the
    # median lies 1/3 of the way from 2 (at 0.375) to 3 (at 0.75): 7/3
    assert weighted_quantile(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 2.0]), 0.5) == \
        pytest.approx(7 / 3)
    # α-only LOAO: each area's residual against the mean of the other areas
    d = np.array([1.0, 3.0, 5.0])
    r = loao_residuals(d, None, np.array(["a", "b", "c"]))
    assert r.tolist() == [1 - 4, 3 - 3, 5 - 2]


def test_power_fit_weights_leads_by_samples():
    # log2 h = 0, 1, 2 and log2(s/0.1) = 0, 1, 3 with weights 2, 1, 1: weighted means 0.75
    # and 1, slope Σw·dx·dy / Σw·dx² = 4 / 2.75 = 16/11, intercept 1 − 16/11·0.75 = −1/11
    # (unweighted the slope would be 1.5)
    c, k = power_fit([1, 2, 4], [0.1, 0.2, 0.8], [2, 1, 1])
    assert k == pytest.approx(16 / 11) and c == pytest.approx(0.1 * 2 ** (-1 / 11))


def test_spread_smoothed_across_leads_by_hand():
    """20 residuals a lead (weights 1), h·0.01·(16 core values in ±2, ±a_h, ±b_h), with the
    outer pairs (a, b) = (4, 6), (3, 7), (4.5, 5.5): each lead's median is 0 and its
    5th/95th percentiles ∓(a + b)/2·h·0.01 = ∓0.05·h, so k = 1 on both sides. The pooled
    residuals / h are 60 values whose top four are 7, 6, 5.5, 4.5 (·0.01); the conformal
    level 0.95·(1 + 1/60) = 0.965833 is 57.95/60, 0.45 of the way from the 58th mid-point
    (57.5/60, value 5.5) to the 59th (58.5/60, value 6): c = 0.05725. Per lead, the level
    0.95·(1 + 1/20) caps at each lead's extreme (0.06, 0.14, 0.165): lead 2's one outlier
    no longer sets its band."""
    core = np.linspace(-2, 2, 16)
    rows = []
    for h, (a, b) in zip((1, 2, 3), ((4, 6), (3, 7), (4.5, 5.5)), strict=True):
        r = h * 0.01 * np.concatenate([core, [a, b, -a, -b]])
        rows.append(pd.DataFrame({"lead": h, "r": r, "w": 1.0}))
    q = lead_quantiles(pd.concat(rows, ignore_index=True), max_lead=5).set_index("lead")
    h = np.arange(1, 6)
    assert q["resid_q95"].to_numpy() == pytest.approx(0.05725 * h)
    assert q["resid_q05"].to_numpy() == pytest.approx(-0.05725 * h)
    assert q["resid_q50"].to_numpy() == pytest.approx(0, abs=1e-12)
    assert q["spread"].tolist() == ["smoothed"] * 3 + ["extrapolated"] * 2
    # two leads are too few for the curve: each keeps its own conformal extreme
    raw = lead_quantiles(pd.concat(rows[:2], ignore_index=True), max_lead=5)
    assert raw["resid_q95"].tolist() == pytest.approx([0.06, 0.14])
    assert raw["spread"].tolist() == ["raw", "raw"]


def test_fit_drift_holds_the_last_fitted_lead_beyond_it():
    rng = np.random.default_rng(3)
    rows = [(f"A{k}", "primary", o, h, 0.01 * h + rng.normal(0, 0.02 * h), np.nan)
            for k in range(6) for o in range(2000, 2004) for h in (1, 2, 3)]
    s = pd.DataFrame(rows, columns=["area", "level", "origin", "lead", "d", "x"])
    cal = fit_drift(s, max_lead=5).set_index("lead")
    assert cal.index.tolist() == [1, 2, 3, 4, 5] and (cal["model"] == "own").all()
    assert cal.loc[[4, 5], ["alpha", "resid_q50"]].to_numpy() == \
        pytest.approx(cal.loc[[3, 3], ["alpha", "resid_q50"]].to_numpy())
    assert cal.loc[[4, 5], "n"].tolist() == [0, 0] and cal.loc[3, "n"] == 24
    half = cal["resid_q95"] - cal["resid_q50"]
    assert half.loc[5] / half.loc[4] > 1 and (cal["spread"] != "raw").all()


def _cal(level, rows):
    return pd.DataFrame([dict(zip(CAL_REQUIRED, (level, *r), strict=True)) for r in rows])


def test_drift_multiplier_by_hand():
    cal = _cal("primary", [(1, "own", 0.01, 0.0, -0.05, 0.0, 0.10, 50, 10),
                           (2, "own", 0.02, 0.0, -0.08, 0.0, 0.12, 50, 10)])
    z = np.array([0.0, 1.6448536269514722, -1.6448536269514722])
    m = drift_multiplier(np.arange(2020, 2024), np.array([2021] * 5),
                         np.full((3, 5), np.nan), cal, z)[:, :, 1]
    assert m[:, :2] == pytest.approx(1.0)  # up to the last observed year
    # lead 1: median exp(0.01); z = ±1.645 → exp(0.01 + 0.10) and exp(0.01 − 0.05)
    assert m[:, 2] == pytest.approx(np.exp([0.01, 0.11, -0.04]))
    assert m[:, 3] == pytest.approx(np.exp([0.02, 0.14, -0.06]))
    # beyond the last calibrated lead: centre held, spread ∝ √lead
    c, s = drift_by_lead(np.array([[0.01, 0.02]]), np.array([[0.1, 0.2]]), 4)
    assert c[0].tolist() == pytest.approx([0, 0.01, 0.02, 0.02, 0.02])
    assert s[0].tolist() == pytest.approx([0, 0.1, 0.2, 0.2 * np.sqrt(1.5), 0.2 * np.sqrt(2)])


def test_gap_model_uses_the_flow_weight():
    cal = _cal("junior_secondary", [(1, "gap", 0.0, -0.5, -0.1, 0.0, 0.1, 50, 10),
                                    (1, "own", 0.03, 0.0, -0.1, 0.0, 0.1, 50, 10)])
    c, _ = level_drift(cal, "junior_secondary", np.array([-0.2]), np.array([0.0]))
    assert c[0, 0] == pytest.approx(0.1)  # −0.5 × −0.2: the gap to primary half closes
    c, _ = level_drift(cal, "junior_secondary", np.array([np.nan]), np.array([0.0]))
    assert c[0, 0] == pytest.approx(0.03)  # reference unknown → α-only


def test_accuracy_on_a_small_panel_by_hand():
    bt = pd.DataFrame({
        "area": ["a", "b", "a", "b", "a", "b"], "level": "primary", "origin": 2010,
        "lead": [1, 1, 1, 1, 2, 2], "target_year": 2011,
        "method": ["cohort_flow", "cohort_flow", "hold_factor", "hold_factor",
                   "cohort_flow", "cohort_flow"],
        "actual": [100.0, 200.0, 100.0, 200.0, 100.0, 100.0],
        "forecast": [110.0, 190.0, 100.0, 220.0, 95.0, 100.0],
        "p05": [105.0, 180.0, np.nan, np.nan, 90.0, 99.0],
        "p95": [120.0, 210.0, np.nan, np.nan, 101.0, 102.0]})
    acc = accuracy(bt).set_index(["horizon", "method"])
    # lead 1: APE 10 % and 5 % → MAPE 7.5, bias (+10 − 5)/2 = +2.5; band holds 1 of 2
    assert acc.loc[(1, "cohort_flow"), ["mape", "bias", "coverage_p05_p95"]].tolist() == \
        pytest.approx([7.5, 2.5, 50.0])
    assert acc.loc[(1, "hold_factor"), ["mape", "bias"]].tolist() == pytest.approx([5.0, 5.0])
    assert np.isnan(acc.loc[(1, "hold_factor"), "coverage_p05_p95"])
    assert acc.loc[(2, "cohort_flow"), ["mape", "bias", "coverage_p05_p95", "n"]].tolist() == \
        pytest.approx([2.5, -2.5, 100.0, 2])


def test_smoothed_base_is_a_mean_of_the_last_years():
    assert smoothed_base(np.array([[100.0, 103.0, 113.0]]), 3)[0] == pytest.approx(105.3333333)
    assert smoothed_base(np.array([100.0, 103.0, 113.0]), 1) == 113.0


def test_error_correlation_and_correlated_normals():
    from qyedu.projection.drift import correlated_normals
    from qyedu.validation.backtest import error_correlation

    rng = np.random.default_rng(3)
    e = rng.normal(0, 0.05, 12)
    rows = []
    for k in range(12):
        for lv, err in (("primary", e[k]), ("junior_secondary", -e[k]), ("preschool", e[k])):
            rows.append({"area": f"A{k}", "origin": 2010, "lead": 1, "level": lv,
                         "method": "cohort_flow", "actual": 100 * np.exp(err), "forecast": 100})
    r = error_correlation(pd.DataFrame(rows))
    # primary and preschool errors identical, junior opposite; vocational unseen → 0
    assert r.loc["primary", "preschool"] == pytest.approx(1, abs=0.01)
    assert r.loc["primary", "junior_secondary"] == pytest.approx(-1, abs=0.01)
    assert r.loc["primary", "senior_vocational"] == pytest.approx(0, abs=1e-9)
    assert np.allclose(np.diag(r), 1)
    z = correlated_normals(np.random.default_rng(1), 20000, np.array([[1, 0.6], [0.6, 1]]))
    assert np.corrcoef(z.T)[0, 1] == pytest.approx(0.6, abs=0.02)
    assert z.std(axis=0) == pytest.approx([1, 1], abs=0.02)


def test_panel_backtest_on_a_synthetic_panel_matches_hand_values():
    """Six synthetic areas, constant births, primary factor growing exactly 1 % a year: the
    leave-one-area-out drift is learned exactly, so the method is exact, while holding the
    factor (or carrying enrolment forward) is off by 1 − e^(−0.01 h) at lead h."""
    from qyedu.validation.backtest import panel_backtest

    births = pd.Series(10_000.0, index=range(1985, 2016))
    panel = []
    for k in range(6):
        a = _synthetic_area({"primary": 1.0 + 0.05 * k}, births, range(2000, 2011), drift=0.01)
        panel.append(AreaData(f"S{k}", a.births, a.births_how, a.enrolment, a.intake, "synthetic"))
    bt, cal = panel_backtest(panel, draws=20)
    acc = accuracy(bt).set_index(["horizon", "method"])
    own = cal[(cal["level"] == "primary") & (cal["model"] == "own")].set_index("lead")
    assert own.loc[3, "alpha"] == pytest.approx(0.03) and own.loc[3, "resid_q95"] == \
        pytest.approx(0, abs=1e-12)
    for h in (1, 3, 5, 6):  # leads whose cohorts are all born by the origin
        hand = (1 - np.exp(-0.01 * h)) * 100
        assert acc.loc[(h, "cohort_flow"), "mape"] == pytest.approx(0, abs=1e-9)
        assert acc.loc[(h, "hold_factor"), ["mape", "bias"]].tolist() == pytest.approx([hand, -hand])
        assert acc.loc[(h, "carry_forward"), "mape"] == pytest.approx(hand)
        # 6 areas × origins 2000..2010−h
        assert acc.loc[(h, "cohort_flow"), "n"] == 6 * (11 - h)
    # from lead 7 the youngest cohort comes from the births path (noise around constant
    # births): no longer exact, but close
    assert acc.loc[(8, "cohort_flow"), "mape"] < 0.5
    # the areas in 2 processes give the same rows in the same order
    bt2, cal2 = panel_backtest(panel, draws=20, workers=2)
    pd.testing.assert_frame_equal(bt2, bt)
    pd.testing.assert_frame_equal(cal2, cal)


def test_prior_spread_on_hand_values():
    """Two provinces against China (synthetic factors): log(primary/preschool) differences
    A: +0.1, +0.3 (two years), B: −0.2 (one year). Each province weighs 1: weights
    0.5, 0.5, 1 → RMS = sqrt((0.5·0.01 + 0.5·0.09 + 1·0.04) / 2) = sqrt(0.045)."""
    import numpy as np
    import pandas as pd

    from qyedu.validation.prior_spread import prior_spread

    rows = []
    for area, year, d in (("China", 2015, 0.0), ("China", 2016, 0.0), ("A", 2015, 0.1),
                          ("A", 2016, 0.3), ("B", 2015, -0.2)):
        rows += [{"area": area, "level": "preschool", "year": year, "factor": 0.9},
                 {"area": area, "level": "primary", "year": year,
                  "factor": 0.9 * 1.2 * np.exp(d)}]
    out = prior_spread(pd.DataFrame(rows)).set_index("level")
    assert out.loc["primary", "log_sd"] == pytest.approx(np.sqrt(0.045))
    assert out.loc["primary", "n"] == 3 and out.loc["primary", "areas"] == 2
    assert out.loc["primary", "years"] == "2015–2016"
    assert "junior_secondary" not in out.index  # no junior factors: no row


@pytest.mark.slow
def test_qyedu_validate_writes_every_calibration_file_with_provenance(tmp_path, monkeypatch,
                                                                      capsys):
    """The real panel at 40 draws, in a copy of the project: the four calibration files
    the projection reads are written with their provenance header, and the run prints what
    it wrote (the prior spread does not depend on the draws: the committed values)."""
    import shutil
    from pathlib import Path

    from qyedu.cli import main

    repo = Path(__file__).resolve().parent.parent
    shutil.copytree(repo / "params", tmp_path / "params")
    shutil.copytree(repo / "data" / "raw", tmp_path / "data" / "raw")
    monkeypatch.setenv("QYEDU_ROOT", str(tmp_path))
    names = ("flow_drift.csv", "flow_correlation.csv", "prior_spread.csv", "accuracy.csv")
    for n in names:
        (tmp_path / "params" / "calibration" / n).unlink()
    shutil.rmtree(tmp_path / "params" / "calibration" / "frozen")
    assert main(["validate", "--draws", "40", "--quick", "--with-superseded",
                 "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    # the honest-in-time harness ran first: its tables, and the reviewer's check reproduced
    assert "hold-factor primary MAPE on the original panel 2.44, 4.51, 6.34, 7.99, 9.42" in out
    acc = pd.read_csv(tmp_path / "out" / "honest_accuracy.csv")
    assert {"current_honest", "hold_factor", "intake_survival", "damped_trend"} <= set(acc["method"])
    for o in (2015, 2020):
        assert (tmp_path / "params" / "calibration" / "frozen" / f"flow_drift_asof{o}.csv").is_file()
    # --quick does not re-run the calibration-set choice: the band keeps the committed set
    assert "no_municipalities (the committed choice" in out
    band = (tmp_path / "params" / "calibration" / "flow_band.csv").read_text("utf-8")
    assert "provinces (no_municipalities)" in band
    assert "wrote params/calibration/flow_drift.csv, flow_correlation.csv, prior_spread.csv" in out
    assert "spread of a prior (log, an area's ratio vs its parent's): primary 0.169" in out
    for n in names:
        b = (tmp_path / "params" / "calibration" / n).read_bytes()
        assert b.startswith(b"# written by `qyedu validate`") and b"40 draws" in b, n
    assert not list((tmp_path / "params").glob(".calibration-stage-*"))  # committed, removed
    committed = (repo / "params" / "calibration" / "prior_spread.csv").read_text("utf-8")
    written = (tmp_path / "params" / "calibration" / "prior_spread.csv").read_text("utf-8")
    assert [ln for ln in written.splitlines() if not ln.startswith("#")] == \
        [ln for ln in committed.splitlines() if not ln.startswith("#")]


def test_superseded_factor_method_is_back_tested_only_on_request():
    """`qyedu validate` runs the grade flow and the baselines; the pre-flow factor method
    (current_honest, current_committed) only with --with-superseded."""
    from qyedu.validation.methods import registered_methods

    default = {m.name for m in registered_methods()}
    assert "grade_flow" in default and "hold_factor" in default
    assert not {"current_honest", "current_committed"} & default
    assert {"current_honest", "current_committed"} <= {m.name for m in registered_methods(True)}


def test_the_committed_calibration_set_choice_is_read_back(tmp_path, monkeypatch):
    """SYNTHETIC calibration_set.csv files: the chosen row's set, else ``all``."""
    from qyedu.validation.honest import CALSET_FILE, committed_choice

    monkeypatch.setenv("QYEDU_ROOT", str(tmp_path))
    assert committed_choice() == "all"  # no file yet
    f = tmp_path / CALSET_FILE
    f.parent.mkdir(parents=True)
    f.write_text("# synthetic\ncalibration_set,level,chosen\nall,primary,False\n"
                 "no_municipalities,primary,True\n", encoding="utf-8")
    assert committed_choice() == "no_municipalities"
    f.write_text("calibration_set,level,chosen\nall,primary,False\n", encoding="utf-8")
    assert committed_choice() == "all"
