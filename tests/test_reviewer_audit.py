"""Defects a bureau reviewer found reading the rendered reviewer edition (December 2026 audit),
each pinned on the renderer that printed it, on small frames in the processed tables' schema
whose numbers can be checked by hand."""

import re
from pathlib import Path

import pandas as pd

from qyedu.views import format as fmt
from qyedu.views import places as vplaces

LEVELS = ("preschool", "primary", "junior_secondary", "senior_general", "compulsory")


def _answers(peak_median: float = 12183.0) -> pd.DataFrame:
    """places_answers.csv for five levels: the median shortage is 5,196 in the median peak
    year 2025 and 8,743 in 2026, while the median of each draw's own peak is ``peak_median``
    (the decision box's 'shortage at its peak')."""
    rows = []

    def add(lv, q, year, p50, p05=0.0, p95=None, mean=None):
        rows.append({"promise": "x", "year": year, "level": lv, "county": "全市",
                     "scenario": "medium", "quantity": q,
                     "mean": p50 if mean is None else mean, "p05": p05, "p50": p50,
                     "p95": p50 if p95 is None else p95, "basis": "", "note": ""})

    for lv in LEVELS:
        for y, p50 in ((2024, 5925.0), (2025, 5196.0), (2026, 8743.0), (2027, 8403.0)):
            add(lv, "capacity_shortage", y, p50, p95=28772.0)
            add(lv, "prob_shortage", y, 0.0, mean=0.65)
        add(lv, "shortage_peak_year", 2035, 2025.0, p05=2022.0, p95=2027.0)
        add(lv, "shortage_at_peak", 2035, peak_median, p05=5312.0, p95=35141.0)
        add(lv, "idle_at_horizon", 2035, 168088.0, p05=120491.0, p95=234075.0)
        add(lv, "promise_need", 2025, -3924.0, p05=-21709.0, p95=18591.0)
    return pd.DataFrame(rows)


# -- page 30: "the shortage peaks in 2025 at 5,196" beside the decision box's 12,183 ---------
def test_peak_sentence_names_the_peak_year_value_and_the_median_of_each_draws_peak():
    text = vplaces.level_sentences(_answers())
    # the value in the peak year is said to be that year's, and the decision box's statistic
    # (each draw's peak, then the median) is printed beside it under the decision box's words
    assert "小学：缺口峰值年 2025 年，当年各县缺口合计 5,196（p05–p95 0–28,772，当年出现缺口概率 " \
           "65 %），缺口峰值（各抽样峰值的中位数）12,183" in text
    assert "Primary: the shortage peaks in 2025, when county shortages sum to 5,196 " \
           "(p05–p95 0–28,772; P(shortage) 65 %); shortage at its peak (median of each " \
           "draw's peak) 12,183" in text
    assert "shortage peaks in 2025 at 5,196" not in text  # the old, contradicting wording
    assert "2025 年合计 5,196，缺口峰值（各抽样峰值的中位数）12,183" in text  # compulsory


def test_level_table_prints_both_statistics_under_distinct_labels():
    t = vplaces.level_answers(_answers(peak_median=17588.0))
    row = t.loc["义务教育 Compulsory = 小学 + 初中 (sum)"]
    assert row["缺口峰值年 Peak shortage year"] == 2025
    assert row["峰值年当年缺口 Shortage in the peak year"] == "5,196 (0–28,772)"
    assert row["缺口峰值（各抽样峰值的中位数）Shortage at its peak (median of each draw's "
               "peak)"] == "17,588 (5,312–35,141)"
    assert "峰值年缺口 Shortage at peak" not in t.columns


def test_bands_print_negatives_with_a_true_minus():
    a = _answers()
    r = a[(a["level"] == "preschool") & (a["quantity"] == "promise_need")].iloc[0]
    assert vplaces._band(r) == "−3,924 (−21,709–18,591)"  # was "-3,924 (-21,709–18,591)"


