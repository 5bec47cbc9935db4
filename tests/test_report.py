"""The PDF report: every section, page numbers, both languages, embedded fonts, vector
charts, the chain on a page of its own, real pages; exported from the app in the
background with progress and Cancel."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from models.chain import Enterprise, Link
from models.files import load_model
from planner.report import build_report
from ui.i18n import language, set_language
from ui.report_pdf import pdf_steps, write_pdf

ROOT = Path(__file__).resolve().parent.parent

needs_poppler = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "pdffonts", "pdfinfo",
                                            "pdfimages")),
    reason="poppler-utils (pdftotext, pdftoppm, pdffonts, pdfinfo, pdfimages) is not installed")


@pytest.fixture(autouse=True)
def _english():
    set_language("en")
    yield
    set_language("en")


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def pdf_pages(path: Path, layout: bool = True) -> list[str]:
    """The text of each page, NFKC-normalised (full-width punctuation as ASCII)."""
    text = run("pdftotext", *(["-layout"] if layout else []), str(path), "-")
    return [unicodedata.normalize("NFKC", page) for page in text.split("\f")[:-1]]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def pdf_text(path: Path) -> str:
    """All the text, both ways, squeezed: for finding titles and table rows alike."""
    return squeeze("\n".join(pdf_pages(path)) + "\n" + "\n".join(pdf_pages(path, False)))


def page_sizes(path: Path) -> list[tuple[float, float]]:
    """(width, height) in points of every page."""
    info = run("pdfinfo", "-f", "1", "-l", "999", str(path))
    return [(float(w), float(h)) for w, h in
            re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def assert_pages_drawn(path: Path, folder: Path, count: int) -> None:
    """Each page, rasterised, has ink on it: header, text, tables or pictures."""
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(folder / "page")], check=True)
    images = sorted(folder.glob("page-*.png"))
    assert len(images) == count
    for file in images:
        image = QImage(str(file))
        w, h = image.width(), image.height()
        samples = [image.pixel(x, y) for x in range(0, w, 3) for y in range(0, h, 3)]
        inked = sum(1 for p in samples if p != 0xFFFFFFFF)
        assert inked > len(samples) * 0.005, f"{file.name} is (nearly) blank"


def write(model, path: Path, lang: str) -> Path:
    write_pdf(build_report(model, lang), path)
    return path


@needs_poppler
def test_report_of_the_small_chain_has_every_section_and_page_numbers(qtbot, chain, tmp_path):
    path = write(chain, tmp_path / "small.pdf", "en")
    pages = pdf_pages(path)
    text = pdf_text(path)
    for title in ("Small chain", "Chain digitalisation plan", "At a glance", "Contents",
                  "The chain", "The chain at a glance", "Scenario: Base", "Key figures: Base",
                  "Charts: Base", "Cost and benefit by year", "Coverage by park, 2030",
                  "Assignments: Base", "By project", "By position and tier",
                  "Scenario comparison", "Assumptions", "Project catalogue",
                  "Appendix: every assignment"):
        assert title in text, title
    # the appendix row: enterprise id and name, project, start year, core share, capex
    assert re.search(r"S1 Tier-1 Supplier PLAT 2026 50\.0% 16\.0 ", text)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    # the contents give each chapter's page
    first = pages[0]
    for chapter in build_report(chain, "en").chapters():
        number = next(n for n, page in enumerate(pages, start=1)
                      if page.lstrip().startswith(chapter) or f"\n{chapter}\n" in page)
        assert re.search(re.escape(chapter) + r"[ .]*\s" + str(number) + r"\b", first), chapter
    assert_pages_drawn(path, tmp_path, len(pages))


@needs_poppler
def test_report_in_chinese_has_chinese_titles_and_searchable_characters(qtbot, chain, tmp_path):
    path = write(chain, tmp_path / "small_zh.pdf", "zh_CN")
    assert language() == "en"  # the interface language is not touched
    pages = pdf_pages(path)
    text = pdf_text(path)
    for title in ("产业链数字化转型规划", "概览", "目录", "产业链概况", "产业链全景",
                  "情景:Base", "关键指标:Base", "按项目", "按位置与层级", "情景比较", "假设与依据",
                  "项目目录", "附录:分配明细", "净现值", "上游第 1 层", "逐年成本与效益"):
        assert title in text, title
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 页,共 {len(pages)} 页" in page
    # characters whose glyph the font shares with a radical (页, 车…) come out as characters
    assert not re.search("[\u2e80-\u2fdf]", run("pdftotext", str(path), "-"))
    fonts = run("pdffonts", str(path)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # embedded
    assert any("CJK" in line for line in fonts)


@needs_poppler
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_vehicles_report_is_small_vector_and_gives_the_chain_a_page(qtbot, tmp_path, lang):
    model = load_model(ROOT / "examples" / "vehicles.xlsx").model
    path = write(model, tmp_path / f"vehicles_{lang}.pdf", lang)
    pages = pdf_pages(path, layout=False)
    text = pdf_text(path)
    assert model.settings.model_name.split()[-1] in text  # 汽车 too, not 汽⻋
    assert all(s.name in text for s in model.scenarios)
    # charts and the chain are vector paths: no picture at all, and the file stays small
    assert run("pdfimages", "-list", str(path)).splitlines()[2:] == []
    assert path.stat().st_size < 1_000_000
    # the chain picture has a page to itself, with every enterprise named
    title = "The chain at a glance" if lang == "en" else "产业链全景"
    (page,) = [p for p in pages if p.lstrip().startswith(title)]
    names = [e.name.split()[0] if lang == "en" else e.name.split()[-1][:2]
             for e in model.enterprises]
    assert sum(name in squeeze(page) for name in names) >= len(names) * 0.9
    assert_pages_drawn(path, tmp_path, len(pages))


@needs_poppler
def test_a_chain_wider_than_tall_is_drawn_on_a_landscape_page(qtbot, chain, tmp_path):
    # a long chain: five tiers up, two down, one firm each
    for k in range(3, 8):
        chain.enterprises.append(Enterprise(id=f"S{k}", name=f"Supplier {k}", role="supplier",
                                            size="small"))
        chain.links.append(Link(supplier=f"S{k}", buyer=f"S{k - 1}", annual_value=100.0))
    chain.enterprises.append(Enterprise(id="D2", name="Retail", role="customer", size="micro"))
    chain.links.append(Link(supplier="D1", buyer="D2", annual_value=50.0))
    path = write(chain, tmp_path / "long.pdf", "en")
    pages = pdf_pages(path, layout=False)
    sizes = page_sizes(path)
    chain_page = next(i for i, p in enumerate(pages) if p.lstrip().startswith(
        "The chain at a glance"))
    width, height = sizes[chain_page]
    assert width > height  # landscape
    assert all(w < h for i, (w, h) in enumerate(sizes) if i != chain_page)
    assert f"Page {chain_page + 1} of {len(pages)}" in pages[chain_page]


def test_stopping_the_steps_leaves_no_file(qtbot, chain, tmp_path):
    path = tmp_path / "stopped.pdf"
    steps = pdf_steps(build_report(chain, "en"), path)
    done = [next(steps) for _ in range(3)]
    assert done == sorted(done) and done[-1] < 1.0
    steps.close()  # what Cancel does
    assert not path.exists()


def test_progress_is_reported_to_the_end(qtbot, chain, tmp_path):
    seen: list[float] = []
    write_pdf(build_report(chain, "en"), tmp_path / "progress.pdf", progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert (tmp_path / "progress.pdf").stat().st_size > 10_000


def test_the_report_command_builds_no_window_document_or_charts_widget(tmp_path):
    """``chainplan report`` paints through ui.app alone: no Document, undo stack or window."""
    out = tmp_path / "cli.pdf"
    code = ("import sys; from planner.cli import main; "
            f"code = main(['report', {str(ROOT / 'examples' / 'aircraft.xlsx')!r}, '--out', "
            f"{str(out)!r}]); "
            "import gc; built = {type(o).__name__ for o in gc.get_objects()} & "
            "{'Document', 'QUndoStack', 'MainWindow'}; "
            "print(code, sorted(built | {m for m in sys.modules if m in ('ui.main_window', "
            "'ui.canvas', 'ui.charts', 'pyqtgraph')}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT, env={"QT_QPA_PLATFORM": "offscreen",
                                                       "PATH": "/usr/bin:/bin",
                                                       "HOME": str(tmp_path)})
    assert result.stdout.strip().splitlines()[-1] == "0 []"
    assert out.stat().st_size > 10_000


# --- the app's export ------------------------------------------------------------------------
def test_export_runs_in_the_background_and_says_when_done(qtbot, chain, tmp_path):
    from ui.document import Document
    from ui.report_pdf import ReportExport

    document = Document(chain)
    path = tmp_path / "app.pdf"
    export = ReportExport(document, str(path), "en")
    with qtbot.waitSignal(export.done, timeout=60_000) as done:
        export.start()
        assert not path.exists() or path.stat().st_size == 0  # nothing written up front
    assert done.args == [str(path)]
    assert path.stat().st_size > 10_000


def test_export_can_be_cancelled_and_leaves_no_file(qtbot, tmp_path):
    from ui.document import Document
    from ui.report_pdf import ReportExport

    document = Document(load_model(ROOT / "examples" / "vehicles.xlsx").model)
    path = tmp_path / "cancelled.pdf"
    export = ReportExport(document, str(path), "en")
    with qtbot.waitSignal(export.progress, timeout=30_000):  # painting has begun
        export.start()
    export.cancel()
    qtbot.wait(50)
    assert not path.exists()
    assert export.steps is None


def test_export_of_a_model_with_errors_says_so(qtbot, chain, tmp_path):
    from ui.document import Document
    from ui.report_pdf import ReportExport

    chain.enterprises.append(Enterprise(id="C2", name="Second core", role="core", size="large"))
    export = ReportExport(Document(chain), str(tmp_path / "bad.pdf"), "en")
    with qtbot.waitSignal(export.failed) as failed:
        export.start()
    assert "errors" in str(failed.args[0])
    assert not (tmp_path / "bad.pdf").exists()


@needs_poppler
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_policy_section_is_printed_with_its_instruments_money_and_parks(qtbot, chain,
                                                                          tmp_path, lang):
    from tests.test_compare import policy_chain

    path = write(policy_chain(chain), tmp_path / f"policy_{lang}.pdf", lang)
    text = pdf_text(path)
    words = {"en": ("Policy: Park mix", "paid only once a firm reaches level 2 (事后奖补",
                    "50 % of the interest paid by the government (贷款贴息)",
                    "Public money by instrument and year", "SMEs by payback year",
                    "Per-firm figures", "Park projects", "Lingang park P5G Park 5G network 2026",
                    "Members of Lingang park (2)", "What the figures mean"),
             "zh_CN": ("政策:Park mix", "事后奖补", "贷款贴息", "按政策工具与年份的财政资金",
                       "中小企业按回收年份", "每家企业的指标", "园区项目", "指标含义")}[lang]
    for found in words:
        assert found in text, found
    assert_pages_drawn(path, tmp_path, len(pdf_pages(path)))
