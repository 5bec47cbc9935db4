"""The numbers of docs/method.md: cost, subsidy, who pays, benefit, finance and coverage.

Everything is computed with arrays: an (assignments x years) "live" mask drives
opex, benefit, maturity and platform connection; bincounts fold assignments
into enterprises and years. ``ChainArrays`` holds the model's columns as
arrays and is built once per model state, so all scenarios share it.
Per-assignment contributions stay in the result (``AssignmentTrace``) so any
year's cost or benefit can be traced back to the assignments behind it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from models.chain import ChainModel, Scenario
from models.problems import Problem
from models.schema import OWNERSHIPS, SIZES
from models.validation import Place, assignment_warnings, places

PARTIES = ("core", "sme", "government")
GROUP_DIMENSIONS = ("position", "tier", "position_tier", "size", "ownership", "park")
_SIZE_CODES = {size: code for code, size in enumerate(SIZES)}

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
        return cls(
            model=model, ids=ids, index=index, core=index[core.id] if core else -1,
            size_factor=np.fromiter((factors[e.size] for e in enterprises), float, n),
            size_code=np.fromiter((_SIZE_CODES[e.size] for e in enterprises), np.int64, n),
            revenue=np.fromiter((e.revenue for e in enterprises), float, n),
            maturity=np.fromiter((e.maturity for e in enterprises), np.int64, n),
            platform=np.fromiter((e.platform_connected for e in enterprises), bool, n),
            link_u=np.fromiter((index[lk.supplier] for lk in links), np.int64, len(links)),
            link_v=np.fromiter((index[lk.buyer] for lk in links), np.int64, len(links)),
            link_value=np.fromiter((lk.annual_value for lk in links), float, len(links)),
            link_flag=np.fromiter((lk.data_connected for lk in links), bool, len(links)),
            project_index={p.id: i for i, p in enumerate(projects)},
            p_capex=np.array([p.capex for p in projects], float),
            p_opex=np.array([p.opex for p in projects], float),
            p_duration=np.array([p.duration for p in projects], np.int64),
            p_rate=np.array([p.benefit_rate for p in projects], float),
            p_fixed=np.array([p.benefit_fixed for p in projects], float),
            p_gain=np.array([p.maturity_gain for p in projects], np.int64),
            p_connects=np.array([p.connects_platform for p in projects], bool),
            groups=_groups(model, where if where is not None else places(model)),
        )


def _groups(model: ChainModel, where: dict[str, Place]) -> dict[str, tuple[list[str], Ints]]:
    """Group labels of each dimension over the non-core firms (coverage is about SMEs)."""
    values = {
        "position": [where[e.id].position for e in model.enterprises],
        "tier": ["none" if where[e.id].tier is None else str(where[e.id].tier)
                 for e in model.enterprises],
        "position_tier": [f"{where[e.id].position} {where[e.id].tier}" if where[e.id].tier
                          is not None else where[e.id].position for e in model.enterprises],
        "size": [e.size for e in model.enterprises],
        "ownership": [e.ownership for e in model.enterprises],
        "park": [e.park for e in model.enterprises],
    }
    order = {"position": ["upstream", "downstream", "detached"],
             "size": list(SIZES), "ownership": list(OWNERSHIPS)}
    smes = [i for i, e in enumerate(model.enterprises) if e.role != "core"]
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
        groups[dimension] = (labels, np.fromiter((code.get(v, 0) for v in column), np.int64,
                                                 len(column)))
    return groups


def _position_tier_order(label: str) -> tuple[int, int]:
    position, _, tier = label.partition(" ")
    if position == "upstream":
        return 0, -int(tier)
    if position == "downstream":
        return 1, int(tier)
    return 2, 0


@dataclass
class AssignmentTrace:
    """Each assignment of the scenario and what it contributes (aligned arrays)."""

    rows: Ints  # position in model.assignments
    enterprise: Ints
    start: Ints
    live_year: Ints
    capex: Floats  # full capex (counted in the start year when inside the horizon)
    subsidy: Floats
    opex: Floats  # yearly, when live
    benefit: Floats  # yearly, when live
    core_pays: Floats  # share of the non-subsidised cost the core pays (1 for the core)
    live: Bools  # (assignments x years)
    in_horizon: Bools  # start year inside the horizon
    start_offset: Ints  # start year - first year of the horizon (0 when outside)

    def for_year(self, column: int) -> list[dict[str, float | int]]:
        """What each assignment adds to one year of the horizon (only those adding something).

        ``assignment`` is the row in ``model.assignments``; capex and subsidy are
        counted in the start year, opex and benefit in every live year.
        """
        spends = self.in_horizon & (self.start_offset == column)
        live = self.live[:, column]
        return [{"assignment": int(self.rows[k]),
                 "capex": float(self.capex[k]) if spends[k] else 0.0,
                 "subsidy": float(self.subsidy[k]) if spends[k] else 0.0,
                 "opex": float(self.opex[k]) if live[k] else 0.0,
                 "benefit": float(self.benefit[k]) if live[k] else 0.0}
                for k in np.flatnonzero(spends | live)]


@dataclass
class ScenarioResult:
    scenario: Scenario
    years: Ints
    capex: Floats
    opex: Floats
    subsidy: Floats
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
        below = np.flatnonzero(self.cumulative < 0)
        if below.size:
            after = np.flatnonzero(self.cumulative[below[0]:] >= 0)
            return int(self.years[below[0] + after[0]]) if after.size else None
        active = np.any(self.cost != 0) or np.any(self.benefit != 0)
        return int(self.scenario.start_year) if active else None

    def party_npv(self, party: str) -> float:
        return float(np.dot(self.party_benefit[party] - self.party_cost[party], self.factor))


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
    for problem in problems:
        if not problem.is_error and problem.index is not None and \
                problem.table[0] == "Assignments":
            name = model.assignments[problem.index].scenario
            warnings.setdefault(name, []).append(problem.text())
    return [evaluate_scenario(arrays, s, warnings.get(s.name, [])) for s in chosen]


def _share(numerator: Floats, denominator: Floats | float) -> Floats:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.asarray(denominator) > 0, numerator / denominator, np.nan)


def evaluate_scenario(arrays: ChainArrays, scenario: Scenario,
                      warnings: list[str] | None = None) -> ScenarioResult:
    model = arrays.model
    start, horizon = scenario.start_year, scenario.horizon
    years = np.arange(start, start + horizon, dtype=np.int64)
    rows = [i for i, a in enumerate(model.assignments) if a.scenario == scenario.name]
    picked = [model.assignments[i] for i in rows]
    count = len(picked)
    e = np.fromiter((arrays.index[a.enterprise] for a in picked), np.int64, count)
    p = np.fromiter((arrays.project_index[a.project] for a in picked), np.int64, count)
    s = np.fromiter((a.start_year for a in picked), np.int64, count)
    share = np.fromiter((a.core_share for a in picked), float, count)
    f = arrays.size_factor[e]
    live_year = s + arrays.p_duration[p]
    capex_a = arrays.p_capex[p] * f
    opex_a = arrays.p_opex[p] * f
    benefit_a = arrays.p_rate[p] * arrays.revenue[e] + arrays.p_fixed[p] * f
    live = years[None, :] >= live_year[:, None]  # (assignments x years)
    in_horizon = (s >= start) & (s < start + horizon)
    offset = np.where(in_horizon, s - start, 0)

    subsidy_a = _subsidies(scenario, arrays.size_code[e], capex_a, e, s, p, in_horizon,
                           [model.projects[i].id for i in range(len(model.projects))])
    is_core = e == arrays.core
    core_pays = np.where(is_core, 1.0, share)

    def per_year(values: Floats, mask: Bools | None = None) -> Floats:
        """Sum ``values`` spent in the start year (mask: which count) into the horizon."""
        chosen = in_horizon if mask is None else in_horizon & mask
        # weighted, so float64 (the stubs say int)
        return cast(Floats, np.bincount(offset[chosen], weights=values[chosen], minlength=horizon))

    def live_sum(values: Floats, mask: Bools | None = None) -> Floats:
        weights = values if mask is None else np.where(mask, values, 0.0)
        return weights @ live if count else np.zeros(horizon)

    capex = per_year(capex_a)
    subsidy = per_year(subsidy_a)
    opex = live_sum(opex_a)
    paid = capex_a - subsidy_a  # the non-subsidised capex
    core_cost = per_year(paid * core_pays) + live_sum(opex_a * core_pays)
    sme_cost = per_year(paid * (1 - core_pays)) + live_sum(opex_a * (1 - core_pays))

    # maturity and platform connection of every enterprise in every year
    n = len(arrays.ids)
    gains = arrays.p_gain[p]
    connects = arrays.p_connects[p]
    maturity = np.empty((n, horizon), np.int64)
    connected = np.empty((n, horizon), bool)
    for column in range(horizon):
        now = live[:, column]
        maturity[:, column] = np.minimum(
            4, arrays.maturity + np.bincount(e[now], weights=gains[now], minlength=n).astype(
                np.int64))
        connected[:, column] = arrays.platform | (
            np.bincount(e[now & connects], minlength=n) > 0)
    u, v = arrays.link_u, arrays.link_v
    link_connected = arrays.link_flag[:, None] | (connected[u] & connected[v])

    # link benefit: only links the flags did not already connect
    fresh = ~arrays.link_flag & ~(arrays.platform[u] & arrays.platform[v])
    link_gain = np.where(fresh[:, None] & link_connected,
                         scenario.link_benefit_rate * arrays.link_value[:, None], 0.0)
    half = link_gain / 2
    u_core, v_core = u == arrays.core, v == arrays.core
    link_core = half[u_core].sum(axis=0) + half[v_core].sum(axis=0)
    link_sme = half[~u_core].sum(axis=0) + half[~v_core].sum(axis=0)
    core_benefit = live_sum(benefit_a, is_core) + link_core
    sme_benefit = live_sum(benefit_a, ~is_core) + link_sme

    cost = capex + opex
    benefit = core_benefit + sme_benefit
    net = benefit - cost
    factor = (1.0 + scenario.discount_rate) ** -(years - start).astype(float)

    non_core = np.ones(n, bool)
    if arrays.core >= 0:
        non_core[arrays.core] = False
    digitalised = maturity >= scenario.target_level
    # the same dot product as the numerator, so full coverage is exactly 1
    value_total = arrays.link_value @ np.ones(len(u))
    result = ScenarioResult(
        scenario=scenario, years=years, capex=capex, opex=opex, subsidy=subsidy, cost=cost,
        benefit=benefit, net=net, cumulative=np.cumsum(net), factor=factor,
        party_cost={"core": core_cost, "sme": sme_cost, "government": subsidy},
        party_benefit={"core": core_benefit, "sme": sme_benefit,
                       "government": np.zeros(horizon)},
        maturity=maturity, connected=connected, link_connected=link_connected,
        connected_share=_share(connected[non_core].sum(axis=0), float(non_core.sum())),
        digitalised_share=_share(digitalised[non_core].sum(axis=0), float(non_core.sum())),
        link_coverage=_share(link_connected.sum(axis=0), float(len(u))),
        spend_coverage=_share(np.array([arrays.link_value @ link_connected[:, y].astype(float)
                                        for y in range(horizon)]), float(value_total)),
        islands=_islands(n, u, v, link_connected),
        by_group=_by_group(arrays, non_core, connected, digitalised),
        trace=AssignmentTrace(rows=np.array(rows, np.int64), enterprise=e, start=s,
                              live_year=live_year, capex=capex_a, subsidy=subsidy_a,
                              opex=opex_a, benefit=benefit_a, core_pays=core_pays, live=live,
                              in_horizon=in_horizon, start_offset=offset),
        warnings=list(warnings or []),
    )
    return result


def _subsidies(scenario: Scenario, size_code: Ints, capex: Floats, e: Ints, s: Ints, p: Ints,
               in_horizon: Bools, project_ids: list[str]) -> Floats:
    """Government share of capex by size, cut by the per-enterprise cap (docs/method.md,
    “Subsidy and its cap”)."""
    rates = np.array([getattr(scenario, "subsidy_" + size) for size in SIZES], float)
    raw = np.where(in_horizon, rates[size_code] * capex, 0.0)
    cap = scenario.subsidy_cap
    if cap is None or not len(raw):
        return raw
    # order each enterprise's assignments by start year, then project id (text order)
    rank = {pid: r for r, pid in enumerate(sorted(project_ids))}
    p_rank = np.array([rank[project_ids[i]] for i in p], np.int64)
    order = np.lexsort((p_rank, s, e))
    sorted_raw = raw[order]
    sorted_e = e[order]
    running = np.cumsum(sorted_raw)
    group_start = np.r_[True, sorted_e[1:] != sorted_e[:-1]]
    before_group = np.maximum.accumulate(np.where(group_start, running - sorted_raw, 0.0))
    used_before = running - sorted_raw - before_group  # this enterprise's subsidy so far
    granted = np.clip(cap - used_before, 0.0, sorted_raw)
    result = np.empty_like(raw)
    result[order] = granted
    return result


def _islands(n: int, u: Ints, v: Ints, link_connected: Bools) -> Ints:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    counts = np.empty(link_connected.shape[1], np.int64)
    for column in range(link_connected.shape[1]):
        on = link_connected[:, column]
        graph = coo_matrix((np.ones(int(on.sum())), (u[on], v[on])), shape=(n, n))
        counts[column] = connected_components(graph, directed=False)[0] if n else 0
    return counts


def _by_group(arrays: ChainArrays, non_core: Bools, connected: Bools, digitalised: Bools
              ) -> dict[str, dict[str, dict[str, Floats]]]:
    result: dict[str, dict[str, dict[str, Floats]]] = {}
    for dimension, (labels, codes) in arrays.groups.items():
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


# --- JSON of `chainplan evaluate --json` ---------------------------------------------------

def none_if_nan(value: Any) -> Any:
    """A number for JSON and workbooks: NaN (a share over an empty set) becomes null."""
    if isinstance(value, float):  # numpy's float64 too, as a plain float
        return None if math.isnan(value) else float(value)
    return value


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
        })
    return {
        "name": result.scenario.name, "years": years,
        "totals": {"capex": float(result.capex.sum()), "opex": float(result.opex.sum()),
                   "subsidy": float(result.subsidy.sum()), "cost": float(result.cost.sum()),
                   "benefit": float(result.benefit.sum()), "npv": result.npv,
                   "pv_cost": result.pv_cost, "pv_benefit": result.pv_benefit,
                   "bcr": result.bcr, "payback_year": result.payback_year},
        "by_party": {party: {"cost": float(result.party_cost[party].sum()),
                             "benefit": float(result.party_benefit[party].sum()),
                             "npv": result.party_npv(party)} for party in PARTIES},
        "by_year": by_year,
        "by_group": {dim: {label: {"enterprises": int(m["enterprises"][0]) if len(years) else 0,
                                   "connected_share": [none_if_nan(x) for x in m["connected_share"]],
                                   "digitalised_share": [none_if_nan(x) for x in m["digitalised_share"]]}
                           for label, m in groups.items()}
                     for dim, groups in result.by_group.items()},
        "warnings": result.warnings,
    }


def evaluation_json(model: ChainModel, results: list[ScenarioResult]) -> dict[str, Any]:
    return {"model": {"name": model.settings.model_name, "enterprises": len(model.enterprises),
                      "links": len(model.links), "projects": len(model.projects)},
            "scenarios": [result_json(r) for r in results]}
