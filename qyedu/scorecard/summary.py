"""Counts of targets by status and level, for the notebook's figure and the CLI."""

from __future__ import annotations

import pandas as pd

from .rules import STATUSES


def status_counts(scorecard: pd.DataFrame) -> pd.DataFrame:
    """Wide table: one row per level (sorted) plus ``all``; one column per status in the
    fixed order met, on_track, at_risk, missed, no_data; then ``total``."""
    levels = scorecard["level"].fillna("").astype(str)
    tab = pd.crosstab(levels, scorecard["status"]).reindex(columns=list(STATUSES), fill_value=0)
    tab = tab.sort_index()
    tab.loc["all"] = tab.sum(axis=0)
    tab["total"] = tab.sum(axis=1)
    tab.index.name, tab.columns.name = "level", None
    return tab.astype("int64").reset_index()
