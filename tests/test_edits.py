"""Model edits: typed events, exact undo, and references kept whole on delete and rename."""

from __future__ import annotations

import copy
import dataclasses
import random

from conftest import small_chain

from models.chain import Assessment, Assignment, ChainModel, Park, ParkAssignment, ProjectType
from models.edits import (
    References,
    RowsChanged,
    RowsInserted,
    RowsRemoved,
    append_rows,
    delete_edits,
    set_field_edits,
)
from models.validation import validate
from planner.generate import generate


def chain() -> ChainModel:
    model = small_chain()
    model.assessments = [Assessment(enterprise="S1", date="2025-01-01", answers={"energy": "C"}),
                         Assessment(enterprise="S2", date="2025-01-01")]
    return model


def apply(model, edits):
    return [edit.apply(model) for edit in edits]


def undo(model, edits):
    return [edit.inverse().apply(model) for edit in reversed(edits)]


def test_deleting_an_enterprise_removes_its_links_assignments_and_assessments_and_undo_restores():
    model = chain()
    before = copy.deepcopy(model)
    s1 = model.enterprises[1]
    edits = delete_edits(model, {"enterprises": [s1]})
    events = apply(model, edits)
    assert [e.id for e in model.enterprises] == ["C", "S2", "D1"]
    assert [(lk.supplier, lk.buyer) for lk in model.links] == [("C", "D1")]
    assert model.assignments == [] and [a.enterprise for a in model.assessments] == ["S2"]
    # referring rows go first, then the rows they refer to; each event names its positions
    assert events == [RowsRemoved("assessments", (0,)), RowsRemoved("assignments", (0, 1)),
                      RowsRemoved("links", (0, 1)), RowsRemoved("enterprises", (1,))]
    assert not [p for p in validate(model) if p.is_error]
    undo(model, edits)
    assert model == before
    assert model.enterprises[1] is s1  # the very rows come back, in their places


def test_deleting_a_project_removes_its_assignments_and_clears_requires():
    model = chain()
    before = copy.deepcopy(model)
    edits = delete_edits(model, {"projects": [model.projects[0]]})  # ERP, which MES requires
    apply(model, edits)
    assert [p.id for p in model.projects] == ["MES", "PLAT"]
    assert model.projects[0].requires == ""
    assert [a.project for a in model.assignments] == ["PLAT"]
    assert not [p for p in validate(model) if p.is_error]
    undo(model, edits)
    assert model == before


def test_deleting_a_park_removes_its_park_projects_and_clears_its_members_park():
    model = chain()
    model.enterprises[1].park = model.enterprises[2].park = "K1"
    model.parks = [Park(id="K1"), Park(id="K2")]
    model.projects.append(ProjectType(id="NET", name="Park 5G", category="infrastructure",
                                      scope="park"))
    scenario = model.scenarios[0].name
    model.park_assignments = [ParkAssignment(scenario=scenario, park=k, project="NET",
                                             start_year=2026) for k in ("K1", "K2")]
    apply(model, delete_edits(model, {"parks": [model.parks[0]]}))
    assert [k.id for k in model.parks] == ["K2"]
    assert [b.park for b in model.park_assignments] == ["K2"]
    assert [e.park for e in model.enterprises] == ["", "", "", ""]
    assert not [p for p in validate(model) if p.is_error]
    edits = delete_edits(model, {"scenarios": [model.scenarios[0]],
                                 "projects": [model.projects[-1]]})
    apply(model, edits)
    assert model.park_assignments == []
    undo(model, edits)
    assert [b.park for b in model.park_assignments] == ["K2"]


def test_deleting_a_scenario_removes_its_assignments_only():
    model = chain()
    model.assignments.append(Assignment(scenario="Other", enterprise="S2", project="ERP",
                                        start_year=2026))
    edits = delete_edits(model, {"scenarios": [model.scenarios[0]]})
    apply(model, edits)
    assert model.scenarios == [] and [a.scenario for a in model.assignments] == ["Other"]


def test_a_row_named_twice_by_one_delete_goes_once():
    model = chain()
    link = model.links[0]  # S1 → C, also removed with S1
    edits = delete_edits(model, {"enterprises": [model.enterprises[1]], "links": [link]})
    apply(model, edits)
    assert [(lk.supplier, lk.buyer) for lk in model.links] == [("C", "D1")]


