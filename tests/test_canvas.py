"""The chain canvas, used the way a planner uses it: real mouse events on the viewport."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QFontMetricsF, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from models.chain import Enterprise, Link
from planner.generate import generate
from tests.conftest import small_chain
from ui import i18n, palette
from ui.canvas import MIME_PROJECT, ChainView, LinkBatchItem, LinkItem, NodeItem, column_title
from ui.canvas_items import shown_name
from ui.document import Document
from ui.legend import LegendWidget


@pytest.fixture
def document():
    document = Document(small_chain())
    yield document
    # ui/document.py relays cleanChanged through a lambda; a dirty stack destroyed after its
    # document's wrapper would call it on a deleted object. Leave the stack clean.
    document.undo_stack.clear()


@pytest.fixture
def view(qtbot, document):
    view = ChainView(document)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    view.fit()
    return view


def at(view: ChainView, e_id: str) -> QPoint:
    return view.mapFromScene(view.node_item(e_id).scenePos())


def drag(qtbot, view: ChainView, start: QPoint, end: QPoint,
         modifier=Qt.KeyboardModifier.NoModifier, steps: int = 6) -> None:
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, modifier, start)
    for k in range(1, steps + 1):
        point = start + (end - start) * (k / steps)
        qtbot.mouseMove(viewport, QPoint(round(point.x()), round(point.y())))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, modifier, end)


def test_the_view_shows_every_enterprise_and_link_as_items(view, document):
    assert {e.id for e in document.model.enterprises} == {"C", "S1", "S2", "D1"}
    assert all(view.node_item(e_id) is not None for e_id in ("C", "S1", "S2", "D1"))
    assert not view.links_batched
    assert sum(isinstance(i, LinkItem) for i in view.scene().items()) == 3
    assert view.scene().sceneRect().contains(view.scene().itemsBoundingRect())
    assert view.viewportUpdateMode() == view.ViewportUpdateMode.SmartViewportUpdate
    assert view.scene().itemIndexMethod() == view.scene().ItemIndexMethod.BspTreeIndex


def test_clicking_a_node_selects_it_in_the_document(qtbot, view, document):
    with qtbot.waitSignal(document.selection_changed):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, "S1"))
    assert document.selected_enterprises == {"S1"}
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ControlModifier, at(view, "D1"))
    assert document.selected_enterprises == {"S1", "D1"}


def test_clicking_a_link_selects_the_link(qtbot, view, document):
    middle = view.link_path(("S1", "C")).pointAtPercent(0.5)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(middle))
    assert document.selected_links == {("S1", "C")}
    assert document.selected_enterprises == set()


def test_rubber_band_selects_the_nodes_inside_it(qtbot, view, document):
    s2, s1 = at(view, "S2"), at(view, "S1")
    top_left = QPoint(min(s2.x(), s1.x()) - 30, min(s2.y(), s1.y()) - 30)
    bottom_right = QPoint(max(s2.x(), s1.x()) + 30, max(s2.y(), s1.y()) + 30)
    assert view.itemAt(top_left) is None or not hasattr(view.itemAt(top_left), "e_id")
    drag(qtbot, view, top_left, bottom_right)
    assert document.selected_enterprises == {"S1", "S2"}


def test_selection_made_elsewhere_shows_on_the_canvas_without_echo(qtbot, view, document):
    emitted = []
    document.selection_changed.connect(lambda: emitted.append(1))
    document.set_selection({"D1"})
    assert view.node_item("D1").isSelected() and not view.node_item("C").isSelected()
    assert emitted == [1]


def test_dragging_a_node_is_one_undo_step_and_undo_puts_it_back(qtbot, view, document):
    item = view.node_item("S1")
    start_pos = item.pos()
    count = document.undo_stack.count()
    start = at(view, "S1")
    drag(qtbot, view, start, start + QPoint(70, 45))
    assert document.undo_stack.count() == count + 1
    s1 = document.model.enterprise_index()["S1"]
    assert s1.x is not None and s1.y is not None
    assert (s1.x, s1.y) != (start_pos.x(), start_pos.y())
    assert view.node_item("S1").pos() == QPointF(s1.x, s1.y)
    document.undo_stack.undo()
    assert (s1.x, s1.y) == (None, None)
    assert view.node_item("S1").pos() == start_pos


def test_a_click_without_moving_pushes_no_move(qtbot, view, document):
    count = document.undo_stack.count()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, "S2"))
    assert document.undo_stack.count() == count


def test_shift_drag_from_node_to_node_adds_a_link_and_undo_removes_it(qtbot, view, document):
    drag(qtbot, view, at(view, "S2"), at(view, "D1"), Qt.KeyboardModifier.ShiftModifier)
    keys = [(lk.supplier, lk.buyer) for lk in document.model.links]
    assert ("S2", "D1") in keys and len(keys) == 4
    assert view.link_path(("S2", "D1")) is not None
    document.undo_stack.undo()
    assert ("S2", "D1") not in [(lk.supplier, lk.buyer) for lk in document.model.links]
    assert view.link_path(("S2", "D1")) is None


def test_shift_drag_onto_itself_an_existing_link_or_nothing_adds_no_link(qtbot, view, document):
    count = document.undo_stack.count()
    drag(qtbot, view, at(view, "S1"), at(view, "S1") + QPoint(3, 0), Qt.KeyboardModifier.ShiftModifier)
    drag(qtbot, view, at(view, "S1"), at(view, "C"), Qt.KeyboardModifier.ShiftModifier)
    drag(qtbot, view, at(view, "S1"), QPoint(5, 600), Qt.KeyboardModifier.ShiftModifier)
    assert document.undo_stack.count() == count
    assert len(document.model.links) == 3


def test_find_selects_and_centres_the_next_hit_each_time(qtbot, view, document):
    assert view.find("tier-")  # "Tier-1 Supplier", "Tier-2 Machining"
    first = set(document.selected_enterprises)
    assert view.find("TIER-")
    second = set(document.selected_enterprises)
    assert {*first, *second} == {"S1", "S2"}
    (e_id,) = second
    centre = view.viewport().rect().center()
    found = at(view, e_id)
    assert abs(found.x() - centre.x()) <= 4 and abs(found.y() - centre.y()) <= 4
    assert view.find("d1") and document.selected_enterprises == {"D1"}
    assert not view.find("no such firm")


def test_filter_fades_what_does_not_match(view):
    view.set_filter(park="Lingang")
    assert view.matching_ids() == {"S1", "S2"}
    assert view.node_item("S1").opacity() == 1.0
    assert view.node_item("C").opacity() == pytest.approx(palette.FADED)
    faded = dict(zip(view.link_keys, view.link_faded.tolist(), strict=True))
    assert faded == {("S1", "C"): True, ("S2", "S1"): False, ("C", "D1"): True}
    view.set_filter(position="upstream", tier={1, 2})
    assert view.matching_ids() == {"S1", "S2"}
    view.set_filter(size="micro")
    assert view.matching_ids() == {"D1"}
    view.set_filter()
    assert view.matching_ids() == {"C", "S1", "S2", "D1"}
    assert view.node_item("C").opacity() == 1.0


def test_a_node_lights_up_in_the_year_it_connects(qtbot, view, document):
    # S1 starts platform onboarding (duration 1) in 2026: connected from 2027
    item = view.node_item("S1")
    document.set_year(2026)
    before = (item.connected, item.fill_colour().name())
    document.set_year(2027)
    after = (item.connected, item.fill_colour().name())
    assert before[0] is False and after[0] is True
    assert before[1] != after[1]
    assert after[1] == palette.role_colour("supplier").name()


def test_colour_by_level_uses_the_level_ramp(qtbot, view, document):
    with qtbot.waitSignal(view.colour_by_changed):
        view.set_colour_by("level")
    document.set_year(2026)
    assert view.node_item("S2").base == palette.level_colour(2)
    assert view.node_item("S2").target  # S2 starts at level 2, the target
    assert not view.node_item("D1").target
    view.set_colour_by("role")
    assert view.node_item("S2").base == palette.role_colour("supplier")


def in_step(view: ChainView, document: Document) -> None:
    """The canvas shows exactly the model: a node per enterprise where it belongs, with
    its name, a curve per link from its supplier's node to its buyer's, and once the
    model is analysed, each node's level and platform state in the year."""
    model = document.model
    assert {item.e_id for item in view.scene().items() if isinstance(item, NodeItem)} == {
        e.id for e in model.enterprises}
    for e in model.enterprises:
        item = view.node_item(e.id)
        assert item.e_id == e.id and item.name == e.name
        if e.x is not None and e.y is not None:
            assert item.pos() == QPointF(e.x, e.y)
    assert sorted(view.link_keys) == sorted((lk.supplier, lk.buyer) for lk in model.links)
    for supplier, buyer in view.link_keys:
        path = view.link_path((supplier, buyer))
        start, end = path.pointAtPercent(0.0), path.pointAtPercent(1.0)
        assert start.y() == pytest.approx(view.node_item(supplier).pos().y())
        assert end.y() == pytest.approx(view.node_item(buyer).pos().y())
        assert start.x() > view.node_item(supplier).pos().x()
        assert end.x() < view.node_item(buyer).pos().x()
    document.wait_for_analysis()
    analysis, year = document.analysis, document.year
    assert analysis.revision == document.revision
    if analysis.result is not None and year:
        result = analysis.result  # its rows are the model's
        col = min(max(year - int(result.years[0]), 0), len(result.years) - 1)
        assert [(view.node_item(e.id).level, view.node_item(e.id).connected)
                for e in model.enterprises] == [
            (int(result.maturity[row, col]), bool(result.connected[row, col]))
            for row in range(len(model.enterprises))]


