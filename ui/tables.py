"""Editable tables of the model: one Qt item model per table, thin over the domain rows.

Cells show values in the current language; editing uses a combo box for enums
and yes/no, spin boxes for numbers, and pushes one undo command per edit.
The row object is returned under ``Qt.UserRole``; no business rule lives here.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.chain import TABLES, TableSpec
from models.schema import BLANK, CoerceError, FieldSpec, Kind, coerce, display, value_check
from ui.document import Document
from ui.i18n import header, language, tr, value_text

_NUMERIC = (Kind.INT, Kind.NUM, Kind.OPT_NUM)
ADD_LABELS = {"enterprises": "Add enterprise…", "links": "Add link…", "projects": "Add project",
              "scenarios": "New scenario…", "assignments": "Assign project…"}
Index = QModelIndex | QPersistentModelIndex


class TableModel(QAbstractTableModel):
    rejected = Signal(str)  # an edit was refused; the text says why

    def __init__(self, document: Document, table: TableSpec, parent: Any = None):
        super().__init__(parent)
        self.document, self.table = document, table
        self.specs = table.fields
        document.changed.connect(self.refresh)

    def refresh(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def rows(self) -> list[Any]:
        return self.document.model.rows(self.table)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows())

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.specs)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.specs):
            spec = self.specs[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return header(spec)
            if role == Qt.ItemDataRole.ToolTipRole:
                return spec.doc[language() == "zh_CN"] + "\n" + spec.expected(language())
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows()[index.row()]
        spec = self.specs[index.column()]
        value = getattr(row, spec.name)
        if role == Qt.ItemDataRole.DisplayRole:
            if spec.percent and isinstance(value, (int, float)):
                return f"{value * 100:.4g}%"
            return value_text(spec, value)
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.UserRole:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and spec.kind in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        row = self.rows()[index.row()]
        spec = self.specs[index.column()]
        return set_field(self.document, self.table, row, spec, value, self.rejected.emit)


def set_field(document: Document, table: TableSpec, row: Any, spec: FieldSpec, value: Any,
              reject: Any) -> bool:
    """Read ``value`` as the field's kind, check its rule, and push the edit (one undo step).

    Renaming an id or a scenario also renames every reference to it, in the same step.
    """
    try:
        new = coerce(spec, value)
    except CoerceError:
        reject(tr("Value rejected: {0}", tr("expected {0}", spec.expected(language()))))
        return False
    if new is BLANK:  # an emptied optional cell takes the field's default
        declared = next(f for f in dataclasses.fields(row) if f.name == spec.name)
        new = declared.default if declared.default is not dataclasses.MISSING \
            else declared.default_factory()  # type: ignore[misc]
    if not value_check(spec)(new):
        reject(tr("Value rejected: {0}", tr("expected {0}", spec.expected(language()))))
        return False
    old = getattr(row, spec.name)
    if new == old:
        return True
    document.set_values([(row, spec.name, new)], tr("Edit {0}", table.key_of(row)))
    return True


class FieldDelegate(QStyledItemDelegate):
    """Combo boxes for enums and yes/no, spin boxes for numbers."""

    def __init__(self, specs: tuple[FieldSpec, ...], parent: Any = None):
        super().__init__(parent)
        self.specs = specs

    def createEditor(self, parent: QWidget, option: Any, index: Index) -> QWidget:
        spec = self.specs[index.column()]
        if spec.kind in (Kind.ENUM, Kind.BOOL):
            combo = QComboBox(parent)
            choices = list(spec.choices) if spec.choices else [True, False]
            for choice in choices:
                combo.addItem(display(spec, choice, language())
                              if spec.kind is Kind.ENUM else value_text(spec, choice), choice)
            return combo
        if spec.kind is Kind.INT:
            spin = QSpinBox(parent)
            spin.setRange(int(spec.lo) if spec.lo is not None else -10**9,
                          int(spec.hi) if spec.hi is not None else 10**9)
            return spin
        if spec.kind is Kind.NUM:
            spin = QDoubleSpinBox(parent)
            spin.setDecimals(6 if spec.percent else 2)
            spin.setRange(spec.lo if spec.lo is not None else -1e15,
                          spec.hi if spec.hi is not None else 1e15)
            spin.setSingleStep(0.01 if spec.percent else 1.0)
            return spin
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, (QSpinBox, QDoubleSpinBox)):
            editor.setValue(value or 0)
        elif isinstance(editor, QLineEdit):
            spec = self.specs[index.column()]
            editor.setText("" if value is None else str(display(spec, value, language())))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, (QSpinBox, QDoubleSpinBox)):
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class TablePage(QWidget):
    """A filter box, the table, and Add / Delete buttons."""

    add_requested = Signal(str)  # the user asked to add a row to this table (attr)

    def __init__(self, document: Document, table: TableSpec, parent: Any = None):
        super().__init__(parent)
        self.document, self.table = document, table
        self.model = TableModel(document, table, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(self, placeholderText=tr("Filter rows…"), clearButtonEnabled=True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(FieldDelegate(table.fields, self.view))
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setDefaultSectionSize(110)
        self.view.horizontalHeader().setStretchLastSection(True)
        add = QPushButton(tr(ADD_LABELS[table.attr]), self)
        add.clicked.connect(lambda: self.add_requested.emit(table.attr))
        delete = QPushButton(tr("Delete selected"), self)
        delete.clicked.connect(self.delete_selected)
        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        bar.addWidget(add)
        bar.addWidget(delete)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self._syncing = False
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        document.selection_changed.connect(self.show_document_selection)
        self.model.modelReset.connect(self.show_document_selection)

    def selected_rows(self) -> list[Any]:
        rows = {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()}
        data = self.model.rows()
        return [data[r] for r in sorted(rows) if r < len(data)]

    def delete_selected(self) -> None:
        rows = self.selected_rows()
        if rows:
            self.document.delete_rows(self.table.attr, rows)

    def _on_selection(self) -> None:
        if self._syncing or self.table.attr not in ("enterprises", "links"):
            return
        rows = self.selected_rows()
        if self.table.attr == "enterprises":
            self.document.set_selection({e.id for e in rows}, set())
        else:
            self.document.set_selection(set(), {(lk.supplier, lk.buyer) for lk in rows})

    def show_document_selection(self) -> None:
        """Select the rows of the enterprises or links selected elsewhere."""
        if self.table.attr == "enterprises":
            wanted = self.document.selected_enterprises
            hits = [i for i, e in enumerate(self.model.rows()) if e.id in wanted]
        elif self.table.attr == "links":
            wanted_links = self.document.selected_links
            hits = [i for i, lk in enumerate(self.model.rows())
                    if (lk.supplier, lk.buyer) in wanted_links]
        else:
            return
        self.select_source_rows(hits)

    def select_source_rows(self, rows: list[int]) -> None:
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for row in rows:
            top = self.proxy.mapFromSource(self.model.index(row, 0))
            if top.isValid():
                selection.select(top, self.proxy.mapFromSource(self.model.index(row, last)))
        self._syncing = True
        try:
            self.view.selectionModel().select(
                selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            if rows:
                first = self.proxy.mapFromSource(self.model.index(rows[0], 0))
                if first.isValid():
                    self.view.scrollTo(first)
        finally:
            self._syncing = False


class TablesWidget(QTabWidget):
    """A tab per table of the model."""

    add_requested = Signal(str)  # attr of the table the user wants to add a row to
    rejected = Signal(str)  # an edit was refused; the text says why

    def __init__(self, document: Document, parent: Any = None):
        super().__init__(parent)
        self.pages: dict[str, TablePage] = {}
        for table in TABLES:
            page = TablePage(document, table, self)
            page.add_requested.connect(self.add_requested)
            page.model.rejected.connect(self.rejected)
            self.pages[table.attr] = page
            self.addTab(page, tr(table.sheet))

    def show_row(self, attr: str, index: int) -> None:
        page = self.pages[attr]
        self.setCurrentWidget(page)
        page.filter.clear()
        page.select_source_rows([index])
