"""The digital health check (数字化体检): score, level, gap, distribution, recommended projects.

The indicator set is data (``planner/data/miit_2024_manufacturing.json``), loaded and
scored item by item in ``models.indicators`` (models/ needs it for the Assessments
sheet and the maturity warning); this module turns an assessment into what a
consultant reads: points by dimension, the level 1–4 or no level (0), what holds it
back from the next level, the chain's level distribution and the catalogue projects
that fit, those that lift this firm towards its next level first.
docs/method.md ("Health check: scoring and levels") explains it to users.

Everything is deterministic: ties are broken by the indicator set's order or by id.

Benefit-to-cost ratio of a catalogue project for an enterprise (f = its size factor):
    annual benefit = benefit_rate·revenue + benefit_fixed·f
    annual cost    = capex·f / ANNUALISATION_YEARS + opex·f
    ratio          = annual benefit / annual cost      (None when annual cost is 0)
i.e. one live year's benefit over the capex spread straight-line over five years plus
one year's running cost. It ignores build time and discounting on purpose: it ranks
projects for one firm, the scenario evaluation prices them properly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter
from typing import Any

from models.assessments import latest_assessments
from models.background import give_way
from models.chain import Assessment, ChainModel, Enterprise, ProjectType
from models.indicators import (
    IndicatorSet,
    ScenarioSpec,
    default_indicator_set,
    load_indicator_set,
    maturity_of_level,
)
from models.schema import OWNERSHIPS, SIZES
from models.validation import Place, places

__all__ = ["ANNUALISATION_YEARS", "DISTRIBUTION_DIMENSIONS", "ChainHealth", "EnterpriseHealth",
           "Gap", "HealthResult", "ItemGap", "ProjectFit", "ScenarioGap", "assess",
           "assess_json", "distribution", "fitting_projects", "load_indicator_set", "score",
           "score_assessment"]

ANNUALISATION_YEARS = 5  # straight-line spread of capex in the ranking ratio
DISTRIBUTION_DIMENSIONS = ("position", "tier", "size", "ownership", "park")
LEVELS = (0, 1, 2, 3, 4)  # 0: no level (无等级)


@dataclass(frozen=True)
class ItemGap:
    """An item below its maximum: ``could_add`` more points are possible."""

    key: str
    name_zh: str
    name_en: str
    dimension: str
    points: float
    max: float

    @property
    def could_add(self) -> float:
        return self.max - self.points


@dataclass(frozen=True)
class ScenarioGap:
    """A business scenario to raise from ``current`` to ``target``."""

    key: str
    name_zh: str
    name_en: str
    constrained: bool
    current: int
    target: int
    target_zh: str  # what the target grade means for this scenario
    target_en: str


@dataclass(frozen=True)
class Gap:
    """What separates an assessment from ``next_level``.

    ``base_needed``: points still missing to the rule's base score (0 when met);
    ``items``: every item below its maximum, most points available first;
    ``scenarios_short`` / ``constrained_short``: how many more scenarios (constrained
    ones) must reach the rule's grade; ``scenarios``: the fewest raises that close
    both counts, highest current grade first (constrained first on a tie).
    """

    next_level: int
    min_base: float
    base_needed: float
    items: tuple[ItemGap, ...]
    scenario_grade: int
    scenarios_short: int
    constrained_short: int
    scenarios: tuple[ScenarioGap, ...]

    def as_list(self) -> list[dict[str, Any]]:
        """The gap as plain JSON records (the ``gap`` of ``assess --json``)."""
        out: list[dict[str, Any]] = []
        if self.base_needed > 0:
            out.append({"kind": "base", "next_level": self.next_level, "min": self.min_base,
                        "needed": self.base_needed})
        if self.scenarios_short or self.constrained_short:
            out.append({"kind": "scenario_count", "next_level": self.next_level,
                        "grade": self.scenario_grade, "needed": self.scenarios_short,
                        "constrained_needed": self.constrained_short})
        out += [{"kind": "item", "key": i.key, "name_zh": i.name_zh, "name_en": i.name_en,
                 "dimension": i.dimension, "points": i.points, "max": i.max,
                 "could_add": i.could_add} for i in self.items]
        out += [{"kind": "scenario", "key": s.key, "name_zh": s.name_zh, "name_en": s.name_en,
                 "constrained": s.constrained, "current": s.current, "target": s.target,
                 "target_zh": s.target_zh, "target_en": s.target_en}
                for s in self.scenarios]
        return out


@dataclass(frozen=True)
class HealthResult:
    """One assessment scored: points, level 1–4 or 0 (no level) and the gap (None at level 4)."""

    base_score: float
    by_dimension: dict[str, float]  # dimension key -> points
    by_group: dict[str, float]  # item group key -> points
    item_points: dict[str, float]  # item key -> points
    scenarios: dict[str, int]  # every scenario key -> grade 0–4 (unanswered: 0)
    level: int
    gap: Gap | None


def score(answers: Mapping[str, Any], scenarios: Mapping[str, int] | None = None,
          indicators: IndicatorSet | None = None) -> HealthResult:
    """Score canonical answers (``models.indicators``) and scenario grades."""
    ind = indicators or default_indicator_set()
    grades = {s.key: int((scenarios or {}).get(s.key, 0)) for s in ind.scenarios}
    points = ind.item_points(answers)
    by_dimension = {d.key: float(sum(points[i.key] for i in ind.items if i.dimension == d.key))
                    for d in ind.dimensions}
    by_group = {g.key: float(sum(points[i.key] for i in ind.items if i.group == g.key))
                for g in ind.groups}
    base = float(sum(points.values()))
    level = ind.level(base, grades)
    return HealthResult(base, by_dimension, by_group, points, grades, level,
                        _gap(ind, level, base, points, grades))


def score_assessment(assessment: Assessment, indicators: IndicatorSet | None = None
                     ) -> HealthResult:
    return score(assessment.answers, assessment.scenarios, indicators)


def _gap(ind: IndicatorSet, level: int, base: float, points: Mapping[str, float],
         grades: Mapping[str, int]) -> Gap | None:
    rule = ind.rule(level + 1)
    if rule is None:
        return None
    items = sorted((ItemGap(i.key, i.name_zh, i.name_en, i.dimension, points[i.key], i.max)
                    for i in ind.items if points[i.key] < i.max),
                   key=lambda g: -g.could_add)  # stable: the set's order breaks ties
    count, constrained = ind.counts(grades, rule.scenario_level)
    need_constrained = max(0, rule.min_constrained - constrained)
    need_total = max(0, rule.min_scenarios - count)
    order = {s.key: n for n, s in enumerate(ind.scenarios)}
    below = sorted((s for s in ind.scenarios if grades[s.key] < rule.scenario_level),
                   key=lambda s: (-grades[s.key], not s.constrained, order[s.key]))
    picked: list[ScenarioSpec] = [s for s in below if s.constrained][:need_constrained]
    rest = [s for s in below if s not in picked]
    picked += rest[:max(0, need_total - len(picked))]
    picked.sort(key=lambda s: (-grades[s.key], not s.constrained, order[s.key]))
    return Gap(rule.level, rule.min_base, max(0.0, rule.min_base - base), tuple(items),
               rule.scenario_level, need_total, need_constrained,
               tuple(ScenarioGap(s.key, s.name_zh, s.name_en, s.constrained, grades[s.key],
                                 rule.scenario_level, s.grade_text(rule.scenario_level, "zh_CN"),
                                 s.grade_text(rule.scenario_level, "en")) for s in picked))


# --- recommended projects --------------------------------------------------------------------

@dataclass(frozen=True)
class ProjectFit:
    """A catalogue project that fits an enterprise, with the ranking ratio (module doc).

    ``lifts``: the scenarios this firm is short of for its next level that the project
    raises to the grade that level needs (constrained ones first). ``needs``: the
    prerequisites (``requires``, recursively) not yet planned, which come with it: the
    benefit, cost and lifts are those of the whole bundle.
    """

    project: str
    name: str
    annual_benefit: float
    annual_cost: float
    ratio: float | None  # None when the annual cost is 0
    lifts: tuple[str, ...] = ()
    rank: tuple[Any, ...] = ()  # the sort key, best first (see ``fitting_projects``)
    needs: tuple[str, ...] = ()


def _ratio_rank(benefit: float, cost: float) -> tuple[int, float]:
    if cost <= 0:  # free: first if it brings anything, else last
        return (0 if benefit > 0 else 2, 0.0)
    return (1, -benefit / cost)


def _bundle(p: ProjectType, catalogue: Mapping[str, ProjectType], planned: set[str]
            ) -> list[ProjectType] | None:
    """``p`` with the prerequisites it still needs, prerequisites first (None: a broken chain)."""
    bundle = [p]
    while bundle[-1].requires and bundle[-1].requires not in planned:
        needed = catalogue.get(bundle[-1].requires)
        if needed is None or needed in bundle:
            return None
        bundle.append(needed)
    return bundle[::-1]


def _fit(model: ChainModel, e: Enterprise, bundle: list[ProjectType], years: float,
         ind: IndicatorSet, result: HealthResult | None) -> ProjectFit:
    f = model.settings.size_factor(e.size)
    p = bundle[-1]
    benefit = sum(q.benefit_rate * e.revenue + q.benefit_fixed * f for q in bundle)
    cost = sum(q.capex * f / years + q.opex * f for q in bundle)
    lifts: list[str] = []
    closes = (0, 0, 0)
    rule = ind.rule(result.level + 1) if result is not None else None
    if result is not None and rule is not None:
        grade, grades = rule.scenario_level, result.scenarios
        count, constrained = ind.counts(grades, grade)
        raised: dict[str, int] = {}
        for q in bundle:
            for key, value in q.raises:
                raised[key] = max(value, raised.get(key, 0))
        reaching = [s for s in ind.scenarios
                    if grades[s.key] < grade <= raised.get(s.key, 0)]
        lifts = [s.key for s in sorted(reaching, key=lambda s: not s.constrained)]
        closes = (min(max(0, rule.min_constrained - constrained),
                      sum(1 for s in reaching if s.constrained)),
                  min(max(0, rule.min_scenarios - count), len(reaching)),
                  sum(1 for s in ind.scenarios
                      if grades[s.key] < grade and raised.get(s.key, 0) > grades[s.key]))
    rank = (-closes[0], -closes[1], -closes[2], *_ratio_rank(benefit, cost), p.id)
    return ProjectFit(p.id, p.name, benefit, cost, benefit / cost if cost > 0 else None,
                      tuple(lifts), rank, tuple(q.id for q in bundle[:-1]))


def fitting_projects(model: ChainModel, enterprise: str, result: HealthResult | None = None,
                     scenario: str | None = None, years: float = ANNUALISATION_YEARS,
                     indicators: IndicatorSet | None = None) -> list[ProjectFit]:
    """Catalogue projects that fit ``enterprise``, best first.

    Fits (enterprise projects only, not park projects): its size is eligible and
    min_maturity ≤ its level (no level counts as 1;
    unassessed: its maturity), and so do the prerequisites (``requires``) not yet
    assigned to the enterprise in ``scenario``, which come with it as a bundle. Projects
    already assigned to it in ``scenario`` are left out (they are planned already).
    Order: what lifts this firm to its next level — the most constrained scenarios it
    is short of raised to the grade needed, then the most scenarios, then the most of
    its scenarios below that grade raised at all (``raises`` of the catalogue) — then
    the benefit-to-cost ratio, then the id.
    """
    ind = indicators or default_indicator_set()
    planned = {a.project for a in model.assignments
               if scenario is not None and a.scenario == scenario and a.enterprise == enterprise}
    return _fits(model, model.enterprise_index()[enterprise], planned, result, ind, years)


def _fits(model: ChainModel, e: Enterprise, planned: set[str], result: HealthResult | None,
          ind: IndicatorSet, years: float) -> list[ProjectFit]:
    level = maturity_of_level(result.level) if result is not None else e.maturity
    catalogue = {p.id: p for p in model.projects}
    fits = []
    for p in model.projects:
        if p.scope == "park":  # a park's, never a firm's own
            continue
        bundle = None if p.id in planned else _bundle(p, catalogue, planned)
        if bundle and all((not q.eligible_sizes or e.size in q.eligible_sizes)
                          and q.min_maturity <= level for q in bundle):
            fits.append(_fit(model, e, bundle, years, ind, result))
    return sorted(fits, key=lambda fit: fit.rank)


# --- the chain -----------------------------------------------------------------------------

@dataclass(frozen=True)
class EnterpriseHealth:
    enterprise: str
    name: str
    date: str  # of the latest assessment
    maturity: int  # as typed in Enterprises
    result: HealthResult
    fitting: tuple[ProjectFit, ...]


@dataclass(frozen=True)
class ChainHealth:
    version: str  # of the indicator set
    source: str
    enterprises: tuple[EnterpriseHealth, ...]  # assessed ones, in Enterprises order
    distribution: dict[str, Any]  # see ``distribution``


def distribution(model: ChainModel, levels: Mapping[str, int],
                 where: Mapping[str, Place] | None = None) -> dict[str, Any]:
    """Levels of the assessed enterprises, overall and by position, tier, size, ownership, park.

    ``{"assessed": n, "unassessed": m, "total": {"1": n1, …, "4": n4},
       "by": {"position": {"upstream": {"1": …, "4": …}, …}, "tier": {"1": {…}, "none": …}, …}}``
    Level keys are text so the dict is JSON as it stands; groups appear in a fixed order
    (sizes and ownerships as declared, tiers numerically, the rest alphabetically).
    """
    where = where if where is not None else places(model)
    assessed = [e for e in model.enterprises if e.id in levels]

    def label(e: Enterprise, dimension: str) -> str:
        if dimension == "position":
            return where[e.id].position
        if dimension == "tier":
            tier = where[e.id].tier
            return "none" if tier is None else str(tier)
        return str(getattr(e, dimension))

    def empty() -> dict[str, int]:
        return {str(level): 0 for level in LEVELS}

    order = {"position": ["core", "upstream", "downstream", "detached"], "size": list(SIZES),
             "ownership": list(OWNERSHIPS)}
    by: dict[str, dict[str, dict[str, int]]] = {}
    for dimension in DISTRIBUTION_DIMENSIONS:
        present = {label(e, dimension) for e in assessed}
        if dimension in order:
            labels = [v for v in order[dimension] if v in present]
        elif dimension == "tier":
            labels = sorted(present, key=lambda t: (t == "none", int(t) if t != "none" else 0))
        else:
            labels = sorted(present)
        groups = {g: empty() for g in labels}
        for e in assessed:
            groups[label(e, dimension)][str(levels[e.id])] += 1
        by[dimension] = groups
    total = empty()
    for e in assessed:
        total[str(levels[e.id])] += 1
    return {"assessed": len(assessed), "unassessed": len(model.enterprises) - len(assessed),
            "total": total, "by": by}


def assess(model: ChainModel, scenario: str | None = None,
           indicators: IndicatorSet | None = None,
           where: Mapping[str, Place] | None = None) -> ChainHealth:
    """The health check of every assessed enterprise (its latest assessment).

    ``scenario`` (a scenario name): projects planned there are left out of a firm's
    recommendations and meet the ``requires`` of others. ``where``: the enterprises'
    places, when the caller has worked them out already.
    """
    ind = indicators or default_indicator_set()
    latest = latest_assessments(model)
    planned: dict[str, set[str]] = {}
    if latest and scenario is not None:  # the scenario's rows picked in C: 300,000
        table = model.assignments       # assignments tested in Python took 0.4 s
        for a in compress(table, map(scenario.__eq__, map(attrgetter("scenario"), table))):
            if a.enterprise in latest:
                planned.setdefault(a.enterprise, set()).add(a.project)
    rows = []
    for e in model.enterprises:
        if e.id not in latest:
            continue
        give_way()  # (a firm's scoring is a fraction of a millisecond; thousands are not)
        assessment = latest[e.id][1]
        result = score_assessment(assessment, ind)
        fits = _fits(model, e, planned.get(e.id, set()), result, ind, ANNUALISATION_YEARS)
        rows.append(EnterpriseHealth(e.id, e.name, assessment.date, e.maturity, result,
                                     tuple(fits)))
    levels = {row.enterprise: row.result.level for row in rows}
    return ChainHealth(ind.version, ind.source, tuple(rows), distribution(model, levels, where))


def _enterprise_json(row: EnterpriseHealth) -> dict[str, Any]:
    r = row.result
    return {"id": row.enterprise, "name": row.name, "date": row.date, "level": r.level,
            "maturity": row.maturity, "score": r.base_score, "by_dimension": dict(r.by_dimension),
            "by_group": dict(r.by_group),
            "items": dict(r.item_points), "scenarios": dict(r.scenarios),
            "next_level": r.gap.next_level if r.gap else None,
            "gap": r.gap.as_list() if r.gap else [],
            "fitting_projects": [{"id": f.project, "name": f.name, "ratio": f.ratio,
                                  "annual_benefit": f.annual_benefit,
                                  "annual_cost": f.annual_cost, "lifts": list(f.lifts),
                                  "needs": list(f.needs)}
                                 for f in row.fitting]}


def assess_json(model: ChainModel, scenario: str | None = None,
                indicators: IndicatorSet | None = None) -> dict[str, Any]:
    """``{"indicator_set": {…}, "enterprises": [...], "distribution": {...}}``; level 0 = no level."""
    health = assess(model, scenario, indicators)
    return {"indicator_set": {"version": health.version, "source": health.source},
            "scenario": scenario,
            "enterprises": [_enterprise_json(row) for row in health.enterprises],
            "distribution": health.distribution}
