"""Fixtures shared by several test modules."""

import pytest
from support.pipeline import fake_build, make_project

import qyedu.build


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """A minimal temporary project (QYEDU_ROOT) for the refresh tests, with the build
    replaced by a stand-in writing one synthetic table."""
    root = make_project(tmp_path / "proj")
    monkeypatch.setenv("QYEDU_ROOT", str(root))
    monkeypatch.setattr(qyedu.build, "build_processed", fake_build)
    return root


@pytest.fixture(scope="session")
def small_build(tmp_path_factory):
    """One small real build (60 draws, a non-default teacher parameter) shared by the tests
    of the build's outputs: ``(RunParams, folder)``."""
    from qyedu import build, params

    rp = params.load(None, {"forecast.draws": 60, "teachers.attrition_rate": 0.04})
    out = tmp_path_factory.mktemp("processed")
    build.build_processed(rp, out_dir=out, progress=lambda m: None)
    return rp, out


EVIL = "<img src=x onerror=alert(1)>"
# the one real refresh of the test run: its parameters differ from the defaults in scenario,
# seed, county and draws, so the notebooks are shown to receive what the refresh passes
REAL_REFRESH = {"scenario": "low", "draws": 100, "seed": 3, "county": "英德市"}
# ... and its sensitivity page runs the smallest version of the sweep design (10 runs, not 20):
# a parameter no notebook declares, so it also shows that such overrides reach the notebooks
REAL_REFRESH_OVERRIDES = {"sensitivity.small_samples": 1, "sensitivity.small_draws": 30}


@pytest.fixture(scope="session")
def real_refresh(tmp_path_factory):
    """ONE refresh of a copy of the project with the real notebooks (each executed once per
    test run, here), markup injected into a plan sentence and an observation, and the stage
    trace on; shared by the notebook, browser and compute-once tests (one xdist group).
    Returns ``(report, rp, trace_file)``."""
    import shutil
    from pathlib import Path

    from qyedu import params

    repo = Path(__file__).resolve().parent.parent
    root = tmp_path_factory.mktemp("real") / "proj"
    for d in ("notebooks", "params", "data/raw"):
        shutil.copytree(repo / d, root / d, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    plan = root / "data" / "raw" / "qingyuan-education-14th-fyp.txt"
    text = plan.read_text(encoding="utf-8")
    assert "全市义务教育质量监测结果" in text
    plan.write_text(text.replace("全市义务教育质量监测结果", "全市义务教育质量监测结果" + EVIL),
                    encoding="utf-8")
    (root / "data" / "raw" / "observed" / "evil.csv").write_text(
        "indicator,year,value,source,note\n"
        f'preschool_new_public_places,2022,1000,"{EVIL} source","{EVIL} note"\n', encoding="utf-8")
    trace = root.parent / "trace.tsv"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QYEDU_ROOT", str(root))
        mp.setenv("MPLBACKEND", "Agg")
        mp.setenv("QYEDU_TRACE_FILE", str(trace))
        from qyedu.pipeline import refresh

        rp = params.load(root / "params" / "default.yaml", REAL_REFRESH_OVERRIDES, **REAL_REFRESH)
        report = refresh(rp, root / "params" / "default.yaml", jobs=2, progress=lambda s: None)
        assert report.ok
    # the environment is restored before any test runs: the other tests of this worker read
    # the repository's own data, not this copy with injected markup
    return report, rp, trace


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Fail loudly when `--dist loadgroup` no longer keeps a group on one worker (pytest 9
    with pytest-xdist 3.8 silently ignores it): the real refresh would then run twice."""
    if not getattr(config.option, "loadgroup", False):
        return
    lost = [i.nodeid for i in items
            if i.get_closest_marker("xdist_group") and "@" not in i.nodeid]
    if lost:
        raise pytest.UsageError(
            "pytest-xdist --dist loadgroup did not tag the grouped tests (e.g. "
            f"{lost[0]}); install the versions pinned in pyproject.toml")
