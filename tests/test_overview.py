"""A big chain on the canvas: its overview when zoomed out (groups by tier and park, trade
between them as bands), the real firms when zoomed in or drilled into, and edits that touch
only what they change. The aggregation itself (planner/overview.py) is tested without Qt.

The GUI tests lower the size from which a chain counts as big, so that a chain of a few
hundred firms (generated in a blink) behaves like one of 100,000.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QPushButton

from models.validation import places
from planner.generate import generate
from planner.layout import layered
from planner.overview import flows, groups
from ui import canvas_view
from ui.canvas import ChainView, NodeItem
from ui.document import Document


@pytest.fixture(scope="module")
def chain():
    return generate(600, seed=2)


def test_groups_hold_every_laid_out_firm_once_and_flows_every_value_between_them(chain):
    where = places(chain)
    laid_out = layered(chain, where)
    ids = [e.id for e in chain.enterprises]
    found, member = groups(laid_out, len(ids))
    assert (member >= 0).all()
    assert sum(g.count for g in found) == len(ids)
    index = {e_id: i for i, e_id in enumerate(ids)}
    links = [lk for lk in chain.links if lk.supplier != lk.buyer]
    u = np.array([index[lk.supplier] for lk in links])
    v = np.array([index[lk.buyer] for lk in links])
    value = np.array([lk.annual_value for lk in links], float)
    connected = np.array([lk.data_connected for lk in links], bool)
    trade = flows(member, u, v, value, connected)
    between = member[u] != member[v]
    assert trade.value.sum() == pytest.approx(np.maximum(value[between], 0).sum())
    assert trade.connected_value.sum() == pytest.approx(
        np.maximum(value[between & connected], 0).sum())
    assert trade.links.sum() == between.sum()
    assert ((trade.connected_share() >= 0) & (trade.connected_share() <= 1)).all()
    assert (trade.source != trade.target).all()
    # each group's box is inside its column, and the boxes of a column do not overlap
    for column in laid_out.columns:
        boxes = sorted(g.rect for g in found if g.column == column.key)
        assert boxes
        for left, top, right, bottom in boxes:
            assert column.left <= left < right <= column.right
            assert column.top <= top < bottom <= column.bottom + 1e-6
        for above, below in itertools.pairwise(boxes):
            assert above[3] <= below[1]


@pytest.fixture
def big(qtbot, chain, monkeypatch):
    monkeypatch.setattr(canvas_view, "OVERVIEW_FROM", 300)
    document = Document(generate(600, seed=2))  # each test edits its own
    view = ChainView(document)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    view.fit()
    yield view
    document.undo_stack.clear()


def test_fitted_the_overview_sits_between_the_headings_and_the_hint(big):
    """Fit chain at a laptop's canvas height: no box under the tier headings or the hint."""
    from ui.canvas_decorations import HEADER_H, HINT_H

    big.resize(1000, 300)
    QApplication.processEvents()
    big.fit()
    assert big.overview_shown
    height = big.viewport().height()
    for group in big.overview.groups:
        left, top, right, bottom = group.rect
        shown = big.mapFromScene(QPointF(left, top)), big.mapFromScene(QPointF(right, bottom))
        assert shown[0].y() >= HEADER_H and shown[1].y() <= height - HINT_H


def wheel(view: ChainView, steps: int) -> None:
    """Turn the mouse wheel over the middle of the canvas (positive: zoom in)."""
    centre = QPointF(view.viewport().rect().center())
    event = QWheelEvent(centre, QPointF(view.viewport().mapToGlobal(centre.toPoint())),
                        QPoint(0, 0), QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)


def nodes(view: ChainView) -> dict[str, NodeItem]:
    return {item.e_id: item for item in view.scene().items() if isinstance(item, NodeItem)}


def test_a_big_chain_fitted_shows_its_overview_not_its_firms(big):
    assert big.overview_shown
    assert not nodes(big)
    overview = big.overview
    assert sum(g.count for g in overview.groups) == len(big.document.model.enterprises)
    assert len(overview.flows.value) > 0