@pytest.fixture
def layouts(monkeypatch):
    """How many times the canvas laid the chain out itself."""
    import ui.canvas_view

    calls = []
    real = ui.canvas_view.arrange

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(ui.canvas_view, "arrange", counting)
    return calls


def test_deleting_an_enterprise_removes_its_node_and_links_and_undo_brings_them_back(
        qtbot, view, document):
    kept = view.node_item("C")
    document.delete({"S2"}, set())
    assert view.node_item("S2") is None and view.node_item("C") is kept
    assert len(view.link_keys) == 2
    in_step(view, document)
    document.undo_stack.undo()
    assert view.node_item("S2") is not None and len(view.link_keys) == 3
    in_step(view, document)


def test_editing_one_enterprise_touches_only_its_node(qtbot, view, document, layouts):
    items = {e_id: view.node_item(e_id) for e_id in ("C", "S1", "S2", "D1")}
    places = {e_id: item.pos() for e_id, item in items.items()}
    s1 = document.model.enterprise_index()["S1"]
    document.set_values([(s1, "name", "Tier-1 Gearbox Supplier")], "rename")
    document.set_values([(s1, "revenue", 1.0)], "revenue")
    document.set_values([(s1, "size", "large")], "size")
    assert items["S1"].name == "Tier-1 Gearbox Supplier" and items["S1"].radius == 17.0
    document.move_enterprises({"S2": (-900.0, 300.0)})
    assert items["S2"].pos() == QPointF(-900.0, 300.0)
    assert {e_id: view.node_item(e_id) for e_id in items} == items  # the same item objects
    assert {e_id: items[e_id].pos() for e_id in ("C", "S1", "D1")} == {
        e_id: places[e_id] for e_id in ("C", "S1", "D1")}
    assert layouts == []  # nothing was laid out again
    in_step(view, document)
    document.undo_stack.undo()  # the move
    assert items["S2"].pos() == places["S2"]
    in_step(view, document)


