"""``qyedu check``: is what is published intact, and is every raw file valid?

Verifies the live generation of the project and of every scenario folder against its
``generation.json`` (sha256 of every file: a changed, missing or added file, a ``.published``
link to a missing generation, an unreadable manifest) and checks every file of data/raw
against its schema (qyedu.observed.contract). Exit 0: all sound; 2: each problem named
(file, line, column); nothing is changed. The same check of the live generation starts
every refresh and build (docs/REFRESH.md)."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("check", help="verify the published generation against its record and "
                                     "every raw file against its schema", description=__doc__)
    p.add_argument("--no-raw", dest="raw", action="store_false",
                   help="only the published generation, not data/raw")
    p.set_defaults(func=run)


def run(args) -> int:
    import sys

    from .. import generations as gens
    from ..errors import QyeduError

    published = gens.check_all()
    raw = []
    if args.raw:
        from ..observed.contract import check_raw

        try:
            check_raw()
        except QyeduError as err:
            raw = [str(err)]
    if published:
        print("qyedu check: error: the published outputs do not match their record "
              "(run a full `qyedu refresh` to replace them):\n  - " + "\n  - ".join(published),
              file=sys.stderr)
    if raw:
        print(f"qyedu check: error: {raw[0]}", file=sys.stderr)
    if published or raw:
        return 2
    live = gens.project_site().live_id()
    print(f"qyedu check: ok (live generation {live or 'none yet'}"
          f"{', data/raw valid' if args.raw else ''})")
    for line in stale_inputs():
        print(f"qyedu check: note: {line}")
    return 0


def stale_inputs() -> list[str]:
    """data/raw files that differ from those the live pages were made from (manifest.json's
    ``raw_data``): not corruption, but the pages are out of date until the next refresh."""
    import json

    from .. import paths
    from ..pipeline.manifest import sha256_tree

    manifest = paths.reports_dir() / "manifest.json"
    try:
        made = json.loads(manifest.read_text(encoding="utf-8"))["raw_data"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    now = sha256_tree(paths.data_raw(), paths.root())
    changed = sorted(k for k in set(made) | set(now) if made.get(k) != now.get(k))
    if not changed:
        return []
    shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
    return [f"data/raw changed since the published pages were made ({shown}); "
            f"run `qyedu refresh` to update them"]
