"""Benchmark (not a test): the place plan's LPs (qyedu.places.plan via qyedu.costs.place_plan,
32 problems: 8 counties × 4 levels) at several sample sizes, on the default run's places model.

    .venv/bin/python bench/bench_place_plan.py [--draws 2000] [--sizes 50 100 200 400]

Reports the wall time of ``plan_table`` per ``places.plan_max_draws`` and the city's expected
shortage and idle capital of the plan in the last year, so that the sample size can be chosen
where the answer has settled (default 200)."""

from __future__ import annotations

import argparse
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=2000)
    ap.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200, 400])
    a = ap.parse_args()

    from qyedu import costs
    from qyedu.costs.place_plan import plan_table
    from qyedu.costs.units import capital_cost, read_costs
    from qyedu.workbench import Workbench

    wb = Workbench.from_params(draws=a.draws)
    m = wb.places_model
    table = read_costs()
    units = {lv: capital_cost(lv, table, None, wb.params.costs.capital_unit_basis)
             for lv in costs.LEVELS}
    print("max_draws  seconds  shortage_last_year  idle_capital_last_year_亿元")
    for k in a.sizes:
        rp = wb.params.model_copy(update={"places": wb.params.places.model_copy(
            update={"plan_max_draws": k})})
        t0 = time.perf_counter()
        p = plan_table(m, rp, units)
        dt = time.perf_counter() - t0
        last = p[(p["county"] == "全市") & (p["strategy"] == "plan") & (p["form"] == "all")
                 & (p["year"] == p["year"].max())]
        print(f"{k:9d}  {dt:7.2f}  {last['expected_shortage'].sum():18,.0f}  "
              f"{last['idle_capital'].sum() / 1e4:12.2f}")


if __name__ == "__main__":
    main()
