"""The canvas of a chain above the big-chain threshold (over 5,000 firms, generated):
structural edits made through the window (Delete, Ctrl+Z, Ctrl+E) follow the edit on the
drawn chain without laying it out again, and leave every curve, the overview's counts and
the platform colours as they should be."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from planner.generate import generate
from ui import canvas_view, palette
from ui.canvas_items import NodeItem, link_widths
from ui.document import Document

FIRMS = 5200  # above canvas_view.OVERVIEW_FROM: node items only in view, the overview


@pytest.fixture
def window(qtbot):
    from ui.main_window import MainWindow

    assert FIRMS > canvas_view.OVERVIEW_FROM
    win = MainWindow(Document(), restore_state=False)
    qtbot.addWidget(win, before_close_func=lambda w: w.document.undo_stack.setClean())
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.document.reset(generate(FIRMS, seed=5), None)
    win.document.wait_for_analysis()
    qtbot.waitUntil(lambda: win.document.analysis.revision == win.document.revision)
    return win


@pytest.fixture
def layouts(monkeypatch):
    """How many times the canvas lays the chain out itself (on the GUI thread)."""
    calls = []
    real = canvas_view.arrange

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(canvas_view, "arrange", counting)
    return calls


def press(qtbot, window, keys: str) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.canvas.setFocus()
    combination = QKeySequence(keys)[0]
    qtbot.keyClick(window.canvas, combination.key(), combination.keyboardModifiers())


def then(fill: Callable[[QWidget], None]) -> None:
    """Fill in the modal dialog that opens next (the call that opens it blocks)."""
    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(10, act)
            return
        try:
            fill(dialog)
        except BaseException:
            dialog.close()
            raise
    QTimer.singleShot(0, act)


def curves(canvas) -> dict[tuple[str, str], tuple[float, float, float, float]]:
    """Where each link's curve starts and ends, for every link of the model."""
    ends = {}
    for lk in canvas.document.model.links:
        path = canvas.link_path((lk.supplier, lk.buyer))
        assert path is not None, (lk.supplier, lk.buyer)
        first, last = path.elementAt(0), path.elementAt(path.elementCount() - 1)
        ends[(lk.supplier, lk.buyer)] = (first.x, first.y, last.x, last.y)
    return ends


def counted(canvas) -> int:
    return sum(g.count for g in canvas.overview.groups)


def platform_in_step(canvas) -> None:
    """Each link shows whether it is on the data platform in the year, as analysed."""
    document = canvas.document
    document.wait_for_analysis()
    result, year = document.analysis.result, document.year
    col = min(max(year - int(result.years[0]), 0), len(result.years) - 1)
    for row, lk in enumerate(document.model.links):
        drawn = canvas.link_row((lk.supplier, lk.buyer))
        assert bool(canvas.link_connected[drawn]) == bool(result.link_connected[row, col])


