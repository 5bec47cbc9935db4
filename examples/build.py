"""Build the bundled example chains (run ``python examples/build.py`` from the project root).

Three chains a Shanghai planner would recognise, each led by a core enterprise:

- ``aircraft.xlsx`` (and ``aircraft_zh.xlsx``, the same model with Chinese headers and
  values): large-aircraft final assembly in the Zhuqiao aviation city, Pudong;
- ``vehicles.xlsx``: intelligent connected (new-energy) vehicles, Lingang and Jiading;
- ``shipbuilding.xlsx``: a shipyard on Changxing Island.

All companies are fictional; any likeness to a real firm's name is a coincidence. Parks
and districts are real places; each chain's Parks table names a park's operating company
(园区运营方) where a well-known development group runs it (Lingang Group, Zhangjiang Group,
Jinqiao Group, the Shanghai International Automobile City group at Anting, …) and leaves it
blank where we know of no single operator. Amounts are in 万元 (amount unit "10k", CNY). Sizes follow
China's industrial size classes (工信部联企业〔2011〕300号): medium needs 300+ staff,
large 1,000+ staff and 40,000 万元 revenue, micro fewer than 20 staff or
under 300 万元.

The data are plain tables below. Shared helpers turn them into a ``ChainModel``: one
project catalogue (the same project has the same figures in every chain, two of them
park projects shared by a park's members), the same three scenarios, and assignments made
by one rule set plus a short per-chain list of showcase projects. Each chain adds a
park-led scenario (the district and the park operator fund a park 5G network and platform
instead of grants to each firm) and a policy-mix scenario built from the other levers:
grants paid once a firm reaches level 2 (事后奖补), loans with interest subsidy (贷款贴息),
tax relief (研发费用加计扣除) and a running-cost subsidy for cloud software; each policy mix
first coaches (辅导) the firms that know the strategy least. Every project has a benefit
range its source explains, every programme scenario participation rates by awareness that
its description states, and firms' awareness follows the paper's survey (5.8 % very
familiar, 66.3 % aware or heard of, 27.9 % unaware). The script is deterministic and
checks each model (no errors, no warnings but those naming firms with no level, tiers as
the ids say) before writing it.
"""
# The data tables read best one record per line:
# ruff: noqa: E501

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.chain import (
    Assessment,
    Assignment,
    ChainModel,
    Enterprise,
    Link,
    Park,
    ParkAssignment,
    ProjectType,
    Scenario,
    Settings,
)
from models.indicators import NO_LEVEL, default_indicator_set, maturity_of_level, read_raises
from models.jsonio import save_json
from models.validation import places, validate
from models.workbook import save_workbook

FOLDER = Path(__file__).resolve().parent
# the catalogue a template can start from (chainplan template --catalogue)
CATALOGUE = FOLDER.parent / "planner" / "data" / "catalogue.json"
START_YEAR = 2026

# --------------------------------------------------------------------------------------
# Project catalogue, shared by all chains. Figures are for a SMALL enterprise, in 万元;
# the model's size factors (micro 0.5, medium 2, large 4) scale capex, opex and the
# fixed benefit. Each chain picks its projects by key and they are numbered P01, P02 …
# in that order; ``requires`` names another key.
# --------------------------------------------------------------------------------------

ALL = ()  # eligible_sizes: every size
MEDIUM_UP = ("medium", "large")
SMALL_UP = ("small", "medium", "large")

#  key: (name, category, capex, opex, duration, benefit_rate, benefit_fixed,
#        maturity_gain, min_maturity, requires, connects_platform, eligible_sizes, source)
PROJECTS = {
    "cloud_erp": (
        "Cloud ERP (SME cloud onboarding) 云ERP（企业上云）", "management",
        12, 4, 1, 0.001, 5, 1, 1, "", False, ALL,
        "Modelled on the SME cloud-onboarding packages of the national 上云用数赋智 action "
        "(NDRC/CAC 2020) and Shanghai's SME digital-transformation support: a SaaS ERP "
        "subscription plus implementation. Assumed: capex 12, opex 4 万元/yr for a small firm; "
        "benefit 5 万元/yr plus 0.1 % of revenue (inventory, purchasing and admin savings)."),
    "platform": (
        "Chain data platform onboarding (identifier resolution) 产业链数据平台接入（标识解析）",
        "collaboration", 5, 1.5, 1, 0.0003, 1, 0, 1, "", True, ALL,
        "Onboarding to the core enterprise's industrial internet platform with 工业互联网标识解析 "
        "identifiers, as in MIIT's chain-led SME digitalisation pilots (链式数字化转型). Assumed: "
        "capex 5, opex 1.5 万元/yr, own benefit 1 万元/yr plus 0.03 % of revenue (less order "
        "re-keying); the main benefit is the link saving (the scenario's link_benefit_rate) "
        "once both ends are connected."),
    "mes": (
        "MES manufacturing execution system MES制造执行系统", "operations",
        60, 10, 1, 0.002, 10, 1, 2, "cloud_erp", False, SMALL_UP,
        "A lightweight or SaaS MES for a small discrete manufacturer, on top of its ERP. "
        "Assumed: capex 60, opex 10 万元/yr; benefit 10 万元/yr plus 0.2 % of revenue from "
        "less scrap, work-in-progress and overtime (deliberately far below the 10–20 % "
        "efficiency gains usually quoted in smart-factory case collections)."),
    "security": (
        "Data security & MLPS 2.0 compliance 数据安全与等保2.0", "security",
        8, 3, 1, 0, 1.5, 0, 1, "", False, ALL,
        "Classified protection (等保2.0) level-2 assessment and rectification plus data "
        "classification under the Data Security Law, needed once a firm shares data on the "
        "chain platform. Assumed: capex 8, opex 3 万元/yr; benefit 1.5 万元/yr of avoided "
        "incident losses. A compliance project: it is not expected to pay for itself."),
    "5g": (
        "5G private network (operator virtual private network) 5G专网（虚拟专网）",
        "infrastructure", 20, 6, 1, 0, 2, 0, 1, "", False, ALL,
        "An operator's 5G virtual private network (network slice / local UPF), the base of "
        "the 5G factory cases below. Assumed: capex 20, opex 6 万元/yr for a small plant; "
        "benefit 2 万元/yr of Wi-Fi and cabling upkeep saved."),
    "agv": (
        "5G+AGV intralogistics 5G+AGV智能物流", "operations",
        60, 6, 1, 0, 15, 1, 2, "5g", False, MEDIUM_UP,
        "5G-connected AGVs/AMRs with fleet software, as in MIIT's 5G+工业互联网 typical "
        "applications. Assumed: 2–3 vehicles for capex 60, opex 6 万元/yr; benefit 15 万元/yr "
        "(about three material handlers' labour)."),
    "ai_inspection": (
        "5G+AI visual defect inspection 5G+AI视觉缺陷检测", "operations",
        100, 12, 1, 0, 30, 1, 2, "5g", False, MEDIUM_UP,
        "Machine-vision defect inspection over 5G with an AI model trained on the plant's own "
        "images, as in MIIT's 5G+工业互联网 typical applications. Assumed: capex 100, "
        "opex 12 万元/yr; benefit 30 万元/yr of inspection labour and escaped defects."),
    "rivet_8k": (
        "5G+8K rivet and skin surface inspection 5G+8K铆钉与蒙皮检测", "operations",
        80, 10, 1, 0, 25, 1, 2, "5g", False, MEDIUM_UP,
        "Reported in the COMAC final-assembly 5G factory case (with China Unicom): 8K cameras "
        "over 5G inspect rivets and skin surfaces at about 3× the manual efficiency. Assumed "
        "here: capex 80, opex 10 万元/yr; benefit 25 万元/yr (two thirds of a small inspection "
        "team's time)."),
    "ar_guidance": (
        "5G+AR harness assembly guidance 5G+AR线缆装配指导", "operations",
        25, 5, 1, 0, 20, 1, 1, "5g", False, ALL,
        "Reported in the COMAC 5G factory case: AR-guided cable and connector assembly about "
        "30 % more efficient. Assumed here: about 10 assemblers each 30 % faster, a benefit of "
        "20 万元/yr for a small firm; headsets and work-instruction content capex 25, "
        "opex 5 万元/yr."),
    "traceability": (
        "Quality traceability by identifiers 基于标识解析的质量追溯", "collaboration",
        12, 3, 1, 0.0005, 3, 0, 1, "platform", False, ALL,
        "Part- and batch-level 工业互联网标识解析 identifiers linked to the core enterprise's "
        "quality system (airworthiness, IATF 16949 or class-society records). Assumed: "
        "capex 12, opex 3 万元/yr; benefit 3 万元/yr plus 0.05 % of revenue from faster "
        "containment and fewer audit findings."),
    "digital_twin": (
        "Digital-twin production line 数字孪生产线", "operations",
        200, 25, 2, 0, 80, 1, 3, "", False, MEDIUM_UP,
        "Line simulation and virtual commissioning, as in Shanghai's smart-factory (智能工厂) "
        "showcase cases; only for plants already at level 3. Assumed: capex 200, opex 25 "
        "万元/yr, two years to go live; benefit 80 万元/yr from faster ramp-up and changeovers."),
    "digital_welding": (
        "Digital welding management 数字化焊接管理", "operations",
        40, 6, 1, 0, 18, 1, 1, "", False, ALL,
        "Networked welding machines with parameter monitoring and consumables tracking, as in "
        "shipyards' smart-welding (智能焊接) upgrades, where a few per cent less wire, gas and "
        "rework is the usual claim. Assumed: capex 40, opex 6 万元/yr; benefit 18 万元/yr."),
    "pipe_scheduling": (
        "Pipe prefabrication scheduling 管子加工智能排产", "operations",
        30, 5, 1, 0, 15, 1, 2, "", False, SMALL_UP,
        "Nesting and scheduling of pipe-spool cutting, bending and welding linked to the "
        "shipyard's production plan. Assumed: capex 30, opex 5 万元/yr; benefit 15 万元/yr "
        "from less idle time and material."),
    # park projects (scope park): assigned to a park, shared by every member firm; figures
    # are for the whole park (no size factor), benefits per member (× its size factor)
    "park_5g": (
        "Park 5G private network 园区5G专网", "infrastructure",
        200, 30, 1, 0, 2, 0, 1, "", False, ALL,
        "A park-wide 5G private network built and run by a telecom operator for the park "
        "(shared indoor and outdoor small cells, a local UPF/MEC in the park's data room), as "
        "in MIIT's 5G+工业互联网 programme and Shanghai's 双千兆 gigabit-city plan, where park "
        "operators and carriers share the cost. No published figure fits one park, so all "
        "are assumptions: capex 200, opex 30 万元/yr for the park (about what ten small "
        "plants would pay for their own virtual private networks); each member saves "
        "2 万元/yr of Wi-Fi and cabling upkeep, as with its own network. A member running "
        "5G applications still takes its own slice (the enterprise 5G project)."),
    "park_platform": (
        "Park industrial internet platform (shared data platform) 园区工业互联网平台（共享数据平台）",
        "collaboration", 150, 40, 1, 0, 5, 0, 1, "", True, ALL,
        "A shared data platform run by the park operator that connects every member firm to "
        "the chain's platform through an identifier-resolution (工业互联网标识解析) node, as in "
        "the park pilots of MIIT's SME digital-transformation city programme (中小企业数字化转型"
        "城市试点) and Shanghai's 特色产业园区 digital services. Assumed: capex 150, opex "
        "40 万元/yr for the park (roughly 20 firms' own onboarding); each member is connected, "
        "whether or not it joined a programme, and saves 5 万元/yr (× its size factor) of "
        "order re-keying and shared tools, about what its own onboarding gives a firm of 1.3 亿元 "
        "revenue (no share of revenue, so that large members such as a core gain no windfall)."),
    # coaching (辅导): the core trains its suppliers; no benefit of its own, it raises the
    # firm's awareness (the catalogue's awareness_gain) and so who takes part
    "coaching": (
        "Core-led supplier coaching 核心企业辅导培训", "management",
        3, 0.5, 1, 0, 0, 0, 1, "", False, ("micro", "small", "medium"),
        "The core enterprise trains its SMEs: a course on the chain's digital strategy, an "
        "on-site diagnosis (数字化诊断) and hands-on training in its data platform, as the "
        "chain leaders (链主企业) of MIIT's chain-led transformation (链式数字化转型, "
        "大手拉小手) and the SME digital-transformation city pilots (中小企业数字化转型城市试点, "
        "MOF/MIIT from 2023, which pay service providers for diagnoses and training) do for "
        "their suppliers; the paper's survey finds 27.9 % of SMEs unaware of the strategy. "
        "No published figure fits one firm, so all are assumptions: capex 3 万元 per small "
        "firm (two days' course and a diagnosis), opex 0.5 万元/yr (refreshers, help desk); "
        "at go-live the firm's awareness rises two classes (unaware → aware, heard of → very "
        "familiar), which the survey does not measure."),
}

# the projects assigned to parks rather than to enterprises
PARK_SCOPE = ("park_5g", "park_platform")
# what coaching raises (awareness classes at go-live); every other project raises none
AWARENESS_GAIN = {"coaching": 2}

