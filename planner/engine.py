"""The numbers of docs/method.md: cost, subsidy, who pays, benefit, finance and coverage.

Everything is computed with arrays: an (assignments x years) "live" mask drives
opex, benefit, maturity and platform connection; bincounts fold assignments
into enterprises and years. ``ChainArrays`` holds the model's columns as
arrays and is built once per model state, so all scenarios share it.
Per-assignment contributions stay in the result (``AssignmentTrace``) so any
year's cost or benefit can be traced back to the assignments behind it; park
projects have their own (``ParkTrace``).

The policy instruments (opex subsidy, level-gated and ownership-targeted
subsidies, tax relief, loans with interest subsidy) and park projects follow
docs/method.md, "Parks and policy instruments". With their fields at the
defaults every array below is the one the plain capex-subsidy rules give, to
the last bit: the extra terms are exact zeros then.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from itertools import compress, repeat
from operator import attrgetter
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from models.background import give_way
from models.chain import ChainModel, ProjectType, Scenario
from models.problems import Problem
from models.schema import OWNERSHIPS, SIZES
from models.validation import Place, assignment_warnings, places

PARTIES = ("core", "sme", "park", "government")
PUBLIC_MONEY = ("capex_subsidy", "opex_subsidy", "interest_subsidy", "tax_relief",
                "park_projects")
GROUP_DIMENSIONS = ("position", "tier", "position_tier", "size", "ownership", "park")
_SIZE_CODES = {size: code for code, size in enumerate(SIZES)}
_OWNERSHIP_CODES = {value: code for code, value in enumerate(OWNERSHIPS)}

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]


@dataclass
class ChainArrays:
    """The model's enterprises, links and catalogue as arrays (no scenario yet)."""

    model: ChainModel
    ids: list[str]
    index: dict[str, int]
    core: int  # index of the core enterprise
    size_factor: Floats
    size_code: Ints
    revenue: Floats
    maturity: Ints
    platform: Bools
    link_u: Ints
    link_v: Ints
    link_value: Floats
    link_flag: Bools  # data_connected at the start
    project_index: dict[str, int]
    p_capex: Floats
    p_opex: Floats
    p_duration: Ints
    p_rate: Floats
    p_fixed: Floats
    p_gain: Ints
    p_connects: Bools
    groups: dict[str, tuple[list[str], Ints]]  # dimension -> (labels, code of each enterprise)
    ownership_code: Ints
    park_ids: list[str]  # model.park_ids()
    park_index: dict[str, int]
    park_code: Ints  # each enterprise's park (index in park_ids), -1 for none
    project_ids: list[str]
    p_rank: Ints  # each project's place in plain (case-sensitive) text order of the ids
    # the core of each enterprise's and each park's chain (-1: none): one core here; the
    # simulation evaluates many copies of the chain at once, each with its own core
    firm_core: Ints
    park_core: Ints

    @classmethod
    def of(cls, model: ChainModel, where: dict[str, Place] | None = None) -> ChainArrays:
        """The arrays of ``model``; ``where`` is its ``places`` if already known."""
        enterprises = model.enterprises
        ids = [e.id for e in enterprises]
        index = {e_id: i for i, e_id in enumerate(ids)}
        factors = {size: model.settings.size_factor(size) for size in SIZES}
        n = len(enterprises)
        links = model.links
        projects = model.projects
        core = model.core()
        park_ids = model.park_ids()
        park_index = {k: i for i, k in enumerate(park_ids)}
        return cls(
            model=model, ids=ids, index=index, core=index[core.id] if core else -1,
            size_factor=_column(enterprises, "size", float, factors.__getitem__),
            size_code=_column(enterprises, "size", np.int64, _SIZE_CODES.__getitem__),
            revenue=_column(enterprises, "revenue", float),
            maturity=_column(enterprises, "maturity", np.int64),
            platform=_column(enterprises, "platform_connected", bool),
            link_u=_column(links, "supplier", np.int64, index.__getitem__),
            link_v=_column(links, "buyer", np.int64, index.__getitem__),
            link_value=_column(links, "annual_value", float),
            link_flag=_column(links, "data_connected", bool),
            **_project_columns(projects),
            groups=_groups(model, where if where is not None else places(model)),
            ownership_code=_column(enterprises, "ownership", np.int64, _OWNERSHIP_CODES.get, -1),
            park_ids=park_ids, park_index=park_index,
            park_code=_column(enterprises, "park", np.int64, park_index.get, -1),  # "": -1
            firm_core=np.full(n, index[core.id] if core else -1, np.int64),
            park_core=np.full(len(park_ids), index[core.id] if core else -1, np.int64),
        )

    def with_projects(self, model: ChainModel) -> ChainArrays:
        """The arrays of ``model``, a copy of this one's with other figures in its project
        catalogue (a sensitivity run): the firms' and links' columns are this one's."""
        return dataclasses.replace(self, model=model, **_project_columns(model.projects))


def _project_columns(projects: list[ProjectType]) -> dict[str, Any]:
    """``ChainArrays``' fields of the project catalogue."""
    ids = [p.id for p in projects]
    rank = {pid: r for r, pid in enumerate(sorted(ids))}
    return {
        "project_index": {pid: i for i, pid in enumerate(ids)}, "project_ids": ids,
        "p_capex": np.array([p.capex for p in projects], float),
        "p_opex": np.array([p.opex for p in projects], float),
        "p_duration": np.array([p.duration for p in projects], np.int64),
        "p_rate": np.array([p.benefit_rate for p in projects], float),
        "p_fixed": np.array([p.benefit_fixed for p in projects], float),
        "p_gain": np.array([p.maturity_gain for p in projects], np.int64),
        "p_connects": np.array([p.connects_platform for p in projects], bool),
        "p_rank": np.array([rank[pid] for pid in ids], np.int64)}


def _column(rows: list[Any], name: str, dtype: Any, lookup: Any = None,
            missing: int | None = None) -> Any:
    """Field ``name`` of every row as an array, each value through ``lookup`` if given (a
    dict's ``__getitem__``, or its ``get`` with ``missing`` for a value it lacks). In C: a
    generator over 300,000 rows took twice as long."""
    give_way()
    values = map(attrgetter(name), rows)
    if lookup is not None:
        values = map(lookup, values) if missing is None else \
            map(lookup, values, repeat(missing))
    return np.fromiter(values, dtype, len(rows))


