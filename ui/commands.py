"""Undo commands: each changes the model only, then tells the document it changed.

Three shapes cover every edit: set fields of rows, insert rows, remove rows.
Compound edits (delete an enterprise with its links and assignments, rename a
scenario with its assignments) are macros of these, so one undo undoes all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from ui.document import Document


class SetValues(QUndoCommand):
    """Set ``field`` of ``row`` to ``value`` for each (row, field, value)."""

    def __init__(self, document: Document, changes: list[tuple[Any, str, Any]], text: str):
        super().__init__(text)
        self.document = document
        self.changes = [(row, name, getattr(row, name), value) for row, name, value in changes]

    def redo(self) -> None:
        for row, name, _, new in self.changes:
            setattr(row, name, new)
        self.document.notify_changed()

    def undo(self) -> None:
        for row, name, old, _ in reversed(self.changes):
            setattr(row, name, old)
        self.document.notify_changed()


class InsertRows(QUndoCommand):
    """Insert rows into a model table (``attr``) at given positions (appended if None)."""

    def __init__(self, document: Document, attr: str, rows: list[Any], text: str,
                 positions: list[int] | None = None):
        super().__init__(text)
        self.document, self.attr, self.rows = document, attr, rows
        self.positions = positions

    def redo(self) -> None:
        table = getattr(self.document.model, self.attr)
        if self.positions is None:
            self.positions = list(range(len(table), len(table) + len(self.rows)))
        for position, row in sorted(zip(self.positions, self.rows, strict=True),
                                    key=lambda pair: pair[0]):
            table.insert(position, row)
        self.document.notify_changed()

    def undo(self) -> None:
        table = getattr(self.document.model, self.attr)
        for position in sorted(self.positions or [], reverse=True):
            del table[position]
        self.document.notify_changed()


class RemoveRows(QUndoCommand):
    """Remove rows (by identity) from a model table; undo puts them back where they were."""

    def __init__(self, document: Document, attr: str, rows: list[Any], text: str):
        super().__init__(text)
        self.document, self.attr = document, attr
        table = getattr(document.model, attr)
        wanted = {id(row) for row in rows}
        self.removed = [(i, row) for i, row in enumerate(table) if id(row) in wanted]

    def redo(self) -> None:
        table = getattr(self.document.model, self.attr)
        for position, _ in reversed(self.removed):
            del table[position]
        self.document.notify_changed()

    def undo(self) -> None:
        table = getattr(self.document.model, self.attr)
        for position, row in self.removed:
            table.insert(position, row)
        self.document.notify_changed()
