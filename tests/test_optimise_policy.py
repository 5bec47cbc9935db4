"""The plan optimiser under the policy instruments and with park projects, against brute force.

Brute force: every set of additions — at most one start year in the horizon per (enterprise,
enterprise project) and per (park, park project) not already in S — evaluated by the engine
and kept only if ``check_plan`` passes (budgets and cost caps on the engine's own figures);
the best NPV must be the optimiser's, its bound at least that, and the plan it returns must
pass the checker.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from models.chain import (
    Assignment,
    ChainModel,
    Enterprise,
    Link,
    Park,
    ParkAssignment,
    ProjectType,
    Scenario,
)
from planner.engine import ChainArrays, evaluate, evaluate_scenario
from planner.optimise import OptimiseResult, apply, check_plan, optimise
from tests.lagrangian import lagrangian_bounds

BASE = "S"
NEW = "S (optimised)"


def _chain(horizon: int = 2, **scenario: object) -> ChainModel:
    """Core C (large, state-owned) and S1 (small, private) in park P1; S2 (micro, foreign)
    in P2. C's ERP and platform are in S already; SMEs can run ERP and the platform, parks a
    shared network that lifts and connects every member."""
    model = ChainModel()
    model.parks = [Park(id="P1", name="Lingang"), Park(id="P2", name="Jiading")]
    model.enterprises = [
        Enterprise(id="C", name="Core", role="core", size="large", ownership="soe",
                   revenue=20000.0, maturity=2, park="P1"),
        Enterprise(id="S1", name="S1", role="supplier", size="small", ownership="private",
                   revenue=1000.0, park="P1"),
        Enterprise(id="S2", name="S2", role="supplier", size="micro", ownership="foreign",
                   revenue=400.0, park="P2"),
    ]
    model.links = [Link(supplier="S1", buyer="C", annual_value=3000.0),
                   Link(supplier="S2", buyer="S1", annual_value=800.0)]
    model.projects = [
        ProjectType(id="ERP", name="ERP", category="management", capex=10.0, opex=2.0,
                    benefit_rate=0.01, benefit_fixed=3.0, maturity_gain=1),
        ProjectType(id="PLAT", name="Platform", category="collaboration", capex=4.0, opex=1.0,
                    connects_platform=True),
        ProjectType(id="NET", name="Park 5G", category="infrastructure", capex=12.0,
                    opex=1.0, benefit_fixed=2.0, maturity_gain=1, connects_platform=True,
                    scope="park"),
    ]
    params: dict[str, object] = {"name": BASE, "start_year": 2026, "horizon": horizon,
                                 "discount_rate": 0.05, "link_benefit_rate": 0.02,
                                 "subsidy_micro": 0.3, "subsidy_small": 0.3,
                                 "subsidy_large": 0.0}
    params.update(scenario)
    model.scenarios = [Scenario(**params)]  # type: ignore[arg-type]
    model.assignments = [Assignment(scenario=BASE, enterprise="C", project=p, start_year=2026)
                         for p in ("ERP", "PLAT")]
    return model


def _spend(model: ChainModel, party: str) -> float:
    return float(evaluate(model, BASE, problems=[])[0].party_cost[party].sum())


def _brute(model: ChainModel, core_budget: float | None, gov_budget: float | None,
           core_share: float, sme_cost_cap: float, park_shares: tuple[float, float]
           ) -> float:
    """The best NPV over every feasible set of additions."""
    scenario = model.scenario(BASE)
    assert scenario is not None
    have = {(a.enterprise, a.project) for a in model.assignments if a.scenario == BASE}
    have_parks = {(b.park, b.project) for b in model.park_assignments if b.scenario == BASE}
    years = range(scenario.start_year, scenario.start_year + scenario.horizon)
    pairs = [(e.id, p.id) for e in model.enterprises for p in model.projects
             if p.scope == "enterprise" and (e.id, p.id) not in have]
    park_pairs = [(k.id, p.id) for k in model.parks for p in model.projects
                  if p.scope == "park" and (k.id, p.id) not in have_parks]
    new = replace(scenario, name=NEW)
    originals = [replace(a, scenario=NEW) for a in model.assignments if a.scenario == BASE]
    park_originals = [replace(b, scenario=NEW) for b in model.park_assignments
                      if b.scenario == BASE]
    arrays = ChainArrays.of(model)
    scored = []
    for choice in itertools.product([None, *years], repeat=len(pairs) + len(park_pairs)):
        rows = [Assignment(scenario=NEW, enterprise=e, project=p, start_year=s,
                           core_share=core_share)
                for (e, p), s in zip(pairs, choice[:len(pairs)], strict=True) if s is not None]
        park_rows = [ParkAssignment(scenario=NEW, park=k, project=p, start_year=s,
                                    government_share=park_shares[0], core_share=park_shares[1])
                     for (k, p), s in zip(park_pairs, choice[len(pairs):], strict=True)
                     if s is not None]
        trial = replace(model, scenarios=[*model.scenarios, new],
                        assignments=[*model.assignments, *originals, *rows],
                        park_assignments=[*model.park_assignments, *park_originals,
                                          *park_rows])
        scored.append((evaluate_scenario(replace(arrays, model=trial), new).npv, trial))
    scored.sort(key=lambda item: item[0], reverse=True)
    for npv, trial in scored:  # the best that passes the checker
        if not check_plan(trial, NEW, core_budget, gov_budget, False, sme_cost_cap,
                          baseline=BASE):
            return npv
    raise AssertionError("not even S's own plan passes")


def _check(model: ChainModel, core_budget: float | None, gov_budget: float | None,
           core_share: float = 0.0, sme_cost_cap: float = 1.0,
           park_shares: tuple[float, float] = (0.5, 0.0)) -> OptimiseResult:
    result = optimise(model, BASE, core_budget, gov_budget, core_share=core_share,
                      sme_cost_cap=sme_cost_cap, time_limit=20,
                      park_government_share=park_shares[0], park_core_share=park_shares[1])
    assert result.status == "optimal", result.message
    planned = apply(model, result)
    name = NEW if result.changed else BASE
    # the returned plan keeps every budget and cost cap by the engine's own figures
    assert check_plan(planned, name, core_budget, gov_budget, False, sme_cost_cap,
                      baseline=BASE) == []
    got = evaluate(planned, name, problems=[])[0]
    assert result.objective == pytest.approx(got.npv, rel=1e-9)
    if gov_budget is not None:
        assert float(got.party_cost["government"].sum()) <= gov_budget + 1e-6
    if core_budget is not None:
        assert float(got.party_cost["core"].sum()) <= core_budget + 1e-6
    best = _brute(model, core_budget, gov_budget, core_share, sme_cost_cap, park_shares)
    assert result.objective == pytest.approx(best, rel=1e-7, abs=1e-7)
    assert result.exact, result.message
    # the bound is one no feasible plan beats
    assert result.bound is not None and result.bound >= best - 1e-6 * max(1.0, abs(best))
    return result


def test_opex_subsidy_counts_against_the_government_budget():
    model = _chain(opex_subsidy=0.5, opex_subsidy_years=1)
    result = _check(model, None, _spend(model, "government") + 4.0, core_share=0.5)
    got = evaluate(apply(model, result), NEW if result.changed else BASE, problems=[])[0]
    assert float(got.opex_subsidy.sum()) > 0 or not result.changed


def test_level_gated_subsidy_paid_once_the_level_is_reached():
    # subsidies are paid only at level 2: S1 reaches it when its ERP (or the park's
    # network) goes live; the government budget and S1's cost cap make the timing matter
    model = _chain(subsidy_min_level=2, subsidy_small=0.5, subsidy_micro=0.5)
    _check(model, None, _spend(model, "government") + 5.0, sme_cost_cap=0.012)


def test_level_gate_and_cap_with_running_cost_claims():
    model = _chain(horizon=3, subsidy_min_level=2, subsidy_small=0.5, subsidy_micro=0.5,
                   subsidy_cap=5.5, opex_subsidy=0.5)
    model.assignments.append(Assignment(scenario=BASE, enterprise="S1", project="PLAT",
                                        start_year=2027, core_share=0.2))
    _check(model, None, _spend(model, "government") + 4.0, core_share=0.5,
           sme_cost_cap=0.02)


def test_ownership_targeting_only_private_firms_get_subsidies():
    model = _chain(subsidy_ownership=("private",), subsidy_small=0.6, subsidy_micro=0.6)
    result = _check(model, None, _spend(model, "government") + 6.0, sme_cost_cap=0.011)
    planned = apply(model, result)
    got = evaluate(planned, NEW if result.changed else BASE, problems=[])[0]
    s2 = ChainArrays.of(planned).index["S2"]
    assert got.trace.subsidy[got.trace.enterprise == s2].sum() == 0  # foreign: no subsidy


def test_tax_relief_lowers_what_smes_pay_and_costs_the_government():
    model = _chain(tax_relief_rate=0.25, subsidy_small=0.0, subsidy_micro=0.0)
    _check(model, None, _spend(model, "government") + 3.0, sme_cost_cap=0.011)


def test_loans_with_interest_subsidy_under_the_sme_cost_cap():
    # a loan spreads S1's capex over instalments: its yearly own cost fits a tighter cap
    model = _chain(horizon=3, loan_share=0.8, loan_rate=0.05, loan_years=2,
                   interest_subsidy=0.5, subsidy_small=0.0, subsidy_micro=0.0)
    _check(model, None, _spend(model, "government") + 0.2, sme_cost_cap=0.006)


def test_park_project_on_a_park_within_the_government_budget():
    model = _chain(subsidy_small=0.0, subsidy_micro=0.0)
    model.projects[1].requires = "NET"  # the platform needs the park's network first
    model.projects[2].benefit_fixed = 6.0
    model.assignments = [Assignment(scenario=BASE, enterprise="C", project="ERP",
                                    start_year=2026)]
    result = _check(model, _spend(model, "core") + 10.0, _spend(model, "government") + 8.0,
                    core_share=0.5, park_shares=(0.5, 0.25))
    assert any(a.park for a in result.additions)
    assert all(b.project == "NET" for b in result.park_assignments)
    assert all(a.project != "NET" for a in result.assignments)


def test_park_projects_only_on_parks_and_firm_projects_only_on_firms():
    model = _chain(subsidy_small=0.0, subsidy_micro=0.0)
    result = optimise(model, BASE, None, None, sme_cost_cap=1.0, time_limit=20)
    scopes = {p.id: p.scope for p in model.projects}
    assert {scopes[a.project] for a in result.assignments} <= {"enterprise"}
    assert {scopes[b.project] for b in result.park_assignments} <= {"park"}
    assert all((b.government_share, b.core_share) == (0.5, 0.0)
               for b in result.park_assignments)


def test_park_shares_over_one_are_refused():
    with pytest.raises(ValueError, match="add up to at most 1"):
        optimise(_chain(), BASE, None, None, park_government_share=0.7, park_core_share=0.5)


@pytest.mark.parametrize("case", ["cap and opex claims", "gate and cap", "park", "loans"])
def test_lagrangian_bound_is_never_below_the_brute_force_optimum(case):
    """Whatever the multipliers, under every policy instrument and with park projects."""
    park_shares, core_share, cap = (0.5, 0.0), 0.5, 0.02
    if case == "cap and opex claims":
        model = _chain(horizon=3, subsidy_cap=5.0, opex_subsidy=0.5, subsidy_small=0.5,
                       subsidy_micro=0.5)
        core, gov = None, _spend(model, "government") + 4.0
    elif case == "gate and cap":
        model = _chain(horizon=3, subsidy_min_level=2, subsidy_small=0.5, subsidy_micro=0.5,
                       subsidy_cap=5.5, opex_subsidy=0.5)
        model.assignments.append(Assignment(scenario=BASE, enterprise="S1", project="PLAT",
                                            start_year=2027, core_share=0.2))
        core, gov = None, _spend(model, "government") + 4.0
    elif case == "park":
        model = _chain(subsidy_cap=3.0)
        model.projects[1].requires = "NET"
        model.projects[2].benefit_fixed = 6.0
        model.assignments = [Assignment(scenario=BASE, enterprise="C", project="ERP",
                                        start_year=2026)]
        core, gov = _spend(model, "core") + 10.0, _spend(model, "government") + 8.0
        park_shares, cap = (0.5, 0.25), 1.0
    else:
        model = _chain(horizon=3, loan_share=0.8, loan_rate=0.05, loan_years=2,
                       interest_subsidy=0.5, subsidy_cap=2.0)
        core, gov, core_share, cap = None, _spend(model, "government") + 0.5, 0.0, 0.006
    best = _brute(model, core, gov, core_share, cap, park_shares)
    bounds = lagrangian_bounds(model, BASE, core, gov, core_share, cap,
                               park_shares=park_shares)
    assert len(bounds) > 10
    assert min(bounds) >= best - 1e-7 * max(1.0, abs(best))