def _groups(model: ChainModel, where: dict[str, Place]) -> dict[str, tuple[list[str], Ints]]:
    """Group labels of each dimension over the non-core firms (coverage is about SMEs)."""
    give_way()
    enterprises = model.enterprises
    at = list(map(where.__getitem__, map(attrgetter("id"), enterprises)))
    positions = list(map(attrgetter("position"), at))
    tiers = list(map(attrgetter("tier"), at))
    values = {
        "position": positions,
        "tier": ["none" if t is None else str(t) for t in tiers],
        "position_tier": [p if t is None else f"{p} {t}"
                          for p, t in zip(positions, tiers, strict=True)],
        "size": list(map(attrgetter("size"), enterprises)),
        "ownership": list(map(attrgetter("ownership"), enterprises)),
        "park": list(map(attrgetter("park"), enterprises)),
    }
    order = {"position": ["upstream", "downstream", "detached"],
             "size": list(SIZES), "ownership": list(OWNERSHIPS)}
    smes = [i for i, role in enumerate(map(attrgetter("role"), enterprises)) if role != "core"]
    groups = {}
    for dimension, column in values.items():
        present = {column[i] for i in smes}
        if dimension in order:
            labels = [v for v in order[dimension] if v in present]
        elif dimension == "tier":
            labels = sorted(present, key=lambda t: (t == "none", int(t) if t != "none" else 0))
        elif dimension == "position_tier":  # upstream 3, 2, 1, then downstream 1, 2, …
            labels = sorted(present, key=_position_tier_order)
        else:
            labels = sorted(present)
        code = {label: i for i, label in enumerate(labels)}
        # the core gets code 0 as a placeholder: it is masked out of every share
        groups[dimension] = (labels, np.fromiter(map(code.get, column, repeat(0)), np.int64,
                                                 len(column)))
    return groups


def _position_tier_order(label: str) -> tuple[int, int]:
    position, _, tier = label.partition(" ")
    if position == "upstream":
        return 0, -int(tier)
    if position == "downstream":
        return 1, int(tier)
    return 2, 0


YEAR_ROW_POLICY_KEYS = ("capex_subsidy", "opex_subsidy", "interest_subsidy", "tax_relief",
                        "loan_drawn", "loan_repaid")


class YearRow(dict[str, float | int]):
    """One row of ``AssignmentTrace.for_year``. The policy keys are written out when the
    scenario uses a policy instrument; otherwise they are all 0 and read as 0.0 with []."""

    def __missing__(self, key: str) -> float:
        if key in YEAR_ROW_POLICY_KEYS:
            return 0.0
        raise KeyError(key)


def uses_policy(scenario: Scenario) -> bool:
    """Whether any policy instrument of the scenario is away from its default (off)."""
    return bool(scenario.opex_subsidy > 0 or scenario.subsidy_min_level is not None
                or scenario.subsidy_ownership or scenario.tax_relief_rate > 0
                or scenario.loan_share > 0)


@dataclass
class AssignmentTrace:
    """Each assignment of the scenario and what it contributes (aligned arrays).

    Per-year arrays are (assignments x years), a column per year of the horizon.
    Subsidy columns say when a claim is paid; ``horizon`` (one past the last
    column) means never.
    """

    rows: Ints  # position in model.assignments
    enterprise: Ints
    start: Ints
    live_year: Ints
    capex: Floats  # full capex (counted in the start year when inside the horizon)
    subsidy: Floats  # subsidy paid over the horizon (capex and opex claims, after gate and cap)
    opex: Floats  # yearly, when live
    benefit: Floats  # yearly, when live
    core_pays: Floats  # share of the non-subsidised cost the core pays (1 for the core)
    live: Bools  # (assignments x years)
    in_horizon: Bools  # start year inside the horizon
    start_offset: Ints  # start year - first year of the horizon (0 when outside)
    # the policy instruments
    scenario: Scenario
    enterprise_ids: list[str]  # of the whole model (index with ``enterprise``)
    project_ids: list[str]  # of the whole model (index with ``project``)
    project: Ints
    eligible: Bools  # the enterprise's ownership gets subsidies
    capex_claim: Floats  # capex subsidy claim (in the start year), before gate and cap
    capex_subsidy: Floats  # what of it is paid
    capex_subsidy_column: Ints  # the column it is paid in (horizon: never)
    opex_claim: Floats  # opex subsidy claims, by the column they arise in
    opex_granted: Floats  # what of each is paid (by the column it arises in)
    opex_paid_column: Ints  # the column each is paid in (horizon: never)
    opex_subsidy: Floats  # opex subsidy paid, by the column it is paid in
    loan: Floats  # principal drawn in the start year
    instalment: Floats  # yearly instalment A
    loan_repaid: Floats  # instalments paid, by column (those after the horizon in the last)
    interest: Floats  # interest inside those instalments, by column
    interest_subsidy: Floats  # government's share of the interest, by column
    tax_relief: Floats  # by column

    def for_year(self, column: int) -> list[YearRow]:
        """What each assignment adds to one year of the horizon (only those adding something).

        ``assignment`` is the row in ``model.assignments``; capex and the loan drawn
        are counted in the start year, opex and benefit in every live year, subsidies
        in the year they are paid (``subsidy`` = capex_subsidy + opex_subsidy). The policy
        keys (``YEAR_ROW_POLICY_KEYS``) are there when the scenario uses an instrument; they
        read 0.0 with [] otherwise (``YearRow``).
        """
        spends = self.in_horizon & (self.start_offset == column)
        live = self.live[:, column]
        capex_subsidy = np.where(self.capex_subsidy_column == column, self.capex_subsidy, 0.0)
        opex_subsidy = self.opex_subsidy[:, column]
        interest_subsidy = self.interest_subsidy[:, column]
        tax_relief = self.tax_relief[:, column]
        drawn = np.where(spends, self.loan, 0.0)
        repaid = self.loan_repaid[:, column]
        adds = spends | live | (capex_subsidy != 0) | (opex_subsidy != 0) | (repaid != 0) | \
            (tax_relief != 0)
        rows = []
        policy = uses_policy(self.scenario)
        for k in np.flatnonzero(adds):
            row = YearRow(assignment=int(self.rows[k]),
                          capex=float(self.capex[k]) if spends[k] else 0.0,
                          subsidy=float(capex_subsidy[k] + opex_subsidy[k]),
                          opex=float(self.opex[k]) if live[k] else 0.0,
                          benefit=float(self.benefit[k]) if live[k] else 0.0)
            if policy:
                row.update(capex_subsidy=float(capex_subsidy[k]),
                           opex_subsidy=float(opex_subsidy[k]),
                           interest_subsidy=float(interest_subsidy[k]),
                           tax_relief=float(tax_relief[k]), loan_drawn=float(drawn[k]),
                           loan_repaid=float(repaid[k]))
            rows.append(row)
        return rows

    def explain(self, k: int, lang: str = "en") -> list[str]:
        """Plain sentences on assignment ``k`` (a position in these arrays, not a model row):
        its subsidy claims, when each is paid and why (or why never), its loan and tax relief."""
        return _explain(self, k, lang == "zh_CN")


