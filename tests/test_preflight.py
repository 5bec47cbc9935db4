"""The desktop app's start-up check (ui/preflight.py): a missing system library or no display
is one line on stderr with the command that fixes it, and exit 1 instead of Qt's abort."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import ui.app
from planner.cli import main
from ui import preflight
from ui.preflight import GUI_LIBRARIES, XCB_LIBRARIES, startup_problem

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture
def linux_x11(monkeypatch):
    """Linux with an X display and Qt left to choose its platform (xcb); Qt never starts."""
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.setattr(ui.app, "run_gui", _must_not_start)


def _must_not_start(*args: object, **kwargs: object) -> int:
    raise AssertionError("Qt was started")


def without(monkeypatch, *sonames: str) -> list[str]:
    """Make ``sonames`` fail to load; return every soname the check asked for."""
    asked: list[str] = []

    def load(name: str, *args: object, **kwargs: object) -> object:
        asked.append(name)
        if name in sonames:
            raise OSError(f"{name}: cannot open shared object file: No such file or directory")
        return object()

    monkeypatch.setattr(preflight.ctypes, "CDLL", load)
    return asked


def test_a_missing_xcb_library_is_one_line_naming_it_and_the_package_and_exit_1(
        linux_x11, monkeypatch, capsys):
    asked = without(monkeypatch, "libxcb-cursor.so.0")
    assert main(["gui"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1, err
    assert "libxcb-cursor.so.0" in err
    assert err.rstrip().endswith("sudo apt-get install libxcb-cursor0")
    assert set(asked) == set(GUI_LIBRARIES) | set(XCB_LIBRARIES)


def test_every_missing_library_is_named_in_the_same_line(linux_x11, monkeypatch, capsys):
    without(monkeypatch, "libGL.so.1", "libxcb-icccm.so.4", "libxcb-keysyms.so.1")
    assert main(["gui", "--screenshot", "x.png"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "sudo apt-get install libgl1 libxcb-icccm4 libxcb-keysyms1" in err


def test_no_display_is_one_line_suggesting_a_desktop_session_or_xvfb(linux_x11, monkeypatch,
                                                                      capsys):
    without(monkeypatch)
    monkeypatch.delenv("DISPLAY")
    assert main(["gui"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "DISPLAY" in err and "xvfb-run -a chainplan" in err
    assert "offscreen" not in err
    assert main(["gui", "--screenshot", "x.png"]) == 1  # a screenshot needs no display at all
    assert "QT_QPA_PLATFORM=offscreen chainplan gui --screenshot" in capsys.readouterr().err


def test_other_platforms_need_no_xcb_library_and_no_display(linux_x11, monkeypatch):
    asked = without(monkeypatch, "libxcb-cursor.so.0")
    monkeypatch.delenv("DISPLAY")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert startup_problem(screenshot=True) is None
    assert set(asked) == set(GUI_LIBRARIES)
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")  # Qt picks its Wayland plugin
    assert startup_problem() is None


def test_nothing_is_checked_outside_linux(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(preflight.ctypes, "CDLL", _must_not_start)
    assert startup_problem() is None


def test_this_machine_has_what_the_offscreen_tests_need(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert startup_problem() is None  # the check loads the real libraries


def test_the_readme_installs_every_package_the_check_asks_for():
    text = README.read_text(encoding="utf-8")
    line = re.search(r"sudo apt-get install ((?:[^\n]*\\\n)*[^\n]*)", text)  # with \ lines
    assert line, "README.md has no apt-get line"
    listed = line.group(1).replace("\\", " ").split()
    assert sorted(listed) == sorted({*GUI_LIBRARIES.values(), *XCB_LIBRARIES.values()})
