"""The tornado against hand-worked numbers; the arithmetic is in the test."""

from __future__ import annotations

import dataclasses
import json

import pytest

from models.chain import Assignment, ChainModel, Enterprise, Link, ProjectType, Scenario
from models.files import save_model
from planner.cli import main
from planner.sensitivity import tornado

approx = pytest.approx


def _model() -> ChainModel:
    """Core C; small supplier S (no revenue-based benefit). P: capex 100, opex 10, live a
    year after its start, benefit 80 a year; S starts P in 2025, the first of two years;
    30 % capex grant for small firms; discount 10 %. An unused project Q."""
    model = ChainModel()
    model.enterprises = [
        Enterprise(id="C", name="Core", role="core", size="large", revenue=1000.0),
        Enterprise(id="S", name="S", role="supplier", size="small", revenue=100.0)]
    model.links = [Link(supplier="S", buyer="C", annual_value=1000.0)]
    model.projects = [
        ProjectType(id="Q", name="Unused", category="operations", capex=5.0),
        ProjectType(id="P", name="P", category="operations", capex=100.0, opex=10.0,
                    duration=1, benefit_fixed=80.0)]
    model.scenarios = [Scenario(name="Base", start_year=2025, horizon=2, discount_rate=0.1,
                                subsidy_small=0.3)]
    model.assignments = [Assignment(scenario="Base", enterprise="S", project="P",
                                    start_year=2025)]
    return model


def test_tornado_rows_are_the_npv_at_each_input_moved_by_the_swing():
    # chain: 2025 capex −100; 2026 benefit 80 − opex 10 = 70, discounted by 1.1
    # SME: −70 (after the grant of 30) then +70
    result = tornado(_model(), "Base", 0.2)
    assert result.npv == approx(-100 + 70 / 1.1)
    rows = {row.parameter: row for row in result.rows}
    assert [row.parameter for row in result.rows] == [
        "P.capex", "P.benefit", "P.opex", "discount_rate", "subsidy_rates", "link_benefit_rate"]
    capex = rows["P.capex"]  # 80 and 120; the SME pays 70 % of it
    assert (capex.low, capex.high) == approx((80, 120))
    assert (capex.npv_low, capex.npv_high) == approx((-80 + 70 / 1.1, -120 + 70 / 1.1))
    assert (capex.npv_sme_low, capex.npv_sme_high) == approx((-56 + 70 / 1.1, -84 + 70 / 1.1))
    benefit = rows["P.benefit"]  # a multiplier: 64 and 96 a year
    assert (benefit.low, benefit.high) == approx((0.8, 1.2))
    assert (benefit.npv_low, benefit.npv_high) == approx((-100 + 54 / 1.1, -100 + 86 / 1.1))
    opex = rows["P.opex"]
    assert (opex.npv_low, opex.npv_high) == approx((-100 + 72 / 1.1, -100 + 68 / 1.1))
    discount = rows["discount_rate"]
    assert (discount.low, discount.high) == approx((0.08, 0.12))
    assert (discount.npv_low, discount.npv_high) == approx((-100 + 70 / 1.08, -100 + 70 / 1.12))
    # a grant is a transfer: the chain's NPV stays, the SME's moves (grant 24 or 36)
    grants = rows["subsidy_rates"]
    assert (grants.npv_low, grants.npv_high) == approx((result.npv, result.npv))
    assert (grants.npv_sme_low, grants.npv_sme_high) == approx((-76 + 70 / 1.1, -64 + 70 / 1.1))
    # no project connects the link: its benefit rate changes nothing
    links = rows["link_benefit_rate"]
    assert links.npv_low == links.npv_high == approx(result.npv)
    assert "Q.capex" not in rows  # only projects the scenario uses


def test_the_model_is_not_changed():
    model = _model()
    before = repr(model)
    tornado(model, "Base", 0.5)
    assert repr(model) == before


def test_sensitivity_command_prints_the_json(tmp_path, capsys):
    path = tmp_path / "m.json"
    save_model(_model(), path)
    assert main(["sensitivity", str(path), "--scenario", "Base", "--swing", "0.1",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scenario"] == "Base" and data["npv"] == approx(-100 + 70 / 1.1)
    assert data["rows"][0] == {
        "parameter": "P.capex", "low": approx(90), "high": approx(110),
        "npv_low": approx(-90 + 70 / 1.1), "npv_high": approx(-110 + 70 / 1.1),
        "npv_sme_low": approx(-63 + 70 / 1.1), "npv_sme_high": approx(-77 + 70 / 1.1)}
    assert main(["sensitivity", str(path), "--scenario", "Nope"]) == 1
    with pytest.raises(SystemExit):
        main(["sensitivity", str(path), "--scenario", "Base", "--swing", "1.5"])


def test_the_tornado_from_the_analysis_evaluation_is_the_tornado_worked_out_alone():
    """On a generated chain with parks and many projects: the tornado given the scenario's
    evaluation (as the Risk tab does) has the same rows as one that works everything out,
    and an evaluation of another model is not used."""
    from planner.engine import evaluate
    from planner.generate import generate

    model = generate(150, seed=4)
    cheaper = dataclasses.replace(model, projects=[dataclasses.replace(p, opex=0.0)
                                                   for p in model.projects])
    scenario = model.scenarios[-1].name
    own = {r.scenario.name: r for r in evaluate(model)}[scenario]
    stale = {r.scenario.name: r for r in evaluate(cheaper)}[scenario]
    alone = tornado(model, scenario, 0.2)
    assert len(alone.rows) > 6
    for lent in (tornado(model, scenario, 0.2, own), tornado(model, scenario, 0.2, stale)):
        assert lent.npv == alone.npv
        assert [dataclasses.astuple(r) for r in lent.rows] == \
            [dataclasses.astuple(r) for r in alone.rows]
    assert stale.npv != own.npv