# -- page 30: the place plan's "by" year printed as 2,031 ------------------------------------
def _plan() -> pd.DataFrame:
    rows = []
    for y, places in ((2029, 9000.0), (2030, 9000.0), (2031, 8504.0)):
        rows.append({"county": "清城区", "level": "junior_secondary", "year": y,
                     "strategy": "plan", "form": "converted", "places": places})
    for y, before, after, p in ((2029, 5109.0, 900.0, 0.2), (2030, 9022.0, 1800.0, 0.2),
                                (2031, 13401.0, 2514.0, 0.17)):
        rows.append({"county": "清城区", "level": "junior_secondary", "year": y,
                     "strategy": "plan", "form": "all", "places": 0.0,
                     "shortage_before": before, "expected_shortage": after,
                     "prob_shortage": p})
    return pd.DataFrame(rows)


def test_place_plan_years_are_printed_as_years():
    t = vplaces.plan_actions_table(_plan())
    row = t.iloc[0]
    assert row["学位 Places"] == 26504 and row["年份 Years"] == "2029–2031"
    assert row["最迟年份 By year"] == 2031 and row["缺口峰值年 Peak year"] == 2031
    html = fmt.frame_html(t)
    assert ">2031<" in html and "2,031" not in html
    assert ">26,504<" in html and ">13,401<" in html


# -- page 30: the demand table's all-places shortage beside the verdicts' public shortage -----
def test_demand_table_says_preschool_and_senior_count_all_places():
    rows = []
    for lv, q, p50 in (("senior_general", "shortage", 1863.0),
                       ("senior_general", "public_shortage", 1631.0),
                       ("senior_general", "capacity", 82792.0),
                       ("senior_general", "places_needed", 82455.0),
                       ("primary", "shortage", 5196.0), ("primary", "capacity", 462456.0),
                       ("primary", "places_needed", 449147.0)):
        rows.append({"year": 2025, "level": lv, "county": "全市", "scenario": "medium",
                     "quantity": q, "mean": p50, "p05": p50, "p50": p50, "p95": p50})
    d = vplaces.demand_capacity(pd.DataFrame(rows))
    senior = "普通高中 General senior · 全部学位（公办+民办） all places, public + private"
    assert d.loc[(senior, "各县缺口和 p50 Shortage"), 2025] == 1863  # all places, so labelled
    assert d.loc[("小学 Primary", "各县缺口和 p50 Shortage"), 2025] == 5196  # same basis


# -- page 20: the grade flow's transition checks printed as code names ------------------------
def test_flow_checks_name_the_transition_checks_in_words():
    from qyedu.views.enrollment import flow_checks_display

    fc = pd.DataFrame({"quantity": ["transition_primary_junior", "transition_junior_senior"],
                       "year": [2022, 2022], "county": ["全市"] * 2, "p05": [77.6, 62.5],
                       "p50": [84.9, 66.8], "p95": [92.8, 71.8], "plan_value": [100.0, 98.0],
                       "plan_year": [2022, 2022], "plan_kind": ["target"] * 2,
                       "plan_line": [1, 2], "status": ["contradiction"] * 2, "note": ["", ""]})
    t = flow_checks_display(fc)
    checks = list(t.index.get_level_values(0))
    assert checks == ["初一/上年六年级 grade 7 per grade 6 a year earlier (transition)",
                      "高一/上年初三 grade 10 per grade 9 a year earlier (transition)"]
    assert t.loc[(checks[0], 2022), "p50"] == 84.9
    assert not any("_" in c for c in checks)


# -- page 10: the largest method spread printed as "year / spread_pct" -----------------------
def test_method_spread_is_a_bilingual_one_row_table():
    from qyedu.views.births import method_spread_table

    births = pd.DataFrame({"spread_pct": [2.2, 11.06, 0.4]}, index=[2002, 2012, 2015])
    t = method_spread_table(births)
    assert t.to_dict("records") == [{"两法差最大的年份 Year of the largest spread": 2012,
                                     "两法差 Spread %": 11.1}]
    html = fmt.frame_html(t)
    assert ">2012<" in html and ">11.1<" in html
    assert "spread_pct" not in html and ">year<" not in html


# -- index: the run's parameters as code keys, the figures as file names ----------------------
def _manifest(figures):
    return {"run_id": "r1", "started": "2026-12-07T00:00:00+00:00", "total_seconds": 93.0,
            "git_commit": "abc", "only": None, "figures": figures,
            "parameters": {"file": "params/default.yaml", "file_sha256": "0" * 64,
                           "notebook": {"base_year": 2024, "county": "全市", "draws": 2000,
                                        "horizon": 2035, "scenario": "medium", "seed": 1}},
            "notebooks": []}


