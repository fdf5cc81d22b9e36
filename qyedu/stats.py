"""Summaries of Monte Carlo draws: mean and the 5th/50th/95th percentiles."""

from __future__ import annotations

import numpy as np
import pandas as pd

QUANTILES = {"p05": 0.05, "p50": 0.50, "p95": 0.95}
SUMMARY_COLUMNS = ["mean", "p05", "p50", "p95"]


def summarize(draws: np.ndarray, axis: int = 0) -> dict[str, np.ndarray]:
    """Mean and quantiles over ``axis`` (the draws axis). Linear interpolation, as numpy's default."""
    draws = np.asarray(draws, dtype=float)
    q = np.quantile(draws, list(QUANTILES.values()), axis=axis)
    out = {"mean": draws.mean(axis=axis)}
    out.update({k: q[i] for i, k in enumerate(QUANTILES)})
    return out


def summary_frame(draws: np.ndarray, index: pd.MultiIndex | pd.Index) -> pd.DataFrame:
    """Summarize draws of shape (D, *shape) into a long table with one row per cell of ``shape``.

    ``index`` must have ``prod(shape)`` entries in C order (e.g. from ``pd.MultiIndex.from_product``).
    """
    d = np.asarray(draws, dtype=float).reshape(draws.shape[0], -1)
    s = summarize(d, axis=0)
    return pd.DataFrame(s, index=index).reset_index()
