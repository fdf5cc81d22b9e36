"""Published outputs as generations switched by one atomic rename.

A *site* is a folder holding ``.generations/<id>/`` (one complete set of published folders:
``reports/``, ``figures/``, ``processed/``, plus ``generation.json`` with the sha256 of every
file) and ``.published``, a symlink to the live generation. The published paths are fixed
symlinks through it (for the project: ``reports → .published/reports``, ``figures →
.published/figures``, ``data/processed → ../.published/processed``), so replacing
``.published`` (``os.replace`` of a new symlink: one atomic rename) switches all three
folders at once. A reader sees the old set or the new set, never a mix. A crash at any step
leaves the old generation live; :meth:`Site.recover` removes what a killed run left.

Scenario outputs (non-default parameters, partial refreshes) are sites of their own under
``.scenarios/<slug>/``, reachable as ``data/processed/scenarios/<slug>/``,
``reports/scenarios/<slug>/`` and ``figures/scenarios/<slug>/``.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import paths
from .errors import QyeduError
from .faults import fault_point
from .integrity import (  # noqa: F401 - re-exported: gens.verify, gens.tree_hashes
    FOLDERS,
    RECORD,
    STATUS,
    STATUS_FILES,
    STATUS_JS,
    completeness_problems,
    tree_hashes,
    verify,
)
from .io import write_bytes_atomic, write_json_atomic

KEEP = 2  # live generation plus the previous one
SLUG_MAX = 80  # longest scenario folder name (characters); longer slugs end in a hash


class PublishError(QyeduError):
    """A published target cannot be written or is not managed by qyedu (nothing swapped)."""


def _symlink_atomic(target: str, link: Path) -> None:
    """Make ``link`` a symlink to ``target`` (relative text) with one rename."""
    tmp = link.with_name(f"{link.name}.new")
    if tmp.is_symlink() or tmp.is_file():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Site:
    """A published set: ``root`` holds ``.generations/`` and ``.published``; ``entries`` maps
    each folder name to the user-facing path that links to it."""

    root: Path
    entries: dict[str, Path]
    public: dict[str, Path] | None = None  # the paths users read, if not ``entries``

    def path(self, name: str) -> Path:
        """Where users find folder ``name`` (e.g. ``data/processed/scenarios/<slug>``)."""
        return (self.public or self.entries)[name]

    @property
    def generations(self) -> Path:
        return self.root / ".generations"

    @property
    def pointer(self) -> Path:
        return self.root / ".published"

    def live(self) -> Path | None:
        """The live generation folder (None before the first publish)."""
        if not self.pointer.is_symlink():
            return None
        gen = self.generations / Path(os.readlink(self.pointer)).name
        return gen if gen.is_dir() else None

    def live_id(self) -> str | None:
        gen = self.live()
        return gen.name if gen else None

    def _entry_target(self, name: str) -> str:
        entry = self.entries[name]
        return os.path.relpath(self.pointer / name, entry.parent)

    # -- checks before anything is swapped ---------------------------------------------

    def preflight(self) -> None:
        """Raise PublishError (nothing touched) if a published path is a symlink or file not
        managed here, or a folder we must write to is read-only or full."""
        problems = []
        if self.pointer.exists() and not self.pointer.is_symlink():
            problems.append(f"{self.pointer} is not a symlink (a copy made without keeping "
                            f"symlinks, e.g. cp -r instead of cp -a?); remove it")
        for name, entry in self.entries.items():
            if entry.is_symlink():
                if os.readlink(entry) != self._entry_target(name):
                    problems.append(f"{entry} is a symlink to {os.readlink(entry)}, not managed "
                                    f"by qyedu; remove it (publishing needs {entry} → "
                                    f"{self._entry_target(name)})")
            elif entry.exists() and not entry.is_dir():
                problems.append(f"{entry} is a file, expected a folder")
        probes = {self.root, self.generations} | {e.parent for e in self.entries.values()}
        probes |= {e for e in self.entries.values() if e.is_dir() and not e.is_symlink()}
        for folder in sorted(probes):
            problem = _probe(folder)
            if problem:
                problems.append(problem)
        if problems:
            raise PublishError("cannot publish, nothing was changed:\n  - "
                               + "\n  - ".join(problems))

    # -- recovery ------------------------------------------------------------------------

    def recover(self) -> list[str]:
        """Tidy up after a killed run (caller holds the lock): finish a half-done migration,
        drop unfinished generations and old ones, make sure every entry link exists.
        Returns what was done (for the log)."""
        done: list[str] = []
        if not self.root.is_dir():
            return done
        self.generations.mkdir(exist_ok=True)
        self._migrate(done)
        if self.root == paths.root() and self.live() is not None:
            _adopt_legacy_scenarios()
        tmp = self.root / ".published.new"
        if tmp.is_symlink():
            tmp.unlink()
        live = self.live()
        if self.pointer.is_symlink() and live is None:  # dangling: should not happen
            good = self._newest_good()
            if good is not None:
                _symlink_atomic(os.path.relpath(good, self.root), self.pointer)
                done.append(f"repaired a dangling .published link: it now points to the newest "
                            f"complete generation {good.name}")
            else:
                self.pointer.unlink()
                done.append("removed a dangling .published link (no complete generation left)")
            live = self.live()
        for gen in sorted(self.generations.iterdir()):
            if gen.name.endswith(".partial"):
                _rmtree(gen)
                done.append(f"removed unfinished generation {gen.name}")
        self.prune()
        if live is not None:
            self._link_entries()
            if self.root == paths.root() and not (live / "processed" / "sweeps").is_symlink():
                link_sweeps(live)
                done.append("moved or linked data/processed/sweeps to the sweep store "
                            "data/sweeps/")
        return done

    def _newest_good(self) -> Path | None:
        """The newest finished generation whose files match its record (None if none)."""
        gens = sorted((g for g in self.generations.iterdir() if g.is_dir()
                       and not g.name.endswith((".partial", ".migrating"))),
                      key=lambda g: (_created(g), g.name), reverse=True)
        return next((g for g in gens if _created(g) and not verify(g)), None)

    def _migrate(self, done: list[str]) -> None:
        """Move real folders at the entry paths (layout before generations) into a first
        generation; resumable if killed half-way."""
        legacy = [n for n, e in self.entries.items() if e.is_dir() and not e.is_symlink()]
        work = self.generations / "0-migrated.migrating"
        if not legacy and not work.exists():
            return
        work.mkdir(exist_ok=True)
        for name in legacy:
            os.rename(self.entries[name], work / name)
        for name in FOLDERS:
            (work / name).mkdir(exist_ok=True)
        legacy_scenarios = work / "processed" / "scenarios"
        held = self.root / ".scenarios" / ".legacy"
        if self.root == paths.root() and legacy_scenarios.is_dir() \
                and not legacy_scenarios.is_symlink() and not held.exists():
            held.parent.mkdir(parents=True, exist_ok=True)
            os.rename(legacy_scenarios, held)  # adopted below, once the project set is live
        if self.root == paths.root():
            link_sweeps(work)  # sweeps of the old layout go to their store, not the record
        _write_record(work, "0-migrated", "migration")
        gen = self.generations / "0-migrated"
        os.rename(work, gen)
        if self.live() is None:
            _symlink_atomic(os.path.relpath(gen, self.root), self.pointer)
        self._link_entries()
        _adopt_legacy_scenarios()
        done.append(f"moved {', '.join(legacy) or 'nothing'} into generation 0-migrated")

    def _link_entries(self) -> None:
        for name, entry in self.entries.items():
            want = self._entry_target(name)
            if entry.is_symlink():
                continue  # ours, or a foreign link that preflight reports (never replaced)
            if entry.exists():
                continue  # a real folder: migrated by the next recover
            entry.parent.mkdir(parents=True, exist_ok=True)
            _symlink_atomic(want, entry)

    def prune(self, keep: int = KEEP) -> None:
        """Delete generations older than the last ``keep`` (never the live one)."""
        live = self.live_id()
        gens = sorted((g for g in self.generations.iterdir()
                       if g.is_dir() and not g.name.endswith((".partial", ".migrating"))),
                      key=lambda g: (_created(g), g.name))
        for gen in gens[:-keep] if keep else gens:
            if gen.name != live:
                _rmtree(gen)

    # -- publishing ----------------------------------------------------------------------

    def publish(self, staged: dict[str, Path], run_id: str, kind: str,
                carry: tuple[str, ...] = ()) -> Path:
        """Make a generation from staged folders (``{"reports": path, …}``, moved in) and
        folders of the live generation named in ``carry`` (copied), then switch it live with
        one rename. Steps are fault points ``publish``. Returns the new generation."""
        self.preflight()
        self.generations.mkdir(parents=True, exist_ok=True)
        part = self.generations / f"{run_id}.partial"
        part.mkdir()
        fault_point("publish")
        old = self.live()
        for name in FOLDERS:
            if name in staged:
                os.rename(staged[name], part / name)
            elif name in carry and old is not None and (old / name).is_dir():
                copy_tree(old / name, part / name)
            else:
                (part / name).mkdir()
            fault_point("publish")
        _link_scenarios(self, part)
        _write_record(part, run_id, kind)
        problems = completeness_problems(part, kind, old)
        if problems:
            _rmtree(part)
            raise PublishError("the new generation is incomplete, nothing was published:\n  - "
                               + "\n  - ".join(problems))
        fault_point("publish")
        gen = self.generations / run_id
        os.rename(part, gen)
        _fsync_dir(self.generations)
        fault_point("publish")
        _symlink_atomic(os.path.relpath(gen, self.root), self.pointer)  # the switch
        _fsync_dir(self.root)
        fault_point("publish")
        self._link_entries()
        if self.root != paths.root():
            _ensure_project_generation()  # so that data/processed/scenarios/<slug> resolves
        fault_point("publish")
        try:
            self.prune()
        except OSError:
            pass  # an old generation that cannot be deleted now goes at the next run
        fault_point("publish")
        return gen


def _created(gen: Path) -> str:
    try:
        return json.loads((gen / RECORD).read_text(encoding="utf-8"))["created"]
    except (OSError, ValueError, KeyError):
        return ""


def _write_record(gen: Path, run_id: str, kind: str) -> None:
    created = datetime.now(UTC).isoformat(timespec="microseconds")
    write_json_atomic({"generation": run_id, "kind": kind, "created": created,
                       "files": tree_hashes(gen)}, gen / RECORD)


def copy_tree(src: Path, dst: Path) -> None:
    """Copy a folder, hard-linking files where possible (generations are never modified)."""
    def link_or_copy(a, b):
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)
    shutil.copytree(src, dst, symlinks=True, copy_function=link_or_copy,
                    ignore=lambda d, names: [n for n in names if n in STATUS_FILES and
                                             Path(d) == src and src.name == "reports"])


def _rmtree(path: Path) -> None:
    def writable(func, p, exc):
        os.chmod(Path(p).parent, 0o755)
        func(p)
    shutil.rmtree(path, onerror=writable)


def _probe(folder: Path) -> str | None:
    """Why ``folder`` cannot be written (read-only, full, not a folder), or None."""
    if not folder.exists():
        return _probe(folder.parent) if folder.parent != folder else None
    test = folder / f".qyedu-probe-{os.getpid()}"
    try:
        with open(test, "wb") as fh:
            fh.write(b"x" * 4096)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as err:
        why = {errno.EROFS: "is on a read-only file system", errno.EACCES: "is not writable",
               errno.EPERM: "is not writable", errno.ENOSPC: "is on a full disk",
               errno.EDQUOT: "is over its disk quota"}.get(err.errno, f"cannot be written "
                                                                       f"({err.strerror})")
        return f"{folder} {why}"
    finally:
        try:
            test.unlink()
        except OSError:
            pass
    return None


def _forget(gen: Path, prefix: str) -> None:
    """Drop the files under ``prefix`` from a generation's record (they were moved out of
    it, e.g. sweeps into their store), rewritten atomically; nothing if not recorded."""
    try:
        record = json.loads((gen / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    files = record.get("files", {})
    kept = {k: v for k, v in files.items() if not k.startswith(prefix)}
    if kept != files:
        write_json_atomic(record | {"files": kept}, gen / RECORD)


def _link_scenarios(site: Site, gen: Path) -> None:
    """In a project generation, ``<folder>/scenarios`` links to the shared scenario store
    (only once a scenario has been published, so a project without any keeps flat folders)."""
    if site.root != paths.root():
        return
    for name in FOLDERS:
        link = gen / name / "scenarios"
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)  # a build's own scenarios folder: superseded by the store
        elif link.is_symlink():
            link.unlink()
        store = scenario_store(name)
        if store.is_dir():
            os.symlink(os.path.relpath(store, link.parent), link)
    link_sweeps(gen)


def link_sweeps(gen: Path) -> None:
    """``processed/sweeps`` of a project generation is a link to the sweep store
    (``paths.sweeps_dir()``): sweeps live outside the generations (a sweep never changes a
    published generation) and every build keeps them readable. A real folder there (the
    layout before the store) is moved into the store first, design by design; a design
    already in the store is kept."""
    folder = gen / "processed"
    if not folder.is_dir():
        return
    link, store = folder / "sweeps", paths.sweeps_dir()
    store.mkdir(parents=True, exist_ok=True)
    if link.is_dir() and not link.is_symlink():
        for design in sorted(link.iterdir()):
            if design.is_dir() and not (store / design.name).exists():
                shutil.copytree(design, store / f".{design.name}.moving", symlinks=True,
                                dirs_exist_ok=True)
                os.rename(store / f".{design.name}.moving", store / design.name)
        _rmtree(link)
        _forget(gen, "processed/sweeps/")
    want = os.path.relpath(store, folder)
    if not link.is_symlink() or os.readlink(link) != want:
        _symlink_atomic(want, link)


# -- the project's sites -----------------------------------------------------------------

def project_site() -> Site:
    """The default published set: ``reports/``, ``figures/``, ``data/processed/``."""
    root = paths.root()
    return Site(root, {"reports": paths.reports_dir(), "figures": paths.figures_dir(),
                       "processed": paths.data_processed()})


def scenario_store(name: str) -> Path:
    """Folder of the per-slug links for one kind of output (``reports``/``figures``/
    ``processed``); ``<name>/scenarios`` of every project generation links here."""
    return paths.root() / ".scenarios" / name


def scenario_site(slug: str) -> Site:
    """The published set of one scenario: ``data/processed/scenarios/<slug>/`` etc."""
    if not slug or not re.fullmatch(r"[\w.-]+", slug) or slug.startswith((".", "-")):
        raise QyeduError(f"invalid scenario folder name {slug!r}")
    if len(slug) > SLUG_MAX:  # a file name is at most 255 bytes (CJK: 3 bytes a character)
        digest = hashlib.sha256(slug.encode()).hexdigest()[:12]
        slug = f"{slug[:SLUG_MAX - 13]}-{digest}"
    root = paths.root() / ".scenarios" / "sites" / slug
    from .names import inside

    inside(root.parent, Path(slug), "scenario folder")  # a symlink out of the store is refused
    root.mkdir(parents=True, exist_ok=True)
    project = project_site().entries
    return Site(root, {n: scenario_store(n) / slug for n in FOLDERS},
                {n: project[n] / "scenarios" / slug for n in FOLDERS})


def _adopt_legacy_scenarios() -> None:
    held = paths.root() / ".scenarios" / ".legacy"
    if held.is_dir():
        for folder in sorted(held.iterdir()):
            _adopt_scenario(folder)
        shutil.rmtree(held)


def _adopt_scenario(folder: Path) -> None:
    """Make a scenario folder of the old layout the first generation of its scenario site."""
    if not folder.is_dir() or folder.name.startswith("."):
        return
    site = scenario_site(folder.name)
    if site.live() is not None:
        return
    work = site.root / ".adopt"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    shutil.copytree(folder, work / "processed", symlinks=True)
    site.recover()
    site.publish({"processed": work / "processed"}, "0-migrated", "migration")
    shutil.rmtree(work, ignore_errors=True)


def _ensure_project_generation() -> None:
    """Publish an empty first generation of the project (no pages, no tables) if it has
    none, so that the scenario folders are reachable under reports/, figures/, data/processed/."""
    site = project_site()
    if site.live() is None:
        site.publish({}, "0-empty", "empty")
    live = site.live()
    for name in FOLDERS:  # the live generation gets its links (symlinks: not in its hashes)
        link = live / name / "scenarios"
        if not link.is_symlink() and not link.exists():
            os.symlink(os.path.relpath(scenario_store(name), link.parent), link)


def prepare(site: Site, carries: bool = True) -> list[str]:
    """Before a run publishes to ``site`` (caller holds the lock): check the project's and the
    site's targets (PublishError, nothing touched), recover both from a killed run, then
    verify the live generation against its record (:func:`check_site`). A corrupt live
    generation is an error for a run that carries files over from it (``carries``: a build,
    ``--only``, ``--no-build``); a full refresh replaces every file and is told (returned)."""
    project = project_site()
    sites = [project] if site.root == project.root else [project, site]
    for s in sites:
        s.preflight()
    done = []
    try:
        for s in sites:
            done += s.recover()
    except OSError as err:
        raise PublishError(f"cannot tidy up after an earlier run: {err.strerror} "
                           f"({err.filename})") from None
    bad = check_site(site)
    if bad and carries:
        raise CorruptError("the live generation does not match its record, nothing was "
                           "changed:\n  - " + "\n  - ".join(bad) + "\nrun a full `qyedu "
                           "refresh` (it replaces every published file) or restore the file")
    done += [f"live generation corrupt, replaced by this run: {b}" for b in bad]
    return done


class CorruptError(PublishError):
    """A published generation's files differ from its ``generation.json``."""


