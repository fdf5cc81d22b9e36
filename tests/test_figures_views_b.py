"""Views and figures of notebooks 30/40/50 (places, teachers, scorecard) on the REAL plan
registry, standards and enrolment data with a small Monte Carlo run (100 draws). Plan values
(promises, qualification targets) are asserted exactly; projected values only by their
ordering (p05 ≤ p50 ≤ p95) and identities, since they move with the projection model."""

import re
import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from qyedu.figures import places as fplaces  # noqa: E402
from qyedu.figures import publish  # noqa: E402
from qyedu.figures import scorecard as fscore  # noqa: E402
from qyedu.figures import teachers as fteach  # noqa: E402
from qyedu.views import places as vplaces  # noqa: E402
from qyedu.views import scorecard as vscore  # noqa: E402
from qyedu.views import teachers as vteach  # noqa: E402
from qyedu.workbench import Workbench  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(scope="module")
def wb():
    return Workbench.from_params(draws=100, seed=1)


@pytest.fixture(scope="module")
def promises(wb):
    return wb.places_tables["places_promises.csv"]


def _bilingual(text: str) -> bool:
    return bool(CJK.search(text)) and bool(LATIN.search(text))


# -- places -------------------------------------------------------------------------------
def test_promise_summary_holds_the_plan_promises(promises):
    v = vplaces.promise_summary(promises)
    assert list(v.index) == ["compulsory_new_places", "preschool_new_public_places",
                             "senior_new_public_places"]
    assert v.loc["compulsory_new_places", "承诺学位 Promised"] == 50000  # 5 万个 (plan 专栏4)
    assert v.loc["preschool_new_public_places", "承诺学位 Promised"] == 25000
    assert v.loc["senior_new_public_places", "承诺学位 Promised"] == 7400
    assert (v["目标年 Target year"] == 2025).all()
    for p in ("需新增", "富余(+)/缺口(−)"):
        lo, mid, hi = (v[[c for c in v.columns if c.startswith(f"{p} {q}")][0]]
                       for q in ("p05", "p50", "p95"))
        assert (lo <= mid).all() and (mid <= hi).all()
    # surplus = promised − needed, quantile by quantile (p05 of surplus ↔ p95 of need)
    assert np.allclose(v["富余(+)/缺口(−) p50 Surplus"],
                       v["承诺学位 Promised"] - v["需新增 p50 Needed"], atol=1)
    assert v["缺口概率 P(shortfall)"].between(0, 1).all()
    idle = [c for c in v.columns if c.startswith("仅峰前需要")][0]
    assert (v[idle] <= v["承诺中需要的 p50 Needed of promise"]).all()
    assert (v["承诺中需要的 p50 Needed of promise"] <= v["承诺学位 Promised"]).all()


def test_schools_and_by_year_views(promises):
    s = vplaces.schools_summary(promises)
    assert s["承诺学校 Schools promised"].iloc[0] == 40  # ≥40 new/rebuilt compulsory schools
    assert "1250 places per school" in s["依据 Basis"].iloc[0]  # 50000 ÷ 40
    y = vplaces.promise_by_year(promises)
    assert list(y.columns) == list(range(2021, 2036))
    comp = y.loc[vplaces.promise_label("compulsory_new_places")]
    assert (comp.loc["富余 p05 Surplus"] <= comp.loc["富余 p95 Surplus"]).all()


