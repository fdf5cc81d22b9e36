"""The one place where the cost stage reads the places model. Another module reworks places
(capacity inventory, counties); after that merge, re-point these two functions only.

- ``places_needed``: places needed per level, county and year on the projection's draws, in
  the basis of the plan's promises (compulsory: all places, as the promise says 学位;
  preschool and general senior: public places) — ``qyedu.places`` public functions.
- ``promises``: the three place promises (value, target year, source) from the registry.
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


def places_needed(result: ProjectionResult, rp: RunParams, registry: pd.DataFrame
                  ) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Level → places needed (D, Y, C) and level → basis. Vocational: one place per pupil
    (no public share published; all taken as public)."""
    from ..places import class_sizes
    from ..places.demand import level_arrays, public_shares

    pupils, _, _ = level_arrays(result, rp.places, class_sizes(rp.places))
    shares = public_shares(rp.places, registry)
    out, basis = {}, {}
    for lv, group in LEVEL_GROUP.items():
        if group is None:
            li = list(result.levels).index(lv)
            out[lv] = result.enrolled[:, :, li, :].astype(float)
            basis[lv] = "one place per projected vocational pupil (all taken as public)"
            continue
        share, src = shares[group] if PUBLIC[group] else (1.0, "all places (the promise says 学位)")
        out[lv] = pupils[lv] * share
        basis[lv] = f"places needed × {share:.4g} ({src})"
    return out, basis


def promises(registry: pd.DataFrame) -> dict[str, tuple[float, int, str]]:
    """Group → (promised places, target year, source)."""
    from ..places.promises import promise_value

    out = {}
    for group, pid in PROMISE_OF.items():
        value, year, src, _ = promise_value(registry, pid)
        out[group] = (value, year, src)
    return out


def public_shares(rp: RunParams, registry: pd.DataFrame) -> dict[str, tuple[float, str]]:
    """Level → share of pupils (and teachers) in public schools, with its source."""
    from ..places.demand import public_shares as shares_by_group

    s = shares_by_group(rp.places, registry)
    out = {lv: s[g] for lv, g in LEVEL_GROUP.items() if g is not None}
    out["senior_vocational"] = (1.0, "assumption: all vocational pupils public")
    return out
