"""Regex patterns that find quantitative statements in the plan's prose and 专栏 boxes.

Each :class:`Pattern` names the indicator id(s) it fills and where in the document it is
expected (for the error message when the text no longer matches). ``{q}``/``{q1}``…
stand for a printed quantity (:data:`qyedu.plan.numbers.QTY`), parsed later by
:func:`qyedu.plan.numbers.parse_quantity`; the pattern never holds a value. An optional
``name`` group supplies ``name_zh`` straight from the text; ``y1`` … give the year of
``q1`` … when the text prints it right there ("由2015年的92.5%").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import QTY


@dataclass(frozen=True)
class Pattern:
    ids: tuple[str, ...]
    regex: str
    where: str
    zh: tuple[str, ...] = ()
    bound: str | None = None  # overrides the parsed bound when the qualifier is outside q

    def compiled(self) -> re.Pattern:
        rx = self.regex.replace("{q}", f"(?P<q1>{QTY})")
        for k in range(1, 5):
            rx = rx.replace(f"{{q{k}}}", f"(?P<q{k}>{QTY})")
        return re.compile(rx)


def P(ids, regex, where, zh=(), bound=None) -> Pattern:  # noqa: N802 - table-like brevity
    return Pattern(tuple(ids.split()), regex, where, tuple(zh), bound)


_PUB_INCL = r"(?P<name>公办(?:幼儿)?园?和普惠性民办(?:幼儿)?园在园幼儿(?:数)?(?:占比|比例))"
_DISABLED = r"(?P<name>(?:适龄)?残疾儿童少年义务教育入学率)"

#: Outturn statements of section 一、发展基础 (kind ``actual``, year 2020 unless printed).
ACTUAL: tuple[Pattern, ...] = (
    P("preschool_gross_enrolment_ratio", r"(?P<name>学前教育毛入园率)达{q}", "一(三)"),
    P("preschool_public_share", r"(?P<name>公办（含公办性质）幼儿园在园幼儿占比)达{q}", "一(三)"),
    P("preschool_public_inclusive_share", _PUB_INCL + r"达{q}", "一(三)"),
    P("senior_gross_enrolment_ratio senior_gross_enrolment_ratio",
      r"(?P<name>高中阶段教育毛入学率)由(?P<y1>\d{4})年的{q1}提高到目前的{q2}", "一(三)"),
    P("special_schools", r"建成(?P<name>特殊教育学校){q}", "一(三)"),
    P("special_resource_centres", r"(?P<name>特教资源中心){q}", "一(三)"),
    P("special_resource_rooms", r"(?P<name>资源教室){q}", "一(三)"),
    P("disabled_children_enrolment_rate", _DISABLED + r"达{q}", "一(三)"),
    P("vocational_schools", r"全市{q}(?P<name>中职学校)共有", "一(三)"),
    P("vocational_city_enrolled", r"(?P<name>全日制在校生){q}", "一(三)"),
    P("preschool_compulsory_new_places", r"累计(?P<name>新增学位){q}", "一(四)1"),
    P("boarding_new_places", r"(?P<name>新增寄宿制学位){q}", "一(四)2"),
    P("migrant_children_public_share", r"(?P<name>随迁子女入读公办学校占比)达{q}", "一(四)4"),
    P("nine_year_retention_rate", r"(?P<name>九年义务教育巩固率)达{q}", "一(四)4"),
    P("school_culture_model_schools", r"共评选(?P<name>市级示范校){q}", "一(二)3"),
)

#: Targets in sections 二–五 and the 专栏 boxes (kind ``target``).
TARGET: tuple[Pattern, ...] = (
    P("preschool_gross_enrolment_ratio",
      r"(?P<name>学前教育(?:三年)?毛入园率)(?:继续)?保持在{q}", "二(三)2"),
    P("preschool_public_inclusive_share", _PUB_INCL + r"(?:达到|保持在){q}", "二(三)2"),
    P("preschool_public_share",
      r"(?P<name>公办(?:幼儿)?园在园幼儿(?:占比|比例))(?:达到|保持在){q}", "二(三)2"),
    P("nine_year_retention_rate", r"(?P<name>九年义务教育巩固率)保持在{q}", "二(三)2"),
    P("disabled_children_enrolment_rate", _DISABLED + r"(?:保持在|达){q}", "二(三)2"),
    P("ideological_system_school_share",
      r"{q}(?P<name>学校基本形成较为科学合理的思政工作体系)", "三(二)1"),
    P("ideological_quality_schools", r"建成{q}(?P<name>思政工作体系优质学校)", "三(二)1"),
    P("student_fitness_good_rate", r"(?P<name>学生体质健康优良率)达到{q}", "三(三)1"),
    P("psychology_guidance_centres", r"建设{q}（[^）]*）(?P<name>校外辅导中心)", "三(三)1"),
    P("sports_skills_per_student", r"掌握{q}(?P<name>体育运动技能)", "三(三)1"),
    P("arts_skills_per_student", r"掌握{q}(?P<name>艺术技能)", "三(三)2"),
    P("school_culture_system_share",
      r"全市{q}的学校形成[^，。；]*?(?P<name>学校文化体系)", "三(三)6"),
    P("school_culture_model_schools", r"建成{q}(?P<name>学校文化示范校)", "三(三)6"),
    P("rural_schools_standardised_share",
      r"(?P<name>乡村小规模学校、乡村公办幼儿园和小学附设幼儿班){q}达到", "专栏2"),
    P("preschool_new_public_places", r"(?P<name>增加公办(?:学前教育|幼儿园)学位){q}", "四(二)1"),
    P("provincial_preschool_curriculum_projects",
      r"推进{q}(?P<name>省级“新课程”科学保教示范项目)", "专栏3"),
    P("counties_preschool_inclusive_assessed",
      r"推动{q}(?P<name>县（市、区）完成评估验收申报)", "专栏3"),
    P("compulsory_new_schools", r"(?P<name>新建、改扩建义务教育学校)累计{q}", "四(二)2"),
    P("compulsory_new_places", r"(?P<name>增加学位){q}", "四(二)2"),
    P("central_senior_new_schools", r"(?P<name>中心城区新建、改扩建普通高中){q}", "四(二)3"),
    P("senior_new_public_places", r"新增{q}(?P<name>公办普通高中学位)", "四(二)3"),
    P("excellent_senior_schools", r"(?:培育|创建){q}[^，。；]*?(?P<name>卓越高中)", "四(二)3"),
    P("distinctive_senior_schools",
      r"(?:打造|遴选创建){q}[^，。；]*?(?P<name>特色高中)", "四(二)3"),
    P("brand_private_senior_schools",
      r"(?:培育|推动){q}[^。；]*?(?P<name>品牌民办(?:高中|学校))", "四(二)3"),
    P("special_model_schools", r"创建{q}(?P<name>特殊教育示范学校)", "四(二)4"),
    P("inclusive_model_schools", r"{q}(?P<name>随班就读（随园保教）示范校（园）)", "四(二)4"),
    P("special_home_delivery_share", r"(?P<name>送教上门比例){q}", "四(二)4"),
    P("apprenticeship_share", r"(?P<name>学徒培养规模)力争达到职业院校在校生的{q}", "四(三)4"),
    P("vocational_schools", r"(?P<name>中职学校数量)整合到{q}", "专栏7"),
    P("provincial_higher_vocational_colleges", r"引进{q}(?P<name>省属优质高职院校)", "专栏7"),
    P("applied_universities", r"和{q}(?P<name>应用型本科高校)", "专栏7"),
    P("vocational_city_enrolled", r"(?P<name>在校生总规模)达到{q}", "专栏7"),
    P("provincial_high_level_vocational_institutions",
      r"建设{q}(?P<name>省级高水平职业院校)", "专栏7"),
    P("high_level_specialty_groups", r"和{q}(?P<name>高水平专业群)", "专栏7"),
    P("provincial_high_level_vocational_schools", r"建设{q}(?P<name>省级高水平中职学校)", "专栏7"),
    P("dual_precision_model_specialties", r"建成{q}(?P<name>“双精准”示范专业)", "专栏7"),
    P("vocational_education_groups",
      r"建设{q}(?P<name>示范性职业教育集团或产教融合联盟)", "专栏7"),
    P("one_plus_x_pilots", r"建设{q}(?P<name>1\+X证书试点)", "专栏7"),
    P("smart_campus_model_schools",
      r"建成{q}(?P<name>信息化中心学校（智慧校园）示范校)", "专栏8"),
    P("ict_innovation_projects", r"培育{q}(?P<name>省级信息化融合创新标杆项目)", "专栏8"),
    P("psychology_teacher_threshold_secondary psychology_teacher_threshold_primary",
      r"学生规模{q1}的中学、{q2}的小学的专职心理教师配备要求", "四(六)2",
      zh=("专职心理教师配备要求（学生规模，中学）", "专职心理教师配备要求（学生规模，小学）")),
    P("psychology_teachers_per_campus",
      r"每个独立校区至少配备{q}(?P<name>专职心理教师)", "四(六)2"),
    P("full_time_researchers", r"配齐{q}(?P<name>专职教研员)", "四(六)2"),
    P("vocational_teacher_enterprise_training_cycle",
      r"落实{q}一轮的(?P<name>教师企业培训制度)", "四(六)2"),
    P("vocational_dual_qualified_share",
      r"(?P<name>高素质“双师型”教师占专业课教师比例)达到{q}", "四(六)2"),
    P("vocational_enterprise_parttime_share", r"(?P<name>企业兼职教师比例){q}", "四(六)2"),
    P("preschool_teachers_associate_plus_share",
      r"(?P<name>幼儿园专科以上学历教师比例)达到{q}", "专栏9"),
    P("primary_teachers_bachelor_plus_share junior_teachers_bachelor_plus_share",
      r"小学和初中本科以上学历教师比例分别达到{q1}和{q2}", "专栏9",
      zh=("小学本科以上学历教师比例", "初中本科以上学历教师比例")),
    P("senior_teachers_master_plus_share",
      r"(?P<name>高中阶段学校硕士研究生以上学历教师比例)达到{q}", "专栏9"),
    P("higher_vocational_teachers_master_plus_share",
      r"(?P<name>高职院校硕士以上学位教师比例)达到{q}", "专栏9"),
    P("provincial_educator_teachers", r"培养{q}(?P<name>省级教育家型教师)", "专栏9"),
    P("city_excellent_teachers_per_year", r"每年市级平均培养{q}(?P<name>卓越教师)", "专栏9"),
    P("county_backbone_teachers", r"平均培养{q}(?P<name>骨干教师)", "专栏9"),
    P("city_master_studios", r"建成{q}(?P<name>市级名教师、名班主任、名校长工作室)", "专栏9"),
    P("provincial_master_studios",
      r"建成{q}(?P<name>省级名校长、名教师、名班主任工作室)", "专栏9"),
    P("provincial_dual_qualified_studios",
      r"建设{q}(?P<name>省级以上“双师型”名教师、名校长、培训专家工作室)", "专栏9"),
    P("provincial_skill_master_studios", r"和{q}(?P<name>省级以上技能大师工作室)", "专栏9"),
    P("provincial_higher_vocational_teaching_teams",
      r"新增{q}(?P<name>省级高职院校教学团队)", "专栏9"),
    P("national_vocational_innovation_teams",
      r"建设{q}(?P<name>国家级职业教育教师教学创新团队)", "专栏9"),
    P("provincial_model_senior_schools",
      r"遴选建设{q}(?P<name>普通高中优质特色发展省级示范校)", "专栏9"),
    P("inspectors_from_researchers_share",
      r"督学责任区中{q}(?P<name>责任督学由教研员担任)", "专栏9"),
    P("researcher_school_practice_after_years researcher_school_practice_years",
      r"专职教研员在岗从事教研工作满{q1}，原则上要到中小学校（幼儿园）从事{q2}教育教学工作",
      "专栏9", zh=("专职教研员在岗从事教研工作满", "到中小学校（幼儿园）从事教育教学工作"),
      bound="ge"),
    P("researcher_training_cycle_years", r"健全教研员全员培训制度和{q}一周期教研能力提升研修机制",
      "四(六)2", zh=("教研能力提升研修机制周期",)),
    P("academic_exam_subjects", r"等{q}(?P<name>学科的学业水平考试方案)", "四(二)3"),
    P("county_compulsory_communities", r"建立{q}(?P<name>义务教育发展共同体)", "五(二)1"),
    P("city_education_groups", r"市本级组建{q}(?P<name>教育集团)", "五(二)1"),
    P("provincial_quality_education_groups", r"(?P<name>创建省级优质教育集团){q}", "五(二)1"),
    P("small_rural_staff_per_class", r"(?P<name>每个教学班配备){q}教职工", "五(三)1"),
    P("senior_title_share_kindergarten senior_title_share_primary senior_title_share_junior "
      "senior_title_share_senior",
      r"高级岗位结构比例，幼儿园达到{q1}、小学达到{q2}、初中达到{q3}、高中达到{q4}", "五(三)3",
      zh=("高级岗位结构比例（幼儿园）", "高级岗位结构比例（小学）",
          "高级岗位结构比例（初中）", "高级岗位结构比例（高中）")),
    P("rural_teacher_tenure_years", r"(?P<name>在乡村学校任教累计满){q}", "五(三)3", bound="ge"),
    P("inspector_school_ratio", r"(?P<name>督学按与学校数)1[∶:：]{q}的比例配备", "五(六)4"),
    P("inspector_school_ratio_large",
      r"(?P<name>学生数较多的学校)按1[∶:：]{q}的比例配备", "五(六)4"),
    P("parttime_per_fulltime_inspector",
      r"(?P<name>专职和兼职督学)按照1[∶:：]{q}的比例配备", "五(六)4"),
)

#: Units of quantities printed without one (ratios "1∶5").
RATIO_UNITS = {
    "inspector_school_ratio": "所/督学",
    "inspector_school_ratio_large": "所/督学",
    "parttime_per_fulltime_inspector": "兼职/专职",
}
