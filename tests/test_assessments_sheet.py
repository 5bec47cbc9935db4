"""The optional Assessments sheet (评测) in the workbook and the JSON file."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from conftest import small_chain

from models.chain import SCHEMA_VERSION, Assessment, ChainModel
from models.files import load_model, save_model
from models.indicators import default_indicator_set
from models.jsonio import dumps, from_dict
from models.problems import ImportFailed
from models.validation import validate
from models.workbook import save_workbook

IND = default_indicator_set()
LEVEL2 = dict.fromkeys(("product_design", "process_design", "quality", "marketing", "finance",
                        "safety"), 2)
# 6 + 4.5 + 6 + 1.6 + 10 + 0 + 5 + 6 + 3.75 + 1.5 + 0 = 44.35 points: with LEVEL2, level 2
ANSWERS = {"network": ("B", "C", "D"), "equipment_digitised": "D", "equipment_networked": "E",
           "data_collection": ("B", "O"), "system_coverage": "E", "network_security": ("A",),
           "data_security": ("B", "C", "D", "E"), "planning": "E",
           "management_rules": ("B", "C"), "talent": ("D",), "funding": "A"}


def assessed() -> ChainModel:
    model = small_chain()  # S2 has maturity 2, D1 maturity 1
    model.assessments = [
        Assessment(enterprise="S2", date="2025-03-31", answers=dict(ANSWERS), scenarios=dict(LEVEL2),
                   extra={"note": "on site"}),
        Assessment(enterprise="D1", date="2025-01-02", answers={"energy": "C", "pass_rate": "C",
                                                                   "system_coverage": "E"},
                   scenarios=dict.fromkeys(("finance", "marketing", "quality", "after_sales",
                                            "human_resources", "collaborative_office"), 1)),
    ]
    return model


def test_the_assessed_model_is_valid_and_warning_free():
    assert validate(assessed()) == []


def test_a_firm_with_no_level_counts_as_level_1_with_a_warning_that_names_it():
    model = assessed()
    model.assessments[1].answers.clear()  # D1: 0 points, no level (无等级)
    problems = validate(model)
    assert [(p.severity, p.key, p.column) for p in problems] == [("warning", "D1", "maturity")]
    assert "no level" in problems[0].text() and "无等级" in problems[0].text("zh_CN")


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_workbook_round_trip_is_lossless(tmp_path, lang):
    model = assessed()
    path = tmp_path / "a.xlsx"
    save_model(model, path, lang)
    loaded = load_model(path)
    # the extra column is kept, and shown as ignored like on every other sheet
    assert [(p.severity, p.column) for p in loaded.problems] == [("warning", "note")]
    assert loaded.model == model
    book = openpyxl.load_workbook(path)
    sheet = book["评测" if lang == "zh_CN" else "Assessments"]
    headers = [c.value for c in sheet[1]]
    if lang == "zh_CN":
        assert headers[:3] == ["企业", "日期", "网络建设"]
        assert "产品设计" in headers
    else:
        assert headers[:3] == ["enterprise", "date", "network"]
        assert "product_design" in headers
    assert headers[-1] == "note"
    assert sheet.freeze_panes == "A2"
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    network = openpyxl.utils.get_column_letter(headers.index(headers[2]) + 1)
    design = openpyxl.utils.get_column_letter(
        headers.index("产品设计" if lang == "zh_CN" else "product_design") + 1)
    assert lists[f"{design}2"] == '"0,1,2,3,4"'
    assert network not in lists  # a multiple choice: letters in a cell, no drop-down
    digitised = openpyxl.utils.get_column_letter(headers.index(headers[3]) + 1)
    assert lists[f"{digitised}2"] == '"A,B,C,D,E"'
    row = [c.value for c in sheet[2]]
    assert row[2] == ("B、C、D" if lang == "zh_CN" else "B, C, D")


def test_json_round_trip_is_lossless_and_writes_the_current_schema_version():
    model = assessed()
    data = json.loads(dumps(model))
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["assessments"][0]["answers"]["data_collection"] == ["B", "O"]
    assert from_dict(data) == model


def test_a_model_without_assessments_writes_no_such_sheet_and_old_files_still_load(tmp_path):
    model = small_chain()
    path = tmp_path / "old.xlsx"
    save_model(model, path)
    assert "Assessments" not in openpyxl.load_workbook(path).sheetnames
    assert "assessments" not in json.loads(dumps(model))
    assert load_model(path).problems == []
    template = tmp_path / "survey.xlsx"
    save_workbook(ChainModel(), template, assessments=True)
    assert "Assessments" in openpyxl.load_workbook(template).sheetnames


def sheets(rows: list[list[object]]) -> dict[str, list[list[object]]]:
    model = small_chain()
    from models.workbook import workbook_bytes

    # the small chain's own sheets, then the hand-written Assessments sheet
    book = openpyxl.load_workbook(__import__("io").BytesIO(workbook_bytes(model)))
    out = {s.title: [[c.value for c in r] for r in s.iter_rows()] for s in book.worksheets
           if s.title != "Instructions"}
    out["评测"] = rows
    return out


def test_chinese_headers_letters_separators_percentages_and_dates_are_read(write_sheets):
    path = write_sheets(sheets([
        [" 企业 ", "日期", "网络建设", "数据采集", "设备联网", "Network_Security", "产品设计",
         "Quality Management", "绿色低碳", "信息系统"],
        ["S2", dt.datetime(2025, 3, 31), "B、C", "b,c；O", "85%", "B，E", "3级", 2.0,
         "unchanged", "企业使用本地或云化部署的信息化服务" and "全覆盖"],
        [None, None, None, None, None, None, None, None, None, None],
        ["D1", "2025/1/2", "无", "A", 0.4, None, "", None, "降低", "c"],
    ]))
    loaded = load_model(path, allow_invalid=True)
    s2, d1 = loaded.model.assessments
    assert (s2.enterprise, s2.date) == ("S2", "2025-03-31")
    assert s2.answers == {"network": ("B", "C"), "data_collection": ("B", "C", "O"),
                          "equipment_networked": "E", "network_security": ("B", "E"),
                          "energy": "B", "system_coverage": "E"}
    assert s2.scenarios == {"product_design": 3, "quality": 2}
    assert (d1.date, d1.answers["network"], d1.answers["data_collection"]) == (
        "2025-01-02", ("A",), ("A",))
    assert (d1.answers["equipment_networked"], d1.answers["energy"]) == ("C", "C")
    assert "network_security" not in d1.answers


def test_every_bad_cell_is_reported_with_sheet_row_column_and_value(write_sheets):
    path = write_sheets(sheets([
        ["enterprise", "date", "network", "data_collection", "funding", "product_design"],
        ["S2", "yesterday", "Z", "B, teleportation", "lots", "high"],
        ["", "2025-01-01", "B", "", "", ""],
    ]))
    with pytest.raises(ImportFailed) as failed:
        load_model(path)
    found = {(p.table[0], p.row, p.column, p.value) for p in failed.value.problems}
    assert found == {("评测", 2, "date", "yesterday"), ("评测", 2, "network", "Z"),
                     ("评测", 2, "data_collection", "B, teleportation"),
                     ("评测", 2, "funding", "lots"), ("评测", 2, "product_design", "high"),
                     ("评测", 3, "enterprise", "")}
    network = next(p for p in failed.value.problems if p.column == "network")
    assert "options from A, B, C, D, E, separated by commas (A, none, stands alone)" in (
        network.text())
    assert "A 即“无”" in network.text("zh_CN")


def test_a_missing_enterprise_column_is_reported(write_sheets):
    path = write_sheets(sheets([["date", "network"], ["2025-01-01", "B"]]))
    with pytest.raises(ImportFailed) as failed:
        load_model(path)
    assert [(p.row, p.column) for p in failed.value.problems] == [(1, "enterprise")]


def test_rule_breaks_are_errors_on_their_workbook_row(write_sheets):
    path = write_sheets(sheets([
        ["enterprise", "date", "equipment_digitised", "product_design"],
        ["S2", "2025-01-01", 0.5, 1],
        ["NOPE", "2025-01-01", "C", 7],
        ["S2", "2025-01-01", None, None],
    ]))
    loaded = load_model(path, allow_invalid=True)
    found = {(p.row, p.column, p.value) for p in loaded.errors}
    assert found == {(3, "enterprise", "NOPE"), (3, "product_design", 7),
                     (4, "date", "S2 → 2025-01-01")}
    assert all(p.table[0] == "Assessments" for p in loaded.errors)


def test_unknown_answers_in_code_or_json_are_errors():
    model = assessed()
    model.assessments[0].answers["network"] = ("A", "B")  # none, and B
    model.assessments[0].answers["made_up"] = 1
    model.assessments[0].answers["planning"] = "G"
    model.assessments[0].scenarios["finance"] = 5
    found = {(p.column, p.value) for p in validate(model) if p.is_error}
    assert found == {("network", ("A", "B")), ("made_up", "made_up"), ("planning", "G"),
                     ("finance", 5)}
    data = json.loads(dumps(assessed()))
    data["assessments"][0]["answers"]["made_up"] = 1
    data["assessments"][1]["answers"]["network"] = "fibre"
    with pytest.raises(ImportFailed) as failed:
        from_dict(data)
    assert {(p.row, p.column, p.value) for p in failed.value.problems} == {
        (1, "answers", "made_up"), (2, "network", "fibre")}


def test_a_latest_assessment_that_disagrees_with_maturity_is_a_warning(tmp_path):
    model = assessed()
    model.enterprises[2].maturity = 3  # S2, assessed at level 2
    # an older assessment at another level does not count
    model.assessments.append(Assessment(enterprise="D1", date="2023-05-05",
                                        answers=dict(ANSWERS), scenarios=dict(LEVEL2)))
    model.assessments[0].extra.clear()
    path = tmp_path / "m.xlsx"
    save_model(model, path)
    loaded = load_model(path)
    assert [(p.severity, p.table[0], p.row, p.key, p.column, p.value) for p in loaded.problems
            ] == [("warning", "Enterprises", 4, "S2", "maturity", 3)]
    text = loaded.problems[0].text()
    assert "latest assessment (2025-03-31) gives level 2" in text
    assert "最近一次评测" in loaded.problems[0].text("zh_CN")
