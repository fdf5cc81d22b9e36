"""Page 20's accuracy section and the index caveat read the honest-in-time accuracy of the
published grade flow, on a small SYNTHETIC table (tests/fixtures/accuracy/, hand-made, not a
measurement): the values below are worked out from it by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from qyedu.views import decision
from qyedu.views import enrollment as ev

FIX = Path(__file__).parent / "fixtures" / "accuracy"


@pytest.fixture(scope="module")
def acc():
    return pd.read_csv(FIX / "honest_accuracy_synthetic.csv", comment="#")


@pytest.fixture(scope="module")
def senior():
    return pd.read_csv(FIX / "honest_senior_accuracy_synthetic.csv", comment="#")


def test_caveat_falls_back_to_the_longest_lead_every_level_was_tested_on_five_areas(acc):
    """Junior at lead 5 rests on 4 areas: lead 3 is quoted; coverage pooled by n_band."""
    a = decision.panel_accuracy(acc)
    assert a["lead"] == 3 and (a["lo"], a["hi"]) == (6.0, 8.0)
    assert a["coverage"] == pytest.approx((85 * 60 + 97 * 50) / 110)  # 90.45, not (85+97)/2
    assert a["forecasts"] == 110 and a["levels"] == ["primary", "junior_secondary"]
    c = decision.caveats([], None, "x.html#a", acc)[1]
    assert c["zh"].startswith("按时间诚实回测（每个起点只用当时已知的数据")
    assert "本方法提前 3 年的预测误差（平均绝对百分比误差）小学、初中为 6–8 %，5–95 % 区间覆盖了" \
           " 110 个观测中的 90 %" in c["zh"]
    assert "Back-tested honest in time" in c["en"]
    assert "3-year-ahead errors (mean absolute percentage error) range from 6 % to 8 % " \
           "(primary, junior secondary), and its 5–95 % band holds 90 % of 110 observed" in c["en"]
    assert c["link"] == "x.html#a"


def test_caveat_keeps_qingyuans_own_frozen_check_beside_it(acc):
    bt = pd.DataFrame({"series": ["qingyuan_primary"], "origin": [2020], "horizon": [2],
                       "method": ["cohort_model_medium"], "ape": [3.25],
                       "forecast_p05": [90.0], "forecast_p95": [110.0], "actual": [100.0]})
    c = decision.caveats([], bt, "x.html#a", acc)[1]
    assert "6–8 %" in c["zh"] and "清远本地回测的误差：小学 3.2 %（2020 年起提前 2 年）" in c["zh"]
    assert "1 个观测中 1 个落在 5–95 % 区间内" in c["zh"]


def test_caveat_needs_the_published_method_and_ignores_the_old_table(acc):
    assert decision.panel_accuracy(acc.drop(columns="mape")) is None
    assert decision.panel_accuracy(acc[acc["method"] != "grade_flow_band"]) is None
    old = pd.DataFrame({"level": ["primary"], "horizon": [5], "method": ["cohort_flow"],
                        "mape": [8.9], "coverage_p05_p95": [90.0]})
    assert decision.panel_accuracy(old) is None


def test_accuracy_display_claims_a_gain_only_where_the_interval_excludes_zero(acc, senior):
    t = ev.accuracy_display(acc, senior, "qingyuan_like")
    p1 = t.loc[("小学 Primary", 1)]
    assert p1["本方法 grade flow MAPE % / 偏差 bias %"] == "2.0 / −0.5"
    assert p1["保持系数 hold factor MAPE % / 偏差 bias %"] == "2.3 / −0.6"
    assert p1["入学存活 intake survival MAPE % / 偏差 bias %"] == "–"
    assert p1["p05–p95 覆盖率 coverage %"] == 90.0
    assert (p1["预测数 n"], p1["有区间 n with band"], p1["地区数 areas"]) == (100, 80, 28)
    assert p1["最佳基准 best baseline"] == "保持系数 hold factor"
    assert p1["与最佳基准之差 diff pp（95 % 区间 interval）"] == "−0.30（−0.50 至 to −0.10）"
    assert p1["结论 verdict"] == "有增益 gain"
    p3 = t.loc[("小学 Primary", 3)]  # the file says gain, but the interval holds zero
    assert p3["结论 verdict"] == "在噪声内 inside noise"
    assert p3["沿用上年 carry forward MAPE % / 偏差 bias %"] == "7.4 / +0.0"
    assert t.loc[("初中 Junior secondary", 3), "结论 verdict"] == "更差 loss"
    assert t.loc[("初中 Junior secondary", 5), "结论 verdict"] == "地区太少 too few areas"
    s1 = t.loc[("普通高中 General senior", 1)]
    assert s1["结论 verdict"] == "无基准 no baseline tested" and s1["p05–p95 覆盖率 coverage %"] == 92.0
    assert len(t) == 7  # 3 primary + 3 junior + 1 senior: bureau-like rows left out
    both = ev.accuracy_display(acc)
    assert both.loc[("教育局信息 bureau-like information", "小学 Primary", 5), "结论 verdict"] \
        == "在噪声内 inside noise"
    assert "cohort flow" not in " ".join(both.columns)


def test_trust_statement_reads_the_published_method_and_its_verdicts(acc):
    text = ev.trust_statement(acc)
    assert "小学：按时间诚实回测（每个起点只用当时已知的数据），类清远信息下本方法在各省和全国的平均误差为 " \
           "1 年 2.0%、3 年 6.0%、5 年 9.0%；p05–p95 区间覆盖了 85–90% 的实际值；与最佳简单基准" \
           "相比（差的 95 % 区间不含零才算增益）：1 年有增益，3 年、5 年在噪声内。" in text
    assert "5 年 14.0%（5 年：仅 4 个地区，30 次）；p05–p95 区间覆盖了 95–97% 的实际值（1 年、3 年）" \
           in text and "1 年有增益，3 年更差，5 年地区太少。" in text
    assert "gain at 1 year, inside noise at 3 and 5 years." in text
    assert "(5 years ahead: 4 areas only, 30 forecasts); its p05–p95 band held 95–97 % of the " \
           "outturns at 1 and 3 years ahead" in text
    assert "bureau" not in text and "1.5%" not in text  # one information set at a time


def test_held_out_count_per_information_set(acc):
    assert ev.held_out_counts(acc) == {"qingyuan_like": (4, 6), "bureau_like": (3, 4)}
    text = ev.held_out_statement(acc)
    assert "类清远信息 6 个中 4 个（67 %）；教育局信息 4 个中 3 个（75 %）" in text
    assert "4 of 6 with Qingyuan-like information (67 %); 3 of 4 with bureau-like" in text
    # the fixture's held-out rows come from at most 3 areas: the share is named as unsteady
    assert "只来自 3 个地区" in text and "They come from 3 areas only" in text
    assert "should hold about 90 %" in text
    held = pd.DataFrame({"info": ["bureau_like", "qingyuan_like", "qingyuan_like",
                                  "qingyuan_like", "qingyuan_like"],
                         "method": ["grade_flow_band"] * 4 + ["hold_factor"],
                         "inside": [True, True, False, None, True]})
    assert ev.held_out_counts(acc, held) == {"qingyuan_like": (1, 2), "bureau_like": (1, 1)}


def test_accuracy_chart_marks_only_the_gains(acc):
    from qyedu.figures.enrollment import accuracy_chart

    fig = accuracy_chart(acc)
    top = fig.axes[0]
    gain = [ln for ln in top.get_lines() if "gain" in ln.get_label()]
    assert list(gain[0].get_xdata()) == [1]  # primary: only lead 1's interval excludes zero
    assert "honest in time" in fig._suptitle.get_text()


def test_accuracy_display_shows_the_coverage_interval_when_the_table_has_it(acc):
    col = "覆盖率 95 % 区间 coverage interval %"
    t = ev.accuracy_display(acc.assign(coverage_lo=84.6, coverage_hi=95.2), None,
                            "qingyuan_like")
    assert t.loc[("小学 Primary", 1), col] == "85–95"
    assert col not in ev.accuracy_display(acc, None, "qingyuan_like").columns  # older file


def test_the_method_against_each_baseline_reads_in_words():
    """A SYNTHETIC paired table (two baselines, one lead): each cell has both MAPEs, the
    difference with its interval, the forecasts and the verdict in words."""
    p = pd.DataFrame([
        {"sample": "in", "info": "bureau_like", "level": "primary", "lead": 1,
         "method": "grade_flow_band", "versus": v, "n": n, "areas": 28, "mape_method": m,
         "mape_versus": b, "diff_pp": m - b, "diff_lo": lo, "diff_hi": hi, "verdict": ""}
        for v, n, m, b, lo, hi in (("intake_survival", 175, 2.03, 2.08, -0.16, 0.07),
                                   ("hold_factor", 283, 2.11, 2.58, -0.69, -0.22))]
        + [{"sample": "held_out", "info": "bureau_like", "level": "primary", "lead": 1,
            "method": "grade_flow_band", "versus": "hold_factor", "n": 3, "areas": 2,
            "mape_method": 9.0, "mape_versus": 1.0, "diff_pp": 8.0, "diff_lo": 7.0,
            "diff_hi": 9.0, "verdict": "too few areas"}])
    t = ev.paired_display(p, "bureau_like")
    assert list(t.columns) == ["对 vs 保持系数 hold factor", "对 vs 入学存活 intake survival"]
    row = t.loc[("小学 Primary", 1)]
    assert row.iloc[1] == "2.03 vs 2.08；−0.05（−0.16 至 to 0.07）；n = 175；在噪声内 inside noise"
    assert row.iloc[0].endswith("n = 283；有增益 gain")
    assert ev.paired_display(p, "qingyuan_like").empty


def test_command_check_statement_counts_by_level():
    from qyedu.views.enrollment import command_check_statement

    t = pd.DataFrame({"area": ["A", "A", "B", "China"], "year": [2020, 2021, 2020, 2024],
                      "lead": [2, 3, 2, 6],
                      "level": ["primary", "junior_secondary", "primary", "primary"],
                      "inside": [True, False, True, False]})
    s = command_check_statement(t)
    assert "4 个实际值中 2 个（50 %）" in s and "小学 2/3、初中 0/1" in s and "3 个地区" in s
    assert "以 2018 年为基年" in s and "as of 2018," in s  # year − lead
    assert "2 of 4 outturns 2020–2024 inside p05–p95 (50 %) — primary 2 of 3, junior " \
           "secondary 0 of 1." in s
    assert command_check_statement(t.iloc[:0]) == ""
    assert "five-four" not in s  # no grade index column: no sentence
    g = t.assign(grade_index=[1.0, 1.2, float("nan"), 0.9])  # A looks five-four
    s = command_check_statement(g)
    assert s.endswith(" 1 of the 2 misses is in A, whose figures point to four-year junior "
                      "schools (five-four), which the flow, built on six-three, does not model.")
    assert "落在区间外的 2 个中有 1 个属于A：其数据显示部分初中为四年制（五四制）" in s
    assert "five-four" not in command_check_statement(g.assign(grade_index=1.05))
