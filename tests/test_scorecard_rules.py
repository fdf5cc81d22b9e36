"""Status rule of the scorecard, bound by bound and status by status, on hand-built inline
registries. SYNTHETIC test data: the numbers below are made up to exercise the rule; they are
not Qingyuan statistics."""

import pandas as pd
import pytest

from qyedu.scorecard import ScorecardParams, scorecard
from qyedu.scorecard.observations import COLUMNS as OBS_COLUMNS
from qyedu.scorecard.projected import COLUMNS as PROJ_COLUMNS

REG_COLUMNS = ["indicator_id", "name_zh", "name_en", "level", "unit", "year", "kind", "value",
               "bound", "source", "line"]


def reg(*rows):
    """Synthetic registry: rows of (id, year, kind, value, bound[, unit[, name_zh]])."""
    out = []
    for i, r in enumerate(rows):
        iid, year, kind, value, bound, *rest = r
        unit = rest[0] if rest else "%"
        name = rest[1] if len(rest) > 1 else f"{iid}（{unit}）"
        out.append([iid, name, iid, "test", unit, year, kind, value, bound, "synthetic", 100 + i])
    return pd.DataFrame(out, columns=REG_COLUMNS)


def obs(*rows):
    """Synthetic observations: (id, year, value)."""
    return pd.DataFrame([[i, y, v, "synthetic", "", "t.csv", n + 2]
                         for n, (i, y, v) in enumerate(rows)], columns=OBS_COLUMNS)


def proj(*rows):
    return pd.DataFrame([[i, y, lo, mid, hi, "synthetic projection"] for i, y, lo, mid, hi in rows],
                        columns=PROJ_COLUMNS)


NO_PROJ = proj()


def judge(registry, observations=(), projected=NO_PROJ, **sp):
    card = scorecard(registry, obs(*observations), projected, ScorecardParams(**sp))
    return card


def one(registry, observations=(), projected=NO_PROJ, **sp):
    card = judge(registry, observations, projected, **sp)
    assert len(card) == 1
    return card.iloc[0]


# --- target year passed: met / missed on the target year's observation ----------------------
@pytest.mark.parametrize("bound,target,value,status", [
    ("ge", 95, 96, "met"), ("ge", 95, 95, "met"), ("ge", 95, 94.9, "missed"),
    ("le", 10, 9, "met"), ("le", 10, 10.1, "missed"),
    ("eq", 80, 80.3, "met"), ("eq", 80, 81, "met"),  # table number above its baseline: a floor
    ("eq", 80, 79, "missed"),
    ("approx", 7400, 7000, "met"), ("approx", 7400, 6600, "missed"),  # ±10 %
])
def test_passed_target_judged_on_its_year(bound, target, value, status):
    r = one(reg(("x", 2020, "actual", 50, "eq"), ("x", 2022, "target", target, bound)),
            [("x", 2022, value)])
    assert (r["status"], r["basis"], r["latest_year"], r["latest_value"]) == (
        status, "observed", 2022, value)
    assert (r["baseline_year"], r["baseline_value"]) == (2020, 50)


def test_eq_table_numbers_exact_only_when_asked():
    exact = {"table_numbers_as": "exact"}
    r = one(reg(("s", 2022, "target", 33, "eq", "所")), [("s", 2022, 34)], **exact)
    assert (r["status"], r["direction"]) == ("missed", "eq")
    assert one(reg(("s", 2022, "target", 33, "eq", "所")), [("s", 2022, 33)],
               **exact)["status"] == "met"
    loose = one(reg(("s", 2022, "target", 33, "eq", "所")), [("s", 2022, 34)],
                eq_tolerance_count=1, **exact)
    assert loose["status"] == "met"
    assert one(reg(("x", 2020, "actual", 50, "eq"), ("x", 2022, "target", 80, "eq")),
               [("x", 2022, 81)], **exact)["status"] == "missed"  # 0.5 % relative for rates


def test_passed_target_without_its_year_uses_the_latest_later_observation():
    r = one(reg(("x", 2022, "target", 95, "ge")), [("x", 2023, 94), ("x", 2024, 96)])
    assert (r["status"], r["latest_year"]) == ("met", 2024)
    assert "judged on 2024" in r["note"]


