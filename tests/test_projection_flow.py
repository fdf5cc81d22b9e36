"""The Qingyuan run with the learned drift (a hand-made calibration file gives an exactly
known factor path), vocational in-flows, and the flow checks against the plan (on a
synthetic result)."""

import numpy as np
import pandas as pd
import pytest

from qyedu.labels import LEVELS
from qyedu.params import RunParams
from qyedu.projection import run
from qyedu.projection.consistency import flow_checks
from qyedu.projection.drift import CAL_REQUIRED
from qyedu.projection.flow import cohort_births
from qyedu.projection.gradeflow import CHAIN, STAGE_NAMES, stage_cohorts
from qyedu.projection.ratio_drift import RATIOS
from qyedu.projection.result import ProjectionResult

# the plan's preschool figures (2015/2020 enrolled and gross enrolment ratio)
PRE = pd.DataFrame({"indicator_id": ["preschool_enrolled"] * 2 + ["preschool_gross_enrolment_ratio"] * 2,
                    "year": [2015, 2020, 2015, 2020], "value": [156763.0, 171158.0, 96.71, 101.28]})


def _rp(tmp_path, alpha: float, draws=40, **projection):
    """Run parameters with a calibration file of zero spread and log drift α·lead (and no
    calibrated band unless ``band_file`` is given: the flow's mechanics alone)."""
    projection = {"band_file": ""} | projection
    rows = [{"level": lv, "lead": h, "model": "own", "alpha": alpha * h, "beta": 0.0,
             "resid_q05": 0.0, "resid_q50": 0.0, "resid_q95": 0.0, "n": 10, "areas": 5}
            for lv in LEVELS for h in range(1, 4)]
    path = tmp_path / "cal.csv"
    pd.DataFrame(rows, columns=list(CAL_REQUIRED)).to_csv(path, index=False)
    return RunParams.model_validate({
        "forecast": {"draws": draws, "births_method": "share_of_guangdong"},
        "projection": {"calibration_file": str(path), "births_anchor_doubt": 0.0, **projection}})


def _ratio_rp(tmp_path, alpha: float, ratio="entry_primary", draws=40, **projection):
    """Run parameters with a ratio-drift file of zero spread: log drift α·lead for
    ``ratio``, none for the others; retention prior without spread; the whole panel drift
    (``drift_choice = panel``, not the default's half: the flow's mechanics alone)."""
    projection = {"drift_choice": "panel"} | projection
    rows = [{"ratio": k, "lead": h, "source": "panel", "n": 10, "areas": 5,
             "q05": alpha * h if k == ratio else 0.0, "q50": alpha * h if k == ratio else 0.0,
             "q95": alpha * h if k == ratio else 0.0} for k in RATIOS for h in range(1, 4)]
    path = tmp_path / "ratios.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return _rp(tmp_path, 0.0, draws, ratio_drift_file=str(path),
               grade_retention_sd=[0, 0, 0, 0], **projection)


def test_pupils_at_school_progress_and_only_entrants_carry_the_entry_drift(tmp_path):
    flat = run(_ratio_rp(tmp_path, 0.0), preschool=PRE)
    up = run(_ratio_rp(tmp_path, 0.02), preschool=PRE)
    y, s = list(flat.years), list(STAGE_NAMES)
    ratio = up.stages / flat.stages
    # grade 1 takes the entry drift exp(0.02 h) after 2022, held beyond the file's leads
    assert ratio[:, y.index(2023), s.index("g1")] == pytest.approx(np.exp(0.02))
    assert ratio[:, y.index(2025), s.index("g1")] == pytest.approx(np.exp(0.06))
    # grade 2 of 2023 was at school in 2022: untouched; grade 2 of 2024 entered in 2023
    assert ratio[:, y.index(2023), s.index("g2")] == pytest.approx(1.0)
    assert ratio[:, y.index(2024), s.index("g2")] == pytest.approx(np.exp(0.02))
    assert ratio[:, y.index(2025), s.index("g7")] == pytest.approx(1.0)
    # the observed 2022 cross-section is reproduced in every draw, by the sum of its grades
    i = LEVELS.index("primary")
    assert flat.city()[:, y.index(2022), i] == pytest.approx(422369)
    assert up.stages[:, y.index(2022), 3:9].sum(axis=1) == pytest.approx(422369)


def test_a_transition_drift_moves_junior_entrants_only(tmp_path):
    flat = run(_ratio_rp(tmp_path, 0.0), preschool=PRE)
    up = run(_ratio_rp(tmp_path, -0.05, "transition_junior"), preschool=PRE)
    y, s = list(flat.years), list(STAGE_NAMES)
    ratio = up.stages / flat.stages
    assert ratio[:, y.index(2023), s.index("g7")] == pytest.approx(np.exp(-0.05))
    assert ratio[:, y.index(2024), s.index("g8")] == pytest.approx(np.exp(-0.05))
    assert ratio[:, y.index(2025), s.index("g6")] == pytest.approx(1.0)


