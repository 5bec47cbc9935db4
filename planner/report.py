"""The consultant's report as content: sections, paragraphs, tables, the figures' data
series and labels, the chain picture's geometry, all plain Python in one language.

``build_report(model, lang)`` validates and evaluates the model itself (the command
line); the app passes the results of its published analysis instead, so the report
says exactly what the app shows. Painting it is the app's business
(``ui/report_pdf.py``); nothing here needs Qt, and every text is in ``lang``.

What is in it, in order: a title page (headline figures of every scenario, the
contents), the chain (who is in it, by position, tier, size, level and park), the
chain picture on a page of its own, each scenario (terms, key figures, eight charts,
its policy — the instruments in plain words, public money by instrument and year, the
per-firm figures, the park projects with their cost split and members — and its
assignments summarised by project and by position and tier; how sure its numbers are: a
seeded simulation's NPV histogram with P5/P50/P95, the connected share's fan, the
tornado's largest swings, participation by awareness, and two sentences in plain
words), the scenario comparison
(with what each figure means), the assumptions (method, catalogue, sources, rules, settings), and an
appendix with every assignment.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from models.chain import ChainModel, Enterprise, Scenario
from models.problems import Problem
from models.schema import CATEGORIES, OWNERSHIPS, SIZES
from models.validation import Place, places, validate
from planner.compare import (
    INSTRUMENTS,
    comparison_rows,
    definition,
    format_difference,
    policy_figures,
    policy_kpis,
)
from planner.engine import ChainArrays, ScenarioResult, evaluate
from planner.kpis import KPIS, format_value
from planner.layout import layered
from planner.names import shown_name

MEMBERS_LISTED = 24  # member firms named under the park projects (then: "and N more")
APPENDIX_ROWS = 3000  # assignments listed per scenario in the appendix (then: see the workbook)
LABELLED_NODES = 400  # the chain picture names its enterprises up to this many
RISK_DRAWS = 1000  # simulated draws per scenario in the risk section (seed RISK_SEED)
RISK_SEED = 0
RISK_SWING = 0.2  # the tornado's ±20 %, as in the app's Risk tab
TORNADO_ROWS = 8  # the tornado's largest swings shown
HISTOGRAM_BINS = 20


class ReportError(ValueError):
    """The model cannot be reported on (it has errors); the text says what to fix."""


# --- content ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # body, note (small, grey), muted (grey), lead (larger), title, kicker


@dataclass(frozen=True)
class Heading:
    """A heading; level 1 starts a chapter on a new page and is listed in the contents."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Cell:
    text: str
    bold: bool = False
    best: bool = False  # the best value of its row or column: bold on a shaded background


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]  # a "\n" in a heading is a line break
    rows: tuple[tuple[Cell, ...], ...]
    align: str  # one letter per column: l(eft), r(ight), c(entre)
    widths: tuple[float, ...]  # relative column widths
    small: bool = False  # smaller type (wide tables, the appendix)
    ruled: bool = True  # borders and a shaded heading; False: a plain list


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # one per category; None: no value
    colour: str  # a colour role the painter knows: cost, benefit, net, core, sme, …, series0…
    kind: str = "bar"  # bar, stack (stacked bars), line or band (shaded from values to upper)
    dash: int = 0  # line style: 0 solid, 1 dashed, 2 dotted, 3 dash-dot
    upper: tuple[float | None, ...] = ()  # a band's upper edge, one per category


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    categories: tuple[str, ...]  # years or group names, left to right (top to bottom across)
    series: tuple[Series, ...]
    axis: str  # the value axis' title: the amount unit, "%" or what is counted
    kind: str  # amount, percent or count (counts get whole-number ticks)
    horizontal: bool = False  # bars across, long category names on the left
    marker: tuple[int, str] | None = None  # (category index, label), e.g. the payback year
    # more marked places: (position in categories, fractions allowed, label), e.g. P5/P50/P95
    markers: tuple[tuple[float, str], ...] = ()


@dataclass(frozen=True)
class Figures:
    """Charts in a grid, ``columns`` to a row."""

    charts: tuple[Chart, ...]
    columns: int = 2


@dataclass(frozen=True)
class Node:
    label: str
    x: float
    y: float
    size: str  # micro, small, medium, large
    role: str
    connected: bool  # on the data platform at the end of the scenario shown
    reached: bool  # at or above the scenario's target level at its end
    level: int  # digital level at the end


@dataclass(frozen=True)
class Edge:
    source: int  # node index
    target: int
    weight: int  # 0–3: trade value quartile
    connected: bool  # data-connected at the end of the scenario shown


@dataclass(frozen=True)
class Band:
    """A park group in a column: its rectangle and name."""

    left: float
    top: float
    right: float
    bottom: float
    label: str


@dataclass(frozen=True)
class ChainPicture:
    """The chain drawn on a page of its own, in layout coordinates (y down)."""

    title: str
    caption: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    columns: tuple[tuple[float, float, float, str], ...]  # (left, right, top, heading)
    bands: tuple[Band, ...]
    legend: tuple[tuple[str, str, str], ...]  # (kind, key, text): how to read the picture
    labelled: bool  # names are drawn (not for a very large chain)


@dataclass(frozen=True)
class Contents:
    """The chapters and their pages (the painter knows the pages)."""

    title: str


Block = Paragraph | Heading | Table | Figures | ChainPicture | Contents


@dataclass
class Report:
    lang: str
    title: str  # the model's name: the PDF's title and every page's footer
    page_text: str  # "Page {0} of {1}" in the report's language
    blocks: list[Block] = field(default_factory=list)

    def chapters(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Heading) and b.level == 1]

    def text(self) -> str:
        """Every word of the report, in order (for tests and search)."""
        parts: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph | Heading):
                parts.append(block.text)
            elif isinstance(block, Table):
                parts.append(" ".join(block.header))
                parts += [" ".join(c.text for c in row) for row in block.rows]
            elif isinstance(block, Figures):
                for chart in block.charts:
                    parts.append(chart.title)
                    parts += [s.name for s in chart.series]
            elif isinstance(block, ChainPicture):
                parts += [block.title, block.caption]
        return "\n".join(parts)


