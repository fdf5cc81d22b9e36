"""Is a generation what its record says? ``generation.json`` holds the sha256 of every file
of a generation (:func:`tree_hashes`); :func:`verify` lists what differs, and
:func:`completeness_problems` is what the publish step checks before a generation may be
switched in (files match, pages and manifest present, nothing lost). Pure functions of a
folder: :mod:`qyedu.generations` switches, this module only reads."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

FOLDERS = ("reports", "figures", "processed")
RECORD = "generation.json"
STATUS = "status.json"  # rewritten after every run, so not part of a generation's hashes
STATUS_JS = "status.js"  # the same for pages opened from disk (file:// cannot fetch JSON)
STATUS_FILES = (STATUS, STATUS_JS)

def sha256_file(path: Path) -> str:
    """sha256 hex digest of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def tree_hashes(gen: Path) -> dict[str, str]:
    """sha256 of every regular file of a generation (symlinks such as ``scenarios`` and the
    status file excluded), keyed by POSIX path relative to the generation."""
    out = {}
    for folder in FOLDERS:
        base = gen / folder
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not (Path(dirpath) / d).is_symlink())
            for name in sorted(filenames):
                p = Path(dirpath) / name
                if p.is_symlink() or (folder == "reports" and p.parent == base and name in STATUS_FILES):
                    continue
                out[p.relative_to(gen).as_posix()] = sha256_file(p)
    return dict(sorted(out.items()))


def completeness_problems(gen: Path, kind: str, old: Path | None) -> list[str]:
    """Why a finished (not yet live) generation must not be switched in: its files do not
    match its record; a refresh without its index, manifest or a page the manifest lists; a
    manifest that is not valid JSON; pages lost compared with the live generation (e.g. a
    build carrying pages from nothing); a build without tables."""
    problems = verify(gen)
    reports = gen / "reports"
    manifest = reports / "manifest.json"
    if kind == "refresh":
        problems += [f"missing reports/{n}" for n in ("index.html", "manifest.json")
                     if not (reports / n).is_file()]
    if manifest.is_file():
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            pages = [e["html"] for e in data.get("notebooks", []) if e.get("status") == "ok"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
            problems.append(f"reports/manifest.json is unreadable ({err})")
            pages = []
        problems += [f"missing reports/{p} (listed in manifest.json)" for p in pages
                     if not (reports / p).is_file()]
    if old is not None and (old / "reports" / "index.html").is_file() \
            and not (reports / "index.html").is_file():
        problems.append("the live generation has pages (reports/index.html) and the new one "
                        "would have none")
    if kind == "build" and not any((gen / "processed").glob("*.csv")):
        problems.append("a build without any table in processed/")
    return problems


def verify(gen: Path) -> list[str]:
    """Differences between a generation's files and its ``generation.json`` (empty: ok)."""
    try:
        want = json.loads((gen / RECORD).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError) as err:
        return [f"{gen / RECORD}: unreadable ({err})"]
    have = tree_hashes(gen)
    out = [f"missing {k}" for k in sorted(set(want) - set(have))]
    out += [f"unexpected {k}" for k in sorted(set(have) - set(want))]
    out += [f"changed {k}" for k in sorted(set(want) & set(have)) if want[k] != have[k]]
    return out
