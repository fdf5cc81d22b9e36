"""Parameters of the teacher-demand model. ``None`` means: use the published standard in
data/raw/standards.csv (or the plan registry, where said)."""

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
    small_rural_class_share: float = param(
        0.0,
        "Share of primary classes in small rural schools/teaching points staffed at the plan's "
        "2.4 staff per class instead of 1:19 (number of such classes not published; 0 = rule "
        "not applied, the sensitivity row is still reported)",
        "fraction of primary classes", "assumption: no published count of small rural classes",
        ge=0, le=1,
    )
    avg_school_size_compulsory: float | None = param(
        None,
        "Average pupils per compulsory school for the psychology-teacher rule. None → projected "
        "compulsory enrolment ÷ the plan's 义务教育学校数 (2020 actual, 2022/2025 targets, "
        "linear in between, held after). School-size distribution not published",
        "pupils per school", "plan table 1 (school counts); assumption: all schools average size",
        gt=0, le=20_000,
    )
    avg_school_size_senior: float | None = param(
        None,
        "Average pupils per general senior school for the psychology-teacher rule. None → "
        "projected enrolment ÷ the plan's 普通高中学校数",
        "pupils per school", "plan table 1 (school counts); assumption: all schools average size",
        gt=0, le=20_000,
    )
    stock_basis: Literal["demand", "guangdong_ratio"] = param(
        "demand",
        "Teacher stock at the baseline year (Qingyuan's is not published): 'demand' = the "
        "standard-based demand itself; 'guangdong_ratio' = enrolment ÷ Guangdong's 2021 "
        "students per full-time teacher (proxy; primary 18.22, junior 13.62, preschool "
        "enrolled ÷ teachers; senior has no provincial ratio and uses demand)",
        "choice", "data/raw/guangdong_education.csv (2021); assumption: proxy",
    )
    qual_base_share_primary: float | None = param(
        None,
        "Share of primary teachers with 本科以上 at the baseline. The plan's 2020 actual is "
        "专科以上 (97.6 %), another definition. None → the plan's 2022 table target (70 %) as a "
        "proxy for the 2022 share",
        "fraction", "assumption: 2022 table target used as proxy baseline", ge=0, le=1,
    )
    qual_base_share_senior: float | None = param(
        None,
        "Share of general senior teachers with 硕士研究生以上 at the baseline. The plan's 2020 "
        "actual is 本科以上 (99.0 %), another definition. None → the plan's 2022 table target "
        "(12 %) as a proxy for the 2022 share",
        "fraction", "assumption: 2022 table target used as proxy baseline", ge=0, le=1,
    )
