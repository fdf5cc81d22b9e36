"""The forecast command checked as a new user would check it (``qyedu validate`` →
``params/calibration/command_check.csv``, published by every build).

``qyedu forecast --area-data`` with the default parameters, as of 2019, on the published
files — ``provinces.csv`` for every province with an enrolment outturn in
``provinces_2020_2023.csv`` (held out of every fit), and China's own ``china.csv``
(``--skip-unknown``; its enrolment after 2019 is in the file) — and every enrolment outturn
set beside the command's p05 / p50 / p95 (``projection.area_check``). Unlike the held-out
rows of the back-test (``honest_held_out.csv``: the band-free flow banded as the harness
bands it, primary and junior), these are the command's own output: the published ratio
drift and band, the default draws and seed, every level it projects (preschool and senior
too). China's enrolment up to 2019 is in the panel, so its check is out of sample in time
only; no band was learned from China. Each row also carries the area's junior grade index as
of the origin (``projection.grade_structure``), so a miss in an area whose figures point to
four-year junior schools, which the flow does not model, can be read as such.
"""

from __future__ import annotations

import pandas as pd

from ..observed.area import area_inputs, read_area_table, read_outturns, row_sources
from ..params import RunParams
from ..projection.area_check import CHECK_COLUMNS, outturn_check
from ..projection.area_flow import area_forecast_table, project_area_flow
from ..projection.grade_structure import grade_index
from .harness import LAST_IN_SAMPLE
from .panel import CHINA, validation_file

ORIGIN = LAST_IN_SAMPLE  # the panel's last in-sample year: every later outturn is unseen
# the horizons of the README's example commands: the years the held-out outturns reach
# (provinces_2020_2023.csv; china.csv's enrolment to 2024)
HORIZON = {"provinces": 2023, "china": 2024}
# + the area's junior grade index as of the origin (``projection.grade_structure``; empty
# without junior intake): where it is above FOUR_YEAR_FLAG the command printed its note
COLUMNS = ["area", "file"] + CHECK_COLUMNS + ["grade_index"]
COMMAND_CHECK_FILE = "params/calibration/command_check.csv"  # published by every build


def command_forecast(path, name: str, horizon: int, skip_unknown: bool = False):
    """``qyedu forecast --area-data PATH --area NAME --base-year 2019 --horizon HORIZON``
    with the default parameters: (the tidy forecast table, the junior grade index as of the
    origin or NaN without junior intake)."""
    data = area_inputs(read_area_table(path, skip_unknown=skip_unknown), name, path)
    rp = RunParams.model_validate({"forecast": {"base_year": ORIGIN, "horizon": horizon}})
    result, _ = project_area_flow(data, rp)
    g = grade_index(data, ORIGIN)
    return area_forecast_table(result, name), \
        round(float(g["index"].iloc[-1]), 3) if len(g) else float("nan")


def _check(path, name: str, horizon: int, later: pd.DataFrame, skip_unknown: bool = False):
    table, gi = command_forecast(path, name, horizon, skip_unknown)
    return outturn_check(table, later, ORIGIN).assign(area=name, file=path.name, grade_index=gi)


def forked_map(fn, jobs: list[tuple], workers: int = 1) -> list:
    """``fn(*job)`` for every job, in ``workers`` forked processes when more than one (each
    forecast is seeded: the results do not depend on the split)."""
    if workers > 1 and len(jobs) > 1:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as ex:
            return list(ex.map(fn, *zip(*jobs, strict=True)))
    return [fn(*j) for j in jobs]


def _jobs() -> list[tuple]:
    """(file, area, horizon, outturns, skip_unknown) of every check."""
    held = validation_file("provinces_2020_2023.csv")
    names = pd.read_csv(held, dtype=str)["area"].str.strip()
    jobs = []
    for name in dict.fromkeys(names):
        later, _ = read_outturns(held, name)
        if len(later):
            later = later.assign(source=row_sources(later, held))
            jobs.append((validation_file("provinces.csv"), name, HORIZON["provinces"], later,
                         False))
    china = validation_file("china.csv")
    data = area_inputs(read_area_table(china, skip_unknown=True), CHINA, china)
    own = data.enrolment.assign(source=row_sources(data.enrolment, china))
    return jobs + [(china, CHINA, HORIZON["china"], own, True)]


def command_check_table(workers: int = 1) -> pd.DataFrame:
    """COLUMNS for every enrolment outturn after 2019 of the held-out provinces and China,
    against ``qyedu forecast --area-data`` as of 2019 (module docstring); the forecasts in
    ``workers`` forked processes (each is seeded: the table is the same)."""
    parts = forked_map(_check, _jobs(), workers)
    out = pd.concat(parts, ignore_index=True)[COLUMNS]
    return out.sort_values(["file", "area", "level", "year"], kind="stable").reset_index(drop=True)


def command_check_summary(table: pd.DataFrame) -> str:
    """One line: inside p05–p95 by level and in all."""
    if table.empty:
        return "no outturn checked"
    by = table.groupby("level", sort=True)["inside"].agg(["sum", "size"])
    parts = ", ".join(f"{lv} {int(r['sum'])}/{int(r['size'])}" for lv, r in by.iterrows())
    return f"{int(table['inside'].sum())} of {len(table)} inside p05–p95 ({parts})"


def write_command_check(res: dict, workers: int = 1) -> tuple[pd.DataFrame, str]:
    """Run the check on the calibration ``qyedu validate`` has just written and commit it
    (``COMMAND_CHECK_FILE``, the provenance lines of ``res``); the table and the path."""
    from .calibrate import write_with_header
    from .honest import honest_header

    table = command_check_table(workers)
    path = write_with_header(table, COMMAND_CHECK_FILE, honest_header(res) + (
        f"# qyedu forecast --area-data as a new user runs it, as of {ORIGIN}, default "
        "parameters, the published drift and band: provinces.csv against "
        "provinces_2020_2023.csv (held out of every fit), china.csv against its own later "
        "enrolment (--skip-unknown)\n"))
    return table, str(path)
