"""Edits of a chain model, the typed events they cause, and the rules that keep references whole.

Every change to a model is one of three edits: set fields of rows, insert rows, remove
rows. Applying an edit changes the model and returns the event it caused — which rows of
which table, and which fields — so a view updates what changed instead of everything.
Each edit has an inverse, which is how undo works (``ui/commands.py`` wraps a list of
edits in one undo step).

Referential integrity lives here, in one place, for every caller (tables, inspector,
canvas, dialogs, survey merges): ``delete_edits`` expands a delete into the removal of
every row that hangs on what is deleted, and ``set_field_edits`` turns a changed id or
name into the same change in every row that refers to it. Both scan the referring tables,
or look the rows up in ``References``, an index that follows the edits applied.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter, indexOf, not_
from typing import Any

from models.chain import TABLE_BY_ATTR, ChainModel

# Tables, in the order their rows are removed by a cascading delete: rows that refer to
# others go before the rows they refer to, so no model state in between breaks a reference.
TABLE_ORDER = ("assessments", "assignments", "park_assignments", "links", "scenarios", "projects",
               "enterprises", "parks")


@dataclass(frozen=True)
class RowsInserted:
    """Rows were inserted into ``table``; ``positions`` are where they now are, ascending."""

    table: str
    positions: tuple[int, ...]


@dataclass(frozen=True)
class RowsRemoved:
    """Rows were removed from ``table``; ``positions`` are where they were, ascending."""

    table: str
    positions: tuple[int, ...]


@dataclass(frozen=True)
class RowsChanged:
    """``fields`` of the rows at ``positions`` (ascending) of ``table`` changed."""

    table: str
    positions: tuple[int, ...]
    fields: frozenset[str]


Event = RowsInserted | RowsRemoved | RowsChanged


def _table(model: ChainModel, table: str) -> list[Any]:
    rows: list[Any] = getattr(model, table)
    return rows


def _positions(rows: list[Any], wanted: Iterable[Any]) -> list[int]:
    """The positions (ascending) of ``wanted`` rows (by identity) in ``rows``: one pass in C
    (at 300,000 rows 20 ms; a table of positions took 30 ms more)."""
    keys = set(map(id, wanted))
    if len(keys) == 1:  # stops at the row: half the pass on average
        return [indexOf(map(id, rows), keys.pop())]
    return list(compress(range(len(rows)), map(keys.__contains__, map(id, rows)))) if keys else []


@dataclass(frozen=True)
class SetFields:
    """Set fields of rows of one table: each change is (row, field, old value, new value)."""

    table: str
    changes: tuple[tuple[Any, str, Any, Any], ...]

    def apply(self, model: ChainModel) -> RowsChanged:
        for row, name, _, new in self.changes:
            setattr(row, name, new)
        rows = {id(row): row for row, *_ in self.changes}
        return RowsChanged(self.table, tuple(_positions(_table(model, self.table),
                                                        rows.values())),
                           frozenset(name for _, name, _, _ in self.changes))

    def inverse(self) -> SetFields:
        return SetFields(self.table, tuple((row, name, new, old)
                                           for row, name, old, new in reversed(self.changes)))


@dataclass(frozen=True)
class InsertRows:
    """Insert ``rows`` so that they end up at ``positions`` (ascending) of ``table``."""

    table: str
    positions: tuple[int, ...]
    rows: tuple[Any, ...]

    def apply(self, model: ChainModel) -> RowsInserted:
        rows = _table(model, self.table)
        for position, row in zip(self.positions, self.rows, strict=True):
            rows.insert(position, row)
        return RowsInserted(self.table, self.positions)

    def inverse(self) -> RemoveRows:
        return RemoveRows(self.table, self.positions, self.rows)


@dataclass(frozen=True)
class RemoveRows:
    """Remove the ``rows`` at ``positions`` (ascending) of ``table``."""

    table: str
    positions: tuple[int, ...]
    rows: tuple[Any, ...]

    def apply(self, model: ChainModel) -> RowsRemoved:
        rows = _table(model, self.table)
        for position in reversed(self.positions):
            del rows[position]
        return RowsRemoved(self.table, self.positions)

    def inverse(self) -> InsertRows:
        return InsertRows(self.table, self.positions, self.rows)


Edit = SetFields | InsertRows | RemoveRows


def append_rows(model: ChainModel, table: str, rows: Sequence[Any]) -> list[Edit]:
    """Add ``rows`` at the end of ``table``."""
    start = len(_table(model, table))
    return [InsertRows(table, tuple(range(start, start + len(rows))), tuple(rows))] if rows else []


def remove_rows(model: ChainModel, table: str, rows: Iterable[Any]) -> list[Edit]:
    """Remove exactly ``rows`` (by identity) from ``table``, nothing that refers to them."""
    return _remove_at(model, table, _positions(_table(model, table), rows))


def _remove_at(model: ChainModel, table: str, positions: list[int]) -> list[Edit]:
    """Remove the rows at ``positions`` (ascending) of ``table``."""
    rows = _table(model, table)
    return [RemoveRows(table, tuple(positions), tuple(rows[p] for p in positions))
            ] if positions else []


def set_fields(table: str, changes: Iterable[tuple[Any, str, Any]]) -> list[Edit]:
    """Set (row, field, value) on rows of ``table``, leaving out values already set."""
    kept = tuple((row, name, getattr(row, name), value) for row, name, value in changes
                 if getattr(row, name) != value)
    return [SetFields(table, kept)] if kept else []


# --- referential integrity ----------------------------------------------------------------

# (table, key field) -> the (table, field) pairs whose values name it
REFERENCES: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("enterprises", "id"): (("links", "supplier"), ("links", "buyer"),
                            ("assignments", "enterprise"), ("assessments", "enterprise")),
    ("projects", "id"): (("assignments", "project"), ("projects", "requires"),
                         ("park_assignments", "project")),
    ("scenarios", "name"): (("assignments", "scenario"), ("park_assignments", "scenario")),
    ("parks", "id"): (("enterprises", "park"), ("park_assignments", "park")),
}
# what happens to a referring row when what it names is deleted: removed, or the field cleared
CLEARED_ON_DELETE = {("projects", "requires"), ("enterprises", "park")}


class References:
    """The rows naming each firm, for every (table, field) that names one: what a delete or
    a rename of firms looks up instead of scanning 300,000 links and assignments per field
    (at 100,000 firms the scans were a third of a delete). Fields naming a scenario,
    project or park are not indexed: each value has tens of thousands of rows, which every
    removed row would cost a pass over, for deletes and renames that are rare.

    Built from ``model``; right only while ``follow`` sees every edit applied to the model
    after that (``ui.document.Document`` owns one and does).
    """

    FIELDS = REFERENCES[("enterprises", "id")]

    def __init__(self, model: ChainModel):
        self._index: dict[tuple[str, str], dict[Any, list[Any]]] = {}
        for table, field in self.FIELDS:
            index: defaultdict[Any, list[Any]] = defaultdict(list)
            rows = _table(model, table)
            for row, value in zip(rows, map(attrgetter(field), rows), strict=True):
                index[value].append(row)
            self._index[(table, field)] = dict(index)

    def rows(self, ref: tuple[str, str], keys: Iterable[Any]) -> list[Any]:
        """The rows whose ``ref`` field holds one of ``keys``, in no particular order."""
        index, field = self._index[ref], ref[1]
        return [row for key in keys for row in index.get(key, ()) if getattr(row, field) == key]

    def follow(self, edits: Iterable[Edit]) -> None:
        """Take in ``edits``, just applied to the model in this order."""
        for edit in edits:
            for (table, field), index in self._index.items():
                if table != edit.table:
                    continue
                if isinstance(edit, InsertRows):
                    moves = [(row, None, getattr(row, field)) for row in edit.rows]
                elif isinstance(edit, RemoveRows):
                    moves = [(row, getattr(row, field), None) for row in edit.rows]
                else:
                    moves = [(row, old, new) for row, name, old, new in edit.changes
                             if name == field]
                _move(index, moves)


def _move(index: dict[Any, list[Any]], moves: list[tuple[Any, Any, Any]]) -> None:
    """Move rows between values of ``index``: (row, from value or None, to value or None)."""
    leaving: dict[Any, set[int]] = {}
    for row, old, _ in moves:
        if old is not None:
            leaving.setdefault(old, set()).add(id(row))  # by identity: rows may be equal
    for value, gone in leaving.items():
        # one pass in C over the value's rows, however many leave (the core's many links)
        rows = index.get(value, [])
        kept = list(compress(rows, map(not_, map(gone.__contains__, map(id, rows)))))
        if kept:
            index[value] = kept
        else:
            index.pop(value, None)
    for row, _, new in moves:
        if new is not None:
            index.setdefault(new, []).append(row)


def referring_rows(model: ChainModel, table: str, keys: set[Any],
                   references: References | None = None) -> dict[tuple[str, str], list[Any]]:
    """For every (table, field) that refers to ``table``'s key: its rows naming one of ``keys``."""
    return {ref: [_table(model, ref[0])[p] for p in positions]
            for ref, positions in _referring(model, table, keys, references).items()}


