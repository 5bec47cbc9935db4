"""Files for the main window: new, open (large files in the background, cancellable), save,
save as, exports, recent files, dropped files and the offer to recover unsaved work.

Every save dialog knows the file types it writes: a name typed without an extension gets
the selected type's, a name with a wrong one is refused with a message and the dialog opens
again. Errors are shown with ``ui.errors`` (what, where, what to do; details collapsed).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
)

from models.chain import ChainModel
from models.files import load_model, save_model
from models.jsonio import load_json
from models.problems import ImportFailed
from planner.overview import arrange
from ui.analysis import BACKGROUND_FROM, copy_model
from ui.dialogs import ProblemsDialog
from ui.document import Analysis, Document, analyse, default_scenario, first_lookups
from ui.errors import show_error, show_file_error
from ui.i18n import language, tr
from ui.recovery import NATIVE_SUFFIX, Orphan, orphans
from ui.worker import BackgroundRunner

MAX_RECENT = 8
BACKGROUND_LOAD_BYTES = 1_000_000
WRITE_IN_BACKGROUND_FROM = BACKGROUND_FROM  # enterprises
OPENABLE = (".chainplan", ".xlsx", ".json")


@dataclass(frozen=True)
class FileType:
    label: str  # the dialog's filter, in English (shown through tr)
    suffix: str  # with the dot, lower case


PROJECT = FileType("Project file (*.chainplan)", ".chainplan")  # opens fastest: the default
WORKBOOK = FileType("Excel workbook (*.xlsx)", ".xlsx")
PLAN = FileType("Plan file (*.json)", ".json")
GRAPHML = FileType("GraphML (*.graphml)", ".graphml")
PDF = FileType("PDF (*.pdf)", ".pdf")
PNG = FileType("Image (*.png)", ".png")
SVG = FileType("Vector (*.svg)", ".svg")


class FileController(QObject):
    """File actions of one main window over one document."""

    written = Signal(str)  # a file was saved or exported at this path

    def __init__(self, window: QMainWindow, document: Document):
        super().__init__(window)
        self.window = window
        self.document = document
        self.loader = BackgroundRunner(self)
        self.loader.finished.connect(self._on_loaded)
        self.problems_dialog: ProblemsDialog | None = None
        self.recent_menu: QMenu | None = None
        self.progress: QProgressDialog | None = None
        self._loading: Path | None = None
        self.workbook_lang: str | None = None  # the opened workbook's language: Save keeps it
        self.on_adopted: Callable[[], None] = lambda: None  # e.g. fit the canvas

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    # --- opening --------------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """Ask to save unsaved changes; False means the user cancelled."""
        if not self.document.modified:
            return True
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(self.window, tr("Save"),
                                      tr("Save changes to {0}?", self.document.title),
                                      buttons.Save | buttons.Discard | buttons.Cancel)
        if answer == buttons.Save:
            return self.save()
        return answer == buttons.Discard

    def new_model(self) -> None:
        if self.maybe_save():
            self.workbook_lang = None
            self.document.reset(ChainModel(), None)

    def new_with_catalogue(self) -> None:
        """A new chain whose Projects hold the sourced catalogue, ready to assign from."""
        if self.maybe_save():
            from models.workbook import template_model

            self.workbook_lang = None
            self.document.reset(template_model(catalogue=True), None)

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(
            self.window, tr("Open a chain"), self.folder(),
            tr("Projects, workbooks and plans (*.chainplan *.xlsx *.json)"))
        if path:
            self.open_path(Path(path))

    @property
    def loading(self) -> bool:
        return self._loading is not None

    def open_path(self, path: Path) -> None:
        """Open a file; large ones load in the background with a progress dialog whose
        Cancel really cancels: the result is dropped and the current model stays."""
        # a project file packs a chain some four times tighter than a workbook
        limit = BACKGROUND_LOAD_BYTES // (4 if path.suffix.lower() == ".chainplan" else 1)
        if path.is_file() and path.stat().st_size > limit:
            self._loading = path
            self.progress = QProgressDialog(tr("Opening {0}…", path.name), tr("Cancel"), 0, 0,
                                            self.window)
            self.progress.setWindowTitle(tr("Open a chain"))
            self.progress.setWindowModality(Qt.WindowModality.WindowModal)
            self.progress.setMinimumDuration(0)
            self.progress.canceled.connect(self.cancel_loading)
            self.progress.show()
            self.loader.run(_load_in_background, path)
            return
        try:
            loaded = load_model(path)
        except ImportFailed as failure:
            self.show_problems(path, failure)
            return
        except OSError as error:
            show_file_error(self.window, tr("Cannot open {0}", path.name), path, error)
            return
        self.adopt(loaded.model, path, lang=loaded.lang or "")

    def cancel_loading(self) -> None:
        """Stop opening: whatever the background load still returns is dropped."""
        path, self._loading = self._loading, None
        self.loader.cancel()
        self._close_progress()
        if path is not None:
            self._status(tr("Opening {0} cancelled; {1} is unchanged.", path.name,
                            self.document.title))

    def _close_progress(self) -> None:
        progress, self.progress = self.progress, None
        if progress is not None:
            progress.canceled.disconnect(self.cancel_loading)
            progress.close()
            progress.deleteLater()

    def _on_loaded(self, loaded: Any, error: object) -> None:
        path, self._loading = self._loading, None
        self._close_progress()
        if path is None:  # cancelled meanwhile
            return
        if isinstance(loaded, ImportFailed):
            self.show_problems(path, loaded)
        elif loaded is None:
            show_error(self.window, tr("Cannot open {0}", path.name),
                       tr("File: {0}\nFolder: {1}", path.name, path.parent),
                       tr("Check the file, or choose another one."), str(error or ""))
        else:
            model, analysis, lang, lookups = loaded
            self.adopt(model, path, analysis, lang or "", lookups)

    def adopt(self, model: ChainModel, path: Path, analysis: Analysis | None = None,
              lang: str | None = None, lookups: dict[str, Any] | None = None) -> None:
        """Show an opened model; ``lang``: the language its workbook was read in ("" for a
        .json file; None: tell it from the workbook's sheet names); ``analysis`` and
        ``lookups``: see ``Document.reset``."""
        self.workbook_lang = lang if lang is not None else _workbook_language(path)
        self.document.reset(model, path, analysis=analysis, lookups=lookups)
        self.remember(path)
        QTimer.singleShot(0, self.on_adopted)

    def show_problems(self, path: Path, failure: ImportFailed) -> None:
        self.problems_dialog = ProblemsDialog(tr("Cannot open {0}", path.name), failure.problems,
                                              self.window)
        self.problems_dialog.open()

    # --- choosing where to write ----------------------------------------------------------------
    def ask_save_path(self, title: str, start: Path, types: list[FileType]) -> Path | None:
        """Ask where to write a file of one of ``types``; None if the user cancelled.

        A name without extension gets the selected type's; a name with another extension
        is refused with a message, and the dialog opens again with a corrected name.
        """
        dialog = QFileDialog(self.window, title, str(start.parent))
        dialog.setObjectName("save_dialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        by_label = {tr(t.label): t for t in types}
        dialog.setNameFilters(list(by_label))
        chosen = next((t for t in types if t.suffix == start.suffix.lower()), types[0])
        dialog.selectNameFilter(tr(chosen.label))
        dialog.setDefaultSuffix(chosen.suffix[1:])
        dialog.filterSelected.connect(
            lambda text: dialog.setDefaultSuffix(by_label.get(text, chosen).suffix[1:]))
        dialog.selectFile(start.name)
        allowed = {t.suffix for t in types}
        try:
            while dialog.exec() == QFileDialog.DialogCode.Accepted:
                files = dialog.selectedFiles()
                if not files:
                    continue
                path = Path(files[0])
                selected = by_label.get(dialog.selectedNameFilter(), chosen)
                if path.suffix.lower() in allowed:
                    return path
                if path.suffix:  # another type's extension (or a dot in the name)
                    suggestion = (path.stem if _looks_like_a_type(path.suffix) else path.name
                                  ) + selected.suffix
                    show_error(self.window, tr("“{0}” does not end in {1}.", path.name,
                                          tr(" or ").join(sorted(allowed))),
                               tr("Folder: {0}", path.parent),
                               tr("The name is now {0}: press Save to use it, or type another.",
                                  suggestion), modal=True)
                    dialog.selectFile(suggestion)
                    continue
                path = path.with_name(path.name + selected.suffix)
                if path.exists() and not self._overwrite(path):
                    continue
                return path
            return None
        finally:
            dialog.deleteLater()

    def _overwrite(self, path: Path) -> bool:
        answer = QMessageBox.question(self.window, tr("Save As…"),
                                      tr("{0} exists already. Replace it?", path.name))
        return answer == QMessageBox.StandardButton.Yes

    # --- saving ---------------------------------------------------------------------------------
    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self.save_to(self.document.path)

    def save_as(self) -> bool:
        start = self.document.path or Path(self.folder(), "chain.chainplan")
        path = self.ask_save_path(tr("Save As…"), start, [PROJECT, PLAN, WORKBOOK])
        return self.save_to(path) if path else False

    def save_to(self, path: Path) -> bool:
        model = self.document.model
        # an opened workbook is saved in its own language, whatever the app's
        lang = self.workbook_lang or language()
        if not self.write(lambda: save_model(model, path, lang), path, chain=True, saving=True):
            return False
        self.document.mark_saved(path)
        self.remember(path)
        return True

    def export_excel(self) -> None:
        name = (self.document.path.stem if self.document.path else "chain") + ".xlsx"
        path = self.ask_save_path(tr("Export Excel…"), Path(self.folder(), name), [WORKBOOK])
        if path:
            model = self.document.model
            self.write(lambda: save_model(model, path, language()), path, chain=True)

    def export_template(self) -> None:
        """A workbook to fill in; the planner chooses whether its Projects hold the
        sourced catalogue (the default: then there are projects to assign)."""
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.window, tr("Include the project catalogue?"),
            tr("Fill the template's Projects sheet with the sourced catalogue of the examples "
               "(cloud ERP, platform onboarding, MES, 5G …), so there are projects to assign?"),
            buttons.Yes | buttons.No | buttons.Cancel, buttons.Yes)
        if answer == buttons.Cancel:
            return
        path = self.ask_save_path(tr("Export template…"), Path(self.folder(), "template.xlsx"),
                                  [WORKBOOK])
        if path:
            from models.workbook import save_template

            catalogue = answer == buttons.Yes
            self.write(lambda: save_template(path, language(), catalogue=catalogue), path)

    def export_graphml(self) -> None:
        path = self.ask_save_path(tr("Export GraphML…"), Path(self.folder(), "chain.graphml"),
                                  [GRAPHML])
        if path:
            from planner.graphml import save_graphml

            model = self.document.model
            self.write(lambda: save_graphml(model, path), path, chain=True)

    def export_chart(self, chart: Any) -> None:
        from ui.charts import export_chart

        path = self.ask_save_path(tr("Export chart…"), Path(self.folder(), chart.key + ".png"),
                                  [PNG, SVG])
        if path:
            self.write(lambda: export_chart(chart, str(path)), path)

    def export_report(self) -> None:
        """The report, written in the background: a progress bar with Cancel, the window
        answering all along (ui/report_pdf.py)."""
        path = self.ask_save_path(tr("Export report…"), Path(self.folder(), "report.pdf"), [PDF])
        if path is None:
            return
        from ui.report_pdf import ReportExport

        def failed(error: object) -> None:
            if isinstance(error, OSError):
                show_file_error(self.window, tr("Cannot write {0}", path.name), path, error)
            else:
                show_error(self.window, tr("Cannot write {0}", path.name), str(error),
                           tr("Fix the errors listed under Problems, then export again."))

        self.report_export = ReportExport(self.document, str(path), language(), self.window)
        self.report_export.done.connect(self.written)
        self.report_export.failed.connect(failed)
        self.report_export.start()

    def write(self, run: Callable[[], Any], path: Path, chain: bool = False,
              saving: bool = False) -> bool:
        """Write a file by ``run``; say why if it cannot be written (``saving``: the chain's
        own file, not an export). ``chain``: ``run`` writes the chain and
        touches no widget, so a big one is written off the GUI thread while a progress
        dialog keeps the window drawn and the model untouched (a workbook of 100,000 firms
        takes minutes to write; a frozen window looks crashed)."""
        if chain and len(self.document.model.enterprises) >= WRITE_IN_BACKGROUND_FROM:
            failure = self._write_in_background(run, path)
        else:
            failure = _attempt(run)
        if failure is not None:
            show_file_error(self.window, tr("Cannot save {0}" if saving else "Cannot write {0}",
                                            path.name), path, failure)
            return False
        self.written.emit(str(path))
        return True

    def _write_in_background(self, run: Callable[[], Any], path: Path) -> BaseException | None:
        progress = QProgressDialog(tr("Saving {0}…", path.name), "", 0, 0, self.window)
        progress.setWindowTitle(tr("Save"))
        progress.setCancelButton(None)  # a half-written file is never kept: nothing to cancel
        progress.setWindowModality(Qt.WindowModality.WindowModal)  # no edit while it writes
        progress.setMinimumDuration(0)
        progress.show()
        outcome: list[Any] = []
        waiting = QEventLoop()
        runner = BackgroundRunner(self)
        runner.finished.connect(lambda result, error: (outcome.append((result, error)),
                                                       waiting.quit()))
        runner.run(_attempt, run)
        waiting.exec()
        progress.close()
        progress.deleteLater()
        runner.deleteLater()
        result, error = outcome[0]
        if error is not None:  # a bug, not the file: report it as one
            raise RuntimeError(f"writing {path.name} failed:\n{error}")
        failure: BaseException | None = result
        return failure

    # --- recovery -------------------------------------------------------------------------------
    def offer_recovery(self) -> bool:
        """Offer back the autosave of a session that did not close cleanly; True if recovered.

        Only autosaves no live window holds are offered; one that cannot be read is named
        and kept aside, never deleted without a word, and never stops the app.
        """
        for orphan in orphans():
            name = orphan.name or tr("Untitled")
            answer = QMessageBox.question(self.window, tr("Recover unsaved work?"),
                                          tr("The planner closed without saving {0} ({1}). "
                                             "Recover it?", name, orphan.when()))
            if answer != QMessageBox.StandardButton.Yes:
                orphan.remove()
                continue
            failure = recover_into(self.document, orphan)
            if failure is None:
                orphan.remove()
                self.document.autosave()  # the recovered work is this window's autosave now
                return True
            kept = orphan.set_aside()
            show_error(self.window, tr("Could not recover {0}", name),
                       tr("The autosave of {0} could not be read; it is kept as {1}.", orphan.when(),
                          str(kept)),
                       tr("Send that file to whoever supports the planner, or delete it."),
                       details=failure, modal=True)
        return False

    # --- recent files and dropped files ---------------------------------------------------------
    def folder(self) -> str:
        recent = self.recent()
        return str(Path(recent[0]).parent) if recent else os.path.expanduser("~")

    def recent(self) -> list[str]:
        value = QSettings().value("recent_files", [])
        return [value] if isinstance(value, str) else list(value or [])

    def remember(self, path: Path) -> None:
        recent = [str(path)] + [p for p in self.recent() if p != str(path)]
        QSettings().setValue("recent_files", recent[:MAX_RECENT])
        self.fill_recent()

    def fill_recent(self, menu: QMenu | None = None) -> None:
        """Fill the Recent files menu (``menu`` once, when the menus are built)."""
        if menu is not None:
            self.recent_menu = menu
        if self.recent_menu is None:
            return
        self.recent_menu.clear()
        for entry in self.recent():
            action = self.recent_menu.addAction(entry)
            action.triggered.connect(lambda _=False, p=entry: self.maybe_save() and
                                     self.open_path(Path(p)))
        self.recent_menu.setEnabled(bool(self.recent()))

    @staticmethod
    def openable(urls: list[Any]) -> list[Path]:
        """The dropped files this app can open (workbooks and plan files)."""
        return [Path(url.toLocalFile()) for url in urls
                if url.toLocalFile().lower().endswith(OPENABLE)]

    def open_dropped(self, urls: list[Any]) -> bool:
        for path in self.openable(urls):
            if self.maybe_save():
                self.open_path(path)
                return True
        return False


def _looks_like_a_type(suffix: str) -> bool:
    """".xls", ".pdf", ".csv" are file types; ".v2" or ".2026" are part of a name."""
    return suffix[1:].isalpha() and len(suffix) <= 6


def recover_into(document: Document, orphan: Orphan) -> str | None:
    """Load an autosave into ``document``; what went wrong, or None."""
    try:
        if orphan.data.suffix == NATIVE_SUFFIX:  # a big chain's autosave
            from models.native import load_native

            model = load_native(orphan.data)
        else:
            model = load_json(orphan.data)
    except ImportFailed as failure:
        return "; ".join(p.text(language()) for p in failure.problems[:3])
    except (OSError, ValueError, RecursionError, MemoryError) as exc:  # never stop the start
        return str(exc)
    document.reset(model, Path(orphan.original) if orphan.original else None, recovered=True)
    return None


def _attempt(run: Callable[[], Any], state: Any = None) -> BaseException | None:
    """Write by ``run``: why the file could not be written (not a bug: those raise), or None."""
    try:
        run()
    except (OSError, ImportFailed) as failure:
        return failure
    return None


def _load_in_background(path: Path, state: Any) -> Any:
    """Load and analyse a model off the GUI thread; a refusal comes back as the ImportFailed.
    Cancelled after reading, it skips the analysis (its result is dropped anyway)."""
    try:
        loaded = load_model(path)
    except ImportFailed as failure:
        return failure
    if state.cancelled:
        return None
    scenario = default_scenario(loaded.model)
    name = scenario.name if scenario else None
    analysis: Analysis | None
    big = len(loaded.model.enterprises) >= BACKGROUND_FROM
    if big and loaded.places is not None:
        # a big chain is shown once read and validated; its figures follow in the background
        # (they took 7 s more at 100,000 firms, while the planner could not yet see the chain)
        analysis = Analysis(-1, name, loaded.problems, loaded.places, partial=True,
                            arrangement=arrange(loaded.model, loaded.places))  # laid out here too
    else:
        analysis = analyse(loaded.model, name, -1, where=loaded.places, problems=loaded.problems)
    if analysis is not None:  # the analysis' own copy, made here (7 s on the GUI thread at
        analysis.model = copy_model(loaded.model)  # 100,000 firms), not when it is shown
    return loaded.model, analysis, loaded.lang, first_lookups(loaded.model, name) if big else None


def _workbook_language(path: Path) -> str | None:
    """The language of a workbook's sheet names (a file opened by another way than
    open_path), or None when it is not a workbook or cannot be read."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    try:
        from python_calamine import CalamineWorkbook

        from models.workbook import language_of

        book = CalamineWorkbook.from_path(str(path))
        with book:
            return language_of(list(book.sheet_names))
    except Exception:  # only a preference: the app's language then
        return None
