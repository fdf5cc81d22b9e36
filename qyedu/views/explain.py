"""How one published number was computed (``qyedu explain KEY``): the number's label and
statistic from the verdicts table, the formula in words (the ``basis`` the places tables
record), the inputs with their values (the other rows of the same promise and year), the
parameters that enter it with this run's values, and the raw rows behind it with their
source and reliability class."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .. import paths
from ..projection.result import CITY
from .verdicts import verdict_table

# quantity → the RunParams keys that enter it (beyond the projection's own)
PARAMETERS = {
    "additional_places_needed": ["places.promise_base_year", "forecast.scenario",
                                 "forecast.draws", "projection.births_anchor_doubt"],
    "surplus": ["places.promise_base_year", "forecast.scenario", "forecast.draws"],
    "prob_shortfall": ["places.promise_base_year", "forecast.scenario", "forecast.draws"],
    "capacity_shortage": ["places.large_class_share_primary", "places.large_class_share_junior",
                          "places.large_class_share_senior", "places.large_class_share_preschool",
                          "places.planned_delay_share", "places.planned_places_by_county",
                          "places.phase_2023_25", "places.county_drift_sd"],
}
PARAMETERS["prob_shortage"] = PARAMETERS["shortage_at_peak"] = PARAMETERS[
    "shortage_peak_year"] = PARAMETERS["needed_until_peak_only"] = PARAMETERS["capacity_shortage"]
PARAMETERS["idle_at_horizon_promise"] = PARAMETERS["surplus"]
# raw files behind each view, and the rows used (a column filter)
RAW = {
    "need": [("enrollment.csv", {}), ("population.csv", {"indicator": "births"})],
    "delivery": [("qingyuan-education-14th-fyp.txt", {})],
    "capacity": [("enrollment.csv", {}), ("places.csv", {})],
}
PLAN_QUANTITY = {"idle_at_horizon_promise": "idle_at_horizon"}


def _read(path: Path) -> pd.DataFrame | None:
    try:
        return pd.read_csv(path, comment="#", dtype=str, keep_default_na=False)
    except (OSError, ValueError):
        return None


def _param_values(processed: Path) -> dict:
    try:
        rec = json.loads((processed / "run_params.json").read_text(encoding="utf-8"))["params"]
    except (OSError, ValueError, KeyError):
        return {}
    out = {}
    for sec, d in rec.items():
        if isinstance(d, dict):
            for k, v in d.items():
                out[f"{sec}.{k}"] = v
    return out


def keys(processed: Path | None = None) -> list[str]:
    """Every key ``explain`` knows: the rows of the verdicts table."""
    return list(_table(processed or paths.data_processed())["key"])


def _table(processed: Path) -> pd.DataFrame:
    def read(name):
        f = processed / name
        return pd.read_csv(f) if f.exists() else None

    return verdict_table(read("places_promises.csv"), read("places_answers.csv"))


def explain(key: str, processed: Path | None = None) -> dict:
    """Everything behind one number; KeyError naming the known keys when ``key`` is not one."""
    processed = Path(processed or paths.data_processed())
    t = _table(processed)
    hit = t[t["key"] == key]
    if hit.empty:
        raise KeyError(key)
    r = hit.iloc[0]
    src_file = processed / r["source"]
    src = pd.read_csv(src_file) if src_file.exists() else pd.DataFrame()
    if "county" in src:
        src = src[src["county"].astype(str) == CITY]
    q = PLAN_QUANTITY.get(r["quantity"], r["quantity"])
    same = src[(src.get("promise") == r["promise"])] if len(src) else src
    if len(same) and "level" in same:
        same = same[same["level"] == r["level"]]
    row = same[same["quantity"] == q] if len(same) else same
    if len(row) and pd.notna(r["year"]) and "year" in row:
        row = row[pd.to_numeric(row["year"], errors="coerce") == r["year"]]
    basis = str(row["basis"].iloc[0]) if len(row) and "basis" in row else ""
    cited = str(row["source"].iloc[0]) if len(row) and "source" in row else (
        str(row["note"].iloc[0]) if len(row) and "note" in row else "")
    inputs = []
    if pd.notna(r["year"]) and len(same):
        yr = same[pd.to_numeric(same["year"], errors="coerce") == r["year"]]
        for _, x in yr.iterrows():
            if x["quantity"] != q:
                inputs.append({"quantity": x["quantity"], "p50": x.get("p50"),
                               "mean": x.get("mean"), "p05": x.get("p05"), "p95": x.get("p95")})
    values = _param_values(processed)
    params = [{"key": k, "value": values.get(k)} for k in PARAMETERS.get(r["quantity"], [])]
    raw = []
    for name, filt in RAW.get(r["view"], []):
        f = paths.data_raw() / name
        if f.suffix == ".txt":
            raw.append({"file": name, "rows": cited or "the plan text",
                        "reliability": "plan", "source_url": "the plan document"})
            continue
        d = _read(f)
        if d is None:
            continue
        for col, val in filt.items():
            if col in d:
                d = d[d[col] == val]
        for i, x in d.head(8).iterrows():
            raw.append({"file": name, "line": int(i) + 2,
                        "row": ", ".join(f"{c}={x[c]}" for c in d.columns
                                         if c not in {"quote", "source_url", "reliability",
                                                      "note", "label"} and x[c] != ""),
                        "reliability": x.get("reliability", x.get("label", "")),
                        "source_url": x.get("source_url", "")})
    return {"key": key, "label_zh": r["label_zh"], "label_en": r["label_en"],
            "statistic_zh": r["statistic_zh"], "statistic_en": r["statistic_en"],
            "value": r["text"], "p05": r["p05"], "p95": r["p95"], "formula": basis,
            "table": r["source"], "cited": cited, "inputs": inputs, "parameters": params,
            "raw": raw, "words_zh": r["words_zh"], "words_en": r["words_en"]}


def text(e: dict) -> str:
    """The explanation as plain text for the terminal."""
    lines = [f"{e['key']}",
             f"  {e['label_zh']} {e['label_en']}",
             f"  统计量 statistic: {e['statistic_zh']} | {e['statistic_en']}".rstrip(" |"),
             f"  数值 value: {e['value']}" + (f"  (p05 {e['p05']:.0f} … p95 {e['p95']:.0f})"
                                            if pd.notna(e["p05"]) and pd.notna(e["p95"]) else "")]
    if e["words_en"]:
        lines.append(f"  表述 words: {e['words_zh']} | {e['words_en']}")
    lines.append(f"  公式 formula: {e['formula'] or '(see the table)'}  [{e['table']}]")
    if e["cited"]:
        lines.append(f"  出处 cited: {e['cited']}")
    if e["inputs"]:
        lines.append("  输入 inputs (same promise, level and year):")
        lines += [f"    {i['quantity']}: p50 {i['p50']:.6g}, mean {i['mean']:.6g}"
                  for i in e["inputs"] if pd.notna(i["p50"])]
    if e["parameters"]:
        lines.append("  参数 parameters (this run):")
        lines += [f"    {p['key']} = {p['value']}" for p in e["parameters"]]
    if e["raw"]:
        lines.append("  原始数据 raw rows (reliability; source):")
        for x in e["raw"]:
            where = f"{x['file']} line {x['line']}" if "line" in x else x["file"]
            lines.append(f"    {where}: {x.get('row', x.get('rows', ''))} "
                         f"[{x['reliability']}; {x['source_url']}]")
    return "\n".join(lines)
