"""The scenario comparison: best values marked, differences from a baseline, overlaid lines."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from models.chain import Assignment, ChainModel, Enterprise
from models.files import load_model
from planner.engine import evaluate
from planner.kpis import KPIS, format_value
from ui.compare import BEST_BACKGROUND, ComparisonView, comparison_rows, format_difference
from ui.document import Document
from ui.i18n import set_language

ROOT = Path(__file__).resolve().parent.parent
ROW = {kpi.key: i for i, kpi in enumerate(KPIS)}


@pytest.fixture(autouse=True)
def _english():
    set_language("en")
    yield
    set_language("en")


def three_scenarios(chain: ChainModel) -> ChainModel:
    """Base; "Subsidised": Base's plan with half of a medium firm's capex paid by the
    government; "Nothing": no assignment at all."""
    base = chain.scenarios[0]
    chain.scenarios.append(dataclasses.replace(base, name="Subsidised", subsidy_medium=0.5,
                                               extra={}))
    chain.scenarios.append(dataclasses.replace(base, name="Nothing", extra={}))
    chain.assignments += [dataclasses.replace(a, scenario="Subsidised", extra={})
                          for a in chain.assignments if a.scenario == "Base"]
    return chain


def make_view(qtbot, model: ChainModel) -> ComparisonView:
    document = Document(model)
    view = ComparisonView(document)
    qtbot.addWidget(view)
    view.resize(1100, 650)
    with qtbot.waitSignal(view.refreshed):
        view.show()
    return view


def is_marked(view: ComparisonView, row: int, column: int) -> bool:
    item = view.table.item(row, column)
    return item.font().bold() and item.background().color() == QColor(BEST_BACKGROUND)


def test_comparison_marks_the_best_value_of_each_row(qtbot, chain):
    view = make_view(qtbot, three_scenarios(chain))
    assert [view.table.horizontalHeaderItem(c).text() for c in range(3)] == \
        ["Base", "Subsidised", "Nothing"]
    assert [view.table.verticalHeaderItem(r).text() for r in range(len(KPIS))] == \
        [k.en for k in KPIS]
    best = view.best_cells()
    # the subsidy moves cost from the SMEs to the government: SMEs best off in "Subsidised",
    # the government in "Nothing", which spends nothing at all
    assert (ROW["npv_sme"], 1) in best
    assert {c for r, c in best if r == ROW["npv_sme"]} == {1}
    assert {c for r, c in best if r == ROW["npv_government"]} == {2}
    assert {c for r, c in best if r == ROW["cost"]} == {2}
    # the same plan connects S1 in both: a tie is best twice; no rule for capex, no marks
    assert {c for r, c in best if r == ROW["connected_share"]} == {0, 1}
    assert not any(r == ROW["capex"] for r, _ in best)
    for r in range(len(KPIS)):
        for c in range(3):
            assert is_marked(view, r, c) == ((r, c) in best), (KPIS[r].key, c)


def test_a_better_subsidy_wins_the_smes_npv_and_is_shown_bold(qtbot, chain):
    view = make_view(qtbot, three_scenarios(chain))
    values = [view.table.item(ROW["npv_sme"], c).data(Qt.ItemDataRole.UserRole)
              for c in range(3)]
    assert values[1] > values[0]
    assert view.table.item(ROW["npv_sme"], 1).font().bold()
    assert not view.table.item(ROW["npv_sme"], 0).font().bold()


def test_differences_from_the_baseline_are_value_minus_baseline(qtbot, chain):
    model = three_scenarios(chain)
    view = make_view(qtbot, model)
    results = evaluate(model)
    with qtbot.waitSignal(view.baseline_changed) as signal:
        view.set_baseline("Nothing")
    assert signal.args == ["Nothing"]
    view.set_show_differences(True)
    assert view.difference.isChecked()
    for r, kpi in enumerate(KPIS):
        base = kpi.value(results[2])
        for c, result in enumerate(results):
            value = kpi.value(result)
            expected = None if value is None or base is None else value - base
            shown = view.rows[r].differences[c]
            if expected is None:
                assert shown is None
            else:
                assert shown == pytest.approx(expected)
            text = view.cell_text(r, c)
            if c == 2:  # the baseline's own column keeps its values
                assert text == format_value(kpi.kind, value)
            else:
                assert text == format_difference(kpi.kind, expected)
    # e.g. the total cost of Base over doing nothing is Base's whole cost, signed
    base_cost = float(results[0].cost.sum())
    assert view.cell_text(ROW["cost"], 0) == f"+{base_cost:,.1f}"
    assert "(baseline)" in view.table.horizontalHeaderItem(2).text()
    view.set_show_differences(False)
    assert view.cell_text(ROW["cost"], 0) == format_value("amount", base_cost)


def test_difference_texts_use_the_kpis_units():
    assert format_difference("share", 0.123) == "+12.3 pp"
    assert format_difference("share", -0.05) == "-5.0 pp"
    assert format_difference("amount", 1234.56) == "+1,234.6"
    assert format_difference("amount", -0.01) == "0.0"
    assert format_difference("ratio", 0.5) == "+0.50"
    assert format_difference("year", -1) == "-1"
    assert format_difference("count", 0) == "0"
    assert format_difference("amount", None) == "—"


def test_comparison_rows_take_the_baseline_by_name_or_column(chain):
    model = three_scenarios(chain)
    results = evaluate(model)
    by_name = comparison_rows(results, "Subsidised", "zh_CN")
    by_column = comparison_rows(results, 1, "zh_CN")
    assert [r.differences for r in by_name] == [r.differences for r in by_column]
    assert by_name[ROW["npv"]].label == "净现值"
    capex = float(results[1].capex.sum())
    assert by_name[ROW["capex"]].differences == [0.0, 0.0, -capex]  # the same plan, then none
    assert all(d is None for r in comparison_rows(results, None) for d in r.differences)


def test_overlaid_lines_hold_the_engines_yearly_arrays(qtbot, chain):
    model = three_scenarios(chain)
    model.scenarios[2].horizon = 3  # lines of different lengths
    view = make_view(qtbot, model)
    results = evaluate(model)
    cumulative, connected = view.cumulative_chart, view.connected_chart
    assert len(cumulative.lines) == len(connected.lines) == 3
    for i, result in enumerate(results):
        x, y = cumulative.lines[i].getData()
        np.testing.assert_array_equal(x, result.years)
        np.testing.assert_allclose(y, result.cumulative)
        x, y = connected.line(result.scenario.name).getData()
        np.testing.assert_array_equal(x, result.years)
        np.testing.assert_allclose(y, result.connected_share * 100)
    pens = [line.opts["pen"] for line in cumulative.lines]
    assert len({p.color().name() for p in pens}) == 3  # a colour per scenario
    assert len({p.style() for p in pens}) == 3  # and a line style, for grey print
    assert [label.text for _, label in cumulative.legend.items] == ["Base", "Subsidised",
                                                                    "Nothing"]
    assert cumulative.getPlotItem().getAxis("left").labelText == "10k CNY"


def test_a_model_with_errors_shows_a_message_instead(qtbot, chain):
    chain.enterprises.append(Enterprise(id="C2", name="Second core", role="core", size="large"))
    view = make_view(qtbot, chain)
    assert view.showing_message
    assert "errors" in view.message.text()
    assert view.results == [] and view.best_cells() == set()


def test_the_view_follows_edits_and_evaluates_only_when_shown(qtbot, chain):
    model = three_scenarios(chain)
    view = make_view(qtbot, model)
    document = view.document
    view.hide()
    scenario = model.scenario("Subsidised")
    before = view.rows[ROW["subsidy"]].values[1]
    document.set_values([(scenario, "subsidy_medium", 0.9)], "more subsidy")
    document.analyse_now()
    assert view.rows[ROW["subsidy"]].values[1] == before  # hidden: nothing computed yet
    with qtbot.waitSignal(view.refreshed):
        view.show()
    assert view.rows[ROW["subsidy"]].values[1] > before
    # an added assignment shows up while the view is visible
    document.add_rows("assignments", [Assignment(scenario="Nothing", enterprise="S2",
                                                 project="PLAT", start_year=2026)], "add")
    with qtbot.waitSignal(view.refreshed):
        document.analyse_now()
    assert view.rows[ROW["capex"]].values[2] > 0


def test_double_clicking_a_scenario_makes_it_current(qtbot, chain):
    view = make_view(qtbot, three_scenarios(chain))
    with qtbot.waitSignal(view.document.scenario_changed):
        view.table.horizontalHeader().sectionDoubleClicked.emit(1)
    assert view.document.scenario == "Subsidised"
    assert view.table.horizontalHeaderItem(1).font().bold()


def test_the_vehicles_example_marks_the_subsidised_plan_best_for_npv(qtbot):
    model = load_model(ROOT / "examples" / "vehicles.xlsx").model
    view = make_view(qtbot, model)
    names = [r.scenario.name for r in view.results]
    assert names == [s.name for s in model.scenarios]
    npv = KPIS[ROW["npv"]]
    values = [npv.value(r) for r in view.results]
    assert {c for r, c in view.best_cells() if r == ROW["npv"]} == {int(np.argmax(values))}


def test_labels_follow_the_language(qtbot, chain):
    set_language("zh_CN")
    view = make_view(qtbot, three_scenarios(chain))
    assert view.table.verticalHeaderItem(ROW["npv"]).text() == "净现值"
    assert view.difference.text() == "显示与基准的差值"
    assert view.cumulative_chart.getPlotItem().getAxis("left").labelText == "万元"
