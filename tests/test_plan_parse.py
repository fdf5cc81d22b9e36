"""The registry parsed from the real plan holds the plan's own numbers; bad input fails loudly."""

from pathlib import Path

import pytest

from qyedu import paths
from qyedu.errors import InputError
from qyedu.io import csv_bytes
from qyedu.plan import COLUMNS, names, parse, read_plan, tables

RAW = paths.plan_file()


@pytest.fixture(scope="module")
def ind():
    return parse()


def rows(ind, iid, **kw):
    sel = ind[ind["indicator_id"] == iid]
    for k, v in kw.items():
        sel = sel[sel[k] == v]
    return sel


def one(ind, iid, **kw):
    sel = rows(ind, iid, **kw)
    assert len(sel) == 1, sel
    return sel.iloc[0]


def write(tmp_path, text, name="plan.txt"):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def raw_text():
    return RAW.read_text(encoding="utf-8")


def test_columns_and_required_ids(ind):
    assert list(ind.columns) == COLUMNS
    assert set(names.REQUIRED) <= set(ind["indicator_id"])
    assert set(ind["kind"]) == {"actual", "target"}
    assert set(ind["bound"]) <= {"eq", "ge", "le", "approx"}
    assert ind["value"].notna().all()


def test_13th_table_outturn(ind):
    assert one(ind, "preschool_enrolled", year=2020)["value"] == 171158
    assert one(ind, "preschool_enrolled", year=2015)["value"] == 156763
    k = one(ind, "kindergartens", year=2015)
    assert (k["value"], k["kind"], k["source"], k["line"]) == (628, "actual",
                                                                "table 13th-FYP outturn", 36)
    assert one(ind, "special_students", year=2020)["value"] == 3512
    assert one(ind, "preschool_gross_enrolment_ratio", year=2020,
               source="table 13th-FYP outturn")["value"] == 101.28


def test_14th_table_targets_and_exact_names(ind):
    k = one(ind, "kindergartens", year=2025)
    assert (k["value"], k["bound"], k["name_zh"], k["kind"]) == (922, "eq", "幼儿园数（所）", "target")
    r = one(ind, "preschool_gross_enrolment_ratio", year=2025, source="table 14th-FYP (一)")
    assert (r["value"], r["bound"], r["name_zh"], r["text"]) == (98, "ge", "学前三年毛入学率（%）",
                                                                 "98以上")
    v = one(ind, "vocational_schools", year=2022)
    assert (v["value"], v["name_zh"], v["line"]) == (14, "中等职业教育（含技工学校）学校数（所）", 271)
    assert one(ind, "city_skill_master_studios", year=2025)["value"] == 80
    assert one(ind, "higher_ed_gross_enrolment_ratio", year=2025)["name_zh"] == "毛入学率（%）"


def test_merged_higher_education_row_is_resolved(ind):
    u = one(ind, "higher_ed_undergraduates", year=2025)
    assert (u["value"], u["unit"], u["name_zh"], u["line"]) == (15000, "人", "其中：本科生（万人）", 286)
    h = one(ind, "higher_vocational_enrolled", year=2022)
    assert (h["value"], h["unit"], h["line"]) == (120000, "人", 285)
    assert rows(ind, "higher_ed_enrolled").empty  # 普通本专科生: no value of its own


def test_prose_targets(ind):
    c = rows(ind, "compulsory_new_places", year=2025, kind="target")
    assert list(c["value"]) == [50000, 50000] and set(c["bound"]) == {"ge"}
    assert set(c["source"]) == {"section 四(二)2", "专栏4"}
    p = rows(ind, "preschool_new_public_places", year=2025)
    assert {(s, b) for s, b in zip(p["source"], p["bound"], strict=True)} == {
        ("section 四(二)1", "ge"), ("专栏3", "eq")}
    assert set(p["value"]) == {25000}
    s = one(ind, "senior_new_public_places")
    assert (s["value"], s["bound"], s["line"]) == (7400, "approx", 480)
    assert one(ind, "compulsory_new_schools", source="专栏4")["value"] == 40
    assert one(ind, "special_home_delivery_share")[["value", "bound"]].tolist() == [15, "le"]
    assert one(ind, "small_rural_staff_per_class")["value"] == 2.4
    shares = {i: one(ind, f"senior_title_share_{i}")["value"]
              for i in ("kindergarten", "primary", "junior", "senior")}
    assert shares == {"kindergarten": 8, "primary": 15, "junior": 30, "senior": 40}
    assert one(ind, "psychology_teacher_threshold_secondary")["value"] == 1000
    assert one(ind, "psychology_teacher_threshold_primary")["value"] == 1200
    assert one(ind, "inspector_school_ratio")["value"] == 5
    assert one(ind, "full_time_researchers")["value"] == 43
    assert one(ind, "apprenticeship_share")["value"] == 5
    assert one(ind, "student_fitness_good_rate")[["value", "bound"]].tolist() == [55, "ge"]


