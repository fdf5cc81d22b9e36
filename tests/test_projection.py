"""Projection engine: a two-year cohort example checked on paper, calibration to the
published points (exact in every draw), determinism, vintages, counties, scenarios."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from qyedu.observed.points import county_census_shares
from qyedu.params import ForecastParams
from qyedu.projection import LEVELS, run, tables
from qyedu.projection.calibration import factor_path, interpolation_weights
from qyedu.projection.cohorts import cohort_sum

FIXTURES = Path(__file__).parent / "fixtures" / "projection"

# The plan's table 1 (在园幼儿数, 学前三年毛入学率), as published, until the registry exists.
PRESCHOOL = pd.DataFrame({
    "indicator_id": ["preschool_enrolled"] * 2 + ["preschool_gross_enrolment_ratio"] * 2,
    "year": [2015, 2020, 2015, 2020],
    "value": [156763.0, 171158.0, 96.71, 101.28],
})
OBSERVED_2022 = {"primary": 422369, "junior_secondary": 179987, "senior_general": 76891,
                 "senior_vocational": 36965}


def test_fixture_holds_the_published_plan_values():
    f = pd.read_csv(FIXTURES / "preschool_plan_points.csv")
    pd.testing.assert_frame_equal(f[["indicator_id", "year", "value"]], PRESCHOOL)


def _run(**kw):
    fp = ForecastParams(**{"draws": 200, **kw})
    return run(fp, preschool=PRESCHOOL)


@pytest.fixture(scope="module")
def res():
    return _run()


def test_two_year_cohort_example_on_paper():
    # births: 2018 → 100, 2019 → 90, 2020 → 80. A level of ages 0–1:
    births = np.array([[100.0, 90.0, 80.0]])
    s = cohort_sum(births, 2018, [2019, 2020], (0, 1))
    assert s.tolist() == [[190.0, 170.0]]  # 2019: 90 + 100; 2020: 80 + 90
    # observed 380 pupils in 2019 → factor 2, held → 2020 projection 2 × 170 = 340
    f = factor_path([2019], np.array([[380.0 / 190.0]]), [2019, 2020])
    assert (f * s).tolist() == [[380.0, 340.0]]
    # age shape (1, 0.5): 2019 = 90 × 1 + 100 × 0.5
    assert cohort_sum(births, 2018, [2019], (0, 1), [1.0, 0.5]).tolist() == [[140.0]]


def test_interpolation_between_anchors_and_held_outside():
    w = interpolation_weights([2015, 2020], [2014, 2015, 2017, 2020, 2025])
    assert (w @ np.array([1.0, 2.0])).tolist() == pytest.approx([1, 1, 1.4, 2, 2])


def test_calibration_reproduces_2022_enrolment_in_every_draw(res):
    city = res.city("enrolled")
    i = list(res.years).index(2022)
    for level, value in OBSERVED_2022.items():
        np.testing.assert_allclose(city[:, i, LEVELS.index(level)], value, rtol=1e-12)


def test_calibration_reproduces_plan_preschool_2015_and_2020(res):
    i = list(res.years).index(2020)
    np.testing.assert_allclose(res.city("enrolled")[:, i, 0], 171158, rtol=1e-12)
    np.testing.assert_allclose(res.city("population_age_group")[:, i, 0], 171158 / 1.0128,
                               rtol=1e-12)
    obs = res.observed.set_index(["year", "level", "quantity"])
    row = obs.loc[(2015, "preschool", "enrolled")]
    assert row["value"] == 156763 and row["model_max_abs_error"] < 1e-6
    assert obs.loc[(2015, "preschool", "population_age_group"), "value"] == pytest.approx(
        156763 / 0.9671)


def test_same_seed_identical_other_seed_different():
    a, b, c = _run(seed=7), _run(seed=7), _run(seed=8)
    assert np.array_equal(a.enrolled, b.enrolled) and np.array_equal(a.births, b.births)
    assert not np.array_equal(a.enrolled, c.enrolled)


def test_vintage_2020_uses_no_later_data_and_falls_back_to_priors():
    r = _run(base_year=2020)
    assert r.observed["year"].max() == 2020
    how = r.observed.set_index("level")["how"]
    assert how["primary"].startswith("prior: Guangdong 2018 primary")
    assert how["senior_vocational"].startswith("prior: population factor")
    kind = dict(zip(r.births_years, r.births_kind, strict=True))
    assert kind[2019] == "observed" and kind[2021] == "projected"
    # 2022 primary is now a forecast, not the observed 422,369
    i = list(r.years).index(2022)
    assert abs(np.median(r.city()[:, i, 1]) - 422369) > 1000


def test_counties_sum_to_city_by_census_shares(res):
    np.testing.assert_allclose(res.enrolled.sum(axis=3), res.city("enrolled"))
    shares = res.enrolled[0, 0, 1] / res.enrolled[0, 0, 1].sum()
    np.testing.assert_allclose(shares, county_census_shares().to_numpy())
    assert len(res.counties) == 8


def test_single_method_has_no_spread_in_observed_years():
    from qyedu.params import RunParams

    def rp(method, doubt):
        return RunParams.model_validate({"forecast": {"draws": 200, "births_method": method},
                                         "projection": {"births_anchor_doubt": doubt}})

    r = run(rp("share_of_guangdong", 0.0), preschool=PRESCHOOL)
    i = list(r.births_years).index(2017)
    assert np.ptp(r.births[:, i]) == 0
    m = run(rp("mixed", 0.0), preschool=PRESCHOOL)
    assert np.ptp(m.births[:, i]) > 1000
    # anchor doubt: the 2019 count (6.0万, unstated basis) moves towards the resident-rate
    # product 14.67‰ × 388.6万 = 57,008 by u ~ U(0, 1) in each draw
    d = run(rp("share_of_guangdong", 1.0), preschool=PRESCHOOL)
    j = list(d.births_years).index(2019)
    assert d.births[:, j].max() <= 60000 + 1e-6 and d.births[:, j].min() >= 57007.62 - 1e-6
    assert np.ptp(d.births[:, j]) > 2500


def test_scenarios_are_ordered_and_medium_peaks_as_expected():
    p50 = {s: np.median(_run(scenario=s).city()[:, -1, 0]) for s in ("low", "medium", "high")}
    assert p50["low"] < p50["medium"] < p50["high"]
    r = _run(scenario="medium")
    med = np.median(r.city(), axis=0)
    peak_primary = r.years[np.argmax(med[:, 1])]
    peak_junior = r.years[np.argmax(med[:, 2])]
    assert 2023 <= peak_primary <= 2027 and peak_junior > peak_primary


def test_summary_is_tidy_with_ordered_quantiles(res):
    s = res.summary()
    assert {"全市", "英德市"} <= set(s["county"])
    assert set(s["quantity"]) == {"enrolled", "population_age_group", "births"}
    assert (s["p05"] <= s["p50"] + 1e-9).all() and (s["p50"] <= s["p95"] + 1e-9).all()


def test_tables_contract():
    from qyedu.projection.outturn_backtest import real_backtest

    fp = ForecastParams(draws=200)
    t = tables(run(fp, preschool=PRESCHOOL))
    assert set(t) == {"enrollment_forecast.csv", "births_reconstruction.csv",
                      "enrolment_by_grade.csv"}
    rec = t["births_reconstruction.csv"].set_index(["year", "method"])
    assert rec.loc[(2018, "mixed"), "p50"] == pytest.approx(66800)
    assert rec.loc[(2018, "mixed"), "kind"] == "observed"
    bt = real_backtest(fp, PRESCHOOL, draws=100)
    assert set(bt["series"]) >= {"guangdong_births", "qingyuan_primary"}


def test_a_prior_set_factor_carries_the_spread_of_provinces_around_china(tmp_path, monkeypatch):
    """As of 2020 primary has no Qingyuan observation: its factor is Guangdong's ratio times
    a log-normal draw with the spread in params/calibration/prior_spread.csv (provinces vs
    China). With the spread set to 0 the prior is exact; the multipliers are drawn from a
    generator of their own, so the rest of the run (births, …) draws the same numbers."""
    import qyedu.projection.montecarlo as mc
    from qyedu import params

    rp = params.load(None, draws=400, base_year=2020)
    spread = mc.prior_spread(rp.projection.prior_spread_file)
    assert 0.1 < spread["primary"] < 0.3 and 0.1 < spread["junior_secondary"] < 0.3
    with_spread = run(rp)
    monkeypatch.setattr(mc, "prior_spread", lambda path=None: {})
    exact = run(rp)
    i, k = list(exact.years).index(2020), LEVELS.index("primary")
    f_spread = with_spread.city()[:, i, k] / exact.city()[:, i, k]  # the multipliers
    assert np.std(np.log(f_spread)) == pytest.approx(spread["primary"], rel=0.12)
    np.testing.assert_array_equal(with_spread.births, exact.births)


def test_bad_prior_spread_file_names_file_and_line(tmp_path, monkeypatch):
    from qyedu.errors import InputError
    from qyedu.projection.priors import prior_spread

    monkeypatch.setenv("QYEDU_ROOT", str(tmp_path))
    f = tmp_path / "spread.csv"
    f.write_text("# header\nlevel,log_sd\nprimary,0.17\njunior_secondary,-1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"spread.csv, line 4.*log_sd must be a number ≥ 0"):
        prior_spread("spread.csv")
    with pytest.raises(InputError, match="prior spread file not found"):
        prior_spread("missing.csv")
