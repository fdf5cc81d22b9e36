"""The chain task: a run through the Workbench with a reused projection gives exactly what a
fresh Workbench gives; every output read from the model's draws equals the cell of the
published table it stands for; outputs tolerate a missing stage or cell (NaN + note)."""

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
    # the places arrays of run 0 served run 1 (a teachers-only change); no table was built
    assert {s for s, _ in chain._STAGES} == {"places_model", "teacher_flows"}
    assert sum(s == "places_model" for s, _ in chain._STAGES) == 1
    assert sum(s == "teacher_flows" for s, _ in chain._STAGES) == 2
    assert got[0]["junior_peak_p50"][0] > 100_000  # Qingyuan junior pupils, order of magnitude


def _table_cell(wb, name):
    """The value an output stands for, read from the table a reviewer reads (the
    places/teacher/cost/forecast stage tables): the reference for the outputs' draws."""
    t = {"places_promises.csv": wb.places_tables["places_promises.csv"],
         "places_demand.csv": wb.places_tables["places_demand.csv"],
         "teacher_hiring.csv": wb.teacher_tables["teacher_hiring.csv"],
         "costs.csv": wb.cost_tables["costs.csv"],
         "enrollment_forecast.csv": wb.forecast_tables["enrollment_forecast.csv"]}

    def promise(pid, q, col="p50", year=2025):
        g = t["places_promises.csv"]
        g = g[(g["promise"] == pid) & (g["quantity"] == q)]
        g = g[g["year"].isna()] if year is None else g[g["year"] == year]
        return float(g[col].iloc[0])

    def city(table, q, year, level="all"):
        g = t[table]
        g = g[(g["level"] == level) & (g["county"] == "全市") & (g["quantity"] == q)]
        return float(g[g["year"] == (g["year"].max() if year is None else year)]["p50"].iloc[0])

    e = t["enrollment_forecast.csv"]
    e = e[(e["level"] == "junior_secondary") & (e["county"] == "全市")
          & (e["quantity"] == "enrolled") & (e["year"] >= 2020)]
    peak = e.loc[e["p50"].idxmax()]
    return {
        "compulsory_surplus_2025_p50": promise("compulsory_new_places", "surplus"),
        "compulsory_prob_shortfall_2025": promise("compulsory_new_places", "prob_shortfall",
                                                  "mean"),
        "preschool_surplus_2025_p50": promise("preschool_new_public_places", "surplus"),
        "senior_surplus_2025_p50": promise("senior_new_public_places", "surplus"),
        "compulsory_gap_2025_p50": -city("places_demand.csv", "shortage", 2025, "compulsory"),
        "compulsory_shortage_2025_p50": city("places_demand.csv", "shortage", 2025, "compulsory"),
        "compulsory_public_gap_2025_p50": -city("places_demand.csv", "public_shortage", 2025,
                                                "compulsory"),
        "junior_peak_year": float(peak["year"]), "junior_peak_p50": float(peak["p50"]),
        "places_idle_2035": promise("compulsory_new_places", "idle_at_horizon", year=None),
        "teacher_hires_2025": city("teacher_hiring.csv", "hires_cumulative", 2025),
        "teacher_hires_total": city("teacher_hiring.csv", "hires_cumulative", None),
        "total_cost": city("costs.csv", "total_cost_cumulative", None),
        "total_cost_2025": city("costs.csv", "total_cost_cumulative", 2025),
        "capital_cost_2025": city("costs.csv", "capital_cost_cumulative", 2025),
    }[name]


@pytest.mark.parametrize("over", [
    {},
    {"places.promise_base_year": 2021, "teachers.attrition_rate": 0.05,
     "projection.births_anchor_doubt": 0.7, "forecast.births_method": "mixed",
     "places.large_class_share_primary": 0.25, "costs.real_wage_growth": 0.03}])
def test_outputs_equal_the_table_cells_they_stand_for(over):
    """No table is built in a sweep's run, yet each output is exactly (==, not approx) the
    value of the published table's cell: the same summary of the same draws."""
    rp = params.load(None, {"forecast.draws": 40, "forecast.seed": 3, **over})
    names = [n for n in OUTPUTS if n != "targets_at_risk"]
    got = extract(Workbench(rp), names)
    wb = Workbench(rp)
    for n in names:
        assert got[n] == (_table_cell(wb, n), ""), n
    assert got["total_cost"][0] > got["total_cost_2025"][0] > 0


class _NoFlows:
    """A stand-in Workbench with the places arrays only, and those without compulsory."""

    places_model = None
    params = None


def test_missing_stage_or_cell_is_nan_with_a_note():
    from types import SimpleNamespace

    wb = _NoFlows()
    wb.places_model = SimpleNamespace(shortage={}, public={}, counties=(), cap_years={})
    out = extract(wb, ["total_cost", "teacher_hires_total", "compulsory_shortage_2025_p50"])
    assert all(math.isnan(v) for v, _ in out.values())
    assert "teacher_flows not in this Workbench" in out["total_cost"][1]
    assert "teacher_hires_total" in OUTPUTS and "not in this Workbench" in out["teacher_hires_total"][1]
    assert out["compulsory_shortage_2025_p50"][1] == "not found in places_model: 'compulsory'"


def test_stage_ignores_match_the_sources():
    """A stage's tables are shared between runs that differ only in the sections it ignores:
    the stage's package must not read those sections (if it starts to, fix STAGE_IGNORES)."""
    import re
    from pathlib import Path

    pkg = Path(chain.__file__).resolve().parent.parent
    stage_pkgs = {"places_tables": "places", "teacher_tables": "teachers", "cost_tables": "costs",
                  "places_model": "places", "teacher_flows": "teachers"}
    for stage, pkg_name in stage_pkgs.items():
        code = "\n".join(p.read_text(encoding="utf-8") for p in (pkg / pkg_name).rglob("*.py"))
        for section in chain.STAGE_IGNORES[stage]:
            assert not re.search(rf"(?<!qyedu)\.{section}\b", code), f"qyedu.{pkg_name} reads {section}"
