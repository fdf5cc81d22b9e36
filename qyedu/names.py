"""Names that become file or folder names (scenario, sweep design, area, sensitivity design)
and paths that must stay inside their root.

One rule for every name a user or an input file gives: letters (CJK included), digits,
``_ . -`` and the CJK middle dot, at most :data:`MAX_LENGTH` characters, not starting with a
dot or a dash (no ``..``, no hidden files, no options). A name checked here can never leave
its folder; :func:`inside` checks the resolved path as well (symlinks followed)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .errors import QyeduError

MAX_LENGTH = 64
_ALLOWED_PUNCT = set("_.-·")


class NameError_(QyeduError):
    """A name that cannot be used as a file or folder name."""


def name_problem(name: object, what: str = "name") -> str | None:
    """Why ``name`` is not a safe file/folder name (None if it is)."""
    if not isinstance(name, str):
        return f"{what} must be text (got {name!r})"
    shown = name if len(name) <= 40 else name[:37] + "…"
    if not name:
        return f"{what} is empty"
    if len(name) > MAX_LENGTH:
        return f"{what} {shown!r} is {len(name)} characters long; at most {MAX_LENGTH}"
    if name.startswith((".", "-")):
        return f"{what} {shown!r} must not start with '.' or '-'"
    bad = sorted({c for c in name if not _ok(c)})
    if bad:
        return (f"{what} {shown!r} contains {', '.join(repr(c) for c in bad)}; use letters "
                f"(Chinese included), digits, '_', '-' and '.' only")
    return None


def _ok(c: str) -> bool:
    return c in _ALLOWED_PUNCT or unicodedata.category(c)[0] in ("L", "N") and c.isprintable()


def check_name(name: object, what: str = "name") -> str:
    """``name`` if it is safe, else a QyeduError naming ``what`` (exit 2 in the CLI)."""
    problem = name_problem(name, what)
    if problem:
        raise NameError_(problem)
    return name  # type: ignore[return-value]


def safe_file_name(text: str) -> str:
    """A name derived from free text (e.g. an area of an input file) made safe: disallowed
    characters become ``_``, cut to the length limit; never empty or hidden."""
    out = "".join(c if _ok(c) else "_" for c in str(text))[:MAX_LENGTH].lstrip(".-")
    return out or "unnamed"


def inside(root: Path, path: Path, what: str = "path") -> Path:
    """``path`` resolved (symlinks followed); a QyeduError if it is not below ``root``."""
    base = Path(root).resolve()
    full = (base / path).resolve()
    if full != base and base not in full.parents:
        raise NameError_(f"{what} {path} resolves to {full}, outside {base}")
    return full


def child(root: Path, name: str, what: str = "name") -> Path:
    """``root / name`` for a checked name, and checked to resolve inside ``root``."""
    check_name(name, what)
    inside(root, Path(name), what)
    return Path(root) / name


_SLUG = re.compile(r"[^\w.-]+")


def slug_part(text: str) -> str:
    """Text as one safe path component (used for derived folder names such as slugs)."""
    return safe_file_name(_SLUG.sub("_", text))
