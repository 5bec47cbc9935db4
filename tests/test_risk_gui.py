"""The Risk tab: the simulation runs in the background from the tab's controls, its
histogram marks the simulation's own percentiles, Cancel leaves no result shown as
current, and an edit (typed in a table, or undone with Ctrl+Z) marks a result stale."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from examples import example_path
from models.files import load_model
from tests.conftest import small_chain
from tests.field_values import type_text
from ui.document import Document
from ui.i18n import set_language
from ui.risk import MAX_DRAWS, RiskPanel, RiskRuns


def _finish(document: Document) -> None:
    runs = RiskRuns.of(document)
    runs.cancel()
    runs.wait()


@pytest.fixture
def document():
    document = Document(small_chain())
    yield document
    _finish(document)


@pytest.fixture
def panel(qtbot, document):
    set_language("en")
    panel = RiskPanel(document)
    qtbot.addWidget(panel)
    panel.resize(1300, 900)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def set_spin(qtbot, spin, value: int) -> None:
    """Replace a spin box's number by typing, as a planner does."""
    spin.setFocus()
    spin.selectAll()
    type_text(qtbot, spin.lineEdit(), str(value))
    qtbot.keyClick(spin, Qt.Key.Key_Tab)
    assert spin.value() == value


def run(qtbot, panel: RiskPanel, timeout: int = 60_000) -> None:
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.runs.running, timeout=timeout)
    assert panel.result_current, panel.banner.text()


def test_a_run_marks_the_simulations_p5_p50_p95_on_the_histogram(qtbot, panel, document):
    from planner.simulate import simulate

    set_spin(qtbot, panel.draws, 300)
    set_spin(qtbot, panel.seed, 7)
    assert not panel.result_current and panel.results.isHidden()
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    assert not panel.run_button.isEnabled() or not panel.runs.running  # no second run
    qtbot.waitUntil(lambda: not panel.runs.running, timeout=60_000)
    assert panel.result_current and panel.results.isVisible()
    simulation = panel.runs.result.simulation
    assert (simulation.scenario, simulation.draws, simulation.seed) == ("Base", 300, 7)
    stats = simulation.stats("npv")
    for key, name in (("p5", "P5"), ("p50", "P50"), ("p95", "P95")):
        marker = panel.histogram.markers[key]
        assert marker.isVisible()
        assert marker.value() == pytest.approx(stats[key])
        assert marker.label.format.startswith(name + " ")
    # the same seed and draws give the same figures as the command line's simulation
    again = simulate(document.model, "Base", draws=300, seed=7).stats("npv")
    assert [again[k] for k in ("p5", "p50", "p95")] == pytest.approx(
        [stats[k] for k in ("p5", "p50", "p95")])
    assert f"{simulation.prob_npv_negative * 100:.1f}%" in panel.histogram.getPlotItem() \
        .titleLabel.text
    # every draw is counted once in the histogram
    assert int(panel.histogram.counts.sum()) == 300
    # the fan chart has a band per year of the horizon, the participation chart a bar per class
    years = list(simulation.years)
    assert list(panel.fan.series["P5"][0]) == years
    assert (panel.fan.series["P5"][1] <= panel.fan.series["P95"][1] + 1e-9).all()
    assert panel.participation.labels  # awareness classes with their counts


def test_cancel_stops_a_long_run_and_shows_no_result_as_current(qtbot):
    document = Document(load_model(example_path("vehicles.xlsx")).model)
    set_language("en")
    panel = RiskPanel(document)
    qtbot.addWidget(panel)
    panel.show()
    try:
        set_spin(qtbot, panel.draws, MAX_DRAWS)
        with qtbot.waitSignal(panel.runs.progress, timeout=60_000):
            qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
        assert panel.progress.isVisible() and panel.cancel_button.isEnabled()
        assert not panel.run_button.isEnabled()
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not panel.runs.running, timeout=60_000)
        assert panel.runs.cancelled and panel.runs.result is None
        assert not panel.result_current and panel.results.isHidden()
        assert panel.run_button.isEnabled() and not panel.progress.isVisible()
        assert "Cancelled" in panel.status.text()
    finally:
        _finish(document)