def test_index_parameters_have_bilingual_names_and_values_for_people():
    from qyedu.pipeline.index import index_html

    page = index_html(_manifest([]))
    params = page.split("<h2>参数 Parameters</h2>")[1]
    assert "<th>出生情景 births scenario</th><td>中方案 Medium</td>" in params
    assert "<th>抽样次数 draws</th><td>2,000</td>" in params
    assert "<th>基年 base year</th><td>2024</td>" in params
    assert "base_year" not in params and ">medium<" not in params and ">2000<" not in params


def test_index_lists_figures_by_their_titles(tmp_path):
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    from qyedu.pipeline.index import index_html

    (tmp_path / "figures").mkdir()
    info = PngInfo()
    info.add_text("Title", "各学段在校生 Enrolment by level")
    Image.new("RGB", (4, 4)).save(tmp_path / "figures" / "20_fan.png", pnginfo=info)
    (tmp_path / "figures" / "20_fan.svg").write_text("<svg/>")
    page = index_html(_manifest(["20_fan.png", "20_fan.svg"]), reports_dir=tmp_path)
    assert ('<li>图 各学段在校生 Enrolment by level <a href="figures/20_fan.png">PNG</a> · '
            '<a href="figures/20_fan.svg">SVG</a></li>') in page
    assert ">20_fan.png<" not in page


# -- the workbook's sources sheet: two tables without description or raw files; English-only
#    headers on the back-test, grade, place-plan and drift-choice sheets -------------------------
KEYED_TABLES = ("plan_indicators", "plan_flags", "scorecard", "place_plan", "enrolment_by_grade",
                "structural_choices", "honest_accuracy", "honest_senior_accuracy",
                "honest_held_out", "command_check", "honest_paired", "forecast_register")


def test_every_keyed_table_has_a_description_and_its_raw_files():
    from qyedu.checks import TABLE_KEYS
    from qyedu.pipeline.workbook import DESCRIPTIONS, RAW_SOURCES

    assert {n[:-4] for n in TABLE_KEYS} == set(KEYED_TABLES)
    for stem in KEYED_TABLES:
        assert DESCRIPTIONS.get(stem) and RAW_SOURCES.get(stem), stem
    assert DESCRIPTIONS["structural_choices"].startswith("漂移假设 Each promise's verdict")
    assert "enrollment.csv" in RAW_SOURCES["enrolment_by_grade"]


def test_workbook_headers_are_chinese_first_on_every_sheet():
    from qyedu.pipeline.workbook import header

    grade = ("year,stage,stage_zh,level,age,fed_by,ratio_kind,pupils_mean,pupils_p05,"
             "pupils_p50,pupils_p95,ratio_p05,ratio_p50,ratio_p95,age_cohort_p50,scenario")
    choices = ("promise,level,choice,choice_zh,choice_en,is_default,target_year,promised,"
               "need_p05,need_p50,need_p95,prob_shortfall,scenario")
    paired = ("sample,info,level,lead,method,versus,n,areas,mape_method,mape_versus,diff_pp,"
              "diff_lo,diff_hi,verdict")
    plan = ("county,level,year,strategy,form,places,shortage_before,expected_shortage,"
            "prob_shortage,idle_places,idle_capital,cost,basis")
    for cols in (grade, choices, paired, plan):
        for c in cols.split(","):
            assert re.match(r"[\u4e00-\u9fff]", header(c)), c
    assert header("prob_shortfall") == "缺口概率 prob_shortfall"
    assert header("pupils_p50") == "在校生中位数 pupils_p50"


# -- index caveat printed Qingyuan's vocational miss as 104.0 %, page 20's table as 104 -------
def test_local_backtest_errors_are_rounded_as_on_page_20():
    from qyedu.views import decision

    bt = pd.DataFrame({"series": ["qingyuan_senior_vocational", "qingyuan_junior_secondary"],
                       "origin": [2020, 2020], "horizon": [2, 2],
                       "method": ["cohort_model_medium"] * 2, "ape": [104.02, 2.24],
                       "forecast_p05": [66746.0, 117618.0], "forecast_p95": [81546.0, 256474.0],
                       "actual": [36965.0, 179987.0]})
    acc = pd.read_csv(Path(__file__).parent / "fixtures" / "accuracy"
                      / "honest_accuracy_synthetic.csv", comment="#")  # synthetic panel
    c = decision.caveats([], bt, "x.html#a", acc)[1]
    assert "初中 2.2 %（2020 年起提前 2 年）、中职 104 %（2020 年起提前 2 年）" in c["zh"]
    assert "secondary vocational 104 % (2 years ahead from 2020)" in c["en"]
    assert "104.0" not in c["zh"] + c["en"]
    page20 = fmt.frame_html(pd.DataFrame({"学段 Level": ["中职"], "APE %": [104.02]}))
    assert ">104<" in page20  # the same number, the same way
    assert "2 个观测中 1 个落在 5–95 % 区间内" in c["zh"]


