"""Checking an area forecast against later outturns (``observed.area.read_outturns``,
``projection.area_check``, ``qyedu forecast --area-data … --outturns``). All data here are
synthetic, written in this file."""

import pandas as pd
import pytest

from qyedu.cli import main
from qyedu.errors import InputError
from qyedu.observed.area import read_outturns
from qyedu.projection.area_check import CHECK_COLUMNS, check_lines, outturn_check

HEADER = "area,year,indicator,level,value,unit,source\n"
SRC = "synthetic test row"


def _file(tmp_path, body, name="later.csv", header=HEADER):
    p = tmp_path / name
    p.write_text(header + body, encoding="utf-8")
    return p


def test_outturns_keep_the_areas_enrolment_and_count_the_rest(tmp_path):
    p = _file(tmp_path, f"A,2021,enrolment,junior,500,persons,{SRC}\n"
                        f"A,2020,enrolment,primary,1.2,万人,{SRC}\n"
                        f"A,2020,enrolment_grade9,junior,90,persons,{SRC}\n"
                        f"A,2020,enrolment,compulsory,999,persons,{SRC}\n"
                        f"B,2020,enrolment,primary,7,persons,{SRC}\n"
                        f"A,2020,schools,junior,3,schools,{SRC}\n")
    got, ignored = read_outturns(p, "A")
    assert got[["year", "level", "value", "source_line"]].values.tolist() == [
        [2021, "junior_secondary", 500.0, 2], [2020, "primary", 12_000.0, 3]]
    assert ignored == {"enrolment compulsory": 1, "enrolment_grade9 junior": 1,
                       "schools junior": 1}


@pytest.mark.parametrize("body, line, words", [
    (f"A,2021,enrolment,primary,,persons,{SRC}\n", 2, "missing or not a number"),
    (f"A,2020,schools,junior,x,schools,{SRC}\nA,2021,enrolment,primary,-3,persons,{SRC}\n", 3,
     "negative value"),
    (f"A,2021,enrolment,primary,5,dozens,{SRC}\n", 2, "unit 'dozens'"),
])
def test_bad_outturn_rows_name_file_and_line(tmp_path, body, line, words):
    p = _file(tmp_path, body)
    with pytest.raises(InputError) as e:
        read_outturns(p, "A")
    assert f"line {line}" in str(e.value) and words in str(e.value) and "later.csv" in str(e.value)


def test_an_area_without_rows_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no rows for area 'Z'"):
        read_outturns(_file(tmp_path, f"A,2021,enrolment,primary,5,persons,{SRC}\n"), "Z")


def _forecast():
    return pd.DataFrame({"year": [2019, 2020, 2021, 2020], "level": ["primary"] * 3 + ["junior_secondary"],
                         "quantity": "enrolled", "p05": [100.0, 90, 80, 45],
                         "p50": [100.0, 100, 100, 50], "p95": [100.0, 110, 120, 55]})


def test_outturn_check_sets_each_outturn_beside_its_band():
    later = pd.DataFrame({"year": [2019, 2020, 2021, 2020, 2022],
                          "level": ["primary", "primary", "primary", "junior_secondary", "primary"],
                          "value": [100.0, 125, 80, 50, 100], "source": list("abcde")})
    c = outturn_check(_forecast(), later, 2019)
    assert list(c.columns) == CHECK_COLUMNS
    # 2019 is the base year, 2022 is past the forecast: neither is checked
    assert c[["level", "year", "lead", "inside"]].values.tolist() == [
        ["junior_secondary", 2020, 1, True], ["primary", 2020, 1, False],
        ["primary", 2021, 2, True]]
    # (p50 − outturn) / outturn: 100 vs 125 → −20 %; 100 vs 80 → +25 %
    assert c["error_pct"].tolist() == pytest.approx([0.0, -20.0, 25.0])
    lines = check_lines(c, "A", 2019)
    assert lines[0].startswith("A: 2 of 3 outturns after 2019 inside p05–p95")
    assert "median error +0.0 %" in lines[0]
    assert "OUTSIDE" in lines[2] and "125" in lines[2]
    assert check_lines(c.iloc[:0], "A", 2019) == [
        "A: no outturn after 2019 that the forecast covers"]


