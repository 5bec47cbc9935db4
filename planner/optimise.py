"""The plan optimiser (docs/method.md, “Optimiser”): which (enterprise, project, start year)
to add to a scenario.

The decision is a mixed-integer program solved by HiGHS through ``scipy.optimize.milp``.
Variables (one column each, built with vectorised numpy into one sparse matrix):

- ``x[k]`` for every *item* k: S's own assignments that count in the horizon (fixed to 1
  through their bounds, so every expression below treats old and new rows alike) and every
  candidate addition (binary);
- ``G[k]``, ``w[k]`` for the items of enterprises whose subsidies *could* reach the
  scenario's ``subsidy_cap``: ``G[k]`` is the enterprise's cumulative subsidy up to item k in
  the order of the cap rule (start year, then project id; docs/method.md, “Subsidy and its
  cap”) and ``w[k]`` says the cap is reached at k. The rows ``G[k] = min(cap, G[k-1] +
  raw[k]·x[k])`` are exact (big-M = raw[k], which is tight), so the subsidy each item gets
  is exactly that ordered rule, existing rows included
  (a new item that sorts earlier takes cap away from an old one). Enterprises that cannot
  reach the cap get subsidy ``raw[k]·x[k]`` without extra variables;
- ``conn[e, t]`` in [0, 1] for enterprises that are not platform-connected but have an item
  that connects them (``conn <= Σ x`` of those live in t), and ``on[l, t]`` in [0, 1] for
  links whose benefit a plan can switch on (``on <= conn`` of each end not connected by its
  flag). They only carry positive weights, so at an optimum they equal the true 0/1 values:
  the link benefits (docs/method.md, “Link benefit”) are modelled exactly.

The objective is the engine's NPV (benefits, link benefits, capex and opex; subsidies are transfers
and do not change it), or, with ``objective="coverage"``, two solves: first the number of
connected non-core firms in the horizon's last year, then NPV with that number held.

Budgets cover the whole scenario (S's own rows plus additions): the core pays
``core_share·(capex − subsidy)`` and ``core_share·opex`` of SME projects and all of its own;
the government pays the subsidies. The SME cost cap is ``own cost(e, y) <= R·revenue(e)``;
where S's own rows already make a firm exceed it in a year (the optimiser cannot remove
them), that firm's limit in that year is S's own figure instead ("no worse than S") — the
checker applies the same rule when given the baseline.

After the solve the plan is evaluated by ``planner.engine.evaluate`` and checked by
``check_plan`` (written apart from the MILP): the reported objective is the engine's NPV,
the bound is HiGHS's dual bound, and ``exact`` is True only when HiGHS proved optimality and
the engine agrees with the MILP's value. Should the engine's plan break a rule (it should not;
only numerical tolerances could), additions are dropped, latest first, until it passes.

HiGHS cannot be interrupted through ``milp``: ``cancel`` is polled before and after the solve,
and the time limit bounds the solve itself (HiGHS checks it between phases, so a long presolve
or cut round can overrun it). ``milp`` takes no starting solution: when the limit passes before
HiGHS has a feasible plan (seen on 10,000-firm chains), S is returned unchanged with status
"time limit".

What the result says (``OptimiseResult.summary``/``notes``, ``Why.text``, in English or
Chinese by an explicit ``lang``): when S alone breaks a budget, which one and by how much
(status "infeasible", nothing added); each addition's NPV as what the plan would lose
without it, and why it starts in its year, both from what-ifs on its firm's rows alone
(``_WhatIf``: the engine's rules for that firm, every other firm's figures as planned).
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
from numpy.typing import NDArray

from models.chain import Assignment, ChainModel, Scenario
from models.schema import SIZES
from planner.engine import (
    ChainArrays,
    ScenarioResult,
    _subsidies,
    evaluate,
    evaluate_scenario,
)

if TYPE_CHECKING:
    from scipy.sparse import csr_array

    Sparse: TypeAlias = csr_array[np.float64]

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]

OBJECTIVES = ("npv", "coverage")
_TOL = 1e-6
# HiGHS finds no plan in minutes on ~100,000 candidates; beyond LARGE it first solves over
# the KEEP candidates with the highest own NPV (a plan that is feasible for the whole problem)
LARGE = 40_000
KEEP = 20_000


def _amount(value: float) -> str:
    return f"{value:,.1f}"


def _join(texts: list[str], lang: str, most: int | None = None) -> str:
    """Texts in a list, "; " or "；" between them; beyond ``most``, how many more."""
    zh = lang == "zh_CN"
    shown = texts if most is None else texts[:most]
    joined = ("；" if zh else "; ").join(shown)
    more = len(texts) - len(shown)
    if more:
        joined += f" 等（另有 {more} 项）" if zh else f" and {more} more"
    return joined


@dataclass(frozen=True)
class Limit:
    """A budget or an SME's cost cap, and what a plan spends against it."""

    kind: str  # "core", "government" or "sme"
    year: int | None  # None: over the whole horizon
    amount: float  # what the plan spends (for "sme": what the firm pays itself)
    limit: float
    enterprise: str = ""  # for "sme": the firm, as "id name"

    def name(self, lang: str) -> str:
        """The limit's name: “the core budget in 2027”, “2027 年核心企业预算”."""
        zh = lang == "zh_CN"
        if self.kind == "sme":
            what = f"{self.enterprise} 的自付成本上限" if zh else \
                f"{self.enterprise}'s own cost cap"
        elif self.kind == "core":
            what = "核心企业预算" if zh else "the core budget"
        else:
            what = "政府预算" if zh else "the government budget"
        if zh:
            return ("规划期内" if self.year is None else f"{self.year} 年") + what
        return what + (" over the horizon" if self.year is None else f" in {self.year}")

    def over_text(self, lang: str) -> str:
        """The limit with what would be spent against it: "… (1,050.0 > 1,000.0)"."""
        paren = "（{0} > {1}）" if lang == "zh_CN" else " ({0} > {1})"
        return self.name(lang) + paren.format(_amount(self.amount), _amount(self.limit))

    def left_text(self, lang: str) -> str:
        """How much of the limit is left: "…: 0.4 of 1,000.0 left"."""
        left = _amount(max(self.limit - self.amount, 0.0))
        if lang == "zh_CN":
            return f"{self.name(lang)}：剩余 {left} / {_amount(self.limit)}"
        return f"{self.name(lang)}: {left} of {_amount(self.limit)} left"


# the kinds of Why
FIRST_YEAR = "first year"  # the horizon's first year: no earlier start exists
PREREQUISITE = "prerequisite"  # the first year its required project is live / its level is met
LIMITED = "limit"  # an earlier start would break a budget or a cost cap
TIMING = "timing"  # an earlier start is allowed but worth less
TIE = "tie"  # an earlier start is allowed and worth the same
GAP = "gap"  # an earlier start is allowed and worth more: the solver stopped short of it


