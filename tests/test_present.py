"""Presentation mode: full-screen slides of the charts and the comparison, stepped by keys."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt

from ui.compare import ComparisonView
from ui.document import Document
from ui.i18n import set_language
from ui.present import PresentationWindow


@pytest.fixture(autouse=True)
def _english():
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def window(qtbot, chain):
    chain.scenarios.append(dataclasses.replace(chain.scenarios[0], name="Faster", extra={}))
    win = PresentationWindow(Document(chain))
    qtbot.addWidget(win)
    win.present()
    qtbot.waitExposed(win)
    return win


def test_presentation_opens_full_screen_on_the_first_chart(window):
    assert window.isFullScreen()
    assert window.slide_index == 0
    assert window.slide_count == len(window.panel.charts) + 1
    assert window.current_title() == "Cost and benefit by year"
    assert window.counter.text() == f"1 / {window.slide_count}"
    assert "Base" in window.subtitle.text()


def test_keys_step_forward_and_back_through_every_slide(qtbot, window):
    titles = [window.current_title()]
    for expected in range(1, window.slide_count):
        with qtbot.waitSignal(window.slide_changed) as signal:
            qtbot.keyClick(window, Qt.Key.Key_Right)
        assert signal.args == [expected]
        titles.append(window.current_title())
        assert window.counter.text() == f"{expected + 1} / {window.slide_count}"
    assert len(set(titles)) == window.slide_count  # every slide has its own title
    assert titles[-1] == "Scenario comparison"
    assert isinstance(window.stack.currentWidget(), ComparisonView)
    assert window.comparison.results and len(window.comparison.results) == 2
    qtbot.keyClick(window, Qt.Key.Key_Right)  # the last slide stays
    assert window.slide_index == window.slide_count - 1
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.slide_index == window.slide_count - 2
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert window.slide_index == 0
    qtbot.keyClick(window, Qt.Key.Key_Left)  # the first slide stays
    assert window.slide_index == 0
    for key, index in ((Qt.Key.Key_PageDown, 1), (Qt.Key.Key_Space, 2), (Qt.Key.Key_PageUp, 1),
                       (Qt.Key.Key_End, window.slide_count - 1)):
        qtbot.keyClick(window, key)
        assert window.slide_index == index


def test_escape_leaves(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_slides_follow_the_documents_year_and_scenario(qtbot, window):
    document = window.document
    window.go_to(4)  # coverage by position and tier, in the document's year
    assert window.current_title().endswith(str(document.year))
    document.set_year(2027)
    assert window.current_title().endswith("2027")
    document.set_scenario("Faster")
    document.analyse_now()
    assert "Faster" in window.subtitle.text()
    chart = window.panel.charts[0]
    assert not chart.getPlotItem().titleLabel.isVisible()  # the slide title replaces it


def test_slides_in_chinese(qtbot, chain):
    set_language("zh_CN")
    win = PresentationWindow(Document(chain))
    qtbot.addWidget(win)
    assert win.current_title() == "逐年成本与效益"
    win.go_to(win.slide_count - 1)
    assert win.current_title() == "情景比较"
