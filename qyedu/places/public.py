"""Public / private: the share of pupils public schools must seat, per level and year, the
pupils shifted from private to public by policy, and the public capacity.

- Preschool: the 2020 outturn 54.12 % public (含公办性质; plan line 16, registry
  ``preschool_public_share``) held, or the plan floor ``places.public_share_preschool`` if
  higher. (85.38 % public + 普惠 is reported beside it; 普惠 private places are not public.)
- Compulsory: private pupil share ``places.private_share_compulsory`` (explicit parameter,
  not published); scenario ``national_cap``: the share falls linearly to
  ``private_compulsory_cap`` by ``private_cap_year`` and the excess pupils shift to public.
- General senior: private share ``places.private_share_senior``.

Netting rules (so nothing is counted twice):
1. a private school converted to public (``shifted_pupils_seated_by = conversion``) adds
   public capacity equal to the shifted pupils and leaves total capacity unchanged; it is
   never also a new place of the pipeline or of a promise;
2. if it closes instead (``new_public_places``), total capacity loses those places and the
   public system must build them (they show up as public shortage);
3. purchased places (购买学位, preschool) count as public places served (public capacity)
   but never as total capacity or as new public places (the published 2022 figure already
   excludes them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..params import PlacesParams
from . import plan_lookup as reg

GROUPS = ("preschool", "compulsory", "senior_general")
GROUP_OF = {"preschool": "preschool", "primary": "compulsory", "junior_secondary": "compulsory",
            "compulsory": "compulsory", "senior_general": "senior_general"}


def preschool_public_2020(pp: PlacesParams, registry: pd.DataFrame) -> tuple[float, str]:
    """Public share of kindergarten children in 2020 (fraction) and its source."""
    if pp.public_share_preschool_2020 is not None:
        return pp.public_share_preschool_2020, "parameter places.public_share_preschool_2020"
    v, src = reg.value(registry, "public share of kindergarten children 2020",
                       ids=("preschool_public_share",), name=r"公办.*幼儿园在园幼儿占比",
                       exclude=r"普惠", year=2020)
    return v, src


def private_path(pp: PlacesParams, years, base_year: int) -> np.ndarray:
    """Private share of compulsory pupils per school year (Y,)."""
    p0 = pp.private_share_compulsory
    years = np.asarray(years, dtype=float)
    if pp.private_compulsory_policy == "hold" or p0 <= pp.private_compulsory_cap:
        return np.full(len(years), p0)
    span = max(pp.private_cap_year - base_year, 1)
    frac = np.clip((years - base_year) / span, 0, 1)
    return p0 + (pp.private_compulsory_cap - p0) * frac


def public_share(pp: PlacesParams, registry: pd.DataFrame, group: str, years,
                 base_year: int) -> tuple[np.ndarray, str]:
    """Share of pupils public schools must seat per school year (Y,), and its basis."""
    n = len(years)
    if group == "preschool":
        s, src = preschool_public_2020(pp, registry)
        share = max(s, pp.public_share_preschool)
        return np.full(n, share), (f"max(2020 outturn {s:.4g} ({src}), floor "
                                   f"places.public_share_preschool {pp.public_share_preschool:g})")
    if group == "compulsory":
        return 1 - private_path(pp, years, base_year), (
            f"1 − private share (places.private_share_compulsory {pp.private_share_compulsory:.4g}"
            f"; policy {pp.private_compulsory_policy})")
    return np.full(n, 1 - pp.private_share_senior), (
        f"1 − places.private_share_senior {pp.private_share_senior:g}")


def public_view(pp: PlacesParams, registry: pd.DataFrame, group: str, years, base_year: int,
                need: np.ndarray, capacity: np.ndarray, base_capacity: np.ndarray,
                ) -> dict[str, np.ndarray | str]:
    """Public places needed, public capacity and total capacity after the netting rules.

    Parameters
    ----------
    need : places needed (all pupils) per draw and year, (D, Y) or (D, Y, C).
    capacity : total capacity, same shape (the pipeline places in it are all public);
        ``base_capacity`` its baseline part, (D,) or (D, C).
    Returns ``public_need``, ``public_capacity``, ``capacity`` (total, after closures),
    ``shifted`` (pupils shifted private → public) and ``basis``.
    """
    share, basis = public_share(pp, registry, group, years, base_year)
    expand = (slice(None),) + (None,) * (need.ndim - 1)
    share_b = share[(None, slice(None)) + (None,) * (need.ndim - 2)]
    public_need = need * share_b
    s0 = share[0]
    if group == "preschool":  # baseline public share = the 2020 outturn, not the floor
        s0, _ = preschool_public_2020(pp, registry)
    base_b = np.asarray(base_capacity)
    base_b = base_b[expand] if base_b.ndim == 1 else base_b[:, None, :]
    public_capacity = base_b * s0 + (capacity - base_b)
    total = np.array(capacity, dtype=float)
    shifted = np.zeros_like(need)
    if group == "compulsory":
        shifted = need * (share_b - share[0])
        if pp.shifted_pupils_seated_by == "conversion":
            public_capacity = public_capacity + shifted
            basis += "; shifted pupils seated by conversion (public capacity +, total unchanged)"
        else:
            total = total - shifted
            basis += "; shifted pupils' private schools close (total capacity −)"
    if group == "preschool" and pp.purchased_places_preschool:
        yrs = np.asarray(years)
        bought = np.where(yrs >= 2022, pp.purchased_places_preschool, 0.0)[None, :]
        if need.ndim == 3:  # by county: in proportion to baseline capacity
            w = base_b / np.where(base_b.sum(axis=-1, keepdims=True) > 0,
                                  base_b.sum(axis=-1, keepdims=True), 1)
            bought = bought[:, :, None] * w
        public_capacity = public_capacity + bought
        basis += f"; + {pp.purchased_places_preschool:g} purchased places from 2022 (public only)"
    return {"public_need": public_need, "public_capacity": public_capacity, "capacity": total,
            "shifted": shifted, "basis": basis}
