"""Several area files read as one, and populations put on a census base
(qyedu.observed.area.read_area_tables, rebase_populations; `forecast --area-data A B
--rebase-population Y`). The small tables written here are synthetic; the CLI tests read
data/raw/validation/."""

from __future__ import annotations

import pandas as pd
import pytest

from qyedu import paths
from qyedu.cli import main
from qyedu.errors import InputError
from qyedu.observed.area import read_area_tables, rebase_populations, row_sources

HEAD = "area,year,indicator,level,value,unit,source\n"


def _write(path, rows):
    path.write_text(HEAD + "".join(r + ",synthetic\n" for r in rows), encoding="utf-8")
    return path


def test_two_files_are_one_table_with_each_rows_file(tmp_path):
    a = _write(tmp_path / "a.csv", ["X,2000,population_yearend,all,110,persons",
                                    "X,2000,birth_rate,all,10,per_mille"])
    b = _write(tmp_path / "b.csv", ["X,1999,population_yearend,all,100,persons",
                                    "X,1998,births,all,12,persons",
                                    "X,1999,birth_rate,all,11,per_mille"])
    df = read_area_tables([a, b])
    assert df["source_file"].tolist() == ["a.csv", "a.csv", "b.csv", "b.csv", "b.csv"]
    assert df["source_line"].tolist() == [2, 3, 2, 3, 4]
    assert row_sources(df.iloc[2:4], a) == ["b.csv line 2", "b.csv line 3"]
    assert df.attrs["path"] == f"{a} + {b}" and df.attrs["rebased"] == {}
    assert df.attrs["joins"] == {"X": (2000, "b.csv", "a.csv")}


def test_a_figure_in_two_files_names_both(tmp_path):
    a = _write(tmp_path / "a.csv", ["X,2000,population_yearend,all,110,persons"])
    b = _write(tmp_path / "b.csv", ["X,1999,population_yearend,all,100,persons",
                                    "X,2000,population_yearend,all,111,persons"])
    with pytest.raises(InputError, match=r"b\.csv, line 3: X 2000 population_yearend all is "
                                         r"given twice: a\.csv line 2 and b\.csv line 3"):
        read_area_tables([a, b])


def test_rebase_scales_counts_before_the_census_year_only():
    """pop 2000 / pop 1999 = 110 / 100: the 1999 population and the 1998 birth count × 1.1;
    the birth rate and the 2000 figures as they were. Area Y has no 1999 population: its
    earlier rows cannot be rebased and are dropped."""
    df = pd.DataFrame({
        "area": ["X", "X", "X", "X", "Y", "Y"],
        "year": [2000, 1999, 1998, 1999, 2000, 1998],
        "indicator": ["population_yearend", "population_yearend", "births", "birth_rate",
                      "population_yearend", "births"],
        "level": ["all"] * 6, "value": [110.0, 100.0, 12.0, 11.0, 50.0, 5.0]})
    out, k, dropped = rebase_populations(df, 2000)
    assert k.to_dict() == {"X": pytest.approx(1.1)}
    assert dropped == ["Y"]
    assert out["value"].tolist() == pytest.approx([110.0, 110.0, 13.2, 11.0, 50.0])
    assert out["area"].tolist() == ["X", "X", "X", "X", "Y"]
    zero = df.assign(value=[110.0, 0.0, 12.0, 11.0, 50.0, 5.0])  # X's 1999 population 0
    out, k, dropped = rebase_populations(zero, 2000)
    assert k.empty and dropped == ["X", "Y"] and (out["year"] == 2000).all()


def test_the_back_test_panel_is_the_two_province_files_rebased_at_2000():
    """The harness's `scaled` panel and a user's two files with --rebase-population 2000 are
    the same figures (one rule, `rebase_populations`)."""
    from qyedu.validation.panel import panel_frame

    v = paths.data_raw() / "validation"
    mine = read_area_tables([v / "provinces.csv", v / "provinces_1995_1999.csv"], rebase=2000)
    key = ["area", "year", "indicator", "level"]
    a = panel_frame("scaled").set_index(key)["value"].sort_index()
    b = mine.set_index(key)["value"].sort_index()
    assert a.index.equals(b.index)
    assert (a.to_numpy() == b.to_numpy()).all()
    assert mine.attrs["rebased"]["湖南省"] == pytest.approx(1.0046, abs=5e-5)


def test_forecast_opens_junior_from_the_earlier_births(capsys, tmp_path):
    """湖南 as of 2014: junior needs births from 1999, which only the 1995–1999 file has."""
    v = paths.data_raw() / "validation"
    args = ["--area", "湖南省", "--base-year", "2014", "--horizon", "2016", "--draws", "100",
            "--out", str(tmp_path / "f.csv")]
    assert main(["forecast", "--area-data", str(v / "provinces.csv"), *args]) == 0
    assert "湖南省: skips junior_secondary: needs births from 1999" in capsys.readouterr().out
    assert main(["forecast", "--area-data", str(v / "provinces.csv"),
                 str(v / "provinces_1995_1999.csv"), *args]) == 0
    assert ("湖南省: year-end populations to 1999 come from provinces_1995_1999.csv, from 2000 "
            "from provinces.csv; if these are on different bases (a census in 2000), "
            "--rebase-population 2000 puts") in capsys.readouterr().out
    assert main(["forecast", "--area-data", str(v / "provinces.csv"),
                 str(v / "provinces_1995_1999.csv"), "--rebase-population", "2000", *args]) == 0
    out = capsys.readouterr().out
    assert "come from provinces_1995_1999.csv" not in out  # no hint once rebased
    assert "湖南省: populations and birth counts before 2000 × 1.0046 (pop 2000 / pop 1999)" in out
    assert "湖南省: grade flow: primary, junior_secondary" in out
    assert "(provinces.csv line " in out  # later outturns named by their own file
    f = pd.read_csv(tmp_path / "f.csv")
    assert {"primary", "junior_secondary"} <= set(f.loc[f["quantity"] == "enrolled", "level"])


def test_rebase_without_area_data_is_refused(capsys):
    assert main(["forecast", "--rebase-population", "2000", "--out", "x.csv"]) == 2
    assert "--rebase-population applies to --area-data files only" in capsys.readouterr().err
