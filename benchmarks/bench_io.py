"""Workbook import and export speed on a generated chain, as ratios to pandas in one run.

    python benchmarks/bench_io.py [--enterprises 10000] [--repeat 3]

Targets (issue 1): our import (parse + validate) <= 0.5x pandas.read_excel(openpyxl)
of the same file; our export <= 1.5x DataFrame.to_excel of the same tables.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pandas as pd
from timing import timed

from models.chain import TABLES
from models.files import load_model
from models.records import record_of
from models.workbook import save_workbook
from planner.generate import generate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    model = generate(args.enterprises, seed=1)
    counts = model.summary()
    print(f"model: {counts}")
    frames = {t.sheet: pd.DataFrame([record_of(r) for r in model.rows(t)]) for t in TABLES}
    with tempfile.TemporaryDirectory() as folder:
        ours = Path(folder) / "ours.xlsx"
        theirs = Path(folder) / "pandas.xlsx"

        def pandas_write() -> None:
            with pd.ExcelWriter(theirs, engine="openpyxl") as writer:
                for name, frame in frames.items():
                    frame.to_excel(writer, sheet_name=name, index=False)

        t_export = timed(lambda: save_workbook(model, ours), args.repeat)
        t_pandas_write = timed(pandas_write, args.repeat)
        t_import = timed(lambda: load_model(ours), args.repeat)
        t_pandas_read = timed(lambda: pd.read_excel(ours, sheet_name=None, engine="openpyxl"),
                              args.repeat)
        size = ours.stat().st_size
    print(f"file size: {size / 1e6:.1f} MB")
    print(f"import  ours {t_import:7.3f} s   pandas.read_excel(openpyxl) {t_pandas_read:7.3f} s"
          f"   ratio {t_import / t_pandas_read:.2f} (target <= 0.5)")
    print(f"export  ours {t_export:7.3f} s   DataFrame.to_excel          {t_pandas_write:7.3f} s"
          f"   ratio {t_export / t_pandas_write:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
