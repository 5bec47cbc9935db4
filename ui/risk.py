"""The Risk tab: how sure the current scenario's numbers are (docs/method.md, "Who takes
part, and how sure the numbers are").

The Monte-Carlo simulation (``planner.simulate``) runs off the GUI thread with progress
and Cancel; its result is drawn as the NPV's histogram with P5/P50/P95, a fan chart of
the connected share, and participation by awareness class. The tornado
(``planner.sensitivity``, exact and fast) follows every edit by itself while the tab is
shown.

The runs and their results live in ``RiskRuns``, one per document, not in the tab: a
language switch rebuilds the tab and keeps both the result and a run going. A result
belongs to the model and scenario it was worked out from; after an edit or another
scenario it stays in view, marked stale, never as current.
"""

from __future__ import annotations

import html
import math
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.background import giving_way
from models.chain import ChainModel
from planner.engine import ScenarioResult
from planner.sensitivity import Tornado, tornado
from ui import palette
from ui.analysis import unavailable
from ui.charts import Chart, amount_unit
from ui.document import Document
from ui.i18n import tr
from ui.worker import BackgroundRunner, TaskState

if TYPE_CHECKING:
    from planner.simulate import Simulation

SWING = 0.2  # the tornado's ±20 %
DEFAULT_DRAWS = 1000
MAX_DRAWS = 1_000_000
TORNADO_ROWS = 12  # the largest swings shown; the read-out names the others' count
AWARENESS_ORDER = ("very_familiar", "aware", "heard_of", "unaware")
POSITION_FIELDS = {"x", "y"}  # an edit of these only moves a node: the numbers stay


def awareness_label(key: str) -> str:
    return {"very_familiar": tr("Very familiar"), "aware": tr("Aware"),
            "heard_of": tr("Heard of"), "unaware": tr("Unaware")}.get(key, key)


def parameter_label(parameter: str, model: ChainModel | None) -> str:
    """A tornado row's input in words: "P03 MES: capex", "Discount rate" …"""
    fixed = {"discount_rate": tr("Discount rate"), "link_benefit_rate": tr("Link benefit rate"),
             "subsidy_rates": tr("Subsidy rates (all together)")}
    if parameter in fixed:
        return fixed[parameter]
    project_id, _, what = parameter.rpartition(".")
    project = next((p for p in model.projects if p.id == project_id), None) if model else None
    name = f"{project_id} {project.name}" if project is not None and project.name else project_id
    if what == "capex":
        return tr("{0}: capex", name)
    if what == "opex":
        return tr("{0}: opex", name)
    return tr("{0}: benefit", name)


@dataclass
class RiskResult:
    """A finished simulation with what it was worked out from."""

    simulation: Simulation
    deterministic: ScenarioResult | None  # the scenario's evaluation of the same model
    model: ChainModel  # the snapshot it ran on (names, participation rates)
    edits: int  # RiskRuns.edits when the run started


@dataclass
class TornadoResult:
    tornado: Tornado
    model: ChainModel
    edits: int


def _simulate(model: ChainModel, scenario: str, draws: int, seed: int,
              evaluated: ScenarioResult | None, state: TaskState) -> Simulation | None:
    """The simulation (from the scenario's ``evaluated`` result of the analysis), reporting
    progress and stopping at Cancel (None then)."""
    from planner.simulate import Cancelled, simulate

    def progress(done: int, total: int) -> bool:
        state.progress(done / total if total else 1.0)
        return not state.cancelled

    try:
        with giving_way(state.yield_to_gui):  # the planner's clicks come first
            return simulate(model, scenario, draws=draws, seed=seed, progress=progress,
                            evaluated=evaluated)
    except Cancelled:
        return None


def _tornado(model: ChainModel, scenario: str, evaluated: ScenarioResult | None,
             state: TaskState) -> Tornado:
    with giving_way(state.yield_to_gui):
        return tornado(model, scenario, SWING, evaluated)