def test_vocational_inflow_is_an_explicit_term_of_grade_10(tmp_path):
    base = run(_ratio_rp(tmp_path, 0.0), preschool=PRE)
    inflow = run(_ratio_rp(tmp_path, 0.0, vocational_inflow_share=0.25), preschool=PRE)
    y, s = list(base.years), list(STAGE_NAMES)
    v10, k = s.index("voc10"), y.index(2022)
    # voc10(t) = 0.75 × (held transition × g9(t−1)) + 0.25 × voc10(2022)
    expect = 0.75 * base.stages[:, k + 3, v10] + 0.25 * base.stages[:, k, v10]
    assert inflow.stages[:, k + 3, v10] == pytest.approx(expect)
    assert inflow.stages[:, k, v10] == pytest.approx(base.stages[:, k, v10])


def _result(junior_factor: float) -> ProjectionResult:
    years, by = np.arange(2022, 2024), np.arange(2000, 2024)
    births = np.full((1, len(by)), 100.0)
    enrolled = np.stack([cohort_births(births, 2000, years, lv) for lv in LEVELS], axis=2)
    enrolled[:, :, LEVELS.index("junior_secondary")] *= junior_factor
    return ProjectionResult("medium", years, ("a",), enrolled[..., None], enrolled[..., None],
                            by, births)


def test_flow_checks_flag_a_contradiction_with_the_plan():
    plan = pd.DataFrame({"indicator_id": ["primary_graduate_progression_rate"], "year": [2022],
                         "value": [100.0], "kind": ["target"], "line": [241]})
    ok = flow_checks(_result(0.98), plan).set_index(["quantity", "year"])
    bad = flow_checks(_result(0.87), plan).set_index(["quantity", "year"])
    assert ok.loc[("junior_per_primary", 2022), "p50"] == pytest.approx(98.0)
    assert ok.loc[("junior_per_primary", 2022), "status"] == "consistent"
    assert bad.loc[("junior_per_primary", 2022), "status"] == "contradiction"
    assert bad.loc[("junior_per_primary", 2022), "plan_line"] == 241
    # GER = enrolled / population of the ages = 100 % here; no plan figure given
    assert bad.loc[("ger_primary", 2022), "p50"] == pytest.approx(100.0)
    assert bad.loc[("ger_primary", 2022), "status"] == "plausible"
    assert bad.loc[("ger_senior", 2022), "status"] == "no_plan_figure"


def test_enrolment_by_grade_satisfies_the_flow_identities_with_its_published_ratios():
    from qyedu.projection.tables import grade_table

    r = run(RunParams.model_validate({"forecast": {"draws": 1}}), preschool=PRE)
    g = grade_table(r).set_index(["year", "stage"])
    src = dict(zip(g.loc[2025].index, g.loc[2025]["fed_by"], strict=True))
    checked = 0
    for year in range(2023, 2036):
        for stage, fed_by in src.items():
            row = g.loc[(year, stage)]
            if fed_by:
                expect = row["ratio_p50"] * g.loc[(year - 1, fed_by), "pupils_p50"]
            else:
                expect = row["ratio_p50"] * row["age_cohort_p50"]
            assert row["pupils_p50"] == pytest.approx(expect, rel=1e-9), (year, stage)
            checked += 1
    assert checked == 13 * 18
    # one birth cohort followed from age 3 (2020) to grade 12 (2034): a stage every year
    cohort = [("pre3", 2020), ("pre5", 2022), ("g1", 2023), ("g9", 2031), ("gen12", 2034)]
    assert all(g.loc[(y, s), "age"] - (y - 2020) == 3 for s, y in cohort)


def test_no_projected_grade_exceeds_the_saturation_cap(tmp_path):
    # an absurd entry drift (+50 % a year) must stop at the cap: the panel's maximum of
    # pupils per birth, or the grade's own 2022 factor where that is higher
    rp = _ratio_rp(tmp_path, 0.5, band_file="params/calibration/flow_band.csv")
    r = run(rp, preschool=PRE)  # the calibrated band stays under the cap too
    coh = stage_cohorts(r.births, int(r.births_years[0]), r.years)
    fac = r.stages / coh
    y = list(r.years)
    k0 = y.index(2022)
    lev = [LEVELS.index(s.level) for s in CHAIN]
    cap = np.maximum(np.array(rp.projection.ger_cap)[lev][None, :], fac[:, k0])
    assert (fac[:, k0 + 1:] <= cap[:, None, :] * (1 + 1e-12)).all()
    g1 = STAGE_NAMES.index("g1")
    assert fac[:, k0 + 1:, g1].max() == pytest.approx(cap[:, g1].max())  # the cap binds


