"""Long headless work sharing the interpreter with the app's GUI thread.

``paused_gc`` keeps the cyclic collector from walking big young data again and again
(readers, the analysis, the canvas). ``give_way`` marks the points where the app's
background runs (the analysis, the risk draws) wait while the planner works the window:
a pass over 300,000 rows in C holds the GIL throughout, so the GUI thread gets it back
only between passes; elsewhere (the command line, an open) it does nothing.
``release_free_memory`` hands back what a big analysis freed.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import sys
import threading
from collections.abc import Callable, Iterator


class _CollectorPause:
    """The paused_gc sections running, in any thread: the collector is off until the last
    one ends (with a flag per section, one ending switched it back on under another)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sections = 0
        self.resume = False  # whether the collector was on when the first section began

    def begin(self) -> None:
        with self.lock:
            if self.sections == 0:
                self.resume = gc.isenabled()
                gc.disable()
            self.sections += 1

    def end(self) -> None:
        with self.lock:
            self.sections -= 1
            if self.sections == 0 and self.resume:
                gc.enable()


_COLLECTOR = _CollectorPause()


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while big acyclic data is built or read: a file's rows,
    an analysis's columns, a view's items. A list of 300,000 rows that is still young is
    walked by each collection until it is old, 0.1-0.25 s a walk at 100,000 firms, in
    whichever thread allocated last (a pan on the GUI thread, while an analysis runs)."""
    _COLLECTOR.begin()
    try:
        yield
    finally:
        _COLLECTOR.end()


_local = threading.local()


def give_way() -> None:
    """Between two passes over a big table: a background run waits here while the
    planner works the window (``giving_way``); nothing happens anywhere else."""
    hook = getattr(_local, "hook", None)
    if hook is not None:
        hook()


@contextlib.contextmanager
def giving_way(hook: Callable[[], None]) -> Iterator[None]:
    """While inside, this thread's ``give_way`` calls ``hook`` (a run's ``yield_to_gui``)."""
    _local.hook = hook
    try:
        yield
    finally:
        _local.hook = None


def _trimmer() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim  # glibc only (not musl)
    except (OSError, AttributeError):
        return None
    return trim


_TRIM = _trimmer()


def release_free_memory() -> None:
    """Give the memory the C allocator keeps after big frees back to the system.

    glibc keeps what a worker thread's arena freed, and after a big array is freed it
    serves arrays of that size from its heaps instead of fresh mappings: each edit's
    analysis of a 100,000-firm chain left 0.1-0.3 GB more resident, 1.1 GB became 1.7 GB
    over five edits, of which this gives back 0.7 GB (as Dask's workers do). Elsewhere
    the allocators give it back themselves."""
    if _TRIM is not None:
        _TRIM(0)
