"""Rows of ``next_plan.csv`` read from the stage tables of the run (schema.FROM_TABLES):
the same numbers as the pages on enrolment (20), places (30), teachers (40) and costs (70),
restricted to 2026–2030 and put into the plan registry's schema."""

from __future__ import annotations

import math

import pandas as pd

from ..labels import LEVEL_LABELS
from .schema import FROM_TABLES, GROUP_ZH, PLAN_YEARS, PROB_MEANING, PROB_ONLY


def _fmt(v: float, unit: str) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if unit in ("%", "人/班"):
        return f"{v:,.1f}"
    return f"{v:,.0f}"


def sentence(year, county, level, name_zh, unit, p05, p50, p95) -> str:
    """What a drafter can quote: ``2030年 全市 小学 学位需求 约 463,600 个（90% 区间 …）``."""
    lv = LEVEL_LABELS.get(str(level), (str(level), ""))[0]
    band = "" if any(isinstance(v, float) and math.isnan(v) for v in (p05, p95)) else \
        f"（90% 区间 {_fmt(p05, unit)}–{_fmt(p95, unit)}）"
    return f"{int(year)}年{county}{lv}{name_zh}约 {_fmt(p50, unit)} {unit}{band}"


def row(indicator_id, name_zh, name_en, level, unit, year, county, stats: dict, source: str,
        basis: str, scenario: str, qualification: str = "", prob=float("nan"),
        prob_meaning: str = "") -> dict:
    """One next_plan.csv row in the registry's schema (value = p50)."""
    return {"indicator_id": indicator_id, "name_zh": name_zh, "name_en": name_en,
            "level": level, "unit": unit, "year": int(year), "kind": "evidence",
            "value": stats.get("value", stats["p50"]), "bound": "approx", "source": source, "line": "",
            "text": sentence(year, county, level, name_zh + (f"（{qualification}）"
                                                             if qualification else ""),
                             unit, stats["p05"], stats.get("value", stats["p50"]),
                             stats["p95"]),
            "group_zh": GROUP_ZH, "county": county, "qualification": qualification,
            "scenario": scenario, "mean": stats["mean"], "p05": stats["p05"],
            "p50": stats["p50"], "p95": stats["p95"], "prob": prob,
            "prob_meaning": prob_meaning, "basis": basis}


def from_tables(tables: dict[str, pd.DataFrame], scenario: str, slug: str) -> list[dict]:
    """Every FROM_TABLES indicator for 2026–2030, all levels and counties the table has."""
    out = []
    for iid, (name, quantity, zh, en, unit, scale) in FROM_TABLES.items():
        t = tables.get(name)
        if t is None:
            continue
        t = t[(t["quantity"] == quantity)
              & pd.to_numeric(t["year"], errors="coerce").isin(PLAN_YEARS)]
        if "version" in t.columns:  # teacher_qualifications: the stock path, not target rows
            t = t[t["version"].fillna("").astype(str).eq("")]
        t = t.dropna(subset=["p50"])
        for r in t.itertuples(index=False):
            stats = {k: float(getattr(r, k)) * scale for k in ("mean", "p05", "p50", "p95")}
            prob = float(r.mean) if iid in PROB_MEANING else float("nan")
            if iid in PROB_ONLY:  # a probability: its mean is the number, no band
                stats = {"mean": stats["mean"], "p05": math.nan, "p50": math.nan,
                         "p95": math.nan, "value": stats["mean"]}
            qual = str(getattr(r, "qualification", "") or "")
            out.append(row(iid, zh, en, r.level, unit, r.year, r.county, stats,
                           f"qyedu run {slug}: {name} ({quantity})",
                           str(getattr(r, "basis", "") or ""), scenario, qual, prob,
                           PROB_MEANING.get(iid, "")))
    return out


def redeployable(teacher_hiring: pd.DataFrame, share: float, scenario: str,
                 slug: str) -> list[dict]:
    """Primary surplus that meets the qualification constraint (subject and 本科 degree,
    ``teachers.redeploy_qualified_share``): the pool that could move to junior schools, before
    the per-year cap and the junior need (a constant × the surplus, so its quantiles are the
    surplus's quantiles × the share)."""
    t = teacher_hiring[(teacher_hiring["quantity"] == "surplus")
                       & (teacher_hiring["level"] == "primary")
                       & pd.to_numeric(teacher_hiring["year"], errors="coerce").isin(PLAN_YEARS)]
    out = []
    for r in t.itertuples(index=False):
        stats = {k: float(getattr(r, k)) * share for k in ("mean", "p05", "p50", "p95")}
        out.append(row("teachers_redeployable", "富余教师中可转岗至初中者",
                       "Surplus primary teachers qualified to move to junior schools",
                       "primary", "名", r.year, r.county, stats,
                       f"qyedu run {slug}: teacher_hiring.csv (surplus, primary) × "
                       f"teachers.redeploy_qualified_share {share:g}",
                       "before the per-year cap (teachers.redeploy_per_year) and the junior "
                       "need", scenario))
    return out
