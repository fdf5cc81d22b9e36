"""The refresh pipeline on a temporary project (QYEDU_ROOT) with the fixture notebooks in
tests/fixtures/notebooks/ and a stand-in for qyedu.build.build_processed.

Tests marked slow start real kernels (about 1–2 s per notebook); the others replace the
notebook execution by a stand-in to test the orchestration quickly."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from support.pipeline import FIXTURES, fake_build, make_project  # noqa: E402

import qyedu.build
from qyedu import params, paths
from qyedu.pipeline import NOTEBOOK_PARAMETERS, NotebookParamError, NotebookResult, refresh
from qyedu.pipeline import runner as refresh_module

PAGES = ["10_overview", "20_figure"]


def shadow_kernelspec(folder: Path) -> Path:
    """A user-level 'python3' kernelspec pointing at another (here: missing) interpreter."""
    spec = folder / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [str(folder / "other-python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "shadow",
                                                  "language": "python"}))
    return folder


def run(rp=None, **kw):
    rp = rp or params.load()
    return refresh(rp, paths.default_params_file(), progress=lambda s: None, **kw)


def tree_bytes(*folders: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for f in folders for p in sorted(f.rglob("*")) if p.is_file()}


# every test here runs the refresh with fixture notebooks in real kernels
pytestmark = pytest.mark.slow

@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """One real refresh (2 notebooks, jobs=1) with a shadowing python3 kernelspec around and
    MPLBACKEND=Agg set (as `dev.py run` does), which must not reach the kernels."""
    root = make_project(tmp_path_factory.mktemp("published"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QYEDU_ROOT", str(root))
        mp.setenv("MPLBACKEND", "Agg")
        mp.setenv("JUPYTER_PATH", str(shadow_kernelspec(root.parent / "jupyter-shadow")))
        mp.setattr(qyedu.build, "build_processed", fake_build)
        report = run()
    return root, report


@pytest.fixture()
def fake_execute(monkeypatch):
    """Replace kernel execution: copy the notebook, save one figure, record the call."""
    calls = []

    def execute(source, output, parameters, cwd, timeout):
        calls.append({"notebook": source.name, "parameters": parameters, "cwd": cwd})
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, output)
        figs = Path(parameters["figures_dir"])
        figs.mkdir(parents=True, exist_ok=True)
        (figs / f"{source.stem}.png").write_bytes(b"png")
        return NotebookResult(source.stem, source, "ok", 0.01, output)

    monkeypatch.setattr(refresh_module, "execute", execute)
    return calls


def copy_project(src: Path, dst: Path, monkeypatch) -> Path:
    shutil.copytree(src, dst, symlinks=True)  # as cp -a: the published links are kept
    monkeypatch.setenv("QYEDU_ROOT", str(dst))
    monkeypatch.setattr(qyedu.build, "build_processed", fake_build)
    return dst


@pytest.mark.slow
def test_refresh_publishes_pages_figures_data_and_manifest(published):
    root, report = published
    assert report.ok and [r.status for r in report.notebooks] == ["ok", "ok"]
    reports = root / "reports"
    index = (reports / "index.html").read_text("utf-8")
    for page in PAGES:
        assert f'href="{page}.html"' in index
        assert (reports / f"{page}.html").is_file()
        assert (reports / "notebooks" / f"{page}.ipynb").is_file()
    assert 'href="figures/fixture_enrolment.svg"' in index  # inside reports/ (issue 12)
    assert sorted(p.name for p in (root / "figures").iterdir()) == [
        "fixture_enrolment.png", "fixture_enrolment.svg"]
    assert (root / "figures" / "fixture_enrolment.png").read_bytes().startswith(b"\x89PNG")
    table = pd.read_csv(root / "data" / "processed" / "fixture_table.csv")
    assert table["county"].tolist() == ["全市", "清城区"]
    assert not (root / ".staging").exists() and not (root / ".failed").exists()


@pytest.mark.slow
def test_manifest_records_hashes_parameters_timings_and_status(published):
    root, _ = published
    m = json.loads((root / "reports" / "manifest.json").read_text("utf-8"))
    raw = (root / "data" / "raw" / "population.csv").read_bytes()
    import hashlib

    assert m["raw_data"] == {"data/raw/population.csv": hashlib.sha256(raw).hexdigest()}
    assert m["parameters"]["file"] == "params/default.yaml"
    assert m["parameters"]["file_sha256"] == hashlib.sha256(
        (root / "params" / "default.yaml").read_bytes()).hexdigest()
    assert m["parameters"]["notebook"]["county"] == "全市"
    assert m["git_commit"] == "unknown"  # the temporary project is not a git checkout
    assert m["packages"]["papermill"] and m["packages"]["python"]
    assert [(e["name"], e["status"]) for e in m["notebooks"]] == [(p, "ok") for p in PAGES]
    assert all(0 < e["seconds"] < m["total_seconds"] for e in m["notebooks"])
    assert m["notebooks"][1]["figures"] == ["fixture_enrolment.png", "fixture_enrolment.svg"]
    assert m["build"] == {"status": "ok", "seconds": m["build"]["seconds"],
                          "tables": ["fixture_table.csv"]}


@pytest.mark.slow
def test_pages_and_index_show_chinese_titles_and_summaries(published):
    root, _ = published
    index = (root / "reports" / "index.html").read_text("utf-8")
    assert "概览 Overview" in index and "概览：全市，情景 medium，2 行 rows" in index
    assert "在校生图表 Enrolment figure" in index and "图表：保存了 2 个文件 files" in index
    page = (root / "reports" / "10_overview.html").read_text("utf-8")
    assert "概览：全市，情景 medium，2 行 rows" in page  # the summary cell's output
    assert "概览 Overview" in page  # the markdown heading
    assert "<title>概览 Overview</title>" in page
    figure_page = (root / "reports" / "20_figure.html").read_text("utf-8")
    # the figure is shown inline (not lost to MPLBACKEND=Agg) and embedded in the page
    assert re.search(r'<img [^>]*src="data:image/png;base64,', figure_page)


@pytest.mark.slow
def test_kernel_is_this_interpreter_even_with_a_shadowing_kernelspec(published):
    root, _ = published
    kernel = json.loads((root / "reports" / "manifest.json").read_text("utf-8"))["kernel"]
    # the interpreter, relative to the project when inside it: no machine path
    assert kernel["executable"] in {"<outside>/" + Path(sys.executable).name,
                                    Path(sys.executable).absolute().relative_to(
                                        root).as_posix() if Path(sys.executable).is_relative_to(
                                            root) else None}
    assert kernel["search_path_matches"] is False  # the shadow spec was found and ignored
    assert kernel["search_path_spec"] == "<outside>/python3"


@pytest.mark.slow
def test_only_reruns_one_notebook_into_its_scenario_folder(published, tmp_path, monkeypatch):
    root = copy_project(published[0], tmp_path / "copy", monkeypatch)
    before = {p.name: p.read_bytes() for p in (root / "reports").iterdir() if p.is_file()}
    report = run(only=["figure"])
    assert [r.name for r in report.notebooks] == ["20_figure"]
    # the default pages and index are untouched
    assert {p.name: p.read_bytes() for p in (root / "reports").iterdir() if p.is_file()} == before
    folder = root / "reports" / "scenarios" / (params.load().slug() + "-only-20_figure")
    m = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert m["only"] == ["20_figure"] and [e["name"] for e in m["notebooks"]] == ["20_figure"]
    assert m["figures"] == ["fixture_enrolment.png", "fixture_enrolment.svg"]
    index = (folder / "index.html").read_text("utf-8")
    assert 'href="20_figure.html"' in index and 'href="10_overview.html"' not in index


@pytest.mark.slow
def test_two_jobs_give_the_same_pages_and_statuses_as_one(published, tmp_path, monkeypatch):
    root = make_project(tmp_path / "parallel")
    monkeypatch.setenv("QYEDU_ROOT", str(root))
    monkeypatch.setattr(qyedu.build, "build_processed", fake_build)
    report = run(jobs=2)
    one = json.loads((published[0] / "reports" / "manifest.json").read_text("utf-8"))
    two = json.loads((root / "reports" / "manifest.json").read_text("utf-8"))
    keys = ("name", "status", "title", "summary", "figures", "html")
    assert [{k: e[k] for k in keys} for e in two["notebooks"]] == [
        {k: e[k] for k in keys} for e in one["notebooks"]]
    assert sorted(p.name for p in (root / "reports").iterdir()) == sorted(
        p.name for p in (published[0] / "reports").iterdir())
    assert two["figures"] == one["figures"] and report.ok
    svg = "fixture_enrolment.svg"
    assert (root / "figures" / svg).read_bytes() == (published[0] / "figures" / svg).read_bytes()


def test_notebooks_get_the_flat_parameters_and_staging_paths(project, fake_execute):
    rp = params.load(scenario="high", seed=7)
    run(rp)
    assert [c["notebook"] for c in fake_execute] == ["10_overview.ipynb", "20_figure.ipynb"]
    overview, figure = (c["parameters"] for c in fake_execute)
    # processed_dir only goes to the notebook that declares it (10_overview)
    assert set(overview) == set(NOTEBOOK_PARAMETERS) | {"processed_dir"}
    assert set(figure) == set(NOTEBOOK_PARAMETERS)
    assert overview["scenario"] == "high" and overview["seed"] == 7
    assert overview["county"] == "全市" and overview["draws"] == 2000
    assert overview["params_file"] == str(project / "params" / "default.yaml")
    assert Path(overview["figures_dir"]) == Path(figure["figures_dir"]).parent / "10_overview"
    assert Path(overview["figures_dir"]).is_relative_to(project / ".staging")
    assert Path(overview["processed_dir"]).is_relative_to(project / ".staging")
    assert fake_execute[0]["cwd"] == project / "notebooks"
    # non-default parameters: published to the scenario folders, not the default set
    slug = rp.slug()
    assert (project / "figures" / "scenarios" / slug / "10_overview.png").read_bytes() == b"png"
    table = pd.read_csv(project / "data" / "processed" / "scenarios" / slug / "fixture_table.csv")
    assert table["scenario"].tolist() == ["high", "high"]
    assert (project / "reports" / "scenarios" / slug / "index.html").is_file()
    assert not (project / "reports" / "index.html").exists()
    assert not (project / "data" / "processed" / "fixture_table.csv").exists()


def test_override_that_is_no_notebook_parameter_reaches_notebooks_via_a_staged_file(
        project, fake_execute, monkeypatch):
    seen = []
    original = refresh_module.execute

    def execute(source, output, parameters, cwd, timeout):
        seen.append(params.load(parameters["params_file"]).forecast.births_method)
        return original(source, output, parameters, cwd, timeout)

    monkeypatch.setattr(refresh_module, "execute", execute)
    rp = params.load(births_method="rate_ratio")
    run(rp)
    assert seen == ["rate_ratio", "rate_ratio"]
    assert (project / "reports" / "scenarios" / rp.slug() / "index.html").is_file()


def test_no_build_uses_the_published_tables(project, fake_execute):
    (project / "data" / "processed").mkdir(parents=True)  # layout before generations
    (project / "data" / "processed" / "kept.csv").write_text("a\n1\n")
    report = run(build=False)
    assert fake_execute[0]["parameters"]["processed_dir"] == str(project / "data" / "processed")
    assert (project / "data" / "processed" / "kept.csv").read_text() == "a\n1\n"
    assert (project / "data" / "processed").is_symlink()  # migrated into a generation
    assert report.manifest["build"]["status"] == "skipped"


def test_no_build_without_published_tables_is_an_error_before_anything_runs(
        project, fake_execute):
    from qyedu.errors import QyeduError

    with pytest.raises(QyeduError, match="--no-build: no published tables"):
        run(build=False)
    assert fake_execute == [] and not (project / "reports").exists()


def test_scenario_outputs_of_qyedu_build_survive_a_refresh(project, fake_execute):
    kept = project / "data" / "processed" / "scenarios" / "high-b2022" / "x.csv"
    kept.parent.mkdir(parents=True)  # layout before generations: adopted by the migration
    kept.write_text("a\n1\n")
    run()
    assert kept.read_text() == "a\n1\n"
    assert (project / "data" / "processed" / "fixture_table.csv").exists()
    run()  # and again, once the old generation is gone
    assert kept.read_text() == "a\n1\n"


def test_undeclared_notebook_parameter_is_an_error_before_anything_runs(project, fake_execute):
    nb_path = project / "notebooks" / "20_figure.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = "\n".join(ln for ln in cell.source.splitlines() if not ln.startswith("county"))
    nbformat.write(nb, nb_path)
    with pytest.raises(NotebookParamError, match=r"20_figure\.ipynb.*county"):
        run()
    assert fake_execute == [] and not (project / "reports").exists()


def test_notebook_without_parameters_cell_is_an_error(project, fake_execute):
    nb_path = project / "notebooks" / "10_overview.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    for c in nb.cells:
        c.metadata.pop("tags", None)
    nbformat.write(nb, nb_path)
    with pytest.raises(NotebookParamError, match=r"10_overview\.ipynb: no cell tagged 'parameters'"):
        run()
    assert fake_execute == []


def test_duplicate_figure_names_across_notebooks_fail_without_publishing(
        project, fake_execute, monkeypatch):
    from qyedu.pipeline import RefreshFailed

    original = refresh_module.execute

    def execute(source, output, parameters, cwd, timeout):
        res = original(source, output, parameters, cwd, timeout)
        (Path(parameters["figures_dir"]) / "same.svg").write_bytes(b"<svg/>")
        return res

    monkeypatch.setattr(refresh_module, "execute", execute)
    with pytest.raises(RefreshFailed, match="same.svg is saved by both 20_figure and 10_overview"):
        run()
    assert not (project / "reports").exists() and not (project / "figures").exists()


def test_build_failure_publishes_nothing(project, fake_execute, monkeypatch):
    from qyedu.pipeline import RefreshFailed

    def broken(rp, out_dir=None, plan_path=None, progress=print):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(qyedu.build, "build_processed", broken)
    with pytest.raises(RefreshFailed, match="building data/processed failed: ZeroDivisionError"):
        run()
    assert fake_execute == [] and not (project / "data" / "processed").exists()


@pytest.mark.slow
def test_cell_timeout_fails_the_run_naming_the_cell(project):
    from qyedu.pipeline import NotebookFailed

    nb = nbformat.read(FIXTURES / "failing" / "30_fails.ipynb", as_version=4)
    nb.cells[-1].source = "import time\n\ntime.sleep(60)"
    nbformat.write(nb, project / "notebooks" / "40_slow.ipynb")
    with pytest.raises(NotebookFailed) as caught:
        run(only=["slow"], timeout=1)
    message = str(caught.value)
    assert ("notebook 40_slow.ipynb failed at cell 5 (In [4]): import time timed out after 1 s"
            in message)
    assert [r.status for r in caught.value.report.notebooks] == ["failed"]
    kept = nbformat.read(project / ".failed" / "40_slow.ipynb", as_version=4)
    assert kept.cells[-1].source.endswith("time.sleep(60)")
    assert not (project / "reports").exists()


def test_only_with_no_build_reads_the_default_tables_and_keeps_a_copy(project, fake_execute):
    run()
    report = run(only=["overview"], build=False)
    used = fake_execute[-1]["parameters"]["processed_dir"]
    assert used == str(project / "data" / "processed")
    folder = project / "data" / "processed" / "scenarios" / (
        params.load().slug() + "-only-10_overview")
    assert (folder / "fixture_table.csv").read_bytes() == (
        project / "data" / "processed" / "fixture_table.csv").read_bytes()
    assert report.manifest["build"]["status"] == "skipped"


def test_refresh_api_checks_county_jobs_and_timeout_before_anything_runs(project, fake_execute):
    from qyedu.errors import QyeduError

    with pytest.raises(QyeduError) as err:
        run(params.load(county="不存在"), jobs=0, timeout=float("nan"))
    text = str(err.value)
    assert "forecast.county '不存在'" in text and "--jobs must be" in text
    assert "--timeout must be" in text
    assert fake_execute == [] and not (project / ".generations").exists()
