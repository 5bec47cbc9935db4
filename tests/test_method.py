"""docs/method.md against the engine.

The worked example's tables are read from the document itself and every figure in them is
compared with ``planner.engine.evaluate`` on the same model, built here from the data
classes: the document and the program cannot drift apart unnoticed. A cell may show its
working ("40 · 1 = 40"); the figure is what follows the last "=".
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import numpy as np
import pytest
from policy_reference import Reference, compute

from models.chain import (
    Assignment,
    ChainModel,
    Enterprise,
    Link,
    Park,
    ParkAssignment,
    ProjectType,
    Scenario,
)
from models.validation import places, validate
from planner.engine import ScenarioResult, evaluate

DOC = Path(__file__).resolve().parents[1] / "docs" / "method.md"
SECTIONS = [
    "Years and live year",
    "Cost and benefit of one assignment",
    "Subsidy and its cap",
    "Who pays",
    "Maturity and platform connection",
    "Link benefit",
    "Assignments outside the horizon",
    "Totals per year",
    "Discounting, NPV, BCR and payback",
    "Coverage",
    "Data islands",
    "Parks and policy instruments",
    "Who takes part, and how sure the numbers are",
    "Health check: scoring and levels",
    "Optimiser",
    "Worked example",
]
TABLES = range(1, 15)  # the worked example's captions "Table 1." … "Table 14."
REL = 1e-6  # the document prints six decimals where a figure is not exact


def approx(value: float) -> object:
    return pytest.approx(value, rel=REL, abs=1e-12)


# --- the model of the worked example ------------------------------------------------------

def worked_example() -> ChainModel:
    model = ChainModel()
    model.settings.model_name = "Worked example"
    model.enterprises = [
        Enterprise(id="C", name="Core", role="core", size="large", revenue=1000.0, maturity=3,
                   platform_connected=True),
        Enterprise(id="S1", name="Supplier 1", role="supplier", size="small", revenue=200.0),
        Enterprise(id="S2", name="Supplier 2", role="supplier", size="micro", revenue=50.0),
    ]
    model.links = [Link(supplier="S1", buyer="C", annual_value=1500.0),
                   Link(supplier="S2", buyer="S1", annual_value=500.0)]
    model.projects = [
        ProjectType(id="ERP", name="Cloud ERP", category="management", capex=40.0, opex=4.0,
                    duration=1, benefit_rate=0.05, benefit_fixed=6.0, maturity_gain=1),
        ProjectType(id="PLAT", name="Platform onboarding", category="collaboration", capex=10.0,
                    opex=1.0, duration=1, connects_platform=True),
    ]
    model.scenarios = [Scenario(name="Pilot", start_year=2026, horizon=3, discount_rate=0.1,
                                subsidy_cap=14.0, link_benefit_rate=0.02, target_level=2)]
    model.assignments = [
        Assignment(scenario="Pilot", enterprise="S1", project="ERP", start_year=2026,
                   core_share=0.5),
        Assignment(scenario="Pilot", enterprise="S1", project="PLAT", start_year=2026,
                   core_share=0.5),
        Assignment(scenario="Pilot", enterprise="S2", project="ERP", start_year=2027),
    ]
    return model


LABELS = {"a1": 0, "a2": 1, "a3": 2}  # the document's names of the assignments


# --- reading the document ------------------------------------------------------------------

def _text() -> str:
    return DOC.read_text(encoding="utf-8")


def _section(title: str) -> str:
    text = _text()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:] if end < 0 else text[start:end]


def _tables(section: str) -> dict[int, list[dict[str, str]]]:
    """Each table under a caption "**Table N. …**" as rows of {header: cell}."""
    tables: dict[int, list[dict[str, str]]] = {}
    caption: int | None = None
    header: list[str] | None = None
    for line in section.splitlines():
        found = re.match(r"\*\*Table (\d+)\.", line)
        if found:
            caption, header = int(found.group(1)), None
            continue
        if not line.startswith("|") or caption is None:
            if header is not None:  # the table has ended
                caption, header = None, None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
            tables[caption] = []
        elif not set("".join(cells)) <= set("-: "):
            assert len(cells) == len(header), line
            tables[caption].append(dict(zip(header, cells, strict=True)))
    return tables


def _number(cell: str) -> float | None:
    """The figure of a cell: after its working, if any; "—" is null; "50 %" is 0.5."""
    text = re.sub(r"\(.*?\)", "", cell.rsplit("=", maxsplit=1)[-1]).strip()
    text = text.replace("−", "-").replace(",", "")
    if text in ("", "—"):
        return None
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(text)


def _yes(cell: str) -> bool:
    assert cell in ("yes", "no"), cell
    return cell == "yes"


@pytest.fixture(scope="module")
def tables() -> dict[int, list[dict[str, str]]]:
    return _tables(_section("Worked example"))


@pytest.fixture(scope="module")
def model() -> ChainModel:
    return worked_example()


@pytest.fixture(scope="module")
def result(model: ChainModel) -> ScenarioResult:
    return evaluate(model, "Pilot")[0]


def _years(result: ScenarioResult) -> list[int]:
    return [int(y) for y in result.years]


# --- the document as a whole ---------------------------------------------------------------

def test_sections_are_there_in_order():
    headings = re.findall(r"^## (.+)$", _text(), flags=re.MULTILINE)
    assert headings == SECTIONS


def test_the_document_names_no_file_outside_the_project():
    text = _text()
    assert "/work" not in text and "../" not in text


def test_every_table_of_the_example_is_read(tables):
    assert sorted(tables) == list(TABLES)
    assert all(tables[n] for n in TABLES)


def test_the_example_is_a_valid_model_without_warnings(model, result):
    assert validate(model) == []
    assert result.warnings == []


# --- inputs: the document's tables are the model built above ------------------------------

def test_enterprises_table(tables, model):
    where = places(model)
    rows = tables[1]
    assert [r["Enterprise"] for r in rows] == [e.id for e in model.enterprises]
    for row, e in zip(rows, model.enterprises, strict=True):
        assert (row["role"], row["size"]) == (e.role, e.size)
        assert _number(row["size factor"]) == model.settings.size_factor(e.size)
        assert _number(row["revenue"]) == e.revenue
        assert _number(row["maturity"]) == e.maturity
        assert _yes(row["platform connected"]) == e.platform_connected
        assert row["position"] == where[e.id].position
        assert _number(row["tier"]) == where[e.id].tier


def test_links_table(tables, model):
    rows = tables[2]
    assert [r["Link"] for r in rows] == [f"{lk.supplier} → {lk.buyer}" for lk in model.links]
    for row, link in zip(rows, model.links, strict=True):
        assert _number(row["annual value"]) == link.annual_value
        assert _yes(row["data connected"]) == link.data_connected


def test_projects_table(tables, model):
    rows = tables[3]
    assert [r["Project"] for r in rows] == [p.id for p in model.projects]
    for row, project in zip(rows, model.projects, strict=True):
        for column, cell in row.items():
            if column == "Project":
                continue
            value = getattr(project, column.replace(" ", "_"))
            if isinstance(value, bool):
                assert _yes(cell) == value, column
            else:
                assert _number(cell) == approx(value), column


def test_scenario_table(tables, model):
    scenario = model.scenarios[0]
    rows = tables[4]
    assert len(rows) == 10
    for row in rows:
        value = getattr(scenario, row["Scenario setting"].replace(" ", "_"))
        assert _number(row["value"]) == approx(value), row


def test_assignments_table(tables, model):
    rows = tables[5]
    assert {r["Assignment"]: LABELS[r["Assignment"]] for r in rows} == LABELS
    for row in rows:
        a = model.assignments[LABELS[row["Assignment"]]]
        assert (row["enterprise"], row["project"]) == (a.enterprise, a.project)
        assert _number(row["start year"]) == a.start_year
        assert _number(row["core share"]) == approx(a.core_share)


# --- the figures --------------------------------------------------------------------------

def test_each_assignment(tables, model, result):
    trace = result.trace
    assert trace.rows.tolist() == [0, 1, 2]
    scenario = model.scenarios[0]
    rows = tables[6]
    assert len(rows) == len(model.assignments)
    for row in rows:
        k = LABELS[row["Assignment"]]
        a = model.assignments[k]
        size = model.enterprise_index()[a.enterprise].size
        assert _number(row["live year"]) == trace.live_year[k]
        assert _number(row["capex"]) == approx(trace.capex[k])
        raw = getattr(scenario, "subsidy_" + size) * trace.capex[k]
        assert _number(row["subsidy before cap"]) == approx(raw)
        assert _number(row["subsidy"]) == approx(trace.subsidy[k])
        assert _number(row["opex per live year"]) == approx(trace.opex[k])
        assert _number(row["benefit per live year"]) == approx(trace.benefit[k])
        assert _number(row["core pays"]) == approx(trace.core_pays[k])


def test_subsidy_cap_order(tables, model, result):
    trace = result.trace
    cap = model.scenarios[0].subsidy_cap
    assert cap is not None
    rows = tables[7]
    labels = [r["assignment"].split()[0] for r in rows]
    ks = [LABELS[label] for label in labels]
    # the document's order is the cap's order: start year, then project id as plain text
    keys = [(model.assignments[k].start_year, model.assignments[k].project) for k in ks]
    assert keys == sorted(keys)
    assert {model.assignments[k].enterprise for k in ks} == {"S1"}
    assert len(ks) == sum(a.enterprise == "S1" for a in model.assignments)
    granted = 0.0
    for order, (row, k) in enumerate(zip(rows, ks, strict=True), start=1):
        assert _number(row["Order"]) == order
        raw = model.scenarios[0].subsidy_small * trace.capex[k]
        assert _number(row["subsidy before cap"]) == approx(raw)
        assert _number(row["left under the cap"]) == approx(cap - granted)
        assert _number(row["subsidy"]) == approx(trace.subsidy[k])
        granted += trace.subsidy[k]
    assert granted == approx(cap)  # the cap binds


def test_levels_and_connection(tables, model, result):
    index = {e.id: i for i, e in enumerate(model.enterprises)}
    rows = tables[8]
    assert [r["Enterprise"] for r in rows] == [e.id for e in model.enterprises]
    for row in rows:
        i = index[row["Enterprise"]]
        for column, year in enumerate(_years(result)):
            assert _number(row[f"level {year}"]) == result.maturity[i, column]
            assert _yes(row[f"connected {year}"]) == result.connected[i, column]


def test_links_by_year(tables, model, result):
    scenario = model.scenarios[0]
    enterprises = model.enterprise_index()
    rows = tables[9]
    assert [r["Link"] for r in rows] == [f"{lk.supplier} → {lk.buyer}" for lk in model.links]
    project_benefit = result.trace.benefit @ result.trace.live
    link_total = np.zeros(len(result.years))
    for n, (row, link) in enumerate(zip(rows, model.links, strict=True)):
        fresh = not link.data_connected and not (enterprises[link.supplier].platform_connected
                                                 and enterprises[link.buyer].platform_connected)
        for column, year in enumerate(_years(result)):
            on = bool(result.link_connected[n, column])
            assert _yes(row[f"connected {year}"]) == on
            expected = scenario.link_benefit_rate * link.annual_value if fresh and on else 0.0
            figure = _number(row[f"link benefit {year}"])
            assert figure == approx(expected)
            link_total[column] += figure
    # what the links add is the engine's benefit beyond the projects' own
    assert link_total == approx(result.benefit - project_benefit)


def test_scenario_year_by_year(tables, result):
    rows = tables[10]
    years = _years(result)
    assert [r["Year"] for r in rows] == [*map(str, years), "Total"]
    project_benefit = result.trace.benefit @ result.trace.live
    columns = {"capex": result.capex, "subsidy": result.subsidy, "opex": result.opex,
               "cost": result.cost, "project benefit": project_benefit,
               "link benefit": result.benefit - project_benefit, "benefit": result.benefit,
               "net": result.net, "cumulative net": result.cumulative,
               "discount factor": result.factor, "discounted net": result.net * result.factor}
    assert set(rows[0]) == {"Year", *columns}
    for column, row in enumerate(rows[:-1]):
        for name, values in columns.items():
            assert _number(row[name]) == approx(values[column]), (row["Year"], name)
    total = rows[-1]
    for name, values in columns.items():
        if name in ("cumulative net", "discount factor"):
            assert _number(total[name]) is None, name
        else:
            assert _number(total[name]) == approx(values.sum()), name
    assert _number(total["discounted net"]) == approx(result.npv)


def test_finance(tables, result):
    figures = {r["Figure"]: _number(r["value"]) for r in tables[11]}
    assert figures == {"NPV": approx(result.npv), "PV cost": approx(result.pv_cost),
                       "PV benefit": approx(result.pv_benefit), "BCR": approx(result.bcr),
                       "payback year": result.payback_year}
    assert result.payback_year == 2028


def test_who_pays_and_gains(tables, result):
    rows = {r["Party"]: r for r in tables[12]}
    assert list(rows) == ["core", "sme", "government", "all"]
    years = _years(result)
    for party, row in rows.items():
        cost = result.cost if party == "all" else result.party_cost[party]
        benefit = result.benefit if party == "all" else result.party_benefit[party]
        npv = result.npv if party == "all" else result.party_npv(party)
        for column, year in enumerate(years):
            assert _number(row[f"cost {year}"]) == approx(cost[column]), (party, year)
            assert _number(row[f"benefit {year}"]) == approx(benefit[column]), (party, year)
        assert _number(row["cost"]) == approx(cost.sum()), party
        assert _number(row["benefit"]) == approx(benefit.sum()), party
        assert _number(row["NPV"]) == approx(npv), party


def test_coverage_and_islands(tables, result):
    rows = tables[13]
    assert [r["Year"] for r in rows] == [str(y) for y in _years(result)]
    for column, row in enumerate(rows):
        assert _number(row["connected share"]) == approx(result.connected_share[column])
        assert _number(row["digitalised share"]) == approx(result.digitalised_share[column])
        assert _number(row["link coverage"]) == approx(result.link_coverage[column])
        assert _number(row["spend coverage"]) == approx(result.spend_coverage[column])
        assert _number(row["islands"]) == result.islands[column]


def test_groups_by_tier_at_the_end(tables, result):
    groups = result.by_group["tier"]
    rows = tables[14]
    assert [r["Tier"] for r in rows] == list(groups)
    for row in rows:
        group = groups[row["Tier"]]
        assert _number(row["non-core firms"]) == group["enterprises"][-1]
        assert _number(row["connected share"]) == approx(group["connected_share"][-1])
        assert _number(row["digitalised share"]) == approx(group["digitalised_share"][-1])


# --- parks and policy instruments: the second worked example -------------------------------
# Its figures are computed by tests/policy_reference.py (the rules written out as plain loops)
# and by the engine; the document must agree with both.

POLICY_TABLES = range(15, 27)  # "Table 15." … "Table 26."
PARTIES_ALL = ("core", "sme", "park", "government")


def approx6(value: object) -> object:
    """A figure printed with six decimals: within a unit of its sixth decimal, however small
    (an interest of 0.305882) or large (a cost of 155.509804) the figure is."""
    return pytest.approx(value, rel=0, abs=1e-6)


def policy_example() -> ChainModel:
    model = ChainModel()
    model.settings.model_name = "Policy example"
    model.enterprises = [
        Enterprise(id="C", name="Core", role="core", size="large", ownership="soe",
                   revenue=1000.0, maturity=3, platform_connected=True),
        Enterprise(id="S1", name="Supplier 1", role="supplier", size="small",
                   ownership="private", park="HP", revenue=200.0),
        Enterprise(id="S2", name="Supplier 2", role="supplier", size="micro",
                   ownership="foreign", park="HP", revenue=50.0),
    ]
    model.links = [Link(supplier="S1", buyer="C", annual_value=1500.0),
                   Link(supplier="S2", buyer="S1", annual_value=500.0)]
    model.projects = [
        ProjectType(id="ERP", name="Cloud ERP", category="management", capex=40.0, opex=4.0,
                    duration=1, benefit_rate=0.05, benefit_fixed=6.0, maturity_gain=1),
        ProjectType(id="PLAT", name="Park data platform", category="collaboration",
                    capex=60.0, opex=6.0, duration=1, benefit_fixed=2.0,
                    connects_platform=True, scope="park"),
    ]
    model.parks = [Park(id="HP", name="High-tech park", operator="HP Operations")]
    model.scenarios = [Scenario(
        name="Policy", start_year=2026, horizon=4, discount_rate=0.1, subsidy_cap=None,
        link_benefit_rate=0.02, subsidy_ownership=("private",), subsidy_min_level=2,
        opex_subsidy=0.5, opex_subsidy_years=2, tax_relief_rate=0.25, loan_share=0.5,
        loan_rate=0.04, loan_years=2, interest_subsidy=0.5)]
    model.assignments = [
        Assignment(scenario="Policy", enterprise="S1", project="ERP", start_year=2026,
                   core_share=0.25),
        Assignment(scenario="Policy", enterprise="S2", project="ERP", start_year=2027)]
    model.park_assignments = [ParkAssignment(scenario="Policy", park="HP", project="PLAT",
                                             start_year=2026, government_share=0.5,
                                             core_share=0.2)]
    return model


POLICY_LABELS = {"a1": 0, "a2": 1}


@pytest.fixture(scope="module")
def policy_tables() -> dict[int, list[dict[str, str]]]:
    return _tables(_section("Parks and policy instruments"))


@pytest.fixture(scope="module")
def policy_model() -> ChainModel:
    return policy_example()


@pytest.fixture(scope="module")
def policy_ref(policy_model: ChainModel) -> Reference:
    return compute(policy_model, "Policy")


@pytest.fixture(scope="module")
def policy_result(policy_model: ChainModel) -> ScenarioResult:
    return evaluate(policy_model, "Policy")[0]


def _only(model: ChainModel, assignments: list[int], park: bool, links: bool = True
          ) -> ChainModel:
    """The example with some of its assignments only (to show one assignment's figures)."""
    part = copy.deepcopy(model)
    part.assignments = [part.assignments[k] for k in assignments]
    if not park:
        part.park_assignments = []
    if not links:
        part.scenarios[0].link_benefit_rate = 0.0
    return part


def test_every_table_of_the_policy_example_is_read(policy_tables):
    assert sorted(policy_tables) == list(POLICY_TABLES)
    assert all(policy_tables[n] for n in POLICY_TABLES)


def test_the_policy_example_is_valid_without_warnings(policy_model, policy_result):
    assert validate(policy_model) == []
    assert policy_result.warnings == []


def test_policy_example_inputs(policy_tables, policy_model):
    rows = policy_tables[15]
    assert [r["Enterprise"] for r in rows] == [e.id for e in policy_model.enterprises]
    for row, e in zip(rows, policy_model.enterprises, strict=True):
        assert (row["role"], row["size"], row["ownership"], row["park"]) == (
            e.role, e.size, e.ownership, e.park)
        assert _number(row["size factor"]) == policy_model.settings.size_factor(e.size)
        assert _number(row["revenue"]) == e.revenue
        assert _number(row["maturity"]) == e.maturity
        assert _yes(row["platform connected"]) == e.platform_connected
    rows = policy_tables[16]
    assert [r["Project"] for r in rows] == [p.id for p in policy_model.projects]
    for row, project in zip(rows, policy_model.projects, strict=True):
        for column, cell in row.items():
            value = getattr(project, column.replace(" ", "_")) if column != "Project" else None
            if column == "Project":
                continue
            if column == "scope":
                assert cell == value
            elif isinstance(value, bool):
                assert _yes(cell) == value, column
            else:
                assert _number(cell) == approx6(value), column
    scenario = policy_model.scenarios[0]
    rows = policy_tables[17]
    assert len(rows) == 9
    for row in rows:
        value = getattr(scenario, row["Scenario setting"].replace(" ", "_"))
        if isinstance(value, tuple):
            assert tuple(row["value"].split(", ")) == value
        else:
            assert _number(row["value"]) == approx6(value), row
    rows = policy_tables[18]
    assert [r["Assignment"] for r in rows] == ["a1", "a2", "b1"]
    for row in rows[:2]:
        a = policy_model.assignments[POLICY_LABELS[row["Assignment"]]]
        assert (row["assigned to"], row["project"]) == (a.enterprise, a.project)
        assert _number(row["start year"]) == a.start_year
        assert _number(row["core share"]) == approx6(a.core_share)
        assert _number(row["government share"]) is None
    b = policy_model.park_assignments[0]
    assert (rows[2]["assigned to"], rows[2]["project"]) == (b.park, b.project)
    assert _number(rows[2]["start year"]) == b.start_year
    assert _number(rows[2]["government share"]) == approx6(b.government_share)
    assert _number(rows[2]["core share"]) == approx6(b.core_share)


def test_policy_levels_and_connection(policy_tables, policy_model, policy_ref, policy_result):
    rows = policy_tables[19]
    assert [r["Enterprise"] for r in rows] == [e.id for e in policy_model.enterprises]
    for i, row in enumerate(rows):
        for column, year in enumerate(policy_ref.years):
            assert _number(row[f"level {year}"]) == policy_ref.maturity[i][column]
            assert _number(row[f"level {year}"]) == policy_result.maturity[i, column]
            assert _yes(row[f"connected {year}"]) == policy_ref.connected[i][column]
            assert _yes(row[f"connected {year}"]) == policy_result.connected[i, column]


def test_policy_subsidy_claims(policy_tables, policy_model, policy_ref, policy_result):
    rows = policy_tables[20]
    claims = policy_ref.claims
    assert len(rows) == len(claims)
    firms = [e.id for e in policy_model.enterprises]
    first = policy_ref.years[0]
    for row, claim in zip(rows, claims, strict=True):
        label, kind = row["Claim"].split()
        assert (POLICY_LABELS[label], kind) == (claim.assignment, claim.kind)
        assert row["enterprise"] == firms[claim.firm]
        assert _number(row["arises"]) == claim.arises
        assert _number(row["amount"]) == approx6(claim.amount)
        assert _number(row["level that year"]) == policy_ref.maturity[claim.firm][
            claim.arises - first]
        assert _number(row["paid in"]) == claim.paid_year
        assert _number(row["paid"]) == approx6(claim.paid)
    # what is paid each year is the engine's subsidy, capex and opex apart
    for kind, series in (("capex", policy_result.capex_subsidy),
                         ("opex", policy_result.opex_subsidy)):
        paid = np.zeros(len(policy_ref.years))
        for row in rows:
            if row["Claim"].endswith(kind):
                paid[int(_number(row["paid in"])) - first] += _number(row["paid"])
        assert paid == approx6(series)


def test_policy_loans(policy_tables, policy_model, policy_ref, policy_result):
    scenario = policy_model.scenarios[0]
    rows = policy_tables[21]
    first = policy_ref.years[0]
    repaid = np.zeros(len(policy_ref.years))
    helped = np.zeros(len(policy_ref.years))
    for label, k in POLICY_LABELS.items():
        mine = [r for r in rows if r["Loan"] == label]
        assert [_number(r["instalment"]) for r in mine] == [1, 2]
        alone = compute(_only(policy_model, [k], park=False), "Policy")
        principal = sum(alone.loan_drawn)
        assert _number(mine[0]["balance before"]) == approx6(principal)
        balance = principal
        for row in mine:
            assert _number(row["balance before"]) == approx6(balance)
            interest = _number(row["interest"])
            assert interest == approx6(scenario.loan_rate * balance)
            assert _number(row["principal repaid"]) == approx6(_number(row["payment"]) - interest)
            balance -= _number(row["principal repaid"])
            assert _number(row["enterprise pays"]) == approx6(
                _number(row["payment"]) - _number(row["interest subsidy"]))
            due = int(_number(row["due"])) - first
            repaid[due] += _number(row["payment"])
            helped[due] += _number(row["interest subsidy"])
        assert balance == approx6(0.0)
        assert [_number(r["payment"]) for r in mine] == approx6(
            [x for x in alone.loan_repaid if x])
    assert repaid == approx6(policy_ref.loan_repaid)
    assert repaid == approx6(policy_result.loan_repaid)
    assert helped == approx6(policy_ref.interest_subsidy)
    assert helped == approx6(policy_result.interest_subsidy)


def test_policy_tax_relief(policy_tables, policy_model, policy_ref, policy_result):
    rows = policy_tables[22]
    assert [int(r["Year"]) for r in rows] == policy_ref.years
    for label, k in POLICY_LABELS.items():
        alone = compute(_only(policy_model, [k], park=False), "Policy")
        assert [_number(r[label]) for r in rows] == approx6(alone.tax_relief), label
    assert [_number(r["tax relief"]) for r in rows] == approx6(policy_ref.tax_relief)
    assert [_number(r["tax relief"]) for r in rows] == approx6(policy_result.tax_relief)


def test_policy_park_platform(policy_tables, policy_model, policy_ref, policy_result):
    rows = policy_tables[23]
    assert [int(r["Year"]) for r in rows] == policy_ref.years
    alone = compute(_only(policy_model, [], park=True, links=False), "Policy")
    figures = {"capex": alone.capex, "opex": alone.opex, "government": alone.park_government,
               "core": alone.party_cost["core"], "park operator": alone.party_cost["park"],
               "benefit to S1": [b[1] for b in zip(*alone.firm_benefit, strict=True)],
               "benefit to S2": [b[2] for b in zip(*alone.firm_benefit, strict=True)]}
    for name, values in figures.items():
        assert [_number(r[name]) for r in rows] == approx6(values), name
    assert [_number(r["government"]) for r in rows] == approx6(policy_result.park_government)
    assert [_number(r["park operator"]) for r in rows] == approx6(
        policy_result.party_cost["park"])


def test_policy_year_by_year(policy_tables, policy_ref, policy_result):
    rows = policy_tables[24]
    assert [r["Year"] for r in rows] == [*map(str, policy_ref.years), "Total"]
    columns = {"capex": "capex", "opex": "opex", "loan drawn": "loan_drawn",
               "loan repaid": "loan_repaid", "cost": "cost", "benefit": "benefit",
               "net": "net", "subsidy": "subsidy", "interest subsidy": "interest_subsidy",
               "tax relief": "tax_relief", "park projects (government)": "park_government"}
    assert set(rows[0]) == {"Year", *columns}
    for name, attr in columns.items():
        for values in (getattr(policy_ref, attr), getattr(policy_result, attr)):
            assert [_number(r[name]) for r in rows[:-1]] == approx6(list(values)), name
            assert _number(rows[-1][name]) == approx6(sum(values)), name


def test_policy_finance(policy_tables, policy_ref, policy_result):
    figures = {r["Figure"]: _number(r["value"]) for r in policy_tables[25]}
    for source in (policy_ref, policy_result):
        assert figures == {"NPV": approx6(source.npv), "PV cost": approx6(source.pv_cost),
                           "PV benefit": approx6(source.pv_benefit), "BCR": approx6(source.bcr),
                           "payback year": source.payback_year}
    assert policy_ref.payback_year == 2029


def test_policy_who_pays_and_gains(policy_tables, policy_ref, policy_result):
    rows = {r["Party"]: r for r in policy_tables[26]}
    assert list(rows) == [*PARTIES_ALL, "all"]
    for party, row in rows.items():
        for cost, benefit, npv in (
                (policy_ref.cost, policy_ref.benefit, policy_ref.npv) if party == "all" else
                (policy_ref.party_cost[party], policy_ref.party_benefit[party],
                 policy_ref.party_npv[party]),
                (policy_result.cost, policy_result.benefit, policy_result.npv)
                if party == "all" else
                (policy_result.party_cost[party], policy_result.party_benefit[party],
                 policy_result.party_npv(party))):
            for column, year in enumerate(policy_ref.years):
                assert _number(row[f"cost {year}"]) == approx6(cost[column]), (party, year)
                assert _number(row[f"benefit {year}"]) == approx6(benefit[column]), (party, year)
            assert _number(row["cost"]) == approx6(sum(cost)), party
            assert _number(row["benefit"]) == approx6(sum(benefit)), party
            assert _number(row["NPV"]) == approx6(npv), party
