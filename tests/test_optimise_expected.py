"""The optimiser's expected-NPV objective (docs/method.md, “Optimiser”, expected NPV), against
brute force.

The exact expected NPV of a plan is computed here by enumeration, as the simulation's
tests do: each firm's U is uniform and its assignments take place when U is below their
rate, so the rates cut [0, 1) into intervals within which the same assignments happen;
every combination of intervals is evaluated by the engine, weighted by its probability,
with each project's benefit at its mean multiplier (low + 1 + high) / 3. Brute force:
every set of additions (at most one start per firm and project, no new coaching) that
passes ``check_plan`` (budgets and cost caps when everyone takes part); the best expected
NPV must be the optimiser's, and its bound at least that.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import replace

import numpy as np
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
from models.files import load_model, save_model
from planner.cli import main
from planner.engine import evaluate
from planner.optimise import apply, check_plan, expected_npv, optimise
from planner.simulate import simulate

BASE = "S"
NEW = "S (optimised)"
CLASSES = ("unaware", "heard_of", "aware", "very_familiar")


def _chain(**scenario: object) -> ChainModel:
    """Core C; S1 (small, aware: takes part with 0.9); S2 (micro, unaware: 0.3) coached in
    S from 2026 (live 2027, one class up: heard of, 0.6). SMEs can run ERP (benefit between
    0.5 and 2 times the estimate) and the platform; S2 also EDI, which connects too: two
    connecting projects of different rates on one firm share its U."""
    model = ChainModel()
    model.enterprises = [
        Enterprise(id="C", name="Core", role="core", size="large", revenue=20000.0,
                   maturity=2),
        Enterprise(id="S1", name="S1", role="supplier", size="small", revenue=1000.0,
                   awareness="aware"),
        Enterprise(id="S2", name="S2", role="supplier", size="micro", revenue=400.0,
                   awareness="unaware"),
    ]
    model.links = [Link(supplier="S1", buyer="C", annual_value=3000.0),
                   Link(supplier="S2", buyer="S1", annual_value=2500.0)]
    model.projects = [
        ProjectType(id="ERP", name="ERP", category="management", capex=10.0, opex=2.0,
                    benefit_rate=0.01, benefit_fixed=3.0, maturity_gain=1,
                    eligible_sizes=("micro", "small"), benefit_low=0.5, benefit_high=2.0),
        ProjectType(id="PLAT", name="Platform", category="collaboration", capex=14.0,
                    opex=1.0, connects_platform=True, benefit_fixed=1.0, benefit_low=0.0,
                    benefit_high=1.5),
        ProjectType(id="EDI", name="EDI", category="collaboration", capex=6.0, opex=0.5,
                    connects_platform=True, eligible_sizes=("micro",)),
        ProjectType(id="K", name="Coaching", category="management", capex=2.0, duration=1,
                    awareness_gain=1, eligible_sizes=("micro",)),
    ]
    params: dict[str, object] = {"name": BASE, "start_year": 2026, "horizon": 3,
                                 "discount_rate": 0.05, "link_benefit_rate": 0.02,
                                 "subsidy_micro": 0.3, "subsidy_small": 0.3,
                                 "subsidy_large": 0.0, "tax_relief_rate": 0.1,
                                 "loan_share": 0.5, "loan_rate": 0.04}
    params.update(scenario)
    model.scenarios = [Scenario(**params)]  # type: ignore[arg-type]
    model.assignments = [Assignment(scenario=BASE, enterprise="C", project="PLAT",
                                    start_year=2026),
                         Assignment(scenario=BASE, enterprise="S2", project="K",
                                    start_year=2026)]
    return model


def _rates(scenario: Scenario) -> dict[str, float]:
    return {name: getattr(scenario, "participation_" + name) for name in CLASSES}


def _exact(model: ChainModel, name: str) -> float:
    """The expected NPV of scenario ``name`` by enumerating who takes part."""
    scenario = model.scenario(name)
    assert scenario is not None
    projects = model.project_index()
    firms = model.enterprise_index()
    rows = [a for a in model.assignments if a.scenario == name]
    rates = _rates(scenario)
    threshold = []
    for a in rows:
        firm, project = firms[a.enterprise], projects[a.project]
        if firm.role == "core" or project.awareness_gain > 0:
            threshold.append(2.0)
            continue
        raised = sum(projects[b.project].awareness_gain for b in rows
                     if b.enterprise == a.enterprise
                     and b.start_year + projects[b.project].duration <= a.start_year)
        threshold.append(rates[CLASSES[min(3, CLASSES.index(firm.awareness) + raised)]])
    mean = replace(model, projects=[
        replace(p, benefit_rate=p.benefit_rate * (p.benefit_low + 1 + p.benefit_high) / 3,
                benefit_fixed=p.benefit_fixed * (p.benefit_low + 1 + p.benefit_high) / 3)
        for p in model.projects])
    others = [a for a in model.assignments if a.scenario != name]
    by_firm: dict[str, list[int]] = {}
    for i, a in enumerate(rows):
        if threshold[i] < 1.0:
            by_firm.setdefault(a.enterprise, []).append(i)
    cuts = []
    for members in by_firm.values():
        points = sorted({0.0, 1.0, *(threshold[i] for i in members)})
        cuts.append([(lo, hi) for lo, hi in itertools.pairwise(points) if hi > lo])
    total = 0.0
    for combo in itertools.product(*cuts):
        probability = math.prod(hi - lo for lo, hi in combo)
        kept = [a for i, a in enumerate(rows) if threshold[i] >= 1.0 or any(
            lo < threshold[i] for (lo, _), members in zip(combo, by_firm.values(), strict=True)
            if i in members)]
        trial = replace(mean, assignments=[*others, *kept])
        total += probability * evaluate(trial, name, problems=[])[0].npv
    return total


def _brute(model: ChainModel, core_budget: float | None, gov_budget: float | None,
           sme_cost_cap: float) -> float:
    """The best exact expected NPV over every feasible set of additions without coaching."""
    scenario = model.scenario(BASE)
    assert scenario is not None
    have = {(a.enterprise, a.project) for a in model.assignments if a.scenario == BASE}
    years = range(scenario.start_year, scenario.start_year + scenario.horizon)
    pairs = [(e.id, p.id) for e in model.enterprises for p in model.projects
             if p.awareness_gain == 0 and p.scope == "enterprise" and (e.id, p.id) not in have
             and (not p.eligible_sizes or e.size in p.eligible_sizes)]
    new = replace(scenario, name=NEW)
    originals = [replace(a, scenario=NEW) for a in model.assignments if a.scenario == BASE]
    park_originals = [replace(b, scenario=NEW) for b in model.park_assignments
                      if b.scenario == BASE]
    best = -math.inf
    for choice in itertools.product([None, *years], repeat=len(pairs)):
        rows = [Assignment(scenario=NEW, enterprise=e, project=p, start_year=s)
                for (e, p), s in zip(pairs, choice, strict=True) if s is not None]
        trial = replace(model, scenarios=[*model.scenarios, new],
                        assignments=[*model.assignments, *originals, *rows],
                        park_assignments=[*model.park_assignments, *park_originals])
        if check_plan(trial, NEW, core_budget, gov_budget, False, sme_cost_cap,
                      baseline=BASE):
            continue
        best = max(best, _exact(trial, NEW))
    return best


def _with_park(model: ChainModel) -> ChainModel:
    """C and S1 in park K1, whose shared 5G network (in S, live from 2028) connects both:
    S1's platform then connects it with its rate, the park's network for certain."""
    model.parks = [Park(id="K1")]
    model.enterprises = [replace(e, park="K1") if e.id in ("C", "S1") else e
                         for e in model.enterprises]
    model.projects.append(ProjectType(id="NET", name="Park 5G", category="infrastructure",
                                      capex=12.0, opex=1.0, benefit_fixed=2.0,
                                      connects_platform=True, scope="park", benefit_low=0.5,
                                      benefit_high=1.2))
    model.park_assignments = [ParkAssignment(scenario=BASE, park="K1", project="NET",
                                             start_year=2027, government_share=0.5)]
    return model


@pytest.mark.parametrize(("gov_budget", "park"), [(None, False), (18.0, False),
                                                  (12.0, False), (18.0, True)])
def test_expected_npv_plan_is_the_best_of_every_plan_and_its_bound_holds(gov_budget, park):
    model = _with_park(_chain()) if park else _chain()
    result = optimise(model, BASE, None, gov_budget, objective="expected-npv",
                      sme_cost_cap=1.0, time_limit=20)
    assert result.status == "optimal", result.message
    planned = apply(model, result)
    name = NEW if result.changed else BASE
    assert check_plan(planned, name, None, gov_budget, False, 1.0, baseline=BASE) == []
    # the objective reported is the plan's exact expected NPV, and no plan does better
    assert result.objective == pytest.approx(_exact(planned, name), rel=1e-9, abs=1e-9)
    assert result.base_objective == pytest.approx(_exact(model, BASE), rel=1e-9)
    best = _brute(model, None, gov_budget, 1.0)
    assert result.objective == pytest.approx(best, rel=1e-7, abs=1e-7)
    assert result.exact, result.message
    assert result.bound is not None and result.bound >= best - 1e-6 * max(1.0, abs(best))
    assert "expected NPV" in result.summary("en_GB")
    assert "期望净现值" in result.summary("zh_CN")


def test_expected_and_deterministic_objectives_choose_differently():
    """Under a tight government budget, with everyone taking part S2's ERP is worth its
    grant; when S2 (unaware, then heard of) takes part with 5 %, S1's ERP is."""
    model = _chain(participation_unaware=0.05, participation_heard_of=0.05)
    npv = optimise(model, BASE, None, 18.0, objective="npv", sme_cost_cap=1.0, time_limit=20)
    expected = optimise(model, BASE, None, 18.0, objective="expected-npv", sme_cost_cap=1.0,
                        time_limit=20)
    chosen = {(a.enterprise, a.project) for a in npv.additions}
    chosen_expected = {(a.enterprise, a.project) for a in expected.additions}
    assert ("S2", "ERP") in chosen and ("S1", "ERP") not in chosen
    assert ("S1", "ERP") in chosen_expected and ("S2", "ERP") not in chosen_expected
    assert expected.objective == pytest.approx(_exact(apply(model, expected), NEW), rel=1e-9)
    # the deterministic plan is worth less in expectation than the expected-NPV plan
    assert _exact(apply(model, npv), NEW) < expected.objective - 1e-6


