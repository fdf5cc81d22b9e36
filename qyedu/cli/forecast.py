"""``qyedu forecast``: project enrolment (births → cohorts → enrolment) and write the tidy
table ``year, level, county, scenario, quantity, mean, p05, p50, p95`` (county 全市 = city)."""

from __future__ import annotations

import time
from pathlib import Path

from .common import add_run_args, params_from_args


def register(sub) -> None:
    p = sub.add_parser(
        "forecast", help="project enrolment by year, level and county (Monte Carlo bands)")
    add_run_args(p, out_help="output CSV (default data/processed/enrollment_forecast.csv for "
                             "the default parameters, else a scenario-specific folder)")
    p.add_argument("--area-data", type=Path, default=None, nargs="+", metavar="FILE",
                   help="project another area from a long table (area, year, indicator, level, "
                        "value, unit, source; docs/PROJECTION.md) instead of Qingyuan; several "
                        "files are read as one (a figure given twice is an error)")
    p.add_argument("--rebase-population", type=int, default=None, metavar="YEAR",
                   help="with --area-data: put year-end populations and birth counts before "
                        "YEAR on YEAR's base (× pop(YEAR) / pop(YEAR-1) per area), e.g. 2000 "
                        "when joining data/raw/validation/provinces_1995_1999.csv to "
                        "provinces.csv (the back-test's treatment of the 1999→2000 census break)")
    p.add_argument("--area", default=None, help="area name in --area-data (default: the only one)")
    p.add_argument("--outturns", type=Path, default=None, metavar="FILE",
                   help="later enrolment (the --area-data long schema; other indicators and "
                        "levels are ignored) to check the forecast against: Qingyuan's (area "
                        "清远市) after each level's last observation, or with --area-data the "
                        "area's after --base-year (its file's own later enrolment too)")
    p.add_argument("--skip-unknown", action="store_true",
                   help="with --area-data: skip (and count) rows of an indicator or level the "
                        "model does not read instead of refusing the file, e.g. "
                        "data/raw/validation/china.csv's stage totals")
    p.add_argument("--strict", action="store_true",
                   help="with --area-data: a level that cannot be projected is an error (exit 2) "
                        "instead of a printed skip")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..build import publish_tables
    from ..errors import InputError
    from ..io import write_csv_atomic
    from ..projection import forecast_table
    from ..workbench import Workbench

    rp = params_from_args(args)
    fp = rp.forecast
    if args.area_data is not None:
        return run_area(args, rp)
    given = [flag for flag, v in (("--rebase-population", args.rebase_population is not None),
                                  ("--area", args.area is not None),
                                  ("--skip-unknown", args.skip_unknown),
                                  ("--strict", args.strict)) if v]
    if given:  # not silently ignored
        raise InputError(f"{', '.join(given)} appl{'ies' if len(given) == 1 else 'y'} to "
                         "--area-data files only")
    later = None if args.outturns is None else outturn_rows(args, *qingyuan_names())
    out = args.out
    t0 = time.perf_counter()
    print(f"[forecast] scenario {fp.scenario}, as of {fp.base_year}, to {fp.horizon}, "
          f"{fp.draws} draws, seed {fp.seed}, births {fp.births_method}", flush=True)
    wb = Workbench(rp, progress=lambda m: print(m, flush=True))
    result = wb.result
    table = forecast_table(result)
    if out is None:  # published as a new generation of the run's set
        out = publish_tables(rp, {"enrollment_forecast.csv": table},
                             progress=lambda m: None)["enrollment_forecast.csv"]
    else:
        write_csv_atomic(table, out)
    print(f"[forecast] wrote {len(table)} rows to {out} ({time.perf_counter() - t0:.1f} s)")
    if later is not None:  # against each level's last observation: Qingyuan's are sparse
        from ..labels import CITY

        seen = result.observed
        seen = seen[(seen["county"] == CITY) & (seen["quantity"] == "enrolled")]
        last = {lv: int(y) for lv, y in seen.groupby("level")["year"].max().items()}
        print_check(table[table["county"] == CITY], later, qingyuan_names()[0], last)
    return 0


def qingyuan_names() -> tuple[str, tuple[str, ...]]:
    """Qingyuan's name in raw files and its other spellings (清远, 全市)."""
    from ..observed.names import AREA_ALIASES, CITY

    return CITY, tuple(k for k, v in AREA_ALIASES.items() if v == CITY)


def outturn_rows(args, name: str, aliases=()):
    """``--outturns``: the enrolment rows of ``name`` (read before anything is projected, so
    a bad file writes nothing), with a ``source`` of file and line; prints what it ignores."""
    from ..observed.area import read_outturns, row_sources

    later, ignored = read_outturns(args.outturns, name, aliases)
    if ignored:
        print(f"[forecast] {name}: {args.outturns.name}: uses its enrolment rows; ignores "
              + ", ".join(f"{k} ({v})" for k, v in ignored.items()), flush=True)
    return later.assign(source=row_sources(later, args.outturns))


def print_check(table, later, name: str, base_year) -> None:
    """The forecast against outturns it never saw (``projection.area_check``); where none
    is covered because the table starts later than the outturns, how to cover them."""
    from ..projection.area_check import check_lines, outturn_check

    check = outturn_check(table, later, base_year)
    for line in check_lines(check, name, base_year):
        print(f"[forecast] {line}", flush=True)
    enrolled = table.loc[table["quantity"] == "enrolled", "year"]
    first = int(enrolled.min()) if len(enrolled) else None
    if check.empty and len(later) and first is not None and later["year"].min() < first:
        print(f"[forecast] {name}: the table starts in {first} (--base-year); give --base-year "
              f"{int(later['year'].min()) - 1} to forecast the years of the outturns",
              flush=True)


