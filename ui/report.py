"""The consultant's report: an A4 PDF of the model, every scenario, their comparison and the
assumptions behind the numbers, drawn with Qt only (``QTextDocument`` HTML laid out page
by page onto a ``QPdfWriter``).

The pictures are the app's own widgets rendered off screen: the chain canvas, the
charts of each scenario (``ChartsPanel``) and the comparison's overlaid lines. Text
is set in a font with Chinese glyphs (Noto Sans CJK when installed); Qt embeds the
subset it uses. Tables have borders and the best values are bold as well as shaded,
so the report reads in grey print. Every page has its number; the contents list
on the title page gives each section's page.

``write_report`` works headless (``QT_QPA_PLATFORM=offscreen``) and creates the
QApplication if there is none.
"""

from __future__ import annotations

import datetime as _dt
import html
import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.chain import ChainModel
from models.schema import CATEGORIES, SIZES
from models.validation import places, validate
from planner.engine import ChainArrays, ScenarioResult, evaluate
from planner.kpis import KPIS, format_value

A4_MARGINS_MM = (16.0, 14.0, 16.0, 12.0)  # left, top, right, bottom
RESOLUTION = 300  # dots per inch of the PDF's coordinate system
# Latin text first: with the Latin digits of some CJK fonts, Qt writes no text mapping, so
# the PDF's numbers could not be searched or copied; Chinese falls through to the second
LATIN_FAMILIES = ("Noto Sans", "DejaVu Sans", "Segoe UI", "Helvetica Neue", "Arial",
                  "Liberation Sans")
FONT_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Micro Hei",
                 "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "SimHei",
                 "Noto Serif CJK SC", "AR PL UMing CN")
CHART_SIZE = (470, 320)  # logical pixels of a scenario chart (two to a row on the page)
WIDE_CHART_SIZE = (470, 330)
CHAIN_ZOOM = 0.8  # the canvas draws names from a zoom of 0.7
CHAIN_MAX = 2600  # logical pixels, either way: a big chain is drawn smaller
IMAGE_SCALE = 2.0  # image pixels per logical pixel: sharp in print
IMAGE_MAX = 3200  # most pixels an image has either way (a big chain's picture)
TICK_PT, LABEL_PT, LEGEND_PT = 10, 10, "10pt"
ORPHAN = 0.84  # a heading below this fraction of a page's height starts the next page
GRID = "#8C8C8C"  # table borders
HEAD = "#E8EBEF"  # table heading background (light grey: reads in print)

Progress = Callable[[float], None]


