"""Observed statistics: loaders and validation for data/raw (and richer user-supplied series)."""

from .raw import SCHEMAS, read_raw

__all__ = ["SCHEMAS", "read_raw"]
