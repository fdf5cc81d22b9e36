"""The learned drift of the flow factors, applied in the Monte Carlo.

The calibration file (``projection.calibration_file``, written by ``qyedu validate``; see
``qyedu.validation.drift`` for the model) gives per level and lead the drift
d = α + β·x + ε of the log factor, with x the gap between the level's factor and its
neighbouring stage at the last observation, and ε's 5th/50th/95th percentiles. In the run a
factor observed last in year y is, in year y + h,

    f(y + h) = f(y) · exp(α_h + β_h·x + q50_h + s_h(z)·z),
    s(z) = (q50 − q05)/1.645 for z < 0,  (q95 − q50)/1.645 for z ≥ 0

(a split normal: median, 5th and 95th percentile of the factor are those of the residuals
learned on the panel, which are skewed), with one standard-normal z per draw and level; the z of the levels are correlated as the
panel's one-year-ahead errors are (``correlation_file``, written by ``qyedu validate``:
primary and junior errors are nearly uncorrelated, junior and senior strongly), so that sums
such as compulsory = primary + junior get the spread the panel supports. The file's
spread is smooth in the lead and already extended to lead 8 where the panel is too thin
(rows with n = 0 hold the last fitted lead's α, β); beyond the file's leads the centre is
held and the spread grows with √lead (``flow.drift_by_lead``).
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from ..errors import InputError
from ..labels import LEVELS
from .flow import drift_by_lead

Z95 = 1.6448536269514722  # standard-normal 95th percentile
CAL_REQUIRED = ("level", "lead", "model", "alpha", "beta", "resid_q05", "resid_q50",
                "resid_q95", "n", "areas")
DEFAULT_FILE = "params/calibration/flow_drift.csv"
# The neighbouring stage each level's gap x is measured against (``qyedu.validation.drift``).
REFERENCE = {"preschool": "primary", "junior_secondary": "primary",
             "senior_general": "junior_secondary", "senior_vocational": "junior_secondary"}


def calibration_path(path: str | Path | None = None) -> Path:
    p = Path(path or DEFAULT_FILE)
    return paths.resolve(p)


def read_calibration(path: str | Path, required, what: str) -> pd.DataFrame:
    """A calibration table written by ``qyedu validate`` (``#`` lines are the provenance
    header) with its ``required`` columns checked; cached while the file is unchanged (a
    copy is returned). ``what`` names the table in the error."""
    p = calibration_path(path)
    if not p.is_file():
        raise InputError(f"{what} file not found (run `qyedu validate`)", p)
    return _read(p, p.stat().st_mtime_ns, tuple(required)).copy()


@functools.lru_cache(maxsize=16)
def _read(p: Path, mtime_ns: int, required: tuple) -> pd.DataFrame:
    import io

    from ..observed.raw import utf8_text

    try:
        df = pd.read_csv(io.StringIO(utf8_text(p)), comment="#")
    except pd.errors.EmptyDataError:
        raise InputError(f"empty file (expected a header line with {', '.join(required)})",
                         p, 1) from None
    except pd.errors.ParserError as err:
        raise InputError(f"cannot be read as CSV: {err}", p) from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", p, 1)
    return df


def load_calibration(path: str | Path | None = None) -> pd.DataFrame:
    """The drift calibration table, with its levels and models checked."""
    p = calibration_path(path)
    df = read_calibration(p, CAL_REQUIRED, "drift calibration")
    bad = df[~df["level"].isin(LEVELS) | ~df["model"].isin(("gap", "own"))]
    if len(bad):
        raise InputError(f"unknown level/model {bad.iloc[0]['level']!r}/{bad.iloc[0]['model']!r}",
                         p, int(bad.index[0]) + 2)
    return df


def _contiguous(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows (indexed by lead) of leads 1, 2, … up to the first missing lead."""
    leads = rows.index.to_numpy()
    k = 0
    while k < len(leads) and leads[k] == k + 1:
        k += 1
    return rows.iloc[:k]


