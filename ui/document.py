"""The open chain: model, file, undo stack, selection, current scenario and year, and
the latest analysis (validation, every scenario's evaluation, health check: see
``ui.analysis``, which works it out from a snapshot after every edit). Edits go
through its methods, each one undo command made of model edits (``models.edits``);
views listen to its typed signals (rows inserted, removed or changed, per table) and
update what changed.
"""

from __future__ import annotations

import dataclasses
import gc
import itertools
from collections import defaultdict
from operator import attrgetter
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from models.chain import ASSESSMENTS, TABLES, Assignment, ChainModel, Enterprise, Link, Scenario
from models.edits import (
    Edit,
    Event,
    References,
    RemoveRows,
    RowsChanged,
    RowsInserted,
    RowsRemoved,
    append_rows,
    delete_edits,
    set_field_edits,
)
from ui.analysis import BACKGROUND_FROM, Analysis, AnalysisService, analyse
from ui.commands import ApplyEdits
from ui.i18n import tr
from ui.recovery import Autosave
from ui.worker import BackgroundRunner, TaskState

__all__ = ["BACKGROUND_FROM", "Analysis", "Document", "analyse", "default_scenario"]

AUTOSAVE_MS = 120_000


def default_scenario(model: ChainModel) -> Scenario | None:
    """The scenario shown first: the first with assignments, else the first."""
    with_work = set(map(attrgetter("scenario"), model.assignments))
    return next((s for s in model.scenarios if s.name in with_work),
                model.scenarios[0] if model.scenarios else None)


# the table and fields each kind of lookup (its name up to ":") is built from: an edit of
# them drops it (see ``Document._lookup``)
LOOKUP_KEYS = {"enterprises": ("enterprises", frozenset({"id"})),
               "search": ("enterprises", frozenset({"id", "name"})),
               "links": ("links", frozenset({"supplier", "buyer"})),
               "assignments": ("assignments", frozenset({"scenario", "enterprise", "project"}))}


def _enterprise_rows(model: ChainModel) -> dict[str, Enterprise]:
    rows = model.enterprises
    return dict(zip(map(attrgetter("id"), rows), rows, strict=True))


def _enterprise_positions(model: ChainModel) -> dict[str, int]:
    rows = model.enterprises
    return dict(zip(map(attrgetter("id"), rows), range(len(rows)), strict=True))


def _link_rows(model: ChainModel) -> dict[tuple[str, str], Link]:
    rows = model.links
    keys = zip(map(attrgetter("supplier"), rows), map(attrgetter("buyer"), rows), strict=True)
    return dict(zip(keys, rows, strict=True))


def _projects_by_firm(model: ChainModel, scenario: str | None) -> dict[str, list[str]]:
    found: defaultdict[str, list[str]] = defaultdict(list)
    for a in model.assignments:
        if a.scenario == scenario:
            found[a.enterprise].append(a.project)
    return dict(found)


def _search_text(model: ChainModel) -> tuple[str, list[int]]:
    """Every firm's id and name in lower case, a line each, and where each line starts."""
    lines = [f"{e.id.lower()}\t{e.name.lower()}" for e in model.enterprises]
    starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    return "\n".join(lines), starts


def first_lookups(model: ChainModel, scenario: str | None) -> dict[str, Any]:
    """The lookups a big chain's first click and search need in ``scenario`` (the one
    ``reset`` picks), built while it is opened, off the GUI thread (at 100,000 firms they
    took the first search 0.35 s): for ``reset``."""
    # (not the links by their ends, needed once a link is selected: an edit that drops them
    # frees 280,000 keys, 80 ms)
    return {"enterprises:row": _enterprise_rows(model),
            "enterprises:position": _enterprise_positions(model),
            f"assignments:{scenario}": _projects_by_firm(model, scenario),
            "search:text": _search_text(model),
            "references": References(model)}
TABLE_OF_CLASS = {t.cls: t.attr for t in (*TABLES, ASSESSMENTS)}


def _write_autosave(model: ChainModel, autosaver: Autosave, path: Path | None, revision: int,
                    state: TaskState) -> int | None:
    """Write a big chain's autosave as a project file (in the background); its revision,
    or None when it could not be written."""
    from models.native import dumps
    from models.problems import ExportRefused

    try:
        data = dumps(model, state.yield_to_gui)  # gives way while the planner pans or zooms
        if state.cancelled:
            return None
        autosaver.write(data, path)
    except (ExportRefused, OSError, ValueError):
        return None
    return revision


