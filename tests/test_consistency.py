"""Totals are the sums of their parts in the build's outputs: counties add up to the city
(全市) and primary + junior to compulsory, for every additive quantity."""

from __future__ import annotations

import pandas as pd
import pytest

from qyedu.labels import CITY

# (table, quantity): additive across counties (means are additive; quantiles are not)
ADDITIVE = [
    ("enrollment_forecast.csv", "enrolled"),
    ("enrollment_forecast.csv", "population_age_group"),
    ("places_demand.csv", "places_needed"),
]


def _county_sums(df: pd.DataFrame, quantity: str) -> pd.DataFrame:
    d = df[df["quantity"] == quantity]
    keys = ["year", "level"]
    city = d[d["county"] == CITY].set_index(keys)["mean"]
    parts = d[d["county"] != CITY].groupby(keys)["mean"].sum()
    return pd.DataFrame({"city": city, "parts": parts}).dropna()


@pytest.mark.parametrize("table,quantity", ADDITIVE)
def test_counties_add_up_to_the_city(small_build, table, quantity):
    _, out = small_build
    both = _county_sums(pd.read_csv(out / table), quantity)
    assert len(both) > 10, f"{table}: no county rows for {quantity}"
    pd.testing.assert_series_equal(both["parts"], both["city"], check_names=False, rtol=1e-6)


def test_primary_and_junior_add_up_to_compulsory(small_build):
    _, out = small_build
    d = pd.read_csv(out / "places_demand.csv")
    d = d[(d["quantity"] == "places_needed") & (d["county"] == CITY)]
    wide = d.pivot(index="year", columns="level", values="mean")
    pd.testing.assert_series_equal(wide["primary"] + wide["junior_secondary"],
                                   wide["compulsory"], check_names=False, rtol=1e-9)


def test_no_negative_pupils_places_or_teachers(small_build):
    _, out = small_build
    for name in ("enrollment_forecast.csv", "places_demand.csv", "teacher_demand.csv"):
        d = pd.read_csv(out / name)
        keep = ~d["quantity"].astype(str).str.contains("gap|surplus|change", regex=True)
        assert (d.loc[keep, ["mean", "p05", "p50", "p95"]] >= -1e-9).all().all(), name


def test_county_shortage_tables_use_the_target_year_and_each_peak(small_build):
    from qyedu.views import places as places_view

    _, out = small_build
    demand = pd.read_csv(out / "places_demand.csv")
    tables = places_view.county_shortages_at_peaks(demand)
    for level, t in tables.items():
        peak = places_view.shortage_peak_year(demand, level)
        years = set(t.index.get_level_values(0))
        assert years == {2025, peak}, (level, years)
        city = demand[(demand["county"] == CITY) & (demand["level"] == level)
                      & (demand["quantity"] == "shortage")]
        assert city.set_index("year").loc[peak, "p50"] == city["p50"].max()
