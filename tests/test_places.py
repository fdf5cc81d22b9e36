"""School places: class rounding, kindergarten age groups, the capacity inventory (baseline
overcrowding, delivered/planned vintages, delays), public/private baselines, county shares,
shortages without netting, overcrowding. Results are pinned on SYNTHETIC projections
(hand-built ProjectionResult objects), hand-built arrays and the real data/raw files."""

import numpy as np
import pandas as pd
import pytest
from support.places import registry, result

from qyedu import checks, params, paths, places
from qyedu.errors import InputError
from qyedu.io import csv_bytes
from qyedu.places.capacity import capacity_paths
from qyedu.places.classes import age_shares, classes_needed, kindergarten_classes
from qyedu.places.counties import (
    allocate_capacity,
    born_from_fraction,
    census_trend,
    county_enrolment,
    read_costs_counties,
)
from qyedu.places.demand import level_rows
from qyedu.places.model import PlacesModel, large_class_pupils
from qyedu.places.plan_lookup import RegistryError
from qyedu.places.public import private_path, public_share
from qyedu.places.standards import class_sizes
from qyedu.projection.result import LEVELS, ProjectionResult

NO_CROWD = {"large_class_share_primary": 0.0, "large_class_share_junior": 0.0,
            "large_class_share_senior": 0.0}
COUNTIES8 = ("清城区", "清新区", "佛冈县", "阳山县", "连山壮族瑶族自治县", "连南瑶族自治县",
             "英德市", "连州市")


def _one(df, **keys):
    for k, v in keys.items():
        df = df[df[k] == v]
    assert len(df) == 1, keys
    return df.iloc[0]


def _demand(r, rp=None):
    return places.demand_table(places.compute(r, rp or params.RunParams(), registry()))


def _cap(pp, horizon=2030):
    return {lv: dict(zip(c.years, c.places[0], strict=True))
            for lv, c in capacity_paths(pp, registry(), horizon)[0].items()}


# -- classes ------------------------------------------------------------------------------
def test_classes_round_up():
    assert classes_needed(90, 45) == 2
    assert classes_needed(91, 45) == 3
    assert classes_needed(0, 45) == 0
    assert classes_needed(90.0000000001, 45) == 2  # float noise does not add a class


def test_classes_rounded_per_county_and_summed_for_the_city():
    # SYNTHETIC: 10 primary pupils in each of two counties → 1 class each, city 2 (not 1)
    r = result({"primary": np.full((1, 6, 2), 10.0)}, draws=1)
    d = _demand(r)
    q = d[(d.quantity == "classes_needed") & (d.level == "primary") & (d.year == 2022)]
    assert _one(q, county="A")["mean"] == 1
    assert _one(q, county="全市")["mean"] == 2


def test_quantiles_are_taken_on_draws_not_divided():
    # SYNTHETIC: draws of 45 and 46 pupils → 1 and 2 classes → mean 1.5 (ceil(45.5/45) would be 2)
    r = result({"primary": np.array([45.0, 46.0])[:, None, None] * np.ones((2, 6, 1))},
               counties=("A",), draws=2)
    row = _one(_demand(r), quantity="classes_needed", level="primary", county="A", year=2025)
    assert row["mean"] == 1.5 and row["p05"] == pytest.approx(1.05) and row["p95"] == pytest.approx(1.95)


def test_kindergarten_classes_by_age_group():
    # 50 children, all in 小班 (25 per class) → 2 classes; split evenly 3 × 16.7 → 3 classes
    kids = np.full((1, 1, 1), 50.0)
    assert kindergarten_classes(kids, np.array([[[1.0, 0, 0]]]), (25, 30, 35))[0, 0, 0] == 2
    even = np.full((1, 1, 3), 1 / 3)
    assert kindergarten_classes(kids, even, (25, 30, 35))[0, 0, 0] == 3


