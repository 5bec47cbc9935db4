"""The inspector: shows and edits the selected enterprise, link or park, checking as you type.

A park shows its fields (an implicit park — named by enterprises while the Parks table is
empty — becomes a row, with the others, at its first edit), its members and its park
projects in the current scenario: who pays what, from when, and when each goes live.
"""

from __future__ import annotations

from collections import Counter
from operator import attrgetter
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from models.chain import TABLE_BY_ATTR, Park, TableSpec
from models.edits import InsertRows, set_field_edits
from planner.kpis import KPIS, format_value
from ui.analysis import unavailable
from ui.canvas_items import shown_name
from ui.document import Document
from ui.fields import ChoiceEditor, FieldError, FieldKind, LineEditor, kinds_of
from ui.i18n import header, language, tr
from ui.parks import (
    delete_park_edits,
    materialise_edits,
    members,
    park_name,
    park_projects,
    park_row,
    park_selection,
)

MEMBERS_SHOWN = 10  # a park's members named in the inspector; the rest are counted


class Inspector(QScrollArea):
    """Every field of the one selected enterprise or link, each edited by its field kind.

    A text is read back when Enter is pressed or focus leaves; a text that does not read
    stays red with what is expected underneath, and nothing is stored.
    """

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.setWidgetResizable(True)
        self._row: Any = None
        self._table: TableSpec | None = None
        self._lang = ""  # the language the form was made in
        self._kinds: dict[str, FieldKind] = {}
        self._counted: tuple[dict, dict[str, int]] | None = None  # places, count by position
        self.parks = park_selection(document)  # first: it follows an edit before we do
        self.rebuild()
        self.parks.changed.connect(self.rebuild)
        document.changed.connect(self._on_changed)
        document.scenario_changed.connect(self._refresh_summary)
        document.selection_changed.connect(self.rebuild)
        document.rows_changed.connect(self.on_rows_changed)
        document.rows_removed.connect(self.on_rows_removed)
        document.model_reset.connect(self.rebuild)
        document.analysed.connect(self._refresh_summary)
        document.year_changed.connect(self._refresh_summary)

    @property
    def implicit(self) -> bool:
        """The park shown is named by enterprises but has no row of the Parks table."""
        return self._table is not None and self._table.attr == "parks" \
            and park_row(self.document.model, self._row.id) is not self._row

    def _selected(self) -> tuple[TableSpec | None, Any]:
        model = self.document.model
        if self.parks.park:
            park = self.parks.park
            return TABLE_BY_ATTR["parks"], park_row(model, park) or Park(id=park)
        if len(self.document.selected_enterprises) == 1:
            (e_id,) = self.document.selected_enterprises
            return TABLE_BY_ATTR["enterprises"], self.document.enterprise(e_id)
        if len(self.document.selected_links) == 1 and not self.document.selected_enterprises:
            (key,) = self.document.selected_links
            return TABLE_BY_ATTR["links"], self.document.link_rows().get(key)
        return None, None

    def rebuild(self) -> None:
        table, row = self._selected()
        if row is not None and table is self._table and self._row is not None \
                and table.attr != "parks" and self._lang == language():
            # another row of the same table: the form stays, its values change (a new form
            # per click cost 40 ms of a search's 100 at 100,000 firms)
            self._row = row
            self.error.clear()
            for name, editor in self.editors.items():
                editor.set_value(getattr(row, name))  # what was typed for the last row goes
                if isinstance(editor, LineEditor):
                    editor.setToolTip(editor.kind.hint(editor.lang))
            self._refresh_summary()
            return
        self._table, self._row, self._lang = table, row, language()
        if self._row is None:
            self._table = None
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.editors: dict[str, LineEditor | ChoiceEditor] = {}
        self.summary = QLabel(body)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        if self._table is not None:
            self._kinds = kinds_of(self._table.cls)
            form = QFormLayout()
            # in a narrow dock a label goes above its editor rather than push it out of sight
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            for spec in self._table.fields:
                editor = self._kinds[spec.name].editor(body, language())
                editor.setMinimumWidth(140)  # below this, the row wraps: label above editor
                editor.edited.connect(lambda name=spec.name: self._commit(name))
                if isinstance(editor, LineEditor):
                    editor.textEdited.connect(lambda _text, name=spec.name: self._check(name))
                self.editors[spec.name] = editor
                form.addRow(header(spec), editor)
            layout.addLayout(form)
        self.error = QLabel(body)
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self.details = QLabel(body)  # a park's members and park projects
        self.details.setWordWrap(True)
        self.details.setVisible(False)
        layout.addWidget(self.details)
        if self._table is not None and self._table.attr == "parks":
            self.details.setVisible(True)
            self.delete_park = QPushButton(tr("Delete park"), body)
            self.delete_park.setToolTip(tr("Delete the park: its park projects go, its members "
                                           "keep no park"))
            self.delete_park.clicked.connect(self._delete_park)
            layout.addWidget(self.delete_park, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.setWidget(body)
        self._refresh_values()

    def _check(self, name: str) -> str:
        editor = self.editors[name]
        problem = editor.problem()
        self.error.setText(f"{header(editor.kind.spec)}: {problem}" if problem else "")
        return problem

    def _commit(self, name: str) -> None:
        if self._row is None or self._table is None:
            return
        editor = self.editors[name]
        try:
            value = editor.value()
        except FieldError:
            self._check(name)
            return
        self.error.clear()
        editor.set_value(value)  # typed "30" shows as it is stored: "30%"
        if value == getattr(self._row, name) and type(value) is type(getattr(self._row, name)):
            return
        if self.implicit:  # the parks become rows, then this one is edited: one step
            model = self.document.model
            edits = materialise_edits(model)
            row = next(k for e in edits if isinstance(e, InsertRows) for k in e.rows
                       if k.id == self._row.id)
            self._row = row
            self.document.apply(edits + set_field_edits(model, "parks", [(row, name, value)]),
                                tr("Edit {0}", self._table.key_of(row)))
            return
        self.document.set_values([(self._row, name, value)],
                                 tr("Edit {0}", self._table.key_of(self._row)))

    def on_rows_changed(self, table: str, positions: list[int], fields: list[str]) -> None:
        if self._table is None or table != self._table.attr:
            return
        self._refresh_values(set(fields))

    def _on_changed(self) -> None:
        """A park's members and park projects change with other tables."""
        if self._table is not None and self._table.attr == "parks":
            row = park_row(self.document.model, self.parks.park)
            if row is not None and row is not self._row:
                self.rebuild()  # the implicit park became a row
                return
            self._refresh_summary()

    def _delete_park(self) -> None:
        if self._row is not None:
            self.document.apply(delete_park_edits(self.document.model, [self._row.id]),
                                tr("Delete park {0}", self._row.id))

    def on_rows_removed(self, table: str, positions: list[int]) -> None:
        if self._table is not None and table == self._table.attr \
                and not self._still_there():
            self.rebuild()

    def _still_there(self) -> bool:
        """The row shown is still in the model (by identity; comparing 100,000 rows field
        by field took a second)."""
        row = self._row
        if self._table is not None and self._table.attr == "enterprises":
            return self.document.enterprise(row.id) is row
        if self._table is not None and self._table.attr == "links":
            return self.document.link_rows().get((row.supplier, row.buyer)) is row
        return row in self.document.model.rows(self._table)

    def _refresh_values(self, fields: set[str] | None = None) -> None:
        if self._row is None or self._table is None:
            self._refresh_summary()
            return
        for name, editor in self.editors.items():
            if fields is not None and name not in fields:
                continue
            if isinstance(editor, LineEditor) and editor.hasFocus() and editor.changed():
                continue  # never overwrite what the planner is typing
            editor.set_value(getattr(self._row, name))
        self._refresh_summary()

    def _refresh_summary(self) -> None:
        if self._row is None or self._table is None:
            count = len(self.document.selected_enterprises)
            self.summary.setText(tr("{0} enterprises selected", count) if count > 1
                                 else self._overview())
            return
        if self._table.attr == "parks":
            name = shown_name(park_name(self.document.model, self._row.id))
            self.summary.setText(f"<b>{_html(name)}</b> · {tr('Park')}")
            self.details.setText(self._park_details())
            return
        self.summary.setText(self._describe())

    def _park_details(self) -> str:
        """Members, and the park projects of the current scenario with who pays what."""
        document = self.document
        model, park = document.model, self._row.id
        firms = members(model, park)
        names = {e.id: shown_name(e.name) for e in model.enterprises}
        shown = ", ".join(names.get(e, e) for e in firms[:MEMBERS_SHOWN])
        if len(firms) > MEMBERS_SHOWN:
            shown += " " + tr("and {0} more", len(firms) - MEMBERS_SHOWN)
        parts = [f"<p><b>{tr('Members')}</b> ({len(firms)}): {_html(shown) or tr('none')}</p>"]
        scenario = document.current_scenario()
        rows = park_projects(model, document.scenario, park)
        title = tr("Park projects in {0}", scenario.name) if scenario else tr("Park projects")
        if not rows:
            parts.append(f"<p><b>{_html(title)}</b>: {tr('none')}<br><i>"
                         + tr("Drag a park project from the Catalogue onto the park's box, or "
                              "use Assign project…") + "</i></p>")
            return "".join(parts)
        projects = model.project_index()
        parts.append(f"<p><b>{_html(title)}</b></p>")
        for b in rows:
            spec = projects.get(b.project)
            live = str(b.start_year + spec.duration) if spec is not None else "–"
            name = f" {_html(shown_name(spec.name))}" if spec is not None else ""
            operator = max(0.0, 1.0 - b.government_share - b.core_share)
            parts.append(f"<p><b>{_html(b.project)}</b>{name}<br>"
                         + tr("start {0}, live {1}", b.start_year, live) + "<br>"
                         + tr("government {0} · core {1} · operator {2}",
                              _percent(b.government_share), _percent(b.core_share),
                              _percent(operator)) + "</p>")
        return "".join(parts)

    def _overview(self) -> str:
        """With nothing selected: the chain at a glance and the scenario's key figures."""
        document = self.document
        model = document.model
        lines = [f"<h3>{model.settings.model_name or document.title}</h3>",
                 tr("{0} enterprises · {1} links · {2} assignments", len(model.enterprises),
                    len(model.links), len(model.assignments))]
        lines.append(" · ".join(f"{tr(k)} {v}" for k, v in self._positions().items()))
        result = document.analysis.result
        why = unavailable(document.analysis)
        if why and document.analysis.partial:  # not wrong, only not there yet
            lines.append(f"<p style='color:#555555'><i>{why}</i></p>")
        elif why:  # no key figures of an older model
            lines.append(f"<p style='color:#b00020'><b>{why}</b></p>")
        elif result is not None:
            lines.append(f"<h4>{tr('Scenario')}: {result.scenario.name}</h4><table>")
            for kpi in KPIS:
                value = format_value(kpi.kind, kpi.value(result))
                lines.append(f"<tr><td>{kpi.label(language())}</td>"
                             f"<td align='right'>&nbsp;&nbsp;{value}</td></tr>")
            lines.append("</table>")
        lines.append(f"<p><i>{tr('Click an enterprise or a link to inspect and edit it.')}</i></p>")
        return "<br>".join(lines[:3]) + "".join(lines[3:])

    def _positions(self) -> dict[str, int]:
        """How many enterprises are in each position, counted once per analysis (the
        overview is refreshed at every step of the year slider)."""
        places = self.document.analysis.places
        if self._counted is None or self._counted[0] is not places:
            self._counted = (places, dict(Counter(map(attrgetter("position"),
                                                           places.values()))))
        return self._counted[1]

    def _describe(self) -> str:
        """Derived facts: position, tier, level and connection in the shown year, projects."""
        row, document = self._row, self.document
        if self._table is None or self._table.attr != "enterprises":
            return f"<b>{row.supplier} → {row.buyer}</b>"
        place = document.analysis.places.get(row.id)
        parts = [f"<b>{row.name}</b>"]
        if place is not None:
            where = tr(place.position)
            if place.tier is not None and place.position != "core":
                where += " · " + tr("Tier {0}", place.tier)
            parts.append(where)
        result = document.analysis.result
        if document.analysis.revision != document.revision:
            result = None  # its rows are those of an older model
        index = document.enterprise_position(row.id)
        if index is not None and document.model.enterprises[index] is not row:
            index = None  # not in the model (any more)
        if result is not None and document.year is not None and index is not None:
            column = int(document.year - result.years[0])
            if 0 <= column < len(result.years):
                level = int(result.maturity[index, column])
                connected = bool(result.connected[index, column])
                parts.append(f"{tr('Year')} {document.year}: {tr('level')} {level}"
                             + (" · " + tr("On the data platform") if connected else ""))
        projects = document.projects_of(row.id)
        if projects:
            parts.append(tr("Projects") + ": " + ", ".join(projects))
        return "<br>".join(parts)


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%" if abs(share * 100 - round(share * 100)) < 1e-9 \
        else f"{share * 100:.1f}%"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
