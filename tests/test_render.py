"""Page rendering on hand-made notebooks and tables (no kernels): the reviewer edition drops
code-only cells, key points come from the summary cell, alt text, injected parameters as
literals, paths scrubbed, the decision box and the failed-refresh banner of the index."""

from __future__ import annotations

import json

import nbformat
import pandas as pd
import pytest

from qyedu.pipeline import index, render
from qyedu.pipeline.scrub import replacements, scrub
from qyedu.views import decision


def _nb():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell
    summary = cell("print(...)", metadata={"tags": ["summary"]})
    summary.outputs = [nbformat.v4.new_output(
        "stream", name="stdout", text="学位富余 4,343 | surplus 4,343\n")]
    shown = cell("view.table()")
    shown.outputs = [nbformat.v4.new_output("stream", name="stderr", text="/home/x/warn.py:1\n"),
                     nbformat.v4.new_output("display_data", data={"text/plain": "t"})]
    nb.cells = [nbformat.v4.new_markdown_cell("# 学位 Places"),
                cell("draws = 500  # x", metadata={"tags": ["parameters"]}),
                cell('county = "\\u5168\\u5e02"', metadata={"tags": ["injected-parameters"]}),
                shown, summary, nbformat.v4.new_markdown_cell("Checks (fail the test):"),
                cell("assert True", metadata={"tags": ["checks"]})]
    nb.metadata["papermill"] = {"parameters": {"county": "全市", "draws": 2000,
                                               "scenario": "medium"}}
    return nb


def test_reviewer_edition_keeps_only_what_a_reviewer_reads():
    nb = _nb()
    rev = render.reviewer_notebook(nb)
    assert [c.cell_type for c in rev.cells] == ["markdown", "code"]
    assert rev.cells[1].outputs == [nbformat.v4.new_output("display_data",
                                                           data={"text/plain": "t"})]
    assert len(nb.cells) == 7  # the original is untouched


def test_key_points_split_languages_and_name_the_run():
    nb = _nb()
    assert render.summary_lines(nb) == ["学位富余 4,343", "surplus 4,343"]
    line = render.run_line(nb)
    assert "中方案 Medium" in line and "2,000 次抽样 draws" in line and "全市" in line
    assert render.key_points_html(nb).count("<li") == 3


def test_injected_parameters_become_literals():
    nb = _nb()
    render.tidy_injected(nb)
    src = nb.cells[2].source
    assert "county = '全市'" in src and "\\u5168" not in src and "draws = 2000" in src


def test_alt_text_and_figure_links():
    html = ('<img alt="No description has been provided for this image" class="x" '
            'src="figures/30_promises.png"/><img src="data:image/png;base64,AA"/>'
            '<img alt="written" src="figures/30_promises.png">')
    out = render.add_alt(html, {"30_promises": "承诺 <Promises>"})
    assert 'alt="承诺 &lt;Promises&gt;"' in out and 'alt="图 Figure"' in out
    assert "No description" not in out and 'alt="written"' in out and out.count("alt=") == 3
    nb = nbformat.v4.new_notebook()
    c = nbformat.v4.new_code_cell('publish(chart(x), "30_promises", figures_dir)')
    c.outputs = [nbformat.v4.new_output("execute_result", data={"image/png": "AA"},
                                        execution_count=1)]
    nb.cells = [c]
    render.link_figures(nb, {"30_promises": "t"})
    assert c.outputs[0].metadata["filenames"]["image/png"] == "figures/30_promises.png"


def test_scrub_replaces_machine_paths(tmp_path):
    root, stage = tmp_path / "proj", tmp_path / "proj" / ".staging" / "r1"
    pairs = replacements(root, stage)
    text = f'figures_dir = "{stage}/nb_figures/30_x"\nparams_file = "{root}/params/d.yaml"'
    out = scrub(text, pairs)
    assert str(tmp_path) not in out and 'figures_dir = "figures/30_x"' in out
    assert 'params_file = "params/d.yaml"' in out


def _promises():
    rows = []
    for y, s, p in ((2024, 100.0, 0.2), (2025, -200.0, 0.6), (2035, 500.0, 0.0)):
        rows += [("compulsory_new_places", y, "surplus", s, s - 50, s + 50, s),
                 ("compulsory_new_places", y, "prob_shortfall", p, 0, 1, p),
                 ("compulsory_new_places", y, "promised_places", 1000, 1000, 1000, 1000),
                 ("compulsory_new_places", y, "additional_places_needed", 1000 - s, 0, 0, 1000 - s)]
    rows += [("compulsory_new_places", None, "peak_year_mode", 2026, 2026, 2026, 2026),
             ("compulsory_new_places", None, "idle_at_horizon", 700, 0, 0, 700)]
    df = pd.DataFrame(rows, columns=["promise", "year", "quantity", "p50", "p05", "p95", "mean"])
    return df.assign(scenario="medium", extra_column="tolerated")


