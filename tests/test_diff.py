"""Comparing two plans: every difference found exactly, whatever the row order, language and
file format (``chainplan diff``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from examples import example_path
from models.chain import Assignment, Link, Park, ParkAssignment
from models.diff import DIFF_TABLES, FieldChange, diff, diff_lines
from models.files import load_model, save_model
from models.jsonio import from_dict, to_dict
from planner.cli import main


@pytest.fixture(scope="module")
def aircraft() -> Any:
    return load_model(example_path()).model


def copy(model: Any) -> Any:
    return from_dict(json.loads(json.dumps(to_dict(model))))


def found(result: Any) -> dict[str, dict[str, Any]]:
    """Only the tables with differences, as the JSON has them."""
    return {name: table for name, table in result.as_json()["tables"].items()
            if table["added"] or table["removed"] or table["changed"]}


def test_the_same_plan_has_no_differences(aircraft: Any) -> None:
    result = diff(aircraft, copy(aircraft))
    assert result.empty
    assert list(result.tables) == list(DIFF_TABLES)
    assert diff_lines(result) == ["no differences"]
    assert diff_lines(result, "zh_CN") == ["没有差异"]


def test_a_change_in_each_table_is_found_exactly(aircraft: Any) -> None:
    a = copy(aircraft)
    a.parks = [Park(id="K1", name="North park")]
    a.park_assignments = []
    b = copy(a)
    b.settings.currency = "EUR"
    b.settings.extra["reviewer"] = "Li"
    sme = next(e for e in b.enterprises if e.role != "core")
    sme.revenue += 5
    sme.size = "medium" if sme.size != "medium" else "small"
    sme.extra["Contact"] = "Wang"
    gone = b.enterprises.pop()
    b.links = [k for k in b.links if gone.id not in (k.supplier, k.buyer)]
    link = b.links[0]
    link.product = "wing ribs"
    pairs = {(k.supplier, k.buyer) for k in b.links}
    partner = next(e.id for e in b.enterprises
                   if e.id != sme.id and (sme.id, e.id) not in pairs)
    b.links.append(Link(supplier=sme.id, buyer=partner, annual_value=3.0))
    b.projects[0].capex = 123.5
    b.projects[0].eligible_sizes = ("small",)
    b.scenarios[0].discount_rate = 0.07
    first = b.assignments[0]
    first.start_year += 1
    b.assignments.append(Assignment(scenario=first.scenario, enterprise=sme.id,
                                    project=b.projects[-1].id, start_year=first.start_year))
    b.parks[0].name = "North industrial park"
    b.park_assignments.append(ParkAssignment(scenario=first.scenario, park="K1",
                                             project=b.projects[0].id,
                                             start_year=first.start_year))
    health = b.assessments[0]
    item = next(iter(health.answers))
    health.answers[item] = "Z" if health.answers[item] != "Z" else "Y"
    grade = next(iter(health.scenarios))
    health.scenarios[grade] = (health.scenarios[grade] + 1) % 5

    result = diff(a, b)
    tables = result.tables
    old_first = a.assignments[0]
    removed_links = [f"{k.supplier}→{k.buyer}" for k in a.links
                     if gone.id in (k.supplier, k.buyer)]
    assert tables["settings"].added == ["reviewer"] and not tables["settings"].removed
    assert tables["settings"].changed == [FieldChange("currency", "value", "CNY", "EUR")]
    assert tables["enterprises"].removed == [gone.id] and not tables["enterprises"].added
    old_sme = next(e for e in a.enterprises if e.id == sme.id)
    assert tables["enterprises"].changed == [
        FieldChange(sme.id, "size", old_sme.size, sme.size),
        FieldChange(sme.id, "revenue", old_sme.revenue, sme.revenue),
        FieldChange(sme.id, "Contact", None, "Wang")]
    assert tables["links"].added == [f"{sme.id}→{partner}"]
    assert tables["links"].removed == removed_links
    assert tables["links"].changed == [FieldChange(f"{link.supplier}→{link.buyer}", "product",
                                                   a.links[0].product, "wing ribs")]
    project = a.projects[0]
    assert tables["projects"].changed == [
        FieldChange(project.id, "capex", project.capex, 123.5),
        FieldChange(project.id, "eligible_sizes", project.eligible_sizes, ("small",))]
    assert tables["scenarios"].changed == [FieldChange(
        a.scenarios[0].name, "discount_rate", a.scenarios[0].discount_rate, 0.07)]
    key = f"{old_first.scenario}/{old_first.enterprise}/{old_first.project}"
    assert FieldChange(key, "start_year", old_first.start_year,
                       old_first.start_year + 1) in tables["assignments"].changed
    assert tables["assignments"].added == [f"{first.scenario}/{sme.id}/{b.projects[-1].id}"]
    assert tables["parks"].changed == [FieldChange("K1", "name", "North park",
                                                   "North industrial park")]
    assert tables["park_assignments"].added == [f"{first.scenario}/K1/{b.projects[0].id}"]
    old_health = a.assessments[0]
    assert tables["assessments"].changed == [
        FieldChange(f"{health.enterprise}/{health.date}", item, old_health.answers[item],
                    health.answers[item]),
        FieldChange(f"{health.enterprise}/{health.date}", grade, old_health.scenarios[grade],
                    health.scenarios[grade])]
    # and nothing else: the assignments of the removed firm are the only other rows gone
    gone_rows = [f"{x.scenario}/{x.enterprise}/{x.project}" for x in a.assignments
                 if x.enterprise == gone.id]
    assert tables["assignments"].removed == gone_rows
    assert len(tables["assignments"].changed) == 1
    assert set(found(result)) == set(DIFF_TABLES)


def test_row_order_does_not_matter(aircraft: Any) -> None:
    b = copy(aircraft)
    for table in DIFF_TABLES[1:]:
        getattr(b, table).reverse()
    assert diff(aircraft, b).empty


def test_language_and_format_do_not_matter(tmp_path: Path, aircraft: Any) -> None:
    english, chinese, native = (tmp_path / "en.xlsx", tmp_path / "zh.xlsx", tmp_path / "p.json")
    save_model(aircraft, english, "en")
    save_model(aircraft, chinese, "zh_CN")
    save_model(aircraft, native)
    models = [load_model(p).model for p in (english, chinese, native)]
    assert diff(models[0], models[1]).empty
    assert diff(models[1], models[2]).empty
    assert diff(aircraft, models[2]).empty


def test_the_cli_prints_the_differences_as_json(tmp_path: Path, aircraft: Any,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    b = copy(aircraft)
    firm = b.enterprises[1]
    firm.employees += 10
    removed = b.projects.pop()
    b.assignments = [x for x in b.assignments if x.project != removed.id]
    b.links.reverse()
    first, second = tmp_path / "v1.xlsx", tmp_path / "v2.json"
    save_model(aircraft, first, "zh_CN")
    save_model(b, second)

    assert main(["diff", str(first), str(second), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["tables"]) == set(DIFF_TABLES)
    assert out["tables"]["enterprises"] == {"added": [], "removed": [], "changed": [
        {"key": firm.id, "field": "employees", "old": firm.employees - 10,
         "new": firm.employees}]}
    assert out["tables"]["projects"]["removed"] == [removed.id]
    assert out["tables"]["links"] == {"added": [], "removed": [], "changed": []}

    assert main(["diff", str(first), str(first), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert all(t == {"added": [], "removed": [], "changed": []} for t in out["tables"].values())

    assert main(["diff", str(first), str(second), "--lang", "zh_CN"]) == 0
    text = capsys.readouterr().out
    assert f"~ {firm.id} 员工数：{firm.employees - 10} → {firm.employees}" in text
    assert f"  - {removed.id}" in text
    assert main(["diff", str(first), str(second), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert f"~ {firm.id} employees: {firm.employees - 10} → {firm.employees}" in text


def test_the_cli_refuses_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    assert main(["diff", str(bad), str(example_path()), "--lang", "en"]) == 1
    assert "cannot use" in capsys.readouterr().err


def test_enum_values_are_shown_in_the_chosen_language(aircraft: Any) -> None:
    b = copy(aircraft)
    b.links[0].criticality = "low" if b.links[0].criticality != "low" else "high"
    lines = diff_lines(diff(aircraft, b), "zh_CN")
    assert any("重要程度" in line and ("低" in line or "高" in line) for line in lines)
