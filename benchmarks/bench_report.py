"""How long the PDF report takes, in each language; by default of the vehicles example
(80 enterprises, 3 scenarios), the chain tests/test_report.py checks page by page.

    python benchmarks/bench_report.py [FILE] [--repeat 2]

Target: each report in well under 30 s (drawn off screen with Qt, charts included).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from timing import timed

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", help="a model file (default: the vehicles example)")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    from examples import example_path
    from models.files import load_model
    from ui.report import write_report

    model = load_model(args.file or example_path("vehicles.xlsx")).model
    print(f"model: {model.summary()}")
    with tempfile.TemporaryDirectory() as folder:
        for lang in ("en", "zh_CN"):
            path = Path(folder) / f"report_{lang}.pdf"
            seconds = timed(lambda lang=lang, path=path: write_report(model, path, lang),
                            repeat=args.repeat)
            print(f"report, {lang:5}: {seconds:.2f} s, {path.stat().st_size / 1e3:.0f} kB"
                  f" (target < 30 s)")


if __name__ == "__main__":
    main()
