"""A richer enrolment series (by grade and county) changes the projection as documented:
grade-progression ratios shape the levels, county enrolment sets the county shares, and
totals stay exact."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from qyedu import paths
from qyedu.observed.names import COUNTIES
from qyedu.params import ForecastParams
from qyedu.projection import LEVELS, run
from qyedu.projection.grades import age_shape, progression_ratios

FIXTURES = Path(__file__).parent / "fixtures" / "projection"
PRESCHOOL = pd.read_csv(FIXTURES / "preschool_plan_points.csv")

HEADER = "area,school_year,level,grade,indicator,value,unit,reliability,source_url,quote\n"
GPR = [0.99, 1.01, 1.0, 0.98, 1.02]  # synthetic, known


def _synthetic_grades():
    """SYNTHETIC primary enrolment by grade, 2019–2021, from known progression ratios."""
    entry = {2017: 70000, 2018: 72000, 2019: 71000, 2020: 69000, 2021: 68000, 2014: 66000,
             2015: 67000, 2016: 68500}
    rows = []
    for year in (2019, 2020, 2021):
        for g in range(1, 7):
            v = entry[year - g + 1] * np.prod(GPR[: g - 1])
            rows.append({"year": year, "level": "primary", "grade": g, "value": v})
    return pd.DataFrame(rows)


def test_progression_ratios_recover_synthetic_parameters():
    r = progression_ratios(_synthetic_grades())
    np.testing.assert_allclose(r["primary"], GPR, rtol=1e-12)
    assert age_shape(np.array([0.5, 2.0])).tolist() == [1.0, 0.5, 1.0]


def test_richer_series_drives_shape_and_county_shares(tmp_path):
    g = _synthetic_grades()
    lines = [f"清远市,{r.year}-{r.year + 1},primary,{r.grade},enrolled,{r.value:.6f},students,"
             f"official,synthetic,synthetic" for r in g.itertuples()]
    lines += [f"{c},2021-2022,初中,,enrolled,{1000 * (i + 1)},students,official,synthetic,synthetic"
              for i, c in enumerate(COUNTIES)]
    f = tmp_path / "enrollment_synthetic.csv"
    f.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    fp = ForecastParams(draws=100)
    r = run(fp, series_files=[paths.raw_csv("enrollment"), f], preschool=PRESCHOOL)
    city = r.city()
    i21, i22 = list(r.years).index(2021), list(r.years).index(2022)
    np.testing.assert_allclose(city[:, i21, 1], g[g["year"] == 2021]["value"].sum(), rtol=1e-12)
    np.testing.assert_allclose(city[:, i22, 1], 422369, rtol=1e-12)
    junior = r.enrolled[0, 5, LEVELS.index("junior_secondary")]
    np.testing.assert_allclose(junior / junior.sum(), np.arange(1, 9) / 36)
    assert r.observed.set_index("level").loc["junior_secondary", "county_rule"].iloc[0] == \
        "county enrolment shares 2021"


def test_without_grades_the_shape_is_flat():
    r = run(ForecastParams(draws=50), preschool=PRESCHOOL)
    assert r.observed["how"].str.contains("grade").sum() == 0
    assert r.enrolled.shape == (50, len(r.years), 5, 8)
    assert pytest.approx(r.enrolled.sum()) == r.city().sum()


INTAKE = {2020: 60000.0, 2021: 63000.0, 2022: 66000.0}  # SYNTHETIC primary intakes


def _intake_run(tmp_path, with_intake=True, **projection):
    """Qingyuan's run with SYNTHETIC city primary intakes 2020–22 in an enrollment_*.csv."""
    from qyedu.params import RunParams

    files = [paths.raw_csv("enrollment")]
    if with_intake:
        f = tmp_path / "enrollment_intake.csv"
        f.write_text(HEADER + "".join(
            f"清远市,{y}-{y + 1},primary,,intake,{v:.0f},students,official,synthetic,synthetic\n"
            for y, v in INTAKE.items()), encoding="utf-8")
        files.append(f)
    rp = RunParams.model_validate({"forecast": {"draws": 40},
                                   "projection": {"band_file": "", **projection}})
    return run(rp, series_files=files, preschool=PRESCHOOL)


def test_published_intakes_set_the_entry_ratio_of_qingyuans_flow(tmp_path):
    """Grade 1 after 2022 enters at the mean of 2020–22 intake per age-6 cohort (the
    back-test's bureau-like rule), per draw; without intakes at the split's 2022 ratio."""
    from qyedu.births import FIRST_BIRTH_YEAR
    from qyedu.projection import gradeflow
    from qyedu.projection.ratio_drift import COLUMNS

    still = tmp_path / "no_drift.csv"  # no ratio drifts: the entry ratio alone is compared
    still.write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    r = _intake_run(tmp_path, ratio_drift_file=str(still))
    plain = _intake_run(tmp_path, False, ratio_drift_file=str(still))
    g1 = gradeflow.STAGE_NAMES.index("g1")
    coh = gradeflow.stage_cohorts(r.births, FIRST_BIRTH_YEAR, r.years)[:, :, g1]
    yrs = list(r.years)
    er = np.mean([v / coh[:, yrs.index(y)] for y, v in INTAKE.items()], axis=0)
    for y in (2023, 2026, 2030):
        k = yrs.index(y)
        np.testing.assert_allclose(r.stages[:, k, g1], er * coh[:, k], rtol=1e-9)
    k22, k23 = yrs.index(2022), yrs.index(2023)
    phi = plain.stages[:, k22, g1] / coh[:, k22]
    np.testing.assert_allclose(plain.stages[:, k23, g1], phi * coh[:, k23], rtol=1e-9)
    assert np.median(er) < 0.95 * np.median(phi)  # the intakes are below the split's ratio
    # pupils at school in 2022 are the same: only entries after the last year differ
    np.testing.assert_allclose(r.stages[:, k22], plain.stages[:, k22], rtol=1e-12)


def test_an_own_entry_ratio_keeps_its_centre_only_under_the_default_drift():
    from qyedu.params import RunParams
    from qyedu.projection import gradeflow
    from qyedu.projection.montecarlo import ratio_drift_multipliers

    years, last = np.arange(2022, 2031), np.full(5, 2022)
    g1 = gradeflow.STAGE_NAMES.index("g1")
    rp = RunParams.model_validate({"forecast": {"draws": 4000}})
    own = ratio_drift_multipliers(rp, years, last, 4000, own_entry_noise=1 / 3)[:, -1, g1]
    panel = ratio_drift_multipliers(rp, years, last, 4000)[:, -1, g1]
    assert abs(np.log(np.median(own))) < 0.005  # centred on the own ratio
    assert np.log(np.median(panel)) < -0.015  # the default centre moves it (−1.8 % at 8 years)
    for choice in ("panel", "none"):  # an explicit choice still moves it as without intakes
        a = ratio_drift_multipliers(rp, years, last, 4000, choice, own_entry_noise=1 / 3)
        b = ratio_drift_multipliers(rp, years, last, 4000, choice)
        assert np.median(a[:, -1, g1]) == pytest.approx(np.median(b[:, -1, g1]), rel=0.02)
