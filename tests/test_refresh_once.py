"""The test run's one real refresh computes the model once: the build projects the run's
parameter set, every notebook kernel reads the tables and draws the build wrote, and each
page's headline is the one computed from the published CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("real_refresh")]


def _summary(nb_path: Path) -> list[str]:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if "summary" in cell["metadata"].get("tags", []):
            return "".join("".join(o.get("text", "")) for o in cell["outputs"]
                           if o.get("output_type") == "stream").strip().splitlines()
    return []


def test_a_refresh_computes_the_model_once(real_refresh):
    report, rp, trace = real_refresh
    lines = [ln.split("\t") for ln in trace.read_text(encoding="utf-8").splitlines()]
    own = [(pid, stage, how) for pid, stage, how, slug in lines if slug == rp.slug()]
    computed = [(pid, s) for pid, s, how in own if how == "computed"]
    assert [s for _, s in computed].count("result") == 1, computed
    assert len({pid for pid, _ in computed}) == 1, "only the build computes (one process)"
    readers = {pid for pid, _, how in own if how == "read"}
    assert len(readers) >= 7, "every notebook kernel read the build's tables"


def test_page_headlines_are_those_of_the_published_csv(real_refresh):
    report, rp, _ = real_refresh
    processed, notebooks = Path(report.processed_dir), Path(report.reports_dir) / "notebooks"
    from qyedu.views import places as places_view
    from qyedu.views import scorecard as scorecard_view

    promises = pd.read_csv(processed / "places_promises.csv")
    assert places_view.headline(promises) in _summary(notebooks / "30_school_places.ipynb")
    card = pd.read_csv(processed / "scorecard.csv")
    assert scorecard_view.headline(card, rp.forecast) in _summary(
        notebooks / "50_target_scorecard.ipynb")
    from qyedu.views import nextplan as nextplan_view

    lines = nextplan_view.headline(*(pd.read_csv(processed / f) for f in (
        "next_plan.csv", "turning_points.csv", "idle_promises.csv")))
    assert lines and lines == _summary(notebooks / "90_next_plan.ipynb")
