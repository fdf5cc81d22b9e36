"""Parameters as data with metadata: every field carries a description, unit, valid range
or choices and a source; unknown names are errors; all errors are reported at once."""

from __future__ import annotations

from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field


class ParamModel(BaseModel):
    """Base for all parameter sections: frozen, unknown keys rejected, strict types (no bool
    for a number, no string for a number: ``draws: true`` is an error, not one draw)."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, strict=True)


def revalidated(model: ParamModel) -> ParamModel:
    """``model`` validated again from its values: a model made with ``model_copy(update=…)``
    or ``model_construct`` skips pydantic's checks, so every entry point that receives a
    parameter object (the Workbench) checks every range once more. Raises the model's
    ValidationError naming the parameter."""
    return type(model).model_validate(model.model_dump())


def param(default: Any, description: str, unit: str, source: str, **constraints: Any) -> Any:
    """Declare a parameter: a default plus description, unit and source (document/section or
    'assumption: …' where no published figure exists). ``constraints`` are pydantic bounds
    (``ge``, ``le``, ``gt``, ``lt``)."""
    if isinstance(default, tuple | list):
        # YAML has lists, not tuples: accept a list for a tuple field (elements still checked)
        constraints.setdefault("strict", False)
    return Field(
        default,
        description=description,
        json_schema_extra={"unit": unit, "source": source},
        **constraints,
    )


def describe(model: type[ParamModel] | ParamModel, prefix: str = "") -> pd.DataFrame:
    """Table of a parameter model's fields: name, default, unit, range/choices, source, description."""
    cls = model if isinstance(model, type) else type(model)
    rows = []
    for name, f in cls.model_fields.items():
        ann = f.annotation
        if isinstance(ann, type) and issubclass(ann, ParamModel):
            rows.append(describe(ann, prefix=f"{prefix}{name}."))
            continue
        extra = f.json_schema_extra or {}
        bounds = {
            type(m).__name__.lower(): getattr(m, type(m).__name__.lower())
            for m in f.metadata
            if type(m).__name__ in {"Ge", "Gt", "Le", "Lt"}
        }
        choices = getattr(ann, "__args__", None)
        rng = (
            " | ".join(map(str, choices))
            if choices and all(isinstance(c, str) for c in choices)
            else ", ".join(f"{k} {v}" for k, v in bounds.items())
        )
        rows.append(
            pd.DataFrame(
                [
                    {
                        "name": prefix + name,
                        "default": f.default,
                        "unit": extra.get("unit", ""),
                        "range": rng,
                        "source": extra.get("source", ""),
                        "description": f.description or "",
                    }
                ]
            )
        )
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
