"""Notebook parameters checked in the kernel (qyedu/nbparams.py): a name papermill injects
that the notebook's parameters cell does not declare stops the run with the accepted names
(papermill itself only warns), an unknown county is refused, and the city-wide pages say
so when a county is chosen."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qyedu.errors import QyeduError
from qyedu.nbparams import check_parameters, unknown_parameters

REPO = Path(__file__).resolve().parent.parent
DECLARED = 'scenario = "medium"  # path\ndraws = 2000\ncounty = "全市"\n'
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_an_injected_name_the_notebook_does_not_declare_is_refused():
    history = ["", DECLARED, '# Parameters\nscenaro = "low"\ndraws = 300\n', "x = 1"]
    assert unknown_parameters(history) == (["scenaro"], ["scenario", "draws", "county"])
    with pytest.raises(QyeduError, match=r"unknown notebook parameter\(s\) 'scenaro'; this "
                                         r"notebook accepts: scenario, draws, county"):
        check_parameters(namespace={"In": history})


def test_declared_names_and_hand_runs_pass():
    assert unknown_parameters(["", DECLARED, "# Parameters\ndraws = 300\n"])[0] == []
    assert unknown_parameters(["", DECLARED, "wb = 1"]) == ([], [])  # no papermill
    check_parameters(namespace={"In": ["", DECLARED], "county": "英德市"})


def test_unknown_county_refused_and_city_wide_pages_say_so(capsys):
    with pytest.raises(QyeduError, match="'广州市' is not a county-level unit"):
        check_parameters(namespace={"In": [], "county": "广州市"})
    check_parameters(city_wide=True, namespace={"In": [], "county": "清城区"})
    out = capsys.readouterr().out
    assert "本页为全市口径" in out and "This page is city-wide: the county chosen (清城区)" in out
    check_parameters(city_wide=True, namespace={"In": [], "county": "全市"})
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_checks_its_parameters_first(nb):
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    k = next(i for i, c in enumerate(cells) if "parameters" in c["metadata"].get("tags", []))
    first = next(c for c in cells[k + 1:] if c["cell_type"] == "code")
    src = "".join(first["source"])
    call = "check_parameters(city_wide=True)" if nb.stem in ("40_teacher_demand", "70_costs") \
        else "check_parameters()"
    assert src.startswith("from qyedu.nbparams import check_parameters") and call in src


@pytest.mark.slow
def test_papermill_cli_with_a_misspelled_parameter_fails_naming_the_accepted(tmp_path):
    out = subprocess.run(
        [str(Path(sys.executable).parent / "papermill"), str(REPO / "notebooks" / "70_costs.ipynb"),
         str(tmp_path / "out.ipynb"), "-p", "scenaro", "low", "--kernel", "python3"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert out.returncode != 0
    assert "unknown notebook parameter(s) 'scenaro'; this notebook accepts: scenario," \
        in out.stdout + out.stderr
