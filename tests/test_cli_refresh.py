"""``qyedu refresh`` from the command line: exit codes, messages, lock, --only, a failing
notebook (real kernel) that leaves the published outputs untouched."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from support.pipeline import FIXTURES  # noqa: E402

import qyedu.build
from qyedu import params, paths
from qyedu.cli import main
from qyedu.lock import project_lock
from qyedu.pipeline import NotebookResult, runner

HOLD = ("import sys, time; from qyedu.lock import project_lock\n"
        "with project_lock('other-run'):\n"
        "    print('held', flush=True); time.sleep(30)")


@pytest.fixture()
def executed(monkeypatch):
    """Stand-in for kernel execution (copies the notebook); lists what was executed."""
    names = []

    def execute(source, output, parameters, cwd, timeout):
        names.append(source.stem)
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, output)
        return NotebookResult(source.stem, source, "ok", 0.01, output)

    monkeypatch.setattr(runner, "execute", execute)
    return names


def bad_params(root: Path, text: str) -> Path:
    path = root / "params" / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, expected", [
    ("forecast:\n  scenarioo: high\n", "forecast.scenarioo: unknown parameter"),
    ("forecast:\n  draws: -5\n", "forecast.draws: Input should be greater than or equal to 1"),
    ("teachers:\n  attrition_rate: lots\n", "teachers.attrition_rate"),
])
def test_bad_parameter_file_is_rejected_before_anything_runs(project, executed, capsys,
                                                             text, expected):
    code = main(["refresh", "--params", str(bad_params(project, text))])
    err = capsys.readouterr().err
    assert code == 2 and expected in err and "bad.yaml" in err
    assert executed == [] and not (project / "reports").exists()
    assert not (project / ".staging").exists()


def test_bad_override_flag_names_the_parameter(project, executed, capsys):
    assert main(["refresh", "--scenario", "extreme"]) == 2
    assert "forecast.scenario" in capsys.readouterr().err and executed == []


def test_undeclared_notebook_parameter_exits_2_naming_notebook_and_parameter(
        project, executed, capsys):
    nb = project / "notebooks" / "10_overview.ipynb"
    nb.write_text(nb.read_text("utf-8").replace("figures_dir", "figure_dir"), "utf-8")
    assert main(["refresh"]) == 2
    err = capsys.readouterr().err
    assert "10_overview.ipynb" in err and "figures_dir" in err and executed == []


def test_a_running_refresh_holds_the_lock(project, executed, capsys):
    """Another process holds the lock: refresh stops at once (exit 3)."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        t0 = time.perf_counter()
        assert main(["refresh"]) == 3
        assert time.perf_counter() - t0 < 5
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert f"another refresh is running (lock {paths.lock_file()} held by pid" in err
    assert "run other-run" in err and "--wait" in err
    assert executed == []


def test_wait_gives_up_after_its_timeout(project, executed, capsys):
    with project_lock("other-run"):
        t0 = time.perf_counter()
        assert main(["refresh", "--wait", "0.5"]) == 3
        assert time.perf_counter() - t0 >= 0.5
    assert "gave up after waiting 0.5 s" in capsys.readouterr().err and executed == []


def test_wait_runs_once_the_other_refresh_is_done(project, executed, capsys):
    held = threading.Event()

    def other_refresh():
        with project_lock("other-run"):
            held.set()
            time.sleep(2.0)  # long enough for the second run to reach the lock, even on a busy machine

    thread = threading.Thread(target=other_refresh)
    thread.start()
    held.wait()
    assert main(["refresh", "--wait"]) == 0
    thread.join()
    out = capsys.readouterr().out
    assert "another run holds the lock" in out and "waiting (no time limit)" in out
    assert executed == ["10_overview", "20_figure"]


def test_only_runs_the_named_notebook_into_its_scenario_folder(project, executed, capsys):
    assert main(["refresh"]) == 0
    default = {p: p.read_bytes() for p in (project / "reports").rglob("*") if p.is_file()}
    executed.clear()
    capsys.readouterr()
    assert main(["refresh", "--only", "20_figure", "--jobs", "2", "--draws", "50"]) == 0
    out = capsys.readouterr().out
    assert executed == ["20_figure"]
    assert "[refresh] 1/1 20_figure … ok" in out and "10_overview" not in out
    slug = params.load(draws=50).slug() + "-only-20_figure"
    folder = project / "reports" / "scenarios" / slug
    assert (folder / "20_figure.html").exists() and not (folder / "10_overview.html").exists()
    assert "50" in (folder / "manifest.json").read_text("utf-8")
    # the default pages and tables are untouched
    assert {p: p.read_bytes() for p in (project / "reports").rglob("*") if p.is_file()
            and "scenarios" not in p.parts} == default


