#!/usr/bin/env python3
"""Bootstrap and task runner for qyedu: needs only Python 3.11+ on the machine.

    python3 dev.py run    # install what is missing, then refresh everything (qyedu refresh)
    python3 dev.py test   # install what is missing, then run the whole test suite
    python3 dev.py test --fast   # the development loop: skips the slow tests (notebook runs)

Other verbs: `install` (environment only), `lint`, `bench`, `strip` (remove outputs from
notebooks/*.ipynb; `strip --check` only reports), `lab` (JupyterLab with the project's
config: every save of a pipeline notebook is stored without outputs; extra arguments are
passed on, e.g. `--allow-root --IdentityProvider.token=SECRET`), `explore` (notebook 60 as
a dashboard served by Voilà, no code; extra arguments go to voila, e.g. `--port=8866`),
`qyedu ARGS...` (any CLI verb).

The environment is a local virtual environment in `.venv/`. Packages are installed with
uv (itself installed from PyPI into the venv), falling back to pip; installation is
skipped while `pyproject.toml` is unchanged since the last successful install.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".qyedu-install-stamp"


def _say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def _run(cmd: list[str | os.PathLike], **kw) -> int:
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, **kw)


def _wanted_stamp() -> str:
    h = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    h.update(sys.version.encode())
    return h.hexdigest()


def ensure_env() -> None:
    """Create `.venv` and install the project with its dev extras if anything is missing.

    Each step prints its elapsed seconds. Bytecode is not compiled at install time (it was
    2/3 of a first install: ~9,600 files of every dependency, most never imported); Python
    compiles each module the first time it is imported and keeps the result."""
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py runs on any python3)
        sys.exit(f"[dev] qyedu needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    t0 = time.perf_counter()

    def step(msg: str) -> None:
        _say(f"[{time.perf_counter() - t0:5.1f} s] {msg}")

    if not PY.exists():
        step(f"creating virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _wanted_stamp():
        return
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    uv = BIN / "uv"
    if not uv.exists() and shutil.which("uv"):
        uv = Path(shutil.which("uv"))  # a uv on the PATH serves as well as one in the venv
    if not uv.exists():
        step("installing uv into the venv (fast installer)")
        if _run([PY, "-m", "pip", "install", "-q", "uv"], env=env) != 0:
            uv = None
    step("installing qyedu and its dependencies (155 packages, ~850 MB installed: ~10 s, "
         "plus the download of ~300 MB of wheels when uv's package cache is empty)")
    if uv is not None and uv.exists():
        cmd = [uv, "pip", "install", "--python", PY, "-e", ".[dev]"]
    else:
        cmd = [PY, "-m", "pip", "install", "-q", "--no-compile", "-e", ".[dev]"]
    if _run(cmd, env=env) != 0:
        sys.exit("[dev] installation failed; see the messages above")
    STAMP.write_text(_wanted_stamp())
    step("environment ready")


def main(argv: list[str]) -> int:
    verb = argv[0] if argv else "help"
    rest = argv[1:]
    if verb in {"help", "-h", "--help"}:
        print(__doc__)
        return 0
    ensure_env()
    # scripts (refresh, tests, benchmarks, the CLI) draw off-screen; JupyterLab's kernels must
    # not inherit that backend, or every figure cell shows only "<Figure size ...>": they use
    # matplotlib's own default in a kernel, the inline backend
    env = dict(os.environ, MPLBACKEND="Agg")
    lab_env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    if verb == "install":
        return 0
    if verb == "run":
        return _run([BIN / "qyedu", "refresh", *rest], env=env)
    if verb == "test":
        # --fast: the development loop (skips tests marked slow: notebook runs, refreshes)
        fast = "--fast" in rest
        rest = [a for a in rest if a != "--fast"]
        opts = ["-m", "not slow"] if fast else []
        if not any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in rest):
            # every core (pytest-xdist); loadgroup keeps tests marked xdist_group together
            # (tests/test_browser.py shares one refresh)
            opts += ["-n", "auto", "--dist", "loadgroup"]
        code = _run([PY, "-m", "pytest", *opts, *rest], env=env)
        return 0 if code == 5 and rest else code
    if verb == "lint":
        return _run([BIN / "ruff", "check", "qyedu", "tests", "bench", "notebooks", *rest])
    if verb == "strip":
        check = ["--check"] if "--check" in rest else []
        notebooks = sorted(str(p) for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        return _run([PY, "-m", "qyedu.nbhygiene", *check, *notebooks])
    if verb == "lab":
        return _run([BIN / "jupyter", "lab", f"--config={ROOT / 'jupyter_server_config.py'}",
                     *rest], env=lab_env)
    if verb == "explore":
        # notebook 60 as a dashboard (Voilà): outputs only, no code; its state in the address
        # (docs/REPORTS.md: serving it to an intranet). Extra arguments go to voila, e.g.
        # `--port=8866 --Voila.ip=0.0.0.0`
        nb = ROOT / "notebooks" / "60_scenario_explorer.ipynb"
        return _run([BIN / "voila", nb, "--no-browser", "--strip_sources=True",
                     *rest], env=lab_env)
    if verb == "bench":
        return _run([PY, "bench/bench_projection.py", *rest], env=env)
    if verb == "qyedu":
        return _run([BIN / "qyedu", *rest], env=env)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
