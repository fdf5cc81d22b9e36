"""Does an area's junior level hold three grades? A check on area tables, no number changed.

The grade flow assumes the six-three system (primary grades 1–6, junior 7–9), as Guangdong
runs it. Some areas run five-four instead (上海 throughout since 2004, parts of a few
provinces), where junior holds four grades. Where an area table gives junior intake, the
pupils per entrant, enrolment ÷ intake, is set against the same ratio of its cohorts
(ages 12–14 against age 12, 31 August weighting as in ``flow``): the *grade index* is about 1
under six-three (repetition, drop-out and migration move it, by up to a fifth on the panel)
and about 4/3 under five-four. Without the births of those cohorts the cohorts are taken as equal
(expected ratio 3). Above ``FOUR_YEAR_FLAG`` — a third of pupils in four-year junior schools —
``qyedu forecast --area-data`` says so beside the forecast, because the flow's three grades
misread such a level: in the back-test, 上海's primary and junior forecasts ran 23–34 % high
(docs/PROJECTION.md §7). On the validation panel (2011–14, births from both province files) the
index is 0.79–1.09 for every province but 上海 (1.18–1.34) and 黑龙江 (1.13 in 2011; 3.34–3.65
pupils per entrant against 2.67–3.30 elsewhere).
"""

from __future__ import annotations

import pandas as pd

from .ratio_drift import age_cohort
from .result import LEVEL_AGES

LEVEL = "junior_secondary"
FOUR_YEAR_FLAG = 1 + 1 / 9  # index 1 + s/3 with a share s = 1/3 of pupils in four-year schools


def grade_index(data, base_year: int | None = None) -> pd.DataFrame:
    """Junior pupils per entrant against its cohorts, for every year with both enrolment and
    intake (up to ``base_year``): year, enrolment, intake, ratio, expected (from births, or 3
    without them), index, from_births."""
    d = data if base_year is None else data.as_of(base_year)
    e = d.enrolment[d.enrolment["level"] == LEVEL].set_index("year")["value"]
    i = d.intake[d.intake["level"] == LEVEL].set_index("year")["value"] \
        if len(d.intake) else pd.Series(dtype=float)
    ages = list(LEVEL_AGES[LEVEL])
    rows = []
    for y in sorted(set(e.index) & set(i.index)):
        if not i[y] > 0:
            continue
        c = [float(age_cohort(d.births, [int(y)], a).iloc[0]) for a in ages]  # NaN: unknown
        known = all(v > 0 for v in c)
        expected = sum(c) / c[0] if known else float(len(ages))
        ratio = float(e[y] / i[y])
        rows.append({"year": int(y), "enrolment": float(e[y]), "intake": float(i[y]),
                     "ratio": ratio, "expected": expected, "index": ratio / expected,
                     "from_births": known})
    return pd.DataFrame(rows, columns=["year", "enrolment", "intake", "ratio", "expected",
                                       "index", "from_births"])


def four_year_note(data, base_year: int | None = None) -> str | None:
    """A sentence for the forecast's output when the latest grade index is above
    ``FOUR_YEAR_FLAG``; None otherwise (or without junior intake)."""
    g = grade_index(data, base_year)
    if g.empty:
        return None
    last = g.iloc[-1]
    if last["index"] <= FOUR_YEAR_FLAG:
        return None
    basis = "by its cohorts' births" if last["from_births"] else \
        "cohorts taken as equal, their births not given"
    share = min(1.0, 3 * (last["index"] - 1))
    return (f"junior enrolment in {int(last['year'])} is {last['ratio']:.2f} × its intake, "
            f"{last['index']:.2f} × what three grades hold ({basis}): about {share * 100:.0f} % of "
            f"pupils may be in four-year junior schools (五四制). The flow assumes six-three "
            f"(六三制); read its primary and junior forecasts with care (what it did to "
            f"上海's back-test: docs/PROJECTION.md §7)")
