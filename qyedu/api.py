"""The public Python API: tidy DataFrames (one row per key, ``mean, p05, p50, p95`` or
``value``, then provenance) through the same ``Workbench`` as the CLI and the notebooks.

    >>> import qyedu
    >>> df = qyedu.forecast(scenario="low", draws=100)
    >>> list(df.columns[:5])
    ['year', 'level', 'county', 'scenario', 'quantity']

Every function takes the forecast keywords (``scenario``, ``base_year``, ``horizon``,
``draws``, ``seed``, ``county``, ``births_method``), a parameter file (``params_file``,
default params/default.yaml) and dotted ``overrides`` (``{"teachers.attrition_rate": 0.05}``).
Bad values raise ``qyedu.errors.QyeduError`` naming the parameter (an unknown county, a base
year beyond the data, a scenario not in the births-paths file). One Workbench per parameter
set is kept for the session, so ``forecast`` then ``places`` with the same parameters run
the projection once. ``county`` selects the rows of that unit; a table without per-county
rows (costs, most teacher tables are city-wide) refuses a county rather than returning the
city's numbers under its name.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import QyeduError
from .labels import CITY

_CACHE: OrderedDict[tuple, Any] = OrderedDict()
_CACHE_SIZE = 4

TABLES = {
    "forecast": ("forecast_tables", "enrollment_forecast",
                 ("enrollment_forecast", "births_reconstruction", "flow_checks")),
    "places": ("places_tables", "places_demand",
               ("places_demand", "places_promises", "places_answers")),
    "teachers": ("teacher_tables", "teacher_hiring",
                 ("teacher_hiring", "teacher_demand", "teacher_qualifications")),
    "costs": ("cost_tables", "costs", ("costs", "cost_units")),
}


def workbench(params_file: str | Path | None = None, overrides: dict | None = None,
              **forecast: Any):
    """The session's Workbench for these parameters (created on first use, then reused)."""
    from . import params as _params
    from .workbench import Workbench

    rp = _params.load(params_file or None, overrides,
                      **{k: v for k, v in forecast.items() if v not in ("", None)})
    key = (rp.fingerprint(),)
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    wb = Workbench(rp)
    _CACHE[key] = wb
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return wb


def _table(kind: str, table: str | None, county: str | None, params_file, overrides,
           forecast: dict) -> pd.DataFrame:
    stage, default, names = TABLES[kind]
    name = (table or default).removesuffix(".csv")
    if name not in names:
        raise QyeduError(f"qyedu.{kind}(table={table!r}): no such table; one of: "
                         + ", ".join(names))
    wb = workbench(params_file, overrides, county=county, **forecast)
    df = getattr(wb, stage)[f"{name}.csv"]
    unit = wb.params.forecast.county
    if county not in (None, "") and "county" in df.columns:
        if unit != CITY and not (df["county"] == unit).any():
            raise QyeduError(f"qyedu.{kind}(table={name!r}) has no rows for county {unit!r}: "
                             f"the table is city-wide ({', '.join(map(str, df['county'].unique()[:3]))})")
        df = df[df["county"] == unit]
    out = df.reset_index(drop=True).copy()
    out.attrs = {"table": f"{name}.csv", "params": wb.params.slug()}
    return out


def forecast(scenario: str | None = None, *, base_year: int | None = None,
             horizon: int | None = None, draws: int | None = None, seed: int | None = None,
             county: str | None = None, births_method: str | None = None,
             table: str | None = None, params_file: str | Path | None = None,
             overrides: dict | None = None) -> pd.DataFrame:
    """Pupils by year, level and county (``table="enrollment_forecast"``), or the births
    reconstruction (``"births_reconstruction"``) or the checks against the plan's flow
    figures (``"flow_checks"``): p05/p50/p95 of the Monte Carlo draws.

    >>> import qyedu
    >>> df = qyedu.forecast(scenario="low", draws=100)
    >>> primary = df[(df.level == "primary") & (df.quantity == "enrolled")
    ...              & (df.county == "全市")].set_index("year")
    >>> bool(primary.loc[2030, "p05"] <= primary.loc[2030, "p50"] <= primary.loc[2030, "p95"])
    True
    >>> qyedu.forecast(draws=100, county="广州市")
    Traceback (most recent call last):
    ...
    qyedu.errors.QyeduError: forecast.county '广州市' is not a county-level unit of Qingyuan; expected 全市 or one of: ...
    """
    return _table("forecast", table, county, params_file, overrides,
                  dict(scenario=scenario, base_year=base_year, horizon=horizon, draws=draws,
                       seed=seed, births_method=births_method))


