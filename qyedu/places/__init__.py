"""School places: classes and places needed at the published class sizes, capacity from
places delivered and planned, gaps, and the plan's places promises, all on Monte Carlo draws.

Modules: ``standards`` (class sizes + sources), ``classes`` (rounding, kindergarten age
groups), ``capacity`` (baseline + delivered + planned places), ``demand`` (places_demand
rows), ``promises`` (places_promises rows), ``plan_lookup`` (look-ups in the plan registry), ``tidy``.
"""

from __future__ import annotations

import pandas as pd

from ..params import RunParams
from ..projection.result import ProjectionResult
from . import plan_lookup as reg
from .capacity import capacity_paths
from .demand import demand_table, level_arrays, public_shares
from .promises import analyse, promise_rows
from .standards import class_sizes

__all__ = ["analyse", "capacity_paths", "class_sizes", "demand_table", "tables"]


def tables(
    result: ProjectionResult, rp: RunParams, registry: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """``places_demand.csv`` and ``places_promises.csv`` for a projection run.

    ``registry`` is the plan registry (the plan stage's ``plan_indicators.csv``);
    it supplies the promises, the 2020 preschool enrolment and the school counts."""
    registry = reg.load_registry(registry)
    horizon = int(max(result.years))
    cap = capacity_paths(rp.places, registry, horizon)
    demand = demand_table(result, rp, registry, capacity=cap)
    pupils, _, _ = level_arrays(result, rp.places, class_sizes(rp.places))
    by_group = {g: pupils[g].sum(axis=2) for g in ("preschool", "compulsory", "senior_general")}
    promises = promise_rows(result, rp, registry, by_group, public_shares(rp.places, registry))
    return {"places_demand.csv": demand, "places_promises.csv": promises}
