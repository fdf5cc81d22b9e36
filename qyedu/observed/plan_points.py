"""The plan's own 2015 and 2020 preschool figures (在园幼儿数, 学前三年毛入园率), the
calibration points of the preschool level and of the child population.

They come from the plan registry (the plan stage's ``plan_indicators.csv``, passed in by the
caller; ids ``preschool_enrolled`` and ``preschool_gross_enrolment_ratio``, kind ``actual``).
The plan is parsed once per run, by the plan stage, never here.
"""

from __future__ import annotations

import pandas as pd

from .. import paths
from ..errors import InputError

IDS = {"preschool_enrolled": "在园幼儿数（人）", "preschool_gross_enrolment_ratio": "学前三年毛入学率（%）"}
COLUMNS = ["indicator_id", "year", "value", "source"]


def _from_registry(df: pd.DataFrame) -> pd.DataFrame:
    idcol = "indicator_id" if "indicator_id" in df.columns else "id"
    df = df[df[idcol].isin(list(IDS))]
    if "kind" in df.columns:
        df = df[df["kind"] == "actual"]
    df = df[pd.to_numeric(df["year"], errors="coerce").isin([2015, 2020])]
    if df.empty:
        raise InputError("the plan registry has no 2015/2020 actuals for "
                         f"{', '.join(IDS)} (table 1 of the plan)", paths.plan_file())
    out = pd.DataFrame({"indicator_id": df[idcol].astype(str), "year": df["year"].astype(int),
                        "value": df["value"].astype(float), "source": "qyedu.plan registry"})
    # the same figure may be quoted twice (table 1 and the prose); they must agree
    out = out.drop_duplicates(["indicator_id", "year", "value"])
    clash = out[out.duplicated(["indicator_id", "year"], keep=False)]
    if len(clash):
        raise InputError(f"the plan gives different values for {clash.to_dict('records')}",
                         paths.plan_file())
    return out.reset_index(drop=True)


def preschool_points(indicators: pd.DataFrame, base_year: int | None = None) -> pd.DataFrame:
    """Preschool enrolment (children) and gross enrolment ratio (percent), 2015 and 2020,
    from the plan registry ``indicators``, as of ``base_year`` (observation year ≤ base_year)."""
    df = _from_registry(indicators)
    return df[df["year"] <= (base_year or 9999)].sort_values(["indicator_id", "year"]).reset_index(
        drop=True)