@dataclass
class ParkTrace:
    """Each park assignment of the scenario and what it contributes (aligned arrays)."""

    rows: Ints  # position in model.park_assignments
    park: list[str]
    start: Ints
    live_year: Ints
    capex: Floats  # in the start year when inside the horizon (no size factor)
    opex: Floats  # yearly, when live
    government_share: Floats
    core_share: Floats
    members: Ints  # member enterprises of the park
    benefit: Floats  # yearly benefit to all members together, when live
    live: Bools  # (park assignments x years)


def _payback(cumulative: Floats, years: Ints, active: bool, start_year: int) -> int | None:
    """The first year the cumulative net is back at 0 or above after being below it."""
    below = np.flatnonzero(cumulative < 0)
    if below.size:
        after = np.flatnonzero(cumulative[below[0]:] >= 0)
        return int(years[below[0] + after[0]]) if after.size else None
    return int(start_year) if active else None


@dataclass
class ScenarioResult:
    scenario: Scenario
    years: Ints
    capex: Floats
    opex: Floats
    subsidy: Floats  # paid in the year: capex_subsidy + opex_subsidy
    cost: Floats
    benefit: Floats
    net: Floats
    cumulative: Floats
    factor: Floats  # discount factor of each year
    party_cost: dict[str, Floats]
    party_benefit: dict[str, Floats]
    maturity: Ints  # (enterprises x years)
    connected: Bools  # (enterprises x years)
    link_connected: Bools  # (links x years)
    connected_share: Floats  # NaN where the share is over an empty set
    digitalised_share: Floats
    link_coverage: Floats
    spend_coverage: Floats
    islands: Ints
    by_group: dict[str, dict[str, dict[str, Floats]]]  # dimension -> group -> metric -> years
    trace: AssignmentTrace
    warnings: list[str]
    capex_subsidy: Floats
    opex_subsidy: Floats
    interest_subsidy: Floats
    tax_relief: Floats
    loan_drawn: Floats
    loan_repaid: Floats
    park_government: Floats  # the government's share of park projects' capex and opex
    firm_cost: Floats  # (enterprises x years): what each enterprise's party pays for itself
    firm_benefit: Floats  # (enterprises x years)
    park_trace: ParkTrace
    chain: ChainArrays  # the chain evaluated, as it was before any project

    @property
    def npv(self) -> float:
        return float(np.dot(self.net, self.factor))

    @property
    def pv_cost(self) -> float:
        return float(np.dot(self.cost, self.factor))

    @property
    def pv_benefit(self) -> float:
        return float(np.dot(self.benefit, self.factor))

    @property
    def bcr(self) -> float | None:
        pv_cost = self.pv_cost
        return None if pv_cost == 0 else self.pv_benefit / pv_cost

    @property
    def payback_year(self) -> int | None:
        active = bool(np.any(self.cost != 0) or np.any(self.benefit != 0))
        return _payback(self.cumulative, self.years, active, self.scenario.start_year)

    def party_npv(self, party: str) -> float:
        return float(np.dot(self.party_benefit[party] - self.party_cost[party], self.factor))

    def public_money(self) -> dict[str, Floats]:
        """The government's cost by instrument; the parts add up to party_cost["government"]."""
        return {"capex_subsidy": self.capex_subsidy, "opex_subsidy": self.opex_subsidy,
                "interest_subsidy": self.interest_subsidy, "tax_relief": self.tax_relief,
                "park_projects": self.park_government}

    def firm_payback(self, i: int) -> int | None:
        """The payback year (the rule of ``payback_year``) of enterprise i's own net."""
        cost, benefit = self.firm_cost[i], self.firm_benefit[i]
        active = bool(np.any(cost != 0) or np.any(benefit != 0))
        return _payback(np.cumsum(benefit - cost), self.years, active,
                        self.scenario.start_year)


def evaluate(model: ChainModel, scenario: str | None = None,
             arrays: ChainArrays | None = None, problems: list[Problem] | None = None
             ) -> list[ScenarioResult]:
    """Evaluate one scenario (by name) or all, on a model without errors.

    ``problems`` are the model's validation problems when the caller has them
    already (from loading); otherwise the assignment warnings are worked out here.
    """
    arrays = arrays or ChainArrays.of(model)
    chosen = [s for s in model.scenarios if scenario is None or s.name == scenario]
    if scenario is not None and not chosen:
        raise KeyError(scenario)
    if problems is None:
        problems = assignment_warnings(model)
    warnings: dict[str, list[str]] = {}
    tables: dict[str, list[Any]] = {"Assignments": model.assignments,
                                    "ParkAssignments": model.park_assignments}
    for problem in problems:
        if not problem.is_error and problem.index is not None and \
                problem.table[0] in tables:
            rows = tables[problem.table[0]]
            if problem.index < len(rows):
                warnings.setdefault(rows[problem.index].scenario, []).append(problem.text())
    rows_of: dict[str, list[int]] = {s.name: [] for s in chosen}
    for i, a in enumerate(model.assignments):  # one pass for all scenarios
        if a.scenario in rows_of:
            rows_of[a.scenario].append(i)
    return [evaluate_scenario(arrays, s, warnings.get(s.name, []),
                              picked=assigned(arrays, s.name, rows_of[s.name])) for s in chosen]


def _share(numerator: Floats, denominator: Floats | float) -> Floats:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.asarray(denominator) > 0, numerator / denominator, np.nan)


def _rows_to_firms(firm: Ints, values: Floats, n: int) -> Floats:
    """Add the rows of an (items x years) array into an (enterprises x years) one."""
    horizon = values.shape[1]
    if not len(firm) or not horizon:
        return np.zeros((n, horizon))
    flat = (firm[:, None] * horizon + np.arange(horizon)).ravel()
    return cast(Floats, np.bincount(flat, weights=values.ravel(), minlength=n * horizon)
                .reshape(n, horizon))


@dataclass
class _Parks:
    """The scenario's park projects, folded into parks and member enterprises."""

    trace: ParkTrace
    capex: Floats  # per year
    opex: Floats
    government: Floats  # per year, each party's share
    core: Floats
    park: Ints  # the park of each park assignment
    core_rows: Floats  # (park assignments x years): the core's share of each
    operator: Floats
    gain: Ints  # (enterprises x years) levels added by the park's live projects
    connects: Bools  # (enterprises x years)
    benefit: Floats  # (enterprises x years)


@dataclass
class Assigned:
    """A scenario's assignments as columns: to enterprises (``who`` an enterprise index) or
    to parks (``who`` a park index; only these have a government share)."""

    rows: Ints  # positions in model.assignments or model.park_assignments
    who: Ints
    project: Ints
    start: Ints
    core_share: Floats
    government_share: Floats


