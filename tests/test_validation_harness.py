"""The honest-in-time harness (qyedu.validation.harness), its baselines and metrics, on
SYNTHETIC panels made up here (every number below is invented; none reaches data/raw)."""

import numpy as np
import pandas as pd
import pytest

from qyedu.validation.baselines import (
    BASELINES,
    carry_forward,
    damped_fit,
    damped_path,
    hold_factor,
    intake_survival,
)
from qyedu.validation.harness import (
    INFO_SETS,
    AreaView,
    Method,
    PanelArea,
    backtest,
    history_areas,
)
from qyedu.validation.metrics import accuracy, paired_interval, paired_table

YEARS = np.arange(1990, 2020)
SCHOOL = np.arange(2005, 2020)


def synthetic_area(name, kind="province", f=(1.05, 0.98), growth=0.01, scale=1.0,
                   entry=1.02, survival=0.99) -> PanelArea:
    """SYNTHETIC area: births grow geometrically, enrolment = factor × cohort births (factor
    constant per level), intake = entry ratio × the single-year entry-age cohort, and the
    enrolment of 2005–2019 is what intake survival would give with survival s."""
    births = pd.Series(1e5 * scale * (1 + growth) ** (YEARS - YEARS[0]), index=YEARS)
    v = AreaView(name, kind, 2019, "bureau_like", births, pd.DataFrame(), pd.DataFrame(),
                 pd.DataFrame())
    enr = pd.DataFrame({"primary": f[0] * v.cohort(SCHOOL, "primary"),
                        "junior_secondary": f[1] * v.cohort(SCHOOL, "junior_secondary")},
                       index=SCHOOL)
    intake = pd.DataFrame({"primary": entry * v.cohort(SCHOOL, ages=(6,)),
                           "junior_secondary": entry * v.cohort(SCHOOL, ages=(12,))},
                          index=SCHOOL)
    return PanelArea(name, kind, births, enr, intake, intake.iloc[:0])


def synthetic_panel():
    prov = [synthetic_area(f"P{i}", growth=0.005 * (i + 1), scale=1 + i) for i in range(7)]
    return tuple(prov) + (synthetic_area("China", kind="national", scale=30),)


def test_history_never_holds_the_tested_area_nor_mixes_china_and_provinces():
    panel = synthetic_panel()
    assert history_areas(panel[0], panel) == ("P1", "P2", "P3", "P4", "P5", "P6")
    assert history_areas(panel[-1], panel) == ()
    assert "P3" in history_areas(panel[0], panel)
    with pytest.raises(ValueError):
        history_areas(panel[0], panel, "everything")


def test_a_spy_method_sees_nothing_after_the_origin_and_never_the_tested_area():
    panel = synthetic_panel()
    calls = []

    def spy(area, history, origin, leads, info):
        calls.append(origin)
        assert area.origin == origin and area.info == info
        assert area.last_year() <= origin
        assert area.area not in history.areas
        assert all(v.last_year() <= origin for v in history.views.values())
        assert set(history.views) == set(history.areas)
        assert "China" not in history.areas and (area.kind != "national" or not history.areas)
        s = history.samples
        assert (s["origin"] + s["lead"] <= origin).all()
        assert not s["area"].isin([area.area, "China"]).any()
        assert (history.factors["year"] <= origin).all()
        # not even the private tables hold anything later, nor the tested area's views
        assert (history._factors["year"] <= origin).all() and set(history._views) == set(history.areas)
        assert (history._samples["origin"] + history._samples["lead"] <= origin).all()
        if info == "qingyuan_like":
            assert list(area.enrolment.index) == [origin]
            assert area.intake.empty and area.graduates.empty
        else:
            assert area.intake.index.max() == origin
        return carry_forward(area, history, origin, leads, info)

    rows = backtest([Method("spy", spy)], panel, leads=(1, 2, 3))
    assert len(calls) > 50 and set(rows["info"]) == set(INFO_SETS)
    assert (rows["target_year"] == rows["origin"] + rows["lead"]).all()
    assert rows["target_year"].max() == 2019 and (rows["sample"] == "in").all()


