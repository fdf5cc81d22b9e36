"""The rows of places_demand.csv: per level (preschool, primary, junior_secondary,
compulsory, senior_general), county (the 8 units and 全市) and year — places and classes
needed, capacity, gap (capacity − needed), shortage and idle places **without netting**
(全市 = the sum of the county figures), average class size and the share of pupils in
大班额 classes; the public view (全市); the building pipeline as delivered / planned.

Levels are never netted: compulsory shortage and idle places are the sums of the primary and
junior figures (per county, draw and year), and no compulsory ``gap`` / ``public_gap`` row
exists (it would offset one level's idle places against another's pupils)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..projection.result import CITY
from .capacity import standard_and_large
from .model import ALL, COMPULSORY, PlacesModel
from .tidy import constant_rows, rows, with_city

NO_NET = "全市 = sum of the county values (no netting across counties)"


def _city_ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """(D, Y', 1 + C): county ratios with the city ratio of the sums prepended."""
    n, _ = with_city(num, ("",) * num.shape[-1], CITY)
    d, _ = with_city(den, ("",) * den.shape[-1], CITY)
    return n / np.where(d > 0, d, np.nan)


def level_rows(m: PlacesModel, lv: str) -> list[pd.DataFrame]:
    """Rows of one level."""
    sc, yrs = m.scenario, m.cap_years[lv]
    out = []
    p, cty = with_city(m.pupils[lv], m.counties, CITY)
    c, _ = with_city(m.classes[lv], m.counties, CITY)
    out.append(rows(p, m.years, cty, lv, "places_needed", sc,
                    basis="one place per projected pupil; " + m.county_rule, note=""))
    out.append(rows(c, m.years, cty, lv, "classes_needed", sc, basis=m.class_basis[lv],
                    note="classes rounded up per county; city = sum of counties"))
    need, kc = m.need_on_cap[lv], m.capacity[lv]
    cap_basis = (m.cap[lv].basis if lv in m.cap else
                 "primary + junior capacity") + "; " + m.capacity_rule
    k, _ = with_city(kc, m.counties, CITY)
    out.append(rows(k, yrs, cty, lv, "capacity", sc, basis=cap_basis, note=""))
    if lv != "compulsory":  # a compulsory net would offset one level's idle places
        n, _ = with_city(need, m.counties, CITY)  # against another's pupils: never published
        out.append(rows(k - n, yrs, cty, lv, "gap", sc, basis="capacity − places_needed",
                        note="negative = shortage; 全市 = net over counties"))
    sum_note = (NO_NET + "; compulsory = primary + junior shortages (levels never netted)"
                if lv == "compulsory" else NO_NET)
    short_c = m.shortage.get(lv, np.clip(need - kc, 0, None))
    short, _ = with_city(short_c, m.counties, CITY)
    out.append(rows(short, yrs, cty, lv, "shortage", sc,
                    basis="max(0, places_needed − capacity) per county" + (
                        " and level, summed" if lv == "compulsory" else ""), note=sum_note))
    idle, _ = with_city(m.idle.get(lv, np.clip(kc - need, 0, None)), m.counties, CITY)
    out.append(rows(idle, yrs, cty, lv, "idle_places", sc,
                    basis="max(0, capacity − places_needed) per county" + (
                        " and level, summed" if lv == "compulsory" else ""), note=sum_note))
    avg = _city_ratio(need, m.classrooms[lv])
    if lv == "compulsory":
        S = "45 (primary) / 50 (junior)"
        big = m.sizes["large_class"].value
    else:
        s, big = standard_and_large(lv, m.sizes)
        S = f"{s:g}"
    out.append(rows(avg, yrs, cty, lv, "avg_class_size", sc,
                    basis=f"places_needed ÷ classrooms; classrooms = capacity ÷ standard {S}",
                    note="pupils per classroom built at the standard class size"))
    out.append(rows(_city_ratio(m.large_pupils[lv], need), yrs, cty, lv, "prob_large_class",
                    sc, basis=f"share of pupils in over-size classes (≥{big:g}): excess over "
                    f"capacity × L/(L − S) per county, at most all pupils",
                    note="mean = probability that a pupil sits in an over-size class; "
                    + NO_NET.replace("sum of the county values", "sum of county pupils")))
    return out


def public_rows(m: PlacesModel, g: str) -> list[pd.DataFrame]:
    """Public view of a group (preschool, compulsory, senior_general), counties and 全市."""
    pv, yrs, sc = m.public[g], m.cap_years[g], m.scenario
    pn, cty = with_city(pv["public_need"], m.counties, CITY)
    pc, _ = with_city(pv["public_capacity"], m.counties, CITY)
    ps, _ = with_city(pv["public_shortage"], m.counties, CITY)
    out = [rows(pn, yrs, cty, g, "public_places_needed", sc, basis=pv["basis"], note=""),
           rows(pc, yrs, cty, g, "public_capacity", sc,
                basis="baseline capacity × baseline public share + public pipeline places "
                "(netting rules: qyedu.places.public)", note=""),
           rows(ps, yrs, cty, g, "public_shortage", sc, basis="max(0, public need − public "
                "capacity) per county" + (" and level, summed" if g == "compulsory" else ""),
                note=NO_NET)]
    if g != "compulsory":  # no net of levels
        out.append(rows(pc - pn, yrs, cty, g, "public_gap", sc, basis="public_capacity − "
                        "public_places_needed", note="全市 = net over counties"))
    if g in ("primary", "junior_secondary", "compulsory") and np.any(pv["shifted"]):
        sh, _ = with_city(pv["shifted"], m.counties, CITY)
        out.append(rows(sh, yrs, cty, g, "pupils_shifted_to_public", sc, basis=pv["basis"],
                        note="national cap on private compulsory schooling"))
    return out


def pipeline_rows(m: PlacesModel) -> list[pd.DataFrame]:
    """Places delivered / planned per level and opening year (全市, known values)."""
    pipe = m.pipeline.copy()
    comp = pipe[pipe["level"].isin(COMPULSORY)].assign(level="compulsory")
    pipe = pd.concat([pipe, comp], ignore_index=True)
    pipe["quantity"] = np.where(pipe["status"] == "delivered", "places_delivered",
                                "places_planned")
    out = []
    for (lv, q, y), g in pipe.groupby(["level", "quantity", "year"], sort=True):
        note = "vintages " + ", ".join(sorted(set(g["vintage"])))
        basis = "; ".join(dict.fromkeys(g["basis"])) if lv != "compulsory" else \
            "primary + junior rows"
        out.append(constant_rows(g["places"].sum(), year=int(y), level=lv, county=CITY,
                                 scenario=m.scenario, quantity=q, basis=basis, note=note))
    return out


def demand_table(m: PlacesModel) -> pd.DataFrame:
    """Tidy places_demand rows for every level, county and year."""
    frames = []
    for lv in ALL:
        frames += level_rows(m, lv)
    for g in ALL:
        frames += public_rows(m, g)
    frames += pipeline_rows(m)
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype("int64")
    return out.sort_values(["quantity", "level", "county", "year"], kind="stable",
                           ignore_index=True)
