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
