"""Judge one target: which number it is compared with, and the status that follows.

Stock targets (levels, rates, school counts) compare one observation; cumulative targets
(新增/增加/新建, places) compare the running total of annual observations since the plan's
start. Each returns a dict of scorecard fields (latest_year/latest_value = the number the
status rests on, reference = what it was compared with)."""

from __future__ import annotations

from .rules import ScorecardParams, already_satisfied, on_path, path_value, satisfies


def _result(status, basis, year=None, value=None, reference=None, note=""):
    return {"latest_year": year, "latest_value": value, "reference": reference,
            "status": status, "basis": basis, "note": note}


def _path_status(ok: bool, passed: bool, sp: ScorecardParams) -> str:
    """Interim status from a path check; never ``on_track`` once the target year has passed
    (then a verdict if ``path_verdict_after_target_year``, else ``no_data``)."""
    if passed and sp.path_verdict_after_target_year:
        return "met" if ok else "missed"
    if passed:
        return "no_data"
    return "on_track" if ok else "at_risk"


def _path_check(y, v, target_year, target, bound, base_year, base_value, sp, pct):
    """Compare observation (y, v) with the linear path, or with the target itself when there
    is no baseline or the baseline already meets the target ('maintain')."""
    if base_year is None:
        return satisfies(v, target, bound, sp, pct), target, "no baseline: compared with the target"
    if already_satisfied(base_value, target, bound, sp, pct):
        return satisfies(v, target, bound, sp, pct), target, "baseline already meets the target " \
            "(maintain): compared with the target"
    ref = path_value(base_year, base_value, target_year, target, y)
    ok = on_path(v, ref, target, bound, target - base_value, sp, pct)
    return ok, ref, f"compared with the linear path {base_year}→{target_year} at {y}"


def judge_stock(target_year, target, bound, base_year, base_value, obs: dict[int, float],
                proj: dict | None, sp: ScorecardParams, pct: bool) -> dict:
    """A level/rate/count target; ``obs`` = year → value (after the baseline, ≤ evaluation year)."""
    passed = target_year <= sp.evaluation_year
    if passed:
        later = sorted(y for y in obs if y >= target_year)
        if later:
            y = target_year if target_year in obs else later[-1]
            ok = satisfies(obs[y], target, bound, sp, pct)
            note = "" if y == target_year else f"no observation for {target_year}: judged on {y}"
            if not ok:
                note = "; ".join(filter(None, [note, f"{obs[y] - target:+.6g} vs the target"]))
            return _result("met" if ok else "missed", "observed", y, obs[y], target, note)
    if obs:
        y = max(obs)
        ok, ref, how = _path_check(y, obs[y], target_year, target, bound, base_year,
                                   base_value, sp, pct)
        note = how + (f"; target year passed, latest observation {y} "
                      f"({'on' if ok else 'off'} the path): no verdict" if passed else "")
        return _result(_path_status(ok, passed, sp), "observed_path", y, obs[y], ref, note)
    if proj is not None and not passed:
        ok = satisfies(proj["p50"], target, bound, sp, pct)
        return _result("on_track" if ok else "at_risk", "projection", None, None, target,
                       f"projected p50 for {target_year} compared with the target")
    after = f" after the baseline year {base_year}" if base_year is not None else ""
    return _result("no_data", "none", note=f"no observation{after}")


def judge_cumulative(target_year, target, bound, obs: dict[int, float],
                     sp: ScorecardParams, totals: bool = False) -> dict:
    """A 'during the plan' total: sum of annual observations plan_start..min(target year,
    evaluation year), from 0 at plan_start - 1. ``totals``: the observations are already
    running totals since plan_start (a filled scorecard template): the latest one is the
    total, and no year is missing."""
    start = sp.plan_start
    years = sorted(y for y in obs if start <= y <= min(target_year, sp.evaluation_year))
    if not years:
        return _result("no_data", "none", note=f"no annual observation from {start}")
    last = years[-1]
    total = float(obs[last]) if totals else float(sum(obs[y] for y in years))
    span = f"total {start}-{last}" if last > start else f"total {start}"
    passed = target_year <= sp.evaluation_year
    if bound == "ge" and total >= target:
        return _result("met", "observed_cumulative", last, total, target, span + ": reached")
    gaps = [] if totals else [y for y in range(start, last + 1) if y not in obs]
    if gaps:
        return _result("no_data", "none", last, total, None,
                       f"{span} is a lower bound: no observation for {gaps}")
    if passed and last == target_year:
        ok = satisfies(total, target, bound, sp, percent=False)
        return _result("met" if ok else "missed", "observed_cumulative", last, total, target, span)
    ref = path_value(start - 1, 0.0, target_year, target, last)
    ok = on_path(total, ref, target, bound, target, sp, percent=False)
    note = f"{span} compared with the linear path {start - 1}→{target_year} from 0"
    if passed:
        note += (f"; target year passed, observations only to {last} "
                 f"({'on' if ok else 'off'} the path): no verdict")
    return _result(_path_status(ok, passed, sp), "observed_path", last, total, ref, note)


def judge_pipeline(target_year, target, bound, obs: dict[int, float], pipe: dict[int, float],
                   sp: ScorecardParams) -> dict | None:
    """A places promise on delivered + planned places: per year from plan_start to the
    target year the observation if there is one, else the published pipeline figure for
    that year (delivered or planned; never both). Plans are not outturn: before the target
    year → on_track / at_risk; after it → at_risk if even the pipeline falls short, else
    no_data (delivery not yet verified). None when nothing is published."""
    years = range(sp.plan_start, target_year + 1)
    parts = {y: (obs[y], "observed") if y in obs else (pipe[y], "pipeline")
             for y in years if y in obs or y in pipe}
    if not any(src == "pipeline" for _, src in parts.values()):
        return None
    total = float(sum(v for v, _ in parts.values()))
    ok = satisfies(total, target, bound, sp, percent=False)
    passed = target_year <= sp.evaluation_year
    detail = ", ".join(f"{y} {v:,.0f} ({src})" for y, (v, src) in sorted(parts.items()))
    if passed:
        status = "no_data" if ok else "at_risk"
        why = ("the published pipeline covers the target; delivery not verified" if ok else
               "even the published pipeline falls short of the target")
    else:
        status = "on_track" if ok else "at_risk"
        why = "delivered + planned compared with the target"
    return _result(status, "delivered_plus_planned", max(parts), total, target,
                   f"{why}: {detail}")
