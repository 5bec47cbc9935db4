"""The optimiser's objective and bound against every single addition, on chains too big to
enumerate plans (docs/method.md, “Optimiser”).

No feasible plan may beat a reported bound; the plan returned should beat (or equal) the
best plan that adds one assignment. The single additions are built here from the rules as
the user reads them (size, prerequisite live by the start, level by the start, going live
within the horizon), each evaluated by the engine and kept only within every budget and
every SME's cost cap (no worse than S where S alone exceeds it) — independent of the
optimiser's program.
"""

from __future__ import annotations

import numpy as np
import pytest

import planner.optimise as optimiser
from models.chain import ChainModel
from planner.engine import Assigned, ChainArrays, assigned, evaluate_scenario, park_assigned
from planner.generate import generate
from planner.optimise import HEURISTIC, apply, check_plan, optimise

SCENARIO = "Core-led with subsidy"
CAP = 0.02


def _budgets(model: ChainModel, share: float) -> tuple[float, float]:
    """Core and government budgets ``share`` above what the scenario already spends."""
    arrays = ChainArrays.of(model)
    base = evaluate_scenario(arrays, model.scenario(SCENARIO))
    return ((1 + share) * float(base.party_cost["core"].sum()),
            (1 + share) * float(base.party_cost["government"].sum()))


def _best_single(model: ChainModel, core: float, gov: float) -> tuple[float, int]:
    """The best NPV of S plus one feasible addition (the SME pays: core share 0), and how
    many feasible single additions there are."""
    arrays = ChainArrays.of(model)
    scenario = model.scenario(SCENARIO)
    assert scenario is not None
    base = evaluate_scenario(arrays, scenario)
    rows, parks = assigned(arrays, SCENARIO), park_assigned(arrays, SCENARIO)
    limit = np.maximum(CAP * arrays.revenue[:, None], base.firm_cost)
    first, last = scenario.start_year, scenario.start_year + scenario.horizon - 1
    projects = model.projects
    live: dict[int, list[tuple[int, int]]] = {}  # firm -> (live year, project) of S's rows
    for e, p, s in zip(rows.who.tolist(), rows.project.tolist(), rows.start.tolist(),
                       strict=True):
        live.setdefault(e, []).append((s + projects[p].duration, p))
    park_live: dict[str, list[tuple[int, int]]] = {}
    for k, p, s in zip(parks.who.tolist(), parks.project.tolist(), parks.start.tolist(),
                       strict=True):
        park_live.setdefault(arrays.park_ids[k], []).append((s + projects[p].duration, p))
    best, feasible = base.npv, 0
    for e, firm in enumerate(model.enterprises):
        mine = live.get(e, []) + park_live.get(firm.park, [])
        have = {p for _, p in live.get(e, [])}
        for p, project in enumerate(projects):
            if project.scope != "enterprise" or p in have or (
                    project.eligible_sizes and firm.size not in project.eligible_sizes):
                continue
            for s in range(first, last + 1 - project.duration):
                level = min(4, firm.maturity + sum(projects[q].maturity_gain
                                                   for y, q in mine if y <= s))
                if level < project.min_maturity or (project.requires and not any(
                        projects[q].id == project.requires and y <= s for y, q in mine)):
                    continue
                picked = Assigned(rows=np.r_[rows.rows, -1], who=np.r_[rows.who, e],
                                  project=np.r_[rows.project, p], start=np.r_[rows.start, s],
                                  core_share=np.r_[rows.core_share, 0.0],
                                  government_share=np.zeros(len(rows.rows) + 1))
                got = evaluate_scenario(arrays, scenario, picked=picked, park_picked=parks,
                                        detail=False)
                over = got.firm_cost > limit + 1e-6 * np.maximum(1.0, limit)
                over[arrays.core] = False
                if got.party_cost["core"].sum() > core + 1e-6 or \
                        got.party_cost["government"].sum() > gov + 1e-6 or over.any():
                    continue
                feasible += 1
                best = max(best, got.npv)
    return best, feasible