def test_hold_factor_and_intake_survival_reproduce_an_exact_synthetic_flow():
    rows = backtest(BASELINES[:3], synthetic_panel(), leads=(1, 3, 5))
    r = rows[rows["method"].isin(["hold_factor", "intake_survival"]) & rows["p50"].notna()]
    assert len(r) > 100 and set(r["method"]) == {"hold_factor", "intake_survival"}
    np.testing.assert_allclose(r["p50"], r["actual"], rtol=1e-9)
    cf = rows[rows["method"] == "carry_forward"]
    assert (cf["p50"] != cf["actual"]).all()  # births grow: carry-forward is wrong


def test_intake_survival_on_known_numbers():
    # SYNTHETIC: 6 intakes of 100, enrolment 594 (s = 0.99), entry ratio 1.02
    births = pd.Series(100.0, index=np.arange(1990, 2011))
    enr = pd.DataFrame({"primary": [594.0]}, index=[2010])
    intake = pd.DataFrame({"primary": 100.0}, index=np.arange(2005, 2011))
    a = AreaView("X", "province", 2010, "bureau_like", births, enr, intake, intake.iloc[:0])
    fc = intake_survival(a, None, 2010, (1, 2), "bureau_like", levels=("primary",))
    # future intake = mean(100/100) × 100 = 100, so enrolment stays 0.99 × 600
    np.testing.assert_allclose(fc["p50"], [594.0, 594.0])
    hf = hold_factor(a, None, 2010, (1,), "bureau_like", levels=("primary",))
    np.testing.assert_allclose(hf["p50"], [594.0])


def test_damped_trend_follows_its_closed_form():
    y = np.log(1.0 + 0.02 * np.arange(8))  # SYNTHETIC rising factor
    lvl, tr, phi = damped_fit(y)
    assert 0.8 <= phi <= 0.98 and tr > 0
    p = damped_path(lvl, tr, phi, [1, 2, 3])
    np.testing.assert_allclose(p, lvl + tr * np.cumsum(phi ** np.arange(1, 4)))
    assert damped_fit(np.full(6, 0.3))[:2] == pytest.approx((0.3, 0.0))


def test_paired_interval_is_zero_for_identical_methods_and_exact_for_a_constant_gap():
    area = np.repeat(["a", "b", "c", "d", "e"], 4)
    assert paired_interval(area, np.zeros(20)) == (0.0, 0.0, 0.0)
    m, lo, hi = paired_interval(area, np.full(20, -0.5))
    assert m == lo == hi == pytest.approx(-0.5)
    m, lo, hi = paired_interval(area, np.where(area == "a", 5.0, 0.0))
    assert m == pytest.approx(1.0) and lo == 0.0 and hi > 2.0  # one area drives it


def test_accuracy_of_identical_methods_is_inside_noise_with_interval_zero():
    panel = synthetic_panel()
    same = [Method("carry_forward", carry_forward, baseline=True),
            Method("copy", carry_forward)]
    acc = accuracy(backtest(same, panel, leads=(1, 2)))
    c = acc[acc["method"] == "copy"]
    assert len(c) == 8 and (c["best_baseline"] == "carry_forward").all()  # 2 infos × levels × leads
    assert (c[["diff_vs_best_pp", "diff_lo", "diff_hi"]] == 0).all().all()
    assert (c["verdict"] == "inside noise").all()
    # births grow 0.5–3.5 % a year, so carry-forward under-forecasts: a negative bias
    assert (c["bias"] < 0).all() and (c["mape"] > 0).all()


def test_residual_bands_use_only_other_areas_errors_known_at_the_origin():
    rows = backtest([BASELINES[0]], synthetic_panel(), leads=(1,))
    r = rows[rows["info"] == "qingyuan_like"].sort_values(["area", "origin"])
    # the first origins have no error of another area known yet: no band
    first = r[r["origin"] == r["origin"].min()]
    assert first["p05"].isna().all()
    late = r[(r["origin"] == 2015) & (r["kind"] == "province")]
    assert late["p05"].notna().all() and (late["p05"] < late["p95"]).all()
    # every other area's carry-forward under-forecasts growing births: the whole band lies
    # above the point forecast
    assert (late["p05"] > late["p50"]).all()
    assert r[r["kind"] == "national"]["p05"].isna().all()  # China has no history