def test_the_2025_compulsory_band_narrows_because_pupils_progress():
    # the factor model's band was −27,651…120,089 (width ≈ 148,000, issue 18); in the flow
    # grades 4–6 and all of junior in 2025 were at school in 2022. With the band calibrated
    # on the flow's honest residuals (projection.conformal_band) it is ≈ 120,000 wide: still
    # narrower than the factor model's, no longer the < 100,000 of the uncalibrated flow
    r = run(RunParams(), preschool=PRE)
    y = list(r.years)
    c = r.city()[:, :, 1] + r.city()[:, :, 2]
    need = c[:, y.index(2025)] - c[:, y.index(2020)]
    lo, hi = np.quantile(need, [0.05, 0.95])
    assert 100_000 < hi - lo < 148_000
    assert lo < 0 < np.median(need) < 50_000 < hi


def _choices(p_none, p_panel, p_china):
    from qyedu.places.structural import CHOICE_LABELS

    return pd.DataFrame([{"promise": "compulsory_new_places", "level": "compulsory",
                          "choice": c, "choice_zh": CHOICE_LABELS[c][0],
                          "choice_en": CHOICE_LABELS[c][1], "target_year": 2025,
                          "promised": 50000.0, "need_p05": -1000.0, "need_p50": 20000.0 + i,
                          "need_p95": 60000.0, "prob_shortfall": p}
                         for i, (c, p) in enumerate((("none", p_none), ("panel", p_panel),
                                                     ("china_recent", p_china)))])


def test_a_verdict_that_rests_on_the_choice_says_so_in_words():
    from qyedu.views.structural import structural_sentence, structural_text

    zh, en = structural_sentence(_choices(0.08, 0.64, 0.02), "compulsory_new_places")
    assert zh.startswith("新增义务教育学位（承诺 50,000 个）是否够用，取决于")
    assert "若比率不漂移" in zh and "p = 8 %" in zh and "p = 64 %" in zh and "p = 2 %" in zh
    assert en.startswith("Whether the 50,000 new compulsory places suffice depends on whether")
    assert "with no drift (the 2022 flow ratios held) p = 8 %" in en
    # the same calibrated word ("very unlikely") under every choice: no "depends on"
    assert structural_sentence(_choices(0.03, 0.05, 0.02), "compulsory_new_places") is None
    assert "三种假设下结论相同" in structural_text(_choices(0.03, 0.05, 0.02))


def test_the_decision_box_says_what_a_verdict_rests_on():
    from qyedu.pipeline.index import decision_html

    row = {"promise": "compulsory_new_places", "label_zh": "义务教育", "label_en": "Compulsory",
           "verdict_zh": "v", "verdict_en": "v", "timing_zh": "t", "timing_en": "t",
           "p_shortfall_text": "64 %", "target_year": 2025}
    assert "qy-rests" not in decision_html({"promises": [row]})
    from qyedu.views.structural import structural_sentence

    zh, en = structural_sentence(_choices(0.08, 0.64, 0.02), "compulsory_new_places")
    from qyedu.views.structural import short_line

    sz, se = short_line(_choices(0.08, 0.64, 0.02), "compulsory_new_places")
    assert sz == "不漂移 8 % · 面板漂移 64 % · 全国近年漂移 2 %"
    html = decision_html({"promises": [{**row, "rests_zh": zh, "rests_en": en,
                                        "rests_short_zh": sz, "rests_short_en": se}]})
    assert "取决于假设" in html and sz in html and "p = 64 %" in html and "p = 8 %" in html


def test_the_index_states_the_place_plan_in_words_chinese_first():
    from qyedu.pipeline.index import decision_html

    row = {"promise": "compulsory_new_places", "label_zh": "义务教育", "label_en": "Compulsory",
           "verdict_zh": "v", "verdict_en": "v", "timing_zh": "t", "timing_en": "t",
           "p_shortfall_text": "27 %", "target_year": 2025}
    assert "学位方案" not in decision_html({"promises": [row]})
    html = decision_html({"promises": [row], "place_plan": {
        "zh": "清城区：初中 2028–2031 年由小学改建约 26,000 个", "en": "清城区: junior: convert"}})
    assert html.index("学位方案") < html.index("Place plan")
    assert "由小学改建约 26,000 个" in html and "清城区: junior: convert" in html
