"""The canvas's items: an enterprise's node, a link's curve, and all links of a big chain
batched into one item.

Items draw from the view's arrays (link widths, styles, selection) and drop detail at low
zoom (``QStyleOptionGraphicsItem.levelOfDetailFromTransform``): a node is a plain dot
below ``DETAIL_LOD``, its name, badge and platform mark appear as the zoom grows. Above
``BATCH_FROM`` links all links are one ``LinkBatchItem`` that draws, per paint, the
highest-value links in view as hairlines, instead of one item per link.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from planner.layout import COLUMN, LANE
from ui import palette

if TYPE_CHECKING:
    from ui.canvas_view import ChainView

BATCH_FROM = 2000  # links from which all links are drawn as one batched item
RADIUS = {"large": 17.0, "medium": 13.0, "small": 10.0, "micro": 7.5}
LABEL_W = LANE - 16  # widest node label, so labels of neighbouring lanes never meet
LABEL_LOD = 0.7  # zoom from which node names are drawn at scene size
SCREEN_LABEL_LOD = 0.28  # from here up to LABEL_LOD, names are drawn at a fixed pixel size
BADGE_LOD = 0.65  # zoom from which level badges are drawn
MARK_LOD = 0.3  # zoom from which the platform mark is drawn
DETAIL_LOD = 0.12  # below this, a node is a plain dot
WIDTHS = (1.0, 1.8, 2.7, 3.8)  # link widths of the batch, by trade-value quartile of the scale
MIN_W, MAX_W = 0.9, 4.2
LINK_BUDGET = 2500  # most links a batch draws in one paint (the highest-value ones)
WIDE_BUDGET = 400  # up to this many links in view, a batch draws them in their full width
ARROW = 5.0
Z_LINK, Z_NODE, Z_DRAFT = 0.0, 2.0, 5.0


# enum members looked up once: PySide's enum access costs a Python call each time
_NODE_FLAGS = (QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
               | QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
_NODE_CACHE = QGraphicsItem.CacheMode.DeviceCoordinateCache
_NO_PEN = Qt.PenStyle.NoPen
_NO_BRUSH = Qt.BrushStyle.NoBrush
_CENTRE = Qt.AlignmentFlag.AlignCenter


def make_fonts() -> dict[str, QFont]:
    """The canvas's fonts: node label, level badge, park label, tier heading, small print."""
    label = QFont()
    label.setPixelSize(11)
    badge = QFont()
    badge.setPixelSize(9)
    badge.setBold(True)
    park = QFont()
    park.setPixelSize(12)
    park.setBold(True)
    heading = QFont()
    heading.setPointSizeF(9.5)
    heading.setBold(True)
    small = QFont()
    small.setPointSizeF(8.5)
    return {"label": label, "badge": badge, "park": park, "heading": heading, "small": small}