def test_passed_target_with_only_an_earlier_observation_has_no_verdict():
    registry = reg(("x", 2020, "actual", 90, "eq"), ("x", 2025, "target", 100, "ge"))
    r = one(registry, [("x", 2022, 95)])   # path at 2022: 94
    # no "on track" once the target year has passed: no verdict without an observation
    assert (r["status"], r["basis"], r["reference"]) == ("no_data", "observed_path", 94)
    assert "target year passed" in r["note"] and "(on the path)" in r["note"]
    assert one(registry, [("x", 2022, 93)])["status"] == "no_data"
    # the documented alternative: a verdict from the same path check
    assert one(registry, [("x", 2022, 95)], path_verdict_after_target_year=True)["status"] == "met"
    assert one(registry, [("x", 2022, 93)],
               path_verdict_after_target_year=True)["status"] == "missed"


@pytest.mark.parametrize("bound", ["ge", "le", "eq", "approx"])
def test_no_observation_is_no_data(bound):
    r = one(reg(("x", 2020, "actual", 50, "eq"), ("x", 2022, "target", 60, bound)))
    assert (r["status"], r["basis"]) == ("no_data", "none")
    assert pd.isna(r["latest_year"]) and pd.isna(r["latest_value"])


def test_observations_at_or_before_the_baseline_are_not_progress():
    r = one(reg(("x", 2020, "actual", 50, "eq"), ("x", 2022, "target", 60, "ge")),
            [("x", 2019, 70), ("x", 2020, 70)])
    assert r["status"] == "no_data"


def test_observations_after_the_evaluation_year_are_ignored():
    registry = reg(("x", 2025, "target", 60, "ge"))
    assert one(registry, [("x", 2026, 70)], evaluation_year=2025)["status"] == "no_data"
    assert one(registry, [("x", 2026, 70)], evaluation_year=2026)["status"] == "met"


# --- future target: on_track / at_risk against the linear path --------------------------------
@pytest.mark.parametrize("bound,base,target,value,status", [
    ("ge", 90, 98, 95, "on_track"), ("ge", 90, 98, 94, "at_risk"),      # path 2023: 94.8
    ("le", 20, 10, 13, "on_track"), ("le", 20, 10, 15, "at_risk"),      # path 2023: 14
    ("eq", 818, 922, 900, "on_track"), ("eq", 818, 922, 850, "at_risk"),  # path 880.4
    ("eq", 818, 922, 950, "on_track"),                # a floor: past the target is fine
    ("approx", 100, 200, 150, "on_track"), ("approx", 100, 200, 120, "at_risk"),  # path 160 ± 20
])
def test_future_target_against_the_linear_path(bound, base, target, value, status):
    unit = "所" if bound == "eq" else "%"
    r = one(reg(("x", 2020, "actual", base, "eq", unit), ("x", 2025, "target", target, bound, unit)),
            [("x", 2023, value)], evaluation_year=2023)
    assert (r["status"], r["basis"], r["latest_year"]) == (status, "observed_path", 2023)
    assert r["reference"] == pytest.approx(base + (target - base) * 3 / 5)


def test_maintain_target_is_compared_with_the_target_itself():
    registry = reg(("g", 2020, "actual", 101.28, "eq"), ("g", 2025, "target", 98, "ge"))
    r = one(registry, [("g", 2023, 99)], evaluation_year=2023)
    assert (r["status"], r["reference"]) == ("on_track", 98)
    assert "maintain" in r["note"]
    assert one(registry, [("g", 2023, 97.5)], evaluation_year=2023)["status"] == "at_risk"


def test_future_target_without_baseline_is_compared_with_the_target():
    r = one(reg(("x", 2025, "target", 50, "ge")), [("x", 2023, 40)], evaluation_year=2023)
    assert (r["status"], r["reference"]) == ("at_risk", 50)
    assert "no baseline" in r["note"]


def test_future_target_without_observation_or_projection_is_no_data():
    r = one(reg(("x", 2025, "target", 50, "ge")), evaluation_year=2023)
    assert r["status"] == "no_data"


# --- projection basis ---------------------------------------------------------------------------
GER = "preschool_gross_enrolment_ratio"
GER_REG = reg((GER, 2020, "actual", 101.28, "eq"), (GER, 2025, "target", 98, "ge"))
AT_BASE = (GER, 2020, 99.0, 101.0, 103.0)   # reproduces the plan's 2020 actual within 5 %


def test_projection_moves_a_future_target_to_on_track_or_at_risk():
    good = proj(AT_BASE, (GER, 2025, 97.0, 99.0, 101.0))
    r = one(GER_REG, projected=good, evaluation_year=2023)
    assert (r["status"], r["basis"]) == ("on_track", "projection")
    assert (r["projected_p05"], r["projected_p50"], r["projected_p95"]) == (97, 99, 101)
    bad = proj(AT_BASE, (GER, 2025, 90.0, 95.0, 99.0))
    r = one(GER_REG, projected=bad, evaluation_year=2023)
    assert (r["status"], r["basis"]) == ("at_risk", "projection")


