"""Capacity path (places available per school year, whole city) for preschool, compulsory
(primary + junior) and general senior schools.

Assumptions (stated in every output row's ``basis``):
- **Enrolment in use = capacity at the baseline.** Compulsory and general senior: the
  2022–23 enrolment (enrollment.csv) is the capacity in use, including the places delivered
  in 2021 and planned for 2022. Preschool: the plan's 2020 在园幼儿数 (registry) plus the
  public places delivered in 2021 and planned for 2022. The plan itself diagnoses shortages
  (大班额, 学位紧缺), so capacity = enrolment overstates spare capacity: gaps are an upper
  bound on surplus, a lower bound on need.
- Places open for the school year starting in the calendar year they are delivered.
- 2023–25: 75,850 primary+secondary places split by ``places.senior_share_2023_25``
  (default: the 2022 plan's senior share); all planned places phased by ``phase_2023_25``.
- No places plan is published after 2025: capacity is held constant.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from ..observed import read_raw
from ..params import PlacesParams
from . import plan_lookup as reg

GROUPS = ("preschool", "compulsory", "senior_general")
ENROLL_LEVEL = {"primary": "primary", "junior secondary": "junior_secondary",
                "general senior secondary": "senior_general"}


@dataclass(frozen=True)
class Capacity:
    """Capacity of one group of levels: ``places[i]`` available in school year ``years[i]``."""

    group: str
    years: np.ndarray
    places: np.ndarray
    basis: str


def _place(places: pd.DataFrame, period: str, level: str) -> tuple[float, str]:
    """Places for ``period`` whose level starts with ``level`` (one row, else InputError)."""
    hit = places[(places["period"] == period) & places["level"].str.startswith(level)
                 & places["indicator"].isin(["new_public_places", "planned_new_public_places"])]
    if len(hit) != 1:
        raise InputError(f"expected one places row for {period} / {level!r}, found {len(hit)}",
                         "places.csv")
    r = hit.iloc[0]
    return float(r["value"]), f"places.csv line {r['source_line']}"


def observed_enrolment(enrollment: pd.DataFrame | None = None) -> tuple[int, dict[str, float], str]:
    """Baseline school year, enrolment by level and its source (the 2022–23 cross-section)."""
    e = read_raw("enrollment") if enrollment is None else enrollment
    e = e[e["indicator"] == "enrolled"]
    years = {int(str(s)[:4]) for s in e["school_year"]}
    if len(years) != 1:  # a richer series: take the latest school year
        e = e[e["school_year"].str[:4].astype(int) == max(years)]
    year = int(str(e["school_year"].iloc[0])[:4])
    out = {}
    for prefix, level in ENROLL_LEVEL.items():
        hit = e[e["level"].str.startswith(prefix)]
        if len(hit) == 1:
            out[level] = float(hit["value"].iloc[0])
    lines = ", ".join(str(x) for x in e["source_line"])
    return year, out, f"enrollment.csv lines {lines}"


def senior_share(pp: PlacesParams, places: pd.DataFrame) -> tuple[float, str]:
    """Share of general senior places in the 2023–25 primary+secondary plan."""
    if pp.senior_share_2023_25 is not None:
        return pp.senior_share_2023_25, "parameter places.senior_share_2023_25"
    s, _ = _place(places, "2022", "general senior")
    c, _ = _place(places, "2022", "compulsory")
    return s / (s + c), f"assumption: 2022 plan ratio {s:g}/({c:g}+{s:g})"


def capacity_paths(
    pp: PlacesParams, registry: pd.DataFrame, horizon: int,
    places: pd.DataFrame | None = None, enrollment: pd.DataFrame | None = None,
) -> dict[str, Capacity]:
    """Capacity of each group in ``GROUPS`` from its baseline year to ``horizon``."""
    places = read_raw("places") if places is None else places
    year0, enr, enr_src = observed_enrolment(enrollment)
    share, share_src = senior_share(pp, places)
    later, later_src = _place(places, "2023-2025", "primary+secondary")
    pre_later, pre_later_src = _place(places, "2023-2025", "preschool")
    pre0, pre0_src = reg.value(registry, "preschool enrolment 2020 (在园幼儿数)",
                               ids=("preschool_enrolled",), name=r"在园幼儿数", year=2020)
    pre21, pre21_src = _place(places, "2021", "preschool")
    pre22, pre22_src = _place(places, "2022", "preschool")
    phase = dict(zip((2023, 2024, 2025), pp.phase_2023_25, strict=True))
    phasing = f"2023-25 places phased {', '.join(f'{v:.3g}' for v in pp.phase_2023_25)}"
    spec = {
        "preschool": (2020, pre0, {2021: pre21, 2022: pre22}, pre_later,
                      f"capacity 2020 = plan 在园幼儿数 ({pre0_src}) + 2021 delivered ({pre21_src}) "
                      f"+ 2022 planned ({pre22_src}) + 2023-25 planned ({pre_later_src})"),
        "compulsory": (year0, enr["primary"] + enr["junior_secondary"], {}, later * (1 - share),
                       f"capacity {year0} = enrolment in use ({enr_src}; includes 2021-22 new "
                       f"places) + 2023-25 planned × (1 - senior share) ({later_src}; {share_src})"),
        "senior_general": (year0, enr["senior_general"], {}, later * share,
                           f"capacity {year0} = enrolment in use ({enr_src}) + 2023-25 planned "
                           f"× senior share ({later_src}; {share_src})"),
    }
    out = {}
    for group, (start, base, early, total_later, basis) in spec.items():
        years = np.arange(start, horizon + 1)
        add = np.array([early.get(int(y), 0.0) + total_later * phase.get(int(y), 0.0)
                        for y in years])
        out[group] = Capacity(group, years, base + np.cumsum(add),
                              basis + f"; {phasing}; enrolment in use taken as capacity "
                              "(plan diagnoses shortages: lower bound on need); constant after 2025")
    return out