class RiskRuns(QObject):
    """The document's simulation runs and tornado: one run at a time in the background,
    the latest result with what it belongs to, and whether an edit made it stale."""

    changed = Signal()  # a run started or ended, or a result went stale
    progress = Signal(int, int)  # draws done, draws asked for, of the running simulation
    tornado_changed = Signal()  # a new tornado (or one started, or went stale)

    def __init__(self, document: Document):
        super().__init__(document)
        self._document = weakref.ref(document)  # no cycle: see ui.analysis.AnalysisService
        self.edits = 0  # edits that change the numbers, since the document was made
        self.result: RiskResult | None = None
        self.failure = ""  # the last run failed: why
        self.cancelled = False  # the last run was cancelled
        self.draws = 0  # of the running simulation (0: none running)
        self.done = 0
        self._pending: tuple[int, int] | None = None  # (draws, seed) waiting for the analysis
        self._started: tuple[ChainModel, ScenarioResult | None, int] | None = None
        self.tornado: TornadoResult | None = None
        self._tornado_key: tuple[int, str] | None = None  # (edits, scenario) being worked out
        self._tornado_model: ChainModel | None = None
        self._cancel_asked = False  # Cancel was pressed for the running simulation
        self._runner = BackgroundRunner(self)
        self._runner.finished.connect(self._on_finished)
        self._runner.busy_changed.connect(self._on_busy)
        self._runner.progress.connect(self._on_progress)
        self._tornado_runner = BackgroundRunner(self)
        self._tornado_runner.finished.connect(self._on_tornado)
        document.rows_inserted.connect(lambda table, rows: self._edited())
        document.rows_removed.connect(lambda table, rows: self._edited())
        document.rows_changed.connect(self._on_rows_changed)
        document.model_reset.connect(self._on_reset)
        document.analysed.connect(self._on_analysed)
        document.scenario_changed.connect(self.changed)
        app = QCoreApplication.instance()
        if app is not None:  # never keep the process waiting for draws nobody will see
            app.aboutToQuit.connect(self.cancel)

    @classmethod
    def of(cls, document: Document) -> RiskRuns:
        """The document's runs (made at the first call)."""
        runs = document.findChild(cls)
        return runs if isinstance(runs, cls) else cls(document)

    @property
    def document(self) -> Document:
        document = self._document()
        assert document is not None  # it owns these runs
        return document

    # --- state ---------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.draws > 0

    @property
    def stale(self) -> bool:
        """The result is of an older model or of another scenario."""
        result = self.result
        return result is not None and (result.edits != self.edits or
                                       result.simulation.scenario != self.document.scenario)

    @property
    def current(self) -> RiskResult | None:
        """The result, when it is of the model and scenario as they are now."""
        return None if self.stale else self.result

    @property
    def tornado_stale(self) -> bool:
        t = self.tornado
        return t is not None and (t.edits != self.edits or
                                  t.tornado.scenario != self.document.scenario)

    # --- what the document tells us -------------------------------------------------------
    def _edited(self) -> None:
        was = self.stale, self.tornado_stale
        self.edits += 1
        if (self.stale, self.tornado_stale) != was:
            self.changed.emit()
            self.tornado_changed.emit()

    def _on_rows_changed(self, table: str, rows: list[int], fields: list[str]) -> None:
        if not (table == "enterprises" and set(fields) <= POSITION_FIELDS):
            self._edited()

    def _on_reset(self) -> None:
        """Another model: its predecessor's figures mean nothing for it."""
        self.cancel()
        self.edits += 1
        self.result = self.tornado = None
        self.failure = ""
        self.changed.emit()
        self.tornado_changed.emit()

    def _current_analysis(self) -> Any:
        analysis = self.document.analysis
        return analysis if analysis.revision == self.document.revision else None

    def _on_analysed(self) -> None:
        if self._pending is not None and self._current_analysis() is not None:
            draws, seed = self._pending
            self._pending = None
            self._start(draws, seed)

    # --- the simulation --------------------------------------------------------------------
    def run(self, draws: int, seed: int) -> None:
        """Simulate the current scenario of the model as it is now (when its analysis is
        ready: a large model's may still be on its way)."""
        if self.running:
            return
        self.failure, self.cancelled = "", False
        self.draws, self.done = draws, 0
        if self._current_analysis() is None:
            self._pending = (draws, seed)
            self.changed.emit()
            return
        self._start(draws, seed)

    def _start(self, draws: int, seed: int) -> None:
        analysis = self.document.analysis
        scenario = self.document.scenario
        why = unavailable(analysis)
        if not why and (scenario is None or analysis.model is None):
            why = tr("The model has no scenario yet: create one first.")
        if why:
            self.failure, self.draws = why, 0
            self.changed.emit()
            return
        self._started = (analysis.model, analysis.results.get(scenario), self.edits)
        self._cancel_asked = False
        self.changed.emit()
        self._runner.run(_simulate, analysis.model, scenario, draws, seed,
                         analysis.results.get(scenario))

    def cancel(self) -> None:
        if self._pending is not None:
            self._pending = None
            self.draws = 0
            self.cancelled = True
            self.changed.emit()
        elif self.running:
            self._cancel_asked = True
            self._runner.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Until the running jobs are done (tests; quitting)."""
        return self._runner.wait(msecs) and self._tornado_runner.wait(msecs)

    def _on_progress(self, fraction: float) -> None:
        self.done = round(fraction * self.draws)
        self.progress.emit(self.done, self.draws)

    def _on_busy(self, busy: bool) -> None:
        # the lane drops a cancelled job's result: its end is the only news of it
        if not busy and self._cancel_asked:
            self._cancel_asked = False
            self._started = None
            self.cancelled = True
            self.draws = 0
            self.changed.emit()

    def _on_finished(self, simulation: Simulation | None, error: object) -> None:
        started, self._started = self._started, None
        self._cancel_asked = False
        if error is not None:  # a bug, not the planner's doing: say so
            self.failure = tr("The simulation failed: {0}", str(error).strip().splitlines()[-1])
        elif simulation is None:
            self.cancelled = True
        elif started is not None:
            model, deterministic, edits = started
            self.result = RiskResult(simulation, deterministic, model, edits)
        self.draws = 0
        self.changed.emit()

    # --- the tornado -------------------------------------------------------------------------
    def update_tornado(self) -> None:
        """Work out the tornado of the current model and scenario, unless it is known or on
        its way (cheap to call after every edit)."""
        analysis = self._current_analysis()
        scenario = self.document.scenario
        if analysis is None or analysis.errors or analysis.model is None or not scenario \
                or analysis.model.scenario(scenario) is None:
            return
        key = (self.edits, scenario)
        known = self.tornado
        if key == self._tornado_key or (
                known is not None and (known.edits, known.tornado.scenario) == key):
            return
        self._tornado_key = key
        self._tornado_model = analysis.model
        self._tornado_runner.run(_tornado, analysis.model, scenario,
                                 analysis.results.get(scenario))

    def stop_tornado(self) -> None:
        """Stop the tornado being worked out (its tab was left); ``update_tornado`` starts
        it again."""
        if self._tornado_runner.busy:
            self._tornado_runner.cancel()
            self._tornado_key = None

    def _on_tornado(self, result: Tornado | None, error: object) -> None:
        key, self._tornado_key = self._tornado_key, None
        if error is not None or result is None or key is None:
            return
        self.tornado = TornadoResult(result, self._tornado_model, key[0])
        self.tornado_changed.emit()
        if self.tornado_stale:
            self.update_tornado()  # an edit came while it ran


# --- charts --------------------------------------------------------------------------------
def _fmt(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value:,.1f}"


def _title(chart: Chart, text: str) -> None:
    chart.getPlotItem().setTitle(
        f"<span style='font-size:11pt; font-weight:600'>{html.escape(text)}</span>")


class HistogramChart(Chart):
    """The NPV of every draw in bins, P5/P50/P95 and the deterministic NPV marked."""

    count = True

    def __init__(self, unit: str, parent: QWidget | None = None):
        super().__init__(tr("NPV over the draws"), tr("draws"), parent)
        self.key = "risk_histogram"
        self.getPlotItem().setLabel("bottom", unit)
        self.below = pg.BarGraphItem(x0=[], x1=[], height=[], brush=palette.VERMILLION,
                                     pen=pg.mkPen("w", width=0.5), name=tr("NPV below 0"))
        self.above = pg.BarGraphItem(x0=[], x1=[], height=[], brush=palette.BLUE,
                                     pen=pg.mkPen("w", width=0.5), name=tr("NPV 0 or above"))
        self.addItem(self.below)
        self.addItem(self.above)
        self.edges = np.zeros(0)
        self.counts = np.zeros(0)
        self.markers: dict[str, pg.InfiniteLine] = {}
        for key, colour, style, position in (
                ("p5", palette.INK, Qt.PenStyle.DashLine, 0.97),
                ("p50", palette.INK, Qt.PenStyle.SolidLine, 0.84),
                ("p95", palette.INK, Qt.PenStyle.DashLine, 0.71),
                ("deterministic", palette.BLUISH_GREEN, Qt.PenStyle.DotLine, 0.58)):
            line = pg.InfiniteLine(angle=90, pen=pg.mkPen(colour, width=2, style=style),
                                   label="", labelOpts={
                                       "position": position, "anchors": [(0.5, 0), (0.5, 0)],
                                       "fill": pg.mkBrush(255, 255, 255, 230), "color": colour})
            self.addItem(line)
            self.markers[key] = line

    def show_simulation(self, simulation: Simulation) -> None:
        values = np.asarray(simulation.values["npv"], float)
        values = values[np.isfinite(values)]
        stats = simulation.stats("npv")
        bins = int(np.clip(math.sqrt(max(values.size, 1)), 10, 40))
        low, high = (float(values.min()), float(values.max())) if values.size else (0.0, 1.0)
        if high - low < 1e-9 * max(1.0, abs(high)):  # every draw the same: one visible bar
            pad = max(1.0, abs(high) * 0.01)
            low, high = low - pad, high + pad
        counts, edges = np.histogram(values, bins=bins, range=(low, high))
        self.edges, self.counts = edges, counts
        centres = (edges[:-1] + edges[1:]) / 2
        negative = centres < 0
        self.below.setOpts(x0=edges[:-1][negative], x1=edges[1:][negative],
                           height=counts[negative].astype(float))
        self.above.setOpts(x0=edges[:-1][~negative], x1=edges[1:][~negative],
                           height=counts[~negative].astype(float))
        names = {"p5": "P5", "p50": "P50", "p95": "P95"}
        for key, line in self.markers.items():
            value = simulation.deterministic_npv if key == "deterministic" else stats[key]
            line.setVisible(value is not None and math.isfinite(value))
            if line.isVisible():
                line.setValue(value)
                name = tr("Deterministic") if key == "deterministic" else names[key]
                line.label.setFormat(f"{name} {_fmt(value)}")
        _title(self, tr("NPV over {0} draws · P(NPV < 0) = {1}", f"{simulation.draws:,}",
                        f"{simulation.prob_npv_negative * 100:.1f}%"))
        span = high - low
        marks = [v for v in (simulation.deterministic_npv, stats["p5"], stats["p95"])
                 if v is not None and math.isfinite(v)]
        left, right = min([low, *marks]) - span * 0.05, max([high, *marks]) + span * 0.05
        self.setXRange(left, right, padding=0)
        for line in self.markers.values():
            # a label near an edge hangs inward, never past the plot
            at = (line.value() - left) / (right - left) if right > left else 0.5
            side = 0.0 if at < 0.25 else 1.0 if at > 0.75 else 0.5
            line.label.anchors = [(side, 0), (side, 0)]
            line.label.updatePosition()
        # room above the bars for the markers' labels
        self.fit_y(counts.astype(float), floor=0.0, headroom=0.75)

    def _key_under(self, pos: Any) -> int | None:
        item = self.getPlotItem()
        if not item.sceneBoundingRect().contains(pos) or self.edges.size < 2:
            return None
        x = float(item.vb.mapSceneToView(pos).x())
        at = int(np.searchsorted(self.edges, x, side="right")) - 1
        return at if 0 <= at < self.counts.size else None

    def describe(self, x: int) -> str:
        return tr("{0} to {1}: {2} draws", _fmt(self.edges[x]), _fmt(self.edges[x + 1]),
                  int(self.counts[x]))

    def _on_click(self, event: Any) -> None:
        pass  # no years here


class FanChart(Chart):
    """The connected share over the years: P5–P95 and P25–P75 of the draws, the median,
    and the deterministic line."""

    percent = True

    def __init__(self, parent: QWidget | None = None):
        super().__init__(tr("Connected share over the years"), "%", parent)
        self.key = "risk_fan"
        outer, inner = _alpha(palette.BLUE, 50), _alpha(palette.BLUE, 110)
        none = pg.mkPen(None)
        self.p5 = pg.PlotDataItem([], [], pen=none)
        self.p95 = pg.PlotDataItem([], [], pen=none)
        self.p25 = pg.PlotDataItem([], [], pen=none)
        self.p75 = pg.PlotDataItem([], [], pen=none)
        for item in (self.p5, self.p95, self.p25, self.p75):
            self.addItem(item)
        self.outer = pg.FillBetweenItem(self.p5, self.p95, brush=outer)
        self.inner = pg.FillBetweenItem(self.p25, self.p75, brush=inner)
        self.addItem(self.outer)
        self.addItem(self.inner)
        self.median = pg.PlotDataItem([], [], pen=pg.mkPen(palette.BLUE, width=2.5), symbol="o",
                                      symbolSize=5, symbolBrush=palette.BLUE)
        self.deterministic = pg.PlotDataItem(
            [], [], pen=pg.mkPen(palette.INK, width=2, style=Qt.PenStyle.DashLine))
        self.addItem(self.median)
        self.addItem(self.deterministic)
        # the bands' legend samples: a bar of each band's colour
        self._new_legend([
            (pg.BarGraphItem(x=[], height=[], width=1, brush=outer, pen=none), tr("P5–P95")),
            (pg.BarGraphItem(x=[], height=[], width=1, brush=inner, pen=none), tr("P25–P75")),
            (self.median, tr("Median")), (self.deterministic, tr("Deterministic"))])

    def show_simulation(self, simulation: Simulation, deterministic: ScenarioResult | None
                        ) -> None:
        years = np.asarray(simulation.years)
        shares = np.asarray(simulation.connected_share, float) * 100
        x = years.astype(float)
        quantiles = {}
        for q in (5, 25, 50, 75, 95):
            column = np.full(len(years), np.nan)
            for j in range(len(years)):
                finite = shares[:, j][np.isfinite(shares[:, j])] if shares.size else shares
                if finite.size:
                    column[j] = np.percentile(finite, q)
            quantiles[q] = column
        for q, item in ((5, self.p5), (95, self.p95), (25, self.p25), (75, self.p75),
                        (50, self.median)):
            item.setData(x, np.nan_to_num(quantiles[q]) if q != 50 else quantiles[q],
                         connect="finite")
        self.series = {"P5": (years, quantiles[5]), "P25": (years, quantiles[25]),
                       tr("Median"): (years, quantiles[50]), "P75": (years, quantiles[75]),
                       "P95": (years, quantiles[95])}
        if deterministic is not None and len(deterministic.years) == len(years):
            line = np.asarray(deterministic.connected_share, float) * 100
            self.deterministic.setData(x, line, connect="finite")
            self.series[tr("Deterministic")] = (years, line)
        else:
            self.deterministic.setData([], [])
        self.set_years(years)
        self.setYRange(-5.0, 106.0, padding=0)

    def _on_click(self, event: Any) -> None:
        pass


def _alpha(colour: QColor, alpha: int) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


class TornadoChart(Chart):
    """The NPV with each input at −20 % and +20 %, the largest swings at the top, around
    the deterministic NPV."""

    def __init__(self, unit: str, parent: QWidget | None = None):
        super().__init__(tr("Tornado: the NPV with one input at −20% and +20%"), "", parent)
        self.key = "risk_tornado"
        item = self.getPlotItem()
        item.setLabel("bottom", unit)
        item.showGrid(x=True, y=False, alpha=0.15)
        item.vb.invertY(True)  # the largest swing at the top
        shape: dict[str, Any] = {"x0": [], "y": [], "width": [], "height": 0.38}
        self.low = pg.BarGraphItem(**shape, brush=palette.ORANGE, pen=pg.mkPen(None),
                                   name=tr("Input −20%"))
        self.high = pg.BarGraphItem(**shape, brush=palette.SKY_BLUE, pen=pg.mkPen(None),
                                    name=tr("Input +20%"))
        self.addItem(self.low)
        self.addItem(self.high)
        self.base = pg.InfiniteLine(angle=90, pen=pg.mkPen(palette.INK, width=1.5),
                                    label="", labelOpts={
                                        "position": 0.02, "anchors": [(0, 1), (0, 1)],
                                        "color": palette.INK})
        self.addItem(self.base)
        self.rows: list[Any] = []
        self.names: list[str] = []
        self.total = 0

    def show_tornado(self, result: Tornado, model: ChainModel) -> None:
        rows = result.rows[:TORNADO_ROWS]
        self.rows, self.total = rows, len(result.rows)
        self.names = [parameter_label(r.parameter, model) for r in rows]
        y = np.arange(len(rows), dtype=float)
        base = result.npv
        low = np.array([r.npv_low for r in rows], float)
        high = np.array([r.npv_high for r in rows], float)
        self.low.setOpts(x0=np.minimum(low, base), y=y - 0.2, width=np.abs(low - base))
        self.high.setOpts(x0=np.minimum(high, base), y=y + 0.2, width=np.abs(high - base))
        self.base.setValue(base)
        self.base.label.setFormat(tr("NPV {0}", _fmt(base)))
        self.series = {tr("Input −20%"): (y.astype(int), low),
                       tr("Input +20%"): (y.astype(int), high)}
        self.labels = self.names
        self._name_axis()
        _title(self, tr("Tornado: the NPV with one input at −20% and +20%"))
        values = np.concatenate([low, high, [base]])
        lo, hi = float(values.min()), float(values.max())
        span = max(hi - lo, 1e-9 * max(1.0, abs(base)), 1e-6)
        self.setXRange(lo - span * 0.08, hi + span * 0.08, padding=0)
        self.setYRange(-0.8, max(0.8, len(rows) - 0.2), padding=0)

    def _name_axis(self) -> None:
        """The inputs' names down the left, as wide as the longest (at most 45 % of the
        chart; longer ones end in "…", the read-out gives them whole)."""
        from PySide6.QtGui import QFontMetrics

        axis = self.getPlotItem().getAxis("left")
        metrics = QFontMetrics(axis.style.get("tickFont") or self.font())
        room = max(80, int(self.width() * 0.45))
        shown = [metrics.elidedText(n, Qt.TextElideMode.ElideRight, room) for n in self.names]
        axis.setTicks([list(enumerate(shown))])
        axis.setWidth(max((metrics.horizontalAdvance(t) for t in shown), default=40) + 14)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.__dict__.get("names"):
            self._name_axis()

    def _key_under(self, pos: Any) -> int | None:
        item = self.getPlotItem()
        if not item.sceneBoundingRect().contains(pos):
            return None
        return round(float(item.vb.mapSceneToView(pos).y()))

    def describe(self, x: int) -> str:
        if not 0 <= x < len(self.rows):
            return ""
        row = self.rows[x]
        return "\n".join((self.names[x],
                          tr("at −20% ({0}): NPV {1}", _input(row.parameter, row.low),
                             _fmt(row.npv_low)),
                          tr("at +20% ({0}): NPV {1}", _input(row.parameter, row.high),
                             _fmt(row.npv_high)),
                          tr("SMEs' NPV {0} to {1}", _fmt(row.npv_sme_low),
                             _fmt(row.npv_sme_high))))

    def _on_click(self, event: Any) -> None:
        pass


def _input(parameter: str, value: float) -> str:
    if parameter in ("subsidy_rates",) or parameter.endswith(".benefit"):
        return f"×{value:.2f}"
    if parameter in ("discount_rate", "link_benefit_rate"):
        return f"{value * 100:.2f}%"
    return _fmt(value)


class ParticipationChart(Chart):
    """The share of the assignments that took place, by the firm's awareness class, with
    the scenario's participation rate beside it."""

    percent = True

    def __init__(self, parent: QWidget | None = None):
        super().__init__(tr("Participation by awareness"), "%", parent)
        self.key = "risk_participation"
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.55, brush=palette.BLUISH_GREEN,
                                    pen=pg.mkPen(None), name=tr("Took part (mean of the draws)"))
        self.addItem(self.bars)
        self.rates = pg.ScatterPlotItem([], [], symbol="_", size=34,
                                        pen=pg.mkPen(palette.INK, width=3),
                                        name=tr("Scenario's participation rate"))
        self.addItem(self.rates)
        self.counts: dict[str, int] = {}
        self.texts: list[pg.TextItem] = []

    def show_simulation(self, simulation: Simulation, model: ChainModel) -> None:
        by_class = simulation.participation_by_awareness
        keys = [k for k in AWARENESS_ORDER if k in by_class] + \
            [k for k in by_class if k not in AWARENESS_ORDER]
        x = np.arange(len(keys), dtype=float)
        shares = np.array([by_class[k][1] * 100 if by_class[k][0] else np.nan for k in keys])
        self.counts = {k: int(by_class[k][0]) for k in keys}
        scenario = model.scenario(simulation.scenario)
        rates = np.array([getattr(scenario, f"participation_{k}", np.nan) * 100
                          if scenario is not None and self.counts[k] else np.nan
                          for k in keys], float)
        self.bars.setOpts(x=x, height=np.nan_to_num(shares))
        self.rates.setData(x, rates)
        for text in self.texts:
            self.removeItem(text)
        self.texts = []
        for i, k in enumerate(keys):
            # the share inside its bar (above a short one), clear of the rate's mark
            share = 0.0 if np.isnan(shares[i]) else float(shares[i])
            inside = share >= 16
            text = pg.TextItem(f"{share:.0f}%" if self.counts[k] else "—",
                               color=palette.PAPER if inside else palette.INK,
                               anchor=(0.5, 0.5))
            text.setPos(x[i], share / 2 if inside else share + 6)
            self.addItem(text)
            self.texts.append(text)
        self.series = {tr("Took part (mean of the draws)"): (x.astype(int), shares),
                       tr("Scenario's participation rate"): (x.astype(int), rates)}
        self.set_categories([tr("{0} ({1})", awareness_label(k), self.counts[k]) for k in keys])
        self.setXRange(-0.7, max(0.7, len(keys) - 0.3), padding=0)
        self.setYRange(-5.0, 112.0, padding=0)

    def describe(self, x: int) -> str:
        text = super().describe(x)
        if text and self.labels and 0 <= x < len(self.labels):
            key = list(self.counts)[x]
            text += "\n" + tr("{0} assignments of firms in this class", self.counts[key])
        return text

    def _on_click(self, event: Any) -> None:
        pass


