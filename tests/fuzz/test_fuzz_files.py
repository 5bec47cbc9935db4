"""Mutants of the example workbooks and native files are read or refused cleanly, within 30 s
and 2 GB each, and whatever is read is written and read back the same.

The mutants are made by tests/fuzz/fuzzing.py from fixed seeds, so a run is reproducible;
benchmarks/fuzz_campaign.py runs the same for as long as you like. An input that ever failed
is kept in tests/fuzz/regressions/ and checked here on every run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzzing import FAILURES, REGRESSIONS, Worker, fuzz_files, make_seeds


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> list[Path]:
    return make_seeds(tmp_path_factory.mktemp("seeds"))


@pytest.fixture(scope="module")
def worker():
    with Worker() as checker:
        yield checker


def report(tally) -> str:
    lines = [f"{dict(tally.counts)}; failing inputs kept (copy each to tests/fuzz/regressions/):"]
    lines += [f"{outcome}: {path}\n{detail[-1500:]}" for outcome, path, detail in tally.failures]
    return "\n".join(lines)


@pytest.mark.parametrize(("kind", "count", "seed"), [(".xlsx", 120, 20261130),
                                                     (".json", 120, 20261201)],
                         ids=["workbooks", "native-files"])
def test_mutants_are_read_or_refused_cleanly_and_read_back_the_same(seeds, worker, tmp_path,
                                                                     kind, count, seed):
    tally = fuzz_files(seeds, count, seed, tmp_path, worker, keep=tmp_path / "failed",
                       suffixes=(kind,))
    assert not tally.failures, report(tally)
    assert tally.counts["refused"] > 0  # the mutants reach both outcomes
    assert tally.counts["accepted"] + tally.counts["accepted-invalid"] > 0


REGRESSION_FILES = sorted(p for p in REGRESSIONS.iterdir() if p.suffix in (".xlsx", ".json"))


@pytest.mark.parametrize("path", REGRESSION_FILES, ids=[p.name for p in REGRESSION_FILES])
def test_inputs_that_once_failed_are_read_or_refused_cleanly(worker, path):
    result = worker.check(path)
    assert result.outcome not in FAILURES, f"{result.outcome}: {result.detail}"