def test_projection_without_spread_is_an_assumption_and_not_used():
    flat = proj((GER, 2020, 101.28, 101.28, 101.28), (GER, 2025, 101.28, 101.28, 101.28))
    r = one(GER_REG, projected=flat, evaluation_year=2023)
    assert (r["status"], r["projected_p50"]) == ("no_data", 101.28)
    assert "no spread" in r["note"]


def test_projection_that_misses_the_plan_baseline_has_another_definition():
    other = proj((GER, 2020, 70.0, 74.0, 78.0), (GER, 2025, 97.0, 99.0, 101.0))
    r = one(GER_REG, projected=other, evaluation_year=2023)
    assert r["status"] == "no_data"
    assert "definitions differ" in r["note"]
    loose = one(GER_REG, projected=other, evaluation_year=2023, projection_baseline_tolerance=0.5)
    assert loose["basis"] == "projection"


def test_observation_takes_precedence_over_projection_and_passed_targets_ignore_it():
    p = proj(AT_BASE, (GER, 2025, 90.0, 95.0, 99.0))
    r = one(GER_REG, [(GER, 2023, 99)], p, evaluation_year=2023)
    assert (r["status"], r["basis"]) == ("on_track", "observed_path")
    assert "projection p50 95 for 2025 shown, not used" in r["note"]
    passed = one(GER_REG, projected=p, evaluation_year=2026)
    assert (passed["status"], passed["projected_p50"]) == ("no_data", 95)


# --- cumulative targets ---------------------------------------------------------------------------
PLACES = ("preschool_new_public_places", 2025, "target", 25000, "ge", "个", "增加公办幼儿园学位（个）")


def test_cumulative_sums_the_plan_years():
    full = [("preschool_new_public_places", y, 5200) for y in range(2021, 2026)]
    r = one(reg(PLACES), full)
    assert (r["status"], r["basis"], r["latest_value"]) == ("met", "observed_cumulative", 26000)
    assert bool(r["cumulative"]) and (r["baseline_year"], r["baseline_value"]) == (2020, 0)
    short = [("preschool_new_public_places", y, 4800) for y in range(2021, 2026)]
    assert one(reg(PLACES), short)["status"] == "missed"


def test_cumulative_ge_already_reached_is_met_before_its_year():
    done = [("preschool_new_public_places", y, 9000) for y in (2021, 2022, 2023)]
    r = one(reg(PLACES), done, evaluation_year=2023)
    assert (r["status"], r["latest_value"]) == ("met", 27000)


def test_cumulative_partial_years_are_judged_on_the_path_from_zero():
    r = one(reg(PLACES), [("preschool_new_public_places", 2021, 5540)], evaluation_year=2024)
    assert (r["status"], r["basis"], r["reference"]) == ("on_track", "observed_path", 5000)
    passed = one(reg(PLACES), [("preschool_new_public_places", 2021, 5540)])
    assert (passed["status"], passed["basis"]) == ("no_data", "observed_path")
    r = one(reg(PLACES), [("preschool_new_public_places", 2021, 4000),
                          ("preschool_new_public_places", 2022, 4000)], evaluation_year=2023)
    assert (r["status"], r["latest_value"], r["reference"]) == ("at_risk", 8000, 10000)


def test_cumulative_with_a_gap_is_a_lower_bound_and_no_data():
    r = one(reg(PLACES), [("preschool_new_public_places", 2021, 5000),
                          ("preschool_new_public_places", 2023, 5000)])
    assert r["status"] == "no_data"
    assert "lower bound" in r["note"] and "2022" in r["note"]


def test_cumulative_in_wan_units_converts_plain_observations():
    r = one(reg(("compulsory_new_places", 2025, "target", 5, "ge", "万个", "增加学位（万个）")),
            [("compulsory_new_places", 2021, 12000)], evaluation_year=2024)
    assert r["latest_value"] == pytest.approx(1.2) and r["reference"] == pytest.approx(1.0)
    assert r["status"] == "on_track"


@pytest.mark.parametrize("iid,name,unit,expected", [
    ("compulsory_new_places", "增加学位", "个", True),
    ("compulsory_new_schools", "新建、改扩建义务教育学校", "所", True),
    ("x", "新增公办普通高中学位", "个", True),
    ("x", "学位数", "学位", True),
    ("kindergartens", "幼儿园数（所）", "所", False),
    ("standardised_special_schools", "建成标准化特殊教育学校（所）", "所", False),
])
def test_cumulative_detection_rule(iid, name, unit, expected):
    from qyedu.scorecard import is_cumulative

    assert is_cumulative(iid, name, unit) is expected
