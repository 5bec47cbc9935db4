"""Parks in the app, used like a planner uses them: the Parks tables typed into, a park's
box on the canvas clicked and dropped on, the Assign dialog for a park project, Delete and
undo — in English and Chinese."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QHelpEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QToolTip

from models.chain import Park, ParkAssignment, ProjectType
from models.validation import validate
from tests.conftest import small_chain
from tests.test_tables import editor_closed, open_editor, type_into_cell, type_text
from ui.canvas import MIME_PROJECT, ChainView
from ui.dialogs import AssignDialog, assign_project
from ui.document import Document
from ui.fields import LineEditor
from ui.i18n import set_language, tr
from ui.inspector import Inspector
from ui.parks import add_park_edits, assign_to_parks, park_selection
from ui.tables import TablesWidget

LANGS = ("en", "zh_CN")


def park_chain():
    """The small chain (S1, S2 in Lingang), D1 in Jinqiao, and two park projects."""
    model = small_chain()
    model.enterprises[3].park = "Jinqiao"
    model.projects += [
        ProjectType(id="P5G", name="Park 5G network", category="infrastructure", capex=300.0,
                    opex=20.0, duration=1, benefit_rate=0.002, scope="park"),
        ProjectType(id="PPLAT", name="Park platform", category="collaboration", capex=120.0,
                    connects_platform=True, scope="park"),
    ]
    return model


@pytest.fixture(params=LANGS)
def lang(request):
    set_language(request.param)
    yield request.param
    set_language("en")


@pytest.fixture
def document():
    document = Document(park_chain())
    yield document
    document.undo_stack.clear()  # see tests/test_canvas.py: leave the stack clean


@pytest.fixture
def tables(qtbot, document, lang):
    widget = TablesWidget(document)
    qtbot.addWidget(widget)
    widget.resize(1300, 500)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def view(qtbot, document, lang):
    view = ChainView(document)
    qtbot.addWidget(view)
    view.resize(1100, 760)
    view.show()
    qtbot.waitExposed(view)
    view.fit()
    return view


def box_point(view: ChainView, park: str) -> QPoint:
    """A point of the park's box on no node: its label's slot, at the left of the lane."""
    box = view.park_box(park)
    assert box is not None, f"{park} has no box"
    point = view.mapFromScene(QPointF(box.left() + 6, box.top() + 6))
    assert view.node_at(QPointF(point)) is None and view.park_at(QPointF(point)) == park
    return point


def drop(view: ChainView, project: str, point: QPoint) -> tuple[bool, bool]:
    """Drag a project from outside onto ``point`` and let go, through the view's real drag
    and drop events: (was the move accepted, was the drop accepted)."""
    mime = QMimeData()
    mime.setData(MIME_PROJECT, project.encode())
    viewport = view.viewport()
    copy, left = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    none = Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, copy, mime, left, none)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(point, copy, mime, left, none)
    QApplication.sendEvent(viewport, move)
    event = QDropEvent(QPointF(point), copy, mime, left, none)
    QApplication.sendEvent(viewport, event)
    return move.isAccepted(), event.isAccepted()


def rows(document: Document) -> list[tuple[str, str, str, int, float, float]]:
    return [(b.scenario, b.park, b.project, b.start_year, b.government_share, b.core_share)
            for b in document.model.park_assignments]


# --- tables -------------------------------------------------------------------------------------

def test_the_park_tabs_have_their_names_in_both_languages(tables, lang):
    titles = {tables.tabText(tables.indexOf(page)) for page in tables.pages.values()}
    expected = {"en": {"Parks", "Park projects"}, "zh_CN": {"园区", "园区项目"}}[lang]
    assert expected <= titles


def test_adding_the_first_park_by_typing_keeps_the_implicit_parks(qtbot, tables, document,
                                                                    lang):
    page = tables.pages["parks"]
    tables.setCurrentWidget(page)
    assert document.model.parks == [] and document.model.park_ids() == ["Jinqiao", "Lingang"]
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    editor = page.view.indexWidget(page.view.currentIndex())
    assert isinstance(editor, LineEditor)  # the new park's id, open for typing
    editor.selectAll()
    type_text(qtbot, editor, "Waigaoqiao")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    editor_closed(qtbot, page)
    assert [k.id for k in document.model.parks] == ["Jinqiao", "Lingang", "Waigaoqiao"]
    assert not [p for p in validate(document.model) if p.is_error]
    assert document.undo_stack.count() == 2  # the park (with the implicit ones), its id
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert document.model.parks == [] and page.model.rowCount() == 0
    document.undo_stack.redo()
    assert page.model.rowCount() == 3
    assert not [p for p in validate(document.model) if p.is_error]


def test_park_references_offer_the_parks_scenarios_and_park_projects(qtbot, tables, document):
    def offered(attr: str, row: int, key: str) -> list[str]:
        editor = open_editor(qtbot, tables.pages[attr], row, key)
        entries = editor.completer().model().stringList()
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
        editor_closed(qtbot, tables.pages[attr])
        return entries

    assert offered("enterprises", 1, "park") == ["Jinqiao", "Lingang"]
    assign_to_parks(document, ["Lingang"], "P5G", 2026, 0.5, 0.0)
    assert offered("park_assignments", 0, "project") == ["P5G", "PPLAT"]
    assert offered("park_assignments", 0, "park") == ["Jinqiao", "Lingang"]
    assert offered("park_assignments", 0, "scenario") == ["Base"]
    assert offered("assignments", 0, "project") == ["ERP", "MES", "PLAT"]


def test_a_park_project_row_typed_into_changes_its_share(qtbot, tables, document, lang):
    assign_to_parks(document, ["Lingang"], "P5G", 2026, 0.0, 0.0)
    type_into_cell(qtbot, tables.pages["park_assignments"], 0, "government_share", "40")
    assert rows(document) == [("Base", "Lingang", "P5G", 2026, 0.4, 0.0)]


def test_deleting_a_park_row_removes_its_projects_and_clears_its_members(qtbot, tables,
                                                                         document):
    document.apply(add_park_edits(document.model, Park(id="Waigaoqiao")), "parks")
    assign_to_parks(document, ["Lingang", "Jinqiao"], "P5G", 2026, 0.0, 0.0)
    page = tables.pages["parks"]
    tables.setCurrentWidget(page)
    count = document.undo_stack.count()
    page.select_source_rows([[k.id for k in page.model.rows()].index("Lingang")])
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert [k.id for k in document.model.parks] == ["Jinqiao", "Waigaoqiao"]
    assert [b.park for b in document.model.park_assignments] == ["Jinqiao"]
    assert [e.park for e in document.model.enterprises] == ["", "", "", "Jinqiao"]
    assert document.undo_stack.count() == count + 1
    document.undo_stack.undo()
    assert [e.park for e in document.model.enterprises] == ["", "Lingang", "Lingang", "Jinqiao"]
    assert len(document.model.park_assignments) == 2 and len(document.model.parks) == 3


# --- canvas ---------------------------------------------------------------------------------------

def test_clicking_a_park_box_selects_the_park_and_the_inspector_shows_it(qtbot, view, document,
                                                                         lang):
    inspector = Inspector(document)
    qtbot.addWidget(inspector)
    assign_to_parks(document, ["Lingang"], "P5G", 2027, 0.3, 0.2)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=box_point(view, "Lingang"))
    assert park_selection(document).park == "Lingang"
    assert view.decorations.selected_park == "Lingang"
    assert inspector.editors["id"].text() == "Lingang"
    details = inspector.details.text()
    for text in ("Tier-1 Supplier", "Tier-2 Machining", "P5G", "2027", "2028", tr("Members"),
                 tr("government {0} · core {1} · operator {2}", "30%", "20%", "50%")):
        assert text in details, text
    # a node clicked: the park is no longer selected
    node = view.mapFromScene(view.node_item("D1").scenePos())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=node)
    assert park_selection(document).park == "" and document.selected_enterprises == {"D1"}
    assert "editors" in vars(inspector) and "park" in inspector.editors  # the firm's fields


def test_naming_an_implicit_park_in_the_inspector_makes_the_parks_rows(qtbot, view, document):
    inspector = Inspector(document)
    qtbot.addWidget(inspector)
    inspector.show()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=box_point(view, "Lingang"))
    editor = inspector.editors["name"]
    editor.setFocus()
    type_text(qtbot, editor, "Lingang New Area 临港新片区")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert [(k.id, k.name) for k in document.model.parks] == [
        ("Jinqiao", ""), ("Lingang", "Lingang New Area 临港新片区")]
    assert view.decorations.park_names == {"Lingang": "Lingang New Area 临港新片区"}
    document.undo_stack.undo()
    assert document.model.parks == []


def test_dragging_a_park_project_onto_a_park_box_assigns_it(qtbot, view, document, lang):
    messages: list[str] = []
    view.status_message.connect(messages.append)
    count = document.undo_stack.count()
    assert drop(view, "P5G", box_point(view, "Lingang")) == (True, True)
    assert rows(document) == [("Base", "Lingang", "P5G", 2026, 0.0, 0.0)]
    assert document.undo_stack.count() == count + 1
    assert messages and "P5G" in messages[-1]
    assert view.decorations.badges == {"Lingang": [("P5G", True)]}  # live by the last year
    document.undo_stack.undo()
    assert rows(document) == [] and view.decorations.badges == {}
    document.undo_stack.redo()
    assert rows(document) == [("Base", "Lingang", "P5G", 2026, 0.0, 0.0)]
    assert view.decorations.badges == {"Lingang": [("P5G", True)]}


def test_wrong_drops_are_refused_with_a_word_and_change_nothing(qtbot, view, document, lang):
    messages: list[str] = []
    view.status_message.connect(messages.append)
    count = document.undo_stack.count()
    # an enterprise project on a park
    assert drop(view, "ERP", box_point(view, "Lingang")) == (False, False)
    assert messages[-1] == tr("{0} is an enterprise project: drop it on a firm, not on a park. "
                              "Nothing was changed.", "ERP")
    # a park project on a firm
    node = view.mapFromScene(view.node_item("S2").scenePos())
    assert drop(view, "PPLAT", node) == (False, False)
    assert messages[-1] == tr("{0} is a park project: drop it on a park's box, not on a firm. "
                              "Nothing was changed.", "PPLAT")
    assert rows(document) == [] and len(document.model.assignments) == 2
    assert document.undo_stack.count() == count


def test_delete_on_the_canvas_deletes_the_selected_park(qtbot, view, document, lang):
    assign_to_parks(document, ["Lingang", "Jinqiao"], "PPLAT", 2026, 0.0, 0.5)
    count = document.undo_stack.count()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=box_point(view, "Lingang"))
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Delete)
    assert [e.park for e in document.model.enterprises] == ["", "", "", "Jinqiao"]
    assert [b.park for b in document.model.park_assignments] == ["Jinqiao"]
    assert document.undo_stack.count() == count + 1
    assert view.park_box("Lingang") is None
    document.undo_stack.undo()
    assert view.park_box("Lingang") is not None and len(document.model.park_assignments) == 2


# --- the Assign dialog ----------------------------------------------------------------------------

def test_the_assign_dialog_assigns_a_park_project_to_the_parks_of_the_selection(
        qtbot, document, lang):
    window = QMainWindow()
    qtbot.addWidget(window)
    document.set_selection({"S1", "D1"})
    seen: dict[str, object] = {}

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AssignDialog)
        dialog.project.setCurrentIndex(dialog.project.findData("P5G"))
        seen["parks"] = dialog.ticked_parks()  # the selected firms' parks, ticked
        seen["park rows"] = dialog.parks.isVisible() and not dialog.share.isVisible()
        for editor, text in ((dialog.start, "2027"), (dialog.government, "60"),
                             (dialog.core, "25")):
            editor.selectAll()
            qtbot.keyClicks(editor, text)
        seen["summary"] = dialog.summary.text()
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill)
    assign_project(window, document)
    assert sorted(seen["parks"]) == ["Jinqiao", "Lingang"] and seen["park rows"]
    assert "60%" in seen["summary"] and "25%" in seen["summary"] and "15%" in seen["summary"]
    assert rows(document) == [("Base", "Lingang", "P5G", 2027, 0.6, 0.25),
                              ("Base", "Jinqiao", "P5G", 2027, 0.6, 0.25)]
    assert tr("Assigned {0} to {1} parks.", "P5G", 2) in window.statusBar().currentMessage()
    document.undo_stack.undo()  # one step
    assert rows(document) == []
    document.undo_stack.redo()
    assert len(rows(document)) == 2


def test_the_assign_dialog_refuses_shares_over_the_whole_and_parks_that_have_it(qtbot, document):
    document.model.park_assignments.append(ParkAssignment(
        scenario="Base", park="Lingang", project="P5G", start_year=2026))
    dialog = AssignDialog(document.model, document.current_scenario(), [], parks=["Lingang"])
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert dialog.is_park and dialog.ticked_parks() == ["Lingang"]
    assert not ok.isEnabled()  # Lingang has P5G already
    dialog.parks.item(1).setCheckState(Qt.CheckState.Checked)  # Jinqiao too
    assert ok.isEnabled()
    for editor, text in ((dialog.government, "70"), (dialog.core, "40")):
        editor.selectAll()
        qtbot.keyClicks(editor, text)
    assert not ok.isEnabled() and "100%" in dialog.error.text()
    # an enterprise project with no enterprise selected
    dialog.project.setCurrentIndex(dialog.project.findData("ERP"))
    assert not ok.isEnabled() and not dialog.parks.isVisibleTo(dialog)


def test_hovering_a_park_box_names_the_park_and_its_projects(qtbot, view, document):
    assign_to_parks(document, ["Lingang"], "PPLAT", 2026, 0.0, 0.0)
    point = box_point(view, "Lingang")
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    assert "Lingang" in QToolTip.text() and "PPLAT" in QToolTip.text()
    QToolTip.hideText()


def test_choosing_a_park_project_row_shows_its_park_in_the_inspector(qtbot, tables, document):
    inspector = Inspector(document)
    qtbot.addWidget(inspector)
    assign_to_parks(document, ["Jinqiao"], "PPLAT", 2028, 0.25, 0.0)
    page = tables.pages["park_assignments"]
    tables.setCurrentWidget(page)
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.view.visualRect(page.proxy.index(0, 0)).center())
    assert park_selection(document).park == "Jinqiao"
    assert "PPLAT" in inspector.details.text() and "2028" in inspector.details.text()
