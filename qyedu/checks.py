"""Consistency checks run on every build (not only in tests): no negative counts, ordered
quantiles, unique keys. A failed check stops the build before anything is written."""

from __future__ import annotations

import pandas as pd

from .errors import QyeduError

KEY_CANDIDATES = ["indicator_id", "flag_id", "year", "target_year", "level", "county",
                  "scenario", "quantity", "kind", "bound", "promise", "qualification", "version",
                  "rule", "staff_type", "horizon", "origin", "method", "series"]


# Natural keys of the processed tables; a table not listed is keyed by the key-like columns
# it has (KEY_CANDIDATES). The plan states some targets twice (e.g. a repeated table row,
# flagged by the audit), hence ``line`` in its key; the scorecard keeps conflicting targets
# of one indicator side by side, hence ``target``.
TABLE_KEYS = {
    "plan_indicators.csv": ["indicator_id", "year", "kind", "bound", "source", "line"],
    "plan_flags.csv": ["flag_id"],
    "scorecard.csv": ["indicator_id", "target_year", "bound", "target"],
    "place_plan.csv": ["county", "level", "year", "strategy", "form"],
    "enrolment_by_grade.csv": ["year", "stage", "scenario"],
    "structural_choices.csv": ["promise", "choice", "scenario"],
    "honest_accuracy.csv": ["sample", "info", "level", "lead", "method"],
    "honest_senior_accuracy.csv": ["sample", "info", "level", "lead", "method"],
    "honest_held_out.csv": ["method", "info", "area", "level", "target_year"],
    "command_check.csv": ["file", "area", "level", "year"],
    "forecast_register.csv": ["area", "level", "year"],
    "honest_paired.csv": ["sample", "info", "level", "lead", "method", "versus"],
}


class CheckError(QyeduError):
    """A processed table failed a consistency check."""


def check_quantiles(name: str, df: pd.DataFrame) -> list[str]:
    """p05 ≤ p50 ≤ p95 wherever the three columns exist (small tolerance for float noise)."""
    if not {"p05", "p50", "p95"} <= set(df.columns):
        return []
    bad = df[(df["p05"] > df["p50"] + 1e-9) | (df["p50"] > df["p95"] + 1e-9)]
    return [f"{name}: {len(bad)} rows with p05 > p50 or p50 > p95"] if len(bad) else []


def check_non_negative(name: str, df: pd.DataFrame) -> list[str]:
    """Counts of pupils, places, classes, teachers are never negative (gaps may be)."""
    problems = []
    if "quantity" not in df.columns:
        return problems
    counts = df[df["quantity"].astype(str).str.match(
        r"^(enrolled|births|population_age_group|places_needed|classes_needed|staff_needed|teachers_needed)$"
    )]
    for col in ("mean", "p05", "p50", "p95", "value"):
        if col in counts.columns and (counts[col] < 0).any():
            problems.append(f"{name}: negative values in column {col}")
    return problems


def check_unique_keys(name: str, df: pd.DataFrame) -> list[str]:
    """No duplicate rows over the table's key columns (all key-like columns present)."""
    keys = TABLE_KEYS.get(name) or [c for c in KEY_CANDIDATES if c in df.columns]
    if not keys or df.empty:
        return []
    dup = df.duplicated(subset=keys, keep=False)
    return [f"{name}: {int(dup.sum())} rows share the same key {keys}"] if dup.any() else []


def check_tables(tables: dict[str, pd.DataFrame]) -> None:
    """Run every check on every table; raise CheckError listing all problems at once."""
    problems: list[str] = []
    for name, df in tables.items():
        if df is None or df.empty:
            problems.append(f"{name}: empty table")
            continue
        problems += check_quantiles(name, df)
        problems += check_non_negative(name, df)
        problems += check_unique_keys(name, df)
    if problems:
        raise CheckError("consistency checks failed:\n  - " + "\n  - ".join(problems))
