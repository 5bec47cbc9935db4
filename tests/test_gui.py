"""The desktop app driven like a user: actions, dialogs, undo, files, language, recovery."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QInputDialog, QPushButton

from models.files import load_model
from ui.document import Document
from ui.i18n import set_language

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def window(qtbot):
    from ui.main_window import MainWindow

    set_language("en")
    QSettings().clear()
    win = MainWindow(Document())
    qtbot.addWidget(win, before_close_func=_discard_changes)
    win.show()
    yield win
    set_language("en")


def _discard_changes(win) -> None:
    """A test's window closes without the save question (it would block the run)."""
    win.document.undo_stack.setClean()
    win.document.recovered = False


def answer(qtbot, fill: Callable[[QDialog], None]) -> None:
    """Fill in the next modal dialog like a user and press OK."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None, "no dialog opened"
        fill(dialog)
        if isinstance(dialog, QInputDialog):
            dialog.accept()
            return
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        assert ok.isEnabled(), getattr(dialog, "error", None) and dialog.error.text()
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, act)


def trigger(window, action_id: str) -> None:
    window.actions_by_id[action_id].trigger()


def add_enterprise(qtbot, window, e_id: str, name: str, role: str) -> None:
    def fill(dialog):
        dialog.id.clear()
        qtbot.keyClicks(dialog.id, e_id)
        dialog.name.clear()
        qtbot.keyClicks(dialog.name, name)
        dialog.role.setCurrentIndex(dialog.role.findData(role))

    answer(qtbot, fill)
    trigger(window, "add_enterprise")


def test_build_a_chain_assign_projects_then_undo_to_empty_and_redo(qtbot, window):
    add_enterprise(qtbot, window, "C", "Core Assembly", "core")
    add_enterprise(qtbot, window, "S1", "Machining", "supplier")
    add_enterprise(qtbot, window, "S2", "Castings", "supplier")

    def link(dialog):  # typed ids (the completer's pop-up is not driven here)
        dialog.supplier.setText("S1")
        dialog.buyer.setText("C")

    answer(qtbot, link)
    trigger(window, "add_link")
    answer(qtbot, lambda d: (d.name.clear(), qtbot.keyClicks(d.name, "Core-led")))
    trigger(window, "new_scenario")
    qtbot.mouseClick(window.tables.pages["projects"].findChildren(QPushButton)[0],
                     Qt.MouseButton.LeftButton)  # the Projects tab's "Add Projects" button
    model = window.document.model
    assert [e.id for e in model.enterprises] == ["C", "S1", "S2"]
    assert [(lk.supplier, lk.buyer) for lk in model.links] == [("S1", "C")]
    assert model.scenarios[0].name == "Core-led" and window.document.scenario == "Core-led"

    # select S1 and S2 in the enterprises table, then Assign project…
    page = window.tables.pages["enterprises"]
    page.view.selectRow(1)
    page.view.selectionModel().select(
        page.proxy.index(2, 0), page.view.selectionModel().SelectionFlag.Select
        | page.view.selectionModel().SelectionFlag.Rows)
    assert window.document.selected_enterprises == {"S1", "S2"}
    answer(qtbot, lambda d: (d.share.selectAll(), qtbot.keyClicks(d.share, "40")))
    trigger(window, "assign")
    assert [(a.enterprise, a.project, a.core_share) for a in model.assignments] == [
        ("S1", "P01", 0.4), ("S2", "P01", 0.4)]
    assert "1 links" in window.status_counts.text() or "1 link" in window.status_counts.text()

    built = load_snapshot(window)
    steps = window.document.undo_stack.count()
    assert steps == 7  # three firms, a link, a scenario, a project, one bulk assignment
    assert window.actions_by_id["undo"].shortcut().matches(QKeySequence("Ctrl+Z"))
    assert window.actions_by_id["redo"].shortcut() == QKeySequence("Ctrl+Shift+Z")
    for _ in range(steps):
        trigger(window, "undo")
    assert load_snapshot(window) == ([], [], [], [], [])
    assert not window.actions_by_id["undo"].isEnabled()
    for _ in range(steps):
        trigger(window, "redo")
    assert load_snapshot(window) == built


def load_snapshot(window):
    model = window.document.model
    return ([e.id for e in model.enterprises], [(lk.supplier, lk.buyer) for lk in model.links],
            [p.id for p in model.projects], [s.name for s in model.scenarios],
            [(a.enterprise, a.project) for a in model.assignments])


def test_editing_a_cell_is_one_undo_step_and_bad_values_are_refused(qtbot, window, chain):
    window.document.reset(chain, None)
    page = window.tables.pages["enterprises"]
    revenue = page.model.index(1, [s.name for s in page.model.specs].index("revenue"))
    assert page.model.setData(revenue, "25,000")
    assert chain.enterprises[1].revenue == 25000
    with qtbot.waitSignal(page.model.rejected):
        assert not page.model.setData(revenue, "lots")
    assert chain.enterprises[1].revenue == 25000
    window.document.undo_stack.undo()
    assert chain.enterprises[1].revenue == 20000


def test_renaming_an_enterprise_id_renames_its_links_and_assignments(window, chain):
    window.document.reset(chain, None)
    page = window.tables.pages["enterprises"]
    page.model.setData(page.model.index(1, 0), "T1")
    assert [lk.supplier for lk in chain.links][:1] == ["T1"]
    assert {a.enterprise for a in chain.assignments} == {"T1"}
    window.document.undo_stack.undo()
    assert {a.enterprise for a in chain.assignments} == {"S1"}


def test_save_and_reopen_gives_the_same_model(qtbot, window, chain, tmp_path):
    window.document.reset(chain, None)
    window.document.set_values([(chain.enterprises[1], "name", "Renamed 改名")], "edit")
    assert window.isWindowModified()
    path = tmp_path / "saved.xlsx"
    assert window.files.save_to(path)
    assert not window.isWindowModified() and "saved.xlsx" in window.windowTitle()
    other = type(window)(Document())
    qtbot.addWidget(other, before_close_func=_discard_changes)
    other.open_path(path)
    assert other.document.model == chain
    assert load_model(path).model == chain


def test_opening_a_bad_workbook_lists_every_problem_and_keeps_the_model(window, chain,
                                                                        write_sheets):
    window.document.reset(chain, None)
    bad = write_sheets({"Enterprises": [["id", "name", "role", "size"],
                                        ["C", "Core", "core", "huge"],
                                        ["S", "Sup", "boss", "small"]]})
    window.open_path(bad)
    assert window.document.model is chain
    dialog = window.problems_dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.text.toPlainText()
    assert "row 2" in text and "'huge'" in text and "row 3" in text and "'boss'" in text


def test_recovery_after_a_crash_offers_the_unsaved_model(qtbot, chain):
    from ui.file_controller import recover_into, recovery_offer

    crashed = Document()
    crashed.reset(chain, Path("/plans/chain.xlsx"))
    crashed.set_values([(chain.enterprises[2], "revenue", 4321.0)], "edit")
    crashed.autosave()  # what the two-minute timer does; then the process dies
    offer = recovery_offer()
    assert offer is not None
    fresh = Document()
    assert recover_into(fresh, *offer)
    assert fresh.model.enterprises[2].revenue == 4321.0
    assert fresh.modified and fresh.path == Path("/plans/chain.xlsx")
    fresh.discard_recovery()
    assert recovery_offer() is None


def test_switching_language_changes_visible_text(window):
    menus = [a.text() for a in window.menuBar().actions()]
    assert "&File" in menus
    window.switch_language("zh_CN")
    menus = [a.text() for a in window.menuBar().actions()]
    assert "文件(&F)" in menus and "&File" not in menus
    page = window.tables.pages["enterprises"]
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "编号"
    assert QSettings().value("language") == "zh_CN"


def test_deleting_an_enterprise_removes_its_links_and_assignments_in_one_step(window, chain):
    window.document.reset(chain, None)
    window.document.set_selection({"S1"})
    window.actions_by_id["delete"].trigger()
    assert "S1" not in {e.id for e in chain.enterprises}
    assert all("S1" not in (lk.supplier, lk.buyer) for lk in chain.links)
    assert chain.assignments == []
    window.document.undo_stack.undo()
    assert len(chain.assignments) == 2 and len(chain.links) == 3


def test_problem_double_click_selects_the_culprit(window, chain):
    chain.assignments[0].start_year = 2040  # outside the horizon: a warning
    window.document.reset(chain, None)
    item = window.problems.item(0)
    assert "outside" in item.text()
    window.problems.itemDoubleClicked.emit(item)
    assert window.document.selected_enterprises == {"S1"}


def test_screenshot_option_writes_a_non_blank_png(tmp_path):
    out = tmp_path / "shot.png"
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path),
           "XDG_DATA_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "planner.cli", "gui",
                           str(ROOT / "examples" / "aircraft.xlsx"), "--screenshot", str(out),
                           "--size", "1280x800"], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    colours = {image.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}
    assert len(colours) > 20
