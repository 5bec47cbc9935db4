"""Starting the desktop app: settings, language, crash recovery, and the screenshot mode.

This module is the command line's one door into the Qt side (the import contracts in
pyproject.toml). It imports no Qt itself until a function needs it, so that
``startup_problem`` can say what is missing before Qt would abort on it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from models.files import load_model
from models.problems import ImportFailed
from ui.i18n import LANGUAGES, set_language
from ui.preflight import startup_problem

if TYPE_CHECKING:
    from PySide6.QtCore import QTranslator
    from PySide6.QtWidgets import QApplication

    from planner.report import Report
    from ui.main_window import MainWindow

__all__ = ["choose_language", "make_application", "run_gui", "startup_problem",
           "use_qt_translations", "write_report_pdf"]

ORGANISATION = "Chainplan"
APPLICATION = "Chain Digitalisation Planner"


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, with names set once so QSettings and paths are ours."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        import pyqtgraph

        pyqtgraph.setConfigOptions(antialias=True, background="w", foreground="k")
        app = QApplication(argv or sys.argv[:1])
        from ui.worker import stop_all_runners

        app.aboutToQuit.connect(stop_all_runners)  # no draws left running into a closed window
    return app


# Qt's own texts (standard buttons, file dialogs, context menus) for each of our languages
QT_CATALOGUES = {"zh_CN": ("qtbase_zh_CN",)}
_qt_translators: list[QTranslator] = []  # installed now; kept alive while installed


def use_qt_translations(lang: str) -> bool:
    """Show Qt's standard buttons and dialogs in ``lang``; False if Qt has no catalogue."""
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

    app = QCoreApplication.instance()
    if app is None:
        return False
    while _qt_translators:
        QCoreApplication.removeTranslator(_qt_translators.pop())
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in QT_CATALOGUES.get(lang, ()):
        translator = QTranslator(app)
        if translator.load(name, folder) and QCoreApplication.installTranslator(translator):
            _qt_translators.append(translator)
    return bool(_qt_translators) or lang not in QT_CATALOGUES


def choose_language(requested: str | None) -> str:
    """The language asked for, else the one remembered, else the system's."""
    from PySide6.QtCore import QLocale, QSettings

    if requested in LANGUAGES:
        lang = requested
    else:
        remembered = QSettings().value("language", "", type=str)
        system = "zh_CN" if QLocale.system().name().startswith("zh") else "en"
        lang = remembered if remembered in LANGUAGES else system
    set_language(lang)
    use_qt_translations(lang)
    return lang


def run_gui(file: str | None, lang: str | None = None, screenshot: str | None = None,
            size: tuple[int, int] | None = None) -> int:
    from ui.document import Document
    from ui.errors import install_excepthook
    from ui.main_window import MainWindow

    app = make_application()
    install_excepthook()
    choose_language(lang)
    document = Document()
    window = MainWindow(document, restore_state=not screenshot)  # screenshots: default layout
    if not screenshot and window.files.offer_recovery():
        file = None
    if file:
        try:
            loaded = load_model(file)
        except ImportFailed as failure:
            if screenshot:
                print("\n".join(p.text(lang or "en") for p in failure.problems), file=sys.stderr)
                return 1
            window.files.show_problems(Path(file), failure)
        else:
            window.files.adopt(loaded.model, Path(file))
    window.show()
    if size:  # after the first layout pass, which may grow a window that is not shown yet
        app.processEvents()
        window.resize(*size)
        app.processEvents()
        window.default_layout()
    if screenshot:
        return _screenshot(app, window, Path(screenshot))
    return app.exec()


def _screenshot(app: QApplication, window: MainWindow, path: Path) -> int:
    """Render the main window as a user sees it, charts drawn, then exit."""
    from PySide6.QtCore import QTimer

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


def write_report_pdf(report: Report, path: str | Path) -> None:
    """The ``report`` command's way into the Qt side: paint ``planner.report``'s content to
    a PDF, off screen (no display, no window, no document)."""
    import os

    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:  # fonts need a GUI application; no pyqtgraph here
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from ui.report_pdf import write_pdf

    write_pdf(report, path)
    del app
