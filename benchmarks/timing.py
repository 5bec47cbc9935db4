"""The one timing rule of the benchmarks: the best of a few runs (the machine is noisy)."""

from __future__ import annotations

import time
from collections.abc import Callable


def timed(run: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best
