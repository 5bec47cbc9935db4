"""Where each enterprise sits on the chain canvas: a layered drawing, left to right.

Columns follow the derived position and tier (models/validation.py): upstream tier k is k
columns left of the core, downstream tier k is k columns right of it, and
detached enterprises get their own column far left, set apart by a wider gap.
Inside a column, enterprises are grouped by industrial park (sorted names, the
enterprises without a park last, each group under a label slot), and ordered
inside their group by the barycentre of their neighbours in the next column
toward the core, then away from it, then toward it again (three cheap sweeps
that untangle most crossings of a chain).

A column taller than ``lane_rows(n)`` slots wraps into several lanes side by
side, so that a chain of 10,000 firms keeps a screen-like shape instead of a
column hundreds of thousands of pixels tall. A column that fits in one lane sits
exactly at ``signed tier x COLUMN``.

Enterprises with a saved position (``x`` and ``y`` both set) keep it; they still
hold their slot in the automatic layout, so moving one firm never shifts the others.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from models.chain import ChainModel
from models.validation import DETACHED, Place

COLUMN = 320.0  # distance between neighbouring tier columns
LANE = 180.0  # distance between the lanes of a wrapped column
ROW = 64.0  # vertical distance between two slots of a column
DETACHED_GAP = 240.0  # extra room between the detached column and the chain
MIN_LANE_ROWS = 40  # a column up to this many slots never wraps
ASPECT = 1.6  # width / height the wrapping aims at for large chains

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]
Position = tuple[float, float]
DETACHED_KEY = -(10**6)  # the detached column's key in ``Layout.column``


@dataclass
class Band:
    """One park group of one column: its label slot and the rectangles it covers."""

    column: int | None  # signed tier of the column; None for the detached column
    park: str  # "" for enterprises without a park
    label: Position  # centre of the label slot (left edge of the lane, see ``left``)
    rects: list[tuple[float, float, float, float]]  # (left, top, right, bottom), one per lane
    count: int
    ids: list[str] = field(default_factory=list)
    members: Ints = field(default_factory=lambda: np.zeros(0, np.int64))  # their model rows


@dataclass
class Column:
    """One column (a tier, the core, or the detached firms) of the layout."""

    key: int | None  # signed tier: -k upstream, 0 core, +k downstream; None detached
    position: str  # core / upstream / downstream / detached
    tier: int | None
    x: float  # centre of the column
    left: float
    right: float
    top: float
    bottom: float
    lanes: int
    count: int


@dataclass
class Layout:
    positions: dict[str, Position]
    columns: list[Column]  # left to right
    bands: list[Band]  # park groups (only where a column has at least one named park)
    # the same as arrays, for whole-chain work in NumPy: the model rows laid out, their
    # positions and their columns (signed tier; ``DETACHED_KEY`` for the detached column)
    rows: Ints = field(default_factory=lambda: np.zeros(0, np.int64))
    xy: Floats = field(default_factory=lambda: np.zeros((0, 2)))
    column: Ints = field(default_factory=lambda: np.zeros(0, np.int64))


def lane_rows(enterprises: int) -> int:
    """Slots per lane: a column taller than this wraps into lanes."""
    return max(MIN_LANE_ROWS, math.ceil(math.sqrt(enterprises * LANE / (ASPECT * ROW))))


def layout(model: ChainModel, places: dict[str, Place]) -> dict[str, Position]:
    """Canvas position of every enterprise (scene coordinates, y down)."""
    return layered(model, places).positions


@dataclass
class _ColumnPlan:
    key: int
    members: Ints  # enterprise indices in slot order
    slot: Ints  # slot number of the k-th member
    groups: list[tuple[int, int, int]]  # (park code, first member position, label slot or -1)
    lanes: int
    rows: int
    lane_x: NDArray[np.floating[Any]] = field(default_factory=lambda: np.zeros(0))
    top: float = 0.0


def _plan(key: int, members: Ints, parks: Ints, labelled: bool, per_lane: int) -> _ColumnPlan:
    """Slots of a column whose members are sorted by park: a label slot opens each group."""
    codes, starts, counts = np.unique(parks[members], return_index=True, return_counts=True)
    slot = np.empty(len(members), np.int64)
    groups = []
    next_slot = 0
    for code, start, count in zip(codes.tolist(), starts.tolist(), counts.tolist(), strict=True):
        label = -1
        if labelled:
            if next_slot % per_lane == per_lane - 1:  # never a label alone at a lane's foot
                next_slot += 1
            label = next_slot
            next_slot += 1
        slot[start:start + count] = np.arange(next_slot, next_slot + count)
        groups.append((code, start, label))
        next_slot += count
    lanes = max(1, -(-next_slot // per_lane))
    return _ColumnPlan(key, members, slot, groups, lanes, min(next_slot, per_lane))


def link_ends(model: ChainModel, index: dict[str, int] | None = None) -> tuple[Ints, Ints]:
    """Each link's supplier and buyer as model rows (-1: no such enterprise), by maps in C
    (at 280,000 links a quarter of a second; a loop in Python took seconds). ``index``: the
    model row of each id, when known."""
    if index is None:
        ids = map(operator.attrgetter("id"), model.enterprises)
        index = dict(zip(ids, range(len(model.enterprises)), strict=False))
    supplier, buyer = (np.fromiter(map(index.get, map(operator.attrgetter(end), model.links),
                                       itertools.repeat(-1)), np.int64, len(model.links))
                       for end in ("supplier", "buyer"))
    return supplier, buyer


def layered(model: ChainModel, places: dict[str, Place],
            skip: Collection[str] = frozenset(),
            ends: tuple[Ints, Ints] | None = None) -> Layout:
    """The layout with its columns and park bands (for headings and park labels).

    Enterprises in ``skip`` are left out (no slot, no count): the canvas shows a new,
    still detached enterprise where the planner is looking instead of in the detached
    column far off. ``ends``: the model's ``link_ends``, when known.
    """
    if skip:
        kept = [e.id not in skip for e in model.enterprises]
        enterprises = list(itertools.compress(model.enterprises, kept))
        rows = np.flatnonzero(kept)
    else:
        enterprises, rows = model.enterprises, np.arange(len(model.enterprises))
    n = len(enterprises)
    if n == 0:
        return Layout({}, [], [])
    # a column at a time, by maps in C (a loop over the firms took 1.8 s at 100,000)
    ids = list(map(operator.attrgetter("id"), enterprises))
    where = list(map(places.get, ids))
    # validation makes each kind of place once: a handful of objects, each coded once (by
    # identity: hashing a frozen dataclass runs Python code)
    distinct = dict(zip(map(id, where), where, strict=True))
    code = {key: _column_code(place) for key, place in distinct.items()}
    column = np.fromiter(map(code.__getitem__, map(id, where)), np.int64, n)
    park_of = list(map(operator.attrgetter("park"), enterprises))
    park_names = sorted(set(park_of), key=lambda p: (p == "", p))
    park_code = {p: k for k, p in enumerate(park_names)}
    parks = np.fromiter(map(park_code.__getitem__, park_of), np.int64, n)

    # slots of every column: members sorted by park, then model order (first guess)
    per_lane = lane_rows(n)
    order = np.lexsort((np.arange(n), parks, column))
    keys, starts = np.unique(column[order], return_index=True)
    bounds = [*starts.tolist(), n]
    plans = {}
    for k, key in enumerate(keys.tolist()):
        members = order[bounds[k]:bounds[k + 1]]
        labelled = bool(np.any(parks[members] != park_code.get("", -1)))
        plans[key] = _plan(key, members, parks, labelled, per_lane)
    _place_columns(plans)

    x = np.zeros(n)
    y = np.zeros(n)
    for plan in plans.values():
        _apply(plan, x, y, per_lane)

    # neighbour pairs (both directions) one column toward / away from the core, as positions
    # among the firms laid out (-1: not laid out)
    supplier, buyer = ends if ends is not None else link_ends(model)
    laid = np.full(len(model.enterprises) + 1, -1, np.int64)  # [-1]: no such firm
    laid[rows] = np.arange(n)
    supplier, buyer = laid[supplier], laid[buyer]
    kept = (supplier >= 0) & (buyer >= 0) & (supplier != buyer)
    u, v = supplier[kept], buyer[kept]
    if len(u):
        a, b = np.concatenate([u, v]), np.concatenate([v, u])
        ca, cb = column[a], column[b]
        chained = (ca != DETACHED_KEY) & (ca != 0)
        side = np.sign(ca)
        inner = chained & (cb == ca - side)
        outer = chained & (cb == ca + side)
        levels = sorted({abs(k) for k in plans if k not in (0, DETACHED_KEY)})
        for direction, sweep in (("in", levels), ("out", levels[-2::-1]), ("in", levels)):
            mask = inner if direction == "in" else outer
            for level in sweep:
                sel = mask & (np.abs(ca) == level)
                sums = np.bincount(a[sel], weights=y[b[sel]], minlength=n)
                counts = np.bincount(a[sel], minlength=n)
                for key in (-level, level):
                    found = plans.get(key)
                    if found is None:
                        continue
                    m = found.members
                    centre = np.where(counts[m] > 0, sums[m] / np.maximum(counts[m], 1), y[m])
                    found.members = m[np.lexsort((y[m], centre, parks[m]))]
                    _apply(found, x, y, per_lane)

    # a saved position wins (None is NaN here)
    saved_x = np.array(list(map(operator.attrgetter("x"), enterprises)), float)
    saved_y = np.array(list(map(operator.attrgetter("y"), enterprises)), float)
    saved = ~np.isnan(saved_x) & ~np.isnan(saved_y)
    x[saved], y[saved] = saved_x[saved], saved_y[saved]
    positions: dict[str, Position] = dict(zip(ids, zip(x.tolist(), y.tolist(), strict=True),
                                              strict=True))
    return Layout(positions, _columns(plans), _bands(plans, park_names, ids, rows, per_lane),
                  rows, np.column_stack([x, y]), column)


def _column_code(place: Place | None) -> int:
    """The column of a place: upstream tiers negative, the core 0, downstream positive."""
    if place is None or place.position == DETACHED or place.tier is None:
        return DETACHED_KEY
    return -place.tier if place.position == "upstream" else place.tier


def _place_columns(plans: dict[int, _ColumnPlan]) -> None:
    """x of every lane: the core at 0, tiers outward by COLUMN, detached far left."""
    ups = sorted((k for k in plans if DETACHED_KEY < k < 0), reverse=True)
    downs = sorted(k for k in plans if k > 0)
    edge_left = edge_right = 0.0
    if 0 in plans:
        plans[0].lane_x = np.arange(plans[0].lanes) * LANE - (plans[0].lanes - 1) * LANE / 2
        edge_left, edge_right = float(plans[0].lane_x[0]), float(plans[0].lane_x[-1])
    elif ups or downs:  # no core column (no core): start at 0 anyway
        edge_left, edge_right = COLUMN, -COLUMN
    for key in ups:
        plan = plans[key]
        right = edge_left - COLUMN
        plan.lane_x = right - (plan.lanes - 1 - np.arange(plan.lanes)) * LANE
        edge_left = float(plan.lane_x[0])
    for key in downs:
        plan = plans[key]
        plan.lane_x = edge_right + COLUMN + np.arange(plan.lanes) * LANE
        edge_right = float(plan.lane_x[-1])
    if DETACHED_KEY in plans:
        plan = plans[DETACHED_KEY]
        right = 0.0 if len(plans) == 1 else edge_left - COLUMN - DETACHED_GAP
        plan.lane_x = right - (plan.lanes - 1 - np.arange(plan.lanes)) * LANE
    for plan in plans.values():
        plan.top = -plan.rows * ROW / 2


def _apply(plan: _ColumnPlan, x: Floats, y: Floats, per_lane: int) -> None:
    lane, row = np.divmod(plan.slot, per_lane)
    x[plan.members] = plan.lane_x[lane]
    y[plan.members] = plan.top + (row + 0.5) * ROW


def _columns(plans: dict[int, _ColumnPlan]) -> list[Column]:
    result = []
    for key, plan in plans.items():
        if key == DETACHED_KEY:
            public, position, tier = None, DETACHED, None
        elif key == 0:
            public, position, tier = 0, "core", 0
        else:
            public, position, tier = key, "upstream" if key < 0 else "downstream", abs(key)
        left, right = float(plan.lane_x[0]) - LANE / 2, float(plan.lane_x[-1]) + LANE / 2
        result.append(Column(public, position, tier, (left + right) / 2, left, right, plan.top,
                             plan.top + plan.rows * ROW, plan.lanes, len(plan.members)))
    return sorted(result, key=lambda c: c.x)


def _bands(plans: dict[int, _ColumnPlan], park_names: list[str], ids: list[str], rows: Ints,
           per_lane: int) -> list[Band]:
    bands = []
    for key, plan in plans.items():
        public = None if key == DETACHED_KEY else key
        ends = [start for _, start, _ in plan.groups[1:]] + [len(plan.members)]
        for (code, start, label), end in zip(plan.groups, ends, strict=True):
            if label < 0:
                continue
            first, last = label, int(plan.slot[end - 1])
            rects = []
            for lane in range(first // per_lane, last // per_lane + 1):
                top_row = first % per_lane if lane == first // per_lane else 0
                bottom_row = last % per_lane if lane == last // per_lane else per_lane - 1
                lx = float(plan.lane_x[lane])
                rects.append((lx - LANE / 2, plan.top + top_row * ROW, lx + LANE / 2,
                              plan.top + (bottom_row + 1) * ROW))
            label_lane, label_row = divmod(label, per_lane)
            members = plan.members[start:end]
            bands.append(Band(public, park_names[code], (float(plan.lane_x[label_lane]),
                                                         plan.top + (label_row + 0.5) * ROW),
                              rects, end - start, list(map(ids.__getitem__, members.tolist())),
                              rows[members]))
    return bands
