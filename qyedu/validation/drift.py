"""How the flow factors drift: learned from areas whose outturns are known.

For an area with births B and enrolment E_L(t), the factor of level L is
f_L(t) = E_L(t) / Σ_a C(t, a) (pupils per cut-off-weighted birth, ``projection.flow``). Its
drift from an origin o over a lead h is d = log f_L(o+h) − log f_L(o); holding the factor
assumes d = 0. The drift is modelled per level and lead as

    d = α(L, h) + β(L, h) · x_L(o) + ε,       x_L(o) = log f_L(o) − log f_ref(L)(o)

where x is the gap between the level's factor and that of the neighbouring stage in the same
origin cross-section (the only information Qingyuan has): junior against primary (the cohorts
now in primary are the junior pupils of the next three years: a gap closes as they move up),
senior against junior, preschool against primary (how far participation is from
saturation); primary has no feeder that one cross-section measures (preschool participation
is itself drifting), so it has the α-only fit. β is the flow weight (−1: the gap closes fully, 0: no
flow), α the common drift; both are fitted by least squares, and the spread of ε gives the
band: its 5th/50th/95th percentiles, taken over *leave-one-area-out* residuals (each area's
drift predicted by the fit on the other areas), so the band is sized for an area the fit
has not seen — as Qingyuan is. With few areas the 5th/95th percentiles of the residuals
understate the tails, so the split-conformal level 0.95·(1 + 1/n) is used (n = effective
number of samples, Kish); the percentiles are smooth in the lead, pooled over leads, and
extended to leads too thin to fit (``validation.spread``). A level whose reference factor is
missing at the origin uses the α-only fit (``model = own``). Fits and percentiles weight
every area equally.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..labels import LEVELS
from ..observed.area import AreaData
from ..projection.drift import REFERENCE
from ..projection.flow import cohort_births
from .spread import lead_quantiles

MAX_LEAD = 8
# a (level, lead) cell seen in fewer areas is not fitted, and accuracy statements leave it
# out: one long national series says little about a city's spread
MIN_AREAS = 5
CAL_COLUMNS = ["level", "lead", "model", "alpha", "beta", "resid_q05", "resid_q50",
               "resid_q95", "n", "areas", "spread"]


def continuous_births(data: AreaData) -> tuple[np.ndarray, int]:
    """The area's births as an array from its first year to the last year without a gap."""
    b = data.births.sort_index()
    years = b.index.to_numpy(dtype=int)
    gaps = np.flatnonzero(np.diff(years) != 1)
    start = years[gaps[-1] + 1] if len(gaps) else years[0]
    b = b[b.index >= start]
    return b.to_numpy(dtype=float), int(start)


def factor_table(data: AreaData) -> pd.DataFrame:
    """Observed factors: area, level, year, enrolment, cohort_births, factor (every
    enrolment observation whose cohorts' births are all known)."""
    births, fby = continuous_births(data)
    rows = []
    for r in data.enrolment.itertuples(index=False):
        try:
            c = float(cohort_births(births, fby, [r.year], r.level)[0, 0])
        except ValueError:
            continue
        if c > 0 and r.value > 0:
            rows.append((data.area, r.level, int(r.year), float(r.value), c, r.value / c))
    return pd.DataFrame(rows, columns=["area", "level", "year", "enrolment", "cohort_births",
                                       "factor"])


def gaps(factors: pd.DataFrame) -> pd.DataFrame:
    """x_L(o) for every area, level and origin year (NaN where the reference is missing)."""
    w = np.log(factors.pivot_table(index=["area", "year"], columns="level", values="factor"))
    w = w.reindex(columns=list(LEVELS))
    x = pd.DataFrame({lv: w[lv] - w[REFERENCE[lv]] if lv in REFERENCE else np.nan
                      for lv in LEVELS}, index=w.index)
    x = x.melt(ignore_index=False, var_name="level", value_name="x").reset_index()
    return x.rename(columns={"year": "origin"})


