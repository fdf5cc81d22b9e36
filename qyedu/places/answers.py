"""Three answers to "how many places?", side by side, per promise group and year (全市), all
in the promise's basis (total places for compulsory — the promise says 学位; public places
for preschool and general senior — 公办学位):

(a) ``promise`` — additional places needed since 2020 against the promise (2020 treated as
    fully served): ``promise_need``, ``promise_surplus`` (promised − need);
(b) ``capacity`` — places needed against capacity (baseline with overcrowding + delivered +
    planned): ``capacity_shortage`` (sum of county shortages: what must still be built) and
    ``capacity_net_gap`` (capacity − need, netted over counties); ``pipeline_places``
    (delivered + planned since 2021, cumulative);
(c) ``peak`` — ``needed_until_peak_only``: the part of the county shortages at their peak
    that is gone by the horizon (build it as temporary or convertible space), and
    ``idle_at_horizon``: places standing empty at the horizon, summed over counties.

The rows go to places_answers.csv; ``qyedu.views.places.answers`` lays them side by side
and writes the sentence that reconciles them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..params import RunParams
from ..projection.result import CITY
from ..stats import SUMMARY_COLUMNS
from .model import PlacesModel
from .promises import PROMISES, analyse, promise_value
from .public import public_share
from .tidy import rows

GROUP_PROMISE = {spec["group"]: pid for pid, spec in PROMISES.items()}


def basis_arrays(m: PlacesModel, group: str, public: bool):
    """Need and capacity by county (D, Y', C) in the promise's basis."""
    if public:
        pv = m.public[group]
        return pv["public_need"], pv["public_capacity"]
    return m.need_on_cap[group], m.capacity[group]


def answer_rows(m: PlacesModel, rp: RunParams, registry: pd.DataFrame) -> pd.DataFrame:
    """places_answers rows (promise, year, level, county, scenario, quantity, quantiles …)."""
    pp, sc = rp.places, m.scenario
    frames = []
    for pid, spec in PROMISES.items():
        g, public = spec["group"], spec["public"]
        promised, target, src, _ = promise_value(registry, pid)
        share, share_src = ((public_share(pp, registry, g, m.years, pp.promise_base_year)[0],
                             "public") if public else (np.ones(len(m.years)), "total"))
        demand = m.pupils[g].sum(axis=2) * share[None, :]
        base = pp.promise_base_year if pp.promise_base_year in m.years else int(m.years.min())
        a = analyse(demand, m.years, promised, base, target)
        kw = {"promise": pid}
        basis_word = "public places (公办学位)" if public else "all places (学位)"
        frames.append(rows(a["need"], a["years"], CITY, g, "promise_need", sc, basis=(
            f"(a) {basis_word} needed in year − in {base} (baseline fully served)"),
            note=src, **kw))
        frames.append(rows(a["surplus"], a["years"], CITY, g, "promise_surplus", sc,
                           basis=f"(a) promised {promised:g} − promise_need", note="negative = "
                           "shortfall", **kw))
        need, cap = basis_arrays(m, g, public)
        yrs = m.cap_years[g]
        short = np.clip(need - cap, 0, None).sum(axis=2)
        frames.append(rows(short, yrs, CITY, g, "capacity_shortage", sc, basis=(
            f"(b) {basis_word}: sum over counties of max(0, need − capacity); capacity = "
            "baseline with overcrowding + delivered + planned"), note="what must still be "
            "built; no netting across counties", **kw))
        frames.append(rows(cap.sum(axis=2) - need.sum(axis=2), yrs, CITY, g,
                           "capacity_net_gap", sc, basis="(b) capacity − need, netted over "
                           "counties", note="negative = net shortage", **kw))
        pipe = m.pipeline
        lv = ("primary", "junior_secondary") if g == "compulsory" else (g,)
        p = pipe[pipe["level"].isin(lv)].groupby("year")["places"].sum()
        cum = np.array([p[p.index <= y].sum() for y in a["years"]])
        frames.append(rows(np.broadcast_to(cum, (1, len(cum))), a["years"], CITY, g,
                           "pipeline_places", sc, basis="(b) places delivered + planned "
                           "opening 2021..year (places.csv; all public)", note="", **kw))
        peak_i = short.argmax(axis=1)
        peak_short = short.max(axis=1)
        until_peak = peak_short - short[:, -1]
        idle = np.clip(cap[:, -1, :] - need[:, -1, :], 0, None).sum(axis=1)
        h = int(yrs[-1])
        for q, d, b in (
            ("shortage_peak_year", yrs[peak_i].astype(float), "(c) year of the largest sum "
             "of county shortages"),
            ("shortage_at_peak", peak_short, "(c) largest sum of county shortages"),
            ("needed_until_peak_only", until_peak, f"(c) shortage at its peak − shortage in "
             f"{h}: places needed only until the peak"),
            ("idle_at_horizon", idle, f"(c) sum over counties of max(0, capacity − need) "
             f"in {h}"),
            ("promise_idle_at_horizon", a["idle_at_horizon"], f"(a/c) part of the promise "
             f"needed only until the peak, idle in {h}"),
        ):
            frames.append(rows(d[:, None], [h], CITY, g, q, sc, basis=b, note="", **kw))
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype("int64")
    cols = ["promise", "year", "level", "county", "scenario", "quantity", *SUMMARY_COLUMNS,
            "basis", "note"]
    return out[cols]