def test_no_coaching_is_added_and_the_scenarios_own_coaching_raises_the_rate():
    model = _chain()
    model.enterprises[1] = replace(model.enterprises[1], size="micro")  # S1 may be coached
    model.projects[3] = replace(model.projects[3], capex=0.0)  # free: it could only help
    result = optimise(model, BASE, None, None, objective="expected-npv", sme_cost_cap=1.0,
                      time_limit=20)
    assert result.changed
    assert all(a.project != "K" for a in result.additions)
    assert result.objective == pytest.approx(_exact(apply(model, result), NEW), rel=1e-9)


def test_expected_npv_is_the_enumerated_expectation_and_what_the_simulation_tends_to():
    """A richer scenario: a park platform (certain), the core's rows (certain), a coached
    firm, loans, a level-gated grant under a cap, running-cost subsidy and tax relief."""
    model = _with_park(_chain(subsidy_min_level=3, subsidy_cap=4.0, opex_subsidy=0.3,
                              interest_subsidy=0.5))
    model.assignments += [
        Assignment(scenario=BASE, enterprise="S1", project="ERP", start_year=2026,
                   core_share=0.2),
        Assignment(scenario=BASE, enterprise="S2", project="PLAT", start_year=2026),
        Assignment(scenario=BASE, enterprise="S2", project="EDI", start_year=2027),
        Assignment(scenario=BASE, enterprise="S2", project="ERP", start_year=2027)]
    value = expected_npv(model, BASE)
    assert value == pytest.approx(_exact(model, BASE), rel=1e-10)
    runs = simulate(model, BASE, draws=6000, seed=4)
    stats = runs.stats("npv")
    assert abs(stats["mean"] - value) <= 4 * stats["sd"] / math.sqrt(runs.draws) + 1e-9


