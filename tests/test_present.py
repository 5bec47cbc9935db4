"""Presentation mode: full-screen slides of the charts and the comparison, stepped by keys;
the comparison is a slide (every row painted), percent slides name no amount unit."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from models.chain import Enterprise
from planner.kpis import KPIS
from ui.document import Document
from ui.i18n import set_language
from ui.present import ComparisonSlide, PresentationWindow


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
    assert window.slide_count == len(window.panel.charts) + 3  # table and two charts
    assert window.current_title() == "Cost and benefit by year"
    assert window.counter.text() == f"1 / {window.slide_count}"
    assert "Base" in window.subtitle.text() and "10k CNY" in window.subtitle.text()


def test_keys_step_forward_and_back_through_every_slide(qtbot, window):
    titles = [window.current_title()]
    for expected in range(1, window.slide_count):
        with qtbot.waitSignal(window.slide_changed) as signal:
            qtbot.keyClick(window, Qt.Key.Key_Right)
        assert signal.args == [expected]
        titles.append(window.current_title())
        assert window.counter.text() == f"{expected + 1} / {window.slide_count}"
    assert len(set(titles)) == window.slide_count  # every slide has its own title
    assert titles[-3:] == ["Scenario comparison", "Cumulative net benefit by scenario",
                           "Connected share by scenario"]
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


def test_the_comparison_slide_is_a_painted_table_with_every_row(qtbot, window):
    window.go_to(len(window.panel.charts))
    slide = window.stack.currentWidget()
    assert isinstance(slide, ComparisonSlide)
    assert slide.names == ["Base", "Faster"]
    assert [row.kpi.key for row in slide.rows] == [k.key for k in KPIS]
    assert slide.findChildren(QWidget) == []  # no baseline picker, no scroll bar: painted
    # every row fits the slide, at any size: the type shrinks rather than cutting rows off
    for width, height in ((1366, 768), (1920, 1080), (900, 500)):
        slide.resize(width, height)
        _font, row_h, label_w, columns = slide.layout_table()
        assert row_h * (len(slide.rows) + 1) <= height or slide.point_size <= 8
        assert label_w + sum(columns) <= width or slide.point_size <= 8
    slide.resize(1366, 700)
    image = QImage(slide.size(), QImage.Format.Format_RGB32)
    slide.render(image)
    assert len({image.pixel(x, y) for x in range(0, 1366, 20) for y in range(0, 700, 20)}) > 3


def test_percent_and_count_slides_name_no_amount_unit(window):
    subtitles = {}
    for index in range(window.slide_count):
        window.go_to(index)
        subtitles[window.current_title()] = window.subtitle.text()
    assert "10k CNY" in subtitles["Cost and benefit by year"]
    for title in ("Coverage over time", "Data islands", "Digital level: start and end",
                  "Connected share by scenario"):
        assert "10k CNY" not in subtitles[title] and "amounts" not in subtitles[title], title
    assert "10k CNY" in subtitles["Cumulative net benefit by scenario"]


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


def test_a_model_with_errors_shows_why_instead_of_slides(qtbot, chain):
    chain.enterprises.append(Enterprise(id="C2", name="Second core", role="core", size="large"))
    win = PresentationWindow(Document(chain))
    qtbot.addWidget(win)
    assert win.body.currentWidget() is win.message
    assert "errors" in win.message.text()


def test_slides_in_chinese(qtbot, chain):
    set_language("zh_CN")
    win = PresentationWindow(Document(chain))
    qtbot.addWidget(win)
    assert win.current_title() == "逐年成本与效益"
    win.go_to(len(win.panel.charts))
    assert win.current_title() == "情景比较"
