"""One way to tell a planner that something went wrong.

A message says what happened, where (which file, which folder) and what to do, in the
interface language; the technical details (an exception's text, a traceback) are in the
collapsed "Show Details…" part, never in the message itself. ``install_excepthook`` makes
the same kind of message the answer to any unexpected exception, and writes its traceback
to ``errors.log`` in the app's data folder.
"""

from __future__ import annotations

import datetime as _dt
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ui.i18n import tr

LOG_NAME = "errors.log"
MAX_LOG_BYTES = 1_000_000


def show_error(parent: QWidget | None, what: str, where: str = "", todo: str = "",
               details: str = "", modal: bool = False) -> QMessageBox:
    """Show ``what`` happened (bold), ``where`` and ``todo``; ``details`` collapsed.

    The box is window-modal and returns at once (``modal`` waits for OK, e.g. when the
    caller reopens a dialog after it). It is returned so callers and tests can find it.
    """
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Chain Digitalisation Planner"), what,
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("error_message")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText("\n\n".join(part for part in (where, todo) if part))
    if details:
        box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if modal:
        box.exec()
    else:
        box.setWindowModality(Qt.WindowModality.WindowModal if parent is not None
                              else Qt.WindowModality.ApplicationModal)
        box.open()
    return box


def file_error_advice(error: BaseException, path: Path) -> str:
    """What a planner can do about ``error`` met while reading or writing ``path``."""
    if isinstance(error, PermissionError):
        return tr("The file may be open in another program (close it there), or you may not "
                  "write to this folder: choose another one.")
    if isinstance(error, FileNotFoundError):
        return tr("The folder does not exist (any more): choose another one.")
    if isinstance(error, IsADirectoryError):
        return tr("That name is a folder: type a file name.")
    if isinstance(error, OSError):
        return tr("The disk may be full or no longer there: free some space or choose another "
                  "folder.")
    return tr("Check the file, or choose another one.")


def show_file_error(parent: QWidget | None, what: str, path: Path | str,
                    error: BaseException) -> QMessageBox:
    """A file could not be read or written: name the file and its folder, say what to do."""
    path = Path(path)
    return show_error(parent, what, tr("File: {0}\nFolder: {1}", path.name, path.parent),
                      file_error_advice(error, path), _details(error))


def _details(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


# --- unexpected exceptions ---------------------------------------------------------------------
def log_folder() -> Path:
    return Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppDataLocation))


def log_exception(kind: type[BaseException], value: BaseException,
                  tb: TracebackType | None) -> Path | None:
    """Append the traceback to the log in the app data folder; the log's path, or None."""
    folder = log_folder()
    path = folder / LOG_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if path.is_file() and path.stat().st_size > MAX_LOG_BYTES:  # keep the last run's
            path.replace(path.with_suffix(".log.1"))
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {_dt.datetime.now().isoformat(timespec='seconds')}\n")
            log.write("".join(traceback.format_exception(kind, value, tb)))
    except OSError:
        return None
    return path


def unexpected(kind: type[BaseException], value: BaseException,
               tb: TracebackType | None) -> QMessageBox | None:
    """Log an unexpected exception and tell the planner in plain words; None if no GUI."""
    log = log_exception(kind, value, tb)
    sys.__stderr__.write("".join(traceback.format_exception(kind, value, tb)))  # type: ignore[union-attr]
    if QApplication.instance() is None:
        return None
    where = tr("The details were written to {0}.", log) if log else ""
    details = "".join(traceback.format_exception(kind, value, tb))
    return show_error(QApplication.activeWindow(),
                      tr("Something went wrong inside the planner ({0}).", kind.__name__),
                      where,
                      tr("Your work is kept: save it under a new name, then carry on or restart "
                         "the planner. If it happens again, send the log file to whoever "
                         "supports you."),
                      details)


def install_excepthook() -> None:
    """Answer every exception nobody caught with a plain message (and the log)."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> Any:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        try:
            unexpected(kind, value, tb)
        except Exception:  # the message itself failed: fall back to the default output
            sys.__excepthook__(kind, value, tb)

    sys.excepthook = hook
