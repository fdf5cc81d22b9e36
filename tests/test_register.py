"""Pre-registered forecasts (``qyedu register``, ``validation.register``).

The outturn files and small registers written here are SYNTHETIC (made-up enrolment for the
check's arithmetic); the real register is read only where named."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from qyedu.cli import main
from qyedu.errors import InputError
from qyedu.validation import register as reg
from qyedu.validation.panel import validation_file


@pytest.fixture(scope="module")
def beijing_china():
    return reg.register_table(areas=["北京市", "China"], qingyuan=False)


def test_rows_are_the_forecast_commands_as_of_2019(beijing_china):
    t = beijing_china
    bj = t[(t["area"] == "北京市") & (t["level"] == "primary")]
    assert bj["year"].tolist() == list(range(2020, 2028))
    assert bj["lead"].tolist() == list(range(1, 9)) and set(bj["as_of"]) == {2019}
    # seen = the held-out file's 北京 primary rows (2021, 2022), nothing else
    assert bj.loc[bj["seen"], "year"].tolist() == [2021, 2022]
    ch = t[(t["area"] == "China") & (t["level"] == "primary")]
    assert ch.loc[ch["seen"], "year"].tolist() == [2020, 2021, 2022, 2023, 2024]
    assert (t["p05"] <= t["p50"]).all() and (t["p50"] <= t["p95"]).all()


def test_rows_equal_what_the_command_writes(beijing_china, tmp_path, capsys):
    out = tmp_path / "bj.csv"
    assert main(["forecast", "--area-data", str(validation_file("provinces.csv")), "--area",
                 "北京市", "--base-year", "2019", "--horizon", "2027", "--out", str(out)]) == 0
    capsys.readouterr()
    f = pd.read_csv(out)
    f = f[(f["quantity"] == "enrolled") & (f["year"] > 2019)]
    bj = beijing_china[beijing_china["area"] == "北京市"]
    m = bj.merge(f, on=["level", "year"], suffixes=("", "_cmd"))
    assert len(m) == len(bj) == 40  # five levels × 2020–27
    for q in ("p05", "p50", "p95"):
        assert (m[q] - m[f"{q}_cmd"].round(0)).abs().max() == 0


def test_area_the_command_cannot_project_is_named():
    rows = reg._area_rows(validation_file("provinces.csv"), "广东省", False, set())
    assert rows.empty and "no enrolment observation" in rows.attrs["skipped"]


def _synthetic_register() -> pd.DataFrame:
    # SYNTHETIC: two areas, made-up bands
    return pd.DataFrame({
        "area": ["China", "China", "甲市", "甲市"], "input": "synthetic.csv", "as_of": 2019,
        "level": ["primary", "primary", "primary", "junior_secondary"],
        "year": [2020, 2021, 2020, 2020], "lead": 1,
        "p05": [90.0, 80.0, 9.0, 5.0], "p50": [100.0, 100.0, 10.0, 6.0],
        "p95": [110.0, 120.0, 11.0, 7.0], "seen": [True, False, False, False]})


def _outturns(tmp_path, rows):
    f = tmp_path / "later.csv"  # SYNTHETIC outturns in the area-table schema
    pd.DataFrame(rows, columns=["area", "year", "indicator", "level", "value", "unit",
                                "source"]).to_csv(f, index=False)
    return f


def test_check_sets_outturns_beside_the_register(tmp_path):
    f = _outturns(tmp_path, [
        ("全国", 2020, "enrolment", "primary", 100, "persons", "synthetic"),
        ("全国", 2021, "enrolment", "primary", 130, "persons", "synthetic"),
        ("甲市", 2020, "enrolment", "primary", 12, "persons", "synthetic"),
        ("甲市", 2020, "schools", "primary", 3, "schools", "synthetic"),
        ("乙市", 2020, "enrolment", "primary", 50, "persons", "synthetic")])
    c = reg.check_register(_synthetic_register(), [f])
    assert c[["area", "year", "inside", "seen"]].values.tolist() == [
        ["China", 2020, True, True], ["China", 2021, False, False], ["甲市", 2020, False, False]]
    assert c["error_pct"].round(2).tolist() == [0.0, round(-30 / 130 * 100, 2),
                                                round(-2 / 12 * 100, 2)]
    assert c["source"].tolist() == ["later.csv line 2", "later.csv line 3", "later.csv line 4"]
    assert c.attrs["unregistered"] == ["乙市"]
    lines = reg.check_summary(c)
    assert lines[0].startswith("unseen: 0 of 2 inside") and "seen: 1 of 1 inside" in lines[3]
    assert lines[1:3] == ["  by level: primary 0/2", "  by lead: 1 0/1, 2 0/1"]
    none = reg.check_register(_synthetic_register(), [_outturns(tmp_path, [
        ("甲市", 2019, "enrolment", "primary", 10, "persons", "synthetic")])])
    assert none.empty and reg.check_summary(none) == [
        "no outturn in these files for a registered area, level and year"]


def test_write_once(tmp_path):
    path = reg.register_path(tmp_path, dt.date(2026, 12, 7))
    assert path.name == "forecasts_2026-12-07.csv"
    reg.write_register(_synthetic_register(), path, "abc1234")
    head = path.read_text(encoding="utf-8").splitlines()[:3]
    assert "2026-12-07, commit abc1234; never rewritten" in head[0]
    assert "3 of 4 rows are unseen" in head[2]
    back = reg.read_register(path)
    assert back["seen"].tolist() == [True, False, False, False]
    assert back["p95"].tolist() == [110.0, 120.0, 11.0, 7.0]
    with pytest.raises(InputError, match="never rewritten"):
        reg.write_register(_synthetic_register(), path, "abc1234")
    assert reg.latest_register(tmp_path) == path


def test_cli_check_and_refusals(tmp_path, capsys):
    path = reg.register_path(tmp_path)  # today's: --write below must refuse it
    reg.write_register(_synthetic_register(), path, "abc1234")
    f = _outturns(tmp_path, [("甲市", 2020, "enrolment", "junior", 6.5, "persons", "synthetic")])
    out = tmp_path / "check.csv"
    assert main(["register", "--check", str(f), "--dir", str(tmp_path), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "unseen: 1 of 1 inside p05–p95 (100 %" in text and "seen: none" in text
    assert pd.read_csv(out)["outturn"].tolist() == [6.5]
    # today's register exists: --write refuses before computing anything
    assert main(["register", "--write", "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "never rewritten" in err and path.name in err and "Traceback" not in err
    assert main(["register", "--check", str(tmp_path / "missing.csv"), "--dir",
                 str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "missing.csv" in err and "not found" in err and "Traceback" not in err
    assert main(["register", "--write", "--check", str(f)]) == 2
    assert main(["register", "--check", str(f), "--dir", str(tmp_path / "none")]) == 2
    assert "no register yet" in capsys.readouterr().err


def test_cli_out_and_input_refusals(tmp_path, capsys):
    import os

    reg.write_register(_synthetic_register(), reg.register_path(tmp_path), "abc1234")
    f = _outturns(tmp_path, [("甲市", 2020, "enrolment", "primary", 10, "persons", "synthetic")])
    before = f.read_bytes()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # a device-like target: replacing it would swap the node for a file
    header_only = tmp_path / "header.csv"
    header_only.write_text("area,year\n", encoding="utf-8")
    cases = [
        (["--check", str(f), "--out", str(f)], "is an input file of this run"),
        (["--check", str(f), "--out", str(fifo)], "not a regular file"),
        (["--check", str(header_only)], "missing column(s) indicator, level, value, unit"),
        (["--out", str(tmp_path / "x.csv")], "--out goes with --check"),
        (["--write", "--register", str(f)], "--register goes with --check")]
    for argv, message in cases:
        assert main(["register", *argv, "--dir", str(tmp_path)]) == 2, argv
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err, (argv, err)
    assert f.read_bytes() == before and fifo.is_fifo()


def test_committed_register():
    path = reg.latest_register()
    r = reg.read_register(path)
    head = path.read_text(encoding="utf-8").splitlines()[0]
    assert "commit " in head and "never rewritten" in head
    assert len(r) == 1179 and r["area"].nunique() == 29 and int((~r["seen"]).sum()) == 1128
    assert not math.isnan(r["p50"].sum())
    # the outturns the project held when it was written: the command check's 45 of 51
    c = reg.check_register(r, [validation_file("provinces_2020_2023.csv"),
                               validation_file("china.csv")])
    assert c["seen"].all() and len(c) == 51 and int(c["inside"].sum()) == 45


def test_page_20_statement_and_the_published_table(tmp_path):
    from qyedu.views.enrollment import register_statement

    empty = reg.published_register(tmp_path)  # no register written yet
    assert empty.empty and "registered" in empty.columns and register_statement(empty) == ""
    # SYNTHETIC register: one province, China, Qingyuan's preschool from 2021, primary from 2023
    t = pd.DataFrame({
        "area": ["甲省", "China", "清远市", "清远市", "清远市"],
        "level": ["primary", "primary", "preschool", "primary", "primary"],
        "year": [2020, 2020, 2021, 2023, 2035], "seen": [True, False, False, False, False],
        "registered": "2026-12-07"})
    s = register_statement(t)
    assert "预注册：2026 年 12 月 7 日已把本方法对 1 个省、全国和清远的 5 个预测" in s
    assert "其中 4 个的实际值当时本项目尚未读到，包括清远各学段至 2035 年的在校生数（学前教育自 2021 年、" \
           "小学自 2023 年）" in s
    assert "on 7 December 2026 the method's forecasts for 1 province, China and Qingyuan (5 " \
           "p05–p95 bands)" in s
    assert "to 2035 (preschool from 2021; primary from 2023)" in s
    pub = reg.published_register()
    assert set(pub["registered"]) == {"2026-12-07"} and len(pub) == 1179
