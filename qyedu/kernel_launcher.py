"""Start an IPython kernel for the refresh (``python -m qyedu.kernel_launcher -f CONN``): the
stock ``ipykernel_launcher`` with one log line filtered out. Papermill interrupts the kernel
when it shuts down after the last cell, and ipykernel then logs ``KeyboardInterrupt caught in
kernel.`` at ERROR level on every clean run: a false alarm for log monitors. Every other
message (real errors included) passes. Kept outside ``qyedu.pipeline`` so the kernel imports
nothing else of the project before the notebook does."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

NOISE = ("KeyboardInterrupt caught in kernel",)


class ShutdownNoise(logging.Filter):
    """Drop the kernel's shutdown interrupt message; keep everything else."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        return not any(n in msg for n in NOISE)


def quiet(log: logging.Logger) -> None:
    f = ShutdownNoise()
    log.addFilter(f)
    for h in log.handlers:
        h.addFilter(f)


def main() -> None:
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize()
    quiet(app.log)
    if getattr(app, "kernel", None) is not None:
        quiet(app.kernel.log)
    app.start()


if __name__ == "__main__":
    main()
