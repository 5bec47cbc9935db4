"""The engine against an independent reference computation of parks and policy instruments.

``tests/policy_reference.py`` computes a scenario's numbers from the rules of docs/method.md
with plain loops; here random models (small chains, parks and park projects, every policy
field, loans with and without interest, assignments before, inside, in the last year of and
after the horizon) are evaluated by both, and every yearly figure, party and enterprise must
agree. Property tests: subsidies, tax relief and interest subsidies move money between
parties and never change the chain's cost, benefit or NPV; parks without park projects and
policy fields at their defaults change no number.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import random
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from policy_reference import PARTIES, Reference, compute

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
from models.schema import CATEGORIES as _CATEGORIES
from models.schema import OWNERSHIPS as _OWNERSHIPS
from models.schema import SIZES as _SIZES
from models.validation import validate
from planner.engine import ScenarioResult, evaluate

MODELS = 300
CATEGORIES, OWNERSHIPS, SIZES = list(_CATEGORIES), list(_OWNERSHIPS), list(_SIZES)
START = 2025


# --- random models ------------------------------------------------------------------------

def _amount(rng: random.Random, high: float) -> float:
    """Mostly plain figures, some zeros, some with many decimals."""
    roll = rng.random()
    if roll < 0.15:
        return 0.0
    if roll < 0.6:
        return float(rng.randint(1, int(high)))
    return rng.uniform(0, high)


def _share(rng: random.Random) -> float:
    return rng.choice([0.0, 0.0, 0.25, 0.5, 1.0, rng.random()])


def _start(rng: random.Random, scenario: Scenario) -> int:
    """Before, inside, in the last year of, or after the horizon."""
    last = scenario.start_year + scenario.horizon - 1
    return rng.choice([scenario.start_year - rng.randint(1, 4), scenario.start_year,
                       rng.randint(scenario.start_year, last), last, last,
                       last + rng.randint(1, 2)])


def _scenario(rng: random.Random, name: str) -> Scenario:
    return Scenario(
        name=name, start_year=START + rng.randint(0, 2), horizon=rng.randint(1, 7),
        discount_rate=rng.choice([0.0, 0.08, rng.uniform(0, 0.2)]),
        subsidy_micro=_share(rng), subsidy_small=_share(rng), subsidy_medium=_share(rng),
        subsidy_large=_share(rng),
        subsidy_cap=rng.choice([None, None, 0.0, float(rng.randint(1, 30)), rng.uniform(0, 60)]),
        link_benefit_rate=rng.choice([0.0, 0.02, rng.uniform(0, 0.1)]),
        target_level=rng.randint(1, 4),
        opex_subsidy=_share(rng), opex_subsidy_years=rng.randint(0, 4),
        subsidy_min_level=rng.choice([None, None, 1, 2, 3, 4]),
        subsidy_ownership=tuple(o for o in OWNERSHIPS if rng.random() < 0.4),
        tax_relief_rate=rng.choice([0.0, 0.25, rng.random()]),
        loan_share=rng.choice([0.0, 0.5, 1.0, rng.random()]),
        loan_rate=rng.choice([0.0, 0.04, rng.uniform(0, 0.3)]),
        loan_years=rng.randint(1, 5), interest_subsidy=_share(rng))


def random_model(rng: random.Random) -> ChainModel:
    """A valid model (errors none, warnings allowed) of 2–8 firms with parks and policy."""
    model = ChainModel()
    park_ids = [f"K{n}" for n in range(rng.randint(0, 3))]
    if park_ids and rng.random() < 0.6:  # else: parks implicit in the enterprises' column
        model.parks = [Park(id=k, name=f"Park {k}", operator=f"{k} Ops") for k in park_ids]
    n = rng.randint(2, 8)
    for i in range(n):
        model.enterprises.append(Enterprise(
            id=f"E{i}", name=f"Firm {i}", role="core" if i == 0 else "supplier",
            size=rng.choice(SIZES), ownership=rng.choice(OWNERSHIPS),
            park=rng.choice(["", *park_ids]) if park_ids else "",
            revenue=_amount(rng, 1000), maturity=rng.randint(1, 4),
            platform_connected=rng.random() < 0.2))
    rng.shuffle(model.enterprises)  # the core anywhere in the table
    pairs = [(u.id, v.id) for u in model.enterprises for v in model.enterprises if u is not v]
    for u, v in rng.sample(pairs, rng.randint(0, min(len(pairs), 2 * n))):
        model.links.append(Link(supplier=u, buyer=v, annual_value=_amount(rng, 2000),
                                data_connected=rng.random() < 0.15))
    ids = rng.sample(["P1", "P2", "P10", "p3", "ERP", "MES", "Z"], rng.randint(1, 5))
    park_project_ids = rng.sample(["K5G", "KPLAT", "K10"], rng.randint(0, 3) if park_ids else 0)
    for pid in ids + park_project_ids:
        model.projects.append(ProjectType(
            id=pid, name=f"Project {pid}", category=rng.choice(CATEGORIES),
            capex=_amount(rng, 100), opex=_amount(rng, 10), duration=rng.randint(1, 3),
            benefit_rate=rng.choice([0.0, rng.uniform(0, 0.1)]), benefit_fixed=_amount(rng, 20),
            maturity_gain=rng.randint(0, 3), connects_platform=rng.random() < 0.4,
            scope="park" if pid in park_project_ids else "enterprise"))
    model.scenarios = [_scenario(rng, name) for name in ("A", "B")[:rng.randint(1, 2)]]
    for scenario in model.scenarios:
        combos = [(e.id, p) for e in model.enterprises for p in ids]
        for e, p in rng.sample(combos, rng.randint(0, min(len(combos), 10))):
            model.assignments.append(Assignment(
                scenario=scenario.name, enterprise=e, project=p,
                start_year=_start(rng, scenario), core_share=_share(rng)))
        combos = [(k, p) for k in model.park_ids() for p in park_project_ids]
        for k, p in rng.sample(combos, rng.randint(0, len(combos))):
            government = _share(rng)
            core = rng.choice([0.0, 1 - government, rng.uniform(0, 1 - government)])
            model.park_assignments.append(ParkAssignment(
                scenario=scenario.name, park=k, project=p, start_year=_start(rng, scenario),
                government_share=government, core_share=core))
    rng.shuffle(model.assignments)
    errors = [p.text() for p in validate(model) if p.is_error]
    assert errors == [], errors
    return model


def models(count: int, seed: int) -> Iterator[tuple[int, ChainModel]]:
    rng = random.Random(seed)
    for n in range(count):
        yield n, random_model(rng)


# --- comparing ----------------------------------------------------------------------------

def _scale(ref: Reference) -> float:
    return 1.0 + sum(abs(x) for x in (*ref.capex, *ref.opex, *ref.benefit, *ref.loan_drawn,
                                      *ref.loan_repaid))


def _null(value: Any) -> bool:
    """The engine shows a share over an empty set as NaN, the reference as None."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _close(got: Any, want: Any, scale: float) -> bool:
    if _null(want) or _null(got):
        return _null(got) and _null(want)
        return got is None and want is None
    return math.isclose(float(got), float(want), rel_tol=1e-9, abs_tol=1e-9 * scale)


