"""The adaptive miss levels of the grade flow's band (validation.adaptive_band) on hand
values. Synthetic residuals and forecasts, written here; nothing reaches data/raw or a
report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qyedu.validation.adaptive_band import (
    GAMMA,
    AdaptiveBands,
    alpha_levels,
    misses,
)
from qyedu.validation.flow_band import band_known_at, fit_band, residuals


def _steps(rates: dict, n: int = 10, lead: int = 1) -> pd.DataFrame:
    """Steps with the given share of misses per outturn year (n areas each)."""
    rows = []
    for y, rate in rates.items():
        k = round(rate * n)
        rows += [{"area": f"a{i}", "info": "qingyuan_like", "level": "primary", "lead": lead,
                  "target_year": y, "miss": i < k} for i in range(n)]
    return pd.DataFrame(rows)


def test_alpha_moves_against_the_misses_seen():
    # one year with 30 % outside: α = 0.10 + 0.2·(0.10 − 0.30) = 0.06 (a wider band)
    assert alpha_levels(_steps({2010: 0.3}), 2010)["primary"][1] == pytest.approx(0.06)
    # two years with none outside: α = 0.10 + 0.2·(0.10 + 0.10) = 0.14 (a narrower band)
    assert alpha_levels(_steps({2010: 0.0, 2011: 0.0}), 2011)["primary"][1] == \
        pytest.approx(0.10 + GAMMA * 0.2)
    # a year at the target leaves α where it was
    assert alpha_levels(_steps({2010: 0.1}), 2010)["primary"][1] == pytest.approx(0.10)
    # clipped: a long run of misses cannot ask for a band wider than the 99 % one
    many = _steps({y: 1.0 for y in range(2000, 2010)})
    assert alpha_levels(many, 2009)["primary"][1] == pytest.approx(0.01)


def test_alpha_reads_only_outturns_known_by_then():
    s = _steps({2010: 0.0, 2012: 1.0})
    assert alpha_levels(s, 2011)["primary"][1] == pytest.approx(0.12)  # 2012 not yet known
    assert alpha_levels(s, 2009) == {}  # nothing known: no adaptive level at all


def test_fit_band_takes_each_leads_quantile_at_its_alpha():
    """20 areas whose residuals are 0.1 × (−1 … +1 evenly): at α = 10 % the tails are the
    95 % step (19th of 20: 0.1 × 0.895), at α = 50 % the 75 % step (15th: 0.1 × 0.474)."""
    vals = np.linspace(-1.0, 1.0, 20)
    resid = pd.DataFrame([{"area": f"a{i}", "level": "primary", "origin": 2000, "lead": h,
                           "r": 0.1 * v}
                          for h in (1, 2, 3) for i, v in enumerate(vals)])
    t = fit_band(resid, max_lead=3, alpha={"primary": {1: 0.10, 2: 0.50, 3: 0.10}})
    t = t.set_index("lead")
    assert t.loc[1, "resid_q95"] == pytest.approx(0.1 * vals[18])
    assert t.loc[1, "resid_q05"] == pytest.approx(-0.1 * vals[18])
    # lead 2 alone would be narrower (0.1 × 0.474) but a band never shrinks with the lead
    assert t.loc[2, "resid_q95"] == pytest.approx(0.1 * vals[18])
    assert t["alpha"].tolist() == [0.10, 0.50, 0.10]
    wide = fit_band(resid, max_lead=3, alpha={"primary": {1: 0.50, 2: 0.50, 3: 0.50}})
    assert wide.set_index("lead").loc[1, "resid_q95"] == pytest.approx(0.1 * vals[14])
    assert np.isnan(fit_band(resid, max_lead=3)["alpha"]).all()  # no α: the old level


def test_misses_follow_the_band_design():
    table = pd.DataFrame({"level": "primary", "lead": [1], "resid_q05": [-0.05],
                          "resid_q50": [0.0], "resid_q95": [0.05]})
    rows = pd.DataFrame({"area": "a", "info": "qingyuan_like", "level": "primary",
                         "lead": 1, "target_year": 2011,
                         "r": [0.04, 0.06, 0.06, -0.07], "o_lo": [0.01, 0.01, 0.01, 0.08],
                         "o_up": [0.01, 0.01, 0.08, 0.01]})
    # inside the table's ±5 %; above it; inside the own upper 8 %; inside the own lower 8 %
    assert misses(rows, table)["miss"].tolist() == [False, True, False, False]
    assert misses(rows.assign(level="junior_secondary"), table).empty  # no rows: unbanded


def _first_pass(shift_after: int | None = None) -> pd.DataFrame:
    """Eight synthetic provinces, origins 2000–2009, lead 1, a band-free own half-width
    of 1 %; residuals i·1 % − 3.5 % of area i (plus 0.5 outturn after ``shift_after``)."""
    rows = []
    for i in range(8):
        for t in range(2000, 2010):
            r = 0.01 * i - 0.035
            if shift_after is not None and t + 1 > shift_after:
                r += 0.5
            rows.append({"area": f"p{i}", "kind": "province", "level": "primary", "origin": t,
                         "lead": 1, "target_year": t + 1, "info": "qingyuan_like",
                         "method": "grade_flow", "actual": 100 * np.exp(r),
                         "p05": 100 * np.exp(-0.01), "p50": 100.0, "p95": 100 * np.exp(0.01),
                         "sample": "in"})
    return pd.DataFrame(rows)


def test_adaptive_tables_are_honest_in_time_and_never_learn_from_the_tested_area():
    first = _first_pass()
    bands = AdaptiveBands(first)
    others = [f"p{i}" for i in range(1, 8)]
    resid = residuals(first)
    # the first origin with a band (2001: one outturn known per area): nothing banded had
    # its outturn yet, so no α
    t0 = bands.table("p0", others, 2001, "qingyuan_like")
    assert not t0.empty and t0["alpha"].isna().all()
    assert t0.equals(band_known_at(resid, others, 2001, "qingyuan_like"))
    # later: α from the other areas' steps only, known by then
    _, steps = bands._run(tuple(sorted(others + ["p0"])))
    own = steps[steps["area"] == "p0"]
    assert len(own) > 0
    for t in (2006, 2009):
        want = alpha_levels(steps[steps["area"] != "p0"], t)
        assert want["primary"][1] != pytest.approx(0.10)  # the steps moved it
        assert bands.table("p0", others, t, "qingyuan_like").equals(
            band_known_at(resid, others, t, "qingyuan_like", want))
    # outturns after 2007 cannot change the band of an origin ≤ 2007
    later = AdaptiveBands(_first_pass(shift_after=2007))
    for t in (2005, 2006, 2007):
        assert later.table("p0", others, t, "qingyuan_like").equals(
            bands.table("p0", others, t, "qingyuan_like"))
    assert not later.table("p0", others, 2009, "qingyuan_like").equals(
        bands.table("p0", others, 2009, "qingyuan_like"))


def test_two_processes_give_the_serial_tables():
    first = pd.concat([_first_pass(), _first_pass(2005).assign(info="bureau_like")])
    others = [f"p{i}" for i in range(1, 8)]
    serial, forked = AdaptiveBands(first), AdaptiveBands(first, workers=2)
    one = AdaptiveBands(first, workers=2, infos=("bureau_like",))  # its areas in 2 processes
    for t in (2006, 2009):
        for info in ("qingyuan_like", "bureau_like"):
            assert serial.table("p0", others, t, info).equals(forked.table("p0", others, t, info))
        assert serial.table("p0", others, t, "bureau_like").equals(
            one.table("p0", others, t, "bureau_like"))
    universe = tuple(sorted(others + ["p0"]))
    pd.testing.assert_frame_equal(
        serial._run(universe)[1].query("info == 'bureau_like'").reset_index(drop=True),
        one._run(universe)[1].reset_index(drop=True))


def test_alpha_by_area_equals_alpha_of_the_other_areas_steps():
    from qyedu.validation.adaptive_band import alpha_by_area

    rng = np.random.default_rng(5)
    steps = pd.DataFrame({"area": rng.choice(["a", "b", "c", "d"], 300),
                          "info": "qingyuan_like",
                          "level": rng.choice(["primary", "junior_secondary"], 300),
                          "lead": rng.integers(1, 4, 300),
                          "target_year": rng.integers(2005, 2012, 300),
                          "miss": rng.random(300) < 0.2})
    got = alpha_by_area(steps, ["a", "b", "c", "d", "e"], 2009)
    for a in "abcde":
        assert got[a] == alpha_levels(steps[steps["area"] != a], 2009)


def test_every_information_set_is_banded_with_the_published_table(monkeypatch):
    """The project publishes one band table, learned under Qingyuan-like information, and
    ``forecast --area-data`` applies it to an area with intakes too; the back-test's
    bureau-like rows must score that table, not one learned on bureau-like residuals."""
    from types import SimpleNamespace

    from qyedu.validation import gradeflow_method as gm

    # bureau-like residuals 0.5 larger: a table learned on them would be far wider
    first = pd.concat([_first_pass(), _first_pass(2000).assign(info="bureau_like")])
    got = {}
    monkeypatch.setattr(gm, "_forecast", lambda area, history, origin, leads, info, choice,
                        band=None, **k: got.setdefault(info, band))
    bands = AdaptiveBands(first, infos=(gm.BAND_INFO,))
    (method,) = gm.banded_methods(first, bands=bands)
    others = [f"p{i}" for i in range(1, 8)]
    for info in ("qingyuan_like", "bureau_like"):
        method.fn(SimpleNamespace(area="p0"), SimpleNamespace(areas=others), 2006, (1,), info)
    want = bands.table("p0", others, 2006, "qingyuan_like")
    assert got["bureau_like"].equals(want) and got["qingyuan_like"].equals(want)
    assert want.loc[0, "resid_q95"] < 0.1  # the Qingyuan-like residuals' ±3.5 %, not +0.5
    bureau = AdaptiveBands(first).table("p0", others, 2006, "bureau_like")
    assert bureau.loc[0, "resid_q95"] > 0.4  # what the bureau-like residuals alone would give