def assigned(arrays: ChainArrays, scenario: str, rows: list[int] | None = None) -> Assigned:
    """The enterprise assignments of ``scenario`` (at ``rows`` of model.assignments, when
    the caller has found them)."""
    table = arrays.model.assignments
    if rows is None:
        rows = list(compress(range(len(table)), map(scenario.__eq__,
                                                    map(attrgetter("scenario"), table))))
    picked = list(map(table.__getitem__, rows))
    return Assigned(
        rows=np.array(rows, np.int64),
        who=_column(picked, "enterprise", np.int64, arrays.index.__getitem__),
        project=_column(picked, "project", np.int64, arrays.project_index.__getitem__),
        start=_column(picked, "start_year", np.int64),
        core_share=_column(picked, "core_share", float),
        government_share=np.zeros(len(picked)))


def park_assigned(arrays: ChainArrays, scenario: str) -> Assigned:
    """The park assignments of ``scenario``."""
    table = arrays.model.park_assignments
    rows = [i for i, b in enumerate(table) if b.scenario == scenario]
    picked = [table[i] for i in rows]
    return Assigned(
        rows=np.array(rows, np.int64),
        who=_column(picked, "park", np.int64, arrays.park_index.__getitem__),
        project=_column(picked, "project", np.int64, arrays.project_index.__getitem__),
        start=_column(picked, "start_year", np.int64),
        core_share=_column(picked, "core_share", float),
        government_share=_column(picked, "government_share", float))


def _park_projects(arrays: ChainArrays, scenario: Scenario, years: Ints, picked: Assigned
                   ) -> _Parks | None:
    """Park assignments (docs/method.md, "Park projects"): None when the scenario has none."""
    if not len(picked.rows):
        return None
    horizon = len(years)
    k, p, s = picked.who, picked.project, picked.start
    gov, core = picked.government_share, picked.core_share
    start = scenario.start_year
    live_year = s + arrays.p_duration[p]
    live = years[None, :] >= live_year[:, None]
    in_horizon = (s >= start) & (s < start + horizon)
    offset = np.where(in_horizon, s - start, 0)
    capex_b, opex_b = arrays.p_capex[p], arrays.p_opex[p]

    def spent(weights: Floats) -> Floats:
        return cast(Floats, np.bincount(offset[in_horizon], weights=weights[in_horizon],
                                        minlength=horizon))

    def running(weights: Floats) -> Floats:
        return weights @ live

    n_parks = len(arrays.park_ids)
    member = arrays.park_code >= 0
    code = np.where(member, arrays.park_code, 0)
    members = np.bincount(arrays.park_code[member], minlength=n_parks)
    revenue = np.bincount(arrays.park_code[member], weights=arrays.revenue[member],
                          minlength=n_parks)
    factor = np.bincount(arrays.park_code[member], weights=arrays.size_factor[member],
                         minlength=n_parks)
    rate, fixed = arrays.p_rate[p], arrays.p_fixed[p]
    # per park and year: the live projects' rates, fixed benefits, gains and connections
    park_rate = _rows_to_firms(k, rate[:, None] * live, n_parks)
    park_fixed = _rows_to_firms(k, fixed[:, None] * live, n_parks)
    park_gain = _rows_to_firms(k, arrays.p_gain[p][:, None] * live.astype(float), n_parks)
    park_connects = _rows_to_firms(k, (arrays.p_connects[p][:, None] & live).astype(float),
                                   n_parks) > 0
    on = member[:, None]
    benefit = np.where(on, park_rate[code] * arrays.revenue[:, None]
                       + park_fixed[code] * arrays.size_factor[:, None], 0.0)
    trace = ParkTrace(rows=picked.rows, park=[arrays.park_ids[i] for i in k], start=s,
                      live_year=live_year, capex=capex_b, opex=opex_b, government_share=gov,
                      core_share=core, members=members[k],
                      benefit=rate * revenue[k] + fixed * factor[k], live=live)
    operator = 1.0 - gov - core
    spending = live * opex_b[:, None]  # (park assignments x years): capex and opex
    chosen = np.flatnonzero(in_horizon)
    spending[chosen, offset[chosen]] += capex_b[chosen]
    return _Parks(
        trace=trace, capex=spent(capex_b), opex=running(opex_b),
        government=spent(gov * capex_b) + running(gov * opex_b),
        core=spent(core * capex_b) + running(core * opex_b),
        park=k, core_rows=core[:, None] * spending,
        operator=spent(operator * capex_b) + running(operator * opex_b),
        gain=np.where(on, np.rint(park_gain[code]), 0).astype(np.int64),
        connects=on & park_connects[code], benefit=benefit)


def _no_parks(horizon: int) -> ParkTrace:
    z = np.zeros(0)
    zi = np.zeros(0, np.int64)
    return ParkTrace(rows=zi, park=[], start=zi, live_year=zi, capex=z, opex=z,
                     government_share=z, core_share=z, members=zi, benefit=z,
                     live=np.zeros((0, horizon), bool))


def _loan_schedule(rate: float, years: int, first: int) -> tuple[float, Floats, float]:
    """For a principal of 1: the instalment, the interest in each of the first ``first``
    instalments (of ``years``) and the interest over all of them: only the horizon's
    instalments are worked out one by one (a mistyped 300,000,000-year loan took minutes
    and gigabytes)."""
    discount = (1.0 + rate) ** -years
    # a rate too small to move 1 + rate (e.g. 1e-17) is no interest: its limit, not 0 / 0
    instalment = 1.0 / years if discount == 1.0 else rate / (1.0 - discount)
    interest = np.empty(min(first, years))
    balance = 1.0
    for k in range(len(interest)):  # over instalments, not assignments
        interest[k] = rate * balance
        balance -= instalment - interest[k]
    return instalment, interest, years * instalment - 1.0  # all paid, less the principal


def evaluation(model: ChainModel, scenario: Scenario, evaluated: ScenarioResult | None = None
               ) -> tuple[ChainArrays, ScenarioResult]:
    """The arrays of ``model`` and ``scenario``'s evaluation (islands and groups left out):
    ``evaluated``'s, when it is of this very model and scenario (the app's analysis lends
    its own to the simulation and the tornado), else worked out."""
    if evaluated is not None and evaluated.chain.model is model \
            and evaluated.scenario is scenario:
        return evaluated.chain, evaluated
    arrays = ChainArrays.of(model)
    return arrays, evaluate_scenario(arrays, scenario, detail=False)


