"""Hiring need per year on draws: growth plus replacement of leavers.

``hires = max(0, demand(y) − stock(y−1)) + attrition × stock(y−1)``; after the baseline year
the stock is taken to follow demand (stock(y) = demand(y)), so the first term is the change
in demand. ``hires_net = max(0, demand(y) − (1 − attrition) × stock(y−1))`` does not replace
leavers when demand falls (a lower variant). Cities sum their counties' hires."""

from __future__ import annotations

import numpy as np


def hiring(demand: np.ndarray, stock0: np.ndarray, attrition: float) -> dict[str, np.ndarray]:
    """Hires for the years after the baseline.

    Parameters
    ----------
    demand : teachers needed, shape (D, Y, ...), first year = baseline year.
    stock0 : teachers in post at the baseline, shape (D, ...).
    attrition : share of teachers leaving per year.

    Returns arrays of shape (D, Y−1, ...): ``hires``, ``hires_net``, ``leavers``, ``stock_prev``.
    Example: demand 100 → 110, attrition 3 %: hires = 10 + 3 = 13.
    """
    d = np.asarray(demand, dtype=float)
    prev = np.concatenate([np.asarray(stock0, dtype=float)[:, None], d[:, 1:-1]], axis=1)
    cur = d[:, 1:]
    leavers = attrition * prev
    return {
        "hires": np.clip(cur - prev, 0, None) + leavers,
        "hires_net": np.clip(cur - prev + leavers, 0, None),
        "leavers": leavers,
        "stock_prev": prev,
    }
