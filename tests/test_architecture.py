"""The one-way flow, checked on the source: a module imports only from its own package or
from a lower layer (imports inside functions included), so no lazy upward import can hide."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "qyedu"
# Lower number = lower layer (docs/ARCHITECTURE.md). A new top-level module must be placed here.
LAYERS = {
    "errors": 0, "paths": 0, "io": 0, "stats": 0, "labels": 0, "faults": 0, "textsafe": -1, "names": 0.5, "integrity": 0.5, "lock": 1, "likelihood": 0,
    "generations": 1, "params": 1, "plotting": 1,
    "checks": 1,
    "plan": 2, "observed": 2,
    "births": 3, "coverage": 3,
    "projection": 4,
    "validation": 5,
    "places": 6,
    "teachers": 7,
    "costs": 8, "scorecard": 8, "nextplan": 8,
    "views": 9,
    "figures": 10,
    "workbench": 11,
    "explorer": 12, "build": 12, "api": 12, "nbparams": 12,
    "sweep": 13,
    "pipeline": 14, "kernel_launcher": 14, "nbhygiene": 1,
    "cli": 15,
}


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path):
    rel = path.relative_to(PKG.parent).with_suffix("").parts
    package = list(rel if path.name == "__init__.py" else rel[:-1])
    if path.name == "__init__.py":
        package = package[:-1] if package[-1] == "__init__" else package
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "qyedu":
                yield from (f"qyedu.{a.name}" for a in node.names)
            elif target.startswith("qyedu."):
                yield target
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("qyedu."))


SOURCES = sorted(p for p in PKG.rglob("*.py") if p.parent != PKG or p.name != "__init__.py")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PKG)))
def test_imports_point_down(path):
    here = path.relative_to(PKG).parts[0].removesuffix(".py")
    assert here in LAYERS, f"place the new module qyedu.{here} in LAYERS (docs/ARCHITECTURE.md)"
    for target in _imports(path):
        there = _top(target)
        if there in ("", here):
            continue
        assert there in LAYERS, f"{path.name} imports unknown qyedu.{there}"
        assert LAYERS[there] < LAYERS[here], (
            f"qyedu.{here} ({path.relative_to(PKG)}) imports qyedu.{there}: an upward import")
