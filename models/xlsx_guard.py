"""Checks a file is a sane .xlsx before any XML parser or native reader sees it.

The fast reader (calamine) allocates the whole rectangle between the first and
the last cell, so a few bytes naming cell XFD1048576 would ask for hundreds of
GB and abort the process. We therefore look, with cheap byte scans, at:
the container (zip, not an encrypted or legacy OLE file), the declared and
actual inflated sizes (zip bombs), any DTD (entity expansion tricks are
refused outright, which is stricter than defusing them), and the real extent
of the cells of each worksheet.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

from models.problems import ImportFailed, file_problem

MAX_INFLATED = 1024 * 1024 * 1024  # all parts together
MAX_RATIO = 200  # inflated / compressed, per part; real sheets stay well under 100
MAX_CELLS = 20_000_000  # rows x columns the reader may allocate for one sheet

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ATTR_R = rb"""[^>]*?\sr\s*=\s*["']\s*"""
_ROW_REF = re.compile(rb"<(?:\w+:)?row\b" + _ATTR_R + rb"0*(\d+)", re.IGNORECASE)
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b" + _ATTR_R + rb"([A-Za-z]+)0*(\d+)", re.IGNORECASE)
_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_ROW_SPLIT = re.compile(rb"<(?:\w+:)?row\b")
_ROW = re.compile(rb"<row[\s/>]")
_PLAIN_CELL = re.compile(rb"<c[\s/>]")
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")  # <x:c …> and <x:row …>
# how Excel, WPS and openpyxl write references: tried first, as it is several times faster
_PLAIN_ROW_REF = re.compile(rb'<row r="0*(\d+)"')
_PLAIN_CELL_REF = re.compile(rb'<c r="([A-Z]+)0*(\d+)"')
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def _fail(en: str, zh: str) -> ImportFailed:
    return ImportFailed([file_problem(en, zh)])


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def check_xlsx(path: Path) -> None:
    """Raise ImportFailed with a clear message if the file must not be read."""
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
            _check_archive(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
            NotImplementedError) as exc:
        raise _fail(f"the workbook is damaged ({exc})", f"工作簿已损坏（{exc}）") from None


def _check_archive(archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise _fail("not an Excel workbook: it has no xl/workbook.xml part",
                    "不是 Excel 工作簿：缺少 xl/workbook.xml")
    if sum(info.file_size for info in infos) > MAX_INFLATED:
        raise _fail("the workbook would inflate to more than 1 GB; refused as unsafe",
                    "工作簿解压后超过 1 GB，出于安全原因拒绝读取")
    sheets: list[tuple[str, bytes]] = []
    for info in infos:
        if info.flag_bits & 0x1:
            raise _fail("the workbook is encrypted", "工作簿已加密")
        if info.file_size > MAX_RATIO * max(info.compress_size, 1024):
            ratio = info.file_size // max(info.compress_size, 1)
            raise _fail(f"part {info.filename} inflates {ratio} times its size (a zip bomb); "
                        "refused as unsafe",
                        f"部件 {info.filename} 解压比例异常（疑似压缩炸弹），拒绝读取")
        # every part, whatever its name: the reader follows the relationships, not names
        data = _read_bounded(archive, info)
        text = data.decode("utf-16", errors="replace").encode() \
            if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data
        if _DTD.search(text):
            raise _fail(f"part {info.filename} declares XML entities (DTD); refused as unsafe",
                        f"部件 {info.filename} 含有 XML 实体声明，出于安全原因拒绝读取")
        if b"sheetData" in text:
            sheets.append((info.filename, text))
    if sheets:
        titles = _sheet_titles(archive)
        for part, data in sheets:
            _check_extent(titles.get(part, part), data)


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read a part, never inflating more than it declares (zipfile checks the CRC)."""
    with archive.open(info) as part:
        data = part.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise _fail(f"part {info.filename} is larger than its header says (damaged or hostile)",
                    f"部件 {info.filename} 大小与声明不符（已损坏或恶意文件）")
    return data


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part path -> sheet name, for messages (parts already checked to carry no DTD)."""
    from xml.etree import ElementTree

    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        targets[rel.get("Id")] = path
    titles = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet"):
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                titles[targets[rid]] = sheet.get("name", "")
    return titles


def _references(data: bytes) -> tuple[list[bytes], list[tuple[bytes, bytes]]]:
    """Row numbers and (column, row) of cells; the tolerant scan only when needed."""
    rows, cells = _PLAIN_ROW_REF.findall(data), _PLAIN_CELL_REF.findall(data)
    if len(rows) == len(_ROW.findall(data)) and len(cells) == len(_PLAIN_CELL.findall(data)) \
            and not _PREFIXED.search(data):
        return rows, cells
    return _ROW_REF.findall(data), _CELL_REF.findall(data)


def _largest(numbers: list[bytes]) -> int:
    """The largest of many digit strings without leading zeros, without converting each."""
    if not numbers:
        return 0
    longest = max(map(len, numbers))
    return int(max(n for n in numbers if len(n) == longest))


def _check_extent(sheet: str, data: bytes) -> None:
    """Refuse a sheet whose cells span more than MAX_CELLS, as the reader would allocate.

    Row and cell references are read in every spelling the reader accepts
    (quotes, spaces, case, leading zeros); cells without a reference take the
    next column of their row, rows without one the next row.
    """
    rows, cells = _references(data)
    cell_rows = [r for _, r in cells]
    max_row = max(_largest(rows), _largest(cell_rows), data.count(b"<row") + 1)
    max_col, far_cells = 0, []
    if cells:
        letters = max({c.upper() for c, _ in cells}, key=lambda c: (len(c), c))
        max_col = _column_number(letters)
        col_cell = next(c for c in cells if c[0].upper() == letters)
        row_cell = next(c for c in cells if int(c[1]) == max_row) \
            if max_row == _largest(cell_rows) else None
        far_cells = [ref[0].upper().decode() + str(int(ref[1]))
                     for ref in (col_cell, row_cell) if ref is not None]
        if row_cell is None:  # a far row whose cells carry no reference
            far_cells.append(f"row {max_row}")
    if len(_CELL.findall(data)) > len(cells):  # some cells have no reference
        max_col = max(max_col, *(len(_CELL.findall(chunk)) for chunk in _ROW_SPLIT.split(data)))
    if max_row * max(max_col, 1) > MAX_CELLS:
        corner = " and ".join(dict.fromkeys(far_cells)) or f"row {max_row}"
        raise _fail(f"sheet '{sheet}' has cells as far out as {corner}: over {MAX_CELLS:,} "
                    "cells; delete the stray cells far below or right of the data and save again",
                    f"工作表“{sheet}”中有远离数据区的单元格（最远到 {corner}），"
                    "请删除数据区以外的多余单元格后重新保存")