# Each project's benefit range (效益区间, the benefit as a multiple of the estimate: low,
# high) and why, from its source: a case study's reported gain is the high end and a
# conservative figure the low end; where no source gives a figure the range is an
# assumption and moderate. The Monte-Carlo draws each project's multiplier from the
# triangle (low, 1, high), so a range skewed low lowers the expected benefit too.
RANGES: dict[str, tuple[float, float, str]] = {
    "cloud_erp": (0.6, 1.4, "an assumption, no survey gives an SME figure: many small firms "
                            "use only the finance module (low), a full roll-out saves more "
                            "stock and admin time (high)"),
    "platform": (0.5, 1.5, "an assumption for the firm's own saving; the larger link saving "
                           "is the scenario's link rate, varied in the tornado"),
    "mes": (0.5, 2.0, "the 10–20 % efficiency gains of smart-factory case collections are "
                      "the high end (about twice our estimate), a partial roll-out that "
                      "collects data but changes little the low end"),
    "security": (0.5, 2.0, "avoided losses are the expected cost of rare incidents: an "
                           "assumption, from half to twice the estimate"),
    "5g": (0.5, 1.5, "an assumption: how much Wi-Fi and cabling upkeep a plant had"),
    "agv": (0.6, 1.5, "an assumption: three handlers' labour on one shift; a plant on two "
                      "shifts saves more (high), a cramped one less (low)"),
    "ai_inspection": (0.5, 1.5, "the labour cuts in MIIT's 5G+工业互联网 typical applications "
                                "are the high end, a model that needs manual re-checks half "
                                "the estimate the low end"),
    "rivet_8k": (0.4, 1.0, "the reported 3× efficiency is our estimate already, so it is the "
                           "high end; a supplier's smaller, varied batches may get 40 % of it"),
    "ar_guidance": (0.5, 1.0, "the reported 30 % is our estimate already, so it is the high "
                              "end; half of it for a supplier's less repetitive harnesses is "
                              "the low end"),
    "traceability": (0.5, 1.5, "an assumption: how often containment and audits happen"),
    "digital_twin": (0.4, 1.5, "the faster ramp-ups of Shanghai's smart-factory showcases "
                               "are the high end; a twin kept up only for commissioning "
                               "gives well under half (low)"),
    "digital_welding": (0.5, 1.3, "the few per cent of wire, gas and rework the smart-welding "
                                  "upgrades claim is the high end, half of it the low end"),
    "pipe_scheduling": (0.6, 1.4, "an assumption: how much idle time the shop had"),
    "park_5g": (0.5, 1.5, "an assumption, as the saving per member is"),
    "park_platform": (0.5, 1.5, "an assumption, as the saving per member is"),
    "coaching": (1.0, 1.0, "none, the project has no benefit of its own (its effect is on "
                           "who takes part)"),
}


def range_text(key: str) -> str:
    """The sentence that states and explains a project's benefit range."""
    low, high, why = RANGES[key]
    return f" Benefit range ×{low:g}–×{high:g} (效益区间): {why}."


# Which health-check scenarios each project digitalises, to what grade (the catalogue's
# ``raises``), read against the grade texts of the 2024 indicators: an ERP's modules run
# finance, purchasing, stock and sales in one system (grade 2); onboarding the chain
# platform links purchasing with the core's systems (procurement 3); an MES collects work
# orders and process parameters (production control 3); AI vision inspection is quality's
# grade-4 example; identifier traceability is quality grade 3; AGVs tie the warehouse to
# production (3); networked welding machines report their parameters (equipment 3); pipe
# scheduling plans under material and delivery constraints (planning 3); a digital twin
# simulates the process (process design 4). 5G and data security lift foundation items
# (network, security), not business scenarios.
RAISES = {
    "cloud_erp": "finance:2, procurement:2, warehousing_logistics:2, marketing:2",
    "platform": "procurement:3",
    "mes": "production_control:3, planning_scheduling:2, quality:2",
    "security": "",
    "5g": "",
    "agv": "warehousing_logistics:3",
    "ai_inspection": "quality:4",
    "rivet_8k": "quality:3",
    "ar_guidance": "production_control:2",
    "traceability": "quality:3",
    "digital_twin": "process_design:4, production_control:3",
    "digital_welding": "equipment:3, production_control:2",
    "pipe_scheduling": "planning_scheduling:3",
    # a park project is not one firm's project: nothing to recommend to a firm
    "park_5g": "",
    "park_platform": "",
    "coaching": "",  # it changes people, not a scenario's grade
}


def catalogue(keys: list[str], variants: dict[str, dict[str, str | float]] | None = None
              ) -> tuple[list[ProjectType], dict[str, str]]:
    """The chain's projects (numbered P01 … in ``keys`` order) and a key → id map."""
    ids = {key: f"P{n:02d}" for n, key in enumerate(keys, start=1)}
    projects = []
    for key in keys:
        (name, category, capex, opex, duration, rate, fixed, gain, level, requires, connects,
         sizes, source) = PROJECTS[key]
        assert not requires or requires in ids, f"{key} requires {requires}, not in catalogue"
        project = ProjectType(id=ids[key], name=name, category=category, capex=float(capex),
                              opex=float(opex), duration=duration, benefit_rate=float(rate),
                              benefit_fixed=float(fixed), maturity_gain=gain,
                              min_maturity=level, requires=ids.get(requires, ""),
                              connects_platform=connects, eligible_sizes=sizes,
                              scope="park" if key in PARK_SCOPE else "enterprise",
                              raises=read_raises(RAISES[key]), source=source,
                              awareness_gain=AWARENESS_GAIN.get(key, 0),
                              benefit_low=RANGES[key][0], benefit_high=RANGES[key][1])
        variant = dict((variants or {}).get(key, {}))
        low, high, _ = RANGES[key]
        variant.setdefault("source", source + range_text(key))
        # a variant may give its own range (and then says why in its source)
        variant["benefit_low"] = float(variant.get("benefit_low", low))
        variant["benefit_high"] = float(variant.get("benefit_high", high))
        projects.append(replace(project, **variant))
    return projects, ids


# --------------------------------------------------------------------------------------
# Scenarios and the assignment rules, shared by all chains.
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ParkProject:
    """A park project of a programme: who builds what in which park, and who pays."""

    park: str  # park id
    project: str  # catalogue key (a park project)
    start_year: int
    government_share: float
    core_share: float  # the park operator pays the rest


# participation rates by awareness (very familiar, aware, heard of, unaware), why, and why
# in Chinese
Take = tuple[tuple[float, float, float, float], str, str]


@dataclass(frozen=True)
class Programme:
    """Who is brought in by a programme scenario, and who pays."""

    scenario: Scenario
    core_share: float  # of every SME assignment's non-subsidised cost
    max_tier: int  # upstream / downstream tiers reached
    awareness: tuple[str, ...]  # firms willing to take part
    parks: tuple[ParkProject, ...] = ()  # shared projects of parks
    # awareness classes the core coaches first (辅导): those firms take the coaching project
    # a year before their other projects, which start once it is live
    coaching: tuple[str, ...] = ()
    take: Take | None = None  # participation rates by awareness, and why


# A newly data-connected link saves 0.5 % of its trade value a year (less expediting,
# re-keying and safety stock): an assumption, a quarter of the 2 % default, because the
# chain's largest links are worth hundreds of millions of yuan.
LINK_BENEFIT_RATE = 0.005
LINK_NOTE = "Link saving assumed at 0.5 % of trade value a year."
NO_SUBSIDY = {"subsidy_micro": 0.0, "subsidy_small": 0.0, "subsidy_medium": 0.0,
              "subsidy_large": 0.0}


def horizon_years(horizon: int) -> dict[str, object]:
    """The years, discount and link saving every scenario of a chain shares."""
    return {"start_year": START_YEAR, "horizon": horizon, "discount_rate": 0.08,
            "link_benefit_rate": LINK_BENEFIT_RATE}


# the texts the policy scenarios share (English, then Chinese)
REACH_NOTE = ("The core pays 30 % of its SMEs' costs and the programme reaches as far as "
              "'Core-led with subsidy', the grant-per-firm scenario to compare with. ")
REACH_NOTE_ZH = "链主分担中小企业费用的30%，覆盖范围与“Core-led with subsidy”（逐家补贴）相同。"
GRANT_NOTE = ("Grants per firm as in 'Core-led with subsidy' (30 % of a micro or small firm's "
              "capex, 20 % of a medium firm's, at most 50 万元 per firm), but paid only once the "
              "firm has reached level 2 (事后奖补): a firm still at level 1 waits until its "
              "upgrade goes live (the plan assumes every upgrade delivers, so here the gate "
              "defers payment rather than saving it). ")
GRANT_NOTE_ZH = ("按规模补贴投资（小微企业30%、中型企业20%，每家上限50万元），但企业达到数字化二级后"
                 "才发放（事后奖补），仍为一级的企业须待改造上线后领取")
LOAN_NOTE = ("Bank loans finance half of each SME's own capex share (4 % a year, three equal "
             "instalments); the government pays half of the interest (贷款贴息). ")
LOAN_NOTE_ZH = "中小企业自付投资的一半由银行贷款解决（年利率4%，三年等额还款），政府贴息50%"


def park_led_text(park: str, park_zh: str, funds: str, funds_zh: str, operator: str,
                  operator_zh: str) -> str:
    """The description of a park-led scenario."""
    return (f"Fund the park, not each firm. In 2026 a shared 5G network and an industrial "
            f"internet platform are built for {park}: {funds} pay half of each, the operator "
            f"{operator} the rest of the network and 30 % of the platform, the core 20 % of the "
            f"platform. From 2027 every member of the park is on the chain's data platform, "
            f"firms no programme reaches included, and members need no onboarding of their "
            f"own. No firm gets a grant. " + REACH_NOTE + "The park projects' figures are "
            "assumptions. " + LINK_NOTE +
            f" 园区带动：政府资金投向园区而非逐家企业。2026年为{park_zh}建设园区5G专网和园区工业互联网"
            f"平台，{funds_zh}承担两个项目费用的一半，运营方{operator_zh}承担专网其余部分和平台的30%，链主承担平台"
            f"的20%；2027年起园区内所有企业接入产业链数据平台，无需各自接入。企业不获投资补贴。"
            + REACH_NOTE_ZH + "园区项目数据为假设。")


# Who goes ahead with an assigned project, by awareness (very familiar, aware, heard of,
# unaware): assumptions a consultant would make for each kind of programme; the survey
# says why SMEs hesitate (cost first, then talent) but not how many go ahead.
CORE_LED_TAKE: Take = ((1.0, 0.9, 0.6, 0.3), "the defaults: the core, their buyer, leads and "
                       "pays half", "取默认值：链主作为采购方牵头并承担一半费用")
GRANT_TAKE: Take = ((1.0, 0.9, 0.7, 0.4), "grants ease the cost worry SMEs name first",
                    "补贴缓解中小企业首要的资金顾虑")
PARK_TAKE: Take = ((1.0, 0.85, 0.5, 0.2), "no grant: SMEs pay 70 % of their own projects",
                   "无投资补贴，中小企业自付自身项目费用的70%")
LEVEL2_TAKE: Take = ((1.0, 0.9, 0.6, 0.3), "the defaults: the grant comes only at level 2, "
                     "the loan spreads the firm's share", "取默认值：达到二级后才发放补贴，贷款分摊企业自付部分")
TAX_TAKE: Take = ((1.0, 0.85, 0.55, 0.25), "tax relief is worth little to a small low-profit "
                  "firm; the running-cost subsidy helps with the cloud projects",
                  "小型微利企业从税收减免中获益有限，运维补贴有助于云服务项目")


# how far the subsidised programme reaches, and the core's share in it
SUBSIDISED_REACH: dict = {"core_share": 0.3, "max_tier": 3,
                          "awareness": ("very_familiar", "aware", "heard_of")}
# a policy mix coaches first the firms that have only heard of the strategy or not at all,
# so the unaware join too
COACHED_REACH: dict = {"awareness": ("very_familiar", "aware", "heard_of", "unaware"),
                       "coaching": ("heard_of", "unaware")}
COACHING_NOTE = ("The core first coaches (辅导) the SMEs that have only heard of the strategy "
                 "or not at all, so the unaware join too: a course, a diagnosis and platform "
                 "training, paid by the core, the year before their other projects start. ")
COACHING_NOTE_ZH = "链主先对仅听说过或不了解数字化战略的中小企业开展辅导培训（课程、诊断与平台使用培训，费用由链主承担），其余项目于次年开始，不了解的企业也纳入。"


def described(programme: Programme) -> Scenario:
    """The programme's scenario with its participation rates and its coaching, both stated
    in its description (English before the link note, Chinese after it)."""
    scenario = programme.scenario
    english, sep, chinese = scenario.description.partition(LINK_NOTE)  # Chinese follows it
    assert sep, "a programme's description has the link note before its Chinese"
    if programme.coaching:
        english, chinese = english + COACHING_NOTE, chinese + COACHING_NOTE_ZH
    if programme.take is None:
        return replace(scenario, description=english + LINK_NOTE + chinese)
    rates, why, why_zh = programme.take
    shares = [f"{round(100 * r)}" for r in rates]
    text = ("Assumed share of assigned SMEs that go ahead, by awareness: very familiar "
            "{} %, aware {} %, heard of {} %, unaware {} % ".format(*shares) + f"({why}).")
    text_zh = "假设参与率（按认知程度）：非常了解{}%、了解{}%、听说过{}%、不了解{}%".format(
        *shares) + f"（{why_zh}）。"
    return replace(scenario, participation_very_familiar=rates[0],
                   participation_aware=rates[1], participation_heard_of=rates[2],
                   participation_unaware=rates[3],
                   description=english + LINK_NOTE + " " + text + chinese + text_zh)


def scenarios(horizon: int) -> tuple[Scenario, list[Programme]]:
    """The baseline and the two programme scenarios every example carries."""
    years = horizon_years(horizon)
    baseline = Scenario(
        name="No programme", **years,
        description="Baseline: no chain programme, nothing assigned. "
                    "基准情景：无链主带动的数字化项目。")
    core_led = Programme(
        Scenario(name="Core-led", **years, **NO_SUBSIDY,
                 description="The core enterprise leads and pays half of its suppliers' and "
                             "partners' costs; no government subsidy. Tier 1–2 firms that are "
                             "aware of the strategy join. " + LINK_NOTE +
                             " 链主企业牵头并承担一半费用，无政府补贴。"),
        core_share=0.5, max_tier=2, awareness=("very_familiar", "aware"), take=CORE_LED_TAKE)
    subsidised = Programme(
        Scenario(name="Core-led with subsidy", **years, subsidy_cap=50.0,
                 description="Grant per firm: the core pays 30 %; Shanghai and district funds subsidise 30 % of "
                             "a micro or small firm's capex and 20 % of a medium firm's, at most "
                             "50 万元 per firm. Tier 3 and less aware firms join too. " + LINK_NOTE +
                             " 逐家补贴：链主分担30%，政府按规模补贴投资（每家上限50万元），覆盖至三级供应商。"),
        **SUBSIDISED_REACH, take=GRANT_TAKE)
    return baseline, [core_led, subsidised]


