"""The report's content (planner/report.py): what a consultant reads, built without Qt, in the
language asked for; scenarios summarised by project and by tier, every assignment in the
appendix, the charts' series exactly the engine's numbers; each scenario's policy in plain
words, its public money by instrument and year, per-firm figures and park projects checked
against hand-worked numbers."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from models.chain import Assignment, ChainModel, Enterprise
from models.files import load_model
from planner.engine import evaluate
from planner.report import (
    ChainPicture,
    Contents,
    Figures,
    Heading,
    ReportError,
    Table,
    build_report,
    policy_sentences,
)
from tests.test_compare import policy_chain

ROOT = Path(__file__).resolve().parent.parent


def tables_under(report, heading: str, after: str = "") -> list[Table]:
    """The tables of the section under ``heading`` (up to the next heading of its level),
    the first such heading after the heading ``after``."""
    blocks = report.blocks
    begin = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == after) \
        if after else 0
    start = next(i for i, b in enumerate(blocks)
                 if i > begin and isinstance(b, Heading) and b.text == heading)
    level = blocks[start].level
    found = []
    for block in blocks[start + 1:]:
        if isinstance(block, Heading) and block.level <= level:
            break
        if isinstance(block, Table):
            found.append(block)
    return found


def figures_of(report, scenario: str) -> dict:
    blocks = report.blocks
    start = next(i for i, b in enumerate(blocks)
                 if isinstance(b, Heading) and b.text == f"Charts: {scenario}")
    figures = next(b for b in blocks[start:] if isinstance(b, Figures))
    return {chart.key: chart for chart in figures.charts}


def test_the_report_has_its_chapters_in_order_and_the_contents(chain):
    report = build_report(chain, "en")
    assert report.chapters() == ["The chain", "Scenario: Base", "Scenario comparison",
                                 "Assumptions", "Appendix: every assignment"]
    assert any(isinstance(b, Contents) for b in report.blocks)
    assert report.title == "Small chain"
    assert report.page_text.format(2, 9) == "Page 2 of 9"
    text = report.text()
    for title in ("Chain digitalisation plan", "At a glance", "Enterprises by position, tier and "
                  "size", "Digital levels at the start", "Enterprises by industrial park",
                  "Key figures: Base", "Charts: Base", "Assignments: Base", "By project",
                  "By position and tier", "Key figures of every scenario", "Scenarios over time",
                  "How the numbers are worked out", "Project catalogue", "Sources",
                  "Scenario rules", "Settings", "Benefit-cost ratio", "Data islands (end)"):
        assert title in text, title


def test_the_report_is_in_the_language_asked_for_with_no_global_switched(chain):
    english = build_report(chain, "en").text()
    chinese = build_report(chain, "zh_CN")
    assert chinese.chapters()[:3] == ["产业链概况", "情景：Base", "情景比较"]
    text = chinese.text()
    for words in ("产业链数字化转型规划", "概览", "按位置、层级与规模的企业数", "按项目",
                  "按位置与层级", "净现值", "上游第 1 层", "逐年成本与效益", "附录：分配明细"):
        assert words in text, words
    assert chinese.page_text.format(1, 3) == "第 1 页，共 3 页"
    assert build_report(chain, "en").text() == english  # nothing left switched behind


def test_bilingual_names_show_the_half_in_the_reports_language():
    model = load_model(ROOT / "examples" / "vehicles.xlsx").model
    picture = {lang: next(b for b in build_report(model, lang).blocks
                          if isinstance(b, ChainPicture)) for lang in ("en", "zh_CN")}
    core = next(i for i, e in enumerate(model.enterprises) if e.role == "core")
    assert picture["en"].nodes[core].label == "Zhixing Auto"
    assert picture["zh_CN"].nodes[core].label == "智行汽车"
    assert len(picture["en"].nodes) == len(model.enterprises)
    assert len(picture["en"].edges) == len(model.links)


def test_a_scenario_is_summarised_by_project_and_by_tier_with_the_engines_totals(chain):
    report = build_report(chain, "en")
    result = evaluate(chain)[0]
    by_project, by_place = tables_under(report, "Assignments: Base")
    rows = {row[0].text: [c.text for c in row] for row in by_project.rows}
    assert rows["ERP"][2:4] == ["1", "1"] and rows["PLAT"][2:4] == ["1", "1"]
    assert rows["Total"][2] == "2"
    capex = float(result.trace.capex[result.trace.in_horizon].sum())
    assert rows["Total"][4] == f"{capex:,.1f}"
    places = {row[0].text: [c.text for c in row] for row in by_place.rows}
    assert places["Upstream tier 1"][1:3] == ["2", "1"]  # two projects on S1
    assert places["Total"][3] == f"{capex:,.1f}"


def test_every_assignment_is_in_the_appendix_and_only_there():
    model = load_model(ROOT / "examples" / "vehicles.xlsx").model
    report = build_report(model, "en")
    for scenario in model.scenarios:
        count = sum(a.scenario == scenario.name for a in model.assignments)
        section = tables_under(report, f"Scenario: {scenario.name}")
        assert all(len(t.rows) <= 20 for t in section), "a raw list in the scenario's chapter"
        if count:
            (listing,) = tables_under(report, f"Assignments: {scenario.name}",
                                      "Appendix: every assignment")
            assert len(listing.rows) == count


def test_charts_hold_the_engines_series_with_their_kinds(chain):
    chain.scenarios[0].horizon = 6
    report = build_report(chain, "en")
    result = evaluate(chain)[0]
    charts = figures_of(report, "Base")
    assert list(charts) == ["cost_benefit", "party_cost", "coverage", "islands",
                            "group_position_tier", "maturity", "group_park", "group_size"]
    cost, benefit, net = charts["cost_benefit"].series
    assert np.allclose(cost.values, result.cost) and np.allclose(net.values, result.cumulative)
    assert net.kind == "line" and cost.kind == benefit.kind == "bar"
    assert charts["cost_benefit"].categories == tuple(str(y) for y in result.years)
    if result.payback_year is not None:
        index, label = charts["cost_benefit"].marker
        assert charts["cost_benefit"].categories[index] == str(result.payback_year)
        assert label == f"Payback {result.payback_year}"
    stacked = sum(np.array(s.values, float) for s in charts["party_cost"].series)
    assert np.allclose(stacked, result.cost)
    assert charts["islands"].kind == charts["maturity"].kind == "count"
    assert charts["coverage"].kind == "percent" and charts["coverage"].axis == "%"
    assert charts["group_park"].horizontal  # long park names: bars across
    assert charts["group_position_tier"].categories == ("U2", "U1", "D1")


def test_a_model_with_errors_is_refused_with_what_to_fix(chain):
    chain.enterprises.append(Enterprise(id="C2", name="Second core", role="core", size="large"))
    with pytest.raises(ReportError, match="errors"):
        build_report(chain, "en")


def test_given_results_are_used_as_they_are(chain):
    """The app hands over its analysis' results: the report shows exactly those."""
    results = evaluate(chain)
    fake = dataclasses.replace(results[0], cost=results[0].cost * 0 + 7.0)
    report = build_report(chain, "en", results=[fake])
    assert set(figures_of(report, "Base")["cost_benefit"].series[0].values) == {7.0}


