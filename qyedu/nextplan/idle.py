"""The 14th plan's places promises by 2030: how many of the promised places stand idle (the
promise view of the places stage: promised − places needed beyond 2020, where positive), the
chance that some do, and beside it the idle places of the whole inventory (per county, summed
without netting) against the places the programme delivered and planned."""

from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = ["promise", "level", "county", "year", "scenario", "quantity", "mean", "p05", "p50",
           "p95", "basis"]


def _year_rows(t: pd.DataFrame, promise: str, quantity: str, year: int) -> pd.DataFrame:
    return t[(t["promise"] == promise) & (t["quantity"] == quantity)
             & (pd.to_numeric(t["year"], errors="coerce") == year)]


def idle_promises(promises: pd.DataFrame, demand: pd.DataFrame, scenario: str, slug: str,
                  year: int = 2030) -> pd.DataFrame:
    """Per promise: promised places; ``promise_places_idle`` = min(promised, max(0, surplus))
    in ``year`` (a monotone map, so its quantiles are the surplus's, clipped); P(some idle) =
    1 − P(shortfall); idle places of the inventory (idle_places, 全市 = sum of the counties);
    the programme's delivered + planned places 2021–25 (all of the level, not only public)."""
    rows = []
    src = f"qyedu run {slug}"
    for promise in sorted(promises["promise"].dropna().unique()):
        level = str(promises.loc[promises["promise"] == promise, "level"].iloc[0])
        prom = _year_rows(promises, promise, "promised_places", year)
        sur = _year_rows(promises, promise, "surplus", year)
        short = _year_rows(promises, promise, "prob_shortfall", year)
        if prom.empty or sur.empty:
            continue
        promised = float(prom["p50"].iloc[0])
        # idle promised places: the surplus floored at 0 and capped at the promise (a
        # monotone map: the quantiles carry over)
        q = {k: min(promised, max(0.0, float(sur[k].iloc[0]))) for k in ("p05", "p50", "p95")}
        rows.append((promise, level, "全市", year, scenario, "promised_places", promised,
                     promised, promised, promised, f"{src}: places_promises.csv"))
        rows.append((promise, level, "全市", year, scenario, "promise_places_idle", np.nan,
                     q["p05"], q["p50"], q["p95"],
                     f"{src}: places_promises.csv, min(promised, max(0, surplus)) in {year} "
                     "(promise view: surplus = promised − places needed beyond 2020)"))
        rows.append((promise, level, "全市", year, scenario, "promise_idle_share_pct", np.nan,
                     100 * q["p05"] / promised, 100 * q["p50"] / promised,
                     100 * q["p95"] / promised, "promise_places_idle ÷ promised places, %"))
        if not short.empty:
            p = 1.0 - float(short["mean"].iloc[0])
            rows.append((promise, level, "全市", year, scenario, "prob_some_idle", p, np.nan,
                         np.nan, np.nan, f"{src}: 1 − P(shortfall) in {year}"))
        d = demand[(demand["level"] == level) & (demand["county"] == "全市")]
        idle = d[(d["quantity"] == "idle_places")
                 & (pd.to_numeric(d["year"], errors="coerce") == year)]
        if not idle.empty:
            r = idle.iloc[0]
            rows.append((promise, level, "全市", year, scenario, "inventory_places_idle",
                         float(r["mean"]), float(r["p05"]), float(r["p50"]), float(r["p95"]),
                         f"{src}: places_demand.csv idle_places (sum of the counties, no "
                         "netting)"))
        prog = d[d["quantity"].isin(["places_delivered", "places_planned"])]["mean"].sum()
        if prog > 0:
            rows.append((promise, level, "全市", year, scenario, "programme_places_2021_25",
                         float(prog), float(prog), float(prog), float(prog),
                         f"{src}: places_demand.csv places_delivered + places_planned"))
    return pd.DataFrame.from_records(rows, columns=COLUMNS)