# --- words -----------------------------------------------------------------------------------
_ZH = {
    "Chain digitalisation plan": "产业链数字化转型规划", "Report of {0}": "报告日期：{0}",
    "{0} enterprises · {1} links · {2} projects in the catalogue · {3} scenarios":
        "{0} 家企业 · {1} 条链接 · 项目目录 {2} 项 · {3} 个情景",
    "Scenarios": "情景", "At a glance": "概览", "Contents": "目录", "Scenario": "情景",
    "Amounts in {0}. Bold on a shaded background: the best value in the column.":
        "金额单位：{0}。底纹粗体：该列最优值。",
    "Page {0} of {1}": "第 {0} 页，共 {1} 页",
    "The model has {0} errors; fix them before writing a report.":
        "模型有 {0} 个错误，请先修正再生成报告。",
    "The model has no scenario yet.": "模型中还没有情景。",
    # the chain
    "The chain": "产业链概况",
    "Core enterprise: {0}. {1} other enterprises in {2} industrial parks, {3} supply links "
    "with a yearly trade value of {4} {5}; {6} enterprises and {7} links exchange data "
    "digitally at the start.":
        "核心企业：{0}。另有 {1} 家企业，分布在 {2} 个产业园区；{3} 条供应关系，年交易额 {4} {5}；"
        "规划开始时已有 {6} 家企业接入数据平台、{7} 条链接实现数据互联。",
    "Enterprises by position, tier and size": "按位置、层级与规模的企业数",
    "Position": "位置", "Total": "合计", "Digital levels at the start": "期初数字化水平",
    "Digital level": "数字化水平", "Enterprises": "企业", "Share": "占比", "Level {0}": "{0} 级",
    "Enterprises other than the core, by digital level at the start of the plan.":
        "核心企业以外的企业在规划开始时的数字化水平分布。",
    "Enterprises by industrial park": "按产业园区的企业数", "Park": "园区", "No park": "无园区",
    "On the platform\nat the start": "期初已接入平台", "Mean digital\nlevel": "平均数字化水平",
    "Revenue ({0})": "营业收入（{0}）",
    "Core enterprise": "核心企业", "Detached": "未连接", "Upstream tier {0}": "上游第 {0} 层",
    "Downstream tier {0}": "下游第 {0} 层",
    # the chain picture
    "The chain at a glance": "产业链全景",
    "The chain, by position and tier: scenario {0} at the end of {1}.":
        "产业链全景，按位置与层级排列：情景 {0}，{1} 年末。",
    "The chain, by position and tier.": "产业链全景，按位置与层级排列。",
    "Supplier": "供应商", "Distributor": "经销商", "Customer": "客户", "Service partner": "服务商",
    "On the data platform": "已接入数据平台", "Not yet on the platform": "尚未接入数据平台",
    "Reached the target level": "达到目标水平", "Data-connected link": "已数据互联链接",
    "Not yet connected": "尚未互联", "Width: annual trade value": "线宽：年交易额",
    "Node size: enterprise size": "节点大小：企业规模",
    "{0} enterprises: too many to name; the tables name them.":
        "共 {0} 家企业，无法逐一标注名称；名称见各表。",
    "Upstream": "上游", "Downstream": "下游",
    # a scenario
    "Scenario: {0}": "情景：{0}",
    "Years {0}–{1} · discount rate {2} · subsidy micro/small/medium/large {3}/{4}/{5}/{6}, "
    "cap {7} · link benefit rate {8} · target level {9}":
        "年份 {0}–{1} · 折现率 {2} · 微型/小型/中型/大型企业补贴 {3}/{4}/{5}/{6}，上限 {7} · "
        "链接效益率 {8} · 目标水平 {9} 级",
    "none": "无", "Key figures: {0}": "关键指标：{0}", "Key figure": "指标", "Value": "数值",
    "Amounts in {0}; shares and data islands at the end of the horizon.":
        "金额单位：{0}；比例与数据孤岛数为期末值。",
    "Charts: {0}": "图表：{0}", "Assignments: {0}": "项目分配：{0}",
    "No project is assigned in this scenario.": "本情景未分配任何项目。",
    "By project": "按项目", "By position and tier": "按位置与层级",
    "Id": "编号", "Project": "项目", "Assignments": "项目分配", "Enterprises\nreached":
        "覆盖企业", "Capex": "投资", "Subsidy": "补贴", "Start years": "开始年份",
    "In {0}. Capex is the project's capex times the enterprise's size factor; totals count "
    "the assignments that start inside the horizon. Every assignment is listed in the "
    "appendix.":
        "金额单位：{0}。投资为项目投资乘以企业规模系数；合计只计开始年在规划年限内的分配。"
        "每项分配的明细见附录。",
    "Warnings ({0})": "警告（{0}）",
    # charts
    "Cost and benefit by year": "逐年成本与效益", "Cost": "成本", "Benefit": "效益",
    "Cumulative net": "累计净效益", "Payback {0}": "回收期 {0}", "Cost by party": "各方成本",
    "SMEs": "中小企业", "Government": "政府", "Coverage over time": "覆盖率变化",
    "Connected share": "平台接入率", "Digitalised share": "数字化达标率",
    "Link coverage": "链接互联率", "Spend coverage": "交易额互联率", "Data islands": "数据孤岛",
    "islands": "个", "Coverage by position and tier, {0}": "按位置与层级的覆盖率（{0} 年）",
    "Coverage by park, {0}": "按园区的覆盖率（{0} 年）",
    "Coverage by size, {0}": "按规模的覆盖率（{0} 年）",
    "Digital level: start and end": "数字化水平：期初与期末", "enterprises": "家企业",
    "Start {0}": "期初 {0}", "End {0}": "期末 {0}", "U{0}": "上{0}", "D{0}": "下{0}",
    # a scenario's policy
    "Policy: {0}": "政策：{0}", "Public money by instrument and year": "按政策工具与年份的财政资金",
    "Year": "年份", "In {0}, in the year the government pays it; present value {1}.":
        "金额单位：{0}，计入政府实际支付的年份；现值 {1}。",
    "The government pays nothing in this scenario.": "本情景中政府没有支出。",
    "Public money by instrument": "按政策工具的财政资金", "SMEs by payback year": "中小企业按回收年份",
    "Not within": "未回收", "Per-firm figures": "每家企业的指标",
    "SMEs with a project": "有项目的中小企业数",
    "Amounts in {0}. What each figure means: see the scenario comparison.":
        "金额单位：{0}。各指标含义见“情景比较”一章。",
    "Park projects": "园区项目", "Start\nyear": "开始年", "Cost in\nhorizon": "期内费用",
    "Core": "核心企业", "Park\noperator": "园区运营方", "Members": "成员企业",
    "In {0}. Cost in the horizon: capex if the project starts inside it, and opex in every "
    "year it is live; split by the shares of the park assignment.":
        "金额单位：{0}。期内费用：项目在规划期内开始时的投资，加上线后各年运维费；按园区项目分配的"
        "分担比例拆分。",
    "Members of {0} ({1}): {2}": "{0}的成员企业（{1} 家）：{2}", " and {0} more": " 等另外 {0} 家",
    "Park operators": "园区运营方",
    # comparison
    "What the figures mean": "指标含义", "Meaning": "含义",
    "Scenario comparison": "情景比较", "Key figures of every scenario": "各情景关键指标",
    "Bold on a shaded background: the best value in the row. Amounts in {0}.":
        "底纹粗体：该行最优值。金额单位：{0}。",
    "Difference from {0}": "与 {0} 的差值",
    "Each scenario minus {0}; shares in percentage points.": "各情景减去 {0}；比例差以百分点计。",
    "Scenarios over time": "各情景逐年变化",
    "Cumulative net benefit by scenario": "各情景累计净效益",
    "Connected share by scenario": "各情景平台接入率",
    # assumptions
    "Assumptions": "假设与依据", "How the numbers are worked out": "计算方法",
    "Each assignment starts a project on an enterprise in a year. Its capex, opex and fixed "
    "benefit are the catalogue's figures for a small enterprise times the enterprise's size "
    "factor; its benefit also includes a share of the enterprise's revenue. Capex is spent in "
    "the start year; opex and benefit count in every year from go-live (start year plus "
    "duration).":
        "每项分配表示某企业在某年开始实施一个项目。其投资、运维费和固定效益等于项目目录中小型企业的"
        "数值乘以企业规模系数；效益还包括按企业营业收入比例计算的部分。投资计入开始年；运维费和效益"
        "自上线年（开始年加工期）起逐年计入。",
    "The government pays the scenario's subsidy share of capex by enterprise size, up to the "
    "cap per enterprise. Of the rest, the core enterprise pays the assignment's core share. A "
    "link between two enterprises that are both on the data platform is data-connected; a "
    "newly connected link saves the scenario's link benefit rate of its trade value every "
    "year.":
        "政府按企业规模承担情景规定比例的投资补贴，每家企业不超过补贴上限；其余部分由核心企业按分配"
        "中的分担比例承担。两家企业都接入数据平台后，其间链接即实现数据互联；新互联的链接每年按情景"
        "的链接效益率节约其交易额的相应比例。",
    "Net benefit is benefit minus cost (the subsidy included); NPV discounts each year to the "
    "scenario's first year; the payback year is the first year in which the cumulative net "
    "benefit is back at zero or above. Coverage shares count the enterprises other than the "
    "core.":
        "净效益为效益减成本（含补贴）；净现值将各年折现到情景起始年；回收年份为累计净效益回到零或"
        "以上的第一年。各覆盖率只统计核心企业以外的企业。",
    "Policy instruments. A grant claim arises when the capex is spent; with a level condition "
    "(事后奖补) it is paid in the first year the firm is at that level, and never if it does not "
    "get there within the horizon; the cap counts grants in the order they are paid. A "
    "running-cost subsidy pays a share of an eligible SME's opex in its first years after "
    "go-live. A loan pays part of an SME's own capex at once and is repaid in equal yearly "
    "instalments (those due after the horizon in its last year); the government pays its share "
    "of the interest. Tax relief returns a share of a firm's own digital spending. Park projects "
    "are paid by the government, the core and the park operator by their shares, and benefit, "
    "lift and connect every member firm.":
        "政策工具。投资补贴在投资发生时产生；设有达标条件（事后奖补）时，在企业首次达到该水平的年份"
        "发放，规划期内未达标则不发放；补贴上限按发放顺序累计。运维补贴按比例承担符合条件的中小企业"
        "上线后前几年的运维费。贷款即时支付中小企业自付投资的一部分，按年等额还款（规划期后到期的"
        "部分计入最后一年），政府按贴息比例承担利息。税收减免按企业自身数字化支出的一定比例返还。"
        "园区项目由政府、核心企业与园区运营方按分担比例支付，其效益、水平提升与平台接入惠及每家"
        "成员企业。",
    "Project catalogue": "项目目录", "Name": "名称", "Category": "类别",
    "Opex\n/ year": "年运维费", "Years": "年份", "Benefit\nrate": "效益率",
    "Fixed\nbenefit": "固定效益", "Level\ngain": "水平提升", "Platform": "接入平台",
    "Conditions": "条件", "yes": "是", "level {0}+": "需 {0} 级以上", "after {0}": "需先上线 {0}",
    "Figures for a small enterprise, in {0}; years from start to go-live.":
        "小型企业的数值，金额单位：{0}；工期为开始到上线的年数。",
    "Sources": "数据来源", "Source of the figures": "数据来源", "Scenario rules": "情景规则",
    "Discount\nrate": "折现率", "Subsidy\n{0}": "{0}\n补贴", "Subsidy cap\n({0})": "补贴上限\n（{0}）",
    "no cap": "不设上限", "Link\nbenefit rate": "链接效益率", "Target\nlevel": "目标水平",
    "Settings": "设置", "Setting": "设置项", "Model name": "模型名称", "Currency": "币种",
    "Amount unit": "金额单位", "Size factor, {0}": "规模系数（{0}）",
    # appendix
    # how sure
    "How sure: {0}": "不确定性：{0}",
    "Each of the {0} draws (seed {1}) picks which SMEs take part, by the scenario's "
    "participation rates for their awareness, and each project's benefit from its range; the "
    "tornado moves one input by ±{2} with the others as planned. Amounts in {3}.":
        "{0} 次模拟抽样（种子 {1}）中，每次按情景中各认知程度的参与率决定哪些中小企业参与，并在"
        "各项目效益范围内抽取效益；龙卷风图每次只将一个输入变动 ±{2}，其余按计划。金额单位：{3}。",
    "The simulation has no draws.": "模拟没有抽样。",
    "Every one of the {0} simulated draws gives the same NPV, {1} {2}: no SME's participation "
    "and no benefit in this scenario is uncertain.":
        "{0} 次模拟抽样的净现值都相同，为 {1} {2}：本情景中没有不确定的企业参与或效益。",
    "In 90 % of {0} simulated draws the NPV lies between {1} and {2} {3} (the plan's is {4}, "
    "the middle draw's {5}); the chance of a loss is {6}.":
        "在 {0} 次模拟抽样中，90% 的净现值介于 {1} 与 {2} {3}之间（计划值为 {4}，中位抽样为 "
        "{5}）；亏损的概率为 {6}。",
    "No single input moves the NPV by ±{0}.": "没有任何单项输入变动 ±{0} 会改变净现值。",
    "The biggest single uncertainty is {0}: ±{1} moves the NPV between {2} and {3}.":
        "最大的单项不确定因素是{0}：变动 ±{1} 时，净现值在 {2} 至 {3} 之间。",
    "Discount rate": "折现率", "Link benefit rate": "链接效益率",
    "Subsidy rates (all together)": "补贴率（全部一起）",
    "{0}: capex": "{0}：投资", "{0}: opex": "{0}：运维费", "{0}: benefit": "{0}：效益",
    "NPV over {0} draws": "{0} 次抽样的净现值", "Draws": "抽样次数", "draws": "次",
    "P5–P95": "P5–P95", "Median draw": "中位抽样", "Plan": "计划",
    "Connected share: P5–P95 of the draws": "接入占比：抽样的 P5–P95",
    "NPV when one input moves by ±{0}": "单项输入变动 ±{0} 时的净现值",
    "Input −{0}": "输入 −{0}", "Input +{0}": "输入 +{0}",
    "change of the NPV, {0}": "净现值变化（{0}）",
    "Taking part, by awareness at the start": "按期初认知程度的参与情况",
    "Very familiar": "非常了解", "Aware": "了解", "Heard of": "听说过", "Unaware": "不了解",
    "{0} ({1} assignments)": "{0}（{1} 项分配）",
    "Rate set in the scenario": "情景设定的参与率", "Took part (simulated)": "实际参与（模拟）",
    "Appendix: every assignment": "附录：分配明细", "Enterprise": "企业", "Start year": "开始年",
    "Core share": "核心企业分担",
    "The first {0} of {1} assignments, by start year; the model's workbook lists them all.":
        "按开始年列出 {1} 项分配中的前 {0} 项；全部分配见模型工作簿。",
}


