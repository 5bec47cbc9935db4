"""How fast hostile workbooks are refused: a zip bomb, and the same bomb lying about its size.

    python benchmarks/bench_hostile.py [--megabytes 300]

The files are built as tests/test_hostile_files.py builds them (its builders are reused, so
the test extras must be installed): a small valid workbook whose Enterprises sheet is padded
to --megabytes of whitespace (over 1000:1), then the same file declaring a modest 100 kB.
Target: each refused in well under 5 s, without inflating the part (the tests check that).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from timing import timed

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests/test_hostile_files.py


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=300)
    args = parser.parse_args()
    from models.files import load_model
    from models.problems import ImportFailed
    from tests.test_hostile_files import patched_header, sheet_part, write_bomb, write_valid_book

    def refuse(path: Path) -> None:
        try:
            load_model(path)
        except ImportFailed:
            return
        raise SystemExit(f"{path.name} was not refused")

    with tempfile.TemporaryDirectory() as folder:
        good = write_valid_book(Path(folder) / "good.xlsx")
        part = sheet_part(good, "Enterprises")
        bomb = write_bomb(good, Path(folder) / "bomb.xlsx", part, megabytes=args.megabytes)
        liar = Path(folder) / "liar.xlsx"
        liar.write_bytes(patched_header(bomb, part, "size", 100_000))
        print(f"zip bomb: {bomb.stat().st_size / 1e3:.0f} kB inflating to {args.megabytes} MB")
        print(f"refuse the zip bomb:                 {timed(lambda: refuse(bomb)):.3f} s"
              f" (target < 5 s)")
        print(f"refuse the bomb that lies its size:  {timed(lambda: refuse(liar)):.3f} s"
              f" (target < 5 s)")


if __name__ == "__main__":
    main()
