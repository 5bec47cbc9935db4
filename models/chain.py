"""The chain model: plain data classes for every table of the file (docs/file-format.md).

Column order, Chinese aliases, kinds and ranges are declared next to each
field (see ``models.schema.col``); ``TABLES`` lists the tables in workbook
order. ``extra`` keeps columns a workbook had that the model does not know,
so that a round trip loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.schema import (
    AWARENESS,
    CATEGORIES,
    CRITICALITY,
    OWNERSHIPS,
    ROLES,
    SCOPES,
    SIZES,
    FieldSpec,
    Kind,
    col,
    field_specs,
)

SCHEMA_VERSION = 2  # 2: parks, park projects and policy instruments


@dataclass(slots=True, kw_only=True)
class Enterprise:
    id: str = col("编号", Kind.KEY, required=True, doc=("Unique id", "唯一编号"))
    name: str = col("名称", Kind.TEXT, required=True, doc=("Company name", "企业名称"))
    role: str = col("角色", Kind.ENUM, required=True, choices=ROLES,
                    doc=("Exactly one core enterprise per model", "每个模型只有一个核心企业"))
    size: str = col("规模", Kind.ENUM, required=True, choices=SIZES,
                    doc=("Enterprise size class", "企业规模"))
    ownership: str = col("所有制", Kind.ENUM, "other", choices=OWNERSHIPS,
                         doc=("Ownership", "所有制"))
    industry: str = col("行业", Kind.TEXT, doc=("Industry", "所属行业"))
    park: str = col("园区", Kind.TEXT, doc=("Industrial park (its id in Parks)",
                                           "所在产业园区（园区表中的编号）"))
    district: str = col("区", Kind.TEXT, doc=("District", "所在区"))
    employees: int = col("员工数", Kind.INT, 0, lo=0, doc=("Employees", "员工人数"))
    revenue: float = col("营业收入", Kind.NUM, 0.0, lo=0, amount=True,
                         doc=("Annual revenue (amount unit)", "年营业收入（金额单位）"))
    maturity: int = col("数字化水平", Kind.INT, 1, lo=1, hi=4,
                        doc=("Digital level 1–4 at the plan's start", "规划起始时的数字化水平（1–4级）"))
    awareness: str = col("认知程度", Kind.ENUM, "aware", choices=AWARENESS,
                         doc=("Awareness of the digital strategy", "对数字化战略的认知程度"))
    platform_connected: bool = col("已接入平台", Kind.BOOL,
                                   doc=("Already on the chain data platform", "是否已接入产业链数据平台"))
    x: float | None = col("x", Kind.OPT_NUM, doc=("Canvas position", "画布位置"))
    y: float | None = col("y", Kind.OPT_NUM, doc=("Canvas position", "画布位置"))
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class Link:
    supplier: str = col("供应方", Kind.KEY, required=True, doc=("Supplier's id", "供应方编号"))
    buyer: str = col("采购方", Kind.KEY, required=True, doc=("Buyer's id", "采购方编号"))
    annual_value: float = col("年交易额", Kind.NUM, 0.0, lo=0, amount=True,
                              doc=("Yearly trade value (amount unit)", "年交易额（金额单位）"))
    product: str = col("产品", Kind.TEXT, doc=("Product", "产品"))
    criticality: str = col("重要程度", Kind.ENUM, "medium", choices=CRITICALITY,
                           doc=("Criticality", "重要程度"))
    data_connected: bool = col("已数据互联", Kind.BOOL,
                               doc=("Already exchanging data digitally", "双方是否已数据互联"))
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class ProjectType:
    id: str = col("编号", Kind.KEY, required=True, doc=("Unique id", "唯一编号"))
    name: str = col("名称", Kind.TEXT, required=True, doc=("Project name", "项目名称"))
    category: str = col("类别", Kind.ENUM, required=True, choices=CATEGORIES,
                        doc=("Category", "类别"))
    capex: float = col("投资", Kind.NUM, 0.0, lo=0, amount=True,
                       doc=("One-off cost for a small enterprise", "小型企业的一次性投资"))
    opex: float = col("年运维费", Kind.NUM, 0.0, lo=0, amount=True,
                      doc=("Yearly running cost for a small enterprise", "小型企业的年运维费"))
    duration: int = col("工期", Kind.INT, 1, lo=1, doc=("Years to go-live", "建设工期（年）"))
    benefit_rate: float = col("效益率", Kind.NUM, 0.0, lo=0, percent=True,
                              doc=("Yearly benefit as a share of revenue", "年效益占营业收入比例"))
    benefit_fixed: float = col("固定效益", Kind.NUM, 0.0, lo=0, amount=True,
                               doc=("Yearly fixed benefit for a small enterprise",
                                    "小型企业的年固定效益"))
    maturity_gain: int = col("水平提升", Kind.INT, 0, lo=0, hi=3,
                             doc=("Levels added at go-live", "上线后提升的级数"))
    min_maturity: int = col("最低水平", Kind.INT, 1, lo=1, hi=4,
                            doc=("Level needed at the start year", "开始年所需的最低水平"))
    requires: str = col("前置项目", Kind.KEY,
                        doc=("Project that must be live first", "须先上线的项目"))
    connects_platform: bool = col("接入平台", Kind.BOOL,
                                  doc=("Go-live connects to the data platform", "上线后接入数据平台"))
    scope: str = col("范围", Kind.ENUM, "enterprise", choices=SCOPES,
                     doc=("Assigned to an enterprise, or to a park and shared by its members",
                          "分配给企业，或分配给园区由园区内企业共享"))
    eligible_sizes: tuple[str, ...] = col("适用规模", Kind.CHOICES, choices=SIZES,
                                          doc=("Sizes it suits; empty = all", "适用的企业规模，空为全部"))
    raises: tuple[tuple[str, int], ...] = col(
        "提升场景", Kind.RAISES,
        doc=("Health-check scenarios it digitalises, to what grade (e.g. production_control:2)",
             "所提升的数字化经营场景及等级（如 生产管控:2）"))
    awareness_gain: int = col("认知提升", Kind.INT, 0, lo=0, hi=3,
                              doc=("Coaching: awareness classes gained at go-live",
                                   "辅导培训：上线后认知程度提升的级数"))
    benefit_low: float = col("效益下限", Kind.NUM, 1.0, lo=0, hi=1,
                             doc=("Lowest likely benefit, as a multiple of the estimate",
                                  "效益可能的下限（估计值的倍数）"))
    benefit_high: float = col("效益上限", Kind.NUM, 1.0, lo=1,
                              doc=("Highest likely benefit, as a multiple of the estimate",
                                   "效益可能的上限（估计值的倍数）"))
    source: str = col("来源", Kind.TEXT, doc=("Where the figures come from", "数据来源"))
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class Scenario:
    name: str = col("名称", Kind.KEY, required=True, doc=("Unique name", "唯一名称"))
    description: str = col("说明", Kind.TEXT, doc=("Description", "说明"))
    start_year: int = col("起始年", Kind.INT, required=True, doc=("First year", "起始年份"))
    horizon: int = col("年限", Kind.INT, 5, lo=1, hi=50, doc=("Number of years", "规划年数"))
    discount_rate: float = col("折现率", Kind.NUM, 0.08, lo=0, percent=True,
                               doc=("Discount rate", "折现率"))
    subsidy_micro: float = col("微型补贴", Kind.NUM, 0.3, lo=0, hi=1, percent=True,
                               doc=("Government share of capex, micro", "微型企业投资补贴比例"))
    subsidy_small: float = col("小型补贴", Kind.NUM, 0.3, lo=0, hi=1, percent=True,
                               doc=("Government share of capex, small", "小型企业投资补贴比例"))
    subsidy_medium: float = col("中型补贴", Kind.NUM, 0.2, lo=0, hi=1, percent=True,
                                doc=("Government share of capex, medium", "中型企业投资补贴比例"))
    subsidy_large: float = col("大型补贴", Kind.NUM, 0.0, lo=0, hi=1, percent=True,
                               doc=("Government share of capex, large", "大型企业投资补贴比例"))
    subsidy_cap: float | None = col("补贴上限", Kind.OPT_NUM, lo=0, amount=True,
                                    doc=("Most subsidy per enterprise; empty = no cap",
                                         "每家企业补贴上限，空为不设上限"))
    link_benefit_rate: float = col("链接效益率", Kind.NUM, 0.02, lo=0, percent=True,
                                   doc=("Yearly saving on a newly connected link",
                                        "新互联链接的年节约比例"))
    target_level: int = col("目标水平", Kind.INT, 2, lo=1, hi=4,
                            doc=("Level that counts as digitalised", "视为已数字化的水平"))
    # policy instruments (docs/method.md, “Policy instruments”)
    opex_subsidy: float = col("运维补贴", Kind.NUM, 0.0, lo=0, hi=1, percent=True,
                              doc=("Government share of an eligible SME's running cost",
                                   "政府承担符合条件的中小企业运维费的比例"))
    opex_subsidy_years: int = col("运维补贴年数", Kind.INT, 3, lo=0,
                                  doc=("Years from go-live the running-cost subsidy lasts",
                                       "自上线起运维补贴的年数"))
    subsidy_min_level: int | None = col(
        "补贴达标水平", Kind.OPT_INT, lo=1, hi=4,
        doc=("Subsidies are paid once the firm reaches this level; empty = at once",
             "企业达到此水平后才发放补贴（事后奖补），空为立即发放"))
    subsidy_ownership: tuple[str, ...] = col(
        "补贴所有制", Kind.CHOICES, choices=OWNERSHIPS,
        doc=("Only these ownerships get subsidies; empty = all", "仅这些所有制的企业获得补贴，空为全部"))
    tax_relief_rate: float = col("税收减免率", Kind.NUM, 0.0, lo=0, hi=1, percent=True,
                                 doc=("Share of a firm's own digital spending returned as tax relief",
                                      "企业自身数字化支出中以税收减免返还的比例"))
    loan_share: float = col("贷款比例", Kind.NUM, 0.0, lo=0, hi=1, percent=True,
                            doc=("Share of an SME's own capex financed by a bank loan",
                                 "中小企业自付投资中由银行贷款承担的比例"))
    loan_rate: float = col("贷款利率", Kind.NUM, 0.04, lo=0, percent=True,
                           doc=("The loan's annual interest rate", "贷款年利率"))
    loan_years: int = col("贷款年限", Kind.INT, 3, lo=1,
                          doc=("Years of equal annual instalments", "等额年还款的年数"))
    interest_subsidy: float = col("贴息比例", Kind.NUM, 0.0, lo=0, hi=1, percent=True,
                                  doc=("Government's share of the loan interest (贷款贴息)",
                                       "政府承担的贷款利息比例（贷款贴息）"))
    # who takes part (docs/method.md, “Who takes part”): by awareness of the strategy
    participation_very_familiar: float = col(
        "参与率_非常了解", Kind.NUM, 1.0, lo=0, hi=1, percent=True,
        doc=("Share of very familiar SMEs that carry out their projects", "非常了解的中小企业实施项目的比例"))
    participation_aware: float = col(
        "参与率_了解", Kind.NUM, 0.9, lo=0, hi=1, percent=True,
        doc=("Share of aware SMEs that carry out their projects", "了解的中小企业实施项目的比例"))
    participation_heard_of: float = col(
        "参与率_听说过", Kind.NUM, 0.6, lo=0, hi=1, percent=True,
        doc=("Share of SMEs that only heard of it and carry out their projects",
             "仅听说过的中小企业实施项目的比例"))
    participation_unaware: float = col(
        "参与率_不了解", Kind.NUM, 0.3, lo=0, hi=1, percent=True,
        doc=("Share of unaware SMEs that carry out their projects", "不了解的中小企业实施项目的比例"))
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class Assignment:
    scenario: str = col("情景", Kind.KEY, required=True, doc=("Scenario name", "情景名称"))
    enterprise: str = col("企业", Kind.KEY, required=True, doc=("Enterprise id", "企业编号"))
    project: str = col("项目", Kind.KEY, required=True, doc=("Project id", "项目编号"))
    start_year: int = col("开始年", Kind.INT, required=True, doc=("Start year", "开始年份"))
    core_share: float = col("核心企业分担", Kind.NUM, 0.0, lo=0, hi=1, percent=True,
                            doc=("Core's share of the non-subsidised cost",
                                 "核心企业分担的非补贴成本比例"))
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class Park:
    id: str = col("编号", Kind.KEY, required=True,
                  doc=("Unique id; what enterprises write in Park", "唯一编号，企业“园区”列填写此编号"))
    name: str = col("名称", Kind.TEXT, doc=("Park name", "园区名称"))
    district: str = col("区", Kind.TEXT, doc=("District", "所在区"))
    operator: str = col("运营方", Kind.TEXT, doc=("The park's operating company", "园区运营方"))
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class ParkAssignment:
    scenario: str = col("情景", Kind.KEY, required=True, doc=("Scenario name", "情景名称"))
    park: str = col("园区", Kind.KEY, required=True, doc=("Park id", "园区编号"))
    project: str = col("项目", Kind.KEY, required=True, doc=("Park project id", "园区项目编号"))
    start_year: int = col("开始年", Kind.INT, required=True, doc=("Start year", "开始年份"))
    government_share: float = col("政府分担", Kind.NUM, 0.0, lo=0, hi=1, percent=True,
                                  doc=("Government's share of the cost", "政府分担的成本比例"))
    core_share: float = col("核心企业分担", Kind.NUM, 0.0, lo=0, hi=1, percent=True,
                            doc=("Core's share of the cost; the park operator pays the rest",
                                 "核心企业分担的成本比例，其余由园区运营方承担"))
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class Assessment:
    """One digital health check (数字化体检) of one enterprise on one date.

    The answers are keyed by the indicator set's item and scenario keys
    (``models.indicators``), so the set stays data: a corrected table changes
    the columns without a code change.
    """

    enterprise: str = col("企业", Kind.KEY, required=True, doc=("Enterprise id", "企业编号"))
    date: str = col("日期", Kind.KEY, required=True,
                    doc=("Assessment date, like 2025-03-31", "评测日期，如 2025-03-31"))
    answers: dict[str, Any] = field(default_factory=dict)  # item key -> canonical answer
    scenarios: dict[str, int] = field(default_factory=dict)  # scenario key -> grade 0–4
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class Settings:
    model_name: str = col("模型名称", Kind.TEXT, "", doc=("Model name", "模型名称"))
    currency: str = col("币种", Kind.TEXT, "CNY", doc=("Currency", "币种"))
    amount_unit: str = col("金额单位", Kind.TEXT, "10k", doc=("Amount unit (10k = 万元)",
                                                         "金额单位（10k = 万元）"))
    size_factor_micro: float = col("微型系数", Kind.NUM, 0.5, lo=0,
                                   doc=("Cost and benefit multiplier, micro", "微型企业成本效益系数"))
    size_factor_small: float = col("小型系数", Kind.NUM, 1.0, lo=0,
                                   doc=("Cost and benefit multiplier, small", "小型企业成本效益系数"))
    size_factor_medium: float = col("中型系数", Kind.NUM, 2.0, lo=0,
                                    doc=("Cost and benefit multiplier, medium", "中型企业成本效益系数"))
    size_factor_large: float = col("大型系数", Kind.NUM, 4.0, lo=0,
                                   doc=("Cost and benefit multiplier, large", "大型企业成本效益系数"))
    schema_version: int = col("格式版本", Kind.INT, SCHEMA_VERSION, lo=1,
                              doc=("File format version", "文件格式版本"))
    extra: dict[str, Any] = field(default_factory=dict)

    def size_factor(self, size: str) -> float:
        return float(getattr(self, "size_factor_" + size))


@dataclass(frozen=True)
class TableSpec:
    """One table of the model as it appears in files."""

    attr: str  # attribute of ChainModel holding the rows
    sheet: str  # English sheet name
    zh: tuple[str, ...]  # Chinese sheet names; the first is written
    cls: type
    key: tuple[str, ...]  # fields that identify a row uniquely
    fields: tuple[FieldSpec, ...]
    doc: tuple[str, str]
    optional: bool = False  # a workbook without the sheet is complete (parks came with v2)

    def sheet_name(self, lang: str) -> str:
        return self.zh[0] if lang == "zh_CN" else self.sheet

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)

    def key_of(self, row: Any) -> str:
        return " → ".join(str(getattr(row, k)) for k in self.key)


def _table(attr: str, sheet: str, zh: tuple[str, ...], cls: type, key: tuple[str, ...],
           doc: tuple[str, str], optional: bool = False) -> TableSpec:
    return TableSpec(attr, sheet, zh, cls, key, field_specs(cls), doc, optional)


TABLES: tuple[TableSpec, ...] = (
    _table("enterprises", "Enterprises", ("企业",), Enterprise, ("id",),
           ("One row per enterprise: the core and its SMEs.", "每行一家企业：核心企业及其上下游中小企业。")),
    _table("links", "Links", ("链接", "供应关系"), Link, ("supplier", "buyer"),
           ("One row per supply relation; goods flow supplier → buyer.",
            "每行一条供应关系，货物由供应方流向采购方。")),
    _table("projects", "Projects", ("项目",), ProjectType, ("id",),
           ("The catalogue of digitalisation projects; costs and benefits for a small enterprise.",
            "数字化项目目录；成本与效益以小型企业为基准。")),
    _table("scenarios", "Scenarios", ("情景",), Scenario, ("name",),
           ("Planning scenarios: horizon, discount rate, subsidy rules.",
            "规划情景：年限、折现率、补贴规则。")),
    _table("assignments", "Assignments", ("分配", "项目分配"), Assignment,
           ("scenario", "enterprise", "project"),
           ("Which project each enterprise starts in which year, per scenario.",
            "各情景下每家企业在哪一年开始哪个项目。")),
    _table("parks", "Parks", ("园区",), Park, ("id",),
           ("Industrial parks; an enterprise's Park column names one of them. Empty: every "
            "park named by an enterprise is a park.",
            "产业园区；企业的“园区”列填写其中之一。为空时，企业填写的每个园区即为一个园区。"),
           optional=True),
    _table("park_assignments", "ParkAssignments", ("园区项目分配",), ParkAssignment,
           ("scenario", "park", "project"),
           ("Park projects (shared 5G, park platform) per scenario; every member firm benefits.",
            "各情景下的园区项目（共享5G、园区平台等），园区内每家企业受益。"), optional=True),
)
# The optional Assessments sheet: its answer columns come from the indicator
# set, so it is not in TABLES (whose columns are all declared fields); the readers,
# writers and validation handle it next to them.
ASSESSMENTS = _table("assessments", "Assessments", ("评测",), Assessment, ("enterprise", "date"),
                     ("Digital health checks: one row per enterprise and date, one column per "
                      "indicator and business scenario (graded 0–4).",
                      "数字化体检：每行一家企业的一次评测，每个指标和经营场景（0–4级）一列。"))
SETTINGS_FIELDS = field_specs(Settings)
TABLE_BY_ATTR = {t.attr: t for t in (*TABLES, ASSESSMENTS)}


@dataclass
class ChainModel:
    settings: Settings = field(default_factory=Settings)
    enterprises: list[Enterprise] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    projects: list[ProjectType] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    parks: list[Park] = field(default_factory=list)
    park_assignments: list[ParkAssignment] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)

    def rows(self, table: TableSpec) -> list[Any]:
        rows: list[Any] = getattr(self, table.attr)
        return rows

    def core(self) -> Enterprise | None:
        return next((e for e in self.enterprises if e.role == "core"), None)

    def enterprise_index(self) -> dict[str, Enterprise]:
        return {e.id: e for e in self.enterprises}

    def project_index(self) -> dict[str, ProjectType]:
        return {p.id: p for p in self.projects}

    def park_ids(self) -> list[str]:
        """The parks: the Parks table, or when it is empty every park an enterprise names."""
        if self.parks:
            return [k.id for k in self.parks]
        return sorted({e.park for e in self.enterprises if e.park})

    def scenario(self, name: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.name == name), None)

    def summary(self) -> dict[str, int]:
        return {t.attr: len(self.rows(t)) for t in TABLES}
