"""Presentation mode: the current scenario's charts and the scenario comparison as
full-screen slides, in large type, stepped with the keys a presenter's clicker sends.

Keys: Right, Down, PageDown, Space and Return go forward; Left, Up, PageUp and
Backspace go back; Home and End jump to the first and last slide; Esc leaves.
The slides are live views of the document: they follow its analysis and year.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from ui import palette
from ui.charts import Chart, ChartsPanel, amount_unit, set_type_sizes
from ui.compare import ComparisonView, ScenarioLinesChart
from ui.document import Document
from ui.i18n import tr

NEXT_KEYS = {Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_PageDown, Qt.Key.Key_Space,
             Qt.Key.Key_Return, Qt.Key.Key_Enter}
PREVIOUS_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace}
TICK_PT = 15  # chart tick labels on a slide
LABEL_PT = 17  # chart axis titles
LEGEND_PT = "15pt"


def plain_title(html: str) -> str:
    """The text of a pyqtgraph title (which is HTML)."""
    return re.sub(r"<[^>]+>", "", html).replace("&nbsp;", " ").strip()


def enlarge_chart(chart: Chart) -> None:
    """Presentation-size type on a chart: ticks, axis titles, legend (and the title of the
    comparison charts, which is drawn smaller than the others)."""
    set_type_sizes(chart, TICK_PT, LABEL_PT, LEGEND_PT)
    if isinstance(chart, ScenarioLinesChart):
        item = chart.getPlotItem()
        item.setTitle(f"<span style='font-size:{LABEL_PT}pt; font-weight:600'>"
                      f"{plain_title(item.titleLabel.text)}</span>")


class PresentationWindow(QWidget):
    """Full-screen slides of the document: one per chart of the current scenario, then the
    comparison of all scenarios. Call ``present()`` to show it."""

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
        self.panel = ChartsPanel(document, self)
        self.panel.hide()
        self.stack = QStackedWidget(self)
        self.titles: list[str] = []
        for chart in self.panel.charts:
            enlarge_chart(chart)
            self.stack.addWidget(chart)
        self.comparison = ComparisonView(document, self)
        big = QFont(self.comparison.font())
        big.setPointSize(15)
        self.comparison.setFont(big)
        self.comparison.note.setFont(big)
        for chart in self.comparison.charts:
            enlarge_chart(chart)
        self.stack.addWidget(self.comparison)

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
        layout.addWidget(self.stack, 1)
        layout.addLayout(footer)

        # keys go to the window, whatever the pointer touched last
        for child in self.findChildren(QWidget):
            child.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # connected after the panel's own refresh, so the charts' titles are fresh here
        document.analysed.connect(self._update_titles)
        document.year_changed.connect(self._update_titles)
        document.scenario_changed.connect(self._update_titles)
        self._update_titles()
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

    # --- headings ----------------------------------------------------------------------
    def _update_titles(self) -> None:
        """Each chart's title becomes its slide's title (the chart's own is hidden)."""
        titles = []
        for chart in self.panel.charts:
            item = chart.getPlotItem()
            text = plain_title(item.titleLabel.text)
            if text:
                titles.append(text)
            elif len(titles) < len(self.titles):
                titles.append(self.titles[len(titles)])
            else:
                titles.append("")
            item.setTitle(None)
        titles.append(tr("Scenario comparison"))
        self.titles = titles
        self._show_heading()

    def _show_heading(self) -> None:
        document = self.document
        index = self.slide_index
        self.title.setText(self.current_title())
        unit = amount_unit(document)
        if index == self.slide_count - 1:
            count = len(document.model.scenarios)
            self.subtitle.setText(tr("{0} scenarios · amounts in {1}", count, unit))
        elif document.scenario:
            self.subtitle.setText(tr("Scenario: {0} · amounts in {1}", document.scenario, unit))
        else:
            self.subtitle.setText("")
        self.counter.setText(f"{index + 1} / {self.slide_count}")
        self.source.setText(document.model.settings.model_name or document.title)
