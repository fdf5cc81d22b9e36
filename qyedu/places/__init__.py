"""School places a planner can site and fund: places needed by level, county and year with
county shares that drift; a capacity inventory (baseline with overcrowding + places delivered
and planned); shortages per county without netting; overcrowding; public / private; and the
plan's promises — all on the projection's Monte Carlo draws.

Modules: ``standards`` (class sizes + sources), ``classes`` (rounding, kindergarten age
groups), ``pipeline`` (places delivered/planned per vintage, delays), ``capacity``
(baseline inventory), ``counties`` (drifting county shares, capacity by county), ``public``
(public/private shares, policy scenario, netting rules), ``model`` (all arrays of a run),
``demand`` (places_demand rows), ``promises`` (places_promises rows), ``answers`` (the three
answers side by side: places_answers rows), ``plan_lookup`` (look-ups in the plan registry),
``tidy``. Details: docs/PLACES.md.
"""

from __future__ import annotations

import pandas as pd

from ..params import RunParams
from ..projection.result import ProjectionResult
from . import plan_lookup as reg
from .answers import answer_rows
from .capacity import capacity_paths
from .demand import demand_table
from .model import PlacesModel, compute
from .promises import analyse, promise_rows
from .public import public_share
from .siting import siting_rows
from .standards import class_sizes

__all__ = ["PlacesModel", "analyse", "capacity_paths", "class_sizes", "compute",
           "demand_table", "tables"]


def tables(
    result: ProjectionResult, rp: RunParams, registry: pd.DataFrame,
    model: PlacesModel | None = None,
) -> dict[str, pd.DataFrame]:
    """``places_demand.csv``, ``places_promises.csv`` and ``places_answers.csv``.

    ``registry`` is the plan registry (the plan stage's ``plan_indicators.csv``);
    it supplies the promises, the 2020 preschool enrolment and public share. ``model`` is
    ``compute(result, rp, registry)`` when the caller already has it (the Workbench)."""
    registry = reg.load_registry(registry)
    m = model if model is not None else compute(result, rp, registry)
    by_group = {g: m.pupils[g].sum(axis=2) for g in ("preschool", "senior_general")}
    by_group["compulsory"] = [m.pupils[lv].sum(axis=2) for lv in ("primary", "junior_secondary")]
    shares = {g: public_share(rp.places, registry, g, m.years, rp.places.promise_base_year)
              for g in by_group}
    promises = promise_rows(result, rp, registry, by_group, shares)
    answers = pd.concat([answer_rows(m, rp, registry), siting_rows(result, rp, registry, m)],
                        ignore_index=True)
    return {"places_demand.csv": demand_table(m), "places_promises.csv": promises,
            "places_answers.csv": answers}
