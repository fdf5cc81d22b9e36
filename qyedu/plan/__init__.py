"""``qyedu.plan``: the plan text → a clean, audited indicator registry.

Reads the Word export of the 清远市教育事业发展“十四五”规划 (``data/raw``), removes the
export noise (:mod:`.text`), parses the three indicator tables (:mod:`.table_parse`) and the
quantitative statements of the prose and 专栏 boxes (:mod:`.prose`, :mod:`.patterns`),
parses every printed number once (:mod:`.numbers`: 以上 → ``ge``, 不超过 → ``le``,
约/左右 → ``approx``, 万 → ×10000; a range "3-5所" gives two rows, ``ge`` 3 and ``le`` 5)
and audits the result with general rules (:mod:`.audit`).

Outputs (see :func:`tables`): ``plan_indicators.csv`` (one row per indicator × year × kind ×
source statement) and ``plan_flags.csv`` (inconsistencies found in the text itself).
Bad input (missing, truncated, non-UTF-8 file, a table of the wrong shape, a statement
that no longer parses) raises :class:`qyedu.errors.InputError` naming file, line and the
part expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError
from . import names
from .prose import ProseResult, extract
from .sections import Layout, layout
from .table_parse import Table, parse_tables, table_records
from .text import PlanText, read_plan

__all__ = ["COLUMNS", "PlanText", "audit", "load_indicators", "parse", "read_plan", "tables"]

COLUMNS = ["indicator_id", "name_zh", "name_en", "level", "unit", "year", "kind", "value",
           "bound", "source", "line", "text", "group_zh"]
SORT = ["indicator_id", "kind", "year", "source", "line", "bound", "value"]


@dataclass
class Analysis:
    """Everything parsed from one plan text (shared by :func:`parse` and :func:`audit`)."""

    plan: PlanText
    layout: Layout
    tables: dict[str, Table]
    prose: ProseResult
    indicators: pd.DataFrame


def analyse(plan: PlanText) -> Analysis:
    """Parse a cleaned plan text into layout, tables, prose statements and the registry."""
    lay = layout(plan)
    tabs = parse_tables(plan, lay)
    prose = extract(plan, lay)
    records = table_records(plan, tabs) + prose.records
    df = pd.DataFrame.from_records(records)
    missing = [i for i in names.REQUIRED if i not in set(df["indicator_id"])]
    if missing:
        raise InputError(f"required indicator(s) not found in the plan: {missing}", plan.path)
    unknown = sorted(set(df["indicator_id"]) - set(names.NAMES))
    if unknown:  # a registry bug, not bad input
        raise KeyError(f"indicator ids without an English name in names.py: {unknown}")
    df["name_en"] = df["indicator_id"].map(names.english)
    df["level"] = df["indicator_id"].map(names.level)
    df["year"] = df["year"].astype("int64")
    df["line"] = df["line"].astype("int64")
    df["value"] = df["value"].astype("float64")
    df = df[COLUMNS].sort_values(SORT, kind="mergesort").reset_index(drop=True)
    return Analysis(plan, lay, tabs, prose, df)


def parse(plan_path: str | Path | None = None) -> pd.DataFrame:
    """The indicator registry parsed from the plan.

    Parameters
    ----------
    plan_path : str or Path, optional
        Plan text; default :func:`qyedu.paths.plan_file`.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`, sorted deterministically.

    Raises
    ------
    InputError
        Missing/garbled/truncated file or a part of the document that no longer parses.
    """
    return analyse(read_plan(plan_path)).indicators


def audit(indicators: pd.DataFrame, cleaned: PlanText) -> pd.DataFrame:
    """Flags for every inconsistency the rules of :mod:`qyedu.plan.audit` detect.

    Parameters
    ----------
    indicators : DataFrame
        The registry (:func:`parse`) of ``cleaned``.
    cleaned : PlanText
        The cleaned plan (:func:`read_plan`), for table layout, growth cells and noise.

    Returns
    -------
    DataFrame
        ``flag_id, severity, indicator_id, line, message``, sorted by ``flag_id``.
    """
    from .audit import run_rules

    return run_rules(indicators, analyse(cleaned))


def tables(plan_path: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """``{"plan_indicators.csv": registry, "plan_flags.csv": flags}`` for ``qyedu.build``."""
    from .audit import run_rules

    result = analyse(read_plan(plan_path))
    return {"plan_indicators.csv": result.indicators,
            "plan_flags.csv": run_rules(result.indicators, result)}


def load_indicators(plan_path: str | Path | None = None) -> pd.DataFrame:
    """Convenience: the indicator registry (same as :func:`parse`)."""
    return parse(plan_path)
