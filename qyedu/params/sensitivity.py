"""Parameters of the sensitivity page (notebook 80): which sweep design it shows, and the size
of the small version of that design it runs when no finished sweep has been published."""

from __future__ import annotations

from pydantic import field_validator

from ..names import name_problem
from .base import ParamModel, param


class SensitivityParams(ParamModel):
    design: str = param(
        "example", "Sweep design shown on the sensitivity page (params/sweeps/<design>.yaml); "
        "its finished run in data/sweeps/<design>/ is read when complete",
        "design name", "params/sweeps/", min_length=1,
    )

    @field_validator("design")
    @classmethod
    def _safe_design(cls, v: str) -> str:
        if bad := name_problem(v, "design name"):
            raise ValueError(bad)
        return v
    small_samples: int = param(
        2, "Base sample of the small version of the design, run when no finished sweep exists "
        "(runs: samples × (parameters + 2)); indicative only, a finished sweep uses 16 or more",
        "samples", "assumption: seconds, not minutes, per refresh", ge=1, le=64,
    )
    small_draws: int = param(
        50, "Monte Carlo draws per run of the small version of the design", "draws",
        "assumption: enough for medians, not for tails", ge=10, le=2000,
    )
