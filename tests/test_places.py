"""School places: class rounding, kindergarten age groups, capacity from places.csv,
public shares, quantiles on draws. Results are pinned on SYNTHETIC projections (hand-built
ProjectionResult objects) and the real data/raw files."""

import numpy as np
import pandas as pd
import pytest
from support.places import registry, result

from qyedu import checks, params, places
from qyedu.io import csv_bytes
from qyedu.places.capacity import capacity_paths
from qyedu.places.classes import age_shares, classes_needed, kindergarten_classes
from qyedu.places.demand import public_shares
from qyedu.places.registry import RegistryError


def _one(df, **keys):
    for k, v in keys.items():
        df = df[df[k] == v]
    assert len(df) == 1, keys
    return df.iloc[0]


def test_classes_round_up():
    assert classes_needed(90, 45) == 2
    assert classes_needed(91, 45) == 3
    assert classes_needed(0, 45) == 0
    assert classes_needed(90.0000000001, 45) == 2  # float noise does not add a class


def test_classes_rounded_per_county_and_summed_for_the_city():
    # SYNTHETIC: 10 primary pupils in each of two counties → 1 class each, city 2 (not 1)
    r = result({"primary": np.full((1, 6, 2), 10.0)}, draws=1)
    d = places.demand_table(r, params.RunParams(), registry())
    q = d[(d.quantity == "classes_needed") & (d.level == "primary") & (d.year == 2022)]
    assert _one(q, county="A")["mean"] == 1
    assert _one(q, county="全市")["mean"] == 2


def test_quantiles_are_taken_on_draws_not_divided():
    # SYNTHETIC: draws of 45 and 46 pupils → 1 and 2 classes → mean 1.5 (ceil(45.5/45) would be 2)
    r = result({"primary": np.array([45.0, 46.0])[:, None, None] * np.ones((2, 6, 1))},
               counties=("A",), draws=2)
    d = places.demand_table(r, params.RunParams(), registry())
    row = _one(d, quantity="classes_needed", level="primary", county="A", year=2025)
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


def test_capacity_from_published_places():
    cap = capacity_paths(params.PlacesParams(), registry(), 2030)
    comp = dict(zip(cap["compulsory"].years, cap["compulsory"].places, strict=True))
    # 2022-23 enrolment 422,369 + 179,987; 2023-25 75,850 × 20,500/22,500 phased evenly
    assert comp[2022] == 422369 + 179987
    assert comp[2023] == pytest.approx(602356 + 75850 * 20500 / 22500 / 3)
    assert comp[2025] == pytest.approx(602356 + 75850 * 20500 / 22500)
    assert comp[2030] == comp[2025]  # nothing planned after 2025
    sen = dict(zip(cap["senior_general"].years, cap["senior_general"].places, strict=True))
    assert sen[2025] == pytest.approx(76891 + 75850 * 2000 / 22500)
    pre = dict(zip(cap["preschool"].years, cap["preschool"].places, strict=True))
    assert pre[2020] == 171158 and pre[2022] == 171158 + 5540 + 2000
    assert pre[2025] == pytest.approx(171158 + 5540 + 2000 + 10290)
    assert "lower bound on need" in cap["compulsory"].basis


def test_capacity_parameters_split_and_phasing():
    pp = params.PlacesParams(senior_share_2023_25=0.2, phase_2023_25=(0, 0, 1))
    cap = capacity_paths(pp, registry(), 2026)
    sen = dict(zip(cap["senior_general"].years, cap["senior_general"].places, strict=True))
    assert sen[2024] == 76891 and sen[2025] == pytest.approx(76891 + 0.2 * 75850)


def test_public_shares_default_to_school_counts():
    s = public_shares(params.PlacesParams(), registry())
    assert s["compulsory"][0] == pytest.approx(468 / 494)
    assert s["preschool"][0] == 0.5 and s["senior_general"][0] == 1.0


def test_gap_is_capacity_minus_demand():
    # SYNTHETIC: compulsory demand 600,000 every year → gap 2022 = 602,356 − 600,000
    r = result({"primary": np.full((1, 6, 1), 400000.0),
                "junior_secondary": np.full((1, 6, 1), 200000.0)}, counties=("A",), draws=1)
    d = places.demand_table(r, params.RunParams(), registry())
    assert _one(d, quantity="gap", level="compulsory", year=2022)["mean"] == 2356
    avg = _one(d, quantity="avg_class_size_if_crowded", level="primary", year=2022)["mean"]
    assert avg == pytest.approx(45 * 600000 / 602356)


def test_tables_pass_checks_and_are_deterministic():
    rng = np.random.default_rng(3)
    r = result({lv: rng.uniform(1e4, 2e4, (5, 6, 2)) for lv in
                ("preschool", "primary", "junior_secondary", "senior_general")}, draws=5)
    a = places.tables(r, params.RunParams(), registry())
    b = places.tables(r, params.RunParams(), registry())
    assert set(a) == {"places_demand.csv", "places_promises.csv"}
    checks.check_tables(a)
    for name in a:
        assert csv_bytes(a[name]) == csv_bytes(b[name])
        keys = [c for c in checks.KEY_CANDIDATES if c in a[name].columns]
        assert not a[name].duplicated(subset=keys).any(), name
    assert {"basis", "note"} <= set(a["places_demand.csv"].columns)


def test_class_size_parameter_overrides_standard():
    rp = params.from_dict({"places": {"class_size_primary": 40}})
    r = result({"primary": np.full((1, 6, 1), 80.0)}, counties=("A",), draws=1)
    d = places.demand_table(r, rp, registry())
    row = _one(d, quantity="classes_needed", level="primary", county="A", year=2020)
    assert row["mean"] == 2 and "places.class_size_primary" in row["basis"]


@pytest.mark.parametrize("section, key, bad", [
    ("places", "class_size_primary", 0),
    ("places", "phase_2023_25", [0.5, 0.5, 0.5]),
    ("places", "public_share_compulsory", 1.5),
    ("places", "preschool_age_split", "by_magic"),
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


def test_synthetic_builders_are_consistent():
    r = result({"primary": np.ones((3, 6, 2))})
    assert r.city().shape == (3, 6, 5)
    assert set(registry()["indicator_id"]) >= {"compulsory_new_places"}