# --- the tab -------------------------------------------------------------------------------
class _Results(QWidget):
    """The simulation's charts and figures, under a pale veil while they are stale (the
    read-outs under the mouse still work through it)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.veil = QWidget(self)
        self.veil.setObjectName("risk_veil")
        self.veil.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.veil.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.veil.setStyleSheet("#risk_veil { background: rgba(255, 255, 255, 150) }")
        self.veil.hide()

    def set_stale(self, stale: bool) -> None:
        self.veil.setVisible(stale)
        self.veil.raise_()

    @property
    def stale(self) -> bool:
        return not self.veil.isHidden()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.veil.setGeometry(self.rect())


KPIS = ("npv", "npv_core", "npv_sme", "npv_park", "npv_government", "connected_share_end",
        "digitalised_share_end", "islands_end", "participation")  # the simulation's, in order


def kpi_label(key: str) -> str:
    return {"npv": tr("NPV"), "npv_core": tr("Core enterprise's NPV"),
            "npv_sme": tr("SMEs' NPV"), "npv_park": tr("Park operators' NPV"),
            "npv_government": tr("Government's NPV"),
            "connected_share_end": tr("Connected share at the end"),
            "digitalised_share_end": tr("Digitalised share at the end"),
            "islands_end": tr("Data islands at the end"),
            "participation": tr("Participation")}.get(key, key)


class RiskPanel(QScrollArea):
    """Simulation controls, what the draws give, and the tornado of the current scenario."""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.runs = RiskRuns.of(document)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.addLayout(self._controls(body))
        self.banner = QLabel(body)
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setContentsMargins(8, 6, 8, 6)
        self.banner.hide()
        column.addWidget(self.banner)
        self.results = _Results(body)
        grid = QGridLayout(self.results)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        unit = amount_unit(document)
        self.unit = unit
        self.histogram = HistogramChart(unit, self.results)
        self.fan = FanChart(self.results)
        self.participation = ParticipationChart(self.results)
        self.table = self._kpi_table(self.results)
        grid.addWidget(self.histogram, 0, 0)
        grid.addWidget(self.fan, 0, 1)
        grid.addWidget(self.participation, 1, 0)
        grid.addWidget(self.table, 1, 1)
        column.addWidget(self.results)
        self.tornado_note = QLabel(body)
        self.tornado_note.setWordWrap(True)
        self.tornado_note.setStyleSheet(f"color: {palette.MUTED_INK.name()}")
        column.addWidget(self.tornado_note)
        self.tornado = TornadoChart(unit, body)
        self.tornado.setMinimumHeight(360)
        column.addWidget(self.tornado)
        column.addStretch(1)
        self.setWidget(body)
        self.runs.changed.connect(self.refresh)
        self.runs.progress.connect(self._on_progress)
        self.runs.tornado_changed.connect(self.refresh_tornado)
        document.analysed.connect(self._on_analysed)
        document.scenario_changed.connect(self._show_scenario)
        self._show_scenario()
        self.refresh()
        self.refresh_tornado()

    def _controls(self, parent: QWidget) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.scenario_label = QLabel(parent)
        self.draws = QSpinBox(parent)
        self.draws.setRange(10, MAX_DRAWS)
        self.draws.setSingleStep(100)
        self.draws.setGroupSeparatorShown(True)
        self.draws.setValue(DEFAULT_DRAWS)
        self.draws.setToolTip(tr("How many times the scenario is played out"))
        self.seed = QSpinBox(parent)
        self.seed.setRange(0, 2_147_483_647)
        self.seed.setToolTip(tr("The same seed gives the same result"))
        self.run_button = QPushButton(tr("Run simulation"), parent)
        self.run_button.setToolTip(tr("Play the scenario out many times: who takes part "
                                      "and how large each benefit turns out"))
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(tr("Cancel"), parent)
        self.cancel_button.clicked.connect(self.runs.cancel)
        self.progress = QProgressBar(parent)
        self.progress.setMinimumWidth(160)
        self.progress.setTextVisible(True)
        self.status = QLabel(parent)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar.addWidget(self.scenario_label)
        bar.addSpacing(12)
        bar.addWidget(QLabel(tr("Draws"), parent))
        bar.addWidget(self.draws)
        bar.addWidget(QLabel(tr("Seed"), parent))
        bar.addWidget(self.seed)
        bar.addWidget(self.run_button)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.progress)
        bar.addWidget(self.status, 1)
        return bar

    def _kpi_table(self, parent: QWidget) -> QTableWidget:
        table = QTableWidget(len(KPIS), 5, parent)
        table.setHorizontalHeaderLabels([tr("Figure"), "P5", "P50", "P95", tr("Mean")])
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(22)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.setMinimumHeight(250)
        return table

    # --- running ----------------------------------------------------------------------------
    def run(self) -> None:
        self.runs.run(self.draws.value(), self.seed.value())

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(tr("{0} of {1} draws", f"{done:,}", f"{total:,}"))

    def _on_analysed(self) -> None:
        if self.isVisible():
            self.runs.update_tornado()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.runs.update_tornado()

    def hideEvent(self, event: Any) -> None:
        super().hideEvent(event)
        # nobody sees it: at 100,000 firms its evaluations held the GIL through the edits
        self.runs.stop_tornado()

    def _show_scenario(self) -> None:
        name = self.document.scenario
        self.scenario_label.setText(tr("Scenario: {0}", name) if name
                                    else tr("No scenario"))
        self.refresh()
        self.refresh_tornado()
        if self.isVisible():
            self.runs.update_tornado()

    # --- showing -----------------------------------------------------------------------------
    @property
    def result_current(self) -> bool:
        """A result is shown, and it is of the model and scenario as they are now."""
        return self.runs.current is not None and not self.results.isHidden()

    def refresh(self) -> None:
        runs = self.runs
        running = runs.running
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.draws.setEnabled(not running)
        self.seed.setEnabled(not running)
        self.progress.setVisible(running)
        if running:
            self._on_progress(runs.done, runs.draws)
            self.status.setText(tr("Simulating…"))
        elif runs.cancelled:
            self.status.setText(tr("Cancelled: no new result."))
        elif runs.failure:
            self.status.setText("")
        else:
            self.status.setText("")
        result = runs.result
        message, warn = "", False
        if runs.failure:
            message, warn = runs.failure, True
        elif result is not None and runs.stale:
            warn = True
            if result.simulation.scenario != self.document.scenario:
                message = tr("Results are for scenario “{0}”, not the current one — Run again.",
                             result.simulation.scenario)
            else:
                message = tr("Results are for the model before your last change — Run again.")
        elif result is None:
            message = tr("Run the simulation to see how sure the numbers are: each draw "
                         "decides which SMEs take part (by their awareness) and how large "
                         "each project's benefit turns out (within its range).")
        self.banner.setText(message)
        self.banner.setVisible(bool(message))
        self.banner.setStyleSheet(
            "background: #FFF4CE; color: #5C4400; border: 1px solid #E0C060; border-radius: 3px"
            if warn else f"color: {palette.MUTED_INK.name()}")
        self.results.setVisible(result is not None)
        self.results.set_stale(runs.stale)
        if result is not None and getattr(self, "_shown", None) is not result:
            self._shown = result
            self._draw(result)

    def _follow_unit(self) -> None:
        """The amount unit of the model now (another file may have another)."""
        self.unit = amount_unit(self.document)
        self.histogram.getPlotItem().setLabel("bottom", self.unit)
        self.tornado.getPlotItem().setLabel("bottom", self.unit)

    def _draw(self, result: RiskResult) -> None:
        self._follow_unit()
        simulation = result.simulation
        self.histogram.show_simulation(simulation)
        self.fan.show_simulation(simulation, result.deterministic)
        self.participation.show_simulation(simulation, result.model)
        for row, key in enumerate(KPIS):
            stats = simulation.stats(key)
            percent = key in ("connected_share_end", "digitalised_share_end", "participation")
            cells = [kpi_label(key)]
            for name in ("p5", "p50", "p95", "mean"):
                value = stats.get(name)
                if value is None or not math.isfinite(value):
                    cells.append("—")
                elif percent:
                    cells.append(f"{value * 100:.1f}%")
                elif key == "islands_end":
                    cells.append(f"{value:,.1f}")
                else:
                    cells.append(_fmt(value))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.setToolTip(tr("Amounts in {0}; P(NPV < 0) = {1}", self.unit,
                                 f"{simulation.prob_npv_negative * 100:.1f}%"))

    def refresh_tornado(self) -> None:
        runs = self.runs
        known = runs.tornado
        self.tornado.setVisible(known is not None)
        if known is None:
            self.tornado_note.setText(tr("The tornado appears here once the model has no "
                                         "errors and a scenario."))
            return
        if getattr(self, "_tornado_shown", None) is not known:
            self._tornado_shown = known
            self._follow_unit()
            self.tornado.show_tornado(known.tornado, known.model)
        if runs.tornado_stale:
            why = unavailable(self.document.analysis)
            self.tornado_note.setText(
                tr("Tornado of the model before your last change: {0}", why) if why
                else tr("Tornado of the model before your last change: updating…"))
        else:
            note = tr("Each input moved by 20% down and up with the others unchanged, exact; "
                      "amounts in {0}.", self.unit)
            if self.tornado.total > len(self.tornado.rows):
                note += " " + tr("The {0} largest of {1} inputs are shown.",
                                 len(self.tornado.rows), self.tornado.total)
            self.tornado_note.setText(note)
        self.tornado.setEnabled(not runs.tornado_stale)


__all__ = ["RiskPanel", "RiskRuns"]
