"""The plan optimiser (docs/method.md, “Optimiser”) against brute force on chains small enough to enumerate.

Brute force: every set of additions with at most one start year per (enterprise, project)
not already in S, each evaluated by the engine and kept only if ``check_plan`` passes; the
best NPV (or connected share, then NPV) must be the optimiser's.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from models.chain import Assignment, ChainModel, Enterprise, Link, ProjectType, Scenario
from planner.engine import ChainArrays, evaluate, evaluate_scenario
from planner.generate import generate
from planner.optimise import OptimiseResult, apply, check_plan, optimise

BASE = "S"
NEW = "S (optimised)"


def _chain(horizon: int = 2, cap: float | None = None, **scenario: float) -> ChainModel:
    """Core C (large, not on the platform); S1 small supplier; S2 micro supplier of S1."""
    model = ChainModel()
    model.enterprises = [
        Enterprise(id="C", name="Core", role="core", size="large", revenue=20000.0, maturity=2),
        Enterprise(id="S1", name="S1", role="supplier", size="small", revenue=1000.0),
        Enterprise(id="S2", name="S2", role="supplier", size="micro", revenue=400.0),
    ]
    model.links = [Link(supplier="S1", buyer="C", annual_value=3000.0),
                   Link(supplier="S2", buyer="S1", annual_value=800.0)]
    model.projects = [
        ProjectType(id="ERP", name="ERP", category="management", capex=10.0, opex=2.0,
                    benefit_rate=0.01, benefit_fixed=3.0, maturity_gain=1),
        ProjectType(id="MES", name="MES", category="operations", capex=30.0, opex=4.0,
                    benefit_rate=0.1, min_maturity=2, requires="ERP",
                    eligible_sizes=("small", "medium", "large")),
        ProjectType(id="PLAT", name="Platform", category="collaboration", capex=4.0, opex=1.0,
                    connects_platform=True),
    ]
    params: dict[str, object] = {"name": BASE, "start_year": 2026, "horizon": horizon,
                                 "discount_rate": 0.05, "link_benefit_rate": 0.02,
                                 "subsidy_cap": cap}
    params.update(scenario)
    model.scenarios = [Scenario(**params)]  # type: ignore[arg-type]
    # the core's own ERP and onboarding are in S already (this keeps brute force small)
    model.assignments = [Assignment(scenario=BASE, enterprise="C", project=p, start_year=2026)
                         for p in ("ERP", "PLAT")]
    return model


def _budget(model: ChainModel, party: str, extra: float, per_year: bool = False) -> float:
    """What S spends already (in its dearest year, with ``per_year``) plus ``extra``."""
    spend = evaluate(model, BASE, problems=[])[0].party_cost[party]
    return float(spend.max() if per_year else spend.sum()) + extra


def _brute(model: ChainModel, core_budget: float | None, gov_budget: float | None,
           per_year: bool = False, core_share: float = 0.0, sme_cost_cap: float = 0.02,
           coverage: bool = False) -> tuple[float, float]:
    """Best (coverage, npv) or (0, npv) over every feasible set of additions."""
    scenario = model.scenario(BASE)
    assert scenario is not None
    have = {(a.enterprise, a.project) for a in model.assignments if a.scenario == BASE}
    years = range(scenario.start_year, scenario.start_year + scenario.horizon)
    # ineligible pairs are left out: the checker would refuse every set holding one
    pairs = [(e.id, p.id) for e in model.enterprises for p in model.projects
             if (e.id, p.id) not in have and (not p.eligible_sizes or e.size in p.eligible_sizes)]
    new = replace(scenario, name=NEW)
    originals = [replace(a, scenario=NEW) for a in model.assignments if a.scenario == BASE]
    arrays = ChainArrays.of(model)
    scored = []
    for choice in itertools.product([None, *years], repeat=len(pairs)):
        rows = [Assignment(scenario=NEW, enterprise=e, project=p, start_year=s,
                           core_share=core_share) for (e, p), s in zip(pairs, choice, strict=True)
                if s is not None]
        trial = replace(model, scenarios=[*model.scenarios, new],
                        assignments=[*model.assignments, *originals, *rows])
        result = evaluate_scenario(replace(arrays, model=trial), new)
        share = float(result.connected_share[-1]) if coverage else 0.0
        scored.append((share, result.npv, trial))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    for share, npv, trial in scored:  # the best that passes the checker
        if not check_plan(trial, NEW, core_budget, gov_budget, per_year, sme_cost_cap,
                          baseline=BASE):
            return share, npv
    raise AssertionError("not even S's own plan passes")


def _optimise_and_check(model: ChainModel, core_budget: float | None,
                        gov_budget: float | None, per_year: bool = False,
                        core_share: float = 0.0, sme_cost_cap: float = 0.02,
                        coverage: bool = False) -> OptimiseResult:
    result = optimise(model, BASE, core_budget, gov_budget, per_year=per_year,
                      objective="coverage" if coverage else "npv", core_share=core_share,
                      sme_cost_cap=sme_cost_cap, time_limit=20)
    assert result.status == "optimal"
    assert result.exact, result.message
    planned = apply(model, result)
    assert check_plan(planned, NEW, core_budget, gov_budget, per_year, sme_cost_cap,
                      baseline=BASE) == []
    share, npv = _brute(model, core_budget, gov_budget, per_year, core_share, sme_cost_cap,
                        coverage)
    got = evaluate(planned, NEW, problems=[])[0]
    assert result.objective == pytest.approx(got.npv, rel=1e-9)
    if coverage:
        assert float(got.connected_share[-1]) == pytest.approx(share)
    assert result.objective == pytest.approx(npv, rel=1e-7, abs=1e-7)
    assert result.bound >= result.objective - 1e-6 * max(1.0, abs(result.objective))
    return result


def test_unconstrained_plan_matches_brute_force():
    _optimise_and_check(_chain(), None, None, sme_cost_cap=1.0)


def test_binding_core_budget_matches_brute_force():
    model = _chain()
    _optimise_and_check(model, _budget(model, "core", 6.0), None, core_share=0.5,
                        sme_cost_cap=1.0)


def test_binding_government_budget_with_ordered_subsidy_cap():
    model = _chain(cap=4.0, subsidy_micro=0.5, subsidy_small=0.5, subsidy_large=0.3)
    model.assignments.append(Assignment(scenario=BASE, enterprise="S1", project="PLAT",
                                        start_year=2027, core_share=0.2))
    # S1's ERP would sort before its PLAT (2026 < 2027) and take the whole cap of 4, so the
    # government pays 2 more for it, over the extra 1 allowed
    result = _optimise_and_check(model, None, _budget(model, "government", 1.0),
                                 core_share=0.5, sme_cost_cap=1.0)
    # the relaxed cap would have let ERP in; the engine refused it, so the exact model ran
    assert "solved exactly" in result.message


def test_per_year_budgets_match_brute_force():
    model = _chain(subsidy_small=0.3, subsidy_large=0.1)
    _optimise_and_check(model, _budget(model, "core", 6.0, True),
                        _budget(model, "government", 1.5, True), per_year=True, core_share=0.5,
                        sme_cost_cap=1.0)


def test_sme_cost_cap_binds():
    # S1 may pay 1.2 % of 1000 = 12 a year itself: ERP (10) fits, ERP and MES together do not
    model = _chain(horizon=3)
    model.enterprises.pop()  # S2
    model.links.pop()
    _optimise_and_check(model, None, None, sme_cost_cap=0.012)


def test_requires_and_min_maturity_chain_over_three_years():
    model = _chain(horizon=3)
    model.enterprises[2].size = "small"  # S2 may run MES too, once ERP has lifted its level
    model.assignments.append(Assignment(scenario=BASE, enterprise="C", project="MES",
                                        start_year=2027))
    _optimise_and_check(model, None, None, sme_cost_cap=1.0)


def test_coverage_objective_connects_first_then_npv():
    model = _chain(link_benefit_rate=0.0)
    _optimise_and_check(model, _budget(model, "core", 8.0), None, core_share=0.6,
                        sme_cost_cap=1.0, coverage=True)


def test_existing_rows_are_kept_and_not_duplicated():
    model = _chain()
    model.assignments = [Assignment(scenario=BASE, enterprise="S1", project="ERP",
                                    start_year=2026, core_share=0.3)]
    result = optimise(model, BASE, None, None, sme_cost_cap=1.0)
    assert result.additions
    assert result.assignments[0] == Assignment(scenario=NEW, enterprise="S1", project="ERP",
                                               start_year=2026, core_share=0.3)
    assert [(a.enterprise, a.project) for a in result.assignments].count(("S1", "ERP")) == 1
    assert all(a.scenario == NEW for a in result.assignments)


def test_zero_budgets_leave_the_plan_unchanged():
    # S spends nothing of the core's or the government's (the subsidy is only for SMEs);
    # every addition would: the core pays all of it
    model = _chain(subsidy_small=0.3, subsidy_micro=0.3, subsidy_large=0.0)
    model.assignments = [Assignment(scenario=BASE, enterprise="S1", project="ERP",
                                    start_year=2026)]
    model.scenarios[0].subsidy_small = 0.0
    result = optimise(model, BASE, 0.0, 0.0, core_share=1.0, sme_cost_cap=1.0)
    assert [(a.enterprise, a.project, a.start_year) for a in result.assignments] == \
        [("S1", "ERP", 2026)]
    assert result.objective == pytest.approx(result.base_objective)


def test_budget_already_exceeded_by_s_is_infeasible_and_unchanged():
    model = _chain()
    model.assignments = [Assignment(scenario=BASE, enterprise="C", project="ERP",
                                    start_year=2026)]
    result = optimise(model, BASE, 1.0, None)
    assert result.status == "infeasible"
    assert not result.exact
    assert [(a.enterprise, a.project) for a in result.assignments] == [("C", "ERP")]


def test_new_scenario_name_avoids_taken_names_and_apply_adds_it():
    model = _chain()
    model.scenarios.append(replace(model.scenarios[0], name=NEW))
    result = optimise(model, BASE, None, None, sme_cost_cap=1.0)
    assert result.scenario.name == "S (optimised) 2"
    planned = apply(model, result)
    assert [s.name for s in planned.scenarios] == [BASE, NEW, "S (optimised) 2"]
    assert len(model.scenarios) == 2  # the input model is untouched


def test_progress_and_cancel_are_honoured():
    seen: list[float] = []
    result = optimise(_chain(), BASE, None, None, progress=seen.append, cancel=lambda: True)
    assert result.status == "cancelled"
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert [(a.enterprise, a.project) for a in result.assignments] == [("C", "ERP"), ("C", "PLAT")]
    assert result.additions == []


def test_checker_reports_rule_breaks():
    model = _chain()
    model.assignments = [
        Assignment(scenario=BASE, enterprise="S2", project="MES", start_year=2026),  # size
        Assignment(scenario=BASE, enterprise="S1", project="MES", start_year=2026),  # requires
    ]
    problems = check_plan(model, BASE, None, None)
    assert any("not for micro" in p for p in problems)
    assert any("needs ERP live first" in p for p in problems)
    assert any("level 1" in p for p in problems)


def test_generated_chain_plan_passes_the_checker():
    model = generate(120, seed=3)
    base = evaluate(model, "Core-led with subsidy", problems=[])[0]
    core = float(base.party_cost["core"].sum()) + 200.0
    gov = float(base.party_cost["government"].sum()) + 100.0
    result = optimise(model, "Core-led with subsidy", core, gov, core_share=0.4,
                      time_limit=30)
    assert result.status in ("optimal", "time limit")
    assert result.objective >= result.base_objective
    assert result.additions
    planned = apply(model, result)
    assert check_plan(planned, result.scenario.name, core, gov, False, 0.02,
                      baseline="Core-led with subsidy") == []


def test_large_problems_solve_a_restricted_set_and_report_a_valid_loose_bound(monkeypatch):
    import planner.optimise as optimiser

    model = _chain()
    exact = optimise(model, BASE, None, None, sme_cost_cap=1.0, time_limit=20)
    monkeypatch.setattr(optimiser, "LARGE", 1)  # treat this small chain as a large one
    monkeypatch.setattr(optimiser, "KEEP", 1)  # and keep only the best candidate
    result = optimise(model, BASE, None, None, sme_cost_cap=1.0, time_limit=20)
    planned = apply(model, result)
    assert check_plan(planned, NEW, None, None, False, 1.0, baseline=BASE) == []
    assert not result.exact and "highest own NPV" in result.message
    assert len(result.additions) <= 1
    # the loose bound can't be beaten by any plan, the exact optimum included
    assert result.bound >= exact.objective - 1e-9 >= result.objective - 1e-9
    assert result.gap == pytest.approx((result.bound - result.objective) / abs(result.objective))
