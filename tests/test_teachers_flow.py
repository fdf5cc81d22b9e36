"""The teacher stock flow pinned on hand-computed SYNTHETIC cases: falling demand → no hires
and a growing surplus (no layoffs); rising demand → hires = gap + leavers; redeployment
conserves teachers; the cohort model retires the oldest; qualified paths are affine in the
hires' share."""

import io

import numpy as np
import pandas as pd
import pytest
from support.places import registry, result

from qyedu import params, teachers
from qyedu.errors import InputError
from qyedu.io import csv_bytes
from qyedu.teachers.bureau import read_counts
from qyedu.teachers.flow import Attrition, Redeploy, required_share, stock_flow

FLAT = Attrition(1, 0.03)


def _one(values):
    """demand (D=1, T, C=1)."""
    return np.asarray(values, dtype=float)[None, :, None]


def test_falling_demand_gives_zero_hires_and_a_growing_surplus():
    # stock 100, demand 100 → 95 → 90 → 85, 3 % leave: 100 → 97 → 94.09 → 91.27
    f = stock_flow({"p": _one([100, 95, 90, 85])}, {"p": np.array([[100.0]])}, FLAT)["p"]
    assert f["hires"][0, :, 0] == pytest.approx([0, 0, 0])
    assert f["leavers"][0, :, 0] == pytest.approx([3, 2.91, 2.8227])
    assert f["stock"][0, :, 0] == pytest.approx([100, 97, 94.09, 91.2673])
    surplus = f["stock"] - f["demand"]
    assert surplus[0, :, 0] == pytest.approx([0, 2, 4.09, 6.2673])  # never laid off


def test_rising_demand_hires_the_gap_plus_leavers():
    # stock 100, demand 110 → 120: hires 110 − 97 = 13 (gap 10 + 3 leavers), then
    # 120 − 106.7 = 13.3 (gap 10 + 3.3 leavers)
    f = stock_flow({"p": _one([100, 110, 120])}, {"p": np.array([[100.0]])}, FLAT)["p"]
    assert f["hires"][0, :, 0] == pytest.approx([13, 13.3])
    assert f["stock"][0, :, 0] == pytest.approx([100, 110, 120])
    # the contract: stock(t+1) = stock(t) − leavers(t) + hires(t)
    s, lv, h = f["stock"][0, :, 0], f["leavers"][0, :, 0], f["hires"][0, :, 0]
    assert s[1:] == pytest.approx(s[:-1] - lv + h)


def test_baseline_surplus_is_used_up_before_hiring():
    # stock 120 against demand 100 → 110: 120 − 3.6 = 116.4 ≥ 110: no hires
    f = stock_flow({"p": _one([100, 110])}, {"p": np.array([[120.0]])}, FLAT)["p"]
    assert f["hires"][0, 0, 0] == 0 and f["stock"][0, 1, 0] == pytest.approx(116.4)


def test_redeployment_conserves_teachers_and_respects_its_limits():
    # primary: stock 100, demand → 80 (after 3 leavers: 97, surplus 17); junior: stock 50,
    # demand → 70 (after 1.5 leavers: 48.5, gap 21.5). Qualified half of the surplus: 8.5,
    # capacity 10 → 8.5 move; junior hires 21.5 − 8.5 = 13.
    dem = {"primary": _one([100, 80]), "junior": _one([50, 70])}
    s0 = {"primary": np.array([[100.0]]), "junior": np.array([[50.0]])}
    r = Redeploy("primary", "junior", np.array([[10.0]]), 0.5)
    f = stock_flow(dem, s0, FLAT, redeploy=r)
    assert f["primary"]["transfers_out"][0, 0, 0] == pytest.approx(8.5)
    assert f["junior"]["transfers_in"][0, 0, 0] == pytest.approx(8.5)
    assert f["junior"]["hires"][0, 0, 0] == pytest.approx(13)
    assert f["primary"]["hires"][0, 0, 0] == 0
    for lv in dem:  # each level's stock identity with transfers
        g = f[lv]
        assert g["stock"][0, 1, 0] == pytest.approx(g["stock"][0, 0, 0] - g["leavers"][0, 0, 0]
                                                    + g["hires"][0, 0, 0] + g["transfers_in"][0, 0, 0]
                                                    - g["transfers_out"][0, 0, 0])
    total = sum(f[lv]["stock"][0, 1, 0] for lv in dem)
    assert total == pytest.approx(150 - 4.5 + 13)  # movers are neither created nor lost
    base = stock_flow(dem, s0, FLAT)
    assert base["junior"]["hires"][0, 0, 0] == pytest.approx(21.5)  # without: 8.5 more hires
    capped = stock_flow(dem, s0, FLAT, redeploy=Redeploy("primary", "junior", np.array([[2.0]]), 0.5))
    assert capped["junior"]["transfers_in"][0, 0, 0] == pytest.approx(2)


