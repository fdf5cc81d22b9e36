"""The shared table formatter: numbers for people, labels instead of code names, escaping,
no bare index, wide tables transposed or split."""

import numpy as np
import pandas as pd
import pytest

from qyedu.views import format as F


def test_single_values():
    assert F.count(171158.0) == "171,158" and F.count(1204.4) == "1,204"
    assert F.count(-3904.2) == "−3,904" and F.signed(4343.4) == "+4,343" and F.signed(-5) == "−5"
    assert F.pct(0.319) == "32 %" and F.pct(0) == "0 %" and F.pct(1.0) == "100 %"
    assert F.pct(0.003) == "<1 %" and F.pct(0.996) == ">99 %"
    assert F.number(25.4) == "25.4" and F.number(45657.0) == "45,657" and F.number(2.0) == "2"
    assert F.count(np.nan) == "–" and F.pct(None) == "–" and F.number(pd.NA) == "–"
    assert F.label("compulsory_new_places") == "义务教育新增学位 New compulsory places"
    assert F.label("medium") == "中方案 Medium" and F.label("other") == "other"
    assert F.label("carry_forward") == "沿用末值 carry forward"


def test_columns_by_kind_years_schools_probabilities_and_missing():
    df = pd.DataFrame({"目标年 Target year": [2025.0, 2030.0],
                       "需要学校 p50 Schools needed": [25.4, 36.6],
                       "专任教师 Teachers": [1204.4, 47770.0],
                       "缺口概率 P(shortfall)": [0.319, np.nan],
                       "学段 Level": ["compulsory", "preschool"],
                       "编号 ID": ["compulsory_new_places", "x"],
                       "比例 share %": [25.44, 3.0]})
    out = F.format_frame(df)
    assert out["目标年 Target year"].tolist() == ["2025", "2030"]
    assert out["需要学校 p50 Schools needed"].tolist() == ["25", "37"]
    assert out["专任教师 Teachers"].tolist() == ["1,204", "47,770"]
    assert out["缺口概率 P(shortfall)"].tolist() == ["32 %", "–"]
    assert out["学段 Level"].tolist() == ["义务教育 Compulsory", "学前教育 Preschool"]
    assert out["编号 ID"].tolist() == ["compulsory_new_places", "x"]  # identifiers stay
    assert out["比例 share %"].tolist() == ["25.4", "3"]


def test_rows_naming_the_quantity_with_years_as_columns():
    df = pd.DataFrame([[1352.9, 7941.6], [0.0, 0.319]], columns=[2021, 2022],
                      index=["需新增 p50 Needed", "缺口概率 P(shortfall)"])
    out = F.format_frame(df)
    assert out.loc["需新增 p50 Needed"].tolist() == ["1,353", "7,942"]
    assert out.loc["缺口概率 P(shortfall)"].tolist() == ["0 %", "32 %"]
    assert list(out.columns) == ["2021", "2022"]  # years without separators


def test_strings_are_escaped_everywhere():
    evil = "<img src=x onerror=alert(1)>"
    df = pd.DataFrame({evil: [evil, "a & b"]}, index=pd.Index([evil, "k"], name="n"))
    html = F.frame_html(df)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "a &amp; b" in html


def test_bare_index_hidden_and_ids_beside_names_not_repeated():
    html = F.frame_html(pd.DataFrame({"a": [1000, 2000]}))
    assert ">0<" not in html and "1,000" in html
    df = pd.DataFrame({"承诺 Promise": ["义务教育新增学位 New compulsory places"], "x": [5]},
                      index=pd.Index(["compulsory_new_places"], name="promise"))
    html = F.frame_html(df)
    assert html.count("义务教育新增学位 New compulsory places") == 1 and ">promise<" not in html


def test_wide_tables_fit_the_budget_transposed_or_split():
    few = pd.DataFrame({"学段 Level": ["primary", "preschool", "senior_general"],
                        **{f"富余 p{i} Surplus value": [1234.5, 2.0, 3.0] for i in range(15)}})
    parts, transposed = F.fit(few, hide_index=True)
    assert transposed and len(parts) == 1 and parts[0].shape == (15, 3)
    assert list(parts[0].columns) == ["小学 Primary", "学前教育 Preschool", "普通高中 General senior"]
    many = pd.DataFrame(np.arange(20 * 15, dtype=float).reshape(20, 15) * 1000,
                        columns=range(2021, 2036))
    parts, transposed = F.fit(many, hide_index=False)
    assert not transposed and len(parts) > 1
    assert sum(p.shape[1] for p in parts) == 15
    assert all(F.table_width(p, False) <= F.WIDTH_BUDGET for p in parts)
    assert "wide table shown in" in F.frame_html(many)


def test_installs_as_the_ipython_html_formatter():
    IPython = pytest.importorskip("IPython")
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    assert F.install_ipython(shell)
    data, _ = shell.display_formatter.format(pd.DataFrame({"学位 Places": [171158.0]}))
    assert "171,158" in data["text/html"] and "qy-table" in data["text/html"]
    styled = pd.DataFrame({"p": [0.5]}, index=[3]).style.hide(axis="index")
    data, _ = shell.display_formatter.format(styled)
    assert "qy-table" in data["text/html"] and ">3<" not in data["text/html"]
    assert IPython is not None


def test_no_transpose_to_bare_numbers_without_a_label_column():
    wide = pd.DataFrame({f"学位 places {i}": [1000.0 * i, 2.0] for i in range(16)})
    parts, transposed = F.fit(wide, hide_index=True)
    assert not transposed and len(parts) > 1


