"""Publishing a staged refresh: assemble complete new folders next to the old ones, then swap
each in with renames; keep the old ones until every swap succeeded. Also: keep the executed
notebooks of a failed run in ``paths.failed_dir()``."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .errors import RefreshFailed


def collect_figures(per_notebook: dict[str, Path], figures: Path,
                    owners: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Move each notebook's saved figures into the flat staged ``figures`` folder; a file name
    used by two notebooks is an error. ``owners`` maps figures already there to notebooks."""
    owners = dict(owners or {})
    figures.mkdir(parents=True, exist_ok=True)
    made: dict[str, list[str]] = {}
    for name, folder in sorted(per_notebook.items()):
        files = sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
        for f in files:
            if f.name in owners or (figures / f.name).exists():
                other = owners.get(f.name, "a figure already published")
                raise RefreshFailed(f"figure {f.name} is saved by both {name} and {other}: "
                                    f"give figures unique names")
            owners[f.name] = name
            os.replace(f, figures / f.name)
        made[name] = [f.name for f in files]
    return made


def copy_previous(published: Path, staged: Path, drop: set[str]) -> None:
    """Start a staged folder from the published one (``--only``), leaving out ``drop``
    (paths relative to the folder)."""
    if published.is_dir():
        shutil.copytree(published, staged, dirs_exist_ok=True,
                        ignore=lambda d, names: [n for n in names
                                                 if (Path(d) / n).relative_to(published)
                                                 .as_posix() in drop])
    staged.mkdir(parents=True, exist_ok=True)


def swap_in(pairs: list[tuple[Path, Path]], tag: str) -> None:
    """Replace each ``target`` by its staged ``new`` folder with two renames
    (target → .old, new → target). If any rename fails, the targets already swapped are put
    back and the error is raised. The old folders are deleted only after all swaps succeeded."""
    done: list[tuple[Path, Path, Path | None]] = []
    try:
        for new, target in pairs:
            target.parent.mkdir(parents=True, exist_ok=True)
            old = target.with_name(f".{target.name}.old-{tag}") if target.exists() else None
            if old is not None:
                os.rename(target, old)
            try:
                os.rename(new, target)
            except OSError:
                if old is not None:
                    os.rename(old, target)
                raise
            done.append((new, target, old))
    except OSError as err:
        for new, target, old in reversed(done):
            os.rename(target, new)
            if old is not None:
                os.rename(old, target)
        raise RefreshFailed(f"publishing failed, previous outputs restored: {err}") from err
    for _, _, old in done:
        if old is not None:
            shutil.rmtree(old)


def keep_failed(executed: list[Path], failed_dir: Path, message: str) -> Path:
    """Replace ``failed_dir`` by the executed notebooks of this failed run plus error.txt."""
    if failed_dir.exists():
        shutil.rmtree(failed_dir)
    failed_dir.mkdir(parents=True)
    for nb in executed:
        if nb.exists():
            shutil.copy2(nb, failed_dir / nb.name)
    (failed_dir / "error.txt").write_text(message + "\n", encoding="utf-8")
    return failed_dir


def carry_scenarios(published: Path, staged: Path) -> None:
    """Keep ``published/scenarios/`` (``qyedu build`` outputs for other parameters) in the
    staged data/processed, so a refresh does not delete them."""
    old = published / "scenarios"
    if old.is_dir() and not (staged / "scenarios").exists():
        shutil.copytree(old, staged / "scenarios")


def recover(target: Path) -> None:
    """Tidy up after a refresh that was killed while publishing: a ``.<name>.old-*`` folder is
    put back if ``target`` is missing (killed between the two renames), else deleted."""
    for old in sorted(target.parent.glob(f".{target.name}.old-*")):
        if not target.exists():
            os.rename(old, target)
        else:
            shutil.rmtree(old)
