"""Each audit rule fires on the real plan where the text is inconsistent, and the flag goes
away (or appears) when one value of a copy of the document is changed."""

import pytest

from qyedu import paths
from qyedu.plan import audit, parse, read_plan, tables

RAW_TEXT = paths.plan_file().read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def flags():
    return tables()["plan_flags.csv"]


def flags_of(tmp_path, old, new, count=1):
    """Flags of a copy of the plan with ``old`` replaced by ``new`` (``old`` must occur)."""
    assert RAW_TEXT.count(old) == count, f"{old!r} occurs {RAW_TEXT.count(old)} times"
    f = tmp_path / "plan.txt"
    f.write_text(RAW_TEXT.replace(old, new), encoding="utf-8")
    return audit(parse(f), read_plan(f))


def has(flags, rule, indicator_id=None, line=None):
    sel = flags[flags["flag_id"].str.startswith(rule + "-")]
    if indicator_id is not None:
        sel = sel[sel["indicator_id"] == indicator_id]
    if line is not None:
        sel = sel[sel["line"] == line]
    return len(sel)


def test_flag_table_shape(flags):
    assert list(flags.columns) == ["flag_id", "severity", "indicator_id", "line", "message"]
    assert flags["flag_id"].is_unique
    assert set(flags["severity"]) == {"error", "warning", "info"}


def test_growth_mismatch(flags, tmp_path):
    row = flags[flags["flag_id"].str.startswith("growth_mismatch")]
    assert list(row["indicator_id"]) == ["special_students"] and list(row["severity"]) == ["error"]
    assert "62.82" in row.iloc[0]["message"]
    fixed = flags_of(tmp_path, "\t56.56%\n", "\t62.82%\n")
    assert has(fixed, "growth_mismatch") == 0
    broken = flags_of(tmp_path, "\t30.25%\n", "\t31.25%\n")
    assert has(broken, "growth_mismatch", "kindergartens", 38) == 1


def test_growth_basis_mixed(flags, tmp_path):
    assert has(flags, "growth_basis_mixed", "preschool_gross_enrolment_ratio", 50) == 1
    assert has(flags, "growth_basis_mixed", "preschool_teachers_associate_plus_share") == 1
    assert has(flags, "growth_basis_mixed", "kindergartens") == 0
    relative = flags_of(tmp_path, "\t4.57%\n", "\t4.73%\n")
    assert has(relative, "growth_basis_mixed", "preschool_gross_enrolment_ratio") == 0


def test_growth_format(flags, tmp_path):
    assert has(flags, "growth_format", "vocational_schools", 102) == 1
    assert has(flags, "growth_format", "preschool_teachers_associate_plus_share") == 1
    fixed = flags_of(tmp_path, "\t-14.29\n", "\t-14.29%\n")
    assert has(fixed, "growth_format", "vocational_schools") == 0


def test_missing_cell(flags, tmp_path):
    assert has(flags, "missing_cell", "primary_enrolment_rate", 75) == 1
    filled = flags_of(tmp_path, "\t100\n\t100\n\t\n", "\t100\n\t100\n\t0%\n")
    assert has(filled, "missing_cell") == 0
    emptied = flags_of(tmp_path, "\t628\n", "\t\n")
    assert has(emptied, "missing_cell", "kindergartens", 36) == 1


def test_split_cell(flags, tmp_path):
    assert has(flags, "split_cell", "vocational_schools", 271) == 1
    fixed = flags_of(tmp_path, "\t\n14\n", "\t14\n")
    assert has(fixed, "split_cell") == 0


def test_merged_row(flags, tmp_path):
    assert has(flags, "merged_row", "higher_ed_enrolled", 281) == 1
    unmerged = flags_of(tmp_path, "\t普通本专科生\n其中：本科生（万人）", "\t其中：本科生（万人）")
    assert has(unmerged, "merged_row") == 0


def test_empty_row(flags, tmp_path):
    assert has(flags, "empty_row", line=234) == 1
    fixed = flags_of(tmp_path, "\t\n\n\t小学适龄儿童入学率（%）", "\t\n\t小学适龄儿童入学率（%）")
    assert has(fixed, "empty_row") == 0


def test_column_kind(flags, tmp_path):
    assert has(flags, "column_kind", line=338) == 1 and has(flags, "column_kind") == 2
    relabelled = flags_of(tmp_path, "\t2022年（预计完成值）", "\t2022年（目标值）")
    assert has(relabelled, "column_kind", line=338) == 0 and has(relabelled, "column_kind") == 1


def test_duplicate_row(flags, tmp_path):
    assert has(flags, "duplicate_row", "disabled_children_enrolment_rate") == 1
    dup = flags_of(tmp_path, "\t公办幼儿园数（所）\n\t221", "\t幼儿园数（所）\n\t221")
    assert has(dup, "duplicate_row", "kindergartens") == 1


def test_definition_change(flags, tmp_path):
    assert has(flags, "definition_change", "primary_teachers_bachelor_plus_share", 313) == 1
    assert has(flags, "definition_change", "senior_teachers_master_plus_share", 323) == 1
    same = flags_of(tmp_path, "\t小学专任教师本科以上学历比例（%）", "\t小学专任教师专科以上学历比例（%）")
    assert has(same, "definition_change", "primary_teachers_bachelor_plus_share") == 0
    assert has(same, "definition_change") == 1


