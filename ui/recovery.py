"""Autosave and crash recovery: each open document's own autosave, held by a lock.

Every document writes its unsaved model to its own file in the recovery folder
(``<key>.json``, or for a big chain the project file ``<key>.chainplan``, written in the
background; a ``<key>.meta`` beside it) and holds ``<key>.lock`` for as long
as it lives. At start the app offers back only autosaves whose lock no live process
holds: a second window never sees the first one's work as "closed without saving",
and closing one window never removes another's autosave. A damaged autosave or meta
file never stops the app from starting: what cannot be recovered is named and kept
aside (``.damaged``), never deleted without a word.
"""

from __future__ import annotations

import json
import math
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QStandardPaths

from models.atomic import write_atomic
from models.native import SUFFIX as NATIVE_SUFFIX

LEGACY = "autosave"  # the one shared autosave of earlier versions, still offered back


def recovery_folder() -> Path:
    folder = Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppDataLocation)) / "recovery"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Autosave:
    """One document's autosave file and the lock that says its owner is alive."""

    def __init__(self) -> None:
        self.key = uuid.uuid4().hex
        folder = recovery_folder()
        self.data = folder / f"{self.key}.json"
        self.meta = self.data.with_suffix(".meta")
        self._lock = QLockFile(str(self.data.with_suffix(".lock")))
        self._lock.setStaleLockTime(0)  # only a dead owner makes a lock stale, never its age
        self._lock.tryLock(0)

    def write(self, data: str | bytes, original: Path | None) -> None:
        """Write the model: JSON text, or a project file's bytes (a big chain: its JSON
        took 90 s and 1.5 GB at 100,000 firms); the other kind, if any, goes."""
        native = isinstance(data, bytes)
        target = self.data.with_suffix(NATIVE_SUFFIX if native else ".json")
        write_atomic(target, data if native else data.encode("utf-8"))
        if target != self.data:
            self.data.unlink(missing_ok=True)
            self.data = target
        meta = {"path": str(original) if original else "", "time": time.time()}
        write_atomic(self.meta, json.dumps(meta).encode("utf-8"))

    def discard(self) -> None:
        """Remove the autosave (saved, or closed on purpose); the lock stays while we live."""
        for path in (self.data.with_suffix(".json"), self.data.with_suffix(NATIVE_SUFFIX),
                     self.meta):
            path.unlink(missing_ok=True)

    def release(self) -> None:
        self.discard()
        self._lock.unlock()


@dataclass(frozen=True)
class Orphan:
    """An autosave whose owner is gone: the work of a session that did not close cleanly."""

    data: Path
    original: str  # the file it was opened from ('' for a new model)
    saved_at: float  # seconds since the epoch, 0 when unknown

    @property
    def name(self) -> str:
        return Path(self.original).name if self.original else ""

    def when(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved_at)) if self.saved_at \
            else "?"

    def remove(self) -> None:
        for path in (self.data, self.data.with_suffix(".meta"), self.data.with_suffix(".lock")):
            path.unlink(missing_ok=True)

    def set_aside(self) -> Path:
        """Keep a file that could not be recovered out of the way, and say where."""
        kept = self.data.with_suffix(f".damaged-{int(time.time())}{self.data.suffix}")
        self.data.replace(kept)
        for suffix in (".meta", ".lock"):
            self.data.with_suffix(suffix).unlink(missing_ok=True)
        return kept


def _meta(path: Path) -> tuple[str, float]:
    """(original file, time) from a meta file; whatever it holds, never an exception."""
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return "", 0.0
    if not isinstance(meta, dict):
        return "", 0.0
    original = meta.get("path")
    saved_at = meta.get("time")
    if not isinstance(saved_at, (int, float)) or isinstance(saved_at, bool) \
            or not math.isfinite(saved_at) or not 0 <= saved_at < 1e11:
        saved_at = 0.0
    return (original if isinstance(original, str) else ""), float(saved_at)


def orphans() -> list[Orphan]:
    """Autosaves no live process holds, newest first."""
    found = []
    folder = recovery_folder()
    for data in [*folder.glob("*.json"), *folder.glob(f"*{NATIVE_SUFFIX}")]:
        if ".damaged-" in data.name:
            continue
        lock = QLockFile(str(data.with_suffix(".lock")))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):
            continue  # a live window's autosave
        lock.unlock()
        original, saved_at = _meta(data.with_suffix(".meta"))
        found.append(Orphan(data, original, saved_at or _mtime(data)))
    return sorted(found, key=lambda o: -o.saved_at)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
