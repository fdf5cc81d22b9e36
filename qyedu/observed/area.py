"""Area data: births and enrolment of any area as one long table, validated.

Format (the schema of data/raw/validation/provinces.csv; docs/PROJECTION.md): one row per
figure, columns ``area, year, indicator, level, value, unit`` and a provenance column
``source`` (or ``source_url``); other columns are kept but not used.

- ``indicator``: ``births``, ``birth_rate``, ``population_yearend`` (level ``all``);
  ``enrolment``, ``intake`` (a school level); also accepted and read: ``enrolment_per_100k``
  (preschool children per 100,000 residents, as NBS publishes it), and carried but unused:
  ``graduates``, ``teachers``.
- ``level``: the level names of the projection's outputs, ``preschool, primary,
  junior_secondary, senior_general, senior_vocational`` (``all`` for the population
  indicators); the short names of data/raw/validation/provinces.csv, ``junior`` and
  ``vocational``, are accepted as aliases of ``junior_secondary`` and ``senior_vocational``.
- Chinese names are accepted as exact aliases (``INDICATOR_ALIASES``, ``LEVEL_ALIASES``):
  出生人口, 出生率, 年末常住人口, 在校生(数), 招生(数), 毕业生(数), 专任教师; 幼儿园/学前(教育),
  小学, 初中, 普通高中, 中职/中等职业教育; unit 人 = persons.
- ``unit``: ``persons`` or ``万人`` for counts, ``per_mille`` (‰) for the birth rate,
  ``per_100k`` for ``enrolment_per_100k``.
- ``year``: calendar year; enrolment of year Y is the school year starting in autumn Y.

Births not published are derived as birth rate (‰) × mean of the year-end populations of
Y−1 and Y / 1000 (the year-end population of Y alone when Y−1 is missing). Bad input — an
empty, unreadable or non-UTF-8 file, a line with more fields than the header, an unknown
indicator, level or unit, a duplicate (area, year, indicator, level), a negative, missing or
infinite value, a blank area, a year-end population of 0, a rate above its definition (‰ >
1,000), an area without births, a ``--rebase-population`` year no area's populations span —
raises ``InputError`` naming the file and line (or the option).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError

AREA_LEVELS = ("preschool", "primary", "junior", "senior_general", "vocational")
# area-table level → projection level (qyedu.labels.LEVELS)
MODEL_LEVEL = {"preschool": "preschool", "primary": "primary", "junior": "junior_secondary",
               "senior_general": "senior_general", "vocational": "senior_vocational"}
# the output names (qyedu.labels.LEVELS) are accepted in area files too, so inputs and outputs
# can use the same names; the short area-table names stay as documented aliases
LEVEL_ALIASES = {model: area for area, model in MODEL_LEVEL.items() if model != area}
# the Chinese names a bureau's own statistics use (exact cells, not substrings)
LEVEL_ALIASES |= {"幼儿园": "preschool", "学前教育": "preschool", "学前": "preschool",
                  "小学": "primary", "初中": "junior", "普通高中": "senior_general",
                  "中职": "vocational", "中等职业教育": "vocational"}
INDICATOR_ALIASES = {"出生人口": "births", "出生率": "birth_rate",
                     "年末常住人口": "population_yearend", "在校生": "enrolment",
                     "在校生数": "enrolment", "招生": "intake", "招生数": "intake",
                     "毕业生": "graduates", "毕业生数": "graduates", "专任教师": "teachers"}
POPULATION_INDICATORS = ("births", "birth_rate", "population_yearend")
SCHOOL_INDICATORS = ("enrolment", "intake", "enrolment_per_100k", "graduates", "teachers")
UNITS = {"births": {"persons": 1.0, "人": 1.0, "万人": 1e4},
         "population_yearend": {"persons": 1.0, "人": 1.0, "万人": 1e4},
         "birth_rate": {"per_mille": 1.0, "‰": 1.0},
         "enrolment_per_100k": {"per_100k": 1.0}}
COUNT_UNITS = {"persons": 1.0, "人": 1.0, "万人": 1e4}
REQUIRED = ("area", "year", "indicator", "level", "value", "unit")
# by definition: a rate per 1,000 (per 100,000) residents is at most 1,000 (100,000)
RATE_LIMITS = {"per_mille": 1000, "‰": 1000, "per_100k": 100_000}


def _fail(msg: str, path, line: int | None = None):
    raise InputError(msg, path, line)


def validate_area_frame(df: pd.DataFrame, path) -> pd.DataFrame:
    """Validated rows (value converted to persons / ‰ / per 100k) with ``source_line``
    (the file's line number, header = line 1); raises InputError naming file and line."""
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        _fail(f"missing column(s) {', '.join(missing)}; expected {', '.join(REQUIRED)} "
              "and source", path, 1)
    if "source" not in df.columns and "source_url" not in df.columns:
        _fail("missing provenance column 'source' (or 'source_url')", path, 1)
    df = df.copy()
    if "source_line" not in df.columns:
        df["source_line"] = np.arange(len(df)) + 2
    if df.empty:
        _fail("no data rows", path, 1)
    for r in df.itertuples(index=False):
        line = int(r.source_line)
        if str(r.area).strip() in ("", "nan"):
            _fail("area is empty", path, line)
        ind, lv = str(r.indicator).strip(), str(r.level).strip()
        ind, lv = INDICATOR_ALIASES.get(ind, ind), LEVEL_ALIASES.get(lv, lv)
        if ind in POPULATION_INDICATORS:
            if lv not in ("all", "", "nan"):
                _fail(f"indicator {ind!r} takes level 'all', not {lv!r}", path, line)
        elif ind in SCHOOL_INDICATORS:
            if lv not in AREA_LEVELS:
                _fail(f"unknown level {lv!r}; expected one of "
                      f"{', '.join(MODEL_LEVEL.values())} (or {', '.join(LEVEL_ALIASES.values())})",
                      path, line)
        else:
            _fail(f"unknown indicator {ind!r}; expected one of "
                  f"{', '.join(POPULATION_INDICATORS + SCHOOL_INDICATORS)}", path, line)
        units = UNITS.get(ind, COUNT_UNITS)
        if str(r.unit).strip() not in units:
            _fail(f"unit {r.unit!r} not allowed for {ind!r}; expected one of "
                  f"{', '.join(units)}", path, line)
        try:
            year = int(str(r.year).strip())
        except ValueError:
            _fail(f"year {r.year!r} is not a calendar year", path, line)
        if not 1900 <= year <= 2100:
            _fail(f"year {year} out of range 1900–2100", path, line)
        try:
            v = float(r.value)
        except (TypeError, ValueError):
            _fail(f"value {r.value!r} is not a number", path, line)
        if not np.isfinite(v):
            _fail(f"value {r.value!r} is missing or not a number", path, line)
        if v < 0:
            _fail(f"negative value {v:g}", path, line)
        if v == 0 and ind == "population_yearend":
            _fail("year-end population 0: a population must be > 0", path, line)
        if (limit := RATE_LIMITS.get(str(r.unit).strip())) and v > limit:
            _fail(f"{ind} {v:g} {str(r.unit).strip()} is more than {limit:,} (a rate per "
                  f"{limit:,} residents cannot be; a percentage, or a count?)", path, line)
    df["indicator"] = df["indicator"].astype(str).str.strip().replace(INDICATOR_ALIASES)
    df["level"] = (df["level"].astype(str).str.strip().replace({"": "all", "nan": "all"})
                   .replace(LEVEL_ALIASES))
    df["area"] = df["area"].astype(str).str.strip()
    df["year"] = df["year"].astype(str).str.strip().astype(int)
    scale = [UNITS.get(i, COUNT_UNITS)[str(u).strip()] for i, u in zip(df["indicator"], df["unit"],
                                                                      strict=True)]
    df["value"] = df["value"].astype(float) * np.asarray(scale)
    key = ["area", "year", "indicator", "level"]
    dup = df[df.duplicated(key, keep=False)]
    if len(dup):
        first = dup.sort_values("source_line").iloc[0]
        same = dup[(dup[key] == first[key]).all(axis=1)]["source_line"].tolist()
        _fail(f"duplicate row for {first['area']} {first['year']} {first['indicator']} "
              f"{first['level']} (lines {', '.join(map(str, same))})", path, int(same[-1]))
    return df.reset_index(drop=True)


def _read_text(path, what: str) -> pd.DataFrame:
    """A CSV (UTF-8) as text cells; InputError naming the file (and line) if missing, empty,
    unreadable or not UTF-8 CSV (``observed.raw.read_text_csv``). Column names are stripped
    as cells are (``area, year, …`` as a spreadsheet may save it)."""
    from .raw import read_text_csv

    df = read_text_csv(Path(path), f"{what} file", REQUIRED + ("source",))
    return df.rename(columns=lambda c: str(c).strip())


def _known_rows(df: pd.DataFrame) -> pd.Series:
    """Rows of an indicator and level the area table reads (aliases included)."""
    ind = df["indicator"].astype(str).str.strip().replace(INDICATOR_ALIASES)
    lv = df["level"].astype(str).str.strip().replace(LEVEL_ALIASES)
    return (ind.isin(POPULATION_INDICATORS) & lv.isin(("all", "", "nan"))) | \
        (ind.isin(SCHOOL_INDICATORS) & lv.isin(AREA_LEVELS))


def read_area_table(path, skip_unknown: bool = False) -> pd.DataFrame:
    """Read and validate an area table (CSV, UTF-8). A ``preferred`` column (the validation
    folder's files, which keep every source found for a figure) keeps only its rows with
    ``preferred = 1``; ``skip_unknown`` skips rows of an indicator or level the table does not
    read instead of refusing them. What was left out is in ``attrs["skipped"]`` ({what: rows})."""
    path = Path(path)
    df = _read_text(path, "area data")
    df = df.assign(source_line=np.arange(len(df)) + 2)
    skipped: dict[str, int] = {}
    if "preferred" in df.columns:
        alt = df["preferred"].astype(str).str.strip() != "1"
        if alt.any():
            skipped["other sources of a figure (preferred is not 1)"] = int(alt.sum())
            df = df[~alt]
    if skip_unknown and {"indicator", "level"} <= set(df.columns):
        known = _known_rows(df)
        what = (df.loc[~known, "indicator"].str.strip() + " " + df.loc[~known, "level"].str.strip())
        skipped |= {str(k): int(v) for k, v in what.value_counts().sort_index().items()}
        df = df[known]
    if "value" in df.columns:
        text = df["value"].astype(str).str.strip()
        df = df.assign(value=pd.to_numeric(text.where(text != ""), errors="coerce"))
        bad = np.flatnonzero(~np.isfinite(df["value"].to_numpy(dtype=float)))
        if len(bad):
            _fail(f"value {text.iloc[bad[0]]!r} is missing or not a number", path,
                  int(df["source_line"].iloc[bad[0]]))
    out = validate_area_frame(df, path)
    out.attrs["skipped"] = skipped
    return out


def read_area_tables(paths, skip_unknown: bool = False,
                     rebase: int | None = None) -> pd.DataFrame:
    """Several area tables read as one (``read_area_table`` each; one path is fine): every
    row keeps its ``source_file`` (the file's name), and a figure given in two files is an
    error naming both. ``rebase``: put population counts before that year on its base
    (``rebase_populations``). ``attrs``: ``skipped`` ({file name: {what: rows}}), ``rebased``
    ({area: ratio}), ``dropped`` (areas whose earlier rows could not be rebased), ``path``
    (the files' names, for messages)."""
    paths = area_paths(paths)
    if rebase is not None:
        rebase_year_problem(rebase)
    parts, skipped = [], {}
    for path in paths:
        t = read_area_table(path, skip_unknown)
        if t.attrs.get("skipped"):
            skipped[path.name] = t.attrs["skipped"]
        parts.append(t.assign(source_file=path.name))
    df = pd.concat(parts, ignore_index=True)
    key = ["area", "year", "indicator", "level"]
    dup = df[df.duplicated(key, keep=False)]
    if len(dup):
        first = dup.iloc[0]
        same = dup[(dup[key] == first[key]).all(axis=1)]
        where = [f"{r.source_file} line {r.source_line}" for r in same.itertuples()]
        by_name = {p.name: p for p in paths}
        _fail(f"{first['area']} {first['year']} {first['indicator']} {first['level']} is given "
              f"twice: {' and '.join(where)}", by_name[same["source_file"].iloc[-1]],
              int(same["source_line"].iloc[-1]))
    joins = population_joins(df)
    rebased, dropped = {}, []
    if rebase is not None:
        pop = df.loc[df["indicator"] == "population_yearend", "year"]
        df, k, dropped = rebase_populations(df, rebase)
        rebased = {str(a): float(v) for a, v in k.items()}
        if not rebased:  # no area has both year-ends: a year outside the files' populations
            span = f"{pop.min()}–{pop.max()}" if len(pop) else "none"
            _fail(f"--rebase-population {rebase} (rebase_population=): no area has year-end "
                  f"populations for both {rebase - 1} and {rebase} (population years: {span})",
                  " + ".join(str(p) for p in paths))
    df.attrs.update(skipped=skipped, rebased=rebased, dropped=dropped, joins=joins,
                    path=" + ".join(str(p) for p in paths))
    return df


def area_paths(paths) -> list[Path]:
    """``area_data`` as a list of paths: one path or several (each once); anything else
    (nothing, a DataFrame, a number) is an InputError saying what is expected."""
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    items = [] if isinstance(paths, (pd.DataFrame, pd.Series, bytes)) else paths
    try:
        items = list(items)
    except TypeError:
        items = []
    if not items or not all(isinstance(p, (str, os.PathLike)) for p in items):
        hint = (" (write the table with .to_csv first)" if isinstance(paths, pd.DataFrame)
                else " (empty)" if isinstance(paths, (list, tuple)) and not items else "")
        raise InputError("area_data (--area-data): expected a CSV file path or a list of "
                         f"them, got {type(paths).__name__}{hint}")
    out, seen = [Path(p) for p in items], {}
    for p in out:
        if p.resolve() in seen:
            _fail(f"given twice in --area-data (area_data=), as {seen[p.resolve()]} and {p}", p)
        seen[p.resolve()] = p
    return out


def rebase_year_problem(year) -> None:
    """``--rebase-population``: a calendar year 1900–2100 (InputError naming it otherwise)."""
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)) \
            or not 1900 <= year <= 2100:
        raise InputError(f"--rebase-population (rebase_population=) must be a calendar year "
                         f"1900–2100, got {year!r}")