def evaluate_scenario(arrays: ChainArrays, scenario: Scenario,
                      warnings: list[str] | None = None, *,
                      picked: Assigned | None = None, park_picked: Assigned | None = None,
                      detail: bool = True) -> ScenarioResult:
    """One scenario's numbers; ``picked`` / ``park_picked``: its assignments when the
    caller chose them (the simulation); without ``detail`` no islands and no groups."""
    start, horizon = scenario.start_year, scenario.horizon
    years = np.arange(start, start + horizon, dtype=np.int64)
    columns = np.arange(horizon)
    if picked is None:
        picked = assigned(arrays, scenario.name)
    rows = picked.rows
    count = len(rows)
    n = len(arrays.size_factor)
    e, p, s, share = picked.who, picked.project, picked.start, picked.core_share
    firm_is_core = arrays.firm_core == np.arange(n)
    f = arrays.size_factor[e]
    live_year = s + arrays.p_duration[p]
    capex_a = arrays.p_capex[p] * f
    opex_a = arrays.p_opex[p] * f
    benefit_a = arrays.p_rate[p] * arrays.revenue[e] + arrays.p_fixed[p] * f
    live = years[None, :] >= live_year[:, None]  # (assignments x years)
    in_horizon = (s >= start) & (s < start + horizon)
    offset = np.where(in_horizon, s - start, 0)
    is_core = firm_is_core[e]
    core_pays = np.where(is_core, 1.0, share)
    own = np.where(is_core, 1.0, 1.0 - share)  # o: the enterprise's own share (1 for the core)
    parks = _park_projects(arrays, scenario, years, park_picked if park_picked is not None
                           else park_assigned(arrays, scenario.name))

    def per_year(values: Floats, mask: Bools | None = None) -> Floats:
        """Sum ``values`` spent in the start year (mask: which count) into the horizon."""
        chosen = in_horizon if mask is None else in_horizon & mask
        # weighted, so float64 (the stubs say int)
        return cast(Floats, np.bincount(offset[chosen], weights=values[chosen], minlength=horizon))

    def live_sum(values: Floats, mask: Bools | None = None) -> Floats:
        weights = values if mask is None else np.where(mask, values, 0.0)
        return weights @ live if count else np.zeros(horizon)

    def at_start(values: Floats) -> Floats:
        """(assignments x years): ``values`` in the start year's column (inside the horizon)."""
        table = np.zeros((count, horizon))
        chosen = np.flatnonzero(in_horizon)
        table[chosen, offset[chosen]] = values[chosen]
        return table

    # maturity and platform connection of every enterprise in every year
    gains = arrays.p_gain[p]
    connects = arrays.p_connects[p]
    maturity = np.empty((n, horizon), np.int64)
    connected = np.empty((n, horizon), bool)
    for column in range(horizon):
        now = live[:, column]
        give_way()
        level = arrays.maturity + np.bincount(e[now], weights=gains[now], minlength=n).astype(
            np.int64)
        joined = np.bincount(e[now & connects], minlength=n) > 0
        if parks is not None:
            level = level + parks.gain[:, column]
            joined = joined | parks.connects[:, column]
        maturity[:, column] = np.minimum(4, level)
        connected[:, column] = arrays.platform | joined

    give_way()  # (each step below is a pass over every assignment)
    # subsidy claims, when each is paid (the level gate), and the cap
    if scenario.subsidy_ownership:
        codes = [_OWNERSHIP_CODES[o] for o in scenario.subsidy_ownership if o in _OWNERSHIP_CODES]
        eligible_firm = np.isin(arrays.ownership_code, codes)
    else:
        eligible_firm = np.ones(n, bool)
    eligible = eligible_firm[e]
    rates = np.array([getattr(scenario, "subsidy_" + size) for size in SIZES], float)
    capex_claim = np.where(in_horizon & eligible, rates[arrays.size_code[e]] * capex_a, 0.0)
    if scenario.opex_subsidy > 0 and count:
        claimed = live & (years[None, :] < (live_year + scenario.opex_subsidy_years)[:, None]) \
            & (eligible & ~is_core)[:, None]
        opex_claim = np.where(claimed, scenario.opex_subsidy * opex_a[:, None], 0.0)
    else:
        opex_claim = np.zeros((count, horizon))
    if scenario.subsidy_min_level is None:
        capex_column = np.where(in_horizon, offset, horizon)
        opex_column = np.broadcast_to(columns, (count, horizon)).copy()
    else:
        reached = np.where(maturity >= scenario.subsidy_min_level, columns, horizon)
        # the first column at or after each column in which the level is reached
        first_from = np.minimum.accumulate(reached[:, ::-1], axis=1)[:, ::-1]
        capex_column = np.where(in_horizon, first_from[e, offset], horizon)
        opex_column = first_from[e]
    capex_granted, opex_granted = _capped(scenario.subsidy_cap, e, arrays.p_rank[p], s, start,
                                          capex_claim, capex_column, opex_claim, opex_column)
    capex_paid = capex_column < horizon
    capex_subsidy = cast(Floats, np.bincount(capex_column[capex_paid],
                                             weights=capex_granted[capex_paid],
                                             minlength=horizon))
    opex_paid = np.zeros((count, horizon))  # by the column paid in
    if scenario.opex_subsidy > 0 and count:
        ai, ci = np.nonzero(opex_granted)
        np.add.at(opex_paid, (ai, opex_column[ai, ci]), opex_granted[ai, ci])
    opex_subsidy = opex_paid.sum(axis=0)
    subsidy = capex_subsidy + opex_subsidy
    # paid in its start year: with the defaults every capex subsidy (the plain rule)
    paid_now = np.where(capex_paid & (capex_column == offset), capex_granted, 0.0)
    paid_later = np.zeros((count, horizon))  # subsidies paid after the start year, by column
    later = np.flatnonzero(capex_paid & (capex_column != offset))
    paid_later[later, capex_column[later]] = capex_granted[later]
    paid_later += opex_paid

    give_way()
    # loans: of the SME's own capex share, before any subsidy
    loan = np.zeros(count)
    instalment = np.zeros(count)
    loan_repaid = np.zeros((count, horizon))
    interest = np.zeros((count, horizon))
    if scenario.loan_share > 0 and count and horizon:
        borrows = np.flatnonzero(in_horizon & ~is_core)
        loan[borrows] = scenario.loan_share * own[borrows] * capex_a[borrows]
        unit, unit_interest, all_interest = _loan_schedule(scenario.loan_rate,
                                                           scenario.loan_years, horizon)
        instalment[borrows] = unit * loan[borrows]
        due = offset[borrows]
        n_years = scenario.loan_years
        cumulative_interest = np.r_[0.0, np.cumsum(unit_interest)]
        # instalment k is due in column due + k; from column horizon - 1 on, all in that one
        for k in range(1, min(n_years, horizon) + 1):
            inside = due + k < horizon - 1
            chosen = borrows[inside]
            loan_repaid[chosen, due[inside] + k] += instalment[chosen]
            interest[chosen, due[inside] + k] += unit_interest[k - 1] * loan[chosen]
        first_last = np.maximum(1, horizon - 1 - due)  # first instalment paid in the last year
        lumped = np.maximum(0, n_years - first_last + 1)
        has = lumped > 0
        chosen = borrows[has]
        loan_repaid[chosen, horizon - 1] += lumped[has] * instalment[chosen]
        interest[chosen, horizon - 1] += loan[chosen] * (
            all_interest - cumulative_interest[first_last[has] - 1])
    interest_paid = interest * (scenario.interest_subsidy * eligible)[:, None] \
        if scenario.interest_subsidy > 0 else np.zeros((count, horizon))
    loan_drawn = per_year(loan)

    give_way()
    # tax relief on the enterprise's own gross spending
    if scenario.tax_relief_rate > 0 and count:
        tax = scenario.tax_relief_rate * own[:, None] * (at_start(capex_a)
                                                          + opex_a[:, None] * live)
    else:
        tax = np.zeros((count, horizon))

    capex = per_year(capex_a)
    opex = live_sum(opex_a)
    paid = capex_a - paid_now  # the capex not subsidised in its start year
    core_cost = per_year(paid * core_pays) + live_sum(opex_a * core_pays)
    sme_cost = per_year(paid * (1 - core_pays)) + live_sum(opex_a * (1 - core_pays))
    interest_subsidy = interest_paid.sum(axis=0)
    tax_relief = tax.sum(axis=0)
    loan_repaid_year = loan_repaid.sum(axis=0)
    # the extra terms (exact zeros with the defaults)
    core_cost = core_cost - core_pays @ paid_later - tax[is_core].sum(axis=0)
    sme_cost = sme_cost - (1 - core_pays) @ paid_later - tax[~is_core].sum(axis=0) \
        - loan_drawn + loan_repaid_year - interest_subsidy
    park_cost = np.zeros(horizon)
    park_government = np.zeros(horizon)
    if parks is not None:
        capex = capex + parks.capex
        opex = opex + parks.opex
        core_cost = core_cost + parks.core
        park_cost = parks.operator
        park_government = parks.government
    government = subsidy + interest_subsidy + tax_relief + park_government

    give_way()
    u, v = arrays.link_u, arrays.link_v
    link_connected = arrays.link_flag[:, None] | (connected[u] & connected[v])

    # link benefit: only links the flags did not already connect
    fresh = ~arrays.link_flag & ~(arrays.platform[u] & arrays.platform[v])
    link_gain = np.where(fresh[:, None] & link_connected,
                         scenario.link_benefit_rate * arrays.link_value[:, None], 0.0)
    half = link_gain / 2
    u_core, v_core = firm_is_core[u], firm_is_core[v]
    link_core = half[u_core].sum(axis=0) + half[v_core].sum(axis=0)
    link_sme = half[~u_core].sum(axis=0) + half[~v_core].sum(axis=0)
    core_benefit = live_sum(benefit_a, is_core) + link_core
    sme_benefit = live_sum(benefit_a, ~is_core) + link_sme

    non_core = ~firm_is_core
    if parks is not None:
        core_benefit = core_benefit + parks.benefit[firm_is_core].sum(axis=0)
        sme_benefit = sme_benefit + parks.benefit[non_core].sum(axis=0)

    give_way()
    # each enterprise's own cost and benefit (the core's row holds its shares of others')
    split = at_start(paid) + opex_a[:, None] * live - paid_later
    solo = loan_repaid - interest_paid - tax - at_start(loan)
    firm_cost = _rows_to_firms(e, (1 - core_pays)[:, None] * split + solo, n)
    give_way()
    firm_benefit = _rows_to_firms(e, benefit_a[:, None] * live, n) \
        + _rows_to_firms(np.r_[u, v], np.r_[half, half], n)
    has_core = arrays.firm_core[e] >= 0
    firm_cost += _rows_to_firms(arrays.firm_core[e][has_core],
                                core_pays[has_core, None] * split[has_core], n)
    if parks is not None:
        firm_benefit += parks.benefit
        park_core = arrays.park_core[parks.park]
        has_core = park_core >= 0
        firm_cost += _rows_to_firms(park_core[has_core], parks.core_rows[has_core], n)

    cost = capex + opex - loan_drawn + loan_repaid_year
    benefit = core_benefit + sme_benefit
    net = benefit - cost
    factor = (1.0 + scenario.discount_rate) ** -(years - start).astype(float)

    give_way()
    digitalised = maturity >= scenario.target_level
    # the same dot product as the numerator, so full coverage is exactly 1
    value_total = arrays.link_value @ np.ones(len(u))
    result = ScenarioResult(
        scenario=scenario, years=years, capex=capex, opex=opex, subsidy=subsidy, cost=cost,
        benefit=benefit, net=net, cumulative=np.cumsum(net), factor=factor,
        party_cost={"core": core_cost, "sme": sme_cost, "park": park_cost,
                    "government": government},
        party_benefit={"core": core_benefit, "sme": sme_benefit, "park": np.zeros(horizon),
                       "government": np.zeros(horizon)},
        maturity=maturity, connected=connected, link_connected=link_connected,
        connected_share=_share(connected[non_core].sum(axis=0), float(non_core.sum())),
        digitalised_share=_share(digitalised[non_core].sum(axis=0), float(non_core.sum())),
        link_coverage=_share(link_connected.sum(axis=0), float(len(u))),
        spend_coverage=_share(np.array([arrays.link_value @ column for column in
                                        np.ascontiguousarray(link_connected.T, float)]),
                              float(value_total)),
        islands=_islands(n, u, v, link_connected) if detail else np.zeros(horizon, np.int64),
        by_group=_by_group(arrays, non_core, connected, digitalised) if detail else {},
        trace=AssignmentTrace(
            rows=rows, enterprise=e, start=s, live_year=live_year,
            capex=capex_a, subsidy=capex_granted * capex_paid + opex_granted.sum(axis=1),
            opex=opex_a, benefit=benefit_a, core_pays=core_pays, live=live,
            in_horizon=in_horizon, start_offset=offset, scenario=scenario,
            enterprise_ids=arrays.ids, project_ids=arrays.project_ids, project=p,
            eligible=eligible, capex_claim=capex_claim, capex_subsidy=capex_granted,
            capex_subsidy_column=capex_column, opex_claim=opex_claim,
            opex_granted=opex_granted, opex_paid_column=opex_column, opex_subsidy=opex_paid,
            loan=loan, instalment=instalment, loan_repaid=loan_repaid, interest=interest,
            interest_subsidy=interest_paid, tax_relief=tax),
        warnings=list(warnings or []),
        capex_subsidy=capex_subsidy, opex_subsidy=opex_subsidy,
        interest_subsidy=interest_subsidy, tax_relief=tax_relief, loan_drawn=loan_drawn,
        loan_repaid=loan_repaid_year, park_government=park_government,
        firm_cost=firm_cost, firm_benefit=firm_benefit,
        park_trace=parks.trace if parks is not None else _no_parks(horizon),
        chain=arrays,
    )
    return result


