"""Pre-registered forecasts: the forecast command's output written once, before the outturns
it will be checked against are known, and never rewritten (``qyedu register``).

The back-test's held-out outturns (``provinces_2020_2023.csv``) have been seen, so a change
to the method can no longer be tested on them honestly. A register fixes today's forecasts so
that outturns the project has not seen — the other provinces' enrolment after 2019, anyone's
after 2023, Qingyuan's after its last published year — test the method as it is today:

- every province of ``provinces.csv`` and China (``china.csv``), as ``qyedu forecast
  --area-data`` gives them as of 2019 with the default parameters (``command_check``), each
  year to 2019 + the band's longest lead;
- Qingyuan's city totals from the default run, each level from the year after its last
  published enrolment to the run's horizon.

Each row says whether the project already held the outturn when the register was written
(``seen``: the held-out provinces' 2020–23 rows, China's own later enrolment): only the
unseen rows test anything. The file's header names the registration date and the commit, and
a register is never overwritten (a newer method writes a newer, dated register).
``check_register`` sets later outturns (the area-table schema, any areas) beside the register
as ``--outturns`` does (``projection.area_check``).
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from ..errors import InputError
from ..observed.area import area_inputs, outturn_areas, read_area_table, read_outturns, row_sources
from ..projection.area_check import EXPECTED_INSIDE, outturn_check
from ..projection.ratio_drift import MAX_LEAD
from .command_check import ORIGIN, command_forecast, forked_map
from .panel import CHINA, validation_file

REGISTER_DIR = "params/register"
HORIZON = ORIGIN + MAX_LEAD  # the band table's longest lead: later years are extrapolated
COLUMNS = ["area", "input", "as_of", "level", "year", "lead", "p05", "p50", "p95", "seen"]
CHECK_COLUMNS = ["area", "level", "year", "lead", "outturn", "p05", "p50", "p95", "error_pct",
                 "inside", "seen", "source"]
# other spellings of the register's area names in outturn files
ALIASES = {CHINA: ("全国", "中国")}


def _enrolled(table: pd.DataFrame, area: str, as_of: dict[str, int], source: str,
              seen: set) -> pd.DataFrame:
    """COLUMNS from a tidy forecast table: enrolment after each level's ``as_of`` year."""
    t = table[(table["quantity"] == "enrolled") & table["level"].isin(as_of)]
    t = t[t["year"] > t["level"].map(as_of)]
    t = t[np.isfinite(t["p50"].to_numpy(float))]
    out = pd.DataFrame({
        "area": area, "input": source, "as_of": t["level"].map(as_of).astype(int),
        "level": t["level"], "year": t["year"].astype(int),
        "lead": (t["year"] - t["level"].map(as_of)).astype(int),
        "p05": t["p05"].round(0), "p50": t["p50"].round(0), "p95": t["p95"].round(0)})
    out["seen"] = [(lv, y) in seen for lv, y in zip(out["level"], out["year"], strict=True)]
    return out


def _area_rows(path: Path, name: str, skip_unknown: bool, seen: set) -> pd.DataFrame:
    """One area's rows as the forecast command gives them as of ``ORIGIN``; empty (with the
    reason in ``attrs``) when the command cannot project the area."""
    try:
        table, _ = command_forecast(path, name, HORIZON, skip_unknown)
    except InputError as err:
        out = pd.DataFrame(columns=COLUMNS)
        out.attrs["skipped"] = str(err)
        return out
    levels = table.loc[table["quantity"] == "enrolled", "level"].unique()
    return _enrolled(table, name, {lv: ORIGIN for lv in levels}, path.name, seen)


def _seen_by_area() -> dict[str, set]:
    """{area: {(level, year)}} of the enrolment after ``ORIGIN`` the project holds: the
    held-out provinces' rows and China's own later enrolment."""
    held = validation_file("provinces_2020_2023.csv")
    out: dict[str, set] = {}
    for name in outturn_areas(held):
        rows, _ = read_outturns(held, name)
        out[name] = set(zip(rows["level"], rows["year"].astype(int), strict=True))
    china = validation_file("china.csv")
    e = area_inputs(read_area_table(china, skip_unknown=True), CHINA, china).enrolment
    e = e[e["year"] > ORIGIN]
    out[CHINA] = set(zip(e["level"], e["year"].astype(int), strict=True))
    return out


