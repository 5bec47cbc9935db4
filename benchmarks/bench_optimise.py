"""Plan optimiser (docs/method.md, “Optimiser”) at several budget levels and chain sizes:
objective, bound, gap, status and time per setting.

    python benchmarks/bench_optimise.py [--enterprises 2000 10000] [--time-limit 60 120]
        [--levels 0.05 0.25 2.0] [--seed 7] [--scenario "Core-led with subsidy"]
        [--core-share 0] [--per-year] [--objective npv]
        [--file 2000=chain_2k.xlsx 10000=chain_10k.xlsx]

Budgets: the core and the government may each spend what the scenario S already spends
times (1 + level): tight (S + 5 %), S + 25 % (the issue's setting) and generous (S + 200 %)
by default. New assignments get --core-share (default 0: the SME pays, as the command
line's default). Each setting prints the plan's NPV, the bound and what it is (the solver's
dual bound, the LP relaxation of the whole problem, the Lagrangian bound, or the loose
bound), the gap, the status, the time against the limit, the machine's one-minute load
average when it ended and whether the independent checker passes the plan. Target: gap
<= 5 % within the limit. The load is printed first too: quote it with the numbers.
"""

from __future__ import annotations

import argparse
import os
import time

from models.chain import ChainModel
from planner.engine import evaluate
from planner.generate import generate
from planner.optimise import apply, check_plan, optimise

SCENARIO = "Core-led with subsidy"


def _model(n: int, seed: int, files: dict[int, str]) -> ChainModel:
    if n in files:
        from models.files import load_model

        return load_model(files[n]).model
    return generate(n, seed=seed)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--time-limit", type=float, nargs="+", default=[60.0, 120.0],
                        help="one per --enterprises (the last repeats)")
    parser.add_argument("--levels", type=float, nargs="+", default=[0.05, 0.25, 2.0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scenario", default=SCENARIO)
    parser.add_argument("--core-share", type=float, default=0.0)
    parser.add_argument("--per-year", action="store_true")
    parser.add_argument("--objective", default="npv",
                        choices=("npv", "coverage", "expected-npv"))
    parser.add_argument("--file", nargs="*", default=[], metavar="N=PATH",
                        help="read the chain of N firms from PATH instead of generating it")
    args = parser.parse_args()
    files = {int(k): v for k, v in (item.split("=", 1) for item in args.file)}
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} cores)")
    print("firms  level  limit  status                          NPV            bound"
          "         kind           gap      time  load  check")
    for i, n in enumerate(args.enterprises):
        limit = args.time_limit[min(i, len(args.time_limit) - 1)]
        model = _model(n, args.seed, files)
        for level in args.levels:
            run(model, n, level, limit, args)


def run(model: ChainModel, n: int, level: float, limit: float,
        args: argparse.Namespace) -> None:
    name = args.scenario
    base = evaluate(model, name, problems=[])[0]
    horizon = len(base.years)
    if args.per_year:
        core = (1 + level) * float(base.party_cost["core"].max())
        gov = (1 + level) * float(base.party_cost["government"].max())
    else:
        core = (1 + level) * float(base.party_cost["core"].sum())
        gov = (1 + level) * float(base.party_cost["government"].sum())
    began = time.perf_counter()
    result = optimise(model, name, core, gov, per_year=args.per_year,
                      objective=args.objective, core_share=args.core_share,
                      time_limit=limit)
    wall = time.perf_counter() - began
    checked = result.scenario.name if result.changed else name  # nothing added: S itself
    problems = check_plan(apply(model, result), checked, core, gov, args.per_year, 0.02,
                          baseline=name)
    bound = "-" if result.bound is None else f"{result.bound:,.1f}"
    gap = "unknown" if result.gap is None else f"{result.gap:.2%}"
    print(f"{n:>5}  {level:>5.2f}  {limit:>5.0f}  {result.status:<30}  "
          f"{result.objective:>13,.1f}  {bound:>15}  {result.bound_kind or '-':<13}  "
          f"{gap:>8}  {wall:>6.1f}  {os.getloadavg()[0]:>4.1f}  "
          f"{'ok' if not problems else problems[:2]}")
    print(f"       S: NPV {result.base_objective:,.1f}, {horizon} years; budgets core "
          f"{core:,.0f}, government {gov:,.0f}; {result.candidates:,} candidates, "
          f"{len(result.additions):,} additions; {result.message}", flush=True)


if __name__ == "__main__":
    main()
