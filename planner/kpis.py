"""The key figures of a scenario, named once for the CLI, the results workbook and the app."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from planner.engine import PARTIES, ScenarioResult


@dataclass(frozen=True)
class Kpi:
    key: str
    en: str
    zh: str
    value: Callable[[ScenarioResult], float | int | None]
    better: str  # "high", "low" or "" (no best)
    kind: str  # "amount", "share", "ratio", "year", "count"

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh_CN" else self.en


def _end(values: object) -> float | None:
    last = float(values[-1]) if len(values) else math.nan  # type: ignore[arg-type, index]
    return None if math.isnan(last) else last


_PARTY_ZH = {"core": "核心企业", "sme": "中小企业", "park": "园区运营方", "government": "政府"}
_PARTY_EN = {"core": "core", "sme": "SMEs", "park": "park operators", "government": "government"}


def _party_npv(party: str) -> Callable[[ScenarioResult], float]:
    return lambda r: r.party_npv(party)


KPIS: tuple[Kpi, ...] = (
    Kpi("npv", "NPV", "净现值", lambda r: r.npv, "high", "amount"),
    *(Kpi(f"npv_{p}", f"NPV, {_PARTY_EN[p]}", f"净现值（{_PARTY_ZH[p]}）", _party_npv(p), "high",
          "amount") for p in PARTIES),
    Kpi("bcr", "Benefit-cost ratio", "效益成本比", lambda r: r.bcr, "high", "ratio"),
    Kpi("payback_year", "Payback year", "回收年份", lambda r: r.payback_year, "low", "year"),
    Kpi("capex", "Capex", "投资", lambda r: float(r.capex.sum()), "", "amount"),
    Kpi("opex", "Opex", "运维费", lambda r: float(r.opex.sum()), "", "amount"),
    Kpi("subsidy", "Subsidy used", "补贴使用", lambda r: float(r.subsidy.sum()), "", "amount"),
    Kpi("cost", "Total cost", "总成本", lambda r: float(r.cost.sum()), "low", "amount"),
    Kpi("benefit", "Total benefit", "总效益", lambda r: float(r.benefit.sum()), "high", "amount"),
    Kpi("connected_share", "Connected share (end)", "平台接入率（期末）",
        lambda r: _end(r.connected_share), "high", "share"),
    Kpi("digitalised_share", "Digitalised share (end)", "数字化达标率（期末）",
        lambda r: _end(r.digitalised_share), "high", "share"),
    Kpi("link_coverage", "Link coverage (end)", "链接互联率（期末）",
        lambda r: _end(r.link_coverage), "high", "share"),
    Kpi("spend_coverage", "Spend coverage (end)", "交易额互联率（期末）",
        lambda r: _end(r.spend_coverage), "high", "share"),
    Kpi("islands", "Data islands (end)", "数据孤岛数（期末）",
        lambda r: int(r.islands[-1]) if len(r.islands) else None, "low", "count"),
)


def best_index(kpi: Kpi, values: list[float | int | None]) -> set[int]:
    """Which columns hold the best value of a row (ties all count; none if no rule)."""
    present = [v for v in values if v is not None]
    if not kpi.better or not present or len(set(present)) == 1:
        return set()
    target = max(present) if kpi.better == "high" else min(present)
    return {i for i, v in enumerate(values) if v == target}


def format_value(kpi_kind: str, value: float | int | None) -> str:
    if value is None:
        return "—"
    if kpi_kind == "share":
        return f"{value * 100:.1f}%"
    if kpi_kind == "ratio":
        return f"{value:.2f}"
    if kpi_kind in ("year", "count"):
        return str(int(value))
    return f"{value:,.1f}"
