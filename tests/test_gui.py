"""The desktop app driven like a user: actions, dialogs, undo, files, language, recovery."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt, QTimer
from PySide6.QtGui import QImage, QKeySequence, QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from models.chain import ChainModel
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


def test_switching_language_changes_visible_text(window):
    menus = [a.text() for a in window.menuBar().actions()]
    assert "&File" in menus
    window.switch_language("zh_CN")
    menus = [a.text() for a in window.menuBar().actions()]
    assert "文件(&F)" in menus and "&File" not in menus
    page = window.tables.pages["enterprises"]
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "编号"
    assert QSettings().value("language") == "zh_CN"


def test_the_tables_keep_rows_sort_and_filter_through_a_language_switch(qtbot, window, chain):
    """The tables are translated in place: the same rows, the order and the filter typed
    stay; headers, buttons, tabs and cells read in Chinese, and the filter searches them."""
    window.document.reset(chain, None)
    page = window.tables.pages["enterprises"]
    window.tables.setCurrentWidget(page)
    page.view.sortByColumn(page.model.column_of("id"), Qt.SortOrder.DescendingOrder)
    order = [e.id for e in page.model.rows()]
    qtbot.keyClicks(page.filter, "small")
    shown = page.proxy.rowCount()
    assert 0 < shown < len(order)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Language")
    next(a for a in menu.actions() if a.text() == "简体中文").trigger()
    assert window.tables.pages["enterprises"] is page and [e.id for e in page.model.rows()] == order
    assert page.delete_button.text() == "删除所选" and page.filter.placeholderText() != "Filter rows…"
    assert window.tables.tabText(window.tables.indexOf(page)) == "企业"
    size = page.model.column_of("size")
    assert page.proxy.rowCount() == 0  # "small" is 小型 now
    page.filter.clear()
    page.filter.setText("小型")  # typed with an input method: QTest types ASCII only
    assert page.proxy.rowCount() == shown
    cell = page.proxy.index(0, size)
    assert page.proxy.data(cell) == "小型"


def test_deleting_an_enterprise_removes_its_links_and_assignments_in_one_step(window, chain):
    window.document.reset(chain, None)
    window.document.set_selection({"S1"})
    window.actions_by_id["delete"].trigger()
    assert "S1" not in {e.id for e in chain.enterprises}
    assert all("S1" not in (lk.supplier, lk.buyer) for lk in chain.links)
    assert chain.assignments == []
    window.document.undo_stack.undo()
    assert len(chain.assignments) == 2 and len(chain.links) == 3


def test_a_firm_deleted_after_a_link_was_drawn_and_undone_takes_exactly_its_links(
        qtbot, window, chain):
    """Deletes find what hangs on a firm in an index that follows every edit and undo: a
    link drawn goes with its firm, a link undone is not looked for."""
    from tests.test_canvas import at, drag

    window.document.reset(chain, None)
    view = window.canvas
    view.fit()

    def delete(e_id: str) -> None:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, e_id))
        assert window.document.selected_enterprises == {e_id}
        qtbot.keyClick(view, Qt.Key.Key_Delete)

    def links() -> list[tuple[str, str]]:
        return [(lk.supplier, lk.buyer) for lk in chain.links]

    drag(qtbot, view, at(view, "S2"), at(view, "D1"), Qt.KeyboardModifier.ShiftModifier)
    delete("D1")
    assert links() == [("S1", "C"), ("S2", "S1")]
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert links() == [("S1", "C"), ("S2", "S1"), ("C", "D1"), ("S2", "D1")]
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the link drawn
    delete("D1")
    assert links() == [("S1", "C"), ("S2", "S1")]
    assert [e.id for e in chain.enterprises] == ["C", "S1", "S2"]


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


# --- files: types, errors, confirmations, cancelling --------------------------------------------

def when_modal(qtbot, act: Callable[[QWidget], None], kind: type = QWidget) -> None:
    """Run ``act`` on the next modal window of ``kind`` once it shows (the call that opens
    it blocks); closes it if ``act`` fails, so the test ends instead of hanging."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind) or not dialog.isVisible():
            QTimer.singleShot(10, look)
            return
        try:
            act(dialog)
        except BaseException:
            dialog.close()
            raise

    QTimer.singleShot(0, look)


def type_name(qtbot, dialog: QFileDialog, name: str) -> None:
    edit = dialog.findChild(QLineEdit, "fileNameEdit")
    edit.selectAll()
    qtbot.keyClicks(edit, name)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


@pytest.fixture
def in_folder(monkeypatch, tmp_path):
    """The planner's folder is tmp_path, and Qt's own file dialogs are used."""
    from ui.file_controller import FileController

    QApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    monkeypatch.setattr(FileController, "folder", lambda _self: str(tmp_path))
    return tmp_path


