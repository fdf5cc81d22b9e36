"""What the Qingyuan data support, checked before any run: the reporting units (全市 and the 8
county-level units) and the base years (vintages) the published inputs reach. The Workbench —
and so every CLI verb, notebook, the explorer and the Python API — refuses a run outside them
with a message naming the parameter, instead of silently holding births flat or reporting a
unit that does not exist. ``qyedu params`` lists the same ranges."""

from __future__ import annotations

from functools import lru_cache

from .errors import QyeduError

FIRST_BASE_YEAR = 2015  # the Qingyuan inputs (births points, enrolment) support vintages from 2015


@lru_cache(maxsize=1)
def base_years() -> tuple[int, int]:
    """(first, last) base year the Qingyuan inputs support: from 2015 to the last year of
    published Guangdong births (data/raw/population.csv), the anchor of every later birth."""
    from .observed.points import population_points

    pts = population_points()
    gd = pts[(pts["indicator"] == "births") & (pts["area"] == "广东省")]
    return FIRST_BASE_YEAR, int(gd["year_end"].max())


def counties() -> tuple[str, ...]:
    """The reporting units: 全市 (whole city) and the county-level units."""
    from .labels import CITY
    from .observed.names import COUNTIES

    return (CITY, *COUNTIES)


def problems(rp) -> list[str]:
    """Why the run ``rp`` (RunParams) is outside what the data support; empty if it is not."""
    from .observed.names import county_problem

    out = []
    if bad := county_problem(rp.forecast.county):
        out.append(bad)
    first, last = base_years()
    year = rp.forecast.base_year
    if year > last:
        out.append(f"forecast.base_year {year}: births are published up to {last} "
                   f"(data/raw/population.csv), so a later base year would hold births flat "
                   f"at an assumed level; choose a base year from {first} to {last}")
    return out


def check(rp) -> None:
    """QyeduError (exit 2 in the CLI) naming every parameter outside what the data support."""
    found = problems(rp)
    if found:
        raise QyeduError(found[0] if len(found) == 1 else "\n  - ".join(["invalid run:", *found]))
