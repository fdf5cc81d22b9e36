"""Views and figures of notebooks 00/10/20/60 (plan, births, enrolment, scenario explorer):
real values from the default data, bilingual figure titles, expected axes and lines."""

import re

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from qyedu import explorer as explorer_views  # noqa: E402
from qyedu import params  # noqa: E402
from qyedu.figures import births as births_figures  # noqa: E402
from qyedu.figures import enrollment as enrollment_figures  # noqa: E402
from qyedu.figures import plan as plan_figures  # noqa: E402
from qyedu.views import births as births_views  # noqa: E402
from qyedu.views import enrollment as enrollment_views  # noqa: E402
from qyedu.views import plan as plan_views  # noqa: E402
from qyedu.workbench import Workbench  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3,}")


def bilingual_text(text: str) -> bool:
    return bool(CJK.search(text)) and bool(LATIN.search(text))


def title_of(fig: Figure) -> str:
    return fig._suptitle.get_text() if fig._suptitle else fig.axes[0].get_title()


@pytest.fixture(scope="module")
def wb():
    return Workbench.from_params(None, draws=200, seed=1)


@pytest.fixture(scope="module")
def scenarios(wb):
    return explorer_views.run_scenarios(wb.params.forecast)


@pytest.fixture(scope="module")
def births(wb):
    return births_views.births_table(wb.forecast_tables["births_reconstruction.csv"])


# -- plan ------------------------------------------------------------------------------------
def test_severity_counts_equal_the_registry(wb):
    counts = plan_views.severity_counts(wb.flags)
    assert counts.to_dict() == wb.flags["severity"].value_counts().to_dict() | {
        s: 0 for s in plan_views.SEVERITIES if s not in set(wb.flags["severity"])}
    table = plan_views.flags_by_rule(wb.flags)
    assert table["合计 Total"].sum() == len(wb.flags)
    assert table["错误 Error"].sum() == counts["error"] >= 1  # the growth mismatch
    assert table.loc["增幅与数值不符 Growth mismatch", "错误 Error"] == 1


def test_targets_by_source_counts_every_statement(wb):
    t = plan_views.targets_by_source(wb.indicators)
    assert t.loc["合计 Total", "条目 Statements"] == len(wb.indicators)
    assert t.loc["合计 Total", "指标 Indicators"] == wb.indicators["indicator_id"].nunique()
    assert t.loc["表格 table 13th-FYP outturn", "目标 Targets"] == 0  # outturns only


def test_conflicting_targets_finds_primary_teacher_degrees(wb):
    c = plan_views.conflicting_targets(wb.indicators).set_index("指标 Indicator")
    row = c.loc["primary_teachers_bachelor_plus_share"]
    assert row["年份 Year"] == 2025 and row["数值 Values"] == "75, 83"
    assert "专栏9" in row["出处 Statements"]


def test_key_flags_only_substantive_errors_and_warnings(wb):
    k = plan_views.key_flags(wb.flags)
    assert set(k["严重度 Severity"]) <= {"错误 Error", "警告 Warning"}
    assert k.index[0] == "growth_mismatch-001"
    assert "definition_change-001" in k.index


def test_plan_summary_and_flags_chart(wb):
    line = plan_views.summary_line(wb.indicators, wb.flags)
    assert "\n" not in line and f"审计标记 {len(wb.flags)} 条" in line
    fig = plan_figures.flags_chart(wb.flags)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    assert bilingual_text(title_of(fig))
    n_rules = len(plan_views.flags_by_rule(wb.flags))
    assert len(fig.axes[0].patches) == 3 * n_rules  # one bar per rule and severity


# -- births ----------------------------------------------------------------------------------
def test_births_table_anchors_and_band(births):
    obs = births[births["kind"] == "observed"]
    assert obs.index.tolist() == [2007, 2018, 2019]
    assert obs["p50"].tolist() == pytest.approx([56000, 66800, 60000])
    assert np.allclose(obs["share_of_guangdong"], obs["rate_ratio"])
    assert (births["p05"] <= births["p50"]).all() and (births["p50"] <= births["p95"]).all()
    assert set(births["kind"]) == {"observed", "interpolated", "extrapolated"}


