"""The canvas legend: every colour, mark, line and size the chain canvas uses, explained.

The samples are painted with the canvas's own palette and proportions, so the
legend never drifts from the drawing. It follows the canvas's colour mode
(``set_colour_by``) and the scenario's target level (``set_target_level``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from models.chain import TABLE_BY_ATTR
from models.schema import SIZES
from ui import palette
from ui.canvas import RADIUS, WIDTHS
from ui.i18n import tr, value_text

ROW_H = 24
ICON_W = 44
PAD = 10

ROLE_TEXTS = (("core", "Core enterprise"), ("supplier", "Supplier"), ("distributor", "Distributor"),
               ("customer", "Customer"), ("service", "Service partner"))


class LegendWidget(QWidget):
    """A compact key to the chain canvas; ``set_colour_by("role" | "level")`` follows the canvas."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.colour_by = "role"
        self.target_level = 2
        self._heading = QFont(self.font())
        self._heading.setBold(True)
        self._badge = QFont(self.font())
        self._badge.setPixelSize(9)
        self._badge.setBold(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAutoFillBackground(True)

    def set_colour_by(self, mode: str) -> None:
        if mode != self.colour_by:
            self.colour_by = mode
            self.updateGeometry()
            self.update()

    def set_target_level(self, level: int) -> None:
        if level != self.target_level:
            self.target_level = level
            self.update()

    # --- content ----------------------------------------------------------------------------
    def rows(self) -> list[tuple[str, Any, str]]:
        """(kind, sample, text) of every line, in order; kind "heading" has no sample."""
        rows: list[tuple[str, Any, str]] = [("heading", None, tr("Enterprises"))]
        if self.colour_by == "level":
            rows += [("fill", palette.level_colour(level), tr("Digital level {0}", level))
                     for level in range(1, 5)]
        else:
            rows += [("fill", palette.role_colour(role), tr(text)) for role, text in ROLE_TEXTS]
        rows += [
            ("platform", True, tr("On the data platform")),
            ("platform", False, tr("Not yet on the platform")),
            ("target", self.target_level,
             tr("Reached the target level") + f" (≥ {self.target_level})"),
            ("badge", None, tr("Digital level (badge)")),
            ("sizes", None, tr("Node size: enterprise size")),
            ("heading", None, tr("Links")),
            ("link", True, tr("Data-connected link")),
            ("link", False, tr("Not yet connected")),
            ("widths", None, tr("Width: annual trade value")),
            ("faded", None, tr("Faded: outside the filter")),
        ]
        return rows

    def _size_names(self) -> str:
        spec = TABLE_BY_ATTR["enterprises"].field("size")
        return " > ".join(value_text(spec, size) for size in SIZES)

    # --- geometry -----------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        metrics = QFontMetricsF(self.font())
        bold = QFontMetricsF(self._heading)
        width = 0.0
        height = PAD
        for kind, _, text in self.rows():
            if kind == "heading":
                width = max(width, bold.horizontalAdvance(text))
                height += ROW_H + 2
            elif kind == "sizes":
                width = max(width, ICON_W + 8 + metrics.horizontalAdvance(text),
                            ICON_W + 8 + metrics.horizontalAdvance(self._size_names()))
                height += ROW_H + 14
            else:
                width = max(width, ICON_W + 8 + metrics.horizontalAdvance(text))
                height += ROW_H
        return QSize(int(width + 2 * PAD + 4), int(height + PAD))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    # --- painting ---------------------------------------------------------------------------
    def paintEvent(self, event: Any) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), palette.PAPER)
        metrics = QFontMetricsF(self.font())
        y = float(PAD)
        text_x = PAD + ICON_W + 8
        for kind, sample, text in self.rows():
            if kind == "heading":
                painter.setFont(self._heading)
                painter.setPen(palette.INK)
                painter.drawText(QRectF(PAD, y + 2, self.width() - 2 * PAD, ROW_H),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
                y += ROW_H + 2
                continue
            height = ROW_H + 14 if kind == "sizes" else ROW_H
            centre = QPointF(PAD + ICON_W / 2, y + ROW_H / 2)
            self._sample(painter, kind, sample, centre)
            painter.setFont(self.font())
            painter.setPen(palette.INK)
            painter.drawText(QRectF(text_x, y, self.width() - text_x - PAD, ROW_H),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(text, Qt.TextElideMode.ElideRight,
                                                self.width() - text_x - PAD))
            if kind == "sizes":
                painter.setPen(palette.MUTED_INK)
                painter.drawText(QRectF(text_x, y + ROW_H - 4, self.width() - text_x - PAD, 16),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 self._size_names())
            y += height
        painter.end()

    def _node(self, painter: QPainter, centre: QPointF, colour: QColor, radius: float,
              connected: bool = True) -> None:
        fill = colour if connected else palette.pale(colour)
        outline = colour.darker(150) if connected else palette.mix(colour, palette.GREY, 0.4)
        painter.setPen(QPen(outline, 1.3))
        painter.setBrush(fill)
        painter.drawEllipse(centre, radius, radius)

    def _sample(self, painter: QPainter, kind: str, sample: Any, c: QPointF) -> None:
        neutral = palette.GREY if self.colour_by == "level" else palette.role_colour("supplier")
        if kind == "fill":
            self._node(painter, c, sample, 8)
        elif kind == "platform":
            self._node(painter, c, neutral, 8, connected=sample)
            if sample:
                painter.setPen(QPen(palette.PAPER, 1.2))
                painter.setBrush(palette.PLATFORM_MARK)
                painter.drawEllipse(c + QPointF(6.8, 6.8), 3.4, 3.4)
        elif kind == "target":
            self._node(painter, c, neutral, 7)
            painter.setPen(QPen(palette.TARGET_RING, 2.2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(c, 10.4, 10.4)
        elif kind == "badge":
            self._node(painter, c + QPointF(-3, 2), neutral, 7)
            b = c + QPointF(5, -4)
            painter.setPen(QPen(palette.INK, 1.0))
            painter.setBrush(palette.PAPER)
            painter.drawEllipse(b, 6.5, 6.5)
            painter.setFont(self._badge)
            painter.drawText(QRectF(b.x() - 6.5, b.y() - 6.5, 13, 13), Qt.AlignmentFlag.AlignCenter,
                             "2")
        elif kind == "sizes":
            x = c.x() - ICON_W / 2
            scale = 0.42
            for size in SIZES:
                r = RADIUS[size] * scale
                x += r
                self._node(painter, QPointF(x, c.y() + 4), neutral, r)
                x += r + 1.5
        elif kind == "link":
            colour = QColor(palette.LINK_CONNECTED if sample else palette.LINK)
            colour.setAlphaF(0.85 if sample else 0.7)
            pen = QPen(colour, 2.2)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            if not sample:
                pen.setDashPattern([4.0, 3.0])
            painter.setPen(pen)
            painter.drawLine(QPointF(c.x() - ICON_W / 2, c.y()), QPointF(c.x() + ICON_W / 2, c.y()))
        elif kind == "widths":
            colour = QColor(palette.LINK)
            for i, width in enumerate(WIDTHS[1:]):
                y = c.y() - 6 + i * 6
                painter.setPen(QPen(colour, width))
                painter.drawLine(QPointF(c.x() - ICON_W / 2, y), QPointF(c.x() + ICON_W / 2, y))
        elif kind == "faded":
            painter.setOpacity(palette.FADED + 0.1)
            self._node(painter, c, neutral, 8)
            painter.setOpacity(1.0)