def programme_plan(model: ChainModel, ids: dict[str, str], programme: Programme,
                   showcase: list[tuple[str, str, int]]) -> list[Assignment]:
    """The assignments of one programme scenario.

    Rules: every SME (not large, not the core) within ``max_tier`` whose awareness is in
    ``awareness`` joins the chain platform and takes cloud ERP in the year 2025 + tier
    (tier 1 in 2026, tier 2 in 2027 …), skipping what it already has (platform connection,
    level 3+). Upstream tier-1 firms that took ERP add MES the year after. Data security
    goes to firms already on the platform at once, and to tier-1 firms the year they join.
    The chain's ``showcase`` (enterprise, project key, year) projects come on top. A member
    of a park whose programme builds a park platform is connected by it and takes no
    onboarding of its own, unless a showcase project of its own requires the onboarding.
    A firm whose awareness is in ``coaching`` is coached (the core pays) the year before its
    first project, at the earliest in the first year, and its projects start once the
    coaching is live.
    """
    where = places(model)
    name = programme.scenario.name
    shared = {pp.park for pp in programme.parks if pp.project == "park_platform"}
    needs_own = {ent for ent, key, _ in showcase if PROJECTS[key][9] == "platform"}
    wanted: list[tuple[str, str, int]] = []
    for e in model.enterprises:
        place = where[e.id]
        if (e.role == "core" or e.size == "large" or place.tier is None
                or place.tier > programme.max_tier or e.awareness not in programme.awareness):
            continue
        year = START_YEAR - 1 + place.tier
        if not e.platform_connected and (e.park not in shared or e.id in needs_own):
            wanted.append((e.id, "platform", year))
        if e.maturity <= 2:
            wanted.append((e.id, "cloud_erp", year))
            if place.position == "upstream" and place.tier == 1:
                wanted.append((e.id, "mes", year + 1))
        if e.platform_connected or place.tier == 1:
            wanted.append((e.id, "security", START_YEAR if e.platform_connected else year + 1))
    wanted += showcase
    awareness = {e.id: e.awareness for e in model.enterprises}
    coached = {ent for ent, _, _ in wanted if awareness[ent] in programme.coaching}
    first = {ent: min(y for e, _, y in wanted if e == ent) for ent in coached}
    coaching_year = {ent: max(START_YEAR, year - 1) for ent, year in first.items()}
    live = PROJECTS["coaching"][4]  # its duration
    # a coached firm's projects keep their order, all moved until the coaching is live
    wanted = [(ent, key, year + max(0, coaching_year[ent] + live - first[ent])
               if ent in coached else year) for ent, key, year in wanted]
    wanted += [(ent, "coaching", year) for ent, year in coaching_year.items()]
    order = {e.id: n for n, e in enumerate(model.enterprises)}
    wanted = sorted(wanted, key=lambda w: (order[w[0]], w[2], ids[w[1]]))
    core = model.core()
    assert core is not None
    return [Assignment(scenario=name, enterprise=ent, project=ids[key], start_year=year,
                       core_share=0.0 if ent == core.id else 1.0 if key == "coaching"
                       else programme.core_share)
            for ent, key, year in wanted]


def park_plan(ids: dict[str, str], programme: Programme) -> list[ParkAssignment]:
    """The park assignments of one programme scenario."""
    return [ParkAssignment(scenario=programme.scenario.name, park=pp.park,
                           project=ids[pp.project], start_year=pp.start_year,
                           government_share=pp.government_share, core_share=pp.core_share)
            for pp in programme.parks]


# --------------------------------------------------------------------------------------
# Turning a chain's tables into a model, and checking it.
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Chain:
    file: str
    model_name: str
    parks: list[tuple[str, str, str, str]]  # (id, name, district, operator)
    locations: dict[str, tuple[str, str]]  # key -> (park id or "", district)
    enterprises: list[tuple]  # see ENTERPRISE_COLUMNS
    links: list[tuple]  # (supplier, buyer, annual_value, product, criticality, data_connected)
    projects: list[str]  # catalogue keys
    horizon: int
    showcase: list[tuple[str, str, int]]  # (enterprise, project key, start year)
    variants: dict[str, dict[str, str | float]] | None = None  # per-chain project names and sources
    policies: Callable[[dict[str, object]], list[Programme]] | None = None  # chain's own


ENTERPRISE_COLUMNS = ("id", "name", "role", "size", "ownership", "industry", "location",
                      "employees", "revenue", "maturity", "awareness", "platform_connected")


def enterprise(row: tuple, locations: dict[str, tuple[str, str]]) -> Enterprise:
    data = dict(zip(ENTERPRISE_COLUMNS, row, strict=True))
    park, district = locations[data.pop("location")]
    data["revenue"] = float(data["revenue"])
    return Enterprise(**data, park=park, district=district)


def link(row: tuple) -> Link:
    supplier, buyer, value, product, criticality, connected = row
    return Link(supplier=supplier, buyer=buyer, annual_value=float(value), product=product,
                criticality=criticality, data_connected=connected)


def build(chain: Chain) -> ChainModel:
    projects, ids = catalogue(chain.projects, chain.variants)
    baseline, programmes = scenarios(chain.horizon)
    if chain.policies is not None:
        programmes += chain.policies(horizon_years(chain.horizon))
    programmes = [replace(p, scenario=described(p)) for p in programmes]
    model = ChainModel(
        settings=Settings(model_name=chain.model_name, currency="CNY", amount_unit="10k"),
        enterprises=[enterprise(row, chain.locations) for row in chain.enterprises],
        links=[link(row) for row in chain.links],
        projects=projects,
        scenarios=[baseline] + [p.scenario for p in programmes],
        parks=[Park(id=k, name=name, district=district, operator=operator)
               for k, name, district, operator in chain.parks])
    model.assessments = assessments(model, chain.file)
    model.enterprises = graded(model, model.assessments)
    for programme in programmes:
        model.assignments += programme_plan(model, ids, programme, chain.showcase)
        model.park_assignments += park_plan(ids, programme)
    return model


# --------------------------------------------------------------------------------------
# Digital health checks (数字化体检). Most SMEs carry their latest assessment, a third of
# those an earlier one too. Each firm's answers are drawn (seeded by chain and id) around
# a capability that its table maturity, size and awareness suggest, so firms differ item
# by item and scenario by scenario, as real survey returns do; the level is then what
# the answers give (no level included), and it sets the firm's maturity.
# --------------------------------------------------------------------------------------

SIZE_BONUS = {"large": 0.3, "medium": 0.2, "small": 0.0, "micro": -0.3}
AWARENESS_BONUS = {"very_familiar": 0.3, "aware": 0.0, "heard_of": -0.2, "unaware": -0.4}
# how much harder a scenario is to digitalise than the firm's average (in grades): SMEs
# digitalise finance, office work, sales and purchasing first (bookkeeping software, ERP),
# the shop floor (production, quality, equipment, energy) and decision support last
DIFFICULTY = {"product_design": 0.4, "process_design": 0.6, "marketing": -0.3,
              "after_sales": 0.3, "planning_scheduling": 0.6, "production_control": 0.5,
              "quality": 0.4, "equipment": 0.7, "safety": 0.5, "energy_management": 1.0,
              "procurement": -0.3, "warehousing_logistics": -0.1, "finance": -0.8,
              "human_resources": -0.2, "collaborative_office": -0.6, "decision_support": 1.2}


def answers_for(capability: float, rng: random.Random) -> tuple[dict[str, object], dict[str, int]]:
    """Answers of a firm whose digital capability is ``capability`` (0–4), drawn by ``rng``."""
    ind = default_indicator_set()
    share = max(0.0, min(1.0, capability / 4))
    answers: dict[str, object] = {}
    for item in ind.items:
        options = item.options
        if item.key == "funding":  # bands of 10–100 % of revenue: nearly every SME is in the first
            answers[item.key] = options[1 if rng.random() < 0.1 * share else 0].key
        elif item.group in ("green_low_carbon", "product_quality", "market_performance"):
            better, worse = 0.15 + 0.6 * share, 0.1 * (1 - share)
            draw = rng.random()
            answers[item.key] = options[2 if draw < better else 0 if draw > 1 - worse else 1].key
        elif item.type == "single":
            rate = share + rng.gauss(0, 0.15)
            index = round(rate * (len(options) - 1)) if not item.banded else None
            if item.banded:
                answers[item.key] = item.band(max(0.0, min(1.0, 0.05 + 0.8 * rate)))
            else:
                answers[item.key] = options[max(0, min(len(options) - 1, index or 0))].key
        else:
            ticks = [o for o in options if not o.exclusive]
            count = max(0, min(len(ticks), round(share * len(ticks) + rng.gauss(0, 1))))
            chosen = {o.key for o in rng.sample(ticks, count)}
            answers[item.key] = (tuple(o.key for o in options if o.key in chosen) if chosen
                                 else tuple(o.key for o in options if o.exclusive))
    grades = {s.key: max(0, min(4, round(capability - DIFFICULTY[s.key] + rng.gauss(0, 0.8))))
              for s in ind.scenarios}
    return answers, grades


def assessments(model: ChainModel, chain: str) -> list[Assessment]:
    """Assessments of most SMEs (every fifth is still to be surveyed)."""
    rows = []
    smes = [e for e in model.enterprises if e.role != "core"]
    for n, e in enumerate(smes):
        if n % 5 == 4:
            continue
        rng = random.Random(f"{chain}/{e.id}")
        capability = (e.maturity - 0.3 + SIZE_BONUS[e.size] + AWARENESS_BONUS[e.awareness]
                      + rng.gauss(0, 0.5))
        seed = sum(map(ord, e.id))
        if n % 3 == 0:  # an earlier check, before some progress
            answers, grades = answers_for(capability - 0.6, rng)
            rows.append(Assessment(enterprise=e.id, date=f"2024-{1 + seed % 12:02d}-15",
                                   answers=answers, scenarios=grades))
        answers, grades = answers_for(capability, rng)
        rows.append(Assessment(enterprise=e.id, date=f"2025-{1 + seed % 9:02d}-{1 + seed % 28:02d}",
                               answers=answers, scenarios=grades))
    return rows


def graded(model: ChainModel, rows: list[Assessment]) -> list[Enterprise]:
    """The enterprises with the maturity their latest assessment gives."""
    ind = default_indicator_set()
    latest = {a.enterprise: a for a in sorted(rows, key=lambda a: a.date)}
    return [replace(e, maturity=maturity_of_level(ind.level_of(latest[e.id].answers,
                                                               latest[e.id].scenarios)))
            if e.id in latest else e for e in model.enterprises]


def size_class(employees: int, revenue: float) -> str:
    """China's size class of an industrial firm (工信部联企业〔2011〕300号)."""
    if employees >= 1000 and revenue >= 40_000:
        return "large"
    if employees >= 300 and revenue >= 2_000:
        return "medium"
    if employees >= 20 and revenue >= 300:
        return "small"
    return "micro"


def check(model: ChainModel) -> None:
    """Fail loudly on any problem, on a tier that contradicts an id, or on a size that
    contradicts the official thresholds (upstream firms: the industrial ones)."""
    ind = default_indicator_set()
    levels = {a.enterprise: ind.level_of(a.answers, a.scenarios) for a in
              sorted(model.assessments, key=lambda a: a.date)}
    problems = [p for p in validate(model)  # a firm with no level is named, as it should be
                if not (p.column == "maturity" and levels.get(p.key) == NO_LEVEL)]
    assert not problems, "\n".join(p.text() for p in problems)
    maturity = {e.id: e.maturity for e in model.enterprises}
    assert all(maturity_of_level(levels[k]) == maturity[k] for k in levels), (
        "an assessment contradicts a maturity")
    ids = {e.id for e in model.enterprises}
    assert len(ids) == len(model.enterprises)
    prefix = {"upstream": "T", "downstream": "D"}
    for e in model.enterprises:
        place = places(model)[e.id]
        if place.position in prefix:
            expected = f"{prefix[place.position]}{place.tier}-"
            assert e.id.startswith(expected), f"{e.id} is {place.position} tier {place.tier}"
            if place.position == "upstream":
                found = size_class(e.employees, e.revenue)
                assert found == e.size, f"{e.id} is {e.size}, its figures say {found}"
        else:
            assert place.position == "core" or e.id.startswith("X-"), f"{e.id} is detached"
    for row in model.links:
        supplier = next(e for e in model.enterprises if e.id == row.supplier)
        assert row.annual_value <= supplier.revenue, f"{row.supplier} sells more than it earns"


# ======================================================================================
# Large-aircraft final assembly (大飞机总装产业链)
# ======================================================================================
# Ids: CORE; T1-, T2-, T3- upstream tiers; D1-, D2- downstream tiers; X- detached.

AIRCRAFT_PARKS = [
    # id, name, district, operator (园区运营方; blank where we know of no single operator)
    ("Zhuqiao 祝桥", "Zhuqiao Aviation City 祝桥航空城", "Pudong 浦东新区", ""),
    # the Lingang special area's large-aircraft park (大飞机园, launched 2021 south of
    # Pudong airport), developed by the Lingang Group with COMAC and the airport group
    ("Lingang 临港", "Lingang Large Aircraft Park 临港新片区大飞机园", "Pudong 浦东新区",
     "Lingang Group 临港集团"),
    ("Zhangjiang 张江", "Zhangjiang Science City 张江科学城", "Pudong 浦东新区",
     "Zhangjiang Group 张江集团"),
    ("Zizhu 紫竹", "Zizhu Hi-tech Park 紫竹高新区", "Minhang 闵行区",
     "Zizhu Hi-tech Park Group 紫竹高新区集团"),
    ("Songjiang G60 松江G60", "Songjiang G60 Corridor 松江G60科创走廊", "Songjiang 松江区", ""),
]

AIRCRAFT_LOCATIONS = {
    "ZQ": ("Zhuqiao 祝桥", "Pudong 浦东新区"),
    "LG": ("Lingang 临港", "Pudong 浦东新区"),
    "ZJ": ("Zhangjiang 张江", "Pudong 浦东新区"),
    "ZZ": ("Zizhu 紫竹", "Minhang 闵行区"),
    "SJ": ("Songjiang G60 松江G60", "Songjiang 松江区"),
    "CN": ("", "Changning 长宁区"),  # airline head offices, no park
    "JS": ("", "Jinshan 金山区"),
}

