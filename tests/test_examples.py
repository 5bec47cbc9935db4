"""The bundled examples open cleanly: what users see on day one."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest

from examples import example_files, example_path
from models.files import load_model
from models.validation import places
from planner.engine import evaluate
from planner.simulate import simulate

ROOT = example_path().parent.parent
CHAINS = ["aircraft.xlsx", "vehicles.xlsx", "shipbuilding.xlsx"]
HAN = re.compile("[\u4e00-\u9fff]")
# the scenario a chain's park-led and policy-mix scenarios are compared with
GRANT_PER_FIRM = "Core-led with subsidy"
PARK_LED = {"aircraft.xlsx": "Park-led (Lingang)", "vehicles.xlsx": "Park-led (Anting)",
            "shipbuilding.xlsx": "Park-led (Changxing)"}
POLICY_MIX = {"aircraft.xlsx": "Park + level-2 grant + loans",
              "vehicles.xlsx": "Level-2 grant + loans",
              "shipbuilding.xlsx": "Tax relief + cloud subsidy"}


@pytest.fixture(scope="module", params=CHAINS)
def chain(request):
    model = load_model(example_path(request.param)).model
    results = {r.scenario.name: r for r in evaluate(model)}
    return request.param, model, results


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
def test_example_loads_without_errors_and_warns_only_of_firms_with_no_level(path):
    loaded = load_model(path)
    assert loaded.errors == []
    assert all(p.column == "maturity" and "no level" in p.text() for p in loaded.problems)
    model = loaded.model
    assert len(model.scenarios) >= 2
    assert all(p.source for p in model.projects), "every catalogue entry names its source"
    positions = {p.position for p in places(model).values()}
    assert {"core", "upstream", "downstream"} <= positions


def test_three_chains_and_a_chinese_copy_are_bundled():
    names = {p.name for p in example_files()}
    assert {"aircraft.xlsx", "aircraft_zh.xlsx", "vehicles.xlsx", "shipbuilding.xlsx"} <= names
    assert load_model(example_path("aircraft_zh.xlsx")).model == load_model(
        example_path("aircraft.xlsx")).model


def test_each_example_lists_its_parks_with_district_and_operator(chain):
    _, model, _ = chain
    parks = {k.id: k for k in model.parks}
    assert len(parks) >= 3
    assert {e.park for e in model.enterprises} - {""} <= set(parks)  # firms name park ids
    assert all(HAN.search(k.name) and re.search("[A-Za-z]", k.name) and k.district
               for k in parks.values())  # "English 中文"
    assert sum(1 for k in parks.values() if k.operator) >= 3
    members = {k: sum(e.park == k for e in model.enterprises) for k in parks}
    assert all(members.values()), "every park has members"


def test_the_catalogue_carries_sourced_park_projects():
    path = ROOT / "planner" / "data" / "catalogue.json"
    catalogue = load_model(path, allow_invalid=True).model  # projects only, no chain
    park = [p for p in catalogue.projects if p.scope == "park"]
    names = " ".join(p.name for p in park)
    assert "园区5G专网" in names and "园区工业互联网平台" in names
    assert all(p.source and "ssum" in p.source for p in park)  # what is assumed is said
    assert any(p.connects_platform for p in park)


def test_each_example_has_a_park_led_and_a_policy_mix_scenario_described_in_both_languages(
        chain):
    name, model, _ = chain
    scenarios = {s.name: s for s in model.scenarios}
    for scenario in (scenarios[PARK_LED[name]], scenarios[POLICY_MIX[name]]):
        assert HAN.search(scenario.description) and len(scenario.description) > 200
        assert any(a.scenario == scenario.name for a in model.assignments)
    park_led = scenarios[PARK_LED[name]]
    assert [park_led.subsidy_micro, park_led.subsidy_small, park_led.subsidy_medium] == [0] * 3
    shared = [b for b in model.park_assignments if b.scenario == park_led.name]
    assert len(shared) == 2
    assert all(0 < b.government_share < 1 for b in shared)
    assert any(b.core_share > 0 for b in shared)


def test_the_park_led_scenario_connects_more_per_yuan_of_public_money_than_grants(chain):
    name, _, results = chain
    grants, park = results[GRANT_PER_FIRM], results[PARK_LED[name]]
    park_outlay = float(np.sum(park.party_cost["government"]))
    assert float(np.sum(park.public_money()["park_projects"])) == park_outlay > 0
    assert park_outlay < float(np.sum(grants.party_cost["government"]))
    assert park.connected_share[-1] >= grants.connected_share[-1]


def test_the_policy_mixes_use_their_levers(chain):
    name, _, results = chain
    grants, mix = results[GRANT_PER_FIRM], results[POLICY_MIX[name]]
    money = {k: float(np.sum(v)) for k, v in mix.public_money().items()}
    if name == "shipbuilding.xlsx":  # tax relief and a running-cost subsidy, no grant
        assert money["capex_subsidy"] == 0 < money["tax_relief"]
        assert money["opex_subsidy"] > 0
        assert mix.party_npv("sme") > grants.party_npv("sme")
    else:  # grants once at level 2, and loans with interest subsidy
        trace = mix.trace
        waits = trace.capex_subsidy_column > trace.start_offset
        assert np.any(waits & (trace.capex_claim > 0) & trace.in_horizon)
        assert money["interest_subsidy"] > 0 and np.sum(mix.loan_drawn) > 0
        # loans spread the SMEs' own capex: they pay less in the first year
        assert mix.party_cost["sme"][0] < grants.party_cost["sme"][0]
    assert (money["park_projects"] > 0) == (name == "aircraft.xlsx")


# --- who takes part, and how sure the benefits are ----------------------------------------

COACHING = "核心企业辅导培训"


def catalogues():
    """The shipped catalogue and each example's."""
    path = ROOT / "planner" / "data" / "catalogue.json"
    yield "catalogue.json", load_model(path, allow_invalid=True).model.projects
    for name in CHAINS:
        yield name, load_model(example_path(name)).model.projects


