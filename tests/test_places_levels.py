"""Levels are never netted: the compulsory shortage is the sum of the primary and junior
shortages per draw (then summarised), and no published places table holds a compulsory net.
Pinned on a SYNTHETIC projection (tests/support/places.py) where primary falls and junior
grows, so a net would hide the junior shortage."""

import numpy as np
import pytest
from support.places import registry, result

from qyedu import params, places

LEVELS4 = ("preschool", "primary", "junior_secondary", "senior_general")


def _synthetic():
    # SYNTHETIC, at the scale of the real baseline capacity (enrollment.csv): primary falls
    # 300,000 → 150,000, junior rises 100,000 → 200,000 in county A; county B flat. Draws
    # differ by a factor so quantiles are not trivially equal.
    yrs = 6
    f = np.array([0.95, 1.0, 1.05, 1.1])[:, None, None]
    prim = np.stack([np.linspace(300_000, 150_000, yrs), np.full(yrs, 150_000)], axis=1)[None] * f
    jun = np.stack([np.linspace(100_000, 200_000, yrs), np.full(yrs, 90_000)], axis=1)[None] * f
    flat = np.full((1, yrs, 2), 60_000.0) * f
    return result({"primary": prim, "junior_secondary": jun, "preschool": flat,
                   "senior_general": flat}, draws=4)


@pytest.fixture(scope="module")
def built():
    r = _synthetic()
    rp = params.RunParams()
    m = places.compute(r, rp, registry())
    return m, places.tables(r, rp, registry(), m)


def test_compulsory_shortage_is_the_sum_of_level_shortages_per_draw(built):
    m, _ = built
    sel = np.isin(m.cap_years["primary"], m.cap_years["compulsory"])
    selj = np.isin(m.cap_years["junior_secondary"], m.cap_years["compulsory"])
    expect = (np.clip(m.need_on_cap["primary"] - m.capacity["primary"], 0, None)[:, sel]
              + np.clip(m.need_on_cap["junior_secondary"]
                        - m.capacity["junior_secondary"], 0, None)[:, selj])
    assert np.allclose(m.shortage["compulsory"], expect)
    # the junior shortage in county A is real and larger than a compulsory net would show
    net = np.clip(m.need_on_cap["compulsory"] - m.capacity["compulsory"], 0, None)
    assert m.shortage["compulsory"][:, -1, 0].min() > net[:, -1, 0].max()


def test_answers_and_demand_tables_add_levels_never_net_them(built):
    m, t = built
    a, d = t["places_answers.csv"], t["places_demand.csv"]
    short = a[a.quantity == "capacity_shortage"].set_index(["level", "year"])
    comp = short.loc["compulsory"]
    parts = short.loc["primary"]["mean"].add(short.loc["junior_secondary"]["mean"]).loc[comp.index]
    assert np.allclose(comp["mean"], parts)  # means add; quantiles are of the per-draw sums
    draws = m.shortage["compulsory"].sum(axis=2)
    assert comp["p95"].iloc[-1] == pytest.approx(np.percentile(draws[:, -1], 95))
    for q in ("capacity_net_gap",):
        assert a[(a.level == "compulsory") & (a.quantity == q)].empty
    assert d[(d.level == "compulsory") & d.quantity.isin(["gap", "public_gap"])].empty
    assert set(a["level"]) == {*LEVELS4, "compulsory"}
    peaks = a[a.quantity == "shortage_peak_year"]
    assert set(peaks["level"]) == {*LEVELS4, "compulsory"}


def test_compulsory_promise_need_does_not_net_a_falling_level(built):
    _, t = built
    p = t["places_promises.csv"]
    need = p[(p.promise == "compulsory_new_places")
             & (p.quantity == "additional_places_needed")].set_index("year")["p50"]
    lv = p[p.quantity == "level_additional_places_needed"].pivot_table(
        index="year", columns="level", values="p50")
    # primary falls, junior rises: the compulsory need is the junior rise, not rise − fall
    assert (lv["primary"] < 0).all() and (lv["junior_secondary"] > 0).all()
    assert np.allclose(need.loc[lv.index], lv["junior_secondary"].clip(lower=0))
