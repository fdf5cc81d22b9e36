"""Turn draws into the long tidy rows shared by the places and teachers tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..stats import SUMMARY_COLUMNS, summarize


def rows(
    draws: np.ndarray, years, county: str | list[str], level: str, quantity: str,
    scenario: str, **extra: object,
) -> pd.DataFrame:
    """Summarize draws of shape (D, Y) (one county) or (D, Y, C) into tidy rows.

    Parameters
    ----------
    draws : array (D, Y) or (D, Y, C), any unit (pupils, classes, teachers …).
    years : the Y school years (starting calendar year).
    county : one name, or the C names when ``draws`` has a county axis.
    level, quantity, scenario : key columns; ``extra`` adds constant columns (basis, rule …).
    """
    d = np.asarray(draws, dtype=float)
    if d.ndim == 2:
        d = d[:, :, None]
        county = [county] if isinstance(county, str) else county
    s = summarize(d, axis=0)
    yy, cc = np.meshgrid(np.asarray(years), np.asarray(county, dtype=object), indexing="ij")
    n = yy.size
    # one constructor call (column by column assignment costs ~1 ms a table, ×10⁴ in a sweep)
    cols: dict[str, object] = {"year": yy.ravel().astype(int), "level": [level] * n,
                               "county": cc.ravel(), "scenario": [scenario] * n,
                               "quantity": [quantity] * n}
    cols.update({k: s[k].ravel() for k in SUMMARY_COLUMNS})
    cols.update({k: [v] * n for k, v in extra.items()})
    return pd.DataFrame(cols)


def constant_rows(value: float, **keys: object) -> pd.DataFrame:
    """One row whose mean and quantiles all equal a known (non-random) value."""
    row = dict(keys)
    row.update({k: float(value) for k in SUMMARY_COLUMNS})
    return pd.DataFrame([row])


def with_city(arr: np.ndarray, counties: tuple[str, ...], city: str) -> tuple[np.ndarray, list]:
    """Prepend the city total (sum over the last axis) to an array (…, C)."""
    return np.concatenate([arr.sum(axis=-1, keepdims=True), arr], axis=-1), [city, *counties]
