"""Tidy accessors over population.csv and guangdong_education.csv; the plan's preschool
points; the vintage rule."""

import pytest

from qyedu.observed.names import level_code, school_year_start, year_span
from qyedu.observed.points import (
    county_census_shares,
    guangdong_education,
    population_points,
    qingyuan_births,
    series,
)


def test_qingyuan_birth_counts_and_vintage():
    assert qingyuan_births().to_dict() == {2007: 56000, 2018: 66800, 2019: 60000}
    assert qingyuan_births(base_year=2018).to_dict() == {2007: 56000, 2018: 66800}


def test_spans_use_their_last_year_for_the_vintage():
    pts = population_points()
    row = pts[pts["indicator"] == "births_5yr_total"].iloc[0]
    assert (row["year"], row["year_end"], row["value"]) == (2011, 2015, 5808800)
    assert "births_5yr_total" not in set(population_points(2014)["indicator"])
    assert "births_5yr_total" in set(population_points(2015)["indicator"])
    assert row["source_line"] == 45  # line in population.csv (header = 1)


def test_guangdong_rates_series():
    s = series("birth_rate", "广东省", base_year=2016)
    assert s.to_dict() == {2008: 11.80, 2011: 10.45, 2015: 11.12, 2016: 11.85}


def test_county_census_shares_sum_to_one_and_use_2020_census():
    s = county_census_shares()
    assert len(s) == 8 and s.sum() == pytest.approx(1.0)
    assert s["英德市"] == pytest.approx(941325 / 3969473)


def test_guangdong_education_level_codes():
    gd = guangdong_education(base_year=2018)
    assert set(gd["year"]) == {2015, 2018}
    assert set(gd["level_code"]) == {"preschool", "compulsory", "senior", "primary"}


def test_name_helpers():
    assert level_code("secondary vocational (中职)") == "senior_vocational"
    assert level_code("kindergarten") is None
    assert school_year_start("2022-2023") == 2022 and school_year_start("2022–23") == 2022
    assert school_year_start("2022-2024") is None
    assert year_span("2011-2015") == (2011, 2015) and year_span("2015-2011") is None


def test_preschool_points_from_the_registry_hold_the_published_values():
    from qyedu.observed.plan_points import preschool_points
    from qyedu.plan import load_indicators

    reg = load_indicators()
    df = preschool_points(reg).set_index(["indicator_id", "year"])["value"]
    assert df.to_dict() == {("preschool_enrolled", 2015): 156763,
                            ("preschool_enrolled", 2020): 171158,
                            ("preschool_gross_enrolment_ratio", 2015): 96.71,
                            ("preschool_gross_enrolment_ratio", 2020): 101.28}
    assert set(preschool_points(reg, base_year=2019)["year"]) == {2015}


def _copy_raw(tmp_path, name, edit):
    from qyedu import paths

    text = paths.raw_csv(name).read_text("utf-8").splitlines(keepends=True)
    out = tmp_path / f"{name}.csv"
    out.write_text(text[0] + edit(text[1]) + "".join(text[2:]), "utf-8")
    return out


@pytest.mark.parametrize("value, message", [
    ("inf", "line 2, column value: value 'inf' is not a finite number"),
    ("nan", "line 2, column value: value 'nan' is not a finite number"),
    ("-5", "line 2, column value: negative value -5.0"),
])
def test_raw_values_must_be_finite_numbers(tmp_path, value, message):
    import re

    from qyedu.errors import InputError
    from qyedu.observed import read_raw

    path = _copy_raw(tmp_path, "population", lambda line: line)
    cols = path.read_text("utf-8").splitlines()[0].split(",")
    i = cols.index("value")

    def set_value(line):
        cells = line.split(",")
        cells[i] = value
        return ",".join(cells)

    path = _copy_raw(tmp_path, "population", set_value)
    with pytest.raises(InputError, match=re.escape(f"{path}, {message}")):
        read_raw("population", path)


def test_raw_years_must_be_in_range(tmp_path):
    from qyedu.errors import InputError
    from qyedu.observed import read_raw

    path = _copy_raw(tmp_path, "population", lambda line: line)
    i = path.read_text("utf-8").splitlines()[0].split(",").index("year")

    def set_year(line):
        cells = line.split(",")
        cells[i] = "99999"
        return ",".join(cells)

    path = _copy_raw(tmp_path, "population", set_year)
    with pytest.raises(InputError, match=r"line 2, column year: year 99999 out of range 2000–2050"):
        read_raw("population", path)


def test_empty_raw_file_and_folder(tmp_path):
    from qyedu.errors import InputError
    from qyedu.observed import read_raw

    (tmp_path / "e.csv").write_text("")
    with pytest.raises(InputError, match=r"e\.csv, line 1: empty file"):
        read_raw("population", tmp_path / "e.csv")
    (tmp_path / "d.csv").mkdir()
    with pytest.raises(InputError, match=r"d\.csv: is a folder, expected a CSV file"):
        read_raw("population", tmp_path / "d.csv")


def test_raw_rates_within_their_unit_range(tmp_path):
    from qyedu import paths
    from qyedu.errors import InputError
    from qyedu.observed import read_raw

    src = paths.raw_csv("guangdong_education").read_text("utf-8")
    head, *rows = src.splitlines(keepends=True)
    cols = head.strip().split(",")
    i = next(k for k, r in enumerate(rows) if ",percent," in r)
    cells = rows[i].split(",")
    cells[cols.index("value")] = "250"
    rows[i] = ",".join(cells)
    path = tmp_path / "guangdong_education.csv"
    path.write_text(head + "".join(rows), "utf-8")
    with pytest.raises(InputError, match=rf"line {i + 2}, column value: 250 percent is "
                                         r"implausible: expected 0 to 200"):
        read_raw("guangdong_education", path)


def test_a_validated_file_is_read_once_and_a_changed_one_again(tmp_path, monkeypatch):
    """read_raw keeps what it validated per file content: the same file again is not parsed,
    the caller's copy can be changed freely, and a change of the file is seen at once."""
    from qyedu.errors import InputError
    from qyedu.observed import raw, read_raw

    path = _copy_raw(tmp_path, "population", lambda line: line)
    first = read_raw("population", path)
    first.loc[0, "value"] = -1.0  # the caller's copy only
    monkeypatch.setattr(raw, "_read_and_validate",
                        lambda *a: pytest.fail("an unchanged file was parsed again"))
    second = read_raw("population", path)
    assert second["value"].iloc[0] != -1.0 and len(second) == len(first)
    monkeypatch.undo()
    i = path.read_text("utf-8").splitlines()[0].split(",").index("value")
    lines = path.read_text("utf-8").splitlines()
    cells = lines[1].split(",")
    cells[i] = "-" + cells[i][1:]  # same length: a negative value
    path.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2, column value: negative value"):
        read_raw("population", path)
