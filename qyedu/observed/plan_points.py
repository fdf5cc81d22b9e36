"""The plan's own 2015 and 2020 preschool figures (在园幼儿数, 学前三年毛入园率), the
calibration points of the preschool level and of the child population.

They come from the plan registry (``qyedu.plan.load_indicators()``, ids
``preschool_enrolled`` and ``preschool_gross_enrolment_ratio``, kind ``actual``). If the
registry is not available (it is built by another module), the two rows are read directly
from the plan's table 1 in the plan text, where each label is followed by its 2015 and 2020
cells — same numbers, same document, noted in ``source``.
"""

from __future__ import annotations

import re

import pandas as pd

from .. import paths
from ..errors import InputError

IDS = {"preschool_enrolled": "在园幼儿数（人）", "preschool_gross_enrolment_ratio": "学前三年毛入学率（%）"}
COLUMNS = ["indicator_id", "year", "value", "source"]


def _from_registry() -> pd.DataFrame | None:
    try:
        from ..plan import load_indicators
    except ImportError:
        return None
    df = load_indicators()
    idcol = "indicator_id" if "indicator_id" in df.columns else "id"
    df = df[df[idcol].isin(list(IDS))]
    if "kind" in df.columns:
        df = df[df["kind"] == "actual"]
    df = df[pd.to_numeric(df["year"], errors="coerce").isin([2015, 2020])]
    if df.empty:
        return None
    out = pd.DataFrame({"indicator_id": df[idcol].astype(str), "year": df["year"].astype(int),
                        "value": df["value"].astype(float), "source": "qyedu.plan registry"})
    # the same figure may be quoted twice (table 1 and the prose); they must agree
    out = out.drop_duplicates(["indicator_id", "year", "value"])
    clash = out[out.duplicated(["indicator_id", "year"], keep=False)]
    if len(clash):
        raise InputError(f"the plan gives different values for {clash.to_dict('records')}",
                         paths.plan_file())
    return out.reset_index(drop=True)


def _from_plan_text() -> pd.DataFrame:
    path = paths.plan_file()
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    rows = []
    for ind, label in IDS.items():
        try:
            i = lines.index(label)
        except ValueError:
            raise InputError(f"table-1 row {label!r} not found", path) from None
        nums = [x for x in lines[i + 1:i + 4] if re.fullmatch(r"[\d.]+", x)][:2]
        if len(nums) != 2:
            raise InputError(f"expected 2015 and 2020 values after {label!r}", path, i + 1)
        for year, v in zip((2015, 2020), nums, strict=True):
            rows.append({"indicator_id": ind, "year": year, "value": float(v),
                         "source": f"plan text line {i + 1} (table 1)"})
    return pd.DataFrame(rows, columns=COLUMNS)


def preschool_points(base_year: int | None = None) -> pd.DataFrame:
    """Preschool enrolment (children) and gross enrolment ratio (percent), 2015 and 2020,
    as of ``base_year`` (observation year ≤ base_year)."""
    df = _from_registry()
    if df is None:
        df = _from_plan_text()
    return df[df["year"] <= (base_year or 9999)].sort_values(["indicator_id", "year"]).reset_index(
        drop=True)
