"""The named answers a sweep records from one Workbench: a small registry of functions, each
reading the model's draws of one stage (the projection ``result``, the ``places_model``
arrays, the ``teacher_flows``, the cost arrays) and summarising the one cell it needs. No
tidy table and no figure is built per run: a sweep's worker does the model work only and
returns a few numbers; the driver assembles the tables once. Each value is the same summary
(``qyedu.stats.summarize`` on the same array) as the cell of the published table, so it
equals the table's value to the last bit (tests/test_sweep_chain.py checks every output
against the tables). Only ``targets_at_risk`` reads a table (the scorecard's verdicts exist
only as a table).

A stage this Workbench does not have, or a cell that is not there, gives NaN and a note,
never an error, so outputs can be re-pointed when a stage changes. Only the stages that the
requested outputs need are computed (the Workbench is lazy).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..stats import summarize

CITY = "全市"
PLAN_END = 2025
PEAK_FROM = 2020  # the plan's baseline year: peaks are looked for from here on


class Missing(LookupError):  # noqa: N818 (a cell that is not there)
    """The cell an output reads is not in the model's arrays."""


def _cell(draws, years, year, col: str = "p50") -> float:
    """The 全市 cell of ``year`` in the summary of draws (D, Y) or (D, Y, 1 + C) with the city
    first, as ``qyedu.places.tidy.rows`` summarises them for the tables (the whole array, so
    the mean is summed in the same order)."""
    d = np.asarray(draws, dtype=float)
    hit = np.flatnonzero(np.asarray(years) == year)
    if not len(hit):
        raise Missing(f"year {year}")
    return float(summarize(d if d.ndim == 3 else d[:, :, None], axis=0)[col][hit[0], 0])


class RunView:
    """What the outputs read from one Workbench, each computed once and only when asked."""

    def __init__(self, wb):
        self.wb = wb

    @cached_property
    def registry(self):
        from ..places import plan_lookup

        return plan_lookup.load_registry(self.wb.indicators)

    @cached_property
    def promises(self) -> dict[str, dict]:
        """Promise id → ``qyedu.places.promises.analyse`` draws, on the demand and public
        shares that ``places.tables`` → ``promise_rows`` compares each promise with."""
        from ..places.promises import PROMISES, analyse, promise_value
        from ..places.public import public_share

        m, rp = self.wb.places_model, self.wb.params
        years = np.asarray(self.wb.result.years)
        by_group = {g: m.pupils[g].sum(axis=2) for g in ("preschool", "senior_general")}
        by_group["compulsory"] = [m.pupils[lv].sum(axis=2) for lv in ("primary", "junior_secondary")]
        base = rp.places.promise_base_year
        shares = {g: public_share(rp.places, self.registry, g, m.years, base) for g in by_group}
        if base not in years:
            base = int(years.min())
        out = {}
        for pid, spec in PROMISES.items():
            promised, target, _, _ = promise_value(self.registry, pid)
            share = shares[spec["group"]][0] if spec["public"] else 1.0
            dem = by_group[spec["group"]]
            dem = [d * share for d in dem] if isinstance(dem, list) else dem * share
            out[pid] = analyse(dem, years, promised, base, target) | {"target": target}
        return out

    @cached_property
    def cost_arrays(self) -> tuple[dict, np.ndarray]:
        """(level, quantity) → draws (D, Y) of costs.csv, and their years."""
        from ..costs import cost_arrays

        wb = self.wb
        arrs, _, yrs, *_ = cost_arrays(wb.result, wb.params, wb.indicators, wb.teacher_flows,
                                       None, wb.places_model)
        return arrs, yrs


@dataclass(frozen=True)
class Output:
    name: str
    needs: tuple[str, ...]  # the Workbench attributes whose draws (scorecard: tables) it reads
    func: Callable[[RunView], float]
    unit: str
    description: str


def _promise(promise: str, quantity: str, col: str = "p50"):
    def f(v: RunView) -> float:
        a = v.promises[promise]
        draws = (a["surplus"] < 0).astype(float) if quantity == "prob_shortfall" else a[quantity]
        return _cell(draws, a["years"], PLAN_END, col)
    return f


def _peak(level: str, what: str):
    def f(v: RunView) -> float:
        res = v.wb.result
        if level not in res.levels:
            raise Missing(f"enrolled {level}")
        arr, _ = res.with_city("enrolled")  # as enrollment_forecast.csv summarises it
        p50 = summarize(arr.reshape(arr.shape[0], -1))["p50"].reshape(arr.shape[1:])
        years = np.asarray(res.years)
        keep = years >= PEAK_FROM
        if not keep.any():
            raise Missing(f"enrolled {level} from {PEAK_FROM}")
        path = p50[keep, res.levels.index(level), 0]
        i = int(np.argmax(path))  # the earliest year of the highest median
        return float(years[keep][i] if what == "year" else path[i])
    return f


def _shortage(public: bool):
    """The compulsory (primary + junior, never netted) shortage in 2025, 全市 = sum of counties."""
    def f(v: RunView) -> float:
        from ..places.tidy import with_city

        m = v.wb.places_model
        arr = m.public["compulsory"]["public_shortage"] if public else m.shortage["compulsory"]
        return _cell(with_city(arr, m.counties, CITY)[0], m.cap_years["compulsory"], PLAN_END)
    return f


