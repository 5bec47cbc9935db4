"""Scenarios side by side: each key figure across the scenarios, its best value, and each
scenario's difference from a baseline; plain data for the app's comparison view, the
slides, the report (``planner.report``) and ``chainplan compare``.

Next to the key figures of ``planner.kpis`` come the policy figures (``policy_kpis``):
what a scenario costs the government, in total, discounted and by instrument, per SME
that reaches the target level and per newly data-connected link; when the SMEs' own
projects pay back; what the core and the park operators pay. Last come the risk figures
(``risk_kpis``): the NPV's P5 and P95 and the chance of a loss from a short simulation
(``planner.simulate``, ``RISK_DRAWS`` draws, seed ``RISK_SEED``), so a comparison stays
quick. ``DEFINITIONS`` says in both languages what each figure is (tooltips, the report's
legend, docs/user-guide.md).
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from models.chain import ChainModel
from planner.engine import ScenarioResult
from planner.kpis import KPIS, Kpi, best_index, format_value

if TYPE_CHECKING:
    from planner.simulate import Simulation

Value = float | int | None


@dataclass(frozen=True)
class ComparisonRow:
    """One KPI across the scenarios: raw values, best columns and differences to a baseline."""

    kpi: Kpi
    label: str
    values: list[Value]
    best: set[int]
    differences: list[Value]  # value - baseline value (None if either is missing)
    lang: str = "en"

    def text(self, column: int) -> str:
        return format_value(self.kpi.kind, self.values[column])

    def difference_text(self, column: int) -> str:
        return format_difference(self.kpi.kind, self.differences[column], self.lang)


def _clean(value: Value) -> Value:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def comparison_rows(results: list[ScenarioResult], baseline: int | str | None = 0,
                    lang: str = "en", policy: bool = False,
                    risk: Mapping[str, Simulation] | None = None) -> list[ComparisonRow]:
    """The rows of ``planner.kpis.KPIS`` across ``results``, labelled in ``lang``, then
    (with ``policy``) the rows of ``policy_kpis``, then (given
    ``risk``, each scenario's simulation by name) the rows of ``risk_kpis``; a scenario
    missing from ``risk`` has no value there.

    ``baseline`` is the column (or scenario name) the differences are taken from;
    None leaves every difference None.
    """
    if isinstance(baseline, str):
        names = [r.scenario.name for r in results]
        baseline = names.index(baseline) if baseline in names else None
    if baseline is not None and not 0 <= baseline < len(results):
        baseline = None
    rows = []
    kpis = KPIS + policy_kpis() if policy else KPIS
    if risk is not None:
        kpis += risk_kpis(risk)
    for kpi in kpis:
        values = [_clean(kpi.value(r)) for r in results]
        base = values[baseline] if baseline is not None else None
        differences: list[Value] = [None if v is None or base is None else v - base
                                    for v in values]
        rows.append(ComparisonRow(kpi, kpi.label(lang), values, best_index(kpi, values),
                                  differences, lang))
    return rows


def format_difference(kind: str, value: Value, lang: str = "en") -> str:
    """A signed difference in the KPI's own unit; shares in percentage points."""
    if value is None:
        return "—"
    if kind == "share":
        points = round(value * 100, 1)
        text = "0.0" if points == 0 else f"{points:+.1f}"
        return f"{text} 个百分点" if lang == "zh_CN" else f"{text} pp"
    if kind == "ratio":
        rounded = round(value, 2)
        return "0.00" if rounded == 0 else f"{rounded:+.2f}"
    if kind in ("year", "count"):
        return "0" if int(value) == 0 else f"{int(value):+d}"
    rounded = round(value, 1)
    return "0.0" if rounded == 0 else f"{rounded:+,.1f}"


# --- policy figures ------------------------------------------------------------------------
# the government's outlay by instrument, in the engine's order (ScenarioResult.public_money)
INSTRUMENTS: dict[str, tuple[str, str]] = {
    "capex_subsidy": ("capex grants", "投资补贴"),
    "opex_subsidy": ("running-cost subsidy", "运维补贴"),
    "interest_subsidy": ("interest subsidy", "贷款贴息"),
    "tax_relief": ("tax relief", "税收减免"),
    "park_projects": ("park projects", "园区项目"),
}


@dataclass(frozen=True)
class PolicyFigures:
    """What one scenario's policy costs the government and what it achieves, per firm and
    per link (``DEFINITIONS`` says what each one is)."""

    government_total: float
    government_pv: float
    public_money: dict[str, float]  # instrument -> total over the horizon
    smes_reached: int
    per_sme_reached: float | None
    links_connected: int
    per_link: float | None
    smes_in_plan: int
    sme_payback: list[int | None]  # payback year of each SME in the plan (None: never)
    median_payback: int | None
    paying_back_share: float | None
    core_cost: float
    park_cost: float


def smes_in_plan(result: ScenarioResult) -> np.ndarray:
    """Positions of the SMEs with a project in the scenario: one of their own, or one of
    the park they are in."""
    chain = result.chain
    chosen = np.zeros(len(chain.maturity), bool)
    chosen[np.asarray(result.trace.enterprise, np.int64)] = True
    parks = [chain.park_index[p] for p in set(result.park_trace.park)]
    if parks:
        chosen |= np.isin(chain.park_code, parks)
    if chain.core >= 0:
        chosen[chain.core] = False  # the core is no SME
    return np.flatnonzero(chosen)


def payback_array(result: ScenarioResult, rows: np.ndarray) -> np.ndarray:
    """The payback year of each enterprise in ``rows`` on its own cumulative net (firm
    benefit minus firm cost), ``NEVER`` where it does not pay back: the rule of the
    scenario's payback, firm by firm (``result.firm_payback``, for many firms at once)."""
    if not len(rows) or not len(result.years):
        return np.full(len(rows), NEVER, np.int64)
    cost = np.asarray(result.firm_cost, float)[rows]
    benefit = np.asarray(result.firm_benefit, float)[rows]
    cumulative = np.cumsum(benefit - cost, axis=1)
    below = cumulative < 0
    first_below = np.argmax(below, axis=1)
    columns = np.arange(cumulative.shape[1])[None, :]
    back = (cumulative >= 0) & (columns > first_below[:, None])
    years = np.asarray(result.years, np.int64)
    active = ((cost != 0) | (benefit != 0)).any(axis=1)
    return np.where(below.any(axis=1),
                    np.where(back.any(axis=1), years[np.argmax(back, axis=1)], NEVER),
                    np.where(active, years[0], NEVER))


NEVER = np.iinfo(np.int64).max  # a payback year that never comes: later than any year


def lower_median(years: np.ndarray) -> int | None:
    """The middle of ``payback_array``'s years, a firm that never pays back counting as later
    than any year (the lower middle of an even count); None when that middle firm never
    pays back or there is no firm."""
    if not len(years):
        return None
    middle = int(np.partition(years, (len(years) - 1) // 2)[(len(years) - 1) // 2])
    return None if middle == NEVER else middle


# each result's figures, worked out once: at 100,000 firms they take 15 ms a scenario, and
# the charts, the comparison and the report each ask (the app's analysis works them out in
# the background); an entry goes with its result
_figures: dict[int, tuple[weakref.ref[ScenarioResult], PolicyFigures]] = {}


def policy_figures(result: ScenarioResult) -> PolicyFigures:
    """The policy figures of one scenario's ``result`` (a result is never changed once
    evaluated, so they are worked out once)."""
    key = id(result)
    hit = _figures.get(key)
    if hit is not None and hit[0]() is result:
        return hit[1]
    figures = _policy_figures(result)

    def forget(_: object) -> None:
        _figures.pop(key, None)

    _figures[key] = (weakref.ref(result, forget), figures)
    return figures


def _policy_figures(result: ScenarioResult) -> PolicyFigures:
    chain = result.chain
    government = np.asarray(result.party_cost["government"], float)
    total = float(government.sum())
    public = {key: float(np.asarray(values, float).sum())
              for key, values in result.public_money().items()}
    smes = np.flatnonzero(np.arange(len(chain.maturity)) != chain.core)
    target = result.scenario.target_level
    if len(smes) and result.maturity.shape[1]:
        reached = int(np.count_nonzero((result.maturity[smes, -1] >= target)
                                       & (chain.maturity[smes] < target)))
    else:
        reached = 0
    at_start = chain.link_flag | (chain.platform[chain.link_u] & chain.platform[chain.link_v])
    connected_end = result.link_connected[:, -1] if result.link_connected.shape[1] \
        else np.zeros(len(at_start), bool)
    new_links = int(np.count_nonzero(connected_end & ~at_start))
    in_plan = smes_in_plan(result)
    years = payback_array(result, in_plan)
    paying = int(np.count_nonzero(years != NEVER))
    return PolicyFigures(
        government_total=total,
        government_pv=float(np.dot(government, result.factor)),
        public_money=public,
        smes_reached=reached,
        per_sme_reached=total / reached if reached else None,
        links_connected=new_links,
        per_link=total / new_links if new_links else None,
        smes_in_plan=len(in_plan),
        sme_payback=[None if y == NEVER else y for y in years.tolist()],
        median_payback=lower_median(years),
        paying_back_share=paying / len(years) if len(years) else None,
        core_cost=float(np.asarray(result.party_cost["core"], float).sum()),
        park_cost=float(np.asarray(result.party_cost["park"], float).sum()),
    )


def policy_kpis() -> tuple[Kpi, ...]:
    """The policy figures as key figures."""

    def pick(name: str) -> Callable[[ScenarioResult], Any]:
        return lambda r: getattr(policy_figures(r), name)

    def instrument(key: str) -> Callable[[ScenarioResult], Any]:
        return lambda r: policy_figures(r).public_money.get(key, 0.0)

    return (
        Kpi("government_total", "Public money, total", "财政资金合计", pick("government_total"),
            "", "amount"),
        Kpi("government_pv", "Public money, present value", "财政资金现值",
            pick("government_pv"), "", "amount"),
        *(Kpi(f"public_{key}", f"Public money: {en}", f"财政资金：{zh}", instrument(key), "",
              "amount") for key, (en, zh) in INSTRUMENTS.items()),
        Kpi("smes_reached", "SMEs reaching the target level", "新达标中小企业数",
            pick("smes_reached"), "high", "count"),
        Kpi("per_sme_reached", "Public money per SME reaching the target",
            "每家新达标中小企业的财政资金", pick("per_sme_reached"), "low", "amount"),
        Kpi("links_connected", "Newly data-connected links", "新增数据互联链接数",
            pick("links_connected"), "high", "count"),
        Kpi("per_link", "Public money per newly connected link", "每条新互联链接的财政资金",
            pick("per_link"), "low", "amount"),
        Kpi("sme_median_payback", "SME payback year (median)", "中小企业回收年份（中位数）",
            pick("median_payback"), "low", "year"),
        Kpi("sme_paying_back", "SMEs paying back within the horizon", "规划期内回收的中小企业占比",
            pick("paying_back_share"), "high", "share"),
        Kpi("cost_core", "Cost, core", "核心企业成本", pick("core_cost"), "", "amount"),
        Kpi("cost_park", "Cost, park operators", "园区运营方成本", pick("park_cost"), "",
            "amount"),
    )


# --- risk figures --------------------------------------------------------------------------
RISK_DRAWS = 300  # draws per scenario in a comparison: quick; the Risk tab and report run more
RISK_SEED = 0
RISK_KEYS = ("npv_p5", "npv_p95", "prob_npv_negative")


def risk_simulations(model: ChainModel, names: list[str], draws: int = RISK_DRAWS,
                     seed: int = RISK_SEED,
                     cancelled: Callable[[], bool] | None = None,
                     evaluated: Mapping[str, ScenarioResult] | None = None
                     ) -> dict[str, Simulation]:
    """Each named scenario's simulation (``planner.simulate``) of a model without errors;
    stops early, with the scenarios done so far, once ``cancelled()`` says so.
    ``evaluated``: the scenarios' evaluations of this model, when known."""
    from planner.simulate import Cancelled, simulate

    def progress(done: int, total: int) -> bool:
        return cancelled is None or not cancelled()

    simulations: dict[str, Simulation] = {}
    for name in names:
        try:
            simulations[name] = simulate(model, name, draws, seed, progress,
                                         (evaluated or {}).get(name))
        except Cancelled:
            break
    return simulations


def risk_kpis(simulations: Mapping[str, Simulation]) -> tuple[Kpi, ...]:
    """The NPV's P5 and P95 and the chance of a negative NPV, from each scenario's
    simulation in ``simulations`` (by name; none for a scenario not there)."""

    def npv(percentile: str) -> Callable[[ScenarioResult], float | None]:
        def value(result: ScenarioResult) -> float | None:
            simulation = simulations.get(result.scenario.name)
            return None if simulation is None else simulation.stats("npv")[percentile]
        return value

    def loss(result: ScenarioResult) -> float | None:
        simulation = simulations.get(result.scenario.name)
        return None if simulation is None or not simulation.draws \
            else simulation.prob_npv_negative

    return (Kpi("npv_p5", "NPV, P5 (simulated)", "净现值 P5（模拟）", npv("p5"), "high", "amount"),
            Kpi("npv_p95", "NPV, P95 (simulated)", "净现值 P95（模拟）", npv("p95"), "high",
                "amount"),
            Kpi("prob_npv_negative", "Chance of a negative NPV", "净现值为负的概率", loss, "low",
                "share"))


def risk_heading(draws: int = RISK_DRAWS, seed: int = RISK_SEED, lang: str = "en") -> str:
    """The heading over the risk rows, with the draws they come from."""
    if lang == "zh_CN":
        return f"不确定性（{draws:,} 次模拟，种子 {seed}）"
    return f"How sure ({draws:,} simulated draws, seed {seed})"


POLICY_KEYS = ("government_total", "government_pv", *(f"public_{k}" for k in INSTRUMENTS),
               "smes_reached", "per_sme_reached", "links_connected", "per_link",
               "sme_median_payback", "sme_paying_back", "cost_core", "cost_park")

# what each key figure is, in a sentence (English, Chinese): tooltips, the report's legend
DEFINITIONS: dict[str, tuple[str, str]] = {
    "npv": ("Net present value of the whole chain: every year's benefit minus cost, "
            "discounted to the first year.",
            "全链净现值：各年效益减成本，折现到起始年。"),
    "npv_core": ("The core enterprise's own NPV: its benefits minus what it pays, discounted.",
                 "核心企业自身的净现值：其效益减其支出，折现。"),
    "npv_sme": ("The SMEs' own NPV, all together: their benefits minus what they pay "
                "themselves (after subsidies, loans and tax relief), discounted.",
                "中小企业合计的自身净现值：效益减其自付支出（扣除补贴、贷款与税收减免后），折现。"),
    "npv_park": ("The park operators' NPV: minus what they pay for park projects "
                 "(their benefit is not counted), discounted.",
                 "园区运营方的净现值：其承担的园区项目支出（不计效益）取负，折现。"),
    "npv_government": ("The government's NPV: minus its outlay (it has no benefit in the "
                       "model), discounted.",
                       "政府的净现值：财政支出取负（模型不计政府效益），折现。"),
    "bcr": ("Benefit-cost ratio: present value of benefits over present value of costs.",
            "效益成本比：效益现值除以成本现值。"),
    "payback_year": ("First year in which the chain's cumulative net benefit is back at zero "
                     "or above.", "全链累计净效益回到零或以上的第一年。"),
    "capex": ("Capex spent inside the horizon, all parties.", "规划期内的投资，各方合计。"),
    "opex": ("Running costs (opex) over the horizon, all parties.", "规划期内的运维费，各方合计。"),
    "subsidy": ("Capex grants and running-cost subsidies actually paid (after the level "
                "condition and the cap).", "实际发放的投资补贴与运维补贴（按达标条件与上限）。"),
    "cost": ("Cost to the chain and the government together: capex and opex, loans counted "
             "when repaid.", "产业链与政府的总成本：投资与运维费，贷款按还款计。"),
    "benefit": ("Benefit over the horizon: projects' benefits and savings on newly connected "
                "links.", "规划期内的效益：项目效益与新互联链接的节约。"),
    "connected_share": ("Share of the SMEs on the data platform in the last year.",
                        "期末已接入数据平台的中小企业占比。"),
    "digitalised_share": ("Share of the SMEs at or above the target level in the last year.",
                          "期末达到目标水平的中小企业占比。"),
    "link_coverage": ("Share of all links data-connected in the last year.",
                      "期末实现数据互联的链接占比。"),
    "spend_coverage": ("Share of the chain's trade value on data-connected links in the last "
                       "year.", "期末数据互联链接的交易额占比。"),
    "islands": ("Groups of enterprises joined by data-connected links in the last year (a lone "
                "enterprise is one).", "期末由数据互联链接连成的企业群数（孤立企业各算一个）。"),
    "government_total": ("Everything the government pays over the horizon, undiscounted: capex "
                         "grants, running-cost subsidies, interest subsidies, tax relief and its "
                         "share of park projects.",
                         "规划期内政府支出合计（不折现）：投资补贴、运维补贴、贷款贴息、税收减免及"
                         "其分担的园区项目费用。"),
    "government_pv": ("The government's outlay, each year discounted to the first year at the "
                      "scenario's discount rate.", "政府支出按情景折现率逐年折现到起始年的合计。"),
    "public_capex_subsidy": ("Grants towards capex, in the year they are paid (after the level "
                             "condition and the cap).",
                             "投资补贴，计入实际发放年（按达标条件与上限）。"),
    "public_opex_subsidy": ("The government's share of SMEs' running costs in the first years "
                            "after go-live, as paid.",
                            "政府承担的中小企业上线后前几年运维费，按实际发放计。"),
    "public_interest_subsidy": ("The government's share of the interest on SMEs' loans "
                                "(贷款贴息).", "政府承担的中小企业贷款利息（贷款贴息）。"),
    "public_tax_relief": ("Tax returned to firms on their own digital spending.",
                          "按企业自身数字化支出返还的税收。"),
    "public_park_projects": ("The government's share of park projects' capex and opex.",
                             "政府分担的园区项目投资与运维费。"),
    "smes_reached": ("SMEs below the target level at the start that are at or above it in the "
                     "last year.", "期初低于目标水平、期末达到目标水平的中小企业数。"),
    "per_sme_reached": ("Public money, total, divided by the SMEs reaching the target level "
                        "(— when none does).",
                        "财政资金合计除以新达标中小企业数（无新达标企业时为 —）。"),
    "links_connected": ("Links data-connected in the last year that were not connected at the "
                        "start (by their own flag or both ends on the platform).",
                        "期末实现数据互联、而期初未互联（既未标记已互联、两端也未都接入平台）的链接数。"),
    "per_link": ("Public money, total, divided by the newly data-connected links (— when "
                 "there are none).", "财政资金合计除以新增数据互联链接数（无新增时为 —）。"),
    "sme_median_payback": ("Among the SMEs with a project (their own or their park's): the "
                           "middle one's payback year on its own cumulative net; — when half "
                           "or more never pay back within the horizon.",
                           "有项目（自身或所在园区）的中小企业中，按各自累计净效益计算的回收年份的"
                           "中位数；半数及以上在规划期内未回收时为 —。"),
    "sme_paying_back": ("Share of the SMEs with a project (their own or their park's) whose "
                        "own cumulative net is back at zero or above within the horizon.",
                        "有项目（自身或所在园区）的中小企业中，规划期内自身累计净效益回到零或以上的"
                        "占比。"),
    "cost_core": ("What the core enterprise pays over the horizon: its own projects and its "
                  "shares of SMEs' and park projects, after subsidies and tax relief.",
                  "核心企业在规划期内的支出：自身项目及其分担的中小企业与园区项目费用，扣除补贴与"
                  "税收减免。"),
    "cost_park": ("What the park operators pay over the horizon: park projects' cost less the "
                  "government's and the core's shares.",
                  "园区运营方在规划期内的支出：园区项目费用减去政府与核心企业分担部分。"),
    "npv_p5": (f"The NPV that 5 % of the simulated draws fall below ({RISK_DRAWS} draws, seed "
               f"{RISK_SEED}, so the comparison stays quick; the Risk tab runs more): each draw "
               "picks which SMEs take part, by the scenario's participation rates for their "
               "awareness, and each project's benefit from its range.",
               f"模拟中 5% 的抽样低于此净现值（{RISK_DRAWS} 次抽样，种子 {RISK_SEED}，以保持比较快速；"
               "风险页可运行更多次）：每次抽样按情景中各认知程度的参与率决定哪些中小企业参与，"
               "并在各项目效益范围内抽取效益。"),
    "npv_p95": (f"The NPV that 95 % of the simulated draws fall below ({RISK_DRAWS} draws, seed "
                f"{RISK_SEED}): between P5 and P95 lie 90 % of the draws.",
                f"模拟中 95% 的抽样低于此净现值（{RISK_DRAWS} 次抽样，种子 {RISK_SEED}）：P5 与 P95 "
                "之间为 90% 的抽样。"),
    "prob_npv_negative": (f"Share of the simulated draws ({RISK_DRAWS}, seed {RISK_SEED}) whose "
                          "NPV is below zero: the chance that the chain as a whole loses money.",
                          f"净现值小于零的模拟抽样占比（{RISK_DRAWS} 次，种子 {RISK_SEED}）："
                          "即全链亏损的概率。"),
}


def definition(key: str, lang: str = "en") -> str:
    """What the key figure ``key`` is, in ``lang`` ("" if it has no definition)."""
    words = DEFINITIONS.get(key)
    if words is None:
        return ""
    return words[1] if lang == "zh_CN" else words[0]


# --- the command line ----------------------------------------------------------------------
def compare_json(results: list[ScenarioResult], lang: str = "en",
                 risk: Mapping[str, Simulation] | None = None) -> dict[str, Any]:
    """``chainplan compare --json``: every key figure of each scenario, the government's
    outlay by instrument and year, and what each figure means; with ``risk`` (each
    scenario's simulation) the risk figures too and ``"risk": {"draws", "seed"}``."""
    kpis = KPIS + policy_kpis()
    if risk is not None:
        kpis += risk_kpis(risk)
    scenarios = []
    for result in results:
        values = {}
        for kpi in kpis:
            value = _clean(kpi.value(result))
            values[kpi.key] = float(value) if isinstance(value, float | np.floating) else value
        scenarios.append({
            "name": result.scenario.name, "years": [int(y) for y in result.years],
            "kpis": values,
            "public_money": {key: [float(v) for v in np.asarray(array, float)]
                             for key, array in result.public_money().items()}})
    out: dict[str, Any] = {
        "scenarios": scenarios,
        "kpis": [{"key": k.key, "label": k.label(lang), "kind": k.kind,
                  "better": k.better or None, "definition": risk_definition(k.key, lang, risk)}
                 for k in kpis]}
    if risk:
        first = next(iter(risk.values()))
        out["risk"] = {"draws": first.draws, "seed": first.seed}
    return out


def risk_definition(key: str, lang: str = "en",
                    risk: Mapping[str, Simulation] | None = None) -> str:
    """``definition``, the risk rows' saying how many draws they are of when not the
    default."""
    text = definition(key, lang)
    if key in RISK_KEYS and risk:
        first = next(iter(risk.values()))
        if (first.draws, first.seed) != (RISK_DRAWS, RISK_SEED):
            text = text.replace(f"{RISK_DRAWS} ", f"{first.draws:,} ").replace(
                f"seed {RISK_SEED}", f"seed {first.seed}").replace(
                f"种子 {RISK_SEED}", f"种子 {first.seed}")
    return text


def compare_text(results: list[ScenarioResult], lang: str = "en",
                 risk: Mapping[str, Simulation] | None = None) -> str:
    """The key figures, policy figures and (given ``risk``) risk figures of ``results`` as a
    text table, the best value of each row marked with *."""
    from planner.results import _table

    rows = comparison_rows(results, None, lang, True, risk)
    header = ["", *(r.scenario.name + " " for r in results)]
    lines = _table(header, [[row.label, *[row.text(c) + ("*" if c in row.best else " ")
                                          for c in range(len(results))]] for row in rows])
    # the policy figures under a heading of their own (lines[0] is the header)
    lines.insert(1 + len(KPIS), "")
    lines.insert(2 + len(KPIS), "财政资金与企业" if lang == "zh_CN" else "Public money and firms")
    if risk:
        first = next(iter(risk.values()))
        at = len(lines) - len(RISK_KEYS)
        lines[at:at] = ["", risk_heading(first.draws, first.seed, lang)]
    lines.append("* = " + ("最优" if lang == "zh_CN" else "best in row"))
    return "\n".join(lines)