@dataclass(frozen=True)
class Why:
    """Why an addition starts in its year, from the plan's own figures."""

    kind: str  # one of FIRST_YEAR, PREREQUISITE, LIMITED, TIMING, TIE, GAP
    year: int
    earliest: int  # the earliest year the rules (requires, min_maturity) allow in this plan
    other: int | None = None  # TIMING, TIE, GAP: the earlier year compared
    amount: float = 0.0  # TIMING: NPV lost by starting in ``other``; GAP: NPV gained
    requires: str = ""  # PREREQUISITE: the required project going live in ``year`` ("id name")
    level: int = 0  # PREREQUISITE: the level needed, reached in ``year`` (0: not the reason)
    lifted_by: tuple[str, ...] = ()  # PREREQUISITE: projects whose go-live lifts the level
    limits: tuple[Limit, ...] = ()  # LIMITED: what starting a year earlier would break
    later: float | None = None  # NPV lost by starting a year later, when that is possible

    def text(self, lang: str) -> str:
        zh = lang == "zh_CN"
        if self.kind == FIRST_YEAR:
            text = f"{self.year} 年是规划期首年，无法更早开始" if zh else \
                f"{self.year} is the horizon's first year: it cannot start earlier"
        elif self.kind == PREREQUISITE:
            parts = []
            if self.requires:
                parts.append(f"前置项目 {self.requires} 自 {self.year} 年起上线" if zh else
                             f"its prerequisite {self.requires} is live from {self.year}")
            if self.level:
                lifts = "、".join(self.lifted_by) if zh else ", ".join(self.lifted_by)
                parts.append(
                    f"该企业自 {self.year} 年起达到所需的数字化水平 {self.level} 级"
                    + (f"（{lifts} 上线后）" if lifts else "") if zh else
                    f"the firm reaches the level {self.level} it needs in {self.year}"
                    + (f" (once {lifts} is live)" if lifts else ""))
            text = _join(parts, lang) + ("，无法更早开始" if zh else ": it cannot start earlier")
        elif self.kind == LIMITED:
            limits = _join([x.over_text(lang) for x in self.limits], lang)
            if self.earliest == self.year - 1:
                text = f"提前一年开始将超出{limits}" if zh else \
                    f"starting a year earlier would exceed {limits}"
            else:
                text = (f"规则允许最早 {self.earliest} 年开始，但在 {self.year - 1} 年开始将超出"
                        f"{limits}" if zh else f"the rules allow {self.earliest}, but starting "
                        f"in {self.year - 1} would exceed {limits}")
        elif self.kind == TIMING:
            text = (f"也可在 {self.other} 年开始，但净现值将减少 {_amount(self.amount)}" if zh
                    else f"it could start in {self.other}, but that would lower the NPV by "
                    f"{_amount(self.amount)}")
        elif self.kind == TIE:
            text = f"在 {self.other} 年开始净现值相同，两者一样好" if zh else \
                f"starting in {self.other} gives the same NPV: either year is as good"
        else:
            text = (f"在 {self.other} 年开始可使净现值增加 {_amount(self.amount)}，"
                    "求解器在找到之前已停止（见差距）" if zh else
                    f"starting in {self.other} would add {_amount(self.amount)} to the NPV; "
                    "the solver stopped before finding it (see the gap)")
        if self.later is not None and self.kind in (FIRST_YEAR, PREREQUISITE):
            text += (f"；推迟一年净现值将减少 {_amount(self.later)}" if zh else
                     f"; a year later would lower the NPV by {_amount(self.later)}")
        return text


@dataclass
class Addition:
    """One chosen addition, what it is worth to the plan, and why it starts when it does."""

    enterprise: str
    project: str
    start_year: int
    npv: float  # NPV of the plan − NPV of the plan without this addition (docs/method.md)
    own_npv: float  # of which its own discounted benefit − capex − opex
    link_npv: float  # of which link benefits that only it brings (its firm connects)
    tight: list[Limit]  # limits with (almost) nothing left in the years it spends in
    why: Why
    enterprise_name: str = ""
    project_name: str = ""

    def enterprise_label(self) -> str:
        return f"{self.enterprise} {self.enterprise_name}".strip()

    def project_label(self) -> str:
        return f"{self.project} {self.project_name}".strip()

    def npv_text(self, lang: str) -> str:
        """Its NPV and the part that is link benefit: “503.7 (links 478.6)”."""
        if not self.link_npv:
            return _amount(self.npv)
        return f"{_amount(self.npv)}（其中链接 {_amount(self.link_npv)}）" if lang == "zh_CN" \
            else f"{_amount(self.npv)} (links {_amount(self.link_npv)})"

    def line(self, lang: str) -> str:
        """The addition in one line: who, what, when, its NPV and why then; what binds."""
        zh = lang == "zh_CN"
        text = (f"{self.enterprise_label()} — {self.project_label()}，{self.start_year} 年：净现值 "
                f"{self.npv_text(lang)}；{self.why.text(lang)}" if zh else
                f"{self.enterprise_label()} — {self.project_label()}, {self.start_year}: NPV "
                f"{self.npv_text(lang)}; {self.why.text(lang)}")
        if self.tight:
            text += f"（受限：{self.tight_text(lang)}）" if zh else \
                f" (binding: {self.tight_text(lang)})"
        return text

    def tight_text(self, lang: str) -> str:
        """The limits it meets with (almost) nothing left, and what is left of each."""
        return _join([x.left_text(lang) for x in self.tight], lang)


# texts of the per-addition figures, shared by the command line and the app
NPV_MEANING = (
    "NPV: what the plan's NPV would lose without this addition (its own NPV plus the link "
    "benefits only it brings).",
    "净现值：去掉该项后方案净现值的减少额（其自身净现值加上仅因它而得的链接收益）。")


@dataclass
class OptimiseResult:
    scenario: Scenario  # the new scenario "S (optimised)"
    assignments: list[Assignment]  # S's rows copied to the new scenario, then the additions
    objective: float  # the engine's NPV of the new scenario
    bound: float | None  # best bound on the NPV HiGHS proved (None: no plan was solved)
    gap: float | None  # (bound − objective) / |objective|, as HiGHS reports gaps
    status: str  # optimal / time limit / infeasible / cancelled / no candidates / …
    exact: bool
    seconds: float
    additions: list[Addition] = field(default_factory=list)
    base_objective: float = 0.0  # NPV of S as it was
    coverage: float | None = None  # connected share (non-core) in the horizon's last year
    core_spend: float = 0.0  # over the horizon, engine figures
    government_spend: float = 0.0
    message: str = ""
    candidates: int = 0  # candidate additions after reduction
    variables: int = 0
    constraints: int = 0
    base: str = ""  # the scenario S
    over: list[Limit] = field(default_factory=list)  # budgets S alone exceeds (infeasible)
    held: list[Limit] = field(default_factory=list)  # SMEs S alone puts over the cost cap
    restricted: bool = False  # solved over the KEEP candidates of highest own NPV only
    binding: list[Limit] = field(default_factory=list)  # budgets with at most 1 % left

    @property
    def changed(self) -> bool:
        """Whether there is a plan to add (a new scenario); False: the model stays as it is."""
        return bool(self.additions)

    def summary(self, lang: str) -> str:
        """One paragraph: what was found, or why nothing was added."""
        zh = lang == "zh_CN"
        base = f"“{self.base}”"
        if self.status == "infeasible" and self.over:
            limits = _join([x.over_text(lang) for x in self.over], lang, most=6)
            return (f"无可行方案：情景{base}本身已超出限额——{limits}。请提高预算，或对分配更少的"
                    "情景进行优化。未添加任何内容。" if zh else
                    f"No plan: {base} alone already spends more than allowed — {limits}. "
                    "Raise the budget or optimise a scenario with fewer assignments. Nothing "
                    "was added.")
        if not self.additions:
            why = {
                "no candidates": ("没有满足规则（规模、前置项目、在规划期内上线）的可添加项"
                                  if zh else "no addition passes the rules (size, "
                                  "prerequisites, going live within the horizon)"),
                "optimal": ("在预算和成本上限内，没有能提高目标的添加项" if zh else
                            "no addition raises the objective within the budgets and cost "
                            "caps"),
                "cancelled": "已取消" if zh else "cancelled",
                "time limit": ("达到时间限制时求解器尚未找到方案，请延长时间限制" if zh else
                               "the solver found no plan within the time limit; allow more "
                               "time"),
            }.get(self.status, ("求解器未找到方案（" + self.status + "）") if zh else
                  f"the solver found no plan ({self.status})")
            return (f"情景{base}无可添加项：{why}。未添加任何内容。" if zh else
                    f"Nothing to add to {base}: {why}. Nothing was added.")
        gap = "—" if self.gap is None else f"{self.gap * 100:.2f} %"
        bound = "—" if self.bound is None else _amount(self.bound)
        if self.exact and (self.gap or 0.0) <= 1e-6:
            status = "已证明最优" if zh else "proven optimal"
        elif zh:
            status = "可行（仅在部分候选项中求解）" if self.restricted else {
                "optimal": "在求解差距内最优", "time limit": "达到时间限制"}.get(self.status,
                                                                       self.status)
        else:
            status = "optimal within the solver's gap" if self.status == "optimal" else \
                self.status
        return (f"“{self.scenario.name}”：添加 {len(self.additions)} 项；净现值 "
                f"{_amount(self.base_objective)} → {_amount(self.objective)}（上界 {bound}，"
                f"差距 {gap}）；{status}，用时 {self.seconds:.1f} 秒。" if zh else
                f"“{self.scenario.name}”: {len(self.additions)} additions; NPV "
                f"{_amount(self.base_objective)} → {_amount(self.objective)} (bound {bound}, "
                f"gap {gap}); {status}, {self.seconds:.1f} s.")

    def notes(self, lang: str) -> list[str]:
        """What else a planner should know about the plan (firms S keeps over the cap …)."""
        zh = lang == "zh_CN"
        out = []
        if self.binding:
            binding = _join([x.left_text(lang) for x in self.binding], lang)
            out.append(f"起约束作用的预算：{binding}。" if zh else f"Binding: {binding}.")
        if self.held:
            firms = _join([x.over_text(lang) for x in self.held], lang, most=6)
            out.append(f"情景“{self.base}”本身已使以下中小企业超出自付成本上限，优化不会再加重其"
                       f"负担（这些年份的自付成本不高于原情景）：{firms}。" if zh else
                       f"“{self.base}” alone already puts these SMEs over the cost cap; the "
                       "plan keeps them no worse than that (their own cost in those years "
                       f"does not grow): {firms}.")
        if self.restricted:
            out.append(f"候选项 {self.candidates:,} 个：仅在自身净现值最高的 {KEEP:,} 个中求解，"
                       "上界有效但较松。" if zh else
                       f"{self.candidates:,} candidates: solved over the {KEEP:,} with the "
                       "highest own NPV; the bound is valid but loose.")
        return out


