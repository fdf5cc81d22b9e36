"""Where each county's tile goes on the county tile map (page 30): Qingyuan's eight county-level
units with their seats' coordinates (``geodata/qingyuan_counties.csv``, source in
``geodata/SOURCE.md``: DataV.GeoAtlas county seats, no boundary shipped), placed on a grid by
one documented rule, and the shortage per county that colours the tiles (``places_demand.csv``)."""

from __future__ import annotations

import math
from functools import cache
from importlib import resources

import pandas as pd

CELL_DEG = 0.35  # grid cell in degrees: neighbouring seats 0.3–0.5° apart get their own cells


@cache
def counties() -> pd.DataFrame:
    """The eight counties: adcode, name_zh, name_en, seat_lon, seat_lat (package data)."""
    with resources.files(__package__).joinpath("geodata/qingyuan_counties.csv").open(
            encoding="utf-8") as f:
        return pd.read_csv(f, dtype={"adcode": str})


def tile_layout(seats: pd.DataFrame | None = None, cell: float = CELL_DEG) -> pd.DataFrame:
    """``seats`` (default: ``counties()``) with integer ``col`` (west → east) and ``row``
    (north → south): each seat's position in grid units is (lon − west) / cell and
    (north − lat) / cell; county–cell pairs are taken nearest first (ties by name), each
    county the closest free cell, so no two counties share a tile."""
    s = (counties() if seats is None else seats).reset_index(drop=True)
    x = (s["seat_lon"] - s["seat_lon"].min()) / cell
    y = (s["seat_lat"].max() - s["seat_lat"]) / cell
    pairs = []
    for i, (xi, yi) in enumerate(zip(x, y, strict=True)):
        for c in range(math.floor(xi) - 1, math.ceil(xi) + 2):
            for r in range(math.floor(yi) - 1, math.ceil(yi) + 2):
                pairs.append((math.hypot(xi - c, yi - r), s.at[i, "name_zh"], i, c, r))
    placed: dict[int, tuple[int, int]] = {}
    taken: set[tuple[int, int]] = set()
    for _, _, i, c, r in sorted(pairs):
        if i not in placed and (c, r) not in taken:
            placed[i] = (c, r)
            taken.add((c, r))
    out = s.copy()
    out["col"] = [placed[i][0] for i in range(len(s))]
    out["row"] = [placed[i][1] for i in range(len(s))]
    out[["col", "row"]] -= out[["col", "row"]].min()
    return out


def county_shortage(demand: pd.DataFrame, level: str, year: int) -> pd.DataFrame:
    """Per county of the map: the shortage of ``level`` in ``year`` (places_demand.csv,
    quantity ``shortage`` = max(0, needed − capacity) per county and draw): mean, p50, p95."""
    d = demand[(demand["level"] == level) & (demand["year"] == year)
               & (demand["quantity"] == "shortage")].set_index("county")
    t = tile_layout()
    missing = sorted(set(t["name_zh"]) - set(d.index))
    if missing:
        raise ValueError(f"places_demand.csv has no {level} shortage in {year} for "
                         f"{', '.join(missing)}")
    for q in ("mean", "p50", "p95"):
        t[q] = t["name_zh"].map(d[q]).astype(float)
    return t
