"""Plan optimiser (docs/method.md, “Optimiser”) on generated chains: objective, bound, gap and time.

    python benchmarks/bench_optimise.py [--enterprises 2000] [--time-limit 60] [--gap 0.01]
        [--scenario "Full policy mix"] [--budget-share 0.05 0.02]

Scenario "Core-led with subsidy" (8 project types, 5 years) with budgets that bind: each
party may spend what S spends already plus --budget-share (default 5 %) of the total capex
and opex that all candidate additions together would cost. Target on 2000 enterprises:
within 2 % of the best bound in <= 60 s on 2 cores; on 10,000 a feasible plan and its gap
within the time limit (e.g. --enterprises 10000 --time-limit 120). With
--scenario "Full policy mix" (parks with park projects, a level-gated grant, running-cost
subsidy, tax relief and subsidised loans) the same measures; give several --budget-share
values to see how the gap moves with the budget.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from planner.engine import evaluate
from planner.generate import generate
from planner.optimise import apply, check_plan, optimise

SCENARIO = "Core-led with subsidy"


def candidate_cost(model_size: int, seed: int, scenario_name: str) -> float:
    """Capex + opex over the horizon of every eligible (enterprise, project) started first year."""
    model = generate(model_size, seed=seed)
    scenario = model.scenario(scenario_name)
    assert scenario is not None
    have = {(a.enterprise, a.project) for a in model.assignments if a.scenario == scenario_name}
    total = 0.0
    for e in model.enterprises:
        f = model.settings.size_factor(e.size)
        for p in model.projects:
            if (e.id, p.id) in have or p.scope != "enterprise" or \
                    (p.eligible_sizes and e.size not in p.eligible_sizes):
                continue
            total += (p.capex + p.opex * max(0, scenario.horizon - p.duration)) * f
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, nargs="+", default=[2000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--gap", type=float, default=0.01, help="HiGHS mip_rel_gap")
    parser.add_argument("--budget-share", type=float, nargs="+", default=[0.05])
    parser.add_argument("--scenario", default=SCENARIO)
    parser.add_argument("--core-share", type=float, default=0.4)
    parser.add_argument("--per-year", action="store_true")
    parser.add_argument("--objective", default="npv", choices=("npv", "coverage"))
    args = parser.parse_args()
    for n in args.enterprises:
        for share in args.budget_share:
            run(n, share, args)


def run(n: int, budget_share: float, args: argparse.Namespace) -> None:
    name = args.scenario
    model = generate(n, seed=args.seed)
    base = evaluate(model, name, problems=[])[0]
    extra = budget_share * candidate_cost(n, args.seed, name)
    horizon = len(base.years)
    if args.per_year:
        core = float(np.max(base.party_cost["core"])) + extra / horizon
        gov = float(np.max(base.party_cost["government"])) + extra / horizon
    else:
        core = float(np.sum(base.party_cost["core"])) + extra
        gov = float(np.sum(base.party_cost["government"])) + extra
    stages: list[tuple[float, float]] = []
    began = time.perf_counter()
    result = optimise(model, name, core, gov, per_year=args.per_year,
                      objective=args.objective, core_share=args.core_share,
                      time_limit=args.time_limit, mip_rel_gap=args.gap,
                      progress=lambda f: stages.append((f, time.perf_counter() - began)))
    build = next((t for f, t in stages if f >= 0.2), 0.0)
    checked = result.scenario.name if result.changed else name  # nothing added: S itself
    problems = check_plan(apply(model, result), checked, core, gov,
                          args.per_year, 0.02, baseline=name)
    print(f"{n} enterprises, {name!r}, budget share {budget_share:g}: "
          f"{result.candidates} candidates, {result.variables} variables, "
          f"{result.constraints} rows (built in {build:.1f} s)")
    print(f"  budgets: core {core:,.0f}, government {gov:,.0f}"
          f"{' per year' if args.per_year else ' over the horizon'}")
    bound = "-" if result.bound is None else f"{result.bound:,.1f}"  # None: no plan solved
    gap = "-" if result.gap is None else f"{result.gap:.3%}"
    print(f"  status {result.status}, exact {result.exact}, {len(result.additions)} additions;"
          f" NPV {result.base_objective:,.1f} -> {result.objective:,.1f},"
          f" bound {bound}, gap {gap}")
    print(f"  spend: core {result.core_spend:,.0f}, government {result.government_spend:,.0f};"
          f" connected share at the end {result.coverage}")
    print(f"  time {result.seconds:.1f} s (limit {args.time_limit:.0f} s);"
          f" checker: {'passes' if not problems else problems[:3]}")
    if result.message:
        print(f"  note: {result.message}")


if __name__ == "__main__":
    main()
