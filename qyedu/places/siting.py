"""County shortages honest about their basis. No county capacity or project sites are
published, so each county's share of capacity is an assumption; until the bureau's
school-sites file is loaded (``qyedu.places.bureau``), the county shortages are given as a
range across three siting assumptions, each named in the rows:

- ``no_drift``: county shares of demand stay at the projection's allocation (no urbanisation
  drift, no 清城区 births correction); planned places follow the baseline capacity shares;
- ``census_trend``: shares drift with the 2010→2020 census trend (``places.county_drift``)
  and 清城区's 2022 births; planned places follow the baseline shares (the default model);
- ``demand_growth``: the same drift, planned places sited where demand grows to 2025.

Rows (places_answers.csv, per level, county and 全市 = sum of counties): ``shortage_siting_
<variant>`` and, per draw, the smallest and largest of the three: ``shortage_siting_min`` /
``shortage_siting_max``. With the sites file loaded, one variant ``bureau_sites`` (min = max).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..params import RunParams
from ..projection.result import CITY
from ..stats import SUMMARY_COLUMNS
from .answers import ANSWER_LEVELS, GROUP_PROMISE, basis_arrays
from .model import PlacesModel, compute
from .promises import PROMISES
from .public import GROUP_OF
from .tidy import rows, with_city

VARIANTS = {
    "no_drift": {"county_drift": 0.0, "county_drift_sd": 0.0, "county_births_qingcheng": False,
                 "planned_places_by_county": "baseline_share"},
    "census_trend": {"planned_places_by_county": "baseline_share"},
    "demand_growth": {"planned_places_by_county": "demand_growth"},
}
WORDS = {"no_drift": "assumption: no county drift; planned places by baseline shares",
         "census_trend": "assumption: census-trend drift + 清城区 births; planned places by "
                         "baseline shares",
         "demand_growth": "assumption: census-trend drift; planned places sited where demand "
                          "grows to 2025",
         "bureau_sites": "data: the bureau's school-sites file"}


def variant_params(rp: RunParams, changes: dict) -> RunParams:
    """``rp`` with some places parameters changed (validated copy)."""
    return rp.model_copy(update={"places": rp.places.model_copy(update=changes)})


def level_county_shortage(m: PlacesModel, level: str) -> np.ndarray:
    """Shortage per county (D, Y', C) of a level in its promise's basis."""
    pid = GROUP_PROMISE[GROUP_OF[level]]
    return basis_arrays(m, level, PROMISES[pid]["public"])[2]


def siting_rows(result, rp: RunParams, registry: pd.DataFrame, m: PlacesModel) -> pd.DataFrame:
    """The county shortage under each siting assumption and their per-draw range."""
    if m.county_basis == "data":
        models = {"bureau_sites": m}
    else:
        models = {v: (m if all(getattr(rp.places, k) == x for k, x in ch.items())
                      else compute(result, variant_params(rp, ch), registry, sites=None))
                  for v, ch in VARIANTS.items()}
    frames = []
    for level in ANSWER_LEVELS:
        pid = GROUP_PROMISE[GROUP_OF[level]]
        yrs = m.cap_years[level]
        arrs = {v: level_county_shortage(mv, level) for v, mv in models.items()}
        for v, a in arrs.items():
            full, cty = with_city(a, m.counties, CITY)
            frames.append(rows(full, yrs, cty, level, f"shortage_siting_{v}", m.scenario,
                               basis=f"max(0, need − capacity) per county; {WORDS[v]}",
                               note="全市 = sum of counties", promise=pid))
        stack = np.stack([with_city(a, m.counties, CITY)[0] for a in arrs.values()])
        for q, f in (("shortage_siting_min", np.min), ("shortage_siting_max", np.max)):
            frames.append(rows(f(stack, axis=0), yrs, [CITY, *m.counties], level, q,
                               m.scenario, basis=f"per draw, the {q[-3:]} over the siting "
                               f"assumptions {', '.join(arrs)}", note="the range the county "
                               "split rests on (county capacity not in data/raw)"
                               if m.county_basis != "data" else "county capacity from data",
                               promise=pid))
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype("int64")
    return out[["promise", "year", "level", "county", "scenario", "quantity", *SUMMARY_COLUMNS,
                "basis", "note"]]
