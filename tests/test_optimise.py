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
from planner.optimise import (
    FIRST_YEAR,
    LIMITED,
    PREREQUISITE,
    TIMING,
    Addition,
    Limit,
    OptimiseResult,
    apply,
    check_plan,
    optimise,
    sme_own_costs,
)
from tests.lagrangian import lagrangian_bounds

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
    name = NEW if result.changed else BASE  # nothing added: no copy of S
    assert check_plan(planned, name, core_budget, gov_budget, per_year, sme_cost_cap,
                      baseline=BASE) == []
    share, npv = _brute(model, core_budget, gov_budget, per_year, core_share, sme_cost_cap,
                        coverage)
    got = evaluate(planned, name, problems=[])[0]
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
    # the cap's chord cut keeps ERP out even with the cap's yes/no variables fractional;
    # either way the plan is the brute force's and the message says how the cap was solved
    assert "subsidy cap" in result.message


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
    # nothing to add: no copy of S either, and the result says why
    assert result.status == "optimal" and not result.changed
    assert apply(model, result) == model
    assert result.summary("en").startswith("Nothing to add to “S”: no addition raises")
    assert result.summary("zh_CN").startswith("情景“S”无可添加项")


def test_budget_already_exceeded_by_s_is_infeasible_names_it_and_adds_nothing():
    model = _chain()
    model.assignments = [Assignment(scenario=BASE, enterprise="C", project="ERP",
                                    start_year=2026)]
    spend = _budget(model, "core", 0.0)  # C's ERP: capex 40 and opex 8 in 2027 (large: ×4)
    assert spend == pytest.approx(48.0)
    result = optimise(model, BASE, 1.0, None)
    assert result.status == "infeasible"
    assert not result.exact and result.bound is None and result.gap is None
    assert result.over == [Limit("core", None, pytest.approx(48.0), 1.0)]
    assert not result.changed and result.additions == []
    assert apply(model, result) == model  # no copy of S
    assert result.summary("en") == (
        "No plan: “S” alone already spends more than allowed — the core budget over the "
        "horizon (48.0 > 1.0). Raise the budget or optimise a scenario with fewer assignments. "
        "Nothing was added.")
    assert result.summary("zh_CN") == (
        "无可行方案：情景“S”本身已超出限额——规划期内核心企业预算（48.0 > 1.0）。请提高预算，"
        "或对分配更少的情景进行优化。未添加任何内容。")


def test_per_year_budgets_s_exceeds_are_named_year_by_year():
    model = _chain(subsidy_small=0.5)
    model.assignments.append(Assignment(scenario=BASE, enterprise="S1", project="MES",
                                        start_year=2027))
    result = optimise(model, BASE, 100.0, 10.0, per_year=True)
    # the core: ERP and PLAT capex (40 + 16) in 2026, their opex (8 + 4) in 2027; the
    # government: half of S1's MES capex 30 in 2027
    assert result.status == "infeasible"
    assert result.over == [Limit("government", 2027, pytest.approx(15.0), 10.0)]
    assert "the government budget in 2027 (15.0 > 10.0)" in result.summary("en")
    assert "2027 年政府预算（15.0 > 10.0）" in result.summary("zh_CN")
    assert not result.changed


def test_smes_s_puts_over_the_cost_cap_are_named_and_kept_no_worse():
    # S makes S1 (revenue 1000) pay for ERP itself: 10 in 2026 and 2 a year from 2027;
    # at a cap of 0.5 % (5 a year) S1 is over it in 2026
    model = _chain(horizon=3, subsidy_small=0.0)
    model.enterprises[1].name = "Hull Works 船体厂"
    model.assignments.append(Assignment(scenario=BASE, enterprise="S1", project="ERP",
                                        start_year=2026))
    result = optimise(model, BASE, None, None, sme_cost_cap=0.005)
    assert result.held == [Limit("sme", 2026, pytest.approx(10.0), pytest.approx(5.0),
                                 "S1 Hull Works 船体厂")]
    en, zh = " ".join(result.notes("en")), " ".join(result.notes("zh_CN"))
    assert "“S” alone already puts these SMEs over the cost cap" in en
    assert "S1 Hull Works 船体厂's own cost cap in 2026 (10.0 > 5.0)" in en
    assert "2026 年S1 Hull Works 船体厂 的自付成本上限（10.0 > 5.0）" in zh
    planned = apply(model, result)
    assert check_plan(planned, NEW, None, None, False, 0.005, baseline=BASE) == []
    # S1 pays no more in 2026 than S already makes it pay
    arrays = ChainArrays.of(planned)
    own = sme_own_costs(evaluate(planned, result.scenario.name, problems=[])[0],
                        len(arrays.ids))
    assert own[arrays.index["S1"], 0] <= 10.0 + 1e-9