AIRCRAFT_ENTERPRISES = [
    # id, name, role, size, ownership, industry, location, employees, revenue (万元), maturity, awareness, platform
    ("CORE", "Shenyi Aero Final Assembly 申翼飞机总装", "core", "large", "soe", "Aircraft final assembly 飞机总装", "ZQ", 7200, 2_600_000, 3, "very_familiar", True),
    # tier 1: system and structure suppliers
    ("T1-01", "Yunjing Avionics 云景航电", "supplier", "medium", "foreign", "Avionics 航电系统", "ZJ", 820, 86_000, 3, "very_familiar", True),
    ("T1-02", "Hangwei Landing Gear 航威起落架", "supplier", "medium", "soe", "Landing gear 起落架", "LG", 640, 54_000, 2, "aware", False),
    ("T1-03", "Dongyi Composites 东翼复材", "supplier", "medium", "private", "Composite structures 复合材料结构件", "LG", 560, 42_000, 2, "aware", False),
    ("T1-04", "Lanhai Nacelle Systems 澜海短舱", "supplier", "medium", "foreign", "Engine nacelles 发动机短舱", "ZQ", 480, 68_000, 3, "very_familiar", True),
    ("T1-05", "Pujian Aerostructures 浦建机体结构", "supplier", "medium", "soe", "Fuselage sections 机身部段", "ZQ", 900, 75_000, 2, "aware", False),
    ("T1-06", "Qingyun Cabin Interiors 青云客舱内饰", "supplier", "medium", "private", "Cabin interiors 客舱内饰", "SJ", 420, 28_000, 1, "aware", False),
    ("T1-07", "Xinlian Aero Electrical 信联航空电气", "supplier", "medium", "private", "Electrical power & wiring 电源与电气系统", "ZZ", 380, 36_000, 2, "aware", False),
    ("T1-08", "Hengtuo Actuation 恒拓作动", "supplier", "medium", "foreign", "Hydraulics & flight-control actuation 液压与飞控作动", "ZZ", 350, 47_000, 2, "aware", False),
    ("T1-09", "Qinghe Environmental Control 清和环控", "supplier", "medium", "private", "Air & fuel systems 环控与燃油系统", "ZJ", 300, 24_000, 1, "aware", False),
    ("T1-10", "Shenlu Aero Tooling 申麓工装", "supplier", "medium", "private", "Assembly jigs & tooling 装配工装", "LG", 320, 21_000, 2, "aware", False),
    # tier 2: parts and processes
    ("T2-01", "Jiaheng Precision Machining 嘉衡精密机加", "supplier", "small", "private", "CNC machining 数控机加", "SJ", 140, 9_800, 1, "aware", False),
    ("T2-02", "Ruifeng Titanium Parts 锐丰钛合金", "supplier", "small", "private", "Titanium machining 钛合金机加", "LG", 160, 12_500, 2, "aware", False),
    ("T2-03", "Anjie Aero Fasteners 安捷航空紧固件", "supplier", "small", "private", "Fasteners 紧固件", "SJ", 120, 8_600, 1, "aware", False),
    ("T2-04", "Minghang Fastener Kitting 明航标准件配套", "supplier", "small", "private", "Fastener kitting 标准件配套", "ZQ", 45, 4_200, 1, "heard_of", False),
    ("T2-05", "Xunda Cable Harness 讯达线束", "supplier", "small", "private", "Cable harness 线缆线束", "ZZ", 210, 7_500, 1, "aware", False),
    ("T2-06", "Huilian Connectors 汇联连接器", "supplier", "small", "private", "Connectors 连接器", "ZZ", 95, 6_200, 2, "aware", False),
    ("T2-07", "Chuangxin PCB Assembly 创芯电子组装", "supplier", "small", "private", "PCB assembly 电路板组装", "ZJ", 130, 11_000, 2, "aware", False),
    ("T2-08", "Tianyu Prepreg 天宇预浸料", "supplier", "medium", "foreign", "Prepreg & resin 预浸料", "LG", 310, 32_000, 3, "very_familiar", True),
    ("T2-09", "Boyuan Composite Parts 博远复材件", "supplier", "small", "private", "Composite lay-up 复材铺层", "LG", 110, 6_800, 1, "heard_of", False),
    ("T2-10", "Lida Forgings 利达锻造", "supplier", "small", "private", "Forgings 锻件", "LG", 150, 13_500, 1, "aware", False),
    ("T2-11", "Jinhai Hydraulic Tubing 金海液压管件", "supplier", "small", "private", "Hydraulic tubes & fittings 液压管路", "ZZ", 85, 5_400, 1, "unaware", False),
    ("T2-12", "Yuanfang Seals 远方密封", "supplier", "small", "private", "Seals & gaskets 密封件", "SJ", 70, 3_900, 1, "unaware", False),
    ("T2-13", "Meichen Cabin Textiles 美辰客舱纺织", "supplier", "small", "private", "Seat covers & textiles 座椅面料", "SJ", 90, 4_600, 1, "unaware", False),
    ("T2-14", "Kaiyue Sheet Metal 凯越钣金", "supplier", "small", "private", "Sheet-metal parts 钣金件", "ZQ", 120, 7_200, 1, "heard_of", False),
    ("T2-15", "Zhicheng NDT 智诚无损检测", "supplier", "small", "private", "Non-destructive testing 无损检测", "ZQ", 60, 2_800, 2, "aware", False),
    ("T2-16", "Huatong Sensors 华通传感", "supplier", "small", "private", "Sensors 传感器", "ZJ", 80, 5_600, 2, "aware", False),
    ("T2-17", "Ruitai Valves 瑞泰阀门", "supplier", "small", "private", "Valves 阀门", "ZZ", 75, 4_800, 1, "unaware", False),
    ("T2-18", "Fengyi Insulation 丰毅隔热", "supplier", "micro", "private", "Insulation blankets 隔热隔音", "SJ", 16, 1_600, 1, "unaware", False),
    # tier 3: processes, materials and small job shops
    ("T3-01", "Baoguang Surface Treatment 宝光表面处理", "supplier", "small", "private", "Anodising & plating 阳极氧化与电镀", "SJ", 65, 2_600, 1, "unaware", False),
    ("T3-02", "Lianhua Heat Treatment 联华热处理", "supplier", "small", "private", "Heat treatment 热处理", "LG", 40, 2_100, 1, "unaware", False),
    ("T3-03", "Dingsheng Castings 鼎盛精铸", "supplier", "small", "private", "Investment castings 精密铸造", "SJ", 120, 6_500, 1, "unaware", False),
    ("T3-04", "Jingyi Cold Heading 精益冷镦", "supplier", "micro", "private", "Fastener blanks 紧固件坯料", "SJ", 18, 1_200, 1, "unaware", False),
    ("T3-05", "Hongtai Metals 宏泰金属材料", "supplier", "small", "private", "Aluminium & titanium stock 铝钛材料", "ZQ", 35, 9_500, 1, "heard_of", False),
    ("T3-06", "Xiangrui Aero Wire 祥瑞航空导线", "supplier", "small", "private", "Aero wire & cable 航空导线", "ZZ", 70, 4_300, 2, "aware", False),
    ("T3-07", "Yaxin SMT 亚新贴片", "supplier", "micro", "private", "SMT subcontracting 贴片加工", "ZJ", 15, 900, 1, "unaware", False),
    ("T3-08", "Zhongyu Painting 中宇喷涂", "supplier", "micro", "private", "Painting 喷涂", "LG", 12, 800, 1, "unaware", False),
    ("T3-09", "Chenguang Fibre Cutting 晨光纤维裁切", "supplier", "micro", "private", "Fibre cutting & kitting 纤维裁切", "LG", 14, 650, 1, "unaware", False),
    ("T3-10", "Wanli Clamps 万力卡箍", "supplier", "micro", "private", "Clamps & clips 卡箍", "SJ", 11, 700, 1, "unaware", False),
    # downstream tier 1: airlines, lessor, MRO, parts and training partners
    ("D1-01", "Huadong Skyways 华东天航", "customer", "large", "soe", "Airline 航空公司", "CN", 18_000, 4_800_000, 3, "aware", True),
    ("D1-02", "Haishang Airlines 海上航空", "customer", "large", "private", "Airline 航空公司", "CN", 6_000, 1_500_000, 3, "aware", True),
    ("D1-03", "Jinfan Aircraft Leasing 金帆飞机租赁", "customer", "medium", "soe", "Aircraft leasing 飞机租赁", "LG", 120, 180_000, 3, "aware", False),
    ("D1-04", "Shenhang MRO Engineering 申航维修工程", "service", "medium", "soe", "Maintenance, repair & overhaul 飞机维修", "ZQ", 950, 65_000, 2, "aware", False),
    ("D1-05", "Feiyue Component Repair 飞跃部件维修", "service", "small", "private", "Component repair 部附件维修", "ZQ", 150, 8_200, 2, "aware", False),
    ("D1-06", "Yunlu Aero Parts 云路航材", "distributor", "small", "private", "Spare parts distribution 航材分销", "ZQ", 60, 15_000, 2, "aware", False),
    ("D1-07", "Hangxun Training 航训模拟培训", "service", "small", "private", "Pilot & maintenance training 飞行与维修培训", "LG", 90, 6_000, 2, "aware", False),
    # downstream tier 2
    ("D2-01", "Donghai Regional Airlines 东海支线航空", "customer", "medium", "private", "Regional airline 支线航空", "CN", 900, 120_000, 2, "aware", False),
    ("D2-02", "Lanxiang General Aviation 蓝翔通航", "customer", "small", "private", "General aviation 通用航空", "JS", 80, 5_000, 1, "unaware", False),
    ("D2-03", "Jiehang Line Maintenance 捷航航线维护", "service", "small", "private", "Line maintenance 航线维护", "ZQ", 70, 3_500, 1, "heard_of", False),
    # a prospective supplier under qualification, not yet trading with the chain
    ("X-01", "Qihang Additive Manufacturing 启航增材", "supplier", "small", "private", "Metal 3D printing 金属增材制造", "LG", 40, 1_800, 2, "aware", False),
]

AIRCRAFT_LINKS = [
    # supplier, buyer, annual value (万元), product, criticality, data connected
    ("T1-01", "CORE", 62_000, "Integrated avionics 综合航电", "high", True),
    ("T1-02", "CORE", 38_000, "Main & nose landing gear 主起与前起", "high", False),
    ("T1-03", "CORE", 26_000, "Composite control surfaces 复材舵面", "high", False),
    ("T1-04", "CORE", 45_000, "Engine nacelles 发动机短舱", "high", True),
    ("T1-05", "CORE", 52_000, "Fuselage sections 机身部段", "high", False),
    ("T1-06", "CORE", 15_000, "Cabin interiors 客舱内饰", "medium", False),
    ("T1-07", "CORE", 21_000, "Electrical power system 电源系统", "high", False),
    ("T1-08", "CORE", 30_000, "Flight-control actuators 飞控作动器", "high", False),
    ("T1-09", "CORE", 14_000, "Environmental control 环控系统", "medium", False),
    ("T1-10", "CORE", 9_000, "Final-assembly jigs 总装工装", "medium", False),
    ("T2-01", "T1-02", 3_200, "Machined parts 机加件", "medium", False),
    ("T2-01", "T1-08", 2_100, "Actuator housings 作动筒壳体", "medium", False),
    ("T2-01", "T1-10", 800, "Jig components 工装零件", "low", False),
    ("T2-02", "T1-02", 5_600, "Titanium parts 钛合金零件", "high", False),
    ("T2-02", "T1-05", 3_400, "Titanium fittings 钛合金接头", "high", False),
    ("T2-03", "T1-05", 2_800, "Aero fasteners 航空紧固件", "high", False),
    ("T2-03", "T1-03", 1_200, "Composite fasteners 复材紧固件", "medium", False),
    ("T2-04", "T1-05", 1_500, "Fastener kits 标准件配套包", "medium", False),
    ("T2-04", "T1-10", 600, "Fastener kits 标准件配套包", "low", False),
    ("T2-05", "T1-07", 4_200, "Wire harnesses 电缆组件", "high", False),
    ("T2-05", "T1-06", 900, "Cabin harnesses 客舱线束", "medium", False),
    ("T2-06", "T1-07", 2_300, "Connectors 连接器", "high", False),
    ("T2-06", "T1-01", 1_800, "Connectors 连接器", "medium", False),
    ("T2-07", "T1-01", 6_500, "Circuit-board assemblies 电路板组件", "high", False),
    ("T2-08", "T1-03", 12_000, "Carbon-fibre prepreg 碳纤维预浸料", "high", True),
    ("T2-08", "T1-04", 6_000, "Prepreg 预浸料", "high", True),
    ("T2-09", "T1-03", 2_600, "Lay-up subcontracting 铺层外协", "medium", False),
    ("T2-09", "T1-06", 1_100, "Composite panels 复材面板", "medium", False),
    ("T2-10", "T1-02", 7_800, "Landing-gear forgings 起落架锻件", "high", False),
    ("T2-10", "T1-08", 1_600, "Forgings 锻件", "medium", False),
    ("T2-11", "T1-08", 2_200, "Hydraulic tubes 液压导管", "medium", False),
    ("T2-11", "T1-09", 900, "Fuel tubes 燃油导管", "medium", False),
    ("T2-12", "T1-08", 700, "Seals 密封件", "medium", False),
    ("T2-12", "T1-09", 500, "Gaskets 垫片", "low", False),
    ("T2-13", "T1-06", 1_800, "Seat covers & curtains 座椅面料与帘布", "low", False),
    ("T2-14", "T1-05", 3_100, "Sheet-metal parts 钣金件", "medium", False),
    ("T2-14", "T1-04", 1_200, "Sheet-metal parts 钣金件", "medium", False),
    ("T2-15", "T1-03", 900, "Ultrasonic inspection 超声检测", "high", False),
    ("T2-15", "T1-05", 700, "NDT services 无损检测", "medium", False),
    ("T2-16", "T1-09", 1_200, "Pressure & temperature sensors 压力温度传感器", "medium", False),
    ("T2-16", "T1-01", 800, "Air-data sensors 大气数据传感器", "high", False),
    ("T2-17", "T1-09", 1_500, "Valves 阀门", "medium", False),
    ("T2-18", "T1-06", 500, "Insulation blankets 隔热毯", "low", False),
    ("T2-18", "T1-04", 300, "Thermal blankets 隔热层", "low", False),
    ("T3-01", "T2-01", 600, "Anodising 阳极氧化", "medium", False),
    ("T3-01", "T2-14", 400, "Chemical conversion coating 化学转化膜", "medium", False),
    ("T3-02", "T2-10", 500, "Heat treatment 热处理", "high", False),
    ("T3-02", "T2-02", 350, "Stress relief 去应力处理", "medium", False),
    ("T3-03", "T2-17", 800, "Valve castings 阀体铸件", "medium", False),
    ("T3-03", "T2-11", 300, "Fitting castings 管接头铸件", "low", False),
    ("T3-04", "T2-03", 700, "Cold-headed blanks 冷镦坯料", "medium", False),
    ("T3-05", "T2-01", 2_400, "Aluminium bar 铝合金棒材", "medium", False),
    ("T3-05", "T2-14", 1_800, "Aluminium sheet 铝合金板材", "medium", False),
    ("T3-05", "T2-02", 3_000, "Titanium bar 钛合金棒材", "high", False),
    ("T3-06", "T2-05", 2_100, "Aero wire 航空导线", "high", False),
    ("T3-07", "T2-07", 300, "SMT placement 贴片加工", "medium", False),
    ("T3-07", "T2-16", 150, "SMT placement 贴片加工", "low", False),
    ("T3-08", "T2-14", 200, "Primer painting 底漆喷涂", "low", False),
    ("T3-09", "T2-09", 250, "Cut fibre plies 裁切纤维料片", "medium", False),
    ("T3-10", "T2-11", 180, "Tube clamps 管路卡箍", "low", False),
    ("CORE", "D1-01", 780_000, "Aircraft deliveries 飞机交付", "high", True),
    ("CORE", "D1-02", 390_000, "Aircraft deliveries 飞机交付", "high", True),
    ("CORE", "D1-03", 520_000, "Aircraft for lease 租赁飞机", "high", True),
    ("CORE", "D1-04", 18_000, "Spare parts & technical data 备件与技术资料", "high", False),
    ("CORE", "D1-05", 4_000, "Rotable components 周转件", "medium", False),
    ("CORE", "D1-06", 9_000, "Spare parts 航材备件", "medium", False),
    ("CORE", "D1-07", 1_500, "Simulator data packages 模拟机数据包", "low", False),
    ("D1-04", "D1-01", 22_000, "Heavy maintenance 定检维修", "high", False),
    ("D1-05", "D1-02", 2_500, "Component repair 部件修理", "medium", False),
    ("D1-07", "D1-02", 2_000, "Pilot training 飞行员培训", "medium", False),
    ("D1-03", "D2-01", 36_000, "Aircraft leases 飞机租赁", "high", False),
    ("D1-04", "D2-01", 6_000, "Heavy checks 定检", "medium", False),
    ("D1-06", "D2-02", 800, "Spare parts 航材备件", "medium", False),
    ("D1-06", "D2-03", 600, "Line spares 航线备件", "medium", False),
    ("D2-03", "D1-02", 1_200, "Line maintenance 航线维护", "medium", False),
]

