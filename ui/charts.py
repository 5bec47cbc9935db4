"""The charts of the current scenario (pyqtgraph), drawn from the engine's result.

Each chart keeps the arrays it plotted in ``series`` (name -> (x, y)) so a test
can read back exactly what is shown. Charts update with ``setData``/``setOpts``
on every evaluation and year change; nothing is re-created. Colours come from
``ui.palette`` so the charts and the canvas speak the same language.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.engine import ScenarioResult
from planner.report import group_label as plain_group_label
from ui import palette
from ui.analysis import unavailable
from ui.document import Document
from ui.i18n import language, tr
from ui.worker import IdleCall

PARTY_LABELS = {"core": "Core enterprise", "sme": "SMEs", "park": "Park operators",
                "government": "Government"}
# the park operators' colour (orange: the canvas's parks are bands, not a hue of their own)
PARTY_COLOURS = {**palette.PARTY_COLOURS, "park": palette.PARTY_COLOURS.get("park",
                                                                          palette.ORANGE)}
# the government's outlay by instrument (``ScenarioResult.public_money``), in stacking order
INSTRUMENT_LABELS = {"capex_subsidy": "Capex grants", "opex_subsidy": "Running-cost subsidy",
                     "interest_subsidy": "Interest subsidy", "tax_relief": "Tax relief",
                     "park_projects": "Park projects"}
PERCENT_RANGE = (-5.0, 106.0)  # 0–100 % with room for the labels of the end ticks
COVERAGE_SERIES = (("connected_share", "Connected share"), ("digitalised_share",
                                                            "Digitalised share"),
                   ("link_coverage", "Link coverage"), ("spend_coverage", "Spend coverage"))


def amount_unit(document: Document) -> str:
    return amount_unit_of(document.model.settings)


def _brush(colour: QColor, alpha: int = 255) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


class Chart(pg.PlotWidget):
    """A titled plot with its legend in a row below it (never over the data) and a
    read-out of the values under the mouse (never exported)."""

    year_clicked = Signal(int)  # the user clicked the bars of a year

    percent = False  # the values are shares in percent: ticks say "%", no amount unit
    count = False  # the values are counts: whole-number ticks only

    def __init__(self, title: str, y_label: str, parent: QWidget | None = None):
        super().__init__(parent, background="w")
        self.key = ""
        self.series: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.setMinimumHeight(250)
        item = self.getPlotItem()
        item.setTitle(f"<span style='font-size:11pt; font-weight:600'>{title}</span>")
        item.setLabel("left", y_label)
        item.showGrid(y=True, alpha=0.15)
        item.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        item.vb.disableAutoRange()  # ranges are set from the data (and NaN shares are fine)
        self.legend_size = "8pt"
        self.legend: pg.LegendItem | None = None
        self._new_legend([])
        self.readout = pg.TextItem(color=palette.INK, anchor=(0, 0),
                                   fill=pg.mkBrush(255, 255, 255, 230),
                                   border=pg.mkPen(palette.MUTED_INK))
        self.readout.setZValue(100)
        self.readout.hide()
        item.addItem(self.readout, ignoreBounds=True)
        self.scene().sigMouseMoved.connect(self._on_hover)
        self.scene().sigMouseClicked.connect(self._on_click)
        self.labels: list[str] = []  # category names when the x axis is categorical
        if self.percent:
            self.set_percent_axis("left")

    # --- the legend, below the plot ------------------------------------------------------------
    def _new_legend(self, entries: list[tuple[Any, str]]) -> None:
        """A legend in a row of its own under the plot, holding ``entries`` (item, name);
        items added to the plot with a name join it."""
        item = self.getPlotItem()
        old = self.legend
        if isinstance(old, pg.LegendItem):
            item.layout.removeItem(old)
            old.setParentItem(None)
            if old.scene() is not None:
                old.scene().removeItem(old)
        self.legend = pg.LegendItem(labelTextSize=self.legend_size,
                                    colCount=max(1, len(entries)), frame=False, horSpacing=16)
        item.layout.addItem(self.legend, 4, 1)
        item.layout.setAlignment(self.legend, Qt.AlignmentFlag.AlignHCenter)
        item.legend = self.legend
        for sample, name in entries:
            self.legend.addItem(sample, name)
        self.fit_legend()

    def legend_entries(self) -> list[tuple[Any, str]]:
        legend = self.legend
        return [(sample.item, label.text) for sample, label in legend.items] if legend else []

    def set_legend_size(self, size: str) -> None:
        """Legend text size, e.g. '15pt' (slides, report)."""
        self.legend_size = size
        self._new_legend(self.legend_entries())

    def fit_legend(self) -> None:
        """As many legend columns as the chart's width holds (a wider legend would widen
        the plot beyond the widget and clip it)."""
        legend = self.__dict__.get("legend")  # resizeEvent comes during construction too
        items = legend.items if isinstance(legend, pg.LegendItem) else []
        if not items:
            return
        spacing = 16
        widths = [sample.width() + label.minimumWidth() + 2 * spacing for sample, label in items]
        room = max(100.0, self.width() - 80.0)  # less the left axis
        columns = len(items)
        while columns > 1 and max(sum(widths[i:i + columns])
                                  for i in range(0, len(items), columns)) > room:
            columns -= 1
        if columns != legend.columnCount:
            legend.setColumnCount(columns)
            super().resizeEvent(None)  # lay the plot out again, with the legend's new size

    def resizeEvent(self, event: Any) -> None:
        self.fit_legend()
        super().resizeEvent(event)

    # --- axes ----------------------------------------------------------------------------------
    def set_percent_axis(self, side: str) -> None:
        """0–100 % with a tick every 25 and a little room, on the ``side`` axis."""
        self.getPlotItem().getAxis(side).setTicks([[(v, f"{v}%") for v in range(0, 101, 25)]])

    def set_years(self, years: np.ndarray) -> None:
        """A year axis: one tick per year, the whole horizon in view."""
        self.getPlotItem().getAxis("bottom").setTicks([[(int(y), str(int(y))) for y in years]])
        if len(years):
            self.setXRange(float(years[0]) - 0.6, float(years[-1]) + 0.6, padding=0)

    def set_categories(self, labels: list[str]) -> None:
        self.labels = labels
        self.getPlotItem().getAxis("bottom").setTicks([list(enumerate(labels))])

    def fit_y(self, *arrays: np.ndarray, floor: float | None = None,
              headroom: float = 0.08) -> None:
        """Show every value with a little room above; counts get whole-number ticks."""
        values = np.concatenate([np.asarray(a, float).ravel() for a in arrays]) if arrays \
            else np.zeros(1)
        values = values[np.isfinite(values)]
        low = min(0.0, float(values.min())) if values.size else 0.0
        high = max(1.0, float(values.max())) if values.size else 1.0
        if floor is not None:
            low = floor
        axis = self.getPlotItem().getAxis("left")
        if self.count:
            step = whole_step(high - low)
            high = math.ceil(high / step) * step
            axis.setTickSpacing(step, step)
        span = high - low
        # a little room below as well: the lowest tick's label is drawn whole
        self.setYRange(low - span * (0.06 if low < 0 else 0.04), high + span * headroom,
                       padding=0)

    # --- read-out ------------------------------------------------------------------------------
    def _key_under(self, pos: Any) -> int | None:
        """The year or category index under the scene position ``pos``."""
        item = self.getPlotItem()
        if not item.sceneBoundingRect().contains(pos):
            return None
        return round(float(item.vb.mapSceneToView(pos).x()))

    def _on_hover(self, pos: Any) -> None:
        key = self._key_under(pos)
        text = self.describe(key) if key is not None else ""
        if not text:
            self.readout.hide()
            return
        self.readout.setText(text)
        view = self.getPlotItem().vb.mapSceneToView(pos)
        self.readout.setPos(view.x(), view.y())
        self.readout.show()

    def leaveEvent(self, event: Any) -> None:
        self.readout.hide()  # the read-out follows the pointer only while it is here
        super().leaveEvent(event)

    def _on_click(self, event: Any) -> None:
        key = self._key_under(event.scenePos())
        if key is not None and not self.labels:
            self.year_clicked.emit(key)

    def describe(self, x: int) -> str:
        """Exact values at x (a year, or a category index), one line per series."""
        lines = []
        for name, (xs, ys) in self.series.items():
            hits = np.flatnonzero(xs == x)
            if hits.size:
                value = ys[hits[0]]
                lines.append(f"{name}: {self.format(value)}")
        if not lines:
            return ""
        head = self.labels[x] if self.labels and 0 <= x < len(self.labels) else str(x)
        return head + "\n" + "\n".join(lines)

    def format(self, value: float) -> str:
        if np.isnan(value):
            return "—"
        if self.percent:
            return f"{value:.1f}%"
        if self.count:
            return str(int(value))
        return f"{value:,.1f}"


def whole_step(span: float, ticks: int = 5) -> int:
    """A tick step of whole numbers (1, 2, 5, 10, 20, 50 …) giving about ``ticks`` ticks."""
    raw = max(1.0, span / ticks)
    magnitude = 10 ** math.floor(math.log10(raw))
    return int(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw))


class CostBenefitChart(Chart):
    """Yearly cost and benefit bars, the cumulative net line and the payback year."""

    def __init__(self, unit: str, parent: QWidget | None = None):
        super().__init__(tr("Cost and benefit by year"), unit, parent)
        self.key = "cost_benefit"
        self.cost = pg.BarGraphItem(x=[], height=[], width=0.38, brush=palette.VERMILLION,
                                    pen=pg.mkPen(None), name=tr("Cost"))
        self.benefit = pg.BarGraphItem(x=[], height=[], width=0.38, brush=palette.BLUE,
                                       pen=pg.mkPen(None), name=tr("Benefit"))
        self.cumulative = pg.PlotDataItem([], [], pen=pg.mkPen(palette.INK, width=2),
                                          symbol="o", symbolSize=6,
                                          symbolBrush=palette.INK, name=tr("Cumulative net"))
        # the payback label hangs from the top, in the headroom above every bar
        self.payback = pg.InfiniteLine(angle=90, pen=pg.mkPen(palette.BLUISH_GREEN, width=2,
                                                              style=Qt.PenStyle.DashLine),
                                       label="", labelOpts={"position": 0.99,
                                                            "anchors": [(0.5, 0), (0.5, 0)],
                                                            "fill": pg.mkBrush(255, 255, 255, 230),
                                                            "color": palette.BLUISH_GREEN})
        for item in (self.cost, self.benefit, self.cumulative):
            self.addItem(item)
        self.addItem(self.payback)
        self.getPlotItem().addLine(y=0, pen=pg.mkPen(palette.MUTED_INK, width=1))

    def update_result(self, result: ScenarioResult, year: int) -> None:
        years = result.years.astype(float)
        self.cost.setOpts(x=years - 0.2, height=result.cost)
        self.benefit.setOpts(x=years + 0.2, height=result.benefit)
        self.cumulative.setData(years, result.cumulative)
        self.series = {tr("Cost"): (result.years, result.cost),
                       tr("Benefit"): (result.years, result.benefit),
                       tr("Cumulative net"): (result.years, result.cumulative)}
        payback = result.payback_year
        self.payback.setVisible(payback is not None)
        if payback is not None:
            self.payback.setValue(payback)
            self.payback.label.setFormat(tr("Payback {0}", payback))
        self.set_years(result.years)
        # room above the highest bar for the payback label
        self.fit_y(result.cost, result.benefit, result.cumulative,
                   headroom=0.2 if payback is not None else 0.08)


class PartyCostChart(Chart):
    """Who pays: core, SMEs, park operators and government stacked per year (a party's
    negative cost — a deferred subsidy arriving — stacks below zero)."""

    def __init__(self, unit: str, parent: QWidget | None = None):
        super().__init__(tr("Cost by party"), unit, parent)
        self.key = "party_cost"
        self.bars = {}
        for party in tuple(PARTY_LABELS):
            bar = pg.BarGraphItem(x=[], height=[], width=0.6, brush=PARTY_COLOURS[party],
                                  pen=pg.mkPen("w", width=0.5), name=tr(PARTY_LABELS[party]))
            self.addItem(bar)
            self.bars[party] = bar

        self.shows_park = True

    def show_park(self, shown: bool) -> None:
        """The park operators' bars and legend entry only when the scenario has park
        projects (or they pay something)."""
        if shown == self.shows_park:
            return
        self.shows_park = shown
        self.bars["park"].setVisible(shown)
        self._new_legend([(bar, tr(PARTY_LABELS[party])) for party, bar in self.bars.items()
                          if shown or party != "park"])

    def update_result(self, result: ScenarioResult, year: int) -> None:
        park_trace = getattr(result, "park_trace", None)
        self.show_park(bool(park_trace is not None and len(park_trace.rows))
                       or bool(np.any(result.party_cost.get("park", 0.0) != 0)))
        above = np.zeros(len(result.years))
        below = np.zeros(len(result.years))
        self.series = {}
        for party, bar in self.bars.items():
            values = np.asarray(result.party_cost[party], float)
            bar.setOpts(x=result.years.astype(float),
                        y0=np.where(values >= 0, above, below), height=values)
            if party != "park" or self.shows_park:
                self.series[tr(PARTY_LABELS[party])] = (result.years, values)
            above = above + np.maximum(values, 0.0)
            below = below + np.minimum(values, 0.0)
        self.set_years(result.years)
        self.fit_y(above, below)


class PublicMoneyChart(Chart):
    """The government's outlay per year by instrument, stacked: capex grants, running-cost
    subsidy, interest subsidy, tax relief and its share of park projects."""

    def __init__(self, unit: str, parent: QWidget | None = None):
        super().__init__(tr("Public money by instrument"), unit, parent)
        self.key = "public_money"
        self.bars = {}
        for i, (key, label) in enumerate(INSTRUMENT_LABELS.items()):
            bar = pg.BarGraphItem(x=[], height=[], width=0.6, brush=palette.series_colour(i),
                                  pen=pg.mkPen("w", width=0.5), name=tr(label))
            self.addItem(bar)
            self.bars[key] = bar

    def update_result(self, result: ScenarioResult, year: int) -> None:
        money = result.public_money()
        base = np.zeros(len(result.years))
        self.series = {}
        for key, bar in self.bars.items():
            values = np.asarray(money[key], float)
            bar.setOpts(x=result.years.astype(float), y0=base.copy(), height=values)
            self.series[tr(INSTRUMENT_LABELS[key])] = (result.years, values)
            base = base + values
        self.series[tr("Total")] = (result.years, base)
        self.set_years(result.years)
        self.fit_y(base)


class PublicMoneyTable(QTableWidget):
    """The government's outlay over the horizon by instrument and in total, what it costs
    per SME reaching the target level and per newly data-connected link, and when the SMEs'
    own projects pay back (``planner.compare.policy_figures``)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 2, parent)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verticalHeader().hide()
        self.horizontalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setWordWrap(False)
        self._shown: ScenarioResult | None = None
        self.setAlternatingRowColors(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizeAdjustPolicy(QTableWidget.SizeAdjustPolicy.AdjustToContents)
        self.rows: list[tuple[str, str]] = []  # (label, value) as shown

    def update_result(self, result: ScenarioResult) -> None:
        from planner.compare import policy_figures

        if result is self._shown:
            return  # the same figures in every year
        self._shown = result
        figures = policy_figures(result)
        rows = [(tr(label), _amount(figures.public_money.get(key, 0.0)))
                for key, label in INSTRUMENT_LABELS.items()]
        rows.append((tr("Public money, total"), _amount(figures.government_total)))
        level = result.scenario.target_level
        rows.append((tr("Per SME reaching level {0} ({1} SMEs)", level, figures.smes_reached),
                     _amount(figures.per_sme_reached) if figures.per_sme_reached is not None
                     else tr("none reached")))
        rows.append((tr("Per newly data-connected link ({0} links)", figures.links_connected),
                     _amount(figures.per_link) if figures.per_link is not None
                     else tr("none connected")))
        if figures.smes_in_plan:
            paying = sum(y is not None for y in figures.sme_payback)
            rows.append((tr("SMEs' own payback, median ({0} SMEs with projects)",
                            figures.smes_in_plan),
                         str(figures.median_payback) if figures.median_payback is not None
                         else tr("not within the horizon")))
            rows.append((tr("SMEs paying back within the horizon"),
                         f"{(figures.paying_back_share or 0.0) * 100:.0f}% "
                         + tr("({0} of {1})", paying, figures.smes_in_plan)))
        else:
            rows.append((tr("SMEs' own payback, median"), tr("no SME projects")))
        self.rows = rows
        self.setRowCount(len(rows))
        total_row = len(INSTRUMENT_LABELS)
        for r, (label, value) in enumerate(rows):
            for c, text in enumerate((label, value)):
                item = QTableWidgetItem(text)
                if c == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if r == total_row:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.setItem(r, c, item)
        self.resizeRowsToContents()
        # every row in view: the table is as tall as its rows, the panel scrolls instead
        self.setMinimumHeight(sum(self.rowHeight(r) for r in range(len(rows)))
                              + 2 * self.frameWidth())

    def value(self, label_start: str) -> str:
        """The value shown in the row whose label starts with ``label_start`` (tests)."""
        return next(value for label, value in self.rows if label.startswith(label_start))


def _amount(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def amount_unit_of(settings: Any) -> str:
    if settings.amount_unit == "10k" and settings.currency == "CNY":
        return "万元" if language() == "zh_CN" else "10k CNY"
    return f"{settings.amount_unit} {settings.currency}".strip()


class CoverageChart(Chart):
    """Connected, digitalised, link and spend coverage over time, in percent."""

    percent = True

    def __init__(self, parent: QWidget | None = None):
        super().__init__(tr("Coverage over time"), "%", parent)
        self.key = "coverage"
        self.lines = {}
        styles = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine,
                  Qt.PenStyle.DashDotLine)  # line styles too, for grey print
        for i, (key, label) in enumerate(COVERAGE_SERIES):
            pen = pg.mkPen(palette.series_colour(i), width=2.5, style=styles[i])
            self.lines[key] = self.plot([], [], pen=pen, symbol="o", symbolSize=5,
                                        symbolBrush=palette.series_colour(i), name=tr(label))
        self.year_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(palette.GREY, width=1))
        self.addItem(self.year_line)

    def update_result(self, result: ScenarioResult, year: int) -> None:
        self.series = {}
        for key, label in COVERAGE_SERIES:
            values = getattr(result, key) * 100
            self.lines[key].setData(result.years.astype(float), values, connect="finite")
            self.series[tr(label)] = (result.years, values)
        self.year_line.setValue(year)
        self.setYRange(*PERCENT_RANGE, padding=0)
        self.set_years(result.years)