def test_age_shares_follow_birth_cohorts():
    # SYNTHETIC births 2010..2025: 1,000 a year except 2017 = 2,000 → in 2020 age 3 share 1/2
    by = np.arange(2010, 2026)
    b = np.where(by == 2017, 2000.0, 1000.0)[None, :]
    r = result(draws=1, births=b)
    s = age_shares(r, "births")
    assert s[0, 0] == pytest.approx([0.5, 0.25, 0.25])
    assert age_shares(r, "even")[0, 0] == pytest.approx([1 / 3] * 3)


# -- capacity inventory -------------------------------------------------------------------
def test_capacity_from_published_places_without_overcrowding():
    cap = _cap(params.PlacesParams(**NO_CROWD))
    comp = {y: cap["primary"][y] + cap["junior_secondary"][y] for y in cap["primary"]}
    # 2022-23 enrolment 422,369 + 179,987 (2021 delivered + 2022 planned are inside it);
    # 2023-25: 75,850 × 20,500/22,500 phased evenly
    assert comp[2022] == pytest.approx(422369 + 179987)
    assert comp[2023] == pytest.approx(602356 + 75850 * 20500 / 22500 / 3)
    assert comp[2025] == pytest.approx(602356 + 75850 * 20500 / 22500)
    assert comp[2030] == comp[2025]  # nothing planned after 2025
    assert cap["senior_general"][2025] == pytest.approx(76891 + 75850 * 2000 / 22500)
    pre = cap["preschool"]  # 2020 在园幼儿数 + 2021 delivered 5,540 + 2022 planned 2,000
    assert pre[2020] == 171158 and pre[2022] == 171158 + 5540 + 2000
    assert pre[2025] == pytest.approx(171158 + 5540 + 2000 + 10290)


def test_baseline_overcrowding_lowers_capacity():
    # 10 % of 422,369 primary pupils in classes of 56 built for 45:
    # 422,369 × (0.9 + 0.1 × 45/56) = 414,072.5 places at the standard
    pp = params.PlacesParams(large_class_share_primary=0.1, large_class_share_spread=0.0)
    assert _cap(pp)["primary"][2022] == pytest.approx(422369 * (0.9 + 0.1 * 45 / 56))
    assert _cap(pp)["primary"][2022] == pytest.approx(414072.46, abs=0.01)


def test_overcrowding_share_is_uncertain_in_the_draws():
    caps, _ = capacity_paths(params.PlacesParams(), registry(), 2030, n_draws=200, seed=1)
    b = caps["primary"].base  # s ~ 0.10 × U(0.5, 1.5): 5 %–15 % of pupils in large classes
    assert b.min() >= 422369 * (0.85 + 0.15 * 45 / 56) - 1
    assert b.max() <= 422369 * (0.95 + 0.05 * 45 / 56) + 1 and b.std() > 0


def test_capacity_parameters_split_phasing_and_delay():
    pp = params.PlacesParams(**NO_CROWD, senior_share_2023_25=0.2, phase_2023_25=(0, 0, 1),
                             planned_delay_share=0.5)
    sen = _cap(pp)["senior_general"]
    # the 2022 plan is inside the measured 2022-23 baseline, late or not; half of
    # 0.2 × 75,850 opens in 2025, half in 2026
    assert sen[2022] == 76891 and sen[2023] == 76891
    assert sen[2025] == pytest.approx(76891 + 0.5 * 0.2 * 75850)
    assert sen[2026] == pytest.approx(76891 + 0.2 * 75850)
    pre = _cap(pp)["preschool"]  # delivered places are never late; baseline 2020
    assert pre[2021] == 171158 + 5540 and pre[2022] == 171158 + 5540 + 1000
    assert pre[2023] == 171158 + 5540 + 2000


def test_large_class_pupils_by_hand():
    # 100 pupils, 89 places at 45: 11 excess in classes of 56 → 11 × 56 / 11 = 56 pupils
    assert large_class_pupils(np.array(100.0), np.array(89.0), 45, 56) == pytest.approx(56)
    assert large_class_pupils(np.array(80.0), np.array(89.0), 45, 56) == 0
    assert large_class_pupils(np.array(600.0), np.array(450.0), 45, 56) == 600  # at most all