@pytest.fixture(scope="module")
def chain() -> tuple[ChainModel, float, float, float]:
    model = generate(300, seed=11)
    core, gov = _budgets(model, 0.25)
    best, feasible = _best_single(model, core, gov)
    assert feasible > 500  # many single additions fit: the check means something
    return model, core, gov, best


@pytest.mark.parametrize("path", ["milp", "lp"])
def test_no_single_addition_beats_the_plan_or_the_bound(chain, path, monkeypatch):
    model, core, gov, best = chain
    if path == "lp":  # the way 2,000 firms and more are solved: LP relaxation, heuristic
        monkeypatch.setattr(optimiser, "SMALL", 1)
    result = optimise(model, SCENARIO, core, gov, time_limit=3)
    tol = 1e-6 * abs(best)
    assert result.bound is not None and result.gap is not None, result.message
    assert best <= result.bound + tol
    assert best <= result.objective + tol
    assert result.objective <= result.bound + tol
    assert check_plan(apply(model, result), result.scenario.name, core, gov, False, CAP,
                      baseline=SCENARIO) == []


def test_heuristic_plan_when_the_solver_has_no_time(chain):
    model, core, gov, best = chain
    result = optimise(model, SCENARIO, core, gov, time_limit=0.01)
    assert result.status == HEURISTIC, result.message
    assert result.changed and result.objective >= best - 1e-6 * abs(best)
    assert "heuristic plan, solver found none in time" in result.summary("en")
    assert "启发式方案：求解器在时限内未找到方案" in result.summary("zh_CN")
    assert result.bound is not None and result.bound >= result.objective
    assert check_plan(apply(model, result), result.scenario.name, core, gov, False, CAP,
                      baseline=SCENARIO) == []


def test_optimise_json_prints_objective_bound_gap_status_and_time(tmp_path, capsys):
    import json

    from models.files import load_model, save_model
    from planner.cli import main

    source, out = tmp_path / "chain.xlsx", tmp_path / "planned.xlsx"
    model = generate(40, seed=3)
    save_model(model, str(source))
    core, gov = _budgets(model, 0.25)
    code = main(["optimise", str(source), "--scenario", SCENARIO, "--core-budget", f"{core}",
                 "--government-budget", f"{gov}", "--time-limit", "30", "--json",
                 "--out", str(out)])
    printed = json.loads(capsys.readouterr().out)
    assert code == 0
    # (a busy machine may stop the solver short of proving the optimum: then it says so)
    assert printed["status"] in ("optimal", "time limit", HEURISTIC), printed["how"]
    assert printed["exact"] is (printed["status"] == "optimal")
    assert printed["bound_kind"] in ("solver", "loose") and printed["heuristic"] is \
        (printed["status"] == HEURISTIC)
    assert printed["objective"] > printed["base_objective"]
    assert printed["bound"] >= printed["objective"]
    assert printed["gap"] == pytest.approx(
        (printed["bound"] - printed["objective"]) / abs(printed["objective"]), abs=1e-12)
    assert printed["time"] > 0 and printed["additions"] > 0
    planned = load_model(str(out)).model
    assert check_plan(planned, printed["new_scenario"], core, gov, False, CAP,
                      baseline=SCENARIO) == []


def _heuristic(model: ChainModel, share: float = 0.25) -> optimiser._Heuristic:
    """The optimiser's program of ``model`` and its heuristic (``.prog``), budgets ``share``
    above what the scenario spends."""
    arrays = ChainArrays.of(model)
    scenario = model.scenario(SCENARIO)
    assert scenario is not None
    base = evaluate_scenario(arrays, scenario)
    core, gov = _budgets(model, share)
    limit = np.maximum(CAP * arrays.revenue[:, None], optimiser.sme_own_costs(base, len(
        arrays.ids)))
    prog = optimiser._build(arrays, scenario, core, gov, False, 0.0, (0.5, 0.0), limit, base)
    return optimiser._Heuristic(prog, arrays, scenario, base, {"core": core, "government": gov},
                                False, limit)