class NodeItem(QGraphicsItem):
    """One enterprise: a disk coloured by role or level, with its level badge, marks and name."""

    def __init__(self, view: ChainView, e_id: str):
        super().__init__()
        self.view = view
        self.e_id = e_id
        self.setFlags(_NODE_FLAGS)
        self.setCacheMode(_NODE_CACHE)
        self.setZValue(Z_NODE)
        self.radius = 0.0
        self.name = ""
        self.base = QColor(palette.GREY)
        self.level = 1
        self.connected = False
        self.target = False
        self.drop_target = False
        self._label: str | None = None
        self._label_w = 0.0
        self._rect = QRectF()
        self._shape = QPainterPath()

    def configure(self, name: str, radius: float) -> None:
        if radius != self.radius:
            self.prepareGeometryChange()
            self.radius = radius
            half = max(LABEL_W / 2, radius + 9)
            right = radius + 160 / SCREEN_LABEL_LOD  # room for the zoomed-out label
            self._rect = QRectF(-half, -radius - 10, half + right, 2 * radius + 10 + 19)
            self._shape = QPainterPath()
            self._shape.addEllipse(QPointF(0, 0), radius + 4, radius + 4)
            self.update()
        if name != self.name:
            self.name = name
            self._label = None
            self.update()

    def set_state(self, base: QColor, level: int, connected: bool, target: bool) -> None:
        if (base != self.base or level != self.level or connected != self.connected
                or target != self.target):
            self.base, self.level, self.connected, self.target = base, level, connected, target
            self.update()

    def fill_colour(self) -> QColor:
        """The disk's colour now: full when on the platform, pale when not."""
        return QColor(self.base) if self.connected else palette.pale(self.base)

    def boundingRect(self) -> QRectF:
        return self._rect

    def shape(self) -> QPainterPath:
        return self._shape

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Any = None) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        r = self.radius
        fill = self.fill_colour()
        if lod < DETAIL_LOD:  # a dot, a little less pale: a few pixels must still show the hue
            painter.setPen(_NO_PEN)
            painter.setBrush(self.base if self.connected else palette.mix(self.base, palette.PAPER,
                                                                          0.45))
            painter.drawEllipse(QPointF(0, 0), r, r)
            return
        selected = self.isSelected()
        if selected or self.drop_target:
            painter.setPen(QPen(palette.INK, 1.0))
            painter.setBrush(palette.SELECTION)
            painter.drawEllipse(QPointF(0, 0), r + 7, r + 7)
        if self.target:
            painter.setPen(QPen(palette.TARGET_RING, 2.2))
            painter.setBrush(_NO_BRUSH)
            painter.drawEllipse(QPointF(0, 0), r + 3.6, r + 3.6)
        outline = self.base.darker(150) if self.connected else palette.mix(self.base, palette.GREY, 0.4)
        painter.setPen(QPen(outline, 1.3))
        painter.setBrush(fill)
        painter.drawEllipse(QPointF(0, 0), r, r)
        if SCREEN_LABEL_LOD <= lod < LABEL_LOD:
            self._paint_screen_label(painter, lod)
        if lod < MARK_LOD:
            return
        if self.connected:  # the platform mark: a dot at the lower right
            d = r * 0.72
            painter.setPen(QPen(palette.PAPER, 1.2))
            painter.setBrush(palette.PLATFORM_MARK)
            painter.drawEllipse(QPointF(d + 1, d + 1), 3.6, 3.6)
        if lod < BADGE_LOD:
            return
        fonts = self.view.fonts
        bx, by = r * 0.72 + 2.5, -r * 0.72 - 2.5
        painter.setPen(QPen(palette.INK, 1.0))
        painter.setBrush(palette.PAPER)
        painter.drawEllipse(QPointF(bx, by), 6.5, 6.5)
        painter.setFont(fonts["badge"])
        painter.drawText(QRectF(bx - 6.5, by - 6.5, 13, 13), _CENTRE,
                         str(self.level))
        if lod < LABEL_LOD:
            return
        if self._label is None:
            metrics = QFontMetricsF(fonts["label"])
            self._label = metrics.elidedText(self.name, Qt.TextElideMode.ElideRight, LABEL_W - 8)
            self._label_w = metrics.horizontalAdvance(self._label)
        box = QRectF(-self._label_w / 2 - 3, r + 4, self._label_w + 6, 15)
        painter.setPen(_NO_PEN)
        painter.setBrush(QColor(255, 255, 255, 215))
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(palette.INK)
        painter.setFont(fonts["label"])
        painter.drawText(box, _CENTRE, self._label)


    def _paint_screen_label(self, painter: QPainter, lod: float) -> None:
        """Zoomed out: the name at a readable pixel size, to the right of the node,
        no wider than the gap to the next column."""
        fonts = self.view.fonts
        metrics = QFontMetricsF(fonts["label"])
        text = metrics.elidedText(self.name, Qt.TextElideMode.ElideRight,
                                  min(150.0, COLUMN * lod * 0.6))
        if not text or text == "…":
            return
        painter.save()
        painter.scale(1 / lod, 1 / lod)  # one unit is now one pixel
        text_w = metrics.horizontalAdvance(text)
        box = QRectF(self.radius * lod + 4, -7, text_w + 4, 14)
        painter.setPen(_NO_PEN)
        painter.setBrush(QColor(255, 255, 255, 190))
        painter.drawRoundedRect(box, 2, 2)
        painter.setPen(palette.INK)
        painter.setFont(fonts["label"])
        painter.drawText(box, _CENTRE, text)
        painter.restore()


