"""Presentation mode: the current scenario's charts and the scenario comparison as
full-screen slides, in large type, stepped with the keys a presenter's clicker sends.

Keys: Right, Down, PageDown, Space and Return go forward; Left, Up, PageUp and
Backspace go back; Home and End jump to the first and last slide; Esc leaves.
The slides follow the document's published analysis and year. The comparison is a
slide, not the app's view: the key figures of every scenario painted as a table
that shows every row at any screen size, then the scenarios' lines overlaid.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QKeyEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from planner.compare import ComparisonRow, comparison_rows
from ui import palette
from ui.analysis import unavailable
from ui.charts import Chart, ChartsPanel, amount_unit, set_type_sizes
from ui.compare import BEST_BACKGROUND, ScenarioLinesChart
from ui.document import Document
from ui.i18n import language, tr

NEXT_KEYS = {Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_PageDown, Qt.Key.Key_Space,
             Qt.Key.Key_Return, Qt.Key.Key_Enter}
PREVIOUS_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace}
TICK_PT = 15  # chart tick labels on a slide
LABEL_PT = 17  # chart axis titles
LEGEND_PT = "15pt"
TABLE_PT = 18.0  # the comparison table's type, as large as the slide allows


def plain_title(html: str) -> str:
    """The text of a pyqtgraph title (which is HTML)."""
    return re.sub(r"<[^>]+>", "", html).replace("&nbsp;", " ").strip()


def enlarge_chart(chart: Chart) -> None:
    """Presentation-size type on a chart: ticks, axis titles, legend."""
    set_type_sizes(chart, TICK_PT, LABEL_PT, LEGEND_PT)


class ComparisonSlide(QWidget):
    """The key figures of every scenario as a painted table: every row visible (the type
    shrinks to fit), the best value of each row bold on a shaded background."""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.names: list[str] = []
        self.rows: list[ComparisonRow] = []
        self.point_size = TABLE_PT
        document.analysed.connect(self.refresh)
        document.scenario_changed.connect(self.update)
        self.refresh()

    def refresh(self) -> None:
        analysis = self.document.analysis
        results = analysis.all_results if not unavailable(analysis) else []
        self.names = [r.scenario.name for r in results]
        self.rows = comparison_rows(results, 0, language()) if results else []
        self.update()

    def cell_text(self, row: int, column: int) -> str:
        return self.rows[row].text(column)

    def layout_table(self) -> tuple[QFont, float, float, list[float]]:
        """Font, row height, label column width and scenario column widths that fit."""
        width, height = float(self.width()), float(self.height())
        point = TABLE_PT
        while True:
            font = QFont(self.font())
            font.setPointSizeF(point)
            metrics = QFontMetricsF(font)
            row_h = metrics.height() * 1.45
            label_w = max((metrics.horizontalAdvance(r.label) for r in self.rows), default=0.0)
            label_w += metrics.height()
            columns = [max(metrics.horizontalAdvance(self._head_line(n)),
                           *(metrics.horizontalAdvance(r.text(c)) for r in self.rows))
                       + metrics.height() * 1.5 for c, n in enumerate(self.names)]
            heads = 2 if any(len(n) > 16 for n in self.names) else 1
            needed_h = row_h * (len(self.rows) + heads)
            if (needed_h <= height and label_w + sum(columns) <= width) or point <= 8:
                spare = max(0.0, width - label_w - sum(columns))
                columns = [c + spare / max(1, len(columns)) * 0.5 for c in columns]
                self.point_size = point
                return font, row_h, label_w, columns
            point -= 0.5

    @staticmethod
    def _head_line(name: str) -> str:
        """The longer line of a scenario's heading (long names take two lines)."""
        if len(name) <= 16:
            return name
        cut = name.rfind(" ", 0, len(name) // 2 + 4)
        cut = cut if cut > 0 else len(name) // 2
        return max(name[:cut], name[cut:].strip(), key=len)

    def paintEvent(self, event: Any) -> None:  # Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), palette.PAPER)
        if not self.rows:
            painter.end()
            return
        font, row_h, label_w, columns = self.layout_table()
        bold = QFont(font)
        bold.setBold(True)
        heads = 2 if any(len(n) > 16 for n in self.names) else 1
        head_h = row_h * heads
        left = (self.width() - label_w - sum(columns)) / 2
        align_right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        painter.setPen(palette.INK)
        x = left + label_w
        for c, name in enumerate(self.names):
            painter.setFont(bold if name == self.document.scenario else font)
            painter.drawText(QRectF(x, 0, columns[c] - row_h * 0.3, head_h),
                             align_right | Qt.TextFlag.TextWordWrap, name)
            x += columns[c]
        rule = QPen(palette.MUTED_INK, 1.5)
        painter.setPen(rule)
        painter.drawLine(int(left), int(head_h), int(left + label_w + sum(columns)), int(head_h))
        for r, row in enumerate(self.rows):
            y = head_h + r * row_h
            if r % 2:
                painter.fillRect(QRectF(left, y, label_w + sum(columns), row_h), palette.PANEL)
            painter.setFont(font)
            painter.setPen(palette.INK)
            painter.drawText(QRectF(left, y, label_w, row_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             row.label)
            x = left + label_w
            for c in range(len(self.names)):
                cell = QRectF(x, y, columns[c], row_h)
                if c in row.best:
                    painter.fillRect(cell.adjusted(2, 2, -2, -2), BEST_BACKGROUND)
                painter.setFont(bold if c in row.best else font)
                painter.setPen(palette.INK)
                painter.drawText(cell.adjusted(0, 0, -row_h * 0.3, 0), align_right, row.text(c))
                x += columns[c]
        painter.end()


class PresentationWindow(QWidget):
    """Full-screen slides of the document: one per chart of the current scenario, then the
    comparison of all scenarios (a table, then its two charts). Call ``present()``."""

    slide_changed = Signal(int)  # the slide shown changed (its index)

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.document = document
        self.setWindowTitle(tr("Presentation"))
        self.setAutoFillBackground(True)
        colours = self.palette()
        colours.setColor(QPalette.ColorRole.Window, palette.PAPER)
        self.setPalette(colours)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.title = QLabel(self)
        title_font = QFont(self.font())
        title_font.setPointSize(30)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setStyleSheet(f"color: {palette.INK.name()}")
        self.subtitle = QLabel(self)
        subtitle_font = QFont(self.font())
        subtitle_font.setPointSize(17)
        self.subtitle.setFont(subtitle_font)
        self.subtitle.setStyleSheet(f"color: {palette.MUTED_INK.name()}")

        # a private panel: its charts follow the document; each becomes one slide
        self.panel = ChartsPanel(document, self, eager=True)
        self.panel.hide()
        self.stack = QStackedWidget(self)
        self.titles: list[str] = []
        self.charts: list[Chart] = list(self.panel.charts)
        for chart in self.charts:
            enlarge_chart(chart)
            self.stack.addWidget(chart)
        self.comparison = ComparisonSlide(document, self)
        self.stack.addWidget(self.comparison)
        unit = amount_unit(document)
        self.lines = [
            ScenarioLinesChart("compare_cumulative", tr("Cumulative net benefit by scenario"),
                               unit, "cumulative"),
            ScenarioLinesChart("compare_connected", tr("Connected share by scenario"), "%",
                               "connected_share", scale=100.0, percent=True)]
        for chart in self.lines:
            chart.getPlotItem().setLabel("bottom", tr("Year"))
            enlarge_chart(chart)
            self.stack.addWidget(chart)
        self.message = QLabel(self)  # instead of any slide while there are no figures
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setFont(subtitle_font)
        self.body = QStackedWidget(self)
        self.body.addWidget(self.stack)
        self.body.addWidget(self.message)

        footer_font = QFont(self.font())
        footer_font.setPointSize(13)
        self.source = QLabel(self)
        self.hint = QLabel(tr("→ next   ← previous   Esc leave"), self)
        self.counter = QLabel(self)
        for label in (self.source, self.hint, self.counter):
            label.setFont(footer_font)
            label.setStyleSheet(f"color: {palette.MUTED_INK.name()}")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        footer = QHBoxLayout()
        footer.addWidget(self.source, 1)
        footer.addWidget(self.hint, 1)
        footer.addWidget(self.counter, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 28, 48, 18)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addSpacing(8)
        layout.addWidget(self.body, 1)
        layout.addLayout(footer)

        # keys go to the window, whatever the pointer touched last
        for child in self.findChildren(QWidget):
            child.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # connected after the panel's own refresh, so the charts' titles are fresh here
        document.analysed.connect(self._refresh)
        document.year_changed.connect(self._update_titles)
        document.scenario_changed.connect(self._update_titles)
        self._refresh()
        self.go_to(0)

    # --- public API ------------------------------------------------------------------
    @property
    def slide_index(self) -> int:
        return self.stack.currentIndex()

    @property
    def slide_count(self) -> int:
        return self.stack.count()

    def current_title(self) -> str:
        return self.titles[self.slide_index] if 0 <= self.slide_index < len(self.titles) else ""

    def present(self) -> None:
        """Show full screen and take the keyboard."""
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.setFocus()

    def go_to(self, index: int) -> None:
        index = max(0, min(self.slide_count - 1, index))
        changed = index != self.stack.currentIndex()
        self.stack.setCurrentIndex(index)
        self._show_heading()
        if changed:
            self.slide_changed.emit(index)

    def next_slide(self) -> None:
        self.go_to(self.slide_index + 1)

    def previous_slide(self) -> None:
        self.go_to(self.slide_index - 1)

    # --- events -----------------------------------------------------------------------
    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.setFocus()  # the keys come here, however the window was shown

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in NEXT_KEYS:
            self.next_slide()
        elif key in PREVIOUS_KEYS:
            self.previous_slide()
        elif key == Qt.Key.Key_Home:
            self.go_to(0)
        elif key == Qt.Key.Key_End:
            self.go_to(self.slide_count - 1)
        elif key == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # --- content ----------------------------------------------------------------------
    def _refresh(self) -> None:
        analysis = self.document.analysis
        why = unavailable(analysis)
        self.message.setText(why)
        self.body.setCurrentWidget(self.message if why else self.stack)
        if not why:
            for chart in self.lines:
                chart.update_results(analysis.all_results)
        self._update_titles()

    def _update_titles(self) -> None:
        """Each chart's title becomes its slide's title (the chart's own is hidden)."""
        titles = []
        for chart in [*self.charts, None, *self.lines]:
            if chart is None:
                titles.append(tr("Scenario comparison"))
                continue
            item = chart.getPlotItem()
            text = plain_title(item.titleLabel.text)
            if text:
                titles.append(text)
            elif len(titles) < len(self.titles):
                titles.append(self.titles[len(titles)])
            else:
                titles.append("")
            item.setTitle(None)
        self.titles = titles
        self._show_heading()

    def _show_heading(self) -> None:
        document = self.document
        index = self.slide_index
        self.title.setText(self.current_title())
        widget = self.stack.widget(index)
        # percent and count slides have no amounts: no amount unit on them
        amounts = widget is self.comparison or (
            isinstance(widget, Chart) and not widget.percent and not widget.count)
        unit = amount_unit(document)
        if index >= len(self.charts):
            count = len(document.model.scenarios)
            self.subtitle.setText(tr("{0} scenarios · amounts in {1}", count, unit) if amounts
                                  else tr("{0} scenarios", count))
        elif document.scenario:
            self.subtitle.setText(tr("Scenario: {0} · amounts in {1}", document.scenario, unit)
                                  if amounts else tr("Scenario: {0}", document.scenario))
        else:
            self.subtitle.setText("")
        self.counter.setText(f"{index + 1} / {self.slide_count}")
        self.source.setText(document.model.settings.model_name or document.title)
