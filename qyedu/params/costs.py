"""Parameters of the cost model (``qyedu.costs``). Money is in 2022 yuan: capital costs in
万元 (10,000 yuan) per place, salaries in 元 per teacher per year. ``None`` means: derive the
value from data/raw/costs_counties.csv by the rule stated in the description (the derivation
and the rows used are printed in every output row's ``basis``)."""

from __future__ import annotations

from .base import ParamModel, param

_CAP = "万元 per place (2022 prices)"
_SRC = "data/raw/costs_counties.csv: cost_per_place of school projects (total investment ÷ places)"


class CostParams(ParamModel):
    capital_cost_preschool: float | None = param(
        None, "Capital cost of one new kindergarten place. None → median of the preschool "
        "projects in costs_counties.csv (韶关 新区幼儿园 2020: 9.86)", _CAP, _SRC, ge=0.5, le=50,
    )
    capital_cost_primary: float | None = param(
        None, "Capital cost of one new primary place. None → mean of Qingyuan's own primary "
        "projects (阳山 城北小学 2019: 7.09; 清新 第五小学 2017: 4.63)", _CAP, _SRC, ge=0.5, le=50,
    )
    capital_cost_junior: float | None = param(
        None, "Capital cost of one new junior-secondary place. None → Qingyuan's own secondary "
        "project (连南 花都石泉中学 2023, complete secondary, boarding: 10.90)", _CAP, _SRC,
        ge=0.5, le=50,
    )
    capital_cost_senior: float | None = param(
        None, "Capital cost of one new general senior place. None → Qingyuan's own secondary "
        "project (连南 花都石泉中学 2023: 10.90)", _CAP, _SRC, ge=0.5, le=50,
    )
    capital_cost_vocational: float | None = param(
        None, "Capital cost of one new secondary vocational place. No per-place vocational cost "
        "is published: None → the general senior cost", _CAP,
        "assumption: vocational place costs as a general senior place (range: the senior "
        "projects, 5.27-29.5)", ge=0.5, le=50,
    )
    salary_per_teacher: float | None = param(
        None, "Annual pay of one full-time teacher. No Qingyuan teacher pay is published. None → "
        "Guangdong education-sector average wage 2019 (117,500) × northern region ÷ Guangdong "
        "all-sector wage 2019 (79,013 ÷ 98,889) × Guangdong all-sector wage growth 2019→2022 "
        "(124,916 ÷ 98,889) = 118,597", "元 per teacher per year (2022 wage level)",
        "data/raw/costs_counties.csv: avg_wage_nonprivate (广东 education 2019; 北部生态发展区 "
        "and 广东 all sectors 2019, 2022)", ge=30_000, le=400_000,
    )
    employer_oncost_rate: float = param(
        0.0, "Employer contributions (social insurance, housing fund) on top of pay; 0 = the "
        "published average wage only", "fraction of pay",
        "assumption: not published; typical contributions are 0.3-0.4 of pay", ge=0, le=0.6,
    )
    real_wage_growth: float = param(
        0.0, "Growth of teacher pay above prices per year after 2022 (0 = pay constant in 2022 "
        "terms)", "fraction per year", "assumption: no published pay path", ge=-0.03, le=0.06,
    )
    first_year: int = param(
        2021, "First school year costed (the plan starts in 2021)", "year",
        "plan title (2021-2025)", ge=2015, le=2035,
    )