def test_moving_a_node_keeps_the_result_but_another_scenario_marks_it_stale(qtbot, panel,
                                                                            document):
    from dataclasses import replace

    document.add_scenario(replace(document.model.scenarios[0], name="Other"),
                          copy_from="Base")
    document.set_scenario("Base")
    set_spin(qtbot, panel.draws, 100)
    run(qtbot, panel)
    document.move_enterprises({"S1": (10.0, 20.0)})  # a drag on the canvas: same numbers
    assert panel.result_current and panel.banner.isHidden()
    document.set_scenario("Other")
    assert panel.scenario_label.text() == "Scenario: Other"
    assert not panel.result_current and panel.results.stale
    assert "“Base”" in panel.banner.text()
    document.set_scenario("Base")
    assert panel.result_current and not panel.results.stale


def test_a_model_with_errors_is_not_simulated_and_the_tab_says_why(qtbot, panel, document):
    document.set_values([(document.model.projects[0], "capex", -5.0)], "capex")
    document.wait_for_analysis()
    assert document.analysis.errors
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    assert not panel.runs.running and panel.runs.result is None
    assert panel.banner.isVisible() and "errors" in panel.banner.text()
    assert panel.results.isHidden() and panel.run_button.isEnabled()


@pytest.fixture
def window(qtbot):
    from ui.main_window import MainWindow

    set_language("en")
    QSettings().clear()
    win = MainWindow(Document(small_chain()))

    def discard(w) -> None:
        _finish(w.document)
        w.document.undo_stack.setClean()
        w.document.recovered = False

    qtbot.addWidget(win, before_close_func=discard)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    yield win
    set_language("en")


def show_risk_tab(qtbot, win) -> RiskPanel:
    bar = win.views.tabBar()
    index = win.views.indexOf(win.risk)
    assert bar.tabText(index) in ("Risk", "风险")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert win.views.currentWidget() is win.risk
    return win.risk


def type_capex(qtbot, win, row: int, text: str) -> None:
    tables = win.dock_set.tables
    page = tables.pages["projects"]
    tables.setCurrentWidget(page)
    index = page.proxy.mapFromSource(page.model.index(row, page.model.column_of("capex")))
    page.view.scrollTo(index)
    page.view.setCurrentIndex(index)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_F2)
    editor = page.view.indexWidget(index)
    assert editor is not None
    editor.selectAll()
    type_text(qtbot, editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: page.view.indexWidget(page.view.currentIndex()) is None)


def test_a_typed_capex_or_ctrl_z_marks_the_result_stale_and_the_tornado_follows(qtbot,
                                                                                 window):
    panel = show_risk_tab(qtbot, window)
    document = window.document
    set_spin(qtbot, panel.draws, 100)
    run(qtbot, panel)
    assert panel.banner.isHidden()
    # the tornado of the current model, by itself, its rows named with the project's name
    qtbot.waitUntil(lambda: panel.runs.tornado is not None and not panel.runs.tornado_stale)
    assert "ERP Cloud ERP: capex" in panel.tornado.names
    before = panel.runs.tornado.tornado.npv

    type_capex(qtbot, window, 0, "200")
    assert document.model.projects[0].capex == 200
    assert not panel.result_current and panel.results.stale
    assert panel.banner.isVisible()
    assert panel.banner.text() == ("Results are for the model before your last change — "
                                   "Run again.")
    assert panel.results.isVisible()  # still there to read, under the veil
    qtbot.waitUntil(lambda: not panel.runs.tornado_stale)
    assert panel.runs.tornado.tornado.npv < before  # recomputed for the dearer ERP

    run(qtbot, panel)
    assert panel.banner.isHidden() and not panel.results.stale
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert document.model.projects[0].capex == 20
    assert not panel.result_current and panel.banner.isVisible()


def test_switching_language_keeps_the_result_and_shows_it_in_chinese(qtbot, window):
    panel = show_risk_tab(qtbot, window)
    set_spin(qtbot, panel.draws, 100)
    run(qtbot, panel)
    simulation = panel.runs.result.simulation
    window.language_actions["zh_CN"].trigger()
    panel = window.risk
    assert window.views.currentWidget() is panel
    assert window.views.tabText(window.views.indexOf(panel)) == "风险"
    assert panel.run_button.text() == "运行模拟"
    assert panel.result_current and panel.runs.result.simulation is simulation
    assert "次模拟的净现值" in panel.histogram.getPlotItem().titleLabel.text
    assert panel.histogram.markers["p50"].value() == pytest.approx(
        simulation.stats("npv")["p50"])
    assert panel.table.item(0, 0).text() == "净现值"
    assert panel.histogram.getPlotItem().getAxis("bottom").labelText == "万元"
