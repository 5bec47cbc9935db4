"""Checks a file is a sane .xlsx before any XML parser or native reader sees it.

The fast reader (calamine) reads a sheet only when asked, but then allocates
the whole rectangle between the first and the last cell, and a copy of a
shared string for every cell that refers to it: a few kilobytes naming cell
XFD1048576, or one long string referred to by many cells, would ask for
gigabytes. We therefore look, with cheap streamed byte scans, at:
the container (zip, not an encrypted or legacy OLE file), the declared and
actual inflated sizes (zip bombs), any DTD (entity expansion tricks are
refused outright, which is stricter than defusing them), and, for the sheets
the caller will read and nothing else, the extent of their cells, their
references into the shared strings and the bytes all this costs. The budgets
hold for the whole workbook, not per sheet: a sheet may be read once it is
measured, with every part measured before it, within them.
"""

from __future__ import annotations

import codecs
import itertools
import operator
import posixpath
import re
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

import numpy as np

from models.problems import ImportFailed, file_problem
from models.schema import normalise

MAX_INFLATED = 1024 * 1024 * 1024  # all parts together (each is streamed, never held whole)
MAX_RATIO = 200  # inflated / compressed, per part; real sheets stay well under 100
MAX_INDEX_PART = 64 * 1024 * 1024  # workbook.xml and its relationships, parsed whole
# Over the sheets read: rows x columns (the reader allocates the rectangle) plus the shared
# strings. A 100,000-firm chain (chainplan generate --enterprises 100000) spans 4.24 million
# and reads in 0.56 GB; at the budget a hostile workbook peaks near 1.1 GB.
MAX_CELLS = 8_000_000
# Bytes the reader copies: the sheets read, the shared strings and styles, and one more copy
# of a shared string for every cell that refers to it. The 100,000-firm chain: 210 MB.
MAX_TEXT = 400 * 1024 * 1024

_CHUNK = 4 * 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ATTR_R = rb"""[^>]*?\sr\s*=\s*["']\s*"""
_ROW_REF = re.compile(rb"<(?:[\w.-]+:)?row\b" + _ATTR_R + rb"0*(\d+)", re.IGNORECASE)
_CELL_REF = re.compile(rb"<(?:[\w.-]+:)?c\b" + _ATTR_R + rb"([A-Za-z]+)0*(\d+)", re.IGNORECASE)
_CELL = re.compile(rb"<(?:[\w.-]+:)?c[\s/>]")
_ROW_START = re.compile(rb"<(?:[\w.-]+:)?row\b")
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")  # <x:c …> and <x:row …>
# how Excel, WPS and openpyxl write references: tried first, as it is several times faster
_PLAIN_ROW_REF = re.compile(rb'<row r="0*(\d+)"')
_PLAIN_CELL_REF = re.compile(rb'<c r="([A-Z]+)0*(\d+)"')
# a cell holding a shared-string index: its index, in the spellings a writer may choose
# (attributes in any order and quotes, a prefix, a formula first); the slow scan otherwise
_S_VALUE = re.compile(rb"""<(?:[\w.-]+:)?c(?=\s)[^>]*?\st\s*=\s*["']s["'][^>]*>\s*"""
                      rb"""(?:<(?:[\w.-]+:)?f\b[^>]*?(?:/>|>[^<]*</(?:[\w.-]+:)?f>)\s*)?"""
                      rb"""<(?:[\w.-]+:)?v(?:\s[^>]*)?>([^<]*)<""")
_S_TYPE = re.compile(rb"""\st\s*=\s*["']s["']""")
_CELL_TAG = re.compile(rb"<(?:[\w.-]+:)?c(\s[^>]*?)?(/?)>")
_CELL_END = re.compile(rb"</(?:[\w.-]+:)?c\s*>")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*)?>([^<]*)<")
_REF_ATTR = re.compile(rb"""\sr\s*=\s*["']\s*([A-Za-z]+\d+)""")
_SI = re.compile(rb"<(?:[\w.-]+:)?si[\s/>]")
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_UTF16_DECLARATION = re.compile(rb"""encoding\s*=\s*["']utf-?16[^"']*["']""", re.IGNORECASE)
_SHARED_STRINGS = "xl/sharedstrings.xml"
# tags that start like a cell's but are not one (<col>, <cfRule>, <customSheetView>, …)
_NOT_CELLS = (b"<co", b"<cf", b"<cu", b"<ce", b"<ch")
_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)
_NO_NUMBER = 2**64  # calamine reads an index that is not a plain number as 0


