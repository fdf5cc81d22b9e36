"""Where a sweep keeps its runs: ``DIR/design.json`` (the design, its fingerprint and the
fingerprint of the model's inputs) and one part file per finished batch
(``DIR/parts/part-NNNNNN.json``, written atomically). A sweep that is interrupted and started
again skips every run already in a part file; a folder that holds another design, or runs
of another version of the code, data or parameter files, is refused rather than mixed."""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths
from ..errors import QyeduError
from ..io import write_csv_atomic, write_json_atomic
from ..names import check_name, child, inside
from .design import Design
from .task import Outputs


class SweepStoreError(QyeduError):
    """The output folder holds runs of a different design."""


def sweep_dir(name: str) -> Path:
    """Default output folder of a design: ``data/sweeps/<name>/`` (the sweep store, outside
    the published generations; readable as ``data/processed/sweeps/<name>/`` through the
    link every project generation carries). ``name`` must be a safe folder name."""
    return child(paths.sweeps_dir(), name, "sweep design name")


def design_file(name: str) -> Path:
    """A shipped design: ``params/sweeps/<name>.yaml`` (``name`` checked: no ``..``, no
    absolute path, no symlink out of params/sweeps)."""
    folder = paths.params_dir() / "sweeps"
    check_name(name, "sweep design name")
    inside(folder, Path(f"{name}.yaml"), "sweep design")
    return folder / f"{name}.yaml"


def check_out(out: Path) -> Path:
    """A sweep's ``--out`` folder must not be inside the published tree (only the publish
    step writes there) nor an existing file."""
    out = Path(out)
    full = out.resolve()
    for tree in paths.published_trees():
        t = tree.resolve() if tree.exists() else tree
        if full == t or t in full.parents:
            raise SweepStoreError(f"--out {out}: inside {tree.relative_to(paths.root())}/, "
                                  f"which only a publishing run writes; give a folder outside "
                                  f"it (default: {paths.sweeps_dir().relative_to(paths.root())}"
                                  f"/<design>/)")
    if out.exists() and not out.is_dir():
        raise SweepStoreError(f"--out {out}: is a file, expected a folder")
    return out


def inputs_fingerprint() -> str:
    """Hash of what the runs' results depend on besides the design: the qyedu source, the
    files of data/raw and of params/ (calibration, default parameters, births paths; not the
    sweep designs). Runs made with other inputs are another model's results."""
    pkg = Path(__file__).resolve().parents[1]
    files = [*sorted(pkg.rglob("*.py")), *sorted(paths.data_raw().rglob("*")),
             *sorted(p for p in paths.params_dir().rglob("*") if "sweeps" not in p.parts)]
    h = hashlib.sha256()
    for f in files:
        if f.is_file():
            rel = f.relative_to(pkg.parent if f.is_relative_to(pkg) else paths.root())
            h.update(rel.as_posix().encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def stored_inputs(out: Path) -> str | None:
    """The inputs fingerprint recorded in ``out/design.json`` (None if absent)."""
    try:
        return json.loads((Path(out) / "design.json").read_text(encoding="utf-8")).get("inputs")
    except (OSError, ValueError):
        return None


class RunStore:
    def __init__(self, out: str | Path, design: Design):
        self.out = Path(out)
        self.design = design
        self.parts = self.out / "parts"

    def open(self, fresh: bool = False) -> set[int]:
        """Prepare the folder; return the runs already done (empty when fresh)."""
        check_out(self.out)
        meta = self.out / "design.json"
        if fresh and self.parts.exists():
            shutil.rmtree(self.parts)
        inputs = inputs_fingerprint()
        if meta.exists() and self.parts.exists() and any(self.parts.iterdir()):
            old = json.loads(meta.read_text(encoding="utf-8"))
            if old.get("fingerprint") != self.design.fingerprint():
                raise SweepStoreError(
                    f"{self.out} holds runs of another version of design "
                    f"{self.design.name!r}; use --fresh to discard them or --out elsewhere")
            if old.get("inputs") != inputs:
                raise SweepStoreError(
                    f"{self.out} holds runs made with other code, data or parameter files "
                    f"than these; use --fresh to run design {self.design.name!r} again")
        write_json_atomic({"fingerprint": self.design.fingerprint(), "inputs": inputs,
                           "design": self.design.model_dump(mode="json")}, meta)
        return set(self.load())

    def write_part(self, results: list[tuple[int, Outputs]]) -> Path:
        first = min(r for r, _ in results)
        body = {"runs": [{"run": r, "outputs": {k: [v, n] for k, (v, n) in o.items()}}
                         for r, o in sorted(results)]}
        return write_json_atomic(body, self.parts / f"part-{first:06d}.json")

    def load(self) -> dict[int, Outputs]:
        done: dict[int, Outputs] = {}
        for f in sorted(self.parts.glob("part-*.json")) if self.parts.exists() else []:
            for r in json.loads(f.read_text(encoding="utf-8"))["runs"]:
                done[int(r["run"])] = {k: (float(v), n) for k, (v, n) in r["outputs"].items()}
        return done


def runs_table(design: Design, values: list[dict[str, Any]], seeds: list[int],
               done: dict[int, Outputs]) -> pd.DataFrame:
    """Tidy runs: one row per run × output with the run's parameter values (run order)."""
    rows = []
    for i, v in enumerate(values):
        if i not in done:
            continue
        for name in design.outputs:
            val, note = done[i].get(name, (math.nan, "not recorded"))
            rows.append({"run": i, **_plain(v), "seed": seeds[i], "output": name,
                         "value": val, "note": note})
    return pd.DataFrame(rows, columns=["run", *design.keys, "seed", "output", "value", "note"])


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """List/tuple values (e.g. phases) as text so that one run stays one row."""
    return {k: (json.dumps(v) if isinstance(v, list | tuple) else v) for k, v in values.items()}


def write_table(df: pd.DataFrame, path: Path) -> Path:
    return write_csv_atomic(df, path)
