"""The post-base-year drift of the calibrated factors: none up to the base year, none when
switched off, a spread growing with the horizon otherwise; seeded."""

import numpy as np

from qyedu.projection.montecarlo import factor_drift


def test_no_drift_up_to_base_year_and_when_switched_off():
    years = np.arange(2020, 2036)
    d = factor_drift(years, 2022, 50, 5, 0.01, np.random.default_rng(1))
    assert d.shape == (50, 16, 5)
    assert np.all(d[:, years <= 2022, :] == 1.0)
    off = factor_drift(years, 2022, 50, 5, 0.0, np.random.default_rng(1))
    assert np.all(off == 1.0)


def test_spread_grows_like_a_random_walk_and_is_seeded():
    years = np.arange(2020, 2036)
    d = factor_drift(years, 2022, 20000, 1, 0.01, np.random.default_rng(7))
    log_sd = np.log(d[:, :, 0]).std(axis=0)
    # a random walk with sd 0.01 per year: sd after k years = 0.01 * sqrt(k)
    assert abs(log_sd[years == 2023][0] - 0.01) < 0.0005
    assert abs(log_sd[years == 2035][0] - 0.01 * np.sqrt(13)) < 0.001
    again = factor_drift(years, 2022, 20000, 1, 0.01, np.random.default_rng(7))
    assert np.array_equal(d, again)