def link_pen(connected: bool, width: float, faded: bool, lod: float) -> QPen:
    colour = QColor(palette.LINK_CONNECTED if connected else palette.LINK)
    colour.setAlphaF((0.8 if connected else 0.6) * (palette.FADED if faded else 1.0))
    pen = QPen(colour, max(width, 0.8 / max(lod, 1e-6)))
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    if not connected:
        pen.setDashPattern([4.0, 3.0])
    return pen


def cubic(path: QPainterPath, g: list[float]) -> None:
    path.moveTo(g[0], g[1])
    path.cubicTo(g[2], g[3], g[4], g[5], g[6], g[7])


class LinkItem(QGraphicsItem):
    """One link (small chains): a curve from supplier to buyer with an arrowhead."""

    def __init__(self, view: ChainView, row: int):
        super().__init__()
        self.view = view
        self.row = row
        self.setZValue(Z_LINK)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.path = QPainterPath()
        self._end = QPointF()
        self._rect = QRectF()

    def set_geometry(self, g: list[float]) -> None:
        self.prepareGeometryChange()
        self.path = QPainterPath()
        cubic(self.path, g)
        self._end = QPointF(g[6], g[7])
        pad = MAX_W + ARROW + 8
        self._rect = self.path.boundingRect().adjusted(-pad, -pad, pad, pad)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Any = None) -> None:
        view = self.view
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        row = self.row
        connected = bool(view.link_connected[row])
        faded = bool(view.link_faded[row])
        width = float(view.link_width[row])
        if view.link_keys[row] in view.selected_links:
            halo = QPen(palette.SELECTION, width + 6)
            painter.setPen(halo)
            painter.drawPath(self.path)
        pen = link_pen(connected, width, faded, lod)
        painter.setPen(pen)
        painter.drawPath(self.path)
        if lod >= BADGE_LOD:
            end = self._end
            size = ARROW + width
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(pen.color())
            painter.drawPolygon(QPolygonF([end, QPointF(end.x() - size, end.y() - size * 0.6),
                                           QPointF(end.x() - size, end.y() + size * 0.6)]))


