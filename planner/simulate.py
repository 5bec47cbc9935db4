"""Who takes part, and how sure the benefits are: the Monte-Carlo of docs/method.md
(“Who takes part”).

A draw gives every non-core enterprise a uniform U and every project a benefit
multiplier M from its triangular range. The scenario is evaluated once by the engine
with every assignment; most of what an assignment adds does not depend on the others
(its spending, loan, interest subsidy, tax relief and own benefit), so a chunk of
draws is a matrix product of "which assignments take place" with those per-assignment
rows. What does depend on the others — levels and platform connection, hence link
benefits, islands and level-gated subsidies, and the cap — is worked out per draw
with arrays over (draws x enterprises x years), the cap by the engine's own rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

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
    evaluate_scenario,
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

    @classmethod
    def of(cls, model: ChainModel, scenario: str) -> Draws:
        chosen = model.scenario(scenario)
        if chosen is None:
            raise KeyError(scenario)
        arrays = ChainArrays.of(model)
        full = evaluate_scenario(arrays, chosen, detail=False)
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
             progress: Callable[[int, int], bool] | None = None) -> Simulation:
    """The Monte-Carlo of one scenario of a model without errors."""
    setup = Draws.of(model, scenario)
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
    """The KPIs of a chunk of draws (docs/method.md, “Who takes part”)."""
    arrays, full, picked = setup.arrays, setup.full, setup.picked
    scenario = setup.scenario
    draws, n, horizon = len(takes), len(arrays.size_factor), len(full.years)
    taken = takes.astype(float)
    weighted = taken * multiplier[:, picked.project]  # own benefits scale with M
    costs = taken @ setup.own[:, :3]  # (draws x 3): core, SMEs, government
    benefits = weighted @ setup.own[:, 3:]  # (draws x 2): core, SMEs
    benefits += multiplier[:, setup.park_project] @ setup.park_benefit
    maturity, connected = _levels(setup, taken)
    subsidy_core, subsidy_sme = _subsidies(setup, takes, taken, maturity)
    links = _link_benefits(setup, connected)
    npv_core = benefits[:, 0] + links[0] - costs[:, 0] + subsidy_core - setup.park_npv["core"]
    npv_sme = benefits[:, 1] + links[1] - costs[:, 1] + subsidy_sme
    npv_park = np.full(draws, 0.0 - setup.park_npv["park"])
    npv_government = 0.0 - (subsidy_core + subsidy_sme + costs[:, 2]
                            + setup.park_npv["government"])
    smes = setup.non_core
    share = connected[:, smes, :].mean(axis=1) if smes.any() \
        else np.full((draws, horizon), np.nan)
    digitalised = maturity[:, smes, -1] >= scenario.target_level if horizon else \
        np.zeros((draws, 0), bool)
    return {
        "npv": npv_core + npv_sme + npv_park + npv_government,
        "npv_core": npv_core, "npv_sme": npv_sme, "npv_park": npv_park,
        "npv_government": npv_government,
        "connected_share_end": share[:, -1] if horizon else np.full(draws, np.nan),
        "digitalised_share_end": digitalised.mean(axis=1) if smes.any() and horizon
        else np.full(draws, np.nan),
        "islands_end": _islands_end(arrays, links[2], draws, n) if horizon
        else np.full(draws, np.nan),
        "connected_share": share,
    }


def _levels(setup: Draws, taken: Floats) -> tuple[Ints, Bools]:
    """Level and platform connection of every enterprise in every year of each draw
    (draws x enterprises x years), counting the park projects (always there) and the
    assignments that take place."""
    from scipy.sparse import csr_matrix

    arrays, full, picked = setup.arrays, setup.full, setup.picked
    draws, n, horizon = len(taken), len(arrays.size_factor), len(full.years)
    live = full.trace.live
    park_gain, park_connects = _park_levels(setup)
    found = []
    for values, base in ((arrays.p_gain[picked.project].astype(float), park_gain),
                         (arrays.p_connects[picked.project].astype(float), park_connects)):
        a, y = np.nonzero(live & (values > 0)[:, None])
        # (enterprises x years) x assignments: what each assignment adds where it is live
        adds = csr_matrix((values[a], (picked.who[a] * horizon + y, a)),
                          shape=(n * horizon, len(values)))
        total = np.asarray(adds @ taken.T).T.reshape(draws, n, horizon)
        found.append(total + base[None, :, :])
    maturity = np.minimum(4, arrays.maturity[None, :, None] + np.rint(found[0])).astype(
        np.int64)
    connected = arrays.platform[None, :, None] | (found[1] > 0)
    return maturity, connected


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


def _subsidies(setup: Draws, takes: Bools, taken: Floats, maturity: Ints
               ) -> tuple[Floats, Floats]:
    """The discounted subsidies paid to the core and to the SMEs in each draw: the claims
    of the assignments that take place, paid once the firm's level is reached in that draw,
    and an enterprise's paid claims cut by the cap (the engine's rule)."""
    from planner.engine import _capped

    full, picked, scenario = setup.full, setup.picked, setup.scenario
    tr = full.trace
    n, horizon = len(setup.arrays.size_factor), len(full.years)
    share = np.stack([tr.core_pays, 1 - tr.core_pays], axis=1)  # (assignments x 2)
    total = np.bincount(picked.who, weights=tr.capex_claim + tr.opex_claim.sum(axis=1),
                        minlength=n)
    cap = scenario.subsidy_cap
    capped = cap is not None and bool(np.any(total[picked.who] > cap))
    if scenario.subsidy_min_level is None and not capped:  # every claim paid when it arises
        both = taken @ (setup.claims[:, None] * share)
        return both[:, 0], both[:, 1]
    claims = (tr.capex_claim > 0) | tr.opex_claim.any(axis=1)
    d, a = np.nonzero(takes & claims[None, :])
    firm = picked.who[a]
    capex_claim, opex_claim = tr.capex_claim[a], tr.opex_claim[a]
    offset = tr.start_offset[a]
    columns = np.arange(horizon)
    if scenario.subsidy_min_level is None:
        capex_column = np.where(tr.in_horizon[a], offset, horizon)
        opex_column = np.broadcast_to(columns, (len(a), horizon))
    else:
        reached = np.where(maturity >= scenario.subsidy_min_level, columns, horizon)
        first_from = np.minimum.accumulate(reached[:, :, ::-1], axis=2)[:, :, ::-1]
        capex_column = np.where(tr.in_horizon[a], first_from[d, firm, offset], horizon)
        opex_column = first_from[d, firm]
    capex_paid = np.where(capex_column < horizon, capex_claim, 0.0)
    opex_paid = np.where(opex_column < horizon, opex_claim, 0.0)
    if cap is not None and capped and len(a):
        # the cap binds only where a firm's claims could pass it; elsewhere all are paid
        risky = np.flatnonzero(total[firm] > cap)
        if len(risky):
            capex_paid[risky], opex_paid[risky] = _capped(
                cap, d[risky] * n + firm[risky],
                setup.arrays.p_rank[picked.project[a[risky]]], picked.start[a[risky]],
                scenario.start_year, capex_claim[risky], capex_column[risky],
                opex_claim[risky], np.ascontiguousarray(opex_column[risky]))
    factor = np.r_[full.factor, 0.0]  # column horizon: never paid
    value = capex_paid * factor[capex_column] + (opex_paid * factor[opex_column]).sum(axis=1)
    draws = len(takes)
    return (np.bincount(d, weights=value * share[a, 0], minlength=draws).astype(float),
            np.bincount(d, weights=value * share[a, 1], minlength=draws).astype(float))


def _link_benefits(setup: Draws, connected: Bools) -> tuple[Floats, Floats, Bools]:
    """Per draw, the discounted link benefits of the core and of the SMEs; and which links
    are data-connected in the last year (draws x links)."""
    arrays, scenario = setup.arrays, setup.scenario
    u, v = arrays.link_u, arrays.link_v
    draws, horizon = len(connected), connected.shape[2]
    link = arrays.link_flag[None, :, None] | (connected[:, u, :] & connected[:, v, :])
    fresh = ~arrays.link_flag & ~(arrays.platform[u] & arrays.platform[v])
    half = np.where(fresh, scenario.link_benefit_rate * arrays.link_value / 2, 0.0)
    core = arrays.firm_core == np.arange(len(arrays.size_factor))
    weights = np.stack([half * (core[u].astype(float) + core[v]),
                        half * ((~core[u]).astype(float) + ~core[v])], axis=1)  # (links x 2)
    both = np.einsum("dly,lk,y->kd", link, weights, setup.full.factor) if link.size else \
        np.zeros((2, draws))
    end = link[:, :, -1] if horizon else np.zeros((draws, len(u)), bool)
    return both[0], both[1], end


def _islands_end(arrays: ChainArrays, link_end: Bools, draws: int, n: int) -> Floats:
    """Islands in the last year, per draw: each draw's copy of the chain is a block of a
    graph of draws x enterprises nodes, so each component lies in one draw."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    d, link = np.nonzero(link_end)
    size = draws * n
    graph = coo_matrix((np.ones(len(d)), (arrays.link_u[link] + d * n,
                                          arrays.link_v[link] + d * n)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    _, first = np.unique(labels, return_index=True)
    return np.bincount(first // n, minlength=draws).astype(float)
