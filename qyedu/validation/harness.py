"""A back-test harness honest in time: any projection method, run as of every past year of
every panel area, seeing only what was known then.

For a tested area a and an origin T the method sees

1. ``area`` — an :class:`AreaView` of a as of T under an *information set*:
   ``qingyuan_like`` (births up to T and one cross-section: the enrolment totals of year T;
   no intake, no graduates — what Qingyuan has) or ``bureau_like`` (births up to T and the
   annual enrolment, intake and graduates of every year up to T — what an education bureau
   has);
2. ``history`` — a :class:`History` of the *other* areas, each truncated at T (so every
   sample it yields has origin + lead ≤ T). The tested area is never in it, and China and its
   provinces never calibrate each other: testing China, the provinces are left out; testing a
   province, China is left out. ``calibration_set = "no_municipalities"`` also leaves out
   北京, 天津, 上海 and 重庆 (whose migrant-child swings set the tails).

A method is a plain callable (:data:`MethodFn`)::

    fn(area: AreaView, history: History, origin: int, leads: tuple[int, ...], info: str)
        -> pandas.DataFrame with columns level, year, p05, p50, p95

returning a row per level it projects (projection level names, ``labels.LEVELS``) and year
origin + lead; a level or year it cannot project is left out (or NaN). Wrap it in
:class:`Method` (name, which information sets it runs under, whether its band is its own or
the harness's honest residual band). :func:`backtest` runs methods over all areas and origins
and returns one row per forecast (:data:`COLUMNS`); ``validation.metrics`` turns the rows into
MAPE, bias, coverage and paired intervals.

Births after T are not known at T: :meth:`AreaView.cohort` holds them at the mean of the last
``HOLD_BIRTH_YEARS`` known years (the naive births forecast; Qingyuan's births paths describe
Qingyuan after 2024, not a province in 2005). Outturns after ``LAST_IN_SAMPLE`` (2019: China's
2020–24 series and ``provinces_2020_2023.csv``) are held out: no view or history ever contains
them; forecasts from origin 2019 are scored against them as ``sample = held_out``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..labels import LEVELS
from ..observed.area import MODEL_LEVEL, AreaData, area_inputs
from ..projection.flow import birth_offsets
from ..projection.result import LEVEL_AGES
from .drift import drift_samples
from .panel import CHINA, china_frame, later_frame, panel_frame, validation_file
from .spread import weighted_quantile

INFO_SETS = ("qingyuan_like", "bureau_like")
TEST_LEVELS = ("primary", "junior_secondary")
LEADS = tuple(range(1, 9))
LAST_IN_SAMPLE = 2019
HOLD_BIRTH_YEARS = 3
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
CALIBRATION_SETS = ("all", "no_municipalities")
MIN_HISTORY_AREAS = 5  # a residual band needs at least this many other areas
ENTRY_AGE = {lv: ages[0] for lv, ages in LEVEL_AGES.items()}
COLUMNS = ["area", "kind", "level", "origin", "lead", "target_year", "info", "method",
           "actual", "p05", "p50", "p95", "sample", "honest", "baseline"]
FORECAST_COLUMNS = ["level", "year", "p05", "p50", "p95"]


@dataclass(frozen=True)
class AreaView:
    """One area's data as of ``origin`` under ``info``: births (calendar year → persons,
    gap-free, ≤ origin) and wide tables year × level (projection level names, persons) of
    enrolment, intake and graduates (empty intake/graduates and a one-year enrolment under
    ``qingyuan_like``). ``kind`` is ``province`` or ``national``."""

    area: str
    kind: str
    origin: int
    info: str
    births: pd.Series
    enrolment: pd.DataFrame
    intake: pd.DataFrame
    graduates: pd.DataFrame

    def last_year(self) -> int:
        """The latest year of any figure in the view (≤ origin by construction)."""
        ys = [int(self.births.index.max())] + [int(t.index.max()) for t in
                                                (self.enrolment, self.intake, self.graduates)
                                                if len(t)]
        return max(ys)

    def births_until(self, last: int) -> tuple[np.ndarray, int]:
        """Births from the first known year to ``last``: known years as they are, later
        years held at the mean of the last ``HOLD_BIRTH_YEARS`` known years. Returns (array,
        first year)."""
        b = self.births
        fby, known_last = int(b.index[0]), int(b.index[-1])
        vals = b.to_numpy(dtype=float)
        if last > known_last:
            vals = np.concatenate([vals, np.full(last - known_last,
                                                 vals[-HOLD_BIRTH_YEARS:].mean())])
        return vals[: last - fby + 1], fby

    def cohort(self, years, level: str | None = None, ages=None) -> np.ndarray:
        """Cut-off-weighted births (``flow.birth_offsets``) of ``level``'s ages (or of
        ``ages``) for school years ``years``; NaN where births are missing."""
        years = np.atleast_1d(np.asarray(years, dtype=int))
        if not len(years) or self.births.empty:
            return np.full(len(years), np.nan)
        off = birth_offsets(LEVEL_AGES[level] if ages is None else ages)
        ks = np.fromiter(off, dtype=int)
        w = np.fromiter(off.values(), dtype=float)
        b, fby = self.births_until(int(years.max() - ks.min()))
        idx = years[:, None] - ks[None, :] - fby
        ok = (idx >= 0).all(axis=1)
        out = np.full(len(years), np.nan)
        out[ok] = b[idx[ok]] @ w
        return out

    def factor(self, level: str, years=None) -> pd.Series:
        """Pupils per cut-off-weighted birth of ``level`` in the view's enrolment years
        (NaN where the cohorts' births are not all known)."""
        if level not in self.enrolment:
            return pd.Series(dtype=float)
        e = self.enrolment[level].dropna()
        if years is not None:
            e = e[e.index.isin(years)]
        return e / self.cohort(e.index.to_numpy(), level)

    def to_area_data(self, levels=None) -> AreaData:
        """The view as ``observed.area.AreaData`` (for ``projection.area_run``), with only
        ``levels`` if given."""
        def long(t):
            if levels is not None:
                t = t[[lv for lv in levels if lv in t.columns]]
            v = t.to_numpy(dtype=float)
            yi, li = np.nonzero(np.isfinite(v))
            return pd.DataFrame({"year": t.index.to_numpy(dtype=int)[yi],
                                 "level": np.asarray(t.columns, dtype=object)[li],
                                 "value": v[yi, li], "source_line": 0})
        how = pd.Series("panel", index=self.births.index, dtype=object)
        return AreaData(self.area, self.births, how, long(self.enrolment), long(self.intake))


def _wide(g: pd.DataFrame, indicator: str) -> pd.DataFrame:
    d = g[g["indicator"] == indicator]
    w = d.pivot_table(index="year", columns="level", values="value", aggfunc="first")
    w = w.reindex(columns=[lv for lv in LEVELS if lv in w.columns])
    w.columns.name = None
    return w.sort_index().astype(float)


@dataclass(frozen=True)
class PanelArea:
    """An area's full data (every year, in-sample and held out)."""

    area: str
    kind: str
    births: pd.Series
    enrolment: pd.DataFrame
    intake: pd.DataFrame
    graduates: pd.DataFrame

    def view(self, origin: int, info: str) -> AreaView:
        """The area as of ``origin`` under ``info`` (INFO_SETS)."""
        if info not in INFO_SETS:
            raise ValueError(f"info must be one of {INFO_SETS}, not {info!r}")
        b = self.births[self.births.index <= origin]
        e = self.enrolment[self.enrolment.index <= origin]
        if info == "qingyuan_like":
            e = e[e.index == origin]
            empty = self.intake.iloc[:0]
            return AreaView(self.area, self.kind, origin, info, b, e, empty,
                            self.graduates.iloc[:0])
        return AreaView(self.area, self.kind, origin, info, b, e,
                        self.intake[self.intake.index <= origin],
                        self.graduates[self.graduates.index <= origin])


def _gap_free(b: pd.Series) -> pd.Series:
    b = b.sort_index()
    years = b.index.to_numpy(dtype=int)
    gaps = np.flatnonzero(np.diff(years) != 1)
    return b[b.index >= years[gaps[-1] + 1]] if len(gaps) else b


def _area(g: pd.DataFrame, name: str, kind: str) -> PanelArea:
    d = area_inputs(g, name)  # births derived, preschool per 100k converted to pupils
    def wide(t):
        w = t.pivot_table(index="year", columns="level", values="value", aggfunc="first")
        w = w.reindex(columns=[lv for lv in LEVELS if lv in w.columns])
        w.columns.name = None
        return w.sort_index().astype(float)
    gr = g[g["level"] != "all"]
    gr = gr.assign(level=gr["level"].map(MODEL_LEVEL))
    return PanelArea(name, kind, _gap_free(d.births), wide(d.enrolment), wide(d.intake),
                     _wide(gr, "graduates"))


@functools.lru_cache(maxsize=4)
def load_harness_panel(early: str = "scaled") -> tuple[PanelArea, ...]:
    """Every panel area with enrolment: the 27 provinces (births under the 1999→2000 break
    treatment ``early``, ``panel.EARLY_TREATMENTS``) with their held-out 2020–2023 outturns
    appended, then China (preferred figures; its 2020–24 outturns are held out likewise)."""
    prov = panel_frame(early)
    later = later_frame()
    out = []
    for name in dict.fromkeys(prov["area"]):
        g = prov[prov["area"] == name]
        if not (g["indicator"] == "enrolment").any():
            continue
        a = _area(g, name, "province")
        lg = later[later["area"] == name]
        if len(lg):
            parts = {ind: pd.concat([getattr(a, ind), _wide(lg, ind)]).sort_index()
                     for ind in ("enrolment", "intake", "graduates")}
            parts = {k: v[~v.index.duplicated(keep="first")] for k, v in parts.items()}
            a = PanelArea(a.area, a.kind, a.births, parts["enrolment"], parts["intake"],
                          parts["graduates"])
        out.append(a)
    ch = china_frame(validation_file("china.csv"))
    out.append(_area(ch, CHINA, "national"))
    return tuple(out)


def history_areas(tested: PanelArea, panel: Sequence[PanelArea],
                  calibration_set: str = "all") -> tuple[str, ...]:
    """Names of the areas a tested area may learn from: never itself; China and the
    provinces never each other; under ``no_municipalities`` not the four municipalities."""
    if calibration_set not in CALIBRATION_SETS:
        raise ValueError(f"calibration_set must be one of {CALIBRATION_SETS}")
    out = []
    for p in panel:
        if p.area == tested.area or p.kind != tested.kind:
            continue
        if calibration_set == "no_municipalities" and p.area in MUNICIPALITIES:
            continue
        out.append(p.area)
    return tuple(out)


@dataclass(frozen=True)
class History:
    """What a method may learn from at origin T: the other areas (``areas``), each as of T
    with bureau-like information (``views``), their observed factors up to T (``factors``)
    and their factor-drift samples with origin + lead ≤ T (``samples``)."""

    origin: int
    areas: tuple[str, ...]
    calibration_set: str
    _views: Mapping[str, AreaView] = field(repr=False)
    _factors: pd.DataFrame = field(repr=False)
    _samples: pd.DataFrame = field(repr=False)

    @functools.cached_property
    def views(self) -> dict[str, AreaView]:
        return {a: self._views[a] for a in self.areas}

    @functools.cached_property
    def factors(self) -> pd.DataFrame:
        """area, level, year, enrolment, cohort_births, factor — years ≤ origin."""
        f = self._factors
        return f[(f["year"] <= self.origin) & f["area"].isin(self.areas)]

    @functools.cached_property
    def samples(self) -> pd.DataFrame:
        """``drift.drift_samples`` rows (area, level, origin, lead, d, x) with origin + lead
        ≤ T: each sample's outturn was known at T."""
        s = self._samples
        return s[(s["origin"] + s["lead"] <= self.origin) & s["area"].isin(self.areas)]


MethodFn = Callable[[AreaView, History, int, tuple, str], pd.DataFrame]


@dataclass(frozen=True)
class Method:
    """A method under test: ``fn`` (``MethodFn``), the information sets it runs under,
    ``band`` = ``own`` (its p05/p95) or ``residual`` (the harness sets p05/p95 from the
    quantiles of the method's own log errors on the history areas' forecasts whose outturns
    were known at the origin), ``honest`` (False labels a method whose parameters were fitted
    on data after the origin) and ``baseline`` (a comparator, not a candidate)."""

    name: str
    fn: MethodFn
    infos: tuple[str, ...] = INFO_SETS
    band: str = "own"
    honest: bool = True
    baseline: bool = False


def _factor_table(panel: Sequence[PanelArea]) -> pd.DataFrame:
    rows = []
    for p in panel:
        v = p.view(int(p.enrolment.index.max()), "bureau_like")  # History filters ≤ T
        for lv in v.enrolment.columns:
            f = v.factor(lv).dropna()
            e = v.enrolment[lv].reindex(f.index)
            rows.append(pd.DataFrame({"area": p.area, "level": lv, "year": f.index.astype(int),
                                      "enrolment": e.to_numpy(), "cohort_births":
                                      (e / f).to_numpy(), "factor": f.to_numpy()}))
    return pd.concat(rows, ignore_index=True)


def origins(p: PanelArea, levels=TEST_LEVELS, last: int = LAST_IN_SAMPLE) -> list[int]:
    """Origins T ≤ ``last`` at which some tested level has enrolment whose factor is
    computable (births cover its cohorts) and a later outturn exists."""
    v = p.view(last, "bureau_like")
    out = set()
    for lv in levels:
        if lv not in v.enrolment:
            continue
        f = v.factor(lv).dropna()
        later = p.enrolment[lv].dropna().index
        out |= {int(t) for t in f.index if (later > t).any()}
    return sorted(out)


def _empty_forecast() -> pd.DataFrame:
    return pd.DataFrame(columns=FORECAST_COLUMNS)


def _check(fc, method: str) -> pd.DataFrame:
    if fc is None or len(fc) == 0:
        return _empty_forecast()
    missing = [c for c in FORECAST_COLUMNS if c not in fc.columns]
    if missing:
        raise ValueError(f"method {method!r} returned no column(s) {missing}")
    return fc[FORECAST_COLUMNS]


@dataclass(frozen=True)
class _Job:
    methods: tuple
    panel: tuple
    factors: pd.DataFrame
    samples: pd.DataFrame
    plan: dict
    leads: tuple
    levels: tuple
    infos: tuple
    calibration_set: str
    last_in_sample: int


_JOB: _Job | None = None  # set before the worker processes fork (not pickled)


def _origin_rows(T: int, job: _Job | None = None) -> list[tuple]:
    """Every forecast row of origin T (all tested areas, information sets and methods)."""
    job = job or _JOB
    hviews = {p.area: p.view(T, "bureau_like") for p in job.panel}
    # nothing after T is reachable from a History, not even through its private fields
    f_t = job.factors[job.factors["year"] <= T]
    s_t = job.samples[job.samples["origin"] + job.samples["lead"] <= T]
    rows = []
    for p in job.panel:
        if T not in job.plan.get(p.area, ()):
            continue
        names = history_areas(p, job.panel, job.calibration_set)
        hist = History(T, names, job.calibration_set, {a: hviews[a] for a in names}, f_t, s_t)
        actual = p.enrolment
        cross = p.view(T, "qingyuan_like")
        keys = []
        for lv in job.levels:
            if lv not in actual or not np.isfinite(cross.factor(lv).get(T, np.nan)):
                continue
            for h in job.leads:
                a = actual[lv].get(T + h, np.nan)
                if np.isfinite(a):
                    keys.append((lv, T + h, h, float(a)))
        if not keys:
            continue
        for info in job.infos:
            view = cross if info == "qingyuan_like" else hviews[p.area]
            for m in job.methods:
                if info not in m.infos:
                    continue
                fc = _check(m.fn(view, hist, T, job.leads, info), m.name)
                got = dict(zip(zip(fc["level"], fc["year"].astype(int), strict=True),
                               fc[["p05", "p50", "p95"]].to_numpy(dtype=float).tolist(),
                               strict=True))
                for lv, y, h, a in keys:
                    qs = got.get((lv, y), (np.nan,) * 3)
                    rows.append((p.area, p.kind, lv, T, h, y, info, m.name, a, *qs,
                                 "in" if y <= job.last_in_sample else "held_out", m.honest,
                                 m.baseline))
    return rows


def backtest(methods: Sequence[Method], panel: Sequence[PanelArea] | None = None, *,
             early: str = "scaled", leads: Sequence[int] = LEADS,
             levels: Sequence[str] = TEST_LEVELS, infos: Sequence[str] = INFO_SETS,
             calibration_set: str = "all", areas: Sequence[str] | None = None,
             origin_years: Sequence[int] | None = None, last_in_sample: int = LAST_IN_SAMPLE,
             workers: int = 1, progress=None) -> pd.DataFrame:
    """Run ``methods`` as of every origin of every area (or of ``areas``/``origin_years``);
    one row per (area, level, origin, lead, info, method) with an outturn (COLUMNS).

    Rows are kept where the level's factor at the origin is computable (the Qingyuan-like
    cross-section exists); p50 is NaN where the method could not forecast. ``sample`` is
    ``in`` for outturns ≤ ``last_in_sample`` and ``held_out`` after (origins ≤
    ``last_in_sample``; raising it past 2019 reads China's 2020–24 outturns in-sample, as the
    reviewer's reproduction did — for that check only). Bands of ``residual``
    methods are filled by :func:`residual_bands`. ``workers`` > 1 runs the origins in that
    many forked processes (same rows, same order: each origin's seeds are its own)."""
    global _JOB
    panel = tuple(panel if panel is not None else load_harness_panel(early))
    factors = _factor_table(panel)
    leads = tuple(int(h) for h in leads)
    plan = {p.area: tuple(t for t in origins(p, levels, last_in_sample)
                          if origin_years is None or t in origin_years)
            for p in panel if areas is None or p.area in areas}
    all_origins = sorted({t for ts in plan.values() for t in ts})
    job = _Job(tuple(methods), panel, factors, drift_samples(factors), plan, leads,
               tuple(levels), tuple(infos), calibration_set, last_in_sample)
    t0 = time.perf_counter()
    per_origin = []
    if workers > 1 and len(all_origins) > 1:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor
        _JOB = job
        try:
            with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as ex:
                for T, r in zip(all_origins, ex.map(_origin_rows, all_origins), strict=True):
                    per_origin.append(r)
                    if progress:
                        progress(f"[validate] origin {T} ({time.perf_counter() - t0:.1f} s)")
        finally:
            _JOB = None
    else:
        for T in all_origins:
            per_origin.append(_origin_rows(T, job))
            if progress:
                progress(f"[validate] origin {T} ({time.perf_counter() - t0:.1f} s)")
    out = pd.DataFrame([r for rs in per_origin for r in rs], columns=COLUMNS)
    resid = [m.name for m in methods if m.band == "residual"]
    if resid:
        out = residual_bands(out, panel, resid, calibration_set)
    return out


def residual_bands(rows: pd.DataFrame, panel: Sequence[PanelArea], methods: Sequence[str],
                   calibration_set: str = "all") -> pd.DataFrame:
    """p05/p95 of the ``methods``' rows from their honest-in-time errors: for a forecast of
    area a from origin T, the area-weighted 5th/95th percentiles of log(actual / p50) of the
    same method, information set, level and lead over the history areas of a
    (``history_areas``) whose outturn year ≤ T (in-sample only). Fewer than
    MIN_HISTORY_AREAS such areas: no band (NaN)."""
    rows = rows.reset_index(drop=True)
    by_name = {p.area: p for p in panel}
    names = list(by_name)
    code = {a: i for i, a in enumerate(names)}
    allowed = np.zeros((len(names), len(names)), dtype=bool)
    for a in rows["area"].unique():
        allowed[code[a], [code[h] for h in history_areas(by_name[a], panel, calibration_set)]] = True
    sel = rows["method"].isin(methods).to_numpy()
    p50 = rows["p50"].to_numpy(dtype=float)
    act = rows["actual"].to_numpy(dtype=float)
    ac = rows["area"].map(code).to_numpy()
    tgt, org = rows["target_year"].to_numpy(), rows["origin"].to_numpy()
    ok_err = sel & (rows["sample"] == "in").to_numpy() & np.isfinite(p50)
    lo, hi = np.full(len(rows), np.nan), np.full(len(rows), np.nan)
    keys = ["method", "info", "level", "lead"]
    for _, ix in rows[sel & np.isfinite(p50)].groupby(keys).indices.items():
        grp = np.flatnonzero(sel & np.isfinite(p50))[ix]
        k0 = grp[0]
        same = ((rows["method"].to_numpy() == rows.at[k0, "method"])
                & (rows["info"].to_numpy() == rows.at[k0, "info"])
                & (rows["level"].to_numpy() == rows.at[k0, "level"])
                & (rows["lead"].to_numpy() == rows.at[k0, "lead"]) & ok_err)
        e_area, e_tgt = ac[same], tgt[same]
        e_val = np.log(act[same] / p50[same])
        done = {}
        for k in grp:
            key = (ac[k], org[k])
            if key not in done:
                m = allowed[ac[k]][e_area] & (e_tgt <= org[k])
                q = (np.nan, np.nan)
                if m.any() and len(np.unique(e_area[m])) >= MIN_HISTORY_AREAS:
                    _, inv, cnt = np.unique(e_area[m], return_inverse=True, return_counts=True)
                    q = tuple(weighted_quantile(e_val[m], 1.0 / cnt[inv], [0.05, 0.95]))
                done[key] = q
            lo[k], hi[k] = done[key]
    rows.loc[sel, "p05"] = (p50 * np.exp(lo))[sel]
    rows.loc[sel, "p95"] = (p50 * np.exp(hi))[sel]
    return rows
