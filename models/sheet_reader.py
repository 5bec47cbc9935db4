"""calamine reading a workbook's sheets in worker threads, each sheet once the guard has cleared it.

calamine parses a sheet's XML without the GIL, so two sheets are parsed at once (each
thread with its own copy of the book: calamine's cannot be shared) while the guard
measures the next sheets and the rows of the sheets already read are built: the import
of the 100,000-firm workbook took 1.8-1.9x calamine's bare read one step after another,
and 1.4x so (``benchmarks/bench_io.py``, idle or with two busy processes). Nothing is
read before the guard has checked it: the books open once the parts read on opening are
checked, and each sheet once its part is (the budgets then hold for every sheet measured
so far). The threads run at most three sheets ahead of the rows built, so that not many
more sheets' cells are held at once than one at a time would hold (peak 0.53 GB).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from models.schema import normalise

READERS = 2  # threads, each with its own copy of the book (calamine's is not shared)
_AHEAD = 3  # sheets read, or being read, and not yet taken


class SheetReader:
    """Reads, in the order ``order(sheet names)`` gives, the sheets ``clear`` allows.

    ``clear`` is the guard's ``cleared``; ``names`` and ``read`` raise what calamine
    raised (the caller says which file or sheet is damaged). Use it as a context manager:
    leaving stops the threads and closes the books, whatever was read.
    """

    def __init__(self, path: Path, order: Callable[[list[str]], list[str]]):
        self._path, self._order = path, order
        self._lock = threading.Condition()
        self._opened = False  # the guard allows the book to open
        self._cleared: set[str] = set()  # normalised names of the sheets it allows
        self._names: list[str] | None = None
        self._queue: list[str] = []  # the sheets to read, in order
        self._claimed = 0  # how many of them a thread has begun to read
        self._taken = 0  # how many of them the caller has taken
        self._rows: dict[str, list[list[Any]]] = {}  # read, not yet taken
        self._error: tuple[str | None, BaseException] | None = None  # (sheet, what calamine raised)
        self._running = READERS
        self._stop = False
        self._threads = [threading.Thread(target=self._run, name="sheet reader", daemon=True)
                         for _ in range(READERS)]
        for thread in self._threads:
            thread.start()

    def __enter__(self) -> SheetReader:
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._stop = True
            self._lock.notify_all()
        for thread in self._threads:
            thread.join()

    def clear(self, names: Iterable[str]) -> None:
        """The guard's word: the book may open, and the named sheets may be read."""
        with self._lock:
            self._opened = True
            self._cleared.update(map(normalise, names))
            self._lock.notify_all()

    def names(self) -> list[str]:
        """The book's sheet names, once it has opened (call once the guard has passed)."""
        self.clear(())
        with self._lock:
            self._lock.wait_for(lambda: self._names is not None or self._error is not None)
            if self._names is None:
                assert self._error is not None
                raise self._error[1]
            return self._names

    def read(self, name: str) -> list[list[Any]]:
        """A sheet's cells, as ``CalamineSheet.to_python(skip_empty_area=False)`` gives them."""
        with self._lock:
            # (the threads wait for the sheets to be taken in order: another would hang)
            if self._queue[self._taken:self._taken + 1] != [name]:
                raise RuntimeError(f"sheet '{name}' was asked for out of order")
            self._lock.wait_for(lambda: name in self._rows or not self._running or (
                self._error is not None and self._error[0] == name))
            if name in self._rows:
                self._taken += 1
                self._lock.notify_all()
                return self._rows.pop(name)
            if self._error is not None:
                raise self._error[1]
        raise RuntimeError(f"sheet '{name}' was not read")

    def _next(self) -> str | None:
        """The next sheet for this thread to read, once it may be read; None: no more."""
        with self._lock:
            if self._stop or self._error is not None or self._claimed == len(self._queue):
                return None
            index = self._claimed
            self._claimed += 1
            sheet = self._queue[index]
            key = normalise(sheet)
            self._lock.wait_for(lambda: self._stop or (
                key in self._cleared and index < self._taken + _AHEAD))
            return None if self._stop else sheet

    def _run(self) -> None:
        from python_calamine import CalamineWorkbook  # heavy native module: load on use

        book = None
        sheet = None
        try:
            with self._lock:
                self._lock.wait_for(lambda: self._opened or self._stop)
                if self._stop:
                    return
            book = CalamineWorkbook.from_path(str(self._path))
            names = list(book.sheet_names)
            with self._lock:
                if self._names is None:
                    self._names = names
                    self._queue = self._order(names)
                    self._lock.notify_all()
            while (sheet := self._next()) is not None:
                rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
                with self._lock:
                    self._rows[sheet] = rows
                    self._lock.notify_all()
        except BaseException as exc:  # calamine raises several unrelated types, and panics
            with self._lock:
                self._error = (sheet, exc)
                self._lock.notify_all()
        finally:
            if book is not None:
                book.close()
            with self._lock:
                self._running -= 1
                self._lock.notify_all()
