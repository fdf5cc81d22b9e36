"""County figures honest about their basis: without county data the county shortages are a
range across the siting assumptions (named); the bureau's school-sites drop-in file switches
the county capacity to the data; a bad file stops with exit 2 naming the file and line.
SYNTHETIC projections (tests/support/places.py) and SYNTHETIC site files written here."""

import numpy as np
import pytest
from support.places import registry, result

from qyedu import params, paths, places
from qyedu.errors import InputError
from qyedu.places.bureau import read_sites

HEADER = "school,county,level,places,opening_year,status\n"


def _r(primary=2e5):
    f = np.array([0.9, 1.0, 1.1])[:, None, None]
    lv = {k: np.full((1, 6, 2), v) * f for k, v in (("primary", primary),
                                                    ("junior_secondary", 9e4),
                                                    ("preschool", 8e4), ("senior_general", 4e4))}
    return result(lv, counties=("清城区", "英德市"), draws=3)


def test_without_county_data_shortages_are_a_named_range():
    a = places.tables(_r(), params.RunParams(), registry())["places_answers.csv"]
    q = set(a["quantity"])
    assert {"shortage_siting_no_drift", "shortage_siting_census_trend",
            "shortage_siting_demand_growth", "shortage_siting_min", "shortage_siting_max"} <= q
    one = a[(a.level == "primary") & (a.county == "清城区")].set_index(["quantity", "year"])
    for y in (2023, 2025):
        lo, hi = one.loc[("shortage_siting_min", y), "mean"], one.loc[("shortage_siting_max", y),
                                                                      "mean"]
        for v in ("no_drift", "census_trend", "demand_growth"):
            assert lo - 1e-6 <= one.loc[(f"shortage_siting_{v}", y), "mean"] <= hi + 1e-6
    assert a[a.quantity == "shortage_siting_no_drift"]["basis"].str.contains(
        "assumption: no county drift").all()


def test_sites_file_switches_county_capacity_to_the_data(tmp_path):
    f = tmp_path / "school_sites.csv"
    f.write_text(HEADER + "A小学,清城区,primary,1500,2010,existing\n"
                 "B小学,英德市,primary,600,2010,existing\n"
                 "C小学,清城区,primary,200,2024,planned\n", encoding="utf-8")
    sites = read_sites(f)
    r = _r(primary=2000)
    m = places.compute(r, params.RunParams(), registry(), sites=sites)
    yrs = list(m.cap_years["primary"])
    cap = m.capacity["primary"]
    assert cap[0, yrs.index(2023)].tolist() == [1500, 600]
    assert cap[0, yrs.index(2024)].tolist() == [1700, 600]
    assert m.county_basis == "data" and "school_sites.csv" in m.capacity_rule
    # shortage follows the file: 清城区's need (about 2,000, county shares drift) against the
    # 1,700 places of the file in 2025
    need = m.need_on_cap["primary"][1, yrs.index(2025), 0]
    assert need > 1700
    assert m.shortage["primary"][1, yrs.index(2025), 0] == pytest.approx(need - 1700)
    a = places.tables(r, params.RunParams(), registry(), m)["places_answers.csv"]
    assert "shortage_siting_bureau_sites" in set(a["quantity"])
    assert "shortage_siting_no_drift" not in set(a["quantity"])


@pytest.mark.parametrize("row, col", [("A,清城区,primary,1500,2010,open", "status"),
                                      ("A,北京区,primary,1500,2010,existing", "county"),
                                      ("A,清城区,primary,lots,2010,existing", "places"),
                                      ("A,清城区,primry,10,2010,existing", "level")])
def test_bad_sites_file_exits_2_naming_file_line_and_column(tmp_path, monkeypatch, capsys,
                                                             row, col):
    from qyedu.cli import main

    folder = tmp_path / "bureau"
    folder.mkdir()
    (folder / "school_sites.csv").write_text(HEADER + "B,英德市,primary,10,2010,existing\n"
                                             + row + "\n", encoding="utf-8")
    monkeypatch.setattr(paths, "bureau_dir", lambda: folder)
    with pytest.raises(InputError, match=f"school_sites.csv, line 3, column {col}"):
        read_sites()
    assert main(["places", "--draws", "10", "--out", str(tmp_path / "d.csv")]) == 2
    err = capsys.readouterr().err
    assert "school_sites.csv, line 3" in err and "Traceback" not in err


def test_templates_are_header_only_and_validate_their_columns():
    from qyedu.places.bureau import SITES_COLUMNS
    from qyedu.teachers.bureau import SPEC

    t = paths.templates_dir()
    assert (t / "school_sites.csv").read_text(encoding="utf-8").strip().split(",") == SITES_COLUMNS
    assert (t / "teachers.csv").read_text(encoding="utf-8").strip().split(",") == list(SPEC)
