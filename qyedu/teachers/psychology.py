"""Full-time psychology teachers required by the plan (1 per secondary school above 1,000
pupils, per primary school above 1,200). School sizes are not published: every school is
taken to have the average size, enrolment ÷ the plan's school count (义务教育学校数,
普通高中学校数; 2020 actual and 2022/2025 targets, linear in between, held outside) or a
parameter. Compulsory schools are split into primary and junior in proportion to enrolment.
Under equal sizes the requirement is all-or-nothing: a sensitivity, not a forecast."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..params import TeacherParams
from ..places import plan_lookup as reg
from .ratios import Ratios

COUNTS = {
    "compulsory": (("compulsory_schools",), r"义务教育学校数", r"公办|新建|改扩建"),
    "senior_general": (("general_senior_schools",), r"普通高中.*学校数", r"中职|中等职业"),
}


def school_counts(registry: pd.DataFrame, group: str, years: np.ndarray) -> tuple[np.ndarray, str]:
    """Schools per year, interpolated between the plan's stated years."""
    ids, name, exclude = COUNTS[group]
    hit = reg.find(registry, f"{group} school count", ids=ids, name=name, exclude=exclude)
    pts = hit.assign(y=pd.to_numeric(hit["year"])).groupby("y")["value"].first().sort_index()
    return np.interp(years, pts.index.to_numpy(float), pts.to_numpy(float)), reg.sources(hit)


def psych_required(pupils: dict[str, np.ndarray], years, registry, tp: TeacherParams,
                   r: Ratios) -> dict[str, tuple[np.ndarray, str]]:
    """Psychology teachers required per level, city totals (D, Y), with the basis."""
    out = {}
    comp = pupils["primary"] + pupils["junior_secondary"]
    for group, levels, param in (("compulsory", ("primary", "junior_secondary"),
                                  tp.avg_school_size_compulsory),
                                 ("senior_general", ("senior_general",), tp.avg_school_size_senior)):
        total = comp if group == "compulsory" else pupils["senior_general"]
        if param is None:
            n, src = school_counts(registry, group, np.asarray(years, float))
            schools = np.broadcast_to(n, total.shape)
            how = f"average size = enrolment ÷ plan school count ({src})"
        else:
            schools = total / param
            how = f"average size = parameter {param:g}"
        avg = total / schools
        for lv in levels:
            part = pupils[lv] / np.where(total > 0, total, 1)
            thr = r.psych_threshold[lv]
            req = schools * part * (avg > thr.value)
            out[lv] = (req, f"1 per school above {thr.value:g} pupils ({thr.basis}); {how}; "
                       "all schools assumed of average size")
    return out
