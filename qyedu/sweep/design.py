"""A sweep design: which parameters vary (a range or a list per dotted ``RunParams`` key),
how (full grid, Morris screening or a Sobol/Saltelli design from SALib), which outputs are
recorded, and the seed. Read from ``params/sweeps/*.yaml``; unknown keys are errors.

The sample is a pure function of the design (SALib samplers seeded with ``seed``): the same
file gives the same runs on any machine and any number of workers.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..params import ParamError, read_yaml

CHAIN_TASK = "qyedu.sweep.chain:ChainTask"


class ParamRange(BaseModel):
    """One swept parameter: a numeric ``range: [low, high]`` or a list of ``values``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    range: tuple[float, float] | None = Field(None, description="low and high bound (uniform)")
    values: list[Any] | None = Field(None, description="discrete choices (any YAML values)")
    steps: int = Field(3, ge=2, le=100, description="grid only: points spread over a range")
    type: Literal["float", "int"] | None = Field(
        None, description="number type of a range; default: the RunParams field's type")

    @model_validator(mode="after")
    def _one_of(self) -> ParamRange:
        if (self.range is None) == (self.values is None):
            raise ValueError("give exactly one of 'range: [low, high]' or 'values: [...]'")
        if self.range is not None and not self.range[0] < self.range[1]:
            raise ValueError(f"range low must be below high (got {list(self.range)})")
        if self.values is not None and not self.values:
            raise ValueError("values must not be empty")
        return self


class Design(BaseModel):
    """A sweep design file (``params/sweeps/NAME.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(..., description="output folder name (qyedu.names: a safe name)")
    description: str = ""
    method: Literal["grid", "morris", "sobol"]
    parameters: dict[str, ParamRange] = Field(..., min_length=1)
    outputs: list[str] = Field(..., min_length=1)
    fixed: dict[str, Any] = Field(default_factory=dict,
                                  description="dotted overrides applied to every run")
    params_file: str = Field("", description="base parameter file; empty → params/default.yaml")
    seed: int = Field(1, ge=0, description="seed of the sampler, the bootstrap and the runs")
    seed_mode: Literal["common", "per_run"] = Field(
        "common", description="common: every run gets this seed (common random numbers:"
        " differences between runs come from the parameters only); per_run: each run gets"
        " a seed derived from (seed, run index). The chain uses it as forecast.seed")
    samples: int = Field(8, ge=1, le=1_000_000,
                         description="Sobol: base sample N (runs = N·(D+2)); Morris: trajectories")
    levels: int = Field(4, ge=2, le=64, description="Morris grid levels")
    second_order: bool = Field(False, description="Sobol: also second-order indices (more runs)")
    resamples: int = Field(200, ge=10, le=10_000, description="bootstrap resamples of the CIs")
    conf_level: float = Field(0.95, gt=0, lt=1)
    batch_size: int = Field(8, ge=1, le=100_000, description="runs per Dask task")
    task: str = Field(CHAIN_TASK, description="module:Class evaluating a batch of runs")

    @field_validator("name")
    @classmethod
    def _safe_name(cls, v: str) -> str:
        from ..names import name_problem

        if bad := name_problem(v, "sweep design name"):
            raise ValueError(bad)
        return v

    @property
    def keys(self) -> list[str]:
        return list(self.parameters)

    def fingerprint(self) -> str:
        """Hash of everything that changes the runs or their results (not the batch size or
        the description): a stored run belongs to the design with the same fingerprint."""
        blob = json.dumps(self.model_dump(mode="json", exclude={"batch_size", "description"}),
                          sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()


def load_design(path: str | Path) -> Design:
    """Read and validate a design file; ParamError names every bad key at once."""
    path = Path(path)
    data = read_yaml(path, what="sweep design")
    return design_from_dict(data, where=str(path))


def design_from_dict(data: Any, where: str = "design") -> Design:
    if not isinstance(data, dict):
        raise ParamError(f"{where}: a sweep design is a mapping (name, method, parameters, …)")
    try:
        return Design.model_validate(data)
    except ValidationError as err:
        lines = [f"invalid sweep design in {where}:"]
        for e in err.errors():
            key = ".".join(str(p) for p in e["loc"]) or "(top level)"
            msg = "unknown key (not allowed)" if e["type"] == "extra_forbidden" else e["msg"]
            lines.append(f"  - {key}: {msg.removeprefix('Value error, ')}")
        raise ParamError("\n".join(lines)) from None


# -- the sample ----------------------------------------------------------------------
def problem(design: Design) -> dict:
    """The SALib problem: a range as its bounds; a list of k values as [0, k) (index)."""
    bounds = [list(p.range) if p.range is not None else [0.0, float(len(p.values))]
              for p in design.parameters.values()]
    return {"num_vars": len(bounds), "names": design.keys, "bounds": bounds}


def unit_sample(design: Design) -> np.ndarray:
    """The numeric sample X (runs × parameters) in SALib's bounds space."""
    from SALib.sample import morris, sobol

    prob = problem(design)
    if design.method == "sobol":
        return sobol.sample(prob, design.samples, calc_second_order=design.second_order,
                            scramble=True, seed=design.seed)
    if design.method == "morris":
        return morris.sample(prob, design.samples, num_levels=design.levels, seed=design.seed)
    axes = []
    for p in design.parameters.values():
        if p.values is not None:
            axes.append(np.arange(len(p.values), dtype=float))
        else:
            axes.append(np.linspace(p.range[0], p.range[1], p.steps))
    return np.array(list(itertools.product(*axes)), dtype=float).reshape(-1, len(axes))


def to_value(spec: ParamRange, x: float, kind: str = "float") -> Any:
    """A sample coordinate as the parameter's value: the chosen list item, or the number
    (rounded to an int for an int-typed parameter)."""
    if spec.values is not None:
        return spec.values[min(int(np.floor(x)), len(spec.values) - 1)]
    if (spec.type or kind) == "int":
        return int(round(float(x)))
    return float(x)


def runs(design: Design, kinds: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Every run's parameter values, in run order (``kinds``: parameter → 'int'/'float',
    e.g. from the RunParams field types)."""
    kinds = kinds or {}
    x = unit_sample(design)
    specs = list(design.parameters.items())
    return [{k: to_value(s, row[j], kinds.get(k, "float")) for j, (k, s) in enumerate(specs)}
            for row in x]


def run_seed(design: Design, index: int) -> int:
    """Seed of run ``index``: the design's seed (common) or one derived from (seed, index)
    (per_run); independent of workers and batching."""
    if design.seed_mode == "common":
        return design.seed
    return int(np.random.SeedSequence([design.seed, index]).generate_state(1)[0])
