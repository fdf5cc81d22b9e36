"""Teacher stock at a baseline year, and the published actual ratios. Qingyuan's number of
full-time teachers is not published: the stock is the demand's own rule (``teachers.basis``)
on the observed pupils, or the bureau's count when loaded (``qyedu.teachers.bureau``). The
actual ratios: Guangdong's 2021 pupils per full-time teacher (primary 18.22, junior 13.62,
preschool enrolled ÷ teachers), else China's latest (data/raw/china.csv, preferred rows)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import paths
from ..errors import InputError
from ..observed import read_raw
from ..observed.raw import read_table

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


CHINA_LEVEL = {"senior_general": "senior_general", "senior_vocational": "vocational"}


def china_ratio(level: str, path=None) -> tuple[float, str] | None:
    """China's pupils per full-time teacher in the latest year with both preferred counts
    (data/raw/china.csv, 万人): general senior 2020 2494.45 ÷ 193.32 = 12.9; secondary
    vocational 2020 1628.14 ÷ 84.95 = 19.2. None for other levels."""
    if level not in CHINA_LEVEL:
        return None
    t = read_table(path or paths.raw_csv("china"), ["year", "indicator", "level", "value",
                                                     "preferred"])
    t = t[(t["level"] == CHINA_LEVEL[level]) & (t["preferred"] == "1")
          & t["indicator"].isin(["enrolment", "teachers"])]
    bad = pd.to_numeric(t["value"], errors="coerce").isna()
    if bad.any():
        r = t[bad].iloc[0]
        raise InputError(f"value {r['value']!r} is not a number", r["source_file"],
                         int(r["source_line"]))
    t = t.assign(v=pd.to_numeric(t["value"]))
    e, k = t[t["indicator"] == "enrolment"], t[t["indicator"] == "teachers"]
    both = sorted(set(e["year"]) & set(k["year"]))
    if not both:
        return None
    y = both[-1]
    er, kr = e[e["year"] == y].iloc[0], k[k["year"] == y].iloc[0]
    return er["v"] / kr["v"], (f"China {y} enrolment ÷ teachers ({er['source_file']} lines "
                               f"{er['source_line']}, {kr['source_line']})")


def best_ratio(level: str) -> tuple[float, str] | None:
    """Guangdong's ratio where published, else China's, else None."""
    return guangdong_ratio(level) or china_ratio(level)


def baseline_stock(level: str, basis: str, pupils: np.ndarray, demand: np.ndarray
                   ) -> tuple[np.ndarray, str]:
    """Stock at the baseline year (any shape) on the SAME basis as the demand: the demand's
    rule applied to the observed pupils of the baseline year, so no surplus or shortage comes
    from mixing two ratio families (Qingyuan's own count is not published; load the bureau's
    counts, ``qyedu.teachers.bureau``, to replace it)."""
    return np.array(demand, dtype=float), (
        f"stock = teachers.basis '{basis}' rule on the {level} pupils of the baseline year "
        "(the demand's own basis; Qingyuan's count not published: no gap by construction)")
