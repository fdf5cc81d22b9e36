"""The grade flow's calibrated band (projection.conformal_band, validation.flow_band) on hand
values. Synthetic residuals and draws, written here; nothing reaches data/raw or a report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qyedu.projection.conformal_band import (
    Z95,
    band_multiplier,
    banded_quantiles,
    target_sides,
    top_up,
)
from qyedu.validation.flow_band import band_known_at, fit_band


def _table(q05=-0.10, q95=0.06, leads=(1, 2)):
    return pd.DataFrame({"level": "primary", "lead": list(leads), "resid_q05": q05,
                         "resid_q50": 0.0, "resid_q95": q95})


def test_top_up_on_hand_values():
    # own half-width 0.06, target 0.10: added sd √(0.01 − 0.0036)/1.645 = 0.08/1.645
    assert top_up(0.06, 0.10) == pytest.approx(0.08 / Z95)
    assert top_up(0.12, 0.10) == 0.0  # already wide enough: nothing added
    assert top_up(0.0, 0.10) == pytest.approx(0.10 / Z95)


def test_target_sides_zero_at_origin_and_held_beyond_table():
    lo, up = target_sides(_table(leads=(1, 2)).assign(resid_q05=[-0.1, -0.2]), "primary",
                          [0, 1, 2, 5])
    assert lo.tolist() == pytest.approx([0.0, 0.1, 0.2, 0.2])
    assert up.tolist() == pytest.approx([0.0, 0.06, 0.06, 0.06])
    lo, up = target_sides(_table(), "junior_secondary", [1, 2])  # no rows: no band
    assert lo.tolist() == [0.0, 0.0] and up.tolist() == [0.0, 0.0]


def test_band_multiplier_reaches_the_target_quantiles():
    """Draws with a log-normal own spread of half-width 0.05 get the table's p05/p95
    (−0.10, +0.06 in logs): the multiplier's quantiles match the closed form."""
    rng = np.random.default_rng(0)
    n = 200_000
    d = 1000 * np.exp(0.05 / Z95 * rng.standard_normal((n, 1))) * np.ones((1, 3))
    z = rng.standard_normal(n)
    out = d * band_multiplier(d, np.array([0, 1, 2]), _table(), "primary", z)
    q = np.log(np.quantile(out, [0.05, 0.5, 0.95], axis=0) / 1000)
    assert q[:, 0] == pytest.approx([-0.05, 0.0, 0.05], abs=0.002)  # lead 0: untouched
    for k in (1, 2):
        assert q[1, k] == pytest.approx(q[1, 0], abs=1e-7)  # the median is kept
        # the asymmetric top-up (0.087 below, 0.033 above) then mapped onto the band: the
        # tails are the table's exactly (re-centring alone gave −0.0915 and +0.0685 here)
        assert q[0, k] - q[1, k] == pytest.approx(-0.10, abs=1e-6)
        assert q[2, k] - q[1, k] == pytest.approx(0.06, abs=1e-6)
    lo, mid, hi = banded_quantiles([1000 * np.exp(-0.05)], [1000], [1000 * np.exp(0.05)], [1],
                                   _table(), "primary")
    assert np.log(lo[0] / 1000) == pytest.approx(-0.10)
    assert np.log(hi[0] / 1000) == pytest.approx(0.06)


def test_one_normal_per_draw_keeps_paths_coherent():
    d = np.full((4, 3), 100.0)
    z = np.array([-1.0, -0.5, 0.5, 1.0])
    m = band_multiplier(d, np.array([1, 1, 1]), _table(leads=(1,)), "primary", z)
    assert np.allclose(m, m[:, :1])  # same multiplier in every year of a draw's path
    assert (np.diff(m[:, 0]) > 0).all()  # the draws' order is the normals' order


