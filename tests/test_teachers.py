"""Teacher demand: staffing ratios, preschool rules, the plan's own rules, hiring and the
qualification mix of hires. Arithmetic pinned on hand-checkable SYNTHETIC cases."""

import numpy as np
import pytest
from support.places import registry, result

from qyedu import checks, params, teachers
from qyedu.io import csv_bytes
from qyedu.places.plan_lookup import RegistryError
from qyedu.teachers.demand import preschool_teachers, rural_mix_staff, school_staff
from qyedu.teachers.qualifications import qualification_inputs
from qyedu.teachers.ratios import ratios, staff_to_teachers
from qyedu.teachers.stock import china_ratio, guangdong_ratio


def _city(df, **keys):
    df = df[df["county"] == "全市"]
    for k, v in keys.items():
        df = df[df[k] == v]
    assert len(df) == 1, keys
    return df.iloc[0]


def test_standards_read_with_sources():
    r = ratios(params.TeacherParams())
    assert r.pupils_per_staff["primary"].value == 19
    assert r.pupils_per_staff["junior_secondary"].value == 13.5
    assert r.pupils_per_staff["senior_general"].value == 12.5
    assert r.non_teaching_share["junior_secondary"].value == pytest.approx(0.12)
    assert "another province" in r.non_teaching_share["primary"].basis
    assert r.kg_teachers_per_class.value == 2 and r.kg_children_per_teacher.value == 15
    assert r.rural_staff_per_class.value == 2.4
    assert r.psych_threshold["primary"].value == 1200
    assert r.psych_threshold["senior_general"].value == 1000


def test_primary_190_pupils_need_10_staff_and_9_1_teachers():
    assert school_staff(190, 19) == 10
    assert staff_to_teachers(10, 0.09) == pytest.approx(9.1)
    # the same through tables() on a SYNTHETIC one-county projection
    r = result({"primary": np.full((1, 6, 1), 190.0)}, counties=("A",), draws=1)
    d = teachers.tables(r, params.from_dict({"teachers": {"basis": "staffing_standard"}}), registry())["teacher_demand.csv"]
    assert _city(d, level="primary", quantity="staff_needed", year=2022)["mean"] == 10
    assert _city(d, level="primary", quantity="teachers_needed", year=2022)["mean"] == pytest.approx(9.1)


def test_preschool_two_teachers_per_class_and_1_to_15():
    # 50 children in 小班 of 25 → 2 classes → 4 teachers (两教一保); 50 / 15 = 3.33
    t = preschool_teachers(np.array(50.0), np.array(2.0), ratios(params.TeacherParams()))
    assert t["two_teachers_per_class"] == 4
    assert t["max_15_children"] == pytest.approx(50 / 15)


def test_preschool_rule_picks_the_headline_and_both_are_reported():
    # SYNTHETIC: 90 children, flat births → 30 per age: 小班 25 → 2 classes, 中班 30 → 1,
    # 大班 35 → 1: 4 classes → 8 teachers; ≤1:15 → 6
    r = result({"preschool": np.full((1, 6, 1), 90.0)}, counties=("A",), draws=1)
    for rule, expected in (("two_teachers_per_class", 2 * (2 + 1 + 1)), ("max_15_children", 6)):
        rp = params.from_dict({"teachers": {"preschool_rule": rule,
                                            "basis": "staffing_standard"}})
        d = teachers.tables(r, rp, registry())["teacher_demand.csv"]
        assert _city(d, level="preschool", quantity="teachers_needed", year=2022)["mean"] == expected
        both = d[(d.quantity == "teachers_needed_by_rule") & (d.county == "全市") & (d.year == 2022)]
        assert set(both["rule"]) == {"two_teachers_per_class", "max_15_children", "actual_ratio"}


def test_small_rural_classes_sensitivity():
    # 190 pupils → 5 classes of 45; half the classes at 2.4 staff: 0.5·10 + 0.5·2.4·5 = 11
    assert rural_mix_staff(190, 5, 19, 2.4, 0.5) == pytest.approx(11)
    r = result({"primary": np.full((1, 6, 1), 190.0)}, counties=("A",), draws=1)
    rp = params.from_dict({"teachers": {"small_rural_class_share": 0.5,
                                        "basis": "staffing_standard"}})
    d = teachers.tables(r, rp, registry())["teacher_demand.csv"]
    assert _city(d, level="primary", quantity="staff_needed", year=2022)["mean"] == pytest.approx(11)
    # on the actual-ratio basis: half the classes by 190 / 18.22, half at 2.4 × (1 − 0.09)
    rp = params.from_dict({"teachers": {"small_rural_class_share": 0.5}})
    d = teachers.tables(r, rp, registry())["teacher_demand.csv"]
    assert _city(d, level="primary", quantity="teachers_needed", year=2022)["mean"] == \
        pytest.approx(0.5 * 190 / 18.22 + 0.5 * 2.4 * 5 * 0.91)
    d0 = teachers.tables(r, params.RunParams(), registry())["teacher_demand.csv"]
    row = _city(d0, level="primary", quantity="staff_needed_by_rule", rule="rural_2.4_per_class_all",
                year=2022)
    assert row["mean"] == pytest.approx(12)  # reported even at share 0


