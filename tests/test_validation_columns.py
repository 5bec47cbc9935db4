"""Validation's column-at-a-time shortcuts give what the plain rules give: distances to and
from the core as a shortest-path search finds them (on any graph, a deep one included)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_array
from scipy.sparse.csgraph import shortest_path

from models import validation
from models.chain import ChainModel, Enterprise, Link


def _chain(count: int, links: list[tuple[int, int]]) -> ChainModel:
    model = ChainModel()
    model.enterprises = [Enterprise(id=f"E{i}", name=f"Firm {i}", role="core" if i == 0
                                    else "supplier", size="small") for i in range(count)]
    # a link may name a firm that is not in the chain (E99): it joins nothing
    model.links = [Link(supplier=f"E{a}", buyer=f"E{b}") for a, b in links]
    return model


def _shortest(model: ChainModel) -> tuple[list[int], list[int]]:
    index = {e.id: i for i, e in enumerate(model.enterprises)}
    pairs = [(index[x.supplier], index[x.buyer]) for x in model.links
             if x.supplier in index and x.buyer in index]
    n = len(index)
    rows = np.array([a for a, _ in pairs], np.int64)
    cols = np.array([b for _, b in pairs], np.int64)
    graph = csr_array((np.ones(len(pairs)), (rows, cols)), shape=(n, n))
    found = []
    for g in (graph, graph.T):
        d = shortest_path(g, directed=True, unweighted=True, indices=0)
        found.append(np.where(np.isinf(d), -1, d).astype(np.int64).tolist())
    return found[0], found[1]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12).flatmap(lambda n: st.tuples(st.just(n), st.lists(st.tuples(
    st.sampled_from([*range(n), 99]), st.sampled_from([*range(n), 99])), max_size=30))))
def test_core_distances_are_the_shortest_paths(case):
    model = _chain(*case)
    down, up = validation.core_distances(model, "E0")
    assert (down.tolist(), up.tolist()) == _shortest(model)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12).flatmap(lambda n: st.tuples(st.just(n), st.lists(st.tuples(
    st.sampled_from([*range(n), 99]), st.sampled_from([*range(n), 99])), max_size=30))))
def test_each_firm_is_placed_by_its_shortest_ways_to_and_from_the_core(case):
    """Upstream at the length of its way to the core when that way is no longer than the
    way from the core (or the only one), downstream otherwise, detached with neither."""
    model = _chain(*case)
    down, up = _shortest(model)
    expected = {}
    for e, d_down, d_up in zip(model.enterprises, down, up, strict=True):
        if e.role == "core":
            expected[e.id] = validation.Place("core", 0)
        elif d_up < 0 and d_down < 0:
            expected[e.id] = validation.Place("detached", None)
        elif d_down < 0 or 0 <= d_up <= d_down:
            expected[e.id] = validation.Place("upstream", d_up)
        else:
            expected[e.id] = validation.Place("downstream", d_down)
    assert validation.places(model) == expected


def test_a_chain_deeper_than_the_quick_search_goes_is_measured_all_the_same(monkeypatch):
    monkeypatch.setattr(validation, "_TIERS", 3)
    model = _chain(8, [(i + 1, i) for i in range(7)] + [(0, 7)])  # a line of suppliers
    down, up = validation.core_distances(model, "E0")
    assert up.tolist() == list(range(8))
    assert (down.tolist(), up.tolist()) == _shortest(model)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["E0", "E1", "E2", "", "X", "E1 "]),
                          st.sampled_from(["E0", "E1", "E2", "", "Y"])), max_size=8))
def test_a_link_to_no_enterprise_is_named_whatever_else_the_links_hold(pairs):
    model = _chain(3, [])
    model.links = [Link(supplier=a, buyer=b) for a, b in pairs]
    named = {(p.index, p.column) for p in validation.validate(model)
             if p.what[0].startswith("no such enterprise")}
    assert named == {(i, column) for i, link in enumerate(model.links)
                     for column in ("supplier", "buyer")
                     if getattr(link, column) and getattr(link, column) not in {"E0", "E1", "E2"}}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["E0", "E1", "E2", "X", ""]),
                          st.sampled_from(["E0", "E1", "E2", 3.0])), max_size=10))
def test_a_repeated_link_is_named_as_a_search_of_earlier_rows_names_it(pairs):
    model = _chain(3, [])
    model.links = [Link(supplier=a, buyer=b) for a, b in pairs]  # type: ignore[arg-type]
    named = [p.index for p in validation.validate(model) if p.what[0].startswith("duplicate")]
    assert named == [i for i, pair in enumerate(pairs) if pair in pairs[:i]]
