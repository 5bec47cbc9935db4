"""The inspector: shows and edits the selected enterprise or link, checking as you type."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from models.chain import TABLE_BY_ATTR, TableSpec
from models.schema import BLANK, CoerceError, FieldSpec, Kind, coerce, display, value_check
from planner.kpis import KPIS, format_value
from ui.document import Document
from ui.i18n import header, language, tr, value_text
from ui.tables import set_field

_INVALID = "QLineEdit { background: #fde7e9; }"


class Inspector(QScrollArea):
    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.setWidgetResizable(True)
        self._rejections: list[str] = []
        self._row: Any = None
        self._table: TableSpec | None = None
        self.rebuild()
        document.selection_changed.connect(self.rebuild)
        document.changed.connect(self._refresh_values)
        document.analysed.connect(self._refresh_values)
        document.year_changed.connect(self._refresh_values)

    def _selected(self) -> tuple[TableSpec | None, Any]:
        model = self.document.model
        if len(self.document.selected_enterprises) == 1:
            (e_id,) = self.document.selected_enterprises
            row = model.enterprise_index().get(e_id)
            return TABLE_BY_ATTR["enterprises"], row
        if len(self.document.selected_links) == 1 and not self.document.selected_enterprises:
            (key,) = self.document.selected_links
            row = next((lk for lk in model.links if (lk.supplier, lk.buyer) == key), None)
            return TABLE_BY_ATTR["links"], row
        return None, None

    def rebuild(self) -> None:
        self._table, self._row = self._selected()
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.editors: dict[str, QWidget] = {}
        self.summary = QLabel(body)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        if self._row is None:
            count = len(self.document.selected_enterprises)
            self.summary.setText(tr("{0} enterprises selected", count) if count > 1
                                 else self._overview())
        else:
            form = QFormLayout()
            for spec in self._table.fields:  # type: ignore[union-attr]
                editor = self._editor(spec)
                self.editors[spec.name] = editor
                form.addRow(header(spec), editor)
            layout.addLayout(form)
        self.error = QLabel(body)
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.setWidget(body)
        self._refresh_values()

    def _editor(self, spec: FieldSpec) -> QWidget:
        if spec.kind is Kind.ENUM:
            combo = QComboBox(self)
            for value in spec.choices or {}:
                combo.addItem(display(spec, value, language()), value)
            combo.activated.connect(lambda _=0, s=spec, c=combo: self._commit(s, c.currentData()))
            return combo
        if spec.kind is Kind.BOOL:
            box = QCheckBox(self)
            box.clicked.connect(lambda checked, s=spec: self._commit(s, checked))
            return box
        edit = QLineEdit(self)
        edit.setToolTip(spec.doc[language() == "zh_CN"] + "\n" + spec.expected(language()))
        edit.textEdited.connect(lambda text, s=spec, e=edit: self._check(s, e, text))
        edit.editingFinished.connect(lambda s=spec, e=edit: self._commit(s, e.text()))
        return edit

    def _check(self, spec: FieldSpec, edit: QLineEdit, text: str) -> bool:
        try:
            value = coerce(spec, text)
            ok = value is BLANK or value_check(spec)(value)
        except CoerceError:
            ok = False
        edit.setStyleSheet("" if ok else _INVALID)
        self.error.setText("" if ok else header(spec) + ": " +
                           tr("expected {0}", spec.expected(language())))
        return ok

    def _commit(self, spec: FieldSpec, value: Any) -> None:
        if self._row is None or self._table is None:
            return
        edit = self.editors.get(spec.name)
        if isinstance(edit, QLineEdit) and not self._check(spec, edit, str(value)):
            return
        current = getattr(self._row, spec.name)
        if isinstance(edit, QLineEdit) and str(value) == value_text(spec, current):
            return  # unchanged text (e.g. focus left without an edit)
        set_field(self.document, self._table, self._row, spec, value, self.error.setText)

    def _refresh_values(self) -> None:
        if self._row is None or self._table is None:
            if not self.document.selected_enterprises:
                self.summary.setText(self._overview())
            return
        if self._row not in self.document.model.rows(self._table):
            self.rebuild()
            return
        for spec in self._table.fields:
            editor = self.editors[spec.name]
            value = getattr(self._row, spec.name)
            if isinstance(editor, QComboBox):
                editor.setCurrentIndex(max(0, editor.findData(value)))
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QLineEdit) and not editor.hasFocus():
                editor.setText(value_text(spec, value))
                editor.setStyleSheet("")
        self.summary.setText(self._describe())

    def _overview(self) -> str:
        """With nothing selected: the chain at a glance and the scenario's key figures."""
        document = self.document
        model = document.model
        lines = [f"<h3>{model.settings.model_name or document.title}</h3>",
                 tr("{0} enterprises · {1} links · {2} assignments", len(model.enterprises),
                    len(model.links), len(model.assignments))]
        counts: dict[str, int] = {}
        for place in document.analysis.places.values():
            counts[place.position] = counts.get(place.position, 0) + 1
        lines.append(" · ".join(f"{tr(k)} {v}" for k, v in counts.items()))
        result = document.analysis.result
        if result is not None:
            lines.append(f"<h4>{tr('Scenario')}: {result.scenario.name}</h4><table>")
            for kpi in KPIS:
                value = format_value(kpi.kind, kpi.value(result))
                lines.append(f"<tr><td>{kpi.label(language())}</td>"
                             f"<td align='right'>&nbsp;&nbsp;{value}</td></tr>")
            lines.append("</table>")
        lines.append(f"<p><i>{tr('Click an enterprise or a link to inspect and edit it.')}</i></p>")
        return "<br>".join(lines[:3]) + "".join(lines[3:])

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
        if result is not None and document.year is not None and row in document.model.enterprises:
            index = document.model.enterprises.index(row)
            column = int(document.year - result.years[0])
            if 0 <= column < len(result.years):
                level = int(result.maturity[index, column])
                connected = bool(result.connected[index, column])
                parts.append(f"{tr('Year')} {document.year}: {tr('level')} {level}"
                             + (" · " + tr("On the data platform") if connected else ""))
        projects = [a.project for a in document.model.assignments
                    if a.enterprise == row.id and a.scenario == document.scenario]
        if projects:
            parts.append(tr("Projects") + ": " + ", ".join(projects))
        return "<br>".join(parts)