@pytest.mark.filterwarnings("ignore:Polyfit may be poorly conditioned")  # constant SYNTHETIC gaps
def test_frozen_calibration_uses_only_provinces_samples_known_at_the_origin():
    from qyedu.validation.frozen import frozen_calibration

    cal, _ = frozen_calibration(synthetic_panel(), 2010)
    row = cal[(cal["level"] == "primary") & (cal["lead"] == 1) & (cal["model"] == "own")]
    # SYNTHETIC factors are constant from 2005: lead-1 samples with origin + 1 <= 2010 are
    # origins 2005–2009 of the 7 provinces (China is never used): 35, all with zero drift
    assert int(row["n"].iloc[0]) == 35 and int(row["areas"].iloc[0]) == 7
    assert row["alpha"].iloc[0] == pytest.approx(0.0, abs=1e-12)
    lead5 = cal[(cal["level"] == "primary") & (cal["lead"] == 5) & (cal["model"] == "own")]
    assert int(lead5["n"].iloc[0]) == 7  # only origin 2005 reaches 2010


def test_coverage_has_its_interval_from_resampling_areas():
    """Ten synthetic areas with four banded forecasts each: nine areas always inside, one
    never: coverage 90 % and an area-bootstrap interval around it; with every area inside,
    the interval is the point 100 %."""
    rows = pd.DataFrame([{"area": f"a{i}", "kind": "province", "level": "primary",
                          "origin": 2010 + k, "lead": 1, "target_year": 2011 + k,
                          "info": "qingyuan_like", "method": "m", "actual": 100.0,
                          "p05": 90.0 if i < 9 else 101.0, "p50": 100.0, "p95": 110.0,
                          "sample": "in", "honest": True, "baseline": False}
                         for i in range(10) for k in range(4)])
    a = accuracy(rows).iloc[0]
    assert a["coverage_p05_p95"] == pytest.approx(90.0)
    assert a["coverage_lo"] < 90.0 < a["coverage_hi"] == pytest.approx(100.0)
    assert a["coverage_lo"] == pytest.approx(70.0)  # the one outside area drawn 3 times of 10
    b = accuracy(rows.assign(p05=90.0)).iloc[0]
    assert b["coverage_lo"] == b["coverage_hi"] == pytest.approx(100.0)


def test_paired_table_compares_with_a_baseline_that_ran_on_a_subset_only():
    """SYNTHETIC rows: the method is off by 2 % on 10 areas × 4 origins; baseline ``sub``
    forecast only the first 2 origins (off by 3 %), ``all`` every one (off by 1 %). The
    accuracy table cannot name ``sub`` (half the method's forecasts, under MIN_OVERLAP); the
    paired table compares on the 20 forecasts both made: 2 vs 3, a gain of 1 point."""
    def rows(method, err, origins, baseline):
        return [{"area": f"a{i}", "kind": "province", "level": "primary", "origin": o,
                 "lead": 1, "target_year": o + 1, "info": "bureau_like", "method": method,
                 "actual": 100.0, "p05": np.nan, "p50": 100.0 + err, "p95": np.nan,
                 "sample": "in", "honest": True, "baseline": baseline}
                for i in range(10) for o in origins]
    r = pd.DataFrame(rows("m", 2.0, range(2010, 2014), False)
                     + rows("sub", -3.0, (2010, 2011), True)
                     + rows("all", 1.0, range(2010, 2014), True))
    assert accuracy(r).set_index("method").loc["m", "best_baseline"] == "all"
    p = paired_table(r).set_index("versus")
    assert list(p["method"]) == ["m", "m"]
    assert p.loc["sub", "n"] == 20 and p.loc["all", "n"] == 40
    assert (p.loc["sub", "mape_method"], p.loc["sub", "mape_versus"]) == (2.0, 3.0)
    assert p.loc["sub", ["diff_pp", "diff_lo", "diff_hi"]].tolist() == pytest.approx([-1] * 3)
    assert p.loc["sub", "verdict"] == "gain" and p.loc["all", "verdict"] == "loss"
