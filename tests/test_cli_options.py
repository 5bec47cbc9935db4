"""Every numeric option of every command refuses a value out of its range, or not a finite
number, as bad usage (exit 2, a message naming the option), before any work is done."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.files import save_model
from planner.cli import main
from planner.generate import generate


@pytest.fixture(autouse=True)
def english_locale(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(scope="module")
def model_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "chain.json"
    save_model(generate(20, seed=2), path)
    return path


def usage_error(capsys, argv: list[str]) -> str:
    """Run the command, expect exit 2 and no traceback; the message."""
    with pytest.raises(SystemExit) as caught:
        main(argv)
    out, err = capsys.readouterr()
    assert caught.value.code == 2, out + err
    assert "Traceback" not in err
    return err


OPTIMISE_BAD = [
    ("--core-budget", "nan"), ("--core-budget", "-1"), ("--core-budget", "inf"),
    ("--government-budget", "-0.5"), ("--government-budget", "NaN"),
    ("--core-share", "7"), ("--core-share", "-0.1"), ("--core-share", "nan"),
    ("--sme-cost-cap", "-1"), ("--sme-cost-cap", "inf"),
    ("--time-limit", "-1"), ("--time-limit", "0"), ("--time-limit", "nan"),
    ("--time-limit", "1e999"), ("--explain", "-3"), ("--explain", "2.5"),
]


@pytest.mark.parametrize(("option", "value"), OPTIMISE_BAD,
                         ids=[f"{o}={v}" for o, v in OPTIMISE_BAD])
def test_optimise_refuses_a_bad_number_as_usage(capsys, model_file, tmp_path, option, value):
    argv = ["optimise", str(model_file), "--scenario", "Core-led", "--core-budget", "100",
            "--government-budget", "100", "--out", str(tmp_path / "out.json")]
    if option in argv:
        argv[argv.index(option) + 1] = value
    else:
        argv += [option, value]
    message = usage_error(capsys, argv)
    assert option in message, message
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("value", ["4", "-5", "0", "nan", "1e9", "100000000000"])
def test_generate_refuses_a_bad_number_of_enterprises_as_usage(capsys, tmp_path, value):
    message = usage_error(capsys, ["generate", "--enterprises", value,
                                   "--out", str(tmp_path / "g.json")])
    assert "--enterprises" in message, message
    assert not (tmp_path / "g.json").exists()


@pytest.mark.parametrize("value", ["wide", "1280", "0x800", "-1280x800", "99999x800",
                                   "1280x800x2", "nanxnan"])
def test_gui_refuses_a_bad_window_size_as_usage(capsys, value):
    message = usage_error(capsys, ["gui", "--size", value])
    assert "--size" in message, message


def test_optimise_accepts_numbers_at_the_ends_of_their_ranges(capsys, model_file, tmp_path):
    code = main(["optimise", str(model_file), "--scenario", "No programme", "--core-budget", "0",
                 "--government-budget", "0", "--core-share", "1", "--sme-cost-cap", "0",
                 "--time-limit", "5", "--explain", "0", "--out", str(tmp_path / "o.json")])
    out, err = capsys.readouterr()
    assert code == 0, out + err
