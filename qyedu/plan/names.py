"""Hand-written registry: indicator id → English name and level; table label → id.

Names may be written by hand; values never are (they all come from the document).
Table rows are matched by their label exactly as printed (wrapped lines joined); a label
that is ambiguous on its own ("毛入学率（%）") is keyed as ``"<group>|<label>"``.
"""

from __future__ import annotations

# id: (English name, level)
NAMES: dict[str, tuple[str, str]] = {
    # preschool
    "kindergartens": ("Kindergartens", "preschool"),
    "public_kindergartens": ("Public kindergartens", "preschool"),
    "preschool_gross_enrolment_ratio": ("Preschool (3-year) gross enrolment ratio", "preschool"),
    "preschool_enrolled": ("Children enrolled in kindergartens", "preschool"),
    "preschool_public_inclusive_share": (
        "Share of children in public or inclusive private kindergartens", "preschool"),
    "preschool_public_share": ("Share of children in public kindergartens", "preschool"),
    "preschool_new_public_places": ("New public preschool places (cumulative)", "preschool"),
    "preschool_compulsory_new_places": (
        "New preschool and compulsory places added in the 13th FYP", "compulsory"),
    "provincial_preschool_curriculum_projects": (
        "Provincial 'new curriculum' preschool demonstration projects", "preschool"),
    "counties_preschool_inclusive_assessed": (
        "Counties completing the preschool universal-inclusive assessment", "preschool"),
    # compulsory
    "compulsory_schools": ("Compulsory-education schools", "compulsory"),
    "public_compulsory_schools": ("Public compulsory-education schools", "compulsory"),
    "primary_enrolment_rate": ("Primary school-age enrolment rate", "primary"),
    "primary_graduate_progression_rate": ("Primary graduates' progression rate", "primary"),
    "junior_graduate_progression_rate": (
        "Junior-secondary graduates' progression rate", "junior_secondary"),
    "nine_year_retention_rate": ("Nine-year compulsory education retention rate", "compulsory"),
    "compulsory_new_places": ("New compulsory-education places (cumulative)", "compulsory"),
    "compulsory_new_schools": (
        "New or expanded compulsory-education schools (cumulative)", "compulsory"),
    "boarding_new_places": ("New boarding places in rural compulsory schools", "compulsory"),
    "migrant_children_public_share": (
        "Share of migrant workers' children in public schools", "compulsory"),
    "rural_schools_standardised_share": (
        "Rural small schools and kindergartens meeting the standard", "compulsory"),
    "county_compulsory_communities": (
        "Compulsory-education development communities per county", "compulsory"),
    "small_rural_staff_per_class": ("Staff per class in small rural schools", "compulsory"),
    # senior secondary
    "general_senior_schools": ("General senior secondary schools", "senior_general"),
    "vocational_schools": ("Secondary vocational schools (incl. technical schools)",
                           "senior_vocational"),
    "senior_gross_enrolment_ratio": ("Senior-secondary gross enrolment ratio", "senior"),
    "senior_new_public_places": ("New public general senior-secondary places", "senior_general"),
    "central_senior_new_schools": (
        "New or expanded general senior schools in the central districts", "senior_general"),
    "excellent_senior_schools": ("'Excellent' general senior schools", "senior_general"),
    "distinctive_senior_schools": ("Distinctive (特色) general senior schools", "senior_general"),
    "brand_private_senior_schools": ("Brand private senior schools", "senior_general"),
    "academic_exam_subjects": (
        "Subjects with a senior-secondary proficiency exam scheme", "senior_general"),
    "provincial_model_senior_schools": (
        "Provincial model schools for quality general senior education", "senior_general"),
    # special
    "special_schools": ("Special-education schools", "special"),
    "special_students": ("Special-education students", "special"),
    "disabled_children_enrolment_rate": (
        "Compulsory enrolment rate of disabled children", "special"),
    "special_resource_centres": ("Special-education resource centres", "special"),
    "special_resource_rooms": ("Special-education resource rooms", "special"),
    "special_model_schools": ("Special-education model schools", "special"),
    "inclusive_model_schools": ("Inclusive-education model schools", "special"),
    "special_home_delivery_share": ("Share of disabled children taught at home", "special"),
    "standardised_special_schools": ("Standardised special-education schools", "special"),
    # vocational and higher
    "vocational_city_enrolled": ("Students at the Guangdong vocational education city",
                                 "vocational"),
    "apprenticeship_share": ("Apprentices as share of vocational students", "vocational"),
    "provincial_higher_vocational_colleges": (
        "Provincial higher-vocational colleges brought in", "higher"),
    "applied_universities": ("Applied undergraduate universities brought in", "higher"),
    "provincial_high_level_vocational_institutions": (
        "Provincial high-level vocational institutions", "vocational"),
    "high_level_specialty_groups": ("High-level specialty groups", "vocational"),
    "provincial_high_level_vocational_schools": (
        "Provincial high-level secondary vocational schools", "senior_vocational"),
    "dual_precision_model_specialties": ("'Dual precision' model specialties",
                                         "senior_vocational"),
    "vocational_education_groups": ("Vocational education groups / alliances",
                                    "vocational"),
    "one_plus_x_pilots": ("1+X certificate pilots", "vocational"),
    "city_skill_master_studios": ("City skill-master studios", "senior_vocational"),
    "higher_ed_enrolled": ("Regular undergraduate and college students", "higher"),
    "higher_ed_undergraduates": ("Undergraduate (bachelor) students", "higher"),
    "higher_vocational_enrolled": ("Higher-vocational students", "higher"),
    "higher_ed_gross_enrolment_ratio": ("Higher-education gross enrolment ratio", "higher"),
    # teachers
    "preschool_teachers_associate_plus_share": (
        "Kindergarten teachers with associate degree or above", "teachers"),
    "primary_teachers_associate_plus_share": (
        "Primary teachers with associate degree or above", "teachers"),
    "primary_teachers_bachelor_plus_share": (
        "Primary teachers with bachelor's degree or above", "teachers"),
    "junior_teachers_bachelor_plus_share": (
        "Junior-secondary teachers with bachelor's degree or above", "teachers"),
    "senior_teachers_bachelor_plus_share": (
        "General senior teachers with bachelor's degree or above", "teachers"),
    "senior_teachers_master_plus_share": (
        "Senior-secondary teachers with master's degree or above", "teachers"),
    "vocational_teachers_bachelor_plus_share": (
        "Secondary vocational teachers with bachelor's degree or above", "teachers"),
    "higher_vocational_teachers_master_plus_share": (
        "Higher-vocational teachers with master's degree or above", "teachers"),
    "vocational_dual_qualified_share": ("'Dual-qualified' vocational teachers", "teachers"),
    "vocational_enterprise_parttime_share": (
        "Part-time teachers from enterprises (vocational)", "teachers"),
    "vocational_teacher_enterprise_training_cycle": (
        "Vocational teachers' enterprise training cycle", "teachers"),
    "teacher_certification_rate": ("Teachers holding a teaching certificate", "teachers"),
    "city_master_studios": ("City 'three famous' studios", "teachers"),
    "provincial_master_studios": ("Provincial or higher 'three famous' studios", "teachers"),
    "provincial_dual_qualified_studios": (
        "Provincial 'dual-qualified' master-teacher studios", "teachers"),
    "provincial_skill_master_studios": ("Provincial skill-master studios", "teachers"),
    "provincial_higher_vocational_teaching_teams": (
        "Provincial higher-vocational teaching teams (new)", "teachers"),
    "national_vocational_innovation_teams": (
        "National vocational teacher innovation teams", "teachers"),
    "teacher_development_schools": ("Teacher professional-development schools", "teachers"),
    "provincial_educator_teachers": ("Provincial educator-type teachers trained", "teachers"),
    "city_excellent_teachers_per_year": ("Excellent teachers trained by the city per year",
                                         "teachers"),
    "county_backbone_teachers": ("Backbone teachers trained per county", "teachers"),
    "researcher_school_practice_after_years": (
        "Years of research work after which a researcher teaches in a school", "teachers"),
    "researcher_school_practice_years": (
        "School teaching required of long-serving researchers (school years)", "teachers"),
    "researcher_training_cycle_years": ("Teaching-researcher training cycle", "teachers"),
    "full_time_researchers": ("Full-time teaching researchers (教研员)", "teachers"),
    "psychology_teacher_threshold_secondary": (
        "Enrolment from which a secondary school needs a psychology teacher", "teachers"),
    "psychology_teacher_threshold_primary": (
        "Enrolment from which a primary school needs a psychology teacher", "teachers"),
    "psychology_teachers_per_campus": ("Psychology teachers per separate campus", "teachers"),
    "senior_title_share_kindergarten": ("Senior-title post share, kindergartens", "teachers"),
    "senior_title_share_primary": ("Senior-title post share, primary", "teachers"),
    "senior_title_share_junior": ("Senior-title post share, junior secondary", "teachers"),
    "senior_title_share_senior": ("Senior-title post share, senior secondary", "teachers"),
    "rural_teacher_tenure_years": (
        "Rural teaching years exempting from post quotas", "teachers"),
    # whole system
    "party_building_model_schools": ("Party-building model schools", "system"),
    "ideological_quality_schools": ("High-quality ideological-work schools", "system"),
    "ideological_system_school_share": (
        "Schools with a sound ideological-work system", "system"),
    "broadband_access_rate": ("School broadband access rate", "system"),
    "multimedia_coverage_rate": ("Multimedia equipment coverage", "system"),
    "school_culture_model_schools": ("School-culture model schools", "system"),
    "school_culture_system_share": ("Schools with a school-culture system", "system"),
    "provincial_quality_education_groups": ("Provincial high-quality education groups",
                                            "system"),
    "city_education_groups": ("Education groups formed at city level", "system"),
    "student_fitness_good_rate": ("Students rated good or excellent in fitness", "system"),
    "sports_skills_per_student": ("Sports skills mastered per student", "system"),
    "arts_skills_per_student": ("Arts skills mastered per student", "system"),
    "psychology_guidance_centres": ("Out-of-school psychology guidance centres", "system"),
    "smart_campus_model_schools": ("ICT centre schools (smart campus) models", "system"),
    "ict_innovation_projects": ("Provincial ICT-integration benchmark projects", "system"),
    "inspector_school_ratio": ("Schools per inspector (督学)", "system"),
    "inspector_school_ratio_large": ("Schools per inspector, large schools", "system"),
    "parttime_per_fulltime_inspector": ("Part-time inspectors per full-time inspector",
                                        "system"),
    "inspectors_from_researchers_share": (
        "Responsible inspectors who are teaching researchers", "system"),
}

