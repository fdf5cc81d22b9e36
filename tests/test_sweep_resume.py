"""Resuming: a sweep interrupted after some batches keeps them and redoes only the rest; the
final tables equal an uninterrupted sweep's. A folder holding another design is refused.
And the CLI: `qyedu sweep` killed mid-way resumes on the next call."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from qyedu.sweep import design_from_dict, run_sweep
from qyedu.sweep.store import SweepStoreError
from qyedu.sweep.testfunctions import Ishigami

CALLS: list[int] = []


class Interrupting(Ishigami):
    """Ishigami that counts its runs and is 'killed' at run 40 while STOP is set."""

    STOP = True

    def evaluate_one(self, values, seed):
        CALLS.append(1)
        if Interrupting.STOP and len(CALLS) == 40:
            raise KeyboardInterrupt
        return super().evaluate_one(values, seed)


PI = 3.141592653589793
DESIGN = {"name": "resume", "method": "sobol", "samples": 16, "batch_size": 16,
          "task": "test_sweep_resume:Interrupting", "outputs": ["y"],
          "parameters": {k: {"range": [-PI, PI]} for k in ("x1", "x2", "x3")}}


def _run(d, out):
    return run_sweep(d, out=out, workers=0, progress=False, figures=False, log=lambda *_: None)


def test_interrupted_sweep_resumes_without_redoing_runs(tmp_path):
    d = design_from_dict(DESIGN)
    CALLS.clear()
    Interrupting.STOP = True
    with pytest.raises(KeyboardInterrupt):
        _run(d, tmp_path / "a")
    assert len(list((tmp_path / "a" / "parts").glob("part-*.json"))) == 2  # 32 runs kept
    CALLS.clear()
    Interrupting.STOP = False
    res = _run(d, tmp_path / "a")
    assert res.new_runs == 80 - 32 and len(CALLS) == 80 - 32
    CALLS.clear()
    ref = _run(d, tmp_path / "b")
    for name in ("runs.csv", "indices.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    with pytest.raises(SweepStoreError, match="another version"):
        _run(design_from_dict(DESIGN | {"seed": 5}), tmp_path / "a")
    again = _run(design_from_dict(DESIGN | {"batch_size": 7}), tmp_path / "a")  # same runs
    assert again.new_runs == 0
    assert ref.runs["run"].nunique() == 80


def test_cli_sweep_killed_then_resumed(tmp_path):
    design = {"name": "tiny", "method": "grid", "batch_size": 1,
              "fixed": {"forecast.draws": 30},
              "parameters": {"teachers.attrition_rate": {"range": [0.01, 0.05], "steps": 3},
                             "forecast.births_method": {"values": ["rate_ratio", "mixed"]}},
              "outputs": ["compulsory_surplus_2025_p50", "junior_peak_p50", "teacher_hires_total"]}
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(design), encoding="utf-8")
    out = tmp_path / "out"
    cmd = [str(Path(sys.executable).parent / "qyedu"), "sweep", str(path), "--workers", "0", "--out",
           str(out), "--no-progress", "--no-figures"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.time() + 60
    while (time.time() < deadline and proc.poll() is None
           and not list((out / "parts").glob("part-*.json"))):
        time.sleep(0.2)
    assert proc.poll() is None, proc.stdout.read().decode()
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    kept = len(list((out / "parts").glob("part-*.json")))
    assert 1 <= kept < 6 and not (out / "runs.csv").exists()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"({kept} already done)" in done.stdout and f"({6 - kept} new)" in done.stdout
    import pandas as pd

    runs = pd.read_csv(out / "runs.csv")
    assert runs["run"].nunique() == 6 and runs["value"].notna().all()
    assert set(pd.read_csv(out / "indices.csv").columns) >= {"output", "parameter", "method", "S1"}
    assert Path(out / "verdicts.csv").exists()