def _application() -> Any:
    """The running QApplication, or a new one (headless when there is no display)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        return app
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                 or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.app import make_application

    return make_application()


def report_font_families() -> list[str]:
    """A Latin family, then one with Chinese glyphs (the application's font if none is
    installed); Qt takes each character from the first family that has it."""
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    installed = set(QFontDatabase.families())
    chosen = [next((f for f in LATIN_FAMILIES if f in installed), QGuiApplication.font().family())]
    chinese = next((f for f in FONT_FAMILIES if f in installed), None)
    if chinese is None:
        found = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
        chinese = found[0] if found else None
    if chinese and chinese not in chosen:
        chosen.append(chinese)
    return chosen


_RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals
_IDEOGRAPHS = range(0x4E00, 0xA000)  # CJK Unified Ideographs
_CODE = re.compile(rb"<(2[EF][0-9A-F]{2})>")


def radical_equivalents(families: list[str]) -> dict[int, int]:
    """Radical code point -> the ideograph drawn with the same glyph, in these fonts."""
    from PySide6.QtGui import QFont, QRawFont

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


def _settle(app: Any) -> None:
    """Let the widgets lay themselves out, without painting the (unseen) stage."""
    from PySide6.QtCore import QEvent

    for _ in range(3):
        app.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def report_font(point_size: float) -> Any:
    from PySide6.QtGui import QFont

    font = QFont()
    font.setFamilies(report_font_families())
    font.setPointSizeF(point_size)
    return font


def write_report(model: ChainModel, path: str | Path, lang: str = "en",
                 progress: Progress | None = None) -> None:
    """Write the report of ``model`` as an A4 PDF at ``path``, in ``lang`` (en or zh_CN).

    Raises ``ValueError`` when the model has errors (it cannot be evaluated) and
    ``OSError`` when the file cannot be written. ``progress`` gets the fraction done.
    """
    _application()
    from ui.i18n import language, set_language

    previous = language()
    set_language(lang)
    try:
        _Report(model, lang, progress or (lambda _fraction: None)).write(Path(path))
    finally:
        set_language(previous)


def _para(text: str, css_class: str = "") -> str:
    attribute = f' class="{css_class}"' if css_class else ""
    return f"<p{attribute}>{html.escape(text)}</p>"


@dataclass
class _Section:
    anchor: str
    title: str
    level: int  # 1: chapter (starts a page), 2: inside a chapter


class _Report:
    """One build of the report; pictures are made with the app's widgets, off screen."""

    def __init__(self, model: ChainModel, lang: str, progress: Progress):
        from ui.i18n import tr

        self.model = model
        self.lang = lang
        self.progress = progress
        problems = validate(model)
        errors = [p for p in problems if p.is_error]
        if errors:
            raise ValueError(tr("The model has {0} errors; fix them before writing a report.",
                                len(errors)) + "\n" + "\n".join(p.text(lang) for p in errors[:10]))
        self.problems = problems
        self.where = places(model)
        self.results: list[ScenarioResult] = evaluate(
            model, arrays=ChainArrays.of(model, self.where), problems=problems)
        self.images: dict[str, Any] = {}  # resource name -> QImage
        self.image_sizes: dict[str, tuple[float, float]] = {}  # logical size of each
        self.sections: list[_Section] = []
        self.breaks: set[str] = set()  # headings that start a new page

    # --- the whole build -----------------------------------------------------------------
    def write(self, path: Path) -> None:
        from PySide6.QtCore import QMarginsF
        from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

        self._make_pictures()
        self.progress(0.7)
        writer = QPdfWriter(str(path))
        writer.setResolution(RESOLUTION)
        writer.setPageLayout(QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
            QMarginsF(*A4_MARGINS_MM), QPageLayout.Unit.Millimeter))
        writer.setTitle(self._title())
        writer.setCreator("Chain Digitalisation Planner")
        paint = writer.pageLayout().paintRectPixels(RESOLUTION)
        self.width = float(paint.width())
        self.footer = self._px(30)
        self.page_height = float(paint.height()) - self.footer
        self.css_width = self.width * 96.0 / RESOLUTION  # the text's width in CSS pixels

        # lay out until stable: a heading near a page's foot moves to the next page (Qt has
        # no keep-with-next), and the contents list learns each chapter's page
        self.breaks: set[str] = set()
        pages: dict[str, int] = {}
        for _attempt in range(5):
            document = self._document(writer, pages)
            tops = self._heading_tops(document)
            found = {s.anchor for s in self.sections if s.level > 1 and s.anchor in tops
                     and tops[s.anchor] % self.page_height > ORPHAN * self.page_height}
            new_pages = {anchor: int(top // self.page_height) + 1 for anchor, top in tops.items()}
            if found <= self.breaks and new_pages == pages:
                break
            self.breaks |= found
            pages = new_pages
        self.progress(0.85)
        self._paint(writer, document)
        del writer  # closes the file
        fix_text_mapping(path, report_font_families())
        self.progress(1.0)

    def _px(self, css: float) -> float:
        return css * RESOLUTION / 96.0

    def _title(self) -> str:
        return self.model.settings.model_name or "Chain"

    def _document(self, writer: Any, pages: dict[str, int]) -> Any:
        from PySide6.QtCore import QSizeF, QUrl
        from PySide6.QtGui import QTextDocument

        document = QTextDocument()
        document.documentLayout().setPaintDevice(writer)
        document.setDefaultFont(report_font(9))
        document.setDocumentMargin(0)
        document.setDefaultStyleSheet(self._css())
        for name, image in self.images.items():
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        self.sections = []
        document.setHtml(self._html(pages))
        document.setPageSize(QSizeF(self.width, self.page_height))
        return document

    def _heading_tops(self, document: Any) -> dict[str, float]:
        """Where each section's heading landed (device pixels from the first page's top)."""
        layout = document.documentLayout()
        anchors = {s.anchor for s in self.sections}
        tops: dict[str, float] = {}
        block = document.begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                for name in iterator.fragment().charFormat().anchorNames():
                    if name in anchors and name not in tops:
                        tops[name] = layout.blockBoundingRect(block).top()
                iterator += 1
            block = block.next()
        return tops

    def _paint(self, writer: Any, document: Any) -> None:
        from PySide6.QtCore import QRectF, Qt
        from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPainter, QPen

        from ui.i18n import tr

        count = document.pageCount()
        painter = QPainter()
        if not painter.begin(writer):
            raise OSError(tr("Cannot write {0}", writer.title()))
        small = report_font(7.5)
        rule = QPen(QColor(GRID))
        rule.setWidthF(self._px(0.75))
        try:
            for page in range(count):
                if page:
                    writer.newPage()
                top = page * self.page_height
                painter.save()
                painter.translate(0, -top)
                clip = QRectF(0, top, self.width, self.page_height)
                painter.setClipRect(clip)
                context = QAbstractTextDocumentLayout.PaintContext()
                context.clip = clip
                document.documentLayout().draw(painter, context)
                painter.restore()
                # the footer: a rule, the model's name and the page number
                y = self.page_height + self._px(10)
                painter.setPen(rule)
                painter.drawLine(0, round(y), round(self.width), round(y))
                painter.setFont(small)
                painter.setPen(QColor("#5F6368"))
                box = QRectF(0, y + self._px(3), self.width, self.footer - self._px(13))
                painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                                 self._title())
                painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                                 tr("Page {0} of {1}", page + 1, count))
        finally:
            painter.end()

    # --- pictures ------------------------------------------------------------------------
    def _make_pictures(self) -> None:
        """Render the chain, every scenario's charts and the comparison charts to images."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication, QWidget

        from ui.canvas import ChainView
        from ui.charts import ChartsPanel, amount_unit, set_type_sizes
        from ui.compare import ScenarioLinesChart
        from ui.document import Document
        from ui.i18n import tr
        from ui.legend import LegendWidget

        app = QApplication.instance()
        document = Document(self.model)
        stage = QWidget()  # every picture's widget lives here, laid out but never on screen
        stage.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        try:
            view = ChainView(document, stage)
            # a view the chain fills at a zoom that still draws the names (when it fits)
            content = view.scene().itemsBoundingRect()
            zoom = min(CHAIN_ZOOM, CHAIN_MAX / max(content.width(), content.height(), 1.0))
            chain_size = (round(max(800.0, content.width() * zoom + 40)),
                          round(max(500.0, content.height() * zoom + 80)))
            view.setGeometry(0, 0, *chain_size)
            legend = LegendWidget(stage)
            legend.setGeometry(0, chain_size[1], legend.sizeHint().width(),
                               legend.sizeHint().height())
            panel = ChartsPanel(document, stage)
            panel.hide()
            charts = list(panel.charts)
            y = chain_size[1] + legend.sizeHint().height()
            for chart in charts:
                chart.setParent(stage)
                set_type_sizes(chart, TICK_PT, LABEL_PT, LEGEND_PT)
                chart.setGeometry(0, y, *CHART_SIZE)
                y += CHART_SIZE[1]
            unit = amount_unit(document)
            lines = [ScenarioLinesChart("compare_cumulative", tr("Cumulative net benefit by "
                                                                 "scenario"), unit, "cumulative",
                                        parent=stage),
                     ScenarioLinesChart("compare_connected", tr("Connected share by scenario"), "%",
                                        "connected_share", scale=100.0, percent=True,
                                        parent=stage)]
            for chart in lines:
                chart.getPlotItem().setLabel("bottom", tr("Year"))
                set_type_sizes(chart, TICK_PT, LABEL_PT, LEGEND_PT)
                chart.setGeometry(0, y, *WIDE_CHART_SIZE)
                y += WIDE_CHART_SIZE[1]
                chart.update_results(self.results)
            stage.resize(max(chain_size[0], CHART_SIZE[0], WIDE_CHART_SIZE[0]), y)
            stage.show()
            _settle(app)
            view.fit()
            _settle(app)
            self._grab("img:chain", view)
            self._grab("img:legend", legend)
            for chart, key in zip(lines, ("cumulative", "connected"), strict=True):
                self._grab(f"img:compare-{key}", chart)
            self.chart_count = len(charts)
            for number, result in enumerate(self.results):
                document.set_scenario(result.scenario.name)
                document.analyse_now()
                _settle(app)
                for i, chart in enumerate(charts):
                    self._grab(f"img:s{number}-{i}", chart)
                self.progress(0.1 + 0.6 * (number + 1) / max(1, len(self.results)))
        finally:
            stage.close()
            stage.deleteLater()
            document.deleteLater()

    def _grab(self, name: str, widget: Any) -> None:
        from PySide6.QtCore import QPoint, QSize
        from PySide6.QtGui import QColor, QImage, QPainter
        from PySide6.QtWidgets import QWidget

        size = widget.size()
        scale = min(IMAGE_SCALE, IMAGE_MAX / max(size.width(), size.height(), 1))
        image = QImage(QSize(round(size.width() * scale), round(size.height() * scale)),
                       QImage.Format.Format_RGB32)
        image.setDevicePixelRatio(scale)
        image.fill(QColor("white"))
        painter = QPainter(image)
        try:
            # the widget as drawn on screen (a graphics view's own render() draws its scene)
            QWidget.render(widget, painter, QPoint(0, 0))
        finally:
            painter.end()
        self.images[name] = image
        self.image_sizes[name] = (size.width(), size.height())

    def _img(self, name: str, width: float) -> str:
        """An image, ``width`` CSS pixels wide (its aspect kept).

        Lengths in the HTML are CSS pixels (1/96 inch), which Qt scales to the PDF's
        resolution; the painter's coordinates (the footer) are device pixels.
        """
        w, h = self.image_sizes[name]
        return f'<img src="{name}" width="{width:.1f}" height="{width * h / w:.1f}">'

    # --- text ----------------------------------------------------------------------------
    def _css(self) -> str:
        return f"""
            h1 {{ font-size: 16pt; font-weight: 600; color: #202124; margin-top: 0px;
                  margin-bottom: 8px; }}
            h2 {{ font-size: 11.5pt; font-weight: 600; color: #202124; margin-top: 14px;
                  margin-bottom: 5px; }}
            h3 {{ font-size: 9.5pt; font-weight: 600; margin-top: 8px; margin-bottom: 3px; }}
            p {{ margin-top: 0px; margin-bottom: 5px; }}
            td, th {{ font-size: 8pt; }}
            th {{ background-color: {HEAD}; font-weight: 600; }}
            .small {{ font-size: 7.5pt; color: #5F6368; }}
            .muted {{ color: #5F6368; }}
        """

    def _section(self, title: str, level: int = 1) -> str:
        """A heading; a chapter (level 1) starts a page, and so does a heading that would
        otherwise stand at a page's foot."""
        anchor = f"sec{len(self.sections)}"
        self.sections.append(_Section(anchor, title, level))
        tag = f"h{level}"
        brk = ' style="page-break-before: always"' if level == 1 or anchor in self.breaks else ""
        return f'<{tag}{brk}><a name="{anchor}"></a>{html.escape(title)}</{tag}>'

    def _table(self, header: list[str], rows: list[list[Any]], align: str = "",
               widths: list[int] | None = None, font_pt: float | None = None) -> str:
        """A bordered table; a cell is text or (text, {"bold": …, "shade": colour}).

        ``align`` has one letter per column: l(eft), r(ight) or c(entre); a line break in
        a heading is kept.
        """
        size = f' style="font-size: {font_pt}pt;"' if font_pt else ""
        pad = 3
        parts = [f'<table border="1" cellspacing="0" cellpadding="{pad}" width="100%" '
                 f'style="border-collapse: collapse; border-color: {GRID}; '
                 f'border-style: solid;">']
        if header:
            parts.append("<thead><tr>")
            for i, text in enumerate(header):
                width = f' width="{widths[i]}%"' if widths else ""
                side = {"r": "right", "c": "center"}.get(align[i:i + 1], "left")
                text_html = html.escape(text).replace("\n", "<br>")
                parts.append(f'<th align="{side}"{width}{size}>{text_html}</th>')
            parts.append("</tr></thead>")
        for row in rows:
            parts.append("<tr>")
            for i, cell in enumerate(row):
                text, style = (cell if isinstance(cell, tuple) else (cell, {}))
                side = {"r": "right", "c": "center"}.get(align[i:i + 1], "left")
                shade = f' bgcolor="{style["shade"]}"' if style.get("shade") else ""
                body = html.escape(str(text)).replace("\n", "<br>")
                if style.get("bold"):
                    body = f"<b>{body}</b>"
                parts.append(f'<td align="{side}"{shade}{size}>{body}</td>')
            parts.append("</tr>")
        parts.append("</table>")
        return "".join(parts)

    def _html(self, pages: dict[str, int]) -> str:
        body = [self._title_page(pages), self._chain_section()]
        for number, result in enumerate(self.results):
            body.append(self._scenario_section(number, result))
        body.append(self._comparison_section())
        body.append(self._assumptions_section())
        # the contents list is drawn on the title page from the sections met above
        contents = self._contents(pages)
        return "<html><body>" + "".join(body).replace("<!--contents-->", contents) + \
            "</body></html>"

    def _contents(self, pages: dict[str, int]) -> str:
        from ui.i18n import tr

        rows = []
        for section in self.sections:
            if section.level > 1:
                continue
            indent = "&nbsp;" * (0 if section.level == 1 else 6)
            page = str(pages.get(section.anchor, "")) or "00"
            weight = ' style="font-weight: 600;"' if section.level == 1 else ""
            rows.append(f'<tr><td{weight}>{indent}<a href="#{section.anchor}">'
                        f"{html.escape(section.title)}</a></td>"
                        f'<td align="right"{weight}>{page}</td></tr>')
        pad = 2
        return (f"<h2>{html.escape(tr('Contents'))}</h2>"
                f'<table width="100%" cellspacing="0" cellpadding="{pad}">{"".join(rows)}</table>')

    def _title_page(self, pages: dict[str, int]) -> str:
        from ui.i18n import tr

        model = self.model
        today = _dt.date.today().isoformat()
        scenarios = "".join(
            f"<tr><td><b>{html.escape(s.name)}</b></td><td>{html.escape(s.description)}</td></tr>"
            for s in model.scenarios)
        pad = 3
        counts = tr("{0} enterprises · {1} links · {2} projects in the catalogue · {3} scenarios",
                    len(model.enterprises), len(model.links), len(model.projects),
                    len(model.scenarios))
        return (f'<p style="margin-top: 40px; font-size: 11pt;" class="muted">'
                f"{html.escape(tr('Chain digitalisation plan'))}</p>"
                f'<p style="font-size: 24pt; font-weight: 600; margin-bottom: 8px;">'
                f"{html.escape(self._title())}</p>"
                f'<p style="font-size: 10pt;">{html.escape(tr("Report of {0}", today))}</p>'
                f'<p style="font-size: 10pt;">{html.escape(counts)}</p>'
                f"<h2>{html.escape(tr('Scenarios'))}</h2>"
                f'<table width="100%" cellspacing="0" cellpadding="{pad}">{scenarios}</table>'
                + self._glance() + "<!--contents-->")

    def _glance(self) -> str:
        """The headline figures of every scenario, for the title page."""
        from ui.compare import BEST_BACKGROUND, comparison_rows
        from ui.i18n import tr

        if not self.results:
            return ""
        chosen = [k for k in KPIS if k.key in ("npv", "bcr", "payback_year", "connected_share",
                                                "islands")]
        rows = comparison_rows(self.results, 0, self.lang)
        by_key = {row.kpi.key: row for row in rows}
        shade = BEST_BACKGROUND.name()
        table_rows = []
        for c, result in enumerate(self.results):
            cells: list[Any] = [result.scenario.name]
            for kpi in chosen:
                row = by_key[kpi.key]
                cells.append((row.text(c), {"bold": True, "shade": shade} if c in row.best
                              else {}))
            table_rows.append(cells)
        return (f"<h2>{html.escape(tr('At a glance'))}</h2>"
                + self._table([tr("Scenario"), *[k.label(self.lang) for k in chosen]],
                              table_rows, "lrrrrr", [30, 14, 14, 14, 14, 14])
                + _para(tr("Amounts in {0}. Bold on a shaded background: the best value in the "
                           "column.", self._unit()), "small"))

    def _chain_section(self) -> str:
        from ui.i18n import tr

        model = self.model
        core = model.core()
        smes = [e for e in model.enterprises if e.role != "core"]
        parks = sorted({e.park for e in model.enterprises if e.park})
        trade = sum(lk.annual_value for lk in model.links)
        unit = self._unit()
        out = [self._section(tr("The chain"))]
        facts = tr("Core enterprise: {0}. {1} other enterprises in {2} industrial parks, {3} supply "
                   "links with a yearly trade value of {4} {5}; {6} enterprises and {7} links "
                   "exchange data digitally at the start.",
                   f"{core.name} ({core.id})" if core else "—", len(smes), len(parks),
                   len(model.links), format_value("amount", trade), unit,
                   sum(e.platform_connected for e in model.enterprises),
                   sum(lk.data_connected for lk in model.links))
        out.append(f"<p>{html.escape(facts)}</p>")
        legend_w = min(self.css_width * 0.2, self.image_sizes["img:legend"][0])
        picture_w = self.css_width - legend_w - 10
        w, h = self.image_sizes["img:chain"]
        picture_w = min(picture_w, self.page_height * 96.0 / RESOLUTION * 0.42 * w / h)
        scenario = self.results[0].scenario if self.results else None
        chosen = next((r for r in self.results if any(
            a.scenario == r.scenario.name for a in model.assignments)), None)
        shown = chosen.scenario if chosen else scenario
        caption = tr("The chain, by position and tier (scenario {0}, end of {1}).", shown.name,
                     shown.start_year + shown.horizon - 1) if shown else tr("The chain")
        out.append(f'<table width="100%" cellspacing="0" cellpadding="0"><tr>'
                   f'<td valign="top">{self._img("img:chain", picture_w)}</td>'
                   f'<td valign="top" align="right">{self._img("img:legend", legend_w)}</td>'
                   f'</tr></table><p class="small">{html.escape(caption)}</p>')

        # enterprises by position and tier, and size
        order: list[tuple[str, int | None]] = []
        count = Counter((self.where[e.id].position, self.where[e.id].tier, e.size)
                        for e in model.enterprises)
        tiers = {(p.position, p.tier) for p in self.where.values()}
        order += sorted(((p, t) for p, t in tiers if p == "upstream"), key=lambda x: -(x[1] or 0))
        order += [(p, t) for p, t in tiers if p == "core"]
        order += sorted(((p, t) for p, t in tiers if p == "downstream"), key=lambda x: x[1] or 0)
        order += [(p, t) for p, t in tiers if p == "detached"]
        sizes = list(SIZES)
        rows = []
        for position, tier in order:
            cells = [count[position, tier, size] for size in sizes]
            rows.append([self._place_name(position, tier), *[str(c) if c else "" for c in cells],
                         (str(sum(cells)), {"bold": True})])
        totals = [sum(count[p, t, size] for p, t in order) for size in sizes]
        rows.append([(tr("Total"), {"bold": True}), *[(str(c), {"bold": True}) for c in totals],
                     (str(sum(totals)), {"bold": True})])
        by_size = (self._section(tr("Enterprises by position, tier and size"), 2)
                   + self._table([tr("Position"), *[self._size(s) for s in sizes], tr("Total")],
                                 rows, "lrrrrr", [30, 14, 14, 14, 14, 14], font_pt=7.5))
        # digital levels at the start, beside it
        levels = Counter(e.maturity for e in smes)
        level_rows = [[tr("Level {0}", level), str(levels[level]),
                       format_value("share", levels[level] / len(smes)) if smes else "—"]
                      for level in range(1, 5)]
        by_level = (self._section(tr("Digital levels at the start"), 2)
                    + self._table([tr("Digital level"), tr("Enterprises"), tr("Share")],
                                  level_rows, "lrr", [34, 36, 30], font_pt=7.5)
                    + _para(tr("Enterprises other than the core, by digital level at the start "
                               "of the plan."), "small"))
        out.append('<table width="100%" cellspacing="0" cellpadding="0"><tr>'
                   f'<td width="62%" valign="top">{by_size}</td><td width="4%"></td>'
                   f'<td width="34%" valign="top">{by_level}</td></tr></table>')

        # parks
        by_park: dict[str, list[Any]] = {}
        for e in model.enterprises:
            by_park.setdefault(e.park or tr("No park"), []).append(e)
        park_rows = []
        for park in sorted(by_park, key=lambda p: (p == tr("No park"), p)):
            members = by_park[park]
            park_rows.append([park, str(len(members)),
                              str(sum(e.platform_connected for e in members)),
                              f"{sum(e.maturity for e in members) / len(members):.1f}",
                              format_value("amount", sum(e.revenue for e in members))])
        out.append(self._section(tr("Enterprises by industrial park"), 2))
        out.append(self._table([tr("Park"), tr("Enterprises"), tr("On the platform at the start"),
                                tr("Mean digital level"), tr("Revenue ({0})", unit)],
                               park_rows, "lrrrr", [36, 14, 18, 14, 18]))

        return "".join(out)

    def _scenario_section(self, number: int, result: ScenarioResult) -> str:
        from ui.i18n import tr

        s = result.scenario
        out = [self._section(tr("Scenario: {0}", s.name))]
        if s.description:
            out.append(f"<p>{html.escape(s.description)}</p>")
        out.append(f'<p class="muted">{html.escape(self._scenario_terms(s))}</p>')

        out.append(self._section(tr("Key figures: {0}", s.name), 2))
        kpis = [(k.label(self.lang), format_value(k.kind, k.value(result))) for k in KPIS]
        half = (len(kpis) + 1) // 2
        rows = []
        for i in range(half):
            left = kpis[i]
            right = kpis[i + half] if i + half < len(kpis) else ("", "")
            rows.append([left[0], left[1], right[0], right[1]])
        out.append(self._table([tr("Key figure"), tr("Value"), tr("Key figure"), tr("Value")],
                               rows, "lrlr", [32, 18, 32, 18]))
        out.append(_para(tr("Amounts in {0}; shares and data islands at the end of the horizon.",
                            self._unit()), "small"))

        out.append(self._section(tr("Charts: {0}", s.name), 2))
        gap = 10
        half_w = (self.css_width - 3 * gap) / 2
        cells = []
        for i in range(self.chart_count):
            cells.append(f'<td valign="top" width="50%">{self._img(f"img:s{number}-{i}", half_w)}'
                         "</td>")
        rows_html = "".join("<tr>" + "".join(cells[i:i + 2]) + "</tr>"
                            for i in range(0, len(cells), 2))
        out.append(f'<table width="100%" cellspacing="{gap}" cellpadding="0">'
                   f"{rows_html}</table>")

        out.append(self._section(tr("Assignments: {0}", s.name), 2))
        out.append(self._assignment_table(result))
        if result.warnings:
            out.append(self._section(tr("Warnings ({0})", len(result.warnings)), 3))
            out.append("".join(f'<p class="small">• {html.escape(w)}</p>'
                               for w in result.warnings))
        return "".join(out)

    def _assignment_table(self, result: ScenarioResult) -> str:
        from ui.i18n import tr

        model = self.model
        trace = result.trace
        if not len(trace.rows):
            return f"<p>{html.escape(tr('No project is assigned in this scenario.'))}</p>"
        enterprises = model.enterprise_index()
        projects = model.project_index()
        order = sorted(range(len(trace.rows)), key=lambda k: (
            int(trace.start[k]), model.assignments[int(trace.rows[k])].enterprise,
            model.assignments[int(trace.rows[k])].project))
        bold = {"bold": True}
        # the projects first, once each with their totals; the long list then names them by id
        used: dict[str, list[int]] = {}
        for k in order:
            used.setdefault(model.assignments[int(trace.rows[k])].project, []).append(k)
        key_rows = []
        for project_id in sorted(used):
            picked = used[project_id]
            key_rows.append([project_id, projects[project_id].name, str(len(picked)),
                             format_value("amount", float(sum(trace.capex[k] for k in picked
                                                              if trace.in_horizon[k]))),
                             format_value("amount", float(sum(trace.subsidy[k] for k in picked)))])
        total_capex = format_value("amount", float(trace.capex[trace.in_horizon].sum()))
        total_subsidy = format_value("amount", float(trace.subsidy.sum()))
        key_rows.append([(tr("Total"), bold), "", (str(len(order)), bold), (total_capex, bold),
                         (total_subsidy, bold)])
        out = [self._section(tr("Projects in this scenario"), 3),
               self._table([tr("Id"), tr("Project"), tr("Assignments"), tr("Capex"),
                            tr("Subsidy")], key_rows, "llrrr", [7, 57, 12, 12, 12])]
        rows = []
        for k in order:
            a = model.assignments[int(trace.rows[k])]
            e = enterprises[a.enterprise]
            rows.append([f"{e.id} {e.name}", a.project, str(a.start_year),
                         format_value("share", a.core_share),
                         format_value("amount", float(trace.capex[k])),
                         format_value("amount", float(trace.subsidy[k]))])
        rows.append([(tr("Total ({0} assignments)", len(order)), bold), "", "", "",
                     (total_capex, bold), (total_subsidy, bold)])
        out.append(self._section(tr("Each assignment"), 3))
        out.append(self._table([tr("Enterprise"), tr("Project"), tr("Start year"), tr("Core share"),
                                tr("Capex"), tr("Subsidy")], rows, "llrrrr",
                               [50, 10, 10, 10, 10, 10]))
        out.append(_para(tr("In {0}. Capex is the project's capex times the enterprise's size "
                            "factor; totals count the assignments that start inside the horizon.",
                            self._unit()), "small"))
        return "".join(out)

    def _comparison_section(self) -> str:
        from ui.compare import BEST_BACKGROUND, comparison_rows
        from ui.i18n import tr

        out = [self._section(tr("Scenario comparison"))]
        if not self.results:
            return "".join(out) + f"<p>{html.escape(tr('The model has no scenario yet.'))}</p>"
        names = [r.scenario.name for r in self.results]
        rows = comparison_rows(self.results, 0, self.lang)
        shade = BEST_BACKGROUND.name()
        share = max(10, 60 // max(1, len(names)))
        widths = [100 - share * len(names), *[share] * len(names)]
        table_rows = [[row.label, *[(row.text(c), {"bold": True, "shade": shade} if c in row.best
                                     else {}) for c in range(len(names))]] for row in rows]
        out.append(self._section(tr("Key figures of every scenario"), 2))
        out.append(self._table([tr("Key figure"), *names], table_rows, "l" + "r" * len(names),
                               widths))
        out.append(_para(tr("Bold on a shaded background: the best value in the row. Amounts in "
                            "{0}.", self._unit()), "small"))
        if len(names) > 1:
            out.append(self._section(tr("Difference from {0}", names[0]), 2))
            diff_rows = [[row.label, row.text(0), *[row.difference_text(c)
                                                    for c in range(1, len(names))]]
                         for row in rows]
            out.append(self._table([tr("Key figure"), names[0], *[f"{n} − {names[0]}"
                                                                  for n in names[1:]]],
                                   diff_rows, "l" + "r" * len(names), widths))
            out.append(_para(tr("Each scenario minus {0}; shares in percentage points.",
                                names[0]), "small"))
        out.append(self._section(tr("Scenarios over time"), 2))
        gap = 10
        half_w = (self.css_width - 3 * gap) / 2
        out.append(f'<table width="100%" cellspacing="{gap}" cellpadding="0"><tr>'
                   f'<td width="50%">{self._img("img:compare-cumulative", half_w)}</td>'
                   f'<td width="50%">{self._img("img:compare-connected", half_w)}</td></tr>'
                   "</table>")
        return "".join(out)

    def _assumptions_section(self) -> str:
        from ui.i18n import tr

        model = self.model
        unit = self._unit()
        out = [self._section(tr("Assumptions"))]
        out.append(self._section(tr("How the numbers are worked out"), 2))
        for paragraph in (
                tr("Each assignment starts a project on an enterprise in a year. Its capex, opex "
                   "and fixed benefit are the catalogue's figures for a small enterprise times the "
                   "enterprise's size factor; its benefit also includes a share of the "
                   "enterprise's revenue. Capex is spent in the start year; opex and benefit "
                   "count in every year from go-live (start year plus duration)."),
                tr("The government pays the scenario's subsidy share of capex by enterprise size, "
                   "up to the cap per enterprise. Of the rest, the core enterprise pays the "
                   "assignment's core share. A link between two enterprises that are both on the "
                   "data platform is data-connected; a newly connected link saves the scenario's "
                   "link benefit rate of its trade value every year."),
                tr("Net benefit is benefit minus cost (the subsidy included); NPV discounts each "
                   "year to the scenario's first year; the payback year is the first year in "
                   "which the cumulative net benefit is back at zero or above. Coverage shares "
                   "count the enterprises other than the core.")):
            out.append(f"<p>{html.escape(paragraph)}</p>")

        out.append(self._section(tr("Project catalogue"), 2))
        rows = []
        for p in model.projects:
            conditions = []
            if p.min_maturity > 1:
                conditions.append(tr("level {0}+", p.min_maturity))
            if p.requires:
                conditions.append(tr("after {0}", p.requires))
            if p.eligible_sizes:
                conditions.append("/".join(self._size(s) for s in p.eligible_sizes))
            rows.append([p.id, p.name, self._category(p.category), format_value("amount", p.capex),
                         format_value("amount", p.opex), str(p.duration),
                         format_value("share", p.benefit_rate), format_value("amount",
                                                                             p.benefit_fixed),
                         f"+{p.maturity_gain}" if p.maturity_gain else "",
                         tr("yes") if p.connects_platform else "", ", ".join(conditions)])
        out.append(self._table(
            [tr("Id"), tr("Name"), tr("Category"), tr("Capex"), tr("Opex\n/ year"), tr("Years"),
             tr("Benefit\nrate"), tr("Fixed\nbenefit"), tr("Level\ngain"), tr("Platform"),
             tr("Conditions")], rows, "lllrrrrrccl", [5, 21, 12, 7, 7, 6, 7, 8, 6, 9, 12],
            font_pt=7.5))
        out.append(_para(tr("Figures for a small enterprise, in {0}; years from start to "
                            "go-live.", unit), "small"))
        out.append(self._section(tr("Sources"), 2))
        out.append(self._table([tr("Id"), tr("Source of the figures")],
                               [[p.id, p.source or "—"] for p in model.projects], "ll", [8, 92]))

        out.append(self._section(tr("Scenario rules"), 2))
        rule_rows = []
        for s in model.scenarios:
            cap = format_value("amount", s.subsidy_cap) if s.subsidy_cap is not None else \
                tr("no cap")
            rule_rows.append([s.name, f"{s.start_year}–{s.start_year + s.horizon - 1}",
                              format_value("share", s.discount_rate),
                              *[format_value("share", getattr(s, "subsidy_" + size))
                                for size in ("micro", "small", "medium", "large")],
                              cap, format_value("share", s.link_benefit_rate),
                              str(s.target_level)])
        out.append(self._table(
            [tr("Scenario"), tr("Years"), tr("Discount\nrate"),
             *[tr("Subsidy\n{0}", self._size(size)) for size in ("micro", "small", "medium",
                                                                   "large")],
             tr("Subsidy cap\n({0})", unit), tr("Link\nbenefit rate"), tr("Target\nlevel")],
            rule_rows, "lcrrrrrrrc", [19, 11, 9, 8, 8, 8, 8, 11, 10, 8], font_pt=7.5))

        out.append(self._section(tr("Settings"), 2))
        settings = model.settings
        setting_rows = [[tr("Model name"), settings.model_name or "—"],
                        [tr("Currency"), settings.currency],
                        [tr("Amount unit"), f"{settings.amount_unit} ({unit})"]]
        setting_rows += [[tr("Size factor, {0}", self._size(size)),
                          f"{settings.size_factor(size):g}"] for size in SIZES]
        out.append(self._table([tr("Setting"), tr("Value")], setting_rows, "ll", [40, 60]))
        return "".join(out)

    # --- words ---------------------------------------------------------------------------
    def _unit(self) -> str:
        settings = self.model.settings
        if settings.amount_unit == "10k" and settings.currency == "CNY":
            return "万元" if self.lang == "zh_CN" else "10k CNY"
        return f"{settings.amount_unit} {settings.currency}".strip()

    def _size(self, size: str) -> str:
        return SIZES.get(size, size) if self.lang == "zh_CN" else size

    def _category(self, category: str) -> str:
        return CATEGORIES.get(category, category) if self.lang == "zh_CN" else category

    def _place_name(self, position: str, tier: int | None) -> str:
        from ui.i18n import tr

        if position == "core":
            return tr("Core enterprise")
        if position == "detached":
            return tr("Detached")
        return tr("Upstream tier {0}" if position == "upstream" else "Downstream tier {0}", tier)

    def _scenario_terms(self, s: Any) -> str:
        from ui.i18n import tr

        cap = format_value("amount", s.subsidy_cap) + " " + self._unit() \
            if s.subsidy_cap is not None else tr("none")
        return tr("Years {0}–{1} · discount rate {2} · subsidy micro/small/medium/large "
                  "{3}/{4}/{5}/{6}, cap {7} · link benefit rate {8} · target level {9}",
                  s.start_year, s.start_year + s.horizon - 1,
                  format_value("share", s.discount_rate),
                  *[format_value("share", getattr(s, "subsidy_" + size))
                    for size in ("micro", "small", "medium", "large")],
                  cap, format_value("share", s.link_benefit_rate), s.target_level)
