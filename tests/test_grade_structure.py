"""The junior grade-structure check (qyedu.projection.grade_structure). Areas A and B are
synthetic (constant or falling births, made-up enrolment); the real-panel test reads
data/raw/validation/provinces.csv."""

from __future__ import annotations

import pandas as pd
import pytest

from qyedu import paths
from qyedu.cli import main
from qyedu.observed.area import AreaData
from qyedu.projection.grade_structure import FOUR_YEAR_FLAG, four_year_note, grade_index


def _area(births: dict, enrolment: dict, intake: dict) -> AreaData:
    b = pd.Series(births, dtype=float).sort_index()

    def rows(d):
        return pd.DataFrame([{"year": y, "level": "junior_secondary", "value": v,
                              "source_line": 2 + k} for k, (y, v) in enumerate(d.items())])
    return AreaData("A", b, pd.Series("published count", index=b.index), rows(enrolment),
                    rows(intake))


def test_three_grades_of_equal_cohorts_give_index_one_and_no_note():
    a = _area({y: 1000.0 for y in range(1990, 2021)}, {2015: 3000.0}, {2015: 1000.0})
    g = grade_index(a)
    assert g["expected"].tolist() == pytest.approx([3.0])
    assert g["index"].tolist() == pytest.approx([1.0])
    assert bool(g["from_births"].iloc[0])
    assert four_year_note(a) is None


def test_falling_cohorts_raise_the_expected_ratio():
    """Births fall 10 % a year: the older cohorts are larger, so three grades hold more than
    3 entrants' worth; an enrolment matching them is index 1, not flagged."""
    births = {y: 1000.0 * 0.9 ** (y - 1990) for y in range(1990, 2021)}
    c = {a: 4 / 12 * births[2015 - a - 1] + 8 / 12 * births[2015 - a] for a in (12, 13, 14)}
    expected = sum(c.values()) / c[12]
    assert expected == pytest.approx(1 + 1 / 0.9 + 1 / 0.81)
    a = _area(births, {2015: expected * 500.0}, {2015: 500.0})
    assert grade_index(a)["index"].tolist() == pytest.approx([1.0])
    assert four_year_note(a) is None


def test_four_grades_are_flagged_with_the_share():
    """Four-year junior schools throughout: 4 entrants' worth, index 4/3, share 100 %."""
    a = _area({y: 1000.0 for y in range(1990, 2021)}, {2014: 3100.0, 2015: 4000.0},
              {2014: 1000.0, 2015: 1000.0})
    assert grade_index(a)["index"].tolist() == pytest.approx([31 / 30, 4 / 3])
    note = four_year_note(a)
    assert note.startswith("junior enrolment in 2015 is 4.00 × its intake, 1.33 × what three "
                           "grades hold (by its cohorts' births): about 100 % of pupils")
    assert four_year_note(a, base_year=2014) is None  # the vintage sees only 2014
    assert 1.11 < FOUR_YEAR_FLAG < 1.112


def test_without_births_cohorts_are_taken_as_equal():
    a = _area({y: 1000.0 for y in range(2010, 2021)}, {2014: 3500.0}, {2014: 1000.0})
    g = grade_index(a)
    assert g["expected"].tolist() == [3.0] and not bool(g["from_births"].iloc[0])
    assert "(cohorts taken as equal, their births not given): about 50 % of" in four_year_note(a)


def test_forecast_names_shanghai_five_four_but_not_a_six_three_province(capsys, tmp_path):
    panel = paths.data_raw() / "validation" / "provinces.csv"
    for area, flagged in (("上海市", True), ("山东省", False)):
        assert main(["forecast", "--area-data", str(panel), "--area", area, "--base-year",
                     "2014", "--horizon", "2015", "--draws", "50",
                     "--out", str(tmp_path / "f.csv")]) == 0
        out = capsys.readouterr().out
        assert ("五四制" in out) is flagged, area
    # 上海's 2014: 3,803 pupils per 1,000 entrants (provinces.csv), no births for 1999
    assert main(["forecast", "--area-data", str(panel), "--area", "上海市", "--base-year",
                 "2014", "--horizon", "2015", "--draws", "50",
                 "--out", str(tmp_path / "f.csv")]) == 0
    assert ("上海市: note: junior enrolment in 2014 is 3.80 × its intake, 1.27 × what three "
            "grades hold (cohorts taken as equal, their births not given): about 80 % of "
            "pupils") in capsys.readouterr().out


def test_python_api_warns_as_the_command_notes():
    import qyedu

    panel = paths.data_raw() / "validation" / "provinces.csv"
    with pytest.warns(UserWarning, match=r"上海市: junior enrolment in 2014 is 3\.80 × its intake"):
        qyedu.area_forecast(panel, "上海市", base_year=2014, horizon=2015, draws=50)