def _program(model: ChainModel, share: float = 0.25) -> optimiser._Program:
    return _heuristic(model, share).prog


def test_the_cap_cuts_keep_every_yes_no_plan_of_a_capped_firm():
    """Each cut made on a fractional solution holds for every set of the firm's claiming
    items with one start per project, paid min(cap, claims) as the engine pays them."""
    prog = _program(generate(60, seed=5))
    assert prog.cap > 0 and len(prog.cap_items)
    rng = np.random.default_rng(1)
    checked = 0
    for firm in range(min(5, len(prog.cap_g))):
        everything = prog.cap_items[prog.cap_firm == firm]
        claims_of = prog.cap_claim[prog.cap_firm == firm]
        for _ in range(20):  # fractional solutions with G at 0: every cut they make
            x = np.zeros(len(prog.c))
            x[everything] = rng.random(len(everything))
            # the sets: of 10 of its items drawn at random (up to 2^10 plans)
            pick = rng.choice(len(everything), size=min(10, len(everything)), replace=False)
            mine, claims = everything[pick], claims_of[pick]
            cuts = optimiser._cap_cuts(prog, x)
            assert cuts is not None
            row = cuts[[np.flatnonzero(cuts[:, [prog.cap_g[firm]]].toarray().ravel())[0]]]
            for bits in range(1 << len(mine)):
                take = np.array([(bits >> j) & 1 for j in range(len(mine))], float)
                projects = prog.item_p[mine][take > 0]
                if len(set(projects.tolist())) < len(projects):
                    continue  # two starts of one project: no plan
                v = np.zeros(len(prog.c))
                v[mine] = take
                v[prog.cap_g[firm]] = min(prog.cap, float(claims @ take))
                assert float((row @ v)[0]) >= -1e-9
                checked += 1
    assert checked > 100


def test_the_bound_from_any_duals_is_below_the_lps_optimum():
    """The LP bound is worked out from row multipliers: any multipliers give a bound no
    larger than the optimum of the (minimised) relaxation, the LP's own duals give it."""
    prog = _program(generate(40, seed=3))
    lp = optimiser._Relaxation(prog, np.ones(prog.a.shape[0], bool))
    solved = lp.solve(30.0)
    assert solved.x is not None and solved.bound is not None
    assert solved.bound == pytest.approx(solved.objective, rel=1e-7, abs=1e-6)
    rng = np.random.default_rng(2)
    for _ in range(20):
        y = rng.normal(scale=rng.choice([0.1, 10.0, 1000.0]), size=prog.a.shape[0])
        bound = lp.dual_bound(y)
        assert bound is not None and bound <= solved.objective + 1e-6


def _lagrangian(prog: optimiser._Program, draws: int = 0) -> list[float]:
    """NPV bounds: the Lagrangian bound of the LP relaxation's multipliers, of those searched
    near them and of random multipliers of every sign and scale, with the LP's own bound
    first."""
    lp = optimiser._Relaxation(prog, ~prog.cut_rows)
    solved = lp.solve(60.0)
    assert solved.lagrange is not None and solved.bound is not None
    bounds = [-solved.bound, -solved.lagrange]
    assert solved.duals is not None
    searched = lp.search(solved.duals, np.inf)  # near the LP's multipliers
    assert searched is not None and searched >= solved.lagrange - 1e-9 * abs(solved.lagrange)
    bounds.append(-searched)
    rng = np.random.default_rng(3)
    for _ in range(draws):
        y = rng.normal(scale=rng.choice([0.01, 1.0, 100.0]), size=len(lp.lo))
        y *= rng.random(len(lp.lo)) < rng.choice([0.05, 0.5, 1.0])
        found = lp.lagrangian.bound(lp.a, lp.lo, lp.hi, lp.pay, y)
        if found is not None:
            bounds.append(-found)
    return bounds


