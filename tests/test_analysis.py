"""One analysis per revision, from a snapshot the edits keep up to date; every view reads it,
and when the model has errors every view says so instead of showing older figures."""

from __future__ import annotations

import dataclasses
import gc
import re
import threading
import time

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from models.background import give_way, paused_gc
from models.chain import TABLE_BY_ATTR, Assignment, ChainModel, Enterprise, Link
from ui import analysis as analysis_module
from ui import worker as worker_module
from ui.analysis import copy_model
from ui.document import Document
from ui.i18n import set_language


@pytest.fixture(autouse=True)
def _english():
    set_language("en")
    yield
    set_language("en")


def rows_of(model: ChainModel) -> dict[str, list[tuple]]:
    """Every table's rows as plain tuples of their fields."""
    return {attr: [(*(getattr(r, f.name) for f in spec.fields), getattr(r, "extra", None))
                   for r in getattr(model, attr)]
            for attr, spec in TABLE_BY_ATTR.items()}


def assert_snapshot_is_a_copy(document: Document) -> None:
    snapshot, live = document.analyser.snapshot, document.model
    assert rows_of(snapshot) == rows_of(live)
    shared = {id(r) for attr in TABLE_BY_ATTR for r in getattr(snapshot, attr)} & \
        {id(r) for attr in TABLE_BY_ATTR for r in getattr(live, attr)}
    assert not shared, "the snapshot shares rows with the live model"


def test_the_snapshot_follows_every_edit_and_undo_without_sharing_rows(qtbot, chain):
    document = Document(chain)
    assert_snapshot_is_a_copy(document)
    s1 = chain.enterprises[1]
    document.set_values([(s1, "revenue", 25_000.0)], "revenue")
    assert document.analyser.snapshot.enterprises[1].revenue == 25_000.0
    document.add_rows("enterprises", [Enterprise(id="S3", name="New", role="supplier",
                                                 size="small")], "add")
    document.add_rows("links", [Link(supplier="S3", buyer="S1")], "link")
    document.assign(["S2", "S3"], "PLAT", 2027, 0.5)
    document.set_values([(s1, "id", "T1")], "rename: links and assignments follow")
    document.delete({"S2"}, set())  # with its links and assignment
    assert_snapshot_is_a_copy(document)
    while document.undo_stack.canUndo():
        document.undo_stack.undo()
        assert_snapshot_is_a_copy(document)
    while document.undo_stack.canRedo():
        document.undo_stack.redo()
        assert_snapshot_is_a_copy(document)


def test_a_row_edited_in_place_never_changes_a_published_analysis(qtbot, chain):
    document = Document(chain)
    before = document.analysis
    with qtbot.waitSignal(document.analysed):
        document.set_values([(chain.enterprises[1], "revenue", 1.0)], "revenue")
    assert before.model is not None and before.model.enterprises[1].revenue == 20_000.0
    assert document.analysis.model.enterprises[1].revenue == 1.0


def test_one_analysis_holds_every_scenario_and_the_health_check(qtbot, chain):
    chain.scenarios.append(dataclasses.replace(chain.scenarios[0], name="Later", start_year=2027,
                                               extra={}))
    document = Document(chain)
    analysis = document.analysis
    assert analysis.revision == document.revision
    assert list(analysis.results) == ["Base", "Later"]
    assert analysis.result is analysis.results["Base"]
    assert analysis.health is not None
    # another current scenario: the evaluation is reused, not worked out again
    with qtbot.waitSignal(document.analysed):
        document.set_scenario("Later")
    assert document.analysis.result is analysis.results["Later"]
    assert document.analysis.results is analysis.results


def test_a_large_model_is_analysed_in_the_background_and_the_newest_revision_wins(
        qtbot, chain, monkeypatch):
    monkeypatch.setattr(analysis_module, "BACKGROUND_FROM", 1)
    document = Document(chain)
    s1 = chain.enterprises[1]
    for revenue in (21_000.0, 22_000.0, 23_000.0):  # faster than the analysis
        document.set_values([(s1, "revenue", revenue)], "revenue")
    qtbot.waitUntil(lambda: document.analysis.revision == document.revision, timeout=10_000)
    assert document.analysis.model.enterprises[1].revenue == 23_000.0
    fresh = analysis_module.analyse(copy_model(chain), document.scenario, 0)
    assert fresh is not None
    assert document.analysis.result.npv == pytest.approx(fresh.result.npv)


