"""A planner's first hour, in English and in Chinese, through the real widgets: a new chain
with the project catalogue, enterprises and links typed into the dialogs, two scenarios
with projects assigned, the charts, the comparison, a health check answered in its form,
save (a name typed without extension), reopen, and Ctrl+Z back to where it started."""

from __future__ import annotations

import copy
from collections.abc import Callable
from itertools import groupby

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QWidget,
)

from ui.document import Document
from ui.i18n import language, set_language


@pytest.fixture(params=["en", "zh_CN"])
def window(request, qtbot):
    from ui.app import use_qt_translations
    from ui.main_window import MainWindow

    lang = request.param
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    set_language(lang)
    use_qt_translations(lang)
    QSettings().clear()
    win = MainWindow(Document(), restore_state=False)
    qtbot.addWidget(win, before_close_func=_discard_changes)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    set_language("en")
    use_qt_translations("en")


def _discard_changes(win) -> None:
    win.document.undo_stack.setClean()


def press(qtbot, window, keys: str) -> None:
    """Press a shortcut with the focus on the canvas, as a user at the chain does."""
    window.activateWindow()  # back from a dialog
    qtbot.waitUntil(window.isActiveWindow)
    window.canvas.setFocus()
    combination = QKeySequence(keys)[0]
    qtbot.keyClick(window.canvas, combination.key(), combination.keyboardModifiers())


