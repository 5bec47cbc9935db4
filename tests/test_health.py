"""The digital health check (SPEC §7): the indicator data, scoring, levels, gap, projects, JSON."""

from __future__ import annotations

import json

import pytest
from conftest import small_chain

from examples import example_path
from models.chain import Assessment, Assignment, ChainModel, Enterprise, ProjectType, Scenario
from models.files import load_model
from models.indicators import default_indicator_set, load_indicator_set
from planner.health import (
    ANNUALISATION_YEARS,
    assess,
    assess_json,
    fitting_projects,
    score,
)

IND = default_indicator_set()
CONSTRAINED = [s.key for s in IND.scenarios if s.constrained]
OTHERS = [s.key for s in IND.scenarios if not s.constrained]


def read(key: str, value: object) -> object:
    item = IND.item(key)
    assert item is not None
    return item.read(value)


# --- the data file --------------------------------------------------------------------------

def test_indicator_set_has_the_official_structure_and_a_source_everywhere():
    assert {d.key: d.max for d in IND.dimensions} == {"foundation": 50, "management": 30,
                                                       "results": 20}
    for d in IND.dimensions:
        assert sum(i.max for i in IND.items if i.dimension == d.key) == d.max
    assert [i.max for i in IND.items] == [8, 6, 6, 10, 10, 5, 5, 7.5, 7.5, 7.5, 7.5, 7, 7, 3, 3]
    assert all(i.source and "56号" in i.source for i in IND.items)
    assert [s.name_zh for s in IND.scenarios] == [
        "产品设计", "工艺设计", "营销管理", "售后服务", "计划排程", "生产管控", "质量管理", "设备管理",
        "安全生产", "能耗管理", "采购管理", "仓储物流", "财务管理", "人力资源", "协同办公", "决策支持"]
    assert len(CONSTRAINED) >= 6
    assert [(r.level, r.min_base, r.scenario_level, r.min_scenarios, r.min_constrained)
            for r in IND.levels] == [(4, 80, 4, 10, 6), (3, 60, 3, 8, 5), (2, 40, 2, 6, 3)]
    assert IND.version and IND.source and IND.levels_source
    for item in IND.items:
        if item.type == "single":
            assert max(o.points for o in item.options) == item.max
        elif item.type == "multiple":
            assert sum(o.points for o in item.options) >= item.max
        else:
            assert item.bins[0].points == item.max


def test_a_corrected_indicator_file_changes_the_points_without_code(tmp_path):
    from importlib.resources import files

    data = json.loads((files("planner") / "data" / "miit_2024_manufacturing.json")
                      .read_text(encoding="utf-8"))
    network = next(i for i in data["items"] if i["key"] == "network")
    next(o for o in network["options"] if o["key"] == "plant")["points"] = 6
    path = tmp_path / "corrected.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    corrected = load_indicator_set(path)
    assert score({"network": "plant"}, indicators=corrected).base_score == 6
    assert score({"network": "plant"}).base_score == 5


# --- scoring --------------------------------------------------------------------------------

def full_sheet() -> dict[str, object]:
    return {
        "network": read("network", "生产区域网络覆盖"),  # plant: 5
        "equipment_digitised": read("equipment_digitised", 0.65),  # ≥ 0.6: 4.5
        "equipment_networked": read("equipment_networked", "35%"),  # ≥ 0.2: 1.5
        "data_collection": read("data_collection",  # 11 areas, 1 each, capped at 10
                                "rd_design, production_planning, production_operations, "
                                "quality_inspection, equipment_maintenance, energy, "
                                "safety_environment, purchasing, warehousing, logistics, sales"),
        "system_coverage": read("system_coverage", "ERP、MES;wms，bi"),  # 4
        "network_security": read("network_security", "firewall, 等级保护备案"),  # 1 + 1.5
        "data_security": read("data_security", "backup; response"),  # 1.5 + 0.5
        "planning": "written",  # 5
        "management_rules": "none",  # 0
        "talent": read("talent", "A Dedicated Team"),  # 5 (English label, any case)
        "funding": 0.02,  # ≥ 0.015: 5
        "energy": 0.12,  # ≥ 0.10: 7
        "pass_rate": 0.0,  # below every bin: 0
        "revenue_per_employee": 0.05,  # ≥ 0.05: 2
        "cost_per_100": -0.01,  # worse: 0
    }


