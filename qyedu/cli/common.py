"""Arguments shared by the verbs that run the model (forecast, places, teachers, scorecard,
build, refresh), so every verb takes the same parameters as the notebooks."""

from __future__ import annotations

import argparse
from pathlib import Path

FORECAST_FLAGS = {
    "scenario": str,
    "base_year": int,
    "horizon": int,
    "draws": int,
    "seed": int,
    "county": str,
    "births_method": str,
}


def add_run_args(p: argparse.ArgumentParser, out_help: str | None = None) -> None:
    """--params FILE plus one flag per forecast parameter (overrides the file), and --out."""
    p.add_argument("--params", type=Path, default=None,
                   help="parameter file (YAML); default params/default.yaml")
    for name in FORECAST_FLAGS:
        # type=str everywhere: pydantic validates and names the parameter on error
        p.add_argument("--" + name.replace("_", "-"), dest=name, default=None,
                       help=f"override forecast.{name}")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override any parameter by its dotted name, e.g. "
                        "--set teachers.attrition_rate=0.05 (repeatable; `qyedu params` lists them)")
    if out_help:
        p.add_argument("--out", type=Path, default=None, help=out_help)


def parse_overrides(items: list[str]) -> dict[str, object]:
    """``["teachers.attrition_rate=0.05", …]`` → ``{"teachers.attrition_rate": 0.05}``
    (values typed as YAML types them); a malformed item is a ParamError naming it."""
    from ..params import ParamError, parse_value

    out: dict[str, object] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ParamError(f"--set {item!r}: expected KEY=VALUE, e.g. --set forecast.draws=500")
        if key.strip() in out:
            raise ParamError(f"--set {key.strip()!r} given twice")
        out[key.strip()] = parse_value(value)
    return out


def params_from_args(args: argparse.Namespace, extra: dict[str, object] | None = None,
                     problems: list[str] | None = None):
    """Validated RunParams from --params, the forecast flags and --set (errors name the key).

    Also checks the county and, for verbs with ``--out``, the output path. ``problems``:
    errors already found in other options, reported together with these (one QyeduError)."""
    from .. import params
    from ..errors import QyeduError
    from ..observed.names import county_problem

    problems = list(problems or [])
    out = getattr(args, "out", None)
    if out is not None:
        problems += out_problems(out, getattr(args, "out_kind", "file"))
        problems += input_problems(out, args)
    if getattr(args, "tables_dir", None) is not None:
        problems += [p.replace("--out", "--tables-dir") for p in
                     out_problems(args.tables_dir, "dir")]
    rp = None
    try:
        over = parse_overrides(getattr(args, "overrides", []))
        for k in FORECAST_FLAGS:
            v = getattr(args, k, None)
            if v is not None:
                over[f"forecast.{k}"] = params.parse_value(v)
        over |= {k: v if not isinstance(v, str) else params.parse_value(v)
                 for k, v in (extra or {}).items() if v is not None}
        rp = params.load(args.params, over)
    except params.ParamError as err:
        problems.append(str(err))
    if rp is not None and (bad := county_problem(rp.forecast.county)):
        problems.append(bad)
    if problems:
        raise QyeduError(problems[0] if len(problems) == 1 else
                         "\n  - ".join(["invalid options:", *problems]))
    return rp


def out_problems(out: Path, kind: str = "file") -> list[str]:
    """The one rule for ``--out`` (README, docs/REFRESH.md): it is never inside the published
    tree (data/processed, reports, figures, .generations …: only a publishing run writes
    there). ``kind="file"``: a file path; an existing file is replaced (atomically), a folder
    is refused. ``kind="dir"``: a folder, new or existing (its files of the same name are
    replaced); an existing file is refused. ``kind="folder"`` (``qyedu build``): a new folder
    only, so a build never mixes with older files."""
    out = Path(out)
    if bad := published_problem(out):
        return [bad]
    if kind == "folder":
        if out.exists() or out.is_symlink():
            return [f"--out {out}: already exists; give a new folder (nothing is overwritten)"]
    elif kind == "dir":
        if out.exists() and not out.is_dir():
            return [f"--out {out}: is a file; give a folder"]
    elif out.is_dir():
        return [f"--out {out}: is a folder; give a file name, e.g. {out / 'table.csv'}"]
    elif out.exists() and not out.is_file():  # a replace would swap /dev/null for a file
        return [f"--out {out}: not a regular file (a device or pipe); give a file name"]
    parent = out.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        return [f"--out {out}: {parent} is a file, not a folder"]
    return []


def input_problems(out: Path, args: argparse.Namespace) -> list[str]:
    """``--out`` may not be one of the run's own input files (--params, --area-data,
    --outturns, register's --check and --register): writing the table would replace the
    researcher's data."""
    inputs = [getattr(args, k, None) for k in ("params", "outturns", "register")]
    inputs += [f for k in ("area_data", "check") for f in (getattr(args, k, None) or [])]
    target = Path(out).resolve()
    for f in inputs:
        if f is not None and Path(f).resolve() == target:
            return [f"--out {out}: is an input file of this run ({f}); give another file name"]
    return []


def published_problem(out: Path) -> str | None:
    """Why ``out`` may not be written by a ``--out`` run (inside the published tree), or None."""
    from .. import paths

    full = Path(out).absolute()
    resolved = full.resolve()
    # the path as given first, so the message names the tree the user wrote (data/processed,
    # not the .generations/ folder it resolves into)
    for f, resolve in ((full, False), (resolved, True)):
        for tree in paths.published_trees():
            t = tree.resolve() if resolve else tree
            if f == t or t in f.parents:
                rel = tree.relative_to(paths.root()).as_posix()
                return (f"--out {out}: inside {rel}/, which only a publishing run writes "
                        f"(run without --out to publish); give a path outside it")
    return None


def check_timeout(value: float | None) -> list[str]:
    """--timeout: 0 (no limit) or a finite number of seconds > 0."""
    import math

    if value is None or value == 0:
        return []
    if not math.isfinite(value) or value < 0:
        return [f"--timeout must be a finite number of seconds > 0, or 0 for no limit "
                f"(got {value:g})"]
    return []