def then(qtbot, fill: Callable[[QWidget], None]) -> None:
    """Fill in the modal dialog that opens next (the call that opens it blocks)."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():  # not open yet: look again soon
            QTimer.singleShot(10, act)
            return
        try:
            fill(dialog)
        except BaseException:  # close it, or the call that opened it never returns
            dialog.close()
            raise

    QTimer.singleShot(0, act)


def ok(qtbot, dialog: QDialog) -> None:
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert button.isEnabled(), getattr(dialog, "error", None) and dialog.error.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def retype(qtbot, edit: QLineEdit, text: str) -> None:
    """Replace the text of ``edit`` by typing: keys for ASCII, and for Chinese what an input
    method sends when a word is picked (QTest cannot press keys that do not exist)."""
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    for ascii_run, run in groupby(text, key=str.isascii):
        chunk = "".join(run)
        if ascii_run:
            qtbot.keyClicks(edit, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(edit, event)


def type_file_name(qtbot, dialog: QFileDialog, name: str) -> None:
    """Type a file name into Qt's own file dialog (open in the planner's folder), Enter."""
    assert isinstance(dialog, QFileDialog)
    edit = dialog.findChild(QLineEdit, "fileNameEdit")
    retype(qtbot, edit, name)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def add_enterprise(qtbot, window, e_id: str, name: str, role: str, size: str) -> None:
    def fill(dialog):
        retype(qtbot, dialog.id, e_id)
        retype(qtbot, dialog.name, name)
        dialog.role.set_value(role)
        dialog.size.set_value(size)
        ok(qtbot, dialog)

    then(qtbot, fill)
    press(qtbot, window, "Ctrl+E")


def add_link(qtbot, window, supplier: str, buyer: str, value: str) -> None:
    def fill(dialog):
        retype(qtbot, dialog.supplier, supplier)
        retype(qtbot, dialog.buyer, buyer)
        retype(qtbot, dialog.value, value)
        ok(qtbot, dialog)

    then(qtbot, fill)
    press(qtbot, window, "Ctrl+L")


def new_scenario(qtbot, window, name: str) -> None:
    def fill(dialog):
        retype(qtbot, dialog.name, name)
        ok(qtbot, dialog)

    then(qtbot, fill)
    window.actions_by_id["new_scenario"].trigger()  # the toolbar button


def click_nodes(qtbot, window, ids: list[str]) -> None:
    """Click the first node, Ctrl+click the others, on the canvas."""
    window.canvas.fit()
    for n, e_id in enumerate(ids):
        item = window.canvas.node_item(e_id)
        centre = window.canvas.mapFromScene(item.scenePos())  # the circle (the label is beside)
        modifier = Qt.KeyboardModifier.ControlModifier if n else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, modifier,
                         QPoint(centre.x(), centre.y()))
    assert window.document.selected_enterprises == set(ids)


def assign(qtbot, window, project: str, share: str) -> None:
    def fill(dialog):
        dialog.project.setFocus()
        qtbot.keyClicks(dialog.project, project)  # a combo box finds the item typed
        assert dialog.project.currentData() == project
        retype(qtbot, dialog.share, share)
        ok(qtbot, dialog)

    then(qtbot, fill)
    press(qtbot, window, "Ctrl+P")


def open_tab(qtbot, window, index: int) -> None:
    bar = window.views.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert window.views.currentIndex() == index


def test_a_planners_first_hour(qtbot, window, tmp_path, monkeypatch):
    from ui.file_controller import FileController

    monkeypatch.setattr(FileController, "folder", lambda _self: str(tmp_path))  # their folder
    doc = window.document
    zh = language() == "zh_CN"

    # File ▸ New with project catalogue
    window.menus["&File"].actions()[1].trigger()
    model = doc.model
    assert [p.id for p in model.projects][:3] == ["P01", "P02", "P03"] and not model.enterprises
    start = copy.deepcopy(model)

    add_enterprise(qtbot, window, "C", "Core Assembly 总装厂", "core", "large")
    add_enterprise(qtbot, window, "S1", "Machining 机加工", "supplier", "medium")
    add_enterprise(qtbot, window, "S2", "Castings 铸造", "supplier", "small")
    add_enterprise(qtbot, window, "D1", "Dealer 经销商", "distributor", "small")
    assert [(e.id, e.role, e.size) for e in doc.model.enterprises] == [
        ("C", "core", "large"), ("S1", "supplier", "medium"), ("S2", "supplier", "small"),
        ("D1", "distributor", "small")]

    add_link(qtbot, window, "S1", "Core Assembly 总装厂", "5000")  # the buyer by name
    add_link(qtbot, window, "S2", "S1", "1,200")
    add_link(qtbot, window, "C", "D1", "900")
    assert [(lk.supplier, lk.buyer, lk.annual_value) for lk in doc.model.links] == [
        ("S1", "C", 5000.0), ("S2", "S1", 1200.0), ("C", "D1", 900.0)]

    new_scenario(qtbot, window, "Plan A")
    assert [s.name for s in doc.model.scenarios] == ["Plan A"] and doc.scenario == "Plan A"
    click_nodes(qtbot, window, ["S1", "S2"])
    assign(qtbot, window, "P01", "40%")
    assert [(a.scenario, a.enterprise, a.project, a.core_share)
            for a in doc.model.assignments] == [("Plan A", "S1", "P01", 0.4),
                                                ("Plan A", "S2", "P01", 0.4)]
    assert "P01" in window.statusBar().currentMessage()  # what the assignment did

    new_scenario(qtbot, window, "Plan B")
    assert doc.scenario == "Plan B"
    click_nodes(qtbot, window, ["S1", "S2", "D1"])
    assign(qtbot, window, "P02", "0")
    assert sum(a.scenario == "Plan B" for a in doc.model.assignments) == 3

    open_tab(qtbot, window, 1)  # Charts: Plan B's costs, in the interface language
    doc.wait_for_analysis()
    cost = window.charts.charts[0].series["成本" if zh else "Cost"][1]
    assert cost[0] > 0

    open_tab(qtbot, window, 2)  # Compare: both plans side by side
    assert [r.scenario.name for r in window.comparison.results] == ["Plan A", "Plan B"]

    open_tab(qtbot, window, 3)  # Health check: assess S1 in the form
    click_nodes(qtbot, window, ["S1"])
    qtbot.mouseClick(window.health.edit, Qt.MouseButton.LeftButton)
    form = window.health.form
    assert form.isVisible()
    combos = [e for e in form.editors.values() if isinstance(e, QComboBox)]
    for combo in combos[:2]:
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    ticks = next(e for e in form.editors.values() if isinstance(e, list))
    qtbot.mouseClick(ticks[1], Qt.MouseButton.LeftButton)
    assert isinstance(ticks[1], QCheckBox) and ticks[1].isChecked()
    grade = next(iter(form.grades.values()))
    grade.setFocus()
    qtbot.keyClick(grade, Qt.Key.Key_Down)
    ok(qtbot, form)
    (assessment,) = doc.model.assessments
    assert assessment.enterprise == "S1" and len(assessment.answers) == 3
    assert next(iter(assessment.scenarios.values())) == 1

    # Save: Ctrl+S asks where; the name is typed without extension
    saved = tmp_path / "first-hour.chainplan"  # the project file: Save As's default type

    def save(dialog):
        save_button = dialog.findChild(QDialogButtonBox).buttons()[0]
        assert ("保存" in save_button.text()) if zh else ("Save" in save_button.text())
        type_file_name(qtbot, dialog, "first-hour")

    then(qtbot, save)
    press(qtbot, window, "Ctrl+S")
    assert saved.is_file() and doc.path == saved and not doc.modified
    assert window.findChild(QWidget, "open_folder").isVisible()  # "Open folder" after saving

    from ui.main_window import MainWindow

    other = MainWindow(Document(), restore_state=False)
    qtbot.addWidget(other, before_close_func=_discard_changes)
    other.show()
    other.activateWindow()
    then(qtbot, lambda dialog: type_file_name(qtbot, dialog, saved.name))
    press(qtbot, other, "Ctrl+O")
    assert other.document.model == doc.model

    steps = 0
    while doc.undo_stack.canUndo():
        press(qtbot, window, "Ctrl+Z")
        steps += 1
    assert steps == 4 + 3 + 2 + 2 + 1  # enterprises, links, scenarios, assignments, assessment
    assert doc.model == start
