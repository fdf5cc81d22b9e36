"""Save and load a ``ProjectionResult`` exactly (its draws as ``.npy``, its tables as CSV, the
rest as JSON), so the pages of a refresh show the very draws the build computed instead of
running the model again. ``.npy`` files carry no timestamp: the same draws give the same bytes."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import QyeduError
from ..io import write_bytes_atomic, write_csv_atomic, write_json_atomic
from .result import ProjectionResult

META = "result.json"


def save(result: ProjectionResult, folder: str | Path) -> list[Path]:
    """Write every field of ``result`` into ``folder``; returns the files written."""
    folder = Path(folder)
    meta, written = {}, []
    for f in dataclasses.fields(result):
        value = getattr(result, f.name)
        if isinstance(value, np.ndarray):
            buf = io.BytesIO()
            np.save(buf, value, allow_pickle=False)
            written.append(write_bytes_atomic(buf.getvalue(), folder / f"{f.name}.npy"))
            meta[f.name] = {"kind": "array"}
        elif isinstance(value, pd.DataFrame):
            written.append(write_csv_atomic(value, folder / f"{f.name}.csv"))
            meta[f.name] = {"kind": "table"}
        else:
            meta[f.name] = {"kind": "value", "value": list(value) if isinstance(value, tuple)
                            else value, "tuple": isinstance(value, tuple)}
    written.append(write_json_atomic(meta, folder / META))
    return written


def load(folder: str | Path) -> ProjectionResult:
    """The ``ProjectionResult`` saved in ``folder`` (QyeduError naming the file if absent)."""
    folder = Path(folder)
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        kw = {}
        for name, m in meta.items():
            if m["kind"] == "array":
                kw[name] = np.load(folder / f"{name}.npy", allow_pickle=False)
            elif m["kind"] == "table":
                kw[name] = pd.read_csv(folder / f"{name}.csv")
            else:
                kw[name] = tuple(m["value"]) if m.get("tuple") else m["value"]
    except (OSError, ValueError, KeyError) as err:
        raise QyeduError(f"{folder}: cannot load the saved projection draws ({err})") from None
    return ProjectionResult(**kw)