def test_fit_band_on_residuals_with_known_quantiles():
    """21 areas whose residuals at every lead h are h·{−0.10, −0.09, …, +0.10}: the per-lead
    5th/95th percentiles are ±0.09·h (spread k = 1) and the pooled conformal quantile
    (level 0.95·(1 + 1/n) > 0.99 with few samples) sits at the extreme, ±0.10·h."""
    vals = np.linspace(-0.10, 0.10, 21)
    rows = [{"area": f"a{i}", "level": "primary", "origin": 2000, "lead": h, "r": v * h}
            for h in (1, 2, 3) for i, v in enumerate(vals)]
    t = fit_band(pd.DataFrame(rows), max_lead=4)
    t = t.set_index("lead")
    assert t["resid_q50"].tolist() == pytest.approx([0.0] * 4, abs=1e-12)
    for h in (1, 2, 3, 4):
        assert t.loc[h, "resid_q95"] == pytest.approx(0.10 * h, rel=0.02)
        assert t.loc[h, "resid_q05"] == pytest.approx(-0.10 * h, rel=0.02)
    assert t.loc[4, "spread"] == "extrapolated" and t.loc[1, "areas"] == 21


def test_band_known_at_uses_only_outturns_known_then_and_history_areas():
    rows = [{"area": f"a{i}", "kind": "province", "info": "qingyuan_like",
             "level": "primary", "origin": 2010 - h, "lead": h, "target_year": 2010 + y,
             "r": 0.01 * i} for i in range(8) for h in (1, 2, 3) for y in (0, 5)]
    resid = pd.DataFrame(rows)
    known = band_known_at(resid, [f"a{i}" for i in range(6)], 2010, "qingyuan_like")
    assert known["n"].max() == 6  # one residual per area and lead: 2015's not yet known
    assert band_known_at(resid, ["a0", "a1"], 2010, "qingyuan_like").empty  # too few areas


def test_band_normals_carry_the_residual_correlation():
    from qyedu.projection.conformal_band import band_normals, band_rho

    z = band_normals(1, 100_000, 2, 0.5)
    assert np.corrcoef(z.T)[0, 1] == pytest.approx(0.5, abs=0.01)
    assert z.std(axis=0) == pytest.approx([1.0, 1.0], abs=0.01)
    assert band_rho(_table().assign(rho=0.4)) == 0.4 and band_rho(_table()) == 0.0


def test_pair_correlation_of_primary_and_junior_residuals():
    from qyedu.validation.flow_band import pair_correlation

    rng = np.random.default_rng(3)
    a = rng.standard_normal(400)
    b = 0.6 * a + 0.8 * rng.standard_normal(400)  # correlation 0.6 by construction
    keys = {"area": [f"a{i % 20}" for i in range(400)], "origin": np.arange(400), "lead": 1}
    resid = pd.concat([pd.DataFrame(keys | {"level": "primary", "r": a}),
                       pd.DataFrame(keys | {"level": "junior_secondary", "r": b})])
    assert pair_correlation(resid) == pytest.approx(0.6, abs=0.08)


def _resid(widths: dict, n_areas: int = 20) -> pd.DataFrame:
    """Synthetic residuals: at lead h, area i has h-width × (−1 … +1 evenly, n_areas)."""
    vals = np.linspace(-1.0, 1.0, n_areas)
    return pd.DataFrame([{"area": f"a{i}", "level": "primary", "origin": 2000, "lead": h,
                          "r": w * v} for h, w in widths.items() for i, v in enumerate(vals)])


def test_conformal_upper_is_the_finite_sample_order_statistic():
    from qyedu.validation.spread import conformal_level, conformal_upper

    v = np.arange(1.0, 40.0)  # n = 39: the ⌈(39 + 1)·0.95⌉ = 38th smallest
    w = np.ones(39)
    assert conformal_upper(v, w, conformal_level(w)) == 38.0
    assert conformal_upper(v[:19], w[:19], conformal_level(w[:19])) == 19.0  # n = 19: max


def test_fit_band_keeps_each_leads_own_conformal_quantile():
    """Tails ±0.10 at leads 1 and 2 and ±0.30 at lead 3 are no power of the lead: the
    pooled c·h^k curve put lead 2 inside its residuals; per lead (20 areas, n ≥ 19) the band
    is the lead's own extreme residual."""
    t = fit_band(_resid({1: 0.10, 2: 0.10, 3: 0.30}), max_lead=4).set_index("lead")
    assert t.loc[2, "resid_q95"] == pytest.approx(0.10)
    assert t.loc[2, "resid_q05"] == pytest.approx(-0.10)
    assert t.loc[3, "resid_q95"] == pytest.approx(0.30)
    assert t.loc[2, "spread"] == "per_lead" and t.loc[4, "spread"] == "extrapolated"


