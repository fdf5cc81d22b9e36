"""The chain task: a run through the Workbench with a reused projection gives exactly what a
fresh Workbench gives; outputs tolerate a missing stage or table (NaN + note)."""

import math

import pytest

from qyedu import params
from qyedu.sweep import chain, design_from_dict
from qyedu.sweep.outputs import OUTPUTS, extract
from qyedu.workbench import Workbench

OUTS = ["compulsory_surplus_2025_p50", "junior_peak_year", "junior_peak_p50",
        "places_idle_2035", "teacher_hires_total"]


@pytest.fixture(scope="module")
def design():
    return design_from_dict({"name": "t", "method": "grid", "outputs": OUTS,
                             "fixed": {"forecast.draws": 30},
                             "parameters": {"teachers.attrition_rate": {"values": [0.02, 0.05]}}})


def test_reused_projection_and_stages_give_the_fresh_workbench_values(design):
    chain.clear_caches()
    task = chain.ChainTask(design)
    got = task.evaluate([(0, {"teachers.attrition_rate": 0.02}, 1),
                         (1, {"teachers.attrition_rate": 0.05}, 1)])
    assert len(chain._RESULTS) == 1  # one projection for both runs
    fresh = extract(Workbench(params.load(None, {"forecast.draws": 30,
                                                 "teachers.attrition_rate": 0.05})), OUTS)
    assert got[1] == fresh
    assert got[0]["compulsory_surplus_2025_p50"] == got[1]["compulsory_surplus_2025_p50"]
    assert got[1]["teacher_hires_total"][0] > got[0]["teacher_hires_total"][0]  # more leavers
    assert 2020 <= got[0]["junior_peak_year"][0] <= 2035
    # the places and forecast tables of run 0 served run 1 (a teachers-only change)
    assert {s for s, _ in chain._STAGES} == {"forecast_tables", "places_tables", "teacher_tables"}
    assert sum(s == "places_tables" for s, _ in chain._STAGES) == 1
    assert sum(s == "teacher_tables" for s, _ in chain._STAGES) == 2
    assert got[0]["junior_peak_p50"][0] > 100_000  # Qingyuan junior pupils, order of magnitude


class _NoCosts:
    """A stand-in Workbench with one stage and a table without the rows asked for."""

    places_tables = {}
    params = None


def test_missing_stage_table_or_row_is_nan_with_a_note():
    import pandas as pd

    wb = _NoCosts()
    wb.places_tables = {"places_promises.csv": pd.DataFrame(
        columns=["promise", "quantity", "year", "p50", "mean"])}
    out = extract(wb, ["total_cost", "teacher_hires_total", "compulsory_surplus_2025_p50"])
    assert all(math.isnan(v) for v, _ in out.values())
    assert "cost_tables" in out["total_cost"][1]
    assert "teacher_hires_total" in OUTPUTS and "not in this Workbench" in out["teacher_hires_total"][1]
    assert "not found" in out["compulsory_surplus_2025_p50"][1]


def test_stage_ignores_match_the_sources():
    """A stage's tables are shared between runs that differ only in the sections it ignores:
    the stage's package must not read those sections (if it starts to, fix STAGE_IGNORES)."""
    import re
    from pathlib import Path

    pkg = Path(chain.__file__).resolve().parent.parent
    stage_pkgs = {"places_tables": "places", "teacher_tables": "teachers", "cost_tables": "costs"}
    for stage, pkg_name in stage_pkgs.items():
        code = "\n".join(p.read_text(encoding="utf-8") for p in (pkg / pkg_name).rglob("*.py"))
        for section in chain.STAGE_IGNORES[stage]:
            assert not re.search(rf"(?<!qyedu)\.{section}\b", code), f"qyedu.{pkg_name} reads {section}"
