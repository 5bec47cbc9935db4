"""Plans exchanged with suppliers, in the app: File ▸ Send surveys…, File ▸ Collect surveys…
and File ▸ Compare with file….

The work is done by ``models.survey`` (survey workbooks, collecting returns, the change list)
and the headless diff; this module adapts them to dialogs:

- ``SendSurveysDialog`` picks the firms (the selection, every SME, or those matching a
  position, tier, park and size), the language and the folder, and writes one workbook per
  firm off the GUI thread (``ui.worker``) with progress and Cancel.
- ``CollectDialog`` takes returned workbooks (chosen or dropped), lists every change grouped
  by file with a check box per change and per file, marks conflicts (choosing one side
  unticks its rivals), lists refused files and not-confirmed links, and applies the ticked
  changes as one undo step.
- ``CompareDialog`` lists the differences between the open model and another plan file,
  filterable by table, outlines the differing firms and links on the canvas until cleared,
  and selects a row's firm or link on a double-click.
"""

from __future__ import annotations

import copy
import dataclasses
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.chain import TABLE_BY_ATTR
from models.schema import SIZES
from ui.errors import show_error, show_file_error
from ui.i18n import LANGUAGES, header, language, tr, value_text
from ui.worker import BackgroundRunner

CONFLICT_BACK = QColor("#FFE9C7")  # a conflict's row: amber, with the word "conflict"
REFUSED_INK = QColor("#B3261E")
INFO_INK = QColor("#5F6368")
ROLE = Qt.ItemDataRole.UserRole


# --- showing values as the app shows them ---------------------------------------------------

def _kind(table: str, field: str) -> Any:
    """The field kind (ui.fields) that shows ``field`` of ``table``, or None."""
    from ui.fields import AnswerKind, GradeKind, kinds_of

    spec = TABLE_BY_ATTR.get(table)
    if spec is None:
        return None
    kinds = kinds_of(spec.cls)
    if field in kinds:
        return kinds[field]
    if table == "assessments":
        from models.assessments import columns

        for column in columns():
            if column.key == field and column.item is not None:
                return AnswerKind(column.item)
            if column.key == field and column.scenario is not None:
                return GradeKind(column.key, column.zh, column.en)
    return None


def field_title(table: str, field: str) -> str:
    """A field's name as the tables' headers show it (a health-check item by its name)."""
    spec = TABLE_BY_ATTR.get(table)
    if spec is not None and any(f.name == field for f in spec.fields):
        return header(spec.field(field))
    if table == "assessments":
        from models.assessments import columns

        for column in columns():
            if column.key == field:
                return column.zh if language() == "zh_CN" else column.en
    return field


def _setting_title(name: str) -> str:
    from models.chain import Settings
    from models.schema import field_specs

    spec = next((f for f in field_specs(Settings) if f.name == name), None)
    return header(spec) if spec is not None else name


def table_title(table: str) -> str:
    spec = TABLE_BY_ATTR.get(table)
    if spec is not None:
        return spec.sheet_name(language())
    return tr("Settings") if table == "settings" else table


def shown(table: str, field: str, value: Any) -> str:
    """``value`` of ``field`` as the app shows it in the interface language."""
    if value is None:
        return ""
    if isinstance(value, dict):  # a whole row: its filled fields
        parts = []
        for name, item in value.items():
            if name in TABLE_BY_ATTR.get(table, TABLE_BY_ATTR["links"]).key:
                continue
            if isinstance(item, dict):  # a health check's answers or grades
                parts += [tr("{0}: {1}", field_title(table, k), shown(table, k, v))
                          for k, v in item.items() if v is not None]
            elif item not in (None, "", [], ()):
                parts.append(tr("{0}: {1}", field_title(table, name), shown(table, name, item)))
        return tr("; ").join(parts)
    kind = _kind(table, field)
    if kind is not None:
        try:
            return str(kind.text(tuple(value) if isinstance(value, list) else value, language()))
        except (TypeError, ValueError, AttributeError, KeyError):
            pass
    spec = TABLE_BY_ATTR.get(table)
    if spec is not None and any(f.name == field for f in spec.fields):
        return value_text(spec.field(field), value)
    return str(value)


def _status_bar(window: Any, text: str) -> None:
    if window is not None and hasattr(window, "statusBar"):
        window.statusBar().showMessage(text, 20000)


# --- File ▸ Send surveys… -------------------------------------------------------------------

