"""What the analysis service costs on a large chain (ui/analysis.py): copying the model into
a snapshot, keeping the snapshot up to date after one edit (the GUI-thread part of every
edit), and the analysis itself (validation, every scenario, health check; off the GUI
thread for a chain this size).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_analysis.py [--enterprises 10000]

The chain is the generated one (``chainplan generate --enterprises 10000 --seed 7``).
Targets: one edit's snapshot update well under 10 ms; the analysis a few seconds at most.
"""

from __future__ import annotations

import argparse
import os
import time

from timing import timed

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    from PySide6.QtCore import QStandardPaths

    from models.edits import set_field_edits
    from planner.generate import generate
    from ui.analysis import advance_snapshot, analyse, copy_model
    from ui.app import make_application

    QStandardPaths.setTestModeEnabled(True)
    make_application()
    model = generate(args.enterprises, args.seed)
    print(f"model: {model.summary()}")
    copy = timed(lambda: copy_model(model))
    print(f"full snapshot (a new model):      {copy * 1e3:8.1f} ms")

    snapshot = copy_model(model)
    firm = model.enterprises[len(model.enterprises) // 2]
    values = iter(range(10**6))

    def edit_then_follow(field: str, value: object) -> tuple[float, float]:
        """(seconds of the edit itself, seconds of the snapshot following it)."""
        nonlocal snapshot
        start = time.perf_counter()
        edits = set_field_edits(model, "enterprises", [(firm, field, value)])
        events = [edit.apply(model) for edit in edits]
        middle = time.perf_counter()
        snapshot = advance_snapshot(snapshot, model, events)
        return middle - start, time.perf_counter() - middle

    for label, field, make in (("one cell edit", "revenue", float),
                               ("rename an id (links, assignments follow)", "id",
                                lambda v: f"X{v}")):
        runs = [edit_then_follow(field, make(next(values))) for _ in range(10)]
        edit, follow = min(r[0] for r in runs), min(r[1] for r in runs)
        print(f"{label}: the edit {edit * 1e3:.2f} ms, the snapshot following it "
              f"{follow * 1e3:.2f} ms")
    first = analyse(snapshot, model.scenarios[0].name, 1)
    assert first is not None
    seconds = timed(lambda: analyse(snapshot, model.scenarios[0].name, 1), 2)
    print(f"analysis ({len(model.scenarios)} scenarios + health):  {seconds:8.2f} s "
          f"(in the background)")
    other = timed(lambda: analyse(snapshot, model.scenarios[1].name, 1, previous=first), 2)
    print(f"another current scenario:         {other * 1e3:8.1f} ms (health check only)")


if __name__ == "__main__":
    main()
