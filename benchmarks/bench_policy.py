"""Engine speed with every policy instrument and park projects on, as ratios in one run.

    python benchmarks/bench_policy.py [--enterprises 2000 10000 30000]

For each size, the generated chain twice: "on" — every scenario uses every instrument
(the generated "Full policy mix" scenario's opex subsidy, level gate, ownership targeting,
tax relief, loans with interest subsidy, and its park projects); "off" — the same chain with
the policy fields at their defaults and no park projects. Targets at 10,000 firms: every
scenario evaluated <= 0.3 s; re-evaluation of one scenario after one edit <= 100 ms.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses

from timing import timed

from models.chain import ChainModel, ParkAssignment, Scenario
from planner.engine import ChainArrays, evaluate
from planner.generate import generate

POLICY_FIELDS = ("opex_subsidy", "opex_subsidy_years", "subsidy_min_level", "subsidy_ownership",
                 "tax_relief_rate", "loan_share", "loan_rate", "loan_years", "interest_subsidy")


def variants(n: int) -> tuple[ChainModel, ChainModel]:
    """The generated chain with every instrument on in every scenario, and with none."""
    on = generate(n, seed=1)
    full = next(s for s in on.scenarios if s.loan_share > 0)
    parks = [b for b in on.park_assignments if b.scenario == full.name]
    policy = {name: getattr(full, name) for name in POLICY_FIELDS}
    on.scenarios = [dataclasses.replace(s, **policy) for s in on.scenarios]
    on.park_assignments = [dataclasses.replace(b, scenario=s.name)
                           for s in on.scenarios for b in parks]
    off = copy.deepcopy(on)
    defaults = Scenario(name="defaults", start_year=2026)
    off.scenarios = [dataclasses.replace(s, **{name: getattr(defaults, name)
                                               for name in POLICY_FIELDS})
                     for s in off.scenarios]
    off.park_assignments = []
    return on, off


def measure(model: ChainModel) -> tuple[float, float, float]:
    """Seconds: every scenario from scratch; one scenario after a plan edit (the chain's
    arrays reused); one scenario after an enterprise edit (the arrays rebuilt)."""
    t_all = timed(lambda: evaluate(model, problems=[]))
    arrays = ChainArrays.of(model)
    current = model.scenarios[-1].name

    def edit_plan() -> None:
        model.assignments[7].start_year += 0
        evaluate(model, current, arrays=arrays, problems=[])

    def edit_enterprise() -> None:
        model.enterprises[5].revenue += 1.0
        evaluate(model, current, arrays=ChainArrays.of(model), problems=[])

    return t_all, timed(edit_plan), timed(edit_enterprise)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, nargs="+", default=[2_000, 10_000, 30_000])
    args = parser.parse_args()
    for n in args.enterprises:
        on, off = variants(n)
        assert all(isinstance(b, ParkAssignment) for b in on.park_assignments)
        t_on, t_on_plan, t_on_firm = measure(on)
        t_off, t_off_plan, t_off_firm = measure(off)
        print(f"{n} firms, {len(on.scenarios)} scenarios, {len(on.assignments)} assignments, "
              f"{len(on.park_assignments)} park assignments")
        print(f"  evaluate every scenario: {t_on:.3f} s with every instrument on, "
              f"{t_off:.3f} s at defaults, ratio {t_on / t_off:.2f} (target <= 0.3 s at 10,000)")
        print(f"  one scenario after a plan edit: {t_on_plan * 1000:.0f} ms on, "
              f"{t_off_plan * 1000:.0f} ms at defaults, ratio {t_on_plan / t_off_plan:.2f}; "
              f"after an enterprise edit: {t_on_firm * 1000:.0f} ms on, "
              f"{t_off_firm * 1000:.0f} ms at defaults, ratio {t_on_firm / t_off_firm:.2f} "
              f"(target <= 100 ms at 10,000)")


if __name__ == "__main__":
    main()
