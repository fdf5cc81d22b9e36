"""Run parameters: one validated object shared by the CLI verbs, the pipeline and the notebooks.

A parameter file (YAML) has the sections ``forecast``, ``places`` and ``teachers``; any
section or key may be omitted (defaults apply), unknown ones are errors naming the key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import QyeduError
from .base import ParamModel, describe, param
from .forecast import BIRTHS_METHODS, SCENARIOS, ForecastParams
from .places import PlacesParams
from .teachers import TeacherParams

__all__ = [
    "BIRTHS_METHODS", "SCENARIOS", "ForecastParams", "ParamError", "ParamModel", "PlacesParams",
    "RunParams", "TeacherParams", "describe", "load", "param",
]


class ParamError(QyeduError, ValueError):
    """Invalid parameters; the message lists every offending key with its source file."""


class RunParams(ParamModel):
    forecast: ForecastParams = ForecastParams()
    places: PlacesParams = PlacesParams()
    teachers: TeacherParams = TeacherParams()

    def slug(self) -> str:
        """Short name for output paths, so scenarios never overwrite each other."""
        f = self.forecast
        return f"{f.scenario}-b{f.base_year}-h{f.horizon}-d{f.draws}-s{f.seed}"


def _format_errors(err: ValidationError, where: str) -> str:
    lines = [f"invalid parameters in {where}:"]
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"]) or "(top level)"
        msg = "unknown parameter (not allowed)" if e["type"] == "extra_forbidden" else e["msg"]
        got = f" (got {e['input']!r})" if e["type"] != "extra_forbidden" and "input" in e else ""
        lines.append(f"  - {key}: {msg}{got}")
    return "\n".join(lines)


def from_dict(data: dict[str, Any], where: str = "parameters") -> RunParams:
    """Validate a nested dict; raise ParamError naming every bad key at once."""
    if not isinstance(data, dict):
        raise ParamError(f"invalid parameters in {where}: expected a mapping of sections")
    try:
        return RunParams.model_validate(data)
    except ValidationError as err:
        raise ParamError(_format_errors(err, where)) from None


def load(path: str | Path | None = None, **forecast_overrides: Any) -> RunParams:
    """Read a parameter file (default params/default.yaml) and apply forecast overrides
    (scenario, base_year, horizon, draws, seed, county, births_method) given as keywords,
    e.g. from a notebook's ``parameters`` cell. ``None`` overrides are ignored."""
    from .. import paths

    path = Path(path) if path else paths.default_params_file()
    if not path.exists():
        raise ParamError(f"parameter file not found: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise ParamError(f"{path}: not valid YAML: {err}") from None
    if not isinstance(data, dict):
        raise ParamError(f"{path}: expected sections forecast/places/teachers at top level")
    over = {k: v for k, v in forecast_overrides.items() if v is not None}
    where = str(path)
    if over:
        data = dict(data)
        data["forecast"] = {**(data.get("forecast") or {}), **over}
        where += " with overrides " + ", ".join(f"forecast.{k}={v!r}" for k, v in over.items())
    return from_dict(data, where=where)
