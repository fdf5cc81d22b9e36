"""Audit rules on the tables' own arithmetic and layout, and on removed typographic noise.

Rules (each a function returning :class:`Flag` records; nothing refers to known lines):

``growth_mismatch`` (error)       printed 增幅 matches neither the relative growth nor the
                                  change in points recomputed from the two printed values;
``growth_basis_mixed`` (warning)  a growth cell equals the change in percentage points while
                                  other cells of the column are relative growth;
``growth_format`` (info)          a growth cell lacks the % sign the column mostly carries;
``missing_cell`` / ``split_cell`` / ``merged_row`` / ``empty_row`` / ``column_kind``
                                  layout events of the table parser (warning / info /
                                  warning / info / info: a 预计完成值 column read as target);
``duplicate_row`` (info)          the same indicator printed twice in one table;
``definition_change`` (warning)   a target row measures a qualification threshold
                                  (专科/本科/硕士研究生以上) other than the outturn row it
                                  continues, so the target has no baseline on its definition;
``noise_*`` (info)                bookmarks, comments, doubled punctuation, footnote markers
                                  and padded headers removed by :mod:`qyedu.plan.text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import decimals, parse_single

QUAL = re.compile(r"(专科|本科|硕士研究生|硕士|研究生)以上")
EVENT_SEVERITY = {"missing_cell": "warning", "split_cell": "info", "merged_row": "warning",
                  "empty_row": "info", "column_kind": "info", "extra_row": "warning",
                  "missing_row": "warning"}


@dataclass(frozen=True)
class Flag:
    rule: str
    severity: str
    indicator_id: str
    line: int
    message: str


def _fmt(x: float) -> str:
    return f"{x:.4g}" if abs(x) < 1000 else f"{x:.0f}"


def _growth_basis(row, years):
    v0 = parse_single(row.values[years[0]].text).value
    v1 = parse_single(row.values[years[1]].text).value
    g = parse_single(row.growth.text).value
    tol = 10.0 ** -decimals(row.growth.text) + 1e-9
    rel = (v1 - v0) / v0 * 100 if v0 else float("nan")
    pts = v1 - v0
    ok_rel, ok_pts = abs(g - rel) <= tol, abs(g - pts) <= tol
    basis = "both" if ok_rel and ok_pts else "relative" if ok_rel else (
        "points" if ok_pts else "none")
    return basis, g, rel, pts


def growth_rules(tables) -> list[Flag]:
    """growth_mismatch, growth_basis_mixed and growth_format on every table with 增幅."""
    out = []
    for table in tables.values():
        if not table.spec.growth:
            continue
        rows = [r for r in table.rows if r.growth is not None]
        info = {}
        for r in rows:
            if all(r.values.get(y) for y in table.years):
                info[id(r)] = _growth_basis(r, table.years)
        has_rel = any(b[0] == "relative" for b in info.values())
        with_pct = sum("%" in r.growth.text for r in rows)
        for r in rows:
            name = f"table '{table.spec.name}' row '{r.label}'"
            basis, g, rel, pts = info.get(id(r), ("n/a", None, None, None))
            if basis == "none":
                out.append(Flag("growth_mismatch", "error", r.indicator_id, r.growth.line,
                                f"{name}: printed growth {r.growth.text!r} matches neither the "
                                f"relative growth {_fmt(rel)}% nor the change {_fmt(pts)} "
                                "points recomputed from the printed values"))
            elif basis == "points" and has_rel:
                out.append(Flag("growth_basis_mixed", "warning", r.indicator_id, r.growth.line,
                                f"{name}: printed growth {r.growth.text!r} is the change in "
                                f"percentage points ({_fmt(pts)}), not the relative growth "
                                f"({_fmt(rel)}%) used elsewhere in the column"))
            if with_pct * 2 > len(rows) and "%" not in r.growth.text:
                sign = " (a negative value)" if r.growth.text.startswith("-") else ""
                out.append(Flag("growth_format", "info", r.indicator_id, r.growth.line,
                                f"{name}: growth {r.growth.text!r}{sign} printed without the "
                                f"% sign carried by {with_pct} of {len(rows)} cells"))
    return out


def layout_rules(tables) -> list[Flag]:
    """Parser events (missing/split cells, merged and empty rows) and duplicate rows."""
    out = []
    for table in tables.values():
        ids = {}
        for r in table.rows:
            ids.setdefault(r.indicator_id, []).append(r)
        for e in table.events:
            ind = next((r.indicator_id for r in table.rows if r.label == e.label), "")
            out.append(Flag(e.kind, EVENT_SEVERITY[e.kind], ind, e.line,
                            f"table '{table.spec.name}': " + (f"row '{e.label}': " if e.label
                                                              else "") + e.message))
        for ind, rows in ids.items():
            if len(rows) > 1:
                where = "; ".join(f"'{r.label}' (group {r.group}, line {r.line})" for r in rows)
                out.append(Flag("duplicate_row", "info", ind, rows[1].line,
                                f"table '{table.spec.name}' prints {ind} {len(rows)} times: "
                                f"{where}"))
    return out


def definition_rules(tables) -> list[Flag]:
    """definition_change: target label's qualification threshold differs from the outturn's."""
    def key(label):
        return QUAL.sub("{Q}", label).removeprefix("普通")

    outturn = [(r, t) for t in tables.values() if t.spec.kind == "actual" for r in t.rows]
    out = []
    for t in tables.values():
        if t.spec.kind != "target":
            continue
        for r in t.rows:
            m = QUAL.search(r.label)
            if not m:
                continue
            for b, bt in outturn:
                mb = QUAL.search(b.label)
                if mb and key(b.label) == key(r.label) and mb.group(0) != m.group(0):
                    out.append(Flag(
                        "definition_change", "warning", r.indicator_id, r.line,
                        f"target '{r.label}' ({t.spec.source}) counts {m.group(0)} while the "
                        f"outturn row it continues, '{b.label}' ({bt.spec.source}, line "
                        f"{b.line}), counts {mb.group(0)}: no baseline on the target's "
                        "definition"))
    return out


def noise_rules(noise) -> list[Flag]:
    """noise_* info flags: one per removed item; bookmarks summarised in one flag."""
    out = []
    marks = [n for n in noise if n.kind == "bookmark"]
    if marks:
        total = sum(int(n.text.split()[0]) for n in marks)
        out.append(Flag("noise_bookmark", "info", "", marks[0].line,
                        f"removed {total} Word bookmark markers ([bookmark: _Toc…]) on "
                        f"{len(marks)} lines"))
    what = {"comment": "tracked-change comment", "double_punct": "doubled punctuation",
            "footnote_marker": "stray footnote marker", "header_space": "padded table header"}
    for n in noise:
        if n.kind in what:
            out.append(Flag(f"noise_{n.kind}", "info", "", n.line,
                            f"removed {what[n.kind]}: {n.text!r}"))
    return out
