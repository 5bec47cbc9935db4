"""The Monte-Carlo (docs/method.md, “Who takes part”): a draw in which everyone takes part
with every benefit as estimated is the deterministic evaluation; certain inputs give a
result of zero width; and the mean over draws approaches the expectation computed
exactly by enumerating who takes part."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math

import numpy as np
import pytest

import planner.simulate as simulate_module
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
from models.files import save_model
from planner.cli import main
from planner.engine import evaluate
from planner.generate import generate
from planner.simulate import KPIS, Cancelled, Draws, simulate

approx = pytest.approx


def _model(**scenario: object) -> ChainModel:
    """Core C; S1 aware (takes part with 0.9), S2 heard of it (0.6), S3 unaware (0.3) but
    coached (K, +2 classes, live from 2026), so its 2026 project counts as aware (0.9).
    S1 and S2 are in park K1, which gets a park platform. Loans, a level-gated grant and a
    cap make the subsidies non-linear in who takes part."""
    model = ChainModel()
    model.enterprises = [
        Enterprise(id="C", name="Core", role="core", size="large", revenue=1000.0),
        Enterprise(id="S1", name="S1", role="supplier", size="small", revenue=100.0,
                   awareness="aware", park="K1", ownership="private"),
        Enterprise(id="S2", name="S2", role="supplier", size="micro", revenue=40.0,
                   awareness="heard_of", park="K1"),
        Enterprise(id="S3", name="S3", role="distributor", size="medium", revenue=300.0,
                   awareness="unaware"),
    ]
    model.links = [Link(supplier="S1", buyer="C", annual_value=1000.0),
                   Link(supplier="S2", buyer="S1", annual_value=400.0),
                   Link(supplier="C", buyer="S3", annual_value=500.0)]
    model.projects = [
        ProjectType(id="P", name="MES", category="operations", capex=10.0, opex=2.0,
                    duration=1, benefit_rate=0.1, benefit_fixed=3.0, maturity_gain=1,
                    benefit_low=0.5, benefit_high=1.5),
        ProjectType(id="PLAT", name="Onboarding", category="collaboration", capex=4.0,
                    duration=1, connects_platform=True, benefit_fixed=1.0, benefit_low=0.8,
                    benefit_high=1.1),
        ProjectType(id="K", name="Coaching", category="management", capex=1.0, duration=1,
                    awareness_gain=2),
        ProjectType(id="Q", name="Cloud ERP", category="management", capex=3.0, opex=1.0,
                    duration=1, benefit_fixed=2.5, maturity_gain=1),
        ProjectType(id="PARK", name="Park platform", category="collaboration", scope="park",
                    capex=20.0, opex=2.0, duration=1, benefit_fixed=0.5, connects_platform=True,
                    benefit_low=0.0, benefit_high=2.0),
    ]
    model.parks = [Park(id="K1")]
    params: dict[str, object] = {
        "name": "S", "start_year": 2025, "horizon": 4, "discount_rate": 0.1,
        "link_benefit_rate": 0.02, "subsidy_min_level": 2, "subsidy_cap": 4.0,
        "loan_share": 0.5, "loan_rate": 0.05, "interest_subsidy": 0.5,
        "opex_subsidy": 0.3, "tax_relief_rate": 0.1}
    params.update(scenario)
    model.scenarios = [Scenario(**params)]  # type: ignore[arg-type]
    model.assignments = [
        Assignment(scenario="S", enterprise=e, project=p, start_year=y, core_share=share)
        for e, p, y, share in (("C", "P", 2025, 0.0), ("S1", "P", 2025, 0.2),
                               ("S2", "PLAT", 2025, 0.0), ("S2", "P", 2026, 0.0),
                               ("S3", "K", 2025, 0.0), ("S3", "Q", 2025, 0.0),
                               ("S3", "P", 2026, 0.5))]
    model.park_assignments = [ParkAssignment(scenario="S", park="K1", project="PARK",
                                             start_year=2025, government_share=0.5,
                                             core_share=0.25)]
    return model


def _deterministic(model: ChainModel) -> dict[str, float]:
    """The KPIs of the model's first scenario as it is (every assignment takes place)."""
    result = evaluate(model)[0]
    n = len(model.enterprises)
    smes = [i for i, e in enumerate(model.enterprises) if e.role != "core"]
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    index = {e.id: i for i, e in enumerate(model.enterprises)}
    on = result.link_connected[:, -1]
    u = [index[lk.supplier] for lk, c in zip(model.links, on, strict=True) if c]
    v = [index[lk.buyer] for lk, c in zip(model.links, on, strict=True) if c]
    islands = connected_components(coo_matrix((np.ones(len(u)), (u, v)), shape=(n, n)),
                                   directed=False)[0]
    return {"npv": result.npv, "npv_core": result.party_npv("core"),
            "npv_sme": result.party_npv("sme"), "npv_park": result.party_npv("park"),
            "npv_government": result.party_npv("government"),
            "connected_share_end": float(result.connected[smes, -1].mean()),
            "digitalised_share_end": float(
                (result.maturity[smes, -1] >= model.scenarios[0].target_level).mean()),
            "islands_end": float(islands)}


