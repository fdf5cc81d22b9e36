"""Places built and idle, on draws. Pure functions of arrays (no I/O).

- ``build_schedule``: places to build each year so that capacity follows the running peak of
  need above the base year: built(t) = max(0, cummax(need)(t) − cummax(need)(t−1)) with need =
  places needed(t) − places needed(base). Places are never demolished, so after the peak the
  built stock exceeds need: idle(t) = cummax(need)(t) − max(need(t), 0).
- ``promise_schedule``: a promise delivered in equal parts over the plan's years (base+1 …
  target year), and the promised places idle in year t = built so far − max(need(t), 0),
  clipped to [0, built so far].
"""

from __future__ import annotations

import numpy as np


def build_schedule(needed: np.ndarray, base: int) -> dict[str, np.ndarray]:
    """Places built and idle for the years after index ``base``.

    needed : places needed, shape (D, Y, ...); base : index of the base year.
    Returns ``built``, ``built_cumulative``, ``idle``, each (D, Y − base − 1, ...).
    Need 0, 10, 30, 20 (base = first) → built 10, 20, 0; idle 0, 0, 10.
    """
    n = np.asarray(needed, dtype=float)
    need = n[:, base + 1:] - n[:, base:base + 1]
    peak = np.maximum.accumulate(np.clip(need, 0, None), axis=1)
    built = np.diff(peak, axis=1, prepend=0.0)
    return {"built": built, "built_cumulative": peak,
            "idle": peak - np.clip(need, 0, None)}


def promise_schedule(promised: np.ndarray | float, years: np.ndarray, base_year: int,
                     target_year: int, need: np.ndarray) -> dict[str, np.ndarray]:
    """Promise delivered evenly over base_year+1 … target_year.

    promised : places (scalar or (D,)); years : the Y years after the base year; need : places
    needed above the base year, (D, Y). Returns ``built``, ``built_cumulative``, ``idle`` (D, Y).
    50,000 over 2021-2025 → 10,000 a year."""
    p = np.asarray(promised, dtype=float).reshape(-1, 1)
    yrs = np.asarray(years)
    n_years = target_year - base_year
    per_year = np.where((yrs > base_year) & (yrs <= target_year), 1.0 / n_years, 0.0)
    built = p * per_year[None, :]
    cum = np.cumsum(built, axis=1)
    idle = np.clip(cum - np.clip(need, 0, None), 0, None)
    shape = np.broadcast_shapes(built.shape, need.shape)
    return {"built": np.broadcast_to(built, shape), "built_cumulative": np.broadcast_to(cum, shape),
            "idle": idle}
