"""``qyedu register``: write the forecast command's forecasts once, before their outturns are
known, and check later outturns against them (``validation.register``)."""

from __future__ import annotations

import time
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser(
        "register", help="pre-registered forecasts: write them once (--write), check later "
                         "outturns against them (--check)")
    p.add_argument("--write", action="store_true",
                   help="forecast every province of data/raw/validation/provinces.csv and China "
                        "as of 2019 (the forecast command's defaults) and Qingyuan (the default "
                        "run), and write params/register/forecasts_<today>.csv; refused if that "
                        "file exists or the code or data have uncommitted changes")
    p.add_argument("--check", type=Path, nargs="+", metavar="FILE", default=None,
                   help="later enrolment outturns (the --area-data long schema, any areas; "
                        "Qingyuan's enrolment-series schema too) to set beside the register")
    p.add_argument("--register", type=Path, default=None, metavar="FILE",
                   help="the register to check against (default: the newest in --dir)")
    p.add_argument("--dir", type=Path, default=None, metavar="DIR",
                   help="the registers' folder (default params/register)")
    p.add_argument("--out", type=Path, default=None, metavar="CSV",
                   help="with --check: write the row-by-row check here")
    p.add_argument("--workers", type=int, default=1,
                   help="with --write: forecasts in this many processes (default 1)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..errors import InputError

    if args.write and args.check:
        raise InputError("give --write or --check, not both")
    for flag, value in (("--out", args.out), ("--register", args.register)):
        if value is not None and not args.check:
            raise InputError(f"{flag} goes with --check")
    if args.write:
        return write(args)
    if args.check:
        return check(args)
    return show(args)


def _uncommitted() -> tuple[str, list[str]]:
    """(the short commit or '', the files under qyedu/, params/ and data/raw/ with
    uncommitted changes)."""
    import subprocess

    from .. import paths
    from ..pipeline.manifest import git_commit

    sha = git_commit(paths.root())
    if sha == "unknown":
        return "", []
    status = subprocess.run(["git", "status", "--porcelain", "--", "qyedu", "params", "data/raw"],
                            cwd=paths.root(), capture_output=True, text=True, timeout=30,
                            check=False).stdout
    return sha[:7], [line[3:] for line in status.splitlines() if line.strip()]


def write(args) -> int:
    from .. import paths
    from ..errors import InputError
    from ..pipeline.manifest import display_path
    from ..validation.register import refuse_existing, register_path, register_table, write_register

    path = register_path(args.dir)
    refuse_existing(path)
    sha, dirty = _uncommitted()
    if not sha:
        raise InputError("a register names the commit its forecasts came from, and this is not "
                         "a git checkout (or git is missing)")
    if dirty:
        raise InputError("commit first: a register names the commit its forecasts came from; "
                         f"uncommitted: {', '.join(dirty[:5])}{' …' if len(dirty) > 5 else ''}")
    t0 = time.perf_counter()
    table = register_table(args.workers, progress=lambda m: print(f"[register] {m}", flush=True))
    for area, why in table.attrs["skipped"].items():
        print(f"[register] {area}: not registered ({why.split(': ', 1)[-1]})", flush=True)
    out = write_register(table, path, sha)
    print(f"[register] wrote {len(table):,} forecasts of {table['area'].nunique()} areas, "
          f"{int((~table['seen']).sum()):,} of them for outturns the project does not hold, to "
          f"{display_path(out, paths.root())} ({time.perf_counter() - t0:.1f} s)")
    return 0


def check(args) -> int:
    from ..errors import InputError
    from ..io import write_csv_atomic
    from .common import input_problems, out_problems

    if args.out is not None and (bad := out_problems(args.out) + input_problems(args.out, args)):
        raise InputError(bad[0])
    from ..validation.register import check_register, check_summary, latest_register, read_register

    path = args.register or latest_register(args.dir)
    reg = read_register(path)
    result = check_register(reg, args.check)
    print(f"[register] {path.name}: {len(result)} outturns of registered areas, levels and "
          f"years", flush=True)
    for line in check_summary(result):
        print(f"[register] {line}")
    for r in result[~result["inside"]].itertuples(index=False):
        print(f"[register]   OUTSIDE {r.area} {r.level} {r.year} (lead {r.lead}): outturn "
              f"{r.outturn:,.0f}, p05 {r.p05:,.0f}, p50 {r.p50:,.0f}, p95 {r.p95:,.0f} "
              f"({r.error_pct:+.1f} %{', seen' if r.seen else ''}; {r.source})")
    if result.attrs["unregistered"]:
        print("[register] not in the register: " + ", ".join(result.attrs["unregistered"]))
    if args.out is not None:
        write_csv_atomic(result, args.out)
        print(f"[register] wrote {len(result)} rows to {args.out}")
    return 0


def show(args) -> int:
    from .. import paths
    from ..pipeline.manifest import display_path
    from ..validation.register import REGISTER_DIR, read_register

    base = args.dir or paths.root() / REGISTER_DIR
    found = sorted(Path(base).glob("forecasts_*.csv"))
    if not found:
        print(f"[register] no register in {display_path(base, paths.root())}; write one with "
              "`qyedu register --write`")
        return 0
    for f in found:
        reg = read_register(f)
        head = f.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
        areas = reg.groupby("area")["year"].agg(["min", "max"])
        print(f"[register] {f.name}: {head}")
        print(f"[register]   {len(reg):,} forecasts, {reg['area'].nunique()} areas, "
              f"{int((~reg['seen']).sum()):,} for outturns the project did not hold; years "
              f"{int(areas['min'].min())}–{int(areas['max'].max())}")
    return 0
