"""``qyedu export DIR``: a self-contained copy of the published reports (symbolic links
followed, so the copy has no dangling link): zip it, mail it or serve it anywhere."""

from __future__ import annotations

import shutil
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("export", help="write a self-contained copy of reports/ to DIR")
    p.add_argument("dir", type=Path, help="target folder (must not exist, or be empty)")
    p.set_defaults(func=run)


def export(src: Path, dest: Path) -> Path:
    """Copy ``src`` into ``dest`` following links; links pointing outside ``src`` (e.g. the
    scenario folders) are left out. Returns ``dest``."""
    from ..errors import QyeduError

    src = Path(src).resolve()
    dest = Path(dest)
    if not src.is_dir():
        raise QyeduError(f"nothing published: {src} is not a folder; run `python3 dev.py run`")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise QyeduError(f"{dest}: exists and is not an empty folder")

    def skip(folder, names):
        out = []
        for n in names:
            p = Path(folder) / n
            if p.is_symlink():
                target = p.resolve()
                if not target.exists() or src not in target.parents:
                    out.append(n)
        return out

    shutil.copytree(src, dest, symlinks=False, ignore=skip, dirs_exist_ok=True)
    return dest


def run(args) -> int:
    from .. import paths

    out = export(paths.reports_dir(), args.dir)
    files = sum(1 for p in out.rglob("*") if p.is_file())
    print(f"qyedu export: {files} files → {out}/ (open index.html)")
    return 0
