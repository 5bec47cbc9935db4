"""The app's colours, in one place: canvas, legend and charts all draw from here.

Categories use the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal
Design"), which stays distinguishable for the common colour-vision deficiencies
and in greyscale print; digital levels use a sequential ramp (ColorBrewer
YlGnBu, colour-blind safe) whose lightness rises with the level, so level order
reads even without hue.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

# Okabe–Ito
BLACK = QColor("#000000")
ORANGE = QColor("#E69F00")
SKY_BLUE = QColor("#56B4E9")
BLUISH_GREEN = QColor("#009E73")
YELLOW = QColor("#F0E442")
BLUE = QColor("#0072B2")
VERMILLION = QColor("#D55E00")
REDDISH_PURPLE = QColor("#CC79A7")
GREY = QColor("#8C8C8C")

ROLE_COLOURS = {
    "core": VERMILLION,
    "supplier": BLUE,
    "distributor": BLUISH_GREEN,
    "customer": ORANGE,
    "service": REDDISH_PURPLE,
}

# digital level 1..4 (数字化水平 一级…四级): ColorBrewer YlGnBu, light to dark
LEVEL_COLOURS = {
    1: QColor("#C7E9B4"),
    2: QColor("#41B6C4"),
    3: QColor("#2C7FB8"),
    4: QColor("#253494"),
}

PARTY_COLOURS = {
    "core": VERMILLION,
    "sme": BLUE,
    "government": BLUISH_GREEN,
}

# series for charts, in the order to use them (no yellow: too light on white)
SERIES = [BLUE, VERMILLION, BLUISH_GREEN, ORANGE, REDDISH_PURPLE, SKY_BLUE, BLACK, GREY]

FADED = 0.15  # opacity of what a filter leaves out
PALE = 0.62  # how far a node not yet on the platform is mixed toward PAPER

INK = QColor("#202124")  # text and strong outlines
MUTED_INK = QColor("#5F6368")  # secondary text
PAPER = QColor("#FFFFFF")  # canvas background
PANEL = QColor("#F4F6F8")  # tier column background
PANEL_ALT = QColor("#EBEEF2")  # the core and detached columns
BAND = QColor(0, 0, 0, 14)  # park group background
LINK = QColor("#4D5A66")  # link colour
LINK_CONNECTED = QColor("#0072B2")  # data-connected link (solid)
TARGET_RING = INK  # ring around an enterprise at or above the target level
PLATFORM_MARK = INK  # dot of an enterprise on the data platform
SELECTION = YELLOW  # selection halo, outlined with INK


def role_colour(role: str) -> QColor:
    return ROLE_COLOURS.get(role, GREY)


def level_colour(level: int) -> QColor:
    return LEVEL_COLOURS[min(4, max(1, int(level)))]


def series_colour(index: int) -> QColor:
    return SERIES[index % len(SERIES)]


def mix(colour: QColor, other: QColor, amount: float) -> QColor:
    """``colour`` moved ``amount`` (0..1) of the way toward ``other``."""
    keep = 1.0 - amount
    return QColor.fromRgbF(colour.redF() * keep + other.redF() * amount,
                           colour.greenF() * keep + other.greenF() * amount,
                           colour.blueF() * keep + other.blueF() * amount,
                           colour.alphaF() * keep + other.alphaF() * amount)


def pale(colour: QColor) -> QColor:
    """The washed-out version used for an enterprise not (yet) on the platform."""
    return mix(colour, PAPER, PALE)


def faded(colour: QColor, alpha: float = FADED) -> QColor:
    result = QColor(colour)
    result.setAlphaF(colour.alphaF() * alpha)
    return result


def text_on(colour: QColor) -> QColor:
    """Black or white, whichever reads better on ``colour``."""
    luma = 0.299 * colour.redF() + 0.587 * colour.greenF() + 0.114 * colour.blueF()
    return INK if luma > 0.55 else PAPER