def test_every_catalogue_project_has_a_benefit_range_its_source_states_and_explains():
    for where, projects in catalogues():
        for p in projects:
            assert 0 <= p.benefit_low <= 1 <= p.benefit_high, (where, p.id)
            stated = f"Benefit range ×{p.benefit_low:g}–×{p.benefit_high:g} (效益区间): "
            assert stated in p.source, (where, p.id, "the source states the range")
            why = p.source.split(stated, 1)[1]
            assert len(why) > 20, (where, p.id, "and says why")
        ranged = [p for p in projects if p.benefit_low < p.benefit_high]
        assert len(ranged) == len(projects) - 1, "only coaching, with no benefit, has none"


def test_the_catalogue_offers_sourced_coaching_that_raises_awareness_and_costs_little():
    for where, projects in catalogues():
        coaching = [p for p in projects if COACHING in p.name]
        assert len(coaching) == 1, where
        p = coaching[0]
        assert p.awareness_gain > 0 and p.maturity_gain == 0
        assert p.benefit_fixed == p.benefit_rate == 0  # no benefit of its own
        assert p.capex <= 5 and p.opex <= 1 and "large" not in p.eligible_sizes
        assert "ssum" in p.source and "中小企业数字化转型城市试点" in p.source


def test_the_firms_awareness_follows_the_survey_roughly(chain):
    _, model, _ = chain
    smes = [e for e in model.enterprises if e.role != "core"]
    share = {a: sum(e.awareness == a for e in smes) / len(smes)
             for a in ("very_familiar", "aware", "heard_of", "unaware")}
    # the paper's survey: 5.8 % very familiar, 66.3 % aware or heard of, 27.9 % unaware
    assert abs(share["very_familiar"] - 0.058) < 0.03
    assert abs(share["aware"] + share["heard_of"] - 0.663) < 0.05
    assert abs(share["unaware"] - 0.279) < 0.03


def test_each_policy_mix_coaches_the_firms_that_know_least_before_their_projects(chain):
    name, model, _ = chain
    mix = POLICY_MIX[name]
    coaching = next(p for p in model.projects if COACHING in p.name)
    awareness = {e.id: e.awareness for e in model.enterprises}
    mine = [a for a in model.assignments if a.scenario == mix]
    coached = {a.enterprise: a for a in mine if a.project == coaching.id}
    assert coached and {awareness[k] for k in coached} == {"heard_of", "unaware"}
    assert all(a.core_share == 1 for a in coached.values())  # the core pays the coaching
    for a in mine:
        if a.enterprise in coached and a.project != coaching.id:
            assert a.start_year >= coached[a.enterprise].start_year + coaching.duration
    others = {a.scenario for a in model.assignments if a.project == coaching.id}
    assert others == {mix}
    assert "辅导" in model.scenario(mix).description


def test_programme_scenarios_state_their_participation_rates(chain):
    name, model, _ = chain
    for s in model.scenarios[1:]:
        rates = [s.participation_very_familiar, s.participation_aware,
                 s.participation_heard_of, s.participation_unaware]
        assert rates == sorted(rates, reverse=True)
        shares = "very familiar {} %, aware {} %, heard of {} %, unaware {} %".format(
            *(round(100 * r) for r in rates))
        assert shares in s.description and "假设参与率" in s.description
    scenarios = {s.name: s for s in model.scenarios}
    # grants make a firm that has only heard of the strategy likelier to go ahead
    assert (scenarios[GRANT_PER_FIRM].participation_heard_of
            > scenarios[PARK_LED[name]].participation_heard_of)


def test_simulation_spreads_each_examples_npv_around_the_plan(chain):
    name, model, results = chain
    for s in model.scenarios[1:]:
        sim = simulate(model, s.name, draws=300, seed=1)
        npv = sim.stats("npv")
        assert sim.deterministic_npv == pytest.approx(results[s.name].npv)
        # benefits vary both ways and some firms stay out: the plan lies inside P5–P95
        assert npv["p5"] < results[s.name].npv < npv["p95"], (name, s.name)
        assert 0.5 < sim.stats("participation")["mean"] < 1


def test_coaching_raises_participation_in_the_policy_mix(chain):
    name, model, _ = chain
    mix = POLICY_MIX[name]
    uncoached = load_model(example_path(name)).model
    uncoached.projects = [replace(p, awareness_gain=0) for p in uncoached.projects]
    with_coaching = simulate(model, mix, draws=300, seed=2)
    without = simulate(uncoached, mix, draws=300, seed=2)  # the same draws of U and M
    assert (with_coaching.stats("participation")["mean"]
            > without.stats("participation")["mean"] + 0.05)
    assert np.all(with_coaching.values["participation"] >= without.values["participation"])
