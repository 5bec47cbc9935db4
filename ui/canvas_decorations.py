"""What the canvas draws behind and above its items: tier columns, park bands and their
labels behind the nodes; tier headings pinned to the top of the view above them.

A park's bands (one per column its members are in) are its box: the selected park's and
the park a park project is dragged over are outlined, and its label carries a badge per
park project assigned to it in the current scenario (filled once live in the shown year).

Both are drawn from the layout's columns and bands (planner/layout.py) by the view's
``drawBackground`` and ``drawForeground``; they are not items, so a big chain adds no
items for them and the headings stay put while the scene scrolls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from planner.layout import COLUMN, LANE, ROW, Band, Column
from ui import palette
from ui.canvas_items import LABEL_BACK, LABEL_GAP, SCREEN_LABEL_LOD, shown_name
from ui.i18n import tr

if TYPE_CHECKING:
    from ui.canvas_view import ChainView

HEADER_H = 36  # sticky tier headings at the top of the view, in pixels
HINT_H = 28  # the hint at the foot of the view ("zoom in to see names"), in pixels
PARK_LOD = 0.3  # zoom from which park labels are drawn
PARK_PX = 10  # park labels' pixel size up to 100 %; they grow with the zoom beyond
NODE_CLEAR = 28.0  # scene units a name stops short of the next lane's nodes' centres


def column_title(column: Column, short: bool = False) -> str:
    if column.position == "core":
        return tr("Core")
    if column.position == "detached":
        return tr("Detached")
    if short:
        return tr("U{0}" if column.position == "upstream" else "D{0}", column.tier)
    return tr("Upstream tier {0}" if column.position == "upstream" else "Downstream tier {0}",
              column.tier)


def heading_options(column: Column) -> list[tuple[str, str, str]]:
    """Ways to write a column's heading, widest first: (title, count, second line)."""
    count = "" if column.position == "core" else f" · {column.count}"
    title = column_title(column)
    options = [(title, count, "")]
    if column.position in ("upstream", "downstream"):  # on two lines before without the count
        word = tr("Upstream" if column.position == "upstream" else "Downstream")
        tier = tr("Tier {0}", column.tier)
        options += [(word, "", tier + count), (title, "", ""), (word, "", tier)]
    else:
        options.append((title, "", ""))
    options.append((column_title(column, short=True), "", ""))
    return options