def test_method_spread_and_count_vs_rate(births):
    sp = births_views.method_spread(births)
    assert sp["spread_pct"] == pytest.approx(births["spread_pct"].max())
    assert 0 < sp["spread_pct"] < 20
    cvr = births_views.count_vs_rate(2022)
    # 2018: 66,800 counted vs 14.98‰ × 387.4万 = 58,033 on the resident basis
    assert cvr.loc[2018, "出生率×常住人口 Rate × resident"] == pytest.approx(58033, abs=1)
    assert cvr.loc[2018, "计数较常住乘积 Count vs resident %"] == pytest.approx(15.1, abs=0.05)


def test_future_paths_ordered_by_scenario(scenarios):
    fp = births_views.future_paths(scenarios)
    base = params.load().forecast.base_year  # paths start after the run's base year (the
    assert fp.index[0] == base + 1 and fp.index[-1] == 2035  # base year: reconstruction table)
    assert (fp[("low", "p50")] <= fp[("medium", "p50")]).all()
    assert (fp[("medium", "p50")] <= fp[("high", "p50")]).all()
    # the high path holds births at the smoothed base: the mean of the last three years
    # (projection.births_base_years), not the base year alone (2024, a dragon year)
    hi = scenarios["high"]
    last3 = np.isin(hi.births_years, [base - 2, base - 1, base])
    smooth = np.median(hi.births[:, last3].mean(axis=1))
    assert fp.loc[2035, ("high", "p50")] == pytest.approx(smooth, rel=0.05)
    at_base = np.median(hi.births[:, hi.births_years == base])
    assert fp.loc[2035, ("high", "p50")] < 0.95 * at_base


def test_births_figures(births, scenarios):
    fig = births_figures.reconstruction_chart(births)
    assert bilingual_text(title_of(fig)) and len(fig.axes) == 1
    assert len(fig.axes[0].get_lines()) == 4  # mixture median, two methods, counts
    assert bilingual_text(fig.axes[0].get_xlabel()) and bilingual_text(fig.axes[0].get_ylabel())
    fig = births_figures.future_paths_chart(scenarios)
    assert bilingual_text(title_of(fig))
    assert len(fig.axes[0].get_lines()) == 1 + 3 + 1  # past, three scenarios, base year
    line = births_views.summary_line(births, scenarios)
    base = params.load().forecast.base_year
    assert f"{base} 年出生人口" in line and "低方案" in line


# -- enrolment -------------------------------------------------------------------------------
def test_peak_table_primary(wb):
    peaks = enrollment_views.peak_table(wb.result)
    p = peaks.loc["primary"]
    assert p["p05"] <= p["p50"] <= p["p95"]
    assert p["peak_year_p05"] <= p["peak_year"] <= p["peak_year_p95"]
    assert 2022 < p["peak_year"] < 2030  # after the observed 2022–23 cross-section
    assert p["p05"] >= 422369 - 1e-6  # the observed 2022–23 primary pupils (a floor)
    # the peak of the draws is at least the highest yearly median
    city = enrollment_views.county_draws(wb.result)[:, :, 1]
    assert p["p50"] >= np.median(city, axis=0).max()
    shown = enrollment_views.peak_display(peaks).loc["小学 Primary"]
    edge = p["edge_share"] * 100  # views.format.pct: whole %, "<1 %" for a trace
    assert shown["边界峰值比例 Share at edge"] == (f"{edge:.0f} %" if edge == 0 or edge >= 1
                                               else "<1 %")
    assert shown["峰值 p50 Peak pupils"] == round(p["p50"])


def test_peak_table_county_and_unknown_county(wb):
    c = enrollment_views.peak_table(wb.result, "清城区")
    city = enrollment_views.peak_table(wb.result)
    assert (c["p50"] < city["p50"]).all()
    with pytest.raises(Exception, match="not in the projection"):
        enrollment_views.peak_table(wb.result, "广州市")