def test_renaming_an_id_keeps_the_node_and_its_links(qtbot, view, document, layouts):
    item = view.node_item("S1")
    s1 = document.model.enterprise_index()["S1"]
    document.set_values([(s1, "id", "S1-NEW")], "rename id")
    assert view.node_item("S1-NEW") is item and view.node_item("S1") is None
    assert ("S1-NEW", "C") in view.link_keys and ("S2", "S1-NEW") in view.link_keys
    assert layouts == []
    in_step(view, document)
    document.undo_stack.undo()
    assert view.node_item("S1") is item
    in_step(view, document)


def test_undo_and_redo_keep_the_canvas_in_step_with_the_model(qtbot, view, document):
    index = document.model.enterprise_index
    document.set_year(2027)  # S1 is on the platform from 2027
    document.add_enterprise(Enterprise(id="N1", name="New Supplier", role="supplier",
                                       size="small", park="Lingang"))
    document.add_link(Link(supplier="N1", buyer="S2"))
    document.set_values([(index()["N1"], "id", "N2")], "rename id")
    document.move_enterprises({"C": (40.0, -30.0)})
    document.set_values([(index()["D1"], "park", "Lingang")], "park")
    document.delete({"S1"}, {("C", "D1")})
    steps = document.undo_stack.count()
    in_step(view, document)
    for _ in range(steps):
        document.undo_stack.undo()
        in_step(view, document)
    assert view.node_item("N1") is None and view.node_item("N2") is None
    for _ in range(steps):
        document.undo_stack.redo()
        in_step(view, document)
    assert view.node_item("S1") is None and view.node_item("N2") is not None