def test_a_chain_without_scenarios_or_assignments_still_reports(chain: ChainModel):
    chain.assignments = []
    report = build_report(chain, "en")
    assert "No project is assigned in this scenario." in report.text()
    assert "Appendix: every assignment" not in report.chapters()
    chain.scenarios = []
    report = build_report(chain, "en")
    assert "The model has no scenario yet." in report.text()


def test_a_long_plan_lists_the_first_assignments_and_says_where_the_rest_are(chain, monkeypatch):
    import planner.report

    monkeypatch.setattr(planner.report, "APPENDIX_ROWS", 1)
    chain.assignments.append(Assignment(scenario="Base", enterprise="S2", project="PLAT",
                                        start_year=2027))
    text = build_report(chain, "en").text()
    assert "The first 1 of 3 assignments" in text


def test_building_the_content_imports_no_qt():
    code = ("import sys; from planner.report import build_report; "
            "from tests.conftest import small_chain; build_report(small_chain(), 'zh_CN'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'pyqtgraph', 'ui')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


# --- the policy section ---------------------------------------------------------------------
def policy_sentences_of(chain: ChainModel, lang: str = "en", **fields) -> list[str]:
    scenario = dataclasses.replace(chain.scenarios[0], **fields)
    return policy_sentences(chain, scenario, lang, "10k CNY" if lang == "en" else "万元")


def test_each_instrument_is_said_in_plain_words_in_both_languages(chain):
    none = {"subsidy_micro": 0.0, "subsidy_small": 0.0, "subsidy_medium": 0.0,
            "subsidy_large": 0.0}
    assert policy_sentences_of(chain, **none) == [
        "No public support: no grants, subsidies, loans, tax relief or park projects."]
    assert policy_sentences_of(chain, "zh_CN", **none) == [
        "无政策支持：没有补贴、贷款、税收减免或园区项目。"]
    assert policy_sentences_of(chain, subsidy_micro=0.3, subsidy_small=0.3, subsidy_medium=0.2,
                               subsidy_large=0.0, subsidy_cap=50.0) == [
        "Grants of 30 % of capex for micro and small firms; 20 % of capex for medium firms, "
        "at most 50.0 10k CNY per firm."]
    gated = policy_sentences_of(chain, **{**none, "subsidy_small": 0.3}, subsidy_min_level=2)
    assert gated == ["Grants of 30 % of capex for small firms, paid only once a firm reaches "
                     "level 2 (事后奖补: a claim waits until then and lapses if the level is not "
                     "reached within the horizon)."]
    assert policy_sentences_of(chain, "zh_CN", **{**none, "subsidy_small": 0.3},
                               subsidy_min_level=2) == [
        "投资补贴：政府承担小型企业投资额的 30%，企业达到 2 级后才兑现（事后奖补：此前产生的补贴顺延"
        "发放，规划期内未达标则不发放）。"]
    assert policy_sentences_of(chain, **none, opex_subsidy=0.5, opex_subsidy_years=3) == [
        "Running-cost subsidy: the government pays 50 % of an SME's opex in the first 3 years "
        "after go-live."]
    assert policy_sentences_of(chain, **none, opex_subsidy=0.5, subsidy_ownership=(
        "private", "soe")) == [
        "Running-cost subsidy: the government pays 50 % of an SME's opex in the first 3 years "
        "after go-live.",
        "Only private and state-owned firms receive grants, running-cost subsidies and interest "
        "subsidies."]
    assert policy_sentences_of(chain, "zh_CN", **none, opex_subsidy=0.5,
                               subsidy_ownership=("private",))[1] == \
        "只有民营企业可获得投资补贴、运维补贴和贷款贴息。"
    assert policy_sentences_of(chain, **none, loan_share=0.5, loan_rate=0.04, loan_years=3,
                               interest_subsidy=0.5) == [
        "Loans for 50 % of an SME's own capex at 4 % a year over 3 years (equal annual "
        "instalments), with 50 % of the interest paid by the government (贷款贴息)."]
    assert policy_sentences_of(chain, "zh_CN", **none, loan_share=0.5, loan_rate=0.04,
                               loan_years=3, interest_subsidy=0.5) == [
        "贷款：中小企业自付投资的 50% 由银行贷款，年利率 4%，分 3 年等额还款；政府承担 50% 的利息"
        "（贷款贴息）。"]
    assert "no loans are taken" in policy_sentences_of(chain, **none, interest_subsidy=0.5)[0]
    assert policy_sentences_of(chain, **none, tax_relief_rate=0.25) == [
        "Tax relief: 25 % of each firm's own digital spending (capex and opex) comes back as "
        "lower tax (e.g. 研发费用加计扣除, the R&D super-deduction)."]
    assert policy_sentences_of(chain, "zh_CN", **none, tax_relief_rate=0.25) == [
        "税收减免：企业自身数字化支出（投资与运维费）的 25% 以减税形式返还（如研发费用加计扣除）。"]


def test_park_projects_are_said_with_who_pays_and_how_many_members(chain):
    model = policy_chain(chain)
    mix = model.scenario("Park mix")
    english = policy_sentences(model, mix, "en", "10k CNY")
    assert english[-1] == ("Park project Park 5G network (P5G) in Lingang park from 2026: 60 % "
                           "paid by the government, 20 % by the core, 20 % by the park "
                           "operator; it serves 2 member firms.")
    assert english[0].startswith("Grants of 30 % of capex for micro and small firms; 20 % of "
                                 "capex for medium firms, paid only once a firm reaches level 2")
    assert english[1].startswith("Loans for 50 % of an SME's own capex at 4 % a year over 2 "
                                 "years")
    chinese = policy_sentences(model, mix, "zh_CN", "万元")
    assert chinese[-1] == ("园区项目：Lingang park的Park 5G network (P5G)，2026 年开始；政府分担 60%，"
                           "核心企业 20%，园区运营方 20%；惠及 2 家成员企业。")


def test_the_policy_section_holds_the_hand_worked_public_money_and_park_split(chain):
    model = policy_chain(chain)
    report = build_report(model, "en")
    assert report.chapters()[1:4] == ["Scenario: Grant", "Scenario: Park mix",
                                      "Scenario: Nothing"]
    money, firms, parks = tables_under(report, "Policy: Park mix")
    assert money.header == ("Year", "Capex\ngrants", "Interest\nsubsidy", "Park\nprojects",
                            "Total")
    cells = [[c.text for c in row] for row in money.rows]
    # S2's grant of 6 at once, S1's 8 once it is at level 2 in 2027; 60 % of the park's 100
    # and of its opex of 10; half the interest of 4 % on 20 and on 10
    interest_2027 = 0.5 * (0.04 * 20 + 0.04 * 10)
    assert cells[0] == ["2026", "6.0", "0.0", "60.0", "66.0"]
    assert cells[1][:2] == ["2027", "8.0"] and cells[1][2] == f"{interest_2027:,.1f}"
    assert cells[3][0] == "Total" and cells[3][1] == "14.0" and cells[3][3] == "72.0"
    figures = {row[i].text: row[i + 1].text for row in firms.rows for i in (0, 2) if row[i].text}
    assert figures["SMEs reaching the target level"] == "1"
    assert figures["Newly data-connected links"] == "2"
    assert figures["SMEs with a project"] == "2"
    assert figures["SME payback year (median)"] == "2027"
    assert figures["SMEs paying back within the horizon"] == "100.0%"
    assert figures["Cost, park operators"] == "24.0"
    (park,) = parks.rows
    assert [c.text for c in park] == ["Lingang park", "P5G Park 5G network", "2026", "100.0",
                                      "10.0", "120.0", "72.0", "24.0", "24.0", "2"]
    text = report.text()
    assert "Members of Lingang park (2): Tier-1 Supplier and Tier-2 Machining" in text
    # a scenario without park projects has no park table, one without money says so
    assert len(tables_under(report, "Policy: Grant")) == 2
    assert "The government pays nothing in this scenario." in text


def test_the_policy_charts_stack_the_instruments_and_count_the_smes_by_payback_year(chain):
    model = policy_chain(chain)
    report = build_report(model, "en")
    blocks = report.blocks
    start = next(i for i, b in enumerate(blocks)
                 if isinstance(b, Heading) and b.text == "Policy: Grant")
    charts = {c.key: c for c in next(b for b in blocks[start:] if isinstance(b, Figures)).charts}
    (grants,) = charts["public_money"].series
    assert grants.kind == "stack" and grants.values == pytest.approx((12.4, 0.0, 0.0))
    payback = charts["sme_payback"]
    assert payback.categories == ("2026", "2027", "2028", "Not within")
    assert payback.series[0].values == (0.0, 1.0, 0.0, 1.0)  # S1 in 2027, D1 never


def test_the_comparison_shows_the_policy_figures_and_what_each_means(chain):
    model = policy_chain(chain)
    for lang, label, meaning in (("en", "Public money per SME reaching the target",
                                  "What the figures mean"),
                                 ("zh_CN", "每家新达标中小企业的财政资金", "指标含义")):
        report = build_report(model, lang)
        heading = "Key figures of every scenario" if lang == "en" else "各情景关键指标"
        (table,) = tables_under(report, heading)
        rows = {row[0].text: [c.text for c in row[1:]] for row in table.rows}
        assert rows[label][0] == "12.4" and rows[label][2] == "—"
        (definitions,) = tables_under(report, meaning)
        assert label in {row[0].text for row in definitions.rows}
    report = build_report(model, "zh_CN")
    assert "政策：Park mix" in report.text() and "按政策工具与年份的财政资金" in report.text()


def blocks_under(report, heading: str) -> list:
    """The blocks under ``heading`` up to the next heading of its level or above."""
    blocks = report.blocks
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == heading)
    found = []
    for block in blocks[start + 1:]:
        if isinstance(block, Heading) and block.level <= blocks[start].level:
            break
        found.append(block)
    return found


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_each_scenario_says_how_sure_its_numbers_are_from_a_seeded_simulation(chain, lang):
    from planner.report import RISK_DRAWS, format_value, percent
    from planner.sensitivity import tornado
    from planner.simulate import simulate

    model = policy_chain(chain)
    report = build_report(model, lang)
    simulation = simulate(model, "Grant", RISK_DRAWS, seed=0)
    npv = simulation.stats("npv")
    assert npv["p5"] < npv["p95"]
    heading = "How sure: Grant" if lang == "en" else "不确定性：Grant"
    blocks = blocks_under(report, heading)
    words = " ".join(b.text for b in blocks if hasattr(b, "text"))
    for value in (npv["p5"], npv["p95"], npv["p50"], simulation.deterministic_npv):
        assert format_value("amount", value) in words
    assert percent(simulation.prob_npv_negative, lang) in words
    assert ("In 90 % of 1,000 simulated draws" if lang == "en" else "在 1,000 次模拟抽样中") \
        in words
    assert ("(seed 0)" if lang == "en" else "（种子 0）") in words
    charts = {c.key: c for b in blocks if isinstance(b, Figures) for c in b.charts}
    assert set(charts) == {"risk_histogram", "risk_fan", "risk_tornado", "risk_participation"}
    histogram = charts["risk_histogram"]
    assert sum(histogram.series[0].values) == RISK_DRAWS
    assert [text.split()[0] for _, text in histogram.markers] == ["P5", "P50", "P95"]
    assert [text.split()[1] for _, text in histogram.markers] == [
        format_value("amount", npv[k]) for k in ("p5", "p50", "p95")]
    band = charts["risk_fan"].series[0]
    assert band.values == pytest.approx(np.percentile(simulation.connected_share * 100, 5, 0))
    assert band.upper == pytest.approx(np.percentile(simulation.connected_share * 100, 95, 0))
    sensitivity = tornado(model, "Grant", 0.2)
    moving = [r for r in sensitivity.rows if r.npv_high != r.npv_low]
    bars = charts["risk_tornado"].series
    assert bars[0].values == pytest.approx([r.npv_low - sensitivity.npv for r in moving[:8]])
    assert bars[1].values == pytest.approx([r.npv_high - sensitivity.npv for r in moving[:8]])
    took = {k: share for k, (n, share) in simulation.participation_by_awareness.items() if n}
    assert charts["risk_participation"].series[1].values == pytest.approx(
        [took[k] * 100 for k in ("very_familiar", "aware", "heard_of", "unaware") if k in took])


def test_a_scenario_without_uncertainty_says_so_without_charts(chain):
    report = build_report(policy_chain(chain), "en")
    blocks = blocks_under(report, "How sure: Nothing")
    words = " ".join(b.text for b in blocks if hasattr(b, "text"))
    assert "Every one of the 1,000 simulated draws gives the same NPV, 0.0" in words
    assert not [b for b in blocks if isinstance(b, Figures)]
