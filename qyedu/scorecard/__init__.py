"""Target scorecard: every distinct target of the plan registry judged against published
observations (data/raw/observed) or, before its year, the projection. Parameters:
``ScorecardParams`` (rules.py); the rule itself: judge.py.

Status rule: a target whose year is ≤ ``evaluation_year`` (default 2026) is ``met``/``missed``
on the observation for its year (else the latest later one): ge ≥, le ≤, eq within 0.5 %
(rates) or exactly (counts), approx within ±10 %. With only earlier observations it gets the
interim path status ``on_track``/``at_risk`` (basis ``observed_path``; a switch makes that a
verdict). A future target is ``on_track``/``at_risk`` from the latest observation against the
linear path baseline → target (against the target itself when the baseline already meets it,
a "maintain" target), else from the projected p50 for its year (basis ``projection``, used only
if the projection varies across draws and reproduces the plan's baseline). Cumulative targets
(新增/增加/新建, ``new_`` ids, places) sum annual observations from ``plan_start`` (a ``ge``
total already reached is ``met``; a gap in the years → ``no_data``). Ranges: each bound
judged separately. Nothing to judge on → ``no_data``.

Direction (rules.judged_bound): a bare table number is read from its wording elsewhere and
its baseline (floor at/above the baseline, ceiling for consolidation below it; 约/左右 below
the baseline = ceiling). Never ``on_track`` after the target year. Places promises without a
settling observation are judged on delivered + planned places (places.csv; pipeline_places).

Observations also come from a filled scorecard template (template.py: ``qyedu scorecard
--template``), validated with every problem listed by file, row and column; its cumulative
values are running totals. Apart from this observed status, the targets the model computes get
a projected status with P(met) in columns of their own (projected_status.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .observations import load_observed, read_file
from .projected import projected_values
from .projected_status import PROJECTED_STATUSES, is_projected, judged_counts, projected_status
from .rules import STATUSES, ScorecardParams
from .summary import status_counts
from .table import COLUMNS, is_cumulative, scorecard

__all__ = ["COLUMNS", "PROJECTED_STATUSES", "STATUSES", "ScorecardParams", "is_cumulative", "is_projected",
           "judged_counts", "load_observed", "projected_status", "projected_values", "read_file",
           "scorecard", "status_counts", "tables"]


def tables(indicators: pd.DataFrame, result, rp=None, observed_dir: str | Path | None = None,
           places_tables: dict | None = None, teacher_tables: dict | None = None,
           ) -> dict[str, pd.DataFrame]:
    """``{"scorecard.csv": table}`` from the registry, a ProjectionResult (or None) and the
    observation files (default data/raw/observed), judged under ``rp.scorecard`` (RunParams;
    defaults when None). The places and teacher tables of the same run (optional) add the
    projection-judged status of the targets the model computes (projected_status.py), in
    columns of their own."""
    from .pipeline_places import pipeline_by_promise

    sp = rp.scorecard if rp is not None else None
    observed = load_observed(indicators, observed_dir, sp)
    pipe = pipeline_by_promise(rp.places if rp is not None else None)
    card = scorecard(indicators, observed, projected_values(result), sp, pipe)
    extra = projected_status(card, result, places_tables, teacher_tables, sp)
    return {"scorecard.csv": pd.concat([card, extra], axis=1)}