def _negative(f):
    return lambda v: -f(v)


def _idle_2035(v: RunView) -> float:
    if v.wb.params.forecast.horizon != 2035:
        raise Missing(f"horizon is {v.wb.params.forecast.horizon}, not 2035")
    a = v.promises["compulsory_new_places"]
    return _cell(a["idle_at_horizon"][:, None], [a["target"]], a["target"])


def _hires(year: int | None):
    """Cumulative hires of all levels, 全市, as teacher_hiring.csv sums them (level by level)."""
    def f(v: RunView) -> float:
        from ..places.tidy import with_city

        tf = v.wb.teacher_flows
        total = None
        for lv in tf.flow:
            arr = tf.flow[lv]["hires"].cumsum(axis=1)
            total = arr if total is None else total + arr
        if total is None:
            raise Missing("hires_cumulative")
        yrs = np.asarray(tf.years)[:-1]
        return _cell(with_city(total, v.wb.result.counties, CITY)[0], yrs,
                     year if year is not None else int(yrs.max()))
    return f


def _status_count(status: str):
    def f(v: RunView) -> float:
        return float((v.wb.scorecard_tables["scorecard.csv"]["status"] == status).sum())
    return f


def _cost(quantity: str, year: int | None):
    """A city, all-level cumulative cost (万元) in ``year`` (None: the last projected year)."""
    def f(v: RunView) -> float:
        arrs, yrs = v.cost_arrays
        return _cell(arrs[("all", quantity)], yrs, year if year is not None else int(yrs.max()))
    return f


OUTPUTS: dict[str, Output] = {o.name: o for o in [
    Output("compulsory_surplus_2025_p50", ("places_model",),
           _promise("compulsory_new_places", "surplus"), "places",
           "promised 50,000 compulsory places minus the additional places needed in 2025 "
           "(median; negative = shortfall)"),
    Output("compulsory_prob_shortfall_2025", ("places_model",),
           _promise("compulsory_new_places", "prob_shortfall", col="mean"), "probability",
           "share of draws in which the compulsory promise falls short in 2025"),
    Output("preschool_surplus_2025_p50", ("places_model",),
           _promise("preschool_new_public_places", "surplus"), "places",
           "promised public kindergarten places minus the public places needed in 2025 (median)"),
    Output("senior_surplus_2025_p50", ("places_model",),
           _promise("senior_new_public_places", "surplus"), "places",
           "promised public general senior places minus the public places needed in 2025 (median)"),
    Output("compulsory_gap_2025_p50", ("places_model",),
           _negative(_shortage(public=False)), "places",
           "minus the compulsory shortage in 2025: primary + junior places missing, summed over "
           "counties (median; levels are never netted, so never positive)"),
    Output("compulsory_shortage_2025_p50", ("places_model",),
           _shortage(public=False), "places",
           "compulsory places missing in 2025, summed over the counties short of places (median)"),
    Output("compulsory_public_gap_2025_p50", ("places_model",),
           _negative(_shortage(public=True)), "places",
           "minus the public compulsory shortage in 2025 (primary + junior, median; never a "
           "net of levels)"),
    Output("junior_peak_year", ("result",),
           _peak("junior_secondary", "year"), "school year",
           "year of the highest median junior-secondary enrolment (from 2020)"),
    Output("junior_peak_p50", ("result",),
           _peak("junior_secondary", "value"), "pupils",
           "highest median junior-secondary enrolment (from 2020)"),
    Output("places_idle_2035", ("places_model",), _idle_2035, "places",
           "compulsory places of the promise needed only until the peak, idle by 2035 (median)"),
    Output("teacher_hires_2025", ("teacher_flows",), _hires(PLAN_END),
           "teachers", "full-time teachers hired from the stock year to 2025, all levels (median)"),
    Output("teacher_hires_total", ("teacher_flows",), _hires(None),
           "teachers", "full-time teachers hired from the stock year to the horizon (median)"),
    Output("targets_at_risk", ("scorecard_tables",), _status_count("at_risk"),
           "targets", "plan targets judged at_risk on the scorecard"),
    Output("total_cost", ("places_model", "teacher_flows"), _cost("total_cost_cumulative", None),
           "万元", "capital + salary cost from costs.first_year to the horizon, city, all "
           "levels (median)"),
    Output("total_cost_2025", ("places_model", "teacher_flows"), _cost("total_cost_cumulative", PLAN_END),
           "万元", "capital + salary cost from costs.first_year to 2025 (median)"),
    Output("capital_cost_2025", ("places_model", "teacher_flows"),
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
    view = RunView(wb)
    for name in names:
        o = OUTPUTS[name]
        absent = [n for n in o.needs if not hasattr(type(wb), n)]
        if absent:
            out[name] = (math.nan, f"stage {', '.join(absent)} not in this Workbench")
            continue
        try:
            out[name] = (o.func(view), "")
        except (Missing, KeyError) as err:
            out[name] = (math.nan, f"not found in {', '.join(o.needs)}: {err}")
    return out
