"""Broken and hostile files are refused with a clear message, never a crash or a hang.

What is refused and why: docs/file-format.md ("On import"). How fast: benchmarks/bench_hostile.py.

Every file is built here, from a small valid workbook written by the app itself
and then damaged with zipfile or openpyxl. Files that could make the native
reader abort the whole process are opened in a child Python process.
"""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
import threading
import time
import tracemalloc
import zipfile
from pathlib import Path
from typing import ClassVar

import openpyxl
import pytest
from python_calamine import CalamineWorkbook as CALAMINE

from models import workbook
from models.files import load_model
from models.problems import ImportFailed
from planner.generate import generate

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CJK = re.compile(r"[\u4e00-\u9fff]")
FAR_ROW = 1048576
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_STRINGS_TYPE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings")

# "Billion laughs": ten levels of entities, each expanding the previous one ten times.
LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (level, (b"&lol%d;" % (level - 1) if level > 1
                                                          else b"&lol;") * 10)
                     for level in range(1, 10))
          + b"]>")


# --- builders ------------------------------------------------------------------------------

def write_valid_book(path: Path) -> Path:
    workbook.save_workbook(generate(12, seed=3), path)
    return path


@pytest.fixture
def good_book(tmp_path: Path) -> Path:
    return write_valid_book(tmp_path / "good.xlsx")


def sheet_part(path: Path, title: str) -> str:
    """The zip member holding the sheet called ``title`` (via workbook.xml and its rels)."""
    with zipfile.ZipFile(path) as archive:
        book = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet name="{title}"[^>]*r:id="(\w+)"', book).group(1)
    target = re.search(rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels).group(1)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def rewrite(src: Path, dst: Path, replace: dict[str, bytes] | None = None,
            rename: dict[str, str] | None = None) -> Path:
    """Copy a zip, swapping the content of some members and the names of others."""
    replace, rename = dict(replace or {}), rename or {}
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = replace.pop(info.filename, None)
            new.writestr(rename.get(info.filename, info.filename),
                         old.read(info) if data is None else data)
        for name, data in replace.items():  # members that were not there before
            new.writestr(name, data)
    return dst


def read_part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def with_far_cell(sheet_xml: bytes, row_xml: bytes) -> bytes:
    """A worksheet with one more row appended to its data."""
    assert b"</sheetData>" in sheet_xml
    return sheet_xml.replace(b"</sheetData>", row_xml + b"</sheetData>")


def move_part(src: Path, dst: Path, old: str, new: str, content: bytes) -> Path:
    """Store a sheet under another member name, with the relationship pointing to it."""
    rels = read_part(src, "xl/_rels/workbook.xml.rels")
    types = read_part(src, "[Content_Types].xml")
    for written in ("/" + old, old.removeprefix("xl/")):  # absolute or relative to xl/
        target = f'Target="{written}"'.encode()
        if target in rels:
            rels = rels.replace(target, f'Target="/{new}"'.encode())
            break
    else:
        raise AssertionError(f"no relationship points to {old}")
    types = types.replace(b"/" + old.encode(), b"/" + new.encode())
    return rewrite(src, dst, {old: content, "xl/_rels/workbook.xml.rels": rels,
                              "[Content_Types].xml": types}, {old: new})


def with_shared_strings(src: Path, dst: Path, sst_xml: bytes) -> Path:
    """The workbook with the core's id moved from an inline string to xl/sharedStrings.xml."""
    part = sheet_part(src, "Enterprises")
    sheet = read_part(src, part)
    inline = b'<c r="A2" t="inlineStr"><is><t>CORE</t></is></c>'
    assert inline in sheet
    rels = read_part(src, "xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>", b'<Relationship Type="' + SHARED_STRINGS_TYPE.encode()
        + b'" Target="sharedStrings.xml" Id="rIdStrings" /></Relationships>')
    types = read_part(src, "[Content_Types].xml").replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>')
    return rewrite(src, dst, {part: sheet.replace(inline, b'<c r="A2" t="s"><v>0</v></c>'),
                              "xl/_rels/workbook.xml.rels": rels, "[Content_Types].xml": types,
                              "xl/sharedStrings.xml": sst_xml})


def shared_strings(first: bytes = b"CORE", doctype: bytes = b"") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n' + doctype
            + b'<sst xmlns="' + MAIN_NS.encode() + b'" count="1" uniqueCount="1"><si><t>'
            + first + b"</t></si></sst>")