# -- public / private ---------------------------------------------------------------------
def test_public_preschool_baseline_is_the_2020_outturn():
    pp = params.PlacesParams()
    s, basis = public_share(pp, registry(), "preschool", [2020, 2025], 2020)
    assert s[0] == pytest.approx(0.5412) and "line 16" in basis  # not the 50 % floor
    # public preschool places 2020 = 54.12 % of 171,158 = 92,630.7 (the floor gave 85,579)
    r = result({"preschool": np.zeros((1, 6, 1))}, counties=("A",), draws=1)
    d = _demand(r, params.from_dict({"places": {"large_class_share_preschool": 0.0}}))
    row = _one(d, quantity="public_capacity", level="preschool", county="全市", year=2020)
    assert row["mean"] == pytest.approx(0.5412 * 171158) == pytest.approx(92630.71, abs=0.01)
    hi = params.PlacesParams(public_share_preschool=0.6)
    assert public_share(hi, registry(), "preschool", [2025], 2020)[0][0] == 0.6


def test_private_cap_shifts_pupils_to_public():
    pp = params.PlacesParams(private_share_compulsory=0.10, private_compulsory_policy="national_cap",
                             private_compulsory_cap=0.05, private_cap_year=2024)
    assert private_path(pp, [2022, 2023, 2024, 2030], 2022) == pytest.approx([0.10, 0.075, 0.05, 0.05])
    hold = params.PlacesParams(private_share_compulsory=0.10)
    assert private_path(hold, [2022, 2030], 2022) == pytest.approx([0.10, 0.10])
    # SYNTHETIC 100,000 compulsory pupils a year: 5,000 shift by 2024; by conversion the
    # public capacity rises by the same 5,000 (no double counting in total capacity)
    r = result({"primary": np.full((1, 6, 1), 70000.0),
                "junior_secondary": np.full((1, 6, 1), 30000.0)}, counties=("A",), draws=1)
    rp = params.from_dict({"places": {**pp.model_dump(), **NO_CROWD}})
    d = _demand(r, rp)
    q = {"level": "compulsory", "county": "全市", "year": 2024}
    assert _one(d, quantity="pupils_shifted_to_public", **q)["mean"] == pytest.approx(5000)
    pub, tot = (_one(d, quantity=k, **q)["mean"] for k in ("public_capacity", "capacity"))
    assert pub == pytest.approx(0.9 * 602356 + (tot - 602356) + 5000)
    assert _one(d, quantity="public_places_needed", **q)["mean"] == pytest.approx(95000)


# -- counties -----------------------------------------------------------------------------
def test_census_trend_shows_urbanisation():
    g, src = census_trend(COUNTIES8)
    trend = dict(zip(COUNTIES8, g, strict=True))
    assert trend["清城区"] > 0.02 and trend["清新区"] < 0 and trend["英德市"] < 0  # 21.9 % → 28.2 %
    assert "costs_counties.csv lines" in src


def _county_result(draws=4):
    arr = np.ones((draws, 6, len(LEVELS), 8)) * 1000.0
    by = np.arange(2010, 2026)
    return ProjectionResult("synthetic", np.arange(2020, 2026), COUNTIES8, arr, arr.copy(), by,
                            np.full((draws, len(by)), 40000.0))


def test_county_shares_drift_and_keep_the_city_total():
    r = _county_result()
    pp = params.PlacesParams(county_births_qingcheng=False, county_drift_sd=0.0)
    enr, how = county_enrolment(r, pp, seed=1)
    assert np.allclose(enr.sum(axis=3), r.city("enrolled"))
    qc = enr[0, :, 1, 0] / enr[0, :, 1, :].sum(axis=1)  # 清城区 primary share per year
    assert qc[0] == pytest.approx(1 / 8) and np.all(np.diff(qc) > 0)
    fixed, _ = county_enrolment(r, params.PlacesParams(county_drift=0.0, county_drift_sd=0.0,
                                                       county_births_qingcheng=False), 1)
    assert np.allclose(fixed, r.enrolled)  # no drift → the projection's own allocation
    spread, _ = county_enrolment(r, params.PlacesParams(county_births_qingcheng=False), 1)
    assert spread[:, -1, 1, 0].std() > 0  # the drift's uncertainty is in the draws
    assert "exp(κ" in how


