"""Benchmark (not a test): the projection engine with 10,000 draws × 8 counties × every
year to 2035, against a deliberately naive per-draw Python loop doing the same arithmetic.

    .venv/bin/python bench/bench_projection.py [--draws 10000]

Reports wall time (untraced calls; the engine's as the median of five, with the best and
worst, because one call's time varies by a factor of two with the machine's load) and peak
traced memory (tracemalloc, one more call) of each; goal < 1 s (the median) and < 1 GB for
the vectorised engine. The naive reference reuses the engine's calibrated inputs and redoes
the cohort flow and county allocation draw by draw, year by year, level by level.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

from qyedu.observed import preschool_points
from qyedu.observed.names import COUNTIES
from qyedu.params import ForecastParams
from qyedu.plan import load_indicators
from qyedu.projection import LEVEL_AGES, LEVELS, run
from qyedu.projection.flow import all_cohort_births, birth_offsets
from qyedu.projection.montecarlo import FIRST_BIRTH_YEAR

REPEAT = 5  # one call's wall time varies by a factor of two with the machine's load


def measure(fn, repeat: int = 1):
    """Wall times of ``repeat`` untraced calls (list), then peak traced memory (MiB) of one
    more call."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return out, times, peak / 2**20


def naive_loop(births, factors, shares, years):
    """Reference: one Python loop per draw, year, level, age and county."""
    d_n = births.shape[0]
    out = np.zeros((d_n, len(years), len(LEVELS), len(COUNTIES)))
    for d in range(d_n):
        for y, year in enumerate(years):
            for li, lv in enumerate(LEVELS):
                total = 0.0
                for k, w in birth_offsets(LEVEL_AGES[lv]).items():  # 31 August cut-off
                    total += w * births[d, year - k - FIRST_BIRTH_YEAR]
                for c in range(len(COUNTIES)):
                    out[d, y, li, c] = factors[d, y, li] * total * shares[li, c]
    return out


def vectorised_step(births, factors, shares, years):
    """The same cohort step as ``naive_loop``, vectorised over draws (as in the engine)."""
    flat = all_cohort_births(births, FIRST_BIRTH_YEAR, years)
    return (factors * flat)[..., None] * shares[None, None, :, :]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=10_000)
    args = ap.parse_args(argv)
    fp = ForecastParams(draws=args.draws, horizon=2035)
    # the plan's preschool points come from the plan stage (as in the Workbench), not the engine
    pre = preschool_points(load_indicators())
    run(ForecastParams(draws=10), preschool=pre)  # warm caches and imports outside the timing
    res, times, m_vec = measure(lambda: run(fp, preschool=pre), REPEAT)
    t_vec, t_best = float(np.median(times)), min(times)
    city = res.city()
    factors = city / all_cohort_births(res.births, FIRST_BIRTH_YEAR, res.years)
    shares = res.enrolled[0, 0] / res.enrolled[0, 0].sum(axis=1, keepdims=True)
    loop, (t_loop,), m_loop = measure(lambda: naive_loop(res.births, factors, shares, res.years))
    step, (t_step,), m_step = measure(
        lambda: vectorised_step(res.births, factors, shares, res.years))
    assert np.allclose(loop, res.enrolled), "naive reference disagrees with the engine"
    assert np.allclose(step, res.enrolled), "vectorised step disagrees with the engine"
    cells = res.enrolled.size
    print(f"projection benchmark: {args.draws} draws × {len(res.years)} years × "
          f"{len(LEVELS)} levels × {len(COUNTIES)} counties = {cells:,} cells")
    print(f"{'implementation':<38}{'wall time (s)':>14}{'peak memory (MiB)':>20}")
    print(f"{'vectorised engine (full run()), median':<38}{t_vec:>14.3f}{m_vec:>20.1f}")
    print(f"{f'  of {REPEAT} runs: best, worst':<38}{f'{t_best:.3f}, {max(times):.3f}':>14}")
    print(f"{'vectorised cohort step only':<38}{t_step:>14.3f}{m_step:>20.1f}")
    print(f"{'naive per-draw loop (cohort step only)':<38}{t_loop:>14.3f}{m_loop:>20.1f}")
    ok = t_vec < 1.0 and m_vec < 1024
    print(f"goal < 1 s (median) and < 1 GB: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
