"""Observation drop-ins (data/raw/observed/*.csv): every number finite and plausible, years
in range, folders and empty files refused, all problems reported at once with file, line and
column (the scorecard must never judge a target on inf, 1e30 or a negative count)."""

import re

import pytest

from qyedu import plan
from qyedu.errors import InputError
from qyedu.scorecard.observations import load_observed, plausible_ranges, read_file

HEADER = "indicator,year,value,source\n"


@pytest.fixture(scope="module")
def indicators():
    return plan.parse()


def write(folder, body, name="obs.csv"):
    f = folder / name
    f.write_text(HEADER + body, encoding="utf-8")
    return f


def test_published_observation_files_load(indicators):
    obs = load_observed(indicators)
    assert len(obs) > 0 and obs["value"].notna().all()


def test_ranges_are_declared_from_the_plan_with_their_source(indicators):
    ranges = plausible_ranges(indicators)
    # 幼儿园数: the plan's largest figure is 922 (2025 target) → 0 … 9220
    lo, hi, why = ranges["kindergartens"]
    assert (lo, hi) == (0.0, 9220.0) and "plan figure 922" in why
    assert ranges["preschool_gross_enrolment_ratio"][:2] == (0.0, 200.0)


@pytest.mark.parametrize("row, message", [
    ("幼儿园数（所）,2022,inf,u", "line 2, column value: value 'inf' is not a finite number"),
    ("幼儿园数（所）,2022,1e30,u", "line 2, column value: 1e+30 is implausible for "
                             "kindergartens: expected 0 to 9220"),
    ("幼儿园数（所）,2022,-5,u", "line 2, column value: -5 is implausible for kindergartens"),
    ("幼儿园数（所）,99999,850,u", "line 2, column year: year 99999 out of range 2000–2050"),
    ("幼儿园数（所）,2022.5,850,u", "line 2, column year: year '2022.5' is not an integer"),
    ("学前三年毛入学率（%）,2022,250,u", "line 2, column value: 250 is implausible for "
                                   "preschool_gross_enrolment_ratio: expected 0 to 200"),
    ("幼儿园数（所）,2022,850,", "line 2, column source: source is empty"),
])
def test_bad_values_name_file_line_and_column(tmp_path, indicators, row, message):
    f = write(tmp_path, row + "\n")
    with pytest.raises(InputError, match=re.escape(f"{f}, {message}")):
        read_file(f, indicators)


def test_all_problems_of_all_files_are_reported_at_once(tmp_path, indicators):
    write(tmp_path, "幼儿园数（所）,2022,inf,u\n幼儿园数（所）,99999,850,u\n", "a.csv")
    write(tmp_path, "no such indicator,2022,1,u\n", "b.csv")
    (tmp_path / "x.csv").mkdir()
    with pytest.raises(InputError) as err:
        load_observed(indicators, tmp_path)
    text = str(err.value)
    assert "a.csv, line 2, column value" in text and "a.csv, line 3, column year" in text
    assert "b.csv, line 2, column indicator: unknown indicator 'no such indicator'" in text
    assert f"{tmp_path / 'x.csv'}: is a folder, expected a CSV file" in text


def test_same_indicator_and_year_twice_in_a_file(tmp_path, indicators):
    f = write(tmp_path, "幼儿园数（所）,2022,850,u\nkindergartens,2022,851,v\n")
    with pytest.raises(InputError, match=r"line 3, column year: kindergartens 2022 is already "
                                         r"given on line 2"):
        read_file(f, indicators)


def test_empty_file(tmp_path, indicators):
    f = tmp_path / "e.csv"
    f.write_text("# only a comment\n")
    with pytest.raises(InputError, match="line 1: empty file"):
        read_file(f, indicators)
