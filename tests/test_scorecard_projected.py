"""Projection-judged targets: a status of their own beside the observed one, with P(met) read
from the same draws as the places and teacher pages (a real run of 60 draws)."""

import numpy as np
import pytest

from qyedu.scorecard import judged_counts
from qyedu.scorecard.projected_status import word
from qyedu.views import scorecard as view
from qyedu.workbench import Workbench


@pytest.fixture(scope="module")
def wb():
    return Workbench.from_params(draws=60)


@pytest.fixture(scope="module")
def card(wb):
    return wb.scorecard_tables["scorecard.csv"]


def _one(card, iid, year):
    r = card[(card["indicator_id"] == iid) & (card["target_year"] == year)]
    return r.iloc[0]


def test_places_promises_judged_on_the_places_stage(wb, card):
    pr = wb.places_tables["places_promises.csv"]
    for iid in ("compulsory_new_places", "preschool_new_public_places",
                "senior_new_public_places"):
        p = pr[(pr["promise"] == iid) & (pr["quantity"] == "prob_shortfall")
               & (pr["year"] == 2025)]["mean"].iloc[0]
        row = _one(card, iid, 2025)
        assert row["projected_p_met"] == pytest.approx(1 - p, abs=1e-12)
        assert row["projected_status"] == word(1 - p, wb.params.scorecard)
        assert row["projected_source"] == "places_promises.csv"
    schools = _one(card, "compulsory_new_schools", 2025)  # 40 × 1,250 = the 50,000 places
    assert schools["projected_p_met"] == _one(card, "compulsory_new_places", 2025)[
        "projected_p_met"]


def test_ratio_judged_on_the_draws_and_definition_checked(wb, card):
    r = wb.result
    lv = list(r.levels)
    j = list(np.asarray(r.years)).index(2025)
    ger = 100 * r.city("enrolled")[:, j, lv.index("preschool")] / r.city(
        "population_age_group")[:, j, lv.index("preschool")]
    row = _one(card, "preschool_gross_enrolment_ratio", 2025)
    assert row["projected_p_met"] == pytest.approx(float(np.mean(ger >= 98)))
    senior = _one(card, "senior_gross_enrolment_ratio", 2025)  # 70 % vs the plan's 100 %
    assert senior["projected_status"] in ("", None) or senior["projected_status"] != \
        senior["projected_status"]
    assert "not comparable" in senior["projected_note"]


def test_qualification_share_is_a_range_off_the_quantiles(wb, card):
    q = wb.teacher_tables["teacher_qualifications.csv"]
    share = q[(q["level"] == "preschool") & (q["qualification"] == "专科以上")
              & (q["quantity"] == "qualified_share") & q["version"].fillna("").eq("")
              & (q["year"] == 2025)]
    row = _one(card, "preschool_teachers_associate_plus_share", 2025)  # target ≥ 93 %
    assert 100 * share["p95"].iloc[0] < 93
    assert (row["projected_status"], row["projected_p_met_range"]) == ("off_track", "<5 %")
    assert np.isnan(row["projected_p_met"])  # no draws in the table: no point value


def test_observed_and_projected_kept_apart_and_counted(card):
    n = judged_counts(card)
    assert n["total"] == len(card) == 164
    assert n["observed"] == int((card["status"] != "no_data").sum())
    assert n["projected"] == len(view.projected_view(card)) >= 10
    assert n["either"] == int(((card["status"] != "no_data")
                               | card["projected_status"].isin(["on_track", "at_risk",
                                                                "off_track"])).sum())
    assert set(card["status"]) <= {"met", "on_track", "at_risk", "missed", "no_data"}
    line = view.judged_line(card)
    assert f"{n['projected']} 项有预测判定" in line and f"{n['either']} either way" in line