# --- the independent checker -------------------------------------------------------------

def sme_own_costs(result: ScenarioResult, n_enterprises: int) -> Floats:
    """Each enterprise's own yearly cost (enterprises x years), from the engine's trace."""
    tr = result.trace
    horizon = len(result.years)
    own = 1.0 - tr.core_pays
    table = np.zeros((n_enterprises, horizon))
    spend = tr.in_horizon
    np.add.at(table, (tr.enterprise[spend], tr.start_offset[spend]),
              (own * (tr.capex - tr.subsidy))[spend])
    table += np.stack([np.bincount(tr.enterprise, weights=own * tr.opex * tr.live[:, t],
                                   minlength=n_enterprises) for t in range(horizon)], axis=1) \
        if len(tr.enterprise) else 0.0
    return table


def check_plan(model: ChainModel, scenario_name: str, core_budget: float | None,
               government_budget: float | None, per_year: bool = False,
               sme_cost_cap: float = 0.02, baseline: str | None = None) -> list[str]:
    """Every way the scenario breaks the optimiser's constraints (empty: feasible).

    Money comes from ``planner.engine.evaluate``. With ``baseline`` (the scenario the plan
    was made from), the rule checks skip rows the baseline has too (same enterprise, project
    and start year), and a firm's yearly own cost may reach the baseline's own figure where
    that exceeds ``sme_cost_cap``·revenue. A budget of None is no limit.
    """
    arrays = ChainArrays.of(model)
    result = evaluate(model, scenario_name, arrays=arrays, problems=[])[0]
    scenario = result.scenario
    found: list[str] = []
    years = [int(y) for y in result.years]

    def budget(party: str, limit: float | None) -> None:
        if limit is None:
            return
        spend = result.party_cost[party]
        checks = list(zip(years, spend.tolist(), strict=True)) if per_year else \
            [(None, float(spend.sum()))]
        for year, amount in checks:
            if amount > limit + _TOL * max(1.0, abs(limit)):
                where = f" in {year}" if year is not None else ""
                found.append(f"{party} spends {amount:.6g}{where}, over its budget {limit:.6g}")

    budget("core", core_budget)
    budget("government", government_budget)

    n = len(arrays.ids)
    own = sme_own_costs(result, n)
    limit = sme_cost_cap * arrays.revenue[:, None] + np.zeros_like(own)
    if baseline is not None:
        base = evaluate(model, baseline, arrays=arrays, problems=[])[0]
        limit = np.maximum(limit, sme_own_costs(base, n))
    over = own > limit + _TOL * np.maximum(1.0, limit)
    if arrays.core >= 0:
        over[arrays.core] = False
    for e, t in zip(*np.nonzero(over), strict=True):
        found.append(f"{arrays.ids[e]} pays {own[e, t]:.6g} itself in {years[t]}, over "
                     f"{limit[e, t]:.6g}")

    enterprises = model.enterprise_index()
    projects = model.project_index()
    rows = [a for a in model.assignments if a.scenario == scenario_name]
    kept = set()
    if baseline is not None:
        kept = {(a.enterprise, a.project, a.start_year) for a in model.assignments
                if a.scenario == baseline}
    seen: set[tuple[str, str]] = set()
    live: dict[str, list[tuple[int, str, int]]] = {}
    for a in rows:
        p = projects[a.project]
        live.setdefault(a.enterprise, []).append((a.start_year + p.duration, p.id,
                                                  p.maturity_gain))
    for a in rows:
        if (a.enterprise, a.project) in seen:
            found.append(f"{a.enterprise} starts {a.project} twice")
        seen.add((a.enterprise, a.project))
        if (a.enterprise, a.project, a.start_year) in kept:
            continue
        e, p = enterprises[a.enterprise], projects[a.project]
        if not scenario.start_year <= a.start_year < scenario.start_year + scenario.horizon:
            found.append(f"{e.id} {p.id} starts {a.start_year}, outside the horizon")
        if p.eligible_sizes and e.size not in p.eligible_sizes:
            found.append(f"{p.id} is not for {e.size} firms like {e.id}")
        others = live[e.id]
        level = min(4, e.maturity + sum(g for y, _, g in others if y <= a.start_year))
        if level < p.min_maturity:
            found.append(f"{e.id} is at level {level} in {a.start_year}; {p.id} needs "
                         f"{p.min_maturity}")
        if p.requires and not any(pid == p.requires and y <= a.start_year
                                  for y, pid, _ in others):
            found.append(f"{p.id} on {e.id} in {a.start_year} needs {p.requires} live first")
    return found


# --- the program -------------------------------------------------------------------------

@dataclass
class _Program:
    """The MILP and the index arrays needed to read a solution back."""

    c: Floats  # minimised (the negated NPV)
    constant: float
    integrality: Ints
    lb: Floats
    ub: Floats
    a: Sparse
    row_lb: Floats
    row_ub: Floats
    row_names: list[str]  # "core", "government", "sme" per row, others ""
    row_year: Ints  # horizon offset of budget / SME rows (-1 when over the horizon)
    row_enterprise: Ints  # enterprise of SME rows, -1 otherwise
    item_e: Ints
    item_p: Ints
    item_s: Ints
    item_fixed: Bools
    item_npv: Floats
    n_items: int
    coverage_c: Floats  # minimised: − connected non-core firms in the last year (variables)
    coverage_constant: float
    conn_base: int  # first conn column; conn[e, t] for e in conn_ids
    conn_ids: Ints
    link_base: int
    link_ids: Ints
    w_cols: slice  # the cap binaries (relaxed to [0, 1] in the first solve)


def _candidates(arrays: ChainArrays, scenario: Scenario, existing: list[Assignment]
                ) -> tuple[Ints, Ints, Ints]:
    """Candidate (enterprise, project, start year) that could ever pass the rules."""
    model = arrays.model
    n, n_p = len(arrays.ids), len(model.projects)
    start, horizon = scenario.start_year, scenario.horizon
    last = start + horizon - 1
    big = np.iinfo(np.int64).max // 4
    has = np.zeros((n, n_p), bool)
    live_existing = np.full((n, n_p), big, np.int64)
    for a in existing:
        e, p = arrays.index[a.enterprise], arrays.project_index[a.project]
        has[e, p] = True
        live_existing[e, p] = min(live_existing[e, p], a.start_year + int(arrays.p_duration[p]))
    eligible = np.ones((n, n_p), bool)
    for j, proj in enumerate(model.projects):
        if proj.eligible_sizes:
            codes = [list(SIZES).index(sz) for sz in proj.eligible_sizes]
            eligible[:, j] = np.isin(arrays.size_code, codes)
    requires = [arrays.project_index.get(p.requires, -1) if p.requires else -1
                for p in model.projects]
    min_level = np.array([p.min_maturity for p in model.projects], np.int64)
    allowed = eligible & ~has
    earliest_live = live_existing.copy()
    earliest_start = np.full((n, n_p), big, np.int64)
    for _ in range(n_p + 2):  # a fixed point: earlier lives allow earlier starts
        new_start = np.full((n, n_p), big, np.int64)
        for s in range(last, start - 1, -1):
            gains = (arrays.p_gain[None, :] * (earliest_live <= s)).sum(axis=1)
            level = arrays.maturity + gains
            ok = allowed & (level[:, None] >= min_level[None, :])
            for j, r in enumerate(requires):
                if r >= 0:
                    ok[:, j] &= earliest_live[:, r] <= s
            ok &= (s + arrays.p_duration[None, :]) <= last  # must go live inside the horizon
            new_start = np.where(ok, s, new_start)
        new_live = np.minimum(live_existing, np.where(new_start < big,
                                                      new_start + arrays.p_duration[None, :],
                                                      big))
        if np.array_equal(new_start, earliest_start) and np.array_equal(new_live,
                                                                        earliest_live):
            break
        earliest_start, earliest_live = new_start, new_live
    es, ps, ss = [], [], []
    for s in range(start, last + 1):
        e_idx, p_idx = np.nonzero(earliest_start <= s)
        keep = s + arrays.p_duration[p_idx] <= last
        es.append(e_idx[keep])
        ps.append(p_idx[keep])
        ss.append(np.full(int(keep.sum()), s, np.int64))
    return (np.concatenate(es).astype(np.int64), np.concatenate(ps).astype(np.int64),
            np.concatenate(ss).astype(np.int64))


