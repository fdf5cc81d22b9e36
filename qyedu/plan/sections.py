"""Document layout: required sections, table spans, 专栏 boxes and a source label per line.

Why: every extracted number needs a ``source`` ("table 14th-FYP (一)", "专栏4",
"section 四(二)2") and a check that the document still has the parts the parser relies on;
a missing part is an :class:`~qyedu.errors.InputError` naming the file and what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import PlanText

CN_NUM = "一二三四五六七八九十"
TOP = re.compile(rf"^\s*([{CN_NUM}]+)、")
SUB = re.compile(rf"^\s*（([{CN_NUM}]+)）")
ITEM = re.compile(r"^\s*(\d+)\.")
BOX = re.compile(r"^\s*专栏(\d+)：")
BOX_END = re.compile(r"^\s*（见附件")


@dataclass(frozen=True)
class TableSpec:
    """A table the parser expects: key, title pattern, source label, kind of its values."""

    key: str
    name: str
    title: str
    source: str
    kind: str
    growth: bool


TABLES = (
    TableSpec("13th", "清远市教育事业发展“十三五”规划主要目标完成情况",
              r"“十三五”规划主要目标完成情况\s*$", "table 13th-FYP outturn", "actual", True),
    TableSpec("14th-1", "主要预期指标表（一）", r"主要预期指标表（一）\s*$",
              "table 14th-FYP (一)", "target", False),
    TableSpec("14th-2", "主要预期指标表（二）", r"主要预期指标表（二）\s*$",
              "table 14th-FYP (二)", "target", False),
)
#: Section headings that must be present (label, pattern), in document order.
SECTIONS = (
    ("一、发展基础", r"^\s*一、发展基础"),
    ("二、总体要求", r"^\s*二、总体要求"),
    ("四、加快教育高质量发展", r"^\s*四、加快教育高质量发展"),
    ("五、深化教育领域改革开放", r"^\s*五、深化教育领域改革开放"),
    ("六、保障措施", r"^\s*六、保障措施"),
)
N_BOXES = 10


@dataclass
class Layout:
    """Where things are: table title/end lines, box spans, per-line source and part."""

    tables: dict[str, tuple[int, int]]
    boxes: dict[int, tuple[int, int]]
    source: dict[int, str]
    part: dict[int, str]

    def in_table(self, line: int) -> bool:
        return any(a <= line <= b for a, b in self.tables.values())


def _find(plan: PlanText, pattern: str, what: str, start: int = 1) -> int:
    rx = re.compile(pattern)
    for n in range(start, len(plan.lines) + 1):
        if rx.search(plan.line(n)):
            return n
    raise plan.error(
        f"expected {what} not found; the document ends at line {len(plan.lines)} "
        "(truncated or not the 14th-FYP education plan?)", len(plan.lines))


def table_end(plan: PlanText, title: int) -> int:
    """Last line of the table whose title is on line ``title``.

    A table is its header and rows of TAB-led cells (rows separated by one blank line,
    wrapped cell text on untabbed lines); it ends at two blank lines, or at an untabbed
    line that follows a blank line, or at the end of the file.
    """
    n, last = title + 1, len(plan.lines)
    while n <= last and not plan.line(n).strip():
        n += 1
    end = n
    while n <= last:
        text = plan.line(n)
        if not text.strip() and not text.startswith("\t"):
            nxt = plan.line(n + 1) if n < last else ""
            if not nxt.startswith("\t"):
                return end
        else:
            end = n
        n += 1
    return end


def layout(plan: PlanText) -> Layout:
    """Locate tables, boxes and sections; raise InputError if an expected part is missing."""
    section_lines = {}
    prev = 1
    for label, pattern in SECTIONS:
        prev = section_lines[label] = _find(plan, pattern, f"section '{label}'", prev)
    tables = {}
    for spec in TABLES:
        t = _find(plan, spec.title, f"table '{spec.name}' ({spec.source})")
        tables[spec.key] = (t, table_end(plan, t))
    boxes = {}
    for k in range(1, N_BOXES + 1):
        start = _find(plan, rf"^\s*专栏{k}：", f"box '专栏{k}'")
        end = _find(plan, BOX_END.pattern, f"end of box '专栏{k}' (a '（见附件…）' line)", start)
        boxes[k] = (start, end)
    source, part = {}, {}
    top = sub = item = ""
    for n in range(1, len(plan.lines) + 1):
        text = plan.line(n)
        box = next((k for k, (a, b) in boxes.items() if a <= n <= b), None)
        if box is None:
            if m := TOP.match(text):
                top, sub, item = m.group(1), "", ""
            elif m := SUB.match(text):
                sub, item = m.group(1), ""
            elif m := ITEM.match(text):
                item = m.group(1)
        part[n] = top
        if box is not None:
            source[n] = f"专栏{box}"
        else:
            source[n] = "section " + top + (f"({sub})" if sub else "") + item
    for spec in TABLES:
        a, b = tables[spec.key]
        for n in range(a, b + 1):
            source[n] = spec.source
    return Layout(tables=tables, boxes=boxes, source=source, part=part)
