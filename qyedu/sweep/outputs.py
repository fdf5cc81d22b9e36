"""The named answers a sweep records from one Workbench: a small registry of functions, each
reading one table of one stage. A stage or table that this Workbench does not have (a stage
another module adds later, a table renamed) gives NaN and a note, never an error, so the
registry can be re-pointed without touching the sweep machinery.

Only the stages that the requested outputs need are computed (the Workbench is lazy): a
design that records no scorecard output never pays for the scorecard.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

CITY = "全市"
PLAN_END = 2025
PEAK_FROM = 2020  # the plan's baseline year: peaks are looked for from here on


class Missing(LookupError):  # noqa: N818 (a row or table that is not there)
    """The row an output reads is not in the table."""


@dataclass(frozen=True)
class Output:
    name: str
    stage: str  # Workbench attribute, e.g. "places_tables"
    table: str  # key in that stage's dict, e.g. "places_promises.csv"
    func: Callable[[pd.DataFrame, object], float]
    unit: str
    description: str


def _one(t: pd.DataFrame, col: str, **match) -> float:
    m = pd.Series(True, index=t.index)
    for k, v in match.items():
        m &= t[k].isna() if v is None else (t[k] == v)
    hit = t.loc[m, col]
    if hit.empty:
        raise Missing(", ".join(f"{k}={v}" for k, v in match.items()))
    return float(hit.iloc[0])


def _promise(promise: str, quantity: str, col: str = "p50", year: int | None = PLAN_END):
    def f(t: pd.DataFrame, rp) -> float:
        return _one(t, col, promise=promise, quantity=quantity, year=year)
    return f


def _peak(level: str, what: str):
    def f(t: pd.DataFrame, rp) -> float:
        g = t[(t["level"] == level) & (t["county"] == CITY) & (t["quantity"] == "enrolled")
              & (t["year"] >= PEAK_FROM)]
        if g.empty:
            raise Missing(f"enrolled {level}")
        row = g.loc[g["p50"].idxmax()]
        return float(row["year"] if what == "year" else row["p50"])
    return f


def _demand(level: str, quantity: str, year: int = PLAN_END, col: str = "p50"):
    def f(t: pd.DataFrame, rp) -> float:
        return _one(t, col, level=level, county=CITY, quantity=quantity, year=year)
    return f


def _negative(f):
    return lambda t, rp: -f(t, rp)


def _idle_2035(t: pd.DataFrame, rp) -> float:
    if rp.forecast.horizon != 2035:
        raise Missing(f"horizon is {rp.forecast.horizon}, not 2035")
    return _one(t, "p50", promise="compulsory_new_places", quantity="idle_at_horizon", year=None)


def _hires(year: int | None):
    def f(t: pd.DataFrame, rp) -> float:
        g = t[(t["level"] == "all") & (t["county"] == CITY) & (t["quantity"] == "hires_cumulative")]
        g = g[g["year"] == (year if year is not None else g["year"].max())]
        if g.empty:
            raise Missing(f"hires_cumulative {year}")
        return float(g["p50"].iloc[0])
    return f


def _status_count(status: str):
    def f(t: pd.DataFrame, rp) -> float:
        return float((t["status"] == status).sum())
    return f


def _cost(quantity: str, year: int | None):
    """A city, all-level cumulative cost (万元) in ``year`` (None: the last projected year)."""
    def f(t: pd.DataFrame, rp) -> float:
        g = t[(t["level"] == "all") & (t["county"] == CITY) & (t["quantity"] == quantity)]
        g = g[g["year"] == (year if year is not None else g["year"].max())]
        if g.empty:
            raise Missing(f"{quantity} {year}")
        return float(g["p50"].iloc[0])
    return f


OUTPUTS: dict[str, Output] = {o.name: o for o in [
    Output("compulsory_surplus_2025_p50", "places_tables", "places_promises.csv",
           _promise("compulsory_new_places", "surplus"), "places",
           "promised 50,000 compulsory places minus the additional places needed in 2025 "
           "(median; negative = shortfall)"),
    Output("compulsory_prob_shortfall_2025", "places_tables", "places_promises.csv",
           _promise("compulsory_new_places", "prob_shortfall", col="mean"), "probability",
           "share of draws in which the compulsory promise falls short in 2025"),
    Output("preschool_surplus_2025_p50", "places_tables", "places_promises.csv",
           _promise("preschool_new_public_places", "surplus"), "places",
           "promised public kindergarten places minus the public places needed in 2025 (median)"),
    Output("senior_surplus_2025_p50", "places_tables", "places_promises.csv",
           _promise("senior_new_public_places", "surplus"), "places",
           "promised public general senior places minus the public places needed in 2025 (median)"),
    Output("compulsory_gap_2025_p50", "places_tables", "places_demand.csv",
           _negative(_demand("compulsory", "shortage")), "places",
           "minus the compulsory shortage in 2025: primary + junior places missing, summed over "
           "counties (median; levels are never netted, so never positive)"),
    Output("compulsory_shortage_2025_p50", "places_tables", "places_demand.csv",
           _demand("compulsory", "shortage"), "places",
           "compulsory places missing in 2025, summed over the counties short of places (median)"),
    Output("compulsory_public_gap_2025_p50", "places_tables", "places_demand.csv",
           _negative(_demand("compulsory", "public_shortage")), "places",
           "minus the public compulsory shortage in 2025 (primary + junior, median; never a "
           "net of levels)"),
    Output("junior_peak_year", "forecast_tables", "enrollment_forecast.csv",
           _peak("junior_secondary", "year"), "school year",
           "year of the highest median junior-secondary enrolment (from 2020)"),
    Output("junior_peak_p50", "forecast_tables", "enrollment_forecast.csv",
           _peak("junior_secondary", "value"), "pupils",
           "highest median junior-secondary enrolment (from 2020)"),
    Output("places_idle_2035", "places_tables", "places_promises.csv", _idle_2035, "places",
           "compulsory places of the promise needed only until the peak, idle by 2035 (median)"),
    Output("teacher_hires_2025", "teacher_tables", "teacher_hiring.csv", _hires(PLAN_END),
           "teachers", "full-time teachers hired from the stock year to 2025, all levels (median)"),
    Output("teacher_hires_total", "teacher_tables", "teacher_hiring.csv", _hires(None),
           "teachers", "full-time teachers hired from the stock year to the horizon (median)"),
    Output("targets_at_risk", "scorecard_tables", "scorecard.csv", _status_count("at_risk"),
           "targets", "plan targets judged at_risk on the scorecard"),
    Output("total_cost", "cost_tables", "costs.csv", _cost("total_cost_cumulative", None),
           "万元", "capital + salary cost from costs.first_year to the horizon, city, all "
           "levels (median)"),
    Output("total_cost_2025", "cost_tables", "costs.csv", _cost("total_cost_cumulative", PLAN_END),
           "万元", "capital + salary cost from costs.first_year to 2025 (median)"),
    Output("capital_cost_2025", "cost_tables", "costs.csv",
           _cost("capital_cost_cumulative", PLAN_END), "万元",
           "capital cost of the places built for the modelled need to 2025 (median)"),
]}


def check_names(names: list[str]) -> None:
    from ..params import ParamError

    bad = [n for n in names if n not in OUTPUTS]
    if bad:
        raise ParamError(f"unknown sweep output(s) {', '.join(bad)}; known: {', '.join(OUTPUTS)}")


def extract(wb, names: list[str]) -> dict[str, tuple[float, str]]:
    """``{output: (value, note)}`` from a Workbench; computes only the stages needed."""
    out: dict[str, tuple[float, str]] = {}
    for name in names:
        o = OUTPUTS[name]
        if not hasattr(type(wb), o.stage):
            out[name] = (math.nan, f"stage {o.stage} not in this Workbench")
            continue
        tables = getattr(wb, o.stage)
        if o.table not in tables:
            out[name] = (math.nan, f"table {o.table} not in {o.stage}")
            continue
        try:
            out[name] = (o.func(tables[o.table], wb.params), "")
        except (Missing, KeyError) as err:
            out[name] = (math.nan, f"not found in {o.table}: {err}")
    return out