# -- page 50: notes printed 11798.9, 23035.9 and 76400 ----------------------------------------
def test_scorecard_notes_print_numbers_for_people():
    from qyedu.scorecard.judge import judge_pipeline
    from qyedu.scorecard.rules import ScorecardParams, judged_bound

    # the compulsory places promise: 2021 delivered share, 2022 and 2023–25 planned
    pipe = {2021: 11798.9, 2022: 20500.0, 2023: 23035.9, 2024: 23035.9, 2025: 23035.9}
    r = judge_pipeline(2025, 50000.0, "ge", {}, pipe, ScorecardParams())
    assert r["note"].endswith(": 2021 11,799 (pipeline), 2022 20,500 (pipeline), "
                              "2023 23,036 (pipeline), 2024 23,036 (pipeline), "
                              "2025 23,036 (pipeline)")
    assert r["status"] == "no_data"  # 101,407 ≥ 50,000 but delivery is not verified
    bound, why = judged_bound("eq", 76400.0, 76400.0, "在校生总规模")
    assert (bound, why) == ("ge", "at or above the baseline 76,400: read as a floor")
    assert judged_bound("eq", 95.0, 98.34, "巩固率", percent=True)[1] == \
        "rate below its baseline 98.34: read as a floor (maintain at least)"


# -- page 70: the capital cost per place printed as 6 beside "6.23 万元/place"; school types as
#    code names in the cost sources ----------------------------------------------------------
def test_unit_costs_keep_their_decimals_and_name_school_types_in_words():
    from qyedu.views.costs import unit_costs

    units = pd.DataFrame({
        "level": ["junior_secondary", "all"],
        "quantity": ["capital_cost_per_place", "salary_per_teacher"],
        "value": [6.23, 118592.8529], "low": [6.23, 94584.77018], "high": [21.9, 148425.3051],
        "unit": ["万元/place", "元/teacher/yr"],
        "basis": ["6.23 万元/place = city programme 2022; single projects as the range "
                  "10.9-21.9: Guangdong complete_secondary, nine_year, k12 projects", "wage"],
        "note": ["2022 prices", "2022 prices"]})
    t = unit_costs(units)
    place = t.loc[("初中 Junior secondary", "每个新学位建设费 capital cost per new place")]
    assert (place["取值 Value"], place["下限 Low"], place["上限 High"]) == ("6.23", "6.23", "21.9")
    pay = t.loc[("合计 All", "教师年工资 pay per teacher")]
    assert (pay["取值 Value"], pay["下限 Low"], pay["上限 High"]) == ("118,593", "94,585",
                                                                      "148,425")
    assert "Guangdong 完全中学 complete secondary, 九年一贯制 nine-year, 十二年一贯制 K-12 " \
           "projects" in place["来源 Source"]
    html = fmt.frame_html(t)
    assert ">6.23<" in html and ">118,593<" in html and "complete_secondary" not in html


