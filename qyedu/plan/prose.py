"""Rule-based extraction of quantitative statements from the plan's prose and 专栏 boxes.

Section 一、发展基础 reports the 13th-FYP outturn (kind ``actual``, year 2020 unless the text
prints another year right at the number, "由2015年的92.5%"); sections 二–五 and the boxes
state targets (kind ``target``). A target's year is the last year named earlier in its
sentence ("到2025年", "力争2022年", "2021年各县…"; a "2015年的" baseline is not a target
year); without one it belongs to the plan period and gets 2025. Every pattern of
:mod:`qyedu.plan.patterns` must match somewhere: if the text no longer says what a pattern
expects, parsing fails with an :class:`~qyedu.errors.InputError` naming the section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .numbers import parse_quantity
from .patterns import ACTUAL, RATIO_UNITS, TARGET, Pattern
from .sections import Layout
from .text import PlanText

PLAN_END = 2025
BASE_YEAR = 2020
YEAR = re.compile(r"(?<![-－—\d])(20\d{2})年(?!的)")
SENTENCE_END = re.compile(r"[。；]")
TARGET_PARTS = {"二", "三", "四", "五", "六"}


@dataclass
class ProseResult:
    """Extracted records and the character spans they cover (line → [(start, end, id)])."""

    records: list[dict] = field(default_factory=list)
    covered: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)


def _year(text: str, pos: int, kind: str) -> int:
    start = max((m.end() for m in SENTENCE_END.finditer(text, 0, pos)), default=0)
    years = [int(y) for y in YEAR.findall(text[start:pos])]
    if kind == "actual":
        return years[-1] if years and years[-1] <= BASE_YEAR else BASE_YEAR
    return years[-1] if years and BASE_YEAR < years[-1] <= PLAN_END else PLAN_END


def _section_line(lay: Layout, where: str) -> int | None:
    if where.startswith("专栏"):
        return lay.boxes[int(where[2:])][0]
    target = "section " + where
    return next((n for n, s in sorted(lay.source.items()) if s.startswith(target)), None)


def _records(pat: Pattern, m: re.Match, n: int, text: str, kind: str, lay: Layout,
             plan: PlanText) -> list[dict]:
    out = []
    for k, ind in enumerate(pat.ids, 1):
        qtext = m.group(f"q{k}")
        ygroup = f"y{k}"
        year = (int(m.group(ygroup)) if ygroup in m.re.groupindex and m.group(ygroup)
                else _year(text, m.start(f"q{k}"), kind))
        try:
            quantities = parse_quantity(qtext)
        except ValueError as err:
            raise plan.error(f"{lay.source[n]}: {ind}: {err}", n) from None
        name = pat.zh[k - 1] if pat.zh else m.group("name")
        for q in quantities:
            bound = pat.bound if pat.bound and q.bound == "eq" else q.bound
            out.append(dict(
                indicator_id=ind, name_zh=name, unit=q.unit or RATIO_UNITS.get(ind, ""),
                year=year, kind=kind, value=q.value, bound=bound, source=lay.source[n],
                line=n, text=qtext, group_zh=""))
    return out


def extract(plan: PlanText, lay: Layout) -> ProseResult:
    """Find every pattern's statements in the prose and boxes (tables excluded).

    Parameters
    ----------
    plan : PlanText
        Cleaned plan text.
    lay : Layout
        Its layout (:func:`qyedu.plan.sections.layout`).

    Returns
    -------
    ProseResult
        Records (dicts with the registry columns) and the covered character spans.

    Raises
    ------
    InputError
        If a quantity cannot be parsed or a pattern finds nothing (names the section).
    """
    res = ProseResult()
    compiled = {p: p.compiled() for p in ACTUAL + TARGET}
    hits = dict.fromkeys(compiled, 0)
    for n in range(1, len(plan.lines) + 1):
        if lay.in_table(n):
            continue
        part = lay.part.get(n, "")
        if part == "一":
            patterns, kind = ACTUAL, "actual"
        elif part in TARGET_PARTS:
            patterns, kind = TARGET, "target"
        else:
            continue
        text = plan.line(n)
        for pat in patterns:
            for m in compiled[pat].finditer(text):
                hits[pat] += 1
                res.records.extend(_records(pat, m, n, text, kind, lay, plan))
                res.covered.setdefault(n, []).append((*m.span(), pat.ids[0]))
    for pat, count in hits.items():
        if not count:
            raise plan.error(
                f"section '{pat.where}': expected a statement for {', '.join(pat.ids)} "
                f"(pattern {pat.regex!r}) but the text no longer contains it",
                _section_line(lay, pat.where))
    return res
