"""One loader contract for every data/raw file (qyedu.observed.contract): malformed files,
duplicate keys, conflicts between files and counties above the city are errors naming file,
line and column, all reported at once, exit 2 without a traceback. The malformed rows are
synthetic test input written into a temporary copy of data/raw; the real files must pass."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qyedu.cli import main
from qyedu.errors import InputError
from qyedu.observed import contract

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture()
def raw(tmp_path, monkeypatch):
    """A project whose data/raw is a copy of the real one (params and plan too)."""
    root = tmp_path / "proj"
    shutil.copytree(REPO / "data" / "raw", root / "data" / "raw")
    shutil.copytree(REPO / "params", root / "params")
    monkeypatch.setenv("QYEDU_ROOT", str(root))
    contract._CHECKED.clear()
    return root / "data" / "raw"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines), encoding="utf-8")


def _problems() -> list[str]:
    return [f"{Path(str(p)).name}|{ln}|{c}|{m}" for p, ln, c, m in contract.problems()]


def test_the_real_raw_files_keep_the_contract(raw):
    assert contract.problems() == []
    contract.check_raw()


def test_every_raw_file_has_a_schema(raw):
    covered = {p for _, p in contract.files()}
    for f in raw.rglob("*.csv"):
        assert f in covered, f"{f.relative_to(raw)} has no schema in qyedu.observed.contract"


def test_a_duplicate_row_in_population_is_an_error(raw):
    lines = _lines(raw / "population.csv")
    _write(raw / "population.csv", lines[:3] + [lines[2]] + lines[3:])
    assert any(p.startswith("population.csv|4|") and "duplicate key: line 3" in p
               for p in _problems())


def test_a_county_above_the_city_is_an_error(raw):
    lines = _lines(raw / "population.csv")
    lines.append("清城区,2007,births,99000,persons,registered (户籍),official,"
                 "http://example.invalid/synthetic,synthetic test row,")
    _write(raw / "population.csv", lines)
    found = _problems()
    assert any("清城区" in p and "above the city total 56000" in p for p in found), found


def test_an_enrollment_file_conflicting_with_enrollment_csv_is_an_error(raw):
    head, first = _lines(raw / "enrollment.csv")[:2]
    other = first.replace(",422369,", ",400000,")
    (raw / "enrollment_extra.csv").write_text(f"{head}\n{other}\n", encoding="utf-8")
    found = _problems()
    assert any(p.startswith("enrollment_extra.csv|2|value|") and "422369 in enrollment.csv line 2"
               in p for p in found), found


def test_two_observation_files_giving_one_indicator_year_two_values_is_an_error(raw):
    obs = raw / "observed"
    (obs / "a_synthetic.csv").write_text(
        "indicator,year,value,source\n普通高中在校生,2030,900,synthetic test source\n", "utf-8")
    (obs / "b_synthetic.csv").write_text(
        "# synthetic\nindicator,year,value,source\n普通高中在校生,2030,950,synthetic source\n",
        "utf-8")
    found = _problems()
    assert any(p.startswith("b_synthetic.csv|3|value|") and "900 in a_synthetic.csv line 2"
               in p for p in found), found


@pytest.mark.parametrize("name, edit, expected", [
    ("china.csv", lambda ls: ls[:2] + [ls[1].replace(",2374.0,", ",abc,")] + ls[2:],
     "value 'abc' is not a finite number"),
    ("china.csv", lambda ls: ls[:1] + [ls[1].replace("China,1990", "China,19x0")] + ls[2:],
     "is not a 4-digit year"),
    ("china.csv", lambda ls: ls[:1] + [ls[1][:-1] + "2"] + ls[2:], "is not one of ['0', '1']"),
    ("china.csv", lambda ls: ls + [ls[1].replace("wwwpo15", "other")], "rows with preferred = 1"),
    ("population.csv", lambda ls: ls[:1] + ["清远市,2007,births"] + ls[1:],
     "has 3 fields, the header has 10"),
    ("population.csv", lambda ls: [ls[0].replace("year", "yr")] + ls[1:],
     "missing required column(s) ['year']"),
    ("guangdong_education.csv", lambda ls: ls[:1] + [ls[1].replace("2015", "1850", 1)] + ls[2:],
     "out of range"),
    ("validation/guangdong_population.csv", lambda ls: ls[:1] + [ls[1].replace(",15.32,", ",,")]
     + ls[2:], "value '' is not a finite number"),
    ("validation/provinces.csv", lambda ls: ls + [ls[1]], "duplicate key"),
    ("places.csv", lambda ls: ls[:1] + [ls[1].replace(",12950,", ",-5,")] + ls[2:],
     "negative value -5"),
    ("standards.csv", lambda ls: ls + [ls[1]], "duplicate key"),
    ("costs_counties.csv", lambda ls: ls + [ls[1]], "duplicate key"),
    ("validation/peer_cities_population.csv", lambda ls: ls + [ls[1]], "duplicate key"),
    ("enrollment.csv", lambda ls: ls[:1] + [ls[1].replace("2022-2023", "20222023")] + ls[2:],
     "is not a year or a span of years"),
])
def test_each_file_rejects_malformed_input(raw, name, edit, expected):
    path = raw / name
    _write(path, edit(_lines(path)))
    found = _problems()
    assert any(p.startswith(f"{Path(name).name}|") and expected in p for p in found), found


def test_non_utf8_and_empty_files_are_errors(raw):
    (raw / "population.csv").write_bytes("area,year\n清远市".encode("gbk"))
    (raw / "guangdong_education.csv").write_text("", encoding="utf-8")
    found = _problems()
    assert any(p.startswith("population.csv|2|") and "not UTF-8" in p for p in found), found
    assert any(p.startswith("guangdong_education.csv|1|") and "empty file" in p for p in found)


def test_all_problems_of_all_files_are_reported_at_once_with_exit_2(raw, capsys):
    lines = _lines(raw / "population.csv")
    _write(raw / "population.csv", lines + [lines[1]])
    lines = _lines(raw / "china.csv")
    _write(raw / "china.csv", lines[:1] + [lines[1].replace(",2374.0,", ",abc,")] + lines[2:])
    with pytest.raises(InputError) as err:
        contract.check_raw()
    text = str(err.value)
    assert "data/raw/population.csv, line" in text and "data/raw/china.csv, line 2, column value"\
        in text and "(2 problems)" in text
    assert main(["check"]) == 2
    out = capsys.readouterr().err
    assert "population.csv" in out and "china.csv" in out and "Traceback" not in out


def test_a_model_verb_stops_on_a_bad_raw_file_with_exit_2(raw, tmp_path, capsys):
    lines = _lines(raw / "population.csv")
    _write(raw / "population.csv", lines + [lines[1]])
    shutil.copytree(REPO / "notebooks", raw.parent.parent / "notebooks")
    code = main(["forecast", "--draws", "10", "--out", str(tmp_path / "f.csv")])
    err = capsys.readouterr().err
    assert code == 2 and "data/raw/population.csv, line" in err and "duplicate key" in err
    assert "Traceback" not in err and not (tmp_path / "f.csv").exists()