def test_cohort_model_retires_the_oldest_and_they_are_less_qualified():
    # 4 one-year cohorts, 50 % of the stock in the oldest 2, no quits; 100 teachers:
    # 25, 25, 25, 25 → the oldest 25 retire; qualified share 0.6 with gap 0.4:
    # young 0.6 + 0.4·0.5 = 0.8, old 0.6 − 0.4·0.5 = 0.4 → retirees take 10 qualified
    att = Attrition(4, 0.0, True, 0.5, 2, 0.4)
    assert att.profile() == pytest.approx([0.25] * 4)
    assert att.qual_profile(0.6) == pytest.approx([0.8, 0.8, 0.4, 0.4])
    f = stock_flow({"p": _one([100, 100])}, {"p": np.array([[100.0]])}, att,
                   qual_base={"p": np.array([0.6])}, qual_hire={"p": np.array([1.0])})["p"]
    assert f["leavers"][0, 0, 0] == pytest.approx(25) and f["hires"][0, 0, 0] == pytest.approx(25)
    assert f["qualified"][0, 0, 1, 0] == pytest.approx(60 - 10 + 25)
    flat = stock_flow({"p": _one([100, 100])}, {"p": np.array([[100.0]])}, Attrition(1, 0.25),
                      qual_base={"p": np.array([0.6])}, qual_hire={"p": np.array([1.0])})["p"]
    assert flat["qualified"][0, 0, 1, 0] == pytest.approx(60 - 15 + 25)  # average-mix leavers


def test_required_share_of_hires_on_paper():
    # stock 120; 70 qualified with unqualified hires, 90 if all 20 hires qualify; 75 %:
    # (0.75·120 − 70) / 20 = 1.0; 83 %: (99.6 − 70) / 20 = 1.48 → unreachable, 9.6 upgrades
    m = required_share(np.array([70.0]), np.array([90.0]), np.array([120.0]), 0.75)
    assert m["required_share_among_hires"][0] == pytest.approx(1.0)
    m = required_share(np.array([70.0]), np.array([90.0]), np.array([120.0]), 0.83)
    assert m["required_share_among_hires"][0] == pytest.approx(1.48)
    assert m["upgrades_needed"][0] == pytest.approx(9.6) and m["prob_unreachable"][0] == 1
    m = required_share(np.array([70.0]), np.array([70.0]), np.array([100.0]), 0.75)
    assert np.isnan(m["required_share_among_hires"][0])  # no hires: nothing to choose


def test_output_contract_on_the_tables():
    """teacher_hiring.csv at 全市: demand, stock, leavers, hires, surplus per level and year;
    means satisfy stock(t+1) = stock(t) − leavers(t) + hires(t) + transfers."""
    rng = np.random.default_rng(3)
    r = result({lv: rng.uniform(1e4, 2e4, (4, 6, 2)) for lv in
                ("preschool", "primary", "junior_secondary", "senior_general",
                 "senior_vocational")}, draws=4)
    for red, model in ((False, "flat"), (True, "flat"), (True, "cohort")):
        rp = params.from_dict({"teachers": {"redeployment": red, "attrition_model": model}})
        h = teachers.tables(r, rp, registry())["teacher_hiring.csv"]
        c = h[h["county"] == "全市"]
        need = {"demand", "stock", "leavers", "hires", "surplus"} | (
            {"transfers_in", "transfers_out"} if red else set())
        assert need <= set(c["quantity"])
        for lv in ("preschool", "primary", "junior_secondary", "senior_general",
                   "senior_vocational", "all"):
            w = c[c["level"] == lv].pivot(index="year", columns="quantity", values="mean")
            flow = w["leavers"].dropna().index
            nxt = w["stock"].shift(-1).loc[flow]
            tr = (w["transfers_in"] - w["transfers_out"]).loc[flow] if red else 0
            assert np.allclose(nxt, w["stock"].loc[flow] - w["leavers"].loc[flow]
                               + w["hires"].loc[flow] + tr), (lv, red)
            assert (w["surplus"].dropna() >= 0).all()
        hh = c[c["quantity"].str.startswith("transfers_")]
        if red:  # city totals: every mover leaves one level and joins another
            ins = hh[hh.quantity == "transfers_in"].groupby("year")["mean"].sum()
            outs = hh[hh.quantity == "transfers_out"].groupby("year")["mean"].sum()
            assert np.allclose(ins, outs)


@pytest.mark.parametrize("basis, per_teacher", [("actual_ratio", 18.22),
                                                 ("staffing_standard", 19 / 0.91)])