def aircraft_policies(years: dict[str, object]) -> list[Programme]:
    """Fund the Lingang park, or each firm; and the park with a level-2 grant and loans."""
    lingang = (ParkProject("Lingang 临港", "park_5g", 2026, 0.5, 0.0),
               ParkProject("Lingang 临港", "park_platform", 2026, 0.5, 0.2))
    park_led = Programme(
        Scenario(name="Park-led (Lingang)", **years, **NO_SUBSIDY,
                 description=park_led_text(
                     "the Lingang Large Aircraft Park", "临港新片区大飞机园",
                     "the Lingang special area and Pudong district funds",
                     "临港新片区与浦东新区财政", "Lingang Group", "临港集团")),
        **SUBSIDISED_REACH, parks=lingang, take=PARK_TAKE)
    mix = Programme(
        Scenario(name="Park + level-2 grant + loans", **years, subsidy_cap=50.0,
                 subsidy_min_level=2, loan_share=0.5, loan_rate=0.04, loan_years=3,
                 interest_subsidy=0.5,
                 description="The paper's levers together. The Lingang park network and "
                             "platform of 'Park-led (Lingang)'. " + GRANT_NOTE + LOAN_NOTE +
                             REACH_NOTE + LINK_NOTE +
                             " 组合政策：临港大飞机园5G专网与工业互联网平台（同“Park-led (Lingang)”）；"
                             + GRANT_NOTE_ZH + "；" + LOAN_NOTE_ZH + "。" + REACH_NOTE_ZH),
        **{**SUBSIDISED_REACH, **COACHED_REACH}, parks=lingang, take=LEVEL2_TAKE)
    return [park_led, mix]


AIRCRAFT = Chain(
    file="aircraft",
    model_name="Large aircraft final assembly chain 大飞机总装产业链",
    parks=AIRCRAFT_PARKS,
    locations=AIRCRAFT_LOCATIONS,
    enterprises=AIRCRAFT_ENTERPRISES,
    links=AIRCRAFT_LINKS,
    projects=["platform", "cloud_erp", "mes", "security", "5g", "ai_inspection", "rivet_8k",
              "ar_guidance", "agv", "traceability", "park_5g", "park_platform",
              "coaching"],
    policies=aircraft_policies,
    horizon=6,
    variants={"ai_inspection": {
        "name": "5G+AI composite defect detection 5G+AI复材缺陷检测",
        "source": "Reported in the COMAC final-assembly 5G factory case (with China Unicom): "
                  "AI reading of composite ultrasonic scans cut inspection labour cost by "
                  "about 95 % and needed about 90 % fewer comparison test blocks. Assumed "
                  "here: capex 100, opex 12 万元/yr; benefit 30 万元/yr of inspection labour "
                  "and test blocks for a small plant (×2 medium, ×4 large). Benefit range "
                  "×0.5–×1.5 (效益区间): the reported 95 % labour cut at the core is the high "
                  "end, half the estimate for a supplier whose scans still need manual "
                  "re-reading the low end.",
        "benefit_low": 0.5, "benefit_high": 1.5}},
    showcase=[
        ("CORE", "5g", 2026), ("CORE", "ai_inspection", 2027), ("CORE", "rivet_8k", 2027),
        ("CORE", "ar_guidance", 2027),
        ("T1-03", "5g", 2026), ("T1-03", "ai_inspection", 2027),
        ("T1-05", "5g", 2026), ("T1-05", "rivet_8k", 2027), ("T1-05", "agv", 2028),
        ("T1-07", "5g", 2026), ("T1-07", "ar_guidance", 2027),
        ("T2-05", "5g", 2027), ("T2-05", "ar_guidance", 2028),
        ("T1-02", "traceability", 2027), ("T2-10", "traceability", 2028),
        ("T2-03", "traceability", 2028),
    ],
)


# ======================================================================================
# Intelligent connected vehicles (智能网联新能源汽车产业链)
# ======================================================================================

VEHICLE_PARKS = [
    # id, name, district, operator (园区运营方; blank where we know of no single operator)
    ("Lingang 临港", "Lingang New Area 临港新片区", "Pudong 浦东新区", "Lingang Group 临港集团"),
    # Jiading's auto city around Anting, developed by the Shanghai International
    # Automobile City group
    ("Anting 安亭", "Shanghai International Automobile City, Anting 上海国际汽车城（安亭）",
     "Jiading 嘉定区", "Shanghai International Automobile City Group 上海国际汽车城集团"),
    ("Zhangjiang 张江", "Zhangjiang Science City 张江科学城", "Pudong 浦东新区",
     "Zhangjiang Group 张江集团"),
    ("Jinqiao 金桥", "Jinqiao Economic & Technological Development Zone 金桥经济技术开发区",
     "Pudong 浦东新区", "Jinqiao Group 金桥集团"),
    ("Songjiang G60 松江G60", "Songjiang G60 Corridor 松江G60科创走廊", "Songjiang 松江区", ""),
]

VEHICLE_LOCATIONS = {
    "LG": ("Lingang 临港", "Pudong 浦东新区"),
    "JD": ("Anting 安亭", "Jiading 嘉定区"),
    "ZJ": ("Zhangjiang 张江", "Pudong 浦东新区"),
    "JQ": ("Jinqiao 金桥", "Pudong 浦东新区"),
    "SJ": ("Songjiang G60 松江G60", "Songjiang 松江区"),
    # dealers, fleets and service partners in town, not in an industrial park
    "PD": ("", "Pudong 浦东新区"),
    "XH": ("", "Xuhui 徐汇区"),
    "MH": ("", "Minhang 闵行区"),
    "BS": ("", "Baoshan 宝山区"),
    "QP": ("", "Qingpu 青浦区"),
}

