"""Parameters of the cost model (``qyedu.costs``). Money is in 2022 yuan: capital costs in
万元 (10,000 yuan) per place, salaries in 元 per teacher per year. ``None`` means: derive the
value from data/raw/costs_counties.csv by the rule stated in the description (the derivation
and the rows used are printed in every output row's ``basis``)."""

from __future__ import annotations

from typing import Literal

from .base import ParamModel, param

_CAP = "万元 per place (2022 prices)"
_SRC = "data/raw/costs_counties.csv: cost_per_place of school projects (total investment ÷ places)"


class CostParams(ParamModel):
    capital_cost_preschool: float | None = param(
        None, "Capital cost of one new kindergarten place. None → costs.capital_unit_basis "
        "(programme: 6.23; projects: 韶关 新区幼儿园 2020, 9.86)", _CAP, _SRC, ge=0.5, le=50,
    )
    capital_cost_primary: float | None = param(
        None, "Capital cost of one new primary place. None → costs.capital_unit_basis "
        "(programme: 6.23; projects: mean of 阳山 城北小学 2019 7.09 and 清新 第五小学 2017 4.63)", _CAP, _SRC, ge=0.5, le=50,
    )
    capital_cost_junior: float | None = param(
        None, "Capital cost of one new junior-secondary place. None → costs.capital_unit_basis "
        "(programme: 6.23; projects: 连南 花都石泉中学 2023, complete secondary, boarding: 10.90)", _CAP, _SRC,
        ge=0.5, le=50,
    )
    capital_cost_senior: float | None = param(
        None, "Capital cost of one new general senior place. None → costs.capital_unit_basis "
        "(programme: 6.23; projects: 连南 花都石泉中学 2023: 10.90)", _CAP, _SRC, ge=0.5, le=50,
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
        0.357,
        "Employer contributions on top of a public teacher's pay (contribution base = pay): "
        "basic pension 0.16 (机关事业单位 unit rate, 国办发〔2019〕13号 降低社会保险费率综合方案); "
        "occupational annuity 职业年金 0.08 (国办发〔2015〕18号 机关事业单位职业年金办法: 单位按工资"
        "总额的8%); basic medical insurance 0.06 (国发〔1998〕44号: 用人单位缴费率控制在工资总额"
        "的6%左右; Guangdong's city rates vary); housing fund 0.05 (住房公积金管理条例 / 建金管"
        "〔2005〕5号: unit rate 5-12 %, the floor used); unemployment 0.005 and work injury 0.002 "
        "(assumption: Guangdong's reduced rates are of this order). Sum 0.357; range 0.357-0.427 "
        "with the housing fund at its 12 % cap",
        "fraction of pay",
        "国办发〔2019〕13号 (pension 16 %); 国办发〔2015〕18号 (职业年金 8 %); 国发〔1998〕44号 "
        "(medical ~6 %); 住房公积金管理条例 + 建金管〔2005〕5号 (5-12 %); assumption: unemployment "
        "0.5 % and work injury 0.2 %", ge=0, le=0.6,
    )
    real_wage_growth: float = param(
        0.0, "Growth of teacher pay above prices per year after 2022 (0 = pay constant in 2022 "
        "terms; stated on the cost page)", "fraction per year",
        "assumption: no published pay path", ge=-0.03, le=0.06,
    )
    price_index: str = param(
        "居民消费价格指数 CPI (China, NBS)",
        "Name of the price index that turns 2022 prices into nominal yuan (stated on the page "
        "and in every nominal row)", "name",
        "assumption: no price index in data/raw; CPI is the index of the budget's own deflator "
        "discussions",
    )
    inflation_rate: float = param(
        0.02, "Annual growth of the price index after 2022 (nominal = real × (1 + rate)^(year "
        "− 2022))", "fraction per year",
        "assumption: China's CPI rose about 1.6 % a year on average 2015-2024 (NBS annual CPI); "
        "the government work reports target about 3 %", ge=-0.02, le=0.1,
    )
    capital_unit_basis: Literal["programme", "projects"] = param(
        "programme",
        "Default capital cost per place: 'programme' = the city programme of 2022 (13.7 亿元 "
        "for 22,000 places = 6.23 万元 per place, costs_counties.csv lines 13-14; the excerpt "
        "does not name the city, filed as probably 清远), the single projects giving the range; "
        "'projects' = the mean of Qingyuan's own projects of the level (else the Guangdong "
        "median)", "choice", "data/raw/costs_counties.csv",
    )
    land_m2_per_place_primary: float | None = param(
        None, "Land per primary place. None → Guangdong 义务教育标准化学校标准 (2013): 18 m² per "
        "pupil", "m² per place", "data/raw/costs_counties.csv: Guangdong norm land_per_pupil",
        ge=0, le=100,
    )
    land_m2_per_place_junior: float | None = param(
        None, "Land per junior-secondary place. None → Guangdong 义务教育标准化学校标准 (2013): 23 "
        "m² per pupil", "m² per place",
        "data/raw/costs_counties.csv: Guangdong norm land_per_pupil", ge=0, le=100,
    )
    land_price_per_m2: float = param(
        0.0, "Price of school land. 0 = allocated land (划拨) with no cash outlay in the "
        "education budget: the land needed is reported in m², its cost only when a price is "
        "set", "元 per m² (2022 prices)",
        "assumption: school land is usually allocated; no Qingyuan land price in data/raw",
        ge=0, le=50_000,
    )
    first_year: int = param(
        2021, "First school year costed (the plan starts in 2021)", "year",
        "plan title (2021-2025)", ge=2015, le=2035,
    )
