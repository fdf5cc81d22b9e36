"""Run parameters: one validated object shared by the CLI verbs, the pipeline and the notebooks.

A parameter file (YAML) has one section per stage — ``forecast``, ``births``, ``projection``,
``places``, ``teachers``, ``scorecard``, ``costs`` — any section or key may be omitted (defaults apply);
unknown keys, duplicate keys and values of the wrong type are errors naming the key and line.
Overrides are dotted names (``teachers.attrition_rate=0.05``); the forecast keys may also be
given bare (``draws=500``), as notebooks and the CLI flags do.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError, model_validator

from ..errors import QyeduError
from .base import ParamModel, describe, param
from .births import BirthsParams
from .births_paths import load_paths
from .costs import CostParams
from .forecast import BIRTHS_METHODS, ForecastParams
from .places import PlacesParams
from .projection import ProjectionParams
from .scorecard import ScorecardParams
from .sensitivity import SensitivityParams
from .teachers import TeacherParams

__all__ = [
    "BIRTHS_METHODS", "BirthsParams", "CostParams", "ForecastParams", "ParamError", "ParamModel",
    "PlacesParams", "ProjectionParams", "RunParams", "ScorecardParams", "TeacherParams",
    "describe", "from_dict", "load", "param", "scenarios",
]


class ParamError(QyeduError, ValueError):
    """Invalid parameters; the message lists every offending key with its source file."""


def scenarios(paths_file: str | Path | None = None) -> tuple[str, ...]:
    """Names of the future-births scenarios defined in the births-paths file."""
    return tuple(load_paths(paths_file or None).paths)


class RunParams(ParamModel):
    """Every parameter of one run, one section per stage."""

    forecast: ForecastParams = ForecastParams()
    births: BirthsParams = BirthsParams()
    projection: ProjectionParams = ProjectionParams()
    places: PlacesParams = PlacesParams()
    teachers: TeacherParams = TeacherParams()
    scorecard: ScorecardParams = ScorecardParams()
    costs: CostParams = CostParams()
    sensitivity: SensitivityParams = SensitivityParams()

    def __init__(self, **data: Any) -> None:
        """``RunParams(forecast={"draws": 500})``: a ParamError naming every bad key, as
        ``load`` and ``from_dict`` raise (not pydantic's ValidationError)."""
        try:
            super().__init__(**data)
        except ValidationError as err:
            raise ParamError(_format_errors(err, "RunParams(...)")) from None

    @model_validator(mode="after")
    def _scenario_defined(self) -> RunParams:
        names = scenarios(self.births.paths_file)
        if self.forecast.scenario not in names:
            raise ValueError(f"forecast.scenario {self.forecast.scenario!r} is not defined in the "
                             f"births-paths file; defined: {', '.join(names)}")
        return self

    def fingerprint(self) -> str:
        """Hash of the whole validated parameter set and of the chosen births path's
        definition: any change of any parameter (or of that path) changes it."""
        path = load_paths(self.births.paths_file or None).get(self.forecast.scenario)
        blob = json.dumps({"params": self.model_dump(mode="json"), "path": path.model_dump()},
                          sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()

    def slug(self) -> str:
        """Output folder name: a readable prefix plus a short hash of every parameter, so two
        runs that differ in any parameter never write to the same folder."""
        f = self.forecast
        return f"{f.scenario}-b{f.base_year}-h{f.horizon}-d{f.draws}-s{f.seed}-{self.fingerprint()[:8]}"

    def with_overrides(self, overrides: dict[str, Any], where: str = "overrides") -> RunParams:
        """A copy with dotted overrides applied (validated again)."""
        data = self.model_dump()
        _apply(data, overrides)
        return from_dict(data, where=where)


SECTIONS = tuple(RunParams.model_fields)


def _format_errors(err: ValidationError, where: str) -> str:
    lines = [f"invalid parameters in {where}:"]
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"]) or "(top level)"
        msg = "unknown parameter (not allowed)" if e["type"] == "extra_forbidden" else e["msg"]
        msg = msg.removeprefix("Value error, ")
        got = f" (got {e['input']!r})" if e["type"] != "extra_forbidden" and "input" in e else ""
        if e["type"] == "model_type" or key == "(top level)":
            got = ""
        lines.append(f"  - {key}: {msg}{got}")
    return "\n".join(lines)


def from_dict(data: dict[str, Any], where: str = "parameters") -> RunParams:
    """Validate a nested dict; raise ParamError naming every bad key at once."""
    if not isinstance(data, dict):
        raise ParamError(f"invalid parameters in {where}: expected a mapping of sections "
                         f"({', '.join(SECTIONS)})")
    try:
        return RunParams.model_validate(data)
    except ValidationError as err:
        raise ParamError(_format_errors(err, where)) from None
    except QyeduError as err:  # e.g. the births-paths file itself is invalid
        raise ParamError(f"invalid parameters in {where}: {err}") from None


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML loader that rejects a key given twice in one mapping (naming its line)."""


def _no_duplicates(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first given on line {seen[key]})",
                key_node.start_mark)
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def read_yaml(path: Path, what: str = "parameter file") -> Any:
    """Parse a YAML file strictly; every failure is a ParamError naming the file (and line)."""
    if not path.exists():
        raise ParamError(f"{what} not found: {path}")
    if not path.is_file():
        raise ParamError(f"{path}: {what} is not a file")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        line = path.read_bytes().count(b"\n", 0, err.start) + 1
        raise ParamError(f"{path}, line {line}: {what} is not UTF-8 text (byte {err.start}; "
                         "a GBK file? save it as UTF-8)") from None
    except OSError as err:
        raise ParamError(f"{path}: cannot read {what}: {err.strerror}") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as err:
        raise ParamError(f"{path}: not valid YAML: {err}") from None


def parse_value(text: str) -> Any:
    """A command-line value typed as YAML would type it (``500`` → int, ``0.05`` → float,
    ``true`` → bool, ``英德市`` → str)."""
    try:
        return yaml.safe_load(text) if text.strip() else text
    except yaml.YAMLError:
        return text


def _apply(data: dict[str, Any], overrides: dict[str, Any]) -> None:
    for key, value in overrides.items():
        section, _, name = key.rpartition(".")
        section = section or "forecast"
        if section not in SECTIONS:
            raise ParamError(f"override {key!r}: unknown section {section!r}; sections: "
                             f"{', '.join(SECTIONS)}")
        sec = data.get(section)
        if sec is None:
            sec = data[section] = {}
        elif not isinstance(sec, dict):
            raise ParamError(f"section {section!r} must be a mapping of parameters")
        else:
            sec = data[section] = dict(sec)
        sec[name] = value


def load(path: str | Path | None = None, overrides: dict[str, Any] | None = None,
         **forecast_overrides: Any) -> RunParams:
    """Read a parameter file (default params/default.yaml) and apply overrides: ``overrides``
    with dotted names (``{"teachers.attrition_rate": 0.05}``) and forecast keywords
    (scenario, base_year, horizon, draws, seed, county, births_method), e.g. from a
    notebook's ``parameters`` cell. ``None`` values are ignored."""
    from .. import paths

    path = Path(path) if path else paths.default_params_file()
    data = read_yaml(path) or {}
    if not isinstance(data, dict):
        raise ParamError(f"{path}: expected sections {', '.join(SECTIONS)} at top level")
    if overrides is not None and not isinstance(overrides, dict):
        raise ParamError(f"overrides must be a mapping of dotted names to values, e.g. "
                         f"{{'forecast.draws': 500}}; got {type(overrides).__name__}")
    over = {k: v for k, v in (overrides or {}).items() if v is not None}
    over |= {k: v for k, v in forecast_overrides.items() if v is not None}
    where = str(path)
    if over:
        data = dict(data)
        _apply(data, over)
        where += " with overrides " + ", ".join(
            f"{k if '.' in k else 'forecast.' + k}={v!r}" for k, v in over.items())
    return from_dict(data, where=where)
