"""Teacher stock at a baseline year. Qingyuan's number of full-time teachers is not
published; two proxies (``teachers.stock_basis``): the standard-based demand itself, or
enrolment ÷ Guangdong's 2021 pupils per full-time teacher (primary 18.22, junior 13.62,
preschool enrolled ÷ teachers; no provincial senior ratio → demand)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..observed import read_raw

GD_LEVEL = {"preschool": "preschool", "primary": "primary", "junior_secondary": "junior secondary"}


def guangdong_ratio(level: str, table: pd.DataFrame | None = None) -> tuple[float, str] | None:
    """Guangdong pupils per full-time teacher (latest year with data), or None."""
    if level not in GD_LEVEL:
        return None
    t = read_raw("guangdong_education") if table is None else table
    t = t[t["level"] == GD_LEVEL[level]]
    direct = t[t["indicator"] == "students_per_teacher"]
    if len(direct):
        r = direct.sort_values("year").iloc[-1]
        return float(r["value"]), f"Guangdong {r['year']} ({r['source_file']} line {r['source_line']})"
    e, k = t[t["indicator"] == "enrolled"], t[t["indicator"] == "full_time_teachers"]
    both = sorted(set(e["year"]) & set(k["year"]))
    if not both:
        return None
    y = both[-1]
    er, kr = e[e["year"] == y].iloc[0], k[k["year"] == y].iloc[0]
    return (float(er["value"]) / float(kr["value"]),
            f"Guangdong {y} enrolled ÷ teachers ({er['source_file']} lines "
            f"{er['source_line']}, {kr['source_line']})")


def baseline_stock(level: str, basis: str, pupils: np.ndarray, demand: np.ndarray
                   ) -> tuple[np.ndarray, str]:
    """Stock at the baseline year (any shape): demand, or pupils ÷ the Guangdong ratio."""
    if basis == "guangdong_ratio":
        gd = guangdong_ratio(level)
        if gd is not None:
            return pupils / gd[0], f"proxy: enrolment ÷ {gd[0]:.4g} pupils per teacher ({gd[1]})"
        return demand, "proxy: no Guangdong ratio for this level, stock = demand"
    return demand, "proxy: stock = standard-based demand (Qingyuan stock not published)"
