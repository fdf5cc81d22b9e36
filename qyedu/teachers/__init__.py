"""Teacher demand and the teacher stock: staff and full-time teachers needed under the
published ratios, the stock carried forward year by year (leavers, hires, surplus kept, no
layoffs; optional redeployment between levels) and the qualification mix, on Monte Carlo draws.

Modules: ``ratios`` (standards + sources), ``demand`` (teacher_demand rows), ``psychology``
(plan rule on psychology teachers), ``stock`` (baseline stock from published ratios),
``flow`` (the stock flow), ``qualifications``. Uses ``qyedu.places`` for class counts and
registry look-ups. ``flows()`` gives the draws that ``qyedu.costs`` prices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..params import RunParams
from ..places import plan_lookup as reg
from ..places.tidy import rows, with_city
from ..projection.result import CITY, ProjectionResult
from .bureau import by_county, read_counts
from .demand import FLOW_LEVELS, LEVELS, demand_rows, teacher_arrays
from .flow import Attrition, Redeploy, required_share, stock_flow
from .psychology import psych_required
from .qualifications import flow_shares, level_inputs, path_index, qualification_rows
from .ratios import ratios
from .stock import baseline_stock

__all__ = ["FLOW_LEVELS", "LEVELS", "TeacherFlows", "flows", "required_share", "stock_flow",
           "stock_year", "tables", "teacher_arrays"]
REDEPLOY = ("primary", "junior_secondary")  # source → destination of redeployment


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


@dataclass(frozen=True)
class TeacherFlows:
    """Draws of the teacher stock flow, both with and without redeployment.

    ``years`` : flow years, the stock baseline first; ``arrays`` : teacher_arrays (pupils,
    teachers needed per level, all projected years); ``stock0`` / ``stock_notes`` : baseline
    stock per level (D, C) and its source; ``variants`` : {"no_redeployment", "redeployment"}
    → level → stock_flow output; ``headline`` : the variant chosen by teachers.redeployment;
    ``quals`` : level → qualification inputs; ``base_index`` : index of years[0] in the
    projection's years."""

    years: np.ndarray
    arrays: dict
    stock0: dict
    stock_notes: dict
    variants: dict
    headline: str
    quals: dict
    base_index: int

    @property
    def flow(self) -> dict:
        return self.variants[self.headline]


def on_bureau(a: dict, lv: str, counts: pd.DataFrame, year: int, counties, ib: int,
              stock0: dict, notes: dict) -> None:
    """Put one level on the bureau's counts (in place): stock = its 专任教师; demand scaled
    so that in the count year it equals its posts (编制), or, without posts, its teachers —
    i.e. pupils × the bureau's own posts (teachers) per pupil. Levels without a count keep
    the model's basis."""
    p0 = a["pupils"][:, ib]
    have = by_county(counts, lv, "full_time_teachers", year, counties, p0)
    if have is None:
        return
    stock0[lv], src = have
    posts = by_county(counts, lv, "posts", year, counties, p0)
    target, tsrc = posts if posts is not None else (stock0[lv], src + " (no posts: demand "
                                                    "on the teachers' own ratio)")
    d0 = a["teachers"][:, ib]
    k = np.where(d0 > 0, target / np.where(d0 > 0, d0, 1), 1.0)
    a["teachers"] = a["teachers"] * k[:, None, :]
    a["rule"] = "bureau_counts"
    a["basis"] = f"pupils × the bureau's posts per pupil in {year} ({tsrc})"
    notes[lv] = f"bureau 专任教师 in {year} ({src})"


