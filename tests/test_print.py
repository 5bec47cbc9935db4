"""Workbooks people print and pass on: every exported sheet is landscape, fits the page's
width, repeats its header row on each page, wraps long text in rows tall enough to show it;
and a workbook keeps its language through ``chainplan convert`` and the app's Save."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from examples import example_path
from models.files import load_model, save_model
from models.survey import write_surveys
from models.workbook import save_template, text_lines
from planner.cli import main

# the aircraft export printed as 92 pages (in English) before its sheets were set up to print
PAGES_BEFORE = 92


@pytest.fixture(scope="module")
def aircraft() -> Any:
    return load_model(example_path()).model


def assert_prints_well(path: Path) -> None:
    book = load_workbook(path)
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_title_rows, sheet.title
        assert "&P" in (sheet.oddFooter.center.text or "")


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_sheet_of_a_plan_export_prints_landscape_one_page_wide(
        tmp_path: Path, aircraft: Any, lang: str) -> None:
    path = tmp_path / "plan.xlsx"
    save_model(aircraft, path, lang)
    assert_prints_well(path)
    book = load_workbook(path)
    assert book.worksheets[1].print_title_rows == "$1:$1"
    projects = book["Projects" if lang == "en" else "项目"]
    header = [c.value for c in projects[1]]
    source = header.index("source" if lang == "en" else "来源") + 1
    width = projects.column_dimensions[projects.cell(1, source).column_letter].width
    for row in range(2, projects.max_row + 1):
        cell = projects.cell(row, source)
        assert cell.alignment.wrap_text, "a long source wraps"
        lines = text_lines(str(cell.value), width)
        assert lines > 1
        assert projects.row_dimensions[row].height >= min(409, 15 * lines), "every line shows"


def test_template_results_and_surveys_print_well(tmp_path: Path, aircraft: Any) -> None:
    save_template(tmp_path / "template.xlsx", "zh_CN", catalogue=True)
    assert_prints_well(tmp_path / "template.xlsx")
    assert main(["evaluate", str(example_path()), "--out", str(tmp_path / "results.xlsx"),
                 "--lang", "en"]) == 0
    assert_prints_well(tmp_path / "results.xlsx")
    survey = write_surveys(aircraft, tmp_path / "surveys", "en",
                           [aircraft.enterprises[1].id])[0]
    book = load_workbook(survey.path)
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert "&P" in (sheet.oddFooter.center.text or "")


def test_cjk_text_counts_double_in_a_row_height() -> None:
    assert text_lines("a" * 20, 24) == 1
    assert text_lines("汉" * 9, 24) == 1
    assert text_lines("汉" * 20, 24) > 1
    assert text_lines("one\ntwo\nthree", 40) == 3


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None or shutil.which("pdfinfo") is None,
                    reason="LibreOffice (soffice) and pdfinfo are needed: apt-get install "
                           "libreoffice-calc-nogui poppler-utils")
def test_the_aircraft_export_prints_on_far_fewer_pages(tmp_path: Path, aircraft: Any) -> None:
    path = tmp_path / "aircraft.xlsx"
    save_model(aircraft, path, "en")
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([_soffice() or "", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=300)
    info = subprocess.run(["pdfinfo", str(tmp_path / "aircraft.pdf")], check=True,
                          capture_output=True, text=True).stdout
    pages = int(next(line.split()[1] for line in info.splitlines()
                     if line.startswith("Pages:")))
    assert pages <= PAGES_BEFORE // 2


# --- a workbook keeps its language ------------------------------------------------------

def sheet_names(path: Path) -> list[str]:
    return load_workbook(path, read_only=True).sheetnames


def test_convert_keeps_a_chinese_workbook_chinese_unless_told(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    chinese = example_path("aircraft_zh.xlsx")
    assert main(["convert", str(chinese), str(tmp_path / "kept.xlsx")]) == 0
    names = sheet_names(tmp_path / "kept.xlsx")
    assert "企业" in names and "Enterprises" not in names
    enterprises = load_workbook(tmp_path / "kept.xlsx")["企业"]
    assert [c.value for c in enterprises[1]][:3] == ["编号", "名称", "角色"]
    assert main(["convert", str(chinese), str(tmp_path / "english.xlsx"), "--lang", "en"]) == 0
    assert "Enterprises" in sheet_names(tmp_path / "english.xlsx")
    # an English workbook stays English under a Chinese locale; a .json follows the locale
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert main(["convert", str(example_path()), str(tmp_path / "en.xlsx")]) == 0
    assert "Enterprises" in sheet_names(tmp_path / "en.xlsx")
    assert main(["convert", str(tmp_path / "en.xlsx"), str(tmp_path / "plan.json")]) == 0
    assert main(["convert", str(tmp_path / "plan.json"), str(tmp_path / "zh.xlsx")]) == 0
    assert "企业" in sheet_names(tmp_path / "zh.xlsx")


def test_load_tells_the_language_a_workbook_was_read_in(tmp_path: Path) -> None:
    assert load_model(example_path("aircraft_zh.xlsx")).lang == "zh_CN"
    assert load_model(example_path()).lang == "en"
    save_model(load_model(example_path()).model, tmp_path / "plan.json")
    assert load_model(tmp_path / "plan.json").lang is None


def test_the_app_saves_an_opened_chinese_workbook_in_chinese(qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    from ui.document import Document
    from ui.i18n import set_language
    from ui.main_window import MainWindow

    set_language("en")
    QSettings().clear()
    window = MainWindow(Document())
    qtbot.addWidget(window)
    window.show()
    path = tmp_path / "chain.xlsx"
    shutil.copyfile(example_path("aircraft_zh.xlsx"), path)
    window.open_path(path)
    firm = window.document.model.enterprises[1]
    employees = firm.employees + 1
    window.document.set_values([(firm, "employees", employees)], "employees")
    window.actions_by_id["save"].trigger()  # the app speaks English; the file stays Chinese
    assert window.document.undo_stack.isClean()
    assert "企业" in sheet_names(path)
    assert load_model(path).model.enterprises[1].employees == employees
