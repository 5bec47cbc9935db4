"""Canvas speed on a generated chain: layout, view build, rebuild after an edit, full paint;
and the layout of the largest real chain (Willems 2008 chain 38, tests/data/willems-2008).

    python benchmarks/bench_canvas.py [--enterprises 10000]

Targets: layout well under 0.5 s; a full ChainView build (or rebuild after an edit)
under 1 s; painting the fitted view fast enough to zoom (a few tenths of a second);
the 2,025 stages and 16,225 arcs of Willems chain 38 laid out in under 2 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from timing import timed

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests/willems.py


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=10_000)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
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
    build = timed(lambda: views.append(ChainView(document)), repeat=2)
    print(f"ChainView build:      {build:.3f} s")
    view = views[-1]
    print(f"rebuild (same model): {timed(view.rebuild):.3f} s")
    first = model.enterprises[1].id
    start = time.perf_counter()
    document.move_enterprises({first: (12.0, 34.0)})  # one undo step; the view rebuilds
    print(f"edit + rebuild:       {time.perf_counter() - start:.3f} s")
    view.resize(1400, 900)
    view.show()
    app.processEvents()
    view.fit()
    print(f"paint, fitted:        {timed(view.grab):.3f} s")
    view.zoom_by(1 / view.transform().m11())  # 100 %
    view.centerOn(view.node_item(first))
    print(f"paint, 100 %:         {timed(view.grab):.3f} s")
    document.undo_stack.clear()


if __name__ == "__main__":
    main()
