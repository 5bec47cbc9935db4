"""Who takes part, and how sure the benefits are: the Monte-Carlo of docs/method.md
(“Who takes part”).

A draw gives every non-core enterprise a uniform U and every project a benefit
multiplier M from its triangular range. The scenario is evaluated once by the engine
with every assignment; most of what an assignment adds does not depend on the others
(its spending, loan, interest subsidy, tax relief and own benefit), so a chunk of
draws is a matrix product of "which assignments take place" with those per-assignment
rows. What does depend on the others — levels and platform connection, hence link
benefits, islands and level-gated subsidies, and the cap — is worked out per draw
with arrays over (draws x enterprises): a project stays live once live, so a firm's
connection is one year and a level condition the first year it is met; the cap by the
engine's own rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from models.background import give_way
from models.chain import ChainModel, Scenario
from models.schema import AWARENESS
from planner.engine import (
    Assigned,
    Bools,
    ChainArrays,
    Floats,
    Ints,
    ScenarioResult,
    assigned,
    evaluation,
)

KPIS = ("npv", "npv_core", "npv_sme", "npv_park", "npv_government", "connected_share_end",
        "digitalised_share_end", "islands_end", "participation")
# awareness classes from the lowest; a coaching project raises a firm along this order
AWARENESS_ORDER = ("unaware", "heard_of", "aware", "very_familiar")
_CELLS_PER_CHUNK = 8_000_000  # (assignments + enterprises + links) x years x draws per pass


class Cancelled(Exception):
    """The caller's progress callback asked to stop."""


@dataclass
class Simulation:
    scenario: str
    draws: int
    seed: int
    years: Ints
    values: dict[str, Floats]  # KPI -> one value per draw (NaN: no value in that draw)
    connected_share: Floats  # (draws x years)
    participation_by_awareness: dict[str, tuple[int, float]]
    deterministic_npv: float
    deterministic_connected_share: Floats = field(default_factory=lambda: np.zeros(0))

    def stats(self, key: str) -> dict[str, float | None]:
        """Mean, population sd, percentiles (linear interpolation) and range of a KPI;
        draws without a value are left out, and all are None when no draw has one."""
        values = self.values[key]
        values = values[~np.isnan(values)]
        names = ("mean", "sd", "p5", "p50", "p95", "min", "max")
        if not len(values):
            return dict.fromkeys(names, None)
        p5, p50, p95 = np.percentile(values, (5, 50, 95))
        return {"mean": float(values.mean()), "sd": float(values.std()), "p5": float(p5),
                "p50": float(p50), "p95": float(p95), "min": float(values.min()),
                "max": float(values.max())}

    @property
    def prob_npv_negative(self) -> float:
        return float(np.mean(self.values["npv"] < 0)) if self.draws else math.nan

    def json(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "draws": self.draws, "seed": self.seed,
                "kpis": {key: self.stats(key) for key in KPIS},
                "prob_npv_negative": self.prob_npv_negative}


def _awareness_at_start(arrays: ChainArrays, picked: Assigned, gain: Ints) -> Ints:
    """Each assignment's firm's awareness class (index in AWARENESS_ORDER) in its start
    year: the firm's own, raised by its coaching assignments live by then."""
    model = arrays.model
    rank = {name: i for i, name in enumerate(AWARENESS_ORDER)}
    base = np.fromiter((rank[e.awareness] for e in model.enterprises), np.int64,
                       len(model.enterprises))
    level = base[picked.who].copy()
    live_year = picked.start + arrays.p_duration[picked.project]
    coaching = np.flatnonzero(gain > 0)
    if len(coaching):
        by_firm: dict[int, Ints] = {}
        order = np.argsort(picked.who, kind="stable")
        firms, first = np.unique(picked.who[order], return_index=True)
        for firm, rows in zip(firms.tolist(), np.split(order, first[1:]), strict=True):
            by_firm[firm] = rows
        for b in coaching.tolist():  # coaching assignments are few
            rows = by_firm[int(picked.who[b])]
            level[rows[picked.start[rows] >= live_year[b]]] += gain[b]
    return np.minimum(level, len(AWARENESS_ORDER) - 1)


