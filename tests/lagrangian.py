"""The Lagrangian bounds of a small program (docs/method.md, “Optimiser”), for the tests
that hold them against the brute-force optimum: from the LP relaxation's own multipliers,
from random ones of every sign and scale (the bound holds for any), and from the search of
multipliers near the LP's, near 0 and near random ones (``_Relaxation.search``)."""

from __future__ import annotations

import numpy as np

import planner.optimise as optimiser
from models.chain import ChainModel
from planner.engine import ChainArrays, evaluate_scenario


def lagrangian_bounds(model: ChainModel, scenario_name: str, core_budget: float | None,
                      gov_budget: float | None, core_share: float, sme_cost_cap: float,
                      per_year: bool = False, park_shares: tuple[float, float] = (0.5, 0.0),
                      draws: int = 30, seed: int = 5) -> list[float]:
    arrays = ChainArrays.of(model)
    scenario = model.scenario(scenario_name)
    assert scenario is not None
    base = evaluate_scenario(arrays, scenario)
    limit = np.maximum(sme_cost_cap * arrays.revenue[:, None],
                       optimiser.sme_own_costs(base, len(arrays.ids)))
    prog = optimiser._build(arrays, scenario, core_budget, gov_budget, per_year, core_share,
                            park_shares, limit, base)
    lp = optimiser._Relaxation(prog, np.ones(prog.a.shape[0], bool))
    solved = lp.solve(30.0)
    assert solved.lagrange is not None and solved.bound is not None
    # never looser than the LP's own bound of the same multipliers
    assert solved.lagrange >= solved.bound - 1e-6 * max(1.0, abs(solved.bound))
    bounds = [-solved.lagrange]
    # the multipliers searched near the LP's, and from 0 on every row: never looser than
    # where they start
    assert solved.duals is not None
    searched = lp.search(solved.duals, np.inf)
    assert searched is not None and searched >= solved.lagrange - 1e-9 * abs(solved.lagrange)
    bounds.append(-searched)
    from_zero = lp.search(np.zeros(len(lp.lo)), np.inf)
    if from_zero is not None:
        bounds.append(-from_zero)
    rng = np.random.default_rng(seed)
    for draw in range(draws):
        y = rng.normal(scale=rng.choice([0.01, 1.0, 100.0]), size=prog.a.shape[0])
        y *= rng.random(prog.a.shape[0]) < rng.choice([0.1, 0.5, 1.0])  # some rows only
        found = lp.lagrangian.bound(lp.a, lp.lo, lp.hi, lp.pay, y)
        if found is not None:
            bounds.append(-found)
        if draw % 10 == 0:  # and searched from random ones
            found = lp.search(y, np.inf)
            if found is not None:
                bounds.append(-found)
    return bounds
