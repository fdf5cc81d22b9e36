"""The scorecard template: written by the CLI, filled (here with SYNTHETIC values — not
outturns, they never leave tests/), re-read without edits and judged; bad templates exit 2
listing every problem by file, row and column."""

import csv
import shutil

import openpyxl
import pandas as pd
import pytest

from qyedu import plan
from qyedu.cli import main
from qyedu.errors import InputError
from qyedu.params import ScorecardParams
from qyedu.scorecard import scorecard, tables
from qyedu.scorecard.observations import load_observed
from qyedu.scorecard.template import COLUMNS, read_template, template_table, write_template


@pytest.fixture(scope="module")
def registry():
    return plan.tables()["plan_indicators.csv"]


def _rows(table, iid, year):
    return table.index[(table["indicator_id"] == iid) & (table["target_year"] == year)].tolist()


# SYNTHETIC fill: (indicator_id, target_year of the template row, value, year) → expected status
SYNTHETIC = [
    ("kindergartens", 2025, 930, 2025, "met"),          # ≥ 922 in 2025
    ("kindergartens", 2022, 830, 2022, "missed"),       # ≥ 844 in 2022
    ("preschool_public_share", 2022, 55.5, 2022, "met"),  # ≥ 50 %
    ("special_schools", 2025, 8, 2025, "missed"),        # ≥ 9
]


