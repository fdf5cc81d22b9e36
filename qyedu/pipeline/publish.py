"""Pieces of publishing a refresh: collect figures into the staged folder, start a staged
folder from a published one, keep the executed notebooks of a failed run (with error.txt) in
``paths.failed_dir()``. The switch itself is :meth:`qyedu.generations.Site.publish`."""

from __future__ import annotations

import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

from ..io import write_bytes_atomic
from .errors import RefreshFailed


def collect_figures(per_notebook: dict[str, Path], figures: Path,
                    owners: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Move each notebook's saved figures into the flat staged ``figures`` folder; a file name
    used by two notebooks is an error. ``owners`` maps figures already there to notebooks."""
    owners = dict(owners or {})
    figures.mkdir(parents=True, exist_ok=True)
    made: dict[str, list[str]] = {}
    for name, folder in sorted(per_notebook.items()):
        files = sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
        for f in files:
            if f.name in owners or (figures / f.name).exists():
                other = owners.get(f.name, "a figure already published")
                raise RefreshFailed(f"figure {f.name} is saved by both {name} and {other}: "
                                    f"give figures unique names")
            owners[f.name] = name
            os.replace(f, figures / f.name)
        made[name] = [f.name for f in files]
    return made


def copy_previous(published: Path, staged: Path, drop: set[str]) -> None:
    """Start a staged folder from the published one (``--only``), leaving out ``drop``
    (paths relative to the folder)."""
    if published.is_dir():
        shutil.copytree(published, staged, dirs_exist_ok=True,
                        ignore=lambda d, names: [n for n in names
                                                 if (Path(d) / n).relative_to(published)
                                                 .as_posix() in drop])
    staged.mkdir(parents=True, exist_ok=True)


def keep_failed(executed: list[Path], failed_dir: Path, message: str, run_id: str = "",
                trace: str = "") -> Path:
    """Replace ``failed_dir`` by the executed notebooks of this failed run plus ``error.txt``
    (time, run id, the message naming notebook and cell, and the traceback)."""
    if failed_dir.exists():
        shutil.rmtree(failed_dir)
    failed_dir.mkdir(parents=True)
    traces = [trace] if trace else []
    for nb in executed:
        if nb and nb.exists():
            shutil.copy2(nb, failed_dir / nb.name)
            traces += [f"--- {nb.name} ---\n{t}" for t in notebook_tracebacks(nb)]
    when = datetime.now(UTC).replace(microsecond=0).isoformat()
    text = f"time: {when}\nrun id: {run_id}\n{message}\n"
    if traces:
        text += "\ntraceback:\n" + "\n".join(traces) + "\n"
    write_bytes_atomic(text.encode("utf-8"), failed_dir / "error.txt")
    return failed_dir


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def notebook_tracebacks(nb_path: Path) -> list[str]:
    """The tracebacks of the error outputs in an executed notebook (ANSI colours removed)."""
    import nbformat

    try:
        nb = nbformat.read(nb_path, as_version=4)
    except Exception:  # noqa: BLE001 - an unreadable notebook has no traceback to show
        return []
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                tb = "\n".join(_ANSI.sub("", line) for line in o.get("traceback", []))
                out.append(f"In [{cell.get('execution_count')}]:\n{tb}")
    return out
