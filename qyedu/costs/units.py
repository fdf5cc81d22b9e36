"""Unit costs from data/raw/costs_counties.csv (published school projects and wages), each
with its source rows, a central value and a low–high range from the same rows; parameters in
``CostParams`` override the central value.

Capital cost per place (万元, taken as 2022 prices: the projects are 2017–2025 nominal and no
construction price index is in data/raw):
- central = mean of **Qingyuan's own projects** of the level where any exist (area names a
  Qingyuan county), else the median of the level's Guangdong projects; range = min–max of the
  level's Guangdong projects (``LEVEL_ROWS``: a junior or senior place is costed from complete
  secondary / nine-year / K-12 schools, as no pure junior project is published).
- secondary vocational: no per-place cost → the general senior values (assumption).

Salary per full-time teacher (元/yr, 2022 wage level): Guangdong education-sector average
wage 2019 × (northern region ÷ Guangdong all-sector wage 2019) × Guangdong all-sector wage
growth 2019→2022; range: 粤北 all-sector wage 2023 scaled to 2022 by Guangdong's 2022/2023
ratio (low) to the Guangdong education wage 2019 grown to 2022 (high).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import paths
from ..errors import InputError
from ..observed.raw import read_table

FILE = "costs_counties"
REQUIRED = ["area", "year", "indicator", "level", "value", "unit", "source_url", "label",
            "quote", "note"]
QINGYUAN = r"(?:清远|清城|清新|佛冈|阳山|连山|连南|英德|连州)"  # area starts with a Qingyuan unit
LEVEL_ROWS = {
    "preschool": ("preschool",),
    "primary": ("primary",),
    "junior_secondary": ("complete_secondary", "nine_year", "k12"),
    "senior_general": ("senior_general", "complete_secondary", "k12"),
}
PARAM = {"preschool": "capital_cost_preschool", "primary": "capital_cost_primary",
         "junior_secondary": "capital_cost_junior", "senior_general": "capital_cost_senior",
         "senior_vocational": "capital_cost_vocational"}
PRICE_BASE = ("2022 prices (yuan); published costs and wages taken as 2022 prices without "
              "deflation (no price index in data/raw); nominal rows use costs.price_index")


@dataclass(frozen=True)
class UnitCost:
    """A unit cost: central value, range, unit and where it comes from."""

    value: float
    low: float
    high: float
    unit: str
    basis: str


def read_costs(path=None) -> pd.DataFrame:
    """costs_counties.csv with ``value`` as float and provenance columns; a value that is not
    a number raises InputError naming the file and line."""
    t = read_table(path or paths.raw_csv(FILE), REQUIRED)
    v = pd.to_numeric(t["value"], errors="coerce")
    numeric_units = t["unit"].isin(["万元", "万元/place", "元/yr", "元", "places", "persons"])
    bad = v.isna() & numeric_units
    if bad.any():
        r = t[bad].iloc[0]
        raise InputError(f"value {r['value']!r} is not a number", r["source_file"],
                         int(r["source_line"]))
    return t.assign(value=v)


def _lines(rows: pd.DataFrame) -> str:
    return "lines " + ", ".join(str(x) for x in rows["source_line"])


def programme_cost(table: pd.DataFrame) -> tuple[float, str] | None:
    """The city programme's cost per place (2022: 13.7 亿元 for 22,000 places = 6.23 万元), or
    None when the row is missing."""
    t = table[(table["indicator"] == "cost_per_place") & (table["level"] == "mixed")]
    if t.empty:
        return None
    r = t.iloc[0]
    return float(r["value"]), (f"city programme {r['year']}: {r['note']} ({FILE}.csv line "
                               f"{r['source_line']}; area as filed: {r['area']})")


def capital_cost(level: str, table: pd.DataFrame, override: float | None = None,
                 basis: str = "projects") -> UnitCost:
    """万元 per new place of ``level`` (see module docstring); ``basis`` ``programme`` takes
    the city programme's cost per place as the central value, the projects as the range."""
    unit = "万元/place"
    if level not in LEVEL_ROWS:  # vocational: no published per-place cost
        s = capital_cost("senior_general", table, basis=basis)
        value = s.value if override is None else override
        return UnitCost(value, s.low, s.high, unit, "assumption: costed as a general senior "
                        f"place ({s.basis})" if override is None else
                        f"parameter costs.{PARAM[level]}; range {s.basis}")
    t = table[(table["indicator"] == "cost_per_place") & table["level"].isin(LEVEL_ROWS[level])]
    if t.empty:
        raise InputError(f"no cost_per_place rows for {level} (levels {LEVEL_ROWS[level]})",
                         paths.raw_csv(FILE))
    own = t[t["area"].str.match(QINGYUAN)]
    lo, hi = float(t["value"].min()), float(t["value"].max())
    rng = f"range {lo:g}-{hi:g}: Guangdong {', '.join(LEVEL_ROWS[level])} projects ({_lines(t)})"
    if override is not None:
        return UnitCost(float(override), lo, hi, unit, f"parameter costs.{PARAM[level]}; {rng}")
    prog = programme_cost(table) if basis == "programme" else None
    if prog is not None:
        v, src = prog
        return UnitCost(v, min(lo, v), max(hi, v), unit, f"{v:.4g} {unit} = {src} "
                        f"(costs.capital_unit_basis = programme); single projects as the {rng}")
    if len(own):
        central = float(own["value"].mean())
        how = (f"mean of Qingyuan projects {', '.join(own['area'])} "
               f"({FILE}.csv {_lines(own)})")
    else:
        central = float(t["value"].median())
        how = f"median of Guangdong projects ({FILE}.csv {_lines(t)})"
    return UnitCost(central, lo, hi, unit, f"{central:.4g} {unit} = {how}; {rng}")


