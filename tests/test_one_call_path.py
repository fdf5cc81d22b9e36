"""One parameter model, one call path: every parameter is read and changes the output folder;
a scenario is a YAML edit; each stage is computed once; the pages of a refresh read the very
tables the build wrote."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from qyedu import build, params, paths
from qyedu.workbench import Workbench

REPO = Path(__file__).resolve().parent.parent
OVERRIDES = [
    {"forecast.births_method": "rate_ratio"},
    {"forecast.county": "英德市"},
    {"births.annual_change_sd": 0.02},
    {"projection.participation_drift_sd": 0.0},
    {"projection.senior_general_share_prior": 0.6},
    {"places.public_share_preschool": 0.8},
    {"teachers.attrition_rate": 0.05},
    {"scorecard.evaluation_year": 2025},
]


def _declared(model=params.RunParams, prefix=""):
    for name, f in model.model_fields.items():
        ann = f.annotation
        if isinstance(ann, type) and issubclass(ann, params.ParamModel):
            yield from _declared(ann, f"{prefix}{name}.")
        else:
            yield prefix + name, name


def test_runs_that_differ_in_any_parameter_write_to_different_folders():
    default = params.load()
    folders = {build.output_dir(default, default)}
    for over in OVERRIDES:
        rp = params.load(None, over)
        assert rp != default
        folders.add(build.output_dir(rp, default))
    assert len(folders) == len(OVERRIDES) + 1
    assert build.output_dir(default, default) == paths.data_processed()
    slug = params.load(None, {"teachers.attrition_rate": 0.05}).slug()
    assert re.fullmatch(r"medium-b2024-h2035-d2000-s1-[0-9a-f]{8}", slug)


def test_every_declared_parameter_is_read_by_the_code():
    """A parameter that no module reads would be listed, recorded and ignored."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "qyedu").rglob("*.py")
                     if "params" not in p.relative_to(REPO / "qyedu").parts[:1])
    unread = [full for full, name in _declared()
              if not re.search(rf"\.{name}\b|[\"']{name}[\"']", code)]
    assert not unread, f"declared but never read: {unread}"


def test_qyedu_params_lists_every_section():
    table = params.describe(params.RunParams)
    assert {full for full, _ in _declared()} == set(table["name"])
    assert table["source"].str.len().gt(0).all() and table["unit"].str.len().gt(0).all()


def test_a_new_scenario_is_one_yaml_edit(tmp_path):
    data = yaml.safe_load((REPO / "params" / "births_paths.yaml").read_text(encoding="utf-8"))
    data["paths"]["very_low"] = {"description": "test path (synthetic)",
                                 "source": "assumption: test only",
                                 "annual_change": [-0.15]}
    f = tmp_path / "paths.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rp = params.load(None, {"births.paths_file": str(f), "forecast.scenario": "very_low",
                            "forecast.draws": 20})
    assert params.scenarios(str(f))[-1] == "very_low"
    from qyedu import projection

    low = projection.run(rp.with_overrides({"forecast.scenario": "low"}))
    very = projection.run(rp)
    assert very.births[:, -1].mean() < low.births[:, -1].mean()
    with pytest.raises(params.ParamError, match="very_low"):
        params.load(None, {"forecast.scenario": "very_low"})  # not in the default file