def test_qingcheng_births_share_for_cohorts_born_from_2022():
    assert born_from_fraction([2025], "preschool", 2022)[0] == pytest.approx(1 / 3)
    assert born_from_fraction([2024], "preschool", 2022)[0] == 0
    r = _county_result()
    pp = params.PlacesParams(county_drift=0.0, county_drift_sd=0.0)
    enr, how = county_enrolment(r, pp, seed=1)
    # 2025 preschool: 1/3 of ages born 2022 → 清城 weight × (1 + 1/3 × (9599/40000 ÷ 1/8 − 1))
    w = 1 + (9599 / 40000 / (1 / 8) - 1) / 3
    assert enr[0, 5, 0, 0] / enr[0, 5, 0, :].sum() == pytest.approx(w / (w + 7))
    assert "9599" in how


def test_capacity_allocated_to_counties_by_rule():
    need = np.array([[[60.0, 40.0], [90.0, 30.0]]])  # (1 draw, 2 years, 2 counties)
    cap = allocate_capacity(np.array([100.0]), np.array([0.0, 50.0]), need, 0, "baseline_share")
    assert cap[0, 1].tolist() == pytest.approx([90, 60])
    grow = allocate_capacity(np.array([100.0]), np.array([0.0, 50.0]), need, 0, "demand_growth", 1)
    assert grow[0, 1].tolist() == pytest.approx([110, 40])  # all growth is in the first county


def _model(need, capacity):
    sizes = class_sizes(params.PlacesParams())
    m = PlacesModel("synthetic", np.array([2025]), ("A", "B"), sizes)
    m.pupils["primary"] = m.need_on_cap["primary"] = need
    m.classes["primary"] = need / 45
    m.class_basis["primary"] = "45"
    m.cap_years["primary"], m.capacity["primary"] = np.array([2025]), capacity
    m.classrooms["primary"] = capacity / 45
    m.large_pupils["primary"] = large_class_pupils(need, capacity, 45, 56)
    return m


def test_no_netting_city_shortage_is_the_sum_of_county_shortages():
    # SYNTHETIC city of two counties: A needs 600 with 500 places (short 100), B needs 400
    # with 500 (surplus 100). Net gap 0, but 100 places must be built in A.
    m = _model(np.array([[[600.0, 400.0]]]), np.array([[[500.0, 500.0]]]))
    d = pd.concat(level_rows(m, "primary"))
    short = d[d.quantity == "shortage"].set_index("county")["mean"]
    assert short.to_dict() == {"全市": 100, "A": 100, "B": 0}
    gap = d[d.quantity == "gap"].set_index("county")["mean"]
    assert gap.to_dict() == {"全市": 0, "A": -100, "B": 100}
    idle = d[d.quantity == "idle_places"].set_index("county")["mean"]
    assert idle["全市"] == 100
    avg = d[d.quantity == "avg_class_size"].set_index("county")["mean"]
    assert avg["A"] == pytest.approx(54) and avg["全市"] == pytest.approx(45)
    large = d[d.quantity == "prob_large_class"].set_index("county")["mean"]
    # A: 100 excess × 56/11 = 509.1 of 600 pupils; city: 509.1 / 1,000 (not 0 after netting)
    assert large["A"] == pytest.approx(100 * 56 / 11 / 600)
    assert large["全市"] == pytest.approx(100 * 56 / 11 / 1000)


