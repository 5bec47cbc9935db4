"""The report painted to an A4 PDF: ``planner.report``'s content laid out page by page and
drawn with QPainter on a QPdfWriter, every chart and the chain picture as vector paths
(a few hundred kB instead of megabytes of pictures; sharp at any zoom).

The painter builds no Document, undo stack or window. ``pdf_steps`` lays the report out
and paints it one page at a time, yielding the fraction done after each step, so the
app can paint on the GUI thread in small slices with a progress bar and Cancel
(``ReportExport``); ``write_pdf`` runs the steps at once (the command line).

Text is set in a Latin family with a Chinese family behind it (Noto Sans CJK when
installed); Qt embeds the subset of each font the report uses. Tables have borders
and the best values are bold as well as shaded, so the report reads in grey print.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QPolygonF,
    QTextLayout,
    QTextOption,
)

from planner.report import (
    Cell,
    ChainPicture,
    Chart,
    Contents,
    Figures,
    Heading,
    Paragraph,
    Report,
    ReportError,
    Series,
    Table,
)
from ui import palette

RESOLUTION = 600  # device units per inch of the PDF's coordinate system
MARGINS_MM = (16.0, 14.0, 16.0, 14.0)  # left, top, right, bottom (the footer sits below)
FOOTER_MM = 8.0
LATIN_FAMILIES = ("Noto Sans", "DejaVu Sans", "Segoe UI", "Helvetica Neue", "Arial",
                  "Liberation Sans")
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Micro Hei",
                "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "SimHei",
                "Noto Serif CJK SC", "AR PL UMing CN")
GRID = QColor("#8C8C8C")  # table borders
HEAD = QColor("#E8EBEF")  # table heading background (light grey: reads in print)
BEST = palette.mix(palette.SKY_BLUE, palette.PAPER, 0.68)  # as the comparison view
PARAGRAPH_PT = {"body": 9.0, "muted": 9.0, "note": 7.5, "lead": 10.5, "title": 22.0,
                "kicker": 11.0}
HEADING_PT = {1: 16.0, 2: 11.5, 3: 9.5}
SERIES_COLOURS = {
    "cost": palette.VERMILLION, "benefit": palette.BLUE, "net": palette.INK,
    "core": palette.PARTY_COLOURS["core"], "sme": palette.PARTY_COLOURS["sme"],
    "government": palette.PARTY_COLOURS["government"],
    "park": palette.PARTY_COLOURS.get("park", palette.ORANGE), "islands": palette.SKY_BLUE,
    "connected": palette.BLUE, "digitalised": palette.BLUISH_GREEN, "start": palette.GREY,
    "end": palette.BLUE,
}
DASHES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine,
          Qt.PenStyle.DashDotLine, Qt.PenStyle.DashDotDotLine)
NODE_RADIUS = {"large": 17.0, "medium": 13.0, "small": 10.0, "micro": 7.5}  # as the canvas
LINK_WIDTH_PT = (0.35, 0.6, 0.9, 1.3)  # by trade value quartile

Draw = Callable[[QPainter], None]
# runs of text a line never breaks inside: Latin words and numbers (CJK breaks anywhere)
_UNBREAKABLE = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")
Progress = Callable[[float], None]


def pt(points: float) -> float:
    """Device units of ``points`` (1/72 inch)."""
    return points * RESOLUTION / 72.0


def mm(millimetres: float) -> float:
    return millimetres * RESOLUTION / 25.4


# --- fonts -----------------------------------------------------------------------------------
def report_font_families() -> list[str]:
    """A Latin family, then one with Chinese glyphs; Qt takes each character from the first
    family that has it. (Latin first: with the Latin digits of some CJK fonts Qt writes no
    text mapping, so numbers could not be searched or copied.)"""
    installed = set(QFontDatabase.families())
    chosen = [next((f for f in LATIN_FAMILIES if f in installed), QGuiApplication.font().family())]
    chinese = next((f for f in CJK_FAMILIES if f in installed), None)
    if chinese is None:
        found = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
        chinese = found[0] if found else None
    if chinese and chinese not in chosen:
        chosen.append(chinese)
    return chosen


def report_font(points: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(report_font_families())
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


_RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals
_IDEOGRAPHS = range(0x4E00, 0xA000)  # CJK Unified Ideographs
_CODE = re.compile(rb"<(2[EF][0-9A-F]{2})>")


def radical_equivalents(families: list[str]) -> dict[int, int]:
    """Radical code point -> the ideograph drawn with the same glyph, in these fonts."""
    from PySide6.QtGui import QRawFont

    result: dict[int, int] = {}
    for family in families:
        raw = QRawFont.fromFont(QFont(family))
        if not raw.isValid():
            continue
        first: dict[int, int] = {}
        glyphs = raw.glyphIndexesForString("".join(map(chr, _IDEOGRAPHS)))
        for code, glyph in zip(_IDEOGRAPHS, glyphs, strict=False):
            if glyph and glyph not in first:
                first[glyph] = code
        glyphs = raw.glyphIndexesForString("".join(map(chr, _RADICALS)))
        for code, glyph in zip(_RADICALS, glyphs, strict=False):
            if glyph in first:
                result.setdefault(code, first[glyph])
    return result


def fix_text_mapping(path: Path, families: list[str]) -> None:
    """WORKAROUND: Qt's PDF writer (6.11 and before) maps each glyph back to the lowest code
    point that uses it, so a Chinese character whose glyph a CJK font shares with a radical
    (车 with ⻋, 页 with ⻚, 一 with ⼀ …) is written as the radical: it looks right, but
    search and copy give the radical. https://github.com/wkhtmltopdf/wkhtmltopdf/issues/4414
    Rewrite the radicals in the ToUnicode maps (plain text in Qt's output) to the
    ideographs sharing their glyphs; each code keeps its four hex digits, so no offset
    in the file moves.
    """
    data = bytearray(path.read_bytes())
    spans = []
    for number in set(re.findall(rb"/ToUnicode (\d+) 0 R", data)):
        head = re.search(rb"\n" + number + rb" 0 obj\s*<<[^>]*>>\s*stream\r?\n", data)
        if head is not None and b"/Filter" not in head.group(0):
            end = data.find(b"endstream", head.end())
            if _CODE.search(data, head.end(), end):
                spans.append((head.end(), end))
    if not spans:
        return
    equivalents = radical_equivalents(families)

    def ideograph(match: re.Match[bytes]) -> bytes:
        code = equivalents.get(int(match.group(1), 16))
        return b"<%04X>" % code if code else match.group(0)

    for start, end in spans:
        # only the targets of the ranges ([...]), never the glyph codes before them
        data[start:end] = re.sub(rb"\[[^\]]*\]", lambda m: _CODE.sub(ideograph, m.group(0)),
                                 bytes(data[start:end]))
    path.write_bytes(bytes(data))


# --- text ------------------------------------------------------------------------------------
class TextBox:
    """A wrapped piece of text, laid out for the PDF; ``draw`` puts it at a point."""

    def __init__(self, text: str, font: QFont, width: float, device: Any,
                 align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft):
        self.layout = QTextLayout(text.replace("\n", "\u2028"), font, device)
        option = QTextOption(align)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.layout.setTextOption(option)
        self.layout.setCacheEnabled(True)
        self.lines: list[tuple[float, float]] = []  # (top, height) of each line
        y = 0.0
        self.layout.beginLayout()
        while True:
            line = self.layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(1.0, width))
            line.setPosition(QPointF(0.0, y))
            self.lines.append((y, line.height()))
            y += line.height()
        self.layout.endLayout()
        self.height = y
        self.width = width

    def natural_width(self) -> float:
        return max((self.layout.lineAt(i).naturalTextWidth()
                    for i in range(self.layout.lineCount())), default=0.0)

    def draw(self, painter: QPainter, x: float, y: float, first: int = 0,
             last: int | None = None) -> None:
        """Lines ``first`` up to ``last`` (all by default), the first of them at y."""
        last = self.layout.lineCount() if last is None else last
        if first >= last:
            return
        shift = self.lines[first][0]
        for i in range(first, last):
            self.layout.lineAt(i).draw(painter, QPointF(x, y - shift))


# --- pages -----------------------------------------------------------------------------------
@dataclass
class Page:
    landscape: bool = False
    items: list[Draw] = field(default_factory=list)


class Layout:
    """Flows the report's blocks onto pages; each page is a list of drawing steps."""

    def __init__(self, report: Report, device: Any):
        self.report, self.device = report, device
        self.pages: list[Page] = []
        self.chapter_pages: list[int] = []  # page index of each chapter, in order
        self.contents: tuple[Contents, int, float, float] | None = None  # block, page, y, width
        self.width = self.height = self.top = self.left = self.bottom = 0.0
        self.y = 0.0
        self.fonts: dict[tuple[float, bool], QFont] = {}

    def font(self, points: float, bold: bool = False) -> QFont:
        key = (points, bold)
        if key not in self.fonts:
            self.fonts[key] = report_font(points, bold)
        return self.fonts[key]

    def box(self, text: str, points: float, width: float, bold: bool = False,
            align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> TextBox:
        return TextBox(text, self.font(points, bold), width, self.device, align)

    # --- pages -------------------------------------------------------------------------------
    def new_page(self, landscape: bool = False) -> None:
        self.pages.append(Page(landscape))
        page_w, page_h = (mm(297), mm(210)) if landscape else (mm(210), mm(297))
        left, top, right, bottom = (mm(v) for v in MARGINS_MM)
        self.left, self.top = left, top
        self.width = page_w - left - right
        self.bottom = page_h - bottom - mm(FOOTER_MM)
        self.height = self.bottom - top
        self.y = top

    @property
    def at_top(self) -> bool:
        return not self.pages[-1].items

    def room(self) -> float:
        return self.bottom - self.y

    def ensure(self, needed: float) -> None:
        """A new page unless ``needed`` fits below the cursor (or the page is still empty)."""
        if needed > self.room() and not self.at_top:
            self.new_page()

    def put(self, draw: Draw) -> None:
        self.pages[-1].items.append(draw)

    # --- the flow ----------------------------------------------------------------------------
    def run(self) -> Iterator[float]:
        """Lay every block out, yielding the fraction of blocks done now and then."""
        blocks = self.report.blocks
        self.new_page()
        for i, block in enumerate(blocks):
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            if isinstance(block, Heading):
                self.heading(block, following)
            elif isinstance(block, Paragraph):
                self.paragraph(block)
            elif isinstance(block, Table):
                yield from self.table(block)
            elif isinstance(block, Figures):
                self.figures(block)
            elif isinstance(block, ChainPicture):
                self.chain(block)
            elif isinstance(block, Contents):
                self.contents_list(block)
            yield i / len(blocks)

    def heading(self, block: Heading, following: object) -> None:
        points = HEADING_PT.get(block.level, 9.5)
        box = self.box(block.text, points, self.width, bold=True)
        if block.level == 1:
            if not self.at_top or self.pages[-1].landscape:
                self.new_page()
            self.chapter_pages.append(len(self.pages) - 1)
            before, after = 0.0, pt(8)
        else:
            before, after = (pt(10), pt(4)) if block.level == 2 else (pt(7), pt(3))
            if self.at_top:
                before = 0.0
            # keep with the next block: never a heading alone at a page's foot
            self.ensure(before + box.height + after + self.first_height(following))
            if self.at_top:
                before = 0.0
        self.y += before
        x, y = self.left, self.y

        def draw(p: QPainter) -> None:
            p.setPen(palette.INK)
            box.draw(p, x, y)

        self.put(draw)
        self.y += box.height + after

    def first_height(self, block: object) -> float:
        """How much of ``block`` must fit under a heading for the heading to stay."""
        if isinstance(block, Paragraph):
            return pt(PARAGRAPH_PT.get(block.style, 9.0)) * 2.6
        if isinstance(block, Table):
            return pt(7.5) * 6
        if isinstance(block, Figures):
            return self.chart_height(block)
        if isinstance(block, Heading):
            return pt(HEADING_PT.get(block.level, 9.5)) * 1.6 + pt(30)
        return 0.0

    def paragraph(self, block: Paragraph) -> None:
        points = PARAGRAPH_PT.get(block.style, 9.0)
        box = self.box(block.text, points, self.width, bold=block.style == "title")
        colour = palette.MUTED_INK if block.style in ("note", "muted", "kicker") else palette.INK
        before = {"title": pt(6), "kicker": pt(60) if self.at_top else 0.0}.get(block.style, 0.0)
        after = {"note": pt(7), "title": pt(8), "lead": pt(4)}.get(block.style, pt(5))
        self.y += before
        first = 0
        while first < len(box.lines):  # a paragraph may go on on the next page
            last = first
            top = box.lines[first][0]
            while last < len(box.lines) and box.lines[last][0] + box.lines[last][1] - top \
                    <= self.room():
                last += 1
            if last == first:
                if self.at_top:
                    last = first + 1
                else:
                    self.new_page()
                    continue
            x, y, a, b = self.left, self.y, first, last

            def draw(p: QPainter, x: float = x, y: float = y, a: int = a, b: int = b) -> None:
                p.setPen(colour)
                box.draw(p, x, y, a, b)

            self.put(draw)
            self.y += box.lines[last - 1][0] + box.lines[last - 1][1] - top
            first = last
            if first < len(box.lines):
                self.new_page()
        self.y += after

    def contents_list(self, block: Contents) -> None:
        """Room for the chapters' list; filled in when the pages are known."""
        chapters = self.report.chapters()
        title = self.box(block.title, HEADING_PT[2], self.width, bold=True)
        line = self.box("0", 9.0, self.width).height * 1.35
        self.ensure(pt(10) + title.height + pt(4) + line * len(chapters))
        self.y += pt(10)
        x, y = self.left, self.y
        self.put(lambda p: title.draw(p, x, y))
        self.y += title.height + pt(4)
        self.contents = (block, len(self.pages) - 1, self.y, line)
        self.y += line * len(chapters)

    def draw_contents(self) -> None:
        """Now that every chapter has its page: the contents list, with page numbers."""
        if self.contents is None:
            return
        _, page, y, line = self.contents
        left, width = mm(MARGINS_MM[0]), mm(210) - mm(MARGINS_MM[0]) - mm(MARGINS_MM[2])
        for title, number in zip(self.report.chapters(), self.chapter_pages, strict=True):
            name = self.box(title, 9.0, width * 0.85)
            digits = self.box(str(number + 1), 9.0, width * 0.15,
                              align=Qt.AlignmentFlag.AlignRight)
            row_y = y

            def draw(p: QPainter, name: TextBox = name, digits: TextBox = digits,
                     row_y: float = row_y) -> None:
                p.setPen(palette.INK)
                name.draw(p, left, row_y)
                digits.draw(p, left + width * 0.85, row_y)
                p.setPen(QPen(GRID, pt(0.4), Qt.PenStyle.DotLine))
                base = row_y + name.height * 0.8
                p.drawLine(QPointF(left + name.natural_width() + pt(4), base),
                           QPointF(left + width - digits.natural_width() - pt(4), base))

            self.pages[page].items.append(draw)
            y += line

    # --- tables ------------------------------------------------------------------------------
    def table(self, block: Table) -> Iterator[float]:
        points = 7.0 if block.small else 8.0
        pad_x, pad_y = pt(3), pt(2.2) if block.ruled else pt(1.5)
        widths = self.column_widths(block, points, pad_x)
        xs = [self.left + sum(widths[:i]) for i in range(len(widths))]

        def align(column: int) -> Qt.AlignmentFlag:
            letter = block.align[column:column + 1]
            return {"r": Qt.AlignmentFlag.AlignRight,
                    "c": Qt.AlignmentFlag.AlignHCenter}.get(letter, Qt.AlignmentFlag.AlignLeft)

        def row_boxes(cells: list[Cell], bold: bool = False) -> tuple[list[TextBox], float]:
            boxes = [self.box(c.text, points, widths[i] - 2 * pad_x, bold or c.bold, align(i))
                     for i, c in enumerate(cells)]
            return boxes, max((b.height for b in boxes), default=0.0) + 2 * pad_y

        header: tuple[list[TextBox], float] | None = None
        if block.header:
            header = row_boxes([Cell(h) for h in block.header], bold=True)

        def put_row(boxes: list[TextBox], height: float, cells: list[Cell] | None,
                    is_header: bool) -> None:
            y = self.y

            def draw(p: QPainter) -> None:
                for i, box in enumerate(boxes):
                    cell = QRectF(xs[i], y, widths[i], height)
                    shaded = HEAD if is_header else BEST if cells and cells[i].best else None
                    if block.ruled and shaded is not None:
                        p.fillRect(cell, shaded)
                    if block.ruled:
                        p.setPen(QPen(GRID, pt(0.5)))
                        p.setBrush(Qt.BrushStyle.NoBrush)
                        p.drawRect(cell)
                    p.setPen(palette.INK)
                    box.draw(p, xs[i] + pad_x, y + pad_y)

            self.put(draw)
            self.y += height

        self.ensure((header[1] if header else 0.0) + pt(points) * 3)
        if header:
            put_row(*header, None, True)
        for n, row in enumerate(block.rows):
            boxes, height = row_boxes(list(row))
            if height > self.room() and not self.at_top:
                self.new_page()
                if header:
                    put_row(*header, None, True)
            put_row(boxes, height, list(row), False)
            if n % 200 == 199:
                yield 0.0  # a long table: let the GUI breathe
        self.y += pt(4)

    def column_widths(self, block: Table, points: float, pad_x: float) -> list[float]:
        """The block's relative widths, widened where a word would not fit (a number, a
        Latin word: those must not break), taken from the columns with room to spare."""
        total = sum(block.widths)
        widths = [self.width * w / total for w in block.widths]
        plain = QFontMetricsF(self.font(points), self.device)
        bold = QFontMetricsF(self.font(points, True), self.device)
        need = [0.0] * len(widths)
        rows: list[tuple[tuple[str, ...], QFontMetricsF]] = [(block.header, bold)]
        rows += [(tuple(c.text for c in r), plain) for r in block.rows]
        for texts, metrics in rows:
            for i, text in enumerate(texts[:len(need)]):
                for word in _UNBREAKABLE.findall(text):
                    need[i] = max(need[i], metrics.horizontalAdvance(word))
        need = [n + 2 * pad_x + pt(1) for n in need]
        short = sum(max(0.0, n - w) for n, w in zip(need, widths, strict=True))
        spare = sum(max(0.0, w - n) for n, w in zip(need, widths, strict=True))
        if short <= 0 or spare <= 0:
            return widths
        take = min(1.0, short / spare)
        return [n if n > w else w - (w - n) * take for n, w in zip(need, widths, strict=True)]

    # --- figures -----------------------------------------------------------------------------
    def chart_height(self, block: Figures) -> float:
        width = (self.width - pt(10) * (block.columns - 1)) / block.columns
        return width * (0.64 if block.columns > 1 else 0.40)

    def figures(self, block: Figures) -> None:
        gap = pt(10)
        width = (self.width - gap * (block.columns - 1)) / block.columns
        charts = list(block.charts)
        for start in range(0, len(charts), block.columns):
            row = charts[start:start + block.columns]
            height = self.chart_height(block)
            if any(c.horizontal for c in row):
                rows = max(len(c.categories) for c in row if c.horizontal)
                height = max(height, pt(52) + rows * pt(17))
            self.ensure(height + gap)
            for k, chart in enumerate(row):
                rect = QRectF(self.left + k * (width + gap), self.y, width, height)
                painter = ChartPainter(chart, self)
                self.put(lambda p, rect=rect, painter=painter: painter.paint(p, rect))
            self.y += height + gap

    def chain(self, block: ChainPicture) -> None:
        """The chain on a page of its own: landscape when it is wider than tall."""
        picture = ChainPainter(block, self)
        if self.at_top:  # an empty page waits already: it becomes the picture's
            self.pages.pop()
        self.new_page(picture.wants_landscape())
        rect = QRectF(self.left, self.top, self.width, self.height)
        for step in picture.steps(rect):
            self.put(step)
        self.new_page()


# --- charts ----------------------------------------------------------------------------------
def nice_step(span: float, count: int, integer: bool) -> float:
    raw = max(span, 1e-9) / max(1, count)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * 0.999)
    if integer:
        step = max(1.0, math.ceil(step))
    return step


def series_colour(series: Series) -> QColor:
    if series.colour.startswith("series"):
        return palette.series_colour(int(series.colour[6:] or 0))
    return SERIES_COLOURS.get(series.colour, palette.GREY)


def _blanks(names: list[str]) -> int:
    """How many of ``names`` from the first are empty."""
    return next((i for i, name in enumerate(names) if name), len(names))


def band_colour(series: Series) -> QColor:
    """A band's fill: its colour, light enough for the lines over it to read."""
    return palette.mix(series_colour(series), palette.PAPER, 0.7)


class ChartPainter:
    """One chart as vector paths: title, legend row(s), axes with ticks, bars and lines."""

    def __init__(self, chart: Chart, layout: Layout):
        self.chart, self.layout = chart, layout

    def values(self) -> list[float]:
        chart = self.chart
        found: list[float] = [0.0]
        stacked = [0.0] * len(chart.categories)
        for s in chart.series:
            for i, v in enumerate(s.values):
                if v is None:
                    continue
                if s.kind == "stack":
                    stacked[i] += v
                else:
                    found.append(v)
        return found + stacked

    def paint(self, p: QPainter, rect: QRectF) -> None:
        chart, layout = self.chart, self.layout
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        tick_pt = 6.8
        title = layout.box(chart.title, 8.5, rect.width(), bold=True)
        p.setPen(palette.INK)
        title.draw(p, rect.left(), rect.top())
        y = rect.top() + title.height + pt(2)
        y = self.legend(p, rect.left(), y, rect.width()) + pt(3)
        if chart.marker is not None or chart.markers:
            y += layout.box("0", tick_pt, 100).height + pt(1)  # the marker's label goes here
        if chart.kind != "percent":  # percent ticks say what they are
            axis_box = layout.box(chart.axis, tick_pt, rect.width() * 0.5)
            p.setPen(palette.MUTED_INK)
            axis_box.draw(p, rect.left(), y)
            y += axis_box.height * 1.5 + pt(1)  # the top tick's label reaches up half a line
        else:
            y += axis_box_height(layout, tick_pt) * 0.5 + pt(2)
        plot = QRectF(rect.left(), y, rect.width(), rect.bottom() - y)
        if chart.horizontal:
            self.horizontal(p, plot, tick_pt)
        else:
            self.vertical(p, plot, tick_pt)
        p.restore()

    def legend(self, p: QPainter, x0: float, y: float, width: float) -> float:
        """Swatches and names in rows under the title; returns the y below them."""
        layout = self.layout
        boxes = [(s, layout.box(s.name, 7.0, width)) for s in self.chart.series]
        swatch, gap = pt(14), pt(10)
        x, line_h = x0, max((b.height for _, b in boxes), default=0.0)
        for series, box in boxes:
            need = swatch + pt(3) + box.natural_width()
            if x > x0 and x + need > x0 + width:
                x, y = x0, y + line_h + pt(1.5)
            self.swatch(p, series, QRectF(x, y + line_h * 0.2, swatch, line_h * 0.6))
            p.setPen(palette.INK)
            box.draw(p, x + swatch + pt(3), y)
            x += need + gap
        return y + line_h

    def swatch(self, p: QPainter, series: Series, rect: QRectF) -> None:
        colour = series_colour(series)
        if series.kind == "band":
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(band_colour(series))
            p.drawRect(rect)
        elif series.kind == "line":
            p.setPen(self.line_pen(series))
            mid = rect.center().y()
            p.drawLine(QPointF(rect.left(), mid), QPointF(rect.right(), mid))
            self.marker(p, series, QPointF(rect.center().x(), mid))
        else:
            p.setPen(QPen(colour.darker(130), pt(0.4)))
            p.setBrush(colour)
            p.drawRect(QRectF(rect.left() + rect.width() * 0.2, rect.top(), rect.width() * 0.6,
                              rect.height()))

    def line_pen(self, series: Series) -> QPen:
        pen = QPen(series_colour(series), pt(1.3), DASHES[series.dash % len(DASHES)])
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        return pen

    def marker(self, p: QPainter, series: Series, at: QPointF) -> None:
        colour = series_colour(series)
        p.setPen(QPen(colour, pt(0.5)))
        p.setBrush(colour)
        r = pt(1.7)
        shape = series.dash % 4 if series.colour.startswith("series") else 0
        if shape == 1:
            p.drawRect(QRectF(at.x() - r, at.y() - r, 2 * r, 2 * r))
        elif shape == 2:
            p.drawPolygon(QPolygonF([QPointF(at.x(), at.y() - r * 1.2),
                                     QPointF(at.x() + r * 1.1, at.y() + r * 0.8),
                                     QPointF(at.x() - r * 1.1, at.y() + r * 0.8)]))
        elif shape == 3:
            p.drawPolygon(QPolygonF([QPointF(at.x(), at.y() - r * 1.3),
                                     QPointF(at.x() + r * 1.1, at.y()),
                                     QPointF(at.x(), at.y() + r * 1.3),
                                     QPointF(at.x() - r * 1.1, at.y())]))
        else:
            p.drawEllipse(at, r, r)

    def value_ticks(self) -> tuple[float, float, list[float]]:
        chart = self.chart
        if chart.kind == "percent":
            return 0.0, 100.0, [0.0, 25.0, 50.0, 75.0, 100.0]
        values = self.values()
        low, high = min(values), max(values)
        if high <= low:
            high = low + 1.0
        integer = chart.kind == "count"
        step = nice_step(high - low, 5, integer)
        low = math.floor(low / step) * step
        high = math.ceil(high / step) * step
        if integer:
            high = max(high, 1.0)
        ticks = [low + i * step for i in range(round((high - low) / step) + 1)]
        return low, high, ticks

    def tick_text(self, value: float, step: float) -> str:
        kind = self.chart.kind
        if kind == "percent":
            return f"{value:.0f}%"
        if kind == "count" or step >= 1:
            return f"{value:,.0f}".replace("-", "−")
        return f"{value:,.1f}".replace("-", "−")

    def vertical(self, p: QPainter, area: QRectF, tick_pt: float) -> None:
        chart, layout = self.chart, self.layout
        low, high, ticks = self.value_ticks()
        step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
        labels = [layout.box(self.tick_text(v, step), tick_pt, area.width() * 0.3) for v in ticks]
        axis_w = max(b.natural_width() for b in labels) + pt(4)
        n = max(1, len(chart.categories))
        slot = (area.width() - axis_w) / n
        # a label between unlabelled neighbours (a histogram's) may spread over them
        names = list(chart.categories)
        spread = [1 + 2 * min(_blanks(names[i - 1::-1] if i else []), _blanks(names[i + 1:]))
                  for i in range(len(names))]
        category_boxes = [layout.box(c, tick_pt, slot * 0.98 * w,
                                     align=Qt.AlignmentFlag.AlignHCenter)
                          for c, w in zip(names, spread, strict=True)]
        every = 1  # thin out category labels that would run into each other
        while any(b.natural_width() > slot * max(every, spread[i]) * 0.95
                  for i, b in enumerate(category_boxes) if i % every == 0) and every < n:
            every += 1
        if every > 1:
            category_boxes = [layout.box(c, tick_pt, slot * every * 0.98,
                                         align=Qt.AlignmentFlag.AlignHCenter)
                              for c in chart.categories]
        bottom_h = max((b.height for b in category_boxes), default=0.0) + pt(3)
        plot = QRectF(area.left() + axis_w, area.top(), area.width() - axis_w,
                      area.height() - bottom_h)

        def to_y(v: float) -> float:
            return plot.bottom() - (v - low) / (high - low) * plot.height()

        def to_x(i: float) -> float:
            return plot.left() + (i + 0.5) * slot

        grid = QPen(palette.mix(palette.GREY, palette.PAPER, 0.6), pt(0.35))
        for v, box in zip(ticks, labels, strict=True):
            y = to_y(v)
            p.setPen(QPen(palette.MUTED_INK, pt(0.6)) if v == 0 else grid)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(palette.MUTED_INK)
            box.draw(p, plot.left() - pt(3) - box.natural_width(), y - box.height / 2)
        p.setPen(palette.INK)
        for i, box in enumerate(category_boxes):
            if i % every:
                continue
            width = slot * every
            x = to_x(i) - width / 2 * 0.98 if every > 1 else to_x(i) - slot * 0.49 * spread[i]
            box.draw(p, x, plot.bottom() + pt(2))
        # bars: side by side per category; stacked series share one bar
        bars = [s for s in chart.series if s.kind == "bar"]
        stacks = [s for s in chart.series if s.kind == "stack"]
        groups = len(bars) + (1 if stacks else 0)
        bar_w = slot * 0.72 / max(1, groups)
        for k, series in enumerate(bars):
            colour = series_colour(series)
            p.setPen(QPen(colour.darker(125), pt(0.3)) if series.colour == "islands"
                     else Qt.PenStyle.NoPen)
            p.setBrush(colour)
            for i, v in enumerate(series.values):
                if v is None:
                    continue
                x = to_x(i) - slot * 0.36 + k * bar_w
                top, base = to_y(max(v, 0.0)), to_y(min(v, 0.0))
                p.drawRect(QRectF(x, top, bar_w * 0.94, max(base - top, pt(0.05))))
        if stacks:
            base_values = [0.0] * n
            for series in stacks:
                colour = series_colour(series)
                p.setPen(QPen(palette.PAPER, pt(0.3)))
                p.setBrush(colour)
                for i, v in enumerate(series.values):
                    if not v:
                        continue
                    x = to_x(i) - slot * 0.36 + len(bars) * bar_w
                    top, base = to_y(base_values[i] + v), to_y(base_values[i])
                    p.drawRect(QRectF(x, top, bar_w * 0.94, base - top))
                    base_values[i] += v
        for series in (s for s in chart.series if s.kind == "band"):
            lower = [(i, v) for i, v in enumerate(series.values) if v is not None]
            upper = [(i, v) for i, v in enumerate(series.upper) if v is not None]
            if lower and upper:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(band_colour(series))
                p.drawPolygon(QPolygonF([QPointF(to_x(i), to_y(v)) for i, v in lower]
                                        + [QPointF(to_x(i), to_y(v)) for i, v in upper[::-1]]))
        p.setBrush(Qt.BrushStyle.NoBrush)
        for series in (s for s in chart.series if s.kind == "line"):
            path = QPainterPath()
            pen_down = False
            points = []
            for i, v in enumerate(series.values):
                if v is None:
                    pen_down = False
                    continue
                point = QPointF(to_x(i), to_y(v))
                points.append(point)
                if pen_down:
                    path.lineTo(point)
                else:
                    path.moveTo(point)
                    pen_down = True
            p.setPen(self.line_pen(series))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
            for point in points:
                self.marker(p, series, point)
        if chart.marker is not None:
            index, text = chart.marker
            if 0 <= index < n:
                x = to_x(index)
                p.setPen(QPen(palette.BLUISH_GREEN, pt(0.9), Qt.PenStyle.DashLine))
                p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
                label = layout.box(text, tick_pt, plot.width(), bold=True)
                width = label.natural_width()
                left = min(max(x - width / 2, plot.left()), plot.right() - width)
                p.setPen(palette.BLUISH_GREEN.darker(120))
                label.draw(p, left, plot.top() - label.height - pt(1))
        placed = plot.left()  # the marked places' labels, left to right, never overlapping
        for position, text in sorted(chart.markers):
            x = to_x(min(max(position, -0.5), n - 0.5))
            p.setPen(QPen(palette.VERMILLION, pt(0.9), Qt.PenStyle.DashLine))
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            label = layout.box(text, tick_pt, plot.width(), bold=True)
            width = label.natural_width()
            left = min(max(x - width / 2, placed), plot.right() - width)
            p.setPen(palette.VERMILLION.darker(120))
            label.draw(p, left, plot.top() - label.height - pt(1))
            placed = left + width + pt(4)
        p.setPen(QPen(palette.MUTED_INK, pt(0.5)))
        p.drawLine(QPointF(plot.left(), plot.top()), QPointF(plot.left(), plot.bottom()))

    def horizontal(self, p: QPainter, area: QRectF, tick_pt: float) -> None:
        """Bars across: the categories (long names) down the left, values along the bottom."""
        chart, layout = self.chart, self.layout
        low, high, ticks = self.value_ticks()
        name_w = area.width() * 0.34
        names = [layout.box(c, tick_pt, name_w - pt(4), align=Qt.AlignmentFlag.AlignRight)
                 for c in chart.categories]
        tick_boxes = [layout.box(self.tick_text(v, 1.0), tick_pt, area.width() * 0.2,
                                 align=Qt.AlignmentFlag.AlignHCenter) for v in ticks]
        bottom_h = max((b.height for b in tick_boxes), default=0.0) + pt(3)
        plot = QRectF(area.left() + name_w, area.top(), area.width() - name_w - pt(8),
                      area.height() - bottom_h)
        n = max(1, len(chart.categories))
        slot = plot.height() / n

        def to_x(v: float) -> float:
            return plot.left() + (v - low) / (high - low) * plot.width()

        grid = QPen(palette.mix(palette.GREY, palette.PAPER, 0.6), pt(0.35))
        for v, box in zip(ticks, tick_boxes, strict=True):
            x = to_x(v)
            p.setPen(grid)
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            p.setPen(palette.MUTED_INK)
            box.draw(p, x - box.width / 2, plot.bottom() + pt(2))
        p.setPen(palette.INK)
        for i, box in enumerate(names):
            top = plot.top() + i * slot + (slot - min(box.height, slot)) / 2
            lines = len(box.lines)
            while lines > 1 and box.lines[lines - 1][0] + box.lines[lines - 1][1] > slot:
                lines -= 1
            box.draw(p, area.left(), top, 0, lines)
        bars = [s for s in chart.series if s.kind != "line"]
        bar_h = slot * 0.72 / max(1, len(bars))
        for k, series in enumerate(bars):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(series_colour(series))
            for i, v in enumerate(series.values):
                if v is None:
                    continue
                y = plot.top() + i * slot + slot * 0.14 + k * bar_h
                left, right = sorted((to_x(0.0), to_x(v)))  # a negative value goes left
                p.drawRect(QRectF(left, y, max(right - left, pt(0.05)), bar_h * 0.92))
        p.setPen(QPen(palette.MUTED_INK, pt(0.5)))
        p.drawLine(QPointF(to_x(0.0), plot.top()), QPointF(to_x(0.0), plot.bottom()))


def axis_box_height(layout: Layout, points: float) -> float:
    return layout.box("0", points, 100.0).height


# --- the chain picture -----------------------------------------------------------------------
def halo(p: QPainter, rect: QRectF) -> None:
    """A white ground under a name, so that the links behind it do not cross the letters."""
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(255, 255, 255, 215))
    p.drawRoundedRect(rect, pt(0.8), pt(0.8))


