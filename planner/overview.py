"""The overview of a big chain: its firms aggregated by tier column and industrial park,
and the trade between those groups as flows.

A chain of 100,000 firms drawn firm by firm is a hairball when zoomed out: every firm is
a pixel and 300,000 links are a grey wash. The canvas draws this overview instead: one
box per group (a tier column's park group, as laid out by ``planner.layout``; a column
without named parks is one group) and one band per pair of groups that trade, its width
the annual trade value of the links between them and its colour the share of that value
that runs over data-connected links (in the year shown, from the engine's result).

Plain NumPy on arrays the caller already holds (link ends as enterprise rows, values,
flags): aggregating 300,000 links takes a few milliseconds, so the canvas does it again
after every edit or analysis instead of patching it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from models.background import give_way
from models.chain import ChainModel
from models.validation import DETACHED, Place
from planner.layout import DETACHED_KEY, Layout, layered, link_ends

Rect = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass
class Group:
    """Firms of one tier column and park: where the overview draws them and how many."""

    column: int | None  # signed tier: -k upstream, 0 core, +k downstream; None detached
    position: str  # core / upstream / downstream / detached
    park: str | None  # the park's id, "" for firms without a park, None: the whole column
    rect: Rect  # the union of the group's laid-out lanes
    count: int
    connected: int = 0  # members on the data platform (in the year shown)


@dataclass
class Flows:
    """Trade between groups: one entry per ordered pair (supplier's group, buyer's group)."""

    source: NDArray[np.int64]
    target: NDArray[np.int64]
    value: NDArray[np.float64]  # annual trade value of the links between them
    connected_value: NDArray[np.float64]  # of which over data-connected links
    links: NDArray[np.int64]  # how many links

    def connected_share(self) -> NDArray[np.float64]:
        """Share of each flow's value over data-connected links (by count when no value)."""
        return np.where(self.value > 0, self.connected_value / np.maximum(self.value, 1e-300),
                        0.0)


@dataclass
class Arrangement:
    """A chain laid out, with where each firm stands and its overview groups: at 100,000
    firms 0.6-1.2 s of work, done with the analysis off the GUI thread; the canvas only
    takes it."""

    skip: frozenset[str]  # the firms left out of the layout (``layered``'s ``skip``)
    layout: Layout
    xy: NDArray[np.float64]  # (firms, 2): each firm's position, model order; NaN if skipped
    groups: list[Group]
    member: NDArray[np.int64]  # each firm's group (``groups``)
    ends: tuple[NDArray[np.int64], NDArray[np.int64]]  # the model's ``link_ends``


def still_detached(ids: Collection[str], places: dict[str, Place]) -> frozenset[str]:
    """Those of ``ids`` that are detached (or have no place) by ``places``."""
    return frozenset(e_id for e_id in ids
                     if (place := places.get(e_id)) is None or place.position == DETACHED)


def arrange(model: ChainModel, places: dict[str, Place],
            skip: frozenset[str] = frozenset()) -> Arrangement:
    """The layout of ``model`` by ``places``, without the firms in ``skip``."""
    ends = link_ends(model)
    give_way()
    layout = layered(model, places, skip, ends)
    give_way()
    xy = np.full((len(model.enterprises), 2), np.nan)
    xy[layout.rows] = layout.xy
    found, member = groups(layout, len(model.enterprises))
    return Arrangement(skip, layout, xy, found, member, ends)


