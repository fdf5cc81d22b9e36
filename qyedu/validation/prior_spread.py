"""How far an area's pupils-per-birth ratios stray from its parent's: the spread a prior
carries.

Where a vintage has no enrolment of a level (Qingyuan as of 2015 or 2020), the projection
sets that level's factor from the preschool factor times Guangdong's ratio of the two
(``projection.priors``): it assumes the city's ratio equals the province's. On the panel the
same assumption can be checked one level up — each province against China in the same year:
the log ratio (level factor ÷ preschool factor) of a province minus China's. Its root mean
square, pooled over provinces and years (each province weighted equally), is the spread of
such a prior; the projection draws the prior-set factor log-normally with it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PRIOR_LEVELS = ("primary", "junior_secondary")
COLUMNS = ["level", "log_sd", "n", "areas", "years"]


def prior_spread(factors: pd.DataFrame, parent: str = "China") -> pd.DataFrame:
    """COLUMNS per level of PRIOR_LEVELS from a factor table (``drift.factor_table`` rows of
    every area: area, level, year, factor): the area-weighted root mean square of
    log(f_level / f_preschool) − the parent's same-year value."""
    w = factors.pivot_table(index=["area", "year"], columns="level", values="factor")
    rows = []
    for lv in PRIOR_LEVELS:
        if lv not in w or "preschool" not in w:
            continue
        r = np.log(w[lv] / w["preschool"]).dropna()
        if parent not in r.index.get_level_values("area"):
            continue
        ref = r.xs(parent, level="area")
        d = r.drop(parent, level="area")
        d = (d - ref.reindex(d.index.get_level_values("year")).to_numpy()).dropna()
        if d.empty:
            continue
        area = d.index.get_level_values("area")
        wt = 1.0 / pd.Series(area).map(pd.Series(area).value_counts()).to_numpy()
        # root mean square, not sd around the mean: the prior assumes the difference is 0
        sd = float(np.sqrt(np.average(d.to_numpy() ** 2, weights=wt)))
        years = d.index.get_level_values("year")
        rows.append({"level": lv, "log_sd": sd, "n": len(d), "areas": area.nunique(),
                     "years": f"{years.min()}–{years.max()}"})
    return pd.DataFrame(rows, columns=COLUMNS)
