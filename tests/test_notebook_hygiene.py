"""Committed notebooks stay reviewable and thin: no outputs, a documented `parameters` cell,
short code cells that call qyedu instead of defining logic."""

import ast
import json
from pathlib import Path

import pytest

NB_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))
REQUIRED = {
    "00_plan_indicators", "10_births_population", "20_enrollment_forecast", "30_school_places",
    "40_teacher_demand", "50_target_scorecard", "60_scenario_explorer", "70_costs",
    "80_sensitivity", "90_next_plan",
}
MAX_CODE_LINES = 12


def _cells(nb_path):
    return json.loads(nb_path.read_text(encoding="utf-8"))["cells"]


def test_every_required_notebook_exists():
    assert REQUIRED <= {p.stem for p in NOTEBOOKS}


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_stripped(nb):
    for i, cell in enumerate(_cells(nb)):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{nb.name} cell {i} has committed outputs"
            assert cell.get("execution_count") is None, f"{nb.name} cell {i} has an execution count"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_holds_only_commented_literals(nb):
    cells = [c for c in _cells(nb) if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"{nb.name}: exactly one cell tagged 'parameters'"
    src = "".join(cells[0]["source"])
    tree = ast.parse(src)
    names = set()
    for node in tree.body:
        assert isinstance(node, ast.Assign), f"{nb.name}: parameters cell holds only assignments"
        ast.literal_eval(node.value)  # literals only
        names |= {t.id for t in node.targets}
    for line in src.splitlines():
        if "=" in line:
            assert "#" in line, f"{nb.name}: parameter line without a comment: {line!r}"
    assert {"scenario", "base_year", "horizon", "draws", "seed", "county", "params_file",
            "figures_dir"} <= names
    # papermill reads each line with a regex: a second '=' (e.g. in the comment) makes it
    # print "Unable to parse line" in every refresh and drop the parameter
    import nbformat
    from papermill.translators import PythonTranslator

    parsed = {p.name for p in PythonTranslator.inspect(nbformat.from_dict(cells[0]) | {"source": src})}
    assert parsed == names, f"{nb.name}: papermill cannot read {sorted(names - parsed)}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_cells_are_thin(nb):
    for i, cell in enumerate(_cells(nb)):
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"])
        lines = [ln for ln in src.splitlines() if ln.strip() and not ln.strip().startswith("#")]
        assert len(lines) <= MAX_CODE_LINES, f"{nb.name} cell {i}: {len(lines)} lines of code"
        tree = ast.parse(src)
        defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
        assert not defs, f"{nb.name} cell {i} defines {defs[0].name}: move it into qyedu"
        assert "open(" not in src and "/data/" not in src, f"{nb.name} cell {i}: paths belong in qyedu.paths"


def test_jupyterlab_saves_pipeline_notebooks_without_outputs(tmp_path):
    """The project's jupyter_server_config.py strips every save (autosaves too) of a pipeline
    notebook, through the same contents manager JupyterLab uses; scratch notebooks keep theirs."""
    import nbformat
    from jupyter_server.services.contents.filemanager import FileContentsManager
    from traitlets.config import Config, PyFileConfigLoader

    root = NB_DIR.parent
    cfg = PyFileConfigLoader("jupyter_server_config.py", path=str(root)).load_config()
    assert isinstance(cfg, Config)
    (tmp_path / "notebooks").mkdir()
    cm = FileContentsManager(root_dir=str(tmp_path), config=cfg)
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1 + 1", execution_count=3)
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "2"},
                                           execution_count=3)]
    nb.cells = [cell]
    for path in ("notebooks/00_x.ipynb", "scratch.ipynb"):
        cm.save({"type": "notebook", "format": "json", "content": nbformat.from_dict(nb)}, path)
    saved = json.loads((tmp_path / "notebooks" / "00_x.ipynb").read_text(encoding="utf-8"))
    assert saved["cells"][0]["outputs"] == [] and saved["cells"][0]["execution_count"] is None
    scratch = json.loads((tmp_path / "scratch.ipynb").read_text(encoding="utf-8"))
    assert scratch["cells"][0]["outputs"], "notebooks outside the pipeline keep their outputs"


def test_dev_strip_removes_outputs_and_check_reports_them(tmp_path):
    from qyedu import nbhygiene

    nb = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x"}]
    code["execution_count"] = 1
    f = tmp_path / NOTEBOOKS[0].name
    f.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert nbhygiene.main(["--check", str(f)]) == 1
    assert nbhygiene.main([str(f)]) == 0
    assert nbhygiene.main(["--check", str(f)]) == 0
    assert f.read_text(encoding="utf-8") == NOTEBOOKS[0].read_text(encoding="utf-8")
