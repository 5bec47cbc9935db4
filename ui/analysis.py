"""The one analysis of the open model: validation, every scenario's evaluation and the
health check, worked out once per revision from an immutable snapshot and published
with the revision it belongs to. Charts, inspector, comparison, health check,
presentation and report read the published ``Analysis``; none evaluates on its own.

The snapshot is a copy of the model that the GUI thread never changes, so a
background run can read it while the planner goes on editing. Copying a 10,000-firm
chain takes about 0.1 s, too slow for every keystroke, so the copy is taken once (a
new model) and then kept up to date from the edits' typed events: an edit copies
only the rows it changed and the row lists of the tables it touched (pointers).
How long it takes: ``benchmarks/bench_analysis.py``.

Small models are analysed on the GUI thread (a few milliseconds); from
``BACKGROUND_FROM`` enterprises the work runs on ``ui.worker.BackgroundRunner``'s
lane: one run at a time, a newer revision replacing any request still waiting.
"""

from __future__ import annotations

import dataclasses
import sys
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from models.background import giving_way, paused_gc, release_free_memory
from models.chain import TABLE_BY_ATTR, ChainModel, Settings
from models.edits import Event, RowsChanged, RowsInserted, RowsRemoved
from models.problems import Problem
from models.validation import Place, places, validate
from planner.compare import policy_figures
from planner.engine import ChainArrays, ScenarioResult, evaluate
from planner.health import ChainHealth, assess
from planner.overview import Arrangement, arrange, still_detached
from ui.i18n import tr
from ui.worker import BackgroundRunner, TaskState

if TYPE_CHECKING:
    from ui.document import Document

BACKGROUND_FROM = 2000  # enterprises from which the analysis runs off the GUI thread
# how long a background analysis waits after the latest change before it starts: the GUI
# thread first finishes the edit and repaints tables and canvas (at 100,000 firms a few
# tenths of a second) without sharing the interpreter with the analysis, and a burst of
# edits (typing, repeated deletes) becomes one analysis
BACKGROUND_DELAY_MS = 300


@dataclass(frozen=True)
class LayoutRequest:
    """A view's wish that the analysis lay the chain out (off the GUI thread) when the
    view's own layout is out of date: always (``drawn`` None), or when the tiers found
    differ from ``drawn``, the places the view is laid out by (a dict nobody changes)."""

    skip: frozenset[str]  # the firms the view shows where the planner put them
    drawn: dict[str, Place] | None


@dataclass
class Analysis:
    """Validation, evaluation of every scenario and the health check of one revision.

    ``model`` is the snapshot it was worked out from: a copy nobody edits, so a
    report or a slide drawn from it matches these numbers even while the planner
    goes on editing. ``results`` is empty when the model has errors.
    """

    revision: int
    scenario: str | None = None  # the document's current scenario at the time
    problems: list[Problem] = field(default_factory=list)
    places: dict[str, Place] = field(default_factory=dict)
    results: dict[str, ScenarioResult] = field(default_factory=dict)  # by name, model order
    health: ChainHealth | None = None
    # the chain laid out, when a view asked (``AnalysisService.layout_request``)
    arrangement: Arrangement | None = None
    model: ChainModel | None = None
    seconds: float = 0.0  # how long the analysis took (status, benchmarks)
    # validated only, while a big chain was opened: its figures are being worked out
    partial: bool = False
    failure: str = ""  # the analysis itself failed (a bug): what went wrong

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)

    @property
    def result(self) -> ScenarioResult | None:
        """The current scenario's result (None with errors or no scenario)."""
        return self.results.get(self.scenario) if self.scenario else None

    @property
    def all_results(self) -> list[ScenarioResult]:
        """Every scenario's result, in the model's order (the comparison's columns)."""
        return list(self.results.values())


def unavailable(analysis: Analysis) -> str:
    """Why a view of figures has none to show (errors, no scenario, a failure), or ""."""
    if analysis.failure:
        return tr("The figures could not be worked out: {0}", analysis.failure)
    if analysis.errors:
        return tr("The model has errors ({0}): fix them in Problems. Until then there are "
                  "no figures to show.", analysis.errors)
    if analysis.model is not None and not analysis.model.scenarios:
        return tr("The model has no scenario yet: create one first.")
    if analysis.partial:
        return tr("Working out the figures…")
    return ""


