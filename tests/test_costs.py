"""Costs pinned on hand-computed SYNTHETIC cases: each cost = quantity × unit cost; places
built follow the running peak of need; a promise spread evenly over the plan years; unit costs
read from data/raw/costs_counties.csv with their sources; bad input names file and line."""

import numpy as np
import pandas as pd
import pytest
from support.places import registry, result

from qyedu import checks, costs, params, paths
from qyedu.costs.capital import build_schedule, promise_schedule
from qyedu.costs.units import capital_cost, read_costs, salary
from qyedu.errors import InputError


def test_build_schedule_follows_the_running_peak():
    # need 0, 10, 30, 20 (base = the first year) → built 10, 20, 0; idle 0, 0, 10
    s = build_schedule(np.array([[100.0, 110, 130, 120]]), 0)
    assert s["built"][0] == pytest.approx([10, 20, 0])
    assert s["idle"][0] == pytest.approx([0, 0, 10])
    assert s["built_cumulative"][0] == pytest.approx([10, 30, 30])


def test_promise_spread_evenly_and_idle_when_need_falls():
    # 50,000 over 2021-2025 → 10,000 a year; need 15,000 in 2025 → 35,000 idle
    yrs = np.arange(2021, 2027)
    need = np.array([[5e3, 1e4, 2e4, 2e4, 1.5e4, 0.0]])
    s = promise_schedule(5e4, yrs, 2020, 2025, need)
    assert s["built"][0] == pytest.approx([1e4] * 5 + [0])
    assert s["idle"][0] == pytest.approx([5e3, 1e4, 1e4, 2e4, 3.5e4, 5e4])


def test_unit_costs_from_the_published_projects():
    t = read_costs()
    p = capital_cost("primary", t)
    assert p.value == pytest.approx((7.09 + 4.63) / 2)  # Qingyuan's own primary projects
    assert (p.low, p.high) == (3.04, 12.69) and "阳山县 城北小学" in p.basis
    assert capital_cost("junior_secondary", t).value == pytest.approx(10.90)
    v = capital_cost("senior_vocational", t)
    assert v.value == pytest.approx(10.90) and v.basis.startswith("assumption")
    w = salary(t)
    assert w.value == pytest.approx(117500 * 79013 / 98889 * 124916 / 98889)
    assert w.low < w.value < w.high
    assert capital_cost("primary", t, override=8.0).value == 8.0


def test_bad_cost_value_names_file_and_line(tmp_path):
    bad = tmp_path / "costs_counties.csv"
    lines = paths.raw_csv("costs_counties").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",7.09,", ",seven,")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"costs_counties.csv.*line 4|line 4.*costs_counties"):
        read_costs(bad)


def _synthetic():
    # SYNTHETIC: one county, one draw, 2020-2025. Primary pupils 1,000 → 1,100 → 1,300 → 1,200
    # …; junior flat 0 (no cost); preschool flat 100; senior 500 flat
    prim = np.array([1000.0, 1100, 1300, 1200, 1200, 1200])[None, :, None]
    r = result({"primary": prim, "preschool": np.full((1, 6, 1), 100.0),
                "senior_general": np.full((1, 6, 1), 500.0)}, counties=("A",), draws=1)
    rp = params.from_dict({"costs": {"capital_cost_primary": 5.0, "salary_per_teacher": 100000.0},
                           "teachers": {"basis": "staffing_standard"}})
    return r, rp


def test_each_cost_is_quantity_times_unit_cost():
    r, rp = _synthetic()
    out = costs.tables(r, rp, registry=registry())
    c, u = out["costs.csv"], out["cost_units.csv"]
    checks.check_tables(out)

    def get(q, lv="primary"):
        return c[(c.level == lv) & (c.quantity == q)].set_index("year")["mean"]

    # places built 100, 200, 0 … × 5 万元 = 500, 1,000, 0 万元
    assert get("places_built").tolist() == pytest.approx([100, 200, 0, 0, 0])
    assert get("capital_cost").tolist() == pytest.approx([500, 1000, 0, 0, 0])
    assert get("capital_cost_idle").tolist() == pytest.approx([0, 0, 500, 500, 500])
    from qyedu.costs import _built, _on_years  # the running-peak rule on a county shortage

    assert _built(np.array([[0.0, 5, 3, 8]]))[0].tolist() == [0, 5, 0, 3]
    assert _on_years(np.array([[1.0, 2, 3]]), [2020, 2021, 2022], [2021, 2022])[0].tolist() == [3, 3]
    # public salary = public teachers × 100,000 元 × (1 + 0.357 on-costs) ÷ 10,000 → 万元
    share = 1 - rp.places.private_share_compulsory
    assert rp.costs.employer_oncost_rate == pytest.approx(0.357)  # sourced default, not 0
    assert np.allclose(get("teachers_stock_public"), get("teachers_stock") * share)
    assert np.allclose(get("salary_cost_public"), get("teachers_stock_public") * 10 * 1.357)
    assert np.allclose(get("salary_cost_private"), get("teachers_stock") * (1 - share) * 10)
    assert np.allclose(get("total_cost"), get("capital_cost") + get("salary_cost_public"))
    assert np.allclose(get("cost_per_pupil"), get("total_cost") * 1e4
                       / (np.array([1100, 1300, 1200, 1200, 1200]) * share))
    # the increment: public teachers above the stock year's (2024 here: no observed points)
    extra = get("teachers_extra_public")
    st = get("teachers_stock_public")
    assert extra.loc[2025] == pytest.approx(max(0.0, st.loc[2025] - st.loc[2024]))
    assert (extra.loc[:2024] == 0).all()
    assert np.allclose(get("salary_cost_increment_public"), extra * 10 * 1.357)
    # nominal = real × 1.02^(year − 2022), price index named in the basis
    nom = get("salary_cost_public_nominal")
    assert np.allclose(nom, get("salary_cost_public") * 1.02 ** (nom.index - 2022))
    assert "CPI" in c[c.quantity == "salary_cost_public_nominal"]["basis"].iloc[0]
    assert "PUBLIC teachers only" in c[c.quantity == "salary_cost_public"]["basis"].iloc[0]
    # land by the Guangdong norm (18 m² per primary place), priced only when a price is set
    assert np.allclose(get("land_needed_m2"), get("places_programme") * 18)
    # the promise: registry's compulsory promise spread over 2021-2025, split by base places
    prom = get("capital_cost_promise")
    assert np.allclose(prom, get("places_promised_built") * 5.0)
    assert np.allclose(get("capital_cost", "all"), sum(get("capital_cost", lv) for lv in
                                                        costs.LEVELS))
    assert get("capital_cost_cumulative").iloc[-1] == pytest.approx(1500)
    # the programme (places delivered + planned, places pipeline) and the shortage beyond the
    # capacity inventory are priced at the same unit cost
    assert np.allclose(get("capital_cost_programme"), get("places_programme") * 5.0)
    assert get("places_programme").sum() > 0
    assert np.allclose(get("capital_cost_beyond_capacity"), get("places_beyond_capacity") * 5.0)
    assert (get("places_beyond_capacity") >= 0).all()
    assert (c["basis"].str.contains("2022 prices") | c["quantity"].isin(
        ["places_built", "places_idle", "places_promised_built", "teachers_stock",
         "places_beyond_capacity", "places_programme", "reference_spending_per_pupil",
         "teachers_stock_public", "teachers_extra_public", "land_needed_m2",
         "land_needed_m2_cumulative"])).all()
    assert u.set_index(["level", "quantity"]).loc[("primary", "capital_cost_per_place"),
                                                   "value"] == 5.0