def write_bomb(src: Path, dst: Path, part: str, megabytes: int) -> Path:
    """Pad one worksheet with whitespace inside its XML, streamed so memory stays low."""
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename != part:
                new.writestr(info.filename, data)
                continue
            head, sep, tail = data.partition(b"<sheetData>")
            with new.open(part, "w") as out:
                out.write(head)
                for _ in range(megabytes):
                    out.write(chunk)
                out.write(sep + tail)
    return dst


def central_record(data: bytes, name: str) -> int:
    """Offset of ``name``'s entry in the zip's central directory."""
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) >= 0:
        length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46:start + 46 + length] == name.encode():
            return start
        start += 4
    raise AssertionError(f"{name} not in the central directory")


def patched_header(path: Path, name: str, field: str, value: int | None = None) -> bytes:
    """The zip's bytes with ``name``'s CRC flipped or its declared size set, in both headers."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    data = bytearray(path.read_bytes())
    local, central = info.header_offset, central_record(bytes(data), name)
    assert data[local:local + 4] == b"PK\x03\x04"
    if field == "crc":
        struct.pack_into("<I", data, local + 14, info.CRC ^ 0xFFFFFFFF)
        struct.pack_into("<I", data, central + 16, info.CRC ^ 0xFFFFFFFF)
    else:
        struct.pack_into("<I", data, local + 22, value)
        struct.pack_into("<I", data, central + 24, value)
    return bytes(data)


def ole_file(*streams: str) -> bytes:
    """A (minimal) OLE compound file whose directory names the given streams."""
    names = b"".join(name.encode("utf-16-le") + b"\0\0" for name in ("Root Entry", *streams))
    return OLE_MAGIC + b"\0" * 504 + names.ljust(1024, b"\0")


# --- checks --------------------------------------------------------------------------------

def refusal(path: Path) -> str:
    """Load ``path``, expect a refusal in both languages; the English text, lower case."""
    with pytest.raises(ImportFailed) as caught:
        load_model(path)
    problems = caught.value.problems
    assert problems, "a refusal must say why"
    assert all(p.is_error for p in problems)
    zh = "\n".join(p.text("zh_CN") for p in problems)
    assert CJK.search(zh), zh
    return "\n".join(p.text("en") for p in problems).lower()


CHILD_MEMORY = 1024 * 2**20  # address space of a child: a hostile file is refused well under 2 GB
LOAD_SCRIPT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
from models.files import load_model
from models.problems import ImportFailed
try:
    loaded = load_model(sys.argv[1], allow_invalid=True)
except ImportFailed as failure:
    print("\\n".join(p.text("en") for p in failure.problems))
    sys.exit(3)
print("loaded", len(loaded.model.enterprises), "enterprises")
print("\\n".join(p.text("en") for p in loaded.problems))
"""


def load_in_child(path: Path) -> subprocess.CompletedProcess[str]:
    """Load in a child process whose memory is capped: a native reader that aborts must not
    take pytest with it, and one that needs gigabytes fails the test instead of the machine."""
    return subprocess.run([sys.executable, "-c", LOAD_SCRIPT, str(path), str(CHILD_MEMORY)],
                          capture_output=True, text=True, timeout=120, cwd=path.parent,
                          env={**os.environ, "RUST_BACKTRACE": "0"}, check=False)


def assert_refused_in_child(path: Path, *words: str) -> str:
    child = load_in_child(path)
    assert child.returncode == 3, (
        f"expected a refusal (exit 3), got exit {child.returncode}; the reader may have "
        f"aborted the process.\nstdout: {child.stdout[-500:]}\nstderr: {child.stderr[-500:]}")
    for word in words:
        assert word in child.stdout, child.stdout
    return child.stdout


# --- not a workbook, damaged, protected ------------------------------------------------------

def _text_file(good: Path, path: Path) -> None:
    path.write_text("id,name,role\nCORE,Core Manufacturer,core\n", encoding="utf-8")


def _empty_file(good: Path, path: Path) -> None:
    path.write_bytes(b"")