def _capped(cap: float | None, e: Ints, p_rank: Ints, s: Ints, start: int,
            capex_claim: Floats, capex_column: Ints, opex_claim: Floats, opex_column: Ints
            ) -> tuple[Floats, Floats]:
    """What of each claim is paid: nothing when never paid (its column is the horizon),
    and an enterprise's paid claims cut by the cap (docs/method.md, "Subsidy and its cap")."""
    horizon = opex_claim.shape[1]
    capex_raw = np.where(capex_column < horizon, capex_claim, 0.0)
    opex_raw = np.where(opex_column < horizon, opex_claim, 0.0)
    if cap is None or not len(capex_raw):
        return capex_raw, opex_raw
    # order each enterprise's paid claims by the year paid, the year arising, project id
    # (text order), capex before opex; a capex claim never paid keeps its start year so that
    # with the defaults the order is the plain rule's to the bit
    paid_year = np.where(capex_column < horizon, start + capex_column, s)
    ai, ci = np.nonzero(opex_raw)
    firm = np.r_[e, e[ai]]
    t_paid = np.r_[paid_year, start + opex_column[ai, ci]]
    t_arises = np.r_[s, start + ci]
    rank = np.r_[p_rank, p_rank[ai]]
    kind = np.r_[np.zeros(len(e), np.int64), np.ones(len(ai), np.int64)]
    raw = np.r_[capex_raw, opex_raw[ai, ci]]
    order = np.lexsort((kind, rank, t_arises, t_paid, firm))
    sorted_raw = raw[order]
    sorted_e = firm[order]
    running = np.cumsum(sorted_raw)
    group_start = np.r_[True, sorted_e[1:] != sorted_e[:-1]]
    before_group = np.maximum.accumulate(np.where(group_start, running - sorted_raw, 0.0))
    used_before = running - sorted_raw - before_group  # this enterprise's subsidy so far
    granted = np.empty_like(raw)
    granted[order] = np.clip(cap - used_before, 0.0, sorted_raw)
    opex_granted = np.zeros_like(opex_raw)
    opex_granted[ai, ci] = granted[len(e):]
    return granted[:len(e)], opex_granted


