"""The plan optimiser (docs/method.md, “Optimiser”): which (enterprise, project, start year)
to add to a scenario.

The decision is a mixed-integer program solved by HiGHS through ``scipy.optimize.milp``.
Variables (one column each, built with vectorised numpy into one sparse matrix):

- ``x[k]`` for every *item* k: S's own assignments that count in the horizon (fixed to 1
  through their bounds, so every expression below treats old and new rows alike) and every
  candidate addition (binary);
- park items: every park project not on a park yet, per start year (binary), S's park rows
  fixed; their benefit goes to every member, and they count for each member's level,
  connection and ``requires``;
- ``P``, ``z``, ``G``, ``w``, ``R`` per (firm, year) for firms whose subsidy payments the
  level gate or the cap can move: ``z`` yes/no "level reached", ``P = z·claims so far``,
  ``G = min(cap, P)`` with ``w`` yes/no (paid in year t: ``G[t] − G[t−1]``; the cap's order
  puts earlier payment years first, so this is exact), ``R`` the core's part (exact when
  the firm's claiming rows share one core share, else between the least and the most, a
  relaxation). Every other money figure (loans, interest subsidy, tax relief, targeting,
  running-cost claims of other firms) is a constant of its item;
- ``conn[e, t]`` in [0, 1] for enterprises that are not platform-connected but have an item
  that connects them (``conn <= Σ x`` of those live in t), and ``on[l, t]`` in [0, 1] for
  links whose benefit a plan can switch on (``on <= conn`` of each end not connected by its
  flag). They only carry positive weights, so at an optimum they equal the true 0/1 values:
  the link benefits (docs/method.md, “Link benefit”) are modelled exactly.

The objective is the engine's NPV (benefits, link benefits, capex and opex; subsidies are transfers
and do not change it), or, with ``objective="coverage"``, two solves: first the number of
connected non-core firms in the horizon's last year, then NPV with that number held. With
``objective="expected-npv"`` it is the participation-weighted expected NPV: each item's NPV
times the probability that it takes place (benefits at the mean multiplier), and link
benefits through connection *units* (firm, probability level θ): a firm's items share one U,
so it is connected with the largest probability of its live chosen connecting items, and a
link's ends are independent, so each pair of the ends' units carries Δθ_u·Δθ_v of its
benefit (exact, see docs/method.md). No coaching candidate is offered then (what coaching
adds is a product of choices); budgets and caps stay on the plan with everyone taking part;
``expected_npv`` computes the reported objective apart from the program.

Budgets cover the whole scenario (S's own rows plus additions): the core pays
``core_share·(capex − subsidy)`` and ``core_share·opex`` of SME projects and all of its own;
the government pays the subsidies. The SME cost cap is ``own cost(e, y) <= R·revenue(e)``;
where S's own rows already make a firm exceed it in a year (the optimiser cannot remove
them), that firm's limit in that year is S's own figure instead ("no worse than S") — the
checker applies the same rule when given the baseline.

``z`` and ``w`` are relaxed to [0, 1] first (valid cuts keep that relaxation tight: an item
whose gain alone reaches the gate sets ``z``; the capped payment is at least its chord and
at least what any set of projects within the cap claims); if the engine finds that plan
within every limit it stands, else they are solved yes/no. After the solve the plan is
evaluated by ``planner.engine.evaluate`` and checked by ``check_plan`` (written apart from
the MILP): the reported objective is the engine's NPV, and ``exact`` is True only when
HiGHS proved optimality and the engine agrees with the MILP's value. Should the engine's
plan break a rule (only the core's part of capped subsidies within bounds or numerical
tolerances could make it), additions are dropped, latest first, until it passes.

The bound is the least of: HiGHS's dual bound of the whole program, the LP relaxation of the
whole program (its bound worked out from any row multipliers), the Lagrangian bound of the
same multipliers with the items yes/no and each capped firm's payment exact
(``_Lagrangian``), and a loose bound (S's value plus every candidate's positive value and
every link's benefit). Each holds every plan meeting the rules, so each bounds the real
problem; none is ever taken from a plan, nor from a program restricted to
some candidates. A bound a plan beats is dropped and the gap is unknown.

HiGHS cannot be interrupted through ``milp``: ``cancel`` is polled before and after the solve,
and the time limit bounds the solve itself (HiGHS checks it between phases, so a long presolve
or cut round can overrun it). ``milp`` takes no starting solution. Up to ``SMALL`` variables
the MILP is solved; when the limit passes before HiGHS has a plan, ``_Heuristic`` (greedy by
value per budget yuan, batches checked by the engine) makes one, status ``HEURISTIC``.
Beyond ``SMALL`` (HiGHS finds no plan of 2,000 firms in a minute) the LP relaxation is
solved in HiGHS through highspy (``_Relaxation``: one model, cuts added and solved warm,
its bounds worked out from the row duals): the first LP's solution rounded down and
repaired (``_round_down``) starts the heuristic (the LP-guided greedy from nothing and the
plain one are tried too, the best kept): status ``LP_HEURISTIC``; then, for the bound, in
rounds with the subsidy cap's cuts its solution breaks (``_cap_cuts``). Without an LP
solved in time, the Lagrangian bound of multipliers on the budgets alone. Either status,
the heuristic's plan is then improved by a local search of exchanges under the budgets
(``_Heuristic.improve``) in the time left but half the reserve.

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
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
from numpy.typing import NDArray

from models.chain import Assignment, ChainModel, ParkAssignment, Scenario
from models.schema import SIZES
from planner.engine import (
    ChainArrays,
    ScenarioResult,
    evaluate,
    evaluate_scenario,
)

if TYPE_CHECKING:
    from scipy.sparse import csr_array

    Sparse: TypeAlias = csr_array[np.float64]

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]
_Plan: TypeAlias = tuple[list[Assignment], list[ParkAssignment]]  # firms' rows, parks' rows

OBJECTIVES = ("npv", "coverage", "expected-npv")
_TOL = 1e-6
# HiGHS finds no plan in minutes on programs of ~100,000 variables (2,000 firms): beyond
# SMALL variables the LP relaxation of the whole program is solved instead (the bound) and
# guides the heuristic (the plan); at most SMALL, the MILP itself, the heuristic if it
# finds no plan in time
SMALL = 60_000
# the most of the time limit kept for the search of the Lagrangian bound's multipliers
# near the LP's (``_Relaxation.search``: ~90 bounds of 0.1-0.25 s each at 10,000 firms),
# and at most the reserve (1 s plus 1 s per 1,000 firms)
HUNT = 0.1
HUNT_GAP = 0.03
# the cap's set cuts: each of the LEADS largest claims first, then the smallest (more leads
# did not lower the 2,000-firm bound further)
LEADS = 3
# what a reported bound is (``OptimiseResult.bound_kind``)
SOLVER = "solver"  # HiGHS's dual bound of the whole program
LP = "LP relaxation"  # the LP relaxation of the whole program, solved to optimality
LOOSE = "loose"  # S's NPV plus every candidate's positive NPV and every link's benefit
LAGRANGE = "Lagrangian"  # the LP's multipliers with each capped firm's payment exact
# statuses of plans the heuristic found
HEURISTIC = "heuristic"  # the solver found no plan in time
LP_HEURISTIC = "heuristic (LP-guided)"  # too big for the MILP: LP relaxation, then greedy


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
UNWORKED = "not worked out"  # the time limit passed before its what-ifs were run


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
        elif self.kind == UNWORKED:
            text = "时限已到，未计算其原因；所示净现值为其自身净现值（不含链接收益）" if zh else \
                "not worked out within the time limit; the NPV shown is its own, without " \
                "link benefits"
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
    park: bool = False  # a park project on the park ``enterprise`` (its id; name: its name)

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
    park_assignments: list[ParkAssignment]  # the same for park projects on parks
    objective: float  # the engine's NPV of the new scenario (expected-npv: its expected NPV)
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
    bound_kind: str = ""  # SOLVER, LP, LAGRANGE or LOOSE: what the bound is ("": none)
    binding: list[Limit] = field(default_factory=list)  # budgets with at most 1 % left
    kind: str = "npv"  # the objective: npv, coverage or expected-npv (what objective means)

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
                HEURISTIC: ("求解器在时限内未找到方案，启发式方法也未找到可添加项" if zh else
                            "the solver found no plan in time and the heuristic found no "
                            "addition within the limits"),
                LP_HEURISTIC: ("以线性松弛为引导的启发式方法未找到可添加项" if zh else
                               "the heuristic guided by the LP relaxation found no addition "
                               "within the limits"),
            }.get(self.status, ("求解器未找到方案（" + self.status + "）") if zh else
                  f"the solver found no plan ({self.status})")
            return (f"情景{base}无可添加项：{why}。未添加任何内容。" if zh else
                    f"Nothing to add to {base}: {why}. Nothing was added.")
        unknown = "未知" if zh else "unknown"
        gap = unknown if self.gap is None else f"{self.gap * 100:.2f} %"
        bound = unknown if self.bound is None else _amount(self.bound)
        if self.exact and (self.gap or 0.0) <= 1e-6:
            status = "已证明最优" if zh else "proven optimal"
        else:
            status = STATUS_TEXT.get(self.status, (self.status, self.status))[zh]
        expected = self.kind == "expected-npv"
        return (f"“{self.scenario.name}”：添加 {len(self.additions)} 项；"
                f"{'期望净现值' if expected else '净现值'} "
                f"{_amount(self.base_objective)} → {_amount(self.objective)}（上界 {bound}，"
                f"差距 {gap}）；{status}，用时 {self.seconds:.1f} 秒。" if zh else
                f"“{self.scenario.name}”: {len(self.additions)} additions; "
                f"{'expected NPV' if expected else 'NPV'} "
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
        if self.kind == "expected-npv" and self.additions:
            out.append("期望净现值按各企业按认知程度的参与率加权（见 docs/method.md）；不添加辅导项目"
                       "（情景中已有的辅导计入）；预算与成本上限按全部参与计算；下列每项的净现值及"
                       "“为何此年”均按全部参与计算。" if zh else
                       "Expected NPV: weighted by each firm's participation rate by awareness "
                       "(docs/method.md); no coaching project is added (the scenario's own "
                       "coaching counts); budgets and cost caps hold with everyone taking "
                       "part; each addition's NPV and why it starts in its year below are "
                       "worked out with everyone taking part.")
        if self.additions or self.status in (HEURISTIC, LP_HEURISTIC):
            out.append(BOUND_TEXT.get(self.bound_kind, BOUND_TEXT[""])[zh])
        return out


# what a status means, in English and Chinese
STATUS_TEXT = {
    "optimal": ("optimal within the solver's gap", "在求解差距内最优"),
    "time limit": ("the solver's best plan at the time limit", "达到时间限制时求解器的最佳方案"),
    HEURISTIC: ("heuristic plan, solver found none in time",
                "启发式方案：求解器在时限内未找到方案"),
    LP_HEURISTIC: ("heuristic plan guided by the LP relaxation (too big for the solver in "
                   "time)", "以线性松弛为引导的启发式方案（规模过大，求解器无法在时限内求解）"),
}
# what the bound is, in English and Chinese
BOUND_TEXT = {
    SOLVER: ("Bound: the solver's proven bound over every plan within the rules.",
             "上界：求解器在所有符合规则的方案上证明的上界。"),
    LP: ("Bound: the LP relaxation of the whole problem (every plan within the rules, yes/no "
         "choices allowed to be fractional).",
         "上界：整个问题的线性松弛（包含所有符合规则的方案，是/否选择允许取分数）。"),
    LAGRANGE: ("Bound: a Lagrangian bound of the whole problem (the LP relaxation's "
               "multipliers, with the yes/no choices and each firm's capped subsidy kept "
               "exact).",
               "上界：整个问题的拉格朗日界（取线性松弛的乘子，是/否选择和各企业封顶的补贴按精确计算）。"),
    LOOSE: ("Bound: the scenario's NPV plus every candidate's positive NPV and every link's "
            "benefit — valid but loose; the solver proved none better in time.",
            "上界：原情景净现值加上每个候选项的正净现值和每条链接的收益——有效但较松；求解器未能"
            "在时限内证明更好的上界。"),
    "": ("Gap unknown: no bound could be proven.", "差距未知：无法证明上界。"),
}


# --- the independent checker -------------------------------------------------------------

def sme_own_costs(result: ScenarioResult, n_enterprises: int) -> Floats:
    """Each enterprise's own yearly cost (enterprises x years), the engine's ``firm_cost``:
    what it pays after subsidies paid in the year, loans drawn and repaid, tax relief (it
    may be negative). The core's row holds the core's figures, not an SME's."""
    assert result.firm_cost.shape[0] == n_enterprises
    return result.firm_cost


def check_plan(model: ChainModel, scenario_name: str, core_budget: float | None,
               government_budget: float | None, per_year: bool = False,
               sme_cost_cap: float = 0.02, baseline: str | None = None) -> list[str]:
    """Every way the scenario breaks the optimiser's constraints (empty: feasible).

    Money comes from ``planner.engine.evaluate``. With ``baseline`` (the scenario the plan
    was made from), the rule checks skip rows the baseline has too (same enterprise or park,
    project and start year), and a firm's yearly own cost may reach the baseline's own
    figure where that exceeds ``sme_cost_cap``·revenue. A budget of None is no limit.
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
    over = own > limit + _TOL * np.maximum(1.0, np.abs(limit))
    if arrays.core >= 0:
        over[arrays.core] = False
    for e, t in zip(*np.nonzero(over), strict=True):
        found.append(f"{arrays.ids[e]} pays {own[e, t]:.6g} itself in {years[t]}, over "
                     f"{limit[e, t]:.6g}")

    enterprises = model.enterprise_index()
    projects = model.project_index()
    first, last = scenario.start_year, scenario.start_year + scenario.horizon - 1
    rows = [a for a in model.assignments if a.scenario == scenario_name]
    park_rows = [b for b in model.park_assignments if b.scenario == scenario_name]
    kept: set[tuple[str, str, int]] = set()
    kept_parks: set[tuple[str, str, int]] = set()
    if baseline is not None:
        kept = {(a.enterprise, a.project, a.start_year) for a in model.assignments
                if a.scenario == baseline}
        kept_parks = {(b.park, b.project, b.start_year) for b in model.park_assignments
                      if b.scenario == baseline}
    seen: set[tuple[str, str]] = set()
    # what is live on each enterprise: its own rows and its park's (a shared platform)
    park_live: dict[str, list[tuple[int, str, int]]] = {}
    for b in park_rows:
        p = projects[b.project]
        if (b.park, b.project) in seen:
            found.append(f"park {b.park} starts {b.project} twice")
        seen.add((b.park, b.project))
        park_live.setdefault(b.park, []).append((b.start_year + p.duration, p.id,
                                                 p.maturity_gain))
        if (b.park, b.project, b.start_year) in kept_parks:
            continue
        if p.scope != "park":
            found.append(f"{p.id} is an enterprise project, assigned to park {b.park}")
        if not first <= b.start_year <= last:
            found.append(f"park {b.park} {p.id} starts {b.start_year}, outside the horizon")
    seen = set()
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
        if p.scope != "enterprise":
            found.append(f"{p.id} is a park project, assigned to {e.id}")
        if not first <= a.start_year <= last:
            found.append(f"{e.id} {p.id} starts {a.start_year}, outside the horizon")
        if p.eligible_sizes and e.size not in p.eligible_sizes:
            found.append(f"{p.id} is not for {e.size} firms like {e.id}")
        others = live[e.id] + park_live.get(e.park, []) if e.park else live[e.id]
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
    item_e: Ints  # enterprise of an item, -1 for a park item
    item_k: Ints  # park of a park item (position in park ids), -1 for an enterprise item
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
    relax: Ints  # the yes/no columns of the level gate and the cap (relaxed in the first solve)
    mixed: bool  # a firm's paid subsidies split between core and firm only within bounds
    # per item (items x years), for the heuristic: what the core, the government and the
    # firm spend, claims paid when they arise (special firms' claims: not paid, for the core
    # and the firm; paid, for the government), and the share of the core
    item_core: Floats = field(default_factory=lambda: np.zeros((0, 0)))
    item_gov: Floats = field(default_factory=lambda: np.zeros((0, 0)))
    item_own: Floats = field(default_factory=lambda: np.zeros((0, 0)))
    item_share: Floats = field(default_factory=lambda: np.zeros(0))
    item_gov_share: Floats = field(default_factory=lambda: np.zeros(0))
    cut_rows: Bools = field(default_factory=lambda: np.zeros(0, bool))  # the cap's set cuts
    # the subsidy cap without a level gate, for its cuts on the LP's solution
    # (``_cap_cuts``): each capped firm's column G in the last year, and its claiming
    # items (firm as position in cap_g) with what each claims over the horizon
    cap: float = 0.0
    cap_g: Ints = field(default_factory=lambda: np.zeros(0, np.int64))
    cap_items: Ints = field(default_factory=lambda: np.zeros(0, np.int64))
    cap_firm: Ints = field(default_factory=lambda: np.zeros(0, np.int64))
    cap_claim: Floats = field(default_factory=lambda: np.zeros(0))
    # what each of those items claims by each year (cap_items x years), and the rows that
    # only say how such a firm is paid (P, z, G, w: G = min(cap, claims) on yes/no plans),
    # which the Lagrangian bound keeps exact instead of weighing by multipliers
    cap_cum: Floats = field(default_factory=lambda: np.zeros((0, 0)))
    pay_rows: Bools = field(default_factory=lambda: np.zeros(0, bool))
    budget_rows: Ints = field(default_factory=lambda: np.zeros(0, np.int64))  # 1 core, 2 gov
    # the rows "at most one start per (owner, project)", which the Lagrangian bound keeps
    # exact too, and per row the block of rows it was built in (its kind: the SMEs' cost
    # caps, the core's part of capped payments, …): multipliers are searched per block
    group_rows: Bools = field(default_factory=lambda: np.zeros(0, bool))
    row_block: Ints = field(default_factory=lambda: np.zeros(0, np.int64))


def _park_index(model: ChainModel) -> tuple[list[str], Ints]:
    """The park ids and each enterprise's park (position in them, -1 for none)."""
    parks = model.park_ids()
    where = {k: i for i, k in enumerate(parks)}
    return parks, np.fromiter((where.get(e.park, -1) for e in model.enterprises), np.int64,
                              len(model.enterprises))


