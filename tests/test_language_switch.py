"""Switching the interface language while the app runs: every shortcut still works once,
the status bar speaks one language, Qt's own buttons follow, and the docks keep their size."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from ui.document import Document
from ui.i18n import ZH, set_language


@pytest.fixture
def window(qtbot, chain):
    from ui.app import use_qt_translations
    from ui.main_window import MainWindow

    set_language("en")
    use_qt_translations("en")
    QSettings().clear()
    win = MainWindow(Document(chain))
    qtbot.addWidget(win, before_close_func=_discard_changes)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    yield win
    set_language("en")
    use_qt_translations("en")


def _discard_changes(win) -> None:
    win.document.undo_stack.setClean()


def _choose_language(window, code: str) -> None:
    """Language ▸ English / 简体中文, as a user picks it from the menu."""
    menu = window.menus["&Language"]
    action = next(a for a in menu.actions() if a is window.language_actions[code])
    action.trigger()


def _shortcut_actions(window) -> list[QAction]:
    return [a for a in window.findChildren(QAction) if not a.shortcut().isEmpty()]


def test_every_shortcut_triggers_its_action_once_after_switching_language_twice(qtbot, window):
    _choose_language(window, "zh_CN")
    _choose_language(window, "en")
    actions = _shortcut_actions(window)
    shortcuts = [a.shortcut().toString() for a in actions]
    assert len(shortcuts) == len(set(shortcuts)), "a shortcut is declared twice"
    assert {a.objectName() for a in actions} >= {"undo", "redo", "save", "open", "new",
                                                  "add_enterprise", "add_link", "find", "fit"}
    window.activateWindow()
    for action in actions:
        hits: list[bool] = []
        action.triggered.disconnect()  # the test checks the key reaches the action, not its work
        action.triggered.connect(lambda *_args, hits=hits: hits.append(True))
        action.setEnabled(True)
        window.canvas.setFocus()
        combination = action.shortcut()[0]
        qtbot.keyClick(window.canvas, combination.key(), combination.keyboardModifiers())
        assert hits == [True], action.objectName()


def test_the_status_bar_and_window_speak_only_the_chosen_language(window):
    _choose_language(window, "zh_CN")
    texts = [label.text() for label in window.statusBar().findChildren(QLabel)
             if label.isVisible() and label.text()]
    assert texts and all("enterprises" not in t and "errors" not in t for t in texts), texts
    assert any("家企业" in t for t in texts)
    assert [a.text() for a in window.menuBar().actions()][:2] == ["文件(&F)", "编辑(&E)"]
    assert window.actions_by_id["save"].text() == "保存"
    assert "Ctrl+S" in window.actions_by_id["save"].toolTip()
    assert "产业链数字化规划" in window.windowTitle()
    _choose_language(window, "en")
    texts = [label.text() for label in window.statusBar().findChildren(QLabel)
             if label.isVisible() and label.text()]
    assert all("家企业" not in t for t in texts) and any("enterprises" in t for t in texts)
    assert window.docks["tables"].windowTitle() == "Tables"


def test_qt_standard_buttons_follow_the_language(window):
    _choose_language(window, "zh_CN")
    box = QMessageBox(QMessageBox.Icon.Question, "t", "q",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Cancel, window)
    assert "是" in box.button(QMessageBox.StandardButton.Yes).text()
    assert "取消" in box.button(QMessageBox.StandardButton.Cancel).text()
    box.deleteLater()
    _choose_language(window, "en")
    box = QMessageBox(QMessageBox.Icon.Question, "t", "q",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, window)
    assert box.button(QMessageBox.StandardButton.Yes).text() == "&Yes"
    box.deleteLater()


def test_switching_language_keeps_the_layout_the_tab_and_the_filters(qtbot, window):
    QApplication.processEvents()
    size = window.filter_bar.filters["size"]
    size.setCurrentIndex(size.findData("medium"))  # the canvas fades all but medium firms
    colour = window.filter_bar.colour_by
    colour.setCurrentIndex(colour.findData("level"))
    window.views.setCurrentIndex(1)
    before = {key: dock.size() for key, dock in window.docks.items() if dock.isVisible()}
    central = window.centralWidget().size()
    for code in ("zh_CN", "en"):
        _choose_language(window, code)
        QApplication.processEvents()
        bar = window.filter_bar
        shown = [bar.search.placeholderText(), bar.select.text(), bar.colour_title.text(),
                 bar.colour_by.currentText(), size.currentText()]
        english = ["Search id or name (Ctrl+F)", "Select matching", "Colour nodes by", "level",
                   "Size: medium"]
        assert shown == (english if code == "en" else [ZH[t] for t in english[:4]]
                         + [f"{ZH['Size']}: 中型"])
    after = {key: dock.size() for key, dock in window.docks.items() if dock.isVisible()}
    assert after == before
    assert window.centralWidget().size() == central
    assert window.views.currentIndex() == 1
    assert window.filter_bar.filters["size"].currentText() == "Size: medium"
    assert window.filter_bar.colour_by.currentData() == "level"
    assert window.legend.colour_by == "level"
    assert window.canvas.matching_ids() == {"S1"}


def test_the_language_menu_marks_the_current_language(window):
    _choose_language(window, "zh_CN")
    checked = [code for code, a in window.language_actions.items() if a.isChecked()]
    assert checked == ["zh_CN"]
    assert window.tables.pages["enterprises"].model.headerData(
        0, Qt.Orientation.Horizontal) == "编号"
    assert QKeySequence(window.actions_by_id["undo"].shortcut()).toString() == "Ctrl+Z"


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_window_fits_1366_by_768_with_room_for_the_tables(qtbot, window, lang):
    """Nothing inside (filter bar, a tab, a dock) makes the window wider or taller than a
    1366×768 screen, and the default layout leaves the tables dock several rows."""
    from models.chain import Enterprise

    window.document.add_rows("enterprises", [
        Enterprise(id=f"X{n:02d}", name=f"Firm {n}", role="supplier", size="small")
        for n in range(12)],
        "add")
    _choose_language(window, lang)
    QApplication.processEvents()
    smallest = window.minimumSizeHint()
    assert smallest.width() <= 1366 and smallest.height() <= 740, smallest
    window.default_layout()
    QApplication.processEvents()
    view = window.tables.pages["enterprises"].view
    assert view.viewport().height() >= 6 * view.rowHeight(0)
    assert window.canvas.viewport().height() >= 250  # the chain stays usable


def test_the_canvas_speaks_the_language_and_keeps_every_firm_where_it_was(window):
    """A bilingual name shows its half in the chosen language; every firm stays put."""
    firm = window.document.model.enterprises[1]
    window.document.set_values([(firm, "name", "Tier-1 Supplier 一级供应商")], "name")
    canvas, ids = window.canvas, [e.id for e in window.document.model.enterprises]

    def places() -> list[tuple[float, float]]:
        return [(canvas.node_item(i).pos().x(), canvas.node_item(i).pos().y()) for i in ids]

    where = places()
    assert canvas.node_item(firm.id).name == "Tier-1 Supplier"
    _choose_language(window, "zh_CN")
    assert canvas.node_item(firm.id).name == "一级供应商"
    assert places() == where
    _choose_language(window, "en")
    assert canvas.node_item(firm.id).name == "Tier-1 Supplier"
