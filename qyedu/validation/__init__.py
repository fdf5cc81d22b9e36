"""Validation of the projection method on areas with known outturns (see docs/PROJECTION.md)."""