def flows(result: ProjectionResult, rp: RunParams, registry: pd.DataFrame,
          counts: pd.DataFrame | None = None) -> TeacherFlows:
    """Carry the teacher stock forward from the stock baseline year (see ``stock_year``).
    ``counts``: the bureau's teacher counts (default: the drop-in file if present)."""
    registry = reg.load_registry(registry)
    tp = rp.teachers
    arrays = teacher_arrays(result, rp, ratios(tp))
    years = np.asarray(result.years)
    ib = _base_index(years, stock_year(result, rp.forecast.base_year))
    counts = read_counts() if counts is None else counts
    demand, stock0, notes = {}, {}, {}
    for lv, a in arrays.items():
        stock0[lv], notes[lv] = baseline_stock(lv, tp.basis, a["pupils"][:, ib],
                                               a["teachers"][:, ib])
        if counts is not None:
            on_bureau(a, lv, counts, int(years[ib]), result.counties, ib, stock0, notes)
        demand[lv] = a["teachers"][:, ib:]
    att = Attrition.from_params(tp)
    quals = {lv: level_inputs(registry, lv, tp) for lv in arrays}
    qb, qh = {}, {}
    for lv, inp in quals.items():
        qb[lv], qh[lv] = flow_shares(inp, tp.hire_qual_share)
    src = stock0[REDEPLOY[0]]
    tot = src.sum(axis=1, keepdims=True)
    cap = tp.redeploy_per_year * src / np.where(tot > 0, tot, 1)
    variants = {
        "no_redeployment": stock_flow(demand, stock0, att, qb, qh),
        "redeployment": stock_flow(demand, stock0, att, qb, qh,
                                   Redeploy(*REDEPLOY, cap, tp.redeploy_qualified_share)),
    }
    for v in variants.values():
        check_flow(v)
    return TeacherFlows(years[ib:], arrays, stock0, notes, variants,
                        "redeployment" if tp.redeployment else "no_redeployment", quals, ib)


def check_flow(flow: dict) -> None:
    """Consistency of a stock flow on every draw (run on every build): no negative stock,
    leavers, hires or transfers; stock(t+1) = stock(t) − leavers + hires + transfers; transfers
    conserved across levels. Raises CheckError naming the level."""
    from ..checks import CheckError

    problems, moved = [], 0.0
    for lv, f in flow.items():
        for q in ("stock", "leavers", "hires", "transfers_in", "transfers_out"):
            if (f[q] < -1e-9).any():
                problems.append(f"{lv}: negative {q}")
        nxt = (f["stock"][:, :-1] - f["leavers"] + f["hires"] + f["transfers_in"]
               - f["transfers_out"])
        if not np.allclose(nxt, f["stock"][:, 1:], rtol=1e-9, atol=1e-6):
            problems.append(f"{lv}: stock(t+1) != stock(t) - leavers + hires + transfers")
        moved = moved + f["transfers_in"].sum() - f["transfers_out"].sum()
    if abs(moved) > 1e-6:
        problems.append(f"transfers not conserved across levels ({moved:g})")
    if problems:
        raise CheckError("teacher stock flow: " + "; ".join(problems))


FLOW_NOTE = ("flows of year t happen at its end: leavers leave after school year t, hires "
             "start in t+1; stock(t+1) = stock(t) - leavers(t) + hires(t) + transfers_in(t) - "
             "transfers_out(t)")


def _attrition_text(rp: RunParams) -> str:
    tp = rp.teachers
    if tp.attrition_model == "flat":
        return f"attrition {tp.attrition_rate:g}/yr (assumption), leavers with the average mix"
    return (f"cohort model: {tp.career_years} career years, oldest retire, quits "
            f"{tp.quit_rate:g}/yr, older {tp.older_window_years} years hold {tp.older_share:g} "
            "of the baseline stock (assumptions)")


