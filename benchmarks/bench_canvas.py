"""Canvas speed on a generated chain: layout, view build, rebuild after an edit, full paint.

    python benchmarks/bench_canvas.py [--enterprises 10000]

Targets: layout well under 0.5 s; a full ChainView build (or rebuild after an edit)
under 1 s; painting the fitted view fast enough to zoom (a few tenths of a second).
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
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from models.validation import places
    from planner.generate import generate
    from planner.layout import layout
    from ui.canvas import ChainView
    from ui.document import Document

    model = generate(args.enterprises)
    print(f"model: {len(model.enterprises)} enterprises, {len(model.links)} links")
    where = places(model)
    print(f"layout:               {timed(lambda: layout(model, where)):.3f} s")
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
