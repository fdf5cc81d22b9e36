"""Parameters of the projection engine beyond the run's identity (ForecastParams): how the
calibrated flow factors may drift after the last observation, and the priors used where a
vintage has no observed point."""

from __future__ import annotations

from .base import ParamModel, param


class ProjectionParams(ParamModel):
    participation_drift_sd: float = param(
        0.01,
        "After each level's last observed year its calibrated pupils-per-birth factor follows "
        "a per-draw random walk in logs with this standard deviation per year; 0 switches it off",
        "fraction per year",
        "assumption: Qingyuan publishes no annual series from which to estimate it",
        ge=0, le=0.2,
    )
    senior_general_share_prior: float = param(
        0.5,
        "Share of senior-secondary pupils in general (not vocational) schools, used only for "
        "a vintage before the first published split",
        "fraction",
        "assumption: the national policy of a roughly equal general/vocational split "
        "(普职比大体相当); Qingyuan's split before 2022-23 was not found",
        ge=0, le=1,
    )