def test_a_draw_where_everyone_takes_part_as_estimated_is_the_deterministic_evaluation():
    model = _model()
    setup = Draws.of(model, "S")
    n, projects = len(model.enterprises), len(model.projects)
    values = setup.evaluate(np.zeros((3, n)), np.ones((3, projects)))
    expected = _deterministic(model)
    for key, value in expected.items():
        assert list(values[key]) == approx([value] * 3, rel=1e-12, abs=1e-9), key
    assert list(values["participation"]) == [1.0, 1.0, 1.0]
    assert evaluate(model)[0].npv == approx(expected["npv_core"] + expected["npv_sme"]
                                            + expected["npv_park"] + expected["npv_government"])


@pytest.mark.parametrize("policy", [{}, {"subsidy_min_level": 2, "subsidy_cap": 30.0},
                                    {"subsidy_min_level": 3}, {"subsidy_cap": 10.0}])
def test_each_draw_is_the_engine_on_the_assignments_that_take_place(policy):
    """On a generated chain (islands, parks, claims within and beyond the cap), each draw
    with every benefit as estimated has the KPIs the engine gives the plan that keeps only
    the assignments taking place in that draw."""
    model = generate(120, seed=5)
    for original in model.scenarios:
        scenario = dataclasses.replace(original, **policy)
        alone = dataclasses.replace(
            model, scenarios=[scenario],
            assignments=[a for a in model.assignments if a.scenario == scenario.name],
            park_assignments=[b for b in model.park_assignments if b.scenario == scenario.name])
        setup = Draws.of(alone, scenario.name)
        u = np.random.default_rng(1).random((3, len(alone.enterprises)))
        values = setup.evaluate(u, np.ones((3, len(alone.projects))))
        for draw, takes in enumerate(values["takes"]):
            kept = set(setup.picked.rows[takes > 0].tolist())
            plan = dataclasses.replace(alone, assignments=[
                a for i, a in enumerate(alone.assignments) if i in kept])
            for key, value in _deterministic(plan).items():
                assert values[key][draw] == approx(value, rel=1e-9, abs=1e-6), \
                    (scenario.name, draw, key)


def test_certain_participation_and_no_ranges_give_a_result_of_zero_width():
    model = _model(participation_very_familiar=1.0, participation_aware=1.0,
                   participation_heard_of=1.0, participation_unaware=1.0)
    model.projects = [dataclasses.replace(p, benefit_low=1.0, benefit_high=1.0)
                      for p in model.projects]
    result = simulate(model, "S", draws=50, seed=3)
    expected = _deterministic(model)
    for key, value in expected.items():
        stats = result.stats(key)
        assert stats["sd"] == approx(0.0, abs=1e-9), key
        assert stats["min"] == approx(value) and stats["max"] == approx(value), key
    assert result.prob_npv_negative == (1.0 if expected["npv"] < 0 else 0.0)


def _enumerated(model: ChainModel) -> dict[str, float]:
    """Expected KPIs, exactly: every combination of who takes part with its probability.

    U of each firm is uniform; a firm's assignment happens when U < its rate (the core's
    and coaching ones always), so the thresholds cut [0, 1) into intervals, and within an
    interval the same assignments happen. Benefits enter linearly and independently of who
    takes part, so their multipliers are replaced by their means, (low + 1 + high) / 3."""
    scenario = model.scenarios[0]
    rates = {"very_familiar": scenario.participation_very_familiar,
             "aware": scenario.participation_aware,
             "heard_of": scenario.participation_heard_of,
             "unaware": scenario.participation_unaware}
    # hand-worked thresholds of this model (see _model): S3's P starts when coaching is live
    thresholds = {0: 2.0, 1: rates["aware"], 2: rates["heard_of"], 3: rates["heard_of"],
                  4: 2.0, 5: rates["unaware"], 6: rates["aware"]}
    firms = {"S1": [1], "S2": [2, 3], "S3": [4, 5, 6]}
    mean = dataclasses.replace
    expected_model = dataclasses.replace(model, projects=[
        mean(p, benefit_rate=p.benefit_rate * (p.benefit_low + 1 + p.benefit_high) / 3,
             benefit_fixed=p.benefit_fixed * (p.benefit_low + 1 + p.benefit_high) / 3)
        for p in model.projects])
    cuts = {}
    for firm, rows in firms.items():
        points = sorted({0.0, 1.0, *(min(1.0, thresholds[r]) for r in rows)})
        cuts[firm] = [(lo, hi) for lo, hi in itertools.pairwise(points) if hi > lo]
    totals = dict.fromkeys(["npv", "npv_core", "npv_sme", "npv_park", "npv_government",
                            "connected_share_end", "digitalised_share_end", "islands_end",
                            "participation"], 0.0)
    for combo in itertools.product(*cuts.values()):
        probability = math.prod(hi - lo for lo, hi in combo)
        happening = {0}
        for rows, (lo, _) in zip(firms.values(), combo, strict=True):
            happening |= {r for r in rows if lo < thresholds[r]}
        kept = dataclasses.replace(expected_model, assignments=[
            a for i, a in enumerate(model.assignments) if i in happening])
        for key, value in _deterministic(kept).items():
            totals[key] += probability * value
        totals["participation"] += probability * (len(happening) - 1) / 6
    return totals


