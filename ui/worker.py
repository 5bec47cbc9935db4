"""Run a plain function off the GUI thread, one run at a time, results by queued signal.

The function gets its inputs and a ``TaskState`` (progress, cancel flag), never a
widget. If a new run is asked for while one is going, the newest request waits
and replaces any older waiting one: the GUI never sees stale results pile up.

A long pure-Python run holds the GIL half the time the GUI thread wants it, so a
pan or zoom during it takes two to three times as long. ``InputWatch`` calls
``note_interaction`` at each of the planner's clicks, keys, wheel turns and drags
anywhere in the window (and views when they move); a run calls
``TaskState.yield_to_gui`` between its stages (the analysis also between the passes over
a big table that headless code marks: ``models.background.giving_way``) and waits there
until the GUI has been left alone for ``QUIET_S``.
"""

from __future__ import annotations

import threading
import time
import traceback
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRunnable, QThreadPool, QTimer, Signal

QUIET_S = 0.5  # how long the planner leaves the views alone before background work resumes
_last_interaction = [float("-inf")]  # time.monotonic() of the latest pan, zoom, click...


def quiet_for() -> float:
    """Seconds since the planner's latest interaction."""
    return time.monotonic() - _last_interaction[0]


def note_interaction() -> None:
    """The planner is working a view right now (GUI thread): background runs give way."""
    _last_interaction[0] = time.monotonic()


# (a key that is a shortcut, Delete or Ctrl+Z, comes as ShortcutOverride and never as a
# KeyPress: without it an edit made from the keyboard shared the interpreter with the
# background run, and a delete at 100,000 firms took 2 s instead of 0.3)
_INPUT = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
                    QEvent.Type.Wheel, QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride})


class InputWatch(QObject):
    """An application-wide event filter: the planner's input, anywhere, is an interaction
    (a tab clicked or a year stepped while the comparison's draws run, not only the canvas)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _INPUT or (kind == QEvent.Type.MouseMove
                              and event.buttons()):  # type: ignore[attr-defined]
            note_interaction()
        return False


class IdleCall(QObject):
    """``call`` on the GUI thread once the planner has left the window alone for ``QUIET_S``
    (a hidden page prepares what it will show, so that its first show only paints); asked
    for again before then, it still runs once."""

    def __init__(self, call: Callable[[], None], parent: QObject):
        super().__init__(parent)
        self._call = call
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._due)

    def ask(self) -> None:
        if not self._timer.isActive():
            self._timer.start(int(QUIET_S * 1000))

    def _due(self) -> None:
        quiet = quiet_for()
        if quiet < QUIET_S:  # the planner is at work: later
            self._timer.start(int((QUIET_S - quiet) * 1000) + 1)
        else:
            self._call()


class Cancelled(Exception):
    """A run's work stops where it gives way, once the run is cancelled."""


class TaskState:
    """What a background function may touch: progress and a cancel flag."""

    def __init__(self, report: Callable[[float], None]):
        self._report = report
        self._cancelled = threading.Event()

    def progress(self, fraction: float) -> None:
        self._report(fraction)

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def yield_to_gui(self) -> None:
        """Wait (without the GIL) while the planner pans, zooms or clicks, until the views
        have been left alone for ``QUIET_S``; raise Cancelled once the run is cancelled (no
        more work for a result nobody will see)."""
        while not self._cancelled.is_set():
            quiet = quiet_for()
            if quiet >= QUIET_S:
                return
            self._cancelled.wait(min(QUIET_S - quiet, 0.05))
        raise Cancelled


class _Signals(QObject):
    finished = Signal(object, object)  # (result, error text or None)
    progress = Signal(float)


class _Job(QRunnable):
    def __init__(self, function: Callable[..., Any], args: tuple[Any, ...], signals: _Signals,
                 state: TaskState):
        super().__init__()
        self.function, self.args, self.signals, self.state = function, args, signals, state

    def run(self) -> None:
        try:
            result = self.function(*self.args, self.state)
        except Cancelled:  # nobody waits for it: the runner drops a cancelled run's result
            self.signals.finished.emit(None, None)
        except Exception:  # reported to the GUI, which shows it; a worker must not die silently
            self.signals.finished.emit(None, traceback.format_exc())
        else:
            self.signals.finished.emit(result, None)


_RUNNERS: weakref.WeakSet[BackgroundRunner] = weakref.WeakSet()


def stop_all_runners() -> None:
    """Cancel every lane's work and wait for it: nothing runs on after its window (tests
    call this between tests; the app when it quits)."""
    for runner in list(_RUNNERS):
        try:
            runner.cancel()
            runner.wait()
        except RuntimeError:  # its Qt object is gone already, and its pool waited then
            pass


class BackgroundRunner(QObject):
    """One lane of background work (e.g. evaluation, or file loading)."""

    finished = Signal(object, object)  # (result, error text or None) of the latest run
    progress = Signal(float)  # fraction done of the running job
    busy_changed = Signal(bool)  # a job started (True) or the lane became idle (False)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        _RUNNERS.add(self)
        self._state: TaskState | None = None
        self._waiting: tuple[Callable[..., Any], tuple[Any, ...]] | None = None
        # a child: deleted with the runner, so a job finishing after the runner's window is
        # gone cannot call into a deleted object (the pool, made first, waits for it first)
        self._signals = _Signals(self)
        self._signals.finished.connect(self._on_finished)
        self._signals.progress.connect(self.progress)

    @property
    def busy(self) -> bool:
        return self._state is not None

    def run(self, function: Callable[..., Any], *args: Any) -> None:
        """Call ``function(*args, state)`` in the background when the lane is free."""
        if self._state is not None:
            self._waiting = (function, args)
            return
        self._state = TaskState(self._signals.progress.emit)
        self.busy_changed.emit(True)
        self._pool.start(_Job(function, args, self._signals, self._state))

    def cancel(self) -> None:
        self._waiting = None
        if self._state is not None:
            self._state.cancel()

    def wait(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)

    def _on_finished(self, result: object, error: object) -> None:
        cancelled = self._state is not None and self._state.cancelled
        self._state = None
        if self._waiting is not None:
            function, args = self._waiting
            self._waiting = None
            self.run(function, *args)  # a newer request supersedes this result
            return
        self.busy_changed.emit(False)
        if not cancelled:
            self.finished.emit(result, error)