def check_site(site: Site) -> list[str]:
    """Problems of a site's live generation, each naming the file (project-relative): a
    ``.published`` link to a missing generation, files changed, missing or added since the
    generation was recorded, an unreadable manifest or a page it lists missing. Empty: the
    site is sound."""
    if site.pointer.is_symlink() and site.live() is None:
        return [f"{_shown(site.pointer)} points to a missing generation "
                f"({os.readlink(site.pointer)})"]
    live = site.live()
    if live is None:
        return []
    out = []
    for line in verify(live):
        what, _, rel = line.partition(" ")
        out.append(f"{_shown(live / rel)}: {what}" if rel and what in
                   ("missing", "unexpected", "changed") else line)
    manifest = live / "reports" / "manifest.json"
    if manifest.is_file() and not any("manifest.json" in o for o in out):
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8"))["notebooks"]
            pages = [e["html"] for e in entries if e.get("status") == "ok"]
        except (OSError, ValueError, KeyError, TypeError) as err:
            out.append(f"{_shown(manifest)}: unreadable manifest ({err})")
            pages = []
        out += [f"{_shown(live / 'reports' / p)}: missing (listed in manifest.json)"
                for p in pages if not (live / "reports" / p).is_file()
                and not any(p in o for o in out)]
    return out


def check_all() -> list[str]:
    """:func:`check_site` of the project and of every scenario site."""
    out = check_site(project_site())
    sites = paths.root() / ".scenarios" / "sites"
    for folder in sorted(sites.iterdir()) if sites.is_dir() else []:
        if folder.is_dir() and not folder.name.startswith("."):
            out += check_site(scenario_site(folder.name))
    return out


def _shown(path: Path) -> str:
    try:
        return Path(path).relative_to(paths.root()).as_posix()
    except ValueError:
        return str(path)


def write_status(site: Site, status: dict) -> Path | None:
    """Write ``reports/status.json`` of the live generation (None if there is none)."""
    live = site.live()
    if live is None:
        return None
    return write_status_files(live / "reports", status)


def write_status_files(reports: Path, status: dict) -> Path:
    """``status.json`` and ``status.js`` (the same object for pages opened from disk, where
    a page cannot fetch JSON) in a reports folder; returns the JSON's path."""
    js = "window.QYEDU_STATUS = " + json.dumps(status, ensure_ascii=False, sort_keys=True) + ";\n"
    write_bytes_atomic(js.encode("utf-8"), reports / STATUS_JS)
    return write_json_atomic(status, reports / STATUS)
