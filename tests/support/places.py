"""Builders (tests/support/places.py) shared by the places/teachers tests: a tiny SYNTHETIC ProjectionResult and an
inline SYNTHETIC plan registry (hand-built stand-ins; the registry rows copy the plan's
numbers and lines but the frame is made up here, not read from qyedu.plan)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from qyedu.projection.result import LEVELS, ProjectionResult

REG_COLUMNS = ["indicator_id", "name_zh", "name_en", "level", "unit", "year", "kind", "value",
               "bound", "source", "line"]

# SYNTHETIC registry: ids and source names as in qyedu.plan (names.py, sections.py); values
# as printed in the plan text. Built by hand here, not parsed.
REGISTRY_ROWS = [
    ("compulsory_new_places", "增加义务教育学位", "new compulsory places", "compulsory", "万个",
     2025, "target", 5, "ge", "四(二)2", 470),
    ("compulsory_new_places", "增加学位", "new compulsory places", "compulsory", "个",
     2025, "target", 50000, "ge", "专栏4", 475),
    ("compulsory_new_schools", "新建、改扩建义务教育学校", "new compulsory schools", "compulsory",
     "所", 2025, "target", 40, "ge", "四(二)2", 470),
    ("preschool_new_public_places", "增加公办学前教育学位", "new public preschool places",
     "preschool", "个", 2025, "target", 25000, "ge", "四(二)1", 460),
    ("senior_new_public_places", "新增公办普通高中学位", "new public senior places",
     "senior_general", "个", 2025, "target", 7400, "approx", "四(二)3", 480),
    ("preschool_enrolled", "在园幼儿数", "children in kindergarten", "preschool", "人", 2015,
     "actual", 156763, "", "table 13th-FYP outturn", 54),
    ("preschool_gross_enrolment_ratio", "学前三年毛入学率", "preschool GER", "preschool", "%",
     2015, "actual", 96.71, "", "table 13th-FYP outturn", 48),
    ("preschool_gross_enrolment_ratio", "学前三年毛入学率", "preschool GER", "preschool", "%",
     2020, "actual", 101.28, "", "table 13th-FYP outturn", 49),
    ("preschool_enrolled", "在园幼儿数", "children in kindergarten", "preschool", "人", 2020,
     "actual", 171158, "", "table 13th-FYP outturn", 55),
    ("preschool_public_share", "公办（含公办性质）幼儿园在园幼儿占比", "public kindergarten share",
     "preschool", "%", 2020, "actual", 54.12, "eq", "section 一(三)", 16),
    ("compulsory_schools", "义务教育学校数", "compulsory schools", "compulsory", "所", 2020,
     "actual", 494, "", "table 13th-FYP outturn", 62),
    ("compulsory_schools", "义务教育学校数", "compulsory schools", "compulsory", "所", 2022,
     "target", 499, "", "table 14th-FYP (一)", 227),
    ("compulsory_schools", "义务教育学校数", "compulsory schools", "compulsory", "所", 2025,
     "target", 520, "", "table 14th-FYP (一)", 228),
    ("public_compulsory_schools", "公办义务教育学校数", "public compulsory schools", "compulsory",
     "所", 2020, "actual", 468, "", "table 13th-FYP outturn", 68),
    ("general_senior_schools", "普通高中（含十二年一贯制、完全中学）学校数", "general senior schools",
     "senior_general", "所", 2020, "actual", 33, "", "table 13th-FYP outturn", 94),
    ("general_senior_schools", "普通高中（含十二年一贯制、完全中学）学校数", "general senior schools",
     "senior_general", "所", 2025, "target", 34, "", "table 14th-FYP (一)", 265),
    ("preschool_teachers_associate_plus_share", "幼儿园专任教师专科以上学历比例", "kg teachers associate+", "preschool", "%",
     2020, "actual", 81.0, "", "table 13th-FYP outturn", 134),
    ("preschool_teachers_associate_plus_share", "幼儿园专任教师专科以上学历比例", "kg teachers associate+", "preschool", "%",
     2022, "target", 90, "", "table 14th-FYP (一)", 309),
    ("preschool_teachers_associate_plus_share", "幼儿园专任教师专科以上学历比例", "kg teachers associate+", "preschool", "%",
     2025, "target", 93, "", "table 14th-FYP (一)", 310),
    ("preschool_teachers_associate_plus_share", "幼儿园专任教师专科以上学历比例", "kg teachers associate+", "preschool", "%",
     2025, "target", 93, "", "专栏9", 565),
    ("primary_teachers_associate_plus_share", "小学专任教师专科以上学历比例", "primary associate+", "primary", "%",
     2020, "actual", 97.6, "", "table 13th-FYP outturn", 140),
    ("primary_teachers_bachelor_plus_share", "小学专任教师本科以上学历比例", "primary bachelor+", "primary", "%",
     2022, "target", 70, "", "table 14th-FYP (一)", 314),
    ("primary_teachers_bachelor_plus_share", "小学专任教师本科以上学历比例", "primary bachelor+", "primary", "%",
     2025, "target", 75, "", "table 14th-FYP (一)", 315),
    ("primary_teachers_bachelor_plus_share", "小学专任教师本科以上学历比例", "primary bachelor+", "primary", "%",
     2025, "target", 83, "", "专栏9", 565),
    ("junior_teachers_bachelor_plus_share", "初中专任教师本科以上学历比例", "junior bachelor+", "junior_secondary",
     "%", 2020, "actual", 91.0, "", "table 13th-FYP outturn", 146),
    ("junior_teachers_bachelor_plus_share", "初中专任教师本科以上学历比例", "junior bachelor+", "junior_secondary",
     "%", 2022, "target", 92, "", "table 14th-FYP (一)", 319),
    ("junior_teachers_bachelor_plus_share", "初中专任教师本科以上学历比例", "junior bachelor+", "junior_secondary",
     "%", 2025, "target", 94, "", "table 14th-FYP (一)", 320),
    ("junior_teachers_bachelor_plus_share", "初中专任教师本科以上学历比例", "junior bachelor+", "junior_secondary",
     "%", 2025, "target", 96, "", "专栏9", 565),
    ("senior_teachers_bachelor_plus_share", "普通高中专任教师本科以上学历比例", "senior bachelor+", "senior_general",
     "%", 2020, "actual", 99.0, "", "table 13th-FYP outturn", 152),
    ("senior_teachers_master_plus_share", "高中专任教师硕士研究生以上学历比例", "senior master+", "senior_general",
     "%", 2022, "target", 12, "", "table 14th-FYP (一)", 324),
    ("senior_teachers_master_plus_share", "高中专任教师硕士研究生以上学历比例", "senior master+", "senior_general",
     "%", 2025, "target", 15, "", "table 14th-FYP (一)", 325),
    ("senior_teachers_master_plus_share", "高中专任教师硕士研究生以上学历比例", "senior master+", "senior_general",
     "%", 2025, "target", 15, "", "专栏9", 565),
]


def registry(drop: tuple[str, ...] = ()) -> pd.DataFrame:
    """SYNTHETIC inline plan registry, optionally without some indicator ids."""
    df = pd.DataFrame(REGISTRY_ROWS, columns=REG_COLUMNS)
    return df[~df["indicator_id"].isin(drop)].reset_index(drop=True)


def result(
    enrolled: dict[str, np.ndarray] | None = None, years=(2020, 2021, 2022, 2023, 2024, 2025),
    counties=("A", "B"), draws: int = 3, births: np.ndarray | None = None,
) -> ProjectionResult:
    """SYNTHETIC ProjectionResult. ``enrolled`` maps level → array (D, Y, C) (missing levels
    are zero); births default to a flat 1,000 a year from 2010 (even age split)."""
    y, c = len(years), len(counties)
    arr = np.zeros((draws, y, len(LEVELS), c))
    for lv, a in (enrolled or {}).items():
        arr[:, :, LEVELS.index(lv), :] = np.broadcast_to(a, (draws, y, c))
    by = np.arange(2010, max(years) + 1)
    b = np.full((draws, len(by)), 1000.0) if births is None else births
    return ProjectionResult(scenario="synthetic", years=np.asarray(years), counties=tuple(counties),
                            enrolled=arr, population_age_group=arr.copy(), births_years=by,
                            births=b)