def test_decision_rows_from_the_table_only():
    rows = decision.decision_rows(_promises())
    assert len(rows) == 1
    r = rows[0]
    assert r["target_year"] == 2025 and r["p_shortfall_text"] == "60 %"
    assert r["level"] == "about_as_likely_as_not"  # 60 % is not "likely" (≥ 66 %)
    assert "1,200" in r["verdict_zh"] and "200 fewer" in r["verdict_en"]
    assert "about as likely as not" in r["verdict_en"] and "可能性约为一半" in r["verdict_zh"]
    assert "2026" in r["timing_zh"] and "700" in r["timing_en"] and "2035" in r["timing_en"]
    assert decision.decision_rows(pd.DataFrame()) == []


def test_verdict_levels():
    f = {"p_shortfall": 0.05, "surplus_p50": 10.0, "target_year": 2025, "promised": 100.0,
         "needed": 90.0, "surplus_p95": 20.0}
    assert decision.verdict(f)[0] == "very_unlikely"
    assert decision.verdict({**f, "p_shortfall": 0.3})[0] == "unlikely"
    assert decision.verdict({**f, "p_shortfall": 0.58})[0] == "about_as_likely_as_not"
    assert decision.verdict({**f, "p_shortfall": 0.7})[0] == "likely"
    assert decision.verdict({**f, "p_shortfall": 0.95})[0] == "very_likely"
    assert decision.verdict({**f, "needed": -5.0})[0] == "very_unlikely"


def _manifest():
    return {"run_id": "r1", "started": "2025-01-01T00:00:00+00:00", "total_seconds": 3.2,
            "git_commit": "abc", "only": None, "figures": ["f.png", "f.svg"],
            "parameters": {"file": "params/default.yaml", "file_sha256": "0" * 64,
                           "notebook": {"scenario": "medium", "county": "全市"}},
            "notebooks": [{"name": "10_a", "title": "学位 <Places>", "summary": "缺口 & gap",
                           "status": "ok", "seconds": 1.0, "html": "10_a.html", "run_id": "r1"}]}


def test_index_has_decision_box_links_inside_reports_and_escapes(tmp_path):
    rows = decision.decision_rows(_promises())
    data = {"promises": rows, "caveats": decision.caveats(rows, None, index.ACCURACY_LINK),
            "run": "参数 Run: x"}
    (tmp_path / index.DECISION_FILE).write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "10_a.code.html").write_text("x")
    (tmp_path / index.WORKBOOK).write_bytes(b"x")
    page = index.write_index(_manifest(), tmp_path).read_text(encoding="utf-8")
    assert page.index('id="decision"') < page.index("报告 Reports")
    assert "60 %" in page and "义务教育新增学位" in page and page.count("<li>") >= 3
    assert '<a href="10_a.html">学位 &lt;Places&gt;</a>' in page and "缺口 &amp; gap" in page
    assert 'href="figures/f.png"' in page and "../figures" not in page
    assert 'href="10_a.code.html"' in page and 'href="qyedu_tables.xlsx"' in page
    assert "10_a.pdf" not in page  # not printed: not linked
    assert 'class="qy-banner"' not in page.split("<script>")[0]


def test_failed_refresh_banner_without_touching_pages(tmp_path):
    index.write_index(_manifest(), tmp_path)
    (tmp_path / "10_a.html").write_text("page")
    status = {"last_run": {"run_id": "r2", "status": "failed", "finished": "2025-01-02T03:00:00+00:00",
                           "error": "notebook 30 failed"},
              "live": {"run_id": "r1", "published": "2025-01-01T00:05:00+00:00"}}
    (tmp_path / index.STATUS_FILE).write_text(json.dumps(status), encoding="utf-8")
    index.refresh_banner(tmp_path)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "最近一次刷新失败" in page and "2025-01-02T03:00:00+00:00" in page
    assert "2025-01-01T00:05:00+00:00" in page and "r1" in page
    assert (tmp_path / "10_a.html").read_text() == "page"
    status["last_run"]["status"] = "ok"
    (tmp_path / index.STATUS_FILE).write_text(json.dumps(status), encoding="utf-8")
    index.refresh_banner(tmp_path)
    assert "最近一次刷新失败" not in (tmp_path / "index.html").read_text(encoding="utf-8").split("<script>")[0]


