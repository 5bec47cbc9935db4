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
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from planner.layout import COLUMN, ROW
from ui import palette
from ui.i18n import language

if TYPE_CHECKING:
    from ui.canvas_view import ChainView

BATCH_FROM = 2000  # links from which all links are drawn as one batched item
RADIUS = {"large": 17.0, "medium": 13.0, "small": 10.0, "micro": 7.5}
SCREEN_LABEL_LOD = 0.28  # zoom from which node names are drawn
LABEL_PX = 11  # node names' pixel size up to 100 %; they grow with the zoom beyond
TWO_LINES_PX = 36  # rows this many pixels apart leave room for names on two lines
LABEL_GAP = 8  # scene units kept clear before the next column's panel
LABEL_HALF_H = 34  # half the height a name may take, in scene units (at 28 % or 56 %)
LABEL_BACK = QColor(255, 255, 255, 205)  # behind a name: links stay faintly visible
BADGE_LOD = 0.65  # zoom from which level badges are drawn
MARK_LOD = 0.3  # zoom from which the platform mark is drawn
DETAIL_LOD = 0.12  # below this, a node is a plain dot
WIDTHS = (1.0, 1.8, 2.7, 3.8)  # link widths of the batch, by trade-value quartile of the scale
MIN_W, MAX_W = 0.9, 4.2
LINK_BUDGET = 1200  # most links a batch draws in one paint (the highest-value ones): at
# 100,000 firms 2,500 hairline curves took 60-300 ms a frame, the target is 100 ms in all
# up to this many links in view, a batch draws them in their full width: a pan onto the
# 10,000-firm chain's densest part stroked 390 wide curves in 90-120 ms (as hairlines 30-40)
WIDE_BUDGET = 200
ARROW = 5.0
Z_LINK, Z_NODE, Z_DRAFT = 0.0, 2.0, 5.0


# enum members looked up once: PySide's enum access costs a Python call each time
_NODE_FLAGS = (QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
               | QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
_NODE_CACHE = QGraphicsItem.CacheMode.DeviceCoordinateCache
_NO_PEN = Qt.PenStyle.NoPen
_NO_BRUSH = Qt.BrushStyle.NoBrush
_CENTRE = Qt.AlignmentFlag.AlignCenter
_LEFT_CENTRE = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # Chinese characters
_LATIN = re.compile("[A-Za-z]")
_GAP = " \t/|(（"  # what stands between the two halves of a bilingual name
_CLOSE = ")）"


def name_parts(name: str) -> tuple[str, str] | None:
    """(English, Chinese) of a bilingual name, None when the name is in one language.

    Bilingual is "English 中文" ("Shenyi Aero Final Assembly 申翼飞机总装", "Lingang
    (临港)", "No. 3 Plant 第三工厂") or "中文 English" ("海兴造船 / Haixing Shipbuilding"):
    one half without Chinese characters, the other beginning with one, with a space,
    slash or bracket between them. "ABC科技" or "ABC 科技 Co" are one name.
    """
    text = name.strip()
    han = _HAN.search(text)
    if han is None or not text:
        return None
    first = han.start()
    if first > 0:  # English first
        head, tail = text[:first], text[first:].rstrip(_CLOSE).strip()
        if head[-1] not in _GAP or not _LATIN.search(head) or not (
                _HAN.match(tail[-1]) or tail[-1].isdigit()):
            return None
        return head.rstrip(_GAP).strip(), tail
    latin = _LATIN.search(text)
    if latin is None:
        return None
    head, tail = text[:latin.start()], text[latin.start():].rstrip(_CLOSE).strip()
    if head[-1] not in _GAP or _HAN.search(tail):
        return None
    return tail, head.rstrip(_GAP).strip()


def shown_name(name: str, lang: str | None = None) -> str:
    """A name in the interface language: the Chinese half of a bilingual name in Chinese,
    the English half otherwise, the whole name when it is in one language."""
    parts = name_parts(name)
    if parts is None:
        return name.strip()
    return parts[1] if (lang or language()) == "zh_CN" else parts[0]


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


def wrap_label(text: str, metrics: QFontMetricsF, width: float, lines: int
               ) -> tuple[list[str], float]:
    """``text`` in at most ``lines`` lines no wider than ``width``: broken between words
    (between characters in Chinese, or in a word wider than a line), the last line elided;
    and the widest line's width. Each text is measured once (a node's first paint measured
    its name's lines again: a tenth of it)."""
    measured: dict[str, float] = {}

    def advance(part: str) -> float:
        found = measured.get(part)
        if found is None:
            found = measured[part] = metrics.horizontalAdvance(part)
        return found

    shown = _wrap(text, metrics, advance, width, lines)
    return shown, max(map(advance, shown), default=0.0)


def _wrap(text: str, metrics: QFontMetricsF, advance: Callable[[str], float], width: float,
          lines: int) -> list[str]:
    if not text or advance(text) <= width:
        return [text] if text else []
    shown: list[str] = []
    rest = text
    while len(shown) < lines - 1 and rest:
        tokens = re.findall(r"\S+\s*", rest) if " " in rest else list(rest)
        line = ""
        for token in tokens:
            if advance((line + token).rstrip()) > width:
                break
            line += token
        hyphen = ""
        if not line:  # one word wider than the line: as many characters as fit
            for k, char in enumerate(rest):
                # a Latin word broken in the middle gets a hyphen
                inside = char.isascii() and char.isalpha() and rest[k + 1:k + 2].isalpha()
                if advance(line + char + ("-" if inside else "")) > width:
                    break
                line += char
                hyphen = "-" if inside else ""
        if not line:
            break
        shown.append(line.rstrip() + hyphen)
        rest = rest[len(line):].lstrip()
        if advance(rest) <= width:
            return [*shown, rest] if rest else shown
    last = metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)
    return [*shown, last] if last and last != "…" else shown


