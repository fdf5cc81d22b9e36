"""No machine's paths in published files: absolute paths of the project, the staging folder,
the Python environment and the home folder are replaced by short relative names."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def replacements(root: Path, stage: Path | None = None) -> list[tuple[str, str]]:
    """(absolute path, what to show instead), longest first."""
    pairs: list[tuple[str, str]] = []
    if stage is not None:
        stage = Path(stage).absolute()
        pairs += [(f"{stage}/nb_figures/", "figures/"), (f"{stage}/data_processed", "data/processed"),
                  (f"{stage}/reports/", "reports/"), (str(stage), ".staging")]
    root = Path(root).absolute()
    pairs += [(f"{root}/", ""), (str(root), ".")]
    resolved = root.resolve()
    if resolved != root:
        pairs += [(f"{resolved}/", ""), (str(resolved), ".")]
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix}:
        pairs.append((prefix, "<python>"))
    home = os.path.expanduser("~")
    if home not in ("/", "~"):
        pairs.append((home, "~"))
    tmp = tempfile.gettempdir()
    if tmp not in ("/",):
        pairs.append((tmp, "<tmp>"))
    return sorted(set(pairs), key=lambda p: -len(p[0]))


def scrub(text: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in pairs:
        if old:
            text = text.replace(old, new)
    return text


def scrub_file(path: Path, pairs: list[tuple[str, str]]) -> None:
    from ..io import write_bytes_atomic

    text = Path(path).read_text(encoding="utf-8")
    new = scrub(text, pairs)
    if new != text:
        write_bytes_atomic(new.encode("utf-8"), path)
