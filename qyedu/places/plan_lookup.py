"""Look-ups in the plan registry (``qyedu.plan.load_indicators()``), shared by places and
teachers. Matching is by ``indicator_id`` when known, else by the Chinese name, so that the
registry's ids can evolve; every miss raises an error naming what was looked for."""

from __future__ import annotations

import re

import pandas as pd

from ..errors import QyeduError

REGISTRY_COLUMNS = ["indicator_id", "name_zh", "level", "unit", "year", "value", "source", "line"]


class RegistryError(QyeduError, KeyError):
    """The plan registry lacks an indicator the model needs."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


def load_registry(registry: pd.DataFrame) -> pd.DataFrame:
    """The registry passed in (the plan stage's ``plan_indicators.csv``), checked for the
    columns the look-ups need. The plan is parsed once, by the caller, never here."""
    if registry is None:
        raise RegistryError("the plan registry must be passed in (Workbench.indicators)")
    missing = [c for c in REGISTRY_COLUMNS if c not in registry.columns]
    if missing:
        raise RegistryError(f"plan registry lacks column(s) {missing}")
    return registry


def scale(value: float, unit: str) -> float:
    """Plain number from a registry value: '万' units ×10,000, '%' units ÷100 (→ fraction)."""
    unit = str(unit or "")
    if "万" in unit:
        return float(value) * 10_000
    if "%" in unit or "percent" in unit.lower():
        return float(value) / 100
    return float(value)


def find(
    registry: pd.DataFrame, what: str, ids: tuple[str, ...] = (), name: str | None = None,
    exclude: str | None = None, year: int | None = None, required: bool = True,
) -> pd.DataFrame:
    """Rows for one indicator: by id (any of ``ids``) or else all ids whose ``name_zh`` matches
    regex ``name`` (and not ``exclude``); optionally one ``year``. Sorted by plan line.

    Raises RegistryError (naming ``what``, the ids and the pattern) when nothing matches and
    ``required``."""
    reg = registry
    hit = reg[reg["indicator_id"].isin(ids)] if ids else reg.iloc[0:0]
    if hit.empty and name:
        names = reg["name_zh"].astype(str)
        ok = names.str.contains(name, regex=True)
        if exclude:
            ok &= ~names.str.contains(exclude, regex=True)
        hit = reg[reg["indicator_id"].isin(reg.loc[ok, "indicator_id"].unique())]
    if year is not None:
        hit = hit[pd.to_numeric(hit["year"], errors="coerce") == year]
    hit = hit[pd.to_numeric(hit["value"], errors="coerce").notna()]
    if hit.empty and required:
        raise RegistryError(
            f"plan registry has no value for {what} (indicator_id in {list(ids)}"
            + (f" or name_zh ~ {name!r}" if name else "")
            + (f", year {year}" if year is not None else "") + ")"
        )
    return hit.sort_values("line", kind="stable")


def value(registry: pd.DataFrame, what: str, **kw) -> tuple[float, str]:
    """The first (by plan line) value of an indicator, scaled to plain units, with a source
    string listing every line that states it."""
    hit = find(registry, what, **kw)
    first = hit.iloc[0]
    return scale(first["value"], first["unit"]), sources(hit)


def sources(hit: pd.DataFrame) -> str:
    """'plan <source> line N; …' for the rows of one indicator."""
    return "; ".join(f"plan {s} line {ln}" for s, ln in zip(hit["source"], hit["line"], strict=True))


def version(source: str) -> str:
    """Short name of where in the plan a value is stated: '专栏9', 'table', or the source."""
    s = str(source)
    m = re.search(r"专栏\s*\d+", s)
    if m:
        return m.group(0).replace(" ", "")
    if re.search(r"table|表", s, flags=re.IGNORECASE):
        return "table"
    return s