def test_stock_and_demand_on_one_basis_no_baseline_gap(basis, per_teacher):
    # SYNTHETIC: 18,220 primary pupils; stock and demand both from the chosen basis, so the
    # baseline gap is 0 (the old stock ÷ 18.22 vs demand ÷ 19 × 0.91 made a surplus of 127)
    r = result({"primary": np.full((1, 6, 1), 18220.0)}, counties=("A",), draws=1)
    rp = params.from_dict({"teachers": {"basis": basis}})
    tf = teachers.flows(r, rp, registry())
    assert tf.stock0["primary"][0, 0] == pytest.approx(18220 / per_teacher)
    assert tf.arrays["primary"]["teachers"][0, 2, 0] == pytest.approx(18220 / per_teacher)
    h = teachers.tables(r, rp, registry(), tf)["teacher_hiring.csv"]
    gap = h[(h.county == "全市") & (h.quantity == "baseline_gap")]
    assert (gap["mean"].abs() < 1e-9).all()
    assert basis in gap[gap.level == "primary"]["basis"].iloc[0]


def test_bureau_counts_set_stock_and_demand(tmp_path):
    # SYNTHETIC bureau file: 1,000 专任教师 and 1,050 posts for 18,220 primary pupils in the
    # stock year (2024: the synthetic run has no observed enrolment, so its base year)
    f = tmp_path / "teachers.csv"
    f.write_text("year,level,county,quantity,value\n2024,primary,全市,full_time_teachers,1000\n"
                 "2024,primary,全市,posts,1050\n", encoding="utf-8")
    counts = read_counts(f)
    enrol = np.full((1, 6, 1), 18220.0)
    enrol[:, 5:] = 18220.0 * 1.1  # pupils grow 10 % in 2025
    r = result({"primary": enrol}, counties=("A",), draws=1)
    tf = teachers.flows(r, params.RunParams(), registry(), counts=counts)
    assert tf.stock0["primary"][0, 0] == pytest.approx(1000)
    assert tf.arrays["primary"]["teachers"][0, 4, 0] == pytest.approx(1050)
    assert tf.arrays["primary"]["teachers"][0, 5, 0] == pytest.approx(1155)  # bureau ratio
    h = teachers.tables(r, params.RunParams(), registry(), tf)["teacher_hiring.csv"]
    gap = h[(h.county == "全市") & (h.level == "primary") & (h.quantity == "baseline_gap")]
    assert gap["mean"].iloc[0] == pytest.approx(-50)


@pytest.mark.parametrize("body, line, column", [
    ("2022,primary,全市,teachers,1000\n", 2, "quantity"),
    ("2022,primary,全市,posts,1000\n2022,primry,全市,posts,5\n", 3, "level"),
    ("2022,primary,北京,posts,1000\n", 2, "county"),
    ("2022,primary,全市,posts,-3\n", 2, "value"),
])
def test_bad_bureau_file_names_file_line_and_column(tmp_path, body, line, column):
    f = tmp_path / "teachers.csv"
    f.write_text("year,level,county,quantity,value\n" + body, encoding="utf-8")
    with pytest.raises(InputError, match=f"teachers.csv, line {line}, column {column}"):
        read_counts(f)


def test_views_and_figures_of_the_stock_flow_on_a_synthetic_run():
    """The tables notebook 40 shows, on a SYNTHETIC run: hires with and without redeployment,
    the baseline gap, one level's flow, qualification paths and their figures."""
    from qyedu.figures import teachers as fig
    from qyedu.views import teachers as view

    rng = np.random.default_rng(4)
    r = result({lv: rng.uniform(1e4, 2e4, (4, 6, 2)) for lv in
                ("preschool", "primary", "junior_secondary", "senior_general")}, draws=4)
    t = teachers.tables(r, params.RunParams(), registry())
    h, q = t["teacher_hiring.csv"], t["teacher_qualifications.csv"]
    # as a refresh's notebook reads them: from the build's CSV ("" versions come back as NaN)
    back = pd.read_csv(io.BytesIO(csv_bytes(q)))
    pd.testing.assert_frame_equal(view.qualification_mix(back), view.qualification_mix(q))
    w = view.hires_with_and_without_redeployment(h)
    assert {"小学 Primary", "初中 Junior secondary", "合计 All"} <= set(w.index)
    tot = w.loc["合计 All"]
    assert (tot["招聘 p50 Hires 小学→初中调配 with redeployment"]
            <= tot["招聘 p50 Hires 不调配 without redeployment"] + 1e-9)
    g = view.baseline_gap(h)
    assert (g["缺口 p50 Gap (stock − demand)"] == (g["存量 p50 Stock"] - g["同口径需求 p50 Demand (same basis)"])
            .round(0)).sum() >= 4
    f = view.stock_flow_table(h, "primary")
    assert {"需求 Demand", "存量 Stock", "招聘 Hires (start t+1)"} <= set(f.columns)
    paths = view.qualification_paths(q)
    assert "初中 Junior secondary 本科以上 %" in paths.columns
    assert paths.iloc[0]["初中 Junior secondary 本科以上 %"] == pytest.approx(91.0)
    assert not view.assumed_baseline_shares(q).empty
    for chart in (fig.stock_chart(h), fig.qualification_path_chart(q), fig.hiring_chart(h)):
        assert len(chart.axes) == 1 and chart.axes[0].has_data()
