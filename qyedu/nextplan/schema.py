"""What ``next_plan.csv`` holds: the evidence for the 15th Five-Year Plan (2026–2030), one
row per indicator, year, level and county, written in the plan registry's own indicator
schema (``plan_indicators.csv``: indicator_id, name_zh, name_en, level, unit, year, kind,
value, bound, source, line, text, group_zh) so a drafter can lift rows into a target table,
plus the bands (``mean, p05, p50, p95``), a probability where one applies (``prob`` with
``prob_meaning``) and the ``basis`` the number rests on.

``kind`` is ``evidence`` (a model result, not a promise); ``value`` is the p50; ``bound`` is
``approx`` (约: a central estimate; the band is in p05–p95); ``text`` is a sentence a drafter
can quote. Every number is read from a stage table of the same run (places, teachers, costs,
the projection): nothing is re-derived here."""

from __future__ import annotations

#: The 15th plan's years (十五五 = 2026–2030).
PLAN_YEARS = tuple(range(2026, 2031))
#: The 14th plan's baseline year: peaks are sought from here on.
PEAK_FROM = 2020
GROUP_ZH = "十五五规划测算依据"

REGISTRY_COLUMNS = ["indicator_id", "name_zh", "name_en", "level", "unit", "year", "kind",
                    "value", "bound", "source", "line", "text", "group_zh"]
COLUMNS = REGISTRY_COLUMNS + ["county", "qualification", "scenario", "mean", "p05", "p50",
                              "p95", "prob", "prob_meaning", "basis"]

# indicator_id → (table, quantity, name_zh, name_en, unit, scale)
FROM_TABLES: dict[str, tuple[str, str, str, str, str, float]] = {
    "pupils_enrolled": ("enrollment_forecast.csv", "enrolled", "在校生（在园幼儿）数",
                        "Pupils enrolled", "人", 1.0),
    "places_required": ("places_demand.csv", "places_needed", "学位需求", "Places required",
                        "个", 1.0),
    "places_capacity": ("places_demand.csv", "capacity", "现有学位（基线 + 已交付 + 计划）",
                        "Places in the inventory (baseline + delivered + planned)", "个", 1.0),
    "places_shortage": ("places_demand.csv", "shortage", "学位缺口（各县区不相抵）",
                        "Place shortage (no netting across counties)", "个", 1.0),
    "places_idle": ("places_demand.csv", "idle_places", "闲置学位（需求下降腾出）",
                    "Idle places (freed by falling demand)", "个", 1.0),
    "public_places_required": ("places_demand.csv", "public_places_needed", "公办学位需求",
                               "Public places required", "个", 1.0),
    "public_places_shortage": ("places_demand.csv", "public_shortage", "公办学位缺口",
                               "Public place shortage", "个", 1.0),
    "average_class_size": ("places_demand.csv", "avg_class_size", "平均班额",
                           "Average class size", "人/班", 1.0),
    "large_class_pupil_share": ("places_demand.csv", "prob_large_class",
                                "大班额学生占比", "Share of pupils in 大班额 classes", "%", 100.0),
    # the basis is the run's teachers.basis: named by ``basis_words`` (nextplan.tables)
    "teachers_needed": ("teacher_hiring.csv", "demand", "教师需求（按编制标准）",
                        "Teachers needed (staffing standards)", "名", 1.0),
    "teachers_in_post": ("teacher_hiring.csv", "stock", "在岗教师（不裁员）",
                         "Teachers in post (no layoffs)", "名", 1.0),
    "teacher_surplus": ("teacher_hiring.csv", "surplus", "教师富余", "Teacher surplus", "名",
                        1.0),
    "teacher_shortfall": ("teacher_hiring.csv", "shortfall", "教师缺口", "Teacher shortfall",
                          "名", 1.0),
    "teacher_hires": ("teacher_hiring.csv", "hires", "新招聘教师（当年末招聘，次年到岗）",
                      "Teachers hired (at the end of the year, in post the next)", "名", 1.0),
    "teacher_qualified_share": ("teacher_qualifications.csv", "qualified_share",
                                "专任教师学历达标比例", "Share of teachers with the qualification",
                                "%", 100.0),
    "capital_cost_need": ("costs.csv", "capital_cost", "学位建设投资（按模型需求）",
                          "Capital cost of the places the need requires", "万元", 1.0),
    "capital_cost_beyond_capacity": ("costs.csv", "capital_cost_beyond_capacity",
                                     "超出现有容量的学位建设投资",
                                     "Capital cost of places beyond the inventory", "万元", 1.0),
    "salary_cost": ("costs.csv", "salary_cost_public", "公办教师工资支出（含单位缴费）",
                    "Public teachers' pay with employer on-costs", "万元", 1.0),
    "total_cost": ("costs.csv", "total_cost", "建设与工资合计", "Capital and salaries", "万元",
                   1.0),
    "promise_prob_shortfall": ("places_promises.csv", "prob_shortfall",
                               "十四五承诺学位不足的概率", "P(the 14th-plan promise falls short)",
                               "%", 100.0),
}
#: Indicators that are a probability (the mean over draws), without a band.
PROB_ONLY = {"promise_prob_shortfall"}
#: Probabilities carried in ``prob`` (the mean over draws of an indicator).
PROB_MEANING = {
    "large_class_pupil_share": "P(a pupil sits in a 大班额 class) = mean over draws",
    "promise_prob_shortfall": "P(the promised places fall short of the need added since 2020)",
}

#: How teacher demand is counted (``teachers.basis``), as the teachers_needed rows name it.
TEACHER_BASIS = {"actual_ratio": ("按实际生师比", "actual pupil-teacher ratios"),
                 "staffing_standard": ("按编制标准", "staffing standards")}

