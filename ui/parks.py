"""Parks in the app: which park is selected, and the model edits the views make of parks.

A park is selected on the canvas (its box or label) or in the Parks table; the inspector
shows it. The selection lives beside the document (one ``ParkSelection`` per document),
so every view finds the same one without the window wiring them together; selecting
enterprises or links clears it.

The edits: the implicit parks (every park an enterprise names while the Parks table is
empty) become rows before the first park row is added, in the same undo step, so no
enterprise suddenly names a park that does not exist; deleting a park removes its park
assignments and clears its members' park; a park project is assigned to parks in the
current scenario. Each is one ``Document.apply`` (one undo step).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from models.chain import ChainModel, Park, ParkAssignment, ProjectType
from models.edits import Edit, InsertRows, append_rows, delete_edits, remove_rows, set_fields
from ui.i18n import tr

_NAME = "park_selection"


class ParkSelection(QObject):
    """The one selected park of a document (or none)."""

    changed = Signal()  # another park (or none) is selected

    def __init__(self, document: Any):
        super().__init__(document)
        self.setObjectName(_NAME)
        self.document = document
        self._row: Park | None = None  # a row of the Parks table: follows a rename
        self._id = ""  # an implicit park (no row)
        document.selection_changed.connect(self._on_document_selection)
        document.model_reset.connect(lambda: self.set(""))
        document.changed.connect(self._on_changed)

    @property
    def park(self) -> str:
        """The selected park's id ("" when none is)."""
        return self._row.id if self._row is not None else self._id

    def set(self, park: str) -> None:
        """Select a park by id ("" selects none); enterprises and links are deselected."""
        document = self.document
        if park and (document.selected_enterprises or document.selected_links):
            document.set_selection(set(), set())
        row = park_row(document.model, park) if park else None
        before = (self._row, self._id)
        self._row, self._id = row, ("" if row is not None else park)
        if (self._row, self._id) != before:
            self.changed.emit()

    def _on_document_selection(self) -> None:
        if (self.document.selected_enterprises or self.document.selected_links) and self.park:
            self._row, self._id = None, ""
            self.changed.emit()

    def _on_changed(self) -> None:
        """A park deleted (or an implicit park that became a row, or vanished) is followed."""
        model = self.document.model
        if self._row is not None and not any(k is self._row for k in model.parks):
            self._id, self._row = self._row.id, None
        if self._row is None and self._id:
            row = park_row(model, self._id)
            if row is not None:
                self._row, self._id = row, ""
            elif self._id not in model.park_ids():
                self._id = ""
                self.changed.emit()


def park_selection(document: Any) -> ParkSelection:
    """The document's park selection (made at the first call)."""
    found = document.findChild(QObject, _NAME)
    if isinstance(found, ParkSelection):
        return found
    return ParkSelection(document)


# --- reading ----------------------------------------------------------------------------------

def park_row(model: ChainModel, park: str) -> Park | None:
    return next((k for k in model.parks if k.id == park), None)


def park_name(model: ChainModel, park: str) -> str:
    """What a park is called: its name, else its id."""
    row = park_row(model, park)
    return row.name.strip() if row is not None and row.name.strip() else park


def members(model: ChainModel, park: str) -> list[str]:
    return [e.id for e in model.enterprises if e.park == park]


def park_projects(model: ChainModel, scenario: str | None, park: str | None = None
                  ) -> list[ParkAssignment]:
    """The park assignments of a scenario (of one park, when named), in table order."""
    return [b for b in model.park_assignments
            if b.scenario == scenario and (park is None or b.park == park)]


def is_park_project(project: ProjectType | None) -> bool:
    return project is not None and project.scope == "park"


def refusal(model: ChainModel, project: str, on_park: bool) -> str:
    """Why a project dropped on a park (``on_park``) or on a firm does not go there ("" if
    it does)."""
    spec = model.project_index().get(project)
    if spec is None:
        return tr("No project {0} in the catalogue.", project)
    if on_park and not is_park_project(spec):
        return tr("{0} is an enterprise project: drop it on a firm, not on a park. Nothing "
                  "was changed.", project)
    if not on_park and is_park_project(spec):
        return tr("{0} is a park project: drop it on a park's box, not on a firm. Nothing "
                  "was changed.", project)
    return ""


# --- edits ------------------------------------------------------------------------------------

def materialise_edits(model: ChainModel) -> list[Edit]:
    """While the Parks table is empty: a row for every park an enterprise names (the parks
    the model has implicitly), so that adding another park leaves them parks."""
    if model.parks:
        return []
    return append_rows(model, "parks", [Park(id=k) for k in model.park_ids()])


def add_park_edits(model: ChainModel, park: Park) -> list[Edit]:
    """Add a park row; the implicit parks become rows first, in the same step."""
    edits = materialise_edits(model)
    start = len(model.parks) + sum(len(e.rows) for e in edits if isinstance(e, InsertRows))
    return [*edits, InsertRows("parks", (start,), (park,))]


def delete_park_edits(model: ChainModel, parks: list[str]) -> list[Edit]:
    """Delete parks: their park assignments go, their members' park is cleared, their rows
    go (an implicit park has none)."""
    wanted = set(parks)
    if model.parks:
        return delete_edits(model, {"parks": [k for k in model.parks if k.id in wanted]})
    # implicit parks (no Parks table): only the enterprises name them
    edits = set_fields("enterprises", [(e, "park", "") for e in model.enterprises
                                       if e.park in wanted])
    return edits + remove_rows(model, "park_assignments",
                               [b for b in model.park_assignments if b.park in wanted])


def assign_to_parks(document: Any, parks: list[str], project: str, start_year: int,
                    government_share: float, core_share: float) -> int:
    """Assign a park project to parks in the current scenario, one undo step; parks that
    have it in this scenario already are left out. Returns how many were assigned."""
    scenario = document.scenario
    if scenario is None:
        return 0
    model = document.model
    taken = {b.park for b in park_projects(model, scenario) if b.project == project}
    rows = [ParkAssignment(scenario=scenario, park=k, project=project, start_year=start_year,
                           government_share=government_share, core_share=core_share)
            for k in dict.fromkeys(parks) if k not in taken]
    if not rows:
        return 0
    document.apply(append_rows(model, "park_assignments", rows),
                   tr("Assign {0} to {1} parks", project, len(rows)))
    return len(rows)
