"""The digital health check: the indicator data, scoring, levels, gap, projects, JSON."""

from __future__ import annotations

import json

import pytest
from conftest import small_chain

from examples import example_path
from models.chain import Assessment, Assignment, ChainModel, Enterprise, ProjectType, Scenario
from models.files import load_model
from models.indicators import default_indicator_set, load_indicator_set
from models.schema import CoerceError
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

def test_indicator_set_is_the_2024_table_with_a_source_everywhere():
    assert {d.key: d.max for d in IND.dimensions} == {"foundation": 50, "management": 30,
                                                       "results": 20}
    for d in IND.dimensions:
        assert sum(i.max for i in IND.items if i.dimension == d.key) == d.max
        assert sum(g.max for g in IND.groups if g.dimension == d.key) == d.max
    assert {g.name_zh: g.max for g in IND.groups} == {
        "设备系统": 20, "数据采集": 10, "信息系统": 10, "信息安全": 10, "规划管理": 15, "要素保障": 15,
        "绿色低碳": 7, "产品质量": 7, "市场效益": 6}
    for g in IND.groups:
        assert sum(i.max for i in IND.items if i.group == g.key) == g.max
    assert [i.max for i in IND.items] == [8, 6, 6, 10, 10, 5, 5, 7.5, 7.5, 7.5, 7.5, 7, 7, 3, 3]
    assert all(i.source and "56号" in i.source for i in IND.items)
    assert [s.name_zh for s in IND.scenarios] == [
        "产品设计", "工艺设计", "营销管理", "售后服务", "计划排程", "生产管控", "质量管理", "设备管理",
        "安全生产", "能耗管理", "采购管理", "仓储物流", "财务管理", "人力资源", "协同办公", "决策支持"]
    assert {s.name_zh for s in IND.scenarios if s.constrained} == {
        "产品设计", "营销管理", "生产管控", "质量管理", "设备管理", "安全生产", "能耗管理", "采购管理",
        "仓储物流", "财务管理"}
    assert all(len(s.grades) == 4 and all(zh and en for zh, en in s.grades)
               for s in IND.scenarios)
    assert [(r.level, r.min_base, r.scenario_level, r.min_scenarios, r.min_constrained)
            for r in IND.levels] == [(4, 80, 4, 10, 6), (3, 60, 3, 8, 5), (2, 40, 2, 6, 3),
                                     (1, 20, 1, 6, 3)]
    assert IND.version and IND.source and IND.levels_source and IND.notes
    for item in IND.items:
        if item.type == "single":
            assert max(o.points for o in item.options) == item.max
        else:
            assert sum(o.points for o in item.options) == pytest.approx(item.max)
        assert item.options[0].points == 0


def test_a_corrected_indicator_file_changes_the_points_without_code(tmp_path):
    from importlib.resources import files

    data = json.loads((files("planner") / "data" / "miit_2024_manufacturing.json")
                      .read_text(encoding="utf-8"))
    network = next(i for i in data["items"] if i["key"] == "network")
    next(o for o in network["options"] if o["key"] == "B")["points"] = 3
    path = tmp_path / "corrected.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    corrected = load_indicator_set(path)
    assert score({"network": ("B",)}, indicators=corrected).base_score == 3
    assert score({"network": ("B",)}).base_score == 2


# --- reading answers --------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "option"), [
    ("0%", "A"), (0.1, "A"), ("10%", "A"), (0.1000001, "B"), ("20%", "B"), ("35%", "C"),
    (0.4, "C"), ("40.5%", "D"), (45, "D"), ("60", "D"), (0.61, "E"), (1, "E"), ("100%", "E"),
    ("c", "C"), ("(20%,40%]", "C")])
def test_a_rate_falls_in_the_band_open_below_and_closed_above(value, option):
    assert read("equipment_digitised", value) == option


@pytest.mark.parametrize("value", [-0.1, "101%", "lots", "F", "B,C", True])
def test_a_rate_or_letter_outside_the_bands_is_refused(value):
    with pytest.raises(CoerceError):
        read("equipment_digitised", value)


