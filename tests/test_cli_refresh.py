"""``qyedu refresh`` from the command line: exit codes, messages, lock, --only, a failing
notebook (real kernel) that leaves the published outputs untouched."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from filelock import FileLock
from support.pipeline import FIXTURES  # noqa: E402

from qyedu import paths
from qyedu.cli import main
from qyedu.pipeline import NotebookResult, runner


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
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from filelock import FileLock; "
         "lock = FileLock(sys.argv[1]); lock.acquire(); print('held', flush=True); "
         "time.sleep(30)", str(paths.lock_file())], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        t0 = time.perf_counter()
        assert main(["refresh"]) == 3
        assert time.perf_counter() - t0 < 5
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert f"another refresh is running (lock {paths.lock_file()})" in err and "--wait" in err
    assert executed == []


def test_wait_gives_up_after_its_timeout(project, executed, capsys):
    with FileLock(str(paths.lock_file())):
        t0 = time.perf_counter()
        assert main(["refresh", "--wait", "0.5"]) == 3
        assert time.perf_counter() - t0 >= 0.5
    assert "gave up after waiting 0.5 s" in capsys.readouterr().err and executed == []


def test_wait_runs_once_the_other_refresh_is_done(project, executed, capsys):
    held = threading.Event()

    def other_refresh():
        with FileLock(str(paths.lock_file())):
            held.set()
            time.sleep(0.3)

    thread = threading.Thread(target=other_refresh)
    thread.start()
    held.wait()
    assert main(["refresh", "--wait"]) == 0
    thread.join()
    out = capsys.readouterr().out
    assert "waiting for the lock" in out and executed == ["10_overview", "20_figure"]


def test_only_runs_the_named_notebook(project, executed, capsys):
    assert main(["refresh", "--only", "20_figure", "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert executed == ["20_figure"]
    assert "[refresh] 1/1 20_figure … ok" in out and "10_overview" not in out
    assert (project / "reports" / "20_figure.html").exists()
    assert not (project / "reports" / "10_overview.html").exists()


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

    code = main(["refresh"])
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
    assert published == previous
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
