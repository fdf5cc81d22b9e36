"""Starting and stopping the local servers of the browser tests (JupyterLab, Voilà): a free
port, and a teardown that leaves no server or kernel of the test behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ours(marker: str) -> list[int]:
    """Pids of processes whose command line names ``marker`` (our temporary folder)."""
    pids = []
    for p in Path("/proc").glob("[0-9]*"):
        try:
            cmd = (p / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmd and int(p.name) != os.getpid():
            pids.append(int(p.name))
    return pids


def stop(proc: subprocess.Popen, marker: str, timeout: float = 60) -> None:
    """SIGTERM the server's process group (SIGKILL after ``timeout`` s), then kill whatever
    still names ``marker`` (kernels whose connection files live in our folder)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    for pid in ours(marker):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