def test_the_flows_are_bands_a_user_can_see_between_the_columns(big):
    """Bands in proportion to the boxes, whatever the zoom: the widest a fifth of a middling
    box's height, and between neighbouring columns' boxes room for them to run (on the
    100,000-firm chain they had been thinner than a pixel, in a gap of a fifth of one)."""
    overview = big.overview
    boxes = overview.groups
    heights = sorted(g.rect[3] - g.rect[1] for g in boxes)
    assert overview.widths.max() >= heights[len(heights) // 2] / 5
    for s, t in zip(overview.flows.source.tolist(), overview.flows.target.tolist(),
                    strict=True):
        a, b = boxes[s].rect, boxes[t].rect
        if a[2] < b[0]:  # a flow to the next column on the right
            assert b[0] - a[2] >= min(a[2] - a[0], b[2] - b[0]) / 4


def test_zooming_in_shows_the_real_firms_and_zooming_out_the_overview_again(qtbot, big):
    for _ in range(12):
        wheel(big, 3)
    qtbot.waitUntil(lambda: not big.overview_shown and bool(nodes(big)))
    visible = big.mapToScene(big.viewport().rect()).boundingRect()
    model_ids = {e.id for e in big.document.model.enterprises}
    shown = nodes(big)
    assert set(shown) <= model_ids and len(shown) < len(model_ids)
    assert any(visible.contains(item.scenePos()) for item in shown.values())
    for _ in range(12):
        wheel(big, -3)
    qtbot.waitUntil(lambda: big.overview_shown)
    assert not nodes(big)


def test_double_clicking_a_group_drills_down_to_its_firms(qtbot, big):
    overview = big.overview
    k = max(range(len(overview.groups)), key=lambda k: overview.groups[k].count)
    left, top, right, bottom = overview.groups[k].rect
    point = big.mapFromScene(QPointF((left + right) / 2, (top + bottom) / 2))
    qtbot.mouseDClick(big.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert not big.overview_shown
    qtbot.waitUntil(lambda: bool(nodes(big)))
    assert set(big.group_ids(k)) & set(nodes(big))


def test_deleting_a_firm_updates_the_scene_without_rebuilding_it(qtbot, big):
    big.zoom_by(1 / big.transform().m11())  # 100 %
    document = big.document
    qtbot.waitUntil(lambda: bool(nodes(big)))
    before = nodes(big)
    gone = next(iter(before))
    count = sum(g.count for g in big.overview.groups)
    with qtbot.waitSignal(document.changed):
        document.delete({gone}, set())
    after = nodes(big)
    assert gone not in after and big.node_item(gone) is None
    assert all(after[e_id] is item for e_id, item in before.items() if e_id in after)
    assert len(set(before) & set(after)) >= len(before) - 1
    for _ in range(12):
        wheel(big, -3)
    qtbot.waitUntil(lambda: big.overview_shown)
    assert sum(g.count for g in big.overview.groups) == count - 1
    document.undo_stack.undo()
    assert sum(g.count for g in big.overview.groups) == count


def test_the_filter_fades_firms_of_a_big_chain_as_they_come_into_view(qtbot, big):
    park = next(e.park for e in big.document.model.enterprises if e.park)
    big.set_filter(park=park)
    expected = {e.id for e in big.document.model.enterprises if e.park == park}
    assert big.matching_ids() == expected
    big.zoom_by(1 / big.transform().m11())
    qtbot.waitUntil(lambda: bool(nodes(big)))
    for e_id, item in nodes(big).items():
        assert (item.opacity() == 1.0) == (e_id in expected)


@pytest.fixture
def big_window(qtbot, monkeypatch):
    """The main window on a chain that counts as big (overview, background analysis and
    autosave, lookups instead of passes over every row)."""
    from ui import analysis
    from ui import document as document_module
    from ui.main_window import MainWindow

    monkeypatch.setattr(canvas_view, "OVERVIEW_FROM", 300)
    monkeypatch.setattr(analysis, "BACKGROUND_FROM", 300)
    monkeypatch.setattr(document_module, "BACKGROUND_FROM", 300)
    window = MainWindow(Document(), restore_state=False)
    # closed without the save question (it would block the run)
    qtbot.addWidget(window, before_close_func=lambda w: w.document.undo_stack.setClean())
    window.resize(1400, 900)
    window.show()
    window.document.reset(generate(600, seed=2), None)
    window.document.wait_for_analysis()
    return window


def test_deleting_a_firm_of_a_big_chain_then_undo_restores_it_and_its_links_everywhere(
        qtbot, big_window):
    window = big_window
    document, canvas = window.document, window.canvas
    model = document.model
    firm = max(model.enterprises[1:], key=lambda e: sum(e.id in (lk.supplier, lk.buyer)
                                                        for lk in model.links))
    links = {(lk.supplier, lk.buyer) for lk in model.links if firm.id in (lk.supplier, lk.buyer)}
    page = window.tables.pages["enterprises"]
    window.tables.setCurrentWidget(page)
    page.filter.setText(firm.id)  # the planner finds the firm in the table
    qtbot.waitUntil(lambda: page.proxy.rowCount() >= 1)
    row = next(r for r in range(page.proxy.rowCount())
               if page.proxy.index(r, 0).data() == firm.id)
    page.view.setFocus()
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.view.visualRect(page.proxy.index(row, 0)).center())
    assert document.selected_enterprises == {firm.id}
    assert window.inspector.editors["id"].text() == firm.id
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert firm.id not in {e.id for e in model.enterprises}
    assert not links & {(lk.supplier, lk.buyer) for lk in window.tables.pages["links"].model.rows()}
    assert all(canvas.link_row(key) is None for key in links)
    document.wait_for_analysis()
    assert firm.id not in document.analysis.places

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo
    assert firm.id in {e.id for e in page.model.rows()}
    assert links <= {(lk.supplier, lk.buyer) for lk in window.tables.pages["links"].model.rows()}
    assert all(canvas.link_row(key) is not None for key in links)
    document.wait_for_analysis()
    qtbot.waitUntil(lambda: document.analysis.revision == document.revision)
    assert firm.id in document.analysis.places
    assert len(document.analysis.result.maturity) == len(model.enterprises)
    canvas.find(firm.id)  # searching for it finds it on the canvas again
    assert document.selected_enterprises == {firm.id}
    qtbot.waitUntil(lambda: canvas.node_item(firm.id) is not None)
    assert canvas.node_item(firm.id).isSelected()


def drawing(canvas) -> tuple[object, ...]:
    """What the canvas shows of a big chain: every link's curve, the columns and park
    bands with their counts, the overview's groups and their members, and which firms and
    links the filter leaves unfaded."""
    ends = []
    for key in canvas.link_keys:
        path = canvas.link_path(key)
        ends.append((key, [(path.elementAt(k).x, path.elementAt(k).y)
                           for k in range(path.elementCount())]))
    columns = [(c.key, c.left, c.count) for c in canvas.columns()]
    bands = [(b.park, b.count, sorted(b.ids)) for b in canvas.bands()]
    members = [(g.count, sorted(canvas.group_ids(k))) for k, g in enumerate(canvas.overview.groups)]
    return ends, columns, bands, members, sorted(canvas.matching_ids()), canvas.link_faded.tolist()


def test_when_an_edit_s_analysis_moves_tiers_the_chain_is_drawn_as_laid_out_afresh(
        qtbot, big_window, monkeypatch):
    """Deleting a hub of a big chain moves other firms' tiers, and so does its undo; each
    edit's analysis, in the background, lays the chain out by them and the canvas takes
    that layout without laying it out itself: the curves, columns, park bands and overview
    groups are those of the chain laid out again from scratch, and a filter by tier
    follows."""
    window = big_window
    laid_out_here = []
    real = canvas_view.arrange
    monkeypatch.setattr(canvas_view, "arrange",
                        lambda *args: laid_out_here.append(1) or real(*args))
    document, canvas = window.document, window.canvas
    model = document.model
    hub = max(model.enterprises[1:], key=lambda e: sum(e.id in (lk.supplier, lk.buyer)
                                                       for lk in model.links))
    before = dict(document.analysis.places)
    tier = window.filter_bar.filters["tier"]
    tier.setCurrentIndex(tier.findData("1"))
    assert tier.currentData() == "1"

    def drawn_as_laid_out_afresh() -> None:
        qtbot.waitUntil(lambda: document.analysis.revision == document.revision)
        assert laid_out_here == []  # the analysis laid the chain out
        drawn = drawing(canvas)
        document.analysis.arrangement = None  # the canvas lays it out itself, from scratch
        canvas.rebuild()
        assert laid_out_here == [1]
        assert drawing(canvas) == drawn
        laid_out_here.clear()

    document.set_selection({hub.id}, set())
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Delete)
    drawn_as_laid_out_afresh()
    moved = {e_id for e_id, place in document.analysis.places.items() if before[e_id] != place}
    assert moved  # the tiers did move

    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert hub.id in {e.id for e in model.enterprises}
    assert laid_out_here == []  # not laid out on the undo either: that is the analysis' job
    drawn_as_laid_out_afresh()
    assert document.analysis.places == before


