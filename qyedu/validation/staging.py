"""``qyedu validate`` writes its calibration as one set or not at all.

The run works on a staging copy of ``params/calibration/`` (``params/.calibration-stage-<pid>``,
on the same file system). ``paths.resolve`` points every read and write under
``params/calibration/`` there while the run lasts (``$QYEDU_CALIBRATION_STAGE``, inherited by
the forked workers), so the run reads the files it has just written and nobody else does.
Only when every file is written are the changed ones moved into ``params/calibration/``,
each by one ``os.replace``, under the project lock, so a refresh or a build never reads a
half-written set. A run that fails or is interrupted removes its staging copy; one killed
outright leaves it behind, and the next ``validate`` removes it. Either way the committed
set is the last one a run finished; only a kill inside the final moves (milliseconds, after
the 45-second run) could leave a mix, and git restores the committed files.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from .. import paths

PREFIX = ".calibration-stage-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def leftovers() -> list[Path]:
    """Staging copies of runs that are no longer running (killed outright)."""
    out = []
    for d in sorted(paths.params_dir().glob(PREFIX + "*")):
        pid = d.name[len(PREFIX):]
        if d.is_dir() and not (pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid))):
            out.append(d)
    return out


def changed_files(stage: Path, live: Path) -> list[Path]:
    """Files of ``stage`` (relative) that are new or differ from ``live``'s."""
    out = []
    for f in sorted(p for p in stage.rglob("*") if p.is_file()):
        rel = f.relative_to(stage)
        old = live / rel
        if not old.is_file() or old.read_bytes() != f.read_bytes():
            out.append(rel)
    return out


def commit(stage: Path, live: Path, progress=None) -> list[Path]:
    """Move ``stage``'s changed files into ``live`` (one ``os.replace`` each, under the
    project lock); the relative paths moved."""
    from ..lock import project_lock

    moved = changed_files(stage, live)
    with project_lock(f"validate-{os.getpid()}", wait=-1, progress=progress):
        for rel in moved:
            (live / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / rel, live / rel)
    return moved


@contextmanager
def staged_calibration(progress=None):
    """Stage ``params/calibration/`` for the body; commit it if the body finishes, drop it if
    not. Yields the staging folder; ``progress`` hears about removed leftovers and waits."""
    say = progress or (lambda m: None)
    for d in leftovers():
        shutil.rmtree(d, ignore_errors=True)
        say(f"[validate] removed {d.name}, left by a run that was killed before it finished")
    live = paths.calibration_dir()
    stage = paths.params_dir() / f"{PREFIX}{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    before = os.environ.get(paths.CALIBRATION_STAGE_ENV)
    try:
        if live.is_dir():  # a full disk or a read-only params/ fails here, before any work
            shutil.copytree(live, stage)
        else:
            stage.mkdir(parents=True)
        os.environ[paths.CALIBRATION_STAGE_ENV] = str(stage)
        try:
            yield stage
        finally:
            if before is None:
                os.environ.pop(paths.CALIBRATION_STAGE_ENV, None)
            else:
                os.environ[paths.CALIBRATION_STAGE_ENV] = before
        commit(stage, live, say)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
