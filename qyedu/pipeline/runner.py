"""``refresh``: rebuild data/processed, execute every notebook, render HTML pages, write
manifest.json, then publish reports/, figures/ and data/processed/ atomically — only if every
step succeeded. See docs/REFRESH.md."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from .. import generations as gens
from .. import paths
from ..errors import QyeduError
from ..generations import Site
from ..io import write_json_atomic
from ..lock import Busy, project_lock
from ..params import RunParams
from . import manifest as mf
from .assemble import assemble
from .errors import LockBusy, NotebookFailed, RefreshFailed
from .execute import NotebookResult, execute
from .notebooks import FORECAST_PARAMETERS, check_declared, discover, notebook_parameters
from .publish import keep_failed
from .render import write_index


@dataclass
class RefreshReport:
    """What a refresh did: per-notebook results and where the outputs were published."""

    run_id: str
    notebooks: list[NotebookResult]
    seconds: float = 0.0
    published: bool = False
    reports_dir: Path | None = None
    figures_dir: Path | None = None
    processed_dir: Path | None = None
    failed_dir: Path | None = None
    manifest: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.published and all(r.status == "ok" for r in self.notebooks)


def check_run_values(jobs, timeout, wait) -> list[str]:
    """Problems with the run options (all at once): jobs an integer ≥ 1, timeout None or a
    finite number > 0 (seconds per cell), wait a finite number (or -1 = forever)."""
    problems = []
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        problems.append(f"--jobs must be an integer of at least 1 (got {jobs!r})")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int | float)
                                or not math.isfinite(timeout) or timeout <= 0):
        problems.append(f"--timeout must be a finite number of seconds > 0, or 0 for no limit "
                        f"(got {timeout!r})")
    if isinstance(wait, bool) or not isinstance(wait, int | float) or math.isnan(wait) or (
            wait < 0 and wait != -1) or math.isinf(wait):
        problems.append(f"--wait must be a finite number of seconds ≥ 0 (got {wait!r})")
    return problems


def target_site(rp: RunParams, only) -> Site:
    """Where a run publishes: the project's reports/, figures/, data/processed/ for a full
    run with the default parameters; otherwise its own scenario folder (the slug of its
    parameters, plus the notebooks run for ``--only``)."""
    from .. import params

    slug = rp.slug()
    if only:
        slug += "-only-" + "-".join(sorted(only))
        return gens.scenario_site(re.sub(r"[^\w.-]+", "_", slug))
    if rp == params.load():
        return gens.project_site()
    return gens.scenario_site(slug)


def refresh(rp: RunParams, params_file: str | Path | None = None, only=None, jobs: int = 1,
            timeout: float | None = 600, build: bool = True, progress=print,
            wait: float = 0) -> RefreshReport:
    """Run the whole pipeline for parameters ``rp`` (loaded from ``params_file``).

    ``only``: notebook names (stem or substring) to run; ``jobs``: notebooks executed in
    parallel; ``timeout``: seconds per cell (None: no limit); ``build=False`` reuses the
    published tables; ``wait``: seconds to wait for another run's lock (0 = fail at once,
    -1 = forever). A full run with the default parameters publishes to reports/, figures/,
    data/processed/; any other run to its scenario folder (docs/REFRESH.md). Raises
    QyeduError (bad input, before anything runs), LockBusy, or RefreshFailed/NotebookFailed
    (nothing published)."""
    t0, now = time.perf_counter(), datetime.now(UTC)
    started = now.replace(microsecond=0)
    params_file = Path(params_file or paths.default_params_file()).absolute()
    from ..observed.names import county_problem

    problems = check_run_values(jobs, timeout, wait)
    if bad := county_problem(rp.forecast.county):
        problems.append(bad)
    if not params_file.is_file():
        problems.append(f"parameter file not found: {params_file}")
    if problems:
        raise QyeduError("\n  - ".join(["invalid run options:", *problems]))
    notebooks = discover(paths.notebooks_dir(), only, progress)
    declared = {nb: check_declared(nb) for nb in notebooks}
    site = target_site(rp, [nb.stem for nb in notebooks] if only else None)
    run_id = f"{now:%Y%m%dT%H%M%S}.{now.microsecond // 1000:03d}Z-{os.getpid()}"
    try:
        lock = project_lock(run_id, wait, lambda m: progress(f"[refresh] {m}"))
        lock.__enter__()
    except Busy as err:
        raise LockBusy(f"another refresh is running ({err}); use --wait to wait for it"
                       if not wait else f"another refresh is running ({err}); gave up after "
                       f"waiting {wait:g} s") from None
    try:
        # read-only, full or foreign targets: PublishError, nothing has run yet
        for line in gens.prepare(site, carries=bool(only) or not build):
            progress(f"[refresh] recovery: {line}")
        if not build and _tables_for(site, rp) is None:
            raise QyeduError(f"--no-build: no published tables for these parameters "
                             f"({site.path('processed')}); refresh with build")
        stage = _fresh_stage(run_id)
        progress(f"[refresh] run {run_id}: {len(notebooks)} notebook(s), parameters "
                 f"{mf.display_path(params_file, paths.root())} ({rp.slug()}) → "
                 f"{mf.display_path(site.path('reports'), paths.root())}/")
        run = _Run(rp, params_file, notebooks, declared, bool(only), jobs, timeout, build,
                   progress, run_id, stage, t0, started.isoformat(), site)
        try:
            return run.go()
        except RefreshFailed as err:
            _record_failure(run, err)
            raise
        except OSError as err:  # e.g. a full disk while staging: the switch never happened
            failed = RefreshFailed(f"{_os_error(err)}; nothing was published", run.report)
            _record_failure(run, failed, trace="".join(traceback.format_exception(err)))
            raise failed from None
        finally:
            shutil.rmtree(stage, ignore_errors=True)  # a leftover is removed by the next run
            if stage.parent.is_dir() and not any(stage.parent.iterdir()):
                stage.parent.rmdir()
    finally:
        lock.__exit__(None, None, None)


def _os_error(err: OSError) -> str:
    where = f" ({err.filename})" if err.filename else ""
    return f"{err.strerror or type(err).__name__}{where}"


def _tables_for(site: Site, rp: RunParams) -> Path | None:
    """The published tables a ``--no-build`` run reads: its own set's, or for a partial run
    with the default parameters (no tables of its own yet) the default set's."""
    from .. import params

    if site.live() is not None:
        return site.entries["processed"]
    project = gens.project_site()
    if project.live() is not None and rp == params.load():
        return project.entries["processed"]
    return None