def hiring_rows(result: ProjectionResult, rp: RunParams, tf: TeacherFlows) -> pd.DataFrame:
    """teacher_hiring rows: per level (and all levels), county and year, the stock flow
    (demand, stock, surplus, shortfall, leavers, hires, transfers) of the headline variant,
    hires and surplus under both variants, cumulative hires, and the baseline gap."""
    sc, fy = result.scenario, tf.years
    head = tf.flow
    red = tf.headline == "redeployment"
    totals: dict[str, tuple] = {}
    frames = []

    def add(arr, yrs, lv, q, basis, note="city = sum of counties"):
        full, cty = with_city(arr, result.counties, CITY)
        frames.append(rows(full, yrs, cty, lv, q, sc, basis=basis, note=note))

    for lv in head:
        f = head[lv]
        basis = (f"teachers_needed ({tf.arrays[lv]['rule']}); {_attrition_text(rp)}; baseline "
                 f"{fy[0]} stock: {tf.stock_notes[lv]}")
        series = {
            "demand": (f["demand"], fy, "full-time teachers needed (teacher_demand.csv)"),
            "stock": (f["stock"], fy, "teachers in post; surplus carried, never laid off"),
            "surplus": (np.clip(f["stock"] - f["demand"], 0, None), fy, "stock - demand where "
                        "positive"),
            "shortfall": (np.clip(f["demand"] - f["stock"], 0, None), fy, "demand - stock where "
                          "positive (only at the baseline: hires fill every later gap)"),
            "leavers": (f["leavers"], fy[:-1], FLOW_NOTE),
            "hires": (f["hires"], fy[:-1], FLOW_NOTE),
            "hires_cumulative": (f["hires"].cumsum(axis=1), fy[:-1], "running sum of hires"),
        }
        if red:
            series["transfers_in"] = (f["transfers_in"], fy[:-1], FLOW_NOTE)
            series["transfers_out"] = (f["transfers_out"], fy[:-1], FLOW_NOTE)
        for v, vf in tf.variants.items():
            series[f"hires_{v}"] = (vf[lv]["hires"], fy[:-1], f"variant: {v}; {FLOW_NOTE}")
            series[f"hires_{v}_cumulative"] = (vf[lv]["hires"].cumsum(axis=1), fy[:-1],
                                               f"variant: {v}; running sum of hires")
            series[f"surplus_{v}"] = (np.clip(vf[lv]["stock"] - vf[lv]["demand"], 0, None), fy,
                                      f"variant: {v}; stock - demand where positive")
        for q, (arr, yrs, note) in series.items():
            add(arr, yrs, lv, q, basis, note + ("; city = sum of counties" if note else ""))
            prev = totals.get(q)
            totals[q] = (arr if prev is None else prev[0] + arr, yrs, note)
        gap = (tf.stock0[lv] - f["demand"][:, 0])[:, None, :]
        add(gap, fy[:1], lv, "baseline_gap", basis, "baseline stock - demand on ONE basis "
            "(teachers.basis, or the bureau's counts): 0 unless the bureau's counts differ from "
            "its posts; city = sum of counties")
        prev = totals.get("baseline_gap")
        totals["baseline_gap"] = (gap if prev is None else prev[0] + gap, fy[:1], "")
    for q, (arr, yrs, note) in totals.items():
        add(arr, yrs, "all", q, "sum of " + ", ".join(head),
            "; ".join(x for x in (note, "sum of levels (a surplus in one level does not cover "
                                        "another unless redeployed)", "city = sum of counties") if x))
    return pd.concat(frames, ignore_index=True)


def tables(
    result: ProjectionResult, rp: RunParams, registry: pd.DataFrame,
    flows_: TeacherFlows | None = None,
) -> dict[str, pd.DataFrame]:
    """``teacher_demand.csv``, ``teacher_hiring.csv`` and ``teacher_qualifications.csv``.

    ``registry`` is the plan registry (``qyedu.plan.load_indicators()``, loaded when None);
    it supplies school counts and the qualification baselines and targets. ``flows_`` are the
    stock-flow draws (``flows()``; computed when None)."""
    registry = reg.load_registry(registry)
    tf = flows_ if flows_ is not None else flows(result, rp, registry)
    r = ratios(rp.teachers)
    years, sc = np.asarray(result.years), result.scenario
    arrays = tf.arrays
    demand = [demand_rows(result, arrays, r)]
    city_pupils = {lv: a["pupils"].sum(axis=2) for lv, a in arrays.items()}
    for lv, (req, basis) in psych_required(city_pupils, years, registry, rp.teachers, r).items():
        demand.append(rows(req, years, CITY, lv, "psych_teachers_required", sc, rule="plan_psych",
                           basis=basis, note="sensitivity: school-size distribution not published"))
    quals = []
    for lv, inputs in tf.quals.items():
        for inp, idx in zip(inputs, path_index(inputs), strict=True):
            quals.append(qualification_rows(lv, inp, idx, tf.flow[lv], tf.years,
                                            rp.teachers.hire_qual_share, sc))
    return {
        "teacher_demand.csv": pd.concat(demand, ignore_index=True),
        "teacher_hiring.csv": hiring_rows(result, rp, tf),
        "teacher_qualifications.csv": pd.concat(quals, ignore_index=True),
    }