#: Exact printed table label (or "group|label") → indicator id.
TABLE_LABELS: dict[str, str] = {
    "幼儿园数（所）": "kindergartens",
    "公办幼儿园数（所）": "public_kindergartens",
    "学前三年毛入学率（%）": "preschool_gross_enrolment_ratio",
    "在园幼儿数（人）": "preschool_enrolled",
    "公办园和普惠性民办幼儿园在园儿童占比（%）": "preschool_public_inclusive_share",
    "公办幼儿园在园幼儿占比（%）": "preschool_public_share",
    "义务教育学校数（所）": "compulsory_schools",
    "公办义务教育学校数（所）": "public_compulsory_schools",
    "小学适龄儿童入学率（%）": "primary_enrolment_rate",
    "小学毕业生升学率（%）": "primary_graduate_progression_rate",
    "初中毕业生升学率（%）": "junior_graduate_progression_rate",
    "九年义务教育巩固率（%）": "nine_year_retention_rate",
    "适龄残疾儿童义务教育入学率（%）": "disabled_children_enrolment_rate",
    "适龄残疾儿童少年入学率（%）": "disabled_children_enrolment_rate",
    "普通高中（含十二年一贯制、完全中学）学校数（所）": "general_senior_schools",
    "中等职业教育（含技工学校）学校数（所）": "vocational_schools",
    "高中阶段毛入学率（%）": "senior_gross_enrolment_ratio",
    "普通本专科生": "higher_ed_enrolled",
    "其中：本科生（万人）": "higher_ed_undergraduates",
    "高等职业教育在校生（万人）": "higher_vocational_enrolled",
    "高等教育|毛入学率（%）": "higher_ed_gross_enrolment_ratio",
    "特殊教育学校数（所）": "special_schools",
    "特殊教育|学生总数（人）": "special_students",
    "幼儿园专任教师专科以上学历比例（%）": "preschool_teachers_associate_plus_share",
    "小学专任教师专科以上学历比例（%）": "primary_teachers_associate_plus_share",
    "小学专任教师本科以上学历比例（%）": "primary_teachers_bachelor_plus_share",
    "初中专任教师本科以上学历比例（%）": "junior_teachers_bachelor_plus_share",
    "普通高中专任教师本科以上学历比例（%）": "senior_teachers_bachelor_plus_share",
    "高中专任教师硕士研究生以上学历比例（%）": "senior_teachers_master_plus_share",
    "中职学校专任教师本科以上学历比例（%）": "vocational_teachers_bachelor_plus_share",
    "职业教育“双师型”教师比例（%）": "vocational_dual_qualified_share",
    "党建工作示范学校（所）": "party_building_model_schools",
    "思政工作体系优质学校（所）": "ideological_quality_schools",
    "各级各类学校宽带网络接入率（%）": "broadband_access_rate",
    "多媒体设备普及率（%）": "multimedia_coverage_rate",
    "公办、民办中小学教师上岗持证率（%）": "teacher_certification_rate",
    "市级“三名工作室”（个）": "city_master_studios",
    "省级及以上“三名工作室”（个）": "provincial_master_studios",
    "建成标准化特殊教育学校（所）": "standardised_special_schools",
    "市级技能大师工作室（个）": "city_skill_master_studios",
    "教师专业发展学校（所）": "teacher_development_schools",
    "学校文化示范校（所）": "school_culture_model_schools",
    "建成省级优质特色教育集团（个）": "provincial_quality_education_groups",
}