def analyse(model: ChainModel, scenario: str | None, revision: int,
            state: TaskState | None = None, problems: list[Problem] | None = None,
            previous: Analysis | None = None, where: dict[str, Place] | None = None,
            layout: LayoutRequest | None = None) -> Analysis | None:
    """Validate (unless ``problems`` are known), evaluate every scenario, run the health check.
    ``where``: the model's ``places``, when known (worked out while opening it); ``layout``:
    lay the chain out too, if and as it asks.

    A pure function of ``model``: call it with a snapshot when it runs in the
    background. ``previous`` of the same revision (another scenario became current)
    lends its validation and evaluation, so only the health check, which counts
    the current scenario's assignments for prerequisites, is worked out again.
    Stops when ``state`` is cancelled on the way: None, or ``worker.Cancelled`` from
    where it gives way.
    """
    started = time.perf_counter()

    def going_on(fraction: float) -> bool:  # between stages: give way to the planner's clicks
        if state is None:
            return True
        state.progress(fraction)
        state.yield_to_gui()
        return not state.cancelled

    same = previous if previous is not None and previous.revision == revision \
        and previous.model is model else None
    if same is not None and not same.partial:
        analysis = dataclasses.replace(same, scenario=scenario, health=None)
    else:
        if same is not None:  # validated while opening: the figures are still to come
            where, problems = same.places, same.problems
        where = where if where is not None else places(model)
        if not going_on(0.1):
            return None
        if problems is None:
            problems = validate(model, where)
        analysis = Analysis(revision, scenario, problems, where,
                            arrangement=same.arrangement if same is not None else None,
                            model=model)
        if not analysis.errors and model.scenarios:
            if not going_on(0.3):
                return None
            arrays = ChainArrays.of(model, where)
            if state is None:
                results = evaluate(model, arrays=arrays, problems=problems)
            else:  # one scenario at a time, so that a pan in between waits for one only
                results = []
                for k, s in enumerate(model.scenarios):
                    if not going_on(0.4 + 0.4 * k / len(model.scenarios)):
                        return None
                    results += evaluate(model, s.name, arrays=arrays, problems=problems)
            for result in results:  # here, not when the charts or the comparison first show
                policy_figures(result)
            analysis.results = {r.scenario.name: r for r in results}
    if layout is not None and (layout.drawn is None or layout.drawn != analysis.places):
        skip = still_detached(layout.skip, analysis.places)
        if analysis.arrangement is None or analysis.arrangement.skip != skip:
            if not going_on(0.8):
                return None
            analysis.arrangement = arrange(model, analysis.places, skip)
    if not going_on(0.9):
        return None
    if not analysis.errors:
        known = scenario if scenario and model.scenario(scenario) else None
        analysis.health = assess(model, known, where=analysis.places)
    analysis.seconds = time.perf_counter() - started
    return analysis


def _analyse_in_background(model: ChainModel, scenario: str | None, revision: int,
                           previous: Analysis | None, layout: LayoutRequest | None,
                           state: TaskState) -> Analysis | None:
    release_free_memory()  # what the analysis before freed when this one's came in
    # the planner's pans and clicks come first: the analysis waits between its passes over
    # the tables while a view is being worked, and no collection walks its young columns
    with paused_gc(), giving_way(state.yield_to_gui):
        analysis = analyse(model, scenario, revision, state, previous=previous, layout=layout)
    release_free_memory()  # what its own passes freed
    return analysis


# --- snapshots ---------------------------------------------------------------------------
def _copier(cls: type) -> Callable[[Any], Any]:
    """A fast copy of one row: its fields assigned one by one, dictionaries copied.

    ``copy.copy`` of a slotted dataclass goes through ``__reduce_ex__`` and is five
    times slower; on 60,000 rows that is the difference between a pause and none.
    """
    lines = []
    for spec in dataclasses.fields(cls):
        mutable = str(spec.type).startswith("dict")
        lines.append(f"    o.{spec.name} = dict(r.{spec.name})" if mutable
                     else f"    o.{spec.name} = r.{spec.name}")
    source = "def copy(r):\n    o = new(cls)\n" + "\n".join(lines) + "\n    return o\n"
    namespace: dict[str, Any] = {"new": cls.__new__, "cls": cls}
    exec(source, namespace)  # generated from the dataclass's own field names
    copier: Callable[[Any], Any] = namespace["copy"]
    return copier


