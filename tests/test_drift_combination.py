"""The default drift centre is the equal-weight combination of "no drift" and "panel drift"
(``projection.drift_choice = combined``, ``projection.drift_weight``), and the published run
and the honest back-test use it through the same function (``ratio_drift.centre_and_scale``).
Tables here are synthetic (made-up drifts), never in data/raw."""

import numpy as np
import pandas as pd
import pytest

from qyedu.params import RunParams
from qyedu.projection.ratio_drift import RATIOS, centre_and_scale, drift_centre


def _table(q50=0.04):
    """Panel rows with median drift q50 × lead and a ±0.05 × lead half-width (synthetic)."""
    return pd.DataFrame([{"ratio": k, "lead": h, "source": "panel", "n": 50, "areas": 20,
                          "q05": (q50 - 0.05) * h, "q50": q50 * h, "q95": (q50 + 0.05) * h}
                         for k in RATIOS for h in range(1, 9)])


def test_the_default_is_half_the_panel_drift():
    rp = RunParams()
    assert rp.projection.drift_choice == "combined"
    assert rp.projection.drift_weight == 0.5
    leads = np.arange(0, 6)
    t = _table()
    assert drift_centre(t, "entry_primary", "panel", leads) == pytest.approx(
        [0.04, 0.04, 0.08, 0.12, 0.16, 0.20])  # lead 0 clipped to lead 1 (zeroed later)
    assert drift_centre(t, "entry_primary", "combined", leads, 0.5) == pytest.approx(
        [0.02, 0.02, 0.04, 0.06, 0.08, 0.10])
    assert drift_centre(t, "entry_primary", "combined", leads, 0.0) == pytest.approx(0.0)
    assert drift_centre(t, "entry_primary", "none", leads) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="unknown drift choice"):
        drift_centre(t, "entry_primary", "halfway", leads)


def test_the_combined_drift_keeps_the_panel_spread_and_moves_only_the_centre():
    t = _table()
    leads = np.arange(0, 6)
    z = np.array([-1.0, 0.0, 1.0])
    panel = centre_and_scale(t, "transition_junior", "panel", leads, z)
    half = centre_and_scale(t, "transition_junior", "combined", leads, z, weight=0.5)
    none = centre_and_scale(t, "transition_junior", "none", leads, z)
    assert half[1] == pytest.approx([0.0, 0.02, 0.04, 0.06, 0.08, 0.10])  # z = 0: the centre
    assert half == pytest.approx((panel + none) / 2)
    assert (half - none)[:, 1:] == pytest.approx(np.broadcast_to(0.02 * leads[1:], (3, 5)))


def test_the_published_run_uses_the_weight():
    """montecarlo.ratio_drift_multipliers (the Qingyuan run) centres by drift_weight: on the
    log scale the combined multipliers lie at that fraction between no drift and the panel
    (same draws), so a weight of 1 is the panel and 0 no drift."""
    from qyedu.labels import LEVELS
    from qyedu.projection.montecarlo import ratio_drift_multipliers

    years = np.arange(2022, 2031)
    last = np.full(len(LEVELS), 2022)

    def logm(choice, w=0.5):
        rp = RunParams().with_overrides({"projection.drift_choice": choice,
                                         "projection.drift_weight": w})
        return np.log(ratio_drift_multipliers(rp, years, last, 40))

    none, panel = logm("none"), logm("panel")
    assert np.abs(panel - none).max() > 1e-3  # the committed table has a drift to combine
    assert logm("combined") == pytest.approx(none + 0.5 * (panel - none), abs=1e-12)
    assert logm("combined", 0.25) == pytest.approx(none + 0.25 * (panel - none), abs=1e-12)
    assert logm("combined", 1.0) == pytest.approx(panel, abs=1e-12)


def test_the_back_test_runs_the_published_default():
    """The harness's ``grade_flow`` is flow_area with the default parameters: its forecast
    equals an explicit ``combined`` run and differs from the whole panel drift."""
    from qyedu.validation import gradeflow_method as gm
    from qyedu.validation.harness import load_harness_panel

    panel = {p.area: p for p in load_harness_panel("scaled")}
    area = panel["河北省"].view(2010, "qingyuan_like")
    hist = _history(panel, "河北省", 2010)
    default = gm.grade_flow(area, hist, 2010, (1, 3, 5), "qingyuan_like")
    explicit = gm._forecast(area, hist, 2010, (1, 3, 5), "qingyuan_like", "combined")
    full = gm.grade_flow_panel(area, hist, 2010, (1, 3, 5), "qingyuan_like")
    pd.testing.assert_frame_equal(default, explicit)
    assert not np.allclose(default["p50"], full["p50"])
    assert [m.name for m in gm.GRADE_FLOW] == ["grade_flow", "grade_flow_nodrift",
                                               "grade_flow_panel"]


def _history(panel, tested, origin):
    from qyedu.validation.harness import History, history_areas

    names = history_areas(panel[tested], tuple(panel.values()))
    views = {a: panel[a].view(origin, "bureau_like") for a in names}
    empty = pd.DataFrame(columns=["area", "level", "year", "origin", "lead", "d"])
    return History(origin, names, "all", views, empty.assign(factor=[]), empty)


def test_structural_choices_show_the_default_beside_the_three_choices():
    from qyedu.places.structural import CHOICE_LABELS, CHOICES
    from qyedu.views.structural import ORDER, structural_text

    assert CHOICES == ("none", "combined", "panel", "china_recent") == ORDER
    t = pd.DataFrame([{"promise": "compulsory_new_places", "level": "compulsory", "choice": c,
                       "choice_zh": CHOICE_LABELS[c][0], "choice_en": CHOICE_LABELS[c][1],
                       "target_year": 2025, "promised": 50000.0, "need_p05": -1000.0,
                       "need_p50": 20000.0, "need_p95": 60000.0, "prob_shortfall": 0.03}
                      for c in CHOICES])
    text = structural_text(t)
    assert "四种假设下结论相同" in text and "all four choices" in text
