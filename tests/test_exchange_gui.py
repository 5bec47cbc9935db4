"""Plans exchanged with suppliers, in the app, used as a planner uses them: File ▸ Send
surveys… for the selected firms, the returns edited in a spreadsheet program and dropped on
File ▸ Collect surveys…, a change unticked, a conflict resolved by ticking a side, Apply and
one Ctrl+Z; File ▸ Compare with file… listing a changed field and outlining the firm."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from models.files import save_model
from models.survey import APPLIED, CONFLICT, collect
from tests.conftest import small_chain
from ui.document import Document
from ui.i18n import set_language, tr

LANGS = ("en", "zh_CN")


@pytest.fixture(params=LANGS)
def lang(request):
    set_language(request.param)
    yield request.param
    set_language("en")


@pytest.fixture
def window(qtbot):
    from ui.main_window import MainWindow

    QSettings().clear()
    win = MainWindow(Document(small_chain()), restore_state=False)

    def discard(w) -> None:
        w.document.undo_stack.setClean()
        w.document.recovered = False

    qtbot.addWidget(win, before_close_func=discard)
    win.resize(1366, 768)
    win.show()
    return win


def type_folder(qtbot, line_edit, folder: Path) -> None:
    line_edit.selectAll()
    qtbot.keyClick(line_edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(line_edit, str(folder))


def send(qtbot, window, folder: Path) -> list[Path]:
    """File ▸ Send surveys… for the selection, into ``folder``; the files written."""
    window.actions_by_id["send_surveys"].trigger()
    dialog = window.survey_dialog
    assert dialog.by_selection.isChecked()
    type_folder(qtbot, dialog.folder, folder)
    with qtbot.waitSignal(dialog.finished, timeout=20000):
        qtbot.mouseClick(dialog.write_button, Qt.MouseButton.LeftButton)
    return sorted(folder.glob("*.xlsx"))


def drop_files(dialog, paths: list[Path]) -> None:
    """Drop files from a file manager onto the dialog."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    copy, left = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    none = Qt.KeyboardModifier.NoModifier
    point = QPoint(dialog.width() // 2, dialog.height() // 2)
    enter = QDragEnterEvent(point, copy, mime, left, none)
    QApplication.sendEvent(dialog, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(dialog, QDropEvent(QPointF(point), copy, mime, left, none))


def open_collect(qtbot, window, paths: list[Path]):
    window.actions_by_id["collect_surveys"].trigger()
    dialog = window.collect_dialog
    with qtbot.waitSignal(dialog.collected, timeout=30000):  # read in the background
        drop_files(dialog, paths)
    return dialog


def change_item(dialog, file: str, key: str, field: str):
    for item in dialog.change_items:
        change = item.data(0, Qt.ItemDataRole.UserRole)
        if (change.file, change.key, change.field) == (file, key, field):
            return item
    raise AssertionError(f"no change {file} {key} {field}")


def toggle(qtbot, dialog, item) -> None:
    """Make the row current and press Space, as a planner ticks or unticks it."""
    dialog.tree.setCurrentItem(item, 0)
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Space)


def edit_return(path: Path, sheet: str, row_of, header: str, value) -> None:
    """Change one cell as an SME does in a spreadsheet program, and save."""
    book = load_workbook(path)
    ws = book[sheet]
    column = next(c.column for c in ws[1] if c.value == header)
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if row_of(r))
    ws.cell(row=row, column=column, value=value)
    book.save(path)


def add_link_row(path: Path, supplier: str, buyer: str, value: float) -> None:
    book = load_workbook(path)
    ws = book["Links"]
    headers = [c.value for c in ws[1]]
    row = [None] * len(headers)
    row[headers.index("supplier")], row[headers.index("buyer")] = supplier, buyer
    row[headers.index("annual_value")] = value
    ws.append(row)
    book.save(path)


# --- Send surveys --------------------------------------------------------------------------

def test_send_surveys_for_the_selected_firms_writes_their_workbooks(qtbot, window, lang,
                                                                     tmp_path):
    window.document.set_selection({"S1", "S2"})
    files = send(qtbot, window, tmp_path / "out")
    assert [f.name for f in files] == ["S1.xlsx", "S2.xlsx"]
    assert window.statusBar().currentMessage() == tr("Wrote {0} surveys to {1}", 2,
                                                     str(tmp_path / "out"))
    assert window.status_folder.isVisible()
    assert window._written_folder == str(tmp_path / "out")
    # returned unchanged, they change nothing
    collection = collect(window.document.model, files)
    assert collection.ok and not collection.by_status(APPLIED)


