"""Projection-judged targets: a status of their own beside the observed one, with P(met) read
from the same draws as the places and teacher pages (a real run of 60 draws)."""

import numpy as np
import pytest

from qyedu.scorecard import is_projected, judged_counts
from qyedu.scorecard.projected_status import word
from qyedu.views import scorecard as view
from qyedu.views import words
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
        assert row["projected_status"] == word(1 - p) == words.band(1 - p).key
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
    assert (row["projected_status"], row["projected_p_met_range"]) == ("very_unlikely", "<5 %")
    assert np.isnan(row["projected_p_met"])  # no draws in the table: no point value


def test_observed_and_projected_kept_apart_and_counted(card):
    n = judged_counts(card)
    assert n["total"] == len(card) == 164
    assert n["observed"] == int((card["status"] != "no_data").sum())
    assert n["projected"] == len(view.projected_view(card)) >= 10
    assert n["either"] == int(((card["status"] != "no_data")
                               | card["projected_status"].map(is_projected)).sum())
    assert set(card["status"]) <= {"met", "on_track", "at_risk", "missed", "no_data"}
    line = view.judged_line(card)
    assert f"{n['projected']} 项有预测判定" in line and f"{n['either']} either way" in line


def test_projected_statuses_speak_the_calibrated_words(card):
    """Projected statuses use the one probability scale of the verdicts (IPCC-style words,
    Chinese first, colour following the words), never on track / at risk / off track."""
    assert not card["projected_status"].isin(["on_track", "at_risk", "off_track"]).any()
    shown = view.projected_view(card)
    col = shown["预测状态 Projected status"]
    assert not col.str.contains("on track|off track|at risk|进度正常|偏离目标|有风险").any()
    judged = card[card["projected_status"].map(is_projected)]
    for st, p in zip(judged["projected_status"], judged["projected_p_met"], strict=True):
        if p == p:  # a point probability: its word is the scale's word of P(met)
            assert st == words.band(p).key
    line = view.headline(card)
    assert "依据预测判定" in line and "judged on the projection" in line
    assert "on track 0" in line  # the observed status keeps its own words


@pytest.mark.parametrize("status, p, rng, text", [
    ("very_likely", 0.93, "93 %", "预测：很可能达到 projected: very likely met (P 93 %)"),
    ("about_as_likely_as_not", 0.36, "36 %",
     "预测：达到的可能性约为一半 projected: about as likely as not met (P 36 %)"),
    ("likely", 0.73, "73 %", "预测：可能达到 projected: likely met (P 73 %)"),
    ("very_unlikely", float("nan"), "<5 %", "预测：很不可能达到 projected: very unlikely met (P <5 %)"),
    ("very_unlikely_to_about_as_likely_as_not", float("nan"), "5–50 %",
     "预测：达到的可能性介于很不可能与可能性约为一半之间 projected: between very unlikely and "
     "about as likely as not met (P 5–50 %)"),
])
def test_projected_label_words_and_colour(status, p, rng, text):
    assert view.projected_label(status, p, rng) == text
    # colour follows the words: likely met is the colour of an unlikely shortfall
    if "_to_" not in status:
        mirror = {"very_likely": "very_unlikely", "likely": "unlikely",
                  "about_as_likely_as_not": "about_as_likely_as_not",
                  "very_unlikely": "very_likely"}[status]
        assert view.projected_colour(status) == words.BY_KEY[mirror].colour
    assert view.projected_label("", p, rng) == "" and view.projected_label("on_track") == ""


def test_range_words_hold_the_whole_range():
    assert words.met_key(lo=0.0, hi=0.05) == "very_unlikely"  # [0, 5 %] ⊂ ≤ 10 %
    assert words.met_key(lo=0.95, hi=1.0) == "very_likely"
    assert words.met_key(lo=0.05, hi=0.5) == "very_unlikely_to_about_as_likely_as_not"
    assert words.met_key(0.58) == "about_as_likely_as_not"


def test_projected_words_in_the_table_and_colours_on_the_page(card):
    """scorecard.csv (and so the workbook) carries the words; the page's table colours each
    status by its words."""
    from qyedu.views.format import frame_html

    judged = card[card["projected_status"].map(is_projected)]
    assert judged["projected_words"].str.contains(r"达到.* met \(P ", regex=True).all()
    assert card.loc[~card["projected_status"].map(is_projected), "projected_words"].eq("").all()
    page = frame_html(view.projected_view(card))
    for st in judged["projected_status"].unique():
        assert f"border-left: 6px solid {view.projected_colour(st)}" in page, st