def test_a_background_analysis_waits_while_the_planner_zooms_and_then_publishes(
        qtbot, window, monkeypatch):
    """While the planner works the canvas, a big chain's analysis gives way (it would take
    half the interpreter from the GUI thread); once the canvas is left alone it goes on."""
    monkeypatch.setattr(analysis_module, "BACKGROUND_FROM", 1)
    monkeypatch.setattr(worker_module, "QUIET_S", 3600.0)  # "left alone" not before the end
    document = window.document
    s1 = document.model.enterprises[1]
    viewport = window.canvas.viewport()
    centre = QPointF(viewport.rect().center())
    turn = QWheelEvent(centre, viewport.mapToGlobal(centre), QPoint(), QPoint(0, 120),
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                       Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(viewport, turn)  # the planner turns the wheel over the canvas
    document.set_values([(s1, "revenue", 21_000.0)], "revenue")
    qtbot.waitUntil(lambda: document.analyser.running, timeout=5000)
    qtbot.wait(800)  # the planner is still at the canvas: the analysis waits
    assert document.analysis.revision != document.revision
    monkeypatch.setattr(worker_module, "QUIET_S", 0.0)
    qtbot.waitUntil(lambda: document.analysis.revision == document.revision, timeout=20_000)
    assert document.analysis.model.enterprises[1].revenue == 21_000.0


def test_the_comparisons_draws_wait_while_the_planner_clicks_anywhere(qtbot, window,
                                                                     monkeypatch):
    """The comparison's simulated draws run in the background; a click anywhere in the
    window (here the tab bar, not the canvas) makes them give way, as the analysis does."""
    monkeypatch.setattr(worker_module, "QUIET_S", 3600.0)  # "left alone" not before the end
    monkeypatch.setattr(worker_module, "_last_interaction", [float("-inf")])  # none yet
    qtbot.waitUntil(lambda: window.document.analysis.revision == window.document.revision)
    tabs, compare = window.views.tabBar(), window.comparison
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(2).center())
    assert compare.isVisible() and compare.results  # the rows are shown at once
    qtbot.wait(1500)
    assert compare.risk_pending  # the draws wait while the planner is at the window
    monkeypatch.setattr(worker_module, "QUIET_S", 0.0)
    qtbot.waitUntil(lambda: not compare.risk_pending, timeout=20_000)


def test_leaving_the_comparison_stops_its_draws_and_coming_back_starts_them(qtbot, window,
                                                                           monkeypatch):
    """Draws nobody sees are not worth the planner's time elsewhere: they stop when the tab
    is left, and start again when it is shown."""
    monkeypatch.setattr(worker_module, "QUIET_S", 3600.0)  # they wait at the first click
    monkeypatch.setattr(worker_module, "_last_interaction", [float("-inf")])
    qtbot.waitUntil(lambda: window.document.analysis.revision == window.document.revision)
    tabs, compare = window.views.tabBar(), window.comparison
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(2).center())
    assert compare.risk_pending
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(0).center())
    monkeypatch.setattr(worker_module, "QUIET_S", 0.0)
    qtbot.wait(1500)
    assert compare.risk_pending  # stopped: not finished behind the chain's tab
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(2).center())
    qtbot.waitUntil(lambda: not compare.risk_pending, timeout=20_000)
    assert "…" not in {compare.cell_text(r, 0) for r in range(len(compare.rows))}


