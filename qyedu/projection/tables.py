"""The processed tables of the projection (written by ``qyedu build`` / ``qyedu forecast``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..stats import summarize
from .consistency import flow_checks
from .gradeflow import CHAIN, source_index, stage_cohorts
from .result import ProjectionResult

STAGE_ZH = {"pre3": "幼儿园小班", "pre4": "幼儿园中班", "pre5": "幼儿园大班",
            **{f"g{g}": f"小学{'一二三四五六'[g - 1]}年级" for g in range(1, 7)},
            **{f"g{g}": f"初中{'一二三'[g - 7]}年级" for g in range(7, 10)},
            **{f"gen{g}": f"普通高中{'一二三'[g - 10]}年级" for g in range(10, 13)},
            **{f"voc{g}": f"中职{'一二三'[g - 10]}年级" for g in range(10, 13)}}
GRADE_COLUMNS = ["year", "stage", "stage_zh", "level", "age", "fed_by", "ratio_kind",
                 "pupils_mean", "pupils_p05", "pupils_p50", "pupils_p95", "ratio_p05",
                 "ratio_p50", "ratio_p95", "age_cohort_p50", "scenario"]


def forecast_table(result: ProjectionResult) -> pd.DataFrame:
    """enrollment_forecast.csv: the result's summary plus the vintage and births method."""
    out = result.summary()
    out["base_year"] = result.base_year
    out["births_method"] = result.births_method
    return out


def grade_table(result: ProjectionResult) -> pd.DataFrame:
    """enrolment_by_grade.csv: pupils of every stage (grade or preschool age) and year with
    p05/p50/p95 and the ratio applied to reach it: an entry stage's entry ratio (pupils per
    age-cohort birth, ``age_cohort_p50`` beside it), a fed stage's progression or transition
    ratio from ``fed_by`` a year earlier, so one birth cohort can be followed from age 3 to
    grade 12 (age a in year t is age a + 1 in year t + 1). Empty without stage draws."""
    if result.stages is None:
        return pd.DataFrame(columns=GRADE_COLUMNS)
    src = source_index()
    coh = stage_cohorts(result.births, int(result.births_years[0]), result.years)
    pupils = summarize(result.stages)
    r = result.stage_ratios()
    r = np.where(np.isfinite(r), r, 0.0)
    ratio = {k: np.quantile(r, q, axis=0) for k, q in (("p05", 0.05), ("p50", 0.5),
                                                       ("p95", 0.95))}
    cohort = np.median(coh, axis=0)
    rows = []
    for t, year in enumerate(result.years):
        for g, st in enumerate(CHAIN):
            entry = src[g] < 0
            kind = "entry" if entry else ("transition" if CHAIN[src[g]].level != st.level
                                          else "progression")
            rows.append({
                "year": int(year), "stage": st.name, "stage_zh": STAGE_ZH[st.name],
                "level": st.level, "age": st.age, "fed_by": "" if entry else CHAIN[src[g]].name,
                "ratio_kind": kind, "pupils_mean": pupils["mean"][t, g],
                "pupils_p05": pupils["p05"][t, g], "pupils_p50": pupils["p50"][t, g],
                "pupils_p95": pupils["p95"][t, g],
                **{f"ratio_{k}": (v[t, g] if t > 0 else np.nan) for k, v in ratio.items()},
                "age_cohort_p50": cohort[t, g] if entry else np.nan,
                "scenario": result.scenario})
    return pd.DataFrame(rows, columns=GRADE_COLUMNS)


def tables(result: ProjectionResult, indicators: pd.DataFrame | None = None,
           tolerance_pp: float = 5.0) -> dict[str, pd.DataFrame]:
    """``enrollment_forecast.csv``, ``births_reconstruction.csv``, ``enrolment_by_grade.csv``
    and, given the plan's
    indicators, ``flow_checks.csv`` (the back-test is a stage of its own:
    ``outturn_backtest.real_backtest``)."""
    out = {
        "enrollment_forecast.csv": forecast_table(result),
        "births_reconstruction.csv": result.reconstruction,
        "enrolment_by_grade.csv": grade_table(result),
    }
    if indicators is not None:
        out["flow_checks.csv"] = flow_checks(result, indicators, tolerance_pp)
    return out
