"""Gap-filling rules shared by the births reconstruction.

Between two known years a series is interpolated (linearly, or log-linearly — constant
growth rate — for counts and rates that change multiplicatively); outside the known years
it is held at the nearest known value. Each filled value is labelled ``observed``,
``interpolated`` or ``extrapolated`` so that every table can say how it was obtained.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

OBSERVED, INTERPOLATED, EXTRAPOLATED = "observed", "interpolated", "extrapolated"


def fill(years, known: pd.Series, log: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Values of ``known`` (indexed by year) at every year of ``years``.

    Parameters
    ----------
    years : calendar years wanted, increasing.
    known : known values by year (any unit); at least one.
    log : interpolate log-linearly (constant annual growth between known years).

    Returns
    -------
    values : float array, same length as ``years``.
    kind : array of ``observed`` / ``interpolated`` / ``extrapolated`` labels.
    """
    years = np.asarray(years, dtype=float)
    known = known.dropna().sort_index()
    if known.empty:
        raise ValueError("fill() needs at least one known value")
    kx = known.index.to_numpy(dtype=float)
    ky = known.to_numpy(dtype=float)
    if log:
        values = np.exp(np.interp(years, kx, np.log(ky)))
    else:
        values = np.interp(years, kx, ky)  # np.interp holds the end values outside
    values = np.where(years < kx[0], ky[0], np.where(years > kx[-1], ky[-1], values))
    hit = np.isin(years, kx)
    values[hit] = ky[np.searchsorted(kx, years[hit])]  # exact at known years (no exp/log noise)
    kind = np.where(hit, OBSERVED,
                    np.where((years > kx[0]) & (years < kx[-1]), INTERPOLATED, EXTRAPOLATED))
    return values, kind
