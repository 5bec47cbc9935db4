"""Editable tables of the model: one Qt item model per table, thin over the domain rows.

Each column shows and edits its value through its field kind (``ui.fields``), so what a
cell shows, typed back, stores the same value. Every edit is one undo step through the
document. The item models follow the document's typed events — rows inserted, removed
or changed, per table — with the matching ``beginInsertRows``/``beginRemoveRows``/
``dataChanged``, and reset only when a whole new model is opened; an open editor therefore
survives other edits, and sorting, filtering and selection stay where they were.

The row object is returned under ``Qt.UserRole``; no business rule lives here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QTableView,
    QTabWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from models.assessments import columns as assessment_columns
from models.chain import TABLE_BY_ATTR, TABLES, ChainModel, Park, TableSpec
from models.indicators import NO_LEVEL, default_indicator_set, level_name
from models.problems import Problem
from ui.document import Document
from ui.fields import (
    AnswerKind,
    ChoiceEditor,
    FieldError,
    FieldKind,
    GradeKind,
    LineEditor,
    date_kind,
    decimal_of,
    decimal_text,
    kinds_of,
)
from ui.i18n import language, tr
from ui.parks import add_park_edits, delete_park_edits, park_selection

ADD_LABELS = {"enterprises": "Add enterprise…", "links": "Add link…", "projects": "Add project",
              "scenarios": "New scenario…", "assignments": "Assign project…",
              "parks": "Add park", "park_assignments": "Assign park project…"}
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1  # the stored value of a cell (setData: no parsing)
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # what a column sorts by (numbers as numbers)
ROW_TEXT_ROLE = Qt.ItemDataRole.UserRole + 3  # column 0: the row's text, what the filter searches
# roles the view asks of every cell it paints and the model never answers: no answer at once
# (a search's table repaint at 1920x1080 asks 780 of them, 4 of every cell's 7 questions)
UNANSWERED = frozenset(int(r) for r in (
    Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.CheckStateRole))
CELL = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
EDITABLE_CELL = CELL | Qt.ItemFlag.ItemIsEditable
ERROR_BRUSH = QBrush(QColor("#fde7e9"))
WARNING_BRUSH = QBrush(QColor("#fff4d6"))
Index = QModelIndex | QPersistentModelIndex
# the tables whose rows name another table's rows: completions offered while typing
REFERENCES = {("links", "supplier"): "enterprises", ("links", "buyer"): "enterprises",
              ("assignments", "enterprise"): "enterprises",
              ("assignments", "project"): "projects", ("assignments", "scenario"): "scenarios",
              ("projects", "requires"): "projects", ("assessments", "enterprise"): "enterprises",
              ("enterprises", "park"): "parks", ("park_assignments", "scenario"): "scenarios",
              ("park_assignments", "park"): "parks", ("park_assignments", "project"): "projects"}


def reference_choices(model: ChainModel, table: str, column: str) -> list[str] | None:
    """The values a reference cell may take (offered while typing), None if it is no
    reference: the ids of the rows it may name — parks as the model has them (the Parks
    table, or the parks the enterprises name), and only the projects of the right scope."""
    target = REFERENCES.get((table, column))
    if target is None:
        return None
    if target == "parks":
        return model.park_ids()
    if target == "projects" and table in ("assignments", "park_assignments"):
        scope = "park" if table == "park_assignments" else "enterprise"
        return [p.id for p in model.projects if p.scope == scope]
    key = TABLE_BY_ATTR[target].key[0]
    return [str(getattr(r, key)) for r in getattr(model, target)]


# --- columns ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One column: its title, the row fields it shows, and the kind that shows and edits it."""

    key: str
    title: tuple[str, str]  # (English, Chinese)
    kind: FieldKind | None  # None: worked out, not edited
    fields: frozenset[str]  # the row fields this column depends on
    get: Callable[[Any], Any] = field(compare=False, default=lambda row: None)

    @property
    def editable(self) -> bool:
        return self.kind is not None

    def header(self, lang: str) -> str:
        return self.title[1 if lang == "zh_CN" else 0]

    def value(self, row: Any) -> Any:
        return self.get(row)

    def text(self, row: Any, lang: str) -> str:
        value = self.value(row)
        return self.kind.text(value, lang) if self.kind is not None else "" if value is None \
            else str(value)

    def changes(self, row: Any, value: Any) -> list[tuple[Any, str, Any]]:
        """The (row, field, value) changes that store ``value`` in this column."""
        return [(row, self.key, value)]


