"""The plan's school-place promises against projected demand: places_promises.csv.

Promises (values from the plan registry, never typed here):
- ``compulsory_new_places`` — ≥50,000 new compulsory places and ≥40 schools by 2025. The
  promise says 学位 (not 公办学位): compared with the change in *total* compulsory demand.
- ``preschool_new_public_places`` — ≥25,000 public kindergarten places: compared with the
  change in *public* preschool demand (total × places.public_share_preschool).
- ``senior_new_public_places`` — ~7,400 public general senior places: change in public
  general senior demand (total × public_share_senior).

Additional places needed in year y = demand(y) − demand(promise_base_year), per draw. This
treats the baseline year's enrolment as fully served; the plan diagnoses shortages at the
baseline, so it is a lower bound on need.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..params import RunParams
from ..projection.result import CITY, ProjectionResult
from ..stats import SUMMARY_COLUMNS
from . import plan_lookup as reg
from .tidy import constant_rows, rows

PROMISES = {
    "compulsory_new_places": {"group": "compulsory", "public": False},
    "preschool_new_public_places": {"group": "preschool", "public": True},
    "senior_new_public_places": {"group": "senior_general", "public": True},
}
SCHOOLS_ID = ("compulsory_new_schools",)
SCHOOLS_NAME = r"(?:新建|改扩建).*义务教育学校|义务教育学校.*(?:新建|改扩建)"
PLAN_END = 2025  # the plan covers 2021–2025 (its title)


def promise_value(registry: pd.DataFrame, promise_id: str) -> tuple[float, int, str, str]:
    """Promised places, target year, sources and a note when the plan states it differently
    in several places. Raises RegistryError when the registry lacks the promise."""
    hit = reg.find(registry, f"promise {promise_id!r}", ids=(promise_id,))
    vals = sorted({reg.scale(v, u) for v, u in zip(hit["value"], hit["unit"], strict=True)})
    first = hit.iloc[0]
    year = pd.to_numeric(hit["year"], errors="coerce").max()
    year = int(year) if pd.notna(year) else PLAN_END
    note = "" if len(vals) == 1 else f"plan states several values {vals}; first by line used"
    return reg.scale(first["value"], first["unit"]), year, reg.sources(hit), note


def promised_schools(registry: pd.DataFrame) -> tuple[float, str] | None:
    """Number of new compulsory schools promised (≥40), if the registry has it."""
    hit = reg.find(registry, "new compulsory schools", ids=SCHOOLS_ID, name=SCHOOLS_NAME,
                   required=False)
    hit = hit[hit["unit"].astype(str).str.contains("所|school", regex=True)]
    if hit.empty:
        return None
    return reg.scale(hit["value"].iloc[0], hit["unit"].iloc[0]), reg.sources(hit)


def peak_year_mode(peak_years: np.ndarray) -> int:
    """Most frequent peak year over draws (earliest on ties)."""
    vals, counts = np.unique(peak_years, return_counts=True)
    return int(vals[np.argmax(counts)])


def analyse(
    demand: np.ndarray | list[np.ndarray], years: np.ndarray, promised: float, base_year: int,
    target_year: int,
) -> dict[str, np.ndarray]:
    """Promise arithmetic on draws.

    Parameters
    ----------
    demand : places needed in the promise's basis (total or public), shape (D, Y), places;
        or a list of such arrays, one per level of the promise (primary, junior): the need is
        then the sum over levels of max(0, level need), so a level whose pupils fall never
        offsets another level's growth (levels are not netted).
    years : the Y school years; must contain ``base_year``.
    promised : promised new places.

    Returns draws: ``need`` (D, Y') additional places vs the base year for years after it,
    ``surplus`` = promised − need (negative = shortfall), ``peak_year``, ``peak_demand``,
    ``promise_needed`` = clip(max need, 0, promised), ``idle_at_horizon`` = the part of the
    promise needed only until the peak = clip(promise_needed − max(need at horizon, 0), 0).
    """
    years = np.asarray(years)
    b = int(np.flatnonzero(years == base_year)[0])
    after = years > base_year
    if isinstance(demand, (list, tuple)):
        need = sum(np.clip(d[:, after] - d[:, [b]], 0, None) for d in demand)
        demand = sum(demand)
    else:
        need = demand[:, after] - demand[:, [b]]
    window = demand[:, b:]
    peak_idx = window.argmax(axis=1)
    promise_needed = np.clip(need.max(axis=1), 0, promised)
    return {
        "years": years[after],
        "need": need,
        "surplus": promised - need,
        "peak_year": years[b:][peak_idx].astype(float),
        "peak_demand": window.max(axis=1),
        "promise_needed": promise_needed,
        "idle_at_horizon": np.clip(promise_needed - np.clip(need[:, -1], 0, None), 0, None),
    }


def promise_rows(result: ProjectionResult, rp: RunParams, registry: pd.DataFrame,
                 demand_by_group: dict[str, np.ndarray], shares: dict) -> pd.DataFrame:
    """places_promises rows: per promise × year (need, surplus, P(shortfall)) plus summaries."""
    years, sc = np.asarray(result.years), result.scenario
    base = rp.places.promise_base_year
    base_note = ""
    if base not in years:
        base_note = f"promise_base_year {base} not projected; first projected year used"
        base = int(years.min())
    frames = []
    for pid, spec in PROMISES.items():
        promised, target, src, note = promise_value(registry, pid)
        share, share_src = (shares[spec["group"]] if spec["public"]
                            else (1.0, "the promise says 学位, not 公办学位"))
        dem = demand_by_group[spec["group"]]
        dem = ([d * share for d in dem] if isinstance(dem, (list, tuple)) else dem * share)
        a = analyse(dem, years, promised, base, target)
        keys = {"promise": pid, "level": spec["group"], "county": CITY, "scenario": sc}
        basis = (f"{'public' if spec['public'] else 'total'} demand ({share_src}); "
                 f"need = demand(year) - demand({base}); lower bound (baseline shortages)")
        extra = {"basis": basis, "source": src, "note": "; ".join(x for x in (note, base_note) if x)}
        if isinstance(dem, (list, tuple)):  # the levels behind a sum, never netted
            for lv, d in zip(("primary", "junior_secondary"), dem, strict=True):
                la = analyse(d, years, promised, base, target)
                frames.append(rows(la["need"], la["years"], CITY, lv,
                                   "level_additional_places_needed", sc, **extra)
                              .assign(promise=pid))
            extra = dict(extra, basis=extra["basis"].replace(
                f"need = demand(year) - demand({base})", "need = sum over primary and junior "
                f"of max(0, demand(year) - demand({base})) (levels never netted)"))
        for q, draws in (("additional_places_needed", a["need"]), ("surplus", a["surplus"]),
                         ("prob_shortfall", (a["surplus"] < 0).astype(float))):
            f = rows(draws, a["years"], CITY, spec["group"], q, sc, **extra)
            if q == "surplus":
                f["note"] = "; ".join(x for x in (extra["note"], "negative = shortfall") if x)
            frames.append(f.assign(promise=pid))
        frames.append(rows(np.broadcast_to(promised, a["need"].shape), a["years"], CITY,
                           spec["group"], "promised_places", sc, **extra).assign(promise=pid))
        summ = [("peak_year", a["peak_year"]), ("peak_demand", a["peak_demand"]),
                ("promise_needed", a["promise_needed"]),
                ("idle_at_horizon", a["idle_at_horizon"])]
        for q, draws in summ:
            f = rows(draws[:, None], [target], CITY, spec["group"], q, sc, **extra)
            frames.append(f.assign(promise=pid, year=pd.NA))
        frames.append(constant_rows(peak_year_mode(a["peak_year"]), **keys, year=pd.NA,
                                    quantity="peak_year_mode", **extra))
        if pid == "compulsory_new_places":
            frames.append(_schools(registry, a, target, promised, keys, extra))
    out = pd.concat([f for f in frames if f is not None], ignore_index=True)
    out["year"] = out["year"].astype("Int64")
    cols = ["promise", "year", "level", "county", "scenario", "quantity", *SUMMARY_COLUMNS,
            "basis", "source", "note"]
    return out[cols]


def _schools(registry, a, target, promised, keys, extra) -> pd.DataFrame | None:
    """Schools promised and schools implied by the need at the promise's places per school."""
    found = promised_schools(registry)
    if found is None:
        return None
    n, src = found
    t = np.flatnonzero(a["years"] == target)
    if not len(t):
        return None
    per_school = promised / n
    need_t = np.clip(a["need"][:, t[0]], 0, None)
    ex = dict(extra, source=src, basis=f"need in {target} ÷ {per_school:g} places per school "
              f"(promised places ÷ promised schools)")
    f = rows((need_t / per_school)[:, None], [target], CITY, keys["level"],
             "schools_needed_at_promised_size", keys["scenario"], **ex)
    return pd.concat([f.assign(promise=keys["promise"]),
                      constant_rows(n, **keys, year=target, quantity="schools_promised", **ex)])
