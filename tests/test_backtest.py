"""Rolling-origin back-test machinery, proven on SYNTHETIC data generated from known
parameters (every series below is made up), then the real-data table's shape."""

import numpy as np
import pytest

from qyedu.projection import (
    carry_forward,
    constant_growth,
    linear_trend,
    mape_by_horizon,
    rolling_origin,
)
from qyedu.projection.calibration import anchor_factors, factor_path
from qyedu.projection.cohorts import cohort_sum
from qyedu.projection.outturn_backtest import guangdong_births_backtest

YEARS = np.arange(2000, 2021)


def test_synthetic_geometric_series_recovered_by_the_true_path():
    # SYNTHETIC: births fall 4 % a year from 1000.
    values = 1000 * 0.96 ** (YEARS - 2000)
    df = rolling_origin(YEARS, values, {"true": constant_growth([-0.04]),
                                        "carry_forward": carry_forward},
                        origins=range(2005, 2016), max_horizon=5, series="synthetic")
    m = mape_by_horizon(df).set_index(["method", "horizon"])["mape"]
    assert m[("true", 1)] == pytest.approx(0, abs=1e-9) and m[("true", 5)] == pytest.approx(0, abs=1e-9)
    for h in range(1, 6):  # carry-forward error is exactly 1/0.96^h − 1
        assert m[("carry_forward", h)] == pytest.approx((0.96 ** -h - 1) * 100)
    assert (df.groupby("method")["horizon"].max() == 5).all()


def test_synthetic_linear_series_recovered_by_the_trend_baseline():
    values = 500 + 20 * (YEARS - 2000)  # SYNTHETIC
    df = rolling_origin(YEARS, values, {"trend": linear_trend}, range(2003, 2019), 3)
    assert df["ape"].max() == pytest.approx(0, abs=1e-9)
    assert np.isnan(linear_trend([2000], [1.0], [2001])).all()  # needs two points


def test_only_history_up_to_the_origin_is_seen():
    seen = {}

    def spy(hy, hv, ty):
        seen[int(hy[-1])] = (hy.max(), ty.min())
        return np.zeros(len(ty))

    rolling_origin(YEARS, np.ones(len(YEARS)), {"spy": spy}, [2010], 2)
    assert seen == {2010: (2010, 2011)}


def test_synthetic_cohort_calibration_recovers_the_participation_factor():
    # SYNTHETIC: births 100, 90, 80, … from 2000; true factor 1.25 for a level of ages 1–2.
    births = (100 - 10 * np.arange(8.0))[None, :]
    truth = 1.25 * cohort_sum(births, 2000, [2004, 2005, 2006], (1, 2))
    f = anchor_factors(__import__("pandas").Series({2004: truth[0, 0]}),
                       cohort_sum(births, 2000, [2004], (1, 2)))
    assert f[0, 0] == pytest.approx(1.25)
    projected = factor_path([2004], f, [2005, 2006]) * cohort_sum(births, 2000, [2005, 2006], (1, 2))
    np.testing.assert_allclose(projected, truth[:, 1:])


def test_real_guangdong_births_backtest_table():
    df = guangdong_births_backtest()
    assert {"carry_forward", "linear_trend", "path_medium"} <= set(df["method"])
    assert df["horizon"].between(1, 5).all() and (df["ape"] >= 0).all()
    row = df[(df["origin"] == 2022) & (df["horizon"] == 1) & (df["method"] == "carry_forward")]
    assert row["forecast"].iloc[0] == 1052000 and row["actual"].iloc[0] == 1030000


def test_qingyuan_check_runs_with_the_frozen_panel_calibration():
    """The as-of-2015/2020 runs read a calibration fitted on the panel's samples known at
    the origin (written by `qyedu validate`), never one chosen after Qingyuan's outturns."""
    import pandas as pd

    from qyedu import paths
    from qyedu.projection.outturn_backtest import ORIGINS_QY, frozen_files

    for o in ORIGINS_QY:
        files = frozen_files(o)
        assert set(files) == {"calibration_file", "prior_spread_file", "band_file"}
        for rel in files.values():
            p = paths.root() / rel
            text = p.read_text("utf-8")
            assert f"as-of-{o} check" in text and "no Qingyuan outturn read" in text
        cal = pd.read_csv(paths.root() / files["calibration_file"], comment="#")
        assert {"primary", "junior_secondary"} <= set(cal["level"])
        band = pd.read_csv(paths.root() / files["band_file"], comment="#")
        # senior residuals exist from outturn 2016 on (first senior origin 2015): as of 2015
        # senior has no rows and the header says its band is the prior only
        senior = {"senior_general", "senior_vocational"}
        assert set(band["level"]) == {"primary", "junior_secondary"} | (senior if o > 2015
                                                                          else set())
        band_text = (paths.root() / files["band_file"]).read_text("utf-8")
        assert ("# senior_general: no rows" in band_text) == (o == 2015)
        assert (band["resid_q05"] < 0).all() and (band["resid_q95"] > 0).all()
    # the 2015 band rests on fewer residuals (outturns <= 2015) than the 2020 one (<= 2019)
    n15, n20 = (pd.read_csv(paths.root() / frozen_files(o)["band_file"], comment="#")["n"].sum()
                for o in (2015, 2020))
    assert 0 < n15 < n20
    # as of 2015 the panel has no senior drift sample (cohorts need births from 1997 on)
    cal15 = pd.read_csv(paths.root() / frozen_files(2015)["calibration_file"], comment="#")
    assert "senior_general" not in set(cal15["level"])
