"""Parameters of the teacher-demand model. ``None`` means: use the published standard in
data/raw/standards.csv."""

from __future__ import annotations

from typing import Literal

from .base import ParamModel, param


class TeacherParams(ParamModel):
    non_teaching_share_primary: float | None = param(
        None, "Share of staff who are not full-time teachers, primary (None → 9%)", "fraction",
        "data/raw/standards.csv: non-teaching staff cap (another province's rule)", ge=0, lt=1,
    )
    non_teaching_share_junior: float | None = param(
        None, "Share of staff who are not full-time teachers, junior (None → 12%)", "fraction",
        "data/raw/standards.csv: non-teaching staff cap (another province's rule)", ge=0, lt=1,
    )
    non_teaching_share_senior: float | None = param(
        None, "Share of staff who are not full-time teachers, senior (None → 15%)", "fraction",
        "data/raw/standards.csv: non-teaching staff cap (another province's rule)", ge=0, lt=1,
    )
    attrition_rate: float = param(
        0.03,
        "Share of full-time teachers leaving each year (retirement, transfer). No published "
        "figure for Qingyuan was found: an explicit scenario assumption",
        "fraction per year", "assumption: no published Qingyuan figure", ge=0, le=0.3,
    )
    preschool_rule: Literal["two_teachers_per_class", "max_15_children"] = param(
        "two_teachers_per_class",
        "Preschool teacher rule: 'two_teachers_per_class' (两教一保) or 'max_15_children' (≤1:15)",
        "choice", "data/raw/standards.csv: kindergarten staffing standard 2013; county assessment",
    )