def test_a_multiple_choice_cell_reads_letters_with_any_separator():
    assert read("data_collection", "B,C,D") == ("B", "C", "D")
    assert read("data_collection", "D、b ；C") == ("B", "C", "D")
    assert read("data_collection", "BCD") == ("B", "C", "D")
    assert read("data_collection", ["O", "B"]) == ("B", "O")
    assert read("data_collection", "无") == ("A",)
    for bad in ("A,B", "B,Z", "teleportation"):
        with pytest.raises(CoerceError):
            read("data_collection", bad)


def test_an_outcome_answers_worse_unchanged_or_better_and_unchanged_earns_half():
    energy = IND.item("energy")
    assert energy is not None
    assert [read("energy", v) for v in ("worse", "unchanged", "better", "持平", "降低", "增加")] == [
        "A", "B", "C", "B", "C", "A"]  # less energy per revenue is better
    assert [energy.points(k) for k in "ABC"] == [0, energy.max / 2, energy.max]
    assert read("pass_rate", "增加") == "C"  # a higher pass rate is better


# --- scoring --------------------------------------------------------------------------------

def full_sheet() -> dict[str, object]:
    return {
        "network": read("network", "B, D"),  # 2 + 2
        "equipment_digitised": read("equipment_digitised", "65%"),  # (60 %, 100 %]: 6
        "equipment_networked": read("equipment_networked", 0.35),  # (20 %, 40 %]: 3
        "data_collection": read("data_collection", "B、C、D"),  # 3 × 0.7
        "system_coverage": read("system_coverage", "C"),  # 5
        "network_security": read("network_security", "B,C"),  # 2 × 1.25
        "data_security": read("data_security", "A"),  # none: 0
        "planning": "D",  # 4.5
        "management_rules": read("management_rules", "BCDE"),  # 4 × 1.875
        "talent": read("talent", "B C"),  # 2 × 1.5
        "funding": read("funding", "5%"),  # [0, 10 %]: 0
        "energy": read("energy", "better"),  # 7
        "pass_rate": read("pass_rate", "unchanged"),  # 3.5
        "revenue_per_employee": read("revenue_per_employee", "worse"),  # 0
        "cost_per_100": read("cost_per_100", "持平"),  # 1.5
    }


def test_a_full_answer_sheet_scores_the_hand_worked_points():
    result = score(full_sheet())
    assert result.item_points == pytest.approx({
        "network": 4, "equipment_digitised": 6, "equipment_networked": 3,
        "data_collection": 2.1, "system_coverage": 5, "network_security": 2.5,
        "data_security": 0, "planning": 4.5, "management_rules": 7.5, "talent": 3, "funding": 0,
        "energy": 7, "pass_rate": 3.5, "revenue_per_employee": 0, "cost_per_100": 1.5})
    # foundation 4+6+3+2.1+5+2.5+0 = 22.6; management 4.5+7.5+3+0 = 15; results 7+3.5+0+1.5 = 12
    assert result.by_dimension == pytest.approx({"foundation": 22.6, "management": 15,
                                                 "results": 12})
    assert result.by_group["equipment_systems"] == 13
    assert result.base_score == pytest.approx(49.6)
    assert result.level == 0  # no scenario grades at all: no level (无等级), not level 1


def test_a_multiple_choice_never_scores_above_its_maximum():
    every = read("data_collection", "B,C,D,E,F,G,H,I,J,K,L,M,N,O")  # 13 × 0.7 + 0.9
    assert score({"data_collection": every}).base_score == pytest.approx(10)
    corrected = IND.item("network")
    assert corrected is not None and corrected.points(("B", "C", "D", "E")) == 8


def test_unanswered_items_score_zero_and_a_perfect_sheet_scores_100():
    assert score({}).base_score == 0
    perfect: dict[str, object] = {}
    for item in IND.items:
        if item.type == "single":
            perfect[item.key] = max(item.options, key=lambda o: o.points).key
        else:
            perfect[item.key] = tuple(o.key for o in item.options if not o.exclusive)
    result = score(perfect, {s.key: 4 for s in IND.scenarios})
    assert result.base_score == pytest.approx(100)
    assert result.level == 4
    assert result.gap is None


def grades(constrained: int, others: int, grade: int, rest: int = 0) -> dict[str, int]:
    chosen = set(CONSTRAINED[:constrained] + OTHERS[:others])
    return {s.key: grade if s.key in chosen else rest for s in IND.scenarios}


