"""The published building pipeline (data/raw/places.csv), one row per vintage and level:
places *delivered* (2021, observed) and *planned* (2022; 2023–25, a draft), with the school
year each place opens in.

Rules (each stated in the rows' ``basis``):
- Places open for the school year starting in the calendar year they are delivered.
- ``primary+secondary`` figures (2021 delivered 12,950; 2023–25 planned 75,850) are split
  into general senior by ``senior_share_2023_25`` (default: the 2022 plan's ratio
  2,000 / 22,500) and the rest into primary / junior by ``primary_share_of_compulsory_places``
  (default: the primary share of baseline compulsory capacity, passed in).
- 2023–25 places are phased by ``phase_2023_25``.
- Delay: a share ``planned_delay_share`` of each planned tranche opens one year late.
  Delivered places are never delayed.
- Netting: the 2022 preschool figure excludes purchased places (不含购买学位); purchased places
  and conversions are never added here (see ``public``).
"""

from __future__ import annotations

import pandas as pd

from ..errors import InputError
from ..observed import read_raw
from ..params import PlacesParams

LEVELS = ("preschool", "primary", "junior_secondary", "senior_general")
COLUMNS = ["level", "vintage", "status", "year", "places", "basis"]


def _row(places: pd.DataFrame, period: str, level: str) -> tuple[float, str]:
    """Places for ``period`` whose level starts with ``level`` (one row, else InputError)."""
    hit = places[(places["period"] == period) & places["level"].str.startswith(level)
                 & places["indicator"].isin(["new_public_places", "planned_new_public_places"])]
    if len(hit) != 1:
        raise InputError(f"expected one places row for {period} / {level!r}, found {len(hit)}",
                         "places.csv")
    r = hit.iloc[0]
    return float(r["value"]), f"places.csv line {r['source_line']}"


def senior_share(pp: PlacesParams, places: pd.DataFrame) -> tuple[float, str]:
    """Share of general senior places in the primary+secondary figures."""
    if pp.senior_share_2023_25 is not None:
        return pp.senior_share_2023_25, "parameter places.senior_share_2023_25"
    s, _ = _row(places, "2022", "general senior")
    c, _ = _row(places, "2022", "compulsory")
    return s / (s + c), f"assumption: 2022 plan ratio {s:g}/({c:g}+{s:g})"


def pipeline(pp: PlacesParams, primary_share: float, places: pd.DataFrame | None = None,
             ) -> pd.DataFrame:
    """Places opening per level, vintage and school year (COLUMNS), delays applied.

    Parameters
    ----------
    primary_share : share of primary in compulsory places when not set by
        ``places.primary_share_of_compulsory_places`` (fraction).
    """
    places = read_raw("places") if places is None else places
    share, share_src = senior_share(pp, places)
    prim = pp.primary_share_of_compulsory_places
    prim, prim_src = ((prim, "parameter places.primary_share_of_compulsory_places")
                      if prim is not None else
                      (primary_share, f"assumption: primary share of baseline capacity "
                       f"{primary_share:.3f}"))
    phase = dict(zip((2023, 2024, 2025), pp.phase_2023_25, strict=True))
    out: list[tuple] = []

    def add(level, vintage, status, years: dict[int, float], basis):
        for y, v in years.items():
            if status == "planned" and pp.planned_delay_share > 0:
                out.append((level, vintage, status, y, v * (1 - pp.planned_delay_share), basis))
                out.append((level, vintage, "planned_late", y + 1, v * pp.planned_delay_share,
                            basis + f"; {pp.planned_delay_share:g} one year late"))
            else:
                out.append((level, vintage, status, y, v, basis))

    def split(level_total: float, src: str, vintage: str, status: str, years: dict[int, float]):
        parts = {"senior_general": share, "primary": (1 - share) * prim,
                 "junior_secondary": (1 - share) * (1 - prim)}
        for lv, f in parts.items():
            add(lv, vintage, status, {y: level_total * w * f for y, w in years.items()},
                f"{src} × {f:.4f} ({share_src}; {prim_src})")

    v, src = _row(places, "2021", "primary+secondary")
    split(v, src, "2021", "delivered", {2021: 1.0})
    v, src = _row(places, "2021", "preschool")
    add("preschool", "2021", "delivered", {2021: v}, src)
    v, src = _row(places, "2022", "preschool")
    add("preschool", "2022", "planned", {2022: v}, src + " (excludes purchased places)")
    v, src = _row(places, "2022", "compulsory")
    for lv, f in (("primary", prim), ("junior_secondary", 1 - prim)):
        add(lv, "2022", "planned", {2022: v * f}, f"{src} × {f:.4f} ({prim_src})")
    v, src = _row(places, "2022", "general senior")
    add("senior_general", "2022", "planned", {2022: v}, src)
    v, src = _row(places, "2023-2025", "preschool")
    add("preschool", "2023-2025", "planned", {y: v * w for y, w in phase.items()}, src)
    v, src = _row(places, "2023-2025", "primary+secondary")
    split(v, src, "2023-2025", "planned", phase)
    df = pd.DataFrame(out, columns=COLUMNS)
    return df[df["places"] > 0].reset_index(drop=True)


def additions(pipe: pd.DataFrame, level: str, years, after: int) -> list[float]:
    """Places of ``level`` opening in each of ``years`` after ``after`` (the baseline year,
    whose measured capacity already contains what opened by then). Vintages planned for the
    baseline year or earlier are inside the baseline whether or not they were late."""
    start = pipe["vintage"].str[:4].astype(int)
    keep = (pipe["level"] == level) & (pipe["year"] > after) & (start > after)
    p = pipe[keep].groupby("year")["places"].sum()
    return [float(p.get(int(y), 0.0)) for y in years]