# -- page 00: the flags worth reading with code severities, ids only and "eq 25000" -------------
def test_key_flags_in_words_with_the_indicators_name():
    from qyedu.views.plan import bounds_in_words, key_flags

    flags = pd.DataFrame({
        "flag_id": ["target_conflict-012", "target_below_baseline-006", "growth_format-001"],
        "severity": ["warning", "warning", "info"],
        "indicator_id": ["preschool_new_public_places", "junior_graduate_progression_rate", "x"],
        "line": [460, 247, 9],
        "message": ["preschool_new_public_places 2025 target stated with different bounds: "
                    "eq 25000 [专栏3 line 465]; ge 25000 [section 四(二)1 line 460]",
                    "junior_graduate_progression_rate: target(s) 98 eq in 2022 (table line "
                    "247) below the 2020 outturn 99.14 (table line 86)", "noise"]})
    registry = pd.DataFrame({"indicator_id": ["preschool_new_public_places",
                                              "junior_graduate_progression_rate"],
                             "name_zh": ["增加公办学前教育学位", "初中毕业生升学率（%）"]})
    t = key_flags(flags, registry)
    assert list(t.index) == ["target_conflict-012", "target_below_baseline-006"]  # no info
    assert t.index.name == "标记编号 Flag ID"
    assert list(t.columns) == ["严重度 Severity", "指标编号 Indicator ID", "名称 Name", "行 Line",
                               "说明 Message"]
    row = t.loc["target_conflict-012"]
    assert (row["严重度 Severity"], row["名称 Name"]) == ("警告 Warning", "增加公办学前教育学位")
    assert row["说明 Message"] == ("目标值冲突：preschool_new_public_places 2025 target stated with "
                                 "different bounds: = 25,000 [专栏3 line 465]; ≥ 25,000 [section "
                                 "四(二)1 line 460]")
    assert "target(s) = 98 in 2022 (table line 247) below the 2020 outturn 99.14" in \
        t.loc["target_below_baseline-006", "说明 Message"]
    assert bounds_in_words("ge 3 & le 5 [专栏5 line 485]; approx 10") == \
        "≥ 3 & ≤ 5 [专栏5 line 485]; ≈ 10"
    # the id column is named as one, so the formatter keeps every id as printed (the old
    # column '指标 Indicator' showed this one translated and the others as code names)
    assert fmt._column_kind("指标编号 Indicator ID", t["指标编号 Indicator ID"]) == "id"


# -- page 50: "依据 Source" printed processed file names (teacher_qualifications.csv) -----------
def test_projected_status_names_the_table_it_rests_on_in_words():
    from qyedu.views.scorecard import projected_view

    card = pd.DataFrame({
        "indicator_id": ["junior_teachers_bachelor_plus_share", "compulsory_new_places",
                         "preschool_gross_enrolment_ratio"],
        "name_zh": ["初中专任教师本科以上学历比例（%）", "增加学位", "学前教育三年毛入园率"],
        "target_year": [2025, 2025, 2025], "bound": ["eq", "ge", "ge"],
        "target": [94.0, 50000.0, 98.0], "unit": ["%", "个", "%"],
        "status": ["no_data"] * 3,
        "projected_status": ["very_unlikely", "likely", "likely"],
        "projected_p_met": [None, 0.72, 0.88], "projected_p_met_range": ["<5 %", "", ""],
        "projected_source": ["teacher_qualifications.csv", "places_promises.csv",
                             "projection draws"],
        "projected_note": ["", "", ""]})
    t = projected_view(card)
    assert list(t["依据 Source"]) == ["第 40 页教师学历表 page 40's qualification table",
                                    "第 30 页学位承诺表 page 30's places promises",
                                    "在校生预测抽样 the enrolment projection's draws"]
    assert list(t["目标 Target"]) == ["= 94 %", "≥ 50,000 个", "≥ 98 %"]


def test_summaries_write_year_ranges_with_an_en_dash():
    from qyedu.views import costs, teachers
    from qyedu.workbench import Workbench

    # the English halves of pages 40 and 70's key points said 2021-2025 beside 2021–2025
    wb = Workbench.from_params(draws=100, seed=1)
    t = wb.teacher_tables
    lines = {"40": teachers.headline(t["teacher_demand.csv"], t["teacher_hiring.csv"],
                                     t["teacher_qualifications.csv"]),
             "70": costs.headline(wb.cost_tables["costs.csv"])}
    assert "hires arriving 2023–2025:" in lines["40"]
    assert "Capital cost of the promises 2021–2025:" in lines["70"]
    assert "public teachers' pay with on-costs 2021–2035:" in lines["70"]
    for page, line in lines.items():
        assert not re.search(r"\b20\d\d-20\d\d\b", line), page


