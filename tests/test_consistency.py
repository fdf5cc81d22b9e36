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
