"""Projection-judged targets: for every target the model computes, a status
``projected: on track / at risk / off track`` with P(met), kept apart from the observed status
(its own columns, basis ``projected``). It answers "would the target be met if the model is
right", never "was it met".

What the model computes, and where the number comes from (nothing is re-derived here):
- the places promises (and the ≥40 compulsory schools, at the promised size): P(met) =
  1 − P(shortfall) of the promise view at the target year (``places_promises.csv``, computed
  on the draws by the places stage): do the promised places cover the additional need?
- enrolment ratios and counts (``projected.MAPPING``): P(met) = share of the projection's
  draws that satisfy the target, used only where the projection reproduces the plan's
  baseline (same definition, ``usable_projection``); otherwise "not comparable" with why;
- teachers' qualification shares (``teacher_qualifications.csv``, the stock flow's
  ``qualified_share``): only quantiles are published there, so P(met) is a range read off
  p05/p50/p95 (e.g. "< 5 %" when the target lies above the p95).

The status is the word of P(met) on the project's one calibrated scale (``qyedu.likelihood``,
IPCC-style: ``very_likely`` … ``exceptionally_unlikely``, the same words as the places
verdicts); a P(met) known only as a range takes the word that holds the whole range, or the
words of its two ends (``very_unlikely_to_about_as_likely_as_not``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..likelihood import SCALE, met_key, met_text, pct_text
from .projected import MAPPING, projected_values
from .rules import ScorecardParams, satisfies
from .table import to_unit, usable_projection

COLUMNS = ["projected_status", "projected_words", "projected_p_met", "projected_p_met_range",
           "projected_source", "projected_note"]
#: Every single-word status (a range across words is ``<word>_to_<word>``).
PROJECTED_STATUSES = tuple(b.key for b in SCALE)
#: Targets judged on the places stage's P(shortfall) of a promise: the three places promises,
#: and the ≥40 compulsory schools, which at the promised size (50,000 ÷ 40 places each;
#: places_promises.csv schools_needed_at_promised_size) suffice exactly when the places do.
PROMISES = {"compulsory_new_places": "compulsory_new_places",
            "preschool_new_public_places": "preschool_new_public_places",
            "senior_new_public_places": "senior_new_public_places",
            "compulsory_new_schools": "compulsory_new_places"}
#: Qualification-share targets → (level, qualification) in teacher_qualifications.csv.
QUALIFICATIONS = {
    "preschool_teachers_associate_plus_share": ("preschool", "专科以上"),
    "primary_teachers_bachelor_plus_share": ("primary", "本科以上"),
    "junior_teachers_bachelor_plus_share": ("junior_secondary", "本科以上"),
    "senior_teachers_master_plus_share": ("senior_general", "硕士研究生以上"),
    "vocational_teachers_bachelor_plus_share": ("senior_vocational", "本科以上"),
    "vocational_dual_qualified_share": ("senior_vocational", "双师型"),
}


def word(p_met: float) -> str:
    """The status of a probability of meeting the target: its word on the calibrated scale."""
    return met_key(p_met)


def is_projected(status) -> bool:
    """Whether a projected_status holds a word of the scale (a target the model judged)."""
    s = "" if status is None or status != status else str(status)
    return bool(s) and all(k in PROJECTED_STATUSES for k in s.split("_to_"))


def pct_range(p: float) -> str:
    """A probability for the range column: ``37 %``, ``<1 %``, ``>99 %``."""
    return pct_text(p)


def _row(status="", p=np.nan, rng="", source="", note=""):
    words = met_text(status, p, rng) if status else ""  # 很可能达到 very likely met (P 93 %)
    return {"projected_status": status, "projected_words": words, "projected_p_met": p,
            "projected_p_met_range": rng, "projected_source": source, "projected_note": note}


def _promise(row, promises: pd.DataFrame, sp) -> dict | None:
    if row.indicator_id not in PROMISES or promises is None:
        return None
    promise = PROMISES[row.indicator_id]
    p = promises[(promises["promise"] == promise)
                 & (promises["quantity"] == "prob_shortfall")
                 & (pd.to_numeric(promises["year"], errors="coerce") == row.target_year)]
    if p.empty:
        return _row(note=f"places_promises.csv has no P(shortfall) for {row.target_year}")
    met = 1.0 - float(p["mean"].iloc[0])
    what = "places" if promise == row.indicator_id else \
        "schools (at the promised size: they suffice exactly when the promised places do)"
    return _row(word(met), met, pct_range(met), "places_promises.csv",
                f"P(the promised {what} cover the need added since 2020 in "
                f"{row.target_year}) = 1 − P(shortfall); whether they are built is for the "
                "observed status")


def _draws(row, draws: dict, projected: pd.DataFrame, sp) -> dict | None:
    if row.indicator_id not in draws:
        return None
    years, d = draws[row.indicator_id]
    if row.target_year not in years:
        return _row(note=f"the projection does not cover {row.target_year}")
    x = to_unit(d[:, years.index(row.target_year)], row.unit)
    x = x[np.isfinite(x)]
    proj = {"p05": float(np.quantile(x, 0.05)), "p50": float(np.quantile(x, 0.5)),
            "p95": float(np.quantile(x, 0.95))}
    by = None if pd.isna(row.baseline_year) else int(row.baseline_year)
    bv = None if pd.isna(row.baseline_value) else float(row.baseline_value)
    ok, why = usable_projection(projected, row.indicator_id, row.unit, proj, by, bv, sp)
    if not ok:
        return _row(note="not comparable: " + why.removesuffix(": not used"))
    pct = "%" in str(row.unit)
    met = float(np.mean([satisfies(float(v), float(row.target), row.direction, sp, pct)
                         for v in x]))
    return _row(word(met), met, pct_range(met), "projection draws",
                f"share of {len(x):,} draws meeting the target in {row.target_year} "
                f"(p50 {proj['p50']:,.1f}, p05–p95 {proj['p05']:,.1f}–{proj['p95']:,.1f})")


def _qualification(row, quals: pd.DataFrame, sp) -> dict | None:
    if row.indicator_id not in QUALIFICATIONS or quals is None:
        return None
    level, qual = QUALIFICATIONS[row.indicator_id]
    q = quals[(quals["level"] == level) & (quals["qualification"] == qual)
              & (quals["quantity"] == "qualified_share")
              & quals["version"].fillna("").astype(str).eq("")  # the stock path, not a target version
              & (pd.to_numeric(quals["year"], errors="coerce") == row.target_year)]
    if q.empty or q[["p05", "p50", "p95"]].isna().any(axis=None):
        return _row(note="not computable: the teachers stage has no baseline for this share "
                    "(no 2020 outturn in the plan)")
    p05, p50, p95 = (100 * float(q[c].iloc[0]) for c in ("p05", "p50", "p95"))
    t, b = float(row.target), row.direction

    def ok(v: float) -> bool:
        return satisfies(v, t, b, sp, True)

    # P(met) bracketed by the published quantiles (no draws in the table)
    if ok(p05) and ok(p95):
        lo, hi, rng = 0.95, 1.0, ">95 %"
    elif not ok(p05) and not ok(p95):
        lo, hi, rng = 0.0, 0.05, "<5 %"
    elif ok(p50):
        lo, hi, rng = 0.5, 0.95, "50–95 %"
    else:
        lo, hi, rng = 0.05, 0.5, "5–50 %"
    return _row(met_key(lo=lo, hi=hi), np.nan, rng, "teacher_qualifications.csv",
                f"qualified share in {row.target_year}: p50 {p50:.1f} % (p05–p95 "
                f"{p05:.1f}–{p95:.1f} %) under the modelled hiring and attrition; P(met) is a "
                "range read off the quantiles")


def _draw_arrays(result) -> dict[str, tuple[list[int], np.ndarray]]:
    if result is None:
        return {}
    years = [int(y) for y in np.asarray(result.years).tolist()]
    out = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        for iid, (fn, _) in MAPPING.items():
            out[iid] = (years, np.asarray(fn(result), dtype=float))
    return out


def projected_status(card: pd.DataFrame, result=None, places_tables: dict | None = None,
                     teacher_tables: dict | None = None,
                     sp: ScorecardParams | None = None) -> pd.DataFrame:
    """The COLUMNS for every row of ``card`` (the scorecard), empty where the model does not
    compute the target."""
    sp = sp or ScorecardParams()
    promises = (places_tables or {}).get("places_promises.csv")
    quals = (teacher_tables or {}).get("teacher_qualifications.csv")
    draws = _draw_arrays(result)
    projected = projected_values(result)
    rows = []
    for row in card.itertuples(index=False):
        if pd.isna(row.target_year) or pd.isna(row.target):
            rows.append(_row())
            continue
        got = (_promise(row, promises, sp) or _draws(row, draws, projected, sp)
               or _qualification(row, quals, sp) or _row())
        rows.append(got)
    out = pd.DataFrame(rows, columns=COLUMNS, index=card.index)
    out["projected_p_met"] = pd.to_numeric(out["projected_p_met"]).astype("float64")
    return out


def judged_counts(card: pd.DataFrame) -> dict[str, int]:
    """How many targets have an observed status (not no_data), a projected one, either, and
    in all."""
    observed = card["status"].ne("no_data")
    projected = card["projected_status"].map(is_projected).astype(bool) if \
        "projected_status" in card else pd.Series(False, index=card.index)
    return {"observed": int(observed.sum()), "projected": int(projected.sum()),
            "either": int((observed | projected).sum()), "total": len(card)}