def test_only_that_matches_nothing_is_an_error(project, executed, capsys):
    assert main(["refresh", "--only", "teachers"]) == 2
    assert "--only 'teachers' matches no notebook" in capsys.readouterr().err


@pytest.mark.slow
def test_failing_notebook_publishes_nothing_and_is_kept_for_debugging(project, capsys):
    shutil.copy(FIXTURES / "failing" / "30_fails.ipynb", project / "notebooks" / "05_fails.ipynb")
    previous = {}
    for rel in ("reports/index.html", "reports/10_overview.html", "figures/old.svg",
                "figures/old.png", "data/processed/fixture_table.csv"):
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"previous {rel} 旧".encode())
        previous[rel] = path.read_bytes()

    code = main(["refresh", "--jobs", "1"])  # one at a time: the rest are not started
    out, err = capsys.readouterr()
    assert code == 1
    assert "notebook 05_fails.ipynb failed at cell 5 (In [4])" in err
    assert "ValueError: 故意失败 deliberate failure" in err
    assert str(project / ".failed" / "05_fails.ipynb") in err
    assert "nothing was published" in err
    assert "[refresh] 1/3 05_fails … FAILED" in out and "20_figure … ok" not in out
    published = {str(p.relative_to(project)): p.read_bytes()
                 for d in ("reports", "figures", "data/processed")
                 for p in (project / d).rglob("*") if p.is_file()}
    status = json.loads(published.pop("reports/status.json"))
    js = published.pop("reports/status.js").decode()
    assert js.startswith("window.QYEDU_STATUS = ") and json.loads(js[22:].rstrip(";\n")) == status
    assert published == previous  # (moved into a first generation, same paths and bytes)
    assert status["last_run"]["status"] == "failed" and "05_fails" in status["last_run"]["error"]
    kept = (project / ".failed" / "05_fails.ipynb").read_text("utf-8")
    assert "故意失败" in kept
    assert "05_fails.ipynb" in (project / ".failed" / "error.txt").read_text("utf-8")
    assert not (project / ".staging").exists()


def test_help_lists_the_options(capsys):
    with pytest.raises(SystemExit):
        main(["refresh", "--help"])
    out = capsys.readouterr().out
    for flag in ("--params", "--only", "--jobs", "--timeout", "--no-build", "--wait", "--seed"):
        assert flag in out


# -- every option checked before any work: exit 2, one message, no traceback ---------------

@pytest.mark.parametrize("verb", ["forecast", "places", "teachers", "scorecard", "build",
                                  "refresh"])
def test_unknown_county_exits_2_for_every_verb_before_any_work(project, executed, capsys, verb):
    t0 = time.perf_counter()
    assert main([verb, "--county", "不存在"]) == 2
    err = capsys.readouterr().err
    assert "forecast.county '不存在' is not a county-level unit of Qingyuan" in err
    assert "英德市" in err and "Traceback" not in err
    assert time.perf_counter() - t0 < 5 and executed == []
    assert not (project / "reports").exists() and not (project / "data" / "processed").exists()


