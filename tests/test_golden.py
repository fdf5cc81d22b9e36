"""Golden values of the default run at 300 draws (tests/golden/, written by
tests/golden/make_golden.py): city enrolment, every promise answer, teacher hires, and how
many plan targets have each scorecard status. A change of any of them must be deliberate."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent / "golden"))
import make_golden  # noqa: E402

KEYS = {"enrollment_city_d300.csv": ["year", "level"],
        "promises_city_d300.csv": ["promise", "year", "level", "quantity"],
        "hiring_city_d300.csv": ["year", "level", "quantity"],
        "scorecard_status_counts.csv": ["status"]}


@pytest.fixture(scope="module")
def wb():
    return make_golden.workbench()


@pytest.mark.parametrize("name", sorted(make_golden.TABLES))
def test_golden(wb, name):
    golden = pd.read_csv(make_golden.HERE / name, comment="#")
    got = make_golden.TABLES[name](wb)
    keys = KEYS[name]
    assert len(golden) > 0 and len(got) == len(golden), name
    merged = golden.merge(got, on=keys, how="outer", suffixes=("_golden", ""), indicator=True)
    assert (merged["_merge"] == "both").all(), merged.loc[merged["_merge"] != "both", keys]
    for col in [c for c in golden.columns if c not in keys]:
        pd.testing.assert_series_equal(merged[col], merged[f"{col}_golden"], check_names=False,
                                       rtol=1e-6, obj=f"{name}: {col}")


def test_goldens_hold_the_headline_answers():
    """The goldens pin what reviewers read: the 50,000-place promise in 2025 and the hires."""
    p = pd.read_csv(make_golden.HERE / "promises_city_d300.csv", comment="#")
    row = p[(p["promise"] == "compulsory_new_places") & (p["year"] == 2025)
            & (p["quantity"] == "promised_places")]
    assert row["p50"].tolist() == [50000]
    h = pd.read_csv(make_golden.HERE / "hiring_city_d300.csv", comment="#")
    assert set(h["year"]) == set(make_golden.HIRING_YEARS)
    s = pd.read_csv(make_golden.HERE / "scorecard_status_counts.csv", comment="#")
    assert s["targets"].sum() == 164