VEHICLE_ENTERPRISES = [
    # id, name, role, size, ownership, industry, location, employees, revenue (万元), maturity, awareness, platform
    ("CORE", "Zhixing Auto 智行汽车", "core", "large", "private", "Intelligent connected NEVs 智能网联新能源汽车", "LG", 9500, 4_200_000, 3, "very_familiar", True),
    # tier 1
    ("T1-01", "Xinneng Battery Systems 信能电池系统", "supplier", "medium", "private", "Battery packs 动力电池包", "LG", 950, 180_000, 3, "very_familiar", True),
    ("T1-02", "Jingchi E-Drive 劲驰电驱", "supplier", "medium", "private", "E-drive units 电驱动总成", "LG", 900, 120_000, 2, "aware", False),
    ("T1-03", "Guangjian Lidar 光鉴激光雷达", "supplier", "medium", "private", "Lidar 激光雷达", "JD", 600, 65_000, 3, "very_familiar", True),
    ("T1-04", "Ruishi Perception 睿视感知", "supplier", "medium", "private", "Cameras & radar 摄像头与毫米波雷达", "JD", 420, 48_000, 2, "aware", False),
    ("T1-05", "Xinzhi Domain Controllers 芯智域控", "supplier", "medium", "private", "ADAS domain controllers 智驾域控制器", "ZJ", 520, 72_000, 3, "very_familiar", False),
    ("T1-06", "Yunzuo Cockpit Software 云座舱软件", "supplier", "medium", "private", "Cockpit software 智能座舱软件", "ZJ", 380, 26_000, 3, "aware", False),
    ("T1-07", "Anyi Seating 安怡座椅", "supplier", "medium", "foreign", "Seats 汽车座椅", "JD", 800, 56_000, 2, "aware", False),
    ("T1-08", "Haoyun Giga Casting 浩运一体化压铸", "supplier", "medium", "private", "Large die-castings 一体化压铸", "LG", 650, 88_000, 2, "aware", False),
    ("T1-09", "Jiajin Body Stamping 嘉锦冲压", "supplier", "medium", "private", "Body stamping 车身冲压件", "JD", 700, 62_000, 2, "aware", False),
    ("T1-10", "Lengyuan Thermal 冷源热管理", "supplier", "medium", "foreign", "Thermal management 热管理系统", "JQ", 450, 54_000, 2, "aware", False),
    ("T1-11", "Wenda Brake-by-Wire 稳达线控制动", "supplier", "medium", "private", "Brake-by-wire 线控制动", "JD", 400, 46_000, 2, "aware", False),
    ("T1-12", "Lianxin Wiring 联信汽车线束", "supplier", "medium", "private", "Wiring harness 整车线束", "SJ", 980, 58_000, 1, "aware", False),
    ("T1-13", "Mingjing Auto Glass 明镜汽车玻璃", "supplier", "medium", "foreign", "Glass & head-up display 玻璃与抬头显示", "JQ", 380, 31_000, 2, "aware", False),
    ("T1-14", "Guangyao Lighting 光曜车灯", "supplier", "medium", "private", "Smart lighting 智能车灯", "SJ", 350, 28_000, 2, "aware", False),
    ("T1-15", "Runchi Wheels & Tyres 润驰轮胎", "supplier", "medium", "private", "Wheels & tyres 车轮与轮胎", "SJ", 300, 34_000, 1, "heard_of", False),
    # tier 2
    ("T2-01", "Lixin Cells & Modules 锂芯模组", "supplier", "medium", "private", "Cells & modules 电芯模组", "LG", 600, 95_000, 3, "very_familiar", True),
    ("T2-02", "Kangdian BMS 康电电池管理", "supplier", "small", "private", "Battery management boards 电池管理板", "ZJ", 120, 8_500, 2, "aware", False),
    ("T2-03", "Tongheng Busbars 通恒汇流排", "supplier", "small", "private", "Copper busbars 铜排", "JD", 85, 6_200, 1, "aware", False),
    ("T2-04", "Citong Laminations 磁通电机冲片", "supplier", "small", "private", "Motor laminations 电机铁芯", "SJ", 140, 9_000, 1, "aware", False),
    ("T2-05", "Xiangyu Hairpin Stators 翔宇扁线定子", "supplier", "small", "private", "Hairpin stator winding 扁线绕组", "LG", 160, 11_800, 2, "aware", False),
    ("T2-06", "Jinci Magnets 金磁永磁", "supplier", "small", "private", "Rare-earth magnets 稀土永磁", "SJ", 110, 14_000, 1, "aware", False),
    ("T2-07", "Boguang Optics 博光光学", "supplier", "small", "private", "Optics & lenses 光学镜片", "ZJ", 90, 5_800, 2, "aware", False),
    ("T2-08", "Weixin Chip Design 微芯设计", "supplier", "small", "private", "Automotive chips (fabless) 车规芯片设计", "ZJ", 150, 18_000, 3, "aware", False),
    ("T2-09", "Dianchuang PCBA 电创电子", "supplier", "small", "private", "PCB assembly 电路板组装", "SJ", 200, 12_000, 2, "aware", False),
    ("T2-10", "Shumao Software 数茂软件", "supplier", "small", "private", "Embedded software 嵌入式软件", "ZJ", 130, 4_500, 3, "aware", False),
    ("T2-11", "Huaye Seat Frames 华业座椅骨架", "supplier", "small", "private", "Seat frames 座椅骨架", "JD", 180, 9_500, 1, "heard_of", False),
    ("T2-12", "Rousheng Foam 柔盛发泡", "supplier", "small", "private", "Seat foam 座椅发泡", "JD", 90, 4_200, 1, "unaware", False),
    ("T2-13", "Jinxiu Auto Fabrics 锦绣汽车面料", "supplier", "small", "private", "Seat fabrics & leather 座椅面料", "SJ", 110, 5_300, 1, "unaware", False),
    ("T2-14", "Yinlü Alloys 银铝合金", "supplier", "small", "private", "Die-casting alloy 压铸铝合金", "LG", 70, 16_000, 1, "aware", False),
    ("T2-15", "Jingmo Die-cast Moulds 精模压铸模具", "supplier", "small", "private", "Die-casting moulds 压铸模具", "LG", 120, 7_800, 2, "aware", False),
    ("T2-16", "Huisheng Stamping Dies 汇盛冲压模具", "supplier", "small", "private", "Stamping dies 冲压模具", "JD", 100, 6_500, 1, "heard_of", False),
    ("T2-17", "Jiahong Fasteners 嘉宏紧固件", "supplier", "small", "private", "Fasteners 紧固件", "JD", 130, 5_600, 1, "heard_of", False),
    ("T2-18", "Xinjie Connectors 信捷连接器", "supplier", "small", "private", "Connectors 连接器", "SJ", 150, 8_800, 2, "aware", False),
    ("T2-19", "Tianyi Harness Sub-assembly 天翼线束组件", "supplier", "small", "private", "Harness sub-assemblies 线束分装", "SJ", 260, 6_900, 1, "aware", False),
    ("T2-20", "Mifeng Seals 密丰密封", "supplier", "small", "private", "Rubber seals 橡胶密封件", "JD", 95, 3_800, 1, "unaware", False),
    ("T2-21", "Boya Injection Moulding 博雅注塑", "supplier", "small", "private", "Injection-moulded parts 注塑件", "JD", 170, 7_100, 1, "heard_of", False),
    ("T2-22", "Lengtai Heat Exchangers 冷泰换热器", "supplier", "small", "private", "Heat exchangers 换热器", "JQ", 120, 8_200, 2, "aware", False),
    ("T2-23", "Liuyuan Pumps & Valves 流源泵阀", "supplier", "small", "private", "Electric pumps & valves 电子水泵与阀", "JQ", 90, 5_900, 1, "heard_of", False),
    ("T2-24", "Mingce Sensors 明测传感", "supplier", "small", "private", "Pressure & temperature sensors 压力温度传感器", "ZJ", 70, 4_400, 2, "aware", False),
    ("T2-25", "Huijie Brake Components 汇捷制动部件", "supplier", "small", "private", "Calipers & discs 制动卡钳与制动盘", "JD", 160, 9_800, 1, "aware", False),
    ("T2-26", "Zhenyu Precision 振宇精密", "supplier", "small", "private", "Precision machining 精密机加", "SJ", 80, 3_600, 1, "unaware", False),
    ("T2-27", "Guanghe LED Modules 光合LED模组", "supplier", "small", "private", "LED modules LED模组", "SJ", 75, 4_100, 2, "aware", False),
    ("T2-28", "Lianchuang Glass Processing 联创玻璃深加工", "supplier", "small", "private", "Glass processing 玻璃深加工", "JQ", 85, 3_900, 1, "unaware", False),
    ("T2-29", "Jialun Wheels 佳轮轮毂", "supplier", "small", "private", "Aluminium wheels 铝合金轮毂", "SJ", 140, 8_700, 1, "aware", False),
    ("T2-30", "Xingtu Map Data 星图地图数据", "supplier", "small", "private", "HD maps & OTA services 高精地图与OTA", "ZJ", 90, 6_000, 3, "aware", False),
    # tier 3
    ("T3-01", "Guangliang Surface Treatment 光亮表面处理", "supplier", "small", "private", "Plating & e-coating 电镀与电泳", "JD", 60, 2_400, 1, "unaware", False),
    ("T3-02", "Hengre Heat Treatment 恒热热处理", "supplier", "micro", "private", "Heat treatment 热处理", "JD", 19, 1_100, 1, "unaware", False),
    ("T3-03", "Jinggong CNC 精工数控", "supplier", "micro", "private", "CNC job shop 数控加工", "SJ", 18, 600, 1, "unaware", False),
    ("T3-04", "Tongda Copper Wire 通达铜线", "supplier", "small", "private", "Copper & flat wire 铜线与扁线", "SJ", 80, 12_000, 1, "heard_of", False),
    ("T3-05", "Kuaida SMT 快达贴片", "supplier", "micro", "private", "SMT subcontracting 贴片加工", "SJ", 16, 900, 1, "unaware", False),
    ("T3-06", "Shengyuan Compounds 盛源改性塑料", "supplier", "small", "private", "Modified plastics 改性塑料", "JQ", 60, 5_200, 1, "heard_of", False),
    ("T3-07", "Huanyu Cable Extrusion 寰宇电缆挤出", "supplier", "small", "private", "Cable extrusion 电缆挤出", "SJ", 70, 4_700, 1, "unaware", False),
    ("T3-08", "Xinglong Mould Repair 兴隆模具修复", "supplier", "micro", "private", "Mould repair 模具修复", "LG", 15, 500, 1, "unaware", False),
    ("T3-09", "Jiexin Packaging 洁鑫包装", "supplier", "micro", "private", "Returnable packaging 周转包装", "JD", 17, 800, 1, "unaware", False),
    ("T3-10", "Yongsheng Steel 永盛钢材", "supplier", "small", "private", "Steel & tool steel 钢材与模具钢", "JD", 40, 9_000, 1, "heard_of", False),
    ("T3-11", "Tianrui Powder Coating 天锐喷粉", "supplier", "micro", "private", "Powder coating 喷粉", "SJ", 12, 600, 1, "unaware", False),
    ("T3-12", "Dongfang Rare Earth Materials 东方稀材", "supplier", "small", "private", "Rare-earth alloys 稀土合金", "SJ", 50, 11_000, 1, "unaware", False),
    # downstream tier 1: dealers, charging and service partners, fleet customers
    ("D1-01", "Huixing Auto Sales 汇行汽车销售", "distributor", "small", "private", "Dealer 汽车销售服务", "XH", 60, 32_000, 2, "aware", False),
    ("D1-02", "Jiayue Auto Pudong 嘉悦汽车浦东", "distributor", "small", "private", "Dealer 汽车销售服务", "PD", 55, 26_000, 2, "aware", False),
    ("D1-03", "Chenxing Auto Minhang 辰星汽车闵行", "distributor", "small", "private", "Dealer 汽车销售服务", "MH", 45, 24_000, 1, "aware", False),
    ("D1-04", "Yuanhang Auto Baoshan 远航汽车宝山", "distributor", "small", "private", "Dealer 汽车销售服务", "BS", 40, 19_000, 1, "unaware", False),
    ("D1-05", "Xingtu Auto Qingpu 星途汽车青浦", "distributor", "small", "private", "Dealer 汽车销售服务", "QP", 38, 15_000, 1, "unaware", False),
    ("D1-06", "Dianlian Charging 电联充电", "service", "medium", "private", "Charging network 充电运营", "JQ", 300, 42_000, 3, "very_familiar", True),
    ("D1-07", "Kuaichong Energy 快充能源", "service", "small", "private", "Battery swap & charging 换电与充电", "LG", 120, 9_000, 2, "aware", False),
    ("D1-08", "Anche After-sales 安车售后服务", "service", "small", "private", "After-sales service 售后维修", "JD", 150, 6_000, 1, "heard_of", False),
    ("D1-09", "Shenche Mobility 申车出行", "customer", "large", "private", "Ride-hailing fleet 网约车平台", "XH", 2500, 350_000, 3, "aware", True),
    ("D1-10", "Jiyun City Logistics 极运城配", "customer", "medium", "private", "Urban logistics fleet 城市配送", "BS", 800, 60_000, 2, "aware", False),
    ("D1-11", "Jinlan Taxi 锦澜出租汽车", "customer", "large", "soe", "Taxi 出租汽车", "PD", 3000, 75_000, 2, "aware", False),
    ("D1-12", "Ruyi Car Rental 如意租车", "customer", "small", "private", "Car rental 汽车租赁", "MH", 80, 8_500, 2, "aware", False),
    ("D1-13", "Lianyun Auto Parts 联运配件", "distributor", "small", "private", "Parts distribution 配件分销", "JD", 50, 11_000, 1, "heard_of", False),
    # downstream tier 2
    ("D2-01", "Xinyu Property Services 鑫宇物业", "customer", "small", "private", "Property services fleet 物业服务用车", "XH", 280, 12_000, 1, "unaware", False),
    ("D2-02", "Yuantu Driving School 远途驾校", "customer", "small", "private", "Driving school 驾校", "QP", 120, 3_500, 1, "unaware", False),
    ("D2-03", "Chengxiang Auto Repair 城乡汽修", "service", "micro", "private", "Independent repair shop 汽修网点", "MH", 12, 300, 1, "unaware", False),
    ("D2-04", "Kuaixiu Auto Service 快修汽车服务", "service", "micro", "private", "Quick-service shop 快修店", "BS", 10, 250, 1, "unaware", False),
    ("D2-05", "Fengda Express 丰达快运", "customer", "medium", "private", "Express delivery 快递", "BS", 900, 90_000, 2, "aware", False),
    ("D2-06", "Lüyuan Parking & Charging 绿源停车充电", "service", "small", "private", "Parking & charging sites 停车充电场站", "PD", 40, 2_800, 1, "heard_of", False),
    ("D2-07", "Lanjing Shuttle 蓝鲸旅游客运", "customer", "small", "private", "Shuttle bus operator 旅游客运", "QP", 120, 6_500, 1, "unaware", False),
    ("D2-08", "Xiaoma Car Sharing 小马共享汽车", "customer", "small", "private", "Car sharing 分时租赁", "JD", 60, 5_000, 2, "aware", False),
    ("D2-09", "Jiachi Used Cars 嘉驰二手车", "distributor", "small", "private", "Used-car trading 二手车", "JD", 25, 6_000, 1, "unaware", False),
]

VEHICLE_LINKS = [
    # supplier, buyer, annual value (万元), product, criticality, data connected
    ("T1-01", "CORE", 150_000, "Battery packs 动力电池包", "high", True),
    ("T1-02", "CORE", 95_000, "E-drive units 电驱动总成", "high", False),
    ("T1-03", "CORE", 42_000, "Lidar units 激光雷达", "high", True),
    ("T1-04", "CORE", 30_000, "Camera & radar kits 摄像头与雷达套件", "high", False),
    ("T1-05", "CORE", 55_000, "Domain controllers 域控制器", "high", False),
    ("T1-06", "CORE", 18_000, "Cockpit software licences 座舱软件授权", "medium", False),
    ("T1-07", "CORE", 40_000, "Seats 座椅总成", "medium", False),
    ("T1-08", "CORE", 60_000, "Rear & front underbody castings 一体化压铸底板", "high", False),
    ("T1-09", "CORE", 45_000, "Body panels 车身覆盖件", "medium", False),
    ("T1-10", "CORE", 35_000, "Heat-pump modules 热泵模块", "medium", False),
    ("T1-11", "CORE", 30_000, "Brake-by-wire units 线控制动单元", "high", False),
    ("T1-12", "CORE", 42_000, "Vehicle harness 整车线束", "high", False),
    ("T1-13", "CORE", 18_000, "Windscreens & HUD 风挡与抬头显示", "medium", False),
    ("T1-14", "CORE", 16_000, "Headlamps 前大灯", "low", False),
    ("T1-15", "CORE", 20_000, "Wheels & tyres 车轮与轮胎", "low", False),
    ("T2-01", "T1-01", 80_000, "Cells & modules 电芯与模组", "high", True),
    ("T2-02", "T1-01", 5_500, "BMS boards 电池管理板", "high", False),
    ("T2-03", "T1-01", 3_800, "Busbars 汇流排", "medium", False),
    ("T2-03", "T1-02", 1_200, "Busbars 汇流排", "medium", False),
    ("T2-04", "T1-02", 6_000, "Stator & rotor laminations 定转子冲片", "high", False),
    ("T2-05", "T1-02", 8_500, "Hairpin stators 扁线定子", "high", False),
    ("T2-06", "T1-02", 9_000, "Magnets 永磁体", "high", False),
    ("T2-26", "T1-02", 900, "Shafts 电机轴", "medium", False),
    ("T2-07", "T1-03", 3_500, "Lidar optics 激光雷达光学件", "high", False),
    ("T2-07", "T1-04", 1_500, "Camera lenses 摄像头镜头", "medium", False),
    ("T2-08", "T1-05", 9_000, "SoC & MCU chips 主控与MCU芯片", "high", False),
    ("T2-08", "T1-03", 4_000, "Lidar receiver chips 激光雷达接收芯片", "high", False),
    ("T2-08", "T1-04", 2_500, "Radar chips 雷达芯片", "high", False),
    ("T2-09", "T1-05", 5_000, "Controller boards 控制器电路板", "high", False),
    ("T2-09", "T1-04", 3_000, "Camera boards 摄像头电路板", "medium", False),
    ("T2-09", "T1-14", 1_800, "Lamp driver boards 车灯驱动板", "medium", False),
    ("T2-10", "T1-06", 2_400, "Embedded software 嵌入式软件", "medium", False),
    ("T2-10", "T1-05", 1_500, "Middleware 中间件", "medium", False),
    ("T2-30", "T1-06", 1_600, "Navigation maps 导航地图", "medium", False),
    ("T2-30", "T1-05", 1_200, "HD maps 高精地图", "high", False),
    ("T2-11", "T1-07", 6_500, "Seat frames 座椅骨架", "medium", False),
    ("T2-12", "T1-07", 2_800, "Foam pads 发泡垫", "low", False),
    ("T2-13", "T1-07", 3_500, "Trim covers 座椅面套", "low", False),
    ("T2-17", "T1-07", 900, "Fasteners 紧固件", "low", False),
    ("T2-21", "T1-07", 1_400, "Plastic trims 塑料饰板", "low", False),
    ("T2-14", "T1-08", 12_000, "Casting alloy 压铸铝锭", "high", False),
    ("T2-14", "T2-29", 2_000, "Wheel alloy 轮毂铝锭", "medium", False),
    ("T2-15", "T1-08", 3_000, "Giga-press moulds 大型压铸模具", "high", False),
    ("T2-16", "T1-09", 2_800, "Stamping dies 冲压模具", "high", False),
    ("T2-17", "T1-09", 1_200, "Weld nuts & bolts 焊接螺母与螺栓", "medium", False),
    ("T2-17", "T1-11", 700, "Fasteners 紧固件", "medium", False),
    ("T2-17", "T1-15", 400, "Wheel bolts 车轮螺栓", "medium", False),
    ("T2-18", "T1-12", 4_500, "Connectors 连接器", "high", False),
    ("T2-18", "T1-01", 1_800, "High-voltage connectors 高压连接器", "high", False),
    ("T2-19", "T1-12", 3_600, "Harness sub-assemblies 线束分装件", "medium", False),
    ("T2-20", "T1-13", 900, "Glass seals 玻璃密封条", "low", False),
    ("T2-20", "T1-10", 600, "Hose seals 管路密封件", "low", False),
    ("T2-21", "T1-14", 2_200, "Lamp housings 灯壳", "medium", False),
    ("T2-22", "T1-10", 4_800, "Heat exchangers 换热器", "high", False),
    ("T2-23", "T1-10", 3_200, "Electric pumps & valves 电子水泵与阀", "medium", False),
    ("T2-24", "T1-10", 800, "Temperature sensors 温度传感器", "medium", False),
    ("T2-24", "T1-11", 1_200, "Pressure sensors 压力传感器", "high", False),
    ("T2-25", "T1-11", 5_500, "Calipers & discs 制动卡钳与制动盘", "high", False),
    ("T2-26", "T1-11", 1_100, "Valve bodies 阀体", "medium", False),
    ("T2-27", "T1-14", 2_600, "LED modules LED模组", "medium", False),
    ("T2-28", "T1-13", 2_100, "Processed glass 深加工玻璃", "medium", False),
    ("T2-29", "T1-15", 5_800, "Aluminium wheels 铝合金轮毂", "medium", False),
    ("T3-01", "T2-17", 500, "Zinc-flake coating 达克罗涂覆", "medium", False),
    ("T3-01", "T2-25", 400, "E-coating 电泳", "medium", False),
    ("T3-02", "T2-26", 200, "Heat treatment 热处理", "medium", False),
    ("T3-02", "T2-17", 250, "Heat treatment 热处理", "medium", False),
    ("T3-03", "T2-15", 150, "Mould inserts 模具镶块", "low", False),
    ("T3-03", "T2-26", 120, "Machining overflow 机加外协", "low", False),
    ("T3-04", "T2-05", 6_000, "Flat copper wire 扁铜线", "high", False),
    ("T3-04", "T2-03", 2_000, "Copper bar 铜排料", "medium", False),
    ("T3-05", "T2-09", 300, "SMT placement 贴片加工", "medium", False),
    ("T3-05", "T2-02", 250, "SMT placement 贴片加工", "medium", False),
    ("T3-06", "T2-21", 1_800, "PP & PC compounds 改性PP与PC", "medium", False),
    ("T3-06", "T2-18", 900, "PA66 compounds 改性PA66", "medium", False),
    ("T3-07", "T2-19", 1_600, "Insulated cable 绝缘电缆", "medium", False),
    ("T3-08", "T2-15", 100, "Mould repair 模具修复", "low", False),
    ("T3-08", "T2-16", 120, "Die repair 模具修复", "low", False),
    ("T3-09", "T2-11", 150, "Returnable racks 周转料架", "low", False),
    ("T3-09", "T2-21", 200, "Returnable crates 周转箱", "low", False),
    ("T3-10", "T2-16", 1_500, "Tool steel 模具钢", "medium", False),
    ("T3-10", "T2-15", 1_200, "Tool steel 模具钢", "medium", False),
    ("T3-10", "T2-11", 2_000, "Steel tube & strip 钢管与带钢", "medium", False),
    ("T3-11", "T2-11", 180, "Powder coating 喷粉", "low", False),
    ("T3-11", "T2-29", 220, "Powder coating 喷粉", "low", False),
    ("T3-12", "T2-06", 5_500, "NdFeB alloy 钕铁硼合金", "high", False),
    ("CORE", "D1-01", 28_000, "Vehicles 整车", "medium", False),
    ("CORE", "D1-02", 22_000, "Vehicles 整车", "medium", False),
    ("CORE", "D1-03", 20_000, "Vehicles 整车", "medium", False),
    ("CORE", "D1-04", 16_000, "Vehicles 整车", "medium", False),
    ("CORE", "D1-05", 12_000, "Vehicles 整车", "medium", False),
    ("CORE", "D1-06", 3_500, "Co-branded chargers 品牌充电桩", "medium", True),
    ("CORE", "D1-07", 6_000, "Swap battery packs 换电电池包", "high", False),
    ("CORE", "D1-08", 4_500, "Service parts & diagnostics 售后配件与诊断", "medium", False),
    ("CORE", "D1-09", 260_000, "Ride-hailing vehicles 网约车", "high", True),
    ("CORE", "D1-10", 38_000, "Electric vans 电动物流车", "medium", False),
    ("CORE", "D1-11", 52_000, "Taxis 出租车", "medium", False),
    ("CORE", "D1-12", 6_500, "Rental vehicles 租赁车辆", "medium", False),
    ("CORE", "D1-13", 7_500, "Spare parts 配件", "medium", False),
    ("D1-07", "D1-09", 3_000, "Battery-swap service 换电服务", "high", False),
    ("D1-08", "D1-11", 1_800, "Fleet maintenance 车队维保", "medium", False),
    ("D1-01", "D2-01", 900, "Vehicles 整车", "low", False),
    ("D1-05", "D2-02", 600, "Training cars 教练车", "low", False),
    ("D1-13", "D2-03", 150, "Spare parts 配件", "low", False),
    ("D1-13", "D2-04", 120, "Spare parts 配件", "low", False),
    ("D1-04", "D2-05", 8_000, "Electric vans 电动物流车", "medium", False),
    ("D1-06", "D2-06", 400, "Charging operation 充电运营服务", "low", False),
    ("D1-03", "D2-07", 1_200, "Electric MPVs 电动商务车", "low", False),
    ("D1-02", "D2-08", 2_400, "Car-sharing vehicles 共享汽车", "medium", False),
    ("D1-12", "D2-09", 1_500, "Ex-rental cars 退役租赁车", "low", False),
]

