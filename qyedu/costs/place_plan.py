"""place_plan.csv: the recommended place plan per county × level × year × form, priced at the
unit costs of this stage and solved by ``qyedu.places.plan`` (an LP over years on the sample
average of the draws), next to building to the median shortage for comparison.

Inputs per county and level: the shortage before the plan, need − capacity per draw and year
(the places model; public places for preschool and general senior, all places for primary
and junior), from ``places.plan_first_year`` to the horizon. Conversion donors: a level whose
demand falls gives up its idle places (median over draws, the smallest of the remaining
years so that a converted place is never needed back): primary → junior secondary first,
then primary → preschool; junior secondary → general senior.

Costs (元 per place-year, 2022 prices): permanent = capital per place (cost_units) × the
annuity of ``places.plan_building_life`` years at ``places.plan_discount_rate``; converted =
``places.plan_conversion_cost_share`` × that; temporary = ``places.plan_temporary_cost_ratio``
× the permanent cost; a pupil-year in a 大班额 class = ``places.plan_overcrowding_penalty``.

Columns: ``county, level, year, strategy, form, places, shortage_before, expected_shortage,
prob_shortage, idle_places, idle_capital, cost, basis`` — one row per form (``permanent``,
``converted``, ``temporary``: ``places`` opening in that year, temporary = rented for that
year; ``cost`` (万元) the form's cost of that year) and one row ``all`` per strategy with the
outcome: ``expected_shortage`` and ``prob_shortage`` after the strategy, ``idle_places`` its
places standing empty (mean over draws), ``idle_capital`` (万元) the capital in its idle
permanent and converted places. Strategies: ``plan`` and ``build_to_median`` (permanent
places to the running peak of the median shortage, for comparison). 全市 = sum of the
counties (no P(shortage)).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..places.answers import basis_arrays
from ..places.plan import FORMS, FormCosts, annuity, build_to_median, idle, solve
from ..places.promises import PROMISES
from ..places.public import GROUP_OF
from ..projection.result import CITY

LEVELS = ("primary", "junior_secondary", "preschool", "senior_general")  # donors first
DONORS = {"junior_secondary": "primary", "preschool": "primary",
          "senior_general": "junior_secondary"}
COLUMNS = ["county", "level", "year", "strategy", "form", "places", "shortage_before",
           "expected_shortage", "prob_shortage", "idle_places", "idle_capital", "cost", "basis"]
WAN = 1e4
NA = (np.nan,) * 5  # outcome columns: only on the strategy's "all" row


def _public(level: str) -> bool:
    return next(spec["public"] for spec in PROMISES.values()
                if spec["group"] == GROUP_OF[level])


def shortage_before(m, level: str, first_year: int, draws: np.ndarray):
    """Need − capacity (D', T, C) of a level on the plan years, and those years."""
    need, cap, _ = basis_arrays(m, level, _public(level))
    yrs = np.asarray(m.cap_years[level])
    keep = yrs >= min(first_year, int(yrs.max()))  # a run ending earlier plans its last year
    return (need - cap)[draws][:, keep, :], yrs[keep]


def donor_room(short: np.ndarray) -> np.ndarray:
    """Places a donor level can give up (T, C): its median idle places, the smallest over the
    remaining years (a converted place must stay spare)."""
    spare = np.clip(-np.median(short, axis=0), 0, None)  # (T, C)
    return np.minimum.accumulate(spare[::-1], axis=0)[::-1]


def form_costs(unit_capital: float, pp) -> FormCosts:
    """Cost per place-year of each form (元) from the capital per place (万元)."""
    a = annuity(pp.plan_discount_rate, pp.plan_building_life)
    perm = unit_capital * WAN * a
    return FormCosts(permanent=perm, converted=perm * pp.plan_conversion_cost_share,
                     temporary=perm * pp.plan_temporary_cost_ratio,
                     overcrowding=pp.plan_overcrowding_penalty)


def _sample(n: int, k: int) -> np.ndarray:
    return np.unique(np.linspace(0, n - 1, min(n, k)).round().astype(int))


def plan_table(m, rp, units: dict) -> pd.DataFrame:
    """place_plan.csv rows (module docstring). ``m`` the places model, ``units`` level →
    UnitCost (万元 per place)."""
    pp = rp.places
    draws = _sample(next(iter(m.need_on_cap.values())).shape[0], pp.plan_max_draws)
    shorts = {lv: shortage_before(m, lv, pp.plan_first_year, draws) for lv in LEVELS}
    room = {lv: donor_room(s) for lv, (s, _) in shorts.items()}
    used = {lv: np.zeros_like(r) for lv, r in room.items()}
    rows = []
    for lv in LEVELS:
        short, yrs = shorts[lv]
        if not len(yrs):
            continue
        u = units[lv].value
        fc = form_costs(u, pp)
        donor = DONORS.get(lv)
        how = (f"LP on {len(draws)} draws; 元/place-year: permanent {fc.permanent:,.0f} "
               f"({u:.4g} 万元 × annuity {pp.plan_discount_rate:g}/{pp.plan_building_life} yr), "
               f"converted {fc.converted:,.0f}, temporary {fc.temporary:,.0f}; 大班额 penalty "
               f"{fc.overcrowding:,.0f} per pupil-year; conversion from {donor or 'none'}")
        for k, county in enumerate(m.counties):
            avail = (room[donor][:, k] - used[donor][:, k]) if donor else None
            plan = solve(short[:, :, k], fc, avail)
            if donor:
                used[donor][:, k] += plan.in_use["converted"]
            before = np.clip(short[:, :, k], 0, None).mean(axis=0)
            total = sum(plan.in_use.values())
            idle_all = idle(total, short[:, :, k]).mean(axis=0)
            fixed = plan.in_use["permanent"] + plan.in_use["converted"]
            idle_fixed = idle(fixed, short[:, :, k])
            cap_share = np.where(fixed > 0, plan.in_use["permanent"] / np.where(fixed > 0, fixed,
                                                                                 1), 1.0)
            unit_fixed = u * (cap_share + (1 - cap_share) * pp.plan_conversion_cost_share)
            idle_cap = idle_fixed.mean(axis=0) * unit_fixed
            cost_year = {"permanent": fc.permanent, "converted": fc.converted,
                         "temporary": fc.temporary}
            for j, y in enumerate(yrs):
                costs_j = {f: cost_year[f] * plan.in_use[f][j] / WAN for f in FORMS}
                for f in FORMS:
                    rows.append((county, lv, int(y), "plan", f, plan.new[f][j], *NA,
                                 costs_j[f], how))
                rows.append((county, lv, int(y), "plan", "all",
                             sum(plan.new[f][j] for f in FORMS), before[j],
                             plan.shortage[:, j].mean(), (plan.shortage[:, j] > 0.5).mean(),
                             idle_all[j], idle_cap[j], sum(costs_j.values()), how))
            med = build_to_median(short[:, :, k])
            left = np.clip(short[:, :, k] - med[None, :], 0, None)
            idle_med = idle(med, short[:, :, k]).mean(axis=0)
            new_med = np.diff(med, prepend=0.0)
            for j, y in enumerate(yrs):
                rows.append((county, lv, int(y), "build_to_median", "all", new_med[j],
                             before[j], left[:, j].mean(), (left[:, j] > 0.5).mean(),
                             idle_med[j], idle_med[j] * u, fc.permanent * med[j] / WAN,
                             "permanent places to the running peak of the median shortage "
                             "(never demolished)"))
    out = pd.DataFrame(rows, columns=COLUMNS)
    city = (out.groupby(["level", "year", "strategy", "form"], sort=False, as_index=False)
            [["places", "shortage_before", "expected_shortage", "idle_places", "idle_capital",
              "cost"]].sum(min_count=1))
    city = city.assign(county=CITY, prob_shortage=np.nan,
                       basis="全市 = sum of the counties (P(shortage) per county only)")
    out = pd.concat([city[COLUMNS], out], ignore_index=True)
    num = ["places", "shortage_before", "expected_shortage", "idle_places", "idle_capital",
           "cost"]
    out[num] = out[num].astype(float).round(6)
    out["prob_shortage"] = out["prob_shortage"].astype(float).round(6)
    return out
