"""The bureau's own teacher counts, an optional drop-in file validated on load
(``data/raw/bureau/teachers.csv``; template in ``data/templates/``): one row per year, level
and county (or 全市) — ``year, level, county, quantity, value`` with ``quantity``
``full_time_teachers`` (专任教师 in post: the stock) or ``posts`` (核定编制: what the bureau
may staff; the demand basis). With the file, both the stock and the demand rest on the
bureau's counts (demand = pupils × posts ÷ pupils of the count year), so the baseline gap is
the bureau's own (posts − teachers), not an artefact of mixing two ratio families."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from ..places.bureau import COUNTIES, number, one_of, read_optional, year
from .demand import FLOW_LEVELS

QUANTITIES = ("full_time_teachers", "posts")
SPEC = {"year": year, "level": one_of(FLOW_LEVELS), "county": one_of(("全市", *COUNTIES)),
        "quantity": one_of(QUANTITIES), "value": number(0, 200_000)}


def counts_path() -> Path:
    return paths.bureau_dir() / "teachers.csv"


def read_counts(path: Path | None = None) -> pd.DataFrame | None:
    """The validated teacher-counts file, or None when it is not there."""
    return read_optional(Path(path) if path else counts_path(), SPEC)


def by_county(counts: pd.DataFrame, level: str, quantity: str, year_: int, counties,
              pupils: np.ndarray) -> tuple[np.ndarray, str] | None:
    """A count per county (D, C) for one level, quantity and year: county rows where all
    counties are given, else the 全市 row shared by the pupils of each county (D, C)."""
    t = counts[(counts["level"] == level) & (counts["quantity"] == quantity)
               & (counts["year"] == year_)]
    if t.empty:
        return None
    lines = ", ".join(str(x) for x in t["source_line"])
    src = f"bureau {t['source_file'].iloc[0]} line(s) {lines}"
    cty = t[t["county"] != "全市"].set_index("county")["value"]
    if set(counties) <= set(cty.index):
        v = cty.reindex(list(counties)).to_numpy(dtype=float)
        return np.broadcast_to(v, pupils.shape).copy(), src
    city = t[t["county"] == "全市"]["value"]
    if city.empty:
        return None
    tot = pupils.sum(axis=-1, keepdims=True)
    share = pupils / np.where(tot > 0, tot, 1)
    return float(city.iloc[0]) * share, src + " (全市, shared by pupils)"