def test_an_additions_npv_is_what_the_plan_loses_without_it():
    model = _chain(horizon=3)
    result = optimise(model, BASE, None, None, sme_cost_cap=1.0, time_limit=20)
    planned = apply(model, result)
    total = evaluate(planned, NEW, problems=[])[0].npv
    assert total == pytest.approx(result.objective)
    assert any(a.link_npv > 0 for a in result.additions)  # S1's PLAT switches its links on
    for a in result.additions:
        without = replace(planned, assignments=[
            x for x in planned.assignments
            if (x.scenario, x.enterprise, x.project) != (NEW, a.enterprise, a.project)])
        assert a.npv == pytest.approx(total - evaluate(without, NEW, problems=[])[0].npv,
                                      abs=1e-9)
        assert a.npv == pytest.approx(a.own_npv + a.link_npv)
        assert (a.enterprise_name, a.project_name) == (
            planned.enterprise_index()[a.enterprise].name, planned.project_index()[a.project].name)


def _moved(model: ChainModel, result: OptimiseResult, addition: Addition, year: int
           ) -> ChainModel:
    """The optimised model with one addition starting in ``year`` instead."""
    planned = apply(model, result)
    planned.assignments = [
        replace(a, start_year=year) if (a.scenario, a.enterprise, a.project) ==
        (NEW, addition.enterprise, addition.project) else a for a in planned.assignments]
    return planned


def test_why_this_year_first_year_and_prerequisites():
    model = _chain(horizon=3)
    result = optimise(model, BASE, None, None, sme_cost_cap=1.0, time_limit=20)
    by = {(a.enterprise, a.project): a for a in result.additions}
    erp = by["S1", "ERP"]
    assert (erp.start_year, erp.why.kind) == (2026, FIRST_YEAR)
    assert erp.why.text("en").startswith("2026 is the horizon's first year")
    assert erp.why.text("zh_CN").startswith("2026 年是规划期首年")
    # and what waiting a year would cost, as the engine counts it
    later = evaluate(_moved(model, result, erp, 2027), NEW, problems=[])[0].npv
    assert erp.why.later == pytest.approx(result.objective - later)
    # S1's MES needs ERP live (it is from 2027) and level 2 (ERP's gain lifts S1 to it then)
    mes = by["S1", "MES"]
    assert (mes.start_year, mes.why.kind, mes.why.earliest) == (2027, PREREQUISITE, 2027)
    assert (mes.why.requires, mes.why.level, mes.why.lifted_by) == ("ERP ERP", 2, ("ERP ERP",))
    assert "its prerequisite ERP ERP is live from 2027" in mes.why.text("en")
    assert "the firm reaches the level 2 it needs in 2027" in mes.why.text("en")
    assert "前置项目 ERP ERP 自 2027 年起上线" in mes.why.text("zh_CN")
    # the core is at level 2 already: only ERP holds its MES back
    core_mes = by["C", "MES"]
    assert (core_mes.why.kind, core_mes.why.requires, core_mes.why.level) == \
        (PREREQUISITE, "ERP ERP", 0)


def test_why_this_year_a_per_year_budget_holds_it_back():
    model = _chain(horizon=3)
    budget = _budget(model, "core", 5.0, per_year=True)
    result = optimise(model, BASE, budget, None, per_year=True, core_share=1.0,
                      sme_cost_cap=1.0, time_limit=20)
    erp = next(a for a in result.additions if (a.enterprise, a.project) == ("S1", "ERP"))
    assert (erp.start_year, erp.why.kind, erp.why.earliest) == (2027, LIMITED, 2026)
    [limit] = erp.why.limits
    assert (limit.kind, limit.year, limit.limit) == ("core", 2026, pytest.approx(budget))
    # the independent checker finds the same over-spend in the same year
    problems = check_plan(_moved(model, result, erp, 2026), NEW, budget, None, True, 1.0,
                          baseline=BASE)
    assert problems == [f"core spends {limit.amount:.6g} in 2026, over its budget {budget:.6g}"]
    assert erp.why.text("en") == ("starting a year earlier would exceed the core budget in "
                                  f"2026 ({limit.amount:,.1f} > {budget:,.1f})")
    assert erp.why.text("zh_CN").startswith("提前一年开始将超出2026 年核心企业预算")


