"""SYNTHETIC sweep task for tests: the Ishigami function, but the first worker process to
evaluate a batch exits abruptly (as a worker killed by the OS would), once per marker file;
Dask re-runs its batch on another worker and the sweep must say that a worker was lost."""

from __future__ import annotations

import os
from pathlib import Path

from qyedu.sweep.testfunctions import Ishigami

MARKER_ENV = "QYEDU_TEST_KILL_MARKER"


class KillOnce(Ishigami):
    def evaluate(self, batch):
        marker = Path(os.environ[MARKER_ENV])
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return super().evaluate(batch)
        os.close(fd)
        os._exit(1)
