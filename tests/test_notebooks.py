"""Every notebook is executed once per test run, here: top to bottom in a fresh kernel under
the stock papermill API with small non-default parameters (another scenario, an earlier
vintage, a county, a different seed), as a scheduled run would call it. The notebooks' own
`checks` cells assert on the data they produce; here we also check that the injected
parameters reached the computation and that a summary line was printed."""

from pathlib import Path

import papermill as pm
import pytest

NB_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))
NON_DEFAULT = {"scenario": "low", "base_year": 2020, "draws": 200, "seed": 3, "county": "英德市"}


def _summary(nb) -> str:
    for cell in nb.cells:
        if "summary" in cell.metadata.get("tags", []):
            return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    return ""


@pytest.mark.slow
@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_under_papermill_with_non_default_parameters(nb_path, tmp_path):
    out = tmp_path / nb_path.name
    nb = pm.execute_notebook(str(nb_path), str(out), parameters=NON_DEFAULT, kernel_name="python3",
                             cwd=str(NB_DIR), progress_bar=False)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected, "papermill injected no parameters"
    ns: dict = {}
    exec("".join(injected[0].source), ns)  # literal assignments written by papermill
    assert {k: ns[k] for k in NON_DEFAULT} == NON_DEFAULT
    assert _summary(nb).strip(), f"{nb_path.name}: no summary line printed"
