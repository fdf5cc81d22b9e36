"""The two reconstructions of Qingyuan's annual births (whole city), as pure functions.

Both are *anchored*: at every year with a published Qingyuan count the result equals the
count exactly; between anchor years the adjustment factor is interpolated linearly, outside
them it is held at the nearest anchor. The methods differ only in the auxiliary series that
gives the year-to-year shape:

``share_of_guangdong``
    births = s(t) × Guangdong births(t), with the share s anchored at count / Guangdong
    births (4.64 % in 2018, 4.18 % in 2019; 2007 from the 2007 count).
``rate_ratio``
    births = k(t) × Guangdong rate(t)/1000 × ρ(t) × Qingyuan resident population(t), where
    ρ = Qingyuan rate / Guangdong rate at the years with a Qingyuan rate (1.171 in 2018,
    1.170 in 2019) and k = count / (rate-based births) at the count years. k absorbs the
    count-versus-rate mismatch documented in the sources (2018: 66,800 vs 14.98‰ × 387.4万
    = 58,000; 2007: registered vs resident population).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .interpolate import fill


def share_of_guangdong(years, gd_births, qy_counts: pd.Series) -> np.ndarray:
    """Qingyuan births (persons) as an anchored share of Guangdong births.

    Parameters
    ----------
    years : calendar years, increasing.
    gd_births : Guangdong births (persons) at ``years``.
    qy_counts : published Qingyuan counts (persons) by year; each must be in ``years``.
    """
    years = np.asarray(years)
    gd = pd.Series(np.asarray(gd_births, dtype=float), index=years)
    share_known = qy_counts / gd.loc[qy_counts.index]
    share, _ = fill(years, share_known)
    return share * gd.to_numpy()


def rate_ratio(years, gd_rate, qy_rate: pd.Series, qy_pop, qy_counts: pd.Series) -> np.ndarray:
    """Qingyuan births (persons) from Guangdong's birth rate, the Qingyuan/Guangdong rate
    ratio and Qingyuan's resident population, anchored to the published counts.

    Parameters
    ----------
    years : calendar years, increasing.
    gd_rate : Guangdong birth rate (per mille) at ``years``.
    qy_rate : published Qingyuan birth rates (per mille) by year; each in ``years``.
    qy_pop : Qingyuan resident population (persons) at ``years``.
    qy_counts : published Qingyuan counts (persons) by year; each in ``years``.
    """
    years = np.asarray(years)
    g = pd.Series(np.asarray(gd_rate, dtype=float), index=years)
    ratio, _ = fill(years, qy_rate / g.loc[qy_rate.index])
    raw = pd.Series(g.to_numpy() / 1000 * ratio * np.asarray(qy_pop, dtype=float), index=years)
    k, _ = fill(years, qy_counts / raw.loc[qy_counts.index])
    return k * raw.to_numpy()
