"""A real refresh of the real notebooks computes the model once: the build projects the
run's parameter set, every notebook kernel reads the tables and draws the build wrote, and
each page's headline is the one computed from the published CSV."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parent.parent


def _summary(nb_path: Path) -> str:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if "summary" in cell["metadata"].get("tags", []):
            return "".join("".join(o.get("text", "")) for o in cell["outputs"]
                           if o.get("output_type") == "stream").strip()
    return ""


@pytest.mark.slow
def test_a_refresh_computes_the_model_once_and_pages_show_the_csv(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    for part in ("data/raw", "params", "notebooks"):
        shutil.copytree(REPO / part, root / part)
    trace = tmp_path / "trace.tsv"
    monkeypatch.setenv("QYEDU_ROOT", str(root))
    monkeypatch.setenv("QYEDU_TRACE_FILE", str(trace))
    from qyedu import params
    from qyedu.pipeline import refresh

    rp = params.load(root / "params" / "default.yaml", draws=120)
    report = refresh(rp, params_file=root / "params" / "default.yaml", jobs=2,
                     progress=lambda m: None)
    assert report.published
    lines = [ln.split("\t") for ln in trace.read_text(encoding="utf-8").splitlines()]
    own = [(pid, stage, how) for pid, stage, how, slug in lines if slug == rp.slug()]
    computed = [(pid, s) for pid, s, how in own if how == "computed"]
    assert [s for _, s in computed].count("result") == 1, computed
    assert len({pid for pid, _ in computed}) == 1, "only the build computes (one process)"
    readers = {pid for pid, _, how in own if how == "read"}
    assert len(readers) >= 6, "every notebook kernel read the build's tables"

    processed = Path(report.processed_dir)
    from qyedu.views import places as places_view

    page = _summary(Path(report.reports_dir) / "notebooks" / "30_school_places.ipynb")
    promises = pd.read_csv(processed / "places_promises.csv")
    assert page == places_view.headline(promises)
