"""Assemble the scorecard: one row per distinct target of the plan registry (identical
statements in several places are merged, their sources and lines joined), with its baseline,
the number it was judged on, the status and the basis of that status."""

from __future__ import annotations

import math

import pandas as pd

from .judge import judge_cumulative, judge_pipeline, judge_stock
from .rules import ScorecardParams, is_percent, judged_bound

COLUMNS = [
    "indicator_id", "name_zh", "level", "unit", "target_year", "bound", "direction", "target",
    "baseline_year", "baseline_value", "latest_year", "latest_value", "reference", "status",
    "basis", "projected_p05", "projected_p50", "projected_p95", "cumulative", "observed_from",
    "source", "line", "note",
]
SORT = ["indicator_id", "target_year", "bound", "target"]
CUMULATIVE_WORDS = ("新增", "增加", "新建")  # not 累计: "累计满25年" is a tenure rule


def is_cumulative(indicator_id: object, name_zh: object, unit: object) -> bool:
    """A "during the plan" total: id with ``new_``, a name with 新增/增加/新建, or places."""
    iid, name, u = str(indicator_id), str(name_zh or ""), str(unit or "")
    return ("new_" in iid or any(w in name for w in CUMULATIVE_WORDS)
            or "学位" in u or "place" in u.lower())


def to_unit(value: float, unit: object) -> float:
    """A plain number (observation or projection) in the registry's unit (万 → ÷10,000)."""
    return value / 10_000 if "万" in str(unit or "") else value


def _join(values) -> str:
    return "; ".join(dict.fromkeys(str(v) for v in values if str(v) not in ("", "nan")))


def distinct_targets(indicators: pd.DataFrame) -> pd.DataFrame:
    """Target rows merged over (indicator_id, year, bound, value), in plan-line order."""
    t = indicators[indicators["kind"] == "target"].copy()
    t["_line"] = pd.to_numeric(t["line"], errors="coerce")
    t = t.sort_values(["indicator_id", "year", "bound", "value", "_line"], kind="stable")
    keys = ["indicator_id", "year", "bound", "value"]
    g = t.groupby(keys, dropna=False, sort=True)
    out = g.agg(name_zh=("name_zh", "first"), level=("level", "first"), unit=("unit", "first"),
                source=("source", _join), line=("line", _join)).reset_index()
    return out


def baseline(indicators: pd.DataFrame, indicator_id: str, year: int) -> tuple:
    """(year, value, note) of the latest registry actual of the indicator before ``year``."""
    a = indicators[(indicators["indicator_id"] == indicator_id)
                   & (indicators["kind"] == "actual") & (indicators["year"] < year)]
    a = a.dropna(subset=["value"])
    if a.empty:
        return None, None, ""
    by = int(a["year"].max())
    rows = a[a["year"] == by].assign(_l=pd.to_numeric(a["line"], errors="coerce"))
    rows = rows.sort_values("_l", kind="stable")
    note = "" if rows["value"].nunique() == 1 else (
        f"plan actuals for {by} differ {sorted(rows['value'].unique())}: used the first")
    return by, float(rows["value"].iloc[0]), note


def observations(observed: pd.DataFrame, indicator_id: str, unit: object, after: int | None,
                 sp: ScorecardParams) -> tuple[dict[int, float], str, str]:
    """year → value (registry unit) after ``after`` and ≤ the evaluation year; first source wins."""
    o = observed[(observed["indicator_id"] == indicator_id)
                 & (observed["year"] <= sp.evaluation_year)]
    if after is not None:
        o = o[o["year"] > after]
    values, used, notes = {}, [], []
    for year, grp in o.groupby("year", sort=True):
        first = grp.iloc[0]
        values[int(year)] = to_unit(float(first["value"]), unit)
        used.append(f"{first['file']}:{first['line']}")
        if grp["value"].nunique() > 1:
            notes.append(f"sources for {year} disagree {sorted(grp['value'].unique())}: "
                         f"used {first['file']}:{first['line']}")
    return values, _join(used), "; ".join(notes)


def _running_totals(observed: pd.DataFrame, indicator_id: str) -> pd.DataFrame | None:
    """The indicator's observations that are running totals (``total`` column of a filled
    template), or None when there are none (then annual observations are summed)."""
    if "total" not in observed.columns:
        return None
    o = observed[(observed["indicator_id"] == indicator_id)
                 & observed["total"].fillna(False).astype(bool)]
    return o if len(o) else None


def _context_note(targets: pd.DataFrame, row) -> str:
    """Range (ge + le stated together, same source) and conflicting values for the same
    indicator, year and bound stated elsewhere in the plan."""
    same = targets[(targets["indicator_id"] == row.indicator_id) & (targets["year"] == row.year)]
    notes = []
    pair = {"ge": "le", "le": "ge"}.get(row.bound)
    other = same[(same["bound"] == pair) & (same["source"] == row.source)] if pair else same[:0]
    if len(other):
        lo, hi = sorted([row.value, other["value"].iloc[0]])
        notes.append(f"range {lo:,g}-{hi:,g}: each bound judged separately")
    rival = same[(same["bound"] == row.bound) & (same["value"] != row.value)]
    if len(rival):
        notes.append("the plan also states " + ", ".join(
            f"{v:,g} ({src})" for v, src in zip(rival["value"], rival["source"], strict=True)))
    return "; ".join(notes)


