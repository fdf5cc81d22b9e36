"""The promises' verdicts under the structural choices the back-test cannot separate
(structural_choices.csv; issue 18).

The projection's flow ratios drift after the last observation; the back-test on the panel
cannot tell which centre of that drift holds for Qingyuan, so each promise is judged under
each choice of ``projection.drift_choice`` — ``none`` (ratios held), ``combined`` (the
default: ``projection.drift_weight`` × the panel drift), ``panel`` (the median drift of the
provinces) and ``china_recent`` (China's own 2021–24 drift) — with the same
seed and everything else equal (common random numbers: the choices differ only by the
centre). Per promise (compulsory 50,000, public preschool 25,000, public general senior
~7,400; ``promises.PROMISES``) and choice: the additional places needed by the promise's
target year (p05/p50/p95) and P(shortfall), each level on its own (no netting).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..params import RunParams
from ..projection.result import ProjectionResult
from . import plan_lookup as reg
from .promises import PROMISES, analyse, promise_value
from .public import public_share

CHOICES = ("none", "combined", "panel", "china_recent")
CHOICE_LABELS = {"none": ("比率不漂移（保持 2022 年的升学、巩固与入学比率）",
                          "no drift (the 2022 flow ratios held)"),
                 "combined": ("按省级面板漂移的一半（不漂移与面板漂移等权组合）",
                              "half the panel drift (no drift and panel drift, equal weights)"),
                 "panel": ("按省级面板学到的漂移", "the drift learned on the provincial panel"),
                 "china_recent": ("按全国 2021–24 年的漂移", "China's own 2021–24 drift")}
COLUMNS = ["promise", "level", "choice", "choice_zh", "choice_en", "is_default", "target_year",
           "promised", "need_p05", "need_p50", "need_p95", "prob_shortfall", "scenario"]


def choice_rows(result: ProjectionResult, rp: RunParams, registry: pd.DataFrame,
                choice: str) -> list[dict]:
    """One row per promise for one choice's projection ``result``."""
    registry = reg.load_registry(registry)
    city = result.city("enrolled")  # the promises compare city totals (counties sum to it)
    li = {lv: i for i, lv in enumerate(result.levels)}
    # compulsory: primary and junior apart, need = Σ max(0, level need), as places_promises
    demand = {"compulsory": [city[:, :, li["primary"]], city[:, :, li["junior_secondary"]]],
              "preschool": city[:, :, li["preschool"]],
              "senior_general": city[:, :, li["senior_general"]]}
    years = np.asarray(result.years)
    base = rp.places.promise_base_year if rp.places.promise_base_year in years else int(years[0])
    rows = []
    for pid, spec in PROMISES.items():
        promised, target, _, _ = promise_value(registry, pid)
        g = spec["group"]
        share = public_share(rp.places, registry, g, years, base)[0] if spec["public"] else 1.0
        dem = demand[g]
        a = analyse([d * share for d in dem] if isinstance(dem, list) else dem * share,
                    years, promised, base, target)
        k = np.flatnonzero(a["years"] == target)
        if not len(k):
            continue
        need = a["need"][:, k[0]]
        q = np.quantile(need, [0.05, 0.5, 0.95])
        zh, en = CHOICE_LABELS[choice]
        rows.append({"promise": pid, "level": g, "choice": choice, "choice_zh": zh,
                     "choice_en": en, "is_default": choice == rp.projection.drift_choice,
                     "target_year": int(target), "promised": float(promised),
                     "need_p05": q[0], "need_p50": q[1], "need_p95": q[2],
                     "prob_shortfall": float((a["surplus"][:, k[0]] < 0).mean()),
                     "scenario": result.scenario})
    return rows


def structural_choices(results: dict[str, ProjectionResult], rp: RunParams,
                       registry: pd.DataFrame) -> pd.DataFrame:
    """structural_choices.csv from one projection per choice (``results``: choice → result,
    all with ``rp``'s other parameters)."""
    rows = []
    for choice in CHOICES:
        if choice in results:
            c_rp = rp.with_overrides({"projection.drift_choice": choice})
            rows += [r | {"is_default": choice == rp.projection.drift_choice}
                     for r in choice_rows(results[choice], c_rp, registry, choice)]
    return pd.DataFrame(rows, columns=COLUMNS)
