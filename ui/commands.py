"""The undo command: a list of model edits (``models.edits``) applied as one step.

The command changes the model only through the document's ``perform``, which applies the
edits and tells the views the typed events they cause. A compound edit (deleting an enterprise
with everything that hangs on it, renaming a scenario everywhere) is one list of edits,
so one undo undoes all of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from models.edits import Edit, SetFields

if TYPE_CHECKING:
    from ui.document import Document


class ApplyEdits(QUndoCommand):
    def __init__(self, document: Document, edits: list[Edit], text: str):
        super().__init__(text)
        self.document, self.edits = document, edits

    def redo(self) -> None:
        self.document.perform(self.edits, self._renamed())

    def undo(self) -> None:
        renamed = {new: old for old, new in self._renamed().items()}
        self.document.perform([edit.inverse() for edit in reversed(self.edits)], renamed)

    def _renamed(self) -> dict[str, str]:
        """Enterprise ids this step renames, old -> new (the selection follows them)."""
        return {old: new for edit in self.edits
                if isinstance(edit, SetFields) and edit.table == "enterprises"
                for _, name, old, new in edit.changes if name == "id"}