class LinkBatchItem(QGraphicsItem):
    """All links of a large chain in one item.

    Each paint draws the links that cross the visible part of the scene, highest trade
    value first, at most ``LINK_BUDGET`` of them (zoomed out on a big chain the rest would
    only be a grey wash that costs a second to draw). Pens are cosmetic hairlines, which
    the raster engine clips to the view cheaply, with the trade value shown as opacity;
    only when few links are in view (``WIDE_BUDGET``) are they drawn in their full width
    (wide pens are stroked whole, off-screen parts included: ten times slower).
    """

    def __init__(self, view: ChainView):
        super().__init__()
        self.view = view
        self.setZValue(Z_LINK)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self._paths: list[QPainterPath] = []
        self._box = np.zeros((0, 4))
        self._priority = np.zeros(0, np.int64)  # link rows, highest value first
        self._rect = QRectF()
        self._chosen_for: tuple[float, ...] | None = None
        self._chosen = np.zeros(0, np.int64)
        self.sampled = False  # the last paint left links out
        self._pens: dict[tuple[int, int], QPen] = {}

    def set_links(self, geometry: np.ndarray, priority: np.ndarray) -> None:
        self.prepareGeometryChange()
        self._paths = []
        append = self._paths.append
        g = geometry.ravel().tolist()  # one flat list: no list per link for the GC to track
        for k in range(0, len(g), 8):
            path = QPainterPath()
            path.moveTo(g[k], g[k + 1])
            path.cubicTo(g[k + 2], g[k + 3], g[k + 4], g[k + 5], g[k + 6], g[k + 7])
            append(path)
        self._priority = priority
        self._box = self._boxes(geometry)
        self._bounds()

    def update_rows(self, geometry: np.ndarray, rows: list[int]) -> None:
        self.prepareGeometryChange()
        for r in rows:
            path = QPainterPath()
            cubic(path, geometry[r].tolist())
            self._paths[r] = path
        if rows:
            self._box[rows] = self._boxes(geometry[rows])
        self._bounds()

    @staticmethod
    def _boxes(geometry: np.ndarray) -> np.ndarray:
        pad = MAX_W + 4
        xs, ys = geometry[:, 0::2], geometry[:, 1::2]
        return np.column_stack([xs.min(axis=1) - pad, ys.min(axis=1) - pad,
                                xs.max(axis=1) + pad, ys.max(axis=1) + pad])

    def _bounds(self) -> None:
        box = self._box
        if len(box):
            lo, hi = box[:, :2].min(axis=0), box[:, 2:].max(axis=0)
            self._rect = QRectF(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1])
        else:
            self._rect = QRectF()
        self._chosen_for = None
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def _choose(self, visible: QRectF) -> np.ndarray:
        key = (visible.left(), visible.top(), visible.right(), visible.bottom())
        if key != self._chosen_for:
            box = self._box[self._priority]
            inside = ((box[:, 0] <= key[2]) & (box[:, 2] >= key[0])
                      & (box[:, 1] <= key[3]) & (box[:, 3] >= key[1]))
            rows = self._priority[inside]
            self.sampled = len(rows) > LINK_BUDGET
            self._chosen = rows[:LINK_BUDGET]
            self._chosen_for = key
        return self._chosen

    def _pen(self, style: int, lod: float, wide: bool) -> QPen:
        key = (style, round(math.log2(max(lod, 1e-4)) * 4), wide)
        pen = self._pens.get(key)
        if pen is None:
            width_class = (style >> 1) & 3
            pen = link_pen(bool(style & 1), WIDTHS[width_class], bool(style & 8), lod)
            colour = pen.color()
            alpha = 0.45 + 0.55 * min(1.0, lod / 0.8)
            if wide:
                pen.setWidthF(max(0.7, WIDTHS[width_class] * lod))
            else:  # hairlines (the raster engine's fast path); value shows as opacity instead
                pen.setWidthF(min(1.0, max(0.7, WIDTHS[width_class] * lod)))
                alpha *= (0.45, 0.6, 0.8, 1.0)[width_class]
            colour.setAlphaF(colour.alphaF() * alpha)
            pen.setColor(colour)
            pen.setCosmetic(True)
            self._pens[key] = pen
        return pen

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Any = None) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        exposed = option.exposedRect
        view = self.view
        visible = view.mapToScene(view.viewport().rect()).boundingRect() if widget else exposed
        chosen = self._choose(visible)
        box = self._box[chosen]
        rows = chosen[(box[:, 0] <= exposed.right()) & (box[:, 2] >= exposed.left())
                      & (box[:, 1] <= exposed.bottom()) & (box[:, 3] >= exposed.top())]
        style = view.link_style()
        # faded first, then not connected, then connected: what matters is drawn last
        rows = rows[np.lexsort((style[rows] & 6, style[rows] & 1, -(style[rows] & 8)))]
        paths = self._paths
        wide = len(chosen) <= WIDE_BUDGET
        selected = [view.link_row(k) for k in view.selected_links]
        if selected:
            halo = QPen(palette.SELECTION, max(3.0, (WIDTHS[-1] + 6) * lod))
            halo.setCosmetic(True)
            painter.setPen(halo)
            for r in selected:
                if r is not None:
                    painter.drawPath(paths[r])
        painter.setBrush(_NO_BRUSH)
        current = -1
        for r, s in zip(rows.tolist(), style[rows].tolist(), strict=True):
            if s != current:
                painter.setPen(self._pen(s, lod, wide))
                current = s
            painter.drawPath(paths[r])
        for r in selected:
            if r is not None:
                painter.setPen(self._pen(int(style[r]), max(lod, 0.5), True))
                painter.drawPath(paths[r])


def link_widths(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Link width from the annual value on a log scale, and its batch width class (0..3)."""
    if len(values) == 0:
        return np.zeros(0), np.zeros(0, np.int64)
    logs = np.log1p(np.maximum(values, 0.0))
    positive = logs[values > 0]
    if len(positive) == 0:
        return np.full(len(values), MIN_W), np.zeros(len(values), np.int64)
    lo, hi = float(positive.min()), float(positive.max())
    share = np.clip((logs - lo) / (hi - lo), 0.0, 1.0) if hi > lo else np.full(len(values), 0.5)
    share[values <= 0] = 0.0
    width = MIN_W + (MAX_W - MIN_W) * share
    return width, np.minimum((share * 4).astype(np.int64), 3)