@pytest.mark.parametrize(("base", "scenarios", "level"), [
    (80, grades(6, 4, 4), 4),
    (79.5, grades(6, 4, 4), 3),  # base just short of 80: the level-3 rule still holds
    (80, grades(5, 5, 4), 3),  # 10 at grade 4 but only 5 constrained
    (80, grades(6, 3, 4), 3),  # 9 at grade 4
    (60, grades(5, 3, 3), 3),
    (59.5, grades(5, 3, 3), 2),
    (60, grades(4, 4, 3), 2),  # 4 constrained at ≥ 3
    (60, grades(5, 2, 3), 2),  # 7 at ≥ 3
    (40, grades(3, 3, 2), 2),
    (39.5, grades(3, 3, 2), 1),
    (40, grades(2, 4, 2, rest=1), 1),  # 2 constrained at ≥ 2; every scenario at ≥ 1
    (40, grades(3, 2, 2, rest=1), 1),  # 5 at ≥ 2
    (20, grades(3, 3, 1), 1),
    (19.5, grades(3, 3, 1), 0),  # base short of 20: no level
    (20, grades(2, 4, 1), 0),  # 2 constrained at ≥ 1
    (20, grades(3, 2, 1), 0),  # 5 at ≥ 1
    (100, grades(0, 0, 0), 0),  # a perfect base with no scenario digitalised
])
def test_each_level_threshold_boundary(base, scenarios, level):
    assert IND.level(base, scenarios) == level


def test_score_uses_the_thresholds_top_level_first():
    assert score(full_sheet(), grades(8, 6, 4)).level == 2  # grades of level 4, base of level 2


def test_the_gap_names_the_items_and_the_fewest_scenarios_to_raise():
    scenarios = {"product_design": 3, "process_design": 2, "planning_scheduling": 2,
                 "marketing": 2, "finance": 2, "safety": 2, "quality": 1, "decision_support": 1}
    result = score(full_sheet(), scenarios)
    assert result.level == 2  # 6 at ≥ 2, 4 of them constrained; base 49.6
    gap = result.gap
    assert gap is not None
    assert gap.next_level == 3
    assert gap.base_needed == pytest.approx(10.4)  # 60 − 49.6
    # 1 scenario at ≥ 3 (constrained): 7 more needed, 4 of them constrained
    assert (gap.scenarios_short, gap.constrained_short) == (7, 4)
    # constrained ones first, then the highest grades; ordered by current grade
    assert [(s.key, s.current, s.target) for s in gap.scenarios] == [
        ("marketing", 2, 3), ("safety", 2, 3), ("finance", 2, 3), ("process_design", 2, 3),
        ("planning_scheduling", 2, 3), ("quality", 1, 3), ("decision_support", 1, 3)]
    assert sum(s.constrained for s in gap.scenarios) == 4
    marketing = IND.scenario("marketing")
    assert marketing is not None
    assert gap.scenarios[0].target_zh == marketing.grades[2][0]  # the grade-3 text, as advice
    # items below their maximum, most points first, the set's order on ties
    assert [i.key for i in gap.items] == [
        "data_collection", "funding", "system_coverage", "data_security", "talent", "network", "pass_rate",
        "equipment_networked", "planning", "revenue_per_employee", "network_security",
        "cost_per_100"]
    assert gap.items[0].could_add == pytest.approx(7.9)
    records = gap.as_list()
    assert records[0] == {"kind": "base", "next_level": 3, "min": 60,
                          "needed": pytest.approx(10.4)}
    assert records[1] == {"kind": "scenario_count", "next_level": 3, "grade": 3, "needed": 7,
                          "constrained_needed": 4}
    assert {r["kind"] for r in records} == {"base", "scenario_count", "item", "scenario"}


def test_no_level_has_a_gap_to_level_1():
    result = score(full_sheet(), grades(2, 6, 1))
    assert result.level == 0
    assert result.gap is not None
    assert (result.gap.next_level, result.gap.constrained_short) == (1, 1)


# --- recommended projects -------------------------------------------------------------------

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


def test_fitting_projects_without_raises_are_ranked_by_the_hand_computed_ratio():
    assert ANNUALISATION_YEARS == 5
    model = project_model()
    fits = fitting_projects(model, "S1")  # unassessed: its maturity 2 decides
    # F requires A, not planned here: it comes with A, (12 + 1) / (3 + 1) = 3.25
    assert [(f.project, f.ratio, f.needs) for f in fits] == [
        ("G", None, ()), ("A", 4.0, ()), ("F", 3.25, ("A",)), ("C2", 3.0, ()), ("B", 0.5, ())]
    assert (fits[1].annual_benefit, fits[1].annual_cost) == (12, 3)


