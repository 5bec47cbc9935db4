"""The chain canvas: enterprises as nodes in tier columns, links as curves, lit by the year.

The scene is redrawn from the document: ``changed`` re-lays out and updates the
items (reusing them by id), ``analysed`` and ``year_changed`` recolour them from
the scenario result, ``selection_changed`` syncs the selection. Edits made here
(moves, new links, project drops) go back through the document's methods, each
one undo step.

Large chains stay responsive: node items are cached and drop their badge and
label at low zoom; above ``BATCH_FROM`` links all links are one ``LinkBatchItem``
that draws, per paint, the highest-value links in view as hairlines, instead of
one item per link. The view's own parts (tier headings pinned to the top, the
column panels and park labels behind the nodes) are drawn in ``drawForeground``
and ``drawBackground`` from the layout's columns and bands.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPixmapCache,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QToolTip,
)

from models.chain import Link
from models.validation import places as compute_places
from planner.layout import COLUMN, LANE, ROW, Band, Column, layered
from ui import palette
from ui.i18n import tr


@contextmanager
def _no_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector while tens of thousands of wrappers are made:
    otherwise it walks every live object again and again (a rebuild of a 10,000-firm
    chain takes half as long again)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

MIME_PROJECT = "application/x-chainplan-project"
BATCH_FROM = 2000  # links from which all links are drawn as one batched item
RADIUS = {"large": 17.0, "medium": 13.0, "small": 10.0, "micro": 7.5}
LABEL_W = LANE - 16  # widest node label, so labels of neighbouring lanes never meet
LABEL_LOD = 0.7  # zoom from which node names are drawn at scene size
SCREEN_LABEL_LOD = 0.28  # from here up to LABEL_LOD, names are drawn at a fixed pixel size
BADGE_LOD = 0.65  # zoom from which level badges are drawn
MARK_LOD = 0.3  # zoom from which the platform mark is drawn
PARK_LOD = 0.3  # zoom from which park labels are drawn
DETAIL_LOD = 0.12  # below this, a node is a plain dot
WIDTHS = (1.0, 1.8, 2.7, 3.8)  # link widths of the batch, by trade-value quartile of the scale
MIN_W, MAX_W = 0.9, 4.2
LINK_BUDGET = 2500  # most links a batch draws in one paint (the highest-value ones)
WIDE_BUDGET = 400  # up to this many links in view, a batch draws them in their full width
HEADER_H = 36  # sticky tier headings at the top of the view, in pixels
ARROW = 5.0
MIN_SCALE, MAX_SCALE = 0.01, 6.0
Z_LINK, Z_NODE, Z_DRAFT = 0.0, 2.0, 5.0


# enum members looked up once: PySide's enum access costs a Python call each time
_NODE_FLAGS = (QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
               | QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
_NODE_CACHE = QGraphicsItem.CacheMode.DeviceCoordinateCache
_NO_PEN = Qt.PenStyle.NoPen
_NO_BRUSH = Qt.BrushStyle.NoBrush
_CENTRE = Qt.AlignmentFlag.AlignCenter


def column_title(column: Column, short: bool = False) -> str:
    if column.position == "core":
        return tr("Core")
    if column.position == "detached":
        return tr("Detached")
    if short:
        return tr("U{0}" if column.position == "upstream" else "D{0}", column.tier)
    return tr("Upstream tier {0}" if column.position == "upstream" else "Downstream tier {0}",
              column.tier)


def _heading_options(column: Column) -> list[tuple[str, str, str]]:
    """Ways to write a column's heading, widest first: (title, count, second line)."""
    count = "" if column.position == "core" else f" · {column.count}"
    title = column_title(column)
    options = [(title, count, ""), (title, "", "")]
    if column.position in ("upstream", "downstream"):
        word = tr("Upstream" if column.position == "upstream" else "Downstream")
        tier = tr("Tier {0}", column.tier)
        options += [(word, "", tier + count), (word, "", tier)]
    options.append((column_title(column, short=True), "", ""))
    return options


def _fonts() -> dict[str, QFont]:
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


def _pen(connected: bool, width: float, faded: bool, lod: float) -> QPen:
    colour = QColor(palette.LINK_CONNECTED if connected else palette.LINK)
    colour.setAlphaF((0.8 if connected else 0.6) * (palette.FADED if faded else 1.0))
    pen = QPen(colour, max(width, 0.8 / max(lod, 1e-6)))
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    if not connected:
        pen.setDashPattern([4.0, 3.0])
    return pen


def _cubic(path: QPainterPath, g: list[float]) -> None:
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
        _cubic(self.path, g)
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
        pen = _pen(connected, width, faded, lod)
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
            _cubic(path, geometry[r].tolist())
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
            pen = _pen(bool(style & 1), WIDTHS[width_class], bool(style & 8), lod)
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


