"""Test helper: the real supply-chain topologies of Willems (2008) as chain models.

Each CSV of data/willems-2008/ next to this file (a few of the published chains; see
its README.md for source, licence and format) becomes one
``ChainModel``: every stage an enterprise, every arc a link (from = supplier,
to = buyer). Stages are stocking points of one company rather than firms, so the
conversion is a stand-in for a real chain's *shape*:

- the core is the ``Manuf`` stage that reaches the most other stages along the arcs
  (its transitive upstream plus downstream stages; ties: more in-links, then name),
  so the chain is seen from its main assembly stage;
- roles: Part and Manuf → supplier (the core excepted), Trans → service,
  Dist → distributor, Retail → customer;
- size from the stage cost's quartiles (top quarter large … bottom quarter micro);
- a link's annual value is its supplier stage's cost.
"""

from __future__ import annotations

import csv
from pathlib import Path

from models.chain import ChainModel, Enterprise, Link, Scenario

FOLDER = Path(__file__).parent / "data" / "willems-2008"
ROLES = {"Part": "supplier", "Manuf": "supplier", "Trans": "service", "Dist": "distributor",
         "Retail": "customer"}
SIZES = ("micro", "small", "medium", "large")


def willems_files() -> list[Path]:
    """The vendored chains, smallest number first; an error (not an empty list) if none."""
    files = sorted(FOLDER.glob("[0-9][0-9].csv"))
    if not files:
        raise FileNotFoundError(f"no Willems chains in {FOLDER}: the test data is missing")
    return files


def load_willems(path: str | Path) -> ChainModel:
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    header = rows[1]  # rows[0] is "/chain"; rows[1] names the columns

    def column(name: str) -> int:
        return header.index(name)

    c_from, c_to = column("/arcs/arc/@from"), column("/arcs/arc/@to")
    c_name, c_class = column("/stages/stage/@stageName"), column("/stages/stage/@stageClassification")
    c_cost = column("/stages/stage/@stageCost")
    stages: dict[str, tuple[str, float]] = {}
    arcs: list[tuple[str, str]] = []
    for row in rows[2:]:
        if row[c_from] and row[c_to]:
            arcs.append((row[c_from], row[c_to]))
        if row[c_name]:
            cost = float(row[c_cost]) if row[c_cost] else 0.0
            stages[row[c_name]] = (row[c_class], cost)
    arcs = list(dict.fromkeys((a, b) for a, b in arcs if a in stages and b in stages and a != b))
    core = _core(stages, arcs)
    costs = sorted(cost for _, cost in stages.values())
    quartiles = [costs[len(costs) * k // 4] for k in (1, 2, 3)]
    model = ChainModel()
    model.settings.model_name = f"Willems 2008 chain {path.stem}"
    for name, (kind, cost) in stages.items():
        size = SIZES[sum(cost >= q for q in quartiles)]
        model.enterprises.append(Enterprise(
            id=name, name=name, role="core" if name == core else ROLES.get(kind, "supplier"),
            size="large" if name == core else size, revenue=cost * 100, industry=kind))
    model.links = [Link(supplier=a, buyer=b, annual_value=stages[a][1]) for a, b in arcs]
    model.scenarios = [Scenario(name="Base", start_year=2026)]
    return model


def _core(stages: dict[str, tuple[str, float]], arcs: list[tuple[str, str]]) -> str:
    """The Manuf stage reaching the most stages (up and down the arcs); see the module doc."""
    names = list(stages)
    index = {name: i for i, name in enumerate(names)}
    preds: list[list[int]] = [[] for _ in names]
    succs: list[list[int]] = [[] for _ in names]
    for a, b in arcs:
        preds[index[b]].append(index[a])
        succs[index[a]].append(index[b])
    up, down = _reach(preds), _reach(succs)
    candidates = [i for i, n in enumerate(names) if stages[n][0] == "Manuf"] or list(range(len(names)))
    best = max(candidates, key=lambda i: ((up[i] | down[i]).bit_count(), len(preds[i]),
                                          names[i]))
    return names[best]


def _reach(edges: list[list[int]]) -> list[int]:
    """For each node, the bit set of nodes reachable along ``edges`` (a depth-first search
    with memo; the arcs of these chains form no cycle, and a cycle would only undercount)."""
    reach: list[int | None] = [None] * len(edges)
    for start in range(len(edges)):
        if reach[start] is not None:
            continue
        stack = [(start, iter(edges[start]))]
        reach[start] = 0
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                bits = 0
                for c in edges[node]:
                    bits |= (1 << c) | (reach[c] or 0)
                reach[node] = bits
            elif reach[child] is None:
                reach[child] = 0
                stack.append((child, iter(edges[child])))
    return [r or 0 for r in reach]