def test_ranges_become_two_rows(ind):
    d = rows(ind, "distinctive_senior_schools", source="section 四(二)3")
    assert sorted(zip(d["bound"], d["value"], strict=True)) == [("ge", 6), ("le", 8)]


def test_years_from_context(ind):
    assert one(ind, "county_compulsory_communities")["year"] == 2021  # "2021年各县…"
    assert one(ind, "central_senior_new_schools")["year"] == 2025     # "十四五期间"
    g = rows(ind, "senior_gross_enrolment_ratio", kind="actual", source="section 一(三)")
    assert sorted(zip(g["year"], g["value"], strict=True)) == [(2015, 92.5), (2020, 100.06)]
    assert one(ind, "vocational_city_enrolled", kind="actual")["value"] == 76400


def test_teacher_qualification_targets_in_two_places(ind):
    p = rows(ind, "primary_teachers_bachelor_plus_share", year=2025)
    assert sorted(p["value"]) == [75, 83]
    j = rows(ind, "junior_teachers_bachelor_plus_share", year=2025)
    assert sorted(j["value"]) == [94, 96]
    assert one(ind, "senior_teachers_master_plus_share", source="专栏9")["value"] == 15
    assert one(ind, "primary_teachers_associate_plus_share", year=2020)["value"] == 97.6


def test_prose_names_are_taken_from_the_text(ind):
    from qyedu.plan.patterns import ACTUAL, TARGET

    text = RAW.read_text(encoding="utf-8")
    described = {i for p in ACTUAL + TARGET if p.zh for i in p.ids}  # multi-value sentences
    prose = ind[~ind["source"].str.startswith("table") & ~ind["indicator_id"].isin(described)]
    assert len(prose) > 100
    assert [n for n in prose["name_zh"] if n not in text] == []


def test_sorted_and_deterministic():
    a, b = tables(), tables()
    for name in a:
        assert csv_bytes(a[name]) == csv_bytes(b[name])
    ind = a["plan_indicators.csv"]
    order = ["indicator_id", "kind", "year", "source", "line", "bound", "value"]
    assert ind.equals(ind.sort_values(order, kind="mergesort").reset_index(drop=True))
    assert not ind.duplicated(order).any()


def test_cleaning_removes_noise_but_keeps_line_numbers():
    plan = read_plan()
    assert len(plan.lines) == len(plan.raw_lines) == len(RAW.read_text("utf-8").splitlines())
    joined = "\n".join(plan.lines)
    assert "[bookmark" not in joined and "Comment by" not in joined and "。。" not in joined
    assert plan.line(27) == "清远市教育事业发展“十三五”规划主要目标完成情况"
    assert [plan.line(n) for n in (7, 8, 9)] == ["", "", ""]


# --- errors -------------------------------------------------------------------------------

def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="not found") as err:
        parse(tmp_path / "nope.txt")
    assert "nope.txt" in str(err.value)


def test_truncated_file(tmp_path):
    f = write(tmp_path, "\n".join(raw_text().split("\n")[:150]) + "\n")
    with pytest.raises(InputError) as err:
        parse(f)
    msg = str(err.value)
    assert str(f) in msg and "line 150" in msg and "二、总体要求" in msg


def test_non_utf8_bytes(tmp_path):
    data = RAW.read_bytes()
    cut = data.index("幼儿园数".encode())
    f = tmp_path / "plan.txt"
    f.write_bytes(data[:cut] + b"\xff\xfe" + data[cut:])
    with pytest.raises(InputError, match="UTF-8") as err:
        parse(f)
    assert "line 35" in str(err.value)


