"""The plan's places promises against demand: shortfall/surplus, peak year, places needed
only until the peak. SYNTHETIC projections; promise values from an inline SYNTHETIC registry."""

import numpy as np
import pytest
from support.places import registry, result

from qyedu import params, places
from qyedu.places.plan_lookup import RegistryError
from qyedu.places.promises import analyse, peak_year_mode, promise_value

YEARS = np.arange(2020, 2036)


def test_promise_values_come_from_the_registry():
    v, year, src, note = promise_value(registry(), "compulsory_new_places")
    assert v == 50000 and year == 2025  # 5 万个 on one line, 50000 个 on another: same value
    assert "line 470" in src and "line 475" in src and note == ""
    assert promise_value(registry(), "senior_new_public_places")[0] == 7400


def test_shortfall_surplus_and_idle_places_by_hand():
    # SYNTHETIC demand: 100,000 in 2020, +10,000 a year to 2026 (160,000), then down to 120,000
    path = np.concatenate([100000 + 10000 * np.arange(7), np.linspace(150000, 120000, 9)])
    a = analyse(path[None, :], YEARS, promised=50000, base_year=2020, target_year=2025)
    need = dict(zip(a["years"], a["need"][0], strict=True))
    assert need[2025] == 50000 and need[2026] == 60000 and need[2035] == 20000
    surplus = dict(zip(a["years"], a["surplus"][0], strict=True))
    assert surplus[2024] == 10000 and surplus[2026] == -10000  # shortfall of 10,000
    assert a["peak_year"][0] == 2026 and a["peak_demand"][0] == 160000
    assert a["promise_needed"][0] == 50000  # the whole promise is needed at the peak
    assert a["idle_at_horizon"][0] == 30000  # 50,000 needed at the peak, 20,000 in 2035


def test_peak_year_over_draws_mode_and_median():
    # SYNTHETIC: three draws peaking in 2023, 2023 and 2030
    d = np.zeros((3, len(YEARS)))
    for i, peak in enumerate((2023, 2023, 2030)):
        d[i] = -np.abs(YEARS - peak)
    a = analyse(d, YEARS, promised=1, base_year=2020, target_year=2025)
    assert list(a["peak_year"]) == [2023, 2023, 2030]
    assert peak_year_mode(a["peak_year"]) == 2023 and np.median(a["peak_year"]) == 2023


def test_falling_demand_needs_none_of_the_promise():
    a = analyse(np.linspace(200, 100, len(YEARS))[None, :], YEARS, 25000, 2020, 2025)
    assert a["promise_needed"][0] == 0 and a["idle_at_horizon"][0] == 0
    assert a["peak_year"][0] == 2020


def test_promise_rows_on_a_tiny_projection():
    # SYNTHETIC: compulsory (primary only) 500,000 in 2020 rising 15,000 a year → +75,000 in
    # 2025 → 25,000 short of need (promise 50,000); general senior flat → 7,400 surplus.
    pr = 500000 + 15000 * np.arange(6)
    r = result({"primary": pr[None, :, None], "senior_general": np.full((1, 6, 1), 70000.0),
                "preschool": np.full((1, 6, 1), 150000.0)}, counties=("A",), draws=1)
    t = places.tables(r, params.RunParams(), registry())["places_promises.csv"]
    row = t[(t.promise == "compulsory_new_places") & (t.year == 2025)].set_index("quantity")
    assert row.loc["additional_places_needed", "mean"] == 75000
    assert row.loc["surplus", "mean"] == -25000 and row.loc["prob_shortfall", "mean"] == 1
    assert row.loc["schools_promised", "mean"] == 40
    assert row.loc["schools_needed_at_promised_size", "mean"] == 75000 / 1250
    sen = t[(t.promise == "senior_new_public_places") & (t.year == 2025)].set_index("quantity")
    assert sen.loc["surplus", "mean"] == 7400
    summ = t[(t.promise == "compulsory_new_places") & t.year.isna()].set_index("quantity")
    assert summ.loc["peak_year_mode", "mean"] == 2025
    assert summ.loc["idle_at_horizon", "mean"] == 0
    assert "total demand" in summ.loc["peak_year", "basis"]


def test_public_share_applies_to_public_promises():
    # SYNTHETIC: preschool +10,000 children by 2025 at public share 0.6 → need 6,000 public
    kids = 100000 + 2000 * np.arange(6)
    r = result({"preschool": kids[None, :, None]}, counties=("A",), draws=1)
    rp = params.from_dict({"places": {"public_share_preschool": 0.6}})
    t = places.tables(r, rp, registry())["places_promises.csv"]
    row = t[(t.promise == "preschool_new_public_places") & (t.year == 2025)].set_index("quantity")
    assert row.loc["additional_places_needed", "mean"] == pytest.approx(6000)
    assert row.loc["surplus", "mean"] == pytest.approx(19000)


@pytest.mark.parametrize("missing", ["compulsory_new_places", "preschool_new_public_places",
                                     "senior_new_public_places"])
def test_registry_missing_a_promise_is_a_clear_error(missing):
    r = result({"primary": np.full((1, 6, 1), 1000.0)}, counties=("A",), draws=1)
    with pytest.raises(RegistryError, match=f"promise '{missing}'"):
        places.tables(r, params.RunParams(), registry(drop=(missing,)))


def test_schools_promise_is_optional():
    r = result({"primary": np.full((1, 6, 1), 1000.0)}, counties=("A",), draws=1)
    t = places.tables(r, params.RunParams(), registry(drop=("compulsory_new_schools",)))
    assert "schools_promised" not in set(t["places_promises.csv"]["quantity"])