def test_forecast_checks_outturns_end_to_end(tmp_path, capsys):
    births = "".join(f"T,{y},births,all,10000,persons,{SRC}\n" for y in range(2001, 2020))
    area = _file(tmp_path, births + f"T,2019,enrolment,primary,66000,persons,{SRC}\n"
                                    f"T,2021,enrolment,primary,1,persons,{SRC}\n", "area.csv")
    later = _file(tmp_path, f"T,2020,enrolment,primary,66000,persons,{SRC}\n"
                            f"T,2020,teachers,primary,4000,persons,{SRC}\n")
    out = tmp_path / "f.csv"
    assert main(["forecast", "--area-data", str(area), "--base-year", "2019", "--horizon", "2022",
                 "--draws", "200", "--outturns", str(later), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "later.csv: uses its enrolment rows; ignores teachers primary (1)" in text
    # the outturn file's 2020 and the area file's own 2021 (1 pupil: far outside)
    assert "1 of 2 outturns after 2019 inside p05–p95" in text
    assert "(later.csv line 2)" in text and "(area.csv line 22)" in text
    f = pd.read_csv(out)
    p = f[(f["level"] == "primary") & (f["year"] == 2020) & (f["quantity"] == "enrolled")]
    assert p["p05"].iloc[0] <= 66000 <= p["p95"].iloc[0]
    bad = _file(tmp_path, f"T,2020,enrolment,primary,many,persons,{SRC}\n", "bad.csv")
    mtime = out.stat().st_mtime_ns
    assert main(["forecast", "--area-data", str(area), "--base-year", "2019", "--horizon", "2022",
                 "--draws", "200", "--outturns", str(bad), "--out", str(out)]) == 2
    assert "bad.csv, line 2" in capsys.readouterr().err
    assert not out.exists() or out.stat().st_mtime_ns == mtime  # a bad file writes nothing


def test_qingyuans_forecast_checks_outturns_after_each_levels_last_observation(tmp_path,
                                                                               capsys):
    """Qingyuan's own run: the outturns of 清远市 (or 清远, 全市) after each level's last
    observation (preschool 2020, the school levels 2022), leads counted from it."""
    later = _file(tmp_path, f"清远,2021,enrolment,preschool,180000,persons,{SRC}\n"
                            f"全市,2023,enrolment,primary,430000,persons,{SRC}\n"
                            f"清远市,2022,enrolment,primary,422369,persons,{SRC}\n"
                            f"英德市,2023,enrolment,primary,1,persons,{SRC}\n")
    out = tmp_path / "f.csv"
    assert main(["forecast", "--draws", "200", "--outturns", str(later), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "outturns after each level's last observation inside p05–p95" in text
    assert "of 2 outturns" in text  # 2022 was observed; 英德市 is another area
    f = pd.read_csv(out)
    row = f[(f["county"] == "全市") & (f["level"] == "primary") & (f["year"] == 2023)
            & (f["quantity"] == "enrolled")].iloc[0]
    want = "inside" if row["p05"] <= 430000 <= row["p95"] else "OUTSIDE"
    line = next(x for x in text.splitlines() if "primary           2023" in x)
    assert "(lead 1)" in line and want in line and "(later.csv line 3)" in line
    assert "preschool         2021 (lead 1)" in text


def test_the_committed_command_check_scores_the_commands_own_output(tmp_path, capsys):
    """``validation.command_check`` runs what ``qyedu forecast --area-data`` runs: for one
    held-out province its rows are the command's p05 / p50 / p95 exactly."""
    from qyedu import paths
    from qyedu.validation.command_check import (
        HORIZON,
        ORIGIN,
        _check,
        command_check_summary,
    )

    prov = paths.data_raw() / "validation" / "provinces.csv"
    held = paths.data_raw() / "validation" / "provinces_2020_2023.csv"
    later, _ = read_outturns(held, "陕西省")
    got = _check(prov, "陕西省", HORIZON["provinces"], later.assign(source="x"))
    out = tmp_path / "f.csv"
    assert main(["forecast", "--area-data", str(prov), "--area", "陕西省", "--base-year",
                 str(ORIGIN), "--horizon", str(HORIZON["provinces"]), "--out", str(out)]) == 0
    f = pd.read_csv(out)
    f = f[f["quantity"] == "enrolled"].set_index(["level", "year"])
    assert len(got) == len(later) == 6
    for r in got.itertuples():
        assert (r.p05, r.p50, r.p95) == pytest.approx(tuple(f.loc[(r.level, r.year),
                                                                  ["p05", "p50", "p95"]]))
    capsys.readouterr()
    hand = pd.DataFrame({"level": ["primary", "primary", "junior_secondary"],
                         "inside": [True, False, True]})
    assert command_check_summary(hand) == \
        "2 of 3 inside p05–p95 (junior_secondary 1/1, primary 1/2)"


def test_outturns_before_the_tables_first_year_get_a_hint(tmp_path, capsys):
    """Leads count from the area's last observation (2019), not the base year; an outturn
    the table does not reach (it starts at --base-year 2021) is named with the fix."""
    births = "".join(f"T,{y},births,all,10000,persons,{SRC}\n" for y in range(2001, 2020))
    area = _file(tmp_path, births + f"T,2019,enrolment,primary,66000,persons,{SRC}\n", "a.csv")
    later = _file(tmp_path, f"T,2020,enrolment,primary,66000,persons,{SRC}\n"
                            f"T,2022,enrolment,primary,66000,persons,{SRC}\n")
    out = tmp_path / "f.csv"
    assert main(["forecast", "--area-data", str(area), "--base-year", "2021", "--horizon",
                 "2023", "--draws", "100", "--outturns", str(later), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "1 of 1 outturns after 2019 inside p05–p95" in text  # 2022 only, at lead 3
    assert "primary           2022 (lead 3)" in text
    assert main(["forecast", "--area-data", str(area), "--base-year", "2021", "--horizon",
                 "2023", "--draws", "100", "--outturns",
                 str(_file(tmp_path, f"T,2020,enrolment,primary,1,persons,{SRC}\n", "l2.csv")),
                 "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "no outturn after 2019 that the forecast covers" in text
    assert "the table starts in 2021 (--base-year); give --base-year 2019" in text


def test_outturns_in_qingyuans_enrolment_series_schema(tmp_path):
    """The bureau's figures as data/raw/enrollment*.csv holds them (school_year, labelled
    levels, enrolled, students) are read as outturns; grade rows and counties are not."""
    head = "area,school_year,level,grade,indicator,value,unit,reliability,source_url,quote\n"
    p = _file(tmp_path, "清远市,2023-2024,primary (小学),,enrolled,431000,students,official,s,s\n"
                        "清远市,2023-2024,primary (小学),1,enrolled,70000,students,official,s,s\n"
                        "英德市,2023-2024,初中,,enrolled,30000,students,official,s,s\n"
                        "清远市,2023–24,junior secondary (初中),,enrolled,182000,students,official,"
                        "s,s\n", header=head)
    got, ignored = read_outturns(p, "清远市")
    assert got[["year", "level", "value", "source_line"]].values.tolist() == [
        [2023, "junior_secondary", 182000.0, 5], [2023, "primary", 431000.0, 2]]
    assert ignored == {"enrolment primary (小学) (grade)": 1}


def test_a_file_of_several_areas_needs_one_named(tmp_path, capsys):
    import qyedu

    f = _file(tmp_path, f"A,2019,enrolment,primary,5,persons,{SRC}\n"
                        f"B,2019,enrolment,primary,5,persons,{SRC}\n", "two.csv")
    assert main(["forecast", "--area-data", str(f), "--out", str(tmp_path / "f.csv")]) == 2
    assert "several areas in the file; choose one with --area NAME" in capsys.readouterr().err
    with pytest.raises(InputError, match="two.csv: several areas .*: A, B"):
        qyedu.area_forecast(f)
