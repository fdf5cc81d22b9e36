"""Shared vocabulary: the names of levels, promises, scenarios and statuses in Chinese and
English, and the city-total label. Every layer (model, views, figures, pipeline) imports
these from here so that one word means one thing everywhere."""

from __future__ import annotations

CITY = "全市"  # the city total, beside the 8 county-level units

# Levels modelled by the projection, in the order of its draws arrays.
LEVELS: tuple[str, ...] = (
    "preschool",
    "primary",
    "junior_secondary",
    "senior_general",
    "senior_vocational",
)
LEVEL_ZH = {
    "preschool": "学前教育（幼儿园）",
    "primary": "小学",
    "junior_secondary": "初中",
    "senior_general": "普通高中",
    "senior_vocational": "中职",
}
# Bilingual display names of levels and level groups (zh, en).
LEVEL_LABELS = {
    "preschool": ("学前教育", "Preschool"),
    "compulsory": ("义务教育", "Compulsory"),
    "primary": ("小学", "Primary"),
    "junior_secondary": ("初中", "Junior secondary"),
    "senior": ("高中阶段", "Upper secondary"),
    "senior_general": ("普通高中", "General senior"),
    "senior_vocational": ("中职", "Secondary vocational"),
    "vocational": ("职业教育", "Vocational"),
    "higher": ("高等教育", "Higher education"),
    "special": ("特殊教育", "Special education"),
    "teachers": ("教师队伍", "Teachers"),
    "system": ("综合", "System-wide"),
    "all": ("合计", "All"),
}
PROMISE_LABELS = {
    "compulsory_new_places": ("义务教育新增学位", "New compulsory places"),
    "preschool_new_public_places": ("新增公办学前学位", "New public preschool places"),
    "senior_new_public_places": ("新增公办普高学位", "New public general-senior places"),
}
SCENARIO_LABELS = {
    "low": ("低方案", "Low"),
    "medium": ("中方案", "Medium"),
    "high": ("高方案", "High"),
}
# Forecast methods of the back-test (bilingual display names, zh, en).
METHOD_LABELS = {
    "carry_forward": ("沿用末值", "carry forward"),
    "linear_trend": ("线性趋势", "linear trend"),
    "path_low": ("出生路径·低", "births path low"),
    "path_medium": ("出生路径·中", "births path medium"),
    "path_high": ("出生路径·高", "births path high"),
    "cohort_model_low": ("队列模型·低方案", "cohort model, low"),
    "cohort_model_medium": ("队列模型·中方案", "cohort model, medium"),
    "cohort_model_high": ("队列模型·高方案", "cohort model, high"),
}
STATUSES = ("met", "on_track", "at_risk", "missed", "no_data")
STATUS_LABELS = {
    "met": ("达成", "met"),
    "on_track": ("进度正常", "on track"),
    "at_risk": ("有风险", "at risk"),
    "missed": ("未达成", "missed"),
    "no_data": ("无数据", "no data"),
}


def _both(pair: tuple[str, str]) -> str:
    zh, en = pair
    return f"{zh} {en}".strip()


def level_label(level: str) -> str:
    """Bilingual name of a level or group, e.g. ``"compulsory"`` → ``"义务教育 Compulsory"``."""
    return _both(LEVEL_LABELS.get(str(level), (str(level), "")))


def promise_label(promise: str) -> str:
    """Bilingual name of a plan promise, e.g. ``"新增公办普高学位 New public general-senior places"``."""
    return _both(PROMISE_LABELS.get(promise, (promise, "")))


def area_en(county: str) -> str:
    """A reporting unit in an English gloss: ``全市`` → ``whole city``; a county keeps its
    name (a place name)."""
    return "whole city" if county == CITY else county


def scenario_label(name: str, lang: str = "both") -> str:
    """Name of a births scenario: ``"low"`` → ``"低方案 Low"`` (``lang`` "zh" or "en": one).
    A scenario added in params/births_paths.yaml without a label shows its own name."""
    zh, en = SCENARIO_LABELS.get(name, (name, name))
    return {"zh": zh, "en": en}.get(lang, f"{zh} {en}" if zh != en else zh)


def status_label(status: str) -> str:
    """Bilingual name of a scorecard status, e.g. ``"missed"`` → ``"未达成 missed"``."""
    return _both(STATUS_LABELS.get(status, (status, "")))
