"""The chain canvas: a view of the document's chain, enterprises as nodes in tier columns,
links as curves, lit by the year.

The view follows the document's typed events (rows inserted, removed or changed, per
table), gathered over one edit and applied on its ``changed``: a moved enterprise moves
its node, an edited one updates its node, a new one gets a node where the planner is
looking (beside the selected firm or near the view's centre) until it is linked, a
removed one loses it, new and removed links redraw the links. Only a new model, or an
edit that changes the tiers, empties a column or park group or changes a park, lays
the chain out again. ``analysed`` and ``year_changed`` recolour the nodes that changed
from the scenario result; ``selection_changed`` syncs the selection. Edits made on the
canvas (ui/canvas_tools.py) go back through the document's methods, each one undo step.

Large chains stay responsive: the scene keeps its BSP index and a fixed scene rect,
node items are cached and drop detail at low zoom, links beyond some thousands are
one batched item (ui/canvas_items.py), and the columns, park bands and headings are
painted behind and above the items instead of being items (ui/canvas_decorations.py).
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPainterPath, QPixmapCache, QTransform
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QToolTip

from models.background import paused_gc
from models.chain import Enterprise, Link
from models.schema import ROLES
from models.validation import DETACHED, Place
from models.validation import places as compute_places
from planner.layout import COLUMN, LANE, ROW, Band, Column, link_ends
from planner.overview import Arrangement, arrange, connected_members, flows
from ui import palette
from ui.analysis import LayoutRequest
from ui.canvas_decorations import HEADER_H, HINT_H, Decorations
from ui.canvas_items import (
    BADGE_LOD,
    BATCH_FROM,
    RADIUS,
    LinkBatchItem,
    LinkItem,
    NodeItem,
    cubic,
    link_widths,
    make_fonts,
    shown_name,
)
from ui.canvas_tools import CanvasTools
from ui.i18n import tr
from ui.overview import OverviewItem
from ui.parks import park_name, park_projects, park_selection
from ui.worker import note_interaction

# the least zoom: a province's 100,000 firms stand some 27,000 units tall, to be fitted into
# a laptop's canvas of under 300 pixels
MIN_SCALE, MAX_SCALE = 0.002, 6.0
ROLE_CODE = {role: k for k, role in enumerate(ROLES)}
LOOSE_MAX = 12  # up to this many new detached enterprises at once are placed in view
STATE_FIELDS = frozenset({"role", "maturity", "platform_connected"})  # a node's colour and marks
FILTER_FIELDS = frozenset({"park", "size", "ownership"})  # what the filter bar filters on
# from this many firms, node items are made only for what is in view (and the selection),
# and zoomed out below OVERVIEW_SCALE the chain is drawn as its overview (ui/overview.py)
OVERVIEW_FROM = 5000
OVERVIEW_SCALE = 0.3  # below this zoom a firm would be a few pixels: the overview instead
NODE_CHUNK = 400  # node items made per turn of the event loop (a turn stays under 100 ms)
NODE_FILL_MS = 15  # between chunks: the view is painted (and input handled) in between
NODE_BUDGET = 8000  # node items kept at most; those farthest out of view go first


@dataclass
class _Pending:
    """What the typed events of one edit changed, gathered until the document's ``changed``."""

    reset: bool = False
    enterprises_came_or_went: bool = False
    rows: set[int] = field(default_factory=set)  # enterprises whose fields changed
    fields: set[str] = field(default_factory=set)
    links: bool = False  # links inserted, removed or pointed at other firms
    relinked: bool = False  # a link pointed at other firms (or its firm renamed)
    relinked_rows: set[int] = field(default_factory=set)  # those links' model rows
    # the model rows of links whose annual value or platform flag changed
    link_value_rows: set[int] = field(default_factory=set)
    # the rows inserted and removed, in order: (table, inserted, positions)
    ops: list[tuple[str, bool, list[int]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.reset or self.enterprises_came_or_went or self.rows or self.links
                    or self.link_value_rows)


HIGHLIGHT = "#E6007E"  # the temporary highlight's magenta (no role or level colour)


class ChainView(QGraphicsView):
    """The chain canvas of a ``Document``.

    The wheel zooms around the pointer; ``fit()`` shows the whole chain (the main window
    binds F). Selecting, moving, panning, drawing links and dropping projects are the
    tools' (ui/canvas_tools.py).

    Colours: by role (default) or by digital level at the current year (``set_colour_by``).
    A node is full-coloured with a dot mark when on the data platform in the current year,
    pale otherwise; a dark ring marks an enterprise at or above the scenario's target level.
    """

    colour_by_changed = Signal(str)  # nodes are now coloured by "role" or "level"
    highlight_changed = Signal()  # the temporary highlight (e.g. a comparison's) changed
    # enterprises and links outlined until cleared (File ▸ Compare with file…)
    highlighted: frozenset[str] = frozenset()
    highlighted_links: frozenset[tuple[str, str]] = frozenset()
    zoom_changed = Signal(float)  # the view's scale (1 = 100 %) changed
    status_message = Signal(str)  # something to tell the planner in the status bar

    def __init__(self, document: Any, parent: Any = None):
        super().__init__(parent)
        self.document = document
        self.fonts = make_fonts()
        self.decorations = Decorations(self.fonts)
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
        self._index_cache: dict[str, int] | None = {}  # see _index
        self._pos = np.zeros((0, 2))
        self._radius = np.zeros(0)
        self._places: dict[str, Any] = {}
        self._auto: dict[str, tuple[float, float]] = {}  # each laid-out enterprise's slot
        # new, still detached enterprises shown where the planner was looking, not in the
        # detached column: they join the layout once linked
        self._loose: dict[str, tuple[float, float]] = {}
        # where loose enterprises were before they were linked or deleted: an undo puts
        # them back there
        self._was_loose: dict[str, tuple[float, float]] = {}
        # a big chain's removed firms: their places, and where they were laid out (slot,
        # park group, column, overview group), so that an undo puts them back without a
        # new layout; their overview groups until then
        self._gone_places: dict[str, Any] = {}
        self._gone_layout: dict[str, tuple[Any, Any, Any, int]] = {}
        self._gone_group: dict[str, int] = {}
        self._band_of: dict[str, Band] = {}
        self._joined: list[str] = []  # loose enterprises the edit under way linked
        self._pending = _Pending()  # what the typed events of the edit under way changed
        # the curves before the links changed, and each link row's row among them (-1: new)
        self._old_geometry: np.ndarray | None = None
        self._link_origin: np.ndarray | None = None
        self._node_origin = np.zeros(0, np.int64)  # each node row's row before an edit
        self._nodes_before = 0  # how many nodes there were before it
        self._content = QRectF()
        self._adjacent: list[list[int]] = []
        self._link_keys: list[tuple[str, str]] | None = []  # see link_keys
        self._link_row: dict[tuple[str, str], int] | None = {}
        self._link_u = np.zeros(0, np.int64)
        self._link_v = np.zeros(0, np.int64)
        self.link_width = np.zeros(0)
        self._width_bin = np.zeros(0, np.int64)
        self._priority = np.zeros(0, np.int64)
        self._style_cache: np.ndarray | None = None
        self._style_version = 0
        self.link_connected = np.zeros(0, bool)
        self.link_faded = np.zeros(0, bool)
        self._geometry = np.zeros((0, 8))
        self._link_items: list[LinkItem] = []
        self._batch: LinkBatchItem | None = None
        self._filter: dict[str, Any] = {}
        self._matching: set[str] = set()
        self._state_result: Any = None  # the scenario result the nodes are coloured from
        # each node's and each drawn link's row in that result (-1: came after it), carried
        # through edits like the other arrays until the next result comes
        self._state_at = np.zeros(0, np.int64)
        self._state_link_at = np.zeros(0, np.int64)
        self._state_key = np.zeros(0, np.int64)  # what each node shows (see _apply_state)
        self._link_flags = np.zeros(0, bool)  # the links' own platform flags
        self._link_model_rows = np.zeros(0, np.int64)  # each drawn link's row in the model
        self.syncing = False  # the view itself is changing the scene's selection (or items)
        self._find_text = ""
        self._find_hits: list[str] = []
        self._find_at = -1
        self._fitted = False
        self.parks = park_selection(document)
        self.tools = CanvasTools(self)
        # a big chain (OVERVIEW_FROM firms): node items only in view, the overview zoomed out
        self._lazy = False
        self._fit_next = False  # fit the next rebuild (a new model)
        self._overview: OverviewItem | None = None
        self._overview_dirty = True
        self._member = np.zeros(0, np.int64)  # each firm's overview group (-1: none)
        # a big chain's edit needs a new layout: it comes with the edit's analysis
        self._layout_stale = False
        self._groups: list[Any] = []
        self._link_value = np.zeros(0)
        self._wanted: list[int] = []  # model rows whose node items are still to be made
        self._sync_timer = QTimer(self)  # the view moved: which items to make (coalesced)
        self._sync_timer.setSingleShot(True)
        self._sync_timer.setInterval(0)
        self._sync_timer.timeout.connect(self._sync_view)
        self._fill_timer = QTimer(self)  # the next chunk of node items for the view
        self._fill_timer.setSingleShot(True)
        self._fill_timer.setInterval(NODE_FILL_MS)
        self._fill_timer.timeout.connect(self._fill_view)

        # through a slot of the view, so that Qt disconnects it when the view goes
        self.scene().selectionChanged.connect(self.on_scene_selection_changed)
        document.rows_inserted.connect(self.on_rows_inserted)
        document.rows_removed.connect(self.on_rows_removed)
        document.rows_changed.connect(self.on_rows_changed)
        document.model_reset.connect(self.on_model_reset)
        document.changed.connect(self.on_changed)
        document.analysed.connect(self.on_analysed)
        document.analyser.layout_request = self._layout_request
        self._year_stale = False  # the year changed while another tab was shown
        document.year_changed.connect(self.on_year_changed)
        document.selection_changed.connect(self.on_selection_changed)
        document.scenario_changed.connect(self.update_parks)
        self.parks.changed.connect(self.update_parks)
        self.rebuild()
        if self._take_result():
            self._apply_state()
        self.on_selection_changed()

    # --- public API ----------------------------------------------------------------------
    @property
    def links_batched(self) -> bool:
        return self._batch is not None

    @property
    def links_sampled(self) -> bool:
        """The last paint of the batched links left some out (too many in view)."""
        return self._batch is not None and self._batch.sampled

    @property
    def has_nodes(self) -> bool:
        return bool(self._nodes)

    @property
    def overview_shown(self) -> bool:
        """The chain is drawn as its overview (a big chain, zoomed out)."""
        return self._overview is not None and self._overview.isVisible()

    @property
    def overview(self) -> OverviewItem | None:
        """The overview item of a big chain (None for a small one)."""
        return self._overview

    def group_ids(self, group: int) -> list[str]:
        """The enterprises of an overview group."""
        return [self._ids[i] for i in np.flatnonzero(self._member == group).tolist()]

    def drill_down(self, group: int) -> None:
        """Show the real firms of an overview group: zoom to where its firms are (at least
        far enough in to tell them apart, around the member nearest their middle)."""
        rows = np.flatnonzero(self._member == group)
        if len(rows) == 0:
            return
        pos = self._pos[rows]
        lo, hi = pos.min(axis=0), pos.max(axis=0)
        view = self.viewport().rect()
        fit = min((view.width() - 200) / max(hi[0] - lo[0] + LANE, 1.0),
                  (view.height() - HEADER_H - 40) / max(hi[1] - lo[1] + ROW, 1.0))
        scale = max(min(fit, 1.0), OVERVIEW_SCALE * 1.5)
        self._set_scale(scale)
        middle = (lo + hi) / 2
        nearest = pos[int(np.argmin(np.hypot(*(pos - middle).T)))]
        centre = middle if scale == min(fit, 1.0) else nearest
        self.centerOn(QPointF(float(centre[0]), float(centre[1]) - HEADER_H / 2 / scale))
        self._sync_view()

    def node_item(self, e_id: str) -> NodeItem | None:
        return self._nodes.get(e_id)

    @property
    def link_keys(self) -> list[tuple[str, str]]:
        """Each drawn link's (supplier, buyer), by link row; made when first asked for after
        the links changed (a list of 300,000 pairs on every structural edit took 0.1 s)."""
        if self._link_keys is None:
            links = self.document.model.links
            self._link_keys = [(lk.supplier, lk.buyer) for lk in
                               map(links.__getitem__, self._link_model_rows.tolist())]
        return self._link_keys

    def link_path(self, key: tuple[str, str]) -> QPainterPath | None:
        """The curve of a link (supplier, buyer) in scene coordinates, as drawn."""
        row = self.link_row(key)
        if row is None:
            return None
        path = QPainterPath()
        cubic(path, self._geometry[row].tolist())
        return path

    def columns(self) -> list[Column]:
        """The tier columns (and the detached firms' column) as laid out, left to right."""
        return list(self.decorations.columns)

    def bands(self) -> list[Band]:
        """The park groups of the columns, with their counts."""
        return list(self.decorations.bands)

    def park_at(self, pos: QPointF) -> str | None:
        """The park whose box (a band of its members, with its label) is under a viewport
        point, if any."""
        band = self.decorations.band_at(self.mapToScene(pos.toPoint()))
        return band.park if band is not None else None

    def park_box(self, park: str) -> QRectF | None:
        """The first box of a park on the canvas, in scene coordinates (None: no members)."""
        band = next((b for b in self.decorations.bands if b.park == park), None)
        return self.decorations.park_boxes(band)[0] if band is not None else None

    def update_parks(self) -> None:
        """Park names, their park projects' badges (live or not in the shown year) and the
        selected park, for the painted park boxes."""
        model = self.document.model
        decorations = self.decorations
        names = {k.id: k.name.strip() for k in model.parks if k.name.strip()}
        projects = model.project_index()
        year = self.document.year
        badges: dict[str, list[tuple[str, bool]]] = {}
        for b in park_projects(model, self.document.scenario):
            spec = projects.get(b.project)
            live = spec is not None and year is not None and b.start_year + spec.duration <= year
            badges.setdefault(b.park, []).append((b.project, live))
        selected = self.parks.park
        if (names, badges, selected) != (decorations.park_names, decorations.badges,
                                         decorations.selected_park):
            decorations.park_names, decorations.badges = names, badges
            decorations.selected_park = selected
            self.viewport().update()

    def set_colour_by(self, mode: str) -> None:
        if mode not in ("role", "level"):
            raise ValueError(f"unknown colour mode {mode!r}")
        if mode != self.colour_by:
            self.colour_by = mode
            self._apply_state()
            self.colour_by_changed.emit(mode)

    def fit(self) -> None:
        """Show the whole chain, below the tier headings and above the hint at the foot."""
        rect = self._content
        if rect.isEmpty():
            return
        view = self.viewport().rect()
        width = max(view.width() - 24, 50)
        height = max(view.height() - HEADER_H - HINT_H - 6, 50)
        scale = min(width / rect.width(), height / rect.height(), 1.25)
        self._set_scale(scale)
        # the middle of the band between the headings and the hint
        self.centerOn(rect.center() - QPointF(0, (HEADER_H - HINT_H + 6) / 2 / scale))
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
            ids = [e.id for e in map(self.document.model.enterprises.__getitem__,
                                      self._search_rows(needle))]
            exact = [e_id for e_id in ids if e_id.lower() == needle]
            rest = [e_id for e_id in ids if e_id.lower() != needle]
            self._find_text, self._find_hits, self._find_at = needle, exact + rest, -1
        if not self._find_hits:
            return False
        self._find_at = (self._find_at + 1) % len(self._find_hits)
        e_id = self._find_hits[self._find_at]
        self.document.set_selection({e_id}, set())
        i = self._index.get(e_id)
        if i is not None:
            if self.transform().m11() < BADGE_LOD:  # names and badges show
                self._set_scale(1.0)
            self.centerOn(QPointF(*self._pos[i].tolist()))  # the node, not its label area
            self._sync_view()
        return True

    def _search_rows(self, needle: str) -> list[int]:
        """Model rows (ascending) whose id or name contains ``needle`` (lower case): one
        search of a text of every firm's id and name, kept until ids or names change (at
        100,000 firms, lowering and testing each name in Python took half a second)."""
        if "\t" in needle or "\n" in needle:
            return []
        text, starts = self.document.search_text()
        rows: list[int] = []
        at = text.find(needle)
        while at >= 0:
            row = bisect.bisect_right(starts, at) - 1
            rows.append(row)
            at = text.find(needle, starts[row + 1])  # the next firm's line
        return rows

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
        """Lay out the whole model again and update the items to it (items are reused by id)."""
        self._redraw(self._rebuild)

    def _redraw(self, work: Callable[[], None]) -> None:
        """Do ``work`` on the items (the scene's own signals ignored, no cycle collection
        among the wrappers it makes), then draw the links again."""
        with paused_gc():
            self.syncing = True
            try:
                work()
            finally:
                self.syncing = False
        self.refresh_links()

    def _rebuild(self) -> None:
        model = self.document.model
        analysis = self.document.analysis
        if analysis.revision == self.document.revision and analysis.places:
            self._places = analysis.places
        else:
            self._places = compute_places(model)
        ids = {e.id for e in model.enterprises}
        self._loose = {e_id: spot for e_id, spot in self._loose.items()
                       if e_id in ids and self._is_detached(e_id)}
        self._find_hits = []  # ids may have come or gone
        scene = self.scene()
        for gone in set(self._nodes) - ids:
            scene.removeItem(self._nodes.pop(gone))
        self._lazy = len(model.enterprises) >= OVERVIEW_FROM
        if self._lazy:  # the items there are (names again: the language may have changed)
            for e_id, item in self._nodes.items():
                e = self.document.enterprise(e_id)
                assert e is not None  # the gone ones went above
                item.configure(shown_name(e.name), RADIUS.get(e.size, RADIUS["small"]))
        else:
            for e in model.enterprises:  # names again too: the language may have changed
                item = self._nodes.get(e.id)
                if item is None:
                    self._add_node(e)
                else:
                    item.configure(shown_name(e.name), RADIUS.get(e.size, RADIUS["small"]))
        self._index_nodes()
        self._matching = set()
        arrangement = analysis.arrangement if analysis.revision == self.document.revision \
            else None
        self._links(arrangement.ends if arrangement is not None else None)
        self._relayout(arrangement)
        self._apply_state(refresh=False)
        self._apply_filter(refresh=False)
        self.update_parks()
        if self._lazy and self._fit_next:  # a new big chain: no items for the old zoom
            self.fit()
        self._fit_next = False
        self._sync_view()

    def retranslate(self) -> None:
        """Names, headings and the overview in the current language; nothing is laid out
        again (at 100,000 firms laying out cost most of a language switch)."""
        for e_id, item in self._nodes.items():
            e = self.document.enterprise(e_id)
            if e is not None:
                item.configure(shown_name(e.name), item.radius)
        self._overview_dirty = True
        if self.overview_shown:
            self._update_overview()
        self.viewport().update()  # the headings and park labels are worded when painted

    def _add_node(self, e: Enterprise) -> NodeItem:
        item = self._nodes[e.id] = NodeItem(self, e.id)
        self.scene().addItem(item)
        item.configure(shown_name(e.name), RADIUS.get(e.size, RADIUS["small"]))
        return item

    # --- a big chain: node items for what is in view, the overview zoomed out ------------
    def _sync_view(self) -> None:
        """Show the overview (zoomed out) or the firms in view (zoomed in) of a big chain:
        node items are made for the view and a margin round it, nearest its centre first,
        a chunk per turn of the event loop; the farthest go when there are too many."""
        self._sync_timer.stop()
        if not self._lazy:
            if self._overview is not None:
                self.scene().removeItem(self._overview)
                self._overview = None
                self.decorations.overview = False
                if self._batch is not None:
                    self._batch.setVisible(True)
            return
        zoomed_out = self.transform().m11() < OVERVIEW_SCALE
        if self._overview is None:
            self._overview = OverviewItem(self)
            self.scene().addItem(self._overview)
            self._overview_dirty = True
        if self._overview.isVisible() != zoomed_out:
            self._overview.setVisible(zoomed_out)
        if self.decorations.overview != zoomed_out:
            self.decorations.overview = zoomed_out
            self.viewport().update()
        if self._batch is not None and self._batch.isVisible() == zoomed_out:
            self._batch.setVisible(not zoomed_out)
        if zoomed_out:
            self._wanted = []
            self._fill_timer.stop()
            self._evict(keep_rect=None)
            if self._overview_dirty:
                self._update_overview()
            return
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        margin = max(visible.width(), visible.height()) * 0.25
        area = visible.adjusted(-margin, -margin, margin, margin)
        x, y = self._pos[:, 0], self._pos[:, 1]
        inside = np.flatnonzero((x >= area.left()) & (x <= area.right())
                                & (y >= area.top()) & (y <= area.bottom()))
        nodes, ids = self._nodes, self._ids
        missing = np.array([i for i in inside.tolist() if ids[i] not in nodes], np.int64)
        # those in view (a node's name reaches right of it) now, nearest the centre first;
        # the margin a few turns of the event loop later, once the view is painted: a
        # search's jump to a new place made 400 items where 100 show. (Ordered by distance
        # alone, a wide view's sides came after the margin above and below, and were
        # painted in a second pass.)
        seen = visible.adjusted(-COLUMN / 2, -ROW, ROW, ROW)
        mx, my = x[missing], y[missing]
        in_view = ((mx >= seen.left()) & (mx <= seen.right())
                   & (my >= seen.top()) & (my <= seen.bottom()))
        centre = visible.center()
        distance = np.hypot(mx - centre.x(), my - centre.y())
        self._wanted = missing[np.lexsort((distance, ~in_view))].tolist()
        self._fill_view(min(int(np.count_nonzero(in_view)), NODE_CHUNK))
        if len(nodes) > NODE_BUDGET:
            self._evict(keep_rect=area)

    def _fill_view(self, count: int = NODE_CHUNK) -> None:
        chunk, self._wanted = self._wanted[:count], self._wanted[count:]
        if chunk:
            self._materialise(chunk)
        if self._wanted:
            self._fill_timer.start()

    def _materialise(self, rows: list[int]) -> None:
        """Node items for model rows, showing what the arrays hold (position, size, state,
        filter, selection)."""
        enterprises = self.document.model.enterprises
        selected = self.document.selected_enterprises
        nodes, scene = self._nodes, self.scene()
        rooms = self.decorations.room(self._pos[rows, 0]).tolist()
        places = self._pos[rows].tolist()  # as Python numbers at once, not item by item
        radii, keys = self._radius[rows].tolist(), self._state_key[rows].tolist()
        filtered = bool(self._filter)
        was, self.syncing = self.syncing, True
        try:
            with paused_gc():
                for i, room, (x, y), radius, key in zip(rows, rooms, places, radii, keys,
                                                        strict=True):
                    e = enterprises[i]
                    if e.id in nodes:
                        continue
                    item = nodes[e.id] = NodeItem(self, e.id, shown_name(e.name), radius, room)
                    item.setPos(x, y)
                    if key >= 0:
                        level, base = key % 16, key // 64
                        colour = (palette.level_colour(base) if base < 8
                                  else palette.role_colour(e.role))
                        item.set_state(colour, level, bool(key & 16), bool(key & 32))
                    if filtered and e.id not in self._matching:
                        item.setOpacity(palette.FADED)
                    scene.addItem(item)
                    if e.id in selected:
                        item.setSelected(True)
        finally:
            self.syncing = was

    def _evict(self, keep_rect: QRectF | None) -> None:
        """Drop node items out of ``keep_rect`` (all, when None), never a selected one or one
        being dragged, the farthest first, down to the budget."""
        nodes = self._nodes
        if not nodes:
            return
        selected = self.document.selected_enterprises
        index, pos = self._index, self._pos
        dragged = self.tools.dragged_ids()
        gone = []
        if keep_rect is None:
            gone = [e_id for e_id in nodes if e_id not in selected and e_id not in dragged]
        else:
            centre = keep_rect.center()
            far = []
            for e_id in nodes:
                i = index.get(e_id)
                if i is None or e_id in selected or e_id in dragged:
                    continue
                x, y = pos[i].tolist()
                if not keep_rect.contains(x, y):
                    far.append((-math.hypot(x - centre.x(), y - centre.y()), e_id))
            far.sort()
            gone = [e_id for _, e_id in far[:max(len(nodes) - NODE_BUDGET // 2, 0)]]
        if not gone:
            return
        was, self.syncing = self.syncing, True
        scene = self.scene()
        try:
            for e_id in gone:
                scene.removeItem(nodes.pop(e_id))
        finally:
            self.syncing = was

    def _update_overview(self) -> None:
        """The overview's groups and flows from the layout and the state in the shown year."""
        self._overview_dirty = False
        if self._overview is None:
            return
        member, group_list = self._member, self._groups
        known = self._state_key >= 0
        connected = known & ((self._state_key & 16) > 0)
        counts = np.bincount(member[member >= 0], minlength=len(group_list))
        on = connected_members(member, connected, len(group_list))
        for k, g in enumerate(group_list):
            g.count, g.connected = int(counts[k]), int(on[k])
        trade = flows(member, self._link_u, self._link_v, self._link_value, self.link_connected)
        self._overview.set_data(group_list, trade, dict(self.decorations.park_names))

    @property
    def _index(self) -> dict[str, int]:
        """The node row of each enterprise id (made again only when asked for after firms
        came or went: a table of 100,000 ids on every delete is a cost the edit need not pay)."""
        if self._index_cache is None:
            self._index_cache = dict(zip(self._ids, range(len(self._ids)), strict=True))
        return self._index_cache

    @_index.setter
    def _index(self, index: dict[str, int]) -> None:
        self._index_cache = index

    def _index_nodes(self) -> None:
        """Model order of the nodes (ids, positions, radii), after enterprises came or went."""
        model = self.document.model
        old = self._index
        ids = list(map(attrgetter("id"), model.enterprises))
        previous = np.fromiter(map(old.get, ids, itertools.repeat(-1)), np.int64, len(ids))
        kept = previous >= 0
        pos = np.zeros((len(ids), 2))
        pos[kept] = self._pos[previous[kept]]
        pos[~kept] = np.nan  # placed next: by the layout or in view
        state_key = np.full(len(ids), -1, np.int64)
        state_key[kept] = self._state_key[previous[kept]]
        self._ids, self._index, self._pos = ids, dict(zip(ids, range(len(ids)), strict=True)), pos
        self._state_key = state_key
        self._state_at = _carried(self._state_at, previous)
        self._node_origin, self._nodes_before = previous, len(old)
        member = np.full(len(ids), -1, np.int64)
        if len(self._member) == len(old):
            member[kept] = self._member[previous[kept]]
        self._member = member
        self._overview_dirty = True
        self._wanted = []  # model rows moved: which items to make is worked out again
        self._radius = np.fromiter(map(RADIUS.get, map(attrgetter("size"), model.enterprises),
                                       itertools.repeat(RADIUS["small"])), float, len(ids))

    @staticmethod
    def _replay(ops: list[tuple[str, bool, list[int]]], table: str, count: int,
                ids: list[Any] | None = None) -> tuple[np.ndarray, list[int]]:
        """Each row's row before the edit (-1: new) after ``ops`` on a table of ``count``
        rows, and the rows removed (as they were before); ``ids`` follows in place."""
        origin = np.arange(count)
        went: list[int] = []
        for name, inserted, positions in ops:
            if name != table or not positions:
                continue
            at = np.asarray(positions, np.int64)
            if inserted:  # positions held after the insertion
                origin = np.insert(origin, at - np.arange(len(at)), -1)
                if ids is not None:
                    for p in positions:
                        ids.insert(p, None)
            else:  # positions held before the removal
                if int(at.max()) >= len(origin) or int(at.min()) < 0:
                    raise IndexError(positions)
                went.extend(int(o) for o in origin[at].tolist() if o >= 0)
                keep = np.ones(len(origin), bool)
                keep[at] = False
                origin = origin[keep]
                if ids is not None:
                    for p in reversed(positions):
                        del ids[p]
        return origin, went

    def _replay_nodes(self, ops: list[tuple[str, bool, list[int]]]) -> (
            tuple[np.ndarray, list[str], list[int], list[str], list[int]] | None):
        """The enterprises' rows inserted and removed by an edit, followed on the node rows
        without a pass in Python over every firm: each row's row before, the ids, the rows
        that came, the ids that went and their rows before (None: the events do not add up
        to the model)."""
        enterprises = self.document.model.enterprises
        ids: list[Any] = list(self._ids)
        try:
            origin, gone = self._replay(ops, "enterprises", len(ids), ids)
        except IndexError:
            return None
        if len(origin) != len(enterprises):
            return None
        came = np.flatnonzero(origin < 0).tolist()
        for r in came:
            ids[r] = enterprises[r].id
        return origin, ids, came, [self._ids[r] for r in gone], gone

    def _adopt_nodes(self, origin: np.ndarray, ids: list[str]) -> None:
        """The node arrays after enterprises came or went (``origin``: each row's row before)."""
        enterprises = self.document.model.enterprises
        self._ids, self._index_cache = ids, None  # the row of each id: made when asked for
        self._pos = _carried(self._pos, origin, np.nan)  # the new placed next
        radius = _carried(self._radius, origin, RADIUS["small"])
        for r in np.flatnonzero(origin < 0).tolist():
            radius[r] = RADIUS.get(enterprises[r].size, RADIUS["small"])
        self._radius = radius
        self._state_key = _carried(self._state_key, origin)
        self._state_at = _carried(self._state_at, origin)
        self._member = _carried(self._member, origin)
        self._node_origin = origin
        self._overview_dirty = True
        self._wanted = []

    def _replay_links(self, ops: list[tuple[str, bool, list[int]]]) -> bool | None:
        """The links' rows inserted and removed by an edit, followed on the link arrays
        (each a copy with rows left out and put in, in NumPy); True if any came or went.
        None when the arrays cannot follow (some link was not drawn, or a new one's firm is
        missing): the caller makes them again from the model."""
        links = self.document.model.links
        m_old = len(self._link_u)
        if len(self._link_model_rows) != m_old or (
                m_old and int(self._link_model_rows[-1]) != m_old - 1):
            return None  # not every link is drawn: rows in the model are not link rows
        try:
            origin, gone = self._replay(ops, "links", m_old)
        except IndexError:
            return None
        if len(origin) != len(links):
            return None
        new_of_old = np.full(self._nodes_before, -1, np.int64)
        kept_nodes = self._node_origin >= 0
        new_of_old[self._node_origin[kept_nodes]] = np.flatnonzero(kept_nodes)
        kept = origin >= 0
        added = np.flatnonzero(~kept)
        u = np.full(len(origin), -1, np.int64)
        v = np.full(len(origin), -1, np.int64)
        u[kept] = new_of_old[self._link_u[origin[kept]]]
        v[kept] = new_of_old[self._link_v[origin[kept]]]
        fresh = [links[r] for r in added.tolist()]
        if fresh:  # (the table of ids is made only then: after a delete it need not be)
            index = self._index
            u[added] = [index.get(lk.supplier, -1) for lk in fresh]
            v[added] = [index.get(lk.buyer, -1) for lk in fresh]
        if len(u) and (min(int(u.min()), int(v.min())) < 0 or bool((u == v).any())):
            return None
        values = _carried(self._link_value, origin)
        values[added] = [lk.annual_value for lk in fresh]
        flags = _carried(self._link_flags, origin, False)
        flags[added] = [lk.data_connected for lk in fresh]
        priority = self._priority
        if len(priority) == m_old:  # highest value first: the kept in their order, the new put in
            rank = np.full(m_old, -1, np.int64)
            rank[origin[kept]] = np.flatnonzero(kept)
            priority = rank[priority]
            priority = priority[priority >= 0]
            priority = _ranked_in(priority, values, added)
        else:
            priority = np.argsort(-values, kind="stable")
        connected = _carried(self.link_connected, origin, False)
        connected[added] = flags[added]
        faded = _carried(self.link_faded, origin, False)
        if self._filter and len(added):
            matching = self._matching
            ids = self._ids
            faded[added] = [not (ids[a] in matching and ids[b] in matching)
                            for a, b in zip(u[added].tolist(), v[added].tolist(), strict=True)]
        self._old_geometry, self._link_origin = self._geometry, origin
        self._geometry = np.zeros((len(origin), 8))
        self._link_u, self._link_v, self._link_model_rows = u, v, np.arange(len(origin))
        self._link_value, self._link_flags, self._priority = values, flags, priority
        self.link_width, self._width_bin = link_widths(values)
        self.link_connected, self.link_faded = connected, faded
        self._state_link_at = _carried(self._state_link_at, origin)
        self._link_keys = self._link_row = None
        self._style_cache = None
        self._overview_dirty = True
        return bool(gone) or bool(len(added))

    def _layout_request(self) -> LayoutRequest | None:
        """A big chain is laid out with its analysis, off the GUI thread, without the firms
        shown where the planner put them (None: a smaller chain is laid out here, at once)."""
        if not self._lazy:
            return None
        return LayoutRequest(frozenset(self._loose), None if self._layout_stale else self._places)

    def _relayout(self, offered: Arrangement | None = None) -> None:
        """Place every enterprise by the layered layout (saved and loose positions kept):
        ``offered`` (worked out with an analysis of the model as it is) if it left out the
        firms now loose, else a layout worked out here."""
        skip = frozenset(self._loose)
        if offered is None or offered.skip != skip or len(offered.xy) != len(self._ids):
            offered = arrange(self.document.model, self._places, skip)
        self._layout_stale = False
        result = offered.layout
        self.decorations.set_layout(result.columns, result.bands)
        self._band_of = {e_id: band for band in result.bands for e_id in band.ids}
        self._auto = result.positions
        self._pos = offered.xy.copy()
        enterprises = self.document.model.enterprises
        for e_id in self._loose:  # left out of the layout
            i = self._index[e_id]
            self._pos[i] = self._position(enterprises[i])
        nodes, index = self._nodes, self._index
        made = [index[e_id] for e_id in nodes]
        rooms = self.decorations.room(self._pos[made, 0]).tolist()
        for item, i, room in zip(nodes.values(), made, rooms, strict=True):
            x, y = self._pos[i].tolist()
            if item.pos().x() != x or item.pos().y() != y:
                item.setPos(x, y)
            if room != item.room:
                item.configure(item.name, item.radius, room)
        if self._lazy:
            self._groups, self._member = offered.groups, offered.member.copy()
        else:
            self._groups, self._member = [], np.full(len(self._ids), -1, np.int64)
        self._overview_dirty = True
        self._sync_timer.start()
        self._place_links()
        self._update_scene_rect()
        self.viewport().update()  # columns, bands and headings are painted, not items

    def _position(self, e: Enterprise) -> tuple[float, float]:
        """Where a node stands: its saved position, else where it was put in view, else its slot."""
        if e.x is not None and e.y is not None:
            return float(e.x), float(e.y)
        return self._loose.get(e.id) or self._auto.get(e.id) or (0.0, 0.0)

    def _is_detached(self, e_id: str) -> bool:
        place = self._places.get(e_id)
        return place is None or place.position == DETACHED

    def _links(self, ends: tuple[np.ndarray, np.ndarray] | None = None) -> bool:
        """Link arrays from the model's links; True if which firms are linked changed.
        ``ends``: the model's ``link_ends``, when known (worked out while it was opened)."""
        # every pass over the links is a map in C (at 300,000 links a loop in Python per
        # link took seconds on every structural edit)
        all_links = self.document.model.links
        u, v = ends if ends is not None else link_ends(self.document.model, self._index)
        drawn = (u >= 0) & (v >= 0) & (u != v)
        links = list(itertools.compress(all_links, drawn.tolist()))
        self._link_model_rows = np.flatnonzero(drawn)
        u, v = u[drawn], v[drawn]
        # each link's row before, matched by its ends (as node rows before the edit)
        origin, n_old = self._node_origin, 1 << 32
        if len(origin) != len(self._ids):
            origin = np.full(len(self._ids), -1, np.int64)
        before = self._link_u * n_old + self._link_v
        order = np.argsort(before, kind="stable")
        ou, ov = origin[u], origin[v]
        after = np.where((ou >= 0) & (ov >= 0), ou * n_old + ov, -1)
        at = np.minimum(np.searchsorted(before[order], after), max(len(order) - 1, 0))
        found = (after >= 0) & (before[order][at] == after) if len(order) else after < -1
        link_origin = np.where(found, order[at] if len(order) else -1, -1)
        changed = not (len(before) == len(after) and bool(found.all())
                       and np.array_equal(np.sort(before), np.sort(after)))
        self._old_geometry, self._link_origin = self._geometry, link_origin
        self._state_link_at = _carried(self._state_link_at, link_origin)
        self._link_keys = self._link_row = None
        m = len(links)
        self._link_u, self._link_v = u, v
        self._link_values(links)
        self.link_connected = self._link_flags.copy()
        self.link_faded = np.zeros(m, bool)
        self._overview_dirty = True
        self._geometry = np.zeros((m, 8))
        return changed

    def _link_values(self, links: list[Link]) -> None:
        values = np.fromiter(map(attrgetter("annual_value"), links), float, len(links))
        self._link_value = values
        self._overview_dirty = True
        self.link_width, self._width_bin = link_widths(values)
        self._priority = np.argsort(-values, kind="stable")
        self._link_flags = np.fromiter(map(attrgetter("data_connected"), links), bool, len(links))
        self._style_cache = None

    def _retake_link_values(self, model_rows: set[int]) -> None:
        """The value and platform flag of the links at these model rows, typed in a table
        (all 300,000 read again and sorted took a quarter of a second per cell)."""
        links, drawn = self.document.model.links, self._link_model_rows
        wanted = np.array(sorted(r for r in model_rows if r < len(links)), np.int64)
        at = np.minimum(np.searchsorted(drawn, wanted), max(len(drawn) - 1, 0))
        found = drawn[at] == wanted if len(drawn) else np.zeros(len(wanted), bool)
        rows, typed = at[found], [links[r] for r in wanted[found].tolist()]
        if not len(rows):
            return
        values, flags = self._link_value.copy(), self._link_flags.copy()
        values[rows] = [lk.annual_value for lk in typed]
        flags[rows] = [lk.data_connected for lk in typed]
        priority = self._priority[~np.isin(self._priority, rows)]
        self._link_value, self._link_flags = values, flags
        self._priority = _ranked_in(priority, values, rows)
        self.link_width, self._width_bin = link_widths(values)
        self._style_cache = None
        self._overview_dirty = True

    def _place_links(self, moved: list[int] | None = None) -> None:
        """Every link's curve from the nodes' positions; the items follow (unchanged curves
        of a batch are kept: building 30,000 paths takes half a second).

        ``moved``: only these nodes (model rows) moved since the curves were placed, so a
        batch's links that were there already keep their curves unless they end at one."""
        m = len(self._link_u)
        old_geometry = self._geometry if self._old_geometry is None else self._old_geometry
        keep = np.arange(m) if self._link_origin is None else self._link_origin
        fresh = None
        if moved is not None and m >= BATCH_FROM and len(old_geometry):
            fresh = keep < 0
            if moved:
                ends = np.zeros(len(self._ids), bool)
                ends[moved] = True
                fresh |= ends[self._link_u] | ends[self._link_v]
            # (np.take gathers rows of a 2-D array several times faster than indexing)
            geometry = np.take(old_geometry, np.where(fresh, 0, keep), axis=0)
            rows = np.flatnonzero(fresh)
            geometry[rows] = self._compute_geometry(rows)
        else:
            geometry = self._compute_geometry(np.arange(m))
        self._geometry = geometry
        scene = self.scene()
        if m >= BATCH_FROM:
            for item in self._link_items:
                scene.removeItem(item)
            self._link_items = []
            if self._batch is None:
                self._batch = LinkBatchItem(self)
                scene.addItem(self._batch)
            same = keep >= 0
            if fresh is not None:
                same &= ~fresh
            elif len(old_geometry):
                moved_curve = np.take(old_geometry, np.where(same, keep, 0), axis=0) != geometry
                same &= ~moved_curve.any(axis=1)
            self._batch.set_links(geometry, self._priority, np.where(same, keep, -1))
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
            for item, g in zip(self._link_items, geometry.tolist(), strict=True):
                item.set_geometry(g)
                item.update()
        self._old_geometry = self._link_origin = None

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
            self._style_version += 1
        return self._style_cache

    def link_style_version(self) -> int:
        """Counts the changes of ``link_style`` (what the links look like)."""
        self.link_style()
        return self._style_version

    def link_row(self, key: tuple[str, str]) -> int | None:
        """The link row of a link (supplier, buyer), if drawn."""
        if self._link_row is None:
            if len(self._link_u) < BATCH_FROM:
                self._link_row = dict(zip(self.link_keys, range(len(self._link_u)), strict=True))
            else:  # a big chain: the rows of the supplier's node (no table of every link)
                a, b = self._index.get(key[0]), self._index.get(key[1])
                if a is None or b is None:
                    return None
                rows = np.flatnonzero(self._link_u == a)
                rows = rows[self._link_v[rows] == b]
                return int(rows[-1]) if len(rows) else None
        return self._link_row.get(key)

    def _update_scene_rect(self) -> None:
        rect = QRectF()
        for c in self.decorations.columns:
            rect = rect.united(QRectF(c.left, c.top - ROW / 2, c.right - c.left,
                                      c.bottom - c.top + ROW))
        if len(self._pos):
            lo, hi = self._pos.min(axis=0), self._pos.max(axis=0)
            rect = rect.united(QRectF(lo[0] - LANE / 2, lo[1] - ROW, hi[0] - lo[0] + LANE,
                                      hi[1] - lo[1] + 2 * ROW))
        self._content = rect
        margin = max(rect.width(), rect.height(), 400) * 0.5
        self.scene().setSceneRect(rect.adjusted(-margin, -margin, margin, margin))

    # --- following the model's edits --------------------------------------------------------
    def on_rows_inserted(self, table: str, positions: list[int]) -> None:
        self._came_or_went(table, True, positions)

    def on_rows_removed(self, table: str, positions: list[int]) -> None:
        self._came_or_went(table, False, positions)

    def _came_or_went(self, table: str, inserted: bool, positions: list[int]) -> None:
        if table == "enterprises":
            self._pending.enterprises_came_or_went = True
        elif table == "links":
            self._pending.links = True
        else:
            return
        self._pending.ops.append((table, inserted, list(positions)))

    def on_rows_changed(self, table: str, positions: list[int], fields: list[str]) -> None:
        pending = self._pending
        if table == "enterprises":
            pending.rows.update(positions)
            pending.fields.update(fields)
        elif table == "links":
            if {"supplier", "buyer"} & set(fields):
                pending.links = pending.relinked = True
                pending.relinked_rows.update(positions)
            if {"annual_value", "data_connected"} & set(fields):
                pending.link_value_rows.update(positions)

    def on_model_reset(self) -> None:
        self._pending.reset = True

    def on_changed(self) -> None:
        """The edit's typed events are all in: update what they changed."""
        pending, self._pending = self._pending, _Pending()
        if pending.reset:
            self._loose, self._was_loose = {}, {}
            self._gone_places, self._gone_layout, self._gone_group = {}, {}, {}
            self._layout_stale = False
            self._fit_next = True
            self.rebuild()
        elif pending:
            with paused_gc():
                self.syncing = True
                try:
                    self._follow(pending)
                finally:
                    self.syncing = False
        self.on_selection_changed()
        self.update_parks()

    def _follow(self, pending: _Pending) -> None:
        model = self.document.model
        enterprises = model.enterprises
        fields = pending.fields
        came_or_went = pending.enterprises_came_or_went
        if came_or_went:  # the positions of changed rows may have shifted: take them all
            rows = list(range(len(enterprises)))
        else:
            rows = sorted(r for r in pending.rows if r < len(enterprises))
        if "id" in fields and not came_or_went:
            self._rename({self._ids[r]: enterprises[r].id for r in rows
                          if self._ids[r] != enterprises[r].id})
            if pending.relinked and not pending.ops and self._same_ends(pending.relinked_rows):
                # the links followed their firms' new ids: each joins the same nodes
                pending.links = pending.relinked = False
                self._link_keys = self._link_row = None
        old_places = self._places
        came: list[Enterprise] = []
        went: list[str] = []
        # a batch of links follows row by row the rows that came and went (arrays kept,
        # taken apart and put together in NumPy), unless links were pointed elsewhere or ids
        # renamed: then the link arrays are made again from the model
        incremental = self._batch is not None and not pending.relinked and "id" not in fields
        self._node_origin, self._nodes_before = np.arange(len(self._ids)), len(self._ids)
        replayed = self._replay_nodes(pending.ops) if came_or_went and incremental else None
        if came_or_went:
            if replayed is not None:
                went = replayed[3]
            else:
                ids = set(map(attrgetter("id"), enterprises))
                went = list(itertools.filterfalse(ids.__contains__, self._ids))
            if self._lazy and len(self._member) == len(self._ids):
                # by their rows before when replayed: a table of 100,000 ids is 20 ms
                went_rows = replayed[4] if replayed is not None else [
                    self._index[e_id] for e_id in went]
                self._gone_group.update((e_id, int(self._member[r]))
                                        for e_id, r in zip(went, went_rows, strict=True))
            for e_id in went:
                item = self._nodes.pop(e_id, None)
                if item is not None:
                    self.scene().removeItem(item)
                if e_id in self._loose:
                    self._was_loose[e_id] = self._loose.pop(e_id)
            if replayed is not None:
                came = [enterprises[r] for r in replayed[2]]
            else:
                index = self._index
                came = [e for e, e_id in zip(enterprises, map(attrgetter("id"), enterprises),
                                             strict=True) if e_id not in index]
            for e in came:
                self._add_node(e)
            self._find_hits = []
            if replayed is not None:
                self._adopt_nodes(replayed[0], replayed[1])
            else:
                self._index_nodes()
        if fields & {"name", "size"}:
            for i in rows:
                e = enterprises[i]
                item = self._nodes.get(e.id)
                if item is not None:
                    item.configure(shown_name(e.name), RADIUS.get(e.size, RADIUS["small"]))
            if "size" in fields:
                self._radius[rows] = [RADIUS.get(enterprises[i].size, RADIUS["small"])
                                      for i in rows]
        relinked = came_or_went or pending.links
        linked = False  # which firms are linked changed
        if relinked:
            followed = self._replay_links(pending.ops) if incremental else None
            linked = self._links() if followed is None else followed
        if pending.link_value_rows and not relinked:
            self._retake_link_values(pending.link_value_rows)
        carried = self._lazy and "role" not in fields and bool(came or went or linked)
        if carried:
            self._places = self._carry_places(came, went)
        elif came or went or linked or "role" in fields:
            self._places = compute_places(model)
        relayout = self._settle(old_places, came, went, rows if "park" in fields else (), carried)
        if relayout and not self._lazy:
            self._relayout()
        else:
            # a big chain is laid out again with the analysis this edit starts, off the GUI
            # thread (``on_analysed``): until then its firms stay where they are
            self._layout_stale |= relayout
            moving = rows if fields & {"x", "y", "size"} else []
            moved: list[int] = []
            for i in [*moving, *(self._index[e.id] for e in came)]:
                self._move(i, self._position(enterprises[i]), moved)
            if "size" in fields:
                moved = sorted({*moved, *rows})  # the links end at the rim
            if relinked:
                self._place_links(moved)
            elif moved:
                self._links_follow(moved)
            if came or went or moved:
                self._update_scene_rect()
        if self._lazy:  # new firms shown in view count in the detached group
            for e in came:
                i = self._index[e.id]
                if self._member[i] < 0 and e.id in self._loose:
                    self._member[i] = next(
                        (k for k, g in enumerate(self._groups)
                         if g.position == DETACHED and g.park in (None, e.park)), -1)
        # colours and the filter: of the nodes that changed, and of every link
        state_rows = rows if fields & STATE_FIELDS else []
        filter_rows = rows if fields & FILTER_FIELDS else []
        if came:
            came_rows = [self._index[e.id] for e in came]
            state_rows, filter_rows = [*state_rows, *came_rows], [*filter_rows, *came_rows]
        self._matching.difference_update(went)
        if state_rows or relinked or pending.link_value_rows:
            self._apply_state(state_rows, refresh=False)
        if self._places is not old_places and not carried and self._places != old_places:
            self._apply_filter(refresh=False)  # positions and tiers are filtered on
        elif filter_rows or relinked:
            self._apply_filter(filter_rows, refresh=False)
        self.refresh_links()
        for e in came:  # a new firm, where the planner is looking
            if e.id in self._loose and e.id in self._nodes:
                self._show(self._nodes[e.id])
        joined, self._joined = self._joined, []
        for e_id in joined:  # a new firm just linked: where it went in its column
            if e_id in self._nodes:
                self._show(self._nodes[e_id])
        if self._lazy:
            # the overview counts firms by group, the platform and the trade between them
            # (a firm that only moved changes none of that)
            if came_or_went or relinked or pending.link_value_rows or state_rows or filter_rows \
                    or fields & {"park"}:
                self._overview_dirty = True
            if self._overview_dirty and self.overview_shown:  # once per edit
                self._update_overview()
            self._sync_timer.start()

    def _rename(self, renamed: dict[str, str]) -> None:
        """Enterprises whose id changed keep their items, places and slots under the new id."""
        if not renamed:
            return

        def rekey(table: dict[str, Any]) -> dict[str, Any]:
            # a copy (the analysis may hold the old one) with the renamed keys moved: the
            # copy is made in C, a comprehension over 100,000 keys took 20 ms per table
            table = dict(table)
            moved = [(renamed[key], table.pop(key)) for key in renamed if key in table]
            table.update(moved)
            return table

        for old, new in renamed.items():
            if old in self._nodes:
                self._nodes[old].e_id = new
        self._nodes = rekey(self._nodes)
        self._places, self._auto = rekey(self._places), rekey(self._auto)
        self._loose, self._was_loose = rekey(self._loose), rekey(self._was_loose)
        for band in {id(band): band for old in renamed
                     if (band := self._band_of.get(old)) is not None}.values():
            band.ids = [renamed.get(e_id, e_id) for e_id in band.ids]
        self._band_of = rekey(self._band_of)
        self._matching = {renamed.get(e_id, e_id) for e_id in self._matching}
        index = self._index
        self._ids = list(self._ids)
        for old, new in renamed.items():
            self._ids[index[old]] = new
        self._index = rekey(index)
        self._find_hits = []

    def _same_ends(self, link_rows: set[int]) -> bool:
        """Whether these links (model rows) join the nodes they joined before, and are
        drawn as before: true when they only followed a renamed firm."""
        links, index, drawn = self.document.model.links, self._index, self._link_model_rows
        for r in link_rows:
            k = int(np.searchsorted(drawn, r))
            was = k < len(drawn) and drawn[k] == r
            u, v = index.get(links[r].supplier, -1), index.get(links[r].buyer, -1)
            now = u >= 0 and v >= 0 and u != v
            if was != now or (now and (u, v) != (self._link_u[k], self._link_v[k])):
                return False
        return True

    def _carry_places(self, came: list[Enterprise], went: list[str]) -> dict[str, Any]:
        """A big chain's places after firms came or went, without working tiers out here
        (at 100,000 firms that took a second): the removed lose theirs, the restored (an
        undo) get theirs back; the analysis, in the background, brings the tiers, and a
        change of tiers lays the chain out again when it comes (``on_analysed``)."""
        places = dict(self._places)
        for e_id in went:
            place = places.pop(e_id, None)
            if place is not None:
                self._gone_places[e_id] = place
        core = self.document.model.core()
        ends = np.zeros(len(self._ids), bool)
        if came:
            ends[self._link_u] = ends[self._link_v] = True
        for e in came:
            place = self._gone_places.pop(e.id, None)
            if place is not None:
                places[e.id] = place
            elif not ends[self._index[e.id]] and core is not None and core.id != e.id:
                places[e.id] = Place(DETACHED, None)  # new and unlinked: what analysis says
        return places

    def _restore_layout(self, came: list[Enterprise]) -> set[str]:
        """Firms of a big chain that come back (an undo) where they were laid out: their
        slot, park group, column and overview group, if the layout is still the one they
        left; the ids put back."""
        restored: set[str] = set()
        bands, columns = self.decorations.bands, self.decorations.columns
        for e in came:
            memory = self._gone_layout.pop(e.id, None)
            if memory is None:
                continue
            spot, band, column, group = memory
            if (band is not None and not any(b is band for b in bands)) or (
                    column is not None and not any(c is column for c in columns)):
                continue  # laid out again since: the firm joins the layout anew
            self._auto[e.id] = spot
            if band is not None:
                band.count += 1
                band.ids.append(e.id)
                self._band_of[e.id] = band
            if column is not None:
                column.count += 1
            if 0 <= group < len(self._groups):
                self._member[self._index[e.id]] = group
            restored.add(e.id)
        if restored:
            self.viewport().update()  # the headings' counts
        return restored

    def _settle(self, old_places: dict[str, Any], came: list[Enterprise], went: list[str],
                regrouped: Any, carried: bool = False) -> bool:
        """Which new enterprises are shown where the planner is looking, and whether the
        layout must run again (True): tiers changed, a column or park group emptied, a firm
        joined the layout or changed park."""
        places, loose = self._places, self._loose
        relayout = False
        restored = self._restore_layout(came) if self._lazy else set()
        if len(came) <= LOOSE_MAX:
            taken: list[tuple[float, float]] = []
            for e in came:
                if e.x is not None and e.y is not None:
                    continue
                if self._is_detached(e.id):
                    loose[e.id] = self._was_loose.pop(e.id, None) or self._free_spot(taken)
                    taken.append(loose[e.id])
                elif self._lazy and e.id not in restored and e.id not in self._auto:
                    # in view until the big chain's new layout comes (``_follow``)
                    self._auto[e.id] = self._free_spot(taken)
                    taken.append(self._auto[e.id])
        relayout |= any(e.id not in loose and e.id not in restored for e in came)
        for e_id in [e_id for e_id in loose if not self._is_detached(e_id)]:
            self._was_loose[e_id] = loose.pop(e_id)  # linked: it joins its tier column
            self._joined.append(e_id)
            relayout = True
        for e_id in [e_id for e_id in self._was_loose if e_id in self._auto
                     and self._is_detached(e_id)]:
            loose[e_id] = self._was_loose.pop(e_id)  # unlinked again (undo): back in view
            relayout = True
        if places is not old_places and not relayout and not carried:
            relayout = any(places.get(e_id) != place for e_id, place in old_places.items()
                           if e_id in self._auto and e_id in places)
        enterprises = self.document.model.enterprises
        relayout |= any(enterprises[i].id in self._auto for i in regrouped)
        for e_id in went:
            spot = None if relayout else self._auto.pop(e_id, None)
            if spot is None:
                continue
            column = self._column_of(old_places.get(e_id))
            band = self._band_of.pop(e_id, None)
            if self._lazy:  # an undo puts it back where it was, without a new layout
                self._gone_layout[e_id] = (spot, band, column, self._gone_group.pop(e_id, -1))
            if column is not None:
                column.count -= 1
                relayout |= column.count <= 0
            if band is not None:
                band.count -= 1
                band.ids.remove(e_id)
                relayout |= band.count <= 0
            self.viewport().update()  # the headings' counts
        return relayout

    def _column_of(self, place: Any) -> Column | None:
        key = None if place is None or place.position == DETACHED else (
            -place.tier if place.position == "upstream" else place.tier)
        return next((c for c in self.decorations.columns if c.key == key), None)

    def _move(self, i: int, to: tuple[float, float], moved: list[int]) -> None:
        item = self._nodes.get(self._ids[i])
        if item is not None and (item.pos().x() != to[0] or item.pos().y() != to[1]):
            item.setPos(*to)
            item.configure(item.name, item.radius, float(self.decorations.room(np.array([to[0]]))[0]))
        if self._pos[i, 0] != to[0] or self._pos[i, 1] != to[1]:
            self._pos[i] = to
            moved.append(i)

    def _free_spot(self, taken: list[tuple[float, float]]) -> tuple[float, float]:
        """A free place in view for a new enterprise, nearest the selected firm (below or
        above it in its column, or beside it between the columns), else nearest the view's
        centre: on a column lane's slot row, or in the gap between two columns."""
        inner = self.viewport().rect().adjusted(40, HEADER_H + 30, -40, -30)
        visible = self.mapToScene(inner).boundingRect()
        anchor: QPointF | None = None
        for e_id in sorted(self.document.selected_enterprises):
            item = self._nodes.get(e_id)
            if item is not None and visible.contains(item.pos()):
                anchor = item.pos()
                break
        beside = anchor is not None  # not on the selected firm itself
        if anchor is None:
            anchor = visible.center()
        every_point = np.vstack([self._pos.reshape(-1, 2), np.array(taken).reshape(-1, 2)])
        labels = np.array([band.label for band in self.decorations.bands]).reshape(-1, 2)
        # the slots tried in view look only at the nodes near the view (a test over 100,000
        # nodes for each of thousands of slots took 45 s on a big chain)
        reach = max((c.right - c.left for c in self.decorations.columns), default=0.0) + LANE
        x, y = every_point[:, 0], every_point[:, 1]
        points = every_point[(x >= visible.left() - reach) & (x <= visible.right() + LANE)
                             & (y >= visible.top() - ROW) & (y <= visible.bottom() + ROW)]

        def by_x(among: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            order = np.argsort(among[:, 0], kind="stable")
            return among[order, 0], among[order, 1]

        def blockers(among: tuple[np.ndarray, np.ndarray], x: float,
                     reach: float) -> tuple[np.ndarray, np.ndarray]:
            # the heights of the nodes and park labels up to ``reach`` to the left of a slot
            # at ``x`` whose names would run into it, and of the park labels its name would
            # run into: taken once per slot column (a slice of the nodes sorted by x), then
            # only heights are compared
            xs, ys = among
            dl = labels[:, 0] - x
            return (ys[np.searchsorted(xs, x - reach, "right"):
                       np.searchsorted(xs, x + LANE / 2, "left")],
                    labels[(dl < LANE) & (dl > -max(reach, LANE / 2)), 1])

        near_view = by_x(points)

        def free(ys: np.ndarray, near: float, nodes: np.ndarray, names: np.ndarray) -> np.ndarray:
            # for each slot height, no such node or label within ``near`` of it: counted in
            # the sorted heights (a test of every height for each slot took seconds)
            ok = np.ones(len(ys), bool)
            for heights in (np.sort(nodes), np.sort(names)):
                ok &= (np.searchsorted(heights, ys + near, "left")
                       <= np.searchsorted(heights, ys - near, "right"))
            return ok

        def nearest_free(x: float, y0: float, reach: float, near: float) -> float | None:
            # y0, then a row below and above, two rows..., while in view
            if not visible.top() <= y0 <= visible.bottom():
                return None
            nodes, names = blockers(near_view, x, reach)
            steps = np.arange(1, 200) * ROW
            ys = np.concatenate([[y0], np.column_stack([y0 + steps, y0 - steps]).ravel()])
            ys = ys[(ys >= visible.top()) & (ys <= visible.bottom())]
            if beside and abs(x - anchor.x()) < 1:  # not on the selected firm itself
                ys = ys[np.abs(ys - anchor.y()) >= 1]
            hits = np.flatnonzero(free(ys, near, nodes, names))
            return float(ys[hits[0]]) if len(hits) else None

        # on a lane's slot rows (the core's column holds the core alone), or in the gap
        # between two columns half a row off the rows of the column on its left, where
        # its names do not reach
        columns = self.decorations.columns
        candidates = [(c.left + LANE / 2 + k * LANE, c, False) for c in columns
                      if c.position != "core" for k in range(c.lanes)]
        candidates += [((a.right + b.left) / 2, a, True) for a, b in itertools.pairwise(columns)]
        best: tuple[float, float, float] | None = None
        for x, column, gap in candidates:
            if not visible.left() <= x <= visible.right():
                continue
            top = column.top + ROW / 2 + (ROW / 2 if gap else 0.0)
            y = nearest_free(x, top + round((anchor.y() - top) / ROW) * ROW,
                             x - column.left if gap else LANE / 2, ROW * (0.4 if gap else 0.75))
            if y is not None:
                score = math.hypot(x - anchor.x(), y - anchor.y()) + (ROW / 2 if gap else 0.0)
                if best is None or score < best[0]:
                    best = (score, x, y)
        if best is not None:
            return best[1], best[2]
        x = anchor.x()  # nothing free in view: below the anchor, as near as free
        nodes, names = blockers(by_x(every_point), x, LANE / 2)
        for first in itertools.count(1, 4096):
            ys = anchor.y() + np.arange(first, first + 4096) * ROW
            hits = np.flatnonzero(free(ys, ROW * 0.75, nodes, names))
            if len(hits):
                return x, float(ys[hits[0]])
        raise AssertionError("unreachable")

    def _show(self, item: NodeItem) -> None:
        """Scroll a node (and the start of its name) into view if it is not, as little as
        needed: what the planner was looking at stays in view as far as it can."""
        scale = self.transform().m11()
        r = item.radius + 8 / scale
        spot = QRectF(item.pos().x() - r, item.pos().y() - r, 2 * r + 120 / scale, 2 * r)
        self.ensureVisible(spot, 40, HEADER_H + 20)

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

    def _apply_state(self, rows: Iterable[int] | None = None, refresh: bool = True) -> None:
        """Colour, level, platform mark and target ring of the nodes at model ``rows`` (all
        when None), and which links are on the platform, in the current year.

        Only nodes whose state differs from what they show are touched: after each
        analysis of a big chain most have not changed."""
        enterprises = self.document.model.enterprises
        n = len(enterprises)
        wanted = np.arange(n) if rows is None else np.fromiter(rows, np.int64)
        result, col = self._state_result, self._year_column()
        fallback = np.ones(len(wanted), bool)  # rows the result does not cover
        level = np.zeros(len(wanted), np.int64)
        connected = np.zeros(len(wanted), bool)
        if result is not None and col is not None and len(wanted):
            at = (self._state_at[wanted] if len(self._state_at) == n
                  else np.full(len(wanted), -1, np.int64))
            fallback = at < 0
            level = np.where(fallback, 0, result.maturity[np.maximum(at, 0), col])
            connected = np.where(fallback, False, result.connected[np.maximum(at, 0), col])
        missing = np.flatnonzero(fallback)  # what the firms say of themselves, read in C (a
        if len(missing):  # loop over the 100,000 firms of a chain not yet analysed: 0.1 s)
            firms = list(map(enterprises.__getitem__, wanted[missing].tolist()))
            level[missing] = np.fromiter(map(attrgetter("maturity"), firms), np.int64, len(firms))
            connected[missing] = np.fromiter(map(attrgetter("platform_connected"), firms), bool,
                                             len(firms))
        level = np.clip(level, 1, 4)
        target = level >= self._target_level()
        if self.colour_by == "level":
            base = level
        else:
            chosen = enterprises if rows is None else map(enterprises.__getitem__, wanted.tolist())
            base = 8 + np.fromiter(map(ROLE_CODE.get, map(attrgetter("role"), chosen),
                                       itertools.repeat(0)), np.int64, len(wanted))
        key = level + 16 * connected + 32 * target + 64 * base
        changed = np.flatnonzero(key != self._state_key[wanted])
        self._state_key[wanted] = key
        nodes, ids = self._nodes, self._ids
        for k in changed.tolist():
            i = int(wanted[k])
            item = nodes.get(ids[i])
            if item is None:  # not in view (a big chain): made from _state_key when it is
                continue
            colour = (palette.level_colour(int(level[k])) if self.colour_by == "level"
                      else palette.role_colour(enterprises[i].role))
            item.set_state(colour, int(level[k]), bool(connected[k]), bool(target[k]))
        if len(changed):
            self._overview_dirty = True
        connected_links = self._link_flags.copy()
        if result is not None and col is not None and len(connected_links):
            now = result.link_connected[:, col]
            at = self._state_link_at
            if len(at) == len(connected_links):
                known = at >= 0
                connected_links[known] = now[at[known]].astype(bool)
        if not np.array_equal(connected_links, self.link_connected):
            self.link_connected = connected_links
            self._style_cache = None
            self._overview_dirty = True
            if refresh:
                self.refresh_links()
        if refresh and self._overview_dirty and self.overview_shown:
            self._update_overview()  # (an edit's own update of the overview comes once, after)

    def refresh_links(self) -> None:
        self._style_cache = None
        if self._batch is not None:
            self._batch.update()
        else:
            for item in self._link_items:
                item.update()

    # --- filter -----------------------------------------------------------------------------
    def _apply_filter(self, rows: Iterable[int] | None = None, refresh: bool = True) -> None:
        """Fade the nodes at model ``rows`` (all when None) that do not match the filter,
        and every link with an end that does not.

        Each criterion is decided once per distinct value (a handful of parks or sizes),
        then mapped over the firms in C: at 100,000 firms a test per firm in Python took
        half a second."""
        wanted = self._filter
        enterprises = self.document.model.enterprises
        everyone = rows is None
        chosen = enterprises if everyone else [enterprises[i] for i in rows]
        places = self._places
        ok = np.ones(len(chosen), bool)
        for key, want in wanted.items():  # one criterion at a time, over all chosen firms
            if key in ("position", "tier"):
                values = [getattr(places.get(e_id), key, None)
                          for e_id in map(attrgetter("id"), chosen)]
            else:
                values = list(map(attrgetter(key), chosen))
            verdict = {value: _accepts(want, value) for value in set(values)}
            ok &= np.fromiter(map(verdict.__getitem__, values), bool, len(values))
        nodes = self._nodes
        if everyone:
            self._matching = matching = set(itertools.compress(map(attrgetter("id"), chosen),
                                                               ok.tolist()))
            shown = [(item, e_id in matching) for e_id, item in nodes.items()]
        else:
            matching = self._matching
            shown = []
            for e, good in zip(chosen, ok.tolist(), strict=True):
                if good:
                    matching.add(e.id)
                else:
                    matching.discard(e.id)
                item = nodes.get(e.id)
                if item is not None:
                    shown.append((item, good))
        for item, good in shown:
            opacity = 1.0 if good else palette.FADED
            if item.opacity() != opacity:
                item.setOpacity(opacity)
        if not wanted:  # no filter: every firm matches (no pass over them)
            faded = np.zeros(len(self._link_u), bool)
        else:
            if everyone and len(ok) == len(self._ids):
                match = ok
            else:
                match = np.fromiter(map(matching.__contains__, self._ids), bool, len(self._ids))
            faded = ~(match[self._link_u] & match[self._link_v])
        if not np.array_equal(faded, self.link_faded):
            self.link_faded = faded
            self._style_cache = None
            if refresh:
                self.refresh_links()

    # --- the analysis, the year and the selection --------------------------------------------
    def _take_result(self) -> bool:
        """Keep the document's result if it is of the model as it is now; True if taken."""
        document = self.document
        analysis = document.analysis
        if analysis.revision != document.revision:
            return False
        self._state_result = analysis.result
        # the result's rows are the model's as it is now, which the items mirror; each
        # node and link keeps its row in it through the edits until the next one
        self._state_at = np.arange(len(self._ids))
        self._state_link_at = self._link_model_rows.copy()
        return True

    def on_analysed(self) -> None:
        if self._pending:  # the edit's own events first: the items then mirror what was analysed
            self.on_changed()
        analysis = self.document.analysis
        if analysis.revision == self.document.revision and analysis.places and (
                self._layout_stale or analysis.places != self._places):
            self._take_places(analysis.places, analysis.arrangement)
        self._take_result()
        self._apply_state()

    def _take_places(self, places: dict[str, Any], arrangement: Arrangement | None) -> None:
        """Lay the chain out again by the tiers an analysis found, when they differ from
        those the canvas drew or an edit of a big chain left its layout to the analysis
        (which then brings it, ``arrangement``). The node and link arrays already follow
        the model: only positions, groups and the filter change (made again whole, they
        were 0.45 s of the GUI thread's 1.1-1.7 s at 100,000 firms)."""
        def work() -> None:
            self._places = places
            self._loose = {e_id: spot for e_id, spot in self._loose.items()
                           if self._is_detached(e_id)}
            self._relayout(arrangement)
            self._apply_filter(refresh=False)  # positions and tiers are filtered on
            self.update_parks()
            self._sync_view()

        self._redraw(work)

    def on_year_changed(self) -> None:
        if not self.isVisibleTo(self.window()):  # (another tab: the charts' year steps)
            self._year_stale = True  # 45 ms of a step at 100,000 firms, for nobody
            return
        self._year_stale = False
        self._apply_state()
        self.update_parks()

    def on_selection_changed(self) -> None:
        document = self.document
        links = set(document.selected_links)
        if links != self.selected_links:
            self.selected_links = links
            self.refresh_links()
        wanted = document.selected_enterprises
        current = {item.e_id for item in self.scene().selectedItems() if isinstance(item, NodeItem)}
        if wanted == current:
            return
        if self._lazy and current - wanted:
            self._sync_timer.start()  # firms no longer selected may go (out of view, overview)
        self.syncing = True
        try:
            for e_id in current - wanted:
                self._nodes[e_id].setSelected(False)
            for e_id in wanted - current:
                item = self._nodes.get(e_id)
                if item is not None:
                    item.setSelected(True)
        finally:
            self.syncing = False

    def on_scene_selection_changed(self) -> None:
        self.tools.on_scene_selection_changed()

    # --- moving nodes ----------------------------------------------------------------------
    def follow_nodes(self, ids: list[str]) -> None:
        """Links follow the nodes being dragged (called on every mouse move of a drag)."""
        moved = []
        for e_id in ids:
            i = self._index.get(e_id)
            item = self._nodes.get(e_id)
            if i is None or item is None:
                continue
            pos = item.pos()
            if self._pos[i, 0] != pos.x() or self._pos[i, 1] != pos.y():
                self._pos[i] = (pos.x(), pos.y())
                moved.append(i)
        self._links_follow(moved)

    def _links_follow(self, moved: list[int]) -> None:
        """The curves of the links of nodes (model rows) that moved or changed size."""
        if not moved:
            return
        ends = np.zeros(len(self._ids), bool)
        ends[moved] = True
        rows = np.flatnonzero(ends[self._link_u] | ends[self._link_v]).tolist()
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
    def node_at(self, pos: QPointF) -> NodeItem | None:
        for item in self.items(pos.toPoint()):
            if isinstance(item, NodeItem):
                return item
        return None

    def link_at(self, scene_pos: QPointF) -> tuple[str, str] | None:
        """The link under a scene point (within a few pixels), if any."""
        if len(self._link_u) == 0:
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
        lk = self.document.model.links[int(self._link_model_rows[int(rows[best])])]
        return lk.supplier, lk.buyer

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
            note_interaction()  # a background analysis gives way while the planner zooms
            self.setTransform(QTransform.fromScale(scale, scale))
            if self._lazy:
                self._sync_view()
            self.zoom_changed.emit(scale)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._year_stale:
            self.on_year_changed()
        if not self._fitted:
            self.fit()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self._lazy:
            self._sync_timer.start()
        if not self._fitted and self.isVisible():
            self.fit()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        note_interaction()  # a background analysis gives way while the planner pans
        super().scrollContentsBy(dx, dy)
        if self._lazy:
            self._sync_timer.start()  # firms come into view
        if self._batch is not None and self._batch.sampled:
            self.viewport().update()  # which links are drawn depends on what is in view
            return
        # the headings and hint stay put while the scene scrolls: repaint where they were
        width, height = self.viewport().width(), self.viewport().height()
        self.viewport().update(QRect(0, 0, width, HEADER_H + abs(dy) + 2))
        self.viewport().update(QRect(0, height - HINT_H - abs(dy), width, HINT_H + abs(dy)))

    def viewportEvent(self, event: Any) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ToolTip:
            node = self.node_at(QPointF(event.pos()))
            if node is not None:
                QToolTip.showText(event.globalPos(), self._tooltip(node.e_id), self.viewport())
            else:
                key = self.link_at(self.mapToScene(event.pos()))
                park = self.park_at(QPointF(event.pos())) if key is None else None
                if park:
                    QToolTip.showText(event.globalPos(), self._park_tooltip(park),
                                      self.viewport())
                elif key is None:
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

    def _park_tooltip(self, park: str) -> str:
        model = self.document.model
        count = sum(e.park == park for e in model.enterprises)
        lines = [f"<b>{_html(shown_name(park_name(model, park)))}</b> ({_html(park)})",
                 f"{tr('Members')}: {count}"]
        projects = [b.project for b in park_projects(model, self.document.scenario, park)]
        if projects:
            lines.append(f"{tr('Park projects')}: {_html(', '.join(projects))}")
        lines.append(f"<i>{_html(tr('Click to inspect; drop park projects here.'))}</i>")
        return "<br>".join(lines)

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        self.decorations.paint_background(painter, rect)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        if self.highlighted or self.highlighted_links:
            self._paint_highlight(painter, rect)
        self.decorations.paint_foreground(painter, self)

    # --- a temporary highlight, drawn over the items until cleared ----------------------------
    def set_highlight(self, enterprises: Iterable[str],
                      links: Iterable[tuple[str, str]] = ()) -> None:
        self.highlighted = frozenset(enterprises)
        self.highlighted_links = frozenset(links)
        self.viewport().update()
        self.highlight_changed.emit()

    def clear_highlight(self) -> None:
        self.set_highlight((), ())

    def _paint_highlight(self, painter: QPainter, rect: QRectF) -> None:
        """A thick magenta halo along every highlighted link and a ring (white inside, for
        contrast) round every highlighted node: a colour no role or level uses, and pen
        widths in pixels (cosmetic), so it reads at any zoom."""
        from PySide6.QtGui import QColor, QPen

        painter.save()
        painter.setBrush(Qt.BrushStyle.NoBrush)
        colour = QColor(HIGHLIGHT)
        colour.setAlpha(140)
        pen = QPen(colour, 7)
        pen.setCosmetic(True)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        for key in self.highlighted_links:
            path = self.link_path(key)
            if path is not None and path.boundingRect().intersects(rect):
                painter.drawPath(path)
        ring, inner = QPen(QColor(HIGHLIGHT), 4), QPen(palette.PAPER, 2)
        ring.setCosmetic(True)
        inner.setCosmetic(True)
        for e_id in self.highlighted:
            item = self._nodes.get(e_id)
            i = self._index.get(e_id)
            if item is None or i is None:
                continue
            r = float(self._radius[i]) + 7
            centre = item.scenePos()
            if rect.intersects(QRectF(centre.x() - r - 4, centre.y() - r - 4, 2 * r + 8,
                                      2 * r + 8)):
                painter.setPen(inner)
                painter.drawEllipse(centre, r - 3, r - 3)
                painter.setPen(ring)
                painter.drawEllipse(centre, r, r)
        painter.restore()

    # --- events: zoom here, the rest to the tools -------------------------------------------
    def event(self, event: Any) -> bool:
        # Delete deletes the selected park here, before the window's Delete (enterprises
        # and links) takes the key
        if (event.type() == QEvent.Type.ShortcutOverride and event.key() == Qt.Key.Key_Delete
                and self.parks.park):
            event.accept()
            return True
        return super().event(event)

    def wheelEvent(self, event: Any) -> None:
        delta = event.angleDelta().y()
        if delta == 0:
            super().wheelEvent(event)
            return
        self.zoom_by(1.0015 ** delta, event.position())
        event.accept()

    def mousePressEvent(self, event: Any) -> None:
        self.tools.mouse_press(event)

    def mouseDoubleClickEvent(self, event: Any) -> None:
        # on the overview, a double-click on a group drills down to its firms
        if self.overview_shown and event.button() == Qt.MouseButton.LeftButton:
            group = self._overview.group_at(self.mapToScene(event.position().toPoint()))
            if group is not None:
                self.drill_down(group)
                event.accept()
                return
        super().mouseDoubleClickEvent(event)

    def mouseMoveEvent(self, event: Any) -> None:
        self.tools.mouse_move(event)

    def mouseReleaseEvent(self, event: Any) -> None:
        self.tools.mouse_release(event)

    def keyPressEvent(self, event: Any) -> None:
        if not self.tools.key_press(event):
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event: Any) -> None:
        if not self.tools.key_release(event):
            super().keyReleaseEvent(event)

    def dragEnterEvent(self, event: Any) -> None:
        self.tools.drag_enter(event)

    def dragMoveEvent(self, event: Any) -> None:
        self.tools.drag_move(event)

    def dragLeaveEvent(self, event: Any) -> None:
        self.tools.drag_leave(event)

    def dropEvent(self, event: Any) -> None:
        self.tools.drop(event)


def _carried(values: np.ndarray, origin: np.ndarray, missing: Any = -1) -> np.ndarray:
    """Per-row ``values`` after an edit: each row's value from its row before (``origin``),
    ``missing`` for a new row (-1)."""
    out = np.full((len(origin), *values.shape[1:]), missing, values.dtype)
    kept = origin >= 0
    if len(origin) and len(values) > origin.max():
        out[kept] = values[origin[kept]]
    return out


def _ranked_in(priority: np.ndarray, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``priority`` (link rows, highest value first, ``rows`` not among them) with ``rows``
    put in by their values: a pass over memory, where sorting 300,000 values took 20 ms."""
    if not len(rows):
        return priority
    new = rows[np.argsort(-values[rows], kind="stable")]
    return np.insert(priority, np.searchsorted(-values[priority], -values[new], side="right"),
                     new)


def _accepts(wanted: Any, value: Any) -> bool:
    if isinstance(wanted, (set, frozenset, list, tuple)):
        return value in wanted
    return bool(value == wanted)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
