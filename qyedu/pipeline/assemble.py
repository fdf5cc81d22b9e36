"""Complete the staged reports/ and figures/ of a run: pages (HTML), titles and summaries,
figures moved into one flat folder; with ``--only`` merged with what is published."""

from __future__ import annotations

import time
from pathlib import Path

from .. import paths
from . import manifest as mf
from .errors import RefreshFailed
from .publish import collect_figures, copy_previous
from .render import render_notebook


def assemble(stage: Path, results: list, partial: bool, progress, report=None) -> dict | None:
    """Fill ``stage/reports`` and ``stage/figures``; return the previously published manifest
    when ``partial`` (its entries for the other notebooks are kept), else None."""
    import nbformat

    from .notebooks import summary_of, title_of

    reports, figures = stage / "reports", stage / "figures"
    stems = {r.name for r in results}
    old = mf.read_published(paths.reports_dir() / "manifest.json") if partial else None
    owners = {f: e["name"] for e in (old or {}).get("notebooks", []) for f in e["figures"]}
    if partial:
        drop = {"index.html", "manifest.json"} | {f"{s}.html" for s in stems}
        copy_previous(paths.reports_dir(), reports, drop | {f"notebooks/{s}.ipynb" for s in stems})
        copy_previous(paths.figures_dir(), figures, {f for f, o in owners.items() if o in stems})
        owners = {f: o for f, o in owners.items() if o not in stems}
    made = collect_figures({r.name: stage / "nb_figures" / r.name for r in results},
                           figures, owners)
    for res in results:
        t = time.perf_counter()
        nb = nbformat.read(res.executed, as_version=4)
        res.title, res.summary, res.figures = title_of(nb, res.name), summary_of(nb), made[res.name]
        try:
            render_notebook(res.executed, reports / f"{res.name}.html", res.title)
        except Exception as err:
            raise RefreshFailed(f"rendering {res.source.name} to HTML failed: "
                                f"{type(err).__name__}: {err}; nothing was published",
                                report) from err
        progress(f"[refresh] html {res.name}.html … ok ({time.perf_counter() - t:.1f} s)")
    return old