def vehicle_policies(years: dict[str, object]) -> list[Programme]:
    """Fund the Anting auto park; or pay grants only at level 2, with subsidised loans."""
    anting = (ParkProject("Anting 安亭", "park_5g", 2026, 0.5, 0.0),
              ParkProject("Anting 安亭", "park_platform", 2026, 0.5, 0.2))
    park_led = Programme(
        Scenario(name="Park-led (Anting)", **years, **NO_SUBSIDY,
                 description=park_led_text(
                     "the Shanghai International Automobile City at Anting",
                     "安亭上海国际汽车城", "Jiading district funds", "嘉定区财政",
                     "Shanghai International Automobile City Group", "上海国际汽车城集团")),
        **SUBSIDISED_REACH, parks=anting, take=PARK_TAKE)
    mix = Programme(
        Scenario(name="Level-2 grant + loans", **years, subsidy_cap=50.0,
                 subsidy_min_level=2, loan_share=0.5, loan_rate=0.04, loan_years=3,
                 interest_subsidy=0.5,
                 description="Pay for results, and lend. " + GRANT_NOTE + LOAN_NOTE +
                             REACH_NOTE + LINK_NOTE + " 奖补加贴息：" + GRANT_NOTE_ZH + "；" +
                             LOAN_NOTE_ZH + "，中小企业自付投资分三年支付。" + REACH_NOTE_ZH),
        **{**SUBSIDISED_REACH, **COACHED_REACH}, take=LEVEL2_TAKE)
    return [park_led, mix]


VEHICLES = Chain(
    file="vehicles",
    model_name="Intelligent connected vehicle chain 智能网联新能源汽车产业链",
    parks=VEHICLE_PARKS,
    locations=VEHICLE_LOCATIONS,
    enterprises=VEHICLE_ENTERPRISES,
    links=VEHICLE_LINKS,
    projects=["platform", "cloud_erp", "mes", "security", "5g", "ai_inspection", "ar_guidance",
              "agv", "traceability", "digital_twin", "park_5g", "park_platform",
              "coaching"],
    policies=vehicle_policies,
    horizon=5,
    showcase=[
        ("CORE", "5g", 2026), ("CORE", "digital_twin", 2026), ("CORE", "ai_inspection", 2027),
        ("T1-01", "5g", 2026), ("T1-01", "ai_inspection", 2027),
        ("T1-08", "5g", 2026), ("T1-08", "ai_inspection", 2027),
        ("T1-09", "5g", 2026), ("T1-09", "agv", 2027),
        ("T1-12", "5g", 2026), ("T1-12", "ar_guidance", 2027),
        ("T2-19", "5g", 2027), ("T2-19", "ar_guidance", 2028),
        ("T1-02", "digital_twin", 2028),
        ("T1-11", "traceability", 2027), ("T2-25", "traceability", 2028),
        ("T2-05", "traceability", 2028),
    ],
)


# ======================================================================================
# Shipbuilding (船舶制造产业链)
# ======================================================================================

SHIP_PARKS = [
    # id, name, district, operator (园区运营方; blank where we know of no single operator)
    # Changxing Island's industrial park is run by the island's development group
    # (长兴企业集团, as reported in 2024)
    ("Changxing 长兴岛", "Changxing Island Marine Equipment Park 长兴岛海洋装备产业园",
     "Chongming 崇明区", "Changxing Enterprise Group 长兴企业集团"),
    ("Lingang 临港", "Lingang New Area 临港新片区", "Pudong 浦东新区", "Lingang Group 临港集团"),
    ("Waigaoqiao 外高桥", "Waigaoqiao Free Trade Zone 外高桥保税区", "Pudong 浦东新区",
     "Waigaoqiao Group 外高桥集团"),
    ("Baoshan 宝山", "Baoshan Industrial Park 宝山工业园区", "Baoshan 宝山区", ""),
    ("Minhang 闵行", "Minhang Economic & Technological Development Zone 闵行经济技术开发区",
     "Minhang 闵行区", "Minhang United Development 闵行联合发展"),
]

SHIP_LOCATIONS = {
    "CX": ("Changxing 长兴岛", "Chongming 崇明区"),
    "LG": ("Lingang 临港", "Pudong 浦东新区"),
    "WG": ("Waigaoqiao 外高桥", "Pudong 浦东新区"),
    "BS": ("Baoshan 宝山", "Baoshan 宝山区"),
    "MH": ("Minhang 闵行", "Minhang 闵行区"),
    # shipowners and ship managers in the North Bund / Bund shipping cluster
    "HK": ("", "Hongkou 虹口区"),
    "HP": ("", "Huangpu 黄浦区"),
}

SHIP_ENTERPRISES = [
    # id, name, role, size, ownership, industry, location, employees, revenue (万元), maturity, awareness, platform
    ("CORE", "Haixing Shipbuilding 海兴造船", "core", "large", "soe", "Shipbuilding 船舶总装建造", "CX", 8500, 3_100_000, 3, "very_familiar", True),
    # tier 1
    ("T1-01", "Baohai Steel Processing 宝海钢材加工配送", "supplier", "medium", "soe", "Ship-plate processing & distribution 船板加工配送", "BS", 420, 260_000, 2, "aware", False),
    ("T1-02", "Lingyun Marine Engines 凌云船用柴油机", "supplier", "medium", "foreign", "Marine diesel engines 船用主机", "LG", 950, 180_000, 3, "very_familiar", True),
    ("T1-03", "Changxin Pipe Prefabrication 长信管系预制", "supplier", "medium", "private", "Pipe-spool prefabrication 管系预制", "CX", 380, 26_000, 1, "aware", False),
    ("T1-04", "Haiju Outfitting 海居舾装", "supplier", "medium", "private", "Accommodation & outfitting 上层建筑与舾装", "CX", 520, 34_000, 1, "aware", False),
    ("T1-05", "Lanbo Marine Coatings 蓝波船舶涂料", "supplier", "medium", "foreign", "Marine coatings 船舶涂料", "WG", 330, 48_000, 3, "aware", True),
    ("T1-06", "Zhoudian Marine Electrical 舟电船舶电气", "supplier", "medium", "private", "Marine electrical systems 船舶电气系统", "MH", 400, 38_000, 2, "aware", False),
    ("T1-07", "Qiangli Deck Machinery 强力甲板机械", "supplier", "medium", "soe", "Deck machinery 甲板机械", "MH", 600, 42_000, 2, "aware", False),
    ("T1-08", "Xinhang Hull Blocks 信航分段制造", "supplier", "medium", "private", "Hull-block subcontracting 分段制造", "CX", 700, 45_000, 1, "aware", False),
    ("T1-09", "Yuehai Navigation & Comms 越海导航通信", "supplier", "medium", "private", "Navigation & communication 导航通信设备", "LG", 310, 22_000, 3, "aware", False),
    ("T1-10", "Xuanjin Propellers 旋进螺旋桨", "supplier", "medium", "soe", "Propellers & shafting 螺旋桨与轴系", "LG", 350, 28_000, 2, "aware", False),
    # tier 2
    ("T2-01", "Jiancheng Plate Cutting 坚成钢板切割", "supplier", "small", "private", "Plate & profile cutting 钢板型材切割", "BS", 120, 9_500, 1, "aware", False),
    ("T2-02", "Dingli Flanges & Fittings 鼎立法兰管件", "supplier", "small", "private", "Flanges & pipe fittings 法兰管件", "BS", 90, 5_800, 1, "unaware", False),
    ("T2-03", "Qiantong Marine Valves 乾通船用阀门", "supplier", "small", "private", "Marine valves 船用阀门", "MH", 110, 7_200, 1, "aware", False),
    ("T2-04", "Hanlian Welding Consumables 焊联焊材", "supplier", "small", "private", "Welding consumables 焊接材料", "BS", 70, 8_800, 1, "heard_of", False),
    ("T2-05", "Zhongxian Marine Cable 中贤船用电缆", "supplier", "small", "private", "Marine cable 船用电缆", "MH", 130, 12_000, 2, "aware", False),
    ("T2-06", "Huiqi Switchboards 汇启配电屏", "supplier", "small", "private", "Switchboards 配电板", "MH", 95, 6_400, 2, "aware", False),
    ("T2-07", "Anwen Insulation 安温绝热", "supplier", "small", "private", "Insulation & fire protection 绝缘与防火", "CX", 80, 3_900, 1, "unaware", False),
    ("T2-08", "Chuanfu Cabin Modules 船福舱室模块", "supplier", "small", "private", "Cabin modules 舱室单元", "CX", 140, 6_900, 1, "aware", False),
    ("T2-09", "Shenjia Machining 申嘉机加", "supplier", "small", "private", "Machining 机加工", "MH", 75, 4_100, 1, "heard_of", False),
    ("T2-10", "Fuxing Forgings 富兴锻件", "supplier", "small", "private", "Crankshaft & shaft forgings 曲轴与轴系锻件", "LG", 160, 14_000, 1, "aware", False),
    ("T2-11", "Jingzhun Marine Sensors 精准船用传感", "supplier", "small", "private", "Marine sensors 船用传感器", "LG", 60, 3_800, 2, "aware", False),
    ("T2-12", "Tuoyuan Pigments 拓源颜料助剂", "supplier", "small", "private", "Pigments & additives 颜料与助剂", "WG", 55, 5_200, 2, "aware", False),
    ("T2-13", "Anxing Scaffolding 安兴脚手架", "supplier", "small", "private", "Scaffolding & staging 脚手架服务", "CX", 200, 3_000, 1, "unaware", False),
    ("T2-14", "Baojing Steel 宝晶钢铁", "supplier", "large", "soe", "Ship-plate mill 船板轧制", "BS", 12_000, 6_000_000, 4, "very_familiar", True),
    # tier 3
    ("T3-01", "Jiali Shot Blasting 佳力喷砂", "supplier", "micro", "private", "Shot blasting & priming 抛丸预处理", "BS", 18, 500, 1, "unaware", False),
    ("T3-02", "Huaduan Heat Treatment 华锻热处理", "supplier", "micro", "private", "Heat treatment 热处理", "LG", 16, 600, 1, "unaware", False),
    ("T3-03", "Baoding Galvanising 宝鼎镀锌", "supplier", "small", "private", "Hot-dip galvanising 热镀锌", "BS", 50, 2_200, 1, "unaware", False),
    ("T3-04", "Xinzhu Foundry 鑫铸铸造", "supplier", "small", "private", "Valve & pump castings 阀泵铸件", "MH", 90, 4_800, 1, "heard_of", False),
    ("T3-05", "Yida Copper Conductors 易达铜导体", "supplier", "small", "private", "Copper conductors 铜导体", "MH", 45, 6_500, 1, "heard_of", False),
    ("T3-06", "Weiye Fasteners 伟业紧固件", "supplier", "micro", "private", "Fasteners 紧固件", "BS", 15, 400, 1, "unaware", False),
    ("T3-07", "Ruiguang Components 瑞光电子元件", "supplier", "micro", "private", "Electronic components 电子元器件", "MH", 12, 700, 1, "unaware", False),
    # downstream tier 1: shipowners, repair and service partners, spares
    ("D1-01", "Huayang Ocean Shipping 华洋远洋运输", "customer", "large", "soe", "Container shipping 集装箱航运", "HK", 5200, 2_800_000, 3, "aware", True),
    ("D1-02", "Donghai Bulk Carriers 东海散货航运", "customer", "medium", "private", "Bulk shipping 散货航运", "HP", 260, 150_000, 2, "aware", False),
    ("D1-03", "Polaris Gas Shipping 北极星液化气航运", "customer", "medium", "foreign", "LNG shipping 液化气航运", "HK", 180, 220_000, 3, "very_familiar", True),
    ("D1-04", "Changxing Ship Repair 长兴修船服务", "service", "medium", "private", "Ship repair & guarantee service 修船与保修服务", "CX", 450, 28_000, 2, "aware", False),
    ("D1-05", "Chuanpei Marine Spares 船配备件", "distributor", "small", "private", "Ship spare parts 船舶备件", "WG", 40, 7_500, 1, "heard_of", False),
    ("D1-06", "Zhihang Ship Management 智航船舶管理", "service", "small", "private", "Ship management 船舶管理", "HK", 110, 9_000, 2, "aware", False),
    ("D1-07", "Yuanhai Marine Electrics 远海船电服务", "service", "small", "private", "Electrical & automation service 船电服务", "WG", 60, 3_200, 1, "unaware", False),
    # downstream tier 2
    ("D2-01", "Jiangda Coastal Shipping 江达沿海运输", "customer", "small", "private", "Coastal shipping 沿海运输", "HP", 150, 18_000, 1, "unaware", False),
    ("D2-02", "Xinhe Ship Supply 信和船舶供应", "distributor", "micro", "private", "Ship chandler 船舶物料供应", "WG", 12, 280, 1, "unaware", False),
    ("D2-03", "Bihai Offshore Services 碧海海工服务", "customer", "small", "private", "Offshore service vessels 海工服务船", "LG", 90, 12_000, 1, "aware", False),
]

