"""The main window: the chain canvas in the middle, tables, inspector, problems and
history around it, every action declared once in ``_declare_actions``."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSlider,
    QTabBar,
    QTabWidget,
    QToolBar,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from models.chain import ChainModel, ProjectType, Scenario
from models.files import load_model, save_model
from models.problems import ImportFailed
from models.schema import OWNERSHIPS, SIZES
from planner.kpis import KPIS, format_value
from ui.canvas import MIME_PROJECT, ChainView
from ui.charts import ChartsPanel, export_chart
from ui.compare import ComparisonView
from ui.dialogs import AssignDialog, EnterpriseDialog, LinkDialog, ProblemsDialog, YearCostsDialog, ask
from ui.document import Analysis, Document, analyse, default_scenario
from ui.health import HealthPanel
from ui.i18n import LANGUAGES, language, set_language, tr
from ui.inspector import Inspector
from ui.legend import LegendWidget
from ui.present import PresentationWindow
from ui.tables import TablesWidget
from ui.worker import BackgroundRunner

STATE_VERSION = 1
MAX_RECENT = 8
BACKGROUND_LOAD_BYTES = 1_000_000


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    shortcut: QKeySequence.StandardKey | str | None
    tip: str
    run: Callable[[], Any]


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


class MainWindow(QMainWindow):
    def __init__(self, document: Document | None = None, restore_state: bool = True):
        super().__init__()
        self.document = document or Document()
        self.setAcceptDrops(True)
        self.loader = BackgroundRunner(self)
        self.loader.finished.connect(self._on_loaded)
        self.problems_dialog: ProblemsDialog | None = None
        self._progress: QProgressDialog | None = None
        self._loading: Path | None = None
        self.document.file_changed.connect(self._update_title)
        self.document.analysed.connect(self._update_status)
        self.document.changed.connect(self._update_status)
        self.document.scenario_changed.connect(self._sync_scenarios)
        self.document.year_changed.connect(self._sync_year)
        self.build_ui()
        settings = QSettings()
        if restore_state and settings.value("window/version", 0, type=int) == STATE_VERSION:
            self.restoreGeometry(settings.value("window/geometry", QByteArray()))
            self.restoreState(settings.value("window/state", QByteArray()), STATE_VERSION)
        else:
            self.resize(1440, 900)

    # --- building -------------------------------------------------------------------
    def build_ui(self) -> None:
        """(Re)build every widget in the current language; the document stays."""
        for dock in self.findChildren(QDockWidget):
            self.removeDockWidget(dock)
            dock.deleteLater()
        for bar in self.findChildren(QToolBar):
            self.removeToolBar(bar)
            bar.deleteLater()
        self.menuBar().clear()
        self.actions_by_id = self._declare_actions()
        self.canvas = ChainView(self.document, self)
        self.setCentralWidget(self._central())
        self.tables = TablesWidget(self.document, self)
        self.tables.add_requested.connect(self.add_row)
        self.tables.rejected.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.inspector = Inspector(self.document, self)
        self.problems = QListWidget(self)
        self.problems.itemDoubleClicked.connect(self._on_problem_chosen)
        self.catalogue = CatalogueList(self.document, self)
        self.legend = LegendWidget(self)
        self.history = QUndoView(self.document.undo_stack, self)
        self.history.setEmptyLabel(tr("New"))
        docks = {}
        for key, title, widget, area in (
                ("tables", tr("Tables"), self.tables, Qt.DockWidgetArea.BottomDockWidgetArea),
                ("problems", tr("Problems"), self.problems,
                 Qt.DockWidgetArea.BottomDockWidgetArea),
                ("inspector", tr("Inspector"), self.inspector,
                 Qt.DockWidgetArea.RightDockWidgetArea),
                ("catalogue", tr("Catalogue"), self.catalogue,
                 Qt.DockWidgetArea.RightDockWidgetArea),
                ("legend", tr("Legend"), self.legend, Qt.DockWidgetArea.RightDockWidgetArea),
                ("history", tr("History"), self.history, Qt.DockWidgetArea.RightDockWidgetArea)):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock_{key}")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            docks[key] = dock
        self.tabifyDockWidget(docks["tables"], docks["problems"])
        for other in ("legend", "catalogue", "history"):
            self.tabifyDockWidget(docks["inspector"], docks[other])
        QTimer.singleShot(0, self._hide_stale_tab_bars)
        docks["tables"].raise_()
        docks["inspector"].raise_()
        self.resizeDocks([docks["tables"]], [230], Qt.Orientation.Vertical)
        self.resizeDocks([docks["inspector"]], [330], Qt.Orientation.Horizontal)
        self.docks = docks
        self._build_menus()
        self._build_toolbar()
        self.status_counts = QLabel(self)
        self.status_kpis = QLabel(self)
        self.statusBar().addWidget(self.status_counts)
        self.statusBar().addPermanentWidget(self.status_kpis)
        self._sync_scenarios()
        self._sync_year()
        self._update_title()
        self._update_status()

    def _hide_stale_tab_bars(self) -> None:
        """WORKAROUND (Qt 6.11): after tabifying more than two docks, the tab bar made for
        the first pair stays visible over the central widget. Hide any dock tab bar whose
        tabs are a strict subset of another's."""
        bars = [b for b in self.findChildren(QTabBar) if b.parent() is self]
        tabs = {b: {b.tabText(i) for i in range(b.count())} for b in bars}
        for bar in bars:
            if any(tabs[bar] < tabs[other] for other in bars if other is not bar):
                bar.hide()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._hide_stale_tab_bars)

    def _declare_actions(self) -> dict[str, QAction]:
        keys = QKeySequence.StandardKey
        specs = [
            ActionSpec("new", tr("New"), keys.New, "", self.new_model),
            ActionSpec("open", tr("Open…"), keys.Open, "", self.open_dialog),
            ActionSpec("save", tr("Save"), keys.Save, "", self.save),
            ActionSpec("save_as", tr("Save As…"), keys.SaveAs, "", self.save_as),
            ActionSpec("export_excel", tr("Export Excel…"), None, "", self.export_excel),
            ActionSpec("export_template", tr("Export template…"), None, "",
                       self.export_template),
            ActionSpec("export_graphml", tr("Export GraphML…"), None, "", self.export_graphml),
            ActionSpec("export_report", tr("Export report…"), None, "", self.export_report),
            ActionSpec("present", tr("Presentation"), "F5", "", self.present),
            ActionSpec("quit", tr("Quit"), keys.Quit, "", self.close),
            ActionSpec("undo", tr("Undo"), keys.Undo, "", self.document.undo_stack.undo),
            ActionSpec("redo", tr("Redo"), "Ctrl+Shift+Z", "", self.document.undo_stack.redo),
            ActionSpec("add_enterprise", tr("Add enterprise…"), "Ctrl+E", "",
                       self.add_enterprise),
            ActionSpec("add_link", tr("Add link…"), "Ctrl+L", "", self.add_link),
            ActionSpec("delete", tr("Delete selected"), keys.Delete, "", self.delete_selected),
            ActionSpec("select_all", tr("Select all"), keys.SelectAll, "", self.select_all),
            ActionSpec("find", tr("Find…"), keys.Find, "", self.focus_search),
            ActionSpec("fit", tr("Fit chain"), "F", "", self.canvas_fit),
            ActionSpec("assign", tr("Assign project…"), "Ctrl+P", "", self.assign_project),
            ActionSpec("optimise", tr("Optimise plan…"), None, "", self.optimise_plan),
            ActionSpec("new_scenario", tr("New scenario…"), None, "", self.new_scenario),
            ActionSpec("duplicate_scenario", tr("Duplicate scenario…"), None, "",
                       self.duplicate_scenario),
            ActionSpec("rename_scenario", tr("Rename scenario…"), None, "",
                       self.rename_scenario),
            ActionSpec("delete_scenario", tr("Delete scenario"), None, "",
                       self.delete_scenario),
        ]
        actions = {}
        for spec in specs:
            action = QAction(spec.text, self)
            action.setObjectName(spec.id)
            if spec.shortcut is not None:
                action.setShortcut(QKeySequence(spec.shortcut))
            action.setToolTip(spec.tip or spec.text.rstrip("…"))
            action.triggered.connect(lambda _=False, run=spec.run: run())
            self.addAction(action)
            actions[spec.id] = action
        stack = self.document.undo_stack
        stack.canUndoChanged.connect(actions["undo"].setEnabled)
        stack.canRedoChanged.connect(actions["redo"].setEnabled)
        actions["undo"].setEnabled(stack.canUndo())
        actions["redo"].setEnabled(stack.canRedo())
        return actions

    def _build_menus(self) -> None:
        a = self.actions_by_id
        bar = self.menuBar()
        file_menu = bar.addMenu(tr("&File"))
        for key in ("new", "open"):
            file_menu.addAction(a[key])
        self.recent_menu = file_menu.addMenu(tr("Recent files"))
        self._fill_recent()
        for key in ("save", "save_as", None, "export_excel", "export_template",
                    "export_graphml", "export_report", None, "quit"):
            file_menu.addSeparator() if key is None else file_menu.addAction(a[key])
        edit = bar.addMenu(tr("&Edit"))
        for key in ("undo", "redo", None, "add_enterprise", "add_link", "delete", None,
                    "select_all", "find"):
            edit.addSeparator() if key is None else edit.addAction(a[key])
        view = bar.addMenu(tr("&View"))
        view.addAction(a["fit"])
        view.addAction(a["present"])
        view.addSeparator()
        for dock in self.docks.values():
            view.addAction(dock.toggleViewAction())
        plan = bar.addMenu(tr("&Plan"))
        for key in ("assign", "optimise", None, "new_scenario", "duplicate_scenario",
                    "rename_scenario", "delete_scenario"):
            plan.addSeparator() if key is None else plan.addAction(a[key])
        languages = bar.addMenu(tr("&Language"))
        for code, name in LANGUAGES.items():
            action = languages.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == language())
            action.triggered.connect(lambda _=False, c=code: self.switch_language(c))

    def _build_toolbar(self) -> None:
        a = self.actions_by_id
        bar = self.addToolBar(tr("&File").replace("&", ""))
        bar.setObjectName("main_toolbar")
        for key in ("new", "open", "save", None, "undo", "redo", None):
            bar.addSeparator() if key is None else bar.addAction(a[key])
        bar.addWidget(QLabel(" " + tr("Scenario") + " ", bar))
        self.scenario_box = QComboBox(bar)
        self.scenario_box.setMinimumContentsLength(18)
        self.scenario_box.activated.connect(
            lambda i: self.document.set_scenario(self.scenario_box.itemText(i)))
        bar.addWidget(self.scenario_box)
        for key in ("new_scenario", None, "assign", "fit"):
            bar.addSeparator() if key is None else bar.addAction(a[key])

    def _central(self) -> QWidget:
        body = QWidget(self)
        self.search = QLineEdit(body, placeholderText=tr("Search id or name (Ctrl+F)"),
                                clearButtonEnabled=True)
        self.search.returnPressed.connect(lambda: self.canvas.find(self.search.text()))
        self.search.setMinimumWidth(200)
        self.search.setMaximumWidth(280)
        bar = QHBoxLayout()
        bar.addWidget(self.search)
        self.filters: dict[str, QComboBox] = {}
        for key, label in (("park", tr("Park")), ("size", tr("Size")),
                           ("position", tr("Position")), ("tier", tr("Tier")),
                           ("ownership", tr("Ownership"))):
            combo = QComboBox(body)
            combo.setToolTip(label)
            combo.currentIndexChanged.connect(self._apply_filters)
            self.filters[key] = combo
            bar.addWidget(combo)
        select = QPushButton(tr("Select matching"), body)
        select.clicked.connect(self.select_matching)
        bar.addWidget(select)
        bar.addStretch(1)
        bar.addWidget(QLabel(tr("Colour nodes by"), body))
        self.colour_by = QComboBox(body)
        self.colour_by.addItem(tr("role"), "role")
        self.colour_by.addItem(tr("level"), "level")
        self.colour_by.currentIndexChanged.connect(self._on_colour_by)
        bar.addWidget(self.colour_by)
        self.year_label = QLabel(body)
        self.year_slider = QSlider(Qt.Orientation.Horizontal, body)
        self.year_slider.setPageStep(1)
        self.year_slider.valueChanged.connect(self.document.set_year)
        year_bar = QHBoxLayout()
        year_bar.addWidget(QLabel(tr("Year"), body))
        year_bar.addWidget(self.year_slider, 1)
        year_bar.addWidget(self.year_label)
        chain_page = QWidget(body)
        chain_layout = QVBoxLayout(chain_page)
        chain_layout.setContentsMargins(0, 4, 0, 0)
        chain_layout.addLayout(bar)
        chain_layout.addWidget(self.canvas, 1)
        self.charts = ChartsPanel(self.document, body)
        self.charts.year_clicked.connect(self.show_year_costs)
        for chart in self.charts.charts:
            export = QAction(tr("Export chart…"), chart)
            export.triggered.connect(lambda _=False, c=chart: self.export_chart(c))
            chart.addAction(export)
            chart.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.views = QTabWidget(body)
        self.views.setDocumentMode(True)
        self.views.addTab(chain_page, tr("Chain"))
        self.views.addTab(self.charts, tr("Charts"))
        self.comparison = ComparisonView(self.document, body)
        self.views.addTab(self.comparison, tr("Compare"))
        self.health = HealthPanel(self.document, body)
        self.views.addTab(self.health, tr("Health check"))
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.views, 1)
        layout.addLayout(year_bar)
        self.document.changed.connect(self._fill_filters)
        self._fill_filters()
        return body

    # --- reacting to the document ---------------------------------------------------------
    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.document.title}[*] — " +
                            ("产业链数字化规划" if language() == "zh_CN"
                             else "Chain Digitalisation Planner"))
        self.setWindowModified(self.document.modified)

    def _update_status(self) -> None:
        model, analysis = self.document.model, self.document.analysis
        self.status_counts.setText(
            tr("{0} enterprises · {1} links · {2} assignments", len(model.enterprises),
               len(model.links), len(model.assignments)) + "   " +
            tr("{0} errors, {1} warnings", analysis.errors,
               len(analysis.problems) - analysis.errors))
        result = analysis.result
        if result is None:
            self.status_kpis.setText(tr("Model has errors") if analysis.errors else "")
        else:
            kpi = {k.key: k for k in KPIS}
            self.status_kpis.setText(
                f"{result.scenario.name}:  " +
                tr("NPV {0}", format_value("amount", result.npv)) + "  ·  " +
                tr("connected {0}", format_value("share", kpi["connected_share"].value(result))))
        self.problems.clear()
        for problem in analysis.problems:
            item = QListWidgetItem(problem.text(language()), self.problems)
            item.setData(Qt.ItemDataRole.UserRole, problem)
            item.setForeground(Qt.GlobalColor.darkRed if problem.is_error
                               else Qt.GlobalColor.darkYellow)

    def _sync_scenarios(self) -> None:
        self.scenario_box.clear()
        for scenario in self.document.model.scenarios:
            self.scenario_box.addItem(scenario.name)
        if self.document.scenario:
            self.scenario_box.setCurrentText(self.document.scenario)
        scenario = self.document.current_scenario()
        if scenario is not None:
            self.legend.set_target_level(scenario.target_level)
        self._sync_year()

    def _sync_year(self) -> None:
        scenario = self.document.current_scenario()
        self.year_slider.blockSignals(True)
        if scenario is None:
            self.year_slider.setEnabled(False)
            self.year_label.setText("")
        else:
            self.year_slider.setEnabled(True)
            self.year_slider.setRange(scenario.start_year,
                                      scenario.start_year + scenario.horizon - 1)
            self.year_slider.setValue(self.document.year or scenario.start_year)
            self.year_label.setText(str(self.document.year))
        self.year_slider.blockSignals(False)

    def _fill_filters(self) -> None:
        model = self.document.model
        places = self.document.analysis.places
        options = {
            "park": sorted({e.park for e in model.enterprises if e.park}),
            "size": [s for s in SIZES if any(e.size == s for e in model.enterprises)],
            "position": [p for p in ("upstream", "core", "downstream", "detached")
                         if any(pl.position == p for pl in places.values())],
            "tier": sorted({str(pl.tier) for pl in places.values() if pl.tier is not None},
                           key=int),
            "ownership": [o for o in OWNERSHIPS if any(e.ownership == o
                                                        for e in model.enterprises)],
        }
        labels = {"park": tr("Park"), "size": tr("Size"), "position": tr("Position"),
                  "tier": tr("Tier"), "ownership": tr("Ownership")}
        for key, combo in self.filters.items():
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(f"{labels[key]}: {tr('All')}", None)
            for value in options[key]:
                shown = SIZES.get(value, value) if key == "size" and language() == "zh_CN" \
                    else OWNERSHIPS.get(value, value) if key == "ownership" and \
                    language() == "zh_CN" else tr(value)
                combo.addItem(f"{labels[key]}: {shown}", value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def _apply_filters(self) -> None:
        criteria = {key: combo.currentData() for key, combo in self.filters.items()}
        if criteria.get("tier") is not None:
            criteria["tier"] = int(criteria["tier"])
        self.canvas.set_filter(**criteria)

    def _on_colour_by(self) -> None:
        mode = self.colour_by.currentData()
        self.canvas.set_colour_by(mode)
        self.legend.set_colour_by(mode)

    def _on_problem_chosen(self, item: QListWidgetItem) -> None:
        problem = item.data(Qt.ItemDataRole.UserRole)
        if problem is None or problem.index is None:
            return
        attr = {"Enterprises": "enterprises", "Links": "links", "Projects": "projects",
                "Scenarios": "scenarios", "Assignments": "assignments"}.get(problem.table[0])
        if attr is None:
            return
        row = getattr(self.document.model, attr)[problem.index]
        if attr == "enterprises":
            self.document.set_selection({row.id})
        elif attr == "links":
            self.document.set_selection(set(), {(row.supplier, row.buyer)})
        elif attr == "assignments":
            self.document.set_selection({row.enterprise})
        self.docks["tables"].raise_()
        self.tables.show_row(attr, problem.index)

    # --- actions ---------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def canvas_fit(self) -> None:
        self.canvas.fit()

    def select_all(self) -> None:
        self.document.set_selection({e.id for e in self.document.model.enterprises})

    def select_matching(self) -> None:
        self.document.set_selection(set(self.canvas.matching_ids()))

    def delete_selected(self) -> None:
        self.document.delete(set(self.document.selected_enterprises),
                             set(self.document.selected_links))

    def add_enterprise(self) -> None:
        dialog = EnterpriseDialog(self.document.model, self)
        if ask(dialog):
            self.document.add_enterprise(dialog.enterprise())

    def add_link(self) -> None:
        chosen = sorted(self.document.selected_enterprises)
        dialog = LinkDialog(self.document.model, *(chosen[:2] if len(chosen) == 2 else ()),
                            parent=self)
        if ask(dialog):
            self.document.add_link(dialog.link())

    def add_row(self, attr: str) -> None:
        if attr == "enterprises":
            self.add_enterprise()
        elif attr == "links":
            self.add_link()
        elif attr == "assignments":
            self.assign_project()
        elif attr == "scenarios":
            self.new_scenario()
        elif attr == "projects":
            taken = {p.id for p in self.document.model.projects}
            number = len(taken) + 1
            while f"P{number:02d}" in taken:
                number += 1
            self.document.add_rows("projects", [ProjectType(
                id=f"P{number:02d}", name=tr("New project"), category="operations")],
                tr("Add {0}", f"P{number:02d}"))

    def assign_project(self, project: str = "") -> None:
        scenario = self.document.current_scenario()
        if scenario is None:
            QMessageBox.information(self, tr("Assign project…"),
                                    tr("The model has no scenario yet: create one first."))
            return
        chosen = [e.id for e in self.document.model.enterprises
                  if e.id in self.document.selected_enterprises]
        if not chosen:
            QMessageBox.information(self, tr("Assign project…"),
                                    tr("Select enterprises first (canvas, table or filters)."))
            return
        dialog = AssignDialog(self.document.model, scenario, len(chosen), self, project)
        if ask(dialog):
            self.document.assign(chosen, *dialog.values())

    def _scenario_name(self, title: str, suggestion: str) -> str | None:
        name, ok = QInputDialog.getText(self, title, tr("Scenario name"), text=suggestion)
        name = name.strip()
        if not ok or not name:
            return None
        if self.document.model.scenario(name) is not None:
            QMessageBox.warning(self, title, tr("A scenario with that name exists already."))
            return None
        return name

    def new_scenario(self) -> None:
        number = len(self.document.model.scenarios) + 1
        name = self._scenario_name(tr("New scenario…"), f"{tr('Scenario')} {number}")
        if name:
            current = self.document.current_scenario()
            year = current.start_year if current else 2026
            self.document.add_scenario(Scenario(name=name, start_year=year))

    def duplicate_scenario(self) -> None:
        current = self.document.current_scenario()
        if current is None:
            return
        name = self._scenario_name(tr("Duplicate scenario…"), current.name + " (2)")
        if name:
            from dataclasses import replace

            self.document.add_scenario(replace(current, name=name, extra=dict(current.extra)),
                                       copy_from=current.name)

    def rename_scenario(self) -> None:
        current = self.document.current_scenario()
        if current is None:
            return
        name = self._scenario_name(tr("Rename scenario…"), current.name)
        if name:
            self.document.rename_scenario(current.name, name)

    def delete_scenario(self) -> None:
        current = self.document.current_scenario()
        if current is None:
            return
        count = sum(a.scenario == current.name for a in self.document.model.assignments)
        answer = QMessageBox.question(self, tr("Delete scenario"),
                                      tr("Delete scenario {0} and its {1} assignments?",
                                         current.name, count))
        if answer == QMessageBox.StandardButton.Yes:
            self.document.delete_scenario(current.name)

    def show_year_costs(self, year: int) -> None:
        """List the assignments behind one year's cost (click on a cost bar)."""
        result = self.document.analysis.result
        if result is None or not result.years[0] <= year <= result.years[-1]:
            return
        self.year_costs = YearCostsDialog(self.document, result, year, self)
        self.year_costs.open()

    def export_chart(self, chart: Any) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Export chart…"),
                                              str(Path(self._folder(), chart.key + ".png")),
                                              tr("Image (*.png);;Vector (*.svg)"))
        if path:
            self._write(lambda: export_chart(chart, path), path)

    def optimise_plan(self) -> None:
        from ui.optimise_dialog import OptimiseDialog

        self.optimiser = OptimiseDialog(self.document, self)
        self.optimiser.accepted.connect(self._show_optimised)
        self.optimiser.open()

    def _show_optimised(self) -> None:
        """Show the new scenario next to S in the comparison, and why each addition is there."""
        from ui.optimise_dialog import OptimiseResultDialog

        self.views.setCurrentWidget(self.comparison)
        self.optimised = OptimiseResultDialog(self.optimiser.result, self)
        self.optimised.open()

    def present(self) -> None:
        self.presentation = PresentationWindow(self.document)
        self.presentation.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.presentation.present()

    def export_report(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Export report…"),
                                              str(Path(self._folder(), "report.pdf")),
                                              tr("PDF (*.pdf)"))
        if not path:
            return
        from ui.report import write_report

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write_report(self.document.model, path, language())
        except (OSError, ValueError) as exc:
            QMessageBox.critical(self, tr("Cannot save {0}", Path(path).name), str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.statusBar().showMessage(tr("Saved {0}", path), 4000)

    def switch_language(self, lang: str) -> None:
        set_language(lang)
        QSettings().setValue("language", lang)
        state = self.saveState(STATE_VERSION)
        self.build_ui()
        self.restoreState(state, STATE_VERSION)

    # --- files -------------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """Ask to save unsaved changes; False means the user cancelled."""
        if not self.document.modified:
            return True
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(self, tr("Save"), tr("Save changes to {0}?",
                                                          self.document.title),
                                      buttons.Save | buttons.Discard | buttons.Cancel)
        if answer == buttons.Save:
            return self.save()
        return answer == buttons.Discard

    def new_model(self) -> None:
        if self.maybe_save():
            self.document.reset(ChainModel(), None)

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(self, tr("Open a chain"), self._folder(),
                                              tr("Workbooks and plans (*.xlsx *.json)"))
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> None:
        """Open a file; large ones load in the background with a progress dialog."""
        if path.is_file() and path.stat().st_size > BACKGROUND_LOAD_BYTES:
            self._loading = path
            self._progress = QProgressDialog(tr("Opening {0}…", path.name), tr("Cancel"), 0, 0,
                                             self)
            self._progress.setWindowModality(Qt.WindowModality.WindowModal)
            self._progress.canceled.connect(self.loader.cancel)
            self._progress.show()
            self.loader.run(_load_in_background, path)
            return
        try:
            loaded = load_model(path)
        except ImportFailed as failure:
            self._show_problems(path, failure)
            return
        self._adopt(loaded.model, path)

    def _on_loaded(self, loaded: Any, error: object) -> None:
        path, self._loading = self._loading, None
        if self._progress is not None:
            self._progress.close()
            self._progress = None
        if path is None:
            return
        if isinstance(loaded, ImportFailed):
            self._show_problems(path, loaded)
        elif loaded is None:
            QMessageBox.critical(self, tr("Cannot open {0}", path.name), str(error))
        else:
            model, analysis = loaded
            self._adopt(model, path, analysis)

    def _adopt(self, model: ChainModel, path: Path, analysis: Analysis | None = None) -> None:
        self.document.reset(model, path, analysis=analysis)
        self._remember(path)
        QTimer.singleShot(0, self.canvas_fit)

    def _show_problems(self, path: Path, failure: ImportFailed) -> None:
        self.problems_dialog = ProblemsDialog(tr("Cannot open {0}", path.name), failure.problems,
                                              self)
        self.problems_dialog.open()

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Save As…"), str(self.document.path or Path(self._folder(), "chain.xlsx")),
            tr("Excel workbook (*.xlsx)") + ";;" + tr("Plan file (*.json)"))
        return self._save_to(Path(path)) if path else False

    def _save_to(self, path: Path) -> bool:
        try:
            save_model(self.document.model, path, language())
        except (OSError, ImportFailed) as exc:
            QMessageBox.critical(self, tr("Cannot save {0}", path.name), str(exc))
            return False
        self.document.mark_saved(path)
        self._remember(path)
        self.statusBar().showMessage(tr("Saved {0}", path), 4000)
        return True

    def export_excel(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Export Excel…"), self._folder(),
                                              tr("Excel workbook (*.xlsx)"))
        if path:
            self._write(lambda: save_model(self.document.model, path, language()), path)

    def export_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Export template…"), self._folder(),
                                              tr("Excel workbook (*.xlsx)"))
        if path:
            from models.workbook import save_workbook

            self._write(lambda: save_workbook(ChainModel(), path, language(), assessments=True),
                        path)

    def export_graphml(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Export GraphML…"), self._folder(),
                                              tr("GraphML (*.graphml)"))
        if path:
            from planner.graphml import save_graphml

            self._write(lambda: save_graphml(self.document.model, path), path)

    def _write(self, run: Callable[[], Any], path: str) -> None:
        try:
            run()
        except (OSError, ImportFailed) as exc:
            QMessageBox.critical(self, tr("Cannot save {0}", Path(path).name), str(exc))
            return
        self.statusBar().showMessage(tr("Saved {0}", path), 4000)

    def _folder(self) -> str:
        recent = self._recent()
        return str(Path(recent[0]).parent) if recent else os.path.expanduser("~")

    def _recent(self) -> list[str]:
        value = QSettings().value("recent_files", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _remember(self, path: Path) -> None:
        recent = [str(path)] + [p for p in self._recent() if p != str(path)]
        QSettings().setValue("recent_files", recent[:MAX_RECENT])
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for entry in self._recent():
            action = self.recent_menu.addAction(entry)
            action.triggered.connect(lambda _=False, p=entry: self.maybe_save() and
                                     self.open_path(Path(p)))
        self.recent_menu.setEnabled(bool(self._recent()))

    # --- window events -----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.toLocalFile().lower().endswith((".xlsx", ".json"))
               for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            path = url.toLocalFile()
            if path.lower().endswith((".xlsx", ".json")) and self.maybe_save():
                self.open_path(Path(path))
                event.acceptProposedAction()
                return

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        settings = QSettings()
        settings.setValue("window/version", STATE_VERSION)
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState(STATE_VERSION))
        self.document.discard_recovery()
        event.accept()


def _load_in_background(path: Path, state: Any) -> Any:
    """Load and analyse a model off the GUI thread; a refusal comes back as the ImportFailed."""
    try:
        loaded = load_model(path)
    except ImportFailed as failure:
        return failure
    scenario = default_scenario(loaded.model)
    return loaded.model, analyse(loaded.model, scenario.name if scenario else None, -1,
                                 problems=loaded.problems)