class ChainPainter:
    """The chain as on the canvas: columns by position and tier, park bands, links from
    supplier to buyer, enterprises coloured by role (pale until on the platform), a ring
    at the target level; names beside the nodes; a legend below."""

    def __init__(self, block: ChainPicture, layout: Layout):
        self.block, self.layout = block, layout
        nodes = block.nodes
        xs = sorted({n.x for n in nodes})
        gaps = [b - a for a, b in itertools.pairwise(xs) if b - a > 1.0]
        self.gap = min(gaps) if gaps else 320.0  # between neighbouring node columns
        if nodes:
            self.x0 = min(n.x for n in nodes) - 30.0
            self.x1 = max(n.x for n in nodes) + (self.gap * 0.85 if block.labelled else 30.0)
            self.y0 = min([n.y for n in nodes] + [c[2] for c in block.columns]) - 70.0
            self.y1 = max(n.y for n in nodes) + 40.0
        else:
            self.x0 = self.y0 = 0.0
            self.x1 = self.y1 = 1.0

    def wants_landscape(self) -> bool:
        return (self.x1 - self.x0) > (self.y1 - self.y0) * 1.05

    def steps(self, rect: QRectF) -> list[Draw]:
        """The page's drawing in slices (frame, links, enterprises, names, legend), each a
        fraction of a second even for 10,000 firms, so the app can breathe between them."""
        block, layout = self.block, self.layout
        title = layout.box(block.title, HEADING_PT[1], rect.width(), bold=True)
        caption = layout.box(block.caption, 7.5, rect.width())
        legend_h = self.legend_height(rect.width())
        top = rect.top() + title.height + pt(6)
        bottom = rect.bottom() - caption.height - legend_h - pt(8)
        area = QRectF(rect.left(), top, rect.width(), bottom - top)
        span_x, span_y = self.x1 - self.x0, self.y1 - self.y0
        self.scale = min(area.width() / span_x, area.height() / span_y)
        self.ox = area.left() + (area.width() - span_x * self.scale) / 2 - self.x0 * self.scale
        self.oy = area.top() - self.y0 * self.scale

        def frame(p: QPainter) -> None:
            p.setPen(palette.INK)
            title.draw(p, rect.left(), rect.top())
            self.draw_frame(p)

        def legend(p: QPainter) -> None:
            self.draw_legend(p, QRectF(rect.left(), bottom + pt(4), rect.width(), legend_h))
            p.setPen(palette.MUTED_INK)
            caption.draw(p, rect.left(), rect.bottom() - caption.height)

        chunk = 2500
        steps: list[Draw] = [frame]
        for connected in (False, True):  # the data-connected links on top
            chosen = [e for e in block.edges if e.connected == connected]
            steps += [lambda p, part=chosen[i:i + chunk]: self.draw_edges(p, part)
                      for i in range(0, len(chosen), chunk)]
        nodes = list(range(len(block.nodes)))
        steps += [lambda p, part=nodes[i:i + chunk]: self.draw_nodes(p, part)
                  for i in range(0, len(nodes), chunk)]
        if block.labelled:  # names last, on a white halo, so that no link runs through them
            steps.append(self.draw_labels)
        steps.append(legend)
        return [self._antialiased(step) for step in steps]

    @staticmethod
    def _antialiased(step: Draw) -> Draw:
        def draw(p: QPainter) -> None:
            p.save()
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            step(p)
            p.restore()

        return draw

    def at(self, x: float, y: float) -> QPointF:
        return QPointF(self.ox + x * self.scale, self.oy + y * self.scale)

    def radius(self, size: str) -> float:
        return NODE_RADIUS.get(size, NODE_RADIUS["small"]) * self.scale

    def draw_frame(self, p: QPainter) -> None:
        """Columns (a pale panel, the heading above) and park bands with their names."""
        block, layout, scale, at = self.block, self.layout, self.scale, self.at
        nodes = block.nodes
        heading_pt = min(8.0, max(5.0, 60.0 * scale / pt(1)))
        for left, right, top, text in block.columns:
            inside = [n.y for n in nodes if left - 1 <= n.x <= right + 1]
            bottom = max(inside, default=top) + 40.0
            panel = QRectF(at(left, top - 40.0), at(right, bottom))
            p.fillRect(panel, palette.PANEL)
            box = layout.box(text, heading_pt, panel.width() + self.gap * scale * 0.6, bold=True,
                             align=Qt.AlignmentFlag.AlignHCenter)
            p.setPen(palette.INK)
            box.draw(p, panel.center().x() - box.width / 2, panel.top() - box.height - pt(1))
        band_pt = min(6.5, max(4.0, 38.0 * scale / pt(1)))
        for band in block.bands:
            rect = QRectF(at(band.left, band.top), at(band.right, band.bottom))
            p.fillRect(rect, QColor(0, 0, 0, 14))
            if band.label:
                box = layout.box(band.label, band_pt, rect.width() + self.gap * scale * 0.5,
                                 bold=True)
                halo(p, QRectF(rect.left() + pt(0.4), rect.top() + pt(0.5),
                               box.layout.lineAt(0).naturalTextWidth() + pt(1.2),
                               box.lines[0][1]))
                p.setPen(palette.MUTED_INK)
                box.draw(p, rect.left() + pt(1), rect.top() + pt(0.5), 0, 1)

    def draw_edges(self, p: QPainter, edges: list[Any]) -> None:
        """Links from supplier to buyer: S-curves when the picture names its firms, straight
        lines for a large chain; one path per pen, so a PDF reader draws them fast."""
        nodes, at = self.block.nodes, self.at
        curved = self.block.labelled
        paths: dict[tuple[bool, int], QPainterPath] = {}
        bend = self.radius("large")
        for edge in edges:
            a, b = nodes[edge.source], nodes[edge.target]
            start, end = at(a.x, a.y), at(b.x, b.y)
            path = paths.setdefault((edge.connected, min(3, max(0, edge.weight))),
                                    QPainterPath())
            path.moveTo(start)
            if curved and abs(end.x() - start.x()) > bend:
                mid = (start.x() + end.x()) / 2
                path.cubicTo(QPointF(mid, start.y()), QPointF(mid, end.y()), end)
            else:
                path.lineTo(end)
        p.setBrush(Qt.BrushStyle.NoBrush)
        for (connected, weight), path in paths.items():
            width = pt(LINK_WIDTH_PT[weight]) * (1.0 if curved else 0.5)
            colour = palette.LINK_CONNECTED if connected else palette.mix(
                palette.LINK, palette.PAPER, 0.45)
            if not curved:  # thousands of links: light, so the columns still show (opaque:
                colour = palette.mix(colour, palette.PAPER, 0.75)  # alpha doubles the PDF)
            p.setPen(QPen(colour, width if connected else width * 0.8))
            p.drawPath(path)

    def draw_nodes(self, p: QPainter, indices: list[int]) -> None:
        """Enterprises: role colour, pale until on the platform, a ring at the target level,
        the platform mark; batched into one path per look."""
        nodes = self.block.nodes
        looks: dict[tuple[str, bool], QPainterPath] = {}
        rings = QPainterPath()
        marks = QPainterPath()
        ring_width = 0.0
        for i in indices:
            node = nodes[i]
            centre = self.at(node.x, node.y)
            r = self.radius(node.size)
            looks.setdefault((node.role, node.connected), QPainterPath()).addEllipse(centre, r, r)
            if node.reached:
                rings.addEllipse(centre, r * 1.3, r * 1.3)
                ring_width = max(ring_width, r * 0.2)
            if node.connected:
                d = r * 0.72
                marks.addEllipse(QPointF(centre.x() + d, centre.y() + d), r * 0.3, r * 0.3)
        if not rings.isEmpty():
            p.setPen(QPen(palette.TARGET_RING, max(pt(0.3), ring_width)))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(rings)
        outline = max(pt(0.2), self.radius("small") * 0.08)
        for (role, connected), path in looks.items():
            base = palette.role_colour(role)
            p.setPen(QPen(base.darker(150) if connected else palette.mix(base, palette.GREY, 0.4),
                          outline))
            p.setBrush(base if connected else palette.pale(base))
            p.drawPath(path)
        if not marks.isEmpty():
            p.setPen(QPen(palette.PAPER, outline))
            p.setBrush(palette.PLATFORM_MARK)
            p.drawPath(marks)

    def draw_labels(self, p: QPainter) -> None:
        layout, scale = self.layout, self.scale
        label_pt = min(6.5, max(3.2, 22.0 * scale / pt(1)))
        label_w = self.gap * scale * 0.78
        for node in self.block.nodes:
            r = self.radius(node.size)
            if label_w - r <= pt(6):
                continue
            box = layout.box(node.label, label_pt, label_w - r)
            lines = min(2, len(box.lines))
            if not lines:
                continue
            centre = self.at(node.x, node.y)
            height = box.lines[lines - 1][0] + box.lines[lines - 1][1]
            x, y = centre.x() + r * 1.45, centre.y() - height / 2
            width = max(box.layout.lineAt(i).naturalTextWidth() for i in range(lines))
            halo(p, QRectF(x - pt(0.6), y, width + pt(1.2), height))
            p.setPen(palette.INK)
            box.draw(p, x, y, 0, lines)

    def legend_items(self) -> list[tuple[str, str, str]]:
        return list(self.block.legend)

    def legend_columns(self, width: float) -> int:
        widest = max((self.layout.box(text, 7.0, width).natural_width()
                      for _, _, text in self.legend_items()), default=0.0)
        return max(1, int(width // (widest + pt(32))))

    def legend_height(self, width: float) -> float:
        rows = math.ceil(len(self.legend_items()) / self.legend_columns(width))
        return rows * pt(11)

    def draw_legend(self, p: QPainter, rect: QRectF) -> None:
        layout = self.layout
        columns = self.legend_columns(rect.width())
        cell_w = rect.width() / columns
        for k, (kind, key, text) in enumerate(self.legend_items()):
            x = rect.left() + (k % columns) * cell_w
            y = rect.top() + (k // columns) * pt(11)
            icon = QRectF(x, y + pt(1), pt(20), pt(8))
            self.legend_icon(p, kind, key, icon)
            box = layout.box(text, 7.0, cell_w - pt(26))
            p.setPen(palette.INK)
            box.draw(p, x + pt(24), y, 0, 1)

    def legend_icon(self, p: QPainter, kind: str, key: str, icon: QRectF) -> None:
        centre = icon.center()
        r = pt(3)
        if kind == "role":
            colour = palette.role_colour(key)
            p.setPen(QPen(colour.darker(150), pt(0.4)))
            p.setBrush(colour)
            p.drawEllipse(centre, r, r)
        elif kind == "platform":
            colour = palette.BLUE
            p.setPen(QPen(colour.darker(150) if key == "yes" else palette.mix(colour, palette.GREY,
                                                                               0.4), pt(0.4)))
            p.setBrush(colour if key == "yes" else palette.pale(colour))
            p.drawEllipse(centre, r, r)
            if key == "yes":
                p.setPen(QPen(palette.PAPER, pt(0.3)))
                p.setBrush(palette.PLATFORM_MARK)
                p.drawEllipse(QPointF(centre.x() + r * 0.72, centre.y() + r * 0.72), r * 0.32,
                              r * 0.32)
        elif kind == "target":
            p.setPen(QPen(palette.TARGET_RING, pt(0.7)))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(centre, r * 1.3, r * 1.3)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(palette.GREY)
            p.drawEllipse(centre, r, r)
        elif kind == "link":
            colour = palette.LINK_CONNECTED if key == "yes" else palette.mix(palette.LINK,
                                                                              palette.PAPER, 0.45)
            p.setPen(QPen(colour, pt(1.0)))
            p.drawLine(QPointF(icon.left(), centre.y()), QPointF(icon.right(), centre.y()))
        elif kind == "widths":
            for i, width in enumerate(LINK_WIDTH_PT):
                p.setPen(QPen(palette.LINK, pt(width)))
                y = icon.top() + i * icon.height() / 3.2
                p.drawLine(QPointF(icon.left(), y), QPointF(icon.right(), y))
        elif kind == "sizes":
            x = icon.left()
            p.setPen(QPen(palette.MUTED_INK, pt(0.4)))
            p.setBrush(palette.PANEL_ALT)
            for size in ("micro", "small", "medium", "large"):
                radius = NODE_RADIUS[size] / NODE_RADIUS["large"] * r * 1.1
                p.drawEllipse(QPointF(x + radius, centre.y()), radius, radius)
                x += radius * 2 + pt(0.8)


# --- writing ---------------------------------------------------------------------------------
def pdf_steps(report: Report, path: str | Path) -> Iterator[float]:
    """Lay out and paint ``report`` to ``path``, yielding the fraction done after each step.

    Stop iterating to cancel; the partial file is removed. Raises ``OSError`` when the
    file cannot be written.
    """
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                                     QPageLayout.Unit.Millimeter))
    writer.setTitle(report.title)
    writer.setCreator("Chain Digitalisation Planner")
    layout = Layout(report, writer)
    for fraction in layout.run():
        yield 0.4 * fraction
    layout.draw_contents()
    yield 0.4
    painter = QPainter()
    finished = False
    try:
        if not painter.begin(writer):
            raise OSError(f"cannot write {path}")
        count = len(layout.pages)
        footer_font = report_font(7.0)
        for number, page in enumerate(layout.pages):
            if number:
                writer.setPageOrientation(QPageLayout.Orientation.Landscape if page.landscape
                                          else QPageLayout.Orientation.Portrait)
                writer.newPage()
            for k, draw in enumerate(page.items):
                draw(painter)
                if k % 10 == 9:  # a long page (the chain, a full table) in slices too
                    yield 0.4 + 0.58 * (number + k / len(page.items)) / count
            paint_footer(painter, layout, report, number, count, page.landscape, footer_font)
            yield 0.4 + 0.58 * (number + 1) / count
        finished = True
    finally:
        if painter.isActive():
            painter.end()
        del writer
        if not finished:
            path.unlink(missing_ok=True)
    fix_text_mapping(path, report_font_families())
    yield 1.0


def paint_footer(p: QPainter, layout: Layout, report: Report, number: int, count: int,
                 landscape: bool, font: QFont) -> None:
    page_w, page_h = (mm(297), mm(210)) if landscape else (mm(210), mm(297))
    left, right = mm(MARGINS_MM[0]), page_w - mm(MARGINS_MM[2])
    y = page_h - mm(MARGINS_MM[3]) - mm(FOOTER_MM) + mm(3)
    p.setPen(QPen(GRID, pt(0.6)))
    p.drawLine(QPointF(left, y), QPointF(right, y))
    p.setFont(font)
    p.setPen(palette.MUTED_INK)
    box = QRectF(left, y + pt(3), right - left, mm(FOOTER_MM))
    p.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, report.title)
    p.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
               report.page_text.format(number + 1, count))


