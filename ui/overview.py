"""The overview of a big chain on the canvas: one box per tier-and-park group, trade
between groups as bands.

Zoomed out on a chain of tens of thousands of firms, each firm would be a pixel and the
links a grey wash. ``ChainView`` then hides the firms and their links and shows this one
item instead: each group (planner/overview.py) is a box with its park (or tier) name,
its number of firms and a bar of the share on the data platform; each flow is a band
from the supplier's group to the buyer's, as wide as its annual trade value (the widest
flow a quarter of the median group's height) and coloured from grey (no trade over
data-connected links) to the data-connected links' blue (all of it). Zooming in, or a double-click
on a group, drills down to the real firms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from planner.overview import Flows, Group
from ui import palette
from ui.canvas_items import show_picture, shown_name, view_key, view_picture
from ui.i18n import tr

if TYPE_CHECKING:
    from ui.canvas_view import ChainView

Z_OVERVIEW = 3.0  # above where the nodes would be
MAX_BANDS = 600  # widest flows drawn (every pair of neighbouring tiers by ten parks, and more)
MIN_BAND_PX = 1.0


def flow_colour(share: float, alpha: float = 0.5) -> QColor:
    """Grey for no data-connected trade, the data-connected links' blue for all of it."""
    colour = palette.mix(palette.LINK, palette.LINK_CONNECTED, float(min(max(share, 0.0), 1.0)))
    colour.setAlphaF(alpha)
    return colour