def test_requires_is_met_by_an_assignment_in_the_given_scenario():
    fits = fitting_projects(project_model(), "S1", scenario="S")
    # A is planned already in S, so it drops out and F (requires A) fits on its own
    assert [(f.project, f.ratio, f.needs) for f in fits] == [
        ("G", None, ()), ("C2", 3.0, ()), ("F", 1.0, ()), ("B", 0.5, ())]


def test_the_chain_health_check_leaves_out_what_each_firm_has_planned_in_the_scenario():
    """``assess`` gives each assessed firm the fits ``fitting_projects`` gives it in the
    scenario: its own assignments there drop out, not another scenario's or another firm's."""
    model = project_model()
    model.enterprises.append(Enterprise(id="S9", name="S9", role="supplier", size="small",
                                        maturity=2))
    model.scenarios.append(Scenario(name="T", start_year=2026))
    model.assignments += [Assignment(scenario="T", enterprise="S1", project="C2",
                                     start_year=2026),
                          Assignment(scenario="S", enterprise="S9", project="B",
                                     start_year=2026)]
    model.assessments = [Assessment(enterprise=e, date="2025-01-01") for e in ("S1", "S9")]
    rows = {row.enterprise: row for row in assess(model, "S").enterprises}
    assert [f.project for f in rows["S1"].fitting] == [
        f.project for f in fitting_projects(model, "S1", rows["S1"].result, scenario="S")]
    assert {f.project for f in rows["S1"].fitting} >= {"C2", "B"} and \
        "A" not in {f.project for f in rows["S1"].fitting}
    assert "B" not in {f.project for f in rows["S9"].fitting}
    assert {f.project for f in assess(model).enterprises[0].fitting} >= {"A", "B", "C2"}


def test_min_maturity_follows_the_assessed_level_and_no_level_counts_as_1():
    model = project_model()
    level3 = score(full_sheet() | {"funding": "E", "data_security": ("B", "C", "D", "E")},
                   grades(5, 3, 3))
    assert level3.level == 3
    assert "D" in {f.project for f in fitting_projects(model, "S1", level3)}
    nothing = score({})
    assert nothing.level == 0
    fits = {f.project for f in fitting_projects(model, "S1", nothing)}
    assert "D" not in fits and "A" in fits


def raising_model() -> ChainModel:
    model = project_model()
    model.projects = [
        ProjectType(id="ERP", name="ERP", category="management", capex=10, opex=2,
                    benefit_fixed=1, raises=(("procurement", 2), ("finance", 2))),
        ProjectType(id="MES", name="MES", category="operations", capex=50, opex=10,
                    benefit_fixed=1, raises=(("production_control", 3), ("quality", 2))),
        ProjectType(id="CAD", name="CAD", category="operations", capex=5, benefit_fixed=1,
                    raises=(("process_design", 3),)),
        ProjectType(id="CHEAP", name="cheap", category="security", opex=1, benefit_fixed=5),
    ]
    model.assignments = []
    return model


def test_projects_that_lift_this_firm_to_its_next_level_come_first():
    model = raising_model()
    # level 1: 6 scenarios at ≥ 2 but only 2 constrained (product design, finance): short of 1
    firm = {"finance": 2, "product_design": 2, "process_design": 2, "planning_scheduling": 2,
            "after_sales": 2, "human_resources": 2}
    result = score(full_sheet(), {s.key: firm.get(s.key, 1) for s in IND.scenarios})
    assert result.level == 1
    fits = fitting_projects(model, "S1", result)
    # MES and ERP each close the constrained gap; MES lifts two of its scenarios below grade 2,
    # ERP one (finance is at 2 already); then the rest by benefit-to-cost: CHEAP 5, CAD 1
    assert [f.project for f in fits] == ["MES", "ERP", "CHEAP", "CAD"]
    assert fits[0].lifts == ("production_control", "quality")
    assert fits[1].lifts == ("procurement",)
    # a project that needs a prerequisite lifts with it: QMS (needs CAD) lifts quality
    model.projects.append(ProjectType(id="QMS", name="QMS", category="operations", capex=1,
                                      benefit_fixed=1, requires="CAD",
                                      raises=(("quality", 2), ("production_control", 2),
                                              ("safety", 2))))
    fits = fitting_projects(model, "S1", result)
    assert (fits[0].project, fits[0].needs, fits[0].lifts) == (
        "QMS", ("CAD",), ("production_control", "quality", "safety"))
    model.projects.pop()
    # another firm, short of scenarios MES does not lift, gets another first project
    other = dict(firm, production_control=2, quality=2, finance=1, product_design=1)
    result = score(full_sheet(), {s.key: other.get(s.key, 1) for s in IND.scenarios})
    assert result.level == 1
    assert [f.project for f in fitting_projects(model, "S1", result)][:2] == ["ERP", "CHEAP"]


