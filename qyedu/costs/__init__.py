"""Costs of the plan's places and of the teacher stock, on the same Monte Carlo draws as the
projection, places and teachers (so every cost has p05/p50/p95): costs.csv and cost_units.csv.

Money: 万元 (10,000 yuan) at 2022 prices (published project costs and wages not deflated:
no price index in data/raw). Per level and year (全市):
- ``capital_cost`` — places built for the **modelled need** (``capital.build_schedule``, per
  county, summed) × capital cost per place; ``capital_cost_promise`` — the plan's promises
  (≥50,000 compulsory, ≥25,000 public preschool, ~7,400 public general senior places)
  delivered evenly over 2021–2025 × the same unit costs; ``capital_cost_idle`` /
  ``capital_cost_idle_promise`` — the capital value of places built but idle in that year
  (after the peak); ``*_low_unit`` / ``*_high_unit`` — the same at the ends of the unit-cost
  range.
- ``salary_cost`` — teachers in post (the stock flow of ``qyedu.teachers``) × pay per teacher
  × (1 + on-costs) × (1 + real wage growth)^(year − 2022); ``salary_cost_public`` × public share.
- ``total_cost`` = capital_cost + salary_cost; ``cost_per_pupil`` and ``salary_per_pupil`` in
  元; running sums ``*_cumulative`` from ``costs.first_year``.

Modules: ``units`` (unit costs with sources), ``capital`` (build and idle schedules),
``adapter`` (the only link to ``qyedu.places``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..params import RunParams
from ..places import plan_lookup as reg
from ..places.tidy import constant_rows, rows
from ..projection.result import CITY, ProjectionResult
from . import adapter
from .capital import build_schedule, promise_schedule
from .place_plan import plan_table
from .units import (
    PRICE_BASE,
    capital_cost,
    land_per_place,
    read_costs,
    reference_spending,
    salary,
    unit_table,
)

__all__ = ["LEVELS", "build_schedule", "promise_schedule", "tables"]
LEVELS = ("preschool", "primary", "junior_secondary", "senior_general", "senior_vocational")
WAN = 1e4  # yuan per 万元
WAGE_YEAR = 2022
MONEY = f"万元 (10,000 yuan), {PRICE_BASE}"


def _salary_factor(years, cp) -> np.ndarray:
    """(1 + on-costs) × (1 + real wage growth)^(year − 2022), per year."""
    return (1 + cp.employer_oncost_rate) * (1 + cp.real_wage_growth) ** (np.asarray(years) - WAGE_YEAR)


def teacher_stock(result: ProjectionResult, rp: RunParams, tf) -> dict[str, np.ndarray]:
    """Level → city teachers in post (D, Y) over all projected years: the stock flow from its
    baseline on; before it, the demand on the same basis (``teachers.basis``)."""
    out = {}
    for lv in LEVELS:
        if lv not in tf.flow:
            continue
        pre = tf.arrays[lv]["teachers"][:, :tf.base_index]
        out[lv] = np.concatenate([pre, tf.flow[lv]["stock"]], axis=1).sum(axis=2)
    return out


CUMULATIVE = ("capital_cost", "capital_cost_promise", "salary_cost_public", "total_cost",
              "salary_cost_private", "salary_cost_increment_public", "salary_cost_public_nominal",
              "salary_cost_increment_public_nominal", "capital_cost_nominal",
              "capital_cost_programme_nominal", "land_needed_m2", "land_cost",
              "salary_cost_public_low_unit", "salary_cost_public_high_unit",
              "capital_cost_programme", "capital_cost_beyond_capacity",
              "capital_cost_programme_low_unit", "capital_cost_programme_high_unit",
              "capital_cost_low_unit", "capital_cost_high_unit", "capital_cost_promise_low_unit",
              "capital_cost_promise_high_unit")
NOT_MONEY = ("places_built", "places_idle", "places_promised_built", "teachers_stock",
             "places_beyond_capacity", "places_programme", "teachers_stock_public",
             "teachers_extra_public", "land_needed_m2", "land_needed_m2_cumulative")


def tables(result: ProjectionResult, rp: RunParams, places_tables: dict | None = None,
           teacher_tables: dict | None = None, registry: pd.DataFrame | None = None,
           flows=None, costs: pd.DataFrame | None = None,
           places_model=None) -> dict[str, pd.DataFrame]:
    """``costs.csv`` (tidy: year, level, county, scenario, quantity, mean, p05, p50, p95,
    basis, note) and ``cost_units.csv`` (every unit cost with its source and range).

    ``places_tables`` / ``teacher_tables`` are the outputs of the places and teacher stages
    (kept for the call path; the draws come from ``result`` and ``flows``, the teacher stock
    flow of ``qyedu.teachers.flows``, and ``places_model``, the places stage's arrays
    (``qyedu.places.compute``), each computed when None). ``costs`` replaces
    data/raw/costs_counties.csv (tests)."""
    pm = places_model if places_model is not None else adapter.places_model(
        result, rp, reg.load_registry(registry))
    arrs, meta, yrs, units, wage, refs = cost_arrays(result, rp, registry, flows, costs, pm)
    sc, frames = result.scenario, []
    for (lv, q), arr in arrs.items():
        basis, note = meta[(lv, q)]
        money = q not in NOT_MONEY and not q.endswith("per_pupil")
        frames.append(rows(arr, yrs, CITY, lv, q, sc, basis=(f"{MONEY}; " if money else "")
                           + basis, note=note))
    for lv in (*LEVELS, "all"):
        if lv in refs:
            v, src = refs[lv]
            frames.append(constant_rows(v, year=2022, level=lv, county=CITY, scenario=sc,
                                        quantity="reference_spending_per_pupil",
                                        basis=f"元 per pupil, {src}",
                                        note="all public education spending, for comparison "
                                        "with cost_per_pupil"))
    out = pd.concat(frames, ignore_index=True)
    return {"costs.csv": out, "cost_units.csv": unit_table(units, wage),
            "place_plan.csv": plan_table(pm, rp, units)}


def cost_arrays(result: ProjectionResult, rp: RunParams, registry: pd.DataFrame | None,
                flows=None, costs: pd.DataFrame | None = None, places_model=None):
    """The draws behind costs.csv: {(level, quantity): (D, Y) array}, {(level, quantity):
    (basis, note)}, the years, unit costs, salary and reference spending."""
    from .. import teachers

    registry = reg.load_registry(registry)
    tf = flows if flows is not None else teachers.flows(result, rp, registry)
    cp = rp.costs
    table = read_costs() if costs is None else costs
    units = {lv: capital_cost(lv, table, getattr(cp, f"capital_cost_{k}"), cp.capital_unit_basis)
             for lv, k in zip(LEVELS, ("preschool", "primary", "junior", "senior", "vocational"),
                              strict=True)}
    land = land_per_place(table, cp)
    wage = salary(table, cp.salary_per_teacher)
    years = np.asarray(result.years)
    base = rp.places.promise_base_year if rp.places.promise_base_year in years else int(years[0])
    ib = int(np.flatnonzero(years == base)[0])
    after = years[ib + 1:]
    keep = after >= cp.first_year
    yrs = after[keep]
    pm = places_model if places_model is not None else adapter.places_model(result, rp, registry)
    needed, nbasis = adapter.places_needed(result, rp, registry, pm)
    capview = adapter.capacity_view(pm, registry, after)
    shares = {lv: (sh[ib + 1:][keep], src) for lv, (sh, src) in
              adapter.public_shares(rp, registry, years).items()}
    stock = teacher_stock(result, rp, tf)
    li = {lv: i for i, lv in enumerate(result.levels)}
    pupils = {lv: result.enrolled[:, ib + 1:, li[lv], :].sum(axis=2)[:, keep].astype(float)
              for lv in LEVELS}
    promise = _promises(needed, registry, ib, after)
    sal_f = _salary_factor(yrs, cp)
    pay_f = (1 + cp.real_wage_growth) ** (yrs - WAGE_YEAR)  # pay without public on-costs
    nominal = (1 + cp.inflation_rate) ** (yrs - WAGE_YEAR)
    nom_basis = (f"× (1 + {cp.inflation_rate:g})^(year − {WAGE_YEAR}), price index "
                 f"{cp.price_index} (costs.price_index, costs.inflation_rate)")
    stock_year = int(tf.years[0])
    i_stock = int(np.clip(np.searchsorted(yrs, stock_year), 0, len(yrs) - 1))
    arrs: dict[tuple[str, str], np.ndarray] = {}
    meta: dict[tuple[str, str], tuple[str, str]] = {}

    def add(lv, q, arr, basis, note=""):
        arrs[(lv, q)], meta[(lv, q)] = np.asarray(arr, dtype=float), (basis, note)

    for lv in LEVELS:
        u = units[lv]
        s = build_schedule(needed[lv], ib)
        built = s["built"].sum(axis=2)[:, keep]
        idle = s["idle"].sum(axis=2)[:, keep]
        b = f"places built (per county, running peak of need above {base}; {nbasis[lv]})"
        ub = f"{u.value:.4g} {u.unit} ({u.basis})"
        add(lv, "places_built", built, b, "places, not money")
        add(lv, "capital_cost", built * u.value, f"{b} × {ub}")
        add(lv, "capital_cost_low_unit", built * u.low, f"places_built × {u.low:.4g} {u.unit} "
            "(low end of the range)")
        add(lv, "capital_cost_high_unit", built * u.high, f"places_built × {u.high:.4g} "
            f"{u.unit} (high end of the range)")
        add(lv, "places_idle", idle, "places built for the modelled need and idle this year "
            "(need below its earlier peak)", "places, not money")
        add(lv, "capital_cost_idle", idle * u.value, f"places_idle × {ub}",
            "capital value of idle places (a stock in that year, not spending)")
        total = built * u.value
        if lv in promise:
            pb, pidle, src = (x[:, keep] if isinstance(x, np.ndarray) else x for x in promise[lv])
            add(lv, "places_promised_built", pb, f"promise ({src}) delivered evenly over the "
                "plan years", "places, not money")
            add(lv, "capital_cost_promise", pb * u.value, f"promised places ({src}) × {ub}")
            add(lv, "capital_cost_promise_low_unit", pb * u.low, f"promised places × {u.low:.4g}")
            add(lv, "capital_cost_promise_high_unit", pb * u.high,
                f"promised places × {u.high:.4g}")
            add(lv, "capital_cost_idle_promise", pidle * u.value, "promised places built and "
                f"idle this year (city need below the places built) × {ub}",
                "capital value of idle promised places (a stock, not spending)")
        if lv in capview:
            cv = capview[lv]
            extra = _on_years(_built(cv["shortage"]).sum(axis=2), cv["years_cap"], yrs)
            b2 = (f"places to build beyond capacity (running peak of county shortages: "
                  f"{cv['shortage_basis']}; built before {int(yrs[0])} counted in {int(yrs[0])})")
            add(lv, "places_beyond_capacity", extra, b2, "places, not money")
            add(lv, "capital_cost_beyond_capacity", extra * u.value, f"{b2} × {ub}",
                "what must still be built after the programme")
            prog = np.broadcast_to(cv["programme"][keep], built.shape)
            add(lv, "places_programme", prog, cv["programme_basis"], "places, not money")
            add(lv, "capital_cost_programme", prog * u.value, f"{cv['programme_basis']} × {ub}",
                "the 14th FYP's place programme as delivered and planned (larger than the "
                "promises)")
            add(lv, "capital_cost_programme_low_unit", prog * u.low, f"programme × {u.low:.4g}")
            add(lv, "capital_cost_programme_high_unit", prog * u.high, f"programme × {u.high:.4g}")
        if lv in capview and lv in land:
            m2, lsrc = land[lv]
            add(lv, "land_needed_m2", prog * m2, f"places_programme × {m2:g} m² per place "
                f"({lsrc})", "m², not money")
            add(lv, "land_cost", prog * m2 * cp.land_price_per_m2 / WAN, f"land_needed_m2 × "
                f"{cp.land_price_per_m2:g} 元/m² (costs.land_price_per_m2)", "0 = allocated "
                "land (划拨), no cash outlay")
        if lv in stock:
            st = stock[lv][:, ib + 1:][:, keep]
            share = shares[lv][0][None, :]
            st_pub = st * share
            pay = f"{wage.value:,.0f} {wage.unit} ({wage.basis})"
            sb = (f"PUBLIC teachers only: teachers in post (teacher_hiring.csv stock, "
                  f"{tf.headline}) × public share of pupils ({shares[lv][1]}) × {pay} × (1 + "
                  f"{cp.employer_oncost_rate:g} employer on-costs: costs.employer_oncost_rate) "
                  f"× (1 + {cp.real_wage_growth:g} real wage growth)^(year-{WAGE_YEAR})")
            sal = st_pub * wage.value * sal_f / WAN
            add(lv, "teachers_stock", st, "teachers in post, public and private (before the "
                "stock baseline: the demand on the same basis)", "teachers, not money")
            add(lv, "teachers_stock_public", st_pub, "teachers_stock × public share of pupils",
                "teachers, not money")
            add(lv, "salary_cost_public", sal, sb, "public budget: pay + employer on-costs of "
                "public-school teachers; no non-teaching staff, no operating costs")
            add(lv, "salary_cost_private", st * (1 - share) * wage.value * pay_f / WAN,
                f"private-school teachers × {pay} × real wage growth (no public on-costs)",
                "not a public budget item: paid by private schools, shown apart")
            extra = np.clip(st_pub - st_pub[:, [i_stock]], 0, None)
            extra[:, :i_stock] = 0.0
            add(lv, "teachers_extra_public", extra, f"public teachers above the {stock_year} "
                "stock (the increment the plan decides)", "teachers, not money")
            add(lv, "salary_cost_increment_public", extra * wage.value * sal_f / WAN,
                f"teachers_extra_public × {wage.value:,.0f} × (1 + {cp.employer_oncost_rate:g}) "
                f"× real wage growth", "the increment: extra public teachers above the "
                f"{stock_year} stock; the running payroll is salary_cost_public")
            add(lv, "salary_cost_public_low_unit", st_pub * wage.low * sal_f / WAN,
                f"teachers_stock_public × {wage.low:,.0f} {wage.unit} (low end)")
            add(lv, "salary_cost_public_high_unit", st_pub * wage.high * sal_f / WAN,
                f"teachers_stock_public × {wage.high:,.0f} {wage.unit} (high end)")
            add(lv, "salary_cost_public_nominal", sal * nominal, f"salary_cost_public {nom_basis}",
                "nominal yuan of each year")
            add(lv, "salary_cost_increment_public_nominal",
                extra * wage.value * sal_f / WAN * nominal,
                f"salary_cost_increment_public {nom_basis}", "nominal yuan of each year")
            total = total + sal
        if lv in capview:
            add(lv, "capital_cost_programme_nominal", prog * u.value * nominal,
                f"capital_cost_programme {nom_basis}", "nominal yuan of each year")
        add(lv, "capital_cost_nominal", built * u.value * nominal, f"capital_cost {nom_basis}",
            "nominal yuan of each year")
        add(lv, "total_cost", total, "capital_cost + salary_cost_public (public budget)")
    for q in dict.fromkeys(q for _, q in list(arrs)):
        parts = [arrs[(lv, q)] for lv in LEVELS if (lv, q) in arrs]
        add("all", q, sum(parts), "sum of levels: " + meta[(LEVELS[0], q)][0].split(" (")[0]
            if (LEVELS[0], q) in meta else "sum of levels", meta[next(
                (lv, q) for lv in LEVELS if (lv, q) in meta)][1])
    pupils["all"] = sum(pupils.values())
    pub_pupils = {lv: pupils[lv] * shares[lv][0][None, :] for lv in LEVELS}
    pub_pupils["all"] = sum(pub_pupils.values())
    for lv in (*LEVELS, "all"):
        if (lv, "salary_cost_public") in arrs:
            p = np.where(pub_pupils[lv] > 0, pub_pupils[lv], np.nan)
            add(lv, "cost_per_pupil", arrs[(lv, "total_cost")] * WAN / p,
                f"元 per public pupil, {PRICE_BASE}: total_cost ÷ projected public pupils",
                "capital + public teachers' pay and on-costs only (no non-teaching staff, no "
                "operating costs): compare reference_spending_per_pupil")
            add(lv, "salary_per_pupil", arrs[(lv, "salary_cost_public")] * WAN / p,
                f"元 per public pupil, {PRICE_BASE}: salary_cost_public ÷ projected public "
                "pupils", "")
        for q in CUMULATIVE:
            if (lv, q) in arrs:
                add(lv, f"{q}_cumulative", np.cumsum(arrs[(lv, q)], axis=1),
                    f"running sum of {q} from {int(yrs[0])}", "")
    check_costs(arrs)
    return arrs, meta, yrs, units, wage, reference_spending(table)


def check_costs(arrs: dict) -> None:
    """No negative cost or quantity in any draw; level ``all`` = sum of the levels (run on
    every build). Raises CheckError naming the quantity."""
    from ..checks import CheckError

    bad = [f"{lv}/{q}" for (lv, q), a in arrs.items() if (a < -1e-6).any()]
    for (lv, q), a in arrs.items():
        parts = [arrs[(x, q)] for x in LEVELS if (x, q) in arrs]
        if lv == "all" and not q.endswith("per_pupil") and parts and \
                not np.allclose(a, sum(parts)):
            bad.append(f"all/{q} != sum of levels")
    if bad:
        raise CheckError("costs: " + ", ".join(bad))


def _built(shortage: np.ndarray) -> np.ndarray:
    """Places built each year to keep up with the running peak of a shortage (D, Y, …)."""
    peak = np.maximum.accumulate(shortage, axis=1)
    return np.diff(peak, axis=1, prepend=0.0)


def _on_years(arr: np.ndarray, src_years, years) -> np.ndarray:
    """(D, Y_src) → (D, Y) on ``years``; values of earlier source years go to the first year."""
    src_years, years = np.asarray(src_years), np.asarray(years)
    out = np.zeros((arr.shape[0], len(years)))
    for j, y in enumerate(src_years):
        k = int(np.clip(np.searchsorted(years, y), 0, len(years) - 1))
        if y <= years[-1]:
            out[:, k] += arr[:, j]
    return out


def _promises(needed: dict, registry, ib: int, after: np.ndarray) -> dict:
    """Level → (places promised built per year, promised places idle, source) (D, Y'),
    compulsory split between primary and junior by their base-year places."""
    out = {}
    prom = adapter.promises(registry)
    city = {lv: a.sum(axis=2) for lv, a in needed.items()}
    groups = {"preschool": ("preschool",), "compulsory": ("primary", "junior_secondary"),
              "senior_general": ("senior_general",)}
    for group, levels in groups.items():
        value, target, src = prom[group]
        dem = sum(city[lv] for lv in levels)
        need = dem[:, ib + 1:] - dem[:, [ib]]
        base_year = int(after[0]) - 1
        s = promise_schedule(value, after, base_year, target, need)
        base_tot = sum(city[lv][:, ib] for lv in levels)
        for lv in levels:
            share = (city[lv][:, ib] / np.where(base_tot > 0, base_tot, 1))[:, None]
            how = src if len(levels) == 1 else f"{src}; split by base-year places"
            out[lv] = (s["built"] * share, s["idle"] * share, how)
    return out