@pytest.mark.parametrize(("action", "typed", "written"), [
    ("save_as", "plan", "plan.chainplan"), ("export_excel", "copy", "copy.xlsx"),
    ("export_template", "survey", "survey.xlsx"), ("export_graphml", "graph", "graph.graphml"),
])
def test_a_name_typed_without_extension_gets_the_selected_types(qtbot, window, chain, in_folder,
                                                                 action, typed, written):
    window.document.reset(chain, None)
    if action == "export_template":  # with the catalogue? the default answer, Yes
        when_modal(qtbot, lambda box: qtbot.keyClick(box, Qt.Key.Key_Return), QMessageBox)
    when_modal(qtbot, lambda d: type_name(qtbot, d, typed), QFileDialog)
    trigger(window, action)
    assert (in_folder / written).is_file()
    if action == "export_template":
        template = load_model(in_folder / written, allow_invalid=True).model  # no core yet
        assert [p.id for p in template.projects][:2] == ["P01", "P02"]
    assert window.statusBar().currentMessage() == f"Saved {in_folder / written}"
    link = window.findChild(QLabel, "open_folder")
    assert link.isVisible() and link.toolTip() == str(in_folder)


def test_save_as_plan_file_by_choosing_its_type(qtbot, window, chain, in_folder):
    window.document.reset(chain, None)

    def choose_plan(dialog):
        types = dialog.findChild(QComboBox, "fileTypeCombo")
        types.setFocus()
        qtbot.keyClick(types, Qt.Key.Key_Down)  # "Plan file (*.json)"
        assert dialog.selectedNameFilter() == "Plan file (*.json)"
        type_name(qtbot, dialog, "plan")

    when_modal(qtbot, choose_plan, QFileDialog)
    trigger(window, "save_as")
    assert load_model(in_folder / "plan.json").model == chain
    assert window.document.path == in_folder / "plan.json"


def test_a_big_chain_is_written_off_the_gui_thread_behind_a_progress_dialog(
        qtbot, window, chain, in_folder, monkeypatch):
    """Saving 100,000 firms as a workbook takes minutes: the window keeps drawing (a
    progress dialog, no edits meanwhile), and a file that cannot be written keeps the
    chain unsaved."""
    from ui import file_controller

    monkeypatch.setattr(file_controller, "WRITE_IN_BACKGROUND_FROM", 0)  # every chain is big
    on_main_thread, labels, shown = [], [], threading.Event()
    write = file_controller.save_model

    def watched_write(*args):
        on_main_thread.append(threading.current_thread() is threading.main_thread())
        assert shown.wait(10), "no progress dialog while writing"
        write(*args)

    def watch(progress):
        labels.append(progress.labelText())
        shown.set()

    monkeypatch.setattr(file_controller, "save_model", watched_write)
    window.document.reset(chain, None)
    window.document.set_values([(chain.enterprises[1], "name", "Renamed 改名")], "edit")
    when_modal(qtbot, lambda d: type_name(qtbot, d, "big"), QFileDialog)
    when_modal(qtbot, watch, QProgressDialog)
    trigger(window, "save_as")
    saved = in_folder / "big.chainplan"
    assert on_main_thread == [False] and labels == ["Saving big.chainplan…"]
    assert load_model(saved).model == chain
    assert window.document.path == saved and not window.isWindowModified()
    assert QApplication.activeModalWidget() is None  # the progress dialog has gone

    window.document.set_values([(chain.enterprises[1], "name", "Again")], "edit")
    said = []
    when_modal(qtbot, lambda box: (said.append(box.text()), box.close()), QMessageBox)
    assert not window.files.save_to(in_folder / "no such folder" / "copy.xlsx")
    qtbot.waitUntil(lambda: bool(said))
    assert said == ["Cannot save copy.xlsx"]
    assert window.document.path == saved and window.isWindowModified()


def test_a_wrong_extension_is_explained_and_the_dialog_opens_again(qtbot, window, chain,
                                                                   in_folder):
    window.document.reset(chain, None)
    seen = {}

    def explained(box):
        seen["text"], seen["more"] = box.text(), box.informativeText()
        box.button(QMessageBox.StandardButton.Ok).click()
        when_modal(qtbot, again, QFileDialog)

    def again(dialog):
        seen["name"] = dialog.findChild(QLineEdit, "fileNameEdit").text()
        qtbot.keyClick(dialog.findChild(QLineEdit, "fileNameEdit"), Qt.Key.Key_Return)

    def first(dialog):
        when_modal(qtbot, explained, QMessageBox)
        type_name(qtbot, dialog, "plan.xls")

    when_modal(qtbot, first, QFileDialog)
    trigger(window, "save_as")
    assert seen["text"] == "“plan.xls” does not end in .chainplan or .json or .xlsx."
    assert "plan.chainplan" in seen["more"] and seen["name"] == "plan.chainplan"
    assert (in_folder / "plan.chainplan").is_file() and not (in_folder / "plan.xls").exists()