def differences(result: ScenarioResult, ref: Reference) -> list[str]:
    """Every figure where the engine and the reference disagree, named."""
    scale = _scale(ref)
    found: list[str] = []

    def check(name: str, got: Any, want: Any) -> None:
        got_list = list(np.asarray(got, dtype=object).ravel()) if got is not None else []
        want_list = list(np.asarray(want, dtype=object).ravel())
        if len(got_list) != len(want_list):
            found.append(f"{name}: engine {got!r}, reference {want!r}")
            return
        for g, w in zip(got_list, want_list, strict=True):
            if not _close(g, w, scale):
                found.append(f"{name}: engine {np.round(np.asarray(got, float), 6).tolist()}, "
                             f"reference {np.round(np.asarray(want, float), 6).tolist()}")
                return

    assert [int(y) for y in result.years] == ref.years
    for name in ("capex", "opex", "subsidy", "capex_subsidy", "opex_subsidy",
                 "interest_subsidy", "tax_relief", "loan_drawn", "loan_repaid",
                 "park_government", "cost", "benefit", "net", "cumulative",
                 "connected_share", "digitalised_share", "link_coverage", "spend_coverage",
                 "islands", "maturity", "connected", "link_connected", "firm_cost",
                 "firm_benefit"):
        check(name, getattr(result, name, None), getattr(ref, name))
    for party in PARTIES:
        check(f"party_cost[{party}]", result.party_cost.get(party), ref.party_cost[party])
        check(f"party_benefit[{party}]", result.party_benefit.get(party),
              ref.party_benefit[party])
        check(f"party_npv({party})", [result.party_npv(party)], [ref.party_npv[party]])
    for name in ("npv", "pv_cost", "pv_benefit", "bcr"):
        check(name, [getattr(result, name)], [getattr(ref, name)])
    # payback compares exactly; a cumulative net within rounding of 0 may tip either way
    if result.payback_year != ref.payback_year and all(abs(c) > 1e-9 * scale
                                                       for c in ref.cumulative):
        found.append(f"payback_year: engine {result.payback_year}, "
                     f"reference {ref.payback_year}")
    return found