def visible_rect(view: ChainView) -> QRectF:
    return view.mapToScene(view.viewport().rect()).boundingRect()


def test_a_new_enterprise_appears_in_view_next_to_the_selected_firm(qtbot, view, document,
                                                                    layouts):
    view.zoom_by(3.0)
    view.centerOn(view.node_item("S1").pos())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, "S1"))
    document.add_enterprise(Enterprise(id="N1", name="New Supplier", role="supplier",
                                       size="small"))
    new, s1 = view.node_item("N1").pos(), view.node_item("S1").pos()
    assert visible_rect(view).contains(new)
    assert new.x() == s1.x() and new.y() != s1.y()  # in the selected firm's column
    assert all(c.position != "detached" for c in view.columns())
    assert layouts == []


def test_a_new_enterprise_is_placed_in_view_wherever_the_view_is(qtbot, view, document):
    view.zoom_by(4.0)
    view.centerOn(view.node_item("D1").pos() + QPointF(0, 400))
    document.set_selection(set())
    document.add_enterprise(Enterprise(id="N1", name="New Supplier", role="supplier",
                                       size="small"))
    assert visible_rect(view).contains(view.node_item("N1").pos())
    document.add_enterprise(Enterprise(id="N2", name="Another", role="supplier", size="small"))
    first, second = view.node_item("N1").pos(), view.node_item("N2").pos()
    assert visible_rect(view).contains(second) and first != second


class PaintSpy(QObject):
    """The regions a widget paints."""

    def __init__(self, widget):
        super().__init__(widget)
        self.rects: list[QRect] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())
        return False


def test_linking_a_detached_firm_leaves_no_empty_detached_column(qtbot):
    model = small_chain()
    model.enterprises.append(Enterprise(id="X", name="Loner", role="supplier", size="small",
                                        park="Jiading"))
    document = Document(model)
    view = ChainView(document)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    view.fit()
    assert [c.count for c in view.columns() if c.position == "detached"] == [1]
    spy = PaintSpy(view.viewport())
    qtbot.wait(50)
    spy.rects.clear()
    document.add_link(Link(supplier="X", buyer="S2"))
    assert all(c.position != "detached" for c in view.columns())
    tier3 = [c for c in view.columns() if c.position == "upstream" and c.tier == 3]
    assert [c.count for c in tier3] == [1]
    assert {(b.column, b.park, b.count) for b in view.bands()} == {
        (-1, "Lingang", 1), (-2, "Lingang", 1), (-3, "Jiading", 1)}
    # the columns and park labels are painted behind the items: all of the view again
    qtbot.waitUntil(lambda: any(r.contains(view.viewport().rect()) for r in spy.rects))
    in_step(view, document)
    document.undo_stack.undo()
    assert [c.count for c in view.columns() if c.position == "detached"] == [1]
    document.undo_stack.clear()


def test_linking_a_new_enterprise_moves_it_into_its_tier(qtbot, view, document):
    document.add_enterprise(Enterprise(id="N1", name="New Supplier", role="supplier",
                                       size="small", park="Lingang"))
    assert all(c.position != "detached" for c in view.columns())
    document.add_link(Link(supplier="N1", buyer="S1"))
    assert visible_rect(view).contains(view.node_item("N1").pos())
    tier2 = next(c for c in view.columns() if c.position == "upstream" and c.tier == 2)
    assert tier2.count == 2
    assert view.node_item("N1").pos().x() == view.node_item("S2").pos().x()
    assert (-2, "Lingang", 2) in {(b.column, b.park, b.count) for b in view.bands()}
    assert all(c.position != "detached" for c in view.columns())
    in_step(view, document)
    document.undo_stack.undo()
    assert visible_rect(view).contains(view.node_item("N1").pos())  # back where it was shown
    in_step(view, document)