def test_delete_undo_add_and_undo_on_a_big_chain_keep_every_curve_without_a_layout(
        qtbot, window, layouts):
    document, canvas, bar = window.document, window.canvas, window.filter_bar
    model = document.model
    # an outermost supplier (nobody supplies it): the others' tiers do not hang on it
    buyers = {lk.buyer for lk in model.links}
    places = document.analysis.places
    firm = max((e for e in model.enterprises if e.id not in buyers
                and places[e.id].position == "upstream"),
               key=lambda e: sum(e.id == lk.supplier for lk in model.links))
    own = {(lk.supplier, lk.buyer) for lk in model.links if firm.id in (lk.supplier, lk.buyer)}
    before, firms = curves(canvas), counted(canvas)
    assert canvas.links_batched and own and firms == FIRMS
    qtbot.keyClicks(bar.search, firm.id)  # the planner finds the firm, and deletes it
    qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    assert document.selected_enterprises == {firm.id}
    press(qtbot, window, "Delete")
    assert firm.id not in {e.id for e in model.enterprises}
    assert all(canvas.link_path(key) is None for key in own)
    assert curves(canvas) == {key: ends for key, ends in before.items() if key not in own}
    canvas.fit()
    qtbot.waitUntil(lambda: canvas.overview_shown)
    qtbot.waitUntil(lambda: counted(canvas) == FIRMS - 1)
    platform_in_step(canvas)

    press(qtbot, window, "Ctrl+Z")  # undo: the firm and its links, where they were
    assert curves(canvas) == before
    qtbot.waitUntil(lambda: counted(canvas) == FIRMS)  # the overview, at the next turn
    platform_in_step(canvas)

    canvas.find(firm.id)  # zoomed in on the firm, the planner adds one beside it

    def fill(dialog):
        for edit, text in ((dialog.id, "NEW-1"), (dialog.name, "A new supplier")):
            edit.setFocus()
            edit.selectAll()  # typed over what the dialog offers
            qtbot.keyClicks(edit, text)
        dialog.role.set_value("supplier")
        dialog.size.set_value("small")
        button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    then(fill)
    press(qtbot, window, "Ctrl+E")
    assert "NEW-1" in {e.id for e in model.enterprises}
    item = canvas.node_item("NEW-1")
    assert item is not None
    visible = canvas.mapToScene(canvas.viewport().rect()).boundingRect()
    assert visible.contains(item.pos())  # where the planner is looking
    assert [other for other in canvas.scene().items(item.pos())  # on no other firm
            if isinstance(other, NodeItem) and other is not item] == []
    assert curves(canvas) == before
    canvas.fit()
    qtbot.waitUntil(lambda: canvas.overview_shown)
    platform_in_step(canvas)

    press(qtbot, window, "Ctrl+Z")  # undo the add
    assert canvas.node_item("NEW-1") is None
    assert curves(canvas) == before
    qtbot.waitUntil(lambda: counted(canvas) == FIRMS)
    platform_in_step(canvas)
    assert layouts == []  # no edit laid the chain out again
    found = canvas.find(firm.id)  # the firm is found, and drawn where it was
    assert found
    qtbot.waitUntil(lambda: canvas.node_item(firm.id) is not None)
    start = before[next(key for key in sorted(own) if key[0] == firm.id)] if any(
        key[0] == firm.id for key in own) else None
    if start is not None:
        pos = canvas.node_item(firm.id).pos()
        assert start[1] == pytest.approx(pos.y()) and start[0] > pos.x()


def test_the_links_drawn_follow_a_filter_a_selected_link_and_back(qtbot, window):
    """The picture of the links kept between paints is drawn again when what they show
    changes: fading by a filter, a link's selection, and back."""
    document, canvas, bar = window.document, window.canvas, window.filter_bar
    link = max(document.model.links, key=lambda lk: lk.annual_value)
    canvas.find(link.supplier)  # zoomed in on a firm with the highest-value link
    qtbot.waitUntil(lambda: canvas.node_item(link.supplier) is not None)
    QApplication.processEvents()

    def shown():
        canvas.viewport().repaint()
        return canvas.viewport().grab().toImage()

    document.set_selection(set(), set())
    plain = shown()
    assert shown() == plain  # nothing changed: the same picture
    combo = bar.filters["park"]
    combo.setCurrentIndex(1)  # a park: the other firms' links fade
    faded = shown()
    assert faded != plain
    combo.setCurrentIndex(0)
    assert shown() == plain
    document.set_selection(set(), {(link.supplier, link.buyer)})  # the link, highlighted
    assert shown() != plain
    document.set_selection(set(), set())
    assert shown() == plain


def test_the_overview_drawn_follows_an_edit_and_its_undo(qtbot, window):
    """The picture of the overview kept between paints is drawn again when a firm goes
    (its group's count) and comes back."""
    document, canvas, bar = window.document, window.canvas, window.filter_bar
    firm = document.model.enterprises[-1]

    def shown():  # once the analysis is in (each group's share on the platform)
        document.wait_for_analysis()
        qtbot.waitUntil(lambda: document.analysis.revision == document.revision)
        document.set_selection(set(), set())  # (a selected firm is drawn over it)
        canvas.fit()
        qtbot.waitUntil(lambda: canvas.overview_shown)
        qtbot.wait(50)  # (the firms no longer selected go at the next turn)
        canvas.viewport().repaint()
        return canvas.viewport().grab().toImage()

    before = shown()
    assert shown() == before
    qtbot.keyClicks(bar.search, firm.id)
    qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    press(qtbot, window, "Delete")
    assert firm.id not in {e.id for e in document.model.enterprises}
    assert shown() != before
    press(qtbot, window, "Ctrl+Z")
    assert shown() == before


def near(colour: QColor, wanted: QColor, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour.getRgb()[:3], wanted.getRgb()[:3],
                                                        strict=True))


def drawn(canvas, e_id: str) -> tuple[bool, bool]:
    """Whether the firm's disc is drawn in its colour where its node is, and whether the
    yellow selection ring is drawn round it (read from the pixels on screen)."""
    canvas.viewport().repaint()
    image = canvas.viewport().grab().toImage()
    item = canvas.node_item(e_id)
    centre = canvas.mapFromScene(item.pos())
    ring = round((item.radius + 5.8) * canvas.transform().m11())
    return (near(image.pixelColor(centre), item.fill_colour()),
            near(image.pixelColor(centre - QPoint(ring, 0)), palette.SELECTION))


