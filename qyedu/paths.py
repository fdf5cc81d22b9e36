"""Every path the project uses, resolved from the package location; nothing else builds paths.

Set ``QYEDU_ROOT`` to run against another checkout or a copy (tests do this to work in a
temporary folder without touching the real outputs).
"""

from __future__ import annotations

import os
from pathlib import Path


def root() -> Path:
    """Project root: ``$QYEDU_ROOT`` if set, else the folder holding the ``qyedu`` package."""
    env = os.environ.get("QYEDU_ROOT")
    return Path(env).resolve() if env else Path(__file__).resolve().parent.parent


CALIBRATION = "params/calibration"  # committed, written only by `qyedu validate`
CALIBRATION_STAGE_ENV = "QYEDU_CALIBRATION_STAGE"  # set while a validate run stages its files


def calibration_dir() -> Path:
    """The committed calibration folder, ``params/calibration/``."""
    return root() / CALIBRATION


def resolve(rel: str | Path) -> Path:
    """A project-relative path (absolute paths pass through). Under ``params/calibration/``
    while ``qyedu validate`` runs (``$QYEDU_CALIBRATION_STAGE``), the run's staging copy:
    the run reads what it has just written, everyone else the committed set
    (``qyedu.validation.staging``)."""
    p = Path(rel)
    if p.is_absolute():
        return p
    stage = os.environ.get(CALIBRATION_STAGE_ENV)
    if stage and p.parts[:2] == tuple(CALIBRATION.split("/")):
        return Path(stage).joinpath(*p.parts[2:])
    return root() / p


def data_raw() -> Path:
    return root() / "data" / "raw"


def observed_dir() -> Path:
    """User-supplied observations (long CSVs: indicator, year, value, source)."""
    return data_raw() / "observed"


def bureau_dir() -> Path:
    """Optional drop-in files from the education bureau (county capacity and project sites,
    teacher counts); templates in ``templates_dir()``."""
    return data_raw() / "bureau"


def templates_dir() -> Path:
    """Templates of the drop-in files (header and documented columns, no data)."""
    return root() / "data" / "templates"


def data_processed() -> Path:
    return root() / "data" / "processed"


def plan_file() -> Path:
    """The plan document as published (Word export to text)."""
    return data_raw() / "qingyuan-education-14th-fyp.txt"


def raw_csv(name: str) -> Path:
    """A published-statistics file in data/raw, e.g. ``raw_csv("population")``."""
    return data_raw() / f"{name}.csv"


def params_dir() -> Path:
    return root() / "params"


def default_params_file() -> Path:
    return params_dir() / "default.yaml"


def notebooks_dir() -> Path:
    return root() / "notebooks"


def figures_dir() -> Path:
    return root() / "figures"


def reports_dir() -> Path:
    return root() / "reports"


def staging_dir() -> Path:
    """Where a refresh builds its outputs before publishing them atomically."""
    return root() / ".staging"


def failed_dir() -> Path:
    """Executed notebooks of the last failed refresh, kept for debugging."""
    return root() / ".failed"


def lock_file() -> Path:
    return root() / ".qyedu.lock"


def sweeps_dir() -> Path:
    """The sweep store, ``data/sweeps/``: finished and unfinished sweeps, one folder per
    design. Outside the published generations (a sweep never writes into them); every
    project generation links ``data/processed/sweeps`` here, so every build keeps finished
    sweeps readable at that path."""
    return root() / "data" / "sweeps"


def published_trees() -> list[Path]:
    """Folders only the publish step writes (generations, the live pointer, scenario sites,
    staging): nothing else, and no ``--out``, may write below them."""
    r = root()
    return [r / ".generations", r / ".published", r / ".scenarios", r / ".staging",
            r / "data" / "processed", r / "reports", r / "figures"]


def processed(name: str) -> Path:
    """A file in data/processed, e.g. ``processed("plan_indicators.csv")``."""
    return data_processed() / name
