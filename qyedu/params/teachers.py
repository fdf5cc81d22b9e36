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
    basis: Literal["actual_ratio", "staffing_standard"] = param(
        "actual_ratio",
        "One basis for the teacher stock AND demand, so that no surplus or shortage comes from "
        "mixing bases. 'actual_ratio' = pupils ÷ the published actual pupils per full-time "
        "teacher (Guangdong 2021: primary 18.22, junior 13.62, preschool enrolled ÷ teachers; "
        "general senior and vocational: China's latest ratio); 'staffing_standard' = the 2014 "
        "staffing standard (教职工 1:19 / 1:13.5 / 1:12.5 × (1 − non-teaching share); "
        "preschool teachers.preschool_rule). The baseline stock is the same rule on the "
        "observed pupils, unless the bureau's counts are loaded (data/raw/bureau/"
        "teachers.csv: 专任教师 stock, 编制 posts), which then set both",
        "choice", "data/raw/guangdong_education.csv (2021); data/raw/china.csv; "
        "data/raw/standards.csv",
    )
    boarding_share: float = param(
        0.0,
        "Share of compulsory pupils who board (寄宿生); each boarder adds "
        "boarding_staff_per_boarder staff (生活老师/宿管, not full-time teachers). The plan "
        "reports 8,295 boarding places added 2016-2020 but no total: 0 = rule off (the "
        "boarding_staff_needed rows are still written)",
        "fraction of primary and junior pupils",
        "assumption: no published count of Qingyuan boarders", ge=0, le=1,
    )
    boarding_staff_per_boarder: float = param(
        0.02,
        "Extra staff per boarding pupil (1 per 50 boarders)", "staff per boarder",
        "assumption: no Guangdong boarding staffing standard in data/raw", ge=0, le=0.2,
    )
    attrition_model: Literal["flat", "cohort"] = param(
        "flat",
        "How teachers leave: 'flat' = attrition_rate × stock every year (leavers have the "
        "average qualification mix); 'cohort' = a seniority-structured stock: career_years "
        "one-year cohorts, the oldest retires each year, quit_rate leaves from every cohort, "
        "and the older cohorts hold fewer qualifications (older_qual_gap)",
        "choice", "assumption: no published Qingyuan age or seniority structure",
    )
    career_years: int = param(
        35, "Cohort model: length of a teaching career (years from hiring to retirement)",
        "years", "assumption: e.g. entry at 22-25, retirement at 55-60", ge=20, le=45,
    )
    older_share: float = param(
        0.25,
        "Cohort model: share of the baseline stock within older_window_years of retirement "
        "(a uniform career structure gives older_window_years ÷ career_years = 0.29)",
        "fraction of teachers", "assumption: no published Qingyuan age structure", ge=0, le=0.8,
    )
    older_window_years: int = param(
        10, "Cohort model: the last years of a career counted as the older cohort", "years",
        "assumption: teachers aged about 50 and over", ge=1, le=20,
    )
    quit_rate: float = param(
        0.01,
        "Cohort model: share of every cohort leaving each year for reasons other than "
        "retirement (transfer out, resignation, death)",
        "fraction per year", "assumption: no published Qingyuan figure", ge=0, le=0.2,
    )
    older_qual_gap: float = param(
        0.2,
        "Cohort model: the qualified share of the older cohort is this many points below the "
        "younger cohorts' (the level's mean share is kept; retirees are less qualified)",
        "fraction (share points)", "assumption: no published Qingyuan qualification by age",
        ge=0, le=1,
    )
    hire_qual_share: float = param(
        0.9,
        "Share of new hires holding their level's target qualification (本科以上 for primary "
        "and junior, 专科以上 for preschool, 硕士 for general senior, 本科以上 for vocational)",
        "fraction of hires", "assumption: recruitment standards not published", ge=0, le=1,
    )
    redeployment: bool = param(
        False,
        "Headline rows with redeployment of surplus primary teachers to junior secondary "
        "(within a county). Both variants are always reported (hires_no_redeployment, "
        "hires_redeployment)",
        "on/off", "assumption: policy option, not in the plan",
    )
    redeploy_per_year: float = param(
        500.0,
        "Redeployment: at most this many primary teachers move to junior secondary per year "
        "(city total, shared among counties in proportion to their baseline primary stock)",
        "teachers per year", "assumption: retraining and transfer capacity not published",
        ge=0, le=10_000,
    )
    redeploy_qualified_share: float = param(
        0.5,
        "Redeployment: share of the primary surplus qualified to teach junior secondary "
        "(subject and 本科 degree; the qualification constraint)",
        "fraction of surplus", "assumption: primary teachers' degrees and subjects not published",
        ge=0, le=1,
    )
    qual_base_share_primary: float | None = param(
        None,
        "Share of primary teachers with 本科以上 at the baseline (2020). No outturn is published "
        "(the plan's 2020 actual is 专科以上, 97.6 %): None → no baseline, flagged, and the "
        "qualification path is not computed (a sensitivity over assumed baselines is shown)",
        "fraction", "assumption: no published outturn", ge=0, le=0.976,
    )
    qual_base_share_senior: float | None = param(
        None,
        "Share of general senior teachers with 硕士研究生以上 at the baseline (2020). No outturn "
        "is published (the plan's 2020 actual is 本科以上, 99.0 %): None → no baseline, flagged",
        "fraction", "assumption: no published outturn", ge=0, le=0.99,
    )
