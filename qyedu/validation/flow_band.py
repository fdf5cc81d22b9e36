"""The grade flow's band table (``projection.conformal_band``) learned from its own honest
residuals.

The residuals are log(outturn / p50) of the band-free grade flow (``grade_flow``, the
first back-test pass) on other areas' forecasts. For a forecast from origin T only those
with outturn year ≤ T (in-sample) of the tested area's history areas count, so the band at
T is learned from what was known at T; the published run's table uses every in-sample
residual of the provinces of the chosen calibration set under Qingyuan-like information,
the frozen as-of-T tables those with outturn year ≤ min(T, 2019). Each area weighs the same
(weights 1/its number of residuals at the level); a lead with residuals from fewer than
``harness.MIN_HISTORY_AREAS`` areas is not calibrated. ``spread.band_quantiles`` turns
them into the table: a lead with an effective sample ≥ 19 keeps its own split-conformal
quantiles (``per_lead``), thinner leads the c·h^k curve pooled over leads (``smoothed``,
``extrapolated``), and with fewer than three calibrated leads the later leads grow in
proportion to the lead (``linear``); half-widths never shrink with the lead.

Why (diagnosis of the first band, issue 18: primary leads 2–3 at 82–85 %, junior lead 5 at
76 % inside p05–p95; scratch refits on the back-test's first-pass rows):

- **Too few leads known at the early origins, and the wrong rule for them.** At origins
  2010–2012 only lead 1 (sometimes 2) had residuals from ≥ 5 areas; the table then held
  lead 1's width at every later lead, so the lead-3 band of those origins was as narrow as
  a lead-1 band (primary lead 3, Qingyuan-like: 13 of 50 outturns outside at origins
  2010–2011). This was the largest cause.
- **The pooled curve's shape.** Even fitted on every residual (not honest), the c·h^k curve
  with one pooled quantile covers primary 93 / 90 / 87 / 89 / 90 % at leads 1–5: the tails
  do not grow as one power of the lead, so a pooled quantile over-covers lead 1 and
  under-covers lead 3. Per-lead quantiles carry the split-conformal guarantee lead by lead.
- **Non-stationary errors**: the residuals' median moves from −3 % (outturns 2012–15) to
  +3 % (2017–19) at primary lead 3, so bands learned on earlier outturns miss later ones on
  the upper side (primary lead 1, bureau-like: 8 of 27 above at origin 2014). A recency
  weighting (half-life 5 years; Barber et al. 2023) changed coverage by < 1 point and was
  not adopted; the adaptive miss levels of ``validation.adaptive_band`` (ACI) correct it
  (``fit_band``'s ``alpha``).
- **The draws did not deliver the designed band** for a skewed table (junior): re-centring
  an asymmetric top-up pulled the widened side back in (junior lead 5: 76 % with the draws,
  90 % by the design's closed form); fixed in ``conformal_band.onto_band``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .harness import LAST_IN_SAMPLE, MIN_HISTORY_AREAS, MUNICIPALITIES
from .spread import band_quantiles

BASE_METHOD = "grade_flow"
MAX_LEAD = 8
BAND_FILE = "params/calibration/flow_band.csv"
BAND_COLUMNS = ["level", "lead", "resid_q05", "resid_q50", "resid_q95", "spread", "n",
                "areas", "rho", "alpha"]
PAIR = ("primary", "junior_secondary")
NO_BAND_WHY = {
    "preschool": "not in the back-test: the flow's preschool is a participation drift, not a "
                 "cohort flow the panel's per-100,000 figures test year by year",
    "senior_general": "no senior residual known by then: senior cohorts need births 18 "
                      "years back, so the first senior origin is 2015",
    "senior_vocational": "no senior residual known by then: senior cohorts need births 18 "
                         "years back, so the first senior origin is 2015",
}


def prior_only_note(table: pd.DataFrame) -> str:
    """Header line(s) naming every level without band rows: its band is the ratio-drift
    prior only (no conformal band), and why."""
    have = set(table["level"]) if len(table) else set()
    return "".join(f"# {lv}: no rows - its band is the ratio-drift prior only (no conformal "
                   f"band): {why}\n" for lv, why in NO_BAND_WHY.items() if lv not in have)


def residuals(rows: pd.DataFrame, method: str = BASE_METHOD) -> pd.DataFrame:
    """area, kind, info, level, origin, lead, target_year, r = log(actual / p50) of
    ``method``'s in-sample forecasts with a median."""
    r = rows[(rows["method"] == method) & (rows["sample"] == "in") & rows["p50"].notna()]
    r = r[(r["p50"] > 0) & (r["actual"] > 0)]
    return r.assign(r=np.log(r["actual"].to_numpy(float) / r["p50"].to_numpy(float)))[
        ["area", "kind", "info", "level", "origin", "lead", "target_year", "r"]]


