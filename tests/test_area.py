"""Area tables (qyedu.observed.area) and ``qyedu forecast --area-data``: a hand-written file
works, bad files exit 2 naming file and line. All data here are synthetic."""

import numpy as np
import pandas as pd
import pytest

from qyedu.cli import main
from qyedu.errors import InputError
from qyedu.observed.area import area_inputs, read_area_table

HEADER = "area,year,indicator,level,value,unit,source\n"
SRC = "synthetic test row"


def _births_rows(area="Testville", years=range(2001, 2020), value=10_000):
    return "".join(f"{area},{y},births,all,{value},persons,{SRC}\n" for y in years)


def _file(tmp_path, body, name="area.csv"):
    p = tmp_path / name
    p.write_text(HEADER + body, encoding="utf-8")
    return p


@pytest.fixture()
def good(tmp_path):
    body = _births_rows() + (
        f"Testville,2019,enrolment,primary,66000,persons,{SRC}\n"
        f"Testville,2019,enrolment,junior,31500,persons,{SRC}\n"
        f"Testville,2019,enrolment,preschool,27000,persons,{SRC}\n"
        f"Testville,2021,enrolment,primary,1,persons,{SRC} (after the base year)\n")
    return _file(tmp_path, body)


def test_births_derived_from_rate_and_mean_population(tmp_path):
    body = (f"A,2010,birth_rate,all,10,per_mille,{SRC}\n"
            f"A,2009,population_yearend,all,100,万人,{SRC}\n"
            f"A,2010,population_yearend,all,1020000,persons,{SRC}\n"
            f"A,2011,births,all,5,万人,{SRC}\n"
            f"A,2010,enrolment_per_100k,preschool,3000,per_100k,{SRC}\n")
    a = area_inputs(read_area_table(_file(tmp_path, body)), "A")
    # 10‰ × (1,000,000 + 1,020,000)/2 = 10,100; 5万 = 50,000
    assert a.births.to_dict() == {2010: pytest.approx(10_100), 2011: 50_000}
    assert a.births_how[2010] == "birth rate x mean year-end population"
    # preschool per 100k × year-end population / 100,000 = 3000 × 10.2 = 30,600
    pre = a.enrolment[a.enrolment["level"] == "preschool"]
    assert pre["value"].tolist() == [pytest.approx(30_600)]


def test_vintage_drops_later_observations(good):
    a = area_inputs(read_area_table(good), "Testville").as_of(2019)
    assert a.enrolment["year"].max() == 2019 and a.births.index.max() == 2019


@pytest.mark.parametrize("row, line, words", [
    (f"Testville,2019,enrolment,middle,5,persons,{SRC}\n", 22, "unknown level 'middle'"),
    (f"Testville,2019,enrolment,primary,-5,persons,{SRC}\n", 22, "negative value"),
    (f"Testville,2019,pupils,primary,5,persons,{SRC}\n", 22, "unknown indicator 'pupils'"),
    (f"Testville,2019,enrolment,primary,5,dozens,{SRC}\n", 22, "unit 'dozens'"),
    (f"Testville,2019,enrolment,primary,,persons,{SRC}\n", 22, "missing or not a number"),
    (f"Testville,2005,births,all,7,persons,{SRC}\n", 22, "duplicate row"),
])
def test_bad_rows_name_file_and_line(tmp_path, row, line, words):
    p = _file(tmp_path, _births_rows() + f"Testville,2019,enrolment,junior,9,persons,{SRC}\n" + row)
    with pytest.raises(InputError) as err:
        area_inputs(read_area_table(p), "Testville")
    msg = str(err.value)
    assert str(p) in msg and f"line {line}" in msg and words in msg


def test_area_without_births_is_an_error(tmp_path):
    p = _file(tmp_path, f"B,2019,enrolment,primary,5,persons,{SRC}\n")
    with pytest.raises(InputError, match=r"line 2: area 'B' has no births"):
        area_inputs(read_area_table(p), "B")


