"""The chain canvas, in four modules: ``canvas_view`` (the view: scene, zoom, fit, level of
detail, following the document), ``canvas_items`` (nodes, links, batched links),
``canvas_tools`` (select, move, pan, draw a link, drop a project) and
``canvas_decorations`` (tier columns, park bands, headings). This module names what
the rest of the app uses from them.
"""

from ui.canvas_decorations import HEADER_H, column_title
from ui.canvas_items import RADIUS, WIDTHS, LinkBatchItem, LinkItem, NodeItem
from ui.canvas_tools import MIME_PROJECT
from ui.canvas_view import ChainView

__all__ = ["HEADER_H", "MIME_PROJECT", "RADIUS", "WIDTHS", "ChainView", "LinkBatchItem",
           "LinkItem", "NodeItem", "column_title"]
