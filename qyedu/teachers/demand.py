"""Staff and full-time teachers needed per level, county and year (draws): teacher_demand.csv.

One basis (``teachers.basis``) for demand and stock:
- ``actual_ratio`` (default): teachers = pupils ÷ the published actual pupils per full-time
  teacher (Guangdong 2021 for preschool, primary, junior; China's latest for general senior).
- ``staffing_standard``: primary / junior / general senior staff = pupils ÷ the 2014 unified
  ratio (1:19, 1:13.5, 1:12.5; 教职工), teachers = staff × (1 − non-teaching share);
  preschool: 两教一保 (2 teachers per class at 25/30/35) or ≤1:15 (``teachers.preschool_rule``).
  The other basis is always reported as a sensitivity row.
- Small rural schools: ``teachers.small_rural_class_share`` of primary classes staffed at the
  plan's 2.4 staff per class; the all-classes-at-2.4 figure is a sensitivity row. Boarding
  staff (``boarding_staff_needed``): boarders × staff per boarder (assumptions).
- Secondary vocational: no staffing standard in data/raw: teachers = pupils ÷ China's latest
  pupils per full-time teacher (data/raw/china.csv), a labelled proxy (``VOCATIONAL``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..params import RunParams
from ..places.classes import age_shares, classes_needed, kindergarten_classes
from ..places.standards import class_sizes
from ..places.tidy import rows, with_city
from ..projection.result import CITY, ProjectionResult
from .ratios import SCHOOL_LEVELS, Ratios, staff_to_teachers
from .stock import best_ratio, china_ratio

LEVELS = ("preschool", *SCHOOL_LEVELS)
VOCATIONAL = "senior_vocational"
FLOW_LEVELS = (*LEVELS, VOCATIONAL)  # levels whose teacher stock is carried forward


def preschool_teachers(children, classes, r: Ratios) -> dict[str, np.ndarray]:
    """Teachers under both preschool rules: 2 per class and children ÷ 15."""
    return {
        "two_teachers_per_class": classes * r.kg_teachers_per_class.value,
        "max_15_children": np.asarray(children, dtype=float) / r.kg_children_per_teacher.value,
    }


def school_staff(pupils, pupils_per_staff: float):
    """Staff (教职工) at a pupils-per-staff ratio: 190 pupils at 1:19 → 10."""
    return np.asarray(pupils, dtype=float) / pupils_per_staff


def rural_mix_staff(pupils, classes, pupils_per_staff, staff_per_class, share):
    """Primary staff with a share of classes staffed per class (2.4) and the rest by ratio."""
    return (1 - share) * school_staff(pupils, pupils_per_staff) + share * staff_per_class * classes


def actual_ratio(level: str) -> tuple[float, str] | None:
    """Published actual pupils per full-time teacher of a level: Guangdong's where published,
    else China's (``stock.best_ratio``)."""
    return best_ratio(level)


def class_rules(pupils, classes, base_teachers, r: Ratios, tp, nt: float):
    """Full-time teachers with the class-based rule for small rural schools: a share
    ``teachers.small_rural_class_share`` of the classes staffed at the plan's 2.4 staff per
    class (× (1 − non-teaching share)), the rest by the basis' ratio."""
    s = tp.small_rural_class_share
    if s <= 0:
        return base_teachers
    return (1 - s) * base_teachers + s * r.rural_staff_per_class.value * classes * (1 - nt)