def test_demand_capacity_and_standards(wb):
    d = vplaces.demand_capacity(wb.places_tables["places_demand.csv"])
    comp = d.loc[vplaces.level_label("compulsory")]
    # capacity at the 2022 baseline = 2022–23 enrolment corrected for 大班额 (10 % ± 5 % of
    # pupils in classes of 56): below the enrolment in use, so a shortage at the baseline
    assert comp.loc["容量 Capacity", 2022] < comp.loc["需求 p50 Needed", 2022] == 602356
    assert 0 < comp.loc["各县缺口和 p50 Shortage", 2022]
    assert "净富余 p50 Net gap" not in comp.index  # no net of primary against junior
    prim = d.loc[vplaces.level_label("primary")]
    assert prim.loc["净富余 p50 Net gap", 2022] < 0
    assert (comp.loc["容量 Capacity"].dropna().diff().dropna() >= 0).all()
    std = vplaces.class_size_standards(wb.params.places)["人数 Pupils"]
    assert list(std) == [45, 50, 50, 25, 30, 35, 56, 66]  # standards.csv lines 8-16
    c = vplaces.crowding(wb.places_tables["places_demand.csv"])
    assert c["最高大班额概率 Max P(large class)"].between(0, 1).all()
    assert c.loc[vplaces.level_label("primary"), "2022 大班额概率 P(large class)"] > 0


def test_three_answers_and_counties(wb):
    a = wb.places_tables["places_answers.csv"]
    t = vplaces.answers_table(a)
    assert [lv for lv, _ in t.index][::2] == [
        vplaces.level_label(lv) for lv in vplaces.ANSWER_LEVELS]
    for lv in vplaces.ANSWER_LEVELS:  # the level's peak shortage year comes first
        assert t.loc[vplaces.level_label(lv)].index[0] == vplaces.peak_year(a, lv)
    levels = vplaces.level_answers(a)
    assert len(levels) == 5 and "sum" in levels.index[-1]
    for line in (vplaces.reconcile(a), vplaces.level_sentences(a)):
        assert "\n" not in line and "|" in line and _bilingual(line)
    d = wb.places_tables["places_demand.csv"]
    cs = vplaces.county_shortages(d, "primary", (2025,))
    assert len(cs) == 9 and cs.index[0] == (2025, "全市")
    assert cs.loc[(2025, "全市"), "缺口均值 Mean shortage"] == pytest.approx(
        cs.drop(index=(2025, "全市"))["缺口均值 Mean shortage"].sum(), abs=8)
    assert vplaces.largest_shortage_county(d, "primary", 2025) == cs.index[1][1]


def test_places_headline_is_one_bilingual_line(promises):
    line = vplaces.headline(promises)
    assert "\n" not in line and "承诺 5 万" in line and "promised 50,000" in line
    assert "|" in line and _bilingual(line)


# -- teachers -----------------------------------------------------------------------------
def test_teacher_demand_at_peak(wb):
    v = vteach.demand_at_peak(wb.teacher_tables["teacher_demand.csv"])
    assert len(v) == 5  # all five levels, vocational too
    lo, mid, hi = (v[f"峰值专任教师 {p} Teachers at peak"] for p in ("p05", "p50", "p95"))
    assert (lo <= mid).all() and (mid <= hi).all() and (mid > 0).all()
    staff = v["峰值教职工 p50 Staff at peak"].dropna()
    assert len(staff) == 3 and (staff >= mid.loc[staff.index]).all()  # teachers ⊂ staff
    assert np.isnan(v.loc[vplaces.level_label("preschool"), "峰值教职工 p50 Staff at peak"])


def test_hiring_by_year_adds_up(wb):
    h = vteach.hiring_by_year(wb.teacher_tables["teacher_hiring.csv"])
    assert (h["合计 All p05"] <= h["合计 All p50"]).all()
    assert (h["合计 All p50"] <= h["合计 All p95"]).all()
    assert (h["离职教师 p50 Leavers"] > 0).all()  # attrition 0.03 (assumption)
    # leavers are not all replaced: surplus teachers fill their posts first
    assert (h["离职教师 p50 Leavers"] > h["合计 All p50"]).any()
    levels = h[[c for c in h.columns if not c.startswith(("合计", "离职", "累计"))]]
    assert levels.shape[1] == 5  # with secondary vocational (issue 11)
    first = h.index.min()
    assert h.loc[first, "累计 p50 Cumulative"] == h.loc[first, "合计 All p50"]