_COPY = {attr: _copier(spec.cls) for attr, spec in TABLE_BY_ATTR.items()}
_COPY_SETTINGS = _copier(Settings)


def copy_model(model: ChainModel) -> ChainModel:
    """A copy of every row: nothing the live model's edits touch is shared."""
    # tens of thousands of new objects would run the cycle collector over and over,
    # which more than doubles the time; nothing here makes a cycle
    with paused_gc():
        return ChainModel(settings=_COPY_SETTINGS(model.settings),
                          **{attr: [copy(row) for row in getattr(model, attr)]
                             for attr, copy in _COPY.items()})


def advance_snapshot(snapshot: ChainModel, live: ChainModel, events: Sequence[Event]
                     ) -> ChainModel:
    """The snapshot of ``live`` after the edits that caused ``events`` (in order).

    Untouched tables keep the old snapshot's lists; a touched table gets a new list
    that shares the untouched rows' copies and holds fresh copies of the changed and
    inserted rows. If the events do not add up to ``live`` (an edit without them),
    everything is copied.
    """
    tables: dict[str, list[Any]] = {}
    # positions of each touched table to copy afresh (None: look for them all); kept up to
    # date through the events, so a few edited rows of 300,000 cost no pass over them
    fresh: dict[str, set[int] | None] = {}
    settings = snapshot.settings
    for event in events:
        if event.table == "settings":
            settings = _COPY_SETTINGS(live.settings)
            continue
        if event.table not in _COPY:
            return copy_model(live)
        rows = tables.get(event.table)
        if rows is None:
            rows = tables[event.table] = list(getattr(snapshot, event.table))
            fresh[event.table] = set()
        marked = fresh[event.table]
        if isinstance(event, RowsChanged):
            for position in event.positions:
                rows[position] = None
            if marked is not None:
                marked.update(event.positions)
        elif isinstance(event, RowsInserted) and len(event.positions) > 64:
            slots = set(event.positions)
            remaining = iter(rows)
            rows[:] = [None if i in slots else next(remaining)
                       for i in range(len(rows) + len(slots))]
            fresh[event.table] = None
        elif isinstance(event, RowsInserted):  # a few, ascending: each lands where it now is
            for position in event.positions:
                rows.insert(position, None)  # moved along in C
                if marked is not None:
                    marked = {q + 1 if q >= position else q for q in marked}
                    marked.add(position)
            fresh[event.table] = marked
        elif isinstance(event, RowsRemoved) and len(event.positions) > 64:
            gone = set(event.positions)
            rows[:] = [row for i, row in enumerate(rows) if i not in gone]
            fresh[event.table] = None
        elif isinstance(event, RowsRemoved):
            for position in reversed(event.positions):
                del rows[position]
                if marked is not None:
                    marked = {q - 1 if q > position else q for q in marked if q != position}
            fresh[event.table] = marked
    for attr, rows in tables.items():
        source = getattr(live, attr)
        if len(rows) != len(source):
            return copy_model(live)
        copy = _COPY[attr]
        marked = fresh[attr]
        for i in (range(len(rows)) if marked is None else sorted(marked)):
            if rows[i] is None:
                rows[i] = copy(source[i])
    return ChainModel(settings=settings,
                      **{attr: tables.get(attr, getattr(snapshot, attr)) for attr in _COPY})