def test_county_alias_suggests_the_official_name(project, capsys):
    assert main(["forecast", "--county", "连南县"]) == 2
    assert "did you mean '连南瑶族自治县'" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["--timeout", "-5"], "--timeout must be a finite number of seconds > 0, or 0 for no limit "
                          "(got -5.0)"),
    (["--timeout", "nan"], "(got nan)"),
    (["--timeout", "inf"], "(got inf)"),
    (["--jobs", "0"], "--jobs must be an integer of at least 1 (got 0)"),
    (["--wait", "nan"], "--wait must be a finite number of seconds ≥ 0 (got nan)"),
])
def test_bad_run_options_exit_2_before_anything_runs(project, executed, capsys, args, message):
    assert main(["refresh", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and executed == []
    assert not (project / ".staging").exists()


def test_all_bad_options_are_reported_at_once(project, executed, capsys):
    assert main(["refresh", "--county", "不存在", "--timeout", "-5", "--jobs", "0",
                 "--draws", "true"]) == 2
    err = capsys.readouterr().err
    assert "invalid options:" in err
    for part in ("--jobs must be", "--timeout must be", "forecast.draws"):
        assert part in err, part
    assert executed == []


@pytest.mark.parametrize("content, message", [
    (None, "parameter file is not a file"),
    (b"forecast:\n  draws: 5\n  draws: 6\n", "duplicate key 'draws' (first given on line 2)"),
    (b"forecast:\n  county: \xc7\xe5\n", "is not UTF-8 text"),
    (b"forecast:\n  draws: true\n", "forecast.draws: Input should be a valid integer"),
])
def test_bad_parameter_files_exit_2_without_traceback(project, executed, capsys, content,
                                                      message):
    path = project / "params" / "bad.yaml"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    assert main(["refresh", "--params", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and executed == []


def test_set_with_a_bool_for_a_number_is_rejected(project, executed, capsys):
    assert main(["refresh", "--set", "forecast.draws=true"]) == 2
    assert "forecast.draws" in capsys.readouterr().err and executed == []


@pytest.mark.parametrize("verb, kind", [("build", "folder"), ("forecast", "file"),
                                        ("scorecard", "file"), ("places", "file")])
def test_out_pointing_at_an_existing_folder_exits_2(project, tmp_path, capsys, verb, kind):
    out = tmp_path / "exists"
    out.mkdir()
    assert main([verb, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert (f"--out {out}: already exists" if kind == "folder" else
            f"--out {out}: is a folder; give a file name") in err
    assert "Traceback" not in err and list(out.iterdir()) == []


# -- what a run leaves: status.json, error.txt, log time stamps, no machine paths ------------

def test_log_lines_are_time_stamped(project, executed, capsys):
    assert main(["refresh"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out and all(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \[refresh\] ", ln)
                       for ln in out), out


def test_status_json_records_the_last_run_and_the_live_generation(project, executed,
                                                                   monkeypatch, capsys):
    assert main(["refresh"]) == 0
    status = json.loads((project / "reports" / "status.json").read_text("utf-8"))
    live = status["live"]["generation"]
    assert status["last_run"]["status"] == "ok" and status["last_run"]["run_id"] == live
    assert status["live"]["run_id"] == live and status["last_run"]["error"] is None
    assert os.readlink(project / ".published") == f".generations/{live}"

    def broken(rp, out_dir=None, plan_path=None, progress=print):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(qyedu.build, "build_processed", broken)
    assert main(["refresh"]) == 1
    status = json.loads((project / "reports" / "status.json").read_text("utf-8"))
    assert status["last_run"]["status"] == "failed"
    assert status["last_run"]["error"].startswith("building data/processed failed: "
                                                  "ZeroDivisionError: boom")
    assert status["last_run"]["run_id"] != live and status["live"]["generation"] == live
    error = (project / ".failed" / "error.txt").read_text("utf-8")
    assert f"run id: {status['last_run']['run_id']}" in error and "time: 20" in error
    assert "traceback:" in error and "ZeroDivisionError: boom" in error


def test_no_file_written_names_a_machine_path(project, executed):
    assert main(["refresh"]) == 0
    root = str(project)
    for p in sorted((project / ".generations").rglob("*")):
        if p.is_file() and p.suffix in {".json", ".html"}:
            text = p.read_text("utf-8")
            assert root not in text and str(Path(sys.executable).parent) not in text, p
    manifest = json.loads((project / "reports" / "manifest.json").read_text("utf-8"))
    assert manifest["parameters"]["file"] == "params/default.yaml"


def test_published_files_get_the_umask_permissions(project, executed):
    old = os.umask(0o022)
    try:
        assert main(["refresh"]) == 0
    finally:
        os.umask(old)
    for rel in ("reports/index.html", "reports/manifest.json", "data/processed/fixture_table.csv"):
        assert (project / rel).stat().st_mode & 0o777 == 0o644, rel


def test_places_out_writes_only_there_and_never_the_published_tables(project, executed,
                                                                      tmp_path, monkeypatch):
    import pandas as pd

    from qyedu import generations
    from qyedu.workbench import Workbench

    assert main(["refresh"]) == 0
    live = generations.project_site().live()
    before = {p.name: p.read_bytes() for p in (project / "data" / "processed").iterdir()
              if p.is_file()}
    tables = {"places_demand.csv": pd.DataFrame({"x": [1]}),
              "places_promises.csv": pd.DataFrame({"y": [2]})}
    monkeypatch.setattr(Workbench, "places_tables", property(lambda self: tables))
    out = tmp_path / "mine" / "demand.csv"
    assert main(["places", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.parent.iterdir()) == ["demand.csv"]
    assert {p.name: p.read_bytes() for p in (project / "data" / "processed").iterdir()
            if p.is_file()} == before
    assert generations.project_site().live() == live and generations.verify(live) == []
    # without --out: published as a new generation (the other tables carried over)
    assert main(["places"]) == 0
    new = generations.project_site().live()
    assert new != live and generations.verify(new) == []
    assert (project / "data" / "processed" / "places_promises.csv").read_text() == "y\n2\n"
    assert (project / "data" / "processed" / "fixture_table.csv").read_bytes() == \
        before["fixture_table.csv"]


def test_refresh_runs_one_kernel_per_core_by_default_at_most_four(monkeypatch):
    import importlib

    import qyedu.cli.refresh as cli_refresh

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(16)), raising=False)
    assert importlib.reload(cli_refresh).DEFAULT_JOBS == 4
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert importlib.reload(cli_refresh).DEFAULT_JOBS == 1
    monkeypatch.undo()
    importlib.reload(cli_refresh)
