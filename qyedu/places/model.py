"""All places arrays of one run, computed once: pupils by county with drifting shares,
capacity by county, overcrowding, and the public view. ``demand``, ``answers`` and
``promises`` turn them into tidy rows."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..params import RunParams
from ..projection.result import ProjectionResult
from .bureau import county_capacity, read_sites
from .capacity import Capacity, capacity_paths, standard_and_large
from .classes import age_shares, classes_needed, kindergarten_classes
from .counties import allocate_capacity, county_enrolment
from .public import public_view
from .standards import Standard, class_sizes

LEVELS = ("preschool", "primary", "junior_secondary", "senior_general")
COMPULSORY = ("primary", "junior_secondary")
ALL = (*LEVELS, "compulsory")
GROUP_OF = {"preschool": "preschool", "primary": "compulsory", "junior_secondary": "compulsory",
            "compulsory": "compulsory", "senior_general": "senior_general"}
PLAN_END = 2025


@dataclass
class PlacesModel:
    """Arrays of one run. Pupils (D, Y, C) on ``years``; capacity and the derived arrays
    (D, Y', C) on ``cap_years[level]`` (from the level's baseline year)."""

    scenario: str
    years: np.ndarray
    counties: tuple[str, ...]
    sizes: dict[str, Standard]
    pupils: dict[str, np.ndarray] = field(default_factory=dict)
    classes: dict[str, np.ndarray] = field(default_factory=dict)
    class_basis: dict[str, str] = field(default_factory=dict)
    cap_years: dict[str, np.ndarray] = field(default_factory=dict)
    capacity: dict[str, np.ndarray] = field(default_factory=dict)
    need_on_cap: dict[str, np.ndarray] = field(default_factory=dict)
    classrooms: dict[str, np.ndarray] = field(default_factory=dict)
    large_pupils: dict[str, np.ndarray] = field(default_factory=dict)
    public: dict[str, dict] = field(default_factory=dict)
    shortage: dict[str, np.ndarray] = field(default_factory=dict)
    idle: dict[str, np.ndarray] = field(default_factory=dict)
    cap: dict[str, Capacity] = field(default_factory=dict)
    pipeline: pd.DataFrame = field(default_factory=pd.DataFrame)
    county_rule: str = ""
    capacity_rule: str = ""
    county_basis: str = "assumption"  # "data" when the bureau's school-sites file is loaded


def large_class_pupils(need: np.ndarray, capacity: np.ndarray, S: float, L: float) -> np.ndarray:
    """Pupils in over-size classes: the excess over capacity sits in classes of ``L`` in
    classrooms built for ``S``, each holding L − S extra pupils → excess × L / (L − S),
    at most all pupils (any shape, one cell = one county)."""
    excess = np.clip(need - capacity, 0, None)
    return np.minimum(excess * L / (L - S), need)


def compute(result: ProjectionResult, rp: RunParams, registry: pd.DataFrame,
            sites: pd.DataFrame | None | bool = True) -> PlacesModel:
    """Every array of the places tables for one projection run. ``sites``: the bureau's
    school-sites table (county capacity and project sites); True = the drop-in file
    data/raw/bureau/school_sites.csv if present (validated; a bad file raises InputError),
    None/False = not used."""
    if sites is True:
        sites = read_sites()
    sites = sites if isinstance(sites, pd.DataFrame) else None
    pp, seed = rp.places, rp.forecast.seed
    years = np.asarray(result.years)
    sizes = class_sizes(pp)
    m = PlacesModel(result.scenario, years, tuple(result.counties), sizes)
    enr, m.county_rule = county_enrolment(result, pp, seed)
    li = {lv: i for i, lv in enumerate(result.levels)}
    kg = tuple(sizes[f"kg_age{a}"].value for a in (3, 4, 5))
    for lv in LEVELS:
        m.pupils[lv] = enr[:, :, li[lv], :]
        if lv == "preschool":
            m.classes[lv] = kindergarten_classes(m.pupils[lv], age_shares(
                result, pp.preschool_age_split), kg)
            m.class_basis[lv] = (f"小班/中班/大班 {kg[0]:g}/{kg[1]:g}/{kg[2]:g} per class ("
                                 + "; ".join(sizes[f"kg_age{a}"].basis for a in (3, 4, 5))
                                 + f"); ages 3/4/5 split: {pp.preschool_age_split}")
        else:
            m.classes[lv] = classes_needed(m.pupils[lv], sizes[lv].value)
            m.class_basis[lv] = f"{sizes[lv].value:g} per class ({sizes[lv].basis})"
    m.pupils["compulsory"] = m.pupils["primary"] + m.pupils["junior_secondary"]
    m.classes["compulsory"] = m.classes["primary"] + m.classes["junior_secondary"]
    m.class_basis["compulsory"] = "; ".join(f"{lv}: {m.class_basis[lv]}" for lv in COMPULSORY)

    caps, m.pipeline = capacity_paths(pp, registry, int(years.max()), result.n_draws, seed)
    m.cap = caps
    m.capacity_rule = (f"baseline capacity allocated by each county's share of demand in the "
                       f"baseline year; planned places by {pp.planned_places_by_county}")
    for lv in LEVELS:
        c = caps[lv]
        idx = np.flatnonzero(np.isin(years, c.years))
        yrs = years[idx]
        need = m.pupils[lv][:, idx, :]
        to = np.flatnonzero(yrs == PLAN_END)
        kc = allocate_capacity(c.base, c.added[np.isin(c.years, yrs)], need, 0,
                               pp.planned_places_by_county, int(to[0]) if len(to) else None)
        if sites is not None and (sites["level"] == lv).any():
            kc = np.broadcast_to(county_capacity(sites, lv, m.counties, yrs)[None],
                                 need.shape).astype(float)
            m.county_basis = "data"
        S, L = standard_and_large(lv, sizes)
        m.cap_years[lv], m.capacity[lv], m.need_on_cap[lv] = yrs, kc, need
        m.classrooms[lv] = kc / S
        m.large_pupils[lv] = large_class_pupils(need, kc, S, L)
    if m.county_basis == "data":
        m.capacity_rule = ("county capacity and project sites from the bureau's file "
                           f"{sites['source_file'].iloc[0]} (existing schools in every year, "
                           "projects from their opening year); levels without rows: "
                           + m.capacity_rule)
    y0 = max(m.cap_years[lv][0] for lv in COMPULSORY)
    sel = {lv: np.isin(m.cap_years[lv], m.cap_years[lv][m.cap_years[lv] >= y0])
           for lv in COMPULSORY}
    m.cap_years["compulsory"] = m.cap_years["primary"][sel["primary"]]
    for lv in LEVELS:  # per level and county; a level's idle places never seat another's pupils
        m.shortage[lv] = np.clip(m.need_on_cap[lv] - m.capacity[lv], 0, None)
        m.idle[lv] = np.clip(m.capacity[lv] - m.need_on_cap[lv], 0, None)
    for d in (m.capacity, m.need_on_cap, m.classrooms, m.large_pupils, m.shortage, m.idle):
        d["compulsory"] = sum(d[lv][:, sel[lv], :] for lv in COMPULSORY)
    for lv in LEVELS:
        need, kc = m.need_on_cap[lv], m.capacity[lv]
        base_county = kc[:, 0, :]  # nothing opens in the baseline year itself
        m.public[lv] = public_view(pp, registry, GROUP_OF[lv], m.cap_years[lv],
                                   int(m.cap_years[lv][0]), need, kc, base_county)
        pv = m.public[lv]
        pv["public_shortage"] = np.clip(pv["public_need"] - pv["public_capacity"], 0, None)
    m.public["compulsory"] = compulsory_public(m.public, sel)
    return m


def compulsory_public(public: dict, sel: dict) -> dict:
    """The compulsory public view as the sum of the primary and junior views on their common
    years; its shortage is the sum of the level shortages (never a net of levels)."""
    out = {k: sum(public[lv][k][:, sel[lv], :] for lv in COMPULSORY)
           for k in ("public_need", "public_capacity", "capacity", "shifted", "public_shortage")}
    out["basis"] = public["primary"]["basis"] + "; compulsory = primary + junior (shortage = " \
        "sum of level shortages)"
    return out