class Document(QObject):
    changed = Signal()  # the model's content changed (edit, undo, redo, or a new model)
    rows_inserted = Signal(str, list)  # table, positions (ascending) the new rows now hold
    rows_removed = Signal(str, list)  # table, positions (ascending) the rows held before
    rows_changed = Signal(str, list, list)  # table, positions (ascending), field names
    model_reset = Signal()  # a whole new model (open, new, recover): views rebuild
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
        self.analysis = Analysis(-1)  # the latest published (``analysed``); see ui/analysis.py
        self.analyser = AnalysisService(self)
        self.analyser.published.connect(self._on_analysed)
        self._autosave = QTimer(self, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self.autosave)
        self._autosave.start()
        self._autosaved_revision = 0
        self.autosaver: Autosave | None = None  # made, with its lock, at the first autosave
        self._autosave_runner: BackgroundRunner | None = None  # a big chain's autosave
        self._lookups: dict[str, Any] = {}  # id -> row, id -> position, ...: see ``_lookup``
        self._references: References | None = None  # built at the first delete or rename
        self._pick_scenario()
        self.analyse_now()

    # --- lookups (built once, dropped when an edit touches their table) -------------------
    def _lookup(self, name: str, build: Any) -> Any:
        found = self._lookups.get(name)
        if found is None:
            found = self._lookups[name] = build()
        return found

    def _forget_lookups(self, events: list[Event] | None) -> None:
        """Drop the lookups an edit may have made wrong: rows came or went, or a field
        they are keyed by changed (a moved firm keeps them)."""
        if events is None:
            self._lookups.clear()
            return
        for name in list(self._lookups):
            table, keys = LOOKUP_KEYS[name.split(":")[0]]
            if any(e.table == table and (not isinstance(e, RowsChanged) or e.fields & keys)
                   for e in events):
                del self._lookups[name]

    def enterprise(self, e_id: str) -> Enterprise | None:
        """The enterprise with this id (a dictionary kept between edits: at 100,000 firms
        building one on every click took a quarter of a second)."""
        found: dict[str, Enterprise] = self._lookup(
            "enterprises:row", lambda: _enterprise_rows(self.model))
        return found.get(e_id)

    def enterprise_position(self, e_id: str) -> int | None:
        """The enterprise's position in the model (its row in the analysis' arrays)."""
        found: dict[str, int] = self._lookup(
            "enterprises:position", lambda: _enterprise_positions(self.model))
        return found.get(e_id)

    def link_rows(self) -> dict[tuple[str, str], Link]:
        """The links by (supplier, buyer)."""
        found: dict[tuple[str, str], Link] = self._lookup(
            "links:row", lambda: _link_rows(self.model))
        return found

    def projects_of(self, e_id: str) -> list[str]:
        """The projects assigned to an enterprise in the current scenario."""
        scenario = self.scenario
        found: dict[str, list[str]] = self._lookup(
            f"assignments:{scenario}", lambda: _projects_by_firm(self.model, scenario))
        return found.get(e_id, [])

    @property
    def references(self) -> References:
        """Which rows name each firm, project, scenario and park: kept up to date by
        ``perform`` (which sees every edit) rather than dropped like a lookup."""
        if self._references is None:
            self._references = References(self.model)
        return self._references

    def search_text(self) -> tuple[str, list[int]]:
        """Every firm's id and name in lower case, a line each, and where each line starts
        (what the canvas searches: one ``str.find`` instead of a test of each name)."""
        found: tuple[str, list[int]] = self._lookup("search:text",
                                                    lambda: _search_text(self.model))
        return found

    # --- state ---------------------------------------------------------------------
    @property
    def modified(self) -> bool:
        return self.recovered or not self.undo_stack.isClean()

    @property
    def title(self) -> str:
        return self.path.name if self.path else tr("Untitled")

    def perform(self, edits: list[Edit], renamed: dict[str, str] | None = None) -> None:
        """Apply model edits (an undo command's redo, or its undo's inverse edits), tell the
        views what changed, then refresh the analysis: the one way the model changes
        between two ``reset``s.

        ``renamed``: enterprise ids the edits rename (old -> new), so the selection follows.
        """
        events = [edit.apply(self.model) for edit in edits]
        if self._references is not None:
            self._references.follow(edits)
        if renamed and self.selected_enterprises & renamed.keys():
            self.selected_enterprises = {renamed.get(e, e) for e in self.selected_enterprises}
            self.selected_links = {(renamed.get(s, s), renamed.get(b, b))
                                   for s, b in self.selected_links}
        self.analyser.record(events)  # before any view runs: the snapshot follows the edit
        self._forget_lookups(events)
        for event in events:
            if isinstance(event, RowsChanged):
                self.rows_changed.emit(event.table, list(event.positions), sorted(event.fields))
            elif isinstance(event, RowsInserted):
                self.rows_inserted.emit(event.table, list(event.positions))
            elif isinstance(event, RowsRemoved):
                self.rows_removed.emit(event.table, list(event.positions))
        self.notify_changed({e.table for e in events if not isinstance(e, RowsInserted)})

    def notify_changed(self, touched: set[str] | None = None) -> None:
        """A new revision; ``touched``: tables whose rows were removed or changed (None: any)."""
        self.revision += 1
        if touched is None:  # a change without its events: no lookup can be trusted
            self._forget_lookups(None)
            self._references = None
        # only what an edit removed or renamed can leave the selection (a cheap test first:
        # building the set of 28,000 links on every keystroke is not)
        if self.selected_enterprises and (touched is None or "enterprises" in touched):
            self.selected_enterprises = {e for e in self.selected_enterprises
                                         if self.enterprise(e) is not None}
        if self.selected_links and (touched is None or touched & {"enterprises", "links"}):
            self.selected_links &= self.link_rows().keys()
        if self.scenario is not None and self.model.scenario(self.scenario) is None:
            self._pick_scenario()
            self.scenario_changed.emit()
        self.changed.emit()
        self.analyser.changed()

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
        self.analyser.request()  # the health check counts the current scenario's projects

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
              analysis: Analysis | None = None, lookups: dict[str, Any] | None = None) -> None:
        """Replace the whole model (open, new, recover): a fresh undo history.

        ``analysis`` and ``lookups`` (``first_lookups``) may come with the model when they
        were worked out while loading it.
        """
        self.model, self.path = model, path
        self._forget_lookups(None)
        self._lookups.update(lookups or {})
        self._references = self._lookups.pop("references", None)
        self.undo_stack.clear()
        self.recovered = recovered
        self.selected_enterprises, self.selected_links = set(), set()
        self.revision += 1
        self._pick_scenario()
        self.analyser.reset(model, analysis.model if analysis is not None
                            and analysis.model is not model else None)
        self.model_reset.emit()
        if analysis is not None and analysis.scenario == self.scenario:
            self.analyser.adopt(analysis)
        elif len(model.enterprises) < BACKGROUND_FROM:
            self.analyse_now()
        else:
            self.analysis = Analysis(self.revision)
            self.analyser.request()
        self.changed.emit()
        self.scenario_changed.emit()
        self.year_changed.emit()
        self.selection_changed.emit()
        self.file_changed.emit()
        if len(model.enterprises) >= BACKGROUND_FROM:
            # the model's millions of objects (rows, their copies, the views' arrays and
            # lists) live as long as it does and hold no cycles: the cyclic collector need
            # not walk them again. Otherwise each full collection it starts somewhere in a
            # click, a paint or an edit took 1-3 s at 100,000 firms.
            gc.freeze()

    # --- analysis ------------------------------------------------------------------
    def analyse_now(self) -> None:
        """Analyse on this thread and publish (small models, tests, start-up)."""
        self.analyser.analyse_now()

    def _on_analysed(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.analysed.emit()

    def wait_for_analysis(self) -> None:
        """Block until the analysis of this revision is published (tests, screenshots)."""
        self.analyser.wait()

    # --- edits (each is one undo step) --------------------------------------------------
    def apply(self, edits: list[Edit], text: str) -> None:
        """Apply model edits as one undo step (nothing when there are none)."""
        if edits:
            self.undo_stack.push(ApplyEdits(self, edits, text))

    def set_values(self, changes: list[tuple[Any, str, Any]], text: str) -> None:
        """Set (row, field, value) as one step; a changed id or name follows everywhere."""
        by_table: dict[str, list[tuple[Any, str, Any]]] = {}
        for change in changes:
            by_table.setdefault(TABLE_OF_CLASS[type(change[0])], []).append(change)
        edits: list[Edit] = []
        for table, rows in by_table.items():
            edits += set_field_edits(self.model, table, rows, self.references)
        self.apply(edits, text)

    def add_rows(self, attr: str, rows: list[Any], text: str) -> None:
        self.apply(append_rows(self.model, attr, rows), text)

    def add_enterprise(self, enterprise: Enterprise) -> None:
        self.add_rows("enterprises", [enterprise], tr("Add {0}", enterprise.id))

    def add_link(self, link: Link) -> None:
        self.add_rows("links", [link], tr("Add link {0} → {1}", link.supplier, link.buyer))

    def move_enterprises(self, positions: dict[str, tuple[float, float]]) -> None:
        changes: list[tuple[Any, str, Any]] = []
        for e_id, (x, y) in positions.items():
            row = self.enterprise(e_id)
            changes += [(row, "x", round(x, 1)), (row, "y", round(y, 1))]
        self.set_values(changes, tr("Move {0} enterprises", len(positions)))

    def delete(self, enterprises: set[str], links: set[tuple[str, str]]) -> None:
        """Delete enterprises (with all that hangs on them) and links, as one step."""
        found = [self.enterprise(e_id) for e_id in enterprises]
        rows = self.link_rows() if links else {}
        found_links = [rows.get(key) for key in links]
        self._delete({"enterprises": [e for e in found if e is not None],
                      "links": [lk for lk in found_links if lk is not None]})

    def delete_rows(self, attr: str, rows: list[Any]) -> None:
        """Delete rows of one table and everything that refers to them, as one step."""
        self._delete({attr: rows})

    def _delete(self, targets: dict[str, list[Any]]) -> None:
        edits = delete_edits(self.model, targets, self.references)
        count = sum(len(e.rows) for e in edits if isinstance(e, RemoveRows))
        self.apply(edits, tr("Delete {0} items", count))

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
        edits = append_rows(self.model, "scenarios", [scenario])
        if copy_from:
            edits += append_rows(self.model, "assignments", [
                dataclasses.replace(a, scenario=scenario.name, extra=dict(a.extra))
                for a in self.model.assignments if a.scenario == copy_from])
        self.apply(edits, tr("Add {0}", scenario.name))
        self.set_scenario(scenario.name)

    def rename_scenario(self, old: str, new: str) -> None:
        """Rename a scenario and its assignments: one undo step, the current one follows."""
        scenario = self.model.scenario(old)
        if scenario is None or old == new:
            return
        was_current = self.scenario == old
        self.set_values([(scenario, "name", new)], tr("Rename scenario {0}", old))
        if was_current:
            self.scenario = new
            self.scenario_changed.emit()

    def delete_scenario(self, name: str) -> None:
        scenario = self.model.scenario(name)
        if scenario is not None:
            self.delete_rows("scenarios", [scenario])

    # --- files -----------------------------------------------------------------------
    def mark_saved(self, path: Path) -> None:
        self.path = path
        self.recovered = False
        self.undo_stack.setClean()
        self.discard_recovery()
        self.file_changed.emit()

    def autosave(self) -> None:
        """Write the unsaved model to this document's own autosave (offered back after a
        crash); a model that cannot be written (a bug) is skipped, never a crash.

        A big chain (``BACKGROUND_FROM`` firms) is written as a project file, off the GUI
        thread, from the analysis' snapshot (a copy no edit touches): at 100,000 firms its
        JSON took 90 s on the GUI thread and 1.5 GB."""
        if not self.modified or self._autosaved_revision == self.revision:
            return
        from models.jsonio import dumps
        from models.problems import ExportRefused

        if self.autosaver is None:
            self.autosaver = Autosave()
        if len(self.model.enterprises) >= BACKGROUND_FROM:
            if self._autosave_runner is None:
                self._autosave_runner = BackgroundRunner(self)
                self._autosave_runner.finished.connect(self._on_autosaved)
            self._autosave_runner.run(_write_autosave, self.analyser.current_snapshot(),
                                      self.autosaver, self.path, self.revision)
            return
        try:
            self.autosaver.write(dumps(self.model), self.path)
        except (ExportRefused, OSError, ValueError):
            return
        self._autosaved_revision = self.revision

    def _on_autosaved(self, revision: object, error: object) -> None:
        if isinstance(revision, int):
            self._autosaved_revision = revision
        if not self.modified and self.autosaver is not None:
            self.autosaver.discard()  # saved while it was being written

    def discard_recovery(self) -> None:
        """Remove this document's autosave (saved, or closed on purpose); nobody else's."""
        if self._autosave_runner is not None:  # not written after it was removed
            self._autosave_runner.cancel()
            self._autosave_runner.wait()
        if self.autosaver is not None:
            self.autosaver.discard()
        self._autosaved_revision = 0

