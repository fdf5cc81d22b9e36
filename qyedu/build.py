"""Regenerate every table in data/processed from data/raw and the parameters.

All tables are computed first and checked (qyedu.checks); only then are they written into a
staging folder and published as one new generation (qyedu.generations), under the project
lock. A failure or a crash at any step leaves the previous tables live, all of them.
The default parameters publish to data/processed/; any other parameters to
data/processed/scenarios/<slug>/ so runs never overwrite each other.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from . import paths
from .errors import BusyError, QyeduError
from .faults import fault_point
from .io import write_csv_atomic, write_json_atomic
from .params import RunParams
from .projection import store

DRAWS = "draws"  # folder of the saved ProjectionResult inside a build


def output_dir(rp: RunParams, default: RunParams | None = None) -> Path:
    """data/processed for the default parameters, else data/processed/scenarios/<slug>."""
    from . import params

    default = default or params.load()
    if rp == default:
        return paths.data_processed()
    return paths.data_processed() / "scenarios" / rp.slug()


def compute_tables(
    rp: RunParams, plan_path: Path | None = None, progress: Callable[[str], None] = print,
    workbench=None,
) -> dict[str, pd.DataFrame]:
    """Compute every processed table in memory (nothing is written), then check them."""
    from . import checks
    from .workbench import Workbench

    wb = workbench or Workbench(rp, plan_path=plan_path)
    labels = {
        "plan_tables": "plan registry and audit",
        "forecast_tables": f"enrolment projection ({rp.forecast.draws} draws, {rp.forecast.scenario})",
        "scenario_tables": "the births scenarios side by side",
        "backtest_tables": "back-test on real outturns",
        "accuracy_tables": "accuracy on the validation panel (committed calibration)",
        "places_tables": "school places",
        "choice_tables": "verdicts under the structural choices (no drift / panel / China)",
        "teacher_tables": "teacher demand",
        "cost_tables": "capital and salary costs",
        "scorecard_tables": "target scorecard",
        "nextplan_tables": "evidence for the 15th plan (2026-2030)",
    }
    tables: dict[str, pd.DataFrame] = {}
    for stage in Workbench.STAGES:
        t0 = time.perf_counter()
        progress(f"[build] {labels[stage]} …")
        new = getattr(wb, stage)
        tables.update(new)
        progress(f"[build] {labels[stage]}: {', '.join(new)} ({time.perf_counter() - t0:.1f} s)")
    checks.check_tables(tables)
    return tables


def _compute(rp: RunParams, plan_path, progress):
    """The checked tables, the build record (``run_params.json``) and the projection result
    (its draws are saved with the tables) of one parameter set."""
    from .workbench import Workbench

    wb = Workbench(rp, plan_path=plan_path)
    tables = compute_tables(rp, plan_path=plan_path, progress=progress, workbench=wb)
    return tables, wb.record(draws=DRAWS), wb.result


def write_tables(tables: dict[str, pd.DataFrame], out: Path, record: dict | None = None,
                 result=None) -> dict[str, Path]:
    """Write every table into ``out`` (each atomically; fault point ``build`` after each),
    then the projection's draws (``result``, so the refresh's notebooks show them instead of
    re-running it) and the build record ``run_params.json`` if given."""
    from .workbench import RECORD

    written = {}
    for name, df in sorted(tables.items()):
        written[name] = write_csv_atomic(df, out / name)
        fault_point("build")
    if result is not None:
        store.save(result, out / DRAWS)
        fault_point("build")
    if record is not None:
        written[RECORD] = write_json_atomic(record, out / RECORD)
    return written


def build_processed(
    rp: RunParams | None = None,
    out_dir: Path | None = None,
    plan_path: Path | None = None,
    progress: Callable[[str], None] = print,
) -> dict[str, Path]:
    """Compute and check all processed tables, then write them into ``out_dir`` (a staging
    folder: the refresh uses this). Without ``out_dir`` they are published like a refresh
    (:func:`publish_build`). Returns name → written path."""
    from . import params

    rp = rp or params.load()
    if out_dir is None:
        return publish_build(rp, plan_path=plan_path, progress=progress)
    tables, record, result = _compute(rp, plan_path, progress)
    written = write_tables(tables, Path(out_dir), record, result)
    progress(f"[build] wrote {len(written)} tables to {out_dir}")
    return written


def build_to_folder(rp: RunParams, out: Path, plan_path: Path | None = None,
                    progress: Callable[[str], None] = print) -> dict[str, Path]:
    """``qyedu build --out DIR``: DIR must not exist; the tables are written to a sibling
    temporary folder that is renamed to DIR when complete (nothing else is touched)."""
    out = Path(out)
    if out.exists() or out.is_symlink():
        raise QyeduError(f"--out {out}: already exists; give a new folder")
    tables, record, result = _compute(rp, plan_path, progress)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        tables = write_tables(tables, tmp, record, result)
        os.chmod(tmp, 0o777 & ~_umask())
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    progress(f"[build] wrote {len(tables)} tables to {out}")
    return {name: out / name for name in sorted(tables)}


def publish_build(rp: RunParams, plan_path: Path | None = None,
                  progress: Callable[[str], None] = print, wait: float = 0) -> dict[str, Path]:
    """``qyedu build``: under the project lock, compute and check every table, stage them and
    publish them as a new generation of the run's published set (data/processed/ for the
    default parameters, else data/processed/scenarios/<slug>/); the pages and figures of
    the live generation are carried over. A crash at any point leaves the previous tables
    live; read-only or full targets fail before anything is computed. A plan text other
    than data/raw's is refused (the pages and the manifest describe data/raw): build it with
    :func:`build_to_folder` (``--out``)."""
    check_publishable_plan(plan_path)
    return _publish(rp, lambda: _compute(rp, plan_path, progress), replace_all=True,
                    progress=progress, wait=wait)


def check_publishable_plan(plan_path: Path | None) -> None:
    """A publishing run reads its inputs from data/raw only: a ``--plan`` that is not the
    plan file of data/raw is refused (QyeduError), so published tables never mix with pages
    and a manifest that describe another plan."""
    if plan_path is None:
        return
    given = Path(plan_path)
    if given.exists() and paths.plan_file().exists() and given.resolve() == \
            paths.plan_file().resolve():
        return
    raise QyeduError(f"--plan {plan_path}: a publishing run reads the plan from data/raw only "
                     f"(the pages and manifest.json describe data/raw); to use another plan "
                     f"text, write the tables elsewhere with --out DIR (never published)")


def publish_tables(rp: RunParams | None, tables: dict[str, pd.DataFrame],
                   progress: Callable[[str], None] = print, wait: float = 0) -> dict[str, Path]:
    """Publish some tables (e.g. ``qyedu places`` without ``--out``) into the run's published
    set as a new generation: the other tables, pages and figures are carried over.
    ``rp=None``: tables that do not depend on the parameters (``qyedu plan``): the default set."""
    return _publish(rp, lambda: (tables, None, None), replace_all=False, progress=progress,
                    wait=wait)


def _publish(rp, make_tables, replace_all: bool, progress, wait) -> dict[str, Path]:
    from . import generations as gens
    from . import params
    from .lock import Busy, project_lock

    default = rp is None or rp == params.load()  # None: tables without parameters (plan)
    site = gens.project_site() if default else gens.scenario_site(rp.slug())
    now = datetime.now(UTC)
    run_id = f"{now:%Y%m%dT%H%M%S}.{now.microsecond // 1000:03d}Z-{os.getpid()}-build"
    try:
        lock = project_lock(run_id, wait)
        lock.__enter__()
    except Busy as err:
        raise BusyError(f"another refresh or build is running ({err})") from None
    try:
        for line in gens.prepare(site, carries=True):  # read-only/full/foreign targets: nothing computed
            progress(f"[build] recovery: {line}")
        tables, record, result = make_tables()
        stage = paths.staging_dir() / run_id
        if paths.staging_dir().exists():
            shutil.rmtree(paths.staging_dir())
        try:
            live = site.live()
            if not replace_all and live is not None and (live / "processed").is_dir():
                gens.copy_tree(live / "processed", stage / "processed")
                for name in tables:
                    (stage / "processed" / name).unlink(missing_ok=True)  # linked: never edit
            tables = write_tables(tables, stage / "processed", record, result)
            old = _status(site)
            gen = site.publish({"processed": stage / "processed"}, run_id, "build",
                               carry=("reports", "figures"))
            stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
            gens.write_status(site, {
                "last_run": {"run_id": run_id, "kind": "build", "status": "ok",
                             "started": now.replace(microsecond=0).isoformat(),
                             "finished": stamp, "error": None,
                             "parameters": rp.slug() if rp is not None else None,
                             "tables": sorted(tables)},
                "live": {"generation": gen.name,
                         "run_id": (old.get("live") or {}).get("run_id"), "published": stamp}})
        finally:
            shutil.rmtree(paths.staging_dir(), ignore_errors=True)
    finally:
        lock.__exit__(None, None, None)
    out = site.path("processed")
    progress(f"[build] published {len(tables)} tables to {out} (generation {run_id})")
    return {name: out / name for name in sorted(tables)}


def _status(site) -> dict:
    import json

    live = site.live()
    try:
        return json.loads((live / "reports" / "status.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return {}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
