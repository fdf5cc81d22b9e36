"""Qingyuan births: reconstruction of the past (two anchored methods and their mixture)
and named future paths. See ``reconstruct`` and ``future`` for every rule."""

from .future import BirthsPath, BirthsPaths, future_births, load_paths
from .guangdong import guangdong_births
from .methods import rate_ratio, share_of_guangdong
from .reconstruct import FIRST_BIRTH_YEAR, METHODS, Reconstruction, births_draws, reconstruct

__all__ = [
    "FIRST_BIRTH_YEAR", "METHODS", "BirthsPath", "BirthsPaths", "Reconstruction", "births_draws",
    "future_births", "guangdong_births", "load_paths", "rate_ratio", "reconstruct",
    "share_of_guangdong",
]
