"""Bad input a researcher may feed the command line and the Python API: each is a clear error
naming the file, line or parameter (exit 2 on the command line, no traceback, nothing
written), never an internal error. Every file here is SYNTHETIC, written into tmp_path: a
made-up area "Testville" with made-up figures, never data/raw or a report."""

from __future__ import annotations

import pandas as pd
import pytest

import qyedu
from qyedu.cli import main
from qyedu.errors import InputError
from qyedu.params import ParamError

HEAD = "area,year,indicator,level,value,unit,source\n"
# synthetic rows: births 1998-2018, year-end populations and primary enrolment 2016-18 of a
# made-up area, enough for the flow to project primary as of 2018
ROWS = ["Testville,2010,population_yearend,all,90000,persons,synthetic",
        "Testville,2011,population_yearend,all,91000,persons,synthetic"]
ROWS[:0] = [f"Testville,{y},births,all,{1000 + 10 * (y - 1998)},persons,synthetic"
            for y in range(1998, 2019)]
ROWS += [f"Testville,{y},enrolment,primary,{6300 + 50 * (y - 2016)},persons,synthetic"
         for y in range(2016, 2019)]


def _file(tmp_path, name, rows=ROWS, head=HEAD, encoding="utf-8"):
    """A synthetic area table (``rows`` after ``head``)."""
    path = tmp_path / name
    path.write_bytes((head + "".join(r + "\n" for r in rows)).encode(encoding))
    return path