def population_joins(df: pd.DataFrame) -> dict[str, tuple[int, str, str]]:
    """{area: (year, earlier file, later file)} where an area's year-end populations switch
    from one file to another between ``year − 1`` and ``year``: two sources that may be on
    different bases (a census year), which ``rebase_populations`` can reconcile."""
    if "source_file" not in df.columns:
        return {}
    pop = df[df["indicator"] == "population_yearend"].sort_values(["area", "year"])
    out = {}
    for area, g in pop.groupby("area", sort=True):
        y, f = g["year"].to_numpy(), g["source_file"].to_numpy()
        for i in range(1, len(g)):
            if f[i] != f[i - 1] and y[i] == y[i - 1] + 1:
                out[str(area)] = (int(y[i]), str(f[i - 1]), str(f[i]))
                break
    return out


def row_sources(rows: pd.DataFrame, path) -> list[str]:
    """``"file line n"`` for rows of an area table: their ``source_file`` (several files read
    as one), else the name of ``path``."""
    files = rows["source_file"] if "source_file" in rows.columns else [Path(path).name] * len(rows)
    return [f"{f} line {n}" for f, n in zip(files, rows["source_line"], strict=True)]


def rebase_populations(df: pd.DataFrame, year: int) -> tuple[pd.DataFrame, pd.Series, list]:
    """Population counts before ``year`` put on the base of ``year`` (a census): per area, the
    year-end populations and published birth counts of earlier years × pop(year) / pop(year−1),
    reading the whole step between the two year-ends as a change of base (the one-year growth
    is the error this accepts); birth rates are kept as published. An area without both
    year-end populations loses its rows before ``year``, which cannot be put on the new base.
    The validation panel's ``scaled`` treatment of the 1999→2000 break
    (``qyedu.validation.panel``). Returns (rows, ratio by area, areas whose rows were dropped)."""
    pop = df[df["indicator"] == "population_yearend"]

    def at(y):
        return pop[pop["year"] == y].set_index("area")["value"]

    k = (at(year) / at(year - 1)).replace([np.inf, -np.inf], np.nan).dropna()
    k = k[k > 0].rename("ratio")  # a zero population cannot carry a base
    early = df["year"] < year
    dropped = sorted(set(df.loc[early, "area"]) - set(k.index))
    out = df[~(early & ~df["area"].isin(k.index))].copy()
    counts = (out["year"] < year) & out["indicator"].isin(("births", "population_yearend"))
    if counts.any():
        out.loc[counts, "value"] = out.loc[counts, "value"] * out.loc[counts, "area"].map(k)
    return out.reset_index(drop=True), k, dropped