# --- the chain ------------------------------------------------------------------------------

def assessed_chain() -> ChainModel:
    model = small_chain()
    level2 = grades(3, 3, 2)
    model.assessments = [
        Assessment(enterprise="S2", date="2024-03-01", answers={}, scenarios={}),
        Assessment(enterprise="S2", date="2025-03-01", answers=full_sheet(), scenarios=level2),
        Assessment(enterprise="D1", date="2025-01-10", answers={"network": ("B",)}),
    ]
    return model


def test_assess_json_has_the_documented_shape_and_counts_no_level():
    data = assess_json(assessed_chain(), scenario="Base")
    json.dumps(data)  # plain JSON
    assert set(data) >= {"enterprises", "distribution"}
    assert [e["id"] for e in data["enterprises"]] == ["S2", "D1"]
    s2, d1 = data["enterprises"]
    assert set(s2) >= {"id", "level", "score", "by_dimension", "by_group", "gap", "date",
                       "scenarios", "fitting_projects"}
    assert (s2["level"], s2["date"]) == (2, "2025-03-01")  # the latest
    assert s2["score"] == pytest.approx(49.6)
    assert s2["by_dimension"] == pytest.approx({"foundation": 22.6, "management": 15,
                                                "results": 12})
    assert len(s2["scenarios"]) == 16
    assert s2["gap"][0]["kind"] == "base"
    assert [f["id"] for f in s2["fitting_projects"]] == ["ERP", "PLAT"]  # MES: not for small
    assert (d1["level"], d1["score"], d1["next_level"]) == (0, 2, 1)  # no level (无等级)
    dist = data["distribution"]
    assert (dist["assessed"], dist["unassessed"]) == (2, 2)
    assert dist["total"] == {"0": 1, "1": 0, "2": 1, "3": 0, "4": 0}
    assert set(dist["by"]) == {"position", "tier", "size", "ownership", "park"}
    assert dist["by"]["position"] == {"upstream": {"0": 0, "1": 0, "2": 1, "3": 0, "4": 0},
                                      "downstream": {"0": 1, "1": 0, "2": 0, "3": 0, "4": 0}}
    assert dist["by"]["tier"]["2"]["2"] == 1


@pytest.mark.parametrize("name", ["aircraft.xlsx", "vehicles.xlsx", "shipbuilding.xlsx"])
def test_the_examples_health_checks_are_varied_and_set_maturity(name):
    loaded = load_model(example_path(name))
    health = assess(loaded.model)
    smes = [e for e in loaded.model.enterprises if e.role != "core"]
    assert len(health.enterprises) > len(smes) / 2  # most SMEs are assessed
    assert all(row.maturity == max(1, row.result.level) for row in health.enterprises)
    levels = {row.result.level for row in health.enterprises}
    assert 0 in levels and len(levels) >= 4  # some firms have no level
    scores = [row.result.base_score for row in health.enterprises]
    assert len(set(scores)) > 0.8 * len(scores)
    firsts = {row.fitting[0].project for row in health.enterprises if row.fitting}
    assert len(firsts) >= 2
    # park projects are a park's: never recommended to a firm
    park_projects = {p.id for p in loaded.model.projects if p.scope == "park"}
    assert park_projects
    assert not park_projects & {f.project for row in health.enterprises for f in row.fitting}
    # the only warnings name the firms with no level
    no_level = {row.enterprise for row in health.enterprises if row.result.level == 0}
    assert {p.key for p in loaded.problems} == no_level
    assert all(not p.is_error and "无等级" in p.text("zh_CN") for p in loaded.problems)