class IslandsChart(Chart):
    """How many separate data islands the chain still has, each year."""

    count = True

    def __init__(self, parent: QWidget | None = None):
        super().__init__(tr("Data islands"), tr("islands"), parent)
        self.key = "islands"
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.6, brush=palette.SKY_BLUE,
                                    pen=pg.mkPen(palette.BLUE), name=tr("Data islands"))
        self.addItem(self.bars)

    def update_result(self, result: ScenarioResult, year: int) -> None:
        self.bars.setOpts(x=result.years.astype(float), height=result.islands.astype(float))
        self.series = {tr("Data islands"): (result.years, result.islands)}
        self.fit_y(result.islands)
        self.set_years(result.years)


class GroupCoverageChart(Chart):
    """Connected and digitalised shares per group (position and tier, park, size) in a year.

    Parks have long names: their chart lays the bars across, the names down the left.
    """

    percent = True

    def __init__(self, dimension: str, title: str, parent: QWidget | None = None):
        horizontal = dimension == "park"
        super().__init__(title, "" if horizontal else "%", parent)
        self.horizontal = horizontal
        self.key = f"group_{dimension}"
        self.dimension = dimension
        shape: dict[str, Any] = {"x0": [], "y": [], "width": [], "height": 0.38} \
            if self.horizontal else {"x": [], "height": [], "width": 0.38}
        self.connected = pg.BarGraphItem(**shape, brush=palette.BLUE, pen=pg.mkPen(None),
                                         name=tr("Connected share"))
        self.digitalised = pg.BarGraphItem(**shape, brush=palette.BLUISH_GREEN,
                                           pen=pg.mkPen(None), name=tr("Digitalised share"))
        self.addItem(self.connected)
        self.addItem(self.digitalised)
        if self.horizontal:
            item = self.getPlotItem()
            item.showGrid(x=True, y=False, alpha=0.15)
            item.getAxis("left").setTicks([[]])
            self.set_percent_axis("bottom")
            item.vb.invertY(True)  # the first group at the top

    def _key_under(self, pos: Any) -> int | None:
        if not self.__dict__.get("horizontal"):
            return super()._key_under(pos)
        item = self.getPlotItem()
        if not item.sceneBoundingRect().contains(pos):
            return None
        return round(float(item.vb.mapSceneToView(pos).y()))

    def update_result(self, result: ScenarioResult, year: int) -> None:
        column = int(np.clip(year - result.years[0], 0, len(result.years) - 1))
        groups = result.by_group.get(self.dimension, {})
        labels = [group_label(self.dimension, g) for g in groups]
        x = np.arange(len(groups), dtype=float)
        connected = np.array([m["connected_share"][column] for m in groups.values()]) * 100
        digitalised = np.array([m["digitalised_share"][column] for m in groups.values()]) * 100
        self.series = {tr("Connected share"): (x.astype(int), connected),
                       tr("Digitalised share"): (x.astype(int), digitalised)}
        self.getPlotItem().setTitle(
            f"<span style='font-size:11pt; font-weight:600'>{self._title()} · {year}</span>")
        if self.horizontal:
            self.connected.setOpts(x0=np.zeros(len(x)), y=x - 0.2, width=np.nan_to_num(connected))
            self.digitalised.setOpts(x0=np.zeros(len(x)), y=x + 0.2,
                                     width=np.nan_to_num(digitalised))
            self.labels = labels
            self._name_axis(labels)
            self.setYRange(-0.7, max(0.7, len(groups) - 0.3), padding=0)
            self.setXRange(0, PERCENT_RANGE[1] + 3, padding=0)
            return
        self.connected.setOpts(x=x - 0.2, height=np.nan_to_num(connected))
        self.digitalised.setOpts(x=x + 0.2, height=np.nan_to_num(digitalised))
        self.set_categories(labels)
        self.setXRange(-0.7, max(0.7, len(groups) - 0.3), padding=0)
        self.setYRange(*PERCENT_RANGE, padding=0)

    def _name_axis(self, labels: list[str]) -> None:
        """The group names down the left axis, as wide as the longest (at most 40 % of the
        chart; longer names end in "…", the read-out gives them whole)."""
        from PySide6.QtGui import QFontMetrics

        axis = self.getPlotItem().getAxis("left")
        metrics = QFontMetrics(axis.style.get("tickFont") or self.font())
        room = max(80, int(self.width() * 0.4))
        shown = [metrics.elidedText(name, Qt.TextElideMode.ElideRight, room) for name in labels]
        axis.setTicks([list(enumerate(shown))])
        axis.setWidth(max((metrics.horizontalAdvance(t) for t in shown), default=40) + 14)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.__dict__.get("horizontal") and self.labels:
            self._name_axis(self.labels)

    def _title(self) -> str:
        return {"position_tier": tr("Coverage by position and tier"),
                "park": tr("Coverage by park"), "size": tr("Coverage by size")}[self.dimension]


