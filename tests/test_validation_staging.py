"""`qyedu validate` commits its calibration as one set: a run that fails or is killed leaves
params/calibration/ as it was (qyedu.validation.staging). The tables written here are tiny
synthetic frames, not calibration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from qyedu import paths
from qyedu.validation.calibrate import write_with_header
from qyedu.validation.staging import PREFIX, changed_files, snapshot, staged_calibration

HEAD = "# synthetic test table\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    cal = tmp_path / "params" / "calibration"
    (cal / "frozen").mkdir(parents=True)
    (cal / "a.csv").write_text(HEAD + "x\n1\n", encoding="utf-8")
    (cal / "frozen" / "b.csv").write_text(HEAD + "x\n2\n", encoding="utf-8")
    monkeypatch.setenv("QYEDU_ROOT", str(tmp_path))
    monkeypatch.delenv(paths.CALIBRATION_STAGE_ENV, raising=False)
    return cal


def test_resolve_sends_only_calibration_paths_to_the_stage(tmp_path, monkeypatch):
    monkeypatch.setenv("QYEDU_ROOT", str(tmp_path))
    monkeypatch.delenv(paths.CALIBRATION_STAGE_ENV, raising=False)
    assert paths.resolve("params/calibration/flow_band.csv") == \
        tmp_path / "params" / "calibration" / "flow_band.csv"
    monkeypatch.setenv(paths.CALIBRATION_STAGE_ENV, str(tmp_path / "stage"))
    assert paths.resolve("params/calibration/frozen/x.csv") == tmp_path / "stage" / "frozen" / "x.csv"
    assert paths.resolve("params/default.yaml") == tmp_path / "params" / "default.yaml"
    assert paths.resolve("params/calibrationx/a.csv") == tmp_path / "params" / "calibrationx" / "a.csv"
    assert paths.resolve(tmp_path / "abs.csv") == tmp_path / "abs.csv"


def test_a_finished_run_commits_every_file_it_wrote(project):
    with staged_calibration() as stage:
        write_with_header(pd.DataFrame({"x": [10]}), "params/calibration/a.csv", HEAD)
        write_with_header(pd.DataFrame({"x": [20]}), "params/calibration/frozen/c.csv", HEAD)
        # the run reads its own files; the committed set is untouched until the end
        assert (stage / "a.csv").read_text("utf-8") == HEAD + "x\n10\n"
        assert (project / "a.csv").read_text("utf-8") == HEAD + "x\n1\n"
        assert not (project / "frozen" / "c.csv").exists()
    assert (project / "a.csv").read_text("utf-8") == HEAD + "x\n10\n"
    assert (project / "frozen" / "c.csv").read_text("utf-8") == HEAD + "x\n20\n"
    assert (project / "frozen" / "b.csv").read_text("utf-8") == HEAD + "x\n2\n"
    assert not list(project.parent.glob(PREFIX + "*"))
    assert paths.CALIBRATION_STAGE_ENV not in os.environ


def test_a_failed_run_leaves_the_committed_set(project):
    with pytest.raises(RuntimeError, match="boom"):
        with staged_calibration():
            write_with_header(pd.DataFrame({"x": [10]}), "params/calibration/a.csv", HEAD)
            raise RuntimeError("boom")
    assert (project / "a.csv").read_text("utf-8") == HEAD + "x\n1\n"
    assert not list(project.parent.glob(PREFIX + "*"))
    assert paths.CALIBRATION_STAGE_ENV not in os.environ


def test_a_killed_run_leaves_the_committed_set_and_the_next_run_clears_its_stage(project):
    """The process dies (os._exit, like kill -9) after its second calibration file."""
    code = ("import pandas as pd\n"
            "from qyedu.validation.calibrate import write_with_header\n"
            "from qyedu.validation.staging import staged_calibration\n"
            "with staged_calibration():\n"
            "    for n in ('a', 'frozen/b', 'd'):\n"
            "        write_with_header(pd.DataFrame({'x': [99]}), f'params/calibration/{n}.csv', "
            f"{HEAD!r})\n")
    env = {**os.environ, "QYEDU_FAULT_AT": "calibration:2"}
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert r.returncode == 137, r.stderr
    assert (project / "a.csv").read_text("utf-8") == HEAD + "x\n1\n"
    assert (project / "frozen" / "b.csv").read_text("utf-8") == HEAD + "x\n2\n"
    assert not (project / "d.csv").exists()
    left = list(project.parent.glob(PREFIX + "*"))
    assert len(left) == 1 and (left[0] / "a.csv").read_text("utf-8") == HEAD + "x\n99\n"
    said = []
    with staged_calibration(progress=said.append):
        pass
    assert not left[0].exists()
    assert said == [f"[validate] removed {left[0].name}, left by a run that was killed "
                    "before it finished"]


def test_only_the_files_a_run_wrote_are_moved(project):
    """Another run commits a.csv while this one runs without writing it (as
    --skip-calibration skips files): this run's commit does not put the old a.csv back."""
    with staged_calibration() as stage:
        before = snapshot(stage)
        (project / "a.csv").write_text(HEAD + "x\n7\n", encoding="utf-8")  # the other run
        write_with_header(pd.DataFrame({"x": [20]}), "params/calibration/frozen/b.csv", HEAD)
        write_with_header(pd.DataFrame({"x": [30]}), "params/calibration/e.csv", HEAD)
        assert changed_files(stage, before) == [Path("e.csv"), Path("frozen/b.csv")]
    assert (project / "a.csv").read_text("utf-8") == HEAD + "x\n7\n"
    assert (project / "frozen" / "b.csv").read_text("utf-8") == HEAD + "x\n20\n"
    assert (project / "e.csv").read_text("utf-8") == HEAD + "x\n30\n"
