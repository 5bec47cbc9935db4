"""Parks, park projects and policy instruments in files: the rules a file must keep, each
broken in a typed-in workbook and in a native file and reported with sheet, row, column and
value; version-1 files opening as version 2 with the same numbers; lossless round trips in
English and Chinese; the template's Parks and ParkAssignments sheets.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from openpyxl import load_workbook

from models.chain import (
    SCHEMA_VERSION,
    Assignment,
    ChainModel,
    Enterprise,
    Link,
    Park,
    ParkAssignment,
    ProjectType,
    Scenario,
)
from models.files import load_model, save_model
from models.jsonio import to_dict
from models.problems import ImportFailed
from planner.cli import main
from planner.engine import evaluate

# --- a small valid workbook, typed in as people do ------------------------------------------

ENTERPRISES = [["id", "name", "role", "size", "ownership", "park"],
               ["C", "Core", "core", "large", "soe", "HP"],
               ["S1", "Supplier 1", "supplier", "small", "private", "HP"],
               ["S2", "Supplier 2", "supplier", "micro", "foreign", ""]]
PROJECTS = [["id", "name", "category", "capex", "opex", "scope"],
            ["ERP", "Cloud ERP", "management", 40, 4, "enterprise"],
            ["NET", "Park 5G", "infrastructure", 100, 10, "park"]]
SCENARIOS = [["name", "start_year", "horizon", "subsidy_min_level", "subsidy_ownership"],
             ["Base", 2026, 5, 2, "private, foreign"]]
ASSIGNMENTS = [["scenario", "enterprise", "project", "start_year"],
               ["Base", "S1", "ERP", 2026]]
PARKS = [["id", "name", "operator"], ["HP", "High-tech park", "HP Operations"]]
PARK_ASSIGNMENTS = [["scenario", "park", "project", "start_year", "government_share",
                     "core_share"],
                    ["Base", "HP", "NET", 2026, 0.5, 0.2]]


def _sheets(**changes: list[list[Any]] | None) -> dict[str, list[list[Any]]]:
    sheets = {"Enterprises": ENTERPRISES, "Links": [["supplier", "buyer"], ["S1", "C"]],
              "Projects": PROJECTS, "Scenarios": SCENARIOS, "Assignments": ASSIGNMENTS,
              "Parks": PARKS, "ParkAssignments": PARK_ASSIGNMENTS}
    sheets = copy.deepcopy(sheets)
    for name, rows in changes.items():
        if rows is None:
            del sheets[name]
        else:
            sheets[name] = rows
    return sheets


def _set(rows: list[list[Any]], row: int, column: str, value: Any) -> list[list[Any]]:
    """A copy of a sheet's rows with one cell changed (row counts as in the workbook)."""
    rows = copy.deepcopy(rows)
    rows[row - 1][rows[0].index(column)] = value
    return rows


def _errors(path: Path) -> list[str]:
    with pytest.raises(ImportFailed) as caught:
        load_model(path)
    return [p.text() for p in caught.value.problems if p.is_error]


