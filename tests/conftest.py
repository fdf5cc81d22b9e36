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
    """One small real build (150 draws, a non-default teacher parameter) shared by the tests
    of the build's outputs: ``(RunParams, folder)``."""
    from qyedu import build, params

    rp = params.load(None, {"forecast.draws": 150, "teachers.attrition_rate": 0.04})
    out = tmp_path_factory.mktemp("processed")
    build.build_processed(rp, out_dir=out, progress=lambda m: None)
    return rp, out
