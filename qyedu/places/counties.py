"""County shares that change over time: the projection's city draws re-allocated to the 8
county-level units, and capacity allocated to counties.

Demand shares, per draw d, school year y, level l and county c::

    share ∝ base[d, y, l, c] × exp(κ_d × g_c × (y − 2020)) × b[d, y, l, c]

- ``base``: the projection's own county allocation (2020 census shares, or county enrolment
  where data/raw has it — kept as the projection computed it).
- ``g_c``: the county's 2010→2020 trend in log share of the city population
  (costs_counties.csv: 2020 census counts; 2010 counts derived from the published 2010
  shares), per year. ``κ_d`` ~ Normal(``places.county_drift``, ``places.county_drift_sd``),
  one per draw: the drift and its uncertainty are in the bands.
- ``b``: 清城区's published 2022 births (population.csv): for the part of a level's ages
  born in 2022 or later, 清城区's share is its births share (9,599 / city births of the draw)
  instead of its 2020 population share. Other counties are rescaled. (Switch:
  ``places.county_births_qingcheng``.)

The city total of every draw is unchanged (shares sum to 1).

Capacity by county: no county capacity is published, so the baseline capacity is allocated
by the county's share of demand in the baseline year (every county starts with the city's
overcrowding rate); planned places by ``places.planned_places_by_county``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import paths
from ..errors import InputError
from ..observed import read_raw
from ..observed.raw import read_table
from ..params import PlacesParams
from ..projection.result import LEVEL_AGES, ProjectionResult

CENSUS_YEARS = (2010, 2020)
QINGCHENG = "清城区"
BIRTHS_YEAR = 2022
COUNTY_COLUMNS = ["area", "year", "indicator", "level", "value", "unit", "source_url", "label",
                  "quote", "note"]


def read_costs_counties(path=None) -> pd.DataFrame:
    """data/raw/costs_counties.csv with ``value`` as float; the census rows used here must be
    numbers (errors name the file and line; other rows, e.g. ranges, stay NaN)."""
    path = path or paths.raw_csv("costs_counties")
    df = read_table(path, COUNTY_COLUMNS)
    v = pd.to_numeric(df["value"].str.replace(",", "", regex=False), errors="coerce")
    bad = df.index[v.isna() & (df["indicator"] == "census_pop_resident")]
    if len(bad):
        i = bad[0]
        raise InputError(f"value {df.at[i, 'value']!r} is not a number", path,
                         int(df.at[i, "source_line"]))
    return df.assign(value=v)


def census_trend(counties, table: pd.DataFrame | None = None) -> tuple[np.ndarray, str]:
    """Per-year trend of each county's log share of the city population, 2010→2020 (C,);
    0 for a county without both census counts. Returns the trend and its source lines."""
    t = read_costs_counties() if table is None else table
    t = t[t["indicator"] == "census_pop_resident"]
    pop = {}
    for y in CENSUS_YEARS:
        s = t[t["year"].astype(str) == str(y)].set_index("area")["value"]
        pop[y] = s[s.index.isin(counties)]
    g = np.zeros(len(counties))
    if all(len(pop[y]) == len(counties) for y in CENSUS_YEARS):
        sh = {y: pop[y].reindex(list(counties)) / pop[y].sum() for y in CENSUS_YEARS}
        g = (np.log(sh[2020]) - np.log(sh[2010])).to_numpy() / (CENSUS_YEARS[1] - CENSUS_YEARS[0])
    lines = ", ".join(str(x) for x in t.loc[t["area"].isin(counties), "source_line"])
    return g, f"costs_counties.csv lines {lines}" if lines else "no census counts for these units"


def qingcheng_births(population: pd.DataFrame | None = None) -> tuple[float, str] | None:
    """清城区's published births in 2022 and the source line, if in population.csv."""
    p = read_raw("population") if population is None else population
    hit = p[(p["area"] == QINGCHENG) & (p["indicator"] == "births")
            & (p["year"].astype(str) == str(BIRTHS_YEAR))]
    if hit.empty:
        return None
    return float(hit["value"].iloc[0]), f"population.csv line {hit['source_line'].iloc[0]}"


def drift_draws(pp: PlacesParams, n_draws: int, seed: int) -> np.ndarray:
    """κ per draw: Normal(county_drift, county_drift_sd), deterministic for a seed."""
    rng = np.random.default_rng([seed, 11])
    return pp.county_drift + pp.county_drift_sd * rng.standard_normal(n_draws)