def _fail(en: str, zh: str) -> ImportFailed:
    return ImportFailed([file_problem(en, zh)])


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


@dataclass(frozen=True)
class Checked:
    """What the guard checked: the reader must read no other sheet."""

    sheets: frozenset[str]  # the sheets checked, by their normalised names
    cells: int  # rows x columns of those sheets, plus the shared strings
    text: int  # bytes the reader will copy


def check_xlsx(path: Path, wanted: Callable[[str], bool] = lambda name: True,
               cleared: Callable[[list[str]], None] = lambda names: None, books: int = 1
               ) -> Checked:
    """Raise ImportFailed with a clear message if the file must not be read.

    ``wanted`` says which sheets (by name) the caller will read; only their parts
    are measured against the budgets, and only they may then be read. ``cleared`` hears,
    as the check goes on, what may already be read: first no sheet (the parts a reader
    reads on opening the workbook are checked), then the sheets of each part measured
    (within the budgets, with every part measured before it). ``books``: how many times
    the reader opens the workbook (each copy holds the shared strings and styles).
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise _fail(f"cannot open the file: {exc.strerror}", f"无法打开文件：{exc.strerror}") from None
    if head == _OLE_MAGIC:
        data = path.read_bytes()
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise _fail("the workbook is password-protected: remove the password in Excel "
                        "(File ▸ Info ▸ Protect Workbook) and save it again",
                        "工作簿受密码保护：请在 Excel 中取消密码后重新保存")
        raise _fail("this is an old .xls workbook: save it as .xlsx in Excel or WPS first",
                    "这是旧版 .xls 工作簿：请先在 Excel 或 WPS 中另存为 .xlsx")
    if head.startswith(b"PK") and not zipfile.is_zipfile(path):
        raise _fail("the workbook is damaged or incomplete (a truncated copy or download?)",
                    "工作簿已损坏或不完整（可能复制或下载未完成）")
    if not zipfile.is_zipfile(path):
        raise _fail("not an Excel workbook (.xlsx): the file is not a zip container",
                    "不是 Excel 工作簿（.xlsx）：文件格式不符")
    try:
        with zipfile.ZipFile(path) as archive:
            return _Check(archive, wanted, cleared, books).run()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
            NotImplementedError, zlib.error) as exc:
        raise _fail(f"the workbook is damaged ({exc})", f"工作簿已损坏（{exc}）") from None


def _key(name: str) -> str:
    """A part name as the reader looks it up: case and slash direction do not matter."""
    return name.replace("\\", "/").lower()


class _Check:
    def __init__(self, archive: zipfile.ZipFile, wanted: Callable[[str], bool],
                 cleared: Callable[[list[str]], None], books: int):
        self.archive, self.wanted, self.cleared, self.books = archive, wanted, cleared, books
        self.cells = 0
        self.text = 0
        self.sheet_cells: list[tuple[str, int]] = []  # (sheet, rows x columns), for messages
        self.lengths: array[int] = array("q")  # bytes of each shared string

    def run(self) -> Checked:
        archive = self.archive
        infos = archive.infolist()
        by_key: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if _key(info.filename) in by_key:
                raise _fail(f"the workbook holds two parts named {info.filename} (damaged or "
                            "hostile)", f"工作簿中有两个同名部件 {info.filename}（已损坏或恶意文件）")
            by_key[_key(info.filename)] = info
        if "xl/workbook.xml" not in {info.filename for info in infos}:
            raise _fail("not an Excel workbook: it has no xl/workbook.xml part",
                        "不是 Excel 工作簿：缺少 xl/workbook.xml")
        if sum(info.file_size for info in infos) > MAX_INFLATED:
            raise _fail("the workbook would inflate to more than 1 GB; refused as unsafe",
                        "工作簿解压后超过 1 GB，出于安全原因拒绝读取")
        for info in infos:
            if info.flag_bits & 0x1:
                raise _fail("the workbook is encrypted", "工作簿已加密")
            if info.file_size > MAX_RATIO * max(info.compress_size, 1024):
                ratio = info.file_size // max(info.compress_size, 1)
                raise _fail(f"part {info.filename} inflates {ratio} times its size (a zip bomb); "
                            "refused as unsafe",
                            f"部件 {info.filename} 解压比例异常（疑似压缩炸弹），拒绝读取")
        sheets = self._sheets(by_key)  # part -> names of the wanted sheets stored in it
        for key in (_SHARED_STRINGS, "xl/styles.xml"):  # read whole when the workbook opens
            if key in by_key:
                self.add_text(by_key[key].file_size * self.books, "")
        strings = by_key.get(_SHARED_STRINGS)
        if strings is not None:
            scan = _StringsScan()
            self._scan(strings, scan.feed)
            self.lengths = scan.lengths()
            self.cells += len(self.lengths) * self.books
            if self.cells > MAX_CELLS:
                raise self._too_many(self.cells)
        names = frozenset(normalise(n) for ns in sheets.values() for n in ns)
        # every part, whatever its name, for XML tricks: first all but the sheets to be read,
        # then those, one at a time
        for info in infos:
            if info is not strings and info.filename not in sheets:
                self._scan(info, None)
        self.cleared([])
        for info in infos:
            titles = sheets.get(info.filename, [])
            if info is strings or not titles:
                continue
            for title in titles:  # the reader reads the part once for each name
                self.add_text(info.file_size, title)
            before = self.cells, len(self.sheet_cells), self.text
            try:
                sheet = _SheetScan(titles, self, quick=True)
                self._scan(info, sheet.feed)
                sheet.finish()
            except _Rescan:  # over a budget: scan again to name the far cells in the message
                self.cells, self.text = before[0], before[2]
                del self.sheet_cells[before[1]:]
                sheet = _SheetScan(titles, self)
                self._scan(info, sheet.feed)
                sheet.finish()
            self.cleared(titles)
        return Checked(names, self.cells, self.text)

    # --- which parts hold the sheets the reader will read --------------------------------

    def _sheets(self, by_key: dict[str, zipfile.ZipInfo]) -> dict[str, list[str]]:
        """Part name -> the wanted sheets stored in it."""
        book = self._index_part(by_key["xl/workbook.xml"])
        rels_info = by_key.get("xl/_rels/workbook.xml.rels")
        listed = _parse_book(book)
        targets = _parse_rels(self._index_part(rels_info)) if rels_info is not None else {}
        if listed is None or targets is None:
            raise _fail("the workbook is damaged: its list of sheets (xl/workbook.xml and its "
                        "relationships) cannot be read",
                        "工作簿已损坏：无法读取其工作表清单（xl/workbook.xml 及其关系）")
        found: dict[str, list[str]] = {}
        for name, ids in listed:
            if not self.wanted(name):
                continue
            parts = {by_key[key].filename for rid in ids for target in targets.get(rid, [])
                     for key in _resolutions(target) if key in by_key}
            if not parts:
                raise _fail(f"sheet '{name}' is listed but its content is missing (the workbook "
                            "is damaged); copy its cells into a new workbook and save again",
                            f"工作表“{name}”的内容缺失（工作簿已损坏），请将其内容复制到新工作簿后重新保存")
            for part in sorted(parts):
                found.setdefault(part, []).append(name)
        return found

    def _index_part(self, info: zipfile.ZipInfo) -> bytes:
        if info.file_size > MAX_INDEX_PART:
            raise _fail(f"part {info.filename} is larger than 64 MB; refused as unsafe",
                        f"部件 {info.filename} 超过 64 MB，出于安全原因拒绝读取")
        data = b"".join(_chunks(self.archive, info))
        if _DTD.search(data):
            raise _dtd(info)
        return _UTF16_DECLARATION.sub(b'encoding="utf-8"', data, 1)  # recoded by _chunks

    # --- streaming ---------------------------------------------------------------------

    def _scan(self, info: zipfile.ZipInfo, feed: Callable[[bytes], None] | None) -> None:
        """Inflate a part chunk by chunk: refuse any DTD, hand whole tags to ``feed``."""
        tail = b""
        carry = b""
        for chunk in _chunks(self.archive, info):
            # (a DTD starts "<!": a search for "!" alone is a memchr, many times faster)
            if (b"!" in chunk or b"!" in tail) and _DTD.search(tail + chunk):
                raise _dtd(info)
            tail = chunk[-16:]
            if feed is None:
                continue
            data = carry + chunk
            cut = _last_cut(data)
            carry = data[cut:]
            if cut:
                feed(data[:cut])
        if feed is not None and carry:
            feed(carry)

    # --- budgets -------------------------------------------------------------------------

    def add_text(self, size: int, sheet: str) -> None:
        self.text += size
        if self.text > MAX_TEXT:
            where = (f" (at sheet '{sheet}')", f"（读到工作表“{sheet}”时）") if sheet else ("", "")
            raise _fail(f"the workbook's data would take more than {MAX_TEXT >> 20} MB to read"
                        f"{where[0]}; refused as unsafe: split it into smaller workbooks",
                        f"工作簿数据读入需超过 {MAX_TEXT >> 20} MB{where[1]}，出于安全原因拒绝读取；"
                        "请拆分为较小的工作簿")

    def add_cells(self, sheet: str, cells: int, corner: str) -> None:
        if cells > MAX_CELLS:  # one sheet alone: most likely a stray cell far away
            raise _fail(f"sheet '{sheet}' has cells as far out as {corner}: over {MAX_CELLS:,} "
                        "cells; delete the stray cells far below or right of the data and save "
                        "again",
                        f"工作表“{sheet}”中有远离数据区的单元格（最远到 {corner}），"
                        "请删除数据区以外的多余单元格后重新保存")
        self.sheet_cells.append((sheet, cells))
        self.cells += cells
        if self.cells > MAX_CELLS:
            raise self._too_many(self.cells)

    def _too_many(self, cells: int) -> ImportFailed:
        listed = [f"'{s}' {n:,}" for s, n in self.sheet_cells]
        if self.lengths:
            listed.append(f"shared strings {len(self.lengths):,}")
        return _fail(f"the sheets read span {cells:,} cells in all, more than {MAX_CELLS:,} "
                     f"({', '.join(listed)}); refused as unsafe: delete stray cells far from "
                     "the data, or split the workbook",
                     f"所读工作表的单元格范围合计 {cells:,} 个，超过 {MAX_CELLS:,} 个"
                     f"（{'，'.join(listed)}），出于安全原因拒绝读取；请删除远离数据区的多余单元格，或拆分工作簿")


class _StringsScan:
    """Counts the shared strings and the bytes of each (its XML: an upper bound of its text)."""

    def __init__(self) -> None:
        self.starts: array[int] = array("q")
        self.size = 0

    def feed(self, data: bytes) -> None:
        self.starts.extend(m.start() + self.size for m in _SI.finditer(data))
        self.size += len(data)
        if len(self.starts) > MAX_CELLS:
            raise _fail(f"the workbook holds more than {MAX_CELLS:,} shared strings; refused as "
                        "unsafe", f"工作簿的共享文本超过 {MAX_CELLS:,} 项，出于安全原因拒绝读取")

    def lengths(self) -> array[int]:
        starts = self.starts
        lengths = array("q", (b - a for a, b in itertools.pairwise(starts)))
        if starts:
            lengths.append(self.size - starts[-1])
        return lengths


def _dtd(info: zipfile.ZipInfo) -> ImportFailed:
    return _fail(f"part {info.filename} declares XML entities (DTD); refused as unsafe",
                 f"部件 {info.filename} 含有 XML 实体声明，出于安全原因拒绝读取")


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's bytes as UTF-8 chunks, never inflating more than it declares (zipfile checks
    the CRC); UTF-16 parts are recoded so the byte scans see their tags."""
    read = 0
    decoder = None
    with archive.open(info) as part:
        while True:
            chunk = part.read(min(_CHUNK, info.file_size + 1 - read))
            if not chunk:
                break
            if read == 0:
                encoding = _utf16(chunk[:4])
                if encoding:
                    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
            read += len(chunk)
            if read > info.file_size:
                raise _fail(f"part {info.filename} is larger than its header says (damaged or "
                            "hostile)", f"部件 {info.filename} 大小与声明不符（已损坏或恶意文件）")
            yield decoder.decode(chunk).encode() if decoder is not None else chunk
            if read == info.file_size:  # let zipfile read to the end and check the CRC
                if part.read(1):
                    raise _fail(f"part {info.filename} is larger than its header says (damaged "
                                "or hostile)",
                                f"部件 {info.filename} 大小与声明不符（已损坏或恶意文件）")
                break


