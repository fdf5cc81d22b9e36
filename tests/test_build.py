"""The build: every processed table computed, checked and written; byte-identical on a
re-run; a failure at any stage leaves the previous outputs untouched (golden values:
tests/test_golden.py)."""


import pandas as pd
import pytest

from qyedu import build, params

EXPECTED = {
    "plan_indicators.csv", "plan_flags.csv", "enrollment_forecast.csv",
    "births_reconstruction.csv", "backtest.csv", "places_demand.csv", "places_promises.csv",
    "places_answers.csv", "teacher_demand.csv", "teacher_hiring.csv", "teacher_qualifications.csv", "scorecard.csv",
    "run_params.json", "scenarios.csv", "accuracy.csv", "honest_accuracy.csv",
    "honest_senior_accuracy.csv", "honest_held_out.csv", "honest_paired.csv", "command_check.csv", "forecast_register.csv", "flow_checks.csv", "costs.csv", "cost_units.csv",
    "next_plan.csv", "turning_points.csv", "idle_promises.csv",
    "place_plan.csv",
    "enrolment_by_grade.csv", "structural_choices.csv",
}


@pytest.fixture(scope="module")
def small():
    return params.load(draws=80)  # the build's behaviour, not its precision, is tested here


def test_build_writes_every_table_and_is_byte_identical(tmp_path, small):
    a = build.build_processed(small, out_dir=tmp_path / "a", progress=lambda m: None)
    b = build.build_processed(small, out_dir=tmp_path / "b", progress=lambda m: None)
    assert set(a) == EXPECTED
    for name in EXPECTED:
        assert a[name].read_bytes() == b[name].read_bytes(), name
    draws_a = sorted((tmp_path / "a" / build.DRAWS).iterdir())
    assert {p.name for p in draws_a} >= {"enrolled.npy", "births.npy", "result.json"}
    for p in draws_a:
        assert p.read_bytes() == (tmp_path / "b" / build.DRAWS / p.name).read_bytes(), p.name


def test_failed_stage_keeps_previous_outputs(tmp_path, small, monkeypatch):
    out = tmp_path / "out"
    build.build_processed(small, out_dir=out, progress=lambda m: None)
    before = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    import qyedu.teachers

    def boom(*a, **k):
        raise RuntimeError("teacher stage failed")

    monkeypatch.setattr(qyedu.teachers, "tables", boom)
    other = params.load(draws=80, seed=2)
    with pytest.raises(RuntimeError, match="teacher stage failed"):
        build.build_processed(other, out_dir=out, progress=lambda m: None)
    assert {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_non_default_scenarios_get_their_own_folder():
    default = params.load()
    low = params.load(scenario="low")
    assert build.output_dir(default).name == "processed"
    assert build.output_dir(low).name == low.slug()


def _synthetic(rp, plan_path=None, progress=print):
    """Stand-in for build._compute: two synthetic tables, a build record, no draws."""
    tables = {f"t{i}.csv": pd.DataFrame({"seed": [rp.forecast.seed], "i": [i]}) for i in (1, 2)}
    return tables, {"seed": rp.forecast.seed}, None


def test_out_writes_a_new_folder_only_and_refuses_an_existing_one(tmp_path, monkeypatch):
    from qyedu.errors import QyeduError

    monkeypatch.setattr(build, "_compute", _synthetic)
    out = tmp_path / "new"
    written = build.build_to_folder(params.load(), out, progress=lambda m: None)
    assert sorted(written) == ["run_params.json", "t1.csv", "t2.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new"]  # no temporary folder left
    with pytest.raises(QyeduError, match="already exists; give a new folder"):
        build.build_to_folder(params.load(), out, progress=lambda m: None)


def test_build_publishes_a_generation_under_the_lock(tmp_path, monkeypatch):
    from support.pipeline import make_project

    from qyedu import generations, paths

    root = make_project(tmp_path / "proj")
    monkeypatch.setenv("QYEDU_ROOT", str(root))
    monkeypatch.setattr(build, "_compute", _synthetic)
    build.build_processed(progress=lambda m: None)  # default parameters: data/processed
    assert (root / "data" / "processed").is_symlink()
    assert pd.read_csv(root / "data" / "processed" / "t1.csv")["seed"].tolist() == [1]
    live = generations.project_site().live()
    assert generations.verify(live) == [] and live.name.endswith("-build")
    other = params.load(seed=5)
    build.build_processed(other, progress=lambda m: None)  # scenario folder, default untouched
    folder = root / "data" / "processed" / "scenarios" / other.slug()
    assert pd.read_csv(folder / "t1.csv")["seed"].tolist() == [5]
    assert generations.project_site().live() == live
    assert not paths.lock_file().exists() and not paths.staging_dir().exists()


def test_structural_choices_default_row_is_the_published_verdict(small_build):
    """The drift choice the run uses gives exactly places_promises' need and P(shortfall):
    the 'rests on' line beside a verdict never quotes a different number for it."""
    rp, out = small_build
    ch = pd.read_csv(out / "structural_choices.csv")
    pr = pd.read_csv(out / "places_promises.csv")
    default = ch[ch["is_default"]].set_index("promise")
    assert set(default.index) == {"compulsory_new_places", "preschool_new_public_places",
                                  "senior_new_public_places"}
    for pid, r in default.iterrows():
        t = pr[(pr["promise"] == pid) & (pr["year"] == r["target_year"])
               & (pr["county"] == "全市")]
        p = t[t["quantity"] == "prob_shortfall"]["mean"].iloc[0]
        need = t[t["quantity"] == "additional_places_needed"]["p50"].iloc[0]
        assert r["prob_shortfall"] == pytest.approx(p), pid
        assert r["need_p50"] == pytest.approx(need), pid