def test_export_report_writes_a_pdf_named_as_typed(qtbot, window, chain, in_folder):
    window.document.reset(chain, None)
    when_modal(qtbot, lambda d: type_name(qtbot, d, "report"), QFileDialog)
    with qtbot.waitSignal(window.files.written, timeout=60000):
        trigger(window, "export_report")
    assert (in_folder / "report.pdf").read_bytes()[:5] == b"%PDF-"
    assert window.statusBar().currentMessage() == f"Saved {in_folder / 'report.pdf'}"


def test_a_file_that_cannot_be_written_is_explained_without_a_traceback(qtbot, window, chain,
                                                                        tmp_path):
    window.document.reset(chain, None)
    (tmp_path / "notes").write_text("a file, not a folder")
    assert not window.files.save_to(tmp_path / "notes" / "plan.xlsx")
    box = window.findChild(QMessageBox, "error_message")
    assert box.isVisible() and box.text() == "Cannot save plan.xlsx"
    assert f"Folder: {tmp_path / 'notes'}" in box.informativeText()
    assert "choose another" in box.informativeText()  # what to do
    assert "Traceback" not in box.text() + box.informativeText()
    assert "NotADirectoryError" in box.detailedText()  # the details, collapsed
    assert window.document.path is None  # nothing was marked saved
    box.close()


def test_an_unexpected_error_is_logged_and_shown_in_plain_words(qtbot, window, monkeypatch,
                                                                tmp_path):
    from ui import errors

    monkeypatch.setattr(errors, "log_folder", lambda: tmp_path)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    errors.install_excepthook()
    try:
        raise KeyError("scenario")
    except KeyError:
        box = errors.unexpected(*sys.exc_info())
    assert box is not None and "Something went wrong" in box.text()
    assert "Traceback" not in box.text() + box.informativeText()
    assert str(tmp_path / "errors.log") in box.informativeText()
    assert "Traceback" in box.detailedText() and "KeyError" in box.detailedText()
    assert "KeyError: 'scenario'" in (tmp_path / "errors.log").read_text(encoding="utf-8")
    assert sys.excepthook is not sys.__excepthook__
    box.close()


def test_opening_a_large_file_can_be_cancelled_and_the_model_stays(qtbot, window, chain,
                                                                   tmp_path, monkeypatch):
    from ui import file_controller

    window.document.reset(chain, None)
    path = tmp_path / "big.json"
    window.files.save_to(path)
    window.document.reset(chain, None)
    monkeypatch.setattr(file_controller, "BACKGROUND_LOAD_BYTES", 0)  # every file is "large"
    window.open_path(path)
    progress = window.files.progress
    assert progress is not None and progress.isVisible()
    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.files.loader.busy)
    QApplication.processEvents()
    assert window.document.model is chain and window.document.path is None
    assert not window.files.loading and window.files.progress is None
    assert "cancelled" in window.statusBar().currentMessage()
    window.open_path(path)  # not cancelled: it opens
    qtbot.waitUntil(lambda: window.document.path == path)
    assert window.document.model == chain


