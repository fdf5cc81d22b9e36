"""Drop-in files from the education bureau, validated on load: county capacity and project
sites (``data/raw/bureau/school_sites.csv``), read by ``qyedu.places``; the same validator
reads the teacher counts for ``qyedu.teachers``. A missing file means "not loaded" (the
model states its assumption instead); a bad file raises InputError naming the file, line and
column (exit 2 from the CLI). Templates: ``data/templates/`` (header only; see its README).

School sites: one row per school and level —
``school, county, level, places, opening_year, status`` with ``status`` ``existing`` (in use:
its places are the county's capacity), ``under_construction`` or ``planned`` (a project site:
its places open in ``opening_year``), and an optional ``source``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import InputError
from ..observed.raw import read_table

COUNTIES = ("清城区", "清新区", "佛冈县", "阳山县", "连山壮族瑶族自治县", "连南瑶族自治县",
            "英德市", "连州市")
PLACE_LEVELS = ("preschool", "primary", "junior_secondary", "senior_general")
STATUSES = ("existing", "under_construction", "planned")
SITES_COLUMNS = ["school", "county", "level", "places", "opening_year", "status"]


def _number(v: str, lo: float, hi: float) -> float:
    x = float(v.replace(",", ""))
    if not lo <= x <= hi:
        raise ValueError(f"{x:g} outside [{lo:g}, {hi:g}]")
    return x


def number(lo: float, hi: float) -> Callable[[str], float]:
    """A validator: a number in [lo, hi] (commas allowed)."""
    return lambda v: _number(v, lo, hi)


def year(v: str) -> int:
    y = int(v)
    if not 2000 <= y <= 2050:
        raise ValueError(f"year {y} outside 2000-2050")
    return y


def one_of(choices: tuple[str, ...]) -> Callable[[str], str]:
    """A validator: one of ``choices``."""
    def check(v: str) -> str:
        if v not in choices:
            raise ValueError(f"{v!r} is not one of {', '.join(choices)}")
        return v
    return check


def text(v: str) -> str:
    if not v.strip():
        raise ValueError("empty")
    return v.strip()


def read_dropin(path: Path, spec: dict[str, Callable[[str], object]]) -> pd.DataFrame:
    """Read a drop-in CSV and convert each column of ``spec`` with its validator; the first
    bad cell raises InputError naming the file, line and column. Keeps ``source_line``."""
    t = read_table(Path(path), list(spec))
    if t.empty:
        raise InputError("no data rows (remove the file to use the model's assumption)", path, 2)
    out = {c: [] for c in spec}
    for _, r in t.iterrows():
        for c, conv in spec.items():
            try:
                out[c].append(conv(str(r[c]).strip()))
            except (ValueError, TypeError) as err:
                raise InputError(f"bad value {r[c]!r}: {err}", path, int(r["source_line"]),
                                 c) from None
    df = pd.DataFrame(out)
    df["source_line"] = t["source_line"].to_numpy()
    df["source_file"] = Path(path).name
    return df


def read_optional(path: Path, spec: dict[str, Callable[[str], object]]) -> pd.DataFrame | None:
    """``read_dropin`` when the file is there, else None (the model keeps its assumption)."""
    return read_dropin(path, spec) if Path(path).exists() else None


SITES_SPEC = {"school": text, "county": one_of(COUNTIES), "level": one_of(PLACE_LEVELS),
              "places": number(0, 20_000), "opening_year": year, "status": one_of(STATUSES)}


def sites_path() -> Path:
    return paths.bureau_dir() / "school_sites.csv"


def read_sites(path: Path | None = None) -> pd.DataFrame | None:
    """The validated school-sites file, or None when it is not there."""
    path = Path(path) if path else sites_path()
    df = read_optional(path, SITES_SPEC)
    if df is None:
        return None
    dup = df.duplicated(["school", "level"], keep=False)
    if dup.any():
        r = df[dup].iloc[1]
        raise InputError(f"school {r['school']!r} / {r['level']} listed twice", path,
                         int(r["source_line"]))
    return df


def county_capacity(sites: pd.DataFrame, level: str, counties, years) -> tuple:
    """Capacity per year and county (Y, C) of one level from the sites file: places of
    ``existing`` schools in every year, and of the other rows from their opening year."""
    import numpy as np

    s = sites[sites["level"] == level]
    years = np.asarray(years)
    out = np.zeros((len(years), len(counties)))
    for _, r in s.iterrows():
        c = list(counties).index(r["county"]) if r["county"] in counties else None
        if c is None:
            continue
        opens = years >= (r["opening_year"] if r["status"] != "existing" else years.min())
        out[opens, c] += r["places"]
    return out
