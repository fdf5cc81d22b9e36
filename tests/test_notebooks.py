"""Every notebook is executed once per test run: by the test run's one real refresh
(``real_refresh`` in tests/conftest.py: papermill, a fresh kernel each, parameters other
than the defaults in scenario, seed, county and draws). Each notebook's own ``checks`` cell
asserts on the data it showed; here we check that it ran clean, received the refresh's
parameters and printed its summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REAL_REFRESH

NB_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("real_refresh")]


def _executed(real_refresh, nb_path: Path) -> dict:
    report = real_refresh[0]
    return json.loads((Path(report.reports_dir) / "notebooks" / nb_path.name)
                      .read_text(encoding="utf-8"))


def _tagged(nb: dict, tag: str) -> list[dict]:
    return [c for c in nb["cells"] if tag in c["metadata"].get("tags", [])]


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_ran_clean_with_the_refresh_parameters(real_refresh, nb_path):
    nb = _executed(real_refresh, nb_path)
    errors = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, errors[:1]
    checks = _tagged(nb, "checks")
    assert checks and all(c.get("execution_count") for c in checks), "checks cell did not run"
    injected = _tagged(nb, "injected-parameters")
    assert injected, "papermill injected no parameters"
    ns: dict = {}
    exec("".join(injected[0]["source"]), ns)  # literal assignments written by papermill
    for key, value in REAL_REFRESH.items():
        if key in ns:
            assert ns[key] == value, key
    assert ns.get("processed_dir"), "the refresh passes its build to every notebook"
    summary = "".join("".join(o.get("text", "")) for c in _tagged(nb, "summary")
                      for o in c.get("outputs", []) if o.get("output_type") == "stream")
    assert summary.strip(), f"{nb_path.name}: no summary line printed"


def test_sensitivity_page_runs_no_toy_sweep(real_refresh):
    """Without a finished, converged sweep the page says none has been run and how to run
    one; it never computes a small sweep inside the refresh."""
    nb = _executed(real_refresh, NB_DIR / "80_sensitivity.ipynb")
    text = "".join("".join(o.get("text", "")) for c in nb["cells"] if c["cell_type"] == "code"
                   for o in c.get("outputs", []) if o.get("output_type") == "stream")
    assert "no sweep has been run, so this page shows no sensitivity results" in text
    assert "尚未运行参数扫描，本页没有敏感性结果" in text and "qyedu sweep example.yaml" in text
    assert "small version" not in text