def _utf16(head: bytes) -> str | None:
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    if head[:2] == b"<\x00":
        return "utf-16-le"
    if head[:2] == b"\x00<":
        return "utf-16-be"
    return None


def _last_cut(data: bytes) -> int:
    """Where to end a chunk so that no cell, row or shared string is split (0: keep all).

    Any tag starting with ``c``, ``row`` or ``si`` will do (a cell holding a
    shared-string index has no such child); prefixed tags end at their ``<``.
    """
    for start in (max(0, len(data) - (1 << 16)), max(0, len(data) - (1 << 20)), 0):
        cut = max(data.rfind(b"<c", start), data.rfind(b"<row", start),
                  data.rfind(b"<si", start))
        prefixed = max(data.rfind(b":c", start), data.rfind(b":row", start),
                       data.rfind(b":si", start))
        if prefixed > cut:
            cut = max(cut, data.rfind(b"<", 0, prefixed))
        if cut > 0:
            return cut
    # no cell in 16 MB (one huge value): cut before any tag, the value alone may be split
    return max(data.rfind(b"<"), 0) if len(data) > 4 * _CHUNK else 0


# --- the sheet list: which part the reader opens for which name ------------------------------

def _parse_book(data: bytes) -> list[tuple[str, list[str]]] | None:
    """(sheet name, relationship ids) for each sheet in workbook.xml; None if unreadable.

    Attribute names are taken as written, prefix included, as the reader does; every
    attribute called ``id`` whatever its prefix is kept, so no possible target is missed.
    """
    sheets: list[tuple[str, list[str]]] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag.rpartition(":")[2] == "sheet":
            ids = [v for k, v in attrs.items() if k.rpartition(":")[2] == "id"]
            sheets.append((attrs.get("name", ""), ids))

    return sheets if _parse(data, start) else None


