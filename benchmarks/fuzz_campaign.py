"""A long fuzzing campaign over the model files and the command line.

    python benchmarks/fuzz_campaign.py [--minutes 60] [--seed 1] [--keep DIR]

The same mutants as tests/fuzz (tests/fuzz/fuzzing.py makes them: the example workbooks and
their native JSON with bytes flipped, parts edited and packed again, cells, references, sheet
names and relationships changed, JSON values swapped for hostile ones), for as long as asked.
One input in ten runs a random `chainplan` command instead (numeric options now and then out
of range). Each input is checked in a worker capped at 2 GB and 30 s.

Prints, every minute and at the end: inputs tried, clean refusals, models read (valid, or
with errors the app shows), tracebacks, hangs, memory blow-ups, crashes and round-trip losses.
Every failing input is copied to --keep (default: a folder in the temporary directory):
make it small and add it to tests/fuzz/regressions/. Exits 1 if anything failed.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "fuzz"))

FIGURES = (("tried", "inputs tried"), ("refused", "clean refusals"),
           ("accepted", "read, valid"), ("accepted-invalid", "read, with errors shown"),
           ("traceback", "tracebacks"), ("hang", "hangs (> 30 s)"),
           ("memory", "memory blow-ups (> 2 GB)"), ("crash", "crashes"),
           ("loss", "round-trip losses"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None,
                        help="folder for failing inputs (default: a temporary folder)")
    args = parser.parse_args()
    from fuzzing import Tally, Worker, cli_command, make_seeds, mutate, run_cli

    work = Path(tempfile.mkdtemp(prefix="chainplan-campaign-"))
    keep = args.keep or work / "failed"
    seeds = make_seeds(work / "seeds")
    rng = random.Random(args.seed)
    tally = Tally()
    started = time.monotonic()
    deadline = started + args.minutes * 60
    last_report = started
    print(f"fuzzing for {args.minutes:g} min, seed {args.seed}, {len(seeds)} seed files; "
          f"failing inputs go to {keep}", flush=True)
    with Worker() as worker:
        while time.monotonic() < deadline:
            data, suffix = mutate(rng, rng.choice(seeds))
            path = work / f"input{suffix}"
            path.write_bytes(data)
            if rng.random() < 0.1:
                result = run_cli(cli_command(rng, path, work / "out.json"))
            else:
                result = worker.check(path, rng.choice(["en", "zh_CN"]))
            tally.add(result, path, keep)
            if time.monotonic() - last_report > 60:
                last_report = time.monotonic()
                print(f"{(last_report - started) / 60:5.1f} min  " + _line(tally), flush=True)
    elapsed = time.monotonic() - started
    print(f"\nafter {elapsed / 60:.1f} min (seed {args.seed}):")
    counts = {"tried": tally.tried, **tally.counts}
    for key, label in FIGURES:
        print(f"  {label:<28} {counts.get(key, 0):>7,}")
    print(f"  {'slowest input':<28} {tally.slowest:>7.1f} s")
    print(f"  {'inputs per minute':<28} {tally.tried / max(elapsed / 60, 1e-9):>7.0f}")
    for outcome, kept, detail in tally.failures:
        print(f"\n{outcome}: {kept}\n{detail[-1500:]}")
    return 1 if tally.failures else 0


def _line(tally: object) -> str:
    counts = {"tried": tally.tried, **tally.counts}  # type: ignore[attr-defined]
    return ", ".join(f"{counts.get(key, 0):,} {label.split(' (')[0]}" for key, label in FIGURES)


if __name__ == "__main__":
    sys.exit(main())
