"""The drift of the calibrated factors after each level's last observation: none before,
none when switched off, a spread growing like a random walk otherwise; seeded."""

import numpy as np

from qyedu.projection.montecarlo import factor_drift, last_observed_years, observed_inputs
from qyedu.projection.result import LEVELS


def test_no_drift_up_to_the_last_observation_and_when_switched_off():
    years = np.arange(2020, 2036)
    last = np.array([2020, 2022, 2022, 2022, 2022])
    d = factor_drift(years, last, 50, 0.01, np.random.default_rng(1))
    assert d.shape == (50, 16, 5)
    assert np.all(d[:, years <= 2022, 1:] == 1.0)
    assert np.all(d[:, years <= 2020, 0] == 1.0) and np.all(d[:, years == 2021, 0] != 1.0)
    off = factor_drift(years, last, 50, 0.0, np.random.default_rng(1))
    assert np.all(off == 1.0)


def test_spread_grows_like_a_random_walk_and_is_seeded():
    years = np.arange(2020, 2036)
    d = factor_drift(years, np.array([2022]), 20000, 0.01, np.random.default_rng(7))
    log_sd = np.log(d[:, :, 0]).std(axis=0)
    # a random walk with sd 0.01 per year: sd after k years = 0.01 * sqrt(k)
    assert abs(log_sd[years == 2023][0] - 0.01) < 0.0005
    assert abs(log_sd[years == 2035][0] - 0.01 * np.sqrt(13)) < 0.001
    again = factor_drift(years, np.array([2022]), 20000, 0.01, np.random.default_rng(7))
    assert np.array_equal(d, again)


def test_last_observed_years_from_the_published_points():
    # plan: preschool 2015/2020; enrollment.csv: the other levels in 2022-23
    got = dict(zip(LEVELS, last_observed_years(observed_inputs(2024), 2024), strict=True))
    assert got == {"preschool": 2020, "primary": 2022, "junior_secondary": 2022,
                   "senior_general": 2022, "senior_vocational": 2022}
    # as of 2020 no 2022-23 enrolment exists: those levels drift from the base year
    early = dict(zip(LEVELS, last_observed_years(observed_inputs(2020), 2020), strict=True))
    assert early["preschool"] == 2020 and early["primary"] == 2020
