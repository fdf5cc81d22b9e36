"""Staffing standards from data/raw/standards.csv with their sources, overridden by
TeacherParams when set. The 2014 ratios count all staff (教职工); the non-teaching shares
that convert staff to full-time teachers (专任教师) are **another province's rule** (no
Guangdong figure found), used as a scenario default."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..observed import read_raw
from ..params import TeacherParams
from ..places.standards import Standard, lookup

SCHOOL_LEVELS = ("primary", "junior_secondary", "senior_general")
LEVEL_PREFIX = {"primary": "primary", "junior_secondary": "junior secondary",
                "senior_general": "general senior"}
NT_PARAM = {"primary": "non_teaching_share_primary", "junior_secondary": "non_teaching_share_junior",
            "senior_general": "non_teaching_share_senior"}


@dataclass(frozen=True)
class Ratios:
    """All staffing numbers the teacher model uses, each a Standard(value, basis)."""

    pupils_per_staff: dict[str, Standard]
    non_teaching_share: dict[str, Standard]  # fraction
    kg_teachers_per_class: Standard
    kg_children_per_teacher: Standard
    rural_staff_per_class: Standard
    psych_threshold: dict[str, Standard]  # pupils per school above which 1 psych teacher


def ratios(tp: TeacherParams, table: pd.DataFrame | None = None) -> Ratios:
    """Read the standards (and apply parameter overrides)."""
    t = read_raw("standards") if table is None else table
    pps, nts = {}, {}
    for lv, pre in LEVEL_PREFIX.items():
        pps[lv] = lookup(t, "unified staffing standard 2014", pre, "students per staff member")
        s = lookup(t, "non-teaching staff cap", pre, "max share of non-teaching staff")
        nts[lv] = Standard(s.value / 100, s.basis + " (another province's rule, not Guangdong)")
        v = getattr(tp, NT_PARAM[lv])
        if v is not None:
            nts[lv] = Standard(float(v), f"parameter teachers.{NT_PARAM[lv]} = {v:g}")
    secondary = lookup(t, "plan text", "secondary schools", "full-time psychology teacher required above")
    return Ratios(
        pupils_per_staff=pps,
        non_teaching_share=nts,
        kg_teachers_per_class=lookup(t, "kindergarten staffing standard 2013", "preschool",
                                     "full-time teachers per class"),
        kg_children_per_teacher=lookup(t, "county preschool assessment (县域", "preschool",
                                       "max children per full-time teacher"),
        rural_staff_per_class=lookup(t, "plan text", "small rural schools", "staff per class"),
        psych_threshold={
            "primary": lookup(t, "plan text", "primary schools",
                              "full-time psychology teacher required above"),
            "junior_secondary": secondary,
            "senior_general": secondary,
        },
    )


def staff_to_teachers(staff, non_teaching_share: float):
    """Full-time teachers = staff × (1 − non-teaching share). 10 staff at 9 % → 9.1."""
    return staff * (1.0 - non_teaching_share)
