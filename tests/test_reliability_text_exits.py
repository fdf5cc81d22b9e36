"""Text stays text (no formula cell in the workbook, OWASP neutralisation in CSVs) and exit
codes as documented: one ``--out`` rule, every RunParams range enforced from every entry
point, a cell timeout as one line naming notebook and cell."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from qyedu import params
from qyedu.cli import main
from qyedu.io import csv_bytes
from qyedu.params.base import describe
from qyedu.pipeline.workbook import workbook_bytes
from qyedu.textsafe import neutralise

INJECTED = ["=2+3", "+SUM(A1:A2)", "-2+3", "@SUM(1)", "\t=1", "\r=1", "=HYPERLINK(\"x\")"]


@pytest.mark.parametrize("text", INJECTED)
def test_text_a_spreadsheet_would_evaluate_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["-5", "+1.5", "-1,234.5", "ok", "", "2+3", "12%"])
def test_numbers_and_plain_text_are_left_alone(text):
    assert neutralise(text) == text


def test_csv_exports_neutralise_text_cells_and_keep_numbers():
    df = pd.DataFrame({"name": ["=2+3", "清远", "-x"], "value": [-1.5, 2.0, -3.0]})
    text = csv_bytes(df).decode("utf-8")
    assert text == "name,value\n'=2+3,-1.5\n清远,2\n'-x,-3\n"


def test_the_workbook_has_no_formula_cell_and_no_cell_starting_with_a_trigger():
    tables = {"plan_indicators.csv": pd.DataFrame({"name_zh": INJECTED, "value": range(7)}),
              "scorecard.csv": pd.DataFrame({"source": ["=1+1"], "note": ["@x"]})}
    book = zipfile.ZipFile(io.BytesIO(workbook_bytes(tables)))
    sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 4  # 结论 Headline, Sources and the two tables
    for name in sheets:
        assert "<f>" not in book.read(name).decode("utf-8"), name
    strings = book.read("xl/sharedStrings.xml").decode("utf-8")
    import re

    cells = re.findall(r"<t[^>]*>([^<]*)</t>", strings)
    assert "'=2+3" in cells and "'=1+1" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))], cells


def test_out_onto_an_existing_file_follows_one_rule(tmp_path, capsys):
    existing = tmp_path / "exists"
    existing.write_text("old", encoding="utf-8")
    # a folder output (plan, validate, build) onto a file: exit 2 naming it, no traceback
    for argv in (["plan", "--out", str(existing)], ["build", "--out", str(existing)],
                 ["validate", "--out", str(existing)]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert str(existing) in err and "Traceback" not in err
    assert existing.read_text(encoding="utf-8") == "old"


def test_validate_checks_its_own_ranges(capsys):
    assert main(["validate", "--draws", "0"]) == 2
    assert "--draws must be an integer from 1 to 200000" in capsys.readouterr().err


def _bounded():
    """Every (key, bad value) just outside a declared range of RunParams."""
    table = describe(params.RunParams)
    out = []
    for f_name, field in _fields(params.RunParams):
        for meta in field.metadata:
            kind = type(meta).__name__
            if kind in ("Ge", "Gt"):
                low = getattr(meta, kind.lower())
                out.append((f_name, low - (1 if isinstance(low, int) else 0.001)
                            if kind == "Ge" else low))
            if kind in ("Le", "Lt"):
                high = getattr(meta, kind.lower())
                out.append((f_name, high + (1 if isinstance(high, int) else 0.001)
                            if kind == "Le" else high))
    assert len(out) > 40 and len(table) > 40
    return out


def _fields(model, prefix=""):
    for name, field in model.model_fields.items():
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, params.base.ParamModel):
            yield from _fields(ann, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", field


BOUNDED = _bounded()


@pytest.mark.parametrize("key, value", BOUNDED, ids=[f"{k}={v}" for k, v in BOUNDED])
def test_every_range_is_enforced_from_set_params_file_and_workbench(key, value, tmp_path):
    with pytest.raises(params.ParamError, match=key.replace(".", r"\.")):
        params.load(None, {key: value})  # --set, notebooks (params.load), sweeps
    section, name = key.split(".")
    file = tmp_path / "p.yaml"
    file.write_text(f"{section}:\n  {name}: {value!r}\n", encoding="utf-8")
    with pytest.raises(params.ParamError, match=key.replace(".", r"\.")):
        params.load(file)
    rp = params.load()
    sec = getattr(rp, section).model_copy(update={name: value})  # skips pydantic's checks
    from qyedu.workbench import Workbench

    with pytest.raises(params.ParamError, match=key.replace(".", r"\.")):
        Workbench(rp.model_copy(update={section: sec}))


def test_cli_set_out_of_range_exits_2_naming_the_parameter(capsys):
    assert main(["forecast", "--set", "forecast.draws=1000000", "--out", "/tmp/x.csv"]) == 2
    assert "forecast.draws" in capsys.readouterr().err


def test_a_births_path_change_out_of_range_names_the_file_and_key(tmp_path):
    bad = tmp_path / "paths.yaml"
    bad.write_text("paths:\n  medium:\n    description: x\n    source: 'assumption: test'\n"
                   "    annual_change: [-1.5]\n", encoding="utf-8")
    from qyedu.errors import QyeduError

    with pytest.raises(QyeduError, match=r"annual_change\.0.*greater than or equal to -0\.5"):
        params.load(None, {"births.paths_file": str(bad)})


def test_a_cell_timeout_is_one_line_naming_the_cell(tmp_path):
    import nbformat
    from nbclient.exceptions import CellTimeoutError

    from qyedu.pipeline.execute import describe_failure

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("time.sleep(99)", execution_count=2)
    cell.metadata["papermill"] = {"start_time": "t1", "status": "running"}
    nb.cells = [cell]
    nbformat.write(nb, tmp_path / "out.ipynb")
    err = CellTimeoutError("A cell timed out while it was being executed, after 5 seconds.")
    msg = describe_failure(err, tmp_path / "out.ipynb")
    assert msg == ("cell 1 (In [2]): time.sleep(99) timed out after 5 s (the limit per cell is "
                   "--timeout SECONDS; 0 = no limit)")


def test_an_unexpected_error_is_one_line_with_the_traceback_in_a_log(tmp_path, monkeypatch,
                                                                     capsys):
    import qyedu.cli.params as verb

    monkeypatch.setenv("QYEDU_ROOT", str(tmp_path))

    def boom(args):
        raise RuntimeError("synthetic failure")

    monkeypatch.setattr(verb, "run", boom)
    assert main(["params"]) == 1
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: synthetic failure" in err and "Traceback" not in err
    assert "RuntimeError" in (tmp_path / "logs" / "qyedu-errors.log").read_text("utf-8")


def test_a_model_consistency_failure_names_the_parameters_the_user_set():
    from qyedu.checks import CheckError
    from qyedu.workbench import Workbench

    wb = Workbench(params.load(None, {"teachers.attrition_rate": 0.2, "forecast.draws": 50}))

    def fails():
        raise CheckError("teacher stock flow: primary: stock(t+1) != stock(t) - leavers + hires")

    with pytest.raises(CheckError) as err:
        wb._stage("teacher_tables", fails)
    text = str(err.value)
    assert "teachers.attrition_rate=0.2" in text and "forecast.draws=50" in text
