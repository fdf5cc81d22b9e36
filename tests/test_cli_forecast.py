"""``qyedu forecast``: writes the tidy table; invalid parameters exit non-zero naming the
parameter."""

import pandas as pd
import pytest

from qyedu.cli import main


def test_forecast_writes_tidy_table(tmp_path, capsys):
    out = tmp_path / "f.csv"
    code = main(["forecast", "--scenario", "low", "--draws", "200", "--seed", "3", "--out",
                 str(out)])
    assert code == 0
    df = pd.read_csv(out)
    assert list(df.columns[:9]) == ["year", "level", "county", "scenario", "quantity", "mean",
                                    "p05", "p50", "p95"]
    assert set(df["scenario"]) == {"low"} and "全市" in set(df["county"])
    row = df[(df["year"] == 2022) & (df["level"] == "primary") & (df["county"] == "全市")
             & (df["quantity"] == "enrolled")]
    assert row["p50"].iloc[0] == pytest.approx(422369)
    assert "[forecast]" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, name",
    [
        (["--scenario", "extreme"], "forecast.scenario"),
        (["--draws", "-5"], "forecast.draws"),
        (["--base-year", "2022", "--horizon", "2021"], "horizon (2021) must be after base_year"),
        (["--births-method", "guess"], "forecast.births_method"),
    ],
)
def test_invalid_parameters_exit_non_zero_naming_the_parameter(tmp_path, capsys, args, name):
    code = main(["forecast", *args, "--out", str(tmp_path / "x.csv")])
    assert code != 0
    assert name in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()