def test_searching_a_big_chain_finds_ids_and_names_in_the_model_s_order(qtbot, big_window):
    window = big_window
    document, bar = window.document, window.filter_bar
    model = document.model
    name = model.enterprises[200].name
    qtbot.keyClicks(bar.search, name.upper())
    qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    hits = [e.id for e in model.enterprises if name.lower() in e.name.lower()]
    assert document.selected_enterprises == {hits[0]}
    document.delete({hits[0]}, set())  # a firm that goes is no longer found
    bar.search.clear()
    qtbot.keyClicks(bar.search, name.upper())
    qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    rest = [e.id for e in model.enterprises if name.lower() in e.name.lower()]
    assert document.selected_enterprises == ({rest[0]} if rest else set())
    renamed = model.enterprises[300]  # a firm renamed is found by its new name only
    old_name = renamed.name
    document.set_values([(renamed, "name", "Zhuhai Aero Parts 珠海")], "Rename")
    for text, found in (("zhuhai aero", {renamed.id}), (old_name, set())):
        bar.search.clear()
        document.set_selection(set(), set())
        qtbot.keyClicks(bar.search, text)
        qtbot.keyClick(bar.search, Qt.Key.Key_Return)
        assert document.selected_enterprises == found


def test_filtering_a_big_chain_by_park_selects_exactly_its_firms(qtbot, big_window):
    window = big_window
    bar, document = window.filter_bar, window.document
    combo = bar.filters["park"]
    combo.setCurrentIndex(1)
    park = combo.currentData()
    qtbot.mouseClick(next(b for b in bar.findChildren(QPushButton)
                          if b.text() == "Select matching"), Qt.MouseButton.LeftButton)
    assert document.selected_enterprises == {e.id for e in document.model.enterprises
                                             if e.park == park}


