"""How long the PDF report takes and how large it is, in each language; by default of every
example (the vehicles example, 80 enterprises and 3 scenarios, is the one
tests/test_report.py checks page by page).

    python benchmarks/bench_report.py [FILE ...] [--repeat 2]

Content (planner/report.py, no Qt) and painting (ui/report_pdf.py, vector charts) are
timed apart. Target: each report in well under 30 s and under 1 MB.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
from pathlib import Path

from timing import timed

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", help="model files (default: every example)")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from examples import example_path
    from models.files import load_model
    from planner.report import build_report
    from ui.report_pdf import write_pdf

    app = QApplication.instance() or QApplication([])
    files = args.files or [str(example_path(name)) for name in (
        "vehicles.xlsx", "aircraft.xlsx", "aircraft_zh.xlsx", "shipbuilding.xlsx")]
    with tempfile.TemporaryDirectory() as folder:
        for file in files:
            model = load_model(file).model
            print(f"{Path(file).name}: {model.summary()}")
            for lang in ("en", "zh_CN"):
                path = Path(folder) / f"report_{lang}.pdf"
                content = timed(lambda model=model, lang=lang: build_report(model, lang),
                                repeat=args.repeat)
                report = build_report(model, lang)
                paint = timed(lambda report=report, path=path: write_pdf(report, path),
                              repeat=args.repeat)
                pages = len(re.findall(rb"/Type\s*/Page\b", path.read_bytes()))
                print(f"  {lang:5}: content {content:.2f} s, painting {paint:.2f} s, "
                      f"{path.stat().st_size / 1e3:.0f} kB, {pages} pages (target < 30 s, < 1 MB)")
    del app


if __name__ == "__main__":
    main()