def places(scenario: str | None = None, *, base_year: int | None = None,
           horizon: int | None = None, draws: int | None = None, seed: int | None = None,
           county: str | None = None, births_method: str | None = None,
           table: str | None = None, params_file: str | Path | None = None,
           overrides: dict | None = None) -> pd.DataFrame:
    """School places: needed places by year, level and county (``"places_demand"``), the
    plan's promises against them (``"places_promises"``) or the answers per promise
    (``"places_answers"``).

    >>> import qyedu
    >>> promises = qyedu.places(scenario="low", draws=100, table="places_promises")
    >>> sorted(set(promises["promise"]))[:2]
    ['compulsory_new_places', 'preschool_new_public_places']
    """
    return _table("places", table, county, params_file, overrides,
                  dict(scenario=scenario, base_year=base_year, horizon=horizon, draws=draws,
                       seed=seed, births_method=births_method))


def teachers(scenario: str | None = None, *, base_year: int | None = None,
             horizon: int | None = None, draws: int | None = None, seed: int | None = None,
             county: str | None = None, births_method: str | None = None,
             table: str | None = None, params_file: str | Path | None = None,
             overrides: dict | None = None) -> pd.DataFrame:
    """Teachers: stock, leavers, hires and surplus (``"teacher_hiring"``), demand by rule
    (``"teacher_demand"``) or qualifications (``"teacher_qualifications"``).

    >>> import qyedu
    >>> hires = qyedu.teachers(scenario="low", draws=100)
    >>> {"year", "level", "quantity", "p50"} <= set(hires.columns)
    True
    """
    return _table("teachers", table, county, params_file, overrides,
                  dict(scenario=scenario, base_year=base_year, horizon=horizon, draws=draws,
                       seed=seed, births_method=births_method))


def costs(scenario: str | None = None, *, base_year: int | None = None,
          horizon: int | None = None, draws: int | None = None, seed: int | None = None,
          county: str | None = None, births_method: str | None = None,
          table: str | None = None, params_file: str | Path | None = None,
          overrides: dict | None = None) -> pd.DataFrame:
    """Capital and salary costs with bands (``"costs"``, 2022 prices) or the unit costs they
    use (``"cost_units"``).

    >>> import qyedu
    >>> c = qyedu.costs(scenario="low", draws=100)
    >>> bool((c["p05"] <= c["p95"]).all())
    True
    """
    return _table("costs", table, county, params_file, overrides,
                  dict(scenario=scenario, base_year=base_year, horizon=horizon, draws=draws,
                       seed=seed, births_method=births_method))


def _area_run(area_data, area, skip_unknown, params_file, overrides, forecast: dict,
              rebase_population=None):
    """(the forecast table, the area's inputs, the run parameters) of another area, as
    ``qyedu forecast --area-data`` computes them (``area_data``: one file or several)."""
    from . import params as _params
    from .observed.area import area_inputs, pick_area, read_area_tables
    from .projection.area_flow import area_forecast_table, project_area_flow

    rp = _params.load(params_file or None, overrides,
                      **{k: v for k, v in forecast.items() if v not in ("", None)})
    df = read_area_tables(area_data, skip_unknown=skip_unknown, rebase=rebase_population)
    where = area_data if isinstance(area_data, (str, Path)) else df.attrs["path"]
    name = pick_area(df, area, where)
    data = area_inputs(df, name, where)
    result, _ = project_area_flow(data, rp)
    from .projection.grade_structure import four_year_note

    note = four_year_note(data, rp.forecast.base_year)  # as the command prints it
    if note:
        import warnings

        warnings.warn(f"{name}: {note}", UserWarning, stacklevel=3)
    return area_forecast_table(result, name), data, rp


def area_forecast(area_data: str | Path | Sequence[str | Path], area: str | None = None, *,
                  skip_unknown: bool = False, scenario: str | None = None,
                  base_year: int | None = None, horizon: int | None = None,
                  draws: int | None = None, seed: int | None = None,
                  params_file: str | Path | None = None,
                  overrides: dict | None = None,
                  rebase_population: int | None = None) -> pd.DataFrame:
    """Another area's enrolment forecast from a long table (``area_data``: the schema of
    data/raw/validation/provinces.csv, docs/PROJECTION.md §5; a list of files is read as
    one): the table ``qyedu forecast --area-data`` writes, by the published grade flow and
    band. ``rebase_population``: as ``--rebase-population`` (counts before that year put on
    its base, e.g. 2000 when joining ``provinces_1995_1999.csv``).

    >>> import qyedu
    >>> from qyedu import paths
    >>> panel = paths.data_raw() / "validation"
    >>> f = qyedu.area_forecast(panel / "provinces.csv", "陕西省",
    ...                         base_year=2019, horizon=2023, draws=200)
    >>> sorted(f.loc[f.quantity == "enrolled", "level"].unique())[:2]
    ['junior_secondary', 'preschool']
    """
    return _area_run(area_data, area, skip_unknown, params_file, overrides,
                     dict(scenario=scenario, base_year=base_year, horizon=horizon, draws=draws,
                          seed=seed), rebase_population)[0]


