"""Names cannot leave their folder (qyedu.names): scenario, sweep design, area and
sensitivity-design names are checked (safe characters incl. CJK, at most 64 characters) and
resolved paths must stay under their root — tested with ``..``, absolute paths, symlinks and
300-character names. Errors are exit 2 without a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qyedu import generations as gens
from qyedu import names, params, paths
from qyedu.cli import main
from qyedu.errors import QyeduError

BAD = ["..", "../x", "../../etc/passwd", "/tmp/abs", "a/b", "a\\b", ".hidden", "-rf", "",
       "x" * 300, "a b", "a\x00b", "名\n字"]
GOOD = ["example", "清远_高出生", "low-2.0", "a" * 64, "x·y"]


@pytest.mark.parametrize("name", BAD)
def test_unsafe_names_are_refused(name):
    assert names.name_problem(name) is not None
    with pytest.raises(QyeduError):
        names.check_name(name)


@pytest.mark.parametrize("name", GOOD)
def test_safe_names_incl_chinese_are_accepted(name):
    assert names.name_problem(name) is None


def test_a_300_character_name_says_how_long_it_is():
    assert "300 characters long; at most 64" in names.name_problem("x" * 300)


def test_inside_refuses_dot_dot_absolute_and_symlinks_out(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "ok").mkdir()
    os.symlink(tmp_path, root / "escape")
    assert names.inside(root, Path("ok")) == (root / "ok").resolve()
    for bad in ("..", "../x", "/etc", "escape/x", "ok/../../x"):
        with pytest.raises(QyeduError, match="outside"):
            names.inside(root, Path(bad))


def test_a_file_derived_name_is_made_safe():
    for text in ("../../etc/x", "/abs/path", "..", "a" * 300, "北京市/海淀"):
        safe = names.safe_file_name(text)
        assert "/" not in safe and not safe.startswith((".", "-")) and len(safe) <= 64
        assert names.name_problem(safe) is None


@pytest.mark.parametrize("design", ["../x", "/etc/passwd", "x" * 300, ".."])
def test_sensitivity_design_is_a_safe_name(design):
    with pytest.raises(params.ParamError, match="sensitivity.design"):
        params.load(None, {"sensitivity.design": design})


def test_a_sweep_design_symlinked_out_of_params_is_refused(tmp_path, monkeypatch):
    from qyedu.sweep.store import design_file, sweep_dir

    root = tmp_path / "proj"
    (root / "params" / "sweeps").mkdir(parents=True)
    (tmp_path / "outside.yaml").write_text("name: x\n", encoding="utf-8")
    os.symlink(tmp_path / "outside.yaml", root / "params" / "sweeps" / "evil.yaml")
    monkeypatch.setenv("QYEDU_ROOT", str(root))
    with pytest.raises(QyeduError, match="outside"):
        design_file("evil")
    for bad in ("..", "../x", "/abs", "x" * 300):
        with pytest.raises(QyeduError, match="sweep design name"):
            sweep_dir(bad)
    assert sweep_dir("ok") == root / "data" / "sweeps" / "ok"


def test_scenario_names_in_the_births_paths_file_are_checked(tmp_path):
    bad = tmp_path / "paths.yaml"
    bad.write_text("paths:\n  ../evil:\n    description: x\n    source: 'assumption: test'\n"
                   "    annual_change: [0.0]\n", encoding="utf-8")
    with pytest.raises(QyeduError, match="scenario name"):
        params.load(None, {"births.paths_file": str(bad)})


def test_a_long_scenario_slug_gets_a_short_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("QYEDU_ROOT", str(tmp_path))
    site = gens.scenario_site("s" * 300)
    assert len(site.root.name) <= gens.SLUG_MAX
    assert site.root.parent == paths.root() / ".scenarios" / "sites"
    for bad in ("..", "../x", "a/b", ".x"):
        with pytest.raises(QyeduError):
            gens.scenario_site(bad)


def test_cli_bad_design_name_exits_2_without_traceback(tmp_path, capsys):
    design = tmp_path / "d.yaml"
    design.write_text("name: ../../..\nmethod: grid\nparameters:\n  teachers.attrition_rate:\n"
                      "    values: [0.02, 0.03]\noutputs: [teacher_hires_total]\n", "utf-8")
    assert main(["sweep", str(design), "--workers", "0"]) == 2
    err = capsys.readouterr().err
    assert "sweep design name" in err and "Traceback" not in err
    long = tmp_path / "long.yaml"
    long.write_text(design.read_text("utf-8").replace("../../..", "y" * 300), "utf-8")
    assert main(["sweep", str(long), "--workers", "0"]) == 2
    assert "at most 64" in capsys.readouterr().err


def test_cli_long_scenario_exits_2_without_traceback(capsys):
    assert main(["forecast", "--scenario", "z" * 300, "--out", "/tmp/never.csv"]) == 2
    err = capsys.readouterr().err
    assert "forecast.scenario" in err and "Traceback" not in err


@pytest.mark.parametrize("area", ["../../escape", "/tmp/abs_area", "..", "x" * 300])
def test_an_area_name_from_the_file_never_writes_outside_the_working_folder(
        tmp_path, monkeypatch, capsys, area):
    from test_area import _births_rows, _file

    src = tmp_path / "in"
    src.mkdir()
    body = _births_rows(area) + f"{area},2019,enrolment,primary,66000,persons,synthetic\n"
    path = _file(src, body)
    work = tmp_path / "work" / "deep"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    code = main(["forecast", "--area-data", str(path), "--base-year", "2019", "--horizon",
                 "2021", "--draws", "20"])
    assert code == 0, capsys.readouterr().err
    written = list(work.iterdir())
    assert len(written) == 1 and written[0].name.startswith("forecast_")
    assert names.name_problem(written[0].stem.removeprefix("forecast_")) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "work"]


def test_a_scenario_folder_symlinked_out_of_the_store_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("QYEDU_ROOT", str(tmp_path / "proj"))
    sites = tmp_path / "proj" / ".scenarios" / "sites"
    sites.mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", sites / "medium-x")
    with pytest.raises(QyeduError, match="outside"):
        gens.scenario_site("medium-x")