def test_links_of_a_big_chain_follow_a_firm_through_delete_undo_and_move(qtbot, monkeypatch):
    monkeypatch.setattr(canvas_view, "OVERVIEW_FROM", 300)
    monkeypatch.setattr(canvas_view, "BATCH_FROM", 100)  # links drawn as one batch
    document = Document(generate(600, seed=2))
    view = ChainView(document)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    model = document.model
    firm = max(model.enterprises[1:], key=lambda e: sum(e.id in (lk.supplier, lk.buyer)
                                                        for lk in model.links))
    keys = [(lk.supplier, lk.buyer) for lk in model.links if firm.id in (lk.supplier, lk.buyer)]
    assert view.links_batched and keys
    document.delete({firm.id}, set())
    assert all(view.link_path(key) is None for key in keys)
    document.undo_stack.undo()
    document.move_enterprises({firm.id: (123.0, 456.0)})
    view.find(firm.id)
    qtbot.waitUntil(lambda: view.node_item(firm.id) is not None)
    item = view.node_item(firm.id)
    assert (item.pos().x(), item.pos().y()) == (123.0, 456.0)
    for supplier, buyer in keys:  # each curve runs from the supplier's rim to the buyer's
        path = view.link_path((supplier, buyer))
        end = path.elementAt(0) if supplier == firm.id else path.elementAt(path.elementCount() - 1)
        x = 123.0 + item.radius if supplier == firm.id else 123.0 - item.radius - 2
        assert (end.x, end.y) == pytest.approx((x, 456.0))
