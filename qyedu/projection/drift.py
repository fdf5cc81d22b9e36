"""The learned drift of the flow factors, applied in the Monte Carlo.

The calibration file (``projection.calibration_file``, written by ``qyedu validate``; see
``qyedu.validation.drift`` for the model) gives per level and lead the drift
d = α + β·x + ε of the log factor, with x the gap between the level's factor and its
neighbouring stage at the last observation, and ε's 5th/50th/95th percentiles. In the run a
factor observed last in year y is, in year y + h,

    f(y + h) = f(y) · exp(α_h + β_h·x + q50_h + s_h(z)·z),
    s(z) = (q50 − q05)/1.645 for z < 0,  (q95 − q50)/1.645 for z ≥ 0

(a split normal: median, 5th and 95th percentile of the factor are those of the residuals
learned on the panel, which are skewed), with one standard-normal z per draw (shared by the levels: the panel errors of neighbouring
levels move together, and a shared z keeps sums such as compulsory = primary + junior from
looking more certain than their parts). Beyond the calibrated leads the centre is held and the
spread grows with √lead (``flow.drift_by_lead``).
"""

from __future__ import annotations

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
    return p if p.is_absolute() else paths.root() / p


def load_calibration(path: str | Path | None = None) -> pd.DataFrame:
    """The drift calibration table (``#`` lines are the provenance header)."""
    p = calibration_path(path)
    if not p.is_file():
        raise InputError("drift calibration file not found (run `qyedu validate`)", p)
    df = pd.read_csv(p, comment="#")
    missing = [c for c in CAL_REQUIRED if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", p, 1)
    bad = df[~df["level"].isin(LEVELS) | ~df["model"].isin(("gap", "own"))]
    if len(bad):
        raise InputError(f"unknown level/model {bad.iloc[0]['level']!r}/{bad.iloc[0]['model']!r}",
                         p, int(bad.index[0]) + 2)
    return df


def level_drift(cal: pd.DataFrame, level: str, x, z) -> tuple[np.ndarray, np.ndarray]:
    """Median (D, H) and scale (D, H) of the log drift of ``level`` at leads 1…H for gaps
    ``x`` (shape (D,); NaN → the α-only fit) and normals ``z`` (D,) (the scale is the lower
    or upper half's, by the sign of z). H is the last lead calibrated for the level."""
    z = np.atleast_1d(np.asarray(z, dtype=float))
    x = np.atleast_1d(np.asarray(x, dtype=float))
    c = cal[cal["level"] == level]
    own = c[c["model"] == "own"].set_index("lead").sort_index()
    gap = c[c["model"] == "gap"].set_index("lead")
    if own.empty:
        return np.zeros((len(x), 0)), np.zeros((len(x), 0))
    leads = own.index.to_numpy()
    if not np.array_equal(leads, np.arange(1, len(leads) + 1)):
        leads = leads[: np.argmax(np.diff(np.r_[0, leads]) != 1) or len(leads)]
        own = own.loc[leads]
    center = np.empty((len(x), len(leads)))
    sd = np.empty_like(center)
    for j, h in enumerate(leads):
        use_gap = np.isfinite(x) & (h in gap.index)
        for model, rows in (("own", ~use_gap), ("gap", use_gap)):
            if not rows.any():
                continue
            r = (gap if model == "gap" else own).loc[h]
            xx = np.where(np.isfinite(x), x, 0.0)[rows] if model == "gap" else 0.0
            center[rows, j] = r["alpha"] + r["beta"] * xx + r["resid_q50"]
            sd[rows, j] = np.where(z[rows] < 0, r["resid_q50"] - r["resid_q05"],
                                   r["resid_q95"] - r["resid_q50"]) / Z95
    return center, sd


def drift_multiplier(years, last_observed, x, cal: pd.DataFrame, z) -> np.ndarray:
    """exp(drift) for every draw, school year and level, shape (D, Y, L): 1 up to each
    level's last observed year ``last_observed`` (L,), then the calibrated drift.

    ``x`` (D, L) gaps at the last observation (NaN where unknown); ``z`` (D,) normals."""
    years = np.asarray(years)
    z = np.asarray(z, dtype=float)
    x = np.asarray(x, dtype=float)
    out = np.ones((len(z), len(years), len(LEVELS)))
    for i, lv in enumerate(LEVELS):
        lead = years - int(last_observed[i])
        if lead.max() <= 0:
            continue
        center, sd = level_drift(cal, lv, x[:, i], z)
        c, s = drift_by_lead(center, sd, int(lead.max()))
        idx = np.clip(lead, 0, None)
        out[:, :, i] = np.exp(c[:, idx] + s[:, idx] * z[:, None])
    return out