@dataclass(frozen=True)
class AreaData:
    """One area's inputs: ``births`` (calendar year → persons, with ``births_how``),
    ``enrolment`` (year, level [projection level], value, source_line) and ``intake``."""

    area: str
    births: pd.Series
    births_how: pd.Series
    enrolment: pd.DataFrame
    intake: pd.DataFrame
    path: str = ""

    def last_observed(self, base_year: int) -> dict[str, int]:
        """{level: its latest enrolment year ≤ ``base_year``}: where its forecast starts."""
        seen = self.as_of(base_year).enrolment
        return {lv: int(y) for lv, y in seen.groupby("level")["year"].max().items()}

    def as_of(self, base_year: int) -> AreaData:
        """The vintage: every observation after ``base_year`` dropped."""
        return AreaData(self.area, self.births[self.births.index <= base_year],
                        self.births_how[self.births_how.index <= base_year],
                        self.enrolment[self.enrolment["year"] <= base_year],
                        self.intake[self.intake["year"] <= base_year], self.path)


def _series(g: pd.DataFrame, indicator: str) -> pd.Series:
    s = g[g["indicator"] == indicator].set_index("year")["value"].sort_index()
    return s.astype(float)


def area_births(g: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Births (persons) by year: published counts, else rate × mean year-end population."""
    births = _series(g, "births")
    rate, pop = _series(g, "birth_rate"), _series(g, "population_yearend")
    prev = pop.reindex(pop.index - 1).set_axis(pop.index)
    mean_pop = ((pop + prev) / 2).fillna(pop)
    derived = (rate / 1000 * mean_pop.reindex(rate.index)).dropna()
    how = pd.Series("published count", index=births.index, dtype=object)
    extra = derived[~derived.index.isin(births.index)]
    one_pop = extra.index[~extra.index.isin(prev.dropna().index)]
    how = pd.concat([how, pd.Series("birth rate x mean year-end population", index=extra.index,
                                    dtype=object)])
    how.loc[one_pop] = "birth rate x year-end population (Y-1 missing)"
    return pd.concat([births, extra]).sort_index(), how.sort_index()


def pick_area(df: pd.DataFrame, area: str | None, path="") -> str:
    """``area``, or the table's only area (InputError naming the file when it has several)."""
    if area:
        return area
    areas = list(dict.fromkeys(df["area"]))
    if len(areas) != 1:
        _fail(f"several areas in the file; choose one with --area NAME (area= in Python): "
              f"{', '.join(areas[:20])}", path)
    return areas[0]


def area_inputs(df: pd.DataFrame, area: str, path="") -> AreaData:
    """The projection inputs of ``area`` from a validated area table."""
    if area not in set(df["area"]):
        names = sorted(set(df["area"]))
        _fail(f"area {area!r} not in the file; areas: {', '.join(names[:40])}", path)
    g = df[df["area"] == area]
    births, how = area_births(g)
    if births.empty:
        _fail(f"area {area!r} has no births (nor birth_rate with population_yearend)", path,
              int(g["source_line"].min()))
    cols = ["year", "level", "value", "source_line"] + \
        (["source_file"] if "source_file" in g.columns else [])
    enr = g[g["indicator"] == "enrolment"][cols]
    pre = g[(g["indicator"] == "enrolment_per_100k") & (g["level"] == "preschool")]
    pop = _series(g, "population_yearend")
    if len(pre):
        have = set(enr.loc[enr["level"] == "preschool", "year"])
        pre = pre[~pre["year"].isin(have) & pre["year"].isin(pop.index)]
        pre = pre.assign(value=pre["value"].to_numpy() * pop.reindex(pre["year"]).to_numpy() / 1e5)
        enr = pd.concat([enr, pre[cols]])
    enr = enr.assign(level=enr["level"].map(MODEL_LEVEL)).sort_values(["level", "year"])
    intake = g[g["indicator"] == "intake"][cols]
    intake = intake.assign(level=intake["level"].map(MODEL_LEVEL))
    return AreaData(area, births, how, enr.reset_index(drop=True),
                    intake.reset_index(drop=True), str(path))


def _from_series_schema(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of Qingyuan's enrolment-series schema (``data/raw/enrollment*.csv``: school_year,
    labelled levels such as ``primary (小学)``, indicator ``enrolled``, unit ``students``) in
    the area-table schema; grade rows are left for the caller to count as not used."""
    from .names import level_code, school_year_start

    start = df["school_year"].map(school_year_start)
    code = df["level"].map(level_code)
    whole = df["grade"].astype(str).str.strip() == "" if "grade" in df.columns else \
        pd.Series(True, index=df.index)
    label = df["level"].astype(str)
    unit = df["unit"].astype(str).str.strip()
    return df.assign(
        # a malformed school year keeps its text, so the error quotes what the file says
        year=[str(sy) if y is None or pd.isna(y) else str(int(y))
              for y, sy in zip(start, df["school_year"], strict=True)],
        level=np.where(whole, code.fillna(label), label + " (grade)"),
        indicator=df["indicator"].astype(str).str.strip().replace({"enrolled": "enrolment"}),
        unit=unit.replace({"students": "persons", "children": "persons", "pupils": "persons"}))


def read_outturns(path, area: str, aliases=()) -> tuple[pd.DataFrame, dict[str, int]]:
    """Enrolment outturns of ``area`` from a long table in the area-table schema (year,
    level [projection level], value [persons], source_line), to check a forecast against,
    and {what: rows} of the rows it does not use. Unlike ``read_area_table`` it keeps only
    ``enrolment`` rows of a known level and counts the rest instead of refusing them, so a
    published outturn file with other indicators (grades, schools, a ``compulsory`` total)
    can be used as it is; the rows it keeps are validated as an area table's (file, line).
    ``aliases``: other spellings of the area's name (清远, 全市 for 清远市). A file in
    Qingyuan's enrolment-series schema (``school_year`` instead of ``year``: the bureau's
    own figures as ``data/raw/enrollment*.csv`` holds them) is read too; its grade rows are
    counted as not used."""
    path = Path(path)
    df = _read_text(path, "outturn")
    if "school_year" in df.columns and "year" not in df.columns:
        df = _from_series_schema(df)
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        _fail(f"missing column(s) {', '.join(missing)}; expected {', '.join(REQUIRED)}", path, 1)
    df = df.assign(source_line=np.arange(len(df)) + 2)
    df = df[df["area"].str.strip().isin((area, *aliases))]
    if df.empty:
        _fail(f"no rows for area {area!r}", path)
    if "preferred" in df.columns:  # other sources of a figure: as read_area_table
        df = df[df["preferred"].astype(str).str.strip() == "1"]
    use = _known_rows(df) & (df["indicator"].str.strip().replace(INDICATOR_ALIASES) == "enrolment")
    ignored = (df.loc[~use, "indicator"].str.strip() + " " + df.loc[~use, "level"].str.strip())
    kept = df[use].copy()
    if kept.empty:
        return pd.DataFrame(columns=["year", "level", "value", "source_line"]), \
            ignored.value_counts().sort_index().to_dict()
    text = kept["value"].astype(str).str.strip()
    kept["value"] = pd.to_numeric(text.where(text != ""), errors="coerce")
    bad = kept[~np.isfinite(kept["value"].to_numpy(dtype=float))]
    if len(bad):
        _fail(f"value {text.loc[bad.index[0]]!r} is missing or not a number", path,
              int(bad["source_line"].iloc[0]))
    if "source" not in kept.columns and "source_url" not in kept.columns:
        kept["source"] = ""
    kept = validate_area_frame(kept, path)
    out = kept.assign(level=kept["level"].map(MODEL_LEVEL))[["year", "level", "value",
                                                           "source_line"]]
    return out.sort_values(["level", "year"]).reset_index(drop=True), \
        ignored.value_counts().sort_index().to_dict()


def outturn_areas(path) -> list[str]:
    """The area names of an outturn file (stripped, in file order), read as ``read_outturns``
    reads it: which areas a file can be checked for before asking for each one's rows."""
    path = Path(path)
    df = _read_text(path, "outturn")
    need = [c for c in REQUIRED if c != "year"] + \
        ([] if "school_year" in df.columns else ["year"])  # Qingyuan's series schema
    missing = [c for c in need if c not in df.columns]
    if missing:
        _fail(f"missing column(s) {', '.join(missing)}; expected {', '.join(REQUIRED)}", path, 1)
    return list(dict.fromkeys(df["area"].astype(str).str.strip()))
