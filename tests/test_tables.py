"""The tables dock driven like a planner: typing into cells, Delete, undo — in both languages.

What a cell shows, typed back into its editor, stores the same value; the item models
follow the document's typed events (no reset per edit) and pass Qt's model tester.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QModelIndex, QPoint, QSettings, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication

from models.chain import Assessment, Enterprise
from tests.conftest import small_chain
from tests.field_values import another, type_text, values
from ui.document import Document
from ui.fields import ChoiceEditor, LineEditor
from ui.i18n import language, set_language
from ui.tables import TablePage, TablesWidget

LANGS = ("en", "zh_CN")
TABLE_NAMES = ("enterprises", "links", "projects", "scenarios", "assignments", "assessments")
# the row each table's property test edits: one with references, so renames cascade
EDITED_ROW = {"enterprises": 1, "links": 0, "projects": 0, "scenarios": 0, "assignments": 1,
              "assessments": 0}


def chain_with_assessments():
    chain = small_chain()
    chain.assessments = [
        Assessment(enterprise="S1", date="2025-03-31",
                   answers={"network": ("B", "C"), "system_coverage": "C"},
                   scenarios={"product_design": 2}),
        Assessment(enterprise="S2", date="2025-04-01"),
    ]
    return chain


@pytest.fixture
def document():
    return Document(chain_with_assessments())


@pytest.fixture(params=LANGS)
def lang(request):
    set_language(request.param)
    yield request.param
    set_language("en")


@pytest.fixture
def tables(qtbot, document, lang):
    widget = TablesWidget(document)
    qtbot.addWidget(widget)
    widget.resize(1300, 500)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    return widget


def open_editor(qtbot, page: TablePage, row: int, key: str):
    """Make a cell current and press F2, as a planner does; returns the editor."""
    parent = page.parentWidget()
    while parent is not None and not isinstance(parent, TablesWidget):
        parent = parent.parentWidget()
    if parent is not None:
        parent.setCurrentWidget(page)
    index = page.proxy.mapFromSource(page.model.index(row, page.model.column_of(key)))
    page.view.scrollTo(index)
    page.view.setCurrentIndex(index)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_F2)
    editor = page.view.indexWidget(index)
    assert editor is not None, f"no editor opened on {key}"
    return editor


def type_into_cell(qtbot, page: TablePage, row: int, key: str, text: str) -> None:
    """Open the cell's editor, replace its text by ``text`` (or pick it) and press Enter."""
    editor = open_editor(qtbot, page, row, key)
    if isinstance(editor, ChoiceEditor):
        # a drop-down: typing a label's first word picks it (a space would open the list)
        type_text(qtbot, editor, text.split(" ", maxsplit=1)[0])
        assert editor.currentText() == text
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        editor_closed(qtbot, page)
        return
    assert isinstance(editor, LineEditor)
    editor.selectAll()
    if text:
        type_text(qtbot, editor, text)
    else:
        qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    completer = editor.completer()
    target = completer.popup() if completer and completer.popup().isVisible() else editor
    qtbot.keyClick(target, Qt.Key.Key_Return)
    editor_closed(qtbot, page)


def editor_closed(qtbot, page: TablePage) -> None:
    """The view commits and closes its editor once back in the event loop."""
    QApplication.processEvents()
    qtbot.waitUntil(lambda: page.view.indexWidget(page.view.currentIndex()) is None)


def cell_text(page: TablePage, row: int, key: str) -> str:
    return page.model.index(row, page.model.column_of(key)).data()


@pytest.fixture
def page(qtbot, document, lang, attr):
    """One table's page alone (quicker to make than the whole dock)."""
    widget = TablePage(document, attr)
    qtbot.addWidget(widget)
    widget.resize(1300, 300)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    return widget