def group_label(dimension: str, group: str) -> str:
    """A group's name on a chart, in the interface language (``planner.report``)."""
    return plain_group_label(dimension, group, language())


class MaturityChart(Chart):
    """How many SMEs are at each digital level at the start and at the end of the horizon."""

    count = True

    def __init__(self, parent: QWidget | None = None):
        super().__init__(tr("Digital level: start and end"), tr("enterprises"), parent)
        self.key = "maturity"
        self.start = pg.BarGraphItem(x=[], height=[], width=0.38, brush=palette.GREY,
                                     pen=pg.mkPen(None), name=tr("Start"))
        self.end = pg.BarGraphItem(x=[], height=[], width=0.38, brush=palette.BLUE,
                                   pen=pg.mkPen(None), name=tr("End"))
        self.addItem(self.start)
        self.addItem(self.end)

    def update_result(self, result: ScenarioResult, year: int) -> None:
        levels = result.maturity
        mask = np.ones(levels.shape[0], bool)
        if result.chain.core >= 0:
            mask[result.chain.core] = False  # the SMEs' levels
        start = np.bincount(levels[mask, 0], minlength=5)[1:5].astype(float)
        end = np.bincount(levels[mask, -1], minlength=5)[1:5].astype(float)
        x = np.arange(4, dtype=float)
        self.start.setOpts(x=x - 0.2, height=start)
        self.end.setOpts(x=x + 0.2, height=end)
        self.series = {tr("Start") + f" {int(result.years[0])}": (x.astype(int), start),
                       tr("End") + f" {int(result.years[-1])}": (x.astype(int), end)}
        self.set_categories([tr("Level {0}", level) for level in range(1, 5)])
        self.setXRange(-0.7, 3.7, padding=0)
        self.fit_y(start, end)


