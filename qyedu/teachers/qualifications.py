"""Qualification mix of the teacher stock: the baseline from outturns only, the path of the
qualified share as the stock flows (``qyedu.teachers.flow``), and the share of hires that
must hold the qualification to reach each version of the plan's 2025 target.

- **Baseline = outturn only**: the plan's 13th-FYP table (kind ``actual``, 2020). Where the
  targeted measure has no outturn (primary 本科以上: the 2020 actual is 专科以上; senior
  硕士: the 2020 actual is 本科以上; vocational 双师型), the baseline is **missing and
  flagged**: no path is computed unless a parameter supplies an assumed baseline, and the
  required share of hires is shown for a grid of assumed baselines (a sensitivity). The 2020
  outturn is applied at the stock baseline (2022): no later outturn is published.
- **Hires**: ``teachers.hire_qual_share`` of hires hold the qualification (assumption).
- **Leavers**: flat attrition → the average mix; the cohort model → retirees from the less
  qualified older cohorts (``teachers.older_qual_gap``).
- **Both versions** of conflicting targets are kept (表 table vs 专栏9: primary 75 % vs 83 %,
  junior 94 % vs 96 %; vocational 双师型 70 % (table) vs 60 % (section 四(六)2)).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..places import plan_lookup as reg
from ..places.tidy import constant_rows, rows
from ..projection.result import CITY
from .flow import required_share

# (level, qualification, (registry id, name regex) of the target, a differently defined 2020
# actual or None, TeacherParams field for an assumed baseline or None, required?). Ids are those
# of qyedu.plan.names; the name regexes are a fallback for registries with other ids.
MEASURES = (
    ("preschool", "专科以上", ("preschool_teachers_associate_plus_share", r"幼儿园.*专科以上"),
     None, None, True),
    ("primary", "本科以上", ("primary_teachers_bachelor_plus_share", r"小学.*本科以上"),
     ("primary_teachers_associate_plus_share", r"小学.*专科以上"), "qual_base_share_primary", True),
    ("junior_secondary", "本科以上", ("junior_teachers_bachelor_plus_share", r"初中.*本科以上"),
     None, None, True),
    ("senior_general", "硕士研究生以上", ("senior_teachers_master_plus_share", r"高中.*硕士"),
     ("senior_teachers_bachelor_plus_share", r"普通高中.*本科以上"), "qual_base_share_senior", True),
    ("senior_vocational", "本科以上", ("vocational_teachers_bachelor_plus_share", r"中职.*本科以上"),
     None, None, False),
    ("senior_vocational", "双师型", ("vocational_dual_qualified_share", r"双师型.*比例"),
     None, None, False),
)
QUALS = {m[0]: m for m in MEASURES}  # first measure per level (compatibility)
LEVEL_WORDS = {"preschool": r"幼儿园|preschool|kinder", "primary": r"小学|primary",
               "junior_secondary": r"初中|junior", "senior_general": r"高中|senior",
               "senior_vocational": r"中职|职业|vocational"}
BASE_YEAR = 2020
ASSUMED_BASELINES = (0.5, 0.65, 0.8)  # sensitivity grid where no outturn is published
HIRE_GRID = (0.0, 1.0)  # the qualified path is affine in the hires' share: two paths suffice


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


def _measure(level: str, qualification: str | None = None) -> tuple:
    for m in MEASURES:
        if m[0] == level and (qualification is None or m[1] == qualification):
            return m
    raise KeyError(f"no qualification measure for {level} {qualification or ''}")


def qualification_inputs(registry: pd.DataFrame, level: str, tp,
                         qualification: str | None = None) -> dict | None:
    """Targets by version, the baseline (outturn only, else a parameter, else missing) and
    any differently defined 2020 outturn. None when an optional measure is not in the registry.

    Returns keys ``qualification, target_year, versions {version: (share, source)},
    base_share (NaN = no outturn), base_year, base_basis, base_flag, other``."""
    lv, qual, pat, other, param, required = _measure(level, qualification)
    hit = level_rows(registry, level, pat)
    yrs = pd.to_numeric(hit["year"], errors="coerce")
    targets = hit[yrs > BASE_YEAR]
    if targets.empty:
        if not required:
            return None
        raise reg.RegistryError(f"plan registry has no {level} teacher qualification target "
                                f"(indicator_id {pat[0]!r} or name_zh ~ {pat[1]!r})")
    t_year = int(pd.to_numeric(targets["year"]).max())
    final = targets[pd.to_numeric(targets["year"]) == t_year]
    versions = {}
    for _, row in final.iterrows():
        versions.setdefault(reg.version(row["source"]), (reg.scale(row["value"], "%"),
                                                         f"plan {row['source']} line {row['line']}"))
    base = hit[(yrs == BASE_YEAR) & (hit["kind"].astype(str) == "actual"
                                     if "kind" in hit.columns else yrs == BASE_YEAR)]
    out = {"qualification": qual, "target_year": t_year, "versions": versions, "other": None,
           "base_year": BASE_YEAR, "base_flag": ""}
    if not base.empty:
        out.update(base_share=reg.scale(base["value"].iloc[0], "%"),
                   base_basis=f"plan {BASE_YEAR} outturn ({reg.sources(base)})")
    elif param and getattr(tp, param) is not None:
        out.update(base_share=float(getattr(tp, param)),
                   base_basis=f"assumption: parameter teachers.{param} (no published outturn)")
    else:
        out.update(base_share=float("nan"), base_basis="no published outturn",
                   base_flag=f"NO BASELINE: the plan publishes no {BASE_YEAR} outturn of this "
                   f"measure ({qual}); path not computed, see the assumed-baseline sensitivity")
    if other:
        o = level_rows(registry, level, other)
        o = o[pd.to_numeric(o["year"], errors="coerce") == BASE_YEAR]
        if not o.empty:
            out["other"] = (reg.scale(o["value"].iloc[0], "%"), reg.sources(o))
    return out


def level_inputs(registry: pd.DataFrame, level: str, tp) -> list[dict]:
    """Every measure of a level that the registry has (see MEASURES)."""
    found = (qualification_inputs(registry, level, tp, m[1]) for m in MEASURES if m[0] == level)
    return [m for m in found if m is not None]


def flow_shares(inputs: list[dict], hire_share: float) -> tuple[np.ndarray, np.ndarray]:
    """Baseline and hire shares of the qualified paths the flow tracks for one level: per
    measure the paths at hire share 0, 1 and the parameter, then (no outturn) 0 and 1 for each
    assumed baseline. ``path_index`` below maps them back."""
    base, hire = [], []
    for inp in inputs:
        b = inp["base_share"]
        base += [b] * 3
        hire += [*HIRE_GRID, hire_share]
        if np.isnan(b):
            for a in ASSUMED_BASELINES:
                base += [a, a]
                hire += list(HIRE_GRID)
    return np.asarray(base, float), np.asarray(hire, float)


def path_index(inputs: list[dict]) -> list[dict]:
    """Per measure: indices of its h=0, h=1, h=param paths and {assumed baseline: (i0, i1)}."""
    out, i = [], 0
    for inp in inputs:
        m = {"h0": i, "h1": i + 1, "hp": i + 2, "assumed": {}}
        i += 3
        if np.isnan(inp["base_share"]):
            for a in ASSUMED_BASELINES:
                m["assumed"][a] = (i, i + 1)
                i += 2
        out.append(m)
    return out


def defined(draws: np.ndarray) -> np.ndarray:
    """The draws where a share is defined (some hire in post), so that a few draws without
    hires do not blank the summary; all draws (NaN) when none is defined."""
    d = np.asarray(draws, dtype=float)
    ok = ~np.isnan(d)
    return d[ok] if ok.any() else d


def qualification_rows(level: str, inp: dict, idx: dict, flow: dict, years: np.ndarray,
                       hire_share: float, scenario: str) -> pd.DataFrame:
    """Rows of one measure: baseline (or its flag), targets per version, the qualified share
    path at the hires' share parameter, and per version at the target year the share of hires
    that must qualify, upgrades needed and P(unreachable by hiring alone).

    flow : this level's ``stock_flow`` output; years : the flow's years (baseline first)."""
    stock = flow["stock"].sum(axis=2)
    qual = flow["qualified"].sum(axis=3)  # (J, D, T)
    t = min(inp["target_year"], int(years.max()))
    it = int(np.flatnonzero(years == t)[0]) if t in years else len(years) - 1
    keys = {"level": level, "county": CITY, "scenario": scenario,
            "qualification": inp["qualification"]}
    flag = inp["base_flag"]
    note_b = "; ".join(x for x in (flag, f"{BASE_YEAR} outturn applied at the stock baseline "
                                   f"{int(years[0])} (no later outturn)" if not flag else "") if x)
    frames = [constant_rows(inp["base_share"], **keys, version="", year=inp["base_year"],
                            quantity="baseline_share", basis=inp["base_basis"], source="",
                            note=note_b)]
    share_path = qual[idx["hp"]] / np.where(stock > 0, stock, np.nan)
    frames.append(rows(share_path, years, CITY, level, "qualified_share", scenario,
                       qualification=inp["qualification"], version="",
                       basis=f"{inp['base_basis']}; hires {hire_share:g} qualified "
                       "(teachers.hire_qual_share); leavers per the attrition model",
                       source="", note=flag))
    arrive = flow["hires"].sum(axis=2)[:, :it].sum(axis=1)
    for ver, (tau, src) in inp["versions"].items():
        k = dict(keys, version=ver)
        ex = {"qualification": inp["qualification"], "version": ver, "source": src}
        frames += [
            constant_rows(tau, **k, year=t, quantity="target_share", basis="", source=src,
                          note=""),
            rows(stock[:, [it]], [t], CITY, level, "stock_target", scenario, **ex,
                 basis="stock carried forward (teacher_hiring.csv)", note=""),
            rows(arrive[:, None], [t], CITY, level, "hires", scenario, **ex,
                 basis=f"hires arriving {int(years[1])}-{t}", note=""),
        ]
        notes = {"required_share_among_hires": ">1: unreachable by hiring alone; ≤0: met by "
                 "the remaining stock; over the draws with hires in post; NaN: no hires or no "
                 "baseline",
                 "upgrades_needed": "qualified teachers missing even if every hire qualifies "
                 "(in-service upgrading)",
                 "prob_unreachable": "mean = share of draws where hiring alone cannot reach it"}
        m = required_share(qual[idx["h0"], :, it], qual[idx["h1"], :, it], stock[:, it], tau)
        for q, arr in m.items():
            nt = "; ".join(x for x in (flag, notes[q]) if x)
            frames.append(rows(defined(arr)[:, None], [t], CITY, level, q, scenario,
                               **dict(ex, basis=inp["base_basis"], note=nt)))
        for a, (i0, i1) in idx["assumed"].items():
            m = required_share(qual[i0, :, it], qual[i1, :, it], stock[:, it], tau)
            frames.append(rows(defined(m["required_share_among_hires"])[:, None], [t], CITY, level,
                               f"required_share_if_baseline_{round(100 * a)}", scenario,
                               **dict(ex, basis=f"sensitivity: assumed baseline {a:g} (no "
                                      "published outturn)", note=notes["required_share_among_hires"])))
    if inp["other"] is not None:
        v, src = inp["other"]
        frames.append(constant_rows(v, **keys, version="table", year=BASE_YEAR,
                                    quantity="baseline_share_other_definition", source=src,
                                    basis="", note=f"{BASE_YEAR} outturn of another qualification "
                                    "level than the target; not used as baseline"))
    return pd.concat(frames, ignore_index=True)
