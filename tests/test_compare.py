"""The scenario comparison: best values marked, differences from a baseline, overlaid lines;
the policy figures (public money by instrument, per SME reaching the target and per new
link, the SMEs' own payback) checked against hand-worked numbers, also from
``chainplan compare``."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from models.chain import Assignment, ChainModel, Enterprise, Park, ParkAssignment, ProjectType
from models.files import load_model, save_model
from planner.cli import main
from planner.compare import POLICY_KEYS, compare_json, policy_figures, policy_kpis
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


def test_on_a_narrow_screen_the_charts_go_under_the_table_whole(qtbot):
    """Five scenarios beside two charts do not fit 1,000 pixels: the charts move under the
    table, side by side, at a readable width; widened, they come back beside it."""
    view = make_view(qtbot, load_model(ROOT / "examples" / "aircraft.xlsx").model)
    view.resize(1000, 650)
    qtbot.waitUntil(lambda: view.cumulative_chart.width() >= 300)
    chart, table = view.cumulative_chart, view.table
    assert chart.mapTo(view, chart.rect().topLeft()).y() >= table.mapTo(view, table.rect(
        ).bottomLeft()).y()
    assert view.connected_chart.mapTo(view, view.connected_chart.rect().topLeft()).x() > \
        chart.mapTo(view, chart.rect().topRight()).x() - 1
    view.resize(1900, 650)
    qtbot.waitUntil(lambda: chart.mapTo(view, chart.rect().topLeft()).x()
                    >= table.mapTo(view, table.rect().topRight()).x())


def test_labels_follow_the_language(qtbot, chain):
    set_language("zh_CN")
    view = make_view(qtbot, three_scenarios(chain))
    assert view.table.verticalHeaderItem(ROW["npv"]).text() == "净现值"
    assert view.difference.text() == "显示与基准的差值"
    assert view.cumulative_chart.getPlotItem().getAxis("left").labelText == "万元"


# --- policy figures, worked by hand ---------------------------------------------------------
def policy_chain(chain: ChainModel) -> ChainModel:
    """The small chain, three years from 2026 at 10 %, three scenarios:

    "Grant": grants by size (S1 medium 20 %, D1 micro 30 %); S1 gets ERP (capex 40, opex
    10, benefit 200 a year from 2027, level 1 -> 2) and PLAT (capex 16, half paid by the
    core; S1 joins the platform in 2027, so link S1 -> C is newly connected and saves 100 a
    year, half to S1); D1 gets PLAT (capex 4; its only link is already connected, so it
    never benefits).
    "Park mix": the Lingang park (S1 and S2) gets a 5G network (capex 100, opex 10, fixed
    benefit 5 x size factor to each member, connects them) paid 60 % by the government,
    20 % by the core; grants only once a firm is at level 2 (事后奖补); SMEs borrow half
    their own capex at 4 % over 2 years with half the interest subsidised; S1 and S2 get ERP.
    "Nothing": no project.
    """
    chain.settings.model_name = "Policy chain"
    chain.parks = [Park(id="Lingang", name="Lingang park", operator="Lingang Dev Co")]
    chain.projects.append(ProjectType(id="P5G", name="Park 5G network", category="infrastructure",
                                      capex=100.0, opex=10.0, benefit_fixed=5.0,
                                      connects_platform=True, scope="park"))
    base = chain.scenarios[0]
    grant = dataclasses.replace(base, name="Grant", horizon=3, discount_rate=0.1, extra={})
    mix = dataclasses.replace(grant, name="Park mix", subsidy_min_level=2, loan_share=0.5,
                              loan_rate=0.04, loan_years=2, interest_subsidy=0.5, extra={})
    nothing = dataclasses.replace(grant, name="Nothing", extra={})
    chain.scenarios = [grant, mix, nothing]
    chain.assignments = [
        Assignment(scenario="Grant", enterprise="S1", project="ERP", start_year=2026),
        Assignment(scenario="Grant", enterprise="S1", project="PLAT", start_year=2026,
                   core_share=0.5),
        Assignment(scenario="Grant", enterprise="D1", project="PLAT", start_year=2026),
        Assignment(scenario="Park mix", enterprise="S1", project="ERP", start_year=2026),
        Assignment(scenario="Park mix", enterprise="S2", project="ERP", start_year=2026),
    ]
    chain.park_assignments = [ParkAssignment(scenario="Park mix", park="Lingang", project="P5G",
                                             start_year=2026, government_share=0.6,
                                             core_share=0.2)]
    return chain


def loan(principal: float, rate: float = 0.04, years: int = 2) -> list[float]:
    """The interest of each instalment of an annuity loan."""
    instalment = principal * rate / (1 - (1 + rate) ** -years)
    interest, balance = [], principal
    for _ in range(years):
        interest.append(balance * rate)
        balance -= instalment - interest[-1]
    return interest


def test_policy_figures_of_a_grant_match_the_hand_worked_numbers(chain):
    model = policy_chain(chain)
    grant = evaluate(model, "Grant")[0]
    figures = policy_figures(grant)
    # grants 20 % of S1's 40 + 16, 30 % of D1's 4, all paid in 2026
    assert figures.public_money == pytest.approx({"capex_subsidy": 12.4, "opex_subsidy": 0.0,
                                                  "interest_subsidy": 0.0, "tax_relief": 0.0,
                                                  "park_projects": 0.0})
    assert figures.government_total == pytest.approx(12.4)
    assert figures.government_pv == pytest.approx(12.4)  # all in the first year
    assert figures.smes_reached == 1  # S1 1 -> 2; S2 was at 2 already, D1 stays at 1
    assert figures.per_sme_reached == pytest.approx(12.4)
    assert figures.links_connected == 1  # S1 -> C; C -> D1 was connected at the start
    assert figures.per_link == pytest.approx(12.4)
    # S1 pays 32 + 6.4 in 2026 and gets 200 + 50 - 10 in 2027; D1 never gets anything back
    assert figures.smes_in_plan == 2
    assert sorted(figures.sme_payback, key=str) == [2027, None]
    assert figures.median_payback == 2027  # the lower middle of two
    assert figures.paying_back_share == 0.5
    assert figures.core_cost == pytest.approx(0.5 * (16 - 3.2))
    assert figures.park_cost == 0.0


def test_policy_figures_follow_each_result_even_when_a_gone_one_left_its_id(chain):
    """Worked out once per result (the charts, comparison and report all ask): a result
    evaluated after an edit gets its own figures, never those of a result gone before."""
    import gc

    model = policy_chain(chain)
    grant = evaluate(model, "Grant")[0]
    assert policy_figures(grant) is policy_figures(grant)
    assert policy_figures(grant).government_total == pytest.approx(12.4)
    doubled = dataclasses.replace(model, scenarios=[  # S1 (medium) gets 40 % of 56; D1 1.2
        dataclasses.replace(s, subsidy_medium=2 * s.subsidy_medium) for s in model.scenarios])
    for _ in range(20):  # a new result may land at a freed one's address
        del grant
        gc.collect()
        grant = evaluate(doubled, "Grant")[0]
        assert policy_figures(grant).government_total == pytest.approx(22.4 + 1.2)


def test_policy_figures_of_a_park_and_a_conditioned_grant_with_loans(chain):
    model = policy_chain(chain)
    mix = evaluate(model, "Park mix")[0]
    figures = policy_figures(mix)
    s1, s2 = loan(20.0), loan(10.0)  # half of S1's 40 and of S2's 20
    interest = [0.0, 0.5 * (s1[0] + s2[0]), 0.5 * (s1[1] + s2[1])]
    # S2 (level 2) is paid 6 at once; S1's 8 waits for level 2 in 2027; park: 60 % of
    # 100 in 2026 and of 10 in 2027 and 2028
    by_year = [6.0 + 60.0, 8.0 + interest[1] + 6.0, interest[2] + 6.0]
    assert figures.public_money == pytest.approx({
        "capex_subsidy": 14.0, "opex_subsidy": 0.0, "interest_subsidy": sum(interest),
        "tax_relief": 0.0, "park_projects": 72.0})
    assert figures.government_total == pytest.approx(sum(by_year))
    assert figures.government_pv == pytest.approx(by_year[0] + by_year[1] / 1.1
                                                  + by_year[2] / 1.21)
    assert figures.smes_reached == 1  # S1; S2 was at level 2 already
    assert figures.per_sme_reached == pytest.approx(sum(by_year))
    assert figures.links_connected == 2  # the park connects S1 and S2: S1 -> C and S2 -> S1
    assert figures.per_link == pytest.approx(sum(by_year) / 2)
    assert figures.smes_in_plan == 2 and figures.sme_payback == [2027, 2027]
    assert figures.median_payback == 2027 and figures.paying_back_share == 1.0
    assert figures.core_cost == pytest.approx(24.0)  # 20 % of 100 + 10 + 10
    assert figures.park_cost == pytest.approx(24.0)  # the operator pays the same 20 %


def test_a_scenario_with_no_project_has_no_cost_per_firm_or_payback(chain):
    model = policy_chain(chain)
    figures = policy_figures(evaluate(model, "Nothing")[0])
    assert figures.government_total == 0.0
    assert figures.per_sme_reached is None and figures.per_link is None
    assert figures.median_payback is None and figures.paying_back_share is None


def test_the_smes_payback_years_are_the_engines_firm_by_firm(chain):
    model = policy_chain(chain)
    for result in evaluate(model):
        figures = policy_figures(result)
        firms = [i for i, e in enumerate(model.enterprises) if e.role != "core"
                 and (e.id in {a.enterprise for a in model.assignments
                               if a.scenario == result.scenario.name}
                      or (e.park and result.scenario.name == "Park mix"))]
        assert figures.sme_payback == [result.firm_payback(i) for i in firms]


def test_policy_rows_follow_the_key_figures_and_mark_the_cheapest(chain):
    model = policy_chain(chain)
    results = evaluate(model)
    rows = comparison_rows(results, 0, "en", policy=True)
    assert [r.kpi.key for r in rows] == [k.key for k in KPIS] + list(POLICY_KEYS)
    by_key = {r.kpi.key: r for r in rows}
    assert by_key["per_sme_reached"].best == {0}  # 12.4 per SME against 87
    assert by_key["per_sme_reached"].text(2) == "—"
    assert by_key["links_connected"].best == {1}
    assert by_key["sme_paying_back"].text(0) == "50.0%"
    assert by_key["sme_median_payback"].text(1) == "2027"
    assert by_key["public_park_projects"].text(1) == "72.0"
    assert comparison_rows(results, 0, "zh_CN", policy=True)[len(KPIS)].label == "财政资金合计"


def test_the_compare_tab_shows_the_policy_rows_with_their_meaning(qtbot, chain):
    model = policy_chain(chain)
    view = make_view(qtbot, model)
    headings = [view.table.verticalHeaderItem(r).text() for r in range(view.table.rowCount())]
    # the key figures, then a heading row, then the policy figures
    assert headings[:len(KPIS)] == [k.en for k in KPIS]
    assert headings[len(KPIS)] == "Public money and firms"
    assert headings[len(KPIS) + 1] == "Public money, total"
    assert "Public money per SME reaching the target" in headings
    row = [r.label for r in view.rows].index("Public money per newly connected link")
    at = view.table_row(row)
    assert headings[at] == "Public money per newly connected link"
    assert view.cell_text(row, 0) == view.table.item(at, 0).text() == "12.4"
    assert view.cell_text(row, 2) == "—"
    assert "newly data-connected links" in view.table.verticalHeaderItem(at).toolTip()
    assert "newly data-connected links" in view.table.item(at, 1).toolTip()
    assert is_marked(view, at, 0) and not is_marked(view, at, 1)  # cheapest per link
    set_language("zh_CN")
    chinese = make_view(qtbot, policy_chain(small_chain_copy()))
    headings = [chinese.table.verticalHeaderItem(r).text()
                for r in range(chinese.table.rowCount())]
    assert "财政资金与企业" in headings
    at = headings.index("每条新互联链接的财政资金")
    assert "新增数据互联链接数" in chinese.table.verticalHeaderItem(at).toolTip()


def small_chain_copy() -> ChainModel:
    from tests.conftest import small_chain

    return small_chain()


def test_chainplan_compare_prints_the_policy_figures_as_text_and_json(chain, tmp_path, capsys):
    path = tmp_path / "policy.json"
    save_model(policy_chain(chain), path)
    assert main(["compare", str(path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Public money per SME reaching the target" in out and "Park mix" in out
    assert main(["compare", str(path), "--json", "--scenarios", "Park mix", "Grant"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in data["scenarios"]] == ["Park mix", "Grant"]
    grant = data["scenarios"][1]
    for key in ("npv", "npv_sme", "connected_share", *POLICY_KEYS):
        assert key in grant["kpis"], key
    assert grant["kpis"]["government_total"] == pytest.approx(12.4)
    assert grant["kpis"]["per_link"] == pytest.approx(12.4)
    assert grant["kpis"]["sme_median_payback"] == 2027
    assert data["scenarios"][0]["public_money"]["park_projects"] == pytest.approx([60, 6, 6])
    meaning = {k["key"]: k for k in data["kpis"]}
    assert meaning["per_sme_reached"]["better"] == "low"
    assert "target level" in meaning["smes_reached"]["definition"]
    assert compare_json(evaluate(policy_chain(small_chain_copy())), "zh_CN")[
        "kpis"][len(KPIS)]["label"] == "财政资金合计"


def test_every_figure_has_a_definition_in_both_languages(chain):
    from planner.compare import definition, risk_kpis

    for kpi in KPIS + policy_kpis() + risk_kpis({}):
        assert definition(kpi.key, "en"), kpi.key
        assert definition(kpi.key, "zh_CN"), kpi.key


def test_a_single_scenario_shows_its_policy_rows_under_their_heading(qtbot, chain):
    view = make_view(qtbot, chain)  # one scenario: no span of one cell (Qt would warn)
    headings = [view.table.verticalHeaderItem(r).text() for r in range(view.table.rowCount())]
    assert headings[len(KPIS)] == "Public money and firms"
    row = [r.label for r in view.rows].index("Public money, total")
    subsidy = float(evaluate(chain)[0].party_cost["government"].sum())
    assert view.cell_text(row, 0) == format_value("amount", subsidy)


# --- how sure: the NPV's P5 and P95 from a seeded simulation --------------------------------
def risk_of(model: ChainModel, draws: int = 300) -> dict[str, dict]:
    """What ``simulate(model, s, draws, seed=0)`` gives each scenario: its NPV statistics
    and its chance of a loss."""
    from planner.simulate import simulate

    out = {}
    for scenario in model.scenarios:
        simulation = simulate(model, scenario.name, draws, seed=0)
        out[scenario.name] = {**simulation.stats("npv"), "loss": simulation.prob_npv_negative}
    return out


def test_chainplan_compare_gives_the_npvs_p5_and_p95_of_a_seeded_simulation(chain, tmp_path,
                                                                            capsys):
    model = policy_chain(chain)
    path = tmp_path / "policy.json"
    save_model(model, path)
    expected = risk_of(load_model(path).model)
    assert expected["Grant"]["p5"] < expected["Grant"]["p95"]  # participation is uncertain
    assert main(["compare", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["risk"] == {"draws": 300, "seed": 0}
    for scenario in data["scenarios"]:
        wanted = expected[scenario["name"]]
        assert scenario["kpis"]["npv_p5"] == wanted["p5"]
        assert scenario["kpis"]["npv_p95"] == wanted["p95"]
        assert scenario["kpis"]["prob_npv_negative"] == wanted["loss"]
    meaning = {k["key"]: k for k in data["kpis"]}
    assert "300 draws, seed 0" in meaning["npv_p5"]["definition"]
    # fewer draws on request, said in the definition; 0 leaves the rows out
    assert main(["compare", str(path), "--json", "--draws", "40"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scenarios"][0]["kpis"]["npv_p5"] == risk_of(model, 40)["Grant"]["p5"]
    assert "40 draws, seed 0" in {k["key"]: k for k in data["kpis"]}["npv_p5"]["definition"]
    assert main(["compare", str(path), "--json", "--draws", "0"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "risk" not in data and "npv_p5" not in data["scenarios"][0]["kpis"]
    assert main(["compare", str(path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "How sure (300 simulated draws, seed 0)" in out
    assert format_value("amount", expected["Grant"]["p95"]) in out.split("NPV, P95")[1]
    assert main(["compare", str(path), "--lang", "zh_CN"]) == 0
    assert "不确定性（300 次模拟，种子 0）" in capsys.readouterr().out


def test_the_compare_tab_fills_the_risk_rows_in_the_background(qtbot, chain):
    view = make_view(qtbot, policy_chain(chain))
    keys = [row.kpi.key for row in view.rows]
    p5, p95, loss = keys.index("npv_p5"), keys.index("npv_p95"), keys.index("prob_npv_negative")
    headings = [view.table.verticalHeaderItem(r).text() for r in range(view.table.rowCount())]
    assert "How sure (300 simulated draws, seed 0)" in headings
    assert [view.cell_text(p5, c) for c in range(3)] == ["…"] * 3  # not yet simulated
    with qtbot.waitSignal(view.risk_ready, timeout=20_000):
        pass
    expected = risk_of(view.document.model)
    names = [r.scenario.name for r in view.results]
    assert [view.cell_text(p5, c) for c in range(3)] == [
        format_value("amount", expected[n]["p5"]) for n in names]
    assert [view.cell_text(p95, c) for c in range(3)] == [
        format_value("amount", expected[n]["p95"]) for n in names]
    assert [view.cell_text(loss, c) for c in range(3)] == [
        format_value("share", expected[n]["loss"]) for n in names]
    # an edit: the old model's figures never stand as the new one's
    grant = view.document.model.scenario("Grant")
    view.document.set_values([(grant, "participation_aware", 0.2)], "fewer take part")
    with qtbot.waitSignal(view.refreshed):
        view.document.analyse_now()
    assert view.cell_text(p95, 0) == "…"
    with qtbot.waitSignal(view.risk_ready, timeout=20_000):
        pass
    assert view.cell_text(p5, 0) == format_value("amount",
                                                 risk_of(view.document.model)["Grant"]["p5"])
    view.wait()


def test_the_risk_rows_say_in_chinese_what_they_are(qtbot, chain):
    set_language("zh_CN")
    view = make_view(qtbot, policy_chain(chain))
    with qtbot.waitSignal(view.risk_ready, timeout=20_000):
        pass
    labels = [view.table.verticalHeaderItem(r).text() for r in range(view.table.rowCount())]
    assert "不确定性（300 次模拟，种子 0）" in labels and "净现值 P5（模拟）" in labels
    row = [r.kpi.key for r in view.rows].index("npv_p5")
    assert "300 次抽样" in view.table.verticalHeaderItem(view.table_row(row)).toolTip()
    view.wait()
