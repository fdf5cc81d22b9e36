"""Capacity inventory: places available per school year and level (whole city, per draw).

Baseline (the latest published count, stated in each row's ``basis``):
- **Classrooms × standard class size** where class counts are published (an ``enrollment``
  row with indicator ``classes`` for the level); none are in data/raw today.
- Otherwise **enrolment in use, corrected for baseline overcrowding**: a share ``s`` of the
  pupils sits in 大班额 classes of at least ``L`` = 56 (standards.csv) in classrooms built for
  the standard ``S``; places at the standard = pupils × (1 − s + s × S / L). ``s`` is the
  parameter ``places.large_class_share_<level>`` (an assumption: not published), drawn per
  draw as s × uniform(1 − spread, 1 + spread). Schools: the 2022–23 enrolment
  (enrollment.csv); preschool: the plan's 2020 在园幼儿数 (S = mean of 小/中/大班, L = 大班).
- Then + places delivered and planned (``pipeline``) opening after the baseline year;
  nothing is published after 2025: capacity is constant from then on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..observed import read_raw
from ..params import PlacesParams
from . import plan_lookup as reg
from .pipeline import additions, pipeline
from .standards import Standard, class_sizes

LEVELS = ("preschool", "primary", "junior_secondary", "senior_general")
ENROLL_LEVEL = {"primary": "primary", "junior secondary": "junior_secondary",
                "general senior secondary": "senior_general"}
SHARE_PARAM = {"preschool": "large_class_share_preschool", "primary": "large_class_share_primary",
               "junior_secondary": "large_class_share_junior",
               "senior_general": "large_class_share_senior"}


@dataclass(frozen=True)
class Capacity:
    """Capacity of one level: ``places[d, i]`` available in school year ``years[i]`` (draw d);
    ``base`` the baseline places (D,), ``added`` the pipeline places opening each year."""

    level: str
    years: np.ndarray
    places: np.ndarray
    base: np.ndarray
    added: np.ndarray
    basis: str


def standard_and_large(level: str, sizes: dict[str, Standard]) -> tuple[float, float]:
    """Standard class size S and the over-size class size L of a level (pupils per class)."""
    if level == "preschool":
        kg = [sizes[f"kg_age{a}"].value for a in (3, 4, 5)]
        return float(np.mean(kg)), float(max(kg))
    return sizes[level].value, sizes["large_class"].value


def observed_enrolment(enrollment: pd.DataFrame | None = None):
    """Baseline school year, enrolment and published class counts by level, and the source."""
    e = read_raw("enrollment") if enrollment is None else enrollment
    years = {int(str(s)[:4]) for s in e["school_year"]}
    e = e[e["school_year"].str[:4].astype(int) == max(years)]
    year = int(str(e["school_year"].iloc[0])[:4])
    pupils, classes = {}, {}
    for prefix, level in ENROLL_LEVEL.items():
        for ind, out in (("enrolled", pupils), ("classes", classes)):
            hit = e[(e["indicator"] == ind) & e["level"].str.startswith(prefix)]
            if len(hit) == 1:
                out[level] = (float(hit["value"].iloc[0]), int(hit["source_line"].iloc[0]))
    return year, pupils, classes


def large_class_draws(pp: PlacesParams, level: str, n_draws: int, seed: int) -> np.ndarray:
    """Baseline share of pupils in over-size classes, per draw (deterministic for a seed)."""
    s = getattr(pp, SHARE_PARAM[level])
    rng = np.random.default_rng([seed, 7, LEVELS.index(level)])
    u = rng.uniform(1 - pp.large_class_share_spread, 1 + pp.large_class_share_spread, n_draws)
    return np.clip(s * u, 0, 1)


def baselines(pp: PlacesParams, registry: pd.DataFrame, n_draws: int, seed: int,
              enrollment: pd.DataFrame | None = None, sizes=None):
    """level → (year, places (D,), basis) of the baseline capacity."""
    sizes = sizes or class_sizes(pp)
    year0, pupils, classes = observed_enrolment(enrollment)
    pre, pre_src = reg.value(registry, "preschool enrolment 2020 (在园幼儿数)",
                             ids=("preschool_enrolled",), name=r"在园幼儿数", year=2020)
    out = {}
    for lv in LEVELS:
        S, L = standard_and_large(lv, sizes)
        if lv in classes:
            n, line = classes[lv]
            out[lv] = (year0, np.full(n_draws, n * S),
                       f"{n:g} classes × {S:g} (enrollment.csv line {line})")
            continue
        year, p, src = ((2020, pre, pre_src) if lv == "preschool"
                        else (year0, *pupils[lv][:1], f"enrollment.csv line {pupils[lv][1]}"))
        s = large_class_draws(pp, lv, n_draws, seed)
        out[lv] = (year, p * (1 - s + s * S / L),
                   f"{year} enrolment in use {p:g} ({src}) × (1 − s + s × {S:g}/{L:g}), s = "
                   f"places.{SHARE_PARAM[lv]} {getattr(pp, SHARE_PARAM[lv]):g} ± "
                   f"{pp.large_class_share_spread:g} (relative, uniform over draws)")
    return out


def capacity_paths(pp: PlacesParams, registry: pd.DataFrame, horizon: int, n_draws: int = 1,
                   seed: int = 1, places: pd.DataFrame | None = None,
                   enrollment: pd.DataFrame | None = None) -> tuple[dict[str, Capacity],
                                                                   pd.DataFrame]:
    """Capacity of each level in ``LEVELS`` from its baseline year to ``horizon`` (draws),
    and the pipeline table it used."""
    base = baselines(pp, registry, n_draws, seed, enrollment)
    prim = float(base["primary"][1].mean() / (base["primary"][1].mean()
                                              + base["junior_secondary"][1].mean()))
    pipe = pipeline(pp, prim, places)
    out = {}
    for lv, (year0, k0, basis) in base.items():
        years = np.arange(year0, horizon + 1)
        add = np.asarray(additions(pipe, lv, years, year0))
        late = pipe[(pipe["level"] == lv) & (pipe["year"] > horizon)]["places"].sum()
        note = f"; {late:g} planned places open after the horizon" if late else ""
        out[lv] = Capacity(lv, years, k0[:, None] + np.cumsum(add)[None, :], k0, add,
                           f"baseline {basis}; + places delivered/planned opening after "
                           f"{year0} (places.csv, see places_delivered / places_planned rows); "
                           f"constant after 2025{note}")
    return out, pipe
