"""Staff and full-time teachers needed per level, county and year (draws): teacher_demand.csv.

- Primary / junior / general senior: staff = pupils ÷ the 2014 unified ratio (1:19, 1:13.5,
  1:12.5; all staff 教职工), teachers = staff × (1 − non-teaching share). Primary staff mix in
  the plan's 2.4-staff-per-class rule for ``teachers.small_rural_class_share`` of its classes
  (pupils assumed spread in proportion to classes); the all-classes-at-2.4 figure is always
  reported as a sensitivity (the count of small rural classes is not published).
- Preschool: 两教一保 (2 teachers per class, classes per age group at 25/30/35) and ≤1:15;
  ``teachers.preschool_rule`` picks the headline, both are reported.
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
from .stock import china_ratio

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


def teacher_arrays(result: ProjectionResult, rp: RunParams, r: Ratios) -> dict:
    """Per level: pupils, staff (headline), teachers (headline), rule names and alternatives,
    each (D, Y, C)."""
    li = {lv: i for i, lv in enumerate(result.levels)}
    sizes = class_sizes(rp.places)
    tp = rp.teachers
    out: dict[str, dict] = {}
    kids = result.enrolled[:, :, li["preschool"], :].astype(float)
    kg = tuple(sizes[f"kg_age{a}"].value for a in (3, 4, 5))
    classes = kindergarten_classes(kids, age_shares(result, rp.places.preschool_age_split), kg)
    alt = preschool_teachers(kids, classes, r)
    out["preschool"] = {"pupils": kids, "staff": None, "teachers": alt[tp.preschool_rule],
                        "rule": tp.preschool_rule, "alternatives": alt,
                        "basis": f"两教一保 {r.kg_teachers_per_class.value:g} per class "
                        f"({r.kg_teachers_per_class.basis}); ≤1:{r.kg_children_per_teacher.value:g} "
                        f"({r.kg_children_per_teacher.basis})"}
    for lv in SCHOOL_LEVELS:
        pupils = result.enrolled[:, :, li[lv], :].astype(float)
        ratio, nt = r.pupils_per_staff[lv], r.non_teaching_share[lv]
        staff = school_staff(pupils, ratio.value)
        rule, alt = "unified_2014", {"unified_2014": staff}
        if lv == "primary":
            cls = classes_needed(pupils, sizes["primary"].value)
            spc = r.rural_staff_per_class.value
            alt["rural_2.4_per_class_all"] = spc * cls
            if tp.small_rural_class_share > 0:
                staff = rural_mix_staff(pupils, cls, ratio.value, spc, tp.small_rural_class_share)
                rule = f"unified_2014+rural_2.4_share_{tp.small_rural_class_share:g}"
        out[lv] = {"pupils": pupils, "staff": staff, "teachers": staff_to_teachers(staff, nt.value),
                   "rule": rule, "alternatives": alt,
                   "basis": f"1:{ratio.value:g} staff ({ratio.basis}); non-teaching share "
                   f"{nt.value:g} ({nt.basis})"}
    if VOCATIONAL in li:
        cr = china_ratio(VOCATIONAL)
        if cr is not None:
            voc = result.enrolled[:, :, li[VOCATIONAL], :].astype(float)
            out[VOCATIONAL] = {"pupils": voc, "staff": None, "teachers": voc / cr[0],
                               "rule": "china_ratio", "alternatives": {},
                               "basis": f"pupils ÷ {cr[0]:.4g} pupils per full-time teacher "
                               f"({cr[1]}; no Guangdong or Qingyuan standard: proxy)"}
    return out


def demand_rows(result: ProjectionResult, arrays: dict, r: Ratios) -> pd.DataFrame:
    """Tidy rows of staff and teachers needed (all counties and the city)."""
    years, sc, frames = np.asarray(result.years), result.scenario, []

    def add(arr, lv, q, rule, basis, note=""):
        a, cty = with_city(arr, result.counties, CITY)
        frames.append(rows(a, years, cty, lv, q, sc, rule=rule, basis=basis, note=note))

    for lv, a in arrays.items():
        add(a["teachers"], lv, "teachers_needed", a["rule"], a["basis"],
            "headline full-time teachers (专任教师)")
        if a["staff"] is not None:
            add(a["staff"], lv, "staff_needed", a["rule"], a["basis"], "all staff (教职工)")
        for rule, arr in a["alternatives"].items():
            q = "teachers_needed_by_rule" if lv == "preschool" else "staff_needed_by_rule"
            note = ("sensitivity: every primary class staffed at 2.4 (plan rule for small rural "
                    "schools; their number is not published)" if rule.startswith("rural") else "")
            add(arr, lv, q, rule, r.rural_staff_per_class.basis if note else a["basis"], note)
    return pd.concat(frames, ignore_index=True)