class OverviewItem(QGraphicsItem):
    """The groups and flows of a big chain, drawn as one item."""

    def __init__(self, view: ChainView):
        super().__init__()
        self.view = view
        self.setZValue(Z_OVERVIEW)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.groups: list[Group] = []
        self.flows: Flows | None = None
        self.names: dict[str, str] = {}  # park id -> shown name
        self._rect = QRectF()
        self._paths: list[tuple[QPainterPath, QColor]] = []
        self.widths = np.zeros(0)  # scene width of each flow's band
        self._version = 0  # counts changes of what is drawn (the picture of it is then old)
        self._cache: QPixmap | None = None
        self._cache_key: tuple[Any, ...] | None = None

    def set_data(self, groups: list[Group], flows: Flows, names: dict[str, str]) -> None:
        self.prepareGeometryChange()
        self.groups, self.flows, self.names = groups, flows, names
        if groups:
            left = min(g.rect[0] for g in groups)
            top = min(g.rect[1] for g in groups)
            right = max(g.rect[2] for g in groups)
            bottom = max(g.rect[3] for g in groups)
            self._rect = QRectF(left, top, right - left, bottom - top).adjusted(-40, -40, 40, 40)
        else:
            self._rect = QRectF()
        self._build_bands()
        self._version += 1
        self.update()

    def group_at(self, point: QPointF) -> int | None:
        """The group whose box is under a scene point."""
        for k, g in enumerate(self.groups):
            if g.rect[0] <= point.x() <= g.rect[2] and g.rect[1] <= point.y() <= g.rect[3]:
                return k
        return None

    def title(self, group: Group) -> str:
        """What a group's box says: its park's name, or its column's."""
        if group.park:
            return shown_name(self.names.get(group.park, group.park))
        if group.park == "":
            return tr("No park")
        if group.position == "core":
            return tr("Core")
        if group.position == "detached":
            return tr("Detached")
        return tr("Upstream tier {0}" if group.position == "upstream" else "Downstream tier {0}",
                  abs(group.column or 0))

    def _build_bands(self) -> None:
        """Each flow's band: a curve from the right edge of the supplier's group to the left
        edge of the buyer's (or between facing edges), stacked so bands do not overlap."""
        self._paths = []
        flows, groups = self.flows, self.groups
        if flows is None or len(flows.value) == 0 or not groups:
            self.widths = np.zeros(0)
            return
        heights = np.array([g.rect[3] - g.rect[1] for g in groups])
        # the widest flow a quarter of a middling box (the smallest boxes are kept tall
        # enough for a label only, and would make every band thinner than a pixel)
        widest = max(float(np.median(heights)) / 4, 40.0)
        top_value = float(flows.value.max()) or 1.0
        widths = np.sqrt(flows.value / top_value) * widest  # area-like: small flows stay visible
        self.widths = widths
        share = flows.connected_share()
        order = np.argsort(-flows.value, kind="stable")[:MAX_BANDS]
        out_used = np.zeros(len(groups))
        in_used = np.zeros(len(groups))
        # stack bands on each group's edge in the order of their other end's height
        order = order[np.lexsort((np.array([groups[t].rect[1] for t in flows.target[order]]),
                                  flows.source[order]))]
        for k in order.tolist():
            s, t = int(flows.source[k]), int(flows.target[k])
            a, b = groups[s].rect, groups[t].rect
            w = float(widths[k])
            forward = (a[0] + a[2]) / 2 <= (b[0] + b[2]) / 2
            x0 = a[2] if forward else a[0]
            x1 = b[0] if forward else b[2]
            h_a, h_b = a[3] - a[1], b[3] - b[1]
            y0 = a[1] + min(h_a * 0.1 + out_used[s], h_a - w / 2) + w / 2
            y1 = b[1] + min(h_b * 0.1 + in_used[t], h_b - w / 2) + w / 2
            out_used[s] += w * 1.05
            in_used[t] += w * 1.05
            bend = max(abs(x1 - x0) * 0.5, 60.0)
            sign = 1.0 if forward else -1.0
            path = QPainterPath()
            path.moveTo(x0, y0 - w / 2)
            path.cubicTo(x0 + sign * bend, y0 - w / 2, x1 - sign * bend, y1 - w / 2, x1, y1 - w / 2)
            path.lineTo(x1, y1 + w / 2)
            path.cubicTo(x1 - sign * bend, y1 + w / 2, x0 + sign * bend, y0 + w / 2, x0, y0 + w / 2)
            path.closeSubpath()
            self._paths.append((path, flow_colour(float(share[k]))))

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Any = None) -> None:
        """The overview as a picture of the view, drawn again only when the view or the
        data change (an edit elsewhere, or a node repainting, need not draw the boxes,
        bands and labels again: thousands of calls into Qt)."""
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if widget is None:  # printed or rendered elsewhere: drawn as asked
            self._draw(painter, lod, option.exposedRect)
            return
        key = (*view_key(painter, widget), self._version)
        if key != self._cache_key or self._cache is None:
            view = self.view
            visible = view.mapToScene(view.viewport().rect()).boundingRect()
            self._cache = view_picture(painter, widget,
                                       lambda inner: self._draw(inner, lod, visible))
            self._cache_key = key
        show_picture(painter, self._cache)

    def _draw(self, painter: QPainter, lod: float, exposed: QRectF) -> None:
        border = QPen(palette.MUTED_INK, 1.2)
        border.setCosmetic(True)
        font = QFont(self.view.fonts["park"])
        font.setPixelSize(12)
        small = QFont(self.view.fonts["label"])
        small.setPixelSize(11)
        metrics, small_metrics = QFontMetricsF(font), QFontMetricsF(small)
        for g in self.groups:
            box = QRectF(g.rect[0], g.rect[1], g.rect[2] - g.rect[0], g.rect[3] - g.rect[1])
            if not box.intersects(exposed):
                continue
            share = g.connected / g.count if g.count else 0.0
            painter.setPen(border)
            painter.setBrush(palette.mix(palette.PAPER, palette.LINK_CONNECTED, 0.06 + 0.18 * share))
            painter.drawRect(box)
        # the flows over the boxes (a flow past a column crosses it), the labels over both
        painter.setPen(Qt.PenStyle.NoPen)
        # bands without antialiasing: filled curves cost ten times as much with it
        antialiased = painter.testRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for path, colour in reversed(self._paths):  # the widest last, on top
            if path.controlPointRect().intersects(exposed):
                painter.setBrush(colour)
                painter.drawPath(path)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, antialiased)
        for g in self.groups:
            box = QRectF(g.rect[0], g.rect[1], g.rect[2] - g.rect[0], g.rect[3] - g.rect[1])
            if not box.intersects(exposed):
                continue
            share = g.connected / g.count if g.count else 0.0
            # the label, in pixels: name, firms, share on the platform
            width_px = box.width() * lod
            height_px = box.height() * lod
            if width_px < 40 or height_px < metrics.height():
                continue
            painter.save()
            painter.translate(box.left(), box.top())
            painter.scale(1 / lod, 1 / lod)
            inner = width_px - 10
            painter.setFont(font)
            painter.setPen(palette.INK)
            title = metrics.elidedText(self.title(g), Qt.TextElideMode.ElideRight, inner)
            top_px = min(4.0, (height_px - metrics.height()) / 2)
            painter.drawText(QPointF(5, top_px + metrics.ascent()), title)
            if box.height() * lod >= 44:
                painter.setFont(small)
                painter.setPen(palette.MUTED_INK)
                text = tr("{0} firms · {1} on the platform", f"{g.count:,}",
                          f"{round(100 * share)} %")
                text = small_metrics.elidedText(text, Qt.TextElideMode.ElideRight, inner)
                painter.drawText(QPointF(5, 8 + metrics.height() + small_metrics.ascent()), text)
                bar_y = 12 + metrics.height() + small_metrics.height()
                if box.height() * lod >= bar_y + 10:
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(palette.PAPER)
                    painter.drawRect(QRectF(5, bar_y, inner, 5))
                    painter.setBrush(palette.LINK_CONNECTED)
                    painter.drawRect(QRectF(5, bar_y, inner * share, 5))
            painter.restore()

