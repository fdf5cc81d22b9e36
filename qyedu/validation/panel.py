"""The validation panel: 27 provinces with enrolment (provinces.csv) and China (china.csv),
each read into the area schema of ``qyedu.observed.area``.

China's file holds every source found for a figure; only the rows with ``preferred = 1`` are
used, and its levels are mapped onto the area schema: ``vocational_incl_technical`` (the NBS
series with technical schools, 2000–2020) is ``vocational``; the stage aggregates
(``junior_stage``, ``compulsory``, …) and the post-2021 ``vocational`` series (a definitional
break, see data/raw/validation/README.md) are left out.
"""

from __future__ import annotations

import functools

import pandas as pd

from .. import paths
from ..observed.area import AREA_LEVELS, AreaData, area_inputs, validate_area_frame

CHINA = "China"
CHINA_LEVELS = {"vocational_incl_technical": "vocational", **{lv: lv for lv in AREA_LEVELS
                                                              if lv != "vocational"}}
CHINA_INDICATORS = ("births", "birth_rate", "population_yearend", "enrolment", "intake")


def validation_file(name: str):
    return paths.data_raw() / "validation" / name


def china_frame(path=None) -> pd.DataFrame:
    """China's preferred figures in the area schema (validated; ``source_line`` = file line)."""
    path = path or validation_file("china.csv")
    raw = pd.read_csv(path)
    raw["source_line"] = raw.index + 2
    df = raw[(raw["preferred"] == 1) & raw["indicator"].isin(CHINA_INDICATORS)].copy()
    pop = df["indicator"].isin(("births", "birth_rate", "population_yearend"))
    df = df[pop | df["level"].isin(CHINA_LEVELS)]
    df.loc[~pop, "level"] = df.loc[~pop, "level"].map(CHINA_LEVELS)
    df = df.rename(columns={"source_url": "source"})
    return validate_area_frame(df, path)


@functools.lru_cache(maxsize=2)
def _panel(prov_path: str, china_path: str) -> tuple[AreaData, ...]:
    prov = validate_area_frame(pd.read_csv(prov_path), prov_path)
    areas = [lv for lv in dict.fromkeys(prov["area"])
             if (prov[(prov["area"] == lv)]["indicator"] == "enrolment").any()]
    out = [area_inputs(prov, a, prov_path) for a in areas]
    out.append(area_inputs(china_frame(china_path), CHINA, china_path))
    return tuple(out)


def load_panel(provinces=None, china=None) -> tuple[AreaData, ...]:
    """Every panel area with enrolment (provinces in file order, then China)."""
    return _panel(str(provinces or validation_file("provinces.csv")),
                  str(china or validation_file("china.csv")))