@pytest.mark.parametrize("attr", TABLE_NAMES)
@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_what_a_cell_shows_typed_back_stores_the_same_value(qtbot, page, document, attr, data):
    """Every editable column of the table: store a value, read the cell, store another, then
    type the text the cell showed into the cell's editor: the first value is back."""
    row_number = EDITED_ROW[attr]
    row = page.model.rows()[row_number]
    rejected: list[str] = []
    page.model.rejected.connect(rejected.append)
    for column in (c for c in page.model.columns if c.editable):
        key = column.key
        value = data.draw(values(column.kind), key)
        document.set_values(column.changes(row, value), "store")
        shown = cell_text(page, row_number, key)
        other = another(column.kind, value, language())
        document.set_values(column.changes(row, other), "store another")
        type_into_cell(qtbot, page, row_number, key, shown)
        assert rejected == [], (key, shown)
        stored = column.value(row)
        assert stored == value and type(stored) is type(value), (key, shown, stored)
        assert cell_text(page, row_number, key) == shown


def test_typing_a_share_or_an_amount_stores_what_was_meant(qtbot, tables, document, lang):
    page = tables.pages["projects"]
    tables.setCurrentWidget(page)
    type_into_cell(qtbot, page, 0, "benefit_rate", "2%")
    assert document.model.projects[0].benefit_rate == 0.02
    assert cell_text(page, 0, "benefit_rate") == "2%"
    type_into_cell(qtbot, page, 0, "capex", "1,250.5")
    assert document.model.projects[0].capex == 1250.5
    assignments = tables.pages["assignments"]
    type_into_cell(qtbot, assignments, 0, "core_share", "60%")
    assert document.model.assignments[0].core_share == 0.6
    type_into_cell(qtbot, assignments, 0, "core_share", "45")
    assert document.model.assignments[0].core_share == 0.45
    assert document.undo_stack.count() == 4  # one step per edit


def test_a_typed_value_that_does_not_read_keeps_the_editor_open(qtbot, tables, document, lang):
    page = tables.pages["enterprises"]
    tables.setCurrentWidget(page)
    editor = open_editor(qtbot, page, 1, "revenue")
    editor.selectAll()
    qtbot.keyClicks(editor, "lots")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert page.view.indexWidget(page.view.currentIndex()) is editor  # still editing
    assert "#fde7e9" in editor.styleSheet()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert document.model.enterprises[1].revenue == 20000 and document.undo_stack.count() == 0


def test_an_edit_changes_one_cell_and_resets_nothing(qtbot, tables, document):
    page = tables.pages["enterprises"]
    tables.setCurrentWidget(page)
    resets, changed, inserted, removed = [], [], [], []
    for widget in tables.pages.values():
        widget.model.modelReset.connect(lambda: resets.append(1))
    page.model.dataChanged.connect(
        lambda tl, br, roles: changed.append((tl.row(), tl.column(), br.row(), br.column())))
    page.model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    page.model.rowsRemoved.connect(lambda _p, first, last: removed.append((first, last)))
    revenue = page.model.column_of("revenue")
    with qtbot.waitSignal(page.model.dataChanged):
        type_into_cell(qtbot, page, 1, "revenue", "25000")
    assert (1, revenue, 1, revenue) in changed
    assert all(c[0] == 1 and c[2] == 1 for c in changed)  # this row (and its problem marks)
    document.add_enterprise(Enterprise(id="N", name="New", role="supplier", size="small"))
    assert inserted == [(4, 4)]
    document.undo_stack.undo()
    assert removed == [(4, 4)]
    assert resets == []
    document.reset(small_chain(), None)
    assert len(resets) == len(tables.pages)  # a new model is the one reset


def test_every_table_model_passes_the_model_tester(qtbot, tables, document):
    fatal = QAbstractItemModelTester.FailureReportingMode.Fatal
    testers = [QAbstractItemModelTester(model, fatal, tables)
               for page in tables.pages.values() for model in (page.model, page.proxy)]
    enterprises = tables.pages["enterprises"]
    tables.setCurrentWidget(enterprises)
    enterprises.view.sortByColumn(enterprises.model.column_of("revenue"),
                                  Qt.SortOrder.DescendingOrder)
    type_into_cell(qtbot, enterprises, 2, "revenue", "90,000")
    enterprises.filter.setText("s")
    document.add_enterprise(Enterprise(id="S9", name="Sub", role="supplier", size="small"))
    type_into_cell(qtbot, enterprises, 1, "id", "T1")  # a rename: links, assignments follow
    enterprises.filter.clear()
    enterprises.view.selectRow(enterprises.proxy.mapFromSource(
        enterprises.model.index(1, 0)).row())
    qtbot.keyClick(enterprises.view, Qt.Key.Key_Delete)  # with links, assignments, assessments
    assert [a.enterprise for a in document.model.assessments] == ["S2"]
    for page in tables.pages.values():
        page.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    for _ in range(3):
        document.undo_stack.undo()
    document.undo_stack.redo()
    document.reset(chain_with_assessments(), None)
    assert len(testers) == 2 * len(tables.pages)
    assert tables.pages["links"].model.rowCount(QModelIndex()) == 3