def _islands(n: int, u: Ints, v: Ints, link_connected: Bools) -> Ints:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    counts = np.empty(link_connected.shape[1], np.int64)
    for column in range(link_connected.shape[1]):
        give_way()
        on = link_connected[:, column]
        graph = coo_matrix((np.ones(int(on.sum())), (u[on], v[on])), shape=(n, n))
        counts[column] = connected_components(graph, directed=False)[0] if n else 0
    return counts


def _by_group(arrays: ChainArrays, non_core: Bools, connected: Bools, digitalised: Bools
              ) -> dict[str, dict[str, dict[str, Floats]]]:
    result: dict[str, dict[str, dict[str, Floats]]] = {}
    for dimension, (labels, codes) in arrays.groups.items():
        give_way()
        k = len(labels)
        chosen = codes[non_core]
        members = np.bincount(chosen, minlength=k).astype(float)
        table: dict[str, dict[str, Floats]] = {}
        con = np.stack([np.bincount(chosen, weights=col, minlength=k)
                        for col in connected[non_core].T.astype(float)], axis=1) \
            if connected.shape[1] else np.zeros((k, 0))
        dig = np.stack([np.bincount(chosen, weights=col, minlength=k)
                        for col in digitalised[non_core].T.astype(float)], axis=1) \
            if digitalised.shape[1] else np.zeros((k, 0))
        for g, label in enumerate(labels):
            table[label] = {"enterprises": np.full(connected.shape[1], members[g]),
                            "connected_share": _share(con[g], members[g]),
                            "digitalised_share": _share(dig[g], members[g])}
        result[dimension] = table
    return result


# --- plain sentences on one assignment --------------------------------------------------

def _money(value: float) -> str:
    return f"{value:,.2f}"


def _percent(value: float) -> str:
    return f"{value * 100:.4g}%"