def test_a_full_answer_sheet_scores_the_hand_worked_points():
    result = score(full_sheet())
    assert result.item_points == {
        "network": 5, "equipment_digitised": 4.5, "equipment_networked": 1.5,
        "data_collection": 10, "system_coverage": 4, "network_security": 2.5,
        "data_security": 2, "planning": 5, "management_rules": 0, "talent": 5, "funding": 5,
        "energy": 7, "pass_rate": 0, "revenue_per_employee": 2, "cost_per_100": 0}
    # foundation 5+4.5+1.5+10+4+2.5+2 = 29.5; management 5+0+5+5 = 15; results 7+0+2+0 = 9
    assert result.by_dimension == {"foundation": 29.5, "management": 15, "results": 9}
    assert result.base_score == 53.5
    assert result.level == 1  # no scenario grades at all


def test_unanswered_items_score_zero_and_a_perfect_sheet_scores_100():
    assert score({}).base_score == 0
    perfect = {}
    for item in IND.items:
        if item.type == "single":
            perfect[item.key] = max(item.options, key=lambda o: o.points).key
        elif item.type == "multiple":
            perfect[item.key] = tuple(o.key for o in item.options)
        else:
            perfect[item.key] = item.bins[0].min
    top = {s.key: 4 for s in IND.scenarios}
    result = score(perfect, top)
    assert result.base_score == 100
    assert result.level == 4
    assert result.gap is None


def grades(constrained: int, others: int, grade: int, rest: int = 0) -> dict[str, int]:
    chosen = set(CONSTRAINED[:constrained] + OTHERS[:others])
    return {s.key: grade if s.key in chosen else rest for s in IND.scenarios}


@pytest.mark.parametrize(("base", "scenarios", "level"), [
    (80, grades(6, 4, 4), 4),
    (79.5, grades(6, 4, 4), 3),  # base just short of 80: the level-3 rule still holds
    (80, grades(5, 5, 4), 3),  # 10 at level 4 but only 5 constrained
    (80, grades(6, 3, 4), 3),  # 9 at level 4
    (60, grades(5, 3, 3), 3),
    (59.5, grades(5, 3, 3), 2),
    (60, grades(4, 4, 3), 2),  # 4 constrained at ≥ 3
    (60, grades(5, 2, 3), 2),  # 7 at ≥ 3
    (40, grades(3, 3, 2), 2),
    (39.5, grades(3, 3, 2), 1),
    (40, grades(2, 4, 2), 1),  # 2 constrained at ≥ 2
    (40, grades(3, 2, 2), 1),  # 5 at ≥ 2
    (100, grades(0, 0, 0), 1),
])
def test_each_level_threshold_boundary(base, scenarios, level):
    assert IND.level(base, scenarios) == level


def test_score_uses_the_thresholds_top_level_first():
    answers = full_sheet()  # 53.5 points
    assert score(answers, grades(8, 8, 4)).level == 2  # grades of level 4, base of level 2


def test_the_gap_names_the_items_and_the_fewest_scenarios_to_raise():
    scenarios = {"product_design": 3, "process_design": 2, "planning_scheduling": 2,
                 "marketing": 2, "finance": 2, "safety": 2, "quality": 1, "decision_support": 1}
    result = score(full_sheet(), scenarios)
    assert result.level == 2
    gap = result.gap
    assert gap is not None
    assert gap.next_level == 3
    assert gap.base_needed == 6.5  # 60 − 53.5
    # 1 scenario at ≥ 3 (constrained): 7 more needed, 4 of them constrained
    assert (gap.scenarios_short, gap.constrained_short) == (7, 4)
    assert [(s.key, s.current, s.target) for s in gap.scenarios] == [
        ("process_design", 2, 3), ("planning_scheduling", 2, 3), ("marketing", 2, 3),
        ("safety", 2, 3), ("finance", 2, 3), ("quality", 1, 3), ("production_control", 0, 3)]
    assert sum(s.constrained for s in gap.scenarios) == 4
    # items below their maximum, most points first, the set's order on ties
    assert [(i.key, i.could_add) for i in gap.items] == [
        ("management_rules", 7.5), ("pass_rate", 7), ("system_coverage", 6),
        ("equipment_networked", 4.5), ("network", 3), ("data_security", 3), ("cost_per_100", 3),
        ("network_security", 2.5), ("planning", 2.5), ("talent", 2.5), ("funding", 2.5),
        ("equipment_digitised", 1.5), ("revenue_per_employee", 1)]
    records = gap.as_list()
    assert records[0] == {"kind": "base", "next_level": 3, "min": 60, "needed": 6.5}
    assert records[1] == {"kind": "scenario_count", "next_level": 3, "grade": 3, "needed": 7,
                          "constrained_needed": 4}
    assert {r["kind"] for r in records} == {"base", "scenario_count", "item", "scenario"}


# --- fitting projects -----------------------------------------------------------------------

