"""A synthetic but realistic chain, for demos and benchmarks (``chainplan generate``).

Shape: one large core; upstream tiers 1–3 with fan-in (a few medium tier-1
system suppliers, many small and micro firms at tiers 2–3, each supplying one
to three buyers a tier closer to the core); downstream distributors, customers
and service partners; firms grouped in industrial parks. About three links
and, over the two programme scenarios, two assignments per enterprise.
The Parks table names each park's district and operator; two park projects
(a shared 5G private network and an industrial-internet platform) are in the
catalogue, and a fourth scenario, "Full policy mix", uses every instrument:
park projects on every park, opex subsidy, subsidies paid once a firm reaches
level 2, only domestic ownerships subsidised, tax relief, and loans with an
interest subsidy. The first three scenarios are as they always were (their
random draws come first and are unchanged).
The same seed always gives the same model.
"""

from __future__ import annotations

import random

from models.chain import (
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

PARKS = ("Lingang 临港", "Zhangjiang 张江", "Jiading 嘉定", "Songjiang G60 松江", "Jinqiao 金桥",
         "Caohejing 漕河泾", "Baoshan 宝山", "Fengxian 奉贤", "Qingpu 青浦", "Minhang 闵行")
DISTRICTS = {"Lingang": "Pudong", "Zhangjiang": "Pudong", "Jinqiao": "Pudong",
             "Jiading": "Jiading", "Songjiang": "Songjiang", "Caohejing": "Xuhui",
             "Baoshan": "Baoshan", "Fengxian": "Fengxian", "Qingpu": "Qingpu",
             "Minhang": "Minhang"}
TRADES = ("Precision Machining", "Castings", "Fasteners", "Cable Harness", "Surface Treatment",
          "Electronics", "Plastics", "Sheet Metal", "Bearings", "Sensors", "Hydraulics",
          "Composites", "Logistics", "Software", "Packaging", "Rubber Seals")

# (id, name, category, capex, opex, duration, benefit_rate, benefit_fixed, gain, min level,
#  requires, connects_platform, eligible sizes)
CATALOGUE = (
    ("P01", "Chain data platform onboarding", "collaboration", 8, 2, 1, 0.001, 5, 0, 1, "",
     True, ()),
    ("P02", "Cloud ERP", "management", 20, 5, 1, 0.002, 10, 1, 1, "", False, ()),
    ("P03", "MES", "operations", 60, 10, 1, 0.004, 10, 1, 2, "P02", False,
     ("small", "medium", "large")),
    ("P04", "5G+AGV logistics", "infrastructure", 120, 15, 2, 0.003, 30, 1, 2, "", False,
     ("medium", "large")),
    ("P05", "AI visual inspection", "operations", 80, 8, 1, 0.004, 40, 1, 2, "P03", False,
     ("small", "medium", "large")),
    ("P06", "Data security baseline", "security", 10, 3, 1, 0.0, 4, 0, 1, "", False, ()),
    ("P07", "Supplier collaboration portal", "collaboration", 15, 4, 1, 0.001, 6, 0, 1, "P01",
     True, ()),
    ("P08", "Energy management system", "operations", 30, 5, 1, 0.002, 12, 1, 2, "", False,
     ("small", "medium", "large")),
)


# park projects: shared by every member of the park, no size factor (capex and opex for the park)
PARK_CATALOGUE = (
    ("K01", "Park 5G private network", "infrastructure", 600, 60, 1, 0.0002, 3, 0, True),
    ("K02", "Park industrial-internet platform", "collaboration", 400, 50, 1, 0.0003, 4, 1, True),
)
_FULL_POLICY = "Full policy mix"


def _catalogue() -> list[ProjectType]:
    source = ("Synthetic catalogue for demos: costs in 10k CNY for a small enterprise, "
              "assumed from typical SME digitalisation quotes")
    return [ProjectType(id=i, name=n, category=c, capex=float(cx), opex=float(ox), duration=d,
                        benefit_rate=br, benefit_fixed=float(bf), maturity_gain=g,
                        min_maturity=m, requires=r, connects_platform=cp, eligible_sizes=es,
                        source=source)
            for i, n, c, cx, ox, d, br, bf, g, m, r, cp, es in CATALOGUE] + [
        ProjectType(id=i, name=n, category=c, capex=float(cx), opex=float(ox), duration=d,
                    benefit_rate=br, benefit_fixed=float(bf), maturity_gain=g,
                    connects_platform=cp, scope="park",
                    source="Synthetic park project for demos: costs in 10k CNY for the whole "
                           "park, assumed from typical park network and platform quotes")
        for i, n, c, cx, ox, d, br, bf, g, cp in PARK_CATALOGUE]


_REVENUE = {"large": (200_000, 2_000_000), "medium": (20_000, 200_000),
            "small": (2_000, 20_000), "micro": (200, 2_000)}
_EMPLOYEES = {"large": (1000, 20000), "medium": (100, 1000), "small": (20, 100),
              "micro": (3, 20)}


def generate(enterprises: int, seed: int = 1) -> ChainModel:
    """A chain of ``enterprises`` firms (at least 5), deterministic for ``seed``."""
    rng = random.Random(seed)
    n = max(5, enterprises)
    parks = PARKS[: max(3, min(len(PARKS), n // 8))]
    model = ChainModel(settings=Settings(model_name=f"Generated chain ({n} enterprises, seed "
                                                    f"{seed})"))
    counts = _tier_counts(n)

    def add(prefix: str, number: int, role: str, sizes: tuple[str, ...],
            weights: tuple[int, ...]) -> Enterprise:
        size = rng.choices(sizes, weights)[0]
        trade = rng.choice(TRADES)
        park = rng.choice(parks)
        lo, hi = _REVENUE[size]
        e_lo, e_hi = _EMPLOYEES[size]
        enterprise = Enterprise(
            id=f"{prefix}{number:05d}", name=f"{trade} {prefix}{number:05d} Co.", role=role,
            size=size, ownership=rng.choices(("soe", "private", "foreign", "other"),
                                             (1, 12, 3, 1))[0],
            industry=trade, park=park, district=DISTRICTS[park.split()[0]],
            employees=rng.randint(e_lo, e_hi), revenue=float(round(rng.uniform(lo, hi))),
            maturity=rng.choices((1, 2, 3, 4), (50, 30, 15, 5))[0],
            awareness=rng.choice(("very_familiar", "aware", "heard_of", "unaware")),
            platform_connected=rng.random() < 0.1)
        model.enterprises.append(enterprise)
        return enterprise

    core = Enterprise(id="CORE", name="Core Manufacturer Group", role="core", size="large",
                      ownership="soe", industry="Final assembly", park=parks[0],
                      district=DISTRICTS[parks[0].split()[0]], employees=30000,
                      revenue=5_000_000.0, maturity=3, awareness="very_familiar",
                      platform_connected=True)
    model.enterprises.append(core)
    tiers: list[list[Enterprise]] = [[core]]
    size_mix = {1: (("large", "medium", "small"), (1, 6, 2)),
                2: (("medium", "small", "micro"), (2, 6, 2)),
                3: (("small", "micro"), (4, 6))}
    number = 0
    for tier in (1, 2, 3):
        tiers.append([])
        for _ in range(counts[tier]):
            number += 1
            tiers[tier].append(add("S", number, "supplier", *size_mix[tier]))
    links: dict[tuple[str, str], Link] = {}

    def link(supplier: Enterprise, buyer: Enterprise, scale: float) -> None:
        if (supplier.id, buyer.id) not in links and supplier.id != buyer.id:
            value = float(round(supplier.revenue * scale * rng.uniform(0.05, 0.4), 1))
            links[supplier.id, buyer.id] = Link(
                supplier=supplier.id, buyer=buyer.id, annual_value=value,
                product=supplier.industry, criticality=rng.choices(
                    ("low", "medium", "high"), (3, 5, 2))[0],
                data_connected=rng.random() < 0.05)

    for tier in (1, 2, 3):
        buyers = tiers[tier - 1]
        for supplier in tiers[tier]:
            fan_out = 1 if tier == 1 else rng.choices((1, 2, 3, 4, 5), (1, 2, 3, 3, 2))[0]
            for buyer in rng.sample(buyers, min(fan_out, len(buyers))):
                link(supplier, buyer, 1.0)
            if tier >= 2 and rng.random() < 0.25:  # some firms also sell further down the chain
                link(supplier, rng.choice(tiers[tier - 2]), 0.5)
    distributors = [add("D", i + 1, "distributor", ("medium", "small", "micro"), (2, 5, 3))
                    for i in range(counts["distributor"])]
    for d in distributors:
        link(core, d, 0.02)
    customers = [add("C", i + 1, "customer", ("large", "medium", "small"), (1, 3, 3))
                 for i in range(counts["customer"])]
    for c in customers:
        for d in rng.sample(distributors, min(len(distributors), rng.randint(1, 3))):
            link(d, c, 0.5)
        if rng.random() < 0.2:
            link(core, c, 0.01)
    services = [add("V", i + 1, "service", ("medium", "small", "micro"), (1, 4, 3))
                for i in range(counts["service"])]
    for v in services:
        link(core, v, 0.005)
        for c in rng.sample(customers, min(len(customers), rng.randint(0, 2))):
            link(v, c, 0.3)
    model.links = list(links.values())
    model.projects = _catalogue()
    model.scenarios = [
        Scenario(name="No programme", description="Business as usual", start_year=2026,
                 horizon=5, subsidy_micro=0, subsidy_small=0, subsidy_medium=0),
        Scenario(name="Core-led", description="The core pays 40% of its SMEs' costs",
                 start_year=2026, horizon=5, subsidy_micro=0, subsidy_small=0, subsidy_medium=0),
        Scenario(name="Core-led with subsidy",
                 description="Core-led, with government capex subsidy capped at 50 per firm",
                 start_year=2026, horizon=5, subsidy_cap=50.0),
    ]
    model.assignments = _assignments(model, rng)
    _policy(model, parks, random.Random(f"policy {seed}"))
    return model


def _policy(model: ChainModel, parks: tuple[str, ...], rng: random.Random) -> None:
    """The Parks table, and the scenario with every instrument and park projects on.

    Its own random numbers, so that the other scenarios stay what they always were. The
    government and the core share each park project between them (the park operators, a
    party of their own, pay nothing here), so the three classic parties still add up to
    every scenario's cost."""
    model.parks = [Park(id=k, name=f"{k} Industrial Park", district=DISTRICTS[k.split()[0]],
                        operator=f"{k.split()[0]} Park Development Co.") for k in parks]
    model.scenarios.append(Scenario(
        name=_FULL_POLICY,
        description=("Core-led with every instrument: park 5G and platforms paid by the "
                     "government and the core, capex and opex subsidies paid once a firm reaches level 2 "
                     "(domestic firms only, capped at 50), 25% tax relief, and bank loans for "
                     "half the own capex with half the interest subsidised"),
        start_year=2026, horizon=5, subsidy_cap=50.0, opex_subsidy=0.3, opex_subsidy_years=2,
        subsidy_min_level=2, subsidy_ownership=("soe", "private", "other"),
        tax_relief_rate=0.25, loan_share=0.5, loan_rate=0.04, loan_years=3,
        interest_subsidy=0.5))
    model.assignments += [Assignment(scenario=_FULL_POLICY, enterprise=a.enterprise,
                                     project=a.project, start_year=a.start_year,
                                     core_share=a.core_share)
                          for a in model.assignments if a.scenario == "Core-led with subsidy"]
    members = {e.park for e in model.enterprises}
    for k in parks:
        if k not in members:
            continue
        network_year = 2026 + rng.randint(0, 1)
        model.park_assignments.append(ParkAssignment(
            scenario=_FULL_POLICY, park=k, project="K01", start_year=network_year,
            government_share=0.6, core_share=0.4))
        if rng.random() < 0.7:
            model.park_assignments.append(ParkAssignment(
                scenario=_FULL_POLICY, park=k, project="K02", start_year=network_year + 1,
                government_share=0.5, core_share=0.5))


def _tier_counts(n: int) -> dict[object, int]:
    """How many firms of each kind, adding up to n - 1 (the core is the n-th)."""
    others = n - 1
    shares = {1: 0.06, 2: 0.25, 3: 0.40, "distributor": 0.14, "customer": 0.11, "service": 0.04}
    counts: dict[object, int] = {k: int(others * v) for k, v in shares.items()}
    for kind in (1, 2, 3, "distributor"):  # every chain has these, however small
        counts[kind] = max(1, counts[kind])
    while sum(counts.values()) > others:
        largest = max(counts, key=lambda k: counts[k])
        counts[largest] -= 1
    counts[3] += others - sum(counts.values())  # the remainder goes to tier 3
    return counts


def _assignments(model: ChainModel, rng: random.Random) -> list[Assignment]:
    """A plausible programme: onboarding and cloud ERP first, then MES and inspection."""
    plan: list[tuple[str, str, int]] = []
    for e in model.enterprises:
        if e.role == "core":
            continue
        if not e.platform_connected and rng.random() < 0.55:
            plan.append((e.id, "P01", 2026 + rng.randint(0, 2)))
        if rng.random() < 0.45:
            erp_year = 2026 + rng.randint(0, 2)
            plan.append((e.id, "P02", erp_year))
            level = min(4, e.maturity + 1)  # cloud ERP adds a level when it goes live
            if e.size != "micro" and level >= 2 and rng.random() < 0.35:
                plan.append((e.id, "P03", erp_year + 1))
        elif e.size in ("medium", "large") and e.maturity >= 2 and rng.random() < 0.2:
            plan.append((e.id, "P04", 2027))
    result = []
    for scenario, share in (("Core-led", 0.4), ("Core-led with subsidy", 0.4)):
        result += [Assignment(scenario=scenario, enterprise=e, project=p, start_year=y,
                              core_share=share) for e, p, y in plan]
    return result
