"""Atomic, deterministic writing and the consistency checks run by every build."""

import pandas as pd
import pytest

from qyedu import checks
from qyedu.io import csv_bytes, write_csv_atomic


def test_csv_is_canonical_and_byte_identical(tmp_path):
    df = pd.DataFrame({"year": [2025, 2024], "value": [1 / 3, 50000.0], "name": ["幼儿园数（所）", "x"]})
    a = write_csv_atomic(df, tmp_path / "a.csv").read_bytes()
    b = write_csv_atomic(df, tmp_path / "b.csv").read_bytes()
    assert a == b
    assert a.decode("utf-8").splitlines() == ["year,value,name", "2025,0.3333333333,幼儿园数（所）", "2024,50000,x"]
    assert b"\r" not in a


def test_failed_write_keeps_previous_file(tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("old\n")

    class Boom(pd.DataFrame):
        def to_csv(self, *a, **k):
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_csv_atomic(Boom({"a": [1]}), target)
    assert target.read_text() == "old\n"
    assert list(tmp_path.iterdir()) == [target]


def test_checks_catch_bad_quantiles_negative_counts_and_empty_tables():
    bad = pd.DataFrame({"year": [2025, 2026], "quantity": ["enrolled", "gap"],
                        "mean": [-1.0, -5.0], "p05": [3.0, -9.0], "p50": [2.0, -5.0], "p95": [4.0, -1.0]})
    with pytest.raises(checks.CheckError) as err:
        checks.check_tables({"t.csv": bad, "e.csv": pd.DataFrame()})
    msg = str(err.value)
    assert "t.csv: 1 rows with p05 > p50" in msg
    assert "t.csv: negative values in column mean" in msg
    assert "e.csv: empty table" in msg
    # a negative gap is allowed (a shortfall), a clean table passes
    ok = bad.iloc[[1]]
    checks.check_tables({"ok.csv": ok})


def test_csv_bytes_float_format():
    # counts keep every digit (births in the millions); float noise is cut at 10 digits
    assert csv_bytes(pd.DataFrame({"v": [1516300.0, 171158.00000000003]})) == b"v\n1516300\n171158\n"


def test_duplicate_keys_are_reported():
    df = pd.DataFrame({"year": [2025, 2025], "level": ["primary", "primary"],
                       "quantity": ["enrolled", "enrolled"], "p05": [1.0, 2.0],
                       "p50": [1.0, 2.0], "p95": [1.0, 2.0]})
    with pytest.raises(checks.CheckError, match=r"x.csv: 2 rows share the same key"):
        checks.check_tables({"x.csv": df})
    card = pd.DataFrame({"indicator_id": ["a", "a"], "target_year": [2025, 2025],
                         "bound": ["ge", "ge"], "target": [75.0, 83.0]})
    checks.check_tables({"scorecard.csv": card})  # conflicting targets are distinct rows


def test_atomic_writes_get_the_umask_permissions_not_0600(tmp_path):
    import os

    from qyedu.io import write_bytes_atomic

    old = os.umask(0o027)
    try:
        p = write_bytes_atomic(b"x", tmp_path / "a.txt")
    finally:
        os.umask(old)
    assert p.stat().st_mode & 0o777 == 0o640
    assert [q.name for q in tmp_path.iterdir()] == ["a.txt"]  # no temp file left


def test_writing_onto_a_folder_is_a_clear_error(tmp_path):
    from qyedu.io import write_bytes_atomic

    (tmp_path / "x.csv").mkdir()
    with pytest.raises(IsADirectoryError, match=r"is a folder, expected a file path.*x\.csv"):
        write_bytes_atomic(b"x", tmp_path / "x.csv")
