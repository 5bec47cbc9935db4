"""The open chain: model, file, undo stack, selection, current scenario and year, and
the latest validation and evaluation (recomputed after every edit, off the GUI
thread for large models). Views listen to its signals; edits go through its
methods, each one undo command or one macro.
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, QTimer, Signal
from PySide6.QtGui import QUndoStack

from models.chain import Assignment, ChainModel, Enterprise, Link, Scenario
from models.problems import Problem
from models.validation import Place, places, validate
from planner.engine import ChainArrays, ScenarioResult, evaluate
from ui.commands import InsertRows, RemoveRows, SetValues
from ui.i18n import tr
from ui.worker import BackgroundRunner, TaskState

BACKGROUND_FROM = 2000  # enterprises from which analysis runs off the GUI thread
AUTOSAVE_MS = 120_000


@dataclass
class Analysis:
    """Validation and evaluation of one revision of the model."""

    revision: int
    scenario: str | None = None
    problems: list[Problem] = field(default_factory=list)
    places: dict[str, Place] = field(default_factory=dict)
    result: ScenarioResult | None = None

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)


def analyse(model: ChainModel, scenario: str | None, revision: int,
            state: TaskState | None = None, problems: list[Problem] | None = None) -> Analysis:
    """Validate (unless ``problems`` are known) and evaluate the scenario."""
    where = places(model)
    if problems is None:
        problems = validate(model, where)
    analysis = Analysis(revision, scenario, problems, where)
    if scenario and not any(p.is_error for p in problems) and model.scenario(scenario):
        analysis.result = evaluate(model, scenario, ChainArrays.of(model, where), problems)[0]
    return analysis


def default_scenario(model: ChainModel) -> Scenario | None:
    """The scenario shown first: the first with assignments, else the first."""
    with_work = {a.scenario for a in model.assignments}
    return next((s for s in model.scenarios if s.name in with_work),
                model.scenarios[0] if model.scenarios else None)


def recovery_folder() -> Path:
    folder = Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppDataLocation)) / "recovery"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Document(QObject):
    changed = Signal()  # the model's content changed (edit, undo, redo, or a new model)
    analysed = Signal()  # new problems and results are available in ``analysis``
    selection_changed = Signal()  # the selected enterprises or links changed
    scenario_changed = Signal()  # another scenario became current (or the list changed)
    year_changed = Signal()  # the year shown on the canvas and charts changed
    file_changed = Signal()  # path or clean state changed (title bar)

    def __init__(self, model: ChainModel | None = None, path: Path | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.model = model or ChainModel()
        self.path = path
        self.undo_stack = QUndoStack(self)
        self.recovered = False  # restored from an autosave: unsaved although nothing was undone
        self.undo_stack.cleanChanged.connect(self.file_changed)
        self.revision = 0
        self.selected_enterprises: set[str] = set()
        self.selected_links: set[tuple[str, str]] = set()
        self.scenario: str | None = None
        self.year: int | None = None
        self.analysis = Analysis(-1)
        self._runner = BackgroundRunner(self)
        self._runner.finished.connect(self._on_analysed)
        self._refresh = QTimer(self, singleShot=True, interval=0)
        self._refresh.timeout.connect(self._start_analysis)
        self._autosave = QTimer(self, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self.autosave)
        self._autosave.start()
        self._autosaved_revision = 0
        self._pick_scenario()
        self.analyse_now()

    # --- state ---------------------------------------------------------------------
    @property
    def modified(self) -> bool:
        return self.recovered or not self.undo_stack.isClean()

    @property
    def title(self) -> str:
        return self.path.name if self.path else tr("Untitled")

    def notify_changed(self) -> None:
        self.revision += 1
        ids = {e.id for e in self.model.enterprises}
        self.selected_enterprises &= ids
        links = {(lk.supplier, lk.buyer) for lk in self.model.links}
        self.selected_links &= links
        if self.scenario is not None and self.model.scenario(self.scenario) is None:
            self._pick_scenario()
            self.scenario_changed.emit()
        self.changed.emit()
        self._refresh.start()

    def _pick_scenario(self) -> None:
        chosen = default_scenario(self.model)
        self.scenario = chosen.name if chosen else None
        self.year = chosen.start_year + chosen.horizon - 1 if chosen else None

    def current_scenario(self) -> Scenario | None:
        return self.model.scenario(self.scenario) if self.scenario else None

    def set_scenario(self, name: str) -> None:
        scenario = self.model.scenario(name)
        if scenario is None or name == self.scenario:
            return
        self.scenario = name
        if self.year is None or not (scenario.start_year <= self.year <
                                     scenario.start_year + scenario.horizon):
            self.year = scenario.start_year + scenario.horizon - 1
        self.scenario_changed.emit()
        self.year_changed.emit()
        self._refresh.start()

    def set_year(self, year: int) -> None:
        if year != self.year:
            self.year = year
            self.year_changed.emit()

    def set_selection(self, enterprises: set[str], links: set[tuple[str, str]] | None = None
                      ) -> None:
        links = links or set()
        if enterprises != self.selected_enterprises or links != self.selected_links:
            self.selected_enterprises = set(enterprises)
            self.selected_links = set(links)
            self.selection_changed.emit()

    def reset(self, model: ChainModel, path: Path | None, recovered: bool = False,
              analysis: Analysis | None = None) -> None:
        """Replace the whole model (open, new, recover): a fresh undo history.

        ``analysis`` may come with the model when it was worked out while loading.
        """
        self.model, self.path = model, path
        self.undo_stack.clear()
        self.recovered = recovered
        self.selected_enterprises, self.selected_links = set(), set()
        self.revision += 1
        self._pick_scenario()
        if analysis is not None and analysis.scenario == self.scenario:
            analysis.revision = self.revision
            self.analysis = analysis
            self.analysed.emit()
        elif len(model.enterprises) < BACKGROUND_FROM:
            self.analyse_now()
        else:
            self.analysis = Analysis(self.revision)
            self._refresh.start()
        self.changed.emit()
        self.scenario_changed.emit()
        self.year_changed.emit()
        self.selection_changed.emit()
        self.file_changed.emit()

    # --- analysis ------------------------------------------------------------------
    def analyse_now(self) -> None:
        """Validate and evaluate on this thread (small models, tests, start-up)."""
        self._refresh.stop()
        self._on_analysed(analyse(self.model, self.scenario, self.revision), None)

    def _start_analysis(self) -> None:
        if len(self.model.enterprises) < BACKGROUND_FROM:
            self.analyse_now()
        else:
            self._runner.run(analyse, self.model, self.scenario, self.revision)

    def _on_analysed(self, analysis: Analysis | None, error: object) -> None:
        if analysis is None or analysis.revision != self.revision:
            if error is not None or analysis is not None:
                self._refresh.start()  # the model moved on (or changed under us): again
            return
        self.analysis = analysis
        self.analysed.emit()

    def wait_for_analysis(self) -> None:
        """Block until the background analysis is done (tests, screenshots)."""
        self._runner.wait()
        self.analyse_now()

    # --- edits (each is one undo step) --------------------------------------------------
    def push(self, command: Any) -> None:
        self.undo_stack.push(command)

    def set_values(self, changes: list[tuple[Any, str, Any]], text: str) -> None:
        changes = [(row, name, value) for row, name, value in changes
                   if getattr(row, name) != value]
        if changes:
            self.push(SetValues(self, changes, text))

    def add_rows(self, attr: str, rows: list[Any], text: str) -> None:
        if rows:
            self.push(InsertRows(self, attr, rows, text))

    def add_enterprise(self, enterprise: Enterprise) -> None:
        self.add_rows("enterprises", [enterprise], tr("Add {0}", enterprise.id))

    def add_link(self, link: Link) -> None:
        self.add_rows("links", [link], tr("Add link {0} → {1}", link.supplier, link.buyer))

    def move_enterprises(self, positions: dict[str, tuple[float, float]]) -> None:
        index = self.model.enterprise_index()
        changes: list[tuple[Any, str, Any]] = []
        for e_id, (x, y) in positions.items():
            changes += [(index[e_id], "x", round(x, 1)), (index[e_id], "y", round(y, 1))]
        self.set_values(changes, tr("Move {0} enterprises", len(positions)))

    def delete(self, enterprises: set[str], links: set[tuple[str, str]]) -> None:
        """Delete enterprises (with their links and assignments) and links, as one step."""
        model = self.model
        gone_links = [lk for lk in model.links if (lk.supplier, lk.buyer) in links
                      or lk.supplier in enterprises or lk.buyer in enterprises]
        gone_assignments = [a for a in model.assignments if a.enterprise in enterprises]
        gone_enterprises = [e for e in model.enterprises if e.id in enterprises]
        count = len(gone_links) + len(gone_assignments) + len(gone_enterprises)
        if not count:
            return
        self.undo_stack.beginMacro(tr("Delete {0} items", count))
        for attr, rows in (("assignments", gone_assignments), ("links", gone_links),
                           ("enterprises", gone_enterprises)):
            if rows:
                self.push(RemoveRows(self, attr, rows, ""))
        self.undo_stack.endMacro()

    def delete_rows(self, attr: str, rows: list[Any]) -> None:
        if attr == "enterprises":
            self.delete({e.id for e in rows}, set())
        elif attr == "links":
            self.delete(set(), {(lk.supplier, lk.buyer) for lk in rows})
        elif attr == "scenarios":
            for scenario in rows:
                self.delete_scenario(scenario.name)
        elif rows:
            self.push(RemoveRows(self, attr, rows, tr("Delete {0} items", len(rows))))

    def assign(self, enterprises: list[str], project: str, start_year: int,
               core_share: float) -> int:
        """Assign a project to enterprises in the current scenario; returns how many are new."""
        if self.scenario is None:
            return 0
        taken = {(a.enterprise, a.project) for a in self.model.assignments
                 if a.scenario == self.scenario}
        rows = [Assignment(scenario=self.scenario, enterprise=e, project=project,
                           start_year=start_year, core_share=core_share)
                for e in enterprises if (e, project) not in taken]
        self.add_rows("assignments", rows, tr("Assign {0} to {1} enterprises", project,
                                               len(rows)))
        return len(rows)

    def add_scenario(self, scenario: Scenario, copy_from: str | None = None) -> None:
        self.undo_stack.beginMacro(tr("Add {0}", scenario.name))
        self.push(InsertRows(self, "scenarios", [scenario], ""))
        if copy_from:
            rows = [dataclasses.replace(a, scenario=scenario.name, extra=dict(a.extra))
                    for a in self.model.assignments if a.scenario == copy_from]
            if rows:
                self.push(InsertRows(self, "assignments", rows, ""))
        self.undo_stack.endMacro()
        self.set_scenario(scenario.name)

    def rename_scenario(self, old: str, new: str) -> None:
        scenario = self.model.scenario(old)
        if scenario is None or old == new:
            return
        changes: list[tuple[Any, str, Any]] = [(scenario, "name", new)]
        changes += [(a, "scenario", new) for a in self.model.assignments if a.scenario == old]
        was_current = self.scenario == old
        self.set_values(changes, tr("Edit {0}", old))
        if was_current:
            self.scenario = new
            self.scenario_changed.emit()

    def delete_scenario(self, name: str) -> None:
        scenario = self.model.scenario(name)
        if scenario is None:
            return
        self.undo_stack.beginMacro(tr("Delete scenario") + " " + name)
        assignments = [a for a in self.model.assignments if a.scenario == name]
        if assignments:
            self.push(RemoveRows(self, "assignments", assignments, ""))
        self.push(RemoveRows(self, "scenarios", [scenario], ""))
        self.undo_stack.endMacro()

    # --- files -----------------------------------------------------------------------
    def mark_saved(self, path: Path) -> None:
        self.path = path
        self.recovered = False
        self.undo_stack.setClean()
        self.discard_recovery()
        self.file_changed.emit()

    def recovery_file(self) -> Path:
        return recovery_folder() / "autosave.json"

    def autosave(self) -> None:
        """Write the unsaved model to the recovery file (offered back after a crash)."""
        if not self.modified or self._autosaved_revision == self.revision:
            return
        from models.jsonio import dumps

        data = dumps(self.model)
        meta = {"path": str(self.path) if self.path else "", "time": time.time()}
        from models.atomic import write_atomic

        write_atomic(self.recovery_file(), data.encode("utf-8"))
        write_atomic(self.recovery_file().with_suffix(".meta"), json.dumps(meta).encode())
        self._autosaved_revision = self.revision

    def discard_recovery(self) -> None:
        for path in (self.recovery_file(), self.recovery_file().with_suffix(".meta")):
            path.unlink(missing_ok=True)

