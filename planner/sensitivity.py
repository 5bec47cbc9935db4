"""The tornado: the NPV when one input moves by ±F, the others unchanged (docs/method.md,
“Sensitivity”).

Every row is two exact, deterministic re-evaluations of the scenario on a copy of the
model with one input scaled; the model itself is never changed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from models.chain import ChainModel, ProjectType, Scenario
from models.schema import SIZES
from planner.engine import (
    ScenarioResult,
    assigned,
    evaluate_scenario,
    evaluation,
    park_assigned,
)

SUBSIDY_RATES = (*("subsidy_" + size for size in SIZES), "opex_subsidy")


@dataclass(frozen=True)
class Row:
    parameter: str  # discount_rate, link_benefit_rate, subsidy_rates, <project id>.capex …
    low: float  # the input's value at 1 − F (a multiplier for subsidy_rates and .benefit)
    high: float
    npv_low: float
    npv_high: float
    npv_sme_low: float
    npv_sme_high: float

    def json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Tornado:
    scenario: str
    npv: float
    npv_sme: float
    rows: list[Row]

    def json(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "npv": self.npv,
                "rows": [row.json() for row in self.rows]}


def _scaled_scenario(scenario: Scenario, fields: tuple[str, ...], factor: float) -> Scenario:
    return dataclasses.replace(scenario, **{f: getattr(scenario, f) * factor for f in fields})


def _scaled_project(project: ProjectType, fields: tuple[str, ...], factor: float
                    ) -> ProjectType:
    return dataclasses.replace(project, **{f: getattr(project, f) * factor for f in fields})


def used_projects(model: ChainModel, scenario: str) -> list[ProjectType]:
    """The catalogue's projects that an enterprise or park assignment of ``scenario`` uses."""
    used = {a.project for a in model.assignments if a.scenario == scenario}
    used |= {b.project for b in model.park_assignments if b.scenario == scenario}
    return [p for p in model.projects if p.id in used]


def tornado(model: ChainModel, scenario_name: str, swing: float = 0.2,
            evaluated: ScenarioResult | None = None) -> Tornado:
    """Each input at 1 − ``swing`` and 1 + ``swing``; rows by the NPV's swing, largest first.
    ``evaluated``: the scenario's evaluation of this very model, when the caller has it."""
    scenario = model.scenario(scenario_name)
    if scenario is None:
        raise KeyError(scenario_name)
    arrays, base = evaluation(model, scenario, evaluated)
    # the same assignments in every run (a project's figures change, never its place)
    picked, park_picked = assigned(arrays, scenario_name), park_assigned(arrays, scenario_name)

    def npvs(changed_scenario: Scenario, projects: list[ProjectType] | None) -> tuple[float, float]:
        if projects is None:
            result = evaluate_scenario(arrays, changed_scenario, detail=False, picked=picked,
                                       park_picked=park_picked)
        else:
            copy = dataclasses.replace(model, projects=projects)
            result = evaluate_scenario(arrays.with_projects(copy), changed_scenario,
                                       detail=False, picked=picked, park_picked=park_picked)
        return result.npv, result.party_npv("sme")

    def run(k: float, fields: tuple[str, ...] = (), at: int | None = None,
            project_fields: tuple[str, ...] = ()) -> tuple[float, float]:
        """The NPVs with the scenario's ``fields`` or project ``at``'s fields times k."""
        projects = None
        if at is not None:
            projects = list(model.projects)
            projects[at] = _scaled_project(projects[at], project_fields, k)
        return npvs(_scaled_scenario(scenario, fields, k), projects)

    # (parameter, low value, high value, what changes)
    inputs: list[tuple[str, float, float, dict[str, Any]]] = [
        (name, getattr(scenario, name) * (1 - swing), getattr(scenario, name) * (1 + swing),
         {"fields": (name,)}) for name in ("discount_rate", "link_benefit_rate")]
    inputs.append(("subsidy_rates", 1 - swing, 1 + swing, {"fields": SUBSIDY_RATES}))
    for project in used_projects(model, scenario_name):
        at = model.projects.index(project)
        for name in ("capex", "opex"):
            value = getattr(project, name)
            inputs.append((f"{project.id}.{name}", value * (1 - swing), value * (1 + swing),
                           {"at": at, "project_fields": (name,)}))
        inputs.append((f"{project.id}.benefit", 1 - swing, 1 + swing,
                       {"at": at, "project_fields": ("benefit_rate", "benefit_fixed")}))
    rows = []
    for parameter, low, high, change in inputs:
        npv_low, sme_low = run(1 - swing, **change)
        npv_high, sme_high = run(1 + swing, **change)
        rows.append(Row(parameter, low, high, npv_low, npv_high, sme_low, sme_high))
    # stable: ties keep the listing order
    rows.sort(key=lambda r: (-abs(r.npv_high - r.npv_low), -abs(r.npv_sme_high - r.npv_sme_low)))
    return Tornado(scenario_name, base.npv, base.party_npv("sme"), rows)
