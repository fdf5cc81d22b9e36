"""Functions with known analytic sensitivity indices, evaluated through the sweep machinery
(designs, batches, Dask, store, indices) to test it. Ishigami (a=7, b=0.1):
S1 = 0.314, 0.442, 0.0; ST = 0.558, 0.442, 0.244 for x1, x2, x3 uniform on [-π, π]."""

from __future__ import annotations

import math

from .task import Outputs, Task

ISHIGAMI_S1 = (0.3139, 0.4424, 0.0)
ISHIGAMI_ST = (0.5576, 0.4424, 0.2437)


def ishigami(x1: float, x2: float, x3: float, a: float = 7.0, b: float = 0.1) -> float:
    return math.sin(x1) + a * math.sin(x2) ** 2 + b * x3**4 * math.sin(x1)


class Ishigami(Task):
    """Parameters x1, x2, x3; output ``y``."""

    def check(self) -> None:
        from ..params import ParamError

        if set(self.design.keys) != {"x1", "x2", "x3"} or self.design.outputs != ["y"]:
            raise ParamError("the Ishigami task takes parameters x1, x2, x3 and output y")

    def evaluate_one(self, values: dict, seed: int) -> Outputs:
        return {"y": (ishigami(values["x1"], values["x2"], values["x3"]), "")}