def test_assessments_tab_shows_score_and_level(qtbot, tables, document, lang):
    page = tables.pages["assessments"]
    tables.setCurrentWidget(page)
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(page.model.columnCount())]
    assert headers[:4] == (["enterprise", "date", "score", "level"] if lang == "en"
                           else ["企业", "日期", "得分", "等级"])
    assert tables.tabText(tables.indexOf(page)) == ("Assessments" if lang == "en" else "评测")
    assert cell_text(page, 1, "level") == ("no level" if lang == "en" else "无等级")
    assert cell_text(page, 1, "score") == "0"
    score = float(cell_text(page, 0, "score"))
    type_into_cell(qtbot, page, 0, "system_coverage", "D")
    assert document.model.assessments[0].answers["system_coverage"] == "D"
    assert float(cell_text(page, 0, "score")) > score  # score follows the answer


def test_deleting_assessment_rows_with_the_delete_key(qtbot, tables, document):
    page = tables.pages["assessments"]
    tables.setCurrentWidget(page)
    page.view.selectRow(1)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert [a.enterprise for a in document.model.assessments] == ["S1"]
    assert page.model.rowCount() == 1
    document.undo_stack.undo()
    assert page.model.rowCount() == 2


def test_deleting_an_enterprise_in_the_table_removes_its_assessments_in_one_step(qtbot, tables,
                                                                                 document):
    page = tables.pages["enterprises"]
    tables.setCurrentWidget(page)
    page.view.selectRow(1)  # S1: links, assignments and an assessment hang on it
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    model = document.model
    assert "S1" not in {e.id for e in model.enterprises}
    assert [a.enterprise for a in model.assessments] == ["S2"]
    assert tables.pages["assessments"].model.rowCount() == 1
    assert model.assignments == [] and len(model.links) == 1
    assert document.undo_stack.count() == 1

    def each_table_shows_the_model_s_rows() -> None:
        for attr, shown in tables.pages.items():
            assert shown.model.rows() == getattr(model, attr), attr

    each_table_shows_the_model_s_rows()
    document.undo_stack.undo()
    assert [a.enterprise for a in model.assessments] == ["S1", "S2"]
    assert tables.pages["assessments"].model.rowCount() == 2
    each_table_shows_the_model_s_rows()


def test_a_cell_with_a_problem_is_marked_and_says_why(qtbot, tables, document, lang):
    page = tables.pages["assessments"]
    type_into_cell(qtbot, page, 1, "enterprise", "GHOST")
    document.analyse_now()
    index = page.model.index(1, page.model.column_of("enterprise"))
    assert index.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "GHOST" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert not tables.tabIcon(tables.indexOf(page)).isNull()


# --- in the main window ------------------------------------------------------------------------

@pytest.fixture
def window(qtbot, lang):
    from ui.main_window import MainWindow

    QSettings().clear()
    win = MainWindow(Document(chain_with_assessments()))
    qtbot.addWidget(win, before_close_func=lambda w: w.document.undo_stack.setClean())
    win.resize(1366, 768)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    return win


