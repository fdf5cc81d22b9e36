"""The quantity parser reads the plan's printed numbers (qualifiers, 万, ranges) and rejects junk."""

import pytest

from qyedu.plan.numbers import Quantity, decimals, label_unit, parse_quantity, parse_single


@pytest.mark.parametrize(
    "text, value, bound, unit",
    [
        ("2.5万个以上", 25000, "ge", "个"),
        ("不少于5万个", 50000, "ge", "个"),
        ("7.64万人", 76400, "eq", "人"),
        ("约7400个", 7400, "approx", "个"),
        ("10所左右", 10, "approx", "所"),
        ("10所（个）左右", 10, "approx", "所"),
        ("98以上", 98, "ge", ""),
        ("95%以上", 95, "ge", "%"),
        ("不超过15%", 15, "le", "%"),
        ("不低于20%", 20, "ge", "%"),
        ("至少150所", 150, "ge", "所"),
        ("2.4名", 2.4, "eq", "名"),
        ("30.25%", 30.25, "eq", "%"),
        ("-14.29", -14.29, "eq", ""),
        ("1学年以上", 1, "ge", "学年"),
    ],
)
def test_single_quantities(text, value, bound, unit):
    (q,) = parse_quantity(text)
    assert q == Quantity(value, bound, unit, text)


@pytest.mark.parametrize("text, lo, hi, unit", [
    ("3-5所", 3, 5, "所"), ("1—2所", 1, 2, "所"), ("1－2项", 1, 2, "项"),
    ("1至2项", 1, 2, "项"), ("30-50个", 30, 50, "个"),
])
def test_ranges_give_a_minimum_and_a_maximum(text, lo, hi, unit):
    assert parse_quantity(text) == [Quantity(lo, "ge", unit, text), Quantity(hi, "le", unit, text)]


@pytest.mark.parametrize("text", [
    "", "   ", "abc", "8x4", "1.2.3", "五所", "约3-5所", "5-3所", "不少于40所左右", "40斤",
])
def test_bad_quantities_raise(text):
    with pytest.raises(ValueError):
        parse_quantity(text)


def test_parse_single_rejects_a_range():
    with pytest.raises(ValueError, match="range"):
        parse_single("3-5所")
    assert parse_single("844").value == 844


def test_label_units_and_scales():
    assert label_unit("在园幼儿数（人）") == ("人", 1)
    assert label_unit("其中：本科生（万人）") == ("人", 10000)
    assert label_unit("学前三年毛入学率（%）") == ("%", 1)
    assert label_unit("普通本专科生") == ("", 1)
    assert label_unit("中等职业教育（含技工学校）学校数（所）") == ("所", 1)


def test_decimals():
    assert decimals("30.25%") == 2
    assert decimals("40%") == 0
    assert decimals("11.0") == 1