def _candidates(arrays: ChainArrays, scenario: Scenario, existing: list[Assignment],
                park_existing: list[ParkAssignment], park_of: Ints, n_parks: int
                ) -> tuple[Ints, Ints, Ints, Ints, Ints, Ints]:
    """Candidate (enterprise, project, start year) that could ever pass the rules, and
    candidate (park, park project, start year): any park project not yet on the park that
    goes live within the horizon."""
    model = arrays.model
    n, n_p = len(arrays.ids), len(model.projects)
    start, horizon = scenario.start_year, scenario.horizon
    last = start + horizon - 1
    big = np.iinfo(np.int64).max // 4
    park_scope = np.array([p.scope == "park" for p in model.projects], bool)
    # parks: every park project not on the park yet, every start year it goes live from
    park_has = np.zeros((n_parks, n_p), bool)
    park_live = np.full((n_parks, n_p), big, np.int64)
    for b in park_existing:
        k, p = model.park_ids().index(b.park), arrays.project_index[b.project]
        park_has[k, p] = True
        park_live[k, p] = min(park_live[k, p], b.start_year + int(arrays.p_duration[p]))
    members = np.bincount(park_of[park_of >= 0], minlength=n_parks) if n_parks else \
        np.zeros(0, np.int64)
    kk, kp, ks = [], [], []
    for s in range(start, last + 1):
        k_idx, p_idx = np.nonzero(~park_has & park_scope[None, :] & (members > 0)[:, None])
        keep = s + arrays.p_duration[p_idx] <= last
        kk.append(k_idx[keep])
        kp.append(p_idx[keep])
        ks.append(np.full(int(keep.sum()), s, np.int64))
        earliest = np.where(~park_has & park_scope[None, :] & (members > 0)[:, None]
                            & (s + arrays.p_duration[None, :] <= last),
                            s + arrays.p_duration[None, :], big)
        park_live = np.minimum(park_live, earliest)
    # what a member's park could have live by a year, as if on the member itself
    member_live = np.where((park_of >= 0)[:, None], park_live[np.maximum(park_of, 0)], big) \
        if n_parks else np.full((n, n_p), big, np.int64)

    has = np.zeros((n, n_p), bool)
    live_existing = member_live.copy()
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
    allowed = eligible & ~has & ~park_scope[None, :]
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

    def cat(parts: list[Ints]) -> Ints:
        return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)

    return cat(es), cat(ps), cat(ss), cat(kk), cat(kp), cat(ks)


@dataclass
class _Money:
    """Each item's yearly figures (items x years) under every linear rule of the policy."""

    npv: Floats  # its own discounted benefit − cost (cost counts loans drawn and repaid)
    benefit: Floats  # of which its discounted benefit
    core: Floats  # what the core pays, before subsidy payments
    government: Floats  # interest subsidy, tax relief, the government's share of park items
    own: Floats  # what the firm pays itself (SMEs), before subsidy payments
    claim: Floats  # subsidy claims arising in the year (capex and opex)
    core_part: Floats  # share of a paid subsidy that lowers the core's cost (per item)


def _money(arrays: ChainArrays, scenario: Scenario, item_e: Ints, item_k: Ints, item_p: Ints,
           item_s: Ints, share: Floats, gov_share: Floats, park_of: Ints, factor: Floats
           ) -> _Money:
    """The money of each item as the evaluation counts it, subsidies as claims (when they
    are paid is the level gate's and the cap's business: ``_build``)."""
    model = arrays.model
    start, horizon = scenario.start_year, scenario.horizon
    count = len(item_p)
    years = np.arange(start, start + horizon)
    is_park = item_k >= 0
    e = np.maximum(item_e, 0)
    f = np.where(is_park, 1.0, arrays.size_factor[e])
    capex = arrays.p_capex[item_p] * f
    opex = arrays.p_opex[item_p] * f
    # park items: every member's benefit
    rev_by_park = np.bincount(park_of[park_of >= 0], weights=arrays.revenue[park_of >= 0],
                              minlength=int(item_k.max(initial=-1)) + 1)
    f_by_park = np.bincount(park_of[park_of >= 0], weights=arrays.size_factor[park_of >= 0],
                            minlength=int(item_k.max(initial=-1)) + 1)
    k = np.maximum(item_k, 0)
    benefit = np.where(
        is_park, arrays.p_rate[item_p] * (rev_by_park[k] if len(rev_by_park) else 0.0)
        + arrays.p_fixed[item_p] * (f_by_park[k] if len(f_by_park) else 0.0),
        arrays.p_rate[item_p] * arrays.revenue[e] + arrays.p_fixed[item_p] * f)
    live_year = item_s + arrays.p_duration[item_p]
    live = (years[None, :] >= live_year[:, None]).astype(float)
    in_h = (item_s >= start) & (item_s < start + horizon)
    spent = np.zeros((count, horizon))
    inside = np.flatnonzero(in_h)
    spent[inside, item_s[inside] - start] = 1.0
    gross = spent * capex[:, None] + live * opex[:, None]
    is_core = ~is_park & (item_e == arrays.core)
    sme = ~is_park & ~is_core
    own_part = np.where(sme, 1.0 - share, 0.0)
    core_part = np.where(is_core, 1.0, np.where(is_park, 0.0, share))
    ownership = np.array([x.ownership for x in model.enterprises], dtype=object)
    targets = set(scenario.subsidy_ownership)
    eligible = ~is_park & (np.ones(count, bool) if not targets else
                           np.isin(ownership[e].astype(str), list(targets)))
    rates = np.array([getattr(scenario, "subsidy_" + size) for size in SIZES], float)
    claim = spent * np.where(eligible, rates[arrays.size_code[e]] * capex, 0.0)[:, None]
    window = live * (years[None, :] < (live_year + scenario.opex_subsidy_years)[:, None])
    claim += window * np.where(eligible & sme, scenario.opex_subsidy * opex, 0.0)[:, None]
    # loans: SMEs' own capex share, drawn in the start year, equal instalments after it
    drawn = np.zeros((count, horizon))
    repaid = np.zeros((count, horizon))
    interest_gov = np.zeros((count, horizon))
    if scenario.loan_share > 0:
        borrow = np.where(sme & in_h, scenario.loan_share * own_part * capex, 0.0)
        drawn = spent * borrow[:, None]
        r, n_years = scenario.loan_rate, scenario.loan_years
        instalment = borrow / n_years if r == 0 else borrow * r / (1 - (1 + r) ** -n_years)
        balance = borrow.copy()
        helped = np.where(eligible, scenario.interest_subsidy, 0.0)
        rows = np.flatnonzero(borrow > 0)
        for j in range(1, n_years + 1):
            interest = r * balance
            balance = balance - (instalment - interest)
            col = np.minimum(item_s[rows] + j, start + horizon - 1) - start
            np.add.at(repaid, (rows, col), instalment[rows])
            np.add.at(interest_gov, (rows, col), (helped * interest)[rows])
    tax = scenario.tax_relief_rate * np.where(is_core, 1.0, own_part)[:, None] * gross
    core = np.where(is_park, share, core_part)[:, None] * gross - np.where(is_core, 1.0, 0.0)[
        :, None] * tax
    own = own_part[:, None] * gross - drawn + repaid - interest_gov - np.where(sme, 1.0, 0.0)[
        :, None] * tax
    government = interest_gov + np.where(is_park, 0.0, 1.0)[:, None] * tax + \
        np.where(is_park, gov_share, 0.0)[:, None] * gross
    benefit_pv = (live * benefit[:, None]) @ factor
    npv = benefit_pv - (gross - drawn + repaid) @ factor
    return _Money(npv=npv, benefit=benefit_pv, core=core, government=government, own=own,
                  claim=claim, core_part=core_part)


def _item_probability(arrays: ChainArrays, scenario: Scenario, existing: list[Assignment],
                      item_e: Ints, item_p: Ints, item_s: Ints) -> Floats:
    """The probability that each item takes place (docs/method.md, “Who takes part”): 1 for
    park items, the core's and coaching projects; else the participation rate of its firm's
    awareness class in its start year, raised by S's coaching rows live by then (the
    expected-NPV optimiser adds no coaching, so nothing else can raise it)."""
    from planner.simulate import AWARENESS_ORDER

    model = arrays.model
    rank = {name: i for i, name in enumerate(AWARENESS_ORDER)}
    rates = np.array([getattr(scenario, "participation_" + name) for name in AWARENESS_ORDER])
    gain = np.array([p.awareness_gain for p in model.projects], np.int64)
    base = np.fromiter((rank[e.awareness] for e in model.enterprises), np.int64,
                       len(model.enterprises))
    firm = np.maximum(item_e, 0)
    level = base[firm].copy()
    for a in existing:
        p = arrays.project_index[a.project]
        if gain[p] > 0:
            live = a.start_year + int(arrays.p_duration[p])
            level[(item_e == arrays.index[a.enterprise]) & (item_s >= live)] += gain[p]
    certain = (item_e < 0) | (item_e == arrays.core) | (gain[item_p] > 0)
    return np.where(certain, 1.0, rates[np.minimum(level, len(AWARENESS_ORDER) - 1)])


def expected_npv(model: ChainModel, scenario: str) -> float:
    """The scenario's participation-weighted expected NPV, exactly (docs/method.md,
    “Optimiser”, expected NPV): what the mean of ``chainplan simulate`` tends to.

    From the evaluation's own per-assignment figures (the simulation's set-up): each
    assignment's discounted cost, and its benefit times the mean multiplier
    (low + 1 + high) / 3, weighted by the probability that it takes place; park projects
    always do; subsidies are transfers. A link yields its benefit in a year when both ends
    are connected: a firm's assignments share one U, so it is connected with probability
    the largest probability of its connecting assignments live then (1 for a flag or a
    park project), and the two ends are independent."""
    from planner.simulate import Draws, _park_levels

    setup = Draws.of(model, scenario)
    arrays, full, picked = setup.arrays, setup.full, setup.picked
    prob = np.minimum(setup.threshold, 1.0)
    mean_m = (setup.low + 1.0 + setup.high) / 3
    own = setup.own
    value = float(prob @ (mean_m[picked.project] * (own[:, 3] + own[:, 4])
                          - own[:, :3].sum(axis=1)))
    value += float((mean_m[setup.park_project] @ setup.park_benefit).sum())
    value -= sum(setup.park_npv.values())
    horizon = len(full.years)
    connected = np.maximum(arrays.platform[:, None].astype(float) * np.ones((1, horizon)),
                           _park_levels(setup)[1])  # flags and park projects: certain
    live = full.trace.live & arrays.p_connects[picked.project][:, None]
    a, t = np.nonzero(live)
    np.maximum.at(connected, (picked.who[a], t), prob[a])
    u, v = arrays.link_u, arrays.link_v
    fresh = ~arrays.link_flag & ~(arrays.platform[u] & arrays.platform[v])
    both = connected[u] * connected[v]
    weight = np.where(fresh, setup.scenario.link_benefit_rate * arrays.link_value, 0.0)
    return value + float(weight @ both @ full.factor) if len(u) else value


def _group_max(key: Ints, values: Floats, size: int) -> Floats:
    """Per key, the largest row of ``values`` (rows x years); zeros where a key has none."""
    out = np.zeros((size, values.shape[1]))
    if len(key):
        np.maximum.at(out, key, values)
    return out


