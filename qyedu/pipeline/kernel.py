"""Which Python runs the notebooks: always the interpreter running the pipeline.

Papermill starts the kernel named ``python3``. Jupyter resolves that name through the
kernelspec search path (``JUPYTER_PATH``, the user's ``~/.local/share/jupyter``, the
environment, system folders), so a user-level ``python3`` kernelspec pointing at another
Python could silently run the reports with other packages. The pipeline therefore keeps the
name ``python3`` but resolves it itself to ``[sys.executable, -m, qyedu.kernel_launcher, …]`` (ipykernel with
its shutdown-interrupt log line filtered: ``qyedu.kernel_launcher``)
(``PinnedKernelManager``), with matplotlib's inline backend; ``kernel_info()`` reports what
the search path would have chosen (recorded in manifest.json).
"""

from __future__ import annotations

import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager, NoSuchKernel
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

KERNEL_NAME = "python3"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
_PLAIN_PYTHON = {"python", f"python{sys.version_info[0]}", f"python{sys.version_info[0]}.{sys.version_info[1]}"}


def pinned_spec() -> KernelSpec:
    """A kernelspec that starts ipykernel with this very interpreter (same venv)."""
    return KernelSpec(
        # log level ERROR: keeps the kernel's start-up chatter ("running over TCP without
        # encryption": local loopback only) out of scheduled-run logs; errors still show
        argv=[sys.executable, "-m", "qyedu.kernel_launcher", "-f", "{connection_file}",
              "--IPKernelApp.log_level=ERROR"],
        display_name=f"Python 3 ({sys.prefix})",
        language="python",
        name=KERNEL_NAME,
        metadata={"debugger": False},
        # figures must display inline in the executed notebook, even when the caller set
        # MPLBACKEND (dev.py sets Agg for scripts), which the kernel would otherwise inherit
        env={"MPLBACKEND": INLINE_BACKEND},
    )


class PinnedKernelSpecManager(KernelSpecManager):
    """Kernelspec lookup where ``python3`` always means ``sys.executable``."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        if kernel_name == KERNEL_NAME:
            return pinned_spec()
        return super().get_kernel_spec(kernel_name)


class PinnedKernelManager(AsyncKernelManager):
    """Kernel manager for papermill/nbclient using ``PinnedKernelSpecManager``."""

    @default("kernel_spec_manager")
    def _pinned_spec_manager(self) -> KernelSpecManager:
        return PinnedKernelSpecManager(data_dir=self.data_dir)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        # the kernel's own log (e.g. the traceback ipykernel prints when a timed-out cell is
        # interrupted) goes to logs/kernel-stderr.log, not into the user's terminal; the
        # cells' output is captured in the executed notebook either way
        if "stderr" not in kw:
            from .. import paths

            log = paths.root() / "logs" / "kernel-stderr.log"
            try:
                log.parent.mkdir(parents=True, exist_ok=True)
                kw["stderr"] = open(log, "ab")  # noqa: SIM115 - the kernel process owns it
            except OSError:
                import subprocess

                kw["stderr"] = subprocess.DEVNULL
        return await super()._async_launch_kernel(kernel_cmd, **kw)


def kernel_info() -> dict:
    """What runs the notebooks, and what plain ``python3`` would have started instead."""
    info = {"name": KERNEL_NAME, "executable": sys.executable,
            "search_path_spec": None, "search_path_python": None, "search_path_matches": True}
    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        return info
    argv0 = spec.argv[0] if spec.argv else ""
    python = sys.executable if argv0 in _PLAIN_PYTHON else argv0
    info.update(
        search_path_spec=spec.resource_dir,
        search_path_python=python,
        # no resolve(): a venv's python is a symlink to the base interpreter
        search_path_matches=Path(python).absolute() == Path(sys.executable).absolute(),
    )
    return info


def engine_kwargs() -> dict:
    """Extra keyword arguments for ``papermill.execute_notebook`` that pin the kernel."""
    return {"kernel_manager_class": PinnedKernelManager}