def test_psychology_teachers_with_plan_school_counts():
    # SYNTHETIC: 494 compulsory schools in 2020, 1,300 pupils each (900 primary + 400 junior
    # per school): average 1,300 > 1,200 and > 1,000 → every school needs one
    r = result({"primary": np.full((1, 6, 1), 494 * 900.0),
                "junior_secondary": np.full((1, 6, 1), 494 * 400.0),
                "senior_general": np.full((1, 6, 1), 33 * 900.0)}, counties=("A",), draws=1)
    d = teachers.tables(r, params.RunParams(), registry())["teacher_demand.csv"]
    p = _city(d, level="primary", quantity="psych_teachers_required", year=2020)["mean"]
    j = _city(d, level="junior_secondary", quantity="psych_teachers_required", year=2020)["mean"]
    assert p + j == pytest.approx(494) and p == pytest.approx(494 * 900 / 1300)
    assert _city(d, level="senior_general", quantity="psych_teachers_required", year=2020)["mean"] == 0


def test_qualification_versions_and_baselines_from_the_registry():
    tp = params.TeacherParams()
    pri = qualification_inputs(registry(), "primary", tp)
    assert {k: v[0] for k, v in pri["versions"].items()} == {"table": 0.75, "专栏9": 0.83}
    # no outturn of 本科以上 (the 2020 outturn is 专科以上): flagged, never the 2022 target
    assert np.isnan(pri["base_share"]) and "NO BASELINE" in pri["base_flag"]
    assert pri["other"][0] == pytest.approx(0.976)
    jun = qualification_inputs(registry(), "junior_secondary", tp)
    assert jun["base_share"] == pytest.approx(0.91) and jun["base_year"] == 2020
    assert {k: v[0] for k, v in jun["versions"].items()} == {"table": 0.94, "专栏9": 0.96}
    sen = qualification_inputs(registry(), "senior_general", tp)
    assert np.isnan(sen["base_share"]) and sen["other"][0] == pytest.approx(0.99)
    over = qualification_inputs(registry(), "primary", params.TeacherParams(qual_base_share_primary=0.6))
    assert over["base_share"] == 0.6 and "parameter" in over["base_basis"]


def test_registry_missing_a_qualification_target_is_a_clear_error():
    reg = registry(drop=("junior_teachers_bachelor_plus_share",))
    with pytest.raises(RegistryError, match="junior_secondary teacher qualification"):
        qualification_inputs(reg, "junior_secondary", params.TeacherParams())


def test_guangdong_stock_proxy():
    assert guangdong_ratio("primary")[0] == 18.22
    assert guangdong_ratio("preschool")[0] == pytest.approx(5003900 / 345100)
    assert guangdong_ratio("senior_general") is None
    # China's latest ratios for the levels without a Guangdong one (data/raw/china.csv)
    assert china_ratio("senior_general")[0] > 10 and china_ratio("senior_vocational")[0] > 10
    assert china_ratio("primary") is None


def test_tables_pass_checks_and_are_deterministic():
    rng = np.random.default_rng(5)
    r = result({lv: rng.uniform(1e4, 2e4, (4, 6, 2)) for lv in
                ("preschool", "primary", "junior_secondary", "senior_general")}, draws=4)
    rp = params.from_dict({"teachers": {"basis": "staffing_standard"}})
    a, b = teachers.tables(r, rp, registry()), teachers.tables(r, rp, registry())
    assert set(a) == {"teacher_demand.csv", "teacher_hiring.csv", "teacher_qualifications.csv"}
    checks.check_tables(a)
    for name in a:
        assert csv_bytes(a[name]) == csv_bytes(b[name])
        keys = [c for c in checks.KEY_CANDIDATES if c in a[name].columns]
        assert not a[name].duplicated(subset=keys).any(), name
    q = a["teacher_qualifications.csv"]
    assert set(q["version"]) == {"", "table", "专栏9"}  # "" = version-free rows (baseline, path)


@pytest.mark.parametrize("key, bad", [("attrition_rate", 0.5), ("non_teaching_share_primary", 1.0),
                                      ("preschool_rule", "one_teacher"), ("basis", "guess"),
                                      ("small_rural_class_share", -0.1)])
def test_bad_parameters_name_the_key(key, bad):
    with pytest.raises(params.ParamError, match=f"teachers.{key}"):
        params.from_dict({"teachers": {key: bad}})


def test_hiring_counts_from_the_year_after_the_last_observed_enrolment():
    """Base year 2024 (latest published inputs) but enrolment last observed in 2022-23:
    the stock baseline is 2022, so hires of 2023-2025 (the rest of the plan) are counted."""
    from qyedu import params
    from qyedu.projection import run
    from qyedu.teachers import stock_year

    rp = params.load(draws=20)
    res = run(rp.forecast)
    assert rp.forecast.base_year == 2024 and stock_year(res, 2024) == 2022
    early = run(params.load(draws=20, base_year=2020).forecast)
    assert stock_year(early, 2020) == 2020  # 2022-23 enrolment not yet published