def _record_failure(run, err: RefreshFailed, trace: str = "") -> None:
    """status.json of the target site says this run failed (pages stay the old ones);
    error.txt in .failed/ unless the notebook failure already wrote it."""
    if not isinstance(err, NotebookFailed):
        if not trace and err.__cause__ is not None:
            trace = "".join(traceback.format_exception(err.__cause__))
        try:
            keep_failed([], paths.failed_dir(), str(err), run.run_id, trace)
            run.report.failed_dir = paths.failed_dir()
        except OSError:
            pass
    try:
        gens.write_status(run.site, run.status("failed", str(err)))
        if run.partial:  # reviewers read reports/: a failed --only run shows there too
            project = gens.project_site()
            if project.live() is not None and project.root != run.site.root:
                live = _read_status(project.live()).get("live") or {
                    "generation": project.live().name, "run_id": None, "published": None}
                gens.write_status(project, {"last_run": run.status("failed", str(err))[
                    "last_run"], "live": live})
    except OSError:
        pass  # a read-only or full target: the error itself says so


def _fresh_stage(run_id: str) -> Path:
    """An empty staging folder; leftovers of killed runs are removed (we hold the lock)."""
    root = paths.staging_dir()
    if root.exists():
        shutil.rmtree(root)
    stage = root / run_id
    stage.mkdir(parents=True)
    return stage