#: Ids other modules rely on; parsing fails if one of them is not found.
REQUIRED = (
    "kindergartens", "public_kindergartens", "preschool_gross_enrolment_ratio",
    "preschool_enrolled", "preschool_public_inclusive_share", "preschool_public_share",
    "compulsory_schools", "public_compulsory_schools", "primary_enrolment_rate",
    "primary_graduate_progression_rate", "junior_graduate_progression_rate",
    "nine_year_retention_rate", "general_senior_schools", "vocational_schools",
    "senior_gross_enrolment_ratio", "special_schools", "special_students",
    "disabled_children_enrolment_rate", "higher_ed_undergraduates", "higher_vocational_enrolled",
    "higher_ed_gross_enrolment_ratio", "preschool_teachers_associate_plus_share",
    "primary_teachers_associate_plus_share", "primary_teachers_bachelor_plus_share",
    "junior_teachers_bachelor_plus_share", "senior_teachers_bachelor_plus_share",
    "senior_teachers_master_plus_share", "vocational_teachers_bachelor_plus_share",
    "compulsory_new_places", "compulsory_new_schools", "preschool_new_public_places",
    "senior_new_public_places", "central_senior_new_schools", "senior_title_share_kindergarten",
    "senior_title_share_primary", "senior_title_share_junior", "senior_title_share_senior",
    "small_rural_staff_per_class", "psychology_teacher_threshold_secondary",
    "psychology_teacher_threshold_primary", "special_home_delivery_share",
    "vocational_dual_qualified_share",
)


def table_id(group: str, label: str) -> str | None:
    """Indicator id of a table row: ``"group|label"`` first, then the label alone."""
    return TABLE_LABELS.get(f"{group}|{label}") or TABLE_LABELS.get(label)


def english(indicator_id: str) -> str:
    """English name of an indicator id (KeyError if the registry lacks it)."""
    return NAMES[indicator_id][0]


def level(indicator_id: str) -> str:
    """Level of an indicator id (preschool, compulsory, …, teachers, system)."""
    return NAMES[indicator_id][1]