def groups(layout: Layout, firms: int) -> tuple[list[Group], NDArray[np.int64]]:
    """The groups of a layout of a chain of ``firms`` and the group of each (by its model
    row; -1 for a firm the layout left out).

    A group's box is not where its firms are (a park's firms run through several lanes of
    a wrapped column, between other parks'): the groups of a column are stacked in it, top
    to bottom in the layout's order, each as tall as its share of the column's firms (at
    least ``MIN_SHARE`` of the column, so that its label shows), with a gap between.
    """
    member = np.full(firms, -1, np.int64)
    result: list[Group] = []
    banded = {band.column for band in layout.bands}
    for band in layout.bands:
        column = next(c for c in layout.columns if c.key == band.column)
        member[band.members] = len(result)
        result.append(Group(band.column, column.position, band.park,
                            (column.left, column.top, column.right, column.bottom),
                            len(band.members)))
    for column in layout.columns:
        if column.key in banded:
            continue
        result.append(Group(column.key, column.position, None,
                            (column.left, column.top, column.right, column.bottom), 0))
    # members of whole-column groups: every laid-out firm not in a band, by its column
    whole = {g.column: k for k, g in enumerate(result) if g.park is None}
    unbanded = member[layout.rows] < 0
    rows, keys = layout.rows[unbanded], layout.column[unbanded]
    for key, k in whole.items():
        mine = rows[keys == (DETACHED_KEY if key is None else key)]
        member[mine] = k
        result[k].count = len(mine)
    for column in layout.columns:
        _stack([g for g in result if g.column == column.key], column.left, column.top,
               column.right, column.bottom)
    return result, member


MIN_SHARE = 0.03  # the smallest box's share of its column's height
GAP_SHARE = 0.01  # the gap between two boxes, as a share of the column's height
INSET = 0.2  # share of a column's width left free on each side of its boxes, for the bands


def _stack(column_groups: list[Group], left: float, top: float, right: float,
           bottom: float) -> None:
    if not column_groups:
        return
    height = max(bottom - top, 120.0)
    gap = height * GAP_SHARE
    room = height - gap * (len(column_groups) - 1)
    counts = np.array([max(g.count, 0) for g in column_groups], float)
    share = counts / counts.sum() if counts.sum() > 0 else np.full(len(counts), 1 / len(counts))
    share = np.maximum(share, min(MIN_SHARE, 1 / len(counts)))
    share /= share.sum()
    y = top
    inset = (right - left) * INSET
    for g, part in zip(column_groups, share.tolist(), strict=True):
        h = room * part
        g.rect = (left + inset, y, right - inset, y + h)
        y += h + gap


def flows(member: NDArray[np.int64], supplier: NDArray[np.int64], buyer: NDArray[np.int64],
          value: NDArray[np.float64], connected: NDArray[np.bool_]) -> Flows:
    """Trade between groups from the links' ends (enterprise rows), annual values and
    data-connected flags; links inside one group and links of left-out firms are not flows."""
    if len(supplier) == 0:
        empty_i, empty_f = np.zeros(0, np.int64), np.zeros(0)
        return Flows(empty_i, empty_i, empty_f, empty_f, empty_i)
    a, b = member[supplier], member[buyer]
    keep = (a >= 0) & (b >= 0) & (a != b)
    a, b = a[keep], b[keep]
    v = np.maximum(value[keep], 0.0)
    c = connected[keep]
    size = int(member.max()) + 1 if len(member) else 1
    pair = a * size + b
    if size * size <= max(4 * len(pair), 1 << 16):  # a bin per pair of groups: no sort
        every = np.bincount(pair, minlength=size * size)
        keys = np.flatnonzero(every)
        total = np.bincount(pair, weights=v, minlength=size * size)[keys].astype(np.float64)
        on = np.bincount(pair, weights=v * c, minlength=size * size)[keys].astype(np.float64)
        count = every[keys].astype(np.int64)
    else:
        keys, inverse = np.unique(pair, return_inverse=True)
        total = np.bincount(inverse, weights=v, minlength=len(keys)).astype(np.float64)
        on = np.bincount(inverse, weights=v * c, minlength=len(keys)).astype(np.float64)
        count = np.bincount(inverse, minlength=len(keys)).astype(np.int64)
    return Flows(keys // size, keys % size, total, on, count)


def connected_members(member: NDArray[np.int64], connected: NDArray[np.bool_],
                      count: int) -> NDArray[np.int64]:
    """Members of each of ``count`` groups that are on the data platform."""
    inside = member >= 0
    return np.bincount(member[inside], weights=connected[inside].astype(np.float64),
                       minlength=count).astype(np.int64)