def test_the_mean_of_many_draws_approaches_the_exact_expectation():
    model = _model()
    result = simulate(model, "S", draws=6000, seed=11)
    exact = _enumerated(model)
    assert exact["participation"] == approx((0.9 + 0.6 + 0.6 + 1 + 0.3 + 0.9) / 6)
    for key in KPIS:
        stats = result.stats(key)
        error = 4 * stats["sd"] / math.sqrt(result.draws) + 1e-9
        assert abs(stats["mean"] - exact[key]) <= error, (key, stats["mean"], exact[key])
    counts = result.participation_by_awareness
    assert counts["aware"][0] == 2 and counts["aware"][1] == approx(0.9, abs=0.03)
    assert counts["heard_of"][0] == 2 and counts["heard_of"][1] == approx(0.6, abs=0.03)
    # S3's coaching (always) and its 2025 project (0.3) start while it is unaware
    assert counts["unaware"][0] == 2 and counts["unaware"][1] == approx(0.65, abs=0.03)
    assert counts["very_familiar"][0] == 0


def test_the_same_seed_gives_the_same_result_however_the_draws_are_chunked(monkeypatch):
    model = _model()
    first = simulate(model, "S", draws=40, seed=5)
    monkeypatch.setattr(simulate_module, "_CELLS_PER_CHUNK", 1)  # one draw per pass
    again = simulate(model, "S", draws=40, seed=5)
    other = simulate(model, "S", draws=40, seed=6)
    for key in KPIS:
        assert list(first.values[key]) == approx(list(again.values[key]), rel=1e-12), key
    assert list(first.values["npv"]) != list(other.values["npv"])


def test_progress_is_reported_and_cancel_stops_the_run(monkeypatch):
    monkeypatch.setattr(simulate_module, "_CELLS_PER_CHUNK", 200)
    seen = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 20

    with pytest.raises(Cancelled):
        simulate(_model(), "S", draws=100, seed=1, progress=progress)
    assert seen[0][1] == 100 and seen[-1][0] >= 20 and seen[-1][0] < 100


def test_simulate_command_prints_the_json(tmp_path, capsys):
    path = tmp_path / "m.json"
    save_model(_model(), path)
    assert main(["simulate", str(path), "--scenario", "S", "--draws", "200", "--seed", "4",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["scenario"], data["draws"], data["seed"]) == ("S", 200, 4)
    assert set(data["kpis"]) == set(KPIS)
    assert set(data["kpis"]["npv"]) == {"mean", "sd", "p5", "p50", "p95", "min", "max"}
    assert 0 <= data["prob_npv_negative"] <= 1
    again = main(["simulate", str(path), "--scenario", "S", "--draws", "200", "--seed", "4",
                  "--json"])
    assert again == 0 and json.loads(capsys.readouterr().out) == data
    assert main(["simulate", str(path), "--scenario", "Nope"]) == 1


def test_the_analysis_lends_its_evaluation_only_when_it_is_of_the_same_model():
    """The app passes the scenario's evaluation from its analysis; the draws are then those
    of a plain run. An evaluation of another model (a stale analysis, here one with dearer
    projects) is not used."""
    model = generate(150, seed=9)
    dearer = dataclasses.replace(model, projects=[dataclasses.replace(p, capex=p.capex * 3)
                                                  for p in model.projects])
    own = {r.scenario.name: r for r in evaluate(model)}
    stale = {r.scenario.name: r for r in evaluate(dearer)}
    for scenario in model.scenarios:
        plain = simulate(model, scenario.name, draws=30, seed=2)
        lent = simulate(model, scenario.name, draws=30, seed=2, evaluated=own[scenario.name])
        ignored = simulate(model, scenario.name, draws=30, seed=2,
                           evaluated=stale[scenario.name])
        assert lent.deterministic_npv == plain.deterministic_npv == ignored.deterministic_npv
        for key in KPIS:
            np.testing.assert_array_equal(lent.values[key], plain.values[key], (scenario.name, key))
            np.testing.assert_array_equal(ignored.values[key], plain.values[key], key)
    assert any(stale[s.name].npv != own[s.name].npv for s in model.scenarios)
