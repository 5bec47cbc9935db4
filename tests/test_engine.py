"""The numbers of docs/method.md against hand-worked examples; the arithmetic is in each test."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.chain import Assignment, ChainModel, Enterprise, Link, ProjectType, Scenario
from models.files import save_model
from planner.cli import main
from planner.engine import evaluate, evaluation_json
from planner.generate import generate

approx = pytest.approx


def _chain(**scenario) -> ChainModel:
    """Core C (large); S1 small supplier (revenue 100); S2 micro supplier of S1;
    D1 medium distributor. Links S1→C (1000), S2→S1 (400), C→D1 (500)."""
    model = ChainModel()
    model.enterprises = [
        Enterprise(id="C", name="Core", role="core", size="large", revenue=1000.0),
        Enterprise(id="S1", name="S1", role="supplier", size="small", revenue=100.0),
        Enterprise(id="S2", name="S2", role="supplier", size="micro", revenue=40.0),
        Enterprise(id="D1", name="D1", role="distributor", size="medium", revenue=300.0),
    ]
    model.links = [Link(supplier="S1", buyer="C", annual_value=1000.0),
                   Link(supplier="S2", buyer="S1", annual_value=400.0),
                   Link(supplier="C", buyer="D1", annual_value=500.0)]
    model.projects = [
        ProjectType(id="P", name="Project", category="operations", capex=10.0, opex=2.0,
                    duration=1, benefit_rate=0.1, benefit_fixed=3.0, maturity_gain=1),
        ProjectType(id="PLAT", name="Onboarding", category="collaboration", capex=4.0,
                    duration=1, connects_platform=True),
    ]
    params = {"name": "S", "start_year": 2026, "horizon": 3, "discount_rate": 0.1,
              "link_benefit_rate": 0.0}
    params.update(scenario)
    model.scenarios = [Scenario(**params)]
    return model


def _assign(model: ChainModel, enterprise: str, project: str, year: int,
            core_share: float = 0.0) -> None:
    model.assignments.append(Assignment(scenario="S", enterprise=enterprise, project=project,
                                        start_year=year, core_share=core_share))


def _json(model: ChainModel) -> dict:
    return evaluation_json(model, evaluate(model))["scenarios"][0]


def test_one_assignment_cost_benefit_parties_and_finance():
    model = _chain()
    _assign(model, "S1", "P", 2026, core_share=0.5)
    result = _json(model)
    # capex 10 (small, factor 1) in 2026; subsidy 0.3 x 10 = 3. Live from 2026 + 1 = 2027:
    # opex 2 and benefit 0.1 x 100 + 3 = 13 in 2027 and 2028.
    years = result["by_year"]
    assert [y["capex"] for y in years] == [10, 0, 0]
    assert [y["subsidy"] for y in years] == [3, 0, 0]
    assert [y["opex"] for y in years] == [0, 2, 2]
    assert [y["cost"] for y in years] == [10, 2, 2]
    assert [y["benefit"] for y in years] == approx([0, 13, 13])
    assert [y["net"] for y in years] == approx([-10, 11, 11])
    assert [y["cumulative_net"] for y in years] == approx([-10, 1, 12])
    totals = result["totals"]
    assert totals["payback_year"] == 2027
    assert totals["npv"] == approx(-10 + 11 / 1.1 + 11 / 1.21, rel=1e-12)
    assert totals["pv_cost"] == approx(10 + 2 / 1.1 + 2 / 1.21, rel=1e-12)
    assert totals["pv_benefit"] == approx(13 / 1.1 + 13 / 1.21, rel=1e-12)
    assert totals["bcr"] == approx((13 / 1.1 + 13 / 1.21) / (10 + 2 / 1.1 + 2 / 1.21))
    # core pays half of (10 - 3) = 3.5 and half of each year's opex: 1 + 1
    parties = result["by_party"]
    assert parties["government"] == {"cost": 3, "benefit": 0, "npv": -3}
    assert parties["core"]["cost"] == approx(3.5 + 1 + 1)
    assert parties["sme"]["cost"] == approx(3.5 + 1 + 1)
    assert parties["sme"]["benefit"] == approx(26)
    assert parties["core"]["npv"] == approx(-3.5 - 1 / 1.1 - 1 / 1.21)
    assert sum(p["cost"] for p in parties.values()) == approx(totals["cost"])


def test_subsidy_cap_is_cut_in_start_year_then_project_id_order():
    model = _chain(subsidy_small=0.3, subsidy_cap=8.0, horizon=3)
    model.projects += [
        ProjectType(id=pid, name=pid, category="management", capex=capex, duration=1)
        for pid, capex in (("A", 20.0), ("P10", 10.0), ("P2", 10.0), ("B", 100.0))]
    _assign(model, "S1", "P2", 2027)  # raw 3, third in order: nothing left
    _assign(model, "S1", "P10", 2027)  # raw 3, "P10" sorts before "P2": gets 8 - 6 = 2
    _assign(model, "S1", "A", 2026)  # raw 6, first: gets all 6
    _assign(model, "S1", "B", 2025)  # before the horizon: no subsidy, uses none of the cap
    _assign(model, "S2", "A", 2026)  # another enterprise has its own cap: 0.3 x 20 x 0.5 = 3
    result = evaluate(model)[0]
    assert list(result.trace.subsidy) == approx([0.0, 2.0, 6.0, 0.0, 3.0])
    assert list(result.subsidy) == approx([6 + 3, 2, 0])
    # government pays the subsidy; the firm the rest of the capex
    assert list(result.party_cost["government"]) == approx([9, 2, 0])


def test_core_pays_all_of_its_own_projects_and_gets_their_benefit():
    model = _chain(subsidy_large=0.1)
    _assign(model, "C", "P", 2026, core_share=0.0)  # core_share is ignored for the core
    result = _json(model)
    # factor 4: capex 40, subsidy 4, opex 8 a year from 2027; benefit 0.1 x 1000 + 3 x 4 = 112
    assert result["by_party"]["government"]["cost"] == 4
    assert result["by_party"]["core"]["cost"] == approx(36 + 8 + 8)
    assert result["by_party"]["sme"]["cost"] == 0
    assert result["by_party"]["core"]["benefit"] == approx(112 * 2)
    assert result["by_party"]["sme"]["benefit"] == 0


def test_link_benefit_is_split_in_halves_between_core_and_sme():
    model = _chain(link_benefit_rate=0.02)
    model.enterprises[0].platform_connected = True  # the core is on the platform already
    _assign(model, "S1", "PLAT", 2026)  # S1 connected from 2027: link S1→C joins
    result = evaluate(model)[0]
    # 0.02 x 1000 = 20 a year in 2027 and 2028, 10 to the core and 10 to the SMEs
    assert list(result.benefit) == approx([0, 20, 20])
    assert list(result.party_benefit["core"]) == approx([0, 10, 10])
    assert list(result.party_benefit["sme"]) == approx([0, 10, 10])


def test_links_already_connected_by_their_flags_yield_no_link_benefit():
    model = _chain(link_benefit_rate=0.02, start_year=2027)
    model.links[2].data_connected = True  # C→D1 exchanges data already
    for e in model.enterprises[:2]:
        e.platform_connected = True  # C and S1 on the platform: S1→C already connected
    _assign(model, "S2", "PLAT", 2025)  # live 2026, before the horizon: S2→S1 still counts
    result = evaluate(model)[0]
    assert list(result.link_coverage) == approx([1, 1, 1])
    assert list(result.benefit) == approx([0.02 * 400] * 3)  # only the project-made link


def test_payback_when_cumulative_never_dips_dips_and_recovers_or_never_recovers():
    benefit_only = _chain()
    benefit_only.projects[0].opex = 0
    _assign(benefit_only, "S1", "P", 2024)  # live 2025: benefit every year, no cost in horizon
    assert _json(benefit_only)["totals"]["payback_year"] == 2026

    recovers = _chain()
    _assign(recovers, "S1", "P", 2026)  # cumulative -10, 1, 12
    assert _json(recovers)["totals"]["payback_year"] == 2027

    never = _chain()
    never.projects[0].benefit_rate = never.projects[0].benefit_fixed = 0
    _assign(never, "S1", "P", 2026)
    assert _json(never)["totals"]["payback_year"] is None

    idle = _chain()
    assert _json(idle)["totals"]["payback_year"] is None
    assert _json(idle)["totals"]["bcr"] is None


def test_shares_over_empty_sets_are_null():
    model = ChainModel(enterprises=[Enterprise(id="C", name="Core", role="core", size="large")],
                       scenarios=[Scenario(name="S", start_year=2026, horizon=2)])
    year = _json(model)["by_year"][0]
    assert year["connected_share"] is None
    assert year["digitalised_share"] is None
    assert year["link_coverage"] is None
    assert year["spend_coverage"] is None
    assert year["islands"] == 1
    zero_value = _chain()
    for link in zero_value.links:
        link.annual_value = 0
    assert _json(zero_value)["by_year"][0]["spend_coverage"] is None
    assert _json(zero_value)["by_year"][0]["link_coverage"] == 0


def test_islands_merge_as_enterprises_connect():
    model = _chain()
    model.enterprises[0].platform_connected = True
    model.links[2].data_connected = True  # C–D1 joined from the start
    _assign(model, "S1", "PLAT", 2026)  # S1–C joins in 2027
    _assign(model, "S2", "PLAT", 2027)  # S2–S1 joins in 2028
    result = _json(model)
    # 2026: {C, D1}, {S1}, {S2}; 2027: {C, D1, S1}, {S2}; 2028: one island
    assert [y["islands"] for y in result["by_year"]] == [3, 2, 1]
    # 3 non-core firms; D1 is not on the platform: connected 0, 1/3, 2/3
    assert [y["connected_share"] for y in result["by_year"]] == approx([0, 1 / 3, 2 / 3])
    # link coverage 1/3, 2/3, 3/3; spend (500, 1500, 1900) / 1900
    assert [y["link_coverage"] for y in result["by_year"]] == approx([1 / 3, 2 / 3, 1])
    assert [y["spend_coverage"] for y in result["by_year"]] == approx(
        [500 / 1900, 1500 / 1900, 1])


def test_maturity_gain_and_digitalised_share_by_group():
    model = _chain(target_level=2)
    _assign(model, "S1", "P", 2026)  # S1: level 1 → 2 from 2027
    result = evaluate(model)[0]
    assert list(result.digitalised_share) == approx([0, 1 / 3, 1 / 3])
    upstream = result.by_group["position"]["upstream"]
    assert list(upstream["digitalised_share"]) == approx([0, 0.5, 0.5])  # S1 of S1, S2
    assert list(result.by_group["tier"]["1"]["enterprises"]) == [2, 2, 2]  # S1 and D1
    assert "core" not in result.by_group["position"]  # shares are over non-core firms


def test_assignments_before_or_after_the_horizon_are_computed_literally():
    model = _chain(target_level=2)
    _assign(model, "S1", "P", 2024)  # live 2025: opex and benefit all years, no capex
    _assign(model, "S2", "P", 2029)  # starts after 2026–2028: nothing at all
    result = _json(model)
    assert [y["capex"] for y in result["by_year"]] == [0, 0, 0]
    assert [y["opex"] for y in result["by_year"]] == [2, 2, 2]
    assert [y["benefit"] for y in result["by_year"]] == approx([13, 13, 13])
    assert [y["digitalised_share"] for y in result["by_year"]] == approx([1 / 3] * 3)
    assert result["totals"]["subsidy"] == 0


def test_year_trace_lists_the_assignments_behind_a_year():
    model = _chain()
    _assign(model, "S1", "P", 2026)
    _assign(model, "S2", "P", 2027)
    result = evaluate(model)[0]
    # 2027: S1's P is live (opex 2, benefit 13); S2's P is spent (capex 10 x 0.5 = 5)
    assert result.trace.for_year(1) == [
        {"assignment": 0, "capex": 0.0, "subsidy": 0.0, "opex": 2.0, "benefit": 13.0},
        {"assignment": 1, "capex": 5.0, "subsidy": 1.5, "opex": 0.0, "benefit": 0.0}]
    contributions = result.trace.for_year(1)
    assert sum(c["capex"] + c["opex"] for c in contributions) == result.cost[1]


def test_evaluate_json_command_prints_model_totals_years_and_warnings(tmp_path, capsys):
    model = _chain()
    _assign(model, "S1", "P", 2026, core_share=0.5)
    model.assignments.append(Assignment(scenario="S", enterprise="S2", project="P",
                                        start_year=2031))  # outside the horizon: a warning
    path = tmp_path / "m.json"
    save_model(model, path)
    assert main(["evaluate", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["model"] == {"name": "", "enterprises": 4, "links": 3, "projects": 2}
    scenario = data["scenarios"][0]
    assert scenario["years"] == [2026, 2027, 2028]
    assert scenario["totals"]["npv"] == approx(-10 + 11 / 1.1 + 11 / 1.21, rel=1e-12)
    assert set(scenario["by_year"][0]) >= {
        "year", "capex", "opex", "subsidy", "cost", "benefit", "net", "cumulative_net",
        "connected_share", "digitalised_share", "link_coverage", "spend_coverage", "islands"}
    assert len(scenario["warnings"]) == 1 and "outside the scenario's horizon" in \
        scenario["warnings"][0]


def test_evaluate_writes_a_results_workbook_that_still_imports(tmp_path, capsys):
    from openpyxl import load_workbook

    from models.files import load_model

    model = _chain()
    _assign(model, "S1", "P", 2026)
    source, out = tmp_path / "m.xlsx", tmp_path / "results.xlsx"
    save_model(model, source)
    assert main(["evaluate", str(source), "--out", str(out)]) == 0
    book = load_workbook(out, read_only=True)
    assert {"Results KPIs", "Results by year", "Results by party",
            "Results coverage"} <= set(book.sheetnames)
    rows = list(book["Results by year"].iter_rows(values_only=True))
    assert rows[1][:6] == ("S", 2026, 10, 0, 3, 10)
    assert load_model(out).model == model
    assert "NPV" in capsys.readouterr().out


def test_unknown_scenario_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "m.json"
    save_model(_chain(), path)
    assert main(["compare", str(path), "--scenarios", "S", "Nope"]) == 1
    assert "no scenario named 'Nope'" in capsys.readouterr().err


# --- properties on generated chains ----------------------------------------------------

@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(5, 60))
def test_invariants_on_generated_chains(seed, size):
    model = generate(size, seed)
    for result in evaluate(model):
        total = result.party_cost["core"] + result.party_cost["sme"] + \
            result.party_cost["government"]
        assert list(total) == approx(list(result.cost), rel=1e-9, abs=1e-9)
        for share in (result.connected_share, result.digitalised_share, result.link_coverage,
                      result.spend_coverage):
            assert all(0 <= s <= 1 for s in share if not math.isnan(s))
        assert all(a >= b for a, b in zip(result.islands, result.islands[1:], strict=False))


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), pick=st.integers(0, 10_000), year=st.integers(0, 6))
def test_adding_an_assignment_never_lowers_capex(seed, pick, year):
    model = generate(20, seed)
    before = evaluate(model, "Core-led")[0]
    taken = {(a.enterprise, a.project) for a in model.assignments if a.scenario == "Core-led"}
    free = [(e.id, p.id) for e in model.enterprises for p in model.projects
            if (e.id, p.id) not in taken]
    enterprise, project = free[pick % len(free)]
    model.assignments.append(Assignment(scenario="Core-led", enterprise=enterprise,
                                        project=project, start_year=2025 + year))
    after = evaluate(model, "Core-led")[0]
    assert all(a >= b - 1e-9 for a, b in zip(after.capex, before.capex, strict=True))