def _wage(table: pd.DataFrame, area: str, year: int, level: str) -> tuple[float, int]:
    t = table[(table["indicator"] == "avg_wage_nonprivate") & (table["area"] == area)
              & (table["year"] == str(year)) & (table["level"] == level)]
    if len(t) != 1:
        raise InputError(f"expected one avg_wage_nonprivate row for {area} {year} {level}, "
                         f"found {len(t)}", paths.raw_csv(FILE))
    return float(t["value"].iloc[0]), int(t["source_line"].iloc[0])


def salary(table: pd.DataFrame, override: float | None = None) -> UnitCost:
    """元 per full-time teacher per year at the 2022 wage level (module docstring)."""
    edu19, l1 = _wage(table, "广东", 2019, "education")
    gd19, l2 = _wage(table, "广东", 2019, "all")
    north19, l3 = _wage(table, "广东 北部生态发展区", 2019, "all")
    gd22, l4 = _wage(table, "广东", 2022, "all")
    gd23, l5 = _wage(table, "广东", 2023, "all")
    yb23, l6 = _wage(table, "广东 粤北", 2023, "all")
    central = edu19 * north19 / gd19 * gd22 / gd19
    low, high = yb23 * gd22 / gd23, edu19 * gd22 / gd19
    unit = "元/teacher/yr"
    rng = (f"range {low:,.0f}-{high:,.0f}: 粤北 all-sector 2023 × {gd22:g}/{gd23:g} (line {l6}, "
           f"{l5}) to Guangdong education 2019 grown to 2022")
    if override is not None:
        return UnitCost(float(override), low, high, unit, f"parameter costs.salary_per_teacher; {rng}")
    how = (f"{central:,.0f} {unit} = Guangdong education-sector wage 2019 {edu19:,.0f} × northern "
           f"region/Guangdong 2019 {north19:,.0f}/{gd19:,.0f} × Guangdong growth 2019→2022 "
           f"{gd22:,.0f}/{gd19:,.0f} ({FILE}.csv lines {l1}, {l3}, {l2}, {l4}; no Qingyuan "
           "teacher pay published)")
    return UnitCost(central, low, high, unit, f"{how}; {rng}")


def land_per_place(table: pd.DataFrame, cp) -> dict[str, tuple[float, str]]:
    """m² of land per new place by level: Guangdong 义务教育标准化学校标准 (primary 18, junior
    23 m² per pupil) unless set by ``costs.land_m2_per_place_*``; levels without a norm in
    data/raw are not given (no land quantity is reported for them)."""
    out = {}
    for lv, key, param_ in (("primary", "primary", "land_m2_per_place_primary"),
                            ("junior_secondary", "junior", "land_m2_per_place_junior")):
        v = getattr(cp, param_)
        if v is not None:
            out[lv] = (float(v), f"parameter costs.{param_}")
            continue
        t = table[(table["indicator"] == "land_per_pupil") & (table["level"] == key)]
        if len(t):
            r = t.iloc[0]
            out[lv] = (float(r["value"]), f"{r['area']} {r['year']} ({FILE}.csv line "
                       f"{r['source_line']})")
    return out


def reference_spending(table: pd.DataFrame) -> dict[str, tuple[float, str]]:
    """Guangdong 2022 public education spending per pupil by level (元), for comparison."""
    lv = {"preschool": "preschool", "primary": "primary", "junior": "junior_secondary",
          "senior_general": "senior_general"}
    t = table[(table["indicator"] == "per_pupil_budget_total") & (table["area"] == "广东")
              & (table["year"] == "2022")]
    return {lv[r["level"]]: (float(r["value"]), f"Guangdong 2022 一般公共预算教育经费 per pupil "
                             f"({FILE}.csv line {r['source_line']})")
            for _, r in t.iterrows() if r["level"] in lv}


def unit_table(units: dict[str, UnitCost], wage: UnitCost) -> pd.DataFrame:
    """Every unit cost used, one row each (for cost_units.csv and the notebook)."""
    rows = [{"level": lv, "quantity": "capital_cost_per_place", "value": u.value, "low": u.low,
             "high": u.high, "unit": u.unit, "basis": u.basis, "note": PRICE_BASE}
            for lv, u in units.items()]
    rows.append({"level": "all", "quantity": "salary_per_teacher", "value": wage.value,
                 "low": wage.low, "high": wage.high, "unit": wage.unit, "basis": wage.basis,
                 "note": PRICE_BASE})
    out = pd.DataFrame(rows)
    out[["value", "low", "high"]] = out[["value", "low", "high"]].astype(float).round(6)
    return out


def as_array(x) -> np.ndarray:
    return np.asarray(x, dtype=float)
