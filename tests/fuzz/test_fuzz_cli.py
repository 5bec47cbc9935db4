"""The command line on mutated files, with numeric options now and then out of range: it exits
0, 1 or 2 and never prints a traceback, within 30 s and 2 GB per command."""

from __future__ import annotations

import random

from fuzzing import FAILURES, cli_command, make_seeds, mutate, run_cli


def test_commands_on_mutants_exit_0_1_or_2_without_a_traceback(tmp_path):
    seeds = make_seeds(tmp_path / "seeds")
    rng = random.Random(20261202)
    failures = []
    for number in range(14):
        data, suffix = mutate(rng, rng.choice(seeds)) if number % 4 else (
            rng.choice(seeds).read_bytes(), ".xlsx")  # now and then an intact file
        path = tmp_path / f"input-{number}{suffix}"
        path.write_bytes(data)
        argv = cli_command(rng, path, tmp_path / f"out-{number}.json")
        result = run_cli(argv)
        if result.outcome in FAILURES:
            failures.append(f"{result.outcome}: {path}\n{result.detail}")
    assert not failures, "\n\n".join(failures)
