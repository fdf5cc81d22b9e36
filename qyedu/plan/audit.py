"""Audit the indicator registry against itself and against the text: general rules only.

Cross-source rules (table-layout and noise rules live in :mod:`.audit_tables`):

``target_conflict``        one indicator and year given different targets in different
                           places (warning if the values differ, or if two prose statements
                           differ in bound; info if only a table's bare number differs in
                           bound from the prose, e.g. 80 vs 80%以上);
``actual_conflict``        one outturn printed with different values (info when they agree
                           to the printed precision, e.g. 92.5 vs 92.53; else warning);
``target_below_baseline``  a target (eq/ge/approx) below the latest outturn (warning);
``editorial_note``         a parenthesis saying what a figure "应为" (should be) (warning);
``benchmark_wording``      the same subject promised to "接近" and to "达" the same average
                           (warning);
``unextracted_number``     a number in the target sections no pattern read (info).
``flag_id`` is ``<rule>-<nnn>``, numbered after a deterministic sort.
"""

from __future__ import annotations

import re

import pandas as pd

from .audit_tables import Flag, definition_rules, growth_rules, layout_rules, noise_rules
from .numbers import decimals
from .prose import TARGET_PARTS

NOTE = re.compile(r"（[^（）]*应为[^（）]*）")
BENCH = re.compile(r"(接近|达到|达)([^，。；、]{0,6}平均水平)")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
NOT_QUANTITY = re.compile(
    r"《[^》]*》|20\d{2}(?:\s*[-－—]\s*20\d{2})?年|^\s*\d+\.|专栏\d+|\d*\+X|5G|IPv6|\d\.0要求|“[\d+]+”")
FLAG_COLUMNS = ["flag_id", "severity", "indicator_id", "line", "message"]


def _where(rows: pd.DataFrame) -> str:
    return ", ".join(f"{s} line {n}" for s, n in zip(rows["source"], rows["line"], strict=True))


def _variant(rows: pd.DataFrame) -> str:
    parts = sorted(zip(rows["bound"], rows["value"], strict=True), key=lambda x: (x[0], x[1]))
    return " & ".join(f"{b} {v:g}" for b, v in parts)


def conflict_rules(ind: pd.DataFrame) -> list[Flag]:
    """target_conflict and actual_conflict between statements of one indicator and year."""
    out = []
    for (iid, year, kind), grp in ind.groupby(["indicator_id", "year", "kind"], sort=True):
        stmts = {}
        for (src, line), rows in grp.groupby(["source", "line"], sort=True):
            stmts.setdefault(_variant(rows), []).append((src, line, rows))
        if len(stmts) < 2:
            continue
        desc = "; ".join(f"{v} [{', '.join(f'{s} line {n}' for s, n, _ in lst)}]"
                         for v, lst in sorted(stmts.items()))
        first_line = min(n for lst in stmts.values() for _, n, _ in lst)
        values = {frozenset(lst[0][2]["value"]) for lst in stmts.values()}
        if kind == "target":
            prose_variants = sum(any(not s.startswith("table") for s, _, _ in lst)
                                 for lst in stmts.values())
            severity = "warning" if len(values) > 1 or prose_variants > 1 else "info"
            what = "values" if len(values) > 1 else "bounds"
            out.append(Flag("target_conflict", severity, iid, first_line,
                            f"{iid} {year} target stated with different {what}: {desc}"))
        else:
            vals = sorted(grp["value"])
            tol = 0.5 * 10.0 ** -min(decimals(t) for t in grp["text"]) + 1e-9
            severity = "info" if vals[-1] - vals[0] <= tol else "warning"
            out.append(Flag("actual_conflict", severity, iid, first_line,
                            f"{iid} {year} outturn printed differently: {desc}"))
    return out