def _describe(model: ChainModel) -> str:
    """The model's rows, each with only the fields that differ from their defaults."""
    lines = []
    for table in ("enterprises", "links", "projects", "scenarios", "assignments", "parks",
                  "park_assignments"):
        for row in getattr(model, table):
            shown = []
            for f in dataclasses.fields(row):
                value = getattr(row, f.name)
                default = (f.default_factory() if f.default_factory is not dataclasses.MISSING
                           else f.default)
                if value != default:
                    shown.append(f"{f.name}={value!r}")
            lines.append(f"{type(row).__name__}({', '.join(shown)})")
    return "\n".join(lines)


# --- the reference on cases worked by hand ------------------------------------------------

def _hand_model() -> ChainModel:
    """A core, two SMEs in one park, a park platform, a level-gated grant, a loan, tax relief."""
    model = ChainModel()
    model.enterprises = [
        Enterprise(id="C", name="Core", role="core", size="large", revenue=1000.0, maturity=3,
                   platform_connected=True, ownership="soe"),
        Enterprise(id="S1", name="S1", role="supplier", size="small", revenue=200.0, park="HP",
                   ownership="private"),
        Enterprise(id="S2", name="S2", role="supplier", size="micro", revenue=50.0, park="HP",
                   ownership="foreign"),
    ]
    model.links = [Link(supplier="S1", buyer="C", annual_value=1500.0),
                   Link(supplier="S2", buyer="S1", annual_value=500.0)]
    model.projects = [
        ProjectType(id="ERP", name="ERP", category="management", capex=40.0, opex=4.0,
                    duration=1, benefit_rate=0.05, benefit_fixed=6.0, maturity_gain=1),
        ProjectType(id="PLAT", name="Park platform", category="collaboration", capex=60.0,
                    opex=6.0, duration=1, benefit_fixed=2.0, connects_platform=True,
                    scope="park"),
    ]
    model.parks = [Park(id="HP", name="High-tech park", operator="HP Operations")]
    model.scenarios = [Scenario(
        name="Policy", start_year=2026, horizon=4, discount_rate=0.1, subsidy_min_level=2,
        subsidy_ownership=("private",), opex_subsidy=0.5, opex_subsidy_years=2,
        tax_relief_rate=0.25, loan_share=0.5, loan_rate=0.04, loan_years=2,
        interest_subsidy=0.5)]
    model.assignments = [
        Assignment(scenario="Policy", enterprise="S1", project="ERP", start_year=2026,
                   core_share=0.25),
        Assignment(scenario="Policy", enterprise="S2", project="ERP", start_year=2027)]
    model.park_assignments = [ParkAssignment(scenario="Policy", park="HP", project="PLAT",
                                             start_year=2026, government_share=0.5,
                                             core_share=0.2)]
    return model


def test_reference_on_a_case_worked_by_hand():
    ref = compute(_hand_model(), "Policy")
    # S1's loan: 15 at 4 % over 2 years; S2's: 10 (no interest subsidy: foreign-owned)
    a1 = 15 * 0.04 / (1 - 1.04 ** -2)
    a2 = 10 * 0.04 / (1 - 1.04 ** -2)
    i2 = 0.04 * (15 - (a1 - 0.6))
    want = {
        "capex": [100, 20, 0, 0], "opex": [0, 10, 12, 12],
        "capex_subsidy": [0, 12, 0, 0],  # claimed 2026, paid 2027 once S1 reaches level 2
        "opex_subsidy": [0, 2, 2, 0], "interest_subsidy": [0, 0.3, i2 / 2, 0],
        "tax_relief": [7.5, 5.75, 1.25, 1.25], "loan_drawn": [15, 10, 0, 0],
        "loan_repaid": [0, a1, a1 + a2, a2], "park_government": [30, 3, 3, 3],
        "cost": [85, 20 + 10 - 10 + a1, 12 + a1 + a2, 12 + a2],
        "benefit": [0, 16 + 3 + 30 + 10, 16 + 5.5 + 3 + 40, 64.5],
    }
    for name, values in want.items():
        assert getattr(ref, name) == pytest.approx(values, abs=1e-12), name
    assert ref.party_cost["core"] == pytest.approx([10 + 12, 1 - 3 - 0.5 + 1.2, 0.5 + 1.2,
                                                    1 + 1.2])
    assert ref.party_cost["park"] == pytest.approx([18, 1.8, 1.8, 1.8])
    assert ref.party_cost["government"] == pytest.approx(
        [7.5 + 30, 12 + 2 + 0.3 + 5.75 + 3, 2 + i2 / 2 + 1.25 + 3, 1.25 + 3])
    assert ref.party_cost["sme"] == pytest.approx(
        [30 - 15 - 7.5,
         (3 - 9 - 1.5 + a1 - 0.3 - 0.75) + (20 - 10 - 5),
         (3 - 1.5 + a1 - i2 / 2 - 0.75) + (2 + a2 - 0.5),
         (3 - 0.75) + (2 + a2 - 0.5)])
    assert ref.party_benefit["core"] == [0, 15, 15, 15]
    assert ref.maturity == [[3, 3, 3, 3], [1, 2, 2, 2], [1, 1, 2, 2]]
    assert ref.islands == [3, 1, 1, 1]


