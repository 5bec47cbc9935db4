"""Monte-Carlo speed and memory on generated chains, against one deterministic evaluation.

    python benchmarks/bench_simulate.py [--runs 2000:1000 10000:1000 100000:100] [--seed 1]

Each run (ENTERPRISES:DRAWS) is measured in a child process of its own, so the peak
memory printed is that run's: the generated chain, its arrays and the draws. Targets:
1,000 draws on 10,000 firms <= 10 s; 100 draws on 100,000 firms <= 30 s; memory <= 2 GB.
"seconds per draw / one evaluation" says how a draw compares with a full deterministic
evaluation of the same scenario, measured in the same process.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def child(enterprises: int, draws: int, seed: int) -> None:
    from planner.engine import evaluate
    from planner.generate import generate
    from planner.simulate import simulate

    model = generate(enterprises, seed=seed)
    scenario = next(s.name for s in model.scenarios if s.loan_share > 0)  # every instrument
    start = time.perf_counter()
    evaluate(model, scenario)
    one = time.perf_counter() - start
    start = time.perf_counter()
    result = simulate(model, scenario, draws=draws, seed=seed)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB -> MB on Linux
    print(json.dumps({"enterprises": enterprises, "links": len(model.links),
                      "assignments": sum(a.scenario == scenario for a in model.assignments),
                      "draws": draws, "seconds": seconds, "evaluation": one, "peak_mb": peak,
                      "npv_p5": result.stats("npv")["p5"],
                      "npv_p95": result.stats("npv")["p95"]}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", nargs="+", default=["2000:1000", "10000:1000", "100000:100"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=3, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    print(f"{'firms':>8} {'links':>8} {'assign.':>8} {'draws':>6} {'seconds':>8} "
          f"{'per draw':>9} {'1 eval':>8} {'draw/eval':>9} {'peak MB':>8}")
    for run in args.runs:
        enterprises, draws = (int(x) for x in run.split(":"))
        out = subprocess.run([sys.executable, __file__, "--child", str(enterprises), str(draws),
                              str(args.seed)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        per_draw = r["seconds"] / r["draws"]
        print(f"{r['enterprises']:>8,} {r['links']:>8,} {r['assignments']:>8,} {r['draws']:>6,} "
              f"{r['seconds']:>8.2f} {per_draw * 1000:>7.1f}ms {r['evaluation']:>8.3f} "
              f"{per_draw / r['evaluation']:>9.3f} {r['peak_mb']:>8.0f}")


if __name__ == "__main__":
    main()