def test_typing_into_cells_of_the_window_commits_without_a_qt_warning(qtbot, qtlog, window):
    """Each edit used to print "commitData called with an editor that does not belong to this
    view" (the table reset under its open editor); Qt warnings fail tests, and none is logged."""
    tables, model = window.tables, window.document.model
    edits = [("enterprises", 1, "name", "Renamed 改名"), ("enterprises", 1, "revenue", "12,345"),
             ("enterprises", 2, "size", window.tables.pages["enterprises"].model.columns[
                 3].kind.text("medium", language())),
             ("links", 1, "buyer", "C"), ("projects", 0, "benefit_rate", "2%"),
             ("assignments", 0, "core_share", "60"), ("assessments", 0, "date", "2025/4/1")]
    for attr, row, key, text in edits:
        type_into_cell(qtbot, tables.pages[attr], row, key, text)
    assert model.enterprises[1].name == "Renamed 改名" and model.enterprises[1].revenue == 12345
    assert model.enterprises[2].size == "medium" and model.links[1].buyer == "C"
    assert model.projects[0].benefit_rate == 0.02 and model.assignments[0].core_share == 0.6
    assert model.assessments[0].date == "2025-04-01"
    assert window.document.undo_stack.count() == len(edits)
    assert not [r for r in qtlog.records if "commitData" in r.message]


def test_double_clicking_an_assessment_problem_shows_its_row(qtbot, window):
    document = window.document
    assert not [p for p in document.analysis.problems if p.is_error]
    document.set_values([(document.model.assessments[1], "enterprise", "GHOST")], "edit")
    document.wait_for_analysis()
    problems = window.problems
    window.dock_set.docks["problems"].raise_()
    qtbot.waitUntil(problems.isVisible)
    item = next(problems.item(i) for i in range(problems.count())
                if problems.item(i).data(Qt.ItemDataRole.UserRole).table[0] == "Assessments")
    problems.scrollToItem(item)
    where = problems.visualItemRect(item).center()
    # a double click is a click and then a second press (QTest sends only the second)
    qtbot.mouseClick(problems.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(problems.viewport(), Qt.MouseButton.LeftButton, pos=where)
    page = window.tables.pages["assessments"]
    assert window.tables.currentWidget() is page and page.isVisible()
    current = page.proxy.mapToSource(page.view.currentIndex())
    assert (current.row(), page.model.columns[current.column()].key) == (1, "enterprise")
    assert [page.proxy.mapToSource(i).row() for i in page.view.selectionModel().selectedRows()
            ] == [1]
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)  # and the row can go
    assert [a.enterprise for a in document.model.assessments] == ["S1"]


def test_sorting_is_by_value_and_filtering_by_what_cells_show(qtbot, tables, document, lang):
    page = tables.pages["enterprises"]
    tables.setCurrentWidget(page)
    header = page.view.horizontalHeader()
    revenue = page.model.column_of("revenue")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(revenue) + 20,
                                header.height() // 2))
    shown = [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]
    ascending = ["D1", "S2", "S1", "C"]  # 800 < 3,000 < 20,000 < 100,000 (not as text)
    assert shown in (ascending, ascending[::-1])
    page.view.sortByColumn(revenue, Qt.SortOrder.DescendingOrder)
    document.add_enterprise(Enterprise(id="M", name="Mid", role="supplier", size="small",
                                       revenue=5000.0))
    assert [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())] == [
        "C", "S1", "M", "S2", "D1"]  # a new row lands where it sorts
    type_into_cell(qtbot, page, page.model.row_of(4), "revenue", "1")
    assert page.proxy.index(2, 0).data() == "M"  # an edited row stays put until re-sorted
    page.filter.setText("中型" if lang == "zh_CN" else "medium")  # what the cells show
    assert [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())] == ["S1"]
    page.filter.setText(" 中型 " if lang == "zh_CN" else " MEDIUM ")  # any case, no spaces
    assert [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())] == ["S1"]
    other = "en" if lang == "zh_CN" else "zh_CN"
    set_language(other)  # the app's language switch: the filter searches the new texts
    tables.retranslate()
    assert page.proxy.rowCount() == 0
    page.filter.setText("medium" if other == "en" else "中型")
    assert [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())] == ["S1"]
    set_language(lang)
    tables.retranslate()
    page.filter.setText("s*")  # typed characters, not a pattern ("s*" would match every row)
    assert page.proxy.rowCount() == 0
    page.filter.clear()
    tables.show_row("enterprises", 3, "revenue")  # a document position (a problem's row)
    current = page.proxy.mapToSource(page.view.currentIndex())
    assert page.model.rows()[current.row()].id == "D1"
