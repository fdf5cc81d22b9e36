"""manifest.json of a refresh: what went in (raw-data and parameter-file hashes, parameters,
package versions, git commit), what came out (pages, figures) and how long each step took."""

from __future__ import annotations

import json
import platform
import subprocess
import time
from importlib import metadata
from pathlib import Path

from ..errors import QyeduError
from ..integrity import sha256_file

PACKAGES = ("qyedu", "numpy", "pandas", "scipy", "statsmodels", "matplotlib", "seaborn",
            "pydantic", "papermill", "nbconvert", "nbformat", "nbclient", "ipykernel",
            "jupyter_client", "noto-cjk-sans-otc")


def sha256_tree(folder: Path, relative_to: Path) -> dict[str, str]:
    """sha256 of every file below ``folder``, keyed by POSIX path relative to ``relative_to``."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(relative_to).as_posix(): sha256_file(p)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_commit(root: Path) -> str:
    """``git rev-parse HEAD`` of the project, or 'unknown' (no git, not a checkout)."""
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    sha = done.stdout.strip()
    return sha if done.returncode == 0 and sha else "unknown"


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to the project root when inside it, else ``<outside>/<name>``: no
    file qyedu writes names a folder of the machine it ran on."""
    path = Path(path).absolute()
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return f"<outside>/{path.name}"


PATH_KEYS = {"executable", "search_path_spec", "search_path_python", "source", "file"}


def relative_paths(obj, root: Path):
    """``obj`` with every absolute path under a PATH_KEYS key made project-relative."""
    if isinstance(obj, dict):
        return {k: (display_path(Path(v), root) if k in PATH_KEYS and isinstance(v, str)
                    and Path(v).is_absolute() else relative_paths(v, root))
                for k, v in obj.items()}
    if isinstance(obj, list):
        return [relative_paths(v, root) for v in obj]
    return obj


def notebook_entry(result, run_id: str, root: Path) -> dict:
    """The manifest record of one executed notebook (paths relative to reports/)."""
    return {
        "name": result.name, "source": display_path(result.source, root),
        "title": result.title, "summary": result.summary, "status": result.status,
        "seconds": round(result.seconds, 3), "html": f"{result.name}.html",
        "executed": f"notebooks/{result.name}.ipynb", "figures": sorted(result.figures),
        "run_id": run_id,
    }


def read_published(path: Path) -> dict | None:
    """The manifest currently in reports/ (None if there is none)."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["notebooks"]  # noqa: B018 - shape check
    except (ValueError, KeyError, TypeError) as err:
        raise QyeduError(f"{path}: unreadable manifest ({err}); run a full refresh "
                         f"(without --only)") from None
    return data


def merge_entries(old: dict | None, new: list[dict]) -> list[dict]:
    """Notebook records after a partial run: the new ones replace same-named old ones."""
    fresh = {e["name"] for e in new}
    kept = [e for e in (old or {}).get("notebooks", []) if e["name"] not in fresh]
    return sorted(kept + new, key=lambda e: e["name"])


def build_manifest(*, run, old: dict | None, figures: Path) -> dict:
    """The manifest of a run (``run`` is the refresh's state: parameters, results, timings)."""
    from .. import paths
    from .kernel import kernel_info
    from .notebooks import FORECAST_PARAMETERS

    root = paths.root()
    entries = [notebook_entry(r, run.run_id, root) for r in run.results]
    fp = run.rp.forecast
    return relative_paths({
        "run_id": run.run_id,
        "started": run.started,
        "total_seconds": round(time.perf_counter() - run.t0, 3),
        "only": [r.name for r in run.results] if run.partial else None,
        "parameters": {
            "file": display_path(run.params_file, root),
            "file_sha256": sha256_file(run.params_file),
            "run": run.rp.model_dump(mode="json"), "slug": run.rp.slug(),
            "notebook": {k: getattr(fp, k) for k in FORECAST_PARAMETERS},
        },
        "raw_data": sha256_tree(paths.data_raw(), root),
        "git_commit": git_commit(root),
        "packages": package_versions(),
        "kernel": kernel_info(),
        "build": {"status": "ok" if run.build else "skipped",
                  "seconds": round(run.build_seconds, 3), "tables": run.tables},
        "notebooks": merge_entries(old, entries) if run.partial else entries,
        "figures": sorted(p.name for p in figures.iterdir() if p.is_file()),
    }, root)
