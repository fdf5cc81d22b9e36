"""An area forecast against outturns it never saw: the check a new user makes with
``qyedu forecast --area-data FILE --base-year Y --outturns LATER.csv``.

Each enrolment outturn after the base year that the forecast covers (same level, a year in
its range) is set beside the forecast's p05 / p50 / p95; ``inside`` says whether it fell in
the p05–p95 band. A p05–p95 band should hold about 90 % of outturns, but outturns of one
area are not independent (an area drifting off the panel's pattern misses several years in
a row; ``docs/PROJECTION.md`` §0c), so a handful of them says little about the band.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BAND = (0.05, 0.95)  # the quantiles of the forecast table's p05 and p95
EXPECTED_INSIDE = round(100 * (BAND[1] - BAND[0]))  # the share a calibrated band holds, %
CHECK_COLUMNS = ["level", "year", "lead", "outturn", "p05", "p50", "p95", "error_pct", "inside",
                 "source"]


def outturn_check(forecast: pd.DataFrame, outturns: pd.DataFrame,
                  base_year: int | dict) -> pd.DataFrame:
    """CHECK_COLUMNS for every outturn (year, level, value, source) after ``base_year`` (a
    year, or {level: its last observed year}) that ``forecast`` (the tidy table: year,
    level, quantity, p05, p50, p95; one area) covers; lead = year − that year;
    error_pct = (p50 − outturn) / outturn × 100 (positive: the forecast was too high)."""
    f = forecast[forecast["quantity"] == "enrolled"][["year", "level", "p05", "p50", "p95"]]
    last = outturns["level"].map(base_year) if isinstance(base_year, dict) else \
        pd.Series(base_year, index=outturns.index)
    o = outturns.assign(lead=outturns["year"] - last)[lambda d: d["lead"] > 0]
    m = o.merge(f, on=["year", "level"], how="inner")
    if m.empty:
        return pd.DataFrame(columns=CHECK_COLUMNS)
    v = m["value"].to_numpy(float)
    m = m.assign(lead=m["lead"].astype(int), outturn=v,
                 error_pct=(m["p50"].to_numpy(float) - v) / v * 100,
                 inside=(v >= m["p05"].to_numpy(float)) & (v <= m["p95"].to_numpy(float)))
    m = m.drop_duplicates(["level", "year"], keep="first")  # the outturn file before the area's
    return m[CHECK_COLUMNS].sort_values(["level", "year"]).reset_index(drop=True)


def check_lines(check: pd.DataFrame, name: str, base_year: int | dict) -> list[str]:
    """What the command prints: one summary line, then one line per outturn."""
    after = base_year
    if isinstance(base_year, dict):
        years = set(base_year.values())
        after = years.pop() if len(years) == 1 else "each level's last observation"
    if check.empty:
        return [f"{name}: no outturn after {after} that the forecast covers"]
    k, n = int(check["inside"].sum()), len(check)
    out = [f"{name}: {k} of {n} outturns after {after} inside p05–p95 (about {EXPECTED_INSIDE} % "
           f"expected, but one area's outturns miss together); median error "
           f"{np.median(check['error_pct']):+.1f} %"]
    for r in check.itertuples(index=False):
        out.append(f"  {r.level:<17} {r.year} (lead {r.lead}): outturn {r.outturn:>12,.0f}  "
                   f"p05 {r.p05:>12,.0f}  p50 {r.p50:>12,.0f}  p95 {r.p95:>12,.0f}  "
                   f"{r.error_pct:+6.1f} %  {'inside' if r.inside else 'OUTSIDE'}  ({r.source})")
    return out