class ChartsPanel(QScrollArea):
    """All charts of the current scenario, two to a row, redrawn from each published analysis.

    When there are no figures (the model has errors, or no scenario) the charts are
    hidden and a message says why: never the figures of an older model.
    """

    year_clicked = Signal(int)  # a year's cost bars were clicked

    def __init__(self, document: Document, parent: QWidget | None = None, eager: bool = False):
        """``eager``: draw each analysis and year even while hidden (a presentation shows
        the charts one by one outside the panel)."""
        super().__init__(parent)
        self.document = document
        self._eager = eager
        self.setWidgetResizable(True)
        body = QWidget(self)
        column = QVBoxLayout(body)
        self.message = QLabel(body)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.message.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.message.setFont(font)
        self.message.setMinimumHeight(160)
        self.message.hide()
        column.addWidget(self.message)
        self.grid_box = QWidget(body)
        column.addWidget(self.grid_box, 1)
        grid = QGridLayout(self.grid_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        body = self.grid_box
        unit = amount_unit(document)
        self.charts: list[Chart] = [
            CostBenefitChart(unit, body), PartyCostChart(unit, body), CoverageChart(body),
            IslandsChart(body),
            GroupCoverageChart("position_tier", tr("Coverage by position and tier"), body),
            MaturityChart(body),
            GroupCoverageChart("park", tr("Coverage by park"), body),
            GroupCoverageChart("size", tr("Coverage by size"), body),
            PublicMoneyChart(unit, body),
        ]
        for i, chart in enumerate(self.charts):
            grid.addWidget(chart, i // 2, i % 2)
        # the public money figures beside their chart
        self.public_box = QWidget(body)
        box = QVBoxLayout(self.public_box)
        box.setContentsMargins(0, 0, 0, 0)
        self.public_title = QLabel(tr("Public money over the horizon ({0})", unit), body)
        font = self.public_title.font()
        font.setBold(True)
        self.public_title.setFont(font)
        self.public_table = PublicMoneyTable(body)
        box.addWidget(self.public_title)
        box.addWidget(self.public_table, 1)
        grid.addWidget(self.public_box, len(self.charts) // 2, len(self.charts) % 2)
        self.charts[0].year_clicked.connect(self.year_clicked)
        self.setWidget(column.parentWidget())
        self._stale = False
        self._prepare = IdleCall(self._catch_up, self)
        document.analysed.connect(self.refresh)
        document.year_changed.connect(self.refresh)
        self.refresh()

    def showEvent(self, event: Any) -> None:  # Qt override
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def chart(self, key: str) -> Chart:
        return next(c for c in self.charts if c.key == key)

    @property
    def showing_message(self) -> bool:
        return not self.message.isHidden()

    def refresh(self) -> None:
        """Draw the latest analysis at the document's year; while the panel is hidden in a
        shown window (another tab), only remember to, and draw once the planner pauses:
        nine charts of 100,000 firms took 0.2 s of every year-slider step and every edit on
        the Chain tab, and 60 ms of the tab's first show."""
        if not self._eager and self.window().isVisible() and not self.isVisible():
            self._stale = True
            self._prepare.ask()
            return
        self._draw()

    def _catch_up(self) -> None:
        if self._stale:
            self._draw()

    def _draw(self) -> None:
        self._stale = False
        analysis = self.document.analysis
        result = analysis.result
        why = unavailable(analysis)
        if why or result is None:
            if analysis.revision == self.document.revision or why:
                # nothing to show for this model: say why, and show no older figures
                self.message.setText(why or tr("Choose a scenario to see its charts."))
                self.message.show()
                self.grid_box.hide()
            return
        self.message.hide()
        self.grid_box.show()
        year = self.document.year or int(result.years[-1])
        for chart in self.charts:
            chart.update_result(result, year)
        self.public_table.update_result(result)


def set_type_sizes(chart: Chart, tick_pt: float, label_pt: float, legend_pt: str) -> None:
    """Type sizes for a chart shown large or printed: ticks, axis titles, line labels, legend."""
    from PySide6.QtGui import QFont

    item = chart.getPlotItem()
    ticks = QFont(chart.font())
    ticks.setPointSizeF(tick_pt)
    from PySide6.QtGui import QFontMetricsF

    metrics = QFontMetricsF(ticks)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setTickFont(ticks)
        if axis.labelText:
            item.setLabel(name, axis.labelText, **{"font-size": f"{label_pt}pt"})
        # the axes keep their default room otherwise, and larger tick labels get dropped
        title = 2.2 * label_pt if axis.labelText else 0.0
        if name == "bottom":
            axis.setHeight(int(metrics.height() * 1.6 + title))
        else:
            axis.setWidth(int(metrics.horizontalAdvance("−000,000") + title))
    for line in item.items:  # e.g. the payback year's label
        if isinstance(line, pg.InfiniteLine) and getattr(line, "label", None) is not None:
            line.label.setFont(ticks)
    chart.set_legend_size(legend_pt)
    chart.setMinimumHeight(0)


def export_chart(chart: Chart, path: str, width: int = 1200) -> None:
    """Write a chart as PNG (``width`` pixels wide) or SVG, by the file's extension; the
    read-out under the mouse is never part of it."""
    shown = chart.readout.isVisible()
    chart.readout.hide()
    try:
        _export(chart, path, width)
    finally:
        chart.readout.setVisible(shown)


def _export(chart: Chart, path: str, width: int) -> None:
    from pyqtgraph import exporters

    if path.lower().endswith(".svg"):
        # WORKAROUND: pyqtgraph 0.14's SVGExporter cannot parse the path data Qt 6.11
        # writes (ValueError in its transform rewrite); Qt's own SVG engine draws the
        # widget as vectors directly.
        from PySide6.QtCore import QRect, QSize
        from PySide6.QtGui import QPainter
        from PySide6.QtSvg import QSvgGenerator

        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(QSize(chart.width(), chart.height()))
        generator.setViewBox(QRect(0, 0, chart.width(), chart.height()))
        generator.setTitle(chart.key)
        painter = QPainter(generator)
        chart.render(painter)
        painter.end()
        return
    exporter = exporters.ImageExporter(chart.getPlotItem())
    exporter.parameters()["width"] = width
    exporter.export(path)

