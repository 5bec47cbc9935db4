"""Evaluation results as text tables (CLI) and as results sheets of a workbook."""

from __future__ import annotations

import unicodedata
from typing import Any

from models.workbook import ExtraSheet
from planner.engine import GROUP_DIMENSIONS, PARTIES, ScenarioResult, none_if_nan
from planner.kpis import KPIS, format_value

_YEAR_COLUMNS = (
    ("year", "年份"), ("capex", "投资"), ("opex", "运维费"), ("subsidy", "补贴"), ("cost", "成本"),
    ("benefit", "效益"), ("net", "净效益"), ("cumulative_net", "累计净效益"),
    ("connected_share", "平台接入率"), ("digitalised_share", "数字化达标率"),
    ("link_coverage", "链接互联率"), ("spend_coverage", "交易额互联率"), ("islands", "数据孤岛"))
_SHARES = {"connected_share", "digitalised_share", "link_coverage", "spend_coverage"}
_PARTY_NAMES = {"core": ("core", "核心企业"), "sme": ("SMEs", "中小企业"),
                "park": ("park operators", "园区运营方"), "government": ("government", "政府")}
_DIMENSION_NAMES = {"position": "位置", "tier": "层级", "position_tier": "位置与层级",
                    "size": "规模", "ownership": "所有制", "park": "园区"}


def _width(text: str) -> int:
    """Columns a text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, left: bool = False) -> str:
    space = " " * max(0, width - _width(text))
    return text + space if left else space + text


def _table(header: list[str], rows: list[list[str]], indent: str = "") -> list[str]:
    """Right-aligned columns (the first left-aligned), each as wide as its widest cell."""
    widths = [max(_width(c) for c in column) + 2 for column in zip(header, *rows, strict=True)]
    return [indent + "".join(_pad(c, w, left=(i == 0)) for i, (c, w) in
                             enumerate(zip(line, widths, strict=True)))
            for line in [header, *rows]]


def year_rows(result: ScenarioResult) -> list[list[Any]]:
    columns = [result.years, result.capex, result.opex, result.subsidy, result.cost,
               result.benefit, result.net, result.cumulative, result.connected_share,
               result.digitalised_share, result.link_coverage, result.spend_coverage,
               result.islands]
    return [[none_if_nan(c[i].item()) for c in columns] for i in range(len(result.years))]


def text_report(result: ScenarioResult, lang: str) -> str:
    """One scenario as a readable block: KPIs, then the figures of each year."""
    zh = lang == "zh_CN"
    lines = [f"{'情景' if zh else 'Scenario'}: {result.scenario.name}"]
    lines += _table(["", ""], [[k.label(lang), format_value(k.kind, k.value(result))]
                               for k in KPIS], "  ")[1:]
    headers = [zh_name if zh else name for name, zh_name in _YEAR_COLUMNS]
    rows = []
    for row in year_rows(result):
        cells = []
        for (name, _), value in zip(_YEAR_COLUMNS, row, strict=True):
            kind = "share" if name in _SHARES else "year" if name in ("year", "islands") \
                else "amount"
            cells.append(format_value(kind, value))
        rows.append(cells)
    lines += ["", *_table(headers, rows, "  ")]
    lines += ["  " + warning for warning in result.warnings]
    return "\n".join(lines)


def result_sheets(results: list[ScenarioResult], lang: str) -> list[ExtraSheet]:
    """Results sheets for a workbook, long format (a scenario column), ignored on import."""
    zh = lang == "zh_CN"
    scenario = "情景" if zh else "scenario"
    kpi_rows = [[r.scenario.name] + [k.value(r) for k in KPIS] for r in results]
    kpis = ExtraSheet("结果 关键指标" if zh else "Results KPIs",
                      [scenario] + [k.label(lang) for k in KPIS], kpi_rows,
                      frozenset(i + 1 for i, k in enumerate(KPIS) if k.kind == "share"))
    year_header = [scenario] + [z if zh else n for n, z in _YEAR_COLUMNS]
    by_year = ExtraSheet("结果 按年" if zh else "Results by year", year_header,
                         [[r.scenario.name, *row] for r in results for row in year_rows(r)],
                         frozenset(i + 1 for i, (n, _) in enumerate(_YEAR_COLUMNS)
                                   if n in _SHARES))
    party_header = [scenario, "参与方" if zh else "party", "成本" if zh else "cost",
                    "效益" if zh else "benefit", "净现值" if zh else "npv"]
    by_party = ExtraSheet("结果 按参与方" if zh else "Results by party", party_header,
                          [[r.scenario.name, _PARTY_NAMES[p][zh], float(r.party_cost[p].sum()),
                            float(r.party_benefit[p].sum()), r.party_npv(p)]
                           for r in results for p in PARTIES])
    group_header = [scenario, "维度" if zh else "dimension", "分组" if zh else "group",
                    "年份" if zh else "year", "企业数" if zh else "enterprises",
                    "平台接入率" if zh else "connected_share",
                    "数字化达标率" if zh else "digitalised_share"]
    group_rows = []
    for r in results:
        for dimension in GROUP_DIMENSIONS:
            for group, metrics in r.by_group[dimension].items():
                for i, year in enumerate(r.years):
                    group_rows.append([
                        r.scenario.name, _DIMENSION_NAMES[dimension] if zh else dimension, group,
                        int(year), int(metrics["enterprises"][i]),
                        none_if_nan(float(metrics["connected_share"][i])),
                        none_if_nan(float(metrics["digitalised_share"][i]))])
    coverage = ExtraSheet("结果 覆盖率" if zh else "Results coverage", group_header, group_rows,
                          frozenset({5, 6}))
    return [kpis, by_year, by_party, coverage]