def project_model() -> ChainModel:
    model = ChainModel()
    model.enterprises = [
        Enterprise(id="C", name="Core", role="core", size="large"),
        Enterprise(id="S1", name="Small one", role="supplier", size="small", revenue=1000.0,
                   maturity=2)]
    model.projects = [
        # benefit 0.01·1000 + 2 = 12; cost 10/5 + 1 = 3 → 4.0
        ProjectType(id="A", name="A", category="management", capex=10, opex=1,
                    benefit_rate=0.01, benefit_fixed=2),
        # benefit 5; cost 50/5 = 10 → 0.5
        ProjectType(id="B", name="B", category="management", capex=50, benefit_fixed=5),
        # benefit 0.002·1000 + 4 = 6; cost 2 → 3.0
        ProjectType(id="C2", name="C2", category="management", opex=2, benefit_rate=0.002,
                    benefit_fixed=4),
        ProjectType(id="D", name="too advanced", category="operations", min_maturity=3,
                    benefit_fixed=100),
        ProjectType(id="E", name="for bigger firms", category="operations",
                    eligible_sizes=("medium", "large"), benefit_fixed=100),
        # requires A; benefit 1, cost 5/5 = 1 → 1.0
        ProjectType(id="F", name="F", category="operations", capex=5, benefit_fixed=1,
                    requires="A"),
        # free and useful: ratio None, ranked first
        ProjectType(id="G", name="G", category="security", benefit_fixed=1),
    ]
    model.scenarios = [Scenario(name="S", start_year=2026)]
    model.assignments = [Assignment(scenario="S", enterprise="S1", project="A",
                                    start_year=2026)]
    return model


def test_fitting_projects_are_ranked_by_the_hand_computed_ratio():
    assert ANNUALISATION_YEARS == 5
    model = project_model()
    fits = fitting_projects(model, "S1", level=2)
    assert [(f.project, f.ratio) for f in fits] == [("G", None), ("A", 4.0), ("C2", 3.0),
                                                    ("B", 0.5)]
    assert (fits[1].annual_benefit, fits[1].annual_cost) == (12, 3)


def test_requires_is_met_by_an_assignment_in_the_given_scenario():
    fits = fitting_projects(project_model(), "S1", level=2, scenario="S")
    # A is planned already in S, so it drops out and F (requires A) fits
    assert [(f.project, f.ratio) for f in fits] == [("G", None), ("C2", 3.0), ("F", 1.0),
                                                    ("B", 0.5)]


def test_min_maturity_follows_the_assessed_level():
    assert "D" in {f.project for f in fitting_projects(project_model(), "S1", level=3)}


# --- the chain ------------------------------------------------------------------------------

def assessed_chain() -> ChainModel:
    model = small_chain()
    level2 = grades(3, 3, 2)
    model.assessments = [
        Assessment(enterprise="S2", date="2024-03-01", answers={}, scenarios={}),
        Assessment(enterprise="S2", date="2025-03-01", answers=full_sheet(), scenarios=level2),
        Assessment(enterprise="D1", date="2025-01-10", answers={"network": "office"}),
    ]
    return model


def test_assess_json_has_the_shape_of_spec_7():
    data = assess_json(assessed_chain(), scenario="Base")
    json.dumps(data)  # plain JSON
    assert set(data) >= {"enterprises", "distribution"}
    assert [e["id"] for e in data["enterprises"]] == ["S2", "D1"]
    s2 = data["enterprises"][0]
    assert set(s2) >= {"id", "level", "score", "by_dimension", "gap", "date", "scenarios",
                       "fitting_projects"}
    assert (s2["level"], s2["score"], s2["date"]) == (2, 53.5, "2025-03-01")  # the latest
    assert s2["by_dimension"] == {"foundation": 29.5, "management": 15, "results": 9}
    assert len(s2["scenarios"]) == 16
    assert s2["gap"][0]["kind"] == "base"
    assert [f["id"] for f in s2["fitting_projects"]] == ["ERP", "PLAT"]  # MES: not for small
    dist = data["distribution"]
    assert (dist["assessed"], dist["unassessed"]) == (2, 2)
    assert dist["total"] == {"1": 1, "2": 1, "3": 0, "4": 0}
    assert set(dist["by"]) == {"position", "tier", "size", "ownership", "park"}
    assert dist["by"]["position"] == {"upstream": {"1": 0, "2": 1, "3": 0, "4": 0},
                                      "downstream": {"1": 1, "2": 0, "3": 0, "4": 0}}
    assert dist["by"]["tier"]["2"]["2"] == 1


def test_the_examples_health_check_matches_their_maturity():
    loaded = load_model(example_path("aircraft.xlsx"))
    health = assess(loaded.model)
    smes = [e for e in loaded.model.enterprises if e.role != "core"]
    assert len(health.enterprises) > len(smes) / 2  # most SMEs are assessed
    assert all(row.result.level == row.maturity for row in health.enterprises)
    assert len({row.result.level for row in health.enterprises}) >= 2