# -- notebook prose: page 50 explained the basis column by code names the table no longer shows;
#    page 20 sent the reader to a CSV file -----------------------------------------------------
def _markdown(name: str) -> str:
    import json

    nb = json.loads((Path(__file__).parents[1] / "notebooks" / name).read_text("utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def test_scorecard_prose_explains_the_basis_words_the_table_prints():
    from qyedu.views.scorecard import BASIS_LABELS

    text = _markdown("50_target_scorecard.ipynb")
    for code, words in BASIS_LABELS.items():
        if code != "none":
            assert words in text, words
            assert f"`{code}`" not in text, code
    assert "`no_data`" not in text and "Why “no data” dominates" in text


def test_cohort_prose_points_to_the_workbook_not_a_csv():
    text = _markdown("20_enrollment_forecast.ipynb")
    assert "enrolment_by_grade.csv" not in text
    assert "Excel 工作簿的 enrolment_by_grade 工作表" in text


def test_sources_in_words_put_separators_in_long_numbers_only():
    from qyedu.views.source_words import in_words

    text = ("range 94,585-148,425: 粤北 all-sector 2023 × 124916/131418 (costs_counties.csv "
            "line 113, 112); https://edu.gd.gov.cn/post_3990702.html")
    assert in_words(text) == ("range 94,585-148,425: 粤北 all-sector 2023 × 124,916/131,418 "
                              "(学校项目与工资数据 school-project and wage data line 113, 112); "
                              "https://edu.gd.gov.cn/post_3990702.html")


# -- page 90: teacher demand called 按编制标准 (staffing standards) on the actual-ratio basis;
#    whole teachers printed as 55.1 and 5.4 beside the sentence's 55 and 5 ----------------------
def _next_plan_rows():
    rows = []
    for iid, name_zh, name_en, unit, p05, p50, p95 in (
            ("teachers_needed", "教师需求（按编制标准）", "Teachers needed (staffing standards)",
             "名", 1167.0, 1974.0, 3436.0),
            ("teacher_hires", "新招聘教师（当年末招聘，次年到岗）", "Teachers hired", "名",
             5.4, 55.1, 1844.0),
            ("average_class_size", "平均班额", "Average class size", "人/班", 27.2, 35.0, 39.6)):
        rows.append({"indicator_id": iid, "name_zh": name_zh, "name_en": name_en,
                     "level": "senior_vocational", "unit": unit, "year": 2030, "county": "全市",
                     "value": p50, "p05": p05, "p50": p50, "p95": p95,
                     "text": f"2030年全市中职{name_zh}约 {p50:,.0f} {unit}"})
    return pd.DataFrame(rows)


def test_next_plan_names_teacher_demand_on_the_runs_basis():
    from qyedu.nextplan import basis_words

    plan = _next_plan_rows()
    out = basis_words(plan, "actual_ratio")  # the default teachers.basis
    need = out[out["indicator_id"] == "teachers_needed"].iloc[0]
    assert need["name_zh"] == "教师需求（按实际生师比）"
    assert need["name_en"] == "Teachers needed (actual pupil-teacher ratios)"
    assert need["text"] == "2030年全市中职教师需求（按实际生师比）约 1,974 名"
    assert basis_words(plan, "staffing_standard").equals(plan)  # true there, unchanged
    assert out.drop(index=0).equals(plan.drop(index=0))  # other rows untouched


def test_draft_rows_print_whole_teachers_as_the_sentence_does():
    from qyedu.views.nextplan import draft_rows

    t = draft_rows(_next_plan_rows()).set_index("编号 indicator_id")
    assert (t.loc["teacher_hires", "数值 value (p50)"], t.loc["teacher_hires", "区间 p05–p95"]) \
        == ("55", "5–1,844")
    assert t.loc["teachers_needed", "数值 value (p50)"] == "1,974"
    assert (t.loc["average_class_size", "数值 value (p50)"],
            t.loc["average_class_size", "区间 p05–p95"]) == ("35", "27.2–39.6")


# -- notebook prose: table captions in Chinese with no English gloss (pages 30, 40, 70, 90) ----
def test_every_chinese_only_paragraph_of_the_notebooks_has_an_english_gloss():
    import json

    missing = []
    for nb in sorted((Path(__file__).parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(nb.read_text("utf-8"))["cells"]
        for cell in (c for c in cells if c["cell_type"] == "markdown"):
            paras = [p.strip() for p in re.split(r"\n\s*\n", "".join(cell["source"]))
                     if p.strip()]
            for i, p in enumerate(paras):
                if not re.search(r"[\u4e00-\u9fff]", p) or re.search(r"[A-Za-z]{3,}", p):
                    continue  # no Chinese, or the gloss is in the paragraph itself
                nxt = paras[i + 1] if i + 1 < len(paras) else ""
                if len(re.findall(r"[A-Za-z]{2,}", nxt)) < 4:
                    missing.append(f"{nb.name}: {p[:40]}")
    assert missing == []


# -- page 30: the tile map titled 'peak year' 2026 beside the level table's peak year 2025 ------
def test_county_map_names_its_year_as_the_year_of_the_largest_median():
    from test_countymap import _demand

    from qyedu.figures.countymap import county_tile_map
    from qyedu.views.places import shortage_peak_year

    d = _demand()
    fig = county_tile_map(d)
    title = fig._suptitle.get_text()
    assert "全市缺口中位数最大的年份" in title and "the year of the largest median shortage" in title
    assert "（缺口峰值年，" not in title and "(peak year," not in title
    assert [ax.get_title() for ax in fig.axes[:2]] == [
        f"小学 Primary · {shortage_peak_year(d, 'primary')}",
        f"初中 Junior secondary · {shortage_peak_year(d, 'junior_secondary')}"]
    text = _markdown("30_school_places.ipynb")
    assert "全市缺口中位数最大的年份（可与上表按各抽样峰值年份中位数给出的缺口峰值年不同）" in text


# -- index and page 60: the scenario figure's title said "2000 draws each" --------------------
def test_scenario_figure_title_puts_a_separator_in_the_draws():
    from qyedu import explorer
    from qyedu.figures.enrollment import scenario_comparison
    from qyedu.params import ForecastParams

    results = explorer.run_scenarios(ForecastParams(draws=1500, seed=1), names=["medium"])
    title = scenario_comparison(results)._suptitle.get_text()
    assert "1,500 draws each" in title and "1500 draws" not in title


# -- page 40: the parameter table with keys only, 'ge 0, lt 1' and 'None → 9%' -----------------
def test_teacher_parameters_have_chinese_names_and_ranges_in_signs():
    from qyedu.params import RunParams
    from qyedu.views.format import range_words
    from qyedu.views.teachers import assumptions

    t = assumptions(RunParams().teachers)
    assert t.index.name == "参数 Parameter" and t.columns[:2].tolist() == ["名称 Name", "取值 Value"]
    assert (t["名称 Name"] != "").all()  # every parameter named in Chinese
    assert t.loc["attrition_rate", "名称 Name"] == "专任教师年流失率"
    assert t.loc["attrition_rate", "取值 Value"] == 0.03  # the run's value, as before
    assert t.loc["non_teaching_share_primary", "范围 Range"] == "≥ 0, < 1"
    assert t.loc["avg_school_size_compulsory", "范围 Range"] == "> 0, ≤ 20,000"
    assert t.loc["basis", "范围 Range"] == "actual_ratio | staffing_standard"  # choices kept
    assert t.loc["non_teaching_share_primary", "说明 Description"].endswith(
        "(未设定（–）时 unset (–) → 9%)")
    assert range_words("ge 0.5, le 50") == "≥ 0.5, ≤ 50"


# -- page 40: in-service upgrades (teachers) printed as 15.9 ---------------------------------
def test_upgrades_are_whole_teachers():
    from qyedu.views.teachers import qualification_mix

    rows = [("baseline_share", "", 2020, 0.935), ("target_share", "table", 2025, 0.95),
            ("required_share_among_hires", "table", 2025, 1.04),
            ("upgrades_needed", "table", 2025, 15.9)]
    quals = pd.DataFrame([{"level": "senior_vocational", "qualification": "本科以上",
                           "quantity": q, "version": v, "year": y, "p50": p}
                          for q, v, y, p in rows])
    t = qualification_mix(quals)
    col = "需在职提升教师 Teachers to upgrade 表 table"
    assert t.loc["中职 Secondary vocational", col] == 15.9
    html = fmt.frame_html(t[[col]])
    assert ">16<" in html and "15.9" not in html


# -- page 50: "share of 2000 draws … (p50 113.8, p05–p95 91.14–142.3)" ------------------------
def test_projected_ratio_note_prints_draws_and_quantiles_for_people():
    from qyedu.workbench import Workbench

    card = Workbench.from_params(draws=1000, seed=1).scorecard_tables["scorecard.csv"]
    r = card[(card["indicator_id"] == "preschool_gross_enrolment_ratio")
             & (card["target_year"] == 2025)].iloc[0]
    assert r["projected_note"] == (
        f"share of 1,000 draws meeting the target in 2025 (p50 {r['projected_p50']:.1f}, "
        f"p05–p95 {r['projected_p05']:.1f}–{r['projected_p95']:.1f})")


# -- page 30: the place plan's preschool idle capital 0.31 亿元 printed as 0 ('Preschool' read as
#    a count of schools) ---------------------------------------------------------------------
def test_a_preschool_column_is_not_a_count_of_schools():
    t = pd.DataFrame({"学前教育 Preschool": [1912.0, 0.31], "初中 Junior secondary": [39587.0, 7.02]},
                     index=pd.Index(["由其他学段改建 places converted from",
                                     "2035闲置资本 亿元 Idle capital (plan)"], name="学段 Level"))
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", fmt.frame_html(t))
    assert cells == ["1,912", "39,587", "0.31", "7"]  # was "0" for 0.31 亿元
    assert fmt._column_kind("学校数 Schools", pd.Series([3.0, 4.5])) == "whole"


# -- pages 20 and 60, index: "Primary enrolment (全市) peaks …" in the English gloss ------------
def test_english_glosses_name_the_whole_city_in_english():
    from qyedu.labels import area_en
    from qyedu.views.enrollment import summary_line

    peaks = pd.DataFrame({"label": ["小学 Primary"], "peak_year": [2025], "p50": [454883.0],
                          "p05": [423798.0], "p95": [492585.0], "peak_year_p05": [2020],
                          "peak_year_p95": [2027]}, index=["primary"])
    line = summary_line(peaks)
    assert line.startswith("全市小学在校生峰值 2025 年")
    assert "| Primary enrolment (whole city) peaks in 2025" in line
    assert summary_line(peaks, county="清城区").split(" | ")[1].startswith(
        "Primary enrolment (清城区) peaks")
    assert (area_en("全市"), area_en("英德市")) == ("whole city", "英德市")


# -- methods appendix: 'official-ish official-ish: 2' ---------------------------------------
def test_reliability_classes_without_words_are_named_once():
    from qyedu.pipeline.methods import class_text

    assert class_text({"official": 21, "3rd-party": 5, "official-ish": 2,
                       "3rd-party/unknown host": 1}) == (
        "官方网站 official: 21；转载（新闻或汇编） 3rd-party: 5；official-ish: 2；"
        "3rd-party/unknown host: 1")


# -- methods appendix: 0.05263157894736842, (0.3333333333333333, …), 'ge 2021, le 2035' ---------
def test_value_and_range_words():
    from qyedu.views.format import range_words, value_text

    assert value_text(0.05263157894736842) == "0.0526"
    assert value_text((1 / 3, 1 / 3, 1 / 3)) == "0.333, 0.333, 0.333"
    assert value_text(15000.0) == "15,000" and value_text(2023) == "2023"
    assert value_text(1.5) == "1.5" and value_text(-0.03) == "−0.03"
    assert value_text(None) == "–" and value_text(False) == "否 off"
    assert value_text("medium") == "medium"
    assert value_text(float("nan")) == "–" and value_text(float("inf")) == "inf"
    assert range_words("ge 2021, le 2035") == "≥ 2021, ≤ 2035"
    assert range_words("ge 0, le 200000") == "≥ 0, ≤ 200,000"
    assert range_words("ge -0.03, le 0.06") == "≥ -0.03, ≤ 0.06"


def test_methods_appendix_prints_parameter_values_for_people():
    import re

    from qyedu.params import RunParams
    from qyedu.pipeline.methods import methods_html

    page = methods_html(RunParams())
    start = page.index("假设参数 Assumptions")
    table = page[start:page.index("</table>", start)]
    assert "0.0526" in table and "0.05263157894736842" not in table
    assert "0.333, 0.333, 0.333" in table
    assert not re.search(r"\d\.\d{5,}", table)  # no long decimals anywhere in the table
    assert not re.search(r"\b(ge|le|gt|lt) -?\d", table)  # ranges in signs
    assert "≥ 2021, ≤ 2035" in table and "None" not in table