def test_qualification_mix_shows_both_plan_versions(wb):
    q = vteach.qualification_mix(wb.teacher_tables["teacher_qualifications.csv"])
    prim, jun = q.loc[vplaces.level_label("primary")], q.loc[vplaces.level_label("junior_secondary")]
    assert (prim["目标 Target 表 table %"], prim["目标 Target 专栏9 box 9 %"]) == (75, 83)
    assert (jun["目标 Target 表 table %"], jun["目标 Target 专栏9 box 9 %"]) == (94, 96)
    assert prim["版本不一致 Versions differ"] and jun["版本不一致 Versions differ"]
    assert prim["学历 Qualification"] == "本科以上"
    # no outturn of primary 本科以上 is published: flagged, no proxy baseline (issue 11)
    assert prim["无基线 No outturn"] and np.isnan(prim["新招需达标 Share of hires 表 table %"])


def test_sensitivities_and_headline(wb):
    t = wb.teacher_tables
    s = vteach.sensitivities(t["teacher_demand.csv"])
    assert 2025 in s.columns
    rules = " ".join(r for _, r in s.index)
    assert "2.4" in rules and "两教一保" in rules and "1:15" in rules and "心理" in rules
    line = vteach.headline(t["teacher_demand.csv"], t["teacher_hiring.csv"],
                           t["teacher_qualifications.csv"])
    assert "\n" not in line and "目标 75%：" in line and "83%：" in line and _bilingual(line)


def test_required_share_above_100_is_said_in_words():
    assert vteach._share_text(144.0) == ("仅靠招聘无法达到", "unreachable by hiring alone")
    assert vteach._share_text(float("nan"))[1] == "unreachable by hiring alone"
    assert vteach._share_text(98.4) == ("新招 98% 须达标", "98% of hires")


# -- scorecard ----------------------------------------------------------------------------
def test_status_counts_view_sums_to_the_rows(wb):
    sc = wb.scorecard_tables["scorecard.csv"]
    c = vscore.status_count_view(sc)
    total = c.loc["合计 All"]
    assert total["合计 Total"] == len(sc)
    assert total.drop("合计 Total").sum() == len(sc)
    assert c.drop(index="合计 All")["合计 Total"].sum() == len(sc)
    assert total["无数据 no data"] > len(sc) / 2  # almost no outturn data is published


def test_scorecard_view_sorted_and_filtered(wb):
    sc = wb.scorecard_tables["scorecard.csv"]
    v = vscore.scorecard_view(sc)
    assert len(v) == len(sc)
    order = [vscore.status_label(s) for s in ("met", "on_track", "at_risk", "missed", "no_data")]
    ranks = v["状态 Status"].map(order.index)
    assert ranks.is_monotonic_increasing
    judged = vscore.scorecard_view(sc, ("met", "on_track", "at_risk", "missed"))
    assert len(judged) == (sc["status"] != "no_data").sum()
    # general senior schools: 2022 target 33 (baseline 33), observed 34 in 2022-23 → met
    # (a count at or above its baseline target is a floor: issue 10)
    row = judged[(judged["编号 ID"] == "general_senior_schools") & (judged["目标年 Year"] == 2022)]
    assert row["状态 Status"].iloc[0] == "达成 met"
    line = vscore.headline(sc)
    assert line.startswith(f"{len(sc)} 项目标") and _bilingual(line)


# -- figures ------------------------------------------------------------------------------
def _check_figure(fig, n_axes):
    axes = [a for a in fig.axes if a.get_visible()]
    assert len(axes) == n_axes
    title = fig._suptitle.get_text() if fig._suptitle else axes[0].get_title()
    assert _bilingual(title), title
    assert any(_bilingual(a.get_xlabel()) for a in axes)
    assert any(_bilingual(a.get_ylabel()) for a in axes)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    assert not [w for w in caught if "missing" in str(w.message).lower()]