_LABEL_FONTS: dict[tuple[int, int], tuple[QFont, QFont, QFontMetricsF]] = {}


def label_font(base: QFont, pixels: int) -> tuple[QFont, QFontMetricsF]:
    """``base`` at ``pixels`` high, and its metrics: made once (a font and its metrics
    made per node and paint cost a tenth of a node's first paint). Kept by the base font
    object (held, so that its id is not another's)."""
    found = _LABEL_FONTS.get((id(base), pixels))
    if found is None or found[0] is not base:
        font = QFont(base)
        font.setPixelSize(pixels)
        found = _LABEL_FONTS[(id(base), pixels)] = (base, font, QFontMetricsF(font))
    return found[1], found[2]


class Label(NamedTuple):
    """A node's name as drawn: its lines, their font, where they start and how wide they
    may be, in pixels on screen from the node's centre."""

    lines: list[str]
    font: QFont
    left: float
    width: float


_SHADES: dict[tuple[int, bool], tuple[QColor, QColor]] = {}


def shades(base: QColor, connected: bool) -> tuple[QColor, QColor]:
    """A node's fill and outline: full and darker on the platform, pale and greyed off it
    (worked out once per colour: mixing costs a dozen Qt calls)."""
    key = (base.rgba(), connected)
    found = _SHADES.get(key)
    if found is None:
        if connected:
            found = (QColor(base), base.darker(150))
        else:
            found = (palette.pale(base), palette.mix(base, palette.GREY, 0.4))
        _SHADES[key] = found
    return found


_HALO_PEN = QPen(palette.INK, 1.0)
_RING_PEN = QPen(palette.TARGET_RING, 2.2)
_MARK_PEN = QPen(palette.PAPER, 1.2)
_BADGE_PEN = QPen(palette.INK, 1.0)


class Disc(NamedTuple):
    """How a node's disc, rings, platform mark and badge look."""

    radius: float
    fill: QColor
    outline: QColor
    halo: bool  # selected, or a drop target
    target: bool
    connected: bool
    level: int
    badge: QFont


