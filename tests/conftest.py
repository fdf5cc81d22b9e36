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
