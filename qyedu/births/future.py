"""Future births along a named path (low / medium / high, defined in params/births_paths.yaml
and loaded by ``qyedu.params.births_paths``), with a per-draw deviation."""

from __future__ import annotations

import numpy as np

from ..params.births_paths import (  # noqa: F401 (re-exported)
    PATHS_FILE,
    BirthsPath,
    BirthsPaths,
    load_paths,
    paths_file,
)


def future_births(last, n_years: int, path: BirthsPath, sd: float, rng) -> np.ndarray:
    """Births (persons) for years 1..n after the base year, shape (D, n).

    Each draw follows the path's annual change rates plus one persistent deviation
    ~ Normal(0, sd) drawn per draw (vectorised: no loop over draws).

    Parameters
    ----------
    last : births in the base year, shape (D,), persons.
    n_years : number of future years.
    path : the named path.
    sd : standard deviation of the per-draw rate deviation (fraction per year).
    rng : numpy Generator.
    """
    last = np.asarray(last, dtype=float)
    dev = rng.normal(0.0, sd, size=(len(last), 1)) if sd > 0 else np.zeros((len(last), 1))
    growth = np.clip(1 + path.rates(n_years)[None, :] + dev, 0.01, None)
    return last[:, None] * np.cumprod(growth, axis=1)