def test_send_surveys_by_filter_counts_the_matching_smes(qtbot, window, tmp_path):
    window.actions_by_id["send_surveys"].trigger()
    dialog = window.survey_dialog
    assert not dialog.by_selection.isEnabled()  # nothing selected
    assert dialog.every_sme.isChecked() and dialog.chosen() == ["S1", "S2", "D1"]
    park = dialog.filters["park"]
    park.setCurrentIndex(park.findData("Lingang"))
    assert dialog.by_filter.isChecked()
    assert dialog.count.text() == "2 surveys will be written."
    size = dialog.filters["size"]
    size.setCurrentIndex(size.findData("small"))
    assert dialog.chosen() == ["S2"]
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel),
                     Qt.MouseButton.LeftButton)
    assert not list(tmp_path.iterdir())


# --- Collect surveys -----------------------------------------------------------------------

def test_collect_applies_the_ticked_changes_as_one_undo_step(qtbot, window, lang, tmp_path):
    document = window.document
    document.set_selection({"S1", "S2"})
    s1, s2 = send(qtbot, window, tmp_path)
    edit_return(s1, "Enterprises" if lang == "en" else "企业", lambda r: r[0].value == "S1",
                "revenue" if lang == "en" else "营业收入", 25000)
    edit_return(s1, "Enterprises" if lang == "en" else "企业", lambda r: r[0].value == "S1",
                "employees" if lang == "en" else "员工数", 120)
    if lang == "en":
        add_link_row(s2, "S2", "C", 400.0)
    dialog = open_collect(qtbot, window, [s1, s2])
    revenue = change_item(dialog, "S1.xlsx", "S1", "revenue")
    assert revenue.text(3) == "20,000" and revenue.text(4) == "25,000"
    employees = change_item(dialog, "S1.xlsx", "S1", "employees")
    assert employees.checkState(0) == Qt.CheckState.Checked
    toggle(qtbot, dialog, employees)  # the planner does not take this one
    assert employees.checkState(0) == Qt.CheckState.Unchecked
    file_item = revenue.parent()
    assert file_item.checkState(0) == Qt.CheckState.PartiallyChecked
    taken = 2 if lang == "en" else 1
    assert dialog.apply_button.text() == tr("Apply {0} changes", taken)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

    model = document.model
    s1_row = model.enterprise_index()["S1"]
    assert s1_row.revenue == 25000 and s1_row.employees != 120
    assert (("S2", "C") in {(k.supplier, k.buyer) for k in model.links}) == (lang == "en")
    assert document.undo_stack.count() == 1
    window.activateWindow()  # back in the window once the dialog has closed
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert model.enterprise_index()["S1"].revenue == 20000
    assert ("S2", "C") not in {(k.supplier, k.buyer) for k in model.links}
    assert len(model.links) == 3


def test_a_conflict_is_resolved_by_ticking_one_side(qtbot, window, tmp_path):
    document = window.document
    document.set_selection({"S1", "S2"})
    s1, s2 = send(qtbot, window, tmp_path)
    is_link = lambda r: (r[0].value, r[1].value) == ("S2", "S1")  # noqa: E731
    edit_return(s1, "Links", is_link, "annual_value", 1300)
    edit_return(s2, "Links", is_link, "annual_value", 1400)
    dialog = open_collect(qtbot, window, [s1, s2])
    ours = change_item(dialog, "S1.xlsx", "S2→S1", "annual_value")
    theirs = change_item(dialog, "S2.xlsx", "S2→S1", "annual_value")
    for item in (ours, theirs):  # marked in colour and in words, neither taken
        assert item.data(0, Qt.ItemDataRole.UserRole).status == CONFLICT
        assert item.checkState(0) == Qt.CheckState.Unchecked
        assert item.text(5).startswith("conflict")
        assert item.background(1).color().name() == "#ffe9c7"
    assert not dialog.apply_button.isEnabled()
    toggle(qtbot, dialog, theirs)
    assert theirs.checkState(0) == Qt.CheckState.Checked
    toggle(qtbot, dialog, ours)  # choosing the other side rejects the first
    assert ours.checkState(0) == Qt.CheckState.Checked
    assert theirs.checkState(0) == Qt.CheckState.Unchecked
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    link = next(k for k in document.model.links if (k.supplier, k.buyer) == ("S2", "S1"))
    assert link.annual_value == 1300


def test_a_refused_file_is_listed_with_its_reason(qtbot, window, lang, tmp_path):
    window.document.set_selection({"S1"})
    (s1,) = send(qtbot, window, tmp_path)
    sheet = "Enterprises" if lang == "en" else "企业"
    edit_return(s1, sheet, lambda r: r[0].value == "S1", "id" if lang == "en" else "编号",
                "S9")  # a row of an enterprise the model does not have: refused whole
    junk = tmp_path / "notes.xlsx"
    junk.write_bytes(b"not a workbook")
    dialog = open_collect(qtbot, window, [s1, junk])
    rows = [dialog.tree.topLevelItem(k).text(0)
            for k in range(dialog.tree.topLevelItemCount())]
    assert [row.split(" — ")[0] for row in rows] == ["S1.xlsx", "notes.xlsx"]
    assert all(row.split(" — ")[1].startswith(tr("refused: {0}", "")) for row in rows)
    assert "S9" in rows[0]
    assert not dialog.change_items and not dialog.apply_button.isEnabled()
    assert tr("files refused: {0}", 2) in dialog.summary.text()