def in_view(canvas) -> set[str]:
    """The firms whose node stands in the canvas's view."""
    view = canvas.mapToScene(canvas.viewport().rect()).boundingRect()
    return {item.e_id for item in canvas.scene().items(view)
            if isinstance(item, NodeItem) and view.contains(item.pos())}


def test_a_search_draws_the_firm_selected_in_the_middle_and_shows_it_everywhere(qtbot, window):
    """Type a far firm's id and press Enter: it is drawn in its colour, ringed as selected,
    in the middle of the canvas, and the inspector and table show it; a second search
    shows the second firm's values in the inspector; a click on a firm drawn nearby
    selects it, and a drag moves it (drawn where it was dropped)."""
    document, canvas, bar = window.document, window.canvas, window.filter_bar
    model = document.model
    table = window.tables.pages["enterprises"]
    for firm in (model.enterprises[4321], model.enterprises[77]):
        bar.search.clear()
        qtbot.keyClicks(bar.search, firm.id)
        qtbot.keyClick(bar.search, Qt.Key.Key_Return)
        shown_at_once = in_view(canvas)
        qtbot.wait(200)  # the margin round the view is made a few turns later
        assert in_view(canvas) == shown_at_once  # no firm in view popped in afterwards
        assert document.selected_enterprises == {firm.id}
        assert window.inspector.editors["id"].text() == firm.id
        assert window.inspector.editors["name"].text() == firm.name
        rows = table.view.selectionModel().selectedRows()
        assert [table.proxy.index(r.row(), 0).data() for r in rows] == [firm.id]
        middle = canvas.viewport().rect().center()
        at = canvas.mapFromScene(canvas.node_item(firm.id).pos())
        assert (at - middle).manhattanLength() <= 4
        assert drawn(canvas, firm.id) == (True, True)

    firm = model.enterprises[77]
    view = canvas.mapToScene(canvas.viewport().rect().adjusted(80, 80, -200, -80)).boundingRect()
    other = next(item for item in canvas.scene().items(view) if isinstance(item, NodeItem)
                 and item.e_id != firm.id and view.contains(item.pos()))
    assert drawn(canvas, other.e_id) == (True, False)
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=canvas.mapFromScene(other.pos()))
    assert document.selected_enterprises == {other.e_id}
    assert window.inspector.editors["id"].text() == other.e_id
    assert drawn(canvas, other.e_id) == (True, True)
    assert drawn(canvas, firm.id) == (True, False)

    before = other.pos()
    start = canvas.mapFromScene(before)
    end = start + QPoint(0, 30)
    viewport = canvas.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for k in range(1, 7):
        qtbot.mouseMove(viewport, start + (end - start) * (k / 6))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    moved = document.enterprise(other.e_id)
    scale = canvas.transform().m11()
    assert abs(moved.y - (before.y() + 30 / scale)) < 2 / scale
    assert canvas.node_item(other.e_id).pos() == QPointF(moved.x, moved.y)
    assert drawn(canvas, other.e_id) == (True, True)


def test_the_links_drawn_where_the_planner_looks_stay_when_a_firm_elsewhere_goes_and_comes_back(
        qtbot, window):
    """Which links are drawn in a view is picked from boxes kept across edits: deleting a
    firm elsewhere (its links leave, every later link moves up a row) and undoing it leave
    the links drawn here exactly as they were; the firm here deleted and brought back is
    drawn with its links again."""
    document, canvas, bar = window.document, window.canvas, window.filter_bar
    model = document.model
    here = max(model.links, key=lambda lk: lk.annual_value).supplier

    def shown():  # with the edit's figures in (levels, rings)
        document.wait_for_analysis()
        qtbot.waitUntil(lambda: document.analysis.revision == document.revision)
        canvas.find(here)
        qtbot.waitUntil(lambda: canvas.node_item(here) is not None)
        QApplication.processEvents()
        canvas.viewport().repaint()
        return canvas.viewport().grab().toImage()

    before = shown()
    view = canvas.mapToScene(canvas.viewport().rect()).boundingRect()
    near = view.adjusted(-60, -60, 60, 60)  # (its disc too, at the curves' ends)
    crossing = {key for key in ((lk.supplier, lk.buyer) for lk in model.links)
                if canvas.link_path(key).boundingRect().intersects(near)}
    # a linked firm near the top of the table, in another column (whose heading counts
    # it), none of whose links is near the view
    places = document.analysis.places
    far = next(e for e in model.enterprises[:500] if places[e.id] != places[here] and (
        own := {(lk.supplier, lk.buyer) for lk in model.links if e.id in (lk.supplier, lk.buyer)})
        and not crossing & own)
    qtbot.keyClicks(bar.search, far.id)
    qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    press(qtbot, window, "Delete")
    assert far.id not in {e.id for e in model.enterprises}
    assert shown() == before
    press(qtbot, window, "Ctrl+Z")
    assert far.id in {e.id for e in model.enterprises}
    assert shown() == before
    press(qtbot, window, "Delete")  # the firm in view: its links go, and come back drawn
    assert here not in {e.id for e in model.enterprises} and canvas.node_item(here) is None
    press(qtbot, window, "Ctrl+Z")
    assert shown() == before