def _qingyuan_rows() -> pd.DataFrame:
    """Qingyuan's city totals from the default run, after each level's last observation."""
    from ..labels import CITY
    from ..observed.names import CITY as NAME
    from ..params import RunParams
    from ..projection import forecast_table, run

    result = run(RunParams())
    seen = result.observed
    seen = seen[(seen["county"] == CITY) & (seen["quantity"] == "enrolled")]
    last = {lv: int(y) for lv, y in seen.groupby("level")["year"].max().items()}
    table = forecast_table(result)
    return _enrolled(table[table["county"] == CITY], NAME, last, "data/raw (default run)",
                     set())


def register_table(workers: int = 1, areas: list[str] | None = None,
                   qingyuan: bool = True, progress=None) -> pd.DataFrame:
    """COLUMNS for every province of ``provinces.csv`` (or only ``areas``), China and
    Qingyuan; ``attrs["skipped"]`` = {area: why} for the areas the command cannot project."""
    say = progress or (lambda m: None)
    provinces = validation_file("provinces.csv")
    names = [n for n in outturn_areas(provinces) if areas is None or n in areas]
    seen = _seen_by_area()
    jobs = [(provinces, n, False, seen.get(n, set())) for n in names]
    if areas is None or CHINA in areas:
        jobs.append((validation_file("china.csv"), CHINA, True, seen[CHINA]))
    say(f"{len(jobs)} areas as of {ORIGIN} to {HORIZON} with the forecast command's defaults"
        f"{f' ({workers} processes)' if workers > 1 else ''}")
    parts = forked_map(_area_rows, jobs, workers)
    skipped = {j[1]: p.attrs["skipped"] for j, p in zip(jobs, parts, strict=True)
               if "skipped" in p.attrs}
    if qingyuan:
        say("Qingyuan: the default run")
        parts.append(_qingyuan_rows())
    out = pd.concat([p for p in parts if len(p)], ignore_index=True)[COLUMNS]
    out = out.sort_values(["area", "level", "year"], kind="stable").reset_index(drop=True)
    out.attrs["skipped"] = skipped
    return out


def register_path(directory=None, day: _dt.date | None = None) -> Path:
    """``params/register/forecasts_<date>.csv`` (or in ``directory``)."""
    base = Path(directory) if directory is not None else paths.root() / REGISTER_DIR
    return base / f"forecasts_{(day or _dt.date.today()).isoformat()}.csv"


def refuse_existing(path: Path) -> None:
    """A register is written once: an existing file is an error (nothing is computed)."""
    if path.exists():
        raise InputError("a register is never rewritten; this one exists already (a newer "
                         "method gets a register of a later date; delete the file with git "
                         "only if it was never published)", path)