def _json_file(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_base_workbook_is_valid(write_sheets):
    loaded = load_model(write_sheets(_sheets()))
    model = loaded.model
    assert model.park_ids() == ["HP"]
    assert [(p.id, p.scope) for p in model.projects] == [("ERP", "enterprise"), ("NET", "park")]
    assert model.scenarios[0].subsidy_ownership == ("private", "foreign")
    assert model.scenarios[0].subsidy_min_level == 2
    assert model.park_assignments == [ParkAssignment(
        scenario="Base", park="HP", project="NET", start_year=2026, government_share=0.5,
        core_share=0.2)]


# --- each rule, broken in a workbook ------------------------------------------------------

BROKEN = {
    # name: (sheets changed, the message's sheet, row, column, value, what it says)
    "unknown park on an enterprise": (
        {"Enterprises": _set(ENTERPRISES, 4, "park", "Nowhere")},
        "Enterprises", 4, "park", "'Nowhere'", "no such park in Parks"),
    "park project assigned to an enterprise": (
        {"Assignments": _set(ASSIGNMENTS, 2, "project", "NET")},
        "Assignments", 2, "project", "'NET'", "NET is a park project"),
    "enterprise project assigned to a park": (
        {"ParkAssignments": _set(PARK_ASSIGNMENTS, 2, "project", "ERP")},
        "ParkAssignments", 2, "project", "'ERP'", "ERP is an enterprise project"),
    "government and core shares over 100 %": (
        {"ParkAssignments": _set(PARK_ASSIGNMENTS, 2, "core_share", 0.6)},
        "ParkAssignments", 2, "core_share", "0.6", "add up to 110%"),
    "unknown scenario in ParkAssignments": (
        {"ParkAssignments": _set(PARK_ASSIGNMENTS, 2, "scenario", "Bsae")},
        "ParkAssignments", 2, "scenario", "'Bsae'", "no such scenario in Scenarios"),
    "unknown park in ParkAssignments": (
        {"ParkAssignments": _set(PARK_ASSIGNMENTS, 2, "park", "HQ")},
        "ParkAssignments", 2, "park", "'HQ'", "no such park in Parks"),
    "unknown project in ParkAssignments": (
        {"ParkAssignments": _set(PARK_ASSIGNMENTS, 2, "project", "NTE")},
        "ParkAssignments", 2, "project", "'NTE'", "no such project in Projects"),
    "a bad ownership in subsidy_ownership": (
        {"Scenarios": _set(SCENARIOS, 2, "subsidy_ownership", "private, state")},
        "Scenarios", 2, "subsidy_ownership", "'private, state'", "soe"),
    "subsidy_min_level 0": (
        {"Scenarios": _set(SCENARIOS, 2, "subsidy_min_level", 0)},
        "Scenarios", 2, "subsidy_min_level", "0", "1"),
    "subsidy_min_level 5": (
        {"Scenarios": _set(SCENARIOS, 2, "subsidy_min_level", 5)},
        "Scenarios", 2, "subsidy_min_level", "5", "4"),
    "subsidy_min_level 2.5": (
        {"Scenarios": _set(SCENARIOS, 2, "subsidy_min_level", 2.5)},
        "Scenarios", 2, "subsidy_min_level", "2.5", "whole number"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_rule_in_a_workbook_names_sheet_row_column_and_value(write_sheets, case):
    changes, sheet, row, column, value, what = BROKEN[case]
    errors = _errors(write_sheets(_sheets(**changes)))
    assert len(errors) == 1, errors
    text = errors[0]
    assert text.startswith(f"error: {sheet}, row {row}"), text
    assert f"column '{column}'" in text, text
    assert f"value {value}:" in text, text
    assert what in text, text


def test_a_broken_rule_is_named_in_chinese_too(write_sheets):
    path = write_sheets(_sheets(Enterprises=_set(ENTERPRISES, 4, "park", "Nowhere")))
    with pytest.raises(ImportFailed) as caught:
        load_model(path)
    text = caught.value.problems[0].text("zh_CN")
    assert text == "错误：企业，第 4 行（S2），列“园区”：值“Nowhere”：“园区”表中没有此项"


def test_without_a_parks_sheet_every_park_an_enterprise_names_is_a_park(write_sheets):
    enterprises = _set(ENTERPRISES, 4, "park", "Riverside")
    loaded = load_model(write_sheets(_sheets(Parks=None, Enterprises=enterprises)))
    assert loaded.model.parks == []
    assert loaded.model.park_ids() == ["HP", "Riverside"]
    assert loaded.errors == []
    # a park project may go to such a park; a park no enterprise names is still unknown
    broken = _set(PARK_ASSIGNMENTS, 2, "park", "Lakeside")
    errors = _errors(write_sheets(_sheets(Parks=None, ParkAssignments=broken), "b.xlsx"))
    assert len(errors) == 1 and "row 2" in errors[0] and "'Lakeside'" in errors[0]


def test_an_empty_parks_sheet_is_the_same_as_none(write_sheets):
    loaded = load_model(write_sheets(_sheets(Parks=[["id", "name"]])))
    assert loaded.model.park_ids() == ["HP"] and loaded.errors == []


def test_a_park_project_counts_for_the_members_of_a_park_named_only_by_enterprises(
        write_sheets):
    with_table = load_model(write_sheets(_sheets())).model
    without = load_model(write_sheets(_sheets(Parks=None), "b.xlsx")).model
    a, b = evaluate(with_table)[0], evaluate(without)[0]
    assert a.benefit.tolist() == b.benefit.tolist()
    assert a.party_cost["park"].tolist() == b.party_cost["park"].tolist()
    assert b.party_cost["park"].sum() > 0


# --- each rule, broken in a native file ---------------------------------------------------

def _base_json(write_sheets) -> dict[str, Any]:
    return to_dict(load_model(write_sheets(_sheets())).model)


JSON_BROKEN = {
    # name: (table, position, field, value, the message's sheet, column, shown value, says)
    "unknown park on an enterprise": ("enterprises", 2, "park", "Nowhere", "Enterprises",
                                      "park", "'Nowhere'", "no such park in Parks"),
    "park project assigned to an enterprise": ("assignments", 0, "project", "NET",
                                               "Assignments", "project", "'NET'",
                                               "park project"),
    "enterprise project assigned to a park": ("park_assignments", 0, "project", "ERP",
                                              "ParkAssignments", "project", "'ERP'",
                                              "enterprise project"),
    "government and core shares over 100 %": ("park_assignments", 0, "government_share", 0.9,
                                              "ParkAssignments", "core_share", "0.2",
                                              "add up to 110%"),
    "unknown scenario in ParkAssignments": ("park_assignments", 0, "scenario", "Bsae",
                                            "ParkAssignments", "scenario", "'Bsae'",
                                            "no such scenario"),
    "unknown park in ParkAssignments": ("park_assignments", 0, "park", "HQ", "ParkAssignments",
                                        "park", "'HQ'", "no such park"),
    "unknown project in ParkAssignments": ("park_assignments", 0, "project", "NTE",
                                           "ParkAssignments", "project", "'NTE'",
                                           "no such project"),
    "a bad ownership in subsidy_ownership": ("scenarios", 0, "subsidy_ownership",
                                             ["private", "state"], "scenarios",
                                             "subsidy_ownership", None, "soe"),
    "subsidy_min_level 0": ("scenarios", 0, "subsidy_min_level", 0, "Scenarios",
                            "subsidy_min_level", "0", "1 to 4"),
    "subsidy_min_level 5": ("scenarios", 0, "subsidy_min_level", 5, "Scenarios",
                            "subsidy_min_level", "5", "1 to 4"),
    "subsidy_min_level 2.5": ("scenarios", 0, "subsidy_min_level", 2.5, "scenarios",
                              "subsidy_min_level", "2.5", "whole number"),
}


@pytest.mark.parametrize("case", list(JSON_BROKEN))
def test_a_broken_rule_in_a_native_file_names_table_row_field_and_value(
        write_sheets, tmp_path, case):
    table, position, name, value, sheet, column, shown, what = JSON_BROKEN[case]
    data = _base_json(write_sheets)
    data[table][position][name] = value
    errors = _errors(_json_file(tmp_path, data))
    assert len(errors) == 1, errors
    text = errors[0]
    assert text.startswith(f"error: {sheet}, row {position + 1}"), text
    assert f"column '{column}'" in text, text
    if shown is not None:
        assert f"value {shown}:" in text, text
    assert what in text, text


# --- version 1 files ----------------------------------------------------------------------

V1_SHEETS = {
    "Settings": [["key", "value"], ["model_name", "Old plan"], ["schema_version", 1]],
    "Enterprises": [["id", "name", "role", "size", "ownership", "park", "revenue", "maturity",
                     "platform_connected"],
                    ["C", "Core", "core", "large", "soe", "Lingang", 100000, 3, "yes"],
                    ["S1", "Supplier 1", "supplier", "medium", "private", "Lingang", 20000, 1,
                     "no"],
                    ["S2", "Supplier 2", "supplier", "small", "other", "", 3000, 2, "no"]],
    "Links": [["supplier", "buyer", "annual_value", "data_connected"],
              ["S1", "C", 5000, "no"], ["S2", "S1", 1200, "no"]],
    "Projects": [["id", "name", "category", "capex", "opex", "duration", "benefit_rate",
                  "benefit_fixed", "maturity_gain", "connects_platform"],
                 ["ERP", "Cloud ERP", "management", 20, 5, 1, 0.01, 2, 1, "no"],
                 ["PLAT", "Platform", "collaboration", 8, 1, 1, 0, 0, 0, "yes"]],
    "Scenarios": [["name", "start_year", "horizon", "discount_rate", "subsidy_cap"],
                  ["Base", 2026, 5, 0.08, 10]],
    "Assignments": [["scenario", "enterprise", "project", "start_year", "core_share"],
                    ["Base", "S1", "ERP", 2026, 0], ["Base", "S1", "PLAT", 2026, 0.5],
                    ["Base", "S2", "ERP", 2025, 0], ["Base", "S2", "PLAT", 2030, 0]],
}


def _v1_model() -> ChainModel:
    """The model of V1_SHEETS, built from the data classes (every new field at its default)."""
    model = ChainModel()
    model.settings.model_name = "Old plan"
    model.enterprises = [
        Enterprise(id="C", name="Core", role="core", size="large", ownership="soe",
                   park="Lingang", revenue=100000.0, maturity=3, platform_connected=True),
        Enterprise(id="S1", name="Supplier 1", role="supplier", size="medium",
                   ownership="private", park="Lingang", revenue=20000.0),
        Enterprise(id="S2", name="Supplier 2", role="supplier", size="small", revenue=3000.0,
                   maturity=2)]
    model.links = [Link(supplier="S1", buyer="C", annual_value=5000.0),
                   Link(supplier="S2", buyer="S1", annual_value=1200.0)]
    model.projects = [
        ProjectType(id="ERP", name="Cloud ERP", category="management", capex=20.0, opex=5.0,
                    benefit_rate=0.01, benefit_fixed=2.0, maturity_gain=1),
        ProjectType(id="PLAT", name="Platform", category="collaboration", capex=8.0, opex=1.0,
                    connects_platform=True)]
    model.scenarios = [Scenario(name="Base", start_year=2026, subsidy_cap=10.0)]
    model.assignments = [
        Assignment(scenario="Base", enterprise="S1", project="ERP", start_year=2026),
        Assignment(scenario="Base", enterprise="S1", project="PLAT", start_year=2026,
                   core_share=0.5),
        Assignment(scenario="Base", enterprise="S2", project="ERP", start_year=2025),
        Assignment(scenario="Base", enterprise="S2", project="PLAT", start_year=2030)]
    return model


NUMBERS = ("capex", "opex", "subsidy", "cost", "benefit", "net", "maturity", "connected",
           "connected_share", "digitalised_share", "islands")


def _same_numbers(a: ChainModel, b: ChainModel) -> None:
    for x, y in zip(evaluate(a), evaluate(b), strict=True):
        for name in NUMBERS:
            np.testing.assert_array_equal(getattr(x, name), getattr(y, name), err_msg=name)
        for party in ("core", "sme", "government", "park"):
            np.testing.assert_array_equal(x.party_cost[party], y.party_cost[party])
        assert (x.npv, x.payback_year) == (y.npv, y.payback_year)


def test_a_version_1_workbook_opens_as_version_2_with_the_same_numbers(write_sheets):
    loaded = load_model(write_sheets(V1_SHEETS))
    model = loaded.model
    assert loaded.errors == []
    assert model.settings.schema_version == SCHEMA_VERSION == 2
    assert model.parks == [] and model.park_assignments == []
    assert model.park_ids() == ["Lingang"]
    assert [p.scope for p in model.projects] == ["enterprise", "enterprise"]
    expected = _v1_model()
    assert model.scenarios == expected.scenarios  # every policy field at its default
    assert model.projects == expected.projects
    _same_numbers(model, expected)
    result = evaluate(model)[0]
    for name in ("opex_subsidy", "interest_subsidy", "tax_relief", "loan_drawn",
                 "loan_repaid", "park_government"):
        assert not getattr(result, name).any(), name


def test_a_version_1_native_file_opens_as_version_2_with_the_same_numbers(tmp_path):
    data = to_dict(_v1_model())
    data["schema_version"] = data["settings"]["schema_version"] = 1
    for table in ("parks", "park_assignments"):
        del data[table]
    new_scenario_fields = ("opex_subsidy", "opex_subsidy_years", "subsidy_min_level",
                           "subsidy_ownership", "tax_relief_rate", "loan_share", "loan_rate",
                           "loan_years", "interest_subsidy")
    for record in data["scenarios"]:
        for name in new_scenario_fields:
            del record[name]
    for record in data["projects"]:
        del record["scope"]
    model = load_model(_json_file(tmp_path, data)).model
    assert model.settings.schema_version == 2
    assert model.scenarios == _v1_model().scenarios
    _same_numbers(model, _v1_model())


def test_a_newer_version_is_refused_with_a_clear_message(write_sheets):
    sheets = copy.deepcopy(V1_SHEETS)
    sheets["Settings"][2][1] = 3
    errors = _errors(write_sheets(sheets))
    assert errors == ["error: Settings, row 3 (schema_version), column 'value': this file is "
                      "format version 3; this program reads up to version 2: please update "
                      "Chain Digitalisation Planner"]


# --- round trips --------------------------------------------------------------------------

def everything() -> ChainModel:
    """A model with parks, park projects and every policy field away from its default."""
    model = _v1_model()
    model.enterprises[2].park = "Riverside"
    model.parks = [Park(id="Lingang", name="Lingang Science Park", district="Pudong",
                        operator="Lingang Group"),
                   Park(id="Riverside", name="", district="", operator="")]
    model.projects.append(ProjectType(id="5G", name="Shared 5G", category="infrastructure",
                                      capex=300.0, opex=20.0, duration=2, benefit_fixed=1.5,
                                      maturity_gain=1, connects_platform=True, scope="park"))
    model.scenarios[0] = Scenario(
        name="Base", start_year=2026, horizon=6, subsidy_cap=10.0, opex_subsidy=0.4,
        opex_subsidy_years=2, subsidy_min_level=2, subsidy_ownership=("private", "soe"),
        tax_relief_rate=0.25, loan_share=0.6, loan_rate=0.035, loan_years=4,
        interest_subsidy=0.5)
    model.scenarios.append(Scenario(name="Any owner", start_year=2026, subsidy_min_level=None,
                                    subsidy_ownership=("soe", "private", "foreign", "other")))
    model.park_assignments = [
        ParkAssignment(scenario="Base", park="Lingang", project="5G", start_year=2027,
                       government_share=0.35, core_share=0.25),
        ParkAssignment(scenario="Any owner", park="Riverside", project="5G", start_year=2026)]
    return model


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_workbook_round_trip_keeps_parks_and_every_policy_field(tmp_path, lang):
    model = everything()
    path = tmp_path / "plan.xlsx"
    save_model(model, path, lang)
    back = load_model(path).model
    assert back == model
    _same_numbers(back, model)


def test_a_native_file_round_trip_keeps_parks_and_every_policy_field(tmp_path):
    model = everything()
    save_model(model, tmp_path / "plan.json")
    back = load_model(tmp_path / "plan.json").model
    assert back == model
    save_model(back, tmp_path / "plan.xlsx", "zh_CN")
    assert load_model(tmp_path / "plan.xlsx").model == model


def _sheet_rows(path: Path, name: str) -> list[list[Any]]:
    book = load_workbook(path)
    return [list(r) for r in book[name].iter_rows(values_only=True)]


def test_the_chinese_workbook_uses_the_chinese_headers_and_values(tmp_path):
    path = tmp_path / "plan.xlsx"
    save_model(everything(), path, "zh_CN")
    names = load_workbook(path).sheetnames
    assert names.index("园区") > names.index("分配") and "园区项目分配" in names
    parks = _sheet_rows(path, "园区")
    assert parks[0] == ["编号", "名称", "区", "运营方"]
    assert parks[1] == ["Lingang", "Lingang Science Park", "Pudong", "Lingang Group"]
    park_assignments = _sheet_rows(path, "园区项目分配")
    assert park_assignments[0] == ["情景", "园区", "项目", "开始年", "政府分担", "核心企业分担"]
    assert park_assignments[1] == ["Base", "Lingang", "5G", 2027, 0.35, 0.25]
    projects = _sheet_rows(path, "项目")
    scope = projects[0].index("范围")
    assert [r[scope] for r in projects[1:]] == ["企业", "企业", "园区"]
    scenarios = _sheet_rows(path, "情景")
    header = scenarios[0]
    for name in ("运维补贴", "运维补贴年数", "补贴达标水平", "补贴所有制", "税收减免率",
                 "贷款比例", "贷款利率", "贷款年限", "贴息比例"):
        assert name in header, name
    base = dict(zip(header, scenarios[1], strict=True))
    assert base["补贴所有制"] == "民营、国有"
    assert (base["运维补贴"], base["运维补贴年数"], base["补贴达标水平"]) == (0.4, 2, 2)
    assert (base["税收减免率"], base["贷款比例"], base["贷款利率"]) == (0.25, 0.6, 0.035)
    assert (base["贷款年限"], base["贴息比例"]) == (4, 0.5)
    other = dict(zip(header, scenarios[2], strict=True))
    assert other["补贴所有制"] == "国有、民营、外资、其他"
    assert other["补贴达标水平"] is None


def test_a_chinese_workbook_typed_in_reads_the_chinese_values(write_sheets):
    path = write_sheets({
        "企业": [["编号", "名称", "角色", "规模", "所有制", "园区"],
                 ["C", "总装", "核心企业", "大型", "国有", "临港"],
                 ["S1", "机加", "供应商", "小型", "民营", "临港"]],
        "项目": [["编号", "名称", "类别", "投资", "范围"],
                 ["ERP", "上云", "管理", 10, "企业"], ["5G", "园区5G", "基础设施", 100, "园区"]],
        "情景": [["名称", "起始年", "补贴达标水平", "补贴所有制", "运维补贴", "贷款年限"],
                 ["基准", 2026, "2", "民营、外资", "30%", "3"]],
        "园区": [["编号", "名称", "区", "运营方"], ["临港", "临港科技园", "浦东", "临港集团"]],
        "园区项目分配": [["情景", "园区", "项目", "开始年", "政府分担", "核心企业分担"],
                     ["基准", "临港", "5G", 2026, "40%", "10%"]],
    })
    model = load_model(path).model
    assert model.parks == [Park(id="临港", name="临港科技园", district="浦东", operator="临港集团")]
    assert [p.scope for p in model.projects] == ["enterprise", "park"]
    scenario = model.scenarios[0]
    assert scenario.subsidy_ownership == ("private", "foreign")
    assert (scenario.subsidy_min_level, scenario.opex_subsidy, scenario.loan_years) == (
        2, 0.3, 3)
    assert model.park_assignments == [ParkAssignment(
        scenario="基准", park="临港", project="5G", start_year=2026, government_share=0.4,
        core_share=0.1)]


# --- the template -------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_template_has_the_parks_sheets_with_instructions_and_drop_downs(tmp_path, lang):
    path = tmp_path / "template.xlsx"
    assert main(["template", str(path), "--lang", lang]) == 0
    zh = lang == "zh_CN"
    book = load_workbook(path)
    parks, park_assignments = ("园区", "园区项目分配") if zh else ("Parks", "ParkAssignments")
    assert parks in book.sheetnames and park_assignments in book.sheetnames
    assert [c.value for c in book[parks][1]] == (["编号", "名称", "区", "运营方"] if zh
                                                 else ["id", "name", "district", "operator"])
    assert [c.value for c in book[park_assignments][1]] == (
        ["情景", "园区", "项目", "开始年", "政府分担", "核心企业分担"] if zh else
        ["scenario", "park", "project", "start_year", "government_share", "core_share"])
    # the Instructions sheet explains both sheets and each of their columns
    instructions = [list(r) for r in book["说明" if zh else "Instructions"].iter_rows(
        values_only=True)]
    for sheet, columns in ((parks, 4), (park_assignments, 6)):
        rows = [r for r in instructions if r[0] == sheet]
        assert len(rows) == 1 + columns, sheet
        assert rows[0][2], sheet  # the sheet's own explanation
    operator = next(r for r in instructions if r[0] == parks and r[1] == ("运营方" if zh
                                                                           else "operator"))
    assert ("园区运营方" if zh else "operating company") in operator[2]
    # the project's scope is chosen from a drop-down list
    projects = book["项目" if zh else "Projects"]
    header = [c.value for c in projects[1]]
    letter = projects.cell(1, header.index("范围" if zh else "scope") + 1).column_letter
    lists = {dv.formula1 for dv in projects.data_validations.dataValidation
             if any(str(r).startswith(letter + "2") for r in dv.sqref.ranges)}
    assert lists == {'"企业,园区"' if zh else '"enterprise,park"'}
    # the template reads back as an empty model (with no core enterprise yet)
    assert load_model(path, allow_invalid=True).model.park_ids() == []


def test_the_documented_message_is_the_programs(write_sheets):
    doc = (Path(__file__).resolve().parents[1] / "docs" / "file-format.md").read_text("utf-8")
    errors = _errors(write_sheets(_sheets(Enterprises=_set(ENTERPRISES, 4, "park", "Nowhere"))))
    assert errors == ["error: Enterprises, row 4 (S2), column 'park': value 'Nowhere': "
                      "no such park in Parks"]
    assert f"`{errors[0]}`" in doc
