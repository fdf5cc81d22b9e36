"""Observed statistics: loaders and validation for data/raw (and richer user-supplied series).

- ``read_raw`` — the five published files, validated (raw.py);
- ``population_points`` / ``series`` / ``qingyuan_births`` / ``county_census_shares`` /
  ``guangdong_education`` — tidy accessors with provenance and the vintage rule (points.py);
- ``read_enrollment_series`` — enrollment.csv plus user-dropped ``enrollment_*.csv`` files
  (by grade and county), validated with file and row in every error (series.py);
- ``enrollment_points`` / ``grade_points`` / ``county_points`` — calibration points (enrolment.py);
- ``preschool_points`` — the plan's 2015/2020 preschool figures (plan_points.py).
"""

from .enrolment import county_points, enrollment_points, grade_points
from .plan_points import preschool_points
from .points import (
    as_of,
    county_census_shares,
    guangdong_education,
    population_points,
    qingyuan_births,
    series,
)
from .raw import SCHEMAS, read_raw
from .series import read_enrollment_series, series_files

__all__ = [
    "SCHEMAS", "as_of", "county_census_shares", "county_points", "enrollment_points",
    "grade_points", "guangdong_education", "population_points", "preschool_points",
    "qingyuan_births", "read_enrollment_series", "read_raw", "series", "series_files",
]