def test_renaming_a_firm_keeps_its_curves_and_names_its_links_anew(qtbot, window, layouts):
    """Type a new id over a linked firm's in the inspector: every curve stays where it was,
    the firm's links answer to the new id (and not the old), their platform colours stay
    true, and Ctrl+Z gives the old id back, all without laying the chain out again."""
    document, canvas, bar = window.document, window.canvas, window.filter_bar
    model = document.model
    firm = max(model.enterprises[:500],
               key=lambda e: sum(e.id in (lk.supplier, lk.buyer) for lk in model.links))
    old = firm.id
    before = curves(canvas)
    assert sorted(canvas.link_keys) == sorted((lk.supplier, lk.buyer) for lk in model.links)

    def renamed(key: tuple[str, str], new: str) -> tuple[str, str]:
        return tuple(new if end == old else end for end in key)

    qtbot.keyClicks(bar.search, old)
    qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    editor = window.inspector.editors["id"]
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, "RENAMED-1")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert firm.id == "RENAMED-1"
    assert curves(canvas) == {renamed(key, "RENAMED-1"): ends for key, ends in before.items()}
    assert sorted(canvas.link_keys) == sorted((lk.supplier, lk.buyer) for lk in model.links)
    assert canvas.link_path(next(key for key in before if old in key)) is None
    assert canvas.node_item("RENAMED-1") is not None and canvas.node_item(old) is None
    platform_in_step(canvas)

    press(qtbot, window, "Ctrl+Z")
    assert firm.id == old and curves(canvas) == before
    platform_in_step(canvas)
    assert layouts == []


def test_a_trade_value_and_platform_flag_typed_in_the_links_table_show_on_the_link(
        qtbot, window, layouts):
    """Type a link's trade value (the chain's highest) and mark it data-connected in the
    Links table: the link is drawn as wide as its value says, first of all links (the
    highest value is drawn first, and always, when zoomed out) and on the platform; Ctrl+Z
    twice gives back the old widths and order, all without laying the chain out again."""
    from tests.test_tables import type_into_cell

    document, canvas = window.document, window.canvas
    links = document.model.links
    row = next(r for r, lk in enumerate(links[100:], 100) if not lk.data_connected)
    link = links[row]
    key, top = (link.supplier, link.buyer), max(lk.annual_value for lk in links)

    def drawn_as_the_model_says() -> None:
        rows = [canvas.link_row((lk.supplier, lk.buyer)) for lk in links]
        values = np.zeros(len(links))
        values[rows] = [lk.annual_value for lk in links]
        assert np.array_equal(canvas.link_width, link_widths(values)[0])
        order = canvas._priority  # the order the links are drawn in
        assert sorted(order.tolist()) == list(range(len(links)))
        assert (np.diff(values[order]) <= 0).all()

    widths = canvas.link_width.copy()
    page = window.tables.pages["links"]
    window.tables.setCurrentWidget(page)
    type_into_cell(qtbot, page, row, "annual_value", str(round(top * 2)))
    assert link.annual_value == round(top * 2)
    drawn_as_the_model_says()
    assert canvas._priority[0] == canvas.link_row(key)
    type_into_cell(qtbot, page, row, "data_connected", "yes")
    assert link.data_connected
    platform_in_step(canvas)
    assert canvas.link_connected[canvas.link_row(key)]

    press(qtbot, window, "Ctrl+Z")
    press(qtbot, window, "Ctrl+Z")
    assert not link.data_connected and link.annual_value < top
    drawn_as_the_model_says()
    assert np.array_equal(canvas.link_width, widths)
    platform_in_step(canvas)
    assert not layouts