def test_costs_are_deterministic_and_carry_bands():
    rng = np.random.default_rng(2)
    r = result({lv: rng.uniform(1e4, 2e4, (5, 6, 2)) for lv in
                ("preschool", "primary", "junior_secondary", "senior_general",
                 "senior_vocational")}, draws=5)
    a = costs.tables(r, params.RunParams(), registry=registry())["costs.csv"]
    b = costs.tables(r, params.RunParams(), registry=registry())["costs.csv"]
    pd.testing.assert_frame_equal(a, b)
    need = {"capital_cost", "salary_cost_public", "total_cost"}
    for lv in (*costs.LEVELS, "all"):
        assert need <= set(a[a.level == lv]["quantity"]), lv
    s = a[a.quantity == "salary_cost_public"]
    assert (s["p05"] <= s["p50"]).all() and (s["p50"] <= s["p95"]).all()
    assert (s["p05"] < s["p95"]).any()  # the draws differ: a real band


@pytest.mark.parametrize("key, bad", [("capital_cost_primary", 0.0), ("salary_per_teacher", 1e6),
                                      ("employer_oncost_rate", -0.1), ("real_wage_growth", 0.5)])
def test_bad_cost_parameters_name_the_key(key, bad):
    with pytest.raises(params.ParamError, match=f"costs.{key}"):
        params.from_dict({"costs": {key: bad}})


def test_bad_china_value_names_file_and_line(tmp_path):
    from qyedu.teachers.stock import china_ratio

    src = paths.raw_csv("china").read_text(encoding="utf-8").splitlines()
    i = next(k for k, ln in enumerate(src) if ",2021,teachers,vocational," in ln and ln.endswith(",1"))
    parts = src[i].split(",")
    parts[4] = "many"
    src[i] = ",".join(parts)
    bad = tmp_path / "china.csv"
    bad.write_text("\n".join(src) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"line {i + 1}"):
        china_ratio("senior_vocational", bad)


def test_cli_costs_bad_parameter_exits_2(tmp_path, capsys):
    from qyedu.cli import main

    assert main(["costs", "--set", "costs.real_wage_growth=0.5", "--out",
                 str(tmp_path / "c.csv")]) == 2
    assert "costs.real_wage_growth" in capsys.readouterr().err
    assert not (tmp_path / "c.csv").exists()


def test_unit_cost_table_for_reviewers_names_items_in_words():
    from qyedu.views import costs as view

    r = result({lv: np.full((2, 6, 2), 1e4) for lv in
                ("preschool", "primary", "junior_secondary", "senior_general",
                 "senior_vocational")}, draws=2)
    units = costs.tables(r, params.RunParams(), registry=registry())["cost_units.csv"]
    shown = view.unit_costs(units)
    items = set(shown.index.get_level_values("项目 Item"))
    assert items == {"每个新学位建设费 capital cost per new place", "教师年工资 pay per teacher"}
    assert shown.loc[("小学 Primary", "每个新学位建设费 capital cost per new place"),
                     "单位 Unit"] == "万元/place"


def test_programme_unit_cost_is_the_default_and_projects_the_range():
    from qyedu.costs.units import capital_cost, read_costs

    t = read_costs()
    prog = capital_cost("junior_secondary", t, basis="programme")
    assert prog.value == pytest.approx(6.23)  # 13.7 亿 / 22,000 places (costs_counties line 14)
    assert "line 14" in prog.basis and prog.low <= 6.23 and prog.high == pytest.approx(21.9)
    proj = capital_cost("junior_secondary", t, basis="projects")
    assert proj.value == pytest.approx(10.90)  # the 连南 boarding school, now only the range
    assert params.RunParams().costs.capital_unit_basis == "programme"
