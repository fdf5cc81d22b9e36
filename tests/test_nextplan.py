"""Evidence for the 15th plan: next_plan.csv's 2030 numbers are the places, teacher, cost
and enrolment tables' numbers of the same run (the same draws as pages 20, 30, 40 and 70),
in the plan registry's schema; turning points come from the projection's draws; conversion
never nets across counties; idle promises are the promise view's surplus floored at 0."""

import numpy as np
import pandas as pd
import pytest

from qyedu.nextplan.schema import REGISTRY_COLUMNS
from qyedu.workbench import Workbench


@pytest.fixture(scope="module")
def wb():
    return Workbench.from_params(draws=60)


@pytest.fixture(scope="module")
def t(wb):
    return wb.nextplan_tables


def _stage(table, quantity, level, county="全市", year=2030):
    r = table[(table["quantity"] == quantity) & (table["level"] == level)
              & (table["county"] == county) & (table["year"] == year)]
    assert len(r) == 1, (quantity, level, county)
    return r.iloc[0]


def _plan(t, iid, level, county="全市", year=2030, qualification=""):
    n = t["next_plan.csv"]
    r = n[(n["indicator_id"] == iid) & (n["level"] == level) & (n["county"] == county)
          & (n["year"] == year) & (n["qualification"] == qualification)]
    assert len(r) == 1, (iid, level, county)
    return r.iloc[0]


BANDS = ["mean", "p05", "p50", "p95"]


@pytest.mark.parametrize("iid,table,quantity,level,county,scale", [
    ("places_required", "places_demand.csv", "places_needed", "primary", "全市", 1),
    ("places_required", "places_demand.csv", "places_needed", "junior_secondary", "清城区", 1),
    ("places_shortage", "places_demand.csv", "shortage", "junior_secondary", "全市", 1),
    ("places_idle", "places_demand.csv", "idle_places", "preschool", "英德市", 1),
    ("average_class_size", "places_demand.csv", "avg_class_size", "junior_secondary", "全市", 1),
    ("large_class_pupil_share", "places_demand.csv", "prob_large_class", "compulsory", "全市",
     100),
    ("pupils_enrolled", "enrollment_forecast.csv", "enrolled", "primary", "全市", 1),
    ("teachers_needed", "teacher_hiring.csv", "demand", "junior_secondary", "全市", 1),
    ("teacher_surplus", "teacher_hiring.csv", "surplus", "primary", "清城区", 1),
    ("teacher_hires", "teacher_hiring.csv", "hires", "all", "全市", 1),
    ("salary_cost", "costs.csv", "salary_cost_public", "all", "全市", 1),
    ("capital_cost_need", "costs.csv", "capital_cost", "junior_secondary", "全市", 1),
])
def test_2030_equals_the_stage_tables(wb, t, iid, table, quantity, level, county, scale):
    tables = wb.tables
    src = _stage(tables[table], quantity, level, county)
    got = _plan(t, iid, level, county)
    for k in BANDS:
        assert got[k] == pytest.approx(scale * float(src[k]), rel=1e-12, abs=1e-12), k
    assert got["value"] == got["p50"] and got["kind"] == "evidence"


def test_enrolment_2030_equals_the_draws(wb, t):
    r = wb.result
    j = list(np.asarray(r.years)).index(2030)
    city = r.city("enrolled")[:, j, list(r.levels).index("junior_secondary")]
    got = _plan(t, "pupils_enrolled", "junior_secondary")
    assert got["p50"] == pytest.approx(float(np.quantile(city, 0.5)), rel=1e-9)
    assert got["p95"] == pytest.approx(float(np.quantile(city, 0.95)), rel=1e-9)


def test_registry_schema_and_years(t, wb):
    n = t["next_plan.csv"]
    assert list(n.columns[:len(REGISTRY_COLUMNS)]) == REGISTRY_COLUMNS
    assert list(wb.indicators.columns) == REGISTRY_COLUMNS  # the plan registry's own schema
    assert set(n["year"]) == set(range(2026, 2031))
    q = _plan(t, "teacher_qualified_share", "junior_secondary", qualification="本科以上")
    assert 80 < q["p50"] < 100 and q["unit"] == "%"
    assert "2030年全市初中" in _plan(t, "places_required", "junior_secondary")["text"]
    p = _plan(t, "promise_prob_shortfall", "compulsory")
    promises = wb.places_tables["places_promises.csv"]
    ps = promises[(promises["promise"] == "compulsory_new_places")
                  & (promises["quantity"] == "prob_shortfall") & (promises["year"] == 2030)]
    assert p["prob"] == pytest.approx(float(ps["mean"].iloc[0])) and np.isnan(p["p50"])


