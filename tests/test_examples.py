"""The bundled examples open cleanly: what users see on day one."""

from __future__ import annotations

import re

import numpy as np
import pytest

from examples import example_files, example_path
from models.files import load_model
from models.validation import places
from planner.engine import evaluate

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
