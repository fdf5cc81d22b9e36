"""The chart of an area's forecast against later outturns (qyedu.figures.area.check_chart),
on a synthetic check table (made-up numbers in the columns of projection.area_check)."""

from __future__ import annotations

import pandas as pd
import pytest

from qyedu.figures.area import MISS_COLOR, check_chart
from qyedu.plotting import figure_title, save_figure


def _check():
    return pd.DataFrame({
        "level": ["junior_secondary", "primary", "primary", "junior_secondary"],
        "year": [2020, 2020, 2021, 2021], "lead": [1, 1, 2, 2],
        "outturn": [90_000.0, 300_000.0, 320_000.0, 70_000.0],
        "p05": [80_000.0, 280_000.0, 270_000.0, 75_000.0],
        "p50": [88_000.0, 295_000.0, 300_000.0, 85_000.0],
        "p95": [96_000.0, 310_000.0, 330_000.0, 95_000.0],
        "error_pct": [-2.2, -1.7, -6.3, 21.4], "inside": [True, True, True, False],
        "source": ["synthetic"] * 4})


def test_one_panel_per_level_in_level_order_with_counts(tmp_path):
    fig = check_chart(_check(), "甲市")
    primary, junior = fig.axes[:2]
    assert primary.get_title() == "小学 Primary\n2 个中 2 个在区间内 2 of 2 inside"
    assert junior.get_title() == "初中 Junior secondary\n2 个中 1 个在区间内 1 of 2 inside"
    assert figure_title(fig) == ("甲市：预测与后来的实际值（4 个中 3 个在 p05–p95 内） Forecast "
                                 "against later outturns (3 of 4 inside p05–p95)")
    misses = [ln for ln in junior.get_lines() if ln.get_marker() == "x"]
    assert len(misses) == 1 and misses[0].get_color() == MISS_COLOR
    assert list(misses[0].get_xdata()) == [2021] and list(misses[0].get_ydata()) == [7.0]
    assert not [ln for ln in primary.get_lines() if ln.get_marker() == "x"]
    assert list(primary.get_xticks()) == [2020, 2021]
    assert len(fig.legends) == 1 and len(fig.legends[0].get_texts()) == 4
    png, svg = save_figure(fig, "check", tmp_path)
    assert png.stat().st_size > 10_000 and svg.read_text("utf-8").count("<svg") == 1


def test_an_empty_check_is_refused():
    with pytest.raises(ValueError, match="no outturn to chart"):
        check_chart(_check().iloc[:0])