def write_pdf(report: Report, path: str | Path, progress: Progress | None = None) -> None:
    """Paint ``report`` to ``path`` at once (the command line, tests)."""
    for fraction in pdf_steps(report, path):
        if progress is not None:
            progress(fraction)


# --- the app's export: content off the GUI thread, painting in slices on it ----------------------
class ReportExport(QObject):
    """Export the document's report in the background with progress and Cancel.

    The content comes from the published analysis (its snapshot and results, never
    the live model), built on a worker thread; the pages are painted on the GUI
    thread one slice at a time, so the window keeps answering. Shows its own
    progress dialog; ``done(path)`` or ``failed(error)`` at the end (nothing on Cancel).
    """

    progress = Signal(float)  # fraction done, after each slice of painting
    done = Signal(str)  # the report was written to this path
    failed = Signal(object)  # it could not be: the exception (OSError: the file; else why)

    def __init__(self, document: Any, path: str, lang: str, parent: Any = None):
        super().__init__(parent)
        from ui.worker import BackgroundRunner

        self.document, self.path, self.lang = document, path, lang
        self.steps: Iterator[float] | None = None
        self.runner = BackgroundRunner(self)
        self.runner.finished.connect(self._on_content)
        self.timer = QTimer(self, interval=0)
        self.timer.timeout.connect(self._paint_some)
        self.dialog: Any = None
        self.cancelled = False

    def start(self) -> None:
        from PySide6.QtWidgets import QProgressDialog

        from ui.i18n import tr

        analysis = self.document.analysis
        if analysis.errors or analysis.model is None:
            self.failed.emit(ReportError(tr("The model has {0} errors; fix them before writing "
                                            "a report.", analysis.errors)))
            return
        parent = self.parent() if hasattr(self.parent(), "isWindow") else None
        self.dialog = QProgressDialog(tr("Writing the report…"), tr("Cancel"), 0, 1000, parent)
        self.dialog.setWindowTitle(tr("Export report…"))
        # not modal: a modal progress dialog runs the event loop inside setValue (re-entrant
        # painting); the planner may go on working anyway, the report is of the snapshot
        self.dialog.setWindowModality(Qt.WindowModality.NonModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self.dialog.setValue(0)
        self.runner.run(_build_content, analysis, self.lang)

    def cancel(self) -> None:
        self.cancelled = True
        self.runner.cancel()
        self.timer.stop()
        if self.steps is not None:
            self.steps.close()  # the generator's cleanup removes a partial file
            self.steps = None
            Path(self.path).unlink(missing_ok=True)  # and one finished just now: Cancel won
        self._close_dialog()

    def _on_content(self, report: object, error: object) -> None:
        if self.cancelled:
            return
        if error is not None or not isinstance(report, Report):
            self._close_dialog()
            self.failed.emit(RuntimeError(str(error).strip().splitlines()[-1] if error else ""))
            return
        self.steps = pdf_steps(report, self.path)
        self.timer.start()

    def _paint_some(self) -> None:
        """One slice: a few steps, at most ~50 ms, then back to the event loop."""
        import time

        if self.steps is None:
            self.timer.stop()
            return
        until = time.perf_counter() + 0.05
        fraction = 0.0
        try:
            while time.perf_counter() < until:
                fraction = next(self.steps)
            if self.dialog is not None:
                self.dialog.setValue(round(fraction * 1000))
            self.progress.emit(fraction)
        except StopIteration:
            self.timer.stop()
            self.steps = None
            self._close_dialog()
            self.done.emit(self.path)
        except OSError as error:
            self.timer.stop()
            self.steps = None
            self._close_dialog()
            self.failed.emit(error)

    def _close_dialog(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel)  # closing it is not the planner's Cancel
            dialog.close()
            dialog.deleteLater()


def _build_content(analysis: Any, lang: str, state: Any) -> Report:
    """The report's content from a published analysis (runs on a worker thread)."""
    from planner.report import build_report

    return build_report(analysis.model, lang, analysis.all_results, analysis.problems,
                        analysis.places)
