"""Charts show exactly the engine's numbers, follow the year, and export as images."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from ui.charts import ChartsPanel, export_chart
from ui.document import Document


@pytest.fixture
def panel(qtbot, chain):
    document = Document(chain)
    widget = ChartsPanel(document)
    qtbot.addWidget(widget)
    widget.resize(1000, 1200)
    widget.show()
    return widget


def test_bars_and_lines_hold_the_engine_numbers(panel):
    result = panel.document.analysis.result
    chart = panel.chart("cost_benefit")
    assert np.array_equal(chart.cost.opts["height"], result.cost)
    assert np.array_equal(chart.benefit.opts["height"], result.benefit)
    x, y = chart.cumulative.getData()
    assert list(x) == list(result.years) and np.allclose(y, result.cumulative)
    assert chart.payback.value() == result.payback_year
    party = panel.chart("party_cost")
    stacked = sum(bar.opts["height"] for bar in party.bars.values())
    assert np.allclose(stacked, result.cost)
    coverage = panel.chart("coverage")
    _, connected = coverage.lines["connected_share"].getData()
    assert np.allclose(connected, result.connected_share * 100, equal_nan=True)
    islands = panel.chart("islands")
    assert list(islands.bars.opts["height"]) == list(result.islands)


def test_group_charts_follow_the_year(panel):
    document = panel.document
    result = document.analysis.result
    chart = panel.chart("group_position_tier")
    document.set_year(int(result.years[0]))
    first = chart.series[next(iter(chart.series))][1].copy()
    document.set_year(int(result.years[-1]))
    last = chart.series[next(iter(chart.series))][1]
    expected = [m["connected_share"][-1] * 100 for m in result.by_group["position_tier"].values()]
    assert np.allclose(last, expected, equal_nan=True)
    assert chart.labels == ["U2", "U1", "D1"]
    assert not np.allclose(first, last, equal_nan=True)  # S1 connects in 2027


def test_hover_read_out_gives_exact_values(panel):
    text = panel.chart("cost_benefit").describe(2026)
    result = panel.document.analysis.result
    assert text.startswith("2026") and f"{result.cost[0]:,.1f}" in text


def test_maturity_chart_counts_smes_at_start_and_end(panel):
    chart = panel.chart("maturity")
    start, end = chart.start.opts["height"], chart.end.opts["height"]
    assert start.sum() == end.sum() == 3  # S1, S2 and D1; the core is left out
    assert list(start) == [2, 1, 0, 0]  # S1 and D1 at level 1, S2 at level 2


def test_clicking_a_cost_bar_year_asks_for_its_trace(panel, qtbot):
    chart = panel.chart("cost_benefit")
    with qtbot.waitSignal(panel.year_clicked) as blocker:
        chart.year_clicked.emit(2026)
    assert blocker.args == [2026]
    rows = panel.document.analysis.result.trace.for_year(0)
    assert {panel.document.model.assignments[r["assignment"]].project for r in rows} == {
        "ERP", "PLAT"}


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_export_writes_a_valid_image(panel, tmp_path, suffix):
    from PySide6.QtGui import QImage

    path = tmp_path / f"chart.{suffix}"
    export_chart(panel.chart("coverage"), str(path), width=900)
    data = path.read_bytes()
    if suffix == "png":
        image = QImage(str(path))
        assert image.width() == 900 and image.height() > 100
        assert len({image.pixel(x, y) for x in range(0, 900, 30)
                    for y in range(0, image.height(), 30)}) > 3
    else:
        assert data.lstrip().startswith(b"<?xml") and b"<svg" in data and b"polyline" in data


def test_legends_sit_below_the_plot_never_over_the_data(panel):
    for chart in panel.charts:
        item = chart.getPlotItem()
        plot = item.vb.sceneBoundingRect()
        legend = chart.legend.sceneBoundingRect()
        assert legend.top() >= plot.bottom() - 1, chart.key


def test_the_payback_label_clears_every_bar(panel):
    chart = panel.chart("cost_benefit")
    result = panel.document.analysis.result
    assert result.payback_year is not None and chart.payback.isVisible()
    label = chart.payback.label.sceneBoundingRect()
    vb = chart.getPlotItem().vb
    top = max(float(result.cost.max()), float(result.benefit.max()),
              float(result.cumulative.max()))
    highest = vb.mapViewToScene(QPointF(float(result.years[0]), top)).y()
    assert label.bottom() <= highest + 1  # the label sits in the headroom above them


def test_counts_get_whole_number_ticks(panel, qtbot):
    for key in ("islands", "maturity"):
        chart = panel.chart(key)
        axis = chart.getPlotItem().getAxis("left")
        low, high = chart.getPlotItem().vb.viewRange()[1]
        for level in axis.tickValues(low, high, axis.height()):
            spacing, values = level
            assert float(spacing).is_integer(), (key, spacing)
            assert all(float(v).is_integer() for v in values), (key, values)


def test_an_exported_chart_never_shows_the_hover_read_out(panel, tmp_path):
    chart = panel.chart("cost_benefit")
    chart.readout.setText("2026\nCost: 1.0")
    chart.readout.show()  # as if the mouse were over it
    path = tmp_path / "chart.svg"
    export_chart(chart, str(path))
    assert "Cost: 1.0" not in path.read_text(encoding="utf-8")
    assert chart.readout.isVisible()  # back as it was on screen


def test_the_park_chart_lays_its_long_names_down_the_left(panel):
    chart = panel.chart("group_park")
    assert chart.horizontal
    ticks = chart.getPlotItem().getAxis("left")._tickLevels[0]
    assert [name for _, name in ticks] == chart.labels == ["No park", "Lingang"]
    assert chart.getPlotItem().vb.yInverted()
