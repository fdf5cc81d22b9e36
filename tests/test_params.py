"""Parameter files and models: every field documented, unknown keys and bad values rejected
with the key named, all errors reported at once."""

import re

import pytest

from qyedu import params
from qyedu.cli import main


def test_default_file_is_valid_and_matches_model_defaults_where_given():
    rp = params.load()
    assert rp.forecast.scenario == "medium"
    assert rp.forecast.base_year == 2024
    assert rp.forecast.horizon == 2035
    assert rp.places.public_share_preschool == 0.5


def test_every_parameter_has_description_unit_and_source():
    table = params.describe(params.RunParams)
    assert len(table) >= 15
    for col in ("description", "unit", "source"):
        empty = table[table[col].astype(str).str.strip() == ""]
        assert empty.empty, f"parameters without {col}: {list(empty['name'])}"


def test_assumptions_are_labelled():
    table = params.describe(params.RunParams)
    row = table.set_index("name").loc["teachers.attrition_rate"]
    assert row["source"].startswith("assumption")


def test_unknown_and_bad_keys_all_reported_at_once(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("forecast:\n  scenaro: low\n  draws: -5\nplaces:\n  public_share_preschool: 2\n")
    with pytest.raises(params.ParamError) as err:
        params.load(f)
    msg = str(err.value)
    assert str(f) in msg
    assert "forecast.scenaro: unknown parameter" in msg
    assert "forecast.draws" in msg and "places.public_share_preschool" in msg


def test_unknown_section_rejected():
    with pytest.raises(params.ParamError, match="forecasts: unknown parameter"):
        params.from_dict({"forecasts": {}})


def test_horizon_must_follow_base_year():
    with pytest.raises(params.ParamError, match=r"horizon \(2021\) must be after base_year \(2024\)"):
        params.load(horizon=2021)


def test_overrides_are_validated_and_change_the_slug():
    rp = params.load(scenario="low", draws=300)
    assert rp.forecast.draws == 300
    assert re.fullmatch(r"low-b2024-h2035-d300-s1-[0-9a-f]{8}", rp.slug())
    with pytest.raises(params.ParamError, match="forecast.scenario"):
        params.load(scenario="extreme")


def test_cli_params_check_rejects_bad_file(tmp_path, capsys):
    f = tmp_path / "p.yaml"
    f.write_text("teachers:\n  attrition: 0.1\n")
    assert main(["params", "--check", str(f)]) == 2
    assert "teachers.attrition: unknown parameter" in capsys.readouterr().err


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(params.ParamError, match="not found"):
        params.load(tmp_path / "nope.yaml")
    f = tmp_path / "x.yaml"
    f.write_text("forecast: [1, 2\n")
    with pytest.raises(params.ParamError, match="not valid YAML"):
        params.load(f)


def test_cli_params_lists_every_parameter_by_section(capsys):
    assert main(["params"]) == 0
    text = capsys.readouterr().out
    for name in params.describe(params.RunParams)["name"]:
        assert f"  {name} = " in text, name
    assert "[births]" in text and "source: assumption:" in text
    assert main(["params", "teachers", "--csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "name,default,unit,range,source,description"
    assert all(r.startswith("teachers.") for r in rows[1:])
    assert main(["params", "nope"]) == 2
