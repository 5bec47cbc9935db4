"""GraphML export of the chain (for Gephi or yEd), with position and tier as attributes."""

from __future__ import annotations

import os

import networkx as nx

from models.atomic import write_atomic
from models.chain import ChainModel
from models.validation import places


def chain_graph(model: ChainModel) -> nx.DiGraph[str]:
    where = places(model)
    graph: nx.DiGraph[str] = nx.DiGraph(name=model.settings.model_name)
    for e in model.enterprises:
        place = where[e.id]
        graph.add_node(e.id, name=e.name, role=e.role, size=e.size, ownership=e.ownership,
                       industry=e.industry, park=e.park, district=e.district,
                       revenue=e.revenue, employees=e.employees, maturity=e.maturity,
                       platform_connected=e.platform_connected, position=place.position,
                       tier=-1 if place.tier is None else place.tier)
    for link in model.links:
        graph.add_edge(link.supplier, link.buyer, annual_value=link.annual_value,
                       product=link.product, criticality=link.criticality,
                       data_connected=link.data_connected)
    return graph


def save_graphml(model: ChainModel, path: str | os.PathLike[str]) -> None:
    text = "\n".join(nx.generate_graphml(chain_graph(model)))
    write_atomic(path, text.encode("utf-8"))
