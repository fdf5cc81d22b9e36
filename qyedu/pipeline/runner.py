"""``refresh``: rebuild data/processed, execute every notebook, render HTML pages, write
manifest.json, then publish reports/, figures/ and data/processed/ atomically — only if every
step succeeded. See docs/REFRESH.md."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from .. import paths
from ..errors import QyeduError
from ..io import write_json_atomic
from ..params import ParamError, RunParams
from . import manifest as mf
from .assemble import assemble
from .errors import LockBusy, NotebookFailed, RefreshFailed
from .execute import NotebookResult, execute
from .notebooks import FORECAST_PARAMETERS, check_declared, discover, notebook_parameters
from .publish import carry_scenarios, keep_failed, recover, swap_in
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


def refresh(rp: RunParams, params_file: str | Path | None = None, only=None, jobs: int = 1,
            timeout: float | None = 600, build: bool = True, progress=print,
            wait: float = 0) -> RefreshReport:
    """Run the whole pipeline for parameters ``rp`` (loaded from ``params_file``).

    ``only``: notebook names (stem or substring) to rerun, merging into what is published;
    ``jobs``: notebooks executed in parallel; ``timeout``: seconds per cell; ``build=False``
    reuses the published data/processed; ``wait``: seconds to wait for another refresh's lock
    (0 = fail at once, -1 = forever). Raises QyeduError (bad input, before anything runs),
    LockBusy, or RefreshFailed/NotebookFailed (nothing published)."""
    t0, now = time.perf_counter(), datetime.now(UTC)
    started = now.replace(microsecond=0)
    params_file = Path(params_file or paths.default_params_file()).absolute()
    if not params_file.is_file():
        raise ParamError(f"parameter file not found: {params_file}")
    if jobs < 1:
        raise QyeduError(f"--jobs must be at least 1 (got {jobs})")
    notebooks = discover(paths.notebooks_dir(), only, progress)
    declared = {nb: check_declared(nb) for nb in notebooks}
    if not build and not paths.data_processed().is_dir():
        raise QyeduError(f"--no-build: {paths.data_processed()} does not exist; refresh with build")
    with _locked(wait, progress):
        run_id = f"{now:%Y%m%dT%H%M%S}.{now.microsecond // 1000:03d}Z-{os.getpid()}"
        stage = _fresh_stage(run_id)
        progress(f"[refresh] run {run_id}: {len(notebooks)} notebook(s), parameters "
                 f"{params_file} ({rp.slug()})")
        try:
            run = _Run(rp, params_file, notebooks, declared, bool(only), jobs, timeout, build,
                       progress, run_id, stage, t0, started.isoformat())
            return run.go()
        finally:
            shutil.rmtree(stage, ignore_errors=True)  # a leftover is removed by the next run
            if stage.parent.is_dir() and not any(stage.parent.iterdir()):
                stage.parent.rmdir()


@contextmanager
def _locked(wait: float, progress):
    from filelock import FileLock, Timeout

    where = paths.lock_file()
    lock = FileLock(str(where))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if not wait:
            raise LockBusy(f"another refresh is running (lock {where}); "
                           f"use --wait to wait for it") from None
        limit = f"up to {wait:g} s" if wait > 0 else "no time limit"
        progress(f"[refresh] another refresh is running: waiting for the lock {where} ({limit})")
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise LockBusy(f"another refresh is running (lock {where}); "
                           f"gave up after waiting {wait:g} s") from None
    try:
        yield
    finally:
        lock.release()


def _fresh_stage(run_id: str) -> Path:
    """An empty staging folder; leftovers of killed runs are removed (we hold the lock)."""
    for target in (paths.reports_dir(), paths.figures_dir(), paths.data_processed()):
        recover(target)
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
    build_seconds: float = 0.0
    tables: list = field(default_factory=list)

    def go(self) -> RefreshReport:
        self.results = [NotebookResult(name=nb.stem, source=nb) for nb in self.notebooks]
        self.report = RefreshReport(self.run_id, self.results)
        processed = self._build()
        self._execute(self._notebook_params_file(), processed)
        failed = [r for r in self.results if r.status == "failed"]
        if failed:
            self._fail(failed)
        old = assemble(self.stage, self.results, self.partial, self.progress, self.report)
        manifest = mf.build_manifest(run=self, old=old, figures=self.stage / "figures")
        write_json_atomic(manifest, self.stage / "reports" / "manifest.json")
        write_index(manifest, self.stage / "reports")
        targets = [(self.stage / "figures", paths.figures_dir()),
                   (self.stage / "reports", paths.reports_dir())]
        if self.build:
            carry_scenarios(paths.data_processed(), self.stage / "data_processed")
            targets.insert(0, (self.stage / "data_processed", paths.data_processed()))
        swap_in(targets, self.run_id)
        r = self.report
        r.published, r.manifest, r.seconds = True, manifest, time.perf_counter() - self.t0
        r.reports_dir, r.figures_dir = paths.reports_dir(), paths.figures_dir()
        r.processed_dir = paths.data_processed()
        for res in self.results:
            res.executed = r.reports_dir / "notebooks" / f"{res.name}.ipynb"
            res.html = r.reports_dir / f"{res.name}.html"
        published = ", ".join(mf.display_path(p, paths.root()) + "/" for _, p in targets)
        self.progress(f"[refresh] published {published} ({r.seconds:.1f} s in total)")
        return r

    def _build(self) -> Path:
        if not self.build:
            self.progress(f"[refresh] build skipped (--no-build): using {paths.data_processed()}")
            return paths.data_processed()
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
        effective.write_text(yaml.safe_dump(self.rp.model_dump(mode="json"), allow_unicode=True,
                                            sort_keys=True), encoding="utf-8")
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
            futures = [pool.submit(one, i) for i in range(n)]
            for f in as_completed(futures):
                if f.cancelled():
                    continue
                f.result()  # re-raises anything unexpected (not a notebook error)
                if any(r.status == "failed" for r in self.results):
                    for other in futures:
                        other.cancel()  # not started yet → stays 'skipped'

    def _fail(self, failed: list[NotebookResult]) -> None:
        where = paths.failed_dir()
        lines = [f"notebook {r.source.name} failed at {r.error}" for r in failed]
        lines.append("executed notebook(s) kept for debugging in "
                     + ", ".join(str(where / r.source.name) for r in failed))
        lines.append("nothing was published: reports/, figures/ and data/processed/ are unchanged")
        message = "\n".join(lines)
        self.report.failed_dir = keep_failed([r.executed for r in failed], where, message)
        self.report.seconds = time.perf_counter() - self.t0
        raise NotebookFailed(message, self.report)
