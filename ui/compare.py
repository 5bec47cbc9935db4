"""Scenario comparison: every scenario's key figures side by side, and their lines overlaid.

``ComparisonView`` shows the results of every scenario from the document's published
analysis (``ui.analysis``; it evaluates nothing itself), lazily: while the view is
hidden (another tab) it only remembers that its numbers are stale.
The KPI table marks the best value of each row (bold on a pale sky-blue, which
stays readable in grey print and for colour-blind readers) and can show each
value's difference from a chosen baseline scenario instead. Two charts overlay
the scenarios' cumulative net benefit and connected share, one colour, line
style and marker per scenario.

Below the key figures come the policy figures (``planner.compare.policy_kpis``):
public money in total, discounted and by instrument, per SME reaching the target level
and per newly connected link, the SMEs' own payback, the core's and the park operators'
cost. Every row's heading says in a tooltip what the figure is.

Last come the risk figures: each scenario's NPV at P5 and P95 and the chance of a
loss, from a short simulation (``planner.compare.RISK_DRAWS`` draws, seed 0) run in
the background once per analysed revision; until it is back those cells show "…",
never an older model's numbers.

The rows themselves are plain data (``planner.compare``), shared with the slides
and the report.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.background import giving_way
from models.chain import ChainModel
from planner.compare import (
    POLICY_KEYS,
    RISK_DRAWS,
    RISK_KEYS,
    RISK_SEED,
    ComparisonRow,
    definition,
    risk_simulations,
)
from planner.compare import comparison_rows as plain_rows
from planner.compare import format_difference as plain_difference
from planner.engine import ScenarioResult
from ui import palette
from ui.analysis import unavailable
from ui.charts import PERCENT_RANGE, Chart, amount_unit
from ui.document import Document
from ui.i18n import language, tr
from ui.worker import BackgroundRunner, IdleCall, TaskState

PENDING = "…"  # a risk figure still being simulated

# the best value of a row: Okabe–Ito sky blue, mostly white (light grey in print)
BEST_BACKGROUND = palette.mix(palette.SKY_BLUE, palette.PAPER, 0.68)
# line styles and markers tell the scenarios apart without colour (grey print)
LINE_STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine,
               Qt.PenStyle.DashDotLine, Qt.PenStyle.DashDotDotLine)
SYMBOLS = ("o", "s", "t", "d", "star", "h", "p", "x")
_CHART_WIDTH = 260  # narrower, a chart's title and legend are cut


def comparison_rows(results: list[ScenarioResult], baseline: int | str | None = 0,
                    lang: str | None = None, policy: bool = False,
                    risk: dict | None = None) -> list[ComparisonRow]:
    """``planner.compare.comparison_rows``, labelled in the interface language by default
    (with the policy rows with ``policy``, the risk rows with ``risk``)."""
    return plain_rows(results, baseline, lang or language(), policy, risk)


def _simulate_all(revision: int, model: ChainModel, results: list[ScenarioResult],
                  state: TaskState) -> tuple[int, dict] | None:
    """Every scenario's short simulation (from its evaluation, ``results``), tagged with the
    revision it is of (None when cancelled)."""
    with giving_way(state.yield_to_gui):  # the planner's clicks come first
        simulations = risk_simulations(model, [r.scenario.name for r in results], RISK_DRAWS,
                                       RISK_SEED, lambda: state.cancelled,
                                       {r.scenario.name: r for r in results})
    return None if state.cancelled else (revision, simulations)


def format_difference(kind: str, value: float | int | None) -> str:
    """A signed difference in the interface language (``planner.compare``)."""
    return plain_difference(kind, value, language())


def wrap_name(name: str, width: int = 14) -> str:
    """A scenario name broken into lines for a narrow column heading."""
    return "\n".join(textwrap.wrap(name, width, break_long_words=False)) or name


class ScenarioLinesChart(Chart):
    """One line per scenario of a yearly series (``attribute`` of the result, times ``scale``)."""

    def __init__(self, key: str, title: str, y_label: str, attribute: str, scale: float = 1.0,
                 percent: bool = False, parent: QWidget | None = None):
        super().__init__(title, y_label, parent)
        self.key = key
        self.attribute = attribute
        self.scale = scale
        self.percent = percent
        self.lines: list[pg.PlotDataItem] = []
        if percent:
            self.set_percent_axis("left")
            self.setYRange(*PERCENT_RANGE, padding=0)
        else:
            self.getPlotItem().addLine(y=0, pen=pg.mkPen(palette.MUTED_INK, width=1))

    def format(self, value: float) -> str:
        if np.isnan(value):
            return "—"
        return f"{value:.1f}%" if self.percent else f"{value:,.1f}"

    def line(self, name: str) -> pg.PlotDataItem:
        """The line of a scenario, by name."""
        names = list(self.series)
        return self.lines[names.index(name)]

    def update_results(self, results: list[ScenarioResult]) -> None:
        item = self.getPlotItem()
        while len(self.lines) > len(results):
            item.removeItem(self.lines.pop())
        while len(self.lines) < len(results):
            self.lines.append(pg.PlotDataItem([], []))
            self.addItem(self.lines[-1])
        self.series = {}
        years: set[int] = set()
        for i, (result, line) in enumerate(zip(results, self.lines, strict=True)):
            colour = palette.series_colour(i)
            values = getattr(result, self.attribute).astype(float) * self.scale
            line.setData(result.years.astype(float), values, connect="finite",
                         pen=pg.mkPen(colour, width=2.5, style=LINE_STYLES[i % len(LINE_STYLES)]),
                         symbol=SYMBOLS[i % len(SYMBOLS)], symbolSize=7, symbolBrush=colour,
                         symbolPen=pg.mkPen(colour))
            self.series[result.scenario.name] = (result.years, values)
            years.update(int(y) for y in result.years)
        names = [r.scenario.name for r in results]
        if [name for _, name in self.legend_entries()] != names:
            self._new_legend(list(zip(self.lines, names, strict=True)))
        item.getAxis("bottom").setTicks([[(y, str(y)) for y in sorted(years)]])
        if years:
            self.setXRange(min(years) - 0.3, max(years) + 0.3, padding=0)
        if self.percent:
            self.setYRange(*PERCENT_RANGE, padding=0)
        else:
            self.fit_y(*[getattr(r, self.attribute).astype(float) for r in results])


class KpiTable(QTableWidget):
    """A table as tall as its rows (no grey void below them), scrolling when space is short."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        height = (self.horizontalHeader().sizeHint().height() + self.verticalHeader().length()
                  + 2 * self.frameWidth() + 2)
        if self.horizontalScrollBar().isVisible():
            height += self.horizontalScrollBar().sizeHint().height()
        return QSize(hint.width(), height)

    def minimumSizeHint(self) -> QSize:
        return QSize(min(self.content_width(), 900), 120)

    def content_width(self) -> int:
        """Width that shows every heading and value unclipped."""
        header = self.horizontalHeader()
        columns = sum(max(header.sectionSizeHint(c), self.sizeHintForColumn(c)) + 8
                      for c in range(self.columnCount()))
        return self.verticalHeader().sizeHint().width() + columns + 2 * self.frameWidth() + 4

    def refit(self) -> None:
        self.updateGeometry()

    @contextmanager
    def filling(self) -> Iterator[None]:
        """Rows sized to their contents once, when filled (Qt measures every row again at
        each heading or tip set: 30 ms for the comparison's table)."""
        header = self.verticalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        try:
            yield
        finally:
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.refit()


