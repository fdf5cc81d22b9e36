"""What the data support (qyedu/coverage.py), refused the same way on every path: an unknown
county or a base year beyond the published births is an error naming the parameter in the
Workbench (so in every notebook, the explorer and the API) and in the CLI (exit 2);
``qyedu params`` lists the scenarios defined in the births-paths file and the supported base
years; the explorer's base-year slider offers only those years."""

from __future__ import annotations

import pytest

from qyedu import coverage, params
from qyedu.api import supported
from qyedu.cli import main
from qyedu.errors import QyeduError
from qyedu.workbench import Workbench


def test_base_years_come_from_the_published_births():
    assert coverage.base_years() == (2015, 2024)  # Guangdong births in population.csv end 2024


@pytest.mark.parametrize("forecast, message", [
    ({"county": "广州市"}, "forecast.county '广州市' is not a county-level unit of Qingyuan"),
    ({"base_year": 2027}, "forecast.base_year 2027: births are published up to 2024"),
])
def test_workbench_and_cli_refuse(forecast, message, capsys):
    with pytest.raises(QyeduError, match=message.replace("(", r"\(")):
        Workbench.from_params(draws=10, **forecast)
    flag, value = next(iter(forecast.items()))
    code = main(["places", f"--{flag.replace('_', '-')}", str(value), "--draws", "10",
                 "--out", "unused.csv"])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err


def test_params_lists_defined_scenarios_and_supported_base_years(tmp_path, capsys):
    assert main(["params", "forecast"]) == 0
    out = capsys.readouterr().out
    assert "forecast.scenario = 'medium'  [choice]  (low | medium | high)" in out
    assert "(2015–2024 (years the Qingyuan inputs support))" in out
    # a new scenario is one entry in the births-paths file, and is listed
    src = (params.load().births.paths_file or "params/births_paths.yaml")
    from qyedu import paths

    text = (paths.root() / src).read_text(encoding="utf-8")
    extra = text + ("  very_low:\n    description: synthetic test path\n"
                    "    source: 'assumption: synthetic test path'\n"
                    "    annual_change: [-0.1]\n")
    f = tmp_path / "paths.yaml"
    f.write_text(extra, encoding="utf-8")
    rp = params.load(None, {"births.paths_file": str(f)})
    table = supported(params.describe(params.RunParams), rp).set_index("name")
    assert table.loc["forecast.scenario", "range"] == "low | medium | high | very_low"


def test_explorer_slider_offers_only_supported_base_years():
    pytest.importorskip("ipywidgets")
    from qyedu.explorer import explorer_widget

    rp = params.load(None, {"forecast.draws": 20})
    box = explorer_widget(rp)
    slider = box.children[3]
    assert (slider.min, slider.max) == (2015, 2024)
