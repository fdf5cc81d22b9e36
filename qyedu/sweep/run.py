"""One call from a design to its folder: sample → batches → workers → part files → runs.csv,
indices.csv, the verdict tables and the figures. Resumable and deterministic: runs already in
the folder are skipped, and every table is assembled in run order from the stored values, so
the files do not depend on the number of workers or on the order in which batches finish."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import analyze
from .design import Design, design_from_dict, run_seed, runs
from .store import (
    RunStore,
    SweepStoreError,
    design_file,
    inputs_fingerprint,
    runs_table,
    stored_inputs,
    sweep_dir,
    write_table,
)
from .task import Run, task_class

# A design is too small for stable indices when an index's confidence half-width exceeds
# this (Sobol indices lie in 0–1: a ±0.1 interval no longer separates the parameters'
# ranks), or, for Morris, when a parameter's mu* interval is wider than half its mu*.
SOBOL_CONF_LIMIT = 0.1
MORRIS_REL_CONF_LIMIT = 0.5
SOBOL_FIRM_SAMPLES = 64  # params/sweeps/example.yaml: "use 64 or more for firm rankings"
TABLES = ("runs.csv", "indices.csv", "swing.csv", "verdicts.csv", "flips.csv",
          "verdict_by_parameter.csv")


@dataclass
class SweepResult:
    design: Design
    out: Path
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    new_runs: int = 0
    seconds: float = 0.0
    origin: str = ""  # where the tables come from (a finished folder, or this run)

    @property
    def runs(self) -> pd.DataFrame:
        return self.tables["runs.csv"]

    @property
    def indices(self) -> pd.DataFrame:
        return self.tables["indices.csv"]


def plan_batches(design: Design, keys: list[str], todo: list[int], values, seeds) -> list[list[Run]]:
    """Runs sharing a group key (the same projection) are kept together; groups are packed in
    order of their first run into batches of at most batch_size runs (a larger group is split).
    Depends only on the design and on which runs are left to do, never on the workers."""
    groups: dict[str, list[int]] = {}
    for i, k in zip(todo, keys, strict=True):
        groups.setdefault(k, []).append(i)
    batches: list[list[int]] = [[]]
    size = design.batch_size
    for idx in groups.values():
        for s in range(0, len(idx), size):
            chunk = idx[s:s + size]
            if len(batches[-1]) + len(chunk) > size:
                batches.append([])
            batches[-1].extend(chunk)
    return [[(i, values[i], seeds[i]) for i in b] for b in batches if b]


def run_sweep(design: Design, out: str | Path | None = None, workers: int | None = None,
              scheduler: str | None = None, progress: bool = True, fresh: bool = False,
              figures: bool = True, log=print) -> SweepResult:
    """Run (or finish) a design and write its tables (and figures) into ``out`` (default
    data/processed/sweeps/<name>/). ``workers=0``: serially in this process."""
    from .execute import execute

    t0 = time.perf_counter()
    task = task_class(design.task)(design)
    task.check()
    out = Path(out) if out else sweep_dir(design.name)
    values = runs(design, task.kinds())
    seeds = [run_seed(design, i) for i in range(len(values))]
    keys = task.group_keys(values, seeds)  # validates every run before anything is written
    store = RunStore(out, design)
    done = store.open(fresh=fresh)
    todo = [i for i in range(len(values)) if i not in done]
    log(f"[sweep] {design.name}: {design.method}, {len(design.keys)} parameters, "
        f"{len(values)} runs ({len(values) - len(todo)} already done) → {out}")
    if design.method == "sobol" and design.samples < SOBOL_FIRM_SAMPLES:
        log(f"[sweep] warning: a base sample of {design.samples} gives indicative Sobol indices "
            f"only (wide intervals); use {SOBOL_FIRM_SAMPLES} or more for firm rankings")
    batches = plan_batches(design, [keys[i] for i in todo], todo, values, seeds)
    design_json = design.model_dump(mode="json") | {"_fingerprint": design.fingerprint()}
    execute(batches, design_json, store.write_part, workers=workers, scheduler=scheduler,
            progress=progress, log=log)
    res = finish(design, out, values, seeds, store, figures=figures)
    if (warning := stability_warning(design, res.tables["indices.csv"])):
        log(warning)
    res.new_runs, res.seconds = len(todo), time.perf_counter() - t0
    res.origin = f"{len(values)} runs computed into {out}"
    return res


def stability_warning(design: Design, indices: pd.DataFrame) -> str | None:
    """A warning when the design is too small for stable indices (measured on the indices'
    own confidence intervals), naming the widest interval; None when they are stable."""
    if indices.empty:
        return None
    if design.method == "sobol":
        conf = indices[["S1_conf", "ST_conf"]].abs().max(axis=1)
        if not (conf > SOBOL_CONF_LIMIT).any():
            return None
        worst = indices.loc[conf.idxmax()]
        return (f"[sweep] warning: the design is too small for stable indices: "
                f"{int((conf > SOBOL_CONF_LIMIT).sum())} of {len(indices)} have a confidence "
                f"half-width above ±{SOBOL_CONF_LIMIT} (widest: {worst['parameter']} on "
                f"{worst['output']}, S1 {worst['S1']:.2f} ± {worst['S1_conf']:.2f}, ST "
                f"{worst['ST']:.2f} ± {worst['ST_conf']:.2f}); rankings are indicative only — "
                f"raise `samples` (now {design.samples})")
    if design.method == "morris":
        pos = indices[indices["mu_star"] > 0]
        rel = pos["mu_star_conf"] / pos["mu_star"]
        if not (rel > MORRIS_REL_CONF_LIMIT).any():
            return None
        worst = pos.loc[rel.idxmax()]
        return (f"[sweep] warning: the design is too small for stable indices: "
                f"{int((rel > MORRIS_REL_CONF_LIMIT).sum())} of {len(pos)} mu* intervals are "
                f"wider than half their mu* (widest: {worst['parameter']} on {worst['output']}, "
                f"mu* {worst['mu_star']:.3g} ± {worst['mu_star_conf']:.3g}); raise `samples` "
                f"(trajectories, now {design.samples})")
    return None


def finish(design: Design, out: Path, values, seeds, store: RunStore,
           figures: bool = True) -> SweepResult:
    """Assemble and write every table from the stored runs (and the figures)."""
    done = store.load()
    missing = len(values) - len(done)
    if missing:
        raise SweepStoreError(f"{missing} runs of {design.name} have no stored result in {out}")
    r = runs_table(design, values, seeds, done)
    tables = {"runs.csv": r, "indices.csv": analyze.indices(design, r),
              "swing.csv": analyze.swing(design, r), "verdicts.csv": analyze.verdicts(design, r),
              "flips.csv": analyze.flips(design, r),
              "verdict_by_parameter.csv": analyze.verdict_by_parameter(design, r)}
    for name, df in tables.items():
        write_table(df, out / name)
    if figures:
        write_figures(tables, out / "figures")
    return SweepResult(design, out, tables)


def write_figures(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    from ..figures import sensitivity as fig
    from ..plotting import save_figure

    written = []
    if len(tables["indices.csv"]):
        written += save_figure(fig.index_heatmap(tables["indices.csv"]), "sensitivity_heatmap",
                               folder)
    sw = tables["swing.csv"]
    for name in sw["output"].unique() if len(sw) else []:
        written += save_figure(fig.tornado(sw, name), f"tornado_{name}", folder)
    return written


def _read_table(path: Path) -> pd.DataFrame:
    """A sweep table; an empty file (no verdicts, hence no flips) is an empty table."""
    try:
        return pd.read_csv(path, keep_default_na=True)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()


def load_sweep(out: str | Path) -> SweepResult:
    """A finished sweep folder (tables read back from CSV)."""
    out = Path(out)
    meta = json.loads((out / "design.json").read_text(encoding="utf-8"))
    tables = {n: _read_table(out / n) for n in TABLES if (out / n).exists()}
    tables["flips.csv"] = tables.get("flips.csv", pd.DataFrame())
    return SweepResult(design_from_dict(meta["design"], where=str(out)), out, tables,
                       origin=f"finished sweep read from {out}")


def finished_or_tiny(rp, params_file: str = "") -> SweepResult:
    """What the sensitivity page shows for the run parameters ``rp``: the finished sweep of
    the design ``rp.sensitivity.design`` in data/processed/sweeps/<design>/ when it is
    complete (``qyedu sweep params/sweeps/<design>.yaml`` wrote it), else that design cut to
    ``rp.sensitivity.small_samples`` at ``small_draws`` draws, run serially in a temporary
    folder that is removed afterwards (seconds, not minutes). The forecast parameters of
    ``rp`` (scenario, base year, horizon, seed, county) are fixed for every run of that small
    design; swept keys still vary."""
    import tempfile

    from .design import load_design

    sp, fp = rp.sensitivity, rp.forecast
    name = sp.design
    shown = f"data/processed/sweeps/{name}/"  # as reviewers read it: no machine path
    done = sweep_dir(name)
    finished = all((done / f).exists() for f in ("design.json", "indices.csv", "runs.csv"))
    current = finished and stored_inputs(done) == inputs_fingerprint()
    if current:
        res = load_sweep(done)
        res.origin = (f"已完成的参数扫描（{shown}） | finished sweep read from {shown}")
        return res
    stale_zh = (f"{shown} 中的参数扫描基于旧版代码或数据，未采用；" if finished else "")
    stale_en = (f"the sweep in {shown} was made with other code or data and is not shown; "
                if finished else "")
    d = load_design(design_file(name))
    fixed = dict(d.fixed) | {f"forecast.{k}": getattr(fp, k)
                             for k in ("scenario", "base_year", "horizon", "county")}
    fixed["forecast.draws"] = sp.small_draws
    d = design_from_dict(d.model_dump() | {"samples": sp.small_samples, "fixed": fixed,
                                           "seed": fp.seed,
                                           "params_file": params_file or d.params_file})
    with tempfile.TemporaryDirectory(prefix=f"qyedu-sweep-{name}-") as tmp:
        res = run_sweep(d, out=tmp, workers=0, progress=False, figures=False,
                        log=lambda *_: None)
    n = res.runs["run"].nunique()
    none_zh, none_en = ("", "") if finished else ("尚无完整的参数扫描结果：",
                                                  f"no finished sweep in {shown}: ")
    res.origin = (f"{stale_zh}{none_zh}本页为设计 {name} 的小规模版本（基础样本 "
                  f"{sp.small_samples}，每次 {sp.small_draws} 次抽样，共 {n} 次运行），指数仅供参考"
                  f" | {stale_en}{none_en}a small version of {name} (base sample "
                  f"{sp.small_samples}, {sp.small_draws} draws, {n} runs) run now; its indices "
                  "are indicative only")
    return res
