"""Atomic file writes: the target is replaced in one step or not at all.

A save killed midway (power cut, kill -9) leaves its hidden temporary file
beside the target; the next save of the same file removes those older than
a few minutes (a younger one may belong to a save still running).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

STALE_SECONDS = 10 * 60


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it, then rename over it."""
    target = Path(path)
    remove_stale_temporaries(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():  # keep the user's permissions on the file we replace
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temporaries(target: Path, older_than: float = STALE_SECONDS) -> list[Path]:
    """Remove the temporary files earlier saves of ``target`` left behind; returns them.

    Only names ``write_atomic`` makes for this very file are touched
    (``.NAME.`` + eight characters + ``.tmp``); a failure to remove one is not an error.
    """
    pattern = re.compile(r"\." + re.escape(target.name) + r"\.[a-z0-9_]{8}\.tmp")
    removed: list[Path] = []
    limit = time.time() - older_than
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < limit:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