@dataclass(frozen=True)
class AnswerColumn(Column):
    """One answer of a health check (``answers`` or ``scenarios`` dict of an assessment)."""

    group: str = "answers"

    def changes(self, row: Any, value: Any) -> list[tuple[Any, str, Any]]:
        values = dict(getattr(row, self.group))
        if value is None:
            values.pop(self.key, None)
        else:
            values[self.key] = value
        return [(row, self.group, values)]


def field_columns(table: TableSpec) -> list[Column]:
    kinds = kinds_of(table.cls)
    return [Column(spec.name, (spec.name, spec.zh), kinds[spec.name], frozenset({spec.name}),
                   get=lambda row, name=spec.name: getattr(row, name))
            for spec in table.fields]


def assessment_table_columns() -> list[Column]:
    """Enterprise, date, score, level, then one column per answer and per business scenario."""
    ind = default_indicator_set()
    enterprise = field_columns(TABLE_BY_ATTR["assessments"])[0]
    date = Column("date", ("date", "日期"), date_kind(), frozenset({"date"}),
                  get=lambda row: row.date)
    answers = frozenset({"answers", "scenarios"})
    score = Column("score", ("score", "得分"), None, answers,
                   get=lambda row: ind.base_score(row.answers))
    level = Column("level", ("level", "等级"), None, answers,
                   get=lambda row: ind.level(ind.base_score(row.answers), row.scenarios))
    columns = [enterprise, date, score, level]
    for column in assessment_columns(ind)[2:]:
        if column.item is not None:
            kind: FieldKind = AnswerKind(column.item)
            columns.append(AnswerColumn(column.key, (column.en, column.zh), kind,
                                        frozenset({"answers"}),
                                        get=lambda row, k=column.key: row.answers.get(k),
                                        group="answers"))
        elif column.scenario is not None:
            kind = GradeKind(column.key, column.zh, column.en)
            columns.append(AnswerColumn(column.key, (column.en, column.zh), kind,
                                        frozenset({"scenarios"}),
                                        get=lambda row, k=column.key: row.scenarios.get(k),
                                        group="scenarios"))
    return columns


def table_columns(attr: str) -> list[Column]:
    if attr == "assessments":
        return assessment_table_columns()
    return field_columns(TABLE_BY_ATTR[attr])


def computed_text(column: Column, value: Any, lang: str) -> str:
    if column.key == "level":
        return level_name(value, lang)
    if isinstance(value, float):
        return decimal_text(decimal_of(round(value, 2)), False)
    return str(value)


# --- the item model ---------------------------------------------------------------------------

def _runs(positions: list[int]) -> list[tuple[int, int]]:
    """Ascending positions as (first, last) runs of consecutive positions."""
    runs: list[tuple[int, int]] = []
    for p in positions:
        if runs and runs[-1][1] == p - 1:
            runs[-1] = (runs[-1][0], p)
        else:
            runs.append((p, p))
    return runs


