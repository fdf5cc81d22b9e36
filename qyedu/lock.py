"""The project lock: an OS lock (``fcntl.flock``) held for the whole of a refresh or a
publishing build, released by the kernel when the process exits (even on ``kill -9``).

The lock is taken on the project folder itself, which cannot be deleted while in use, so
deleting the informational lock file ``.qyedu.lock`` (holder: pid, run id, start time) does
not let a second run in. The file is removed when the lock is released."""

from __future__ import annotations

import fcntl
import json
import os
import time
from contextlib import contextmanager
from datetime import UTC, datetime

from . import paths


class Busy(RuntimeError):
    """Another process holds the project lock."""


def holder() -> str:
    """Who holds the lock, from the informational file (empty if unknown)."""
    try:
        info = json.loads(paths.lock_file().read_text(encoding="utf-8"))
        return f"pid {info['pid']}, run {info['run_id']}, since {info['since']}"
    except (OSError, ValueError, KeyError, TypeError):
        return ""


@contextmanager
def project_lock(run_id: str, wait: float = 0, progress=None):
    """Hold the project lock. ``wait``: 0 = fail at once (``Busy``), > 0 = at most that many
    seconds, < 0 = forever. ``progress`` is told once when waiting starts."""
    root = paths.root()
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        _acquire(fd, wait, progress)
        try:
            _write_holder(run_id)
        except OSError:
            pass  # a read-only or full project: the run reports it (the lock itself holds)
        try:
            yield
        finally:
            try:
                paths.lock_file().unlink(missing_ok=True)
            except OSError:
                pass
    finally:
        os.close(fd)  # releases the flock


def _acquire(fd: int, wait: float, progress) -> None:
    deadline = None if wait < 0 else time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if deadline is not None and time.monotonic() >= deadline:
                who = holder()
                raise Busy(f"lock {paths.lock_file()}" + (f" held by {who}" if who else "")) from None
            if progress and not told:
                limit = f"up to {wait:g} s" if wait > 0 else "no time limit"
                progress(f"another run holds the lock {paths.lock_file()}: waiting ({limit})")
                told = True
            time.sleep(0.1)


def _write_holder(run_id: str) -> None:
    from .io import write_json_atomic

    since = datetime.now(UTC).replace(microsecond=0).isoformat()
    write_json_atomic({"pid": os.getpid(), "run_id": run_id, "since": since}, paths.lock_file())
