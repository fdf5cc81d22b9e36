"""The one place where the cost stage reads the places model (re-point here if places change).

- ``places_needed``: places needed per level, county and year on the projection's draws, in
  the basis of the plan's promises (compulsory: all places, as the promise says 学位;
  preschool and general senior: public places), from ``qyedu.places.compute`` (county shares
  that drift, as in places_demand.csv) and ``qyedu.places.public.public_share``.
- ``public_shares``: share of pupils (and so of teachers) in public schools per level and year.
- ``promises``: the three place promises (value, target year, source) from the registry.
- ``capacity_view``: from the same places model, the county shortages against the capacity
  inventory (baseline with overcrowding + delivered + planned) and the places of the
  programme itself (delivered + planned, by level and opening year).

The places model is computed here once more from the same draws (the places stage does not
hand its arrays on); a shared ``PlacesModel`` on the Workbench would remove that repetition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..params import RunParams
from ..projection.result import ProjectionResult

LEVEL_GROUP = {"preschool": "preschool", "primary": "compulsory", "junior_secondary": "compulsory",
               "senior_general": "senior_general", "senior_vocational": None}
PROMISE_OF = {"preschool": "preschool_new_public_places", "compulsory": "compulsory_new_places",
              "senior_general": "senior_new_public_places"}
PUBLIC = {"preschool": True, "compulsory": False, "senior_general": True}


def places_model(result: ProjectionResult, rp: RunParams, registry: pd.DataFrame):
    """The places arrays of this run (``qyedu.places.compute``)."""
    from ..places import compute

    return compute(result, rp, registry)


def capacity_view(m, registry: pd.DataFrame, years: np.ndarray) -> dict[str, dict]:
    """Level → ``shortage`` (D, Y', C) = max(0, need − capacity) per county in the promise's
    basis on ``years_cap``; ``programme`` (Y,) places delivered + planned opening each of
    ``years``; and their bases. Levels of the places model only (no vocational)."""
    out = {}
    for lv, group in LEVEL_GROUP.items():
        if group is None or lv not in m.capacity:
            continue
        if PUBLIC[group]:
            pv = m.public[group]
            need, cap, word = pv["public_need"], pv["public_capacity"], "public places"
        else:
            need, cap, word = m.need_on_cap[lv], m.capacity[lv], "all places"
        pipe = m.pipeline[m.pipeline["level"] == lv].groupby("year")["places"].sum()
        out[lv] = {"shortage": np.clip(need - cap, 0, None), "years_cap": m.cap_years[lv],
                   "shortage_basis": f"{word}: max(0, need − capacity) per county; capacity = "
                   f"baseline with overcrowding + delivered + planned ({m.capacity_rule})",
                   "programme": np.array([float(pipe.get(int(y), 0.0)) for y in years]),
                   "programme_basis": "places delivered + planned by opening year (places.csv "
                   "via the places pipeline; all public)"}
    return out


def places_needed(result: ProjectionResult, rp: RunParams, registry: pd.DataFrame, m=None
                  ) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Level → places needed (D, Y, C) on ``result.years`` and level → basis. Vocational: one
    place per projected pupil, census county shares (not in the places model; all public)."""
    m = m if m is not None else places_model(result, rp, registry)
    shares = public_shares(rp, registry, np.asarray(result.years))
    out, basis = {}, {}
    for lv, group in LEVEL_GROUP.items():
        if group is None:
            li = list(result.levels).index(lv)
            out[lv] = result.enrolled[:, :, li, :].astype(float)
            basis[lv] = "one place per projected vocational pupil (all taken as public)"
            continue
        if PUBLIC[group]:
            share, src = shares[lv]
            out[lv] = m.pupils[lv] * share[None, :, None]
            basis[lv] = f"public places needed (pupils × public share: {src}; {m.county_rule})"
        else:
            out[lv] = np.asarray(m.pupils[lv], dtype=float)
            basis[lv] = f"all places needed (the promise says 学位; {m.county_rule})"
    return out, basis


def public_shares(rp: RunParams, registry: pd.DataFrame, years: np.ndarray
                  ) -> dict[str, tuple[np.ndarray, str]]:
    """Level → share of pupils in public schools per year (Y,), with its basis."""
    from ..places.public import public_share

    base = rp.places.promise_base_year
    out = {}
    for lv, group in LEVEL_GROUP.items():
        if group is None:
            out[lv] = (np.ones(len(years)), "assumption: all vocational pupils public")
        else:
            out[lv] = public_share(rp.places, registry, group, years, base)
    return out


def promises(registry: pd.DataFrame) -> dict[str, tuple[float, int, str]]:
    """Group → (promised places, target year, source)."""
    from ..places.promises import promise_value

    out = {}
    for group, pid in PROMISE_OF.items():
        value, year, src, _ = promise_value(registry, pid)
        out[group] = (value, year, src)
    return out
