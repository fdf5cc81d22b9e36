"""Small parts of the refresh pipeline, each on hand-made inputs (no kernels)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

from qyedu.errors import QyeduError
from qyedu.pipeline import RefreshFailed, kernel, manifest, notebooks, publish, render
from qyedu.pipeline.execute import describe_failure


def touch_notebooks(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        nbformat.write(nbformat.v4.new_notebook(), folder / name)
    return folder


def test_discover_sorts_skips_odd_names_and_filters_only(tmp_path):
    folder = touch_notebooks(tmp_path, "20_places.ipynb", "10_plan.ipynb", "scratch.ipynb",
                             "30_places_county.ipynb")
    said = []
    found = notebooks.discover(folder, progress=said.append)
    assert [p.name for p in found] == ["10_plan.ipynb", "20_places.ipynb",
                                       "30_places_county.ipynb"]
    assert said == ["[refresh] skipping scratch.ipynb: not named NN_name.ipynb"]
    # an exact stem wins over substring matches; a substring may select several
    assert [p.stem for p in notebooks.discover(folder, ["20_places"])] == ["20_places"]
    assert [p.stem for p in notebooks.discover(folder, ["places"])] == [
        "20_places", "30_places_county"]
    assert [p.stem for p in notebooks.discover(folder, ["30_places_county.ipynb", "plan"])] == [
        "10_plan", "30_places_county"]
    with pytest.raises(QyeduError, match="--only 'teachers' matches no notebook"):
        notebooks.discover(folder, ["teachers"])


def test_discover_without_notebooks_is_an_error(tmp_path):
    with pytest.raises(QyeduError, match="no notebooks named NN_name.ipynb"):
        notebooks.discover(touch_notebooks(tmp_path, "scratch.ipynb"), progress=lambda s: None)


def test_title_is_the_first_markdown_heading_and_summary_the_tagged_stdout():
    nb = nbformat.v4.new_notebook()
    summary = nbformat.v4.new_code_cell("print(...)", metadata={"tags": ["summary"]})
    summary.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="warning\n"),
        nbformat.v4.new_output("stream", name="stdout", text="\n学位缺口 2.3 万 places short\nmore\n"),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("Intro text\n\n## 学位需求 Places ##"),
                nbformat.v4.new_markdown_cell("# Later heading"), summary]
    assert notebooks.title_of(nb, "x") == "学位需求 Places"
    assert notebooks.summary_of(nb) == "学位缺口 2.3 万 places short"
    assert notebooks.title_of(nbformat.v4.new_notebook(), "40_x") == "40_x"
    assert notebooks.summary_of(nbformat.v4.new_notebook()) == ""


def test_a_second_equals_sign_hides_a_parameter_and_the_error_says_why(tmp_path):
    nb = nbformat.v4.new_notebook()
    src = "\n".join(f'{n} = ""  # help' for n in notebooks.NOTEBOOK_PARAMETERS)
    src = src.replace('county = ""  # help', 'county = ""  # 全市 = whole city')
    nb.cells = [nbformat.v4.new_code_cell(src, metadata={"tags": ["parameters"]})]
    path = tmp_path / "10_x.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(notebooks.NotebookParamError, match="county.*one '=' per line"):
        notebooks.check_declared(path)
    cell = nb.cells[0]
    cell.source = cell.source.replace("# 全市 = whole city", "# 全市 is the whole city")
    nbformat.write(nb, path)
    assert notebooks.check_declared(path) == set(notebooks.NOTEBOOK_PARAMETERS)


def test_describe_failure_names_cell_and_error(tmp_path):
    from papermill.exceptions import PapermillExecutionError

    err = PapermillExecutionError(3, 2, "x = 1\nraise ValueError('坏')", "ValueError", "坏", [])
    assert describe_failure(err, tmp_path / "none.ipynb") == (
        "cell 4 (In [2]): x = 1 → ValueError: 坏")
    nb = nbformat.v4.new_notebook()
    first = nbformat.v4.new_code_cell("import time", execution_count=4)
    cell = nbformat.v4.new_code_cell("time.sleep(99)", execution_count=5)
    first.metadata["papermill"] = {"start_time": "t0", "status": "completed"}
    cell.metadata["papermill"] = {"start_time": "t1", "status": "completed"}
    nb.cells = [first, cell, nbformat.v4.new_code_cell("never_started()")]
    nbformat.write(nb, tmp_path / "out.ipynb")
    assert describe_failure(TimeoutError("cell timed out after 3 seconds\ndetails"),
                            tmp_path / "out.ipynb") == (
        "cell 2 (In [5]): time.sleep(99) timed out after 3 s (the limit per cell is --timeout "
        "SECONDS; 0 = no limit)")
    first.metadata["papermill"]["status"] = "failed"
    nbformat.write(nb, tmp_path / "out.ipynb")
    assert describe_failure(RuntimeError("x"), tmp_path / "out.ipynb") == (
        "cell 1 (In [4]): import time → RuntimeError: x")
    assert describe_failure(RuntimeError("dead"), tmp_path / "none.ipynb") == "RuntimeError: dead"


def test_collect_figures_flattens_and_rejects_clashes(tmp_path):
    for nb in ("10_a", "20_b"):
        (tmp_path / nb).mkdir()
    (tmp_path / "10_a" / "x.png").write_bytes(b"a")
    (tmp_path / "20_b" / "y.png").write_bytes(b"b")
    made = publish.collect_figures({"10_a": tmp_path / "10_a", "20_b": tmp_path / "20_b",
                                    "30_c": tmp_path / "30_c"}, tmp_path / "figures")
    assert made == {"10_a": ["x.png"], "20_b": ["y.png"], "30_c": []}
    (tmp_path / "20_b" / "x.png").write_bytes(b"c")
    with pytest.raises(RefreshFailed, match="x.png is saved by both 20_b and 10_a"):
        publish.collect_figures({"20_b": tmp_path / "20_b"}, tmp_path / "figures",
                                owners={"x.png": "10_a"})


def test_keep_failed_replaces_the_previous_failed_run(tmp_path):
    failed = tmp_path / ".failed"
    failed.mkdir()
    (failed / "old.ipynb").write_text("{}")
    nb = tmp_path / "30_x.ipynb"
    nb.write_text("{}")
    publish.keep_failed([nb, tmp_path / "never_written.ipynb"], failed, "notebook 30_x failed",
                        "r1")
    assert sorted(p.name for p in failed.iterdir()) == ["30_x.ipynb", "error.txt"]
    lines = (failed / "error.txt").read_text().splitlines()
    assert lines[0].startswith("time: 20") and lines[1:] == ["run id: r1", "notebook 30_x failed"]


def test_error_txt_carries_the_notebook_traceback(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1/0", execution_count=2)
    cell.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="x",
                                           traceback=["\x1b[31mZeroDivisionError\x1b[0m: x"])]
    nb.cells = [nbformat.v4.new_code_cell("a = 1"), cell]
    nbformat.write(nb, tmp_path / "30_x.ipynb")
    publish.keep_failed([tmp_path / "30_x.ipynb"], tmp_path / ".failed",
                        "notebook 30_x.ipynb failed at cell 2 (In [2]): 1/0", "r2")
    text = (tmp_path / ".failed" / "error.txt").read_text()
    assert "run id: r2" in text and "failed at cell 2" in text
    assert "traceback:\n--- 30_x.ipynb ---\nIn [2]:\nZeroDivisionError: x" in text


def test_merge_entries_replaces_rerun_notebooks_only():
    old = {"notebooks": [{"name": "10_a", "run_id": "1"}, {"name": "20_b", "run_id": "1"}]}
    merged = manifest.merge_entries(old, [{"name": "20_b", "run_id": "2"}])
    assert merged == [{"name": "10_a", "run_id": "1"}, {"name": "20_b", "run_id": "2"}]
    assert manifest.merge_entries(None, [{"name": "20_b"}]) == [{"name": "20_b"}]


def test_unreadable_published_manifest_is_a_clear_error(tmp_path):
    bad = tmp_path / "manifest.json"
    bad.write_text("{not json")
    with pytest.raises(QyeduError, match="unreadable manifest.*without --only"):
        manifest.read_published(bad)
    assert manifest.read_published(tmp_path / "missing.json") is None


def test_sha256_tree_and_display_path(tmp_path):
    (tmp_path / "raw" / "sub").mkdir(parents=True)
    (tmp_path / "raw" / "a.csv").write_bytes(b"abc")
    (tmp_path / "raw" / "sub" / "b.csv").write_bytes(b"")
    assert manifest.sha256_tree(tmp_path / "raw", tmp_path) == {
        "raw/a.csv": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "raw/sub/b.csv": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    }
    assert manifest.display_path(tmp_path / "raw" / "a.csv", tmp_path) == "raw/a.csv"
    assert manifest.display_path(Path("/elsewhere/p.yaml"), tmp_path) == "<outside>/p.yaml"
    kernel_info = {"kernel": {"executable": str(tmp_path / ".venv" / "bin" / "python"),
                              "search_path_spec": "/usr/share/jupyter/kernels/python3",
                              "name": "python3"}}
    assert manifest.relative_paths(kernel_info, tmp_path) == {"kernel": {
        "executable": ".venv/bin/python", "search_path_spec": "<outside>/python3",
        "name": "python3"}}


def test_index_escapes_text_and_links_pages_and_figures():
    m = {"run_id": "r1", "started": "2025-01-01T00:00:00+00:00", "total_seconds": 3.2,
         "git_commit": "abc", "only": None, "figures": ["f.png", "f.svg"],
         "parameters": {"file": "params/default.yaml", "file_sha256": "0" * 64,
                        "notebook": {"scenario": "medium", "county": "全市"}},
         "notebooks": [{"name": "10_a", "title": "学位 <Places>", "summary": "缺口 & gap",
                        "status": "ok", "seconds": 1.0, "html": "10_a.html", "run_id": "r1"}]}
    page = render.index_html(m)
    assert '<a href="10_a.html">学位 &lt;Places&gt;</a>' in page and "缺口 &amp; gap" in page
    assert '<a href="figures/f.png">f.png</a>' in page  # inside reports/ (issue 12)
    assert "<td>全市</td>" in page and "<td>abc</td>" in page and "3.2 s" in page


def test_kernel_is_pinned_to_this_interpreter(tmp_path, monkeypatch):
    spec = tmp_path / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps(
        {"argv": ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
         "display_name": "system", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    info = kernel.kernel_info()
    assert info["search_path_spec"] == str(spec) and info["search_path_matches"] is False
    km = kernel.PinnedKernelManager(kernel_name="python3")
    assert km.kernel_spec.argv[:3] == [sys.executable, "-m", "qyedu.kernel_launcher"]


def test_plain_python_in_a_kernelspec_means_this_interpreter(tmp_path, monkeypatch):
    spec = tmp_path / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps(
        {"argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
         "display_name": "venv", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    assert kernel.kernel_info()["search_path_matches"] is True


def test_parallel_notebooks_start_with_the_longest(tmp_path):
    """Seconds of the last published run first, else the notebook's own estimate, else 5 s."""
    from types import SimpleNamespace

    from qyedu.pipeline.runner import _Run

    folder = touch_notebooks(tmp_path / "nb", "00_a.ipynb", "10_b.ipynb", "20_c.ipynb",
                             "30_d.ipynb")
    nb = nbformat.read(folder / "30_d.ipynb", as_version=4)
    nb.metadata["qyedu"] = {"expected_seconds": 20}
    nbformat.write(nb, folder / "30_d.ipynb")
    reports = tmp_path / "reports"
    run = SimpleNamespace(notebooks=sorted(folder.glob("*.ipynb")),
                          site=SimpleNamespace(path=lambda name: reports))
    assert _Run._longest_first(run) == [3, 0, 1, 2]  # no earlier run: the estimate, then 5 s
    reports.mkdir()
    (reports / "manifest.json").write_text(json.dumps({"notebooks": [
        {"name": "00_a", "status": "ok", "seconds": 1.0},
        {"name": "10_b", "status": "ok", "seconds": 30.0},
        {"name": "20_c", "status": "failed", "seconds": 99.0}]}), encoding="utf-8")
    assert _Run._longest_first(run) == [1, 3, 2, 0]  # measured times win over estimates