def _referring(model: ChainModel, table: str, keys: set[Any],
               references: References | None = None) -> dict[tuple[str, str], list[int]]:
    """``referring_rows``, as the positions of those rows (ascending) in their tables."""
    refs = REFERENCES.get((table, TABLE_BY_ATTR[table].key[0]), ())
    found: dict[tuple[str, str], list[int]] = {}
    if not keys:  # nothing renamed or deleted: no table to scan
        return found
    indexed: dict[tuple[str, str], list[Any]] = {}  # the rows the index names, by field
    for other, name in refs:
        table_rows = _table(model, other)
        if references is not None and (other, name) in references.FIELDS:
            indexed[(other, name)] = references.rows((other, name), keys)
        else:  # the test of each row in C (a list comprehension took twice as long)
            found[(other, name)] = list(compress(
                range(len(table_rows)), map(keys.__contains__, map(attrgetter(name), table_rows))))
    for other in {other for other, _ in indexed}:  # one pass per table: links for both ends
        table_rows = _table(model, other)
        fields = [(name, set(map(id, rows))) for (t, name), rows in indexed.items() if t == other]
        at = _positions(table_rows, [row for (t, _), rows in indexed.items() if t == other
                                     for row in rows])
        for name, ids in fields:
            found[(other, name)] = [p for p in at if id(table_rows[p]) in ids]
    return {ref: found[ref] for ref in refs if found[ref]}


