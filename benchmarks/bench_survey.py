"""Writing surveys and collecting them back, on a generated chain.

    python benchmarks/bench_survey.py [--sizes 100 1000] [--repeat 1]

Prints the time to write 100 and 1,000 surveys (one per non-core firm of
``planner.generate.generate``) in English and Chinese, and to collect the 1,000 returned
unchanged. Target: 1,000 surveys in seconds, not minutes.
"""

from __future__ import annotations

import argparse
import functools
import tempfile
from pathlib import Path

from timing import timed

from models.survey import collect, write_surveys
from planner.generate import generate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    for size in args.sizes:
        model = generate(size + 1, seed=1)  # the core and ``size`` SMEs
        smes = sum(e.role != "core" for e in model.enterprises)
        for lang in ("en", "zh_CN"):
            with tempfile.TemporaryDirectory() as folder:
                seconds = timed(functools.partial(write_surveys, model, folder, lang), args.repeat)
                files = sorted(Path(folder).glob("*.xlsx"))
                kilobytes = sum(f.stat().st_size for f in files) / len(files) / 1024
                print(f"survey  {smes:>6,} SMEs  {lang:5}  {seconds:7.2f} s  "
                      f"({1000 * seconds / smes:.1f} ms each, {kilobytes:.0f} KB each, "
                      f"{len(model.links):,} links, {len(model.assessments):,} assessments)")
                seconds = timed(functools.partial(collect, model, files), args.repeat)
                print(f"collect {smes:>6,} returns {lang:5} {seconds:7.2f} s  "
                      f"({1000 * seconds / smes:.1f} ms each)")


if __name__ == "__main__":
    main()