@dataclass
class _Run:
    rp: RunParams
    params_file: Path
    notebooks: list[Path]
    declared: dict[Path, set[str]]
    partial: bool
    jobs: int
    timeout: float | None
    build: bool
    progress: Callable[[str], None]
    run_id: str
    stage: Path
    t0: float
    started: str
    site: Site | None = None
    build_seconds: float = 0.0
    tables: list = field(default_factory=list)

    def status(self, state: str, error: str | None = None) -> dict:
        """The status.json record of this run (schema in docs/REFRESH.md)."""
        live = self.site.live() if state != "ok" else None
        rec = {"run_id": self.run_id, "kind": "refresh", "status": state, "started": self.started,
               "finished": datetime.now(UTC).replace(microsecond=0).isoformat(),
               "error": error.splitlines()[0] if error else None,
               "parameters": self.rp.slug(), "only": [nb.stem for nb in self.notebooks]
               if self.partial else None}
        if state == "ok":
            return {"last_run": rec, "live": {"generation": self.run_id, "run_id": self.run_id,
                                               "published": rec["finished"]}}
        old = _read_status(live)
        return {"last_run": rec, "live": old.get("live") or {
            "generation": live.name if live else None, "run_id": None, "published": None}}

    def go(self) -> RefreshReport:
        self.results = [NotebookResult(name=nb.stem, source=nb) for nb in self.notebooks]
        self.report = RefreshReport(self.run_id, self.results)
        processed = self._build()
        self._execute(self._notebook_params_file(), processed)
        failed = [r for r in self.results if r.status == "failed"]
        if failed:
            self._fail(failed)
        old = assemble(self.stage, self.results, False, self.progress, self.report)
        manifest = mf.build_manifest(run=self, old=old, figures=self.stage / "figures")
        write_json_atomic(manifest, self.stage / "reports" / "manifest.json")
        write_index(manifest, self.stage / "reports", previous=self.site.path("reports"))
        staged = {"reports": self.stage / "reports", "figures": self.stage / "figures"}
        if self.build:
            staged["processed"] = self.stage / "data_processed"
        elif self.site.live() is None:  # --only --no-build: a copy of the tables it read
            gens.copy_tree(_tables_for(self.site, self.rp), self.stage / "data_processed")
            staged["processed"] = self.stage / "data_processed"
        gens.write_status_files(self.stage / "reports", self.status("ok"))
        try:
            gens.fault_point("publish")
            self.site.publish(staged, self.run_id, "refresh",
                              carry=() if self.build else ("processed",))
        except OSError as err:
            raise RefreshFailed(f"publishing failed before the switch, previous outputs "
                                f"still live: {_os_error(err)}", self.report) from err
        r = self.report
        r.published, r.manifest, r.seconds = True, manifest, time.perf_counter() - self.t0
        r.reports_dir, r.figures_dir = self.site.path("reports"), self.site.path("figures")
        r.processed_dir = self.site.path("processed")
        for res in self.results:
            res.executed = r.reports_dir / "notebooks" / f"{res.name}.ipynb"
            res.html = r.reports_dir / f"{res.name}.html"
        published = ", ".join(mf.display_path(p, paths.root()) + "/"
                              for p in (r.processed_dir, r.figures_dir, r.reports_dir))
        self.progress(f"[refresh] published {published} (generation {self.run_id}, "
                      f"{r.seconds:.1f} s in total)")
        return r

    def _build(self) -> Path:
        if not self.build:
            processed = _tables_for(self.site, self.rp)
            self.progress(f"[refresh] build skipped (--no-build): using {processed}")
            return processed
        from .. import build as build_mod

        out = self.stage / "data_processed"
        out.mkdir()
        t = time.perf_counter()
        self.progress("[refresh] build data/processed …")
        try:
            written = build_mod.build_processed(self.rp, out_dir=out, progress=self.progress)
        except QyeduError:
            raise
        except Exception as err:
            raise RefreshFailed(f"building data/processed failed: {type(err).__name__}: {err}; "
                                f"nothing was published", self.report) from err
        self.tables = sorted(written)
        self.build_seconds = time.perf_counter() - t
        self.progress(f"[refresh] build data/processed … ok ({self.build_seconds:.1f} s)")
        return out

    def _notebook_params_file(self) -> Path:
        """The parameter file given to notebooks: the user's, unless an override that is not a
        notebook parameter (e.g. --births-method) changed RunParams; then a staged copy."""
        from .. import params

        flat = {k: getattr(self.rp.forecast, k) for k in FORECAST_PARAMETERS}
        if params.load(self.params_file, **flat) == self.rp:
            return self.params_file
        effective = self.stage / "params.yaml"
        # only the values that differ from the defaults: a tuple parameter dumped as a YAML
        # list would not validate again under the strict parameter model
        data = self.rp.model_dump(mode="json", exclude_defaults=True)
        effective.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=True),
                             encoding="utf-8")
        return effective

    def _execute(self, params_file: Path, processed: Path) -> None:
        n = len(self.notebooks)

        def one(i: int) -> None:
            nb = self.notebooks[i]
            values = notebook_parameters(self.rp, params_file, self.stage / "nb_figures" / nb.stem,
                                         processed, self.declared[nb])
            res = execute(nb, self.stage / "reports" / "notebooks" / nb.name, values,
                          cwd=nb.parent, timeout=self.timeout)
            self.results[i] = res
            state = "ok" if res.status == "ok" else f"FAILED: {res.error}"
            self.progress(f"[refresh] {i + 1}/{n} {nb.stem} … {state} ({res.seconds:.1f} s)")

        if self.jobs == 1:
            for i in range(n):
                one(i)
                if self.results[i].status == "failed":
                    break  # the rest stay 'skipped'
            return
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            futures = [pool.submit(one, i) for i in self._longest_first()]
            for f in as_completed(futures):
                if f.cancelled():
                    continue
                f.result()  # re-raises anything unexpected (not a notebook error)
                if any(r.status == "failed" for r in self.results):
                    for other in futures:
                        other.cancel()  # not started yet → stays 'skipped'

    def _longest_first(self) -> list[int]:
        """Notebook indices, the longest first (fewer idle workers at the end): seconds of
        the last published run of this parameter set, else the notebook's own estimate
        (metadata ``qyedu.expected_seconds``), else 5 s; ties keep the name order."""
        import nbformat

        seen: dict[str, float] = {}
        try:
            old = json.loads((self.site.path("reports") / "manifest.json").read_text("utf-8"))
            seen = {r["name"]: float(r["seconds"]) for r in old.get("notebooks", [])
                    if r.get("status") == "ok" and r.get("seconds") is not None}
        except (OSError, ValueError, KeyError, TypeError):
            pass

        def cost(i: int) -> float:
            nb = self.notebooks[i]
            if nb.stem in seen:
                return seen[nb.stem]
            meta = nbformat.read(nb, as_version=4).metadata.get("qyedu", {})
            return float(meta.get("expected_seconds", 5.0))

        return sorted(range(len(self.notebooks)), key=lambda i: -cost(i))

    def _fail(self, failed: list[NotebookResult]) -> None:
        where = paths.failed_dir()
        lines = [f"notebook {r.source.name} failed at {r.error}" for r in failed]
        where_pub = mf.display_path(self.site.path("reports"), paths.root())
        lines.append("executed notebook(s) kept for debugging in "
                     + ", ".join(str(where / r.source.name) for r in failed))
        lines.append(f"nothing was published: {where_pub}/ and its figures and tables are "
                     f"unchanged")
        message = "\n".join(lines)
        self.report.failed_dir = keep_failed([r.executed for r in failed], where, message,
                                             self.run_id)
        self.report.seconds = time.perf_counter() - self.t0
        raise NotebookFailed(message, self.report)


def _read_status(gen: Path | None) -> dict:
    """The status.json of a generation's reports (empty if none or unreadable)."""
    if gen is None:
        return {}
    try:
        data = json.loads((gen / "reports" / gens.STATUS).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}
