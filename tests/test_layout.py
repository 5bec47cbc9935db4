"""The layered canvas layout (planner/layout.py): columns by tier, park groups, real chains."""

from __future__ import annotations

from itertools import groupby, pairwise

import numpy as np
import pytest

from models.chain import ChainModel, Enterprise, Link
from models.validation import places
from planner.generate import generate
from planner.layout import COLUMN, LANE, ROW, layered, layout
from tests.conftest import small_chain
from tests.willems import load_willems, willems_files


def _assert_apart(positions: dict[str, tuple[float, float]]) -> None:
    """No two nodes share a slot: they are a lane apart across or a row apart down."""
    xy = np.array(list(positions.values()))
    dx = np.abs(xy[:, None, 0] - xy[None, :, 0])
    dy = np.abs(xy[:, None, 1] - xy[None, :, 1])
    clash = (dx < LANE * 0.99) & (dy < ROW * 0.99)
    np.fill_diagonal(clash, False)
    ids = list(positions)
    pairs = [(ids[i], ids[j]) for i, j in zip(*np.nonzero(clash), strict=True) if i < j]
    assert pairs == []


def _column_of(place) -> int | None:
    if place.position == "detached":
        return None
    return -place.tier if place.position == "upstream" else place.tier


def test_small_chain_reads_left_to_right_from_upstream_to_downstream():
    model = small_chain()
    pos = layout(model, places(model))
    assert pos["S2"][0] < pos["S1"][0] < pos["C"][0] < pos["D1"][0]
    assert pos["C"][0] == 0
    assert pos["S1"][0] == -COLUMN and pos["S2"][0] == -2 * COLUMN and pos["D1"][0] == COLUMN
    _assert_apart(pos)


def test_every_tier_column_lies_wholly_left_of_the_next_one():
    model = generate(1500)
    where = places(model)
    pos = layout(model, where)
    _assert_apart(pos)
    xs: dict[int, list[float]] = {}
    for e_id, place in where.items():
        column = _column_of(place)
        if column is not None:
            xs.setdefault(column, []).append(pos[e_id][0])
    keys = sorted(xs)
    assert keys[0] < 0 < keys[-1]
    for left, right in pairwise(keys):
        assert max(xs[left]) < min(xs[right]), (left, right)


def test_parks_form_one_contiguous_run_in_each_column():
    model = generate(800)
    where = places(model)
    result = layered(model, where)
    by_id = model.enterprise_index()
    members: dict[int | None, list[str]] = {}
    for e_id, place in where.items():
        members.setdefault(_column_of(place), []).append(e_id)
    for column, ids in members.items():
        # reading order: lane by lane (left to right), top to bottom
        ordered = sorted(ids, key=lambda i: (result.positions[i][0], result.positions[i][1]))
        runs = [park for park, _ in groupby(by_id[i].park for i in ordered)]
        assert len(runs) == len(set(runs)), (column, runs)
        assert runs == sorted(runs, key=lambda p: (p == "", p))


def test_park_bands_label_their_group_above_its_first_member():
    model = small_chain()
    result = layered(model, places(model))
    band = next(b for b in result.bands if b.column == -1)
    assert (band.park, band.ids) == ("Lingang", ["S1"])
    label_x, label_y = band.label
    first_x, first_y = result.positions["S1"]
    assert label_x == first_x and label_y == pytest.approx(first_y - ROW)
    left, top, right, bottom = band.rects[0]
    assert left < first_x < right and top < label_y < first_y < bottom


def test_columns_report_position_tier_and_count():
    model = small_chain()
    columns = layered(model, places(model)).columns
    assert [(c.position, c.tier, c.count) for c in columns] == [
        ("upstream", 2, 1), ("upstream", 1, 1), ("core", 0, 1), ("downstream", 1, 1)]
    assert [c.x for c in columns] == sorted(c.x for c in columns)


