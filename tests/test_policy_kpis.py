"""The policy figures of a scenario (``planner.compare.policy_figures``: public money by
instrument, per SME reaching the target level, per newly connected link, the SMEs' own
payback) against numbers worked out by hand on a three-SME chain."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pytest import approx

from models.chain import Assignment, ChainModel, Enterprise, Link, ProjectType, Scenario
from planner.compare import policy_figures
from planner.engine import evaluate


def chain(**policy: object) -> ChainModel:
    """Core C (connected); S1 medium and S2 small at level 1 with projects from 2026, S3 at
    level 2 with none. Size factors 1, no discounting, no link benefit: every figure below
    is a sum a reader can redo."""
    model = ChainModel()
    model.settings.size_factor_medium = 1.0
    model.settings.size_factor_small = 1.0
    model.enterprises = [
        Enterprise(id="C", name="Core", role="core", size="large", revenue=10000.0,
                   maturity=3, platform_connected=True),
        Enterprise(id="S1", name="One", role="supplier", size="medium", revenue=1000.0,
                   ownership="private"),
        Enterprise(id="S2", name="Two", role="supplier", size="small", revenue=100.0,
                   ownership="soe"),
        Enterprise(id="S3", name="Three", role="supplier", size="small", revenue=100.0,
                   maturity=2),
    ]
    model.links = [Link(supplier=s, buyer="C", annual_value=500.0) for s in ("S1", "S2", "S3")]
    model.projects = [
        ProjectType(id="ERP", name="ERP", category="management", capex=20.0, opex=0.0,
                    benefit_rate=0.01, maturity_gain=1, duration=1),
        ProjectType(id="PLAT", name="Platform", category="collaboration", capex=10.0,
                    opex=0.0, maturity_gain=0, connects_platform=True, duration=1),
    ]
    scenario = Scenario(name="S", start_year=2026, horizon=3, discount_rate=0.0,
                        link_benefit_rate=0.0, target_level=2, subsidy_medium=0.5,
                        subsidy_small=0.5)
    model.scenarios = [replace(scenario, **policy)]  # type: ignore[arg-type]
    model.assignments = [
        Assignment(scenario="S", enterprise="S1", project="ERP", start_year=2026),
        Assignment(scenario="S", enterprise="S1", project="PLAT", start_year=2026),
        Assignment(scenario="S", enterprise="S2", project="ERP", start_year=2026),
    ]
    return model


def figures(**policy: object):
    model = chain(**policy)
    return policy_figures(evaluate(model)[0])


def test_grants_per_sme_reaching_the_target_and_per_new_link():
    found = figures()
    # grants: S1 0.5 x (20 + 10) = 15, S2 0.5 x 20 = 10, all paid in 2026
    assert found.public_money["capex_subsidy"] == approx(25.0)
    assert found.government_total == approx(25.0)
    # S1 and S2 go from level 1 to 2 (ERP live in 2027); S3 was at 2 already
    assert found.smes_reached == 2
    assert found.per_sme_reached == approx(12.5)
    # only S1 joins the platform: one newly connected link (S1 -> C)
    assert found.links_connected == 1
    assert found.per_link == approx(25.0)


def test_sme_payback_is_the_lower_median_of_the_firms_with_projects():
    found = figures()
    # S1 pays 30 - 15 = 15 in 2026 and gets 1% of 1,000 = 10 a year from 2027:
    # cumulative -15, -5, +5 -> 2028. S2 pays 10 and gets 1 a year: never back.
    assert found.smes_in_plan == 2
    assert sorted(found.sme_payback, key=lambda y: y or 9999) == [2028, None]
    assert found.median_payback == 2028
    assert found.paying_back_share == approx(0.5)


def test_level_condition_nobody_reaches_means_no_grant_paid():
    found = figures(subsidy_min_level=3)
    assert found.government_total == approx(0.0)
    assert found.per_sme_reached == approx(0.0)  # two reached target level 2, at no cost


def test_none_reached_gives_no_figure_per_sme():
    found = figures(target_level=4)
    assert found.smes_reached == 0
    assert found.per_sme_reached is None


def test_loans_interest_subsidy_and_tax_relief_by_instrument():
    found = figures(loan_share=0.5, loan_rate=0.1, loan_years=2, interest_subsidy=0.5,
                    tax_relief_rate=0.25)
    # S1 borrows 0.5 x 30 = 15: instalment 15 x 0.1 / (1 - 1.1^-2) = 8.642857;
    # interest 1.5 in 2027 and (15 - 7.142857) x 0.1 = 0.785714 in 2028, half paid by the
    # government. S2 borrows 10: interest 1.0 and 0.523810.
    interest = 0.5 * (1.5 + 0.785714 + 1.0 + 0.523810)
    assert found.public_money["interest_subsidy"] == approx(interest, abs=1e-5)
    # tax relief: 25% of each firm's own gross capex (30 and 20) in 2026
    assert found.public_money["tax_relief"] == approx(12.5)
    assert found.government_total == approx(25.0 + interest + 12.5, abs=1e-5)


@pytest.mark.parametrize("ownership, paid", [(("private",), 15.0), (("soe",), 10.0),
                                              (("foreign",), 0.0)])
def test_targeting_pays_only_the_chosen_ownerships(ownership, paid):
    found = figures(subsidy_ownership=ownership)
    assert found.public_money["capex_subsidy"] == approx(paid)
