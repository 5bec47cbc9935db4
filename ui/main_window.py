"""The main window: the chain canvas in the middle (with its filter bar and the charts,
comparison and health-check tabs), the docks around it, and the one place that declares
every action (stable id, shortcut, tooltip) in ``_declare_actions``.

Files live in ``ui.file_controller``, the filter bar in ``ui.filter_bar``, the docks in
``ui.docks``; this module assembles them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSlider,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from models.chain import ChainModel, ProjectType, Scenario
from planner.kpis import KPIS, format_value
from ui.canvas import ChainView
from ui.charts import ChartsPanel
from ui.compare import ComparisonView
from ui.dialogs import AssignDialog, EnterpriseDialog, LinkDialog, YearCostsDialog, ask
from ui.docks import Docks
from ui.document import Analysis, Document
from ui.file_controller import FileController
from ui.filter_bar import FilterBar
from ui.health import HealthPanel
from ui.i18n import LANGUAGES, language, set_language, tr
from ui.present import PresentationWindow

STATE_VERSION = 1


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    shortcut: QKeySequence.StandardKey | str | None
    tip: str
    run: Callable[[], Any]


class MainWindow(QMainWindow):
    def __init__(self, document: Document | None = None, restore_state: bool = True):
        super().__init__()
        self.document = document or Document()
        self.setAcceptDrops(True)
        self.files = FileController(self, self.document)
        self.files.on_adopted = self.canvas_fit
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
        self.dock_set = Docks(self, self.document)
        self.docks = self.dock_set.docks
        self.tables = self.dock_set.tables
        self.tables.add_requested.connect(self.add_row)
        self.tables.rejected.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.inspector = self.dock_set.inspector
        self.problems = self.dock_set.problems
        self.catalogue = self.dock_set.catalogue
        self.legend = self.dock_set.legend
        self.history = self.dock_set.history
        self.filter_bar.colour_by_changed.connect(self.legend.set_colour_by)
        QTimer.singleShot(0, self.dock_set.hide_stale_tab_bars)
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

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.dock_set.hide_stale_tab_bars)

    def _declare_actions(self) -> dict[str, QAction]:
        keys = QKeySequence.StandardKey
        files = self.files
        specs = [
            ActionSpec("new", tr("New"), keys.New, "", files.new_model),
            ActionSpec("open", tr("Open…"), keys.Open, "", files.open_dialog),
            ActionSpec("save", tr("Save"), keys.Save, "", files.save),
            ActionSpec("save_as", tr("Save As…"), keys.SaveAs, "", files.save_as),
            ActionSpec("export_excel", tr("Export Excel…"), None, "", files.export_excel),
            ActionSpec("export_template", tr("Export template…"), None, "",
                       files.export_template),
            ActionSpec("export_graphml", tr("Export GraphML…"), None, "", files.export_graphml),
            ActionSpec("export_report", tr("Export report…"), None, "", files.export_report),
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
        self.files.fill_recent(file_menu.addMenu(tr("Recent files")))
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
        self.filter_bar = FilterBar(self.document, self.canvas, body)
        self.search = self.filter_bar.search
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
        chain_layout.addWidget(self.filter_bar)
        chain_layout.addWidget(self.canvas, 1)
        self.charts = ChartsPanel(self.document, body)
        self.charts.year_clicked.connect(self.show_year_costs)
        for chart in self.charts.charts:
            export = QAction(tr("Export chart…"), chart)
            export.triggered.connect(lambda _=False, c=chart: self.files.export_chart(c))
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

    # --- files (the controller does the work) ---------------------------------------------
    def open_path(self, path: Path) -> None:
        self.files.open_path(path)

    @property
    def problems_dialog(self) -> Any:
        return self.files.problems_dialog

    def adopt(self, model: ChainModel, path: Path, analysis: Analysis | None = None) -> None:
        self.files.adopt(model, path, analysis)

    # --- actions ---------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.filter_bar.focus_search()

    def canvas_fit(self) -> None:
        self.canvas.fit()

    def select_all(self) -> None:
        self.document.set_selection({e.id for e in self.document.model.enterprises})

    def select_matching(self) -> None:
        self.filter_bar.select_matching()

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


    def switch_language(self, lang: str) -> None:
        set_language(lang)
        QSettings().setValue("language", lang)
        state = self.saveState(STATE_VERSION)
        self.build_ui()
        self.restoreState(state, STATE_VERSION)

    # --- window events -----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.files.openable(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.files.open_dropped(event.mimeData().urls()):
            event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.maybe_save():
            event.ignore()
            return
        settings = QSettings()
        settings.setValue("window/version", STATE_VERSION)
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState(STATE_VERSION))
        self.document.discard_recovery()
        event.accept()