@pytest.mark.parametrize("status", [None, {"status": "ok"}, {"nonsense": 1}, []])
def test_banner_tolerates_missing_or_odd_status(status):
    assert index.banner_html(status) == ""


def test_scorecard_headline_names_scenario_and_draws():
    from qyedu import params
    from qyedu.views import scorecard as vscore

    sc = pd.DataFrame({"status": ["met", "no_data", "on_track"],
                       "basis": ["observed", "none", "projection"]})
    line = vscore.headline(sc, params.load(draws=300).forecast)
    assert line.startswith("3 项目标") and "1 项依据预测：中方案，300 次抽样" in line
    assert "1 judged on the projection: Medium scenario, 300 draws" in line
    assert "依据预测" not in vscore.headline(sc)


def test_pages_work_offline_and_widgets_stay_in_jupyterlab(tmp_path):
    nb = _nb()
    w = nbformat.v4.new_code_cell("explorer_widget(wb.params)")
    w.outputs = [nbformat.v4.new_output("display_data", data={
        "text/plain": "VBox(...)", render.WIDGET_VIEW: {"model_id": "x", "version_major": 2}})]
    nb.cells.insert(3, w)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    src = tmp_path / "60_x.ipynb"
    nbformat.write(nb, src)
    out = render.render_editions(src, tmp_path, "60_x", "x")
    page = out["reviewer"].read_text(encoding="utf-8")
    assert "VBox(" not in page and "<script src=\"http" not in page
    assert "cdnjs.cloudflare.com/ajax/libs/require.js" not in page
    assert "要点 Key points" in page and page.index("要点 Key points") > page.index("</h1>")
    code = out["code"].read_text(encoding="utf-8")
    assert "hl-ipython3" in code and 'href="60_x.html"' in code


def test_enough_by_the_target_year_but_short_later_is_at_risk():
    f = {"p_shortfall": 0.0, "surplus_p50": 900.0, "target_year": 2025, "promised": 1000.0,
         "needed": -5.0, "surplus_p95": 950.0, "p_shortfall_max": 0.93,
         "p_shortfall_max_year": 2033, "peak_year": 2033.0, "idle_at_horizon": 10.0,
         "horizon": 2035}
    level, zh, en = decision.verdict(f)
    assert level == "exceptionally_unlikely" and "但 2033 年缺口很可能（93 %" in zh
    assert "but in 2033 a shortfall is very likely (93 %" in en
    short = decision.verdict({**f, "p_shortfall": 0.6, "surplus_p50": -10.0, "needed": 1010.0})
    assert short[0] == "about_as_likely_as_not" and "10 个" in short[1]
    same = decision.verdict({**f, "p_shortfall": 0.95, "surplus_p50": -10.0, "needed": 1010.0})
    assert "2033" not in same[1]  # a later year in the same band adds nothing
    assert "tightest" not in decision.timing(f)[1]


def test_accuracy_caveat_from_the_honest_table():
    """The caveat quotes the published grade flow (Qingyuan-like, sample in), not the
    baselines, nor another information set (fuller cases: test_honest_accuracy_views.py)."""
    acc = pd.DataFrame({"sample": ["in", "in", "in", "in", "held_out"],
                        "info": ["qingyuan_like", "qingyuan_like", "qingyuan_like",
                                 "bureau_like", "qingyuan_like"],
                        "level": ["primary", "junior_secondary", "primary", "primary",
                                  "primary"],
                        "lead": [5, 5, 5, 5, 5],
                        "method": ["grade_flow_band", "grade_flow_band", "carry_forward",
                                   "grade_flow_band", "grade_flow_band"],
                        "mape": [8.9, 17.7, 30.0, 1.0, 40.0],
                        "coverage_p05_p95": [90.0, 80.0, None, 10.0, 5.0],
                        "n": [150, 400, 150, 150, 9], "n_band": [100, 300, 0, 100, 4],
                        "areas": [28, 28, 28, 28, 3]})
    c = decision.caveats([], None, "x.html#a", acc)[1]
    assert "提前 5 年" in c["zh"] and "小学、初中为 9–18 %" in c["zh"]
    assert "400 个观测中的 82 %" in c["zh"]  # (90·100 + 80·300) / 400, pooled by n_band
    assert "from 9 % to 18 %" in c["en"] and c["link"] == "x.html#a"