def test_why_this_year_a_later_start_pays_off_better():
    # S2 can join the platform only in 2028 (its ERP, required, is live then): S1's platform
    # earlier would pay running costs for a link that is not on yet
    model = _chain(horizon=4)
    model.projects[2].requires = "ERP"
    model.links = [model.links[1]]  # S2 -> S1 only
    model.assignments += [
        Assignment(scenario=BASE, enterprise="S2", project="ERP", start_year=2027),
        Assignment(scenario=BASE, enterprise="S1", project="ERP", start_year=2026)]
    result = optimise(model, BASE, None, None, sme_cost_cap=1.0, time_limit=20)
    plat = next(a for a in result.additions if (a.enterprise, a.project) == ("S1", "PLAT"))
    assert (plat.start_year, plat.why.kind, plat.why.other) == (2028, TIMING, 2027)
    earlier = evaluate(_moved(model, result, plat, 2027), NEW, problems=[])[0].npv
    assert plat.why.amount == pytest.approx(result.objective - earlier)
    assert plat.why.text("en") == ("it could start in 2027, but that would lower the NPV by "
                                   f"{plat.why.amount:,.1f}")


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


def test_large_problems_get_an_lp_bound_and_a_checked_heuristic_plan(monkeypatch):
    import planner.optimise as optimiser

    model = _chain()
    exact = optimise(model, BASE, None, None, sme_cost_cap=1.0, time_limit=20)
    monkeypatch.setattr(optimiser, "SMALL", 1)  # treat this small chain as a large one
    result = optimise(model, BASE, None, None, sme_cost_cap=1.0, time_limit=20)
    planned = apply(model, result)
    assert check_plan(planned, NEW, None, None, False, 1.0, baseline=BASE) == []
    assert result.status == optimiser.LP_HEURISTIC and not result.exact
    # the LP relaxation's bound, or the Lagrangian one of its multipliers where tighter
    assert result.bound_kind in (optimiser.LP, optimiser.LAGRANGE)
    # either can't be beaten by any plan, the exact optimum included
    assert result.bound >= exact.objective - 1e-9 >= result.objective - 1e-9
    assert result.gap == pytest.approx((result.bound - result.objective) / abs(result.objective))
    words = {optimiser.LP: ("LP relaxation", "线性松弛"),
             optimiser.LAGRANGE: ("Lagrangian bound", "拉格朗日界")}[result.bound_kind]
    assert words[0] in result.summary("en") and words[1] in result.summary("zh_CN")


@pytest.mark.parametrize("case", ["cap", "core", "per-year", "cost-cap"])
def test_lagrangian_bound_is_never_below_the_brute_force_optimum(case):
    """Whatever the multipliers, the Lagrangian bound is at least the best NPV of every plan
    (enumerated), with the subsidy cap kept exact, budgets and the SME cost cap binding."""
    core_share, cap, per_year = 0.5, 1.0, False
    if case == "cap":
        model = _chain(cap=4.0, subsidy_micro=0.5, subsidy_small=0.5, subsidy_large=0.3)
        model.assignments.append(Assignment(scenario=BASE, enterprise="S1", project="PLAT",
                                            start_year=2027, core_share=0.2))
        core, gov = None, _budget(model, "government", 1.0)
    elif case == "core":
        model = _chain(cap=6.0, subsidy_micro=0.4, subsidy_small=0.4)
        core, gov = _budget(model, "core", 6.0), _budget(model, "government", 3.0)
    elif case == "per-year":
        model = _chain(cap=3.0, subsidy_small=0.3, subsidy_large=0.1, subsidy_micro=0.3)
        core, gov = _budget(model, "core", 6.0, True), _budget(model, "government", 1.5, True)
        per_year = True
    else:
        model = _chain(horizon=3, cap=5.0, subsidy_small=0.5, subsidy_micro=0.5)
        model.enterprises.pop()  # S2
        model.links.pop()
        core, gov, core_share, cap = None, None, 0.0, 0.012
    _, best = _brute(model, core, gov, per_year, core_share, cap)
    bounds = lagrangian_bounds(model, BASE, core, gov, core_share, cap, per_year, draws=40,
                               seed=7)
    assert len(bounds) > 10
    assert min(bounds) >= best - 1e-7 * max(1.0, abs(best))
