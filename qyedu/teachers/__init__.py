"""Teacher demand: staff and full-time teachers needed under the published ratios, hiring
need (growth + attrition) and the qualification mix of hires needed for the plan's 2025
targets, all on Monte Carlo draws.

Modules: ``ratios`` (standards + sources), ``demand`` (teacher_demand rows), ``psychology``
(plan rule on psychology teachers), ``stock`` (baseline stock proxies), ``hiring``,
``qualifications``. Uses ``qyedu.places`` for class counts and registry look-ups.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..params import RunParams
from ..places import plan_lookup as reg
from ..places.tidy import rows, with_city
from ..projection.result import CITY, ProjectionResult
from .demand import LEVELS, demand_rows, teacher_arrays
from .hiring import hiring
from .psychology import psych_required
from .qualifications import QUALS, qualification_inputs, qualification_rows, required_hire_share
from .ratios import ratios
from .stock import baseline_stock

__all__ = ["hiring", "required_hire_share", "stock_year", "tables", "teacher_arrays"]


def _base_index(years: np.ndarray, base_year: int) -> int:
    """Index of the baseline year (the run's base_year, or the first projected year)."""
    hit = np.flatnonzero(years == base_year)
    return int(hit[0]) if len(hit) else 0


def stock_year(result: ProjectionResult, base_year: int) -> int:
    """Year of the teacher-stock baseline: the latest year with observed enrolment (the
    stock proxy rests on observed pupils), not after the run's base year; hiring is counted
    from the year after it. Without observed points: the base year."""
    obs = getattr(result, "observed", None)
    if obs is not None and len(obs) and {"year", "quantity"} <= set(obs.columns):
        seen = obs[(obs["quantity"] == "enrolled") & (obs["year"] <= base_year)]["year"]
        if len(seen):
            return int(seen.max())
    return base_year


def hiring_rows(result: ProjectionResult, rp: RunParams, arrays: dict) -> pd.DataFrame:
    """teacher_hiring rows per level (and all levels), county and year after the baseline."""
    years, sc, tp = np.asarray(result.years), result.scenario, rp.teachers
    ib = _base_index(years, stock_year(result, rp.forecast.base_year))
    frames, totals = [], {}
    for lv in LEVELS:
        a = arrays[lv]
        t = a["teachers"][:, ib:]
        stock0, note = baseline_stock(lv, tp.stock_basis, a["pupils"][:, ib], t[:, 0])
        h = hiring(t, stock0, tp.attrition_rate)
        h["hires_cumulative"] = h["hires"].cumsum(axis=1)
        basis = (f"teachers_needed ({a['rule']}); attrition {tp.attrition_rate:g} "
                 f"(assumption); baseline {years[ib]} stock: {note}")
        for q, arr in h.items():
            totals[q] = totals.get(q, 0) + arr
            full, cty = with_city(arr, result.counties, CITY)
            frames.append(rows(full, years[ib + 1 :], cty, lv, q, sc, basis=basis,
                               note="city = sum of counties"))
    for q, arr in totals.items():
        full, cty = with_city(arr, result.counties, CITY)
        frames.append(rows(full, years[ib + 1 :], cty, "all", q, sc,
                           basis="sum of preschool, primary, junior, general senior",
                           note="city = sum of counties"))
    return pd.concat(frames, ignore_index=True)


def tables(
    result: ProjectionResult, rp: RunParams, registry: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """``teacher_demand.csv``, ``teacher_hiring.csv`` and ``teacher_qualifications.csv``.

    ``registry`` is the plan registry (``qyedu.plan.load_indicators()``, loaded when None);
    it supplies school counts and the qualification baselines and targets."""
    registry = reg.load_registry(registry)
    r = ratios(rp.teachers)
    years, sc = np.asarray(result.years), result.scenario
    arrays = teacher_arrays(result, rp, r)
    demand = [demand_rows(result, arrays, r)]
    city_pupils = {lv: a["pupils"].sum(axis=2) for lv, a in arrays.items()}
    for lv, (req, basis) in psych_required(city_pupils, years, registry, rp.teachers, r).items():
        demand.append(rows(req, years, CITY, lv, "psych_teachers_required", sc, rule="plan_psych",
                           basis=basis, note="sensitivity: school-size distribution not published"))
    quals = []
    for lv in QUALS:
        inp = qualification_inputs(registry, lv, rp.teachers)
        a = arrays[lv]
        t_city, p_city = a["teachers"].sum(axis=2), a["pupils"].sum(axis=2)
        ib = _base_index(years, max(inp["base_year"], int(years.min())))
        stock0, note = baseline_stock(lv, rp.teachers.stock_basis, p_city[:, ib], t_city[:, ib])
        quals.append(qualification_rows(lv, inp, t_city, years, stock0, note,
                                        rp.teachers.attrition_rate, sc))
    return {
        "teacher_demand.csv": pd.concat(demand, ignore_index=True),
        "teacher_hiring.csv": hiring_rows(result, rp, arrays),
        "teacher_qualifications.csv": pd.concat(quals, ignore_index=True),
    }