def text(lang: str, english: str, *args: object) -> str:
    """``english`` in ``lang`` (the English text is the key), filled with ``args``."""
    template = _ZH.get(english, english) if lang == "zh_CN" else english
    return template.format(*args) if args else template


def amount_unit(model: ChainModel, lang: str) -> str:
    settings = model.settings
    if settings.amount_unit == "10k" and settings.currency == "CNY":
        return "万元" if lang == "zh_CN" else "10k CNY"
    return f"{settings.amount_unit} {settings.currency}".strip()


def _size(size: str, lang: str) -> str:
    return SIZES.get(size, size) if lang == "zh_CN" else size


def _category(category: str, lang: str) -> str:
    return CATEGORIES.get(category, category) if lang == "zh_CN" else category


def place_name(position: str, tier: int | None, lang: str) -> str:
    if position == "core":
        return text(lang, "Core enterprise")
    if position == "detached":
        return text(lang, "Detached")
    return text(lang, "Upstream tier {0}" if position == "upstream" else "Downstream tier {0}",
                tier)


def group_label(dimension: str, group: str, lang: str) -> str:
    """A coverage group's name on a chart axis (short for positions and tiers)."""
    if dimension == "position_tier":
        position, _, tier = group.partition(" ")
        if position == "detached":
            return text(lang, "Detached")
        return text(lang, "U{0}" if position == "upstream" else "D{0}", tier)
    if dimension == "size":
        return _size(group, lang)
    if dimension == "park":
        return shown_name(group, lang) if group else text(lang, "No park")
    return group


def _cells(values: Iterable[str]) -> tuple[Cell, ...]:
    return tuple(Cell(v) for v in values)


def _bold(values: Iterable[str]) -> tuple[Cell, ...]:
    return tuple(Cell(v, bold=True) for v in values)


def _optional(value: float) -> float | None:
    return None if math.isnan(value) else value


