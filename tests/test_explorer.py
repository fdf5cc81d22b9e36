"""The scenario explorer answers: every change of a control displays a new fan chart and the
promise table for the chosen settings in the widget's output area."""

import pytest

from qyedu import explorer, params

pytest.importorskip("ipywidgets")


@pytest.fixture(scope="module")
def rp():
    return params.load(draws=100)


def _kinds(outputs):
    return [sorted(o["data"]) for o in outputs]


def test_widget_displays_figure_and_promise_table_and_updates_on_change(rp):
    w = explorer.explorer_widget(rp)
    out = w.children[-1]
    assert [c.description for c in w.children[:4]] == [
        "情景 Scenario", "出生重建 Births method", "抽样 Draws", "基年 Base year"]
    first = out.outputs
    assert any("image/png" in o["data"] for o in first), _kinds(first)
    table = next(o["data"]["text/html"] for o in first if "qy-table" in o["data"].get("text/html", ""))
    assert "义务教育新增学位 New compulsory places" in table and " %" in table
    assert ">2,02" not in table  # years without separators
    assert "中方案 Medium" in first[0]["data"]["text/html"]
    w.children[0].value = "low"  # a change re-runs and re-displays
    second = out.outputs
    assert second is not first and any("image/png" in o["data"] for o in second)
    assert "低方案 Low" in second[0]["data"]["text/html"]
    assert second[1]["data"]["image/png"] != first[1]["data"]["image/png"]


def test_promise_table_matches_the_places_stage(rp):
    from qyedu.workbench import Workbench

    fig, table, line = explorer.explore_outputs(rp, "medium", rp.forecast.births_method, 100,
                                                rp.forecast.base_year)
    promises = Workbench(rp).places_tables["places_promises.csv"]
    p = promises[(promises.promise == "compulsory_new_places")
                 & (promises.quantity == "prob_shortfall") & (promises.year == 2025)]
    row = table.set_index("承诺 Promise").loc["义务教育新增学位 New compulsory places"]
    assert row["缺口概率 P(shortfall)"] == pytest.approx(p["mean"].iloc[0])
    assert row["承诺学位 Promised"] == 50000 and "100 次抽样 draws" in line
    assert len(table) == 3


def test_summary_line_names_draws_and_says_quick_preview(rp):
    results = explorer.run_scenarios(rp.forecast, ["low", "medium"])
    line = explorer.summary_line(results, report_draws=2000)
    assert "100 次抽样" in line and "quick preview: 100 draws; the reports use 2,000" in line
    assert "quick preview" not in explorer.summary_line(results, report_draws=100)


def test_widget_reuses_the_notebooks_workbench_for_its_first_display(rp, monkeypatch):
    from qyedu.workbench import Workbench

    wb = Workbench(rp)
    _ = wb.places_tables
    calls = []
    monkeypatch.setattr(Workbench, "__init__", lambda self, *a, **k: calls.append(a) or
                        (_ for _ in ()).throw(AssertionError("no new Workbench")))
    w = explorer.explorer_widget(wb)
    assert not calls and any("image/png" in o["data"] for o in w.children[-1].outputs)
