"""Canvas speed on a generated chain: layout, view build, following one edit, paint;
and the layout of the largest real chain (Willems 2008 chain 38, tests/data/willems-2008).

    python benchmarks/bench_canvas.py [--enterprises 10000]

Targets: layout well under 0.5 s; a full ChainView build under 1 s; an edit of one
enterprise (a move, a new name) followed on the GUI thread in a few milliseconds, a new
link (tiers worked out again) well under a second; painting the fitted view fast
enough to zoom (a few tenths of a second); the 2,025 stages and 16,225 arcs of Willems
chain 38 laid out in under 2 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from timing import timed

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests/willems.py


def cpu(run: Callable[[], object], repeat: int = 3) -> str:
    """Wall-clock and CPU time of ``run`` (best of ``repeat``): on a busy machine the
    CPU time is the steadier figure."""
    wall = used = float("inf")
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        wall = min(wall, time.perf_counter() - start)
        used = min(used, time.process_time() - start_cpu)
    return f"{wall:.3f} s (CPU {used:.3f} s)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=10_000)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from models.chain import Link
    from models.validation import places
    from planner.generate import generate
    from planner.layout import layout
    from tests.willems import load_willems, willems_files
    from ui.canvas import ChainView
    from ui.document import Document

    path = willems_files()[-1]
    largest = load_willems(path)
    largest_places = places(largest)
    print(f"Willems chain {path.stem}: {len(largest.enterprises)} stages, {len(largest.links)} arcs")
    print(f"layout, Willems {path.stem}:   {timed(lambda: layout(largest, largest_places)):.3f} s"
          f" (target < 2 s)")
    model = generate(args.enterprises)
    print(f"model: {len(model.enterprises)} enterprises, {len(model.links)} links")
    where = places(model)
    print(f"layout:               {timed(lambda: layout(model, where)):.3f} s (target < 0.5 s)")
    document = Document(model)
    document.wait_for_analysis()
    views: list[ChainView] = []
    build = cpu(lambda: views.append(ChainView(document)), repeat=3)
    for view in views[:-1]:  # one view follows the edits below, as in the app
        view.deleteLater()
    app.processEvents()
    print(f"ChainView build:      {build}")
    view = views[-1]
    print(f"rebuild (same model): {cpu(view.rebuild)}")

    # GUI-thread time of an edit (the analysis runs in the background), and the canvas's
    # part of it: its slot for the document's ``changed``, where it follows the typed events
    canvas_time = [0.0]

    def timed_slot() -> None:
        start = time.perf_counter()
        view.on_changed()
        canvas_time[0] += time.perf_counter() - start

    document.changed.disconnect(view.on_changed)
    document.changed.connect(timed_slot)

    def edit(what: str, runs: list) -> None:
        total = canvas = float("inf")
        for run in runs:
            canvas_time[0] = 0.0
            start = time.perf_counter()
            run()
            total = min(total, time.perf_counter() - start)
            canvas = min(canvas, canvas_time[0])
        print(f"{what:<26}{total * 1000:7.1f} ms, canvas {canvas * 1000:6.1f} ms")

    first = model.enterprises[1]
    edit("edit: move one firm", [lambda k=k: document.move_enterprises({first.id: (12.0 * k, 34.0)})
                                 for k in range(1, 4)])
    edit("edit: rename one firm", [lambda k=k: document.set_values([(first, "name", f"Firm {k}")],
                                                                   "name") for k in range(3)])
    edit("edit: revenue", [lambda k=k: document.set_values([(first, "revenue", 1.0 + k)], "r")
                           for k in range(3)])
    edit("undo, redo (revenue)", [document.undo_stack.undo, document.undo_stack.redo])
    ids = [e.id for e in model.enterprises]
    edit("edit: add a link", [lambda k=k: document.add_link(Link(supplier=ids[5 + k],
                                                                 buyer=ids[-5 - k]))
                              for k in range(3)])
    document.wait_for_analysis()
    print(f"new analysis, recolour:   {timed(view.on_analysed) * 1000:7.1f} ms")
    view.resize(1400, 900)
    view.show()
    app.processEvents()
    view.fit()
    print(f"paint, fitted:        {cpu(view.grab)}")
    view.zoom_by(1 / view.transform().m11())  # 100 %
    view.centerOn(view.node_item(first.id).pos())
    print(f"paint, 100 %:         {cpu(view.grab)}")
    document.undo_stack.clear()


if __name__ == "__main__":
    main()