def delete_edits(model: ChainModel, targets: dict[str, Iterable[Any]],
                 references: References | None = None) -> list[Edit]:
    """Delete the rows of each table in ``targets`` and every row that hangs on them,
    each row once, in a safe order (the referring rows looked up in ``references``, when
    given, instead of scanned).

    Deleting an enterprise removes its links, assignments and assessments; a project its
    assignments and park assignments (and clears ``requires`` where other projects name
    it); a scenario its assignments and park assignments; a park its park assignments (and
    clears the ``park`` of its members).
    """
    # table -> the positions of its doomed rows, known from the scan that found them (a
    # second scan of 300,000 links and assignments to find them again cost a third of a delete)
    doomed: dict[str, set[int]] = {}

    def doom(name: str, positions: Iterable[int]) -> list[Any]:
        bucket, rows = doomed.setdefault(name, set()), _table(model, name)
        new = [p for p in positions if p not in bucket]
        bucket.update(new)
        return [rows[p] for p in new]

    cleared: dict[str, list[tuple[Any, str, Any]]] = {}  # table -> (row, field, "")
    pending = [(table, doom(table, _positions(_table(model, table), rows)))
               for table, rows in targets.items()]
    while pending:
        name, victims = pending.pop()
        spec = TABLE_BY_ATTR[name]
        if len(spec.key) != 1 or not victims:
            continue
        keys = {getattr(row, spec.key[0]) for row in victims}
        for (other, field), positions in _referring(model, name, keys, references).items():
            if (other, field) in CLEARED_ON_DELETE:
                rows = _table(model, other)
                cleared.setdefault(other, []).extend((rows[p], field, "") for p in positions)
            else:
                pending.append((other, doom(other, positions)))
    gone = {id(_table(model, name)[p]) for name, bucket in doomed.items() for p in bucket}
    edits: list[Edit] = []
    for name, changes in cleared.items():
        edits += set_fields(name, [c for c in changes if id(c[0]) not in gone])
    for name in TABLE_ORDER:
        edits += _remove_at(model, name, sorted(doomed.get(name, ())))
    return edits


def set_field_edits(model: ChainModel, table: str, changes: Iterable[tuple[Any, str, Any]],
                    references: References | None = None) -> list[Edit]:
    """Set (row, field, value) on rows of ``table``; a changed id or name is changed in
    every row that refers to it too (a rename), all as one list of edits."""
    by_table: dict[str, list[tuple[Any, str, Any]]] = {table: list(changes)}
    spec = TABLE_BY_ATTR[table]
    if len(spec.key) == 1:
        key = spec.key[0]
        renames = {getattr(row, key): value for row, name, value in by_table[table]
                   if name == key and getattr(row, key) != value}
        for (other, field), rows in referring_rows(model, table, set(renames),
                                                        references).items():
            by_table.setdefault(other, []).extend(
                (row, field, renames[getattr(row, field)]) for row in rows)
    edits: list[Edit] = []
    for name, table_changes in by_table.items():  # e.g. requires joins the projects' own
        edits += set_fields(name, table_changes)
    return edits
