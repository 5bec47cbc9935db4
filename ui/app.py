"""Starting the desktop app: settings, language, crash recovery, and the screenshot mode."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from models.files import load_model
from models.jsonio import load_json
from models.problems import ImportFailed
from ui.document import Document, recovery_folder
from ui.i18n import LANGUAGES, set_language, tr

if TYPE_CHECKING:
    from ui.main_window import MainWindow

ORGANISATION = "Chainplan"
APPLICATION = "Chain Digitalisation Planner"


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, with names set once so QSettings and paths are ours."""
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        import pyqtgraph

        pyqtgraph.setConfigOptions(antialias=True, background="w", foreground="k")
        app = QApplication(argv or sys.argv[:1])
    return app


def choose_language(requested: str | None) -> str:
    """The language asked for, else the one remembered, else the system's."""
    if requested in LANGUAGES:
        lang = requested
    else:
        remembered = QSettings().value("language", "", type=str)
        system = "zh_CN" if QLocale.system().name().startswith("zh") else "en"
        lang = remembered if remembered in LANGUAGES else system
    set_language(lang)
    return lang


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


def run_gui(file: str | None, lang: str | None = None, screenshot: str | None = None,
            size: tuple[int, int] | None = None) -> int:
    from ui.main_window import MainWindow

    app = make_application()
    choose_language(lang)
    document = Document()
    window = MainWindow(document, restore_state=not screenshot)  # screenshots: default layout
    offer = None if screenshot else recovery_offer()
    if offer is not None:
        data, meta = offer
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(float(meta.get("time", 0) or 0)))
        name = Path(str(meta.get("path") or "")).name or tr("Untitled")
        answer = QMessageBox.question(window, tr("Recover unsaved work?"),
                                      tr("The planner closed without saving {0} ({1}). "
                                         "Recover it?", name, when))
        if answer == QMessageBox.StandardButton.Yes and recover_into(document, data, meta):
            file = None
        else:
            document.discard_recovery()
    if file:
        try:
            loaded = load_model(file)
        except ImportFailed as failure:
            if screenshot:
                print("\n".join(p.text(lang or "en") for p in failure.problems), file=sys.stderr)
                return 1
            window._show_problems(Path(file), failure)
        else:
            window._adopt(loaded.model, Path(file))
    window.show()
    if size:  # after the first layout pass, which may grow a window that is not shown yet
        app.processEvents()
        window.resize(*size)
    if screenshot:
        return _screenshot(app, window, Path(screenshot))
    return app.exec()


def _screenshot(app: QApplication, window: MainWindow, path: Path) -> int:
    """Render the main window as a user sees it, charts drawn, then exit."""
    window.document.wait_for_analysis()
    for _ in range(5):
        app.processEvents()
    window.canvas_fit()
    QTimer.singleShot(0, app.quit)
    app.exec()
    app.processEvents()
    if not window.grab().save(str(path)):
        print(f"cannot write {path}", file=sys.stderr)
        return 1
    window.document.undo_stack.setClean()  # nothing to ask on close: nothing was edited
    window.close()
    return 0