def draw_disc(painter: QPainter, disc: Disc) -> None:
    """A node's selection halo, target ring and disk."""
    centre, r = QPointF(0, 0), disc.radius
    if disc.halo:
        painter.setPen(_HALO_PEN)
        painter.setBrush(palette.SELECTION)
        painter.drawEllipse(centre, r + 7, r + 7)
    if disc.target:
        painter.setPen(_RING_PEN)
        painter.setBrush(_NO_BRUSH)
        painter.drawEllipse(centre, r + 3.6, r + 3.6)
    painter.setPen(QPen(disc.outline, 1.3))
    painter.setBrush(disc.fill)
    painter.drawEllipse(centre, r, r)


def draw_marks(painter: QPainter, lod: float, disc: Disc) -> None:
    """A node's platform mark and level badge, as far as the zoom shows them."""
    if lod < MARK_LOD:
        return
    r = disc.radius
    if disc.connected:  # the platform mark: a dot at the lower right
        d = r * 0.72
        painter.setPen(_MARK_PEN)
        painter.setBrush(palette.PLATFORM_MARK)
        painter.drawEllipse(QPointF(d + 1, d + 1), 3.6, 3.6)
    if lod < BADGE_LOD:
        return
    bx, by = r * 0.72 + 2.5, -r * 0.72 - 2.5
    painter.setPen(_BADGE_PEN)
    painter.setBrush(palette.PAPER)
    painter.drawEllipse(QPointF(bx, by), 6.5, 6.5)
    painter.setFont(disc.badge)
    painter.drawText(QRectF(bx - 6.5, by - 6.5, 13, 13), _CENTRE, str(disc.level))


SPRITE_LOD = 4.0  # up to this zoom a node's disc is drawn from a shared picture: beyond,
# the level badge may reach under the name's box, which is drawn after it
SPRITE_BYTES = 16 * 1024 * 1024  # the pictures kept at most (forgotten all at once beyond)


class _Pictures(dict[tuple[Any, ...], QPixmap]):
    """Pictures by key, and the bytes they hold."""

    held = 0


_SPRITES = _Pictures()


def sprite(painter: QPainter, key: tuple[Any, ...], reach: float,
           draw: Callable[[QPainter], None]) -> None:
    """Paint, through ``painter`` (a picture's, scaled and moved only), what ``draw`` paints
    within ``reach`` of the item's origin, from a picture kept by ``key``: the picture is
    made the first time for the scale and the point inside a pixel where the origin falls
    (at 100 % on the layout's grid, a few)."""
    device = painter.deviceTransform()
    scale = device.m11()
    x, y = device.dx(), device.dy()
    ix, iy = math.floor(x), math.floor(y)
    fx, fy = x - ix, y - iy  # exact: the pixels are those drawn there (text is hinted)
    hints = painter.renderHints()
    full = (key, scale, device.m22(), device.m12(), device.m21(), fx, fy, hints)
    picture = _SPRITES.get(full)
    half = math.ceil(reach * scale) + 2
    if picture is None:
        if _SPRITES.held > SPRITE_BYTES:
            _SPRITES.clear()
            _SPRITES.held = 0
        side = 2 * half + 2
        picture = QPixmap(side, side)
        picture.fill(Qt.GlobalColor.transparent)
        inner = QPainter(picture)
        inner.setRenderHints(hints)
        inner.setTransform(QTransform(scale, device.m12(), device.m21(), device.m22(),
                                      half + fx, half + fy))
        draw(inner)
        inner.end()
        _SPRITES[full] = picture
        _SPRITES.held += side * side * 4
    painter.save()
    painter.resetTransform()  # one unit is a pixel of the picture drawn into (or ``ratio``)
    ratio = painter.device().devicePixelRatioF()
    if ratio == 1.0:
        painter.drawPixmap(ix - half, iy - half, picture)
    else:
        picture.setDevicePixelRatio(ratio)
        painter.drawPixmap(QPointF((ix - half) / ratio, (iy - half) / ratio), picture)
    painter.restore()


_GEOMETRY: dict[tuple[float, float], tuple[QRectF, QPainterPath]] = {}