def test_reference_cap_counts_claims_in_the_order_they_are_paid():
    """A claim waiting for the level is counted when paid; the one that overflows gets the rest."""
    model = _hand_model()
    sc = model.scenarios[0]
    sc.subsidy_ownership, sc.subsidy_min_level, sc.subsidy_cap = (), 2, 13.0
    sc.loan_share = sc.tax_relief_rate = 0.0
    model.park_assignments = []
    # S2 (micro, level 1) reaches level 2 in 2028: its 2027 capex claim 0.3 · 20 = 6 waits
    ref = compute(model, "Policy")
    s1 = [(c.kind, c.arises, c.paid_year, c.paid) for c in ref.claims if c.firm == 1]
    assert s1 == [("capex", 2026, 2027, 12.0), ("opex", 2027, 2027, 1.0),
                  ("opex", 2028, 2028, 0.0)]  # 12 + 2 would exceed 13: 1 left, then nothing
    s2 = [(c.kind, c.arises, c.paid_year, c.paid) for c in ref.claims if c.firm == 2]
    assert s2 == [("capex", 2027, 2028, 6.0), ("opex", 2028, 2028, 1.0),
                  ("opex", 2029, 2029, 1.0)]


def test_reference_loan_due_after_the_horizon_is_paid_in_its_last_year():
    model = _hand_model()
    sc = model.scenarios[0]
    sc.horizon, sc.loan_rate = 2, 0.0
    ref = compute(model, "Policy")
    # S1 borrows 15 in 2026, repays 7.5 in 2027 and 2028 -> all in 2027; S2 borrows 10 in 2027
    assert ref.loan_drawn == [15, 10]
    assert ref.loan_repaid == [0, 15 + 10]
    assert ref.interest_subsidy == [0, 0]


# --- the engine agrees with the reference --------------------------------------------------

def _disagreements(model: ChainModel) -> list[str]:
    found = []
    for result in evaluate(model):
        ref = compute(model, result.scenario)
        for text in differences(result, ref):
            found.append(f"scenario {result.scenario.name}: {text}")
    return found


def test_the_engine_agrees_with_the_reference_on_random_models():
    failures = []
    for n, model in models(MODELS, seed=12):
        found = _disagreements(model)
        if found:
            failures.append((n, found, model))
    if failures:
        n, found, model = min(failures, key=lambda f: len(repr(f[2])))
        pytest.fail(f"{len(failures)} of {MODELS} models disagree; the smallest (#{n}):\n"
                    + "\n".join(found) + "\n" + _describe(model))


def test_the_engine_agrees_on_the_case_worked_by_hand():
    model = _hand_model()
    assert _disagreements(model) == []


# --- properties ---------------------------------------------------------------------------

def test_parties_costs_add_up_to_the_chains_cost_every_year():
    for _, model in models(60, seed=7):
        for result in evaluate(model):
            total = sum(np.asarray(result.party_cost[p], float) for p in PARTIES)
            assert total == pytest.approx(np.asarray(result.cost, float), rel=1e-9, abs=1e-9)
            public = result.public_money()
            assert list(public) == ["capex_subsidy", "opex_subsidy", "interest_subsidy",
                                    "tax_relief", "park_projects"]
            assert sum(np.asarray(v, float) for v in public.values()) == pytest.approx(
                np.asarray(result.party_cost["government"], float), rel=1e-9, abs=1e-9)


