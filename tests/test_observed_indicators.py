"""Observation files (data/raw/observed/*.csv): names resolve by the plan's Chinese name or by
indicator_id, errors name file and line, and the real files copy published figures only.
The registries below are SYNTHETIC (made-up values; only the names are the plan's)."""

import pandas as pd
import pytest

from qyedu import paths
from qyedu.errors import InputError
from qyedu.observed import read_raw
from qyedu.scorecard import load_observed, read_file

REGISTRY = pd.DataFrame({
    "indicator_id": ["kindergartens", "public_kindergartens", "kindergartens",
                     "preschool_new_public_places"],
    "name_zh": ["幼儿园数（所）", "公办幼儿园数（所）", "幼儿园数（所）", "增加公办幼儿园学位"],
    "kind": ["target", "target", "actual", "target"],
    "year": [2025, 2025, 2020, 2025],
    "value": [100.0, 200.0, 300.0, 400.0],   # synthetic (observations within 10× of them)
})


def write(tmp_path, text, name="obs.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_chinese_name_and_id_resolve_to_the_same_indicator(tmp_path):
    p = write(tmp_path, "indicator,year,value,source\n"
                        "幼儿园数（所）,2021,10,synthetic a\n"
                        "kindergartens,2022,11,synthetic b\n"
                        " 公办幼儿园数（所） ,2021,\"1,234\",synthetic c\n")
    df = read_file(p, REGISTRY)
    assert df["indicator_id"].tolist() == ["kindergartens", "kindergartens", "public_kindergartens"]
    assert df["year"].tolist() == [2021, 2022, 2021]
    assert df["value"].tolist() == [10.0, 11.0, 1234.0]
    assert df["line"].tolist() == [2, 3, 4] and set(df["file"]) == {"obs.csv"}


def test_unknown_name_lists_close_matches_with_file_and_line(tmp_path):
    p = write(tmp_path, "indicator,year,value,source\nkindergartens,2021,1,s\n幼儿园数(所),2021,1,s\n")
    with pytest.raises(InputError) as err:
        read_file(p, REGISTRY)
    msg = str(err.value)
    assert "obs.csv, line 3" in msg and "幼儿园数(所)" in msg
    assert "did you mean" in msg and "'幼儿园数（所）'" in msg
    assert msg.index("'幼儿园数（所）'") < msg.index("'公办幼儿园数（所）'")  # best match first
    assert err.value.line == 3


def test_unknown_name_without_any_close_match(tmp_path):
    p = write(tmp_path, "indicator,year,value,source\n完全无关的指标,2021,1,s\n")
    with pytest.raises(InputError, match="unknown indicator '完全无关的指标'") as err:
        read_file(p, REGISTRY)
    assert "did you mean" not in str(err.value)


@pytest.mark.parametrize("row,message", [
    ("kindergartens,2021.5,1,s", "year '2021.5' is not an integer"),
    ("kindergartens,二〇二一,1,s", "is not an integer"),
    ("kindergartens,2021,n/a,s", "value 'n/a' is not a number"),
    ("kindergartens,2021,,s", "value '' is not a number"),
    ("kindergartens,2021,1,", "source is empty"),
    ("kindergartens,2021,1", "3 fields, header has 4"),
])
def test_validation_errors_name_file_and_line(tmp_path, row, message):
    p = write(tmp_path, "# a comment line\nindicator,year,value,source\n" + row + "\n")
    with pytest.raises(InputError, match=message) as err:
        read_file(p, REGISTRY)
    assert "obs.csv, line 3" in str(err.value)


def test_missing_column_and_empty_file(tmp_path):
    with pytest.raises(InputError, match=r"missing column\(s\) \['source'\]"):
        read_file(write(tmp_path, "indicator,year,value\n"), REGISTRY)
    with pytest.raises(InputError, match="empty file"):
        read_file(write(tmp_path, "# only a comment\n", "e.csv"), REGISTRY)


def test_ambiguous_name_asks_for_the_id(tmp_path):
    reg = pd.DataFrame({"indicator_id": ["a", "b"], "name_zh": ["毛入学率（%）", "毛入学率（%）"]})
    with pytest.raises(InputError, match=r"ambiguous.*\['a', 'b'\].*indicator_id"):
        read_file(write(tmp_path, "indicator,year,value,source\n毛入学率（%）,2021,1,s\n"), reg)


def test_folder_is_read_in_file_name_order(tmp_path):
    write(tmp_path, "indicator,year,value,source\nkindergartens,2022,2,b\n", "b.csv")
    write(tmp_path, "indicator,year,value,source\nkindergartens,2022,1,a\n", "a.csv")
    (tmp_path / "notes.txt").write_text("ignored")
    df = load_observed(REGISTRY, tmp_path)
    assert df["file"].tolist() == ["a.csv", "b.csv"]
    assert load_observed(REGISTRY, tmp_path).equals(df)
    (tmp_path / "none").mkdir()
    empty = load_observed(REGISTRY, tmp_path / "none")
    assert empty.empty and list(empty.columns) == list(df.columns)
    with pytest.raises(InputError, match="observations folder not found"):
        load_observed(REGISTRY, tmp_path / "missing")


# --- the real observation files -----------------------------------------------------------------
REAL_NAMES = pd.DataFrame({
    "indicator_id": ["preschool_new_public_places", "general_senior_schools"],
    "name_zh": ["增加公办幼儿园学位", "普通高中（含十二年一贯制、完全中学）学校数（所）"],
})


def test_real_observation_files_copy_published_figures():
    """Every observation's source (URL | quote) is a row of data/raw/places.csv or
    enrollment.csv, and its value is that row's value or printed in its quote (the school count
    34 is in the quote of the enrolment row): no number is invented."""
    df = load_observed(REAL_NAMES, paths.observed_dir())
    raw = pd.concat([read_raw("places"), read_raw("enrollment")], ignore_index=True)
    assert len(df) >= 2
    for row in df.itertuples():
        url, quote = (s.strip() for s in row.source.split(" | ", 1))
        hit = raw[(raw["source_url"] == url) & (raw["quote"] == quote)]
        assert len(hit) == 1, row
        assert hit["value"].iloc[0] == row.value or f"{row.value:g}" in quote
    got = {(r.indicator_id, r.year): r.value for r in df.itertuples()}
    assert got == {("preschool_new_public_places", 2021): 5540.0,
                   ("general_senior_schools", 2022): 34.0}


def test_primary_plus_secondary_places_are_not_mapped_to_compulsory():
    text = (paths.observed_dir() / "qingyuan_places_2021.csv").read_text(encoding="utf-8")
    data = text.split("indicator,year,value,source")[1]
    assert "12950" not in data.replace(",", "")
    assert "12,950" in text  # the skip is recorded in a comment