def _first_half(good: Path, path: Path) -> None:
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _zip_without_workbook_part(good: Path, path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", read_part(good, "[Content_Types].xml"))
        archive.writestr("docs/readme.txt", "just a zip")


def _bad_crc(good: Path, path: Path) -> None:
    path.write_bytes(patched_header(good, sheet_part(good, "Enterprises"), "crc"))


def _encrypted(good: Path, path: Path) -> None:
    path.write_bytes(ole_file("EncryptionInfo", "EncryptedPackage"))


def _old_xls(good: Path, path: Path) -> None:
    path.write_bytes(ole_file("Workbook", "\x05SummaryInformation"))


@pytest.mark.parametrize(("build", "expected"), [
    (_text_file, r"not an excel workbook"),
    (_empty_file, r"not an excel workbook|empty"),
    (_first_half, r"damaged|incomplete|truncated"),
    (_zip_without_workbook_part, r"not an excel workbook.*xl/workbook\.xml"),
    (_bad_crc, r"damaged"),
    (_encrypted, r"password-protected"),
    (_old_xls, r"old \.xls\b"),
], ids=["text-named-xlsx", "empty", "truncated", "zip-without-workbook", "bad-crc",
        "password-protected", "old-xls"])
def test_file_that_is_not_a_readable_workbook_is_refused_with_a_clear_message(
        good_book, tmp_path, build, expected):
    path = tmp_path / "input.xlsx"
    build(good_book, path)
    message = refusal(path)
    assert re.search(expected, message), message


def test_old_xls_is_not_mistaken_for_a_password_protected_workbook(good_book, tmp_path):
    path = tmp_path / "old.xlsx"
    _old_xls(good_book, path)
    assert "password" not in refusal(path)


# --- zip bombs -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> tuple[Path, str]:
    """A real workbook whose Enterprises sheet inflates to 300 MB of whitespace (> 1000:1)."""
    folder = tmp_path_factory.mktemp("bomb")
    good = write_valid_book(folder / "good.xlsx")
    part = sheet_part(good, "Enterprises")
    path = write_bomb(good, folder / "bomb.xlsx", part, megabytes=300)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
    assert info.file_size > 300 * 2**20 and info.file_size > 1000 * info.compress_size
    return path, part


def test_zip_bomb_is_refused_without_inflating(bomb):
    # how fast: benchmarks/bench_hostile.py
    path, _ = bomb
    tracemalloc.start()
    try:
        message = refusal(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20, f"{peak / 2**20:.0f} MB allocated: the part was inflated"
    assert re.search(r"zip bomb|inflates", message), message


def test_zip_bomb_that_lies_about_its_size_is_refused_without_inflating(bomb, tmp_path):
    path, part = bomb
    liar = tmp_path / "liar.xlsx"
    liar.write_bytes(patched_header(path, part, "size", 100_000))  # declares a modest 100 kB
    message = refusal(liar)
    assert re.search(r"damaged|larger than|inflates", message), message


# --- XML entity expansion --------------------------------------------------------------------

def test_shared_strings_with_entity_expansion_are_refused(good_book, tmp_path):
    benign = with_shared_strings(good_book, tmp_path / "benign.xlsx", shared_strings())
    assert load_model(benign).model.enterprises[0].id == "CORE"  # the builder itself is sound
    hostile = with_shared_strings(good_book, tmp_path / "laughs.xlsx",
                                  shared_strings(b"&lol9;", LAUGHS))
    message = refusal(hostile)
    assert re.search(r"entit|dtd", message), message


def test_worksheet_with_entity_expansion_is_refused(good_book, tmp_path):
    part = sheet_part(good_book, "Enterprises")
    sheet = read_part(good_book, part)
    assert b"<t>Core Manufacturer Group</t>" in sheet
    hostile = LAUGHS + sheet.replace(b"<t>Core Manufacturer Group</t>", b"<t>&lol9;</t>")
    message = refusal(rewrite(good_book, tmp_path / "laughs.xlsx", {part: hostile}))
    assert re.search(r"entit|dtd", message), message


def test_worksheet_with_entity_expansion_is_refused_whatever_the_part_is_called(
        good_book, tmp_path):
    part = sheet_part(good_book, "Enterprises")
    hostile = LAUGHS + read_part(good_book, part).replace(b"<t>Core Manufacturer Group</t>",
                                                          b"<t>&lol9;</t>")
    path = move_part(good_book, tmp_path / "laughs.xlsx", part, "xl/worksheets/sheet3.bin",
                     hostile)
    message = refusal(path)
    assert re.search(r"entit|dtd", message), message


# --- cells far out of the data (the native reader allocates the whole rectangle) -------------

def test_far_out_cell_is_refused_before_the_reader_can_abort(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Enterprises"
    sheet.append(["id", "name", "role", "size"])
    sheet.append(["CORE", "Core", "core", "large"])
    sheet["XFD1048576"] = "stray"
    path = tmp_path / "far.xlsx"
    book.save(path)
    assert path.stat().st_size < 20_000
    message = assert_refused_in_child(path, "XFD1048576")
    assert "delete" in message.lower()


@pytest.fixture(scope="module")
def stray_right_of_data(tmp_path_factory) -> subprocess.CompletedProcess[str]:
    """1,300 enterprises and one stray note typed far right in the header row (cell XFD1)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Enterprises"
    sheet.append(["id", "name", "role", "size"])
    for number in range(1300):
        sheet.append([f"S{number:04d}", f"Supplier {number}", "supplier", "small"])
    sheet["XFD1"] = "note"
    path = tmp_path_factory.mktemp("stray") / "stray.xlsx"
    book.save(path)
    return load_in_child(path)


class RecordedBook:
    """python-calamine's workbook, noting each sheet asked for in ``events``."""

    events: ClassVar[list[tuple[str, object]]] = []

    def __init__(self, book: object):
        self.book = book

    @classmethod
    def from_path(cls, path: str) -> RecordedBook:
        return cls(CALAMINE.from_path(path))

    def __getattr__(self, name: str) -> object:
        return getattr(self.book, name)

    def get_sheet_by_name(self, name: str) -> object:
        self.events.append(("read", name))
        return self.book.get_sheet_by_name(name)  # type: ignore[attr-defined]


@pytest.mark.parametrize("hostile", [False, True])
def test_a_sheet_is_read_only_once_the_guard_has_measured_it(good_book, tmp_path, monkeypatch,
                                                             hostile):
    # the sheets are read in other threads as the guard goes on; a far-out cell in the last
    # sheet it measures must stop everything before that sheet is read
    import python_calamine

    from models.sheet_reader import SheetReader

    events: ClassVar[list[tuple[str, object]]] = []
    monkeypatch.setattr(RecordedBook, "events", events)
    monkeypatch.setattr(python_calamine, "CalamineWorkbook", RecordedBook)
    clear = SheetReader.clear
    monkeypatch.setattr(SheetReader, "clear", lambda self, names: (
        events.append(("cleared", list(names))), clear(self, names)))
    path = good_book
    if hostile:
        part = sheet_part(good_book, "Assignments")
        far = with_far_cell(read_part(good_book, part),
                            b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is>'
                            b'</c></row>')
        path = rewrite(good_book, tmp_path / "far.xlsx", {part: far})
        assert "XFD1048576".lower() in refusal(path)
    else:
        assert len(load_model(path).model.assignments) > 0
    read = [name for kind, name in events if kind == "read"]
    for n, (kind, name) in enumerate(events):
        if kind == "read":
            assert any(k == "cleared" and name in names for k, names in events[:n]), events
    assert ("Assignments" in read) is not hostile
    assert [t for t in threading.enumerate() if t.name == "sheet reader"] == []


def test_far_out_cell_message_names_the_stray_cell(stray_right_of_data):
    child = stray_right_of_data
    assert child.returncode == 3, child.stderr[-500:]
    assert re.search(r"\bXFD1\b", child.stdout), child.stdout


def test_far_out_cell_message_names_the_sheet_as_the_user_knows_it(stray_right_of_data):
    child = stray_right_of_data
    assert child.returncode == 3, child.stderr[-500:]
    assert "Enterprises" in child.stdout, child.stdout


FAR_ROWS = {
    "single-quoted": b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",
    "spaces-around-equals": b'<row r = "1048576"><c r = "XFD1048576"><v>1</v></c></row>',
    "lower-case-reference": b'<row r="1048576"><c r="xfd1048576"><v>1</v></c></row>',
    "leading-zeros": b'<row r="1048576"><c r="XFD0001048576"><v>1</v></c></row>',
}


@pytest.mark.parametrize("row_xml", FAR_ROWS.values(), ids=list(FAR_ROWS))
def test_far_out_cell_is_refused_however_the_reference_is_spelled(good_book, tmp_path, row_xml):
    part = sheet_part(good_book, "Enterprises")
    sheet = with_far_cell(read_part(good_book, part), row_xml)
    path = rewrite(good_book, tmp_path / "far.xlsx", {part: sheet})
    assert_refused_in_child(path, str(FAR_ROW))


def prefixed(sheet_xml: bytes) -> bytes:
    """The same worksheet with every tag under a namespace prefix, as some programs write."""
    body = re.sub(rb"<(/?)(?![?!])([A-Za-z])", rb"<\1x:\2", sheet_xml)
    return body.replace(b"<x:worksheet ", f'<x:worksheet xmlns:x="{MAIN_NS}" '.encode(), 1)


def test_sheet_with_prefixed_tags_reads_the_same_and_its_far_cell_is_refused(good_book,
                                                                             tmp_path):
    part = sheet_part(good_book, "Enterprises")
    sheet = read_part(good_book, part)
    same = rewrite(good_book, tmp_path / "prefixed.xlsx", {part: prefixed(sheet)})
    assert load_model(same).model == load_model(good_book).model
    far = with_far_cell(sheet, b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    assert_refused_in_child(rewrite(good_book, tmp_path / "far.xlsx", {part: prefixed(far)}),
                            "XFD1048576")


def test_far_out_row_is_refused_when_its_cells_carry_no_reference(good_book, tmp_path):
    # A cell's r attribute is optional: its place then comes from its row and its order.
    part = sheet_part(good_book, "Enterprises")
    sheet = read_part(good_book, part)
    sheet = sheet.replace(b"</row>", b'<c r="XFD1" t="inlineStr"><is><t>note</t></is></c></row>',
                          1)  # a stray note far right in the header row
    sheet = with_far_cell(sheet, b'<row r="1048576"><c><v>1</v></c></row>')
    path = rewrite(good_book, tmp_path / "far.xlsx", {part: sheet})
    assert_refused_in_child(path, str(FAR_ROW))


@pytest.mark.parametrize("new_name", ["xl/sheet3.xml", "xl/worksheets/sheet3.bin"],
                         ids=["outside-worksheets-folder", "not-named-xml"])
def test_far_out_cell_is_refused_wherever_the_sheet_part_is_stored(good_book, tmp_path,
                                                                   new_name):
    part = sheet_part(good_book, "Enterprises")
    benign = move_part(good_book, tmp_path / "moved.xlsx", part, new_name,
                       read_part(good_book, part))
    assert load_in_child(benign).stdout.startswith("loaded 12")  # the reader follows the rels
    sheet = with_far_cell(read_part(good_book, part),
                          b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    path = move_part(good_book, tmp_path / "far.xlsx", part, new_name, sheet)
    assert_refused_in_child(path, str(FAR_ROW))


def test_lying_dimension_is_not_trusted_and_the_workbook_loads(good_book, tmp_path):
    part = sheet_part(good_book, "Enterprises")
    sheet = read_part(good_book, part)
    assert b"<dimension" not in sheet and b"</sheetPr>" in sheet
    sheet = sheet.replace(b"</sheetPr>", b'</sheetPr><dimension ref="A1:XFD1048576"/>')
    path = rewrite(good_book, tmp_path / "dimension.xlsx", {part: sheet})
    child = load_in_child(path)
    assert child.returncode == 0, child.stdout + child.stderr[-500:]
    assert child.stdout.strip() == "loaded 12 enterprises"


# --- the whole workbook is bounded, and only our sheets are read ------------------------------

WORKSHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def sparse_sheet(far: str) -> bytes:
    """A worksheet with one cell at A1 and one at ``far``: the reader allocates the rectangle."""
    row = re.search(r"\d+", far).group()
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>'
            f'<row r="1"><c r="A1"><v>1</v></c></row><row r="{row}"><c r="{far}"><v>1</v></c>'
            "</row></sheetData></worksheet>").encode()


def with_sheets(src: Path, dst: Path, sheets: dict[str, bytes]) -> Path:
    """The workbook with more worksheets, named as given."""
    book = read_part(src, "xl/workbook.xml").decode()
    rels = read_part(src, "xl/_rels/workbook.xml.rels").decode()
    types = read_part(src, "[Content_Types].xml").decode()
    parts = {}
    for number, (name, xml) in enumerate(sheets.items(), start=1):
        book = book.replace("</sheets>", f'<sheet name="{name}" sheetId="{100 + number}" '
                            f'r:id="rJunk{number}"/></sheets>')
        rels = rels.replace("</Relationships>", f'<Relationship Type="{WORKSHEET_TYPE}" '
                            f'Target="/xl/worksheets/junk{number}.xml" Id="rJunk{number}"/>'
                            "</Relationships>")
        types = types.replace("</Types>", f'<Override PartName="/xl/worksheets/junk{number}.xml"'
                              f' ContentType="{WORKSHEET_CONTENT}"/></Types>')
        parts[f"xl/worksheets/junk{number}.xml"] = xml
    return rewrite(src, dst, {"xl/workbook.xml": book.encode(),
                              "xl/_rels/workbook.xml.rels": rels.encode(),
                              "[Content_Types].xml": types.encode(), **parts})


@pytest.mark.parametrize("count", [12, 40])
def test_unknown_sheets_are_listed_as_ignored_and_never_loaded(good_book, tmp_path, count):
    # each junk sheet spans 20 million cells: reading them took 28 s and 3.4 GB (12 sheets), or
    # made the reader abort (40 sheets)
    path = with_sheets(good_book, tmp_path / "junk.xlsx",
                       {f"Junk{n}": sparse_sheet("T1000000") for n in range(1, count + 1)})
    assert path.stat().st_size < 50_000
    child = load_in_child(path)
    assert child.returncode == 0, child.stdout[-500:] + child.stderr[-500:]
    assert child.stdout.startswith("loaded 12 enterprises")
    assert child.stdout.count("sheet ignored") == count


def test_sheets_read_are_bounded_together_not_one_by_one(tmp_path):
    # five sheets of the format, each spanning 2.6 million cells: fine alone, not together
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in ("Enterprises", "Links", "Projects", "Scenarios", "Assignments"):
        sheet = book.create_sheet(name)
        sheet.append(["id", "name"])
        sheet["Z100000"] = "stray"
    path = tmp_path / "far.xlsx"
    book.save(path)
    message = assert_refused_in_child(path)
    assert "cells in all" in message, message


def test_one_long_shared_text_copied_into_many_cells_is_refused(good_book, tmp_path):
    # the reader copies a shared string into every cell that refers to it: 20,000 references
    # to 30,000 characters would take 600 MB, from a file of about 100 kB
    path = with_shared_strings(good_book, tmp_path / "strings.xlsx",
                               shared_strings(b"x" * 30_000))
    part = sheet_part(path, "Enterprises")
    head, _, tail = read_part(path, part).partition(b"<sheetData>")
    header = re.search(rb"<row.*?</row>", tail, re.S).group(0)
    references = b"".join(b'<row r="%d"><c r="P%d" t="s"><v>0</v></c></row>' % (r, r)
                          for r in range(2, 20_002))
    path = rewrite(path, tmp_path / "copies.xlsx", {
        part: head + b"<sheetData>" + header + references + b"</sheetData></worksheet>"})
    assert path.stat().st_size < 200_000
    message = assert_refused_in_child(path, "MB")
    assert "refused as unsafe" in message


def test_shared_string_index_out_of_range_names_the_sheet_and_cell(good_book, tmp_path):
    path = with_shared_strings(good_book, tmp_path / "index.xlsx", shared_strings())
    part = sheet_part(path, "Enterprises")
    sheet = read_part(path, part).replace(b'<c r="A2" t="s"><v>0</v></c>',
                                          b'<c r="A2" t="s"><v>7</v></c>')
    message = refusal(rewrite(path, tmp_path / "bad.xlsx", {part: sheet}))
    assert "sheet 'enterprises', cell a2" in message, message
    assert "damaged" in message


def test_a_sheet_the_reader_cannot_read_is_named(good_book, tmp_path):
    part = sheet_part(good_book, "Links")
    sheet = read_part(good_book, part)  # an error value the reader does not know
    sheet = re.sub(rb'<c r="A2"[^>]*>.*?</c>', b'<c r="A2" t="e"><v>#GETTING_DATA</v></c>', sheet,
                   count=1, flags=re.S)
    message = refusal(rewrite(good_book, tmp_path / "bad.xlsx", {part: sheet}))
    assert "sheet 'links'" in message, message


def corrupt_deflate(path: Path, name: str) -> bytes:
    """The zip's bytes with ``name``'s deflate stream starting with an invalid block type."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    assert info.compress_type == zipfile.ZIP_DEFLATED
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + struct.unpack_from("<HH", data, info.header_offset + 26)[0] \
        + struct.unpack_from("<HH", data, info.header_offset + 26)[1]
    data[start] = 0b111  # final block, type 3: reserved, so inflating fails
    return bytes(data)


@pytest.mark.parametrize("part", ["Enterprises", "xl/workbook.xml", "xl/styles.xml",
                                  "docProps/core.xml"])
def test_corrupt_deflate_stream_is_refused_as_damaged(good_book, tmp_path, part):
    name = sheet_part(good_book, part) if "/" not in part else part
    path = tmp_path / "corrupt.xlsx"
    path.write_bytes(corrupt_deflate(good_book, name))
    message = refusal(path)
    assert "damaged" in message, message


# --- export: text is never a formula; saving is atomic ---------------------------------------

FORMULA_LIKE = ("=1+1", "+86 21 5555 0000", "-5% off", "@SUM(A1:A3)",
                '=HYPERLINK("http://example.com","click")')


def cells_by_type(path: Path) -> dict[str, set[object]]:
    book = openpyxl.load_workbook(path)
    found: dict[str, set[object]] = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    found.setdefault(cell.data_type, set()).add(cell.value)
    return found


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_text_that_looks_like_a_formula_is_written_as_text_and_round_trips(tmp_path, lang):
    model = generate(12, seed=3)
    for enterprise, text in zip(model.enterprises[1:], FORMULA_LIKE, strict=False):
        enterprise.name = text
        enterprise.extra["note"] = text
    model.links[0].product = FORMULA_LIKE[0]
    model.projects[0].name = FORMULA_LIKE[3]
    model.scenarios[0].description = FORMULA_LIKE[4]
    model.settings.model_name = FORMULA_LIKE[2]
    model.settings.extra["owner"] = FORMULA_LIKE[1]
    path = tmp_path / "formulas.xlsx"
    workbook.save_workbook(model, path, lang)
    cells = cells_by_type(path)
    assert "f" not in cells, f"written as formulas: {cells.get('f')}"
    assert set(FORMULA_LIKE) <= cells["s"]
    assert load_model(path).model == model


def test_unknown_column_whose_header_looks_like_a_formula_is_kept_as_text(tmp_path):
    model = generate(12, seed=3)
    model.enterprises[1].extra["=Notes"] = "visited in May"
    path = tmp_path / "header.xlsx"
    workbook.save_workbook(model, path)
    cells = cells_by_type(path)
    assert "f" not in cells, f"written as formulas: {cells.get('f')}"
    assert load_model(path).model == model


def _fail(*args: object, **kwargs: object) -> None:
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("target", [(workbook, "workbook_bytes"), (os, "fsync"), (os, "replace")],
                         ids=["while-building", "while-flushing", "while-renaming"])
def test_failed_save_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path, monkeypatch,
                                                                     target):
    path = write_valid_book(tmp_path / "model.xlsx")
    before = path.read_bytes()
    changed = generate(20, seed=4)
    monkeypatch.setattr(*target, _fail)
    with pytest.raises(OSError):
        workbook.save_workbook(changed, path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.xlsx"]
    workbook.save_workbook(changed, path)  # and the next save succeeds
    assert load_model(path).model == changed


def test_a_save_removes_stale_temporary_files_left_by_killed_saves(tmp_path):
    path = write_valid_book(tmp_path / "out.xlsx")
    stale = tmp_path / ".out.xlsx.k3j_9a2b.tmp"  # as a save killed an hour ago left it
    stale.write_bytes(b"PK" + b"\0" * 4096)
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    running = tmp_path / ".out.xlsx.q8w7e6r5.tmp"  # another save of the file, still writing
    running.write_bytes(b"PK")
    other = tmp_path / ".other.xlsx.k3j_9a2b.tmp"  # another file's: not ours to judge
    other.write_bytes(b"PK")
    os.utime(other, (hour_ago, hour_ago))
    workbook.save_workbook(generate(12, seed=4), path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".other.xlsx.k3j_9a2b.tmp", ".out.xlsx.q8w7e6r5.tmp", "out.xlsx"])
