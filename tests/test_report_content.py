"""The report's content (planner/report.py): what a consultant reads, built without Qt, in the
language asked for; scenarios summarised by project and by tier, every assignment in the
appendix, the charts' series exactly the engine's numbers."""

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
)

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
