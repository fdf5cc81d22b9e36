"""Regenerate the golden tables of tests/test_golden.py: ``.venv/bin/python
tests/golden/make_golden.py``. Run it deliberately when the model, its calibration or its
inputs change, and say in the commit which numbers moved and why."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
DRAWS = 300
HEADER = (f"# golden values: qyedu.params.load(draws={DRAWS}), default scenario, city; "
          "regenerate deliberately (tests/golden/make_golden.py) when the model changes\n")
QUANTILES = ["p05", "p50", "p95"]
HIRING_YEARS = (2025, 2030, 2034)  # hires of year t staff year t + 1: the last is 2034


def workbench():
    from qyedu import params
    from qyedu.workbench import Workbench

    return Workbench(params.load(draws=DRAWS))


def enrolment(wb) -> pd.DataFrame:
    t = wb.forecast_tables["enrollment_forecast.csv"]
    t = t[(t["county"] == "全市") & (t["quantity"] == "enrolled")]
    return t[["year", "level", *QUANTILES]].reset_index(drop=True)


def promises(wb) -> pd.DataFrame:
    """Every city row of the promise answers (need, surplus, P(shortfall), peaks …)."""
    t = wb.places_tables["places_promises.csv"]
    t = t[t["county"] == "全市"]
    return t[["promise", "year", "level", "quantity", *QUANTILES]].reset_index(drop=True)


def hiring(wb) -> pd.DataFrame:
    """City hires and cumulative hires by level in the plan's last year, 2030 and 2034."""
    t = wb.teacher_tables["teacher_hiring.csv"]
    t = t[(t["county"] == "全市") & t["quantity"].isin(["hires", "hires_cumulative"])
          & t["year"].isin(HIRING_YEARS)]
    return t[["year", "level", "quantity", *QUANTILES]].reset_index(drop=True)


def scorecard_counts(wb) -> pd.DataFrame:
    s = wb.scorecard_tables["scorecard.csv"]["status"].value_counts().sort_index()
    return s.rename_axis("status").reset_index(name="targets")


TABLES = {"enrollment_city_d300.csv": enrolment, "promises_city_d300.csv": promises,
          "hiring_city_d300.csv": hiring, "scorecard_status_counts.csv": scorecard_counts}


def main() -> None:
    wb = workbench()
    for name, fn in TABLES.items():
        with open(HERE / name, "w", encoding="utf-8", newline="") as f:
            f.write(HEADER)
            fn(wb).to_csv(f, index=False, float_format="%.10g")
        print(f"wrote tests/golden/{name}")


if __name__ == "__main__":
    main()