def baseline_rules(ind: pd.DataFrame) -> list[Flag]:
    """target_below_baseline: targets below the latest outturn of the same indicator."""
    out = []
    for iid, grp in ind.groupby("indicator_id", sort=True):
        act, tgt = grp[grp["kind"] == "actual"], grp[grp["kind"] == "target"]
        if act.empty or tgt.empty:
            continue
        last = act[act["year"] == act["year"].max()]
        tab = last[last["source"].str.startswith("table")]
        base = (tab if not tab.empty else last).iloc[0]
        low = tgt[tgt["bound"].isin(["eq", "ge", "approx"]) & (tgt["value"] < base["value"])]
        if low.empty:
            continue
        items = "; ".join(f"{r.value:g} {r.bound} in {r.year} ({r.source} line {r.line})"
                          for r in low.itertuples())
        out.append(Flag("target_below_baseline", "warning", iid, int(low["line"].min()),
                        f"{iid}: target(s) {items} below the {base['year']} outturn "
                        f"{base['value']:g} ({base['source']} line {base['line']})"))
    return out


def text_rules(analysis) -> list[Flag]:
    """editorial_note, benchmark_wording and unextracted_number on the cleaned prose."""
    plan, lay, covered = analysis.plan, analysis.layout, analysis.prose.covered
    out, bench = [], {}
    for n, text in enumerate(plan.lines, 1):
        if lay.in_table(n):
            continue
        spans = covered.get(n, [])
        for m in NOTE.finditer(text):
            before = [s for s in spans if s[1] <= m.start() + 1]
            ind = max(before, key=lambda s: s[1])[2] if before else ""
            out.append(Flag("editorial_note", "warning", ind, n,
                            f"{lay.source[n]}: editorial note {m.group(0)!r} next to a "
                            "reported figure: the printed figure may not be final"))
        if lay.part.get(n) not in TARGET_PARTS:
            continue
        for m in BENCH.finditer(text):
            start = max((k.end() for k in re.finditer(r"[，。；：]", text[: m.start()])),
                        default=0)
            subject = text[start:m.start()]
            verb = "达" if m.group(1).startswith("达") else "接近"
            bench.setdefault((subject, m.group(2)), []).append((verb, n, lay.source[n]))
        skip = [k.span() for k in NOT_QUANTITY.finditer(text)] + [s[:2] for s in spans]
        for m in NUMBER.finditer(text):
            if not any(a <= m.start() < b for a, b in skip):
                ctx = text[max(0, m.start() - 12): m.end() + 8]
                out.append(Flag("unextracted_number", "info", "", n,
                                f"{lay.source[n]}: number {m.group(0)!r} not read as an "
                                f"indicator: …{ctx}…"))
    for (subject, goal), uses in sorted(bench.items()):
        if len({u[0] for u in uses}) > 1:
            desc = "; ".join(f"{v}{goal} ({s} line {n})" for v, n, s in uses)
            out.append(Flag("benchmark_wording", "warning", "", uses[0][1],
                            f"'{subject}' is promised differently: {desc}"))
    return out


def run_rules(indicators: pd.DataFrame, analysis) -> pd.DataFrame:
    """All rules → the flags table (``flag_id, severity, indicator_id, line, message``)."""
    flags = (growth_rules(analysis.tables) + layout_rules(analysis.tables)
             + definition_rules(analysis.tables) + conflict_rules(indicators)
             + baseline_rules(indicators) + text_rules(analysis)
             + noise_rules(analysis.plan.noise))
    flags = sorted(set(flags), key=lambda f: (f.rule, f.line, f.indicator_id, f.message))
    rows, seq = [], {}
    for f in flags:
        seq[f.rule] = seq.get(f.rule, 0) + 1
        rows.append(dict(flag_id=f"{f.rule}-{seq[f.rule]:03d}", severity=f.severity,
                         indicator_id=f.indicator_id, line=f.line, message=f.message))
    df = pd.DataFrame.from_records(rows, columns=FLAG_COLUMNS)
    df["line"] = df["line"].astype("int64")
    return df