def test_hidden_pages_take_in_an_edit_once_the_planner_pauses_and_draw_only_when_shown(
        qtbot, window, monkeypatch):
    """After an edit on the chain's tab, the charts and the comparison (hidden) show its
    figures once the planner has paused, so that their first show only paints; the
    comparison's draws still wait for the tab to be shown."""
    monkeypatch.setattr(worker_module, "QUIET_S", 0.4)
    document, compare, charts = window.document, window.comparison, window.charts
    tabs = window.views.tabBar()
    chain_tab = tabs.tabRect(0).center()
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=chain_tab)
    document.set_values([(p, "capex", 2 * p.capex) for p in document.model.projects], "capex")
    qtbot.waitUntil(lambda: document.analysis.revision == document.revision)
    npv = {r.scenario.name: r.npv for r in document.analysis.all_results}
    cumulative = list(document.analysis.result.cumulative)

    def shown_npv() -> dict[str, float]:
        row = next((r for r in compare.rows if r.kpi.key == "npv"), None)
        return {} if row is None else {r.scenario.name: v for r, v in
                                       zip(compare.results, row.values, strict=True)}

    def charted() -> list[float]:
        return list(charts.chart("cost_benefit").cumulative.getData()[1])  # type: ignore

    for _ in range(6):  # the planner goes on clicking: the hidden pages wait
        qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=chain_tab)
        qtbot.wait(150)
        assert shown_npv() != npv and charted() != pytest.approx(cumulative)
    qtbot.waitUntil(lambda: shown_npv() == pytest.approx(npv)
                    and charted() == pytest.approx(cumulative))
    assert not compare.isVisible() and not charts.isVisible() and compare.risk_pending
    qtbot.wait(600)
    assert compare.risk_pending  # no draws behind the chain's tab
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(2).center())
    qtbot.waitUntil(lambda: not compare.risk_pending, timeout=20_000)


def test_leaving_the_risk_tab_stops_its_tornado_and_coming_back_starts_it(qtbot, window,
                                                                         monkeypatch):
    monkeypatch.setattr(worker_module, "QUIET_S", 3600.0)  # it waits at the first click
    monkeypatch.setattr(worker_module, "_last_interaction", [float("-inf")])
    qtbot.waitUntil(lambda: window.document.analysis.revision == window.document.revision)
    tabs, runs = window.views.tabBar(), window.risk.runs
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(4).center())
    assert window.risk.isVisible() and runs.tornado is None
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(0).center())
    monkeypatch.setattr(worker_module, "QUIET_S", 0.0)
    qtbot.wait(1500)
    assert runs.tornado is None  # stopped: not worked out behind the chain's tab
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(4).center())
    qtbot.waitUntil(lambda: runs.tornado is not None, timeout=20_000)
    assert runs.tornado.tornado.scenario == window.document.scenario


def test_a_background_analysis_gives_way_in_the_middle_of_a_stage_too(qtbot, chain,
                                                                       monkeypatch):
    """Headless code marks the points between its passes over a big table (``give_way``);
    an analysis waits at the next one once the planner works a view, not only at the end
    of its stage (one pass over 300,000 rows holds the interpreter for 0.1 s)."""
    monkeypatch.setattr(analysis_module, "BACKGROUND_FROM", 1)
    monkeypatch.setattr(worker_module, "QUIET_S", 3600.0)  # "left alone" not before the end
    monkeypatch.setattr(worker_module, "_last_interaction", [float("-inf")])  # none yet
    passes: list[int] = []
    analyse = analysis_module.analyse

    def one_long_stage_first(*args, **kwargs):  # as validation's passes over the columns
        for k in range(100):
            give_way()
            passes.append(k)
            time.sleep(0.005)
        return analyse(*args, **kwargs)

    document = Document(chain)
    monkeypatch.setattr(analysis_module, "analyse", one_long_stage_first)
    # an edit of a big chain (here, every chain): analysed again in the background
    document.set_values([(chain.enterprises[1], "revenue", 21_000.0)], "revenue")
    qtbot.waitUntil(lambda: len(passes) >= 3, timeout=5000)
    worker_module.note_interaction()  # the planner turns the wheel over the canvas
    qtbot.wait(100)
    waiting_at = len(passes)
    qtbot.wait(400)
    assert waiting_at < 100 and len(passes) <= waiting_at + 1
    monkeypatch.setattr(worker_module, "QUIET_S", 0.0)
    qtbot.waitUntil(lambda: document.analysis.revision == document.revision, timeout=20_000)
    assert len(passes) == 100 and document.analysis.model.enterprises[1].revenue == 21_000.0