def node_geometry(radius: float, room: float) -> tuple[QRectF, QPainterPath]:
    """A node's bounding box (disk, marks and name) and shape (the disk), shared by the
    nodes of one size and room (made per node, they were a tenth of making one)."""
    found = _GEOMETRY.get((radius, room))
    if found is None:
        if len(_GEOMETRY) > 1000:  # rooms of firms dragged anywhere
            _GEOMETRY.clear()
        half = max(radius + 10, LABEL_HALF_H)
        shape = QPainterPath()
        shape.addEllipse(QPointF(0, 0), radius + 4, radius + 4)
        found = _GEOMETRY[(radius, room)] = (
            QRectF(-radius - 8, -half, radius + 8 + max(room, radius + 10), 2 * half), shape)
    return found


class NodeItem(QGraphicsItem):
    """One enterprise: a disk coloured by role or level, with its level badge, marks and name.

    The name stands to the right of the disk at a readable size whatever the zoom (from
    ``SCREEN_LABEL_LOD``): 11 pixels up to 100 %, growing with the zoom beyond. It may
    take two lines where the rows leave room for them and no more width than the gap to
    the next lane or column (``room``); what does not fit is elided, and the tooltip has
    the full name.
    """

    def __init__(self, view: ChainView, e_id: str, name: str = "", radius: float = 0.0,
                 room: float = COLUMN / 2):
        super().__init__()
        self.view = view
        self.e_id = e_id
        self.setFlags(_NODE_FLAGS)
        self.setCacheMode(_NODE_CACHE)
        self.setZValue(Z_NODE)
        self.radius = radius
        self.room = room  # scene units right of the centre free for the name
        self.name = name
        self.base = palette.GREY  # colours are replaced, never changed
        self.level = 1
        self.connected = False
        self.target = False
        self.drop_target = False
        self._label_key: tuple[float, ...] = ()
        self._label: list[str] = []
        self._label_w = 0.0  # the widest line's width, in pixels
        self._rect, self._shape = node_geometry(radius, room)

    def configure(self, name: str, radius: float, room: float | None = None) -> None:
        room = self.room if room is None else room
        if radius != self.radius or room != self.room:
            self.prepareGeometryChange()
            self.radius, self.room = radius, room
            self._rect, self._shape = node_geometry(radius, room)
            self._label_key = ()
            self.update()
        if name != self.name:
            self.name = name
            self._label_key = ()
            self.update()

    def set_state(self, base: QColor, level: int, connected: bool, target: bool) -> None:
        if (base != self.base or level != self.level or connected != self.connected
                or target != self.target):
            self.base, self.level, self.connected, self.target = base, level, connected, target
            self.update()

    def fill_colour(self) -> QColor:
        """The disk's colour now: full when on the platform, pale when not."""
        return QColor(shades(self.base, self.connected)[0])

    def boundingRect(self) -> QRectF:
        return self._rect

    def shape(self) -> QPainterPath:
        return self._shape

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Any = None) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        r = self.radius
        if lod < DETAIL_LOD:  # a dot, a little less pale: a few pixels must still show the hue
            painter.setPen(_NO_PEN)
            painter.setBrush(self.base if self.connected else palette.mix(self.base, palette.PAPER,
                                                                          0.45))
            painter.drawEllipse(QPointF(0, 0), r, r)
            return
        disc = Disc(r, *shades(self.base, self.connected), self.isSelected() or self.drop_target,
                    self.target, self.connected, self.level, self.view.fonts["badge"])
        if lod <= SPRITE_LOD and isinstance(painter.device(), QPixmap):
            # into the node's cache picture: the disc, marks and badge are a picture of
            # their own, shared by the nodes that look alike (drawn, antialiased, they
            # were half a node's first paint, and a search's jump paints 90 nodes)
            sprite(painter, (lod, self.base.rgba(), r, *disc[3:]), r + 8,
                   lambda inner: (draw_disc(inner, disc), draw_marks(inner, lod, disc)))
            if lod >= SCREEN_LABEL_LOD:
                self._paint_label(painter, lod)
            return
        draw_disc(painter, disc)
        if lod >= SCREEN_LABEL_LOD:
            self._paint_label(painter, lod)
        draw_marks(painter, lod, disc)

    def label(self, lod: float) -> Label:
        """The name as drawn at zoom ``lod`` (in pixels on screen, from the node's centre)."""
        font, metrics = label_font(self.view.fonts["label"], round(LABEL_PX * max(1.0, lod)))
        r = self.radius  # clear of the disk, and of the badge where it shows
        left = ((r * 0.72 + 9) * lod + 2) if lod >= BADGE_LOD else r * lod + 4
        width = (self.room - LABEL_GAP) * lod - left
        lines = 2 if ROW * lod >= TWO_LINES_PX else 1
        key = (lod, width, lines)
        if key != self._label_key:
            self._label, self._label_w = wrap_label(self.name, metrics, max(width, 0.0), lines)
            self._label_key = key
        return Label(self._label, font, left, width)

    def _paint_label(self, painter: QPainter, lod: float) -> None:
        lines, font, left, _ = self.label(lod)
        if not lines:
            return
        metrics = label_font(self.view.fonts["label"], font.pixelSize())[1]
        line_h = metrics.height()
        width = self._label_w
        painter.save()
        painter.scale(1 / lod, 1 / lod)  # one unit is now one pixel
        top = -line_h * len(lines) / 2 - 1
        painter.setPen(_NO_PEN)
        painter.setBrush(LABEL_BACK)
        # square corners: a node's first paint goes into its cache picture, where an
        # antialiased rounded box cost 0.4 ms (a square one 0.1 ms), a quarter of a
        # search's jump to 90 new firms at 100,000
        painter.drawRect(QRectF(left, top, width + 5, line_h * len(lines) + 2))
        painter.setPen(palette.INK)
        painter.setFont(font)
        x, ascent = left + 2.5, metrics.ascent()
        for k, line in enumerate(lines):
            y = top + 1 + k * line_h
            if line.isascii():  # in the label font alone: on the baseline of the line
                # centred in its box, as below (the same pixels, without a text layout)
                painter.drawText(QPointF(x, y + ascent), line)
            else:  # a fallback font (Chinese) may be taller: Qt's layout centres the line
                painter.drawText(QRectF(x, y, width, line_h), _LEFT_CENTRE, line)
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


