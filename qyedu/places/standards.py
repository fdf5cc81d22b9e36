"""Class-size standards from data/raw/standards.csv, overridden by PlacesParams when set.
Each value carries a ``basis`` string naming where it came from (file line or parameter)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import InputError
from ..observed import read_raw
from ..params import PlacesParams

# (standard prefix, level prefix, quantity) in standards.csv for each class size we need.
KEYS = {
    "primary": ("school building standard class size", "primary", "students per class"),
    "junior_secondary": ("school building standard class size", "junior", "students per class"),
    "senior_general": ("school building standard class size", "general senior", "students per class"),
    "kg_age3": ("kindergarten work regulations", "preschool (幼儿园) 小班", "children per class"),
    "kg_age4": ("kindergarten work regulations", "preschool (幼儿园) 中班", "children per class"),
    "kg_age5": ("kindergarten work regulations", "preschool (幼儿园) 大班", "children per class"),
    "large_class": ("class-size bands", "primary and secondary", "large class (大班额) lower bound"),
    "very_large_class": ("class-size bands", "primary and secondary", "very large class (超大班额) lower bound"),
}
PARAM_FOR = {
    "primary": "class_size_primary", "junior_secondary": "class_size_junior",
    "senior_general": "class_size_senior", "kg_age3": "class_size_kg_small",
    "kg_age4": "class_size_kg_middle", "kg_age5": "class_size_kg_large",
}


@dataclass(frozen=True)
class Standard:
    """A number with where it came from."""

    value: float
    basis: str


def lookup(table: pd.DataFrame, standard: str, level: str, quantity: str) -> Standard:
    """One row of standards.csv by prefixes of ``standard`` and ``level`` and exact quantity."""
    hit = table[table["standard"].str.startswith(standard) & table["level"].str.startswith(level)
                & (table["quantity"] == quantity)]
    if len(hit) != 1:
        raise InputError(f"expected one row for {standard!r} / {level!r} / {quantity!r}, "
                         f"found {len(hit)}", "standards.csv")
    r = hit.iloc[0]
    return Standard(float(r["value"]), f"{r['source_file']} line {r['source_line']}: {r['quote']}")


def class_sizes(pp: PlacesParams, table: pd.DataFrame | None = None) -> dict[str, Standard]:
    """Class sizes (pupils per class) and large-class thresholds, keyed as in ``KEYS``."""
    table = read_raw("standards") if table is None else table
    out = {k: lookup(table, *key) for k, key in KEYS.items()}
    for k, name in PARAM_FOR.items():
        v = getattr(pp, name)
        if v is not None:
            out[k] = Standard(float(v), f"parameter places.{name} = {v:g}")
    return out