def test_fit_band_extends_too_few_leads_linearly():
    """Two calibrated leads (too few for the curve): lead h > 2 takes lead 2's half-widths
    × h/2 (the old rule held lead 2's width at every later lead)."""
    t = fit_band(_resid({1: 0.05, 2: 0.10}), max_lead=5).set_index("lead")
    assert t.loc[4, "resid_q95"] == pytest.approx(0.20)
    assert t.loc[5, "resid_q05"] == pytest.approx(-0.25)
    assert t.loc[5, "spread"] == "linear"


def test_fit_band_half_widths_never_shrink_with_the_lead():
    t = fit_band(_resid({1: 0.10, 2: 0.06, 3: 0.12}), max_lead=3).set_index("lead")
    assert t.loc[2, "resid_q95"] == pytest.approx(0.10)  # raised to lead 1's
    assert t.loc[2, "resid_q05"] == pytest.approx(-0.10)
    assert t.loc[3, "resid_q95"] == pytest.approx(0.12)


def test_published_run_bands_every_level_its_table_calibrates(tmp_path):
    """montecarlo.banded_stages reads the band table the back-test writes: a level with rows
    (here a synthetic senior_general row) is banded, a level without keeps its draws."""
    from qyedu.params import ProjectionParams, RunParams
    from qyedu.projection import gradeflow
    from qyedu.projection.montecarlo import banded_levels, banded_stages
    from qyedu.projection.result import LEVELS

    table = _table(leads=(1, 2)).assign(level="senior_general", rho=0.0)
    assert banded_levels(table) == ["senior_general"]
    assert banded_levels(pd.concat([table, _table()])) == ["primary", "senior_general"]
    path = tmp_path / "band.csv"
    table.to_csv(path, index=False)
    rp = RunParams(projection=ProjectionParams(band_file=str(path)))
    rng = np.random.default_rng(1)
    stages = 100 * np.exp(0.01 * rng.standard_normal((2000, 3, len(gradeflow.CHAIN))))
    last = np.array([2022] * len(LEVELS))
    out = banded_stages(stages, np.array([2022, 2023, 2024]), last, rp)
    sen = [g for g, st in enumerate(gradeflow.CHAIN) if st.level == "senior_general"]
    pri = [g for g, st in enumerate(gradeflow.CHAIN) if st.level == "primary"]
    assert np.array_equal(out[:, :, pri], stages[:, :, pri])
    tot = np.log(out[:, :, sen].sum(axis=2))
    q = np.quantile(tot, [0.05, 0.5, 0.95], axis=0)
    assert q[0, 0] == pytest.approx(np.log(300), abs=0.01)  # the origin year: untouched
    assert q[0, 1] - q[1, 1] == pytest.approx(-0.10, abs=1e-6)  # lead 1: the table's
    assert q[2, 2] - q[1, 2] == pytest.approx(0.06, abs=1e-6)


def test_band_file_names_the_levels_left_with_the_prior_only():
    from qyedu.validation.flow_band import prior_only_note

    note = prior_only_note(_table())
    assert "# preschool: no rows - its band is the ratio-drift prior only" in note
    assert "# senior_general: no rows" in note and "primary" not in note
    assert "senior" not in prior_only_note(pd.concat(
        [_table().assign(level=lv) for lv in ("senior_general", "senior_vocational")]))


def test_senior_levels_are_back_tested_by_the_same_flow():
    """One province, one origin, Qingyuan-like: the senior flow forecasts both senior
    levels (the panel's births reach back to 1997, so origin 2016 has every grade's
    cohort), a band only where the honest ratio drift exists."""
    from qyedu.validation.harness import backtest, load_harness_panel
    from qyedu.validation.senior_band import SENIOR_FLOW, SENIOR_LEVELS

    r = backtest(SENIOR_FLOW, load_harness_panel("scaled"), levels=SENIOR_LEVELS,
                 infos=("qingyuan_like",), areas=["湖南省"], origin_years=[2016],
                 leads=(1, 2, 3))
    assert sorted(r["level"].unique()) == list(SENIOR_LEVELS)
    assert r["p50"].notna().all() and (r["lead"] <= 3).all()
    err = (r["p50"] / r["actual"] - 1).abs()
    assert (err < 0.3).all()  # the flow, not noise: within 30 % of the outturns
