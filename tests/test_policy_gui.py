"""The Policy panel and the public money view, driven like a planner: typing into the
panel's editors, picking the level condition, ticking ownerships, undo and redo, a
language switch; and the park operators in the party chart."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from pytest import approx

from models.chain import Park, ParkAssignment, ProjectType, Scenario
from ui.charts import ChartsPanel
from ui.document import Document
from ui.i18n import set_language
from ui.policy import PolicyPanel


@pytest.fixture
def views(qtbot, chain):
    """The Policy panel and the charts of one document, side by side."""
    document = Document(chain)
    policy = PolicyPanel(document)
    charts = ChartsPanel(document)
    for widget in (policy, charts):
        qtbot.addWidget(widget)
        widget.show()
    charts.resize(1000, 1400)
    return document, policy, charts


def type_into(qtbot, editor, text: str) -> None:
    """Select what the editor shows, type ``text`` and press Enter, as a planner would."""
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def public(charts: ChartsPanel, label: str) -> np.ndarray:
    return charts.chart("public_money").series[label][1]


def settle(document: Document) -> None:
    document.wait_for_analysis()


def test_typing_a_running_cost_subsidy_in_percent_stores_a_share_and_moves_public_money(
        qtbot, views):
    document, policy, charts = views
    assert public(charts, "Running-cost subsidy").sum() == 0
    steps = document.undo_stack.count()
    type_into(qtbot, policy.editors["opex_subsidy"], "30%")
    settle(document)
    assert document.current_scenario().opex_subsidy == approx(0.3)
    assert document.undo_stack.count() == steps + 1  # one undo step
    assert policy.editors["opex_subsidy"].text() == "30%"
    shown = public(charts, "Running-cost subsidy")
    result = document.analysis.result
    assert shown.sum() > 0
    assert np.allclose(shown, result.public_money()["opex_subsidy"])
    assert charts.public_table.value("Running-cost subsidy") == f"{shown.sum():,.1f}"


def test_a_value_out_of_range_is_refused_and_said(qtbot, views):
    document, policy, _ = views
    steps = document.undo_stack.count()
    type_into(qtbot, policy.editors["loan_share"], "150%")
    assert document.undo_stack.count() == steps
    assert document.current_scenario().loan_share == 0.0
    assert policy.problem.isVisible() and "Share financed by loan" in policy.problem.text()


def test_the_level_condition_defers_the_grant_until_the_level_is_reached(qtbot, views):
    document, policy, charts = views
    result = document.analysis.result
    years = list(result.years)
    before = public(charts, "Capex grants")
    assert before[0] > 0  # paid in 2026, when S1 starts
    # S1 starts at level 1; its ERP (live 2027) lifts it to 2: a level-2 condition waits
    policy.level.setFocus()
    qtbot.keyClick(policy.level, Qt.Key.Key_Down)  # None -> Level 1
    qtbot.keyClick(policy.level, Qt.Key.Key_Down)  # -> Level 2
    settle(document)
    assert document.current_scenario().subsidy_min_level == 2
    after = public(charts, "Capex grants")
    live = int(np.flatnonzero(document.analysis.result.maturity[1] >= 2)[0])
    assert after[0] == 0 and after[live] == approx(before.sum())
    assert years[live] > years[0]


def test_ticking_ownerships_targets_the_subsidy_and_none_ticked_means_all(qtbot, views):
    document, policy, charts = views
    granted = public(charts, "Capex grants").sum()
    assert granted > 0
    soe = policy.ownerships["soe"]
    qtbot.mouseClick(soe, Qt.MouseButton.LeftButton)
    settle(document)
    assert document.current_scenario().subsidy_ownership == ("soe",)
    assert public(charts, "Capex grants").sum() == 0  # S1 is of other ownership
    qtbot.mouseClick(policy.ownerships["other"], Qt.MouseButton.LeftButton)
    settle(document)
    assert document.current_scenario().subsidy_ownership == ("soe", "other")
    assert public(charts, "Capex grants").sum() == approx(granted)
    for value in ("soe", "other"):
        qtbot.mouseClick(policy.ownerships[value], Qt.MouseButton.LeftButton)
    settle(document)
    assert document.current_scenario().subsidy_ownership == ()


def test_undo_and_redo_show_in_the_panel(qtbot, views):
    document, policy, _ = views
    type_into(qtbot, policy.editors["tax_relief_rate"], "25 %")
    assert policy.editors["tax_relief_rate"].text() == "25%"
    document.undo_stack.undo()
    assert document.current_scenario().tax_relief_rate == 0.0
    assert policy.editors["tax_relief_rate"].text() == "0%"
    document.undo_stack.redo()
    assert policy.editors["tax_relief_rate"].text() == "25%"


def test_the_tax_helper_multiplies_super_deduction_by_income_tax(qtbot, views):
    document, policy, _ = views
    helper = policy.tax_helper
    type_into(qtbot, helper.income_tax, "15%")  # a high-tech firm's rate
    assert helper.use.text() == "Use 15%"
    qtbot.mouseClick(helper.use, Qt.MouseButton.LeftButton)
    assert document.current_scenario().tax_relief_rate == approx(0.15)
    assert policy.editors["tax_relief_rate"].text() == "15%"


def test_the_panel_follows_scenario_switches_and_renames(qtbot, views):
    document, policy, _ = views
    document.add_scenario(Scenario(name="Loans", start_year=2026, loan_share=0.5,
                                   subsidy_min_level=2, subsidy_ownership=("private",)))
    assert "Loans" in policy.heading.text()
    assert policy.editors["loan_share"].text() == "50%"
    assert policy.level.currentData() == 2 and policy.ownerships["private"].isChecked()
    document.rename_scenario("Loans", "Loans and grants")
    assert "Loans and grants" in policy.heading.text()
    type_into(qtbot, policy.editors["loan_years"], "5")
    assert document.model.scenario("Loans and grants").loan_years == 5
    assert document.model.scenario("Base").loan_years == 3
    document.set_scenario("Base")
    assert policy.editors["loan_share"].text() == "0%" and policy.level.currentData() is None


def test_the_panel_follows_a_new_model(qtbot, views, chain):
    document, policy, _ = views
    chain.scenarios[0].opex_subsidy = 0.4
    document.reset(chain, None)
    assert policy.editors["opex_subsidy"].text() == "40%"


def test_public_money_says_none_reached_when_no_sme_reaches_the_target(qtbot, views):
    document, _, charts = views
    scenario = document.current_scenario()
    document.set_values([(scenario, "target_level", 4)], "target 4")
    settle(document)
    assert charts.public_table.value("Per SME reaching level 4") == "none reached"


def test_a_language_switch_keeps_the_panel_usable(qtbot):
    from tests.conftest import small_chain
    from ui.app import use_qt_translations
    from ui.main_window import MainWindow

    window = MainWindow(Document(small_chain()), restore_state=False)
    # closing never asks to save the edits made here
    qtbot.addWidget(window, before_close_func=lambda w: w.document.undo_stack.setClean())
    window.show()
    try:
        window.switch_language("zh_CN")
        policy = window.dock_set.policy
        assert "政策" in policy.heading.text()
        assert window.docks["policy"].windowTitle() == "政策"
        type_into(qtbot, policy.editors["opex_subsidy"], "20%")
        assert window.document.current_scenario().opex_subsidy == approx(0.2)
        assert policy.ownerships["private"].text() == "民营"
    finally:
        use_qt_translations("en")
        set_language("en")


def with_a_park_project(model):
    model.parks = [Park(id="Lingang", name="Lingang New Area")]
    model.projects.append(ProjectType(id="P5G", name="Park 5G", category="infrastructure",
                                      capex=50.0, opex=4.0, scope="park"))
    model.park_assignments = [ParkAssignment(scenario="Base", park="Lingang", project="P5G",
                                             start_year=2026, government_share=0.4)]
    return model


def test_the_park_operators_join_the_party_chart_when_a_park_has_a_project(qtbot, chain):
    document = Document(chain)
    charts = ChartsPanel(document)
    qtbot.addWidget(charts)
    party = charts.chart("party_cost")
    assert "Park operators" not in party.series
    assert "Park operators" not in [name for _, name in party.legend_entries()]
    document.reset(with_a_park_project(chain), None)
    settle(document)
    result = document.analysis.result
    assert np.allclose(party.series["Park operators"][1], result.party_cost["park"])
    assert party.series["Park operators"][1][0] == approx(0.6 * 50.0)
    assert "Park operators" in [name for _, name in party.legend_entries()]
    # the government's share shows in public money as park projects
    assert np.allclose(public(charts, "Park projects"), result.park_government)
    assert public(charts, "Park projects")[0] == approx(0.4 * 50.0)