def run_area(args, rp) -> int:
    """``--area-data``: the published method on an area table (``projection.area_flow``:
    the grade flow with the published ratio drift and band, the factor projection for
    preschool and any level the flow cannot start); ``county`` = the area name."""
    from ..errors import InputError
    from ..io import write_csv_atomic
    from ..observed.area import area_inputs, pick_area, read_area_tables
    from ..projection.area_flow import area_forecast_table, project_area_flow

    t0 = time.perf_counter()
    files = args.area_data
    df = read_area_tables(files, skip_unknown=args.skip_unknown, rebase=args.rebase_population)
    for fname, skipped in df.attrs["skipped"].items():
        print(f"[forecast] {fname}: left out "
              + ", ".join(f"{k} ({v})" for k, v in skipped.items()), flush=True)
    where = files[0] if len(files) == 1 else df.attrs["path"]
    name = pick_area(df, args.area, where)
    data = area_inputs(df, name, where)
    join = df.attrs["joins"].get(name)
    if join is not None and args.rebase_population is None:
        y, early, late = join
        print(f"[forecast] {name}: year-end populations to {y - 1} come from {early}, from {y} "
              f"from {late}; if these are on different bases (a census in {y}), "
              f"--rebase-population {y} puts the earlier counts on the later base", flush=True)
    if args.rebase_population is not None:
        k = df.attrs["rebased"].get(name)
        y = args.rebase_population
        print(f"[forecast] {name}: " + (
            f"populations and birth counts before {y} × {k:.4f} (pop {y} / pop {y - 1})"
            if k is not None else f"rows before {y} left out (no year-end population for both "
                                  f"{y - 1} and {y} to rebase them)"
            if name in df.attrs["dropped"] else f"nothing before {y} to rebase"), flush=True)
    fp = rp.forecast
    later = later_enrolment(args, data, name, fp.base_year)
    print(f"[forecast] {name}: as of {fp.base_year}, to {fp.horizon}, {fp.draws} draws, "
          f"seed {fp.seed}, births path {fp.scenario}", flush=True)
    result, methods = project_area_flow(data, rp)
    projected, skipped = level_coverage(data, result)
    print(f"[forecast] {name}: projects {', '.join(projected) or 'no level'}", flush=True)
    for how in dict.fromkeys(methods.values()):
        print(f"[forecast] {name}: {how}: "
              f"{', '.join(lv for lv, m in methods.items() if m == how)}", flush=True)
    for lv, why in skipped.items():
        print(f"[forecast] {name}: skips {lv}: {why}", flush=True)
    from ..projection.grade_structure import four_year_note

    note = four_year_note(data, fp.base_year)  # the flow's six-three grades may not fit
    if note:
        print(f"[forecast] {name}: note: {note}", flush=True)
    if skipped and args.strict:
        raise InputError(f"--strict: {name} cannot project "
                         + "; ".join(f"{lv} ({why})" for lv, why in skipped.items()),
                         where)
    table = area_forecast_table(result, name)
    from ..names import safe_file_name

    # the area name comes from the file: made a safe file name, in the working folder
    out = args.out or Path(f"forecast_{safe_file_name(name)}.csv")
    write_csv_atomic(table, out)
    print(f"[forecast] wrote {len(table)} rows to {out} ({time.perf_counter() - t0:.1f} s)")
    if later is not None:  # the forecast against outturns it never saw, each level's
        print_check(table, later, name, data.last_observed(fp.base_year))  # from its last
    return 0


def later_enrolment(args, data, name: str, base_year: int):
    """The outturns after the base year to check the forecast against: ``--outturns`` (read
    before anything is projected, so a bad file writes nothing) and the area file's own later
    enrolment; None when there are none and no ``--outturns`` was given."""
    import pandas as pd

    parts = [] if args.outturns is None else [outturn_rows(args, name)]
    from ..observed.area import row_sources

    own = data.enrolment[data.enrolment["year"] > base_year]
    parts.append(own.assign(source=row_sources(own, data.path)))
    later = pd.concat(parts, ignore_index=True)
    return None if later.empty and args.outturns is None else later


def level_coverage(data, result) -> tuple[list[str], dict[str, str]]:
    """The levels an area run projects, and for each level it skips the reason: no
    enrolment observation up to the base year, or births that do not reach back to the
    oldest cohort the level needs (the first school year's or the observation's)."""
    import numpy as np

    from ..projection.flow import oldest_birth_offset

    d = data.as_of(result.base_year)
    fby = int(result.births_years[0])
    observed = set(d.enrolment["level"])
    projected, skipped = [], {}
    for i, lv in enumerate(result.levels):
        if np.isfinite(result.enrolled[:, :, i, :]).any():
            projected.append(lv)
            continue
        need = int(result.years[0]) - oldest_birth_offset(lv)
        if lv not in observed:
            skipped[lv] = f"no enrolment observation up to the base year {result.base_year}"
        elif need < fby:
            skipped[lv] = (f"needs births from {need} (its oldest cohort in "
                           f"{int(result.years[0])}); the gap-free births start in {fby}")
        else:
            first = int(d.enrolment.loc[d.enrolment["level"] == lv, "year"].max())
            skipped[lv] = (f"the births of the cohorts enrolled in {first} (its latest "
                           f"observation) are not all known; births start in {fby}")
    return projected, skipped
