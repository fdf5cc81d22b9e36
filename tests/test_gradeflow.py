"""The grade-by-grade flow core on a cohort small enough to follow on paper."""

import numpy as np
import pandas as pd
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


# -- a synthetic area built from known ratios (synthetic numbers, never in data/raw) --------

from qyedu.labels import LEVELS  # noqa: E402
from qyedu.params import RunParams  # noqa: E402
from qyedu.projection.area_run import flow_area  # noqa: E402
from qyedu.projection.gradeflow import (  # noqa: E402
    level_totals,
    retention_weights,
    split_levels,
    stage_cohorts,
)
from qyedu.projection.ratio_drift import (  # noqa: E402
    RATIOS,
    drift_samples,
    fit_ratio_drift,
    ratio_series_wide,
)

E, RHO, TAU = 1.12, 0.99, 0.93  # entry ratio, in-level retention per year, grade 6 → 7
SUB = tuple(s for s in CHAIN if s.level in ("primary", "junior_secondary"))
FBY = 1980


def _synthetic():
    """Births 1980–2030 (a smooth wave), and primary/junior grades 2000–2030 that follow the
    known ratios exactly; intake = grade 1 / grade 7, graduates = grade 6 / grade 9."""
    years = np.arange(1980, 2031)
    births = pd.Series(1000.0 + 150.0 * np.sin((years - 1980) / 6.0), index=years)
    src = source_index(SUB)
    yrs = np.arange(2000, 2031)
    coh = stage_cohorts(births.to_numpy()[None, :], FBY, yrs, SUB)
    phi = np.array([E * RHO ** k for k in range(6)] + [E * RHO ** 5 * TAU * RHO ** k
                                                       for k in range(3)])
    ratios = np.where(src < 0, E, np.where(np.arange(9) == 6, TAU, RHO))
    state0 = phi * coh[0, 0]
    grades = run_flow(state0[None, :], np.broadcast_to(ratios, (1, len(yrs) - 1, 9)),
                      coh[:, 1:], src)[0]
    idx = pd.Index(yrs, name="year")
    enrol = pd.DataFrame({"primary": grades[:, :6].sum(axis=1),
                          "junior_secondary": grades[:, 6:].sum(axis=1)}, index=idx)
    intake = pd.DataFrame({"primary": grades[:, 0], "junior_secondary": grades[:, 6]}, index=idx)
    grads = pd.DataFrame({"primary": grades[:, 5], "junior_secondary": grades[:, 8]}, index=idx)
    return births, enrol, intake, grads, grades


def _zero_table():
    return pd.DataFrame([{"ratio": k, "lead": h, "source": "panel", "n": 10, "areas": 5,
                          "q05": 0.0, "q50": 0.0, "q95": 0.0} for k in RATIOS
                         for h in range(1, 9)])


def test_the_panel_ratios_of_a_synthetic_area_are_its_known_ratios():
    births, enrol, intake, grads, _ = _synthetic()
    s = ratio_series_wide(enrol, intake, grads, births).pivot(index="year", columns="ratio",
                                                              values="value")
    assert s["entry_primary"].to_numpy() == pytest.approx(E)
    # lagged ratios start in the second year
    assert s["survival_primary"].to_numpy()[1:] == pytest.approx(RHO)
    assert s["survival_junior"].to_numpy()[1:] == pytest.approx(RHO)
    assert s["transition_junior"].to_numpy()[1:] == pytest.approx(TAU)
    # constant ratios: every drift sample is zero, so the fitted drift is zero
    d = drift_samples(ratio_series_wide(enrol, intake, grads, births).assign(area="syn"))
    assert len(d) > 100 and d["d"].abs().max() < 1e-12
    fit = fit_ratio_drift(d, min_areas=1)
    assert fit[["q05", "q50", "q95"]].abs().to_numpy().max() < 1e-12


def _flow_synthetic(info, table, choice=None, origin=2015, horizon=2023):
    """``flow_area`` on the synthetic area from ``origin``: Qingyuan-like (the origin's totals
    only) or bureau-like (enrolment and intakes up to the origin); retention prior = RHO."""
    births, enrol, intake, _, _ = _synthetic()
    rp = RunParams.model_validate({
        "forecast": {"draws": 3, "base_year": origin, "horizon": horizon},
        "projection": {"grade_retention_prior": [1.0, RHO, RHO, 0.96],
                       "grade_retention_sd": [0, 0, 0, 0]}})
    seen = enrol.loc[[origin]] if info == "qingyuan_like" else enrol.loc[:origin]
    known = intake.iloc[:0] if info == "qingyuan_like" else intake.loc[:origin]
    return flow_area(births.to_numpy(), FBY, seen, known, origin, horizon, table, rp,
                     choice=choice)


@pytest.mark.parametrize("info", ["qingyuan_like", "bureau_like"])
def test_the_flow_recovers_a_synthetic_area_from_one_origin(info):
    _, enrol, _, _, _ = _synthetic()
    origin, horizon = 2015, 2023
    out = _flow_synthetic(info, _zero_table(), origin=origin, horizon=horizon)
    truth = enrol.loc[origin:horizon]
    for lv in ("primary", "junior_secondary"):
        assert out[lv][0] == pytest.approx(truth[lv].to_numpy(), rel=1e-9)


def test_split_and_level_totals_are_inverse():
    coh = np.array([[[100.0, 110, 120, 130, 140, 150, 90, 95, 99]]])
    w = retention_weights(np.array([[1.0, 0.98, 0.97, 1.0, 1.0]]), LEVELS, SUB)
    tot = np.array([[[0.0, 700.0, 300.0, 0, 0]]])
    st = split_levels(tot[:, :, [1, 2]], coh, w, ("primary", "junior_secondary"), SUB)
    assert level_totals(st, ("primary", "junior_secondary"), SUB)[0, 0] == pytest.approx(
        [700.0, 300.0])
    # within a level the stage factor falls by the retention ratio from grade to grade
    phi = st[0, 0] / coh[0, 0]
    assert phi[1] / phi[0] == pytest.approx(0.98) and phi[7] / phi[6] == pytest.approx(0.97)


def _entry_table(q50: float):
    """A drift table whose only movement is the entry ratio's: log drift ``q50`` at every
    lead, no spread (synthetic)."""
    t = _zero_table()
    t.loc[t["ratio"] == "entry_primary", ["q05", "q50", "q95"]] = q50
    return t


@pytest.mark.parametrize(("info", "choice", "moved"), [
    ("bureau_like", None, 0.0),  # own entry history: its recent mean is the centre
    ("bureau_like", "panel", 1.0),  # an explicit structural choice still applies
    ("qingyuan_like", None, 0.5),  # no entry history: half the panel's drift (the default)
])
def test_an_area_with_its_own_entry_history_keeps_its_entry_ratio(info, choice, moved):
    births = _synthetic()[0]
    base = _flow_synthetic(info, _zero_table())
    out = _flow_synthetic(info, _entry_table(0.1), choice)
    origin = 2015
    # 2016's primary differs from the held flow only by its new grade 1 (entry × e^{moved·0.1})
    g1 = E * float(stage_cohorts(births.to_numpy()[None, :], FBY, [origin + 1], SUB)[0, 0, 0])
    gap = out["primary"][0, 1] - base["primary"][0, 1]
    assert gap == pytest.approx(g1 * (np.exp(moved * 0.1) - 1), rel=1e-6, abs=1e-6)