def test_a_chain_with_many_links_draws_them_as_one_batched_item(qtbot):
    document = Document(generate(1000))
    document.wait_for_analysis()
    view = ChainView(document)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    assert len(view.link_keys) > 2000 and view.links_batched
    items = view.scene().items()
    assert sum(isinstance(i, LinkBatchItem) for i in items) == 1
    assert not any(isinstance(i, LinkItem) for i in items)
    view.grab()  # paints without error
    key = view.link_keys[0]
    view.find(key[0])
    middle = view.link_path(key).pointAtPercent(0.5)
    view.centerOn(middle)
    hit = view.link_at(middle)
    assert hit is not None
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(middle))
    assert document.selected_links == {hit}
    # a dragged node takes its links along, and the move is one undo step
    supplier = key[0]
    view.centerOn(view.node_item(supplier))
    before = view.link_path(key).pointAtPercent(0.0)
    count = document.undo_stack.count()
    drag(qtbot, view, at(view, supplier), at(view, supplier) + QPoint(40, 25))
    assert document.undo_stack.count() == count + 1
    assert view.link_path(key).pointAtPercent(0.0) != before
    document.undo_stack.undo()
    assert view.link_path(key).pointAtPercent(0.0) == before
    document.undo_stack.clear()


def test_dropping_a_project_on_a_node_assigns_it(qtbot, view, document):
    target = at(view, "D1")
    mime = QMimeData()
    mime.setData(MIME_PROJECT, b"ERP")
    viewport = view.viewport()
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(target, actions, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(target, actions, mime, Qt.MouseButton.LeftButton,
                          Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, move)
    assert move.isAccepted()
    drop = QDropEvent(QPointF(target), actions, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, drop)
    new = [a for a in document.model.assignments if a.enterprise == "D1"]
    assert [(a.scenario, a.project, a.start_year, a.core_share) for a in new] == [
        ("Base", "ERP", 2026, 0.0)]
    document.undo_stack.undo()
    assert not [a for a in document.model.assignments if a.enterprise == "D1"]


def test_a_drop_of_an_unknown_project_or_off_a_node_is_refused(qtbot, view, document):
    mime = QMimeData()
    mime.setData(MIME_PROJECT, b"NOPE")
    enter = QDragEnterEvent(at(view, "D1"), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), enter)
    assert not enter.isAccepted()
    mime.setData(MIME_PROJECT, b"ERP")
    move = QDragMoveEvent(QPoint(3, 600), Qt.DropAction.CopyAction, mime,
                          Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), move)
    assert not move.isAccepted()


def test_wheel_zooms_and_fit_shows_everything(qtbot, view):
    before = view.transform().m11()
    view.zoom_in()
    assert view.transform().m11() > before
    view.fit()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    for e_id in ("C", "S1", "S2", "D1"):
        assert visible.contains(view.node_item(e_id).scenePos())


def test_headings_speak_the_current_language(view):
    upstream = next(c for c in view.columns() if c.position == "upstream" and c.tier == 2)
    assert column_title(upstream) == "Upstream tier 2"
    i18n.set_language("zh_CN")
    try:
        assert column_title(upstream) == "上游第 2 层"
        view.grab()
    finally:
        i18n.set_language("en")


def test_the_legend_follows_the_colour_mode(qtbot):
    legend = LegendWidget()
    qtbot.addWidget(legend)
    texts = [text for _, _, text in legend.rows()]
    assert "Supplier" in texts and "Data-connected link" in texts
    legend.set_colour_by("level")
    texts = [text for _, _, text in legend.rows()]
    assert "Digital level 4" in texts and "Supplier" not in texts
    assert legend.sizeHint().height() > 200
    legend.resize(legend.sizeHint())
    legend.grab()


def test_adding_a_link_from_the_document_draws_it(view, document):
    document.add_link(Link(supplier="S2", buyer="C", annual_value=10.0))
    assert view.link_path(("S2", "C")) is not None
    assert sum(isinstance(i, LinkItem) for i in view.scene().items()) == 4


@pytest.mark.parametrize(("name", "english", "chinese"), [
    ("Shenyi Aero Final Assembly 申翼飞机总装", "Shenyi Aero Final Assembly", "申翼飞机总装"),
    ("海兴造船 / Haixing Shipbuilding", "Haixing Shipbuilding", "海兴造船"),
    ("Lingang New Area (临港新片区)", "Lingang New Area", "临港新片区"),
    ("No. 3 Plant 第三工厂", "No. 3 Plant", "第三工厂"),
    ("Tier-1 Supplier", "Tier-1 Supplier", "Tier-1 Supplier"),
    ("申翼飞机总装", "申翼飞机总装", "申翼飞机总装"),
    ("ABC 科技 Co", "ABC 科技 Co", "ABC 科技 Co"),
])
def test_a_bilingual_name_shows_the_half_in_the_interface_language(name, english, chinese):
    assert (shown_name(name, "en"), shown_name(name, "zh_CN")) == (english, chinese)


