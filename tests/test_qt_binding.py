"""Guards against known bugs of the Qt binding that would crash the app."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(object)  # any payload


def test_emitting_objects_does_not_leak_references_to_true():
    # PySide6 6.12.0 dropped a reference to True on every emit; after enough emits
    # (pyqtgraph emits on every range change) Python aborts with bool_dealloc.
    emitter = _Emitter()
    emitter.changed.connect(lambda value: None)
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.changed.emit([True, False])
    assert sys.getrefcount(True) - before > -50


def test_void_methods_do_not_leak_references_to_none():
    # PySide6 6.12.0 on Python 3.11 also dropped a reference to None per void call.
    emitter = _Emitter()
    before = sys.getrefcount(None)
    for _ in range(500):
        emitter.setObjectName("x")
    assert sys.getrefcount(None) - before > -50
