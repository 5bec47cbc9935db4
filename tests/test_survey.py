"""Surveys: each SME's part of the plan sent out as a workbook, and the returns merged back."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from examples import example_path
from models.files import load_model
from models.jsonio import to_dict
from models.survey import (
    APPLIED,
    CONFLICT,
    NOT_CONFIRMED,
    REFUSED,
    changes_workbook,
    collect,
    survey_file_name,
    write_surveys,
)
from models.validation import validate
from models.workbook import read_workbook
from planner.cli import main
from tests.conftest import small_chain

TODAY = "2026-05-01"


def surveys(model: Any, folder: Path, lang: str = "en") -> dict[str, Path]:
    return {s.enterprise: s.path for s in write_surveys(model, folder, lang, today=TODAY)}


def aircraft() -> Any:
    return load_model(example_path()).model


def header_column(sheet: Any, *names: str) -> int:
    for cell in sheet[1]:
        if cell.value in names:
            return int(cell.column)
    raise AssertionError(f"no column {names}")


def edit(path: Path, changes: list[tuple[str, int, tuple[str, ...], Any]],
         out: Path | None = None) -> Path:
    """Edit a survey as a user would in a spreadsheet program: (sheet, row, header names,
    value), then save (openpyxl re-saves the whole file, as Excel or WPS do)."""
    book = load_workbook(path)
    for title, row, names, value in changes:
        sheet = book[title]
        sheet.cell(row=row, column=header_column(sheet, *names), value=value)
    target = out or path
    book.save(target)
    return target


def rows_of(path: Path, title: str) -> list[list[Any]]:
    return [list(r) for r in load_workbook(path)[title].iter_rows(values_only=True)]


# --- the survey workbook ------------------------------------------------------------------

def test_survey_holds_the_firms_part_with_locked_keys_and_drop_downs(tmp_path: Path) -> None:
    model = aircraft()
    files = surveys(model, tmp_path)
    core = model.core()
    assert core is not None and core.id not in files
    assert len(files) == len(model.enterprises) - 1
    firm = next(e for e in model.enterprises if e.role != "core"
                and any(a.enterprise == e.id for a in model.assessments))
    read = read_workbook(files[firm.id]).model
    assert [e.id for e in read.enterprises] == [firm.id]
    assert {(k.supplier, k.buyer) for k in read.links} == {
        (k.supplier, k.buyer) for k in model.links if firm.id in (k.supplier, k.buyer)}
    latest = max((a for a in model.assessments if a.enterprise == firm.id), key=lambda a: a.date)
    assert [(a.date, a.answers, a.scenarios) for a in read.assessments] == [
        (latest.date, latest.answers, latest.scenarios)]
    assert read.settings.extra["survey_enterprise"] == firm.id
    assert read.settings.extra["survey_model"] == model.settings.model_name

    book = load_workbook(files[firm.id])
    assert book.sheetnames == ["Instructions", "Settings", "Enterprises", "Links", "Assessments"]
    text = " ".join(str(c) for r in book["Instructions"].iter_rows(values_only=True)
                    for c in r if c)
    assert firm.name in text and "send it back" in text.lower()
    assert "A  " in text  # the health check's lettered options are listed
    enterprises, links = book["Enterprises"], book["Links"]
    for sheet in (enterprises, links, book["Assessments"], book["Settings"]):
        assert sheet.protection.sheet and not sheet.protection.password
    assert enterprises["A2"].protection.locked  # id
    assert not enterprises.cell(2, header_column(enterprises, "revenue")).protection.locked
    assert links["A2"].protection.locked and links["B2"].protection.locked
    assert not links.cell(2, header_column(links, "annual_value")).protection.locked
    assert links.page_setup.orientation == "landscape" and links.print_title_rows == "$1:$1"
    assert any("criticality" not in str(v.sqref) and '"low,medium,high"' in str(v.formula1)
               for v in links.data_validations.dataValidation)


def test_chinese_surveys_have_chinese_sheets_headers_and_values(tmp_path: Path) -> None:
    model = small_chain()
    files = surveys(model, tmp_path, "zh_CN")
    book = load_workbook(files["S2"])
    assert book.sheetnames == ["说明", "设置", "企业", "链接", "评测"]
    assert rows_of(files["S2"], "链接")[0][:3] == ["供应方", "采购方", "年交易额"]
    assert rows_of(files["S2"], "链接")[1][4] == "高"
    assert any(r[0] == "如何寄回" for r in rows_of(files["S2"], "说明"))
    edit(files["S2"], [("链接", 2, ("重要程度",), "低")])
    collection = collect(model, [files["S2"]])
    assert [(c.key, c.field, c.old, c.new, c.status) for c in collection.changes] == [
        ("S2→S1", "criticality", "high", "low", APPLIED)]


def test_file_names_are_safe_and_unique() -> None:
    taken: set[str] = set()
    names = [survey_file_name(i, taken) for i in ("a/b", "A/B", "CON", "..", "供应商 1")]
    assert names == ["a_b.xlsx", "A_B-2.xlsx", "_CON.xlsx", "enterprise.xlsx", "供应商_1.xlsx"]


# --- collecting ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_unchanged_returns_change_nothing(tmp_path: Path, lang: str) -> None:
    model = aircraft()
    before = to_dict(model)
    files = surveys(model, tmp_path, lang)
    collection = collect(model, list(files.values()))
    assert collection.changes == [] and collection.refused == [] and collection.ok
    assert collection.edits() == []
    assert to_dict(collection.merged()) == before


def test_changes_are_listed_and_applied_as_edits_that_undo(tmp_path: Path) -> None:
    model = small_chain()
    before = to_dict(model)
    files = surveys(model, tmp_path)
    edit(files["S1"], [("Enterprises", 2, ("revenue",), "25,000"),  # typed as text
                       ("Enterprises", 2, ("employees",), "120"),
                       ("Links", 2, ("data_connected",), "yes")])
    collection = collect(model, [files["S1"]])
    assert to_dict(model) == before  # collecting changes nothing yet
    assert {(c.table, c.key, c.field, c.old, c.new) for c in collection.changes} == {
        ("enterprises", "S1", "revenue", 20000.0, 25000.0),
        ("enterprises", "S1", "employees", 0, 120),
        ("links", "S1→C", "data_connected", False, True)}
    edits = collection.edits()
    for e in edits:
        e.apply(model)
    assert model.enterprise_index()["S1"].revenue == 25000.0
    for e in reversed(edits):
        e.inverse().apply(model)
    assert to_dict(model) == before


def test_tolerates_reordered_columns_chinese_headers_blank_rows_and_renamed_sheets(
        tmp_path: Path) -> None:
    model = small_chain()
    files = surveys(model, tmp_path)
    source = load_workbook(files["S2"])
    out = Workbook()
    out.remove(out.active)
    chinese = {"Links": "链接", "Enterprises": "企业"}
    for sheet in source.worksheets:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        target = out.create_sheet(chinese.get(sheet.title, sheet.title))
        if sheet.title == "Links":
            header = {"supplier": "供应方", "buyer": "采购方", "annual_value": "年交易额"}
            rows[0] = [header.get(h, h) for h in rows[0]]
            rows = [list(reversed(r)) for r in rows]  # columns in another order
            rows[1][rows[0].index("年交易额")] = "1,500"  # a number typed as text
            rows.insert(1, [None] * len(rows[0]))  # blank rows
            rows.append([None] * len(rows[0]))
        for row in rows:
            target.append(row)
    path = tmp_path / "returned" / "S2.xlsx"
    path.parent.mkdir()
    out.save(path)
    collection = collect(model, [path])
    assert collection.refused == []
    assert [(c.key, c.field, c.new) for c in collection.changes] == [
        ("S2→S1", "annual_value", 1500.0)]


def test_new_link_and_new_assessment_are_added(tmp_path: Path) -> None:
    model = aircraft()
    firm = next(e.id for e in model.enterprises if e.role == "supplier")
    other = next(e.id for e in model.enterprises
                 if e.id != firm and not any({firm, e.id} == {k.supplier, k.buyer}
                                             for k in model.links))
    files = surveys(model, tmp_path)
    book = load_workbook(files[firm])
    links = book["Links"]
    row = links.max_row + 1
    links.cell(row, 1, firm)
    links.cell(row, 2, other)
    links.cell(row, header_column(links, "annual_value"), 321)
    links.cell(row + 1, 1, firm)
    links.cell(row + 1, 2, "NOBODY")
    sheet = book["Assessments"]
    sheet.cell(2, header_column(sheet, "date"), "2026-04-30")
    book.save(files[firm])
    collection = collect(model, [files[firm]])
    added = {(c.table, c.key): c.status for c in collection.changes if not c.field}
    assert added == {("links", f"{firm}→{other}"): APPLIED,
                     ("links", f"{firm}→NOBODY"): REFUSED,
                     ("assessments", f"{firm}/2026-04-30"): APPLIED}
    count = len(model.assessments)
    merged = collection.merged()
    link = next(k for k in merged.links if (k.supplier, k.buyer) == (firm, other))
    assert link.annual_value == 321
    assert len(merged.assessments) == count + 1
    assert not [p for p in validate(merged) if p.is_error]


def test_a_link_missing_from_a_return_is_kept_and_not_confirmed(tmp_path: Path) -> None:
    model = small_chain()
    files = surveys(model, tmp_path)
    book = load_workbook(files["S1"])
    links = book["Links"]
    gone = (links["A2"].value, links["B2"].value)
    links.delete_rows(2)
    book.save(files["S1"])
    collection = collect(model, [files["S1"]])
    assert [(c.key, c.status) for c in collection.changes] == [("→".join(gone), NOT_CONFIRMED)]
    assert collection.ok and collection.edits() == []
    assert len(collection.merged().links) == 3


def test_two_returns_setting_a_field_differently_conflict(tmp_path: Path) -> None:
    model = small_chain()
    files = surveys(model, tmp_path)
    # the link S2 → S1 is in both firms' surveys
    edit(files["S1"], [("Links", 3, ("annual_value",), 1300)])
    edit(files["S2"], [("Links", 2, ("annual_value",), 1400),
                       ("Enterprises", 2, ("employees",), 30)])
    assert rows_of(files["S1"], "Links")[2][:2] == ["S2", "S1"]
    collection = collect(model, [files["S1"], files["S2"]])
    conflicts = collection.by_status(CONFLICT)
    assert sorted((c.file, c.new) for c in conflicts) == [("S1.xlsx", 1300), ("S2.xlsx", 1400)]
    assert not collection.ok
    merged_value = lambda m: next(k for k in m.links if k.supplier == "S2").annual_value  # noqa: E731
    edits = collection.edits()  # the conflict is not applied; S2's other change is
    assert len(edits) == 1 and edits[0].table == "enterprises"
    with pytest.raises(ValueError):
        collection.edits(conflicts)
    chosen = next(c for c in conflicts if c.file == "S2.xlsx")
    collection.merged([*collection.by_status(APPLIED), chosen])
    assert merged_value(model) == 1400
    # the same value from both sides is no conflict
    model = small_chain()
    files = surveys(model, tmp_path / "again")
    edit(files["S1"], [("Links", 3, ("annual_value",), 1300)])
    edit(files["S2"], [("Links", 2, ("annual_value",), 1300)])
    collection = collect(model, list(files.values()))
    assert collection.ok and merged_value(collection.merged()) == 1300


def test_a_return_does_not_undo_what_changed_since_it_was_sent(tmp_path: Path) -> None:
    model = small_chain()
    files = surveys(model, tmp_path)
    edit(files["S1"], [("Links", 3, ("annual_value",), 1300)])  # S2 → S1, in both surveys
    edit(files["S2"], [("Enterprises", 2, ("employees",), 40)])
    collect(model, [files["S1"]]).merged()
    model.enterprise_index()["S2"].revenue = 3500.0  # the core's own edit after sending
    collection = collect(model, [files["S2"]])  # a week later
    assert [(c.key, c.field, c.old, c.new) for c in collection.changes] == [
        ("S2", "employees", 0, 40)]
    assert "another version of the model" in collection.notices[0][1][0]
    merged = collection.merged()
    s2 = merged.enterprise_index()["S2"]
    assert (s2.revenue, s2.employees) == (3500.0, 40)
    assert next(k for k in merged.links if k.supplier == "S2").annual_value == 1300


def test_a_change_breaking_a_rule_is_refused(tmp_path: Path) -> None:
    model = small_chain()
    files = surveys(model, tmp_path)
    edit(files["S1"], [("Enterprises", 2, ("maturity",), 7), ("Enterprises", 2, ("name",), "S1 Ltd")])
    collection = collect(model, [files["S1"]])
    refused = collection.by_status(REFUSED)
    assert refused and all(c.key == "S1" for c in refused)
    assert "1" in refused[0].reason[0]
    assert collection.edits() == []  # the row's changes go together


# --- refusals -----------------------------------------------------------------------------

def refusal_of(model: Any, path: Path) -> str:
    collection = collect(model, [path])
    assert collection.changes == [] and not collection.ok
    assert len(collection.refused) == 1
    return collection.refused[0].reason[0]


def test_unreadable_files_are_refused(tmp_path: Path) -> None:
    model = small_chain()
    path = tmp_path / "S1.xlsx"
    path.write_text("not a workbook")
    assert "not an Excel workbook" in refusal_of(model, path)
    assert "cannot open" in refusal_of(model, tmp_path / "missing.xlsx")


def test_a_return_for_an_enterprise_not_in_the_model_is_refused(tmp_path: Path) -> None:
    model = small_chain()
    files = surveys(model, tmp_path)
    model.links = [k for k in model.links if "S2" not in (k.supplier, k.buyer)]
    model.enterprises = [e for e in model.enterprises if e.id != "S2"]
    assert "'S2', which is not in the model" in refusal_of(model, files["S2"])


@pytest.mark.parametrize("sheet, row, names, value, words", [
    ("Enterprises", 2, ("id",), "S2", "another enterprise ('S2')"),
    ("Links", 3, ("buyer",), "D1", "does not touch 'S1'"),
    ("Assessments", 2, ("enterprise",), "D1", "another enterprise ('D1')"),
    ("Settings", 11, ("value",), "ZZZ", "'ZZZ', which is not in the model"),
])
def test_rows_of_other_enterprises_refuse_the_whole_file(
        tmp_path: Path, sheet: str, row: int, names: tuple[str, ...], value: str,
        words: str) -> None:
    model = small_chain()
    files = surveys(model, tmp_path)
    assert rows_of(files["S1"], "Settings")[10][0] == "survey_enterprise"
    # a real change beside it: nothing of a refused file is applied
    edit(files["S1"], [("Enterprises", 2, ("revenue",), 1.0), (sheet, row, names, value)])
    before = to_dict(model)
    assert words in refusal_of(model, files["S1"])
    assert to_dict(model) == before


def test_hostile_returns(tmp_path: Path) -> None:
    model = small_chain()
    files = surveys(model, tmp_path)
    # a formula with no value a spreadsheet program computed would read as empty: refused
    edit(files["S1"], [("Links", 2, ("annual_value",), "=1+2")])
    assert "A1" not in (reason := refusal_of(model, files["S1"])) and "C2" in reason
    assert "formulas without a computed value" in reason
    # text that a spreadsheet would run as a formula stays text, in the model and in MERGED
    files = surveys(model, tmp_path / "text")
    book = load_workbook(files["S1"])
    cell = book["Links"].cell(2, header_column(book["Links"], "product"))
    cell.value, cell.data_type = "=cmd|' /C calc'!A0", "s"
    book.save(files["S1"])
    collection = collect(model, [files["S1"]])
    assert [(c.field, c.new) for c in collection.changes] == [("product", "=cmd|' /C calc'!A0")]
    merged = tmp_path / "merged.xlsx"
    from models.files import save_model

    save_model(collection.merged(), merged)
    for sheet in load_workbook(merged).worksheets:
        assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
    # an over-long text (a cell holds 32,767 characters) is refused, the rest of the file taken
    files = surveys(small_chain(), tmp_path / "long")
    edit(files["S1"], [("Links", 2, ("product",), "x" * 40_000),
                       ("Enterprises", 2, ("industry",), "Machining")])
    collection = collect(small_chain(), [files["S1"]])
    assert [(c.field, c.status) for c in collection.changes] == [("industry", APPLIED),
                                                                 ("product", REFUSED)]
    assert "32,767 characters" in collection.changes[1].reason[0]
    # another enterprise's survey sheet pasted into this one
    files = surveys(small_chain(), tmp_path / "pasted")
    other = load_workbook(files["D1"])["Links"]
    book = load_workbook(files["S1"])
    for row in other.iter_rows(min_row=2, values_only=True):
        book["Links"].append(list(row))
    book.save(files["S1"])
    assert "does not touch 'S1'" in refusal_of(small_chain(), files["S1"])


# --- files re-saved by LibreOffice ----------------------------------------------------------

def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None,
                    reason="LibreOffice (soffice) is not installed: apt-get install "
                           "libreoffice-calc-nogui")
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_returns_re_saved_by_libreoffice(tmp_path: Path, lang: str) -> None:
    model = aircraft()
    ids = [e.id for e in model.enterprises if e.role != "core"][:3]
    files = {s.enterprise: s.path for s in write_surveys(model, tmp_path / "out", lang, ids)}
    zh = lang == "zh_CN"
    edit(files[ids[0]], [("企业" if zh else "Enterprises", 2, ("员工数", "employees"), 77)])
    # a formula typed in a cell: the spreadsheet program saves its value, which is read
    edit(files[ids[1]], [("企业" if zh else "Enterprises", 2, ("员工数", "employees"), "=40*3")])
    converted = tmp_path / "converted"
    profile = (tmp_path / "profile").as_uri()
    try:
        subprocess.run([_soffice() or "", f"-env:UserInstallation={profile}", "--headless",
                        "--convert-to", "xlsx", "--outdir", str(converted),
                        *map(str, files.values())], check=True, capture_output=True,
                       timeout=240)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"soffice could not run: {exc}")
    returned = sorted(converted.glob("*.xlsx"))
    assert len(returned) == 3
    collection = collect(model, returned)
    assert collection.refused == []
    assert [(c.key, c.field, c.new) for c in collection.changes] == [
        (ids[0], "employees", 77), (ids[1], "employees", 120)]


# --- the command line ---------------------------------------------------------------------

def test_cli_survey_and_collect(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from models.files import save_model

    plan = tmp_path / "plan.json"
    save_model(small_chain(), plan)
    out = tmp_path / "surveys"
    assert main(["survey", str(plan), "--out", str(out), "--lang", "en"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["D1.xlsx", "S1.xlsx", "S2.xlsx"]
    assert main(["survey", str(plan), "--out", str(out), "--enterprises", "S9",
                 "--lang", "en"]) == 1
    assert "S9" in capsys.readouterr().err
    edit(out / "S1.xlsx", [("Enterprises", 2, ("employees",), 55)])
    (tmp_path / "junk.xlsx").write_text("junk")
    merged, changes = tmp_path / "merged.json", tmp_path / "changes.xlsx"
    capsys.readouterr()
    code = main(["collect", str(plan), str(out / "S1.xlsx"), str(out / "S2.xlsx"),
                 str(tmp_path / "junk.xlsx"), "--out", str(merged), "--json",
                 "--changes", str(changes), "--lang", "en"])
    assert code == 1  # a file was refused
    result = json.loads(capsys.readouterr().out)
    assert result["applied"] == [{"file": "S1.xlsx", "table": "enterprises", "key": "S1",
                                  "field": "employees", "old": 0, "new": 55}]
    assert result["conflicts"] == [] and result["not_confirmed"] == []
    assert [r["file"] for r in result["refused"]] == ["junk.xlsx"]
    assert load_model(merged).model.enterprise_index()["S1"].employees == 55
    assert rows_of(changes, "Changes")[1][:7] == ["S1.xlsx", "Enterprises", "S1", "employees",
                                                 0, 55, "applied"]
    assert main(["collect", str(plan), str(out / "S2.xlsx"), "--out", str(merged),
                 "--lang", "zh_CN"]) == 0
    assert "1 个文件：0 项已应用" in capsys.readouterr().out


def test_changes_workbook_in_chinese(tmp_path: Path) -> None:
    model = small_chain()
    files = surveys(model, tmp_path)
    edit(files["D1"], [("Enterprises", 2, ("employees",), 5)])
    collection = collect(model, [files["D1"], tmp_path / "none.xlsx"])
    changes_workbook(collection, tmp_path / "c.xlsx", "zh_CN")
    rows = rows_of(tmp_path / "c.xlsx", "变更")
    assert rows[0][:3] == ["文件", "表", "键"]
    assert rows[1][3] == "员工数" and rows[1][6] == "已应用" and rows[2][6] == "已拒绝"