SHIP_LINKS = [
    # supplier, buyer, annual value (万元), product, criticality, data connected
    ("T1-01", "CORE", 220_000, "Cut & primed ship plate 预处理船板", "high", False),
    ("T1-02", "CORE", 150_000, "Main engines 主机", "high", True),
    ("T1-03", "CORE", 18_000, "Pipe spools 管系组件", "high", False),
    ("T1-04", "CORE", 24_000, "Accommodation outfitting 生活区舾装", "medium", False),
    ("T1-05", "CORE", 30_000, "Hull & tank coatings 船体与舱室涂料", "medium", True),
    ("T1-06", "CORE", 28_000, "Electrical systems 电气系统", "high", False),
    ("T1-07", "CORE", 25_000, "Winches & cranes 绞车与克令吊", "medium", False),
    ("T1-08", "CORE", 36_000, "Hull blocks 船体分段", "high", False),
    ("T1-09", "CORE", 12_000, "Bridge & radio equipment 驾驶台与通信设备", "medium", False),
    ("T1-10", "CORE", 16_000, "Propellers & shafts 螺旋桨与轴系", "high", False),
    ("T2-14", "T1-01", 240_000, "Ship plate & profiles 船板与型材", "high", True),
    ("T2-01", "T1-08", 4_500, "Cut plates & profiles 切割板与型材", "high", False),
    ("T2-01", "T1-04", 1_800, "Cut profiles 切割型材", "medium", False),
    ("T2-02", "T1-03", 3_200, "Flanges & fittings 法兰与管件", "high", False),
    ("T2-03", "T1-03", 2_800, "Valves 阀门", "high", False),
    ("T2-03", "T1-07", 1_200, "Hydraulic valves 液压阀", "medium", False),
    ("T2-04", "T1-08", 2_600, "Welding wire & flux 焊丝与焊剂", "medium", False),
    ("T2-04", "T1-03", 1_500, "Welding wire 焊丝", "medium", False),
    ("T2-04", "T1-04", 800, "Welding rods 焊条", "low", False),
    ("T2-05", "T1-06", 6_500, "Marine cable 船用电缆", "high", False),
    ("T2-05", "T1-09", 500, "Signal cable 信号电缆", "medium", False),
    ("T2-06", "T1-06", 4_000, "Switchboards 配电板", "high", False),
    ("T2-07", "T1-04", 1_600, "Insulation & fire-proofing 绝缘防火材料", "medium", False),
    ("T2-08", "T1-04", 4_200, "Prefabricated cabins 预制舱室", "medium", False),
    ("T2-09", "T1-07", 2_000, "Machined parts 机加件", "medium", False),
    ("T2-09", "T1-10", 900, "Machined parts 机加件", "medium", False),
    ("T2-10", "T1-02", 9_000, "Crankshaft forgings 曲轴锻件", "high", False),
    ("T2-10", "T1-10", 3_500, "Shaft forgings 轴系锻件", "high", False),
    ("T2-11", "T1-09", 1_200, "Sensors 传感器", "medium", False),
    ("T2-11", "T1-02", 800, "Engine sensors 主机传感器", "medium", False),
    ("T2-12", "T1-05", 3_600, "Pigments & additives 颜料与助剂", "medium", False),
    ("T2-13", "T1-08", 1_200, "Staging 脚手架搭设", "low", False),
    ("T2-13", "T1-04", 600, "Staging 脚手架搭设", "low", False),
    ("T3-01", "T2-01", 400, "Shot blasting 抛丸", "medium", False),
    ("T3-01", "T2-02", 200, "Blasting & priming 喷砂底漆", "low", False),
    ("T3-02", "T2-10", 350, "Heat treatment 热处理", "high", False),
    ("T3-02", "T2-09", 120, "Heat treatment 热处理", "low", False),
    ("T3-03", "T2-02", 600, "Galvanising 镀锌", "medium", False),
    ("T3-03", "T2-13", 300, "Galvanised tubes 镀锌钢管", "low", False),
    ("T3-04", "T2-03", 1_500, "Valve castings 阀体铸件", "high", False),
    ("T3-04", "T2-09", 400, "Castings 铸件", "medium", False),
    ("T3-05", "T2-05", 4_200, "Copper conductors 铜导体", "high", False),
    ("T3-06", "T2-08", 150, "Fasteners 紧固件", "low", False),
    ("T3-06", "T2-06", 100, "Fasteners 紧固件", "low", False),
    ("T3-07", "T2-11", 300, "Electronic components 电子元器件", "medium", False),
    ("T3-07", "T2-06", 500, "Breakers & relays 断路器与继电器", "medium", False),
    ("CORE", "D1-01", 1_200_000, "Container ships 集装箱船", "high", True),
    ("CORE", "D1-02", 450_000, "Bulk carriers 散货船", "high", True),
    ("CORE", "D1-03", 900_000, "LNG carriers 液化天然气船", "high", True),
    ("CORE", "D1-04", 6_000, "Guarantee repairs & parts 保修工程与配件", "medium", False),
    ("CORE", "D1-05", 4_000, "Spare parts 备件", "medium", False),
    ("CORE", "D1-06", 800, "As-built drawings & data 完工图纸与数据", "low", False),
    ("CORE", "D1-07", 1_200, "Electrical service contracts 电气服务合同", "low", False),
    ("D1-04", "D1-01", 5_000, "Voyage repairs 航修", "medium", False),
    ("D1-06", "D1-02", 1_500, "Ship management 船舶管理", "medium", False),
    ("D1-07", "D1-02", 600, "Electrical service 船电服务", "low", False),
    ("D1-04", "D2-03", 2_500, "Repairs 修船", "medium", False),
    ("D1-05", "D2-01", 1_100, "Spare parts 备件", "medium", False),
    ("D1-05", "D2-02", 150, "Spare parts 备件", "low", False),
    ("D1-06", "D2-01", 900, "Ship management 船舶管理", "medium", False),
]

def ship_policies(years: dict[str, object]) -> list[Programme]:
    """Fund the Changxing Island park; or relieve tax and subsidise running costs."""
    changxing = (ParkProject("Changxing 长兴岛", "park_5g", 2026, 0.5, 0.0),
                 ParkProject("Changxing 长兴岛", "park_platform", 2026, 0.5, 0.2))
    park_led = Programme(
        Scenario(name="Park-led (Changxing)", **years, **NO_SUBSIDY,
                 description=park_led_text(
                     "the Changxing Island Marine Equipment Park (the core's yard is a member)",
                     "长兴岛海洋装备产业园（链主船厂位于园内）", "Chongming district funds",
                     "崇明区财政", "Changxing Enterprise Group", "长兴企业集团")),
        **SUBSIDISED_REACH, parks=changxing, take=PARK_TAKE)
    mix = Programme(
        Scenario(name="Tax relief + cloud subsidy", **years, **NO_SUBSIDY, tax_relief_rate=0.25,
                 opex_subsidy=0.5, opex_subsidy_years=3,
                 description="Tax and running costs instead of a grant: every firm gets 25 % of "
                             "its own digital spending back as tax relief (研发费用加计扣除: a "
                             "100 % super-deduction at the 25 % income-tax rate; an upper bound, "
                             "as it assumes all of it qualifies and the firm pays the full rate — "
                             "a small low-profit firm pays far less tax), the core included on "
                             "its own projects; and the government pays half of each SME's "
                             "running costs, mostly cloud subscriptions (cloud ERP, platform, "
                             "SaaS MES), in the first three years after go-live. No capex grant. "
                             + REACH_NOTE + LINK_NOTE +
                             " 以税收减免和运维补贴代替投资补贴：企业自身数字化支出的25%以税收减免返还"
                             "（研发费用加计扣除：100%加计扣除×25%所得税率；假设支出全部符合条件且按全额"
                             "税率纳税，为上限，小型微利企业实际减免少得多），链主自身项目同样享受；政府在"
                             "上线后三年内承担中小企业运维费的一半（主要为云ERP、平台、SaaS MES等云服务"
                             "订阅费）。不设投资补贴。" + REACH_NOTE_ZH),
        **{**SUBSIDISED_REACH, **COACHED_REACH}, take=TAX_TAKE)
    return [park_led, mix]


SHIPBUILDING = Chain(
    file="shipbuilding",
    model_name="Shipbuilding chain 船舶制造产业链",
    parks=SHIP_PARKS,
    locations=SHIP_LOCATIONS,
    enterprises=SHIP_ENTERPRISES,
    links=SHIP_LINKS,
    projects=["platform", "cloud_erp", "mes", "security", "5g", "digital_welding",
              "pipe_scheduling", "ai_inspection", "traceability", "park_5g", "park_platform",
              "coaching"],
    policies=ship_policies,
    horizon=6,
    variants={"ai_inspection": {
        "name": "5G+AI weld-seam inspection 5G+AI焊缝检测",
        "source": "AI reading of weld radiographs and seam images over 5G, as in shipyards' "
                  "5G+工业互联网 pilots; no figures reported that fit a supplier, so capex 100, "
                  "opex 12 万元/yr and a benefit of 30 万元/yr (inspection labour and rework) "
                  "are assumptions. Benefit range ×0.6–×1.4 (效益区间): an assumption too, "
                  "kept moderate.",
        "benefit_low": 0.6, "benefit_high": 1.4}},
    showcase=[
        ("CORE", "5g", 2026), ("CORE", "digital_welding", 2026),
        ("CORE", "pipe_scheduling", 2026), ("CORE", "ai_inspection", 2027),
        ("T1-08", "digital_welding", 2026), ("T1-08", "5g", 2027),
        ("T1-08", "ai_inspection", 2028),
        ("T1-03", "pipe_scheduling", 2027),
        ("T1-04", "digital_welding", 2027),
        ("T2-08", "digital_welding", 2028),
        ("T1-07", "traceability", 2027), ("T2-03", "traceability", 2028),
    ],
)


def catalogue_model() -> ChainModel:
    """Every project of the catalogue (P01 … in PROJECTS order) with the default settings."""
    return ChainModel(projects=catalogue(list(PROJECTS))[0])


def main() -> None:
    save_json(catalogue_model(), CATALOGUE)
    for chain in (AIRCRAFT, VEHICLES, SHIPBUILDING):
        model = build(chain)
        check(model)
        save_workbook(model, FOLDER / f"{chain.file}.xlsx", lang="en")
        if chain is AIRCRAFT:
            save_workbook(model, FOLDER / f"{chain.file}_zh.xlsx", lang="zh_CN")
        counts = ", ".join(f"{n} {t}" for t, n in model.summary().items())
        print(f"{chain.file}: {counts}")


if __name__ == "__main__":
    main()
