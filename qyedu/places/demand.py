"""Places and classes needed per level, county and year (draws), public-place demand, and
capacity gaps for the city: the rows of places_demand.csv."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..params import PlacesParams, RunParams
from ..projection.result import CITY, ProjectionResult
from . import plan_lookup as reg
from .capacity import Capacity, capacity_paths
from .classes import age_shares, classes_needed, kindergarten_classes
from .standards import Standard, class_sizes
from .tidy import rows, with_city

SCHOOL_LEVELS = ("primary", "junior_secondary", "senior_general")
GROUP_OF = {"preschool": "preschool", "primary": "compulsory", "junior_secondary": "compulsory",
            "compulsory": "compulsory", "senior_general": "senior_general"}


def public_shares(pp: PlacesParams, registry: pd.DataFrame) -> dict[str, tuple[float, str]]:
    """Share of pupils in public schools by group, with the basis of each."""
    out = {"preschool": (pp.public_share_preschool, "parameter places.public_share_preschool")}
    if pp.public_share_compulsory is not None:
        out["compulsory"] = (pp.public_share_compulsory, "parameter places.public_share_compulsory")
    else:
        pub, s1 = reg.value(registry, "public compulsory schools 2020 (公办义务教育学校数)",
                            ids=("public_compulsory_schools",), name=r"公办义务教育学校数", year=2020)
        allc, s2 = reg.value(registry, "compulsory schools 2020 (义务教育学校数)",
                             ids=("compulsory_schools",), name=r"义务教育学校数",
                             exclude=r"公办|新建|改扩建", year=2020)
        out["compulsory"] = (pub / allc, f"assumption: public school share {pub:g}/{allc:g} "
                             f"({s1}; {s2}) as share of pupils")
    sen = pp.public_share_senior
    out["senior_general"] = ((1.0, "assumption: places.public_share_senior None → 1.0")
                             if sen is None else (sen, "parameter places.public_share_senior"))
    return out


def level_arrays(result: ProjectionResult, pp: PlacesParams, sizes: dict[str, Standard]):
    """Pupils and classes per level (D, Y, C), incl. the 'compulsory' aggregate, and bases."""
    li = {lv: i for i, lv in enumerate(result.levels)}
    pupils, classes, basis = {}, {}, {}
    pre = result.enrolled[:, :, li["preschool"], :].astype(float)
    shares = age_shares(result, pp.preschool_age_split)
    kg = tuple(sizes[f"kg_age{a}"].value for a in (3, 4, 5))
    pupils["preschool"] = pre
    classes["preschool"] = kindergarten_classes(pre, shares, kg)
    basis["preschool"] = (f"小班/中班/大班 {kg[0]:g}/{kg[1]:g}/{kg[2]:g} per class ("
                          + "; ".join(sizes[f"kg_age{a}"].basis for a in (3, 4, 5))
                          + f"); ages 3/4/5 split: {pp.preschool_age_split}")
    for lv in SCHOOL_LEVELS:
        s = sizes[lv]
        pupils[lv] = result.enrolled[:, :, li[lv], :].astype(float)
        classes[lv] = classes_needed(pupils[lv], s.value)
        basis[lv] = f"{s.value:g} per class ({s.basis})"
    pupils["compulsory"] = pupils["primary"] + pupils["junior_secondary"]
    classes["compulsory"] = classes["primary"] + classes["junior_secondary"]
    basis["compulsory"] = f"primary: {basis['primary']}; junior: {basis['junior_secondary']}"
    return pupils, classes, basis


def _on_years(cap: Capacity, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices into ``years`` and capacity values for the years both cover."""
    keep = np.isin(years, cap.years)
    return np.flatnonzero(keep), cap.places[np.isin(cap.years, years)]


def demand_table(
    result: ProjectionResult, rp: RunParams, registry: pd.DataFrame,
    capacity: dict[str, Capacity] | None = None,
) -> pd.DataFrame:
    """Tidy places_demand rows: places, classes, public places needed (all counties + city),
    capacity, gap and crowding (city only)."""
    pp, sc, years = rp.places, result.scenario, np.asarray(result.years)
    sizes = class_sizes(pp)
    capacity = capacity or capacity_paths(pp, registry, int(years.max()))
    shares = public_shares(pp, registry)
    pupils, classes, basis = level_arrays(result, pp, sizes)
    frames = []
    for lv in ("preschool", *SCHOOL_LEVELS, "compulsory"):
        p, cty = with_city(pupils[lv], result.counties, CITY)
        c, _ = with_city(classes[lv], result.counties, CITY)
        share, share_src = shares[GROUP_OF[lv]]
        frames += [
            rows(p, years, cty, lv, "places_needed", sc, basis="one place per projected pupil",
                 note=""),
            rows(c, years, cty, lv, "classes_needed", sc, basis=basis[lv],
                 note="classes rounded up per county; city = sum of counties"),
            rows(p * share, years, cty, lv, "public_places_needed", sc,
                 basis=f"places_needed × public share {share:.4g} ({share_src})", note=""),
        ]
    for group, cap in capacity.items():
        idx, vals = _on_years(cap, years)
        if not len(idx):
            continue
        dem = pupils[group][:, idx, :].sum(axis=2)
        yrs = years[idx]
        capd = np.broadcast_to(vals, dem.shape)
        frames += [
            rows(capd, yrs, CITY, group, "capacity", sc, basis=cap.basis, note=""),
            rows(capd - dem, yrs, CITY, group, "gap", sc, basis="capacity - places_needed",
                 note="negative = shortage of places"),
        ]
        for lv in SCHOOL_LEVELS:
            if GROUP_OF[lv] != group:
                continue
            avg = sizes[lv].value * dem / capd
            note = (f"pupils per class if the group's shortfall is spread over classrooms built "
                    f"at the standard size; bands: 大班额 ≥{sizes['large_class'].value:g} "
                    f"({sizes['large_class'].basis}), 超大班额 ≥{sizes['very_large_class'].value:g}")
            frames.append(rows(avg, yrs, CITY, lv, "avg_class_size_if_crowded", sc,
                               basis=f"{sizes[lv].value:g} × places_needed / capacity ({group})",
                               note=note))
            for key, q in (("large_class", "prob_large_class"),
                           ("very_large_class", "prob_very_large_class")):
                frames.append(rows((avg >= sizes[key].value).astype(float), yrs, CITY, lv, q,
                                   sc, basis=f"share of draws with avg_class_size_if_crowded ≥ "
                                   f"{sizes[key].value:g}", note="mean = probability"))
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["quantity", "level"], kind="stable",
                           ignore_index=True)