def test_renaming_an_enterprise_renames_every_reference_in_one_list_of_edits():
    model = chain()
    before = copy.deepcopy(model)
    s1 = model.enterprises[1]
    edits = set_field_edits(model, "enterprises", [(s1, "id", "T1-01")])
    events = apply(model, edits)
    assert [(lk.supplier, lk.buyer) for lk in model.links][:2] == [("T1-01", "C"),
                                                                  ("S2", "T1-01")]
    assert {a.enterprise for a in model.assignments} == {"T1-01"}
    assert model.assessments[0].enterprise == "T1-01"
    assert RowsChanged("enterprises", (1,), frozenset({"id"})) in events
    assert RowsChanged("links", (0, 1), frozenset({"supplier", "buyer"})) in events
    assert [(p.severity, p.column) for p in validate(model)] == [
        (p.severity, p.column) for p in validate(before)]  # nothing broken, only renamed
    undo(model, edits)
    assert model == before


def test_renaming_a_project_or_scenario_follows_everywhere():
    model = chain()
    before = copy.deepcopy(model)
    edits = set_field_edits(model, "projects", [(model.projects[0], "id", "ERP2")])
    edits += set_field_edits(model, "scenarios", [(model.scenarios[0], "name", "Plan A")])
    apply(model, edits)
    assert model.projects[1].requires == "ERP2"
    assert [(a.scenario, a.project) for a in model.assignments] == [("Plan A", "ERP2"),
                                                                   ("Plan A", "PLAT")]
    undo(model, edits)
    assert model == before


def test_an_unchanged_value_makes_no_edit_and_appending_reports_positions():
    model = chain()
    assert set_field_edits(model, "enterprises", [(model.enterprises[0], "name",
                                                   model.enterprises[0].name)]) == []
    new = [Assignment(scenario="Base", enterprise="S2", project="ERP", start_year=2027)]
    assert apply(model, append_rows(model, "assignments", new)) == [
        RowsInserted("assignments", (2,))]


def follow(references, model, edits):
    apply(model, edits)
    references.follow(edits)


def test_the_reference_index_follows_a_rename_a_delete_and_their_undos():
    model = chain()
    references = References(model)
    s1 = model.enterprises[1]
    rename = set_field_edits(model, "enterprises", [(s1, "id", "T1")], references)
    follow(references, model, rename)
    assert references.rows(("links", "supplier"), {"S1"}) == []
    delete = delete_edits(model, {"enterprises": [s1]}, references)
    removed = {e.table: e.rows for e in delete}
    assert [a.enterprise for a in removed["assessments"]] == ["T1"]
    assert [a.project for a in removed["assignments"]] == ["ERP", "PLAT"]
    assert [(lk.supplier, lk.buyer) for lk in removed["links"]] == [("T1", "C"), ("S2", "T1")]
    assert removed["enterprises"] == (s1,)
    follow(references, model, delete)
    assert references.rows(("links", "buyer"), {"T1"}) == []
    follow(references, model, [e.inverse() for e in reversed(delete)])
    follow(references, model, [e.inverse() for e in reversed(rename)])
    assert [(lk.supplier, lk.buyer) for lk in references.rows(("links", "buyer"), {"S1"})] == [
        ("S2", "S1")]
    assert sorted(a.project for a in references.rows(("assignments", "enterprise"), {"S1"})
                  ) == ["ERP", "PLAT"]


def test_the_reference_index_finds_what_a_scan_finds_through_edits_and_undos():
    """Random deletes, renames, additions and undos of a generated chain: after each, the
    index (followed through every edit) names exactly the rows a scan of each column
    does, and a delete or rename through it makes exactly the edits a scan makes."""
    model = generate(150, seed=5)
    references = References(model)
    rng = random.Random(11)
    done: list = []
    for step in range(80):
        roll = rng.random()
        if done and roll < 0.25:
            edits = done.pop()
            follow(references, model, [e.inverse() for e in reversed(edits)])
        else:
            table = rng.choice([t for t in ["enterprises"] * 4 + ["projects", "scenarios", "parks"]
                                if getattr(model, t)])
            row = rng.choice(getattr(model, table))
            key = "name" if table == "scenarios" else "id"
            if roll < 0.55:
                edits = delete_edits(model, {table: [row]}, references)
                assert edits == delete_edits(model, {table: [row]})
            elif roll < 0.8:
                change = [(row, key, f"{getattr(row, key)}-{step}")]
                edits = set_field_edits(model, table, change, references)
                assert edits == set_field_edits(model, table, change)
            else:
                ends = rng.sample(model.enterprises, 2)
                edits = append_rows(model, "links", [dataclasses.replace(
                    model.links[0], supplier=ends[0].id, buyer=ends[1].id)])
            follow(references, model, edits)
            done.append(edits)
        for table, field in References.FIELDS:
            expected: dict = {}
            for r in getattr(model, table):
                expected.setdefault(getattr(r, field), []).append(id(r))
            for value, ids in expected.items():
                assert sorted(map(id, references.rows((table, field), {value}))) == sorted(ids)