def test_optimise_command_takes_the_expected_npv_objective(tmp_path, capsys):
    source, out = tmp_path / "chain.json", tmp_path / "planned.json"
    model = _chain()
    save_model(model, source)
    code = main(["optimise", str(source), "--scenario", BASE, "--core-budget", "1e9",
                 "--government-budget", "12", "--sme-cost-cap", "1",
                 "--objective", "expected-npv", "--out", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "expected NPV" in printed
    planned = load_model(out).model
    value = _exact(planned, NEW)
    assert f"{value:,.1f}" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert any(s["name"] == NEW for s in data["scenarios"])
    assert np.isfinite(value)


@pytest.fixture
def lang(request):
    """The interface language for one test (English again afterwards)."""
    from ui import i18n

    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("en")


@pytest.mark.parametrize(("lang", "words"), [("en", "expected NPV"), ("zh_CN", "期望净现值")],
                         indirect=["lang"])
def test_optimise_dialog_offers_the_expected_npv_objective(qtbot, lang, words):
    from PySide6.QtCore import Qt

    from ui.document import Document
    from ui.optimise_dialog import OptimiseDialog, OptimiseResultDialog

    model = _chain()
    document = Document(model)
    dialog = OptimiseDialog(document)
    qtbot.addWidget(dialog)
    dialog.show()
    for spin, text in ((dialog.government_budget, "18"), (dialog.sme_cap, "100"),
                       (dialog.time_limit, "20")):
        spin.setFocus()
        spin.selectAll()
        qtbot.keyClicks(spin, text)
        qtbot.keyClick(spin, Qt.Key.Key_Tab)
    dialog.objective.setFocus()
    qtbot.keyClick(dialog.objective, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.objective, Qt.Key.Key_Down)
    assert dialog.objective.currentData() == "expected-npv"
    with qtbot.waitSignal(dialog.runner.finished, timeout=60_000):
        qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    result = dialog.result
    assert result is not None and result.changed and result.kind == "expected-npv"
    assert document.scenario == NEW
    assert result.objective == pytest.approx(_exact(document.model, NEW), rel=1e-9)
    assert words in dialog.summary
    shown = OptimiseResultDialog(result)
    qtbot.addWidget(shown)
    assert words in shown.head.text()