def drift_samples(factors: pd.DataFrame, max_lead: int = MAX_LEAD) -> pd.DataFrame:
    """One row per area, level, origin and lead with d (log drift) and x (gap at origin)."""
    rows = []
    for (area, level), g in factors.groupby(["area", "level"], sort=False):
        s = g.set_index("year")["factor"]
        for o in s.index:
            for h in range(1, max_lead + 1):
                if o + h in s.index:
                    rows.append((area, level, int(o), h, float(np.log(s[o + h] / s[o]))))
    d = pd.DataFrame(rows, columns=["area", "level", "origin", "lead", "d"])
    return d.merge(gaps(factors), on=["area", "level", "origin"], how="left")


def area_weights(area: np.ndarray) -> np.ndarray:
    """1 / (number of samples of the sample's area): every area counts once, so China's
    long, smooth national series does not set the spread expected for a province or city."""
    _, inv, counts = np.unique(area, return_inverse=True, return_counts=True)
    return 1.0 / counts[inv]


def _fit_one(d: np.ndarray, x: np.ndarray | None, w: np.ndarray) -> tuple[float, float]:
    if x is None:
        return float(np.average(d, weights=w)), 0.0
    beta, alpha = np.polyfit(x, d, 1, w=np.sqrt(w))
    return float(alpha), float(beta)


def loao_residuals(d: np.ndarray, x: np.ndarray | None, area: np.ndarray) -> np.ndarray:
    """Residuals of each sample from the (area-weighted) fit on the *other* areas."""
    r = np.empty_like(d)
    for a in np.unique(area):
        out = area == a
        al, be = _fit_one(d[~out], None if x is None else x[~out], area_weights(area[~out]))
        r[out] = d[out] - (al + (0.0 if x is None else be * x[out]))
    return r


def fit_drift(samples: pd.DataFrame, min_n: int = 5, min_areas: int = MIN_AREAS,
              max_lead: int = MAX_LEAD) -> pd.DataFrame:
    """The calibration table (CAL_COLUMNS): for each level and lead, the ``gap`` fit
    (α, β on the rows with x) and the ``own`` fit (α only, all rows), with the residual
    5th/50th/95th percentiles (``spread.lead_quantiles``). Cells with fewer than ``min_n``
    samples or ``min_areas`` areas are not fitted (one long national series says little
    about a city's spread); up to ``max_lead`` they hold the last fitted lead's α and β
    (n = areas = 0), with the band's smooth spread extrapolated."""
    fits, parts = [], []
    for (level, lead), g in samples.groupby(["level", "lead"], sort=True):
        for model in ("gap", "own"):
            gg = g.dropna(subset=["x"]) if model == "gap" else g
            if len(gg) < min_n or gg["area"].nunique() < min_areas or \
                    (model == "gap" and gg["x"].nunique() < 3):
                continue
            d, x = gg["d"].to_numpy(), gg["x"].to_numpy() if model == "gap" else None
            area = gg["area"].to_numpy()
            a, b = _fit_one(d, x, area_weights(area))
            fits.append({"level": level, "lead": int(lead), "model": model, "alpha": a,
                         "beta": b, "n": len(gg), "areas": gg["area"].nunique()})
            parts.append(pd.DataFrame({"level": level, "model": model, "lead": int(lead),
                                       "r": loao_residuals(d, x, area),
                                       "w": area_weights(area)}))
    if not fits:
        return pd.DataFrame(columns=CAL_COLUMNS)
    fits = pd.DataFrame(fits)
    quant = pd.concat([lead_quantiles(g, max_lead).assign(level=lv, model=m) for (lv, m), g
                       in pd.concat(parts).groupby(["level", "model"], sort=True)])
    out = quant.merge(fits, on=["level", "model", "lead"], how="left")
    out = out.sort_values(["level", "model", "lead"])
    out[["alpha", "beta"]] = out.groupby(["level", "model"])[["alpha", "beta"]].ffill()
    out[["n", "areas"]] = out[["n", "areas"]].fillna(0).astype(int)
    return out[CAL_COLUMNS].sort_values(["level", "lead", "model"]).reset_index(drop=True)
