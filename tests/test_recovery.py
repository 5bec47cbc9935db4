"""Autosave and recovery: each window's own autosave under a lock, offered back only after
its process died, and a damaged autosave never stops the app or vanishes without a word."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import small_chain
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from models.jsonio import dumps
from ui import file_controller
from ui.document import Document
from ui.main_window import MainWindow
from ui.recovery import orphans, recovery_folder

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _empty_recovery_folder():
    for path in recovery_folder().iterdir():
        path.unlink()
    yield


def crash_with_unsaved_edit(revenue: float) -> None:
    """A planner process that edits, autosaves, and dies without closing."""
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT / 'tests')!r})
        from PySide6.QtCore import QCoreApplication, QStandardPaths
        QStandardPaths.setTestModeEnabled(True)
        QCoreApplication.setOrganizationName({QCoreApplication.organizationName()!r})
        QCoreApplication.setApplicationName({QCoreApplication.applicationName()!r})
        app = QCoreApplication([])
        from pathlib import Path
        from conftest import small_chain
        from ui.document import Document
        document = Document()
        chain = small_chain()
        document.reset(chain, Path("/plans/chain.xlsx"))
        document.set_values([(chain.enterprises[2], "revenue", {revenue})], "edit")
        document.autosave()
        os._exit(3)  # a crash: nothing is cleaned up
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", script], check=False, cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 3, done.stderr


def answer(monkeypatch, button):
    asked = []

    def question(*args, **kwargs):
        asked.append(args[2])
        return button
    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_the_work_of_a_crashed_process_is_offered_back(qtbot, monkeypatch):
    crash_with_unsaved_edit(4321.0)
    [orphan] = orphans()
    assert orphan.name == "chain.xlsx"
    window = MainWindow(Document(), restore_state=False)
    qtbot.addWidget(window)
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    assert window.files.offer_recovery()
    assert "chain.xlsx" in asked[0]
    document = window.document
    assert document.model.enterprises[2].revenue == 4321.0
    assert document.modified and document.path == Path("/plans/chain.xlsx")
    assert orphans() == []  # the recovered work is now this window's own autosave
    assert document.autosaver is not None and document.autosaver.data.is_file()


def test_a_live_window_s_autosave_is_never_offered_nor_removed_by_another(qtbot, monkeypatch):
    first = Document(small_chain())
    first.set_values([(first.model.enterprises[1], "revenue", 1.0)], "edit")
    first.autosave()
    assert first.autosaver is not None and first.autosaver.data.is_file()
    second = MainWindow(Document(), restore_state=False)  # a second window, same machine
    qtbot.addWidget(second)
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    assert not second.files.offer_recovery()
    assert asked == []  # nothing offered: the first window is alive
    second.close()  # closing the second window leaves the first one's autosave alone
    assert first.autosaver.data.is_file()


@pytest.mark.parametrize("meta", ['{"time": "yesterday"}', "[]", "not json", '{"time": 1e400}'])
def test_a_damaged_meta_file_still_offers_the_work(qtbot, monkeypatch, meta):
    crash_with_unsaved_edit(777.0)
    [orphan] = orphans()
    orphan.data.with_suffix(".meta").write_text(meta, encoding="utf-8")
    [orphan] = orphans()
    assert orphan.saved_at > 0  # the file's own time stands in
    window = MainWindow(Document(), restore_state=False)
    qtbot.addWidget(window)
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    assert window.files.offer_recovery()
    assert window.document.model.enterprises[2].revenue == 777.0


@pytest.mark.parametrize("content", ["{ broken", '{"format": "chainplan", "schema_version": ' +
                                     "9" * 5000 + "}", "[]"])
def test_an_unreadable_autosave_is_named_and_kept_aside_and_the_app_starts(qtbot, monkeypatch,
                                                                           content):
    crash_with_unsaved_edit(1.0)
    [orphan] = orphans()
    orphan.data.write_text(content, encoding="utf-8")
    window = MainWindow(Document(), restore_state=False)
    qtbot.addWidget(window)
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    shown = []
    monkeypatch.setattr(file_controller, "show_error",
                        lambda parent, what, where="", todo="", **kw: shown.append((what, where)))
    assert not window.files.offer_recovery()
    assert shown and "chain.xlsx" in shown[0][0]
    kept = list(recovery_folder().glob("*.damaged-*.json"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == content
    assert str(kept[0]) in shown[0][1]
    assert orphans() == []


def test_answering_no_removes_only_that_autosave(qtbot, monkeypatch):
    crash_with_unsaved_edit(5.0)
    window = MainWindow(Document(), restore_state=False)
    qtbot.addWidget(window)
    answer(monkeypatch, QMessageBox.StandardButton.No)
    assert not window.files.offer_recovery()
    assert orphans() == [] and not list(recovery_folder().glob("*.json"))
    assert json.loads(dumps(window.document.model))["enterprises"] == []


def test_a_big_chain_s_autosave_waits_while_the_planner_zooms_and_is_then_written(
        qtbot, monkeypatch):
    """A big chain's autosave is written in the background; while the planner works the
    canvas it gives way, as the analysis does, and once the canvas is left alone it is
    written, holding the edit."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    from models.native import SUFFIX, load_native
    from ui import document as document_module
    from ui import worker as worker_module

    monkeypatch.setattr(document_module, "BACKGROUND_FROM", 1)  # every chain is big
    monkeypatch.setattr(worker_module, "QUIET_S", 3600.0)  # "left alone" not before the end
    window = MainWindow(Document(), restore_state=False)
    qtbot.addWidget(window, before_close_func=lambda w: w.document.undo_stack.setClean())
    window.resize(1366, 768)
    window.show()
    document = window.document
    document.reset(small_chain(), None)
    firm = document.model.enterprises[2]
    document.set_values([(firm, "revenue", 4321.0)], "revenue")
    viewport = window.canvas.viewport()
    centre = QPointF(viewport.rect().center())
    QApplication.sendEvent(viewport, QWheelEvent(
        centre, viewport.mapToGlobal(centre), QPoint(), QPoint(0, 120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase, False))  # the planner turns the wheel over the canvas
    document.autosave()
    assert document.autosaver is not None
    project_file = document.autosaver.data.with_suffix(SUFFIX)  # a big chain's autosave
    qtbot.wait(800)  # the planner is still at the canvas: the autosave waits
    assert not project_file.is_file()
    monkeypatch.setattr(worker_module, "QUIET_S", 0.0)
    qtbot.waitUntil(project_file.is_file, timeout=10_000)
    saved = load_native(project_file)
    assert saved.enterprises[2].id == firm.id and saved.enterprises[2].revenue == 4321.0