# --- Compare with file ----------------------------------------------------------------------

def test_compare_with_file_lists_a_changed_field_and_outlines_the_firm(qtbot, window, lang,
                                                                       tmp_path):
    from ui import exchange

    other = small_chain()
    other.enterprises[2].revenue = 3500.0  # S2
    other.links[2].criticality = "high"  # C → D1
    path = tmp_path / ("version 2.xlsx" if lang == "en" else "第二版.xlsx")
    save_model(other, path, "zh_CN")  # any language: the file is read by its headers
    dialog = exchange.compare_with_file(window, path)
    qtbot.addWidget(dialog)
    table = dialog.table
    rows = [[table.item(r, c).text() for c in range(6)] for r in range(table.rowCount())]
    zh = lang == "zh_CN"
    assert rows == [["企业" if zh else "Enterprises", "S2", tr("changed"),
                     "营业收入" if zh else "revenue", "3,000", "3,500"],
                    ["链接" if zh else "Links", "C→D1", tr("changed"),
                     "重要程度" if zh else "criticality", "中" if zh else "medium",
                     "高" if zh else "high"]]
    assert window.canvas.highlighted == {"S2"}
    assert window.canvas.highlighted_links == {("C", "D1")}
    dialog.table_filter.setCurrentIndex(dialog.table_filter.findData("links"))
    assert [table.isRowHidden(r) for r in range(2)] == [True, False]
    dialog.table_filter.setCurrentIndex(0)
    cell = table.visualItemRect(table.item(0, 1)).center()
    # WORKAROUND: Qt 6's QTest::mouseDClick sends no press first, and an item view takes a
    # double-click only on the item pressed: click, then double-click, as a hand does
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert window.document.selected_enterprises == {"S2"}
    clear = window.findChild(type(dialog.intro), "clear_highlight")
    assert clear.isVisible()
    qtbot.mouseClick(dialog.highlight, Qt.MouseButton.LeftButton)  # "Clear the highlight"
    assert not window.canvas.highlighted and not window.canvas.highlighted_links
    assert not clear.isVisible()


def test_a_link_missing_from_a_return_is_listed_as_information(qtbot, window, tmp_path):
    window.document.set_selection({"S2"})
    (s2,) = send(qtbot, window, tmp_path)
    book = load_workbook(s2)
    book["Links"].delete_rows(2)  # the SME deletes its only link, S2 → S1
    book.save(s2)
    dialog = open_collect(qtbot, window, [s2])
    file_item = dialog.tree.topLevelItem(0)
    row = file_item.child(0)
    assert row.text(1) == "S2→S1" and row.text(5).startswith("not confirmed")
    assert row.data(0, Qt.CheckStateRole) is None  # nothing to take: no check box
    assert not dialog.apply_button.isEnabled()
    assert "links not confirmed (kept): 1" in dialog.summary.text()


def test_returns_chosen_with_add_files_and_the_change_list_saved(qtbot, window, tmp_path,
                                                                 monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from tests.test_gui import type_name, when_modal
    from ui.file_controller import FileController

    QApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    monkeypatch.setattr(FileController, "folder", lambda _self: str(tmp_path))
    window.document.set_selection({"S1"})
    (s1,) = send(qtbot, window, tmp_path)
    edit_return(s1, "Enterprises", lambda r: r[0].value == "S1", "revenue", 21000)
    window.actions_by_id["collect_surveys"].trigger()
    dialog = window.collect_dialog
    when_modal(qtbot, lambda d: type_name(qtbot, d, "S1.xlsx"), QFileDialog)
    with qtbot.waitSignal(dialog.collected, timeout=30000):
        qtbot.mouseClick(dialog.findChild(type(dialog.apply_button), "add_files"),
                         Qt.MouseButton.LeftButton)
    assert [c.data(0, Qt.ItemDataRole.UserRole).key for c in dialog.change_items] == ["S1"]
    when_modal(qtbot, lambda d: type_name(qtbot, d, "changes"), QFileDialog)
    qtbot.mouseClick(dialog.save_list, Qt.MouseButton.LeftButton)
    rows = list(load_workbook(tmp_path / "changes.xlsx").worksheets[0].iter_rows(
        values_only=True))
    assert rows[0][:7] == ("file", "table", "key", "field", "old", "new", "status")
    assert rows[1][:7] == ("S1.xlsx", "Enterprises", "S1", "revenue", 20000, 21000, "applied")