# --- the service -------------------------------------------------------------------------
class AnalysisService(QObject):
    """Keeps the snapshot of a document's model and publishes its analysis.

    ``record`` is called with each edit's events (cheap), ``request`` after each
    change; requests made in one pass of the event loop become one analysis.
    """

    published = Signal(object)  # a new Analysis of the document's current revision
    busy_changed = Signal(bool)  # a background analysis started (True) or ended

    def __init__(self, document: Document):
        super().__init__(document)
        # weakly: a reference cycle would leave the document to Python's cycle collector,
        # which may run in a worker thread, where Qt cannot stop the document's timers
        self._document = weakref.ref(document)
        self.snapshot = copy_model(document.model)
        self._recorded = False  # events came with the latest change
        self._stale_snapshot = False  # a change without events: copy everything next time
        self._published: Analysis | None = None
        self._runner = BackgroundRunner(self)
        self._runner.finished.connect(self._on_finished)
        self._runner.busy_changed.connect(self.busy_changed)
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._start)
        # a view that wants the chain laid out with the analysis says so here (the canvas of
        # a big chain: ``Analysis.arrangement``); asked when an analysis starts
        self.layout_request: Callable[[], LayoutRequest | None] = lambda: None

    @property
    def document(self) -> Document:
        document = self._document()
        assert document is not None  # it owns this service
        return document

    @property
    def busy(self) -> bool:
        return self._runner.busy or self._timer.isActive()

    @property
    def running(self) -> bool:
        """An analysis is being worked out in the background right now."""
        return self._runner.busy

    # --- what the document tells us ----------------------------------------------------------
    def reset(self, model: ChainModel, snapshot: ChainModel | None = None) -> None:
        """A whole new model: copy it (once; the edits then keep the copy up to date), or
        take ``snapshot``, a copy of it made already (while loading, off the GUI thread)."""
        self.snapshot = snapshot if snapshot is not None else copy_model(model)
        self._stale_snapshot = self._recorded = False

    def record(self, events: Sequence[Event]) -> None:
        """An edit (or its undo) changed the live model as ``events`` say."""
        self.snapshot = advance_snapshot(self.snapshot, self.document.model, events)
        self._recorded = True

    def changed(self) -> None:
        """The model changed; if no events came with it, the snapshot is copied afresh."""
        if not self._recorded:
            self._stale_snapshot = True
        self._recorded = False
        self.request()

    def request(self) -> None:
        """Analyse the current revision (and scenario) soon: a small model once this pass of
        the event loop is over, a big one ``BACKGROUND_DELAY_MS`` after the latest request."""
        background = len(self.document.model.enterprises) >= BACKGROUND_FROM
        self._timer.start(BACKGROUND_DELAY_MS if background else 0)

    def adopt(self, analysis: Analysis) -> None:
        """An analysis worked out with the model (while loading it) is this revision's;
        a partial one is published at once, and its figures worked out next."""
        analysis.revision = self.document.revision
        analysis.model = self.snapshot
        self._publish(analysis)
        if analysis.partial:
            self.request()

    # --- running -----------------------------------------------------------------------------
    def current_snapshot(self) -> ChainModel:
        """A copy of the model as it is now, which no edit will change (autosave)."""
        return self._current_snapshot()

    def _current_snapshot(self) -> ChainModel:
        if self._stale_snapshot:
            self.snapshot = copy_model(self.document.model)
            self._stale_snapshot = False
        return self.snapshot

    def _start(self) -> None:
        document = self.document
        if len(document.model.enterprises) < BACKGROUND_FROM:
            self.analyse_now()
        else:
            self._runner.run(_analyse_in_background, self._current_snapshot(),
                             document.scenario, document.revision, self._published,
                             self.layout_request())

    def analyse_now(self) -> Analysis:
        """Analyse on this thread (small models, tests, start-up) and publish."""
        self._timer.stop()
        document = self.document
        analysis = analyse(self._current_snapshot(), document.scenario, document.revision,
                           previous=self._published, layout=self.layout_request())
        assert analysis is not None  # no state, no cancel
        self._publish(analysis)
        return analysis

    def wait(self) -> None:
        """Until the analysis of the current revision is published (tests, screenshots)."""
        self._runner.wait()
        QCoreApplication.sendPostedEvents()  # what it finished: not worked out here again
        document = self.document
        current = self._published
        if current is None or current.partial or current.revision != document.revision or \
                current.scenario != document.scenario:
            self.analyse_now()

    def _on_finished(self, analysis: Analysis | None, error: object) -> None:
        document = self.document
        if error is not None:  # a bug, not the planner's doing: say so, never retry in a loop
            print(f"analysis failed:\n{error}", file=sys.stderr)
            self._publish(Analysis(document.revision, document.scenario,
                                   failure=str(error).strip().splitlines()[-1]))
            return
        if analysis is None:
            return  # cancelled
        if analysis.revision != document.revision or analysis.scenario != document.scenario:
            self._timer.start()  # the model moved on while this ran: again
            return
        self._publish(analysis)

    def _publish(self, analysis: Analysis) -> None:
        self._published = analysis
        self.published.emit(analysis)