def born_from_fraction(years, level: str, first_cohort: int) -> np.ndarray:
    """Share of a level's nominal ages born in ``first_cohort`` or later, per school year."""
    ages = np.asarray(LEVEL_AGES[level])
    return np.array([np.mean(int(y) - ages >= first_cohort) for y in years])


def county_shares(result: ProjectionResult, pp: PlacesParams, seed: int,
                  census: pd.DataFrame | None = None, population: pd.DataFrame | None = None,
                  ) -> tuple[np.ndarray, str]:
    """Shares (D, Y, L, C), summing to 1 over counties, and a description of the rule."""
    enr = result.enrolled.astype(float)
    tot = enr.sum(axis=3, keepdims=True)
    c = len(result.counties)
    base = np.where(tot > 0, enr / np.where(tot > 0, tot, 1), 1 / c)
    g, g_src = census_trend(result.counties, census)
    kappa = drift_draws(pp, result.n_draws, seed)
    t = np.asarray(result.years, dtype=float) - CENSUS_YEARS[1]
    drift = np.exp(kappa[:, None, None] * g[None, None, :] * t[None, :, None])  # (D, Y, C)
    w = base * drift[:, :, None, :]
    how = (f"projection's county allocation × exp(κ × 2010→20 log-share trend × (year − 2020)), "
           f"κ ~ N({pp.county_drift:g}, {pp.county_drift_sd:g}) ({g_src})")
    found = qingcheng_births(population) if pp.county_births_qingcheng else None
    if found and QINGCHENG in result.counties and BIRTHS_YEAR in set(result.births_years):
        births, b_src = found
        q = result.counties.index(QINGCHENG)
        city_b = result.births[:, list(result.births_years).index(BIRTHS_YEAR)]
        pop_share = base[:, 0, :, q].mean(axis=1)  # the projection's 清城 share
        ratio = (births / city_b) / np.where(pop_share > 0, pop_share, 1)  # (D,)
        for li, lv in enumerate(result.levels):
            f = born_from_fraction(result.years, lv, BIRTHS_YEAR)  # (Y,)
            w[:, :, li, q] *= 1 + f[None, :] * (ratio[:, None] - 1)
        how += (f"; 清城区 cohorts born ≥{BIRTHS_YEAR}: births share {births:g} / city births "
                f"({b_src}) instead of its population share")
    s = w.sum(axis=3, keepdims=True)
    return w / np.where(s > 0, s, 1), how


def county_enrolment(result: ProjectionResult, pp: PlacesParams, seed: int, **kw,
                     ) -> tuple[np.ndarray, str]:
    """Enrolment (D, Y, L, C) re-allocated with the drifting shares (city totals kept)."""
    shares, how = county_shares(result, pp, seed, **kw)
    return result.city("enrolled")[..., None] * shares, how


def allocate_capacity(base: np.ndarray, added: np.ndarray, need: np.ndarray, year_index: int,
                      rule: str, growth_to: int | None = None) -> np.ndarray:
    """Capacity per county (D, Y', C) for the years from the baseline on.

    Parameters
    ----------
    base : baseline capacity of the city per draw, places (D,).
    added : city places opening in each year from the baseline on (Y',).
    need : places needed per county for the same years (D, Y', C).
    year_index : unused position kept for clarity (0 = the baseline year).
    rule : ``baseline_share`` (planned places follow the baseline demand shares) or
        ``demand_growth`` (follow each county's growth of need from the baseline to
        ``growth_to``, an index into the years; baseline shares where nothing grows).
    """
    tot0 = need[:, year_index, :].sum(axis=1, keepdims=True)
    s0 = np.where(tot0 > 0, need[:, year_index, :] / np.where(tot0 > 0, tot0, 1),
                  1 / need.shape[2])  # (D, C)
    s_add = s0
    if rule == "demand_growth" and growth_to is not None:
        grow = np.clip(need[:, growth_to, :] - need[:, year_index, :], 0, None)
        gs = grow.sum(axis=1, keepdims=True)
        s_add = np.where(gs > 0, grow / np.where(gs > 0, gs, 1), s0)
    cum = np.cumsum(added)
    return base[:, None, None] * s0[:, None, :] + cum[None, :, None] * s_add[:, None, :]
