"""Execute one notebook with papermill and describe the outcome (status, time, failing cell)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import kernel


@dataclass
class NotebookResult:
    """Outcome of one notebook in a refresh. ``status`` is ok, failed or skipped."""

    name: str
    source: Path
    status: str = "skipped"
    seconds: float = 0.0
    executed: Path | None = None
    html: Path | None = None
    title: str = ""
    summary: str = ""
    figures: list[str] = field(default_factory=list)
    error: str | None = None


def execute(source: Path, output: Path, parameters: dict, cwd: Path,
            timeout: float | None) -> NotebookResult:
    """Run ``source`` into ``output`` (papermill, pinned ``python3`` kernel, working directory
    ``cwd``, ``timeout`` seconds per cell). Never raises for a notebook error: the result
    says failed and ``error`` names the cell and the exception."""
    import papermill

    result = NotebookResult(name=source.stem, source=source, executed=output)
    output.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(source), str(output), parameters=parameters, kernel_name=kernel.KERNEL_NAME,
            progress_bar=False, execution_timeout=timeout,
            # save after each cell: a timeout or dead kernel still leaves the partial executed
            # notebook (failing cell marked) for .failed/; costs one small write per cell
            request_save_on_cell_execute=True,
            # the kernel's working directory, without papermill's process-wide chdir (cwd=),
            # which is not safe when several notebooks run in threads (--jobs)
            resources={"metadata": {"path": str(cwd)}},
            **kernel.engine_kwargs(),
        )
        result.status = "ok"
    except Exception as err:  # recorded in the result; refresh() raises NotebookFailed
        result.status = "failed"
        result.error = describe_failure(err, output)
    result.seconds = time.perf_counter() - t0
    return result


def describe_failure(err: Exception, output: Path) -> str:
    """'cell N (In [k]): first source line → ExcType: message' for a failed notebook."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(err, PapermillExecutionError):
        where = f"cell {err.cell_index + 1} (In [{err.exec_count}])"
        return f"{where}: {_first_line(err.source)} → {err.ename}: {err.evalue}"
    where = _failed_cell(output)
    if isinstance(err, TimeoutError) or type(err).__name__ == "CellTimeoutError":
        limit = re.search(r"after (\d+(?:\.\d+)?) seconds", str(err))
        after = f" after {limit.group(1)} s" if limit else ""
        return (f"{where or 'a cell'} timed out{after} (the limit per cell is --timeout "
                f"SECONDS; 0 = no limit)")
    what = str(err).strip().splitlines()[0] if str(err).strip() else ""
    return f"{where + ' → ' if where else ''}{type(err).__name__}: {what}"


def _failed_cell(output: Path) -> str:
    """Locate the failing cell in the saved output when papermill raised no cell error (a
    timeout, a dead kernel): the cell marked failed, else the last cell that was started."""
    import nbformat

    try:
        nb = nbformat.read(output, as_version=4)
    except (OSError, ValueError):
        return ""
    started = [(i, c) for i, c in enumerate(nb.cells)
               if c.get("metadata", {}).get("papermill", {}).get("start_time")]
    failed = [(i, c) for i, c in started if c.metadata.papermill.get("status") == "failed"]
    if not (failed or started):
        return ""
    i, cell = (failed or started)[-1]
    return f"cell {i + 1} (In [{cell.get('execution_count')}]): {_first_line(cell.source)}"


def _first_line(source: str) -> str:
    line = next((ln.strip() for ln in source.splitlines() if ln.strip()), "")
    return line if len(line) <= 80 else line[:77] + "…"
