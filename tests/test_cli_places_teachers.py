"""``qyedu places`` / ``qyedu teachers`` end to end on a small real projection (20 draws).
The plan registry is replaced by the inline SYNTHETIC registry of tests/support/places.py so the
verbs are tested independently of the plan parser."""

import pandas as pd
import pytest
from support.places import registry

import qyedu.plan
import qyedu.projection
from qyedu.cli import main

if not hasattr(qyedu.projection, "run"):
    pytest.skip("qyedu.projection.run not available yet", allow_module_level=True)


@pytest.fixture(autouse=True)
def synthetic_registry(monkeypatch):
    monkeypatch.setattr(qyedu.plan, "load_indicators", lambda *a, **k: registry(), raising=False)


def test_places_out_writes_only_that_file(tmp_path, capsys):
    out = tmp_path / "p" / "demand.csv"
    assert main(["places", "--draws", "20", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.parent.iterdir()) == ["demand.csv"]  # no side effects
    d = pd.read_csv(out)
    for q in ("places_needed", "capacity", "gap", "shortage", "avg_class_size",
              "prob_large_class"):
        f = d[(d["quantity"] == q) & (d["year"] == 2025)]
        levels = {"primary", "junior_secondary", "preschool", "senior_general"}
        assert set(f["level"]) >= (levels if q == "gap" else levels | {"compulsory"}), q
        assert q != "gap" or "compulsory" not in set(f["level"])  # levels never netted
        assert len(set(f["county"])) == 9, q
    assert "wrote" in capsys.readouterr().out
    folder = tmp_path / "all"
    assert main(["places", "--draws", "20", "--tables-dir", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "places_answers.csv", "places_demand.csv", "places_promises.csv"]
    prom = pd.read_csv(folder / "places_promises.csv")
    assert {"year", "level", "county", "scenario", "quantity", "mean", "p05", "p50", "p95",
            "basis"} <= set(d.columns)
    assert "全市" in set(d["county"]) and len(set(d["county"])) == 9
    assert set(prom["promise"]) == {"compulsory_new_places", "preschool_new_public_places",
                                    "senior_new_public_places"}
    assert "wrote" in capsys.readouterr().out


def test_teachers_default_output_folder(tmp_path, monkeypatch):
    import shutil

    from qyedu import generations, params, paths

    for sub in ("data/raw", "params"):
        shutil.copytree(paths.root() / sub, tmp_path / sub)
    monkeypatch.setenv("QYEDU_ROOT", str(tmp_path))
    assert main(["teachers", "--draws", "20", "--horizon", "2030"]) == 0
    # non-default parameters: published to their own scenario folder, as a generation
    folder = paths.data_processed() / "scenarios" / params.load(draws=20, horizon=2030).slug()
    for name in ("teacher_demand.csv", "teacher_hiring.csv", "teacher_qualifications.csv"):
        assert (folder / name).exists()
    assert not (paths.data_processed() / "teacher_demand.csv").exists()
    site = generations.scenario_site(folder.name)
    assert generations.verify(site.live()) == []
    h = pd.read_csv(folder / "teacher_hiring.csv")
    assert h["year"].min() == 2022 and h["year"].max() == 2030  # the stock baseline first


def test_teachers_and_costs_out_write_only_that_file(tmp_path):
    """--out FILE writes only FILE: the stock flow (teachers) or costs.csv (costs)."""
    out = tmp_path / "t" / "flow.csv"
    assert main(["teachers", "--draws", "20", "--horizon", "2030", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.parent.iterdir()) == ["flow.csv"]
    h = pd.read_csv(out)
    c = h[h["county"] == "全市"]
    assert {"demand", "stock", "leavers", "hires", "surplus"} <= set(c["quantity"])
    w = c[c["level"] == "primary"].pivot(index="year", columns="quantity", values="mean")
    f = w["leavers"].dropna().index
    assert (abs(w["stock"].shift(-1).loc[f] - (w["stock"] - w["leavers"] + w["hires"]).loc[f])
            < 1e-6 * w["stock"].max()).all()
    out = tmp_path / "c" / "costs.csv"
    assert main(["costs", "--draws", "20", "--horizon", "2030", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.parent.iterdir()) == ["costs.csv"]
    d = pd.read_csv(out)
    for lv in ("preschool", "primary", "junior_secondary", "senior_general", "all"):
        assert {"capital_cost", "salary_cost_public", "total_cost"} <= set(d[d.level == lv]["quantity"])
    assert d[d.quantity == "capital_cost"]["basis"].str.contains("万元").all()
    assert d[d.quantity == "capital_cost"]["basis"].str.contains("2022 prices").all()


def test_bad_flag_value_is_reported_with_exit_code_2(tmp_path, capsys):
    assert main(["places", "--draws", "-1", "--out", str(tmp_path / "x.csv")]) == 2
    assert "forecast.draws" in capsys.readouterr().err