def area_check(area_data: str | Path | Sequence[str | Path],
               outturns: str | Path | None = None,
               area: str | None = None, *, skip_unknown: bool = False,
               scenario: str | None = None, base_year: int | None = None,
               horizon: int | None = None, draws: int | None = None, seed: int | None = None,
               params_file: str | Path | None = None,
               overrides: dict | None = None,
               rebase_population: int | None = None) -> pd.DataFrame:
    """``area_forecast`` set against enrolment it never saw — ``outturns`` (a file in the
    same schema; other rows ignored) and the area file's own enrolment after ``base_year`` —
    one row per outturn (``projection.area_check.CHECK_COLUMNS``: p05/p50/p95, error %,
    inside), leads counted from each level's last observation, as
    ``qyedu forecast --outturns`` prints it.

    >>> import qyedu
    >>> from qyedu import paths
    >>> panel = paths.data_raw() / "validation"
    >>> c = qyedu.area_check(panel / "provinces.csv", panel / "provinces_2020_2023.csv",
    ...                      "陕西省", base_year=2019, horizon=2023, draws=200)
    >>> c[["level", "year", "lead"]].values.tolist()[:2]
    [['junior_secondary', 2020, 1], ['junior_secondary', 2021, 2]]
    >>> qyedu.area_check(panel / "provinces.csv", area="广州市")
    Traceback (most recent call last):
    ...
    qyedu.errors.InputError: ...provinces.csv: area '广州市' not in the file; areas: ...
    """
    from .observed.area import read_outturns, row_sources
    from .projection.area_check import outturn_check

    table, data, rp = _area_run(area_data, area, skip_unknown, params_file, overrides,
                                dict(scenario=scenario, base_year=base_year, horizon=horizon,
                                     draws=draws, seed=seed), rebase_population)
    base = rp.forecast.base_year
    own = data.enrolment[data.enrolment["year"] > base]
    parts = [own.assign(source=row_sources(own, data.path))]
    if outturns is not None:
        later, _ = read_outturns(outturns, data.area)
        parts.insert(0, later.assign(source=row_sources(later, outturns)))
    return outturn_check(table, pd.concat(parts, ignore_index=True), data.last_observed(base))


def register_check(*outturns: str | Path, register: str | Path | None = None) -> pd.DataFrame:
    """Later enrolment outturns (files in the area-table schema, any areas) set beside the
    pre-registered forecasts (``register``: default the newest in ``params/register/``), one
    row per outturn of a registered area, level and year (``validation.register
    .CHECK_COLUMNS``: p05/p50/p95, error %, inside, and ``seen``: whether the project already
    held the outturn when the register was written), as ``qyedu register --check`` prints it.

    >>> import qyedu
    >>> from qyedu import paths
    >>> panel = paths.data_raw() / "validation"
    >>> c = qyedu.register_check(panel / "provinces_2020_2023.csv", panel / "china.csv")
    >>> len(c), int(c["inside"].sum()), bool(c["seen"].all())
    (51, 45, True)
    """
    from .validation.register import check_register, latest_register, read_register

    return check_register(read_register(register or latest_register()), outturns)


def params(section: str | None = None, *, params_file: str | Path | None = None,
           overrides: dict | None = None, **forecast: Any) -> pd.DataFrame:
    """Every parameter: name, ``value`` (of this parameter set), default, unit, range, source,
    description — with the scenarios defined in the births-paths file and the base years the
    data support (what ``qyedu params`` prints).

    >>> import qyedu
    >>> p = qyedu.params("forecast", draws=300).set_index("name")
    >>> int(p.loc["forecast.draws", "value"]), int(p.loc["forecast.draws", "default"])
    (300, 2000)
    >>> p.loc["forecast.scenario", "range"]
    'low | medium | high'
    """
    from . import params as _params

    rp = _params.load(params_file or None, overrides,
                      **{k: v for k, v in forecast.items() if v not in ("", None)})
    table = supported(_params.describe(_params.RunParams), rp)
    values = rp.model_dump(mode="json")

    def value(name: str):
        sec, key = name.split(".", 1)
        return values[sec][key]

    table.insert(1, "value", table["name"].map(value))
    if section:
        keep = table["name"].str.startswith(section + ".")
        if not keep.any():
            raise _params.ParamError(f"no parameter section {section!r}; sections: "
                                     + ", ".join(_params.SECTIONS))
        table = table[keep].reset_index(drop=True)
    return table


def supported(table: pd.DataFrame, rp=None) -> pd.DataFrame:
    """The parameter table with the ranges the data and files actually allow: the scenarios
    defined in the births-paths file (of ``rp``, else the default one), the base years of the
    Qingyuan inputs, the reporting units."""
    from . import coverage
    from . import params as _params

    out = table.copy()
    names = _params.scenarios(rp.births.paths_file if rp is not None else None)
    first, last = coverage.base_years()
    ranges = {"forecast.scenario": " | ".join(names),
              "forecast.base_year": f"{first}–{last} (years the Qingyuan inputs support)",
              "forecast.county": " | ".join(coverage.counties())}
    for name, rng in ranges.items():
        out.loc[out["name"] == name, "range"] = rng
    return out
