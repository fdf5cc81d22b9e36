"""Three answers to "how many places?", side by side, **per level** (preschool, primary,
junior_secondary, senior_general) and year (全市); ``compulsory`` appears only as the SUM of
the primary and junior figures (per draw), never as a net of the two. Each row names its
promise. Basis: all places for primary / junior (the compulsory promise says 学位); public
places for preschool and general senior (公办学位).

(a) ``promise`` — additional places needed since 2020 (2020 treated as fully served):
    ``promise_need`` per level; for the group, the sum over its levels of max(0, level need)
    (a level whose pupils fall frees no place for the other); ``promise_surplus`` (promised −
    need, group rows only);
(b) ``capacity`` — places needed against capacity (baseline with overcrowding + delivered +
    planned): ``capacity_shortage`` (sum of county shortages: what must still be built),
    ``prob_shortage`` (share of draws with any county short), ``capacity_net_gap`` (capacity −
    need netted over the counties of ONE level; no compulsory row), ``pipeline_places``;
(c) ``peak`` — ``shortage_peak_year`` (median year of the largest shortage: shown first),
    ``shortage_at_peak``, ``needed_until_peak_only`` (the part gone by the horizon: build it
    as temporary or convertible space), ``idle_at_horizon`` (idle places at the horizon,
    summed over counties).

The rows go to places_answers.csv; ``qyedu.views.places`` lays them side by side.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..params import RunParams
from ..projection.result import CITY
from ..stats import SUMMARY_COLUMNS
from .model import COMPULSORY, LEVELS, PlacesModel
from .promises import PROMISES, analyse, promise_value
from .public import GROUP_OF, public_share
from .tidy import rows

GROUP_PROMISE = {spec["group"]: pid for pid, spec in PROMISES.items()}
ANSWER_LEVELS = (*LEVELS, "compulsory")
PUBLIC_GROUP = {pid: spec["public"] for pid, spec in PROMISES.items()}


def basis_arrays(m: PlacesModel, level: str, public: bool):
    """Need, capacity and shortage by county (D, Y', C) of a level in the promise's basis;
    for ``compulsory`` the shortage is the sum of the level shortages."""
    if public:
        pv = m.public[level]
        return pv["public_need"], pv["public_capacity"], pv["public_shortage"]
    return m.need_on_cap[level], m.capacity[level], m.shortage[level]


def level_shortage(m: PlacesModel, level: str) -> tuple[np.ndarray, np.ndarray]:
    """City shortage (D, Y') of a level in its promise's basis (sum of county shortages) and
    its years; compulsory = primary + junior shortages."""
    pid = GROUP_PROMISE[GROUP_OF[level]]
    _, _, short = basis_arrays(m, level, PROMISES[pid]["public"])
    return short.sum(axis=2), m.cap_years[level]


def _need_rows(m, rp, registry, level, pid, sc) -> list[pd.DataFrame]:
    """(a) rows of one level: promise_need (and, for a group, promise_surplus)."""
    pp, spec = rp.places, PROMISES[pid]
    g = spec["group"]
    promised, target, src, _ = promise_value(registry, pid)
    share = (public_share(pp, registry, g, m.years, pp.promise_base_year)[0] if spec["public"]
             else np.ones(len(m.years)))
    parts = COMPULSORY if level == "compulsory" else (level,)
    demand = [m.pupils[lv].sum(axis=2) * share[None, :] for lv in parts]
    base = pp.promise_base_year if pp.promise_base_year in m.years else int(m.years.min())
    a = analyse(demand if len(parts) > 1 else demand[0], m.years, promised, base, target)
    word = "public places (公办学位)" if spec["public"] else "all places (学位)"
    how = (f"(a) {word}: sum over primary and junior of max(0, level need in year − in {base})"
           if len(parts) > 1 else f"(a) {word} needed in year − in {base} (baseline fully "
           "served)")
    out = [rows(a["need"], a["years"], CITY, level, "promise_need", sc, basis=how, note=src,
                promise=pid)]
    if level == g:
        out.append(rows(a["surplus"], a["years"], CITY, level, "promise_surplus", sc,
                        basis=f"(a) promised {promised:g} − promise_need",
                        note="negative = shortfall", promise=pid))
        out.append(rows(a["idle_at_horizon"][:, None], [int(m.years.max())], CITY, level,
                        "promise_idle_at_horizon", sc, basis="(a/c) part of the promise needed "
                        "only until the peak, idle at the horizon", note="", promise=pid))
    return out


def _capacity_rows(m, level, pid, sc) -> list[pd.DataFrame]:
    """(b) and (c) rows of one level."""
    public = PROMISES[pid]["public"]
    need, cap, short_c = basis_arrays(m, level, public)
    yrs = m.cap_years[level]
    word = "public places (公办学位)" if public else "all places (学位)"
    short = short_c.sum(axis=2)
    summed = " (compulsory = primary + junior shortages: levels never netted)" \
        if level == "compulsory" else ""
    out = [rows(short, yrs, CITY, level, "capacity_shortage", sc, basis=(
        f"(b) {word}: sum over counties of max(0, need − capacity){summed}; capacity = "
        "baseline with overcrowding + delivered + planned"), note="what must still be built; "
        "no netting across counties or levels", promise=pid),
        rows((short > 0.5).astype(float), yrs, CITY, level, "prob_shortage", sc,
             basis="(b) share of draws in which some county is short of places of this level",
             note="mean = probability", promise=pid)]
    if level != "compulsory":
        out.append(rows(cap.sum(axis=2) - need.sum(axis=2), yrs, CITY, level,
                        "capacity_net_gap", sc, basis="(b) capacity − need of this level, "
                        "netted over counties (not over levels)", note="negative = net "
                        "shortage", promise=pid))
    lv = COMPULSORY if level == "compulsory" else (level,)
    pipe = m.pipeline[m.pipeline["level"].isin(lv)].groupby("year")["places"].sum()
    cum = np.array([pipe[pipe.index <= y].sum() for y in yrs])
    out.append(rows(np.broadcast_to(cum, (1, len(cum))), yrs, CITY, level, "pipeline_places",
                    sc, basis="(b) places delivered + planned opening up to the year "
                    "(places.csv; all public)", note="", promise=pid))
    peak_i = short.argmax(axis=1)
    peak_short = short.max(axis=1)
    h = int(yrs[-1])
    idle = (cap[:, -1, :] - need[:, -1, :]).clip(min=0).sum(axis=1) if level != "compulsory" \
        else m.idle["compulsory"][:, -1, :].sum(axis=1)
    for q, d, b in (
        ("shortage_peak_year", yrs[peak_i].astype(float), "(c) year of the largest sum of "
         "county shortages"),
        ("shortage_at_peak", peak_short, "(c) largest sum of county shortages"),
        ("needed_until_peak_only", peak_short - short[:, -1], f"(c) shortage at its peak − "
         f"shortage in {h}: places needed only until the peak"),
        ("idle_at_horizon", idle, f"(c) sum over counties of max(0, capacity − need) in {h}"
         + (" per level" if level == "compulsory" else "")),
    ):
        out.append(rows(d[:, None], [h], CITY, level, q, sc, basis=b, note="", promise=pid))
    return out


def answer_rows(m: PlacesModel, rp: RunParams, registry: pd.DataFrame) -> pd.DataFrame:
    """places_answers rows (promise, year, level, county, scenario, quantity, quantiles …),
    one block per level in ``ANSWER_LEVELS``."""
    frames = []
    for level in ANSWER_LEVELS:
        pid = GROUP_PROMISE[GROUP_OF[level]]
        frames += _need_rows(m, rp, registry, level, pid, m.scenario)
        frames += _capacity_rows(m, level, pid, m.scenario)
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype("int64")
    cols = ["promise", "year", "level", "county", "scenario", "quantity", *SUMMARY_COLUMNS,
            "basis", "note"]
    return out[cols]