class ComparisonView(QWidget):
    """Key figures of every scenario side by side, with a baseline and overlaid charts."""

    baseline_changed = Signal(str)  # the scenario differences are measured from changed
    refreshed = Signal()  # new comparison numbers are shown (or the error message)
    risk_ready = Signal()  # the risk rows of the numbers shown are filled in

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.results: list[ScenarioResult] = []
        self.rows: list[ComparisonRow] = []
        self.show_differences = False
        self._stale = True
        self._section: int | None = None  # table row of the policy figures' heading
        self._risk_section: int | None = None  # table row of the risk figures' heading
        self._risk_model: ChainModel | None = None
        self._risk_first = 0  # self.rows' first risk row
        # the simulations of the revision shown (None: on their way) and that revision
        self.risk: dict | None = None
        self._revision: int | None = None
        self._draws_stopped = False  # left unfinished when the tab was left
        self._prepare = IdleCall(self._catch_up, self)
        self._risk_runner = BackgroundRunner(self)
        self._risk_runner.finished.connect(self._on_risk)
        app = QCoreApplication.instance()
        if app is not None:  # never keep the process waiting for draws nobody will see
            app.aboutToQuit.connect(self._risk_runner.cancel)

        self.baseline = QComboBox(self)
        self.baseline.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.baseline.setToolTip(tr("Differences are measured from this scenario"))
        self.baseline.currentIndexChanged.connect(self._on_baseline_chosen)
        self.difference = QCheckBox(tr("Show difference vs baseline"), self)
        self.difference.toggled.connect(self.set_show_differences)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Baseline:"), self))
        bar.addWidget(self.baseline)
        bar.addSpacing(12)
        bar.addWidget(self.difference)
        bar.addStretch(1)

        self.table = KpiTable(self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setAlternatingRowColors(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft
                                                        | Qt.AlignmentFlag.AlignVCenter)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setMinimumSectionSize(90)
        self.table.horizontalHeader().sectionDoubleClicked.connect(self._on_header_double_clicked)
        self.table.horizontalHeader().setToolTip(tr("Double-click a scenario to make it current"))
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {palette.MUTED_INK.name()}")
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(bar)
        left_layout.addWidget(self.table)
        left_layout.addWidget(self.note)
        left_layout.addStretch(1)

        unit = amount_unit(document)
        self.cumulative_chart = ScenarioLinesChart(
            "compare_cumulative", tr("Cumulative net benefit by scenario"), unit, "cumulative")
        self.connected_chart = ScenarioLinesChart(
            "compare_connected", tr("Connected share by scenario"), "%", "connected_share",
            scale=100.0, percent=True)
        for chart in self.charts:
            chart.getPlotItem().setLabel("bottom", tr("Year"))
            chart.setMinimumHeight(270)  # never a strip: the tab scrolls instead
        right = QWidget(self)
        self.chart_layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, right)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        self.chart_layout.addWidget(self.cumulative_chart)
        self.chart_layout.addWidget(self.connected_chart)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setChildrenCollapsible(False)

        self.message = QLabel(self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        font = self.message.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.message.setFont(font)
        self.message.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.stack)

        document.analysed.connect(self.on_analysed)
        document.scenario_changed.connect(self._mark_current)

    # --- public API ------------------------------------------------------------------
    @property
    def charts(self) -> list[ScenarioLinesChart]:
        return [self.cumulative_chart, self.connected_chart]

    @property
    def showing_message(self) -> bool:
        return self.stack.currentWidget() is self.message

    def baseline_name(self) -> str | None:
        return self.baseline.currentText() or None

    def baseline_column(self) -> int | None:
        index = self.baseline.currentIndex()
        return index if 0 <= index < len(self.results) else None

    def best_cells(self) -> set[tuple[int, int]]:
        """(row, column) of the cells marked best: row in KPIS order, column = scenario."""
        return {(r, c) for r, row in enumerate(self.rows) for c in row.best}

    def cell_text(self, row: int, column: int) -> str:
        """The text shown for ``self.rows[row]`` in a scenario's column."""
        item = self.table.item(self.table_row(row), column)
        return item.text() if item else ""

    def set_baseline(self, name: str) -> None:
        index = self.baseline.findText(name)
        if index >= 0:
            self.baseline.setCurrentIndex(index)

    def set_show_differences(self, on: bool) -> None:
        if self.difference.isChecked() != on:
            self.difference.setChecked(on)  # comes back here through toggled
            return
        self.show_differences = on
        self._fill_table()

    def refresh(self, draws: bool = True) -> None:
        """Show every scenario's results from the document's latest analysis; start their
        draws, or (``draws`` False) leave them to the next show."""
        self._stale = False
        analysis = self.document.analysis
        why = unavailable(analysis)
        if why:
            self._show_message(why)
            return
        if analysis.revision != self.document.revision:
            self._stale = True  # an analysis is on its way; it comes back through analysed
            return
        fresh = analysis.revision != self._revision or analysis.model is not self._risk_model
        if fresh:
            self._revision, self._risk_model, self.risk = analysis.revision, analysis.model, None
            self._risk_runner.cancel()  # an older model's draws: nobody will see them
        self._show_results(analysis.all_results)
        if fresh and draws:  # (started after the rows are shown: its draws would slow them)
            self._start_draws()
        elif fresh:
            self._draws_stopped = True

    def _start_draws(self) -> None:
        """The simulations of the results shown, in the background."""
        self._draws_stopped = False
        self._risk_runner.run(_simulate_all, self._revision, self._risk_model,
                              list(self.results))

    @property
    def risk_pending(self) -> bool:
        """The risk rows wait for their simulations."""
        return self.risk is None

    def wait(self, msecs: int = -1) -> bool:
        """Until the background simulations are done (tests; closing)."""
        return self._risk_runner.wait(msecs)

    # --- slots -------------------------------------------------------------------------
    def on_analysed(self) -> None:
        if self.isVisible():
            self.refresh()
        else:  # shown when the planner pauses, so that the tab's first show only paints
            self._stale = True
            self._prepare.ask()

    def _catch_up(self) -> None:
        if self._stale and not self.isVisible():
            self.refresh(draws=False)  # draws nobody sees would hold the GIL

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if self._stale:
            self.refresh()
        elif self._draws_stopped:
            self._start_draws()

    def hideEvent(self, event: object) -> None:
        super().hideEvent(event)  # type: ignore[arg-type]
        if self.risk is None and self._risk_runner.busy:
            # draws nobody sees: at 100,000 firms they held the GIL through the planner's
            # edits elsewhere (a delete 1.8 s instead of 0.3); again when shown
            self._risk_runner.cancel()
            self._draws_stopped = True

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._arrange()

    def _arrange(self) -> None:
        """The charts beside the table when both fit, else under it side by side (a
        1366-pixel screen with the docks open)."""
        table = (self.table.verticalHeader().sizeHint().width()
                 + self.table.columnCount() * self.table.horizontalHeader().minimumSectionSize())
        beside = self.width() >= table + 2 * _CHART_WIDTH
        # under each other, the table shows every row and the tab scrolls to the charts
        whole = (self.table.horizontalHeader().height() + self.table.verticalHeader().length()
                 + 2 * self.table.frameWidth())
        self.table.setMinimumHeight(0 if beside else whole)
        self.splitter.setOrientation(Qt.Orientation.Horizontal if beside
                                     else Qt.Orientation.Vertical)
        self.chart_layout.setDirection(QBoxLayout.Direction.TopToBottom if beside
                                       else QBoxLayout.Direction.LeftToRight)

    def _show_results(self, results: list[ScenarioResult]) -> None:
        self.results = results
        self._fill_baselines()
        self.rows = comparison_rows(results, self.baseline_column(), policy=True,
                                    risk=self.risk or {})
        self._fill_table()
        for chart in self.charts:
            chart.update_results(results)
        self.note.setText(tr("Amounts in {0}; shares and data islands at the end of each "
                             "scenario's horizon. Bold on blue: best value in the row.",
                             amount_unit(self.document)))
        self.stack.setCurrentWidget(self.splitter)
        self.refreshed.emit()

    def _on_baseline_chosen(self, index: int) -> None:
        if not self.results:
            return
        self.rows = comparison_rows(self.results, self.baseline_column(),
                                    policy=True, risk=self.risk or {})
        self._fill_table()
        self.baseline_changed.emit(self.baseline.currentText())

    def _on_risk(self, result: tuple[int, dict] | None, error: object) -> None:
        if error is not None or result is None:
            return  # a bug shows in the Risk tab's own run; the rows keep their "…"
        revision, simulations = result
        if revision != self._revision or revision != self.document.revision:
            return  # of a model edited since: its successor's run is on its way
        self.risk = simulations
        if self.results:
            self.rows = comparison_rows(self.results, self.baseline_column(),
                                        policy=True, risk=self.risk)
            self._fill_table()
        self.risk_ready.emit()

    def _on_header_double_clicked(self, column: int) -> None:
        if 0 <= column < len(self.results):
            self.document.set_scenario(self.results[column].scenario.name)

    # --- drawing -----------------------------------------------------------------------
    def _show_message(self, text: str) -> None:
        self.results, self.rows = [], []
        self._section = self._risk_section = None
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self.refreshed.emit()

    def _fill_baselines(self) -> None:
        names = [r.scenario.name for r in self.results]
        current = self.baseline.currentText()
        self.baseline.blockSignals(True)
        self.baseline.clear()
        self.baseline.addItems(names)
        self.baseline.setCurrentIndex(names.index(current) if current in names else 0)
        self.baseline.blockSignals(False)

    def table_row(self, row: int) -> int:
        """The table's row of ``self.rows[row]`` (the policy and the risk figures each sit
        under a heading row)."""
        at = row + 1 if self._section is not None and row >= self._section else row
        return at + 1 if self._risk_section is not None and row >= self._risk_first else at

    def _fill_table(self) -> None:
        with self.table.filling():
            self._fill_cells()
        self._arrange()  # the scenarios' columns decide what fits

    def _fill_cells(self) -> None:
        table = self.table
        baseline = self.baseline_column()
        names = [r.scenario.name for r in self.results]
        lang = language()
        # the policy figures get a heading row of their own, spanning the scenarios
        self._section = next((r for r, row in enumerate(self.rows)
                              if row.kpi.key in POLICY_KEYS), None)
        self._risk_first = next((r for r, row in enumerate(self.rows)
                                 if row.kpi.key in RISK_KEYS), len(self.rows))
        self._risk_section = None
        if self._risk_first < len(self.rows):
            self._risk_section = self._risk_first + (self._section is not None)
        table.clear()
        table.clearSpans()
        table.setRowCount(len(self.rows) + (self._section is not None)
                          + (self._risk_section is not None))
        table.setColumnCount(len(names))
        headers = [wrap_name(name) + ("\n" + tr("(baseline)") if self.show_differences
                                      and c == baseline else "") for c, name in enumerate(names)]
        table.setHorizontalHeaderLabels(headers)
        bold = QFont(table.font())
        bold.setBold(True)
        labels = [""] * table.rowCount()
        for r, row in enumerate(self.rows):
            labels[self.table_row(r)] = row.label
        if self._section is not None:
            labels[self._section] = tr("Public money and firms")
        if self._risk_section is not None:
            labels[self._risk_section] = tr("How sure ({0} simulated draws, seed {1})",
                                            f"{RISK_DRAWS:,}", RISK_SEED)
        table.setVerticalHeaderLabels(labels)
        headings = {self._section: tr("What the scenario's policy costs the government, per SME "
                                      "reaching the target level and per newly connected link, "
                                      "and when the SMEs' own projects pay back"),
                    self._risk_section: tr("How far the NPV may fall or rise when not every SME "
                                           "takes part and benefits differ from the estimates: "
                                           "a short simulation per scenario (the Risk tab runs "
                                           "more draws)")}
        for at, tip in headings.items():
            if at is None:
                continue
            heading = table.verticalHeaderItem(at)
            heading.setFont(bold)
            heading.setToolTip(tip)
            if names:
                if len(names) > 1:  # Qt warns of a span of one cell
                    table.setSpan(at, 0, 1, len(names))
                filler = QTableWidgetItem("")
                filler.setFlags(Qt.ItemFlag.NoItemFlags)
                filler.setBackground(QBrush(palette.mix(palette.MUTED_INK, palette.PAPER, 0.9)))
                table.setItem(at, 0, filler)
        best_brush = QBrush(BEST_BACKGROUND)
        align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, row in enumerate(self.rows):
            at = self.table_row(r)
            meaning = definition(row.kpi.key, lang)
            if meaning:
                table.verticalHeaderItem(at).setToolTip(f"<p><b>{row.label}</b></p>"
                                                        f"<p>{meaning}</p>")
            pending = self.risk is None and row.kpi.key in RISK_KEYS
            for c in range(len(names)):
                value_text = PENDING if pending else row.text(c)
                shown = value_text if not self.show_differences or c == baseline or pending \
                    else row.difference_text(c)
                item = QTableWidgetItem(shown)
                item.setTextAlignment(align)
                item.setData(Qt.ItemDataRole.UserRole, row.values[c])
                tip = f"{names[c]} · {row.label}: {value_text}"
                if meaning:
                    tip += "\n" + meaning
                if self.show_differences and c != baseline and baseline is not None:
                    tip += "\n" + tr("vs {0}: {1}", names[baseline], row.difference_text(c))
                if c in row.best:
                    item.setFont(bold)
                    item.setBackground(best_brush)
                    item.setForeground(QBrush(palette.INK))
                    tip += "\n" + tr("Best in the row")
                item.setToolTip(tip)
                table.setItem(at, c, item)
        self._mark_current()
        table.refit()

    def _mark_current(self) -> None:
        """The document's current scenario has a bold column heading."""
        for c, result in enumerate(self.results):
            item = self.table.horizontalHeaderItem(c)
            if item is None:
                continue
            font = QFont(self.table.font())
            font.setBold(result.scenario.name == self.document.scenario)
            item.setFont(font)

