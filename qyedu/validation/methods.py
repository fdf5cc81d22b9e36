"""The methods ``qyedu validate`` compares on the honest-in-time harness.

To add a method: write a ``harness.MethodFn`` and append ``harness.Method(name, fn, ...)`` to
``CANDIDATES`` (the first candidate is the one whose back-test chooses the calibration set,
``validation.honest.choose_calibration_set``). ``CURRENT`` is the superseded pre-flow factor method (before/after, on request),
``BASELINES`` the four comparators.
"""

from __future__ import annotations

from .baselines import BASELINES
from .current import CURRENT
from .gradeflow_method import GRADE_FLOW
from .harness import Method

CANDIDATES: tuple[Method, ...] = GRADE_FLOW  # issue 18: the grade-by-grade flow


def registered_methods(superseded: bool = False) -> tuple[Method, ...]:
    """Candidates, then (``superseded``: the pre-flow factor method, for before/after
    comparisons; ``qyedu validate --with-superseded``) ``CURRENT``, then the baselines."""
    return CANDIDATES + (CURRENT if superseded or not CANDIDATES else ()) + BASELINES


def primary_candidate() -> Method:
    """The method whose back-test decides the calibration set: the first candidate, else
    today's honest method."""
    return (CANDIDATES or CURRENT)[0]