def test_table_row_with_a_value_removed(tmp_path):
    text = raw_text()
    assert text.count("\t844\n\t922\n") == 1
    f = write(tmp_path, text.replace("\t844\n\t922\n", "\t844\n"))
    with pytest.raises(InputError) as err:
        parse(f)
    msg = str(err.value)
    assert str(f) in msg and "line 199" in msg
    assert "主要预期指标表（一）" in msg and "幼儿园数（所）" in msg and "expected 2 values, found 1" in msg


def test_garbled_table_value(tmp_path):
    f = write(tmp_path, raw_text().replace("\t818\n", "\t8l8\n", 1))
    with pytest.raises(InputError, match=r"line 37: table .*幼儿园数（所）.*'8l8'"):
        parse(f)


def test_prose_statement_that_no_longer_parses(tmp_path):
    f = write(tmp_path, raw_text().replace("增加学位不少于5万个", "增加学位若干"))
    with pytest.raises(InputError, match=r"line 470: section '四\(二\)2'.*compulsory_new_places"):
        parse(f)


def test_missing_table(tmp_path):
    f = write(tmp_path, raw_text().replace("主要预期指标表（二）", "附表"))
    with pytest.raises(InputError, match="主要预期指标表（二）"):
        parse(f)


def test_plan_path_accepts_str(tmp_path):
    f = write(tmp_path, raw_text())
    assert len(parse(str(f))) == len(parse(Path(f)))


def _without_lines(tmp_path, first: int, last: int) -> Path:
    lines = RAW.read_text("utf-8").splitlines(keepends=True)
    out = tmp_path / "plan.txt"
    out.write_text("".join(lines[: first - 1] + lines[last:]), "utf-8")
    return out


def test_deleting_a_table_row_is_an_error_naming_table_row_and_line(tmp_path):
    # lines 203-207: the 公办幼儿园数 row of 主要预期指标表（一） (targets 221 / 240)
    assert RAW.read_text("utf-8").splitlines()[203] == "\t公办幼儿园数（所）"
    with pytest.raises(InputError) as err:
        parse(_without_lines(tmp_path, 203, 207))
    assert str(err.value) == (
        f"{tmp_path / 'plan.txt'}, line 199: table '主要预期指标表（一）': row '公办幼儿园数（所）' "
        "(public_kindergartens) missing, expected after line 199 and before line 204 "
        "(25 rows found, 26 expected)")


def test_deleting_a_numbered_row_is_an_error_from_the_row_numbers(tmp_path):
    text = RAW.read_text("utf-8").splitlines()
    start = text.index("\t党建工作示范学校（所）")  # row 2 of 主要预期指标表（二）: 序号 line before
    with pytest.raises(InputError, match=r"table '主要预期指标表（二）': row\(s\) 2 missing "
                                         r"\(序号 jumps from 1 to 3 before '思政工作体系优质学校（所）'\)"):
        parse(_without_lines(tmp_path, start, start + 4))


def test_a_repeated_row_is_flagged(tmp_path):
    lines = RAW.read_text("utf-8").splitlines(keepends=True)
    # the row of 主要预期指标表（一） (line 204): group cell, label, 2 values, blank line
    i = lines.index("\t公办幼儿园数（所）\n", 195) - 1
    out = tmp_path / "plan.txt"
    out.write_text("".join(lines[: i + 5] + lines[i: i + 5] + lines[i + 5:]), "utf-8")
    flags = tables(out)["plan_flags.csv"]
    extra = flags[flags["flag_id"].str.contains("extra_row")]
    assert len(extra) == 1 and "not in the expected layout of table '主要预期指标表（一）'" in \
        extra["message"].iloc[0]


def test_deleting_a_row_of_the_outturn_table_is_an_error_too(tmp_path):
    lines = RAW.read_text("utf-8").splitlines()
    label = lines.index("\t公办幼儿园数（所）") + 1  # first: the 13th-FYP outturn table
    assert label < 190
    # the row: empty group cell, label, 2015, 2020, growth, blank line
    with pytest.raises(InputError, match=r"table '清远市教育事业发展“十三五”规划主要目标完成情况': "
                                         r"row '公办幼儿园数（所）' \(public_kindergartens\) missing"):
        parse(_without_lines(tmp_path, label - 1, label + 4))