# -- the tables ---------------------------------------------------------------------------
def test_tables_pass_checks_and_are_deterministic():
    rng = np.random.default_rng(3)
    r = result({lv: rng.uniform(1e4, 2e4, (5, 6, 2)) for lv in
                ("preschool", "primary", "junior_secondary", "senior_general")}, draws=5)
    a = places.tables(r, params.RunParams(), registry())
    b = places.tables(r, params.RunParams(), registry())
    assert set(a) == {"places_demand.csv", "places_promises.csv", "places_answers.csv"}
    checks.check_tables(a)
    for name in a:
        assert csv_bytes(a[name]) == csv_bytes(b[name])
        keys = [c for c in checks.KEY_CANDIDATES if c in a[name].columns]
        assert not a[name].duplicated(subset=keys).any(), name
    d = a["places_demand.csv"]
    assert {"basis", "note"} <= set(d.columns) and d["year"].dtype == "int64"
    for lv in ("primary", "junior_secondary", "compulsory", "preschool", "senior_general"):
        for q in ("places_needed", "capacity", "gap", "shortage", "avg_class_size",
                  "prob_large_class"):
            if lv == "compulsory" and q == "gap":  # never a net of levels
                assert d[(d.level == lv) & d.quantity.isin(["gap", "public_gap"])].empty
                continue
            assert set(d[(d.level == lv) & (d.quantity == q)]["county"]) == {"全市", "A", "B"}


def test_output_contract_on_the_real_projection():
    from qyedu.workbench import Workbench

    wb = Workbench.from_params(draws=20, horizon=2030)
    d = wb.places_tables["places_demand.csv"]
    for lv in ("primary", "junior_secondary", "compulsory", "preschool", "senior_general"):
        for q in ("places_needed", "capacity", "gap", "shortage"):
            f = d[(d.level == lv) & (d.quantity == q) & (d.year == 2025)]
            assert len(f) == (0 if (lv, q) == ("compulsory", "gap") else 9), (lv, q)
        s = d[(d.level == lv) & (d.quantity == "shortage")]
        city = s[s.county == "全市"].set_index("year")["mean"]
        by_county = s[s.county != "全市"].groupby("year")["mean"].sum()
        assert np.allclose(city, by_county)  # means add up; the quantiles are on draws
    crowd = d[(d.quantity == "prob_large_class") & (d.county == "全市") & (d.level == "primary")]
    assert crowd["mean"].max() > 0  # overcrowding is a real output now


def test_class_size_parameter_overrides_standard():
    rp = params.from_dict({"places": {"class_size_primary": 40}})
    r = result({"primary": np.full((1, 6, 1), 80.0)}, counties=("A",), draws=1)
    row = _one(_demand(r, rp), quantity="classes_needed", level="primary", county="A", year=2020)
    assert row["mean"] == 2 and "places.class_size_primary" in row["basis"]


@pytest.mark.parametrize("section, key, bad", [
    ("places", "class_size_primary", 0),
    ("places", "phase_2023_25", [0.5, 0.5, 0.5]),
    ("places", "private_share_compulsory", 1.5),
    ("places", "preschool_age_split", "by_magic"),
    ("places", "private_compulsory_policy", "abolish"),
    ("places", "planned_delay_share", -0.1),
    ("places", "county_drift_sd", "wide"),
])
def test_bad_parameters_name_the_key(section, key, bad):
    with pytest.raises(params.ParamError, match=f"{section}.{key}"):
        params.from_dict({section: {key: bad}})


def test_registry_without_preschool_baseline_is_a_clear_error():
    with pytest.raises(RegistryError, match="在园幼儿数"):
        capacity_paths(params.PlacesParams(), registry(drop=("preschool_enrolled",)), 2030)


def test_registry_lacking_columns_is_rejected():
    with pytest.raises(RegistryError, match="lacks column"):
        places.tables(result(), params.RunParams(), pd.DataFrame({"x": [1]}))


def test_bad_county_census_value_names_file_and_line(tmp_path):
    bad = tmp_path / "costs_counties.csv"
    lines = paths.raw_csv("costs_counties").read_text(encoding="utf-8").splitlines()
    i = next(n for n, ln in enumerate(lines) if ln.startswith("清城区,2020,census_pop_resident"))
    lines[i] = lines[i].replace(",1119901,", ",many,")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"line {i + 1}") as e:
        read_costs_counties(bad)
    assert "costs_counties.csv" in str(e.value)
    assert len(read_costs_counties()) == len(lines) - 1  # the real file reads
