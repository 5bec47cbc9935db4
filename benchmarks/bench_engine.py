"""Engine speed on a generated chain, as ratios in one run (issue 2 targets).

    python benchmarks/bench_engine.py [--enterprises 10000]

Targets: every scenario evaluated after loading <= 0.3 s; re-evaluation of the
current scenario after one edit <= 0.1 s; the whole `chainplan evaluate FILE --json`
command <= 0.6x the time pandas.read_excel(openpyxl) needs just to read FILE.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
from timing import timed

from models.files import load_model
from models.workbook import save_workbook
from planner.engine import ChainArrays, evaluate
from planner.generate import generate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.xlsx"
        save_workbook(generate(args.enterprises, seed=1), path)
        loaded = load_model(path)
        model = loaded.model
        print(f"model: {model.summary()}")
        t_all = timed(lambda: evaluate(model, problems=loaded.problems))
        arrays = ChainArrays.of(model)
        current = model.scenarios[-1].name

        def edit_enterprise() -> None:  # a change to the chain itself: arrays are rebuilt
            model.enterprises[5].revenue += 1.0
            evaluate(model, current, arrays=ChainArrays.of(model), problems=[])

        def edit_assignment() -> None:  # a change to the plan: the chain's arrays are reused
            model.assignments[7].start_year += 0
            evaluate(model, current, arrays=arrays, problems=[])

        t_edit = timed(edit_enterprise)
        t_plan_edit = timed(edit_assignment)
        t_cli = timed(lambda: subprocess.run(
            [sys.executable, "-m", "planner.cli", "evaluate", str(path), "--json"],
            check=True, stdout=subprocess.DEVNULL), repeat=2)
        t_pandas = timed(lambda: pd.read_excel(path, sheet_name=None, engine="openpyxl"),
                         repeat=2)
    print(f"evaluate all {len(model.scenarios)} scenarios after loading: {t_all:.3f} s"
          f" (target <= 0.3 s)")
    print(f"re-evaluate current scenario after an enterprise edit: {t_edit * 1000:.0f} ms,"
          f" after an assignment edit: {t_plan_edit * 1000:.0f} ms (target <= 100 ms)")
    print(f"chainplan evaluate --json: {t_cli:.2f} s; pandas.read_excel: {t_pandas:.2f} s;"
          f" ratio {t_cli / t_pandas:.2f} (target <= 0.6)")


if __name__ == "__main__":
    main()
