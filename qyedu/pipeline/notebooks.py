"""Which notebooks a refresh runs, what it passes to each, and what it reads back.

Contract with a notebook ``notebooks/NN_name.ipynb``:
- its ``parameters``-tagged cell declares (literal defaults, one per line, no second ``=`` on
  a line, which papermill cannot read) every name in ``NOTEBOOK_PARAMETERS``;
- it saves figures into ``figures_dir`` with ``qyedu.plotting.save_figure(fig, name,
  figures_dir)``; if it reads tables built by this run it also declares ``processed_dir``
  (``OPTIONAL_PARAMETERS``: passed only to notebooks that declare it);
- its first markdown heading is its title; the stdout of the cell tagged ``summary`` (first
  non-empty line) is its one-line summary in reports/index.html, and all its lines (``zh |
  en`` split in two) open the page as its key points;
- cells tagged ``parameters``, ``injected-parameters``, ``checks`` or ``summary`` (and a
  markdown cell starting "Checks" just before a checks cell) are left out of the reviewer
  edition of its page (``qyedu.pipeline.render``).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import QyeduError
from ..params import RunParams
from .errors import NotebookParamError

NAME_RE = re.compile(r"^\d{2}_[\w-]+\.ipynb$")
FORECAST_PARAMETERS = ("scenario", "base_year", "horizon", "draws", "seed", "county")
NOTEBOOK_PARAMETERS = FORECAST_PARAMETERS + ("params_file", "figures_dir")
OPTIONAL_PARAMETERS = ("processed_dir",)


def discover(nb_dir: Path, only: Iterable[str] | None = None, progress=print) -> list[Path]:
    """Notebooks named ``NN_name.ipynb`` in ``nb_dir``, sorted; ``only`` keeps those whose
    stem equals or contains one of the given names (each name must match something)."""
    if not nb_dir.is_dir():
        raise QyeduError(f"notebook folder not found: {nb_dir}")
    found = []
    for p in sorted(nb_dir.glob("*.ipynb")):
        if NAME_RE.match(p.name):
            found.append(p)
        else:
            progress(f"[refresh] skipping {p.name}: not named NN_name.ipynb")
    if not found:
        raise QyeduError(f"no notebooks named NN_name.ipynb in {nb_dir}")
    if not only:
        return found
    chosen = []
    for name in only:
        stem = Path(name).stem if name.endswith(".ipynb") else name
        hits = [p for p in found if p.stem == stem] or [p for p in found if stem in p.stem]
        if not hits:
            raise QyeduError(f"--only {name!r} matches no notebook in {nb_dir} "
                             f"(have: {', '.join(p.stem for p in found)})")
        chosen += [p for p in hits if p not in chosen]
    return sorted(chosen)


def notebook_parameters(rp: RunParams, params_file: Path, figures_dir: Path,
                        processed_dir: Path, declared: Iterable[str]) -> dict:
    """The papermill parameters of one notebook: flat forecast parameters plus absolute
    paths; ``processed_dir`` only if the notebook declares it."""
    fp = rp.forecast
    values = {name: getattr(fp, name) for name in FORECAST_PARAMETERS}
    values.update(params_file=str(Path(params_file).absolute()),
                  figures_dir=str(Path(figures_dir).absolute()))
    if "processed_dir" in declared:
        values["processed_dir"] = str(Path(processed_dir).absolute())
    return values


def check_declared(nb_path: Path, names: Iterable[str] = NOTEBOOK_PARAMETERS) -> set[str]:
    """The names declared in the ``parameters`` cell; NotebookParamError unless they include
    every one of ``names`` (papermill itself only warns and runs on with the defaults)."""
    import nbformat
    import papermill

    nb = nbformat.read(nb_path, as_version=4)
    if not any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells):
        raise NotebookParamError(f"{nb_path.name}: no cell tagged 'parameters'; it must declare "
                                 f"{', '.join(names)}")
    if nb.metadata.get("kernelspec", {}).get("name"):
        declared = papermill.inspect_notebook(str(nb_path))
    else:  # papermill needs a kernel name to pick its parser; we run every notebook in python3
        with tempfile.TemporaryDirectory() as tmp:
            nb.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                         "display_name": "Python 3"}
            nbformat.write(nb, Path(tmp) / nb_path.name)
            declared = papermill.inspect_notebook(str(Path(tmp) / nb_path.name))
    missing = [n for n in names if n not in declared]
    if missing:
        raise NotebookParamError(
            f"{nb_path.name}: the pipeline passes parameter(s) {', '.join(missing)} that its "
            f"'parameters' cell does not declare. Declare each as `name = default  # help` "
            f"(one '=' per line: papermill cannot read a line with a second '=', e.g. in a comment)"
        )
    return set(declared)


def title_of(nb, default: str) -> str:
    """First markdown heading of a notebook, without the leading #'s."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            m = re.match(r"^\s*#{1,6}\s+(.+?)\s*#*\s*$", line)
            if m:
                return m.group(1)
    return default


def summary_of(nb) -> str:
    """First non-empty stdout line of the executed cell tagged ``summary`` ('' if none)."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "summary" in cell.get("metadata", {}).get("tags", []):
            text = "".join(o.get("text", "") for o in cell.get("outputs", [])
                           if o.get("output_type") == "stream" and o.get("name") == "stdout")
            lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
            return lines[0] if lines else ""
    return ""