def _fill_xlsx(path, registry_rows):
    """Fill the written workbook as a user would in Excel (openpyxl), plus two cumulative
    rows for compulsory_new_places (running totals since 2021)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["template"]
    head = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(head)}
    for iid, ty, value, year, _ in SYNTHETIC:
        (r,) = _rows(registry_rows, iid, ty)
        ws.cell(r + 2, col["value"], value)
        ws.cell(r + 2, col["year"], year)
        ws.cell(r + 2, col["source"], "SYNTHETIC test value")
        ws.cell(r + 2, col["reliability"], "test")
    (r,) = _rows(registry_rows, "compulsory_new_places", 2025)
    template_row = [ws.cell(r + 2, j).value for j in range(1, len(head) + 1)]
    for year, total in ((2023, 30_000), (2025, 52_000)):
        new = list(template_row)
        new[col["value"] - 1], new[col["year"] - 1] = total, year
        new[col["source"] - 1] = "SYNTHETIC running total"
        ws.append(new)
    wb.save(path)


def test_cli_template_fill_reread_and_judge(tmp_path, registry, capsys):
    xlsx, csv_path = tmp_path / "t.xlsx", tmp_path / "t.csv"
    assert main(["scorecard", "--template", str(xlsx)]) == 0
    assert main(["scorecard", "--template", str(csv_path)]) == 0
    assert "164 targets" in capsys.readouterr().out
    assert main(["scorecard", "--template", str(tmp_path / "again.xlsx")]) == 0
    assert (tmp_path / "again.xlsx").read_bytes() == xlsx.read_bytes()  # deterministic
    written = pd.read_excel(xlsx, sheet_name="template", dtype=object)
    assert list(written.columns) == COLUMNS and len(written) == 164
    assert list(pd.read_csv(csv_path, encoding="utf-8-sig").columns) == COLUMNS
    row = written[(written["indicator_id"] == "kindergartens") & (written["target_year"] == 2025)]
    assert row[["unit", "direction", "target", "baseline_value", "expected"]].iloc[0].tolist() \
        == ["所", "ge", 922, 818, "count"]
    kinds = written.groupby("indicator_id")["expected"].agg(set)
    assert kinds["compulsory_new_places"] == {"cumulative"}
    assert kinds["preschool_public_share"] == {"percent"}
    assert kinds["preschool_gross_enrolment_ratio"] == {"ratio"}  # may exceed 100

    # unedited templates are valid and judge nothing
    assert read_template(xlsx, registry).empty and read_template(csv_path, registry).empty

    observed = tmp_path / "observed"
    observed.mkdir()
    shutil.copy(xlsx, observed / "bureau_2025.xlsx")
    _fill_xlsx(observed / "bureau_2025.xlsx", written)
    card = tables(registry, None, observed_dir=observed)["scorecard.csv"]
    for iid, ty, _, _, status in SYNTHETIC:
        got = card[(card["indicator_id"] == iid) & (card["target_year"] == ty)]["status"]
        assert got.tolist() == [status], iid
    cum = card[card["indicator_id"] == "compulsory_new_places"].iloc[0]
    assert (cum["status"], cum["basis"], cum["latest_value"]) == ("met", "observed_cumulative",
                                                                  52_000)
    assert "bureau_2025.xlsx" in cum["observed_from"]


def test_csv_template_filled_and_reread(tmp_path, registry):
    path = tmp_path / "bureau.csv"
    write_template(template_table(registry), path)
    lines = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    head = lines[0]
    for row in lines[1:]:
        if row[0] == "special_schools" and row[head.index("target_year")] == "2025":
            row[head.index("value")], row[head.index("year")] = "9", "2025"
            row[head.index("source")] = "SYNTHETIC"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(lines)
    obs = read_template(path, registry)
    assert obs[["indicator_id", "year", "value"]].values.tolist() == [["special_schools", 2025,
                                                                       9.0]]
    assert obs["file"].iloc[0] == "bureau.csv" and not obs["total"].iloc[0]
    card = scorecard(registry, obs, pd.DataFrame(columns=["indicator_id", "year", "p05", "p50",
                                                          "p95", "note"]), ScorecardParams())
    assert card[(card["indicator_id"] == "special_schools")
                & (card["target_year"] == 2025)]["status"].tolist() == ["met"]


def test_text_cells_are_strings_never_formulas(tmp_path):
    t = pd.DataFrame([{c: "" for c in COLUMNS} | {"indicator_id": "x", "unit": "%",
                                                   "name_zh": "=HYPERLINK(\"http://e\")",
                                                   "target": 5.0}])
    write_template(t, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["template"]
    cell = ws.cell(2, COLUMNS.index("name_zh") + 1)
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://e\")"
    assert ws.cell(2, COLUMNS.index("target") + 1).value == 5


def _bad_template(path, registry):
    """A SYNTHETIC template with one of each problem (rows as Excel numbers them)."""
    t = template_table(registry)
    idx = {k: _rows(t, *k)[0] for k in [("kindergartens", 2025), ("kindergartens", 2022),
                                          ("preschool_public_share", 2025),
                                          ("compulsory_new_places", 2025)]}
    t.loc[idx["kindergartens", 2025], ["value", "year", "source"]] = ["930", "2025", "S"]
    t.loc[idx["kindergartens", 2022], ["value", "year", "source"]] = ["931", "2025", "S"]  # dup
    t.loc[idx["preschool_public_share", 2025], ["value", "year", "source"]] = ["130", "2025", "S"]
    t.loc[idx["compulsory_new_places", 2025], ["value", "year", "source"]] = ["40000", "2024", "S"]
    extra = t.loc[[idx["compulsory_new_places", 2025]]].copy()
    extra[["value", "year"]] = ["30000", "2025"]  # cumulative falls
    unknown = extra.copy()
    unknown["indicator_id"] = "no_such_indicator"
    t = pd.concat([t, extra, unknown], ignore_index=True)
    t.loc[_rows(t, "special_schools", 2025)[0], "unit"] = "万所"  # unit mismatch
    write_template(t, path)
    return t


def test_bad_template_lists_every_problem(tmp_path, registry):
    path = tmp_path / "bad.xlsx"
    t = _bad_template(path, registry)
    with pytest.raises(InputError) as err:
        read_template(path, registry)
    msg = str(err.value)
    n = len(t)  # the extra rows are the last two: spreadsheet rows n and n + 1
    special = _rows(t, "special_schools", 2025)[0] + 2
    share = _rows(t, "preschool_public_share", 2025)[0] + 2
    dup = _rows(t, "kindergartens", 2025)[0] + 2  # the later of the two rows
    for piece in (f"line {n + 1}, column indicator_id: unknown indicator id 'no_such_indicator'",
                  f"line {special}, column unit: unit '万所' differs from the plan's '所'",
                  f"line {share}, column value: 130 is not a share",
                  f"line {dup}, column value: duplicate: kindergartens 2025",
                  f"line {n}, column value: cumulative compulsory_new_places falls",
                  "(5 problems)"):
        assert piece in msg, piece
    assert str(path) in msg


def test_bad_template_in_observed_folder_exits_2(tmp_path, registry, capsys):
    observed = tmp_path / "observed"
    observed.mkdir()
    _bad_template(observed / "bad.csv", registry)
    with pytest.raises(InputError):
        load_observed(registry, observed)
    code = main(["scorecard", "--draws", "10", "--observed", str(observed),
                 "--out", str(tmp_path / "card.csv")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "bad.csv" in err and "(5 problems)" in err and "unknown indicator id" in err
    assert not (tmp_path / "card.csv").exists()