def test_a_big_chain_shows_once_read_and_its_figures_follow(qtbot, window, chain, tmp_path,
                                                            monkeypatch):
    """A big chain is shown as soon as it is read, validated and laid out (off the GUI
    thread); its figures are worked out next, in the background, and until then the charts
    say so (not "choose a scenario")."""
    from ui import analysis as analysis_module
    from ui import canvas_view, file_controller
    from ui import document as document_module
    from ui import worker as worker_module
    from ui.analysis import analyse, copy_model

    built_here = []

    def counted(build):
        return lambda *args: built_here.append(build.__name__) or build(*args)

    window.document.reset(chain, None)
    path = tmp_path / "big.json"
    window.files.save_to(path)
    window.document.reset(ChainModel(), None)
    for module in (file_controller, analysis_module, document_module):
        monkeypatch.setattr(module, "BACKGROUND_FROM", 1)  # every chain is big
    monkeypatch.setattr(file_controller, "BACKGROUND_LOAD_BYTES", 0)
    monkeypatch.setattr(worker_module, "QUIET_S", 3600.0)  # "left alone" not before the end
    viewport = window.canvas.viewport()
    centre = QPointF(viewport.rect().center())
    QApplication.sendEvent(viewport, QWheelEvent(
        centre, viewport.mapToGlobal(centre), QPoint(), QPoint(0, 120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase, False))  # the planner is at the canvas meanwhile
    for name in ("arrange", "link_ends"):  # the layout and the links' ends
        monkeypatch.setattr(canvas_view, name, counted(getattr(canvas_view, name)))
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document.path == path)
    assert built_here == []
    document = window.document
    assert document.model == chain and document.analysis.result is None
    tabs = window.views.tabBar()
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(1).center())
    assert window.charts.message.isVisible()
    assert window.charts.message.text() == "Working out the figures…"
    monkeypatch.setattr(worker_module, "QUIET_S", 0.0)
    qtbot.waitUntil(lambda: document.analysis.result is not None, timeout=20_000)
    assert not window.charts.message.isVisible()
    fresh = analyse(copy_model(chain), document.scenario, 0)
    assert fresh is not None and fresh.result is not None
    assert document.analysis.result.npv == pytest.approx(fresh.result.npv)
    assert document.analysis.problems == fresh.problems
    # what the first search and click need was built while it was opened, off the GUI thread
    for name in ("_search_text", "_enterprise_rows", "_projects_by_firm"):
        monkeypatch.setattr(document_module, name, counted(getattr(document_module, name)))
    firm = chain.enterprises[-1]
    qtbot.keyClicks(window.filter_bar.search, firm.id)
    qtbot.keyClick(window.filter_bar.search, Qt.Key.Key_Return)
    assert document.selected_enterprises == {firm.id}
    assert built_here == []


def test_the_charts_show_the_year_chosen_while_another_tab_was_open(qtbot, window, chain):
    """The charts are drawn when their tab shows (not at each year-slider step on the
    Chain tab), and then at the year the slider says."""
    import numpy as np

    window.document.reset(chain, None)
    window.views.setCurrentIndex(0)  # the chain
    slider = window.year_slider
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_Home)  # the first year
    first = slider.value()
    tabs = window.views.tabBar()
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(1).center())
    assert window.views.currentWidget() is window.charts
    chart = window.charts.chart("group_position_tier")
    result = window.document.analysis.result
    at = list(result.years).index(first)
    expected = [m["connected_share"][at] * 100 for m in result.by_group["position_tier"].values()]
    assert np.allclose(chart.series[next(iter(chart.series))][1], expected, equal_nan=True)


def test_the_chain_shows_the_year_chosen_while_the_charts_were_open(qtbot, window, chain):
    """The chain's nodes follow the year when their tab shows (not at each step the
    planner makes on the charts), and then show the year the slider says."""
    window.document.reset(chain, None)
    qtbot.waitUntil(lambda: window.document.analysis.revision == window.document.revision)
    result, canvas = window.document.analysis.result, window.canvas
    years = [int(y) for y in result.years]

    def shown() -> list[tuple[int, bool]]:
        return [(canvas.node_item(e.id).level, canvas.node_item(e.id).connected)
                for e in chain.enterprises]

    def of(year: int) -> list[tuple[int, bool]]:
        col = years.index(year)
        return [(int(result.maturity[r, col]), bool(result.connected[r, col]))
                for r in range(len(chain.enterprises))]

    slider, tabs = window.year_slider, window.views.tabBar()
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_Home)  # the first year, on the chain's tab
    assert of(years[0]) != of(years[-1]) and shown() == of(years[0])
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(1).center())
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_End)  # the last year, on the charts' tab
    assert shown() == of(years[0])  # nobody sees the chain: it waits
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(0).center())
    assert shown() == of(years[-1])


def test_assess_with_nothing_selected_says_what_to_do(qtbot, window):
    seen = []

    def read(box):
        seen.append(box.text())
        box.button(QMessageBox.StandardButton.Ok).click()

    window.views.setCurrentIndex(3)
    when_modal(qtbot, read, QMessageBox)
    qtbot.mouseClick(window.health.edit, Qt.MouseButton.LeftButton)
    assert seen and "Select the enterprise to assess first" in seen[0]


def test_assigning_says_who_was_left_out_and_why(qtbot, window, chain):
    window.document.reset(chain, None)
    window.document.set_selection({"S1", "S2"})  # S1 has ERP in Base already
    answer(qtbot, lambda d: d.project.setCurrentIndex(d.project.findData("ERP")))
    trigger(window, "assign")
    message = window.statusBar().currentMessage()
    assert message.startswith("Assigned ERP to 1 of 2 selected enterprises.")
    assert "1 left out: they have ERP in this scenario already (S1)" in message
