"""The project file (.chainplan) against the exchange files, as ratios to calamine in one run.

    python benchmarks/bench_native.py [--enterprises 10000 100000] [--repeat 2] [--no-sqlite]

For each size, on ``generate(n, seed=3)`` saved as a workbook: python-calamine's
bare read of every cell of every sheet (the reference), our workbook import
(``load_model``), the JSON file's load, and the project file's load
(``load_native``, and ``load_model`` which adds validation) and save. With the
SQLite alternative measured the same way (one table per model table, a column
per field, ``executemany`` / ``SELECT`` into column lists, the same row
building), which is how the format was chosen. Peak memory is tracemalloc's
peak of a separate, untimed run. Target (issue 15): native load <= 0.6x calamine.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sqlite3
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook
from timing import timed

from models.chain import TABLES, ChainModel
from models.files import load_model
from models.jsonio import load_json, save_json
from models.native import load_native, save_native
from models.records import row_maker
from models.schema import Kind
from models.workbook import save_workbook
from planner.generate import generate


def calamine_read(path: Path) -> None:
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def sqlite_save(model: ChainModel, path: Path) -> None:
    """The SQLite alternative: a table per model table, a column per field."""
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        for table in TABLES:
            names = [spec.name for spec in table.fields]
            db.execute(f"CREATE TABLE {table.attr} ({', '.join(names)})")
            listed = {spec.name for spec in table.fields if spec.kind in (Kind.CHOICES, Kind.RAISES)}
            columns = [[json.dumps(getattr(r, n)) if n in listed else getattr(r, n)
                        for r in model.rows(table)] for n in names]
            db.executemany(f"INSERT INTO {table.attr} VALUES ({', '.join('?' * len(names))})",
                           zip(*columns, strict=True))
    db.close()


def sqlite_load(path: Path) -> ChainModel:
    model = ChainModel()
    gc.disable()
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        for table in TABLES:
            names = [spec.name for spec in table.fields]
            rows = db.execute(f"SELECT {', '.join(names)} FROM {table.attr}").fetchall()
            columns: list[Any] = [list(c) for c in zip(*rows, strict=True)] if rows else []
            for spec, column in zip(table.fields, columns, strict=False):
                if spec.kind is Kind.BOOL:
                    column[:] = map(bool, column)
                elif spec.kind is Kind.CHOICES:
                    column[:] = map(json.loads, column)
                elif spec.kind is Kind.RAISES:
                    column[:] = (tuple(map(tuple, json.loads(v))) for v in column)
            make = row_maker(table, names)
            model.rows(table).extend(map(make, *columns) if columns else ())
        db.close()
    finally:
        gc.enable()
    return model


def peak(run: Callable[[], object]) -> float:
    """MB at the peak of one run (tracemalloc; slower, so not timed)."""
    gc.collect()
    tracemalloc.start()
    run()
    top = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return top / 1e6


def bench(n: int, repeat: int, with_sqlite: bool) -> None:
    model = generate(n, seed=3)
    print(f"\n{n:,} firms: {model.summary()}")
    with tempfile.TemporaryDirectory() as folder:
        book, plan, native, sqlite = (Path(folder) / f"chain.{s}"
                                      for s in ("xlsx", "json", "chainplan", "sqlite"))
        save_workbook(model, book)
        save_json(model, plan)
        rows: list[tuple[str, float, float | None, int | None]] = []
        reference = timed(lambda: calamine_read(book), repeat)
        rows.append(("calamine: bare read of the workbook", reference, None, book.stat().st_size))
        rows.append(("our workbook import (load_model)", timed(lambda: load_model(book), 1), None,
                     None))
        rows.append(("JSON load (load_json)", timed(lambda: load_json(plan), repeat),
                     peak(lambda: load_json(plan)), plan.stat().st_size))
        rows.append(("native save (save_native)", timed(lambda: save_native(model, native),
                                                        repeat), None, None))
        loaded = load_native(native)
        assert loaded == model, "the project file did not read back the same model"
        del loaded
        rows.append(("native load (load_native)", timed(lambda: load_native(native), repeat),
                     peak(lambda: load_native(native)), native.stat().st_size))
        rows.append(("native open (load_model: + validation)",
                     timed(lambda: load_model(native), repeat), None, None))
        if with_sqlite:
            rows.append(("SQLite alternative: save", timed(lambda: sqlite_save(model, sqlite),
                                                           repeat), None, None))
            again = sqlite_load(sqlite)  # (the prototype leaves the settings out)
            assert all(again.rows(t) == model.rows(t) for t in TABLES)
            del again
            rows.append(("SQLite alternative: load", timed(lambda: sqlite_load(sqlite), repeat),
                         peak(lambda: sqlite_load(sqlite)), sqlite.stat().st_size))
    for name, seconds, memory, size in rows:
        shown_memory = f"{memory:7.0f} MB peak" if memory is not None else " " * 12
        shown_size = f"{size / 1e6:6.1f} MB file" if size is not None else ""
        print(f"  {name:42s} {seconds:7.2f} s  {seconds / reference:5.2f}x  "
              f"{shown_memory}  {shown_size}")
    print("  target: native load <= 0.60x calamine")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for n in args.enterprises:
        bench(n, args.repeat, not args.no_sqlite)
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