def test_long_tables_follow_pandas_max_rows():
    df = pd.DataFrame({"学位 Places": range(1000)})
    with pd.option_context("display.max_rows", 60, "display.min_rows", 10):
        html = F.frame_html(df)
    assert "showing the first and last rows, 10 of 1,000" in html and "999" in html
    assert html.count("<tr") == 11  # header + 10 rows
    with pd.option_context("display.max_rows", None):
        assert F.frame_html(df).count("<tr") == 1001


def test_repeated_labels_and_duplicate_columns_never_break_a_cell():
    few = pd.DataFrame({"状态 Status": ["met", "met"],
                        **{f"长列名 long column {i}": ["x" * 12, "y"] for i in range(12)}})
    parts, transposed = F.fit(few, hide_index=True)
    assert not transposed
    assert "达成 met" in F.frame_html(few)
    dup = pd.DataFrame([[1, 2]], columns=["a", "a"])
    assert "qy-table" in F.frame_html(dup) or "<table" in F.frame_html(dup)


def test_origins_are_years_and_coefficients_are_not_counts():
    """A back-test's origin is a year (2015, not 2,015); 系数 (coefficient) and 指数 (index)
    end in 数 but are ratios, not whole counts (2.4, not 2)."""
    df = pd.DataFrame({"起点 Origin": [2015, 2020], "MAPE % 保持系数 hold factor": [2.44, 4.51],
                       "指数 ST": [0.456, 0.2], "学校数 schools": [12.0, 1300.0]})
    shown = F.format_frame(df)
    assert shown["起点 Origin"].tolist() == ["2015", "2020"]
    assert shown["MAPE % 保持系数 hold factor"].tolist() == ["2.4", "4.5"]
    assert shown["指数 ST"].tolist() == ["0.456", "0.2"]  # below 1: three significant digits
    assert shown["学校数 schools"].tolist() == ["12", "1,300"]


def test_a_named_range_of_years_is_the_key_and_stays_visible():
    """births_display's index is a RangeIndex 2002…2024 named 年份 Year: hiding it as if it
    were a default 0…n−1 index left the births table without its years."""
    df = pd.DataFrame({"出生 Births": [56000.0, 57000.0]},
                      index=pd.RangeIndex(2002, 2004, name="年份 Year"))
    html = F.frame_html(df)
    assert "年份 Year" in html and ">2002<" in html.replace(" ", "") and ">2003<" in \
        html.replace(" ", "")
    assert F.bare_index(pd.RangeIndex(3)) and not F.bare_index(df.index)


def test_a_rate_below_one_is_never_printed_as_zero_or_as_a_count():
    """Page 40's parameter table printed attrition 0.03 as 0 and the share of qualified hires
    0.9 as 1 (rounded as a count of hires)."""
    import pandas as pd

    from qyedu.views.format import format_frame, number

    assert (number(0.03), number(0.25), number(0.9), number(12.34)) == ("0.03", "0.25", "0.9", "12.3")
    d = pd.DataFrame({"取值 Value": [0.03, "flat", 0.9, 0.25, 0.01]},
                     index=["attrition_rate", "attrition_model", "hire_qual_share", "older_share",
                            "quit_rate"])
    assert format_frame(d)["取值 Value"].tolist() == ["0.03", "flat", "0.9", "0.25", "0.01"]


def test_split_tables_keep_their_row_labels():
    """A wide table without an index split into column groups repeats its label column in
    every part (the back-test and the scorecard notes lost theirs)."""
    import pandas as pd

    from qyedu.views.format import fit

    df = pd.DataFrame({"指标 Indicator": [f"indicator {i}" for i in range(12)],
                       **{f"说明 note {k}": ["a fairly long explanatory note " * 2] * 12
                          for k in range(5)}})
    parts, transposed = fit(df, hide_index=True)
    assert not transposed and len(parts) > 1
    assert all(p.columns[0] == "指标 Indicator" for p in parts)
    assert parts[1].iloc[3, 0] == "indicator 3"


def test_a_fraction_below_one_in_a_row_named_for_staff_is_not_rounded_as_a_count():
    # page 40 printed boarding_staff_per_boarder 0.02 as "0" (the row label says "staff")
    frame = pd.DataFrame({"取值 Value": [0.02, 35]},
                         index=pd.Index(["boarding_staff_per_boarder", "career_years"]))
    assert F.format_frame(frame).iloc[:, 0].tolist() == ["0.02", "35"]


def test_split_tables_repeat_every_leading_row_label():
    """The back-test's rows are told apart by level, origin and target year: a split table
    repeats all three in every part (page 20 repeated the level alone, so two rows of one
    level read as one label with two values)."""
    from qyedu.views.format import fit

    n = 12
    df = pd.DataFrame({"学段 Level": ["小学 Primary"] * n,
                       "起点 Origin": [2015 + (i % 2) * 5 for i in range(n)],
                       "目标年 Target year": [2020 + i for i in range(n)],
                       **{f"说明 note {k}": ["a fairly long explanatory note " * 2] * n
                          for k in range(4)},
                       "误差 APE %": [1.5 * i for i in range(n)]})
    parts, transposed = fit(df, hide_index=True)
    assert not transposed and len(parts) > 1
    for p in parts:
        assert list(p.columns[:3]) == ["学段 Level", "起点 Origin", "目标年 Target year"]
    assert parts[-1].iloc[3, 1] == "2020" and parts[-1].iloc[3, 2] == "2023"
