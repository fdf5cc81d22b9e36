"""A sweep says what it is doing: the Dask dashboard's link, a worker lost on the way (its
batch is re-run elsewhere and the results stay complete), and a design too small for stable
indices. The lost worker is a SYNTHETIC task that kills the first worker process it runs in."""

from __future__ import annotations

import pandas as pd
import pytest

from qyedu.sweep import design_from_dict, run_sweep
from qyedu.sweep.execute import WorkerWatch
from qyedu.sweep.run import stability_warning

PI = 3.141592653589793


def _design(**kw):
    return design_from_dict({"name": "ishi", "method": "sobol",
                             "task": "qyedu.sweep.testfunctions:Ishigami", "samples": 8,
                             "batch_size": 10, "seed": 2, "outputs": ["y"],
                             "parameters": {k: {"range": [-PI, PI]} for k in ("x1", "x2", "x3")}}
                            | kw)


def test_worker_watch_reports_each_lost_worker_once():
    logs = []

    class Client:
        workers = {"tcp://a": {}, "tcp://b": {}}

        def scheduler_info(self):
            return {"workers": dict(self.workers)}

    c = Client()
    w = WorkerWatch(set(c.workers), logs.append)
    assert w.check(c) == set() and logs == []
    c.workers = {"tcp://b": {}, "tcp://c": {}}  # a left; c (a restarted nanny) joined
    assert w.check(c) == {"tcp://a"}
    w.check(c)
    assert logs == ["[sweep] lost worker tcp://a: its tasks are re-run on the 2 remaining "
                    "worker(s)"]
    w.check(c, final=True)
    assert logs[-1] == ("[sweep] 1 worker(s) lost during the sweep; every run finished on the "
                        "others")


def test_small_design_warns_with_its_widest_interval(tmp_path):
    logs = []
    res = run_sweep(_design(samples=8), out=tmp_path / "s", workers=0, progress=False,
                    figures=False, log=logs.append)
    assert any("a base sample of 8 gives indicative Sobol indices only" in m for m in logs)
    warn = [m for m in logs if "too small for stable indices" in m]
    assert len(warn) == 1 and "raise `samples` (now 8)" in warn[0]
    assert warn[0] == stability_warning(res.design, res.indices)
    # narrow intervals: no warning
    ok = pd.DataFrame({"output": ["y"], "parameter": ["x1"], "S1": [0.3], "S1_conf": [0.02],
                       "ST": [0.5], "ST_conf": [0.03]})
    assert stability_warning(res.design, ok) is None


@pytest.mark.slow
def test_local_cluster_prints_the_dashboard_and_reports_a_lost_worker(tmp_path, monkeypatch):
    from support.sweep_killer import MARKER_ENV

    monkeypatch.setenv(MARKER_ENV, str(tmp_path / "killed-once"))
    logs = []
    d = _design(task="support.sweep_killer:KillOnce", samples=16, batch_size=16)
    res = run_sweep(d, out=tmp_path / "k", workers=2, progress=False, figures=False,
                    log=logs.append)
    assert (tmp_path / "killed-once").exists()
    assert any(m.startswith("[sweep] Dask dashboard: http://") and m.endswith("/status")
               for m in logs), logs
    assert any(m.startswith("[sweep] lost worker tcp://") for m in logs), logs
    assert res.runs["run"].nunique() == 16 * 5  # every run finished on the other worker
    run_sweep(_design(samples=16, batch_size=16), out=tmp_path / "s", workers=0,
              progress=False, figures=False, log=lambda *_: None)
    assert (tmp_path / "k" / "runs.csv").read_bytes() == (tmp_path / "s" / "runs.csv").read_bytes()