def test_lagrangian_bound_holds_against_every_single_addition(chain):
    model, _, _, best = chain
    prog = _program(model)
    assert len(prog.cap_items)  # capped firms: their payments are kept exact
    lp_bound, lagrange, *others = _lagrangian(prog, draws=10)
    assert lagrange <= lp_bound + 1e-6 * abs(lp_bound)  # never looser than the LP's
    assert lagrange < lp_bound  # tighter here: capped subsidies are paid in full
    assert min([lagrange, *others]) >= best - 1e-6 * abs(best)


@pytest.mark.parametrize("share", [0.05, 0.25, 2.0])
def test_lagrangian_bound_holds_against_the_solvers_plans(share):
    """On chains HiGHS solves whole, no plan it finds beats the Lagrangian bound of any
    multipliers."""
    prog = _program(generate(50, seed=5), share)
    solved = optimiser._solve(prog, prog.c, None, 60.0, 1e-6)
    assert solved.x is not None
    plan = -solved.objective
    bounds = _lagrangian(prog, draws=20)
    assert min(bounds) >= plan - 1e-6 * max(1.0, abs(plan))


def test_without_the_lps_multipliers_the_budgets_lagrangian_bound_holds(chain, monkeypatch):
    """When the LP is not solved in time, the Lagrangian bound of multipliers on the
    budgets alone (no LP needed) is reported, and no single addition beats it."""
    import math

    model, core, gov, best = chain
    monkeypatch.setattr(optimiser, "SMALL", 1)
    monkeypatch.setattr(optimiser._Relaxation, "solve", lambda self, seconds: optimiser._Solve(
        None, math.inf, None, "time limit reached"))
    result = optimise(model, SCENARIO, core, gov, time_limit=20)
    assert result.bound_kind == optimiser.LAGRANGE, result.message
    assert "budgets' multipliers alone" in result.message
    tol = 1e-6 * abs(best)
    assert best <= result.bound + tol and result.objective <= result.bound + tol
    assert check_plan(apply(model, result), result.scenario.name, core, gov, False, CAP,
                      baseline=SCENARIO) == []


@pytest.mark.parametrize("share", [0.05, 0.25])
def test_the_local_search_never_returns_a_worse_or_broken_plan(share):
    """From plans of the greedy in its own order and in shuffled ones (poor starts, so the
    exchanges have something to find), the local search's plan is worth at least its
    start's NPV as the engine counts it, and keeps every budget, cost cap and rule."""
    heuristic = _heuristic(generate(100, seed=11), share)
    ratio = heuristic.ratio_order()
    rng = np.random.default_rng(3)
    starts = [heuristic.run(ratio, np.inf)]
    starts += [heuristic.run(rng.permutation(ratio), np.inf) for _ in range(2)]
    improved = 0
    for start in starts:
        found = heuristic.improve(start, np.inf)  # until every exchange is tried
        assert found.planned.npv >= start.planned.npv
        broken, firms = heuristic.over(found.planned)
        assert not broken and not firms.any()
        assert heuristic.rules_met(found.items).all()
        # the engine's figures of the plan it returns are those of its items
        assert heuristic.evaluate(found.items).npv == pytest.approx(found.planned.npv)
        improved += found.planned.npv > start.planned.npv
    assert improved  # a shuffled start leaves exchanges that pay


def test_the_local_search_stops_when_cancelled():
    heuristic = _heuristic(generate(80, seed=11), 0.05)
    start = heuristic.run(np.random.default_rng(1).permutation(heuristic.ratio_order()),
                          np.inf)
    before = heuristic.evaluations
    found = heuristic.improve(start, np.inf, cancelled=lambda: True)
    assert heuristic.evaluations == before and found.planned is start.planned
