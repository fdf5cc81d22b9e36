"""Evidence for the 15th Five-Year Plan (2026–2030): what 2030 will require, per level and
county, with bands — read from the stage tables of the same run (projection, places,
teachers, costs) and the projection's draws, never re-derived. Sits at the scorecard's layer
(after places, teachers and costs).

Tables (``tables``):
- ``next_plan.csv`` — in the plan registry's indicator schema (schema.py): places required,
  capacity, shortage (no netting), places freed by falling demand and where converting idle
  primary classrooms meets a junior or preschool need in the same county (conversion.py),
  teachers needed / in post / surplus / shortfall / hires / redeployable and the qualified
  shares, class sizes against the 大班额 line, capital and salary costs; p05/p50/p95 and a
  probability where the stage gives one;
- ``turning_points.csv`` — peak years by level and county with bands (turning.py);
- ``idle_promises.csv`` — the 14th-plan promises whose places stand idle by 2030 (idle.py)."""

from __future__ import annotations

import pandas as pd

from .conversion import conversion_rows
from .evidence import from_tables, redeployable
from .idle import idle_promises
from .schema import COLUMNS, PLAN_YEARS, TEACHER_BASIS
from .turning import turning_points

__all__ = ["COLUMNS", "PLAN_YEARS", "tables"]

SORT = ["indicator_id", "level", "qualification", "county", "year"]


def _class_sizes(rp) -> dict[str, float]:
    """The class standards of the places stage (standards.csv or the places parameters):
    primary, junior, preschool (mean of the three kindergarten classes)."""
    from ..places.standards import class_sizes

    s = class_sizes(rp.places)
    kg = (s["kg_age3"].value + s["kg_age4"].value + s["kg_age5"].value) / 3
    return {"primary": s["primary"].value, "junior_secondary": s["junior_secondary"].value,
            "preschool": kg, "large_class": s["large_class"].value}


def basis_words(plan: pd.DataFrame, basis: str) -> pd.DataFrame:
    """The teachers_needed rows named on the run's basis: the schema's 按编制标准 (staffing
    standards) is true only when ``teachers.basis`` is ``staffing_standard``; with the default
    ``actual_ratio`` the demand counts the published actual pupil-teacher ratios."""
    zh, en = TEACHER_BASIS.get(basis, TEACHER_BASIS["staffing_standard"])
    rows = plan["indicator_id"] == "teachers_needed"
    out = plan.copy()
    for col, old, new in (("name_zh", "按编制标准", zh), ("text", "按编制标准", zh),
                          ("name_en", "staffing standards", en)):
        out.loc[rows, col] = out.loc[rows, col].astype(str).str.replace(old, new, regex=False)
    return out


def tables(result, rp, forecast_tables: dict, places_tables: dict, teacher_tables: dict,
           cost_tables: dict) -> dict[str, pd.DataFrame]:
    """``next_plan.csv``, ``turning_points.csv``, ``idle_promises.csv`` of one run."""
    scenario, slug = rp.forecast.scenario, rp.slug()
    stage = {**forecast_tables, **places_tables, **teacher_tables, **cost_tables}
    sizes = _class_sizes(rp)
    rows = from_tables(stage, scenario, slug)
    rows += redeployable(stage["teacher_hiring.csv"], rp.teachers.redeploy_qualified_share,
                         scenario, slug)
    rows += conversion_rows(stage["places_demand.csv"], sizes, scenario, slug)
    plan = pd.DataFrame(rows, columns=COLUMNS)
    large = plan["indicator_id"].isin(["average_class_size", "large_class_pupil_share"])
    plan.loc[large, "name_zh"] = plan.loc[large, "name_zh"] + f"（大班额线 {sizes['large_class']:g} 人）"
    plan = basis_words(plan, rp.teachers.basis)
    plan["year"] = plan["year"].astype("int64")
    plan = plan.sort_values(SORT, kind="stable", ignore_index=True)
    return {
        "next_plan.csv": plan,
        "turning_points.csv": turning_points(result, scenario, stage["places_demand.csv"]),
        "idle_promises.csv": idle_promises(stage["places_promises.csv"],
                                           stage["places_demand.csv"], scenario, slug),
    }