def view_key(painter: QPainter, widget: QWidget) -> tuple[float | int, ...]:
    """What a picture of the view painted through ``painter`` depends on besides its
    contents: the painter's transform and the widget's size."""
    t, size = painter.worldTransform(), widget.size()
    return t.m11(), t.m12(), t.m21(), t.m22(), t.dx(), t.dy(), size.width(), size.height()


def view_picture(painter: QPainter, widget: QWidget, draw: Callable[[QPainter], None]
                 ) -> QPixmap:
    """A picture of ``widget`` holding what ``draw`` paints in ``painter``'s transform (for
    items that keep what they drew between paints)."""
    ratio = widget.devicePixelRatioF()
    size = widget.size()
    picture = QPixmap(max(1, round(size.width() * ratio)), max(1, round(size.height() * ratio)))
    picture.setDevicePixelRatio(ratio)
    picture.fill(Qt.GlobalColor.transparent)
    inner = QPainter(picture)
    inner.setRenderHints(painter.renderHints())
    inner.setTransform(painter.worldTransform())
    draw(inner)
    inner.end()
    return picture


def show_picture(painter: QPainter, picture: QPixmap) -> None:
    """Paint a picture made by ``view_picture`` where it was taken."""
    painter.save()
    painter.resetTransform()
    painter.drawPixmap(0, 0, picture)
    painter.restore()


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
        # curves made when first drawn (a paint draws a few thousand of 300,000 links)
        self._paths: dict[int, QPainterPath] = {}
        self._geometry = np.zeros((0, 8))
        self._priority = np.zeros(0, np.int64)  # link rows, highest value first
        self._rank = np.zeros(0, np.int64)
        self._ranked = np.zeros((4, 0))
        self._rect = QRectF()
        self._chosen_for: tuple[float, ...] | None = None
        self._chosen = np.zeros(0, np.int64)
        self.sampled = False  # the last paint left links out
        self._version = 0  # counts changes of the curves (the picture of them is then old)
        self._cache: QPixmap | None = None
        self._cache_key: tuple[Any, ...] | None = None
        self._pens: dict[tuple[int, int], QPen] = {}

    def set_links(self, geometry: np.ndarray, priority: np.ndarray,
                  keep: np.ndarray | None = None) -> None:
        """Every link's curve; ``keep[r]`` >= 0 reuses the path of that former row (same curve)."""
        self.prepareGeometryChange()
        old, self._paths = self._paths, {}
        if keep is not None and old:
            new_of_old = np.full(len(self._geometry) + 1, -1, np.int64)  # [-1]: gone
            kept = np.flatnonzero(keep >= 0)
            new_of_old[keep[kept]] = kept
            rows = np.fromiter(old.keys(), np.int64, len(old))
            rows = new_of_old[np.where(rows < len(self._geometry), rows, -1)].tolist()
            self._paths = {r: path for r, path in zip(rows, old.values(), strict=True) if r >= 0}
        old_rank, old_ranked = self._rank, self._ranked
        self._geometry = geometry
        self._priority = priority
        self._rank = np.empty(len(priority), np.int64)  # a link row's place in priority order
        self._rank[priority] = np.arange(len(priority))
        # the boxes in priority order, one contiguous array per side: which links cross the
        # view is four comparisons over memory read in order (gathering 300,000 boxes by
        # priority on every paint took 0.15 s). np.take gathers the curves 4x faster than
        # indexing; with the boxes worked out a side at a time, 0.18 s became 0.03 s.
        if keep is None or len(old_rank) == 0:
            self._ranked = self._boxes(np.take(geometry, priority, axis=0))
        else:  # the kept curves' boxes taken over, in an order that barely changes: a
            # pass over memory read in order (an edit at 100,000 firms: 28 ms became 4)
            was = keep[priority]
            fresh = np.flatnonzero(was < 0)
            self._ranked = np.take(old_ranked, old_rank[np.maximum(was, 0)], axis=1)
            if len(fresh):
                self._ranked[:, fresh] = self._boxes(np.take(geometry, priority[fresh], axis=0))
        self._bounds()

    def update_rows(self, geometry: np.ndarray, rows: list[int]) -> None:
        self.prepareGeometryChange()
        self._geometry = geometry
        for r in rows:
            self._paths.pop(r, None)
        if rows:
            self._ranked[:, self._rank[rows]] = self._boxes(geometry[rows])
        self._bounds()

    @staticmethod
    def _boxes(geometry: np.ndarray) -> np.ndarray:
        """The (left, top, right, bottom) rows of the curves' boxes, padded for the pens."""
        pad = MAX_W + 4
        x0, y0, x1, y1, x2, y2, x3, y3 = geometry.T
        return np.stack([np.minimum(np.minimum(x0, x1), np.minimum(x2, x3)) - pad,
                         np.minimum(np.minimum(y0, y1), np.minimum(y2, y3)) - pad,
                         np.maximum(np.maximum(x0, x1), np.maximum(x2, x3)) + pad,
                         np.maximum(np.maximum(y0, y1), np.maximum(y2, y3)) + pad])

    def _bounds(self) -> None:
        self._version += 1
        left, top, right, bottom = self._ranked
        if len(left):
            lo_x, lo_y, hi_x, hi_y = left.min(), top.min(), right.max(), bottom.max()
            self._rect = QRectF(lo_x, lo_y, hi_x - lo_x, hi_y - lo_y)
        else:
            self._rect = QRectF()
        self._chosen_for = None
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def path(self, row: int) -> QPainterPath:
        """The curve of a link row, made on first use."""
        path = self._paths.get(row)
        if path is None:
            if len(self._paths) > 4 * LINK_BUDGET:  # a long pan: forget the older curves
                self._paths.clear()
            path = self._paths[row] = QPainterPath()
            cubic(path, self._geometry[row].tolist())
        return path

    def _choose(self, visible: QRectF) -> np.ndarray:
        key = (visible.left(), visible.top(), visible.right(), visible.bottom())
        if key != self._chosen_for:
            left, top, right, bottom = self._ranked
            inside = np.flatnonzero((left <= key[2]) & (right >= key[0])
                                    & (top <= key[3]) & (bottom >= key[1]))
            self.sampled = len(inside) > LINK_BUDGET
            self._chosen = self._priority[inside[:LINK_BUDGET]]
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
                colour.setAlphaF(colour.alphaF() * alpha)
            else:  # hairlines (the raster engine's fast path); value shows as paleness instead
                pen.setWidthF(min(1.0, max(0.7, WIDTHS[width_class] * lod)))
                alpha *= (0.45, 0.6, 0.8, 1.0)[width_class] * colour.alphaF()
                # opaque, mixed with the columns' background: a translucent hairline takes
                # the raster engine's slow path (four times as long: 1,200 curves 0.11 ms
                # each instead of 0.03), and the picture of the links in view is drawn
                # again on every zoom, search, filter and selection of a link
                colour = palette.mix(QColor(colour.rgb()), palette.PANEL, 1.0 - alpha)
            pen.setColor(colour)
            pen.setCosmetic(True)
            self._pens[key] = pen
        return pen

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Any = None) -> None:
        """The links in view, from a picture of them kept while nothing they show changes
        (a click that selects a firm, or a node that repaints, need not draw 1,200 curves
        again)."""
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        view = self.view
        if widget is None:  # printed or rendered elsewhere: drawn as asked
            self._draw(painter, lod, option.exposedRect, option.exposedRect, None)
            return
        key = (*view_key(painter, widget), self._version, view.link_style_version(),
               frozenset(view.selected_links))
        if key != self._cache_key or self._cache is None:
            visible = view.mapToScene(view.viewport().rect()).boundingRect()
            self._cache = view_picture(
                painter, widget, lambda inner: self._draw(inner, lod, visible, visible, widget))
            self._cache_key = key
        show_picture(painter, self._cache)

    def _draw(self, painter: QPainter, lod: float, exposed: QRectF, visible: QRectF,
              widget: Any) -> None:
        """Draw the links crossing ``exposed``."""
        view = self.view
        chosen = self._choose(visible)
        left, top, right, bottom = self._ranked[:, self._rank[chosen]]
        rows = chosen[(left <= exposed.right()) & (right >= exposed.left())
                      & (top <= exposed.bottom()) & (bottom >= exposed.top())]
        style = view.link_style()
        # faded first, then not connected, then connected: what matters is drawn last
        rows = rows[np.lexsort((style[rows] & 6, style[rows] & 1, -(style[rows] & 8)))]
        path = self.path
        wide = len(chosen) <= WIDE_BUDGET
        selected = [view.link_row(k) for k in view.selected_links]
        if selected:
            halo = QPen(palette.SELECTION, max(3.0, (WIDTHS[-1] + 6) * lod))
            halo.setCosmetic(True)
            painter.setPen(halo)
            for r in selected:
                if r is not None:
                    painter.drawPath(path(r))
        painter.setBrush(_NO_BRUSH)
        current = -1
        # thousands of hairlines: without antialiasing they draw several times faster
        antialiased = painter.testRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, wide)
        styles = style[rows].tolist()
        if wide:  # few links, each stroked on its own (translucent, where they cross)
            for r, s in zip(rows.tolist(), styles, strict=True):
                if s != current:
                    painter.setPen(self._pen(s, lod, wide))
                    current = s
                painter.drawPath(path(r))
            styles = []
        # the hairlines of one style drawn as one path (a path and a paint call per curve
        # cost most of the 20 ms a search's jump spent on 1,200 new curves)
        geometry = self._geometry[rows].tolist() if styles else []
        start = 0
        while start < len(styles):
            current = styles[start]
            end = start
            joined = QPainterPath()
            move, curve = joined.moveTo, joined.cubicTo
            while end < len(styles) and styles[end] == current:
                g = geometry[end]
                move(g[0], g[1])
                curve(g[2], g[3], g[4], g[5], g[6], g[7])
                end += 1
            painter.setPen(self._pen(current, lod, wide))
            painter.drawPath(joined)
            start = end
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, antialiased)
        for r in selected:
            if r is not None:
                painter.setPen(self._pen(int(style[r]), max(lod, 0.5), True))
                painter.drawPath(path(r))


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