def _multipliers(rng: np.random.Generator, low: Floats, high: Floats, draws: int) -> Floats:
    """(draws x projects) triangular(low, 1, high); exactly 1 where the range is empty."""
    spread = high > low
    result = np.ones((draws, len(low)))
    if spread.any():
        result[:, spread] = rng.triangular(low[spread], 1.0, high[spread],
                                           size=(draws, int(spread.sum())))
    return result


@dataclass
class Draws:
    """A scenario made ready for draws: each assignment's own contribution, and when it
    takes place."""

    arrays: ChainArrays
    scenario: Scenario
    full: ScenarioResult  # the deterministic evaluation with every assignment
    picked: Assigned
    threshold: Floats  # assignment a takes place in a draw when U of its firm < this
    awareness: Ints  # each assignment's firm's awareness class at its start year
    smes: Bools  # the assignments of non-core firms
    non_core: Bools  # the enterprises other than the core
    low: Floats  # each project's benefit range
    high: Floats
    # discounted, what each assignment adds whoever else takes part (subsidies aside):
    # (assignments x 5) core cost, SME cost, government cost, core benefit, SME benefit
    own: Floats
    claims: Floats  # each assignment's subsidy claims, discounted as if paid when they arise
    park_project: Ints  # the project of each park assignment
    park_benefit: Floats  # (park assignments x 2) discounted benefits to the core and SMEs
    park_npv: dict[str, float]  # what park projects cost the government, core and operators
    passes: _Passes = field(init=False)

    def __post_init__(self) -> None:
        give_way()
        self.passes = _Passes.of(self)

    @classmethod
    def of(cls, model: ChainModel, scenario: str,
           evaluated: ScenarioResult | None = None) -> Draws:
        """``evaluated``: the scenario's evaluation of this very model, when the caller has
        it (the app's analysis): its arrays and results need not be worked out again."""
        chosen = model.scenario(scenario)
        if chosen is None:
            raise KeyError(scenario)
        arrays, full = evaluation(model, chosen, evaluated)
        give_way()
        picked = assigned(arrays, scenario)
        gain = np.array([p.awareness_gain for p in model.projects], np.int64)[picked.project]
        awareness = _awareness_at_start(arrays, picked, gain)
        rates = np.array([getattr(chosen, "participation_" + name) for name in AWARENESS_ORDER])
        is_core = arrays.firm_core[picked.who] == picked.who
        certain = is_core | (gain > 0)  # the core's and coaching assignments always happen
        n = len(arrays.size_factor)
        return cls(arrays=arrays, scenario=chosen, full=full, picked=picked,
                   threshold=np.where(certain, 2.0, rates[awareness]), awareness=awareness,
                   smes=~is_core, non_core=arrays.firm_core != np.arange(n),
                   low=np.array([p.benefit_low for p in model.projects], float),
                   high=np.array([p.benefit_high for p in model.projects], float),
                   own=_linear_rows(full, is_core) @ full.factor, claims=_claims(full),
                   park_project=_park_projects_of(arrays, full),
                   park_benefit=_park_rows(arrays, full) @ full.factor,
                   park_npv={k: float(v @ full.factor) for k, v in _park_costs(full).items()})

    def evaluate(self, u: Floats, multiplier: Floats) -> dict[str, Floats]:
        """The KPIs of draws given their U (draws x enterprises) and M (draws x projects);
        also "connected_share" (draws x years) and "takes" (draws x assignments)."""
        takes = u[:, self.picked.who] < self.threshold[None, :]
        values = _chunk(self, takes, multiplier)
        values["participation"] = takes[:, self.smes].mean(axis=1) if self.smes.any() \
            else np.full(len(u), np.nan)
        values["takes"] = takes.astype(float)
        return values