class ChainView(QGraphicsView):
    """The chain canvas of a ``Document``.

    Mouse and keys:
      - wheel: zoom around the pointer; ``fit()`` shows the whole chain (the main window binds F);
      - left-drag on the background: rubber-band selection (Ctrl adds to the selection);
      - middle-drag, or Space + left-drag: pan;
      - click a node or a link: select it (Ctrl-click toggles);
      - left-drag a node: move it (and the other selected nodes) — one undo step on release;
      - Shift + left-drag from a node to another: add a link supplier → buyer (Esc cancels);
      - drop a project (mime ``application/x-chainplan-project``, the project id in UTF-8)
        on a node: assign it in the current scenario from the scenario's start year.

    Colours: by role (default) or by digital level at the current year (``set_colour_by``).
    A node is full-coloured with a dot mark when on the data platform in the current year,
    pale otherwise; a dark ring marks an enterprise at or above the scenario's target level.
    """

    colour_by_changed = Signal(str)  # nodes are now coloured by "role" or "level"
    zoom_changed = Signal(float)  # the view's scale (1 = 100 %) changed

    def __init__(self, document: Any, parent: Any = None):
        super().__init__(parent)
        self.document = document
        self._drawn: tuple[Any, ...] = ()  # what the items show (see on_changed)
        self._drawn_revision = -1  # the document revision the items were built from
        self.fonts = _fonts()
        self.setScene(QGraphicsScene(self))
        self.scene().setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setAcceptDrops(True)
        self.setBackgroundBrush(palette.PAPER)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # panning is by middle- or Space-drag, and the scene rect has wide margins: scroll bars
        # would only take room
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # node caches are pixmaps in QPixmapCache: give a big chain room for them
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), 64 * 1024))

        self.colour_by = "role"
        self.selected_links: set[tuple[str, str]] = set()
        self._nodes: dict[str, NodeItem] = {}
        self._ids: list[str] = []
        self._index: dict[str, int] = {}
        self._pos = np.zeros((0, 2))
        self._radius = np.zeros(0)
        self._places: dict[str, Any] = {}
        self._columns: list[Column] = []
        self._bands: list[Band] = []
        self._content = QRectF()
        self._adjacent: list[list[int]] = []
        self.link_keys: list[tuple[str, str]] = []
        self._link_row: dict[tuple[str, str], int] = {}
        self._link_u = np.zeros(0, np.int64)
        self._link_v = np.zeros(0, np.int64)
        self.link_width = np.zeros(0)
        self._width_bin = np.zeros(0, np.int64)
        self._priority = np.zeros(0, np.int64)
        self._style_cache: np.ndarray | None = None
        self.link_connected = np.zeros(0, bool)
        self.link_faded = np.zeros(0, bool)
        self._geometry = np.zeros((0, 8))
        self._link_items: list[LinkItem] = []
        self._batch: LinkBatchItem | None = None
        self._filter: dict[str, Any] = {}
        self._matching: set[str] = set()
        self._state_rows: dict[str, int] = {}
        self._state_link_rows: dict[tuple[str, str], int] = {}
        self._state_result: Any = None
        self._building = False
        self._syncing = False
        self._press_positions: dict[str, QPointF] = {}
        self._pan_from: QPointF | None = None
        self._space = False
        self._draft: QGraphicsPathItem | None = None
        self._draft_from: NodeItem | None = None
        self._rubber = False
        self._link_click = False
        self._selection_pending = False
        self._find_text = ""
        self._find_hits: list[str] = []
        self._find_at = -1
        self._fitted = False
        self._drop_node: NodeItem | None = None

        self.scene().selectionChanged.connect(self.on_scene_selection_changed)
        document.changed.connect(self.on_changed)
        document.analysed.connect(self.on_analysed)
        document.year_changed.connect(self.on_year_changed)
        document.selection_changed.connect(self.on_selection_changed)
        self._take_result()
        self.rebuild()
        self.on_selection_changed()

    # --- public API ----------------------------------------------------------------------
    @property
    def links_batched(self) -> bool:
        return self._batch is not None

    def node_item(self, e_id: str) -> NodeItem | None:
        return self._nodes.get(e_id)

    def link_path(self, key: tuple[str, str]) -> QPainterPath | None:
        """The curve of a link (supplier, buyer) in scene coordinates, as drawn."""
        row = self._link_row.get(key)
        if row is None:
            return None
        path = QPainterPath()
        _cubic(path, self._geometry[row].tolist())
        return path

    def columns(self) -> list[Column]:
        return list(self._columns)

    def set_colour_by(self, mode: str) -> None:
        if mode not in ("role", "level"):
            raise ValueError(f"unknown colour mode {mode!r}")
        if mode != self.colour_by:
            self.colour_by = mode
            self._apply_state()
            self.colour_by_changed.emit(mode)

    def fit(self) -> None:
        """Show the whole chain, below the tier headings."""
        rect = self._content
        if rect.isEmpty():
            return
        view = self.viewport().rect()
        width, height = max(view.width() - 24, 50), max(view.height() - HEADER_H - 24, 50)
        scale = min(width / rect.width(), height / rect.height(), 1.25)
        self._set_scale(scale)
        self.centerOn(rect.center() - QPointF(0, HEADER_H / 2 / scale))
        self._fitted = True

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by ``factor``, keeping the scene point under ``anchor`` (viewport) in place."""
        current = self.transform().m11()
        scale = min(MAX_SCALE, max(self._min_scale(), current * factor))
        if anchor is None:
            anchor = QPointF(self.viewport().rect().center())
        before = self.mapToScene(anchor.toPoint())
        self._set_scale(scale)  # around the view's centre (the transformation anchor)
        after = self.mapToScene(anchor.toPoint())
        self.centerOn(self.mapToScene(self.viewport().rect().center()) + (before - after))

    def zoom_in(self) -> None:
        self.zoom_by(1.25)

    def zoom_out(self) -> None:
        self.zoom_by(0.8)

    def find(self, text: str) -> bool:
        """Select and centre the first enterprise whose id or name contains ``text``.

        Called again with the same text, it moves to the next hit (and wraps around).
        """
        needle = text.strip().lower()
        if not needle:
            return False
        if needle != self._find_text or not self._find_hits:
            model = self.document.model
            exact = [e.id for e in model.enterprises if e.id.lower() == needle]
            rest = [e.id for e in model.enterprises if e.id.lower() != needle
                    and (needle in e.id.lower() or needle in e.name.lower())]
            self._find_text, self._find_hits, self._find_at = needle, exact + rest, -1
        if not self._find_hits:
            return False
        self._find_at = (self._find_at + 1) % len(self._find_hits)
        e_id = self._find_hits[self._find_at]
        self.document.set_selection({e_id}, set())
        item = self._nodes.get(e_id)
        if item is not None:
            if self.transform().m11() < LABEL_LOD:
                self._set_scale(1.0)
            self.centerOn(item.scenePos())  # the node, not its label area
        return True

    def set_filter(self, park: Any = None, size: Any = None, position: Any = None,
                   tier: Any = None, ownership: Any = None) -> None:
        """Fade the enterprises (and their links) that do not match; None matches all.

        Each criterion is one value or a collection of accepted values.
        """
        self._filter = {k: v for k, v in (("park", park), ("size", size), ("position", position),
                                          ("tier", tier), ("ownership", ownership))
                        if v is not None}
        self._apply_filter()

    def matching_ids(self) -> set[str]:
        return set(self._matching)

    # --- building ---------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Lay out the model and update the items to it (items are reused by id)."""
        with _no_gc():
            self._rebuild()

    def _rebuild(self) -> None:
        self._drawn = self._signature()
        self._drawn_revision = self.document.revision
        model = self.document.model
        analysis = self.document.analysis
        if analysis.revision == self.document.revision and analysis.places:
            self._places = analysis.places
        else:
            self._places = compute_places(model)
        result = layered(model, self._places)
        self._columns, self._bands = result.columns, result.bands
        self._find_hits = []  # ids may have come or gone
        positions = result.positions
        scene = self.scene()
        self._building = True
        try:
            ids = [e.id for e in model.enterprises]
            self._ids = ids
            self._index = {e_id: i for i, e_id in enumerate(ids)}
            for gone in set(self._nodes) - set(ids):
                scene.removeItem(self._nodes.pop(gone))
            n = len(ids)
            self._pos = np.zeros((n, 2))
            self._radius = np.zeros(n)
            for i, e in enumerate(model.enterprises):
                item = self._nodes.get(e.id)
                if item is None:
                    item = self._nodes[e.id] = NodeItem(self, e.id)
                    scene.addItem(item)
                radius = RADIUS.get(e.size, RADIUS["small"])
                item.configure(e.name, radius)
                x, y = positions[e.id]
                if item.pos().x() != x or item.pos().y() != y:
                    item.setPos(x, y)
                self._pos[i] = (x, y)
                self._radius[i] = radius
            self._build_links()
        finally:
            self._building = False
        self._update_scene_rect()
        self._apply_state(refresh=False)
        self._apply_filter(refresh=False)
        self._refresh_links()

    def _build_links(self) -> None:
        model = self.document.model
        index = self._index
        links = [lk for lk in model.links if lk.supplier in index and lk.buyer in index
                 and lk.supplier != lk.buyer]
        m = len(links)
        self.link_keys = [(lk.supplier, lk.buyer) for lk in links]
        self._link_row = {key: r for r, key in enumerate(self.link_keys)}
        self._link_u = np.fromiter((index[lk.supplier] for lk in links), np.int64, m)
        self._link_v = np.fromiter((index[lk.buyer] for lk in links), np.int64, m)
        values = np.fromiter((lk.annual_value for lk in links), float, m)
        self.link_width, self._width_bin = _widths(values)
        self._priority = np.argsort(-values, kind="stable")
        self.link_connected = np.fromiter((lk.data_connected for lk in links), bool, m)
        self.link_faded = np.zeros(m, bool)
        self._adjacent = [[] for _ in self._ids]
        for r, (u, v) in enumerate(zip(self._link_u.tolist(), self._link_v.tolist(), strict=True)):
            self._adjacent[u].append(r)
            self._adjacent[v].append(r)
        self._geometry = self._compute_geometry(np.arange(m))
        self._style_cache = None
        scene = self.scene()
        if m >= BATCH_FROM:
            for item in self._link_items:
                scene.removeItem(item)
            self._link_items = []
            if self._batch is None:
                self._batch = LinkBatchItem(self)
                scene.addItem(self._batch)
            self._batch.set_links(self._geometry, self._priority)
        else:
            if self._batch is not None:
                scene.removeItem(self._batch)
                self._batch = None
            while len(self._link_items) > m:
                scene.removeItem(self._link_items.pop())
            while len(self._link_items) < m:
                item = LinkItem(self, len(self._link_items))
                self._link_items.append(item)
                scene.addItem(item)
            geometry = self._geometry.tolist()
            for item, g in zip(self._link_items, geometry, strict=True):
                item.set_geometry(g)
                item.update()

    def _compute_geometry(self, rows: np.ndarray) -> np.ndarray:
        u, v = self._link_u[rows], self._link_v[rows]
        pos, rad = self._pos, self._radius
        sx, sy = pos[u, 0] + rad[u], pos[u, 1]
        ex, ey = pos[v, 0] - rad[v] - 2, pos[v, 1]
        bend = np.maximum(40.0, np.abs(ex - sx) * 0.5)
        return np.column_stack([sx, sy, sx + bend, sy, ex - bend, ey, ex, ey])

    def link_style(self) -> np.ndarray:
        """Style code of each link: bit 0 connected, bits 1-2 width class, bit 3 faded."""
        if self._style_cache is None:
            self._style_cache = (self.link_connected.astype(np.int64) + 2 * self._width_bin
                                 + 8 * self.link_faded.astype(np.int64))
        return self._style_cache

    def link_row(self, key: tuple[str, str]) -> int | None:
        return self._link_row.get(key)

    def _update_scene_rect(self) -> None:
        rect = QRectF()
        for c in self._columns:
            rect = rect.united(QRectF(c.left, c.top - ROW / 2, c.right - c.left,
                                      c.bottom - c.top + ROW))
        if len(self._pos):
            lo, hi = self._pos.min(axis=0), self._pos.max(axis=0)
            rect = rect.united(QRectF(lo[0] - LANE / 2, lo[1] - ROW, hi[0] - lo[0] + LANE,
                                      hi[1] - lo[1] + 2 * ROW))
        self._content = rect
        margin = max(rect.width(), rect.height(), 400) * 0.5
        self.scene().setSceneRect(rect.adjusted(-margin, -margin, margin, margin))

    # --- state of the current year ---------------------------------------------------------
    def _year_column(self) -> int | None:
        result = self._state_result
        year = self.document.year
        if result is None or year is None or len(result.years) == 0:
            return None
        return int(min(max(year - int(result.years[0]), 0), len(result.years) - 1))

    def _target_level(self) -> int:
        scenario = self.document.current_scenario()
        return scenario.target_level if scenario is not None else 2

    def _apply_state(self, refresh: bool = True) -> None:
        model = self.document.model
        result, col = self._state_result, self._year_column()
        target = self._target_level()
        rows = self._state_rows
        by_level = self.colour_by == "level"
        level_now = connected_now = None
        if result is not None and col is not None:
            level_now = result.maturity[:, col].tolist()
            connected_now = result.connected[:, col].tolist()
        for e in model.enterprises:
            item = self._nodes.get(e.id)
            if item is None:
                continue
            row = rows.get(e.id)
            if level_now is not None and connected_now is not None and row is not None:
                level, connected = int(level_now[row]), bool(connected_now[row])
            else:
                level, connected = e.maturity, e.platform_connected
            base = palette.level_colour(level) if by_level else palette.role_colour(e.role)
            item.set_state(base, level, connected, level >= target)
        flags = [lk.data_connected for lk in self._links_in_order()]
        connected_links = np.array(flags, bool) if flags else np.zeros(0, bool)
        if result is not None and col is not None:
            now = result.link_connected[:, col]
            link_rows = self._state_link_rows
            for r, key in enumerate(self.link_keys):
                row = link_rows.get(key)
                if row is not None:
                    connected_links[r] = bool(now[row])
        if not np.array_equal(connected_links, self.link_connected):
            self.link_connected = connected_links
            if refresh:
                self._refresh_links()

    def _links_in_order(self) -> list[Link]:
        index = self._index
        return [lk for lk in self.document.model.links if lk.supplier in index and lk.buyer in index
                and lk.supplier != lk.buyer]

    def _refresh_links(self) -> None:
        self._style_cache = None
        if self._batch is not None:
            self._batch.update()
        else:
            for item in self._link_items:
                item.update()

    # --- filter -----------------------------------------------------------------------------
    def _apply_filter(self, refresh: bool = True) -> None:
        wanted = self._filter
        matching = set()
        for e in self.document.model.enterprises:
            place = self._places.get(e.id)
            values = {"park": e.park, "size": e.size, "ownership": e.ownership,
                      "position": place.position if place else None,
                      "tier": place.tier if place else None}
            if all(_accepts(want, values[key]) for key, want in wanted.items()):
                matching.add(e.id)
        self._matching = matching
        for e_id, item in self._nodes.items():
            opacity = 1.0 if e_id in matching else palette.FADED
            if item.opacity() != opacity:
                item.setOpacity(opacity)
        ids = self._ids
        faded = np.fromiter(((ids[u] not in matching) or (ids[v] not in matching)
                             for u, v in zip(self._link_u.tolist(), self._link_v.tolist(),
                                             strict=True)), bool, len(self.link_keys))
        if not np.array_equal(faded, self.link_faded):
            self.link_faded = faded
            if refresh:
                self._refresh_links()

    # --- document signals --------------------------------------------------------------------
    def on_changed(self) -> None:
        # most edits (revenue, projects, assignments, scenarios) change nothing drawn:
        # compare what the canvas shows and rebuild only when that differs
        if self._drawn_revision != self.document.revision and self._signature() != self._drawn:
            self.rebuild()
        self.on_selection_changed()

    def _signature(self) -> tuple[Any, ...]:
        model = self.document.model
        return (tuple((e.id, e.name, e.role, e.size, e.park, e.maturity, e.platform_connected,
                       e.x, e.y) for e in model.enterprises),
                tuple((lk.supplier, lk.buyer, lk.annual_value, lk.data_connected)
                      for lk in model.links))

    def _take_result(self) -> bool:
        """Keep the document's result if it is of the model as it is now; True if taken."""
        document = self.document
        analysis = document.analysis
        if analysis.revision != document.revision:
            return False
        result = analysis.result
        self._state_result = result
        if result is not None:  # remember the rows by id: the model may move on meanwhile
            self._state_rows = {e.id: i for i, e in enumerate(document.model.enterprises)}
            self._state_link_rows = {(lk.supplier, lk.buyer): i
                                     for i, lk in enumerate(document.model.links)}
        return True

    def on_analysed(self) -> None:
        analysis = self.document.analysis
        if self._take_result() and analysis.places and analysis.places != self._places:
            self.rebuild()
            return
        self._apply_state()

    def on_year_changed(self) -> None:
        self._apply_state()

    def on_selection_changed(self) -> None:
        document = self.document
        links = set(document.selected_links)
        if links != self.selected_links:
            self.selected_links = links
            self._refresh_links()
        wanted = document.selected_enterprises
        current = {item.e_id for item in self.scene().selectedItems() if isinstance(item, NodeItem)}
        if wanted == current:
            return
        self._syncing = True
        try:
            for e_id in current - wanted:
                self._nodes[e_id].setSelected(False)
            for e_id in wanted - current:
                item = self._nodes.get(e_id)
                if item is not None:
                    item.setSelected(True)
        finally:
            self._syncing = False

    def on_scene_selection_changed(self) -> None:
        if self._syncing or self._building:
            return
        if self._rubber:  # sync once, on release
            self._selection_pending = True
            return
        self._push_selection()

    def _push_selection(self) -> None:
        self._selection_pending = False
        ids = {item.e_id for item in self.scene().selectedItems() if isinstance(item, NodeItem)}
        self.document.set_selection(ids, set(self.selected_links))

    # --- moving nodes ----------------------------------------------------------------------
    def _track_moves(self) -> None:
        """Links follow the nodes being dragged (called on every mouse move of a drag)."""
        moved = []
        for e_id in self._press_positions:
            i = self._index.get(e_id)
            item = self._nodes.get(e_id)
            if i is None or item is None:
                continue
            pos = item.pos()
            if self._pos[i, 0] != pos.x() or self._pos[i, 1] != pos.y():
                self._pos[i] = (pos.x(), pos.y())
                moved.append(i)
        rows = sorted({r for i in moved for r in self._adjacent[i]})
        if not rows:
            return
        geometry = self._compute_geometry(np.array(rows, np.int64))
        self._geometry[rows] = geometry
        if self._batch is not None:
            self._batch.update_rows(self._geometry, rows)
            return
        for r, g in zip(rows, geometry.tolist(), strict=True):
            self._link_items[r].set_geometry(g)

    # --- hit tests ----------------------------------------------------------------------------
    def _node_at(self, pos: QPointF) -> NodeItem | None:
        for item in self.items(pos.toPoint()):
            if isinstance(item, NodeItem):
                return item
        return None

    def link_at(self, scene_pos: QPointF) -> tuple[str, str] | None:
        """The link under a scene point (within a few pixels), if any."""
        if not self.link_keys:
            return None
        scale = self.transform().m11()
        tolerance = max(4.0 / max(scale, 1e-6), 3.0)
        g = self._geometry
        px, py = scene_pos.x(), scene_pos.y()
        xs, ys = g[:, 0::2], g[:, 1::2]
        near = ((xs.min(axis=1) - tolerance <= px) & (px <= xs.max(axis=1) + tolerance)
                & (ys.min(axis=1) - tolerance <= py) & (py <= ys.max(axis=1) + tolerance))
        rows = np.flatnonzero(near)
        if len(rows) == 0:
            return None
        t = np.linspace(0.0, 1.0, 33)[None, :]
        a, b, c = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2
        d = t ** 3
        sub = g[rows]
        bx = a * sub[:, [0]] + b * sub[:, [2]] + c * sub[:, [4]] + d * sub[:, [6]]
        by = a * sub[:, [1]] + b * sub[:, [3]] + c * sub[:, [5]] + d * sub[:, [7]]
        distance = np.hypot(bx - px, by - py).min(axis=1) - self.link_width[rows] / 2
        best = int(np.argmin(distance))
        if distance[best] > tolerance:
            return None
        return self.link_keys[int(rows[best])]

    # --- mouse and keys --------------------------------------------------------------------
    def wheelEvent(self, event: Any) -> None:
        delta = event.angleDelta().y()
        if delta == 0:
            super().wheelEvent(event)
            return
        self.zoom_by(1.0015 ** delta, event.position())
        event.accept()

    def mousePressEvent(self, event: Any) -> None:
        button = event.button()
        modifiers = event.modifiers()
        pos = event.position()
        if button == Qt.MouseButton.MiddleButton or (button == Qt.MouseButton.LeftButton
                                                     and self._space):
            self._pan_from = pos
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if button != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        node = self._node_at(pos)
        if modifiers & Qt.KeyboardModifier.ShiftModifier and node is not None:
            self._start_draft(node)
            event.accept()
            return
        ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        if node is None:
            key = self.link_at(self.mapToScene(pos.toPoint()))
            if key is not None:
                self._click_link(key, ctrl)
                self._link_click = True
                event.accept()
                return
            if not ctrl:
                self.selected_links = set()
                self._refresh_selected_links()
            self._rubber = True
            super().mousePressEvent(event)
            return
        if not ctrl and not node.isSelected() and self.selected_links:
            self.selected_links = set()
            self._refresh_selected_links()
        super().mousePressEvent(event)
        self._press_positions = {item.e_id: item.pos() for item in self.scene().selectedItems()
                                 if isinstance(item, NodeItem)}
        self._press_positions.setdefault(node.e_id, node.pos())

    def mouseMoveEvent(self, event: Any) -> None:
        pos = event.position()
        if self._pan_from is not None:
            delta = pos - self._pan_from
            self._pan_from = pos
            hbar, vbar = self.horizontalScrollBar(), self.verticalScrollBar()
            hbar.setValue(hbar.value() - round(delta.x()))
            vbar.setValue(vbar.value() - round(delta.y()))
            event.accept()
            return
        if self._draft is not None:
            self._update_draft(self.mapToScene(pos.toPoint()))
            event.accept()
            return
        super().mouseMoveEvent(event)
        if self._press_positions:
            self._track_moves()

    def mouseReleaseEvent(self, event: Any) -> None:
        if self._pan_from is not None and event.button() in (Qt.MouseButton.MiddleButton,
                                                              Qt.MouseButton.LeftButton):
            self._pan_from = None
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor if self._space
                                      else Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        if self._draft is not None and event.button() == Qt.MouseButton.LeftButton:
            self._finish_draft(self._node_at(event.position()))
            event.accept()
            return
        if self._link_click and event.button() == Qt.MouseButton.LeftButton:
            self._link_click = False
            event.accept()
            return
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        event.accept()  # the rubber band and the moves are ours even where no item took it
        if self._press_positions:
            self._track_moves()
        if self._rubber:
            self._rubber = False
            self._push_selection()
        elif self._selection_pending:
            self._push_selection()
        pressed, self._press_positions = self._press_positions, {}
        moved = {}
        for e_id, before in pressed.items():
            item = self._nodes.get(e_id)
            if item is not None and item.pos() != before:
                moved[e_id] = (item.pos().x(), item.pos().y())
        if moved:
            self.document.move_enterprises(moved)

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape and self._draft is not None:
            self._cancel_draft()
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            if self._pan_from is None:
                self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        super().keyReleaseEvent(event)

    def _click_link(self, key: tuple[str, str], ctrl: bool) -> None:
        if ctrl:
            links = set(self.selected_links) ^ {key}
            ids = set(self.document.selected_enterprises)
        else:
            links, ids = {key}, set()
        self.document.set_selection(ids, links)

    def _refresh_selected_links(self) -> None:
        self._refresh_links()

    # --- drawing a new link ---------------------------------------------------------------
    def _start_draft(self, node: NodeItem) -> None:
        self._draft_from = node
        self._draft = QGraphicsPathItem()
        pen = QPen(palette.INK, 1.6, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self._draft.setPen(pen)
        self._draft.setZValue(Z_DRAFT)
        self.scene().addItem(self._draft)
        self.viewport().setCursor(Qt.CursorShape.CrossCursor)
        self._update_draft(node.pos())

    def _update_draft(self, to: QPointF) -> None:
        if self._draft is None or self._draft_from is None:
            return
        start = self._draft_from.pos()
        path = QPainterPath(start)
        bend = max(40.0, abs(to.x() - start.x()) * 0.5)
        path.cubicTo(start + QPointF(bend, 0), to - QPointF(bend, 0), to)
        self._draft.setPath(path)

    def _cancel_draft(self) -> None:
        if self._draft is not None:
            self.scene().removeItem(self._draft)
        self._draft = None
        self._draft_from = None
        self.viewport().setCursor(Qt.CursorShape.ArrowCursor)

    def _finish_draft(self, target: NodeItem | None) -> None:
        source = self._draft_from
        self._cancel_draft()
        if source is None or target is None or target is source:
            return
        key = (source.e_id, target.e_id)
        if any((lk.supplier, lk.buyer) == key for lk in self.document.model.links):
            return
        self.document.add_link(Link(supplier=source.e_id, buyer=target.e_id))

    # --- drops ------------------------------------------------------------------------------
    def _drop_project(self, event: Any) -> str | None:
        mime = event.mimeData()
        if self.document.current_scenario() is None or not mime.hasFormat(MIME_PROJECT):
            return None
        project = bytes(mime.data(MIME_PROJECT).data()).decode("utf-8", "replace").strip()
        return project if project in self.document.model.project_index() else None

    def _set_drop_node(self, node: NodeItem | None) -> None:
        if node is not self._drop_node:
            if self._drop_node is not None:
                self._drop_node.drop_target = False
                self._drop_node.update()
            self._drop_node = node
            if node is not None:
                node.drop_target = True
                node.update()

    def dragEnterEvent(self, event: Any) -> None:
        if self._drop_project(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        node = self._node_at(event.position()) if self._drop_project(event) else None
        self._set_drop_node(node)
        if node is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: Any) -> None:
        self._set_drop_node(None)
        event.accept()

    def dropEvent(self, event: Any) -> None:
        project = self._drop_project(event)
        node = self._node_at(event.position())
        self._set_drop_node(None)
        scenario = self.document.current_scenario()
        if project is None or node is None or scenario is None:
            event.ignore()
            return
        self.document.assign([node.e_id], project, start_year=scenario.start_year, core_share=0.0)
        event.acceptProposedAction()

    # --- view -------------------------------------------------------------------------------
    def _min_scale(self) -> float:
        rect = self._content
        view = self.viewport().rect()
        if rect.isEmpty():
            return MIN_SCALE
        fit = min(view.width() / rect.width(), view.height() / rect.height())
        return max(MIN_SCALE, min(fit * 0.5, 0.2))

    def _set_scale(self, scale: float) -> None:
        scale = min(MAX_SCALE, max(MIN_SCALE, scale))
        if scale != self.transform().m11():
            self.setTransform(QTransform.fromScale(scale, scale))
            self.zoom_changed.emit(scale)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._fitted:
            self.fit()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if not self._fitted and self.isVisible():
            self.fit()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        if self._batch is not None and self._batch.sampled:
            self.viewport().update()  # which links are drawn depends on what is in view
            return
        # the headings and hint stay put while the scene scrolls: repaint where they were
        width, height = self.viewport().width(), self.viewport().height()
        self.viewport().update(QRect(0, 0, width, HEADER_H + abs(dy) + 2))
        self.viewport().update(QRect(0, height - 28 - abs(dy), width, 28 + abs(dy)))

    def viewportEvent(self, event: Any) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            node = self._node_at(QPointF(event.pos()))
            if node is not None:
                QToolTip.showText(event.globalPos(), self._tooltip(node.e_id), self.viewport())
            else:
                key = self.link_at(self.mapToScene(event.pos()))
                if key is None:
                    QToolTip.hideText()
                else:
                    QToolTip.showText(event.globalPos(), f"{key[0]} → {key[1]}", self.viewport())
            return True
        return super().viewportEvent(event)

    def _tooltip(self, e_id: str) -> str:
        e = self.document.model.enterprise_index().get(e_id)
        item = self._nodes.get(e_id)
        if e is None or item is None:
            return e_id
        place = self._places.get(e_id)
        where = ""
        if place is not None:
            if place.position in ("upstream", "downstream"):
                where = tr("Upstream tier {0}" if place.position == "upstream"
                           else "Downstream tier {0}", place.tier)
            else:
                where = tr("Core") if place.position == "core" else tr("Detached")
        lines = [f"<b>{_html(e.name)}</b> ({_html(e.id)})", _html(" · ".join(
            p for p in (where, e.park) if p))]
        lines.append(tr("Digital level {0}", item.level) + (" · " + tr("On the data platform")
                                                            if item.connected else ""))
        return "<br>".join(lines)

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, palette.PAPER)
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        painter.setPen(Qt.PenStyle.NoPen)
        for column in self._columns:
            panel = QRectF(column.left + 6, column.top - ROW * 0.35, column.right - column.left - 12,
                           column.bottom - column.top + ROW * 0.7)
            if not panel.intersects(rect):
                continue
            if column.position == "detached":
                painter.setBrush(Qt.BrushStyle.NoBrush)
                pen = QPen(palette.GREY, 1.2, Qt.PenStyle.DashLine)
                pen.setCosmetic(True)
                painter.setPen(pen)
                painter.drawRoundedRect(panel, 12, 12)
                painter.setPen(Qt.PenStyle.NoPen)
            else:
                painter.setBrush(palette.PANEL_ALT if column.position == "core" else palette.PANEL)
                painter.drawRoundedRect(panel, 12, 12)
        painter.setBrush(palette.BAND)
        for band in self._bands:
            for left, top, right, bottom in band.rects:
                box = QRectF(left + 14, top + ROW * 0.12, right - left - 28,
                             bottom - top - ROW * 0.2)
                if box.intersects(rect):
                    painter.drawRoundedRect(box, 8, 8)
        if lod < PARK_LOD:
            return
        painter.setFont(self.fonts["park"])
        metrics = QFontMetricsF(self.fonts["park"])
        painter.setPen(palette.MUTED_INK)
        for band in self._bands:
            x, y = band.label
            box = QRectF(x - LANE / 2 + 22, y - 10, LANE - 44, 20)
            if not box.intersects(rect):
                continue
            count = f" · {band.count}"
            name = metrics.elidedText(band.park or tr("No park"), Qt.TextElideMode.ElideRight,
                                      box.width() - metrics.horizontalAdvance(count))
            text = name + count
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        if not self._columns:
            return
        painter.save()
        painter.resetTransform()
        width = self.viewport().width()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.PAPER)
        painter.drawRect(QRectF(0, 0, width, HEADER_H))
        painter.setPen(QPen(QColor(0, 0, 0, 40), 1))
        painter.drawLine(QPointF(0, HEADER_H - 0.5), QPointF(width, HEADER_H - 0.5))
        heading, small = self.fonts["heading"], self.fonts["small"]
        bold, light = QFontMetricsF(heading), QFontMetricsF(small)
        centres = [(self.mapFromScene(QPointF(c.left, 0)).x()
                    + self.mapFromScene(QPointF(c.right, 0)).x()) / 2 for c in self._columns]
        last_right = -1e9
        for k, column in enumerate(self._columns):
            centre = centres[k]
            # room: up to halfway to the neighbouring columns' centres
            half = min(centre - centres[k - 1] if k else 1e9,
                       centres[k + 1] - centre if k + 1 < len(centres) else 1e9) / 2
            room_left, room_right = max(centre - half, 0) + 4, min(centre + half, width) - 4
            span = room_right - room_left
            if span <= 0:
                continue
            for title, count, second in _heading_options(column):
                total = max(bold.horizontalAdvance(title) + light.horizontalAdvance(count),
                            light.horizontalAdvance(second))
                if total <= span:
                    break
            else:
                continue
            # centred on its column, but kept in view while the column is partly off screen
            x = min(max(centre - total / 2, room_left), room_right - total)
            if x < last_right + 6:
                continue
            first = bold.horizontalAdvance(title) + light.horizontalAdvance(count)
            x1 = x + (total - first) / 2
            baseline = (HEADER_H / 2 + bold.ascent() / 2 - 1 if not second
                        else HEADER_H / 2 - 2)
            painter.setFont(heading)
            painter.setPen(palette.INK)
            painter.drawText(QPointF(x1, baseline), title)
            painter.setFont(small)
            painter.setPen(palette.MUTED_INK)
            if count:
                painter.drawText(QPointF(x1 + bold.horizontalAdvance(title), baseline), count)
            if second:
                painter.drawText(QPointF(x + (total - light.horizontalAdvance(second)) / 2,
                                         HEADER_H / 2 + light.ascent() + 1), second)
            last_right = x + total
        sampled = self._batch is not None and self._batch.sampled
        if (self.transform().m11() < SCREEN_LABEL_LOD or sampled) and self._nodes:
            painter.setFont(small)
            names = self.transform().m11() < SCREEN_LABEL_LOD
            hint = tr("Zoom in to see names and every link" if sampled and names
                      else "Zoom in to see every link" if sampled else "Zoom in to see names")
            box = QRectF(8, self.viewport().height() - 24, light.horizontalAdvance(hint) + 14, 18)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(255, 255, 255, 220))
            painter.drawRoundedRect(box, 4, 4)
            painter.setPen(palette.MUTED_INK)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, hint)
        painter.restore()


def _widths(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def _accepts(wanted: Any, value: Any) -> bool:
    if isinstance(wanted, (set, frozenset, list, tuple)):
        return value in wanted
    return bool(value == wanted)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
