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
VOLATILE_CELL_METADATA = ("execution", "collapsed", "scrolled", "ExecuteTime", "papermill")


def strip(nb: dict) -> bool:
    """Remove outputs, execution counts and run-time cell metadata in place; True if changed."""
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
    if "papermill" in nb.get("metadata", {}):
        del nb["metadata"]["papermill"]
        changed = True
    return changed


def strip_file(path: Path, check: bool = False) -> bool:
    """Strip one notebook file (keeping its JSON layout); True if it had something to strip."""
    text = Path(path).read_text(encoding="utf-8")
    nb = json.loads(text)
    if not strip(nb):
        return False
    if not check:
        indent = 1 if text.startswith('{\n "') else 2
        Path(path).write_text(json.dumps(nb, ensure_ascii=False, indent=indent) + "\n",
                              encoding="utf-8")
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
    verb = "has outputs (run `python3 dev.py strip`)" if check else "stripped"
    for f in dirty:
        print(f"{f}: {verb}")
    return 1 if check and dirty else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