def test_conversion_never_nets_across_counties(t):
    n = t["next_plan.csv"]
    c = n[(n["indicator_id"] == "conversion_covers_need") & (n["year"] == 2030)]
    idle = n[(n["indicator_id"] == "primary_classrooms_idle") & (n["year"] == 2030)]
    short = n[(n["indicator_id"] == "classrooms_short") & (n["year"] == 2030)]
    used = need = 0.0
    for county in set(c["county"]) - {"全市"}:
        i = float(idle[idle["county"] == county]["p50"].iloc[0])
        s = float(short[short["county"] == county]["p50"].sum())
        used, need = used + min(i, s), need + s
        share = c[c["county"] == county]["p50"].iloc[0]
        if s > 0:
            assert share == pytest.approx(100 * min(i, s) / s)
        else:
            assert np.isnan(share)
    city = c[c["county"] == "全市"]["p50"].iloc[0]
    assert city == pytest.approx(100 * used / need) if need else np.isnan(city)


def test_turning_points_from_the_draws(wb, t):
    tp = t["turning_points.csv"]
    r = wb.result
    years = np.asarray(r.years).astype(int)
    keep = years >= 2020
    d = r.city("enrolled")[:, keep, list(r.levels).index("primary")]
    peak_years = years[keep][d.argmax(axis=1)]
    row = tp[(tp["level"] == "primary") & (tp["county"] == "全市")].set_index("quantity")
    assert row.loc["peak_year", "p50"] == np.quantile(peak_years, 0.5)
    assert row.loc["peak_year", "mean"] == pytest.approx(peak_years.mean())
    assert row.loc["prob_peak_in_or_after_2026", "mean"] == pytest.approx(
        np.mean(peak_years >= 2026))
    assert {"compulsory", "preschool", "junior_secondary"} <= set(tp["level"])
    assert len(set(tp["county"])) == 9


def test_idle_promises_are_the_promise_surplus_clipped(wb, t):
    idle = t["idle_promises.csv"]
    promises = wb.places_tables["places_promises.csv"]
    for pid in ("compulsory_new_places", "preschool_new_public_places"):
        s = promises[(promises["promise"] == pid) & (promises["quantity"] == "surplus")
                     & (promises["year"] == 2030)].iloc[0]
        row = idle[(idle["promise"] == pid)
                   & (idle["quantity"] == "promise_places_idle")].iloc[0]
        promised = float(idle[(idle["promise"] == pid)
                              & (idle["quantity"] == "promised_places")]["p50"].iloc[0])
        for k in ("p05", "p50", "p95"):  # idle promised places: 0 … the promise
            assert row[k] == pytest.approx(min(promised, max(0.0, float(s[k]))))
    assert isinstance(idle, pd.DataFrame) and set(idle["year"]) == {2030}


def test_page_views_and_figures(t):
    from qyedu.figures import nextplan as charts
    from qyedu.views import nextplan as view

    n, tp, ip = t["next_plan.csv"], t["turning_points.csv"], t["idle_promises.csv"]
    lines = view.headline(n, tp, ip)
    assert 2 <= len(lines) <= 3 and all(" | " in s for s in lines)  # Chinese first, English
    junior = view.pick(n, "places_shortage", "junior_secondary")
    assert view.band(junior) in lines[0]
    peak = int(round(tp[(tp["county"] == "全市") & (tp["level"] == "junior_secondary")
                        & (tp["quantity"] == "peak_year")]["p50"].iloc[0]))
    assert f"初中 {peak} 年见顶" in lines[0]
    req = view.requirements(n)
    assert len(req) == 5 and req.iloc[2]["缺口（各县之和）Shortage (sum of counties)"] == \
        view.band(junior)
    assert len(view.counties(n)) == 9 and len(view.turning(tp)) >= 5
    assert len(view.idle(ip)) == 3 and len(view.draft_rows(n)) > 10
    for fig in (charts.peaks_chart(tp), charts.county_chart(n)):
        assert fig.axes and fig.axes[0].get_title()
