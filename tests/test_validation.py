"""Model rules (errors and warnings) and the derived position and tier."""

from __future__ import annotations

from models.chain import Assignment, Enterprise, Link
from models.validation import Place, places, validate


def _warnings(model) -> list[str]:
    return [p.text() for p in validate(model) if not p.is_error]


def test_small_chain_is_valid_and_has_no_warnings(chain):
    assert validate(chain) == []


def test_position_and_tier_follow_shortest_paths_to_and_from_the_core(chain):
    chain.enterprises.append(Enterprise(id="X", name="Prospect", role="supplier", size="micro"))
    # S3 supplies the tier-2 firm and also buys from the distributor: upstream 3 vs downstream 2
    chain.enterprises.append(Enterprise(id="S3", name="Both ways", role="service", size="micro"))
    chain.links += [Link(supplier="S3", buyer="S2"), Link(supplier="D1", buyer="S3")]
    assert places(chain) == {
        "C": Place("core", 0), "S1": Place("upstream", 1), "S2": Place("upstream", 2),
        "D1": Place("downstream", 1), "X": Place("detached", None),
        "S3": Place("downstream", 2)}


def test_equal_distance_both_ways_counts_as_upstream(chain):
    chain.links.append(Link(supplier="C", buyer="S1"))
    assert places(chain)["S1"] == Place("upstream", 1)


def test_model_without_a_core_is_an_error_and_all_detached(chain):
    chain.enterprises[0].role = "supplier"
    problems = validate(chain)
    assert any("exactly one enterprise with role core" in p.text() for p in problems)
    assert {p.position for p in places(chain).values()} == {"detached"}


def test_assignment_outside_the_horizon_warns(chain):
    chain.assignments.append(Assignment(scenario="Base", enterprise="S2", project="ERP",
                                        start_year=2031))
    assert _warnings(chain) == [
        "warning: Assignments (Base → S2 → ERP), column 'start_year': value 2031: "
        "outside the scenario's horizon 2026–2030"]


def test_maturity_and_requires_count_only_projects_live_by_the_start_year(chain):
    # MES needs level 2 and ERP live. S1 is level 1; ERP (2026, 1 year) goes live in 2027.
    chain.assignments.append(Assignment(scenario="Base", enterprise="S1", project="MES",
                                        start_year=2026))
    early = _warnings(chain)
    assert len(early) == 2
    assert "S1 is at level 1 in 2026; MES needs level 2" in early[0]
    assert "MES requires ERP live on S1 by 2026" in early[1]
    chain.assignments[-1].start_year = 2027
    assert _warnings(chain) == []


def test_size_not_eligible_and_detached_enterprise_warn(chain):
    chain.enterprises.append(Enterprise(id="X", name="Prospect", role="supplier", size="micro",
                                        maturity=3))
    chain.assignments += [Assignment(scenario="Base", enterprise="X", project="ERP",
                                     start_year=2026),
                          Assignment(scenario="Base", enterprise="X", project="MES",
                                     start_year=2028)]
    found = _warnings(chain)
    assert sum("not linked to the core" in w for w in found) == 2
    assert sum("MES is not meant for micro enterprises" in w for w in found) == 1


def test_warnings_are_only_checked_on_a_model_without_errors(chain):
    chain.assignments.append(Assignment(scenario="Nope", enterprise="S1", project="ERP",
                                        start_year=1990))
    problems = validate(chain)
    assert [p.text() for p in problems] == [
        "error: Assignments (Nope → S1 → ERP), column 'scenario': value 'Nope': "
        "no such scenario in Scenarios"]


def test_out_of_range_values_built_in_code_are_errors(chain):
    chain.scenarios[0].horizon = 51
    chain.assignments[0].core_share = 1.5
    chain.settings.size_factor_small = -1
    texts = [p.text() for p in validate(chain)]
    assert any("'horizon': value 51: expected a whole number from 1 to 50" in t for t in texts)
    assert any("'core_share': value 1.5: expected a number from 0 to 1" in t for t in texts)
    assert any("Settings (size_factor_small)" in t for t in texts)


