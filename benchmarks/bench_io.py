"""Workbook import against python-calamine's bare read of the same cells, in one run.

    python benchmarks/bench_io.py [--enterprises 10000] [--workbook PATH ...] [--repeat 2] [--busy N]

For a chain generated with ``--enterprises`` (seed 3) and for each ``--workbook``
(e.g. the 100,000-firm chain: ``chainplan generate --enterprises 100000 --seed 3``, some
two minutes to write): calamine's bare read of every cell of every sheet (the
reference), our import (``load_model``: the guard, calamine, the columns read, the
rows built, validation and the export check) and, for where the time goes,
``read_workbook`` (the guard, calamine and the rows built, side by side), the guard
alone, and validation plus the export check alone (with the columns the reader hands
on). ``--busy N`` keeps N processes spinning meanwhile (a loaded machine). Peak
memory is the largest resident size of a separate process doing only that (Linux's
VmHWM, the interpreter included).
Targets (issue 15): import <= 1.5x calamine, peak <= 1 GB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from python_calamine import CalamineWorkbook
from timing import busy, timed

from models.background import paused_gc
from models.files import load_model
from models.records import Columns, export_problems
from models.schema import normalise
from models.validation import validate
from models.workbook import _READ, _sheet_aliases, read_workbook, save_workbook
from models.xlsx_guard import check_xlsx
from planner.generate import generate

_PEAK = """
import sys
sys.path.insert(0, {root!r})
{run}
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")))
"""


def calamine_read(path: Path) -> None:
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def peak(run: str) -> float:
    """GB at the peak of a separate process running ``run`` (VmHWM, in kB: ru_maxrss would
    keep this process's own size, which Linux hands on to a child across its exec)."""
    root = str(Path(__file__).resolve().parent.parent)
    out = subprocess.run([sys.executable, "-c", _PEAK.format(root=root, run=run)], check=True,
                         capture_output=True, text=True).stdout
    return int(out.split()[-1]) / 1e6


def bench(path: Path, repeat: int) -> None:
    print(f"\n{path.name}: {path.stat().st_size / 1e6:.1f} MB")
    reference = timed(lambda: calamine_read(path), repeat)
    ours = timed(lambda: load_model(path), repeat)
    aliases = _sheet_aliases()
    guard = timed(lambda: check_xlsx(path, lambda n: aliases.get(normalise(n)) in _READ), 1)
    start = time.perf_counter()
    result = read_workbook(path)
    read = time.perf_counter() - start
    model = result.model

    def check() -> None:  # as load_model checks: with the columns the reader handed on
        columns = Columns(model, result.columns, result.clean)
        validate(model, columns=columns)
        export_problems(model, workbook=True, columns=columns)

    with paused_gc():
        checks = timed(check, 1)
    memory = peak(f"from models.files import load_model; load_model({str(path)!r})")
    memory_calamine = peak("from python_calamine import CalamineWorkbook as B; b = B.from_path("
                           f"{str(path)!r}); [b.get_sheet_by_name(n).to_python() "
                           "for n in b.sheet_names]")
    print(f"  model: {model.summary()}")
    print(f"  calamine: bare read of every cell     {reference:7.2f} s   1.00x   "
          f"{memory_calamine:5.2f} GB peak")
    print(f"  our import (load_model)               {ours:7.2f} s   {ours / reference:4.2f}x   "
          f"{memory:5.2f} GB peak   (target <= 1.5x, <= 1 GB)")
    print(f"    of which read_workbook              {read:7.2f} s   {read / reference:4.2f}x"
          "   (the guard, calamine's parse in two threads and the rows built, side by side)")
    print(f"      the guard alone                   {guard:7.2f} s   {guard / reference:4.2f}x")
    print(f"    validation + export check alone     {checks:7.2f} s   {checks / reference:4.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--workbook", type=Path, nargs="*", default=[])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--busy", type=int, default=0,
                        help="processes kept spinning meanwhile, to measure a loaded machine")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
          f"{f', {args.busy} busy processes' if args.busy else ''}")
    with tempfile.TemporaryDirectory() as folder, busy(args.busy):
        paths = list(args.workbook)
        if args.enterprises:
            generated = Path(folder) / f"generated_{args.enterprises}.xlsx"
            start = time.perf_counter()
            save_workbook(generate(args.enterprises, seed=3), generated)
            print(f"generated and saved {args.enterprises:,} firms in "
                  f"{time.perf_counter() - start:.1f} s")
            paths.insert(0, generated)
        for path in paths:
            bench(path, args.repeat)
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
