"""The label check of the browser test (tests/reviewer_text.py) on small pages written here:
it finds a label printed with two numbers in tables and key points, across pages and on one
page, and leaves alone equal numbers formatted differently and tables whose labels differ."""

from reviewer_text import contradictions, label_values, norm_label, number_value


def _table(corner, rows, cols, caption=""):
    cap = f"<caption>{caption}</caption>" if caption else ""
    head = "".join(f"<th>{c}</th>" for c in cols)
    body = "".join(f"<tr><th>{r}</th>" + "".join(f"<td>{v}</td>" for v in vals) + "</tr>"
                   for r, vals in rows)
    return (f"<table>{cap}<thead><tr><th>{corner}</th>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def test_numbers_are_read_as_people_write_them():
    assert number_value("−8,517") == -8517 and number_value("58 %") == 58
    assert number_value("8,517") == number_value("8517")
    assert number_value("p05–p95 0–7.8 万") is None and number_value("2025 年") is None
    assert norm_label(" 出生 Births ¶", "2024") == "出生 births × 2024"


def test_births_printed_twice_across_pages_is_found():
    p10 = _table("年份 Year", [("2024", ["45,463"])], ["出生 Births"])
    p20 = _table("年份 Year", [("2024", ["44,290"])], ["出生 Births"])
    bad = contradictions({"10.html": p10, "20.html": p20})
    assert list(bad) == ["年份 year × 2024 × 出生 births"]
    assert bad["年份 year × 2024 × 出生 births"] == {"45,463": {"10.html"}, "44,290": {"20.html"}}


def test_same_number_or_different_labels_pass():
    a = _table("年份 Year", [("2024", ["45,463"])], ["出生 Births"])
    b = _table("年份 Year", [("2024", ["45463"])], ["出生 Births"])
    assert contradictions({"a": a, "b": b}) == {}
    primary = _table("2026 小学 县区 County", [("清城区", ["5,351"])], ["缺口 Shortage"])
    junior = _table("2031 初中 县区 County", [("清城区", ["11,051"])], ["缺口 Shortage"])
    assert contradictions({"30": primary + junior}) == {}
    # …but the same two tables without their level in the corner contradict each other
    same = _table("县区 County", [("清城区", ["5,351"])], ["缺口 Shortage"]) + \
        _table("县区 County", [("清城区", ["11,051"])], ["缺口 Shortage"])
    assert list(contradictions({"30": same})) == ["县区 county × 清城区 × 缺口 shortage"]


def test_key_points_and_id_columns():
    page = ('<section class="qy-keypoints"><ul><li>2024 年出生：45,463；总人口：3,969,473</li>'
            "</ul></section>" + _table("", [("", [])], []))
    other = '<section class="qy-keypoints"><ul><li>2024 年出生: 44,290</li></ul></section>'
    v = label_values(page)
    assert v["key point × 2024 年出生"] == {"45,463"}
    assert list(contradictions({"a": page, "b": other})) == ["key point × 2024 年出生"]
    # rows told apart by a text column and a year column (no header cells)
    t = ("<table><thead><tr><th>学段 Level</th><th>起点 Origin</th><th>误差 Error</th></tr></thead>"
         "<tbody><tr><td>小学 Primary</td><td>2015</td><td>4.3</td></tr>"
         "<tr><td>小学 Primary</td><td>2020</td><td>15.4</td></tr></tbody></table>")
    assert contradictions({"20": t}) == {}
    assert label_values(t)["学段 level / 起点 origin × 小学 primary / 2020 × 误差 error"] == {"15.4"}
