"""The PDF report: every section, page numbers, both languages, embedded fonts, real pages."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from models.chain import Enterprise
from models.files import load_model
from ui.i18n import language, set_language
from ui.report import write_report

ROOT = Path(__file__).resolve().parent.parent

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm") and shutil.which("pdffonts")),
    reason="poppler-utils (pdftotext, pdftoppm, pdffonts) is not installed")


@pytest.fixture(autouse=True)
def _english():
    set_language("en")
    yield
    set_language("en")


def raw_text(path: Path, layout: bool = True) -> str:
    return subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def pdf_pages(path: Path, layout: bool = True) -> list[str]:
    """The text of each page, NFKC-normalised (full-width punctuation as ASCII).

    ``layout`` keeps table rows on one line; without it, text comes in reading order
    (a heading in a narrow column stays whole).
    """
    text = raw_text(path, layout)
    return [unicodedata.normalize("NFKC", page) for page in text.split("\f")[:-1]]


def pdf_text(path: Path) -> str:
    """All the text, both ways, squeezed: for finding titles and table rows alike."""
    return squeeze("\n".join(pdf_pages(path)) + "\n" + "\n".join(pdf_pages(path, False)))


def squeeze(text: str) -> str:
    """Without the line breaks and runs of spaces a table cell or a wrapped line adds."""
    return re.sub(r"\s+", " ", text)


def assert_pages_drawn(path: Path, tmp_path: Path, count: int) -> None:
    """Each page, rasterised, has ink on it: header, text, tables or pictures."""
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")],
                   check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == count
    for file in images:
        image = QImage(str(file))
        assert not image.isNull()
        w, h = image.width(), image.height()
        samples = [image.pixel(x, y) for x in range(0, w, 3) for y in range(0, h, 3)]
        inked = sum(1 for p in samples if p != 0xFFFFFFFF)
        assert inked > len(samples) * 0.005, f"{file.name} is (nearly) blank"
        assert len(set(samples)) > 2, f"{file.name} has no variation"


@needs_poppler
def test_report_of_the_small_chain_has_every_section_in_english(qtbot, chain, tmp_path):
    path = tmp_path / "small.pdf"
    write_report(chain, path, "en")
    pages = pdf_pages(path)
    count = len(pages)
    assert count >= 6
    text = pdf_text(path)
    for title in ("Small chain", "Chain digitalisation plan", "At a glance", "Contents",
                  "The chain", "Enterprises by position, tier and size",
                  "Digital levels at the start", "Enterprises by industrial park",
                  "Scenario: Base", "Key figures: Base", "Charts: Base", "Assignments: Base",
                  "Projects in this scenario", "Each assignment", "Scenario comparison",
                  "Key figures of every scenario", "Scenarios over time", "Assumptions",
                  "How the numbers are worked out", "Project catalogue", "Sources",
                  "Scenario rules", "Settings"):
        assert title in text, title
    # the assignment table: enterprise id and name, project, start year, core share, capex
    assert re.search(r"S1 Tier-1 Supplier PLAT 2026 50\.0% 16\.0 ", text)
    assert re.search(r"S1 Tier-1 Supplier ERP 2026 0\.0% 40\.0 ", text)
    assert "Cloud ERP" in text and "Platform onboarding" in text
    # KPIs as the CLI prints them
    assert "Benefit-cost ratio" in text and "Data islands (end)" in text
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {count}" in page
    assert_pages_drawn(path, tmp_path, count)


@needs_poppler
def test_report_in_chinese_has_chinese_titles_and_page_numbers(qtbot, chain, tmp_path):
    path = tmp_path / "small_zh.pdf"
    set_language("en")
    write_report(chain, path, "zh_CN")
    assert language() == "en"  # the interface language comes back
    pages = pdf_pages(path)
    text = pdf_text(path)
    for title in ("产业链数字化转型规划", "概览", "目录", "产业链概况", "按位置、层级与规模的企业数",
                  "情景:Base", "关键指标:Base", "项目分配:Base", "情景比较", "各情景关键指标",
                  "假设与依据", "计算方法", "项目目录", "数据来源", "情景规则", "净现值", "上游第 1 层"):
        assert title in text, title
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 页,共 {len(pages)} 页" in page
    # characters whose glyph the font shares with a radical (页, 车…) come out as characters
    assert not re.search("[\u2e80-\u2fdf]", raw_text(path))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts
    assert all(line.split()[-5] == "yes" for line in fonts), fonts  # every font embedded
    assert any("CJK" in line for line in fonts)


@needs_poppler
def test_report_of_the_vehicles_example_in_both_languages(qtbot, tmp_path):
    model = load_model(ROOT / "examples" / "vehicles.xlsx").model
    for lang, scenario_title, comparison in (("en", "Scenario: Core-led with subsidy",
                                              "Scenario comparison"),
                                             ("zh_CN", "情景:Core-led with subsidy", "情景比较")):
        path = tmp_path / f"vehicles_{lang}.pdf"
        write_report(model, path, lang)  # how fast: benchmarks/bench_report.py
        pages = pdf_pages(path)
        text = pdf_text(path)
        assert model.settings.model_name in text  # 汽车 too, not 汽⻋
        assert scenario_title in text and comparison in text
        assert all(s.name in text for s in model.scenarios)
        contents = pages[0]
        assert re.search(r"(The chain|产业链概况)\s+2\b", contents)  # the contents give pages
        (tmp_path / lang).mkdir()
        assert_pages_drawn(path, tmp_path / lang, len(pages))


def test_a_model_with_errors_is_refused(qtbot, chain, tmp_path):
    chain.enterprises.append(Enterprise(id="C2", name="Second core", role="core", size="large"))
    with pytest.raises(ValueError, match="errors"):
        write_report(chain, tmp_path / "bad.pdf", "en")
    assert not (tmp_path / "bad.pdf").exists()
    assert language() == "en"


def test_progress_is_reported_to_the_end(qtbot, chain, tmp_path):
    seen: list[float] = []
    write_report(chain, tmp_path / "progress.pdf", "en", progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert (tmp_path / "progress.pdf").stat().st_size > 10_000