def _write_surveys(model: Any, lang: str, ids: list[str], folder: str, state: Any
                   ) -> list[str]:
    """Write one survey per firm into ``folder`` (the background job): the shared template
    once, then each firm's bytes; stops between two files when cancelled."""
    from models.atomic import write_atomic
    from models.survey import SurveyWriter, survey_file_name

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    writer = SurveyWriter(model, lang)
    taken: set[str] = set()
    written: list[str] = []
    for n, enterprise_id in enumerate(ids):
        if state.cancelled:
            break
        path = out / survey_file_name(enterprise_id, taken)
        write_atomic(path, writer.workbook_bytes(enterprise_id))
        written.append(str(path))
        state.progress((n + 1) / len(ids))
    return written


class SendSurveysDialog(QDialog):
    """Which firms, which language, which folder; then the writing, with progress."""

    written = Signal(str, int)  # the folder, and how many surveys were written to it

    def __init__(self, document: Any, folder: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("send_surveys")
        self.setWindowTitle(tr("Send surveys"))
        self.document = document
        model = document.model
        self.smes = [e for e in model.enterprises if e.role != "core"]
        chosen = document.selected_enterprises
        self.selected_ids = [e.id for e in self.smes if e.id in chosen]
        self.runner = BackgroundRunner(self)
        self.runner.progress.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.busy_changed.connect(self._on_busy)
        self._cancelled = False
        self._total = 0
        self._done = 0

        intro = QLabel(tr("Each firm gets a workbook with its own part of the plan (its row, "
                          "its links and its latest health check) to check, fill in and "
                          "send back."), self)
        intro.setWordWrap(True)

        firms = QGroupBox(tr("Firms"), self)
        self.choice = QButtonGroup(self)
        self.by_selection = QRadioButton(tr("The selected firms ({0})",
                                            len(self.selected_ids)), firms)
        self.every_sme = QRadioButton(tr("Every SME ({0})", len(self.smes)), firms)
        self.by_filter = QRadioButton(tr("The SMEs matching:"), firms)
        for i, button in enumerate((self.by_selection, self.every_sme, self.by_filter)):
            self.choice.addButton(button, i)
        self.by_selection.setEnabled(bool(self.selected_ids))
        (self.by_selection if self.selected_ids else self.every_sme).setChecked(True)
        self.filters: dict[str, QComboBox] = {}
        filter_row = QGridLayout()
        filter_row.setContentsMargins(24, 0, 0, 0)
        labels = {"position": tr("Position"), "tier": tr("Tier"), "park": tr("Park"),
                  "size": tr("Size")}
        for k, key in enumerate(labels):
            combo = QComboBox(firms)
            combo.setObjectName(f"filter_{key}")
            combo.addItem(tr("any"), None)
            for value, text in self._options(key):
                combo.addItem(text, value)
            combo.currentIndexChanged.connect(lambda _i: self.by_filter.setChecked(True))
            combo.currentIndexChanged.connect(self._update_count)
            self.filters[key] = combo
            filter_row.addWidget(QLabel(labels[key], firms), k // 2, (k % 2) * 2)
            filter_row.addWidget(combo, k // 2, (k % 2) * 2 + 1)
        filter_row.setColumnStretch(1, 1)
        filter_row.setColumnStretch(3, 1)
        self.count = QLabel(firms)
        self.count.setObjectName("survey_count")
        box = QVBoxLayout(firms)
        box.addWidget(self.by_selection)
        box.addWidget(self.every_sme)
        box.addWidget(self.by_filter)
        box.addLayout(filter_row)
        box.addWidget(self.count)
        self.choice.idToggled.connect(lambda _i, _on: self._update_count())

        self.lang = QComboBox(self)
        self.lang.setObjectName("survey_language")
        for code, name in LANGUAGES.items():
            self.lang.addItem(name, code)
        self.lang.setCurrentIndex(max(0, self.lang.findData(language())))
        self.folder = QLineEdit(folder, self)
        self.folder.setObjectName("survey_folder")
        self.folder.setMinimumWidth(320)
        self.folder.textChanged.connect(self._update_count)
        choose = QPushButton(tr("Choose…"), self)
        choose.clicked.connect(self.choose_folder)
        where = QHBoxLayout()
        where.addWidget(self.folder, 1)
        where.addWidget(choose)
        self.inputs = (firms, self.lang, self.folder, choose)  # locked while writing
        form = QFormLayout()
        form.addRow(tr("Language of the surveys"), self.lang)
        form.addRow(tr("Folder"), where)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.write_button = self.buttons.addButton(tr("Write surveys"),
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.write_button.setObjectName("write_surveys")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(firms)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self._update_count()

    def _options(self, key: str) -> list[tuple[Any, str]]:
        places = self.document.analysis.places
        smes = self.smes
        if key == "position":
            words = {"upstream": tr("upstream"), "downstream": tr("downstream"),
                     "detached": tr("detached")}
            return [(p, word) for p, word in words.items()
                    if any(getattr(places.get(e.id), "position", None) == p for e in smes)]
        if key == "tier":
            tiers = sorted({places[e.id].tier for e in smes if e.id in places
                            and places[e.id].tier is not None})
            return [(t, str(t)) for t in tiers]
        if key == "park":
            return [(p, p) for p in sorted({e.park for e in smes if e.park})]
        spec = TABLE_BY_ATTR["enterprises"].field("size")
        return [(s, value_text(spec, s)) for s in SIZES if any(e.size == s for e in smes)]

    def chosen(self) -> list[str]:
        """The ids of the firms whose surveys will be written."""
        if self.by_selection.isChecked():
            return list(self.selected_ids)
        if self.every_sme.isChecked():
            return [e.id for e in self.smes]
        wanted = {key: combo.currentData() for key, combo in self.filters.items()}
        places = self.document.analysis.places
        ids = []
        for e in self.smes:
            place = places.get(e.id)
            if wanted["position"] is not None and getattr(place, "position", None) != \
                    wanted["position"]:
                continue
            if wanted["tier"] is not None and getattr(place, "tier", None) != wanted["tier"]:
                continue
            if wanted["park"] is not None and e.park != wanted["park"]:
                continue
            if wanted["size"] is not None and e.size != wanted["size"]:
                continue
            ids.append(e.id)
        return ids

    def _update_count(self) -> None:
        n = len(self.chosen())
        self.count.setText(tr("{0} surveys will be written.", n))
        self.write_button.setEnabled(n > 0 and bool(self.folder.text().strip())
                                     and not self.runner.busy)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Folder for the surveys"),
                                                  self.folder.text())
        if folder:
            self.folder.setText(folder)

    def start(self) -> None:
        """Write the chosen firms' surveys in the background."""
        from models.survey import survey_file_name

        ids = self.chosen()
        folder = Path(self.folder.text().strip()).expanduser()
        if not ids:
            return
        taken: set[str] = set()
        existing = [n for n in (survey_file_name(i, taken) for i in ids)
                    if (folder / n).exists()]
        if existing:
            answer = QMessageBox.question(
                self, tr("Send surveys"),
                tr("{0} of these surveys exist already in {1} (e.g. {2}). Replace them?",
                   len(existing), str(folder), existing[0]))
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._total, self._done, self._cancelled = len(ids), 0, False
        self._folder = str(folder)
        self.progress.setValue(0)
        self.progress.setFormat(tr("{0} of {1}", 0, len(ids)))
        self.progress.show()
        for widget in (self.write_button, *self.inputs):
            widget.setEnabled(False)
        self.runner.run(_write_surveys, self.document.model, self.lang.currentData(), ids,
                        self._folder)

    def cancel(self) -> None:
        """Cancel stops the writing (the files written stay); when idle it closes."""
        if self.runner.busy:
            self._cancelled = True
            self.runner.cancel()
        else:
            self.reject()

    def _on_progress(self, fraction: float) -> None:
        self._done = round(fraction * self._total)
        self.progress.setValue(round(fraction * 100))
        self.progress.setFormat(tr("{0} of {1}", self._done, self._total))

    def _on_busy(self, busy: bool) -> None:
        if not busy and self._cancelled:  # the cancelled run's result is dropped: say so
            _status_bar(self.parent(), tr("Cancelled: {0} of {1} surveys written to {2}.",
                                          self._done, self._total, self._folder))
            self.reject()

    def _on_finished(self, result: Any, error: object) -> None:
        if error is not None or result is None:
            show_error(self, tr("Cannot write the surveys"), tr("Folder: {0}", self._folder),
                       tr("Check that the folder can be written to, or choose another one."),
                       str(error or ""))
            self.progress.hide()
            for widget in self.inputs:
                widget.setEnabled(True)
            self.by_selection.setEnabled(bool(self.selected_ids))
            self._update_count()
            return
        self.written.emit(self._folder, len(result))
        self.accept()

    def done(self, result: int) -> None:
        if self.runner.busy:  # closing the window cancels the writing and waits for it
            self.runner.cancel()
            self.runner.wait()
        super().done(result)


def send_surveys(window: Any) -> SendSurveysDialog:
    """File ▸ Send surveys…: the dialog, opened window-modal (the model stays as it is
    while the surveys are written)."""
    document = window.document
    if not any(e.role != "core" for e in document.model.enterprises):
        show_error(window, tr("There is no SME to send a survey to."),
                   todo=tr("Add the chain's enterprises first."))
        return None  # type: ignore[return-value]
    folder = str(Path(window.files.folder(), "surveys"))
    dialog = SendSurveysDialog(document, folder, window)

    def wrote(path: str, count: int) -> None:
        window.on_written(path, tr("Wrote {0} surveys to {1}", count, path))

    dialog.written.connect(wrote)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


# --- File ▸ Collect surveys… ----------------------------------------------------------------

def status_text(status: str) -> str:
    """A change's status in the interface language ("applied" reads "ok": it is taken
    when ticked)."""
    return {"applied": tr("ok"), "conflict": tr("conflict"), "refused": tr("refused"),
            "not confirmed": tr("not confirmed")}[status]


class CollectDialog(QDialog):
    """The returned surveys: every change they make, to tick or untick, then Apply."""

    collected = Signal()  # the list now shows every file added so far (or reading failed)

    def __init__(self, document: Any, parent: QWidget | None = None,
                 files: Any = None):
        super().__init__(parent)
        self.setObjectName("collect_surveys")
        self.setWindowTitle(tr("Collect surveys"))
        self.setAcceptDrops(True)
        self.document = document
        self.files = files  # the window's FileController (where to save the change list)
        self.paths: list[Path] = []
        self.collection: Any = None
        self.change_items: list[QTreeWidgetItem] = []
        self._syncing = False
        self.runner = BackgroundRunner(self)
        self.runner.finished.connect(self._on_collected)

        self.hint = QLabel(tr("Drop the returned survey workbooks here, or choose them with "
                              "Add files…. Tick the changes to take; a conflict (two files "
                              "with different values) is taken only for the side you tick."),
                           self)
        self.hint.setWordWrap(True)
        add = QPushButton(tr("Add files…"), self)
        add.setObjectName("add_files")
        add.clicked.connect(self.choose_files)
        self.summary = QLabel(self)
        self.summary.setObjectName("collect_summary")
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(add, 0, Qt.AlignmentFlag.AlignTop)

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("changes")
        self.tree.setColumnCount(6)
        self.tree.setHeaderLabels([tr("File / table"), tr("Key"), tr("Field"), tr("Old value"),
                                   tr("New value"), tr("Status")])
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        head = self.tree.header()
        head.setStretchLastSection(True)
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.tree.itemChanged.connect(self.on_item_changed)

        self.buttons = QDialogButtonBox(self)
        self.save_list = self.buttons.addButton(tr("Save change list…"),
                                                QDialogButtonBox.ButtonRole.ActionRole)
        self.save_list.setObjectName("save_change_list")
        self.save_list.clicked.connect(self.save_change_list)
        self.apply_button = self.buttons.addButton(tr("Apply"),
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("apply_changes")
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(tr("Close"))
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(top)
        self.reading = QProgressBar(self)
        self.reading.setRange(0, 0)  # busy: one pass over every file (the summary says so)
        self.reading.hide()
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.reading)
        layout.addWidget(self.buttons)
        self._refresh_buttons()
        self.summary.setText(tr("No returned surveys yet."))

    # --- files in --------------------------------------------------------------------------
    def choose_files(self) -> None:
        start = self.files.folder() if self.files is not None else os.path.expanduser("~")
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Returned surveys"), start,
                                                tr("Excel workbook (*.xlsx)"))
        if paths:
            self.add_paths([Path(p) for p in paths])

    def add_paths(self, paths: Iterable[Path]) -> None:
        """Add returned files (a file added twice counts once) and collect them all again:
        conflicts are between every file collected so far."""
        known = {p.resolve() for p in self.paths}
        for path in paths:
            if path.resolve() not in known:
                self.paths.append(path)
                known.add(path.resolve())
        self.collect()

    def dragEnterEvent(self, event: Any) -> None:
        if any(u.toLocalFile().lower().endswith(".xlsx") for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: Any) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: Any) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls()
                 if u.toLocalFile().lower().endswith(".xlsx")]
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)

    def collect(self) -> None:
        """Read every file again in the background (a busy bar; the list waits for it)."""
        self.summary.setText(tr("Reading {0} returned surveys…", len(self.paths)))
        self.reading.show()
        self.apply_button.setEnabled(False)
        self.runner.run(_collect, self.document.model, [str(p) for p in self.paths])

    def _on_collected(self, result: Any, error: object) -> None:
        self.reading.hide()
        if result is None:
            show_error(self, tr("Cannot read the returned surveys"), str(error or ""))
            self._refresh_buttons()
        else:
            # the copy's changes, applied to the document's model (edits find rows by key;
            # the model cannot change meanwhile: the dialog is modal)
            self.collection = dataclasses.replace(result, model=self.document.model)
            self.fill()
        self.collected.emit()

    def done(self, result: int) -> None:
        if self.runner.busy:
            self.runner.cancel()
            self.runner.wait()
        super().done(result)

    # --- the review list ---------------------------------------------------------------------
    def fill(self) -> None:
        from models.survey import APPLIED, CONFLICT, NOT_CONFIRMED, REFUSED

        collection = self.collection
        self._syncing = True
        self.tree.clear()
        self.change_items = []
        notices: dict[str, list[str]] = {}
        for file, text in collection.notices:
            notices.setdefault(file, []).append(text[language() == "zh_CN"])
        by_file: dict[str, list[Any]] = {}
        for change in collection.changes:
            by_file.setdefault(change.file, []).append(change)
        zh = language() == "zh_CN"
        bold = QFont(self.tree.font())
        bold.setBold(True)
        refused = {r.file: r for r in collection.refused}
        for path in self.paths:
            if path.name in refused:
                self._refused_row(refused.pop(path.name), bold)
                continue
            changes = by_file.get(path.name, [])
            top = QTreeWidgetItem(self.tree, [path.name])
            top.setToolTip(0, str(path))
            top.setFont(0, bold)
            top.setFirstColumnSpanned(False)
            takeable = [c for c in changes if c.status in (APPLIED, CONFLICT)]
            info = [tr("changes: {0}", len(takeable))] if takeable else [tr("no change")]
            info += notices.get(path.name, [])
            top.setText(5, "; ".join(info))
            top.setToolTip(5, "\n".join(info))
            if takeable:
                top.setFlags(top.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                top.setCheckState(0, Qt.CheckState.Unchecked)
            for change in changes:
                item = QTreeWidgetItem(top, [
                    table_title(change.table), change.key,
                    self._field_text(change), shown(change.table, change.field, change.old),
                    shown(change.table, change.field, change.new), ""])
                item.setData(0, ROLE, change)
                status = status_text(change.status)
                reason = change.reason[zh]
                item.setText(5, tr("{0}: {1}", status, reason) if reason else status)
                for column in range(6):
                    item.setToolTip(column, item.text(column))
                if change.status in (APPLIED, CONFLICT):
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(0, Qt.CheckState.Checked if change.status == APPLIED
                                       else Qt.CheckState.Unchecked)
                    self.change_items.append(item)
                if change.status == CONFLICT:
                    for column in range(6):
                        item.setBackground(column, QBrush(CONFLICT_BACK))
                    item.setForeground(5, QBrush(QColor("#8A4B00")))
                elif change.status == REFUSED:
                    item.setForeground(5, QBrush(REFUSED_INK))
                elif change.status == NOT_CONFIRMED:
                    for column in range(6):
                        item.setForeground(column, QBrush(INFO_INK))
            self._sync_file(top)
        for refusal in refused.values():
            self._refused_row(refusal, bold)
        self.tree.expandAll()
        self._syncing = False
        self._size_columns()
        self._summarise()

    def _refused_row(self, refusal: Any, bold: QFont) -> None:
        """A file refused as a whole: nothing of it can be taken; the reason says why."""
        reason = tr("refused: {0}", refusal.reason[language() == "zh_CN"])
        top = QTreeWidgetItem(self.tree, [f"{refusal.file} — {reason}"])
        top.setFirstColumnSpanned(True)  # the reason in full, across the columns
        top.setFont(0, bold)
        top.setForeground(0, QBrush(REFUSED_INK))
        top.setToolTip(0, top.text(0))

    def _field_text(self, change: Any) -> str:
        if change.field:
            return field_title(change.table, change.field)
        if change.status == "not confirmed":
            return tr("(the whole link)")
        return tr("(new row)")

    def _size_columns(self) -> None:
        """Key, field and status to their contents (within reason); values share the rest."""
        for column, most in ((0, 220), (1, 200), (2, 200), (3, 240), (4, 360)):
            self.tree.resizeColumnToContents(column)
            self.tree.setColumnWidth(column, min(most, self.tree.columnWidth(column) + 12))

    def _summarise(self) -> None:
        from models.survey import APPLIED, CONFLICT, NOT_CONFIRMED, REFUSED

        c = self.collection
        parts = [tr("Files: {0}", len(self.paths)),
                 tr("changes: {0}", len(c.by_status(APPLIED)) + len(c.by_status(CONFLICT)))]
        if c.by_status(CONFLICT):
            parts.append(tr("in conflict: {0}", len(c.by_status(CONFLICT))))
        if c.by_status(REFUSED):
            parts.append(tr("changes refused: {0}", len(c.by_status(REFUSED))))
        if c.refused:
            parts.append(tr("files refused: {0}", len(c.refused)))
        if c.by_status(NOT_CONFIRMED):
            parts.append(tr("links not confirmed (kept): {0}", len(c.by_status(NOT_CONFIRMED))))
        self.summary.setText(" · ".join(parts))
        self._refresh_buttons()

    def accepted_changes(self) -> list[Any]:
        return [item.data(0, ROLE) for item in self.change_items
                if item.checkState(0) == Qt.CheckState.Checked]

    def _refresh_buttons(self) -> None:
        n = len(self.accepted_changes()) if self.collection is not None else 0
        self.apply_button.setText(tr("Apply {0} changes", n) if n else tr("Apply"))
        self.apply_button.setEnabled(n > 0 and not self.runner.busy)
        self.save_list.setEnabled(self.collection is not None)

    def on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._syncing or column != 0:
            return
        self._syncing = True
        try:
            change = item.data(0, ROLE)
            if change is None:  # a file: tick or untick all its changes
                state = item.checkState(0)
                if state != Qt.CheckState.PartiallyChecked:
                    for k in range(item.childCount()):
                        child = item.child(k)
                        if child in self.change_items:
                            child.setCheckState(0, state)
                            if state == Qt.CheckState.Checked:
                                self._untick_rivals(child)
            elif item.checkState(0) == Qt.CheckState.Checked:
                self._untick_rivals(item)
            for k in range(self.tree.topLevelItemCount()):
                self._sync_file(self.tree.topLevelItem(k))
        finally:
            self._syncing = False
        self._refresh_buttons()

    def _untick_rivals(self, item: QTreeWidgetItem) -> None:
        """Choosing one side of a conflict rejects the other sides (another value)."""
        change = item.data(0, ROLE)
        for other in self.change_items:
            rival = other.data(0, ROLE)
            if other is not item and rival.target == change.target and rival.new != change.new:
                other.setCheckState(0, Qt.CheckState.Unchecked)

    def _sync_file(self, top: QTreeWidgetItem | None) -> None:
        if top is None:
            return
        states = {top.child(k).checkState(0) for k in range(top.childCount())
                  if top.child(k) in self.change_items}
        if not states:  # nothing to take from this file: no check box
            return
        top.setCheckState(0, states.pop() if len(states) == 1
                          else Qt.CheckState.PartiallyChecked)

    # --- out ---------------------------------------------------------------------------------
    def apply(self) -> None:
        """Apply the ticked changes to the model as one undo step, and close."""
        accepted = self.accepted_changes()
        if not accepted:
            return
        try:
            edits = self.collection.edits(accepted)
        except ValueError as error:  # two values of one field ticked: cannot happen here
            show_error(self, tr("Cannot apply these changes"), str(error))
            return
        files = list(dict.fromkeys(c.file for c in accepted))
        source = files[0] if len(files) == 1 else tr("{0} surveys", len(files))
        self.document.apply(edits, tr("Collect {0} changes from {1}", len(accepted), source))
        _status_bar(self.parent(), tr("Applied {0} changes from {1}.", len(accepted), source))
        self.accept()

    def save_change_list(self) -> None:
        from models.survey import changes_workbook
        from ui.file_controller import WORKBOOK

        if self.collection is None:
            return
        start = Path(self.files.folder() if self.files is not None else os.path.expanduser("~"),
                     tr("survey changes") + ".xlsx")
        path = (self.files.ask_save_path(tr("Save change list…"), start, [WORKBOOK])
                if self.files is not None else None)
        if path is None:
            return
        try:
            changes_workbook(self.collection, path, language())
        except OSError as error:
            show_file_error(self, tr("Cannot write {0}", path.name), path, error)
            return
        if self.files is not None:
            self.files.written.emit(str(path))


def _collect(model: Any, paths: list[str], state: Any) -> Any:
    """Collect the returns into a copy of the model (the background job): collect tries
    the changes on its model to find those that break a rule, and the app's model must
    not change under the views meanwhile."""
    from models.survey import collect

    return collect(copy.deepcopy(model), paths)


def collect_surveys(window: Any, paths: Iterable[Path] = ()) -> CollectDialog:
    """File ▸ Collect surveys…: the review dialog (window-modal: the changes refer to the
    model as it is)."""
    dialog = CollectDialog(window.document, window, window.files)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.resize(min(1200, window.width() - 40), min(720, window.height() - 40))
    dialog.open()
    if paths:
        dialog.add_paths(paths)
    return dialog


# --- File ▸ Compare with file… ----------------------------------------------------------------

def diff_rows(diff: Any) -> list[tuple[str, str, str, str, Any, Any]]:
    """(table, key, what, field, old, new) for every difference; ``what`` is added, removed
    or changed. ``diff`` is a ``models.diff.Diff`` (values as the model holds them)."""
    rows: list[tuple[str, str, str, str, Any, Any]] = []
    for table, part in diff.tables.items():
        rows += [(table, key, "added", "", None, None) for key in part.added]
        rows += [(table, key, "removed", "", None, None) for key in part.removed]
        rows += [(table, c.key, "changed", c.field, c.old, c.new) for c in part.changed]
    return rows


class Targets:
    """Which firms and links of the open model a difference is about (to outline and
    select): rows found by the diff's key text; a row only in the file (not on the
    canvas) points at the firms it names."""

    def __init__(self, model: Any):
        from models.diff import key_text

        self.ids = {e.id for e in model.enterprises}
        self.links = {(k.supplier, k.buyer) for k in model.links}
        self.rows: dict[tuple[str, str], Any] = {}
        for table in ("enterprises", "links", "assignments", "assessments"):
            for row in getattr(model, table):
                self.rows[table, key_text(table, row)] = row

    def __call__(self, table: str, key: str) -> tuple[set[str], set[tuple[str, str]]]:
        row = self.rows.get((table, key))
        if row is not None:
            if table == "enterprises":
                return {row.id}, set()
            if table == "links":
                return set(), {(row.supplier, row.buyer)}
            return {row.enterprise} & self.ids, set()
        if table == "links":  # a link only in the file: its ends
            return set(_split(key, "→")) & self.ids, set()
        if table in ("assignments", "assessments"):
            return set(_split(key, "/")) & self.ids, set()
        return set(), set()


def _split(key: str, separator: str) -> list[str]:
    return [part.strip() for part in key.split(separator)]


def _settings_kind(name: str) -> Any:
    from models.chain import Settings
    from ui.fields import kinds_of

    return kinds_of(Settings).get(name)


def diff_value(table: str, field: str, key: str, value: Any) -> str:
    """A compared value as the app shows it; an absent one says so."""
    if value is None:
        return tr("(empty)")
    if table == "settings":
        kind = _settings_kind(key)
        return str(kind.text(value, language())) if kind is not None else str(value)
    return shown(table, field, value) or tr("(empty)")


class CompareDialog(QDialog):
    """Every difference between the open model and another plan file."""

    def __init__(self, window: Any, other_path: Path, other: Any, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.setObjectName("compare_with_file")
        self.window_ = window
        self.document = window.document
        self.canvas = window.canvas
        self.setWindowTitle(tr("Compare with {0}", other_path.name))
        from models.diff import diff

        self.rows = diff_rows(diff(self.document.model, other))
        targets = Targets(self.document.model)
        self.firms: set[str] = set()
        self.links: set[tuple[str, str]] = set()
        for table, key, _what, _field, _old, _new in self.rows:
            firms, links = targets(table, key)
            self.firms |= firms
            self.links |= links

        self.intro = QLabel(tr("“This model” is {0}; “the file” is {1}.", self.document.title,
                               str(other_path)), self)
        self.intro.setWordWrap(True)
        self.table_filter = QComboBox(self)
        self.table_filter.setObjectName("diff_table_filter")
        self.table_filter.addItem(tr("All tables ({0})", len(self.rows)), None)
        for table in dict.fromkeys(r[0] for r in self.rows):
            count = sum(r[0] == table for r in self.rows)
            self.table_filter.addItem(f"{table_title(table)} ({count})", table)
        self.table_filter.currentIndexChanged.connect(self.apply_filter)
        self.highlight = QPushButton(self)
        self.highlight.setObjectName("highlight_differences")
        self.highlight.setCheckable(True)
        self.highlight.toggled.connect(self.on_highlight)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(tr("Show"), self))
        filters.addWidget(self.table_filter)
        filters.addStretch(1)
        filters.addWidget(self.highlight)

        self.table = QTableWidget(len(self.rows), 6, self)
        self.table.setObjectName("differences")
        self.table.setHorizontalHeaderLabels([tr("Table"), tr("Key"), tr("Difference"),
                                              tr("Field"), tr("This model"), tr("The file")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.horizontalHeader().setStretchLastSection(True)
        words = {"added": tr("only in the file"), "removed": tr("only in this model"),
                 "changed": tr("changed")}
        for r, (table, key, what, field, old, new) in enumerate(self.rows):
            changed = what == "changed"
            cells = [table_title(table), key, words[what],
                     field_title(table, field) if table != "settings" else
                     _setting_title(key), diff_value(table, field, key, old) if changed else "",
                     diff_value(table, field, key, new) if changed else ""]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == 0:
                    item.setData(ROLE, r)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        for c in range(5):
            self.table.setColumnWidth(c, min(260, self.table.columnWidth(c) + 12))
        self.table.cellDoubleClicked.connect(self.on_double_clicked)
        self.empty = QLabel(tr("No differences: the file holds the same plan."), self)
        self.empty.setVisible(not self.rows)
        hint = QLabel(tr("Double-click a row to select its firm or link in the chain."), self)
        hint.setStyleSheet("color: #5F6368;")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(filters)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.canvas.highlight_changed.connect(self._sync_highlight_button)
        self.highlight.setEnabled(bool(self.firms or self.links))
        self.highlight.setChecked(bool(self.firms or self.links))
        self._sync_highlight_button()

    def apply_filter(self) -> None:
        wanted = self.table_filter.currentData()
        for r, row in enumerate(self.rows):
            self.table.setRowHidden(r, wanted is not None and row[0] != wanted)

    def on_highlight(self, on: bool) -> None:
        if on:
            self.canvas.set_highlight(self.firms, self.links)
        else:
            self.canvas.clear_highlight()

    def _sync_highlight_button(self) -> None:
        shown_now = bool(self.canvas.highlighted or self.canvas.highlighted_links)
        self.highlight.blockSignals(True)
        self.highlight.setChecked(shown_now)
        self.highlight.blockSignals(False)
        self.highlight.setText(tr("Clear the highlight") if shown_now
                               else tr("Highlight {0} firms and {1} links on the chain",
                                       len(self.firms), len(self.links)))

    def on_double_clicked(self, row: int, _column: int) -> None:
        table, key = self.rows[row][0], self.rows[row][1]
        firms, links = Targets(self.document.model)(table, key)  # the model as it is now
        if not firms and not links:
            _status_bar(self.window_, tr("{0} is not in this model.", key))
            return
        self.document.set_selection(firms, links)
        item = self.canvas.node_item(next(iter(firms))) if firms else None
        if item is not None:
            self.canvas.centerOn(item.scenePos())


def compare_with_file(window: Any, path: Path | None = None) -> CompareDialog | None:
    """File ▸ Compare with file…: pick a plan file, then show the differences."""
    from models.files import load_model
    from models.problems import ImportFailed

    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(window, tr("Compare with file…"),
                                                window.files.folder(),
                                                tr("Projects, workbooks and plans "
                                                   "(*.chainplan *.xlsx *.json)"))
        if not chosen:
            return None
        path = Path(chosen)
    try:
        other = load_model(path, allow_invalid=True).model
    except ImportFailed as failure:
        window.files.show_problems(path, failure)
        return None
    except OSError as error:
        show_file_error(window, tr("Cannot open {0}", path.name), path, error)
        return None
    dialog = CompareDialog(window, path, other)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.resize(min(1100, window.width() - 40), min(640, window.height() - 40))
    _clear_link(window)
    dialog.show()  # not modal: the planner looks at the chain beside it
    return dialog


def _clear_link(window: Any) -> QLabel:
    """"Differences highlighted · Clear" in the status bar while the canvas shows a
    highlight, so it can be cleared after the comparison is closed."""
    label = window.findChild(QLabel, "clear_highlight")
    if label is not None:
        return label
    label = QLabel(window)
    label.setObjectName("clear_highlight")
    canvas = window.canvas

    def sync() -> None:
        count = len(canvas.highlighted) + len(canvas.highlighted_links)
        label.setText(tr("{0} differences outlined on the chain", count)
                      + f" · <a href='clear'>{tr('Clear')}</a>")
        label.setVisible(bool(count))

    label.linkActivated.connect(lambda _link: canvas.clear_highlight())
    canvas.highlight_changed.connect(sync)
    window.statusBar().addPermanentWidget(label)
    sync()
    return label
