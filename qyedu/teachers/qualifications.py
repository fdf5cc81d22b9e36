"""Qualification mix of new hires needed to reach the plan's 2025 shares.

Between the baseline year b and the target year t, with stock S_b, demand S_t (stock follows
demand), leavers L = Σ attrition × stock(y−1) (leaving with the baseline mix β) and hires
H = S_t − S_b + L, the share of hires that must hold the qualification is
``h = (τ S_t − β (S_b − L)) / H``. h > 1: the target cannot be reached by hiring alone;
``upgrades_needed`` = qualified teachers still missing if every hire is qualified (to come
from in-service upgrading). When demand falls faster than attrition (H ≤ 0) no one is hired,
the stock stays at S_b − L and h is undefined (NaN).

Targets where the plan contradicts itself are reported per ``version`` (table / 专栏9).
Baselines: the plan's 2020 actual where its definition matches the target; for primary
(2020 is 专科以上, target 本科以上) and senior (2020 is 本科以上, target 硕士) the baseline is a
parameter or, by default, the plan's 2022 table target as a proxy for the 2022 share.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..places import plan_lookup as reg
from ..places.tidy import constant_rows, rows
from ..projection.result import CITY

# level → (qualification, registry id and name regex of the target, id and name regex of a
# differently defined 2020 actual, TeacherParams field for the baseline). Ids are those of
# qyedu.plan.names; the name regexes are a fallback for registries with other ids.
QUALS = {
    "preschool": ("专科以上", ("preschool_teachers_associate_plus_share", r"幼儿园.*专科以上"),
                  None, None),
    "primary": ("本科以上", ("primary_teachers_bachelor_plus_share", r"小学.*本科以上"),
                ("primary_teachers_associate_plus_share", r"小学.*专科以上"),
                "qual_base_share_primary"),
    "junior_secondary": ("本科以上", ("junior_teachers_bachelor_plus_share", r"初中.*本科以上"),
                         None, None),
    "senior_general": ("硕士研究生以上", ("senior_teachers_master_plus_share", r"高中.*硕士"),
                       ("senior_teachers_bachelor_plus_share", r"普通高中.*本科以上"),
                       "qual_base_share_senior"),
}
LEVEL_WORDS = {"preschool": r"幼儿园|preschool|kinder", "primary": r"小学|primary",
               "junior_secondary": r"初中|junior", "senior_general": r"高中|senior"}
BASE_YEAR = 2020


def required_hire_share(stock0, share0, hires, leavers, target_share):
    """Share of hires that must hold the qualification (see module docstring).

    Stock 100 at 70 %, 20 hires, no leavers, target 75 % → (0.75·120 − 0.7·100)/20 = 1.0."""
    stock_t = stock0 - leavers + hires
    return (target_share * stock_t - share0 * (stock0 - leavers)) / hires


def hire_mix(stock0, share0, stock_t, leavers, target_share) -> dict[str, np.ndarray]:
    """Hires, qualified hires needed, their share and upgrades needed, on draws.

    Hires are H⁺ = max(0, S_t − S_b + L); the stock at t is S_b − L + H⁺ (≥ demand)."""
    remain = stock0 - leavers
    hires = np.clip(stock_t - remain, 0, None)
    qualified = target_share * (remain + hires) - share0 * remain
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(hires > 0, qualified / np.where(hires > 0, hires, 1), np.nan)
    return {"hires": hires, "qualified_hires_needed": qualified,
            "required_share_among_hires": share,
            "upgrades_needed": np.clip(qualified - hires, 0, None),
            "prob_unreachable": (qualified > hires + 1e-9).astype(float)}


def level_rows(registry: pd.DataFrame, level: str, spec: tuple[str, str]) -> pd.DataFrame:
    """Registry rows of indicator ``spec[0]``; if absent, rows whose name matches ``spec[1]``
    (rows naming several levels, e.g. 小学和初中, only if their ``level`` names this level)."""
    ind, pattern = spec
    hit = registry[registry["indicator_id"] == ind]
    if hit.empty:
        hit = registry[registry["name_zh"].astype(str).str.contains(pattern, regex=True)]
        words = [w for lv, w in LEVEL_WORDS.items() if lv != level]
        multi = hit["name_zh"].astype(str).str.contains("|".join(words), regex=True)
        own = hit["level"].astype(str).str.contains(LEVEL_WORDS[level], regex=True, case=False)
        hit = hit[~multi | own]
    return hit[pd.to_numeric(hit["value"], errors="coerce").notna()].sort_values("line")


def qualification_inputs(registry: pd.DataFrame, level: str, tp) -> dict:
    """Targets by version, baseline share/year/basis and any differently defined 2020 row."""
    qual, pat, other, param = QUALS[level]
    hit = level_rows(registry, level, pat)
    yrs = pd.to_numeric(hit["year"], errors="coerce")
    targets = hit[yrs > BASE_YEAR]
    if targets.empty:
        raise reg.RegistryError(f"plan registry has no {level} teacher qualification target "
                                f"(indicator_id {pat[0]!r} or name_zh ~ {pat[1]!r})")
    t_year = int(pd.to_numeric(targets["year"]).max())
    final = targets[pd.to_numeric(targets["year"]) == t_year]
    versions = {}
    for _, row in final.iterrows():
        versions.setdefault(reg.version(row["source"]), (reg.scale(row["value"], "%"),
                                                         f"plan {row['source']} line {row['line']}"))
    base = hit[yrs == BASE_YEAR]
    out = {"qualification": qual, "target_year": t_year, "versions": versions, "other": None}
    if not base.empty:
        out.update(base_share=reg.scale(base["value"].iloc[0], "%"), base_year=BASE_YEAR,
                   base_basis=f"plan {BASE_YEAR} actual ({reg.sources(base)})")
    elif param and getattr(tp, param) is not None:
        out.update(base_share=getattr(tp, param), base_year=2022,
                   base_basis=f"assumption: parameter teachers.{param} (2022 share)")
    else:
        proxy = targets[pd.to_numeric(targets["year"]) == pd.to_numeric(targets["year"]).min()]
        out.update(base_share=reg.scale(proxy["value"].iloc[0], "%"),
                   base_year=int(pd.to_numeric(proxy["year"]).iloc[0]),
                   base_basis="assumption: the plan's table target for "
                   f"{int(pd.to_numeric(proxy['year']).iloc[0])} used as proxy for the actual "
                   f"share then ({reg.sources(proxy)})")
    if other:
        o = level_rows(registry, level, other)
        o = o[pd.to_numeric(o["year"], errors="coerce") == BASE_YEAR]
        if not o.empty:
            out["other"] = (reg.scale(o["value"].iloc[0], "%"), reg.sources(o))
    return out


def qualification_rows(level: str, inp: dict, teachers_city: np.ndarray, years: np.ndarray,
                       stock0: np.ndarray, stock_note: str, attrition: float,
                       scenario: str) -> pd.DataFrame:
    """Rows for one level: per version the required share of hires and its inputs.

    teachers_city : city teachers needed (D, Y); stock0 : stock at the baseline year (D,)."""
    b = max(inp["base_year"], int(years.min()))
    t = min(inp["target_year"], int(years.max()))
    ib, it = int(np.flatnonzero(years == b)[0]), int(np.flatnonzero(years == t)[0])
    prev = np.concatenate([stock0[:, None], teachers_city[:, ib + 1 : it]], axis=1)
    leavers = attrition * prev.sum(axis=1)
    stock_t = teachers_city[:, it]
    note = "; ".join(
        [f"baseline year {inp['base_year']} not projected; {b} used"] * (b != inp["base_year"])
        + [f"target year {inp['target_year']} not projected; {t} used"] * (t != inp["target_year"]))
    keys = {"level": level, "county": CITY, "scenario": scenario,
            "qualification": inp["qualification"]}
    common = {"basis": inp["base_basis"], "note": note}
    frames = []
    for ver, (tau, src) in inp["versions"].items():
        k = dict(keys, version=ver)
        m = hire_mix(stock0, inp["base_share"], stock_t, leavers, tau)
        ex = dict(common, source=src, **{c: k[c] for c in ("qualification", "version")})
        frames += [
            constant_rows(inp["base_share"], **k, year=b, quantity="baseline_share", **common,
                          source=inp["base_basis"]),
            constant_rows(tau, **k, year=t, quantity="target_share", **common, source=src),
            rows(stock0[:, None], [b], CITY, level, "stock_baseline", scenario,
                 **dict(ex, basis=stock_note)),
            rows(stock_t[:, None], [t], CITY, level, "stock_target", scenario,
                 **dict(ex, basis="teachers_needed (headline rule)")),
            rows(leavers[:, None], [t], CITY, level, "leavers", scenario,
                 **dict(ex, basis=f"attrition {attrition:g} × stock, {b + 1}-{t}; leavers "
                        "assumed to have the baseline mix")),
        ]
        notes = {"hires": "max(0, stock_target - stock_baseline + leavers)",
                 "required_share_among_hires": ">1: unreachable by hiring alone; ≤0: met by the "
                 "remaining stock; NaN: no hires in some draws (demand falls)",
                 "upgrades_needed": "qualified teachers missing even if every hire is qualified "
                 "(in-service upgrading)",
                 "prob_unreachable": "mean = share of draws where hiring alone cannot reach the "
                 "target"}
        for q, arr in m.items():
            nt = "; ".join(x for x in (note, notes.get(q, "")) if x)
            frames.append(rows(arr[:, None], [t], CITY, level, q, scenario, **dict(ex, note=nt)))
    if inp["other"] is not None:
        v, src = inp["other"]
        frames.append(constant_rows(v, **keys, version="table", year=BASE_YEAR,
                                    quantity="baseline_share_other_definition", source=src,
                                    basis="", note="2020 actual uses another qualification "
                                    "level than the target; not used as baseline"))
    return pd.concat(frames, ignore_index=True)
