"""Rolling-origin back-testing: forecast from each origin with only the data up to it, and
report the absolute percentage error (APE) by horizon, for a model and naive baselines.

A forecaster is ``f(history_years, history_values, target_years) -> forecasts``. Baselines:
``carry_forward`` (last value) and ``linear_trend`` (least-squares line through the points
of the last ``window`` years). ``constant_growth(rates)`` applies annual change rates from
the last observed year (the births-path model).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

Forecaster = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
COLUMNS = ["series", "origin", "horizon", "target_year", "method", "forecast", "actual", "ape"]


def carry_forward(hy, hv, ty) -> np.ndarray:
    """Last observed value for every target year."""
    return np.full(len(ty), float(np.asarray(hv)[-1]))


def linear_trend(hy, hv, ty, window: int = 5) -> np.ndarray:
    """Least-squares line through the points in the last ``window`` years (NaN if < 2)."""
    hy, hv = np.asarray(hy, dtype=float), np.asarray(hv, dtype=float)
    keep = hy > hy[-1] - window
    if keep.sum() < 2:
        return np.full(len(ty), np.nan)
    slope, icpt = np.polyfit(hy[keep], hv[keep], 1)
    return icpt + slope * np.asarray(ty, dtype=float)


def constant_growth(rates) -> Forecaster:
    """Forecaster applying annual change ``rates`` (year 1, 2, … after the last observation;
    the last rate held) to the last observed value."""
    rates = np.asarray(rates, dtype=float)

    def f(hy, hv, ty):
        h = np.asarray(ty) - np.asarray(hy)[-1]
        r = np.concatenate([rates, np.full(max(int(h.max()) - len(rates), 0), rates[-1])])
        level = float(np.asarray(hv)[-1]) * np.cumprod(1 + r)
        return level[h - 1]

    return f


def rolling_origin(years, values, forecasters: dict[str, Forecaster], origins,
                   max_horizon: int, series: str = "") -> pd.DataFrame:
    """APE of each forecaster from each origin at horizons 1..max_horizon (years after the
    origin) where an actual value exists. Only values with year ≤ origin are seen; a
    forecaster returning NaN (e.g. a trend with fewer than two points) gives no row."""
    years, values = np.asarray(years), np.asarray(values, dtype=float)
    rows = []
    for o in origins:
        seen = years <= o
        target = (years > o) & (years <= o + max_horizon)
        if not seen.any() or not target.any():
            continue
        for name, f in forecasters.items():
            fc = f(years[seen], values[seen], years[target])
            for t, v, a in zip(years[target], fc, values[target], strict=True):
                if np.isnan(v):
                    continue
                rows.append({"series": series, "origin": int(o), "horizon": int(t - o),
                             "target_year": int(t), "method": name, "forecast": float(v),
                             "actual": float(a), "ape": abs(v - a) / abs(a) * 100})
    return pd.DataFrame(rows, columns=COLUMNS)


def mape_by_horizon(df: pd.DataFrame) -> pd.DataFrame:
    """Mean APE (percent) and number of forecasts by series, method and horizon."""
    g = df.dropna(subset=["ape"]).groupby(["series", "method", "horizon"], sort=True)["ape"]
    return g.agg(mape="mean", n="count").reset_index()
