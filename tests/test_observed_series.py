"""Enrolment-series loader: the published file, richer user-dropped files, and bad files
(errors name the file and the row)."""

import re
import shutil

import pandas as pd
import pytest

from qyedu import paths
from qyedu.errors import InputError
from qyedu.observed.enrolment import city_totals, enrollment_points, grade_points
from qyedu.observed.series import read_enrollment_series, series_files

HEADER = "area,school_year,level,grade,indicator,value,unit,reliability,source_url,quote\n"


def _write(tmp_path, body, name="enrollment_by_grade.csv", header=HEADER):
    f = tmp_path / name
    f.write_text(header + body, encoding="utf-8")
    return f


def test_published_cross_section_by_level():
    pts = enrollment_points().set_index("level")["value"]
    assert pts.to_dict() == {"junior_secondary": 179987.0, "primary": 422369.0,
                             "senior_general": 76891.0, "senior_vocational": 36965.0}
    assert set(enrollment_points()["year"]) == {2022}


def test_vintage_excludes_later_school_years():
    assert enrollment_points(base_year=2021).empty
    assert len(enrollment_points(base_year=2022)) == 4


def test_richer_grade_and_county_file_is_read_without_code_change(tmp_path):
    body = "".join(f"清远市,2021-2022,primary (小学),{g},enrolled,{70000 + g},students,official,u,q\n"
                   for g in range(1, 7))
    body += "英德市,2021-2022,初中,,enrolled,40000,students,official,u,q\n"
    f = _write(tmp_path, body)
    df = read_enrollment_series([paths.raw_csv("enrollment"), f])
    assert len(df) == 4 + 7
    grades = grade_points(files=[f])
    assert list(grades["grade"]) == [1, 2, 3, 4, 5, 6]
    totals = city_totals(df).set_index(["year", "level"])
    assert totals.loc[(2021, "primary"), "value"] == sum(70000 + g for g in range(1, 7))
    assert totals.loc[(2021, "primary"), "how"] == "sum of city grades"
    assert (2021, "junior_secondary") not in totals.index  # one county is not the city


def test_file_dropped_into_data_raw_is_found(tmp_path, monkeypatch):
    shutil.copytree(paths.data_raw(), tmp_path / "data" / "raw")
    monkeypatch.setenv("QYEDU_ROOT", str(tmp_path))
    _write(tmp_path / "data" / "raw",
           "清远市,2021-2022,primary (小学),,enrolled,400000,students,official,u,q\n")
    assert [f.name for f in series_files()] == ["enrollment.csv", "enrollment_by_grade.csv"]
    pts = enrollment_points().set_index(["year", "level"])["value"]
    assert pts[(2021, "primary")] == 400000


@pytest.mark.parametrize(
    "row, message",
    [
        ("清远市,2021-2022,primary,,enrolled,abc,students,official,u,q\n", "not a number"),
        ("清远市,2021-2022,primary,,enrolled,-5,students,official,u,q\n", "negative value"),
        ("北京市,2021-2022,primary,,enrolled,5,students,official,u,q\n", "unknown area"),
        ("清远市,2021-2023,primary,,enrolled,5,students,official,u,q\n", "malformed school_year"),
        ("清远市,2021-2022,university,,enrolled,5,students,official,u,q\n", "unknown level"),
        ("清远市,2021-2022,初中,4,enrolled,5,students,official,u,q\n", "not a grade"),
        ("清远市,2021-2022,primary,,enrolled,5,students,rumour,u,q\n", "unknown reliability"),
    ],
)
def test_bad_rows_name_file_and_line(tmp_path, row, message):
    good = "清远市,2021-2022,primary,1,enrolled,5,students,official,u,q\n"
    f = _write(tmp_path, good + row)
    with pytest.raises(InputError, match=message) as err:
        read_enrollment_series([f])
    assert str(f) in str(err.value) and "line 3" in str(err.value)


def test_missing_column_is_reported_on_the_header_line(tmp_path):
    f = _write(tmp_path, "清远市,2021-2022,primary,enrolled,5,students\n",
               header="area,school_year,level,indicator,value,unit\n")
    with pytest.raises(InputError, match=r"line 1: missing required column"):
        read_enrollment_series([f])


def test_conflicting_sources_more_reliable_wins_visibly(tmp_path):
    f = _write(tmp_path, "清远市,2022-2023,primary (小学),,enrolled,422400,students,official,u,q\n")
    df = read_enrollment_series([paths.raw_csv("enrollment"), f])
    row = df[(df["level"] == "primary") & (df["year"] == 2022)]
    assert list(row["value"]) == [422400]
    assert row["replaced"].iloc[0] == "enrollment.csv:2=422369"


def test_conflicting_equally_reliable_rows_are_an_error(tmp_path):
    f = _write(tmp_path, "清远市,2022-2023,primary,,enrolled,1,students,official,u,q\n"
                         "清远市,2022-2023,primary,,enrolled,2,students,official,u,q\n")
    with pytest.raises(InputError, match="conflicting value 2") as err:
        read_enrollment_series([f])
    assert "line 3" in str(err.value)