class TableModel(QAbstractTableModel):
    """One table of the document's model, following its typed change events.

    The model sorts itself (``sort``), in Python over keys it keeps, rather than leave it to
    a proxy that would ask for two cells per comparison (20 s for 28,000 links). Its rows
    are then in the view's order; the document's events name positions in the document's
    order, which ``_doc_rows`` keeps. A row added while sorted goes where it sorts; an
    edited row stays where it is until the next sort, so it never jumps away while edited.
    """

    rejected = Signal(str)  # an edit was refused; the text says why

    def __init__(self, document: Document, table: TableSpec | str, parent: Any = None):
        super().__init__(parent)
        self.document = document
        self.attr = table if isinstance(table, str) else table.attr
        self.table = TABLE_BY_ATTR[self.attr]
        self.columns = table_columns(self.attr)
        self._doc_rows: list[Any] = list(getattr(document.model, self.attr))  # document order
        self._rows: list[Any] = list(self._doc_rows)  # the order shown
        self._where: dict[int, int] | None = None  # id(row) -> its row here (None: redo)
        self._sort_column, self._sort_order = -1, Qt.SortOrder.AscendingOrder
        self._problems: dict[tuple[int, str], list[Problem]] = {}  # (id(row), column key)
        self._sort_keys: dict[int, dict[int, Any]] = {}  # column -> id(row) -> sort key
        self._texts: dict[int, tuple[str, str]] = {}  # id(row) -> (language, cells' text)
        document.rows_inserted.connect(self.on_rows_inserted)
        document.rows_removed.connect(self.on_rows_removed)
        document.rows_changed.connect(self.on_rows_changed)
        document.model_reset.connect(self.on_model_reset)
        document.changed.connect(self._check_in_step)
        document.analysed.connect(self.on_analysed)
        self.on_analysed()

    # --- following the document --------------------------------------------------------
    def _model_rows(self) -> list[Any]:
        rows: list[Any] = getattr(self.document.model, self.attr)
        return rows

    def row_index(self) -> dict[int, int]:
        """id(row) -> its row here."""
        return self._row_index()

    def _row_index(self) -> dict[int, int]:
        if self._where is None:  # in C: 300,000 rows in milliseconds
            self._where = dict(zip(map(id, self._rows), range(len(self._rows)), strict=True))
        return self._where

    def row_of(self, position: int) -> int:
        """The row here of the document's row at ``position`` (-1 if there is none)."""
        if not 0 <= position < len(self._doc_rows):
            return -1
        return self._shown([position], [self._doc_rows[position]])[0]

    def _shown(self, positions: list[int], rows: list[Any]) -> list[int]:
        """Where the document's ``rows`` at ``positions`` are shown here, ascending."""
        if self._sort_column < 0:  # in the document's order: no index of 300,000 rows to build
            return sorted(positions)
        where = self._row_index()
        return sorted(where[id(row)] for row in rows)

    def _forget(self, rows: list[Any]) -> None:
        for row in rows:
            self._texts.pop(id(row), None)
            for keys in self._sort_keys.values():
                keys.pop(id(row), None)

    def on_rows_inserted(self, table: str, positions: list[int]) -> None:
        if table != self.attr:
            return
        rows = self._model_rows()
        new = []
        for p in positions:  # ascending: each lands where it now is in the document
            self._doc_rows.insert(p, rows[p])
            new.append(rows[p])
        if self._sort_column < 0:  # shown in the document's order
            for first, last in _runs(positions):
                self.beginInsertRows(QModelIndex(), first, last)
                self._rows[first:first] = rows[first:last + 1]
                self._where = None
                self.endInsertRows()
            return
        for row in new:
            at = self._sorted_place(row)
            self.beginInsertRows(QModelIndex(), at, at)
            self._rows.insert(at, row)
            self._where = None
            self.endInsertRows()

    def _sorted_place(self, row: Any) -> int:
        """Where ``row`` goes among the sorted rows (after its equals)."""
        key = self._key(self._sort_column, row)
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        low, high = 0, len(self._rows)
        while low < high:
            middle = (low + high) // 2
            other = self._key(self._sort_column, self._rows[middle])
            before = key > other if descending else key < other
            if before:
                high = middle
            else:
                low = middle + 1
        return low

    def on_rows_removed(self, table: str, positions: list[int]) -> None:
        if table != self.attr:
            return
        gone = [self._doc_rows[p] for p in positions]
        shown = self._shown(positions, gone)
        for p in reversed(positions):
            del self._doc_rows[p]
        for first, last in reversed(_runs(shown)):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first:last + 1]
            self._where = None
            self.endRemoveRows()
        self._forget(gone)

    def on_rows_changed(self, table: str, positions: list[int], fields: list[str]) -> None:
        if table != self.attr:
            return
        changed = set(fields)
        hit = [c for c, column in enumerate(self.columns) if column.fields & changed]
        if not hit:
            return
        rows = [self._doc_rows[p] for p in positions]
        self._forget(rows)
        for first, last in _runs(self._shown(positions, rows)):
            for left, right in _runs(hit):
                self.dataChanged.emit(self.index(first, left), self.index(last, right))

    def on_model_reset(self) -> None:
        self.beginResetModel()
        self._doc_rows = list(self._model_rows())
        self._rows = self._sorted(self._doc_rows)
        self._where = None
        self._problems, self._sort_keys, self._texts = {}, {}, {}
        self.endResetModel()

    def _check_in_step(self) -> None:
        """A safety net: if the rows ever disagree with the model (an edit made without its
        events), start again from the model rather than show the wrong rows."""
        # list equality tries identity first, element by element, in C: 10,000 rows in 0.1 ms
        if self._model_rows() != self._doc_rows:
            self.on_model_reset()

    def on_analysed(self) -> None:
        """Mark the cells the latest validation found a problem in."""
        sheet = self.table.sheet
        keys = {column.key for column in self.columns}
        found: dict[tuple[int, str], list[Problem]] = {}
        for problem in self.document.analysis.problems:
            if (problem.table[0] == sheet and problem.index is not None
                    and 0 <= problem.index < len(self._doc_rows)):
                # a problem of the whole row (a duplicate, say) marks its first column
                key = problem.column if problem.column in keys else self.columns[0].key
                row = self._doc_rows[problem.index]
                found.setdefault((id(row), key), []).append(problem)
        touched = {row for row, _ in found} | {row for row, _ in self._problems}
        self._problems = found
        if not touched:  # (no index of 300,000 rows to build for nothing)
            return
        where = self._row_index()
        last = self.columnCount() - 1
        roles = [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole]
        for first, end in _runs(sorted(where[r] for r in touched if r in where)):
            self.dataChanged.emit(self.index(first, 0), self.index(end, last), roles)

    # --- sorting and filtering ------------------------------------------------------------
    def _key(self, c: int, row: Any) -> Any:
        keys = self._sort_keys.setdefault(c, {})
        key = keys.get(id(row))
        if key is None:
            column = self.columns[c]
            value = column.value(row)
            key = keys[id(row)] = value if column.kind is None else column.kind.sort_key(value)
        return key

    def _sorted(self, rows: list[Any]) -> list[Any]:
        if self._sort_column < 0:
            return list(rows)
        c = self._sort_column
        return sorted(rows, key=lambda row: self._key(c, row),
                      reverse=self._sort_order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (-1: the document's order); equal rows keep the document's order."""
        self._sort_column = column if 0 <= column < len(self.columns) else -1
        self._sort_order = order
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        held = [(self._rows[i.row()], i.column()) for i in before]
        self._rows = self._sorted(self._doc_rows)
        self._where = None
        where = self._row_index()
        self.changePersistentIndexList(before, [self.index(where[id(row)], c)
                                                for row, c in held])
        self.layoutChanged.emit()

    def row_text(self, row: int) -> str:
        """Every cell of a row as shown, in lower case: what the filter box searches."""
        item = self._rows[row]
        lang = language()
        kept = self._texts.get(id(item))
        if kept is None or kept[0] != lang:
            kept = self._texts[id(item)] = (lang, "\n".join(
                computed_text(c, c.value(item), lang) if c.kind is None else c.text(item, lang)
                for c in self.columns).casefold())
        return kept[1]

    # --- Qt model --------------------------------------------------------------------------
    def rows(self) -> list[Any]:
        """The rows in the order shown."""
        return self._rows

    @property
    def specs(self) -> tuple[Any, ...]:
        """The field declaration of each column (``None`` for a worked-out column)."""
        return tuple(c.kind.spec if c.kind is not None else None for c in self.columns)

    def column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.header(language())
            if role == Qt.ItemDataRole.ToolTipRole and column.kind is not None:
                return column.kind.hint(language())
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in UNANSWERED or not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column.kind is None:
                return computed_text(column, column.value(row), language())
            return column.text(row, language())
        if role in (Qt.ItemDataRole.EditRole, VALUE_ROLE):
            return column.value(row)
        if role == Qt.ItemDataRole.UserRole:
            return row
        if role == SORT_ROLE:
            return self._key(index.column(), row)
        if role == ROW_TEXT_ROLE:
            return self.row_text(index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole and (
                column.kind.numeric if column.kind is not None else column.key == "score"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole):
            problems = self._problems.get((id(row), column.key))
            if problems and role == Qt.ItemDataRole.ToolTipRole:
                return "\n".join(p.text(language()) for p in problems)
            if problems:
                return ERROR_BRUSH if any(p.is_error for p in problems) else WARNING_BRUSH
            if (role == Qt.ItemDataRole.ToolTipRole and column.key == "level"
                    and column.kind is None and column.value(row) == NO_LEVEL):
                return tr("No level: the answers meet no level's rule.")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        # made once: a repaint of a table asks for hundreds of cells' flags, and combining
        # them in Python each time took 12 us a cell
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return EDITABLE_CELL if self.columns[index.column()].editable else CELL

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Text (EditRole) is read as the column's kind reads typed text in the interface
        language; a value (VALUE_ROLE, or a non-text EditRole) is checked as it is."""
        if not index.isValid() or role not in (Qt.ItemDataRole.EditRole, VALUE_ROLE):
            return False
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        kind = column.kind
        if kind is None:
            return False
        lang = language()
        try:
            if role == Qt.ItemDataRole.EditRole and isinstance(value, str):
                value = kind.read(value, lang)
            else:
                problem = kind.problem(value, lang)
                if problem:
                    raise FieldError(problem)
        except FieldError as error:
            self.rejected.emit(tr("Value rejected: {0}", f"{column.header(lang)}: {error}"))
            return False
        if value == column.value(row) and type(value) is type(column.value(row)):
            return True
        self.document.set_values(column.changes(row, value), tr("Edit {0}",
                                                                self.table.key_of(row)))
        return True


class TableProxy(QSortFilterProxyModel):
    """Filters rows by the text of any cell; sorting is the table model's own (``sort``).

    The filter is Qt's own, on each row's text (``ROW_TEXT_ROLE``, lower case): with the
    box empty no row is asked about. (A filter of our own in Python was asked about every
    row at every reset: 0.3-0.45 s for each table of 300,000 rows at 100,000 firms.)
    """

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterRole(ROW_TEXT_ROLE)
        self.setFilterKeyColumn(0)

    def set_filter_text(self, text: str) -> None:
        """Keep the rows whose text holds ``text`` (any case; spaces around it ignored)."""
        self.setFilterRegularExpression(QRegularExpression.escape(text.strip().casefold()))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if isinstance(model, TableModel):
            model.sort(column, order)
        else:
            super().sort(column, order)


# --- editing --------------------------------------------------------------------------------

class FieldDelegate(QStyledItemDelegate):
    """Each column's kind makes the editor; Enter on a text that does not read keeps editing
    and says what is expected."""

    def __init__(self, model: TableModel, parent: Any = None):
        super().__init__(parent)
        self.model = model

    def createEditor(self, parent: QWidget, option: Any, index: Index) -> QWidget:
        column = self.model.columns[index.column()]
        assert column.kind is not None
        editor = column.kind.editor(parent, language())
        if isinstance(editor, LineEditor):
            editor.setFrame(False)
            choices = reference_choices(self.model.document.model, self.model.attr, column.key)
            if choices is not None:
                editor.set_completions(choices)
                # Enter while the completer's list is open reaches the editor past this
                # delegate's event filter: commit from the editor's own signal then
                editor.returnPressed.connect(lambda e=editor: self._commit_and_close(e))
        return editor  # type: ignore[return-value]

    def _commit_and_close(self, editor: LineEditor) -> None:
        if editor.property("enter_filtered"):  # the event filter commits this one
            editor.setProperty("enter_filtered", False)
            return
        if editor.problem() and editor.changed():
            return
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, (LineEditor, ChoiceEditor)):
            editor.set_value(index.data(VALUE_ROLE))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, LineEditor):
            if editor.changed():  # typed text goes the way of any typed text
                model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, ChoiceEditor):
            model.setData(index, editor.value(), VALUE_ROLE)
        else:
            super().setModelData(editor, model, index)

    def eventFilter(self, editor: Any, event: QEvent) -> bool:
        if (isinstance(editor, LineEditor) and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            problem = editor.problem()
            if problem and editor.changed():
                editor.setStyleSheet("QLineEdit { background: #fde7e9; }")
                QToolTip.showText(editor.mapToGlobal(QPoint(0, editor.height())), problem,
                                  editor)
                return True  # keep editing: Esc leaves the value as it was
            editor.setProperty("enter_filtered", True)
        return super().eventFilter(editor, event)


class TableView(QTableView):
    """A table view in which Delete deletes the selected rows (before any window shortcut)."""

    delete_requested = Signal()  # Delete pressed in the table (not in an open editor)

    def event(self, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Delete
                and self.state() != QAbstractItemView.State.EditingState):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete and self.state() != QAbstractItemView.State.EditingState:
            self.delete_requested.emit()
            return
        super().keyPressEvent(event)


class TablePage(QWidget):
    """A filter box, the table, and Add / Delete buttons."""

    add_requested = Signal(str)  # the user asked to add a row to this table (attr)

    def __init__(self, document: Document, table: TableSpec | str, parent: Any = None):
        super().__init__(parent)
        self.document = document
        self.model = TableModel(document, table, self)
        self.table = self.model.table
        self.proxy = TableProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit(self, clearButtonEnabled=True)
        self.filter.textChanged.connect(self.proxy.set_filter_text)
        self.view = TableView(self)
        self.view.setModel(self.proxy)
        self.delegate = FieldDelegate(self.model, self.view)
        self.view.setItemDelegate(self.delegate)
        # no sort column before sorting is enabled: enabling it would sort every row at once
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.verticalHeader().setDefaultSectionSize(22)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(110)
        header.setStretchLastSection(True)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # "Network infrastru…", full on hover
        self.view.delete_requested.connect(self.delete_selected)
        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        if self.table.attr in ADD_LABELS:
            self.add_button = QPushButton(self)
            if self.table.attr == "parks":  # typed in here: a row, its id being edited
                self.add_button.clicked.connect(self.add_park)
            else:
                self.add_button.clicked.connect(lambda: self.add_requested.emit(self.table.attr))
            bar.addWidget(self.add_button)
        self.delete_button = QPushButton(self)
        self.delete_button.clicked.connect(self.delete_selected)
        bar.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self._syncing = False
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        document.selection_changed.connect(self.show_document_selection)
        self.model.modelReset.connect(self.show_document_selection)
        self.retranslate()

    def retranslate(self) -> None:
        """Texts, headers and cells in the current language (the filter searches it too)."""
        self.filter.setPlaceholderText(tr("Filter rows…"))
        if self.table.attr in ADD_LABELS:
            self.add_button.setText(tr(ADD_LABELS[self.table.attr]))
        self.delete_button.setText(tr("Delete selected"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0,
                                          self.model.columnCount() - 1)
        self.view.viewport().update()  # cells are asked for their text when painted
        if self.filter.text():
            self.proxy.set_filter_text(self.filter.text())

    def selected_rows(self) -> list[Any]:
        rows = {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()}
        data = self.model.rows()
        return [data[r] for r in sorted(rows) if r < len(data)]

    def delete_selected(self) -> None:
        rows = self.selected_rows()
        if rows and self.table.attr == "parks":
            edits = delete_park_edits(self.document.model, [k.id for k in rows])
            self.document.apply(edits, tr("Delete {0} parks", len(rows)))
        elif rows:
            self.document.delete_rows(self.table.attr, rows)

    def add_park(self) -> None:
        """A new park row (the implicit parks become rows first, in the same step), its id
        open for typing."""
        model = self.document.model
        taken = set(model.park_ids())
        number = len(taken) + 1
        while f"PK{number:02d}" in taken:
            number += 1
        park = Park(id=f"PK{number:02d}")
        self.document.apply(add_park_edits(model, park), tr("Add {0}", park.id))
        self.filter.clear()
        row = next((r for r, k in enumerate(self.model.rows()) if k is park), -1)
        cell = self.proxy.mapFromSource(self.model.index(row, self.model.column_of("id")))
        if cell.isValid():
            self.view.setFocus()
            self.view.setCurrentIndex(cell)
            self.view.scrollTo(cell)
            self.view.edit(cell)

    def _on_selection(self) -> None:
        if self._syncing:
            return
        if self.table.attr in ("parks", "park_assignments"):
            rows = self.selected_rows()
            if len(rows) == 1:  # the inspector shows the park (with its park projects)
                park_selection(self.document).set(
                    rows[0].id if self.table.attr == "parks" else rows[0].park)
            return
        if self.table.attr not in ("enterprises", "links"):
            return
        rows = self.selected_rows()
        if self.table.attr == "enterprises":
            self.document.set_selection({e.id for e in rows}, set())
        else:
            self.document.set_selection(set(), {(lk.supplier, lk.buyer) for lk in rows})

    def show_document_selection(self) -> None:
        """Select the rows of the enterprises or links selected elsewhere."""
        # the selected rows found by key, not by a pass over every row (100,000 firms)
        document = self.document
        if self.table.attr == "enterprises":
            rows = [document.enterprise(e_id) for e_id in document.selected_enterprises]
        elif self.table.attr == "links":
            links = document.link_rows() if document.selected_links else {}
            rows = [links.get(key) for key in document.selected_links]
        else:
            return
        where = self.model.row_index() if rows else {}  # (none selected: no index to build)
        hits = sorted(i for i in (where.get(id(row), -1) for row in rows if row is not None)
                      if i >= 0)
        self.select_source_rows(hits)

    def select_source_rows(self, rows: list[int]) -> None:
        current = self.proxy.mapToSource(self.view.currentIndex()).row()
        if sorted(rows) == sorted(self.proxy.mapToSource(i).row()
                                  for i in self.view.selectionModel().selectedRows()):
            return  # already shown (the selection came from this table)
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
            if rows and current not in rows:
                first = self.proxy.mapFromSource(self.model.index(rows[0], 0))
                if first.isValid():
                    self.view.selectionModel().setCurrentIndex(
                        first, QItemSelectionModel.SelectionFlag.NoUpdate)
                    self.view.scrollTo(first)
        finally:
            self._syncing = False


class TablesWidget(QTabWidget):
    """A tab per table of the model, the Assessments last; a tab with problems is marked."""

    add_requested = Signal(str)  # attr of the table the user wants to add a row to
    rejected = Signal(str)  # an edit was refused; the text says why

    def __init__(self, document: Document, parent: Any = None):
        super().__init__(parent)
        self.document = document
        self.pages: dict[str, TablePage] = {}
        for attr in [t.attr for t in TABLES] + ["assessments"]:
            page = TablePage(document, attr, self)
            page.add_requested.connect(self.add_requested)
            page.model.rejected.connect(self.rejected)
            self.pages[attr] = page
            self.addTab(page, "")
        document.analysed.connect(self.mark_problems)
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the current language; the rows stay as they are."""
        for page in self.pages.values():
            self.setTabText(self.indexOf(page), tr("Park projects")
                            if page.table.attr == "park_assignments" else tr(page.table.sheet))
            page.retranslate()
        self.mark_problems()

    def mark_problems(self) -> None:
        """A warning icon and a count on each tab whose table has problems."""
        counts: dict[str, list[int]] = {}
        for problem in self.document.analysis.problems:
            counts.setdefault(problem.table[0], [0, 0])[0 if problem.is_error else 1] += 1
        style = self.style()
        for page in self.pages.values():
            errors, warnings = counts.get(page.table.sheet, [0, 0])
            i = self.indexOf(page)
            if errors or warnings:
                icon = QStyle.StandardPixmap.SP_MessageBoxCritical if errors \
                    else QStyle.StandardPixmap.SP_MessageBoxWarning
                self.setTabIcon(i, style.standardIcon(icon))
                self.setTabToolTip(i, tr("{0} errors, {1} warnings", errors, warnings))
            else:
                self.setTabIcon(i, QIcon())
                self.setTabToolTip(i, "")

    def show_row(self, attr: str, position: int, column: str = "") -> None:
        """Show the row at ``position`` of a table (a problem's culprit), its ``column``
        current if named."""
        page = self.pages[attr]
        self.setCurrentWidget(page)
        page.filter.clear()
        index = page.model.row_of(position)
        if index < 0:
            return
        page.select_source_rows([index])
        keys = [c.key for c in page.model.columns]
        if column in keys:
            cell = page.proxy.mapFromSource(page.model.index(index, keys.index(column)))
            page.view.selectionModel().setCurrentIndex(
                cell, QItemSelectionModel.SelectionFlag.NoUpdate)
            page.view.scrollTo(cell)
        page.view.setFocus()
