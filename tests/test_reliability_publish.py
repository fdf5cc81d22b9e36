"""Published outputs belong to the publish step alone: a sweep lives in its own store and
survives every build; a build with a plan from outside data/raw is never published; the
publish step refuses an incomplete generation; a dangling ``.published`` is repaired;
``qyedu check`` and every publishing run verify the live generation; the lock is exit 3 for
every verb. Synthetic stand-ins (tests/test_faults.py) replace the model and the kernels."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pandas as pd
import pytest
from test_faults import TAG, do_build, do_refresh, make_fault_project

import qyedu.build
from qyedu import generations as gens
from qyedu import params, paths
from qyedu.cli import main
from qyedu.errors import BusyError
from qyedu.pipeline import runner
from qyedu.sweep import design_from_dict, run_sweep

PI = 3.141592653589793


@pytest.fixture()
def proj(tmp_path, monkeypatch):
    return make_fault_project(tmp_path, monkeypatch)

DESIGN = {"name": "keep", "method": "sobol", "samples": 4, "batch_size": 8,
          "task": "qyedu.sweep.testfunctions:Ishigami", "outputs": ["y"],
          "parameters": {k: {"range": [-PI, PI]} for k in ("x1", "x2", "x3")}}


def _sweep():
    return run_sweep(design_from_dict(DESIGN), workers=0, progress=False, figures=False,
                     log=lambda *_: None)


def test_a_sweep_lives_in_its_store_and_survives_builds(proj):
    do_refresh("a")
    live = gens.project_site().live()
    res = _sweep()
    assert res.out == paths.sweeps_dir() / "keep"  # data/sweeps/keep, not a generation
    assert gens.verify(live) == []  # the sweep did not touch the published generation
    before = (proj / "data" / "processed" / "sweeps" / "keep" / "indices.csv").read_bytes()
    do_build("b")
    do_build("c")
    do_refresh("d")
    shown = proj / "data" / "processed" / "sweeps" / "keep" / "indices.csv"
    assert shown.read_bytes() == before  # readable where the page reads it, after 3 publishes
    assert gens.verify(gens.project_site().live()) == []
    assert main(["check", "--no-raw"]) == 0


def test_a_sweep_in_an_old_generation_is_moved_to_the_store(proj):
    do_refresh("a")
    old = gens.project_site().live() / "processed" / "sweeps"
    old.unlink()  # the layout before the store: a real folder in the generation
    (old / "legacy").mkdir(parents=True)
    (old / "legacy" / "indices.csv").write_text("output,parameter\ny,x1\n", encoding="utf-8")
    do_build("b")
    assert (paths.sweeps_dir() / "legacy" / "indices.csv").is_file()
    assert (proj / "data" / "processed" / "sweeps" / "legacy" / "indices.csv").read_text(
        encoding="utf-8") == "output,parameter\ny,x1\n"
    assert gens.verify(gens.project_site().live()) == []


@pytest.mark.parametrize("name", ["..", "../..", "/tmp/x", "a/b", "x" * 300, ".hidden"])
def test_a_design_name_never_leaves_the_store(proj, name):
    from qyedu.params import ParamError

    with pytest.raises(ParamError, match="sweep design name"):
        design_from_dict(DESIGN | {"name": name})


def test_sweep_out_inside_the_published_tree_is_refused(proj, tmp_path, capsys):
    do_refresh("a")
    design = tmp_path / "d.yaml"
    import yaml

    design.write_text(yaml.safe_dump(DESIGN), encoding="utf-8")
    for out in (proj / "data" / "processed", proj / "data" / "processed" / "x", proj / "reports",
                proj / ".generations" / "x"):
        code = main(["sweep", str(design), "--workers", "0", "--out", str(out), "--no-progress"])
        assert code == 2, out
        assert "only a publishing run writes" in capsys.readouterr().err
    assert gens.verify(gens.project_site().live()) == []


def test_build_with_a_plan_from_outside_data_raw_is_refused(proj, tmp_path, capsys):
    do_refresh("a")
    live = gens.project_site().live()
    other = tmp_path / "other_plan.txt"
    other.write_text("一、其他规划\n", encoding="utf-8")
    for argv in (["build", "--plan", str(other)], ["plan", "--plan", str(other)]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "--plan" in err and "--out" in err and "Traceback" not in err
    assert gens.project_site().live() == live and gens.verify(live) == []
    # with --out it is built there and never published
    assert main(["build", "--plan", str(other), "--out", str(tmp_path / "mine")]) == 0
    assert (tmp_path / "mine" / "t1.csv").is_file()
    assert gens.project_site().live() == live


def test_out_runs_never_write_into_the_published_tree(proj, capsys):
    do_refresh("a")
    for argv in (["build", "--out", str(proj / "data" / "processed" / "new")],
                 ["plan", "--out", str(proj / "reports")],
                 ["places", "--out", str(proj / "data" / "processed" / "places_demand.csv")]):
        assert main(argv) == 2, argv
        assert "only a publishing run writes" in capsys.readouterr().err
    assert gens.verify(gens.project_site().live()) == []


def test_a_dangling_published_link_is_repaired_and_pages_are_kept(proj):
    do_refresh("a")
    do_build("b")
    live = gens.project_site().live()
    shutil.rmtree(live)  # .published now points at nothing
    do_build("c")
    new = gens.project_site().live()
    assert (new / "reports" / "index.html").is_file()  # the pages of refresh "a" carried over
    assert (proj / "figures" / "10_overview.png").read_text() == "a"
    assert gens.verify(new) == []


def test_an_incomplete_generation_is_never_switched_in(proj, monkeypatch, capsys):
    do_refresh("a")
    live = gens.project_site().live()
    monkeypatch.setattr(runner, "write_index", lambda manifest, reports, **kw: None)  # no index.html
    with pytest.raises(gens.PublishError, match="missing reports/index.html"):
        do_refresh("b")
    assert gens.project_site().live() == live
    assert not [g for g in (proj / ".generations").iterdir() if g.name.endswith(".partial")]


def test_a_corrupt_live_generation_is_reported_and_never_carried(proj, capsys):
    do_refresh("a")
    manifest = proj / "reports" / "manifest.json"
    manifest.write_text(manifest.read_text("utf-8")[:-40], encoding="utf-8")
    assert main(["check", "--no-raw"]) == 2
    err = capsys.readouterr().err
    assert "reports/manifest.json: changed" in err and "Traceback" not in err
    with pytest.raises(gens.CorruptError, match="reports/manifest.json"):
        do_build("b")  # a build would carry the corrupt pages into a new generation
    assert main(["build"]) == 2
    do_refresh("c")  # a full refresh replaces every file
    assert main(["check", "--no-raw"]) == 0


HOLD = ("import sys, time; from qyedu.lock import project_lock\n"
        "with project_lock('other-run'):\n"
        "    print('held', flush=True); time.sleep(30)")


def test_the_lock_is_exit_3_for_every_publishing_verb(proj, capsys):
    holder = subprocess.Popen([sys.executable, "-c", HOLD], stdout=subprocess.PIPE,
                              env=os.environ | {"QYEDU_ROOT": str(proj)})
    try:
        assert holder.stdout.readline().strip() == b"held"
        assert main(["build"]) == 3
        assert "another refresh or build is running" in capsys.readouterr().err
        assert main(["refresh", "--jobs", "1"]) == 3
        with pytest.raises(BusyError):
            qyedu.build.publish_tables(None, {"x.csv": pd.DataFrame({"a": [1]})},
                                       progress=lambda m: None)
    finally:
        holder.kill()
        holder.wait()


def test_check_reports_a_dangling_link_with_no_generation_left(proj, capsys):
    do_refresh("a")
    for g in (proj / ".generations").iterdir():
        shutil.rmtree(g)
    assert main(["check", "--no-raw"]) == 2
    assert ".published points to a missing generation" in capsys.readouterr().err
    TAG["value"] = "z"
    assert params.load() is not None
    do_refresh("b")  # recovers: the next run publishes normally
    assert main(["check", "--no-raw"]) == 0
    assert json.loads((proj / "reports" / "manifest.json").read_text("utf-8"))["run_id"]
    time.sleep(0)


def test_a_recorded_sweep_in_the_live_generation_moves_to_the_store_and_stays_verified(proj):
    """A generation that recorded a sweep (old layout, e.g. carried by `qyedu places`) keeps
    matching its record after the sweep moved to the store, so the next build is not refused."""
    do_refresh("a")
    live = gens.project_site().live()
    (live / "processed" / "sweeps").unlink()
    (live / "processed" / "sweeps" / "old").mkdir(parents=True)
    (live / "processed" / "sweeps" / "old" / "runs.csv").write_text("run\n0\n", "utf-8")
    gens._write_record(live, live.name, "refresh")  # recorded, as a carried folder was
    assert "processed/sweeps/old/runs.csv" in json.loads((live / gens.RECORD).read_text())["files"]
    do_build("b")
    assert (paths.sweeps_dir() / "old" / "runs.csv").read_text("utf-8") == "run\n0\n"
    assert gens.verify(live) == [] and gens.verify(gens.project_site().live()) == []


def test_a_legacy_project_with_a_sweep_folder_is_migrated_into_the_store(proj):
    (proj / "data" / "processed" / "sweeps" / "leg").mkdir(parents=True)
    (proj / "data" / "processed" / "sweeps" / "leg" / "indices.csv").write_text("x\n1\n", "utf-8")
    (proj / "data" / "processed" / "t.csv").write_text("a\n1\n", "utf-8")
    do_build("a")
    assert (paths.sweeps_dir() / "leg" / "indices.csv").is_file()
    assert (proj / "data" / "processed" / "sweeps" / "leg" / "indices.csv").is_file()
    for gen in (proj / ".generations").iterdir():
        assert gens.verify(gen) == [], gen.name