def test_an_edit_made_with_a_shortcut_makes_background_work_give_way(qtbot, window,
                                                                      monkeypatch):
    """Delete reaches the window as a shortcut, never as a key press; it is the planner's
    hand on the window all the same, so a background run waits while the edit is made (at
    100,000 firms a delete sharing the interpreter with it took 2 s, not 0.3)."""
    monkeypatch.setattr(worker_module, "_last_interaction", [float("-inf")])
    quiet_when_edited: list[float] = []
    delete = window.document.delete

    def watched(*args):
        quiet_when_edited.append(worker_module.quiet_for())
        delete(*args)

    monkeypatch.setattr(window.document, "delete", watched)
    window.document.set_selection({"S2"})
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Delete)
    assert "S2" not in {e.id for e in window.document.model.enterprises}
    assert quiet_when_edited and quiet_when_edited[0] < 5


def test_the_collector_stays_paused_until_the_last_section_in_any_thread_ends():
    """A read on one thread and an analysis on another both pause the cyclic collector; the
    first to end must not switch it back on under the other (its young columns would be
    walked again and again, in whichever thread allocates: the GUI thread's pans)."""
    was_on = gc.isenabled()
    gc.enable()
    try:
        inside, leave = threading.Event(), threading.Event()

        def analysis() -> None:
            with paused_gc():
                inside.set()
                leave.wait(5)

        other = threading.Thread(target=analysis)
        with paused_gc():
            other.start()
            inside.wait(5)
        assert not gc.isenabled()  # the analysis is still going
        leave.set()
        other.join(5)
        assert gc.isenabled()
    finally:
        if not was_on:
            gc.disable()


# --- every view says when the model has errors -------------------------------------------------
@pytest.fixture
def window(qtbot, chain):
    from ui.main_window import MainWindow

    QSettings().clear()
    win = MainWindow(Document())
    qtbot.addWidget(win, before_close_func=_discard)
    win.document.reset(chain, None)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    return win


def show_tab(window, panel) -> None:
    """Click the main window's tab that holds ``panel``."""
    tabs = window.views
    index = next(i for i in range(tabs.count())
                 if tabs.widget(i) is panel or tabs.widget(i).isAncestorOf(panel))
    tabs.tabBar().setCurrentIndex(index)


def _discard(win) -> None:
    win.document.undo_stack.setClean()
    win.document.recovered = False


def test_the_inspector_counts_the_chain_by_position_after_each_edit(qtbot, window):
    """With nothing selected the inspector says how many firms are upstream, downstream…;
    deleting a supplier from the table (Delete key) and undoing it change the count."""
    window.document.set_selection(set())

    def upstream() -> int:
        found = re.search(r"upstream (\d+)", window.inspector.summary.text())
        return int(found.group(1)) if found else 0

    before = sum(p.position == "upstream" for p in window.document.analysis.places.values())
    assert upstream() == before > 0
    page = window.tables.pages["enterprises"]
    window.dock_set.docks["tables"].raise_()
    window.tables.setCurrentWidget(page)
    row = next(r for r, e in enumerate(page.model.rows()) if e.role == "supplier"
               and window.document.analysis.places[e.id].position == "upstream")
    page.view.selectRow(page.proxy.mapFromSource(page.model.index(row, 0)).row())
    page.view.setFocus()
    with qtbot.waitSignal(window.document.analysed):
        qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    window.document.set_selection(set())
    assert upstream() < before
    with qtbot.waitSignal(window.document.analysed):
        qtbot.keySequence(window, "Ctrl+Z")
    window.document.set_selection(set())
    assert upstream() == before