def _linear_rows(full: ScenarioResult, is_core: Bools) -> Floats:
    """(assignments x 5 x years): what each assignment adds to each party in each year
    whoever else takes part (subsidies aside): the engine's own per-assignment figures."""
    tr = full.trace
    count, horizon = tr.live.shape
    spend = tr.live * tr.opex[:, None]  # capex in the start year, opex when live
    drawn = np.zeros((count, horizon))
    inside = np.flatnonzero(tr.in_horizon)
    spend[inside, tr.start_offset[inside]] += tr.capex[inside]
    drawn[inside, tr.start_offset[inside]] = tr.loan[inside]
    own_tax = np.where(is_core[:, None], 0.0, tr.tax_relief)
    benefit = tr.live * tr.benefit[:, None]
    return np.stack([
        tr.core_pays[:, None] * spend - np.where(is_core[:, None], tr.tax_relief, 0.0),
        (1 - tr.core_pays)[:, None] * spend + tr.loan_repaid - drawn - tr.interest_subsidy
        - own_tax,
        tr.interest_subsidy + tr.tax_relief,
        np.where(is_core[:, None], benefit, 0.0),
        np.where(is_core[:, None], 0.0, benefit)], axis=1)


def _claims(full: ScenarioResult) -> Floats:
    """Each assignment's subsidy claims, discounted to when they arise."""
    tr = full.trace
    at_start = np.where(tr.in_horizon, full.factor[tr.start_offset], 0.0) \
        if len(full.factor) else np.zeros(len(tr.capex_claim))
    return tr.capex_claim * at_start + tr.opex_claim @ full.factor


def _park_projects_of(arrays: ChainArrays, full: ScenarioResult) -> Ints:
    table = arrays.model.park_assignments
    return np.fromiter((arrays.project_index[table[r].project] for r in full.park_trace.rows),
                       np.int64, len(full.park_trace.rows))


def _park_rows(arrays: ChainArrays, full: ScenarioResult) -> Floats:
    """(park assignments x 2 x years): each park project's yearly benefit to the core (if
    a member) and to the SMEs."""
    park = full.park_trace
    member = arrays.park_code >= 0
    is_core = arrays.firm_core == np.arange(len(member))
    parks = len(arrays.park_ids)
    rows = []
    p = _park_projects_of(arrays, full)
    k = np.fromiter((arrays.park_index[i] for i in park.park), np.int64, len(park.park))
    for chosen in (member & is_core, member & ~is_core):
        revenue = np.bincount(arrays.park_code[chosen], weights=arrays.revenue[chosen],
                              minlength=parks)
        factor = np.bincount(arrays.park_code[chosen], weights=arrays.size_factor[chosen],
                             minlength=parks)
        yearly = arrays.p_rate[p] * revenue[k] + arrays.p_fixed[p] * factor[k]
        rows.append(park.live * yearly[:, None])
    return np.stack(rows, axis=1)


def _park_costs(full: ScenarioResult) -> dict[str, Floats]:
    """Per year, what park projects cost the government, the core and the park operators
    (park assignments always take place)."""
    park = full.park_trace
    horizon = len(full.years)
    spending = park.live * park.opex[:, None]
    start = full.scenario.start_year
    inside = np.flatnonzero((park.start >= start) & (park.start < start + horizon))
    spending[inside, park.start[inside] - start] += park.capex[inside]
    operator = 1.0 - park.government_share - park.core_share
    return {"government": park.government_share @ spending if len(spending) else
            np.zeros(horizon),
            "core": park.core_share @ spending if len(spending) else np.zeros(horizon),
            "park": operator @ spending if len(spending) else np.zeros(horizon)}


