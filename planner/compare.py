"""Scenarios side by side: each key figure across the scenarios, its best value, and each
scenario's difference from a baseline; plain data for the app's comparison view, the
slides and the report (``planner.report``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from planner.engine import ScenarioResult
from planner.kpis import KPIS, Kpi, best_index, format_value

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
                    lang: str = "en") -> list[ComparisonRow]:
    """The rows of ``planner.kpis.KPIS`` across ``results``, labelled in ``lang``.

    ``baseline`` is the column (or scenario name) the differences are taken from;
    None leaves every difference None.
    """
    if isinstance(baseline, str):
        names = [r.scenario.name for r in results]
        baseline = names.index(baseline) if baseline in names else None
    if baseline is not None and not 0 <= baseline < len(results):
        baseline = None
    rows = []
    for kpi in KPIS:
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