def test_saved_positions_are_kept_and_never_shift_the_others():
    model = small_chain()
    before = layout(model, places(model))
    s1 = model.enterprise_index()["S1"]
    s1.x, s1.y = 1234.5, -77.0
    after = layout(model, places(model))
    assert after["S1"] == (1234.5, -77.0)
    assert {k: v for k, v in after.items() if k != "S1"} == {
        k: v for k, v in before.items() if k != "S1"}
    s1.y = None  # half a position is no position
    assert layout(model, places(model))["S1"] == before["S1"]


def test_detached_enterprises_get_their_own_column_set_apart_on_the_left():
    model = small_chain()
    model.enterprises += [Enterprise(id=f"X{i}", name=f"Loner {i}", role="supplier", size="small")
                          for i in range(3)]
    model.links.append(Link(supplier="X0", buyer="X1"))
    where = places(model)
    result = layered(model, where)
    pos = result.positions
    _assert_apart(pos)
    chain_left = min(x for e_id, (x, _) in pos.items() if not e_id.startswith("X"))
    assert all(pos[f"X{i}"][0] < chain_left - 1.5 * COLUMN for i in range(3))
    assert result.columns[0].position == "detached" and result.columns[0].count == 3


def test_a_model_without_core_or_links_or_enterprises_still_lays_out():
    assert layout(ChainModel(), {}) == {}
    model = small_chain()
    model.enterprises[0].role = "supplier"  # no core: every firm is detached
    model.links = []
    pos = layout(model, places(model))
    _assert_apart(pos)
    assert len({x for x, _ in pos.values()}) == 1


def test_barycentre_ordering_untangles_a_crossed_pair():
    # A1 and A2 are tier 1; B1 feeds A2, B2 feeds A1: tier 2 should follow tier 1's order
    model = ChainModel()
    model.enterprises = [Enterprise(id="C", name="C", role="core", size="large")] + [
        Enterprise(id=i, name=i, role="supplier", size="small") for i in ("A1", "A2", "B1", "B2")]
    model.links = [Link(supplier="A1", buyer="C"), Link(supplier="A2", buyer="C"),
                   Link(supplier="B1", buyer="A2"), Link(supplier="B2", buyer="A1")]
    pos = layout(model, places(model))
    assert (pos["B2"][1] < pos["B1"][1]) == (pos["A1"][1] < pos["A2"][1])


@pytest.mark.parametrize("path", willems_files(), ids=lambda p: p.stem)
def test_every_willems_chain_lays_out_without_overlap(path):
    model = load_willems(path)
    where = places(model)
    pos = layout(model, where)
    assert set(pos) == {e.id for e in model.enterprises}
    _assert_apart(pos)
    core_x = pos[model.core().id][0]
    for e_id, place in where.items():
        if place.position == "upstream":
            assert pos[e_id][0] < core_x
        elif place.position == "downstream":
            assert pos[e_id][0] > core_x


def test_the_vendored_willems_chains_span_small_to_largest():
    sizes = [len(load_willems(path).enterprises) for path in willems_files()]
    assert sizes[0] == 8 and sizes[-1] == 2025  # 01 and 38; bench_canvas.py times the latter
    assert any(100 <= size <= 1000 for size in sizes)  # and one of a few hundred between


def test_a_generated_chain_of_ten_thousand_gets_a_place_for_every_enterprise():
    # its speed is measured by benchmarks/bench_canvas.py
    model = generate(10_000)
    pos = layout(model, places(model))
    assert set(pos) == {e.id for e in model.enterprises}
    assert len(set(pos.values())) == len(pos)


def test_skipped_enterprises_take_no_slot_and_no_count():
    model = small_chain()
    model.enterprises.append(Enterprise(id="X", name="Loner", role="supplier", size="small"))
    where = places(model)
    full = layered(model, where)
    assert [c.count for c in full.columns if c.position == "detached"] == [1]
    skipped = layered(model, where, skip={"X"})
    assert "X" not in skipped.positions
    assert all(c.position != "detached" for c in skipped.columns)
    assert {k: v for k, v in full.positions.items() if k != "X"} == skipped.positions
