"""Assemble the calibrated factors of every level (see ``calibration`` for the rule and
``priors`` for the fallback when a level has no observed point as of the base year)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import QyeduError
from .calibration import anchor_factors, factor_path, preschool_anchors
from .cohorts import cohort_sum
from .flow import cohort_births
from .grades import age_shape, progression_ratios
from .priors import latest_rate, relative_ratio
from .result import CITY, LEVEL_AGES, LEVELS

SENIOR = ("senior_general", "senior_vocational")


@dataclass(frozen=True)
class Fit:
    """Calibrated factors: ``factors`` (D, Y, L) participation per weighted birth,
    ``pop_factor`` (D, Y) children per birth, ``shapes`` within-level age weights,
    ``table`` the calibration points with the model's value (p50) and how each was set."""

    factors: np.ndarray
    pop_factor: np.ndarray
    shapes: dict
    table: pd.DataFrame


class _Ctx:
    def __init__(self, births, fby, years, shapes):
        self.births, self.fby, self.years, self.shapes = births, fby, years, shapes
        self.rows: list[dict] = []

    def denom(self, level, yrs, flat=False):
        w = None if flat else self.shapes.get(level)
        if w is None:  # single-year cohorts under the 31 August cut-off (projection.flow)
            return cohort_births(self.births, self.fby, np.asarray(yrs), level)
        return cohort_sum(self.births, self.fby, np.asarray(yrs), LEVEL_AGES[level], w)

    def anchored(self, level, obs: pd.Series, quantity="enrolled", flat=False, how="observed"):
        """Factor path (D, Y) and the factor at the last anchor (D,), recording the fit."""
        den = self.denom(level, obs.index, flat)
        f = anchor_factors(obs, den)
        model = factor_path(obs.index, f, obs.index) * den  # reproduces obs in every draw
        for k, (y, v) in enumerate(obs.items()):
            self.rows.append({"year": int(y), "level": level, "county": CITY, "quantity": quantity,
                              "value": float(v), "model_p50": float(np.median(model[:, k])),
                              "model_max_abs_error": float(np.abs(model[:, k] - v).max()),
                              "how": how})
        return factor_path(obs.index, f, self.years), f[:, int(np.argmax(obs.index))]

    def prior(self, level, value, how):
        self.rows.append({"year": np.nan, "level": level, "county": CITY, "quantity": "factor",
                          "value": float(np.median(value)), "model_p50": np.nan,
                          "model_max_abs_error": np.nan, "how": how})
        return np.repeat(np.asarray(value)[:, None], len(self.years), axis=1)


def fit(births, first_birth_year: int, years, base_year: int, preschool: pd.DataFrame,
        enrolment: pd.DataFrame, grades: pd.DataFrame, senior_general_share: float,
        prior_noise=None) -> Fit:
    """Calibrate all levels (see module docs). ``births`` (D, B) persons from
    ``first_birth_year``; the other inputs are the observed points as of ``base_year``.
    ``prior_noise(level)`` → (D,) multipliers of a factor set by a prior (primary, junior;
    None: the prior as it is); called only when a level has no observation."""
    noise = prior_noise or (lambda level: 1.0)
    shapes = {lv: age_shape(r) for lv, r in progression_ratios(grades).items()}
    cx = _Ctx(births, first_birth_year, np.asarray(years), shapes)
    enrolled_pre, pop_pre = preschool_anchors(preschool, enrolment)
    if enrolled_pre.empty or pop_pre.empty:
        raise QyeduError(f"no preschool calibration point published up to base_year {base_year}")
    paths, last = {}, {}
    paths["preschool"], last["preschool"] = cx.anchored("preschool", enrolled_pre)
    m_path, m_last = cx.anchored("preschool", pop_pre, "population_age_group", flat=True,
                                 how="plan: enrolled / gross enrolment ratio")
    for lv in LEVELS[1:]:
        obs = enrolment[enrolment["level"] == lv].set_index("year")["value"].sort_index()
        if len(obs):
            paths[lv], last[lv] = cx.anchored(lv, obs)
    if "primary" not in paths:
        r, how = relative_ratio("primary", base_year)
        last["primary"] = last["preschool"] * (1.0 if r is None else r) * noise("primary")
        paths["primary"] = cx.prior("primary", last["primary"], how or "prior: same as preschool")
    if "junior_secondary" not in paths:
        r, how = relative_ratio("junior_secondary", base_year)
        if r is not None:
            last["junior_secondary"] = last["preschool"] * r * noise("junior_secondary")
        else:
            ret, how = latest_rate(base_year, "compulsory", "nine_year_retention_rate")
            last["junior_secondary"] = last["primary"] * (ret or 100.0) / 100
            how = "prior: primary factor x " + (how or "1")
        paths["junior_secondary"] = cx.prior("junior_secondary", last["junior_secondary"], how)
    missing = [lv for lv in SENIOR if lv not in paths]
    if missing:
        ger, how = latest_rate(base_year, "senior", "gross_enrolment_ratio")
        if ger is None:
            raise QyeduError(f"no senior-secondary prior available as of {base_year}")
        share = {"senior_general": senior_general_share,
                 "senior_vocational": 1 - senior_general_share}
        for lv in missing:
            value = m_last * ger / 100 * share[lv]
            paths[lv] = cx.prior(lv, value, f"prior: population factor x {how} x share "
                                            f"{share[lv]:g} (projection.senior_general_share_prior)")
    factors = np.stack([paths[lv] for lv in LEVELS], axis=2)
    return Fit(factors, m_path, shapes, pd.DataFrame(cx.rows))
