"""Births reconstruction: hand-checkable examples of each method, the published points
reproduced exactly, the Guangdong gap rules, and the future-paths file."""

import numpy as np
import pandas as pd
import pytest

from qyedu.births import (
    births_draws,
    future_births,
    guangdong_births,
    load_paths,
    rate_ratio,
    reconstruct,
    share_of_guangdong,
)
from qyedu.births.interpolate import fill
from qyedu.errors import QyeduError


def test_fill_interpolates_and_holds_with_labels():
    v, kind = fill([2000, 2001, 2002, 2003], pd.Series({2001: 10.0, 2003: 40.0}), log=True)
    assert v == pytest.approx([10, 10, 20, 40])
    assert list(kind) == ["extrapolated", "observed", "interpolated", "observed"]


def test_share_method_two_year_example():
    # Guangdong 1000 then 1100 births; Qingyuan counted 50 in the first year only:
    # share 5 % held → second year 0.05 × 1100 = 55.
    out = share_of_guangdong([2018, 2019], [1000, 1100], pd.Series({2018: 50.0}))
    assert out == pytest.approx([50, 55])


def test_rate_ratio_method_two_year_example():
    # GD rate 10‰ then 8‰; Qingyuan rate 12‰ in year 1 → ratio 1.2 held; population 1000 then
    # 2000 → rate-based births 12 and 19.2; count 24 in year 1 → k = 2 held → 24 and 38.4.
    out = rate_ratio([2018, 2019], [10, 8], pd.Series({2018: 12.0}), [1000, 2000],
                     pd.Series({2018: 24.0}))
    assert out == pytest.approx([24, 38.4])


def test_guangdong_gap_rules():
    g = guangdong_births(np.arange(2003, 2023)).set_index("year")
    # population.csv counts first, then the validation file's published counts
    assert g.loc[2016, "value"] == 1294500 and g.loc[2016, "rule"] == "published count"
    assert g.loc[2017, "value"] == 1516300 and g.loc[2017, "kind"] == "observed"
    assert g.loc[2008, "value"] == 1153600 and "validation" in g.loc[2008, "rule"]
    assert g.loc[2003, "value"] == 1216100
    # the validation counts agree with the published 2011-15 total (580.88万)
    assert g.loc[2011:2015, "value"].sum() == pytest.approx(5808800)
    # 2020 is missing everywhere: log-linear between 2019 and 2021
    assert g.loc[2020, "value"] == pytest.approx(np.sqrt(1433800 * 1183100))
    assert g.loc[2020, "kind"] == "interpolated"


def test_guangdong_validation_counts_respect_the_vintage():
    g = guangdong_births(np.arange(2003, 2016), base_year=2015).set_index("year")
    assert g.loc[2015, "value"] == 1199500
    from qyedu.births.guangdong import validation_counts

    assert validation_counts(2015).index.max() == 2015


@pytest.mark.parametrize("method", ["share_of_guangdong", "rate_ratio"])
def test_published_qingyuan_counts_reproduced_exactly(method):
    rec = reconstruct(2022)
    b = pd.Series(rec.method(method), index=rec.years)
    assert b[2007] == pytest.approx(56000, abs=1e-6)
    assert b[2018] == pytest.approx(66800, abs=1e-6)
    assert b[2019] == pytest.approx(60000, abs=1e-6)
    kinds = dict(zip(rec.years, rec.kind, strict=True))
    assert kinds[2018] == "observed" and kinds[2012] == "interpolated"
    assert kinds[2021] == "extrapolated" and kinds[2004] == "extrapolated"


def test_share_method_uses_published_shares_after_2019():
    rec = reconstruct(2022)
    share_2019 = 60000 / 1433800
    assert share_2019 == pytest.approx(0.0418, abs=5e-5)
    assert rec.share_of_guangdong[-1] == pytest.approx(share_2019 * 1052000)


def test_mixed_draws_stay_exact_at_anchors_and_spread_between():
    rec = reconstruct(2022)
    d = births_draws(rec, "mixed", np.array([0.0, 0.5, 1.0]))
    i = list(rec.years).index(2018)
    assert d[:, i] == pytest.approx([66800] * 3)
    assert d[0] == pytest.approx(rec.rate_ratio) and d[2] == pytest.approx(rec.share_of_guangdong)


def test_vintage_2015_uses_only_the_2007_count():
    rec = reconstruct(2015)
    assert rec.years[-1] == 2015 and list(rec.anchors.index) == [2007]
    assert "observed" not in set(rec.kind[rec.years > 2007])


def test_paths_file_validates_and_names_the_path():
    bp = load_paths()
    assert set(bp.paths) == {"low", "medium", "high"}
    assert all(p.source.startswith("assumption: ") for p in bp.paths.values())
    with pytest.raises(QyeduError, match="'extreme' .*forecast.scenario"):
        bp.get("extreme")


def test_bad_paths_file_names_the_key(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("uncertainty: {annual_change_sd: 0.01, source: 'assumption: x'}\n"
                 "paths:\n  low: {description: d, source: 'assumption: y', annual_change: [0],"
                 " colour: red}\n")
    with pytest.raises(QyeduError, match=r"paths\.low\.colour"):
        load_paths(f)


def test_future_births_compound_the_path():
    bp = load_paths()
    rng = np.random.default_rng(0)
    out = future_births(np.array([100.0]), 5, bp.get("medium"), 0.0, rng)
    assert out[0] == pytest.approx(100 * np.cumprod([0.97, 0.97, 0.97, 0.99, 0.99]))


def test_reconstruction_table_has_the_run_draws_with_anchor_doubt():
    from qyedu.params import RunParams
    from qyedu.projection import run

    pre = pd.DataFrame({"indicator_id": ["preschool_enrolled"] * 2
                        + ["preschool_gross_enrolment_ratio"] * 2,
                        "year": [2015, 2020, 2015, 2020], "value": [156763.0, 171158.0, 96.71, 101.28]})
    rp = RunParams.model_validate({"forecast": {"draws": 400,
                                                "births_method": "share_of_guangdong"}})
    rec = run(rp, preschool=pre).reconstruction.set_index(["year", "method"])
    # 2019: 60,000 published, 14.67‰ × 388.6万 = 57,008 on the resident basis; u ~ U(0, 1)
    mc = rec.loc[(2019, "monte_carlo")]
    assert 57007 < mc["p05"] < 57400 and 59600 < mc["p95"] < 60000
    assert mc["p50"] == pytest.approx((57007.62 + 60000) / 2, rel=0.01)
    # the 2007 count (registered basis, stated) carries no doubt
    assert rec.loc[(2007, "monte_carlo"), "p05"] == pytest.approx(56000)
    assert rec.loc[(2019, "share_of_guangdong"), "p50"] == pytest.approx(60000)
