"""``qyedu validate`` writes its calibration as one set or not at all.

The run works on a staging copy of ``params/calibration/`` (``params/.calibration-stage-<pid>``,
on the same file system). ``paths.resolve`` points every read and write under
``params/calibration/`` there while the run lasts (``$QYEDU_CALIBRATION_STAGE``, inherited by
the forked workers), so the run reads the files it has just written and nobody else does.
Only when every file is written are the ones it wrote moved into ``params/calibration/``,
each by one ``os.replace``, under the project lock, so a refresh or a build never reads a
half-written set. A run that fails or is interrupted removes its staging copy; one killed
outright leaves it behind, and the next ``validate`` removes it. Either way the committed
set is the last one a run finished; only a kill inside the final moves (milliseconds, after
the 45-second run) could leave a mix, and git restores the committed files.
"""

from __future__ import annotations

import hashlib
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


def snapshot(folder: Path) -> dict[Path, str]:
    """{relative path: sha256} of every file in ``folder``."""
    return {f.relative_to(folder): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted(folder.rglob("*")) if f.is_file()}


def changed_files(stage: Path, before: dict[Path, str]) -> list[Path]:
    """Files of ``stage`` (relative) that the run wrote: new, or changed since the copy
    (``before``, its snapshot). Files it left alone are not moved, so a run that skips a
    step (``--skip-calibration``) never puts back what another run committed meanwhile."""
    now = snapshot(stage)
    return [rel for rel, h in now.items() if before.get(rel) != h]


def commit(stage: Path, live: Path, before: dict[Path, str], progress=None) -> list[Path]:
    """Move the files the run wrote from ``stage`` into ``live`` (one ``os.replace`` each,
    under the project lock); the relative paths moved."""
    from ..lock import project_lock

    moved = changed_files(stage, before)
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
        before_files = snapshot(stage)
        os.environ[paths.CALIBRATION_STAGE_ENV] = str(stage)
        try:
            yield stage
        finally:
            if before is None:
                os.environ.pop(paths.CALIBRATION_STAGE_ENV, None)
            else:
                os.environ[paths.CALIBRATION_STAGE_ENV] = before
        commit(stage, live, before_files, say)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
