"""Files for the main window: new, open (large files in the background), save, save as,
exports, recent files, dropped files and the offer to recover unsaved work.

The controller owns no widget of its own besides the short-lived dialogs it opens; it
works on the window's ``Document`` and reports in the window's status bar.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
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
from ui.dialogs import ProblemsDialog
from ui.document import Analysis, Document, analyse, default_scenario, recovery_folder
from ui.i18n import language, tr
from ui.worker import BackgroundRunner

MAX_RECENT = 8
BACKGROUND_LOAD_BYTES = 1_000_000
OPENABLE = (".xlsx", ".json")


class FileController(QObject):
    """File actions of one main window over one document."""

    def __init__(self, window: QMainWindow, document: Document):
        super().__init__(window)
        self.window = window
        self.document = document
        self.loader = BackgroundRunner(self)
        self.loader.finished.connect(self._on_loaded)
        self.problems_dialog: ProblemsDialog | None = None
        self.recent_menu: QMenu | None = None
        self._progress: QProgressDialog | None = None
        self._loading: Path | None = None
        self.on_adopted: Callable[[], None] = lambda: None  # e.g. fit the canvas

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 4000)

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
            self.document.reset(ChainModel(), None)

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(self.window, tr("Open a chain"), self.folder(),
                                              tr("Workbooks and plans (*.xlsx *.json)"))
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> None:
        """Open a file; large ones load in the background with a progress dialog."""
        if path.is_file() and path.stat().st_size > BACKGROUND_LOAD_BYTES:
            self._loading = path
            self._progress = QProgressDialog(tr("Opening {0}…", path.name), tr("Cancel"), 0, 0,
                                             self.window)
            self._progress.setWindowModality(Qt.WindowModality.WindowModal)
            self._progress.canceled.connect(self.loader.cancel)
            self._progress.show()
            self.loader.run(_load_in_background, path)
            return
        try:
            loaded = load_model(path)
        except ImportFailed as failure:
            self.show_problems(path, failure)
            return
        self.adopt(loaded.model, path)

    def _on_loaded(self, loaded: Any, error: object) -> None:
        path, self._loading = self._loading, None
        if self._progress is not None:
            self._progress.close()
            self._progress = None
        if path is None:
            return
        if isinstance(loaded, ImportFailed):
            self.show_problems(path, loaded)
        elif loaded is None:
            QMessageBox.critical(self.window, tr("Cannot open {0}", path.name), str(error))
        else:
            model, analysis = loaded
            self.adopt(model, path, analysis)

    def adopt(self, model: ChainModel, path: Path, analysis: Analysis | None = None) -> None:
        self.document.reset(model, path, analysis=analysis)
        self.remember(path)
        QTimer.singleShot(0, self.on_adopted)

    def show_problems(self, path: Path, failure: ImportFailed) -> None:
        self.problems_dialog = ProblemsDialog(tr("Cannot open {0}", path.name), failure.problems,
                                              self.window)
        self.problems_dialog.open()

    # --- saving ---------------------------------------------------------------------------------
    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self.save_to(self.document.path)

    def save_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(
            self.window, tr("Save As…"),
            str(self.document.path or Path(self.folder(), "chain.xlsx")),
            tr("Excel workbook (*.xlsx)") + ";;" + tr("Plan file (*.json)"))
        return self.save_to(Path(path)) if path else False

    def save_to(self, path: Path) -> bool:
        try:
            save_model(self.document.model, path, language())
        except (OSError, ImportFailed) as exc:
            QMessageBox.critical(self.window, tr("Cannot save {0}", path.name), str(exc))
            return False
        self.document.mark_saved(path)
        self.remember(path)
        self._status(tr("Saved {0}", path))
        return True

    def export_excel(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, tr("Export Excel…"), self.folder(),
                                              tr("Excel workbook (*.xlsx)"))
        if path:
            self.write(lambda: save_model(self.document.model, path, language()), path)

    def export_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, tr("Export template…"), self.folder(),
                                              tr("Excel workbook (*.xlsx)"))
        if path:
            from models.workbook import save_workbook

            self.write(lambda: save_workbook(ChainModel(), path, language(), assessments=True),
                       path)

    def export_graphml(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, tr("Export GraphML…"), self.folder(),
                                              tr("GraphML (*.graphml)"))
        if path:
            from planner.graphml import save_graphml

            self.write(lambda: save_graphml(self.document.model, path), path)

    def export_chart(self, chart: Any) -> None:
        from ui.charts import export_chart

        path, _ = QFileDialog.getSaveFileName(self.window, tr("Export chart…"),
                                              str(Path(self.folder(), chart.key + ".png")),
                                              tr("Image (*.png);;Vector (*.svg)"))
        if path:
            self.write(lambda: export_chart(chart, path), path)

    def export_report(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, tr("Export report…"),
                                              str(Path(self.folder(), "report.pdf")),
                                              tr("PDF (*.pdf)"))
        if not path:
            return
        from ui.report import write_report

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write_report(self.document.model, path, language())
        except (OSError, ValueError) as exc:
            QMessageBox.critical(self.window, tr("Cannot save {0}", Path(path).name), str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self._status(tr("Saved {0}", path))

    def write(self, run: Callable[[], Any], path: str) -> None:
        try:
            run()
        except (OSError, ImportFailed) as exc:
            QMessageBox.critical(self.window, tr("Cannot save {0}", Path(path).name), str(exc))
            return
        self._status(tr("Saved {0}", path))

    # --- recovery -------------------------------------------------------------------------------
    def offer_recovery(self) -> bool:
        """Offer the autosave of a session that did not close cleanly; True if recovered."""
        offer = recovery_offer()
        if offer is None:
            return False
        data, meta = offer
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(float(meta.get("time", 0) or 0)))
        name = Path(str(meta.get("path") or "")).name or tr("Untitled")
        answer = QMessageBox.question(self.window, tr("Recover unsaved work?"),
                                      tr("The planner closed without saving {0} ({1}). "
                                         "Recover it?", name, when))
        if answer == QMessageBox.StandardButton.Yes and recover_into(self.document, data, meta):
            return True
        self.document.discard_recovery()
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


def recovery_offer() -> tuple[Path, dict[str, object]] | None:
    """The autosave left by a session that did not close cleanly, if any."""
    data = recovery_folder() / "autosave.json"
    meta_file = data.with_suffix(".meta")
    if not data.is_file():
        return None
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {}
    except (OSError, ValueError):
        meta = {}
    return data, meta


def recover_into(document: Document, data: Path, meta: dict[str, object]) -> bool:
    try:
        model = load_json(data)
    except ImportFailed:
        return False
    original = str(meta.get("path") or "")
    document.reset(model, Path(original) if original else None, recovered=True)
    return True


def _load_in_background(path: Path, state: Any) -> Any:
    """Load and analyse a model off the GUI thread; a refusal comes back as the ImportFailed."""
    try:
        loaded = load_model(path)
    except ImportFailed as failure:
        return failure
    scenario = default_scenario(loaded.model)
    return loaded.model, analyse(loaded.model, scenario.name if scenario else None, -1,
                                 problems=loaded.problems)
