"""Row schemas of the raw and user-supplied tables (pydantic) and the plausible ranges the
values are checked against, each declared with its source.

A schema checks what one row can say about itself (a finite number, a year in range, a
non-empty source); :mod:`.series` and :mod:`qyedu.scorecard.observations` add the checks
that need other rows (ranges relative to published totals, grades summing to totals,
counties not above the city, duplicates). Every problem is reported with file, line and
column, all at once."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

#: Years any input may refer to: declared bounds with their reason.
YEAR_MIN, YEAR_MAX = 2000, 2050
YEAR_SOURCE = ("assumption: inputs start with the 2000s bulletins; the projection ends by "
               "2050 (forecast.horizon ≤ 2050)")
#: An enrolment value may be at most this many times the published city total of its level.
ENROLMENT_FACTOR = 10
ENROLMENT_SOURCE = "data/raw/enrollment.csv (published city total of the level) × 10"
#: Without a published total: at most the city's resident population.
POPULATION_SOURCE = "data/raw/population.csv (清远市 resident population, 2020 census)"
#: Observations of plan indicators: percentages within [0, PERCENT_MAX] (gross ratios may
#: exceed 100), counts within [0, COUNT_FACTOR × the largest plan figure of the indicator].
PERCENT_MAX = 200
PERCENT_SOURCE = "assumption: gross enrolment ratios can exceed 100 %, never 200 %"
COUNT_FACTOR = 10
COUNT_SOURCE = "the plan's own figure for the indicator (plan_indicators.csv) × 10"
#: Rates in the published-statistics files, by unit: (low, high, source).
UNIT_RANGES = {
    "percent": (0.0, float(PERCENT_MAX), PERCENT_SOURCE),
    "per mille": (0.0, 1000.0, "definition: a rate per 1,000 population"),
}
#: Grades must add up to the level's total within this relative tolerance.
SUM_TOLERANCE = 0.005

Finite = Annotated[float, Field(allow_inf_nan=False)]
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]


class _Row(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    @field_validator("value", mode="before", check_fields=False)
    @classmethod
    def _number(cls, v):
        return v.replace(",", "") if isinstance(v, str) else v


class ObservationRow(_Row):
    """One line of ``data/raw/observed/*.csv``."""

    indicator: str = Field(min_length=1)
    year: Year
    value: Finite
    source: str = Field(min_length=1)


class EnrolmentValue(_Row):
    """The value of one line of an enrolment series (pupils, ≥ 0)."""

    value: Annotated[float, Field(allow_inf_nan=False, ge=0)]


class RawValue(_Row):
    """The value of one line of a published-statistics file (a finite number)."""

    value: Finite


MESSAGES = {
    ("year", "greater_than_equal"): f"year {{got}} out of range {YEAR_MIN}–{YEAR_MAX} "
                                    f"({YEAR_SOURCE})",
    ("year", "less_than_equal"): f"year {{got}} out of range {YEAR_MIN}–{YEAR_MAX} "
                                 f"({YEAR_SOURCE})",
    ("year", "int_parsing"): "year {got!r} is not an integer",
    ("year", "int_from_float"): "year {got!r} is not an integer",
    ("", "float_parsing"): "{col} {got!r} is not a number",
    ("", "finite_number"): "{col} {got!r} is not a finite number",
    ("value", "greater_than_equal"): "negative value {got} (a count of pupils is ≥ 0)",
    ("", "string_too_short"): "{col} is empty",
    ("source", "string_too_short"): "source is empty (give the URL and the quoted figure)",
    ("", "missing"): "{col} is missing",
}


def row_problems(model: type[BaseModel], row: dict) -> tuple[BaseModel | None,
                                                             list[tuple[str, str]]]:
    """Validate one row; (the model or None, [(column, message), …])."""
    try:
        return model.model_validate(row), []
    except ValidationError as err:
        out = []
        for e in err.errors():
            col = str(e["loc"][0]) if e["loc"] else ""
            shown = row.get(col)
            msg = MESSAGES.get((col, e["type"]), MESSAGES.get(("", e["type"])))
            if msg is None:
                msg = e["msg"].removeprefix("Value error, ") + f" (got {shown!r})"
            out.append((col, msg.format(col=col, got=shown)))
        return None, out