def test_each_stage_is_computed_once_per_workbench(monkeypatch, tmp_path):
    from qyedu import plan, projection

    calls = {"parse": 0, "run": []}
    real_tables, real_run = plan.tables, projection.run

    def count_tables(*a, **k):
        calls["parse"] += 1
        return real_tables(*a, **k)

    def count_run(rp, **k):
        calls["run"].append(rp.slug() if hasattr(rp, "slug") else rp)
        return real_run(rp, **k)

    trace = tmp_path / "trace.tsv"
    monkeypatch.setenv("QYEDU_TRACE_FILE", str(trace))
    monkeypatch.setattr(plan, "tables", count_tables)
    monkeypatch.setattr(projection, "run", count_run)
    monkeypatch.setattr("qyedu.projection.montecarlo.run", count_run)
    monkeypatch.setattr("qyedu.projection.montecarlo.load_indicators",
                        lambda *a: pytest.fail("the plan was parsed a second time"))
    import qyedu.places

    real_compute, places_runs = qyedu.places.compute, []
    monkeypatch.setattr(qyedu.places, "compute",
                        lambda *a, **k: places_runs.append(1) or real_compute(*a, **k))
    rp = params.load(draws=40)
    wb = Workbench(rp)
    first = wb.tables
    again = wb.tables
    assert calls["parse"] == 1
    assert len(places_runs) == 1  # the places model, shared by the places and cost stages
    # the run's own parameter set is projected exactly once; every other run (the other
    # births scenarios, the back-test's as-of origins) is a different parameter set, once each
    assert calls["run"].count(rp.slug()) == 1
    assert len(calls["run"]) == len(set(calls["run"]))
    lines = [ln.split("\t") for ln in trace.read_text().splitlines()]
    own = [(stage, how) for _, stage, how, slug in lines if slug == rp.slug()]
    assert len(own) == len(set(own)) and ("result", "computed") in own
    assert {s for s, _ in own} >= set(Workbench.STAGES) - {"plan_tables"} | {"result"}
    assert all(first[k] is again[k] for k in first)


def test_pages_read_the_tables_the_build_wrote(small_build, monkeypatch):
    rp, out = small_build
    from qyedu import projection

    monkeypatch.setattr(projection, "run", lambda *a, **k: pytest.fail("recomputed"))
    wb = Workbench(rp, processed_dir=out)
    for name, df in wb.tables.items():
        on_disk = pd.read_csv(out / name)
        pd.testing.assert_frame_equal(df, on_disk)
    from qyedu.views import places as places_view

    draws = wb.result  # the build's saved draws, not a new run (projection.run would fail)
    monkeypatch.undo()
    fresh = Workbench(rp).result
    for name in ("enrolled", "population_age_group", "births", "years", "births_years"):
        assert (getattr(draws, name) == getattr(fresh, name)).all(), name
    assert (draws.counties, draws.levels, draws.base_year) == (
        fresh.counties, fresh.levels, fresh.base_year)
    t = wb.places_tables["places_promises.csv"]
    assert places_view.headline(t) == places_view.headline(pd.read_csv(out / "places_promises.csv"))


def test_a_build_for_other_parameters_is_refused(small_build):
    rp, out = small_build
    from qyedu.errors import QyeduError

    with pytest.raises(QyeduError, match="other parameters"):
        Workbench(rp.with_overrides({"teachers.attrition_rate": 0.05}), processed_dir=out)
    with pytest.raises(QyeduError, match="not written by `qyedu build`"):
        Workbench(rp, processed_dir=out.parent)


def test_notebook_and_computed_headlines_agree(small_build):
    """The places headline from the build's CSV equals the one computed in memory."""
    rp, out = small_build
    from qyedu.views import places as places_view

    computed = Workbench(rp).places_tables["places_promises.csv"]
    assert places_view.headline(computed) == places_view.headline(
        pd.read_csv(out / "places_promises.csv"))


@pytest.mark.parametrize("nb", sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")),
                         ids=lambda p: p.stem)
def test_notebook_defaults_are_the_default_parameters(nb):
    """A notebook opened in JupyterLab computes what the refresh publishes by default."""
    import ast
    import json

    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    src = "".join(next(c for c in cells if "parameters" in c["metadata"].get("tags", []))["source"])
    values = {t.id: ast.literal_eval(n.value) for n in ast.parse(src).body for t in n.targets}
    fp = params.load().forecast
    for key in ("scenario", "base_year", "horizon", "draws", "seed", "county"):
        if key in values:
            assert values[key] == getattr(fp, key), f"{nb.name}: {key}"
    assert values.get("processed_dir", "") == "" and values.get("params_file", "") == ""


def test_default_file_states_the_code_defaults():
    """params/default.yaml documents the defaults; it must not drift from the declarations."""
    assert params.load() == params.RunParams()