def _parse_rels(data: bytes) -> dict[str, list[str]] | None:
    targets: dict[str, list[str]] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag.rpartition(":")[2] == "Relationship" and "Id" in attrs:
            targets.setdefault(attrs["Id"], []).append(attrs.get("Target", ""))

    return targets if not data or _parse(data, start) else None


def _parse(data: bytes, start: Callable[[str, dict[str, str]], None]) -> bool:
    parser = expat.ParserCreate()  # no namespace processing: names as written
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, ValueError):
        return False
    return True


def _resolutions(target: str) -> set[str]:
    """Every part a relationship target may name: as the reader resolves it (absolute, or
    under xl/) and as the packaging standard does (relative to xl/, with ../ resolved)."""
    reader = target[1:] if target.startswith("/") else "xl/" + target
    standard = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
        posixpath.join("xl", target))
    return {_key(reader), _key(standard)}


# --- one sheet's cells ------------------------------------------------------------------------

class _Rescan(Exception):
    """A quick scan went over a budget: the careful scan finds the cells to name."""


_DIGITS = 18  # a reference of more digits is left to the careful scan (64 bits hold 18)
_PAD = _DIGITS + 16  # bytes past a chunk's end that a look at a tag may touch
_CELL_LIKE = np.zeros(256, bool)  # the byte after "<c" in tags that are not cells (<col> …)
_CELL_LIKE[list(b"ofueh")] = True


