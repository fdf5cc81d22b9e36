"""Committed notebooks carry no outputs: the stripping used by ``python3 dev.py strip`` and by
JupyterLab itself when started with the project's ``jupyter_server_config.py`` (its
``pre_save_hook`` strips every save, autosaves included, of the notebooks in ``notebooks/``;
other notebooks keep their outputs).

    python -m qyedu.nbhygiene notebooks/*.ipynb          # strip in place
    python -m qyedu.nbhygiene --check notebooks/*.ipynb  # exit 1 if any has outputs
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

PIPELINE_NOTEBOOK = re.compile(r"(^|/)notebooks/\d{2}_[\w-]+\.ipynb$")
VOLATILE_CELL_METADATA = ("execution", "collapsed", "scrolled", "ExecuteTime", "papermill",
                          "trusted", "jp-MarkdownHeadingCollapsed")
# notebook metadata a session writes (JupyterLab, papermill, ipywidgets); ``language_info``
# is reduced to its name, as committed (JupyterLab adds the kernel's version, lexer, mimetype…)
KERNEL_DISPLAY_NAME = "Python 3"  # the kernel's name as committed (the refresh pins python3)
VOLATILE_NB_METADATA = ("papermill", "widgets", "toc-autonumbering", "vscode")


def strip(nb: dict) -> bool:
    """Remove outputs, execution counts and the metadata a session writes (cell run times,
    widget state, the kernel's full language_info) in place, so that opening, running and
    saving a notebook in JupyterLab leaves it as committed; True if changed."""
    changed = False
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {})
        for key in VOLATILE_CELL_METADATA:
            if key in meta:
                del meta[key]
                changed = True
        if cell.get("cell_type") == "code":
            if cell.get("outputs") or cell.get("execution_count") is not None:
                changed = True
            cell["outputs"], cell["execution_count"] = [], None
    meta = nb.setdefault("metadata", {})
    for key in VOLATILE_NB_METADATA:
        if key in meta:
            del meta[key]
            changed = True
    info = meta.get("language_info")
    if isinstance(info, dict) and set(info) - {"name"}:
        meta["language_info"] = {"name": info.get("name", "python")}
        changed = True
    spec = meta.get("kernelspec")
    if isinstance(spec, dict) and spec.get("name") == "python3" \
            and spec.get("display_name") != KERNEL_DISPLAY_NAME:
        spec["display_name"] = KERNEL_DISPLAY_NAME  # JupyterLab writes "Python 3 (ipykernel)"
        changed = True
    if nb.get("nbformat") == 4 and nb.get("nbformat_minor", 0) < 5:
        for cell in nb.get("cells", []):  # cell ids belong to format 4.5 and later
            if "id" in cell:
                del cell["id"]
                changed = True
    return changed


def layout(nb: dict) -> str:
    """The notebook as JupyterLab saves it (``nbformat.write``: keys sorted, one-space
    indent, non-ASCII kept, final newline), so a save in the lab leaves the file unchanged."""
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def strip_file(path: Path, check: bool = False) -> bool:
    """Strip one notebook file and write it in JupyterLab's layout; True if it had
    something to strip or was in another layout."""
    text = Path(path).read_text(encoding="utf-8")
    nb = json.loads(text)
    changed = strip(nb)
    if not changed and text == layout(nb):
        return False
    if not check:
        Path(path).write_text(layout(nb), encoding="utf-8")
    return True


def pre_save_hook(model, path, contents_manager=None, **kwargs) -> None:
    """Jupyter server ``FileContentsManager.pre_save_hook``: strip the project's pipeline
    notebooks (``notebooks/NN_name.ipynb``) on every save."""
    if model.get("type") == "notebook" and PIPELINE_NOTEBOOK.search(str(path).replace("\\", "/")):
        strip(model["content"])


def main(argv: list[str]) -> int:
    check = "--check" in argv
    files = [Path(a) for a in argv if a != "--check"]
    dirty = [f for f in files if strip_file(f, check)]
    verb = ("has outputs or session metadata, or is not in the layout JupyterLab saves (run "
            "`python3 dev.py strip`)" if check else "stripped")
    for f in dirty:
        print(f"{f}: {verb}")
    return 1 if check and dirty else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