def usable_projection(projected: pd.DataFrame, indicator_id: str, unit: object, proj: dict,
                      base_year: int | None, base_value: float | None,
                      sp: ScorecardParams) -> tuple[bool, str]:
    """May the projection decide a status? It must vary across draws and reproduce the plan's
    baseline actual (same definition); the reason is reported in the note."""
    if proj["p95"] - proj["p05"] <= 1e-9 * max(1.0, abs(proj["p50"])):
        return False, "projection has no spread (held at its calibration value): not used"
    if base_year is None:
        return False, "no plan baseline to check the projection's definition: not used"
    b = projected[(projected["indicator_id"] == indicator_id) & (projected["year"] == base_year)]
    if b.empty:
        return False, f"projection does not cover the baseline year {base_year}: not used"
    at_base = to_unit(float(b.iloc[0]["p50"]), unit)
    if abs(at_base - base_value) > sp.projection_baseline_tolerance * abs(base_value):
        return False, (f"projection gives {at_base:.4g} for {base_year} vs the plan's "
                       f"{base_value:.4g}: definitions differ, not used")
    return True, ""


def scorecard(indicators: pd.DataFrame, observed: pd.DataFrame, projected: pd.DataFrame,
              sp: ScorecardParams | None = None,
              pipeline: dict[str, dict[int, float]] | None = None) -> pd.DataFrame:
    """The scorecard table (COLUMNS), sorted by indicator_id, target_year, bound, target.

    ``bound`` is the bound as parsed; ``direction`` the bound judged under (rules.judged_bound).
    ``pipeline`` (promise id → {year: places delivered or planned}) lets places promises be
    judged on delivered + planned places when no observation settles them."""
    sp = sp or ScorecardParams()
    targets = distinct_targets(indicators)
    stated = targets.groupby(["indicator_id", "year"], dropna=False)["bound"].agg(set).to_dict()
    rows = []
    for row in targets.itertuples(index=False):
        pct = is_percent(row.unit, row.name_zh)
        cum = is_cumulative(row.indicator_id, row.name_zh, row.unit)
        base = dict(indicator_id=row.indicator_id, name_zh=row.name_zh, level=row.level,
                    unit=row.unit, target_year=row.year, bound=row.bound, target=row.value,
                    cumulative=cum, source=row.source, line=row.line)
        notes = [_context_note(targets, row)]
        if pd.isna(row.year) or pd.isna(row.value):
            rows.append({**base, "status": "no_data", "basis": "none",
                         "note": "no numeric target or no target year"})
            continue
        year, value = int(row.year), float(row.value)
        p = projected[(projected["indicator_id"] == row.indicator_id)
                      & (projected["year"] == year)]
        proj = None if p.empty else {k: to_unit(float(p.iloc[0][k]), row.unit)
                                     for k in ("p05", "p50", "p95")}
        if cum:
            by, bv = sp.plan_start - 1, 0.0
            bound, why = judged_bound(row.bound, value, None, row.name_zh, set(), pct, True)
            totals = _running_totals(observed, row.indicator_id)
            if totals is not None:  # a filled template gives totals since plan_start
                observed_here = totals
            else:
                observed_here = observed
            obs, used, onote = observations(observed_here, row.indicator_id, row.unit, by, sp)
            res = judge_cumulative(year, value, bound, obs, sp, totals=totals is not None)
            pipe = (pipeline or {}).get(row.indicator_id)
            if pipe and res["status"] != "met":
                res = judge_pipeline(year, value, bound, obs, pipe, sp) or res
        else:
            by, bv, bnote = baseline(indicators, row.indicator_id, year)
            bound, why = judged_bound(row.bound, value, bv, row.name_zh,
                                      stated.get((row.indicator_id, row.year), set()), pct)
            if sp.table_numbers_as == "exact" and row.bound == "eq":
                bound, why = "eq", ""
            notes.append(bnote)
            use = None
            if proj is not None:
                ok, why = usable_projection(projected, row.indicator_id, row.unit, proj, by, bv, sp)
                notes.append(why)
                use = proj if ok else None
            obs, used, onote = observations(observed, row.indicator_id, row.unit, by, sp)
            res = judge_stock(year, value, bound, by, bv, obs, use, sp, pct)
        notes += [why, res.pop("note"), onote]
        base["direction"] = bound
        if proj is not None and res["basis"] != "projection" and not any(
                "not used" in n for n in notes):
            notes.append(f"projection p50 {proj['p50']:.4g} for {year} shown, not used")
        if proj is not None:
            notes.append(str(p.iloc[0]["note"]))
        rows.append({**base, **res, "baseline_year": by, "baseline_value": bv,
                     "observed_from": used,
                     "projected_p05": None if proj is None else proj["p05"],
                     "projected_p50": None if proj is None else proj["p50"],
                     "projected_p95": None if proj is None else proj["p95"],
                     "note": "; ".join(n for n in notes if n)})
    out = pd.DataFrame(rows, columns=COLUMNS)
    for c in ("projected_p05", "projected_p50", "projected_p95", "latest_value", "reference"):
        out[c] = pd.to_numeric(out[c]).astype("float64")
    for c in ("target_year", "baseline_year", "latest_year"):
        out[c] = pd.array([None if v is None or (isinstance(v, float) and math.isnan(v))
                           else int(v) for v in out[c]], dtype="Int64")
    return out.sort_values(SORT, kind="stable", ignore_index=True)