def nice_step_of(span: float) -> float:
    """The smallest round step (1, 2 or 5 times a power of ten) of at least ``span``."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    power = 10.0 ** math.floor(math.log10(span))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= span))


# --- a scenario's policy in plain words -----------------------------------------------------
def percent(value: float, lang: str) -> str:
    """A share as a person writes it: "30 %" (English), "30%" (Chinese)."""
    number = f"{round(value * 100, 1):g}"
    return f"{number}%" if lang == "zh_CN" else f"{number} %"


def _joined(items: list[str], lang: str) -> str:
    if lang == "zh_CN":
        return "、".join(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def park_name(model: ChainModel, park: str, lang: str) -> str:
    """A park's name (the Parks table's, else its id) in ``lang``."""
    found = next((k for k in model.parks if k.id == park), None)
    return shown_name(found.name, lang) if found is not None and found.name else park


def _level_clause(s: Scenario, lang: str) -> str:
    if s.subsidy_min_level is None:
        return ""
    if lang == "zh_CN":
        return (f"，企业达到 {s.subsidy_min_level} 级后才兑现（事后奖补：此前产生的补贴顺延发放，"
                f"规划期内未达标则不发放）")
    return (f", paid only once a firm reaches level {s.subsidy_min_level} (事后奖补: a claim "
            f"waits until then and lapses if the level is not reached within the horizon)")


def policy_sentences(model: ChainModel, s: Scenario, lang: str, unit: str) -> list[str]:
    """The scenario's instruments in plain words, one sentence each: grants, running-cost
    subsidy, who is eligible, loans and interest subsidy, tax relief, park projects."""
    zh = lang == "zh_CN"
    sentences = []
    by_rate: dict[float, list[str]] = {}
    for size in ("micro", "small", "medium", "large"):
        rate = getattr(s, "subsidy_" + size)
        if rate > 0:
            by_rate.setdefault(rate, []).append(size)
    if by_rate:
        parts = [(percent(rate, lang), _joined([_size(z, lang) for z in sizes], lang))
                 for rate, sizes in by_rate.items()]
        if zh:
            words = "；".join(f"{who}企业投资额的 {rate}" for rate, who in parts)
            sentence = f"投资补贴：政府承担{words}"
            if s.subsidy_cap is not None:
                sentence += f"，每家企业最多 {format_value('amount', s.subsidy_cap)} {unit}"
            sentences.append(sentence + _level_clause(s, lang) + "。")
        else:
            words = "; ".join(f"{rate} of capex for {who} firms" for rate, who in parts)
            sentence = f"Grants of {words}"
            if s.subsidy_cap is not None:
                sentence += f", at most {format_value('amount', s.subsidy_cap)} {unit} per firm"
            sentences.append(sentence + _level_clause(s, lang) + ".")
    if s.opex_subsidy > 0 and s.opex_subsidy_years > 0:
        if zh:
            sentences.append(f"运维补贴：项目上线后前 {s.opex_subsidy_years} 年，政府承担中小企业"
                             f"运维费的 {percent(s.opex_subsidy, lang)}" + _level_clause(s, lang)
                             + "。")
        else:
            sentences.append(f"Running-cost subsidy: the government pays "
                             f"{percent(s.opex_subsidy, lang)} of an SME's opex in the first "
                             f"{s.opex_subsidy_years} years after go-live"
                             + _level_clause(s, lang) + ".")
    if s.subsidy_ownership and (by_rate or s.opex_subsidy > 0 or s.interest_subsidy > 0):
        owners = _joined([OWNERSHIPS.get(o, o) if zh else _OWNERSHIP_EN.get(o, o)
                          for o in s.subsidy_ownership], lang)
        sentences.append(f"只有{owners}企业可获得投资补贴、运维补贴和贷款贴息。" if zh else
                         f"Only {owners} firms receive grants, running-cost subsidies and "
                         f"interest subsidies.")
    if s.loan_share > 0:
        rate = percent(s.loan_rate, lang)
        if zh:
            sentence = (f"贷款：中小企业自付投资的 {percent(s.loan_share, lang)} 由银行贷款，"
                        f"年利率 {rate}，分 {s.loan_years} 年等额还款")
            if s.interest_subsidy > 0:
                sentence += f"；政府承担 {percent(s.interest_subsidy, lang)} 的利息（贷款贴息）"
        else:
            sentence = (f"Loans for {percent(s.loan_share, lang)} of an SME's own capex at "
                        f"{rate} a year over {s.loan_years} years (equal annual instalments)")
            if s.interest_subsidy > 0:
                sentence += (f", with {percent(s.interest_subsidy, lang)} of the interest paid "
                             f"by the government (贷款贴息)")
        sentences.append(sentence + ("。" if zh else "."))
    elif s.interest_subsidy > 0:
        sentences.append(f"设定了 {percent(s.interest_subsidy, lang)} 的贷款贴息，但没有贷款"
                         f"（贷款比例为 0），因此不产生贴息。" if zh else
                         f"An interest subsidy of {percent(s.interest_subsidy, lang)} is set, but "
                         f"no loans are taken (loan share 0 %), so it pays nothing.")
    if s.tax_relief_rate > 0:
        sentences.append(f"税收减免：企业自身数字化支出（投资与运维费）的 "
                         f"{percent(s.tax_relief_rate, lang)} 以减税形式返还（如研发费用加计扣除）。"
                         if zh else
                         f"Tax relief: {percent(s.tax_relief_rate, lang)} of each firm's own "
                         f"digital spending (capex and opex) comes back as lower tax (e.g. "
                         f"研发费用加计扣除, the R&D super-deduction).")
    projects = model.project_index()
    park_rows = [b for b in model.park_assignments if b.scenario == s.name]
    members = Counter(e.park for e in model.enterprises if e.park)
    for b in park_rows[:PARK_SENTENCES]:
        project = projects.get(b.project)
        what = f"{shown_name(project.name, lang)} ({b.project})" if project and project.name \
            else b.project
        operator = 1 - b.government_share - b.core_share
        where = park_name(model, b.park, lang)
        if zh:
            sentences.append(
                f"园区项目：{where}的{what}，{b.start_year} 年开始；政府分担 "
                f"{percent(b.government_share, lang)}，核心企业 {percent(b.core_share, lang)}，"
                f"园区运营方 {percent(operator, lang)}；惠及 {members[b.park]} 家成员企业。")
        else:
            sentences.append(
                f"Park project {what} in {where} from {b.start_year}: "
                f"{percent(b.government_share, lang)} paid by the government, "
                f"{percent(b.core_share, lang)} by the core, {percent(operator, lang)} by the "
                f"park operator; it serves {members[b.park]} member firms.")
    if len(park_rows) > PARK_SENTENCES:
        rest = len(park_rows) - PARK_SENTENCES
        sentences.append(f"另有 {rest} 个园区项目，见下方园区项目表。" if zh else
                         f"And {rest} more park projects: see the table of park projects below.")
    if not sentences:
        sentences.append("无政策支持：没有补贴、贷款、税收减免或园区项目。" if zh else
                         "No public support: no grants, subsidies, loans, tax relief or park "
                         "projects.")
    return sentences


_OWNERSHIP_EN = {"soe": "state-owned", "private": "private", "foreign": "foreign-owned",
                 "other": "other"}
PARK_SENTENCES = 6  # park projects described one by one; the table lists them all


# --- the build -------------------------------------------------------------------------------
def build_report(model: ChainModel, lang: str = "en",
                 results: list[ScenarioResult] | None = None,
                 problems: list[Problem] | None = None,
                 where: dict[str, Place] | None = None,
                 today: _dt.date | None = None) -> Report:
    """The report of ``model`` in ``lang`` (en or zh_CN).

    ``results`` (every scenario, in the model's order), ``problems`` and ``where`` may
    come from an analysis the caller has; otherwise they are worked out here. Raises
    ``ReportError`` when the model has errors.
    """
    where = where if where is not None else places(model)
    if problems is None:
        problems = validate(model, where)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ReportError(text(lang, "The model has {0} errors; fix them before writing a "
                                     "report.", len(errors)) + "\n"
                          + "\n".join(p.text(lang) for p in errors[:10]))
    if results is None:
        results = evaluate(model, arrays=ChainArrays.of(model, where), problems=problems)
    return _Builder(model, lang, results, where, today or _dt.date.today()).build()


class _Builder:
    def __init__(self, model: ChainModel, lang: str, results: list[ScenarioResult],
                 where: dict[str, Place], today: _dt.date):
        self.model, self.lang, self.results, self.where = model, lang, results, where
        self.today = today
        self.unit = amount_unit(model, lang)
        self.blocks: list[Block] = []

    def t(self, english: str, *args: object) -> str:
        return text(self.lang, english, *args)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def note(self, english: str, *args: object) -> None:
        self.add(Paragraph(self.t(english, *args), "note"))

    def build(self) -> Report:
        title = self.model.settings.model_name or "Chain"
        self._title_page(title)
        self._chain()
        self._chain_picture()
        for result in self.results:
            self._scenario(result)
        self._comparison()
        self._assumptions()
        self._appendix()
        return Report(self.lang, title, self.t("Page {0} of {1}"), self.blocks)

    # --- title page --------------------------------------------------------------------------
    def _title_page(self, title: str) -> None:
        model, t = self.model, self.t
        self.add(Paragraph(t("Chain digitalisation plan"), "kicker"),
                 Paragraph(title, "title"),
                 Paragraph(t("Report of {0}", self.today.isoformat()), "lead"),
                 Paragraph(t("{0} enterprises · {1} links · {2} projects in the catalogue · "
                             "{3} scenarios", len(model.enterprises), len(model.links),
                             len(model.projects), len(model.scenarios)), "lead"),
                 Heading(t("Scenarios"), 2),
                 Table((), tuple((Cell(s.name, bold=True), Cell(s.description))
                                 for s in model.scenarios), "ll", (28, 72), ruled=False))
        if self.results:
            by_key = {row.kpi.key: row for row in comparison_rows(self.results, 0, self.lang,
                                                                  policy=True)}
            chosen = [by_key[key].kpi for key in ("npv", "bcr", "payback_year",
                                                  "government_total", "connected_share",
                                                  "islands")]
            rows = []
            for c, result in enumerate(self.results):
                rows.append((Cell(result.scenario.name),
                             *[Cell(by_key[k.key].text(c), best=c in by_key[k.key].best)
                               for k in chosen]))
            self.add(Heading(t("At a glance"), 2),
                     Table((t("Scenario"), *[k.label(self.lang) for k in chosen]), tuple(rows),
                           "lrrrrrr", (28, 12, 12, 12, 12, 12, 12)))
            self.note("Amounts in {0}. Bold on a shaded background: the best value in the "
                      "column.", self.unit)
        self.add(Contents(t("Contents")))

    # --- the chain ---------------------------------------------------------------------------
    def _chain(self) -> None:
        model, t, lang = self.model, self.t, self.lang
        core = model.core()
        smes = [e for e in model.enterprises if e.role != "core"]
        parks = sorted({e.park for e in model.enterprises if e.park})
        trade = sum(lk.annual_value for lk in model.links)
        self.add(Heading(t("The chain")),
                 Paragraph(t("Core enterprise: {0}. {1} other enterprises in {2} industrial "
                             "parks, {3} supply links with a yearly trade value of {4} {5}; {6} "
                             "enterprises and {7} links exchange data digitally at the start.",
                             f"{shown_name(core.name, lang)} ({core.id})" if core else "—",
                             len(smes), len(parks), len(model.links),
                             format_value("amount", trade), self.unit,
                             sum(e.platform_connected for e in model.enterprises),
                             sum(lk.data_connected for lk in model.links))))
        count = Counter((self.where[e.id].position, self.where[e.id].tier, e.size)
                        for e in model.enterprises if e.id in self.where)
        sizes = list(SIZES)
        rows = []
        for position, tier in self._places_in_order():
            cells = [count[position, tier, size] for size in sizes]
            rows.append((Cell(place_name(position, tier, lang)),
                         *_cells(str(c) if c else "" for c in cells), Cell(str(sum(cells)),
                                                                             bold=True)))
        totals = [sum(c for (_, _, size), c in count.items() if size == s) for s in sizes]
        rows.append(_bold([t("Total"), *map(str, totals), str(sum(totals))]))
        self.add(Heading(t("Enterprises by position, tier and size"), 2),
                 Table((t("Position"), *[_size(s, lang) for s in sizes], t("Total")),
                       tuple(rows), "lrrrrr", (32, 13, 13, 13, 13, 16)))
        levels = Counter(e.maturity for e in smes)
        self.add(Heading(t("Digital levels at the start"), 2),
                 Table((t("Digital level"), t("Enterprises"), t("Share")),
                       tuple(_cells([t("Level {0}", level), str(levels[level]),
                                     format_value("share", levels[level] / len(smes))
                                     if smes else "—"]) for level in range(1, 5)),
                       "lrr", (40, 30, 30)))
        self.note("Enterprises other than the core, by digital level at the start of the plan.")
        by_park: dict[str, list[Enterprise]] = {}
        for e in model.enterprises:
            by_park.setdefault(e.park, []).append(e)
        park_rows = []
        for park in sorted(by_park, key=lambda p: (p == "", p)):
            members = by_park[park]
            park_rows.append(_cells([shown_name(park, lang) if park else t("No park"),
                                     str(len(members)),
                                     str(sum(e.platform_connected for e in members)),
                                     f"{sum(e.maturity for e in members) / len(members):.1f}",
                                     format_value("amount", sum(e.revenue for e in members))]))
        self.add(Heading(t("Enterprises by industrial park"), 2),
                 Table((t("Park"), t("Enterprises"), t("On the platform\nat the start"),
                        t("Mean digital\nlevel"), t("Revenue ({0})", self.unit)),
                       tuple(park_rows), "lrrrr", (40, 14, 16, 14, 16)))

    def _places_in_order(self) -> list[tuple[str, int | None]]:
        tiers = {(p.position, p.tier) for p in self.where.values()}
        order = sorted(((p, t) for p, t in tiers if p == "upstream"), key=lambda x: -(x[1] or 0))
        order += [(p, t) for p, t in tiers if p == "core"]
        order += sorted(((p, t) for p, t in tiers if p == "downstream"), key=lambda x: x[1] or 0)
        order += [(p, t) for p, t in tiers if p == "detached"]
        return order

    def _shown_scenario(self) -> ScenarioResult | None:
        """The scenario the chain picture shows: the first with assignments, else the first."""
        used = {a.scenario for a in self.model.assignments}
        return next((r for r in self.results if r.scenario.name in used),
                    self.results[0] if self.results else None)

    def _chain_picture(self) -> None:
        model, t, lang = self.model, self.t, self.lang
        drawing = layered(model, self.where)
        shown = self._shown_scenario()
        index = {e.id: i for i, e in enumerate(model.enterprises)}
        target = shown.scenario.target_level if shown else 2
        nodes = []
        for i, e in enumerate(model.enterprises):
            x, y = drawing.positions.get(e.id, (0.0, 0.0))
            if shown is not None:
                connected = bool(shown.connected[i, -1])
                level = int(shown.maturity[i, -1])
            else:
                connected, level = e.platform_connected, e.maturity
            nodes.append(Node(shown_name(e.name, lang), float(x), float(y), e.size, e.role,
                              connected, level >= target, level))
        values = np.array([lk.annual_value for lk in model.links], float)
        cuts = np.quantile(values, (0.25, 0.5, 0.75)) if len(values) else np.zeros(3)
        edges = []
        for k, lk in enumerate(model.links):
            if lk.supplier not in index or lk.buyer not in index:
                continue
            connected = bool(shown.link_connected[k, -1]) if shown is not None \
                else lk.data_connected
            edges.append(Edge(index[lk.supplier], index[lk.buyer],
                              int(np.searchsorted(cuts, values[k], side="right")), connected))
        columns = tuple((c.left, c.right, c.top, place_name(c.position, c.tier, lang))
                        for c in drawing.columns)
        bands = tuple(Band(*rect, (shown_name(b.park, lang) if b.park else t("No park"))
                           if lane == 0 else "")
                      for b in drawing.bands for lane, rect in enumerate(b.rects))
        legend = (("role", "core", t("Core enterprise")), ("role", "supplier", t("Supplier")),
                  ("role", "distributor", t("Distributor")), ("role", "customer", t("Customer")),
                  ("role", "service", t("Service partner")),
                  ("platform", "yes", t("On the data platform")),
                  ("platform", "no", t("Not yet on the platform")),
                  ("target", str(target), t("Reached the target level") + f" (≥ {target})"),
                  ("link", "yes", t("Data-connected link")), ("link", "no", t("Not yet connected")),
                  ("widths", "", t("Width: annual trade value")),
                  ("sizes", "", t("Node size: enterprise size")))
        labelled = len(nodes) <= LABELLED_NODES
        caption = t("The chain, by position and tier: scenario {0} at the end of {1}.",
                    shown.scenario.name, int(shown.years[-1])) if shown \
            else t("The chain, by position and tier.")
        if not labelled:
            caption += " " + t("{0} enterprises: too many to name; the tables name them.",
                               len(nodes))
        self.add(ChainPicture(t("The chain at a glance"), caption, tuple(nodes), tuple(edges),
                              columns, bands, legend, labelled))

    # --- a scenario --------------------------------------------------------------------------
    def _terms(self, s: Scenario) -> str:
        cap = format_value("amount", s.subsidy_cap) + " " + self.unit \
            if s.subsidy_cap is not None else self.t("none")
        return self.t("Years {0}–{1} · discount rate {2} · subsidy micro/small/medium/large "
                      "{3}/{4}/{5}/{6}, cap {7} · link benefit rate {8} · target level {9}",
                      s.start_year, s.start_year + s.horizon - 1,
                      format_value("share", s.discount_rate),
                      *[format_value("share", getattr(s, "subsidy_" + size))
                        for size in ("micro", "small", "medium", "large")],
                      cap, format_value("share", s.link_benefit_rate), s.target_level)

    def _scenario(self, result: ScenarioResult) -> None:
        t, s = self.t, result.scenario
        self.add(Heading(t("Scenario: {0}", s.name)))
        if s.description:
            self.add(Paragraph(s.description))
        self.add(Paragraph(self._terms(s), "muted"))
        kpis = [(k.label(self.lang), format_value(k.kind, k.value(result))) for k in KPIS]
        half = (len(kpis) + 1) // 2
        rows = []
        for i in range(half):
            right = kpis[i + half] if i + half < len(kpis) else ("", "")
            rows.append(_cells([*kpis[i], *right]))
        self.add(Heading(t("Key figures: {0}", s.name), 2),
                 Table((t("Key figure"), t("Value"), t("Key figure"), t("Value")), tuple(rows),
                       "lrlr", (33, 17, 33, 17)))
        self.note("Amounts in {0}; shares and data islands at the end of the horizon.", self.unit)
        self.add(Heading(t("Charts: {0}", s.name), 2), Figures(tuple(self.charts(result))))
        self._policy(result)
        self._risk(result)
        self.add(Heading(t("Assignments: {0}", s.name), 2))
        self._summary(result)
        if result.warnings:
            self.add(Heading(t("Warnings ({0})", len(result.warnings)), 3),
                     *[Paragraph("• " + w, "note") for w in result.warnings])

    def _policy(self, result: ScenarioResult) -> None:
        """The scenario's policy: instruments in plain words, public money by instrument and
        year, the per-firm figures, the park projects."""
        t, s = self.t, result.scenario
        self.add(Heading(t("Policy: {0}", s.name), 2),
                 *[Paragraph("• " + sentence)
                   for sentence in policy_sentences(self.model, s, self.lang, self.unit)])
        figures = policy_figures(result)
        money = {key: np.asarray(values, float) for key, values in result.public_money().items()}
        used = [key for key, values in money.items() if np.any(values != 0)]
        self.add(Heading(t("Public money by instrument and year"), 3))
        if used:
            total = np.asarray(result.party_cost["government"], float)
            rows = [_cells([str(int(year)), *[format_value("amount", float(money[key][i]))
                                              for key in used],
                            format_value("amount", float(total[i]))])
                    for i, year in enumerate(result.years)]
            rows.append(_bold([t("Total"), *[format_value("amount", float(money[key].sum()))
                                             for key in used],
                               format_value("amount", figures.government_total)]))
            share = 72 // (len(used) + 1)
            self.add(Table((t("Year"), *[self._instrument(key, True) for key in used],
                            t("Total")), tuple(rows), "l" + "r" * (len(used) + 1),
                           (100 - share * (len(used) + 1), *[share] * (len(used) + 1))))
            self.note("In {0}, in the year the government pays it; present value {1}.",
                      self.unit, format_value("amount", figures.government_pv))
        else:
            self.add(Paragraph(t("The government pays nothing in this scenario.")))
        self.add(Figures(tuple(self.policy_charts(result, figures))))
        self._firm_figures(result)
        self._park_projects(result)

    def _instrument(self, key: str, heading: bool = False) -> str:
        en, zh = INSTRUMENTS[key]
        name = zh if self.lang == "zh_CN" else en[0].upper() + en[1:]
        if heading and self.lang != "zh_CN":
            name = name.replace(" ", "\n", 1)
        return name

    def policy_charts(self, result: ScenarioResult, figures: Any = None) -> list[Chart]:
        """Public money by instrument and year (stacked), and the SMEs by payback year."""
        t = self.t
        figures = figures or policy_figures(result)
        years = tuple(str(int(y)) for y in result.years)
        money = result.public_money()
        # an instrument keeps its colour (the app's: series colour i) when others are absent
        stack = tuple(Series(self._instrument(key), tuple(float(v) for v in
                                                          np.asarray(values, float)),
                             f"series{i}", "stack") for i, (key, values) in enumerate(money.items())
                      if np.any(np.asarray(values) != 0))
        counts = Counter(figures.sme_payback)
        never = counts.pop(None, 0)
        paybacks = Chart("sme_payback", t("SMEs by payback year"),
                         (*years, t("Not within")),
                         (Series(t("SMEs"), (*[float(counts.get(int(y), 0))
                                               for y in result.years], float(never)), "sme"),),
                         t("enterprises"), "count")
        return [Chart("public_money", t("Public money by instrument"), years, stack, self.unit,
                      "amount"), paybacks]

    def _firm_figures(self, result: ScenarioResult) -> None:
        """The per-firm figures of the scenario, in two columns of label and value."""
        t = self.t
        kpis = [k for k in policy_kpis() if not k.key.startswith("public_")]
        figures = policy_figures(result)
        shown = [(k.label(self.lang), format_value(k.kind, k.value(result))) for k in kpis]
        shown.insert(6, (t("SMEs with a project"), str(figures.smes_in_plan)))
        npv = next(k for k in KPIS if k.key == "npv_sme")
        shown.insert(7, (npv.label(self.lang), format_value(npv.kind, npv.value(result))))
        half = (len(shown) + 1) // 2
        rows = []
        for i in range(half):
            right = shown[i + half] if i + half < len(shown) else ("", "")
            rows.append(_cells([*shown[i], *right]))
        self.add(Heading(t("Per-firm figures"), 3),
                 Table((t("Key figure"), t("Value"), t("Key figure"), t("Value")), tuple(rows),
                       "lrlr", (35, 15, 35, 15)))
        self.note("Amounts in {0}. What each figure means: see the scenario comparison.",
                  self.unit)

    def _park_projects(self, result: ScenarioResult) -> None:
        """Each park project of the scenario: its cost over the horizon, who pays it, its
        members."""
        t, model = self.t, self.model
        park_trace = getattr(result, "park_trace", None)
        if park_trace is None or not len(park_trace.rows):
            return
        first, last = int(result.years[0]), int(result.years[-1])
        projects = model.project_index()
        rows = []
        for k in range(len(park_trace.rows)):
            b = model.park_assignments[int(park_trace.rows[k])]
            project = projects.get(b.project)
            capex = float(park_trace.capex[k]) if first <= int(park_trace.start[k]) <= last \
                else 0.0
            cost = capex + float(park_trace.opex[k]) * float(np.count_nonzero(park_trace.live[k]))
            government, core = float(park_trace.government_share[k]), \
                float(park_trace.core_share[k])
            rows.append(_cells([park_name(model, b.park, self.lang),
                                f"{b.project} {shown_name(project.name, self.lang)}"
                                if project and project.name else b.project,
                                str(b.start_year), format_value("amount", capex),
                                format_value("amount", float(park_trace.opex[k])),
                                format_value("amount", cost),
                                format_value("amount", cost * government),
                                format_value("amount", cost * core),
                                format_value("amount", cost * (1 - government - core)),
                                str(int(park_trace.members[k]))]))
        self.add(Heading(t("Park projects"), 3),
                 Table((t("Park"), t("Project"), t("Start\nyear"), t("Capex"),
                        t("Opex\n/ year"), t("Cost in\nhorizon"), t("Government"),
                        t("Core"), t("Park\noperator"), t("Members")), tuple(rows),
                       "llrrrrrrrr", (14, 20, 6, 8, 8, 9, 11, 8, 9, 7), small=True))
        self.note("In {0}. Cost in the horizon: capex if the project starts inside it, and opex "
                  "in every year it is live; split by the shares of the park assignment.",
                  self.unit)
        for park in dict.fromkeys(park_trace.park):
            names = [shown_name(e.name, self.lang) or e.id for e in model.enterprises
                     if e.park == park]
            listed = names[:MEMBERS_LISTED]
            more = len(names) - len(listed)
            line = t("Members of {0} ({1}): {2}", park_name(model, park, self.lang),
                     len(names), _joined(listed, self.lang) if listed else t("none"))
            if more:
                line += t(" and {0} more", more)
            self.add(Paragraph(line, "note"))

    def _summary(self, result: ScenarioResult) -> None:
        """The scenario's assignments by project and by position and tier (the full list is
        in the appendix)."""
        t, model, trace = self.t, self.model, result.trace
        if not len(trace.rows):
            self.add(Paragraph(t("No project is assigned in this scenario.")))
            return
        projects = model.project_index()
        enterprises = model.enterprises
        counted = trace.in_horizon

        def totals(picked: list[int]) -> list[str]:
            firms = {int(trace.enterprise[k]) for k in picked}
            return [str(len(picked)), str(len(firms)),
                    format_value("amount", float(sum(trace.capex[k] for k in picked
                                                     if counted[k]))),
                    format_value("amount", float(sum(trace.subsidy[k] for k in picked)))]

        by_project: dict[str, list[int]] = {}
        by_place: dict[tuple[str, int | None], list[int]] = {}
        for k in range(len(trace.rows)):
            assignment = model.assignments[int(trace.rows[k])]
            by_project.setdefault(assignment.project, []).append(k)
            place = self.where.get(enterprises[int(trace.enterprise[k])].id)
            key = (place.position, place.tier) if place else ("detached", None)
            by_place.setdefault(key, []).append(k)
        every = list(range(len(trace.rows)))
        rows = []
        for project_id in sorted(by_project):
            picked = by_project[project_id]
            starts = sorted({int(trace.start[k]) for k in picked})
            years = f"{starts[0]}–{starts[-1]}" if len(starts) > 1 else str(starts[0])
            project = projects.get(project_id)
            rows.append(_cells([project_id, shown_name(project.name, self.lang) if project
                                else project_id, *totals(picked), years]))
        rows.append(_bold([t("Total"), "", *totals(every), ""]))
        self.add(Heading(t("By project"), 3),
                 Table((t("Id"), t("Project"), t("Assignments"), t("Enterprises\nreached"),
                        t("Capex"), t("Subsidy"), t("Start years")), tuple(rows), "llrrrrc",
                       (7, 39, 11, 11, 10, 10, 12)))
        place_rows = [_cells([place_name(position, tier, self.lang),
                              *totals(by_place[position, tier])])
                      for position, tier in self._places_in_order() if (position, tier) in by_place]
        place_rows.append(_bold([t("Total"), *totals(every)]))
        self.add(Heading(t("By position and tier"), 3),
                 Table((t("Position"), t("Assignments"), t("Enterprises\nreached"), t("Capex"),
                        t("Subsidy")), tuple(place_rows), "lrrrr", (36, 16, 16, 16, 16)))
        self.note("In {0}. Capex is the project's capex times the enterprise's size factor; "
                  "totals count the assignments that start inside the horizon. Every assignment "
                  "is listed in the appendix.", self.unit)

    def charts(self, result: ScenarioResult) -> list[Chart]:
        """The eight charts of a scenario, as the app draws them (``ui/charts.py``)."""
        t = self.t
        years = tuple(str(int(y)) for y in result.years)
        end = int(result.years[-1])

        def values(array: Any, scale: float = 1.0) -> tuple[float | None, ...]:
            return tuple(_optional(float(v) * scale) for v in np.asarray(array, float))

        payback = result.payback_year
        marker = (payback - int(result.years[0]), t("Payback {0}", payback)) \
            if payback is not None else None
        charts = [
            Chart("cost_benefit", t("Cost and benefit by year"), years,
                  (Series(t("Cost"), values(result.cost), "cost"),
                   Series(t("Benefit"), values(result.benefit), "benefit"),
                   Series(t("Cumulative net"), values(result.cumulative), "net", "line")),
                  self.unit, "amount", marker=marker),
            Chart("party_cost", t("Cost by party"), years,
                  tuple(Series(t(label), values(result.party_cost[party]), party, "stack")
                        for party, label in (("core", "Core enterprise"), ("sme", "SMEs"),
                                             ("park", "Park operators"),
                                             ("government", "Government"))
                        if party in result.party_cost),
                  self.unit, "amount"),
            Chart("coverage", t("Coverage over time"), years,
                  tuple(Series(t(label), values(getattr(result, key), 100.0), f"series{i}", "line",
                               i)
                        for i, (key, label) in enumerate((
                            ("connected_share", "Connected share"),
                            ("digitalised_share", "Digitalised share"),
                            ("link_coverage", "Link coverage"),
                            ("spend_coverage", "Spend coverage")))),
                  "%", "percent"),
            Chart("islands", t("Data islands"), years,
                  (Series(t("Data islands"), values(result.islands), "islands"),),
                  t("islands"), "count"),
            self._group_chart(result, "position_tier",
                              t("Coverage by position and tier, {0}", end)),
        ]
        core = next((i for i, e in enumerate(self.model.enterprises) if e.role == "core"), -1)
        mask = np.ones(result.maturity.shape[0], bool)
        if 0 <= core < len(mask):
            mask[core] = False
        start = np.bincount(result.maturity[mask, 0], minlength=5)[1:5]
        finish = np.bincount(result.maturity[mask, -1], minlength=5)[1:5]
        charts.append(Chart("maturity", t("Digital level: start and end"),
                            tuple(t("Level {0}", level) for level in range(1, 5)),
                            (Series(t("Start {0}", int(result.years[0])), values(start), "start"),
                             Series(t("End {0}", end), values(finish), "end")),
                            t("enterprises"), "count"))
        charts.append(self._group_chart(result, "park", t("Coverage by park, {0}", end)))
        charts.append(self._group_chart(result, "size", t("Coverage by size, {0}", end)))
        return charts

    def _group_chart(self, result: ScenarioResult, dimension: str, title: str) -> Chart:
        groups = result.by_group.get(dimension, {})
        labels = tuple(group_label(dimension, g, self.lang) for g in groups)

        def at_end(metric: str) -> tuple[float | None, ...]:
            return tuple(_optional(float(m[metric][-1]) * 100) for m in groups.values())

        # park names are long: bars across, names on the left, where they have room
        return Chart(f"group_{dimension}", title, labels,
                     (Series(self.t("Connected share"), at_end("connected_share"), "connected"),
                      Series(self.t("Digitalised share"), at_end("digitalised_share"),
                             "digitalised")),
                     "%", "percent", horizontal=dimension == "park")

    # --- how sure ----------------------------------------------------------------------------
    def risk_of(self, result: ScenarioResult) -> tuple[Any, Any]:
        """The scenario's simulation (``RISK_DRAWS`` draws, seed ``RISK_SEED``) and tornado."""
        from planner.sensitivity import tornado
        from planner.simulate import simulate

        name = result.scenario.name
        return (simulate(self.model, name, RISK_DRAWS, RISK_SEED, evaluated=result),
                tornado(self.model, name, RISK_SWING, result))

    def parameter_label(self, parameter: str) -> str:
        """A tornado row's input in words: "P03 MES: capex", "Discount rate" …"""
        fixed = {"discount_rate": "Discount rate", "link_benefit_rate": "Link benefit rate",
                 "subsidy_rates": "Subsidy rates (all together)"}
        if parameter in fixed:
            return self.t(fixed[parameter])
        project_id, _, what = parameter.rpartition(".")
        project = next((p for p in self.model.projects if p.id == project_id), None)
        name = project_id
        if project is not None and project.name:  # short: the tornado's rows have one line
            short = project.name.split(" (")[0].split("（")[0]
            name += " " + (short if len(short) <= 26 else short[:25] + "…")
        return self.t({"capex": "{0}: capex", "opex": "{0}: opex"}.get(what, "{0}: benefit"),
                      name)

    def _risk(self, result: ScenarioResult) -> None:
        """How sure the scenario's numbers are: two sentences and four charts."""
        t, s = self.t, result.scenario
        simulation, sensitivity = self.risk_of(result)
        self.add(Heading(t("How sure: {0}", s.name), 2))
        self.add(*[Paragraph(sentence) for sentence in self.risk_sentences(simulation,
                                                                           sensitivity)])
        charts = self.risk_charts(simulation, sensitivity, s)
        # the tornado's long input names get the page's width; the others go two by two
        tornado_chart = [c for c in charts if c.key == "risk_tornado"]
        others = [c for c in charts if c.key != "risk_tornado"]
        if others[:2]:
            self.add(Figures(tuple(others[:2])))
        if tornado_chart:
            self.add(Figures(tuple(tornado_chart), columns=1))
        if others[2:]:
            self.add(Figures(tuple(others[2:])))
        self.note("Each of the {0} draws (seed {1}) picks which SMEs take part, by the "
                  "scenario's participation rates for their awareness, and each project's "
                  "benefit from its range; the tornado moves one input by ±{2} with the others "
                  "as planned. Amounts in {3}.", f"{RISK_DRAWS:,}", RISK_SEED,
                  percent(RISK_SWING, self.lang), self.unit)

    def risk_sentences(self, simulation: Any, sensitivity: Any) -> list[str]:
        """The simulation and the tornado in plain words."""
        t = self.t
        npv = simulation.stats("npv")

        def amount(value: float | None) -> str:
            return format_value("amount", value)

        if npv["p5"] is None:
            return [t("The simulation has no draws.")]
        if npv["p5"] == npv["p95"]:
            first = t("Every one of the {0} simulated draws gives the same NPV, {1} {2}: no "
                      "SME's participation and no benefit in this scenario is uncertain.",
                      f"{simulation.draws:,}", amount(npv["p50"]), self.unit)
        else:
            first = t("In 90 % of {0} simulated draws the NPV lies between {1} and {2} {3} "
                      "(the plan's is {4}, the middle draw's {5}); the chance of a loss is {6}.",
                      f"{simulation.draws:,}", amount(npv["p5"]), amount(npv["p95"]),
                      self.unit, amount(simulation.deterministic_npv), amount(npv["p50"]),
                      percent(simulation.prob_npv_negative, self.lang))
        rows = [r for r in sensitivity.rows if r.npv_high != r.npv_low]
        if not rows:
            return [first, t("No single input moves the NPV by ±{0}.",
                             percent(RISK_SWING, self.lang))]
        top = rows[0]
        low, high = sorted((top.npv_low, top.npv_high))
        name = self.parameter_label(top.parameter)
        if self.lang != "zh_CN" and "." not in top.parameter:  # "the discount rate"
            name = "the " + name[:1].lower() + name[1:]
        return [first, t("The biggest single uncertainty is {0}: ±{1} moves the NPV between "
                         "{2} and {3}.", name,
                         percent(RISK_SWING, self.lang), amount(low), amount(high))]

    def risk_charts(self, simulation: Any, sensitivity: Any, scenario: Scenario) -> list[Chart]:
        """The NPV histogram, the connected share's fan, the tornado and participation by
        awareness (none when every draw is the same and no input moves the NPV)."""
        t = self.t
        charts: list[Chart] = []
        values = simulation.values["npv"]
        values = values[~np.isnan(values)]
        npv = simulation.stats("npv")
        if len(values) and npv["p5"] != npv["p95"]:
            low, high = float(values.min()), float(values.max())
            counts, edges = np.histogram(values, HISTOGRAM_BINS, (low, high))
            width = (high - low) / HISTOGRAM_BINS
            centres = (edges[:-1] + edges[1:]) / 2
            # every fourth bin named by its middle, rounded to a step that tells them apart
            step = nice_step_of((high - low) / 5)
            categories = tuple(f"{round(c / step) * step:,.0f}".replace("-", "−")
                               if i % 4 == 1 else "" for i, c in enumerate(centres))
            markers = tuple(((npv[k] - low) / width - 0.5,
                             k.upper() + " " + format_value("amount", npv[k]))
                            for k in ("p5", "p50", "p95"))
            charts.append(Chart("risk_histogram", t("NPV over {0} draws", f"{len(values):,}"),
                                categories, (Series(t("Draws"), tuple(float(c) for c in counts),
                                                    "series0"),),
                                t("draws"), "count", markers=markers))
            years = tuple(str(int(y)) for y in simulation.years)
            shares = simulation.connected_share * 100.0
            p5, p50, p95 = (np.nanpercentile(shares, q, axis=0) if len(shares) else
                            np.zeros(len(years)) for q in (5, 50, 95))
            plan = np.asarray(simulation.deterministic_connected_share, float) * 100.0
            fan = [Series(t("P5–P95"), tuple(_optional(float(v)) for v in p5), "series0",
                          "band", upper=tuple(_optional(float(v)) for v in p95)),
                   Series(t("Median draw"), tuple(_optional(float(v)) for v in p50), "series0",
                          "line")]
            if len(plan) == len(years):
                fan.append(Series(t("Plan"), tuple(_optional(float(v)) for v in plan),
                                  "series1", "line", 1))
            charts.append(Chart("risk_fan", t("Connected share: P5–P95 of the draws"), years,
                                tuple(fan), "%", "percent"))
        rows = [r for r in sensitivity.rows if r.npv_high != r.npv_low][:TORNADO_ROWS]
        if rows:
            base = sensitivity.npv
            swing = percent(RISK_SWING, self.lang)
            charts.append(Chart(
                "risk_tornado", t("NPV when one input moves by ±{0}", swing),
                tuple(self.parameter_label(r.parameter) for r in rows),
                (Series(t("Input −{0}", swing), tuple(r.npv_low - base for r in rows), "cost"),
                 Series(t("Input +{0}", swing), tuple(r.npv_high - base for r in rows),
                        "benefit")),
                t("change of the NPV, {0}", self.unit), "amount", horizontal=True))
        by_class = [(k, n, share) for k, (n, share)
                    in simulation.participation_by_awareness.items() if n]
        if by_class and charts:
            order = ("very_familiar", "aware", "heard_of", "unaware")
            by_class.sort(key=lambda item: order.index(item[0]) if item[0] in order else 9)
            labels = {"very_familiar": "Very familiar", "aware": "Aware",
                      "heard_of": "Heard of", "unaware": "Unaware"}
            charts.append(Chart(
                "risk_participation", t("Taking part, by awareness at the start"),
                tuple(t("{0} ({1} assignments)", t(labels.get(k, k)), n)
                      for k, n, _ in by_class),
                (Series(t("Rate set in the scenario"),
                        tuple(float(getattr(scenario, f"participation_{k}", math.nan)) * 100
                              for k, _, _ in by_class), "start"),
                 Series(t("Took part (simulated)"),
                        tuple(_optional(share * 100) for _, _, share in by_class), "end")),
                "%", "percent"))
        return charts

    # --- the comparison ----------------------------------------------------------------------
    def _comparison(self) -> None:
        t = self.t
        self.add(Heading(t("Scenario comparison")))
        if not self.results:
            self.add(Paragraph(t("The model has no scenario yet.")))
            return
        names = [r.scenario.name for r in self.results]
        rows = comparison_rows(self.results, 0, self.lang, policy=True)
        share = max(10, 60 // max(1, len(names)))
        widths = (100 - share * len(names), *[share] * len(names))
        self.add(Heading(t("Key figures of every scenario"), 2),
                 Table((t("Key figure"), *names),
                       tuple((Cell(row.label), *[Cell(row.text(c), best=c in row.best)
                                                 for c in range(len(names))]) for row in rows),
                       "l" + "r" * len(names), widths))
        self.note("Bold on a shaded background: the best value in the row. Amounts in {0}.",
                  self.unit)
        if len(names) > 1:
            self.add(Heading(t("Difference from {0}", names[0]), 2),
                     Table((t("Key figure"), names[0], *[f"{n} − {names[0]}" for n in names[1:]]),
                           tuple(_cells([row.label, row.text(0),
                                         *[format_difference(row.kpi.kind, row.differences[c],
                                                             self.lang)
                                           for c in range(1, len(names))]]) for row in rows),
                           "l" + "r" * len(names), widths))
            self.note("Each scenario minus {0}; shares in percentage points.", names[0])
        self.add(Heading(t("Scenarios over time"), 2),
                 Figures(tuple(self.comparison_charts()), columns=1))
        self.add(Heading(t("What the figures mean"), 2),
                 Table((t("Key figure"), t("Meaning")),
                       tuple(_cells([row.label, definition(row.kpi.key, self.lang)])
                             for row in rows if definition(row.kpi.key, self.lang)),
                       "ll", (30, 70), small=True))

    def comparison_charts(self) -> list[Chart]:
        """Every scenario's cumulative net benefit and connected share, overlaid."""
        years = sorted({int(y) for r in self.results for y in r.years})
        position = {y: i for i, y in enumerate(years)}

        def line(result: ScenarioResult, attribute: str, scale: float, i: int) -> Series:
            shown: list[float | None] = [None] * len(years)
            for y, v in zip(result.years, getattr(result, attribute), strict=True):
                shown[position[int(y)]] = _optional(float(v) * scale)
            return Series(result.scenario.name, tuple(shown), f"series{i}", "line", i)

        categories = tuple(map(str, years))
        return [Chart("compare_cumulative", self.t("Cumulative net benefit by scenario"),
                      categories, tuple(line(r, "cumulative", 1.0, i)
                                        for i, r in enumerate(self.results)),
                      self.unit, "amount"),
                Chart("compare_connected", self.t("Connected share by scenario"), categories,
                      tuple(line(r, "connected_share", 100.0, i)
                            for i, r in enumerate(self.results)), "%", "percent")]

    # --- assumptions -------------------------------------------------------------------------
    def _assumptions(self) -> None:
        model, t, lang = self.model, self.t, self.lang
        self.add(Heading(t("Assumptions")), Heading(t("How the numbers are worked out"), 2))
        for paragraph in (
                "Each assignment starts a project on an enterprise in a year. Its capex, opex "
                "and fixed benefit are the catalogue's figures for a small enterprise times the "
                "enterprise's size factor; its benefit also includes a share of the "
                "enterprise's revenue. Capex is spent in the start year; opex and benefit "
                "count in every year from go-live (start year plus duration).",
                "The government pays the scenario's subsidy share of capex by enterprise size, "
                "up to the cap per enterprise. Of the rest, the core enterprise pays the "
                "assignment's core share. A link between two enterprises that are both on the "
                "data platform is data-connected; a newly connected link saves the scenario's "
                "link benefit rate of its trade value every year.",
                "Net benefit is benefit minus cost (the subsidy included); NPV discounts each "
                "year to the scenario's first year; the payback year is the first year in "
                "which the cumulative net benefit is back at zero or above. Coverage shares "
                "count the enterprises other than the core.",
                "Policy instruments. A grant claim arises when the capex is spent; with a level "
                "condition (事后奖补) it is paid in the first year the firm is at that level, and "
                "never if it does not get there within the horizon; the cap counts grants in the "
                "order they are paid. A running-cost subsidy pays a share of an eligible SME's opex "
                "in its first years after go-live. A loan pays part of an SME's own capex at once "
                "and is repaid in equal yearly instalments (those due after the horizon in its "
                "last year); the government pays its share of the interest. Tax relief returns a "
                "share of a firm's own digital spending. Park projects are paid by the government, "
                "the core and the park operator by their shares, and benefit, lift and connect "
                "every member firm."):
            self.add(Paragraph(t(paragraph)))
        rows = []
        for p in model.projects:
            conditions = []
            if p.min_maturity > 1:
                conditions.append(t("level {0}+", p.min_maturity))
            if p.requires:
                conditions.append(t("after {0}", p.requires))
            if p.eligible_sizes:
                conditions.append("/".join(_size(s, lang) for s in p.eligible_sizes))
            rows.append(_cells([p.id, shown_name(p.name, lang), _category(p.category, lang),
                                format_value("amount", p.capex), format_value("amount", p.opex),
                                str(p.duration), format_value("share", p.benefit_rate),
                                format_value("amount", p.benefit_fixed),
                                f"+{p.maturity_gain}" if p.maturity_gain else "",
                                t("yes") if p.connects_platform else "", ", ".join(conditions)]))
        self.add(Heading(t("Project catalogue"), 2),
                 Table((t("Id"), t("Name"), t("Category"), t("Capex"), t("Opex\n/ year"),
                        t("Years"), t("Benefit\nrate"), t("Fixed\nbenefit"), t("Level\ngain"),
                        t("Platform"), t("Conditions")), tuple(rows), "lllrrrrrccl",
                       (5, 22, 11, 7, 7, 6, 7, 8, 6, 8, 13), small=True))
        self.note("Figures for a small enterprise, in {0}; years from start to go-live.",
                  self.unit)
        self.add(Heading(t("Sources"), 2),
                 Table((t("Id"), t("Source of the figures")),
                       tuple(_cells([p.id, p.source or "—"]) for p in model.projects), "ll",
                       (8, 92), small=True))
        rule_rows = []
        for s in model.scenarios:
            cap = format_value("amount", s.subsidy_cap) if s.subsidy_cap is not None \
                else t("no cap")
            rule_rows.append(_cells([s.name, f"{s.start_year}–{s.start_year + s.horizon - 1}",
                                     format_value("share", s.discount_rate),
                                     *[format_value("share", getattr(s, "subsidy_" + size))
                                       for size in ("micro", "small", "medium", "large")],
                                     cap, format_value("share", s.link_benefit_rate),
                                     str(s.target_level)]))
        self.add(Heading(t("Scenario rules"), 2),
                 Table((t("Scenario"), t("Years"), t("Discount\nrate"),
                        *[t("Subsidy\n{0}", _size(size, lang))
                          for size in ("micro", "small", "medium", "large")],
                        t("Subsidy cap\n({0})", self.unit), t("Link\nbenefit rate"),
                        t("Target\nlevel")), tuple(rule_rows), "lcrrrrrrrc",
                       (19, 11, 9, 8, 8, 8, 8, 11, 10, 8), small=True))
        settings = model.settings
        setting_rows = [[t("Model name"), settings.model_name or "—"],
                        [t("Currency"), settings.currency],
                        [t("Amount unit"), f"{settings.amount_unit} ({self.unit})"]]
        setting_rows += [[t("Size factor, {0}", _size(size, lang)),
                          f"{settings.size_factor(size):g}"] for size in SIZES]
        self.add(Heading(t("Settings"), 2),
                 Table((t("Setting"), t("Value")), tuple(_cells(r) for r in setting_rows), "ll",
                       (40, 60)))

    # --- the appendix ------------------------------------------------------------------------
    def _appendix(self) -> None:
        t, model = self.t, self.model
        if not any(len(r.trace.rows) for r in self.results):
            return
        self.add(Heading(t("Appendix: every assignment")))
        enterprises = model.enterprise_index()
        for result in self.results:
            trace = result.trace
            if not len(trace.rows):
                continue
            order = sorted(range(len(trace.rows)), key=lambda k: (
                int(trace.start[k]), model.assignments[int(trace.rows[k])].enterprise,
                model.assignments[int(trace.rows[k])].project))
            shown = order[:APPENDIX_ROWS]
            rows = []
            for k in shown:
                a = model.assignments[int(trace.rows[k])]
                e = enterprises.get(a.enterprise)
                rows.append(_cells([f"{a.enterprise} {shown_name(e.name, self.lang)}" if e
                                    else a.enterprise, a.project, str(a.start_year),
                                    format_value("share", a.core_share),
                                    format_value("amount", float(trace.capex[k])),
                                    format_value("amount", float(trace.subsidy[k]))]))
            self.add(Heading(t("Assignments: {0}", result.scenario.name), 2),
                     Table((t("Enterprise"), t("Project"), t("Start year"), t("Core share"),
                            t("Capex"), t("Subsidy")), tuple(rows), "llrrrr",
                           (48, 10, 10, 12, 10, 10), small=True))
            if len(order) > len(shown):
                self.note("The first {0} of {1} assignments, by start year; the model's workbook "
                          "lists them all.", len(shown), len(order))