def test_cli_forecast_area_data(tmp_path, good, capsys):
    out = tmp_path / "f.csv"
    code = main(["forecast", "--area-data", str(good), "--area", "Testville", "--base-year",
                 "2019", "--horizon", "2024", "--draws", "300", "--seed", "2", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    df = pd.read_csv(out)
    assert set(df["county"]) == {"Testville"}
    enr = df[df["quantity"] == "enrolled"].set_index(["year", "level"])
    # the base year reproduces the observation exactly (births known, no drift at lead 0)
    assert enr.loc[(2019, "primary"), "p50"] == pytest.approx(66_000)
    assert enr.loc[(2019, "junior_secondary"), "p05"] == pytest.approx(31_500)
    # the 2021 row after the base year is ignored (vintage); the band widens with the lead
    widths = [enr.loc[(y, "primary"), "p95"] - enr.loc[(y, "primary"), "p05"]
              for y in (2020, 2022, 2024)]
    assert widths == sorted(widths) and widths[0] > 0
    assert enr.loc[(2021, "primary"), "p50"] > 50_000
    # same seed, same file → identical output
    out2 = tmp_path / "g.csv"
    main(["forecast", "--area-data", str(good), "--base-year", "2019", "--horizon", "2024",
          "--draws", "300", "--seed", "2", "--out", str(out2)])
    assert out.read_bytes() == out2.read_bytes()


def test_cli_forecast_bad_area_file_exits_2(tmp_path, capsys):
    p = _file(tmp_path, _births_rows() + f"Testville,2019,enrolment,middle,5,persons,{SRC}\n")
    code = main(["forecast", "--area-data", str(p), "--base-year", "2019", "--horizon", "2024",
                 "--out", str(tmp_path / "x.csv")])
    err = capsys.readouterr().err
    assert code == 2 and f"{p}, line 21: unknown level 'middle'" in err
    assert "Traceback" not in err and not (tmp_path / "x.csv").exists()


def test_panel_files_load():
    from qyedu.validation.panel import load_panel

    panel = load_panel()
    assert len(panel) == 28 and panel[-1].area == "China"
    china = panel[-1]
    # China's preferred births 2016: 1786万 (china.csv)
    assert china.births[2016] == pytest.approx(1786e4, rel=1e-3)
    assert np.isfinite(china.enrolment["value"]).all()


def _junior_short_births(tmp_path, level="junior"):
    tmp_path.mkdir(exist_ok=True)
    """SYNTHETIC: births from 2007 only, so junior secondary (ages 12–14) in 2019 has cohorts
    born before any known birth; primary and preschool are projectable."""
    body = _births_rows(years=range(2007, 2020)) + (
        f"Testville,2019,enrolment,primary,66000,persons,{SRC}\n"
        f"Testville,2019,enrolment,{level},31500,persons,{SRC}\n"
        f"Testville,2019,enrolment,preschool,27000,persons,{SRC}\n")
    return _file(tmp_path, body)


def test_area_run_says_which_levels_it_projects_and_skips(tmp_path, capsys):
    p = _junior_short_births(tmp_path)
    args = ["forecast", "--area-data", str(p), "--base-year", "2019", "--horizon", "2024",
            "--draws", "50", "--out", str(tmp_path / "f.csv")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Testville: projects preschool, primary" in out
    assert ("skips junior_secondary: needs births from 2004 (its oldest cohort in 2019); "
            "the gap-free births start in 2007") in out
    assert "skips senior_general: no enrolment observation up to the base year 2019" in out
    levels = set(pd.read_csv(tmp_path / "f.csv")["level"])
    assert "junior_secondary" not in levels and "primary" in levels
    # --strict: the skip is an error naming the level, exit 2, nothing written
    code = main([*args[:-1], str(tmp_path / "g.csv"), "--strict"])
    err = capsys.readouterr().err
    assert code == 2 and "--strict: Testville cannot project junior_secondary" in err
    assert not (tmp_path / "g.csv").exists()


def test_area_levels_accept_the_output_names(tmp_path):
    short = area_inputs(read_area_table(_junior_short_births(tmp_path / "a", "junior")),
                        "Testville")
    long = area_inputs(read_area_table(_junior_short_births(tmp_path / "b", "junior_secondary")),
                       "Testville")
    assert set(long.enrolment["level"]) == set(short.enrolment["level"]) >= {"junior_secondary"}
    assert long.enrolment.equals(short.enrolment)


def test_chinese_names_read_as_their_english_twins(tmp_path):
    """A bureau's own labels (出生人口, 在校生, 招生, 小学, 初中, 人) are exact aliases."""
    en = (f"A,2018,births,all,5,万人,{SRC}\nA,2019,population_yearend,all,400,万人,{SRC}\n"
          f"A,2019,birth_rate,all,12,per_mille,{SRC}\n"
          f"A,2019,enrolment,primary,400000,persons,{SRC}\nA,2019,intake,primary,70000,persons,{SRC}\n"
          f"A,2019,enrolment,junior,180000,persons,{SRC}\n"
          f"A,2019,enrolment,vocational,37000,persons,{SRC}\n")
    zh = (f"A,2018,出生人口,all,5,万人,{SRC}\nA,2019,年末常住人口,all,4000000,人,{SRC}\n"
          f"A,2019,出生率,all,12,‰,{SRC}\n"
          f"A,2019,在校生,小学,400000,人,{SRC}\nA,2019,招生数,小学,70000,人,{SRC}\n"
          f"A,2019,在校生数,初中,180000,人,{SRC}\n"
          f"A,2019,在校生,中等职业教育,37000,人,{SRC}\n")
    a = area_inputs(read_area_table(_file(tmp_path, en, "en.csv")), "A")
    b = area_inputs(read_area_table(_file(tmp_path, zh, "zh.csv")), "A")
    pd.testing.assert_series_equal(a.births, b.births)
    pd.testing.assert_frame_equal(a.enrolment, b.enrolment)
    pd.testing.assert_frame_equal(a.intake, b.intake)
    assert sorted(b.enrolment["level"]) == ["junior_secondary", "primary", "senior_vocational"]
    with pytest.raises(InputError, match="unknown level '小学生'"):  # exact names only
        read_area_table(_file(tmp_path, f"A,2019,在校生,小学生,1,人,{SRC}\n", "bad.csv"))


def test_preferred_rows_and_skipped_unknowns(tmp_path, capsys):
    """A validation-folder file keeps every source of a figure (``preferred`` marks the one
    to use) and stage totals the model does not read: the alternatives are always left
    out; unknown rows are refused unless --skip-unknown, then counted."""
    head = "area,year,indicator,level,value,unit,source,preferred\n"
    body = "".join(f"T,{y},births,all,10000,persons,{SRC},1\n" for y in range(2001, 2020))
    body += (f"T,2019,births,all,99999,persons,{SRC} (another source),0\n"
             f"T,2019,enrolment,primary,66000,persons,{SRC},1\n"
             f"T,2019,enrolment,junior_stage,n/a,persons,{SRC},1\n"
             f"T,2019,births_check,all,10000,persons,{SRC},1\n")
    f = tmp_path / "pref.csv"
    f.write_text(head + body, encoding="utf-8")
    with pytest.raises(InputError, match="line 23: value 'n/a'"):
        read_area_table(f)  # an unknown row is read as any other, and refused
    df = read_area_table(f, skip_unknown=True)
    assert df.attrs["skipped"] == {"other sources of a figure (preferred is not 1)": 1,
                                   "births_check all": 1, "enrolment junior_stage": 1}
    assert area_inputs(df, "T").births[2019] == 10000  # not the other source's 99,999
    out = tmp_path / "f.csv"
    assert main(["forecast", "--area-data", str(f), "--skip-unknown", "--base-year", "2019",
                 "--horizon", "2021", "--draws", "100", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert ("pref.csv: left out other sources of a figure (preferred is not 1) (1), "
            "births_check all (1), enrolment junior_stage (1)") in text
    assert main(["forecast", "--area-data", str(f), "--base-year", "2019", "--horizon", "2021",
                 "--draws", "100", "--out", str(out)]) == 2
    assert "pref.csv, line 23" in capsys.readouterr().err
