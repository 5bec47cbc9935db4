"""Parks and policy instruments (docs/method.md, "Parks and policy instruments") against
hand-worked examples: one small chain per rule, the arithmetic written out in each test."""

from __future__ import annotations

import time

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
from planner.engine import PARTIES, evaluate, evaluation_json
from planner.generate import generate

approx = pytest.approx


def _chain(**scenario: object) -> ChainModel:
    """Core C (large, soe, level 1); S1 small private supplier (revenue 100, park K1);
    S2 micro foreign supplier of S1 (revenue 40, park K1); D1 medium distributor (revenue 300,
    no park). Project P: capex 10, opex 2, 1 year, benefit 0.1 x revenue + 3, +1 level.
    Size factors: micro 0.5, small 1, medium 2, large 4. No link benefit."""
    model = ChainModel()
    model.enterprises = [
        Enterprise(id="C", name="Core", role="core", size="large", ownership="soe",
                   revenue=1000.0),
        Enterprise(id="S1", name="S1", role="supplier", size="small", ownership="private",
                   revenue=100.0, park="K1"),
        Enterprise(id="S2", name="S2", role="supplier", size="micro", ownership="foreign",
                   revenue=40.0, park="K1"),
        Enterprise(id="D1", name="D1", role="distributor", size="medium", ownership="private",
                   revenue=300.0),
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
    model.parks = [Park(id="K1", name="Park one")]
    params: dict[str, object] = {"name": "S", "start_year": 2026, "horizon": 3,
                                 "discount_rate": 0.1, "link_benefit_rate": 0.0}
    params.update(scenario)
    model.scenarios = [Scenario(**params)]  # type: ignore[arg-type]
    return model


def _assign(model: ChainModel, enterprise: str, project: str, year: int,
            core_share: float = 0.0) -> None:
    model.assignments.append(Assignment(scenario="S", enterprise=enterprise, project=project,
                                        start_year=year, core_share=core_share))


def _parties_add_up(result) -> None:  # type: ignore[no-untyped-def]
    total = sum(result.party_cost[p] for p in PARTIES)
    assert list(total) == approx(list(result.cost))
    public = result.public_money()
    assert list(sum(public.values())) == approx(list(result.party_cost["government"]))


def test_only_the_chosen_ownerships_get_subsidies():
    model = _chain(subsidy_ownership=("private",), opex_subsidy=0.5)
    _assign(model, "S1", "P", 2026)  # private: capex claim 0.3 x 10 = 3; opex 0.5 x 2 = 1
    _assign(model, "S2", "P", 2026)  # foreign: would be 0.3 x 5 = 1.5 and 0.5 x 1; gets none
    result = evaluate(model)[0]
    assert list(result.trace.subsidy) == approx([3 + 1 + 1, 0])
    assert list(result.capex_subsidy) == approx([3, 0, 0])
    assert list(result.opex_subsidy) == approx([0, 1, 1])
    assert list(result.trace.eligible) == [True, False]
    assert any("ownership" in line for line in result.trace.explain(1, "en"))
    assert any("所有制" in line for line in result.trace.explain(1, "zh_CN"))
    _parties_add_up(result)


def test_opex_subsidy_runs_for_its_years_from_go_live_and_skips_the_core():
    model = _chain(horizon=4, opex_subsidy=0.5, opex_subsidy_years=2,
                   subsidy_small=0, subsidy_micro=0, subsidy_large=0)
    _assign(model, "S1", "P", 2026, core_share=0.5)  # live 2027: claims 1 in 2027, 2028 only
    _assign(model, "S2", "P", 2024)  # live 2025: [2025, 2027) ∩ 2026–2029 = 2026; 0.5 x 1
    _assign(model, "C", "P", 2026)  # the core gets no opex subsidy
    result = evaluate(model)[0]
    assert list(result.opex_subsidy) == approx([0.5, 1, 1, 0])
    assert list(result.subsidy) == approx([0.5, 1, 1, 0])
    # S1 pays half its capex (5) in 2026, half its opex of 2 (core_share 0.5) less half the
    # subsidy of 1: 0.5 in 2027 and 2028, 1 in 2029; S2 pays opex 1 less 0.5 in 2026, then 1
    assert list(result.party_cost["sme"]) == approx([5 + 0.5, 0.5 + 1, 0.5 + 1, 1 + 1])
    # core: its own P (40 in 2026, 8 a year from 2027), the other halves of S1's costs
    assert list(result.party_cost["core"]) == approx([40 + 5, 8 + 0.5, 8 + 0.5, 8 + 1])
    _parties_add_up(result)


def test_level_gated_claims_are_paid_once_the_level_is_reached_or_never():
    model = _chain(subsidy_min_level=2, subsidy_large=0.1)
    _assign(model, "S1", "P", 2026)  # level 1, P live 2027 lifts S1 to 2: claim 3 paid 2027
    _assign(model, "S2", "PLAT", 2026)  # no level gain: claim 0.3 x 2 = 0.6 never paid
    _assign(model, "C", "P", 2026)  # the core is gated too: 0.1 x 40 = 4, paid in 2027
    result = evaluate(model)[0]
    assert list(result.subsidy) == approx([0, 3 + 4, 0])
    assert list(result.trace.capex_claim) == approx([3, 0.6, 4])
    assert list(result.trace.subsidy) == approx([3, 0, 4])
    # S1 pays all capex 10 in 2026, then opex 2 less the late subsidy 3: −1 in 2027
    assert result.firm_cost[1].tolist() == approx([10, 2 - 3, 2])
    assert list(result.party_cost["core"]) == approx([40, 8 - 4, 8])
    en, zh = result.trace.explain(0, "en"), result.trace.explain(0, "zh_CN")
    assert any("paid in 2027, the first year S1 is at level 2" in line for line in en)
    assert any("2027 年发放" in line for line in zh)
    assert any("never paid: S2 does not reach level 2 by 2028" in line
               for line in result.trace.explain(1, "en"))
    assert any("从未发放" in line for line in result.trace.explain(1, "zh_CN"))
    # the year view shows the late subsidy where it is paid
    row = next(r for r in result.trace.for_year(1) if r["assignment"] == 0)
    assert (row["capex_subsidy"], row["subsidy"], row["opex"]) == approx((3, 3, 2))
    _parties_add_up(result)


def test_park_projects_count_for_the_level_gate():
    model = _chain(subsidy_min_level=2)
    model.projects.append(ProjectType(id="PK", name="Park 5G", category="infrastructure",
                                      capex=50.0, duration=2, maturity_gain=1, scope="park"))
    model.park_assignments = [ParkAssignment(scenario="S", park="K1", project="PK",
                                             start_year=2026)]  # live 2028: K1 members level 2
    _assign(model, "S2", "PLAT", 2026)  # claim 0.6 arises 2026, paid 2028 by the park's level
    result = evaluate(model)[0]
    assert list(result.subsidy) == approx([0, 0, 0.6])


def test_cap_orders_paid_claims_by_year_paid_then_year_arising_then_project():
    model = _chain(subsidy_min_level=2, subsidy_cap=4.0, opex_subsidy=0.5)
    model.projects.append(ProjectType(id="AAA", name="A", category="management", capex=10.0,
                                      duration=1))
    _assign(model, "S1", "P", 2026)  # capex claim 3 arises 2026, S1 at level 2 only from 2027
    _assign(model, "S1", "AAA", 2027)  # capex claim 3 arises 2027, paid 2027
    # paid in 2027, in order: P's capex (arose 2026) 3 of the cap 4; AAA's capex (arose 2027,
    # "AAA" before "P") gets the 1 left; P's opex claim of 1 (arose 2027) nothing.
    # 2028: P's opex claim of 1 nothing. (Project id order alone would put AAA first.)
    result = evaluate(model)[0]
    assert list(result.trace.capex_subsidy) == approx([3, 1])
    assert result.trace.opex_granted[0].tolist() == approx([0, 0, 0])
    assert list(result.subsidy) == approx([0, 4, 0])
    assert any("cuts it to 1.00" in line for line in result.trace.explain(1, "en"))
    assert any("used up" in line for line in result.trace.explain(0, "en"))
    _parties_add_up(result)


def test_loan_annuity_with_interest_by_balance_and_its_interest_subsidy():
    model = _chain(horizon=5, loan_share=0.6, loan_rate=0.1, loan_years=2,
                   interest_subsidy=0.5)
    _assign(model, "S1", "P", 2026, core_share=0.5)
    result = evaluate(model)[0]
    # B = 0.6 x own share 0.5 x capex 10 = 3 (before the subsidy of 3)
    # A = 3 x 0.1 / (1 - 1.1^-2) = 0.3 x 1.21 / 0.21
    a = 0.3 * 1.21 / 0.21
    i1 = 0.1 * 3  # interest on the first instalment
    i2 = 0.1 * (3 - (a - i1))  # on the balance left
    assert list(result.loan_drawn) == approx([3, 0, 0, 0, 0])
    assert list(result.loan_repaid) == approx([0, a, a, 0, 0])
    assert list(result.interest_subsidy) == approx([0, 0.5 * i1, 0.5 * i2, 0, 0])
    assert list(result.subsidy) == approx([3, 0, 0, 0, 0])  # interest subsidy is not subsidy
    # cost = capex + opex - drawn + repaid
    assert list(result.cost) == approx([10 - 3, 2 + a, 2 + a, 2, 2])
    # S1: 0.5 x 10 - B - 0.5 x subsidy 3 = 0.5; then half the opex and the instalment less
    # the interest subsidy
    assert list(result.party_cost["sme"]) == approx(
        [0.5, 1 + a - 0.5 * i1, 1 + a - 0.5 * i2, 1, 1])
    assert list(result.party_cost["core"]) == approx([5 - 1.5, 1, 1, 1, 1])
    _parties_add_up(result)


def test_interest_free_loan_pays_equal_parts():
    model = _chain(horizon=5, loan_share=0.5, loan_rate=0.0, loan_years=3,
                   interest_subsidy=1.0)
    _assign(model, "S1", "P", 2026)  # B = 0.5 x 10 = 5, A = 5 / 3, no interest
    result = evaluate(model)[0]
    assert list(result.loan_repaid) == approx([0, 5 / 3, 5 / 3, 5 / 3, 0])
    assert list(result.interest_subsidy) == approx([0] * 5)


def test_a_rate_too_small_to_count_is_an_interest_free_loan():
    """1e-17 does not move 1 + rate in floating point: equal parts, not a division by 0."""
    model = _chain(horizon=5, loan_share=0.5, loan_rate=1e-17, loan_years=3)
    _assign(model, "S1", "P", 2026)
    assert list(evaluate(model)[0].loan_repaid) == approx([0, 5 / 3, 5 / 3, 5 / 3, 0])


def test_instalments_after_the_horizon_are_paid_whole_in_its_last_year():
    model = _chain(loan_share=1.0, loan_rate=0.1, loan_years=3, interest_subsidy=1.0,
                   subsidy_small=0)
    _assign(model, "S1", "P", 2027)  # due 2028, 2029, 2030: all three in 2028
    result = evaluate(model)[0]
    a = 10 * 0.1 / (1 - 1.1 ** -3)
    i1 = 1.0
    i2 = 0.1 * (10 - (a - i1))
    i3 = 0.1 * (10 - (a - i1) - (a - i2))
    assert list(result.loan_drawn) == approx([0, 10, 0])
    assert list(result.loan_repaid) == approx([0, 0, 3 * a])
    assert list(result.interest_subsidy) == approx([0, 0, i1 + i2 + i3])
    assert i1 + i2 + i3 == approx(3 * a - 10)
    assert any("after 2028 are all paid in 2028" in line
               for line in result.trace.explain(0, "en"))


def test_a_loan_of_a_mistyped_number_of_years_is_worked_out_at_once():
    """300,000,000 years (a slip of the keyboard) is a valid whole number: the instalments
    within the horizon are worked out one by one, the rest from the annuity's sums (one
    by one, they took minutes and gigabytes)."""
    years = 300_000_000
    model = _chain(loan_share=1.0, loan_rate=0.1, loan_years=years, interest_subsidy=1.0,
                   subsidy_small=0)
    _assign(model, "S1", "P", 2027)  # B = 10, due from 2028: every instalment in 2028
    started = time.perf_counter()
    result = evaluate(model)[0]
    assert time.perf_counter() - started < 5
    # 1.1^-300,000,000 is 0 in floating point: A = 10 x 0.1 / (1 - 0) = 1, interest only;
    # all instalments 300,000,000 x 1, of which all but the principal of 10 is interest
    assert list(result.loan_repaid) == approx([0, 0, years * 1.0])
    assert list(result.interest_subsidy) == approx([0, 0, years * 1.0 - 10])


def test_a_loan_starting_in_the_last_year_is_drawn_and_repaid_in_it():
    model = _chain(loan_share=1.0, loan_rate=0.1, loan_years=3, subsidy_small=0)
    _assign(model, "S1", "P", 2028)
    result = evaluate(model)[0]
    a = 10 * 0.1 / (1 - 1.1 ** -3)
    assert list(result.loan_drawn) == approx([0, 0, 10])
    assert list(result.loan_repaid) == approx([0, 0, 3 * a])
    assert list(result.cost) == approx([0, 0, 10 - 10 + 3 * a])


def test_interest_subsidy_is_neither_gated_nor_capped_and_needs_eligibility():
    model = _chain(loan_share=1.0, loan_rate=0.1, loan_years=1, interest_subsidy=0.5,
                   subsidy_min_level=4, subsidy_cap=0.0, subsidy_ownership=("private",))
    _assign(model, "S1", "P", 2026)  # private: B = 10, interest 1 in 2027, half paid
    _assign(model, "S2", "P", 2026)  # foreign: B = 5, interest 0.5, no interest subsidy
    result = evaluate(model)[0]
    assert list(result.interest_subsidy) == approx([0, 0.5, 0])
    assert list(result.subsidy) == approx([0, 0, 0])
    assert list(result.loan_repaid) == approx([0, 11 + 5.5, 0])
    _parties_add_up(result)


def test_tax_relief_returns_a_share_of_own_gross_spending_core_own_only():
    model = _chain(tax_relief_rate=0.25)
    _assign(model, "C", "P", 2026, core_share=0.4)  # the core: o = 1 (core_share ignored)
    _assign(model, "S1", "P", 2026, core_share=0.4)  # o = 0.6
    result = evaluate(model)[0]
    # core: 0.25 x 40 in 2026, 0.25 x 8 later; S1: 0.25 x 0.6 x 10, then 0.25 x 0.6 x 2,
    # on the gross capex (its subsidy of 3 does not reduce it)
    assert result.trace.tax_relief[0].tolist() == approx([10, 2, 2])
    assert result.trace.tax_relief[1].tolist() == approx([1.5, 0.3, 0.3])
    assert list(result.tax_relief) == approx([11.5, 2.3, 2.3])
    # core: its own 40 less 10 relief, plus 0.4 x (10 - 3) of S1's capex; nothing of S1's relief
    assert list(result.party_cost["core"]) == approx([30 + 2.8, 6 + 0.8, 6 + 0.8])
    assert list(result.party_cost["sme"]) == approx([4.2 - 1.5, 1.2 - 0.3, 1.2 - 0.3])
    assert list(result.party_cost["government"]) == approx([3 + 11.5, 2.3, 2.3])
    _parties_add_up(result)


def _park_model() -> ChainModel:
    model = _chain(link_benefit_rate=0.02)
    model.projects += [
        ProjectType(id="PK", name="Park platform", category="collaboration", capex=100.0,
                    opex=10.0, duration=1, benefit_rate=0.01, benefit_fixed=2.0,
                    maturity_gain=1, connects_platform=True, scope="park"),
        ProjectType(id="Q", name="Needs the park platform", category="operations",
                    capex=1.0, duration=1, requires="PK"),
    ]
    model.park_assignments = [ParkAssignment(scenario="S", park="K1", project="PK",
                                             start_year=2026, government_share=0.5,
                                             core_share=0.2)]
    return model


def test_park_assignment_splits_cost_and_every_member_benefits():
    model = _park_model()
    result = evaluate(model)[0]
    # capex 100 in 2026 (no size factor), opex 10 in 2027 and 2028
    assert list(result.capex) == approx([100, 0, 0])
    assert list(result.opex) == approx([0, 10, 10])
    assert list(result.party_cost["government"]) == approx([50, 5, 5])
    assert list(result.party_cost["core"]) == approx([20, 2, 2])
    assert list(result.party_cost["park"]) == approx([30, 3, 3])
    assert list(result.park_government) == approx([50, 5, 5])
    assert list(result.subsidy) == approx([0, 0, 0])  # the park share is not subsidy
    assert list(result.party_benefit["park"]) == [0, 0, 0]
    # members S1 (0.01 x 100 + 2 x 1 = 3) and S2 (0.01 x 40 + 2 x 0.5 = 1.4) from 2027;
    # both connected, so the link S2→S1 joins: 0.02 x 400 = 8, half to each
    assert result.firm_benefit[1].tolist() == approx([0, 3 + 4, 3 + 4])
    assert result.firm_benefit[2].tolist() == approx([0, 1.4 + 4, 1.4 + 4])
    assert result.firm_benefit[3].tolist() == approx([0, 0, 0])  # D1 is in no park
    assert list(result.party_benefit["sme"]) == approx([0, 12.4, 12.4])
    assert result.maturity.tolist() == [[1, 1, 1], [1, 2, 2], [1, 2, 2], [1, 1, 1]]
    assert result.connected[:, 1].tolist() == [False, True, True, False]
    trace = result.park_trace
    assert trace.park == ["K1"]
    assert trace.members.tolist() == [2]
    assert trace.benefit.tolist() == approx([3 + 1.4])
    assert trace.live.tolist() == [[False, True, True]]
    # the core's row carries its share; the firm's own payback
    assert result.firm_cost[0].tolist() == approx([20, 2, 2])
    assert result.firm_payback(1) == 2026  # S1 pays nothing: never below 0, so the start
    assert result.firm_payback(0) is None  # the core only pays
    _parties_add_up(result)


def test_requires_met_by_a_park_project_changes_only_warnings():
    model = _park_model()
    _assign(model, "S1", "Q", 2027)  # PK is live in K1 from 2027: no warning
    _assign(model, "D1", "Q", 2027)  # D1 is in no park: warned
    result = evaluate(model)[0]
    unmet = [w for w in result.warnings if "requires" in w]
    assert len(unmet) == 1 and "D1" in unmet[0]
    # Q still counts for both: capex 1 x 1 and 1 x 2 in 2027 (less 0.3 and 0.4 subsidy)
    assert list(result.capex) == approx([100, 3, 0])


def test_park_assignment_warnings_go_to_their_scenario():
    model = _park_model()
    model.park_assignments[0].start_year = 2030  # outside 2026–2028: nothing counts
    result = evaluate(model)[0]
    assert any("ParkAssignments" in w and "horizon" in w for w in result.warnings)
    assert list(result.cost) == [0, 0, 0]


def test_every_instrument_on_costs_add_up_by_party_year_and_firm():
    model = generate(60, seed=4)
    results = evaluate(model)
    assert any(r.scenario.loan_share > 0 and r.scenario.tax_relief_rate > 0 for r in results)
    assert model.park_assignments
    for result in results:
        _parties_add_up(result)
        assert result.cost.tolist() == approx(
            (result.capex + result.opex - result.loan_drawn + result.loan_repaid).tolist())
        smes = np.ones(len(model.enterprises), bool)
        smes[0] = False  # generate puts the core first
        assert result.firm_cost[smes].sum(axis=0).tolist() == approx(
            result.party_cost["sme"].tolist())
        assert result.firm_cost[0].tolist() == approx(result.party_cost["core"].tolist())
        assert result.firm_benefit[smes].sum(axis=0).tolist() == approx(
            result.party_benefit["sme"].tolist())
        assert result.firm_benefit[0].tolist() == approx(result.party_benefit["core"].tolist())
        js = evaluation_json(model, [result])["scenarios"][0]
        assert set(js["by_party"]) == set(PARTIES)
        assert list(js["public_money"]) == ["capex_subsidy", "opex_subsidy",
                                            "interest_subsidy", "tax_relief", "park_projects"]
        for key in ("interest_subsidy", "tax_relief", "loan_drawn", "loan_repaid"):
            assert js["totals"][key] == approx(float(getattr(result, key).sum()))
            assert [y[key] for y in js["by_year"]] == approx(list(getattr(result, key)))
