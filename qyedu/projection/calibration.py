"""Calibration of participation and population factors to the observed points, per draw.

For a level with observed totals E(y) at anchor years y, the factor is
f(y) = E(y) / Σ_a w(a)·births(y − a) in every Monte Carlo draw, so the model reproduces
each observed point EXACTLY in every draw (not only at the median); the spread of f across
draws comes from the births draws. Between anchor years f is interpolated linearly, outside
them it is held at the nearest anchor (so the last observed participation is carried into
the future). f absorbs participation, over/under-age pupils, survival, net migration of
children and the basis of the births counts (f > 1 where left-behind children born
elsewhere attend school in Qingyuan).

The child population of a level (``population_age_group``) is births × m, with m
calibrated from the plan's preschool gross enrolment ratios (population aged 3–5 =
preschool enrolled / GER), the only age-group denominator published for the city; the
same m is applied to every level (no census age structure for the city was found).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def interpolation_weights(anchor_years, years) -> np.ndarray:
    """Matrix W (Y, K) with W @ anchor_values = values linearly interpolated between anchor
    years and held at the end anchors outside them."""
    a = np.asarray(anchor_years, dtype=float)
    y = np.asarray(years, dtype=float)
    eye = np.eye(len(a))
    return np.stack([np.interp(y, a, eye[k]) for k in range(len(a))], axis=1)


def factor_path(anchor_years, anchor_factors, years) -> np.ndarray:
    """Factors (D, Y) at ``years`` from per-draw anchor factors (D, K); see module rule."""
    order = np.argsort(anchor_years)
    w = interpolation_weights(np.asarray(anchor_years)[order], years)
    return np.asarray(anchor_factors, dtype=float)[:, order] @ w.T


def anchor_factors(observed: pd.Series, denominators: np.ndarray) -> np.ndarray:
    """Per-draw factors (D, K) = observed value (K,) / denominator draws (D, K)."""
    return observed.to_numpy(dtype=float)[None, :] / denominators


def preschool_anchors(points: pd.DataFrame, series_points: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Preschool enrolled (children) and 3–5 population (children) by anchor year.

    ``points`` are the plan's preschool figures (indicator_id, year, value); enrolment from
    a richer series (level ``preschool``) is added for years the plan does not cover."""
    p = points.pivot_table(index="year", columns="indicator_id", values="value")
    enrolled = p.get("preschool_enrolled", pd.Series(dtype=float)).dropna()
    ger = p.get("preschool_gross_enrolment_ratio", pd.Series(dtype=float)).dropna()
    pop = (enrolled / (ger / 100)).dropna()
    extra = series_points[series_points["level"] == "preschool"].set_index("year")["value"]
    enrolled = pd.concat([enrolled, extra[~extra.index.isin(enrolled.index)]]).sort_index()
    return enrolled.astype(float), pop.astype(float)