@pytest.fixture
def bilingual(qtbot):
    model = small_chain()
    model.enterprises[1].name = "Yunjing Avionics and Flight Control Systems 云景航电飞控系统"
    document = Document(model)
    view = ChainView(document)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    yield view
    i18n.set_language("en")


def test_node_names_show_in_the_interface_language_and_in_full_on_hover(qtbot, bilingual):
    view = bilingual
    view.zoom_by(1.0 / view.transform().m11())  # 100 %
    view.centerOn(view.node_item("S1").pos())
    item = view.node_item("S1")
    assert item.label(1.0).lines == ["Yunjing Avionics and Flight Control", "Systems"]
    i18n.set_language("zh_CN")
    view.rebuild()  # what the main window does on a switch
    assert item.label(1.0).lines == ["云景航电飞控系统"]
    view.grab()
    point = at(view, "S1")
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, point,
                                                       view.viewport().mapToGlobal(point)))
    assert "Yunjing Avionics and Flight Control Systems 云景航电飞控系统" in QToolTip.text()
    QToolTip.hideText()


@pytest.mark.parametrize("zoom", [0.3, 0.45, 0.6, 1.0, 2.5])
def test_long_names_fit_beside_their_node_or_are_elided(qtbot, bilingual, zoom):
    view = bilingual
    item = view.node_item("S1")
    name = ("Precision Machining and Surface Treatment of Titanium Aerostructure Components "
            "Company")
    item.configure(name, item.radius)
    lines, font, left, width = item.label(zoom)
    metrics = QFontMetricsF(font)
    assert 1 <= len(lines) <= (2 if zoom >= 0.6 else 1)
    assert len(lines[0]) >= 8 and name.startswith(lines[0].rstrip("…"))
    assert lines[-1].endswith("…")
    assert all(metrics.horizontalAdvance(line) <= width for line in lines)
    assert font.pixelSize() >= 11  # readable at any zoom
    # the name stays inside the item (its cache) and left of the next column's panel
    right = (left + width) / zoom
    assert right <= item.boundingRect().right()
    next_panel = min(c.left for c in view.columns() if c.left > item.pos().x())
    assert item.pos().x() + right <= next_panel
    view.zoom_by(zoom / view.transform().m11())
    view.centerOn(item.pos())
    view.grab()


@pytest.mark.parametrize("zoom", [0.45, 0.8, 1.0, 1.37, 3.0])
def test_a_node_drawn_from_its_shared_disc_picture_looks_as_drawn_directly(view, zoom):
    """Into a node's cache picture (a pixmap) the disc, marks and badge come from a picture
    shared by nodes that look alike; drawn elsewhere (an image, print) they are drawn.
    Selected or not, with or without ring and mark, at any zoom and place in a pixel, the
    pixels are the same."""
    from PySide6.QtGui import QImage, QPainter, QPixmap
    from PySide6.QtWidgets import QStyleOptionGraphicsItem

    def picture(item: NodeItem, device: QImage | QPixmap, dx: float, dy: float) -> QImage:
        device.fill(Qt.GlobalColor.transparent)
        painter = QPainter(device)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing)
        painter.translate(100 + dx, 60 + dy)
        painter.scale(zoom, zoom)
        item.paint(painter, QStyleOptionGraphicsItem(), None)
        painter.end()
        return device if isinstance(device, QImage) else device.toImage()

    checked = 0
    for e_id in ("C", "S1", "S2", "D1"):
        item = view.node_item(e_id)
        for selected in (False, True):
            item.setSelected(selected)
            for dx, dy in ((0.0, 0.0), (0.5, 0.25), (0.3, 0.7)):
                image = QImage(400, 120, QImage.Format.Format_ARGB32_Premultiplied)
                direct = picture(item, image, dx, dy)
                shared = picture(item, QPixmap(400, 120), dx, dy).convertToFormat(
                    direct.format())
                if dx * 64 == int(dx * 64):  # on the rasteriser's grid: the very same pixels
                    assert shared == direct, (e_id, selected, dx)
                else:  # off it, the edges' antialiasing may round the other way
                    assert max_difference(shared, direct) <= 8, (e_id, selected, dx)
                checked += 1
    assert checked == 24


def max_difference(one, other) -> int:
    """The largest difference of a colour channel between two images of the same size."""
    import numpy as np

    def channels(image):
        data = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
        return data.reshape(image.height(), image.bytesPerLine())[:, :image.width() * 4]

    return int(np.abs(channels(one).astype(int) - channels(other).astype(int)).max())
