"""Before Qt starts on Linux: are the system libraries Qt needs there, and is there a display?

PySide6's wheels bring Qt itself but not the system libraries Qt's GUI and its X11 (xcb)
platform plugin link against; without them, or without a display, Qt aborts with a message
that names neither the cause nor the fix. This module imports no Qt, so it can say both
in one line first.
"""

from __future__ import annotations

import ctypes
import os
import sys

# soname: the Debian/Ubuntu package holding it, as `readelf -d` lists them for PySide6's
# libQt6Gui, libQt6DBus (any platform) and the xcb plugin (X11); README.md's apt-get line
# installs these packages
GUI_LIBRARIES = {
    "libGL.so.1": "libgl1", "libEGL.so.1": "libegl1", "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6", "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3", "libxkbcommon.so.0": "libxkbcommon0",
    "libX11.so.6": "libx11-6",
}
XCB_LIBRARIES = {
    "libX11-xcb.so.1": "libx11-xcb1", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb.so.1": "libxcb1", "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1", "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0", "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0", "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1", "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0", "libxcb-xkb.so.1": "libxcb-xkb1",
}


def startup_problem(screenshot: bool = False) -> str | None:
    """Why the desktop app cannot start here, and the command that fixes it; None if it can.

    Only Linux is checked: there the libraries of Qt's GUI are loaded one by one, and
    when the platform will be xcb (``QT_QPA_PLATFORM`` "xcb", or unset outside a Wayland
    session) those of the xcb plugin too, and ``DISPLAY`` must name a display.
    """
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "").strip()
    wayland = bool(os.environ.get("WAYLAND_DISPLAY"))
    xcb = platform == "xcb" or (not platform and not wayland)
    needed = {**GUI_LIBRARIES, **XCB_LIBRARIES} if xcb else GUI_LIBRARIES
    missing = []
    for soname, package in needed.items():
        try:
            ctypes.CDLL(soname)
        except OSError:
            missing.append((soname, package))
    if missing:
        return (f"the desktop app cannot start: system libraries Qt needs are missing "
                f"({', '.join(s for s, _ in missing)}); install them with: "
                f"sudo apt-get install {' '.join(p for _, p in missing)}")
    if xcb and not os.environ.get("DISPLAY"):
        offscreen = ("; a screenshot needs none: QT_QPA_PLATFORM=offscreen chainplan gui "
                     "--screenshot PNG" if screenshot else "")
        return ("the desktop app needs a display and DISPLAY is not set: run it in a desktop "
                f"session, or in a virtual one: xvfb-run -a chainplan{offscreen}")
    return None