def write_register(table: pd.DataFrame, path: Path, commit: str) -> Path:
    """Write ``table`` with its provenance header to the new file ``path``."""
    from ..io import csv_bytes, write_bytes_atomic

    refuse_existing(path)
    unseen = int((~table["seen"]).sum())
    head = (f"# pre-registered forecasts (qyedu register --write), {path.stem.split('_')[-1]}, "
            f"commit {commit}; never rewritten\n"
            f"# provinces.csv and china.csv: `qyedu forecast --area-data` as of {ORIGIN}, "
            f"default parameters, the published ratio drift and band, to {HORIZON}; Qingyuan "
            "(清远市): the default run's city totals after each level's last published "
            "enrolment\n"
            f"# seen = the project held the outturn when this was written; {unseen} of "
            f"{len(table)} rows are unseen. Check later outturns with "
            "`qyedu register --check FILE`\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_bytes_atomic(head.encode("utf-8") + csv_bytes(table), path)


def read_register(path) -> pd.DataFrame:
    """A register file (COLUMNS, and ``registered``: the date in its name); InputError naming
    the file if it is missing or malformed."""
    path = Path(path)
    if not path.is_file():
        raise InputError("register file not found (write one with `qyedu register --write`)",
                         path)
    df = pd.read_csv(path, comment="#")
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise InputError(f"not a register: missing column(s) {', '.join(missing)}", path)
    return df[COLUMNS].assign(seen=df["seen"].astype(str).str.lower() == "true",
                              registered=path.stem.removeprefix("forecasts_"))


def published_register(directory=None) -> pd.DataFrame:
    """The newest register for the build (``forecast_register.csv``: COLUMNS + registered),
    or an empty table with those columns when none has been written."""
    try:
        return read_register(latest_register(directory))
    except InputError:
        return pd.DataFrame(columns=[*COLUMNS, "registered"])


def latest_register(directory=None) -> Path:
    """The newest ``forecasts_<date>.csv``; InputError when there is none."""
    base = Path(directory) if directory is not None else paths.root() / REGISTER_DIR
    found = sorted(base.glob("forecasts_*.csv"))
    if not found:
        raise InputError("no register yet (write one with `qyedu register --write`)", base)
    return found[-1]


def check_register(register: pd.DataFrame, files) -> pd.DataFrame:
    """CHECK_COLUMNS: every enrolment outturn in ``files`` (area-table schema; Qingyuan's
    series schema too) of a registered area, level and year, beside the register's p05 /
    p50 / p95; the first file that gives a figure wins. ``attrs["unregistered"]`` = the
    areas of the files the register does not hold."""
    from ..observed.names import AREA_ALIASES

    aliases = {**ALIASES, **{v: tuple(k for k, w in AREA_ALIASES.items() if w == v)
                             for v in set(AREA_ALIASES.values())}}
    parts, unregistered = [], []
    for f in map(Path, files):
        present = outturn_areas(f)
        for area in present:
            known = area if area in set(register["area"]) else next(
                (a for a, al in aliases.items() if area in al and a in set(register["area"])),
                None)
            if known is None and area not in unregistered:
                unregistered.append(area)
        for area, reg in register.groupby("area", sort=True):
            names = (area, *aliases.get(area, ()))
            if not any(n in present for n in names):
                continue
            later, _ = read_outturns(f, area, aliases.get(area, ()))
            if later.empty:
                continue
            later = later.assign(source=row_sources(later, f))
            as_of = reg.groupby("level")["as_of"].first().to_dict()
            later = later[later["level"].isin(as_of)]
            fc = reg.assign(quantity="enrolled")
            c = outturn_check(fc, later, as_of)
            seen = set(zip(reg.loc[reg["seen"], "level"], reg.loc[reg["seen"], "year"],
                           strict=True))
            parts.append(c.assign(area=area, seen=[(lv, y) in seen for lv, y in
                                                   zip(c["level"], c["year"], strict=True)]))
    out = (pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=CHECK_COLUMNS))
    out = out.drop_duplicates(["area", "level", "year"], keep="first")[CHECK_COLUMNS]
    out = out.sort_values(["area", "level", "year"], kind="stable").reset_index(drop=True)
    out.attrs["unregistered"] = [a for a in unregistered if a]
    return out


def _counts(part: pd.DataFrame, col: str) -> str:
    """'g k/n, …': outturns inside p05–p95 of each value of ``col``."""
    by = part.groupby(col, sort=True)["inside"].agg(["sum", "size"])
    return ", ".join(f"{g} {int(r['sum'])}/{int(r['size'])}" for g, r in by.iterrows())


def check_summary(check: pd.DataFrame) -> list[str]:
    """Inside p05–p95: the unseen outturns by level and by lead, then the seen ones."""
    if check.empty:
        return ["no outturn in these files for a registered area, level and year"]
    lines = []
    for label, part in (("unseen", check[~check["seen"]]), ("seen", check[check["seen"]])):
        if part.empty:
            lines.append(f"{label}: none")
            continue
        k, n = int(part["inside"].sum()), len(part)
        lines.append(f"{label}: {k} of {n} inside p05–p95 ({100 * k / n:.0f} %; about "
                     f"{EXPECTED_INSIDE} % expected, but one area's outturns miss together); "
                     f"median error {np.median(part['error_pct']):+.1f} %")
        lines.append(f"  by level: {_counts(part, 'level')}")
        lines.append(f"  by lead: {_counts(part, 'lead')}")
    return lines