def _run(capsys, *args):
    """(exit code, stderr) of ``qyedu ARGS``."""
    code = main([str(a) for a in args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def _forecast(capsys, tmp_path, *args):
    out = tmp_path / "out.csv"
    code, err = _run(capsys, "forecast", *args, "--base-year", "2018", "--draws", "20",
                     "--out", out)
    assert not out.exists()  # a refused input writes nothing
    return code, err


@pytest.mark.parametrize("text", ["", "\n\n", "   \n"])
def test_an_empty_area_file_is_bad_input_not_an_internal_error(tmp_path, capsys, text):
    empty = tmp_path / "empty.csv"
    empty.write_text(text, encoding="utf-8")
    code, err = _forecast(capsys, tmp_path, "--area-data", empty)
    assert code == 2
    assert f"{empty}, line 1: empty file (expected a header line with area, year" in err


def test_an_empty_outturn_file_is_bad_input(tmp_path, capsys):
    empty = tmp_path / "later.csv"
    empty.write_text("", encoding="utf-8")
    code, err = _forecast(capsys, tmp_path, "--area-data", _file(tmp_path, "a.csv"),
                          "--outturns", empty)
    assert code == 2 and f"{empty}, line 1: empty file" in err


def test_a_gbk_file_names_the_line_of_its_first_non_utf8_byte(tmp_path, capsys):
    rows = ROWS[:1] + ["Testville,2011,出生人口,all,1010,人,synthetic"]  # line 3 is Chinese
    gbk = _file(tmp_path, "gbk.csv", rows, encoding="gbk")
    code, err = _forecast(capsys, tmp_path, "--area-data", gbk)
    assert code == 2 and f"{gbk}, line 3: not UTF-8 text" in err and "CSV UTF-8" in err


def test_an_excel_workbook_is_named_as_one(tmp_path, capsys):
    book = tmp_path / "area.xlsx"
    pd.DataFrame({"area": ["Testville"]}).to_excel(book, index=False)
    code, err = _forecast(capsys, tmp_path, "--area-data", book)
    assert code == 2 and f"{book}: an Excel workbook" in err


def test_an_unquoted_thousands_comma_names_its_line(tmp_path, capsys):
    bad = _file(tmp_path, "comma.csv", ROWS[:2] + ["Testville,2012,births,all,1,020,persons,s"])
    code, err = _forecast(capsys, tmp_path, "--area-data", bad)
    assert code == 2 and f"{bad}, line 4: 8 fields where the header has 7" in err


def test_rows_longer_than_the_header_are_refused_not_shifted(tmp_path, capsys):
    """Every row with a trailing comma: pandas would read the first column as an index and
    shift the others (old message: line 2's value 'persons' is not a number)."""
    bad = _file(tmp_path, "ragged.csv", [r + "," for r in ROWS])
    code, err = _forecast(capsys, tmp_path, "--area-data", bad)
    assert code == 2 and f"{bad}, line 2: 8 fields where the header (line 1) has 7" in err


def test_an_unreadable_file_is_exit_2_naming_it(tmp_path, capsys, monkeypatch):
    """chmod 000 does not stop root (CI), so the read itself is made to fail."""
    path = _file(tmp_path, "locked.csv")

    def denied(*_, **__):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(pd, "read_csv", denied)
    code, err = _forecast(capsys, tmp_path, "--area-data", path)
    assert code == 2 and f"{path}: cannot be read: Permission denied" in err


def test_an_infinite_value_is_named_with_its_line(tmp_path, capsys):
    bad = _file(tmp_path, "inf.csv", ROWS[:1] + ["Testville,2011,births,all,inf,persons,s"])
    code, err = _forecast(capsys, tmp_path, "--area-data", bad)
    assert code == 2 and f"{bad}, line 3: value 'inf' is missing or not a number" in err


def test_a_blank_area_name_is_named_with_its_line(tmp_path, capsys):
    bad = _file(tmp_path, "blank.csv", ROWS[:2] + [" ,2012,births,all,1020,persons,s"])
    code, err = _forecast(capsys, tmp_path, "--area-data", bad)
    assert code == 2 and f"{bad}, line 4: area is empty" in err


def test_a_zero_population_is_refused_not_averaged_in(tmp_path, capsys):
    """A year-end population of 0 used to halve the births derived from a birth rate."""
    rows = [r.replace("90000", "0") for r in ROWS]  # the 2010 population, line 23
    bad = _file(tmp_path, "zero.csv", rows)
    code, err = _forecast(capsys, tmp_path, "--area-data", bad)
    assert code == 2 and f"{bad}, line 23: year-end population 0" in err


@pytest.mark.parametrize("year", ["1990", "2150", "-5"])
def test_a_rebase_year_the_data_cannot_carry_names_the_option(tmp_path, capsys, year):
    """1990: no year-end populations for 1989 and 1990 (old: exit 0, the option ignored);
    2150, -5: not a calendar year (old: every row dropped, then 'several areas: ')."""
    code, err = _forecast(capsys, tmp_path, "--area-data", _file(tmp_path, "a.csv"),
                          "--rebase-population", year)
    assert code == 2 and "--rebase-population" in err and year in err
    if year != "1990":
        assert f"must be a calendar year 1900–2100, got {year}" in err
    if year == "1990":
        assert "no area has year-end populations for both 1989 and 1990" in err
        assert "population years: 2010–2011" in err


def test_the_synthetic_area_projects(tmp_path, capsys):
    """The good file the cases above spoil is itself valid (so each case tests one fault)."""
    out = tmp_path / "out.csv"
    code, _ = _run(capsys, "forecast", "--area-data", _file(tmp_path, "a.csv"), "--base-year",
                   "2018", "--horizon", "2020", "--draws", "20", "--out", out)
    assert code == 0 and "Testville" in out.read_text(encoding="utf-8")


def test_the_same_file_twice_is_named_as_such(tmp_path, capsys):
    a = _file(tmp_path, "a.csv")
    code, err = _forecast(capsys, tmp_path, "--area-data", a, a)
    assert code == 2 and f"{a}: given twice in --area-data" in err


@pytest.mark.parametrize("area_data, message", [
    ([], "got list (empty)"),
    (None, "got NoneType"),
    (pd.DataFrame({"area": ["Testville"]}), "got DataFrame (write the table with .to_csv"),
])
def test_area_forecast_says_what_area_data_must_be(area_data, message):
    with pytest.raises(InputError, match=r"area_data \(--area-data\): expected a CSV file path"
                                         r".*" + message.replace("(", r"\(").replace(")", r"\)")):
        qyedu.area_forecast(area_data, base_year=2018, draws=20)


def test_area_forecast_names_a_bad_rebase_year(tmp_path):
    with pytest.raises(InputError, match=r"rebase_population=\) must be a calendar year "
                                         r"1900–2100, got '2000'"):
        qyedu.area_forecast(_file(tmp_path, "a.csv"), base_year=2018, draws=20,
                            rebase_population="2000")


def test_area_check_names_an_empty_outturn_file(tmp_path):
    empty = tmp_path / "later.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"later\.csv, line 1: empty file"):
        qyedu.area_check(_file(tmp_path, "a.csv"), empty, base_year=2018, draws=20)


# -- parameters ------------------------------------------------------------------------------

def test_a_gbk_parameter_file_names_its_line(tmp_path, capsys):
    gbk = tmp_path / "p.yaml"
    gbk.write_bytes("forecast:\n  county: 英德市\n".encode("gbk"))  # synthetic
    code, err = _run(capsys, "params", "--check", gbk)
    assert code == 2 and f"{gbk}, line 2: parameter file is not UTF-8 text" in err


@pytest.mark.parametrize("kind", ["folder", "gbk"])
def test_a_bad_births_paths_file_is_exit_2_naming_it(tmp_path, capsys, kind):
    """births.paths_file is a path parameter: a folder was exit 1 ('Is a directory'), a GBK
    file a pydantic message without the file's name."""
    bad = tmp_path / "paths"
    if kind == "folder":
        bad.mkdir()
    else:
        bad.write_bytes("paths:\n  低: {}\n".encode("gbk"))  # synthetic
    params = _yaml(tmp_path, f"births:\n  paths_file: {bad}\n")
    code, err = _run(capsys, "params", "--check", params)
    assert code == 2 and str(bad) in err
    assert ("Is a directory" if kind == "folder" else "line 2: births paths file is not UTF-8") \
        in err


def _yaml(tmp_path, text):
    path = tmp_path / "params.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_overrides_that_are_not_a_mapping_are_a_param_error(tmp_path):
    with pytest.raises(ParamError, match="overrides must be a mapping of dotted names to "
                                         "values.*got list"):
        qyedu.area_forecast(_file(tmp_path, "a.csv"), base_year=2018, draws=20,
                            overrides=["forecast.draws=5"])


# -- calibration files named by a path parameter --------------------------------------------

@pytest.mark.parametrize("key", ["projection.band_file", "projection.ratio_drift_file",
                                 "projection.correlation_file"])
@pytest.mark.parametrize("content, message", [(b"", "line 1: empty file"),
                                              ("level,lead\n清远市,1\n".encode("gbk"), "line 2: not UTF-8")])
def test_a_calibration_file_that_is_not_a_csv_is_exit_2_naming_it(tmp_path, capsys, key,
                                                                 content, message):
    """Each was an internal error (EmptyDataError, UnicodeDecodeError; exit 1)."""
    bad = tmp_path / "calibration.csv"
    bad.write_bytes(content)  # synthetic
    code, err = _forecast(capsys, tmp_path, "--area-data", _file(tmp_path, "a.csv"),
                          "--set", f"{key}={bad}")
    assert code == 2 and f"{bad}, {message}" in err


def test_a_correlation_file_that_does_not_exist_is_exit_2_naming_it(tmp_path, capsys):
    """A mistyped path silently made the levels independent (the default file's rule)."""
    missing = tmp_path / "flow_corelation.csv"
    code, err = _forecast(capsys, tmp_path, "--area-data", _file(tmp_path, "a.csv"),
                          "--set", f"projection.correlation_file={missing}")
    assert code == 2 and f"{missing}: correlation file not found" in err


def test_scorecard_observed_must_be_a_folder(tmp_path, capsys):
    """A file given as --observed was exit 1 ('Not a directory')."""
    f = _file(tmp_path, "obs.csv")
    code, err = _run(capsys, "scorecard", "--observed", f, "--out", tmp_path / "sc.csv")
    assert code == 2 and f"{f}: is a file; --observed takes the folder" in err
    assert not (tmp_path / "sc.csv").exists()


# -- --out --------------------------------------------------------------------------------------

def test_out_may_not_replace_the_runs_own_input(tmp_path, capsys):
    """--out equal to --area-data replaced the researcher's file with the forecast."""
    a = _file(tmp_path, "a.csv")
    before = a.read_bytes()
    code, err = _run(capsys, "forecast", "--area-data", a, "--base-year", "2018",
                     "--draws", "20", "--out", a)
    assert code == 2 and f"--out {a}: is an input file of this run" in err
    assert a.read_bytes() == before


def test_out_may_not_replace_a_device_or_pipe(tmp_path, capsys):
    """A FIFO stands in for /dev/null or /dev/stdout: the atomic rename replaced the node
    itself with a regular file (as root, /dev/null too)."""
    import os
    import stat

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, err = _run(capsys, "forecast", "--area-data", _file(tmp_path, "a.csv"),
                     "--base-year", "2018", "--draws", "20", "--out", fifo)
    assert code == 2 and f"--out {fifo}: not a regular file" in err
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_scorecard_template_follows_the_out_rule(project, tmp_path, capsys):
    """--template wrote where it was told: into reports/ (a published generation changed
    outside a publishing run) or over a pipe. ``project``: a throw-away QYEDU_ROOT."""
    import os

    inside = project / "reports" / "template.csv"
    code, err = _run(capsys, "scorecard", "--template", inside)
    assert code == 2 and f"--template {inside}: inside reports/" in err
    assert not inside.exists()
    fifo = tmp_path / "template.csv"
    os.mkfifo(fifo)
    code, err = _run(capsys, "scorecard", "--template", fifo)
    assert code == 2 and f"--template {fifo}: not a regular file" in err


def test_a_birth_rate_above_1000_per_mille_is_refused(tmp_path, capsys):
    """A rate per 1,000 cannot exceed 1,000 (a percentage or a count put in the rate)."""
    rows = ROWS + ["Testville,2012,birth_rate,all,1050,per_mille,synthetic"]  # line 28
    bad = _file(tmp_path, "rate.csv", rows)
    code, err = _forecast(capsys, tmp_path, "--area-data", bad)
    assert code == 2 and f"{bad}, line 28: birth_rate 1050 per_mille is more than 1,000" in err


def test_a_malformed_school_year_in_qingyuan_outturns_is_quoted(tmp_path, capsys):
    """An outturn file in the enrolment-series schema: the error quoted year '' (the parsed
    start year) instead of what the file says."""
    later = tmp_path / "later.csv"
    later.write_text("area,school_year,level,indicator,value,unit,source\n"  # synthetic
                     "清远市,2023~2024,primary (小学),enrolled,1000,students,synthetic\n",
                     encoding="utf-8")
    code, err = _run(capsys, "forecast", "--outturns", later, "--draws", "20",
                     "--out", tmp_path / "out.csv")
    assert code == 2 and f"{later}, line 2: year '2023~2024' is not a calendar year" in err


def test_spaces_around_header_names_are_read_as_the_names(tmp_path, capsys):
    """``area, year, …`` (a space after each comma): every column but the first was
    'missing'; cells were already stripped, now the header is too."""
    spaced = _file(tmp_path, "spaced.csv", head=HEAD.replace(",", ", "))
    out = tmp_path / "out.csv"
    code, err = _run(capsys, "forecast", "--area-data", spaced, "--base-year", "2018",
                     "--horizon", "2020", "--draws", "20", "--out", out)
    assert code == 0 and "missing column" not in err and "Testville" in out.read_text("utf-8")


@pytest.mark.parametrize("kwargs, named", [
    ({"forecast": {"draws": -1}}, "forecast.draws: Input should be greater than or equal to 1"),
    ({"forecast": {"drawz": 1}}, "forecast.drawz: unknown parameter"),
    ({"teachers": {"attrition_rate": "5%"}}, "teachers.attrition_rate: Input should be a valid"),
])
def test_runparams_construction_raises_a_param_error_naming_the_key(kwargs, named):
    """RunParams(...) raised pydantic's ValidationError, unlike params.load / from_dict."""
    from qyedu.params import RunParams

    with pytest.raises(ParamError, match=r"invalid parameters in RunParams\(\.\.\.\):\n  - "
                                         + named.replace("(", r"\(")):
        RunParams(**kwargs)


@pytest.mark.parametrize("flags", [["--area", "Testville"], ["--skip-unknown", "--strict"]])
def test_area_options_without_area_data_are_refused_not_ignored(tmp_path, capsys, flags):
    """They ran Qingyuan's forecast, the option silently ignored (--rebase-population alone
    was refused)."""
    code, err = _run(capsys, "forecast", *flags, "--draws", "20", "--out", tmp_path / "o.csv")
    assert code == 2 and f"{', '.join(f for f in flags if f.startswith('--'))} appl" in err
    assert "to --area-data files only" in err and not (tmp_path / "o.csv").exists()


def test_out_inside_the_published_tree_names_the_folder_as_given(project, tmp_path, capsys):
    """data/processed is a link into .generations/: the message named .generations/."""
    live = project / ".generations" / "g1" / "processed"
    live.mkdir(parents=True)
    (project / "data" / "processed").symlink_to(live)
    out = project / "data" / "processed" / "x.csv"
    code, err = _run(capsys, "forecast", "--area-data", _file(tmp_path, "a.csv"),
                     "--base-year", "2018", "--draws", "20", "--out", out)
    assert code == 2 and f"--out {out}: inside data/processed/, which only a publishing" in err
    assert not out.exists()
