"""Is every row of each indicator table there? A table missing a row would silently drop
targets (deleting the 公办幼儿园数 row loses two targets), so the parser checks each parsed
table against its expected structure:

- a table with a 序号 (row number) column must number its rows 1, 2, … without a gap or a
  repeat (the table's own numbering says how many rows it has);
- a table without one is checked against its declared row layout, :data:`ROWS` — the groups
  and indicator rows of the table as printed, in order (indicator ids, not line numbers).

A table with fewer rows than expected is an :class:`~qyedu.errors.InputError` naming the
table, the missing row and the line where it was expected. A row the layout does not expect
(printed twice, or in place of another) is an ``extra_row`` event and a row replaced by
another a ``missing_row`` event; the audit reports both as warning flags.
"""

from __future__ import annotations

import re

from . import names
from .table_parse import Event, Table
from .text import PlanText

#: Expected rows (indicator ids, in printed order) of the tables without a 序号 column.
ROWS: dict[str, tuple[str, ...]] = {
    "13th": (
        "kindergartens", "public_kindergartens", "preschool_gross_enrolment_ratio",
        "preschool_enrolled", "compulsory_schools", "public_compulsory_schools",
        "primary_enrolment_rate", "primary_graduate_progression_rate",
        "junior_graduate_progression_rate", "general_senior_schools", "vocational_schools",
        "senior_gross_enrolment_ratio", "special_schools", "special_students",
        "disabled_children_enrolment_rate", "preschool_teachers_associate_plus_share",
        "primary_teachers_associate_plus_share", "junior_teachers_bachelor_plus_share",
        "senior_teachers_bachelor_plus_share", "vocational_teachers_bachelor_plus_share",
    ),
    "14th-1": (
        "kindergartens", "public_kindergartens", "preschool_gross_enrolment_ratio",
        "preschool_public_inclusive_share", "preschool_public_share", "compulsory_schools",
        "public_compulsory_schools", "primary_enrolment_rate",
        "primary_graduate_progression_rate", "junior_graduate_progression_rate",
        "nine_year_retention_rate", "disabled_children_enrolment_rate",
        "general_senior_schools", "vocational_schools", "senior_gross_enrolment_ratio",
        "higher_ed_enrolled", "higher_ed_undergraduates", "higher_vocational_enrolled",
        "higher_ed_gross_enrolment_ratio", "special_schools", "disabled_children_enrolment_rate",
        "preschool_teachers_associate_plus_share", "primary_teachers_bachelor_plus_share",
        "junior_teachers_bachelor_plus_share", "senior_teachers_master_plus_share",
        "vocational_teachers_bachelor_plus_share",
    ),
}


#: Rows that carry no value of their own (a stacked label of a merged row, reported by the
#: ``merged_row`` event): their absence loses no target.
OPTIONAL = frozenset({"higher_ed_enrolled"})


def _label(indicator_id: str) -> str:
    return next((k.split("|")[-1] for k, v in names.TABLE_LABELS.items() if v == indicator_id),
                indicator_id)


def check_table(plan: PlanText, table: Table) -> None:
    """Raise InputError for a missing row; add ``extra_row`` events for unexpected ones."""
    name = table.spec.name
    if table.spec.key in ROWS:
        _check_layout(plan, table, ROWS[table.spec.key])
    else:
        _check_numbering(plan, table)
    if not table.rows:
        raise plan.error(f"table '{name}': no rows", table.title_line)


def _check_layout(plan: PlanText, table: Table, expected: tuple[str, ...]) -> None:
    got = [r.indicator_id for r in table.rows]
    i = 0  # position in expected
    missing = []
    prev_line = table.title_line
    for row in table.rows:
        if i < len(expected) and row.indicator_id == expected[i]:
            i += 1
            prev_line = row.line
            continue
        if row.indicator_id in expected[i:]:  # rows skipped before this one
            j = expected.index(row.indicator_id, i)
            missing += [(e, prev_line, row.line) for e in expected[i:j]]
            i = j + 1
            prev_line = row.line
            continue
        table.events.append(Event("extra_row", row.line, row.label,
                                  f"row '{row.label}' is not in the expected layout of table "
                                  f"'{table.spec.name}' (printed twice or added?)"))
    missing += [(e, prev_line, None) for e in expected[i:]]
    parts = [f"row '{_label(e)}' ({e}) missing, expected after line {a}"
             + (f" and before line {b}" if b else "") for e, a, b in missing]
    needed = [e for e in expected if e not in OPTIONAL]
    if len([g for g in got if g not in OPTIONAL]) < len(needed) and any(
            e not in OPTIONAL for e, _, _ in missing):
        raise plan.error(f"table '{table.spec.name}': {'; '.join(parts)} "
                         f"({len(got)} rows found, {len(expected)} expected)", missing[0][1])
    for (e, a, _), text in zip(missing, parts, strict=True):
        if e not in OPTIONAL:  # replaced by another row: flagged, the audit says which
            table.events.append(Event("missing_row", a, "", text))


def _check_numbering(plan: PlanText, table: Table) -> None:
    """Row numbers (the 序号 cell, the line before each row's label) run 1, 2, …"""
    want = 1
    for row in table.rows:
        cell = plan.line(row.line - 1).strip()
        if not re.fullmatch(r"\d+", cell):
            raise plan.error(f"table '{table.spec.name}' row '{row.label}': no row number "
                             f"(序号) before the label", row.line - 1)
        n = int(cell)
        if n > want:
            gap = f"{want}" if n == want + 1 else f"{want}–{n - 1}"
            raise plan.error(f"table '{table.spec.name}': row(s) {gap} missing (序号 jumps "
                             f"from {want - 1} to {n} before '{row.label}')", row.line - 1)
        if n < want:
            table.events.append(Event("extra_row", row.line, row.label,
                                      f"row number {n} repeated (序号 {want - 1} already "
                                      f"given)"))
            continue
        want += 1
