"""Parameters of the projection engine beyond the run's identity (ForecastParams): the learned
drift of the flow factors (calibration file), the births base the future paths start from,
vocational in-flows, and the priors used where a vintage has no observed point."""

from __future__ import annotations

from .base import ParamModel, param


class ProjectionParams(ParamModel):
    calibration_file: str = param(
        "params/calibration/flow_drift.csv",
        "Drift of the flow factors by level and lead (bias α, flow weight β, residual "
        "percentiles), learned by the rolling-origin back-test on the validation panel; "
        "written by `qyedu validate` (re-run it explicitly after changing the method or panel)",
        "path",
        "qyedu validate on data/raw/validation/provinces.csv + china.csv (the file's header "
        "names panel and commit)",
        min_length=1,
    )
    correlation_file: str = param(
        "params/calibration/flow_correlation.csv",
        "Correlation between levels of the drift normals (one-year-ahead log errors on the "
        "panel); written by `qyedu validate`; a missing file means independent levels",
        "path",
        "qyedu validate on data/raw/validation (the file's header names panel and commit)",
        min_length=1,
    )
    prior_spread_file: str = param(
        "params/calibration/prior_spread.csv",
        "For a vintage without a level's enrolment (e.g. primary as of 2020): how far an "
        "area's ratio of that level to preschool pupils per birth strays from its parent's "
        "(log root mean square, provinces vs China); the prior-set factor is drawn "
        "log-normally with it. Written by `qyedu validate`",
        "path",
        "qyedu validate on data/raw/validation/provinces.csv + china.csv (the file's header "
        "names panel and commit)",
        min_length=1,
    )
    participation_drift_sd: float = param(
        0.01,
        "Fallback only: for a level without calibrated drift, its factor follows a per-draw "
        "random walk in logs with this standard deviation per year after its last observation",
        "fraction per year",
        "assumption: used only where the calibration file has no row for the level",
        ge=0, le=0.2,
    )
    births_anchor_doubt: float = param(
        1.0,
        "Doubt about Qingyuan's births counts of unstated basis (2018 6.68万, 2019 6.0万): per "
        "draw each such anchor moves from the published count towards the resident-rate "
        "product of its year (2018 ≈ 5.80万, 2019 ≈ 5.70万) by u ~ Uniform(0, this); 0 keeps "
        "the published counts",
        "fraction",
        "assumption: data/raw/population.csv gives the counts with unstated basis and the "
        "resident rates that contradict them; which is right is not published",
        ge=0, le=1,
    )
    births_base_years: int = param(
        3,
        "Future births paths start from the mean of the last this-many reconstructed years "
        "(not from the base year alone, e.g. the 2024 dragon-year spike)",
        "years",
        "assumption: a 3-year mean spans one spike year and its neighbours "
        "(data/raw/validation/guangdong_population.csv: 2023 103万, 2024 113万, 2025 100.3万)",
        ge=1, le=10,
    )
    vocational_inflow_share: float = param(
        0.0,
        "Share of base-year vocational enrolment drawn from outside the area's own birth "
        "cohorts (held constant, not scaled with local births); 0 ties all of it to local "
        "births as observed",
        "fraction",
        "assumption: no published figure on the origin of Qingyuan's vocational pupils (the "
        "city hosts the provincial vocational-education city 广东职教城)",
        ge=0, le=1,
    )
    flow_check_tolerance_pp: float = param(
        5.0,
        "flow_checks.csv flags a contradiction when an implied transition or gross enrolment "
        "ratio differs from the plan's figure by more than this",
        "percentage points",
        "assumption: about the year-to-year movement of the plan's own ratios (e.g. 高中阶段毛入学率 "
        "92.5 % in 2015, 100.06 % in 2020)",
        ge=0, le=50,
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
