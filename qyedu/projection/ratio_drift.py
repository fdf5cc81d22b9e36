"""How the grade-flow ratios move with the lead, learned on the panel honestly in time.

From an area table with intake, enrolment and graduates by level (the schema of
``observed.area``; the panel's provinces and China) the yearly flow ratios are

- ``entry_primary``      grade-1 intake(t) / age-6 cohort C(t, 6) (31 August weighting);
- ``survival_primary``   (enrolment − intake)(t) / (enrolment − graduates)(t − 1): pupils who
  stay in primary from one year to the next (in-level migration and drop-out);
- ``transition_junior``  junior intake(t) / primary graduates(t − 1);
- ``survival_junior``, ``survival_senior_general`` as for primary;
- ``transition_senior_general``, ``transition_vocational`` senior intake(t) / junior
  graduates(t − 1).

A drift sample is d = log r(o + h) − log r(o) for an area, origin o and lead h. Per ratio and
lead the table holds the 5th/50th/95th percentiles of d, each area weighing the same. It is
honest in time: ``fit_ratio_drift(samples, as_of=T)`` uses only samples with o + h ≤ T, and the
caller leaves the tested area (and, for China, its provinces) out. ``china_recent`` is China's
own drift of each ratio in 2021–2024, a structural alternative the panel cannot rule out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .drift import read_calibration
from .flow import birth_offsets

RATIOS = ("entry_primary", "survival_primary", "transition_junior", "survival_junior",
          "transition_senior_general", "survival_senior_general", "transition_vocational")
MAX_LEAD = 8
MIN_AREAS = 5
RECENT = (2021, 2024)  # China's recent years (data/raw/validation/china.csv)
COLUMNS = ["ratio", "lead", "source", "n", "areas", "q05", "q50", "q95"]
DEFAULT_FILE = "params/calibration/ratio_drift.csv"


def age_cohort(births: pd.Series, years, age: int) -> pd.Series:
    """C(t, age) = 4/12·B(t − age − 1) + 8/12·B(t − age) for the school years ``years``
    (NaN where a births year is missing)."""
    off = birth_offsets((age,))
    years = np.asarray(years)
    out = sum(w * births.reindex(years - k).to_numpy(dtype=float) for k, w in off.items())
    return pd.Series(out, index=years)


def ratio_series(frame: pd.DataFrame, births: pd.Series) -> pd.DataFrame:
    """Yearly flow ratios of one area: columns year, ratio, value (finite, > 0 only).

    ``frame`` has columns year, indicator, level (area-table levels), value (persons)."""
    wide = {ind: frame[frame["indicator"] == ind].pivot_table(
        index="year", columns="level", values="value", aggfunc="first")
        for ind in ("enrolment", "intake", "graduates")}
    return ratio_series_wide(wide["enrolment"], wide["intake"], wide["graduates"], births)


AREA_LEVEL = {"junior_secondary": "junior", "senior_vocational": "vocational"}


def ratio_series_wide(enrolment: pd.DataFrame, intake: pd.DataFrame, graduates: pd.DataFrame,
                      births: pd.Series) -> pd.DataFrame:
    """``ratio_series`` from wide tables year × level (area-table or projection level
    names), persons."""
    tabs = [t.rename(columns=AREA_LEVEL) for t in (enrolment, intake, graduates)]
    years = [int(y) for t in tabs for y in t.index]
    if not years:
        return pd.DataFrame(columns=["year", "ratio", "value"])
    yrs = np.arange(min(years), max(years) + 1)

    def col(t, lv):
        return t[lv].reindex(yrs).to_numpy(dtype=float) if lv in t else np.full(len(yrs), np.nan)

    e, i, g = ({lv: col(t, lv) for lv in ("primary", "junior", "senior_general", "vocational")}
               for t in tabs)

    def lag(x):
        return np.concatenate([[np.nan], x[:-1]])

    c6 = age_cohort(births, yrs, 6).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        out = {
            "entry_primary": i["primary"] / c6,
            "survival_primary": (e["primary"] - i["primary"]) / lag(e["primary"] - g["primary"]),
            "transition_junior": i["junior"] / lag(g["primary"]),
            "survival_junior": (e["junior"] - i["junior"]) / lag(e["junior"] - g["junior"]),
            "transition_senior_general": i["senior_general"] / lag(g["junior"]),
            "survival_senior_general": (e["senior_general"] - i["senior_general"])
            / lag(e["senior_general"] - g["senior_general"]),
            "transition_vocational": i["vocational"] / lag(g["junior"]),
        }
    df = pd.DataFrame({"year": np.tile(yrs, len(out)), "ratio": np.repeat(list(out), len(yrs)),
                       "value": np.concatenate(list(out.values()))})
    return df[np.isfinite(df["value"]) & (df["value"] > 0)].reset_index(drop=True)


def drift_samples(series: pd.DataFrame, max_lead: int = MAX_LEAD) -> pd.DataFrame:
    """Drift samples (area, ratio, origin, lead, target_year, d) from ratio series
    (area, year, ratio, value): for each lead, rows by origin year, then by (area, ratio)
    in order of first appearance. Plain arrays (the back-test forms them per area and origin, ~1,000
    times)."""
    cols = ["area", "ratio", "origin", "lead", "target_year", "d"]
    if series.empty:
        return pd.DataFrame(columns=cols)
    s = series.drop_duplicates(["year", "area", "ratio"])
    codes, pairs = pd.MultiIndex.from_arrays([s["area"], s["ratio"]]).factorize()
    year = s["year"].to_numpy(dtype=int)
    y0 = int(year.min())
    yrs = np.arange(y0, int(year.max()) + 1)
    v = np.full((len(yrs), len(pairs)), np.nan)
    v[year - y0, codes] = np.log(s["value"].to_numpy(dtype=float))
    parts = []
    for h in range(1, min(max_lead, len(yrs) - 1) + 1):
        d = v[h:] - v[:-h]
        r, c = np.nonzero(np.isfinite(d))
        if len(r):
            parts.append((c, yrs[r], np.full(len(r), h), d[r, c]))
    if not parts:
        return pd.DataFrame(columns=cols)
    c, origin, lead, d = (np.concatenate(x) for x in zip(*parts, strict=True))
    return pd.DataFrame({"area": pairs.get_level_values(0)[c], "ratio":
                         pairs.get_level_values(1)[c], "origin": origin, "lead": lead,
                         "target_year": origin + lead, "d": d})[cols]


def weighted_quantiles(x, w, qs) -> np.ndarray:
    """Quantiles of ``x`` with weights ``w`` (midpoint rule on the weighted CDF)."""
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    o = np.argsort(x, kind="stable")
    x, w = x[o], w[o]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(qs, cdf, x)


def fit_ratio_drift(samples: pd.DataFrame, as_of: int | None = None, exclude=(),
                    min_areas: int = MIN_AREAS, max_lead: int = MAX_LEAD) -> pd.DataFrame:
    """Per ratio and lead: n, areas, q05, q50, q95 of the drift (source ``panel``), each area
    weighing the same; only samples with target year ≤ ``as_of`` and areas not in
    ``exclude``. A lead with fewer than ``min_areas`` areas holds the last fitted lead's median
    and widens its half-widths with √lead (n = 0 rows); a ratio with no fitted lead is left out."""
    s = samples[~samples["area"].isin(list(exclude))]
    if as_of is not None:
        s = s[s["target_year"] <= as_of]
    # plain arrays: the back-test fits this once per origin and tested area (~500 times)
    ratio, lead = s["ratio"].to_numpy(), s["lead"].to_numpy()
    area, d = s["area"].to_numpy(), s["d"].to_numpy(dtype=float)
    rows = []
    for k in RATIOS:
        last = None
        of_k = ratio == k
        for h in range(1, max_lead + 1):
            m = np.flatnonzero(of_k & (lead == h))
            _, inv, cnt = np.unique(area[m], return_inverse=True, return_counts=True)
            n_areas = len(cnt)
            if n_areas >= min_areas:
                w = 1.0 / cnt[inv]  # each area weighs the same
                q = weighted_quantiles(d[m], w, [0.05, 0.5, 0.95])
                last = (h, q)
                rows.append([k, h, "panel", len(m), n_areas, *q])
            elif last is not None:
                h0, q = last
                f = np.sqrt(h / h0)
                rows.append([k, h, "panel", 0, 0, q[1] - f * (q[1] - q[0]), q[1],
                             q[1] + f * (q[2] - q[1])])
    return pd.DataFrame(rows, columns=COLUMNS)


def china_recent(series: pd.DataFrame, years=RECENT, max_lead: int = MAX_LEAD) -> pd.DataFrame:
    """China's own drift per year of each ratio over ``years`` (log change between the first
    and last year with the ratio, per year), as rows with q50 = lead × slope (source
    ``china_recent``; n = years used; the spread stays the panel's)."""
    rows = []
    for k, g in series[series["year"].between(*years)].groupby("ratio", sort=False):
        g = g.sort_values("year")
        if len(g) < 2:
            continue
        span = int(g["year"].iloc[-1] - g["year"].iloc[0])
        slope = float(np.log(g["value"].iloc[-1] / g["value"].iloc[0]) / span)
        rows += [[k, h, "china_recent", len(g), 1, np.nan, h * slope, np.nan]
                 for h in range(1, max_lead + 1)]
    return pd.DataFrame(rows, columns=COLUMNS)


def load_ratio_drift(path: str | Path | None = None) -> pd.DataFrame:
    """The ratio-drift table (``#`` lines are the provenance header), cached while unchanged."""
    return read_calibration(path or DEFAULT_FILE, COLUMNS, "ratio drift")


def _rows(table: pd.DataFrame, ratio: str, source: str = "panel") -> dict[str, np.ndarray]:
    """The table's rows of ``ratio`` and ``source`` as arrays (lead, n, q05, q50, q95): the
    flow asks for them once per ratio kind and forecast (~10,000 times in the back-test)."""
    m = (table["ratio"].to_numpy() == ratio) & (table["source"].to_numpy() == source)
    return {k: table[k].to_numpy()[m] for k in ("lead", "n", "q05", "q50", "q95")}


def _at_leads(rows: dict, key: str, leads) -> np.ndarray:
    """``rows[key]`` at ``leads`` (NaN where the table has no such lead)."""
    lookup = dict(zip(rows["lead"].astype(int).tolist(), rows[key].astype(float).tolist(),
                      strict=True))
    return np.array([lookup.get(int(h), np.nan) for h in leads], dtype=float)


def noise_and_walk(table: pd.DataFrame, ratio: str) -> tuple[float, float]:
    """(2σ²ₙ, σ²ᵣ) of a ratio: a ratio observed with yearly noise of variance σ²ₙ around a
    level that walks with variance σ²ᵣ per year drifts by d_h with Var(d_h) = 2σ²ₙ + h·σ²ᵣ.
    Fitted by least squares on the panel's p05–p95 widths by lead (clipped at 0; flat
    widths: noise only); (0, 0) without fitted leads."""
    r = _rows(table, ratio)
    fitted = r["n"].astype(float) > 0
    if fitted.sum() < 2:
        return 0.0, 0.0
    v = ((r["q95"][fitted].astype(float) - r["q05"][fitted].astype(float))
         / (2 * 1.6448536269514722)) ** 2
    b, a = np.polyfit(r["lead"][fitted].astype(float), v, 1)
    if b < 0:
        a, b = float(v.mean()), 0.0
    return max(float(a), 0.0), max(float(b), 0.0)


DRIFT_CHOICES = ("combined", "none", "panel", "china_recent")


def default_drift_weight() -> float:
    """``projection.drift_weight``'s default (the one place the number lives)."""
    from ..params.projection import ProjectionParams

    return float(ProjectionParams.model_fields["drift_weight"].default)


def drift_centre(table: pd.DataFrame, ratio: str, choice: str, leads: np.ndarray,
                 weight: float | None = None) -> np.ndarray:
    """Centre (log) of ``ratio``'s drift at ``leads`` (Y,) under ``choice``: ``none`` 0;
    ``panel`` the panel median of that lead (held beyond the table's last lead);
    ``combined`` ``weight`` × the panel median — the fixed-weight combination of the two
    structural forecasts "no drift" and "panel drift" (``projection.drift_weight``; equal
    weights by default, Bates & Granger 1969: with two forecasts whose relative accuracy
    is not known, equal weights are the standard choice, and estimated weights rarely beat
    them — the "forecast combination puzzle", Smith & Wallis 2009); ``china_recent``
    China's 2021–24 slope × lead. A ratio without panel rows has no drift (0). ``weight``
    None: the parameter's default."""
    leads = np.asarray(leads)
    weight = default_drift_weight() if weight is None else float(weight)
    p = _rows(table, ratio)
    if choice not in DRIFT_CHOICES:
        raise ValueError(f"unknown drift choice {choice!r}")
    if not len(p["lead"]) or choice == "none":
        return np.zeros(len(leads))
    if choice == "china_recent":
        c = _rows(table, ratio, "china_recent")
        slope = float(c["q50"][np.argsort(c["lead"], kind="stable")[0]]) if len(c["lead"]) \
            else 0.0
        return slope * np.maximum(leads, 0)
    q50 = _at_leads(p, "q50", np.clip(leads, 1, int(p["lead"].max())))
    return q50 * (weight if choice == "combined" else 1.0)


def centre_and_scale(table: pd.DataFrame, ratio: str, choice: str, leads: np.ndarray,
                     z: np.ndarray, eps: np.ndarray | None = None,
                     origin_noise: float = 1.0, weight: float | None = None) -> np.ndarray:
    """log multiplier (D, Y) of ``ratio`` at ``leads`` (Y,) (≤ 0: 0): centre by ``choice``
    (``drift_centre``: ``none`` 0; ``panel`` the panel median; ``combined`` ``weight`` ×
    the panel median; ``china_recent`` China's 2021–24 slope × lead) plus the panel's
    split-normal spread (lower/upper half by the sign of the draw),
    made of a persistent part (normal ``z`` (D,), one per draw: the walk and the origin's
    noise) and a yearly part (normals ``eps`` (D, Y), independent between years: the target
    year's noise; ``noise_and_walk``). ``origin_noise`` scales the origin's noise variance: 1
    when the origin ratio is one observed year, 0 when it is not observed but set by a
    level total over several cohorts (its uncertainty is then drawn elsewhere, e.g. the
    retention prior). A survival ratio's yearly noise is left out: (E − I)/(E − G) of one year
    moves with how a year's pupils are counted (repeaters, transfers) and does not carry into
    the next year's stock, so only its walk (and origin noise) compounds along a cohort.
    Without ``eps`` all of the spread persists. Beyond the table's leads the panel centre is held, China's extended, and
    the spread grows with √lead. A ratio without rows has no drift."""
    leads = np.asarray(leads)
    z = np.asarray(z, dtype=float)
    out = np.zeros((len(z), len(leads)))
    p = _rows(table, ratio)
    if not len(p["lead"]):
        return out
    hmax = int(p["lead"].max())
    hh = np.clip(leads, 1, hmax)
    q05, q50, q95 = (_at_leads(p, k, hh) for k in ("q05", "q50", "q95"))
    grow = np.sqrt(np.maximum(leads, 1) / hh)
    centre = drift_centre(table, ratio, choice, leads, weight)
    lo, hi = (q50 - q05) * grow / 1.6448536269514722, (q95 - q50) * grow / 1.6448536269514722
    a, b = noise_and_walk(table, ratio)
    h = np.maximum(leads, 1).astype(float)
    tot = a + b * h
    if eps is None or not (tot > 0).all():
        x = np.broadcast_to(z[:, None], out.shape)
    else:  # persistent: origin noise (× origin_noise) + walk; yearly: the target's noise
        pers = origin_noise * a / 2 + b * h
        year = 0.0 if ratio.startswith("survival") else a / 2
        lo, hi = lo * np.sqrt((pers + year) / tot), hi * np.sqrt((pers + year) / tot)
        share = np.where(pers + year > 0, pers / np.where(pers + year > 0, pers + year, 1), 1)
        x = np.sqrt(share)[None, :] * z[:, None] + np.sqrt(1 - share)[None, :] * eps
    out = centre[None, :] + np.where(x < 0, lo[None, :], hi[None, :]) * x
    out[:, leads <= 0] = 0.0
    return out

CHINA_LEVELS = {"vocational_incl_technical": "vocational", "primary": "primary",
                "junior": "junior", "senior_general": "senior_general", "preschool": "preschool"}


def china_area_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """China's preferred rows (china.csv) in the area-table schema, graduates included
    (levels mapped as ``validation.panel``: the NBS vocational series with technical schools
    is ``vocational``; stage aggregates left out; 万人 → persons)."""
    d = raw[raw["preferred"] == 1].copy()
    pop = d["indicator"].isin(("births", "birth_rate", "population_yearend"))
    school = d["indicator"].isin(("enrolment", "intake", "graduates")) & \
        d["level"].isin(CHINA_LEVELS)
    d = d[pop | school].copy()
    d.loc[~pop[pop | school], "level"] = d.loc[~pop[pop | school], "level"].map(CHINA_LEVELS)
    scale = np.where(d["unit"].astype(str).str.strip() == "万人", 1e4, 1.0)
    d["value"] = d["value"].astype(float) * np.where(d["indicator"] == "birth_rate", 1.0, scale)
    d["area"] = "China"
    return d[["area", "year", "indicator", "level", "value"]]


def panel_ratio_series(frames: pd.DataFrame) -> pd.DataFrame:
    """Ratio series (area, year, ratio, value) of every area of a validated area frame
    (persons; births published or derived as in ``observed.area``)."""
    from ..observed.area import area_births

    out = []
    for area, g in frames.groupby("area", sort=False):
        school = g[g["indicator"].isin(("enrolment", "intake", "graduates"))]
        if school.empty:
            continue
        births, _ = area_births(g)
        out.append(ratio_series(school, births).assign(area=area))
    return pd.concat(out, ignore_index=True)[["area", "year", "ratio", "value"]]


# Qingyuan is a prefecture city of net out-migration: the four municipalities' migrant-child
# swings (issue 18: q05 of the primary drift at lead 3 −0.168 with them, −0.065 without) are
# left out of its calibration set, and China (the sum of the provinces) never calibrates them.
CALIBRATION_EXCLUDE = ("北京市", "天津市", "上海市", "重庆市", "China")


def calibration_table(frames: pd.DataFrame, as_of: int | None = None,
                      exclude=CALIBRATION_EXCLUDE) -> pd.DataFrame:
    """ratio_drift.csv: the panel rows (provinces outside ``exclude``, samples ending ≤
    ``as_of``) and China's 2021–24 rows, from an area frame with graduates (persons)."""
    series = panel_ratio_series(frames)
    panel = fit_ratio_drift(drift_samples(series), as_of=as_of, exclude=exclude)
    china = china_recent(series[series["area"] == "China"])
    return pd.concat([panel, china], ignore_index=True)


def panel_frame(provinces, china) -> pd.DataFrame:
    """The panel as one area frame with graduates: ``provinces`` (area-table CSV, validated)
    and ``china`` (china.csv, preferred rows)."""
    from ..observed.area import validate_area_frame

    prov = validate_area_frame(pd.read_csv(provinces), provinces)
    cols = ["area", "year", "indicator", "level", "value"]
    return pd.concat([prov[cols], china_area_frame(pd.read_csv(china))], ignore_index=True)
