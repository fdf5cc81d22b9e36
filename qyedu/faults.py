"""Fault injection for the crash-consistency tests: ``QYEDU_FAULT_AT=<step>:<n>`` makes the
process die (``os._exit(137)``, like ``kill -9``: no cleanup, no ``finally``) the n-th time
it reaches ``fault_point(step)``. Steps: ``publish`` (every step of switching a generation
in), ``build`` (after each table written), ``calibration`` (after each calibration file
``qyedu validate`` writes). Unset: a no-op."""

from __future__ import annotations

import os
from collections import Counter

_seen: Counter[str] = Counter()


def fault_point(step: str) -> None:
    """Die here if ``QYEDU_FAULT_AT`` asks for the current occurrence of ``step``."""
    want = os.environ.get("QYEDU_FAULT_AT", "")
    if not want:
        return
    _seen[step] += 1
    name, _, n = want.partition(":")
    if name == step and n.isdigit() and _seen[step] == int(n):
        os._exit(137)


def reset() -> None:
    """Forget the counts (tests running several publishes in one process)."""
    _seen.clear()