def teacher_arrays(result: ProjectionResult, rp: RunParams, r: Ratios) -> dict:
    """Per level: pupils, staff (headline), teachers (headline), rule names and alternatives,
    each (D, Y, C), all on the one basis ``teachers.basis`` (the stock uses the same rule):
    ``actual_ratio`` (published actual pupils per teacher) or ``staffing_standard`` (2014
    standard). The other basis is kept as an alternative (sensitivity rows)."""
    li = {lv: i for i, lv in enumerate(result.levels)}
    sizes = class_sizes(rp.places)
    tp = rp.teachers
    out: dict[str, dict] = {}
    kids = result.enrolled[:, :, li["preschool"], :].astype(float)
    kg = tuple(sizes[f"kg_age{a}"].value for a in (3, 4, 5))
    classes = kindergarten_classes(kids, age_shares(result, rp.places.preschool_age_split), kg)
    alt = preschool_teachers(kids, classes, r)
    std_basis = (f"两教一保 {r.kg_teachers_per_class.value:g} per class "
                 f"({r.kg_teachers_per_class.basis}); ≤1:{r.kg_children_per_teacher.value:g} "
                 f"({r.kg_children_per_teacher.basis})")
    act = actual_ratio("preschool")
    if act is not None:
        alt["actual_ratio"] = kids / act[0]
    if tp.basis == "actual_ratio" and act is not None:
        out["preschool"] = {"pupils": kids, "staff": None, "teachers": alt["actual_ratio"],
                            "rule": "actual_ratio", "alternatives": alt,
                            "basis": f"children ÷ {act[0]:.4g} per full-time teacher ({act[1]})"}
    else:
        out["preschool"] = {"pupils": kids, "staff": None, "teachers": alt[tp.preschool_rule],
                            "rule": tp.preschool_rule, "alternatives": alt, "basis": std_basis}
    for lv in SCHOOL_LEVELS:
        pupils = result.enrolled[:, :, li[lv], :].astype(float)
        ratio, nt = r.pupils_per_staff[lv], r.non_teaching_share[lv]
        cls = classes_needed(pupils, sizes[lv].value)
        staff = school_staff(pupils, ratio.value)
        alt = {"unified_2014": staff}
        act = actual_ratio(lv)
        if lv == "primary":
            alt["rural_2.4_per_class_all"] = r.rural_staff_per_class.value * cls
        if tp.basis == "actual_ratio" and act is not None:
            base = pupils / act[0]
            alt["actual_ratio_staff_equivalent"] = base / (1 - nt.value)
            rule, basis = "actual_ratio", (f"pupils ÷ {act[0]:.4g} per full-time teacher "
                                           f"({act[1]})")
        else:
            base = staff_to_teachers(staff, nt.value)
            rule, basis = "unified_2014", (f"1:{ratio.value:g} staff ({ratio.basis}); "
                                           f"non-teaching share {nt.value:g} ({nt.basis})")
        teachers = base
        if lv == "primary" and tp.small_rural_class_share > 0:
            teachers = class_rules(pupils, cls, base, r, tp, nt.value)
            rule += f"+rural_2.4_share_{tp.small_rural_class_share:g}"
            basis += (f"; {tp.small_rural_class_share:g} of classes at "
                      f"{r.rural_staff_per_class.value:g} staff per class")
        out[lv] = {"pupils": pupils, "staff": teachers / (1 - nt.value), "teachers": teachers,
                   "rule": rule, "alternatives": alt, "basis": basis}
        if lv in ("primary", "junior_secondary"):
            out[lv]["boarding_staff"] = pupils * tp.boarding_share * tp.boarding_staff_per_boarder
    if VOCATIONAL in li:
        cr = china_ratio(VOCATIONAL)
        if cr is not None:
            voc = result.enrolled[:, :, li[VOCATIONAL], :].astype(float)
            out[VOCATIONAL] = {"pupils": voc, "staff": None, "teachers": voc / cr[0],
                               "rule": "china_ratio", "alternatives": {},
                               "basis": f"pupils ÷ {cr[0]:.4g} pupils per full-time teacher "
                               f"({cr[1]}; no Guangdong or Qingyuan standard: the same actual-"
                               "ratio proxy under both bases)"}
    return out


def demand_rows(result: ProjectionResult, arrays: dict, r: Ratios) -> pd.DataFrame:
    """Tidy rows of staff and teachers needed (all counties and the city)."""
    years, sc, frames = np.asarray(result.years), result.scenario, []

    def add(arr, lv, q, rule, basis, note=""):
        a, cty = with_city(arr, result.counties, CITY)
        frames.append(rows(a, years, cty, lv, q, sc, rule=rule, basis=basis, note=note))

    for lv, a in arrays.items():
        add(a["teachers"], lv, "teachers_needed", a["rule"], a["basis"],
            "headline full-time teachers (专任教师); the stock rests on the same basis")
        if "boarding_staff" in a:
            add(a["boarding_staff"], lv, "boarding_staff_needed", "boarding",
                "pupils × teachers.boarding_share × teachers.boarding_staff_per_boarder "
                "(assumptions)", "staff for boarders (生活老师), not full-time teachers")
        if a["staff"] is not None:
            add(a["staff"], lv, "staff_needed", a["rule"], a["basis"], "all staff (教职工)")
        for rule, arr in a["alternatives"].items():
            q = ("teachers_needed_by_rule" if lv == "preschool" or rule == "actual_ratio"
                 else "staff_needed_by_rule")
            note = ("sensitivity: every primary class staffed at 2.4 (plan rule for small rural "
                    "schools; their number is not published)" if rule.startswith("rural") else "")
            add(arr, lv, q, rule, r.rural_staff_per_class.basis if note else a["basis"], note)
    return pd.concat(frames, ignore_index=True)
