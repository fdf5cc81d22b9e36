"""Parameters of the future-births paths: which file defines the named paths (scenarios) and
how far each draw may deviate from its path."""

from __future__ import annotations

from .base import ParamModel, param


class BirthsParams(ParamModel):
    paths_file: str = param(
        "",
        "File defining the named future-births paths (scenarios); a new scenario is a new "
        "entry there. Empty → params/births_paths.yaml; relative paths are resolved from the "
        "project root",
        "path", "params/births_paths.yaml",
    )
    annual_change_sd: float = param(
        0.01,
        "Per-draw persistent deviation of the annual births change rate from its path "
        "(normal, this standard deviation), added in every future year",
        "fraction per year",
        "assumption: about the size of Guangdong's year-to-year births noise apart from the "
        "2017 peak and the 2024 dragon year (data/raw/population.csv)",
        ge=0, le=0.2,
    )
