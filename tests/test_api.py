"""The public Python API (qyedu/api.py): its docstring examples run as doctests (small
draws), ``import qyedu`` stays cheap (no pandas until a function is called), results are
tidy DataFrames through one cached Workbench per parameter set, and bad input is refused
with the parameter named."""

from __future__ import annotations

import doctest
import subprocess
import sys

import pandas as pd
import pytest

import qyedu
from qyedu import api
from qyedu.errors import QyeduError


def test_docstring_examples_run():
    failures, tried = doctest.testmod(api, optionflags=doctest.ELLIPSIS, report=True)
    assert tried >= 10 and failures == 0


def test_import_qyedu_is_cheap_and_lazy():
    code = ("import sys, qyedu; assert 'pandas' not in sys.modules, 'pandas imported'; "
            "f = qyedu.forecast; assert 'pandas' in sys.modules; "
            "assert callable(qyedu.params); print(f.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "qyedu.api"


def test_forecast_is_a_tidy_frame_of_the_given_parameters():
    df = qyedu.forecast(scenario="low", draws=300)
    assert isinstance(df, pd.DataFrame) and len(df) > 100
    assert {"year", "level", "county", "p05", "p50", "p95"} <= set(df.columns)
    assert set(df["scenario"]) == {"low"}
    assert df.attrs["params"].startswith("low-b2024-h2035-d300-")
    # the same parameters: the same Workbench (the projection ran once)
    assert api.workbench(scenario="low", draws=300) is api.workbench(draws=300, scenario="low")
    places = qyedu.places(scenario="low", draws=300, table="places_promises")
    assert places.attrs["params"] == df.attrs["params"]


def test_county_selects_rows_or_is_refused():
    df = qyedu.forecast(draws=100, county="英德市")
    assert set(df["county"]) == {"英德市"}
    with pytest.raises(QyeduError, match="广州市.*not a county-level unit"):
        qyedu.places(draws=100, county="广州市")
    with pytest.raises(QyeduError, match="no such table; one of: costs, cost_units"):
        qyedu.costs(draws=100, table="salaries")


def test_params_table_names_values_and_the_supported_ranges():
    p = qyedu.params(draws=123, overrides={"teachers.attrition_rate": 0.05}).set_index("name")
    assert p.loc["forecast.draws", "value"] == 123
    assert p.loc["teachers.attrition_rate", "value"] == 0.05
    assert p.loc["forecast.base_year", "range"].startswith("2015–2024")
    assert "清城区" in p.loc["forecast.county", "range"]
    with pytest.raises(QyeduError, match="no parameter section 'nope'"):
        qyedu.params("nope")