def _build(arrays: ChainArrays, scenario: Scenario, core_budget: float | None,
           government_budget: float | None, per_year: bool, core_share: float,
           park_shares: tuple[float, float], sme_limit: Floats, base: ScenarioResult,
           expected: bool = False) -> _Program:
    """The program; ``sme_limit`` (enterprises x years) is each firm's own yearly cost cap,
    never below what S alone makes it pay; ``park_shares`` (government, core) of new park
    items. With ``expected``, the objective is the participation-weighted expected NPV
    (docs/method.md, “Optimiser”, expected NPV) and no coaching project is a candidate."""
    from scipy.sparse import coo_array, csr_array, vstack

    model = arrays.model
    start, horizon = scenario.start_year, scenario.horizon
    factor = base.factor
    n, n_p = len(arrays.ids), len(model.projects)
    parks, park_of = _park_index(model)
    n_parks = len(parks)
    park_pos = {k: i for i, k in enumerate(parks)}
    existing = [a for a in model.assignments if a.scenario == scenario.name]
    park_existing = [b for b in model.park_assignments if b.scenario == scenario.name]
    ce, cp, cs, ck, ckp, cks = _candidates(arrays, scenario, existing, park_existing, park_of,
                                           n_parks)
    # existing rows that matter in the horizon (those starting after it add nothing)
    old = [a for a in existing if a.start_year < start + horizon]
    old_b = [b for b in park_existing if b.start_year < start + horizon]
    n_old, n_old_b = len(old), len(old_b)
    item_e = np.r_[[arrays.index[a.enterprise] for a in old], ce,
                   np.full(n_old_b + len(ck), -1)].astype(np.int64)
    item_k = np.r_[np.full(n_old + len(ce), -1), [park_pos[b.park] for b in old_b],
                   ck].astype(np.int64)
    item_p = np.r_[[arrays.project_index[a.project] for a in old], cp,
                   [arrays.project_index[b.project] for b in old_b], ckp].astype(np.int64)
    item_s = np.r_[[a.start_year for a in old], cs, [b.start_year for b in old_b],
                   cks].astype(np.int64)
    fixed = np.r_[np.ones(n_old, bool), np.zeros(len(ce), bool), np.ones(n_old_b, bool),
                  np.zeros(len(ck), bool)]
    park_gov, park_core = park_shares
    share = np.r_[[a.core_share for a in old], np.full(len(ce), core_share),
                  [b.core_share for b in old_b], np.full(len(ck), park_core)].astype(float)
    gov_share = np.r_[np.zeros(n_old + len(ce)), [b.government_share for b in old_b],
                      np.full(len(ck), park_gov)].astype(float)
    money = _money(arrays, scenario, item_e, item_k, item_p, item_s, share, gov_share, park_of,
                   factor)
    is_park = item_k >= 0
    lt = np.clip(item_s + arrays.p_duration[item_p] - start, 0, horizon)  # first live offset
    # the probability that each item takes place (1 with every assignment happening) and
    # what it adds to the objective: its NPV, or its expected NPV, prob·(mean M·benefit −
    # cost) with the mean of the triangular multiplier (low + 1 + high) / 3
    coaching = np.array([p.awareness_gain > 0 for p in model.projects], bool)
    prob = _item_probability(arrays, scenario, existing, item_e, item_p, item_s) if expected \
        else np.ones(len(item_p))
    mean_m = np.array([(p.benefit_low + 1.0 + p.benefit_high) / 3 for p in model.projects])
    value = prob * (money.npv + (mean_m[item_p] - 1.0) * money.benefit) if expected \
        else money.npv

    # what the level gate needs: is it in force for a firm at all?
    gate = scenario.subsidy_min_level
    gated_firm = np.zeros(n, bool) if gate is None else arrays.maturity < gate
    # drop candidates that can only lose: negative NPV, enabling nothing, connecting nothing,
    # lifting no level that matters, lowering nobody's spending in any year, claiming no
    # subsidy that the level gate or the cap could move (then leaving it out of any plan
    # that meets every limit leaves a plan that meets them and is worth more)
    needed = {p.requires for p in model.projects if p.requires}
    enables = np.array([p.id in needed for p in model.projects], bool)
    levels_matter = any(p.min_maturity > 1 for p in model.projects) or gate is not None
    claims = money.claim.sum(axis=1) > 0
    moved = claims & ((scenario.subsidy_cap is not None) | gated_firm[np.maximum(item_e, 0)])
    paid_now = money.claim * ~moved[:, None]
    lowers = ((money.core - money.core_part[:, None] * paid_now).min(axis=1) < 0) | \
        ((money.own - np.where(is_park, 0.0, 1.0 - money.core_part)[:, None] * paid_now)
         .min(axis=1) < 0)
    useless = (~fixed & (value < 0) & ~arrays.p_connects[item_p] & ~enables[item_p]
               & ~((arrays.p_gain[item_p] > 0) & levels_matter) & ~lowers & ~moved)
    if expected:  # what coaching adds is through others' probabilities: not linear
        useless |= ~fixed & ~is_park & coaching[item_p]
    keep = ~useless
    item_e, item_k, item_p, item_s, fixed, lt, is_park, prob, value = (
        v[keep] for v in (item_e, item_k, item_p, item_s, fixed, lt, is_park, prob, value))
    money = _Money(*(getattr(money, name)[keep] for name in
                     ("npv", "benefit", "core", "government", "own", "claim", "core_part")))
    k_items = len(item_e)
    e0 = np.maximum(item_e, 0)
    years_t = np.arange(horizon)
    live = years_t[None, :] >= lt[:, None]  # (items x years), live in the year

    # --- which firms' subsidy payments need variables: the level gate or the cap can move
    # them; every other claim is paid when it arises (a constant of its item)
    cap = scenario.subsidy_cap
    has_claim = money.claim.sum(axis=1) > 0
    firm_items = ~is_park & has_claim
    cum = np.cumsum(money.claim, axis=1)  # claims arisen by each year
    pair = np.where(is_park, n * n_p, e0 * n_p + item_p)  # one start per (firm, project)
    best = _group_max(pair[firm_items], cum[firm_items], n * n_p + 1)[:n * n_p]
    most_cum = best.reshape(n, n_p, horizon).sum(axis=1)  # (firms x years): all claims
    fixed_cum = np.zeros((n, horizon))
    np.add.at(fixed_cum, e0[firm_items & fixed], cum[firm_items & fixed])
    most_cum = np.maximum(most_cum, fixed_cum)
    capped = np.zeros(n, bool) if cap is None else most_cum[:, -1] > cap + 1e-12
    special = (capped | gated_firm) & (most_cum[:, -1] > 0)
    sp_ids = np.flatnonzero(special)
    m = len(sp_ids)
    sp_pos = np.full(n, -1, np.int64)
    sp_pos[sp_ids] = np.arange(m)
    direct = ~(~is_park & special[e0])  # claims paid when they arise
    paid = money.claim * direct[:, None]
    gov_coef = money.government + paid
    core_coef = money.core - money.core_part[:, None] * paid
    own_coef = money.own - np.where(is_park, 0.0, 1.0 - money.core_part)[:, None] * paid
    # the core's share of a special firm's payments: exact when its claiming items share one
    # core share, otherwise between the least and the most of them (a relaxation)
    sp_items = np.flatnonzero(~direct & has_claim)
    c_min = np.ones(m)
    c_max = np.zeros(m)
    np.minimum.at(c_min, sp_pos[item_e[sp_items]], money.core_part[sp_items])
    np.maximum.at(c_max, sp_pos[item_e[sp_items]], money.core_part[sp_items])
    c_min = np.minimum(c_min, c_max)
    mixed = bool(np.any(c_max - c_min > 1e-12))

    # --- connection and links (park items connect each member)
    conn_item = arrays.p_connects[item_p]
    member_lists: list[Ints] = [np.flatnonzero(park_of == k) for k in range(n_parks)]
    connectable = np.zeros(n, bool)
    connectable[item_e[conn_item & ~is_park]] = True
    for k in np.unique(item_k[conn_item & is_park]):
        connectable[member_lists[k]] = True
    conn_ids = np.flatnonzero(connectable & ~arrays.platform)
    conn_pos = np.full(n, -1, np.int64)
    conn_pos[conn_ids] = np.arange(len(conn_ids))
    u, v = arrays.link_u, arrays.link_v
    fresh = ~arrays.link_flag & ~(arrays.platform[u] & arrays.platform[v])
    reach = arrays.platform | (conn_pos >= 0)
    link_ids = np.flatnonzero(fresh & reach[u] & reach[v])
    # connection units (firm, level θ): a firm's items share one U, so it is connected in t
    # with probability the largest θ (probability) of its chosen connecting items live in t
    # (1 for park items); unit (e, θ) is "some chosen connecting item with probability ≥ θ
    # is live". Then P(connected) = Σ Δθ·unit over e's units (Δθ: θ less the unit below),
    # and a link's ends are different firms, independent: P(both) = Σ Δθ_u·Δθ_v·(both
    # units on). With every θ = 1 (objective npv) a firm has one unit and this is the
    # plain "connected" of the deterministic plan.
    theta = np.round(np.minimum(prob, 1.0), 12)
    ent_conn = np.flatnonzero(conn_item & ~is_park & (conn_pos[e0] >= 0))
    unit_f = [conn_pos[item_e[ent_conn]]]
    unit_v = [theta[ent_conn]]
    for k in np.unique(item_k[conn_item & is_park]):
        who = conn_pos[member_lists[k]]
        who = who[who >= 0]
        unit_f.append(who)
        unit_v.append(np.ones(len(who)))
    uf, uv = np.concatenate(unit_f).astype(np.int64), np.concatenate(unit_v)
    order = np.lexsort((uv, uf))
    uf, uv = uf[order], uv[order]
    distinct = np.r_[True, (uf[1:] != uf[:-1]) | (uv[1:] != uv[:-1])] if len(uf) else \
        np.zeros(0, bool)
    unit_firm, unit_theta = uf[distinct], uv[distinct]
    unit_of = np.empty(len(order), np.int64)  # the unit of each (item or park member) entry
    unit_of[order] = np.cumsum(distinct) - 1
    n_units = len(unit_firm)
    first_unit = np.searchsorted(unit_firm, np.arange(len(conn_ids)), side="left")
    unit_count = np.bincount(unit_firm, minlength=len(conn_ids))
    new_firm = np.r_[True, unit_firm[1:] != unit_firm[:-1]] if n_units else np.zeros(0, bool)
    unit_delta = unit_theta - np.where(new_firm, 0.0, np.r_[0.0, unit_theta[:-1]])
    # link pairs: each unit of one end with each unit of the other (one "unit" of Δθ = 1,
    # always on, for an end connected by its platform flag)
    ends_first, ends_count = [], []
    for end in (u, v):
        ends = end[link_ids]
        ends_first.append(np.where(arrays.platform[ends], -1,
                                   first_unit[np.maximum(conn_pos[ends], 0)]))
        ends_count.append(np.where(arrays.platform[ends], 1,
                                   unit_count[np.maximum(conn_pos[ends], 0)]))
    per_link = ends_count[0] * ends_count[1]
    pair_l = np.repeat(np.arange(len(link_ids)), per_link)
    offset = np.arange(int(per_link.sum())) - np.repeat(np.cumsum(per_link) - per_link, per_link)
    pair_unit = []
    pair_delta = np.ones(len(pair_l))
    for side in (0, 1):  # pairs enumerate u's units (slow) by v's units (fast)
        within = offset // ends_count[1][pair_l] if side == 0 else \
            offset % ends_count[1][pair_l]
        end_first = ends_first[side][pair_l]
        unit = np.where(end_first < 0, -1, end_first + within)
        pair_unit.append(unit)
        pair_delta *= np.where(unit < 0, 1.0, unit_delta[np.maximum(unit, 0)])
    # a link whose other end is connected by its flag is on exactly when this end's unit is:
    # its benefit goes on the unit itself (no on variable, no rows; the same program)
    one_sided = (pair_unit[0] < 0) | (pair_unit[1] < 0)
    side_unit = np.maximum(pair_unit[0], pair_unit[1])[one_sided]
    side_weight = (scenario.link_benefit_rate * arrays.link_value[link_ids][pair_l][one_sided]
                   * pair_delta[one_sided])
    pair_l, pair_delta = pair_l[~one_sided], pair_delta[~one_sided]
    pair_unit = [unit[~one_sided] for unit in pair_unit]
    n_pairs = len(pair_l)

    # --- columns: items | P, z, G, w, R of special firms | conn units | link pairs
    H = horizon
    p_base = k_items
    z_base, g_base, w_base, r_base = (p_base + j * m * H for j in range(1, 5))
    conn_base = p_base + 5 * m * H
    link_base = conn_base + n_units * H
    # with a level gate, P = z·Q in the last year item by item (p[k] = z·x[k]·claims of k):
    # no yes/no plan is cut off, but the relaxation's z no longer waives the whole of Q
    mc_items = sp_items if gate is not None and m else np.zeros(0, np.int64)
    mc_base = link_base + n_pairs * H
    n_var = mc_base + len(mc_items)

    def col(base: int, pos: Ints, t: Ints) -> Ints:
        return base + pos * H + t

    c = np.zeros(n_var)
    c[:k_items] = -value
    c[link_base:mc_base] = -(scenario.link_benefit_rate
                             * arrays.link_value[link_ids][pair_l][:, None]
                             * pair_delta[:, None] * factor[None, :]).ravel()
    np.add.at(c, (conn_base + side_unit[:, None] * H + np.arange(H)[None, :]).ravel(),
              -(side_weight[:, None] * factor[None, :]).ravel())
    lb = np.zeros(n_var)
    ub = np.ones(n_var)
    lb[:k_items] = fixed.astype(float)
    integrality = np.zeros(n_var, np.int64)
    integrality[:k_items] = 1

    # special firms: the most they could claim by each year, and what they can reach
    sp_most = most_cum[sp_ids]  # (m x years)
    ub[p_base:z_base] = sp_most.ravel()
    ub[g_base:w_base] = sp_most.ravel()
    ub[r_base:r_base + m * H] = sp_most.ravel()
    integrality[z_base:g_base] = 1
    integrality[w_base:r_base] = 1
    relax = np.r_[np.arange(z_base, g_base), np.arange(w_base, r_base)].astype(np.int64)
    # gains that could reach each special firm by each year (its items and its park's)
    gain = arrays.p_gain[item_p].astype(float)
    gain_rows_r: list[Ints] = []
    gain_rows_c: list[Ints] = []
    sel = np.flatnonzero(~is_park & (sp_pos[e0] >= 0) & (gain > 0))
    gain_rows_r.append(sp_pos[item_e[sel]])
    gain_rows_c.append(sel)
    sp_park = park_of[sp_ids]
    for j in np.flatnonzero(is_park & (gain > 0)):
        who = np.flatnonzero(sp_park == item_k[j])
        gain_rows_r.append(who)
        gain_rows_c.append(np.full(len(who), j))
    g_r = np.concatenate(gain_rows_r) if gain_rows_r else np.zeros(0, np.int64)
    g_c = np.concatenate(gain_rows_c) if gain_rows_c else np.zeros(0, np.int64)
    gpair = np.where(is_park[g_c], (n + item_k[g_c]) * n_p + item_p[g_c],
                     e0[g_c] * n_p + item_p[g_c])
    # most gain by year: per (special firm, (owner, project)) the largest, then summed
    key = g_r * ((n + n_parks + 1) * n_p) + gpair
    gl = (gain[g_c][:, None] * live[g_c]).astype(float)
    most_gain = np.zeros((m, H))
    if len(key):
        uniq, inv = np.unique(key, return_inverse=True)
        per = np.zeros((len(uniq), H))
        np.maximum.at(per, inv, gl)
        np.add.at(most_gain, uniq // ((n + n_parks + 1) * n_p), per)
    if gate is not None and m:
        short = (gate - arrays.maturity[sp_ids]).astype(float)  # levels still to gain
        never = (short[:, None] > 0) & (most_gain < short[:, None])
        ub[z_base:g_base] = np.where(never, 0.0, 1.0).ravel()
        reached = short[:, None] <= 0
        lb[z_base:g_base] = np.broadcast_to(np.where(reached, 1.0, 0.0), (m, H)).ravel()
    else:
        lb[z_base:g_base] = 1.0  # no gate: every claim is paid when it arises
    if cap is None:
        ub[w_base:r_base] = 0.0  # no cap: G = P
    else:
        lb[g_base:w_base] = 0.0
        ub[g_base:w_base] = np.minimum(sp_most, cap).ravel()

    blocks: list[Sparse] = []
    # the cap's parts for its cuts on the LP's solution (_cap_cuts)
    cap_g, cap_items, cap_firm = (np.zeros(0, np.int64) for _ in range(3))
    cap_claim = np.zeros(0)
    cap_cum = np.zeros((0, horizon))
    row_lb: list[Floats] = []
    row_ub: list[Floats] = []

    cut_rows: list[Bools] = []  # per block: the cap's set cuts (left out of the quick LP)
    pay_rows: list[Bools] = []  # per block: rows on how a special firm is paid (P, z, G, w)
    budget_rows: list[Ints] = []  # per block: 1 the core's budget, 2 the government's, else 0
    group_rows: list[Bools] = []  # per block: at most one start per (owner, project)

    def add(block: Sparse, lo: Floats | float, hi: Floats | float, cut: bool = False,
            pay: bool = False, budget: int = 0, group: bool = False) -> None:
        rows = block.shape[0]
        if rows == 0:
            return
        blocks.append(block)
        cut_rows.append(np.full(rows, cut))
        pay_rows.append(np.full(rows, pay))
        budget_rows.append(np.full(rows, budget, np.int64))
        group_rows.append(np.full(rows, group))
        row_lb.append(np.broadcast_to(np.asarray(lo, float), (rows,)).copy())
        row_ub.append(np.broadcast_to(np.asarray(hi, float), (rows,)).copy())

    def rows_of(rr: list[Ints], cc: list[Ints], vv: list[Floats], n_rows: int) -> Sparse:
        return coo_array((np.concatenate(vv), (np.concatenate(rr), np.concatenate(cc))),
                         shape=(n_rows, n_var)).tocsr()

    if m:
        rows_mt = np.arange(m * H)
        t_r = rows_mt % H
        most_flat = sp_most.ravel()
        # Q(e, t): claims arisen by t of the firm's chosen items (items x years -> rows)
        q_items = sp_items
        qi, qt = np.nonzero(cum[q_items] > 0)
        q_r = sp_pos[item_e[q_items[qi]]] * H + qt
        q_c = q_items[qi]
        q_v = cum[q_items[qi], qt]
        pcol, zcol = p_base + rows_mt, z_base + rows_mt
        gcol, wcol, rcol = g_base + rows_mt, w_base + rows_mt, r_base + rows_mt
        one = np.ones(m * H)
        # P <= Q;  P <= most·z;  P >= Q − most·(1 − z): P = z·Q, exact when z is yes/no
        add(rows_of([rows_mt, q_r], [pcol, q_c], [one, -q_v], m * H), -np.inf, 0.0, pay=True)
        add(rows_of([rows_mt, rows_mt], [pcol, zcol], [one, -most_flat], m * H), -np.inf, 0.0,
            pay=True)
        add(rows_of([rows_mt, q_r, rows_mt], [pcol, q_c, zcol], [one, -q_v, -most_flat], m * H),
            -most_flat, np.inf, pay=True)
        later = rows_mt[t_r > 0]
        # z and P never fall: once reached, a level stays (gains only add up)
        add(rows_of([later, later], [zcol[later], zcol[later] - 1],
                    [np.ones(len(later)), -np.ones(len(later))], m * H), 0.0, np.inf, pay=True)
        if gate is not None:
            short = (gate - arrays.maturity[sp_ids]).astype(float)
            s_flat = np.repeat(short, H)
            # the levels gained by the firm's (and its park's) items live by t
            gi, gt = np.nonzero(live[g_c])
            gr = g_r[gi] * H + gt
            gc = g_c[gi]
            gv = gain[g_c[gi]]
            # z = 1 only when the level is reached: short·z <= gains
            add(rows_of([rows_mt, gr], [zcol, gc], [np.maximum(s_flat, 0.0), -gv], m * H),
                -np.inf, 0.0)
            # reached means z = 1: gains − most gain·z <= short − 1
            big_m = np.maximum(most_gain.ravel() - (s_flat - 1), 0.0)
            add(rows_of([rows_mt, gr], [zcol, gc], [-big_m, gv], m * H), -np.inf, s_flat - 1)
            # p[k] >= claims·(x[k] + z − 1) in the last year, and P >= Σ p[k] (see mc_base)
            n_mc = len(mc_items)
            claims_last = cum[mc_items, H - 1]
            ub[mc_base:] = claims_last
            z_last = z_base + sp_pos[item_e[mc_items]] * H + H - 1
            mc_rows = np.arange(n_mc)
            add(rows_of([mc_rows, mc_rows, mc_rows], [mc_base + mc_rows, mc_items, z_last],
                        [np.ones(n_mc), -claims_last, -claims_last], n_mc), -claims_last,
                np.inf)
            add(rows_of([np.arange(m), sp_pos[item_e[mc_items]]],
                        [p_base + np.arange(m) * H + H - 1, mc_base + mc_rows],
                        [np.ones(m), -np.ones(n_mc)], m), 0.0, np.inf)
            # a cut that tightens the relaxation (the rows above imply it for yes/no z): an
            # item whose gain alone reaches the level sets z from its first live year on
            one_does = (short[g_r] > 0) & (gain[g_c] >= short[g_r]) & (lt[g_c] < H)
            cut_r, cut_k = g_r[one_does], g_c[one_does]
            n_cut = len(cut_r)
            add(rows_of([np.arange(n_cut), np.arange(n_cut)],
                        [cut_k, z_base + cut_r * H + lt[cut_k]],
                        [np.ones(n_cut), -np.ones(n_cut)], n_cut), -np.inf, 0.0)
        if cap is not None:
            # G = min(cap, P): G <= P; G >= cap·w; G >= P − most·w (and G <= cap as a bound)
            add(rows_of([rows_mt, rows_mt], [gcol, pcol], [one, -one], m * H), -np.inf, 0.0,
                pay=True)
            add(rows_of([rows_mt, rows_mt], [gcol, wcol], [one, -np.full(m * H, cap)], m * H),
                0.0, np.inf, pay=True)
            add(rows_of([rows_mt, rows_mt, rows_mt], [gcol, pcol, wcol],
                        [one, -one, most_flat], m * H), 0.0, np.inf, pay=True)
            # cuts: min(cap, P) lies above its chord on [0, most], G >= P·min(1, cap/most);
            # and without a gate (P = Q) what any set of projects claims by the last year
            # when that is within the cap is paid in full (one start per project)
            one_items = sp_items if gate is None else np.zeros(0, np.int64)
            n_one = len(one_items)
            if n_one:
                firm_of = sp_pos[item_e[one_items]]
                claim = cum[one_items, H - 1]
                cap_g, cap_items, cap_firm, cap_claim = (
                    g_base + np.arange(m) * H + H - 1, one_items, firm_of, claim)
                cap_cum = cum[one_items]
                most_p = np.zeros((m, n_p))
                np.maximum.at(most_p, (firm_of, item_p[one_items]), claim)
                sets = []
                ascending = np.argsort(most_p, axis=1, kind="stable")
                # the j-th largest claim first (j = 0, 1, 2), then the smallest ones
                for rank in range(-1, min(LEADS, n_p)):
                    order = ascending
                    if rank >= 0:
                        lead = ascending[:, [n_p - 1 - rank]]
                        rest = ascending[ascending != lead].reshape(m, n_p - 1)
                        order = np.c_[lead, rest]
                    ranked = np.take_along_axis(most_p, order, axis=1)
                    within = np.cumsum(ranked, axis=1) <= cap + 1e-12
                    member = np.zeros((m, n_p), bool)
                    np.put_along_axis(member, order, within, axis=1)
                    sets.append(member)
                for member in sets:
                    mine = member[firm_of, item_p[one_items]] & (claim > 0)
                    rows_k = firm_of[mine]
                    add(rows_of([np.arange(m), rows_k],
                                [g_base + np.arange(m) * H + H - 1, one_items[mine]],
                                [np.ones(m), -claim[mine]], m), 0.0, np.inf, cut=True,
                                pay=True)
            slope = np.where(most_flat > 0, np.minimum(1.0, cap / np.maximum(most_flat, 1e-300)),
                             1.0)
            add(rows_of([rows_mt, rows_mt], [gcol, pcol], [one, -slope], m * H), 0.0, np.inf,
                pay=True)
        else:
            add(rows_of([rows_mt, rows_mt], [gcol, pcol], [one, -one], m * H), 0.0, 0.0, pay=True)
        # the core's part of each year's payment: c_min·ΔG <= ΔR <= c_max·ΔG
        prev = rows_mt[t_r > 0]
        lo_c, hi_c = np.repeat(c_min, H), np.repeat(c_max, H)
        for bound, sign in ((lo_c, 1.0), (hi_c, -1.0)):
            add(rows_of([rows_mt, prev, rows_mt, prev],
                        [rcol, rcol[prev] - 1, gcol, gcol[prev] - 1],
                        [sign * one, -sign * np.ones(len(prev)), -sign * bound,
                         sign * bound[prev]], m * H), 0.0, np.inf)

    # --- spending rows: items' coefficients plus the special firms' payments in each year
    def year_block(coef: Floats, pay_sign: float, core_sign: float) -> Sparse:
        """(years x variables): Σ coef·x + pay_sign·ΔG + core_sign·ΔR over special firms."""
        ii, tt = np.nonzero(coef)
        rr = [tt]
        cc = [ii]
        vv = [coef[ii, tt]]
        if m:
            rows_mt = np.arange(m * H)
            t_r = rows_mt % H
            for first, sign in ((g_base, pay_sign), (r_base, core_sign)):
                if sign == 0:
                    continue
                rr += [t_r, t_r[t_r < H - 1] + 1]
                cc += [first + rows_mt, first + rows_mt[t_r < H - 1]]
                vv += [np.full(m * H, sign), np.full(int((t_r < H - 1).sum()), -sign)]
        return rows_of(rr, cc, vv, H)

    for coef, pay_sign, core_sign, limit in ((core_coef, 0.0, -1.0, core_budget),
                                             (gov_coef, 1.0, 0.0, government_budget)):
        if limit is None or math.isinf(limit):
            continue
        block = year_block(coef, pay_sign, core_sign)
        if per_year:
            add(block, -np.inf, limit, budget=1 + int(pay_sign))
        else:
            add(csr_array(block.sum(axis=0).reshape(1, -1)), -np.inf, limit,
                budget=1 + int(pay_sign))

    # --- each SME's own yearly cost (it may be negative: deferred subsidies, loans)
    firm_rows = np.flatnonzero(~is_park & (item_e != arrays.core))
    if len(firm_rows):
        ii, tt = np.nonzero(own_coef[firm_rows])
        ii = firm_rows[ii]
        rr = [item_e[ii] * H + tt]
        cc = [ii]
        vv = [own_coef[ii, tt]]
        # the most it could pay: positive coefficients only, one start per project
        most = np.zeros((n, H))
        pos = np.clip(own_coef[firm_rows], 0, None)
        best_own = _group_max(pair[firm_rows], pos, n * n_p + 1)[:n * n_p]
        most += best_own.reshape(n, n_p, H).sum(axis=1)
        fx = firm_rows[fixed[firm_rows]]
        np.add.at(most, item_e[fx], np.clip(own_coef[fx], 0, None))
        if m:
            sme_sp = sp_ids != arrays.core
            rows_mt = np.flatnonzero(np.repeat(sme_sp, H))
            t_r = rows_mt % H
            firm = np.repeat(sp_ids, H)[rows_mt]
            last_ok = t_r < H - 1
            # own: − (ΔG − ΔR)
            for first, sign in ((g_base, -1.0), (r_base, 1.0)):
                rr += [firm * H + t_r, firm[last_ok] * H + t_r[last_ok] + 1]
                cc += [first + rows_mt, first + rows_mt[last_ok]]
                vv += [np.full(len(rows_mt), sign), np.full(int(last_ok.sum()), -sign)]
        own_rows = rows_of(rr, cc, vv, n * H)
        own_limit = sme_limit.ravel()
        has_cand = np.zeros(n, bool)
        has_cand[item_e[~fixed & ~is_park]] = True
        ent_of_row = np.repeat(np.arange(n), H)
        need = (most.ravel() > own_limit * (1 + 1e-9)) & has_cand[ent_of_row]
        if arrays.core >= 0:
            need &= ent_of_row != arrays.core
        rows_need = np.flatnonzero(need)
        add(own_rows[rows_need], -np.inf, own_limit[rows_need] + 1e-9 * np.maximum(
            1.0, np.abs(own_limit[rows_need])))

    # --- pairs (candidate, item that may lift or enable it): its firm's items, its park's
    cand_items = np.flatnonzero(~fixed & ~is_park)
    firm_items_idx = np.flatnonzero(~is_park)
    by_e = firm_items_idx[np.argsort(item_e[firm_items_idx], kind="stable")]
    group_start = np.searchsorted(item_e[by_e], np.arange(n), side="left")
    group_size = np.bincount(item_e[firm_items_idx], minlength=n)
    sizes = group_size[item_e[cand_items]]
    pair_c = np.repeat(cand_items, sizes)
    offsets = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    pair_k = by_e[np.repeat(group_start[item_e[cand_items]], sizes) + offsets]
    park_items = np.flatnonzero(is_park)
    if len(park_items) and len(cand_items):
        by_k = park_items[np.argsort(item_k[park_items], kind="stable")]
        k_start = np.searchsorted(item_k[by_k], np.arange(n_parks), side="left")
        k_size = np.bincount(item_k[park_items], minlength=n_parks)
        their = park_of[item_e[cand_items]]
        psz = np.where(their >= 0, k_size[np.maximum(their, 0)], 0)
        pc = np.repeat(cand_items, psz)
        off = np.arange(int(psz.sum())) - np.repeat(np.cumsum(psz) - psz, psz)
        pk = by_k[np.repeat(k_start[np.maximum(their, 0)], psz) + off]
        pair_c, pair_k = np.r_[pair_c, pc], np.r_[pair_k, pk]
    live_year = item_s + arrays.p_duration[item_p]
    before = live_year[pair_k] <= item_s[pair_c]

    req = np.array([arrays.project_index.get(p.requires, -1) if p.requires else -1
                    for p in model.projects], np.int64)
    need_req = cand_items[req[item_p[cand_items]] >= 0]
    if len(need_req):
        row_pos = np.full(k_items, -1, np.int64)
        row_pos[need_req] = np.arange(len(need_req))
        mk = before & (row_pos[pair_c] >= 0) & (item_p[pair_k] == req[item_p[pair_c]])
        rr = np.r_[row_pos[need_req], row_pos[pair_c[mk]]]
        cc = np.r_[need_req, pair_k[mk]]
        vv = np.r_[np.ones(len(need_req)), -np.ones(int(mk.sum()))]
        add(coo_array((vv, (rr, cc)), shape=(len(need_req), n_var)).tocsr(), -np.inf, 0.0)

    min_level = np.array([p.min_maturity for p in model.projects], np.int64)
    short_c = min_level[item_p[cand_items]] - arrays.maturity[item_e[cand_items]]
    need_mat = cand_items[short_c > 0]
    if len(need_mat):
        row_pos = np.full(k_items, -1, np.int64)
        row_pos[need_mat] = np.arange(len(need_mat))
        mk = before & (row_pos[pair_c] >= 0) & (gain[pair_k] > 0)
        rr = np.r_[row_pos[need_mat], row_pos[pair_c[mk]]]
        cc = np.r_[need_mat, pair_k[mk]]
        vv = np.r_[short_c[short_c > 0].astype(float), -gain[pair_k[mk]]]
        add(coo_array((vv, (rr, cc)), shape=(len(need_mat), n_var)).tocsr(), -np.inf, 0.0)

    # --- at most one start per (enterprise, project) and per (park, park project)
    cands = np.flatnonzero(~fixed)
    if len(cands):
        key = np.where(is_park[cands], (n + item_k[cands]) * n_p, item_e[cands] * n_p) + \
            item_p[cands]
        _, group, counts = np.unique(key, return_inverse=True, return_counts=True)
        multi = counts[group] > 1
        if multi.any():
            _, g2 = np.unique(group[multi], return_inverse=True)
            add(coo_array((np.ones(int(multi.sum())), (g2, cands[multi])),
                          shape=(int(g2.max()) + 1, n_var)).tocsr(), -np.inf, 1.0, group=True)

    # --- unit[(e, θ), t] <= Σ x of e's connecting items of probability >= θ live in t (and
    #     its park's connecting items, probability 1); on[pair, t] <= each end's unit
    if n_units:
        # each connecting item counts for its firm's units of θ up to its own (a firm's
        # units are sorted by θ, so a prefix ending at the item's own unit)
        lo_u = first_unit[conn_pos[item_e[ent_conn]]]
        upto = unit_of[:len(ent_conn)] - lo_u + 1
        rep_k = np.repeat(ent_conn, upto)
        rep_u = np.repeat(lo_u, upto) + (np.arange(int(upto.sum()))
                                         - np.repeat(np.cumsum(upto) - upto, upto))
        kk, tt = np.nonzero(live[rep_k])
        rr_l = [np.arange(n_units * H), rep_u[kk] * H + tt]
        cc_l = [conn_base + np.arange(n_units * H), rep_k[kk]]
        for j in np.flatnonzero(conn_item & is_park):
            who = conn_pos[member_lists[item_k[j]]]
            who = who[who >= 0]
            units = np.concatenate([np.arange(first_unit[w], first_unit[w] + unit_count[w])
                                    for w in who]) if len(who) else np.zeros(0, np.int64)
            ts = np.flatnonzero(live[j])
            rr_l.append((units[:, None] * H + ts[None, :]).ravel())
            cc_l.append(np.full(len(units) * len(ts), j))
        vv_l = [np.ones(n_units * H)] + [-np.ones(len(x)) for x in rr_l[1:]]
        add(rows_of(rr_l, cc_l, vv_l, n_units * H), -np.inf, 0.0)
    if n_pairs:
        for unit in pair_unit:
            sel_l = np.flatnonzero(unit >= 0)
            li = np.repeat(sel_l, H)
            tt = np.tile(years_t, len(sel_l))
            n_rows = len(li)
            on_cols = link_base + li * H + tt
            add(rows_of([np.arange(n_rows), np.arange(n_rows)],
                        [on_cols, col(conn_base, unit[li], tt)],
                        [np.ones(n_rows), -np.ones(n_rows)], n_rows), -np.inf, 0.0)

    a = vstack(blocks, format="csr") if blocks else csr_array((0, n_var))
    # connected (some connecting item live): each firm's first unit, of the lowest θ
    non_core_conn = conn_ids[(conn_ids != arrays.core) & (unit_count > 0)]
    coverage_c = np.zeros(n_var)
    coverage_c[col(conn_base, first_unit[conn_pos[non_core_conn]],
                   np.full(len(non_core_conn), H - 1))] = -1.0
    platform_smes = arrays.platform.copy()
    if arrays.core >= 0:
        platform_smes[arrays.core] = False
    _fix_misfits(a, np.concatenate(row_lb) if row_lb else np.zeros(0),
                 np.concatenate(row_ub) if row_ub else np.zeros(0), lb, ub, k_items)
    return _Program(
        c=c, constant=0.0, integrality=integrality, lb=lb, ub=ub, a=a,
        row_lb=np.concatenate(row_lb) if row_lb else np.zeros(0),
        row_ub=np.concatenate(row_ub) if row_ub else np.zeros(0),
        item_e=item_e, item_k=item_k, item_p=item_p, item_s=item_s, item_fixed=fixed,
        item_npv=value, n_items=k_items, coverage_c=coverage_c,
        coverage_constant=float(platform_smes.sum()), conn_base=conn_base, conn_ids=conn_ids,
        link_base=link_base, link_ids=link_ids[pair_l], relax=relax, mixed=mixed,
        item_core=core_coef, item_gov=gov_coef + money.claim * ~direct[:, None],
        item_own=own_coef, item_share=share[keep], item_gov_share=gov_share[keep],
        cut_rows=np.concatenate(cut_rows) if cut_rows else np.zeros(0, bool),
        cap=0.0 if cap is None else float(cap), cap_g=cap_g, cap_items=cap_items,
        cap_firm=cap_firm, cap_claim=cap_claim, cap_cum=cap_cum,
        pay_rows=np.concatenate(pay_rows) if pay_rows else np.zeros(0, bool),
        budget_rows=np.concatenate(budget_rows) if budget_rows else np.zeros(0, np.int64),
        group_rows=np.concatenate(group_rows) if group_rows else np.zeros(0, bool),
        row_block=np.repeat(np.arange(len(blocks)), [b.shape[0] for b in blocks]).astype(
            np.int64))


@dataclass
class _Solve:
    x: Floats | None
    objective: float  # of the minimised c
    bound: float | None  # a lower bound of the minimised c (None: none proven)
    status: str
    lagrange: float | None = None  # the Lagrangian bound of the same multipliers (minimised c)
    duals: Floats | None = None  # the row multipliers the bounds come from (an LP's)


def _solve(prog: _Program, c: Floats, extra: tuple[Floats, float] | None, time_limit: float,
           mip_rel_gap: float, relax: bool = False, relax_all: bool = False) -> _Solve:
    """HiGHS on the program (``relax``: the gate's and the cap's yes/no variables
    fractional; ``relax_all``: every variable, the LP relaxation). The bound is HiGHS's
    dual bound, None when it has none (it stopped before its first LP was solved): never
    the incumbent's value."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array, vstack

    a, lo, hi = prog.a, prog.row_lb, prog.row_ub
    if extra is not None:  # one more row: extra[0] @ v <= extra[1]
        a = vstack([a, csr_array(extra[0].reshape(1, -1))], format="csr")
        lo, hi = np.r_[lo, -np.inf], np.r_[hi, extra[1]]
    constraints = [LinearConstraint(a, lo, hi)] if a.shape[0] else []
    integrality = prog.integrality
    if relax_all:
        integrality = np.zeros_like(integrality)
    elif relax:
        integrality = integrality.copy()
        integrality[prog.relax] = 0
    res = milp(c, integrality=integrality, bounds=Bounds(prog.lb, prog.ub),
               constraints=constraints,
               options={"time_limit": max(0.01, time_limit), "mip_rel_gap": mip_rel_gap})
    status = {0: "optimal", 1: "time limit", 2: "infeasible", 3: "unbounded"}.get(res.status,
                                                                                   "failed")
    x = None if res.x is None else np.asarray(res.x)
    objective = float(res.fun) if res.fun is not None else math.inf
    if relax_all:  # an LP: its optimum is the bound, nothing else is
        bound = objective if status == "optimal" else None
    else:
        bound = getattr(res, "mip_dual_bound", None)
        bound = float(bound) if bound is not None and math.isfinite(bound) else None
    return _Solve(x, objective, bound, status)


def _quiet_highs() -> Any:
    """A ``highspy.Highs`` that prints nothing: the first one made in a process writes
    HiGHS's banner to the standard output (file descriptor 1, from C++), which would spoil
    ``chainplan optimise --json``; it goes to the null device instead."""
    import os
    import sys

    import highspy

    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no standard output at all: nothing to spoil
        saved = -1
    try:
        if saved >= 0:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.close(null)
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        if saved >= 0:
            os.dup2(saved, 1)
            os.close(saved)
    highs.silent()
    return highs


class _Relaxation:
    """The LP relaxation of the whole program (every yes/no variable between 0 and 1) in
    HiGHS, kept between solves: cuts added to it are solved again from the last basis
    (dual simplex, warm), a few seconds where the first solve takes a minute at 10,000
    firms. Its bound is worked out from the row duals HiGHS returns (``dual_bound``), so
    it holds whatever HiGHS's tolerances or a time limit left them at."""

    def __init__(self, prog: _Program, rows: Bools) -> None:
        import highspy
        from scipy.sparse import csc_array

        self.prog = prog
        self.a: Sparse = prog.a[rows]
        self.lo, self.hi = prog.row_lb[rows], prog.row_ub[rows]
        self.rows = rows
        self.pay = prog.pay_rows[rows] if len(prog.pay_rows) else np.zeros(len(self.lo), bool)
        self.group = prog.group_rows[rows] if len(prog.group_rows) else \
            np.zeros(len(self.lo), bool)
        self.block = prog.row_block[rows] if len(prog.row_block) else \
            np.zeros(len(self.lo), np.int64)
        self.party = prog.budget_rows[rows] if len(prog.budget_rows) else \
            np.zeros(len(self.lo), np.int64)
        self.lagrangian = _Lagrangian(prog)
        inf = highspy.kHighsInf
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.a.shape[1], self.a.shape[0]
        lp.col_cost_, lp.col_lower_, lp.col_upper_ = prog.c, prog.lb, prog.ub
        lp.row_lower_ = np.where(np.isfinite(self.lo), self.lo, -inf)
        lp.row_upper_ = np.where(np.isfinite(self.hi), self.hi, inf)
        by_col = csc_array(self.a)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = self.a.shape[1], self.a.shape[0]
        lp.a_matrix_.start_ = by_col.indptr.astype(np.int32)
        lp.a_matrix_.index_ = by_col.indices.astype(np.int32)
        lp.a_matrix_.value_ = by_col.data.astype(float)
        self.highs = _quiet_highs()
        self.highs.passModel(lp)
        self.optimal = highspy.HighsModelStatus.kOptimal

    def add(self, rows: Sparse, lo: Floats, hi: Floats, pay: bool = False) -> None:
        """More rows (cuts) ``lo <= rows @ v <= hi`` (``pay``: on how a capped firm is paid,
        as the cap's cuts)."""
        import highspy
        from scipy.sparse import csr_array, vstack

        rows = csr_array(rows)
        inf = highspy.kHighsInf
        self.highs.addRows(rows.shape[0], np.where(np.isfinite(lo), lo, -inf),
                           np.where(np.isfinite(hi), hi, inf), rows.nnz,
                           rows.indptr[:-1].astype(np.int32), rows.indices.astype(np.int32),
                           rows.data.astype(float))
        self.a = vstack([self.a, rows], format="csr")
        self.lo, self.hi = np.r_[self.lo, lo], np.r_[self.hi, hi]
        self.pay = np.r_[self.pay, np.full(rows.shape[0], pay)]
        self.group = np.r_[self.group, np.zeros(rows.shape[0], bool)]
        self.block = np.r_[self.block, np.full(rows.shape[0], -1)]  # cuts: a block of their own
        self.party = np.r_[self.party, np.zeros(rows.shape[0], np.int64)]

    def solve(self, seconds: float) -> _Solve:
        """Solve within ``seconds``: the solution when optimal, the bound (of the minimised
        c) from the duals HiGHS has, optimal or not."""
        # HiGHS's time limit is on its run time summed over every run of this model
        self.highs.setOptionValue("time_limit", self.highs.getRunTime() + max(0.01, seconds))
        self.highs.run()
        status = self.highs.getModelStatus()
        optimal = status == self.optimal
        solution = self.highs.getSolution()
        bound = lagrange = y = None
        if solution.dual_valid:
            y = np.asarray(solution.row_dual, float)
            bound = self.dual_bound(y)
            # the multipliers as they are, and with those of the rows the Lagrangian bound
            # keeps exact (one start per project) at 0: tighter at 10,000 firms
            found = [b for b in (self.value(y), self.value(np.where(self.group, 0.0, y)))
                     if b is not None]
            lagrange = max(found) if found else None
        x = np.asarray(solution.col_value, float) if optimal else None
        value = float(self.prog.c @ x) if x is not None else math.inf
        return _Solve(x, value, bound, "optimal" if optimal else
                      self.highs.modelStatusToString(status).lower(), lagrange, y)

    def value(self, y: Floats) -> float | None:
        """The Lagrangian bound (of the minimised c) of the multipliers ``y`` on the rows
        (``_Lagrangian.bound``); None where a variable it needs is unbounded."""
        return self.lagrangian.bound(self.a, self.lo, self.hi, self.pay, y)

    def search(self, y: Floats, deadline: float) -> float | None:
        """The best Lagrangian bound (of the minimised c) of multipliers near ``y`` (an
        LP's, or 0 on every row) found by ``deadline``: any multipliers give a bound
        (docs/method.md, “Optimiser”), so the search only chooses which to report. The
        bound is concave along any line of multipliers; searched, in this order, with
        each step kept only where it raises the bound: those of the rows kept exact (one
        start per project) at 0; the government budget's by golden sections, from 0 to
        three times the LP's (to twice the most any item brings per yuan of that budget,
        without one); each other block of rows' (``_Program.row_block``: the SMEs' cost
        caps, the core's part of capped payments, …) at 0, then each two blocks built one
        after the other together; the government's again, then the core's (a budget whose
        multiplier is 0, one the LP leaves slack, is left at 0 unless searching from 0).
        At 10,000 firms and S + 5 % budgets the LP's multipliers give 19.30 million; the
        search 18.81 (the government's 141 → 204 yuan a yuan, the core's part of capped
        payments at 0)."""
        y = np.asarray(y, float)
        from_zero = not np.any(y)
        first = self.value(y)
        if first is None:
            return None
        best_y, best = y, first
        golden = (math.sqrt(5) - 1) / 2

        def keep(trial: Floats) -> bool:
            nonlocal best, best_y
            found = self.value(trial)
            if found is not None and found > best:
                best, best_y = found, trial
                return True
            return False

        def line(direction: Callable[[float], Floats], lo: float, hi: float) -> None:
            """Golden sections of the bound of ``direction(s)`` for s in [lo, hi]."""
            def at(s: float) -> float:
                trial = direction(s)
                found = self.value(trial)
                if found is None:
                    return -math.inf
                keep(trial)
                return found

            left, right = hi - golden * (hi - lo), lo + golden * (hi - lo)
            f_left, f_right = at(left), at(right)
            tol = 1e-2 * (hi - lo)
            while hi - lo > tol and time.perf_counter() < deadline:
                if f_left >= f_right:
                    hi, right, f_right = right, left, f_left
                    left = hi - golden * (hi - lo)
                    f_left = at(left)
                else:
                    lo, left, f_left = left, right, f_right
                    right = lo + golden * (hi - lo)
                    f_right = at(right)

        keep(np.where(self.group, 0.0, best_y))
        c = -self.prog.c[:self.prog.n_items]
        spend = {1: np.clip(self.prog.item_core, 0, None).sum(axis=1),
                 2: np.clip(self.prog.item_gov, 0, None).sum(axis=1)}
        blocks = np.unique(self.block[~self.pay & ~self.group & (self.party == 0)])
        for step in (2, "blocks", 2, 1):
            if time.perf_counter() > deadline:
                break
            if step == "blocks":
                # each block's multipliers at 0, kept where that helps; then each two
                # blocks built one after the other (the two sides of a limit, as the
                # core's least and most part of capped payments) at 0 together
                sets = [[j] for j in blocks.tolist()] + \
                    [[i, j] for i, j in zip(blocks[:-1].tolist(), blocks[1:].tolist(),
                                            strict=True)]
                for chosen in sets:
                    rows = np.isin(self.block, chosen)
                    if time.perf_counter() > deadline:
                        break
                    if np.any(best_y[rows] != 0):
                        keep(np.where(rows, 0.0, best_y))
                continue
            rows = self.party == step
            pays = spend[int(step)] > 0
            if not np.any(rows) or not np.any(pays):
                continue
            now = float(-best_y[rows].min())  # each budget's rows weighed alike (-λ)
            if now <= 0 and not from_zero:
                continue  # a budget the LP leaves slack stays at 0
            most = 3.0 * now if now > 0 else \
                2.0 * float(np.max(np.clip(c[pays], 0, None) / spend[int(step)][pays]))
            if most <= 0:
                continue
            line(partial(_set, best_y, rows), 0.0, most)
        return best

    def budget_bound(self, deadline: float) -> float | None:
        """The best Lagrangian bound (of the minimised c) with multipliers on the budgets
        only, -λ_core and -λ_government on each party's rows, every other row weighed by 0
        (a bound without the LP's multipliers, as any multipliers give one): ``search``
        from 0 on every row, until ``deadline``."""
        return self.search(np.zeros(len(self.lo)), deadline)

    def dual_bound(self, y: Floats) -> float | None:
        """A lower bound of min c·v over ``lo <= a v <= hi``, ``lb <= v <= ub`` from any row
        multipliers ``y`` (docs/method.md, “Optimiser”): for every such v,
        c·v = (c − aᵀy)·v + y·(a v) >= Σ_j min over [lb_j, ub_j] of (c − aᵀy)_j·v_j
        + Σ_i (y_i·lo_i if y_i > 0 else y_i·hi_i). Multipliers on a side without a limit
        are taken as 0 (then the inequality still holds). None if a needed variable bound
        is infinite."""
        prog = self.prog
        y, rows = _signed(y, self.lo, self.hi)
        d = prog.c - self.a.T @ y
        ends = np.where(d > 0, prog.lb, prog.ub)
        if not np.all(np.isfinite(ends[d != 0])):
            return None
        return rows + float(np.sum(np.where(d != 0, d * ends, 0.0)))


def _set(y: Floats, rows: Bools, lam: float) -> Floats:
    """The multipliers ``y`` with those of ``rows`` (a budget's, upper limits) at -λ."""
    set_: Floats = np.where(rows, -lam, y)
    return set_


def _signed(y: Floats, lo: Floats, hi: Floats) -> tuple[Floats, float]:
    """The multipliers ``y`` with those on a side without a limit set to 0, and what the
    rows add to a bound: Σ_i (y_i·lo_i if y_i > 0, else y_i·hi_i)."""
    y = np.where(((y > 0) & ~np.isfinite(lo)) | ((y < 0) & ~np.isfinite(hi)), 0.0, y)
    return y, float(np.sum(np.where(y > 0, y * np.where(y > 0, lo, 0.0),
                                    y * np.where(y < 0, hi, 0.0))))


class _Lagrangian:
    """A lower bound of the minimised program from any row multipliers ``y``, at least as
    tight as ``_Relaxation.dual_bound`` of the same ``y`` (docs/method.md, “Optimiser”):
    the rows are weighed by ``y`` as there, but the rest is minimised over yes/no items
    with at most one start per (firm or park, project) instead of over the box, and, for a
    firm whose subsidy the cap limits (no level gate), with its payment G(t) = min(cap,
    Q(t)) exact, Q(t) its items' claims by year t, instead of through the rows on P, z, G
    and w (whose multipliers are then left out: any multipliers give a bound).

    Every plan of the program has G(t) = min(cap, Q(t)): with w yes/no, G <= P, G >= cap·w,
    G >= P − most·w and G <= cap leave G = P <= cap (w = 0) or G = cap <= P (w = 1), and
    without a gate P = Q. The payment is capped from the first year τ its claims reach the
    cap on, so a plan's cost is that of the case τ, Σ_{t<τ} g_t·Q(t) + Σ_{t>=τ} g_t·cap with
    g the multiplied cost of G; the least over τ = 0..H of each case's least cost (each is
    linear in the items: per group the cheapest item or none) is at most the least cost of
    any plan of the firm. The firms (and every other variable) are apart once the rows are
    weighed, so the sum of their least costs bounds the program."""

    def __init__(self, prog: _Program) -> None:
        self.prog = prog
        k_items = prog.n_items
        self.fixed = prog.lb[:k_items] >= prog.ub[:k_items]  # S's own rows (1), misfits (0)
        free = np.flatnonzero(~self.fixed)
        n_p = int(prog.item_p.max()) + 1 if k_items else 1
        owner = np.where(prog.item_k >= 0, int(prog.item_e.max()) + 1 + prog.item_k,
                         prog.item_e)
        key = owner[free] * n_p + prog.item_p[free]
        order = np.argsort(key, kind="stable")
        self.free = free[order]  # by (owner, project): at most one of each group
        self.starts = np.flatnonzero(np.r_[True, key[order][1:] != key[order][:-1]]) \
            if len(free) else np.zeros(0, np.int64)
        self.exact = len(prog.cap_items) > 0 and len(prog.cap_cum) == len(prog.cap_items)
        self.g_cols = np.zeros((0, 0), np.int64)
        if self.exact:
            horizon = prog.cap_cum.shape[1]
            self.g_cols = prog.cap_g[:, None] - (horizon - 1) + np.arange(horizon)[None, :]
            item_firm = np.full(k_items, -1, np.int64)
            item_firm[prog.cap_items] = prog.cap_firm
            self.item_firm = item_firm
            self.group_firm = np.maximum.reduceat(item_firm[self.free], self.starts) \
                if len(self.free) else np.zeros(0, np.int64)

    def bound(self, a: Sparse, lo: Floats, hi: Floats, pay: Bools, y: Floats) -> float | None:
        """The bound of multipliers ``y`` on the rows ``lo <= a v <= hi`` (``pay``: the rows
        on how a special firm is paid); None if a variable it needs is unbounded."""
        prog = self.prog
        k_items = prog.n_items
        if self.exact:
            y = np.where(pay, 0.0, y)
        y, total = _signed(y, lo, hi)
        d = prog.c - a.T @ y
        rest = np.ones(len(d), bool)
        rest[:k_items] = False
        rest[self.g_cols.ravel()] = False
        ends = np.where(d > 0, prog.lb, prog.ub)
        if not np.all(np.isfinite(ends[rest & (d != 0)])):
            return None
        total += float(np.sum(np.where(rest & (d != 0), d * ends, 0.0)))
        dx = d[:k_items]
        fixed = np.flatnonzero(self.fixed)

        def least(cost: Floats) -> tuple[Floats, Floats]:
            """Per fixed item its cost, per group its cheapest item or none (0)."""
            groups = np.minimum.reduceat(cost[self.free], self.starts) if len(self.free) \
                else np.zeros(0)
            return cost[fixed] * prog.lb[fixed], np.minimum(groups, 0.0)

        fixed_cost, group_cost = least(dx)
        if not self.exact:
            return total + float(fixed_cost.sum()) + float(group_cost.sum())
        # what does not depend on τ: items and groups of no capped firm
        sp_fixed = self.item_firm[fixed] >= 0
        sp_group = self.group_firm >= 0
        total += float(fixed_cost[~sp_fixed].sum()) + float(group_cost[~sp_group].sum())
        g = d[self.g_cols]  # (capped firms x years)
        m, horizon = g.shape
        cases = np.empty((horizon + 1, m))
        for tau in range(horizon + 1):  # the claims capped from year τ on
            cost = dx.copy()
            cost[prog.cap_items] += (prog.cap_cum[:, :tau]
                                     * g[prog.cap_firm, :tau]).sum(axis=1)
            fixed_cost, group_cost = least(cost)
            cases[tau] = prog.cap * g[:, tau:].sum(axis=1) \
                + np.bincount(self.item_firm[fixed][sp_fixed], weights=fixed_cost[sp_fixed],
                              minlength=m) \
                + np.bincount(self.group_firm[sp_group], weights=group_cost[sp_group],
                              minlength=m)
        return total + float(cases.min(axis=0).sum())


# --- the public entry points -------------------------------------------------------------

def _new_name(model: ChainModel, name: str) -> str:
    taken = {s.name for s in model.scenarios}
    candidate = f"{name} (optimised)"
    number = 2
    while candidate in taken:
        candidate = f"{name} (optimised) {number}"
        number += 1
    return candidate


def _with_plan(model: ChainModel, scenario: Scenario, rows: list[Assignment],
               park_rows: list[ParkAssignment]) -> ChainModel:
    """A shallow copy of ``model`` with one more scenario and its rows (for evaluation)."""
    return replace(model, scenarios=[*model.scenarios, scenario],
                   assignments=[*model.assignments, *rows],
                   park_assignments=[*model.park_assignments, *park_rows])


def apply(model: ChainModel, result: OptimiseResult) -> ChainModel:
    """A new model (deep copy) with the optimised scenario and its assignments added; when
    the result adds nothing (infeasible, nothing to add, cancelled), the model unchanged."""
    new = copy.deepcopy(model)
    if result.changed:
        new.scenarios.append(copy.deepcopy(result.scenario))
        new.assignments.extend(copy.deepcopy(result.assignments))
        new.park_assignments.extend(copy.deepcopy(result.park_assignments))
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
             cancel: Callable[[], bool] | None = None, mip_rel_gap: float = 1e-6,
             park_government_share: float = 0.5, park_core_share: float = 0.0
             ) -> OptimiseResult:
    """Add the best assignments (and park projects on parks) to ``scenario`` within the
    budgets.

    ``core_budget`` and ``government_budget`` bound the whole new scenario's spending, over
    the horizon or, with ``per_year``, in each year (None or infinite: no limit). New
    enterprise assignments get ``core_share``; new park assignments
    ``park_government_share`` and ``park_core_share`` (the park operator pays the rest, with
    no budget). The result's ``objective`` is the engine's NPV of the new scenario. See the
    module docstring for the model, its relaxations and what the bound is a bound of. When S
    alone breaks a budget the result is "infeasible" and names each broken budget
    (``over``); then, and whenever nothing is added, ``changed`` is False.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {OBJECTIVES}")
    if not (0 <= park_government_share <= 1 and 0 <= park_core_share <= 1
            and park_government_share + park_core_share <= 1 + 1e-12):
        raise ValueError("the park government and core shares must each be between 0 and 1 "
                         "and add up to at most 1")
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
    park_originals = [replace(b, scenario=new_scenario.name, extra=dict(b.extra))
                      for b in model.park_assignments if b.scenario == scenario]
    arrays = ChainArrays.of(model)
    report(0.0)
    base = evaluate_scenario(arrays, base_scenario)
    expected = objective == "expected-npv"
    base_value = expected_npv(model, scenario) if expected else base.npv
    n = len(arrays.ids)
    base_own = sme_own_costs(base, n)
    sme_limit = np.maximum(sme_cost_cap * arrays.revenue[:, None] + np.zeros_like(base_own),
                           base_own)
    over = _budget_limits(base.party_cost, budgets, base.years, per_year)
    held = _held(arrays, base, base_own, sme_cost_cap)

    def evaluated(plan: _Plan) -> ScenarioResult:
        return evaluate_scenario(replace(arrays, model=_with_plan(model, new_scenario, *plan)),
                                 new_scenario)

    def finish(plan: _Plan, status: str, exact: bool, bound: float | None,
               message: str = "", additions: list[Addition] | None = None,
               counts: tuple[int, int, int] = (0, 0, 0), planned: ScenarioResult | None = None,
               worth: float | None = None, bound_kind: str = SOLVER) -> OptimiseResult:
        if planned is None:
            planned = evaluated(plan)
        value = planned.npv
        if expected:
            value = base_value if planned is base else worth if worth is not None else \
                expected_npv(_with_plan(model, new_scenario, *plan), new_scenario.name)
        top = bound
        if top is not None and top < value - 1e-6 * max(1.0, abs(value)):
            # a plan beats it: it is no bound (never hide that as a zero gap)
            message = (message + "; " if message else "") + \
                f"the {bound_kind} bound {top:.6g} is below the plan's value: gap unknown"
            top = None
        if top is not None:
            top = max(top, value)  # rounding only: the check above passed
        gap = None if top is None else 0.0 if top == value else \
            (top - value) / max(abs(value), 1e-9)
        share = planned.connected_share[-1] if len(planned.years) else math.nan
        report(1.0)
        return OptimiseResult(
            scenario=new_scenario, assignments=plan[0], park_assignments=plan[1],
            objective=value, bound=top, gap=gap,
            status=status, exact=exact, seconds=time.perf_counter() - began,
            additions=additions or [], base_objective=base_value,
            coverage=None if math.isnan(share) else float(share),
            core_spend=float(planned.party_cost["core"].sum()),
            government_spend=float(planned.party_cost["government"].sum()), message=message,
            candidates=counts[0], variables=counts[1], constraints=counts[2], base=scenario,
            over=over, held=held, bound_kind=bound_kind if top is not None else "",
            binding=_binding(planned, budgets, per_year) if additions else [],
            kind=objective)

    unchanged: _Plan = (originals, park_originals)
    if over:
        return finish(unchanged, "infeasible", False, None,
                      f"{scenario} alone already spends more than a budget allows", planned=base)
    if cancelled():
        return finish(unchanged, "cancelled", False, None, "cancelled before the solve",
                      planned=base)
    prog = _build(arrays, base_scenario, budgets["core"], budgets["government"], per_year,
                  core_share, (park_government_share, park_core_share), sme_limit, base,
                  expected=expected)
    counts = (int((~prog.item_fixed).sum()), len(prog.c), int(prog.a.shape[0]))
    report(0.2)
    if counts[0] == 0:
        return finish(unchanged, "no candidates", True, base_value,
                      "no candidate passes the rules", counts=counts, planned=base)
    if cancelled():
        return finish(unchanged, "cancelled", False, None, "cancelled before the solve",
                      counts=counts, planned=base)

    # the yes/no variables of the level gate and the subsidy cap that are not fixed
    relaxed = bool(np.any(prog.lb[prog.relax] < prog.ub[prog.relax]))
    parks = model.park_ids()

    def chosen(x: Floats) -> list[tuple[int, int, int]]:
        """The additions as (start year, 0 firm / 1 park, item), earliest first."""
        picked = np.flatnonzero((x[:prog.n_items] > 0.5) & ~prog.item_fixed)
        keys = [(int(prog.item_s[k]), int(prog.item_k[k] >= 0),
                 arrays.ids[prog.item_e[k]] if prog.item_k[k] < 0 else parks[prog.item_k[k]],
                 model.projects[prog.item_p[k]].id, int(k)) for k in picked]
        return [(s, kind, k) for s, kind, _, _, k in sorted(keys)]

    def plan_of(items: list[tuple[int, int, int]]) -> _Plan:
        rows = list(originals)
        park_rows = list(park_originals)
        for s, kind, k in items:
            project = model.projects[prog.item_p[k]].id
            if kind:
                park_rows.append(ParkAssignment(
                    scenario=new_scenario.name, park=parks[prog.item_k[k]], project=project,
                    start_year=s, government_share=park_government_share,
                    core_share=park_core_share))
            else:
                rows.append(Assignment(scenario=new_scenario.name,
                                       enterprise=arrays.ids[prog.item_e[k]], project=project,
                                       start_year=s, core_share=core_share))
        return rows, park_rows

    def listed(picked: Ints) -> list[tuple[int, int, int]]:
        x = np.zeros(prog.n_items)
        x[picked] = 1.0
        return chosen(x)

    def problems_of(plan: _Plan) -> list[str]:
        return check_plan(_with_plan(model, new_scenario, *plan), new_scenario.name,
                          budgets["core"], budgets["government"], per_year, sme_cost_cap,
                          baseline=scenario)

    def solve(c: Floats, extra: tuple[Floats, float] | None, limit: float) -> tuple[_Solve, str]:
        """The gate's and the cap's yes/no variables relaxed first; the plan stands if the
        engine finds it within every limit, else they are solved yes/no."""
        t0 = time.perf_counter()
        first = _solve(prog, c, extra, limit, mip_rel_gap, relax=relaxed)
        if first.x is None or not relaxed or not problems_of(plan_of(chosen(first.x))):
            return first, "level gate and subsidy cap relaxed, plan checked by the engine" \
                if relaxed else ""
        left = max(0.01, limit - (time.perf_counter() - t0))
        whole = _solve(prog, c, extra, left, mip_rel_gap)
        # both are valid lower bounds (the first of a relaxation)
        whole.bound = max((b for b in (whole.bound, first.bound) if b is not None),
                          default=None)
        return whole, ("level gate and subsidy cap solved with yes/no variables (the core's "
                       "part of capped subsidies within bounds)" if prog.mixed else
                       "level gate and ordered subsidy cap solved exactly")

    extra = None
    message = ""
    stage_status = "optimal"
    remaining = time_limit - (time.perf_counter() - began)
    if objective == "coverage":
        first, how = solve(prog.coverage_c, None, remaining / 2)
        report(0.5)
        if first.x is None:
            return finish(unchanged, first.status, False, None,
                          "coverage stage: " + first.status, counts=counts, planned=base)
        best = round(-float(prog.coverage_c @ first.x))
        extra = (prog.coverage_c, -best + 0.5)  # hold at least that many connected firms
        stage_status = first.status
        message = f"coverage stage {first.status}: {best + prog.coverage_constant:.0f} firms " \
                  "connected in the last year; "
        remaining = max(1.0, time_limit - (time.perf_counter() - began))
        if cancelled():
            return finish(unchanged, "cancelled", False, None, "cancelled between the solves",
                          counts=counts, planned=base)
    deadline = began + time_limit
    heuristic = _Heuristic(prog, arrays, base_scenario, base, budgets, per_year, sme_limit)
    # bounds no plan can beat, with what they are; the reported one is the least
    bounds: list[tuple[float, str]] = [
        (_loose_bound(prog, arrays, base_scenario, base, base_value), LOOSE)]
    solved: _Solve | None = None
    plain: _Greedy | None = None  # the heuristic's plans (large problems, or no MILP plan)
    greedy: _Greedy | None = None
    items: list[tuple[int, int, int]] = []
    source = "solver"
    if objective == "coverage" or len(prog.c) <= SMALL:
        # the whole program, every plan in it: HiGHS's plan and its dual bound
        solved, how = solve(prog.c, extra, max(0.01, deadline - time.perf_counter()
                                               - min(_reserve(n), time_limit / 4)))
        if how:
            message += how + "; "
        if solved.bound is not None and objective != "coverage":
            bounds.append((-solved.bound, SOLVER))
        elif solved.bound is not None:  # NPV with the coverage held: a bound of that stage
            bounds = [(-solved.bound, SOLVER)]
        if solved.x is not None:
            items = chosen(solved.x)
        else:
            source = "heuristic"
            message += f"the solver found no plan ({solved.status}); "
    else:
        # too big for HiGHS to find a plan in time: the LP relaxation of the whole program
        # (a bound) guides the heuristic
        source = "lp-heuristic"
        # the plain heuristic first: a plan whatever the LP does with the time
        plain = heuristic.run(heuristic.ratio_order(), deadline)
        # the LP without the cap's set cuts (they take long, and the cuts of the rounds
        # below, on the order the LP's solution gives, hold them): its bound, the
        # Lagrangian bound of its multipliers, and its solution to guide the heuristic;
        # then, with the plan made, rounds of the cap's cuts that the LP's solution breaks
        # while they lower the bound and time is left. Every solve's bounds (from its
        # multipliers, a solve stopped by the time limit too) hold
        solved = _Solve(None, math.inf, None, "time limit")
        relaxation = _Relaxation(prog, ~prog.cut_rows)
        keep = min(_reserve(n), time_limit / 4)  # for the plan, the checks and the what-ifs
        # for the search of multipliers near the LP's (``_Relaxation.search``)
        hunt = min(HUNT * time_limit, _reserve(n))
        rounds, added, last = 0, 0, -math.inf
        retried = stopped = False
        again = 0.0  # kept for the heuristic again, guided by the last round's solution
        duals: tuple[float, Floats] | None = None  # the best Lagrangian bound's multipliers
        hunting = True  # the search's time is kept from the rounds (below)
        while not cancelled():
            # (the first solve may take the search's time too: without its multipliers
            # there is nothing to search from)
            left = deadline - time.perf_counter() - keep - again - \
                (hunt if duals and hunting else 0.0)
            if left < 1.0 and (rounds > 0 or solved.x is not None):
                break
            lp = relaxation.solve(left)
            if lp.bound is not None:
                bounds.append((-lp.bound, LP))
            if lp.lagrange is not None:
                bounds.append((-lp.lagrange, LAGRANGE))
                if lp.duals is not None and (duals is None or lp.lagrange > duals[0]):
                    duals = (lp.lagrange, lp.duals)
            if lp.x is None:
                message += f"LP relaxation{' round ' + str(rounds) if rounds else ''} " \
                           f"not solved ({lp.status}" + \
                           ("; its bounds from the multipliers kept" if lp.bound is not None
                            else "") + "); "
                stopped = "time limit" in lp.status
                if retried or stopped:
                    break
                retried = True  # HiGHS gave up short of the time limit: once more
                continue
            if greedy is None:
                # the plan from the first LP's solution before the rounds take the time;
                # as long again is kept to run it from the last round's solution (better at
                # 2,000 firms and S + 5 %: 3.50 million from the seventh LP's, 3.46 from
                # the first's; worse at S + 25 %: 3.96 from the third's, 4.05)
                began_greedy = time.perf_counter()
                greedy = _best_greedy(heuristic, lp.x, max(deadline - keep,
                                                           time.perf_counter() + 1.0), plain)
                again = 1.2 * (time.perf_counter() - began_greedy)
                if duals is not None and objective == "npv":
                    # where the first LP's Lagrangian bound is within HUNT_GAP of the plan,
                    # the rounds keep the search's time (their later solutions guide the
                    # plan better: 10,000 firms, S + 25 %, load 3: 5 rounds, 0.62 %, where
                    # with the time kept 2 rounds and 1.32 %); the search gets what is
                    # left after them
                    hunting = -duals[0] - greedy.planned.npv > \
                        HUNT_GAP * abs(greedy.planned.npv)
                if cancelled():
                    break
            solved = lp
            gain = lp.objective - last  # cuts raise the minimum (lower the NPV bound)
            last = lp.objective
            rounds += 1
            if gain <= 1e-4 * abs(lp.objective):
                break
            cuts = _cap_cuts(prog, lp.x)
            if cuts is None:
                break
            relaxation.add(cuts, np.zeros(cuts.shape[0]), np.full(cuts.shape[0], np.inf),
                           pay=True)
            added += cuts.shape[0]
            # solved again warm from the last basis: dual simplex, whose multipliers stay
            # dual feasible when the time limit stops it, so its bounds still improve on the
            # last round's (from the start, HiGHS stopped in its presolve gives none); devex
            # pricing starts at once where steepest edge first works out a weight per row
            relaxation.highs.setOptionValue("simplex_dual_edge_weight_strategy", 1)
        if rounds:
            message += f"LP relaxation solved ({rounds} rounds, {added:,} cuts); "
        if greedy is not None and rounds > 1 and solved.x is not None and not cancelled() \
                and time.perf_counter() < deadline - keep:
            # the last round's solution guides the heuristic too, the better plan kept
            greedy = _best_greedy(heuristic, solved.x, max(deadline - keep,
                                                           time.perf_counter() + 1.0), greedy)
        elif stopped and not cancelled() and deadline - keep - hunt - time.perf_counter() > 1.0:
            # no newer solution: the time kept for it goes on the round the limit stopped
            lp = relaxation.solve(deadline - keep - hunt - time.perf_counter())
            for found, kind in ((lp.bound, LP), (lp.lagrange, LAGRANGE)):
                if found is not None:
                    bounds.append((-found, kind))
            if lp.lagrange is not None and lp.duals is not None and (
                    duals is None or lp.lagrange > duals[0]):
                duals = (lp.lagrange, lp.duals)
        if duals is not None and not cancelled():
            # multipliers near the best LP's: a tighter Lagrangian bound (the rows the cuts
            # added since weighed by 0)
            y = np.r_[duals[1], np.zeros(len(relaxation.lo) - len(duals[1]))]
            found = relaxation.search(y, max(min(deadline - keep / 2, time.perf_counter()
                                                 + hunt), time.perf_counter() + 0.5))
            if found is not None:
                bounds.append((-found, LAGRANGE))
                if found > duals[0] + 1e-9 * abs(duals[0]):
                    message += f"Lagrangian bound of searched multipliers {-found:,.0f} " \
                               f"(the LP's: {-duals[0]:,.0f}); "
        if not cancelled() and not any(kind in (LP, LAGRANGE) for _, kind in bounds):
            # no multipliers from the LP in time: the Lagrangian bound of the budgets' alone
            found = relaxation.budget_bound(min(deadline, time.perf_counter() + keep / 2))
            if found is not None:
                bounds.append((-found, LAGRANGE))
                message += "Lagrangian bound of the budgets' multipliers alone; "
        del relaxation  # HiGHS's copy of the program, freed before the plan's work
    report(0.9)
    if source != "solver":
        if greedy is None:  # no LP solution in time: the heuristic alone
            greedy = _best_greedy(heuristic, None, max(deadline, time.perf_counter() + 1.0),
                                  plain)
        kept = heuristic.moves
        if not cancelled():
            # the local search (exchanges under the budgets) with the time left but a part
            # of what is kept for the plan's checks (the what-ifs get what remains)
            # (not past 0.1 % of the bound: the what-ifs' time is worth more then)
            least = min(bounds)[0]
            greedy = heuristic.improve(greedy, deadline - 0.5 * min(_reserve(n),
                                                                    time_limit / 4),
                                       cancelled, least - 1e-3 * abs(least)
                                       if objective == "npv" else math.inf)
        picked = greedy.items
        message += f"heuristic: {len(greedy.items)} additions in {greedy.evaluations} engine " \
                   "evaluations" + ("" if greedy.complete else ", stopped by the time limit") \
            + f", {heuristic.moves - kept} exchange(s) kept by the local search; "
        items = listed(picked)
    bound, bound_kind = min(bounds)
    if cancelled():
        return finish(unchanged, "cancelled", False, None, "cancelled after the solve",
                      counts=counts, planned=base)
    if not items and source == "solver" and solved is not None:
        return finish(unchanged, solved.status, solved.status == "optimal", bound,
                      message + solved.status, counts=counts, planned=base,
                      bound_kind=bound_kind)
    milp_value = -solved.objective if solved is not None and source == "solver" else math.nan
    # the engine and the checker have the last word
    repaired = 0
    while items and problems_of(plan_of(items)):
        items = items[:-1]
        repaired += 1
    plan = plan_of(items)
    planned = evaluated(plan)
    # the objective of the plan as computed apart from the program
    worth = expected_npv(_with_plan(model, new_scenario, *plan), new_scenario.name) \
        if expected else planned.npv
    agree = abs(worth - milp_value) <= 1e-6 * max(1.0, abs(milp_value))
    assert solved is not None
    exact = source == "solver" and solved.status == "optimal" and stage_status == "optimal" \
        and agree and not repaired
    if repaired:
        message += f"{repaired} addition(s) dropped: the engine found them over a limit; "
    elif source == "solver" and not agree:
        message += f"the MILP valued the plan at {milp_value:.6g}; "
    if source == "heuristic":
        status = HEURISTIC
    elif source == "lp-heuristic":
        status = LP_HEURISTIC
    else:
        status = solved.status if stage_status == "optimal" else stage_status
    what = _WhatIf(arrays, new_scenario, planned, plan, budgets, per_year, sme_limit)
    # the what-ifs take ~20 ms an addition: those past the time limit are not worked out
    stop = max(deadline, time.perf_counter() + 1.0)
    own = {(kind, int(prog.item_e[k]) if not kind else int(prog.item_k[k]),
            int(prog.item_p[k]), s): float(prog.item_npv[k]) for s, kind, k in items}
    firm_names = {e.id: e.name for e in model.enterprises}
    park_names = {k.id: k.name for k in model.parks}
    project_names = {p.id: p.name for p in model.projects}
    park_pos = {k: i for i, k in enumerate(parks)}
    explained = [what.explain(a) if time.perf_counter() < stop else _unworked(
        a.enterprise, a.project, a.start_year, own[(0, arrays.index[a.enterprise],
                                                    arrays.project_index[a.project],
                                                    a.start_year)], firm_names, project_names)
        for a in plan[0][len(originals):]]
    explained += [what.explain_park(b) if time.perf_counter() < stop else _unworked(
        b.park, b.project, b.start_year, own[(1, park_pos[b.park],
                                              arrays.project_index[b.project],
                                              b.start_year)], park_names, project_names,
        park=True)
        for b in plan[1][len(park_originals):]]
    unworked = sum(x.why.kind == UNWORKED for x in explained)
    if unworked:
        message += f"{unworked:,} of {len(explained):,} additions not worked out (why, " \
                   "NPV with links) within the time limit; "
    return finish(plan, status, exact, bound, message.rstrip("; "), explained, counts, planned,
                  worth=worth, bound_kind=bound_kind)


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
                 base: ScenarioResult, base_value: float) -> float:
    """A bound no plan can beat, whatever the constraints: S's NPV (``base_value``; or its
    expected NPV), plus the best own (expected) NPV of every (enterprise or park, project)
    when positive, plus the benefit of every link the flags do not connect in every year
    (NPV and expected NPV add up per assignment and per link, a link's at most its
    benefit)."""
    free = ~prog.item_fixed
    owner = np.where(prog.item_k >= 0, len(arrays.ids) + prog.item_k, prog.item_e)
    pairs = owner[free].astype(np.int64) * (len(prog.c) + 1) + prog.item_p[free]
    npv = prog.item_npv[free]
    order = np.lexsort((-npv, pairs))
    first = np.r_[True, pairs[order][1:] != pairs[order][:-1]]
    best = npv[order][first]
    fresh = ~arrays.link_flag & ~(arrays.platform[arrays.link_u] & arrays.platform[arrays.link_v])
    links = scenario.link_benefit_rate * float(arrays.link_value[fresh].sum()) * \
        float(base.factor.sum())
    return float(base_value + np.clip(best, 0, None).sum() + links)


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
    or started in another year. The money is the engine's, on a model of the firm alone
    (with the core, which pays its share, and the firm's park with the plan's park
    projects, which lift its level and connect it); connection and link benefits follow
    planner.engine. Other firms' rows do not change, so neither do their figures, and every
    total is the plan's total plus this firm's change. Park additions are what-ifs of the
    whole plan with the engine."""

    def __init__(self, arrays: ChainArrays, scenario: Scenario, planned: ScenarioResult,
                 plan: _Plan, budgets: dict[str, float | None], per_year: bool,
                 sme_limit: Floats) -> None:
        self.arrays, self.scenario, self.planned = arrays, scenario, planned
        self.budgets, self.per_year, self.sme_limit = budgets, per_year, sme_limit
        self.plan = plan
        self.years = planned.years
        self.start, self.horizon = scenario.start_year, scenario.horizon
        self.project_ids = [p.id for p in arrays.model.projects]
        self.by_firm: dict[int, list[Row]] = {}
        for a in plan[0]:
            self.by_firm.setdefault(arrays.index[a.enterprise], []).append(
                (arrays.project_index[a.project], a.start_year, a.core_share))
        self.park_rows: dict[str, list[ParkAssignment]] = {}
        for b in plan[1]:
            self.park_rows.setdefault(b.park, []).append(b)
        u, v = arrays.link_u, arrays.link_v
        self.fresh = ~arrays.link_flag & ~(arrays.platform[u] & arrays.platform[v])
        ends = np.r_[u, v]  # the links at firm e: link_of[link_from[e]:link_from[e + 1]]
        order = np.argsort(ends, kind="stable")
        self.link_of = order % max(len(u), 1)
        self.link_from = np.searchsorted(ends[order], np.arange(len(arrays.ids) + 1))
        self._arrays: dict[int, ChainArrays] = {}

    def label(self, e: int) -> str:
        firm = self.arrays.model.enterprises[e]
        return f"{firm.id} {firm.name}".strip()

    def project_label(self, p: int) -> str:
        project = self.arrays.model.projects[p]
        return f"{project.id} {project.name}".strip()

    def park_live(self, e: int) -> list[tuple[int, int, int]]:
        """(project, live year, gain) of the plan's park projects on the firm's park."""
        arrays = self.arrays
        park = arrays.model.enterprises[e].park
        return [(arrays.project_index[b.project],
                 b.start_year + int(arrays.p_duration[arrays.project_index[b.project]]),
                 int(arrays.p_gain[arrays.project_index[b.project]]))
                for b in self.park_rows.get(park, [])] if park else []

    def firm(self, e: int, rows: list[Row]) -> _Firm:
        arrays = self.arrays
        model = arrays.model
        firm = model.enterprises[e]
        core = model.enterprises[arrays.core] if 0 <= arrays.core != e else None
        name = self.scenario.name
        alone = replace(
            model, enterprises=[firm] if core is None else [core, firm], links=[],
            assignments=[Assignment(scenario=name, enterprise=firm.id,
                                    project=self.project_ids[p], start_year=s, core_share=c)
                         for p, s, c in rows],
            park_assignments=list(self.park_rows.get(firm.park, [])) if firm.park else [],
            assessments=[], scenarios=[self.scenario])
        # the firm's arrays do not depend on its rows: built once per firm
        if e not in self._arrays:
            self._arrays[e] = ChainArrays.of(alone)
        result = evaluate_scenario(replace(self._arrays[e], model=alone), self.scenario,
                                   detail=False)
        me = len(alone.enterprises) - 1
        connected: Bools = result.connected[me]
        # the links at this firm: on when both ends are connected, the other end as planned
        mine = np.unique(self.link_of[self.link_from[e]:self.link_from[e + 1]])
        other = np.where(arrays.link_u[mine] == e, arrays.link_v[mine], arrays.link_u[mine])
        other_on = np.where((other == e)[:, None], connected[None, :],
                            self.planned.connected[other])
        on = self.fresh[mine][:, None] & connected[None, :] & other_on
        factor = self.planned.factor
        return _Firm(core=result.party_cost["core"], government=result.party_cost["government"],
                     own=result.firm_cost[me], value=result.npv,
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
            for t in np.flatnonzero(then.own > limit + _TOL * np.maximum(1.0, np.abs(limit))):
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

        shared = self.park_live(e)  # the park's projects count for each member

        def level_at(year: int) -> int:
            gains = sum(int(arrays.p_gain[q]) for q, start, _ in others
                        if start + int(arrays.p_duration[q]) <= year)
            gains += sum(g for _, live, g in shared if live <= year)
            return min(4, int(arrays.maturity[e]) + gains)

        def required_at(year: int) -> bool:
            return required < 0 or any(
                q == required and start + int(arrays.p_duration[q]) <= year
                for q, start, _ in others) or any(q == required and live <= year
                                                  for q, live, _ in shared)

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
            lifted += tuple(self.project_label(q) for q, live, g in shared
                            if live == s and g > 0)
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

    def explain_park(self, addition: ParkAssignment) -> Addition:
        """A park addition: what the plan loses without it, and why it starts in its year,
        from what-ifs of the whole plan (there are few parks)."""
        arrays = self.arrays
        model = arrays.model
        p = arrays.project_index[addition.project]
        s = addition.start_year
        rows, park_rows = self.plan
        k = park_rows.index(addition)
        tolerance = 1e-9 * max(1.0, abs(self.planned.npv))

        def moved(year: int | None) -> ScenarioResult:
            others = park_rows[:k] + park_rows[k + 1:]
            if year is not None:
                others.insert(k, replace(addition, start_year=year))
            return evaluate_scenario(
                replace(arrays, model=replace(
                    model, scenarios=[*model.scenarios, self.scenario],
                    assignments=[*model.assignments, *rows],
                    park_assignments=[*model.park_assignments, *others])), self.scenario)

        without = moved(None)
        npv = self.planned.npv - without.npv
        duration = int(arrays.p_duration[p])
        offset = s - self.start
        trace = self.planned.park_trace
        own = 0.0
        for j in range(len(trace.rows)):
            if trace.park[j] == addition.park and int(trace.start[j]) == s and \
                    int(trace.live_year[j]) == s + duration:
                live = trace.live[j]
                spent = float(trace.capex[j]) * self.planned.factor[offset]
                own = float(((trace.benefit[j] - trace.opex[j]) * live) @ self.planned.factor
                            - spent)
                break
        touched = np.arange(self.horizon) >= offset + duration
        touched[offset] = True
        tight = [x for x in _binding(self.planned, self.budgets, self.per_year)
                 if x.year is not None and touched[x.year - self.start]]

        def broken(result: ScenarioResult) -> list[Limit]:
            found = _budget_limits(result.party_cost, self.budgets, self.years, self.per_year)
            own_cost = result.firm_cost
            over = own_cost > self.sme_limit + _TOL * np.maximum(1.0, np.abs(self.sme_limit))
            if arrays.core >= 0:
                over[arrays.core] = False
            for e, t in zip(*np.nonzero(over), strict=True):
                found.append(Limit("sme", int(self.years[t]), float(own_cost[e, t]),
                                   float(self.sme_limit[e, t]), self.label(int(e))))
            return found

        later = None
        if s + 1 + duration <= self.start + self.horizon - 1:
            loss = self.planned.npv - moved(s + 1).npv
            later = loss if loss > tolerance else None
        if s == self.start:
            why = Why(FIRST_YEAR, s, s, later=later)
        else:
            feasible: list[tuple[float, int]] = []
            nearest: list[Limit] = []
            for year in range(self.start, s):
                trial = moved(year)
                problems = broken(trial)
                if problems:
                    if year == s - 1:
                        nearest = problems
                else:
                    feasible.append((trial.npv - self.planned.npv, year))
            if not feasible:
                why = Why(LIMITED, s, self.start, limits=tuple(nearest))
            else:
                gain, year = max(feasible)
                why = Why(GAP, s, self.start, other=year, amount=gain) if gain > tolerance \
                    else Why(TIE, s, self.start, other=year) if gain >= -tolerance \
                    else Why(TIMING, s, self.start, other=year, amount=-gain)
        park = next((x for x in model.parks if x.id == addition.park), None)
        return Addition(addition.park, addition.project, s, npv, own, npv - own, tight, why,
                        park.name if park is not None else "", model.projects[p].name,
                        park=True)


# --- the heuristic: greedy by value per budget yuan, checked by the engine ----------------

@dataclass
class _Greedy:
    """A plan the heuristic found: the chosen candidate items and the engine's figures."""

    items: Ints  # positions of the chosen candidates among the program's items
    planned: ScenarioResult
    evaluations: int  # engine evaluations it took
    complete: bool  # False: the deadline stopped it before every candidate was tried


class _Heuristic:
    """Greedy additions in the order given (by default NPV gain per budget yuan), each batch
    of at most one new item per firm and per park, kept only where the engine finds every
    budget and cost cap met; the rules (one start per project, prerequisites, levels) are
    checked as in ``check_plan`` against what is live by then."""

    def __init__(self, prog: _Program, arrays: ChainArrays, scenario: Scenario,
                 base: ScenarioResult, budgets: dict[str, float | None], per_year: bool,
                 sme_limit: Floats) -> None:
        from planner.engine import assigned, park_assigned

        self.prog, self.arrays, self.scenario = prog, arrays, scenario
        self.budgets, self.per_year, self.sme_limit = budgets, per_year, sme_limit
        self.base = base
        self.base_picked = assigned(arrays, scenario.name)
        self.base_parks = park_assigned(arrays, scenario.name)
        model = arrays.model
        park_ids = model.park_ids()
        self.park_code = np.array([arrays.park_index[k] for k in park_ids], np.int64)
        _, self.park_of = _park_index(model)
        self.members = [np.flatnonzero(self.park_of == k) for k in range(len(park_ids))]
        self.n, self.n_p = len(arrays.ids), len(model.projects)
        self.start, self.horizon = scenario.start_year, scenario.horizon
        self.requires = np.array([arrays.project_index.get(p.requires, -1) if p.requires
                                  else -1 for p in model.projects], np.int64)
        self.min_level = np.array([p.min_maturity for p in model.projects], np.int64)
        self.candidates = np.flatnonzero(~prog.item_fixed & (prog.ub[:prog.n_items] > 0.5))
        self.evaluations = 0
        self.moves = 0  # exchanges the local search kept (``improve``)
        self.value = self._values()

    def _values(self) -> Floats:
        """Each item's own (expected) NPV plus an estimate of the link benefit it brings:
        links to firms always connected in full, other links half, in the years its firm
        is not connected yet."""
        prog, arrays, base = self.prog, self.arrays, self.base
        u, v = arrays.link_u, arrays.link_v
        fresh = ~arrays.link_flag & ~(arrays.platform[u] & arrays.platform[v])
        weight = self.scenario.link_benefit_rate * arrays.link_value * fresh
        share = np.where(arrays.platform[v], 1.0, 0.5) * weight
        to_u = np.bincount(u, weights=share, minlength=self.n)
        to_v = np.bincount(v, weights=np.where(arrays.platform[u], 1.0, 0.5) * weight,
                           minlength=self.n)
        per_firm = to_u + to_v
        lt = np.clip(prog.item_s + arrays.p_duration[prog.item_p] - self.start, 0, self.horizon)
        years = np.arange(self.horizon)
        e = np.maximum(prog.item_e, 0)
        open_years = (years[None, :] >= lt[:, None]) & ~base.connected[e]
        links = per_firm[e] * (open_years @ base.factor)
        ent = (prog.item_k < 0) & arrays.p_connects[prog.item_p] & ~arrays.platform[e]
        return prog.item_npv + np.where(ent, links, 0.0)

    def ratio_order(self) -> Ints:
        """Candidates worth something, by value per budget yuan (share of what is left of
        each budget), those spending no budget first."""
        prog = self.prog
        use = np.zeros(len(prog.item_npv))
        every = np.arange(len(prog.item_npv))
        room = self._room(self.base)  # claims past a firm's cap cost nothing
        for party, spend in (("core", prog.item_core), ("government", prog.item_gov)):
            limit = self.budgets[party]
            if limit is None:
                continue
            left = limit - float(self.base.party_cost[party].sum())
            total = np.clip(spend, 0, None).sum(axis=1)
            if party == "government" and room is not None:
                total = np.clip(self._use(every, party, room)[:, 0], 0, None)
            use += total / max(left, 1e-9)
        cand = self.candidates[self.value[self.candidates] > 0]
        score = self.value[cand] / np.maximum(use[cand], 1e-12)
        return cand[np.argsort(-score, kind="stable")]

    def evaluate(self, items: Ints) -> ScenarioResult:
        """The engine's figures of S plus ``items``."""
        from planner.engine import Assigned

        prog, b, k = self.prog, self.base_picked, self.base_parks
        ent = items[prog.item_k[items] < 0]
        park = items[prog.item_k[items] >= 0]
        picked = Assigned(
            rows=np.r_[b.rows, np.full(len(ent), -1)].astype(np.int64),
            who=np.r_[b.who, prog.item_e[ent]].astype(np.int64),
            project=np.r_[b.project, prog.item_p[ent]].astype(np.int64),
            start=np.r_[b.start, prog.item_s[ent]].astype(np.int64),
            core_share=np.r_[b.core_share, prog.item_share[ent]].astype(float),
            government_share=np.zeros(len(b.rows) + len(ent)))
        parks = Assigned(
            rows=np.r_[k.rows, np.full(len(park), -1)].astype(np.int64),
            who=np.r_[k.who, self.park_code[prog.item_k[park]]].astype(np.int64),
            project=np.r_[k.project, prog.item_p[park]].astype(np.int64),
            start=np.r_[k.start, prog.item_s[park]].astype(np.int64),
            core_share=np.r_[k.core_share, prog.item_share[park]].astype(float),
            government_share=np.r_[k.government_share,
                                   prog.item_gov_share[park]].astype(float))
        self.evaluations += 1
        return evaluate_scenario(self.arrays, self.scenario, picked=picked,
                                 park_picked=parks, detail=False)

    def over(self, planned: ScenarioResult) -> tuple[bool, Bools]:
        """Whether a budget is broken, and which firms pay more than their cap (as
        ``check_plan`` counts them)."""
        broken = False
        for party, limit in self.budgets.items():
            if limit is None:
                continue
            spend = planned.party_cost[party]
            amounts = spend if self.per_year else np.array([spend.sum()])
            broken |= bool(np.any(amounts > limit + _TOL * max(1.0, abs(limit))))
        own = planned.firm_cost
        firms: Bools = np.asarray((own > self.sme_limit + _TOL * np.maximum(
            1.0, np.abs(self.sme_limit))).any(axis=1))
        if self.arrays.core >= 0:
            firms[self.arrays.core] = False
        return broken, firms

    def rules_met(self, items: Ints) -> Bools:
        """Per item of ``items`` (added to S together): whether its prerequisite is live on
        its firm by its start year and its firm's level then reaches the project's minimum
        (S's rows and the others of ``items`` counted, park projects for their members),
        as ``check_plan`` and ``run`` count them."""
        prog, arrays, H = self.prog, self.arrays, self.horizon
        big = 1 << 30
        earliest = np.full((self.n, self.n_p), big, np.int64)
        gains = np.zeros((self.n, H + 1))
        b = self.base_picked
        np.minimum.at(earliest, (b.who, b.project), b.start + arrays.p_duration[b.project])
        every = np.r_[np.flatnonzero(prog.item_fixed), items].astype(np.int64)
        live = prog.item_s[every] + arrays.p_duration[prog.item_p[every]]
        for k, when in zip(every.tolist(), live.tolist(), strict=True):
            who = self.members[prog.item_k[k]] if prog.item_k[k] >= 0 else prog.item_e[k]
            p = prog.item_p[k]
            earliest[who, p] = np.minimum(earliest[who, p], when)
            off = when - self.start
            if arrays.p_gain[p] and off <= H:
                gains[who, max(off, 0):] += arrays.p_gain[p]
        e = np.maximum(prog.item_e[items], 0)
        s = prog.item_s[items]
        req = self.requires[prog.item_p[items]]
        level = np.minimum(4, arrays.maturity[e] + gains[e, np.clip(s - self.start, 0, H)])
        met: Bools = (prog.item_k[items] >= 0) | (
            ((req < 0) | (earliest[e, np.maximum(req, 0)] <= s))
            & (level >= self.min_level[prog.item_p[items]]))
        return met

    def run(self, order: Ints, deadline: float, start_items: Ints | None = None) -> _Greedy:
        prog, arrays, H = self.prog, self.arrays, self.horizon
        n, n_p = self.n, self.n_p
        big = 1 << 30
        # what is live on each firm (its park's projects count for it too): S's rows first
        earliest = np.full((n, n_p), big, np.int64)
        gains = np.zeros((n, H + 1))  # levels gained by each firm by start year (offset)
        taken = np.zeros((n + len(self.members)) * n_p, bool)
        owner = np.where(prog.item_k >= 0, n + prog.item_k, prog.item_e)
        pair = owner * n_p + prog.item_p
        item_live = prog.item_s + arrays.p_duration[prog.item_p]

        def take(items: Ints) -> None:
            taken[pair[items]] = True
            for k in items.tolist():
                who = self.members[prog.item_k[k]] if prog.item_k[k] >= 0 else \
                    np.array([prog.item_e[k]])
                p, live = prog.item_p[k], item_live[k]
                earliest[who, p] = np.minimum(earliest[who, p], live)
                off = live - self.start
                if arrays.p_gain[p] and off <= H:
                    gains[who, max(off, 0):] += arrays.p_gain[p]

        b = self.base_picked
        s_rows = np.flatnonzero(prog.item_fixed)
        take(s_rows)
        for e, p, s in zip(b.who.tolist(), b.project.tolist(), b.start.tolist(), strict=True):
            taken[e * n_p + p] = True  # S's rows that start after the horizon too
            earliest[e, p] = min(earliest[e, p], s + int(arrays.p_duration[p]))
        chosen = np.zeros(len(prog.item_npv), bool)
        if start_items is not None and len(start_items):
            chosen[start_items] = True
            take(start_items)
        planned = self.evaluate(np.flatnonzero(chosen & ~prog.item_fixed))
        pending = np.asarray(order, np.int64)
        pending = pending[~chosen[pending]]
        rejected = np.zeros(len(prog.item_npv), bool)
        maturity = arrays.maturity
        core_left = self._left(planned, "core")
        gov_left = self._left(planned, "government")
        complete = True
        while len(pending):
            if time.perf_counter() > deadline:
                complete = False
                break
            pending = pending[~rejected[pending] & ~taken[pair[pending]]]
            if not len(pending):
                break
            e = np.maximum(prog.item_e[pending], 0)
            s_off = prog.item_s[pending] - self.start
            req = self.requires[prog.item_p[pending]]
            is_ent = prog.item_k[pending] < 0
            level = np.minimum(4, maturity[e] + gains[e, s_off])
            rules = ~is_ent | (((req < 0) | (earliest[e, np.maximum(req, 0)] <= prog.item_s[
                pending])) & (level >= self.min_level[prog.item_p[pending]]))
            # what each would spend, against what is left (the engine decides in the end)
            own_now = planned.firm_cost[e]
            fits_own = ~is_ent | (prog.item_e[pending] == arrays.core) | np.all(
                own_now + prog.item_own[pending] <= self.sme_limit[e] + 1e-6, axis=1)
            room = self._room(planned)
            core_use = self._use(pending, "core")
            gov_use = self._use(pending, "government", room)
            fits = np.all(core_use <= core_left + 1e-6, axis=1) & \
                np.all(gov_use <= gov_left + 1e-6, axis=1)
            rejected[pending[is_ent & ~fits_own]] = True
            rejected[pending[~fits]] = True
            ready = pending[rules & fits & fits_own]
            if not len(ready):
                break
            # one new item per firm and per park; the budgets' estimates as a prefix
            _, first = np.unique(owner[ready], return_index=True)
            batch = ready[np.sort(first)]
            cum_ok = np.all(np.cumsum(self._use(batch, "core"), axis=0) <= core_left + 1e-6,
                            axis=1) & np.all(np.cumsum(self._use(batch, "government", room),
                                                       axis=0) <= gov_left + 1e-6, axis=1)
            cut = int(np.argmin(cum_ok)) if not cum_ok.all() else len(batch)
            batch = batch[:max(cut, 1)]
            trial = self.evaluate(np.r_[np.flatnonzero(chosen & ~prog.item_fixed), batch])
            broken, firms = self.over(trial)
            while len(batch) and (broken or firms[np.maximum(prog.item_e[batch], 0)].any()):
                bad = firms[np.maximum(prog.item_e[batch], 0)] & (prog.item_k[batch] < 0)
                if bad.any():
                    rejected[batch[bad]] = True
                    batch = batch[~bad]
                elif broken:  # the longest prefix the engine finds within the budgets
                    lo, hi = 0, len(batch) - 1
                    while lo < hi:
                        mid = (lo + hi + 1) // 2
                        tb, _ = self.over(self.evaluate(np.r_[np.flatnonzero(
                            chosen & ~prog.item_fixed), batch[:mid]]))
                        lo, hi = (mid, hi) if not tb else (lo, mid - 1)
                    rejected[batch[lo]] = True
                    batch = batch[:lo]
                else:  # a park item moved a member's subsidy payments over its cap
                    rejected[batch[prog.item_k[batch] >= 0]] = True
                    batch = batch[prog.item_k[batch] < 0]
                if not len(batch):
                    break
                trial = self.evaluate(np.r_[np.flatnonzero(chosen & ~prog.item_fixed), batch])
                broken, firms = self.over(trial)
            if len(batch):
                chosen[batch] = True
                take(batch)
                planned = trial
                core_left = self._left(planned, "core")
                gov_left = self._left(planned, "government")
        items = np.flatnonzero(chosen & ~prog.item_fixed)
        return _Greedy(items, planned, self.evaluations, complete)

    def marginal(self, planned: ScenarioResult, items: Ints) -> Floats:
        """What each of ``items`` adds to the NPV of ``planned`` alone: its own NPV, and for
        an item that connects its firm, the benefit of the firm's links whose other end
        ``planned`` connects, in the years from its go-live that the firm is not connected
        yet (the engine's link benefit, docs/method.md)."""
        prog, arrays, H = self.prog, self.arrays, self.horizon
        u, v = arrays.link_u, arrays.link_v
        conn = planned.connected
        fresh = ~arrays.link_flag & ~(arrays.platform[u] & arrays.platform[v])
        rate = self.scenario.link_benefit_rate * arrays.link_value * fresh
        # gain[e, t]: what connecting firm e in year t would switch on
        gain = np.zeros((self.n, H))
        np.add.at(gain, u, rate[:, None] * (conn[v] & ~conn[u]))
        np.add.at(gain, v, rate[:, None] * (conn[u] & ~conn[v]))
        worth = gain * planned.factor[None, :]
        after = np.c_[np.cumsum(worth[:, ::-1], axis=1)[:, ::-1], np.zeros(self.n)]
        e = np.maximum(prog.item_e[items], 0)
        live = np.clip(prog.item_s[items] + arrays.p_duration[prog.item_p[items]]
                       - self.start, 0, H)
        connects = (prog.item_k[items] < 0) & arrays.p_connects[prog.item_p[items]]
        return prog.item_npv[items] + np.where(connects, after[e, live], 0.0)

    def improve(self, found: _Greedy, deadline: float,
                cancelled: Callable[[], bool] = lambda: False,
                enough: float = math.inf) -> _Greedy:
        """Local search on a plan of ``run``: a move takes out one addition that spends a
        budget (those bringing the least value per budget yuan first) and fills what it
        frees with ``run``, in the order of what each candidate adds to the plan
        (``marginal``) per budget yuan, its firm's same project left out; the new plan is
        kept when the engine finds it better and within every limit and rule. Moves until
        the deadline, cancellation, an NPV of ``enough`` or none is left to try; never
        worse than ``found``."""
        prog = self.prog
        best = found
        tried = np.zeros(len(prog.item_npv), bool)
        owner = np.where(prog.item_k >= 0, -1 - prog.item_k, prog.item_e)
        budgets = [(party, limit) for party, limit in self.budgets.items()
                   if limit is not None]
        if not budgets:
            return best
        while time.perf_counter() < deadline and not cancelled() \
                and best.planned.npv < enough:
            planned, items = best.planned, best.items
            room = self._room(planned)
            # what each addition spends of each budget, as a share of the budget; the
            # government's as the engine pays it (after the level gate and the cap)
            paid = np.clip(prog.item_gov[items], 0, None).sum(axis=1)
            ent = np.flatnonzero(prog.item_k[items] < 0)
            position = len(self.base_picked.rows) + np.arange(len(ent))
            paid[ent] = planned.trace.subsidy[position]
            use = np.zeros(len(items))
            for party, limit in budgets:
                spend = paid if party == "government" else \
                    np.clip(prog.item_core[items], 0, None).sum(axis=1)
                use += spend / max(limit, 1e-9)
            out = np.flatnonzero((use > 0) & ~tried[items])
            if not len(out):
                break
            loss = self.marginal(planned, items[out])
            k = int(items[out[np.argmin(loss / use[out])]])
            tried[k] = True
            rest = items[items != k]
            for _ in range(8):  # what required it goes too
                met = self.rules_met(rest)
                if met.all():
                    break
                rest = rest[met]
            chosen = np.zeros(len(prog.item_npv), bool)
            chosen[rest] = True
            same = (owner == owner[k]) & (prog.item_p == prog.item_p[k])
            pool = self.candidates[~chosen[self.candidates] & ~same[self.candidates]]
            gain = self.marginal(planned, pool)
            pool, gain = pool[gain > 0], gain[gain > 0]
            cost = np.zeros(len(pool))
            for party, limit in budgets:
                spend = self._use(pool, party, room if party == "government" else None)
                cost += np.clip(spend, 0, None).sum(axis=1) / max(limit, 1e-9)
            order = pool[np.argsort(-gain / np.maximum(cost, 1e-12), kind="stable")]
            trial = self.run(order, deadline, start_items=rest)
            broken, firms = self.over(trial.planned)
            if trial.planned.npv > best.planned.npv + 1e-9 * max(1.0, abs(best.planned.npv)) \
                    and not broken and not firms.any() and self.rules_met(trial.items).all():
                best = _Greedy(trial.items, trial.planned, self.evaluations,
                               found.complete and trial.complete)
                self.moves += 1
        return _Greedy(best.items, best.planned, self.evaluations, best.complete)

    def _left(self, planned: ScenarioResult, party: str) -> Floats:
        """What is left of a budget: per year, or (one column) over the horizon."""
        limit = self.budgets[party]
        if limit is None:
            return np.full(self.horizon if self.per_year else 1, np.inf)
        spend = planned.party_cost[party]
        return limit - (spend if self.per_year else np.array([spend.sum()]))

    def _use(self, items: Ints, party: str, room: Floats | None = None) -> Floats:
        """What ``items`` would spend of a budget (per year, or one column over the
        horizon); with ``room`` (``_room``), a capped firm's claims only up to what its cap
        still pays."""
        spend: Floats = self.prog.item_core[items] if party == "core" else \
            self.prog.item_gov[items]
        if self.per_year:
            return spend
        total: Floats = spend.sum(axis=1, keepdims=True)
        if party == "core" or room is None:
            return total
        claim = self._cap_claim[items]
        unpaid = claim - np.minimum(claim, room[np.maximum(self.prog.item_e[items], 0)])
        left: Floats = total - unpaid[:, None]
        return left

    @cached_property
    def _cap_claim(self) -> Floats:
        """Per item, what it claims under the subsidy cap over the horizon (0: uncapped)."""
        claim = np.zeros(len(self.prog.item_npv))
        claim[self.prog.cap_items] = self.prog.cap_claim
        return claim

    def _room(self, planned: ScenarioResult) -> Floats | None:
        """Per firm, what the subsidy cap still pays it over the horizon with ``planned``
        (the cap less what it is paid); None when the budgets are per year or claims are
        not simply capped (no cap, or a level gate: ``prog.cap_items`` empty). A capped
        firm's claims beyond it cost the government nothing (the engine decides)."""
        prog = self.prog
        if self.per_year or not len(prog.cap_items):
            return None
        trace = planned.trace
        paid = np.bincount(trace.enterprise, weights=trace.subsidy, minlength=self.n)
        return np.clip(prog.cap - paid, 0.0, None)


def _reserve(n_enterprises: int) -> float:
    """Seconds kept back from the solver for the heuristic and the checks (they grow with
    the chain: ~10 s at 10,000 firms on a loaded 2-core machine); the what-ifs get what is
    left of the time limit."""
    return 1.0 + n_enterprises / 1_000


def _best_greedy(heuristic: _Heuristic, lp_x: Floats | None, deadline: float,
                 plain: _Greedy | None = None) -> _Greedy:
    """The better of the greedy by value per budget yuan (``plain``, when already run) and,
    with an LP solution, the greedy that starts from the LP's solution rounded down
    (``_round_down``) and takes the LP's other choices next (largest LP value first), then
    a pass adding what still fits, and the same greedy from nothing."""
    prog = heuristic.prog
    ratio = heuristic.ratio_order()
    # (order, the plan it starts from)
    orders: list[tuple[Ints, Ints | None]] = [(ratio, None)] if plain is None else []
    if lp_x is not None:
        x = lp_x[:prog.n_items]
        cand = heuristic.candidates
        guided = cand[np.lexsort((-heuristic.value[cand], -np.round(x[cand], 4)))]
        guided = guided[(x[guided] > 1e-6) | (heuristic.value[guided] > 0)]
        # from the LP's solution rounded down (good when the LP is tight), and from
        # nothing (better when it is loose: at 10,000 firms and S + 5 % budgets, 17.9
        # million from the LP without cuts where the rounded start gave 15.5)
        orders[:0] = [(guided, _round_down(heuristic, x)), (guided, None)]
    best: _Greedy | None = plain
    for order, start in orders:
        if best is not None and time.perf_counter() > deadline:
            break
        found = heuristic.run(order, deadline, start_items=start)
        if time.perf_counter() < deadline:  # the add pass: the ratio order over what is left
            found = heuristic.run(ratio, deadline, start_items=found.items)
        if best is None or found.planned.npv > best.planned.npv:
            best = found
    assert best is not None
    return best


def _cap_cuts(prog: _Program, x: Floats, tol: float = 1e-6) -> Sparse | None:
    """Cuts of the subsidy cap (no level gate) that the solution ``x`` breaks, as rows
    ``G − Σ m_k·x_k >= 0`` (None: none broken). What a capped firm is paid over the
    horizon, ``min(cap, Σ claim_k·x_k)``, is a submodular function of its chosen items.
    Take its projects in some order; an item k of project p then adds to the payment of any
    plan at least ``m_k = min(claim_k, cap − B_p)``, at least 0, where ``B_p`` sums the
    largest claim of each project before p (a plan has one start per project, so what
    its other items claim before k is at most ``B_p``, and the payment is the sum of each
    item's addition in that order): ``G >= Σ m_k·x_k`` for every yes/no plan. The order by
    the solution's total of each project (largest first) gives the most broken cut
    (Lovász's extension: the convex closure of the payment over the projects)."""
    from scipy.sparse import coo_array

    k = prog.cap_items
    if not len(k):
        return None
    firm, claim, val = prog.cap_firm, prog.cap_claim, x[k]
    n_p = int(prog.item_p.max()) + 1
    groups, of = np.unique(firm * n_p + prog.item_p[k], return_inverse=True)
    taken = np.bincount(of, weights=val, minlength=len(groups))
    largest = np.zeros(len(groups))
    np.maximum.at(largest, of, claim)
    g_firm = groups // n_p
    order = np.lexsort((-largest, -taken, g_firm))
    f, c = g_firm[order], largest[order]
    start = np.r_[True, f[1:] != f[:-1]]
    run = np.cumsum(c)
    before = np.empty(len(groups))
    before[order] = run - c - np.maximum.accumulate(np.where(start, run - c, 0.0))
    marginal = np.clip(np.minimum(claim, prog.cap - before[of]), 0.0, None)
    lifted = np.bincount(firm, weights=marginal * val, minlength=len(prog.cap_g))
    broken = np.flatnonzero(lifted - x[prog.cap_g] > tol * max(1.0, prog.cap))
    if not len(broken):
        return None
    row_of = np.full(len(prog.cap_g), -1, np.int64)
    row_of[broken] = np.arange(len(broken))
    mine = (row_of[firm] >= 0) & (marginal > 0)
    rows = np.r_[np.arange(len(broken)), row_of[firm[mine]]]
    cols = np.r_[prog.cap_g[broken], k[mine]]
    vals = np.r_[np.ones(len(broken)), -marginal[mine]]
    return coo_array((vals, (rows, cols)), shape=(len(broken), len(x))).tocsr()


def _round_down(heuristic: _Heuristic, x: Floats) -> Ints | None:
    """A plan from the LP relaxation's solution ``x`` (of the items): the candidates it
    takes whole, less those whose prerequisite or level it took only in part; then, where
    the engine finds a budget broken (the relaxation pays a gated or capped subsidy in
    part), the fewest of them dropped, those bringing the least value per budget yuan
    first (found by bisection), and where a firm is over its cost cap, its least valuable
    ones one by one. None when no such plan meets every limit."""
    prog = heuristic.prog
    items = heuristic.candidates[x[heuristic.candidates] >= 1.0 - 1e-6]

    def lawful(items: Ints) -> Ints:
        for _ in range(8):  # dropping an item can take another's prerequisite away
            met = heuristic.rules_met(items)
            if met.all():
                break
            items = items[met]
        return items

    def failing(items: Ints) -> tuple[bool, Bools]:
        return heuristic.over(heuristic.evaluate(items))

    items = lawful(items)
    if not len(items):
        return None
    broken, firms = failing(items)
    for _ in range(20):  # firms over their cost cap: their least valuable addition out
        if not firms.any():
            break
        mine = firms[np.maximum(prog.item_e[items], 0)] & (prog.item_k[items] < 0)
        worst = np.ones(len(items), bool)
        owners = prog.item_e[items[mine]]
        order = np.lexsort((heuristic.value[items[mine]], owners))
        first = np.r_[True, owners[order][1:] != owners[order][:-1]]
        worst[np.flatnonzero(mine)[order[first]]] = False
        items = lawful(items[worst])
        broken, firms = failing(items)
    if firms.any():
        return None
    if broken:
        # what each spends of the budgets it breaks; of the government's, the subsidy the
        # engine pays it (after the level gate and the cap), not its claims
        planned = heuristic.evaluate(items)
        paid = prog.item_gov[items].sum(axis=1)
        ent = prog.item_k[items] < 0
        paid[ent] = planned.trace.subsidy[len(heuristic.base_picked.rows):]
        use = np.zeros(len(items))
        for party, spend in (("core", prog.item_core[items].sum(axis=1)),
                             ("government", paid)):
            limit = heuristic.budgets[party]
            spent = planned.party_cost[party]
            if limit is not None and np.any((spent if heuristic.per_year else spent.sum())
                                            > limit):
                use += np.clip(spend, 0, None) / max(limit, 1e-9)
        spending = np.flatnonzero(use > 0)
        order = spending[np.argsort(heuristic.value[items[spending]] / use[spending],
                                    kind="stable")]
        lo, hi = 1, len(order)  # the fewest dropped (worst first) that meets every limit
        while lo < hi:
            mid = (lo + hi) // 2
            tb, tf = failing(lawful(np.delete(items, order[:mid])))
            lo, hi = (mid + 1, hi) if tb or tf.any() else (lo, mid)
        items = lawful(np.delete(items, order[:lo]))
        broken, firms = failing(items)
        if broken or firms.any():
            return None
    return items


def _unworked(owner: str, project: str, year: int, own_npv: float,
              names: dict[str, str], projects: dict[str, str], park: bool = False
              ) -> Addition:
    """An addition whose what-ifs the time limit left out: its own NPV only (``names``: of
    its firm or park by id, ``projects``: of projects by id)."""
    return Addition(owner, project, year, own_npv, own_npv, 0.0, [],
                    Why(UNWORKED, year, year), names.get(owner, ""), projects.get(project, ""),
                    park=park)


def _fix_misfits(a: Sparse, row_lb: Floats, row_ub: Floats, lb: Floats, ub: Floats,
                 k_items: int, passes: int = 2) -> None:
    """Fix to 0 (in ``ub``) every yes/no item that no solution can take: with it at 1, some
    row could not be met whatever every other variable does within its bounds (e.g. one
    project alone over a firm's cost cap). Every plan keeps these at 0 already, so the
    program holds the same plans; its LP relaxation can no longer take a fraction of
    them."""
    coo = a.tocoo()
    rows, cols, vals = coo.row, coo.col, coo.data
    for _ in range(passes):
        fixed_now = 0
        for sign, limit in ((1.0, row_ub), (-1.0, -row_lb)):  # each row as Σ sign·a·v <= limit
            live = np.isfinite(limit)[rows]
            r, j, v = rows[live], cols[live], sign * vals[live]
            least = np.where(v > 0, v * lb[j], v * ub[j])  # each term's least value
            if not np.all(np.isfinite(least)):
                keep = np.isfinite(least)
                bad_rows = np.unique(r[~keep])
                ok = ~np.isin(r, bad_rows)
                r, j, v, least = r[ok], j[ok], v[ok], least[ok]
            row_least = np.bincount(r, weights=least, minlength=len(limit))
            # item j at 1 instead of its least: the row's least grows by v·(1 − lb) (v > 0)
            item = (j < k_items) & (v > 0) & (lb[j] == 0) & (ub[j] > 0)
            over = row_least[r] - least + v > limit[r] + 1e-9 * np.maximum(1.0, np.abs(limit[r]))
            misfit = np.unique(j[item & over])
            fixed_now += len(misfit)
            ub[misfit] = 0.0
        if not fixed_now:
            break