def _build(arrays: ChainArrays, scenario: Scenario, core_budget: float | None,
           government_budget: float | None, per_year: bool, core_share: float,
           sme_limit: Floats, base: ScenarioResult) -> _Program:
    """The program; ``sme_limit`` (enterprises x years) is each firm's own yearly cost cap,
    never below what S alone makes it pay."""
    from scipy.sparse import coo_array, csr_array, vstack

    model = arrays.model
    start, horizon = scenario.start_year, scenario.horizon
    factor = base.factor
    tail = np.cumsum(factor[::-1])[::-1]  # Σ factor over t..H-1
    tail = np.r_[tail, 0.0]
    existing = [a for a in model.assignments if a.scenario == scenario.name]
    ce, cp, cs = _candidates(arrays, scenario, existing)
    # existing rows that matter in the horizon (those starting after it add nothing)
    old = [a for a in existing if a.start_year < start + horizon]
    oe = np.fromiter((arrays.index[a.enterprise] for a in old), np.int64, len(old))
    op = np.fromiter((arrays.project_index[a.project] for a in old), np.int64, len(old))
    os_ = np.fromiter((a.start_year for a in old), np.int64, len(old))
    o_share = np.fromiter((a.core_share for a in old), float, len(old))

    item_e = np.r_[oe, ce]
    item_p = np.r_[op, cp]
    item_s = np.r_[os_, cs]
    fixed = np.r_[np.ones(len(old), bool), np.zeros(len(ce), bool)]
    is_core = item_e == arrays.core
    pay = np.where(is_core, 1.0, np.r_[o_share, np.full(len(ce), core_share)])
    f = arrays.size_factor[item_e]
    capex = arrays.p_capex[item_p] * f
    opex = arrays.p_opex[item_p] * f
    benefit = arrays.p_rate[item_p] * arrays.revenue[item_e] + arrays.p_fixed[item_p] * f
    in_h = (item_s >= start) & (item_s < start + horizon)
    t_s = np.where(in_h, item_s - start, -1)
    lt = np.clip(item_s + arrays.p_duration[item_p] - start, 0, horizon)  # first live offset
    rates = np.array([getattr(scenario, "subsidy_" + size) for size in SIZES], float)
    raw = np.where(in_h, rates[arrays.size_code[item_e]] * capex, 0.0)
    npv = np.where(in_h, -capex * factor[np.maximum(t_s, 0)], 0.0) + (benefit - opex) * tail[lt]

    # drop candidates that can only lose: negative NPV, enabling nothing, connecting nothing
    needed = {p.requires for p in model.projects if p.requires}
    enables = np.array([p.id in needed for p in model.projects], bool)
    levels_matter = any(p.min_maturity > 1 for p in model.projects)
    useless = (~fixed & (npv < 0) & ~arrays.p_connects[item_p] & ~enables[item_p]
               & ~((arrays.p_gain[item_p] > 0) & levels_matter))
    if per_year and scenario.subsidy_cap is not None:
        useless &= raw == 0  # it could shift capped subsidy between years
    keep = ~useless
    item_e, item_p, item_s, fixed, is_core, pay, capex, opex, benefit, in_h, t_s, lt, raw, npv = (
        v[keep] for v in (item_e, item_p, item_s, fixed, is_core, pay, capex, opex, benefit,
                          in_h, t_s, lt, raw, npv))
    k_items = len(item_e)
    n = len(arrays.ids)

    # --- subsidy: exact ordered cap for enterprises that could reach it
    cap = scenario.subsidy_cap
    binding = np.zeros(k_items, bool)
    pid_rank = np.argsort(np.argsort([p.id for p in model.projects], kind="stable"))
    if cap is not None and k_items:
        # most raw subsidy a firm could collect: its fixed rows + the largest per project
        most = np.bincount(item_e[fixed], weights=raw[fixed], minlength=n)
        cand = ~fixed
        if cand.any():
            key = item_e[cand] * len(model.projects) + item_p[cand]
            per = np.zeros(n * len(model.projects))
            np.maximum.at(per, key, raw[cand])
            most += per.reshape(n, -1).sum(axis=1)
        binding = (most[item_e] > cap + 1e-12) & (raw > 0)
    b_idx = np.flatnonzero(binding)
    if len(b_idx):
        order = b_idx[np.lexsort((pid_rank[item_p[b_idx]], item_s[b_idx], item_e[b_idx]))]
        prev = np.r_[-1, order[:-1]]
        first = np.r_[True, item_e[order[1:]] != item_e[order[:-1]]]
        prev = np.where(first, -1, prev)
    else:
        order = prev = np.zeros(0, np.int64)
    n_b = len(order)
    g_col = np.full(k_items, -1, np.int64)
    g_col[order] = k_items + np.arange(n_b)
    w_base = k_items + n_b

    # --- connection and links
    conn_item = arrays.p_connects[item_p]
    conn_ids = np.unique(item_e[conn_item & ~arrays.platform[item_e]])
    conn_pos = np.full(n, -1, np.int64)
    conn_pos[conn_ids] = np.arange(len(conn_ids))
    conn_base = w_base + n_b
    u, v = arrays.link_u, arrays.link_v
    fresh = ~arrays.link_flag & ~(arrays.platform[u] & arrays.platform[v])
    reach = arrays.platform | (conn_pos >= 0)
    link_ids = np.flatnonzero(fresh & reach[u] & reach[v])
    link_base = conn_base + len(conn_ids) * horizon
    n_var = link_base + len(link_ids) * horizon

    def conn_col(e: Ints, t: Ints) -> Ints:
        return conn_base + conn_pos[e] * horizon + t

    c = np.zeros(n_var)
    c[:k_items] = -npv
    years_t = np.arange(horizon)
    c[link_base:] = -(scenario.link_benefit_rate * arrays.link_value[link_ids][:, None]
                      * factor[None, :]).ravel()
    lb = np.zeros(n_var)
    ub = np.ones(n_var)
    lb[:k_items] = fixed.astype(float)
    ub[k_items:w_base] = cap if cap is not None else 0.0
    integrality = np.zeros(n_var, np.int64)
    integrality[:k_items] = 1
    integrality[w_base:w_base + n_b] = 1

    # --- the subsidy of each item as a sparse row over the variables (items x variables)
    x_cols = np.arange(k_items)
    nb = ~binding
    sub_r = [x_cols[nb], order, order[prev >= 0]]
    sub_c = [x_cols[nb], g_col[order], g_col[prev[prev >= 0]]]
    sub_v = [raw[nb], np.ones(n_b), -np.ones(int((prev >= 0).sum()))]
    sub = coo_array((np.concatenate(sub_v), (np.concatenate(sub_r), np.concatenate(sub_c))),
                    shape=(k_items, n_var)).tocsr()
    capm = coo_array((capex, (x_cols, x_cols)), shape=(k_items, n_var)).tocsr()
    opxm = coo_array((opex, (x_cols, x_cols)), shape=(k_items, n_var)).tocsr()
    spend_items = np.flatnonzero(in_h)
    t_start = coo_array((np.ones(len(spend_items)), (t_s[spend_items], spend_items)),
                        shape=(horizon, k_items)).tocsr()
    live_k, live_t = np.nonzero(years_t[None, :] >= lt[:, None])
    live_m = coo_array((np.ones(len(live_k)), (live_t, live_k)), shape=(horizon, k_items)).tocsr()

    def scaled(m: Sparse, w: Floats) -> Sparse:
        return m @ coo_array((w, (x_cols, x_cols)), shape=(k_items, k_items)).tocsr()

    net_capex = capm - sub
    core_rows = scaled(t_start, pay) @ net_capex + scaled(live_m, pay) @ opxm
    gov_rows = t_start @ sub

    blocks: list[Sparse] = []
    row_lb: list[Floats] = []
    row_ub: list[Floats] = []
    names: list[str] = []
    row_year: list[Ints] = []
    row_ent: list[Ints] = []

    def add(block: Sparse, lo: Floats | float, hi: Floats | float, name: str = "",
            year: Ints | None = None, ent: Ints | None = None) -> None:
        rows = block.shape[0]
        if rows == 0:
            return
        blocks.append(block)
        row_lb.append(np.broadcast_to(np.asarray(lo, float), (rows,)).copy())
        row_ub.append(np.broadcast_to(np.asarray(hi, float), (rows,)).copy())
        names.extend([name] * rows)
        row_year.append(np.full(rows, -1, np.int64) if year is None else year)
        row_ent.append(np.full(rows, -1, np.int64) if ent is None else ent)

    for name, rows_m, limit in (("core", core_rows, core_budget),
                                ("government", gov_rows, government_budget)):
        if limit is None or math.isinf(limit):
            continue
        if per_year:
            add(rows_m, -np.inf, limit, name, years_t.copy())
        else:
            add(csr_array(rows_m.sum(axis=0).reshape(1, -1)), -np.inf, limit, name)

    # --- each SME's own yearly cost
    sme_items = np.flatnonzero(~is_core)
    if len(sme_items):
        own = 1.0 - pay
        row_of = item_e * horizon
        rs = coo_array((own[spend_items], (row_of[spend_items] + t_s[spend_items], spend_items)),
                       shape=(n * horizon, k_items)).tocsr()
        rl = coo_array((own[live_k], (row_of[live_k] + live_t, live_k)),
                       shape=(n * horizon, k_items)).tocsr()
        own_rows = (rs @ net_capex + rl @ opxm).tocsr()
        most = rs @ capex + rl @ opex  # all candidates at once, no subsidy: an upper bound
        own_limit = sme_limit.ravel()  # row e·horizon + t, as the rows above
        has_cand = np.zeros(n, bool)
        has_cand[item_e[~fixed]] = True
        ent_of_row = np.repeat(np.arange(n), horizon)
        need = (most > own_limit * (1 + 1e-9)) & has_cand[ent_of_row]
        if arrays.core >= 0:
            need &= ent_of_row != arrays.core
        rows_need = np.flatnonzero(need)
        add(own_rows[rows_need], -np.inf, own_limit[rows_need] * (1 + 1e-9) + 1e-9, "sme",
            rows_need % horizon, rows_need // horizon)

    # --- pairs of (candidate, item of the same enterprise) for requires and maturity rows
    cand_items = np.flatnonzero(~fixed)
    by_e = np.argsort(item_e, kind="stable")
    group_start = np.searchsorted(item_e[by_e], np.arange(n), side="left")
    group_size = np.bincount(item_e, minlength=n)
    sizes = group_size[item_e[cand_items]]
    pair_c = np.repeat(cand_items, sizes)
    offsets = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    pair_k = by_e[np.repeat(group_start[item_e[cand_items]], sizes) + offsets]
    live_year = item_s + arrays.p_duration[item_p]
    before = live_year[pair_k] <= item_s[pair_c]

    req = np.array([arrays.project_index.get(p.requires, -1) if p.requires else -1
                    for p in model.projects], np.int64)
    need_req = cand_items[req[item_p[cand_items]] >= 0]
    if len(need_req):
        row_pos = np.full(k_items, -1, np.int64)
        row_pos[need_req] = np.arange(len(need_req))
        m = before & (row_pos[pair_c] >= 0) & (item_p[pair_k] == req[item_p[pair_c]])
        rr = np.r_[row_pos[need_req], row_pos[pair_c[m]]]
        cc = np.r_[need_req, pair_k[m]]
        vv = np.r_[np.ones(len(need_req)), -np.ones(int(m.sum()))]
        add(coo_array((vv, (rr, cc)), shape=(len(need_req), n_var)).tocsr(), -np.inf, 0.0)

    min_level = np.array([p.min_maturity for p in model.projects], np.int64)
    short = min_level[item_p[cand_items]] - arrays.maturity[item_e[cand_items]]
    need_mat = cand_items[short > 0]
    if len(need_mat):
        row_pos = np.full(k_items, -1, np.int64)
        row_pos[need_mat] = np.arange(len(need_mat))
        gain = arrays.p_gain[item_p]
        m = before & (row_pos[pair_c] >= 0) & (gain[pair_k] > 0)
        rr = np.r_[row_pos[need_mat], row_pos[pair_c[m]]]
        cc = np.r_[need_mat, pair_k[m]]
        vv = np.r_[short[short > 0].astype(float), -gain[pair_k[m]].astype(float)]
        add(coo_array((vv, (rr, cc)), shape=(len(need_mat), n_var)).tocsr(), -np.inf, 0.0)

    # --- at most one start per enterprise and project
    if len(cand_items):
        key = item_e[cand_items] * len(model.projects) + item_p[cand_items]
        _, group, counts = np.unique(key, return_inverse=True, return_counts=True)
        multi = counts[group] > 1
        if multi.any():
            _, g2 = np.unique(group[multi], return_inverse=True)
            add(coo_array((np.ones(int(multi.sum())), (g2, cand_items[multi])),
                          shape=(int(g2.max()) + 1, n_var)).tocsr(), -np.inf, 1.0)

    # --- the ordered subsidy cap: G[k] = min(cap, G[prev] + raw[k]·x[k])
    if n_b:
        assert cap is not None
        rows = np.arange(n_b)
        has_prev = prev >= 0
        gk, gp = g_col[order], g_col[prev[has_prev]]
        xr = raw[order]

        def cap_block(with_w: bool) -> Sparse:
            rr = [rows, rows[has_prev], rows]
            cc = [gk, gp, order]
            vv = [np.ones(n_b), -np.ones(int(has_prev.sum())), -xr]
            if with_w:
                rr.append(rows)
                cc.append(w_base + rows)
                vv.append(xr)
            return coo_array((np.concatenate(vv), (np.concatenate(rr), np.concatenate(cc))),
                             shape=(n_b, n_var)).tocsr()

        add(cap_block(False), -np.inf, 0.0)  # sub <= raw·x
        add(cap_block(True), 0.0, np.inf)  # sub >= raw·x − raw·w
        w_cols = w_base + rows
        mono = coo_array((np.r_[np.ones(n_b), -np.ones(int(has_prev.sum()))],
                          (np.r_[rows, rows[has_prev]], np.r_[gk, gp])), shape=(n_b, n_var))
        add(mono.tocsr(), 0.0, np.inf)  # sub >= 0
        full = coo_array((np.r_[np.ones(n_b), -np.full(n_b, cap)], (np.r_[rows, rows],
                                                                     np.r_[gk, w_cols])),
                         shape=(n_b, n_var))
        add(full.tocsr(), 0.0, np.inf)  # w = 1 → G = cap

    # --- conn[e, t] <= Σ x of its connecting items live in t; on[l, t] <= conn of each end
    if len(conn_ids):
        ck = np.flatnonzero(conn_item & (conn_pos[item_e] >= 0))
        kk, tt = np.nonzero(years_t[None, :] >= lt[ck][:, None])
        kk = ck[kk]
        n_rows = len(conn_ids) * horizon
        rr = np.r_[np.arange(n_rows), conn_pos[item_e[kk]] * horizon + tt]
        cc = np.r_[conn_base + np.arange(n_rows), kk]
        vv = np.r_[np.ones(n_rows), -np.ones(len(kk))]
        add(coo_array((vv, (rr, cc)), shape=(n_rows, n_var)).tocsr(), -np.inf, 0.0)
    if len(link_ids):
        for end in (u, v):
            ends = end[link_ids]
            sel = np.flatnonzero(~arrays.platform[ends])
            li = np.repeat(sel, horizon)
            tt = np.tile(years_t, len(sel))
            n_rows = len(li)
            on_cols = link_base + li * horizon + tt
            rr = np.r_[np.arange(n_rows), np.arange(n_rows)]
            cc = np.r_[on_cols, conn_col(ends[li], tt)]
            vv = np.r_[np.ones(n_rows), -np.ones(n_rows)]
            add(coo_array((vv, (rr, cc)), shape=(n_rows, n_var)).tocsr(), -np.inf, 0.0)

    a = vstack(blocks, format="csr") if blocks else csr_array((0, n_var))
    non_core_conn = conn_ids[conn_ids != arrays.core]
    coverage_c = np.zeros(n_var)
    coverage_c[conn_col(non_core_conn, np.full(len(non_core_conn), horizon - 1))] = -1.0
    platform_smes = arrays.platform.copy()
    if arrays.core >= 0:
        platform_smes[arrays.core] = False
    return _Program(
        c=c, constant=0.0, integrality=integrality, lb=lb, ub=ub, a=a,
        row_lb=np.concatenate(row_lb) if row_lb else np.zeros(0),
        row_ub=np.concatenate(row_ub) if row_ub else np.zeros(0),
        row_names=names, row_year=np.concatenate(row_year) if row_year else np.zeros(0, int),
        row_enterprise=np.concatenate(row_ent) if row_ent else np.zeros(0, int),
        item_e=item_e, item_p=item_p, item_s=item_s, item_fixed=fixed, item_npv=npv,
        n_items=k_items, coverage_c=coverage_c, coverage_constant=float(platform_smes.sum()),
        conn_base=conn_base, conn_ids=conn_ids, link_base=link_base, link_ids=link_ids,
        w_cols=slice(w_base, w_base + n_b))


@dataclass
class _Solve:
    x: Floats | None
    objective: float  # of the minimised c
    bound: float
    status: str


def _solve(prog: _Program, c: Floats, extra: tuple[Floats, float] | None, time_limit: float,
           mip_rel_gap: float, relax_cap: bool = False) -> _Solve:
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array, vstack

    a, lo, hi = prog.a, prog.row_lb, prog.row_ub
    if extra is not None:  # one more row: extra[0] @ v <= extra[1]
        a = vstack([a, csr_array(extra[0].reshape(1, -1))], format="csr")
        lo, hi = np.r_[lo, -np.inf], np.r_[hi, extra[1]]
    constraints = [LinearConstraint(a, lo, hi)] if a.shape[0] else []
    integrality = prog.integrality
    if relax_cap:
        integrality = integrality.copy()
        integrality[prog.w_cols] = 0
    res = milp(c, integrality=integrality, bounds=Bounds(prog.lb, prog.ub),
               constraints=constraints,
               options={"time_limit": max(1.0, time_limit), "mip_rel_gap": mip_rel_gap})
    status = {0: "optimal", 1: "time limit", 2: "infeasible", 3: "unbounded"}.get(res.status,
                                                                                   "failed")
    x = None if res.x is None else np.asarray(res.x)
    bound = getattr(res, "mip_dual_bound", None)
    objective = float(res.fun) if res.fun is not None else math.inf
    return _Solve(x, objective, float(bound) if bound is not None else objective, status)


# --- the public entry points -------------------------------------------------------------

def _new_name(model: ChainModel, name: str) -> str:
    taken = {s.name for s in model.scenarios}
    candidate = f"{name} (optimised)"
    number = 2
    while candidate in taken:
        candidate = f"{name} (optimised) {number}"
        number += 1
    return candidate


def _with_plan(model: ChainModel, scenario: Scenario, rows: list[Assignment]) -> ChainModel:
    """A shallow copy of ``model`` with one more scenario and its rows (for evaluation)."""
    return replace(model, scenarios=[*model.scenarios, scenario],
                   assignments=[*model.assignments, *rows])


def apply(model: ChainModel, result: OptimiseResult) -> ChainModel:
    """A new model (deep copy) with the optimised scenario and its assignments added; when
    the result adds nothing (infeasible, nothing to add, cancelled), the model unchanged."""
    new = copy.deepcopy(model)
    if result.changed:
        new.scenarios.append(copy.deepcopy(result.scenario))
        new.assignments.extend(copy.deepcopy(result.assignments))
    return new


def _budget_limits(spend: dict[str, Floats], budgets: dict[str, float | None], years: Ints,
                   per_year: bool) -> list[Limit]:
    """Each budget the spending breaks: per year, or over the horizon."""
    found = []
    for party, limit in budgets.items():
        if limit is None:
            continue
        amounts = spend[party]
        checks = list(zip(years.tolist(), amounts.tolist(), strict=True)) if per_year else \
            [(None, float(amounts.sum()))]
        for year, amount in checks:
            if amount > limit + _TOL * max(1.0, abs(limit)):
                found.append(Limit(party, year, amount, limit))
    return found


def optimise(model: ChainModel, scenario: str, core_budget: float | None,
             government_budget: float | None, per_year: bool = False, objective: str = "npv",
             core_share: float = 0.0, sme_cost_cap: float = 0.02, time_limit: float = 60.0,
             progress: Callable[[float], None] | None = None,
             cancel: Callable[[], bool] | None = None, mip_rel_gap: float = 1e-6
             ) -> OptimiseResult:
    """Add the best assignments to ``scenario`` within the budgets.

    ``core_budget`` and ``government_budget`` bound the whole new scenario's spending, over
    the horizon or, with ``per_year``, in each year (None or infinite: no limit). The
    result's ``objective`` is the engine's NPV of the new scenario. See the module docstring
    for the model and its one relaxation ("no worse than S" for firms S already over the
    cost cap). When S alone breaks a budget the result is "infeasible" and names each broken
    budget (``over``); then, and whenever nothing is added, ``changed`` is False.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {OBJECTIVES}")
    began = time.perf_counter()

    def report(fraction: float) -> None:
        if progress is not None:
            progress(fraction)

    def cancelled() -> bool:
        return cancel is not None and bool(cancel())

    base_scenario = model.scenario(scenario)
    if base_scenario is None:
        raise KeyError(scenario)
    budgets = {party: None if limit is None or math.isinf(limit) else float(limit)
               for party, limit in (("core", core_budget), ("government", government_budget))}
    new_scenario = replace(base_scenario, name=_new_name(model, scenario),
                           extra=dict(base_scenario.extra))
    originals = [replace(a, scenario=new_scenario.name, extra=dict(a.extra))
                 for a in model.assignments if a.scenario == scenario]
    arrays = ChainArrays.of(model)
    report(0.0)
    base = evaluate_scenario(arrays, base_scenario)
    n = len(arrays.ids)
    base_own = sme_own_costs(base, n)
    sme_limit = np.maximum(sme_cost_cap * arrays.revenue[:, None] + np.zeros_like(base_own),
                           base_own)
    over = _budget_limits(base.party_cost, budgets, base.years, per_year)
    held = _held(arrays, base, base_own, sme_cost_cap)

    def finish(rows: list[Assignment], status: str, exact: bool, bound: float | None,
               message: str = "", additions: list[Addition] | None = None,
               counts: tuple[int, int, int] = (0, 0, 0), planned: ScenarioResult | None = None,
               restricted: bool = False) -> OptimiseResult:
        if planned is None:
            planned = evaluate_scenario(
                replace(arrays, model=_with_plan(model, new_scenario, rows)), new_scenario)
        value = planned.npv
        top = None if bound is None else max(bound, value)
        gap = None if top is None else 0.0 if top == value else \
            (top - value) / max(abs(value), 1e-9)
        share = planned.connected_share[-1] if len(planned.years) else math.nan
        report(1.0)
        return OptimiseResult(
            scenario=new_scenario, assignments=rows, objective=value, bound=top, gap=gap,
            status=status, exact=exact, seconds=time.perf_counter() - began,
            additions=additions or [], base_objective=base.npv,
            coverage=None if math.isnan(share) else float(share),
            core_spend=float(planned.party_cost["core"].sum()),
            government_spend=float(planned.party_cost["government"].sum()), message=message,
            candidates=counts[0], variables=counts[1], constraints=counts[2], base=scenario,
            over=over, held=held, restricted=restricted,
            binding=_binding(planned, budgets, per_year) if additions else [])

    if over:
        return finish(originals, "infeasible", False, None,
                      f"{scenario} alone already spends more than a budget allows", planned=base)
    if cancelled():
        return finish(originals, "cancelled", False, None, "cancelled before the solve",
                      planned=base)
    prog = _build(arrays, base_scenario, budgets["core"], budgets["government"], per_year,
                  core_share, sme_limit, base)
    counts = (int((~prog.item_fixed).sum()), len(prog.c), int(prog.a.shape[0]))
    report(0.2)
    if counts[0] == 0:
        return finish(originals, "no candidates", True, base.npv, "no candidate passes the rules",
                      counts=counts, planned=base)
    if cancelled():
        return finish(originals, "cancelled", False, None, "cancelled before the solve",
                      counts=counts, planned=base)

    has_cap = prog.w_cols.stop > prog.w_cols.start

    def plan(x: Floats) -> list[Assignment]:
        chosen = np.flatnonzero((x[:prog.n_items] > 0.5) & ~prog.item_fixed)
        added = sorted((int(prog.item_s[k]), arrays.ids[prog.item_e[k]],
                        model.projects[prog.item_p[k]].id) for k in chosen)
        return originals + [
            Assignment(scenario=new_scenario.name, enterprise=e, project=p, start_year=s,
                       core_share=core_share) for s, e, p in added]

    def problems_of(rows: list[Assignment]) -> list[str]:
        return check_plan(_with_plan(model, new_scenario, rows), new_scenario.name,
                          budgets["core"], budgets["government"], per_year, sme_cost_cap,
                          baseline=scenario)

    def solve(c: Floats, extra: tuple[Floats, float] | None, limit: float) -> tuple[_Solve, str]:
        """The cap binaries relaxed first; exact only when the engine refuses that plan."""
        t0 = time.perf_counter()
        first = _solve(prog, c, extra, limit, mip_rel_gap, relax_cap=has_cap)
        if first.x is None or not has_cap or not problems_of(plan(first.x)):
            return first, "relaxed subsidy cap, plan checked by the engine" if has_cap else ""
        left = max(1.0, limit - (time.perf_counter() - t0))
        exact = _solve(prog, c, extra, left, mip_rel_gap)
        exact.bound = max(exact.bound, first.bound)  # both are valid lower bounds
        return exact, "ordered subsidy cap solved exactly"

    extra = None
    message = ""
    stage_status = "optimal"
    remaining = time_limit - (time.perf_counter() - began)
    if objective == "coverage":
        first, how = solve(prog.coverage_c, None, remaining / 2)
        report(0.5)
        if first.x is None:
            return finish(originals, first.status, False, None, "coverage stage: " + first.status,
                          counts=counts, planned=base)
        best = round(-float(prog.coverage_c @ first.x))
        extra = (prog.coverage_c, -best + 0.5)  # hold at least that many connected firms
        stage_status = first.status
        message = f"coverage stage {first.status}: {best + prog.coverage_constant:.0f} firms " \
                  "connected in the last year; "
        remaining = max(1.0, time_limit - (time.perf_counter() - began))
        if cancelled():
            return finish(originals, "cancelled", False, None, "cancelled between the solves",
                          counts=counts, planned=base)
    loose_bound: float | None = None
    if objective == "npv" and counts[0] > LARGE:
        free = np.flatnonzero(~prog.item_fixed)
        dropped = free[np.argsort(-prog.item_npv[free], kind="stable")][KEEP:]
        full_ub = prog.ub
        prog.ub = full_ub.copy()
        prog.ub[dropped] = 0.0  # items are the first columns
        solved, how = solve(prog.c, extra, max(1.0, remaining))
        prog.ub = full_ub
        loose_bound = _loose_bound(prog, arrays, base_scenario, base)
        message += (f"{counts[0]:,} candidates: solved over the {KEEP:,} with the highest own "
                    "NPV; the bound is S's NPV plus every candidate's positive NPV and every "
                    "link's benefit (valid but loose); ")
    else:
        solved, how = solve(prog.c, extra, max(1.0, remaining))
    if how:
        message += how + "; "
    report(0.9)
    if solved.x is None:
        bound = -solved.bound if math.isfinite(solved.bound) else None
        return finish(originals, solved.status, False, bound, message + solved.status,
                      counts=counts, planned=base)
    x = solved.x
    rows = plan(x)
    bound = -solved.bound if loose_bound is None else loose_bound
    milp_value = -solved.objective
    # the engine and the checker have the last word
    repaired = 0
    while True:
        problems = problems_of(rows)
        if not problems or len(rows) == len(originals):
            break
        rows = rows[:-1]
        repaired += 1
    planned = evaluate_scenario(replace(arrays, model=_with_plan(model, new_scenario, rows)),
                                new_scenario)
    agree = abs(planned.npv - milp_value) <= 1e-6 * max(1.0, abs(milp_value))
    exact = solved.status == "optimal" and stage_status == "optimal" and agree and \
        not repaired and loose_bound is None
    if repaired:
        message += f"{repaired} addition(s) dropped: the engine found them over a limit; "
    elif not agree:
        message += f"the MILP valued the plan at {milp_value:.6g}; "
    status = solved.status if stage_status == "optimal" else stage_status
    if loose_bound is not None:  # optimal over the kept candidates only
        status = f"feasible ({status} over {KEEP:,} candidates)"
    what = _WhatIf(arrays, new_scenario, planned, rows, budgets, per_year, sme_limit)
    explained = [what.explain(a) for a in rows[len(originals):]]
    return finish(rows, status, exact, bound, message.rstrip("; "), explained, counts, planned,
                  restricted=loose_bound is not None)


def _binding(planned: ScenarioResult, budgets: dict[str, float | None], per_year: bool
             ) -> list[Limit]:
    """The budgets the plan leaves at most 1 % of: per year, or over the horizon."""
    found = []
    for party, limit in budgets.items():
        if limit is None:
            continue
        spend = planned.party_cost[party]
        checks = list(zip(planned.years.tolist(), spend.tolist(), strict=True)) if per_year \
            else [(None, float(spend.sum()))]
        found += [Limit(party, year, amount, limit) for year, amount in checks
                  if limit - amount <= max(0.01 * abs(limit), 1e-6)]
    return found


def _held(arrays: ChainArrays, base: ScenarioResult, base_own: Floats, sme_cost_cap: float
          ) -> list[Limit]:
    """SMEs that S alone makes pay more than the cost cap: each in its dearest such year."""
    cap = sme_cost_cap * arrays.revenue[:, None] + np.zeros_like(base_own)
    over = base_own > cap + _TOL * np.maximum(1.0, cap)
    if arrays.core >= 0:
        over[arrays.core] = False
    names = arrays.model.enterprises
    found = []
    for e in np.flatnonzero(over.any(axis=1)):
        t = int(np.argmax(np.where(over[e], base_own[e] - cap[e], -np.inf)))
        found.append(Limit("sme", int(base.years[t]), float(base_own[e, t]), float(cap[e, t]),
                           f"{names[e].id} {names[e].name}".strip()))
    return found


def _loose_bound(prog: _Program, arrays: ChainArrays, scenario: Scenario,
                 base: ScenarioResult) -> float:
    """A bound no plan can beat, whatever the constraints: S's NPV, plus the best own NPV
    of every (enterprise, project) when positive, plus the benefit of every link the flags
    do not connect in every year (NPV adds up per assignment and per link)."""
    free = ~prog.item_fixed
    pairs = prog.item_e[free].astype(np.int64) * (len(prog.c) + 1) + prog.item_p[free]
    npv = prog.item_npv[free]
    order = np.lexsort((-npv, pairs))
    first = np.r_[True, pairs[order][1:] != pairs[order][:-1]]
    best = npv[order][first]
    fresh = ~arrays.link_flag & ~(arrays.platform[arrays.link_u] & arrays.platform[arrays.link_v])
    links = scenario.link_benefit_rate * float(arrays.link_value[fresh].sum()) * \
        float(base.factor.sum())
    return float(base.npv + np.clip(best, 0, None).sum() + links)


# --- why each addition: what-ifs on one firm's rows --------------------------------------

Row = tuple[int, int, float]  # (project index, start year, core share) of one assignment


@dataclass
class _Firm:
    """One firm's figures in a plan (the engine's rules on that firm's rows alone)."""

    core: Floats  # what the core pays for them, per year
    government: Floats  # their subsidies, per year
    own: Floats  # what the firm pays itself, per year
    value: float  # their discounted benefit − capex − opex
    links: float  # discounted benefit of the links whose ends are then both connected


class _WhatIf:
    """The final plan, one firm at a time: its NPV and spending with one addition left out
    or started in another year. Spending, subsidies (and their cap), connection and link
    benefits follow planner.engine; other firms' rows do not change, so neither do their
    figures, and every total is the plan's total plus this firm's change."""

    def __init__(self, arrays: ChainArrays, scenario: Scenario, planned: ScenarioResult,
                 rows: list[Assignment], budgets: dict[str, float | None], per_year: bool,
                 sme_limit: Floats) -> None:
        self.arrays, self.scenario, self.planned = arrays, scenario, planned
        self.budgets, self.per_year, self.sme_limit = budgets, per_year, sme_limit
        self.years = planned.years
        self.start, self.horizon = scenario.start_year, scenario.horizon
        self.project_ids = [p.id for p in arrays.model.projects]
        self.by_firm: dict[int, list[Row]] = {}
        for a in rows:
            self.by_firm.setdefault(arrays.index[a.enterprise], []).append(
                (arrays.project_index[a.project], a.start_year, a.core_share))
        u, v = arrays.link_u, arrays.link_v
        self.fresh = ~arrays.link_flag & ~(arrays.platform[u] & arrays.platform[v])
        ends = np.r_[u, v]  # the links at firm e: link_of[link_from[e]:link_from[e + 1]]
        order = np.argsort(ends, kind="stable")
        self.link_of = order % max(len(u), 1)
        self.link_from = np.searchsorted(ends[order], np.arange(len(arrays.ids) + 1))

    def label(self, e: int) -> str:
        firm = self.arrays.model.enterprises[e]
        return f"{firm.id} {firm.name}".strip()

    def project_label(self, p: int) -> str:
        project = self.arrays.model.projects[p]
        return f"{project.id} {project.name}".strip()

    def firm(self, e: int, rows: list[Row]) -> _Firm:
        arrays, horizon = self.arrays, self.horizon
        count = len(rows)
        p = np.fromiter((r[0] for r in rows), np.int64, count)
        s = np.fromiter((r[1] for r in rows), np.int64, count)
        share = np.fromiter((r[2] for r in rows), float, count)
        f = arrays.size_factor[e]
        capex, opex = arrays.p_capex[p] * f, arrays.p_opex[p] * f
        benefit = arrays.p_rate[p] * arrays.revenue[e] + arrays.p_fixed[p] * f
        in_h = (s >= self.start) & (s < self.start + horizon)
        firm = np.full(count, e, np.int64)
        subsidy = _subsidies(self.scenario, arrays.size_code[firm], capex, firm, s, p, in_h,
                             self.project_ids)
        pays = np.ones(count) if e == arrays.core else share
        live = self.years[None, :] >= (s + arrays.p_duration[p])[:, None]
        spent = np.zeros((count, horizon))
        inside = np.flatnonzero(in_h)
        spent[inside, s[inside] - self.start] = 1.0
        paid = spent * (capex - subsidy)[:, None] + live * opex[:, None]
        net = live * (benefit - opex)[:, None] - spent * capex[:, None]
        connected: Bools = np.any(live & arrays.p_connects[p][:, None], axis=0) | arrays.platform[e]
        # the links at this firm: on when both ends are connected, the other end as planned
        mine = np.unique(self.link_of[self.link_from[e]:self.link_from[e + 1]])
        other = np.where(arrays.link_u[mine] == e, arrays.link_v[mine], arrays.link_u[mine])
        other_on = np.where((other == e)[:, None], connected[None, :],
                            self.planned.connected[other])
        on = self.fresh[mine][:, None] & connected[None, :] & other_on
        factor = self.planned.factor
        return _Firm(core=(pays[:, None] * paid).sum(axis=0),
                     government=(spent * subsidy[:, None]).sum(axis=0),
                     own=((1.0 - pays)[:, None] * paid).sum(axis=0),
                     value=float(net.sum(axis=0) @ factor),
                     links=float((self.scenario.link_benefit_rate
                                  * arrays.link_value[mine][:, None] * on).sum(axis=0)
                                 @ factor))

    def broken(self, e: int, now: _Firm, then: _Firm) -> list[Limit]:
        """The limits the plan would break with this firm's figures ``then`` instead of ``now``."""
        spend = {"core": self.planned.party_cost["core"] + then.core - now.core,
                 "government": self.planned.party_cost["government"] + then.government
                 - now.government}
        found = _budget_limits(spend, self.budgets, self.years, self.per_year)
        if e != self.arrays.core:
            limit = self.sme_limit[e]
            for t in np.flatnonzero(then.own > limit + _TOL * np.maximum(1.0, limit)):
                found.append(Limit("sme", int(self.years[t]), float(then.own[t]),
                                   float(limit[t]), self.label(e)))
        return found

    def tight(self, e: int, now: _Firm, touched: Bools) -> list[Limit]:
        """Per-year budgets and the firm's cost cap with at most 1 % left in the years this
        addition spends in (budgets over the horizon bind all alike: ``_binding``)."""
        found = [x for x in _binding(self.planned, self.budgets, self.per_year)
                 if x.year is not None and touched[x.year - self.start]]
        if e != self.arrays.core:
            limit = self.sme_limit[e]
            for t in np.flatnonzero(touched & (limit - now.own <= np.maximum(0.01 * limit, 1e-6))):
                found.append(Limit("sme", int(self.years[t]), float(now.own[t]),
                                   float(limit[t]), self.label(e)))
        return found

    def explain(self, addition: Assignment) -> Addition:
        arrays = self.arrays
        e, p = arrays.index[addition.enterprise], arrays.project_index[addition.project]
        s = addition.start_year
        rows = self.by_firm[e]
        k = rows.index((p, s, addition.core_share))
        others = rows[:k] + rows[k + 1:]
        now, without = self.firm(e, rows), self.firm(e, others)
        npv = now.value + now.links - without.value - without.links
        duration = int(arrays.p_duration[p])
        offset = s - self.start
        touched = np.arange(self.horizon) >= offset + duration
        touched[offset] = True
        # NPVs closer than rounding of the sums (not the solver's gap) are the same
        why = self._why(e, p, s, rows, k, others, now, 1e-9 * max(1.0, abs(self.planned.npv)))
        return Addition(addition.enterprise, addition.project, s, npv,
                        now.value - without.value, now.links - without.links,
                        self.tight(e, now, touched), why,
                        arrays.model.enterprises[e].name, arrays.model.projects[p].name)

    def _why(self, e: int, p: int, s: int, rows: list[Row], k: int, others: list[Row],
             now: _Firm, tolerance: float) -> Why:
        arrays = self.arrays
        project = arrays.model.projects[p]
        required = arrays.project_index.get(project.requires, -1) if project.requires else -1

        def level_at(year: int) -> int:
            gains = sum(int(arrays.p_gain[q]) for q, start, _ in others
                        if start + int(arrays.p_duration[q]) <= year)
            return min(4, int(arrays.maturity[e]) + gains)

        def required_at(year: int) -> bool:
            return required < 0 or any(q == required and start + int(arrays.p_duration[q]) <= year
                                       for q, start, _ in others)

        earliest = next((y for y in range(self.start, s) if level_at(y) >= project.min_maturity
                         and required_at(y)), s)

        def value_at(year: int) -> tuple[_Firm, float]:
            moved = self.firm(e, [*rows[:k], (p, year, rows[k][2]), *rows[k + 1:]])
            return moved, moved.value + moved.links - now.value - now.links

        if earliest == s:
            later = None
            last = self.start + self.horizon - 1
            if s + 1 + int(arrays.p_duration[p]) <= last:
                loss = -value_at(s + 1)[1]
                later = loss if loss > tolerance else None
            if s == self.start:
                return Why(FIRST_YEAR, s, earliest, later=later)
            requires = "" if required_at(s - 1) else self.project_label(required)
            level = 0 if level_at(s - 1) >= project.min_maturity else project.min_maturity
            lifted = tuple(self.project_label(q) for q, start, _ in others
                           if start + int(arrays.p_duration[q]) == s and arrays.p_gain[q] > 0)
            return Why(PREREQUISITE, s, earliest, requires=requires, level=level,
                       lifted_by=lifted if level else (), later=later)
        feasible: list[tuple[float, int]] = []
        nearest: list[Limit] = []
        for year in range(earliest, s):
            moved, gain = value_at(year)
            broken = self.broken(e, now, moved)
            if broken:
                if year == s - 1:
                    nearest = broken
            else:
                feasible.append((gain, year))
        if not feasible:
            return Why(LIMITED, s, earliest, limits=tuple(nearest))
        gain, year = max(feasible)
        if gain > tolerance:
            return Why(GAP, s, earliest, other=year, amount=gain)
        if gain >= -tolerance:
            return Why(TIE, s, earliest, other=year)
        return Why(TIMING, s, earliest, other=year, amount=-gain)