def test_target_conflict_values(flags, tmp_path):
    for iid in ("primary_teachers_bachelor_plus_share", "junior_teachers_bachelor_plus_share",
                "distinctive_senior_schools", "vocational_schools"):
        sel = flags[flags["flag_id"].str.startswith("target_conflict") & (flags["indicator_id"] == iid)]
        assert list(sel["severity"]) == ["warning"], iid
    msg = flags[flags["flag_id"].str.startswith("target_conflict")
                & (flags["indicator_id"] == "primary_teachers_bachelor_plus_share")].iloc[0]["message"]
    assert "75" in msg and "83" in msg
    agreed = flags_of(tmp_path, "分别达到83%和96%", "分别达到75%和94%")
    assert has(agreed, "target_conflict", "primary_teachers_bachelor_plus_share") == 0
    assert has(agreed, "target_conflict", "junior_teachers_bachelor_plus_share") == 0


def test_target_conflict_bounds(flags, tmp_path):
    sel = flags[flags["flag_id"].str.startswith("target_conflict")
                & (flags["indicator_id"] == "preschool_new_public_places")]
    assert list(sel["severity"]) == ["warning"] and "bounds" in sel.iloc[0]["message"]
    agreed = flags_of(tmp_path, "累计增加公办幼儿园学位2.5万个，", "累计增加公办幼儿园学位2.5万个以上，")
    assert has(agreed, "target_conflict", "preschool_new_public_places") == 0
    # a table's bare number vs the prose's "以上" is only an info
    sel = flags[flags["flag_id"].str.startswith("target_conflict")
                & (flags["indicator_id"] == "preschool_public_share")]
    assert list(sel["severity"]) == ["info"]


def test_actual_conflict(flags, tmp_path):
    sel = flags[flags["flag_id"].str.startswith("actual_conflict")].set_index("indicator_id")
    assert sel.loc["senior_gross_enrolment_ratio", "severity"] == "info"   # 92.5 vs 92.53
    assert sel.loc["vocational_schools", "severity"] == "warning"          # 14 vs 18
    same = flags_of(tmp_path, "全市14所中职学校", "全市18所中职学校")
    assert has(same, "actual_conflict", "vocational_schools") == 0
    off = flags_of(tmp_path, "由2015年的92.5%", "由2015年的90.5%")
    sel = off[off["flag_id"].str.startswith("actual_conflict")
              & (off["indicator_id"] == "senior_gross_enrolment_ratio")]
    assert list(sel["severity"]) == ["warning"]


def test_target_below_baseline(flags, tmp_path):
    for iid in ("vocational_schools", "junior_graduate_progression_rate",
                "nine_year_retention_rate", "preschool_gross_enrolment_ratio"):
        assert has(flags, "target_below_baseline", iid) == 1, iid
    assert has(flags, "target_below_baseline", "kindergartens") == 0
    lower = flags_of(tmp_path, "九年义务教育巩固率达98.34%", "九年义务教育巩固率达94.34%")
    assert has(lower, "target_below_baseline", "nine_year_retention_rate") == 0
    fewer = flags_of(tmp_path, "\t844\n\t922\n", "\t844\n\t800\n")
    assert has(fewer, "target_below_baseline", "kindergartens") == 1


def test_editorial_note(flags, tmp_path):
    assert has(flags, "editorial_note", "special_schools", 16) == 1
    clean = flags_of(tmp_path, "（其中十三五期间建成的应为2所）", "")
    assert has(clean, "editorial_note") == 0


def test_benchmark_wording(flags, tmp_path):
    assert has(flags, "benchmark_wording", line=470) == 1
    same = flags_of(tmp_path, "监测结果达全省平均水平", "监测结果接近全省平均水平")
    assert has(same, "benchmark_wording") == 0


def test_unextracted_number(flags, tmp_path):
    assert has(flags, "unextracted_number", line=567) == 1
    extra = flags_of(tmp_path, "构建大中小幼学校文化体系。到2025年底",
                     "构建大中小幼学校文化体系。新建7座图书馆。到2025年底")
    assert has(extra, "unextracted_number", line=432) == 1


def test_noise_is_reported(flags, tmp_path):
    assert has(flags, "noise_comment") == 3
    assert has(flags, "noise_double_punct", line=16) == 1
    assert has(flags, "noise_footnote_marker", line=7) == 1
    assert has(flags, "noise_header_space", line=191) == 1
    assert has(flags, "noise_bookmark") == 1
    clean = flags_of(tmp_path, "85.38%。。", "85.38%。")
    assert has(clean, "noise_double_punct") == 0
    clean = flags_of(tmp_path, "\tComment by 琪兒是淸新小女子❀: 此处已修改。", "")
    assert has(clean, "noise_comment") == 2
    clean = flags_of(tmp_path, " (\n1\n)\n", "\n\n\n")
    assert has(clean, "noise_footnote_marker") == 0


def test_flags_are_deterministic(tmp_path):
    a = flags_of(tmp_path, "\t30.25%\n", "\t31.25%\n")
    b = flags_of(tmp_path, "\t30.25%\n", "\t31.25%\n")
    assert a.equals(b)
