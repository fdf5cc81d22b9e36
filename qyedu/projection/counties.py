"""Allocation of city totals to the 8 county-level units.

Rule: no county enrolment or age structure is published for the city, so each level is
allocated by the county's share of the 2020 census resident population (population.csv,
7th census bulletin no. 2) — the same share for every level and year. This ignores known
differences in age structure (Yingde's 0–14 share is 24.64 %, the other units' are not
published) and the urban pull of 清城区. The census shares are used for every vintage (the
only county breakdown in data/raw; an earlier vintage would have used the 2010 census).
When a richer series gives county enrolment for a level (all 8 units in one year ≤ base
year), that level uses the latest such year's county shares instead.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..observed.names import COUNTIES
from ..observed.points import county_census_shares


def county_shares(levels, county_enrolment: pd.DataFrame | None = None) -> tuple[np.ndarray, dict]:
    """Shares (L, C) summing to 1 over counties, and a level → rule description."""
    census = county_census_shares().to_numpy()
    shares = np.tile(census, (len(levels), 1))
    how = {lv: "2020 census resident-population share" for lv in levels}
    if county_enrolment is not None and len(county_enrolment):
        for i, lv in enumerate(levels):
            g = county_enrolment[county_enrolment["level"] == lv]
            full = g.groupby("year")["area"].nunique()
            full = full[full == len(COUNTIES)]
            if full.empty:
                continue
            y = int(full.index.max())
            v = g[g["year"] == y].set_index("area")["value"].reindex(list(COUNTIES)).to_numpy()
            shares[i] = v / v.sum()
            how[lv] = f"county enrolment shares {y}"
    return shares, how
