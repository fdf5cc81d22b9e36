"""Adaptive miss levels for the grade flow's band (adaptive conformal inference, ACI:
Gibbs & Candès 2021, "Adaptive conformal inference under distribution shift", NeurIPS).

Why: the flow's errors are not stationary, and in opposite directions by level (issue 18,
``docs/PROJECTION.md`` §0b). Primary's later outturns sit above the earlier ones' band
(bureau-like lead 3: the residuals' 95th percentile rose from about 0 % for the outturns of
2010–2012 to 13–16 % for 2017–2019), so a band learned on the errors known at T missed
on the upper side (84 % inside at lead 1); junior's early errors were the larger, so its
band over-covered (95–98 % at every lead). A fixed level cannot serve both.

How: per information set, level and lead h, the band's miss level α starts at
``TARGET_MISS`` (10 %) and moves, year by year, by γ × (10 % − m_Y), m_Y the share of the
banded forecasts at lead h whose outturn year is Y that fell outside their band:

    α_T = clip(0.10 + γ · Σ_{Y ≤ T} (0.10 − m_Y), ALPHA_LIMITS)

The band at origin T then takes each lead's residual quantiles α/2 and 1 − α/2 (the
adaptation replaces the split-conformal 0.95·(1 + 1/n), which over-covered with 25 areas).
Honest in time: m_Y counts only outturns Y ≤ T, of the tested area's history areas (never
the tested area), each forecast banded as it was at its own origin with its own α. The
hits are those of the band's design p50·exp(∓max(o, t)) (``projection.conformal_band``:
the banded draws' p05/p95 are exactly it), o the first pass's own half-widths, so they
are computed from the first-pass rows without re-running the flow.

γ = 0.2 (``GAMMA``): chosen among 0.05, 0.1 and 0.2 on the in-sample back-test (outturns
≤ 2019; the held-out 2020–2023 outturns were not looked at for it). With 8–10 yearly steps a
smaller γ hardly moves α (0.05: bureau-like primary stayed at 83 % inside at lead 1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..projection.conformal_band import target_sides
from .flow_band import BASE_METHOD, band_known_at, fit_band, residuals

GAMMA = 0.2
TARGET_MISS = 0.10
ALPHA_LIMITS = (0.01, 0.5)
STEP_COLUMNS = ["area", "info", "level", "lead", "target_year", "miss"]


def own_half_widths(first_pass: pd.DataFrame) -> pd.DataFrame:
    """area, kind, info, level, origin, lead, target_year, r, o_lo, o_up of the band-free
    flow's in-sample forecasts with a band of their own: r = log(outturn / p50), o the log
    distances of p05 and p95 from p50."""
    r = first_pass[(first_pass["method"] == BASE_METHOD) & (first_pass["sample"] == "in")]
    r = r[(r["p05"] > 0) & (r["p50"] > 0) & (r["p95"] > 0) & (r["actual"] > 0)]
    p05, p50, p95 = (r[c].to_numpy(float) for c in ("p05", "p50", "p95"))
    return r.assign(r=np.log(r["actual"].to_numpy(float) / p50), o_lo=np.log(p50 / p05),
                    o_up=np.log(p95 / p50))[
        ["area", "kind", "info", "level", "origin", "lead", "target_year", "r", "o_lo", "o_up"]]


def misses(rows: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """STEP_COLUMNS of ``rows`` (``own_half_widths`` rows of one area, origin and
    information set) under ``table``: outside p50·exp(∓max(o, t)); levels without table
    rows are not banded and give no step."""
    out = []
    for lv, g in rows.groupby("level", sort=True):
        if table.empty or not (table["level"] == lv).any():
            continue
        lo, up = target_sides(table, lv, g["lead"].to_numpy())
        r = g["r"].to_numpy()
        miss = (r < -np.maximum(g["o_lo"].to_numpy(), lo)) | \
            (r > np.maximum(g["o_up"].to_numpy(), up))
        out.append(g[["area", "info", "level", "lead", "target_year"]].assign(miss=miss))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=STEP_COLUMNS)


def _levels(rate: pd.Series, gamma: float) -> dict:
    """{level: {lead: α}} from the miss shares ``rate`` (index level, lead, target_year)."""
    a = np.clip(TARGET_MISS + gamma * (TARGET_MISS - rate).groupby(level=["level", "lead"]).sum(),
                *ALPHA_LIMITS)
    out: dict = {}
    for (lv, h), v in a.items():
        out.setdefault(lv, {})[int(h)] = float(v)
    return out


def alpha_levels(steps: pd.DataFrame, last: int, gamma: float = GAMMA) -> dict:
    """{level: {lead: α}} after the outturn years ≤ ``last`` of ``steps`` (STEP_COLUMNS of
    the areas learned from): α = clip(0.10 + γ Σ_Y (0.10 − m_Y)), m_Y the year's share of
    misses at the lead (each area's forecast counts once)."""
    s = steps[steps["target_year"] <= last]
    if s.empty:
        return {}
    return _levels(s.groupby(["level", "lead", "target_year"])["miss"].mean(), gamma)


def alpha_by_area(steps: pd.DataFrame, areas, last: int, gamma: float = GAMMA) -> dict:
    """{area: ``alpha_levels`` of the other areas' ``steps``} for every area of ``areas``,
    from one pass over the steps (each area's own misses taken out of the year's totals)."""
    s = steps[steps["target_year"] <= last]
    if s.empty:
        return {a: {} for a in areas}
    key = ["level", "lead", "target_year"]
    tot = s.groupby(key)["miss"].agg(["sum", "count"])
    mine = s.groupby(["area"] + key)["miss"].agg(["sum", "count"])
    out = {}
    for a in areas:
        d = tot
        if a in mine.index.get_level_values("area"):
            d = tot.sub(mine.xs(a, level="area").reindex(tot.index, fill_value=0))
        d = d[d["count"] > 0]
        out[a] = _levels(d["sum"] / d["count"], gamma) if len(d) else {}
    return out


_SHARED: dict = {}  # one information set's residuals and rows, for the forked processes


def _area_step(job) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """One area's band at one origin (``job``: area, its history areas, origin, α) and the
    misses of its forecasts from that origin under it (None without any)."""
    a, hist, t, alpha = job
    tab = band_known_at(_SHARED["resid"], hist, t, _SHARED["info"], alpha)
    rows = _SHARED["groups"].get((t, a))
    return tab, (None if rows is None else misses(rows, tab))


class AdaptiveBands:
    """The band tables of a second pass: for every area of a ``universe`` (areas that learn
    from each other, each from all the others) and origin, the band known at that origin
    with the adaptive α (module docstring), computed origin by origin from ``first_pass``
    (the band-free flow's back-test rows) alone; ``workers`` processes (one per
    information set at most)."""

    def __init__(self, first_pass: pd.DataFrame, levels=None, gamma: float = GAMMA,
                 workers: int = 1, infos=None):
        own = own_half_widths(first_pass)
        resid = residuals(first_pass)
        if levels is not None:
            own, resid = own[own["level"].isin(levels)], resid[resid["level"].isin(levels)]
        if infos is not None:  # only the information sets whose tables are used
            own, resid = own[own["info"].isin(infos)], resid[resid["info"].isin(infos)]
        self.own, self.resid, self.gamma, self.workers = own, resid, gamma, workers
        self.origins = sorted(set(first_pass["origin"].astype(int)))
        self._runs: dict = {}

    def _run(self, universe: tuple[str, ...]) -> tuple[dict, pd.DataFrame]:
        """{(area, origin, info): table} and every banded forecast's step (STEP_COLUMNS);
        the information sets in ``workers`` forked processes (they do not interact)."""
        if universe in self._runs:
            return self._runs[universe]
        infos = sorted(set(self.resid["info"]))
        if self.workers > 1 and len(infos) == 1:  # one set: its areas in the processes
            parts = [self._run_info(universe, infos[0], self.workers)]
        elif self.workers > 1:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(min(self.workers, len(infos)),
                                     mp_context=mp.get_context("fork")) as ex:
                parts = list(ex.map(self._run_info, [universe] * len(infos), infos))
        else:
            parts = [self._run_info(universe, info) for info in infos]
        tables = {k: v for t, _ in parts for k, v in t.items()}
        steps = pd.concat([s for _, s in parts], ignore_index=True) if parts else \
            pd.DataFrame(columns=STEP_COLUMNS)
        self._runs[universe] = (tables, steps)
        return self._runs[universe]

    def _run_info(self, universe: tuple[str, ...], info: str,
                  workers: int = 1) -> tuple[dict, pd.DataFrame]:
        """One information set of ``_run``, origin by origin; within an origin the areas'
        tables (independent given the steps known then) in ``workers`` forked processes."""
        own = self.own[self.own["area"].isin(universe) & (self.own["info"] == info)]
        groups = dict(tuple(own.groupby(["origin", "area"], sort=True)))
        resid = self.resid[self.resid["info"] == info]
        first_known = int(resid["target_year"].min()) if len(resid) else None
        tables, done = {}, pd.DataFrame(columns=STEP_COLUMNS)
        _SHARED.update(resid=resid, groups=groups, info=info)
        pool = None
        if workers > 1:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            pool = ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"))
        try:
            for t in self.origins:
                if first_known is None or t < first_known:  # nothing known yet: no band
                    for a in universe:
                        tables[(a, t, info)] = fit_band(resid.iloc[:0])
                    continue
                known = done[done["target_year"] <= t]
                alpha = alpha_by_area(known, universe, t, self.gamma)
                jobs = [(a, tuple(x for x in universe if x != a), t, alpha[a]) for a in universe]
                got = list(pool.map(_area_step, jobs, chunksize=4) if pool else
                           map(_area_step, jobs))
                new = []
                for a, (tab, step) in zip(universe, got, strict=True):
                    tables[(a, t, info)] = tab
                    if step is not None:
                        new.append(step)
                if new:
                    done = pd.concat([done] + new, ignore_index=True)
        finally:
            if pool is not None:
                pool.shutdown()
            _SHARED.clear()
        return tables, done

    def table(self, area: str, history_areas, origin: int, info: str) -> pd.DataFrame:
        """The band for ``area``'s forecast from ``origin`` under ``info``, learned from
        ``history_areas``."""
        hist = tuple(sorted(history_areas))
        if not hist:
            return band_known_at(self.resid, hist, origin, info)
        universe = tuple(sorted(set(hist) | {area}))
        tables, steps = self._run(universe)
        if (area, origin, info) in tables:
            return tables[(area, origin, info)]
        s = steps[(steps["info"] == info) & (steps["area"] != area)]
        return band_known_at(self.resid, hist, origin, info,
                             alpha_levels(s, origin, self.gamma))

    def published_alpha(self, universe, areas, last: int, info: str) -> dict:
        """α after outturn years ≤ ``last`` from the steps of ``areas``' banded forecasts
        as the back-test (``universe``) banded them: the levels of the published table."""
        _, steps = self._run(tuple(sorted(universe)))
        s = steps[(steps["info"] == info) & steps["area"].isin(areas)]
        return alpha_levels(s, last, self.gamma)
