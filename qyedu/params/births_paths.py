"""The named future-births paths (scenarios), defined as data in params/births_paths.yaml
and validated on load: unknown keys or path names are errors naming the key and the file.
It lives with the parameters because ``forecast.scenario`` is validated against it."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .. import paths
from ..errors import QyeduError

PATHS_FILE = "births_paths.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BirthsPath(_Strict):
    description: str
    source: str = Field(pattern=r"^assumption: ")
    # each year's change of births, a fraction: −0.5 … +0.5 (assumption: births never halve or
    # grow by half in one year; Guangdong's largest change since 2000 is about −0.25 in 2020)
    annual_change: list[Annotated[float, Field(ge=-0.5, le=0.5, allow_inf_nan=False)]] = Field(
        min_length=1)

    def rates(self, n: int) -> np.ndarray:
        """Annual change rates for years 1..n after the base year (last entry held)."""
        r = np.asarray(self.annual_change, dtype=float)
        return np.concatenate([r, np.full(max(n - len(r), 0), r[-1])])[:n]


class BirthsPaths(_Strict):
    paths: dict[str, BirthsPath] = Field(min_length=1)

    @field_validator("paths")
    @classmethod
    def _safe_names(cls, v: dict) -> dict:
        from ..names import name_problem

        bad = [p for p in (name_problem(k, "scenario name") for k in v) if p]
        if bad:
            raise ValueError("; ".join(bad))
        return v

    def get(self, name: str) -> BirthsPath:
        if name not in self.paths:
            raise QyeduError(f"births path {name!r} (parameter forecast.scenario) is not "
                             f"defined in {PATHS_FILE}; defined: {sorted(self.paths)}")
        return self.paths[name]


def paths_file(path: str | Path | None = None) -> Path:
    """The births-paths file: ``path`` (relative to the project root) or the default."""
    if not path:
        return paths.params_dir() / PATHS_FILE
    p = Path(path)
    return p if p.is_absolute() else paths.root() / p


@functools.lru_cache(maxsize=16)
def _load(path: Path, mtime: float) -> BirthsPaths:
    return _parse(path)


def load_paths(path: str | Path | None = None) -> BirthsPaths:
    """Read and validate the births-paths file (default params/births_paths.yaml); cached
    while the file is unchanged (scenario validation and the model read it on every run)."""
    path = paths_file(path)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        raise QyeduError(f"births paths file not found: {path}") from None
    return _load(path, mtime)


def _parse(path: Path) -> BirthsPaths:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return BirthsPaths.model_validate(data)
    except FileNotFoundError:
        raise QyeduError(f"births paths file not found: {path}") from None
    except UnicodeDecodeError as err:
        line = path.read_bytes().count(b"\n", 0, err.start) + 1
        raise QyeduError(f"{path}, line {line}: births paths file is not UTF-8 text") from None
    except OSError as err:  # a folder, an unreadable file
        raise QyeduError(f"{path}: cannot read the births paths file: "
                         f"{err.strerror or err}") from None
    except yaml.YAMLError as err:
        raise QyeduError(f"{path}: not valid YAML: {err}") from None
    except ValidationError as err:
        lines = [f"  - {'.'.join(map(str, e['loc'])) or '(top level)'}: {e['msg']}"
                 for e in err.errors()]
        raise QyeduError(f"invalid births paths in {path}:\n" + "\n".join(lines)) from None
