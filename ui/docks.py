"""The docks around the canvas: tables, problems and history below; inspector, policy,
catalogue and legend on the right. ``Docks`` builds them, tabified, at sizes that leave the canvas usable."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QTabBar,
    QUndoView,
    QWidget,
)

from ui.canvas import MIME_PROJECT
from ui.document import Document
from ui.i18n import language, tr
from ui.inspector import Inspector
from ui.legend import LegendWidget
from ui.policy import PolicyPanel
from ui.tables import TablesWidget


def _scrolling(widget: QWidget) -> QScrollArea:
    """A fixed-height widget in a scroll area, so it never sets the dock column's height."""
    area = QScrollArea()
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


class CatalogueList(QListWidget):
    """The project catalogue; drag a project onto a node to assign it."""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.setDragEnabled(True)
        document.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.clear()
        for project in self.document.model.projects:
            item = QListWidgetItem(f"{project.id} — {project.name}", self)
            item.setData(Qt.ItemDataRole.UserRole, project.id)
            item.setToolTip(project.source)

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:
        data = QMimeData()
        if items:
            data.setData(MIME_PROJECT, QByteArray(
                str(items[0].data(Qt.ItemDataRole.UserRole)).encode()))
        return data

    def mimeTypes(self) -> list[str]:
        return [MIME_PROJECT]


class ProblemsList(QListWidget):
    """The model's errors and warnings; double-click one to select its culprit."""

    def __init__(self, document: Document, tables: TablesWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.tables = tables
        self.show_tables = lambda: None  # raise the tables dock (set by the window)
        self.itemDoubleClicked.connect(self._on_problem_chosen)
        self._shown: object = None  # the problems shown (the analysis' list)
        self._shown_language = ""
        document.analysed.connect(self.refresh)
        document.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        problems = self.document.analysis.problems
        if problems is self._shown and language() == self._shown_language:
            return  # an edit whose analysis is still to come: the same list (thousands of
            # warnings of a big chain were made again on every edit)
        self._shown, self._shown_language = problems, language()
        self.clear()
        for problem in problems:
            item = QListWidgetItem(problem.text(language()), self)
            item.setData(Qt.ItemDataRole.UserRole, problem)
            item.setForeground(Qt.GlobalColor.darkRed if problem.is_error
                               else Qt.GlobalColor.darkYellow)

    def _on_problem_chosen(self, item: QListWidgetItem) -> None:
        problem = item.data(Qt.ItemDataRole.UserRole)
        if problem is None or problem.index is None:
            return
        attr = {"Enterprises": "enterprises", "Links": "links", "Projects": "projects",
                "Scenarios": "scenarios", "Assignments": "assignments",
                "Assessments": "assessments"}.get(problem.table[0])
        rows = getattr(self.document.model, attr) if attr else []
        if attr is None or problem.index >= len(rows):
            return
        row = rows[problem.index]
        if attr == "enterprises":
            self.document.set_selection({row.id})
        elif attr == "links":
            self.document.set_selection(set(), {(row.supplier, row.buyer)})
        elif attr in ("assignments", "assessments"):
            self.document.set_selection({row.enterprise})
        self.show_tables()
        self.tables.show_row(attr, problem.index, problem.column)


class Docks(QObject):
    """The window's docks and the widgets in them. The dock frames are made once (their
    place and size are the user's); ``rebuild`` replaces only the widgets inside, e.g.
    after a language switch (the tables, of up to hundreds of thousands of rows, are only
    retranslated)."""

    built = Signal()  # the widgets inside the docks were (re)made

    def __init__(self, window: QMainWindow, document: Document):
        super().__init__(window)
        self.window = window
        self.document = document
        area = Qt.DockWidgetArea
        self.docks: dict[str, QDockWidget] = {}
        for key, where in (("tables", area.BottomDockWidgetArea),
                           ("problems", area.BottomDockWidgetArea),
                           ("inspector", area.RightDockWidgetArea),
                           ("policy", area.RightDockWidgetArea),
                           ("catalogue", area.RightDockWidgetArea),
                           ("legend", area.RightDockWidgetArea),
                           ("history", area.BottomDockWidgetArea)):
            dock = QDockWidget(window)
            dock.setObjectName(f"dock_{key}")
            window.addDockWidget(where, dock)
            self.docks[key] = dock
        self._make_widgets()
        # four tabs on the right still read whole at 1366 px; the history has room below
        for other in ("problems", "history"):
            window.tabifyDockWidget(self.docks["tables"], self.docks[other])
        for other in ("policy", "legend", "catalogue"):
            window.tabifyDockWidget(self.docks["inspector"], self.docks[other])
        self.docks["tables"].raise_()
        self.docks["inspector"].raise_()
        window.resizeDocks([self.docks["tables"]], [230], Qt.Orientation.Vertical)
        window.resizeDocks([self.docks["inspector"]], [330], Qt.Orientation.Horizontal)

    def _make_widgets(self, tables: TablesWidget | None = None) -> None:
        document, window = self.document, self.window
        self.tables = tables or TablesWidget(document, window)
        self.inspector = Inspector(document, window)
        self.problems = ProblemsList(document, self.tables, window)
        self.problems.show_tables = self.docks["tables"].raise_
        self.catalogue = CatalogueList(document, window)
        self.legend = LegendWidget(window)
        self.policy = PolicyPanel(document, window)
        self.history = QUndoView(document.undo_stack, window)
        self.history.setEmptyLabel(tr("New"))
        for key, title, widget in (
                ("tables", tr("Tables"), self.tables),
                ("problems", tr("Problems"), self.problems),
                ("inspector", tr("Inspector"), self.inspector),
                ("policy", tr("Policy"), _scrolling(self.policy)),
                ("catalogue", tr("Catalogue"), self.catalogue),
                ("legend", tr("Legend"), _scrolling(self.legend)),
                ("history", tr("History"), self.history)):
            dock = self.docks[key]
            dock.setWindowTitle(title)
            if dock.widget() is not widget:
                dock.setWidget(widget)

    def rebuild(self) -> None:
        """Make the widgets again (in the current language), in the same dock frames."""
        old = [dock.widget() for key, dock in self.docks.items() if key != "tables"]
        self._make_widgets(self.tables)
        self.tables.retranslate()
        for widget in old:
            widget.deleteLater()
        self.built.emit()

    def values(self) -> list[QDockWidget]:
        return list(self.docks.values())

    def hide_stale_tab_bars(self) -> None:
        """WORKAROUND (Qt 6.11): after tabifying more than two docks, the tab bar made for
        the first pair stays visible over the central widget. Hide any dock tab bar whose
        tabs are a strict subset of another's."""
        bars = [b for b in self.window.findChildren(QTabBar) if b.parent() is self.window]
        tabs = {b: {b.tabText(i) for i in range(b.count())} for b in bars}
        for bar in bars:
            if any(tabs[bar] < tabs[other] for other in bars if other is not bar):
                bar.hide()
