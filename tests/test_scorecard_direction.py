"""Scorecard semantics: a target's direction from its wording and its baseline; no
"on track" once the target year has passed; places promises on delivered + planned places.
Inline SYNTHETIC registries (names as printed in the plan) and hand-set observations."""

import pandas as pd
import pytest

from qyedu.params import PlacesParams
from qyedu.scorecard import ScorecardParams, scorecard
from qyedu.scorecard.observations import COLUMNS as OBS_COLUMNS
from qyedu.scorecard.pipeline_places import pipeline_by_promise
from qyedu.scorecard.projected import COLUMNS as PROJ_COLUMNS
from qyedu.scorecard.rules import judged_bound

REG = ["indicator_id", "name_zh", "name_en", "level", "unit", "year", "kind", "value", "bound",
       "source", "line"]
NO_PROJ = pd.DataFrame(columns=PROJ_COLUMNS)


def card(rows, observations=(), pipeline=None, **sp):
    reg = pd.DataFrame([[i, n, i, "test", u, y, k, v, b, "synthetic", 100 + j]
                        for j, (i, n, u, y, k, v, b) in enumerate(rows)], columns=REG)
    obs = pd.DataFrame([[i, y, v, "synthetic", "", "t.csv", j + 2]
                        for j, (i, y, v) in enumerate(observations)], columns=OBS_COLUMNS)
    return scorecard(reg, obs, NO_PROJ, ScorecardParams(**sp), pipeline)


@pytest.mark.parametrize("bound,target,baseline,name,stated,pct,expected", [
    ("eq", 33, 33, "普通高中学校数", set(), False, "ge"),     # maintain: a floor
    ("eq", 34, 33, "普通高中学校数", set(), False, "ge"),     # growth: a floor
    ("eq", 14, 18, "中职学校数", set(), False, "le"),         # count below baseline: consolidation
    ("eq", 80, 85.38, "普惠占比", set(), True, "ge"),         # a rate below baseline: keep at least
    ("eq", 80, 85.38, "普惠占比", {"ge"}, True, "ge"),        # 以上 stated elsewhere
    ("eq", 5, 8, "辍学率", {"le"}, True, "le"),               # 以内 stated elsewhere
    ("eq", 50, None, "学位", set(), False, "ge"),
    ("eq", 3, 2, "控制在3所以内", set(), False, "le"),        # wording says a ceiling
    ("approx", 10, 14, "中职学校数量", set(), False, "approx_le"),  # 整合到10所左右
    ("approx", 4, None, "省级高水平中职学校", set(), False, "approx"),
    ("ge", 98, 101.28, "毛入园率", set(), True, "ge"),        # 保持在98%以上: worded floor kept
])
def test_direction_from_wording_and_baseline(bound, target, baseline, name, stated, pct, expected):
    assert judged_bound(bound, target, baseline, name, stated, pct)[0] == expected


def test_34_general_high_schools_against_33_is_met():
    rows = [("gs", "普通高中（含十二年一贯制、完全中学）学校数（所）", "所", 2020, "actual", 33, "eq"),
            ("gs", "普通高中（含十二年一贯制、完全中学）学校数（所）", "所", 2022, "target", 33, "eq")]
    r = card(rows, [("gs", 2022, 34)]).iloc[0]
    assert (r["status"], r["direction"], r["bound"]) == ("met", "ge", "eq")


def test_consolidation_to_about_ten_vocational_schools_is_a_ceiling():
    rows = [("vs", "中职学校", "所", 2020, "actual", 14, "eq"),
            ("vs", "中职学校数量", "所", 2025, "target", 10, "approx")]
    assert card(rows, [("vs", 2025, 10)]).iloc[0]["status"] == "met"
    assert card(rows, [("vs", 2025, 8)]).iloc[0]["status"] == "met"     # fewer is fine
    assert card(rows, [("vs", 2025, 11)]).iloc[0]["status"] == "met"    # 左右: within 10 %
    assert card(rows, [("vs", 2025, 12)]).iloc[0]["status"] == "missed"


def test_no_on_track_after_the_target_year():
    rows = [("x", "x（%）", "%", 2020, "actual", 90, "eq"), ("x", "x（%）", "%", 2025, "target", 100, "ge")]
    for v in (95, 99):
        assert card(rows, [("x", 2022, v)]).iloc[0]["status"] == "no_data"
    assert card(rows, [("x", 2022, 95)], evaluation_year=2023).iloc[0]["status"] == "on_track"


def test_places_promise_judged_on_delivered_plus_planned():
    rows = [("preschool_new_public_places", "增加公办幼儿园学位", "个", 2025, "target", 25000, "ge")]
    pipe = pipeline_by_promise(PlacesParams())
    assert pipe["preschool_new_public_places"] == pytest.approx(
        {2021: 5540, 2022: 2000, 2023: 3430, 2024: 3430, 2025: 3430})
    # before 2025: 17,830 delivered + planned < 25,000 → at risk even on the published plan
    r = card(rows, [("preschool_new_public_places", 2021, 5540)], pipe, evaluation_year=2023).iloc[0]
    assert (r["status"], r["basis"], r["latest_value"]) == ("at_risk", "delivered_plus_planned", 17830)
    comp = [("compulsory_new_places", "增加学位", "个", 2025, "target", 50000, "ge")]
    c = card(comp, (), pipe, evaluation_year=2023).iloc[0]
    assert (c["status"], c["basis"]) == ("on_track", "delivered_plus_planned")
    c = card(comp, (), pipe).iloc[0]  # 2025 passed: plans are not outturn
    assert c["status"] == "no_data" and "delivery not verified" in c["note"]
    # the observation wins over the pipeline figure of the same year (never both)
    r = card(rows, [("preschool_new_public_places", 2021, 6000)], pipe, evaluation_year=2023)
    assert r.iloc[0]["latest_value"] == 17830 - 5540 + 6000
