"""The grade flow's calibrated band: a per-level log multiplicative error by lead, topped up
to the split-conformal band of the flow's own honest residuals.

The flow's draws already carry births and ratio-drift uncertainty, but its p05–p95 covers
far fewer outturns than 90 % in the honest back-test (issue 18). The band file (written by
``qyedu validate``, ``qyedu.validation.flow_band``) gives per level and lead h the 5th/95th
percentiles q05_h, q95_h of the residuals log(outturn / p50) of the grade flow on other
areas' forecasts whose outturns were known — each lead's own quantiles where it has enough
residuals, at the adaptive miss level of ``validation.adaptive_band`` (column ``alpha``), a
c·h^k curve or linear growth beyond (``validation.spread.band_quantiles``). The target half-widths about the flow's
median are t_lo = max(−q05, 0) and t_up = max(q95, 0); the flow's own half-widths o (the
log distance of its draws' p05 and p95 from their p50, per year) are topped up by

    s = √max(t² − o², 0) / 1.645   (lower or upper half by the sign of z),

each draw's level multiplied by exp(s(z)·z) with one standard normal z per draw and level
(the levels' z correlated as their residuals are, the table's ``rho``), the same in every
year, so a path is coherent across years (as ``drift`` does). The topped-up draws are then
mapped, per year, by a monotone piecewise-linear map in logs (``onto_band``) that sends
their 5th/50th/95th percentiles to p50·exp(−max(o, t_lo)), p50, p50·exp(max(o, t_up)):
the flow's p50 is not moved (no bias correction) and the band is exactly the design's
(``banded_quantiles``). The earlier re-centring on the median alone pulled the widened
side of an asymmetric top-up back in (junior lead 5 on the back-test: 76 % inside against
90 % by the closed form). Where the flow's own band is already as wide as the residuals'
(o ≥ t) nothing is added. A table has rows only for the levels the back-test calibrates
(primary and junior today); the others keep the drift prior's spread.

One function (``band_multiplier``) serves the published run (``montecarlo.run``) and the
back-test's method (``validation.gradeflow_method``); only the table differs: in the
back-test it is fitted at each origin T on residuals known at T.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .drift import Z95, read_calibration

BAND_REQUIRED = ("level", "lead", "resid_q05", "resid_q50", "resid_q95")
SEED_TAG = 1819  # the band's normals come from a generator of their own


def load_band(path: str | Path | None) -> pd.DataFrame:
    """The band table (``#`` lines are the provenance header); an empty path means no band
    (an empty table). Cached while the file is unchanged (a copy is returned)."""
    if not path:
        return pd.DataFrame(columns=list(BAND_REQUIRED))
    return read_calibration(path, BAND_REQUIRED, "grade-flow band")


def target_sides(table: pd.DataFrame, level: str, lead) -> tuple[np.ndarray, np.ndarray]:
    """(t_lo, t_up) (Y,) of ``level`` at leads ``lead``: 0 at lead ≤ 0; beyond the table's
    last lead the last row's (held: the table is already extended by the c·h^k curve)."""
    lead = np.asarray(lead, dtype=int)
    t = table[table["level"] == level].sort_values("lead")
    lo, up = np.zeros(len(lead)), np.zeros(len(lead))
    if t.empty:
        return lo, up
    h = t["lead"].to_numpy(dtype=int)
    ix = np.clip(np.searchsorted(h, lead), 0, len(h) - 1)
    pos = lead > 0
    lo[pos] = np.maximum(-t["resid_q05"].to_numpy(dtype=float)[ix[pos]], 0.0)
    up[pos] = np.maximum(t["resid_q95"].to_numpy(dtype=float)[ix[pos]], 0.0)
    return lo, up


def top_up(own, target) -> np.ndarray:
    """Standard deviation of the added log error that brings a half-width ``own`` to
    ``target`` (both log distances of the 5th/95th percentile from the median)."""
    own, target = np.asarray(own, dtype=float), np.asarray(target, dtype=float)
    return np.sqrt(np.maximum(target ** 2 - np.nan_to_num(own) ** 2, 0.0)) / Z95


def band_multiplier(draws: np.ndarray, lead, table: pd.DataFrame, level: str,
                    z: np.ndarray) -> np.ndarray:
    """Multipliers (D, Y) for ``draws`` (D, Y) of ``level`` at leads ``lead`` (Y,): exp(s·z)
    with s the top-up of the draws' own half-widths to the table's (module docstring) and
    ``z`` (D,) one normal per draw. 1 where the lead ≤ 0 or the draws are not finite."""
    d = np.asarray(draws, dtype=float)
    z = np.asarray(z, dtype=float)
    t_lo, t_up = target_sides(table, level, lead)
    with np.errstate(divide="ignore", invalid="ignore"):
        q05, q50, q95 = np.log(np.quantile(d, [0.05, 0.5, 0.95], axis=0))
    s_lo, s_up = top_up(q50 - q05, t_lo), top_up(q95 - q50, t_up)
    s = np.where(z[:, None] < 0, s_lo[None, :], s_up[None, :])
    m = np.where(np.isfinite(d), np.exp(s * z[:, None]), 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.log(d * m)
        mapped = onto_band(y, q50 - np.maximum(q50 - q05, t_lo), q50,
                           q50 + np.maximum(q95 - q50, t_up))
        m = np.exp(mapped) / d
    m[:, np.asarray(lead) <= 0] = 1.0
    return np.where(np.isfinite(m) & np.isfinite(d) & (m > 0), m, 1.0)


def onto_band(y: np.ndarray, lo, mid, up) -> np.ndarray:
    """``y`` (D, Y: log draws after the top-up) mapped, per year, by the monotone
    piecewise-linear map that sends its 5th/50th/95th percentiles to ``lo``/``mid``/``up``
    (Y,) — so the banded draws' p05/p50/p95 are exactly the design's (``banded_quantiles``)
    whatever the skew of the top-up. Without it an asymmetric top-up moved the median and
    re-centring it pulled the widened side back in (junior lead 5 on the back-test: 76 %
    inside, against 90 % for the design). A year whose spread is zero on a side keeps it."""
    a05, a50, a95 = np.quantile(y, [0.05, 0.5, 0.95], axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        k_lo = np.where(a50 - a05 > 0, (mid - lo) / (a50 - a05), 1.0)
        k_up = np.where(a95 - a50 > 0, (up - mid) / (a95 - a50), 1.0)
    k = np.where(y <= a50[None, :], k_lo[None, :], k_up[None, :])
    out = mid[None, :] + (y - a50[None, :]) * k
    return np.where(np.isfinite(out), out, y)


def band_normals(seed: int, n: int, k: int, rho: float = 0.0) -> np.ndarray:
    """Standard normals (n, k): one per draw and banded level, pairwise correlated ``rho``
    (the table's ``band_rho``), from a generator of their own so the flow's other draws stay
    as they were."""
    e = np.random.default_rng([seed, SEED_TAG]).standard_normal((n, k))
    if k < 2 or rho == 0:
        return e
    corr = np.full((k, k), float(rho))
    np.fill_diagonal(corr, 1.0)
    return e @ np.linalg.cholesky(corr).T


def band_rho(table: pd.DataFrame) -> float:
    """The correlation of the levels' band normals the table carries (0 if none)."""
    if "rho" not in table or table.empty:
        return 0.0
    r = float(table["rho"].iloc[0])
    return min(max(r, 0.0), 0.99) if np.isfinite(r) else 0.0


def banded_quantiles(p05, p50, p95, lead, table: pd.DataFrame, level: str):
    """Closed form of the band on quantiles: p50·exp(∓max(o, t)) — what ``band_multiplier``
    gives for a log-normal-like flow spread (used to check it, not by the back-test)."""
    p05, p50, p95 = (np.asarray(v, dtype=float) for v in (p05, p50, p95))
    t_lo, t_up = target_sides(table, level, lead)
    lo = np.maximum(np.log(p50 / p05), t_lo)
    up = np.maximum(np.log(p95 / p50), t_up)
    return p50 * np.exp(-lo), p50, p50 * np.exp(up)
