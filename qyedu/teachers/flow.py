"""The teacher stock carried forward year by year on draws: leavers, hires, surplus kept (no
layoffs), optional redeployment between levels, and qualified teachers tracked alongside.

Convention (the output contract): ``stock[t]`` is the number of full-time teachers in post in
school year t; ``leavers[t]`` leave at the end of school year t and ``hires[t]`` are recruited
then to start in school year t+1, so

    stock[t+1] = stock[t] − leavers[t] + hires[t] + transfers_in[t] − transfers_out[t]
    hires[t]   = max(0, demand[t+1] − (stock[t] − leavers[t] + transfers_in[t] − transfers_out[t]))

When demand falls, no one is hired and the surplus (stock − demand) is carried, never laid off.

Attrition: the stock is held in seniority cohorts (``bins``). The flat model has one bin and
``quit = attrition_rate``. The cohort model has ``career_years`` one-year bins: every year a
share ``quit_rate`` of each bin leaves, the oldest bin retires, the rest move up one bin, and
hires enter bin 0. Qualified teachers are tracked per bin in the same way, for any number of
qualification measures at once (each with its baseline share and the share of hires holding it).

Redeployment (one pair, e.g. primary → junior): in each county, before hiring, up to
``qualified_share`` of the source's surplus (after leavers, against next year's demand) moves to
cover the destination's gap, at most ``capacity`` per county and year. Movers are counted as
qualified in the destination (the qualification constraint) and come from all source bins
pro rata. Transfers conserve teachers: Σ transfers_in = Σ transfers_out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Attrition:
    """Seniority structure and exit rates (see module docstring)."""

    bins: int = 1  # 1 = flat model
    quit_rate: float = 0.03
    retire: bool = False  # the oldest bin retires each year (cohort model)
    older_share: float = 0.0  # share of the baseline stock in the last ``older_window`` bins
    older_window: int = 0
    older_qual_gap: float = 0.0  # qualified share of older bins this much below younger ones

    @classmethod
    def from_params(cls, tp) -> Attrition:
        if tp.attrition_model == "flat":
            return cls(1, tp.attrition_rate)
        return cls(tp.career_years, tp.quit_rate, True, tp.older_share,
                   min(tp.older_window_years, tp.career_years - 1), tp.older_qual_gap)

    def profile(self) -> np.ndarray:
        """Share of the baseline stock in each bin (sums to 1). 10 bins, 3 older at 30 %:
        seven bins of 0.1 then three of 0.1."""
        if self.bins == 1 or self.older_window == 0:
            return np.full(self.bins, 1.0 / self.bins)
        k, w = self.bins, self.older_window
        return np.r_[np.full(k - w, (1 - self.older_share) / (k - w)),
                     np.full(w, self.older_share / w)]

    def qual_profile(self, share: float) -> np.ndarray:
        """Qualified share per bin with mean ``share`` over the baseline profile: the older
        bins ``older_qual_gap`` below the younger ones (clipped to [0, 1])."""
        if self.bins == 1 or self.older_window == 0:
            return np.full(self.bins, share)
        w = self.older_share
        young = np.clip(share + self.older_qual_gap * w, 0, 1)
        old = np.clip(share - self.older_qual_gap * (1 - w), 0, 1)
        return np.r_[np.full(self.bins - self.older_window, young), np.full(self.older_window, old)]


@dataclass(frozen=True)
class Redeploy:
    """Move surplus teachers from ``source`` to ``destination`` level."""

    source: str
    destination: str
    capacity: np.ndarray  # max movers per county and year, shape (D, C) or broadcastable
    qualified_share: float


def _split_cohorts(stock0: np.ndarray, att: Attrition) -> np.ndarray:
    """(D, C) → (D, K, C) by the baseline profile."""
    return stock0[:, None, :] * att.profile()[None, :, None]


def _age_one_year(bins: np.ndarray, qual: np.ndarray, att: Attrition):
    """Apply quits and retirement, move everyone up one bin. Returns the new bins and
    qualified bins and the leavers (D, C)."""
    quits = att.quit_rate * bins
    bins = bins - quits
    qual = qual - att.quit_rate * qual
    leavers = quits.sum(axis=1)
    if att.retire:
        leavers = leavers + bins[:, -1]
        bins = np.concatenate([np.zeros_like(bins[:, :1]), bins[:, :-1]], axis=1)
        qual = np.concatenate([np.zeros_like(qual[:, :, :1]), qual[:, :, :-1]], axis=2)
    return bins, qual, leavers


def stock_flow(
    demand: dict[str, np.ndarray], stock0: dict[str, np.ndarray], att: Attrition,
    qual_base: dict[str, np.ndarray] | None = None, qual_hire: dict[str, np.ndarray] | None = None,
    redeploy: Redeploy | None = None,
) -> dict[str, dict[str, np.ndarray]]:
    """Carry each level's stock from the baseline (index 0) to the last year.

    Parameters
    ----------
    demand : level → teachers needed, shape (D, T, C); index 0 = the baseline year.
    stock0 : level → teachers in post at the baseline, shape (D, C).
    att : attrition model.
    qual_base, qual_hire : level → baseline qualified share and share of hires qualified,
        one value per tracked measure, shape (J,) (NaN baseline → NaN path).
    redeploy : optional move of surplus teachers between two levels.

    Returns level → ``stock``, ``demand`` (D, T, C); ``leavers``, ``hires``, ``transfers_in``,
    ``transfers_out`` (D, T−1, C); ``qualified`` (J, D, T, C).

    Example (flat, 3 % leave): stock 100, demand 100 → 110: leavers 3, hires 13.
    """
    qual_base, qual_hire = qual_base or {}, qual_hire or {}
    state, out = {}, {}
    for lv, d in demand.items():
        d = np.asarray(d, dtype=float)
        D, T, C = d.shape
        b = _split_cohorts(np.asarray(stock0[lv], dtype=float), att)
        base = np.atleast_1d(np.asarray(qual_base.get(lv, []), dtype=float))
        prof = np.stack([att.qual_profile(s) for s in base]) if len(base) else np.zeros((0, att.bins))
        q = b[None] * prof[:, None, :, None]
        state[lv] = [b, q]
        out[lv] = {"demand": d, "stock": np.zeros((D, T, C)), "leavers": np.zeros((D, T - 1, C)),
                   "hires": np.zeros((D, T - 1, C)), "transfers_in": np.zeros((D, T - 1, C)),
                   "transfers_out": np.zeros((D, T - 1, C)),
                   "qualified": np.zeros((len(base), D, T, C))}
        out[lv]["stock"][:, 0] = b.sum(axis=1)
        out[lv]["qualified"][:, :, 0] = q.sum(axis=2)
    T = next(iter(out.values()))["stock"].shape[1] if out else 0
    for t in range(T - 1):
        for lv in out:
            b, q, leave = _age_one_year(*state[lv], att)
            state[lv] = [b, q]
            out[lv]["leavers"][:, t] = leave
        if redeploy is not None:
            _transfer(out, state, redeploy, t)
        for lv, o in out.items():
            b, q = state[lv]
            hires = np.clip(o["demand"][:, t + 1] - b.sum(axis=1), 0, None)
            b[:, 0] += hires
            h = np.atleast_1d(np.asarray(qual_hire.get(lv, np.zeros(q.shape[0])), dtype=float))
            q[:, :, 0] += h[:, None, None] * hires[None]
            o["hires"][:, t] = hires
            o["stock"][:, t + 1] = b.sum(axis=1)
            o["qualified"][:, :, t + 1] = q.sum(axis=2)
    return out


def _transfer(out: dict, state: dict, r: Redeploy, t: int) -> None:
    """Move qualified surplus from r.source to r.destination before this year's hiring."""
    (bs, qs), (bd, qd) = state[r.source], state[r.destination]
    remain_s, remain_d = bs.sum(axis=1), bd.sum(axis=1)
    avail = np.clip(remain_s - out[r.source]["demand"][:, t + 1], 0, None) * r.qualified_share
    gap = np.clip(out[r.destination]["demand"][:, t + 1] - remain_d, 0, None)
    move = np.minimum(np.minimum(avail, gap), np.broadcast_to(r.capacity, avail.shape))
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(remain_s > 0, move / np.where(remain_s > 0, remain_s, 1), 0.0)
        movers = bs * frac[:, None, :]
        q_tot = qs.sum(axis=2)
        q_frac = np.where(q_tot > 0, np.minimum(move, q_tot) / np.where(q_tot > 0, q_tot, 1), 0.0)
    bs -= movers
    qs -= qs * q_frac[:, :, None, :]
    bd += movers
    qd += movers[None]  # movers hold the destination's qualification (the constraint)
    out[r.source]["transfers_out"][:, t] = move
    out[r.destination]["transfers_in"][:, t] = move


def required_share(qual0: np.ndarray, qual1: np.ndarray, stock: np.ndarray,
                   target: float) -> dict[str, np.ndarray]:
    """Share of hires that must hold the qualification to reach ``target`` share of ``stock``.

    The qualified stock is affine in the hires' qualified share h: qual(h) = qual0 + h (qual1 −
    qual0), with qual0/qual1 the paths at h = 0 and h = 1. Then h* = (τ S − qual0) /
    (qual1 − qual0); NaN where no hire is still in post (nothing to choose). ``upgrades``: the
    qualified teachers still missing if every hire qualifies (in-service upgrading).
    Stock 120 of which 70 qualified without hires and 90 if all 20 hires qualify, target
    75 %: h* = (90 − 70) / 20 = 1.0."""
    gain = qual1 - qual0
    need = target * stock - qual0
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(gain > 1e-9, need / np.where(gain > 1e-9, gain, 1), np.nan)
    return {"required_share_among_hires": share,
            "upgrades_needed": np.clip(target * stock - qual1, 0, None),
            "prob_unreachable": np.where(np.isnan(qual1), np.nan,
                                         (target * stock > qual1 + 1e-9).astype(float))}
