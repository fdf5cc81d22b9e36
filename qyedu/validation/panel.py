"""The validation panel: 27 provinces with enrolment (provinces.csv) and China (china.csv),
each read into the area schema of ``qyedu.observed.area``.

China's file holds every source found for a figure; only the rows with ``preferred = 1`` are
used, and its levels are mapped onto the area schema: ``vocational_incl_technical`` (the NBS
series with technical schools, 2000–2020) is ``vocational``; the stage aggregates
(``junior_stage``, ``compulsory``, …) and the post-2021 ``vocational`` series (a definitional
break, see data/raw/validation/README.md) are left out.

Two later files extend the panel (``panel_frame``, ``later_frame``; used by the honest-in-time
harness, ``validation.harness``):

- ``provinces_1995_1999.csv``: birth rates and year-end populations 1997–1999 (Jiangsu
  1995–1999 with published counts, Fujian 1995–1996), so births reach back to 1995–1997 and
  junior origins open before 2015 (ages 12–14 need births 15 years back). **The 1999→2000
  break** — 1999 populations are yearbook estimates, 2000 is census-based — is treated by
  ``early`` (``EARLY_TREATMENTS``):
  ``scaled`` (the default): every pre-2000 population and published birth count of an area is
  multiplied by that area's ratio pop(2000)/pop(1999), so the early births are on the 2000
  census base (the 1999→2000 change is read as all break, none growth: the one-year growth,
  under 1 % in most provinces, is the error this accepts); the birth rates are used as
  published. ``raw``: the early figures as published (births = rate × mean population on the
  old base). ``none``: the original panel (births from 2000). The harness reports the
  back-test under each (``qyedu validate``), so what the choice does to the errors is shown.
  Birth-rate steps 1999→2000 (registration vs census basis, e.g. 山西 15.93 → 12.1 ‰) are not
  corrected: no published figure says by how much, and the back-test shows their effect.
- ``provinces_2020_2023.csv``: outturns after the panel ends (2020–2023), **held out**: never
  part of a history or a calibration, read only to score forecasts from origin 2019.
"""

from __future__ import annotations

import functools

import pandas as pd

from .. import paths
from ..observed.area import (
    AREA_LEVELS,
    MODEL_LEVEL,
    AreaData,
    area_inputs,
    rebase_populations,
    validate_area_frame,
)

CHINA = "China"
CHINA_LEVELS = {"vocational_incl_technical": "vocational", **{lv: lv for lv in AREA_LEVELS
                                                              if lv != "vocational"}}
CHINA_INDICATORS = ("births", "birth_rate", "population_yearend", "enrolment", "intake",
                    "graduates")
EARLY_TREATMENTS = ("scaled", "raw", "none")
BREAK_YEAR = 2000  # first census-based population of the panel
SCHOOL_READ = ("enrolment", "intake", "graduates")


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


def _early(path) -> pd.DataFrame:
    raw = pd.read_csv(path)
    raw["source_line"] = raw.index + 2
    return validate_area_frame(raw.rename(columns={"source_url": "source"}), path)


@functools.lru_cache(maxsize=4)
def panel_frame(early: str = "scaled", provinces=None, early_path=None) -> pd.DataFrame:
    """The provinces' validated rows (area schema, persons) with the 1995–1999 rows under the
    break treatment ``early`` (module docstring); a province without a 1999 population keeps
    its early rows unscaled only under ``raw`` and drops them under ``scaled``."""
    if early not in EARLY_TREATMENTS:
        raise ValueError(f"early must be one of {EARLY_TREATMENTS}, not {early!r}")
    ppath = provinces or validation_file("provinces.csv")
    prov = validate_area_frame(pd.read_csv(ppath), ppath)
    if early == "none":
        return prov
    epath = early_path or validation_file("provinces_1995_1999.csv")
    e = _early(epath)
    both = pd.concat([prov, e], ignore_index=True)
    return rebase_populations(both, BREAK_YEAR)[0] if early == "scaled" else both


def later_frame(path=None) -> pd.DataFrame:
    """The held-out outturns 2020–2023: area, year, indicator (enrolment, intake, graduates),
    level (projection level), value (persons), source_line. Other rows (grade counts,
    schools, teachers, the ``compulsory`` aggregate, births) are not read."""
    path = path or validation_file("provinces_2020_2023.csv")
    raw = pd.read_csv(path)
    raw["source_line"] = raw.index + 2
    keep = raw["indicator"].isin(SCHOOL_READ) & raw["level"].isin(AREA_LEVELS)
    df = validate_area_frame(raw[keep].rename(columns={"source_url": "source"}), path)
    return df.assign(level=df["level"].map(MODEL_LEVEL))
