"""Fallback calibration priors for early vintages: when a level has no observed enrolment
published up to the base year (e.g. as of 2020 there is no 2022–23 cross-section), its
participation factor is set relative to the preschool factor using Guangdong's own ratios
(guangdong_education.csv, as of the base year), computed on the reconstructed Guangdong
births (``births.guangdong``):

- primary: r = [GD primary pupils(T) / GD births(T−6…T−11)] ÷ [GD preschool children(T) /
  GD births(T−3…T−5)] at the latest year T with both (2018, 2021, 2023), f = f_pre × r;
  with no such year, r = 1;
- junior: the same with GD junior pupils (2021); before that f = f_primary × GD nine-year
  retention rate / 100 (2015: 93.74 %);
- senior: f_total = m × GD senior gross enrolment ratio / 100 (2015: 95.66 %) — population
  × enrolment ratio; split general / vocational by ``vintage_priors.senior_general_share``
  in params/births_paths.yaml (an assumption).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import paths
from ..births.guangdong import guangdong_births
from ..errors import InputError
from ..observed.points import guangdong_education
from .result import LEVEL_AGES


def _per_birth(gd: pd.DataFrame, births: pd.Series, level: str, year: int) -> float | None:
    v = gd[(gd["level_code"] == level) & (gd["indicator"] == "enrolled") & (gd["year"] == year)]
    years = [year - a for a in LEVEL_AGES[level]]
    if v.empty or not set(years) <= set(births.index):
        return None
    return float(v["value"].iloc[0]) / float(births.loc[years].sum())


def relative_ratio(level: str, base_year: int) -> tuple[float | None, str]:
    """Guangdong's per-birth enrolment of ``level`` relative to preschool, latest year ≤
    base year where both are published (None if none), and a description."""
    gd = guangdong_education(base_year)
    births = guangdong_births(np.arange(2003, base_year + 1), base_year).set_index("year")["value"]
    years = sorted(gd.loc[(gd["level_code"] == level) & (gd["indicator"] == "enrolled"), "year"],
                   reverse=True)
    for t in years:
        lv, pre = _per_birth(gd, births, level, t), _per_birth(gd, births, "preschool", t)
        if lv is not None and pre is not None:
            return lv / pre, f"prior: Guangdong {t} {level} vs preschool pupils per birth"
    return None, ""


def latest_rate(base_year: int, level: str, indicator: str) -> tuple[float | None, str]:
    """Latest Guangdong value (percent) of ``indicator`` for ``level`` up to the base year."""
    gd = guangdong_education(base_year)
    v = gd[(gd["level_code"] == level) & (gd["indicator"] == indicator)].sort_values("year")
    if v.empty:
        return None, ""
    r = v.iloc[-1]
    return float(r["value"]), f"Guangdong {int(r['year'])} {indicator} {r['value']:g}%"


def prior_spread(path: str | None = None) -> dict[str, float]:
    """Level → log spread of a prior-set factor (``projection.prior_spread_file``, written by
    ``qyedu validate``; ``validation.prior_spread``)."""
    p = paths.resolve(path or "params/calibration/prior_spread.csv")
    if not p.is_file():
        raise InputError("prior spread file not found (run `qyedu validate`)", p)
    df = pd.read_csv(p, comment="#")
    if not {"level", "log_sd"} <= set(df.columns):
        raise InputError("expected columns level, log_sd", p, 1)
    bad = df[~(pd.to_numeric(df["log_sd"], errors="coerce") >= 0)]
    if len(bad):
        raise InputError(f"log_sd must be a number ≥ 0 (got {bad.iloc[0]['log_sd']!r})", p,
                         int(bad.index[0]) + 2 + sum(1 for ln in p.read_text("utf-8")
                                                     .splitlines() if ln.startswith("#")))
    return dict(zip(df["level"], df["log_sd"].astype(float), strict=True))