def fit_band(resid: pd.DataFrame, max_lead: int = MAX_LEAD,
             alpha: dict | None = None) -> pd.DataFrame:
    """BAND_COLUMNS from residuals (columns area, level, lead, r) of one information set;
    empty where no level has a calibrated lead. ``alpha`` ({level: {lead: α}}, the adaptive
    miss levels of ``validation.adaptive_band``): each lead's tails are its residuals'
    α/2 and 1 − α/2 quantiles (column ``alpha``: the lead's α, else the median of the
    level's); None = the split-conformal level 0.95·(1 + 1/n) at every lead (``alpha`` NaN)."""
    out = []
    for lv, g in resid.groupby("level", sort=True):
        nareas = g.groupby("lead")["area"].nunique()
        g = g[g["lead"].isin(nareas[nareas >= MIN_HISTORY_AREAS].index)]
        if g.empty:
            continue
        g = g.assign(w=1.0 / g.groupby("area")["r"].transform("size"))
        al = (alpha or {}).get(lv)
        levels = {int(h): 1 - a / 2 for h, a in al.items()} if al else None
        q = band_quantiles(g[["lead", "r", "w"]], max_lead, levels=levels)
        n = g.groupby("lead").size().reindex(q["lead"]).fillna(0).astype(int).to_numpy()
        a = g.groupby("lead")["area"].nunique().reindex(q["lead"]).fillna(0).astype(int)
        used = [al.get(int(h), float(np.median(list(al.values())))) if al else np.nan
                for h in q["lead"]]
        out.append(q.assign(level=lv, n=n, areas=a.to_numpy(), alpha=used))
    if not out:
        return pd.DataFrame(columns=BAND_COLUMNS)
    return pd.concat(out, ignore_index=True).assign(rho=pair_correlation(resid))[BAND_COLUMNS]


def pair_correlation(resid: pd.DataFrame) -> float:
    """Correlation of the primary and junior residuals of the same area, origin and lead
    (pooled over leads; 0 with fewer than ``MIN_HISTORY_AREAS`` areas paired): the band's
    normals of the two levels are correlated by it, so compulsory = primary + junior gets
    the spread the residuals show."""
    area, _ = pd.factorize(resid["area"], sort=True)
    key = (area.astype(np.int64) * 10_000 + resid["origin"].to_numpy(np.int64)) * 100 + \
        resid["lead"].to_numpy(np.int64)
    lv, r = resid["level"].to_numpy(), resid["r"].to_numpy(dtype=float)
    a, b = lv == PAIR[0], lv == PAIR[1]
    ka, kb = key[a], key[b]
    if len(np.unique(ka)) < len(ka) or len(np.unique(kb)) < len(kb):  # a key twice: mean
        w = resid[resid["level"].isin(PAIR)].pivot_table(
            index=["area", "origin", "lead"], columns="level", values="r").dropna()
        if len(w.columns) < 2:
            return 0.0
        x, y, areas = w[PAIR[0]], w[PAIR[1]], w.index.get_level_values("area").nunique()
    else:  # sorted by area, origin and lead, as the pivot table would be
        both, ia, ib = np.intersect1d(ka, kb, assume_unique=True, return_indices=True)
        x, y = r[a][ia], r[b][ib]
        ok = np.isfinite(x) & np.isfinite(y)
        x, y, areas = x[ok], y[ok], len(np.unique(both[ok] // 1_000_000))
    if areas < MIN_HISTORY_AREAS:
        return 0.0
    rho = float(np.corrcoef(x, y)[0, 1])
    return rho if np.isfinite(rho) else 0.0


def band_known_at(resid: pd.DataFrame, areas, origin: int, info: str,
                  alpha: dict | None = None) -> pd.DataFrame:
    """The band for a forecast from ``origin`` under ``info``: residuals of ``areas`` (the
    tested area's history areas) whose outturn year ≤ ``origin`` (``alpha`` as ``fit_band``)."""
    r = resid[(resid["info"] == info) & (resid["target_year"] <= origin)
              & resid["area"].isin(areas)]
    return fit_band(r, alpha=alpha)


def published_areas(resid: pd.DataFrame, calibration_set: str) -> list[str]:
    """The provinces a Qingyuan run's band learns from (without the four municipalities
    under ``no_municipalities``)."""
    a = sorted(set(resid.loc[resid["kind"] == "province", "area"]))
    return [x for x in a if calibration_set != "no_municipalities" or x not in MUNICIPALITIES]


def published_band(resid: pd.DataFrame, calibration_set: str, last: int = LAST_IN_SAMPLE,
                   info: str = "qingyuan_like", alpha: dict | None = None) -> pd.DataFrame:
    """The table a Qingyuan run reads: ``published_areas``, outturn years ≤ ``last``,
    Qingyuan-like information (``alpha`` as ``fit_band``)."""
    r = resid[resid["area"].isin(published_areas(resid, calibration_set))
              & (resid["info"] == info) & (resid["target_year"] <= min(last, LAST_IN_SAMPLE))]
    return fit_band(r, alpha=alpha)