def _plain_references(data: bytes) -> tuple[int, int, int] | None:
    """(row tags, last row, last column) of a chunk whose every row and cell tag carries
    its reference as Excel writes it (``<row r="12"``, ``<c r="B12"``, the cell within the
    rows the chunk's row tags name; ``<col>``, ``<rowBreaks>`` and the like are not rows or
    cells, ``_NOT_CELLS``), looked at by NumPy over the bytes; None when a tag is written
    otherwise or a reference is too long for 64 bits (then the careful scan reads it)."""
    size = len(data)
    text = np.zeros(size + _PAD, np.uint8)
    text[:size] = np.frombuffer(data, np.uint8)
    rows = _pairs(data, b"<r")
    rows = rows[(text[rows + 2] == 111) & (text[rows + 3] == 119)]  # <row
    rows = rows[text[rows + 4] != 66]  # not <rowBreaks>
    if not _attribute_r(text, rows + 4):
        return None
    row_numbers = _numbers(text, rows + 8, _DIGITS)
    if row_numbers is None:
        return None
    last_row = int(row_numbers.max(initial=0))
    cells = _pairs(data, b"<c")
    cells = cells[~_CELL_LIKE[text[cells + 2]]]
    if not _attribute_r(text, cells + 2):
        return None
    first, second, third, fourth = (text[cells + k] for k in range(6, 10))
    if ((first < 65) | (first > 90)).any():
        return None  # no column letter
    column = first.astype(np.int64) - 64
    letters = np.ones(len(cells), np.int64)
    two = (second >= 65) & (second <= 90)
    if two.any():
        three = two & (third >= 65) & (third <= 90)
        if (three & (fourth >= 65) & (fourth <= 90)).any():
            return None  # more than three letters
        column = np.where(two, column * 26 + second - 64, column)
        column = np.where(three, column * 26 + third - 64, column)
        letters += two.astype(np.int64) + three
    # a cell's row has at most the digits of the last row: a longer one lies beyond
    cell_rows = _numbers(text, cells + 6 + letters, len(str(last_row)))
    if cell_rows is None or (cell_rows > last_row).any():
        return None
    return len(rows), last_row, int(column.max(initial=0))