def test_deleting_the_core_shows_the_error_in_charts_compare_health_and_inspector(qtbot, window):
    show_tab(window, window.charts)
    assert not window.charts.showing_message
    assert window.charts.grid_box.isVisible()
    # the planner selects the core's row in the Enterprises table and presses Delete
    page = window.tables.pages["enterprises"]
    window.dock_set.docks["tables"].raise_()
    window.tables.setCurrentWidget(page)
    row = next(r for r, e in enumerate(page.model.rows()) if e.role == "core")
    page.view.selectRow(page.proxy.mapFromSource(page.model.index(row, 0)).row())
    page.view.setFocus()
    with qtbot.waitSignal(window.document.analysed):
        qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert window.document.analysis.errors
    assert window.charts.showing_message
    assert not window.charts.grid_box.isVisible()  # no older figures
    assert "errors" in window.charts.message.text() and "Problems" in window.charts.message.text()
    show_tab(window, window.comparison)
    assert window.comparison.showing_message and window.comparison.results == []
    show_tab(window, window.health)
    assert "errors" in window.health.title.text() and window.health.enterprises.count() == 0
    window.document.set_selection(set())
    assert "errors" in window.inspector.summary.text()
    # undo brings the figures back
    with qtbot.waitSignal(window.document.analysed):
        qtbot.keySequence(window, "Ctrl+Z")
    show_tab(window, window.charts)
    assert not window.charts.showing_message and window.charts.grid_box.isVisible()


def test_an_assignment_to_a_missing_project_empties_the_charts(qtbot, chain):
    """An error that an edit outside the app's dialogs can cause (a survey merge)."""
    from ui.charts import ChartsPanel

    document = Document(chain)
    panel = ChartsPanel(document)
    qtbot.addWidget(panel)
    panel.show()
    assert not panel.showing_message
    with qtbot.waitSignal(document.analysed):
        document.add_rows("assignments", [Assignment(scenario="Base", enterprise="S2",
                                                     project="NOPE", start_year=2026)], "bad")
    assert panel.showing_message and not panel.grid_box.isVisible()


def test_only_the_analysis_service_evaluates_or_assesses():
    """Charts, comparison, health panel, slides and report read the published analysis;
    four views that each evaluated on their own disagreed and wasted time."""
    import ast
    from pathlib import Path

    calls = []
    for path in (Path(__file__).resolve().parent.parent / "ui").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in ("evaluate", "evaluate_scenario", "assess", "validate"):
                    calls.append((path.name, name))
    assert {file for file, _ in calls} == {"analysis.py"}, calls


def test_the_analysis_lays_the_chain_out_when_a_view_asks_and_its_tiers_moved():
    """A big chain's canvas asks the analysis (off the GUI thread) for its layout: when its
    own is out of date, or when the tiers found differ from those it is laid out by; the
    firms it shows loose and still detached are left out, like the canvas would."""
    import numpy as np

    from models.validation import places
    from planner.generate import generate
    from planner.layout import layered

    model = generate(300, seed=4)
    loose = model.enterprises[-1].id  # unlinked: detached
    model.links = [lk for lk in model.links if loose not in (lk.supplier, lk.buyer)]
    where = places(model)
    linked = model.links[0].supplier
    request = analysis_module.LayoutRequest(frozenset({loose, linked}), None)
    laid_out = analysis_module.analyse(model, None, 1, layout=request).arrangement
    assert laid_out is not None and laid_out.skip == {loose}  # a linked firm joins its column
    expected = layered(model, where, skip={loose}).positions
    ids = [e.id for e in model.enterprises]
    assert np.isnan(laid_out.xy[ids.index(loose)]).all()
    assert {e_id: tuple(xy) for e_id, xy in zip(ids, laid_out.xy.tolist(), strict=True)
            if e_id != loose} == expected
    assert (laid_out.member[[i for i, e_id in enumerate(ids) if e_id != loose]] >= 0).all()
    same_tiers = analysis_module.LayoutRequest(frozenset({loose}), dict(where))
    assert analysis_module.analyse(model, None, 1, layout=same_tiers).arrangement is None
    moved = {**where, ids[5]: where[loose]}  # drawn by other tiers than those found
    assert analysis_module.analyse(model, None, 1, layout=analysis_module.LayoutRequest(
        frozenset({loose}), moved)).arrangement is not None
    assert analysis_module.analyse(model, None, 1).arrangement is None  # nobody asked