def test_same_value_repeated_in_a_richer_file_is_kept_once(tmp_path):
    f = _write(tmp_path, "清远市,2022-2023,primary,,enrolled,422369,students,official,u,q\n")
    df = read_enrollment_series([paths.raw_csv("enrollment"), f])
    assert len(df) == 4
    assert isinstance(df, pd.DataFrame)


@pytest.mark.parametrize(
    "value, message",
    [
        ("inf", "column value: value 'inf' is not a finite number"),
        ("nan", "column value: value 'nan' is not a finite number"),
        # 10 × the published primary total (422,369, enrollment.csv line 2)
        ("1e30", "column value: 1,000,000,000,000,000,019,884,624,838,656 pupils is implausible: "
                 "more than 10 × the published city total 422,369 (enrollment.csv:2)"),
        ("4223691", "more than 10 × the published city total 422,369"),
    ],
)
def test_values_must_be_finite_and_plausible(tmp_path, value, message):
    f = _write(tmp_path, f"清远市,2021-2022,primary,,enrolled,{value},students,official,u,q\n")
    with pytest.raises(InputError, match=re.escape(message)):
        read_enrollment_series([f])


def test_ten_times_the_published_total_is_still_accepted(tmp_path):
    f = _write(tmp_path, "清远市,2021-2022,primary,,enrolled,4223690,students,official,u,q\n")
    assert read_enrollment_series([f])["value"].tolist() == [4223690]


def test_level_without_a_published_total_is_bounded_by_the_population(tmp_path):
    f = _write(tmp_path, "清远市,2021-2022,preschool,,enrolled,9e9,students,official,u,q\n")
    with pytest.raises(InputError, match=r"more than the city's resident population .*population"
                                         r"\.csv"):
        read_enrollment_series([f])


def test_school_year_out_of_range(tmp_path):
    f = _write(tmp_path, "清远市,2099-2100,primary,,enrolled,5,students,official,u,q\n")
    with pytest.raises(InputError, match=r"line 2, column school_year: school year '2099-2100' "
                                         r"out of range 2000–2050"):
        read_enrollment_series([f])


def test_empty_file_and_folder_named_like_a_csv_are_clear_errors(tmp_path):
    empty = tmp_path / "enrollment_empty.csv"
    empty.write_text("")
    folder = tmp_path / "enrollment_x.csv"
    folder.mkdir()
    with pytest.raises(InputError) as err:
        read_enrollment_series([empty, folder])
    text = str(err.value)
    assert f"{empty}, line 1: empty file (expected a header line" in text
    assert f"{folder}: is a folder, expected a CSV file" in text


def test_every_problem_is_reported_at_once_with_line_and_column(tmp_path):
    f = _write(tmp_path, "清远市,2021-2022,primary,,enrolled,inf,students,official,u,q\n"
                         "北京市,2021-2022,primary,,enrolled,5,students,rumour,u,q\n")
    with pytest.raises(InputError) as err:
        read_enrollment_series([f])
    text = str(err.value)
    assert "(3 problems)" in text
    assert "line 2, column value" in text and "line 3, column area" in text
    assert "line 3, column reliability" in text


def test_grades_must_add_up_to_the_total(tmp_path):
    body = "".join(f"清远市,2021-2022,primary,{g},enrolled,70000,students,official,u,q\n"
                   for g in range(1, 7))
    body += "清远市,2021-2022,primary,,enrolled,400000,students,official,u,q\n"
    with pytest.raises(InputError, match=r"line 8, column value: 清远市 2021 primary: total "
                                         r"400,000 but its grades \(lines 2,3,4,5,6,7\) add up "
                                         r"to 420,000"):
        read_enrollment_series([_write(tmp_path, body)])
    ok = body.replace(",400000,", ",420000,")
    assert len(read_enrollment_series([_write(tmp_path, ok, "enrollment_ok.csv")])) == 7


def test_a_county_cannot_exceed_the_city(tmp_path):
    body = ("清远市,2021-2022,初中,,enrolled,180000,students,official,u,q\n"
            "英德市,2021-2022,初中,,enrolled,190000,students,official,u,q\n")
    with pytest.raises(InputError, match=r"line 3, column value: 英德市 2021 junior_secondary: "
                                         r"190,000 pupils, more than the whole city \(180,000"):
        read_enrollment_series([_write(tmp_path, body)])


def test_the_counties_together_cannot_exceed_the_city(tmp_path):
    body = ("清远市,2021-2022,初中,,enrolled,180000,students,official,u,q\n"
            "英德市,2021-2022,初中,,enrolled,100000,students,official,u,q\n"
            "清城区,2021-2022,初中,,enrolled,100000,students,official,u,q\n")
    with pytest.raises(InputError, match="the counties add up to 200,000 pupils, more than the "
                                         "city total 180,000"):
        read_enrollment_series([_write(tmp_path, body)])
