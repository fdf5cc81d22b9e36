"""The place plan LP (qyedu.places.plan) on a SYNTHETIC two-county case solved by hand.

Costs per place-year: permanent 1, converted 0.4, temporary 1.5; 大班额 penalty 4 per
pupil-year. Two draws, two years.
- County A: short 100 in both years in both draws → 100 permanent places in year 1 (cost
  100 × 2 years = 200; temporary would cost 300, the penalty 800).
- County B: short 100 in year 1 in one draw of two (expected penalty 2 a place > temporary
  1.5), and 50 in year 2 in both draws, with 30 idle places of a donor level in year 2.
  Year 2: convert the 30 (0.4 each); the other 20 are cheapest as permanent places opened
  in year 1 (2 a place, covering year 1 too) rather than temporary in year 1 + permanent in
  year 2 (1.5 + 1); year 1's remaining 80 are rented. Total 20·2 + 80·1.5 + 30·0.4 = 172.
"""

import numpy as np
import pandas as pd
import pytest

from qyedu.places.plan import FormCosts, annuity, build_to_median, idle, solve, solve_counties

COSTS = FormCosts(permanent=1.0, converted=0.4, temporary=1.5, overcrowding=4.0)


def _case():
    short = np.zeros((2, 2, 2))
    short[:, :, 0] = 100.0
    short[0, 0, 1] = 100.0
    short[:, 1, 1] = 50.0
    avail = np.array([[0.0, 0.0], [0.0, 30.0]])  # (T, C)
    return short, avail


def test_two_county_plan_matches_the_hand_solved_optimum():
    short, avail = _case()
    a, b = solve_counties(short, COSTS, avail)
    assert a.new["permanent"] == pytest.approx([100, 0], abs=1e-6)
    assert a.new["temporary"] == pytest.approx([0, 0], abs=1e-6)
    assert a.objective == pytest.approx(200)
    assert b.new["permanent"] == pytest.approx([20, 0], abs=1e-6)
    assert b.new["temporary"] == pytest.approx([80, 0], abs=1e-6)
    assert b.new["converted"] == pytest.approx([0, 30], abs=1e-6)
    assert b.objective == pytest.approx(172)
    assert np.allclose(b.shortage, 0)  # every pupil seated at the standard
    # idle plan places in B, year 1: draw 2 needs none of the 100 places in use
    used = b.in_use["permanent"] + b.in_use["converted"] + b.in_use["temporary"]
    assert idle(used, short[:, :, 1])[:, 0] == pytest.approx([0, 100], abs=1e-6)


def test_penalty_below_the_cost_of_a_place_builds_nothing():
    short, avail = _case()
    cheap = FormCosts(permanent=1.0, converted=0.4, temporary=1.5, overcrowding=0.3)
    plan = solve(short[:, :, 0], cheap)
    assert sum(v.sum() for v in plan.new.values()) == pytest.approx(0, abs=1e-6)
    assert plan.objective == pytest.approx(0.3 * 200)  # 100 pupils × 2 years × 0.3


def test_annuity_and_build_to_median():
    assert annuity(0.08, 50) == pytest.approx(0.0817, abs=1e-4)
    assert annuity(0.0, 10) == pytest.approx(0.1)
    s = np.array([[10.0, 30, 5], [20, 40, 0], [0, 20, 10]])
    assert build_to_median(s).tolist() == [10, 30, 30]  # never demolished


def test_place_plan_table_adds_up_and_is_deterministic():
    """place_plan.csv on a SYNTHETIC two-county projection (tests/support/places.py)."""
    from support.places import registry, result

    from qyedu import costs, params
    from qyedu.costs.place_plan import COLUMNS

    rng = np.random.default_rng(8)
    r = result({lv: rng.uniform(5e4, 2e5, (6, 6, 2)) for lv in
                ("preschool", "primary", "junior_secondary", "senior_general")}, draws=6)
    rp = params.from_dict({"places": {"plan_first_year": 2023}})
    a = costs.tables(r, rp, registry=registry())["place_plan.csv"]
    b = costs.tables(r, rp, registry=registry())["place_plan.csv"]
    pd.testing.assert_frame_equal(a, b)
    assert list(a.columns) == COLUMNS
    assert set(a["form"]) == {"permanent", "converted", "temporary", "all"}
    assert set(a["year"]) == {2023, 2024, 2025}
    plan = a[a.strategy == "plan"]
    forms = plan[plan.form != "all"].groupby(["county", "level", "year"])["places"].sum()
    total = plan[plan.form == "all"].set_index(["county", "level", "year"])["places"]
    assert np.allclose(forms.loc[total.index], total)
    for q in ("places", "idle_places", "expected_shortage"):
        one = a[(a.form == "all") & (a.county != "全市")].groupby(
            ["level", "year", "strategy"])[q].sum()
        city = a[(a.form == "all") & (a.county == "全市")].set_index(
            ["level", "year", "strategy"])[q]
        assert np.allclose(one.loc[city.index], city)
    out = a[a.form == "all"]
    assert (out["expected_shortage"] <= out["shortage_before"] + 1e-6).all()
    assert (a["places"] >= -1e-9).all()


def test_plan_in_words_chinese_first_with_numbers_from_the_table():
    from qyedu.views import places as view

    # SYNTHETIC place_plan rows: one county adds 1,234 junior places in 2027
    rows = []
    for y in (2026, 2027, 2028):
        for f in ("permanent", "converted", "temporary"):
            rows.append(("清城区", "junior_secondary", y, "plan", f,
                         1234.0 if (f, y) == ("permanent", 2027) else 0.0, *[np.nan] * 5, 1.0, ""))
        rows.append(("清城区", "junior_secondary", y, "plan", "all", 1234.0 if y == 2027 else 0,
                     [0.0, 2000.0, 500.0][y - 2026], [0.0, 766.0, 0.0][y - 2026], 0.3, 10.0,
                     5.0, 1.0, ""))
        rows.append(("清城区", "junior_secondary", y, "build_to_median", "all", 0.0, 0.0, 0.0,
                     0.0, 20.0, 50.0, 1.0, ""))
    cols = ["county", "level", "year", "strategy", "form", "places", "shortage_before",
            "expected_shortage", "prob_shortage", "idle_places", "idle_capital", "cost", "basis"]
    plan = pd.DataFrame(rows, columns=cols)
    city = plan.assign(county="全市")
    plan = pd.concat([city, plan], ignore_index=True)
    text = view.plan_sentences(plan)
    zh, en = text.split(" | ")
    assert zh.startswith("清城区：初中 2027 年前新建永久学位约 1,200 个")
    assert "add ~1,200 junior secondary places by 2027" in en
    assert "2,000" in zh and "766" in zh  # shortage at its peak without / with the plan
    assert "亿元" in view.idle_capital_sentence(plan)
    s = view.plan_summary(plan)
    assert s.loc[view.level_label("junior_secondary"), "新建永久学位 permanent places"] == 1234