def _pairs(data: bytes, pair: bytes) -> Any:
    """Where the two bytes ``pair`` stand in ``data`` (unordered), looked for as 16-bit
    words at even and at odd offsets."""
    word = int.from_bytes(pair, "little")
    even = np.frombuffer(data, np.uint16, len(data) // 2)
    odd = np.frombuffer(data, np.uint16, (len(data) - 1) // 2, offset=1)
    return np.concatenate([np.flatnonzero(even == word) * 2,
                           np.flatnonzero(odd == word) * 2 + 1])


def _attribute_r(text: Any, at: Any) -> bool:
    """Whether each position holds `` r="`` (a tag's first attribute, as Excel writes it)."""
    return bool(((text[at] == 32) & (text[at + 1] == 114) & (text[at + 2] == 61)
                 & (text[at + 3] == 34)).all())


def _numbers(text: Any, at: Any, digits: int) -> Any:
    """The whole numbers written at each position up to a closing quote, the first digit
    not 0; None if one is written otherwise or has more than ``digits`` digits."""
    value = np.zeros(len(at), np.int64)
    going = np.ones(len(at), bool)  # digits so far
    for k in range(digits + 1):
        byte = text[at + k]
        digit = (byte >= 48) & (byte <= 57)
        if k == 0:
            if not digit.all() or (byte == 48).any():
                return None  # no number, or a leading zero
        elif ((going & ~digit) & (byte != 34)).any():
            return None  # a number not closed by its quote
        going &= digit
        if not going.any():
            return value
        if k == digits:
            return None  # longer than the digits asked for
        value = np.where(going, value * 10 + byte - 48, value)
    return value


def _quoted_s(data: bytes) -> bool:
    """Whether ``s`` stands right before a quote anywhere (a cell may be of type "s": a
    shared string): ``s"`` or ``s'`` looked for as 16-bit words, at even and odd offsets."""
    for offset in (0, 1):
        words = np.frombuffer(data, np.uint16, (len(data) - offset) // 2, offset=offset)
        if ((words == 0x2273) | (words == 0x2773)).any():
            return True
    return False


class _SheetScan:
    """The extent of a sheet's cells and the shared strings they copy, chunk by chunk.

    Row and cell references are read in every spelling the reader accepts
    (quotes, spaces, case, leading zeros); cells without a reference take the
    next column of their row, rows without one the next row.

    ``quick``: a chunk written as Excel writes (every row and cell with its plain
    reference) is measured by NumPy over its bytes (``_plain_references``) instead of
    regular expressions reading every reference: the same extent, many times
    faster. A chunk where that search finds anything is read reference by reference;
    a budget exceeded raises ``_Rescan``, for the careful scan to name the far cells.
    """

    def __init__(self, titles: list[str], check: _Check, quick: bool = False):
        self.quick = quick
        self.sheet, self.copies, self.check = titles[0], len(titles), check
        self.max_row = 0  # from row and cell references
        self.cell_row = 0  # the last row a cell reference names
        self.max_col = 0
        self.far_row = ""  # a cell on the last row, as referenced
        self.far_col = ""  # a cell in the last column, as referenced
        self.rows = 0  # row elements
        self.row_cells = 0  # cells in the current row, when some carry no reference
        self.widest = 0

    def feed(self, data: bytes) -> None:
        if not (self.quick and self._plain(data)):
            self._careful(data)
        if _quoted_s(data):
            self._shared(data)
        self._check_extent(final=False)

    def _plain(self, data: bytes) -> bool:
        """Measure a chunk whose rows and cells are all written as Excel writes them
        (``<row r="12"``, ``<c r="B12"``); False, with nothing measured, when it is not so.

        Every tag is looked at by NumPy over the chunk's bytes: the positions of ``<``, the
        bytes after each, and the references read as numbers, a column of them at a time.
        """
        if _PREFIXED.search(data):
            return False
        found = _plain_references(data)
        if found is None:
            return False
        rows, max_row, max_col = found
        self.rows += rows
        self.max_row = max(self.max_row, max_row)
        self.max_col = max(self.max_col, max_col)
        return True

    def _careful(self, data: bytes) -> None:
        rows, cells, plain = _references(data)
        if plain:  # every row and cell carries its reference
            self.rows += len(rows)
        else:
            self.rows += len(_ROW_START.findall(data))
        if rows:
            self.max_row = max(self.max_row, _largest(rows))
        if cells:
            row = _largest(list(map(_SECOND, cells)))
            if row > self.cell_row:
                self.cell_row = row
                last = str(row).encode()  # rows ascend: the last such cell is near the end
                self.far_row = next(c.decode().upper() + str(row) for c, r in reversed(cells)
                                    if r == last)
            letters = max({c.upper() for c in set(map(_FIRST, cells))},
                          key=lambda c: (len(c), c))
            column = _column_number(letters)
            if column > self.max_col:
                self.max_col = column
                self.far_col = next(letters.decode() + str(int(r)) for c, r in cells
                                    if c.upper() == letters)
        if not plain and len(_CELL.findall(data)) > len(cells):  # some cells have no reference
            pieces = _ROW_START.split(data)
            # a count of "<c" may count more (never fewer) cells; prefixed ones need the regex
            count = (lambda piece: len(_CELL.findall(piece))) if _PREFIXED.search(data) \
                else (lambda piece: piece.count(b"<c"))
            counts = list(map(count, pieces))
            self.widest = max(self.widest, self.row_cells + counts[0], *counts[1:])
            self.row_cells = counts[-1] if len(counts) > 1 else self.row_cells + counts[0]

    def _shared(self, data: bytes) -> None:
        """Every shared-string index must be in the table; each copy costs its bytes."""
        values = _S_VALUE.findall(data)
        if len(values) != len(_S_TYPE.findall(data)):
            values = [v for _, v in _shared_cells(data)]
        lengths = self.check.lengths
        count = len(lengths)
        if all(values) and b"".join(values).isdigit() and max(map(len, values), default=0) < 19:
            indexes = list(map(int, values))  # the usual case: plain numbers
        else:
            indexes = [i for i in map(_index, values) if i is not None]
        if indexes and max(indexes) >= count:
            index = max(indexes)
            ref = next((r for r, v in _shared_cells(data) if _index(v) == index), "") or "?"
            raise _fail(f"sheet '{self.sheet}', cell {ref}: refers to shared text number "
                        f"{index}, but the workbook holds only {count}; the workbook is "
                        "damaged: retype the cell in Excel and save again",
                        f"工作表“{self.sheet}”单元格 {ref}：引用第 {index} 项共享文本，"
                        f"而工作簿只有 {count} 项；工作簿已损坏，请在 Excel 中重新输入该单元格后保存")
        total = sum(map(lengths.__getitem__, indexes))
        self.check.add_text(total * self.copies, self.sheet)

    def _check_extent(self, final: bool) -> None:
        max_row = max(self.max_row, self.cell_row, self.rows + 1 if self.rows else 0)
        max_col = max(self.max_col, self.widest)
        cells = max_row * max(max_col, 1) * self.copies if max_row else 0
        if not final and cells <= MAX_CELLS - self.check.cells:
            return
        if self.quick and cells > MAX_CELLS - self.check.cells:
            raise _Rescan
        corner = [self.far_col] if self.far_col else []
        corner.append(self.far_row if self.cell_row == max_row and self.far_row
                      else f"row {max_row}")
        self.check.add_cells(self.sheet, cells, " and ".join(dict.fromkeys(corner)))

    def finish(self) -> None:
        self._check_extent(final=True)


def _index(value: bytes) -> int | None:
    """A shared-string index as the reader takes it: plain digits, anything else is 0."""
    if not value:
        return None
    if value.isdigit() and len(value) <= 20:
        number = int(value)
        return number if number < _NO_NUMBER else 0
    return 0


def _shared_cells(data: bytes) -> Iterator[tuple[str, bytes]]:
    """(reference, index text) of each value of each shared-string cell, in any spelling."""
    for tag in _CELL_TAG.finditer(data):
        attrs = tag.group(1) or b""
        if tag.group(2) or not _S_TYPE.search(attrs):
            continue
        end = _CELL_END.search(data, tag.end())
        body = data[tag.end():end.start() if end else len(data)]
        ref = _REF_ATTR.search(attrs)
        name = ref.group(1).decode().upper() if ref else ""
        for value in _VALUE.findall(body):
            yield name, value


def _references(data: bytes) -> tuple[list[bytes], list[tuple[bytes, bytes]], bool]:
    """Row numbers and (column, row) of cells, and whether every row and cell tag carries
    its reference as Excel writes it; the tolerant scan only when needed."""
    rows, cells = _PLAIN_ROW_REF.findall(data), _PLAIN_CELL_REF.findall(data)
    # a plain count may find more tags than there are rows and cells (<color> in rich
    # text): then the chunk is scanned tolerantly, which is slower but right
    if len(rows) == data.count(b"<row") - data.count(b"<rowB") \
            and len(cells) == data.count(b"<c") - sum(map(data.count, _NOT_CELLS)) \
            and not _PREFIXED.search(data):
        return rows, cells, True
    return _ROW_REF.findall(data), _CELL_REF.findall(data), False


def _largest(numbers: list[bytes]) -> int:
    """The largest of many digit strings without leading zeros, converting each only when
    they are short (a hostile file may hold a reference of thousands of digits)."""
    if not numbers:
        return 0
    longest = max(map(len, numbers))
    if longest <= 18:
        return max(map(int, numbers))
    return int(max(n for n in numbers if len(n) == longest))
