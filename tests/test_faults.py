"""Fault injection: the refresh and the build killed (``os._exit``, as ``kill -9``: no
cleanup) at every step of publishing and after every table; concurrent runs with the lock
file deleted; read-only, symlinked and full targets. After each fault the published set must
be consistent (one generation, its hashes match, pages/figures/tables from the same run)
and the next run must succeed without manual steps.

Runs are forked from the test process (no import cost) with the stand-ins of
tests/support/pipeline.py, so the whole suite takes seconds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
from support.pipeline import make_project

import qyedu.build
from qyedu import faults, params, paths
from qyedu import generations as gens
from qyedu.cli import main
from qyedu.errors import QyeduError
from qyedu.io import write_csv_atomic
from qyedu.lock import project_lock
from qyedu.pipeline import LockBusy, NotebookResult, assemble, refresh, runner

pytestmark = pytest.mark.slow

TAG = {"value": "a"}


def tagged_build(rp, out_dir=None, plan_path=None, progress=print):
    df = pd.DataFrame({"tag": [TAG["value"]], "value": [1.0]})
    return {"fixture_table.csv": write_csv_atomic(df, Path(out_dir) / "fixture_table.csv")}


def tagged_execute(source, output, parameters, cwd, timeout):
    output.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, output)
    figs = Path(parameters["figures_dir"])
    figs.mkdir(parents=True, exist_ok=True)
    (figs / f"{source.stem}.png").write_text(TAG["value"])
    if TAG.get("sleep"):
        time.sleep(TAG["sleep"])
    return NotebookResult(source.stem, source, "ok", 0.01, output)


def tagged_tables(rp, plan_path=None, progress=print):
    """Stand-in for build._compute: four synthetic tables, a build record, no draws."""
    tables = {f"t{i}.csv": pd.DataFrame({"tag": [TAG["value"]], "i": [i]}) for i in range(1, 5)}
    return tables, {"synthetic": TAG["value"]}, None


@pytest.fixture()
def proj(tmp_path, monkeypatch):
    return make_fault_project(tmp_path, monkeypatch)


def make_fault_project(tmp_path, monkeypatch):
    """A temporary project with the synthetic stand-ins (also used by other test modules)."""
    root = make_project(tmp_path / "proj")
    monkeypatch.setenv("QYEDU_ROOT", str(root))
    monkeypatch.setattr(qyedu.build, "build_processed", tagged_build)
    monkeypatch.setattr(qyedu.build, "_compute", tagged_tables)
    monkeypatch.setattr(runner, "execute", tagged_execute)
    def fake_editions(executed, reports, stem, title, *a, **k):
        (reports / f"{stem}.html").write_text(f"<h1>{title}</h1>")
        return {"reviewer": reports / f"{stem}.html"}

    # nbconvert and Chromium are not what is tested here (and take seconds a page)
    monkeypatch.setattr(assemble, "render_editions", fake_editions)
    monkeypatch.setattr("qyedu.pipeline.pdf.chromium", lambda: None)
    monkeypatch.delenv("QYEDU_FAULT_AT", raising=False)
    TAG.update(value="a", sleep=0)
    return root


def do_refresh(tag: str, **kw):
    TAG["value"] = tag
    return refresh(params.load(), paths.default_params_file(), progress=lambda s: None, **kw)


def do_build(tag: str):
    TAG["value"] = tag
    return qyedu.build.publish_build(params.load(), progress=lambda s: None)


def forked(fn, fault: str | None = None) -> int:
    """Run ``fn`` in a forked child (with ``QYEDU_FAULT_AT=fault``); its exit status."""
    pid = os.fork()
    if pid == 0:  # child: never returns into pytest
        code = 0
        try:
            faults.reset()
            if fault:
                os.environ["QYEDU_FAULT_AT"] = fault
            fn()
        except BaseException:  # noqa: BLE001
            import traceback

            traceback.print_exc()  # shown by pytest when the test fails
            code = 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def published_tags(root: Path) -> dict[str, str]:
    """What a reader sees at the published paths, and checks that it is one generation."""
    live = gens.project_site().live()
    assert live is not None
    assert gens.verify(live) == []
    manifest = json.loads((root / "reports" / "manifest.json").read_text("utf-8"))
    tags = {"figures": (root / "figures" / "10_overview.png").read_text()}
    table = pd.read_csv(root / "data" / "processed" / "fixture_table.csv")
    tags["processed"] = table["tag"].iloc[0]
    assert manifest["run_id"] == live.name or live.name.endswith("-build")
    assert (root / "reports" / "index.html").is_file()
    return tags


def assert_clean(root: Path) -> None:
    assert not (root / ".staging").exists()
    assert not (root / ".published.new").exists()
    left = sorted(p.name for p in (root / ".generations").iterdir())
    assert not [n for n in left if n.endswith((".partial", ".migrating"))], left
    assert len(left) <= gens.KEEP
    assert not paths.lock_file().exists()


def test_refresh_killed_at_every_publish_step_leaves_one_consistent_set(proj):
    do_refresh("a")
    n, outcomes = 0, []
    while True:
        n += 1
        code = forked(lambda: do_refresh("b"), fault=f"publish:{n}")
        tags = published_tags(proj)
        assert len(set(tags.values())) == 1, (n, tags)  # never a mix
        outcomes.append(tags["figures"])
        if code == 0:
            break
        assert code == 137, (n, code)
        assert tags["figures"] in {"a", "b"}
        do_refresh("c")  # the next run recovers without manual steps
        assert published_tags(proj) == {"figures": "c", "processed": "c"}
        assert_clean(proj)
        do_refresh("a")
    assert n >= 9  # every step was tried: the switch happens in the middle
    assert outcomes[0] == "a" and outcomes[-1] == "b"
    assert "a" in outcomes[:-1] and "b" in outcomes[:-1]


def build_tags(root: Path) -> list[str]:
    folder = root / "data" / "processed"
    return [pd.read_csv(folder / f"t{i}.csv")["tag"].iloc[0] if (folder / f"t{i}.csv").exists()
            else None for i in range(1, 5)]


def test_build_killed_after_every_table_and_publish_step_keeps_old_tables(proj):
    do_refresh("a")
    do_build("a")
    for fault in [f"build:{i}" for i in range(1, 5)] + [f"publish:{i}" for i in range(1, 10)]:
        code = forked(lambda: do_build("b"), fault=fault)
        assert code == 137, fault
        assert gens.verify(gens.project_site().live()) == []
        tables = build_tags(proj)
        if fault.startswith("build"):
            assert tables == ["a"] * 4, fault  # staged tables never reach data/processed
        else:
            assert tables in (["a"] * 4, ["b"] * 4), (fault, tables)  # never a mix
        do_build("c")
        assert build_tags(proj) == ["c"] * 4
        # the pages and figures of the refresh are carried over, hashes still match
        assert (proj / "figures" / "10_overview.png").read_text() == "a"
        assert gens.verify(gens.project_site().live()) == []
        assert_clean(proj)
        do_build("a")


def test_lock_file_deleted_during_a_run_does_not_let_a_second_run_in(proj):
    do_refresh("a")
    TAG["sleep"] = 1.5
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            do_refresh("b")
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    TAG["sleep"] = 0
    deadline = time.monotonic() + 10
    while not paths.lock_file().exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    holder = json.loads(paths.lock_file().read_text("utf-8"))
    assert holder["pid"] == pid  # the informational file names the holder
    paths.lock_file().unlink()
    with pytest.raises(LockBusy, match="another refresh is running"):
        do_refresh("c")
    with pytest.raises(QyeduError, match="another refresh or build is running"):
        do_build("c")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert published_tags(proj) == {"figures": "b", "processed": "b"}
    do_refresh("c")  # released on exit
    assert published_tags(proj)["figures"] == "c"
    assert_clean(proj)


def test_lock_is_released_when_the_holder_is_killed(proj):
    code = forked(lambda: (project_lock("x").__enter__(), os._exit(137)))
    assert code == 137
    do_refresh("a")  # a kill -9 leaves no stale lock
    assert published_tags(proj)["figures"] == "a"


def test_symlinked_target_fails_before_anything_is_swapped(proj, tmp_path, capsys):
    do_refresh("a")
    before = gens.project_site().live_id()
    elsewhere = tmp_path / "www"
    elsewhere.mkdir()
    (proj / "reports").unlink()
    (proj / "reports").symlink_to(elsewhere)
    assert main(["refresh"]) == 2
    err = capsys.readouterr().err
    assert f"{proj / 'reports'} is a symlink to {elsewhere}, not managed by qyedu" in err
    assert "Traceback" not in err
    assert gens.project_site().live_id() == before and list(elsewhere.iterdir()) == []
    assert (proj / "reports").readlink() == elsewhere  # left as the user made it
    (proj / "reports").unlink()
    do_refresh("b")  # once removed, the next run restores the link and publishes
    assert published_tags(proj) == {"figures": "b", "processed": "b"}


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode:
        pytest.skip(f"cannot mount here ({done.stderr.strip()})")


def test_read_only_project_fails_before_anything_is_swapped(proj, capsys):
    do_refresh("a")
    before = gens.project_site().live_id()
    _mount("--bind", str(proj), str(proj))
    try:
        _mount("-o", "remount,bind,ro", str(proj))
        assert main(["refresh"]) == 2
        err = capsys.readouterr().err
        assert f"{proj} is on a read-only file system" in err and "nothing was changed" in err
        assert "Traceback" not in err
        assert main(["build"]) == 2
        assert "read-only file system" in capsys.readouterr().err
    finally:
        subprocess.run(["umount", str(proj)], check=False)
    assert gens.project_site().live_id() == before
    do_refresh("b")
    assert published_tags(proj)["figures"] == "b"


def test_read_only_legacy_reports_folder_fails_before_anything_is_swapped(proj, capsys):
    (proj / "reports").mkdir()
    (proj / "reports" / "index.html").write_text("old")
    _mount("--bind", str(proj / "reports"), str(proj / "reports"))
    try:
        _mount("-o", "remount,bind,ro", str(proj / "reports"))
        assert main(["refresh"]) == 2
        err = capsys.readouterr().err
        assert f"{proj / 'reports'} is on a read-only file system" in err
    finally:
        subprocess.run(["umount", str(proj / "reports")], check=False)
    assert (proj / "reports" / "index.html").read_text() == "old"
    assert not (proj / ".published").exists()


@pytest.fixture()
def small_disk(tmp_path, monkeypatch):
    """The project on a 4 MB tmpfs (skipped where mounting is not allowed)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    _mount("-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt))
    root = make_project(mnt / "proj")
    monkeypatch.setenv("QYEDU_ROOT", str(root))
    yield root
    subprocess.run(["umount", str(mnt)], check=False)


def test_full_disk_fails_before_the_switch_and_keeps_the_published_set(proj, small_disk,
                                                                        capsys):
    root = small_disk
    do_refresh("a")
    before = gens.project_site().live_id()
    filler = root.parent / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)  # fill the disk completely (unbuffered)
    try:
        for size in (65536, 4096, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    assert main(["refresh"]) == 2
    err = capsys.readouterr().err
    assert "is on a full disk" in err and "nothing was changed" in err
    # room for the checks but not for the outputs: fails while staging, exit 1
    filler.unlink()
    big = root.parent / "big"
    st = os.statvfs(root)
    big.write_bytes(b"\0" * (st.f_bavail * st.f_frsize - 100 * 1024))  # leave 100 KB
    TAG["value"] = "b" * (200 * 1024)
    assert main(["refresh"]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "nothing was published" in err
    assert gens.project_site().live_id() == before
    assert published_tags(root) == {"figures": "a", "processed": "a"}
    big.unlink()
    do_refresh("c")
    assert published_tags(root)["figures"] == "c"
    assert_clean(root)


def test_two_refreshes_started_together_one_runs_the_other_stops(proj):
    do_refresh("a")
    TAG["sleep"] = 0.5
    codes = []
    pids = []
    for tag in ("b", "c"):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                do_refresh(tag)
            except LockBusy:
                code = 3
            except BaseException:  # noqa: BLE001
                code = 1
            finally:
                os._exit(code)
        pids.append(pid)
    for pid in pids:
        codes.append(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
    TAG["sleep"] = 0
    assert sorted(codes) == [0, 3]
    tags = published_tags(proj)
    assert len(set(tags.values())) == 1 and tags["figures"] in {"b", "c"}
    assert_clean(proj)


def test_a_file_where_a_published_folder_belongs_fails_before_anything_runs(proj, capsys):
    (proj / "figures").write_text("not a folder")
    assert main(["refresh"]) == 2
    err = capsys.readouterr().err
    assert f"{proj / 'figures'} is a file, expected a folder" in err and "Traceback" not in err
    assert not (proj / ".published").exists()


def _sweep_design(name="faulty", kill_at=None):
    import math

    from qyedu.sweep import design_from_dict

    return design_from_dict({"name": name, "method": "sobol", "samples": 4, "batch_size": 4,
                             "task": "test_faults:KillingIshigami", "outputs": ["y"],
                             "parameters": {k: {"range": [-math.pi, math.pi]}
                                            for k in ("x1", "x2", "x3")}})


from qyedu.sweep.testfunctions import Ishigami  # noqa: E402


class KillingIshigami(Ishigami):
    """Ishigami whose process is killed (``os._exit(137)``, as kill -9) at run KILL_AT."""

    KILL_AT: int | None = None
    CALLS = [0]

    def evaluate_one(self, values, seed):
        KillingIshigami.CALLS[0] += 1
        if KillingIshigami.KILL_AT and KillingIshigami.CALLS[0] == KillingIshigami.KILL_AT:
            os._exit(137)
        return super().evaluate_one(values, seed)


def _run_sweep():
    from qyedu.sweep import run_sweep

    return run_sweep(_sweep_design(), workers=0, progress=False, figures=False,
                     log=lambda *_: None)


def test_sweep_killed_at_every_batch_never_touches_the_published_set(proj):
    do_refresh("a")
    do_build("a")
    for kill_at in (1, 3, 5, 2, 6):  # 20 runs in batches of 4: killed inside a batch, each time
        live = gens.project_site().live()
        KillingIshigami.KILL_AT, KillingIshigami.CALLS[0] = kill_at, 0
        assert forked(_run_sweep) == 137
        assert gens.project_site().live() == live and gens.verify(live) == []
        assert build_tags(proj) == ["a"] * 4
        do_build("b")  # a build after a killed sweep: published normally, store untouched
        assert gens.verify(gens.project_site().live()) == []
        do_build("a")
    KillingIshigami.KILL_AT = None
    res = _run_sweep()  # resumes: the kept batches are not run again
    assert res.runs["run"].nunique() == 20 and res.new_runs == 12  # 8 runs were kept
    indices = (proj / "data" / "processed" / "sweeps" / "faulty" / "indices.csv").read_bytes()
    for fault in [f"build:{i}" for i in range(1, 5)] + [f"publish:{i}" for i in range(1, 10)]:
        assert forked(lambda: do_build("b"), fault=fault) == 137
        assert gens.verify(gens.project_site().live()) == []
        shown = proj / "data" / "processed" / "sweeps" / "faulty" / "indices.csv"
        assert shown.read_bytes() == indices, fault  # the finished sweep stays readable
        do_build("a")
    assert_clean(proj)


def test_build_with_a_foreign_plan_killed_at_every_step_publishes_nothing(proj, tmp_path):
    do_refresh("a")
    do_build("a")
    live = gens.project_site().live()
    other = tmp_path / "other_plan.txt"
    other.write_text("synthetic plan text for the test\n", encoding="utf-8")
    for fault in [f"build:{i}" for i in range(1, 5)] + [f"publish:{i}" for i in range(1, 10)]:
        # publishing with --plan is refused before anything runs: exit 2, never a fault
        assert forked(lambda: os._exit(main(["build", "--plan", str(other)])), fault) == 2
        assert gens.project_site().live() == live and gens.verify(live) == []
        # with --out it writes only there; killed half-way, nothing is published either
        out = tmp_path / f"out-{fault.replace(':', '-')}"
        argv = ["build", "--plan", str(other), "--out", str(out)]
        code = forked(lambda argv=argv: os._exit(main(argv)), fault)
        assert code in (0, 137), (fault, code)
        assert gens.project_site().live() == live and gens.verify(live) == []
        assert build_tags(proj) == ["a"] * 4
        assert not out.exists() or sorted(p.name for p in out.iterdir()) == [
            "run_params.json", "t1.csv", "t2.csv", "t3.csv", "t4.csv"]
    do_build("c")
    assert build_tags(proj) == ["c"] * 4
    assert_clean(proj)