def level_drift(cal: pd.DataFrame, level: str, x, z) -> tuple[np.ndarray, np.ndarray]:
    """Median (D, H) and scale (D, H) of the log drift of ``level`` at leads 1…H for gaps
    ``x`` (shape (D,)) and normals ``z`` (D,) (the scale is the lower or upper half's, by
    the sign of z). The ``gap`` fit is used when every x is known and it is calibrated at
    lead 1, else the α-only ``own`` fit; H is that fit's last contiguous lead (later leads
    are extended by ``flow.drift_by_lead``, never by switching fits)."""
    x = np.atleast_1d(np.asarray(x, dtype=float))
    z = np.atleast_1d(np.asarray(z, dtype=float))
    c = cal[cal["level"] == level]
    gap = _contiguous(c[c["model"] == "gap"].set_index("lead").sort_index())
    own = _contiguous(c[c["model"] == "own"].set_index("lead").sort_index())
    use = gap if (len(gap) and np.isfinite(x).all()) else own
    xx = np.where(np.isfinite(x), x, 0.0)[:, None] if use is gap else 0.0
    if use.empty:
        return np.zeros((len(x), 0)), np.zeros((len(x), 0))
    a, b = use["alpha"].to_numpy()[None, :], use["beta"].to_numpy()[None, :]
    q05, q50, q95 = (use[k].to_numpy()[None, :] for k in ("resid_q05", "resid_q50", "resid_q95"))
    center = a + b * xx + q50
    sd = np.where(z[:, None] < 0, q50 - q05, q95 - q50) / Z95
    return np.broadcast_to(center, sd.shape).copy(), sd


CORR_FILE = "params/calibration/flow_correlation.csv"


def load_correlation(path: str | Path | None = None) -> np.ndarray:
    """Correlation (L, L) of the levels' drift normals; identity if the default file is
    absent (no ``qyedu validate`` yet). A path set to another file that does not exist is an
    error: a typo must not silently make the levels independent."""
    p = calibration_path(path or CORR_FILE)
    if not p.is_file():
        if path and p != calibration_path(CORR_FILE):
            raise InputError("correlation file not found (projection.correlation_file; leave "
                             f"it at {CORR_FILE} for the committed calibration)", p)
        return np.eye(len(LEVELS))
    df = read_calibration(p, ("level",), "correlation").set_index("level")
    try:
        r = df.loc[list(LEVELS), list(LEVELS)].to_numpy(dtype=float)
    except KeyError as err:
        raise InputError(f"correlation table must have rows and columns {', '.join(LEVELS)}",
                         p, 1) from err
    return r


def correlated_normals(rng, n: int, corr: np.ndarray) -> np.ndarray:
    """Standard normals (n, L) with correlation ``corr`` (Cholesky of the PSD matrix)."""
    return rng.standard_normal((n, corr.shape[0])) @ np.linalg.cholesky(corr).T


def drift_multiplier(years, last_observed, x, cal: pd.DataFrame, z) -> np.ndarray:
    """exp(drift) for every draw, school year and level, shape (D, Y, L): 1 up to each
    level's last observed year ``last_observed`` (L,), then the calibrated drift.

    ``x`` (D, L) gaps at the last observation (NaN where unknown); ``z`` normals, (D, L)
    (or (D,): one shared by all levels)."""
    years = np.asarray(years)
    z = np.asarray(z, dtype=float)
    if z.ndim == 1:
        z = np.repeat(z[:, None], len(LEVELS), axis=1)
    x = np.asarray(x, dtype=float)
    out = np.empty((z.shape[0], len(years), len(LEVELS)))
    for i, lv in enumerate(LEVELS):
        lead = years - int(last_observed[i])
        if lead.max() <= 0:
            out[:, :, i] = 1.0
            continue
        center, sd = level_drift(cal, lv, x[:, i], z[:, i])
        c, s = drift_by_lead(center, sd, int(lead.max()))
        idx = np.clip(lead, 0, None)
        out[:, :, i] = np.exp(c[:, idx] + s[:, idx] * z[:, i:i + 1])
    return out
