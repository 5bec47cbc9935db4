"""The main window: the chain canvas in the middle (with its filter bar, and the charts,
comparison and health-check tabs), the docks around it, and the one place that declares
every action (stable id, shortcut, tooltip): ``ACTIONS`` and ``_declare_actions``.

Files live in ``ui.file_controller``, the filter bar in ``ui.filter_bar``, the docks in
``ui.docks``; this module assembles them. The window, its actions, menus, toolbar, status
bar and dock frames are built once; a language switch re-labels them and rebuilds only the
panels' contents, so shortcuts stay unique and the dock layout stays as the user left it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QSlider,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.chain import ChainModel, ProjectType, Scenario
from planner.kpis import KPIS, format_value
from ui.app import use_qt_translations
from ui.canvas import ChainView
from ui.charts import ChartsPanel
from ui.compare import ComparisonView
from ui.dialogs import (
    EnterpriseDialog,
    LinkDialog,
    ScenarioNameDialog,
    YearCostsDialog,
    ask,
    assign_project,
    link_order,
)
from ui.docks import Docks
from ui.document import Analysis, Document
from ui.file_controller import FileController
from ui.filter_bar import FilterBar
from ui.health import HealthPanel
from ui.i18n import LANGUAGES, language, set_language, tr
from ui.present import PresentationWindow
from ui.risk import RiskPanel
from ui.worker import InputWatch

STATE_VERSION = 2  # 2: dock sizes that leave the canvas usable at 1366×768
COMPARE_TAB = 2


def _scrolling(panel: QWidget) -> QScrollArea:
    """``panel`` in a frameless scroll area: a tab's minimum size never sets the window's,
    so a small screen still leaves room for the docks; the panel scrolls instead."""
    area = QScrollArea()
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(panel)
    return area

Keys = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    id: str  # stable, lowercase: tests and settings refer to it
    text: str  # English; shown through tr
    shortcut: QKeySequence.StandardKey | str | None
    tip: str  # English tooltip; shown through tr, with the shortcut after it
    run: str  # the MainWindow method (or "files.<method>") the action calls


ACTIONS = (
    ActionSpec("new", "New", Keys.New, "Start an empty chain", "files.new_model"),
    ActionSpec("new_with_catalogue", "New with project catalogue", None,
               "Start an empty chain whose Projects hold the sourced project catalogue",
               "files.new_with_catalogue"),
    ActionSpec("open", "Open…", Keys.Open, "Open a workbook (.xlsx) or a plan file (.json)",
               "files.open_dialog"),
    ActionSpec("save", "Save", Keys.Save, "Save the chain", "files.save"),
    ActionSpec("save_as", "Save As…", Keys.SaveAs,
               "Save the chain under another name or as another type", "files.save_as"),
    ActionSpec("export_excel", "Export Excel…", None,
               "Write a copy of the chain as an Excel workbook", "files.export_excel"),
    ActionSpec("export_template", "Export template…", None,
               "Write a workbook to fill in: enterprises, links and assessments, with the "
               "project catalogue",
               "files.export_template"),
    ActionSpec("export_graphml", "Export GraphML…", None,
               "Write the chain as a graph for yEd or Gephi", "files.export_graphml"),
    ActionSpec("export_report", "Export report…", None,
               "Write the PDF report of every scenario", "files.export_report"),
    ActionSpec("send_surveys", "Send surveys…", None,
               "Write each SME a workbook with its own part of the plan to check and fill in",
               "send_surveys"),
    ActionSpec("collect_surveys", "Collect surveys…", None,
               "Review the changes in returned surveys and apply those you accept",
               "collect_surveys"),
    ActionSpec("compare_file", "Compare with file…", None,
               "List the differences between this plan and another plan file",
               "compare_with_file"),
    ActionSpec("present", "Presentation", "F5", "Show the charts as full-screen slides",
               "present"),
    ActionSpec("quit", "Quit", Keys.Quit, "Close the planner", "close"),
    ActionSpec("undo", "Undo", Keys.Undo, "Undo the last change", "undo"),
    ActionSpec("redo", "Redo", "Ctrl+Shift+Z", "Redo the change undone last", "redo"),
    ActionSpec("add_enterprise", "Add enterprise…", "Ctrl+E", "Add an enterprise to the chain",
               "add_enterprise"),
    ActionSpec("add_link", "Add link…", "Ctrl+L",
               "Add a supply link between two enterprises", "add_link"),
    ActionSpec("delete", "Delete selected", Keys.Delete,
               "Delete the selected enterprises and links, with what refers to them",
               "delete_selected"),
    ActionSpec("select_all", "Select all", Keys.SelectAll, "Select every enterprise",
               "select_all"),
    ActionSpec("find", "Find…", Keys.Find, "Find an enterprise by id or name", "focus_search"),
    ActionSpec("fit", "Fit chain", "F", "Show the whole chain", "canvas_fit"),
    ActionSpec("assign", "Assign project…", "Ctrl+P",
               "Assign a project to the selected enterprises in the current scenario",
               "assign_project"),
    ActionSpec("optimise", "Optimise plan…", None,
               "Find the plan with the best value within the budgets", "optimise_plan"),
    ActionSpec("new_scenario", "New scenario…", None, "Add an empty scenario", "new_scenario"),
    ActionSpec("duplicate_scenario", "Duplicate scenario…", None,
               "Copy the current scenario with its assignments", "duplicate_scenario"),
    ActionSpec("rename_scenario", "Rename scenario…", None, "Rename the current scenario",
               "rename_scenario"),
    ActionSpec("delete_scenario", "Delete scenario", None,
               "Delete the current scenario and its assignments", "delete_scenario"),
)

MENUS = (  # (title, action ids; None: a separator; "recent": the Recent files menu)
    ("&File", ("new", "new_with_catalogue", "open", "recent", "save", "save_as", None, "export_excel",
               "export_template", "export_graphml", "export_report", None, "send_surveys",
               "collect_surveys", "compare_file", None, "quit")),
    ("&Edit", ("undo", "redo", None, "add_enterprise", "add_link", "delete", None,
               "select_all", "find")),
    ("&View", ("fit", "present", None, "docks")),
    ("&Plan", ("assign", "optimise", None, "new_scenario", "duplicate_scenario",
               "rename_scenario", "delete_scenario")),
)


class MainWindow(QMainWindow):
    def __init__(self, document: Document | None = None, restore_state: bool = True):
        super().__init__()
        self.document = document or Document()
        self.setAcceptDrops(True)
        # the planner's input anywhere in the app: background runs give way (gone with us)
        QApplication.instance().installEventFilter(InputWatch(self))
        self.files = FileController(self, self.document)
        self.files.on_adopted = self.canvas_fit
        self.files.written.connect(self.on_written)
        self.actions_by_id = self._declare_actions()
        self.canvas = ChainView(self.document, self)
        self.canvas.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self._build_toolbar()
        self.setCentralWidget(self._central())
        self.dock_set = Docks(self, self.document)
        self.tables.add_requested.connect(self.add_row)  # the tables are made once
        self.tables.rejected.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.dock_set.built.connect(self._connect_docks)
        self._connect_docks()
        self._build_menus()
        self.status_counts = QLabel(self)
        self.status_kpis = QLabel(self)
        self.status_folder = QLabel(self)  # "Open folder" after a file was written
        self.status_folder.setObjectName("open_folder")
        self.status_folder.linkActivated.connect(self.open_folder)
        self.status_folder.hide()
        self.statusBar().addWidget(self.status_counts)
        self.statusBar().addPermanentWidget(self.status_folder)
        self.statusBar().addPermanentWidget(self.status_kpis)
        self._folder_timer = QTimer(self, singleShot=True, interval=20000)
        self._folder_timer.timeout.connect(self.status_folder.hide)
        self.document.file_changed.connect(self._update_title)
        self.document.analysed.connect(self._update_status)
        self.document.changed.connect(self._update_status)
        self.document.scenario_changed.connect(self._sync_scenarios)
        self.document.year_changed.connect(self._sync_year)
        self.retranslate()
        settings = QSettings()
        self._layout_pending = True  # size the docks for the window when it is first shown
        if restore_state and settings.value("window/version", 0, type=int) == STATE_VERSION:
            self.restoreGeometry(settings.value("window/geometry", QByteArray()))
            self._layout_pending = not self.restoreState(
                settings.value("window/state", QByteArray()), STATE_VERSION)
        else:
            screen = self.screen().availableGeometry()
            self.resize(min(1440, screen.width()), min(900, screen.height()))

    # --- the parts --------------------------------------------------------------------------
    @property
    def docks(self) -> dict[str, Any]:
        return self.dock_set.docks

    @property
    def tables(self) -> Any:
        return self.dock_set.tables

    @property
    def inspector(self) -> Any:
        return self.dock_set.inspector

    @property
    def problems(self) -> Any:
        return self.dock_set.problems

    @property
    def catalogue(self) -> Any:
        return self.dock_set.catalogue

    @property
    def legend(self) -> Any:
        return self.dock_set.legend

    @property
    def history(self) -> Any:
        return self.dock_set.history

    def _connect_docks(self) -> None:
        """Wire the docks' (re)built widgets to the window."""
        self.filter_bar.colour_by_changed.connect(self.legend.set_colour_by)
        self.legend.set_colour_by(self.filter_bar.colour_by.currentData())
        scenario = self.document.current_scenario()
        if scenario is not None:
            self.legend.set_target_level(scenario.target_level)

    # --- building (once) --------------------------------------------------------------------
    def _declare_actions(self) -> dict[str, QAction]:
        """Every action, once: id, shortcut and what it runs; texts come in retranslate."""
        actions = {}
        for spec in ACTIONS:
            action = QAction(self)
            action.setObjectName(spec.id)
            if spec.shortcut is not None:
                action.setShortcut(QKeySequence(spec.shortcut))
            action.triggered.connect(lambda _=False, run=spec.run: self._run(run))
            self.addAction(action)
            actions[spec.id] = action
        stack = self.document.undo_stack
        stack.canUndoChanged.connect(actions["undo"].setEnabled)
        stack.canRedoChanged.connect(actions["redo"].setEnabled)
        actions["undo"].setEnabled(stack.canUndo())
        actions["redo"].setEnabled(stack.canRedo())
        return actions

    def _run(self, name: str) -> None:
        owner: Any = self
        if name.startswith("files."):
            owner, name = self.files, name.removeprefix("files.")
        getattr(owner, name)()

    def undo(self) -> None:
        self.document.undo_stack.undo()

    def redo(self) -> None:
        self.document.undo_stack.redo()

    def _build_menus(self) -> None:
        a = self.actions_by_id
        bar = self.menuBar()
        self.menus: dict[str, QMenu] = {}
        for title, keys in MENUS:
            menu = bar.addMenu(title)
            self.menus[title] = menu
            for key in keys:
                if key is None:
                    menu.addSeparator()
                elif key == "recent":
                    self.recent_menu = menu.addMenu("")
                    self.files.fill_recent(self.recent_menu)
                elif key == "docks":
                    for dock in self.docks.values():
                        menu.addAction(dock.toggleViewAction())
                else:
                    menu.addAction(a[key])
        languages = bar.addMenu("")
        self.menus["&Language"] = languages
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGES.items():
            action = languages.addAction(name)
            action.setCheckable(True)
            action.setActionGroup(group)
            action.triggered.connect(lambda _=False, c=code: self.switch_language(c))
            self.language_actions[code] = action

    def _build_toolbar(self) -> None:
        a = self.actions_by_id
        bar = self.addToolBar("")
        bar.setObjectName("main_toolbar")
        self.toolbar = bar
        for key in ("new", "open", "save", None, "undo", "redo", None):
            bar.addSeparator() if key is None else bar.addAction(a[key])
        self.scenario_label = QLabel(bar)
        bar.addWidget(self.scenario_label)
        self.scenario_box = QComboBox(bar)
        self.scenario_box.setMinimumContentsLength(18)
        self.scenario_box.activated.connect(
            lambda i: self.document.set_scenario(self.scenario_box.itemText(i)))
        bar.addWidget(self.scenario_box)
        for key in ("new_scenario", None, "assign", "fit"):
            bar.addSeparator() if key is None else bar.addAction(a[key])

    def _central(self) -> QWidget:
        """The tabs (chain, charts, compare, health check) over the year slider."""
        body = QWidget(self)
        self.year_title = QLabel(body)
        self.year_label = QLabel(body)
        self.year_slider = QSlider(Qt.Orientation.Horizontal, body)
        self.year_slider.setPageStep(1)
        self.year_slider.valueChanged.connect(self.document.set_year)
        year_bar = QHBoxLayout()
        year_bar.addWidget(self.year_title)
        year_bar.addWidget(self.year_slider, 1)
        year_bar.addWidget(self.year_label)
        self.chain_page = QWidget(body)
        self.chain_layout = QVBoxLayout(self.chain_page)
        self.chain_layout.setContentsMargins(0, 4, 0, 0)
        self.filter_bar = FilterBar(self.document, self.canvas, self.chain_page)
        self.chain_layout.addWidget(self.filter_bar)
        self.chain_layout.addWidget(self.canvas, 1)
        self.views = QTabWidget(body)
        self.views.setDocumentMode(True)
        self.views.addTab(self.chain_page, "")
        self._build_panels()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.views, 1)
        layout.addLayout(year_bar)
        return body

    def _build_panels(self) -> None:
        """The charts, comparison and health-check tabs, in the current language."""
        self.charts = ChartsPanel(self.document, self.views)
        self.charts.year_clicked.connect(self.show_year_costs)
        for chart in self.charts.charts:
            export = QAction(tr("Export chart…"), chart)
            export.triggered.connect(lambda _=False, c=chart: self.files.export_chart(c))
            chart.addAction(export)
            chart.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.comparison = ComparisonView(self.document, self.views)
        self.health = HealthPanel(self.document, self.views)
        self.views.addTab(self.charts, "")  # scrolls by itself
        for panel in (self.comparison, self.health):
            self.views.addTab(_scrolling(panel), "")
        self.risk = RiskPanel(self.document, self.views)  # scrolls by itself
        self.views.addTab(self.risk, "")

    # --- language ---------------------------------------------------------------------------
    def switch_language(self, lang: str) -> None:
        """Show everything in ``lang`` now; the layout and the shortcuts stay as they are."""
        if lang == language():
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # the panels take a second
        try:
            self._switch_language(lang)
        finally:
            QApplication.restoreOverrideCursor()

    def _switch_language(self, lang: str) -> None:
        set_language(lang)
        use_qt_translations(lang)
        QSettings().setValue("language", lang)
        current = self.views.currentIndex()
        self.filter_bar.retranslate()
        old_panels = [self.views.widget(i) for i in range(1, self.views.count())]
        for panel in old_panels:
            self.views.removeTab(self.views.indexOf(panel))
            panel.deleteLater()
        self._build_panels()
        self.views.setCurrentIndex(current)
        self.dock_set.rebuild()  # emits built: _connect_docks
        self.canvas.retranslate()
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text the window itself shows in the current language."""
        for spec in ACTIONS:
            action = self.actions_by_id[spec.id]
            action.setText(tr(spec.text))
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            tip = tr(spec.tip)
            action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
            action.setStatusTip(tip)
        for menu_title, menu in self.menus.items():
            menu.setTitle(tr(menu_title))
        self.recent_menu.setTitle(tr("Recent files"))
        for code, action in self.language_actions.items():
            action.setChecked(code == language())
        self.toolbar.setWindowTitle(tr("Toolbar"))
        self.scenario_label.setText(" " + tr("Scenario") + " ")
        self.year_title.setText(tr("Year"))
        for index, title in enumerate((tr("Chain"), tr("Charts"), tr("Compare"),
                                       tr("Health check"), tr("Risk"))):
            self.views.setTabText(index, title)
        self.status_folder.setText(f"<a href='folder'>{tr('Open folder')}</a>")
        self._update_title()
        self._update_status()
        self._sync_scenarios()
        QTimer.singleShot(0, self.dock_set.hide_stale_tab_bars)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.dock_set.hide_stale_tab_bars)
        if self._layout_pending:
            self._layout_pending = False
            QTimer.singleShot(0, self.default_layout)

    def default_layout(self) -> None:
        """Docks sized for this window: the tables show about eight rows, the inspector a
        quarter of the width, and the canvas keeps the rest."""
        height, width = self.height(), self.width()
        self.resizeDocks([self.docks["tables"]], [max(200, round(height * 0.38))],
                         Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["inspector"]], [max(280, min(400, round(width * 0.24)))],
                         Qt.Orientation.Horizontal)

    # --- reacting to the document ---------------------------------------------------------
    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.document.title}[*] — " + tr("Chain Digitalisation Planner"))
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

    def on_written(self, path: str, message: str = "") -> None:
        """Confirm a saved or exported file (or a folder of them, with ``message``), with a
        link to its folder for a while."""
        self.statusBar().showMessage(message or tr("Saved {0}", path), 20000)
        self._written_folder = str(Path(path) if Path(path).is_dir() else Path(path).parent)
        self.status_folder.setToolTip(self._written_folder)
        self.status_folder.show()
        self._folder_timer.start()

    def open_folder(self, _link: str = "") -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self._written_folder))

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
        model = self.document.model
        chosen = [e.id for e in model.enterprises if e.id in self.document.selected_enterprises]
        ends = link_order(chosen, model, self.document.analysis.places) if len(chosen) == 2 \
            else chosen[:1]
        dialog = LinkDialog(model, *ends, parent=self)
        if ask(dialog):
            self.document.add_link(dialog.link())

    def add_row(self, attr: str) -> None:
        if attr == "enterprises":
            self.add_enterprise()
        elif attr == "links":
            self.add_link()
        elif attr in ("assignments", "park_assignments"):
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
        assign_project(self, self.document, project)  # to enterprises, or parks (ui/dialogs.py)

    def _scenario_name(self, title: str, suggestion: str, current: str = "") -> str | None:
        dialog = ScenarioNameDialog(self.document.model, title, suggestion, current, self)
        return dialog.value() if ask(dialog) else None

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
        name = self._scenario_name(tr("Rename scenario…"), current.name, current.name)
        if name and name != current.name:
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

        self.views.setCurrentIndex(COMPARE_TAB)
        self.optimised = OptimiseResultDialog(self.optimiser.result, self)
        self.optimised.open()

    def send_surveys(self) -> None:
        from ui.exchange import send_surveys

        self.survey_dialog = send_surveys(self)

    def collect_surveys(self) -> None:
        from ui.exchange import collect_surveys

        self.collect_dialog = collect_surveys(self)

    def compare_with_file(self) -> None:
        from ui.exchange import compare_with_file

        self.compare_dialog = compare_with_file(self)

    def present(self) -> None:
        self.presentation = PresentationWindow(self.document)
        self.presentation.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.presentation.present()


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
