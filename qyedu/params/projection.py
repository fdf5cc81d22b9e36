"""Parameters of the projection engine beyond the run's identity (ForecastParams): the learned
drift of the flow factors (calibration file), the births base the future paths start from,
vocational in-flows, and the priors used where a vintage has no observed point."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

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
        "panel); written by `qyedu validate`; a missing default file means independent "
        "levels, another path must exist",
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
    # -- grade-by-grade flow (issue 18) ------------------------------------------------
    drift_choice: Literal["combined", "panel", "none", "china_recent"] = param(
        "combined",
        "Centre of the flow ratios' drift after the last observation (the spread is the "
        "panel's in every case): combined = projection.drift_weight x the panel's median "
        "drift (a fixed-weight combination of the two forecasts below), panel = the median "
        "drift learned on the provinces, none = ratios held, china_recent = China's own "
        "2021-24 drift; the back-test cannot separate them (structural_choices.csv shows "
        "every verdict under each)",
        "choice",
        "params/calibration/ratio_drift.csv (written by qyedu validate from "
        "data/raw/validation/provinces.csv + china.csv); combined as the default: "
        "assumption, see projection.drift_weight",
    )
    drift_weight: float = param(
        0.5,
        "Weight of the panel's median drift in the combined drift centre (the rest on no "
        "drift): 0 = ratios held, 1 = the panel drift",
        "fraction",
        "assumption: equal weights for two forecasts whose relative accuracy the back-test "
        "cannot establish (Bates & Granger 1969; estimated weights rarely beat equal ones, "
        "Smith & Wallis 2009); fixed a priori, not fitted on the back-test (docs/PROJECTION.md "
        "section 4a reports 0, 0.5 and 1)",
        ge=0, le=1,
    )
    band_file: str = param(
        "params/calibration/flow_band.csv",
        "Band of the grade flow's primary and junior totals: 5th/95th percentiles by lead of "
        "the flow's own honest back-test residuals (log outturn/median), the draws' spread "
        "topped up to them (projection.conformal_band); written by `qyedu validate`; empty = "
        "the flow's own spread only",
        "path",
        "qyedu validate on data/raw/validation (the file's header names panel and commit)",
    )
    ratio_drift_file: str = param(
        "params/calibration/ratio_drift.csv",
        "Drift of the grade-flow ratios (entry, in-level survival, transitions) by lead: "
        "panel percentiles and China's 2021-24 slope; written by `qyedu validate`",
        "path",
        "qyedu validate on data/raw/validation (the file's header names panel and commit)",
        min_length=1,
    )
    grade_retention_prior: tuple[float, float, float, float] = param(
        (1.0, 0.996, 0.980, 0.964),
        "Where only a level total is published, its grades are split by the cohort sizes "
        "times retention^k (k = grade within the level): the prior mean per year of the "
        "in-level continuation ratio for preschool, primary, junior, senior",
        "ratio per year",
        "panel: data/raw/validation/provinces.csv, 27 provinces, geometric mean per province "
        "of (enrolment - intake)(t) / (enrolment - graduates)(t-1), 2001-2019 (junior "
        "2012-14), mean over provinces; preschool: assumption (no graduates published)",
    )
    grade_retention_sd: tuple[float, float, float, float] = param(
        (0.03, 0.016, 0.031, 0.022),
        "Spread (standard deviation, one draw per level and Monte Carlo draw) of the "
        "retention prior for preschool, primary, junior, senior",
        "ratio per year",
        "panel: standard deviation over the 27 provinces of the same per-province means; "
        "preschool: assumption (the junior spread, rounded)",
    )
    ger_cap: tuple[float, float, float, float, float] = param(
        (1.458, 1.389, 1.596, 0.761, 0.403),
        "Most pupils per cut-off-weighted birth a grade may reach (preschool, primary, junior, "
        "general senior, vocational) after the last observation: the panel's maximum of the "
        "level, unless the area's own observed grade is already higher (then that)",
        "pupils per birth",
        "panel: maximum of enrolment / cut-off-weighted births over the 27 provinces and China "
        "2000-2019 (data/raw/validation; 新疆 preschool 2018, 北京 primary 2013, 上海 junior "
        "2015, 重庆 general senior 2019, 天津 vocational 2018)",
    )

    @field_validator("grade_retention_prior", "grade_retention_sd", "ger_cap")
    @classmethod
    def _in_range(cls, v, info):
        lo, hi = {"grade_retention_prior": (0.8, 1.2), "grade_retention_sd": (0.0, 0.2),
                  "ger_cap": (0.1, 5.0)}[info.field_name]
        if any(not lo <= x <= hi for x in v):
            raise ValueError(f"every value must lie in {lo:g}-{hi:g} (got {list(v)})")
        return v
