"""``qyedu plan`` writes both files, prints counts, exits 2 on bad input without touching
existing outputs, and is byte-for-byte reproducible."""

import shutil

import pandas as pd
import pytest

from qyedu import paths
from qyedu.cli import main


@pytest.fixture
def root(tmp_path, monkeypatch):
    """A project copy holding only the plan text (QYEDU_ROOT points at it)."""
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(paths.plan_file(), raw / paths.plan_file().name)
    monkeypatch.setenv("QYEDU_ROOT", str(tmp_path))
    return tmp_path


def test_default_paths_write_both_files(root, capsys):
    assert main(["plan"]) == 0
    out = capsys.readouterr().out
    ind = pd.read_csv(root / "data" / "processed" / "plan_indicators.csv")
    flags = pd.read_csv(root / "data" / "processed" / "plan_flags.csv")
    assert f"plan_indicators.csv: {len(ind)} rows" in out
    assert f"plan_flags.csv: {len(flags)} flags (1 error" in out
    k = ind[(ind["indicator_id"] == "kindergartens") & (ind["year"] == 2025)]
    assert k["value"].tolist() == [922]


def test_two_runs_are_byte_identical(root, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["plan", "--out", str(a)]) == 0
    assert main(["plan", "--out", str(b)]) == 0
    for name in ("plan_indicators.csv", "plan_flags.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_bad_input_exits_2_and_keeps_previous_outputs(root, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "plan_indicators.csv").write_text("previous indicators\n")
    (out / "plan_flags.csv").write_text("previous flags\n")
    text = paths.plan_file().read_text(encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text(text.replace("\t844\n\t922\n", "\t844\n"), encoding="utf-8")
    assert main(["plan", "--plan", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "qyedu plan: error:" in err and "bad.txt, line 199" in err
    assert "幼儿园数（所）" in err
    assert (out / "plan_indicators.csv").read_text() == "previous indicators\n"
    assert (out / "plan_flags.csv").read_text() == "previous flags\n"
    assert sorted(p.name for p in out.iterdir()) == ["plan_flags.csv", "plan_indicators.csv"]


def test_missing_plan_exits_2(root, tmp_path, capsys):
    assert main(["plan", "--plan", str(tmp_path / "none.txt"), "--out", str(tmp_path)]) == 2
    assert "none.txt" in capsys.readouterr().err