def test_county_table(wb):
    t = enrollment_views.county_table(wb.forecast_tables["enrollment_forecast.csv"], "全市")
    assert t.index[0] == 2020 and t.index[-1] == 2035
    assert t.loc[2022, ("小学 Primary", "p50")] == 422369  # calibrated exactly
    assert list(t.columns.get_level_values(0).unique())[0] == "学前教育 Preschool"


def test_backtest_views(wb):
    bt = wb.backtest_tables["backtest.csv"]
    m = enrollment_views.births_backtest(bt)
    assert list(m.index) == [1, 2, 3, 4, 5]
    assert {"carry_forward", "linear_trend", "path_medium"} <= set(m.columns)
    assert m.loc[1, "path_high"] == m.loc[1, "carry_forward"]  # no change = carry forward
    e = enrollment_views.enrolment_backtest(bt)
    assert (e["APE %"] >= 0).all() and set(e["起点 Origin"]) == {2015, 2020}


def test_enrollment_figures(wb, scenarios):
    fig = enrollment_figures.fan_chart_by_level(wb.result)
    assert bilingual_text(title_of(fig)) and len(fig.axes) == 5
    assert [ax.get_title() for ax in fig.axes][1] == "小学 Primary"
    median = fig.axes[1].get_lines()[0]
    assert len(median.get_xdata()) == len(wb.result.years)
    fig = enrollment_figures.scenario_comparison(scenarios)
    assert bilingual_text(title_of(fig)) and len(fig.axes) == 3
    assert all(len(ax.get_lines()) == 5 + 1 for ax in fig.axes)  # levels + base year
    fig = enrollment_figures.backtest_chart(wb.backtest_tables["backtest.csv"])
    assert bilingual_text(title_of(fig)) and len(fig.axes) == 2
    assert len(fig.axes[0].get_lines()) == 5  # 3 births paths + 2 baselines


def test_enrollment_summary(wb):
    peaks = enrollment_views.peak_table(wb.result)
    line = enrollment_views.summary_line(peaks)
    assert f"峰值 {peaks.loc['primary', 'peak_year']} 年" in line and "Primary enrolment" in line


# -- explorer --------------------------------------------------------------------------------
def test_scenarios_share_the_past_and_order_the_future(scenarios):
    low, high = scenarios["low"], scenarios["high"]
    past = low.births_years <= low.base_year
    assert np.array_equal(low.births[:, past], high.births[:, past])
    tot = explorer_views.horizon_totals(scenarios)
    assert tot["low"] < tot["medium"] < tot["high"]
    table = explorer_views.scenario_table(scenarios)
    base = scenarios["medium"].base_year
    # every scenario shares the calibrated past: identical base-year medians
    col = f"基期 {base} p50"
    assert table[("low", col)].equals(table[("high", col)])
    # and reproduces the published 2022-23 primary enrolment in every draw
    med = scenarios["medium"]
    i = list(med.years).index(2022)
    assert np.allclose(med.city()[:, i, med.levels.index("primary")], 422369)
    assert "2035 年" in explorer_views.summary_line(scenarios)


def test_explore_callback_and_widget(wb):
    fig = explorer_views.explore(wb.params.forecast, "low", "rate_ratio", 100, 2020)
    assert isinstance(fig, Figure) and "Low" in title_of(fig) and "2020" in title_of(fig)
    pytest.importorskip("ipywidgets")
    w = explorer_views.explorer_widget(wb.params.forecast)
    assert [c.description for c in w.children[:4]] == [
        "情景 Scenario", "出生重建 Births method", "抽样 Draws", "基年 Base year"]


def test_audit_notes_are_chinese_first(wb):
    k = plan_views.key_flags(wb.flags)
    assert k["说明 Message"].str.match(r"^[\u3400-\u9fff]").all()
