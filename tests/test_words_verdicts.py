"""The probability-to-words scale (IPCC-style) and the one table of verdicts."""

from __future__ import annotations

import pandas as pd
import pytest

from qyedu.views import verdicts, words


@pytest.mark.parametrize("p, key", [
    (0.0, "exceptionally_unlikely"), (0.01, "exceptionally_unlikely"), (0.05, "very_unlikely"),
    (0.10, "very_unlikely"), (0.2, "unlikely"), (0.33, "unlikely"),
    (0.34, "about_as_likely_as_not"), (0.58, "about_as_likely_as_not"), (0.66, "likely"),
    (0.8, "likely"), (0.9, "very_likely"), (0.995, "virtually_certain"), (1.0, "virtually_certain"),
    (None, "no_data"), (float("nan"), "no_data"), (1.2, "no_data"),
])
def test_scale(p, key):
    assert words.band(p).key == key


def test_58_percent_is_not_likely_and_colour_follows_the_words():
    zh, en = words.shortfall_words(0.58)
    assert en == "a shortfall is about as likely as not" and "约为一半" in zh
    assert words.band(0.58).colour != words.band(0.7).colour
    assert words.band(0.7).colour == words.band(0.8).colour  # same word, same colour
    rows = words.scale_rows()
    assert [r["range"] for r in rows] == ["≥ 99%", "≥ 90%", "≥ 66%", "33%–66%", "≤ 33%",
                                          "≤ 10%", "≤ 1%"]


def _tables():
    p = pd.DataFrame([
        ("compulsory_new_places", 2025, "compulsory", "surplus", -8517.0, -8000.0, -70000.0, 77000.0),
        ("compulsory_new_places", 2025, "compulsory", "prob_shortfall", 1.0, 0.58, 0.0, 1.0),
        ("compulsory_new_places", 2026, "compulsory", "prob_shortfall", 1.0, 0.64, 0.0, 1.0),
        ("compulsory_new_places", 2025, "compulsory", "promised_places", 5e4, 5e4, 5e4, 5e4),
    ], columns=["promise", "year", "level", "quantity", "p50", "mean", "p05", "p95"])
    a = pd.DataFrame([
        ("compulsory_new_places", 2025, "primary", "capacity_shortage", 100.0, 120.0, 0.0, 900.0),
        ("compulsory_new_places", 2025, "junior_secondary", "capacity_shortage", 50.0, 60.0, 0.0, 300.0),
        ("compulsory_new_places", 2025, "compulsory", "capacity_shortage", 150.0, 180.0, 0.0, 1100.0),
        ("compulsory_new_places", None, "compulsory", "shortage_at_peak", 290.0, 300.0, 0.0, 1e3),
        ("compulsory_new_places", 2025, "primary", "prob_shortage", 1.0, 0.7, 0.0, 1.0),
    ], columns=["promise", "year", "level", "quantity", "p50", "mean", "p05", "p95"])
    return p, a


def test_verdict_table_names_each_statistic_and_never_nets_levels():
    t = verdicts.verdict_table(*_tables())
    assert t["key"].is_unique
    row = t.set_index("key")
    prob = row.loc["compulsory_new_places.compulsory.prob_shortfall.2025"]
    assert prob["value"] == 0.58 and prob["text"] == "58 %"  # the mean, not the p50 of 0/1
    assert prob["words_en"] == "a shortfall is about as likely as not"
    assert row.loc["compulsory_new_places.compulsory.surplus.2025", "text"] == "−8,517"
    peak = row.loc["compulsory_new_places.compulsory.shortage_at_peak"]
    assert peak["statistic_en"] == "the median of each draw's peak"
    assert row.loc["compulsory_new_places.compulsory.surplus.2025", "statistic_en"] == \
        "the median over draws in 2025"
    # compulsory capacity is the table's sum of level shortages, levels kept apart
    assert row.loc["compulsory_new_places.primary.capacity_shortage.2025", "text"] == "100"
    assert row.loc["compulsory_new_places.junior_secondary.capacity_shortage.2025", "text"] == "50"
    assert row.loc["compulsory_new_places.compulsory.capacity_shortage.2025", "text"] == "150"
    assert row.loc["compulsory_new_places.primary.prob_shortage.2025", "words_en"] == \
        "a shortfall is likely"
    # each (label, statistic) pair names one quantity: distinct quantities never share both
    pairs = t.groupby(["label_en", "statistic_en", "level", "promise"])["key"].nunique()
    assert pairs.max() == 1


def test_cite_marks_the_key():
    t = verdicts.verdict_table(*_tables())
    html = verdicts.cite(verdicts.lookup(t, "compulsory_new_places", "surplus", 2025), True)
    assert 'data-qy-key="compulsory_new_places.compulsory.surplus.2025">−8,517<' in html


def test_promise_words_is_the_one_verdict_other_pages_print():
    t = verdicts.verdict_table(*_tables())
    w = verdicts.promise_words(t)
    assert w[["promise", "p_shortfall", "words_en"]].values.tolist() == [
        ["compulsory_new_places", 0.58, "a shortfall is about as likely as not"]]


def test_per_level_promise_rows_and_county_rows_keep_the_group_verdict():
    """With promise rows per level (issue 22: level_additional_places_needed for primary and
    junior beside the compulsory group) and county rows, the group's verdict comes from its own
    city-wide rows and each level's need stays a row of its own."""
    p, a = _tables()
    p = p.assign(level="compulsory", county="全市")
    extra = pd.DataFrame([
        ("compulsory_new_places", 2025, "primary", "level_additional_places_needed", 46905.0,
         40000.0, 0.0, 9e4, "全市"),
        ("compulsory_new_places", 2025, "compulsory", "surplus", 999.0, 999.0, 0.0, 1e3, "清城区"),
    ], columns=["promise", "year", "level", "quantity", "p50", "mean", "p05", "p95", "county"])
    t = verdicts.verdict_table(pd.concat([extra, p], ignore_index=True), a)
    row = t.set_index("key")
    assert row.loc["compulsory_new_places.compulsory.surplus.2025", "text"] == "−8,517"
    assert row.loc["compulsory_new_places.primary.level_additional_places_needed.2025",
                   "text"] == "+46,905"
