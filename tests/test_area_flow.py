"""``qyedu forecast --area-data`` runs the published method (projection.area_flow): the grade
flow with the published ratio drift and band, preschool by the factor projection. All area
data here are SYNTHETIC (hand-written below), never a measurement."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qyedu.cli import main
from qyedu.labels import LEVELS
from qyedu.observed.area import area_inputs, read_area_table
from qyedu.params import ForecastParams, ProjectionParams, RunParams
from qyedu.projection.area_flow import FACTOR, FLOW, chain_levels, project_area_flow
from qyedu.projection.area_run import project_area
from qyedu.projection.conformal_band import load_band, target_sides

SRC = "synthetic test row"


def _area(tmp_path, intakes=None, name="area.csv"):
    """Testville: 10,000 births a year 1995–2019; 2019 totals primary 60,000, junior
    30,000, preschool 27,000; ``intakes`` {year: primary intake} if given."""
    rows = [f"Testville,{y},births,all,10000,persons,{SRC}" for y in range(1995, 2020)]
    rows += [f"Testville,2019,enrolment,primary,60000,persons,{SRC}",
             f"Testville,2019,enrolment,junior,30000,persons,{SRC}",
             f"Testville,2019,enrolment,preschool,27000,persons,{SRC}"]
    rows += [f"Testville,{y},intake,primary,{v},persons,{SRC}"
             for y, v in (intakes or {}).items()]
    p = tmp_path / name
    p.write_text("area,year,indicator,level,value,unit,source\n" + "\n".join(rows) + "\n",
                 encoding="utf-8")
    return area_inputs(read_area_table(p), "Testville"), p


def _rp(**projection):
    return RunParams(forecast=ForecastParams(base_year=2019, horizon=2024, draws=400, seed=3),
                     projection=ProjectionParams(**projection))


def _q(res, level, year, q=0.5):
    i = LEVELS.index(level)
    return float(np.quantile(res.enrolled[:, list(res.years).index(year), i, 0], q))


def test_pupils_at_school_move_up_and_intakes_set_the_grade_split(tmp_path):
    """Equal cohorts and no intakes: six equal grades of 10,000, one leaves, one of 10,000
    enters: 2020 ≈ 60,000. With published intakes 15,000 (2014) then 9,000 a year: the
    leaving grade is the 15,000 one and 9,000 enter (entry ratio 0.9): 2020 ≈ 54,000. The
    ratios' drift at one year is small (a few per cent at most)."""
    (tmp_path / "a").mkdir()
    plain, _ = _area(tmp_path / "a")
    res, methods = project_area_flow(plain, _rp())
    assert methods == {"preschool": FACTOR, "primary": FLOW, "junior_secondary": FLOW}
    assert _q(res, "primary", 2019) == pytest.approx(60_000)  # the origin is the observation
    assert _q(res, "primary", 2020) == pytest.approx(60_000, rel=0.03)
    intakes = {2014: 15_000} | {y: 9_000 for y in range(2015, 2020)}
    (tmp_path / "b").mkdir()
    bureau, _ = _area(tmp_path / "b", intakes)
    res_b, _ = project_area_flow(bureau, _rp())
    assert _q(res_b, "primary", 2020) == pytest.approx(54_000, rel=0.03)


def test_the_published_band_is_applied_and_preschool_keeps_the_factor_projection(tmp_path):
    data, _ = _area(tmp_path)
    rp = _rp()
    res, _ = project_area_flow(data, rp)
    table = load_band(rp.projection.band_file)
    lo, up = target_sides(table, "primary", [1, 3])
    for h, (t_lo, t_up) in zip((1, 3), zip(lo, up, strict=True), strict=True):
        p05, p50, p95 = (_q(res, "primary", 2019 + h, q) for q in (0.05, 0.5, 0.95))
        # the band is p50·exp(∓max(own, table)): never narrower than the table's
        assert np.log(p95 / p50) >= t_up - 1e-4 and np.log(p50 / p05) >= t_lo - 1e-4
    own, _ = project_area_flow(data, _rp(band_file=""))  # the flow's own spread only
    assert _q(own, "primary", 2022, 0.95) < _q(res, "primary", 2022, 0.95)
    i = LEVELS.index("preschool")
    base = project_area(data, rp)
    assert np.array_equal(res.enrolled[:, :, i], base.enrolled[:, :, i])


def test_the_chain_stops_where_a_total_is_missing():
    wide = pd.DataFrame({"primary": [1.0], "junior_secondary": [np.nan],
                         "senior_general": [1.0]}, index=[2019])
    assert chain_levels(wide, 2019) == ("primary",)
    wide["junior_secondary"] = 1.0
    assert chain_levels(wide, 2019) == ("primary", "junior_secondary", "senior_general",
                                        "senior_vocational")
    assert chain_levels(wide.drop(columns="primary"), 2019) == ()


def test_cli_names_the_method_of_each_level(tmp_path, capsys):
    _, path = _area(tmp_path)
    code = main(["forecast", "--area-data", str(path), "--base-year", "2019", "--horizon",
                 "2022", "--draws", "200", "--out", str(tmp_path / "f.csv")])
    out = capsys.readouterr().out
    assert code == 0
    assert "Testville: grade flow: primary, junior_secondary" in out
    assert "Testville: pupils-per-birth factor: preschool" in out