def test_places_figures(wb, promises, tmp_path):
    fig = fplaces.promise_chart(promises)
    _check_figure(fig, 3)
    assert [a.get_title() for a in fig.axes] == [
        vplaces.promise_label(p) for p in ("compulsory_new_places", "preschool_new_public_places",
                                           "senior_new_public_places")]
    dashed = fig.axes[0].get_lines()[1]  # the promise line, in 10,000 places
    assert set(dashed.get_ydata()) == {5.0}
    _check_figure(fplaces.demand_capacity_chart(wb.places_tables["places_demand.csv"]), 3)
    assert publish(fig, "30_promises", tmp_path) is fig
    assert (tmp_path / "30_promises.png").stat().st_size > 0
    assert publish(fig, "x", "") is fig and not (tmp_path / "x.png").exists()


def test_teacher_figures(wb):
    t = wb.teacher_tables
    fig = fteach.demand_chart(t["teacher_demand.csv"])
    _check_figure(fig, 1)
    assert len(fig.axes[0].get_lines()) == 4  # one median line per level
    _check_figure(fteach.hiring_chart(t["teacher_hiring.csv"]), 1)
    _check_figure(fteach.qualification_chart(t["teacher_qualifications.csv"]), 1)


def test_scorecard_figure(wb):
    sc = wb.scorecard_tables["scorecard.csv"]
    fig = fscore.status_chart(sc)
    _check_figure(fig, 1)
    widths = sum(p.get_width() for p in fig.axes[0].patches)
    assert widths == len(sc)  # every target is one unit of bar
    assert str(len(sc)) in fig.axes[0].get_title()


def test_trust_statement_names_a_lead_tested_on_few_areas_instead_of_averaging_it():
    import pandas as pd

    from qyedu.views.enrollment import trust_statement

    acc = pd.DataFrame({"sample": "in", "info": "qingyuan_like",
                        "level": ["primary"] * 3 + ["junior_secondary"] * 3,
                        "lead": [1, 3, 5] * 2, "method": "grade_flow_band",
                        "mape": [2.4, 6.0, 8.9, 2.4, 4.5, 6.6],
                        "coverage_p05_p95": [91.0, 88.0, 90.0, 90.0, 90.0, 100.0],
                        "n": [209, 153, 97, 125, 69, 15], "n_band": [200, 140, 80, 100, 50, 9],
                        "areas": [28, 28, 28, 28, 28, 1], "diff_lo": float("nan"),
                        "diff_hi": float("nan")})
    text = trust_statement(acc)
    assert "p05–p95 区间覆盖了 88–91% 的实际值。" in text
    assert "5 年 6.6%（5 年：仅 1 个地区，15 次）；p05–p95 区间覆盖了 90% 的实际值（1 年、3 年）" in text
    assert "(5 years ahead: 1 area only, 15 forecasts); its p05–p95 band held 90 % of the " \
           "outturns at 1 and 3 years ahead." in text


def test_flow_checks_for_reviewers_name_the_checks_and_verdicts_in_words():
    import pandas as pd

    from qyedu.views.enrollment import flow_checks_display

    fc = pd.DataFrame({"quantity": ["junior_per_primary", "ger_primary"], "year": [2022, 2022],
                       "county": ["全市"] * 2, "p05": [80.3, 131.9], "p50": [82.3, 133.9],
                       "p95": [84.4, 135.8], "plan_value": [100.0, None],
                       "plan_year": [2022, None], "plan_kind": ["target", None],
                       "plan_line": [1, None], "status": ["contradiction", "implausible"],
                       "note": ["", ""]})
    t = flow_checks_display(fc)
    assert t.loc[("初中/小学 junior per primary (cohort change)", 2022), "结论 Status"] == \
        "矛盾 contradiction"
    assert t.loc[("小学毛入学率 primary GER", 2022), "结论 Status"] == "不合理 implausible"
