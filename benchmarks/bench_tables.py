"""How long the tables dock takes to follow one edit of the generated 10,000-enterprise chain.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_tables.py [--enterprises 10000]

The table models follow the document's typed events (one ``dataChanged``, one
``rowsInserted``/``rowsRemoved``); for comparison it also times what a whole-model reset of
every table (what each edit used to cost) takes, with the Enterprises table sorted by revenue
and filtered, as a planner would have it. Also: sorting the 28,000 links by a click on a
header (the model sorts over keys it keeps; a sorting proxy took 21 s) and filtering them.
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
    from PySide6.QtCore import QStandardPaths, Qt
    from PySide6.QtWidgets import QApplication

    from models.chain import Enterprise
    from planner.generate import generate

    QStandardPaths.setTestModeEnabled(True)
    app = QApplication.instance() or QApplication([])
    from ui.document import Document
    from ui.tables import TablesWidget

    model = generate(args.enterprises, seed=1)
    print(f"model: {model.summary()}")
    document = Document(model)
    document.wait_for_analysis()
    firm = model.enterprises[10]
    value = [1.0]

    def edit() -> None:
        value[0] += 1
        document.set_values([(firm, "revenue", value[0])], "bench")

    def alone() -> None:
        edit()
        app.processEvents()

    print(f"one edit (revenue), the document alone: {timed(alone) * 1000:.0f} ms")
    start = time.perf_counter()
    tables = TablesWidget(document)
    tables.resize(1400, 400)
    tables.show()
    app.processEvents()
    print(f"tables dock built and shown: {(time.perf_counter() - start) * 1000:.0f} ms")
    links = tables.pages["links"]
    start = time.perf_counter()
    links.view.sortByColumn(links.model.column_of("annual_value"), Qt.SortOrder.DescendingOrder)
    app.processEvents()
    print(f"sort {len(model.links)} links by value: {(time.perf_counter() - start) * 1000:.0f} ms")
    for typed in ("S", "S1"):
        start = time.perf_counter()
        links.filter.setText(typed)
        app.processEvents()
        print(f"filter the links by {typed!r}: {(time.perf_counter() - start) * 1000:.0f} ms")
    page = tables.pages["enterprises"]
    page.view.sortByColumn(page.model.column_of("revenue"), Qt.SortOrder.DescendingOrder)
    page.filter.setText("a")
    app.processEvents()

    def step(run) -> float:
        start = time.perf_counter()
        run()
        app.processEvents()
        return time.perf_counter() - start

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.0f} ms"

    print("one edit (revenue), the document and every table following it:",
          ms(timed(lambda: step(edit))))
    new = Enterprise(id="BENCH", name="Bench", role="supplier", size="small")
    print("add an enterprise:", ms(step(lambda: document.add_enterprise(new))))
    print("delete it (and what hangs on it):", ms(step(lambda: document.delete({"BENCH"},
                                                                              set()))))
    print("undo the delete:", ms(step(document.undo_stack.undo)))

    def reset_all() -> None:  # what every edit used to do to every table
        for table_page in tables.pages.values():
            table_page.model.on_model_reset()

    print("for comparison, a reset of every table (the old cost of any edit):",
          ms(timed(lambda: step(reset_all))))
    document.undo_stack.setClean()


if __name__ == "__main__":
    main()