def _mutated(chain, seed):
    """The small chain with random assignments, levels, sizes and links removed: warnings of
    every kind, and models without any."""
    import random

    from models.chain import Assignment

    rng = random.Random(seed)
    ids = [e.id for e in chain.enterprises]
    projects = [p.id for p in chain.projects if p.scope == "enterprise"]
    scenario = chain.scenarios[0]
    for e in chain.enterprises:
        e.maturity = rng.randint(1, 4)
        e.size = rng.choice(["large", "medium", "small", "micro"])
    if rng.random() < 0.5:
        del chain.links[:rng.randint(0, len(chain.links))]
    seen = {(a.scenario, a.enterprise, a.project) for a in chain.assignments}
    for _ in range(rng.randint(0, 30)):
        key = (scenario.name, rng.choice(ids), rng.choice([p for p in projects if p != "K1"]))
        if key not in seen:
            seen.add(key)
            chain.assignments.append(Assignment(
                scenario=key[0], enterprise=key[1], project=key[2],
                start_year=scenario.start_year + rng.randint(-2, scenario.horizon + 1)))
    if rng.random() < 0.5:  # a park project shared by the park's members
        from models.chain import ParkAssignment, ProjectType

        chain.projects.append(ProjectType(id="K1", name="Park 5G", category="infrastructure",
                                          scope="park", maturity_gain=rng.randint(0, 2)))
        chain.park_assignments.append(ParkAssignment(
            scenario=scenario.name, park="Lingang", project="K1",
            start_year=scenario.start_year + rng.randint(-1, 3)))
        projects.append("K1")
    for p in chain.projects:
        if rng.random() < 0.3 and p.scope == "enterprise":
            p.requires = rng.choice(projects)
            if p.requires == p.id:
                p.requires = ""
        p.min_maturity = rng.randint(1, 4)
    return chain


def test_the_quick_pass_finds_every_assignment_that_warns():
    """The columns' pass picks the assignments the rules are applied to: on random chains it
    warns exactly as the rules applied to every assignment."""
    from conftest import small_chain

    from models.validation import assignment_warnings

    for seed in range(60):
        model = _mutated(small_chain(), seed)
        assert assignment_warnings(model) == assignment_warnings(model, every=True), seed


def test_column_checks_agree_with_the_value_checks():
    """A column found clean at once holds only values the per-value rule accepts."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from models.chain import SETTINGS_FIELDS, TABLE_BY_ATTR
    from models.schema import column_ok, value_check

    specs = [s for t in TABLE_BY_ATTR.values() for s in t.fields] + list(SETTINGS_FIELDS)
    value = st.one_of(st.none(), st.booleans(), st.integers(-10, 10), st.integers(),
                      st.floats(), st.sampled_from(["", " ", "core", "small", "x", "yes"]),
                      st.text(max_size=3), st.tuples(st.sampled_from(["small", "soe", "z"])))

    @settings(max_examples=300, deadline=None)
    @given(st.sampled_from(specs), st.lists(value, max_size=6))
    def check(spec, values):
        if column_ok(spec, values):
            assert all(map(value_check(spec), values))

    check()


def test_validation_by_columns_names_what_row_by_row_does(monkeypatch):
    """With the column checks switched off (every value and reference looked at one by one)
    validation names the same problems on random broken chains."""
    import random

    from conftest import small_chain

    from models import validation

    for seed in range(30):
        rng = random.Random(seed)
        model = _mutated(small_chain(), seed)
        for e in model.enterprises:  # some values out of range or of another kind
            if rng.random() < 0.2:
                e.maturity = rng.choice([0, 5, 2.5, None, "3"])
            if rng.random() < 0.1:
                e.role = rng.choice(["core", "boss", ""])
        for lk in model.links:
            if rng.random() < 0.1:
                lk.buyer = rng.choice(["nobody", lk.supplier, ""])
        if rng.random() < 0.3 and model.links:
            model.links.append(model.links[0])
        for a in model.assignments:  # plans naming nothing, or twice the same
            if rng.random() < 0.05:
                a.enterprise = rng.choice(["nobody", ""])
        if rng.random() < 0.3 and model.assignments:
            model.assignments.append(model.assignments[-1])
        quick = validation.validate(model)
        with monkeypatch.context() as patched:
            patched.setattr(validation, "column_ok", lambda spec, values: False)
            patched.setattr(validation, "_unknown", lambda values, known: True)
            patched.setattr(validation, "_named_unknown", lambda columns, table, names: True)
            patched.setattr(validation, "_all_different", lambda columns, table: False)
            assert validation.validate(model) == quick, seed
