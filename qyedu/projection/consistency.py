"""Consistency checks of the cohort flow against the plan's own flow figures
(flow_checks.csv): implied gross enrolment ratios and cohort-change ratios, by year, with the
plan's figure beside them and a flag where they contradict it (not absorbed silently).

- ``junior_per_primary`` — junior factor / primary factor (pupils per cut-off-weighted
  birth) in the same school year: the share of a cohort that is in junior school three
  years after it was in primary, migration and repetition included. The plan's
  小学毕业生升学率 (primary_graduate_progression_rate, %) is its counterpart.
- ``senior_per_junior`` — (general + vocational senior) factor / junior factor, against
  初中毕业生升学率 (junior_graduate_progression_rate).
- ``transition_primary_junior`` — the grade flow's grade 7 / grade 6 a year earlier (the
  transition ratio it applies), against 小学毕业生升学率; ``transition_junior_senior`` —
  (general + vocational grade 10) / grade 9 a year earlier, against 初中毕业生升学率. Only for
  a result with stage draws; the year before the first projected year has none.
- ``ger_preschool``, ``ger_primary``, ``ger_senior`` — enrolled / children of the level's
  ages (``population_age_group``) × 100, against 学前三年毛入园率 and 高中阶段毛入学率
  (primary has no plan figure; the plausible range 95–110 % is used).

Status: ``contradiction`` when the model's median differs from the plan's figure (nearest
plan year, actual or target) by more than ``projection.flow_check_tolerance_pp``
percentage points, else ``consistent``; ``no_plan_figure`` where the plan has none.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..labels import CITY, LEVELS
from .flow import cohort_births
from .result import ProjectionResult

PLAN_IDS = {
    "junior_per_primary": "primary_graduate_progression_rate",
    "transition_primary_junior": "primary_graduate_progression_rate",
    "transition_junior_senior": "junior_graduate_progression_rate",
    "senior_per_junior": "junior_graduate_progression_rate",
    "ger_preschool": "preschool_gross_enrolment_ratio",
    "ger_senior": "senior_gross_enrolment_ratio",
}
PLAUSIBLE = {"ger_primary": (95.0, 110.0)}


def _factors(result: ProjectionResult) -> np.ndarray:
    """Pupils per cut-off-weighted birth (D, Y, L) for the city."""
    b, fby = result.births, int(result.births_years[0])
    cb = np.stack([cohort_births(b, fby, result.years, lv) for lv in LEVELS], axis=2)
    return result.city("enrolled") / cb


def implied_series(result: ProjectionResult) -> dict[str, np.ndarray]:
    """Draws (D, Y) of every checked ratio, in percent."""
    f = _factors(result)
    e, p = result.city("enrolled"), result.city("population_age_group")
    i = {lv: LEVELS.index(lv) for lv in LEVELS}
    sen = f[:, :, i["senior_general"]] + f[:, :, i["senior_vocational"]]
    out = {}
    if result.stages is not None:
        from .gradeflow import STAGE_NAMES

        s = {n: result.stages[:, :, k] for k, n in enumerate(STAGE_NAMES)}
        nan = np.full((result.n_draws, 1), np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            out["transition_primary_junior"] = np.concatenate(
                [nan, 100 * s["g7"][:, 1:] / s["g6"][:, :-1]], axis=1)
            out["transition_junior_senior"] = np.concatenate(
                [nan, 100 * (s["gen10"] + s["voc10"])[:, 1:] / s["g9"][:, :-1]], axis=1)
    return out | {
        "junior_per_primary": 100 * f[:, :, i["junior_secondary"]] / f[:, :, i["primary"]],
        "senior_per_junior": 100 * sen / f[:, :, i["junior_secondary"]],
        "ger_preschool": 100 * e[:, :, i["preschool"]] / p[:, :, i["preschool"]],
        "ger_primary": 100 * e[:, :, i["primary"]] / p[:, :, i["primary"]],
        "ger_senior": 100 * (e[:, :, i["senior_general"]] + e[:, :, i["senior_vocational"]])
        / p[:, :, i["senior_general"]],
    }


def _plan_value(indicators: pd.DataFrame | None, ind: str, year: int):
    if indicators is None or ind not in PLAN_IDS:
        return None
    v = indicators[indicators["indicator_id"] == PLAN_IDS[ind]].dropna(subset=["value"])
    if v.empty:
        return None
    v = v.assign(dist=(v["year"] - year).abs()).sort_values(["dist", "year", "line"])
    return v.iloc[0]


def flow_checks(result: ProjectionResult, indicators: pd.DataFrame | None = None,
                tolerance_pp: float = 5.0) -> pd.DataFrame:
    """flow_checks.csv: quantity (the check), year, p05/p50/p95 (percent), plan value/year/kind/line,
    status."""
    rows = []
    for name, draws in implied_series(result).items():
        q = np.quantile(draws, [0.05, 0.5, 0.95], axis=0)
        for k, year in enumerate(result.years):
            if not np.isfinite(q[1, k]):
                continue
            plan = _plan_value(indicators, name, int(year))
            row = {"quantity": name, "year": int(year), "county": CITY, "p05": q[0, k],
                   "p50": q[1, k], "p95": q[2, k]}
            if plan is not None:
                bad = abs(q[1, k] - plan["value"]) > tolerance_pp
                row |= {"plan_value": float(plan["value"]), "plan_year": int(plan["year"]),
                        "plan_kind": plan["kind"], "plan_line": int(plan["line"]),
                        "status": "contradiction" if bad else "consistent"}
            elif name in PLAUSIBLE:
                lo, hi = PLAUSIBLE[name]
                row |= {"status": "implausible" if not lo <= q[1, k] <= hi else "plausible",
                        "note": f"no plan figure; plausible range {lo:g}-{hi:g} %"}
            else:
                row["status"] = "no_plan_figure"
            rows.append(row)
    cols = ["quantity", "year", "county", "p05", "p50", "p95", "plan_value", "plan_year",
            "plan_kind", "plan_line", "status", "note"]
    return pd.DataFrame(rows).reindex(columns=cols)