class Decorations:
    """The layout's columns and bands, and how to paint them."""

    def __init__(self, fonts: dict[str, QFont]):
        self.overview = False  # a big chain's overview is shown: no park bands behind it
        self.fonts = fonts
        self.columns: list[Column] = []
        self.bands: list[Band] = []
        self.lanes = np.zeros(0)  # x of every lane of every column, ascending
        self.park_names: dict[str, str] = {}  # park id -> the name shown (when not the id)
        self.badges: dict[str, list[tuple[str, bool]]] = {}  # park -> (project, live)
        self.selected_park = ""  # outlined
        self.drop_park = ""  # a park project is dragged over it: outlined, tinted

    def park_boxes(self, band: Band) -> list[QRectF]:
        """The rectangles a band covers, as painted (its lanes' share of the column)."""
        return [QRectF(left + 14, top + ROW * 0.12, right - left - 28, bottom - top - ROW * 0.2)
                for left, top, right, bottom in band.rects]

    def band_at(self, point: QPointF) -> Band | None:
        """The park band (not the "no park" one) under a scene point."""
        for band in self.bands:
            if band.park and any(box.contains(point) for box in self.park_boxes(band)):
                return band
        return None

    def set_layout(self, columns: list[Column], bands: list[Band]) -> None:
        self.columns, self.bands = columns, bands
        self.lanes = np.array(sorted(c.left + LANE / 2 + k * LANE for c in columns
                                     for k in range(c.lanes)))

    def room(self, x: np.ndarray) -> np.ndarray:
        """Scene units from ``x`` to what stands next on its right: the next column's panel,
        or the nodes of the next lane of the same (wrapped) column, or for a node off the
        lanes (a new firm between columns, a moved one) the next lane's nodes. How far a
        name written at ``x`` may reach."""
        lanes = self.lanes
        if len(lanes) == 0:
            return np.full(len(x), COLUMN - LANE / 2)
        after = np.searchsorted(lanes, x + 1.0, side="left")
        nxt = lanes[np.minimum(after, len(lanes) - 1)]
        gap = np.where(after < len(lanes), nxt - x, COLUMN)
        on_lane = np.abs(lanes[np.maximum(after - 1, 0)] - x) < 1.0
        next_column = on_lane & (gap > LANE + 1.0)
        gap = gap - np.where(next_column, LANE / 2, NODE_CLEAR)
        return np.clip(gap, LANE / 4, COLUMN)

    def paint_background(self, painter: QPainter, rect: QRectF) -> None:
        """Column panels (the detached column dashed), park bands and park labels."""
        painter.fillRect(rect, palette.PAPER)
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        painter.setPen(Qt.PenStyle.NoPen)
        # a panel cut a little beyond what is painted, its cut corners out of sight: a
        # province's column, 27,000 units tall, filled whole cost 0.5 ms a paint
        near = rect.adjusted(-20 - 4 / lod, -20 - 4 / lod, 20 + 4 / lod, 20 + 4 / lod)
        for column in self.columns:
            panel = QRectF(column.left + 6, column.top - ROW * 0.35, column.right - column.left - 12,
                           column.bottom - column.top + ROW * 0.7)
            if not panel.intersects(rect):
                continue
            if column.position == "detached":  # (cut, its dashes would move as it scrolls)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                pen = QPen(palette.GREY, 1.2, Qt.PenStyle.DashLine)
                pen.setCosmetic(True)
                painter.setPen(pen)
                painter.drawRoundedRect(panel, 12, 12)
                painter.setPen(Qt.PenStyle.NoPen)
            else:
                painter.setBrush(palette.PANEL_ALT if column.position == "core" else palette.PANEL)
                painter.drawRoundedRect(panel.intersected(near), 12, 12)
        if self.overview:  # the overview's boxes stand for the park bands
            return
        painter.setBrush(palette.BAND)
        marked = {self.selected_park, self.drop_park} - {""}
        for band in self.bands:  # cut like the panels: a lane's band ran 27,000 units tall
            for box in self.park_boxes(band):
                if box.intersects(rect):
                    painter.drawRoundedRect(box.intersected(near), 8, 8)
        for band in self.bands:
            if band.park not in marked:
                continue
            drop = band.park == self.drop_park
            pen = QPen(palette.BLUISH_GREEN if drop else palette.BLUE, 2.4 if drop else 1.8)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(QColor(0, 158, 115, 40) if drop else Qt.BrushStyle.NoBrush)
            for box in self.park_boxes(band):
                if box.intersects(rect):
                    painter.drawRoundedRect(box.intersected(near), 8, 8)
            painter.setPen(Qt.PenStyle.NoPen)
        if lod < PARK_LOD:
            return
        # park names at a readable pixel size, like the nodes' names, as wide as the gap
        # to the next lane allows
        font = QFont(self.fonts["park"])
        font.setPixelSize(round(PARK_PX * max(1.0, lod)))
        metrics = QFontMetricsF(font)
        lane_x = np.array([band.label[0] for band in self.bands])
        starts = lane_x - LANE / 2 + 22
        rooms = self.room(lane_x) + LANE / 2 - 22 - LABEL_GAP if len(lane_x) else lane_x
        painter.setFont(font)
        chip_font = QFont(self.fonts["badge"])
        chip_font.setPixelSize(max(9, round((PARK_PX - 1) * max(1.0, lod))))
        chips = QFontMetricsF(chip_font)
        for band, start, room in zip(self.bands, starts.tolist(), np.asarray(rooms).tolist(),
                                     strict=True):
            y = band.label[1]
            if not QRectF(start, y - ROW / 2, room, ROW).intersects(rect):
                continue
            count = f" · {band.count}"
            badges = self.badges.get(band.park, []) if band.park else []
            # the badges below the name when the label slot has room for two lines
            below = bool(badges) and ROW * lod >= metrics.height() + chips.height() + 8
            widths = [chips.horizontalAdvance(p) + 8 for p, _ in badges]
            beside = 0.0 if below or not badges else sum(w + 3 for w in widths) + 4
            label = (shown_name(self.park_names.get(band.park, band.park)) if band.park
                     else tr("No park"))
            name = metrics.elidedText(label, Qt.TextElideMode.ElideRight,
                                      room * lod - metrics.horizontalAdvance(count) - 6 - beside)
            if not name or name == "…":
                if not badges:
                    continue
                name, count, beside = "", "", 0.0
                below = True
            text = name + count
            painter.save()
            painter.translate(start, y)
            painter.scale(1 / lod, 1 / lod)  # one unit is now one pixel
            top = -metrics.height() / 2 - 1 - (chips.height() / 2 + 2 if below else 0)
            box = QRectF(0, top, metrics.horizontalAdvance(text) + 6, metrics.height() + 2)
            if text:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(LABEL_BACK)
                painter.drawRoundedRect(box, 3, 3)
                painter.setPen(palette.INK if band.park and band.park == self.selected_park
                               else palette.MUTED_INK)
                painter.drawText(box.adjusted(3, 0, 0, 0),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            if badges:
                x = box.right() + 4 if not below else 0.0
                chip_top = box.bottom() + 2 if below else -chips.height() / 2 - 1
                room_px = room * lod
                painter.setFont(chip_font)
                for (project, live), width in zip(badges, widths, strict=True):
                    if x + width > room_px:
                        break
                    chip = QRectF(x, chip_top, width, chips.height() + 2)
                    pen = QPen(palette.BLUISH_GREEN, 1.2)
                    painter.setPen(pen)
                    painter.setBrush(palette.BLUISH_GREEN if live else palette.PAPER)
                    painter.drawRoundedRect(chip, 4, 4)
                    painter.setPen(palette.PAPER if live else palette.BLUISH_GREEN)
                    painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, project)
                    x += width + 3
                painter.setFont(font)
            painter.restore()

    def paint_foreground(self, painter: QPainter, view: ChainView) -> None:
        """Tier headings pinned to the top of the view, and a hint when names or links
        are left out at this zoom."""
        if not self.columns:
            return
        painter.save()
        painter.resetTransform()
        width = view.viewport().width()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.PAPER)
        painter.drawRect(QRectF(0, 0, width, HEADER_H))
        painter.setPen(QPen(QColor(0, 0, 0, 40), 1))
        painter.drawLine(QPointF(0, HEADER_H - 0.5), QPointF(width, HEADER_H - 0.5))
        heading, small = self.fonts["heading"], self.fonts["small"]
        bold, light = QFontMetricsF(heading), QFontMetricsF(small)
        centres = [(view.mapFromScene(QPointF(c.left, 0)).x()
                    + view.mapFromScene(QPointF(c.right, 0)).x()) / 2 for c in self.columns]
        last_right = -1e9
        for k, column in enumerate(self.columns):
            centre = centres[k]
            # room: up to halfway to the neighbouring columns' centres
            half = min(centre - centres[k - 1] if k else 1e9,
                       centres[k + 1] - centre if k + 1 < len(centres) else 1e9) / 2
            room_left, room_right = max(centre - half, 0) + 4, min(centre + half, width) - 4
            span = room_right - room_left
            if span <= 0:
                continue
            for title, count, second in heading_options(column):
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
        sampled = view.links_sampled
        overview = view.overview_shown
        if (view.transform().m11() < SCREEN_LABEL_LOD or sampled) and (view.has_nodes
                                                                        or overview):
            painter.setFont(small)
            names = view.transform().m11() < SCREEN_LABEL_LOD
            hint = tr("Overview: double-click a group or zoom in to see its firms" if overview
                      else "Zoom in to see names and every link" if sampled and names
                      else "Zoom in to see every link" if sampled else "Zoom in to see names")
            box = QRectF(8, view.viewport().height() - HINT_H + 4,
                         light.horizontalAdvance(hint) + 14, 18)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(255, 255, 255, 220))
            painter.drawRoundedRect(box, 4, 4)
            painter.setPen(palette.MUTED_INK)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, hint)
        painter.restore()
