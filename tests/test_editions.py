"""Editions and revisions: what changed since the previous edition (changes.csv and the
index section), a failed partial refresh recorded where reviewers look, the edition line on
every page, ``qyedu explain`` and ``qyedu export``."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

import qyedu.build
from qyedu.cli import main
from qyedu.pipeline import NotebookResult, runner
from qyedu.pipeline.changes import changes_html, compare, write_changes
from qyedu.pipeline.index import edition_html, status_script
from qyedu.pipeline.pdf import footer


@pytest.fixture()
def executed(monkeypatch):
    """Stand-in for kernel execution (copies the notebook)."""
    def execute(source, output, parameters, cwd, timeout):
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, output)
        return NotebookResult(source.stem, source, "ok", 0.01, output)

    monkeypatch.setattr(runner, "execute", execute)


def _edition(folder, surplus: str, raw_hash: str, commit: str = "abc", run: str = "r1"):
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame([{"key": "p.compulsory.surplus.2025", "text": surplus, "label_zh": "余量",
                   "label_en": "surplus", "statistic_zh": "2025 年各抽样的中位数",
                   "statistic_en": "the median over draws in 2025"},
                  {"key": "p.compulsory.prob_shortfall.2025", "text": "58 %", "label_zh": "概率",
                   "label_en": "P", "statistic_zh": "", "statistic_en": ""}]
                 ).to_csv(folder / "verdicts.csv", index=False)
    manifest = {"run_id": run, "git_commit": commit,
                "raw_data": {"data/raw/enrollment.csv": raw_hash, "data/raw/places.csv": "p"},
                "parameters": {"run": {"places": {"large_class_share_primary": 0.1}}}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return manifest


def test_a_changed_input_shows_old_to_new_with_the_reason(tmp_path):
    _edition(tmp_path / "old", "−8,517", "h1", run="r1")
    new = _edition(tmp_path / "new", "−9,100", "h2", run="r2")
    t = compare(tmp_path / "old", tmp_path / "new", new)
    assert t[["key", "old", "new"]].values.tolist() == [["p.compulsory.surplus.2025", "−8,517",
                                                         "−9,100"]]
    assert t.loc[0, "inputs_changed"] == "enrollment.csv" and not t.loc[0, "code_changed"]
    assert t.loc[0, "reason_en"] == "input files changed: enrollment.csv"
    info = write_changes(tmp_path / "old", tmp_path / "new", new)
    page = changes_html(info)
    assert "1 number(s) changed since the previous edition (run r1)" in page
    assert "输入文件变化：enrollment.csv" in page and "−8,517" in page and "−9,100" in page
    assert (tmp_path / "new" / "changes.csv").exists()


def test_identical_editions_say_no_number_changed(tmp_path):
    _edition(tmp_path / "old", "−8,517", "h1", run="r1")
    new = _edition(tmp_path / "new", "−8,517", "h1", run="r2")
    info = write_changes(tmp_path / "old", tmp_path / "new", new)
    assert info["rows"] == [] and not info["first"]
    assert "No number changed since the previous edition (run r1)" in changes_html(info)
    assert "没有数字变化" in changes_html(info)
    first = write_changes(None, tmp_path / "new", new)
    assert first["first"] and "first edition" in changes_html(first)


def test_a_failed_partial_refresh_is_recorded_in_the_published_status(project, executed,
                                                                      monkeypatch):
    assert main(["refresh"]) == 0
    status = json.loads((project / "reports" / "status.json").read_text("utf-8"))
    live = status["live"]["run_id"]

    def broken(rp, out_dir=None, plan_path=None, progress=print):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(qyedu.build, "build_processed", broken)
    assert main(["refresh", "--only", "20_figure"]) == 1
    status = json.loads((project / "reports" / "status.json").read_text("utf-8"))
    assert status["last_run"]["status"] == "failed" and status["last_run"]["only"] == ["20_figure"]
    assert status["live"]["run_id"] == live  # the pages are still the last good edition
    js = (project / "reports" / "status.js").read_text("utf-8")
    assert '"status": "failed"' in js


def test_second_identical_refresh_says_nothing_changed(project, executed):
    assert main(["refresh"]) == 0
    assert "first edition" in (project / "reports" / "index.html").read_text("utf-8")
    assert main(["refresh"]) == 0
    index = (project / "reports" / "index.html").read_text("utf-8")
    assert "No number changed since the previous edition" in index
    assert (project / "reports" / "changes.csv").read_text("utf-8").startswith("key,")


def test_edition_line_page_numbers_and_pdf_footer():
    html = edition_html("20261206T201017.185Z-8569", 2024, 3, 9)
    assert "版次 2026-12-06" in html and "第 3 / 9 页" in html and "page 3 of 9" in html
    assert "数据截至 2024 年" in html and "20261206T201017.185Z-8569" in html
    f = footer("版次 … | Edition 2026-12-06 · run r · data vintage: published up to 2024 "
               "(base year) · page 3 of 9")
    assert 'class="pageNumber"' in f and 'class="totalPages"' in f and "Edition 2026-12-06" in f
    assert "page 3 of 9" not in f  # the printer numbers the printed pages
    s = status_script()
    assert 'id="qy-status-notice"' in s and "status.js" in s and "最近一次刷新失败" in s


def test_explain_traces_a_decision_box_number(small_build, capsys):
    from qyedu.views import explain as ex

    _, processed = small_build
    key = "compulsory_new_places.compulsory.surplus.2025"
    assert key in ex.keys(processed)
    e = ex.explain(key, processed)
    assert e["statistic_en"] == "the median over draws in 2025" and e["value"]
    assert "demand(year) - demand(2020)" in e["formula"] and "line 475" in e["cited"]
    assert {i["quantity"] for i in e["inputs"]} >= {"promised_places", "additional_places_needed"}
    cap = ex.explain("compulsory_new_places.compulsory.capacity_shortage.2025", processed)
    assert any(r["file"] == "enrollment.csv" and r["reliability"] == "3rd-party" and
               "422369" in r["row"] for r in cap["raw"])
    assert {"key": "places.large_class_share_primary", "value": 0.1} in cap["parameters"]
    assert main(["explain", "no.such.key", "--processed", str(processed)]) == 2
    assert "unknown key 'no.such.key'" in capsys.readouterr().err


def test_export_writes_a_self_contained_copy(tmp_path):
    from qyedu.cli.export import export

    src = tmp_path / "gen" / "reports"
    (src / "figures").mkdir(parents=True)
    (src / "index.html").write_text("x", encoding="utf-8")
    (src / "figures" / "a.png").write_bytes(b"png")
    (tmp_path / "scen").mkdir()
    (src / "scenarios").symlink_to(tmp_path / "scen")  # outside reports: left out
    (src / "dangling").symlink_to(tmp_path / "missing")
    link = tmp_path / "reports"
    link.symlink_to(src)
    out = export(link, tmp_path / "copy")
    assert (out / "index.html").read_text() == "x" and (out / "figures" / "a.png").exists()
    assert not any(p.is_symlink() for p in out.rglob("*"))
    assert not (out / "scenarios").exists() and not (out / "dangling").exists()
