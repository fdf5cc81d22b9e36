"""A place plan under uncertainty for one county and level: when to add how many places and
in what form, minimising the expected cost of shortage plus capacity over the draws (the
sample average of the Monte Carlo draws), solved as a small linear programme with
``scipy.optimize.linprog`` (HiGHS). Pure arrays in, arrays out; the cost parameters are
numbers passed in (``qyedu.costs.place_plan`` prices them from the unit costs).

For years t = 1 … T (from ``places.plan_first_year`` to the horizon) and draws d = 1 … D::

    minimise   Σ_t [ a_P · A_t + a_V · V_t + a_R · R_t ]  +  (b / D) · Σ_{d,t} s_{d,t}
    subject to s_{d,t} + A_t + V_t + R_t ≥ S_{d,t}        (shortage before the plan: need −
                                                           capacity, any sign)
               V_t ≤ avail_t                              (conversion: idle places of the donor)
               A_t = Σ_{τ≤t} P_τ,  V_t = Σ_{τ≤t} C_τ,  P, C, R, s ≥ 0

- ``P_t`` permanent places opening in t (kept to the horizon, cost a_P per place-year: the
  capital per place × the annuity factor of the building life at the discount rate);
- ``C_t`` places converted from a level whose demand falls (cost a_V per place-year: the
  conversion cost × the same annuity factor), at most the donor's idle places ``avail_t``;
- ``R_t`` temporary or rented places for year t only (a_R per place-year);
- ``s_{d,t}`` pupils without a place at the standard in draw d, seated in 大班额 classes at a
  penalty b per pupil-year.

Costs are counted to the horizon (no terminal value). Newsvendor reading: a rented place in
year t pays when P(shortage_t > x) > a_R / b; a permanent place when the average of those
probabilities over the remaining years exceeds a_P / b.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from ..errors import QyeduError

FORMS = ("permanent", "converted", "temporary")


class PlanError(QyeduError):
    """The place plan's linear programme did not solve."""


@dataclass(frozen=True)
class FormCosts:
    """Cost per place-year of each form and the penalty per pupil-year in a 大班额 class
    (any money unit, the same for all)."""

    permanent: float
    converted: float
    temporary: float
    overcrowding: float


@dataclass(frozen=True)
class Plan:
    """Places opening each year per form (T,), the cumulative places in use (T,) and the
    shortage left per draw and year (D, T)."""

    new: dict[str, np.ndarray]
    in_use: dict[str, np.ndarray]
    shortage: np.ndarray
    objective: float


def annuity(rate: float, years: int) -> float:
    """Cost per year of one unit of capital over ``years`` at ``rate``: r / (1 − (1 + r)^−n).
    8 % over 50 years → 0.0817."""
    if rate == 0:
        return 1.0 / years
    return rate / (1 - (1 + rate) ** -years)


def solve(short: np.ndarray, costs: FormCosts, avail: np.ndarray | None = None) -> Plan:
    """The optimal plan for one county and level.

    Parameters
    ----------
    short : need − capacity before the plan, places, per draw and year (D, T); negative =
        room to spare.
    costs : cost per place-year of each form and the 大班额 penalty (same money unit).
    avail : places the donor level can give up by conversion in each year (T,); None = no
        conversion.
    """
    s = np.asarray(short, dtype=float)
    d, t = s.shape
    avail = np.zeros(t) if avail is None else np.clip(np.asarray(avail, dtype=float), 0, None)
    # variables: P (T), C (T), R (T), s (D·T)
    n = 3 * t + d * t
    rem = np.arange(t, 0, -1, dtype=float)  # years each opening is paid for, to the horizon
    c = np.concatenate([costs.permanent * rem, costs.converted * rem,
                        np.full(t, costs.temporary), np.full(d * t, costs.overcrowding / d)])
    low = np.tril(np.ones((t, t)))  # cumulative sums
    blocks = sparse.hstack([sparse.csr_matrix(np.tile(low, (d, 1))),
                            sparse.csr_matrix(np.tile(low, (d, 1))),
                            sparse.csr_matrix(np.tile(np.eye(t), (d, 1))),
                            sparse.identity(d * t, format="csr")])
    a_ub = sparse.vstack([-blocks, sparse.hstack([sparse.csr_matrix((t, t)),
                                                  sparse.csr_matrix(low),
                                                  sparse.csr_matrix((t, t + d * t))])])
    b_ub = np.concatenate([-s.reshape(-1), avail])
    res = linprog(c, A_ub=a_ub.tocsr(), b_ub=b_ub, bounds=[(0, None)] * n, method="highs")
    if res.status != 0:
        raise PlanError(f"place plan LP: {res.message}")
    x = np.clip(res.x, 0, None)
    p, cv, r = x[:t], x[t:2 * t], x[2 * t:3 * t]
    new = {"permanent": p, "converted": cv, "temporary": r}
    in_use = {"permanent": np.cumsum(p), "converted": np.cumsum(cv), "temporary": r}
    left = np.clip(s - (in_use["permanent"] + in_use["converted"] + r)[None, :], 0, None)
    return Plan(new, in_use, left, float(res.fun))


def idle(plan_places: np.ndarray, short: np.ndarray) -> np.ndarray:
    """Plan places standing empty per draw and year: max(0, places − max(shortage, 0))."""
    return np.clip(np.asarray(plan_places)[None, :] - np.clip(short, 0, None), 0, None)


def build_to_median(short: np.ndarray) -> np.ndarray:
    """Permanent places in use (T,) when building to the median shortage: the running peak
    of the median shortage (places are never demolished)."""
    med = np.clip(np.median(np.asarray(short, dtype=float), axis=0), 0, None)
    return np.maximum.accumulate(med)


def solve_counties(short: np.ndarray, costs: FormCosts, avail: np.ndarray | None = None
                   ) -> list[Plan]:
    """``solve`` for each county of ``short`` (D, T, C); ``avail`` (T, C) or None. Counties
    are independent (a place in one county does not seat a pupil of another)."""
    s = np.asarray(short, dtype=float)
    return [solve(s[:, :, k], costs, None if avail is None else avail[:, k])
            for k in range(s.shape[2])]
