"""A second, independent computation of a scenario's numbers with parks and policy instruments.

Written from docs/method.md's rules alone ("How chainplan computes its numbers", and "Parks and
policy instruments"), as plain Python loops over assignments and years: clarity over speed.
tests/test_policy_reference.py checks that ``planner.engine.evaluate`` agrees with it on many
random models; docs/method.md's worked example of the policy instruments is computed by it.

Nothing here is shared with the engine but the data classes of ``models.chain``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.chain import ChainModel, Scenario

PARTIES = ("core", "sme", "park", "government")


@dataclass
class Claim:
    """One subsidy claim of an enterprise assignment: capex (in its start year) or opex."""

    firm: int  # position of the enterprise in model.enterprises
    assignment: int  # position in model.assignments
    project: str
    kind: str  # "capex" or "opex" (capex comes first in the cap's order)
    arises: int  # year t
    amount: float
    paid_year: int | None = None  # t', None when never paid
    paid: float = 0.0  # after the cap


@dataclass
class Reference:
    """Per year (lists over the horizon) and per enterprise and year (lists of lists)."""

    years: list[int]
    capex: list[float]
    opex: list[float]
    capex_subsidy: list[float]
    opex_subsidy: list[float]
    subsidy: list[float]
    interest_subsidy: list[float]
    tax_relief: list[float]
    loan_drawn: list[float]
    loan_repaid: list[float]
    park_government: list[float]
    cost: list[float]
    benefit: list[float]
    net: list[float]
    cumulative: list[float]
    factor: list[float]
    npv: float
    pv_cost: float
    pv_benefit: float
    bcr: float | None
    payback_year: int | None
    party_cost: dict[str, list[float]]
    party_benefit: dict[str, list[float]]
    party_npv: dict[str, float]
    firm_cost: list[list[float]]
    firm_benefit: list[list[float]]
    maturity: list[list[int]]
    connected: list[list[bool]]
    link_connected: list[list[bool]]
    connected_share: list[float | None]
    digitalised_share: list[float | None]
    link_coverage: list[float | None]
    spend_coverage: list[float | None]
    islands: list[int]
    claims: list[Claim] = field(default_factory=list)


def _share(count: int, total: int) -> float | None:
    return None if total == 0 else count / total


def _islands(n: int, edges: list[tuple[int, int]]) -> int:
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for u, v in edges:
        ru, rv = find(u), find(v)
        if ru != rv:
            parent[ru] = rv
    return len({find(i) for i in range(n)})


def _payback(years: list[int], cumulative: list[float], cost: list[float],
             benefit: list[float]) -> int | None:
    below = False
    for y, c in zip(years, cumulative, strict=True):
        if c < 0:
            below = True
        elif below:
            return y
    if below:
        return None
    if any(x != 0 for x in cost) or any(x != 0 for x in benefit):
        return years[0]
    return None


def compute(model: ChainModel, scenario: Scenario | str) -> Reference:
    """The numbers of one scenario, rule by rule."""
    if isinstance(scenario, str):
        found = model.scenario(scenario)
        assert found is not None, scenario
        scenario = found
    sc = scenario
    years = [sc.start_year + i for i in range(sc.horizon)]
    first, last = years[0], years[-1]
    ny = len(years)

    def col(y: int) -> int:
        return y - first

    def in_horizon(y: int) -> bool:
        return first <= y <= last

    firms = model.enterprises
    nf = len(firms)
    position = {e.id: i for i, e in enumerate(firms)}
    core = next(i for i, e in enumerate(firms) if e.role == "core")
    projects = model.project_index()
    settings = model.settings

    def party(i: int) -> str:
        return "core" if i == core else "sme"

    def factor_of(i: int) -> float:
        return settings.size_factor(firms[i].size)

    assignments = [(k, a) for k, a in enumerate(model.assignments) if a.scenario == sc.name]
    park_assignments = [(k, b) for k, b in enumerate(model.park_assignments)
                        if b.scenario == sc.name]
    members: dict[str, list[int]] = {}
    for i, e in enumerate(firms):
        if e.park:
            members.setdefault(e.park, []).append(i)

    zeros = [0.0] * ny
    capex, opex = list(zeros), list(zeros)
    capex_subsidy, opex_subsidy = list(zeros), list(zeros)
    interest_subsidy, tax_relief = list(zeros), list(zeros)
    loan_drawn, loan_repaid, park_government = list(zeros), list(zeros), list(zeros)
    benefit = list(zeros)
    party_cost = {p: list(zeros) for p in PARTIES}
    party_benefit = {p: list(zeros) for p in PARTIES}
    firm_cost = [list(zeros) for _ in range(nf)]
    firm_benefit = [list(zeros) for _ in range(nf)]

    def pay(i: int | None, who: str, y: int, amount: float) -> None:
        """Party `who` (and enterprise i's own account, if any) pays amount in year y."""
        party_cost[who][col(y)] += amount
        if i is not None:
            firm_cost[i][col(y)] += amount

    def gain(i: int, y: int, amount: float) -> None:
        party_benefit[party(i)][col(y)] += amount
        firm_benefit[i][col(y)] += amount
        benefit[col(y)] += amount

    # --- levels and connection: enterprise assignments and park assignments live in y ---
    maturity = [[0] * ny for _ in range(nf)]
    connected = [[False] * ny for _ in range(nf)]
    for i, e in enumerate(firms):
        for y in years:
            level = e.maturity
            on = e.platform_connected
            for _, a in assignments:
                p = projects[a.project]
                if a.enterprise == e.id and y >= a.start_year + p.duration:
                    level += p.maturity_gain
                    on = on or p.connects_platform
            for _, b in park_assignments:
                p = projects[b.project]
                if e.park and b.park == e.park and y >= b.start_year + p.duration:
                    level += p.maturity_gain
                    on = on or p.connects_platform
            maturity[i][col(y)] = min(4, level)
            connected[i][col(y)] = on

    # --- enterprise assignments ---
    claims: list[Claim] = []
    for k, a in assignments:
        p = projects[a.project]
        i = position[a.enterprise]
        e = firms[i]
        f = factor_of(i)
        s = a.start_year
        live = s + p.duration
        capex_a = p.capex * f
        opex_a = p.opex * f
        benefit_a = p.benefit_rate * e.revenue + p.benefit_fixed * f
        is_core = i == core
        c = 0.0 if is_core else a.core_share
        o = 1.0 - c
        eligible = not sc.subsidy_ownership or e.ownership in sc.subsidy_ownership
        capex_rate = getattr(sc, "subsidy_" + e.size) if eligible else 0.0
        opex_rate = sc.opex_subsidy if eligible and not is_core else 0.0

        borrows = in_horizon(s) and not is_core and sc.loan_share > 0
        loan = sc.loan_share * o * capex_a if borrows else 0.0
        if in_horizon(s):
            capex[col(s)] += capex_a
            pay(core, "core", s, c * capex_a)
            pay(i, party(i), s, o * capex_a - loan)
            claims.append(Claim(i, k, p.id, "capex", s, capex_rate * capex_a))
            tax = sc.tax_relief_rate * o * capex_a
            tax_relief[col(s)] += tax
            pay(None, "government", s, tax)
            pay(i, party(i), s, -tax)
        for y in years:
            if y < live:
                continue
            opex[col(y)] += opex_a
            pay(core, "core", y, c * opex_a)
            pay(i, party(i), y, o * opex_a)
            gain(i, y, benefit_a)
            if y < live + sc.opex_subsidy_years:
                claims.append(Claim(i, k, p.id, "opex", y, opex_rate * opex_a))
            tax = sc.tax_relief_rate * o * opex_a
            tax_relief[col(y)] += tax
            pay(None, "government", y, tax)
            pay(i, party(i), y, -tax)

        if borrows:
            loan_drawn[col(s)] += loan
            r, n = sc.loan_rate, sc.loan_years
            instalment = loan / n if r == 0 else loan * r / (1 - (1 + r) ** -n)
            balance = loan
            for step in range(1, n + 1):
                interest = r * balance
                balance -= instalment - interest
                due = min(s + step, last)
                helped = sc.interest_subsidy * interest if eligible else 0.0
                loan_repaid[col(due)] += instalment
                interest_subsidy[col(due)] += helped
                pay(None, "government", due, helped)
                pay(i, party(i), due, instalment - helped)

    # --- when each claim is paid, then the cap, enterprise by enterprise ---
    for claim in claims:
        for y in years:
            if y >= claim.arises and (sc.subsidy_min_level is None
                                      or maturity[claim.firm][col(y)] >= sc.subsidy_min_level):
                claim.paid_year = y
                break
    for i in range(nf):
        mine = [cl for cl in claims if cl.firm == i and cl.paid_year is not None]
        mine.sort(key=lambda cl: (cl.paid_year, cl.arises, cl.project, cl.kind != "capex"))
        granted = 0.0
        full = False
        for cl in mine:
            if full:
                cl.paid = 0.0
            elif sc.subsidy_cap is not None and granted + cl.amount > sc.subsidy_cap:
                cl.paid = sc.subsidy_cap - granted
                full = True
            else:
                cl.paid = cl.amount
            granted += cl.paid
    for cl in claims:
        if cl.paid_year is None:
            continue
        a = model.assignments[cl.assignment]
        c = 0.0 if cl.firm == core else a.core_share
        o = 1.0 - c
        t = cl.paid_year
        (capex_subsidy if cl.kind == "capex" else opex_subsidy)[col(t)] += cl.paid
        pay(None, "government", t, cl.paid)
        pay(core, "core", t, -c * cl.paid)
        pay(cl.firm, party(cl.firm), t, -o * cl.paid)

    # --- park assignments ---
    for _, b in park_assignments:
        p = projects[b.project]
        s = b.start_year
        live = s + p.duration
        operator = 1.0 - b.government_share - b.core_share
        spend: list[tuple[int, float]] = []
        if in_horizon(s):
            capex[col(s)] += p.capex
            spend.append((s, p.capex))
        for y in years:
            if y >= live:
                opex[col(y)] += p.opex
                spend.append((y, p.opex))
                for i in members.get(b.park, []):
                    gain(i, y, p.benefit_rate * firms[i].revenue
                         + p.benefit_fixed * factor_of(i))
        for y, amount in spend:
            park_government[col(y)] += b.government_share * amount
            pay(None, "government", y, b.government_share * amount)
            pay(core, "core", y, b.core_share * amount)
            pay(None, "park", y, operator * amount)

    # --- links ---
    link_connected = [[False] * ny for _ in model.links]
    for n, lk in enumerate(model.links):
        u, v = position[lk.supplier], position[lk.buyer]
        fresh = not lk.data_connected and not (firms[u].platform_connected
                                               and firms[v].platform_connected)
        for y in years:
            on = lk.data_connected or (connected[u][col(y)] and connected[v][col(y)])
            link_connected[n][col(y)] = on
            if on and fresh:
                half = sc.link_benefit_rate * lk.annual_value / 2
                gain(u, y, half)
                gain(v, y, half)

    # --- totals and finance ---
    subsidy = [capex_subsidy[t] + opex_subsidy[t] for t in range(ny)]
    cost = [capex[t] + opex[t] - loan_drawn[t] + loan_repaid[t] for t in range(ny)]
    net = [benefit[t] - cost[t] for t in range(ny)]
    cumulative = []
    running = 0.0
    for x in net:
        running += x
        cumulative.append(running)
    factor = [(1 + sc.discount_rate) ** -(y - first) for y in years]
    npv = sum(x * d for x, d in zip(net, factor, strict=True))
    pv_cost = sum(x * d for x, d in zip(cost, factor, strict=True))
    pv_benefit = sum(x * d for x, d in zip(benefit, factor, strict=True))
    party_npv = {p: sum((party_benefit[p][t] - party_cost[p][t]) * factor[t] for t in range(ny))
                 for p in PARTIES}

    # --- coverage ---
    others = [i for i in range(nf) if i != core]
    total_value = sum(lk.annual_value for lk in model.links)
    connected_share, digitalised_share, link_coverage, spend_coverage, islands = [], [], [], [], []
    for t in range(ny):
        connected_share.append(_share(sum(connected[i][t] for i in others), len(others)))
        digitalised_share.append(_share(
            sum(maturity[i][t] >= sc.target_level for i in others), len(others)))
        on = [n for n in range(len(model.links)) if link_connected[n][t]]
        link_coverage.append(_share(len(on), len(model.links)))
        spend_coverage.append(None if total_value == 0 else
                              sum(model.links[n].annual_value for n in on) / total_value)
        islands.append(_islands(nf, [(position[model.links[n].supplier],
                                      position[model.links[n].buyer]) for n in on]))

    return Reference(
        years=years, capex=capex, opex=opex, capex_subsidy=capex_subsidy,
        opex_subsidy=opex_subsidy, subsidy=subsidy, interest_subsidy=interest_subsidy,
        tax_relief=tax_relief, loan_drawn=loan_drawn, loan_repaid=loan_repaid,
        park_government=park_government, cost=cost, benefit=benefit, net=net,
        cumulative=cumulative, factor=factor, npv=npv, pv_cost=pv_cost, pv_benefit=pv_benefit,
        bcr=None if pv_cost == 0 else pv_benefit / pv_cost,
        payback_year=_payback(years, cumulative, cost, benefit),
        party_cost=party_cost, party_benefit=party_benefit, party_npv=party_npv,
        firm_cost=firm_cost, firm_benefit=firm_benefit, maturity=maturity, connected=connected,
        link_connected=link_connected, connected_share=connected_share,
        digitalised_share=digitalised_share, link_coverage=link_coverage,
        spend_coverage=spend_coverage, islands=islands, claims=claims)
