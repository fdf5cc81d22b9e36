"""Sources and notes in words for the reviewer edition: a repository path becomes what the
file is (the methods-and-sources appendix lists the files), a parameter key becomes the
assumption's name. The CSVs keep the keys and paths for researchers; only what a page shows
is reworded."""

from __future__ import annotations

import re

from .format import bare_number

FILES = {
    "standards.csv": "编制与办学标准 staffing and school standards",
    "guangdong_education.csv": "广东教育统计 Guangdong education statistics",
    "china.csv": "全国教育统计 national education statistics",
    "costs_counties.csv": "学校项目与工资数据 school-project and wage data",
    "places.csv": "学位建设清单 the city's place pipeline",
    "enrollment.csv": "清远在校生统计 Qingyuan enrolment",
    "population.csv": "人口数据 population data",
    "bureau/teachers.csv": "教育局教师文件 the bureau's teacher-count file",
    "bureau/school_sites.csv": "教育局学校布点文件 the bureau's school-sites file",
}
_PATH = re.compile(r"data/raw/([\w./-]+?\.(?:csv|txt|yaml))")
_BARE = re.compile(r"\b(" + "|".join(re.escape(f) for f in FILES) + r")\b")
_KEY = re.compile(r"\b(?:forecast|births|projection|places|teachers|costs|scorecard|"
                  r"sensitivity)\.([a-z][a-z0-9_]{2,})\b(?: = (\w+))?")
_PHRASES = {
    "(costs.capital_unit_basis = programme)": "(建设费口径：全市项目包单价 cost basis: the city "
                                               "programme's cost per place)",
    "no price index in data/raw": "no construction price index published",
    "nominal rows use costs.price_index": "nominal rows use the consumer price index (CPI)",
    "in data/raw": "in the published sources",
    "data/templates/": "the templates",
}


# processed tables a projected status rests on (scorecard.csv's projected_source)
TABLES = {"teacher_qualifications.csv": "第 40 页教师学历表 page 40's qualification table",
          "places_promises.csv": "第 30 页学位承诺表 page 30's places promises",
          "projection draws": "在校生预测抽样 the enrolment projection's draws"}


def table_in_words(name) -> str:
    """A processed table (or the projection's draws) named as the page that shows it."""
    return TABLES.get(name, name) if isinstance(name, str) else name


# school types of the project table (costs_counties.csv) as they appear in cost sources
SCHOOL_TYPES = {"complete_secondary": "完全中学 complete secondary",
                "nine_year": "九年一贯制 nine-year", "k12": "十二年一贯制 K-12",
                "senior_general": "普通高中 general senior"}
_SCHOOL = re.compile(r"\b(" + "|".join(SCHOOL_TYPES) + r")\b")


# a bare whole number of five digits or more (never a year, line number or part of a name)
_LONG = re.compile(r"(?<![\w.,-])(?<![A-Za-z_]/)(\d{5,})(?![\w.,])")


def _file(m: re.Match) -> str:
    return FILES.get(m.group(1), "原始数据表 a raw data table")


def _key(m: re.Match) -> str:
    name = m.group(1).replace("_", " ")
    return f"{name} setting" + (f" ({m.group(2).replace('_', ' ')})" if m.group(2) else "")


def in_words(text) -> str:
    """``text`` with repository paths named as what the files are and parameter keys as the
    names of the assumptions; anything else unchanged (non-strings pass through)."""
    if not isinstance(text, str):
        return text
    for old, new in _PHRASES.items():
        text = text.replace(old, new)
    text = _PATH.sub(_file, text)
    text = _BARE.sub(lambda m: FILES[m.group(1)], text)
    text = re.sub(r"\bparameter (?=[a-z]+\.[a-z])", "参数设定 set by parameter: ", text)
    text = _KEY.sub(_key, text)
    text = _LONG.sub(lambda m: bare_number(m.group(1)), text)  # 124916 → 124,916
    return _SCHOOL.sub(lambda m: SCHOOL_TYPES[m.group(1)], text)