def _reshuffle_transfers(model: ChainModel, rng: random.Random) -> ChainModel:
    """The same plan with other subsidies, tax relief, interest subsidy and cost shares."""
    other = copy.deepcopy(model)
    for scenario in other.scenarios:
        for size in SIZES:
            setattr(scenario, "subsidy_" + size, _share(rng))
        scenario.subsidy_cap = rng.choice([None, 0.0, rng.uniform(0, 40)])
        scenario.opex_subsidy = _share(rng)
        scenario.opex_subsidy_years = rng.randint(0, 4)
        scenario.subsidy_min_level = rng.choice([None, 1, 2, 3, 4])
        scenario.subsidy_ownership = tuple(o for o in OWNERSHIPS if rng.random() < 0.5)
        scenario.tax_relief_rate = _share(rng)
        scenario.interest_subsidy = _share(rng)
    for b in other.park_assignments:
        b.government_share = _share(rng)
        b.core_share = rng.uniform(0, 1 - b.government_share)
    return other


def test_transfers_never_change_the_chains_cost_benefit_or_npv():
    rng = random.Random(3)
    for _, model in models(60, seed=5):
        other = _reshuffle_transfers(model, rng)
        for mine, theirs in zip(evaluate(model), evaluate(other), strict=True):
            for name in ("capex", "opex", "cost", "benefit", "net", "loan_drawn"):
                assert np.asarray(getattr(theirs, name), float) == pytest.approx(
                    np.asarray(getattr(mine, name), float), rel=1e-9, abs=1e-9), name
            assert theirs.npv == pytest.approx(mine.npv, rel=1e-9, abs=1e-9)


def _without_parks_and_policy(model: ChainModel) -> ChainModel:
    plain = copy.deepcopy(model)
    plain.parks, plain.park_assignments = [], []
    plain.projects = [p for p in plain.projects if p.scope == "enterprise"]
    for e in plain.enterprises:
        e.park = ""
    defaults = Scenario(name="x", start_year=0)
    for scenario in plain.scenarios:
        for name in ("opex_subsidy", "opex_subsidy_years", "subsidy_min_level",
                     "subsidy_ownership", "tax_relief_rate", "loan_share", "loan_rate",
                     "loan_years", "interest_subsidy"):
            setattr(scenario, name, getattr(defaults, name))
    return plain


FIGURES = ("capex", "opex", "subsidy", "cost", "benefit", "net", "cumulative", "maturity",
           "connected", "connected_share", "digitalised_share", "link_coverage",
           "spend_coverage", "islands")


def test_parks_without_park_projects_and_default_policy_change_no_number():
    for _, model in models(60, seed=11):
        plain = _without_parks_and_policy(model)
        with_parks = copy.deepcopy(plain)
        with_parks.parks = [Park(id=k, name=k) for k in ("K0", "K1")]
        for e in with_parks.enterprises[::2]:
            e.park = "K1"
        with_parks.projects.append(ProjectType(id="KNET", name="Park network",
                                               category="infrastructure", capex=50.0,
                                               opex=5.0, benefit_fixed=3.0, maturity_gain=2,
                                               connects_platform=True, scope="park"))
        for mine, theirs in zip(evaluate(plain), evaluate(with_parks), strict=True):
            for name in FIGURES:
                # exactly equal, NaN (a share over no firm) equal to NaN
                np.testing.assert_array_equal(getattr(theirs, name), getattr(mine, name),
                                              err_msg=name, strict=True)
            for name in ("npv", "pv_cost", "pv_benefit", "bcr", "payback_year"):
                assert getattr(mine, name) == getattr(theirs, name), name
            for party in ("core", "sme", "government"):
                assert mine.party_cost[party].tolist() == theirs.party_cost[party].tolist()
                assert (mine.party_benefit[party].tolist()
                        == theirs.party_benefit[party].tolist())
            for name in ("interest_subsidy", "tax_relief", "loan_drawn", "loan_repaid",
                         "opex_subsidy", "park_government"):
                assert not np.asarray(getattr(theirs, name), float).any(), name
            assert not np.asarray(theirs.party_cost["park"], float).any()


def test_the_reference_with_defaults_is_the_plain_rule():
    """With the new fields at their defaults the reference is the engine's plain numbers."""
    for _, model in models(60, seed=13):
        plain = _without_parks_and_policy(model)
        for result in evaluate(plain):
            ref = compute(plain, result.scenario)
            assert differences(result, ref) == []