def _explain(tr: AssignmentTrace, k: int, zh: bool) -> list[str]:
    sc = tr.scenario
    first, horizon = sc.start_year, sc.horizon
    last = first + horizon - 1
    firm = tr.enterprise_ids[int(tr.enterprise[k])]
    project = tr.project_ids[int(tr.project[k])]
    s, live_year = int(tr.start[k]), int(tr.live_year[k])
    level = sc.subsidy_min_level
    cap = sc.subsidy_cap
    out = [f"{firm} 于 {s} 年开始 {project}，{live_year} 年上线。" if zh else
           f"{firm} starts {project} in {s}; it goes live in {live_year}."]
    if s < first:
        out.append(f"开始年早于 {first} 年：规划期内没有投资，因此没有投资补贴、贷款或投资的税收减免。"
                   if zh else f"It starts before {first}: no capex inside the horizon, so no "
                   "capex subsidy, loan or tax relief on capex.")
    elif s > last:
        out.append(f"开始年晚于 {last} 年：在规划期内不计任何数字。" if zh else
                   f"It starts after {last}: nothing of it counts in the horizon.")
        return out
    if not tr.eligible[k]:
        owners = "、".join(OWNERSHIPS.get(o, o) for o in sc.subsidy_ownership) if zh else \
            ", ".join(sc.subsidy_ownership)
        out.append(f"{firm} 的所有制不在补贴范围（{owners}）内：没有投资补贴、运维补贴或贴息。" if zh
                   else f"{firm}'s ownership is not among those subsidised ({owners}): no "
                   "capex subsidy, opex subsidy or interest subsidy.")

    def paid_text(amount: float, arises: int, column: int, granted: float) -> str:
        if column >= horizon:
            return (f"从未发放：{firm} 到 {last} 年仍未达到 {level} 级" if zh else
                    f"never paid: {firm} does not reach level {level} by {last}")
        year = first + column
        if level is None:
            text = f"于 {year} 年发放" if zh else f"paid in {year}"
        elif year == arises:
            text = (f"于 {year} 年发放（{firm} 当年已达到 {level} 级）" if zh else
                    f"paid in {year} ({firm} is at level {level} or above that year)")
        else:
            text = (f"于 {year} 年发放，即 {firm} 首次达到 {level} 级的年份" if zh else
                    f"paid in {year}, the first year {firm} is at level {level} or above")
        if granted < amount:
            if granted <= 0:
                text += (f"；但补贴上限 {_money(cap or 0)} 已用完，实际发放 0" if zh else
                         f", but the cap of {_money(cap or 0)} per enterprise is used up: "
                         "nothing of it is paid")
            else:
                text += (f"；补贴上限 {_money(cap or 0)} 将其削减为 {_money(granted)}" if zh else
                         f"; the cap of {_money(cap or 0)} per enterprise cuts it to "
                         f"{_money(granted)}")
        return text

    claim = float(tr.capex_claim[k])
    if claim > 0:
        rate = claim / float(tr.capex[k])
        column = int(tr.capex_subsidy_column[k])
        out.append((f"{s} 年产生投资补贴申请 {_money(claim)}（投资 {_money(float(tr.capex[k]))} 的 "
                    f"{_percent(rate)}），" if zh else
                    f"A capex subsidy claim of {_money(claim)} ({_percent(rate)} of capex "
                    f"{_money(float(tr.capex[k]))}) arose in {s}: ")
                   + paid_text(claim, s, column, float(tr.capex_subsidy[k]))
                   + ("。" if zh else "."))
    for c in np.flatnonzero(tr.opex_claim[k] > 0):
        amount = float(tr.opex_claim[k, c])
        year = first + int(c)
        out.append((f"{year} 年产生运维补贴申请 {_money(amount)}（运维费 {_money(float(tr.opex[k]))} "
                    f"的 {_percent(sc.opex_subsidy)}），" if zh else
                    f"An opex subsidy claim of {_money(amount)} ({_percent(sc.opex_subsidy)} of "
                    f"opex {_money(float(tr.opex[k]))}) arose in {year}: ")
                   + paid_text(amount, year, int(tr.opex_paid_column[k, c]),
                               float(tr.opex_granted[k, c]))
                   + ("。" if zh else "."))
    loan = float(tr.loan[k])
    if loan > 0:
        n_years = sc.loan_years
        own_capex = loan / sc.loan_share
        out.append(
            f"{s} 年提取贷款 {_money(loan)}（自付投资 {_money(own_capex)} 的 "
            f"{_percent(sc.loan_share)}），"
            f"分 {n_years} 年等额还款，每期 {_money(float(tr.instalment[k]))}，年利率 "
            f"{_percent(sc.loan_rate)}，于 {s + 1}–{s + n_years} 年到期。" if zh else
            f"A loan of {_money(loan)} ({_percent(sc.loan_share)} of its own capex share "
            f"{_money(own_capex)}) is "
            f"drawn in {s} and repaid in {n_years} yearly instalments of "
            f"{_money(float(tr.instalment[k]))} at {_percent(sc.loan_rate)} interest, due "
            f"{s + 1}–{s + n_years}.")
        if s + n_years > last:
            out.append(f"{last} 年之后到期的还款全部计入 {last} 年。" if zh else
                       f"Instalments due after {last} are all paid in {last}.")
        total_interest = float(tr.interest[k].sum())
        helped = float(tr.interest_subsidy[k].sum())
        if helped > 0:
            out.append(f"政府贴息 {_percent(sc.interest_subsidy)}：共 {_money(helped)}"
                       f"（利息共 {_money(total_interest)}）。" if zh else
                       f"The government pays {_percent(sc.interest_subsidy)} of the interest: "
                       f"{_money(helped)} of {_money(total_interest)} in all.")
    relief = tr.tax_relief[k]
    if relief.sum() > 0:
        parts = [f"{first + int(c)}{' 年 ' if zh else ': '}{_money(float(relief[c]))}"
                 for c in np.flatnonzero(relief)]
        out.append(f"税收减免为自身支出的 {_percent(sc.tax_relief_rate)}，共返还 "
                   f"{_money(float(relief.sum()))}（{'；'.join(parts)}）。" if zh else
                   f"Tax relief of {_percent(sc.tax_relief_rate)} of its own spending returns "
                   f"{_money(float(relief.sum()))} ({'; '.join(parts)}).")
    return out


# --- JSON of `chainplan evaluate --json` ---------------------------------------------------

def none_if_nan(value: Any) -> Any:
    """A number for JSON and workbooks: NaN (a share over an empty set) becomes null."""
    if isinstance(value, float):  # numpy's float64 too, as a plain float
        return None if math.isnan(value) else float(value)
    return value


_POLICY_SERIES = ("capex_subsidy", "opex_subsidy", "interest_subsidy", "tax_relief", "loan_drawn",
                  "loan_repaid", "park_government")


def result_json(result: ScenarioResult) -> dict[str, Any]:
    years = [int(y) for y in result.years]
    by_year = []
    for i, year in enumerate(years):
        by_year.append({
            "year": year, "capex": float(result.capex[i]), "opex": float(result.opex[i]),
            "subsidy": float(result.subsidy[i]), "cost": float(result.cost[i]),
            "benefit": float(result.benefit[i]), "net": float(result.net[i]),
            "cumulative_net": float(result.cumulative[i]),
            "connected_share": none_if_nan(result.connected_share[i]),
            "digitalised_share": none_if_nan(result.digitalised_share[i]),
            "link_coverage": none_if_nan(result.link_coverage[i]),
            "spend_coverage": none_if_nan(result.spend_coverage[i]),
            "islands": int(result.islands[i]),
            **{key: float(getattr(result, key)[i]) for key in _POLICY_SERIES},
        })
    return {
        "name": result.scenario.name, "years": years,
        "totals": {"capex": float(result.capex.sum()), "opex": float(result.opex.sum()),
                   "subsidy": float(result.subsidy.sum()), "cost": float(result.cost.sum()),
                   "benefit": float(result.benefit.sum()), "npv": result.npv,
                   "pv_cost": result.pv_cost, "pv_benefit": result.pv_benefit,
                   "bcr": result.bcr, "payback_year": result.payback_year,
                   **{key: float(getattr(result, key).sum()) for key in _POLICY_SERIES}},
        "by_party": {party: {"cost": float(result.party_cost[party].sum()),
                             "benefit": float(result.party_benefit[party].sum()),
                             "npv": result.party_npv(party)} for party in PARTIES},
        "by_year": by_year,
        "by_group": {dim: {label: {"enterprises": int(m["enterprises"][0]) if len(years) else 0,
                                   "connected_share": [none_if_nan(x) for x in m["connected_share"]],
                                   "digitalised_share": [none_if_nan(x) for x in m["digitalised_share"]]}
                           for label, m in groups.items()}
                     for dim, groups in result.by_group.items()},
        "public_money": {key: [float(x) for x in values]
                         for key, values in result.public_money().items()},
        "warnings": result.warnings,
    }


def evaluation_json(model: ChainModel, results: list[ScenarioResult]) -> dict[str, Any]:
    return {"model": {"name": model.settings.model_name, "enterprises": len(model.enterprises),
                      "links": len(model.links), "projects": len(model.projects)},
            "scenarios": [result_json(r) for r in results]}
