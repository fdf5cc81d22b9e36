"""Deterministic, atomic writing of outputs.

Every processed file is written to a temporary file in the same folder, given the umask's
permissions (``mkstemp`` creates 0600 files, which a web server could not read), flushed to
disk and then renamed, so a failed run never leaves a half-written file and never replaces
the last good one.
CSV formatting is fixed (UTF-8, ``\\n`` line ends, repr-stable floats) so that the same
inputs give byte-identical files.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from .textsafe import neutralise_frame


def file_mode() -> int:
    """Permissions a new file gets from the process umask (e.g. 0644 for umask 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_bytes_atomic(data: bytes, path: str | os.PathLike) -> Path:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, chmod to the
    umask's mode, fsync, rename)."""
    path = Path(path)
    if path.is_dir():  # else mkstemp/rename fail with a less helpful message
        raise IsADirectoryError(errno.EISDIR, "is a folder, expected a file path", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), file_mode())
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def csv_bytes(df: pd.DataFrame, float_format: str | None = "%.10g") -> bytes:
    """The canonical CSV encoding of a table: no index, UTF-8, ``\\n`` line ends."""
    df = neutralise_frame(df)  # text stays text (OWASP CSV injection): qyedu.textsafe
    text = df.to_csv(index=False, lineterminator="\n", float_format=float_format)
    return text.encode("utf-8")


def write_csv_atomic(
    df: pd.DataFrame, path: str | os.PathLike, float_format: str | None = "%.10g"
) -> Path:
    """Write a table as canonical CSV, atomically."""
    return write_bytes_atomic(csv_bytes(df, float_format), path)


def write_json_atomic(obj: Any, path: str | os.PathLike) -> Path:
    """Write JSON (sorted keys, UTF-8, trailing newline), atomically."""
    text = json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"
    return write_bytes_atomic(text.encode("utf-8"), path)
