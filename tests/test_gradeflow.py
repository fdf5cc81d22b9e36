"""The grade-by-grade flow core on a cohort small enough to follow on paper."""

import numpy as np
import pytest

from qyedu.projection.gradeflow import (
    CHAIN,
    STAGE_NAMES,
    implied_ratios,
    level_slices,
    run_flow,
    source_index,
)


def test_chain_feeds_each_level_from_the_one_below():
    src = source_index()
    assert len(CHAIN) == 18
    assert src[STAGE_NAMES.index("g1")] == -1 and src[STAGE_NAMES.index("pre3")] == -1
    assert STAGE_NAMES[src[STAGE_NAMES.index("g7")]] == "g6"
    assert STAGE_NAMES[src[STAGE_NAMES.index("voc10")]] == "g9"
    assert [len(v) for v in level_slices().values()] == [3, 6, 3, 3, 3]


def test_pupils_at_school_progress_and_only_entrants_come_from_cohorts():
    # three stages: entry (age cohort), then two fed stages; two later years
    src = np.array([-1, 0, 1])
    state0 = np.array([100.0, 90.0, 80.0])
    ratios = np.array([[1.1, 0.9, 0.5], [1.2, 0.8, 0.5]])  # (Y=2, G=3)
    cohorts = np.array([[200.0, 0, 0], [300.0, 0, 0]])
    out = run_flow(state0, ratios, cohorts, src)
    assert out.shape == (1, 3, 3)
    # year 1: entry 1.1*200 = 220; stage 2 = 0.9*100 = 90; stage 3 = 0.5*90 = 45
    assert out[0, 1].tolist() == pytest.approx([220.0, 90.0, 45.0])
    # year 2: entry 1.2*300 = 360; 0.8*220 = 176; 0.5*90 = 45
    assert out[0, 2].tolist() == pytest.approx([360.0, 176.0, 45.0])
    # the ratios are recovered from the series they produced
    r = implied_ratios(out[0], src)
    assert np.isnan(r[:, 0]).all()
    assert r[:, 1:] == pytest.approx(ratios[:, 1:])


def test_draws_are_independent_rows():
    src = np.array([-1, 0])
    out = run_flow(np.array([[10.0, 10.0], [20.0, 20.0]]), np.ones((2, 1, 2)),
                   np.array([[5.0, 0.0]]), src)
    assert out[:, 1].tolist() == [[5.0, 10.0], [5.0, 20.0]]


def test_a_stage_fed_by_a_later_stage_is_refused():
    with pytest.raises(ValueError, match="earlier stage"):
        run_flow(np.ones(2), np.ones((1, 2)), np.ones((1, 2)), np.array([1, -1]))
