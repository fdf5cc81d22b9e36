"""Parse the three indicator tables of the plan (one cell per line in the Word export).

Layout handled: cells start with a TAB, wrapped cell text continues on untabbed lines
(joined without separator: "学前\\n教育" → "学前教育"), rows are separated by one blank
line, the group cell ("学前教育") is printed only on the first row of its group. Oddities
are kept as :class:`Event` records for the audit instead of being fixed silently: empty
rows, target columns labelled 预计完成值, a value split over two lines ("\\t\\n14"), a merged row whose stacked labels
outnumber its stacked values (the label without a value gets none), empty cells.
A row with the wrong number of value cells, an unknown label or an unreadable number is
an :class:`~qyedu.errors.InputError` naming file, line, table and row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import names
from .numbers import label_unit, parse_single
from .sections import TABLES, Layout, TableSpec
from .text import PlanText

CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Cell:
    """One table cell: its text lines (first from the TAB line) and their line numbers."""

    lines: list[str]
    numbers: list[int]

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def filled(self) -> list[tuple[str, int]]:
        return [(s, n) for s, n in zip(self.lines, self.numbers, strict=True) if s]


@dataclass(frozen=True)
class CellValue:
    text: str
    line: int


@dataclass(frozen=True)
class Event:
    """A layout oddity found while parsing: kind, line, row label, message."""

    kind: str
    line: int
    label: str
    message: str


@dataclass
class TableRow:
    group: str
    label: str
    line: int
    indicator_id: str
    values: dict[int, CellValue | None]
    growth: CellValue | None = None


@dataclass
class Table:
    spec: TableSpec
    title_line: int
    years: list[int]
    rows: list[TableRow] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def _is_value(cell: Cell) -> bool:
    """A value cell: every line has a digit and no Chinese text besides a qualifier.

    Deliberately looser than a valid number so that a garbled value ("8x4") is reported
    as an unreadable value of its row rather than mistaken for a row label."""
    filled = cell.filled()
    return bool(filled) and all(
        re.search(r"\d", s) and not CJK.search(re.sub(r"以上|以下|左右", "", s))
        for s, _ in filled)


def _blocks(plan: PlanText, start: int, end: int) -> list[list[Cell]]:
    """Group lines start..end into rows (lists of cells)."""
    rows, cells = [], []
    for n in range(start, end + 1):
        text = plan.line(n)
        if text.startswith("\t"):
            cells.append(Cell([text[1:].strip()], [n]))
        elif text.strip():
            if not cells:
                raise plan.error(f"unexpected untabbed text {text.strip()!r} in a table", n)
            cells[-1].lines.append(text.strip())
            cells[-1].numbers.append(n)
        elif cells:
            rows.append(cells)
            cells = []
    if cells:
        rows.append(cells)
    return rows


def _header(plan: PlanText, spec: TableSpec, cells: list[Cell]) -> list[int]:
    texts = [re.sub(r"\s", "", c.text) for c in cells]
    years = [int(m.group(1)) for t in texts if (m := re.match(r"(\d{4})年", t))]
    growth = any("增幅" in t for t in texts)
    if "指标" not in texts or len(years) != 2 or growth != spec.growth:
        want = "指标, two year columns" + (", 增幅（%）" if spec.growth else "")
        raise plan.error(f"table '{spec.name}' header: expected columns {want}; found {texts}",
                         cells[0].numbers[0])
    return years


def _row_error(plan, spec, label, line, msg):
    return plan.error(f"table '{spec.name}' row '{label}': {msg}", line)


def parse_table(plan: PlanText, spec: TableSpec, span: tuple[int, int]) -> Table:
    """Parse one table (title line and last line in ``span``) into rows and events."""
    title, end = span
    blocks = _blocks(plan, title + 1, end)
    if not blocks:
        raise plan.error(f"table '{spec.name}': no header or rows after the title", title)
    table = Table(spec, title, _header(plan, spec, blocks[0]))
    for c in blocks[0]:
        if spec.kind == "target" and "预计" in c.text:
            table.events.append(Event("column_kind", c.numbers[0], "",
                                      f"column '{c.text}' (expected outturn) read as a target"))
    n_val = 2 + spec.growth
    group = ""
    for cells in blocks[1:]:
        if not any(c.text for c in cells):
            table.events.append(Event("empty_row", cells[0].numbers[0], "",
                                      "row of empty cells (stray table row) ignored"))
            continue
        labels = [i for i, c in enumerate(cells) if c.text and not _is_value(c)]
        if not labels:
            raise plan.error(f"table '{spec.name}': row without an indicator label",
                             cells[0].numbers[0])
        i = labels[-1]
        lab_cell, pre, vals = cells[i], cells[:i], cells[i + 1:]
        if spec.key != "14th-2" and pre and "".join(c.text for c in pre):
            group = "".join(c.text for c in pre)
        first_label = "".join(lab_cell.lines)
        if len(vals) != n_val:
            raise _row_error(plan, spec, first_label, lab_cell.numbers[0],
                             f"expected {n_val} values, found {len(vals)}")
        filled = [v.filled() for v in vals]
        for v, f in zip(vals, filled, strict=True):
            if f and not v.lines[0]:
                table.events.append(Event("split_cell", f[0][1], first_label,
                                          f"value {f[0][0]!r} printed on the line after its "
                                          "(empty) cell start"))
        k = max(len(f) for f in filled[:2])
        labs = lab_cell.filled()
        if k > 1:
            if len(labs) < k or any(len(f) != k for f in filled[:2]):
                raise _row_error(plan, spec, first_label, lab_cell.numbers[0],
                                 f"merged row: {len(labs)} labels for {k} stacked values")
            for s, n in labs[: len(labs) - k]:
                table.events.append(Event("merged_row", n, s,
                                          f"merged row: {len(labs)} stacked labels but {k} "
                                          f"values per column; '{s}' has no value of its own"))
                table.rows.append(_make_row(plan, spec, group, s, n, {}, None))
            subrows = [(s, n, j) for j, (s, n) in enumerate(labs[len(labs) - k:])]
        else:
            subrows = [(first_label, lab_cell.numbers[0], 0)]
        for s, n, j in subrows:
            values = {}
            for year, f, v in zip(table.years, filled, vals, strict=False):
                values[year] = CellValue(f[j][0], f[j][1]) if f else None
                if not f:
                    table.events.append(Event("missing_cell", v.numbers[0], s,
                                              f"empty {year} cell"))
            growth = None
            if spec.growth:
                f = filled[2]
                growth = CellValue(f[0][0], f[0][1]) if f else None
                if not f:
                    table.events.append(Event("missing_cell", vals[2].numbers[0], s,
                                              "empty growth (增幅) cell"))
            table.rows.append(_make_row(plan, spec, group, s, n, values, growth))
    return table


def _make_row(plan, spec, group, label, line, values, growth) -> TableRow:
    ind = names.table_id(group, label)
    if ind is None:
        raise _row_error(plan, spec, label, line,
                         f"unknown indicator label (group '{group}'); expected one of the "
                         "labels registered in qyedu/plan/names.py")
    return TableRow(group, label, line, ind, values, growth)


def parse_tables(plan: PlanText, lay: Layout) -> dict[str, Table]:
    """Parse every expected table (keys as in :data:`qyedu.plan.sections.TABLES`) and check
    that none lacks a row (:mod:`.completeness`)."""
    from .completeness import check_table

    out = {spec.key: parse_table(plan, spec, lay.tables[spec.key]) for spec in TABLES}
    for table in out.values():
        check_table(plan, table)
    return out


def table_records(plan: PlanText, tables: dict[str, Table]) -> list[dict]:
    """Indicator records (one per row × year with a value) from the parsed tables."""
    out = []
    for table in tables.values():
        for row in table.rows:
            unit, scale = label_unit(row.label)
            for year, cv in row.values.items():
                if cv is None:
                    continue
                try:
                    q = parse_single(cv.text)
                except ValueError as err:
                    raise _row_error(plan, table.spec, row.label, cv.line, str(err)) from None
                out.append(dict(
                    indicator_id=row.indicator_id, name_zh=row.label, unit=unit or q.unit,
                    year=year, kind=table.spec.kind, value=round(q.value * scale, 6),
                    bound=q.bound, source=table.spec.source, line=cv.line, text=cv.text,
                    group_zh=row.group))
    return out