def simulate(model: ChainModel, scenario: str, draws: int = 1000, seed: int = 0,
             progress: Callable[[int, int], bool] | None = None,
             evaluated: ScenarioResult | None = None) -> Simulation:
    """The Monte-Carlo of one scenario of a model without errors (``evaluated``: see
    ``Draws.of``)."""
    setup = Draws.of(model, scenario, evaluated)
    arrays, chosen = setup.arrays, setup.scenario
    deterministic = setup.full
    n, horizon = len(arrays.size_factor), chosen.horizon
    count = len(setup.picked.rows)
    # two streams, so a draw's numbers do not depend on how the draws are chunked
    u_rng, m_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    cells = (count + n + len(arrays.link_u)) * max(horizon, 1)
    chunk = max(1, min(draws, _CELLS_PER_CHUNK // max(cells, 1)))
    values = {key: np.empty(draws) for key in KPIS}
    connected_share = np.empty((draws, horizon))
    taken_total = np.zeros(count)
    done = 0
    while done < draws:
        size = min(chunk, draws - done)
        part = setup.evaluate(u_rng.random((size, n)),
                              _multipliers(m_rng, setup.low, setup.high, size))
        taken_total += part.pop("takes").sum(axis=0)
        connected_share[done:done + size] = part.pop("connected_share")
        for key, column in part.items():
            values[key][done:done + size] = column
        done += size
        give_way()  # (before asking: a run cancelled while it waited stops at once)
        if progress is not None and progress(done, draws) is False:
            raise Cancelled
    by_class = {}
    for code, name in enumerate(AWARENESS_ORDER):
        mine = setup.smes & (setup.awareness == code)
        share = float(taken_total[mine].sum() / (draws * mine.sum())) if mine.any() and draws \
            else math.nan
        by_class[name] = (int(mine.sum()), share)
    return Simulation(scenario=scenario, draws=draws, seed=seed, years=deterministic.years,
                      values=values, connected_share=connected_share,
                      participation_by_awareness={name: by_class[name] for name in AWARENESS},
                      deterministic_npv=deterministic.npv,
                      deterministic_connected_share=deterministic.connected_share)


def _chunk(setup: Draws, takes: Bools, multiplier: Floats) -> dict[str, Floats]:
    """The KPIs of a chunk of draws (docs/method.md, “Who takes part”).

    A project stays live once live, so levels and connections never fall: a firm's
    connection is the year it connects, a link's the later of its ends', and a level
    condition the year it is first met; no draw needs arrays over every year."""
    full, picked, scenario, passes = setup.full, setup.picked, setup.scenario, setup.passes
    draws, horizon = len(takes), len(full.years)
    taken = takes.astype(float)
    weighted = taken * multiplier[:, picked.project]  # own benefits scale with M
    costs = taken @ setup.own[:, :3]  # (draws x 3): core, SMEs, government
    benefits = weighted @ setup.own[:, 3:]  # (draws x 2): core, SMEs
    benefits += multiplier[:, setup.park_project] @ setup.park_benefit
    connects = _first_connected(setup, takes)
    subsidy_core, subsidy_sme = _subsidies(setup, takes, taken)
    links = _link_benefits(setup, connects)
    npv_core = benefits[:, 0] + links[0] - costs[:, 0] + subsidy_core - setup.park_npv["core"]
    npv_sme = benefits[:, 1] + links[1] - costs[:, 1] + subsidy_sme
    npv_park = np.full(draws, 0.0 - setup.park_npv["park"])
    npv_government = 0.0 - (subsidy_core + subsidy_sme + costs[:, 2]
                            + setup.park_npv["government"])
    smes = setup.non_core
    count = int(smes.sum())
    if count:  # SMEs connected by each year: a count of connection years, summed up
        cells = (np.arange(draws)[:, None] * (horizon + 1) + connects[:, smes]).ravel()
        by_year = np.bincount(cells, minlength=draws * (horizon + 1)).reshape(draws, -1)
        share = by_year.cumsum(axis=1)[:, :horizon] / count
    else:
        share = np.full((draws, horizon), np.nan)
    if horizon and count:
        level_end = np.minimum(4, passes.level_end + taken @ passes.gain_end)
        digitalised = (level_end[:, smes] >= scenario.target_level).mean(axis=1)
    else:
        digitalised = np.full(draws, np.nan)
    return {
        "npv": npv_core + npv_sme + npv_park + npv_government,
        "npv_core": npv_core, "npv_sme": npv_sme, "npv_park": npv_park,
        "npv_government": npv_government,
        "connected_share_end": share[:, -1] if horizon else np.full(draws, np.nan),
        "digitalised_share_end": digitalised,
        "islands_end": _islands_end(setup, connects < horizon) if horizon
        else np.full(draws, np.nan),
        "connected_share": share,
    }


def _first_connected(setup: Draws, takes: Bools) -> Ints:
    """(draws x enterprises) the column each enterprise is first connected in (the number
    of columns: never): the earliest of its own, its park's and its connecting assignments
    that take place."""
    passes = setup.passes
    first = np.repeat(passes.connected_from[None, :], len(takes), axis=0)
    if len(passes.connecting):
        live_from = np.where(takes[:, passes.connecting], passes.connecting_from, np.int16(
            passes.shape[1]))
        earliest = np.minimum.reduceat(live_from, passes.connecting_starts, axis=1)
        firms = passes.connecting_firms
        first[:, firms] = np.minimum(first[:, firms], earliest)
    return first


def _park_levels(setup: Draws) -> tuple[Floats, Floats]:
    """(enterprises x years): the levels the park projects add to each member, and 1 where
    they connect it."""
    arrays, park = setup.arrays, setup.full.park_trace
    n, horizon = len(arrays.size_factor), len(setup.full.years)
    if not len(park.rows):
        return np.zeros((n, horizon)), np.zeros((n, horizon))
    k = np.fromiter((arrays.park_index[i] for i in park.park), np.int64, len(park.park))
    p = setup.park_project
    member = arrays.park_code >= 0
    code = np.where(member, arrays.park_code, 0)
    found = []
    for values in (arrays.p_gain[p].astype(float), arrays.p_connects[p].astype(float)):
        per_park = np.zeros((len(arrays.park_ids), horizon))
        np.add.at(per_park, k, park.live * values[:, None])
        found.append(np.where(member[:, None], per_park[code], 0.0))
    return found[0], np.minimum(found[1], 1.0)


def _level_from(taken: Floats, group: _LevelGroup, level: int) -> Ints:
    """(draws x the group's firms) the column each firm first is at ``level`` (the number
    of columns: never)."""
    count = len(group.firms)
    horizon = len(group.start) // max(count, 1)
    at = (taken @ group.gain).reshape(len(taken), count, horizon) + group.start.reshape(
        count, horizon)
    reached: Ints = horizon - (at >= level).sum(axis=2)
    return reached


def _subsidies(setup: Draws, takes: Bools, taken: Floats) -> tuple[Floats, Floats]:
    """The discounted subsidies paid to the core and to the SMEs in each draw: the claims
    of the assignments that take place, paid once the firm's level is reached in that draw,
    and an enterprise's paid claims cut by the cap (the engine's rule).

    Firms whose claims together stay within the cap are paid every claim (once their level
    is reached), so their draws are matrix products; only the others go claim by claim."""
    passes, scenario = setup.passes, setup.scenario
    gate = scenario.subsidy_min_level
    draws, horizon = len(takes), passes.shape[1]
    if gate is None:
        paid = taken @ passes.safe_linear
    else:
        paid = np.zeros((draws, 2))
        group = passes.safe_group
        if len(group.firms):
            factor = np.r_[setup.full.factor, 0.0]  # the number of columns: never paid
            reached = _level_from(taken, group, gate)
            when = factor[np.maximum(reached[:, :, None], np.arange(horizon))]
            when = when.reshape(draws, -1)
            for k, claims in enumerate(passes.safe_claims):
                paid[:, k] = np.einsum("dc,dc->d", taken @ claims, when)
    if len(passes.risky):
        paid += _capped_subsidies(setup, takes[:, passes.risky], taken)
    return paid[:, 0], paid[:, 1]


def _capped_subsidies(setup: Draws, takes: Bools, taken: Floats) -> Floats:
    """(draws x 2) what the firms whose claims can pass the cap are paid, claim by claim:
    ``takes`` says which of their claims (passes.risky) take place in each draw."""
    from planner.engine import _capped

    full, picked, scenario, passes = setup.full, setup.picked, setup.scenario, setup.passes
    tr = full.trace
    n, horizon = passes.shape
    d, i = np.nonzero(takes)
    a = passes.risky[i]
    firm = picked.who[a]
    capex_claim, opex_claim = tr.capex_claim[a], tr.opex_claim[a]
    offset = tr.start_offset[a]
    columns = np.arange(horizon)
    if scenario.subsidy_min_level is None:
        capex_column = np.where(tr.in_horizon[a], offset, horizon)
        opex_column = np.broadcast_to(columns, (len(a), horizon))
    else:
        reached = _level_from(taken, passes.risky_group, scenario.subsidy_min_level)
        reached = reached[d, passes.risky_position[i]]
        capex_column = np.where(tr.in_horizon[a], np.maximum(offset, reached), horizon)
        opex_column = np.maximum(columns[None, :], reached[:, None])
    capex_paid, opex_paid = _capped(
        scenario.subsidy_cap, d * n + firm, setup.arrays.p_rank[picked.project[a]],
        picked.start[a], scenario.start_year, capex_claim, capex_column, opex_claim,
        np.ascontiguousarray(opex_column))
    factor = np.r_[full.factor, 0.0]  # column horizon: never paid
    value = capex_paid * factor[capex_column] + (opex_paid * factor[opex_column]).sum(axis=1)
    share = tr.core_pays[a]
    draws = len(takes)
    return np.stack([np.bincount(d, weights=value * share, minlength=draws),
                     np.bincount(d, weights=value * (1 - share), minlength=draws)], axis=1)


def _link_benefits(setup: Draws, connects: Ints) -> tuple[Floats, Floats]:
    """Per draw, the discounted link benefits of the core and of the SMEs (only links not
    connected at the start, and not between two platform firms, bring one): from the later
    of the columns its two ends connect in, a lookup in the discount factors summed from
    each column on."""
    passes = setup.passes
    u, v = passes.benefit_links
    from_column = np.maximum(connects[:, u], connects[:, v])
    both = passes.discounted_from[from_column] @ passes.benefit_weights
    return both[:, 0], both[:, 1]


def _islands_end(setup: Draws, connected: Bools) -> Floats:
    """Islands in the last year, per draw, given which enterprises are connected then.
    The groups joined in every draw (by links connected at the start or between firms
    connected in every draw) are fixed; each draw's copy of the links that may or may not be
    connected joins them further, as a block of a graph of draws x groups nodes, so each
    component lies in one draw."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    passes = setup.passes
    draws = len(connected)
    nodes = passes.island_nodes
    if not nodes:
        return np.full(draws, float(passes.island_fixed))
    u, v = passes.island_links
    d, j = np.nonzero(connected[:, u] & connected[:, v])
    size = draws * nodes
    graph = coo_matrix((np.ones(len(d), np.int8), (passes.island_u[j] + d * nodes,
                                                   passes.island_v[j] + d * nodes)),
                       shape=(size, size))
    count, labels = connected_components(graph, directed=False)
    draw_of = np.empty(count, np.int64)
    draw_of[labels] = np.arange(size) // nodes  # any node of a component gives its draw
    return passes.island_fixed + np.bincount(draw_of, minlength=draws).astype(float)


@dataclass
class _LevelGroup:
    """Some firms' levels in every column: what each assignment adds, and the start."""

    firms: Ints
    gain: Any  # sparse (assignments x (firms x years)): the level each adds, when live
    start: Floats  # (firms x years): own level plus the park projects' gains

    @classmethod
    def of(cls, setup: Draws, start_level: Floats, firms: Ints) -> _LevelGroup:
        from scipy.sparse import csr_matrix

        tr, picked = setup.full.trace, setup.picked
        count, horizon = tr.live.shape
        position = np.full(len(start_level), -1)
        position[firms] = np.arange(len(firms))
        gain = setup.arrays.p_gain[picked.project]
        a, y = np.nonzero(tr.live & ((gain > 0) & (position[picked.who] >= 0))[:, None])
        return cls(firms=firms, start=start_level[firms].ravel(),
                   gain=csr_matrix((gain[a].astype(float),
                                    (a, position[picked.who[a]] * horizon + y)),
                                   shape=(count, len(firms) * horizon)))


@dataclass
class _Passes:
    """What the passes over a chunk of draws need that no draw changes."""

    shape: tuple[int, int]  # enterprises, years
    connected_from: Ints  # (enterprises) first column connected whoever takes part
    connecting: Ints  # the assignments that connect their firm inside the horizon, by firm
    connecting_from: Ints  # and the column they are live from
    connecting_starts: Ints  # where each firm's run of them starts
    connecting_firms: Ints  # and its firm
    level_end: Floats  # (enterprises) level in the last year whoever takes part
    gain_end: Any  # sparse (assignments x enterprises): the level each adds by the last year
    safe_linear: Floats  # (assignments x 2) claims of firms within the cap, to core and SMEs
    safe_group: _LevelGroup  # the firms with claims within the cap
    # per party, sparse (assignments x (safe firms x years)): each claim of a firm within
    # the cap, by the column it arises in, times the party's share
    safe_claims: list[Any]
    risky: Ints  # the assignments with claims of firms whose claims can pass the cap
    risky_group: _LevelGroup  # their firms
    risky_position: Ints  # each of those assignments' firm among them
    benefit_links: tuple[Ints, Ints]  # ends of the links that can bring a benefit
    benefit_weights: Floats  # (those links x 2): yearly benefit to the core and to the SMEs
    discounted_from: Floats  # (years + 1): the discount factors summed from each column on
    island_links: tuple[Ints, Ints]  # ends of the links connected in some draws only
    island_u: Ints  # and their ends' fixed groups, numbered 0 .. island_nodes - 1
    island_v: Ints
    island_nodes: int
    island_fixed: int  # fixed groups no such link touches

    @classmethod
    def of(cls, setup: Draws) -> _Passes:
        from scipy.sparse import coo_matrix, csr_matrix
        from scipy.sparse.csgraph import connected_components

        arrays, full, picked, scenario = setup.arrays, setup.full, setup.picked, setup.scenario
        tr = full.trace
        n, horizon, count = len(arrays.size_factor), len(full.years), len(picked.who)
        park_gain, park_connects = _park_levels(setup)
        start_level = arrays.maturity[:, None] + park_gain  # (enterprises x years)
        # levels and connections never fall: count the columns to find the first
        connected_from = horizon - ((arrays.platform[:, None] + park_connects) > 0).sum(axis=1)
        live_from = horizon - tr.live.sum(axis=1)
        connecting = np.flatnonzero(arrays.p_connects[picked.project] & (live_from < horizon))
        connecting = connecting[np.argsort(picked.who[connecting], kind="stable")]
        connecting_firms, connecting_starts = np.unique(picked.who[connecting],
                                                        return_index=True)
        gain = arrays.p_gain[picked.project].astype(float)
        end = np.flatnonzero(tr.live[:, -1] & (gain > 0)) if horizon else np.zeros(0, int)
        gain_end = csr_matrix((gain[end], (end, picked.who[end])), shape=(count, n))

        # subsidy claims: (assignments x years) by the column they arise in
        arising = tr.opex_claim.copy()
        inside = np.flatnonzero(tr.in_horizon)
        arising[inside, tr.start_offset[inside]] += tr.capex_claim[inside]
        has_claim = arising.any(axis=1) if horizon else np.zeros(count, bool)
        total = np.bincount(picked.who, weights=tr.capex_claim + tr.opex_claim.sum(axis=1),
                            minlength=n)
        cap = scenario.subsidy_cap
        at_risk = total > cap if cap is not None else np.zeros(n, bool)
        safe = has_claim & ~at_risk[picked.who]
        risky = np.flatnonzero(has_claim & at_risk[picked.who])
        share = np.stack([tr.core_pays, 1 - tr.core_pays], axis=1)
        safe_linear = np.where(safe[:, None], setup.claims[:, None] * share, 0.0)
        safe_firms, position = np.unique(picked.who[safe], return_inverse=True)
        a, y = np.nonzero(arising * safe[:, None])
        column = position[np.searchsorted(np.flatnonzero(safe), a)] * horizon + y
        safe_claims = [csr_matrix((arising[a, y] * share[a, k], (a, column)),
                                  shape=(count, len(safe_firms) * horizon)) for k in (0, 1)]
        risky_firms, risky_position = np.unique(picked.who[risky], return_inverse=True)

        give_way()
        # links that can bring a benefit, with their yearly benefit to the core and SMEs
        u, v = arrays.link_u, arrays.link_v
        fresh = ~arrays.link_flag & ~(arrays.platform[u] & arrays.platform[v])
        half = np.where(fresh, scenario.link_benefit_rate * arrays.link_value / 2, 0.0)
        is_core = arrays.firm_core == np.arange(n)
        weights = np.stack([half * (is_core[u].astype(float) + is_core[v]),
                            half * ((~is_core[u]).astype(float) + ~is_core[v])], axis=1)
        useful = np.flatnonzero(weights.any(axis=1))

        give_way()
        # islands at the end: the firms connected by then in every draw, and in some
        def connected_by_end(takes_part: Bools) -> Bools:
            found: Bools = connected_from < horizon
            found[picked.who[connecting[takes_part[connecting]]]] = True
            return found

        surely = connected_by_end(setup.threshold >= 1.0)  # U < 1 always
        maybe = connected_by_end(np.ones(count, bool))
        always = arrays.link_flag | (surely[u] & surely[v])
        sometimes = ~always & (maybe[u] & maybe[v])
        fixed_count, group = connected_components(
            coo_matrix((np.ones(int(always.sum())), (u[always], v[always])), shape=(n, n)),
            directed=False) if n else (0, np.zeros(0, np.int64))
        joining = np.flatnonzero(sometimes & (group[u] != group[v]))
        touched, ends = np.unique(np.r_[group[u[joining]], group[v[joining]]],
                                  return_inverse=True)
        return cls(shape=(n, horizon), connected_from=connected_from.astype(np.int16),
                   connecting=connecting, connecting_from=live_from[connecting].astype(np.int16),
                   connecting_starts=connecting_starts, connecting_firms=connecting_firms,
                   level_end=start_level[:, -1] if horizon else np.zeros(n), gain_end=gain_end,
                   safe_linear=safe_linear, safe_group=_LevelGroup.of(setup, start_level,
                                                                      safe_firms),
                   safe_claims=safe_claims, risky=risky,
                   risky_group=_LevelGroup.of(setup, start_level, risky_firms),
                   risky_position=risky_position,
                   benefit_links=(u[useful], v[useful]), benefit_weights=weights[useful],
                   discounted_from=np.r_[np.cumsum(full.factor[::-1])[::-1], 0.0],
                   island_links=(u[joining], v[joining]), island_u=ends[:len(joining)],
                   island_v=ends[len(joining):], island_nodes=len(touched),
                   island_fixed=fixed_count - len(touched))
